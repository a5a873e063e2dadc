//! newsdesk-feeds (work in progress).
