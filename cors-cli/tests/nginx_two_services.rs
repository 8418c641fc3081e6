//! Several services behind one gateway: two route tables, two upstreams, one nginx. Each
//! request is answered as the service that owns its METHOD and PATH answers it directly,
//! including a path whose methods live in different services; two tables claiming the same
//! METHOD and PATH are refused.

mod support;

use std::net::SocketAddr;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use cors_runtime::{cors, cors_policy, routes, Routes};
use support::{Nginx, Probe};

#[cors_policy(origins = ["https://app.example.com", "https://*.example.com"], credentials, headers = ["content-type"], expose = ["x-service"])]
pub struct Shop;

#[cors_policy(origins = ["https://app.example.com"], credentials, headers = ["authorization", "content-type"], max_age = 300, strict)]
pub struct Checkout;

// The orders service.
#[cors(GET "/orders", policy = Shop)]
async fn list_orders() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("x-service", "orders")], "orders: list")
}

#[cors(GET "/orders/{id}", policy = Shop)]
async fn get_order(Path(id): Path<u32>) -> String {
    format!("orders: {id}")
}

#[cors(GET "/status", public)]
async fn status() -> &'static str {
    "orders: ok"
}

// The checkout service: `POST /orders` shares a path with the orders service.
#[cors(POST "/orders", policy = Checkout)]
async fn place_order() -> (StatusCode, &'static str) {
    (StatusCode::CREATED, "checkout: placed")
}

#[cors(POST "/payments", policy = Checkout)]
async fn pay() -> &'static str {
    "checkout: paid"
}

struct Service {
    table: Routes,
    plain: Router,
}

fn orders() -> Service {
    Service {
        table: routes![list_orders, get_order, status],
        plain: Router::new()
            .route("/orders", get(list_orders))
            .route("/orders/{id}", get(get_order))
            .route("/status", get(status)),
    }
}

fn checkout() -> Service {
    Service {
        table: routes![place_order, pay],
        plain: Router::new().route("/orders", post(place_order)).route("/payments", post(pay)),
    }
}

/// Serves the service directly and without CORS; returns (direct, upstream, table JSON).
async fn run(service: Service) -> (SocketAddr, SocketAddr, String) {
    let json = serde_json::to_string(&service.table).unwrap();
    let upstream = support::serve(service.plain).await;
    let direct = support::serve(service.table.into()).await;
    (direct, upstream, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_nginx_fronts_two_services_like_each_service() {
    if !support::nginx_available("one_nginx_fronts_two_services_like_each_service") {
        return;
    }
    let (orders_direct, orders_upstream, orders_json) = run(orders()).await;
    let (checkout_direct, checkout_upstream, checkout_json) = run(checkout()).await;
    let dir = support::TempDir::new("two");
    let port = support::free_port();
    let config = support::exported(support::export(
        &dir.0,
        port,
        &[
            ("orders.json", &orders_json, &format!("http://{orders_upstream}")),
            ("checkout.json", &checkout_json, &format!("http://{checkout_upstream}")),
        ],
    ));
    let nginx = Nginx::start(&config, port);
    let client = support::client();

    const APP: &str = "https://app.example.com";
    const SHOP: &str = "https://shop.example.com";
    // (the service that owns the request, the request)
    let probes = [
        (orders_direct, Probe::new("GET /orders", "GET", "/orders").origin(Some(SHOP))),
        (orders_direct, Probe::new("GET /orders, foreign", "GET", "/orders").origin(Some("https://evil.example"))),
        (orders_direct, Probe::new("HEAD /orders", "HEAD", "/orders").origin(Some(APP))),
        (orders_direct, Probe::new("GET /orders/3", "GET", "/orders/3").origin(Some(APP))),
        (orders_direct, Probe::new("GET /status", "GET", "/status")),
        (
            orders_direct,
            Probe::preflight("preflight GET /orders", "/orders", SHOP, "GET")
                .header("access-control-request-headers", "content-type"),
        ),
        (checkout_direct, Probe::new("POST /orders", "POST", "/orders").origin(Some(APP))),
        (checkout_direct, Probe::new("POST /orders, strict", "POST", "/orders").origin(Some(SHOP))),
        (checkout_direct, Probe::new("POST /payments", "POST", "/payments").origin(Some(APP))),
        (
            checkout_direct,
            Probe::preflight("preflight POST /orders", "/orders", APP, "POST")
                .header("access-control-request-headers", "authorization,content-type"),
        ),
        (checkout_direct, Probe::preflight("preflight POST /orders, pattern", "/orders", SHOP, "POST")),
        (checkout_direct, Probe::preflight("preflight POST /payments", "/payments", APP, "POST")),
        (checkout_direct, Probe::preflight("preflight GET /payments", "/payments", APP, "GET")),
    ];
    for (owner, probe) in &probes {
        let direct = support::send(&client, *owner, probe).await;
        let through = support::send(&client, nginx.addr, probe).await;
        assert_eq!(through, direct, "{}", probe.name);
    }
    // The shared path's bodies show which upstream answered.
    let body = |probe: Probe| {
        let client = client.clone();
        async move { support::send(&client, nginx.addr, &probe).await.body }
    };
    assert_eq!(body(Probe::new("GET", "GET", "/orders")).await.as_deref(), Some("orders: list"));
    assert_eq!(
        body(Probe::new("POST", "POST", "/orders").origin(Some(APP))).await.as_deref(),
        Some("checkout: placed")
    );
    // A plain OPTIONS at the shared path lists both services' methods, as one merged table would.
    let options = support::send(&client, nginx.addr, &Probe::new("plain OPTIONS", "OPTIONS", "/orders")).await;
    assert_eq!((options.status, options.allow.as_deref()), (204, Some("GET, HEAD, POST, OPTIONS")));
}

#[test]
fn two_tables_claiming_one_route_are_refused() {
    let dir = support::TempDir::new("conflict");
    let table = serde_json::to_string(&orders().table).unwrap();
    // Another service's `GET /orders/{key}`: another capture name, the same route.
    let other = table.replace("/orders/{id}", "/orders/{key}").replace("\"get_order\"", "\"fetch_order\"");
    let output = support::export(
        &dir.0,
        8080,
        &[("orders.json", &table, "http://127.0.0.1:3001"), ("legacy.json", &other, "http://127.0.0.1:3002")],
    );
    let d = dir.0.display();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    // The first clash in table order: GET /orders in both, then GET /orders/{id} and {key}.
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "cors export nginx: GET /orders is claimed twice: by `list_orders` in {d}/orders.json and by \
             `list_orders` (/orders) in {d}/legacy.json\n"
        )
    );
    let only_the_capture =
        other.replace("\"/orders\"", "\"/legacy-orders\"").replace("\"/status\"", "\"/legacy-status\"");
    let output = support::export(
        &dir.0,
        8080,
        &[
            ("orders.json", &table, "http://127.0.0.1:3001"),
            ("legacy.json", &only_the_capture, "http://127.0.0.1:3002"),
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "cors export nginx: GET /orders/{{id}} is claimed twice: by `get_order` in {d}/orders.json and by \
             `fetch_order` (/orders/{{key}}) in {d}/legacy.json\n"
        )
    );
}
