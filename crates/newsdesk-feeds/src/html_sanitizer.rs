//! HTML sanitising in the manner of Python's feedparser, for [`crate::feedparser_view`].
//!
//! The HTML the pipeline stores is sanitised by `newsdesk-extract` (ammonia), one policy for
//! every stored page and feed body. This module gives the *view* of a parsed feed that can be
//! compared with feedparser's test suite: the rules (an allow-list of elements, attributes, URL
//! schemes and CSS properties) follow feedparser's, and so does the serialisation (lower-case
//! names, sorted attributes quoted with `"`, `<br />` for void elements, unknown elements
//! dropped but their text kept, the content of `script`/`style`/`applet` dropped). It also
//! resolves the link attributes of feed HTML against `xml:base` while parsing
//! ([`resolve_relative_uris`]), with the same URL rules.
//!
//! It is a tolerant tokenizer, not a tree builder: tags are not balanced (as in feedparser), and
//! anything that is not a recognisable tag is escaped as text.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use newsdesk_core::escape;

/// Elements that survive sanitising (feedparser's list).
#[rustfmt::skip]
pub(crate) const ACCEPTABLE_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big",
    "blockquote", "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup",
    "command", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl",
    "dt", "em", "event-source", "fieldset", "figcaption", "figure", "font", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "input", "ins", "kbd", "keygen",
    "label", "legend", "li", "m", "map", "menu", "meter", "multicol", "nav", "nextid", "noscript",
    "ol", "optgroup", "option", "output", "p", "pre", "progress", "q", "s", "samp", "section",
    "select", "small", "sound", "source", "spacer", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
    "var", "video",
];

/// Attributes that survive sanitising (feedparser's list); `on*` handlers are not among them.
#[rustfmt::skip]
const ACCEPTABLE_ATTRIBUTES: &[&str] = &[
    "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "autocomplete",
    "autofocus", "axis", "background", "balance", "bgcolor", "bgproperties", "border",
    "bordercolor", "bordercolordark", "bordercolorlight", "bottompadding", "cellpadding",
    "cellspacing", "ch", "challenge", "char", "charoff", "charset", "checked", "choff", "cite",
    "class", "clear", "color", "cols", "colspan", "compact", "contenteditable", "controls",
    "coords", "data", "datafld", "datapagesize", "datasrc", "datetime", "default", "delay", "dir",
    "disabled", "draggable", "dynsrc", "enctype", "end", "face", "for", "form", "frame",
    "galleryimg", "gutter", "headers", "height", "hidden", "hidefocus", "high", "href", "hreflang",
    "hspace", "icon", "id", "inputmode", "ismap", "keytype", "label", "lang", "leftspacing",
    "list", "longdesc", "loop", "loopcount", "loopend", "loopstart", "low", "lowsrc", "max",
    "maxlength", "media", "method", "min", "multiple", "name", "nohref", "noshade", "nowrap",
    "open", "optimum", "pattern", "ping", "point-size", "poster", "pqg", "preload", "prompt",
    "radiogroup", "readonly", "rel", "repeat-max", "repeat-min", "replace", "required", "rev",
    "rightspacing", "rows", "rowspan", "rules", "scope", "selected", "shape", "size", "span",
    "src", "start", "step", "style", "summary", "suppress", "tabindex", "target", "template",
    "title", "toppadding", "type", "unselectable", "urn", "usemap", "valign", "value", "variable",
    "volume", "vrml", "vspace", "width", "wrap", "xml:lang",
];

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// MathML elements allowed inside `<math>` (feedparser's list).
#[rustfmt::skip]
const MATHML_ELEMENTS: &[&str] = &[
    "annotation", "annotation-xml", "maction", "maligngroup", "malignmark", "math", "menclose",
    "merror", "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn",
    "mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mscarries",
    "mscarry", "msgroup", "msline", "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub",
    "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none",
    "semantics",
];

/// MathML attributes (feedparser's list).
#[rustfmt::skip]
const MATHML_ATTRIBUTES: &[&str] = &[
    "accent", "accentunder", "actiontype", "align", "alignmentscope", "altimg", "altimg-height",
    "altimg-valign", "altimg-width", "alttext", "bevelled", "charalign", "close", "columnalign",
    "columnlines", "columnspacing", "columnspan", "columnwidth", "crossout", "decimalpoint",
    "denomalign", "depth", "dir", "display", "displaystyle", "edge", "encoding", "equalcolumns",
    "equalrows", "fence", "fontstyle", "fontweight", "form", "frame", "framespacing", "groupalign",
    "height", "href", "id", "indentalign", "indentalignfirst", "indentalignlast", "indentshift",
    "indentshiftfirst", "indentshiftlast", "indenttarget", "infixlinebreakstyle", "largeop",
    "length", "linebreak", "linebreakmultchar", "linebreakstyle", "lineleading", "linethickness",
    "location", "longdivstyle", "lquote", "lspace", "mathbackground", "mathcolor", "mathsize",
    "mathvariant", "maxsize", "minlabelspacing", "minsize", "movablelimits", "notation",
    "numalign", "open", "other", "overflow", "position", "rowalign", "rowlines", "rowspacing",
    "rowspan", "rquote", "rspace", "scriptlevel", "scriptminsize", "scriptsizemultiplier",
    "selection", "separator", "separators", "shift", "side", "src", "stackalign", "stretchy",
    "subscriptshift", "superscriptshift", "symmetric", "voffset", "width", "xlink:href",
    "xlink:show", "xlink:type", "xmlns", "xmlns:xlink",
];

/// SVG elements allowed inside `<svg>`: feedparser's list without the animation elements
/// (`animate`, `set`, … can rewrite an `href` to `javascript:` after sanitising).
#[rustfmt::skip]
const SVG_ELEMENTS: &[&str] = &[
    "a", "circle", "defs", "desc", "ellipse", "font-face", "font-face-name", "font-face-src", "g",
    "glyph", "hkern", "linearGradient", "line", "marker", "metadata", "missing-glyph", "mpath",
    "path", "polygon", "polyline", "radialGradient", "rect", "stop", "svg", "switch", "text",
    "title", "tspan", "use",
];

/// SVG attributes (feedparser's list, camel-case as SVG writes them).
#[rustfmt::skip]
const SVG_ATTRIBUTES: &[&str] = &[
    "accent-height", "accumulate", "additive", "alphabetic", "arabic-form", "ascent",
    "attributeName", "attributeType", "baseProfile", "bbox", "begin", "by", "calcMode",
    "cap-height", "class", "color", "color-rendering", "content", "cx", "cy", "d", "dx", "dy",
    "descent", "display", "dur", "end", "fill", "fill-opacity", "fill-rule", "font-family",
    "font-size", "font-stretch", "font-style", "font-variant", "font-weight", "from", "fx", "fy",
    "g1", "g2", "glyph-name", "gradientUnits", "hanging", "height", "horiz-adv-x",
    "horiz-origin-x", "id", "ideographic", "k", "keyPoints", "keySplines", "keyTimes", "lang",
    "marker-end", "marker-mid", "marker-start", "markerHeight", "markerUnits", "markerWidth",
    "mathematical", "max", "min", "name", "offset", "opacity", "orient", "origin",
    "overline-position", "overline-thickness", "panose-1", "path", "pathLength", "points",
    "preserveAspectRatio", "r", "refX", "refY", "repeatCount", "repeatDur", "requiredExtensions",
    "requiredFeatures", "restart", "rotate", "rx", "ry", "slope", "stemh", "stemv", "stop-color",
    "stop-opacity", "strikethrough-position", "strikethrough-thickness", "stroke",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "systemLanguage", "target",
    "text-anchor", "to", "transform", "type", "u1", "u2", "underline-position",
    "underline-thickness", "unicode", "unicode-range", "units-per-em", "values", "version",
    "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2", "xlink:actuate",
    "xlink:arcrole", "xlink:href", "xlink:role", "xlink:show", "xlink:title", "xlink:type",
    "xml:base", "xml:lang", "xml:space", "xmlns", "xmlns:xlink", "y", "y1", "y2", "zoomAndPan",
];

/// CSS properties also kept inside SVG.
#[rustfmt::skip]
const SVG_CSS_PROPERTIES: &[&str] = &[
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-opacity",
];

/// Elements whose whole content is dropped, not just the tags.
const UNACCEPTABLE_WITH_CONTENT: &[&str] = &["script", "applet", "style"];

/// Elements written `<x />` and never closed.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input",
    "isindex", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// URL schemes allowed in links (feedparser's list); anything else (`javascript:`, `data:`,
/// `vbscript:`) is replaced by an empty URL.
const ACCEPTABLE_URI_SCHEMES: &[&str] = &[
    "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet", "mailto", "mms",
    "news", "nntp", "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip", "sips", "snews",
    "svn", "svn+ssh", "telnet", "wais", "aim", "callto", "cvs", "facetime", "feed", "git", "gtalk",
    "irc", "ircs", "irc6", "itms", "msnim", "skype", "ssh", "smb", "ymsgr",
];

/// (element, attribute) pairs holding URLs, resolved against the base.
const URI_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("applet", "codebase"),
    ("area", "href"),
    ("audio", "src"),
    ("blockquote", "cite"),
    ("body", "background"),
    ("del", "cite"),
    ("form", "action"),
    ("frame", "longdesc"),
    ("frame", "src"),
    ("iframe", "longdesc"),
    ("iframe", "src"),
    ("head", "profile"),
    ("img", "longdesc"),
    ("img", "src"),
    ("img", "usemap"),
    ("input", "src"),
    ("input", "usemap"),
    ("ins", "cite"),
    ("link", "href"),
    ("object", "classid"),
    ("object", "codebase"),
    ("object", "data"),
    ("object", "usemap"),
    ("q", "cite"),
    ("script", "src"),
    ("source", "src"),
    ("video", "poster"),
    ("video", "src"),
];

/// Attributes that hold a URL on some element: their scheme is checked everywhere (feedparser
/// checks only `href`).
#[rustfmt::skip]
const URL_ATTRIBUTE_NAMES: &[&str] = &[
    "action", "background", "cite", "data", "dynsrc", "href", "longdesc", "lowsrc", "ping",
    "poster", "src", "usemap", "xlink:href",
];

/// CSS properties kept in `style` attributes.
#[rustfmt::skip]
const ACCEPTABLE_CSS_PROPERTIES: &[&str] = &[
    "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color",
    "border-left-color", "border-right-color", "border-top-color", "clear", "color", "cursor",
    "direction", "display", "elevation", "float", "font", "font-family", "font-size", "font-style",
    "font-variant", "font-weight", "height", "letter-spacing", "line-height", "overflow", "pause",
    "pause-after", "pause-before", "pitch", "pitch-range", "richness", "speak", "speak-header",
    "speak-numeral", "speak-punctuation", "speech-rate", "stress", "text-align", "text-decoration",
    "text-indent", "unicode-bidi", "vertical-align", "voice-family", "volume", "white-space",
    "width",
];

/// CSS keywords allowed in `background*`, `border*`, `margin*` and `padding*` values.
#[rustfmt::skip]
const ACCEPTABLE_CSS_KEYWORDS: &[&str] = &[
    "!important", "aqua", "auto", "black", "block", "blue", "bold", "both", "bottom", "brown",
    "center", "collapse", "dashed", "dotted", "fuchsia", "gray", "green", "italic", "left", "lime",
    "maroon", "medium", "navy", "none", "normal", "nowrap", "olive", "pointer", "purple", "red",
    "right", "silver", "solid", "teal", "top", "transparent", "underline", "white", "yellow",
];

/// Sanitises an HTML fragment: dangerous constructs removed, harmless markup kept, URLs in link
/// attributes resolved against `base`. The result is trimmed.
pub(crate) fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    let prepared = prepare(html);
    let mut s = Sanitizer {
        out: String::with_capacity(prepared.len()),
        base,
        suppress: 0,
        svg: 0,
        mathml: 0,
        last_tag: None,
    };
    s.run(&prepared);
    s.out.trim().replace("\r\n", "\n")
}

/// True when `text` (meant as plain text) holds markup that would be live if it were ever read
/// as HTML: script-like elements, event handlers, script URLs.
pub(crate) fn looks_dangerous(text: &str) -> bool {
    static DANGER: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"(?i)<\s*/?\s*(script|iframe|frame|object|embed|applet|style|meta|link|base|svg|math)\b|<[a-z][^>]*(\son[a-z]+\s*=|(javascript|vbscript|data)\s*:|&#)",
        )
        .ok()
    });
    match DANGER.as_ref() {
        Some(re) => re.is_match(text),
        // cannot happen (the pattern is fixed); err on the safe side
        None => text.contains('<'),
    }
}

/// Text rewrites done before tokenizing (as feedparser does): `<!` that opens neither a
/// comment, a DOCTYPE nor a marked section is text; `<x/>` short tags are expanded;
/// `&#39;`/`&#34;` become quotes.
fn prepare(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("<!") {
            let upper: String = after
                .chars()
                .take(7)
                .collect::<String>()
                .to_ascii_uppercase();
            if upper.starts_with("DOCTYPE") || after.starts_with("--") {
                out.push_str("<!");
            } else {
                // `<![CDATA[` in HTML is text too
                out.push_str("&lt;!");
            }
            rest = after;
            continue;
        }
        // `<name/>` or `<name />` without attributes
        let end = tail
            .find(['>', '<'])
            .filter(|&e| e > 0 && tail.as_bytes()[e] == b'>');
        if let Some(e) = end {
            let inner = &tail[1..e];
            if let Some(name) = inner.strip_suffix('/') {
                let name = name.trim_end();
                if !name.is_empty() && !name.contains(char::is_whitespace) {
                    let lower = name.to_ascii_lowercase();
                    if VOID_ELEMENTS.contains(&lower.as_str()) {
                        out.push_str(&format!("<{name} />"));
                    } else {
                        out.push_str(&format!("<{name}></{name}>"));
                    }
                    rest = &tail[e + 1..];
                    continue;
                }
            }
        }
        out.push('<');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out.replace("&#39;", "'").replace("&#34;", "\"")
}

struct Sanitizer<'a> {
    out: String,
    base: Option<&'a Url>,
    /// Open `script`/`style`/`applet` elements; their text is dropped while this is non-zero.
    /// Signed as in feedparser: a stray end tag makes it negative (text stays dropped).
    suppress: i32,
    /// Open `<svg>` elements (SVG elements and attributes are allowed inside).
    svg: u32,
    /// Open `<math>` elements (MathML elements and attributes are allowed inside).
    mathml: u32,
    /// The name of the last start tag seen: SGML's `<>` shorthand repeats it.
    last_tag: Option<String>,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic()
}

fn is_tag_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

impl Sanitizer<'_> {
    fn data(&mut self, s: &str) {
        if self.suppress == 0 {
            self.out.push_str(s);
        }
    }

    fn run(&mut self, src: &str) {
        let mut pos = 0;
        while pos < src.len() {
            let rest = &src[pos..];
            let next = rest.find(['<', '&']).unwrap_or(rest.len());
            if next > 0 {
                self.data(&rest[..next]);
                pos += next;
                continue;
            }
            let consumed = if rest.starts_with('&') {
                self.reference(rest)
            } else {
                self.markup(rest)
            };
            pos += consumed.max(1);
        }
    }

    /// A character or entity reference at the start of `s`; returns the bytes consumed.
    fn reference(&mut self, s: &str) -> usize {
        let body = &s[1..];
        if let Some(num) = body.strip_prefix('#') {
            let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (num, 10),
            };
            let len = digits
                .find(|c: char| !c.is_digit(radix))
                .unwrap_or(digits.len());
            if len > 0 {
                let prefix_len = 2 + (num.len() - digits.len());
                let text = &digits[..len];
                let semi = digits[len..].starts_with(';');
                let value = u32::from_str_radix(text, radix).ok();
                let written = match value.and_then(escape::windows_1252_c1) {
                    Some(c) => format!("&#x{:x};", c as u32),
                    None if radix == 16 => format!("&#x{};", text.to_ascii_lowercase()),
                    None => format!("&#{text};"),
                };
                self.data(&written);
                return prefix_len + len + usize::from(semi);
            }
        } else if body.starts_with(is_name_start) {
            let len = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
                .unwrap_or(body.len());
            let name = &body[..len];
            let semi = body[len..].starts_with(';');
            if escape::named_reference(name).is_some() {
                self.data(&format!("&{name};"));
                return 1 + len + usize::from(semi);
            }
            self.data(&format!("&amp;{name}"));
            return 1 + len;
        }
        self.data("&amp;");
        1
    }

    /// Markup (`<…`) at the start of `s`; returns the bytes consumed.
    fn markup(&mut self, s: &str) -> usize {
        if let Some(after) = s.strip_prefix("<!--") {
            // A comment closes at the first `-->` with no `--` inside; `<!-- -- x >` is an SGML
            // declaration, dropped like DOCTYPEs. Comments a browser would close early
            // (`<!-->`, `<!--->`) are dropped too, or what follows them would become markup.
            if let Some(end) = after.find("-->")
                && !after[..end].contains("--")
            {
                let text = &after[..end];
                let closes_early =
                    text.starts_with('>') || text.starts_with("->") || text.ends_with('-');
                if self.suppress == 0 && !closes_early {
                    self.out.push_str("<!--");
                    self.out.push_str(text);
                    self.out.push_str("-->");
                }
                return 4 + end + 3;
            }
            return s.find('>').map_or(s.len(), |e| e + 1);
        }
        if s.starts_with("<!") || s.starts_with("<?") {
            // declarations and processing instructions are dropped; without a `>` it is text
            // (and, with no `>` left, no tag can follow)
            return match s.find('>') {
                Some(e) => e + 1,
                None => {
                    self.data(s);
                    s.len()
                }
            };
        }
        if let Some(after) = s.strip_prefix("</") {
            if after.starts_with(is_name_start) {
                let len = after
                    .find(|c: char| !is_tag_name_char(c))
                    .unwrap_or(after.len());
                let tail = &after[len..];
                let ws = tail.len() - tail.trim_start().len();
                if tail[ws..].starts_with('>') {
                    self.end_tag(&after[..len].to_ascii_lowercase());
                    return 2 + len + ws + 1;
                }
            }
            self.data("&lt;");
            return 1;
        }
        if s.starts_with("<>") {
            // SGML shorthand, as feedparser's sgmllib reads it: `<>` is the last start tag seen
            // again (without attributes), and nothing before any start tag
            if let Some(tag) = self.last_tag.clone() {
                self.start_tag(&tag, Vec::new());
            }
            return 2;
        }
        let after = &s[1..];
        if after.starts_with(is_name_start)
            && let Some((tag, attrs, used)) = parse_start_tag(after)
        {
            self.last_tag = Some(tag.clone());
            self.start_tag(&tag, attrs);
            return 1 + used;
        }
        self.data("&lt;");
        1
    }

    fn start_tag(&mut self, tag: &str, mut attrs: Vec<(String, String)>) {
        if self.suppress != 0 {
            if UNACCEPTABLE_WITH_CONTENT.contains(&tag) {
                self.suppress += 1;
            }
            return;
        }
        let mut allowed: &dyn Fn(&str) -> bool = &|k| ACCEPTABLE_ATTRIBUTES.contains(&k);
        let mut name = tag.to_owned();
        let svg_attr = |k: &str| SVG_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(k));
        let mathml_attr = |k: &str| MATHML_ATTRIBUTES.contains(&k);
        let mut in_foreign = false;
        if !ACCEPTABLE_ELEMENTS.contains(&tag) || self.svg > 0 {
            if UNACCEPTABLE_WITH_CONTENT.contains(&tag) {
                self.suppress += 1;
                return;
            }
            // inline SVG/MathML in HTML needs no declaration
            if !attrs.iter().any(|(k, _)| k == "xmlns") {
                if tag == "svg" {
                    attrs.push(("xmlns".into(), SVG_NS.into()));
                } else if tag == "math" {
                    attrs.push(("xmlns".into(), MATHML_NS.into()));
                }
            }
            let has_ns = |ns: &str| attrs.iter().any(|(k, v)| k == "xmlns" && v == ns);
            if tag == "math" && has_ns(MATHML_NS) {
                self.mathml += 1;
            }
            if tag == "svg" && has_ns(SVG_NS) {
                self.svg += 1;
            }
            if self.mathml > 0 && MATHML_ELEMENTS.contains(&tag) {
                allowed = &mathml_attr;
                in_foreign = true;
            } else if let Some(svg_name) = SVG_ELEMENTS
                .iter()
                .find(|e| self.svg > 0 && e.eq_ignore_ascii_case(tag))
            {
                allowed = &svg_attr;
                name = (*svg_name).to_owned();
                in_foreign = true;
            } else if !ACCEPTABLE_ELEMENTS.contains(&tag) {
                return;
            }
        }
        if (self.mathml > 0 || self.svg > 0)
            && attrs.iter().any(|(k, _)| k.starts_with("xlink:"))
            && !attrs.iter().any(|(k, _)| k == "xmlns:xlink")
        {
            attrs.push(("xmlns:xlink".into(), XLINK_NS.into()));
        }
        let mut clean: Vec<(String, String)> = Vec::new();
        for (key, value) in normalize_attrs(attrs) {
            if key == "style" {
                if allowed("style") {
                    let v = sanitize_style(&value, self.svg > 0);
                    if !v.is_empty() {
                        clean.push((key, v));
                    }
                }
                continue;
            }
            if !allowed(&key) {
                continue;
            }
            // SVG attribute names are camel-case
            let key = if in_foreign {
                SVG_ATTRIBUTES
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&key))
                    .map_or(key, |a| (*a).to_owned())
            } else {
                key
            };
            let value = if URI_ATTRIBUTES.contains(&(tag, key.as_str())) {
                safe_absolute_uri(self.base, value.trim())
            } else if URL_ATTRIBUTE_NAMES.contains(&key.as_str()) {
                // not resolved here, but never a `javascript:` URL on any element
                safe_absolute_uri(None, &value)
            } else {
                value
            };
            clean.push((key, value));
        }
        self.out.push('<');
        self.out.push_str(&name);
        for (k, v) in &clean {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.out.push_str(&escape_attribute(v));
            self.out.push('"');
        }
        if VOID_ELEMENTS.contains(&tag) {
            self.out.push_str(" />");
        } else {
            self.out.push('>');
        }
    }

    fn end_tag(&mut self, tag: &str) {
        if UNACCEPTABLE_WITH_CONTENT.contains(&tag) {
            self.suppress -= 1;
            return;
        }
        if self.suppress != 0 {
            return;
        }
        let mut name = tag.to_owned();
        if !ACCEPTABLE_ELEMENTS.contains(&tag) {
            if self.mathml > 0 && MATHML_ELEMENTS.contains(&tag) {
                if tag == "math" {
                    self.mathml -= 1;
                }
            } else if let Some(svg_name) = SVG_ELEMENTS
                .iter()
                .find(|e| self.svg > 0 && e.eq_ignore_ascii_case(tag))
            {
                name = (*svg_name).to_owned();
                if tag == "svg" {
                    self.svg -= 1;
                }
            } else {
                return;
            }
        }
        if VOID_ELEMENTS.contains(&tag) {
            return;
        }
        self.out.push_str("</");
        self.out.push_str(&name);
        self.out.push('>');
    }
}

/// Attribute (name, value) pairs of a tag.
type Attributes = Vec<(String, String)>;

/// Parses `name attr="v" …>` (after the `<`); returns the lower-cased name, the attributes
/// (names lower-cased, values as written: feedparser keeps their references) and the bytes
/// consumed.
/// `None` when there is no closing `>`.
fn parse_start_tag(s: &str) -> Option<(String, Attributes, usize)> {
    let name_len = s.find(|c: char| !is_tag_name_char(c)).unwrap_or(s.len());
    let tag = s[..name_len].to_ascii_lowercase();
    let bytes = s.as_bytes();
    let mut i = name_len;
    let mut attrs = Vec::new();
    loop {
        while i < s.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= s.len() {
            return None;
        }
        match bytes[i] {
            b'>' => return Some((tag, attrs, i + 1)),
            b'<' => return None,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < s.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'-' | b'_' | b':' | b'.'))
                {
                    i += 1;
                }
                let name = s[start..i].to_ascii_lowercase();
                let (value, next) = attribute_value(s, i);
                i = next;
                let value = value.unwrap_or_else(|| name.clone());
                attrs.push((name, value));
            }
            b'=' => {
                // a value without a name (`i$="true"`): skip it
                let (_, next) = attribute_value(s, i);
                i = next.max(i + 1);
            }
            _ => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
}

/// The `= value` after an attribute name at `i`, if any, and where parsing goes on.
fn attribute_value(s: &str, mut i: usize) -> (Option<String>, usize) {
    let bytes = s.as_bytes();
    let mut j = i;
    while j < s.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if j >= s.len() || bytes[j] != b'=' {
        return (None, i);
    }
    j += 1;
    while j < s.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if j < s.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
        let quote = bytes[j] as char;
        if let Some(end) = s[j + 1..].find(quote) {
            return (Some(s[j + 1..j + 1 + end].to_owned()), j + 1 + end + 1);
        }
        // unterminated quote: up to the `>`
        let end = s[j + 1..].find('>').map_or(s.len(), |e| j + 1 + e);
        return (Some(s[j + 1..end].to_owned()), end);
    }
    i = j;
    while i < s.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
        i += 1;
    }
    (Some(s[j..i].to_owned()), i)
}

/// Attribute names de-duplicated (last value wins), `rel`/`type` values lower-cased, sorted.
fn normalize_attrs(attrs: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(attrs.len());
    for (k, v) in attrs {
        let v = if k == "rel" || k == "type" {
            v.to_lowercase()
        } else {
            v
        };
        match out.iter_mut().find(|(name, _)| *name == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k, v)),
        }
    }
    out.sort();
    out
}

/// Escapes a double-quoted attribute value as feedparser serialises it: character references
/// already in the value are kept as written, the text between them is escaped.
fn escape_attribute(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut text_start = 0;
    for (i, _) in v.match_indices('&') {
        if i >= text_start && starts_with_reference(&v[i..]) {
            out.push_str(&escape::html(&v[text_start..i]));
            let end = v[i..].find(';').map_or(v.len(), |e| i + e + 1);
            out.push_str(&v[i..end]);
            text_start = end;
        }
    }
    out.push_str(&escape::html(&v[text_start..]));
    out
}

/// True when `s` starts with `&#123;`, `&#x1f;` or `&name;`.
fn starts_with_reference(s: &str) -> bool {
    let body = &s[1..];
    let Some(end) = body.find(';') else {
        return false;
    };
    let name = &body[..end];
    if let Some(num) = name.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// `uri` resolved against `base` when there is one; empty when its scheme is not allowed.
pub(crate) fn safe_absolute_uri(base: Option<&Url>, uri: &str) -> String {
    let resolved = join(base, uri);
    // browsers decode references and drop tabs/newlines before reading the scheme
    // (`java&#9;script&#58;`), so check what they would see
    let seen: String = escape::decode(&resolved)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme = seen
        .split_once(':')
        .map(|(s, _)| s.trim().to_ascii_lowercase())
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
    match scheme {
        Some(s) if !ACCEPTABLE_URI_SCHEMES.contains(&s.as_str()) => String::new(),
        _ if !uri.is_ascii() => iri_form(&resolved),
        _ => resolved,
    }
}

/// `uri` joined to `base` (the base itself for an empty `uri`).
fn join(base: Option<&Url>, uri: &str) -> String {
    match base {
        Some(b) if !uri.is_empty() => b.join(uri).map_or_else(|_| uri.to_owned(), String::from),
        Some(b) => b.to_string(),
        None => uri.to_owned(),
    }
}

/// Resolves the URLs of link attributes (`<a href>`, `<img src>`, … as [`URI_ATTRIBUTES`]
/// lists them) in an HTML fragment against `base`, leaving all else as written. Schemes are not
/// checked here: that is the sanitiser's job, wherever the HTML is shown.
pub(crate) fn resolve_relative_uris(html: &str, base: &Url) -> String {
    let is_uri_attr = |tag: &str, key: &str| URI_ATTRIBUTES.contains(&(tag, key));
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("<!--") {
            let end = after.find("-->").map_or(tail.len(), |e| 4 + e + 3);
            out.push_str(&tail[..end]);
            rest = &tail[end..];
            continue;
        }
        let after = &tail[1..];
        if after.starts_with(is_name_start)
            && let Some((tag, attrs, used)) = parse_start_tag(after)
            && attrs.iter().any(|(k, _)| is_uri_attr(&tag, k))
        {
            out.push('<');
            out.push_str(&tag);
            for (k, v) in &attrs {
                let v = if is_uri_attr(&tag, k) {
                    let joined = join(Some(base), v.trim());
                    if v.is_ascii() {
                        joined
                    } else {
                        iri_form(&joined)
                    }
                } else {
                    v.clone()
                };
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                out.push_str(&escape_attribute(&v));
                out.push('"');
            }
            out.push_str(if after[..used].ends_with("/>") {
                " />"
            } else {
                ">"
            });
            rest = &after[used..];
            continue;
        }
        out.push('<');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Undoes the percent-encoding of non-ASCII characters that URL joining added (feedparser keeps
/// IRIs as written: `http://any.test/À`).
fn iri_form(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&url[i + 1..i + 3], 16)
            && b >= 0x80
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| url.to_owned())
}

/// The regular expressions of feedparser's CSS sanitiser (Python's `\w`, `\s` and `\d` are
/// Unicode-aware, like the `regex` crate's).
struct CssRules {
    url: Regex,
    gauntlet: Regex,
    declaration_shape: Regex,
    declaration: Regex,
    value: Regex,
}

static CSS: LazyLock<Option<CssRules>> = LazyLock::new(|| {
    Some(CssRules {
        url: Regex::new(r"url\s*\(\s*[^\s)]+?\s*\)\s*").ok()?,
        gauntlet: Regex::new(
            r#"^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$"#,
        )
        .ok()?,
        declaration_shape: Regex::new(r"\s*[-\w]+\s*:\s*[^:;]*;?").ok()?,
        declaration: Regex::new(r"([-\w]+)\s*:\s*([^:;]*)").ok()?,
        value: Regex::new(
            r"^(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$",
        )
        .ok()?,
    })
});

/// Keeps the harmless declarations of a `style` attribute (feedparser's rules): `url(…)` is
/// removed, characters outside a small safe set drop the whole style, and only listed
/// properties (or `background`/`border`/`margin`/`padding` with listed keywords and plain
/// lengths/colours) stay. `expression(…)`, `behavior`, `-moz-binding` and the like never pass.
fn sanitize_style(style: &str, svg: bool) -> String {
    let Some(css) = CSS.as_ref() else {
        return String::new();
    };
    let style = css.url.replace_all(style, " ");
    if !css.gauntlet.is_match(&style) {
        return String::new();
    }
    if !css
        .declaration_shape
        .replace_all(&style, "")
        .trim()
        .is_empty()
    {
        return String::new();
    }
    let mut clean = Vec::new();
    for cap in css.declaration.captures_iter(&style) {
        let (Some(prop), Some(value)) = (cap.get(1), cap.get(2)) else {
            continue;
        };
        let (prop, value) = (prop.as_str(), value.as_str());
        if value.is_empty() {
            continue;
        }
        let lower = prop.to_lowercase();
        let family = lower.split('-').next().unwrap_or_default();
        let listed = ACCEPTABLE_CSS_PROPERTIES.contains(&lower.as_str())
            || (svg && SVG_CSS_PROPERTIES.contains(&lower.as_str()));
        let box_keywords = ["background", "border", "margin", "padding"].contains(&family)
            && value
                .split_whitespace()
                .all(|k| ACCEPTABLE_CSS_KEYWORDS.contains(&k) || css.value.is_match(k));
        if listed || box_keywords {
            clean.push(format!("{prop}: {value};"));
        }
    }
    clean.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        sanitize_html(s, None)
    }

    #[test]
    fn scripts_and_their_content_are_removed() {
        assert_eq!(
            clean("safe<script>alert(1)</script> description"),
            "safe description"
        );
        assert_eq!(clean("<style>p{}</style>x"), "x");
    }

    #[test]
    fn event_handlers_are_removed_and_attributes_sorted() {
        assert_eq!(
            clean(r#"<IMG onload="x()" SRC='http://e.com/a.jpg' alt=cat>"#),
            r#"<img alt="cat" src="http://e.com/a.jpg" />"#
        );
    }

    #[test]
    fn unknown_elements_lose_tags_but_keep_text() {
        assert_eq!(clean("<object><b>safe</b></object>"), "<b>safe</b>");
        assert_eq!(clean("<blink>safe</blink>"), "safe");
    }

    #[test]
    fn javascript_urls_are_emptied_and_relative_ones_resolved() {
        assert_eq!(
            clean(r#"<a href="javascript:alert(1)">x</a>"#),
            r#"<a href="">x</a>"#
        );
        let base = Url::parse("http://example.com/dir/feed").unwrap();
        assert_eq!(
            sanitize_html(r#"<a href="test.html">x</a>"#, Some(&base)),
            r#"<a href="http://example.com/dir/test.html">x</a>"#
        );
    }

    #[test]
    fn styles_keep_only_safe_declarations() {
        assert_eq!(
            clean(r#"<span style="color: red; font-size: 12px">t</span>"#),
            r#"<span style="color: red; font-size: 12px;">t</span>"#
        );
        assert_eq!(
            clean(r#"<span style="color: red; background: url(javascript:x)">t</span>"#),
            r#"<span style="color: red;">t</span>"#
        );
        assert_eq!(
            clean(r#"<span style="width: expression(alert(1))">t</span>"#),
            "<span>t</span>"
        );
        assert_eq!(
            clean(r#"<span style="padding-right: 0in">t</span>"#),
            r#"<span style="padding-right: 0in;">t</span>"#
        );
        // feedparser's value pattern: at most two digits either side of the point
        assert_eq!(
            clean(r#"<span style="margin: 12345px">t</span>"#),
            "<span>t</span>"
        );
        assert_eq!(
            clean(r#"<span style="-moz-binding: url(x.xml#xss); color: blue">t</span>"#),
            "<span>t</span>"
        );
    }

    #[test]
    fn references_are_normalised() {
        assert_eq!(
            clean("&#X61; &#146; Q&A &amp;"),
            "&#x61; &#x2019; Q&amp;A &amp;"
        );
        assert_eq!(clean("<b>x</b><br/>"), "<b>x</b><br />");
        assert_eq!(clean("<!' <a href=\"foo\">"), "&lt;!' <a href=\"foo\">");
    }

    #[test]
    fn svg_and_mathml_keep_their_vocabulary_only() {
        assert_eq!(
            clean(
                r#"<svg xmlns="http://www.w3.org/2000/svg" baseProfile="full" onload="x()"><circle r="5" /><animate attributeName="href" to="javascript:x()"/><script>x()</script></svg>"#
            ),
            r#"<svg baseProfile="full" xmlns="http://www.w3.org/2000/svg"><circle r="5"></svg>"#
        );
        assert_eq!(
            clean(r#"<math><mi xlink:href="javascript:x()">a</mi></math>"#),
            r#"<math xmlns="http://www.w3.org/1998/Math/MathML"><mi xlink:href="" xmlns:xlink="http://www.w3.org/1999/xlink">a</mi></math>"#
        );
    }

    #[test]
    fn attribute_references_are_kept_and_incomplete_declarations_are_text() {
        assert_eq!(
            clean(r#"<a title="&#38;">&#38;</a>"#),
            r#"<a title="&#38;">&#38;</a>"#
        );
        assert_eq!(clean(" <!DOCTYPE "), "<!DOCTYPE");
    }

    #[test]
    fn dangerous_plain_text_is_recognised() {
        assert!(looks_dangerous("x <SCRIPT>y()</script>"));
        assert!(looks_dangerous(r#"<b onmouseover="x()">"#));
        assert!(looks_dangerous(r#"<a href="javascript:x()">"#));
        assert!(looks_dangerous(r#"<a href="java&#115;cript&#58;x()">"#));
        assert!(!looks_dangerous("AT&T <3 the <b>news</b>"));
        assert!(!looks_dangerous("Big data: AT&T"));
    }

    #[test]
    fn empty_tag_repeats_the_last_start_tag() {
        assert_eq!(clean("a <> b"), "a  b");
        assert_eq!(clean("<b>x</b><>y"), "<b>x</b><b>y");
        // `<>` after a script reopens it: what follows is dropped
        assert_eq!(clean("<script>x</script><>y"), "");
        assert_eq!(clean("1 < 2"), "1 &lt; 2");
    }

    #[test]
    fn malicious_comment_is_dropped() {
        assert_eq!(clean("sa<!-- -- x >fe<script>alert(1);</script>"), "safe");
        assert_eq!(clean("a<!-- <c> -->b"), "a<!-- <c> -->b");
        assert_eq!(clean("a<!--><script>x()</script>-->b"), "ab");
    }
}
