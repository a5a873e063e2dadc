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
translation-human = Aus { lang-name } übersetzt von { $backend }.
# Relative Zeiten.
time-just-now = gerade eben
time-minutes-ago = vor { $count } Min.
time-hours-ago = vor { $count } Std.
time-days-ago = { $count ->
    [one] vor { $count } Tag
   *[other] vor { $count } Tagen
}
time-in-minutes = in { $count } Min.
time-in-hours = { $count ->
    [one] in { $count } Stunde
   *[other] in { $count } Stunden
}
time-in-days = { $count ->
    [one] in { $count } Tag
   *[other] in { $count } Tagen
}
month-short = { $month ->
    [1] Jan.
    [2] Feb.
    [3] März
    [4] Apr.
    [5] Mai
    [6] Juni
    [7] Juli
    [8] Aug.
    [9] Sept.
    [10] Okt.
    [11] Nov.
   *[12] Dez.
}
time-date = { $day }. { month-short } { $year }
gap-under-minute = weniger als eine Minute
gap-minutes = { $count } Min.
gap-hours = { $count } Std.
gap-days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
gap-order = { $order ->
    [earlier] früher
   *[later] später
}
# Themen und Herkunft.
link-kind-of = { $kind ->
    [copy] Kopie von
    [translated_copy] Übersetzte Kopie von
    [shares_quotes] Teilt Zitate mit
   *[other] Verwandt mit
}
link-kind = { $kind ->
    [copy] Kopie
    [translated_copy] übersetzte Kopie
    [shares_quotes] gemeinsame Zitate
   *[other] verwandt
}
count-articles = { $articles ->
    [one] { $articles } Artikel
   *[other] { $articles } Artikel
}
count-outlets = { $outlets ->
    [one] { $outlets } Medium
   *[other] { $outlets } Medien
}
provenance-label = Herkunft
provenance-line = { link-kind-of } { $link }, veröffentlicht von { $source } { $gap } { gap-order }
provenance-via = (erkannt über { $link })
provenance-via-link = eine Kopie davon
confidence = Sicherheit { $value }
evidence = Belege
evidence-signal = { $signal ->
    [shared_text] gemeinsamer Text
    [paragraph_structure] Absatzstruktur
    [numbers] Zahlen
    [names] Namen
    [quote] Zitat
    [url] Link
   *[other] { $signal }
}
story-link = Teil des Themas { $link } ({ count-articles } aus { count-outlets })
copies-label = Kopien dieses Artikels
copied-by = Kopiert von:
copy-line = { $link } ({ $source }, { $gap } { gap-order }) · { link-kind } · Sicherheit { $confidence }
stories-title = Themen
stories-sort-label = Reihenfolge
stories-biggest = Meistberichtet
stories-newest = Neueste
stories-empty = Noch keine Themen: Ein Thema entsteht, sobald zwei Artikel über dasselbe Ereignis berichten.
story-counts = { count-articles } aus { count-outlets }
story-first = zuerst { $time }
story-latest = zuletzt { $time }
story-outlets = Medien
story-outlet-articles = { count-articles }
story-first-to-report = berichtete zuerst
story-copies-only = nur Kopien
story-groups = Nach Sprache und Land
story-timeline = Zeitleiste
story-copies = Kopien
story-copy-of = { link-kind-of } { $link }
article-number = Artikel { $id }
fetch-status = { $status ->
    [ok] ok
    [not_modified] unverändert
    [failed] fehlgeschlagen
    [never] nie abgerufen
   *[other] { $status }
}
error-heading = { $status ->
    [400] Ungültige Anfrage
    [404] Seite nicht gefunden
    [405] Methode nicht erlaubt
    [413] Anfrage zu groß
    [500] Interner Serverfehler
    [503] Dienst nicht verfügbar
   *[other] Fehler
}
backend-openai = ein OpenAI-kompatibles Modell
group-unknown = unbekannt
# A story title translated by a machine (after the title, in brackets).
machine-translated-title = maschinelle Übersetzung
# Language switcher: the site with every article in its own language.
switcher-original = Originalsprachen
