# newsdesk interface strings: German.
skip-link = Zum Inhalt springen
sample-banner-strong = Beispieldaten
sample-banner-rest = — erfundene Medien und Ereignisse
nav-main = Hauptmenü
nav-latest = Neueste
nav-stories = Themen
nav-sources = Quellen
nav-search = Suche
nav-feed = Feed
switcher-label = Ausgaben
footer-about = { $site } sammelt Artikel aus den Quellen, denen es folgt, und verlinkt jeden mit seinem Original.
footer-feeds = Feeds:
footer-api = JSON-API
latest-articles = Neueste Artikel
older-articles = Ältere Artikel
older-articles-link = Ältere Artikel →
newest-link = ← Neueste
pages-label = Seiten
no-articles = Noch keine Artikel.
no-source-articles = Keine Artikel aus dieser Quelle.
no-source-articles-older = Keine älteren Artikel aus dieser Quelle.
no-articles-older = Keine älteren Artikel.
language-label = Sprache
tags-label = Schlagwörter
by-authors = Von
published = Veröffentlicht am
fetched = Abgerufen am
publication-unknown = (Veröffentlichungszeit unbekannt)
source-label = Quelle:
read-original-at = Original bei { $site } lesen
not-web-link = (der Originallink ist keine Webadresse)
origin-note = Dies ist die Zusammenfassung aus dem Feed der Quelle: der vollständige Artikel war nicht verwendbar ({ $note }).
translation-label = Übersetzung
lang-name = { $lang ->
    [en] dem Englischen
    [fr] dem Französischen
    [es] dem Spanischen
    [de] dem Deutschen
    [it] dem Italienischen
    [pt] dem Portugiesischen
   *[other] der Sprache „{ $lang }“
}
translated-from = Aus { lang-name } übersetzt von { $backend } (maschinelle Übersetzung).
translation-route = Weg: { $route }
translation-kept = { $count ->
    [one] Ein Satz konnte nicht übersetzt werden und steht in der Originalsprache.
   *[other] { $count } Sätze konnten nicht übersetzt werden und stehen in der Originalsprache.
}
translation-body-pending = Der folgende Text ist noch nicht übersetzt; er steht in der Originalsprache.
show-translation = Nur Übersetzung
show-original = Nur Original
show-both = Beides nebeneinander
original-page = Originalartikel auf dieser Website
original-text = Originaltext
untranslated-notice = Nicht übersetzt: für diese Ausgabe gibt es keine Übersetzung aus { lang-name }. Der Artikel steht in seiner Originalsprache.
untranslated-pending = Noch nicht übersetzt. Der Artikel steht in seiner Originalsprache.
card-translated = übersetzt aus { lang-name }
card-untranslated = nicht übersetzt ({ lang-name })
no-sources = Noch keine Quellen.
fact-feed = Feed
fact-site = Website
fact-country = Land
fact-last-fetch = Letzter Abruf
fact-failures = { $count } Fehlschläge in Folge
fact-last-error = Letzter Fehler
fact-articles = Artikel
error-back = Zurück zu den neuesten Artikeln
search-label = Wörter, die in Titeln und Texten gesucht werden
search-button = Suchen
search-results = { $count ->
    [one] { $count } Treffer, bester zuerst.
   *[other] { $count } Treffer, beste zuerst.
}
search-none = Kein Artikel enthält alle Wörter.
