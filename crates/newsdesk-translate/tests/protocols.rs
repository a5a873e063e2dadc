//! The external services' documented protocols, against local servers on 127.0.0.1 that speak
//! them (LibreTranslate `/translate`, DeepL API v2, OpenAI chat completions), including their
//! error and rate-limit answers; and the translator's retries, checks, markers and budget over
//! them.
#![allow(clippy::unwrap_used)] // test servers: a failed unwrap is a failed test

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use newsdesk_translate::{
    Backend, DeepL, LangPair, LibreTranslate, ManagedBackend, MemoryCache, OpenAiChat, RetryPolicy,
    SegmentStatus, TranslateError, TranslationCache, Translator, TranslatorOptions,
};
use serde_json::{Value, json};

/// What the fake services do, switched by the test.
#[derive(Default)]
struct Service {
    /// Requests received.
    requests: AtomicUsize,
    /// Answer 429 (with Retry-After: 0) to this many requests first.
    rate_limit_first: AtomicUsize,
    /// Answer this status (with the service's error body) to every request when non-zero.
    fail_status: AtomicUsize,
}

/// The fake "translation": upper-case, placeholders untouched. A segment containing "drop"
/// loses its placeholders when sent in a batch; one containing "always" loses them always.
fn fake_translate(s: &str, batch: bool) -> String {
    if s.contains("always") || (batch && s.contains("drop")) {
        return s
            .split_whitespace()
            .filter(|w| !w.contains("ZZ"))
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase();
    }
    s.to_uppercase()
}

fn rate_limited() -> Response {
    let mut h = HeaderMap::new();
    h.insert("retry-after", "0".parse().unwrap());
    (
        StatusCode::TOO_MANY_REQUESTS,
        h,
        Json(json!({"error": "Slowdown: too many requests"})),
    )
        .into_response()
}

async fn gate(svc: &Service) -> Option<Response> {
    svc.requests.fetch_add(1, Ordering::SeqCst);
    if svc
        .rate_limit_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return Some(rate_limited());
    }
    None
}

async fn libre(State(svc): State<Arc<Service>>, Json(body): Json<Value>) -> Response {
    if let Some(r) = gate(&svc).await {
        return r;
    }
    match svc.fail_status.load(Ordering::SeqCst) {
        0 => {}
        403 => {
            return (
                StatusCode::FORBIDDEN,
                Json(json!({"error": "Invalid API key"})),
            )
                .into_response();
        }
        s => {
            let code = StatusCode::from_u16(s as u16).unwrap();
            return (code, Json(json!({"error": "Internal error"}))).into_response();
        }
    }
    assert_eq!(body["format"], "text");
    assert_eq!(body["api_key"], "secret");
    let Some(q) = body["q"].as_array() else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "Invalid request: missing q parameter"})),
        )
            .into_response();
    };
    let batch = q.len() > 1;
    let out: Vec<String> = q
        .iter()
        .map(|s| fake_translate(s.as_str().unwrap(), batch))
        .collect();
    Json(json!({"translatedText": out})).into_response()
}

async fn deepl(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = gate(&svc).await {
        return r;
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("DeepL-Auth-Key k-123:fx")
    {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"message": "Wrong auth key"})),
        )
            .into_response();
    }
    if svc.fail_status.load(Ordering::SeqCst) == 456 {
        return (
            StatusCode::from_u16(456).unwrap(),
            Json(json!({"message": "Quota exceeded"})),
        )
            .into_response();
    }
    assert_eq!(body["target_lang"], "EN-GB");
    assert_eq!(body["source_lang"], "DE");
    let texts = body["text"].as_array().unwrap();
    let out: Vec<Value> = texts
        .iter()
        .map(|t| json!({"detected_source_language": "DE", "text": fake_translate(t.as_str().unwrap(), false)}))
        .collect();
    Json(json!({"translations": out})).into_response()
}

async fn openai(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = gate(&svc).await {
        return r;
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer sk-test") {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}})),
        )
            .into_response();
    }
    if svc.fail_status.load(Ordering::SeqCst) == 429 {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "code": "insufficient_quota"}})),
        )
            .into_response();
    }
    assert_eq!(body["model"], "tiny-translator");
    assert_eq!(body["messages"][0]["role"], "system");
    let user: Vec<String> =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    let mut out: Vec<String> = user.iter().map(|s| fake_translate(s, false)).collect();
    if user.iter().any(|s| s.contains("short")) {
        out.pop(); // a model that forgets one line
    }
    let content = format!("```json\n{}\n```", serde_json::to_string(&out).unwrap());
    Json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "tiny-translator",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
    }))
    .into_response()
}

async fn start(svc: Arc<Service>) -> SocketAddr {
    serve(
        Router::new()
            .route("/translate", post(libre))
            .route("/v2/translate", post(deepl))
            .route("/v1/chat/completions", post(openai))
            .with_state(svc),
    )
    .await
}

/// Serves `app` on a free port of 127.0.0.1.
async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    addr
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_secs(5),
    }
}

fn libre_backend(addr: SocketAddr) -> LibreTranslate {
    LibreTranslate::new(
        "libre",
        &format!("http://{addr}"),
        Some("secret".to_string()),
        vec![LangPair::parse("en-fr").unwrap()],
        Duration::from_secs(10),
    )
    .unwrap()
}

fn segs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn libretranslate_protocol_and_errors() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    let b = libre_backend(addr);
    let out = b
        .translate(&segs(&["hello", "world"]), "en", "fr")
        .await
        .unwrap();
    assert_eq!(out, vec!["HELLO", "WORLD"]);

    svc.fail_status.store(403, Ordering::SeqCst);
    let e = b.translate(&segs(&["x"]), "en", "fr").await.unwrap_err();
    assert!(
        matches!(e, TranslateError::Service { status: 403, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("Invalid API key"), "{e}");
    assert!(!e.is_transient());

    svc.fail_status.store(500, Ordering::SeqCst);
    let e = b.translate(&segs(&["x"]), "en", "fr").await.unwrap_err();
    assert!(e.is_transient(), "5xx is worth retrying: {e}");

    svc.fail_status.store(0, Ordering::SeqCst);
    svc.rate_limit_first.store(1, Ordering::SeqCst);
    let e = b.translate(&segs(&["x"]), "en", "fr").await.unwrap_err();
    assert!(
        matches!(e, TranslateError::RateLimited { retry_after: Some(d), .. } if d.is_zero()),
        "{e}"
    );
}

#[tokio::test]
async fn deepl_protocol_and_errors() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    let pairs = vec![LangPair::parse("de-en").unwrap()];
    let b = DeepL::new(
        "deepl",
        &format!("http://{addr}"),
        "k-123:fx".to_string(),
        pairs.clone(),
        Duration::from_secs(10),
    )
    .unwrap();
    let out = b
        .translate(&segs(&["guten tag ZZ1ZZ"]), "de", "en")
        .await
        .unwrap();
    assert_eq!(out, vec!["GUTEN TAG ZZ1ZZ"]);

    let wrong = DeepL::new(
        "deepl",
        &format!("http://{addr}"),
        "bad".to_string(),
        pairs,
        Duration::from_secs(10),
    )
    .unwrap();
    let e = wrong
        .translate(&segs(&["x"]), "de", "en")
        .await
        .unwrap_err();
    assert!(
        matches!(e, TranslateError::Service { status: 403, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("Wrong auth key"));

    svc.fail_status.store(456, Ordering::SeqCst);
    let e = b.translate(&segs(&["x"]), "de", "en").await.unwrap_err();
    assert!(matches!(e, TranslateError::QuotaExceeded { .. }), "{e}");
    assert!(!e.is_transient(), "an exhausted quota is not retried");
}

#[tokio::test]
async fn openai_protocol_and_errors() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    let pairs = vec![LangPair::parse("*").unwrap()];
    let b = OpenAiChat::new(
        "llm",
        &format!("http://{addr}/v1"),
        Some("sk-test".to_string()),
        "tiny-translator",
        pairs.clone(),
        Duration::from_secs(10),
    )
    .unwrap();
    assert!(b.supports("ja", "de"));
    let out = b
        .translate(&segs(&["one", "two \"q\""]), "en", "de")
        .await
        .unwrap();
    assert_eq!(out, vec!["ONE", "TWO \"Q\""]);

    let e = b
        .translate(&segs(&["short", "b"]), "en", "de")
        .await
        .unwrap_err();
    assert!(matches!(e, TranslateError::BadAnswer { .. }), "{e}");

    let nokey = OpenAiChat::new(
        "llm",
        &format!("http://{addr}"),
        None,
        "tiny-translator",
        pairs,
        Duration::from_secs(10),
    )
    .unwrap();
    let e = nokey
        .translate(&segs(&["x"]), "en", "de")
        .await
        .unwrap_err();
    assert!(
        matches!(e, TranslateError::Service { status: 401, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("Incorrect API key"));

    svc.fail_status.store(429, Ordering::SeqCst);
    let e = b.translate(&segs(&["x"]), "en", "de").await.unwrap_err();
    assert!(
        matches!(e, TranslateError::QuotaExceeded { .. }),
        "insufficient_quota is a quota, not a slowdown: {e}"
    );
}

fn translator(b: ManagedBackend, cache: Arc<dyn TranslationCache>) -> Translator {
    Translator::new(vec![b], cache, TranslatorOptions::default())
}

#[tokio::test]
async fn rate_limits_are_retried_with_backoff_and_counted() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    svc.rate_limit_first.store(2, Ordering::SeqCst);
    let t = translator(
        ManagedBackend::new(Box::new(libre_backend(addr))).with_retry(fast_retry()),
        Arc::new(MemoryCache::new()),
    );
    let tr = t
        .translate_text("The vote is on 12 May.", "en", "fr")
        .await
        .unwrap();
    // The date is protected from the backend and written the French way.
    assert_eq!(tr.text, "THE VOTE IS ON 12 mai.");
    assert_eq!(
        svc.requests.load(Ordering::SeqCst),
        3,
        "two 429s, then success"
    );
    let u = t.run_usage()["libre"];
    assert_eq!((u.calls, u.errors, u.segments), (3, 2, 1));
}

#[tokio::test]
async fn a_broken_segment_is_retried_alone_then_kept_with_a_marker() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    let cache: Arc<dyn TranslationCache> = Arc::new(MemoryCache::new());
    let t = translator(
        ManagedBackend::new(Box::new(libre_backend(addr))).with_retry(fast_retry()),
        cache.clone(),
    );
    let text = "First we drop 3 items. Then 4 are fine. This always loses 5 numbers.";
    let tr = t.translate_text(text, "en", "fr").await.unwrap();
    let st: Vec<&SegmentStatus> = tr.segments.iter().map(|s| &s.status).collect();
    assert_eq!(st[0], &SegmentStatus::Retried, "fixed when sent alone");
    assert_eq!(st[1], &SegmentStatus::Translated);
    assert!(
        matches!(st[2], SegmentStatus::KeptOriginal(r) if r.contains("placeholder")),
        "{st:?}"
    );
    assert_eq!(tr.segments[0].text, "FIRST WE DROP 3 ITEMS.");
    assert_eq!(tr.segments[2].text, "[EN] This always loses 5 numbers.");
    assert!(tr.text.ends_with("[EN] This always loses 5 numbers."));
    let u = t.run_usage()["libre"];
    assert_eq!(u.kept_original, 1);
    assert_eq!(
        u.check_failures, 3,
        "drop in the batch; always in the batch and alone"
    );

    // Re-translating a copy costs nothing: the checked segments come from the cache.
    let before = svc.requests.load(Ordering::SeqCst);
    let again = t
        .translate_text("Then 4 are fine.", "en", "fr")
        .await
        .unwrap();
    assert_eq!(again.segments[0].status, SegmentStatus::Cached);
    assert_eq!(svc.requests.load(Ordering::SeqCst), before);
}

#[tokio::test]
async fn the_daily_budget_stops_calls_before_they_are_made() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    let t = translator(
        ManagedBackend::new(Box::new(libre_backend(addr))).with_daily_budget(Some(30)),
        Arc::new(MemoryCache::new()),
    );
    let first = t.translate_text("Short one.", "en", "fr").await.unwrap();
    assert_eq!(first.kept_original(), 0);
    let second = t
        .translate_text("This sentence is far too long for the budget.", "en", "fr")
        .await
        .unwrap();
    assert!(
        matches!(&second.segments[0].status, SegmentStatus::KeptOriginal(r) if r.contains("daily budget")),
        "{:?}",
        second.segments
    );
    assert_eq!(
        svc.requests.load(Ordering::SeqCst),
        1,
        "the over-budget call was never sent"
    );
}

#[tokio::test]
async fn the_translator_can_be_shared_across_tasks() {
    let svc = Arc::new(Service::default());
    let addr = start(svc.clone()).await;
    let t = Arc::new(translator(
        ManagedBackend::new(Box::new(libre_backend(addr))),
        Arc::new(MemoryCache::new()),
    ));
    // The ingest pipeline will call it from spawned tasks: its futures must be Send.
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let t = t.clone();
            tokio::spawn(async move {
                t.translate_text(&format!("Article {i} is here."), "en", "fr")
                    .await
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(
            h.await.unwrap().unwrap().text,
            format!("ARTICLE {i} IS HERE.")
        );
    }
}

/// How the broken server answers every request.
#[derive(Clone, Copy)]
enum Broken {
    /// 502 from a proxy in front of the service, with an HTML page.
    ProxyPage,
    /// 503 with the service's own JSON error body.
    JsonError,
    /// 200 with an HTML page instead of JSON.
    HtmlOk,
    /// 200 with JSON of another shape.
    WrongShape,
}

async fn broken(State(mode): State<Broken>) -> Response {
    let html = "<html><body><h1>Bad Gateway</h1></body></html>";
    match mode {
        Broken::ProxyPage => (StatusCode::BAD_GATEWAY, html).into_response(),
        Broken::JsonError => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"error": "Model is loading"})),
        )
            .into_response(),
        Broken::HtmlOk => (StatusCode::OK, html).into_response(),
        Broken::WrongShape => Json(json!({"result": "nothing here"})).into_response(),
    }
}

/// A server answering every path (each backend's endpoint) the same broken way.
async fn start_broken(mode: Broken) -> SocketAddr {
    serve(Router::new().fallback(broken).with_state(mode)).await
}

/// The three HTTP backends over one base URL.
fn http_backends(base: &str) -> Vec<Box<dyn Backend>> {
    let pairs = vec![LangPair::parse("*").unwrap()];
    let timeout = Duration::from_secs(10);
    vec![
        Box::new(LibreTranslate::new("libre", base, None, pairs.clone(), timeout).unwrap()),
        Box::new(DeepL::new("deepl", base, "k".to_string(), pairs.clone(), timeout).unwrap()),
        Box::new(OpenAiChat::new("llm", base, None, "m", pairs, timeout).unwrap()),
    ]
}

/// The answer checks every HTTP backend shares: an error status with an HTML page or with the
/// service's JSON error, and a success status whose body is not JSON or not the protocol's
/// shape, give the same clear errors whatever the protocol.
#[tokio::test]
async fn error_statuses_and_answers_that_are_not_the_protocol_are_clear_errors() {
    for mode in [
        Broken::ProxyPage,
        Broken::JsonError,
        Broken::HtmlOk,
        Broken::WrongShape,
    ] {
        let base = format!("http://{}", start_broken(mode).await);
        for b in http_backends(&base) {
            let e = b
                .translate(&segs(&["hello"]), "en", "de")
                .await
                .unwrap_err();
            let name = b.name();
            let text = e.to_string();
            assert!(
                text.contains(&format!("backend {name}:")) && text.contains(&base),
                "names the backend and the URL: {text}"
            );
            match mode {
                Broken::ProxyPage => {
                    assert!(
                        matches!(e, TranslateError::Service { status: 502, .. }),
                        "{text}"
                    );
                    assert!(text.contains("Bad Gateway"), "the body's start: {text}");
                    assert!(e.is_transient(), "a 5xx is retried: {text}");
                }
                Broken::JsonError => {
                    assert!(
                        matches!(e, TranslateError::Service { status: 503, .. }),
                        "{text}"
                    );
                    assert!(
                        text.contains("Model is loading") && !text.contains('{'),
                        "the service's message, not its JSON: {text}"
                    );
                    assert!(e.is_transient(), "{text}");
                }
                Broken::HtmlOk => {
                    assert!(matches!(e, TranslateError::BadAnswer { .. }), "{text}");
                    assert!(text.contains("invalid JSON"), "{text}");
                    assert!(!e.is_transient(), "{text}");
                }
                Broken::WrongShape => {
                    assert!(matches!(e, TranslateError::BadAnswer { .. }), "{text}");
                    assert!(!e.is_transient(), "{text}");
                }
            }
        }
    }
}

#[test]
fn base_urls_that_are_not_http_are_refused_at_construction() {
    let pairs = vec![LangPair::parse("en-fr").unwrap()];
    let timeout = Duration::from_secs(1);
    for base in ["api.deepl.com", "ftp://127.0.0.1", "http://"] {
        let libre = LibreTranslate::new("libre", base, None, pairs.clone(), timeout).unwrap_err();
        let deepl = DeepL::new("deepl", base, "k".into(), pairs.clone(), timeout).unwrap_err();
        let llm = OpenAiChat::new("llm", base, None, "m", pairs.clone(), timeout).unwrap_err();
        for e in [libre, deepl, llm] {
            assert!(matches!(e, TranslateError::Config(_)), "{base}: {e}");
            assert!(e.to_string().contains(base), "{e}");
        }
    }
}
