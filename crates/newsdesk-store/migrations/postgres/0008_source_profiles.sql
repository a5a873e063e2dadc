-- newsdesk-store schema, PostgreSQL dialect (twin of ../0008_source_profiles.sql): source
-- profiles (owner, State Media Monitor typology, media type, matrix asset, facts' origins).
ALTER TABLE sources ADD COLUMN owner         TEXT;
ALTER TABLE sources ADD COLUMN typology      TEXT;
ALTER TABLE sources ADD COLUMN media_type    TEXT;
ALTER TABLE sources ADD COLUMN matrix_asset  TEXT;
ALTER TABLE sources ADD COLUMN profile_facts TEXT NOT NULL DEFAULT '{}';
