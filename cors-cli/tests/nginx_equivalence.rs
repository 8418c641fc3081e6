//! `cors export nginx` proven against the service: an app that uses every policy feature is
//! served directly with `routes!`, and its same handlers are served without CORS behind nginx
//! running the exported configuration. A matrix of requests must get the same status, the
//! same `Access-Control-*` headers, the same `Vary` and the same body from both, except where
//! docs/gateway.md ("What the export cannot express") says nginx answers differently, which is
//! asserted exactly. The browser model (`cors_browser`) must judge every `fetch` the same way too.
//!
//! Needs nginx (`.ci/run` installs it): skipped loudly without it, failed when `CI` is set.

mod support;

use support::equivalence::{self, APP, FOREIGN};
use support::{Gateway, Probe};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_answers_every_request_like_the_service() {
    if !support::nginx_available("nginx_answers_every_request_like_the_service") {
        return;
    }
    let sides = equivalence::start(Gateway::Nginx).await;
    let matrix = equivalence::matrix();
    assert!(matrix.len() >= 60, "{} requests", matrix.len());
    let (_, documented) = support::compare(&sides.client, sides.direct, sides.gateway, &matrix).await;
    assert_eq!(documented, 3, "the documented differences are exercised");
    // A host over DNS's 253 bytes under `https://*.example.com`: refused by both (Envoy's RE2
    // cannot bound it; nginx's lookahead does).
    let long = format!("https://{}.example.com", vec!["a".repeat(63); 4].join("."));
    let probe = Probe::new("a host over 253 bytes", "GET", "/orders").origin(Some(&long));
    let (direct, nginx) = (
        support::send(&sides.client, sides.direct, &probe).await,
        support::send(&sides.client, sides.gateway, &probe).await,
    );
    assert_eq!((nginx.header("access-control-allow-origin"), &nginx), (None, &direct));
}

/// The answers docs/gateway.md's table of differences promises, each asserted on both sides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_differs_only_where_documented() {
    if !support::nginx_available("nginx_differs_only_where_documented") {
        return;
    }
    let sides = equivalence::start(Gateway::Nginx).await;
    let send = |probe: Probe| {
        let sides = &sides;
        async move {
            let direct = support::send(&sides.client, sides.direct, &probe).await;
            let nginx = support::send(&sides.client, sides.gateway, &probe).await;
            (direct, nginx)
        }
    };

    // Two Origin lines (no browser sends them): the service treats the origin as absent, nginx
    // 1.22 reads the first line.
    let (direct, nginx) =
        send(Probe::new("two Origin lines", "GET", "/orders").origin(Some(APP)).origin(Some(FOREIGN))).await;
    assert_eq!((direct.status, direct.header("access-control-allow-origin")), (200, None));
    assert_eq!((nginx.status, nginx.header("access-control-allow-origin")), (200, Some(APP)));
    let (direct, nginx) =
        send(Probe::preflight("two Origin lines, preflight", "/orders", APP, "POST").origin(Some(FOREIGN))).await;
    assert_eq!(direct.status, 403);
    assert_eq!(direct.body.as_deref(), Some("CORS preflight rejected: more than one Origin header\n"));
    assert_eq!((nginx.status, nginx.header("access-control-allow-origin")), (204, Some(APP)));

    // An empty Origin value: the service compares it (a public route allows it), nginx cannot tell
    // it from no Origin.
    let (direct, nginx) = send(Probe::preflight("empty Origin", "/status", "", "GET")).await;
    assert_eq!((direct.status, direct.header("access-control-allow-origin")), (204, Some("*")));
    assert_eq!((nginx.status, nginx.body.as_deref()), (403, Some("CORS preflight rejected: no Origin header\n")));

    // An encoded `/` in a capture: the service's router matches the raw path (the handler then
    // refuses `a%2Fb` as an id), nginx matches the decoded `/orders/a/b`, which no route has.
    let (direct, nginx) = send(Probe::new("encoded slash", "GET", "/orders/a%2Fb").origin(Some(APP))).await;
    assert_eq!((direct.status, direct.header("access-control-allow-origin")), (400, Some(APP)));
    assert_eq!((nginx.status, nginx.header("access-control-allow-origin")), (404, None));

    // An empty Access-Control-Request-Method: the service sees a preflight for no method, nginx
    // cannot tell an empty header from none and answers a plain OPTIONS.
    let (direct, nginx) = send(Probe::preflight("empty request method", "/orders", APP, "")).await;
    assert_eq!(direct.status, 403);
    assert_eq!(
        direct.body.as_deref(),
        Some("CORS preflight rejected: no route for the requested method at this path\n")
    );
    assert_eq!((nginx.status, nginx.allow.as_deref()), (204, Some("GET, HEAD, POST, OPTIONS")));
}

// ---- The browser model, through nginx and direct.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_judge_nginx_like_the_service() {
    if !support::nginx_available("browsers_judge_nginx_like_the_service") {
        return;
    }
    equivalence::browsers_judge_alike(&equivalence::start(Gateway::Nginx).await).await;
}

/// The export's input is DESIGN §8.3's JSON, field for field.
#[test]
fn the_route_table_is_the_designs_json() {
    let json = serde_json::to_value(equivalence::app()).unwrap();
    let routes = json["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 14);
    assert_eq!(
        routes[4],
        serde_json::json!({"method": "GET", "path": "/orders/{id}", "handler": "get_order", "policy": "inline",
            "public": false, "origins": ["https://app.example.com"], "origins_env": null, "origins_dynamic": false,
            "credentials": true, "headers": [], "expose": ["etag"], "max_age": 600, "private_network": false, "strict": false})
    );
    assert_eq!(
        routes[7],
        serde_json::json!({"method": "DELETE", "path": "/orders/{id}", "handler": "delete_order", "policy": "AdminOnly",
            "public": false, "origins": ["https://admin.example.com"], "origins_env": null, "origins_dynamic": false,
            "credentials": true, "headers": [], "expose": [], "max_age": 120, "private_network": false, "strict": true})
    );
    assert_eq!(
        routes[0],
        serde_json::json!({"method": "GET", "path": "/status", "handler": "status", "policy": "inline",
            "public": true, "origins": ["*"], "origins_env": null, "origins_dynamic": false,
            "credentials": false, "headers": [], "expose": [], "max_age": 600, "private_network": false, "strict": false})
    );
    assert_eq!(routes[10]["private_network"], true);
    assert_eq!(routes[2]["headers"], serde_json::json!(["authorization", "content-type", "x-request-id"]));
    assert_eq!(routes[13]["headers"], serde_json::json!(["*"]));
}
