use cors_runtime::cors;

#[cors("/orders", GET, public)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
