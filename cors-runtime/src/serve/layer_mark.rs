//! How a [`RoutesLayer`](crate::RoutesLayer) tells the per-route wrapper inside it that the
//! request's CORS is already owned, so the work is done once.

use std::sync::atomic::{AtomicBool, Ordering};

use http::Request;

/// Set on a request whose CORS a `RoutesLayer` owns; the per-route wrapper then does nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CorsByLayer;

/// Whether this process has built a `RoutesLayer`: until it has, no request can carry
/// [`CorsByLayer`], and the per-route wrapper skips looking for it (a lookup in the request's
/// extensions, on every request of an app that uses `routes![...]` alone). `Relaxed` is enough:
/// a marked request was marked by a service built after the store, and it reached the wrapper
/// through whatever handed the request from one to the other.
static ANY_LAYER: AtomicBool = AtomicBool::new(false);

impl CorsByLayer {
    /// Records that a `RoutesLayer` exists, so marks are looked for from now on.
    pub(crate) fn exists() {
        ANY_LAYER.store(true, Ordering::Relaxed);
    }

    /// Whether a `RoutesLayer` outside owns this request's CORS.
    pub(crate) fn marks<B>(request: &Request<B>) -> bool {
        ANY_LAYER.load(Ordering::Relaxed) && request.extensions().get::<CorsByLayer>().is_some()
    }
}
