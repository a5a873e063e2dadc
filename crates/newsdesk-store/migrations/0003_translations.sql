-- newsdesk-store schema, version 3: article translations for the editions.
-- One row per (article, edition language). The original article is never changed: a translation
-- lives beside it. `body_text` is NULL until the body is translated (at ingest or on first view).
-- `status` is 'translated', or 'untranslated' when no route exists for the pair (with `note`).

CREATE TABLE article_translations (
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    language        TEXT    NOT NULL,
    source_language TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    title           TEXT,
    lead            TEXT,
    body_text       TEXT,
    route           TEXT    NOT NULL DEFAULT '',
    backends        TEXT    NOT NULL DEFAULT '[]',
    machine         INTEGER NOT NULL DEFAULT 1,
    kept_segments   INTEGER NOT NULL DEFAULT 0,
    note            TEXT,
    translated_at   TEXT    NOT NULL,
    PRIMARY KEY (article_id, language)
) WITHOUT ROWID;

CREATE INDEX article_translations_by_lang ON article_translations(language, article_id);
