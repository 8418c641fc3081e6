// Handlers listed in routes![...] without #[cors]: named, with the fix, the first one first.
use cors_runtime::{cors, routes};

#[cors(GET "/orders", origins = ["https://app.example.com"])]
async fn orders() -> &'static str {
    "[]"
}

async fn health() -> &'static str {
    "ok"
}

mod admin {
    pub async fn purge() {}
}

fn main() {
    let _app: axum::Router = routes![orders, health].into();
    let _admin: axum::Router = routes![admin::purge].into();
}
