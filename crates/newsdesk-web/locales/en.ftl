# newsdesk interface strings: English (the reference; every other locale has the same keys).
skip-link = Skip to content
sample-banner-strong = Sample data
sample-banner-rest = — fictional outlets and events
nav-main = Main
nav-latest = Latest
nav-stories = Stories
nav-sources = Sources
nav-search = Search
nav-feed = Feed
switcher-label = Editions
footer-about = { $site } collects articles from the sources it follows and links every one back to its original.
footer-feeds = Feeds:
footer-api = JSON API
latest-articles = Latest articles
older-articles = Older articles
older-articles-link = Older articles →
newest-link = ← Newest
pages-label = Pages
no-articles = No articles yet.
no-source-articles = No articles from this source.
no-source-articles-older = No articles from this source older than these.
no-articles-older = No articles older than these yet.
language-label = Language
tags-label = Tags
by-authors = By
published = Published
fetched = Fetched
publication-unknown = (publication time unknown)
source-label = Source:
read-original-at = read the original at { $site }
not-web-link = (the original link is not a web address)
origin-note = This is the summary from the source's feed: the full article could not be used ({ $note }).
translation-label = Translation
lang-name = { $lang ->
    [en] English
    [fr] French
    [es] Spanish
    [de] German
    [it] Italian
    [pt] Portuguese
   *[other] the language “{ $lang }”
}
translated-from = Translated from { lang-name } by { $backend } (machine translation).
translation-route = Route: { $route }
translation-kept = { $count ->
    [one] One sentence could not be translated and is shown in its original language.
   *[other] { $count } sentences could not be translated and are shown in their original language.
}
translation-body-pending = The text below has not been translated yet; it is shown in its original language.
show-translation = Translation only
show-original = Original only
show-both = Both side by side
original-page = Original article on this site
original-text = Original text
untranslated-notice = Not translated: no translation from { lang-name } is available for this edition. The article is shown in its original language.
untranslated-pending = Not translated yet. The article is shown in its original language.
card-translated = translated from { lang-name }
# The language's bare name, after a preposition ("original in German").
lang-bare = { $lang ->
    [en] English
    [fr] French
    [es] Spanish
    [de] German
    [it] Italian
    [pt] Portuguese
   *[other] the language “{ $lang }”
}
card-untranslated = not translated (original in { lang-bare })
no-sources = No sources yet.
fact-feed = Feed
fact-site = Site
fact-country = Country
fact-last-fetch = Last fetch
fact-failures = { $count } failures in a row
fact-last-error = Last error
fact-articles = Articles
error-back = Back to the latest articles
search-label = Words to find in titles and texts
search-button = Search
search-results = { $count ->
    [one] { $count } result, best match first.
   *[other] { $count } results, best match first.
}
search-none = No article matches every word.
translation-human = Translated from { lang-name } by { $backend }.
# Relative times ($count is a number; plural rules of the locale).
time-just-now = just now
time-minutes-ago = { $count } min ago
time-hours-ago = { $count } h ago
time-days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}
time-in-minutes = in { $count } min
time-in-hours = { $count ->
    [one] in { $count } hour
   *[other] in { $count } hours
}
time-in-days = { $count ->
    [one] in { $count } day
   *[other] in { $count } days
}
month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
time-date = { $day } { month-short } { $year }
# The time between an original and its copy.
gap-under-minute = less than a minute
gap-minutes = { $count } min
gap-hours = { $count } h
gap-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
gap-order = { $order ->
    [earlier] earlier
   *[later] later
}
# Stories and provenance ($link is a link, $time a time element).
link-kind-of = { $kind ->
    [copy] Copy of
    [translated_copy] Translated copy of
    [shares_quotes] Shares quotes with
   *[other] Related to
}
link-kind = { $kind ->
    [copy] copy
    [translated_copy] translated copy
    [shares_quotes] shares quotes
   *[other] related
}
count-articles = { $articles ->
    [one] { $articles } article
   *[other] { $articles } articles
}
count-outlets = { $outlets ->
    [one] { $outlets } outlet
   *[other] { $outlets } outlets
}
provenance-label = Provenance
provenance-line = { link-kind-of } { $link } published by { $source } { $gap } { gap-order }
provenance-via = (matched through { $link })
provenance-via-link = a copy of it
confidence = confidence { $value }
evidence = Evidence
evidence-signal = { $signal ->
    [shared_text] shared text
    [paragraph_structure] paragraph structure
    [numbers] numbers
    [names] names
    [quote] quote
    [url] link
   *[other] { $signal }
}
story-link = Part of the story { $link } ({ count-articles } from { count-outlets })
copies-label = Copies of this article
copied-by = Copied by:
copy-line = { $link } ({ $source }, { $gap } { gap-order }) · { link-kind } · confidence { $confidence }
stories-title = Stories
stories-sort-label = Order
stories-biggest = Biggest
stories-newest = Newest
stories-empty = No stories yet: a story appears once two articles report the same event.
story-counts = { count-articles } from { count-outlets }
story-first = first { $time }
story-latest = latest { $time }
story-outlets = Outlets
story-outlet-articles = { count-articles }
story-first-to-report = first to report
story-copies-only = copies only
story-groups = By language and country
story-timeline = Timeline
story-copies = Copies
story-copy-of = { link-kind-of } { $link }
article-number = article { $id }
fetch-status = { $status ->
    [ok] ok
    [not_modified] not modified
    [failed] failed
    [never] never
   *[other] { $status }
}
error-heading = { $status ->
    [400] Bad Request
    [404] Not Found
    [405] Method Not Allowed
    [413] Payload Too Large
    [500] Internal Server Error
    [503] Service Unavailable
   *[other] Error
}
backend-openai = an OpenAI-compatible model
group-unknown = unknown
# The chrome while background work runs, and the empty home page (newcomer help).
time-exact = { time-date }, { $time } UTC
no-articles-hint = Add a news source, then fetch it (or run newsdesk serve, which fetches in the background):
busy-fetching = Still fetching: { $sources_done } of { $sources_total } sources read, { $articles ->
    [one] { $articles } article
   *[other] { $articles } articles
} stored so far. This page fills in as articles arrive; reload it in a moment.
busy-translating = Still translating: { $done } of { $total ->
    [one] { $total } article
   *[other] { $total } articles
} done. Reload in a moment to see more of them translated.
busy-stories = Still grouping the new articles into stories and linking copies to their originals; the articles are all here. Reload in a moment to see the stories.
# Source profiles ($code is a State Media Monitor typology code, $group a typology group).
typology-name = { $code ->
    [SC] State-controlled media
    [CaPu] Captured public / state-managed media
    [CaPr] Captured private media
    [ISFM] Independent state-funded and state-managed media
    [ISF] Independent state-funded media
    [ISM] Independent state-managed media
    [IP] Independent public media
   *[other] Not classified
}
typology-in-sentence = { $code ->
    [SC] state-controlled media
    [CaPu] captured public / state-managed media
    [CaPr] captured private media
    [ISFM] independent state-funded and state-managed media
    [ISF] independent state-funded media
    [ISM] independent state-managed media
    [IP] independent public media
   *[other] not classified
}
typology-uncertain = (uncertain)
typology-group = { $group ->
    [state-controlled] State-controlled
    [independent] Independent (classified)
   *[not-classified] Not classified
}
country-guess = (guess)
fact-owner = Owner
fact-typology = Classification
fact-type = Type
fact-matrix-asset = State Media Matrix entry
fact-origin = { $origin ->
    [matrix] State Media Matrix
    [feed] the feed
    [operator] the operator
   *[guess] newsdesk's guess
}
profile-facts = Where these facts come from
provenance-state = { link-kind-of } an article by { $source }, { typology-in-sentence }, { $country }
coverage-title = Coverage
coverage-by-country = By country
coverage-by-typology = By ownership
coverage-by-language = By language
coverage-row = { count-outlets }, { count-articles }
coverage-only-state = Only state-controlled outlets reported this story.
about-typology-title = Who controls the outlet: the typology
about-typology-intro = Outlets listed in the State Media Matrix are classified by who controls their funding, their governance and ownership, and their editorial line. An outlet that is not listed is “not classified”: that says nothing about its independence.
about-typology-uncertain = A classification marked “(uncertain)” is one the data itself marks as uncertain.
about-col-code = Code
about-col-model = Model
about-col-funding = Funding
about-col-governance = Governance and ownership
about-col-editorial = Editorial line
about-value = { $value ->
    [state] state
    [not-state] not state
    [either] either
   *[independent] independent
}
about-license = Licence of the data
# A story title translated by a machine (after the title, in brackets).
machine-translated-title = machine translation
# Language switcher: the site with every article in its own language.
switcher-original = Original languages
