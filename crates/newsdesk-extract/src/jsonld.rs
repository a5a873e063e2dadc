//! Schema.org metadata from `<script type="application/ld+json">` blocks.

use std::collections::HashMap;

use serde_json::Value;

/// Objects visited per page at most (bounds work on hostile JSON).
const MAX_OBJECTS: usize = 2000;
/// Nesting followed at most.
const MAX_DEPTH: usize = 12;

/// What the JSON-LD of a page says about its article.
#[derive(Debug, Default, Clone)]
pub(crate) struct JsonLd {
    /// `headline` (or `name`) of the article object.
    pub headline: Option<String>,
    /// Names of the authors that are people.
    pub authors: Vec<String>,
    /// Names of authors that are organisations (used only when no person is named).
    pub org_authors: Vec<String>,
    /// `datePublished` (or `dateCreated`).
    pub published: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// `image` URL.
    pub image: Option<String>,
    /// `keywords` and `articleSection`.
    pub tags: Vec<String>,
    /// Publisher's name.
    pub publisher: Option<String>,
    /// Whether the publisher is a person (a personal site: its owner may sign the articles).
    pub publisher_is_person: bool,
    /// `articleBody`.
    pub body: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `inLanguage`.
    pub language: Option<String>,
    /// `url` / `mainEntityOfPage`.
    pub url: Option<String>,
}

/// Reads the given JSON-LD blocks (the text of each script element).
pub(crate) fn parse<'a>(blocks: impl IntoIterator<Item = &'a str>) -> JsonLd {
    let mut objects: Vec<&serde_json::Map<String, Value>> = Vec::new();
    let values: Vec<Value> = blocks.into_iter().filter_map(parse_block).collect();
    for v in &values {
        collect(v, 0, &mut objects);
    }
    let by_id: HashMap<&str, &serde_json::Map<String, Value>> = objects
        .iter()
        .filter_map(|o| Some((o.get("@id")?.as_str()?, *o)))
        .collect();

    let mut out = JsonLd::default();
    let article = objects
        .iter()
        .filter(|o| is_type(o, is_article_type))
        // The first of equally good candidates: the page's own article comes before lists.
        .rev()
        .max_by_key(|o| {
            (
                o.contains_key("headline") as u8,
                o.contains_key("articleBody") as u8,
            )
        })
        .copied();
    let page = objects
        .iter()
        .find(|o| is_type(o, |t| t.ends_with("Page")))
        .copied();

    for obj in [article, page].into_iter().flatten() {
        let main = Some(obj) == article;
        if out.headline.is_none() {
            out.headline = string(obj.get("headline"))
                .or_else(|| if main { string(obj.get("name")) } else { None });
        }
        if out.authors.is_empty() && out.org_authors.is_empty() {
            for key in ["author", "creator"] {
                if let Some(v) = obj.get(key) {
                    people(v, &by_id, &mut out.authors, &mut out.org_authors);
                }
            }
        }
        out.published = out
            .published
            .take()
            .or_else(|| string(obj.get("datePublished")))
            .or_else(|| string(obj.get("dateCreated")));
        out.modified = out
            .modified
            .take()
            .or_else(|| string(obj.get("dateModified")));
        out.image = out
            .image
            .take()
            .or_else(|| image(obj.get("image")?).or_else(|| image(obj.get("thumbnailUrl")?)));
        if main {
            for key in ["articleSection", "keywords"] {
                out.tags.extend(strings(obj.get(key)));
            }
            out.body = string(obj.get("articleBody"));
            out.url = string(obj.get("url")).or_else(|| id_of(obj.get("mainEntityOfPage")));
        }
        out.description = out
            .description
            .take()
            .or_else(|| string(obj.get("description")));
        out.language = out
            .language
            .take()
            .or_else(|| string(obj.get("inLanguage")));
        if out.publisher.is_none() {
            out.publisher = obj.get("publisher").and_then(|p| name_of(p, &by_id));
            out.publisher_is_person = obj.get("publisher").is_some_and(|p| is_person(p, &by_id));
        }
    }
    if out.publisher.is_none() {
        out.publisher = objects
            .iter()
            .find(|o| is_type(o, |t| t == "WebSite" || t == "NewsMediaOrganization"))
            .and_then(|o| string(o.get("name")));
    }
    out
}

/// Parses one block, tolerating HTML comments, CDATA wrappers and raw control characters.
fn parse_block(text: &str) -> Option<Value> {
    let t = text.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t);
    let t = t
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    serde_json::from_str(t).ok().or_else(|| {
        let cleaned: String = t
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str(&cleaned).ok()
    })
}

fn collect<'v>(v: &'v Value, depth: usize, out: &mut Vec<&'v serde_json::Map<String, Value>>) {
    if depth > MAX_DEPTH || out.len() >= MAX_OBJECTS {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, depth + 1, out)),
        Value::Object(map) => {
            out.push(map);
            for (k, child) in map {
                if matches!(
                    k.as_str(),
                    "@graph" | "mainEntity" | "itemListElement" | "hasPart" | "about"
                ) || child.is_array() && k == "@graph"
                {
                    collect(child, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

fn is_article_type(t: &str) -> bool {
    t.ends_with("Article")
        || matches!(
            t,
            "BlogPosting"
                | "Report"
                | "SocialMediaPosting"
                | "LiveBlogPosting"
                | "Recipe"
                | "Review"
        )
}

fn is_type(obj: &serde_json::Map<String, Value>, pred: impl Fn(&str) -> bool) -> bool {
    match obj.get("@type") {
        Some(Value::String(t)) => pred(t.trim_start_matches("schema:")),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .any(|t| pred(t.trim_start_matches("schema:"))),
        _ => false,
    }
}

fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|i| string(Some(i))),
        Value::Object(o) => string(o.get("@value")),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::Array(items)) => items.iter().flat_map(|i| strings(Some(i))).collect(),
        _ => Vec::new(),
    }
}

fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => string(o.get("@id")).or_else(|| string(o.get("url"))),
        _ => None,
    }
}

fn image(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(image),
        Value::Object(o) => string(o.get("url")).or_else(|| string(o.get("contentUrl"))),
        _ => None,
    }
}

fn name_of(v: &Value, by_id: &HashMap<&str, &serde_json::Map<String, Value>>) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|i| name_of(i, by_id)),
        Value::Object(o) => string(o.get("name")).or_else(|| {
            let target = by_id.get(o.get("@id")?.as_str()?)?;
            string(target.get("name"))
        }),
        _ => None,
    }
}

/// Whether a publisher value (inline object, `@id` reference or the first of a list) is typed
/// `Person`.
fn is_person(v: &Value, by_id: &HashMap<&str, &serde_json::Map<String, Value>>) -> bool {
    match v {
        Value::Array(items) => items.first().is_some_and(|i| is_person(i, by_id)),
        Value::Object(o) => {
            let resolved = o
                .get("@id")
                .and_then(Value::as_str)
                .and_then(|id| by_id.get(id).copied())
                .unwrap_or(o);
            is_type(resolved, |t| t == "Person") || is_type(o, |t| t == "Person")
        }
        _ => false,
    }
}

fn people(
    v: &Value,
    by_id: &HashMap<&str, &serde_json::Map<String, Value>>,
    persons: &mut Vec<String>,
    orgs: &mut Vec<String>,
) {
    match v {
        Value::String(s) if !s.trim().is_empty() => persons.push(s.trim().to_owned()),
        Value::Array(items) => items.iter().for_each(|i| people(i, by_id, persons, orgs)),
        Value::Object(o) => {
            let resolved = o
                .get("@id")
                .and_then(Value::as_str)
                .and_then(|id| by_id.get(id).copied())
                .filter(|t| t.contains_key("name"))
                .unwrap_or(o);
            if let Some(name) = string(resolved.get("name")) {
                // A personal site's owner is often typed both Person and Organization.
                if !is_type(resolved, |t| t == "Person")
                    && is_type(resolved, |t| {
                        t == "Organization" || t.ends_with("Organization")
                    })
                {
                    orgs.push(name);
                } else {
                    persons.push(name);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn graph_with_references() {
        let block = r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","@id":"https://x.org/#site","name":"X News"},
            {"@type":["NewsArticle"],"headline":"Big news","author":[{"@id":"https://x.org/#p1"},{"@type":"Person","name":"Bo Li"}],
             "datePublished":"2026-03-14T09:00:00+01:00","keywords":"a, b","articleSection":["World"],
             "image":{"@type":"ImageObject","url":"https://x.org/i.jpg"},"publisher":{"@id":"https://x.org/#org"}},
            {"@type":"Person","@id":"https://x.org/#p1","name":"Ann Smith"},
            {"@type":"Organization","@id":"https://x.org/#org","name":"X Media"}]}"#;
        let j = parse([block]);
        assert_eq!(j.headline.as_deref(), Some("Big news"));
        assert_eq!(j.authors, ["Ann Smith", "Bo Li"]);
        assert_eq!(j.published.as_deref(), Some("2026-03-14T09:00:00+01:00"));
        assert_eq!(j.tags, ["World", "a", "b"]);
        assert_eq!(j.image.as_deref(), Some("https://x.org/i.jpg"));
        assert_eq!(j.publisher.as_deref(), Some("X Media"));
    }

    #[test]
    fn broken_blocks_are_ignored() {
        let j = parse([
            "{not json",
            "",
            "<!-- {\"@type\":\"Article\",\"headline\":\"H\nx\"} -->",
        ]);
        assert_eq!(j.headline.as_deref(), Some("H x"));
    }
}
