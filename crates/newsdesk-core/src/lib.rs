//! Types shared by every newsdesk stage.
//!
//! newsdesk is a pipeline: **fetch → parse → extract → text → stories → translate → store → web**.
//! This crate holds the domain types that flow between those stages and nothing else: no I/O,
//! no network, no database. Every other crate depends on it; it depends on no other stage.
//!
//! * [`Source`] / [`NewSource`]: a news source (one feed URL) and its profile.
//! * [`SourceProfile`]: who publishes a source, from where, who controls it ([`Typology`]), and
//!   where each of those facts came from ([`Fact`]).
//! * [`FetchState`]: what the fetcher remembers about a source between passes (validators, errors).
//! * [`ParsedFeed`] / [`FeedEntry`] / [`Enclosure`]: one parsed feed, format-independent.
//! * [`ExtractedArticle`]: what the extractor found in one article page.
//! * [`NewArticle`] / [`Article`]: an article as stored, with where its content came from
//!   ([`ContentOrigin`]).
//! * [`escape`]: HTML/XML escaping and character-reference decoding (on `html-escape`), the one
//!   implementation every crate uses.
//! * [`ArticleSummary`], [`ArticleQuery`], [`ArticlePage`], [`SourceWithStats`]: read models that the
//!   store returns and the web layer renders.
//! * [`TranslationCache`] / [`CacheKey`] / [`TranslationUsage`]: the translation cache's
//!   interface, which the translate stage calls and the store implements.
//!
//! ```
//! use newsdesk_core::{NewSource, Source};
//! let s = NewSource::new("https://example.org/feed.xml");
//! assert_eq!(s.feed_url, "https://example.org/feed.xml");
//! assert!(s.name.is_none());
//! # let _ : Option<Source> = None;
//! ```

mod article;
mod error;
pub mod escape;
mod feed;
pub mod hostile;
mod label;
mod profile;
mod query;
mod source;
mod translation;

pub use article::{Article, ArticleId, ContentOrigin, ExtractedArticle, NewArticle};
pub use error::{CoreError, Result};
pub use feed::{Enclosure, FeedEntry, FeedMeta, ParsedFeed, TextFormat};
pub use label::clean_label;
pub use profile::{
    Fact, FactOrigin, PROFILE_FIELDS, ProfileFilter, SourceProfile, Typology, TypologyCode,
    TypologyFilter, TypologyGroup,
};
pub use query::{ArticlePage, ArticleQuery, ArticleSummary, Cursor, MAX_PAGE_SIZE};
pub use source::{FetchState, FetchStatus, NewSource, Source, SourceId, SourceWithStats};
pub use translation::{CacheKey, TranslationCache, TranslationCacheError, TranslationUsage};

/// The product's name and home page, used in the User-Agent and in generated feeds.
pub const USER_AGENT: &str = concat!(
    "newsdesk/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/newsdesk/newsdesk)"
);
