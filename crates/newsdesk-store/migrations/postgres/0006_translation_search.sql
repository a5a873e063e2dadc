-- newsdesk-store schema, PostgreSQL dialect (twin of ../0006_translation_search.sql):
-- full-text search over translations, in the edition language's configuration. SQLite needs a
-- separate FTS5 table (and `translation_languages` for its rowids); here a generated column and
-- its indexes do it. Only rows with status 'translated' are searchable; the lead stands in for
-- the body until the body is translated.
ALTER TABLE article_translations ADD COLUMN search tsvector GENERATED ALWAYS AS (
    CASE WHEN status = 'translated'
         THEN newsdesk_search_vector(language, title, coalesce(body_text, lead))
    END) STORED;

CREATE INDEX article_translations_search ON article_translations USING gin (search);
CREATE INDEX article_translations_trigrams ON article_translations
    USING gin ((coalesce(title, '') || ' ' || coalesce(body_text, lead, '')) gin_trgm_ops)
    WHERE status = 'translated' AND newsdesk_no_word_boundaries(language);
