//! Checking the pre-pass against html5ever, for the tests and the differential fuzz target
//! (`fuzz/fuzz_targets/prepass.rs`): html5ever's tree of the pre-pass's output must be its tree
//! of the input, less only what the pre-pass is meant to drop.
//!
//! Both trees are reduced to what the pre-pass keeps by design: elements and their text, in
//! document order, with the contents of the elements whose contents it may empty (style,
//! noscript, svg, iframe, script, select, datalist, template, nav, form, footer, aside,
//! header) left out, `<link>` elements left out, comments left out and every run of whitespace
//! written as one space. The reductions must be equal, and every attribute the pre-pass kept
//! must be the input's. The depth cut ([`crate::MAX_NESTING`]) is not checked: the caller
//! gives inputs too short to reach it.

use std::fmt::Write;

use scraper::{Html, Node};

/// Elements whose contents the pre-pass may drop (keeping the element).
const EMPTIED: &[&str] = &[
    "style", "noscript", "svg", "iframe", "script", "select", "datalist", "template", "nav",
    "form", "footer", "aside", "header",
];

/// One element of a reduced tree: its line in the dump, and its attributes.
struct Reduced {
    dump: String,
    attributes: Vec<Vec<(String, String)>>,
}

fn reduce(html: &Html) -> Reduced {
    fn walk(
        n: ego_tree::NodeRef<'_, Node>,
        depth: usize,
        out: &mut String,
        attributes: &mut Vec<Vec<(String, String)>>,
    ) {
        let mut pending = String::new();
        // A text, every run of whitespace written as one space.
        let flush = |pending: &mut String, out: &mut String| {
            if pending.is_empty() {
                return;
            }
            let mut text = String::with_capacity(pending.len());
            for (i, word) in pending.split_ascii_whitespace().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(word);
            }
            if pending.starts_with(|c: char| c.is_ascii_whitespace()) {
                text.insert(0, ' ');
            }
            if pending.ends_with(|c: char| c.is_ascii_whitespace()) && text != " " {
                text.push(' ');
            }
            let _ = writeln!(out, "{:depth$}{text:?}", "");
            pending.clear();
        };
        for c in n.children() {
            match c.value() {
                Node::Text(t) => pending.push_str(&t.text),
                Node::Comment(_) => {}
                Node::Element(e) if e.name() == "link" => {}
                Node::Element(e) => {
                    flush(&mut pending, out);
                    let _ = writeln!(out, "{:depth$}<{}>", "", e.name());
                    attributes.push(
                        e.attrs()
                            .map(|(k, v)| (k.to_owned(), v.to_owned()))
                            .collect(),
                    );
                    if !EMPTIED.contains(&e.name()) {
                        walk(c, depth + 1, out, attributes);
                    }
                }
                Node::Doctype(d) => {
                    flush(&mut pending, out);
                    let _ = writeln!(out, "{:depth$}<!{}>", "", d.name());
                }
                _ => {}
            }
        }
        flush(&mut pending, out);
    }
    let mut dump = format!("{:?}\n", html.quirks_mode);
    let mut attributes = Vec::new();
    walk(html.tree.root(), 0, &mut dump, &mut attributes);
    Reduced { dump, attributes }
}

/// Whether html5ever's tree of the pre-pass's output of `src` is its tree of `src` less what
/// the pre-pass drops by design (see the module docs); on a difference, what differs.
pub(crate) fn same_content(src: &str) -> Result<(), String> {
    let prepared = crate::prepass::prepare(src);
    let before = reduce(&Html::parse_document(src));
    let after = reduce(&Html::parse_document(&prepared));
    if before.dump != after.dump {
        let (a, b): (Vec<&str>, Vec<&str>) =
            (before.dump.lines().collect(), after.dump.lines().collect());
        let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let around = |l: &[&str]| l[at.saturating_sub(6)..(at + 6).min(l.len())].join("\n");
        let shown: String = prepared.chars().take(2000).collect();
        return Err(format!(
            "the pre-pass changed the tree at line {at} of its dump\ninput's tree:\n{}\noutput's tree:\n{}\npre-pass output (start): {shown:?}",
            around(&a),
            around(&b)
        ));
    }
    for (i, (kept, all)) in after.attributes.iter().zip(&before.attributes).enumerate() {
        if let Some(extra) = kept.iter().find(|a| !all.contains(a)) {
            return Err(format!(
                "element {i}: the pre-pass made attribute {extra:?} (input's: {all:?})\npre-pass output: {prepared:?}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::same_content;

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

    fn check(src: &str) {
        if let Err(e) = same_content(src) {
            panic!("{e}");
        }
    }

    #[test]
    fn the_pre_pass_drops_only_what_it_means_to() {
        let cases = [
            "<p>a</p>\n    <p>b</p>",
            "<style>p { x: '</p>' }</style><p>x</p><!-- c --><p>y <!-- z --> w</p>",
            "<script>var a = '<p>';</script><script type=application/ld+json>{\"datePublished\":\"2024-01-02\"}</script><p>t</p>",
            "<noscript><img src=x></noscript><svg><path d=M0 /></svg><svg/><p>after</p>",
            "<iframe><p>fallback</p></iframe><select><option>a<option>b</select>",
            "<nav><a href=/>Home</a> <a href=/x>X</a></nav><article><nav><a href=/y>y</a></nav><p>body</p></article>",
            "<header><a href=/>Site</a></header><h1>Title</h1><footer>© 2024</footer><aside>more</aside>",
            "<form><input name=q></form><template><p>t</p></template><datalist><option>d</datalist>",
            "<link rel=stylesheet href=a.css><link rel=canonical href=/c><p style=\"color:red\" class=x>p</p>",
            "<pre>\n  keep   this  </pre>\n\n   <div>\n   </div>",
            "<script><!--<script></script>x</script><p>after</p>",
            "<p title=\"<style>\">text</p><a href='<nav>'>link</a>",
            "<nav><b>bold<a href=/>x</a></nav>after",
            // Found on the DEV pages: names with `:` or `_`, nested and broken-out svg, a
            // stray end tag inside a nav.
            "<div><fb:like href=x data-a=b></fb:like><g:plusone size=tall></g:plusone><thrive_headline>T</thrive_headline></div>",
            "<svg><symbol id=a><svg><path/></svg></symbol><symbol id=b></symbol></svg><p>x</p>",
            "<a><svg><br><path d=M0/></svg></a><p>x</p>",
            "<div><div><nav><ul><li><a href=/>x</a></ul></div></nav><form><input></form></div><p>y</p>",
            // Found by the fuzz target: `</form>` does not close what is open inside the form.
            "<form><i\u{fffd}put name=q></form><template><p>t</p></template><datalist><option>d</datalist>",
            "<datalist><div>x</datalist><p>y</p>",
            "<svg><path=M d=\"x\"</svg><s>r</p>",
            "<svg><symbol><svg></svg></symbol><script/svg><style><p>x</p></style></svg><p>y</p>",
            "<math><style><p>x</p></style><mi>x</mi></math><style>z</style><p>y</p>",
            "<symbol><svg><g>x</symbol></svg><svg><g/></g></svg><p>y</p>",
            "<nav><a href=/x title=a</nav><p>y</p>",
            "<nav><a href=/>Home</a> <a href=/art</a></nav><ahticle>0<nav><a href=/y>y</a></nav>\u{1f}<p>body</p></article>",
            "<p>x<<!-- z -->p\"t</p><p>&am<!-- -->p; &#3<link rel=icon href=i>9;</p>",
            // Bogus comments and processing instructions hide what looks like markup.
            "</3 <style>x</style> > <? <noscript>y</noscript> ?> <!x <nav><a href=/>z</a></nav> >",
            "<script><!--<script></script><!-- </script> --><p>after</p>",
            "<script><!-- a --></script><script><!--></script><p>x</p>",
            // Inside an open select, `<select>` (or `<input>`) only closes it: what follows is
            // not an option list (found by the prepass fuzz target).
            "<select><option>a<p>x</p><select><option>a<option>b</select><p>y</p>",
            "<select><option>a<p>x</p><input><select><option>b</select><p>y</p>",
            "<select><option>a<i>x</select><select><option>b</select><p>y</p>",
            // An HTML element ends svg/math content; inside an integration point it does not.
            "<svg><s-->x<mi>y</mi><head><title>T</t><m a b>z</title><p>w</p>",
            "<svg><g><p>x</p><style>a</style><title>t<b c=d>u</b></title></svg>",
            "<svg><desc><p>x</p></desc><style><i a=b>s</i></style></svg><p>y</p>",
            "<math><mi><b>x</b></mi><style><i a=b>s</i></style></math></p><style>z</style>",
            "<svg><g></p><style><i a=b>s</i></style>",
            "<svg><font color=red><style><i a=b>s</i></style></font></svg>",
            "<svg><font><style><i a=b>s</i></style></font></svg>",
            // Formatting elements that differ only in attributes no stage reads are still
            // different copies for the tree builder (at most three equal ones are kept).
            "<p><s x=1><s x=2><s x=3><s x=4><s x=5>a</p><p>b</p>",
            // An `=` where an attribute name starts begins the name: the quote after it is part
            // of the name, not a value holding `>` (found by the fuzz target).
            "<div x\n=\"  -\n#c=\"->a>b<i data-q=1>c</i>\"><p>d</p>",
            "<div =\"a>b\" data-q=1>c</div><p title='x>y' data-r=2>e</p>",
            // An svg without `</svg>` ends where the tree builder closes it, not at the end.
            "<a>x<svg><g>y</A>after",
            // A bogus comment (`</` + a non-letter) runs past the end tag that was found.
            "<datalist><option>a</\u{e9}x</datalist><p>y</p>>z",
            "|C\n<C<d\u{fffd}C<C\u{fffd}\u{fffd}\u{fffd}\u{fffd}\n\u{8}C?\n!a\u{0}al\u{fffd}i\nsat<d= t>\u{fffd}<d</ <><datalist\n= <>dat\u{fffd}\u{fffd}?d</\u{fffd}i<</datalist\n'\u{fffd}a<bXb<\u{fffd}bbbbbbb\u{fffd}bb\u{fffd}bbbYbbb-\u{fffd}\u{fffd}\u{fffd}list\n'\u{fffd}a<bXb<\u{fffd}bbbbbbb\u{fffd}bb\u{fffd}bbbYbbb-\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}!--\n[-\nz:[--\n[\n[\u{8}\n\n;\u{8}\n\u{8}\n\u{8}\n\u{fffd}\n\u{8}\u{0}\u{11}\u{0}\u{0}\n\u{8}\n\u{fffd}\nC?\n\u{8}\n\n\u{8}\n\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}P\n\u{1}\u{fffd} t\u{0}\u{0}\u{0}<d</\u{fffd}<><da\u{0}al\u{fffd}i\nsat<d= t>\u{fffd}<d</ <><datalist\n= <>dat\u{fffd}\u{fffd}?d</\u{fffd}i<</datalist\n'\u{fffd}a<bXb<\u{fffd}bbbbbbb\u{fffd}bb\u{fffd}bbbYbb\u{8}\n\u{8}\n\u{fffd}b-\u{fffd}\u{fffd}\u{fffd}list\t\u{fffd}\u{11}<C\u{d}J</\n'\u{fffd}a<bXb<\u{fffd}bbbbbbb\u{fffd}bb\u{fffd}bbbYbbb-\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}!--\n[-\nz:[--\u{fffd}\n\u{fffd}\u{fffd}\u{fffd}",
            "<\u{0}\u{19}P P<A/>>!\u{0}\u{fffd}\u{d}<\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{d}\u{1c}<svg>E\n!><P\u{fffd}><a(\u{fffd}<<a>\u{c}a\u{0}-<G>\u{0}\u{fffd}><a>\u{fffd}\u{fffd}\u{fffd}\u{fffd}$a\u{0}G<>-\u{1}\u{0}>\u{4}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}! P!#></\u{0}\u{0} P!#></A>$\u{0}C/A-\u{0}\u{fffd}\u{1}\u{c}(\u{c}\u{1}\u{0}\u{1}\u{0}>\u{4}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}! P!#></\u{0}\u{0} P!#></A>$\u{0}C/A-\u{0}i</-E>>",
            // Found by the fuzz target: `="` where a name starts is a name, so the `"` opens no
            // value and the tag ends at the first `>`.
            "\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{4}<C-C<'\u{fffd}\u{fffd}7\n=\"   -\n#C\u{1b}A=\"->\u{c}a\u{0}\u{fffd}>\u{fffd}\u{fffd}<\u{fffd}a>\u{4}<C-C<'\u{fffd}\t1\n=\"   -\n#C\u{1b}A=\"->\u{c}a\u{0}>\u{4}<C-C<'\u{fffd}\t6\n=\"   -\n#C\u{1b}A=\"->\u{c}a\u{0}><a><)>a>\u{c}\u{1}\u{c}(>\u{0}\u{4}<C-C<'\u{fffd}\t6\n=\"  \u{fffd}>z< -",
        ];
        for c in cases {
            check(c);
        }
    }

    #[test]
    fn the_pre_pass_drops_only_what_it_means_to_on_the_fixture_pages() {
        for (path, text) in fixture_pages::fixture_pages() {
            if let Err(e) = same_content(&text) {
                panic!("{}: {e}", path.display());
            }
        }
    }

    /// Every fifth DEV page of the extraction benchmark (`../shared/bench/extract`); fails,
    /// saying what is missing, when the data is absent.
    #[test]
    fn the_pre_pass_drops_only_what_it_means_to_on_the_dev_pages() {
        let mut compared = 0;
        let mut failed = Vec::new();
        for page in dev_pages::dev_pages().iter().step_by(5) {
            let bytes = std::fs::read(page).expect("page");
            let text = newsdesk_text::decode_html(&bytes, None).text;
            if let Err(e) = same_content(&text) {
                failed.push(format!(
                    "{}: {}",
                    page.display(),
                    e.split("\npre-pass output").next().unwrap_or_default()
                ));
            }
            compared += 1;
        }
        assert!(
            failed.is_empty(),
            "{} of {compared} pages:\n{}",
            failed.len(),
            failed.join("\n\n")
        );
        assert!(compared >= 100, "only {compared} pages");
    }
}
