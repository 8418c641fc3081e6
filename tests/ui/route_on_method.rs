// `#[cors]` on a method: handlers are free functions that `routes![...]` finds by module path.
use cors_runtime::cors;

pub struct OrdersApi;

impl OrdersApi {
    #[cors(GET "/orders", public)]
    pub async fn list(&self) -> &'static str {
        "[]"
    }
}

fn main() {}
