//! Routing: which backend translates a pair, directly or through a relay (pivot) language.

use crate::backend::LangPair;
use crate::config::RouteConfig;
use crate::error::TranslateError;
use crate::language::normalize_language;

/// One step of a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// Backend name.
    pub backend: String,
    /// Source language of this step.
    pub from: String,
    /// Target language of this step.
    pub to: String,
}

/// How a pair is translated: one hop, or several through relay languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The steps, in order.
    pub hops: Vec<Hop>,
}

impl Route {
    /// Whether the route relays through another language.
    pub fn is_pivot(&self) -> bool {
        self.hops.len() > 1
    }
}

impl std::fmt::Display for Route {
    /// `en→es [apertium] →fr [apertium]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, h) in self.hops.iter().enumerate() {
            if i == 0 {
                write!(f, "{}", h.from)?;
            }
            write!(f, " →{} [{}]", h.to, h.backend)?;
        }
        Ok(())
    }
}

/// The backends a router chooses from: name and pairs, in order of preference.
pub type BackendPairs = Vec<(String, Vec<LangPair>)>;

fn first_backend(
    backends: &BackendPairs,
    from: &str,
    to: &str,
    only: Option<&str>,
) -> Option<String> {
    backends
        .iter()
        .filter(|(n, _)| only.is_none_or(|o| o == n))
        .find(|(_, pairs)| pairs.iter().any(|p| p.covers(from, to)))
        .map(|(n, _)| n.clone())
}

/// Chooses a route from `from` to `to`: a configured route first, then a direct pair, then a
/// relay through each of `pivots`, then through any language the backends know.
pub fn plan_route(
    from: &str,
    to: &str,
    backends: &BackendPairs,
    routes: &[RouteConfig],
    pivots: &[String],
) -> Result<Route, TranslateError> {
    let from = normalize_language(from);
    let to = normalize_language(to);
    if let Some(rc) = routes
        .iter()
        .find(|r| normalize_language(&r.from) == from && normalize_language(&r.to) == to)
    {
        let mut chain = vec![from.clone()];
        chain.extend(rc.via.iter().map(|v| normalize_language(v)));
        chain.push(to.clone());
        let mut hops = Vec::new();
        for w in chain.windows(2) {
            let b =
                first_backend(backends, &w[0], &w[1], rc.backend.as_deref()).ok_or_else(|| {
                    TranslateError::Config(format!(
                        "route {from}→{to}: no backend{} translates {}→{}",
                        rc.backend
                            .as_ref()
                            .map(|b| format!(" named {b}"))
                            .unwrap_or_default(),
                        w[0],
                        w[1]
                    ))
                })?;
            hops.push(Hop {
                backend: b,
                from: w[0].clone(),
                to: w[1].clone(),
            });
        }
        return Ok(Route { hops });
    }
    if let Some(b) = first_backend(backends, &from, &to, None) {
        return Ok(Route {
            hops: vec![Hop {
                backend: b,
                from,
                to,
            }],
        });
    }
    let mut relays: Vec<String> = pivots.iter().map(|p| normalize_language(p)).collect();
    for (_, pairs) in backends {
        for p in pairs {
            for l in [&p.from, &p.to] {
                if l != "*" && !relays.contains(l) {
                    relays.push(l.clone());
                }
            }
        }
    }
    for via in relays.iter().filter(|v| **v != from && **v != to) {
        if let (Some(a), Some(b)) = (
            first_backend(backends, &from, via, None),
            first_backend(backends, via, &to, None),
        ) {
            return Ok(Route {
                hops: vec![
                    Hop {
                        backend: a,
                        from: from.clone(),
                        to: via.clone(),
                    },
                    Hop {
                        backend: b,
                        from: via.clone(),
                        to: to.clone(),
                    },
                ],
            });
        }
    }
    let known = backends
        .iter()
        .map(|(n, ps)| {
            let list: Vec<String> = ps.iter().map(ToString::to_string).collect();
            format!(
                "{n}: {}",
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(" ")
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Err(TranslateError::NoRoute { from, to, known })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backends() -> BackendPairs {
        vec![
            (
                "apertium".to_string(),
                vec![
                    LangPair::new("en", "es"),
                    LangPair::new("es", "en"),
                    LangPair::new("fr", "es"),
                    LangPair::new("es", "fr"),
                ],
            ),
            ("deepl".to_string(), vec![LangPair::new("en", "de")]),
        ]
    }

    #[test]
    fn direct_then_pivot_then_none() {
        let r = plan_route("en", "es", &backends(), &[], &[]).unwrap();
        assert_eq!(r.to_string(), "en →es [apertium]");
        let r = plan_route(
            "en",
            "fr",
            &backends(),
            &[],
            &["en".to_string(), "es".to_string()],
        )
        .unwrap();
        assert!(r.is_pivot());
        assert_eq!(r.to_string(), "en →es [apertium] →fr [apertium]");
        let r = plan_route("fr", "en", &backends(), &[], &[]).unwrap();
        assert_eq!(
            r.hops[0].to, "es",
            "relay found among the backends' languages"
        );
        let e = plan_route("ru", "en", &backends(), &[], &[]).unwrap_err();
        assert!(e.to_string().contains("en-es"), "{e}");
    }

    #[test]
    fn configured_route_wins() {
        let rc = RouteConfig {
            from: "en".to_string(),
            to: "es".to_string(),
            via: vec![],
            backend: Some("deepl".to_string()),
        };
        let e = plan_route("en", "es", &backends(), &[rc], &[]).unwrap_err();
        assert!(matches!(e, TranslateError::Config(_)));
        let wild = vec![("llm".to_string(), vec![LangPair::parse("*").unwrap()])];
        assert_eq!(
            plan_route("de", "ja", &wild, &[], &[]).unwrap().hops.len(),
            1
        );
    }
}
