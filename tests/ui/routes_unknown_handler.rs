// A handler path that names nothing (a typo of `orders`): rustc's own error, once, at the name.
use cors_runtime::{cors, routes};

#[cors(GET "/orders", origins = ["https://app.example.com"])]
async fn orders() -> &'static str {
    "[]"
}

fn main() {
    let _app: axum::Router = routes![ordres].into();
}
