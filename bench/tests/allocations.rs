//! DESIGN §8.4's allocation targets, counted the way `bench table` counts them (the difference of
//! two runs, so setup cancels), without valgrind, for every shape. Instruction targets need
//! callgrind: see `cargo run --release -p bench -- guard`.

use bench::{driver, Scenario, Shape, Variant};

/// Allocations one request of `scenario` costs through `variant`.
fn per_request(shape: &Shape, variant: Variant, scenario: Scenario) -> u64 {
    let n = driver::allocations_of(shape, variant, scenario, 20);
    let twice = driver::allocations_of(shape, variant, scenario, 40);
    assert_eq!((twice - n) % 20, 0, "{shape:?} {variant:?} {scenario:?}: allocations vary from request to request");
    (twice - n) / 20
}

/// The runtime's ways of serving routes that do not go through `Router::layer` (which adds
/// axum's boxing: `bench table` shows it apart).
const RUNTIME: [Variant; 2] = [Variant::Routes, Variant::PolicyOuter];

#[test]
fn answering_a_request_adds_no_allocation() {
    for shape in Shape::ALL {
        for &scenario in Scenario::for_shape(shape).iter().filter(|s| **s != Scenario::Preflight) {
            let bare = per_request(shape, Variant::Bare, scenario);
            for variant in RUNTIME {
                assert_eq!(per_request(shape, variant, scenario), bare, "{shape:?} {variant:?} {scenario:?}");
            }
        }
    }
}

#[test]
fn the_route_layer_adds_only_what_router_layer_itself_costs() {
    for shape in Shape::ALL {
        let scenario = Scenario::SimpleAllowed;
        let without_cors = per_request(shape, Variant::BareMiddlewareIdentity, scenario);
        assert_eq!(per_request(shape, Variant::RoutesLayer, scenario), without_cors, "{shape:?}");
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
