use cors_runtime::cors;

#[cors(GET "/orders/{id", public)]
async fn order() -> &'static str {
    ""
}

#[cors(GET "/orders/id}", public)]
async fn other() -> &'static str {
    ""
}

fn main() {}
