//! What the story engine holds in memory, counted: every per-article structure is bounded by
//! the time window (or a configured cap), never by the length of the stream.

/// Counts of what a [`crate::StoryEngine`] keeps, from [`crate::StoryEngine::footprint`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Articles in the story window (their features are counted in the document frequencies).
    pub window: usize,
    /// Distinct features with a document frequency.
    pub features: usize,
    /// Open stories.
    pub open_stories: usize,
    /// Article vectors kept in open stories (at most `max_members` per story).
    pub members: usize,
    /// Centroid terms over all open stories (at most `centroid_terms` each, plus slack).
    pub centroid_terms: usize,
    /// Article id → story entries (kept while the article's copies may still arrive).
    pub article_ids: usize,
    /// Merged story → surviving story redirections (kept while the survivor is open).
    pub aliases: usize,
    /// Articles in the copy detector's window.
    pub copy_window: usize,
}
