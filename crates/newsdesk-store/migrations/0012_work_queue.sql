-- Migration 0012: the work queue of `newsdesk worker` (issue 18). Jobs wait in `jobs` until a
-- worker claims one with a lease; a finished job's row is deleted, so (kind, job_key) is unique
-- among the jobs waiting, running or given up. Times are Unix milliseconds. `host_politeness`
-- spaces the requests to one host across all workers; `workers` is the heartbeat of each one.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    job_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    host TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    rerun INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (kind, job_key)
);
CREATE INDEX jobs_ready ON jobs (state, not_before, priority, id);
CREATE INDEX jobs_host_state ON jobs (host, state);
CREATE TABLE host_politeness (
    host TEXT PRIMARY KEY,
    next_at INTEGER NOT NULL
);
CREATE INDEX host_politeness_next ON host_politeness (next_at);
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    hostname TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    jobs_done INTEGER NOT NULL DEFAULT 0
);
