//! Provenance links: what an article copies, how sure the stage is, and the evidence.

use serde::{Deserialize, Serialize};

/// How an article relates to the earlier article it links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Same-language copy (possibly edited: boilerplate, cuts, new title, light rewording).
    Copy,
    /// A translation (human or machine) of the original into another language.
    TranslatedCopy,
    /// Not a copy, but quotes the same passage(s) as the linked article.
    SharesQuotes,
}

impl LinkKind {
    /// Stable name: `copy`, `translated_copy`, `shares_quotes`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Copy => "copy",
            LinkKind::TranslatedCopy => "translated_copy",
            LinkKind::SharesQuotes => "shares_quotes",
        }
    }
}

/// Which signal a piece of evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Shared word sequences (same-language text).
    SharedText,
    /// Same number of paragraphs with proportional lengths.
    ParagraphStructure,
    /// Shared numbers (amounts, dates, scores).
    Numbers,
    /// Shared names after transliteration folding.
    Names,
    /// A shared quoted passage.
    Quote,
    /// A shared URL.
    Url,
    /// Word pairs shared once both articles are translated into a pivot language.
    PivotTranslation,
}

/// One piece of evidence for a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The signal.
    pub signal: Signal,
    /// What matched: the passage, the numbers or names, or a summary of the overlap.
    pub detail: String,
}

/// A link from a new article to the earlier article it copies (always the original, the
/// earliest version known, never another copy of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceLink {
    /// Kind of link.
    pub kind: LinkKind,
    /// Id of the original.
    pub original: String,
    /// Id of the article that matched (the original itself, or a copy of it).
    pub matched: String,
    /// Confidence in `0.0..=1.0`.
    pub confidence: f32,
    /// What matched.
    pub evidence: Vec<Evidence>,
}
