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
# The language's bare name, after a preposition ("original in German").
lang-bare = { $lang ->
    [en] Englisch
    [fr] Französisch
    [es] Spanisch
    [de] Deutsch
    [it] Italienisch
    [pt] Portugiesisch
   *[other] der Sprache „{ $lang }“
}
card-untranslated = nicht übersetzt (Original auf { lang-bare })
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
# The chrome while background work runs, and the empty home page (newcomer help).
time-exact = { time-date }, { $time } UTC
no-articles-hint = Fügen Sie eine Quelle hinzu und rufen Sie ihre Artikel ab (oder starten Sie newsdesk serve, das im Hintergrund abruft):
busy-fetching = Abruf läuft: { $sources_done } von { $sources_total } Quellen gelesen, bisher { $articles } Artikel gespeichert. Diese Seite füllt sich, während die Artikel eintreffen; laden Sie sie gleich neu.
busy-translating = Übersetzung läuft: { $done } von { $total ->
    [one] { $total } Artikel
   *[other] { $total } Artikeln
} übersetzt. Laden Sie die Seite gleich neu, um mehr zu sehen.
busy-stories = Die neuen Artikel werden noch zu Themen gruppiert und Kopien mit ihren Originalen verknüpft; alle Artikel sind schon da. Laden Sie gleich neu, um die Themen zu sehen.
# Source profiles ($code is a State Media Monitor typology code, $group a typology group).
typology-name = { $code ->
    [SC] Staatlich kontrolliertes Medium
    [CaPu] Vereinnahmtes öffentliches / staatlich verwaltetes Medium
    [CaPr] Vereinnahmtes privates Medium
    [ISFM] Unabhängiges, staatlich finanziertes und verwaltetes Medium
    [ISF] Unabhängiges, staatlich finanziertes Medium
    [ISM] Unabhängiges, staatlich verwaltetes Medium
    [IP] Unabhängiges öffentliches Medium
   *[other] Nicht klassifiziert
}
typology-in-sentence = { $code ->
    [SC] staatlich kontrolliertes Medium
    [CaPu] vereinnahmtes öffentliches / staatlich verwaltetes Medium
    [CaPr] vereinnahmtes privates Medium
    [ISFM] unabhängiges, staatlich finanziertes und verwaltetes Medium
    [ISF] unabhängiges, staatlich finanziertes Medium
    [ISM] unabhängiges, staatlich verwaltetes Medium
    [IP] unabhängiges öffentliches Medium
   *[other] nicht klassifiziert
}
typology-uncertain = (unsicher)
typology-group = { $group ->
    [state-controlled] Staatlich kontrolliert
    [independent] Unabhängig (klassifiziert)
   *[not-classified] Nicht klassifiziert
}
country-guess = (vermutet)
fact-owner = Eigentümer
fact-typology = Einstufung
fact-type = Art
fact-matrix-asset = Eintrag in der State Media Matrix
fact-origin = { $origin ->
    [matrix] State Media Matrix
    [feed] der Feed
    [operator] der Betreiber
   *[guess] Vermutung von newsdesk
}
profile-facts = Woher diese Angaben stammen
provenance-state = { $kind ->
    [copy] Kopie eines Artikels von
    [translated_copy] Übersetzte Kopie eines Artikels von
    [shares_quotes] Teilt Zitate mit einem Artikel von
   *[other] Verwandt mit einem Artikel von
} { $source }, { typology-in-sentence }, { $country }
coverage-title = Berichterstattung
coverage-by-country = Nach Land
coverage-by-typology = Nach Eigentum
coverage-by-language = Nach Sprache
coverage-row = { count-outlets }, { count-articles }
coverage-only-state = Nur staatlich kontrollierte Medien haben über diese Geschichte berichtet.
about-typology-title = Wer das Medium kontrolliert: die Typologie
about-typology-intro = Die Medien der State Media Matrix sind danach eingestuft, wer ihre Finanzierung, ihre Leitung und ihr Eigentum sowie ihre redaktionelle Linie kontrolliert. Ein Medium, das nicht aufgeführt ist, ist „nicht klassifiziert“: Das sagt nichts über seine Unabhängigkeit.
about-typology-uncertain = Eine als „(unsicher)“ markierte Einstufung ist eine, die die Daten selbst als unsicher kennzeichnen.
about-col-code = Code
about-col-model = Modell
about-col-funding = Finanzierung
about-col-governance = Leitung und Eigentum
about-col-editorial = Redaktionelle Linie
about-value = { $value ->
    [state] Staat
    [not-state] nicht der Staat
    [either] beides möglich
   *[independent] unabhängig
}
about-license = Lizenz der Daten
# A story title translated by a machine (after the title, in brackets).
machine-translated-title = maschinelle Übersetzung
# Language switcher: the site with every article in its own language.
switcher-original = Originalsprachen
