// DESIGN §2, verbatim.
use cors_runtime::{cors, cors_policy, routes};

/// Named, reusable, compile-checked policy.
#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com"],
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct AppSession;

/// Any origin may read; never credentials.
#[cors_policy(origins = "*", expose = ["etag", "link", "retry-after"])]
pub struct PublicRead;

#[cors(GET "/profile", policy = AppSession)]
async fn profile() -> &'static str { "{}" }

#[cors(POST "/orders", policy = AppSession)]
async fn create_order(body: String) -> String { body }

#[cors(GET "/orders/{id}", origins = ["https://app.example.com"], credentials, expose = ["etag"])]
async fn get_order(axum::extract::Path(id): axum::extract::Path<u32>) -> String { id.to_string() }

#[cors(GET "/catalog", public, policy = PublicRead)]
async fn catalog() -> &'static str { "[]" }

#[cors(GET "/status", public)]            // inline public policy: Access-Control-Allow-Origin: *
async fn status() -> &'static str { "ok" }

fn main() {
    let app: axum::Router = axum::Router::new()
        .merge(routes![profile, create_order, get_order, catalog, status]);
    let _ = app;
}
