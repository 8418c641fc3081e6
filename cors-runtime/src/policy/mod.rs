//! The policy: what a route allows, compiled by the macros into static data ([`Policy`]),
//! with its origins written in the source, read from the environment at start-up, or changed
//! while the service runs; the route methods; and the errors of what is checked at start-up.
//!
//! This room imports only `cors_rules`, `http` and axum's method filter: it knows nothing of
//! requests, responses or routers. The answer and serving rooms build on it.

mod compiled;
mod config_error;
mod method;
mod named;
mod origins;

pub use compiled::Policy;
pub use config_error::ConfigError;
pub use method::{MethodSet, RouteMethod};
pub use named::{NamedPolicy, PrivatePolicy, PublicPolicy};
pub(crate) use origins::ANY_ORIGIN;
pub use origins::{DynamicOrigins, EnvOrigins, OriginList, Origins};
