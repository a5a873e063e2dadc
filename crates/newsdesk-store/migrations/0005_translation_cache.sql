-- newsdesk-store schema: the translation cache and the translation backends' usage counters,
-- kept in the main database when `[translate] cache` names no separate file. The tables have
-- the same names and columns as newsdesk-translate's own cache file, so either can hold them.
-- A cached translation is keyed by backend, language pair and the BLAKE3 of the segment as sent
-- (placeholders included); only translations that passed the checker are cached.

CREATE TABLE IF NOT EXISTS translation_cache (
    backend      TEXT NOT NULL,
    source_lang  TEXT NOT NULL,
    target_lang  TEXT NOT NULL,
    segment_hash TEXT NOT NULL,
    translation  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (backend, source_lang, target_lang, segment_hash)
) WITHOUT ROWID;

-- One row per backend and UTC day (YYYY-MM-DD); the daily budget reads today's `chars`.
CREATE TABLE IF NOT EXISTS translation_usage (
    backend        TEXT    NOT NULL,
    day            TEXT    NOT NULL,
    chars          INTEGER NOT NULL DEFAULT 0,
    calls          INTEGER NOT NULL DEFAULT 0,
    segments       INTEGER NOT NULL DEFAULT 0,
    cache_hits     INTEGER NOT NULL DEFAULT 0,
    errors         INTEGER NOT NULL DEFAULT 0,
    check_failures INTEGER NOT NULL DEFAULT 0,
    kept_original  INTEGER NOT NULL DEFAULT 0,
    unknown_words  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (backend, day)
) WITHOUT ROWID;
