// Methods as sent on the wire.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"], methods = [GET, post])]
pub struct AppSession;

#[cors(get "/orders", policy = AppSession)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
