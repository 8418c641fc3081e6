use cors_runtime::cors;

#[cors(GET "orders", public)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
