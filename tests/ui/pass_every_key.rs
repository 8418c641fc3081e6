// Every key at once, on a named policy and inline on a route.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(
    origins = ["https://app.example.com", "https://*.admin.example.com"],
    credentials,
    methods = [GET, HEAD, POST, PUT, PATCH, DELETE],
    headers = ["authorization", "Content-Type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 86400,
    private_network,
    strict,
)]
pub struct Everything;

#[cors(PUT "/orders/{id}", policy = Everything)]
async fn put_order() -> &'static str {
    ""
}

#[cors(
    PATCH "/orders/{id}",
    strict,
    private_network,
    max_age = 0,
    expose = ["etag"],
    headers = ["authorization"],
    credentials,
    origins = ["https://app.example.com"],
)]
async fn patch_order() -> &'static str {
    ""
}

fn main() {
    let _app: axum::Router = routes![put_order, patch_order].into();
    let _layer = Everything::layer();
}
