// `public` means any origin, so an allowlist beside it contradicts it.
use cors_runtime::cors;

#[cors(GET "/status", public, origins = ["https://app.example.com"])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
