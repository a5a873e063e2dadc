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
translation-human = Traducido desde { lang-name } por { $backend }.
# Tiempos relativos.
time-just-now = ahora mismo
time-minutes-ago = hace { $count } min
time-hours-ago = hace { $count } h
time-days-ago = { $count ->
    [one] hace { $count } día
   *[other] hace { $count } días
}
time-in-minutes = dentro de { $count } min
time-in-hours = { $count ->
    [one] dentro de { $count } hora
   *[other] dentro de { $count } horas
}
time-in-days = { $count ->
    [one] dentro de { $count } día
   *[other] dentro de { $count } días
}
month-short = { $month ->
    [1] ene
    [2] feb
    [3] mar
    [4] abr
    [5] may
    [6] jun
    [7] jul
    [8] ago
    [9] sept
    [10] oct
    [11] nov
   *[12] dic
}
time-date = { $day } { month-short } { $year }
gap-under-minute = menos de un minuto
gap-minutes = { $count } min
gap-hours = { $count } h
gap-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
gap-order = { $order ->
    [earlier] antes
   *[later] después
}
# Temas y procedencia.
link-kind-of = { $kind ->
    [copy] Copia de
    [translated_copy] Copia traducida de
    [shares_quotes] Comparte citas con
   *[other] Relacionado con
}
link-kind = { $kind ->
    [copy] copia
    [translated_copy] copia traducida
    [shares_quotes] citas compartidas
   *[other] relacionado
}
count-articles = { $articles ->
    [one] { $articles } artículo
   *[other] { $articles } artículos
}
count-outlets = { $outlets ->
    [one] { $outlets } medio
   *[other] { $outlets } medios
}
provenance-label = Procedencia
provenance-line = { link-kind-of } { $link }, publicado por { $source } { $gap } { gap-order }
provenance-via = (detectado a través de { $link })
provenance-via-link = una copia suya
confidence = confianza { $value }
evidence = Indicios
evidence-signal = { $signal ->
    [shared_text] texto común
    [paragraph_structure] estructura de párrafos
    [numbers] números
    [names] nombres
    [quote] cita
    [url] enlace
   *[other] { $signal }
}
story-link = Forma parte del tema { $link } ({ count-articles } de { count-outlets })
copies-label = Copias de este artículo
copied-by = Copiado por:
copy-line = { $link } ({ $source }, { $gap } { gap-order }) · { link-kind } · confianza { $confidence }
stories-title = Temas
stories-sort-label = Orden
stories-biggest = Más cubiertos
stories-newest = Más recientes
stories-empty = Aún no hay temas: un tema aparece cuando dos artículos informan del mismo hecho.
story-counts = { count-articles } de { count-outlets }
story-first = primero { $time }
story-latest = último { $time }
story-outlets = Medios
story-outlet-articles = { count-articles }
story-first-to-report = el primero en informar
story-copies-only = solo copias
story-groups = Por idioma y país
story-timeline = Cronología
story-copies = Copias
story-copy-of = { link-kind-of } { $link }
article-number = artículo { $id }
fetch-status = { $status ->
    [ok] correcto
    [not_modified] sin cambios
    [failed] error
    [never] nunca consultado
   *[other] { $status }
}
error-heading = { $status ->
    [400] Solicitud incorrecta
    [404] Página no encontrada
    [405] Método no permitido
    [413] Solicitud demasiado grande
    [500] Error interno del servidor
    [503] Servicio no disponible
   *[other] Error
}
backend-openai = un modelo compatible con OpenAI
group-unknown = desconocido
# A story title translated by a machine (after the title, in brackets).
machine-translated-title = traducción automática
# Language switcher: the site with every article in its own language.
switcher-original = Idiomas originales
