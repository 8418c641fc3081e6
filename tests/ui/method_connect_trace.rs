// `fetch` refuses these methods, so no CORS request uses them.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"], methods = [GET, TRACE])]
pub struct AppSession;

#[cors(CONNECT "/tunnel", policy = AppSession)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
