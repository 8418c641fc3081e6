use cors_runtime::{cors, routes};

mod orders {
    use cors_runtime::cors;

    #[cors(GET "/orders/{id}", origins = ["https://app.example.com"])]
    pub async fn show() -> &'static str {
        "{}"
    }
}

#[cors(GET "/orders/{order_id}", origins = ["https://admin.example.com"])]
async fn admin_show() -> &'static str {
    "{}"
}

fn main() {
    let _app: axum::Router = routes![orders::show, admin_show].into();
}
