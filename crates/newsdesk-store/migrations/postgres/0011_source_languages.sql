-- newsdesk-store schema, PostgreSQL dialect (twin of ../0011_source_languages.sql): every language
-- a source publishes in, comma-separated ISO 639 codes, the declared `language` first; the old
-- single value is carried over.
ALTER TABLE sources ADD COLUMN languages TEXT NOT NULL DEFAULT '';
UPDATE sources SET languages = COALESCE(language, '');
