// A route names a policy that does not exist: one error each, at the name, with rustc's guess.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = ["https://app.example.com"], credentials)]
pub struct AppSession;

mod policies {
    use cors_runtime::cors_policy;

    #[cors_policy(origins = ["https://admin.example.com"], credentials)]
    pub struct AdminSession;
}

#[cors(GET "/orders", policy = AppSesion)]
async fn orders() -> &'static str {
    "[]"
}

#[cors(DELETE "/orders", policy = policies::AdminSesion)]
async fn purge() -> &'static str {
    ""
}

fn main() {}
