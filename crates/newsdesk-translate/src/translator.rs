//! The [`Translator`]: router + segmenter + protector + checker + typography + cache + stats
//! over a set of backends with their rate limits, retries and budgets.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::apertium::{ApertiumApy, ApertiumCli};
use crate::backend::{Backend, LangPair};
use crate::cache::cache_key;
use crate::check::repair_glued;
use crate::check::{LengthBounds, check_final, check_hop, check_pivot_leaks};
use crate::config::{BackendConfig, BackendKind, RouteConfig, TranslateConfig};
use crate::deepl::DeepL;
use crate::error::TranslateError;
use crate::language::normalize_language;
use crate::libretranslate::LibreTranslate;
use crate::names::Names;
use crate::openai::OpenAiChat;
use crate::protect::{ProtectOptions, Protected, protect_segment};
use crate::route::{Hop, Route, plan_route};
use crate::segment::split_sentences;
use crate::throttle::{RateLimiter, RetryPolicy};
use crate::typography::{apply_typography, repair_single_quotes};
use crate::unknown::{MarkedText, inner_capitalised_words, pivot_leaks};
use newsdesk_core::{TranslationCache, TranslationUsage};

/// A backend with the limits the translator enforces around it.
pub struct ManagedBackend {
    backend: Box<dyn Backend>,
    limiter: RateLimiter,
    retry: RetryPolicy,
    daily_char_budget: Option<u64>,
    batch_size: usize,
}

impl std::fmt::Debug for ManagedBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManagedBackend")
            .field("name", &self.backend.name())
            .field("retry", &self.retry)
            .field("daily_char_budget", &self.daily_char_budget)
            .finish()
    }
}

impl ManagedBackend {
    /// A backend without rate limit or budget, with the default retry policy.
    pub fn new(backend: Box<dyn Backend>) -> ManagedBackend {
        ManagedBackend {
            backend,
            limiter: RateLimiter::per_minute(None),
            retry: RetryPolicy::default(),
            daily_char_budget: None,
            batch_size: 50,
        }
    }

    /// Segments per call, at most (default 50).
    pub fn with_batch_size(mut self, segments: usize) -> ManagedBackend {
        self.batch_size = segments.max(1);
        self
    }

    /// At most `per_minute` calls a minute.
    pub fn with_rate_limit(mut self, per_minute: Option<u32>) -> ManagedBackend {
        self.limiter = RateLimiter::per_minute(per_minute);
        self
    }

    /// Retry policy for failed calls.
    pub fn with_retry(mut self, retry: RetryPolicy) -> ManagedBackend {
        self.retry = retry;
        self
    }

    /// Characters a day, at most.
    pub fn with_daily_budget(mut self, chars: Option<u64>) -> ManagedBackend {
        self.daily_char_budget = chars;
        self
    }

    /// The backend's name.
    pub fn name(&self) -> &str {
        self.backend.name()
    }
}

/// Translator-wide options (the non-backend part of [`TranslateConfig`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TranslatorOptions {
    /// Relay languages tried when no backend has a pair.
    pub pivots: Vec<String>,
    /// Forced routes.
    pub routes: Vec<RouteConfig>,
    /// Length-ratio bounds of the checker.
    pub bounds: LengthBounds,
    /// Prefix of a segment kept in its original language; `{lang}` is replaced.
    pub untranslated_marker: String,
    /// Largest share of a segment's words a leg out of a pivot language may leave in that
    /// language (words it did not know); above it the segment fails its checks.
    pub max_pivot_leak_share: f64,
    /// On a pivot route, pass the first leg's unknown words and the names it copied through
    /// the next legs unchanged (as placeholders).
    pub pivot_passthrough: bool,
}

impl Default for TranslatorOptions {
    fn default() -> Self {
        TranslatorOptions::from(&TranslateConfig::default())
    }
}

impl From<&TranslateConfig> for TranslatorOptions {
    fn from(c: &TranslateConfig) -> Self {
        TranslatorOptions {
            pivots: c.pivots.clone(),
            routes: c.routes.clone(),
            bounds: LengthBounds {
                min_ratio: c.min_length_ratio,
                max_ratio: c.max_length_ratio,
                ..LengthBounds::default()
            },
            untranslated_marker: c.untranslated_marker.clone(),
            max_pivot_leak_share: c.max_pivot_leak_share,
            pivot_passthrough: c.pivot_passthrough,
        }
    }
}

/// What happened to one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentStatus {
    /// Translated by the backends and checked.
    Translated,
    /// Every hop came from the cache.
    Cached,
    /// Failed the checks in its batch, passed when retried alone.
    Retried,
    /// Source and target languages are the same.
    Unchanged,
    /// Kept in the original language, with the marker, for this reason.
    KeptOriginal(String),
}

/// One segment and its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentOutcome {
    /// The original segment.
    pub source: String,
    /// The translation, or the marked original.
    pub text: String,
    /// What happened.
    pub status: SegmentStatus,
    /// Words a backend on the route did not know and left as they were (names, mostly).
    pub unknown_words: Vec<String>,
    /// Of those, words of a pivot language (unknown to a leg out of it, and not in the
    /// original segment) that are in the text.
    pub pivot_leaks: Vec<String>,
}

/// A translated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The translated text, lines (paragraphs) as in the source.
    pub text: String,
    /// The route taken (empty when source and target languages are the same).
    pub route: Route,
    /// Every segment, in order.
    pub segments: Vec<SegmentOutcome>,
}

impl Translation {
    /// Segments kept in the original language.
    pub fn kept_original(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s.status, SegmentStatus::KeptOriginal(_)))
            .count()
    }
}

/// Result of one hop for one segment.
enum HopOutcome {
    Done {
        /// The answer passed on (marks included when the hop asked for [`Answer::Marked`]).
        text: String,
        /// The answer with Apertium's marks, when the hop asked for them (not from the cache).
        marked: Option<String>,
        cached: bool,
        retried: bool,
    },
    Failed(String),
}

/// What a hop asks a backend for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The translation only.
    Plain,
    /// The translation with its unknown-word marks, passed on to the next leg (which gets the
    /// first leg's unknown words and names as placeholders).
    Marked,
    /// The translation without marks (what is emitted), and with them (to count unknown words
    /// and find pivot-language leaks): the marks change the backend's own post-generation
    /// (French elision before a marked word), so the emitted text comes from the plain call.
    Both,
}

/// Translates texts faithfully: segments them into sentences (never splitting a quotation),
/// protects what must not change, routes each pair over the configured backends (through a pivot
/// when needed), checks every segment (retrying it alone, then keeping the original with a
/// marker), applies the target's typography, and caches every checked hop.
pub struct Translator {
    backends: Vec<ManagedBackend>,
    cache: Arc<dyn TranslationCache>,
    options: TranslatorOptions,
    run_usage: Mutex<BTreeMap<String, TranslationUsage>>,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator")
            .field("backends", &self.backends)
            .field("options", &self.options)
            .finish()
    }
}

fn api_key(b: &BackendConfig, required: bool) -> Result<Option<String>, TranslateError> {
    match &b.api_key_env {
        Some(var) => match std::env::var(var) {
            Ok(k) if !k.is_empty() => Ok(Some(k)),
            _ => Err(TranslateError::Config(format!(
                "backend {}: environment variable {var} (api_key_env) is not set",
                b.name()
            ))),
        },
        None if required => Err(TranslateError::Config(format!(
            "backend {}: api_key_env is required",
            b.name()
        ))),
        None => Ok(None),
    }
}

fn parse_pairs(b: &BackendConfig) -> Result<Vec<LangPair>, TranslateError> {
    b.pairs
        .iter()
        .map(|p| {
            LangPair::parse(p).ok_or_else(|| {
                TranslateError::Config(format!(
                    "backend {}: invalid pair {p:?} (want en-fr or *)",
                    b.name()
                ))
            })
        })
        .collect()
}

/// Builds one backend from its configuration (connecting to Apertium-APy to read its pairs).
pub async fn build_backend(b: &BackendConfig) -> Result<ManagedBackend, TranslateError> {
    let name = b.name();
    let timeout = Duration::from_secs(b.timeout_secs.max(1));
    let pairs = parse_pairs(b)?;
    let url = || {
        b.url
            .clone()
            .ok_or_else(|| TranslateError::Config(format!("backend {name}: url is required")))
    };
    let need_pairs = || {
        if pairs.is_empty() {
            Err(TranslateError::Config(format!(
                "backend {name}: list its pairs (e.g. pairs = [\"en-fr\"] or [\"*\"])"
            )))
        } else {
            Ok(())
        }
    };
    let backend: Box<dyn Backend> = match b.kind {
        BackendKind::Apertium => {
            Box::new(ApertiumCli::new(&name, b.modes_dir.as_deref(), timeout).restrict(&pairs))
        }
        BackendKind::ApertiumApy => Box::new(ApertiumApy::connect(&name, &url()?, timeout).await?),
        BackendKind::Libretranslate => {
            need_pairs()?;
            Box::new(LibreTranslate::new(
                &name,
                &url()?,
                api_key(b, false)?,
                pairs.clone(),
                timeout,
            )?)
        }
        BackendKind::Deepl => {
            need_pairs()?;
            let key = api_key(b, true)?.unwrap_or_default();
            Box::new(DeepL::new(&name, &url()?, key, pairs.clone(), timeout)?)
        }
        BackendKind::Openai => {
            need_pairs()?;
            let model = b.model.clone().ok_or_else(|| {
                TranslateError::Config(format!("backend {name}: model is required"))
            })?;
            Box::new(OpenAiChat::new(
                &name,
                &url()?,
                api_key(b, false)?,
                &model,
                pairs.clone(),
                timeout,
            )?)
        }
    };
    Ok(ManagedBackend::new(backend)
        .with_rate_limit(b.requests_per_minute)
        .with_retry(RetryPolicy {
            max_retries: b.max_retries,
            base_delay: Duration::from_millis(b.retry_base_ms),
            max_delay: Duration::from_secs(b.retry_max_secs),
        })
        .with_daily_budget(b.daily_char_budget)
        .with_batch_size(b.batch_size()))
}

impl Translator {
    /// A translator over `backends` (in order of preference) with `cache`.
    pub fn new(
        backends: Vec<ManagedBackend>,
        cache: Arc<dyn TranslationCache>,
        options: TranslatorOptions,
    ) -> Translator {
        Translator {
            backends,
            cache,
            options,
            run_usage: Mutex::new(BTreeMap::new()),
        }
    }

    /// Builds the backends of a `[translate]` table over `cache`. The table's `cache` file is
    /// not opened here: this crate keeps no files, the caller opens it (newsdesk opens it, or
    /// its main database, with `newsdesk-store`; tests and one-off runs pass a [`MemoryCache`]).
    ///
    /// [`MemoryCache`]: crate::MemoryCache
    pub async fn from_config(
        config: &TranslateConfig,
        cache: Arc<dyn TranslationCache>,
    ) -> Result<Translator, TranslateError> {
        let mut names = Vec::new();
        let mut backends = Vec::new();
        for b in &config.backends {
            if names.contains(&b.name()) {
                return Err(TranslateError::Config(format!(
                    "two backends are named {}: give one a `name`",
                    b.name()
                )));
            }
            names.push(b.name());
            backends.push(build_backend(b).await?);
        }
        Ok(Translator::new(
            backends,
            cache,
            TranslatorOptions::from(config),
        ))
    }

    /// The cache (translations and usage counters).
    pub fn cache(&self) -> &Arc<dyn TranslationCache> {
        &self.cache
    }

    /// Names and pairs of the backends, in order of preference.
    pub fn backends(&self) -> Vec<(String, Vec<LangPair>)> {
        self.backends
            .iter()
            .map(|b| (b.name().to_string(), b.backend.pairs()))
            .collect()
    }

    /// TranslationUsage of each backend since this translator was built.
    pub fn run_usage(&self) -> BTreeMap<String, TranslationUsage> {
        self.run_usage.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The route from `from` to `to`.
    pub fn route(&self, from: &str, to: &str) -> Result<Route, TranslateError> {
        plan_route(
            from,
            to,
            &self.backends(),
            &self.options.routes,
            &self.options.pivots,
        )
    }

    /// Translates a plain text: each line is a paragraph, segmented into sentences; the
    /// translation keeps the lines.
    pub async fn translate_text(
        &self,
        text: &str,
        from: &str,
        to: &str,
    ) -> Result<Translation, TranslateError> {
        self.translate_text_with_names(text, from, to, &[]).await
    }

    /// Like [`Translator::translate_text`], with names the text's own capitals do not show
    /// (an article's title and authors): with the names the text uses inside its sentences,
    /// they pass the backends unchanged (see [`Names`]).
    pub async fn translate_text_with_names(
        &self,
        text: &str,
        from: &str,
        to: &str,
        given_names: &[&str],
    ) -> Result<Translation, TranslateError> {
        let from_n = normalize_language(from);
        let names = Names::from_text(text, &from_n, given_names);
        let (segments, per_line) = text_segments(text, &from_n);
        let (route, outcomes) = self
            .translate_segments_routed(&segments, from, to, &vec![&names; segments.len()])
            .await?;
        Ok(Translation {
            text: join_lines(&per_line, &outcomes),
            route,
            segments: outcomes,
        })
    }

    /// Several texts at once, each exactly as [`Translator::translate_text`] translates it
    /// (its own sentences and names), but their segments go to each backend together: one
    /// Apertium call per hop for all of them instead of one per text.
    pub async fn translate_texts(
        &self,
        texts: &[&str],
        from: &str,
        to: &str,
    ) -> Result<Vec<Translation>, TranslateError> {
        let from_n = normalize_language(from);
        let names: Vec<Names> = texts
            .iter()
            .map(|t| Names::from_text(t, &from_n, &[]))
            .collect();
        let mut segments = Vec::new();
        let mut segment_names = Vec::new();
        let mut shapes = Vec::with_capacity(texts.len());
        for (text, names) in texts.iter().zip(&names) {
            let (s, per_line) = text_segments(text, &from_n);
            segment_names.extend(std::iter::repeat_n(names, s.len()));
            shapes.push((s.len(), per_line));
            segments.extend(s);
        }
        let (route, outcomes) = self
            .translate_segments_routed(&segments, from, to, &segment_names)
            .await?;
        let mut it = outcomes.into_iter();
        Ok(shapes
            .into_iter()
            .map(|(n, per_line)| {
                let outcomes: Vec<SegmentOutcome> = it.by_ref().take(n).collect();
                Translation {
                    text: join_lines(&per_line, &outcomes),
                    route: route.clone(),
                    segments: outcomes,
                }
            })
            .collect())
    }

    /// Translates segments (sentences) one for one.
    pub async fn translate_segments(
        &self,
        segments: &[String],
        from: &str,
        to: &str,
    ) -> Result<Vec<SegmentOutcome>, TranslateError> {
        let names = Names::from_text(&segments.join("\n"), &normalize_language(from), &[]);
        Ok(self
            .translate_segments_routed(segments, from, to, &vec![&names; segments.len()])
            .await?
            .1)
    }

    /// Translates `segments`, each protected with its own entry of `names`.
    async fn translate_segments_routed(
        &self,
        segments: &[String],
        from: &str,
        to: &str,
        names: &[&Names],
    ) -> Result<(Route, Vec<SegmentOutcome>), TranslateError> {
        let from = normalize_language(from);
        let to = normalize_language(to);
        if from == to {
            let out = segments
                .iter()
                .map(|s| SegmentOutcome {
                    source: s.clone(),
                    text: s.clone(),
                    status: SegmentStatus::Unchanged,
                    unknown_words: Vec::new(),
                    pivot_leaks: Vec::new(),
                })
                .collect();
            return Ok((Route { hops: Vec::new() }, out));
        }
        let route = self.route(&from, &to)?;
        let mut keeps_numbers = true;
        for hop in &route.hops {
            keeps_numbers &= self.managed(&hop.backend)?.backend.keeps_numbers();
        }
        let options = ProtectOptions {
            numbers: !keeps_numbers,
        };
        let mut protected: Vec<Protected> = segments
            .iter()
            .zip(names)
            .map(|(s, names)| protect_segment(s, options, names, Some((&from, &to))))
            .collect();
        let n = segments.len();
        let mut current: Vec<Option<String>> =
            protected.iter().map(|p| Some(p.text.clone())).collect();
        let mut failure: Vec<Option<String>> = vec![None; n];
        let mut failed_backend: Vec<Option<String>> = vec![None; n];
        let mut all_cached = vec![true; n];
        let mut retried = vec![false; n];
        let mut unknown: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut leaks: Vec<Vec<String>> = vec![Vec::new(); n];
        let last_hop = route.hops.len().saturating_sub(1);
        for (h, hop) in route.hops.iter().enumerate() {
            let want = if !self.managed(&hop.backend)?.backend.marks_unknown() {
                Answer::Plain
            } else if h < last_hop {
                Answer::Marked
            } else if h > 0 {
                Answer::Both
            } else {
                Answer::Plain
            };
            let outcomes = self
                .run_hop(hop, want, segments, &protected, &current)
                .await?;
            for (i, o) in outcomes.into_iter().enumerate() {
                match o {
                    None => {}
                    Some(HopOutcome::Done {
                        text,
                        marked,
                        cached,
                        retried: r,
                    }) => {
                        let sent = current[i].as_deref().unwrap_or_default();
                        if let Some(marked) = marked
                            .as_deref()
                            .or((want == Answer::Marked).then_some(text.as_str()))
                        {
                            let m = MarkedText::parse(marked, sent);
                            for w in m.untranslated() {
                                if !unknown[i].iter().any(|u| u == w) {
                                    unknown[i].push(w.to_string());
                                }
                            }
                            if h > 0 {
                                leaks[i].extend(
                                    pivot_leaks(&m, &segments[i])
                                        .into_iter()
                                        .map(str::to_string),
                                );
                            }
                        }
                        let text = if want == Answer::Marked {
                            let m = MarkedText::parse(&text, sent);
                            if self.options.pivot_passthrough {
                                pass_through(&m, &segments[i], &mut protected[i])
                            } else {
                                m.clean()
                            }
                        } else {
                            text
                        };
                        current[i] = Some(text);
                        all_cached[i] &= cached;
                        retried[i] |= r;
                    }
                    Some(HopOutcome::Failed(reason)) => {
                        current[i] = None;
                        failure[i] =
                            Some(format!("{} {}→{}: {reason}", hop.backend, hop.from, hop.to));
                        failed_backend[i] = Some(hop.backend.clone());
                    }
                }
            }
        }
        let marker = self
            .options
            .untranslated_marker
            .replace("{lang}", &from.to_uppercase());
        let last_backend = route
            .hops
            .last()
            .map(|h| h.backend.clone())
            .unwrap_or_default();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let result = match &current[i] {
                Some(raw) => {
                    let raw = decapitalise_after_placeholders(&protected[i].text, raw);
                    let typed = apply_typography(&raw, &to);
                    protected[i]
                        .restore(&typed)
                        .map_err(|p| p.to_string())
                        .and_then(|restored| {
                            check_final(&segments[i], &restored).map_err(|f| f.to_string())
                        })
                        // Checked on the original figures; emitted in the target's conventions.
                        .and_then(|()| {
                            protected[i]
                                .restore_localised(&typed)
                                .map_err(|p| p.to_string())
                        })
                }
                None => Err(failure[i].clone().unwrap_or_else(|| "failed".to_string())),
            };
            let outcome = match result {
                Ok(text) => SegmentOutcome {
                    source: segments[i].clone(),
                    text,
                    status: if retried[i] {
                        SegmentStatus::Retried
                    } else if all_cached[i] {
                        SegmentStatus::Cached
                    } else {
                        SegmentStatus::Translated
                    },
                    unknown_words: std::mem::take(&mut unknown[i]),
                    pivot_leaks: std::mem::take(&mut leaks[i]),
                },
                Err(reason) => {
                    let backend = failed_backend[i]
                        .clone()
                        .unwrap_or_else(|| last_backend.clone());
                    tracing::debug!(stage = "translate", %backend, %reason, "segment kept in its original language");
                    self.record(
                        &backend,
                        TranslationUsage {
                            kept_original: 1,
                            ..TranslationUsage::default()
                        },
                    );
                    SegmentOutcome {
                        source: segments[i].clone(),
                        text: format!("{marker}{}", segments[i]),
                        status: SegmentStatus::KeptOriginal(reason),
                        unknown_words: Vec::new(),
                        pivot_leaks: Vec::new(),
                    }
                }
            };
            out.push(outcome);
        }
        Ok((route, out))
    }

    fn managed(&self, name: &str) -> Result<&ManagedBackend, TranslateError> {
        self.backends
            .iter()
            .find(|b| b.name() == name)
            .ok_or_else(|| TranslateError::Config(format!("no backend named {name}")))
    }

    /// Adds to a backend's counters, for this run and in the cache (today).
    fn record(&self, backend: &str, u: TranslationUsage) {
        if let Ok(mut m) = self.run_usage.lock() {
            *m.entry(backend.to_string()).or_default() += u;
        }
        let today = chrono::Utc::now().date_naive();
        if let Err(e) = self.cache.add_usage(backend, today, u) {
            tracing::warn!(stage = "translate", %backend, error = %e, "cannot record translation usage");
        }
    }

    /// One hop over every still-alive segment: cache, batches, checks, retry alone.
    /// With [`Answer::Both`] the hop translates out of a pivot language (`originals` are the
    /// segments in the source language, against which leaked pivot-language words are found).
    async fn run_hop(
        &self,
        hop: &Hop,
        want: Answer,
        originals: &[String],
        protected: &[Protected],
        current: &[Option<String>],
    ) -> Result<Vec<Option<HopOutcome>>, TranslateError> {
        let mb = self.managed(&hop.backend)?;
        let name = mb.name().to_string();
        let mut out: Vec<Option<HopOutcome>> = (0..current.len()).map(|_| None).collect();
        // Unique texts to translate → the segments that carry them.
        let mut todo: Vec<String> = Vec::new();
        let mut carriers: HashMap<String, Vec<usize>> = HashMap::new();
        let mut hits = 0u64;
        for (i, text) in current.iter().enumerate() {
            let Some(text) = text else { continue };
            let key = cache_key(&name, &hop.from, &hop.to, text);
            if let Some(t) = self.cache.get(&key)? {
                hits += 1;
                out[i] = Some(HopOutcome::Done {
                    text: t,
                    marked: None,
                    cached: true,
                    retried: false,
                });
                continue;
            }
            let e = carriers.entry(text.clone()).or_default();
            if e.is_empty() {
                todo.push(text.clone());
            }
            e.push(i);
        }
        if hits > 0 {
            self.record(
                &name,
                TranslationUsage {
                    cache_hits: hits,
                    ..TranslationUsage::default()
                },
            );
        }
        for chunk in todo.chunks(mb.batch_size) {
            let answer = self.answer(mb, chunk, hop, want).await;
            for (k, text) in chunk.iter().enumerate() {
                let idx = carriers.get(text).cloned().unwrap_or_default();
                let Some(&first) = idx.first() else { continue };
                let sent = Protected {
                    text: text.clone(),
                    ..protected[first].clone()
                };
                let outcome = match &answer {
                    Ok(v) => {
                        let (raw, marked) = tidy(text, &v[k]);
                        match self.check(mb, &originals[first], &sent, &raw, marked.as_deref()) {
                            Ok(()) => {
                                self.cache
                                    .put(&cache_key(&name, &hop.from, &hop.to, text), &raw)?;
                                HopOutcome::Done {
                                    text: raw,
                                    marked,
                                    cached: false,
                                    retried: false,
                                }
                            }
                            Err(f) => {
                                tracing::debug!(stage = "translate", backend = %name, failure = %f, "segment failed its checks; retrying it alone");
                                self.record(
                                    &name,
                                    TranslationUsage {
                                        check_failures: 1,
                                        ..TranslationUsage::default()
                                    },
                                );
                                self.retry_alone(
                                    mb,
                                    hop,
                                    (want, &originals[first]),
                                    &sent,
                                    &f.to_string(),
                                )
                                .await?
                            }
                        }
                    }
                    Err(TranslateError::BadAnswer { .. }) => {
                        self.retry_alone(
                            mb,
                            hop,
                            (want, &originals[first]),
                            &sent,
                            "bad answer to the batch",
                        )
                        .await?
                    }
                    Err(e) => HopOutcome::Failed(e.to_string()),
                };
                let mut idx = idx.into_iter();
                if let Some(last) = idx.next_back() {
                    for i in idx {
                        out[i] = Some(clone_outcome(&outcome));
                    }
                    out[last] = Some(outcome);
                }
            }
        }
        Ok(out)
    }

    async fn retry_alone(
        &self,
        mb: &ManagedBackend,
        hop: &Hop,
        (want, original): (Answer, &str),
        sent: &Protected,
        first_failure: &str,
    ) -> Result<HopOutcome, TranslateError> {
        let name = mb.name();
        let one = std::slice::from_ref(&sent.text);
        match self.answer(mb, one, hop, want).await {
            Ok(v) => {
                let (raw, marked) = tidy(&sent.text, &v[0]);
                match self.check(mb, original, sent, &raw, marked.as_deref()) {
                    Ok(()) => {
                        self.cache
                            .put(&cache_key(name, &hop.from, &hop.to, &sent.text), &raw)?;
                        Ok(HopOutcome::Done {
                            text: raw,
                            marked,
                            cached: false,
                            retried: true,
                        })
                    }
                    Err(f) => {
                        self.record(
                            name,
                            TranslationUsage {
                                check_failures: 1,
                                ..TranslationUsage::default()
                            },
                        );
                        Ok(HopOutcome::Failed(format!("{first_failure}; alone: {f}")))
                    }
                }
            }
            Err(e) => Ok(HopOutcome::Failed(format!("{first_failure}; alone: {e}"))),
        }
    }

    /// The checks of one hop's answer `raw` (marks taken out first); `marked`, with
    /// [`Answer::Both`], is the answer with its marks, whose pivot-language leaks are checked.
    /// Counts the words the backend did not know when the answer passes.
    fn check(
        &self,
        mb: &ManagedBackend,
        original: &str,
        sent: &Protected,
        raw: &str,
        marked: Option<&str>,
    ) -> Result<(), crate::check::CheckFailure> {
        if !mb.backend.marks_unknown() {
            return check_hop(sent, raw, self.options.bounds);
        }
        let m = MarkedText::parse(marked.unwrap_or(raw), &sent.text);
        let clean = MarkedText::parse(raw, &sent.text).clean();
        check_hop(sent, &clean, self.options.bounds)?;
        if marked.is_some() {
            let leaks = pivot_leaks(&m, original);
            check_pivot_leaks(&leaks, &clean, self.options.max_pivot_leak_share)?;
        }
        let unknown = m.untranslated().count() as u64;
        if unknown > 0 {
            self.record(
                mb.name(),
                TranslationUsage {
                    unknown_words: unknown,
                    ..TranslationUsage::default()
                },
            );
        }
        Ok(())
    }

    /// The backend's answers for one hop: `(text, marked)` per segment (see [`Answer`]); with
    /// [`Answer::Both`] the two calls run at the same time.
    async fn answer(
        &self,
        mb: &ManagedBackend,
        segments: &[String],
        hop: &Hop,
        want: Answer,
    ) -> Result<Vec<(String, Option<String>)>, TranslateError> {
        let (from, to) = (hop.from.as_str(), hop.to.as_str());
        match want {
            Answer::Plain => Ok(self
                .call(mb, segments, from, to, false)
                .await?
                .into_iter()
                .map(|t| (t, None))
                .collect()),
            Answer::Marked => Ok(self
                .call(mb, segments, from, to, true)
                .await?
                .into_iter()
                .map(|t| (t, None))
                .collect()),
            Answer::Both => {
                let (plain, marked) = tokio::join!(
                    self.call(mb, segments, from, to, false),
                    self.call(mb, segments, from, to, true)
                );
                Ok(plain?
                    .into_iter()
                    .zip(marked?)
                    .map(|(p, m)| (p, Some(m)))
                    .collect())
            }
        }
    }

    /// One backend call with budget, rate limit, retries and accounting; the answer has exactly
    /// one translation per segment (with the backend's unknown-word marks when `marked`).
    async fn call(
        &self,
        mb: &ManagedBackend,
        segments: &[String],
        from: &str,
        to: &str,
        marked: bool,
    ) -> Result<Vec<String>, TranslateError> {
        let name = mb.name().to_string();
        let wanted: u64 = segments.iter().map(|s| s.chars().count() as u64).sum();
        let mut attempt = 0u32;
        loop {
            if let Some(budget) = mb.daily_char_budget {
                let today = chrono::Utc::now().date_naive();
                let used = self
                    .cache
                    .usage(Some(today))?
                    .get(&name)
                    .map_or(0, |u| u.chars);
                if used + wanted > budget {
                    return Err(TranslateError::BudgetExceeded {
                        backend: name,
                        budget,
                        used,
                        wanted,
                    });
                }
            }
            mb.limiter.acquire().await;
            let result = if marked {
                mb.backend.translate_marked(segments, from, to).await
            } else {
                mb.backend.translate(segments, from, to).await
            };
            let result = match result {
                Ok(v) if v.len() == segments.len() => Ok(v),
                Ok(v) => Err(TranslateError::BadAnswer {
                    backend: name.clone(),
                    url: name.clone(),
                    message: format!("{} translations for {} segments", v.len(), segments.len()),
                }),
                Err(e) => Err(e),
            };
            match result {
                Ok(v) => {
                    self.record(
                        &name,
                        TranslationUsage {
                            chars: wanted,
                            calls: 1,
                            segments: segments.len() as u64,
                            ..TranslationUsage::default()
                        },
                    );
                    return Ok(v);
                }
                Err(e) => {
                    self.record(
                        &name,
                        TranslationUsage {
                            calls: 1,
                            errors: 1,
                            ..TranslationUsage::default()
                        },
                    );
                    let retry_after = match &e {
                        TranslateError::RateLimited { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let delay = if e.is_transient() {
                        mb.retry.delay(attempt, retry_after)
                    } else {
                        None
                    };
                    match delay {
                        Some(d) => {
                            tracing::info!(stage = "translate", backend = %name, error = %e, delay_ms = d.as_millis() as u64, "retrying");
                            tokio::time::sleep(d).await;
                            attempt += 1;
                        }
                        None => return Err(e),
                    }
                }
            }
        }
    }
}

/// An answer as kept: words the backend glued together taken apart, single quotes repaired and
/// spaces collapsed, in the text and in its marked
/// version.
fn tidy(sent: &str, (text, marked): &(String, Option<String>)) -> (String, Option<String>) {
    let one = |t: &str| repair_single_quotes(sent, &repair_glued(sent, &collapse_spaces(t)));
    (one(text), marked.as_deref().map(one))
}

/// Trims and collapses runs of spaces (Apertium leaves two where it drops a pronoun).
fn collapse_spaces(s: &str) -> String {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Apertium starts a sentence again after a placeholder it did not know (`ZZ1ZZ Choisit`):
/// a word right after a placeholder (or after its comma) is put back in lower case when the
/// word after that placeholder in the text sent was in lower case.
fn decapitalise_after_placeholders(sent: &str, raw: &str) -> String {
    static AFTER: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i:zz(\d{1,5})zz)(,? )(\p{Lu})(\p{Ll}| )").ok()
    });
    let Some(re) = AFTER.as_ref() else {
        return raw.to_string();
    };
    // Placeholders followed by a capital in the text sent keep the capital after them.
    let capital_after: Vec<&str> = re
        .captures_iter(sent)
        .filter_map(|c| c.get(1).map(|n| n.as_str()))
        .collect();
    let lower_it = |n: &str| {
        !capital_after.contains(&n)
            && sent.contains(&crate::protect::placeholder(n.parse().unwrap_or(0)))
    };
    re.replace_all(raw, |c: &regex::Captures<'_>| {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let (Some(n), Some(cap)) = (c.get(1), c.get(3)) else {
            return whole.to_string();
        };
        if !lower_it(n.as_str()) {
            return whole.to_string();
        }
        let start = cap.start() - c.get(0).map_or(0, |m| m.start());
        format!(
            "{}{}{}",
            &whole[..start],
            cap.as_str().to_lowercase(),
            &whole[start + cap.as_str().len()..]
        )
    })
    .into_owned()
}

fn clone_outcome(o: &HopOutcome) -> HopOutcome {
    match o {
        HopOutcome::Done {
            text,
            marked,
            cached,
            retried,
        } => HopOutcome::Done {
            text: text.clone(),
            marked: marked.clone(),
            cached: *cached,
            retried: *retried,
        },
        HopOutcome::Failed(r) => HopOutcome::Failed(r.clone()),
    }
}

/// The text for the next leg of a pivot route: each word the leg did not know, and each name
/// of the original that it copied unchanged, becomes a new placeholder of `protected` (so the
/// next leg passes it through and the final restore puts it back); other marks are taken out.
fn pass_through(m: &MarkedText, original: &str, protected: &mut Protected) -> String {
    let add = |word: &str, protected: &mut Protected| protected.push_slot(word);
    let text = m.replace(|w| {
        if w.untranslated() {
            add(&w.word, protected)
        } else {
            w.word.clone()
        }
    });
    let names = inner_capitalised_words(original);
    if names.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut word_start: Option<usize> = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '-';
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (word_start, is_word(c)) {
            (None, true) => word_start = Some(i),
            (Some(s), false) => {
                let word = &text[s..i];
                if names.contains(word) {
                    out.push_str(&add(word, protected));
                } else {
                    out.push_str(word);
                }
                word_start = None;
                if i < text.len() {
                    out.push(c);
                }
            }
            (None, false) => {
                if i < text.len() {
                    out.push(c);
                }
            }
            (Some(_), true) => {}
        }
    }
    out
}

/// A text's segments (its lines split into sentences) and how many each line has.
fn text_segments(text: &str, from: &str) -> (Vec<String>, Vec<usize>) {
    let mut segments = Vec::new();
    let mut per_line = Vec::new();
    for line in text.lines() {
        let s = split_sentences(line, from);
        per_line.push(s.len());
        segments.extend(s.into_iter().map(str::to_string));
    }
    (segments, per_line)
}

/// The translated text: each line's segments joined by a space, lines as in the source.
fn join_lines(per_line: &[usize], outcomes: &[SegmentOutcome]) -> String {
    let mut out = String::new();
    let mut it = outcomes.iter();
    for (i, n) in per_line.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let parts: Vec<&str> = it.by_ref().take(*n).map(|o| o.text.as_str()).collect();
        out.push_str(&parts.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::protect_with;

    #[test]
    fn the_first_legs_unknown_words_and_copied_names_become_placeholders() {
        let original = "Dr. Amelia Hart met J. K. Moreno on 12 May.";
        let mut p = protect_with(original, ProtectOptions { numbers: false });
        let sent = p.text.clone();
        let raw = "Dr. Amelia *Hart cumplió *J. *K. Moreno el 12 de #mayo.";
        let m = MarkedText::parse(raw, &sent);
        let next = pass_through(&m, original, &mut p);
        assert_eq!(
            next,
            "Dr. ZZ4ZZ ZZ1ZZ cumplió ZZ2ZZ ZZ3ZZ ZZ5ZZ el 12 de mayo."
        );
        assert_eq!(p.slots, vec!["Hart", "J.", "K.", "Amelia", "Moreno"]);
        // Whatever the next leg does around them, the restore puts the words back.
        assert_eq!(
            p.restore("Dr. ZZ4ZZ ZZ1ZZ a rencontré ZZ2ZZ ZZ3ZZ ZZ5ZZ le 12 mai.")
                .unwrap(),
            "Dr. Amelia Hart a rencontré J. K. Moreno le 12 mai."
        );
        // A lost name is a lost placeholder: the checker sees it.
        assert!(
            p.restore("Dr. ZZ4ZZ ZZ1ZZ a rencontré ZZ2ZZ ZZ3ZZ Brun.")
                .is_err()
        );
    }

    #[test]
    fn a_word_after_a_name_keeps_its_lower_case() {
        assert_eq!(
            decapitalise_after_placeholders(
                "ZZ1ZZ picks ZZ2ZZ. ZZ3ZZ, who ran, won. ZZ4ZZ Paris.",
                "ZZ1ZZ Choisit ZZ2ZZ. ZZ3ZZ, Qui courait, a gagné. ZZ4ZZ Paris. ZZ1ZZ A dit."
            ),
            "ZZ1ZZ choisit ZZ2ZZ. ZZ3ZZ, qui courait, a gagné. ZZ4ZZ Paris. ZZ1ZZ a dit."
        );
    }

    #[test]
    fn answers_are_tidied_with_their_marked_twin() {
        let (text, marked) = tidy(
            "It's here.",
            &("Es  aquí.".to_string(), Some("Es  *aquí.".to_string())),
        );
        assert_eq!(text, "Es aquí.");
        assert_eq!(marked.as_deref(), Some("Es *aquí."));
    }
}
