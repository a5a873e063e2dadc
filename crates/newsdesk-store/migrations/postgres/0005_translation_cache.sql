-- newsdesk-store schema, PostgreSQL dialect (twin of ../0005_translation_cache.sql): the
-- translation cache and the translation backends' daily usage counters.
CREATE TABLE IF NOT EXISTS translation_cache (
    backend      TEXT NOT NULL,
    source_lang  TEXT NOT NULL,
    target_lang  TEXT NOT NULL,
    segment_hash TEXT NOT NULL,
    translation  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (backend, source_lang, target_lang, segment_hash)
);

CREATE TABLE IF NOT EXISTS translation_usage (
    backend        TEXT   NOT NULL,
    day            TEXT   NOT NULL,
    chars          BIGINT NOT NULL DEFAULT 0,
    calls          BIGINT NOT NULL DEFAULT 0,
    segments       BIGINT NOT NULL DEFAULT 0,
    cache_hits     BIGINT NOT NULL DEFAULT 0,
    errors         BIGINT NOT NULL DEFAULT 0,
    check_failures BIGINT NOT NULL DEFAULT 0,
    kept_original  BIGINT NOT NULL DEFAULT 0,
    unknown_words  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (backend, day)
);
