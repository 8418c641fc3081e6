//! The comparison is only fair if every variant answers the three requests as the same policy
//! would, and each request takes the path it is named for (a preflight that 404s would be cheap).

use bench::apps::Response;
use bench::scenarios::{ADMIN_ORIGIN, APP_ORIGIN};
use bench::{driver, Scenario, Variant};

fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_ascii_lowercase())
}

fn lists(response: &Response, name: &str, wanted: &[&str]) -> bool {
    let value = header(response, name).unwrap_or_default();
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    wanted.iter().all(|w| items.contains(w))
}

#[test]
fn every_cors_variant_applies_the_same_policy() {
    for variant in Variant::ALL.into_iter().filter(|v| v.has_cors()) {
        let simple = driver::run(variant, Scenario::SimpleAllowed, 1);
        assert!(simple.status().is_success(), "{variant:?}");
        assert_eq!(header(&simple, "access-control-allow-origin").as_deref(), Some(APP_ORIGIN), "{variant:?}");
        assert_eq!(header(&simple, "access-control-allow-credentials").as_deref(), Some("true"), "{variant:?}");
        assert!(lists(&simple, "access-control-expose-headers", &["etag"]), "{variant:?}");
        assert!(lists(&simple, "vary", &["origin"]), "{variant:?}");

        let preflight = driver::run(variant, Scenario::Preflight, 1);
        assert!(preflight.status().is_success(), "{variant:?}: {}", preflight.status());
        assert_eq!(header(&preflight, "access-control-allow-origin").as_deref(), Some(ADMIN_ORIGIN), "{variant:?}");
        assert_eq!(header(&preflight, "access-control-allow-credentials").as_deref(), Some("true"), "{variant:?}");
        assert!(lists(&preflight, "access-control-allow-methods", &["post"]), "{variant:?}");
        assert!(lists(&preflight, "access-control-allow-headers", &["authorization", "content-type"]), "{variant:?}");
        assert_eq!(header(&preflight, "access-control-max-age").as_deref(), Some("600"), "{variant:?}");

        let foreign = driver::run(variant, Scenario::Foreign, 1);
        assert!(foreign.status().is_success(), "{variant:?}");
        assert_eq!(header(&foreign, "access-control-allow-origin"), None, "{variant:?}");
        assert!(lists(&foreign, "vary", &["origin"]), "{variant:?}");
    }
}

#[test]
fn bare_axum_sends_no_cors_headers() {
    for scenario in Scenario::ALL {
        let response = driver::run(Variant::Bare, scenario, 1);
        assert_eq!(header(&response, "access-control-allow-origin"), None, "{scenario:?}");
    }
    assert_eq!(driver::run(Variant::Bare, Scenario::Preflight, 1).status(), 405);
}
