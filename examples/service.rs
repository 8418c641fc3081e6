//! Direct-to-service CORS (the field guide's "split them by route"): public and private routes
//! side by side, each with its policy written next to it.
//!
//! Run: `cargo run --example service` (or `-- --port 3000`), then try the printed curl commands.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use cors_examples::{curl_actual, curl_create_order, curl_preflight, listen_addr};
use cors_runtime::{cors, cors_policy, routes, Routes};

/// The browser app, with cookies. `http://localhost:5173` is the development server (plain
/// http is accepted with credentials on loopback only).
#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com", "http://localhost:5173"],
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct AppSession;

/// Anyone may read the catalog; never with credentials.
#[cors_policy(origins = "*", expose = ["etag", "link", "retry-after"])]
pub struct PublicRead;

/// Admin-only routes: other origins are refused before the handler runs.
#[cors_policy(origins = ["https://admin.example.com"], credentials, methods = [GET], strict)]
pub struct AdminOnly;

#[cors(GET "/status", public)]
async fn status() -> &'static str {
    "ok"
}

#[cors(GET "/catalog", public, policy = PublicRead)]
async fn catalog() -> impl IntoResponse {
    ([("etag", "\"v1\""), ("link", "</catalog?page=2>; rel=\"next\"")], "[\"tea\",\"coffee\"]")
}

#[cors(GET "/profile", policy = AppSession)]
async fn profile() -> impl IntoResponse {
    ([("x-request-id", "req-42"), ("etag", "\"p1\"")], "{\"name\":\"Ada\"}")
}

#[cors(POST "/orders", policy = AppSession)]
async fn create_order(body: String) -> impl IntoResponse {
    (StatusCode::CREATED, [("x-request-id", "req-43")], body)
}

#[cors(GET "/orders/{id}", origins = ["https://app.example.com", "http://localhost:5173"], credentials, expose = ["etag"])]
async fn get_order(Path(id): Path<u32>) -> impl IntoResponse {
    ([("etag", format!("\"o{id}\""))], format!("{{\"id\":{id}}}"))
}

#[cors(PUT "/orders/{id}", policy = AppSession)]
async fn replace_order(Path(id): Path<u32>, body: String) -> String {
    format!("{{\"id\":{id},\"replaced\":{body:?}}}")
}

#[cors(PATCH "/orders/{id}", policy = AppSession)]
async fn update_order(Path(id): Path<u32>, body: String) -> String {
    format!("{{\"id\":{id},\"patched\":{body:?}}}")
}

#[cors(DELETE "/orders/{id}", policy = AppSession)]
async fn delete_order(Path(_id): Path<u32>) -> StatusCode {
    StatusCode::NO_CONTENT
}

#[cors(GET "/admin/audit", policy = AdminOnly)]
async fn audit(headers: HeaderMap) -> String {
    // CORS is not authorization: a real handler still checks who is asking.
    let who = headers.get("authorization").map_or("nobody", |_| "bearer");
    format!("{{\"audit\":[],\"caller\":\"{who}\"}}")
}

/// The service's routes; also used by the end-to-end tests.
pub fn routes() -> Routes {
    routes![status, catalog, profile, create_order, get_order, replace_order, update_order, delete_order, audit]
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt::init();
    cors_examples::print_routes_json_if_asked(&routes());
    let addr = match listen_addr(3000) {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("service: {e}");
            std::process::exit(2);
        }
    };
    let routes = routes();
    println!("Routes and their CORS policies:\n\n{routes}");
    let base = format!("http://{addr}");
    let app = "https://app.example.com";
    println!("Try it (a preflight, then the actual request, as a browser on {app} would send them):\n");
    println!("{}\n", curl_create_order(&base, app));
    println!("{}\n", curl_actual("GET", &format!("{base}/profile"), app, &[]));
    println!(
        "A public route (any origin, no credentials):\n\n{}\n",
        curl_actual("GET", &format!("{base}/catalog"), "https://elsewhere.example", &[])
    );
    println!(
        "A foreign origin (preflight refused with 403 and a reason):\n\n{}\n",
        curl_preflight(&format!("{base}/orders"), "https://evil.example", "POST", "content-type")
    );
    let router: Router = routes.into();
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("service: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on {base}");
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("service: {e}");
        std::process::exit(1);
    }
}
