//! The future both layers return: the inner service's response with the owning policy's CORS
//! headers written on it (whatever produced it: handler, extractor, auth, timeout), or an answer
//! the layer gave itself (a preflight, a `strict` refusal).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use http::{HeaderValue, Response};
use pin_project_lite::pin_project;

use super::layer_scope;
use crate::answer::actual;
use crate::policy::{Policy, RouteMethod};

pin_project! {
    /// The future of [`PolicyService`](crate::PolicyService) and [`RoutesService`](crate::RoutesService).
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
            // `None` for a request the layer does not own: its response passes untouched.
            cors: Option<Owned>,
        },
        Answered { response: Option<Response<B>> },
    }
}

/// What the layer writes on the response of a request it owns.
pub(crate) struct Owned {
    pub(crate) allow: Option<HeaderValue>,
    pub(crate) policy: &'static Policy,
    pub(crate) owner: Owner,
}

/// Who owns the CORS headers, for the one warning logged when something inside set its own.
pub(crate) enum Owner {
    /// A named policy's layer.
    Policy,
    /// A route of a `Routes::layer()`.
    Route { method: RouteMethod, path: Arc<str> },
}

impl<F, B> LayerFuture<F, B> {
    #[inline(always)]
    pub(crate) fn inner(inner: F, cors: Option<Owned>) -> Self {
        LayerFuture { state: LayerState::Inner { inner, cors } }
    }

    #[inline(always)]
    pub(crate) fn answered(response: Response<B>) -> Self {
        LayerFuture { state: LayerState::Answered { response: Some(response) } }
    }
}

impl<F, B, E> Future for LayerFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            LayerStateProj::Inner { inner, cors } => {
                // A route's response is polled inside the layer's scope, so that a handler
                // called from a poll (behind a middleware) leaves its CORS to the layer.
                let scope = match cors {
                    Some(Owned { policy, owner: Owner::Route { .. }, .. }) => Some(layer_scope::enter(policy)),
                    _ => None,
                };
                let polled = inner.poll(cx);
                drop(scope);
                let mut response = ready!(polled)?;
                if let Some(Owned { allow, policy, owner }) = cors.take() {
                    actual::finish(policy, allow, response.headers_mut(), &|| match &owner {
                        Owner::Policy => format!("layer of policy {}", policy.name),
                        Owner::Route { method, path } => format!("{method} {path}"),
                    });
                }
                Poll::Ready(Ok(response))
            }
            LayerStateProj::Answered { response } => {
                Poll::Ready(Ok(response.take().expect("LayerFuture polled after completion")))
            }
        }
    }
}
