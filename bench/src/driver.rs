//! Drives requests through a service in process: no runtime, no network, just `poll`.

use std::fmt::Debug;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use tower::{Service, ServiceExt};

use crate::apps::{Request, Response, Variant};
use crate::counting_alloc::allocations;
use crate::scenarios::Scenario;
use crate::shapes::Shape;
use crate::with_service;

/// Polls a future that completes without waiting (every in-process request here does: no
/// handler awaits I/O), so the measurement contains no executor.
fn block_on<F: Future>(future: F) -> F::Output {
    let future = pin!(future);
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("an in-process request waited; the bench drives only futures that complete at once"),
    }
}

/// Sends `n` (at least one) requests of `scenario` through `service` and returns the last
/// response; each request is built afresh, as a client would.
fn drive<S>(mut service: S, shape: &Shape, scenario: Scenario, n: u64) -> Response
where
    S: Service<Request, Response = Response>,
    S::Error: Debug,
{
    let mut last = None;
    for _ in 0..n {
        let ready = block_on(service.ready()).expect("service ready");
        last = Some(block_on(ready.call(scenario.request(shape))).expect("in-process call"));
    }
    last.expect("drive sends at least one request")
}

/// Sends one request through `service` (for tests that build an app of their own).
pub fn call_once<S>(service: S, request: Request) -> Response
where
    S: Service<Request, Response = Response>,
    S::Error: Debug,
{
    let mut service = service;
    let ready = block_on(service.ready()).expect("service ready");
    block_on(ready.call(request)).expect("in-process call")
}

/// The body of an in-process response (whose body is ready at once) as text.
pub fn body_text(response: Response) -> String {
    let bytes = block_on(axum::body::to_bytes(response.into_body(), usize::MAX)).expect("in-memory body");
    String::from_utf8(bytes.to_vec()).expect("UTF-8 body")
}

/// Builds `shape`'s app served as `variant` and sends it `n` requests of `scenario`.
pub fn run(shape: &Shape, variant: Variant, scenario: Scenario, n: u64) -> Response {
    with_service!(variant.app(shape), |service| drive(service, shape, scenario, n))
}

/// Heap allocations made on this thread by building the app and sending `n` requests. The
/// difference of two such counts divided by the difference of `n` is the per-request cost,
/// with the setup cancelled out.
pub fn allocations_of(shape: &Shape, variant: Variant, scenario: Scenario, n: u64) -> u64 {
    let before = allocations();
    drop(run(shape, variant, scenario, n));
    allocations() - before
}
