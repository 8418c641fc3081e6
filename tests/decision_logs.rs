//! DESIGN §9.1's decision logs: every refusal, for every policy, is a `debug` event of target
//! `cors` with method, path, origin, policy and the `403`'s reason; changes to a dynamic list are
//! `info` events with the counts.
//!
//! One test in a binary of its own: `tracing` caches whether a callsite is wanted across the
//! process, and a test on another thread without a subscriber can race a thread-scoped one.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use cors_runtime::{cors, cors_policy, routes};

#[path = "common/captured_log.rs"]
mod captured_log;
use captured_log::Captured;

#[cors_policy(origins = dynamic, strict)]
pub struct Tenants;

#[cors_policy(origins = ["https://app.example.com"], credentials, headers = ["content-type"])]
pub struct AppSession;

#[cors(DELETE "/tenant/{id}", policy = Tenants)]
async fn purge() -> &'static str {
    "deleted"
}

#[cors(GET "/profile", policy = AppSession)]
async fn profile() -> &'static str {
    "{}"
}

async fn status(app: &Router, request: Request<Body>) -> StatusCode {
    app.clone().oneshot(request).await.unwrap().status()
}

fn preflight(path: &str, origin: &str, method: &str, headers: Option<&str>) -> Request<Body> {
    let request = Request::options(path).header("origin", origin).header("access-control-request-method", method);
    match headers {
        Some(headers) => request.header("access-control-request-headers", headers),
        None => request,
    }
    .body(Body::empty())
    .unwrap()
}

#[tokio::test]
async fn refusals_are_logged_at_debug_and_changes_at_info() {
    let (log, _guard) = Captured::start(tracing::Level::DEBUG);
    Tenants::origins().replace(["https://shop.acme.example", "https://*.tenants.example"]).unwrap();
    Tenants::origins().insert("https://new.example").unwrap();
    Tenants::origins().remove("https://new.example");
    let app: Router = routes![purge, profile].into();
    let evil = "https://evil.example";
    let requests = [
        (preflight("/tenant/7", evil, "DELETE", None), StatusCode::FORBIDDEN),
        (Request::delete("/tenant/7").header("origin", evil).body(Body::empty()).unwrap(), StatusCode::FORBIDDEN),
        (Request::get("/profile").header("origin", evil).body(Body::empty()).unwrap(), StatusCode::OK),
        (preflight("/profile", "https://app.example.com", "GET", Some("x-evil")), StatusCode::FORBIDDEN),
        (preflight("/profile", "https://app.example.com", "PUT", None), StatusCode::FORBIDDEN),
        // Allowed, and without `Origin` (not a CORS request): nothing is logged.
        (preflight("/profile", "https://app.example.com", "GET", None), StatusCode::NO_CONTENT),
        (Request::get("/profile").body(Body::empty()).unwrap(), StatusCode::OK),
    ];
    for (request, expected) in requests {
        assert_eq!(status(&app, request).await, expected);
    }
    let lines: Vec<String> = log.text().lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            " INFO cors: CORS origins replaced policy=\"Tenants\" before=0 origins=1 patterns=1",
            " INFO cors: CORS origin inserted policy=\"Tenants\" origin=\"https://new.example\" total=3",
            " INFO cors: CORS origin removed policy=\"Tenants\" origin=\"https://new.example\" total=2",
            "DEBUG cors: CORS preflight rejected: origin not allowed method=\"OPTIONS\" requested_method=\"DELETE\" path=\"/tenant/7\" origin=\"https://evil.example\" policy=\"Tenants\"",
            "DEBUG cors: CORS: origin not allowed for this route method=DELETE path=\"/tenant/7\" origin=\"https://evil.example\" policy=\"Tenants\"",
            "DEBUG cors: CORS: origin not allowed for this route; the response carries no CORS headers method=GET path=\"/profile\" origin=\"https://evil.example\" policy=\"AppSession\"",
            "DEBUG cors: CORS preflight rejected: a requested header is not allowed method=\"OPTIONS\" requested_method=\"GET\" path=\"/profile\" origin=\"https://app.example.com\" policy=\"AppSession\"",
            "DEBUG cors: CORS preflight rejected: no route for the requested method at this path method=\"OPTIONS\" requested_method=\"PUT\" path=\"/profile\" origin=\"https://app.example.com\"",
        ]
    );
}
