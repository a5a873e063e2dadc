-- newsdesk-store schema: re-placement of recent articles on their own clock.
-- The story stage places articles in the order of their clock (`articles.sort_at`: publication
-- time, else first fetch). Articles whose clock is before `story_state.settled_before` are in
-- the engine's saved state and final; later ones are placed again by every pass, in clock order,
-- so that an article fetched late but published earlier takes its place (becomes the original).
-- `settled_story_id` is the story of an article as of the saved state (NULL for an article placed
-- provisionally); a pass first puts every article back there, then records what it placed.

ALTER TABLE article_stories ADD COLUMN settled_story_id INTEGER;
UPDATE article_stories SET settled_story_id = story_id;

-- The rows a pass undoes: provisional placements and settled articles moved provisionally.
CREATE INDEX article_stories_provisional ON article_stories(article_id)
    WHERE settled_story_id IS NULL OR settled_story_id != story_id;

-- NULL (state saved by an earlier version): every article placed so far is settled.
ALTER TABLE story_state ADD COLUMN settled_before INTEGER;
