use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"], credentials)]
pub struct AppSession;

#[cors(GET "/catalog", public, policy = AppSession)]
async fn catalog() -> &'static str {
    "[]"
}

fn main() {}
