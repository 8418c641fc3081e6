// Handlers axum cannot call: an argument that is no extractor (our hint, at the handler), and a
// state other than the router's (rustc names both states: the handler's fixes the list's).
use axum::extract::State;
use cors_runtime::{cors, routes};

struct NotAnExtractor;

#[derive(Clone)]
struct AppState;

#[derive(Clone)]
struct OtherState;

#[cors(GET "/orders", origins = ["https://app.example.com"])]
async fn orders(_: NotAnExtractor) -> &'static str {
    "[]"
}

#[cors(GET "/stock", origins = ["https://app.example.com"])]
async fn stock(State(_): State<AppState>) -> &'static str {
    "[]"
}

fn main() {
    let _app: axum::Router = routes![orders].into();
    let _other: cors_runtime::Routes<OtherState> = routes![stock];
}
