//! The six ways of serving the same two routes under the same policy: bare axum, tower-http's
//! `CorsLayer` and `AppSession::layer()` (each as a router layer and as an outer service), and
//! `routes![...]`.

use axum::body::Body;
use axum::routing::{get, post};
use axum::Router;
use cors_runtime::{cors, routes};
use http::StatusCode;
use tower::Layer;

include!("policy/app_session.rs");
include!("policy/tower_http.rs");

// The same handlers serve every variant: `#[cors]` leaves them ordinary functions.

#[cors(GET "/profile", policy = AppSession)]
pub async fn profile() -> &'static str {
    "{}"
}

#[cors(POST "/orders", policy = AppSession)]
pub async fn create_order() -> StatusCode {
    StatusCode::CREATED
}

/// One way of serving the routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Bare,
    TowerHttpLayer,
    TowerHttpOuter,
    Routes,
    PolicyLayer,
    PolicyOuter,
}

impl Variant {
    pub const ALL: [Variant; 6] = [
        Variant::Bare,
        Variant::TowerHttpLayer,
        Variant::TowerHttpOuter,
        Variant::Routes,
        Variant::PolicyLayer,
        Variant::PolicyOuter,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare",
            Variant::TowerHttpLayer => "tower-http-layer",
            Variant::TowerHttpOuter => "tower-http-outer",
            Variant::Routes => "routes",
            Variant::PolicyLayer => "policy-layer",
            Variant::PolicyOuter => "policy-outer",
        }
    }

    /// How the table describes it.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Bare => "bare axum (no CORS)",
            Variant::TowerHttpLayer => "tower-http `CorsLayer` via `Router::layer`",
            Variant::TowerHttpOuter => "tower-http `CorsLayer` as outer service",
            Variant::Routes => "`routes![...]`",
            Variant::PolicyLayer => "`AppSession::layer()` via `Router::layer`",
            Variant::PolicyOuter => "`AppSession::layer()` as outer service",
        }
    }

    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    pub fn has_cors(self) -> bool {
        self != Variant::Bare
    }
}

/// The routes without CORS.
pub fn bare() -> Router {
    Router::new().route("/profile", get(profile)).route("/orders", post(create_order))
}

pub fn tower_http_layer() -> Router {
    bare().layer(tower_http_cors())
}

pub fn tower_http_outer() -> tower_http::cors::Cors<Router> {
    tower_http_cors().layer(bare())
}

pub fn with_routes() -> Router {
    Router::new().merge(routes![profile, create_order])
}

pub fn policy_layer() -> Router {
    bare().layer(AppSession::layer())
}

pub fn policy_outer() -> cors_runtime::PolicyService<Router> {
    AppSession::layer().layer(bare())
}

/// Calls `$body` with `$app` bound to a freshly built service of `$variant`'s concrete type, so
/// every variant is driven without boxing (which would add costs of its own).
#[macro_export]
macro_rules! with_app {
    ($variant:expr, |$app:ident| $body:expr) => {
        match $variant {
            $crate::Variant::Bare => {
                let $app = $crate::apps::bare();
                $body
            }
            $crate::Variant::TowerHttpLayer => {
                let $app = $crate::apps::tower_http_layer();
                $body
            }
            $crate::Variant::TowerHttpOuter => {
                let $app = $crate::apps::tower_http_outer();
                $body
            }
            $crate::Variant::Routes => {
                let $app = $crate::apps::with_routes();
                $body
            }
            $crate::Variant::PolicyLayer => {
                let $app = $crate::apps::policy_layer();
                $body
            }
            $crate::Variant::PolicyOuter => {
                let $app = $crate::apps::policy_outer();
                $body
            }
        }
    };
}

/// Keeps the request body type in one place.
pub type Request = http::Request<Body>;
pub type Response = http::Response<Body>;
