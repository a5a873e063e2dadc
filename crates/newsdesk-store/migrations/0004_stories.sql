-- newsdesk-store schema: stories (articles about the same event) and provenance links (an
-- article that copies or translates an earlier one). Both are decided by newsdesk-stories; the
-- store keeps its decisions and the engine's saved state.
-- Story ids are the engine's own stable ids (not AUTOINCREMENT): a story absorbed by a merge
-- is deleted and its articles move to the story it went into.
-- Times are unix seconds of the articles' `sort_at`, like the article lists.

CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0,
    first_at      INTEGER,
    last_at       INTEGER
);

CREATE INDEX stories_biggest ON stories(article_count DESC, last_at DESC);
CREATE INDEX stories_newest  ON stories(last_at DESC, id DESC);

CREATE TABLE article_stories (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL,
    similarity REAL    NOT NULL
);

CREATE INDEX article_stories_story ON article_stories(story_id);

-- An article deleted with its source leaves its story's count right.
CREATE TRIGGER article_stories_count_delete AFTER DELETE ON article_stories BEGIN
    UPDATE stories SET article_count = article_count - 1 WHERE id = old.story_id;
END;

-- `evidence` is a JSON list of {"signal": ..., "detail": ...}.
CREATE TABLE provenance (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    original_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    matched_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    confidence  REAL    NOT NULL,
    evidence    TEXT    NOT NULL DEFAULT '[]'
);

CREATE INDEX provenance_original ON provenance(original_id);

-- One row: the last article id placed and the engine's snapshot at that point.
CREATE TABLE story_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    placed_through INTEGER NOT NULL,
    snapshot       BLOB    NOT NULL,
    saved_at       TEXT    NOT NULL
);
