//! The story engine's saved state: a compact, versioned binary encoding.
//!
//! Layout: the 8 bytes `NDSTORY\0`, the format version as a little-endian `u32`, then the
//! engine in [`postcard`] (serde, variable-length integers), and nothing after it. The version
//! changes whenever the engine's state or its encoding changes shape; a snapshot of another
//! version (such as the `bincode` 1.3 snapshots of format 4 and before), of the JSON format
//! used before format 1, or a truncated one is refused with a clear error, never half-read: the
//! caller rebuilds (the pipeline logs it and starts a fresh engine above the stored story ids).
//!
//! **Why postcard.** Format 5 replaced `bincode` 1.3 (unmaintained, RUSTSEC-2025-0141). Engines
//! filled with each DEV story set (`StoryConfig::default()`), encoded by serde in each format,
//! median of 15 runs, quick release profile, on a loaded 2-core machine (one run of a throwaway
//! measuring program; the times are noisy, the sizes exact):
//!
//! | DEV set (articles) | bincode 1.3: bytes, save / restore | postcard | bitcode |
//! |---|---|---|---|
//! | ECB+ (535) | 5,204,629 B, 2.1 / 2.0 ms | 5,388,680 B, 4.0 / 3.9 ms | 4,808,815 B, 1.4 / 1.3 ms |
//! | copies (606) | 5,379,472 B, 2.4 / 2.2 ms | 5,535,024 B, 4.7 / 4.0 ms | 4,940,856 B, 1.7 / 1.6 ms |
//! | neardup (353) | 3,010,297 B, 1.2 / 1.2 ms | 3,123,455 B, 2.6 / 2.3 ms | 2,741,049 B, 1.0 / 0.8 ms |
//! | ITN (1,272; dated, 10-day window) | 19,079 B, 0.01 / 0.01 ms | 19,738 B, 0.01 / 0.02 ms | 17,308 B, 0.02 / 0.02 ms |
//!
//! Streamed, as the pipeline does it (this module's `write_snapshot` / `read_snapshot`, the
//! read including the rebuild of the candidate index) against bincode's `serialize_into` /
//! `deserialize_from`: ECB+ 4.5 / 11.1 ms against 1.7 / 2.2 ms; copies 4.6 / 16.9 ms against
//! 1.9 / 2.3 ms.
//!
//! postcard is 3-4 % larger than bincode's varint encoding and two to five times slower, which
//! is milliseconds for a 5 MB state, next to seconds of placing articles in a pass; it streams
//! both ways (the state is written into, and read out of, a database blob without a second
//! copy in memory, only the dates read pass through a small arena). bitcode is 8-10 % smaller
//! and a little faster than bincode, but it encodes to and decodes from one whole buffer, so a
//! state of hundreds of megabytes would be held twice; that decided for postcard.

use std::io::{BufRead, BufReader, Read, Write};

use postcard::de_flavors::Flavor;

use crate::engine::StoryEngine;
use crate::error::StoriesError;

/// First bytes of every snapshot.
const MAGIC: &[u8; 8] = b"NDSTORY\0";

/// The snapshot format this build writes and reads (3: the copy window keeps hashed keys and
/// sampled shingles instead of strings; 4: each seen article keeps its original's language;
/// 5: the engine in postcard instead of bincode 1.3).
pub const SNAPSHOT_VERSION: u32 = 5;

/// Bytes before the encoded engine.
const HEADER: usize = MAGIC.len() + 4;

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

/// A writer that keeps the first I/O error (postcard reports a failed write only as a full
/// buffer).
struct KeepError<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for KeepError<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            self.error
                .get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// postcard input read from a stream. Owned strings are read into one reused buffer;
/// borrowed ones (dates are read as `&str`) are copied into `arena`, which lives as long as
/// the decoding (a few bytes per date). Both grow only with the bytes actually read, so a
/// corrupt length ends in an error, never in a huge allocation.
struct ReadFlavor<'de, R> {
    reader: R,
    temp: Vec<u8>,
    arena: &'de bumpalo::Bump,
    /// Bytes read so far (for the error message).
    read: usize,
    /// The I/O error that ended the decoding, if one did.
    error: Option<std::io::Error>,
}

impl<R: BufRead> ReadFlavor<'_, R> {
    /// Reads `ct` bytes into `temp`.
    fn fill(&mut self, ct: usize) -> postcard::Result<()> {
        self.temp.clear();
        let want = u64::try_from(ct).unwrap_or(u64::MAX);
        match (&mut self.reader).take(want).read_to_end(&mut self.temp) {
            Ok(n) if n == ct => {
                self.read += n;
                Ok(())
            }
            Ok(_) => Err(postcard::Error::DeserializeUnexpectedEnd),
            Err(e) => Err(self.fail(e)),
        }
    }

    fn fail(&mut self, e: std::io::Error) -> postcard::Error {
        let end = e.kind() == std::io::ErrorKind::UnexpectedEof;
        self.error = Some(e);
        if end {
            postcard::Error::DeserializeUnexpectedEnd
        } else {
            postcard::Error::SerdeDeCustom
        }
    }
}

impl<'de, R: BufRead + 'de> Flavor<'de> for ReadFlavor<'de, R> {
    type Remainder = (R, usize, Option<std::io::Error>);
    type Source = R;

    fn pop(&mut self) -> postcard::Result<u8> {
        let byte = match self.reader.fill_buf() {
            Ok(buf) => buf.first().copied(),
            Err(e) => return Err(self.fail(e)),
        };
        match byte {
            Some(b) => {
                self.reader.consume(1);
                self.read += 1;
                Ok(b)
            }
            None => Err(postcard::Error::DeserializeUnexpectedEnd),
        }
    }

    fn try_take_n(&mut self, ct: usize) -> postcard::Result<&'de [u8]> {
        self.fill(ct)?;
        Ok(self.arena.alloc_slice_copy(&self.temp))
    }

    fn try_take_n_temp<'a>(&'a mut self, ct: usize) -> postcard::Result<&'a [u8]>
    where
        'de: 'a,
    {
        self.fill(ct)?;
        Ok(&self.temp)
    }

    fn finalize(self) -> postcard::Result<Self::Remainder> {
        Ok((self.reader, self.read, self.error))
    }
}

impl StoryEngine {
    /// Serialises the whole state (see [`StoryEngine::write_snapshot`]).
    pub fn snapshot(&self) -> Result<Vec<u8>, StoriesError> {
        let mut out = Vec::new();
        self.write_snapshot(&mut out)?;
        Ok(out)
    }

    /// The exact size in bytes of what [`StoryEngine::write_snapshot`] writes now (computed
    /// by walking the state, without keeping the encoding), for writers that must know it
    /// first (a database blob is allocated before it is written).
    pub fn snapshot_len(&self) -> Result<u64, StoriesError> {
        let body = postcard::experimental::serialized_size(self)
            .map_err(|source| StoriesError::SnapshotCorrupt { bytes: 0, source })?;
        Ok((HEADER + body) as u64)
    }

    /// Writes the whole state to `out`, streamed (no second copy is built): a versioned
    /// binary encoding that [`StoryEngine::restore`] / [`StoryEngine::read_snapshot`] read.
    pub fn write_snapshot<W: Write>(&self, mut out: W) -> Result<(), StoriesError> {
        out.write_all(MAGIC)?;
        out.write_all(&SNAPSHOT_VERSION.to_le_bytes())?;
        let mut out = KeepError {
            inner: out,
            error: None,
        };
        if let Err(source) = postcard::to_io(self, &mut out) {
            return Err(match out.error {
                Some(e) => StoriesError::Io(e),
                None => StoriesError::SnapshotCorrupt { bytes: 0, source },
            });
        }
        out.flush()?;
        Ok(())
    }

    /// Restores a state written by [`StoryEngine::snapshot`]. A snapshot of another format
    /// version (the bincode snapshots of format 4 and before, or the JSON snapshots of earlier
    /// builds) gives [`StoriesError::SnapshotVersion`] / [`StoriesError::SnapshotFormat`], a
    /// truncated or corrupt one (or one with bytes after the engine)
    /// [`StoriesError::SnapshotCorrupt`].
    pub fn restore(bytes: &[u8]) -> Result<StoryEngine, StoriesError> {
        check_header(bytes)?;
        let body = bytes.get(HEADER..).unwrap_or_default();
        let corrupt = |source| StoriesError::SnapshotCorrupt {
            bytes: bytes.len(),
            source,
        };
        let (engine, rest): (StoryEngine, _) = postcard::take_from_bytes(body).map_err(corrupt)?;
        if !rest.is_empty() {
            return Err(corrupt(postcard::Error::DeserializeBadEncoding));
        }
        Ok(engine.restored())
    }

    /// Restores a state streamed from `input` (see [`StoryEngine::restore`]); `input` is read
    /// through a buffer.
    pub fn read_snapshot<R: Read>(input: R) -> Result<StoryEngine, StoriesError> {
        let mut input = BufReader::new(input);
        let mut header = [0u8; HEADER];
        let mut got = 0;
        while got < HEADER {
            match input.read(&mut header[got..])? {
                0 => break,
                n => got += n,
            }
        }
        check_header(&header[..got])?;
        let arena = bumpalo::Bump::new();
        let mut decoder = postcard::Deserializer::from_flavor(ReadFlavor {
            reader: input,
            temp: Vec::new(),
            arena: &arena,
            read: got,
            error: None,
        });
        let decoded: Result<StoryEngine, _> = serde::Deserialize::deserialize(&mut decoder);
        let (mut rest, read, error) = decoder
            .finalize()
            .map_err(|source| StoriesError::SnapshotCorrupt { bytes: got, source })?;
        let corrupt = |source| StoriesError::SnapshotCorrupt {
            bytes: read,
            source,
        };
        let engine = match (decoded, error) {
            (Ok(engine), _) => engine,
            (Err(_), Some(e)) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
                return Err(StoriesError::Io(e));
            }
            (Err(source), _) => return Err(corrupt(source)),
        };
        if rest.read(&mut [0u8; 1])? != 0 {
            return Err(corrupt(postcard::Error::DeserializeBadEncoding));
        }
        Ok(engine.restored())
    }
}
