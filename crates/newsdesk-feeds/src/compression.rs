//! gzip-compressed documents (`sitemap.xml.gz`, feeds served as `application/gzip`).
//!
//! The fetcher undoes `Content-Encoding`, but a file that is itself compressed arrives as
//! gzip bytes: it is recognised by its magic number and inflated here, with a size cap.

use std::borrow::Cow;
use std::io::Read;

use crate::FeedError;

/// Largest inflated document: 50 MiB, the limit sitemaps.org sets on an uncompressed sitemap.
pub const MAX_INFLATED_BYTES: u64 = 50 * 1024 * 1024;

/// The bytes, inflated when they start with the gzip magic number (`1f 8b`).
pub(crate) fn gunzip_if_compressed<'a>(
    bytes: &'a [u8],
    url: Option<&str>,
) -> Result<Cow<'a, [u8]>, FeedError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let error = |reason: String| FeedError::Compressed {
        url: url.map(str::to_owned),
        reason,
    };
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(MAX_INFLATED_BYTES + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| error(format!("broken gzip stream: {e}")))?;
    if out.len() as u64 > MAX_INFLATED_BYTES {
        return Err(error(format!(
            "inflates to more than {MAX_INFLATED_BYTES} bytes"
        )));
    }
    tracing::debug!(url = ?url, compressed = bytes.len(), inflated = out.len(), "feeds: gzip document inflated");
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn plain_bytes_pass_through_and_gzip_is_inflated() {
        assert!(matches!(
            gunzip_if_compressed(b"<rss/>", None).unwrap(),
            Cow::Borrowed(_)
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<rss/>").unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(&*gunzip_if_compressed(&bytes, None).unwrap(), b"<rss/>");
    }

    #[test]
    fn a_gzip_bomb_is_refused() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..=MAX_INFLATED_BYTES / (1024 * 1024) {
            gz.write_all(&zeros).unwrap();
        }
        let bytes = gz.finish().unwrap();
        let err = gunzip_if_compressed(&bytes, Some("https://x.example/bomb.gz")).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        assert!(err.to_string().contains("https://x.example/bomb.gz"));
    }
}
