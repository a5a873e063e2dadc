//! Stories and provenance through the real binary: `newsdesk demo --no-serve` ingests the sample
//! corpus, and the story stage must link its word-for-word copy and its translation to their
//! originals (with evidence) and group each multi-outlet event into one story.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::Command;

use newsdesk_demo::{CorpusArticle, sample_corpus};
use support::{Backend, bin, http_get as get, serve};

struct Placed {
    story: i64,
}

struct Link {
    kind: String,
    original: i64,
    matched: i64,
    evidence: Vec<serde_json::Value>,
}

/// Demo database: corpus id (`source/slug`) → article id, article id → story, provenance.
fn run_demo(dir: &std::path::Path) -> rusqlite::Connection {
    let out = Command::new(bin())
        .args(["demo", "--no-serve", "--data"])
        .arg(dir)
        .output()
        .expect("run demo");
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    rusqlite::Connection::open(dir.join("data/newsdesk.db")).expect("open db")
}

fn article_ids(conn: &rusqlite::Connection, corpus: &[CorpusArticle]) -> HashMap<String, i64> {
    let mut stmt = conn
        .prepare("SELECT id, url FROM articles")
        .expect("story_pipeline test");
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("story_pipeline test")
        .map(Result::unwrap)
        .collect();
    let mut ids = HashMap::new();
    for a in corpus {
        // The demo moves dates to the present, so pages are matched by outlet and slug.
        let (outlet, slug) = (format!("/{}/", a.source), format!("/{}.html", a.slug));
        if let Some((id, _)) = rows
            .iter()
            .find(|(_, url)| url.contains(&outlet) && url.ends_with(&slug))
        {
            ids.insert(a.id(), *id);
        }
    }
    ids
}

/// What an article's front matter says about stories: its event, and what it copies or
/// translates (ids `source/slug`).
#[derive(Debug, Default)]
struct FrontMatter {
    event: Option<String>,
    copy_of: Option<String>,
    translation_of: Option<String>,
}

/// The front matter of every article file of the demo corpus, read from the files themselves
/// (`crates/newsdesk-demo/corpus/articles/SOURCE/SLUG.md`), by id `SOURCE/SLUG`.
fn front_matter() -> BTreeMap<String, FrontMatter> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../newsdesk-demo/corpus/articles");
    let mut out = BTreeMap::new();
    for source in std::fs::read_dir(&root).expect("demo corpus articles") {
        let source = source.expect("story_pipeline test").path();
        if !source.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&source).expect("story_pipeline test") {
            let file = file.expect("story_pipeline test").path();
            if file.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("story_pipeline test");
            let mut fm = FrontMatter::default();
            for line in text.lines().skip(1).take_while(|l| l.trim() != "---") {
                let Some((key, value)) = line.split_once(':') else {
                    continue;
                };
                let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
                match key.trim() {
                    "event" => fm.event = value,
                    "copy_of" => fm.copy_of = value,
                    "translation_of" => fm.translation_of = value,
                    _ => {}
                }
            }
            let name = |p: &std::path::Path| {
                p.file_stem()
                    .and_then(|s| s.to_str())
                    .expect("story_pipeline test")
                    .to_string()
            };
            out.insert(format!("{}/{}", name(&source), name(&file)), fm);
        }
    }
    out
}

fn placements(conn: &rusqlite::Connection) -> HashMap<i64, Placed> {
    let mut stmt = conn
        .prepare("SELECT article_id, story_id FROM article_stories")
        .expect("story_pipeline test");
    stmt.query_map([], |r| Ok((r.get(0)?, Placed { story: r.get(1)? })))
        .expect("story_pipeline test")
        .map(Result::unwrap)
        .collect()
}

fn link(conn: &rusqlite::Connection, article: i64) -> Option<Link> {
    conn.query_row(
        "SELECT kind, original_id, matched_id, evidence FROM provenance WHERE article_id = ?1",
        [article],
        |r| {
            let evidence: String = r.get(3)?;
            Ok(Link {
                kind: r.get(0)?,
                original: r.get(1)?,
                matched: r.get(2)?,
                evidence: serde_json::from_str(&evidence).expect("story_pipeline test"),
            })
        },
    )
    .ok()
}

#[test]
fn demo_copies_translations_and_events_become_links_and_stories() {
    let dir = tempfile::tempdir().expect("story_pipeline test");
    let conn = run_demo(dir.path());
    let corpus = sample_corpus();
    let ids = article_ids(&conn, corpus.articles());
    assert_eq!(
        ids.len(),
        corpus.articles().len(),
        "every demo article stored"
    );
    let placed = placements(&conn);
    for (cid, id) in &ids {
        assert!(placed.contains_key(id), "{cid} placed in a story");
    }
    let (placed_through,): (i64,) = conn
        .query_row("SELECT placed_through FROM story_state", [], |r| {
            Ok((r.get(0)?,))
        })
        .expect("story_pipeline test");
    assert_eq!(
        placed_through,
        *ids.values().max().expect("story_pipeline test")
    );

    // The word-for-word copy and the translation link to their originals, with evidence.
    for (copy, original, kind) in [
        (
            "northgate-courier/partner-valdoria-dockworkers-strike",
            "harbour-ledger/valdoria-dockworkers-begin-strike",
            "copy",
        ),
        (
            "gazette-des-collines/sonde-lumen-comete-hesper",
            "harbour-ledger/lumen-probe-comet-flyby",
            "translated_copy",
        ),
    ] {
        let l = link(&conn, ids[copy]).unwrap_or_else(|| panic!("{copy} has a provenance link"));
        assert_eq!(l.kind, kind, "{copy}");
        assert_eq!(l.original, ids[original], "{copy} links to {original}");
        assert_eq!(l.matched, ids[original], "{copy} matched {original}");
        assert!(!l.evidence.is_empty(), "{copy}: evidence");
        assert!(
            l.evidence
                .iter()
                .all(|e| e["signal"].is_string() && !e["detail"].as_str().unwrap_or("").is_empty()),
            "{copy}: evidence has signal and detail: {:?}",
            l.evidence
        );
        assert_eq!(
            placed[&ids[copy]].story, placed[&ids[original]].story,
            "{copy} is in its original's story"
        );
    }
    // A kept link never crosses stories.
    let crossing: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM provenance p \
             JOIN article_stories a ON a.article_id = p.article_id \
             JOIN article_stories m ON m.article_id = p.matched_id \
             WHERE a.story_id != m.story_id",
            [],
            |r| r.get(0),
        )
        .expect("story_pipeline test");
    assert_eq!(crossing, 0);

    // The corpus's own front matter is the answer key: every event is exactly one story, an
    // article without an event (an unrelated local item) is in a story of its own with only
    // its copies, and exactly the corpus's copy and translation links exist.
    let truth = front_matter();
    assert!(
        truth.len() >= 60,
        "the demo corpus keeps at least 60 articles"
    );
    assert_eq!(
        ids.len(),
        truth.len(),
        "every corpus file is a demo article"
    );
    let group_of = |id: &str| -> String {
        let mut at = id.to_string();
        // A copy or translation reports its original's event.
        for _ in 0..truth.len() {
            let fm = &truth[&at];
            if let Some(e) = &fm.event {
                return format!("event {e}");
            }
            match fm.copy_of.as_ref().or(fm.translation_of.as_ref()) {
                Some(o) => at = o.clone(),
                None => break,
            }
        }
        format!("item {at}")
    };
    let events: BTreeSet<String> = truth.values().filter_map(|f| f.event.clone()).collect();
    assert!(events.len() >= 5, "the demo corpus keeps at least 5 events");
    assert!(
        truth.keys().any(|id| group_of(id).starts_with("item ")),
        "the demo corpus keeps unrelated local items"
    );
    let mut stories_of_group: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut groups_of_story: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for cid in truth.keys() {
        let story = placed[&ids[cid]].story;
        stories_of_group
            .entry(group_of(cid))
            .or_default()
            .insert(story);
        groups_of_story
            .entry(story)
            .or_default()
            .insert(group_of(cid));
    }
    let split: Vec<_> = stories_of_group
        .iter()
        .filter(|(_, stories)| stories.len() > 1)
        .collect();
    assert!(split.is_empty(), "split over several stories: {split:?}");
    let mixed: Vec<_> = groups_of_story
        .values()
        .filter(|groups| groups.len() > 1)
        .collect();
    assert!(
        mixed.is_empty(),
        "stories mixing events or unrelated items: {mixed:?}"
    );
    for event in &events {
        let story = *stories_of_group[&format!("event {event}")]
            .iter()
            .next()
            .expect("story_pipeline test");
        let (count, title): (i64, String) = conn
            .query_row(
                "SELECT article_count, title FROM stories WHERE id = ?1",
                [story],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("story_pipeline test");
        assert!(count >= 2 && !title.is_empty(), "story of {event}");
    }
    let expected: BTreeSet<(String, String, String)> = truth
        .iter()
        .filter_map(|(id, fm)| {
            let (original, kind) = match (&fm.copy_of, &fm.translation_of) {
                (Some(o), _) => (o, "copy"),
                (None, Some(o)) => (o, "translated_copy"),
                (None, None) => return None,
            };
            Some((id.clone(), kind.to_string(), original.clone()))
        })
        .collect();
    let by_article: HashMap<i64, &String> = ids.iter().map(|(cid, id)| (*id, cid)).collect();
    let mut found: BTreeSet<(String, String, String)> = BTreeSet::new();
    for (cid, id) in &ids {
        if let Some(l) = link(&conn, *id)
            && l.kind != "shares_quotes"
        {
            found.insert((cid.clone(), l.kind, by_article[&l.original].to_string()));
        }
    }
    assert_eq!(
        found, expected,
        "copy and translation links are the corpus's"
    );

    // The site and the API show the same, served by the real binary.
    let (_server, base) = serve(dir.path());
    let copy = ids["northgate-courier/partner-valdoria-dockworkers-strike"];
    let original = ids["harbour-ledger/valdoria-dockworkers-begin-strike"];
    let (status, page) = get(&format!("{base}/articles/{copy}")).expect("article page");
    assert_eq!(status, 200);
    let page = page.replace("&#x2f;", "/").replace("&#x27;", "'");
    assert!(
        page.contains("class=\"provenance\""),
        "provenance note on the copy's page"
    );
    assert!(
        page.contains(&format!("Copy of <a href=\"/articles/{original}\">")),
        "links the original"
    );
    assert!(page.contains("shared text"), "evidence shown");
    assert!(page.contains("class=\"story-link\""), "story linked");
    let (status, api) = get(&format!("{base}/api/v1/articles/{copy}")).expect("article api");
    assert_eq!(status, 200);
    let a: serde_json::Value = serde_json::from_str(&api).expect("json");
    assert_eq!(a["provenance"]["kind"], "copy");
    assert_eq!(a["provenance"]["original"], original);
    assert_eq!(a["story"]["id"], placed[&copy].story);
    let (status, api) = get(&format!("{base}/api/v1/stories")).expect("stories api");
    assert_eq!(status, 200);
    let list: serde_json::Value = serde_json::from_str(&api).expect("json");
    assert!(list["items"].as_array().expect("items").len() >= 6);
    let (status, page) = get(&format!("{base}/stories/{}", placed[&copy].story)).expect("story");
    assert_eq!(status, 200);
    assert!(page.contains("first to report"));
}

fn each_fetch_process_resumes_from_the_saved_engine_state(backend: Backend) {
    use std::sync::atomic::Ordering;
    let (origin, _rt) = support::start_origin_blocking();
    let site = support::Site::on(backend, "");
    site.ok(&["sources", "add", &origin.url("/good/feed.xml")]);
    origin.state.good_entries.store(2, Ordering::SeqCst);
    site.ok(&["fetch"]);
    let int = |v: &serde_json::Value| v.as_i64().expect("story_pipeline test");
    let first: Vec<(i64, i64)> = site
        .rows("SELECT article_id, story_id FROM article_stories ORDER BY article_id")
        .iter()
        .map(|r| (int(&r[0]), int(&r[1])))
        .collect();
    assert_eq!(first.len(), 2, "both articles of the first pass placed");
    let through = || site.query_i64("SELECT placed_through FROM story_state");
    assert_eq!(through(), first[1].0);

    origin.state.good_entries.store(4, Ordering::SeqCst);
    site.ok(&["fetch"]);
    let (articles, placed) = (
        site.query_i64("SELECT COUNT(*) FROM articles"),
        site.query_i64("SELECT COUNT(*) FROM article_stories"),
    );
    assert_eq!(
        (articles, placed),
        (4, 4),
        "the second pass placed only the new ones"
    );
    let max_id = site.query_i64("SELECT MAX(id) FROM articles");
    assert_eq!(through(), max_id);
    // Story ids continue from the restored engine: a story started in the second pass has an
    // id above every first-pass story, and the counts add up.
    let first_stories: Vec<i64> = first.iter().map(|(_, s)| *s).collect();
    let max_first = *first_stories.iter().max().expect("story_pipeline test");
    let later: Vec<i64> = site
        .rows(&format!(
            "SELECT story_id FROM article_stories WHERE article_id > {}",
            first[1].0
        ))
        .iter()
        .map(|r| int(&r[0]))
        .collect();
    assert_eq!(later.len(), 2);
    for story in later {
        assert!(
            first_stories.contains(&story) || story > max_first,
            "story {story} of a second-pass article reuses an id (first pass: {first_stories:?})"
        );
    }
    let total = site.query_i64("SELECT CAST(SUM(article_count) AS BIGINT) FROM stories");
    assert_eq!(total, 4);
}

support::on_both_backends!(each_fetch_process_resumes_from_the_saved_engine_state);
