//! A tolerant XML tokenizer that rewrites any document into well-formed XML, noting whether it
//! had to change anything (the `wellformed` verdict).
//!
//! feed-rs (through quick-xml) gives up on the first XML error, so a feed with one `&nbsp;`,
//! one unescaped `&` or one unclosed tag would yield nothing. Real feeds are like that, so every
//! document goes through this pass first:
//!
//! * illegal control characters are dropped; C1 controls (U+0080–U+009F, almost always
//!   windows-1252 bytes mislabelled as Latin-1) become the windows-1252 characters;
//! * HTML named entities become numeric references, entities declared in the internal DTD subset
//!   are expanded, stray `&` and `<` are escaped;
//! * mismatched end tags close what they should, stray ones are dropped, unclosed ones are closed
//!   at the end, attributes are quoted and de-duplicated;
//! * undeclared namespace prefixes get a declaration on the root element (the common ones with
//!   their real namespace, so `dc:creator` still means Dublin Core);
//! * the DOCTYPE is dropped (after its entities are read);
//! * feed-rs quirks: it rejects `<rss>` without a known `version`, ignores Atom 0.3's namespace
//!   and element names, and fails on Atom text types other than text/html/xhtml: those are
//!   rewritten to their RSS 2.0 / Atom 1.0 equivalents. These rewrites do not make a document
//!   ill-formed.

use std::collections::{HashMap, HashSet};

use newsdesk_core::escape::{self, windows_1252_c1};

const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";

/// Most bytes that references to internal-DTD entities may expand to in one document (all
/// references together). A document that needs more is refused: `<!ENTITY a "…100 KB…">`
/// referenced 20,000 times would otherwise grow a 160 KB feed into 2 GB.
pub const MAX_ENTITY_EXPANSION_BYTES: usize = 4 * 1024 * 1024;

/// Most references to internal-DTD entities one document may make (all entities together).
pub const MAX_ENTITY_REFERENCES: usize = 100_000;

/// The result of [`repair`].
#[derive(Debug, Clone)]
pub(crate) struct Repaired {
    /// Well-formed XML (as far as this tokenizer can tell).
    pub xml: String,
    /// True when nothing had to be repaired.
    pub wellformed: bool,
    /// Local name of the root element, when there is one.
    pub root: Option<String>,
    /// RSS `<enclosure>`s seen, with the index of their `<item>` (feed-rs drops them when an
    /// item also has Media RSS content, so we read them here).
    pub enclosures: Vec<RawEnclosure>,
    /// Why the document was refused part-way (a bound was passed); `xml` then holds only what
    /// was repaired before that.
    pub refused: Option<String>,
}

/// An RSS `<enclosure>` as written, and which `<item>` (0-based, document order) holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEnclosure {
    /// Index of the item.
    pub item: usize,
    /// `url` attribute (may be relative).
    pub url: String,
    /// `type` attribute.
    pub mime_type: Option<String>,
    /// `length` attribute, when it is a number.
    pub length: Option<u64>,
}

/// Namespaces for prefixes that feeds often use without declaring them.
fn known_namespace(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "dc" => "http://purl.org/dc/elements/1.1/",
        "dcterms" => "http://purl.org/dc/terms/",
        "content" => "http://purl.org/rss/1.0/modules/content/",
        "media" => "http://search.yahoo.com/mrss/",
        "atom" => ATOM10_NS,
        "itunes" => "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "rdf" => "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "slash" => "http://purl.org/rss/1.0/modules/slash/",
        "wfw" => "http://wellformedweb.org/CommentAPI/",
        "xhtml" => "http://www.w3.org/1999/xhtml",
        _ => return None,
    })
}

struct Frame {
    name: String,
    prefixes: Vec<String>,
}

/// The open elements, with counts by name and by declared prefix so that "is `x` open?" and
/// "is prefix `p` declared?" cost the same however deep the document (stray end tags and
/// prefixed elements would otherwise scan the whole stack each).
#[derive(Default)]
struct Stack {
    frames: Vec<Frame>,
    names: HashMap<String, usize>,
    prefixes: HashMap<String, usize>,
}

impl Stack {
    fn push(&mut self, frame: Frame) {
        *self.names.entry(frame.name.clone()).or_default() += 1;
        for p in &frame.prefixes {
            *self.prefixes.entry(p.clone()).or_default() += 1;
        }
        self.frames.push(frame);
    }

    fn pop(&mut self) -> Option<Frame> {
        let frame = self.frames.pop()?;
        decrement(&mut self.names, &frame.name);
        for p in &frame.prefixes {
            decrement(&mut self.prefixes, p);
        }
        Some(frame)
    }

    fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    fn last(&self) -> Option<&Frame> {
        self.frames.last()
    }

    fn contains_name(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    fn declares(&self, prefix: &str) -> bool {
        self.prefixes.contains_key(prefix)
    }
}

fn decrement(counts: &mut HashMap<String, usize>, key: &str) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

struct Repairer<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    wellformed: bool,
    stack: Stack,
    root: Option<String>,
    root_closed: bool,
    /// Byte offset in `out` just before the `>` of the root start tag.
    root_insert_at: Option<usize>,
    undeclared: Vec<String>,
    undeclared_set: HashSet<String>,
    entities: HashMap<String, String>,
    /// Bytes and references spent on internal-DTD entities so far.
    entity_bytes: usize,
    entity_refs: usize,
    refused: Option<String>,
    atom03: bool,
    is_atom: bool,
    items: usize,
    enclosures: Vec<RawEnclosure>,
    /// Skip the feed-rs rewrites (versions, Atom 0.3 names and types): the element-tree
    /// overlay (`overlay.rs`) needs the document as written.
    faithful: bool,
}

/// Rewrites `text` (already decoded to UTF-8) into well-formed XML that feed-rs accepts.
pub(crate) fn repair(text: &str) -> Repaired {
    repair_with(text, false)
}

/// Rewrites `text` into well-formed XML, keeping the feed-rs rewrites out when `faithful`
/// (element names, `version`, namespaces and Atom `type`/`mode` stay as written).
pub(crate) fn repair_with(text: &str, faithful: bool) -> Repaired {
    let (clean, controls_ok) = clean_characters(text);
    let mut r = Repairer {
        src: &clean,
        pos: 0,
        out: String::with_capacity(clean.len() + 64),
        wellformed: controls_ok,
        stack: Stack::default(),
        root: None,
        root_closed: false,
        root_insert_at: None,
        undeclared: Vec::new(),
        undeclared_set: HashSet::new(),
        entities: HashMap::new(),
        entity_bytes: 0,
        entity_refs: 0,
        refused: None,
        atom03: false,
        is_atom: false,
        items: 0,
        enclosures: Vec::new(),
        faithful,
    };
    r.run();
    let Repairer {
        mut out,
        wellformed,
        root,
        root_insert_at,
        undeclared,
        enclosures,
        refused,
        ..
    } = r;
    if let Some(at) = root_insert_at {
        let decls: String = undeclared
            .iter()
            .map(|p| {
                let ns = known_namespace(p)
                    .map_or_else(|| format!("urn:newsdesk:undeclared:{p}"), str::to_owned);
                format!(" xmlns:{p}=\"{ns}\"")
            })
            .collect();
        out.insert_str(at, &decls);
    }
    Repaired {
        xml: out,
        wellformed,
        root,
        enclosures,
        refused,
    }
}

/// Drops characters XML forbids and maps C1 controls to windows-1252.
fn clean_characters(text: &str) -> (String, bool) {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    let c1 = |c: char| ('\u{80}'..='\u{9f}').contains(&c);
    if !text.chars().any(|c| bad(c) || c1(c)) {
        return (text.to_owned(), true);
    }
    let mut ok = true;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if bad(c) {
            ok = false;
        } else if c1(c) {
            out.push(windows_1252_c1(c as u32).unwrap_or(c));
        } else {
            out.push(c);
        }
    }
    (out, ok)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{b7}')
}

impl<'a> Repairer<'a> {
    fn rest(&self) -> &'a str {
        let src: &'a str = self.src;
        &src[self.pos..]
    }

    fn inside_root(&self) -> bool {
        !self.stack.is_empty()
    }

    fn run(&mut self) {
        while self.pos < self.src.len() && self.refused.is_none() {
            let rest = self.rest();
            let next = rest.find(['<', '&']).unwrap_or(rest.len());
            if next > 0 {
                self.text(&rest[..next]);
                self.pos += next;
                continue;
            }
            if rest.starts_with('&') {
                let (repl, used) = self.reference(rest, false);
                if self.inside_root() {
                    self.out.push_str(&repl);
                } else {
                    self.wellformed = false;
                }
                self.pos += used;
            } else if rest.starts_with("<!--") {
                self.comment(rest);
            } else if rest.starts_with("<![CDATA[") {
                self.cdata(rest);
            } else if rest.starts_with("<!") {
                self.doctype(rest);
            } else if rest.starts_with("<?") {
                self.processing_instruction(rest);
            } else if rest.starts_with("</") {
                self.end_tag(rest);
            } else if rest[1..].starts_with(is_name_start) {
                self.start_tag(rest);
            } else {
                self.wellformed = false;
                if self.inside_root() {
                    self.out.push_str("&lt;");
                }
                self.pos += 1;
            }
        }
        if !self.stack.is_empty() {
            self.wellformed = false;
            while let Some(f) = self.stack.pop() {
                self.close(&f.name);
            }
        }
        if self.root.is_none() {
            self.wellformed = false;
        }
    }

    fn text(&mut self, t: &str) {
        if self.inside_root() {
            // `>` is legal in text but `]]>` is not; escaping every `>` is harmless (`t` holds
            // no `<` or `&`: `run` hands those over one by one)
            self.out.push_str(&escape::html_text(t));
        } else if !t.trim().is_empty() {
            self.wellformed = false;
        }
    }

    /// Handles a reference at the start of `rest`; returns the replacement and bytes consumed.
    fn reference(&mut self, rest: &str, attr: bool) -> (String, usize) {
        let body_end = rest[1..]
            .char_indices()
            .take(40)
            .find(|(_, c)| !(is_name_char(*c) || *c == '#'))
            .map(|(i, c)| (i + 1, c));
        let Some((end, ';')) = body_end else {
            self.wellformed = false;
            return ("&amp;".into(), 1);
        };
        let name = &rest[1..end];
        let used = end + 1;
        if let Some(num) = name.strip_prefix('#') {
            if num.starts_with('X') {
                // XML only allows a lowercase `x`; HTML readers accept both
                self.wellformed = false;
            }
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            return match code.and_then(char::from_u32) {
                Some(c) if !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}') => {
                    match windows_1252_c1(c as u32) {
                        Some(w) => (format!("&#{};", w as u32), used),
                        None => (format!("&#{};", c as u32), used),
                    }
                }
                _ => {
                    self.wellformed = false;
                    (String::new(), used)
                }
            };
        }
        match name {
            "amp" | "lt" | "gt" | "quot" | "apos" => (rest[..used].to_owned(), used),
            _ => {
                if let Some(v) = self.entities.get(name) {
                    self.entity_refs += 1;
                    self.entity_bytes = self.entity_bytes.saturating_add(v.len());
                    if self.entity_refs > MAX_ENTITY_REFERENCES
                        || self.entity_bytes > MAX_ENTITY_EXPANSION_BYTES
                    {
                        self.refuse(format!(
                            "internal DTD entities expand beyond the bound ({MAX_ENTITY_REFERENCES} \
                             references, {MAX_ENTITY_EXPANSION_BYTES} bytes in all); refused \
                             (an entity-expansion bomb?)"
                        ));
                        return (String::new(), used);
                    }
                    let escaped = if attr {
                        escape::html(v)
                    } else {
                        escape::html_text(v)
                    };
                    return (escaped.into_owned(), used);
                }
                self.wellformed = false;
                match escape::named_reference(name) {
                    Some(text) => (
                        text.chars().map(|c| format!("&#{};", c as u32)).collect(),
                        used,
                    ),
                    None => ("&amp;".into(), 1),
                }
            }
        }
    }

    /// Stops the repair: a bound was passed.
    fn refuse(&mut self, reason: String) {
        self.wellformed = false;
        self.refused.get_or_insert(reason);
        self.pos = self.src.len();
    }

    fn comment(&mut self, rest: &str) {
        match rest[4..].find("-->") {
            Some(i) => {
                let end = 4 + i + 3;
                if self.inside_root() {
                    self.out.push_str(&rest[..end]);
                }
                self.pos += end;
            }
            None => {
                self.wellformed = false;
                self.pos = self.src.len();
            }
        }
    }

    fn cdata(&mut self, rest: &str) {
        let body = &rest[9..];
        let (content, used) = match body.find("]]>") {
            Some(i) => (&body[..i], 9 + i + 3),
            None => {
                self.wellformed = false;
                (body, rest.len())
            }
        };
        if self.inside_root() {
            self.out.push_str("<![CDATA[");
            self.out.push_str(content);
            self.out.push_str("]]>");
        } else if !content.trim().is_empty() {
            self.wellformed = false;
        }
        self.pos += used;
    }

    /// `<!DOCTYPE …>` (with an optional internal subset) or another `<!…>` declaration: read the
    /// general entities it declares and drop it.
    fn doctype(&mut self, rest: &str) {
        let mut depth = 0i32;
        let mut quote: Option<char> = None;
        let mut end = rest.len();
        for (i, c) in rest.char_indices().skip(2) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if depth > 0 => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => depth -= 1,
                (None, '>') if depth <= 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let decl = &rest[..end];
        if self.inside_root() || !decl.starts_with("<!DOCTYPE") {
            self.wellformed = false;
        }
        self.read_entities(decl);
        self.pos += end;
    }

    fn read_entities(&mut self, decl: &str) {
        let mut s = decl;
        while let Some(i) = s.find("<!ENTITY") {
            s = &s[i + 8..];
            let t = s.trim_start();
            if t.starts_with('%') {
                continue;
            }
            let name_len = t.find(|c: char| !is_name_char(c)).unwrap_or(t.len());
            let name = &t[..name_len];
            let after = t[name_len..].trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(vlen) = after[1..].find(q) else {
                continue;
            };
            let value = &after[1..1 + vlen];
            if !name.is_empty() && !value.contains('<') {
                let expanded = escape::decode(value).into_owned();
                self.entities.insert(name.to_owned(), expanded);
            }
        }
    }

    fn processing_instruction(&mut self, rest: &str) {
        let end = match rest.find("?>") {
            Some(i) => i + 2,
            None => {
                self.wellformed = false;
                rest.len()
            }
        };
        let pi = &rest[..end];
        let is_decl =
            pi.starts_with("<?xml") && pi[5..].starts_with(|c: char| c.is_whitespace() || c == '?');
        if is_decl {
            if self.out.is_empty() && self.root.is_none() {
                self.out.push_str(pi);
            } else {
                self.wellformed = false;
            }
        } else if end == rest.len() {
            // unterminated: dropped
        } else {
            self.out.push_str(pi);
        }
        self.pos += end;
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn end_tag(&mut self, rest: &str) {
        // Look only as far as the next `<` or `>`: scanning on to a far `>` for every `</`
        // would make a run of `</</</…` quadratic.
        let (inner, used) = match rest[2..].find(['<', '>']).map(|i| i + 2) {
            Some(i) if rest.as_bytes()[i] == b'>' => (&rest[2..i], i + 1),
            Some(i) => {
                // `</foo <bar>`: treat the tag as ending before the `<`.
                self.wellformed = false;
                self.pos += i;
                return;
            }
            None => {
                self.wellformed = false;
                (&rest[2..], rest.len())
            }
        };
        self.pos += used;
        let name = inner.trim();
        // whitespace after the name is allowed, before it is not
        let spaced_badly = inner.trim_end() != name;
        let name = self.rename(name);
        if self.stack.last().is_some_and(|f| f.name == name) {
            if spaced_badly {
                self.wellformed = false;
            }
            self.stack.pop();
            self.close(&name);
        } else if self.stack.contains_name(&name) {
            self.wellformed = false;
            while let Some(f) = self.stack.pop() {
                self.close(&f.name);
                if f.name == name {
                    break;
                }
            }
        } else {
            self.wellformed = false;
        }
        if self.stack.is_empty() && self.root.is_some() {
            self.root_closed = true;
        }
    }

    /// Atom 0.3 element names feed-rs does not know, mapped to Atom 1.0.
    fn rename(&self, name: &str) -> String {
        if self.atom03 && !self.faithful {
            let mapped = match name {
                "issued" => "published",
                "modified" => "updated",
                "tagline" => "subtitle",
                "copyright" => "rights",
                "url" => "uri",
                _ => name,
            };
            return mapped.to_owned();
        }
        name.to_owned()
    }

    fn start_tag(&mut self, rest: &str) {
        let name_len = rest[1..]
            .find(|c: char| {
                c.is_whitespace()
                    || c == '/'
                    || c == '>'
                    || c == '<'
                    || c == '"'
                    || c == '\''
                    || c == '='
            })
            .map_or(rest.len(), |i| i + 1);
        let raw_name = &rest[1..name_len];
        let mut i = name_len;
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut self_closing = false;
        loop {
            let tail = &rest[i..];
            let trimmed = tail.trim_start();
            i += tail.len() - trimmed.len();
            if trimmed.is_empty() {
                self.wellformed = false;
                break;
            }
            if trimmed.starts_with('>') {
                i += 1;
                break;
            }
            if trimmed.starts_with("/>") {
                i += 2;
                self_closing = true;
                break;
            }
            if trimmed.starts_with('<') {
                // `<a <b>`: the tag was never closed.
                self.wellformed = false;
                break;
            }
            let an_len = trimmed
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/' || c == '<')
                .unwrap_or(trimmed.len());
            if an_len == 0 {
                // a stray `/`, `=` or quote
                self.wellformed = false;
                i += trimmed.chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let an = &trimmed[..an_len];
            i += an_len;
            let tail = &rest[i..];
            let t2 = tail.trim_start();
            let value = if let Some(v) = t2.strip_prefix('=') {
                let v = v.trim_start();
                i += tail.len() - v.len();
                match v.chars().next() {
                    Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                        Some(e) => {
                            i += e + 2;
                            v[1..1 + e].to_owned()
                        }
                        None => {
                            self.wellformed = false;
                            i = rest.len();
                            v[1..].to_owned()
                        }
                    },
                    _ => {
                        self.wellformed = false;
                        let e = v
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(v.len());
                        i += e;
                        v[..e].to_owned()
                    }
                }
            } else {
                self.wellformed = false;
                an.to_owned()
            };
            if !an.starts_with(is_name_start) || !an.chars().all(is_name_char) {
                self.wellformed = false;
                continue;
            }
            if !seen.insert(an) {
                self.wellformed = false;
                continue;
            }
            attrs.push((an.to_owned(), value));
        }
        self.pos += i;

        if self.root_closed || (self.root.is_some() && self.stack.is_empty()) {
            // content after the root element is ignored
            self.wellformed = false;
            return;
        }
        let is_root = self.root.is_none();
        if is_root {
            self.setup_root(raw_name, &mut attrs);
        }
        let name = self.rename(raw_name);
        self.normalise_attributes(&name, &mut attrs);
        self.note_rss_item(&name, &attrs);

        // namespaces
        let declared: Vec<String> = attrs
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("xmlns:").map(str::to_owned))
            .collect();
        let declared_here: HashSet<&str> = declared.iter().map(String::as_str).collect();
        let mut used_prefixes: Vec<&str> = Vec::new();
        if let Some((p, _)) = name.split_once(':') {
            used_prefixes.push(p);
        }
        for (n, _) in &attrs {
            if let Some((p, _)) = n.split_once(':') {
                used_prefixes.push(p);
            }
        }
        for p in used_prefixes {
            let known = p == "xml"
                || p == "xmlns"
                || declared_here.contains(p)
                || self.stack.declares(p)
                || self.undeclared_set.contains(p);
            if !known {
                self.wellformed = false;
                self.undeclared.push(p.to_owned());
                self.undeclared_set.insert(p.to_owned());
            }
        }

        self.out.push('<');
        self.out.push_str(&name);
        for (n, v) in &attrs {
            self.out.push(' ');
            self.out.push_str(n);
            self.out.push_str("=\"");
            self.attribute_value(v);
            self.out.push('"');
        }
        if is_root {
            self.root_insert_at = Some(self.out.len());
        }
        if self_closing {
            self.out.push_str("/>");
            if is_root {
                self.root_closed = true;
            }
        } else {
            self.out.push('>');
            self.stack.push(Frame {
                name,
                prefixes: declared,
            });
        }
    }

    fn attribute_value(&mut self, v: &str) {
        let mut rest = v;
        while let Some(i) = rest.find(['&', '<', '"']) {
            self.out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with('&') {
                let (repl, used) = self.reference(tail, true);
                self.out.push_str(&repl);
                rest = &tail[used..];
            } else {
                if tail.starts_with('<') {
                    self.wellformed = false;
                    self.out.push_str("&lt;");
                } else {
                    self.out.push_str("&quot;");
                }
                rest = &tail[1..];
            }
        }
        self.out.push_str(rest);
    }

    fn setup_root(&mut self, raw_name: &str, attrs: &mut Vec<(String, String)>) {
        let local = raw_name.rsplit(':').next().unwrap_or(raw_name);
        self.root = Some(local.to_owned());
        if self.faithful {
            self.is_atom = local == "feed";
            return;
        }
        match local {
            "rss" => {
                // feed-rs only accepts version 2.0, 0.91, 0.92 (or an empty one).
                let ok = |v: &str| matches!(v, "2.0" | "0.91" | "0.92");
                match attrs.iter_mut().find(|(n, _)| n == "version") {
                    Some((_, v)) if ok(v) => {}
                    Some((_, v)) => *v = "2.0".into(),
                    None => attrs.push(("version".into(), "2.0".into())),
                }
            }
            "feed" => {
                self.is_atom = true;
                let unprefixed = !raw_name.contains(':');
                for (n, v) in attrs.iter_mut() {
                    if (n == "xmlns" || n.starts_with("xmlns:")) && v == ATOM03_NS {
                        *v = ATOM10_NS.into();
                        self.atom03 = true;
                    } else if n == "xmlns" && unprefixed && v != ATOM10_NS {
                        // pre-0.3 drafts (purl.org/echo, purl.org/pie, example.com…)
                        *v = ATOM10_NS.into();
                        self.atom03 = true;
                    }
                }
                if attrs
                    .iter()
                    .any(|(n, v)| n == "version" && v.starts_with("0."))
                {
                    self.atom03 = true;
                }
            }
            "RDF" => {
                // RSS 0.90 is RSS 1.0 with another namespace, which feed-rs does not know.
                for (n, v) in attrs.iter_mut() {
                    if n == "xmlns" && v.contains("my.netscape.com/rdf/simple/0.9") {
                        *v = "http://purl.org/rss/1.0/".into();
                    }
                }
            }
            _ => {}
        }
    }

    fn note_rss_item(&mut self, name: &str, attrs: &[(String, String)]) {
        if self.is_atom {
            return;
        }
        if name == "item" {
            self.items += 1;
        } else if name == "enclosure" && self.items > 0 && self.stack.contains_name("item") {
            let get = |k: &str| {
                attrs
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| escape::decode(v.trim()).into_owned())
            };
            if let Some(url) = get("url").filter(|u| !u.is_empty()) {
                self.enclosures.push(RawEnclosure {
                    item: self.items - 1,
                    url,
                    mime_type: get("type").filter(|t| !t.is_empty()),
                    length: get("length").and_then(|l| l.parse().ok()),
                });
            }
        }
    }

    /// Atom text constructs: feed-rs fails the whole feed on a `type` it does not know.
    fn normalise_attributes(&mut self, name: &str, attrs: &mut Vec<(String, String)>) {
        if !self.is_atom || self.faithful {
            return;
        }
        let local = name.rsplit(':').next().unwrap_or(name);
        let text_construct = matches!(
            local,
            "title" | "subtitle" | "summary" | "rights" | "content" | "info"
        );
        if !text_construct {
            return;
        }
        let mode = attrs
            .iter()
            .find(|(n, _)| n == "mode")
            .map(|(_, v)| v.clone());
        attrs.retain(|(n, _)| n != "mode");
        let ty = attrs
            .iter()
            .find(|(n, _)| n == "type")
            .map(|(_, v)| v.to_ascii_lowercase());
        let new_ty = match (ty.as_deref(), mode.as_deref()) {
            (Some("text" | "html" | "xhtml"), _) => ty.clone(),
            (Some("text/html"), _) => Some("html".into()),
            (Some("text/plain"), _) => Some("text".into()),
            (Some("application/xhtml+xml"), Some("escaped")) => Some("html".into()),
            (Some("application/xhtml+xml"), _) => Some("xhtml".into()),
            (None, Some("escaped")) => Some("html".into()),
            (Some(_), _) if local != "content" => Some("text".into()),
            _ => ty.clone(),
        };
        if new_ty != ty {
            attrs.retain(|(n, _)| n != "type");
            if let Some(t) = new_ty {
                attrs.push(("type".into(), t));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wellformed_document_is_untouched() {
        let doc = r#"<?xml version="1.0"?><rss version="2.0"><channel><title a="1">A &amp; B</title></channel></rss>"#;
        let r = repair(doc);
        assert!(r.wellformed);
        assert_eq!(r.xml, doc);
        assert_eq!(r.root.as_deref(), Some("rss"));
    }

    #[test]
    fn html_entities_become_numeric() {
        let r = repair("<rss version=\"2.0\"><title>a&nbsp;b &eacute; &bogus; & c</title></rss>");
        assert!(!r.wellformed);
        assert_eq!(
            r.xml,
            "<rss version=\"2.0\"><title>a&#160;b &#233; &amp;bogus; &amp; c</title></rss>"
        );
    }

    #[test]
    fn uppercase_hex_reference_is_repaired() {
        let r = repair("<a>&#X41;&#x42;</a>");
        assert!(!r.wellformed);
        assert_eq!(r.xml, "<a>&#65;&#66;</a>");
    }

    #[test]
    fn unclosed_tags_are_closed() {
        let r = repair(
            "<rss version=\"2.0\"><channel><item><title>x</item><item><title>y</title></item>",
        );
        assert!(!r.wellformed);
        assert_eq!(
            r.xml,
            "<rss version=\"2.0\"><channel><item><title>x</title></item><item><title>y</title></item></channel></rss>"
        );
    }

    #[test]
    fn undeclared_prefix_is_declared_on_root() {
        let r = repair("<rss version=\"2.0\"><dc:creator>me</dc:creator><foo:x/></rss>");
        assert!(!r.wellformed);
        assert!(r.xml.starts_with(
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:foo=\"urn:newsdesk:undeclared:foo\">"
        ));
    }

    #[test]
    fn doctype_entities_are_expanded() {
        let r = repair(
            "<!DOCTYPE rss [<!ENTITY me \"Mé &amp; you\">]><rss version=\"2.0\"><t>&me;</t></rss>",
        );
        assert!(r.wellformed);
        assert_eq!(r.xml, "<rss version=\"2.0\"><t>Mé &amp; you</t></rss>");
    }

    #[test]
    fn atom_03_is_rewritten_without_losing_wellformedness() {
        let r = repair(
            r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><issued>x</issued><content type="text/html" mode="escaped">y</content></entry></feed>"#,
        );
        assert!(r.wellformed);
        assert!(r.xml.contains("xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(r.xml.contains("<published>x</published>"));
        assert!(r.xml.contains("<content type=\"html\">y</content>"));
    }

    #[test]
    fn control_characters_and_c1() {
        let r = repair("<a>x\u{1}y\u{92}</a>");
        assert!(!r.wellformed);
        assert_eq!(r.xml, "<a>xy\u{2019}</a>");
    }

    #[test]
    fn junk_has_no_root() {
        for junk in ["", "   ", "hello", "<<<>>>", "<!-- only", "&&&"] {
            let r = repair(junk);
            assert!(!r.wellformed, "{junk}");
        }
    }
}
