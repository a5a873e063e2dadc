//! Feeds of the demo sites in four wire formats: RSS 2.0, Atom 1.0, JSON Feed 1.1, RSS 1.0 (RDF).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use newsdesk_core::escape::xml;

use crate::corpus::{CorpusArticle, CorpusSource, FeedFormat};
use crate::escape::cdata;
use crate::locale::locale;

/// A rendered feed.
pub(crate) struct RenderedFeed {
    pub body: String,
    pub last_modified: DateTime<Utc>,
}

/// The full content of an article as HTML, as feeds carry it.
fn content_html(a: &CorpusArticle, base: &str) -> String {
    let mut html = String::new();
    if let Some(img) = &a.image {
        let _ = write!(
            html,
            "<figure><img src=\"{base}{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
            xml(&img.path()),
            xml(&img.caption),
            xml(&img.caption)
        );
    }
    for p in a.paragraphs() {
        match p.strip_prefix("## ") {
            Some(h) => {
                let _ = write!(html, "<h2>{}</h2>", xml(h));
            }
            None => {
                let _ = write!(html, "<p>{}</p>", xml(&p));
            }
        }
    }
    html
}

fn description(source: &CorpusSource) -> String {
    format!(
        "{} — {}",
        source.tagline,
        locale(&source.language).feed_label
    )
}

/// Renders the feed of `source` listing `articles` (newest first). `base` is the source's base URL.
pub(crate) fn render(
    source: &CorpusSource,
    articles: &[&CorpusArticle],
    base: &str,
) -> RenderedFeed {
    let last_modified = articles
        .iter()
        .map(|a| a.last_modified())
        .max()
        .unwrap_or_default();
    let body = match source.feed_format {
        FeedFormat::Rss2 => rss2(source, articles, base, last_modified),
        FeedFormat::Atom => atom(source, articles, base, last_modified),
        FeedFormat::JsonFeed => json_feed(source, articles, base),
        FeedFormat::Rss1 => rss1(source, articles, base, last_modified),
    };
    RenderedFeed {
        body,
        last_modified,
    }
}

fn rss2(
    source: &CorpusSource,
    articles: &[&CorpusArticle],
    base: &str,
    updated: DateTime<Utc>,
) -> String {
    let mut out = String::with_capacity(4096 + articles.len() * 2048);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}{home}</link>\n<description>{desc}</description>\n\
         <language>{lang}</language>\n<lastBuildDate>{date}</lastBuildDate>\n\
         <generator>newsdesk-demo origin</generator>\n<ttl>15</ttl>\n\
         <atom:link href=\"{base}{feed}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <image><url>{base}/images/{slug}-logo.svg</url><title>{title}</title><link>{base}{home}</link></image>\n",
        title = xml(&source.name),
        home = xml(&source.home_path()),
        desc = xml(&description(source)),
        lang = xml(&source.language),
        date = updated.to_rfc2822(),
        feed = xml(&source.feed_path()),
        slug = xml(&source.slug),
    );
    for a in articles {
        let link = format!("{base}{}", a.path());
        let _ = write!(
            out,
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"false\">{}:{}</guid>\n\
             <pubDate>{}</pubDate>\n",
            xml(&a.title),
            xml(&link),
            xml(&source.domain),
            xml(&a.slug),
            a.published.to_rfc2822(),
        );
        for author in &a.authors {
            let _ = writeln!(out, "<dc:creator>{}</dc:creator>", xml(author));
        }
        for c in std::iter::once(&a.section).chain(&a.tags) {
            let _ = writeln!(out, "<category>{}</category>", xml(c));
        }
        let _ = writeln!(out, "<description>{}</description>", xml(&a.standfirst));
        if !source.summary_only {
            let _ = writeln!(
                out,
                "<content:encoded>{}</content:encoded>",
                cdata(&content_html(a, base))
            );
        }
        if let Some(img) = &a.image {
            let url = format!("{base}{}", img.path());
            let _ = write!(
                out,
                "<enclosure url=\"{u}\" length=\"{len}\" type=\"image/svg+xml\"/>\n\
                 <media:content url=\"{u}\" medium=\"image\" type=\"image/svg+xml\" width=\"1200\" height=\"675\">\
                 <media:description>{c}</media:description></media:content>\n",
                u = xml(&url),
                len = crate::image::placeholder(&img.file).len(),
                c = xml(&img.caption),
            );
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn atom(
    source: &CorpusSource,
    articles: &[&CorpusArticle],
    base: &str,
    updated: DateTime<Utc>,
) -> String {
    let mut out = String::with_capacity(4096 + articles.len() * 2048);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title type=\"text\">{title}</title>\n<subtitle>{desc}</subtitle>\n\
         <id>tag:{domain},2026:feed</id>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}{feed}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}{home}\"/>\n\
         <icon>{base}/images/{slug}-favicon.svg</icon>\n<rights>© {title}</rights>\n\
         <generator uri=\"https://github.com/newsdesk/newsdesk\">newsdesk-demo origin</generator>\n",
        lang = xml(&source.language),
        title = xml(&source.name),
        desc = xml(&description(source)),
        domain = xml(&source.domain),
        updated = updated.to_rfc3339(),
        feed = xml(&source.feed_path()),
        home = xml(&source.home_path()),
        slug = xml(&source.slug),
    );
    for a in articles {
        let link = format!("{base}{}", a.path());
        let _ = write!(
            out,
            "<entry>\n<title type=\"html\">{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <id>tag:{},{}:{}</id>\n<published>{}</published>\n<updated>{}</updated>\n",
            // type="html": the title is escaped HTML, so escape twice.
            xml(&xml(&a.title)),
            xml(&link),
            xml(&source.domain),
            a.published.format("%Y-%m-%d"),
            xml(&a.slug),
            a.published.to_rfc3339(),
            a.updated.unwrap_or(a.published).to_rfc3339(),
        );
        for author in &a.authors {
            let _ = writeln!(out, "<author><name>{}</name></author>", xml(author));
        }
        for c in std::iter::once(&a.section).chain(&a.tags) {
            let _ = writeln!(out, "<category term=\"{}\"/>", xml(c));
        }
        let _ = writeln!(
            out,
            "<summary type=\"text\">{}</summary>",
            xml(&a.standfirst)
        );
        if !source.summary_only {
            let _ = writeln!(
                out,
                "<content type=\"html\">{}</content>",
                xml(&content_html(a, base))
            );
        }
        if let Some(img) = &a.image {
            let _ = writeln!(
                out,
                "<link rel=\"enclosure\" type=\"image/svg+xml\" href=\"{}{}\"/>",
                xml(base),
                xml(&img.path())
            );
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn json_feed(source: &CorpusSource, articles: &[&CorpusArticle], base: &str) -> String {
    let items: Vec<serde_json::Value> = articles
        .iter()
        .map(|a| {
            let mut item = serde_json::json!({
                "id": format!("{}/{}", source.domain, a.slug),
                "url": format!("{base}{}", a.path()),
                "title": a.title,
                "summary": a.standfirst,
                "date_published": a.published.to_rfc3339(),
                "authors": a.authors.iter().map(|n| serde_json::json!({"name": n})).collect::<Vec<_>>(),
                "tags": std::iter::once(&a.section).chain(&a.tags).collect::<Vec<_>>(),
                "language": a.language,
            });
            if source.summary_only {
                item["content_text"] = serde_json::Value::String(a.standfirst.clone());
            } else {
                item["content_html"] = serde_json::Value::String(content_html(a, base));
            }
            if let Some(u) = a.updated {
                item["date_modified"] = serde_json::Value::String(u.to_rfc3339());
            }
            if let Some(img) = &a.image {
                let url = format!("{base}{}", img.path());
                item["image"] = serde_json::Value::String(url.clone());
                item["attachments"] = serde_json::json!([{
                    "url": url,
                    "mime_type": "image/svg+xml",
                    "title": img.caption,
                }]);
            }
            item
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.name,
        "home_page_url": format!("{base}{}", source.home_path()),
        "feed_url": format!("{base}{}", source.feed_path()),
        "description": description(source),
        "language": source.language,
        "icon": format!("{base}/images/{}-logo.svg", source.slug),
        "favicon": format!("{base}/images/{}-favicon.svg", source.slug),
        "authors": [{"name": source.name}],
        "items": items,
    });
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}

fn rss1(
    source: &CorpusSource,
    articles: &[&CorpusArticle],
    base: &str,
    updated: DateTime<Utc>,
) -> String {
    let mut out = String::with_capacity(4096 + articles.len() * 2048);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n\
         <channel rdf:about=\"{base}{feed}\">\n<title>{title}</title>\n<link>{base}{home}</link>\n\
         <description>{desc}</description>\n<dc:language>{lang}</dc:language>\n<dc:date>{date}</dc:date>\n\
         <dc:publisher>{title}</dc:publisher>\n<items>\n<rdf:Seq>\n",
        feed = xml(&source.feed_path()),
        title = xml(&source.name),
        home = xml(&source.home_path()),
        desc = xml(&description(source)),
        lang = xml(&source.language),
        date = updated.to_rfc3339(),
    );
    for a in articles {
        let _ = writeln!(
            out,
            "<rdf:li rdf:resource=\"{}{}\"/>",
            xml(base),
            xml(&a.path())
        );
    }
    out.push_str("</rdf:Seq>\n</items>\n</channel>\n");
    for a in articles {
        let link = format!("{base}{}", a.path());
        let _ = write!(
            out,
            "<item rdf:about=\"{l}\">\n<title>{}</title>\n<link>{l}</link>\n<description>{}</description>\n\
             <dc:date>{}</dc:date>\n<dc:creator>{}</dc:creator>\n<dc:subject>{}</dc:subject>\n",
            xml(&a.title),
            xml(&a.standfirst),
            a.published.to_rfc3339(),
            xml(&a.authors.join(", ")),
            xml(&a.section),
            l = xml(&link),
        );
        if !source.summary_only {
            let _ = writeln!(
                out,
                "<content:encoded>{}</content:encoded>",
                xml(&content_html(a, base))
            );
        }
        out.push_str("</item>\n");
    }
    out.push_str("</rdf:RDF>\n");
    out
}
