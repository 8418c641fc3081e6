use cors_runtime::{cors, routes};

#[cors(GET "/status", public)]
async fn status() -> &'static str {
    "ok"
}

fn main() {
    let _app: axum::Router = routes![status, status].into();
}
