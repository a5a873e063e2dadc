//! The engine at scale: memory bounded by the window, snapshots that continue exactly, and
//! snapshots that cannot be read refused with a clear error.

use chrono::{Duration, TimeZone, Utc};
use newsdesk_stories::{Document, SNAPSHOT_VERSION, StoriesError, StoryConfig, StoryEngine};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mer", "tin", "sa", "ve", "dor", "pi", "nu", "ral", "te", "gon", "bi", "mo", "les",
    "tra",
];

fn word(rng: &mut Rng) -> String {
    (0..3)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// `n` articles, one every `minutes`, about events that each last a few hours; one in seven
/// is a copy of the previous article of its event (so the copy detector links some).
fn stream(n: usize, minutes: i64, seed: u64) -> Vec<Document> {
    let mut rng = Rng(seed | 1);
    let start = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
    let vocabulary: Vec<String> = (0..3000).map(|_| word(&mut rng)).collect();
    let mut events: Vec<(usize, Vec<String>, u32)> = Vec::new();
    let mut last_of_event: Vec<Option<Document>> = Vec::new();
    let mut docs = Vec::with_capacity(n);
    for i in 0..n {
        let date = start + Duration::minutes(i as i64 * minutes);
        events.retain(|(born, _, _)| i - born < 40);
        if events.is_empty() || rng.below(5) == 0 {
            let names = (0..3)
                .map(|_| {
                    let w = word(&mut rng);
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect();
            events.push((i, names, (rng.next() % 9000) as u32 + 1000));
            last_of_event.push(None);
        }
        let e = rng.below(events.len());
        let (_, names, number) = &events[e];
        let slot = last_of_event.len() - events.len() + e;
        if i % 7 == 6
            && let Some(prev) = &last_of_event[slot]
        {
            docs.push(Document::new(
                format!("d{i}"),
                prev.lang.clone(),
                Some(date),
                prev.title.clone(),
                format!("{}\nAll rights reserved.", prev.text),
            ));
            continue;
        }
        let lang = ["en", "de", "fr"][rng.below(3)];
        let mut paragraphs = Vec::new();
        for _ in 0..3 + rng.below(3) {
            let words: Vec<String> = (0..20)
                .map(|_| match rng.below(6) {
                    0 => names[rng.below(3)].clone(),
                    1 => number.to_string(),
                    _ => vocabulary[rng.below(vocabulary.len())].clone(),
                })
                .collect();
            paragraphs.push(format!("{}.", words.join(" ")));
        }
        let title = format!("{} {} {}", names[0], names[1], number);
        let doc = Document::new(
            format!("d{i}"),
            lang,
            Some(date),
            title,
            paragraphs.join("\n"),
        );
        last_of_event[slot] = Some(doc.clone());
        docs.push(doc);
    }
    docs
}

fn small_window() -> StoryConfig {
    let mut config = StoryConfig {
        window_hours: 3,
        max_members: 8,
        ..StoryConfig::default()
    };
    config.copies.window_hours = 2;
    config.copies.translation_window_hours = 2;
    config
}

#[test]
fn memory_stays_bounded_by_the_window() {
    // One article a minute, a 3-hour window: ~180 articles in it, 3,000 articles in all.
    let docs = stream(3000, 1, 7);
    let mut engine = StoryEngine::new(small_window());
    let mut peak = newsdesk_stories::Footprint::default();
    let mut at_1000 = None;
    for (i, doc) in docs.iter().enumerate() {
        engine.add(doc);
        let f = engine.footprint();
        assert!(f.window <= 182, "window {} after {i}", f.window);
        assert!(
            f.copy_window <= 122,
            "copy window {} after {i}",
            f.copy_window
        );
        assert!(f.article_ids <= f.copy_window.max(1) + 1, "{f:?}");
        assert!(f.members <= 8 * f.open_stories, "{f:?}");
        assert!(f.members <= 4 * 182, "members {} after {i}", f.members);
        assert!(f.aliases <= f.open_stories, "{f:?}");
        assert!(
            f.open_stories <= 200,
            "open stories {} after {i}",
            f.open_stories
        );
        peak.members = peak.members.max(f.members);
        peak.features = peak.features.max(f.features);
        peak.centroid_terms = peak.centroid_terms.max(f.centroid_terms);
        if i == 999 {
            at_1000 = Some(peak);
        }
    }
    // After 16 windows the peaks are those of the first few: nothing grows with the stream.
    let early = at_1000.unwrap();
    assert!(
        peak.features <= early.features * 3 / 2,
        "features {early:?} → {peak:?}"
    );
    assert!(
        peak.centroid_terms <= early.centroid_terms * 3 / 2,
        "{early:?} → {peak:?}"
    );
    assert!(engine.footprint().window > 100);
}

#[test]
fn snapshot_restore_continue_places_like_an_uninterrupted_run() {
    let docs = stream(900, 2, 11);
    let config = small_window();
    let mut whole = StoryEngine::new(config.clone());
    let expected: Vec<_> = docs
        .iter()
        .map(|d| {
            let p = whole.add(d);
            (p.story, p.new_story, p.merged, p.moved, p.provenance)
        })
        .collect();
    let mut engine = StoryEngine::new(config);
    let mut got = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if i % 150 == 149 {
            let bytes = engine.snapshot().unwrap();
            // Streamed and whole restores read the same state.
            engine = StoryEngine::read_snapshot(&bytes[..]).unwrap();
            assert_eq!(
                engine.footprint(),
                StoryEngine::restore(&bytes).unwrap().footprint()
            );
            engine = StoryEngine::restore(&bytes).unwrap();
        }
        let p = engine.add(d);
        got.push((p.story, p.new_story, p.merged, p.moved, p.provenance));
    }
    assert_eq!(got.len(), expected.len());
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g.0, e.0, "article {i}: story");
        assert_eq!(g.1, e.1, "article {i}: new story");
        assert_eq!(g.2, e.2, "article {i}: merges");
        assert_eq!(g.3, e.3, "article {i}: moves");
        assert_eq!(
            g.4.as_ref().map(|l| (&l.original, l.kind)),
            e.4.as_ref().map(|l| (&l.original, l.kind)),
            "article {i}: link"
        );
    }
    assert!(
        expected.iter().any(|e| e.4.is_some()),
        "the stream has copies"
    );
    assert_eq!(engine.finish(), whole.finish());
}

#[test]
fn unreadable_snapshots_are_refused_clearly() {
    let mut engine = StoryEngine::new(StoryConfig::default());
    for d in stream(50, 5, 3) {
        engine.add(&d);
    }
    let bytes = engine.snapshot().unwrap();

    // A JSON snapshot of an earlier build.
    let err = StoryEngine::restore(br#"{"config":{}}"#).unwrap_err();
    assert!(matches!(err, StoriesError::SnapshotFormat(_)), "{err}");
    assert!(err.to_string().contains("JSON"), "{err}");

    // Another format version.
    let mut other = bytes.clone();
    other[8..12].copy_from_slice(&(SNAPSHOT_VERSION + 1).to_le_bytes());
    let err = StoryEngine::restore(&other).unwrap_err();
    match &err {
        StoriesError::SnapshotVersion { found, expected } => {
            assert_eq!(
                (*found, *expected),
                (SNAPSHOT_VERSION + 1, SNAPSHOT_VERSION)
            );
        }
        e => panic!("unexpected {e}"),
    }
    assert!(err.to_string().contains("rebuild"), "{err}");

    // Truncated, and with garbage in the middle (a huge length must not be allocated).
    for cut in [0, 5, 12, bytes.len() / 3, bytes.len() - 1] {
        assert!(StoryEngine::restore(&bytes[..cut]).is_err(), "cut at {cut}");
        assert!(
            StoryEngine::read_snapshot(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut garbage = bytes.clone();
    for b in &mut garbage[12..40] {
        *b = 0xff;
    }
    let err = StoryEngine::restore(&garbage).unwrap_err();
    assert!(err.to_string().contains("newsdesk-stories"), "{err}");

    // Not a snapshot at all.
    let err = StoryEngine::restore(b"hello world, not a snapshot").unwrap_err();
    assert!(matches!(err, StoriesError::SnapshotFormat(_)), "{err}");

    // The good one still restores.
    let back = StoryEngine::restore(&bytes).unwrap();
    assert_eq!(back.footprint(), engine.footprint());
}

/// A snapshot written by the last build on `bincode` 1.3 (format 4, commit d717a67: an engine
/// of five articles in English, French and Russian, one of them a copy), kept as bytes: this
/// build refuses it as another format version, clearly, and the caller rebuilds.
#[test]
fn an_old_bincode_snapshot_is_refused_as_another_version() {
    let old = include_bytes!("fixtures/snapshot-v4-bincode.bin");
    assert!(
        old.starts_with(b"NDSTORY\0\x04\0\0\0"),
        "a format-4 snapshot"
    );
    for err in [
        StoryEngine::restore(old).unwrap_err(),
        StoryEngine::read_snapshot(&old[..]).unwrap_err(),
    ] {
        match &err {
            StoriesError::SnapshotVersion { found, expected } => {
                assert_eq!((*found, *expected), (4, SNAPSHOT_VERSION));
            }
            e => panic!("unexpected {e}"),
        }
        let message = err.to_string();
        assert!(
            message.contains("format 4") && message.contains("rebuild"),
            "{message}"
        );
    }
}

#[test]
fn a_snapshot_with_bytes_after_the_engine_is_refused() {
    let mut engine = StoryEngine::new(StoryConfig::default());
    for d in stream(20, 2, 5) {
        engine.add(&d);
    }
    let mut bytes = engine.snapshot().unwrap();
    assert_eq!(bytes.len() as u64, engine.snapshot_len().unwrap());
    bytes.push(0);
    assert!(matches!(
        StoryEngine::restore(&bytes),
        Err(StoriesError::SnapshotCorrupt { .. })
    ));
    assert!(matches!(
        StoryEngine::read_snapshot(&bytes[..]),
        Err(StoriesError::SnapshotCorrupt { .. })
    ));
}
