//! Our own HTML tokenizer in front of html5ever's tree builder.
//!
//! Why not html5ever's tokenizer: it walks the input one character at a time through its state
//! machine, pushing attribute values and tag names into growable buffers character by
//! character; on the development set it was 37% of every instruction the extractor ran
//! (callgrind), more than all of extraction proper. This tokenizer finds markup with `memchr`,
//! copies text runs and attribute values from the input in one piece when they hold no
//! character reference, carriage return or NUL, and looks tag and attribute names up as atoms
//! once. It hands html5ever's [`TreeBuilder`] the same tokens html5ever's tokenizer would, so
//! the tree itself (implied and misnested tags, tables, quirks mode, `<template>`, foreign
//! content) is still built by html5ever, exactly as the HTML standard says.
//!
//! It follows the standard's tokenization for everything that changes the tree: start and end
//! tags with their attributes (quoted, unquoted, valueless, duplicates dropped), self-closing
//! flags, named (longest match, legacy names without `;`, the attribute-value exception) and
//! numeric character references (C1 and invalid code points), `\r\n` → `\n`, NUL handling, the
//! DOCTYPE (which decides quirks mode), raw text, RCDATA and script data (with its
//! `<!--`/`<script>` escapes) until the appropriate end tag, PLAINTEXT, and CDATA sections in
//! foreign content. It leaves out what no stage reads: comments are skipped, not sent, and
//! parse errors are not reported. `tests` compares its trees with html5ever's own parse.
//! Its character-reference decoding is therefore its own, not `newsdesk_core::escape::decode`:
//! that one (on `html-escape`) knows neither legacy names without `;` nor the attribute-value
//! exception, so it would build another tree than html5ever for such pages.
//!
//! Cost: one pass over the input, one allocation per text run or attribute value (none for
//! names of known elements and attributes), plus the tree builder's own work.

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};
use scraper::{Html, HtmlTreeSink};

/// Parses a whole document into scraper's [`Html`], like `Html::parse_document` but with this
/// module's tokenizer; comments are not kept.
pub(crate) fn parse_document(html: &str) -> Html {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    // (Sizing the node vector up front from the count of `<` was tried: 3.5% more instructions
    // over the DEV set than letting it double.)
    let builder = TreeBuilder::new(
        HtmlTreeSink::new(Html::new_document()),
        TreeBuilderOpts::default(),
    );
    Tokenizer {
        input: html,
        sink: &builder,
        last_start: None,
    }
    .run();
    // Only a start tag can switch the tokenizer's state: other results are `Continue`.
    let _ = builder.process_token(Token::EOFToken, 1);
    builder.end();
    html5ever::tree_builder::TreeSink::finish(builder.sink)
}

/// Where the tokenizer is: the standard's data, raw text/RCDATA/script data and PLAINTEXT
/// states (every other state lives inside one function call here).
#[derive(Clone, Copy)]
enum State {
    Data,
    Raw(RawKind),
    Plaintext,
}

struct Tokenizer<'a, S: TokenSink> {
    input: &'a str,
    sink: &'a S,
    /// Name of the last start tag, for the "appropriate end tag" of raw text.
    last_start: Option<LocalName>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ' | b'\r')
}

impl<S: TokenSink> Tokenizer<'_, S> {
    fn run(&mut self) {
        let input = self.input;
        let bytes = input.as_bytes();
        let mut pos = 0usize;
        let mut state = State::Data;
        while pos < bytes.len() {
            match state {
                State::Data => {
                    let Some(off) = memchr::memchr(b'<', &bytes[pos..]) else {
                        self.text(&input[pos..], true);
                        return;
                    };
                    let lt = pos + off;
                    self.text(&input[pos..lt], true);
                    (pos, state) = self.markup(lt);
                }
                State::Raw(kind) => {
                    let close = match kind {
                        RawKind::ScriptData | RawKind::ScriptDataEscaped(_) => {
                            find_script_end(bytes, pos)
                        }
                        _ => self.find_end_tag(pos),
                    };
                    let end = close.unwrap_or(bytes.len());
                    let body = &input[pos..end];
                    match kind {
                        RawKind::Rcdata => self.decoded(body, true, '\u{fffd}'),
                        _ => self.decoded(body, false, '\u{fffd}'),
                    }
                    match close {
                        // The end tag itself, read from after `</` like any tag.
                        Some(lt) => (pos, state) = self.tag(lt + 2, TagKind::EndTag),
                        None => return,
                    }
                }
                State::Plaintext => {
                    self.decoded(&input[pos..], false, '\u{fffd}');
                    return;
                }
            }
        }
    }

    /// Reads the markup that starts with the `<` at `lt`; returns where to go on and in which
    /// state.
    fn markup(&mut self, lt: usize) -> (usize, State) {
        let bytes = self.input.as_bytes();
        let next = bytes.get(lt + 1).copied();
        match next {
            Some(b) if b.is_ascii_alphabetic() => self.tag(lt + 1, TagKind::StartTag),
            Some(b'/') => match bytes.get(lt + 2).copied() {
                Some(b) if b.is_ascii_alphabetic() => self.tag(lt + 2, TagKind::EndTag),
                // `</>` is dropped.
                Some(b'>') => (lt + 3, State::Data),
                // `</` at the end is text.
                None => {
                    self.text(&self.input[lt..], false);
                    (bytes.len(), State::Data)
                }
                // `</3` and the like: a bogus comment up to `>`.
                Some(_) => (skip_to_gt(bytes, lt + 2), State::Data),
            },
            Some(b'!') => {
                let rest = &bytes[lt + 2..];
                if rest.starts_with(b"--") {
                    (comment_end(bytes, lt + 4), State::Data)
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"DOCTYPE") {
                    self.doctype(lt + 9)
                } else if rest.starts_with(b"[CDATA[")
                    && self
                        .sink
                        .adjusted_current_node_present_but_not_in_html_namespace()
                {
                    let start = lt + 9;
                    let end = memchr::memmem::find(&bytes[start..], b"]]>")
                        .map_or(bytes.len(), |e| start + e);
                    self.decoded(&self.input[start..end], false, '\0');
                    ((end + 3).min(bytes.len()), State::Data)
                } else {
                    (skip_to_gt(bytes, lt + 2), State::Data)
                }
            }
            Some(b'?') => (skip_to_gt(bytes, lt + 1), State::Data),
            // A `<` that opens nothing is text.
            _ => {
                self.text("<", false);
                (lt + 1, State::Data)
            }
        }
    }

    /// Reads a tag whose name starts at `start`; sends it unless the input ends inside it.
    fn tag(&mut self, start: usize, kind: TagKind) -> (usize, State) {
        let input = self.input;
        let bytes = input.as_bytes();
        let mut i = start;
        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
            i += 1;
        }
        let name = atom(&input[start..i]);
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut duplicates = false;
        let mut self_closing = false;
        // Before attribute name.
        loop {
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let Some(&b) = bytes.get(i) else {
                // The input ends inside the tag: the tag is dropped.
                return (bytes.len(), State::Data);
            };
            if b == b'>' {
                i += 1;
                break;
            }
            if b == b'/' {
                i += 1;
                if bytes.get(i) == Some(&b'>') {
                    self_closing = true;
                    i += 1;
                    break;
                }
                continue;
            }
            // Attribute name; a leading `=` belongs to it.
            let name_start = i;
            i += 1;
            while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=')
            {
                i += 1;
            }
            let attr_name = &input[name_start..i];
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let mut value: Option<StrTendril> = None;
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && is_space(bytes[i]) {
                    i += 1;
                }
                match bytes.get(i).copied() {
                    None => return (bytes.len(), State::Data),
                    Some(q @ (b'"' | b'\'')) => {
                        let from = i + 1;
                        let Some(len) = memchr::memchr(q, &bytes[from..]) else {
                            return (bytes.len(), State::Data);
                        };
                        value = Some(attr_value(&input[from..from + len]));
                        i = from + len + 1;
                    }
                    // `a=>`: an empty value, and the tag ends.
                    Some(b'>') => {}
                    Some(_) => {
                        let from = i;
                        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                            i += 1;
                        }
                        if i == bytes.len() {
                            return (bytes.len(), State::Data);
                        }
                        value = Some(attr_value(&input[from..i]));
                    }
                }
            }
            let local = atom(attr_name);
            // Of duplicate attributes, the first wins.
            if attrs.iter().any(|a| a.name.local == local) {
                duplicates = true;
            } else {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), local),
                    value: value.unwrap_or_default(),
                });
            }
        }
        let state = self.send_tag(kind, name, self_closing, attrs, duplicates);
        (i, state)
    }

    fn send_tag(
        &mut self,
        kind: TagKind,
        name: LocalName,
        self_closing: bool,
        attrs: Vec<Attribute>,
        had_duplicate_attributes: bool,
    ) -> State {
        if kind == TagKind::StartTag {
            self.last_start = Some(name.clone());
        }
        let tag = Tag {
            kind,
            name,
            self_closing,
            had_duplicate_attributes,
            attrs: if kind == TagKind::StartTag {
                attrs
            } else {
                Vec::new()
            },
        };
        match self.sink.process_token(Token::TagToken(tag), 1) {
            TokenSinkResult::RawData(kind) => State::Raw(kind),
            TokenSinkResult::Plaintext => State::Plaintext,
            _ => State::Data,
        }
    }

    /// `<!DOCTYPE` … `>`, starting after the keyword.
    fn doctype(&mut self, start: usize) -> (usize, State) {
        let input = self.input;
        let bytes = input.as_bytes();
        let (body, next, closed) = match memchr::memchr(b'>', &bytes[start..]) {
            Some(e) => (&input[start..start + e], start + e + 1, true),
            None => (&input[start..], bytes.len(), false),
        };
        let doctype = parse_doctype(body, closed);
        let _ = self.sink.process_token(Token::DoctypeToken(doctype), 1);
        (next, State::Data)
    }

    /// Sends text from the data or RCDATA state: character references decoded, `\r\n` → `\n`,
    /// NUL sent as its own token (the tree builder drops or replaces it by context).
    fn text(&self, text: &str, refs: bool) {
        if text.is_empty() {
            return;
        }
        let b = text.as_bytes();
        let special = if refs {
            memchr::memchr3(b'&', b'\r', b'\0', b)
        } else {
            memchr::memchr2(b'\r', b'\0', b)
        };
        if special.is_none() {
            self.chars(StrTendril::from_slice(text));
            return;
        }
        let mut rest = text;
        while let Some(nul) = memchr::memchr(b'\0', rest.as_bytes()) {
            self.decoded(&rest[..nul], refs, '\0');
            let _ = self.sink.process_token(Token::NullCharacterToken, 1);
            rest = &rest[nul + 1..];
        }
        self.decoded(rest, refs, '\0');
    }

    /// Sends text decoded by [`decode`] (character references when `refs`, `\r\n` → `\n`, NUL →
    /// `nul`): RCDATA (title, textarea: references, NUL → U+FFFD), raw text (script, style,
    /// PLAINTEXT: NUL → U+FFFD), CDATA sections (as they are but for line breaks).
    fn decoded(&self, text: &str, refs: bool, nul: char) {
        let piece = decode(text, refs, false, nul);
        if !piece.is_empty() {
            self.chars(StrTendril::from_slice(&piece));
        }
    }

    fn chars(&self, t: StrTendril) {
        let _ = self.sink.process_token(Token::CharacterTokens(t), 1);
    }

    /// Finds the `<` of the appropriate end tag (`</` + the last start tag's name + a space,
    /// `/` or `>`) at or after `from`.
    fn find_end_tag(&self, from: usize) -> Option<usize> {
        let name = self.last_start.as_deref()?.as_bytes();
        find_close(self.input.as_bytes(), from, name)
    }
}

/// Finds `</name` followed by a space, `/` or `>`, ASCII case-insensitively.
fn find_close(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memmem::find(&bytes[i..], b"</") {
        let lt = i + off;
        if is_tag_here(bytes, lt + 2, name) {
            return Some(lt);
        }
        i = lt + 2;
    }
    None
}

/// Whether `name` (ASCII case-insensitively) followed by a space, `/` or `>` starts at `at`.
fn is_tag_here(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    let end = at + name.len();
    bytes
        .get(at..end)
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && bytes
            .get(end)
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
}

/// Finds the `<` of the `</script>` that ends script data starting at `from`, following the
/// standard's escaped (`<!--`) and double-escaped (`<!--<script>`) states.
fn find_script_end(bytes: &[u8], from: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum Esc {
        No,
        Escaped,
        Double,
    }
    let mut esc = Esc::No;
    let mut i = from;
    loop {
        if esc == Esc::No {
            let lt = i + memchr::memchr(b'<', &bytes[i..])?;
            if bytes.get(lt + 1) == Some(&b'/') && is_tag_here(bytes, lt + 2, b"script") {
                return Some(lt);
            }
            if bytes[lt + 1..].starts_with(b"!--") {
                esc = Esc::Escaped;
                // From the dashes, so that `<!-->` ends the escape at once.
                i = lt + 2;
            } else {
                i = lt + 1;
            }
            continue;
        }
        let k = i + memchr::memchr2(b'<', b'-', &bytes[i..])?;
        if bytes[k] == b'-' {
            if bytes[k..].starts_with(b"-->") {
                esc = Esc::No;
                i = k + 3;
            } else {
                i = k + 1;
            }
            continue;
        }
        let closing = bytes.get(k + 1) == Some(&b'/');
        if closing && is_tag_here(bytes, k + 2, b"script") {
            if esc == Esc::Escaped {
                return Some(k);
            }
            esc = Esc::Escaped;
            i = k + 8;
        } else if !closing && esc == Esc::Escaped && is_tag_here(bytes, k + 1, b"script") {
            esc = Esc::Double;
            i = k + 7;
        } else {
            i = k + 1;
        }
    }
}

/// Where a comment whose text starts at `from` (after `<!--`) ends: after `-->` or `--!>`, at
/// once for `<!-->` and `<!--->`, or at the end of the input.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(off) = memchr::memmem::find(&bytes[i..], b"--") {
        let d = i + off;
        let after = &bytes[d + 2..];
        if after.starts_with(b">") {
            return d + 3;
        }
        if after.starts_with(b"!>") {
            return d + 4;
        }
        i = d + 1;
    }
    bytes.len()
}

/// After a bogus comment's `>` (or the end of the input).
fn skip_to_gt(bytes: &[u8], from: usize) -> usize {
    let from = from.min(bytes.len());
    memchr::memchr(b'>', &bytes[from..]).map_or(bytes.len(), |e| from + e + 1)
}

/// The atom for a tag or attribute name: ASCII upper case lowered, NUL → U+FFFD. The names
/// news pages use most are matched to their static atoms without hashing.
fn atom(name: &str) -> LocalName {
    let common = match name {
        "a" => Some(local_name!("a")),
        "div" => Some(local_name!("div")),
        "span" => Some(local_name!("span")),
        "p" => Some(local_name!("p")),
        "li" => Some(local_name!("li")),
        "ul" => Some(local_name!("ul")),
        "img" => Some(local_name!("img")),
        "meta" => Some(local_name!("meta")),
        "link" => Some(local_name!("link")),
        "script" => Some(local_name!("script")),
        "class" => Some(local_name!("class")),
        "href" => Some(local_name!("href")),
        "id" => Some(local_name!("id")),
        "src" => Some(local_name!("src")),
        "content" => Some(local_name!("content")),
        "property" => Some(local_name!("property")),
        "name" => Some(local_name!("name")),
        "rel" => Some(local_name!("rel")),
        "type" => Some(local_name!("type")),
        "alt" => Some(local_name!("alt")),
        "title" => Some(local_name!("title")),
        "time" => Some(local_name!("time")),
        "datetime" => Some(local_name!("datetime")),
        "itemprop" => Some(local_name!("itemprop")),
        "role" => Some(local_name!("role")),
        "br" => Some(local_name!("br")),
        "strong" => Some(local_name!("strong")),
        "em" => Some(local_name!("em")),
        "b" => Some(local_name!("b")),
        "i" => Some(local_name!("i")),
        "h1" => Some(local_name!("h1")),
        "h2" => Some(local_name!("h2")),
        "h3" => Some(local_name!("h3")),
        "figure" => Some(local_name!("figure")),
        "figcaption" => Some(local_name!("figcaption")),
        "picture" => Some(local_name!("picture")),
        "source" => Some(local_name!("source")),
        "button" => Some(local_name!("button")),
        "section" => Some(local_name!("section")),
        "article" => Some(local_name!("article")),
        "header" => Some(local_name!("header")),
        "footer" => Some(local_name!("footer")),
        "nav" => Some(local_name!("nav")),
        "aside" => Some(local_name!("aside")),
        "main" => Some(local_name!("main")),
        "form" => Some(local_name!("form")),
        "input" => Some(local_name!("input")),
        "label" => Some(local_name!("label")),
        "table" => Some(local_name!("table")),
        "tr" => Some(local_name!("tr")),
        "td" => Some(local_name!("td")),
        "html" => Some(local_name!("html")),
        "head" => Some(local_name!("head")),
        "body" => Some(local_name!("body")),
        "lang" => Some(local_name!("lang")),
        "srcset" => Some(local_name!("srcset")),
        "width" => Some(local_name!("width")),
        "height" => Some(local_name!("height")),
        "target" => Some(local_name!("target")),
        _ => None,
    };
    if let Some(atom) = common {
        return atom;
    }
    if name
        .bytes()
        .any(|b| b.is_ascii_uppercase() || b == 0 || b == b'\r')
    {
        let lowered: String = name
            .chars()
            .map(|c| match c {
                '\0' => '\u{fffd}',
                '\r' => '\n',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        LocalName::from(lowered)
    } else {
        LocalName::from(name)
    }
}

fn attr_value(raw: &str) -> StrTendril {
    if memchr::memchr3(b'&', b'\r', b'\0', raw.as_bytes()).is_none() {
        return StrTendril::from_slice(raw);
    }
    StrTendril::from_slice(&decode(raw, true, true, '\u{fffd}'))
}

/// Decodes character references (when `refs`), turns `\r\n` and `\r` into `\n` and NUL into
/// `nul` (`'\0'` keeps it).
fn decode(text: &str, refs: bool, in_attribute: bool, nul: char) -> Cow<'_, str> {
    let b = text.as_bytes();
    let first = if refs {
        memchr::memchr3(b'&', b'\r', b'\0', b)
    } else {
        memchr::memchr2(b'\r', b'\0', b)
    };
    let Some(mut i) = first else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..i]);
    while i < b.len() {
        let next = if refs {
            memchr::memchr3(b'&', b'\r', b'\0', &b[i..])
        } else {
            memchr::memchr2(b'\r', b'\0', &b[i..])
        };
        let Some(off) = next else {
            out.push_str(&text[i..]);
            break;
        };
        out.push_str(&text[i..i + off]);
        i += off;
        match b[i] {
            b'\r' => {
                out.push('\n');
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            b'\0' => {
                out.push(nul);
                i += 1;
            }
            _ => match char_ref(&text[i + 1..], in_attribute) {
                Some((chars, used)) => {
                    out.extend(chars.into_iter().flatten());
                    i += 1 + used;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            },
        }
    }
    Cow::Owned(out)
}

/// Decodes the character reference at the start of `s` (just after `&`): the characters and
/// how many bytes of `s` it used, or `None` when `&` stands for itself.
fn char_ref(s: &str, in_attribute: bool) -> Option<([Option<char>; 2], usize)> {
    let b = s.as_bytes();
    match b.first()? {
        b'#' => {
            let hex = matches!(b.get(1), Some(b'x' | b'X'));
            let start = if hex { 2 } else { 1 };
            let mut end = start;
            let mut value: u32 = 0;
            while let Some(&d) = b.get(end) {
                let digit = if hex {
                    (d as char).to_digit(16)
                } else {
                    (d as char).to_digit(10)
                };
                let Some(digit) = digit else { break };
                value = value
                    .saturating_mul(if hex { 16 } else { 10 })
                    .saturating_add(digit)
                    .min(0x11_0000);
                end += 1;
            }
            if end == start {
                return None;
            }
            let used = if b.get(end) == Some(&b';') {
                end + 1
            } else {
                end
            };
            let c = match value {
                0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{fffd}',
                0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(value - 0x80) as usize]
                    .or_else(|| char::from_u32(value))
                    .unwrap_or('\u{fffd}'),
                v => char::from_u32(v).unwrap_or('\u{fffd}'),
            };
            Some(([Some(c), None], used))
        }
        c if c.is_ascii_alphanumeric() => {
            // Longest match over the table, which also holds every prefix of every name
            // (mapped to (0, 0)).
            let mut best: Option<(u32, u32, usize)> = None;
            let mut end = 0;
            while end < b.len() && end < 40 {
                let c = b[end];
                if !c.is_ascii_alphanumeric() && c != b';' {
                    break;
                }
                end += 1;
                match html5ever::data::NAMED_ENTITIES.get(&s[..end]) {
                    Some(&(c1, c2)) => {
                        if c1 != 0 {
                            best = Some((c1, c2, end));
                        }
                        if c == b';' {
                            break;
                        }
                    }
                    None => break,
                }
            }
            let (c1, c2, used) = best?;
            if in_attribute
                && b[used - 1] != b';'
                && b.get(used)
                    .is_some_and(|&n| n == b'=' || n.is_ascii_alphanumeric())
            {
                return None;
            }
            let second = if c2 == 0 { None } else { char::from_u32(c2) };
            Some(([char::from_u32(c1), second], used))
        }
        _ => None,
    }
}

/// Reads a DOCTYPE's name and identifiers the way the standard's DOCTYPE states do, for the
/// tree builder's quirks-mode decision.
fn parse_doctype(body: &str, closed: bool) -> Doctype {
    let mut d = Doctype {
        name: None,
        public_id: None,
        system_id: None,
        force_quirks: !closed,
    };
    let rest = body.trim_start_matches(|c: char| is_space_char(c));
    let name_end = rest.find(is_space_char).unwrap_or(rest.len());
    if name_end == 0 {
        d.force_quirks = true;
        return d;
    }
    let name: String = rest[..name_end]
        .chars()
        .map(|c| {
            if c == '\0' {
                '\u{fffd}'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    d.name = Some(StrTendril::from_slice(&name));
    let rest = rest[name_end..].trim_start_matches(is_space_char);
    if rest.is_empty() {
        return d;
    }
    let keyword = rest.get(..6).unwrap_or_default();
    let public = keyword.eq_ignore_ascii_case("PUBLIC");
    if !public && !keyword.eq_ignore_ascii_case("SYSTEM") {
        d.force_quirks = true;
        return d;
    }
    let rest = rest[6..].trim_start_matches(is_space_char);
    let Some((first, rest)) = quoted(rest) else {
        d.force_quirks = true;
        return d;
    };
    let (first, unterminated) = first;
    if unterminated {
        d.force_quirks = true;
    }
    if public {
        d.public_id = Some(StrTendril::from_slice(&first));
        let rest = rest.trim_start_matches(is_space_char);
        match quoted(rest) {
            Some(((system, unterminated), _)) => {
                d.system_id = Some(StrTendril::from_slice(&system));
                if unterminated {
                    d.force_quirks = true;
                }
            }
            // Anything but a quote between the identifiers.
            None if !rest.is_empty() => d.force_quirks = true,
            None => {}
        }
    } else {
        d.system_id = Some(StrTendril::from_slice(&first));
    }
    d
}

fn is_space_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | ' ' | '\r')
}

/// A quoted DOCTYPE identifier at the start of `s`: its text, whether its quote was left open,
/// and what follows.
fn quoted(s: &str) -> Option<((String, bool), &str)> {
    let q = s.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let inner = &s[1..];
    let (text, rest, open) = match inner.find(q) {
        Some(e) => (&inner[..e], &inner[e + 1..], false),
        None => (inner, "", true),
    };
    let text = text.replace('\0', "\u{fffd}");
    Some(((text, open), rest))
}

/// Comparing this tokenizer's trees with html5ever's own parse, for the tests and the
/// differential fuzz target (`fuzz/fuzz_targets/tokenize.rs`).
#[cfg(any(test, fuzzing))]
pub(crate) mod compare {
    use super::*;
    use std::fmt::Write;

    /// The tree as text, comments left out and adjacent texts joined (they are one text once
    /// the comment between them is gone).
    pub(crate) fn dump(html: &Html) -> String {
        fn walk(n: ego_tree::NodeRef<'_, scraper::Node>, depth: usize, out: &mut String) {
            let mut pending = String::new();
            for c in n.children() {
                match c.value() {
                    scraper::Node::Text(t) => pending.push_str(&t.text),
                    scraper::Node::Comment(_) => {}
                    v => {
                        if !pending.is_empty() {
                            let _ = writeln!(out, "{:depth$}{pending:?}", "");
                            pending.clear();
                        }
                        match v {
                            scraper::Node::Element(e) => {
                                let mut attrs: Vec<_> =
                                    e.attrs().map(|(k, v)| format!("{k}={v:?}")).collect();
                                attrs.sort();
                                let _ = writeln!(
                                    out,
                                    "{:depth$}<{:?}:{} {}>",
                                    "",
                                    e.name.ns,
                                    e.name(),
                                    attrs.join(" ")
                                );
                            }
                            scraper::Node::Doctype(d) => {
                                let _ = writeln!(
                                    out,
                                    "{:depth$}<!{} {:?} {:?}>",
                                    "",
                                    d.name(),
                                    d.public_id(),
                                    d.system_id()
                                );
                            }
                            _ => {}
                        }
                        walk(c, depth + 1, out);
                    }
                }
            }
            if !pending.is_empty() {
                let _ = writeln!(out, "{:depth$}{pending:?}", "");
            }
        }
        let mut out = format!("{:?}\n", html.quirks_mode);
        walk(html.tree.root(), 0, &mut out);
        out
    }

    /// Whether this tokenizer and html5ever's build the same tree (comments aside) for `src`;
    /// on a difference, both dumps.
    pub(crate) fn same_tree(src: &str) -> Result<(), (String, String)> {
        let ours = dump(&parse_document(src));
        let theirs = dump(&Html::parse_document(src));
        if ours == theirs {
            Ok(())
        } else {
            Err((ours, theirs))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::compare::dump;
    use super::*;

    mod dev_pages {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/dev_pages.rs"
        ));
    }

    mod fixture_pages {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/fixture_pages.rs"
        ));
    }

    fn same_as_html5ever(src: &str) {
        if let Err((ours, theirs)) = super::compare::same_tree(src) {
            assert_eq!(ours, theirs, "trees differ for {src:?}");
        }
        let ours = dump(&parse_document(src));
        assert!(
            ours.lines().count() >= 4,
            "a tree with its html, head and body: {ours}"
        );
    }

    #[test]
    fn builds_the_same_tree_as_html5ever() {
        let cases = [
            "<!DOCTYPE html><html lang=en><head><title>A &amp; B</title></head><body><p>x</p></body></html>",
            "<p>one<p>two<div>three</div>",
            "<ul><li>a<li>b</ul><table><tr><td>1<td>2</table>",
            "<b><i>bold italic</b> italic?</i> plain",
            "<table><p>fostered</p><tr><td>cell</td></tr></table>",
            "<P CLASS=Big ID='x' data-x=\"1\" class=dup>Up</P>",
            "<a href=\"/x?a=1&amp;b=2&copy=3&copy;\">link &copy 2024 &notit; &notin; &#x41;&#65&#128;&#0;&#xD800;</a>",
            "<img src=a.jpg alt=\"A\"/><br/><div/>after div<span/>",
            "<script>if (a < b && c) { x = '</div>'; }</script><p>after</p>",
            "<script><!--<script>document.write('</script>')</script>--></script><p>after</p>",
            "<style>p { color: red } </style ><textarea>\n&lt;b&gt; raw</textarea>",
            "<pre>\nline1\r\nline2\rline3</pre>",
            "text \0 with nul <p>and\0here</p>",
            "<svg><path d='M0'/><![CDATA[ raw <b> ]]></svg><math><mi>x</mi></math>",
            "<p>a <!-- c --> b <!--> c <!---> d <!-- x --!> e</p>",
            "<!doctype html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>quirks?<table><tr><td>x</td></tr></table>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><p>x",
            "no doctype <p>p<table><tr><td>t</table>",
            "<p>1 < 2 and 3 </> 4 </3 five <? pi ?> six <!bogus> seven",
            "<div a=1 b='2' c d = \"4\" e=>x</div><input disabled value=x&y&amp;z>",
            "<template><p>in template</p></template><noscript><p>ns</p></noscript><iframe><p>x</iframe>",
            "<head><meta charset=utf-8><link rel=x></head> <body class=b><p>t</p></body> trailing",
            "<plaintext><p>not a tag</p>",
            "<title>unterminated",
            "<div class=\"unterminated",
            "<select><option>a<option>b</select><h1>x<h2>y</h1>",
            "&amp;&lt;&gt;&quot;&apos;&nbsp;&hellip;&mdash;&rsquo; &ampx &amp;x &unknown; &",
            "<a href=x>1<a href=y>2</a>3</a>",
            "\u{feff}<p>bom</p>",
            "<frameset><frame src=a></frameset>",
            "<xmp><b>raw</b></xmp><listing>\nl</listing>",
        ];
        for c in cases {
            same_as_html5ever(c);
        }
    }

    #[test]
    fn builds_the_same_tree_for_the_fixture_pages() {
        for (_, text) in fixture_pages::fixture_pages() {
            same_as_html5ever(&text);
        }
    }

    /// Real pages: the third-party DEV benchmark in `../shared/bench/extract`, unpacked by its
    /// own script; every fifth page (all with `NEWSDESK_TREE_ALL=1`), as it comes and after the
    /// pre-pass. Fails, saying what is missing, when the data is absent.
    #[test]
    fn builds_the_same_tree_for_the_dev_pages() {
        let pages = dev_pages::dev_pages();
        let step = if std::env::var_os("NEWSDESK_TREE_ALL").is_some() {
            1
        } else {
            5
        };
        let mut compared = 0;
        for page in pages.iter().step_by(step) {
            let bytes = std::fs::read(page).expect("page");
            let text = newsdesk_text::decode_html(&bytes, None).text;
            let ours = dump(&parse_document(&text));
            let theirs = dump(&Html::parse_document(&text));
            assert!(ours == theirs, "trees differ for {}", page.display());
            let prepared = crate::prepass::prepare(&text);
            let ours = dump(&parse_document(&prepared));
            let theirs = dump(&Html::parse_document(&prepared));
            assert!(
                ours == theirs,
                "trees differ for {} after the pre-pass",
                page.display()
            );
            compared += 1;
        }
        assert!(compared >= 100, "only {compared} pages");
    }
}
