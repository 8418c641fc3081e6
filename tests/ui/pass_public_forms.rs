// The ways to write a public route, and `*` in header lists without credentials.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(origins = "*", headers = ["*"], expose = ["*"], methods = [GET, HEAD])]
pub struct PublicRead;

#[cors(GET "/status", public)]
async fn status() -> &'static str {
    ""
}

#[cors(GET "/catalog", public, origins = "*", expose = ["etag"])]
async fn catalog() -> &'static str {
    ""
}

#[cors(HEAD "/catalog", public, policy = PublicRead)]
async fn catalog_head() -> &'static str {
    ""
}

fn main() {
    let _app: axum::Router = routes![status, catalog, catalog_head].into();
}
