// axum 0.8 writes captures as `{id}` and `{*rest}`.
use cors_runtime::cors;

#[cors(GET "/orders/:id", public)]
async fn order() -> &'static str {
    ""
}

#[cors(GET "/files/*path", public)]
async fn file() -> &'static str {
    ""
}

fn main() {}
