//! Per-request instructions and allocations: the bench runs itself under callgrind twice, with
//! `n` and `2n` requests, and divides the differences by `n` so setup cancels.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::apps::Variant;
use crate::scenarios::Scenario;
use crate::shapes::Shape;

/// One measured request: a shape, a way of serving it, a request.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub shape: &'static Shape,
    pub variant: Variant,
    pub scenario: Scenario,
}

/// What one request costs.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    pub instructions: f64,
    pub allocations: f64,
}

impl Cost {
    pub const ZERO: Cost = Cost { instructions: 0.0, allocations: 0.0 };
}

impl std::ops::Sub for Cost {
    type Output = Cost;

    fn sub(self, other: Cost) -> Cost {
        Cost { instructions: self.instructions - other.instructions, allocations: self.allocations - other.allocations }
    }
}

/// Totals of one whole run of `bench run VARIANT SCENARIO N` under callgrind.
struct Totals {
    instructions: u64,
    allocations: u64,
}

/// Measures every row, `jobs` valgrind processes at a time (callgrind counts do not depend on
/// what else runs), in the order given.
pub fn per_request_all(rows: &[Row], n: u64, jobs: usize) -> Result<Vec<Cost>, String> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Cost, String>>>> = Mutex::new(vec![None; rows.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(row) = rows.get(i) else { break };
                eprintln!("measuring {} / {} / {} ...", row.shape.name, row.variant.name(), row.scenario.name());
                let cost = per_request(*row, n);
                results.lock().expect("no worker panics")[i] = Some(cost);
            });
        }
    });
    results.into_inner().expect("no worker panics").into_iter().map(|r| r.expect("every row measured")).collect()
}

pub fn per_request(row: Row, n: u64) -> Result<Cost, String> {
    let once = totals(row, n)?;
    let twice = totals(row, 2 * n)?;
    let per = |a: u64, b: u64| (b as f64 - a as f64) / n as f64;
    Ok(Cost {
        instructions: per(once.instructions, twice.instructions),
        allocations: per(once.allocations, twice.allocations),
    })
}

fn totals(row: Row, n: u64) -> Result<Totals, String> {
    let Row { shape, variant, scenario } = row;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
    let out_file: PathBuf = std::env::temp_dir().join(format!(
        "bench-callgrind-{}-{}-{}-{}-{n}.out",
        std::process::id(),
        shape.name,
        variant.name(),
        scenario.name()
    ));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(&exe)
        .args(["run", shape.name, variant.name(), scenario.name(), &n.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let profile = std::fs::read_to_string(&out_file);
    let _ = std::fs::remove_file(&out_file);
    if !output.status.success() {
        return Err(format!(
            "valgrind run {} {} {} {n} failed: {}",
            shape.name,
            variant.name(),
            scenario.name(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let profile = profile.map_err(|e| format!("no callgrind output in {}: {e}", out_file.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(Totals {
        instructions: field(&profile, "summary:")
            .or_else(|| field(&profile, "totals:"))
            .ok_or("callgrind output has no `summary:` line")?,
        allocations: field(&stdout, "allocations").ok_or("`bench run` printed no `allocations` line")?,
    })
}

/// The number after `key` on the line that starts with it.
fn field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn reads_callgrind_summary_and_allocation_lines() {
        let profile = "events: Ir\nsummary: 123456\n";
        assert_eq!(field(profile, "summary:"), Some(123456));
        assert_eq!(field("allocations 42\n", "allocations"), Some(42));
        assert_eq!(field("nothing here\n", "summary:"), None);
    }
}
