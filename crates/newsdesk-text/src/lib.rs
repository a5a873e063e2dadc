//! Text stage of newsdesk: bytes to correct UTF-8, language guesses, whitespace clean-up.
//!
//! This crate is pure and small: no I/O, no network, no HTML parsing. It does three things:
//!
//! * [`decode_html`] turns the raw bytes of an HTML page into UTF-8 [`Decoded`] text, choosing the
//!   encoding from a byte-order mark, the HTTP charset, a `<meta>` declaration or detection, in that
//!   order, and recording the choice as a [`CharsetSource`]. A declared UTF-8 (or a missing
//!   declaration) is not trusted when the bytes are not valid UTF-8.
//! * [`detect_language`] guesses the language of a text as an ISO 639-1 code ([`LanguageGuess`]).
//! * [`normalize_whitespace`] collapses whitespace runs (including no-break spaces) and trims.
//!
//! It does not extract articles (that is `newsdesk-extract`) nor translate anything.
//!
//! ```
//! use newsdesk_text::{decode_html, detect_language, normalize_whitespace, CharsetSource};
//!
//! let page = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
//! let decoded = decode_html(page, None);
//! assert!(decoded.text.contains("café"));
//! assert_eq!(decoded.encoding, "windows-1252");
//! assert_eq!(decoded.how, CharsetSource::Meta);
//!
//! let guess = detect_language("Le gouvernement a annoncé mardi une nouvelle réforme des retraites, \
//!     qui sera présentée au Parlement dans les prochaines semaines.").unwrap();
//! assert_eq!(guess.code, "fr");
//!
//! assert_eq!(normalize_whitespace("  a \u{a0}\n b "), "a b");
//! ```

mod charset;
mod language;
mod whitespace;

pub use charset::{CharsetSource, Decoded, decode_html};
pub use language::{LanguageGuess, detect_language, iso639_1};
pub use whitespace::{normalize_whitespace, truncate_chars};
