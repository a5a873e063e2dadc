//! HTML rendering: the embedded minijinja templates (HTML auto-escaping on for every template,
//! undefined values are errors) and the page chrome every page shares.

use std::sync::LazyLock;

use axum::response::Html;
use fluent_bundle::FluentArgs;
use minijinja::value::{Kwargs, Serde};
use minijinja::{AutoEscape, Environment, State, UndefinedBehavior, Value, context};
use newsdesk_core::escape;
use serde::Serialize;

use crate::{AppError, AppState};

pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("card.html", include_str!("../templates/card.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("sources.html", include_str!("../templates/sources.html")),
    ("source.html", include_str!("../templates/source.html")),
    (
        "source_facts.html",
        include_str!("../templates/source_facts.html"),
    ),
    ("search.html", include_str!("../templates/search.html")),
    ("stories.html", include_str!("../templates/stories.html")),
    ("story.html", include_str!("../templates/story.html")),
    ("error.html", include_str!("../templates/error.html")),
    (
        "profile_tag.html",
        include_str!("../templates/profile_tag.html"),
    ),
    (
        "about_typology.html",
        include_str!("../templates/about_typology.html"),
    ),
];

static ENVIRONMENT: LazyLock<Result<Environment<'static>, minijinja::Error>> =
    LazyLock::new(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        env.add_function("t", translate);
        env.add_function("th", translate_html);
        env.add_function("time_ago", time_ago);
        env.add_function("time_exact", time_exact);
        env.add_function("time_script", time_script);
        env.add_function("gap", gap);
        env.add_function("country", country);
        Ok(env)
    });

/// The interface language of the page being rendered (the `ui` variable).
fn ui_lang(state: &State<'_, '_>) -> String {
    state
        .lookup("ui")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| crate::i18n::FALLBACK.to_string())
}

/// `country(code)` in the templates: the country's name in the page's interface language
/// (see [`crate::countries::name`]); the code itself when nothing names it, `""` for none.
fn country(state: &State<'_, '_>, code: Option<String>) -> String {
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return String::new();
    };
    let own: std::collections::BTreeMap<String, String> = state
        .lookup("country_names")
        .and_then(|v| serde::Deserialize::deserialize(v).ok())
        .unwrap_or_default();
    crate::countries::name(&code, &ui_lang(state), &own).unwrap_or(code)
}

/// A template value as a Fluent argument (numbers stay numbers, for the plural rules).
fn set_arg(args: &mut FluentArgs<'static>, name: &str, v: &Value) {
    match v.as_i64() {
        Some(n) => args.set(name.to_string(), n),
        None => args.set(name.to_string(), v.to_string()),
    }
}

/// `t("key", name=value…)` in the templates: the interface message `key` in the page's
/// interface language (the `ui` variable), through Fluent. The result is plain text (escaped).
fn translate(state: &State<'_, '_>, key: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = ui_lang(state);
    let mut args = FluentArgs::new();
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        set_arg(&mut args, name, &v);
    }
    Ok(crate::i18n::message(&lang, key, Some(&args)))
}

/// Characters that mark where an element goes in a formatted message (private use area, so
/// they never occur in a message or in data).
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// The element an argument of [`translate_html`] stands for: a link (`{"href", "text"}`, with
/// optional `lang` and `class`) or a time (a `TimeView`: `{"iso", "exact", "age"}`).
fn element(state: &State<'_, '_>, v: &Value) -> Result<Option<String>, minijinja::Error> {
    if v.kind() != minijinja::value::ValueKind::Map {
        return Ok(None);
    }
    let attr = |name: &str| -> Result<Option<String>, minijinja::Error> {
        let a = v.get_attr(name)?;
        // Marks in data never reach the output, so no element can be placed twice.
        Ok((!a.is_undefined() && !a.is_none()).then(|| {
            a.to_string()
                .chars()
                .filter(|c| *c != MARK_OPEN && *c != MARK_CLOSE)
                .collect()
        }))
    };
    if let Some(href) = attr("href")? {
        let mut html = format!("<a href=\"{}\"", escape::html(&href));
        for extra in ["lang", "class"] {
            if let Some(value) = attr(extra)?.filter(|x| !x.is_empty()) {
                html.push_str(&format!(" {extra}=\"{}\"", escape::html(&value)));
            }
        }
        let text = attr("text")?.unwrap_or_default();
        html.push_str(&format!(">{}</a>", escape::html(&text)));
        return Ok(Some(html));
    }
    if attr("iso")?.is_some() {
        return Ok(Some(time_element(state, v)?));
    }
    Ok(None)
}

/// `th("key", name=value…)`: like `t`, but an argument may be a link (`{"href": …, "text": …}`)
/// or a time (a `TimeView`), placed where the message puts it (translators choose the word
/// order). The message text is escaped; the result is HTML.
fn translate_html(
    state: &State<'_, '_>,
    key: &str,
    kwargs: Kwargs,
) -> Result<Value, minijinja::Error> {
    let lang = ui_lang(state);
    let mut args = FluentArgs::new();
    let mut elements = Vec::new();
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        match element(state, &v)? {
            Some(html) => {
                args.set(
                    name.to_string(),
                    format!("{MARK_OPEN}{}{MARK_CLOSE}", elements.len()),
                );
                elements.push(html);
            }
            // Text that looks like a placeholder mark must not pick up an element.
            None => match v.as_str() {
                Some(text) if text.contains([MARK_OPEN, MARK_CLOSE]) => {
                    let clean: String = text
                        .chars()
                        .filter(|c| *c != MARK_OPEN && *c != MARK_CLOSE)
                        .collect();
                    args.set(name.to_string(), clean);
                }
                _ => set_arg(&mut args, name, &v),
            },
        }
    }
    let mut html = escape::html(&crate::i18n::message(&lang, key, Some(&args))).into_owned();
    for (i, element) in elements.iter().enumerate() {
        html = html.replace(&format!("{MARK_OPEN}{i}{MARK_CLOSE}"), element);
    }
    Ok(Value::from_safe_string(html))
}

/// A `TimeView` as a `<time>` element showing how long ago it was, with the exact time in the
/// page's language (UTC) as its title; the page's script shows both in the reader's zone.
fn time_element(state: &State<'_, '_>, time: &Value) -> Result<String, minijinja::Error> {
    let t = instant_of(time, "time_ago")?;
    let lang = ui_lang(state);
    let age = time.get_attr("age")?.as_i64().unwrap_or(0);
    let now = t + chrono::Duration::seconds(age);
    Ok(crate::local_time::time_element(
        &crate::relative_time::rfc3339(t),
        &crate::relative_time::exact_in(t, &lang),
        &crate::relative_time::relative_time(t, now, &lang),
        crate::local_time::Shown::Ago,
    ))
}

/// The instant of a `TimeView` (its `iso` attribute).
fn instant_of(
    time: &Value,
    function: &str,
) -> Result<chrono::DateTime<chrono::Utc>, minijinja::Error> {
    time.get_attr("iso")?
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("{function}() takes a time view"),
            )
        })
}

/// `time_ago(time)`: a `TimeView` as a `<time>` element saying how long ago it was in the
/// page's interface language ("3 h ago", "il y a 3 h"), the exact UTC time as its title.
fn time_ago(state: &State<'_, '_>, time: &Value) -> Result<Value, minijinja::Error> {
    Ok(Value::from_safe_string(time_element(state, time)?))
}

/// `time_exact(time)`: a `TimeView` as a `<time>` element showing the exact time in the page's
/// interface language, in UTC ("10 Mar 2026, 09:00 UTC", "10 mars 2026 à 09:00 UTC").
fn time_exact(state: &State<'_, '_>, time: &Value) -> Result<Value, minijinja::Error> {
    let t = instant_of(time, "time_exact")?;
    Ok(Value::from_safe_string(crate::local_time::time_element(
        &crate::relative_time::rfc3339(t),
        "",
        &crate::relative_time::exact_in(t, &ui_lang(state)),
        crate::local_time::Shown::Exact,
    )))
}

/// `time_script()`: the words and the inline script that show the page's times in the
/// reader's time zone (see [`crate::local_time`]).
fn time_script(state: &State<'_, '_>) -> Value {
    Value::from_safe_string(crate::local_time::script_html(&ui_lang(state)))
}

/// `gap(seconds)`: a duration between two articles ("2 h", "3 days") in the page's language.
fn gap(state: &State<'_, '_>, seconds: i64) -> String {
    crate::relative_time::gap(seconds, &ui_lang(state))
}

/// The query that keeps a reader who chose the original-language site on `/` (a link, not a
/// cookie): `/` redirects by `Accept-Language` only when it has no query at all.
pub(crate) const ORIGINAL_QUERY: &str = "original";

/// What every page's chrome needs.
#[derive(Serialize)]
struct Site<'a> {
    title: &'a str,
    lang: &'a str,
    sample_data: bool,
    css: &'static str,
    /// Link of the home page (`/`, or `/{lang}/` in an edition).
    home: &'a str,
    /// The home link of the brand and "Latest": the home page, which on the original-language
    /// site of a site with editions keeps the reader there (`/?original`).
    home_link: String,
    /// Prefix of article and source links (empty, or `/{lang}` in an edition).
    prefix: &'a str,
    /// The language switcher (empty when no editions are configured).
    switcher: &'a [SwitchLink],
    /// Background work still running (the page says so), if any.
    busy: Option<crate::WorkProgress>,
}

/// One entry of the language switcher.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct SwitchLink {
    /// The edition's language tag (empty for the original-language site, whose pages mix
    /// languages).
    pub(crate) lang: String,
    /// Its `hreflang` (`x-default` for the original-language site).
    pub(crate) hreflang: String,
    /// Its name, in its own language.
    pub(crate) label: String,
    /// Its home page.
    pub(crate) href: String,
    /// Whether this page belongs to it.
    pub(crate) current: bool,
}

/// The interface a page is rendered in: the plain site, or one edition.
#[derive(Debug, Clone)]
pub(crate) struct Ui {
    /// Interface language (a locale of `locales/`).
    pub(crate) ui: String,
    /// `<html lang>`.
    pub(crate) html_lang: String,
    /// Site title.
    pub(crate) title: String,
    /// Home link.
    pub(crate) home: String,
    /// Link prefix.
    pub(crate) prefix: String,
    /// Language switcher.
    pub(crate) switcher: Vec<SwitchLink>,
}

impl Ui {
    /// The plain site: English interface, `<html lang>` and title from the configuration.
    pub(crate) fn site(state: &AppState) -> Ui {
        Ui {
            ui: crate::i18n::FALLBACK.to_string(),
            html_lang: state.config.language.clone(),
            title: state.config.site_title.clone(),
            home: "/".to_string(),
            prefix: String::new(),
            switcher: Vec::new(),
        }
    }
}

/// Renders `template` with the page chrome of `ui` (the plain site or an edition); `title`
/// names the page in `<title>` and `page` is the template's own data (reachable as `page`).
pub(crate) fn render_ui(
    state: &AppState,
    ui: &Ui,
    template: &str,
    title: &str,
    page: impl Serialize,
) -> Result<Html<String>, AppError> {
    render_string(state, ui, template, title, page).map(Html)
}

fn render_string(
    state: &AppState,
    ui: &Ui,
    template: &str,
    title: &str,
    page: impl Serialize,
) -> Result<String, AppError> {
    let env = ENVIRONMENT
        .as_ref()
        .map_err(|e| AppError::internal(format!("web: templates do not compile: {e:#}")))?;
    let ctx = context! {
        site => to_value(Site {
            title: &ui.title,
            lang: &ui.html_lang,
            sample_data: state.config.sample_data,
            css: crate::asset::stylesheet_path(),
            home: &ui.home,
            home_link: if ui.prefix.is_empty() && !ui.switcher.is_empty() {
                format!("/?{}", ORIGINAL_QUERY)
            } else {
                ui.home.clone()
            },
            prefix: &ui.prefix,
            switcher: &ui.switcher,
            busy: state.status.work(),
        }),
        ui => &ui.ui,
        country_names => &state.config.country_names,
        title => title,
        page => to_value(page),
    };
    env.get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::internal(format!("web: rendering {template} failed: {e:#}")))
}

/// A full HTML error page, in an edition's interface when `ui` is given (else the plain
/// site's); falls back to a minimal static page if rendering itself fails.
pub(crate) fn render_error(state: &AppState, ui: Option<&Ui>, error: &AppError) -> String {
    let status = error.kind.status();
    let site = Ui::site(state);
    let ui = ui.unwrap_or(&site);
    let reason = if ui.ui == crate::i18n::FALLBACK && ui.prefix.is_empty() {
        status.canonical_reason().unwrap_or("Error").to_string()
    } else {
        let mut args = FluentArgs::new();
        args.set("status", i64::from(status.as_u16()));
        crate::i18n::message(&ui.ui, "error-heading", Some(&args))
    };
    let heading = format!("{} {reason}", status.as_u16());
    let page = context! { heading => &heading, message => &error.message };
    render_string(state, ui, "error.html", &heading, page).unwrap_or_else(|_| {
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Error</title><main><h1>Error</h1></main></html>"
            .to_string()
    })
}

/// Converts a serialisable view model into a template value.
pub(crate) fn to_value(v: impl Serialize) -> Value {
    Value::from(Serde(v))
}

/// Marks already-sanitised HTML as safe for the templates.
pub(crate) fn trusted_html(html: String) -> Value {
    Value::from_safe_string(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_place_links_and_times_and_escape_everything_else() {
        let env = ENVIRONMENT.as_ref().unwrap();
        let render = |ui: &str, source: &str, ctx: Value| {
            env.render_str(source, context! { ui => ui, ..ctx })
                .unwrap()
        };
        let link = r#"{{ th("story-copy-of", kind="copy", link={"href": "/a?b=1&c=\"2\"", "text": t, "lang": "fr"}) }}"#;
        let html = render(
            "en",
            link,
            context! { t => "<b>Title</b> \u{E000}0\u{E001}" },
        );
        assert_eq!(
            html,
            "Copy of <a href=\"/a?b=1&amp;c=&quot;2&quot;\" lang=\"fr\">&lt;b&gt;Title&lt;/b&gt; 0</a>"
        );
        let text = r#"{{ th("provenance-line", kind="copy", link={"href": "/x", "text": "T"}, source=s, gap="2 h", order="earlier") }}"#;
        let html = render("de", text, context! { s => "<i>\u{E000}0\u{E001}</i>" });
        assert_eq!(
            html,
            "Kopie von <a href=\"/x\">T</a>, veröffentlicht von &lt;i&gt;0&lt;/i&gt; 2 h früher"
        );
        let time = r#"{{ th("story-first", time={"iso": "2026-03-10T09:00:00Z", "age": 10800}) }}"#;
        assert_eq!(
            render("fr", time, context! {}),
            "premier article <time datetime=\"2026-03-10T09:00:00Z\" title=\"10 mars 2026 à 09:00 UTC\" data-time=\"ago\">il y a 3 h</time>"
        );
        assert_eq!(render("es", "{{ gap(90000) }}", context! {}), "25 h");
    }

    #[test]
    fn every_template_compiles() {
        let env = ENVIRONMENT.as_ref().unwrap();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
