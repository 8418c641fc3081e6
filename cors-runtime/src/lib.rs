//! Compile-checked, per-route CORS for axum.
//!
//! ```
//! use cors_runtime::{cors, cors_policy, routes};
//!
//! #[cors_policy(origins = ["https://app.example.com"], credentials, expose = ["etag"])]
//! pub struct AppSession;
//!
//! #[cors(GET "/profile", policy = AppSession)]
//! async fn profile() -> &'static str { "{}" }
//!
//! #[cors(GET "/status", public)]
//! async fn status() -> &'static str { "ok" }
//!
//! let app: axum::Router = axum::Router::new().merge(routes![profile, status]);
//! ```
//!
//! Every policy is checked when the crate compiles (see the rule table, docs/rules.md); at run time
//! a policy is static data: an allowed actual request allocates nothing beyond what its handler
//! does, and a preflight is answered by cloning its route's prebuilt answer.

mod actual;
pub mod browser;
mod config;
mod env_origins;
mod layer;
mod layer_future;
mod method;
mod paths;
mod policy;
mod preflight;
mod route;
mod routes;
#[cfg(feature = "serde")]
mod routes_json;
mod routes_layer;
mod vary;

pub use config::ConfigError;
pub use cors_macros::{cors, cors_policy, routes};
pub use env_origins::EnvOrigins;
pub use layer::{PolicyLayer, PolicyService};
pub use layer_future::LayerFuture;
pub use method::{MethodSet, RouteMethod};
pub use policy::{OriginList, Origins, Policy};
pub use route::{CorsHandler, CorsRoute, NamedPolicy, PrivatePolicy, PublicPolicy, RouteFuture};
pub use routes::{RouteEntry, Routes};
pub use routes_layer::{RoutesLayer, RoutesService};

/// What the macros' expansions name; not part of the public API.
#[doc(hidden)]
#[path = "macro_support.rs"]
pub mod __private;
