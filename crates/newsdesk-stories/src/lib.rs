//! Provenance and stories: which articles copy which (in the same language or translated), and
//! which articles report the same event, across languages, decided online.
//!
//! Each article is placed when it arrives, using only what was seen before it; windows run on
//! the articles' own dates, never on the wall clock, so memory is bounded by the window and not
//! by the number of articles. No model or external service is used: every signal comes from the
//! text: folded words; names read in Latin from any script (Cyrillic, Greek, Armenian,
//! Georgian, Arabic-script, Hebrew, Indic, Sinhala, Thai, Hangul, Han in pinyin) and reduced to
//! phonetic skeletons; numbers in any digits; quotes, URLs; paragraph and sentence structure.
//!
//! * [`StoryEngine`]: the online story clusterer (stable [`StoryId`]s, titles, merges); it runs
//!   a [`CopyDetector`] and puts copies in their original's story. State can be saved and
//!   restored ([`StoryEngine::snapshot`], [`StoryEngine::restore`]) in a compact versioned
//!   binary format ([`SNAPSHOT_VERSION`]).
//! * [`CopyDetector`]: online copy detection, returning [`ProvenanceLink`]s of a [`LinkKind`]
//!   with a confidence and [`Evidence`].
//! * [`Analysis`]: what is read from one [`Document`].
//! * [`run_stories`] / [`run_copies`]: the JSONL drivers behind `newsdesk stories --stream` and
//!   `newsdesk copies`.
//!
//! It does not store anything, fetch anything, or translate: a translation backend can be
//! plugged into the copy detector as a [`PivotTranslate`] ([`CopyDetector::set_pivot`]) to
//! confirm or reject translated copies.
//!
//! ```
//! use newsdesk_stories::{Document, StoryConfig, StoryEngine};
//! let mut engine = StoryEngine::new(StoryConfig::default());
//! let a = engine.add(&Document::new("1", "en", None, "Earthquake of magnitude 7.1 hits Chile",
//!     "A magnitude 7.1 earthquake struck near Valparaíso on Monday, officials said."));
//! let b = engine.add(&Document::new("2", "fr", None, "Séisme de magnitude 7,1 au Chili",
//!     "Un séisme de magnitude 7,1 a frappé près de Valparaiso lundi."));
//! let c = engine.add(&Document::new("3", "en", None, "Parliament passes budget",
//!     "The parliament of Norway passed the 2023 budget after a long debate."));
//! assert!(a.new_story);
//! assert_eq!(a.story, b.story);
//! assert_ne!(a.story, c.story);
//! ```

mod alignment;
mod analysis;
mod centroid;
mod copies;
mod document;
mod engine;
mod error;
mod footprint;
mod phonetic;
mod pivot;
mod provenance;
mod script;
mod snapshot;
mod stream;
mod transliteration;

pub use analysis::{Analysis, Token, tokens};
pub use copies::{CopyConfig, CopyDecision, CopyDetector};
pub use document::Document;
pub use engine::{Placement, StoryConfig, StoryEngine, StoryId, StoryInfo};
pub use error::StoriesError;
pub use footprint::Footprint;
pub use pivot::PivotTranslate;
pub use provenance::{Evidence, LinkKind, ProvenanceLink, Signal};
pub use snapshot::SNAPSHOT_VERSION;
pub use stream::{StreamSummary, run_copies, run_stories};
pub use transliteration::{fold, name_key};
