//! The handler wrapper: a route's policy around its handler, for `routes![...]` without a
//! [`RoutesLayer`](crate::RoutesLayer) outside.

use std::future::Future;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::Response;
use http::HeaderValue;
use pin_project_lite::pin_project;

use super::layer_scope;
use super::route::{CorsRoute, RouteInfo};
use crate::answer::actual;
use crate::policy::Policy;

/// What `routes![...]` asks of each handler: axum's `Handler`, under a name whose unmet bound
/// tells a user what to try, where axum's own would cite this crate's internals. `R`, the route,
/// is there for the message: it prints as the handler's name.
#[diagnostic::on_unimplemented(
    message = "handler `{R}` is not one axum can call",
    label = "axum cannot call this handler",
    note = "an argument is no extractor, or the return type is no response; put `#[axum::debug_handler]` above `#[cors(...)]` to learn which"
)]
pub trait RouteHandler<R, T, S>: Handler<T, S> {}

impl<H: Handler<T, S>, R, T, S> RouteHandler<R, T, S> for H {}

/// A handler with its route's policy around it: the future applies the CORS headers to the
/// handler's response, with no allocation beyond what the handler itself does.
///
/// The route `R` is a type, not a field: everything about it is known at compile time, and a
/// zero-sized handler stays zero-sized, so axum boxes it per request without allocating.
pub struct CorsHandler<H, R> {
    pub(crate) handler: H,
    pub(crate) route: PhantomData<fn() -> R>,
}

// A copy rather than `H::clone`: for a function item that is a compiler shim per route, one
// function less per route to build.
impl<H: Copy, R> Clone for CorsHandler<H, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: Copy, R> Copy for CorsHandler<H, R> {}

impl<H, R, T, S> Handler<T, S> for CorsHandler<H, R>
where
    H: Handler<T, S> + Copy,
    R: CorsRoute + 'static,
    S: Send + 'static,
{
    type Future = RouteFuture<H::Future>;

    // What is generic over the route is kept to the least: a 200-route app compiles this once per
    // route. The decision is one non-generic function, and the future is built by a function
    // generic only over the handler's future type, which every `async fn` handler shares. The
    // handler's future is created even for a `strict` refusal and dropped unpolled (the handler
    // never runs, nor its extractors): one branch less in every route's code.
    //
    // Nothing this function holds needs dropping while it calls out (`H` is `Copy`, the request
    // and state are moved by field, the decision is `ManuallyDrop`), so an unoptimised build
    // gives it no unwind path: those were four fifths of its code and about 0.5 billion of the
    // 14 billion instructions a 200-route app took to build (docs/performance.md).
    fn call(self, request: Request, state: S) -> Self::Future {
        let started = Started::new(R::ROUTE.policy, request, state);
        RouteFuture::new(self.handler.call(started.request, started.state), started.start, R::ROUTE)
    }
}

/// What the wrapper does with a request, decided before the handler runs.
pub(crate) enum Start {
    /// `Routes::layer()` outside owns this request's CORS.
    ByLayer,
    /// The route's policy applies; `allow` is `Access-Control-Allow-Origin`, if any.
    Apply { allow: Option<HeaderValue> },
    /// A `strict` refusal.
    Refused,
}

impl Start {
    #[inline]
    fn decide(policy: &'static Policy, request: &Request) -> Start {
        if layer_scope::owns(policy) {
            return Start::ByLayer;
        }
        match actual::admit(policy, request) {
            Ok(allow) => Start::Apply { allow },
            Err(_refused) => Start::Refused,
        }
    }
}

/// The handler's arguments handed back with the decision, so the wrapper moves them on by field
/// and holds nothing that needs dropping. The decision is dropped by [`RouteFuture::new`]; only
/// if the handler's `call` (which builds its future) panicked would it leak, one `HeaderValue`.
struct Started<S> {
    request: Request,
    state: S,
    start: ManuallyDrop<Start>,
}

impl<S> Started<S> {
    fn new(policy: &'static Policy, request: Request, state: S) -> Started<S> {
        let start = ManuallyDrop::new(Start::decide(policy, &request));
        Started { request, state, start }
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
            route: &'static RouteInfo,
        },
        // A `strict` refusal: its response is built when polled, so this state holds nothing.
        Refused,
        // `Routes::layer()` outside owns this request's CORS.
        ByLayer {
            #[pin]
            inner: F,
        },
    }
}

impl<F> RouteFuture<F> {
    fn new(inner: F, start: ManuallyDrop<Start>, route: &'static RouteInfo) -> RouteFuture<F> {
        let state = match ManuallyDrop::into_inner(start) {
            Start::Apply { allow } => RouteState::Handler { inner, allow, route },
            Start::ByLayer => RouteState::ByLayer { inner },
            Start::Refused => RouteState::Refused,
        };
        RouteFuture { state }
    }
}

impl<F: Future<Output = Response>> Future for RouteFuture<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.project().state.project() {
            RouteStateProj::Handler { inner, allow, route } => {
                let mut response = ready!(inner.poll(cx));
                let name = || format!("{} {}", route.method, route.path);
                actual::finish(route.policy, allow.take(), response.headers_mut(), &name);
                Poll::Ready(response)
            }
            RouteStateProj::ByLayer { inner } => inner.poll(cx),
            RouteStateProj::Refused => Poll::Ready(actual::Refused.response()),
        }
    }
}
