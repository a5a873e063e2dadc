//! `newsdesk bench stories`: places generated articles online, one core, and prints articles/s
//! and memory. The stream runs on its own dates (about `per_day` articles a day), so a bounded
//! window must keep memory flat however long the stream is.
//!
//! A measurement, not a test: nothing here asserts a time.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};
use chrono::{Duration, TimeZone, Utc};
use newsdesk_stories::{Document, StoryConfig, StoryEngine};

/// Resident memory of this process now (VmRSS) and at its peak (VmHWM), in MiB.
fn memory_mib() -> (f64, f64) {
    let field = |name: &str| crate::status_mib(name).unwrap_or(f64::NAN);
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time used by this process so far (user + system), in seconds: on a shared machine the
/// articles per CPU-second say more than wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the name); 100 Hz.
    (ticks(11) + ticks(12)) / 100.0
}

/// A small deterministic generator (xorshift64*).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mer", "tin", "sa", "ve", "dor", "pi", "nu", "ral", "te", "gon", "bi", "mo", "les",
    "tra", "vi", "no", "ster", "ha", "qui", "pen", "du", "rei",
];
const LANGS: [&str; 5] = ["en", "de", "fr", "ru", "ja"];

fn word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// One generated event: its names, numbers and keywords.
struct Event {
    names: Vec<String>,
    numbers: Vec<u32>,
    keywords: Vec<String>,
    lang_bias: usize,
}

/// Generates the stream: events start over time and get articles for a few days; one article
/// in ten is an edited copy of an earlier one.
struct Generator {
    rng: Rng,
    vocabulary: Vec<String>,
    events: Vec<(i64, Event)>,
    recent: Vec<Document>,
    per_day: usize,
}

impl Generator {
    fn new(per_day: usize) -> Generator {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let vocabulary = (0..20_000).map(|i| word(&mut rng, 2 + i % 3)).collect();
        Generator {
            rng,
            vocabulary,
            events: Vec::new(),
            recent: Vec::new(),
            per_day,
        }
    }

    fn article(&mut self, i: usize) -> Document {
        let start = Utc
            .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let minutes = (i as i64 * 24 * 60) / self.per_day.max(1) as i64;
        let date = start + Duration::minutes(minutes);
        let id = format!("g{i}");
        // An edited copy of a recent article.
        if i % 10 == 9 && !self.recent.is_empty() {
            let k = self.rng.below(self.recent.len());
            let orig = &self.recent[k];
            let text = format!("{}\nAdvertisement\n© Example Wire", orig.text);
            return Document::new(id, orig.lang.clone(), Some(date), orig.title.clone(), text);
        }
        // Events live about three days; about one new event per 8 articles.
        let day = minutes / (24 * 60);
        self.events.retain(|(d, _)| day - d <= 3);
        if self.events.is_empty() || self.rng.below(8) == 0 {
            let names = (0..3)
                .map(|_| capitalise(&word(&mut self.rng, 3)))
                .collect();
            let numbers = (0..3).map(|_| (self.rng.next() % 10_000) as u32).collect();
            let keywords = (0..12)
                .map(|_| self.vocabulary[self.rng.below(self.vocabulary.len())].clone())
                .collect();
            let lang_bias = self.rng.below(LANGS.len());
            self.events.push((
                day,
                Event {
                    names,
                    numbers,
                    keywords,
                    lang_bias,
                },
            ));
        }
        let e = self.rng.below(self.events.len());
        let lang = {
            let (_, ev) = &self.events[e];
            LANGS[(ev.lang_bias + self.rng.below(2)) % LANGS.len()]
        };
        let (_, ev) = &self.events[e];
        let mut paragraphs = Vec::new();
        let mut rng = Rng(self.rng.next() | 1);
        for _ in 0..(4 + rng.below(8)) {
            let mut p = Vec::new();
            for w in 0..(5 + rng.below(75)) {
                let token = match rng.below(20) {
                    0 | 1 => ev.names[rng.below(ev.names.len())].clone(),
                    2 => ev.numbers[rng.below(ev.numbers.len())].to_string(),
                    3 => (rng.next() % 100_000).to_string(),
                    4..=9 => ev.keywords[rng.below(ev.keywords.len())].clone(),
                    _ => self.vocabulary[rng.below(self.vocabulary.len())].clone(),
                };
                p.push(if w == 0 { capitalise(&token) } else { token });
            }
            paragraphs.push(format!("{}.", p.join(" ")));
        }
        let title = format!(
            "{} {} {} {}",
            ev.names[0], ev.keywords[0], ev.keywords[1], ev.numbers[0]
        );
        let doc = Document::new(id, lang, Some(date), title, paragraphs.join("\n"));
        if self.recent.len() >= 256 {
            let k = self.rng.below(self.recent.len());
            self.recent[k] = doc.clone();
        } else {
            self.recent.push(doc.clone());
        }
        doc
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// CPU seconds `generate` takes to make `articles` articles (the same ones the run places):
/// subtracted from the run's CPU time so that articles per CPU-second count placement only.
fn generation_cpu(articles: usize, per_day: usize) -> f64 {
    let mut generator = Generator::new(per_day);
    let start = cpu_seconds();
    let mut bytes = 0usize;
    for i in 0..articles {
        bytes += generator.article(i).text.len();
    }
    std::hint::black_box(bytes);
    cpu_seconds() - start
}

/// Runs the benchmark.
pub fn run(articles: usize, per_day: usize, window_hours: i64) -> Result<ExitCode> {
    if articles == 0 || per_day == 0 || window_hours <= 0 {
        bail!("--articles, --per-day and --window-hours must be at least 1");
    }
    let generation = generation_cpu(articles, per_day);
    let mut generator = Generator::new(per_day);
    let mut engine = StoryEngine::new(StoryConfig {
        window_hours,
        ..StoryConfig::default()
    });
    let (rss0, _) = memory_mib();
    say!(
        "newsdesk bench stories: {articles} generated articles, {per_day} a day, window {window_hours} h (about {} articles), one thread",
        per_day as i64 * window_hours / 24
    );
    let mut copies = 0usize;
    let mut new_stories = 0usize;
    let checkpoints = 4;
    let started = Instant::now();
    let cpu_start = cpu_seconds();
    for i in 0..articles {
        let doc = generator.article(i);
        let p = engine.add(&doc);
        copies += usize::from(p.provenance.is_some());
        new_stories += usize::from(p.new_story);
        if (i + 1) % (articles / checkpoints).max(1) == 0 || i + 1 == articles {
            let (rss, peak) = memory_mib();
            let f = engine.footprint();
            say!(
                "  {:>7} articles: RSS {:>6.1} MiB (peak {:>6.1}), window {} articles, {} open stories, {} article vectors kept, {} centroid terms, {} features, {} ids, {} aliases, copy window {}",
                i + 1,
                rss,
                peak,
                f.window,
                f.open_stories,
                f.members,
                f.centroid_terms,
                f.features,
                f.article_ids,
                f.aliases,
                f.copy_window
            );
        }
    }
    let (_, peak) = memory_mib();
    let cpu = (cpu_seconds() - cpu_start - generation).max(f64::MIN_POSITIVE);
    let f = engine.footprint();
    say!(
        "placed {articles} articles: {:.2} CPU s placing ({:.0} articles per CPU-second; generation's {generation:.2} CPU s measured apart and excluded), {:.2} s wall in all; {new_stories} stories started, {copies} provenance links; {} open stories, window {} articles; RSS before {rss0:.1} MiB, peak {peak:.1} MiB",
        cpu,
        articles as f64 / cpu,
        started.elapsed().as_secs_f64(),
        f.open_stories,
        f.window,
    );
    Ok(ExitCode::SUCCESS)
}
