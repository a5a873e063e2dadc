-- newsdesk-store schema, PostgreSQL dialect (twin of ../0007_unique_article_url.sql):
-- one article per URL; copies stored by earlier versions are folded into the first.
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
