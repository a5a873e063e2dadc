//! Hopeless and hostile input: errors where the brief says so, never a panic.

use newsdesk_extract::{ExtractError, MAX_HTML_BYTES, extract};

const URL: &str = "https://example.org/page";

#[test]
fn empty_input_is_empty() {
    for input in [&b""[..], b"   \n\t  "] {
        match extract(input, URL, None) {
            Err(ExtractError::Empty { url }) => assert_eq!(url, URL),
            other => panic!("expected Empty, got {other:?}"),
        }
    }
}

#[test]
fn binary_pdf_and_json_are_not_html() {
    let cases: [(&[u8], &str); 4] = [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
        (br#"{"title": "not a page", "items": [1, 2, 3]}"#, "JSON"),
        (b"just some words without any markup at all", "no markup"),
    ];
    for (input, reason) in cases {
        match extract(input, URL, None) {
            Err(ExtractError::NotHtml { reason: r, .. }) => assert_eq!(r, reason),
            other => panic!("expected NotHtml({reason}), got {other:?}"),
        }
    }
    let binary: Vec<u8> = (0..4096u32).map(|i| (i % 7) as u8).collect();
    assert!(matches!(
        extract(&binary, URL, None),
        Err(ExtractError::NotHtml { .. })
    ));
}

#[test]
fn too_large_names_the_limit() {
    let big = vec![b'a'; MAX_HTML_BYTES + 1];
    match extract(&big, URL, None) {
        Err(e @ ExtractError::TooLarge { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains(&MAX_HTML_BYTES.to_string()) && msg.contains(URL),
                "{msg}"
            );
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

/// 5 MB of junk of several shapes: random bytes, deep nesting, unclosed formatting tags,
/// attribute soup. Each must return (Ok or a typed error) without panicking.
#[test]
fn five_megabytes_of_junk_do_not_panic() {
    const SIZE: usize = 5 * 1024 * 1024;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..SIZE)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    let nested = "<div>".repeat(SIZE / 5).into_bytes();
    let formatting = "<b><i><a href=x>".repeat(SIZE / 16).into_bytes();
    let soup = "<p class=\"a\" onclick='x' data-x=\"&#x41;&amp\">&lt;text, more text, "
        .repeat(SIZE / 70)
        .into_bytes();
    let mut tagsoup = random.clone();
    for (i, chunk) in tagsoup.chunks_mut(64).enumerate() {
        chunk[0] = b'<';
        chunk[1] = if i % 2 == 0 { b'p' } else { b'/' };
    }
    for (name, junk) in [
        ("random", random),
        ("nested", nested),
        ("formatting", formatting),
        ("soup", soup),
        ("tagsoup", tagsoup),
    ] {
        match extract(&junk, URL, None) {
            Ok(a) => assert!(
                a.body_html.len() <= junk.len() * 2,
                "{name}: output blew up"
            ),
            Err(e) => assert!(matches!(e, ExtractError::NotHtml { .. }), "{name}: {e}"),
        }
    }
}

#[test]
fn page_without_article_gives_metadata_and_empty_body() {
    let page = br#"<html lang="de"><head><title>Startseite | Beispiel</title>
        <meta name="description" content="Eine Seite ohne Artikel"></head>
        <body><nav><a href="/a">A</a><a href="/b">B</a></nav><div class="menu"><a href="/c">C</a></div></body></html>"#;
    let a = extract(page, URL, None).expect("html page");
    assert_eq!(a.body_text, "");
    assert_eq!(a.body_html, "");
    assert_eq!(a.description.as_deref(), Some("Eine Seite ohne Artikel"));
    assert_eq!(a.declared_language.as_deref(), Some("de"));
    assert_eq!(a.url, URL);
}

#[test]
fn bad_url_still_extracts_and_drops_relative_links() {
    let page = br#"<html><body><article><p>First paragraph of a story that is long enough to count, with a <a href="/rel">relative link</a>.</p>
        <p>Second paragraph of the story, which also has enough text to be scored as content.</p></article></body></html>"#;
    let a = extract(page, "not a url", None).expect("extract");
    assert!(a.body_text.contains("relative link"));
    assert!(!a.body_html.contains("href"), "{}", a.body_html);
}
