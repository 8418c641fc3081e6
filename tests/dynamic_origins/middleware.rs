//! A dynamic policy behind `Routes::layer()` with auth inside: a tenant's preflight never meets
//! the auth middleware, and auth's `401` carries the CORS headers the tenant's page needs to
//! read it, from the moment the tenant is inserted until it is removed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use super::*;

#[cors_policy(origins = dynamic, credentials, headers = ["authorization"], expose = ["etag"])]
pub struct Tenants;

#[cors(GET "/tenant/orders", policy = Tenants)]
async fn tenant_orders() -> impl IntoResponse {
    ([("etag", "\"v1\"")], "[]")
}

async fn require_token(State(calls): State<Arc<AtomicUsize>>, request: Request, next: Next) -> Response {
    calls.fetch_add(1, Ordering::SeqCst);
    let authorized = request.headers().get("authorization").is_some_and(|v| v == "Bearer t");
    if !authorized {
        return (StatusCode::UNAUTHORIZED, "token required").into_response();
    }
    next.run(request).await
}

#[tokio::test]
async fn a_tenant_inserted_at_run_time_reads_auth_errors_and_skips_auth_on_preflights() {
    let calls = Arc::new(AtomicUsize::new(0));
    let api: Routes = routes![tenant_orders].nest("/api");
    let cors = api.layer();
    let app: Router =
        Router::new().merge(api).layer(middleware::from_fn_with_state(calls.clone(), require_token)).layer(cors);
    let tenant = "https://shop.acme.example";

    assert_eq!(preflight(&app, "/api/tenant/orders", tenant, "GET").await.status, StatusCode::FORBIDDEN);
    Tenants::origins().insert(tenant).unwrap();
    let allowed = preflight(&app, "/api/tenant/orders", tenant, "GET").await;
    assert_eq!((allowed.status, allowed.allow_origin.as_deref()), (StatusCode::NO_CONTENT, Some(tenant)));
    assert_eq!(calls.load(Ordering::SeqCst), 0, "auth never sees a preflight");

    let unauthorized = get(&app, "/api/tenant/orders", tenant).await;
    assert_eq!(
        (unauthorized.status, unauthorized.allow_origin.as_deref(), unauthorized.body.as_str()),
        (StatusCode::UNAUTHORIZED, Some(tenant), "token required")
    );
    let request = Request::get("/api/tenant/orders")
        .header("origin", tenant)
        .header("authorization", "Bearer t")
        .body(Body::empty());
    let response = app.clone().oneshot(request.unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| response.headers().get_all(name).iter().map(|v| v.to_str().unwrap()).collect::<Vec<_>>();
    assert_eq!(header("access-control-allow-origin"), [tenant]);
    assert_eq!(header("access-control-allow-credentials"), ["true"]);
    assert_eq!(header("access-control-expose-headers"), ["etag"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    Tenants::origins().remove(tenant);
    assert_eq!(preflight(&app, "/api/tenant/orders", tenant, "GET").await.status, StatusCode::FORBIDDEN);
    let after = get(&app, "/api/tenant/orders", tenant).await;
    assert_eq!((after.status, after.allow_origin), (StatusCode::UNAUTHORIZED, None));
}
