// The policy lists the methods it may serve; this route's is not one of them.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"], methods = [GET, POST])]
pub struct AppSession;

#[cors(DELETE "/orders/{id}", policy = AppSession)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
