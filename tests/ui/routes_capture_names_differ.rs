// One path, two methods, two capture names: axum cannot register both.
use cors_runtime::{cors, routes};

#[cors(GET "/items/{id}", origins = ["https://app.example.com"])]
async fn get_item() -> &'static str {
    ""
}

#[cors(DELETE "/items/{key}", origins = ["https://app.example.com"])]
async fn delete_item() -> &'static str {
    ""
}

fn main() {
    let _app: axum::Router = routes![get_item, delete_item].into();
}
