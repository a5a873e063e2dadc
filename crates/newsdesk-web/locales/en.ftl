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
card-untranslated = not translated ({ lang-name })
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
