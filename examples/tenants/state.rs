//! What the handlers share.

use std::sync::Arc;

use super::domains::Domains;

#[derive(Clone)]
pub struct AppState {
    pub domains: Arc<Domains>,
    /// The bearer token the admin API accepts (a real service checks its operators' credentials).
    pub admin_token: Arc<str>,
}
