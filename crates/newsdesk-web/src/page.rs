//! HTML rendering: the embedded minijinja templates (HTML auto-escaping on for every template,
//! undefined values are errors) and the page chrome every page shares.

use std::sync::LazyLock;

use axum::response::Html;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use crate::{AppError, AppState};

const TEMPLATES: &[(&str, &str)] = &[
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
    ("error.html", include_str!("../templates/error.html")),
];

static ENVIRONMENT: LazyLock<Result<Environment<'static>, minijinja::Error>> =
    LazyLock::new(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(env)
    });

/// What every page's chrome needs.
#[derive(Serialize)]
struct Site<'a> {
    title: &'a str,
    lang: &'a str,
    sample_data: bool,
    css: &'static str,
}

/// Renders `template` with the page chrome; `title` names the page in `<title>` and `page` is
/// the template's own data (reachable as `page`).
pub(crate) fn render(
    state: &AppState,
    template: &str,
    title: &str,
    page: impl Serialize,
) -> Result<Html<String>, AppError> {
    render_string(state, template, title, page).map(Html)
}

fn render_string(
    state: &AppState,
    template: &str,
    title: &str,
    page: impl Serialize,
) -> Result<String, AppError> {
    let env = ENVIRONMENT
        .as_ref()
        .map_err(|e| AppError::internal(format!("web: templates do not compile: {e:#}")))?;
    let config = &state.config;
    let ctx = context! {
        site => to_value(Site {
            title: &config.site_title,
            lang: &config.language,
            sample_data: config.sample_data,
            css: crate::asset::stylesheet_path(),
        }),
        title => title,
        page => to_value(page),
    };
    env.get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::internal(format!("web: rendering {template} failed: {e:#}")))
}

/// A full HTML error page; falls back to a minimal static page if rendering itself fails.
pub(crate) fn render_error(state: &AppState, error: &AppError) -> String {
    let status = error.kind.status();
    let heading = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let page = context! { heading => &heading, message => &error.message };
    render_string(state, "error.html", &heading, page).unwrap_or_else(|_| {
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
    fn every_template_compiles() {
        let env = ENVIRONMENT.as_ref().unwrap();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
