//! Stable-Rust "fuzz smoke" test: the body of the cargo-fuzz target (`fuzz/fuzz_targets/
//! extract.rs`) run over a few thousand deterministic random and mutated inputs, so that CI
//! exercises it without a nightly toolchain. Seeds are the golden fixtures; mutations flip,
//! insert, delete and splice bytes and inject markup fragments. A panic fails the test; typed
//! errors are fine.

use std::path::Path;

use newsdesk_extract::{ExtractError, extract};

/// A small xorshift generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FRAGMENTS: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<article>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<table><tr><td>",
    "<svg><title>",
    "<blockquote class=\"twitter-tweet\">",
    "<iframe src=\"//x\">",
    "<meta charset=\"shift_jis\">",
    "<meta charset=\"utf-16\">",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2026-99-99\",\"author\":[[[{}]]]}</script>",
    "&#x110000;",
    "&#0;",
    "&",
    "\u{feff}",
    "\u{202e}",
    "\0",
    "\u{FFFD}",
    "<h2>Mehr zum Thema</h2>",
    "<figcaption>",
    "<time datetime=\"2026-03-14T25:61:00+99:00\">",
];

/// The fuzz target's body (kept in step with `fuzz/fuzz_targets/extract.rs`).
fn run_target(data: &[u8]) {
    let (charset, page) = match data.split_first() {
        Some((c, rest)) => (
            match c % 5 {
                0 => None,
                1 => Some("utf-8"),
                2 => Some("windows-1252"),
                3 => Some("shift_jis"),
                _ => Some("utf-16le"),
            },
            rest,
        ),
        None => (None, data),
    };
    match extract(page, "https://fuzz.example/a/b?c=d", charset) {
        Ok(a) => {
            assert!(!a.body_html.to_ascii_lowercase().contains("<script"));
            assert!(a.body_text.len() <= 4 * page.len() + 1024);
        }
        Err(
            ExtractError::Empty { .. }
            | ExtractError::NotHtml { .. }
            | ExtractError::TooLarge { .. },
        ) => {}
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .expect("fixtures directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| std::fs::read(p).expect("fixture"))
        .collect();
    seeds.sort();
    seeds
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let f = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                let big = rng.below(10) == 0;
                let n = 1 + rng.below(if big { 2000 } else { 3 });
                let insert: Vec<u8> = f.iter().copied().cycle().take(f.len() * n).collect();
                data.splice(at..at, insert);
            }
            2 => {
                let end = (at + rng.below(200)).min(data.len());
                data.drain(at..end);
            }
            3 => data.truncate(at),
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let to = (from + rng.below(500)).min(other.len());
                data.splice(at..at, other[from..to].iter().copied());
            }
            _ => {
                let len = rng.below(64);
                let junk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                data.splice(at..at, junk);
            }
        }
    }
    let mut input = vec![rng.next() as u8];
    input.extend(data);
    input
}

#[test]
fn extractor_survives_thousands_of_mutated_pages() {
    let seeds = seeds();
    assert!(seeds.len() >= 10, "fixtures are the seeds");
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut ok_pages = 0usize;
    for i in 0..2000 {
        let input = mutate(&mut rng, &seeds);
        run_target(&input);
        if i % 3 == 0 {
            // Pure random bytes, short.
            let len = rng.below(512);
            let random: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            run_target(&random);
        }
        ok_pages += 1;
    }
    assert_eq!(ok_pages, 2000);
}
