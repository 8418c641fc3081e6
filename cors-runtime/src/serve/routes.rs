//! `routes![...]`'s value: the route table, and the `axum::Router` it turns into, with one
//! generated `OPTIONS` route per path that answers preflights for every method at that path.
//! Lists merge and nest like axum routers, and [`Routes::layer`] puts CORS outside middleware.

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::marker::PhantomData;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use super::handler::{CorsHandler, RouteHandler};
use super::paths::PathRoutes;
use super::route::{CorsRoute, RouteEntry, RouteInfo};
use super::route_clash::same_shape;
use super::routes_layer::RoutesLayer;
use crate::policy::{ConfigError, Policy};

/// The routes of one or more `routes![...]`: print it for the route table, merge lists, nest
/// them under a prefix, turn them into a router, and build the route-aware CORS layer.
#[derive(Clone)]
pub struct Routes<S = ()> {
    entries: Vec<RouteEntry>,
    method_routers: Vec<MethodRouter<S>>,
}

impl<S> Routes<S> {
    /// The routes, in the order `routes![...]` (and then `merge`) listed them.
    pub fn entries(&self) -> &[RouteEntry] {
        &self.entries
    }

    /// A tower layer that owns CORS for every route of this table, wherever it is applied:
    /// put it outermost (`.layer(api.layer())` after auth, rate limits and timeouts) and
    /// preflights are answered before any inner middleware runs, while every response of a
    /// route in the table, whoever produced it (`401` from auth, `429`, `500`, a timeout),
    /// carries that route's CORS headers. Requests for anything else pass through untouched.
    ///
    /// # Panics
    ///
    /// When a policy fails its [`check`](Routes::check), with the error's text.
    pub fn layer(&self) -> RoutesLayer {
        self.check_or_panic();
        RoutesLayer::new(&self.entries)
    }

    /// Reads and checks what every policy of the table takes from the environment
    /// (`origins = env("VAR")`): one error listing every problem of every policy.
    pub fn check(&self) -> Result<(), ConfigError> {
        let mut policies: Vec<&'static Policy> = Vec::new();
        for entry in &self.entries {
            if !policies.iter().any(|p| std::ptr::eq(*p, entry.policy)) {
                policies.push(entry.policy);
            }
        }
        ConfigError::combine(policies.iter().map(|p| p.check()))
    }

    /// Building a router or layer from a bad configuration panics, as axum does on bad routes.
    fn check_or_panic(&self) {
        if let Err(e) = self.check() {
            panic!("{e}");
        }
    }
}

impl<S> Routes<S>
where
    S: Clone + Send + Sync + 'static,
{
    #[doc(hidden)]
    pub fn __new() -> Self {
        Routes { entries: Vec::new(), method_routers: Vec::new() }
    }

    /// Adds handler `H`, whose route is described by the same-named struct `R`. Compiled once
    /// per route: what does not depend on the handler is in [`Routes::entry`].
    #[doc(hidden)]
    pub fn __route<R: CorsRoute + 'static, H: RouteHandler<R, T, S> + Copy, T: 'static>(&mut self, handler: H) {
        let filter = self.entry(R::ROUTE);
        self.method_routers.push(on(filter, CorsHandler::<H, R> { handler, route: PhantomData }));
    }

    /// Adds the route's row to the table; returns the method filter to route it with.
    fn entry(&mut self, route: &'static RouteInfo) -> MethodFilter {
        let RouteInfo { method, path, handler, policy } = *route;
        self.entries.push(RouteEntry { method, path: path.to_owned(), handler, policy });
        method.filter()
    }

    /// Both lists in one table (handlers split by module, merged by the app). Paths they share
    /// get one `OPTIONS` route.
    ///
    /// # Panics
    ///
    /// When both lists claim one METHOD and PATH (capture names do not matter), naming both
    /// handlers and the route, as axum panics on overlapping routes; and when they write one
    /// path with different capture names, which axum cannot route.
    pub fn merge(mut self, other: Routes<S>) -> Self {
        for added in &other.entries {
            if let Some(existing) = self.entries.iter().find(|e| same_shape(&e.path, &added.path)) {
                if existing.method == added.method {
                    panic!(
                        "Routes::merge: `{}` and `{}` both claim `{} {}`; axum routes one handler per METHOD and PATH (capture names do not matter): give one of them another path or method",
                        existing.handler, added.handler, added.method, added.path
                    );
                }
                if existing.path != added.path {
                    panic!(
                        "Routes::merge: `{}` (`{} {}`) and `{}` (`{} {}`) name the captures of one path differently; axum keeps one name per position for all methods and would panic building the router: use the same names in both",
                        existing.handler, existing.method, existing.path, added.handler, added.method, added.path
                    );
                }
            }
        }
        self.entries.extend(other.entries);
        self.method_routers.extend(other.method_routers);
        self
    }

    /// Every path under `prefix`, as `axum::Router::nest` would serve them: `/orders` nested
    /// under `/api` is `/api/orders`, and `/` is `/api`. The route table shows the full paths.
    ///
    /// # Panics
    ///
    /// When axum would refuse the prefix: empty, `/`, without a leading `/`, with a trailing
    /// `/`, or not a valid axum 0.8 path.
    pub fn nest(mut self, prefix: &str) -> Self {
        if let Err(problem) = check_prefix(prefix) {
            panic!("Routes::nest(\"{prefix}\"): {problem}");
        }
        for entry in &mut self.entries {
            entry.path = if entry.path == "/" { prefix.to_owned() } else { format!("{prefix}{}", entry.path) };
        }
        self
    }

    /// The `axum::Router` serving these routes and their preflights.
    ///
    /// # Panics
    ///
    /// When a policy fails its [`check`](Routes::check), with the error's text.
    pub fn into_router(self) -> Router<S> {
        self.check_or_panic();
        let mut method_routers: Vec<Option<MethodRouter<S>>> = self.method_routers.into_iter().map(Some).collect();
        let mut take = |i: usize| method_routers[i].take().expect("each route belongs to one path");
        // One `OPTIONS` service type for every path: a service generic over the route would
        // save an allocation per preflight but cost axum's whole service stack in codegen for
        // every route (about 0.9 s of a 200-route app's build).
        PathRoutes::group(&self.entries).into_iter().fold(Router::new(), |router, (path, indices)| {
            let method_router = indices.iter().fold(MethodRouter::new(), |merged, &i| merged.merge(take(i)));
            let at = path.path.clone();
            router.route(&at, method_router.on_service(MethodFilter::OPTIONS, PathOptions { path: Arc::new(path) }))
        })
    }
}

/// Why axum would refuse `prefix` for `Router::nest`, in the words of the fix.
fn check_prefix(prefix: &str) -> Result<(), String> {
    match prefix {
        "" => Err("the prefix is empty: nest under a path such as `/api`, or merge the routes without nesting".into()),
        "/" => Err("nesting at the root changes nothing: merge the routes without nesting".into()),
        _ if !prefix.starts_with('/') => Err(format!("the prefix must start with `/`: `/{prefix}`")),
        _ if prefix.ends_with('/') => {
            Err(format!("the prefix must not end with `/`: `{}`", prefix.trim_end_matches('/')))
        }
        _ => cors_rules::check_path(prefix),
    }
}

impl<S> From<Routes<S>> for Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    fn from(routes: Routes<S>) -> Router<S> {
        routes.into_router()
    }
}

/// The `OPTIONS` route of one path: preflights dispatch on the requested method to the answer
/// of that method's route; a plain `OPTIONS` gets `204` with `Allow`.
#[derive(Clone)]
struct PathOptions {
    path: Arc<PathRoutes>,
}

impl tower_service::Service<Request> for PathOptions {
    type Response = Response;
    type Error = Infallible;
    type Future = Ready<Result<Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        ready(Ok(self.path.options(&request)))
    }
}
