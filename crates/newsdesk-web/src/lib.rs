//! newsdesk-web (work in progress).
