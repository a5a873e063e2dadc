-- newsdesk-store schema, PostgreSQL dialect (twin of ../0004_stories.sql): stories and
-- provenance links decided by newsdesk-stories, and the engine's saved state.
CREATE TABLE stories (
    id            BIGINT PRIMARY KEY,
    title         TEXT   NOT NULL,
    article_count BIGINT NOT NULL DEFAULT 0,
    first_at      BIGINT,
    last_at       BIGINT
);

CREATE INDEX stories_biggest ON stories(article_count DESC, last_at DESC);
CREATE INDEX stories_newest  ON stories(last_at DESC, id DESC);

CREATE TABLE article_stories (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id   BIGINT NOT NULL,
    similarity DOUBLE PRECISION NOT NULL
);

CREATE INDEX article_stories_story ON article_stories(story_id);

-- An article deleted with its source leaves its story's count right.
CREATE FUNCTION newsdesk_article_stories_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stories SET article_count = article_count - 1 WHERE id = OLD.story_id;
    RETURN OLD;
END
$$;

CREATE TRIGGER article_stories_count_delete AFTER DELETE ON article_stories
    FOR EACH ROW EXECUTE FUNCTION newsdesk_article_stories_count();

CREATE TABLE provenance (
    article_id  BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    kind        TEXT   NOT NULL,
    original_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    matched_id  BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    confidence  DOUBLE PRECISION NOT NULL,
    evidence    TEXT   NOT NULL DEFAULT '[]'
);

CREATE INDEX provenance_original ON provenance(original_id);

CREATE TABLE story_state (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    placed_through BIGINT NOT NULL,
    snapshot       BYTEA  NOT NULL,
    saved_at       TEXT   NOT NULL
);
