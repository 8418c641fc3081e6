// `#[axum::debug_handler]` stacks with `#[cors]`, above it or below it, with and without state:
// the hint a handler axum cannot call is given.
use axum::extract::State;
use cors_runtime::{cors, routes};

#[derive(Clone)]
struct AppState;

#[axum::debug_handler]
#[cors(GET "/orders", origins = ["https://app.example.com"])]
async fn orders() -> &'static str {
    "[]"
}

#[cors(POST "/orders", origins = ["https://app.example.com"])]
#[axum::debug_handler]
async fn create_order(body: String) -> String {
    body
}

#[axum::debug_handler(state = AppState)]
#[cors(GET "/stock", origins = ["https://app.example.com"])]
async fn stock(State(_): State<AppState>) -> &'static str {
    "[]"
}

fn main() {
    let _app: axum::Router = routes![orders, create_order].into();
    let _with_state: axum::Router = axum::Router::from(routes![stock]).with_state(AppState);
}
