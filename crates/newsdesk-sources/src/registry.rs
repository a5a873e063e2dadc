//! The State Media Matrix: read from its CSV, indexed by host.

use std::collections::HashMap;
use std::sync::LazyLock;

use newsdesk_core::TypologyCode;

use crate::{ProfileError, country_code};

/// The matrix as shipped (ASD-at-GMF/state-media-profiles, February 2024).
const BUNDLED_CSV: &str = include_str!("../data/State_Media_Matrix.csv");

/// The matrix's MIT licence notice, shipped with it.
pub const MATRIX_LICENSE: &str = include_str!("../data/LICENSE");

/// The credit the site shows wherever a classification from the matrix is shown.
pub const MATRIX_CREDIT: &str =
    "Ownership classification: State Media Monitor (MJRC), via ASD state-media-profiles";

/// One row of the matrix: one media asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Row number in the CSV (1 = the first data row), for references.
    pub row: usize,
    /// The country as the matrix names it.
    pub country_name: String,
    /// Its ISO 3166-1 alpha-2 code (`EU` for the European Union), when known.
    pub country: Option<&'static str>,
    /// The media company.
    pub company: String,
    /// The asset's name ("Main assets").
    pub name: String,
    /// Its URL as written (may lack a scheme; `None` when the row has none).
    pub url: Option<String>,
    /// The typology as written (`SC`, `ISFM?`; empty when the row has none).
    pub typology: String,
    /// The row's status note ("Currently Not Functional"…), when any.
    pub status: Option<String>,
}

impl Asset {
    /// The parsed typology, uncertainty kept.
    pub fn typology_code(&self) -> Option<TypologyCode> {
        TypologyCode::parse(&self.typology)
    }

    /// A reference a reader can check: the dataset, the row and what it says.
    pub fn reference(&self) -> String {
        format!(
            "State Media Matrix row {}: {} ({}, {}){}",
            self.row,
            self.name,
            self.company,
            self.country_name,
            self.url
                .as_deref()
                .map(|u| format!(", {u}"))
                .unwrap_or_default()
        )
    }
}

/// The assets a URL matched: the longest matching host, then the longest matching path; several
/// assets on one URL are all kept, in the matrix's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'a> {
    /// The matrix host that matched (without `www.`).
    pub host: String,
    /// The assets, at least one.
    pub assets: Vec<&'a Asset>,
}

impl Match<'_> {
    /// The first asset (the one whose facts are used).
    pub fn primary(&self) -> &Asset {
        self.assets[0]
    }

    /// The assets' names, joined with " / " when there are several.
    pub fn names(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for a in &self.assets {
            if !names.contains(&a.name.as_str()) {
                names.push(&a.name);
            }
        }
        names.join(" / ")
    }
}

/// The matrix, indexed by host.
#[derive(Debug)]
pub struct Registry {
    assets: Vec<Asset>,
    /// Host (lowercase, without `www.`) → (path prefix, asset index).
    by_host: HashMap<String, Vec<(String, usize)>>,
}

static BUNDLED: LazyLock<Result<Registry, ProfileError>> =
    LazyLock::new(|| Registry::parse(BUNDLED_CSV));

impl Registry {
    /// The matrix bundled with newsdesk, parsed on first use.
    ///
    /// # Errors
    ///
    /// [`ProfileError::Matrix`] if the bundled CSV does not parse (a build defect; tests check it).
    pub fn bundled() -> Result<&'static Registry, ProfileError> {
        BUNDLED.as_ref().map_err(Clone::clone)
    }

    /// Reads a matrix in the CSV layout of the bundled one (header row, then
    /// `Region, Country, Media company, Main assets, URL, Typology, Status, Notes, …`).
    ///
    /// # Errors
    ///
    /// [`ProfileError::Matrix`] when a column is missing or a row is not CSV.
    pub fn parse(csv_text: &str) -> Result<Registry, ProfileError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(csv_text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| ProfileError::Matrix(e.to_string()))?
            .clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| ProfileError::Matrix(format!("no {name:?} column")))
        };
        let (country, company, name, url, typology, status) = (
            column("Country")?,
            column("Media company")?,
            column("Main assets")?,
            column("URL")?,
            column("Typology")?,
            column("Status")?,
        );
        let mut assets = Vec::new();
        let mut by_host: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| ProfileError::Matrix(e.to_string()))?;
            let field = |c: usize| record.get(c).map(str::trim).unwrap_or_default().to_owned();
            let non_empty = |c: usize| Some(field(c)).filter(|v| !v.is_empty());
            let country_name = field(country);
            let asset = Asset {
                row: i + 1,
                country: country_code(&country_name),
                country_name,
                company: field(company),
                name: field(name),
                url: non_empty(url),
                typology: field(typology),
                status: non_empty(status),
            };
            if let Some((host, path)) = asset.url.as_deref().and_then(host_and_path) {
                by_host.entry(host).or_default().push((path, assets.len()));
            }
            assets.push(asset);
        }
        Ok(Registry { assets, by_host })
    }

    /// Every row.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// The assets `url` belongs to: its host without `www.` (scheme optional), else each parent
    /// domain in turn (`news.francais.cgtn.com` → `francais.cgtn.com` → `cgtn.com`), so the
    /// longest matching host wins; among that host's rows, those whose path is the longest
    /// prefix of the URL's path (all of them when none is).
    pub fn lookup(&self, url: &str) -> Option<Match<'_>> {
        let (host, path) = host_and_path(url)?;
        let mut candidate = host.as_str();
        loop {
            if let Some(rows) = self.by_host.get(candidate) {
                return Some(self.pick(candidate, rows, &path));
            }
            match candidate.split_once('.') {
                Some((_, parent)) if parent.contains('.') => candidate = parent,
                _ => return None,
            }
        }
    }

    fn pick(&self, host: &str, rows: &[(String, usize)], path: &str) -> Match<'_> {
        let best = rows
            .iter()
            .filter(|(p, _)| path_has_prefix(path, p))
            .map(|(p, _)| p.len())
            .max();
        let assets = rows
            .iter()
            .filter(|(p, _)| best.is_none_or(|len| p.len() == len && path_has_prefix(path, p)))
            .map(|&(_, i)| &self.assets[i])
            .collect();
        Match {
            host: host.to_owned(),
            assets,
        }
    }

    /// The best match among several URLs of one source (its site link, its feed URL, its
    /// articles' URLs): the one with the longest matching host, the first on a tie.
    pub fn lookup_any<'u>(&self, urls: impl IntoIterator<Item = &'u str>) -> Option<Match<'_>> {
        let mut best: Option<Match<'_>> = None;
        for url in urls {
            if let Some(m) = self.lookup(url)
                && best.as_ref().is_none_or(|b| m.host.len() > b.host.len())
            {
                best = Some(m);
            }
        }
        best
    }
}

/// `/a/b` has the prefix `/a` and `/a/`, not `/ab`.
fn path_has_prefix(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A URL's host (lowercase, without `www.` and a trailing dot) and its path (lowercase,
/// without a trailing `/`). A URL without a scheme is read as `http://…`.
pub fn host_and_path(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let parsed = match url::Url::parse(url) {
        Ok(u) if u.has_host() => u,
        _ => url::Url::parse(&format!("http://{}", url.trim_start_matches('/'))).ok()?,
    };
    let host = parsed
        .host_str()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.is_empty() {
        return None;
    }
    let path = parsed.path().trim_end_matches('/').to_ascii_lowercase();
    Some((host, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> &'static Registry {
        Registry::bundled().expect("the bundled matrix parses")
    }

    #[test]
    fn the_bundled_matrix_is_whole() {
        let r = bundled();
        assert_eq!(r.assets().len(), 1157);
        assert_eq!(r.assets().iter().filter(|a| a.url.is_some()).count(), 1074);
        let unknown: Vec<&str> = r
            .assets()
            .iter()
            .filter(|a| a.country.is_none() && !a.country_name.is_empty())
            .map(|a| a.country_name.as_str())
            .collect();
        assert!(unknown.is_empty(), "countries without a code: {unknown:?}");
        assert!(MATRIX_LICENSE.contains("MIT License"));
    }

    #[test]
    fn rt_is_state_controlled_russia() {
        let m = bundled().lookup("https://www.rt.com/").expect("rt.com");
        assert_eq!(m.primary().name, "RT International");
        assert_eq!(m.primary().country, Some("RU"));
        assert_eq!(m.primary().typology, "SC");
        // scheme, `www.`, case and a path do not matter
        let again = bundled()
            .lookup("RT.com/news/123-story/")
            .expect("no scheme");
        assert_eq!(again.primary().name, "RT International");
    }

    #[test]
    fn the_longest_host_wins() {
        let m = bundled()
            .lookup("https://francais.cgtn.com/n/BfJAA-BAA-EAA/")
            .expect("cgtn");
        assert_eq!(m.names(), "CGTN Français");
        let sub = bundled()
            .lookup("http://news.francais.cgtn.com/")
            .expect("sub");
        assert_eq!(sub.names(), "CGTN Français");
        let parent = bundled().lookup("https://sport.cgtn.com/").expect("parent");
        assert_eq!(
            parent.primary().name,
            "China Global Television Network (CGTN)"
        );
        let any = bundled()
            .lookup_any(["https://www.cgtn.com/", "https://francais.cgtn.com/rss"])
            .expect("any");
        assert_eq!(any.names(), "CGTN Français");
    }

    #[test]
    fn urls_without_a_scheme_and_shared_urls() {
        let m = bundled()
            .lookup("https://www.cankaoxiaoxi.com/")
            .expect("no scheme in row");
        assert_eq!(m.primary().country, Some("CN"));
        let shared = bundled()
            .assets()
            .iter()
            .filter(|a| a.url.as_deref() == Some("www.bayontv.com.kh"))
            .count();
        assert_eq!(shared, 2);
        let m = bundled().lookup("bayontv.com.kh").expect("bayon");
        assert_eq!(m.assets.len(), 2, "both assets on one URL are kept");
    }

    #[test]
    fn absent_hosts_and_junk_do_not_match() {
        assert!(
            bundled()
                .lookup("https://harbour-ledger.example/")
                .is_none()
        );
        assert!(bundled().lookup("").is_none());
        assert!(bundled().lookup("com").is_none());
        assert!(bundled().lookup("::::").is_none());
    }

    #[test]
    fn paths_choose_among_rows_of_one_host() {
        let csv = "Region,Country,Media company,Main assets,URL,Typology,Status,Notes\n\
                   Europe,Germany,DW,DW Deutsch,https://www.dw.com/de/,ISF,,\n\
                   Europe,Germany,DW,DW English,https://www.dw.com/en/,ISF,,\n\
                   Europe,Germany,DW,DW,https://www.dw.com/,ISF?,,\n\
                   Europe,Germany,DW,No URL,,ISF,,\n";
        let r = Registry::parse(csv).expect("csv");
        assert_eq!(
            r.lookup("dw.com/en/top-stories").expect("en").names(),
            "DW English"
        );
        assert_eq!(r.lookup("https://dw.com/ru/").expect("ru").names(), "DW");
        assert_eq!(
            r.lookup("https://dw.com/ru/")
                .expect("ru")
                .primary()
                .typology,
            "ISF?"
        );
        assert_eq!(
            r.lookup("https://dw.com/english").expect("prefix").names(),
            "DW"
        );
        assert_eq!(r.assets().len(), 4);
    }
}
