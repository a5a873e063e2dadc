//! Reads the web layer's edition pages need beyond the other modules' queries: every
//! translation of one article (for the API) and the article a story's title comes from (so an
//! edition can show the story under that article's translated title).

use std::collections::HashMap;

use newsdesk_core::ArticleId;
use rusqlite::{OptionalExtension, params};

use crate::{ArticleTranslation, Result, Store, StoryKey};

/// The article that gives a story its title, as an edition needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryTitleArticle {
    /// The article whose title is the story's title (the oldest, when several share it).
    pub article: ArticleId,
    /// Its language (the source's when the article's is unknown).
    pub language: Option<String>,
}

impl Store {
    /// This installation's identity: 32 hexadecimal digits chosen at random once (migration
    /// 0013) and kept, the stable part of the ids of feeds without a public URL.
    pub fn installation_id(&self) -> Result<String> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::web_queries::installation_id(pg);
        }
        self.read(|conn| {
            Ok(
                conn.query_row("SELECT uuid FROM installation WHERE id = 1", [], |r| {
                    r.get(0)
                })?,
            )
        })
    }

    /// Every translation of one article (one per edition language), ordered by language.
    pub fn article_translations(&self, article: ArticleId) -> Result<Vec<ArticleTranslation>> {
        let languages: Vec<String> = if let Some(pg) = self.pg_read() {
            crate::pg::web_queries::translation_languages(pg, article)?
        } else {
            self.read(|conn| {
                let mut stmt = conn.prepare_cached(
                    "SELECT language FROM article_translations WHERE article_id = ?1 \
                 ORDER BY language",
                )?;
                let rows = stmt.query_map([article], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })?
        };
        let mut found = Vec::with_capacity(languages.len());
        for language in languages {
            // A row deleted between the two reads is simply left out.
            if let Some(t) = self.translation(article, &language)? {
                found.push(t);
            }
        }
        Ok(found)
    }

    /// For each story, the article its title was taken from: the story's oldest article whose
    /// title is the story's title. Stories whose title matches no article are left out.
    /// For each of `stories`, the title of its oldest article in `language` (the article's own
    /// language, else its source's), when it has one: the story's title in an edition of that
    /// language, written by a person rather than a machine.
    pub fn story_titles_in(
        &self,
        stories: &[StoryKey],
        language: &str,
    ) -> Result<HashMap<StoryKey, String>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::web_queries::story_titles_in(pg, stories, language);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.title FROM article_stories x JOIN articles a ON a.id = x.article_id \
                 JOIN sources s ON s.id = a.source_id \
                 WHERE x.story_id = ?1 AND COALESCE(a.language, s.language) = ?2 \
                 AND trim(a.title) <> '' ORDER BY a.sort_at, a.id LIMIT 1",
            )?;
            let mut found = HashMap::with_capacity(stories.len());
            for story in stories {
                let title: Option<String> = stmt
                    .query_row(params![story, language], |r| r.get(0))
                    .optional()?;
                if let Some(t) = title {
                    found.insert(*story, t);
                }
            }
            Ok(found)
        })
    }

    /// For each of `stories`, the article its title comes from (the oldest with that title).
    pub fn story_title_articles(
        &self,
        stories: &[StoryKey],
    ) -> Result<HashMap<StoryKey, StoryTitleArticle>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::web_queries::story_title_articles(pg, stories);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, COALESCE(a.language, s.language) \
                 FROM stories st JOIN article_stories x ON x.story_id = st.id \
                 JOIN articles a ON a.id = x.article_id JOIN sources s ON s.id = a.source_id \
                 WHERE st.id = ?1 AND a.title = st.title ORDER BY a.sort_at, a.id LIMIT 1",
            )?;
            let mut found = HashMap::with_capacity(stories.len());
            for story in stories {
                let row = stmt
                    .query_row(params![story], |r| {
                        Ok(StoryTitleArticle {
                            article: r.get(0)?,
                            language: r.get(1)?,
                        })
                    })
                    .optional()?;
                if let Some(row) = row {
                    found.insert(*story, row);
                }
            }
            Ok(found)
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use newsdesk_core::{ContentOrigin, NewArticle, NewSource};

    use crate::{NewPlacement, Store, TranslationStatus};

    use super::*;

    #[test]
    fn the_installation_id_is_random_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let id = Store::open(&path).unwrap().installation_id().unwrap();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(Store::open(&path).unwrap().installation_id().unwrap(), id);
        let other = Store::open(&dir.path().join("b.db")).unwrap();
        assert_ne!(other.installation_id().unwrap(), id);
    }

    fn article(source: i64, i: usize, title: &str) -> NewArticle {
        NewArticle {
            source_id: source,
            entry_key: format!("e{i}"),
            url: format!("https://news.example/{i}"),
            canonical_url: None,
            title: title.into(),
            authors: vec![],
            published_at: Some(Utc::now() - chrono::Duration::hours(10 - i as i64)),
            modified_at: None,
            fetched_at: Utc::now(),
            lead_image: None,
            language: None,
            summary: None,
            body_html: "<p>Body.</p>".into(),
            body_text: "Body.".into(),
            tags: vec![],
            origin: ContentOrigin::Page,
        }
    }

    #[test]
    fn translations_of_an_article_and_the_article_behind_a_story_title() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("n.db")).unwrap();
        let mut source = NewSource::new("https://news.example/feed.xml");
        source.language = Some("en".into());
        let source = store.add_source(&source).unwrap().id;
        let ids: Vec<i64> = ["Probe lands", "Second report", "Probe lands"]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                store
                    .insert_article(&article(source, i, t))
                    .unwrap()
                    .unwrap()
            })
            .collect();
        let placements: Vec<NewPlacement> = ids
            .iter()
            .map(|&a| NewPlacement {
                article: a,
                story: 5,
                similarity: 0.5,
                link: None,
                merged: vec![],
                moved: vec![],
                titles: vec![(5, "Probe lands".into())],
            })
            .collect();
        store
            .record_placements(&placements, 0, ids[2], b"{}")
            .unwrap();
        let found = store.story_title_articles(&[5, 6]).unwrap();
        assert_eq!(found.len(), 1, "story 6 does not exist");
        assert_eq!(
            found[&5].article, ids[0],
            "the oldest article with the title"
        );
        assert_eq!(
            found[&5].language.as_deref(),
            Some("en"),
            "the source's language"
        );

        assert!(store.article_translations(ids[0]).unwrap().is_empty());
        for lang in ["fr", "de"] {
            store
                .save_translation(&ArticleTranslation {
                    article_id: ids[0],
                    language: lang.into(),
                    source_language: "en".into(),
                    status: TranslationStatus::Translated,
                    title: Some(format!("title in {lang}")),
                    lead: None,
                    body_text: None,
                    route: format!("en →{lang} [apertium]"),
                    backends: vec!["apertium".into()],
                    machine: true,
                    kept_segments: 0,
                    note: None,
                    translated_at: Utc::now(),
                })
                .unwrap();
        }
        let all = store.article_translations(ids[0]).unwrap();
        let langs: Vec<&str> = all.iter().map(|t| t.language.as_str()).collect();
        assert_eq!(langs, ["de", "fr"]);
        assert_eq!(all[1].title.as_deref(), Some("title in fr"));
    }
}
