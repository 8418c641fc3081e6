//! The `tenants` example's routes (`origins = dynamic`, DESIGN §9.1) for the browser suites: the
//! page origin is a tenant's shop whose domain is added, then removed, while the server runs.
//!
//! A case that changes the list asks the page's own server to do it (`POST /change/<case>`, a
//! same-origin call) right before its `fetch()`, so the change lands between two fetches exactly
//! as an admin's `POST`/`DELETE /admin/tenants` would. The model is then run in case order with
//! the same changes replayed from an empty list, so it judges each fetch against the list the
//! browser met.
//!
//! The browser's preflight cache could hide a removal: an allowed preflight stays cached for the
//! policy's `max_age` (60 s here), keyed by origin and full URL. Each case has its own URL
//! (`?case=N`), so no cached answer serves a later case, and the suite checks that the server saw
//! the preflight of every case the model says is preflighted: a removal judged from a cached
//! preflight would fail that check rather than pass unseen.

#[path = "../../examples/tenants/api.rs"]
pub mod api;

use axum::Router;

use api::TenantApps;

/// A change to the tenants' list, made right before a case's fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The page's origin becomes a tenant's domain, as `POST /admin/tenants` makes it.
    Add,
    /// It is removed, as `DELETE /admin/tenants?origin=...` removes it.
    Remove,
}

/// Applies `change` to `page`, the page origin; panics if it did not change the list (a case
/// that adds what is there, or removes what is not, would not show what it says).
pub fn apply(change: Change, page: &str) {
    let changed = match change {
        Change::Add => TenantApps::origins().insert(page).unwrap_or_else(|e| panic!("{page} refused: {e}")),
        Change::Remove => TenantApps::origins().remove(page),
    };
    assert!(changed, "{change:?} {page} changed nothing; the list holds {:?}", TenantApps::origins().list());
}

/// The list as it is before the first case: empty, as a fresh service starts.
pub fn reset() {
    TenantApps::origins().replace(Vec::<String>::new()).unwrap();
}

/// The routes as the example serves them: under `/api`, with `Routes::layer()` outermost.
pub fn app() -> Router {
    let routes = api::routes().nest(api::PREFIX);
    let cors = routes.layer();
    Router::new().merge(routes).layer(cors)
}
