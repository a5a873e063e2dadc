//! The translate stage for the editions: titles, leads and (optionally) bodies of new articles
//! translated into each edition's language and stored beside the originals.
//!
//! Articles are grouped by source language and translated a few at a time in one
//! [`Translator::translate_text`] call (one line per title, lead and body paragraph), so a
//! backend with a costly start-up (Apertium: ~0.2 s a call) is started once per group, not per
//! text. An article whose language has no route into the edition is stored as untranslated,
//! with the reason, so the site can say so and the next pass does not try again.
//!
//! Translated segments and the backends' usage counters are kept in the main database (the
//! store implements the translation cache) unless `[translate] cache` names a file of their own
//! ([`translation_cache`]): a second `fetch`, or `serve` after a restart, does not ask the
//! backends again for what they already translated.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use newsdesk_core::ArticleId;
use newsdesk_store::{ArticleTranslation, Store, TranslationStatus};
use newsdesk_translate::{
    Route, SegmentStatus, TranslateConfig, TranslationCache, Translator, normalize_language,
    split_sentences,
};
use newsdesk_web::{BodyFuture, BodyTranslation, BodyTranslator, EditionConfig};
use tracing::{debug, info, warn};

use super::Progress;
use crate::PipelineError;

/// Articles looked at per edition and pass, at most (newest first).
pub const MAX_ARTICLES_PER_PASS: u32 = 500;
/// Characters of original text sent in one call, at most (a group closes once it is reached).
pub const MAX_GROUP_CHARS: usize = 40_000;
/// Articles sent in one call, at most.
pub const MAX_GROUP_ARTICLES: usize = 12;

/// What a translation pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TranslationReport {
    /// Articles translated.
    pub translated: u64,
    /// Articles left untranslated (no route, or not selected by the edition).
    pub untranslated: u64,
    /// Articles whose translation failed (left for the next pass).
    pub failed: u64,
}

impl std::fmt::Display for TranslationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "translations: {} translated, {} left untranslated, {} failed",
            self.translated, self.untranslated, self.failed
        )
    }
}

/// The texts of one article to translate, one paragraph a line.
struct Job {
    id: ArticleId,
    title: String,
    /// Authors' names: passed to the backends as names, not translated.
    authors: Vec<String>,
    lead: Option<String>,
    body: Option<Vec<String>>,
}

impl Job {
    fn lines(&self) -> Vec<&str> {
        let mut lines = vec![self.title.as_str()];
        if let Some(l) = &self.lead {
            lines.push(l);
        }
        if let Some(b) = &self.body {
            lines.extend(b.iter().map(String::as_str));
        }
        lines
    }

    fn chars(&self) -> usize {
        self.lines().iter().map(|l| l.len() + 1).sum()
    }
}

/// One line: newlines and runs of white space folded to one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body's paragraphs (non-empty lines, folded).
fn paragraphs(body_text: &str) -> Vec<String> {
    body_text
        .lines()
        .map(one_line)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The translation cache of a `[translate]` table: the database file its `cache` names
/// (relative to `base_dir`), else `store`'s own database.
pub fn translation_cache(
    config: &TranslateConfig,
    base_dir: &Path,
    store: &Store,
) -> Result<Arc<dyn TranslationCache>, PipelineError> {
    Ok(match &config.cache {
        Some(file) => Arc::new(Store::open_translation_cache(&base_dir.join(file))?),
        None => Arc::new(store.clone()),
    })
}

/// The translator of a configuration: backends from `[translate]`; the cache in its own file
/// when `[translate] cache` names one (relative to the configuration's directory), else in
/// `store`'s database.
pub async fn translator_for(
    config: &crate::settings::PipelineSettings<'_>,
    store: &Store,
) -> Result<Translator, PipelineError> {
    let cache = translation_cache(config.translate, config.base_dir, store)?;
    Ok(Translator::from_config(config.translate, cache).await?)
}

/// The translate stage of a configuration: `None` when no `[[editions]]` are configured;
/// otherwise the translator of [`translator_for`]. Wire it with `Ingest::with_translation`
/// and, for `bodies = "on_view"`, as the web server's `Editions::body_translator`.
pub async fn for_config(
    config: &crate::settings::PipelineSettings<'_>,
    store: &Store,
) -> Result<Option<EditionTranslation>, crate::PipelineError> {
    if config.editions.is_empty() {
        return Ok(None);
    }
    let translator = translator_for(config, store).await?;
    Ok(Some(EditionTranslation::new(
        store.clone(),
        Arc::new(translator),
        config.editions.to_vec(),
    )))
}

/// An edition that cannot translate articles of some source languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRoutes {
    /// The edition's language.
    pub edition: String,
    /// Source languages without a route into it.
    pub from: Vec<String>,
}

/// The languages the site's articles are in: the sources' declared languages and the detected
/// languages of the stored articles, without duplicates (sorted).
pub fn languages_in_use(store: &Store) -> Result<Vec<String>, newsdesk_store::StoreError> {
    let mut langs: Vec<String> = store
        .list_sources()?
        .into_iter()
        .filter_map(|s| s.source.language)
        .chain(store.article_languages()?.into_iter().map(|(l, _)| l))
        .map(|l| normalize_language(&l))
        .filter(|l| !l.is_empty())
        .collect();
    langs.sort();
    langs.dedup();
    Ok(langs)
}

/// The operator's warnings about the editions' translation routes, one sentence each: which
/// pairs are missing and what to install or configure. Empty when every route exists.
pub fn route_warnings(translation: &EditionTranslation, languages: &[String]) -> Vec<String> {
    let missing = translation.missing_routes(languages);
    let no_backend = !translation.has_backends();
    missing
        .iter()
        .map(|m| {
            let pairs: Vec<String> = m
                .from
                .iter()
                .map(|f| format!("{f}→{}", m.edition))
                .collect();
            let fix = if no_backend {
                "no translation backend works (is Apertium installed? `apt-get install apertium` \
                 and a pair package, e.g. apertium-eng-spa; or configure LibreTranslate, DeepL or \
                 an OpenAI-compatible server under [[translate.backends]])"
            } else {
                "install a backend pair for them (`apt-cache search apertium` lists Apertium's), \
                 add a pivot language under [translate] pivots, or configure another backend \
                 (LibreTranslate, DeepL, OpenAI-compatible) under [[translate.backends]]"
            };
            format!(
                "the {} edition has no translation route for {} ({}): those articles are shown \
                 untranslated; {fix}",
                m.edition,
                crate::text::counted(m.from.len() as u64, "source language", "source languages"),
                pairs.join(", ")
            )
        })
        .collect()
}

/// Translates stored articles into the editions' languages.
#[derive(Clone)]
pub struct EditionTranslation {
    translator: Arc<Translator>,
    editions: Arc<Vec<EditionConfig>>,
    store: Store,
}

impl EditionTranslation {
    /// Translation into `editions` with `translator`, reading and writing `store`.
    pub fn new(
        store: Store,
        translator: Arc<Translator>,
        editions: Vec<EditionConfig>,
    ) -> EditionTranslation {
        EditionTranslation {
            translator,
            editions: Arc::new(editions),
            store,
        }
    }

    /// For each edition, the languages of `languages` that it should translate but has no route
    /// from (with the configured backends and pivots); editions with none missing are left out.
    pub fn missing_routes(&self, languages: &[String]) -> Vec<MissingRoutes> {
        let mut langs: Vec<String> = languages.iter().map(|l| normalize_language(l)).collect();
        langs.sort();
        langs.dedup();
        let mut out = Vec::new();
        for e in self.editions.iter() {
            let to = normalize_language(&e.language);
            let from: Vec<String> = langs
                .iter()
                .filter(|l| **l != to && e.translates_from(l))
                .filter(|&l| self.translator.route(l, &to).is_err())
                .cloned()
                .collect();
            if !from.is_empty() {
                out.push(MissingRoutes {
                    edition: e.language.clone(),
                    from,
                });
            }
        }
        out
    }

    /// Whether any backend is configured and started.
    pub fn has_backends(&self) -> bool {
        !self.translator.backends().is_empty()
    }

    /// Number of language pairs the backends translate directly.
    pub fn pairs(&self) -> usize {
        self.translator
            .backends()
            .iter()
            .map(|(_, p)| p.len())
            .sum()
    }

    /// Translates every article that has no row yet for an edition's language, counting the
    /// articles on `progress` (a translation backfill shows the same display as a fetch).
    pub async fn translate_pending_with(&self, progress: &Progress) -> TranslationReport {
        let mut report = TranslationReport::default();
        let mut work = Vec::new();
        for edition in self.editions.iter() {
            let lang = edition.language.clone();
            let store = self.store.clone();
            let pending = match tokio::task::spawn_blocking(move || {
                store.untranslated_articles(&lang, MAX_ARTICLES_PER_PASS)
            })
            .await
            {
                Ok(Ok(p)) => p,
                Ok(Err(e)) => {
                    warn!(stage = "translate", error = %e, "cannot list untranslated articles");
                    continue;
                }
                Err(e) => {
                    warn!(stage = "translate", error = %e, "store task failed");
                    continue;
                }
            };
            let mut by_language: Vec<(String, Vec<ArticleId>)> = Vec::new();
            for (id, from) in pending {
                let from = normalize_language(&from);
                match by_language.iter_mut().find(|(l, _)| *l == from) {
                    Some((_, ids)) => ids.push(id),
                    None => by_language.push((from, vec![id])),
                }
            }
            work.push((edition, by_language));
        }
        let total: usize = work
            .iter()
            .flat_map(|(_, langs)| langs.iter().map(|(_, ids)| ids.len()))
            .sum();
        if total > 0 {
            progress.begin_translation();
            progress.articles_found(total as u64);
        }
        for (edition, by_language) in work {
            for (from, ids) in by_language {
                self.translate_language(edition, &from, &ids, &mut report, progress)
                    .await;
            }
        }
        if report != TranslationReport::default() {
            info!(stage = "translate", %report, "translation pass done");
        }
        report
    }

    /// Translates the articles `ids`, all in language `from`, into `edition`.
    async fn translate_language(
        &self,
        edition: &EditionConfig,
        from: &str,
        ids: &[ArticleId],
        report: &mut TranslationReport,
        progress: &Progress,
    ) {
        let to = edition.language.as_str();
        let refusal = if !edition.translates_from(from) {
            Some(format!(
                "articles in {from} are not translated into the {to} edition"
            ))
        } else {
            self.translator.route(from, to).err().map(|e| e.to_string())
        };
        if let Some(note) = refusal {
            for id in ids {
                let row = untranslated(*id, from, to, &note);
                if self.save(row).await {
                    report.untranslated += 1;
                }
            }
            progress.articles_done(ids.len() as u64);
            return;
        }
        let with_body = edition.bodies == BodyTranslation::Ingest;
        let mut group: Vec<Job> = Vec::new();
        let mut chars = 0;
        for id in ids {
            let Some(job) = self.job(*id, with_body).await else {
                progress.articles_done(1);
                continue;
            };
            chars += job.chars();
            group.push(job);
            if chars >= MAX_GROUP_CHARS || group.len() >= MAX_GROUP_ARTICLES {
                let n = group.len() as u64;
                self.translate_group(std::mem::take(&mut group), from, to, report)
                    .await;
                progress.articles_done(n);
                chars = 0;
            }
        }
        if !group.is_empty() {
            let n = group.len() as u64;
            self.translate_group(group, from, to, report).await;
            progress.articles_done(n);
        }
    }

    async fn job(&self, id: ArticleId, with_body: bool) -> Option<Job> {
        let store = self.store.clone();
        let article = match tokio::task::spawn_blocking(move || store.get_article(id)).await {
            Ok(Ok(Some(a))) => a,
            Ok(Ok(None)) => return None,
            Ok(Err(e)) => {
                warn!(stage = "translate", article_id = id, error = %e, "cannot read article");
                return None;
            }
            Err(e) => {
                warn!(stage = "translate", article_id = id, error = %e, "store task failed");
                return None;
            }
        };
        let d = article.data;
        let lead = newsdesk_store::lead(d.summary.as_deref(), &d.body_text)
            .map(|l| one_line(&l))
            .filter(|l| !l.is_empty());
        Some(Job {
            id,
            title: one_line(&d.title),
            authors: d.authors.clone(),
            lead,
            body: with_body.then(|| paragraphs(&d.body_text)),
        })
    }

    /// One call for the whole group; the lines are split back per article.
    async fn translate_group(
        &self,
        group: Vec<Job>,
        from: &str,
        to: &str,
        report: &mut TranslationReport,
    ) {
        let text = group
            .iter()
            .flat_map(|j| j.lines())
            .collect::<Vec<_>>()
            .join("\n");
        // Names of the titles and authors are protected wherever the texts use them.
        let given: Vec<&str> = group
            .iter()
            .flat_map(|j| {
                std::iter::once(j.title.as_str()).chain(j.authors.iter().map(String::as_str))
            })
            .collect();
        let translation = match self
            .translator
            .translate_text_with_names(&text, from, to, &given)
            .await
        {
            Ok(t) => t,
            Err(e) => {
                warn!(stage = "translate", from, to, articles = group.len(), error = %e,
                      "translation failed; retried next pass");
                report.failed += group.len() as u64;
                return;
            }
        };
        let out: Vec<&str> = translation.text.split('\n').collect();
        let source_lang = normalize_language(from);
        let mut line = 0;
        let mut segment = 0;
        for job in &group {
            let lines = job.lines();
            let n = lines.len();
            let Some(translated) = out.get(line..line + n) else {
                warn!(
                    stage = "translate",
                    article_id = job.id,
                    "translation lost lines"
                );
                report.failed += 1;
                continue;
            };
            line += n;
            let segments: usize = lines
                .iter()
                .map(|l| split_sentences(l, &source_lang).len())
                .sum();
            let kept = translation
                .segments
                .get(segment..segment + segments)
                .map(|s| {
                    s.iter()
                        .filter(|o| matches!(o.status, SegmentStatus::KeptOriginal(_)))
                        .count()
                })
                .unwrap_or(0);
            segment += segments;
            if segments > 0 && kept == segments {
                // Nothing was translated (the backend failed on every sentence): keep no row,
                // so the article is tried again by the next pass.
                warn!(
                    stage = "translate",
                    article_id = job.id,
                    from,
                    to,
                    "every sentence kept in the original; retried next pass"
                );
                report.failed += 1;
                continue;
            }
            let row = translated_row(job, translated, &translation.route, from, to, kept);
            if self.save(row).await {
                report.translated += 1;
            }
        }
        debug!(
            stage = "translate",
            from,
            to,
            articles = group.len(),
            "group translated"
        );
    }

    async fn save(&self, row: ArticleTranslation) -> bool {
        let store = self.store.clone();
        let id = row.article_id;
        match tokio::task::spawn_blocking(move || store.save_translation(&row)).await {
            Ok(Ok(())) => true,
            Ok(Err(e)) => {
                warn!(stage = "translate", article_id = id, error = %e, "cannot save translation");
                false
            }
            Err(e) => {
                warn!(stage = "translate", article_id = id, error = %e, "store task failed");
                false
            }
        }
    }

    /// Translates the body of one article into `language` (on first view) and stores it.
    pub async fn translate_body(
        &self,
        id: ArticleId,
        language: &str,
    ) -> Result<Option<ArticleTranslation>, String> {
        let store = self.store.clone();
        let lang = language.to_string();
        let existing = tokio::task::spawn_blocking(move || store.translation(id, &lang))
            .await
            .map_err(|e| format!("newsdesk: store task failed: {e}"))?
            .map_err(|e| e.to_string())?;
        let Some(mut row) = existing else {
            return Ok(None);
        };
        if row.status != TranslationStatus::Translated || row.body_text.is_some() {
            return Ok(Some(row));
        }
        let Some(job) = self.job(id, true).await else {
            return Ok(Some(row));
        };
        let body = job.body.clone().unwrap_or_default().join("\n");
        let mut given = vec![job.title.as_str()];
        given.extend(job.authors.iter().map(String::as_str));
        let t = self
            .translator
            .translate_text_with_names(&body, &row.source_language, language, &given)
            .await
            .map_err(|e| e.to_string())?;
        row.kept_segments += t.kept_original() as u32;
        row.body_text = Some(t.text);
        row.translated_at = Utc::now();
        if !self.save(row.clone()).await {
            return Err(format!("newsdesk: cannot save the body of article {id}"));
        }
        Ok(Some(row))
    }
}

impl BodyTranslator for EditionTranslation {
    fn translate_body(&self, article: ArticleId, language: &str) -> BodyFuture {
        let this = self.clone();
        let language = language.to_string();
        Box::pin(async move { EditionTranslation::translate_body(&this, article, &language).await })
    }
}

fn backends_of(route: &Route) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for h in &route.hops {
        if !names.contains(&h.backend) {
            names.push(h.backend.clone());
        }
    }
    names
}

fn translated_row(
    job: &Job,
    lines: &[&str],
    route: &Route,
    from: &str,
    to: &str,
    kept: usize,
) -> ArticleTranslation {
    let mut it = lines.iter().map(|l| l.to_string());
    let title = it.next();
    let lead = job.lead.as_ref().and_then(|_| it.next());
    let body = job.body.as_ref().map(|_| it.collect::<Vec<_>>().join("\n"));
    ArticleTranslation {
        article_id: job.id,
        language: to.to_string(),
        source_language: from.to_string(),
        status: TranslationStatus::Translated,
        title,
        lead,
        body_text: body,
        route: route.to_string(),
        backends: backends_of(route),
        machine: true,
        kept_segments: kept as u32,
        note: None,
        translated_at: Utc::now(),
    }
}

fn untranslated(id: ArticleId, from: &str, to: &str, note: &str) -> ArticleTranslation {
    ArticleTranslation {
        article_id: id,
        language: to.to_string(),
        source_language: from.to_string(),
        status: TranslationStatus::Untranslated,
        title: None,
        lead: None,
        body_text: None,
        route: String::new(),
        backends: Vec::new(),
        machine: true,
        kept_segments: 0,
        note: Some(note.to_string()),
        translated_at: Utc::now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_core::{ContentOrigin, NewArticle, NewSource};
    use newsdesk_translate::{TranslateConfig, apertium_available};

    fn spanish_article(store: &Store) -> ArticleId {
        let src = store
            .add_source(&NewSource::new("https://diario.example/feed.xml"))
            .unwrap();
        let body = "El ayuntamiento aprobó el presupuesto.\nLa biblioteca abrirá de noche.";
        store
            .insert_article(&NewArticle {
                source_id: src.id,
                entry_key: "a".into(),
                url: "https://diario.example/a".into(),
                canonical_url: None,
                title: "La biblioteca central abrirá de noche".into(),
                authors: vec![],
                published_at: None,
                modified_at: None,
                fetched_at: Utc::now(),
                lead_image: None,
                language: Some("es".into()),
                summary: None,
                body_html: "<p>El ayuntamiento aprobó el presupuesto.</p>".into(),
                body_text: body.into(),
                tags: vec![],
                origin: ContentOrigin::Page,
            })
            .unwrap()
            .unwrap()
    }

    #[test]
    fn missing_routes_are_named_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("n.db")).unwrap();
        let none = Translator::new(
            Vec::new(),
            Arc::new(newsdesk_translate::MemoryCache::new()),
            newsdesk_translate::TranslatorOptions::from(&TranslateConfig::default()),
        );
        let only_de = EditionConfig {
            translate_from: vec!["de".into()],
            ..EditionConfig::new("es")
        };
        let t = EditionTranslation::new(
            store,
            Arc::new(none),
            vec![EditionConfig::new("fr"), only_de],
        );
        let langs = ["de".to_string(), "en".into(), "fr".into(), "deu".into()];
        assert_eq!(
            t.missing_routes(&langs),
            [
                MissingRoutes {
                    edition: "fr".into(),
                    from: vec!["de".into(), "en".into()]
                },
                MissingRoutes {
                    edition: "es".into(),
                    from: vec!["de".into()]
                }
            ]
        );
        let w = route_warnings(&t, &["de".to_string(), "en".into()]);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].starts_with(
                "the fr edition has no translation route for 2 source languages (de→fr, en→fr)"
            ),
            "{}",
            w[0]
        );
        assert!(w[0].contains("apt-get install apertium"), "{}", w[0]);
        assert!(w[1].contains("1 source language (de→es)"), "{}", w[1]);
        assert!(route_warnings(&t, &["fr".to_string()]).is_empty());
    }

    /// Real Apertium (es→fr): titles and leads at ingest, the body on first view.
    #[tokio::test]
    async fn bodies_on_view_are_translated_when_first_asked_for() {
        assert!(
            apertium_available(),
            "apertium is not installed: apt-get install apertium apertium-eng-spa apertium-fr-es (.ci/run does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("n.db")).unwrap();
        let id = spanish_article(&store);
        let translator = Translator::from_config(
            &TranslateConfig::default(),
            Arc::new(newsdesk_translate::MemoryCache::new()),
        )
        .await
        .unwrap();
        let edition = EditionConfig {
            bodies: BodyTranslation::OnView,
            ..EditionConfig::new("fr")
        };
        let t = EditionTranslation::new(store.clone(), Arc::new(translator), vec![edition]);
        let report = t.translate_pending_with(&Progress::hidden()).await;
        assert_eq!(report.translated, 1, "{report}");
        let row = store.translation(id, "fr").unwrap().unwrap();
        assert_eq!(row.route, "es →fr [apertium]");
        assert!(
            row.title.as_deref().unwrap().contains("bibliothèque"),
            "{row:?}"
        );
        assert_eq!(row.body_text, None, "body waits for the first view");
        let viewed = t.translate_body(id, "fr").await.unwrap().unwrap();
        let body = viewed.body_text.unwrap();
        assert_eq!(body.lines().count(), 2, "{body}");
        assert!(body.contains("bibliothèque"), "{body}");
        assert_eq!(
            store
                .translation(id, "fr")
                .unwrap()
                .unwrap()
                .body_text
                .as_deref(),
            Some(body.as_str())
        );
        // Nothing left to do on the next pass.
        assert_eq!(
            t.translate_pending_with(&Progress::hidden()).await,
            TranslationReport::default()
        );
    }

    #[test]
    fn paragraphs_are_folded_lines_without_blanks() {
        assert_eq!(
            paragraphs("One  two\n\n  three\tfour \n"),
            vec!["One two", "three four"]
        );
        assert_eq!(one_line("a\nb"), "a b");
    }
}
