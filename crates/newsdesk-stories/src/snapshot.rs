//! The story engine's saved state: a compact, versioned binary encoding.
//!
//! Layout: the 8 bytes `NDSTORY\0`, the format version as a little-endian `u32`, then the
//! engine in `bincode` (variable-length integers). The version changes whenever the engine's
//! state changes shape; a snapshot of another version, of the JSON format used before, or a
//! truncated one is refused with a clear error, never half-read: the caller rebuilds.

use std::io::{Read, Write};

use bincode::Options;

use crate::engine::StoryEngine;
use crate::error::StoriesError;

/// First bytes of every snapshot.
const MAGIC: &[u8; 8] = b"NDSTORY\0";

/// The snapshot format this build writes and reads (3: the copy window keeps hashed keys and
/// sampled shingles instead of strings; 4: each seen article keeps its original's language).
pub const SNAPSHOT_VERSION: u32 = 4;

/// Bytes before the encoded engine.
const HEADER: usize = MAGIC.len() + 4;

/// Decoding never reads (or allocates for) more than this, whatever a corrupt length says.
const MAX_SNAPSHOT_BYTES: u64 = 16 << 30;

fn options() -> impl Options {
    bincode::DefaultOptions::new()
        .with_varint_encoding()
        .with_limit(MAX_SNAPSHOT_BYTES)
}

fn check_header(header: &[u8]) -> Result<(), StoriesError> {
    if header.len() < HEADER {
        return Err(StoriesError::SnapshotFormat("shorter than its header"));
    }
    if header.first() == Some(&b'{') {
        return Err(StoriesError::SnapshotFormat(
            "a JSON snapshot of an earlier version",
        ));
    }
    if &header[..MAGIC.len()] != MAGIC {
        return Err(StoriesError::SnapshotFormat("unknown header"));
    }
    let mut version = [0u8; 4];
    version.copy_from_slice(&header[MAGIC.len()..HEADER]);
    let found = u32::from_le_bytes(version);
    if found != SNAPSHOT_VERSION {
        return Err(StoriesError::SnapshotVersion {
            found,
            expected: SNAPSHOT_VERSION,
        });
    }
    Ok(())
}

impl StoryEngine {
    /// Serialises the whole state (see [`StoryEngine::write_snapshot`]).
    pub fn snapshot(&self) -> Result<Vec<u8>, StoriesError> {
        let mut out = Vec::new();
        self.write_snapshot(&mut out)?;
        Ok(out)
    }

    /// The exact size in bytes of what [`StoryEngine::write_snapshot`] writes now (computed
    /// by walking the state, without encoding it), for writers that must know it first (a
    /// database blob is allocated before it is written).
    pub fn snapshot_len(&self) -> Result<u64, StoriesError> {
        let body = options()
            .serialized_size(self)
            .map_err(|source| StoriesError::SnapshotCorrupt { bytes: 0, source })?;
        Ok(HEADER as u64 + body)
    }

    /// Writes the whole state to `out`, streamed (no second copy is built): a versioned
    /// binary encoding that [`StoryEngine::restore`] / [`StoryEngine::read_snapshot`] read.
    pub fn write_snapshot<W: Write>(&self, mut out: W) -> Result<(), StoriesError> {
        out.write_all(MAGIC)?;
        out.write_all(&SNAPSHOT_VERSION.to_le_bytes())?;
        options()
            .serialize_into(&mut out, self)
            .map_err(|source| StoriesError::SnapshotCorrupt { bytes: 0, source })?;
        out.flush()?;
        Ok(())
    }

    /// Restores a state written by [`StoryEngine::snapshot`]. A snapshot of another format
    /// version (or the JSON snapshots of earlier builds) gives
    /// [`StoriesError::SnapshotVersion`] / [`StoriesError::SnapshotFormat`], a truncated or
    /// corrupt one [`StoriesError::SnapshotCorrupt`].
    pub fn restore(bytes: &[u8]) -> Result<StoryEngine, StoriesError> {
        check_header(bytes)?;
        let body = bytes.get(HEADER..).unwrap_or_default();
        let engine: StoryEngine =
            options()
                .deserialize(body)
                .map_err(|source| StoriesError::SnapshotCorrupt {
                    bytes: bytes.len(),
                    source,
                })?;
        Ok(engine.restored())
    }

    /// Restores a state streamed from `input` (see [`StoryEngine::restore`]).
    pub fn read_snapshot<R: Read>(mut input: R) -> Result<StoryEngine, StoriesError> {
        let mut header = [0u8; HEADER];
        let mut got = 0;
        while got < HEADER {
            match input.read(&mut header[got..])? {
                0 => break,
                n => got += n,
            }
        }
        check_header(&header[..got])?;
        let engine: StoryEngine = options()
            .deserialize_from(input)
            .map_err(|source| StoriesError::SnapshotCorrupt { bytes: got, source })?;
        Ok(engine.restored())
    }
}
