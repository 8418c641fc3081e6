// Unknown keys list the valid ones and suggest the nearest, or the name other libraries use;
// the misspelled key is not then also reported as missing.
use cors_runtime::{cors, cors_policy};

#[cors_policy(orgins = ["https://app.example.com"], allow_headers = ["authorization"], cache = 600)]
pub struct AppSession;

#[cors(GET "/orders", polcy = AppSession)]
async fn orders() -> &'static str {
    ""
}

fn main() {}
