//! A named policy as a tower layer, for a whole router or a proxy (the seed's "Option A": one
//! browser-facing gateway owns CORS). Preflights are answered from the policy's `methods`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use http::{HeaderValue, Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::actual;
use crate::policy::Policy;
use crate::preflight::{self, Template};

/// `NAME::layer()`: applies one named policy to every request of the wrapped service.
#[derive(Debug, Clone)]
pub struct PolicyLayer {
    policy: &'static Policy,
    preflight: Arc<Template>,
}

impl PolicyLayer {
    #[doc(hidden)]
    pub fn __new(policy: &'static Policy) -> Self {
        PolicyLayer { policy, preflight: Arc::new(Template::for_layer(policy)) }
    }

    /// The policy this layer applies.
    pub fn policy(&self) -> &'static Policy {
        self.policy
    }
}

impl<S> Layer<S> for PolicyLayer {
    type Service = PolicyService<S>;

    fn layer(&self, inner: S) -> PolicyService<S> {
        PolicyService { inner, policy: self.policy, preflight: self.preflight.clone() }
    }
}

/// The service [`PolicyLayer`] wraps around another.
#[derive(Debug, Clone)]
pub struct PolicyService<S> {
    inner: S,
    policy: &'static Policy,
    preflight: Arc<Template>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for PolicyService<S>
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
        let policy = self.policy;
        let methods = policy.methods;
        let preflight = preflight::answer(&request, |method| methods.contains(method).then_some(&*self.preflight));
        if let Some(response) = preflight {
            return LayerFuture { state: LayerState::Answered { response: Some(response) } };
        }
        let state = match actual::admit(policy, request.headers()) {
            Ok(allow) => LayerState::Inner { inner: self.inner.call(request), allow, policy },
            Err(rejected) => LayerState::Answered { response: Some(rejected) },
        };
        LayerFuture { state }
    }
}

pin_project! {
    /// The future of a [`PolicyService`].
    pub struct LayerFuture<F, B> {
        #[pin]
        state: LayerState<F, B>,
    }
}

pin_project! {
    #[project = LayerStateProj]
    enum LayerState<F, B> {
        Inner {
            #[pin]
            inner: F,
            allow: Option<HeaderValue>,
            policy: &'static Policy,
        },
        Answered { response: Option<Response<B>> },
    }
}

impl<F, B, E> Future for LayerFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            LayerStateProj::Inner { inner, allow, policy } => {
                let mut response = ready!(inner.poll(cx))?;
                let policy: &'static Policy = policy;
                actual::finish(policy, allow.take(), response.headers_mut(), &|| {
                    format!("layer of policy {}", policy.name)
                });
                Poll::Ready(Ok(response))
            }
            LayerStateProj::Answered { response } => {
                Poll::Ready(Ok(response.take().expect("LayerFuture polled after completion")))
            }
        }
    }
}
