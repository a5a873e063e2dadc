//! Embedding text in XML CDATA sections and JSON-LD `<script>` blocks (HTML/XML escaping is
//! `newsdesk_core::escape`).

/// Wraps text in a CDATA section (splitting any `]]>` inside it).
pub(crate) fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

/// A JSON value made safe to embed in a `<script>` element.
pub(crate) fn json_in_script(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_text_in_cdata_and_scripts() {
        assert_eq!(cdata("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
        let v = serde_json::json!({"a": "</script>"});
        assert!(!json_in_script(&v).contains("</script>"));
    }
}
