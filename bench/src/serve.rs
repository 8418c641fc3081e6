//! `bench serve VARIANT`: the variant's app on a loopback port, for the load test.

use crate::apps::Variant;
use crate::shapes::Shape;
use crate::with_service;

/// Serves §5's shape as `variant` on `127.0.0.1` (an ephemeral port, printed as `listening PORT`) on a
/// current-thread runtime, so the server uses one core and the load generator the other.
pub fn serve(variant: Variant) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("listening {}", listener.local_addr()?.port());
        with_service!(variant.app(Shape::SINGLE), |service| {
            axum::serve(listener, axum::ServiceExt::<axum::extract::Request>::into_make_service(service)).await
        })
    })
}
