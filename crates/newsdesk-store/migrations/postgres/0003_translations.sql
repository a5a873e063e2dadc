-- newsdesk-store schema, version 3, PostgreSQL dialect (twin of ../0003_translations.sql):
-- article translations for the editions, one row per (article, edition language).
CREATE TABLE article_translations (
    article_id      BIGINT  NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    language        TEXT    NOT NULL,
    source_language TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    title           TEXT,
    lead            TEXT,
    body_text       TEXT,
    route           TEXT    NOT NULL DEFAULT '',
    backends        TEXT    NOT NULL DEFAULT '[]',
    machine         BIGINT  NOT NULL DEFAULT 1,
    kept_segments   BIGINT  NOT NULL DEFAULT 0,
    note            TEXT,
    translated_at   TEXT    NOT NULL,
    PRIMARY KEY (article_id, language)
);

CREATE INDEX article_translations_by_lang ON article_translations(language, article_id);
