-- newsdesk-store schema, version 2, PostgreSQL dialect (twin of ../0002_schedule.sql):
-- scheduler bookkeeping that `FetchState` does not hold.
ALTER TABLE fetch_state ADD COLUMN paused_reason TEXT;
ALTER TABLE fetch_state ADD COLUMN paused_at     TEXT;
ALTER TABLE fetch_state ADD COLUMN redirect_url  TEXT;
ALTER TABLE fetch_state ADD COLUMN redirect_seen BIGINT NOT NULL DEFAULT 0;
