//! A named policy as a tower layer, for a whole router or a proxy (the seed's "Option A": one
//! browser-facing gateway owns CORS). Preflights are answered from the policy's `methods`.

use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use super::layer_future::{LayerFuture, Owned, Owner};
use crate::answer::actual;
use crate::answer::preflight::{self, Template};
use crate::policy::Policy;

/// `NAME::layer()`: applies one named policy to every request of the wrapped service.
#[derive(Debug, Clone)]
pub struct PolicyLayer {
    policy: &'static Policy,
    preflight: Arc<Template>,
}

impl PolicyLayer {
    #[doc(hidden)]
    pub fn __new(policy: &'static Policy) -> Self {
        // A policy whose deploy-time origins fail their check cannot serve; say why at start-up.
        if let Err(e) = policy.check() {
            panic!("{e}");
        }
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
            return LayerFuture::answered(response);
        }
        match actual::admit(policy, &request) {
            Ok(allow) => {
                LayerFuture::inner(self.inner.call(request), Some(Owned { allow, policy, owner: Owner::Policy }))
            }
            Err(refused) => LayerFuture::answered(refused.response()),
        }
    }
}
