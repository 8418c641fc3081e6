use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = "*")]
pub struct PublicRead;

#[cors(GET "/catalog", policy = PublicRead)]
async fn catalog() -> &'static str {
    "[]"
}

fn main() {}
