// An invalid attribute still emits its item: the handler stays callable, `routes![...]` and
// `layer()` still resolve, so the only errors are the two rule violations.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(origins = ["https://app.example.com/"], credentials)]
pub struct AppSession;

#[cors(GET "/profile", policy = AppSession)]
async fn profile() -> &'static str {
    "{}"
}

#[cors(GET "/orders/:id", origins = ["https://app.example.com"])]
async fn order() -> &'static str {
    "{}"
}

fn main() {
    let _future = order();
    let _app: axum::Router = routes![profile, order].into();
    let _layer = AppSession::layer();
}
