//! What tenants' pages call: their shops run on their own domains and read the orders API with
//! the visitor's cookies. Which domains those are is known only at run time (the tenants table),
//! so the policy's origins are `dynamic`: the service fills the list at start-up and changes it
//! as tenants add and remove domains.
//!
//! No state and nothing else from the example, so the browser suites serve these same routes
//! (`tests/browser/tenants.rs`).

use cors_runtime::{cors_policy, routes, Routes};

/// Where the tenants' routes are served.
pub const PREFIX: &str = "/api";

/// Tenants' own domains, with cookies. `max_age = 60`: a browser that cached an allowed
/// preflight keeps sending that request for up to a minute after its domain is removed (it
/// still cannot read the answers: every actual response is checked against the list in force),
/// so a removal reaches every browser within a minute instead of the default ten.
#[cors_policy(
    origins = dynamic,
    credentials,
    headers = ["authorization", "content-type"],
    expose = ["etag", "x-request-id"],
    max_age = 60,
)]
pub struct TenantApps;

pub mod orders {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use cors_runtime::cors;

    use super::TenantApps;

    #[cors(GET "/orders", policy = TenantApps)]
    pub async fn list() -> impl IntoResponse {
        ([("content-type", "application/json"), ("etag", "\"o1\""), ("x-request-id", "req-1")], "{\"orders\":[]}")
    }

    #[cors(POST "/orders", policy = TenantApps)]
    pub async fn create(body: String) -> impl IntoResponse {
        (StatusCode::CREATED, [("content-type", "application/json"), ("x-request-id", "req-2")], body)
    }
}

/// The tenants' routes, without the prefix (`routes().nest(PREFIX)` serves them).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Routes<S> {
    routes![orders::list, orders::create]
}
