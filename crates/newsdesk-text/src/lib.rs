//! newsdesk-text (work in progress).
