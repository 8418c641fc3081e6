// A public route lets every website read it; credentials need named origins.
use cors_runtime::cors;

#[cors(GET "/status", public, credentials)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
