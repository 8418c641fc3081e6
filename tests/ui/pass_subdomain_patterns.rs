// Patterns under a domain one owns, whatever its public suffix.
use cors_runtime::{cors, cors_policy, routes};

#[cors_policy(origins = [
    "https://*.example.com",
    "https://*.example.co.uk",
    "https://*.api.example.com:8443",
    "https://*.my-app.github.io",
    "https://app.example.org",
])]
pub struct Tenants;

#[cors(GET "/tenant", policy = Tenants)]
async fn tenant() -> &'static str {
    ""
}

fn main() {
    let _app: axum::Router = routes![tenant].into();
}
