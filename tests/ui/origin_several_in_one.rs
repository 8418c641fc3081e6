// Several origins in one string, as an env var or a config file would hold them: one entry each.
use cors_runtime::cors;

#[cors(GET "/orders", origins = ["https://f.example.com,https://g.example.com", "https://a.example.com https://B.example.com/"])]
async fn orders() -> &'static str {
    "[]"
}

fn main() {}
