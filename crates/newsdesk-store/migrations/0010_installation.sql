-- Migration 0013: an identity for this installation (issue 15). Feeds out need ids that are
-- stable and unique per installation even without a public URL (RFC 4287 §4.2.6): a random
-- 128-bit value chosen once, when the database is created or upgraded, and kept.
CREATE TABLE installation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    uuid TEXT NOT NULL
);
INSERT INTO installation (id, uuid) VALUES (1, lower(hex(randomblob(16))));
