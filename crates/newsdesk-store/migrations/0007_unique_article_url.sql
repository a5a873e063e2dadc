-- One article per URL (issue 19). Earlier versions could store one page several times when its
-- URL came under several feed entries at once. Keep the first stored copy of each URL, point
-- the feed entries of the others at it, drop the others (their translations and story links go
-- with them), and let the database refuse any further copy. Entries without a link (stored with
-- an empty URL) are not concerned.
UPDATE feed_entries
   SET article_id = (
       SELECT MIN(k.id) FROM articles k
        WHERE k.url = (SELECT d.url FROM articles d WHERE d.id = feed_entries.article_id))
 WHERE article_id IN (
       SELECT a.id FROM articles a
        WHERE a.url <> ''
          AND EXISTS (SELECT 1 FROM articles b WHERE b.url = a.url AND b.id < a.id));

DELETE FROM articles
 WHERE url <> ''
   AND EXISTS (SELECT 1 FROM articles b WHERE b.url = articles.url AND b.id < articles.id);

DROP INDEX articles_url;
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url <> '';
