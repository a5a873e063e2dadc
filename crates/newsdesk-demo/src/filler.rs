//! Seeded filler text in the demo's languages (en, fr, es, de): the bodies of generated
//! articles ([`paragraphs`], read back by `corpus` when a page is served) and the words that
//! `generated` builds titles and sources from. A leaf: it knows nothing of corpora.

/// A small deterministic pseudo-random generator (SplitMix64).
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        let span = (hi.saturating_sub(lo) as u64).saturating_add(1);
        lo + (self.next_u64() % span) as usize
    }

    pub(crate) fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items
            .get(self.range(0, items.len().saturating_sub(1)))
            .copied()
            .unwrap_or("")
    }
}

/// Words of one language, frequent function words first so language detection works.
pub(crate) struct Lexicon {
    pub(crate) lang: &'static str,
    pub(crate) function: &'static [&'static str],
    pub(crate) nouns: &'static [&'static str],
    pub(crate) verbs: &'static [&'static str],
    pub(crate) adjectives: &'static [&'static str],
    pub(crate) places: &'static [&'static str],
    pub(crate) people: &'static [&'static str],
    pub(crate) sections: &'static [&'static str],
    pub(crate) said: &'static str,
}

pub(crate) const LEXICONS: [Lexicon; 4] = [
    Lexicon {
        lang: "en",
        function: &[
            "the", "of", "and", "to", "in", "for", "with", "on", "that", "from", "by", "after",
            "while", "but", "this", "their", "which", "has", "was", "were", "is", "will",
        ],
        nouns: &[
            "council",
            "harbour",
            "budget",
            "report",
            "workers",
            "station",
            "museum",
            "bridge",
            "school",
            "market",
            "committee",
            "river",
            "festival",
            "ministry",
            "hospital",
            "railway",
            "residents",
            "company",
            "season",
            "agreement",
            "plan",
            "proposal",
        ],
        verbs: &[
            "announced",
            "approved",
            "rejected",
            "opened",
            "delayed",
            "reviewed",
            "expanded",
            "welcomed",
            "criticised",
            "confirmed",
            "postponed",
            "discussed",
            "funded",
        ],
        adjectives: &[
            "new",
            "regional",
            "local",
            "annual",
            "public",
            "first",
            "final",
            "major",
            "small",
            "long-awaited",
            "temporary",
            "northern",
            "coastal",
        ],
        places: &[
            "Valdoria",
            "Corvanne",
            "Kellmark",
            "Puerto Lirio",
            "Eastmere",
            "Branholt",
        ],
        people: &[
            "Ada Finch",
            "Martin Cole",
            "Priya Laine",
            "Owen Rask",
            "Nora Hale",
        ],
        sections: &["News", "Business", "Sport", "Culture", "Science"],
        said: "said",
    },
    Lexicon {
        lang: "fr",
        function: &[
            "le", "la", "les", "de", "des", "du", "et", "en", "pour", "avec", "sur", "dans", "une",
            "un", "qui", "que", "par", "mais", "est", "sont", "a", "ont", "leur",
        ],
        nouns: &[
            "conseil",
            "port",
            "budget",
            "rapport",
            "travailleurs",
            "gare",
            "musée",
            "pont",
            "école",
            "marché",
            "commission",
            "rivière",
            "festival",
            "ministère",
            "hôpital",
            "chemin de fer",
            "habitants",
            "entreprise",
            "saison",
            "accord",
            "projet",
        ],
        verbs: &[
            "a annoncé",
            "a approuvé",
            "a rejeté",
            "a ouvert",
            "a retardé",
            "a examiné",
            "a élargi",
            "a salué",
            "a critiqué",
            "a confirmé",
            "a reporté",
            "a financé",
        ],
        adjectives: &[
            "nouveau",
            "régional",
            "local",
            "annuel",
            "public",
            "premier",
            "dernier",
            "grand",
            "petit",
            "attendu",
            "temporaire",
            "côtier",
        ],
        places: &[
            "Valdoria",
            "Corvanne",
            "Kellmark",
            "Puerto Lirio",
            "Estemer",
            "Branholt",
        ],
        people: &[
            "Claire Morel",
            "Julien Arnaud",
            "Inès Duval",
            "Hugo Lemaire",
            "Sophie Roux",
        ],
        sections: &["Actualité", "Économie", "Sport", "Culture", "Sciences"],
        said: "a déclaré",
    },
    Lexicon {
        lang: "es",
        function: &[
            "el", "la", "los", "las", "de", "del", "y", "en", "para", "con", "por", "que", "una",
            "un", "sobre", "pero", "es", "son", "fue", "su", "sus", "como", "se",
        ],
        nouns: &[
            "ayuntamiento",
            "puerto",
            "presupuesto",
            "informe",
            "trabajadores",
            "estación",
            "museo",
            "puente",
            "escuela",
            "mercado",
            "comisión",
            "río",
            "festival",
            "ministerio",
            "hospital",
            "ferrocarril",
            "vecinos",
            "empresa",
            "temporada",
            "acuerdo",
            "proyecto",
        ],
        verbs: &[
            "anunció",
            "aprobó",
            "rechazó",
            "abrió",
            "retrasó",
            "revisó",
            "amplió",
            "celebró",
            "criticó",
            "confirmó",
            "aplazó",
            "financió",
        ],
        adjectives: &[
            "nuevo", "regional", "local", "anual", "público", "primer", "último", "gran",
            "pequeño", "esperado", "temporal", "costero",
        ],
        places: &[
            "Valdoria",
            "Corvana",
            "Kellmark",
            "Puerto Lirio",
            "Sierra Dorada",
            "Branholt",
        ],
        people: &[
            "Lucía Prieto",
            "Andrés Molina",
            "Carmen Vidal",
            "Diego Serrano",
            "Elena Ruiz",
        ],
        sections: &["Actualidad", "Economía", "Deportes", "Cultura", "Ciencia"],
        said: "dijo",
    },
    Lexicon {
        lang: "de",
        function: &[
            "der", "die", "das", "und", "in", "den", "von", "mit", "für", "auf", "dem", "ist",
            "nicht", "ein", "eine", "sich", "auch", "nach", "wird", "hat", "sind", "aber",
        ],
        nouns: &[
            "Stadtrat",
            "Hafen",
            "Haushalt",
            "Bericht",
            "Beschäftigten",
            "Bahnhof",
            "Museum",
            "Brücke",
            "Schule",
            "Markt",
            "Ausschuss",
            "Fluss",
            "Festival",
            "Ministerium",
            "Krankenhaus",
            "Bahnstrecke",
            "Anwohner",
            "Unternehmen",
            "Saison",
            "Vertrag",
        ],
        verbs: &[
            "angekündigt",
            "genehmigt",
            "abgelehnt",
            "eröffnet",
            "verschoben",
            "geprüft",
            "erweitert",
            "begrüßt",
            "kritisiert",
            "bestätigt",
            "finanziert",
            "beschlossen",
        ],
        adjectives: &[
            "neue",
            "regionale",
            "lokale",
            "jährliche",
            "öffentliche",
            "erste",
            "letzte",
            "große",
            "kleine",
            "lang erwartete",
            "vorläufige",
            "nördliche",
        ],
        places: &[
            "Valdoria",
            "Corvanne",
            "Kellmark",
            "Puerto Lirio",
            "Ostmeer",
            "Branholt",
        ],
        people: &[
            "Anna Keller",
            "Jonas Brandt",
            "Lena Vogt",
            "Felix Hartmann",
            "Mara Winter",
        ],
        sections: &[
            "Nachrichten",
            "Wirtschaft",
            "Sport",
            "Kultur",
            "Wissenschaft",
        ],
        said: "sagte",
    },
];

pub(crate) fn lexicon(lang: &str) -> &'static Lexicon {
    LEXICONS
        .iter()
        .find(|l| l.lang == lang)
        .unwrap_or(&LEXICONS[0])
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn sentence(lex: &Lexicon, rng: &mut Rng) -> String {
    let words = rng.range(9, 20);
    let mut out: Vec<String> = Vec::with_capacity(words + 4);
    for i in 0..words {
        let w = match rng.range(0, 9) {
            0..=3 => rng.pick(lex.function),
            4 | 5 => rng.pick(lex.nouns),
            6 => rng.pick(lex.adjectives),
            7 => rng.pick(lex.verbs),
            _ if i % 3 == 0 => rng.pick(lex.places),
            _ => rng.pick(lex.nouns),
        };
        out.push(w.to_string());
    }
    if rng.range(0, 5) == 0 {
        let quoted = capitalise(&out.join(" "));
        return format!(
            "\u{201c}{quoted},\u{201d} {} {}.",
            lex.said,
            rng.pick(lex.people)
        );
    }
    let mut s = capitalise(&out.join(" "));
    s.push('.');
    s
}

/// The pseudo-random paragraphs of a generated article body: `count` paragraphs of 3–5
/// sentences in `lang` (en, fr, es, de; others get English), the same for the same `seed`.
pub fn paragraphs(lang: &str, seed: u64, count: usize) -> Vec<String> {
    let lex = lexicon(lang);
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let n = rng.range(3, 5);
            (0..n)
                .map(|_| sentence(lex, &mut rng))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}
