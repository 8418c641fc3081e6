//! DESIGN §5's allocation targets, counted the way `bench table` counts them (the difference of
//! two runs, so setup cancels), without valgrind. Instruction targets need callgrind: see
//! `cargo run --release -p bench -- table`.

use bench::{driver, Scenario, Variant};

/// Allocations one request of `scenario` costs through `variant`.
fn per_request(variant: Variant, scenario: Scenario) -> u64 {
    let (n, twice) = (driver::allocations_of(variant, scenario, 20), driver::allocations_of(variant, scenario, 40));
    assert_eq!((twice - n) % 20, 0, "{variant:?} {scenario:?}: allocations vary from request to request");
    (twice - n) / 20
}

/// The runtime's own ways of serving routes (through `Router::layer`, axum adds boxing of its own).
const RUNTIME: [Variant; 2] = [Variant::Routes, Variant::PolicyOuter];

#[test]
fn answering_a_request_adds_no_allocation() {
    for scenario in [Scenario::SimpleAllowed, Scenario::Foreign] {
        let bare = per_request(Variant::Bare, scenario);
        for variant in RUNTIME {
            assert_eq!(per_request(variant, scenario), bare, "{variant:?} {scenario:?}");
        }
    }
}

#[test]
fn a_preflight_costs_at_most_18_allocations_in_all() {
    for variant in RUNTIME {
        let allocations = per_request(variant, Scenario::Preflight);
        assert!(allocations <= 18, "{variant:?}: {allocations}");
    }
}
