//! The floor (DESIGN §9.4): for each shape, the least code that answers it correctly, written by
//! hand, measured in the same run as the library. Static values, no generality, no boxing: the
//! origin check is the shape's own expression (`shapes.rs`, `floor origin ...`), a match on
//! byte strings where the shape lists origins; the header values are built once; the route table
//! of the route-aware floor is a `match` on the shape's paths.
//!
//! One floor per position a form of the library takes:
//! - per route (`routes![...]`'s position): the shape's handlers, each with the policy written
//!   around it, and a per-path `OPTIONS` service (`MethodRouter::options_service`, a zero-sized
//!   service with a ready future: an axum `.options(...)` handler would box its future);
//! - an outer service ([`FloorService`], `NAME::layer()`'s position, as the outer service and
//!   through `Router::layer`);
//! - a route-aware layer ([`FloorRoutesService`], `Routes::layer()`'s position: through
//!   `Router::layer`, outside a middleware, around the shape's plain routes).
//!
//! What the floor knows that a library cannot: the shape's handlers. The one handler that sets
//! its own `Vary` sets `accept-encoding`, so the floor writes the merged value as a constant.

mod answer;
mod layers;

pub use answer::{env_origins, subdomain_of, Floor};
pub use layers::{FloorLayer, FloorRoutesLayer, FloorRoutesService, FloorService};
