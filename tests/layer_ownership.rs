//! Who owns a request's CORS, the route-aware layer or the route's own wrapper
//! (docs/middleware.md, "Who owns CORS"): the layer says so by scope, never on the request, so
//! every way an axum user may hold the same `Routes` gets CORS exactly once. A double
//! application would show as the layer's warning that something inside set CORS headers; each
//! test nests its routes under a prefix of its own, so its warnings are its own.

use std::panic::{catch_unwind, AssertUnwindSafe};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;

use cors_runtime::{cors, cors_policy, routes, Routes};

#[path = "common/captured_log.rs"]
mod captured_log;
use captured_log::Captured;

const APP: &str = "https://app.example.com";

#[cors_policy(origins = ["https://app.example.com"], credentials, headers = ["authorization"], expose = ["etag"])]
pub struct Session;

#[cors(GET "/orders", policy = Session)]
async fn orders() -> &'static str {
    "[]"
}

#[cors(GET "/boom", policy = Session)]
async fn boom() -> &'static str {
    panic!("the handler fails")
}

fn api(prefix: &str) -> Routes {
    routes![orders, boom].nest(prefix)
}

/// Auth that refuses every request: its `401` carries CORS headers only if the layer owns it.
async fn deny(_request: Request, _next: Next) -> Response {
    (StatusCode::UNAUTHORIZED, "token required\n").into_response()
}

async fn get(app: &Router, uri: &str) -> (StatusCode, HeaderMap) {
    let request = Request::get(uri).header("origin", APP).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    (response.status(), response.headers().clone())
}

/// The policy's headers, each exactly once.
fn assert_cors_once(headers: &HeaderMap) {
    assert_eq!(headers.get_all("access-control-allow-origin").iter().collect::<Vec<_>>(), [APP]);
    assert_eq!(headers.get_all("access-control-allow-credentials").iter().collect::<Vec<_>>(), ["true"]);
    assert_eq!(headers.get_all("access-control-expose-headers").iter().collect::<Vec<_>>(), ["etag"]);
    assert_eq!(headers.get_all("vary").iter().collect::<Vec<_>>(), ["Origin"]);
}

#[tokio::test]
async fn a_layer_built_and_never_applied_changes_nothing() {
    let (log, _guard) = Captured::start(tracing::Level::WARN);
    let api = api("/t1");
    let _forgotten = api.layer();
    let app = Router::new().merge(api);
    let (status, headers) = get(&app, "/t1/orders").await;
    assert_eq!(status, StatusCode::OK);
    assert_cors_once(&headers);
    assert_eq!(log.text(), "");
}

#[tokio::test]
async fn one_routes_value_served_with_and_without_its_layer() {
    let (log, _guard) = Captured::start(tracing::Level::WARN);
    let api = api("/t2");
    let cors = api.layer();
    let with_layer = Router::new().merge(api.clone()).layer(middleware::from_fn(deny)).layer(cors);
    let without_layer = Router::new().merge(api);
    for _ in 0..2 {
        let (status, headers) = get(&with_layer, "/t2/orders").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the layer owns the request: auth's 401 carries CORS");
        assert_cors_once(&headers);
        let (status, headers) = get(&without_layer, "/t2/orders").await;
        assert_eq!(status, StatusCode::OK, "the route owns the request");
        assert_cors_once(&headers);
    }
    assert_eq!(log.text(), "", "nothing applied the policy twice");
}

#[tokio::test]
async fn through_route_layer_and_inside_an_axum_nested_router() {
    let (log, _guard) = Captured::start(tracing::Level::WARN);
    let api = api("/t3");
    let cors = api.layer();
    let inner = Router::from(api.clone()).layer(middleware::from_fn(deny)).route_layer(cors.clone());
    let nested = Router::new().nest("/v1", inner);
    let (status, headers) = get(&nested, "/v1/t3/orders").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_cors_once(&headers);
    let (status, headers) = get(&Router::from(api).route_layer(cors), "/t3/orders").await;
    assert_eq!(status, StatusCode::OK);
    assert_cors_once(&headers);
    assert_eq!(log.text(), "");
}

#[tokio::test]
async fn a_layer_that_does_not_know_the_path_leaves_the_route_its_own_policy() {
    let (log, _guard) = Captured::start(tracing::Level::WARN);
    let api = api("/t4");
    let cors = api.layer();
    // `Router::nest` adds a prefix the table does not know: the layer passes the request
    // through, and the route applies its policy itself.
    let app = Router::new().nest("/v1", Router::from(api)).layer(cors);
    let (status, headers) = get(&app, "/v1/t4/orders").await;
    assert_eq!(status, StatusCode::OK);
    assert_cors_once(&headers);
    assert_eq!(log.text(), "");
}

#[test]
fn a_panic_inside_the_layer_leaves_no_owner_behind_on_the_thread() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let api = api("/t5");
    let cors = api.layer();
    let with_layer = Router::new().merge(api.clone()).layer(cors);
    let without_layer = Router::new().merge(api);
    let panicked = catch_unwind(AssertUnwindSafe(|| runtime.block_on(get(&with_layer, "/t5/boom"))));
    assert!(panicked.is_err(), "the handler's panic went through the layer");
    // Same thread, no layer: had the layer's scope outlived the panic, the route would leave
    // its CORS to a layer that is not there.
    let (status, headers) = runtime.block_on(get(&without_layer, "/t5/orders"));
    assert_eq!(status, StatusCode::OK);
    assert_cors_once(&headers);
}
