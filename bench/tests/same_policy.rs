//! The comparison is only fair if every variant of a shape answers its requests as the same
//! policy would, and each request takes the path it is named for (a preflight that 404s would be
//! cheap).

use bench::apps::Response;
use bench::{driver, Scenario, Shape, Variant};

fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_ascii_lowercase())
}

fn lists(response: &Response, name: &str, wanted: &[&str]) -> bool {
    let values: Vec<String> =
        response.headers().get_all(name).iter().map(|v| v.to_str().unwrap().to_ascii_lowercase()).collect();
    let items: Vec<&str> = values.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
    wanted.iter().all(|w| items.contains(w))
}

#[test]
fn every_cors_variant_applies_the_same_policy() {
    for shape in Shape::ALL {
        let policy = (shape.policy)();
        let allow_origin = if policy.is_public() { "*" } else { shape.origin };
        for variant in Variant::ALL.into_iter().filter(|v| v.has_cors()) {
            let at = format!("{shape:?} {variant:?}");
            let simple = driver::run(shape, variant, Scenario::SimpleAllowed, 1);
            assert!(simple.status().is_success(), "{at}");
            assert_eq!(header(&simple, "access-control-allow-origin").as_deref(), Some(allow_origin), "{at}");
            let credentials = header(&simple, "access-control-allow-credentials");
            assert_eq!(credentials.as_deref(), policy.credentials().then_some("true"), "{at}");
            assert!(lists(&simple, "access-control-expose-headers", policy.expose()), "{at}");
            if !policy.is_public() {
                assert!(lists(&simple, "vary", &["origin"]), "{at}");
            }
            if shape.name == "own_headers" || shape.name == "real_app" {
                assert!(lists(&simple, "vary", &["accept-encoding"]), "{at}: the handler's Vary is kept");
                assert_eq!(header(&simple, "x-request-id").as_deref(), Some("7f3c9a"), "{at}");
            }

            let preflight = driver::run(shape, variant, Scenario::Preflight, 1);
            assert!(preflight.status().is_success(), "{at}: {}", preflight.status());
            assert_eq!(header(&preflight, "access-control-allow-origin").as_deref(), Some(allow_origin), "{at}");
            let method = shape.preflight.0.to_ascii_lowercase();
            assert!(lists(&preflight, "access-control-allow-methods", &[&method]), "{at}");
            assert!(lists(&preflight, "access-control-allow-headers", &["authorization", "content-type"]), "{at}");
            assert_eq!(header(&preflight, "access-control-max-age").as_deref(), Some("600"), "{at}");
        }
    }
}

#[test]
fn a_foreign_origin_gets_no_cors_headers() {
    let shape = Shape::SINGLE;
    for variant in Variant::ALL.into_iter().filter(|v| v.has_cors()) {
        let foreign = driver::run(shape, variant, Scenario::Foreign, 1);
        assert!(foreign.status().is_success(), "{variant:?}");
        assert_eq!(header(&foreign, "access-control-allow-origin"), None, "{variant:?}");
        assert!(lists(&foreign, "vary", &["origin"]), "{variant:?}");
    }
}

#[test]
fn apps_without_cors_send_no_cors_headers() {
    for shape in Shape::ALL {
        for variant in Variant::ALL.into_iter().filter(|v| !v.has_cors()) {
            for &scenario in Scenario::for_shape(shape) {
                let response = driver::run(shape, variant, scenario, 1);
                assert_eq!(
                    header(&response, "access-control-allow-origin"),
                    None,
                    "{shape:?} {variant:?} {scenario:?}"
                );
            }
            assert_eq!(driver::run(shape, variant, Scenario::Preflight, 1).status(), 405, "{shape:?} {variant:?}");
        }
    }
}
