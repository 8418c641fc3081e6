//! `Routes::layer()`: CORS for a whole app, outside its middleware, from the route table.
//!
//! The layer finds the request's route itself (the same path syntax axum routes with), so a
//! preflight (or a plain `OPTIONS`) at a path of the table is answered before auth, rate limits
//! or timeouts see it, and the CORS headers go
//! on whatever response comes back from inside. The route's own handler wrapper is called
//! inside the layer's scope (`layer_scope.rs`) and leaves the response alone, so the work is
//! done once.

use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Method, Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use super::layer_future::{LayerFuture, Owned, Owner};
use super::layer_scope;
use super::path_index::PathIndex;
use super::paths::PathRoutes;
use super::route::RouteEntry;
use crate::answer::actual;
use crate::policy::RouteMethod;

/// The layer of [`Routes::layer`](crate::Routes::layer).
#[derive(Debug, Clone)]
pub struct RoutesLayer {
    table: Arc<Table>,
}

#[derive(Debug)]
struct Table {
    /// Path → index into `paths`.
    index: PathIndex,
    paths: Vec<PathRoutes>,
}

impl RoutesLayer {
    pub(crate) fn new(entries: &[RouteEntry]) -> RoutesLayer {
        let paths: Vec<PathRoutes> = PathRoutes::group(entries).into_iter().map(|(path, _)| path).collect();
        let index = PathIndex::new("Routes::layer", paths.iter().map(|path| &*path.path));
        RoutesLayer { table: Arc::new(Table { index, paths }) }
    }
}

impl<S> Layer<S> for RoutesLayer {
    type Service = RoutesService<S>;

    fn layer(&self, inner: S) -> RoutesService<S> {
        RoutesService { inner, table: self.table.clone() }
    }
}

/// The service [`RoutesLayer`] wraps around an app.
#[derive(Debug, Clone)]
pub struct RoutesService<S> {
    inner: S,
    table: Arc<Table>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RoutesService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: From<&'static str> + Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = LayerFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let Some(found) = self.table.index.find(request.uri().path()) else {
            return LayerFuture::inner(self.inner.call(request), None);
        };
        let path = &self.table.paths[found];
        // Every `OPTIONS` at a path of the table is the table's to answer (a preflight, or a
        // plain one with `Allow`), so middleware inside never gates what the table generates.
        if request.method() == Method::OPTIONS {
            return LayerFuture::answered(path.options(&request));
        }
        let method = RouteMethod::from_method(request.method());
        let Some((method, route)) = method.and_then(|m| Some((m, path.route_for(m)?))) else {
            // A method the path has no route for (axum answers 405) is not the table's.
            return LayerFuture::inner(self.inner.call(request), None);
        };
        let policy = route.policy();
        match actual::admit(policy, &request) {
            Ok(allow) => {
                let owner = Owner::Route { method, path: path.path.clone() };
                // The scope ends after the future is built in place, where it is returned.
                let _scope = layer_scope::enter(policy);
                LayerFuture::inner(self.inner.call(request), Some(Owned { allow, policy, owner }))
            }
            Err(refused) => LayerFuture::answered(refused.response()),
        }
    }
}
