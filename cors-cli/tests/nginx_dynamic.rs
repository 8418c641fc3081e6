//! `cors export nginx` with routes whose origins change while the service runs (DESIGN §9.1).
//! nginx cannot know that list, so the export leaves the whole path of such a route (every
//! method there) to the service: preflights and requests are proxied and the service's own
//! `Access-Control-*` headers pass through. Behind real nginx, every answer must equal the
//! service's, before and after the list changes; the rest of the app stays nginx's.
//!
//! Needs nginx (`.ci/run` installs it): skipped loudly without it, failed when `CI` is set.

#[macro_use]
mod support;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use cors_runtime::{cors, cors_policy, routes, Routes};
use support::{Differs, Probe, Sides};

#[cors_policy(origins = dynamic, credentials, headers = ["content-type"], expose = ["etag"], max_age = 60)]
pub struct TenantApps;

/// Filled and emptied by one test only, so the matrices of the others stay fixed.
#[cors_policy(origins = dynamic, credentials)]
pub struct Latecomers;

#[cors_policy(origins = ["https://admin.example.com"], credentials, methods = [GET, DELETE], strict)]
pub struct AdminOnly;

#[cors(GET "/tenant/orders", policy = TenantApps)]
async fn tenant_orders() -> impl IntoResponse {
    ([("etag", "\"t1\""), ("vary", "accept-encoding")], "[]")
}

/// A written policy at a path with a dynamic route: the path is left to the service whole.
#[cors(DELETE "/tenant/orders", policy = AdminOnly)]
async fn purge_tenant_orders() -> StatusCode {
    StatusCode::NO_CONTENT
}

#[cors(GET "/tenant/profile/{id}", policy = Latecomers)]
async fn tenant_profile() -> &'static str {
    "{}"
}

/// Owned by nginx as usual.
#[cors(GET "/admin/audit", policy = AdminOnly)]
async fn audit() -> &'static str {
    "[]"
}

fn owned_by_nginx() -> Routes {
    routes![audit]
}

fn left_to_service() -> Routes {
    routes![tenant_orders, purge_tenant_orders, tenant_profile]
}

const TENANT: &str = "https://shop.acme.example";
const ADMIN: &str = "https://admin.example.com";
const FOREIGN: &str = "https://evil.example";

/// The service as it runs behind the gateway: plain handlers where nginx owns CORS, and its
/// own `routes!` where the export leaves CORS to it.
async fn start() -> (Sides, String) {
    TenantApps::origins().replace([TENANT, "https://*.tenants.example"]).unwrap();
    let table = owned_by_nginx().merge(left_to_service());
    let json = serde_json::to_string(&table).unwrap();
    let handlers = plain![audit];
    let upstream = support::plain_router(&owned_by_nginx(), &handlers).merge(Router::from(left_to_service()));
    let dir = support::TempDir::new("dynamic");
    let config = support::exported(support::export(&dir.0, 8080, &[("tenants.json", &json, "http://127.0.0.1:1")]));
    (Sides::start(&json, table.into(), upstream).await, config)
}

fn matrix() -> Vec<(Probe, Vec<Differs>)> {
    let mut probes = Vec::new();
    let actual: &[(&'static str, &str, &[Option<&str>])] = &[
        ("GET", "/tenant/orders", &[Some(TENANT), Some("https://a.b.tenants.example"), Some(FOREIGN), None]),
        ("GET", "/tenant/orders", &[Some("https://shop.acme.example.evil.example"), Some("https://tenants.example")]),
        ("HEAD", "/tenant/orders", &[Some(TENANT)]),
        ("DELETE", "/tenant/orders", &[Some(ADMIN), Some(TENANT), None]),
        ("POST", "/tenant/orders", &[Some(TENANT)]),
        ("GET", "/admin/audit", &[Some(ADMIN), Some(TENANT), None]),
    ];
    for (method, path, origins) in actual {
        for origin in *origins {
            probes.push(Probe::new(format!("{method} {path} from {origin:?}"), method, *path).origin(*origin));
        }
    }
    let preflights: &[(&str, &str, &str, Option<&str>)] = &[
        ("/tenant/orders", TENANT, "GET", Some("content-type")),
        ("/tenant/orders", "https://x.tenants.example", "GET", None),
        ("/tenant/orders", TENANT, "GET", Some("x-evil")),
        ("/tenant/orders", FOREIGN, "GET", None),
        ("/tenant/orders", ADMIN, "DELETE", None),
        ("/tenant/orders", TENANT, "DELETE", None),
        ("/tenant/orders", TENANT, "PUT", None),
        ("/admin/audit", ADMIN, "GET", None),
        ("/admin/audit", TENANT, "GET", None),
    ];
    for (path, origin, method, headers) in preflights {
        let probe = Probe::preflight(
            format!("preflight {method} {path} from {origin} asking {headers:?}"),
            *path,
            origin,
            method,
        );
        probes.push(match headers {
            Some(headers) => probe.header("access-control-request-headers", *headers),
            None => probe,
        });
    }
    probes.push(Probe::new("plain OPTIONS at a dynamic path", "OPTIONS", "/tenant/orders").origin(Some(TENANT)));
    probes.into_iter().map(|probe| (probe, Vec::new())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_leaves_dynamic_paths_to_the_service_and_answers_alike() {
    if !support::nginx_available("nginx_leaves_dynamic_paths_to_the_service_and_answers_alike") {
        return;
    }
    let (sides, config) = start().await;
    // The comment names the routes, and the path's location only proxies.
    assert!(
        config.contains(
            "    # /tenant/orders: CORS left to the service, whose allowlist changes while it runs: GET tenant_orders (TenantApps).\n\
             \x20   # nginx cannot know that list; it proxies preflights and requests and lets the service's\n\
             \x20   # own Access-Control-* headers through, for every method at this path.\n"
        ),
        "{config}"
    );
    assert!(!config.contains("shop.acme.example"), "the list in force when the table was printed is not baked in");
    let (equal, documented) = support::compare(&sides.client, sides.direct, sides.gateway, &matrix()).await;
    assert_eq!((equal, documented), (matrix().len(), 0));
    // The matrix holds both verdicts at the dynamic path.
    let answer = support::send(&sides.client, sides.gateway, &matrix()[0].0).await;
    assert_eq!((answer.status, answer.header("access-control-allow-origin")), (200, Some(TENANT)));
    let refused = Probe::preflight("refused", "/tenant/orders", FOREIGN, "GET");
    let answer = support::send(&sides.client, sides.gateway, &refused).await;
    assert_eq!((answer.status, answer.body.as_deref()), (403, Some("CORS preflight rejected: origin not allowed\n")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_to_the_list_is_seen_through_nginx_at_once() {
    if !support::nginx_available("a_change_to_the_list_is_seen_through_nginx_at_once") {
        return;
    }
    let (sides, _) = start().await;
    let newcomer = "https://new-customer.example";
    let probes = || {
        vec![
            (Probe::new("GET from the newcomer", "GET", "/tenant/profile/7").origin(Some(newcomer)), Vec::new()),
            (Probe::preflight("preflight from the newcomer", "/tenant/profile/7", newcomer, "GET"), Vec::new()),
        ]
    };
    let allow_origin = |nginx: bool| {
        let sides = &sides;
        async move {
            let addr = if nginx { sides.gateway } else { sides.direct };
            let preflight = support::send(&sides.client, addr, &probes()[1].0).await;
            (preflight.status, preflight.header("access-control-allow-origin").map(str::to_owned))
        }
    };
    support::compare(&sides.client, sides.direct, sides.gateway, &probes()).await;
    assert_eq!(allow_origin(true).await, (403, None));
    assert_eq!(Latecomers::origins().insert(newcomer), Ok(true));
    support::compare(&sides.client, sides.direct, sides.gateway, &probes()).await;
    assert_eq!(allow_origin(true).await, (204, Some(newcomer.to_owned())));
    assert!(Latecomers::origins().remove(newcomer));
    support::compare(&sides.client, sides.direct, sides.gateway, &probes()).await;
    assert_eq!(allow_origin(true).await, (403, None));
}
