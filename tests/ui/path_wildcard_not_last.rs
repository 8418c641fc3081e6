use cors_runtime::cors;

#[cors(GET "/files/{*path}/raw", public)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
