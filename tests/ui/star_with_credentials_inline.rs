use cors_runtime::cors;

#[cors(GET "/me", origins = "*", credentials)]
async fn me() -> &'static str {
    "{}"
}

fn main() {}
