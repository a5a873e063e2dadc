-- newsdesk-store schema, version 2: scheduler bookkeeping that `FetchState` does not hold.
-- A source whose `paused_reason` is not NULL is paused: the scheduler skips it until it is
-- resumed. `redirect_url`/`redirect_seen` track a permanent redirect (301/308) of the feed URL,
-- which is adopted once it has been seen twice in a row.

ALTER TABLE fetch_state ADD COLUMN paused_reason TEXT;
ALTER TABLE fetch_state ADD COLUMN paused_at     TEXT;
ALTER TABLE fetch_state ADD COLUMN redirect_url  TEXT;
ALTER TABLE fetch_state ADD COLUMN redirect_seen INTEGER NOT NULL DEFAULT 0;
