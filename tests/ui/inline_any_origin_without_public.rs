// An inline policy open to every origin must show `public` at the route, however `*` is written.
use cors_runtime::cors;

#[cors(GET "/status", origins = "*")]
async fn status() -> &'static str {
    ""
}

#[cors(GET "/health", origins = ["*"])]
async fn health() -> &'static str {
    ""
}

fn main() {}
