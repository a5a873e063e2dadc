-- newsdesk-store schema, PostgreSQL dialect (twin of ../0009_story_replacement.sql):
-- re-placement of recent articles on their own clock.
ALTER TABLE article_stories ADD COLUMN settled_story_id BIGINT;
UPDATE article_stories SET settled_story_id = story_id;

CREATE INDEX article_stories_provisional ON article_stories(article_id)
    WHERE settled_story_id IS NULL OR settled_story_id <> story_id;

ALTER TABLE story_state ADD COLUMN settled_before BIGINT;
