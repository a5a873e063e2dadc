//! JSONL drivers for the command line and the benchmarks: one document per line in, one answer
//! per line out (`{"id", "copy_of", "top"}` or `{"id", "cluster"}`).

use std::io::{BufRead, Write};
use std::sync::Arc;

use serde::Serialize;

use crate::document::Document;
use crate::engine::{StoryConfig, StoryEngine};
use crate::error::StoriesError;
use crate::pivot::PivotTranslate;

/// Counts printed after a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Documents read.
    pub documents: usize,
    /// Documents linked (copies) or stories made (stories).
    pub found: usize,
}

fn read_documents<R: BufRead>(input: R) -> impl Iterator<Item = Result<Document, StoriesError>> {
    input
        .lines()
        .enumerate()
        .filter_map(|(i, line)| match line {
            Err(e) => Some(Err(StoriesError::Io(e))),
            Ok(l) if l.trim().is_empty() => None,
            Ok(l) => Some(serde_json::from_str::<Document>(&l).map_err(|source| {
                StoriesError::BadRecord {
                    line: i + 1,
                    source,
                }
            })),
        })
}

#[derive(Serialize)]
struct CopyOut<'a> {
    id: &'a str,
    copy_of: Option<&'a str>,
    top: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f32>,
}

/// `newsdesk copies`: links each document of the pool (in file order) to the original it
/// copies, or `null`, as the story engine does in the pipeline: the same [`StoryEngine`] with
/// the same `config` and `pivot` places every document, and its provenance links are written.
/// Links of kind "shares quotes" are not copies and are written as `null`.
pub fn run_copies<R: BufRead, W: Write>(
    input: R,
    mut output: W,
    config: StoryConfig,
    pivot: Option<Arc<dyn PivotTranslate>>,
) -> Result<StreamSummary, StoriesError> {
    let mut engine = StoryEngine::new(config);
    engine.set_pivot(pivot);
    let mut summary = StreamSummary::default();
    for doc in read_documents(input) {
        let doc = doc?;
        let placement = engine.add(&doc);
        let copy = placement
            .provenance
            .as_ref()
            .filter(|l| l.kind != crate::LinkKind::SharesQuotes);
        summary.documents += 1;
        if copy.is_some() {
            summary.found += 1;
        }
        let out = CopyOut {
            id: &doc.id,
            copy_of: copy.map(|l| l.original.as_str()),
            top: placement.top.as_deref(),
            kind: copy.map(|l| l.kind.as_str()),
            confidence: copy.map(|l| l.confidence),
        };
        serde_json::to_writer(&mut output, &out).map_err(StoriesError::State)?;
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(summary)
}

#[derive(Serialize)]
struct StoryOut<'a> {
    id: &'a str,
    cluster: u64,
}

/// `newsdesk stories --stream`: places each document online, then writes every document's
/// final story (merges and splits made after arrival included), in input order. Like the
/// pipeline, it does not call [`StoryEngine::finish`] (a running server has no end of stream).
pub fn run_stories<R: BufRead, W: Write>(
    input: R,
    mut output: W,
    config: StoryConfig,
    pivot: Option<Arc<dyn PivotTranslate>>,
) -> Result<StreamSummary, StoriesError> {
    let mut engine = StoryEngine::new(config);
    engine.set_pivot(pivot);
    let mut placed: Vec<(String, u64)> = Vec::new();
    // Story → indices into `placed`, to apply merges; article id → index, to apply splits.
    let mut members: rustc_hash::FxHashMap<u64, Vec<usize>> = rustc_hash::FxHashMap::default();
    let mut index_of: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    let apply_move = |placed: &mut Vec<(String, u64)>,
                      members: &mut rustc_hash::FxHashMap<u64, Vec<usize>>,
                      i: usize,
                      to: u64| {
        placed[i].1 = to;
        members.entry(to).or_default().push(i);
    };
    for doc in read_documents(input) {
        let doc = doc?;
        let p = engine.add(&doc);
        for (gone, keep) in &p.merged {
            for i in members.remove(gone).unwrap_or_default() {
                if placed[i].1 == *gone {
                    apply_move(&mut placed, &mut members, i, *keep);
                }
            }
        }
        for (id, to) in &p.moved {
            if let Some(&i) = index_of.get(id) {
                apply_move(&mut placed, &mut members, i, *to);
            }
        }
        let i = placed.len();
        index_of.insert(doc.id.clone(), i);
        placed.push((doc.id, p.story));
        members.entry(p.story).or_default().push(i);
    }
    let mut stories = rustc_hash::FxHashSet::default();
    for (id, cluster) in &placed {
        let cluster = *cluster;
        stories.insert(cluster);
        serde_json::to_writer(&mut output, &StoryOut { id, cluster })
            .map_err(StoriesError::State)?;
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(StreamSummary {
        documents: placed.len(),
        found: stories.len(),
    })
}
