-- newsdesk-store schema, PostgreSQL dialect (twin of ../0010_installation.sql): a random
-- 128-bit identity for this installation, chosen once and kept (32 lowercase hex digits).
CREATE TABLE installation (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    uuid TEXT   NOT NULL
);
INSERT INTO installation (id, uuid) VALUES (1, replace(gen_random_uuid()::text, '-', ''));
