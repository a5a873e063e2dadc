//! Source profiles: who publishes a source, from where, and who controls it.
//!
//! A profile is a few facts about an outlet (country, language, owner, typology, type), each
//! with where it came from ([`FactOrigin`]: the bundled State Media Matrix, the feed or site
//! itself, the operator, or a guess) and a reference a reader can check. The typology is one of
//! the seven models of the State Media Monitor ([`TypologyCode`]), with its uncertainty (a
//! trailing `?` in the data) kept. An outlet the matrix does not list is *not classified*,
//! never "independent" ([`TypologyGroup::NotClassified`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One of the seven State Media Monitor models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Typology {
    /// State-controlled media: state funding, governance and editorial line.
    SC,
    /// Captured public / state-managed media.
    CaPu,
    /// Captured private media.
    CaPr,
    /// Independent state-funded and state-managed media.
    ISFM,
    /// Independent state-funded media.
    ISF,
    /// Independent state-managed media.
    ISM,
    /// Independent public media.
    IP,
}

impl Typology {
    /// Every model, in the order of the State Media Monitor's table.
    pub const ALL: [Typology; 7] = [
        Typology::SC,
        Typology::CaPu,
        Typology::CaPr,
        Typology::ISFM,
        Typology::ISF,
        Typology::ISM,
        Typology::IP,
    ];

    /// The code as the data writes it (`SC`, `CaPu`, …).
    pub fn code(self) -> &'static str {
        match self {
            Typology::SC => "SC",
            Typology::CaPu => "CaPu",
            Typology::CaPr => "CaPr",
            Typology::ISFM => "ISFM",
            Typology::ISF => "ISF",
            Typology::ISM => "ISM",
            Typology::IP => "IP",
        }
    }

    /// Reads a code, ignoring ASCII case (`sc`, `CAPU`); `None` for anything else.
    pub fn from_code(code: &str) -> Option<Typology> {
        Typology::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Whether the state controls the editorial line (SC, CaPu, CaPr): what readers call
    /// "state-controlled media".
    pub fn is_state_controlled(self) -> bool {
        matches!(self, Typology::SC | Typology::CaPu | Typology::CaPr)
    }

    /// The broad group of this model.
    pub fn group(self) -> TypologyGroup {
        if self.is_state_controlled() {
            TypologyGroup::StateControlled
        } else {
            TypologyGroup::Independent
        }
    }
}

/// A typology as recorded: a model and whether the classification is uncertain (`ISFM?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypologyCode {
    /// The model.
    pub typology: Typology,
    /// The data marks the classification as uncertain (a trailing `?`).
    pub uncertain: bool,
}

impl TypologyCode {
    /// Parses `SC`, `ISFM?` (case-insensitive); `None` for anything else.
    pub fn parse(s: &str) -> Option<TypologyCode> {
        let s = s.trim();
        let (code, uncertain) = match s.strip_suffix('?') {
            Some(c) => (c.trim_end(), true),
            None => (s, false),
        };
        Typology::from_code(code).map(|typology| TypologyCode {
            typology,
            uncertain,
        })
    }
}

impl fmt::Display for TypologyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.typology.code())?;
        if self.uncertain {
            f.write_str("?")?;
        }
        Ok(())
    }
}

/// The three groups a reader filters and counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypologyGroup {
    /// SC, CaPu or CaPr (the state controls the editorial line).
    StateControlled,
    /// ISFM, ISF, ISM or IP (classified, editorially independent).
    Independent,
    /// Not in the matrix and not classified by the operator.
    NotClassified,
}

impl TypologyGroup {
    /// Every group, in display order.
    pub const ALL: [TypologyGroup; 3] = [
        TypologyGroup::StateControlled,
        TypologyGroup::Independent,
        TypologyGroup::NotClassified,
    ];

    /// Stable name, as stored, filtered by (`?typology=independent`) and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TypologyGroup::StateControlled => "state-controlled",
            TypologyGroup::Independent => "independent",
            TypologyGroup::NotClassified => "not-classified",
        }
    }

    /// Parses [`TypologyGroup::as_str`] (also with `_` for `-`).
    pub fn parse(s: &str) -> Option<TypologyGroup> {
        let s = s.trim().replace('_', "-").to_ascii_lowercase();
        TypologyGroup::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// The group of a stored typology code (`None` or an unreadable code: not classified).
    pub fn of(typology: Option<&str>) -> TypologyGroup {
        typology
            .and_then(TypologyCode::parse)
            .map_or(TypologyGroup::NotClassified, |t| t.typology.group())
    }
}

/// Where a fact of a profile came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactOrigin {
    /// The State Media Matrix bundled with newsdesk.
    Matrix,
    /// The feed or the site itself (e.g. the feed's `<language>`).
    Feed,
    /// The operator (`sources edit`, `sources add`, OPML import, the API).
    Operator,
    /// newsdesk's guess (a country from the ccTLD or the language).
    Guess,
}

impl FactOrigin {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            FactOrigin::Matrix => "matrix",
            FactOrigin::Feed => "feed",
            FactOrigin::Operator => "operator",
            FactOrigin::Guess => "guess",
        }
    }
}

/// Where one fact came from, and a reference to check it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// Its origin.
    pub origin: FactOrigin,
    /// What it was read from: a matrix row, a URL, a command, a ccTLD.
    pub reference: String,
}

impl Fact {
    /// A fact of origin `origin` with its reference.
    pub fn new(origin: FactOrigin, reference: impl Into<String>) -> Fact {
        Fact {
            origin,
            reference: reference.into(),
        }
    }
}

/// The profile fields of a source, with the provenance of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceProfile {
    /// The media company that owns it (the matrix's "Media company").
    pub owner: Option<String>,
    /// Typology code (`SC`, `CaPu?`, …), uncertainty kept.
    pub typology: Option<String>,
    /// What kind of outlet: news agency, broadcaster, newspaper, online, blog, press release
    /// wire…
    pub media_type: Option<String>,
    /// The asset of the matrix it was matched to (its "Main assets" name), when it was.
    pub matrix_asset: Option<String>,
    /// Where each fact came from, by field name (`country`, `language`, `owner`, `typology`,
    /// `media_type`).
    pub facts: BTreeMap<String, Fact>,
}

impl SourceProfile {
    /// The parsed typology, when it is one of the seven codes.
    pub fn typology_code(&self) -> Option<TypologyCode> {
        self.typology.as_deref().and_then(TypologyCode::parse)
    }

    /// Its group; unclassified outlets are [`TypologyGroup::NotClassified`].
    pub fn group(&self) -> TypologyGroup {
        TypologyGroup::of(self.typology.as_deref())
    }

    /// The origin of field `field`, when it has one.
    pub fn origin(&self, field: &str) -> Option<FactOrigin> {
        self.facts.get(field).map(|f| f.origin)
    }
}

/// The profile fields named in [`SourceProfile::facts`].
pub const PROFILE_FIELDS: [&str; 5] = ["country", "language", "owner", "typology", "media_type"];

/// One value of a `typology` filter: a group (`state-controlled`, `independent`,
/// `not-classified`) or one model's code (`SC`, `ISFM`; uncertain classifications included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TypologyFilter {
    /// Every outlet of the group.
    Group(TypologyGroup),
    /// Every outlet of the model, `?` or not.
    Code(Typology),
}

impl TypologyFilter {
    /// Parses a group name or a code; `None` for anything else.
    pub fn parse(s: &str) -> Option<TypologyFilter> {
        TypologyGroup::parse(s)
            .map(TypologyFilter::Group)
            .or_else(|| Typology::from_code(s).map(TypologyFilter::Code))
    }

    /// Whether an outlet with this stored typology passes.
    pub fn matches(self, typology: Option<&str>) -> bool {
        match self {
            TypologyFilter::Group(g) => TypologyGroup::of(typology) == g,
            TypologyFilter::Code(c) => typology
                .and_then(TypologyCode::parse)
                .is_some_and(|t| t.typology == c),
        }
    }
}

/// Filters on who published an article and in which language (empty lists: no filter;
/// several values in one list: any of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFilter {
    /// Source countries (ISO 3166-1 alpha-2, upper case).
    pub countries: Vec<String>,
    /// Typology groups or codes.
    pub typologies: Vec<TypologyFilter>,
    /// The articles' detected languages (ISO 639-1, lower case).
    pub languages: Vec<String>,
}

impl ProfileFilter {
    /// Whether it filters nothing.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.typologies.is_empty() && self.languages.is_empty()
    }

    /// Whether a source with this country and typology passes (languages not checked).
    pub fn matches(&self, country: Option<&str>, typology: Option<&str>) -> bool {
        (self.countries.is_empty()
            || country.is_some_and(|c| self.countries.iter().any(|x| x.eq_ignore_ascii_case(c))))
            && (self.typologies.is_empty() || self.typologies.iter().any(|t| t.matches(typology)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_uncertainty() {
        let t = TypologyCode::parse("ISFM?").expect("code");
        assert_eq!(t.typology, Typology::ISFM);
        assert!(t.uncertain);
        assert_eq!(t.to_string(), "ISFM?");
        assert_eq!(
            TypologyCode::parse("capu").map(|t| t.to_string()),
            Some("CaPu".into())
        );
        assert_eq!(TypologyCode::parse("independent"), None);
        assert_eq!(TypologyCode::parse(""), None);
    }

    #[test]
    fn groups_never_call_the_unclassified_independent() {
        assert_eq!(
            TypologyGroup::of(Some("SC")),
            TypologyGroup::StateControlled
        );
        assert_eq!(
            TypologyGroup::of(Some("CaPr")),
            TypologyGroup::StateControlled
        );
        assert_eq!(TypologyGroup::of(Some("IP")), TypologyGroup::Independent);
        assert_eq!(TypologyGroup::of(Some("ISFM?")), TypologyGroup::Independent);
        assert_eq!(TypologyGroup::of(None), TypologyGroup::NotClassified);
        assert_eq!(
            TypologyGroup::of(Some("junk")),
            TypologyGroup::NotClassified
        );
        assert_eq!(
            TypologyGroup::parse("not_classified"),
            Some(TypologyGroup::NotClassified)
        );
    }

    #[test]
    fn filters_take_groups_and_codes() {
        let f = ProfileFilter {
            countries: vec!["RU".into()],
            typologies: vec![TypologyFilter::parse("state-controlled").expect("group")],
            languages: Vec::new(),
        };
        assert!(f.matches(Some("ru"), Some("SC")));
        assert!(!f.matches(Some("RU"), None));
        assert!(!f.matches(Some("DE"), Some("SC")));
        let isfm = TypologyFilter::parse("isfm").expect("code");
        assert!(isfm.matches(Some("ISFM?")));
        assert!(!isfm.matches(Some("ISF")));
        assert!(TypologyFilter::parse("independent-ish").is_none());
    }
}
