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
#![deny(missing_docs)]

// Three rooms, imports pointing one way: serve → answer → policy → cors_rules.
mod answer;
mod policy;
mod serve;

pub use cors_macros::{cors, cors_policy, routes};
pub use policy::{
    ConfigError, DynamicOrigins, MethodSet, NamedPolicy, Policy, PrivatePolicy, PublicPolicy, RouteMethod,
};
pub use serve::{LayerFuture, PolicyLayer, PolicyService, RouteEntry, Routes, RoutesLayer, RoutesService};

/// What the macros' expansions name; not part of the public API.
#[doc(hidden)]
#[path = "macro_support.rs"]
pub mod __private;
