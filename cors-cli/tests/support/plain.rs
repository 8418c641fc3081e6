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
