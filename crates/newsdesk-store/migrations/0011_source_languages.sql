-- Migration 0011: several languages per source (issue 17). `languages` holds every language
-- the source publishes in, comma-separated ISO 639 codes, the declared `language` first (it
-- stays the primary one that filters and feeds use). The old single value is carried over.
ALTER TABLE sources ADD COLUMN languages TEXT NOT NULL DEFAULT '';
UPDATE sources SET languages = COALESCE(language, '');
