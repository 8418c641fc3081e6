use cors_runtime::cors;

#[cors(GET "/orders", origins = ["https://a.example.com"], credentials, origins = ["https://b.example.com"], credentials)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
