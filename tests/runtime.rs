//! DESIGN §4, rule by rule, with exact header values and status codes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use cors_runtime::{cors, cors_policy, routes, Routes};

#[path = "common/captured_log.rs"]
mod captured_log;
use captured_log::Captured;

#[cors_policy(
    origins = ["https://app.example.com", "https://*.partner.example"],
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct AppSession;

#[cors_policy(origins = ["https://admin.example.com"], methods = [DELETE], max_age = 60, strict)]
pub struct AdminStrict;

#[cors_policy(origins = ["https://app.example.com"], headers = ["*"], private_network)]
pub struct AnyHeader;

static STRICT_CALLS: AtomicUsize = AtomicUsize::new(0);

#[cors(GET "/items/{id}", policy = AppSession)]
async fn show_item() -> &'static str {
    "item"
}

#[cors(DELETE "/items/{id}", policy = AdminStrict)]
async fn delete_item() -> StatusCode {
    STRICT_CALLS.fetch_add(1, Ordering::SeqCst);
    StatusCode::NO_CONTENT
}

#[cors(POST "/items/{id}", policy = AnyHeader)]
async fn post_item() -> &'static str {
    "posted"
}

#[cors(PUT "/items/{id}", origins = ["https://app.example.com"], headers = ["*", "authorization"])]
async fn put_item() -> &'static str {
    "put"
}

#[cors(GET "/vary", policy = AppSession)]
async fn sets_vary() -> impl IntoResponse {
    [("vary", "accept-encoding")]
}

#[cors(GET "/vary-star", policy = AppSession)]
async fn sets_vary_star() -> impl IntoResponse {
    [("vary", "*")]
}

#[cors(GET "/meddles", policy = AppSession)]
async fn meddles() -> impl IntoResponse {
    [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-credentials", "false"),
        ("access-control-max-age", "5"),
    ]
}

#[cors(GET "/status", public, expose = ["retry-after"])]
async fn status() -> &'static str {
    "ok"
}

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

#[cors(GET "/count", origins = ["https://app.example.com"])]
async fn count(State(counter): State<Counter>) -> String {
    (counter.0.fetch_add(1, Ordering::SeqCst) + 1).to_string()
}

fn app() -> Router {
    routes![show_item, delete_item, post_item, put_item, sets_vary, sets_vary_star, meddles, status].into()
}

const APP: &str = "https://app.example.com";

fn get(path: &str, headers: &[(&str, &[u8])]) -> Request<Body> {
    request("GET", path, headers)
}

fn request(method: &str, path: &str, headers: &[(&str, &[u8])]) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, HeaderValue::from_bytes(value).unwrap());
    }
    builder.body(Body::empty()).unwrap()
}

fn preflight(path: &str, origin: &str, method: &str, request_headers: Option<&str>) -> Request<Body> {
    let mut headers: Vec<(&str, &[u8])> =
        vec![("origin", origin.as_bytes()), ("access-control-request-method", method.as_bytes())];
    if let Some(value) = request_headers {
        headers.push(("access-control-request-headers", value.as_bytes()));
    }
    request("OPTIONS", path, &headers)
}

async fn send(request: Request<Body>) -> Response<Body> {
    app().oneshot(request).await.unwrap()
}

/// Every value of `name`, in order.
fn all(response: &Response<Body>, name: &str) -> Vec<String> {
    response.headers().get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect()
}

fn one(response: &Response<Body>, name: &str) -> Option<String> {
    let values = all(response, name);
    assert!(values.len() <= 1, "{name} sent {} times: {values:?}", values.len());
    values.into_iter().next()
}

fn cors_headers(response: &Response<Body>) -> Vec<String> {
    response
        .headers()
        .keys()
        .filter(|name| name.as_str().starts_with("access-control-"))
        .map(|name| name.to_string())
        .collect()
}

async fn body(response: Response<Body>) -> String {
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

// ---- actual requests

#[tokio::test]
async fn exact_origin_is_answered_with_the_policy_value() {
    let response = send(get("/items/1", &[("origin", APP.as_bytes())])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(APP));
    assert_eq!(one(&response, "access-control-allow-credentials").as_deref(), Some("true"));
    assert_eq!(one(&response, "access-control-expose-headers").as_deref(), Some("etag, x-request-id"));
    assert_eq!(all(&response, "vary"), ["Origin"]);
    assert_eq!(body(response).await, "item");
}

#[tokio::test]
async fn pattern_origin_is_reflected_for_subdomains_only() {
    for origin in ["https://a.partner.example", "https://eu.shop.partner.example"] {
        let response = send(get("/items/1", &[("origin", origin.as_bytes())])).await;
        assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(origin));
    }
    for origin in [
        "https://partner.example",
        "https://evilpartner.example",
        "http://a.partner.example",
        "https://a.partner.example:8443",
        "https://a.partner.example.evil.com",
        "https://A.partner.example",
        "https://a..partner.example",
        "https://user@a.partner.example",
        "https://a/.partner.example",
    ] {
        let response = send(get("/items/1", &[("origin", origin.as_bytes())])).await;
        assert_eq!(cors_headers(&response), Vec::<String>::new(), "{origin}");
        assert_eq!(all(&response, "vary"), ["Origin"], "{origin}");
    }
}

#[tokio::test]
async fn foreign_absent_and_malformed_origins_get_no_cors_headers_but_the_handler_runs() {
    let cases: [&[(&str, &[u8])]; 7] = [
        &[],
        &[("origin", b"https://evil.example")],
        &[("origin", b"null")],
        &[("origin", b"")],
        &[("origin", b"https://app.example.com\xff")],
        &[("origin", b"HTTPS://APP.EXAMPLE.COM")],
        &[("origin", b"https://app.example.com"), ("origin", b"https://app.example.com")],
    ];
    for headers in cases {
        let response = send(get("/items/1", headers)).await;
        assert_eq!(response.status(), StatusCode::OK, "{headers:?}");
        assert_eq!(cors_headers(&response), Vec::<String>::new(), "{headers:?}");
        assert_eq!(all(&response, "vary"), ["Origin"], "{headers:?}");
        assert_eq!(body(response).await, "item");
    }
}

#[tokio::test]
async fn huge_origin_is_not_echoed() {
    let huge = format!("https://{}.partner.example", "a".repeat(100_000));
    let response = send(get("/items/1", &[("origin", huge.as_bytes())])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(cors_headers(&response), Vec::<String>::new());
}

#[tokio::test]
async fn vary_is_merged_never_overwritten_or_duplicated() {
    let response = send(get("/vary", &[("origin", APP.as_bytes())])).await;
    assert_eq!(all(&response, "vary"), ["accept-encoding, Origin"]);
    let response = send(get("/vary", &[])).await;
    assert_eq!(all(&response, "vary"), ["accept-encoding, Origin"]);
    let response = send(get("/vary-star", &[("origin", APP.as_bytes())])).await;
    assert_eq!(all(&response, "vary"), ["*"]);
}

#[tokio::test]
async fn public_routes_answer_star_without_vary() {
    for headers in [&[("origin", b"https://anyone.example" as &[u8])][..], &[]] {
        let response = send(get("/status", headers)).await;
        assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some("*"));
        assert_eq!(one(&response, "access-control-expose-headers").as_deref(), Some("retry-after"));
        assert_eq!(one(&response, "access-control-allow-credentials"), None);
        assert_eq!(all(&response, "vary"), Vec::<String>::new());
    }
}

#[tokio::test]
async fn strict_policy_refuses_before_the_handler() {
    let before = STRICT_CALLS.load(Ordering::SeqCst);
    for headers in [&[("origin", b"https://evil.example" as &[u8])][..], &[]] {
        let response = send(request("DELETE", "/items/1", headers)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(cors_headers(&response), Vec::<String>::new());
        assert_eq!(all(&response, "vary"), ["Origin"]);
        assert_eq!(one(&response, "content-type").as_deref(), Some("text/plain; charset=utf-8"));
        assert_eq!(body(response).await, "CORS: origin not allowed for this route\n");
    }
    assert_eq!(STRICT_CALLS.load(Ordering::SeqCst), before);
    let response = send(request("DELETE", "/items/1", &[("origin", b"https://admin.example.com")])).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some("https://admin.example.com"));
    assert_eq!(STRICT_CALLS.load(Ordering::SeqCst), before + 1);
}

#[tokio::test]
async fn the_policy_replaces_cors_headers_the_handler_set_and_warns_once() {
    let (captured, _guard) = Captured::start(tracing::Level::INFO);
    for _ in 0..3 {
        let response = send(get("/meddles", &[("origin", APP.as_bytes())])).await;
        assert_eq!(all(&response, "access-control-allow-origin"), [APP]);
        assert_eq!(all(&response, "access-control-allow-credentials"), ["true"]);
        assert_eq!(all(&response, "access-control-max-age"), Vec::<String>::new());
    }
    let response = send(get("/meddles", &[("origin", b"https://evil.example")])).await;
    assert_eq!(cors_headers(&response), Vec::<String>::new());

    let log = captured.text();
    assert_eq!(log.matches("WARN").count(), 1, "{log}");
    assert!(log.contains("route=GET /meddles"), "{log}");
    assert!(log.contains("the route's policy replaced them"), "{log}");
}

#[tokio::test]
async fn handlers_with_state_work() {
    let counter = Counter(Arc::new(AtomicUsize::new(0)));
    let app: Router = Router::new().merge(routes![count]).with_state(counter);
    let response = app.clone().oneshot(get("/count", &[("origin", APP.as_bytes())])).await.unwrap();
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(APP));
    assert_eq!(body(response).await, "1");
    let response = app.oneshot(preflight("/count", APP, "GET", None)).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[test]
fn the_route_table_lists_every_route_and_policy() {
    let routes: Routes = routes![show_item, delete_item, put_item, status];
    assert_eq!(
        routes.to_string(),
        "\
METHOD  PATH         HANDLER      POLICY       ACCESS   ORIGINS                                             CREDENTIALS  HEADERS                                    EXPOSE              MAX-AGE
GET     /items/{id}  show_item    AppSession   private  https://app.example.com, https://*.partner.example  yes          authorization, content-type, x-request-id  etag, x-request-id  600
DELETE  /items/{id}  delete_item  AdminStrict  private  https://admin.example.com                           no           -                                          -                   60
PUT     /items/{id}  put_item     inline       private  https://app.example.com                             no           *, authorization                           -                   600
GET     /status      status       inline       public   *                                                   no           -                                          retry-after         600
"
    );
    let entry = &routes.entries()[1];
    assert_eq!((entry.method.as_str(), entry.path.as_str(), entry.handler), ("DELETE", "/items/{id}", "delete_item"));
    assert_eq!(entry.policy.name(), "AdminStrict");
    assert!(entry.policy.strict());
}

// ---- preflights

#[path = "runtime/preflights.rs"]
mod preflights;

// ---- the layer

#[cors_policy(
    origins = ["https://app.example.com"],
    credentials,
    methods = [GET, POST, DELETE],
    headers = ["content-type"],
    expose = ["etag"],
    max_age = 300,
)]
pub struct Edge;

fn gateway() -> Router {
    Router::new()
        .fallback(|request: axum::extract::Request| async move {
            ([("x-upstream-method", request.method().to_string())], "upstream")
        })
        .layer(Edge::layer())
}

#[tokio::test]
async fn layer_answers_preflights_from_its_methods_list() {
    let response = gateway().oneshot(preflight("/any/path", APP, "DELETE", Some("content-type"))).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(APP));
    assert_eq!(one(&response, "access-control-allow-credentials").as_deref(), Some("true"));
    assert_eq!(one(&response, "access-control-allow-methods").as_deref(), Some("GET, POST, DELETE"));
    assert_eq!(one(&response, "access-control-allow-headers").as_deref(), Some("content-type"));
    assert_eq!(one(&response, "access-control-max-age").as_deref(), Some("300"));
    assert_eq!(one(&response, "x-upstream-method"), None, "the preflight must not reach the upstream");

    let response = gateway().oneshot(preflight("/any/path", APP, "PUT", None)).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(body(response).await, "CORS preflight rejected: no route for the requested method at this path\n");
}

#[tokio::test]
async fn layer_applies_the_policy_to_actual_requests() {
    let response = gateway().oneshot(get("/any/path", &[("origin", APP.as_bytes())])).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(APP));
    assert_eq!(one(&response, "access-control-expose-headers").as_deref(), Some("etag"));
    assert_eq!(all(&response, "vary"), ["Origin"]);
    let response = gateway().oneshot(get("/any/path", &[("origin", b"https://evil.example")])).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(cors_headers(&response), Vec::<String>::new());
    assert_eq!(all(&response, "vary"), ["Origin"]);
}

#[tokio::test]
async fn layer_passes_plain_options_to_the_service() {
    let response = gateway().oneshot(request("OPTIONS", "/x", &[("origin", APP.as_bytes())])).await.unwrap();
    assert_eq!(one(&response, "x-upstream-method").as_deref(), Some("OPTIONS"));
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(APP));
}
