//! newsdesk-fetch (work in progress).
