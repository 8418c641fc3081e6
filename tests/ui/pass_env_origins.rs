// Origins chosen at deployment, in named and inline policies, with and without a default.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(origins = env("APP_ORIGINS"), credentials, expose = ["etag"])]
pub struct AppSession;

#[cors(GET "/me", origins = env("ME_ORIGINS", default = "http://localhost:5173, https://*.dev.example.com"), credentials)]
async fn me() -> &'static str {
    "{}"
}

#[cors(GET "/orders", policy = AppSession)]
async fn orders() -> &'static str {
    "[]"
}

fn main() {
    let routes: cors_runtime::Routes = routes![me, orders];
    let _ = (routes.check(), AppSession::check());
}
