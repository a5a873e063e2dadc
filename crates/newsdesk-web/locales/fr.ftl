# newsdesk interface strings: French.
skip-link = Aller au contenu
sample-banner-strong = Données d’exemple
sample-banner-rest = — médias et événements fictifs
nav-main = Principal
nav-latest = À la une
nav-stories = Sujets
nav-sources = Sources
nav-search = Recherche
nav-feed = Flux
switcher-label = Éditions
footer-about = { $site } rassemble les articles des sources qu’il suit et renvoie chacun vers son original.
footer-feeds = Flux :
footer-api = API JSON
latest-articles = Derniers articles
older-articles = Articles plus anciens
older-articles-link = Articles plus anciens →
newest-link = ← Les plus récents
pages-label = Pages
no-articles = Aucun article pour l’instant.
no-source-articles = Aucun article de cette source.
no-source-articles-older = Aucun article plus ancien de cette source.
no-articles-older = Aucun article plus ancien pour l’instant.
language-label = Langue
tags-label = Mots-clés
by-authors = Par
published = Publié le
fetched = Récupéré le
publication-unknown = (date de publication inconnue)
source-label = Source :
read-original-at = lire l’original sur { $site }
not-web-link = (le lien d’origine n’est pas une adresse web)
origin-note = Ceci est le résumé du flux de la source : l’article complet n’a pas pu être utilisé ({ $note }).
translation-label = Traduction
lang-name = { $lang ->
    [en] l’anglais
    [fr] le français
    [es] l’espagnol
    [de] l’allemand
    [it] l’italien
    [pt] le portugais
   *[other] la langue « { $lang } »
}
translated-from = Traduit depuis { lang-name } par { $backend } (traduction automatique).
translation-route = Parcours : { $route }
translation-kept = { $count ->
    [one] Une phrase n’a pas pu être traduite et reste dans sa langue d’origine.
   *[other] { $count } phrases n’ont pas pu être traduites et restent dans leur langue d’origine.
}
translation-body-pending = Le texte ci-dessous n’est pas encore traduit ; il est affiché dans sa langue d’origine.
show-translation = Traduction seule
show-original = Original seul
show-both = Les deux côte à côte
original-page = Article original sur ce site
original-text = Texte original
untranslated-notice = Non traduit : aucune traduction depuis { lang-name } n’est disponible pour cette édition. L’article est affiché dans sa langue d’origine.
untranslated-pending = Pas encore traduit. L’article est affiché dans sa langue d’origine.
card-translated = traduit depuis { lang-name }
# The language's bare name, after a preposition ("original in German").
lang-bare = { $lang ->
    [en] anglais
    [fr] français
    [es] espagnol
    [de] allemand
    [it] italien
    [pt] portugais
   *[other] langue « { $lang } »
}
card-untranslated = non traduit (original en { lang-bare })
no-sources = Aucune source pour l’instant.
fact-feed = Flux
fact-site = Site
fact-country = Pays
fact-last-fetch = Dernière récupération
fact-failures = { $count } échecs d’affilée
fact-last-error = Dernière erreur
fact-articles = Articles
error-back = Retour aux derniers articles
search-label = Mots à chercher dans les titres et les textes
search-button = Chercher
search-results = { $count ->
    [one] { $count } résultat, le plus pertinent d’abord.
   *[other] { $count } résultats, les plus pertinents d’abord.
}
search-none = Aucun article ne contient tous ces mots.
translation-human = Traduit depuis { lang-name } par { $backend }.
# Temps relatifs.
time-just-now = à l’instant
time-minutes-ago = il y a { $count } min
time-hours-ago = il y a { $count } h
time-days-ago = { $count ->
    [one] il y a { $count } jour
   *[other] il y a { $count } jours
}
time-in-minutes = dans { $count } min
time-in-hours = { $count ->
    [one] dans { $count } heure
   *[other] dans { $count } heures
}
time-in-days = { $count ->
    [one] dans { $count } jour
   *[other] dans { $count } jours
}
month-short = { $month ->
    [1] janv.
    [2] févr.
    [3] mars
    [4] avr.
    [5] mai
    [6] juin
    [7] juil.
    [8] août
    [9] sept.
    [10] oct.
    [11] nov.
   *[12] déc.
}
time-date = { $day } { month-short } { $year }
gap-under-minute = moins d’une minute
gap-minutes = { $count } min
gap-hours = { $count } h
gap-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
gap-order = { $order ->
    [earlier] plus tôt
   *[later] plus tard
}
# Sujets et provenance.
link-kind-of = { $kind ->
    [copy] Copie de
    [translated_copy] Copie traduite de
    [shares_quotes] Partage des citations avec
   *[other] Lié à
}
link-kind = { $kind ->
    [copy] copie
    [translated_copy] copie traduite
    [shares_quotes] citations partagées
   *[other] lié
}
count-articles = { $articles ->
    [one] { $articles } article
   *[other] { $articles } articles
}
count-outlets = { $outlets ->
    [one] { $outlets } média
   *[other] { $outlets } médias
}
provenance-label = Provenance
provenance-line = { link-kind-of } { $link }, publié par { $source } { $gap } { gap-order }
provenance-via = (reconnu à travers { $link })
provenance-via-link = une copie de celui-ci
confidence = confiance { $value }
evidence = Indices
evidence-signal = { $signal ->
    [shared_text] texte commun
    [paragraph_structure] structure des paragraphes
    [numbers] nombres
    [names] noms
    [quote] citation
    [url] lien
   *[other] { $signal }
}
story-link = Fait partie du sujet { $link } ({ count-articles } de { count-outlets })
copies-label = Copies de cet article
copied-by = Copié par :
copy-line = { $link } ({ $source }, { $gap } { gap-order }) · { link-kind } · confiance { $confidence }
stories-title = Sujets
stories-sort-label = Ordre
stories-biggest = Les plus couverts
stories-newest = Les plus récents
stories-empty = Aucun sujet pour l’instant : un sujet apparaît dès que deux articles rapportent le même événement.
story-counts = { count-articles } de { count-outlets }
story-first = premier article { $time }
story-latest = dernier { $time }
story-outlets = Médias
story-outlet-articles = { count-articles }
story-first-to-report = premier à en parler
story-copies-only = copies uniquement
story-groups = Par langue et par pays
story-timeline = Chronologie
story-copies = Copies
story-copy-of = { link-kind-of } { $link }
article-number = article { $id }
fetch-status = { $status ->
    [ok] ok
    [not_modified] inchangé
    [failed] échec
    [never] jamais récupéré
   *[other] { $status }
}
error-heading = { $status ->
    [400] Requête invalide
    [404] Page introuvable
    [405] Méthode non autorisée
    [413] Requête trop volumineuse
    [500] Erreur interne du serveur
    [503] Service indisponible
   *[other] Erreur
}
backend-openai = un modèle compatible OpenAI
group-unknown = inconnu
# The chrome while background work runs, and the empty home page (newcomer help).
time-exact = { time-date } à { $time } UTC
no-articles-hint = Ajoutez une source, puis récupérez ses articles (ou lancez newsdesk serve, qui les récupère en arrière-plan) :
busy-fetching = Récupération en cours : { $sources_done } sources lues sur { $sources_total }, { $articles ->
    [one] { $articles } article enregistré
   *[other] { $articles } articles enregistrés
} pour l’instant. Cette page se remplit à mesure que les articles arrivent ; rechargez-la dans un instant.
busy-translating = Traduction en cours : { $done } { $total ->
    [one] article traduit sur { $total }
   *[other] articles traduits sur { $total }
}. Rechargez la page dans un instant pour en voir davantage.
busy-stories = Regroupement des nouveaux articles en sujets et rattachement des copies à leurs originaux en cours ; tous les articles sont là. Rechargez dans un instant pour voir les sujets.
# Source profiles ($code is a State Media Monitor typology code, $group a typology group).
typology-name = { $code ->
    [SC] Média contrôlé par l’État
    [CaPu] Média public capturé / géré par l’État
    [CaPr] Média privé capturé
    [ISFM] Média indépendant financé et géré par l’État
    [ISF] Média indépendant financé par l’État
    [ISM] Média indépendant géré par l’État
    [IP] Média public indépendant
   *[other] Non classé
}
typology-in-sentence = { $code ->
    [SC] média contrôlé par l’État
    [CaPu] média public capturé / géré par l’État
    [CaPr] média privé capturé
    [ISFM] média indépendant financé et géré par l’État
    [ISF] média indépendant financé par l’État
    [ISM] média indépendant géré par l’État
    [IP] média public indépendant
   *[other] non classé
}
typology-uncertain = (incertain)
typology-group = { $group ->
    [state-controlled] Contrôlés par l’État
    [independent] Indépendants (classés)
   *[not-classified] Non classés
}
country-guess = (supposé)
fact-owner = Propriétaire
fact-typology = Classification
fact-type = Type
fact-matrix-asset = Entrée de la State Media Matrix
fact-origin = { $origin ->
    [matrix] State Media Matrix
    [feed] le flux
    [operator] l’opérateur
   *[guess] supposition de newsdesk
}
profile-facts = D’où viennent ces informations
provenance-state = { $kind ->
    [copy] Copie d’un article de
    [translated_copy] Traduction d’un article de
    [shares_quotes] Citations partagées avec un article de
   *[other] Lié à un article de
} { $source }, { typology-in-sentence }, { $country }
coverage-title = Couverture
coverage-by-country = Par pays
coverage-by-typology = Par propriété
coverage-by-language = Par langue
coverage-row = { count-outlets }, { count-articles }
coverage-only-state = Seuls des médias contrôlés par l’État ont rapporté ce sujet.
about-typology-title = Qui contrôle le média : la typologie
about-typology-intro = Les médias répertoriés dans la State Media Matrix sont classés selon qui contrôle leur financement, leur gouvernance et leur propriété, et leur ligne éditoriale. Un média absent de la liste est « non classé » : cela ne dit rien de son indépendance.
about-typology-uncertain = Une classification marquée « (incertain) » est jugée incertaine par les données elles-mêmes.
about-col-code = Code
about-col-model = Modèle
about-col-funding = Financement
about-col-governance = Gouvernance et propriété
about-col-editorial = Ligne éditoriale
about-value = { $value ->
    [state] l’État
    [not-state] pas l’État
    [either] l’un ou l’autre
   *[independent] indépendante
}
about-license = Licence des données
# A story title translated by a machine (after the title, in brackets).
machine-translated-title = traduction automatique
# Language switcher: the site with every article in its own language.
switcher-original = Langues d’origine
