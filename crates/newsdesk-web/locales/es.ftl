# newsdesk interface strings: Spanish.
skip-link = Ir al contenido
sample-banner-strong = Datos de ejemplo
sample-banner-rest = — medios y sucesos ficticios
nav-main = Principal
nav-latest = Portada
nav-stories = Temas
nav-sources = Fuentes
nav-search = Buscar
nav-feed = Canal
switcher-label = Ediciones
footer-about = { $site } reúne artículos de las fuentes que sigue y enlaza cada uno con su original.
footer-feeds = Canales:
footer-api = API JSON
latest-articles = Últimos artículos
older-articles = Artículos anteriores
older-articles-link = Artículos anteriores →
newest-link = ← Más recientes
pages-label = Páginas
no-articles = Todavía no hay artículos.
no-source-articles = No hay artículos de esta fuente.
no-source-articles-older = No hay artículos anteriores de esta fuente.
no-articles-older = No hay artículos anteriores a estos.
language-label = Idioma
tags-label = Etiquetas
by-authors = Por
published = Publicado el
fetched = Obtenido el
publication-unknown = (fecha de publicación desconocida)
source-label = Fuente:
read-original-at = leer el original en { $site }
not-web-link = (el enlace original no es una dirección web)
origin-note = Este es el resumen del canal de la fuente: no se pudo usar el artículo completo ({ $note }).
translation-label = Traducción
lang-name = { $lang ->
    [en] el inglés
    [fr] el francés
    [es] el español
    [de] el alemán
    [it] el italiano
    [pt] el portugués
   *[other] el idioma «{ $lang }»
}
translated-from = Traducido desde { lang-name } por { $backend } (traducción automática).
translation-route = Ruta: { $route }
translation-kept = { $count ->
    [one] Una frase no se pudo traducir y se muestra en su idioma original.
   *[other] { $count } frases no se pudieron traducir y se muestran en su idioma original.
}
translation-body-pending = El texto siguiente aún no está traducido; se muestra en su idioma original.
show-translation = Solo la traducción
show-original = Solo el original
show-both = Ambos lado a lado
original-page = Artículo original en este sitio
original-text = Texto original
untranslated-notice = Sin traducir: no hay traducción desde { lang-name } para esta edición. El artículo se muestra en su idioma original.
untranslated-pending = Aún sin traducir. El artículo se muestra en su idioma original.
card-translated = traducido desde { lang-name }
card-untranslated = sin traducir ({ lang-name })
no-sources = Todavía no hay fuentes.
fact-feed = Canal
fact-site = Sitio
fact-country = País
fact-last-fetch = Última descarga
fact-failures = { $count } fallos seguidos
fact-last-error = Último error
fact-articles = Artículos
error-back = Volver a los últimos artículos
search-label = Palabras que buscar en títulos y textos
search-button = Buscar
search-results = { $count ->
    [one] { $count } resultado, el más pertinente primero.
   *[other] { $count } resultados, los más pertinentes primero.
}
search-none = Ningún artículo contiene todas las palabras.
