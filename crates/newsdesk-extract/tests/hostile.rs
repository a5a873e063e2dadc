//! The "bad input" cases of the extraction brief, each generated here: a 50 MB page, 100,000
//! nested `<div>`s, one 10 MB text node, invalid UTF-8, binary junk served as text/html and an
//! empty body. Each must give a result or a typed error, never a panic or a stack overflow.
//! (Nothing here is timed; `newsdesk bench extract` measures speed.)

use newsdesk_extract::{ExtractError, MAX_HTML_BYTES, MAX_NESTING, extract};

const URL: &str = "https://example.org/hostile";

fn article(body: &str) -> Vec<u8> {
    format!(
        "<!doctype html><html lang=en><head><title>Hostile page</title></head><body>{body}</body></html>"
    )
    .into_bytes()
}

#[test]
fn fifty_megabyte_page_is_refused_with_the_limit_named() {
    let filler = "<p>Fifty megabytes of perfectly ordinary paragraphs, repeated.</p>\n";
    let page = article(&filler.repeat(50 * 1024 * 1024 / filler.len() + 1));
    assert!(page.len() > 50 * 1024 * 1024);
    match extract(&page, URL, None) {
        Err(e @ ExtractError::TooLarge { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(&MAX_HTML_BYTES.to_string()), "{msg}");
            assert!(msg.contains(&page.len().to_string()), "{msg}");
            assert!(msg.contains(URL), "{msg}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn hundred_thousand_nested_divs_keep_the_text_before_the_cut() {
    let lead = "<p>The article starts here, before the markup goes wrong, with a sentence long enough to be scored as text.</p>";
    let page = article(&format!(
        "<article>{lead}{}deep inside{}</article>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    ));
    // Runs on a thread with a small stack: no recursion over the depth of the tree.
    let a = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || extract(&page, URL, None))
        .unwrap()
        .join()
        .expect("no panic, no stack overflow")
        .expect("a result");
    assert!(
        a.body_text.starts_with("The article starts here"),
        "{}",
        a.body_text
    );
    assert!(!a.body_text.contains("deep inside"), "cut at {MAX_NESTING}");
    assert_eq!(a.title.as_deref(), Some("Hostile page"));
}

#[test]
fn ten_megabyte_text_node_is_extracted_whole() {
    let sentence = "Ten megabytes of one single text node, with commas, and no markup at all. ";
    let text = sentence.repeat(10 * 1024 * 1024 / sentence.len() + 1);
    let page = article(&format!("<div class=\"story\">{text}</div>"));
    assert!(page.len() > 10 * 1024 * 1024 && page.len() <= MAX_HTML_BYTES);
    let a = extract(&page, URL, None).expect("a result");
    assert!(a.body_text.starts_with("Ten megabytes"));
    // Whitespace is normalised, nothing is lost or duplicated.
    assert_eq!(
        a.body_text.matches("no markup at all.").count(),
        text.matches("no markup at all.").count()
    );
    assert!(a.body_html.len() < 2 * page.len());
}

#[test]
fn invalid_utf8_is_decoded_not_rejected() {
    let mut page =
        b"<html><head><meta charset=utf-8><title>Caf\xe9 cr\xe8me</title></head><body><article><p>"
            .to_vec();
    // A sentence in Latin-1, a lone continuation byte, a truncated sequence, an overlong form.
    page.extend_from_slice(b"Le caf\xe9 \x80 de la place \xc3 est ferm\xe9 depuis \xc0\xaf mardi, selon la mairie du quartier.");
    page.extend_from_slice(b"</p></article></body></html>");
    let a = extract(&page, URL, None).expect("a result");
    assert!(a.body_text.contains("de la place"), "{}", a.body_text);
    assert!(a.body_text.contains("mardi, selon la mairie"));
    // Whatever the decoding chose, the output is valid UTF-8 (it is a String) and not empty.
    assert!(a.title.is_some_and(|t| t.starts_with("Caf")));
}

#[test]
fn binary_junk_served_as_html_is_a_typed_error_or_a_result() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let random: Vec<u8> = (0..1024 * 1024).map(|_| (next() >> 32) as u8).collect();
    // Random bytes with the http charset claiming UTF-8: rejected as binary.
    match extract(&random, URL, Some("utf-8")) {
        Err(ExtractError::NotHtml { reason, url }) => {
            assert_eq!(reason, "binary data");
            assert_eq!(url, URL);
        }
        other => panic!("expected NotHtml, got {other:?}"),
    }
    // High bytes only (no control characters): decodes to text soup. Either outcome is fine,
    // but it must come back, and any body must be bounded by the input.
    let high: Vec<u8> = (0..1024 * 1024)
        .map(|_| 0x80 | (next() >> 40) as u8)
        .chain(b"<p>x</p>".iter().copied())
        .collect();
    match extract(&high, URL, Some("text/html")) {
        Ok(a) => assert!(a.body_text.len() <= 4 * high.len()),
        Err(e) => assert!(matches!(e, ExtractError::NotHtml { .. }), "{e}"),
    }
    // An HTML prefix followed by binary: the prefix is still read, or the page is refused.
    let mut prefixed =
        article("<p>A real first paragraph of reasonable length before the junk starts.</p>");
    prefixed.extend_from_slice(&random[..64 * 1024]);
    match extract(&prefixed, URL, None) {
        Ok(a) => assert!(a.body_text.len() <= 4 * prefixed.len()),
        Err(e) => assert!(matches!(e, ExtractError::NotHtml { .. }), "{e}"),
    }
}

#[test]
fn empty_body_gives_metadata_and_no_text() {
    let page = br#"<html lang="fr"><head><title>Page vide</title>
        <meta name="description" content="Rien ici"></head><body></body></html>"#;
    let a = extract(page, URL, None).expect("a result");
    assert_eq!(a.body_text, "");
    assert_eq!(a.body_html, "");
    assert_eq!(a.title.as_deref(), Some("Page vide"));
    assert_eq!(a.description.as_deref(), Some("Rien ici"));
    for empty in [&b""[..], b"\n\n  \t"] {
        assert!(matches!(
            extract(empty, URL, None),
            Err(ExtractError::Empty { .. })
        ));
    }
    // A BOM and nothing else is empty too.
    assert!(matches!(
        extract(b"\xef\xbb\xbf  ", URL, None),
        Err(ExtractError::Empty { .. })
    ));
}
