// Every route must say who may read it.
use cors_runtime::cors;

#[cors(GET "/orders")]
async fn handler() -> &'static str {
    ""
}

fn main() {}
