//! Quotation marks: which marks open, which close, and which pairs belong together.
//!
//! Used by the segmenter (never split inside a quotation), the checker (marks balanced after
//! translation) and the typography (re-quote in the target language's style). ASCII `'` is
//! never treated as a quote (it is far more often an apostrophe); `’` closes only a `‘`/`‚`.
//! Text inside markup tags (`<a href="…">`) is skipped.

/// One matched pair of quotation marks, as byte offsets of the marks in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotePair {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset of the closing mark.
    pub close: usize,
    /// Nesting depth: 0 for an outer quotation, 1 for a quotation inside it, …
    pub depth: usize,
}

/// The quotation marks of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteScan {
    /// Matched pairs, in the order they close.
    pub pairs: Vec<QuotePair>,
    /// Byte offsets of marks that have no partner.
    pub unmatched: Vec<usize>,
}

impl QuoteScan {
    /// Whether every quotation mark has its partner.
    pub fn is_balanced(&self) -> bool {
        self.unmatched.is_empty()
    }

    /// Whether byte offset `at` lies strictly inside a matched quotation (after its opening mark,
    /// up to and including its closing mark).
    pub fn inside(&self, at: usize) -> bool {
        self.pairs.iter().any(|p| p.open < at && at <= p.close)
    }
}

/// Whether `c` is one of the quotation marks this module knows.
pub fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '‚' | '‹' | '›'
    )
}

/// Finds the quotation marks of `text` and pairs them.
pub fn scan_quotes(text: &str) -> QuoteScan {
    let mut scan = QuoteScan::default();
    // (offset, mark) of open quotations.
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut prev: Option<char> = None;
    let mut in_tag = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if in_tag {
            if c == '>' {
                in_tag = false;
            }
            prev = Some(c);
            continue;
        }
        if c == '<' && next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') {
            in_tag = true;
            prev = Some(c);
            continue;
        }
        let opening_context = prev.is_none_or(|p| {
            p.is_whitespace()
                || matches!(p, '(' | '[' | '{' | '—' | '–' | '-' | '/')
                || is_opener(p)
        });
        let top = stack.last().map(|&(_, m)| m);
        match c {
            '"' => {
                let closing_context =
                    next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation());
                if top == Some('"') && (!opening_context || closing_context) {
                    close(&mut stack, &mut scan, i, '"');
                } else if opening_context {
                    // Also `" word`: a translator that drops a pronoun leaves a space there.
                    stack.push((i, '"'));
                } else if stack.iter().any(|&(_, m)| m == '"') {
                    close(&mut stack, &mut scan, i, '"');
                } else {
                    scan.unmatched.push(i);
                }
            }
            '“' => {
                if top == Some('„') && !opening_context {
                    close(&mut stack, &mut scan, i, '„');
                } else {
                    stack.push((i, '“'));
                }
            }
            '”' => {
                if let Some(open) = stack
                    .iter()
                    .rev()
                    .map(|&(_, m)| m)
                    .find(|m| *m == '“' || *m == '„')
                {
                    close(&mut stack, &mut scan, i, open);
                } else {
                    scan.unmatched.push(i);
                }
            }
            '„' => stack.push((i, '„')),
            '«' => stack.push((i, '«')),
            '‹' => stack.push((i, '‹')),
            '»' => close_or_unmatched(&mut stack, &mut scan, i, '«'),
            '›' => close_or_unmatched(&mut stack, &mut scan, i, '‹'),
            '‚' if opening_context => stack.push((i, '‚')),
            '‘' => {
                if top == Some('‚') {
                    close(&mut stack, &mut scan, i, '‚');
                } else if opening_context {
                    stack.push((i, '‘'));
                }
            }
            '’' => {
                let closing_context = next.is_none_or(|n| !n.is_alphanumeric());
                if closing_context && matches!(top, Some('‘') | Some('‚')) {
                    let open = top.unwrap_or('‘');
                    close(&mut stack, &mut scan, i, open);
                }
                // Otherwise an apostrophe.
            }
            _ => {}
        }
        prev = Some(c);
    }
    scan.unmatched.extend(stack.into_iter().map(|(i, _)| i));
    scan.unmatched.sort_unstable();
    scan
}

fn is_opener(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '‘' | '‚' | '‹' | '"')
}

fn close_or_unmatched(stack: &mut Vec<(usize, char)>, scan: &mut QuoteScan, at: usize, open: char) {
    if stack.iter().any(|&(_, m)| m == open) {
        close(stack, scan, at, open);
    } else {
        scan.unmatched.push(at);
    }
}

/// Closes the innermost open quotation opened by `open`; quotations opened after it are left
/// unmatched.
fn close(stack: &mut Vec<(usize, char)>, scan: &mut QuoteScan, at: usize, open: char) {
    while let Some((i, m)) = stack.pop() {
        if m == open {
            scan.pairs.push(QuotePair {
                open: i,
                close: at,
                depth: stack.len(),
            });
            return;
        }
        scan.unmatched.push(i);
    }
    scan.unmatched.push(at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_nested_and_mixed_styles() {
        let s = scan_quotes("He said “she told me ‘no’ twice” and «oui».");
        assert!(s.is_balanced(), "{s:?}");
        assert_eq!(s.pairs.len(), 3);
        assert_eq!(s.pairs.iter().filter(|p| p.depth == 1).count(), 1);
    }

    #[test]
    fn german_and_ascii_quotes() {
        assert!(scan_quotes("Er sagte: „Wir kommen.“ Dann ging er.").is_balanced());
        assert!(scan_quotes("Dijo: \" reconstruiremos el puente. Tomará años.\"").is_balanced());
        assert_eq!(scan_quotes("a \"b\" c \"d \" e").pairs.len(), 2);
        assert!(scan_quotes("Dijo: \" reconstruiremos el puente. Tomará años.\"").is_balanced());
        assert_eq!(scan_quotes("a \"b\" c \"d \" e").pairs.len(), 2);
        let s = scan_quotes("She said \"it is over\" and left.");
        assert_eq!(s.pairs.len(), 1);
        assert!(s.is_balanced());
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let s = scan_quotes("The minister’s plan isn't Macron's idea.");
        assert!(s.pairs.is_empty());
        assert!(s.is_balanced());
    }

    #[test]
    fn unmatched_marks_are_reported_and_tags_skipped() {
        let s = scan_quotes("He said “this never ends.");
        assert_eq!(s.unmatched.len(), 1);
        let t = scan_quotes("<a href=\"https://x.example/\">link</a> \"ok\"");
        assert_eq!(t.pairs.len(), 1);
        assert!(t.is_balanced());
    }
}
