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
# The language's bare name, after a preposition ("original in German").
lang-bare = { $lang ->
    [en] inglés
    [fr] francés
    [es] español
    [de] alemán
    [it] italiano
    [pt] portugués
   *[other] el idioma «{ $lang }»
}
card-untranslated = sin traducir (original en { lang-bare })
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
# The chrome while background work runs, and the empty home page (newcomer help).
time-exact = { time-date }, { $time } UTC
no-articles-hint = Añada una fuente y recupere sus artículos (o ejecute newsdesk serve, que los recupera en segundo plano):
busy-fetching = Recuperando: { $sources_done } de { $sources_total } fuentes leídas, { $articles ->
    [one] { $articles } artículo guardado
   *[other] { $articles } artículos guardados
} hasta ahora. Esta página se va llenando a medida que llegan los artículos; vuelva a cargarla en un momento.
busy-translating = Traduciendo: { $done } de { $total ->
    [one] { $total } artículo
   *[other] { $total } artículos
} traducidos. Vuelva a cargar en un momento para ver más.
busy-stories = Agrupando los artículos nuevos en temas y enlazando las copias con sus originales; todos los artículos ya están aquí. Vuelva a cargar en un momento para ver los temas.
# Source profiles ($code is a State Media Monitor typology code, $group a typology group).
typology-name = { $code ->
    [SC] Medio controlado por el Estado
    [CaPu] Medio público capturado / gestionado por el Estado
    [CaPr] Medio privado capturado
    [ISFM] Medio independiente financiado y gestionado por el Estado
    [ISF] Medio independiente financiado por el Estado
    [ISM] Medio independiente gestionado por el Estado
    [IP] Medio público independiente
   *[other] Sin clasificar
}
typology-in-sentence = { $code ->
    [SC] medio controlado por el Estado
    [CaPu] medio público capturado / gestionado por el Estado
    [CaPr] medio privado capturado
    [ISFM] medio independiente financiado y gestionado por el Estado
    [ISF] medio independiente financiado por el Estado
    [ISM] medio independiente gestionado por el Estado
    [IP] medio público independiente
   *[other] sin clasificar
}
typology-uncertain = (incierto)
typology-group = { $group ->
    [state-controlled] Controlados por el Estado
    [independent] Independientes (clasificados)
   *[not-classified] Sin clasificar
}
country-guess = (supuesto)
fact-owner = Propietario
fact-typology = Clasificación
fact-type = Tipo
fact-matrix-asset = Entrada de la State Media Matrix
fact-origin = { $origin ->
    [matrix] State Media Matrix
    [feed] el feed
    [operator] el operador
   *[guess] suposición de newsdesk
}
profile-facts = De dónde vienen estos datos
provenance-state = { $kind ->
    [copy] Copia de un artículo de
    [translated_copy] Traducción de un artículo de
    [shares_quotes] Comparte citas con un artículo de
   *[other] Relacionado con un artículo de
} { $source }, { typology-in-sentence }, { $country }
coverage-title = Cobertura
coverage-by-country = Por país
coverage-by-typology = Por propiedad
coverage-by-language = Por idioma
coverage-row = { count-outlets }, { count-articles }
coverage-only-state = Solo medios controlados por el Estado informaron de esta historia.
about-typology-title = Quién controla el medio: la tipología
about-typology-intro = Los medios de la State Media Matrix se clasifican según quién controla su financiación, su gobernanza y propiedad, y su línea editorial. Un medio que no figura en ella está «sin clasificar»: eso no dice nada de su independencia.
about-typology-uncertain = Una clasificación marcada «(incierto)» es una que los propios datos marcan como incierta.
about-col-code = Código
about-col-model = Modelo
about-col-funding = Financiación
about-col-governance = Gobernanza y propiedad
about-col-editorial = Línea editorial
about-value = { $value ->
    [state] el Estado
    [not-state] no el Estado
    [either] cualquiera
   *[independent] independiente
}
about-license = Licencia de los datos
# A story title translated by a machine (after the title, in brackets).
machine-translated-title = traducción automática
# Language switcher: the site with every article in its own language.
switcher-original = Idiomas originales
