//! The web layer's extra reads on PostgreSQL (twin of `web_queries.rs`).

use std::collections::HashMap;

use newsdesk_core::ArticleId;

use super::Pool;
use crate::{Result, StoryKey, StoryTitleArticle};

pub(crate) fn installation_id(pool: &Pool) -> Result<String> {
    pool.with(|c| {
        Ok(
            c.query_one("SELECT uuid FROM installation WHERE id = 1", &[])?
                .try_get(0)?,
        )
    })
}

/// The languages an article is translated into, in order.
pub(crate) fn translation_languages(pool: &Pool, article: ArticleId) -> Result<Vec<String>> {
    pool.with(|c| {
        c.query(
            "SELECT language FROM article_translations WHERE article_id = $1 ORDER BY language",
            &[&article],
        )?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    })
}

pub(crate) fn story_titles_in(
    pool: &Pool,
    stories: &[StoryKey],
    language: &str,
) -> Result<HashMap<StoryKey, String>> {
    pool.with(|c| {
        let stmt = c.prepare(
            "SELECT a.title FROM article_stories x JOIN articles a ON a.id = x.article_id \
             JOIN sources s ON s.id = a.source_id \
             WHERE x.story_id = $1 AND COALESCE(a.language, s.language) = $2 \
             AND trim(a.title) <> '' ORDER BY a.sort_at, a.id LIMIT 1",
        )?;
        let mut found = HashMap::with_capacity(stories.len());
        for story in stories {
            if let Some(row) = c.query_opt(&stmt, &[story, &language])? {
                found.insert(*story, row.try_get(0)?);
            }
        }
        Ok(found)
    })
}

pub(crate) fn story_title_articles(
    pool: &Pool,
    stories: &[StoryKey],
) -> Result<HashMap<StoryKey, StoryTitleArticle>> {
    pool.with(|c| {
        let stmt = c.prepare(
            "SELECT a.id, COALESCE(a.language, s.language) \
             FROM stories st JOIN article_stories x ON x.story_id = st.id \
             JOIN articles a ON a.id = x.article_id JOIN sources s ON s.id = a.source_id \
             WHERE st.id = $1 AND a.title = st.title ORDER BY a.sort_at, a.id LIMIT 1",
        )?;
        let mut found = HashMap::with_capacity(stories.len());
        for story in stories {
            if let Some(row) = c.query_opt(&stmt, &[story])? {
                found.insert(
                    *story,
                    StoryTitleArticle {
                        article: row.try_get(0)?,
                        language: row.try_get(1)?,
                    },
                );
            }
        }
        Ok(found)
    })
}
