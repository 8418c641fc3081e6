//! `bench compile-time --instructions`: the same apps as `compile_time.rs`, each app crate built
//! once with its `rustc` (and the linker it starts) under cachegrind. Wall-clock build times on a
//! shared two-core machine move by more than the differences measured; instruction counts do not,
//! so this is the measure to compare code changes with (the timed one stays what a user sees).

use std::fmt::Write as _;
use std::path::Path;

use crate::compile_time::{cargo_build, generate, rewrite_app, Flavour, Kind};

/// cargo's `RUSTC_WRAPPER` for the counted builds: an app crate's `rustc` runs under cachegrind
/// with its children (the linker), every other crate as usual.
const WRAPPER: &str = r#"#!/bin/sh
# Written by `bench compile-time --instructions`.
rustc="$1"; shift
case " $* " in
  *" --crate-name app_"*)
    exec valgrind -q --tool=cachegrind --cache-sim=no --trace-children=yes \
      --cachegrind-out-file="$COUNT_DIR/cachegrind.%p" "$rustc" "$@" ;;
  *) exec "$rustc" "$@" ;;
esac
"#;

/// The counted builds of one app size and kind: instructions per flavour, in the order of
/// `Flavour::ALL`.
pub struct Counted {
    routes: usize,
    kind: Kind,
    counts: [u64; 3],
}

impl Counted {
    /// The `#[cors]` flavour's count as a multiple of tower-http's (DESIGN §9.4 bounds it).
    pub fn cors_ratio(&self) -> f64 {
        self.counts[2] as f64 / self.counts[1] as f64
    }

    /// The markdown table docs/performance.md shows.
    pub fn table(&self) -> String {
        let tower_http = self.counts[1] as f64;
        let mut table = format!(
            "| {}-route app, `#[cors]` routes `{}` | instructions to build the app crate (rustc and linker, cachegrind) | ratio |\n|---|---:|---|\n",
            self.routes,
            self.kind.first_words()
        );
        for (flavour, count) in Flavour::ALL.into_iter().zip(self.counts) {
            let _ = writeln!(
                table,
                "| {} | {:.3} billion | {:.3} × tower-http flavour |",
                flavour.label(),
                count as f64 / 1e9,
                count as f64 / tower_http
            );
        }
        table
    }
}

/// Generates the apps, prebuilds everything, then builds each app crate once under the wrapper
/// and counts the instructions of each.
pub fn measure(dir: &Path, routes: usize, kind: Kind) -> Result<Counted, String> {
    generate(dir, routes, kind)?;
    let wrapper = dir.join("count-instructions.sh");
    std::fs::write(&wrapper, WRAPPER).map_err(|e| format!("cannot write {}: {e}", wrapper.display()))?;
    make_executable(&wrapper)?;
    eprintln!("prebuilding dependencies in {} ...", dir.display());
    cargo_build(dir, None, &[])?;
    let mut counts = [0; 3];
    for (flavour, count) in Flavour::ALL.into_iter().zip(&mut counts) {
        eprintln!("counting {} (a minute or two under cachegrind) ...", flavour.crate_name());
        let out = dir.join("cachegrind").join(flavour.crate_name());
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        rewrite_app(dir, flavour, routes, kind)?;
        cargo_build(dir, Some(flavour.crate_name()), &[("RUSTC_WRAPPER", &wrapper), ("COUNT_DIR", &out)])?;
        *count = sum_counts(&out)?;
    }
    Ok(Counted { routes, kind, counts })
}

fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("cannot make {} executable: {e}", path.display()))
}

/// The `summary:` instruction counts of every process cachegrind followed for one build.
fn sum_counts(dir: &Path) -> Result<u64, String> {
    let mut total = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let summary = text.lines().find_map(|line| line.strip_prefix("summary:"));
        let count = summary.and_then(|s| s.trim().parse::<u64>().ok());
        total += count.ok_or(format!("{}: no cachegrind summary (is valgrind installed?)", path.display()))?;
    }
    if total == 0 {
        return Err(format!(
            "no cachegrind output in {}: did the wrapper run? (is valgrind installed?)",
            dir.display()
        ));
    }
    Ok(total)
}
