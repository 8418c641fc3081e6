//! DESIGN §8.1: the shapes real apps have. Handlers split by module and merged, a prefix, and
//! middleware (auth, rate limits, caught panics, timeouts) inside `Routes::layer()`: preflights
//! never reach the middleware, and every response of a route in the table carries its CORS
//! headers exactly once, whoever produced it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower::ServiceExt;

use cors_runtime::{cors, cors_policy, routes, Routes};

#[path = "common/captured_log.rs"]
mod captured_log;
use captured_log::Captured;

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example";

#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com"],
    credentials,
    headers = ["authorization", "content-type"],
    expose = ["etag"],
)]
pub struct AppSession;

#[cors_policy(origins = ["https://admin.example.com"], credentials, headers = ["authorization"], strict)]
pub struct AdminOnly;

#[derive(Clone, Default)]
struct AppState {
    /// How many requests the auth middleware saw.
    auth_calls: Arc<AtomicUsize>,
}

mod orders {
    use super::*;

    #[cors(GET "/orders", policy = AppSession)]
    pub async fn list() -> impl IntoResponse {
        ([("etag", "\"v1\"")], "[]")
    }

    #[cors(POST "/orders", policy = AppSession)]
    pub async fn create(Json(order): Json<serde_json::Value>) -> impl IntoResponse {
        (StatusCode::CREATED, Json(order))
    }

    #[cors(GET "/orders/{id}", policy = AppSession)]
    pub async fn show(axum::extract::Path(id): axum::extract::Path<u32>) -> String {
        format!("order {id}")
    }

    #[cors(GET "/boom", policy = AppSession)]
    pub async fn boom() -> &'static str {
        panic!("handler bug")
    }

    #[cors(GET "/slow", policy = AppSession)]
    pub async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "late"
    }

    #[cors(GET "/meddles", policy = AppSession)]
    pub async fn meddles() -> impl IntoResponse {
        [("access-control-allow-origin", "*"), ("vary", "accept-encoding")]
    }
}

mod admin {
    use super::*;

    #[cors(DELETE "/orders", policy = AdminOnly)]
    pub async fn purge() -> StatusCode {
        StatusCode::NO_CONTENT
    }

    #[cors(GET "/", public)]
    pub async fn index() -> &'static str {
        "api"
    }

    #[cors(GET "/status", public)]
    pub async fn status(State(state): State<AppState>) -> String {
        state.auth_calls.load(Ordering::SeqCst).to_string()
    }
}

/// Auth: a bearer token or `401`; `x-rate-limited` stands in for a rate limiter's `429`.
async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    state.auth_calls.fetch_add(1, Ordering::SeqCst);
    if request.headers().contains_key("x-rate-limited") {
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], "slow down").into_response();
    }
    match request.headers().get("authorization") {
        Some(token) if token == "Bearer good" => next.run(request).await,
        _ => (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")], "token required").into_response(),
    }
}

fn api() -> Routes<AppState> {
    routes![orders::list, orders::create, orders::show, orders::boom, orders::slow, orders::meddles]
        .merge(routes![admin::purge, admin::index, admin::status])
        .nest("/api")
}

/// The documented shape: middleware inside, `Routes::layer()` outermost.
fn app(state: AppState) -> Router {
    let api = api();
    let cors = api.layer();
    Router::new()
        .merge(api)
        .route("/health", get(|| async { "up" }).options(|| async { "health options" }))
        .layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_millis(50),
        ))
        .layer(cors)
        .with_state(state)
}

struct Sent {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Sent {
    /// Every value of `name`, in order (so a duplicated header shows as two).
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers.get_all(name).iter().map(|v| v.to_str().unwrap()).collect()
    }

    fn cors_headers(&self) -> Vec<String> {
        self.headers.keys().map(|n| n.as_str().to_owned()).filter(|n| n.starts_with("access-control-")).collect()
    }
}

async fn send(app: &Router, method: &str, uri: &str, headers: &[(&str, &str)]) -> Sent {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = if method == "POST" { Body::from("{\"tea\":1}") } else { Body::empty() };
    let response = app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    Sent { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn preflight<'a>(origin: &'a str, method: &'a str, request_headers: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut headers = vec![("origin", origin), ("access-control-request-method", method)];
    if !request_headers.is_empty() {
        headers.push(("access-control-request-headers", request_headers));
    }
    headers
}

fn auth_calls(state: &AppState) -> usize {
    state.auth_calls.load(Ordering::SeqCst)
}

/// The allowed actual response's CORS headers for `AppSession`, each exactly once.
fn assert_app_session_cors(sent: &Sent, origin: &str) {
    assert_eq!(sent.all("access-control-allow-origin"), [origin]);
    assert_eq!(sent.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(sent.all("access-control-expose-headers"), ["etag"]);
    assert_eq!(sent.cors_headers().len(), 3, "{:?}", sent.headers);
}

#[tokio::test]
async fn preflights_are_answered_before_auth_and_never_reach_it() {
    let state = AppState::default();
    let app = app(state.clone());
    for (method, path) in [("POST", "/api/orders"), ("GET", "/api/orders/7"), ("GET", "/api/orders?page=2")] {
        let sent = send(&app, "OPTIONS", path, &preflight(APP, method, "authorization,content-type")).await;
        assert_eq!(sent.status, StatusCode::NO_CONTENT, "{method} {path}");
        assert_eq!(sent.all("access-control-allow-origin"), [APP]);
        assert_eq!(sent.all("access-control-allow-credentials"), ["true"]);
        assert_eq!(sent.all("access-control-allow-methods"), [method]);
        assert_eq!(sent.all("access-control-allow-headers"), ["authorization,content-type"]);
        assert_eq!(sent.all("access-control-max-age"), ["600"]);
        assert_eq!(sent.all("vary"), ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]);
    }
    // The other list's method at the shared path has its own policy.
    let sent = send(&app, "OPTIONS", "/api/orders", &preflight(ADMIN, "DELETE", "authorization")).await;
    assert_eq!((sent.status, sent.all("access-control-allow-methods")), (StatusCode::NO_CONTENT, vec!["DELETE"]));
    let sent = send(&app, "OPTIONS", "/api/orders", &preflight(APP, "DELETE", "")).await;
    assert_eq!(
        (sent.status, sent.body.as_str()),
        (StatusCode::FORBIDDEN, "CORS preflight rejected: origin not allowed\n")
    );
    assert!(sent.cors_headers().is_empty());
    // Rejected preflights are the layer's answer too, not auth's.
    let sent = send(&app, "OPTIONS", "/api/orders", &preflight(APP, "PUT", "")).await;
    assert_eq!(
        (sent.status, sent.body.as_str()),
        (StatusCode::FORBIDDEN, "CORS preflight rejected: no route for the requested method at this path\n")
    );
    assert_eq!(auth_calls(&state), 0);
}

#[tokio::test]
async fn a_401_from_auth_is_readable_by_the_page() {
    let state = AppState::default();
    let app = app(state.clone());
    let sent = send(&app, "POST", "/api/orders", &[("origin", APP), ("content-type", "application/json")]).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::UNAUTHORIZED, "token required"));
    assert_app_session_cors(&sent, APP);
    assert_eq!(sent.all("vary"), ["Origin"]);
    assert_eq!(sent.all("www-authenticate"), ["Bearer"]);
    assert_eq!(auth_calls(&state), 1);

    // A foreign origin gets the 401 too (CORS is not auth), with no CORS headers to read it by.
    let sent = send(&app, "POST", "/api/orders", &[("origin", EVIL)]).await;
    assert_eq!(sent.status, StatusCode::UNAUTHORIZED);
    assert!(sent.cors_headers().is_empty(), "{:?}", sent.headers);
    assert_eq!(sent.all("vary"), ["Origin"]);
}

#[tokio::test]
async fn with_a_token_the_handler_answers_with_the_headers_once() {
    let app = app(AppState::default());
    let token = ("authorization", "Bearer good");
    let sent = send(&app, "GET", "/api/orders", &[("origin", APP), token]).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::OK, "[]"));
    assert_app_session_cors(&sent, APP);
    assert_eq!(sent.all("etag"), ["\"v1\""]);
    assert_eq!(sent.all("vary"), ["Origin"]);

    let sent =
        send(&app, "POST", "/api/orders", &[("origin", ADMIN), token, ("content-type", "application/json")]).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::CREATED, "{\"tea\":1}"));
    assert_app_session_cors(&sent, ADMIN);

    // A capture value and a query string do not hide the route; HEAD takes the GET route's policy.
    for (method, uri) in [("GET", "/api/orders/42?x=1"), ("HEAD", "/api/orders/42"), ("HEAD", "/api/orders")] {
        let sent = send(&app, method, uri, &[("origin", APP), token]).await;
        assert_eq!(sent.status, StatusCode::OK, "{method} {uri}");
        assert_app_session_cors(&sent, APP);
    }
}

#[tokio::test]
async fn every_error_inside_carries_the_routes_cors_headers() {
    let app = app(AppState::default());
    let token = ("authorization", "Bearer good");
    let from_app = [("origin", APP), token];

    let sent = send(&app, "GET", "/api/orders", &[("origin", APP), ("x-rate-limited", "1")]).await;
    assert_eq!((sent.status, sent.all("retry-after")), (StatusCode::TOO_MANY_REQUESTS, vec!["1"]));
    assert_app_session_cors(&sent, APP);

    let sent = send(&app, "GET", "/api/boom", &from_app).await;
    assert_eq!(sent.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_app_session_cors(&sent, APP);

    let sent = send(&app, "GET", "/api/slow", &from_app).await;
    assert_eq!(sent.status, StatusCode::REQUEST_TIMEOUT);
    assert_app_session_cors(&sent, APP);

    // An extractor rejection: the body is not JSON.
    let sent = send(&app, "POST", "/api/orders", &from_app).await;
    assert_eq!(sent.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_app_session_cors(&sent, APP);

    let sent = send(&app, "GET", "/api/orders/not-a-number", &from_app).await;
    assert_eq!(sent.status, StatusCode::BAD_REQUEST);
    assert_app_session_cors(&sent, APP);
}

#[tokio::test]
async fn the_layer_does_the_work_once_and_replaces_cors_headers_set_inside() {
    let (log, _guard) = Captured::start(tracing::Level::INFO);
    let app = app(AppState::default());
    let token = ("authorization", "Bearer good");
    // Were the route's own wrapper to apply the policy too, the layer would find CORS headers
    // on the response and warn that something inside set them.
    for _ in 0..2 {
        let sent = send(&app, "GET", "/api/orders", &[("origin", APP), token]).await;
        assert_app_session_cors(&sent, APP);
    }
    assert_eq!(log.text(), "");
    let sent = send(&app, "GET", "/api/meddles", &[("origin", APP), token]).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_app_session_cors(&sent, APP);
    assert_eq!(sent.all("vary"), ["accept-encoding, Origin"]);
    let log = log.text();
    assert_eq!(log.matches("WARN").count(), 1, "{log}");
    assert!(log.contains("route=GET /api/meddles") && log.contains("\"access-control-allow-origin\""), "{log}");
}

#[tokio::test]
async fn strict_routes_refuse_foreign_origins_before_any_middleware() {
    let state = AppState::default();
    let app = app(state.clone());
    for origin in [APP, EVIL] {
        let sent = send(&app, "DELETE", "/api/orders", &[("origin", origin), ("authorization", "Bearer good")]).await;
        assert_eq!(
            (sent.status, sent.body.as_str()),
            (StatusCode::FORBIDDEN, "CORS: origin not allowed for this route\n")
        );
        assert!(sent.cors_headers().is_empty());
        assert_eq!(sent.all("vary"), ["Origin"]);
    }
    assert_eq!(auth_calls(&state), 0);
    let sent = send(&app, "DELETE", "/api/orders", &[("origin", ADMIN), ("authorization", "Bearer good")]).await;
    assert_eq!(sent.status, StatusCode::NO_CONTENT);
    assert_eq!(sent.all("access-control-allow-origin"), [ADMIN]);
    assert_eq!(auth_calls(&state), 1);
}

#[tokio::test]
async fn public_routes_and_the_nested_root() {
    let app = app(AppState::default());
    let sent = send(&app, "GET", "/api", &[("origin", EVIL), ("authorization", "Bearer good")]).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::OK, "api"));
    assert_eq!(sent.all("access-control-allow-origin"), ["*"]);
    assert!(sent.all("vary").is_empty());
    let sent = send(&app, "GET", "/api/status", &[("authorization", "Bearer good")]).await;
    assert_eq!(sent.all("access-control-allow-origin"), ["*"]);
    let sent = send(&app, "OPTIONS", "/api", &preflight(EVIL, "GET", "")).await;
    assert_eq!((sent.status, sent.all("access-control-allow-origin")), (StatusCode::NO_CONTENT, vec!["*"]));
}

#[tokio::test]
async fn requests_outside_the_table_pass_through_untouched() {
    let state = AppState::default();
    let app = app(state.clone());
    let token = ("authorization", "Bearer good");
    // Not a path of the table: no CORS headers, no Vary, and its OPTIONS reach the app.
    let sent = send(&app, "GET", "/health", &[("origin", APP), token]).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::OK, "up"));
    assert!(sent.cors_headers().is_empty() && sent.all("vary").is_empty(), "{:?}", sent.headers);
    let sent = send(&app, "OPTIONS", "/health", &[&preflight(APP, "GET", "")[..], &[token]].concat()).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::OK, "health options"));
    assert!(sent.cors_headers().is_empty() && sent.all("vary").is_empty());
    // A path the table does not have, under the prefix.
    let sent = send(&app, "GET", "/api/nowhere", &[("origin", APP), token]).await;
    assert_eq!(sent.status, StatusCode::NOT_FOUND);
    assert!(sent.cors_headers().is_empty() && sent.all("vary").is_empty());
    // A method the path has no route for: axum's 405 is not the table's either.
    let sent = send(&app, "PUT", "/api/orders", &[("origin", APP), token]).await;
    assert_eq!(sent.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(sent.cors_headers().is_empty() && sent.all("vary").is_empty());
    assert_eq!(auth_calls(&state), 4);
}

#[tokio::test]
async fn a_plain_options_at_a_path_of_the_table_is_answered_by_the_layer() {
    let state = AppState::default();
    let app = app(state.clone());
    // Not a preflight (no Access-Control-Request-Method), and no token: still `Allow`, not `401`.
    let sent = send(&app, "OPTIONS", "/api/orders?x=1", &[("origin", APP)]).await;
    assert_eq!((sent.status, sent.all("allow")), (StatusCode::NO_CONTENT, vec!["GET, HEAD, POST, DELETE, OPTIONS"]));
    assert!(sent.cors_headers().is_empty() && sent.all("vary").is_empty(), "{:?}", sent.headers);
    assert_eq!(auth_calls(&state), 0);
}

#[tokio::test]
async fn merged_lists_without_a_layer_keep_the_per_route_behaviour() {
    let router: Router<AppState> = api().into();
    let app = router.with_state(AppState::default());
    let sent = send(&app, "GET", "/api/orders", &[("origin", APP)]).await;
    assert_app_session_cors(&sent, APP);
    assert_eq!(sent.all("vary"), ["Origin"]);
    let sent = send(&app, "OPTIONS", "/api/orders", &preflight(ADMIN, "DELETE", "")).await;
    assert_eq!((sent.status, sent.all("access-control-allow-origin")), (StatusCode::NO_CONTENT, vec![ADMIN]));
    let sent = send(&app, "OPTIONS", "/api/orders", &preflight(APP, "GET", "")).await;
    assert_eq!((sent.status, sent.all("access-control-allow-methods")), (StatusCode::NO_CONTENT, vec!["GET"]));
}

#[test]
fn the_route_table_shows_the_full_paths() {
    let table = api().to_string();
    let rows: Vec<(&str, &str, &str)> = table
        .lines()
        .skip(1)
        .map(|line| {
            let mut cells = line.split_whitespace();
            (cells.next().unwrap(), cells.next().unwrap(), cells.next().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("GET", "/api/orders", "list"),
            ("POST", "/api/orders", "create"),
            ("GET", "/api/orders/{id}", "show"),
            ("GET", "/api/boom", "boom"),
            ("GET", "/api/slow", "slow"),
            ("GET", "/api/meddles", "meddles"),
            ("DELETE", "/api/orders", "purge"),
            ("GET", "/api", "index"),
            ("GET", "/api/status", "status"),
        ]
    );
}

fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload.downcast_ref::<String>().cloned().or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string())).unwrap()
}

mod conflicting {
    use super::*;

    #[cors(GET "/orders", policy = AppSession)]
    pub async fn also_list() -> &'static str {
        ""
    }

    #[cors(POST "/orders/{order_id}", policy = AppSession)]
    pub async fn renamed_capture() -> &'static str {
        ""
    }
}

#[test]
fn merging_two_claims_of_one_route_panics_naming_both_handlers() {
    let message = panic_message(|| {
        let _ = routes![orders::list].merge(routes![conflicting::also_list]).with_unit_state();
    });
    assert_eq!(
        message,
        "Routes::merge: `list` and `also_list` both claim `GET /orders`; axum routes one handler per METHOD and PATH (capture names do not matter): give one of them another path or method"
    );
    let message = panic_message(|| {
        let _ = routes![orders::show].merge(routes![conflicting::renamed_capture]).with_unit_state();
    });
    assert_eq!(
        message,
        "Routes::merge: `show` (`GET /orders/{id}`) and `renamed_capture` (`POST /orders/{order_id}`) name the captures of one path differently; axum keeps one name per position for all methods and would panic building the router: use the same names in both"
    );
}

#[test]
fn nesting_under_a_prefix_axum_would_refuse_panics_naming_it() {
    let cases = [
        ("", "Routes::nest(\"\"): the prefix is empty: nest under a path such as `/api`, or merge the routes without nesting"),
        ("/", "Routes::nest(\"/\"): nesting at the root changes nothing: merge the routes without nesting"),
        ("api", "Routes::nest(\"api\"): the prefix must start with `/`: `/api`"),
        ("/api/", "Routes::nest(\"/api/\"): the prefix must not end with `/`: `/api`"),
        (
            "/v1/:tenant",
            "Routes::nest(\"/v1/:tenant\"): `:tenant` is axum 0.7 capture syntax, which axum 0.8 rejects: write captures in braces, `/v1/{tenant}`",
        ),
    ];
    for (prefix, expected) in cases {
        let message = panic_message(|| {
            let _ = routes![orders::list].with_unit_state().nest(prefix);
        });
        assert_eq!(message, expected);
    }
    // A prefix with a capture is fine, as in axum; nesting twice stacks the prefixes.
    let nested = routes![orders::list, admin::index].with_unit_state().nest("/{tenant}").nest("/v1");
    let paths: Vec<&str> = nested.entries().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["/v1/{tenant}/orders", "/v1/{tenant}"]);
}

/// Pins a `routes![...]` to the unit state in tests that only build the table.
trait UnitState {
    fn with_unit_state(self) -> Routes<()>;
}

impl UnitState for Routes<()> {
    fn with_unit_state(self) -> Routes<()> {
        self
    }
}
