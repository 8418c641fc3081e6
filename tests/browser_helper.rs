//! The browser helper on real routers: the README's five lines verbatim, and a named policy
//! used as a tower layer in front of a handler that knows nothing of CORS.

use axum::routing::any;
use axum::Router;
use cors_runtime::browser::{CheckFailure, Credentials, Fetch, PreflightSent, Reason};
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com"],
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct AppSession;

#[cors(GET "/profile", policy = AppSession)]
async fn profile() -> &'static str {
    "{}"
}

#[cors(POST "/orders", policy = AppSession)]
async fn create_order(body: String) -> String {
    body
}

#[tokio::test]
#[rustfmt::skip] // the README's lines, as printed there
async fn the_readme_example() {
    use cors_runtime::browser::{Credentials, Fetch};
    let app: axum::Router = routes![profile, create_order].into();
    let outcome = Fetch::new("https://app.example.com", "POST", "https://api.example.com/orders")
        .header("Content-Type", "application/json").credentials(Credentials::Include).send(app).await;
    assert_eq!(outcome.status(), Some(http::StatusCode::OK), "{outcome}"); // or the console message
    assert_eq!(
        outcome.preflight,
        Some(PreflightSent { method: "POST".into(), headers: Some("content-type".into()) })
    );
}

#[tokio::test]
async fn a_policy_layer_in_front_of_a_plain_handler() {
    let app = || {
        Router::new()
            .fallback(any(|| async { ([("etag", "\"1\""), ("x-internal", "secret")], "ok") }))
            .layer(AppSession::layer())
    };
    let allowed = Fetch::new("https://admin.example.com", "DELETE", "https://gateway.example/anything")
        .header("Authorization", "Bearer t")
        .credentials(Credentials::Include)
        .send(app())
        .await;
    assert!(allowed.is_allowed(), "{allowed}");
    assert_eq!(allowed.header("etag"), Some("\"1\""));
    assert_eq!(allowed.header("x-internal"), None, "not exposed");

    let foreign = Fetch::get("https://evil.example", "https://gateway.example/anything").send(app()).await;
    assert!(foreign.sent, "a simple request reaches the server even when script may not read it");
    assert_eq!(foreign.blocked().unwrap().reason, Reason::Check(CheckFailure::MissingAllowOrigin));
    assert_eq!(
        foreign.blocked().unwrap().message(),
        "Access to fetch at 'https://gateway.example/anything' from origin 'https://evil.example' has been \
         blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
    );
}
