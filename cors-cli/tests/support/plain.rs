//! A service's handlers without CORS: what runs behind the gateway once nginx owns CORS.

use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use cors_runtime::Routes;

/// A handler, ready to be routed for any method.
pub type PlainRoute<S> = Box<dyn Fn(MethodFilter) -> MethodRouter<S>>;

/// `plain![a, module::b]`: each handler by its name (the last path segment), as plain routes.
#[macro_export]
macro_rules! plain {
    ($($handler:path),* $(,)?) => {
        vec![$((
            stringify!($handler).rsplit("::").next().unwrap().trim(),
            Box::new(|filter| ::axum::routing::on(filter, $handler)) as $crate::support::PlainRoute<_>,
        )),*]
    };
}

/// The table's routes served by the handlers of the same names, at the table's paths and
/// methods, without CORS. Every handler must serve exactly one route.
pub fn plain_router<S: Clone + Send + Sync + 'static>(
    table: &Routes<S>,
    handlers: &[(&str, PlainRoute<S>)],
) -> Router<S> {
    table.entries().iter().fold(Router::new(), |router, entry| {
        let (_, route) = handlers
            .iter()
            .find(|(name, _)| *name == entry.handler)
            .unwrap_or_else(|| panic!("no plain handler for {}", entry.handler));
        router.route(&entry.path, route(entry.method.filter()))
    })
}

/// The CORS headers of an upstream from before the gateway, all wrong for every policy: the
/// gateway must remove them (`Vary` is left alone: the gateway merges into it).
pub const WRONG_CORS: [(&str, &str); 6] = [
    ("access-control-allow-origin", "*"),
    ("access-control-allow-credentials", "true"),
    ("access-control-allow-methods", "*"),
    ("access-control-allow-headers", "*"),
    ("access-control-expose-headers", "x-internal-secret"),
    ("access-control-max-age", "86400"),
];

/// `upstream` adding [`WRONG_CORS`] to every response.
pub fn with_wrong_cors<S: Clone + Send + Sync + 'static>(upstream: Router<S>) -> Router<S> {
    upstream.layer(axum::middleware::map_response(|mut response: axum::response::Response| async move {
        for (name, value) in WRONG_CORS {
            response.headers_mut().insert(name, http::HeaderValue::from_static(value));
        }
        response
    }))
}
