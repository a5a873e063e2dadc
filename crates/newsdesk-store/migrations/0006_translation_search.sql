-- newsdesk-store schema, version 6: full-text search over translations.
-- An edition's search must find an article by the words of its translation (a French reader
-- types French), not only by its original text. One FTS5 row per translated (article,
-- language), holding the translated title and body (the lead until the body is translated).
-- Its rowid is article_id * 65536 + a small code per language, so a row is found again by rowid
-- (FTS5 has no index on other columns) when the translation is replaced or removed.

CREATE TABLE translation_languages (
    code     INTEGER PRIMARY KEY,
    language TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE article_translations_fts USING fts5(
    title,
    body_text,
    language UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT OR IGNORE INTO translation_languages(language)
    SELECT DISTINCT language FROM article_translations ORDER BY language;

INSERT INTO article_translations_fts(rowid, title, body_text, language)
    SELECT t.article_id * 65536 + l.code, coalesce(t.title, ''),
           coalesce(t.body_text, t.lead, ''), t.language
    FROM article_translations t JOIN translation_languages l ON l.language = t.language
    WHERE t.status = 'translated';

-- `save_translation` writes with INSERT OR REPLACE, whose implicit delete fires no trigger: the
-- insert trigger removes the previous row itself. No statement here may meet a conflict: inside a
-- trigger, the outer statement's OR REPLACE overrides their own conflict clause (an OR IGNORE of
-- a known language would replace it under a new code).
CREATE TRIGGER article_translations_fts_insert AFTER INSERT ON article_translations BEGIN
    INSERT INTO translation_languages(language) SELECT new.language
        WHERE NOT EXISTS (SELECT 1 FROM translation_languages WHERE language = new.language);
    DELETE FROM article_translations_fts WHERE rowid = new.article_id * 65536
        + (SELECT code FROM translation_languages WHERE language = new.language);
    INSERT INTO article_translations_fts(rowid, title, body_text, language)
        SELECT new.article_id * 65536 + code, coalesce(new.title, ''),
               coalesce(new.body_text, new.lead, ''), new.language
        FROM translation_languages WHERE language = new.language AND new.status = 'translated';
END;

CREATE TRIGGER article_translations_fts_update AFTER UPDATE ON article_translations BEGIN
    DELETE FROM article_translations_fts WHERE rowid = old.article_id * 65536
        + (SELECT code FROM translation_languages WHERE language = old.language);
    INSERT INTO translation_languages(language) SELECT new.language
        WHERE NOT EXISTS (SELECT 1 FROM translation_languages WHERE language = new.language);
    INSERT INTO article_translations_fts(rowid, title, body_text, language)
        SELECT new.article_id * 65536 + code, coalesce(new.title, ''),
               coalesce(new.body_text, new.lead, ''), new.language
        FROM translation_languages WHERE language = new.language AND new.status = 'translated';
END;

-- Also fired by the cascade when the article itself is deleted.
CREATE TRIGGER article_translations_fts_delete AFTER DELETE ON article_translations BEGIN
    DELETE FROM article_translations_fts WHERE rowid = old.article_id * 65536
        + (SELECT code FROM translation_languages WHERE language = old.language);
END;
