//! The floor's two services: one policy for everything inside ([`FloorService`], where
//! `NAME::layer()` stands) and the shape's route table outside a middleware
//! ([`FloorRoutesService`], where `Routes::layer()` stands). Each answers preflights itself
//! and writes the policy's headers on whatever the inner service returns.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http::{HeaderValue, Method};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use super::answer::Floor;
use axum::extract::Request;
use axum::response::Response;

/// The route methods at a path of the shape (a `match` on the shape's paths), `None` off the
/// table.
pub type Table = fn(&str) -> Option<&'static [Method]>;

/// Every `OPTIONS` is a preflight (or a plain `OPTIONS`) for these methods; every other request
/// gets the policy.
#[derive(Clone, Copy)]
pub struct FloorLayer {
    pub floor: &'static Floor,
    pub methods: &'static [Method],
}

impl<S> Layer<S> for FloorLayer {
    type Service = FloorService<S>;

    fn layer(&self, inner: S) -> FloorService<S> {
        FloorService { inner, floor: self.floor, methods: self.methods }
    }
}

#[derive(Clone)]
pub struct FloorService<S> {
    inner: S,
    floor: &'static Floor,
    methods: &'static [Method],
}

impl<S> Service<Request> for FloorService<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = FloorFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == Method::OPTIONS {
            return FloorFuture::Answered { response: Some(self.floor.options(&request, self.methods)) };
        }
        let allow = self.floor.allow(request.headers());
        FloorFuture::Inner { inner: self.inner.call(request), cors: Some((self.floor, allow)) }
    }
}

/// The route table's paths get the policy; anything else passes through untouched.
#[derive(Clone, Copy)]
pub struct FloorRoutesLayer {
    pub floor: &'static Floor,
    pub table: Table,
}

impl<S> Layer<S> for FloorRoutesLayer {
    type Service = FloorRoutesService<S>;

    fn layer(&self, inner: S) -> FloorRoutesService<S> {
        FloorRoutesService { inner, floor: self.floor, table: self.table }
    }
}

#[derive(Clone)]
pub struct FloorRoutesService<S> {
    inner: S,
    floor: &'static Floor,
    table: Table,
}

impl<S> Service<Request> for FloorRoutesService<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = FloorFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let Some(methods) = (self.table)(request.uri().path()) else {
            return FloorFuture::Inner { inner: self.inner.call(request), cors: None };
        };
        let method = request.method();
        if method == Method::OPTIONS {
            return FloorFuture::Answered { response: Some(self.floor.options(&request, methods)) };
        }
        if !(methods.contains(method) || method == Method::HEAD && methods.contains(&Method::GET)) {
            return FloorFuture::Inner { inner: self.inner.call(request), cors: None };
        }
        let allow = self.floor.allow(request.headers());
        FloorFuture::Inner { inner: self.inner.call(request), cors: Some((self.floor, allow)) }
    }
}

pin_project! {
    #[project = FloorFutureProj]
    pub enum FloorFuture<F> {
        Inner {
            #[pin]
            inner: F,
            cors: Option<(&'static Floor, Option<HeaderValue>)>,
        },
        Answered { response: Option<Response> },
    }
}

impl<F, E> Future for FloorFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FloorFutureProj::Inner { inner, cors } => {
                let mut response = ready!(inner.poll(cx))?;
                if let Some((floor, allow)) = cors.take() {
                    floor.finish(allow, response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
            FloorFutureProj::Answered { response } => Poll::Ready(Ok(response.take().expect("polled once"))),
        }
    }
}
