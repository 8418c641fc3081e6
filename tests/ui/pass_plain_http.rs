// Plain http: with credentials only on loopback; without credentials anywhere.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(
    origins = ["http://localhost:5173", "http://127.0.0.1:3000", "http://[::1]:8080", "https://app.example.com"],
    credentials,
)]
pub struct DevSession;

#[cors(GET "/me", policy = DevSession)]
async fn me() -> &'static str {
    ""
}

#[cors(GET "/docs", origins = ["http://intranet.example.com"])]
async fn docs() -> &'static str {
    ""
}

fn main() {
    let _app: axum::Router = routes![me, docs].into();
}
