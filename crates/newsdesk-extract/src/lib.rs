//! newsdesk-extract (work in progress).
