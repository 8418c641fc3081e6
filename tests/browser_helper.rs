//! The browser helper on real routers: docs/browser-testing.md's five lines verbatim, and a named
//! policy used as a tower layer in front of a handler that knows nothing of CORS.

use axum::routing::any;
use axum::Router;
use cors_browser::{CheckFailure, Credentials, Engine, Fetch, PreflightSent, Reason};
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
#[rustfmt::skip] // docs/browser-testing.md's lines, as printed there
async fn the_readme_example() {
    use cors_browser::{Credentials, Fetch};
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
#[rustfmt::skip] // docs/browser-testing.md's lines, as printed there
async fn the_readme_every_engine_example() {
    use cors_browser::{Engine, Fetch};
    let app: axum::Router = routes![profile, create_order].into();
    let fetch = Fetch::get("https://app.example.com", "https://api.example.com/profile");
    let in_firefox = fetch.clone().engine(Engine::Firefox).send(app.clone()).await;
    for (engine, outcome) in fetch.send_every_engine(app).await {     // standard, Chromium, Firefox
        assert!(outcome.is_allowed(), "{engine}: {outcome}");          // each engine's console message
    }
    assert!(in_firefox.is_allowed(), "{in_firefox}");
}

#[tokio::test]
async fn every_engine_words_its_own_console_message() {
    let app: Router = routes![profile, create_order].into();
    let fetch = Fetch::get("https://evil.example", "https://api.example.com/profile");
    let messages: Vec<(Engine, String)> = fetch
        .send_every_engine(app)
        .await
        .into_iter()
        .map(|(engine, outcome)| (engine, outcome.blocked().expect("a foreign origin is blocked").message()))
        .collect();
    let chromium = "Access to fetch at 'https://api.example.com/profile' from origin 'https://evil.example' has been \
                    blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested \
                    resource.";
    let firefox = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \
                   https://api.example.com/profile. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). \
                   Status code: 200.";
    assert_eq!(
        messages,
        [
            (Engine::Standard, chromium.to_string()),
            (Engine::Chromium, chromium.into()),
            (Engine::Firefox, firefox.into())
        ]
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
