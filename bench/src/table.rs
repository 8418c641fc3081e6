//! The per-request table: every variant and scenario under callgrind, then DESIGN §5's targets
//! checked against the rows.

use std::fmt::Write;

use crate::apps::Variant;
use crate::callgrind::{self, Cost};
use crate::driver;
use crate::scenarios::Scenario;

/// DESIGN §5: what the runtime may add to an allowed simple request over the bare route.
const SIMPLE_EXTRA_INSTRUCTIONS: f64 = 1_500.0;
const SIMPLE_EXTRA_ALLOCATIONS: f64 = 0.0;
/// DESIGN §5: an allowed preflight, in all, against tower-http via `Router::layer`.
const PREFLIGHT_INSTRUCTION_RATIO: f64 = 0.6;
const PREFLIGHT_ALLOCATIONS: f64 = 18.0;

/// The variants the targets apply to: the runtime's own ways of serving routes. (Through
/// `Router::layer`, axum boxes and clones the layered service per request; that cost is
/// axum's, and the table shows it beside tower-http's in the same position.)
const TARGETED: [Variant; 2] = [Variant::Routes, Variant::PolicyOuter];

struct Row {
    scenario: Scenario,
    variant: Variant,
    status: u16,
    cost: Cost,
}

/// Measures every row (`n` and `2n` requests each) and renders the table and the target checks.
/// Returns the report and whether every target was met.
pub fn measure(n: u64) -> Result<(String, bool), String> {
    let mut rows = Vec::new();
    for scenario in Scenario::ALL {
        for variant in Variant::ALL {
            eprintln!("measuring {} / {} ...", scenario.name(), variant.name());
            rows.push(Row {
                scenario,
                variant,
                status: driver::run(variant, scenario, 1).status().as_u16(),
                cost: callgrind::per_request(variant, scenario, n)?,
            });
        }
    }
    let cost = |scenario, variant| {
        rows.iter()
            .find(|r| r.scenario == scenario && r.variant == variant)
            .map(|r| r.cost)
            .expect("every scenario and variant was measured")
    };

    let mut out = String::new();
    out.push_str("| request | variant | status | instructions | allocations | compared with |\n");
    out.push_str("|---|---|---:|---:|---:|---|\n");
    for row in &rows {
        let compared = match row.scenario {
            _ if row.variant == Variant::Bare => "-".to_string(),
            Scenario::Preflight => format!(
                "{:.2} × tower-http via `Router::layer`",
                row.cost.instructions / cost(Scenario::Preflight, Variant::TowerHttpLayer).instructions
            ),
            _ => {
                let bare = cost(row.scenario, Variant::Bare);
                format!(
                    "{} instructions, {} allocations over bare",
                    signed(row.cost.instructions - bare.instructions),
                    signed_count(row.cost.allocations - bare.allocations)
                )
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.scenario.label(),
            row.variant.label(),
            row.status,
            thousands(row.cost.instructions),
            count(row.cost.allocations),
            compared
        );
    }

    out.push_str("\nDESIGN §5 targets:\n");
    let mut all_met = true;
    let mut check = |what: String, met: bool| {
        all_met &= met;
        let _ = writeln!(out, "- {what}: {}", if met { "met" } else { "MISSED" });
    };
    let tower_preflight = cost(Scenario::Preflight, Variant::TowerHttpLayer);
    for variant in TARGETED {
        let extra_instructions = cost(Scenario::SimpleAllowed, variant).instructions
            - cost(Scenario::SimpleAllowed, Variant::Bare).instructions;
        let extra_allocations = cost(Scenario::SimpleAllowed, variant).allocations
            - cost(Scenario::SimpleAllowed, Variant::Bare).allocations;
        let preflight = cost(Scenario::Preflight, variant);
        let ratio = preflight.instructions / tower_preflight.instructions;
        let label = variant.label();
        check(
            format!(
                "{label}, allowed simple request: {} instructions over bare (target ≤ +1,500)",
                signed(extra_instructions)
            ),
            extra_instructions <= SIMPLE_EXTRA_INSTRUCTIONS,
        );
        check(
            format!(
                "{label}, allowed simple request: {} allocations over bare (target +0)",
                signed_count(extra_allocations)
            ),
            extra_allocations <= SIMPLE_EXTRA_ALLOCATIONS,
        );
        check(
            format!("{label}, allowed preflight: {ratio:.2} × tower-http's instructions (target ≤ 0.6)"),
            ratio <= PREFLIGHT_INSTRUCTION_RATIO,
        );
        check(
            format!("{label}, allowed preflight: {} allocations in all (target ≤ 18)", count(preflight.allocations)),
            preflight.allocations <= PREFLIGHT_ALLOCATIONS,
        );
    }
    Ok((out, all_met))
}

/// `12345.4` → `12,345`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value.round() < 0.0 {
        grouped.insert(0, '-');
    }
    grouped
}

fn signed(value: f64) -> String {
    if value.round() >= 0.0 {
        format!("+{}", thousands(value))
    } else {
        thousands(value)
    }
}

/// Allocation counts are whole numbers when the code is deterministic; show it when not.
fn count(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

fn signed_count(value: f64) -> String {
    if value >= 0.0 {
        format!("+{}", count(value))
    } else {
        count(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_for_the_table() {
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(999.6), "1,000");
        assert_eq!(thousands(-1_500.0), "-1,500");
        assert_eq!(signed(12.0), "+12");
        assert_eq!(signed(-12_000.0), "-12,000");
        assert_eq!(count(21.0), "21");
        assert_eq!(count(20.5), "20.50");
        assert_eq!(signed_count(0.0), "+0");
    }
}
