// Preflights are answered by the generated OPTIONS route.
use cors_runtime::cors;

#[cors(OPTIONS "/orders", origins = ["https://app.example.com"])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
