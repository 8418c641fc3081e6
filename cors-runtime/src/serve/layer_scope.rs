//! How a [`RoutesLayer`](crate::RoutesLayer) tells the per-route wrapper inside it that it owns
//! the request's CORS, so the work is done once, with no allocation and no lookup.
//!
//! The layer owns a request by scope: while it hands the request inward (the inner service's
//! `call`) and while it polls the response, a thread-local names the policy it applies. A route
//! wrapper called inside that scope whose policy is the same one leaves the response to the
//! layer; any other wrapper (no layer, a layer that passed the request through, a route of
//! another policy) applies its own. Nothing is put on the request: a mark in its extensions
//! grew axum's extension map (one allocation under axum's default features) and cost a lookup
//! in every wrapper.
//!
//! A middleware inside the layer that moves the request to another task before the handler is
//! called (tower's `Buffer`) takes it out of the scope: the wrapper then applies the same policy
//! as well, and the layer replaces those headers with identical ones (docs/middleware.md).

use std::cell::Cell;
use std::ptr;

use crate::policy::Policy;

thread_local! {
    // `const` and without `Drop`: reading it is one thread-relative load, no lazy set-up.
    static OWNER: Cell<*const Policy> = const { Cell::new(ptr::null()) };
}

/// Names `policy` as the owner of the request being handled until the returned guard is dropped
/// (around the inner service's `call`, and around each poll of its future); the previous owner
/// is restored then, also when what runs in between panics, so scopes nest (a layer inside
/// another) and never leak to the next task. A guard rather than a closure: the request and the
/// future are not moved through one.
#[inline]
pub(crate) fn enter(policy: &'static Policy) -> Scope {
    Scope { previous: OWNER.replace(policy) }
}

/// Restores the previous owner when dropped (see [`enter`]).
#[must_use = "the scope ends when the guard is dropped"]
pub(crate) struct Scope {
    previous: *const Policy,
}

impl Drop for Scope {
    #[inline]
    fn drop(&mut self) {
        OWNER.set(self.previous);
    }
}

/// Whether a `RoutesLayer` outside owns the request being handled, with this very policy.
#[inline]
pub(crate) fn owns(policy: &'static Policy) -> bool {
    ptr::eq(OWNER.get(), policy)
}
