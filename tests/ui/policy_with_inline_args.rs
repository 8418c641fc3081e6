// A route either names a policy or writes one inline, not both.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"])]
pub struct AppSession;

#[cors(GET "/orders", policy = AppSession, credentials, max_age = 60)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
