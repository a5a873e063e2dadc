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
card-untranslated = non traduit ({ lang-name })
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
