//! `Fetch::send` against small services that each answer one way.

use std::convert::Infallible;

use super::*;
use crate::{CheckFailure, Credentials};

/// A hand-written server: answers preflights with `preflight_headers`, everything else
/// with `actual_headers`, and records the requests it saw.
fn server(
    preflight_headers: &'static [(&'static str, &'static str)],
    actual_headers: &'static [(&'static str, &'static str)],
    seen: std::sync::Arc<std::sync::Mutex<Vec<Request<String>>>>,
) -> impl Service<Request<String>, Response = Response<String>, Error = Infallible> + Clone {
    tower::service_fn(move |request: Request<String>| {
        let preflight = request.method() == Method::OPTIONS;
        seen.lock().unwrap().push(request);
        let mut response = Response::new(String::new());
        for (name, value) in if preflight { preflight_headers } else { actual_headers } {
            response.headers_mut().append(*name, HeaderValue::from_static(value));
        }
        async move { Ok::<_, Infallible>(response) }
    })
}

#[tokio::test]
async fn preflights_then_sends_then_filters_headers() {
    let seen = Default::default();
    let app = server(
        &[
            ("access-control-allow-origin", "https://app.example"),
            ("access-control-allow-methods", "PUT"),
            ("access-control-allow-headers", "X-Request-Id"),
        ],
        &[
            ("access-control-allow-origin", "https://app.example"),
            ("x-request-id", "1"),
            ("etag", "e"),
            ("content-type", "text/plain"),
        ],
        std::sync::Arc::clone(&seen),
    );
    let outcome = Fetch::new("https://app.example", "put", "https://api.example/orders/7")
        .header("X-Request-Id", "1")
        .header("Cookie", "dropped=1")
        .body("{}")
        .send_with_body(app)
        .await;
    assert_eq!(outcome.preflight, Some(PreflightSent { method: "PUT".into(), headers: Some("x-request-id".into()) }));
    assert!(outcome.sent && outcome.is_allowed(), "{outcome}");
    assert_eq!(outcome.header("content-type"), Some("text/plain"));
    assert_eq!(outcome.header("etag"), None, "not exposed");
    let seen = seen.lock().unwrap();
    let (preflight, actual) = (&seen[0], &seen[1]);
    assert_eq!(preflight.method(), Method::OPTIONS);
    assert_eq!(preflight.headers()["access-control-request-headers"], "x-request-id");
    assert_eq!(preflight.headers()["origin"], "https://app.example");
    assert_eq!(actual.uri(), "/orders/7");
    assert_eq!(actual.headers()["host"], "api.example");
    assert_eq!(actual.headers()["content-type"], "text/plain;charset=UTF-8");
    assert!(!actual.headers().contains_key("cookie"));
    assert_eq!(actual.body(), "{}");
}

#[tokio::test]
async fn a_failed_preflight_stops_the_request() {
    let seen = Default::default();
    let app = server(&[], &[], std::sync::Arc::clone(&seen));
    let outcome = Fetch::new("https://app.example", "DELETE", "https://api.example/x").send_with_body(app).await;
    assert!(!outcome.sent);
    assert_eq!(outcome.blocked().unwrap().reason, Reason::PreflightCheck(CheckFailure::MissingAllowOrigin));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_simple_request_is_sent_even_when_blocked() {
    let app = server(&[], &[("access-control-allow-origin", "*")], Default::default());
    let outcome = Fetch::get("https://app.example", "https://api.example/x")
        .credentials(Credentials::Include)
        .send_with_body(app)
        .await;
    assert!(outcome.preflight.is_none() && outcome.sent);
    assert_eq!(outcome.blocked().unwrap().reason, Reason::Check(CheckFailure::WildcardWithCredentials));
}

/// `/a` redirects (302) to `location`; everything else answers 200. Both carry
/// `allow_origin` when given.
fn redirecting(
    location: &'static str,
    allow_origin: Option<&'static str>,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Request<String>>>>,
) -> impl Service<Request<String>, Response = Response<String>, Error = Infallible> + Clone {
    tower::service_fn(move |request: Request<String>| {
        let mut response = Response::new(String::new());
        if request.uri().path() == "/a" {
            *response.status_mut() = StatusCode::FOUND;
            response.headers_mut().insert(LOCATION, HeaderValue::from_static(location));
        }
        if let Some(origin) = allow_origin {
            response.headers_mut().insert("access-control-allow-origin", HeaderValue::from_static(origin));
        }
        seen.lock().unwrap().push(request);
        async move { Ok::<_, Infallible>(response) }
    })
}

#[tokio::test]
async fn a_redirect_is_followed_with_the_cors_check_on_each_response() {
    let seen = std::sync::Arc::default();
    let app = redirecting("/b", Some("https://app.example"), std::sync::Arc::clone(&seen));
    let outcome = Fetch::new("https://app.example", "POST", "https://api.example/a")
        .header("Content-Language", "en")
        .body("x")
        .send_with_body(app)
        .await;
    assert_eq!(outcome.status(), Some(StatusCode::OK), "{outcome}");
    {
        let seen = seen.lock().unwrap();
        assert_eq!((seen[1].method(), seen[1].uri().path()), (&Method::GET, "/b"), "302 turns POST into GET");
        assert_eq!(seen[1].headers()["origin"], "https://app.example", "same-origin hop: origin untainted");
        assert!(!seen[1].headers().contains_key("content-language") && seen[1].body().is_empty());
    }

    let unreadable_redirect = redirecting("/b", None, Default::default());
    let outcome = Fetch::get("https://app.example", "https://api.example/a").send_with_body(unreadable_redirect).await;
    let blocked = outcome.blocked().unwrap();
    assert_eq!((&blocked.reason, blocked.status), (&Reason::Check(CheckFailure::MissingAllowOrigin), 302));
    assert_eq!(blocked.redirected_from, None, "the first response failed");
}

#[tokio::test]
async fn a_redirect_to_another_origin_taints_the_origin() {
    let seen = std::sync::Arc::default();
    let app = redirecting("https://cdn.example/b", Some("https://app.example"), std::sync::Arc::clone(&seen));
    let outcome = Fetch::get("https://app.example", "https://api.example/a")
        .header("Authorization", "Bearer t")
        .send_with_body(app)
        .await;
    // `Authorization` needs a preflight, and a preflight must not be redirected.
    assert_eq!(outcome.blocked().unwrap().reason, Reason::PreflightRedirect);

    let app = redirecting("https://cdn.example/b", Some("https://app.example"), std::sync::Arc::clone(&seen));
    seen.lock().unwrap().clear();
    let outcome = Fetch::get("https://app.example", "https://api.example/a").send_with_body(app).await;
    let blocked = outcome.blocked().unwrap();
    assert_eq!(blocked.reason, Reason::Check(CheckFailure::AllowOriginMismatch("https://app.example".into())));
    assert_eq!(blocked.url, "https://cdn.example/b");
    assert_eq!(blocked.redirected_from.as_deref(), Some("https://api.example/a"));
    assert_eq!(seen.lock().unwrap()[1].headers()["origin"], "null");
    assert_eq!(seen.lock().unwrap()[1].headers()["host"], "cdn.example");

    let public = redirecting("https://cdn.example/b", Some("*"), Default::default());
    let outcome = Fetch::get("https://app.example", "https://api.example/a").send_with_body(public).await;
    assert!(outcome.is_allowed(), "{outcome}");
}

#[tokio::test]
async fn a_redirect_fetch_cannot_follow_is_a_network_error_not_a_panic() {
    for location in ["ftp://files.example/a", "https://user:secret@api.example/b", "mailto:x@example.com"] {
        let app = redirecting(location, Some("*"), Default::default());
        let outcome = Fetch::get("https://app.example", "https://api.example/a").send_with_body(app).await;
        let blocked = outcome.blocked().expect("blocked");
        assert_eq!(blocked.reason, Reason::RedirectNotFollowed(location.to_owned()), "{location}");
        assert_eq!(blocked.message(), "GET https://api.example/a net::ERR_UNSAFE_REDIRECT");
    }
}

#[tokio::test]
async fn redirects_stop_after_the_limit() {
    let seen = std::sync::Arc::default();
    let app = redirecting("/a", Some("*"), std::sync::Arc::clone(&seen));
    let outcome = Fetch::get("https://app.example", "https://api.example/a").send_with_body(app).await;
    assert_eq!(outcome.blocked().unwrap().reason, Reason::TooManyRedirects);
    assert_eq!(seen.lock().unwrap().len(), REDIRECT_LIMIT + 1);
}

#[tokio::test]
async fn engines_differ_only_where_recorded() {
    let app = server(
        &[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "*"),
            ("access-control-allow-headers", "*"),
        ],
        &[("access-control-allow-origin", "*")],
        Default::default(),
    );
    let fetch = Fetch::get("https://app.example", "https://api.example/x").header("Authorization", "Bearer t");
    let outcomes: Vec<(Engine, bool)> = fetch
        .send_every_engine(tower::ServiceExt::map_request(app, |r: Request<axum::body::Body>| r.map(|_| String::new())))
        .await
        .into_iter()
        .map(|(engine, outcome)| (engine, outcome.is_allowed()))
        .collect();
    let allows = |engine: Engine| engine.differences().any(|d| d.quirk == crate::Quirk::AuthorizationUnderWildcard);
    assert_eq!(outcomes, Engine::ALL.map(|engine| (engine, allows(engine))).to_vec());
    assert!(allows(Engine::Chromium) && !allows(Engine::Standard));
}
