//! Apertium, the free rule-based translator that runs on this machine: through the `apertium`
//! command ([`ApertiumCli`]) or an Apertium-APy HTTP server ([`ApertiumApy`]).
//!
//! Apertium names modes `eng-spa` or `fr-es`; we speak ISO 639-1 and map both ways. One call
//! costs ≈0.2 s of start-up, so a batch of segments goes in one call, one segment per
//! paragraph: segments are separated by a blank line, which Apertium treats as a paragraph
//! break (a single newline is not enough: its transfer rules reorder words across it). The
//! answer must have exactly as many paragraphs; if not, each segment is sent alone.
//!
//! `translate` asks for no unknown-word marks (`-u`; `markUnknown=no`); `translate_marked` asks
//! for them, and the translator reads and takes them out (see `unknown.rs`).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::backend::{Backend, BoxFuture, LangPair};
use crate::error::TranslateError;
use crate::language::{iso639_3, normalize_language};
use crate::service::{HttpService, base_url};

/// Where Debian's Apertium packages install their modes.
pub const DEFAULT_MODES_DIR: &str = "/usr/share/apertium/modes";

/// Separator between segments in one Apertium call.
const SEGMENT_SEPARATOR: &str = "\n\n";

/// Joins segments for one call: one per paragraph, newlines inside a segment flattened.
fn join_segments(segments: &[String]) -> String {
    let mut s = String::new();
    for (i, seg) in segments.iter().enumerate() {
        if i > 0 {
            s.push_str(SEGMENT_SEPARATOR);
        }
        s.push_str(&seg.replace(['\n', '\r'], " "));
    }
    s.push('\n');
    s
}

/// Splits one call's answer back into segments; `None` when the count differs.
fn split_answer(answer: &str, expected: usize) -> Option<Vec<String>> {
    let parts: Vec<String> = answer
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (parts.len() == expected).then_some(parts)
}

/// Reads the mode names of a modes directory: `eng-spa.mode` → (en→es, "eng-spa"). Variants
/// (`spa-eng_US`) and helper modes with more than two parts are skipped.
pub fn discover_modes(dir: &Path) -> Vec<(LangPair, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut modes = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(mode) = name.strip_suffix(".mode") else {
            continue;
        };
        let parts: Vec<&str> = mode.split('-').collect();
        if parts.len() != 2 || mode.contains('_') {
            continue;
        }
        let known = |c: &str| (c.len() == 2 || c.len() == 3) && iso639_3(c).is_some();
        if known(parts[0]) && known(parts[1]) {
            modes.push((LangPair::new(parts[0], parts[1]), mode.to_string()));
        }
    }
    modes.sort();
    modes
}

/// Whether the `apertium` program runs here and at least one mode is installed.
pub fn apertium_available() -> bool {
    let runs = std::process::Command::new("apertium")
        .arg("-l")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    runs && !discover_modes(Path::new(DEFAULT_MODES_DIR)).is_empty()
}

/// Apertium through its command-line program.
#[derive(Debug, Clone)]
pub struct ApertiumCli {
    name: String,
    program: PathBuf,
    modes: Vec<(LangPair, String)>,
    timeout: Duration,
}

impl ApertiumCli {
    /// The `apertium` program with the modes installed in `modes_dir` (default
    /// [`DEFAULT_MODES_DIR`]).
    pub fn new(name: &str, modes_dir: Option<&Path>, timeout: Duration) -> ApertiumCli {
        let dir = modes_dir.unwrap_or(Path::new(DEFAULT_MODES_DIR));
        ApertiumCli {
            name: name.to_string(),
            program: PathBuf::from("apertium"),
            modes: discover_modes(dir),
            timeout,
        }
    }

    /// Keeps only these pairs (when the configuration lists some).
    pub fn restrict(mut self, pairs: &[LangPair]) -> ApertiumCli {
        if !pairs.is_empty() {
            self.modes
                .retain(|(p, _)| pairs.iter().any(|q| q.covers(&p.from, &p.to)));
        }
        self
    }

    fn mode(&self, from: &str, to: &str) -> Result<&str, TranslateError> {
        self.modes
            .iter()
            .find(|(p, _)| p.from == from && p.to == to)
            .map(|(_, m)| m.as_str())
            .ok_or_else(|| TranslateError::UnsupportedPair {
                backend: self.name.clone(),
                from: from.to_string(),
                to: to.to_string(),
            })
    }

    async fn run(&self, mode: &str, input: String, marks: bool) -> Result<String, TranslateError> {
        let unmarked = if marks { None } else { Some("-u") };
        let program = format!(
            "{}{} {mode}",
            self.program.display(),
            if marks { "" } else { " -u" }
        );
        let mut child = tokio::process::Command::new(&self.program)
            .args(unmarked)
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| TranslateError::Spawn {
                backend: self.name.clone(),
                program: program.clone(),
                source,
            })?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| TranslateError::BadAnswer {
                backend: self.name.clone(),
                url: program.clone(),
                message: "no standard input".to_string(),
            })?;
        // Write while the child reads, so a large batch cannot deadlock on full pipes.
        let writer = tokio::spawn(async move {
            let r = stdin.write_all(input.as_bytes()).await;
            drop(stdin);
            r
        });
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(r) => r.map_err(|source| TranslateError::Spawn {
                backend: self.name.clone(),
                program: program.clone(),
                source,
            })?,
            Err(_) => {
                return Err(TranslateError::Timeout {
                    backend: self.name.clone(),
                    after: self.timeout,
                });
            }
        };
        let _ = writer.await;
        if !output.status.success() {
            let stderr: String = String::from_utf8_lossy(&output.stderr)
                .chars()
                .take(300)
                .collect();
            return Err(TranslateError::Program {
                backend: self.name.clone(),
                program,
                status: output.status.to_string(),
                stderr,
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

impl ApertiumCli {
    /// Translates a batch, with Apertium's unknown-word marks when `marks`.
    async fn translate_with(
        &self,
        segments: &[String],
        from: &str,
        to: &str,
        marks: bool,
    ) -> Result<Vec<String>, TranslateError> {
        let mode = self.mode(from, to)?.to_string();
        if segments.is_empty() {
            return Ok(Vec::new());
        }
        batch_or_one_by_one(&self.name, segments, |text| self.run(&mode, text, marks)).await
    }
}

/// Translates `segments` in one call of `call` (joined with separators that survive Apertium),
/// and one call per segment when the answer lost its separators.
async fn batch_or_one_by_one<F, Fut>(
    backend: &str,
    segments: &[String],
    call: F,
) -> Result<Vec<String>, TranslateError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, TranslateError>>,
{
    let answer = call(join_segments(segments)).await?;
    if let Some(parts) = split_answer(&answer, segments.len()) {
        return Ok(parts);
    }
    tracing::debug!(
        backend,
        segments = segments.len(),
        "apertium batch lost its separators; translating one by one"
    );
    let mut out = Vec::with_capacity(segments.len());
    for seg in segments {
        let answer = call(join_segments(std::slice::from_ref(seg))).await?;
        out.push(answer.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    Ok(out)
}

impl Backend for ApertiumCli {
    fn name(&self) -> &str {
        &self.name
    }

    fn pairs(&self) -> Vec<LangPair> {
        self.modes.iter().map(|(p, _)| p.clone()).collect()
    }

    fn keeps_numbers(&self) -> bool {
        true
    }

    fn marks_unknown(&self) -> bool {
        true
    }

    fn translate<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        Box::pin(self.translate_with(segments, from, to, false))
    }

    fn translate_marked<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        Box::pin(self.translate_with(segments, from, to, true))
    }
}

/// Apertium through an Apertium-APy server (`GET /listPairs`, `POST /translate`).
#[derive(Debug, Clone)]
pub struct ApertiumApy {
    name: String,
    base: String,
    http: HttpService,
    /// Our pair → APy's `langpair` value (`eng|spa`).
    pairs: Vec<(LangPair, String)>,
}

impl ApertiumApy {
    /// Connects to the server at `base` (e.g. `http://127.0.0.1:2737`) and reads its pairs.
    pub async fn connect(
        name: &str,
        base: &str,
        timeout: Duration,
    ) -> Result<ApertiumApy, TranslateError> {
        let base = base_url(name, base)?;
        let http = HttpService::new(name, timeout)?;
        let url = format!("{base}/listPairs");
        let body = http.get_json(&url).await?;
        let list = body
            .get("responseData")
            .and_then(|v| v.as_array())
            .ok_or_else(|| TranslateError::BadAnswer {
                backend: name.to_string(),
                url: url.clone(),
                message: "no responseData array".to_string(),
            })?;
        let mut pairs = Vec::new();
        for p in list {
            let (Some(s), Some(t)) = (
                p.get("sourceLanguage").and_then(|v| v.as_str()),
                p.get("targetLanguage").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            if t.contains('_') {
                continue;
            }
            pairs.push((LangPair::new(s, t), format!("{s}|{t}")));
        }
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        Ok(ApertiumApy {
            name: name.to_string(),
            base,
            http,
            pairs,
        })
    }
}

impl ApertiumApy {
    /// Translates a batch, with Apertium's unknown-word marks when `marks`.
    async fn translate_with(
        &self,
        segments: &[String],
        from: &str,
        to: &str,
        marks: bool,
    ) -> Result<Vec<String>, TranslateError> {
        let from = normalize_language(from);
        let to = normalize_language(to);
        let langpair = self
            .pairs
            .iter()
            .find(|(p, _)| p.from == from && p.to == to)
            .map(|(_, lp)| lp.clone())
            .ok_or_else(|| TranslateError::UnsupportedPair {
                backend: self.name.clone(),
                from: from.clone(),
                to: to.clone(),
            })?;
        let url = format!("{}/translate", self.base);
        let call = |text: String| {
            let url = url.clone();
            let langpair = langpair.clone();
            async move {
                let form = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("q", &text)
                    .append_pair("langpair", &langpair)
                    .append_pair("markUnknown", if marks { "yes" } else { "no" })
                    .finish();
                let v = self
                    .http
                    .post(&url, "application/x-www-form-urlencoded", form, &[])
                    .await?;
                v.pointer("/responseData/translatedText")
                    .and_then(|t| t.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| TranslateError::BadAnswer {
                        backend: self.name.clone(),
                        url: url.clone(),
                        message: "no responseData.translatedText".to_string(),
                    })
            }
        };
        if segments.is_empty() {
            return Ok(Vec::new());
        }
        batch_or_one_by_one(&self.name, segments, call).await
    }
}

impl Backend for ApertiumApy {
    fn name(&self) -> &str {
        &self.name
    }

    fn pairs(&self) -> Vec<LangPair> {
        self.pairs.iter().map(|(p, _)| p.clone()).collect()
    }

    fn keeps_numbers(&self) -> bool {
        true
    }

    fn marks_unknown(&self) -> bool {
        true
    }

    fn translate<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        Box::pin(self.translate_with(segments, from, to, false))
    }

    fn translate_marked<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        Box::pin(self.translate_with(segments, from, to, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_split_back_and_detect_lost_separators() {
        let segs = vec!["One.".to_string(), "Two\nlines.".to_string()];
        assert_eq!(join_segments(&segs), "One.\n\nTwo lines.\n");
        assert_eq!(
            split_answer(" Uno.\n\nDos líneas.\n", 2),
            Some(vec!["Uno.".to_string(), "Dos líneas.".to_string()])
        );
        assert_eq!(split_answer("Uno. Dos.\n", 2), None);
    }

    #[test]
    fn modes_are_discovered_from_file_names() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "eng-spa.mode",
            "fr-es.mode",
            "spa-eng_US.mode",
            "eco-es-fr.mode",
            "README",
        ] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let modes = discover_modes(dir.path());
        assert_eq!(
            modes,
            vec![
                (LangPair::new("en", "es"), "eng-spa".to_string()),
                (LangPair::new("fr", "es"), "fr-es".to_string())
            ]
        );
    }
}
