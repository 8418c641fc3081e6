//! The per-request tables: every shape served every way under callgrind, then each form of the
//! library (and tower-http) as a ratio to the hand-written floor in the same position (DESIGN
//! §9.4). `table` prints both; `guard` prints the ratios and fails when one passes its bound.

use std::fmt::Write;

use crate::apps::Variant;
use crate::callgrind::{self, Cost, Row};
use crate::scenarios::Scenario;
use crate::shapes::Shape;

/// DESIGN §9.4's bound for one cell: an allowed request adds at most `instructions` × the
/// floor's added instructions (a preflight: costs at most that × the floor's answer, in all), and
/// at most `allocations` more than the floor.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub instructions: f64,
    pub allocations: f64,
}

/// An allowed request: ≤ 1.10 × the floor's added instructions, no more allocations.
pub const REQUEST_BOUND: Bound = Bound { instructions: 1.10, allocations: 0.0 };
/// A preflight: no more than the hand-written answer in the same position.
pub const PREFLIGHT_BOUND: Bound = Bound { instructions: 1.00, allocations: 0.0 };

/// Where the bound does not hold, the bound that holds instead and why. docs/performance.md
/// ("Where a form costs more than its floor") shows the measurement behind each.
pub struct Limit {
    pub bound: Bound,
    pub why: &'static str,
}

/// The documented exceptions to §9.4's bounds.
pub fn limit(shape: &Shape, variant: Variant, scenario: Scenario) -> Option<Limit> {
    let public = (shape.policy)().is_public();
    match (variant, scenario) {
        // One `OPTIONS` service type for every path (a type per path would cost about 1 s of
        // a 200-route app's build), so it holds its path's answers and is not zero-sized: axum
        // clones the boxed service per request, one allocation. The floor writes each path's
        // methods into its own zero-sized service.
        (Variant::Routes, Scenario::Preflight) => Some(Limit {
            bound: Bound { allocations: 1.0, ..PREFLIGHT_BOUND },
            why: "per-path OPTIONS service is not zero-sized",
        }),
        // Through `Router::layer`, a preflight at a path without an `OPTIONS` route comes back
        // through axum's `405` path, which adds `Allow` to the answer: the answer is a clone of
        // a prebuilt map (cheaper than inserting its headers one by one), and a clone has no
        // room for one more name. The floor inserts into a map with room to spare.
        (Variant::PolicyLayer, Scenario::Preflight) => Some(Limit {
            bound: Bound { allocations: 1.0, ..PREFLIGHT_BOUND },
            why: "axum adds `Allow` to a cloned answer",
        }),
        // Behind the route-aware layer the routes keep their per-route wrapper (the same
        // `Routes` also serves without the layer): it finds the layer's scope and passes its
        // handler's future through, about 120 instructions and a larger future to box. The
        // floor's routes have no wrapper. Against a public route's floor, which inserts two
        // headers, the layer's fixed costs weigh more still.
        (Variant::RoutesLayer, Scenario::SimpleAllowed) => Some(Limit {
            bound: Bound { instructions: if public { 1.25 } else { 1.20 }, ..REQUEST_BOUND },
            why: "per-route wrapper behind the layer",
        }),
        // A public route's floor inserts two headers; the policy also looks for CORS headers set
        // inside (it owns them), one pass over the response's names.
        (Variant::PolicyOuter, Scenario::SimpleAllowed) if public => Some(Limit {
            bound: Bound { instructions: 1.20, ..REQUEST_BOUND },
            why: "public floor inserts two headers",
        }),
        _ => None,
    }
}

/// The library's forms, which §9.4's bounds apply to, then tower-http (shown, not held).
pub const FORMS: [Variant; 6] = [
    Variant::Routes,
    Variant::RoutesLayer,
    Variant::PolicyOuter,
    Variant::PolicyLayer,
    Variant::TowerHttpOuter,
    Variant::TowerHttpLayer,
];

/// The scenarios §9.4 bounds.
pub const BOUNDED: [Scenario; 2] = [Scenario::SimpleAllowed, Scenario::Preflight];

/// The matrix's columns, in the order the table shows them: each form beside its floor.
const COLUMNS: [Variant; 14] = [
    Variant::Bare,
    Variant::Routes,
    Variant::FloorRoutes,
    Variant::PolicyOuter,
    Variant::TowerHttpOuter,
    Variant::FloorOuter,
    Variant::BareIdentity,
    Variant::PolicyLayer,
    Variant::TowerHttpLayer,
    Variant::FloorLayer,
    Variant::BareMiddleware,
    Variant::BareMiddlewareIdentity,
    Variant::RoutesLayer,
    Variant::FloorRoutesLayer,
];

/// Every row's cost.
pub struct Measured {
    shapes: Vec<&'static Shape>,
    rows: Vec<(Row, Cost)>,
}

impl Measured {
    /// Measures every variant and scenario of `shapes` (`n` and `2n` requests each, `jobs`
    /// valgrind processes at a time).
    pub fn run(shapes: &[&'static Shape], n: u64, jobs: usize) -> Result<Measured, String> {
        let mut rows = Vec::new();
        for &shape in shapes {
            for &scenario in Scenario::for_shape(shape) {
                for variant in Variant::ALL {
                    rows.push(Row { shape, variant, scenario });
                }
            }
        }
        let costs = callgrind::per_request_all(&rows, n, jobs)?;
        Ok(Measured { shapes: shapes.to_vec(), rows: rows.into_iter().zip(costs).collect() })
    }

    fn cost(&self, shape: &Shape, variant: Variant, scenario: Scenario) -> Cost {
        self.rows
            .iter()
            .find(|(r, _)| std::ptr::eq(r.shape, shape) && r.variant == variant && r.scenario == scenario)
            .map(|(_, cost)| *cost)
            .expect("every shape, variant and scenario was measured")
    }

    /// What §9.4 compares: for an allowed (or foreign) request, the cost added to the same app
    /// without CORS; for a preflight, the cost in all (without CORS it is axum's `405`).
    fn compared(&self, shape: &Shape, variant: Variant, scenario: Scenario) -> Cost {
        let cost = self.cost(shape, variant, scenario);
        match scenario {
            Scenario::Preflight => cost,
            _ => cost - self.cost(shape, variant.without_cors(), scenario),
        }
    }

    /// The matrix: instructions / allocations per request, a row per shape and request.
    pub fn render_matrix(&self) -> String {
        let mut out = String::from("| shape | request |");
        for variant in COLUMNS {
            let _ = write!(out, " {} |", variant.label());
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---:|".repeat(COLUMNS.len()));
        out.push('\n');
        for &shape in &self.shapes {
            for &scenario in Scenario::for_shape(shape) {
                let _ = write!(out, "| {} | {} |", shape.label, scenario.label());
                for variant in COLUMNS {
                    let cost = self.cost(shape, variant, scenario);
                    let _ = write!(out, " {} / {} |", thousands(cost.instructions), count(cost.allocations));
                }
                out.push('\n');
            }
        }
        out
    }

    /// Every form of every shape against its floor. `slack` instructions per request are
    /// allowed on top of each bound (the guard's margin; `table` uses none).
    pub fn checks(&self, slack: f64) -> Vec<Check> {
        let mut checks = Vec::new();
        for &shape in &self.shapes {
            for variant in FORMS {
                let floor = variant.floor().expect("every form has a floor");
                for scenario in BOUNDED {
                    let cost = self.compared(shape, variant, scenario);
                    let floor_cost = self.compared(shape, floor, scenario);
                    let limit = if variant.is_library() { limit(shape, variant, scenario) } else { None };
                    let within = |bound: &Bound| {
                        cost.instructions <= bound.instructions * floor_cost.instructions + slack
                            && cost.allocations <= floor_cost.allocations + bound.allocations
                    };
                    let bound = if scenario == Scenario::Preflight { PREFLIGHT_BOUND } else { REQUEST_BOUND };
                    let met_bound = within(&bound);
                    let met_limit = limit.as_ref().map(|l| within(&l.bound));
                    checks.push(Check {
                        shape,
                        variant,
                        scenario,
                        against: Against::Floor,
                        cost,
                        floor: floor_cost,
                        met_bound,
                        limit,
                        met_limit,
                    });
                }
            }
        }
        checks.extend(self.twin_checks(slack));
        checks
    }

    /// DESIGN §9.1: a shape held to its written twin ([`Shape::TWINS`]), form by form: at most
    /// 1.10 × what the twin adds (a preflight: costs in all) and no allocation more.
    fn twin_checks(&self, slack: f64) -> Vec<Check> {
        // By name: a `const` shape's address may differ from one use to the next.
        let measured = |shape: &Shape| self.shapes.iter().copied().find(|s| s.name == shape.name);
        let mut checks = Vec::new();
        for (shape, twin) in Shape::TWINS.into_iter().filter_map(|(s, t)| Some((measured(s)?, measured(t)?))) {
            for variant in FORMS.into_iter().filter(|v| v.is_library()) {
                for scenario in BOUNDED {
                    let cost = self.compared(shape, variant, scenario);
                    let twin_cost = self.compared(twin, variant, scenario);
                    let bound = TWIN_BOUND;
                    let met_bound = cost.instructions <= bound.instructions * twin_cost.instructions + slack
                        && cost.allocations <= twin_cost.allocations + bound.allocations;
                    checks.push(Check {
                        shape,
                        variant,
                        scenario,
                        against: Against::Twin(twin),
                        cost,
                        floor: twin_cost,
                        met_bound,
                        limit: None,
                        met_limit: None,
                    });
                }
            }
        }
        checks
    }

    /// The ratios to the floor as a table: a row per shape and request, a column per form; then
    /// each shape held to its written twin, if any was measured.
    pub fn render_checks(&self, checks: &[Check]) -> String {
        let mut out = self.render_floor_checks(checks);
        let twins: Vec<&Check> = checks.iter().filter(|c| matches!(c.against, Against::Twin(_))).collect();
        if let Some(first) = twins.first() {
            let Against::Twin(twin) = first.against else { unreachable!("filtered") };
            let _ = writeln!(
                out,
                "\n{} against {} (DESIGN §9.1: ≤ 1.10 × and no allocation more):\n",
                first.shape.label, twin.label
            );
            out.push_str("| form | request | ratio |\n|---|---|---|\n");
            for check in twins {
                let _ = writeln!(out, "| {} | {} | {} |", check.variant.label(), check.scenario.label(), check.shown());
            }
        }
        out
    }

    fn render_floor_checks(&self, checks: &[Check]) -> String {
        let mut out = String::from("| shape | request |");
        for variant in FORMS {
            let _ = write!(out, " {} |", variant.label());
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---|".repeat(FORMS.len()));
        out.push('\n');
        for &shape in &self.shapes {
            for scenario in BOUNDED {
                let _ = write!(out, "| {} | {} |", shape.label, scenario.label());
                for variant in FORMS {
                    let check = checks
                        .iter()
                        .filter(|c| c.against == Against::Floor)
                        .find(|c| std::ptr::eq(c.shape, shape) && c.variant == variant && c.scenario == scenario)
                        .expect("every cell was checked");
                    let _ = write!(out, " {} |", check.shown());
                }
                out.push('\n');
            }
        }
        out
    }
}

/// What a form of a shape is held to.
#[derive(Clone, Copy)]
pub enum Against {
    /// The hand-written CORS for the shape, in the same position (§9.4).
    Floor,
    /// The same form of another shape: the same policy written as a list (§9.1).
    Twin(&'static Shape),
}

impl PartialEq for Against {
    fn eq(&self, other: &Against) -> bool {
        match (self, other) {
            (Against::Floor, Against::Floor) => true,
            (Against::Twin(a), Against::Twin(b)) => a.name == b.name,
            _ => false,
        }
    }
}

/// §9.1's bound of a run-time allowlist against its written twin.
pub const TWIN_BOUND: Bound = Bound { instructions: 1.10, allocations: 0.0 };

/// One form of one shape, one request, against its floor (or its twin).
pub struct Check {
    pub shape: &'static Shape,
    pub variant: Variant,
    pub scenario: Scenario,
    pub against: Against,
    /// What is compared (see `Measured::compared`), for the form and for what it is held to
    /// (its floor, or its twin's same form).
    pub cost: Cost,
    pub floor: Cost,
    /// Whether §9.4's bound holds.
    pub met_bound: bool,
    /// The documented exception of this cell, if any, and whether it holds.
    pub limit: Option<Limit>,
    pub met_limit: Option<bool>,
}

impl Check {
    /// Where the guard names the cell: `shape / form / request`, and the twin when held to one.
    pub fn name(&self) -> String {
        let against = match self.against {
            Against::Floor => String::new(),
            Against::Twin(twin) => format!(" against {}", twin.label),
        };
        format!("{} / {} / {}{against}", self.shape.label, self.variant.label(), self.scenario.label())
    }

    pub fn ratio(&self) -> f64 {
        self.cost.instructions / self.floor.instructions
    }

    /// What the guard requires of the library's forms: the bound, or the documented exception.
    /// tower-http is shown beside them and never fails the guard.
    pub fn passes(&self) -> bool {
        !self.variant.is_library() || self.met_bound || self.met_limit == Some(true)
    }

    /// `1.02 × (+1,453 / +1,420), +0 / +0 alloc: ok`.
    pub fn shown(&self) -> String {
        let sign = if self.scenario == Scenario::Preflight { "" } else { "+" };
        let verdict = match (self.variant.is_library(), self.met_bound, &self.limit, self.met_limit) {
            (false, ..) => String::new(),
            (true, true, ..) => ": ok".into(),
            (true, false, Some(limit), Some(true)) => format!(": over, within its limit ({})", limit.why),
            (true, false, Some(limit), _) => format!(": **over its limit ({})**", limit.why),
            (true, false, None, _) => ": **over**".into(),
        };
        format!(
            "{:.2} × ({sign}{} / {sign}{}), {sign}{} / {sign}{} alloc{verdict}",
            self.ratio(),
            thousands(self.cost.instructions),
            thousands(self.floor.instructions),
            count(self.cost.allocations),
            count(self.floor.allocations),
        )
    }
}

/// The legend printed under the ratios.
pub const LEGEND: &str =
    "Each cell: instructions as a multiple of the floor's (the hand-written CORS for that shape in \
the same position: `routes![...]` against per-route handlers and `.options_service(...)`, `Routes::layer()` against a \
route-aware layer through `Router::layer` with the middleware inside, `NAME::layer()` and tower-http against one outer \
service, as the outer service or through `Router::layer`), then (form / floor) instructions, then allocations form / \
floor. Allowed simple request: what it adds to the same app without CORS; bound ≤ 1.10 × and no allocation more. \
Preflight: in all; bound ≤ 1.00 × and no allocation more. Exceptions (docs/performance.md): `routes![...]` preflight +1 \
allocation (the per-path OPTIONS service is not zero-sized); `NAME::layer()` via `Router::layer` preflight +1 allocation \
(axum adds `Allow` to a cloned answer); `Routes::layer()` allowed request ≤ 1.20 ×, ≤ 1.25 × on a public route (the \
per-route wrapper still runs behind the layer); `NAME::layer()` as the outer service on a public route ≤ 1.20 × (the \
floor inserts two headers). tower-http is shown, not held.";

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

/// Allocation counts are whole numbers when the code is deterministic; show it when not.
fn count(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
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
        assert_eq!(count(21.0), "21");
        assert_eq!(count(20.5), "20.50");
    }
}
