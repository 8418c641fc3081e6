//! DESIGN §8.4's allocation targets, counted the way `bench table` counts them (the difference of
//! two runs, so setup cancels), without valgrind, for every shape. Instruction targets need
//! callgrind: see `cargo run --release -p bench -- guard`.

use bench::{driver, Scenario, Shape, Variant};

/// Allocations one request of `scenario` costs through `variant`. One request first, because
/// `bench table` measures each row in a process of its own: what a process does once (read
/// `origins = env(...)`, remember a `Vary` merge) must not count here either.
fn per_request(shape: &Shape, variant: Variant, scenario: Scenario) -> u64 {
    driver::allocations_of(shape, variant, scenario, 1);
    let n = driver::allocations_of(shape, variant, scenario, 20);
    let twice = driver::allocations_of(shape, variant, scenario, 40);
    assert_eq!((twice - n) % 20, 0, "{shape:?} {variant:?} {scenario:?}: allocations vary from request to request");
    (twice - n) / 20
}

/// The runtime's ways of serving routes that do not go through `Router::layer` (which adds
/// axum's boxing: `bench table` shows it apart).
const RUNTIME: [Variant; 2] = [Variant::Routes, Variant::PolicyOuter];

/// The allocations `http::HeaderMap` makes when CORS's headers take the response past the 6
/// names its first allocation holds (`tests/header_map_growth.rs`): 2 when the CORS response has
/// more than 6 names and the bare one does not, otherwise none.
fn header_map_growth(shape: &Shape, variant: Variant, scenario: Scenario) -> u64 {
    let names = |variant| driver::run(shape, variant, scenario, 1).headers().keys_len();
    if names(variant) > 6 && names(variant.without_cors()) <= 6 {
        2
    } else {
        0
    }
}

#[test]
fn answering_a_request_adds_no_allocation_beyond_header_map_growth() {
    for shape in Shape::ALL {
        for &scenario in Scenario::for_shape(shape).iter().filter(|s| **s != Scenario::Preflight) {
            let bare = per_request(shape, Variant::Bare, scenario);
            for variant in RUNTIME {
                let growth = header_map_growth(shape, variant, scenario);
                assert_eq!(per_request(shape, variant, scenario), bare + growth, "{shape:?} {variant:?} {scenario:?}");
            }
        }
    }
}

/// The allocation `Routes::layer()`'s mark on the request (`CorsByLayer`, one more entry in its
/// extensions) costs when it is the 4th entry: the extensions' map holds 3 before it grows. axum
/// adds 1 (path parameters) as the bench builds it, 3 with its default features `original-uri`
/// and `matched-path`, which `cargo test --workspace` turns on for every member.
fn extension_map_growth() -> u64 {
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/", get(|request: bench::apps::Request| async move { request.extensions().len().to_string() }));
    let response = driver::call_once(app, http::Request::get("/").body(axum::body::Body::empty()).unwrap());
    let axums: usize = driver::body_text(response).parse().expect("a count");
    u64::from(axums + 1 > 3)
}

#[test]
fn the_route_layer_adds_only_what_router_layer_itself_costs() {
    let mark = extension_map_growth();
    for shape in Shape::ALL {
        let scenario = Scenario::SimpleAllowed;
        let without_cors = per_request(shape, Variant::BareMiddlewareIdentity, scenario);
        let growth = header_map_growth(shape, Variant::RoutesLayer, scenario);
        assert_eq!(per_request(shape, Variant::RoutesLayer, scenario), without_cors + growth + mark, "{shape:?}");
    }
}

#[test]
fn a_preflight_costs_at_most_18_allocations_in_all() {
    for shape in Shape::ALL {
        for variant in RUNTIME {
            let allocations = per_request(shape, variant, Scenario::Preflight);
            assert!(allocations <= 18, "{shape:?} {variant:?}: {allocations}");
        }
    }
}
