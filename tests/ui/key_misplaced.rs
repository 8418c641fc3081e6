// Keys that belong on the other attribute say where.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = "*", public)]
pub struct PublicRead;

#[cors(GET "/orders", origins = ["https://app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
