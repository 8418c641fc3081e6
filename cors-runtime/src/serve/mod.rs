//! Serving it: which policy a request belongs to, and putting the answer on the wire. The
//! handler wrapper (`routes![...]` alone), the route table and its paths, the route-aware
//! layer (`Routes::layer()`) and a named policy's layer (`NAME::layer()`), and their futures.
//!
//! This room imports the answer and policy rooms; nothing below imports it. Inside, `routes`
//! (the table users hold) sits on top: it builds the router from `handler` and `paths`, and the
//! layer from `routes_layer`, which shares `paths`, `layer_future` and `layer_scope` with them.

pub(crate) mod const_message;
mod handler;
mod layer_future;
mod layer_scope;
mod path_index;
mod paths;
mod policy_layer;
mod route;
pub(crate) mod route_clash;
mod route_table;
mod routes;
#[cfg(feature = "serde")]
mod routes_json;
mod routes_layer;

pub use handler::{CorsHandler, RouteFuture, RouteHandler};
pub use layer_future::LayerFuture;
pub use policy_layer::{PolicyLayer, PolicyService};
pub use route::{CorsRoute, RouteEntry, RouteInfo};
pub use routes::Routes;
pub use routes_layer::{RoutesLayer, RoutesService};
