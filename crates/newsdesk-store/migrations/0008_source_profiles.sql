-- newsdesk-store schema: source profiles (issue 17).
-- `country` and `language` already exist on `sources`; these are the rest of the profile.
-- `typology` is a State Media Monitor code as the data writes it (`SC`, `ISFM?`: the trailing
-- `?` keeps the data's uncertainty); NULL means "not classified", never "independent".
-- `profile_facts` is a JSON object: field name -> {"origin": matrix|feed|operator|guess,
-- "reference": "..."}, where each fact came from.
ALTER TABLE sources ADD COLUMN owner         TEXT;
ALTER TABLE sources ADD COLUMN typology      TEXT;
ALTER TABLE sources ADD COLUMN media_type    TEXT;
ALTER TABLE sources ADD COLUMN matrix_asset  TEXT;
ALTER TABLE sources ADD COLUMN profile_facts TEXT NOT NULL DEFAULT '{}';
