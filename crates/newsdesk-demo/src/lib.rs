//! newsdesk-demo (work in progress).
