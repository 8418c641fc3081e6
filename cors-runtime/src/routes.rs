//! `routes![...]`'s value: the route table, and the `axum::Router` it turns into, with one
//! generated `OPTIONS` route per path that answers preflights for every method at that path.

use std::convert::Infallible;
use std::fmt;
use std::future::{ready, Ready};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use http::header::ALLOW;
use http::{HeaderValue, StatusCode};

use crate::method::RouteMethod;
use crate::policy::Policy;
use crate::preflight::{self, Template};
use crate::route::{CorsHandler, CorsRoute};

/// One row of the route table.
#[derive(Debug, Clone, Copy)]
pub struct RouteEntry {
    pub method: RouteMethod,
    pub path: &'static str,
    pub handler: &'static str,
    pub policy: &'static Policy,
}

/// The routes of one `routes![...]`: print it for the route table, merge it into a router.
pub struct Routes<S = ()> {
    entries: Vec<RouteEntry>,
    method_routers: Vec<MethodRouter<S>>,
}

impl<S> Routes<S> {
    /// The routes, in the order `routes![...]` listed them.
    pub fn entries(&self) -> &[RouteEntry] {
        &self.entries
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

    /// Adds handler `H`, whose route is described by the same-named struct `R`.
    #[doc(hidden)]
    pub fn __route<R: CorsRoute + 'static, H: Handler<T, S>, T: 'static>(mut self, handler: H) -> Self {
        self.entries.push(RouteEntry { method: R::METHOD, path: R::PATH, handler: R::HANDLER, policy: R::policy() });
        self.method_routers.push(on(R::METHOD.filter(), CorsHandler::<H, R>::new(handler)));
        self
    }

    /// The `axum::Router` serving these routes and their preflights.
    pub fn into_router(self) -> Router<S> {
        let mut paths: Vec<PathRoutes<S>> = Vec::new();
        for (entry, method_router) in self.entries.iter().zip(self.method_routers) {
            let owner = (entry.method, entry.policy);
            match paths.iter_mut().find(|p| p.path == entry.path) {
                Some(p) => {
                    p.method_router = std::mem::take(&mut p.method_router).merge(method_router);
                    p.owners.push(owner);
                }
                None => paths.push(PathRoutes { path: entry.path, method_router, owners: vec![owner] }),
            }
        }
        // One `OPTIONS` service type for every path: a service generic over the route would
        // save an allocation per preflight but cost axum's whole service stack in codegen for
        // every route (about 0.9 s of a 200-route app's build).
        paths.into_iter().fold(Router::new(), |router, p| {
            router.route(p.path, p.method_router.on_service(MethodFilter::OPTIONS, PathOptions::new(p.owners)))
        })
    }
}

/// Every route of one path, merged, with the policy that owns each method.
struct PathRoutes<S> {
    path: &'static str,
    method_router: MethodRouter<S>,
    owners: Vec<(RouteMethod, &'static Policy)>,
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
    answers: Arc<[Template]>,
    allow: HeaderValue,
}

impl PathOptions {
    fn new(owners: Vec<(RouteMethod, &'static Policy)>) -> Self {
        let answers = owners.iter().map(|&(method, policy)| Template::for_route(policy, method)).collect();
        PathOptions { allow: allow_value(&owners), answers }
    }
}

impl tower_service::Service<Request> for PathOptions {
    type Response = Response;
    type Error = Infallible;
    type Future = Ready<Result<Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let preflight = preflight::answer(&request, |m| answer_for(&self.answers, m));
        let response = preflight.unwrap_or_else(|| {
            let mut response = Response::default();
            *response.status_mut() = StatusCode::NO_CONTENT;
            response.headers_mut().insert(ALLOW, self.allow.clone());
            response
        });
        ready(Ok(response))
    }
}

/// The answer of the route for `method` (a `HEAD` falls back to the `GET` route).
fn answer_for(answers: &[Template], method: RouteMethod) -> Option<&Template> {
    let find = |wanted: RouteMethod| answers.iter().find(|a| a.route_method() == Some(wanted));
    find(method).or_else(|| if method == RouteMethod::Head { find(RouteMethod::Get) } else { None })
}

/// `Allow` for a plain `OPTIONS`: the routes' methods (`HEAD` with `GET`), then `OPTIONS`.
fn allow_value(owners: &[(RouteMethod, &'static Policy)]) -> HeaderValue {
    let mut methods: Vec<&str> = RouteMethod::ALL
        .into_iter()
        .filter(|m| owners.iter().any(|(owner, _)| owner == m || *m == RouteMethod::Head && *owner == RouteMethod::Get))
        .map(RouteMethod::as_str)
        .collect();
    methods.push("OPTIONS");
    HeaderValue::from_str(&methods.join(", ")).expect("method names are valid header values")
}

impl<S> fmt::Display for Routes<S> {
    /// The route table: one row per route, with everything its policy allows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header =
            ["METHOD", "PATH", "HANDLER", "POLICY", "ACCESS", "ORIGINS", "CREDENTIALS", "HEADERS", "EXPOSE", "MAX-AGE"];
        let rows: Vec<[String; 10]> = self
            .entries
            .iter()
            .map(|e| {
                let p = e.policy;
                let list = |items: &[&str]| if items.is_empty() { "-".to_string() } else { items.join(", ") };
                [
                    e.method.to_string(),
                    e.path.to_string(),
                    e.handler.to_string(),
                    p.name().to_string(),
                    if p.is_public() { "public" } else { "private" }.to_string(),
                    list(p.origins()),
                    if p.credentials() { "yes" } else { "no" }.to_string(),
                    list(
                        &p.any_header()
                            .then_some("*")
                            .into_iter()
                            .chain(p.headers().iter().copied())
                            .collect::<Vec<_>>(),
                    ),
                    list(p.expose()),
                    p.max_age().to_string(),
                ]
            })
            .collect();
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.len());
            }
        }
        let mut line = |cells: &mut dyn Iterator<Item = &str>| -> fmt::Result {
            let cells: Vec<String> = cells.zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
            writeln!(f, "{}", cells.join("  ").trim_end())
        };
        line(&mut header.iter().copied())?;
        for row in &rows {
            line(&mut row.iter().map(String::as_str))?;
        }
        Ok(())
    }
}
