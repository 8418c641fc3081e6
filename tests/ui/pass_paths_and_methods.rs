// axum 0.8 paths; every route method at one path, each with its own policy.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(origins = ["https://app.example.com"], methods = [POST, PUT, PATCH, DELETE])]
pub struct Writes;

#[cors(GET "/", public)]
async fn root() -> &'static str {
    ""
}

#[cors(GET "/files/{id}/{*rest}", public)]
async fn files() -> &'static str {
    ""
}

#[cors(GET "/literal/{{braces}}", public)]
async fn literal() -> &'static str {
    ""
}

#[cors(GET "/items/{id}", origins = ["https://app.example.com"])]
async fn get_item() -> &'static str {
    ""
}

#[cors(HEAD "/items/{id}", origins = ["https://app.example.com"])]
async fn head_item() -> &'static str {
    ""
}

#[cors(POST "/items/{id}", policy = Writes)]
async fn post_item() -> &'static str {
    ""
}

#[cors(PUT "/items/{id}", policy = Writes)]
async fn put_item() -> &'static str {
    ""
}

#[cors(PATCH "/items/{id}", policy = Writes)]
async fn patch_item() -> &'static str {
    ""
}

#[cors(DELETE "/items/{id}", policy = Writes)]
async fn delete_item() -> &'static str {
    ""
}

fn main() {
    let _app: axum::Router = routes![
        root, files, literal, get_item, head_item, post_item, put_item, patch_item, delete_item,
    ]
    .into();
}
