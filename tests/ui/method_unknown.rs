use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"], methods = [GET, FETCH])]
pub struct AppSession;

#[cors(PURGE "/cache", policy = AppSession)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
