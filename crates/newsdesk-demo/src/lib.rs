//! Bundled sample corpus and local origin server, for `newsdesk demo` and the ingest benchmark.
//!
//! This crate plays the part of "the internet" so the whole pipeline can run with no setup and no
//! network: an [`Origin`] serves a [`Corpus`] on loopback addresses as several fictional news
//! sites, each with its feed (RSS 2.0, Atom 1.0, JSON Feed 1.1 or RSS 1.0), HTML home page,
//! article pages wrapped in realistic boilerplate, placeholder images and a `robots.txt`.
//! It does not fetch, parse, extract or store anything itself: it only serves.
//!
//! * [`sample_corpus`]: the bundled, hand-written sample corpus (fictional outlets in en, fr,
//!   es and de, several events covered across outlets and languages, one word-for-word copy and
//!   one translation noted in [`CorpusArticle::copy_of`] / [`CorpusArticle::translation_of`]).
//!   Every page and feed is labelled [`SAMPLE_LABEL`].
//! * [`generated_corpus`]: a synthetic corpus of any size for benchmarks; bodies are generated on
//!   request from a seed, so the origin's memory stays small.
//! * [`Origin::start`] / [`Origin::start_multi`] → [`OriginHandle`] (base URL, [`DemoSource`]s to
//!   subscribe to; dropping it stops the server).
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use newsdesk_demo::{Origin, sample_corpus};
//! let origin = Origin::start(sample_corpus(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
//! assert!(origin.base_url.starts_with("http://127.0.0.1:"));
//! assert!(origin.sources.len() >= 6);
//! assert!(origin.sources.iter().any(|s| s.discovery));
//! origin.shutdown().await;
//! # });
//! ```

mod corpus;
mod error;
mod escape;
mod feed;
mod filler;
mod generated;
mod image;
mod locale;
mod origin;
mod page;
mod sample;

pub use corpus::{
    Body, Corpus, CorpusArticle, CorpusSource, Event, FRESHNESS_MARGIN_MINUTES, FeedFormat,
    LeadImage,
};
pub use error::DemoError;
pub use filler::paragraphs as filler_paragraphs;
pub use generated::generated_corpus;
pub use origin::{DemoSource, Origin, OriginHandle, OriginOptions, ROBOTS_TXT};
pub use page::SAMPLE_LABEL;
pub use sample::sample_corpus;
