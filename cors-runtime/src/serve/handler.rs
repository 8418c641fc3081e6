//! The handler wrapper: a route's policy around its handler, for `routes![...]` without a
//! [`RoutesLayer`](crate::RoutesLayer) outside.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::Response;
use http::HeaderValue;
use pin_project_lite::pin_project;

use super::layer_mark::CorsByLayer;
use super::route::CorsRoute;
use crate::answer::actual;
use crate::policy::Policy;

/// A handler with its route's policy around it: the future applies the CORS headers to the
/// handler's response, with no allocation beyond what the handler itself does.
///
/// The route `R` is a type, not a field: everything about it is known at compile time, and a
/// zero-sized handler stays zero-sized, so axum boxes it per request without allocating.
pub struct CorsHandler<H, R> {
    handler: H,
    route: PhantomData<fn() -> R>,
}

impl<H: Clone, R> Clone for CorsHandler<H, R> {
    fn clone(&self) -> Self {
        CorsHandler { handler: self.handler.clone(), route: PhantomData }
    }
}

impl<H: Copy, R> Copy for CorsHandler<H, R> {}

impl<H, R: CorsRoute> CorsHandler<H, R> {
    pub(crate) fn new(handler: H) -> Self {
        CorsHandler { handler, route: PhantomData }
    }
}

impl<H, R, T, S> Handler<T, S> for CorsHandler<H, R>
where
    H: Handler<T, S>,
    R: CorsRoute + 'static,
    S: Send + 'static,
{
    type Future = RouteFuture<H::Future>;

    fn call(self, request: Request, state: S) -> Self::Future {
        if CorsByLayer::marks(&request) {
            return RouteFuture { state: RouteState::ByLayer { inner: self.handler.call(request, state) } };
        }
        let policy = R::policy();
        let state = match actual::admit(policy, &request) {
            Ok(allow) => {
                RouteState::Handler { inner: self.handler.call(request, state), allow, policy, name: route_name::<R> }
            }
            Err(rejected) => RouteState::Rejected { response: Some(rejected) },
        };
        RouteFuture { state }
    }
}

pin_project! {
    /// The future of a [`CorsHandler`]. Unlike the handler it is not generic over the route:
    /// every route whose handler returns axum's boxed future shares one future type, which
    /// halves the code a 200-route app generates.
    pub struct RouteFuture<F> {
        #[pin]
        state: RouteState<F>,
    }
}

pin_project! {
    #[project = RouteStateProj]
    enum RouteState<F> {
        Handler {
            #[pin]
            inner: F,
            allow: Option<HeaderValue>,
            policy: &'static Policy,
            name: fn() -> String,
        },
        Rejected { response: Option<Response> },
        // `Routes::layer()` outside owns this request's CORS.
        ByLayer {
            #[pin]
            inner: F,
        },
    }
}

/// The route's name for the one warning about CORS headers set by its handler.
fn route_name<R: CorsRoute>() -> String {
    format!("{} {}", R::METHOD, R::PATH)
}

impl<F: Future<Output = Response>> Future for RouteFuture<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.project().state.project() {
            RouteStateProj::Handler { inner, allow, policy, name } => {
                let mut response = ready!(inner.poll(cx));
                actual::finish(policy, allow.take(), response.headers_mut(), name);
                Poll::Ready(response)
            }
            RouteStateProj::ByLayer { inner } => inner.poll(cx),
            RouteStateProj::Rejected { response } => {
                Poll::Ready(response.take().expect("RouteFuture polled after completion"))
            }
        }
    }
}
