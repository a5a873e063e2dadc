//! The newsdesk web server: server-rendered pages, feeds out and a JSON API over the store.
//!
//! This is the last stage of the pipeline (fetch → parse → extract → text → stories → translate →
//! store → **web**). It only reads (the one write: an operator's profile edit through the API,
//! see below): it never fetches feeds and never makes a request to another host. Everything it shows comes from a [`newsdesk_store::Store`]
//! (the one exception: an edition with `bodies = "on_view"` asks its [`BodyTranslator`], which
//! the binary provides, to translate and store a body when it is first read).
//!
//! * [`WebConfig`]: what the operator chooses (site title, public URL, sample-data banner, UI
//!   language).
//! * [`AppState`]: the store handle and the configuration, shared by every request.
//! * [`app`]: the [`axum::Router`] with every route and middleware; [`serve`] runs it on a
//!   listener until a shutdown future resolves.
//! * [`Editions`] ([`EditionConfig`] each): the site in other languages. [`app_with_editions`]
//!   adds `/{lang}/`, `/{lang}/articles/{id}` (translated, with a notice naming the language,
//!   the backend and whether it is a machine translation, a link to the original and a
//!   `?show=original|both` toggle, and a link to the article's story in the edition),
//!   `/{lang}/stories` and `/{lang}/stories/{id}` (titles from the stored translations, falling
//!   back to the original with its `lang`), `/{lang}/sources`, `/{lang}/sources/{id}`,
//!   `/{lang}/search` and `/{lang}/feed.{atom,rss,json}`; errors under `/{lang}/` are shown in
//!   the edition's interface; `/` redirects by `Accept-Language`.
//! * Interface strings come from Fluent files (`locales/{en,fr,es,de}.ftl`, plural rules
//!   included) through the templates' `t("key", name=value)` and `th("key", link={…})`
//!   (a message with a link or a `<time>` placed where the translation puts it); relative times
//!   (`time_ago()`) and gaps between articles (`gap()`) too. The plain site is in English.
//! * Dates: every time a page shows is a `<time datetime>` element, relative ("2 h ago") or
//!   exact, in the page's language and in UTC (stated); a small inline script, allowed by the
//!   CSP through its hash, rewrites them into the reader's time zone and recomputes the relative
//!   text on load (so cached pages do not go stale). Feeds and the API keep RFC 3339/822 UTC.
//! * Source profiles: every card, article, source, search and story page names the outlet's
//!   country and, when classified, its typology in words with a link to `/about/typology`; a
//!   story shows its coverage by country, ownership and language; `?country=` and `?typology=`
//!   (`state-controlled`, `independent`, `not-classified` or a code; comma-separated lists) filter
//!   the home page, search, feeds and the API. With an operator token configured
//!   ([`WebConfig::operator_token`]), `PATCH /api/v1/sources/{id}/profile` with
//!   `Authorization: Bearer <token>` edits a source's profile through
//!   [`newsdesk_sources::apply_edit`] (the CLI's implementation); without one the API is
//!   read-only (403), a wrong token is 401.
//! * [`AppError`]: the one error type of every handler; it answers
//!   `{"error": {"code", "message"}}` under `/api/` and an HTML error page elsewhere.
//!
//! Routes: `/` (latest articles), `/articles/{id}`, `/sources`, `/sources/{id}`, `/search`,
//! `/stories`, `/stories/{id}` (stories and provenance links the story stage recorded),
//! `/about/typology` (the State Media Monitor models and the data's credit),
//! `/healthz` (`ok`, plus a `warning:` line per operator warning), `/status` (JSON: background
//! work in progress and warnings, see [`SiteStatus`]),
//! `/feed.atom`, `/feed.rss`, `/feed.json`, `/static/style.<hash>.css` and the JSON API under
//! `/api/v1/` (described by `/api/v1/openapi.json`): an article lists its stored
//! `translations`, and `?edition=fr` gives article and story titles in an edition's language.
//!
//! Module layering (each module uses only those on the lines below it; no import cycle):
//!
//! 1. `router` (every route and middleware);
//! 2. `edition_pages` (an edition's pages and feeds), `search`, `stories`, `error_page` (the
//!    middleware rendering every error), `health` (`/healthz`, `/status`);
//! 3. `api`, `pages` (the original site's home, article and source pages, and the cards of a
//!    list with their translations);
//! 4. `article_links` (an article's story and provenance links, titles in an edition's
//!    language), `coverage`;
//! 5. `profile` (source profile tags and filters, `/about/typology`), `feeds` (feeds out);
//! 6. `editions` (which editions exist, their interface, language switcher and translation
//!    view);
//! 7. `layout` (the page layout: templates, the interface's chrome, `t()`/`th()`/`ago()`);
//! 8. leaves: `state`, `status`, `error` (the [`AppError`] type), `params`, `i18n`,
//!    `relative_time`, `sanitize`, `asset`, `limits`, `config`, `server`, `microcache`,
//!    `conditional`, `security`.
//!
//! HTML and XML text is escaped by `newsdesk_core::escape`.
//!
//! Caching: successful `GET` answers carry a strong `ETag` (BLAKE3 of the bytes sent) and
//! `Cache-Control: public, max-age=60`; `If-None-Match` answers `304`. The stylesheet's name
//! contains its hash, so it is served `immutable` for a year. Errors are `no-store`.
//!
//! ```
//! use newsdesk_web::WebConfig;
//! let config: WebConfig = serde_json::from_str(r#"{"site_title": "Morning desk"}"#).unwrap();
//! assert_eq!(config.site_title, "Morning desk");
//! assert_eq!(config.language, "en");
//! assert!(!config.sample_data);
//! ```

mod api;
mod article_links;
mod asset;
mod conditional;
mod config;
mod countries;
mod coverage;
mod edition_pages;
mod editions;
mod error;
mod error_page;
mod feeds;
mod health;
mod i18n;
mod layout;
mod limits;
mod local_time;
mod microcache;
mod pages;
mod params;
mod profile;
mod relative_time;
mod router;
mod sanitize;
mod search;
mod security;
mod server;
mod state;
mod status;
mod stories;

pub use config::{OperatorToken, WebConfig};
pub use editions::{BodyFuture, BodyTranslation, BodyTranslator, EditionConfig, Editions};
pub use error::{AppError, ErrorKind};
pub use router::{api_operations, app, app_with_editions, serve, serve_with_editions};
pub use state::AppState;
pub use status::{SiteStatus, WorkPhase, WorkProgress};
