//! Translation stage of newsdesk: faithful machine translation of article titles and texts.
//!
//! A [`Translator`] takes a text and a language pair and returns a [`Translation`]: the text
//! translated sentence by sentence, the [`Route`] it took and what happened to each
//! [`SegmentOutcome`]. On the way it
//!
//! * segments each paragraph into sentences without ever splitting a quotation
//!   ([`split_sentences`]);
//! * protects what must not change (markup, URLs, e-mail addresses, dates, times, numbers,
//!   quoted names of outlets, a title's site suffix, and personal and place names: [`Names`])
//!   with placeholders ([`protect`], [`protect_segment`]);
//! * writes numbers, percentages, amounts and dates in the target's conventions (`52,3 %`,
//!   `1er avril`, `4 000` in French: [`localise_facts`]);
//! * takes apart words a backend glued together (`Walterde91años`: [`repair_glued`]), or keeps
//!   the segment in the original when it cannot ([`glued_tokens`]);
//! * routes the pair over the configured [`Backend`]s ([`ApertiumCli`], [`ApertiumApy`],
//!   [`LibreTranslate`], [`DeepL`], [`OpenAiChat`]), through a pivot language when no backend
//!   has the pair ([`plan_route`]), with per-backend rate limits, retries with backoff and a
//!   daily character budget;
//! * checks every translated segment ([`check_hop`], [`check_final`]): placeholders restored,
//!   numbers present, quotation marks balanced, length ratio sane, and on a pivot route not too
//!   many pivot-language words left in ([`check_pivot_leaks`]). A failing segment is retried
//!   alone, then kept in the original language behind a visible marker;
//! * reads Apertium's unknown-word marks ([`MarkedText`]): on a pivot route the first leg's
//!   unknown words and the names it copied pass through the next leg unchanged, words a leg
//!   did not know are counted, and the marks never reach the output;
//! * applies the target's typography ([`apply_typography`]: « » with narrow no-break spaces in
//!   French, „ “ in German…);
//! * caches each checked hop in a [`TranslationCache`] keyed by backend, pair and segment hash
//!   ([`cache_key`]), which also keeps the per-backend [`TranslationUsage`] counters. The trait
//!   is `newsdesk-core`'s; newsdesk's database (`newsdesk-store`) implements it, and
//!   [`MemoryCache`] is here for tests and runs without a database.
//!
//! It does not detect languages (`newsdesk-text` does), parse HTML, or store articles.
//! [`TranslateConfig`] is the `[translate]` table of newsdesk.toml.
//!
//! ```
//! use newsdesk_translate::{apply_typography, protect, split_sentences};
//!
//! let s = split_sentences("He said: “We stay. We fight.” Then he left.", "en");
//! assert_eq!(s, vec!["He said: “We stay. We fight.”", "Then he left."]);
//!
//! let p = protect("Turnout was 61.5% on 2026-03-14.");
//! assert_eq!(p.text, "Turnout was ZZ1ZZ% on ZZ2ZZ.");
//! assert_eq!(p.restore("La participación fue del ZZ1ZZ% el ZZ2ZZ.").unwrap(),
//!            "La participación fue del 61.5% el 2026-03-14.");
//!
//! assert_eq!(apply_typography("Il a dit \"non\".", "fr"), "Il a dit «\u{202F}non\u{202F}».");
//! ```

mod apertium;
mod backend;
mod cache;
mod check;
mod config;
mod deepl;
mod error;
mod facts;
mod fidelity;
mod language;
mod libretranslate;
mod names;
mod openai;
mod protect;
mod quotes;
mod route;
mod segment;
mod service;
mod throttle;
mod translator;
mod typography;
mod unknown;

pub use apertium::{
    ApertiumApy, ApertiumCli, DEFAULT_MODES_DIR, apertium_available, discover_modes,
};
pub use backend::{Backend, BoxFuture, LangPair};
pub use cache::{MemoryCache, cache_key};
pub use check::{
    CheckFailure, LengthBounds, check_final, check_hop, check_pivot_leaks, glued_tokens, numbers,
    repair_glued,
};
pub use config::{BackendConfig, BackendKind, RouteConfig, TranslateConfig};
pub use deepl::DeepL;
pub use error::TranslateError;
pub use facts::localise_facts;
pub use fidelity::{FidelityScore, Kept, fidelity_blocks, fidelity_sentences, strip_name_marks};
pub use language::{iso639_3, normalize_language};
pub use libretranslate::LibreTranslate;
pub use names::Names;
pub use openai::{OpenAiChat, system_prompt};
pub use protect::{
    PLACEHOLDER_PREFIX, PLACEHOLDER_SUFFIX, PlaceholderProblem, ProtectOptions, Protected,
    placeholder, protect, protect_segment, protect_with,
};
pub use quotes::{QuotePair, QuoteScan, is_quote_mark, scan_quotes};
pub use route::{BackendPairs, Hop, Route, plan_route};
pub use segment::split_sentences;
pub use service::{HttpService, classify};
pub use throttle::{RateLimiter, RetryPolicy};
pub use translator::{
    ManagedBackend, SegmentOutcome, SegmentStatus, Translation, Translator, TranslatorOptions,
    build_backend,
};
pub use typography::{
    NARROW_NBSP, NBSP, QuoteStyle, apply_typography, quote_style, repair_single_quotes,
};
pub use unknown::{MarkedText, MarkedWord, inner_capitalised_words, leak_share, pivot_leaks};

/// The cache's interface, defined in `newsdesk-core` (the store implements it).
pub use newsdesk_core::{CacheKey, TranslationCache, TranslationCacheError, TranslationUsage};
