//! HTML pages of the demo sites: article pages and home pages wrapped in full site boilerplate
//! (sample-data banner, cookie banner, navigation, share bar, related links, newsletter box,
//! comments teaser, footer), so the extractor has real work to do.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use newsdesk_core::escape::xml;

use crate::corpus::{Corpus, CorpusArticle, CorpusSource};
use crate::escape::json_in_script;
use crate::locale::{Locale, locale};

/// Marker present on every page and feed the origin serves.
pub const SAMPLE_LABEL: &str = "SAMPLE DATA";

const STYLE: &str = "body{margin:0;font-family:Georgia,'Times New Roman',serif;color:#1a1a1a;background:#fafafa}\
.sample-banner{background:#ffe08a;color:#3a2c00;font:600 14px/1.4 sans-serif;padding:8px 16px;text-align:center;border-bottom:2px solid #d4a300}\
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee;font:14px/1.5 sans-serif;padding:12px 16px;display:flex;gap:12px;align-items:center;justify-content:center;z-index:10}\
.cookie-banner button{background:#fff;color:#222;border:0;padding:6px 12px;border-radius:3px;cursor:pointer}\
header.site{border-bottom:4px solid var(--accent);background:#fff;padding:12px 24px}\
header.site .brand{font-size:32px;font-weight:700;color:var(--accent);text-decoration:none}\
header.site .tagline{font:italic 14px sans-serif;color:#666;margin:4px 0 0}\
nav.sections ul{list-style:none;display:flex;flex-wrap:wrap;gap:18px;margin:10px 0 0;padding:0;font:600 14px sans-serif;text-transform:uppercase}\
nav.sections a{color:#333;text-decoration:none}nav.sections a:hover{color:var(--accent)}\
.layout{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:32px;max-width:1140px;margin:24px auto;padding:0 24px}\
article h1{font-size:40px;line-height:1.15;margin:8px 0 12px}.kicker{font:700 13px sans-serif;color:var(--accent);text-transform:uppercase;letter-spacing:.05em}\
.standfirst{font-size:21px;line-height:1.45;color:#444;margin:0 0 16px}.byline{font:14px sans-serif;color:#555}.byline a{color:#111}\
figure.lead{margin:20px 0}figure.lead img{width:100%;height:auto;display:block}figure.lead figcaption{font:13px sans-serif;color:#666;padding-top:6px}\
.article-body p{font-size:19px;line-height:1.65;margin:0 0 18px}.article-body h2{font:700 24px sans-serif;margin:28px 0 12px}\
.share-bar{display:flex;gap:10px;margin:16px 0;font:13px sans-serif}.share-bar a{padding:6px 10px;border:1px solid #ccc;border-radius:16px;color:#333;text-decoration:none}\
.ad-slot{background:#eee;color:#999;font:11px sans-serif;text-align:center;padding:40px 0;margin:24px 0;text-transform:uppercase}\
.inline-related{border-left:3px solid var(--accent);padding:4px 12px;margin:20px 0;font:15px sans-serif}\
.newsletter{background:#f0f4f8;padding:20px;margin:32px 0;font:15px sans-serif}.newsletter input{padding:8px;width:60%}\
.related ul,.most-read ol{padding-left:18px;font:15px/1.5 sans-serif}.comments-teaser{border-top:1px solid #ddd;padding-top:16px;font:15px sans-serif}\
footer.site{background:#1d1d1d;color:#bbb;font:13px/1.6 sans-serif;padding:32px 24px;margin-top:48px}footer.site a{color:#ddd}\
footer.site .columns{display:flex;gap:48px;flex-wrap:wrap;max-width:1140px;margin:0 auto}";

/// How an origin page finds absolute URLs: each source may live on a different host.
pub(crate) trait Hosts {
    /// Base URL (`http://127.0.0.1:port`, no trailing slash) of a source.
    fn base_of(&self, source: &str) -> &str;
}

fn fmt_date(d: &DateTime<FixedOffset>, lang: &str) -> String {
    match lang {
        "en" => d.format("%-d %B %Y, %H:%M").to_string(),
        "de" => d.format("%d.%m.%Y, %H:%M Uhr").to_string(),
        _ => d.format("%d/%m/%Y %H:%M").to_string(),
    }
}

fn og_locale(source: &CorpusSource, lang: &str) -> String {
    format!("{}_{}", lang, source.country)
}

fn slug_of(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn head(out: &mut String, title: &str, lang: &str, source: &CorpusSource, extra: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n{extra}\
         <link rel=\"alternate\" type=\"{mime}\" title=\"{name}\" href=\"{feed}\">\n\
         <link rel=\"icon\" href=\"/images/{slug}-favicon.svg\" type=\"image/svg+xml\">\n\
         <style>:root{{--accent:{accent}}}{STYLE}</style>\n</head>\n",
        lang = xml(lang),
        title = xml(title),
        mime = source.feed_format.mime_type(),
        name = xml(&source.name),
        feed = xml(&source.feed_path()),
        slug = xml(&source.slug),
        accent = xml(&source.accent),
    );
}

fn site_header(out: &mut String, source: &CorpusSource, l: &Locale) {
    let _ = write!(
        out,
        "<body>\n<div class=\"sample-banner\" role=\"note\">{banner}</div>\n\
         <div class=\"cookie-banner\" id=\"cookie-consent\"><p>{cookie}</p>\
         <button type=\"button\">{accept}</button><a href=\"/{slug}/cookies\">{settings}</a></div>\n\
         <header class=\"site\">\n<div class=\"topbar\"><a href=\"/{slug}/subscribe\">{subscribe}</a> · \
         <form class=\"search\" action=\"/{slug}/search\"><input name=\"q\" placeholder=\"{search}\"></form></div>\n\
         <a class=\"brand\" href=\"/{slug}/\">{name}</a>\n<p class=\"tagline\">{tagline} — {domain}</p>\n\
         <nav class=\"sections\" aria-label=\"Sections\"><ul>\n<li><a href=\"/{slug}/\">{home}</a></li>\n",
        banner = xml(l.sample_banner),
        cookie = xml(l.cookie),
        accept = xml(l.cookie_accept),
        settings = xml(l.cookie_settings),
        subscribe = xml(l.subscribe),
        search = xml(l.search),
        slug = xml(&source.slug),
        name = xml(&source.name),
        tagline = xml(&source.tagline),
        domain = xml(&source.domain),
        home = xml(l.home),
    );
    for s in &source.sections {
        let _ = writeln!(
            out,
            "<li><a href=\"/{}/section/{}\">{}</a></li>",
            xml(&source.slug),
            xml(&slug_of(s)),
            xml(s)
        );
    }
    out.push_str("</ul></nav>\n</header>\n");
}

fn site_footer(out: &mut String, source: &CorpusSource, l: &Locale, year: i32) {
    let slug = xml(&source.slug);
    let _ = write!(
        out,
        "<footer class=\"site\">\n<div class=\"columns\">\n<div><strong>{name}</strong><p>{tagline}</p>\
         <p class=\"sample-note\">{banner}</p></div>\n<div><ul>\
         <li><a href=\"/{slug}/about\">{about}</a></li><li><a href=\"/{slug}/contact\">{contact}</a></li>\
         <li><a href=\"/{slug}/privacy\">{privacy}</a></li><li><a href=\"/{slug}/terms\">{terms}</a></li>\
         <li><a href=\"{feed}\">RSS</a></li></ul></div>\n<div><ul>",
        name = xml(&source.name),
        tagline = xml(&source.tagline),
        banner = xml(l.sample_banner),
        about = xml(l.footer_about),
        contact = xml(l.footer_contact),
        privacy = xml(l.footer_privacy),
        terms = xml(l.footer_terms),
        feed = xml(&source.feed_path()),
    );
    for s in &source.sections {
        let _ = write!(
            out,
            "<li><a href=\"/{slug}/section/{}\">{}</a></li>",
            xml(&slug_of(s)),
            xml(s)
        );
    }
    let _ = write!(
        out,
        "</ul></div>\n</div>\n<p class=\"copyright\">© {year} {name} ({domain}). {rights}</p>\n\
         </footer>\n<script>document.querySelector('#cookie-consent button').addEventListener('click',\
         function(){{document.getElementById('cookie-consent').remove();}});</script>\n</body>\n</html>\n",
        name = xml(&source.name),
        domain = xml(&source.domain),
        rights = xml(l.rights),
    );
}

fn sidebar(out: &mut String, corpus: &Corpus, source: &CorpusSource, l: &Locale, skip: &str) {
    let _ = write!(
        out,
        "<aside class=\"sidebar\">\n<section class=\"most-read\"><h2>{}</h2><ol>\n",
        xml(l.most_read)
    );
    for a in corpus
        .articles_of(&source.slug)
        .filter(|a| a.slug != skip)
        .take(5)
    {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            xml(&a.path()),
            xml(&a.title)
        );
    }
    let _ = write!(
        out,
        "</ol></section>\n<section class=\"newsletter\"><h2>{title}</h2><p>{text}</p>\
         <form action=\"/{slug}/newsletter\" method=\"post\"><input type=\"email\" name=\"email\" \
         placeholder=\"you@example.org\"><button>{button}</button></form></section>\n</aside>\n",
        title = xml(l.newsletter_title),
        text = xml(l.newsletter_text),
        slug = xml(&source.slug),
        button = xml(l.newsletter_button),
    );
}

fn byline(a: &CorpusArticle, source: &CorpusSource, l: &Locale) -> String {
    let names: Vec<String> = a
        .authors
        .iter()
        .map(|n| {
            format!(
                "<a rel=\"author\" class=\"author\" href=\"/{}/authors/{}\">{}</a>",
                xml(&source.slug),
                xml(&slug_of(n)),
                xml(n)
            )
        })
        .collect();
    let joined = match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), xml(l.and)),
    };
    if joined.is_empty() {
        String::new()
    } else {
        format!("{} {joined}", xml(l.by))
    }
}

fn metadata(
    a: &CorpusArticle,
    source: &CorpusSource,
    url: &str,
    base: &str,
    title: &str,
) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "<link rel=\"canonical\" href=\"{}\">", xml(url));
    let mut og = vec![
        ("og:type", "article".to_string()),
        ("og:title", a.title.clone()),
        ("og:description", a.standfirst.clone()),
        ("og:url", url.to_string()),
        ("og:site_name", source.name.clone()),
        ("og:locale", og_locale(source, &a.language)),
        ("article:published_time", a.published.to_rfc3339()),
        ("article:section", a.section.clone()),
    ];
    if let Some(u) = a.updated {
        og.push(("article:modified_time", u.to_rfc3339()));
    }
    if let Some(img) = &a.image {
        og.push(("og:image", format!("{base}{}", img.path())));
        og.push(("og:image:alt", img.caption.clone()));
    }
    for author in &a.authors {
        og.push(("article:author", author.clone()));
    }
    for t in &a.tags {
        og.push(("article:tag", t.clone()));
    }
    for (k, v) in og {
        let _ = writeln!(m, "<meta property=\"{k}\" content=\"{}\">", xml(&v));
    }
    let _ = writeln!(
        m,
        "<meta name=\"twitter:card\" content=\"summary_large_image\">\n<meta name=\"twitter:title\" content=\"{}\">",
        xml(title)
    );
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.standfirst,
        "datePublished": a.published.to_rfc3339(),
        "inLanguage": a.language,
        "articleSection": a.section,
        "keywords": a.tags.join(", "),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": a.authors.iter().map(|n| serde_json::json!({"@type": "Person", "name": n})).collect::<Vec<_>>(),
        "publisher": {
            "@type": "Organization",
            "name": source.name,
            "logo": {"@type": "ImageObject", "url": format!("{base}/images/{}-logo.svg", source.slug)}
        }
    });
    if let Some(u) = a.updated {
        ld["dateModified"] = serde_json::Value::String(u.to_rfc3339());
    }
    if let Some(img) = &a.image {
        ld["image"] = serde_json::json!([format!("{base}{}", img.path())]);
    }
    let _ = writeln!(
        m,
        "<script type=\"application/ld+json\">{}</script>",
        json_in_script(&ld)
    );
    m
}

/// The article page: the article in full site boilerplate. `base` is the source's base URL.
pub(crate) fn article_page(
    corpus: &Corpus,
    hosts: &dyn Hosts,
    source: &CorpusSource,
    a: &CorpusArticle,
) -> String {
    let l = locale(&a.language);
    let base = hosts.base_of(&source.slug);
    let url = format!("{base}{}", a.path());
    let title = format!("{} | {}", a.title, source.name);
    let paragraphs = a.paragraphs();
    let mut out = String::with_capacity(16 * 1024);
    let mut extra = format!(
        "<meta name=\"description\" content=\"{}\">\n",
        xml(&a.standfirst)
    );
    if source.page_metadata {
        extra.push_str(&metadata(a, source, &url, base, &title));
    }
    head(&mut out, &title, &a.language, source, &extra);
    site_header(&mut out, source, l);
    out.push_str("<div class=\"layout\">\n<main id=\"content\">\n<article class=\"story\">\n");
    let _ = write!(
        out,
        "<p class=\"kicker\"><a href=\"/{}/section/{}\">{}</a></p>\n<h1 class=\"headline\">{}</h1>\n\
         <p class=\"standfirst\">{}</p>\n<div class=\"meta\"><p class=\"byline\">{}</p>\n\
         <p class=\"dateline\">{} <time datetime=\"{}\" class=\"published\">{}</time>",
        xml(&source.slug),
        xml(&slug_of(&a.section)),
        xml(&a.section),
        xml(&a.title),
        xml(&a.standfirst),
        byline(a, source, l),
        xml(l.published),
        a.published.to_rfc3339(),
        xml(&fmt_date(&a.published, &a.language)),
    );
    if let Some(u) = a.updated {
        let _ = write!(
            out,
            " · {} <time datetime=\"{}\" class=\"updated\">{}</time>",
            xml(l.updated),
            u.to_rfc3339(),
            xml(&fmt_date(&u, &a.language))
        );
    }
    out.push_str("</p></div>\n");
    share_bar(&mut out, &url, &a.title, l);
    if let Some(img) = &a.image {
        let _ = write!(
            out,
            "<figure class=\"lead\"><img src=\"{}\" alt=\"{}\" width=\"1200\" height=\"675\">\
             <figcaption>{}</figcaption></figure>",
            xml(&img.path()),
            xml(&img.caption),
            xml(&img.caption)
        );
    }
    let related: Vec<&CorpusArticle> = related(corpus, a);
    out.push_str("<div class=\"article-body\" itemprop=\"articleBody\">\n");
    for (i, p) in paragraphs.iter().enumerate() {
        match p.strip_prefix("## ") {
            Some(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", xml(h));
            }
            None => {
                let _ = writeln!(out, "<p>{}</p>", xml(p));
            }
        }
        if i == 1
            && let Some(r) = related.first()
        {
            let _ = writeln!(
                out,
                "<aside class=\"inline-related\">{}: <a href=\"{}\">{}</a></aside>",
                xml(l.read_more),
                xml(&r.path()),
                xml(&r.title)
            );
        }
        if i == 3 {
            out.push_str("<div class=\"ad-slot\" aria-hidden=\"true\">Advertisement</div>\n");
        }
    }
    out.push_str("</div>\n");
    if let Some(orig) = a.copy_of.as_deref().and_then(|id| corpus.article_by_id(id))
        && let Some(orig_source) = corpus.source(&orig.source)
    {
        let _ = writeln!(
            out,
            "<aside class=\"syndication\"><p>{} <a href=\"{}{}\">{}</a>.</p></aside>",
            xml(l.republished),
            xml(hosts.base_of(&orig.source)),
            xml(&orig.path()),
            xml(&orig_source.name)
        );
    }
    if !a.tags.is_empty() {
        let _ = write!(out, "<div class=\"tags\"><span>{}:</span> ", xml(l.tags));
        for t in &a.tags {
            let _ = write!(
                out,
                "<a rel=\"tag\" href=\"/{}/tag/{}\">{}</a> ",
                xml(&source.slug),
                xml(&slug_of(t)),
                xml(t)
            );
        }
        out.push_str("</div>\n");
    }
    share_bar(&mut out, &url, &a.title, l);
    out.push_str("</article>\n");
    let _ = write!(
        out,
        "<section class=\"related\"><h2>{}</h2><ul>",
        xml(l.related)
    );
    for r in &related {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\">{}</a> <span class=\"teaser\">{}</span></li>",
            xml(&r.path()),
            xml(&r.title),
            xml(&r.standfirst)
        );
    }
    let comments = (a.slug.len() * 7 + a.title.len()) % 90 + 3;
    let _ = write!(
        out,
        "</ul></section>\n<section class=\"comments-teaser\"><p><strong>{comments} {label}</strong></p>\
         <p><a href=\"{path}#comments\">{link}</a></p></section>\n</main>\n",
        label = xml(l.comments),
        path = xml(&a.path()),
        link = xml(l.comments_link),
    );
    sidebar(&mut out, corpus, source, l, &a.slug);
    out.push_str("</div>\n");
    site_footer(
        &mut out,
        source,
        l,
        a.published.format("%Y").to_string().parse().unwrap_or(2026),
    );
    out
}

fn share_bar(out: &mut String, url: &str, title: &str, l: &Locale) {
    let _ = write!(
        out,
        "<div class=\"share-bar\" aria-label=\"{share}\"><span>{share}</span>\
         <a href=\"mailto:?subject={t}&amp;body={u}\">Email</a>\
         <a href=\"/share?network=social&amp;url={u}\">Social</a>\
         <a href=\"/share?network=messenger&amp;url={u}\">Messenger</a>\
         <button type=\"button\" class=\"copy-link\">Copy link</button></div>",
        share = xml(l.share),
        t = xml(title),
        u = xml(url),
    );
}

/// Up to five other articles of the same source, those on the same event first.
fn related<'a>(corpus: &'a Corpus, a: &'a CorpusArticle) -> Vec<&'a CorpusArticle> {
    let mut out: Vec<&CorpusArticle> = corpus
        .articles_of(&a.source)
        .filter(|o| o.slug != a.slug && a.event.is_some() && o.event == a.event)
        .take(5)
        .collect();
    for o in corpus.articles_of(&a.source) {
        if out.len() >= 5 {
            break;
        }
        if o.slug != a.slug && !out.iter().any(|x| x.slug == o.slug) && o.section == a.section {
            out.push(o);
        }
    }
    for o in corpus.articles_of(&a.source) {
        if out.len() >= 5 {
            break;
        }
        if o.slug != a.slug && !out.iter().any(|x| x.slug == o.slug) {
            out.push(o);
        }
    }
    out
}

/// A source's home page, listing its latest articles and advertising its feed.
pub(crate) fn home_page(corpus: &Corpus, source: &CorpusSource) -> String {
    let l = locale(&source.language);
    let mut out = String::with_capacity(16 * 1024);
    let extra = format!(
        "<meta name=\"description\" content=\"{}\">\n",
        xml(&source.tagline)
    );
    head(&mut out, &source.name, &source.language, source, &extra);
    site_header(&mut out, source, l);
    let _ = write!(
        out,
        "<div class=\"layout\">\n<main id=\"content\">\n<h1>{}</h1>\n<ul class=\"teasers\">\n",
        xml(l.latest)
    );
    let mut year = 2026;
    for a in corpus.articles_of(&source.slug).take(50) {
        year = a.published.format("%Y").to_string().parse().unwrap_or(year);
        let _ = write!(
            out,
            "<li class=\"teaser\"><a href=\"{}\"><h2>{}</h2></a><p>{}</p><time datetime=\"{}\">{}</time>",
            xml(&a.path()),
            xml(&a.title),
            xml(&a.standfirst),
            a.published.to_rfc3339(),
            xml(&fmt_date(&a.published, &a.language)),
        );
        if let Some(img) = &a.image {
            let _ = write!(
                out,
                "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                xml(&img.path()),
                xml(&img.caption)
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</main>\n");
    sidebar(&mut out, corpus, source, l, "");
    out.push_str("</div>\n");
    site_footer(&mut out, source, l, year);
    out
}

/// The origin's front page: a directory of the demo sources.
pub(crate) fn index_page(corpus: &Corpus, hosts: &dyn Hosts) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>newsdesk demo origin</title></head>\n<body>\n",
    );
    let _ = write!(
        out,
        "<p class=\"sample-banner\">{}</p>\n<h1>newsdesk demo origin</h1>\n<p>{} fictional sources, {} articles.</p>\n<ul>\n",
        xml(locale("en").sample_banner),
        corpus.sources().len(),
        corpus.articles().len()
    );
    for s in corpus.sources() {
        let base = hosts.base_of(&s.slug);
        let _ = writeln!(
            out,
            "<li><a href=\"{base}{}\">{}</a> ({}, {}) — feed: <a href=\"{base}{}\">{}</a></li>",
            xml(&s.home_path()),
            xml(&s.name),
            xml(&s.language),
            xml(&s.country),
            xml(&s.feed_path()),
            xml(s.feed_format.file_name()),
        );
    }
    out.push_str("</ul>\n</body>\n</html>\n");
    out
}

/// A simple page in the site's chrome (used for 404s and the disallowed `/private/` area).
pub(crate) fn plain_page(heading: &str, text: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{h}</title></head>\n\
         <body>\n<p class=\"sample-banner\">{banner}</p>\n<h1>{h}</h1>\n<p>{t}</p>\n</body>\n</html>\n",
        h = xml(heading),
        t = xml(text),
        banner = xml(locale("en").sample_banner),
    )
}
