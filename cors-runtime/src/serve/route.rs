//! One route: what `#[cors]` implements on the same-named struct beside a handler, and the row
//! of the route table it becomes.

use crate::policy::{Policy, RouteMethod};

/// Implemented by `#[cors]` on a same-named braced struct beside the handler, so
/// `routes![a::b]` finds a route's metadata from the handler's own path.
pub trait CorsRoute {
    const METHOD: RouteMethod;
    const PATH: &'static str;
    /// The handler function's name.
    const HANDLER: &'static str;
    /// The route's policy: a constant rather than a function, so a route adds no function of
    /// its own for it (one less per route for the compiler).
    const POLICY: &'static Policy;
}

/// One row of the route table.
#[derive(Debug, Clone)]
pub struct RouteEntry {
    pub method: RouteMethod,
    /// The full path, with every prefix [`Routes::nest`](crate::Routes::nest) added.
    pub path: String,
    pub handler: &'static str,
    pub policy: &'static Policy,
}
