-- newsdesk-store schema, version 1.
-- Instants are RFC 3339 text in UTC with nanoseconds (fixed width, so they sort as text);
-- `articles.sort_at` is INTEGER unix seconds because it is the keyset-pagination key.
-- Ids are AUTOINCREMENT so that an id (in a URL, a cursor) never names a different row later.

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_url      TEXT    NOT NULL UNIQUE,
    site_url      TEXT,
    name          TEXT    NOT NULL,
    language      TEXT,
    country       TEXT,
    created_at    TEXT    NOT NULL,
    -- maintained by the triggers below, so listing sources never counts articles
    article_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE fetch_state (
    source_id            INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    etag                 TEXT,
    last_modified        TEXT,
    last_fetch_at        TEXT,
    last_status          TEXT    NOT NULL DEFAULT 'never',
    last_error           TEXT,
    last_http_status     INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_fetch_at        TEXT
);

CREATE INDEX fetch_state_next ON fetch_state(next_fetch_at);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    entry_key     TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    canonical_url TEXT,
    title         TEXT    NOT NULL,
    authors       TEXT    NOT NULL DEFAULT '[]',
    published_at  TEXT,
    modified_at   TEXT,
    fetched_at    TEXT    NOT NULL,
    sort_at       INTEGER NOT NULL,
    lead_image    TEXT,
    language      TEXT,
    summary       TEXT,
    -- the list lead (summary, else the start of body_text), computed at insert so that lists
    -- never read the large columns below (which spill into overflow pages)
    lead          TEXT,
    body_html     TEXT    NOT NULL,
    body_text     TEXT    NOT NULL,
    tags          TEXT    NOT NULL DEFAULT '[]',
    origin_kind   TEXT    NOT NULL,
    origin_note   TEXT
);

CREATE INDEX articles_newest    ON articles(sort_at DESC, id DESC);
CREATE INDEX articles_by_source ON articles(source_id, sort_at DESC, id DESC);
CREATE INDEX articles_by_lang   ON articles(language, sort_at DESC, id DESC);
CREATE INDEX articles_url       ON articles(url);
CREATE INDEX articles_canonical ON articles(canonical_url) WHERE canonical_url IS NOT NULL;

CREATE TABLE feed_entries (
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    entry_key     TEXT    NOT NULL,
    article_id    INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    first_seen_at TEXT    NOT NULL,
    UNIQUE (source_id, entry_key)
);

CREATE INDEX feed_entries_article ON feed_entries(article_id);

CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
    UPDATE sources SET article_count = article_count + 1 WHERE id = new.source_id;
END;

CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
    UPDATE sources SET article_count = article_count - 1 WHERE id = old.source_id;
END;

-- Full-text index over title and body text, kept in sync by triggers (external content).
-- remove_diacritics 2 lets "etes" find "étés" and "uber" find "über".
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title,
    body_text,
    content = 'articles',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body_text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body_text)
        VALUES ('delete', old.id, old.title, old.body_text);
    INSERT INTO articles_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;
