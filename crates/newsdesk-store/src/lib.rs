//! newsdesk-store (work in progress).
