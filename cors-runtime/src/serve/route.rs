//! One route: what `#[cors]` implements on the same-named struct beside a handler, and the row
//! of the route table it becomes.

use crate::policy::{Policy, RouteMethod};

/// Implemented by `#[cors]` on a same-named braced struct beside the handler, so
/// `routes![a::b]` finds a route's metadata from the handler's own path.
pub trait CorsRoute {
    /// Everything about the route in one constant, not a function nor one constant per item: in
    /// code generic over the route the compiler evaluates each constant once per route.
    const ROUTE: &'static RouteInfo;
}

/// A route as `#[cors]` declared it.
#[derive(Debug)]
pub struct RouteInfo {
    /// The declared method.
    pub method: RouteMethod,
    /// The path as written in the attribute.
    pub path: &'static str,
    /// The handler function's name.
    pub handler: &'static str,
    /// The route's compiled policy.
    pub policy: &'static Policy,
}

/// One row of the route table.
#[derive(Debug, Clone)]
pub struct RouteEntry {
    /// The route's method.
    pub method: RouteMethod,
    /// The full path, with every prefix [`Routes::nest`](crate::Routes::nest) added.
    pub path: String,
    /// The handler function's name.
    pub handler: &'static str,
    /// The route's policy: a named one, or its own inline arguments (named `inline`).
    pub policy: &'static Policy,
}
