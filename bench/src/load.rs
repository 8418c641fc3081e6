//! `bench load`: wrk against `bench serve` for each form of §5's shape, beside its hand-written
//! floor in the same position and the same app without CORS, on loopback, pinned, interleaved.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::apps::Variant;
use crate::scenarios::Scenario;
use crate::shapes::Shape;

/// A `bench serve` child process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(variant: Variant) -> Result<Server, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
        let exe = exe.to_str().ok_or("the bench binary's path is not UTF-8")?;
        let mut child = pinned(0, exe)
            .args(["serve", variant.name()])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start `bench serve`: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        let _ = BufReader::new(stdout).read_line(&mut line);
        match line.trim().strip_prefix("listening ").and_then(|p| p.parse().ok()) {
            Some(port) => Ok(Server { child, port }),
            None => {
                // Not a `Server` yet, so nothing else will stop it.
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("`bench serve {}` printed `{}`, not its port", variant.name(), line.trim()))
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server on the first core and wrk on the second, when the machine has two and `taskset`:
/// unpinned, they take turns on a core at the scheduler's whim and the numbers measure that.
fn pinned(core: usize, program: &str) -> Command {
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    let taskset = Command::new("taskset").arg("-V").output().is_ok_and(|o| o.status.success());
    if two_cores && taskset {
        let mut command = Command::new("taskset");
        command.args(["-c", &core.to_string(), program]);
        command
    } else {
        Command::new(program)
    }
}

/// Requests per second that wrk reached against `server` for `scenario`.
fn requests_per_second(server: &Server, scenario: Scenario, seconds: u64, connections: u32) -> Result<f64, String> {
    let script = std::env::temp_dir().join(format!("bench-wrk-{}-{}.lua", std::process::id(), scenario.name()));
    std::fs::write(&script, scenario.wrk_script(Shape::SINGLE))
        .map_err(|e| format!("cannot write the wrk script: {e}"))?;
    let output = pinned(1, "wrk")
        .args(["-t1", &format!("-c{connections}"), &format!("-d{seconds}s"), "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}{}", server.port, scenario.path(Shape::SINGLE)))
        .output();
    let _ = std::fs::remove_file(&script);
    let output = output.map_err(|e| format!("cannot run wrk (apt-get install wrk): {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || stdout.contains("Non-2xx") || stdout.contains("Socket errors") {
        return Err(format!("wrk against {} did not get clean 2xx answers:\n{stdout}", scenario.name()));
    }
    stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or(format!("wrk printed no `Requests/sec:` line:\n{stdout}"))
}

/// The forms measured under load, each beside its floor and its app without CORS (§5's shape).
const FORMS: [Variant; 6] = [
    Variant::Routes,
    Variant::RoutesLayer,
    Variant::PolicyOuter,
    Variant::PolicyLayer,
    Variant::TowerHttpOuter,
    Variant::TowerHttpLayer,
];

/// Every variant the table needs: the forms, their floors and their apps without CORS.
fn variants() -> Vec<Variant> {
    let mut all: Vec<Variant> = Vec::new();
    for form in FORMS {
        for variant in [Some(form), form.floor(), Some(form.without_cors())].into_iter().flatten() {
            if !all.contains(&variant) {
                all.push(variant);
            }
        }
    }
    all
}

/// The allowed simple request against every variant, in `rounds` interleaved rounds of
/// `seconds` (the order turned each round), servers pinned to one core and wrk to the other;
/// the median of each. Rendered per form: requests/s, and its ratio to the same app without
/// CORS beside its floor's.
pub fn measure(seconds: u64, rounds: usize, connections: u32) -> Result<String, String> {
    let variants = variants();
    let servers: Vec<Server> = variants.iter().map(|v| Server::start(*v)).collect::<Result<_, _>>()?;
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    for round in 0..rounds {
        for i in 0..variants.len() {
            let at = (i + round) % variants.len();
            eprintln!("round {}/{rounds}: wrk {} for {seconds} s ...", round + 1, variants[at].name());
            samples[at].push(requests_per_second(&servers[at], Scenario::SimpleAllowed, seconds, connections)?);
        }
    }
    let median = |variant: Variant| {
        let at = variants.iter().position(|v| *v == variant).expect("measured");
        let mut values = samples[at].clone();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let mut out = String::from(
        "| form | requests/s | ratio to the app without CORS | floor in the same position: requests/s | its ratio |\n|---|---:|---:|---:|---:|\n",
    );
    for form in FORMS {
        let base = median(form.without_cors());
        let floor = form.floor().expect("every form has a floor");
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.3} | {:.0} | {:.3} |",
            form.label(),
            median(form),
            median(form) / base,
            median(floor),
            median(floor) / base
        );
    }
    let _ = writeln!(
        out,
        "\nWithout CORS: {} {:.0} requests/s, {} {:.0} requests/s. Medians of {rounds} rounds of {seconds} s, wrk -t1 -c{connections}.",
        Variant::Bare.label(),
        median(Variant::Bare),
        Variant::BareMiddleware.label(),
        median(Variant::BareMiddleware)
    );
    Ok(out)
}
