//! A throwaway PostgreSQL 15 cluster for one test: `initdb` in a temporary folder, the server
//! on a loopback port, stopped and removed when dropped. Run as the `postgres` user when the
//! tests run as root (the server refuses root).
//!
//! To be replaced by pg-core's `cors-postgres/tests/support/cluster.rs` once it lands (the
//! same job; this one exists because that one did not yet).

use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = "/usr/lib/postgresql/15/bin";

/// A running cluster with the superuser `app` and the database `app`.
pub struct Cluster {
    dir: PathBuf,
    pub port: u16,
}

impl Cluster {
    pub fn start(test: &str) -> Cluster {
        let dir = std::env::temp_dir().join(format!("cors-examples-pg-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let cluster = Cluster { dir, port: super::free_port() };
        if as_root() {
            ok(Command::new("chown").arg("postgres").arg(&cluster.dir).output());
        }
        ok(cluster.as_owner("initdb").args(["-D", &cluster.data(), "-U", "app", "-A", "trust"]).output());
        cluster.start_again();
        ok(Command::new(format!("{BIN}/createdb"))
            .args(["-h", "127.0.0.1", "-p", &cluster.port.to_string(), "-U", "app", "app"])
            .output());
        cluster
    }

    /// A libpq connection string for `--postgres`.
    pub fn conninfo(&self) -> String {
        format!("host=127.0.0.1 port={} user=app dbname=app", self.port)
    }

    /// Runs `sql` with `psql`, as an operator would; its output, one row a line.
    pub fn psql(&self, sql: &str) -> String {
        let output = ok(Command::new(format!("{BIN}/psql"))
            .args([&self.conninfo(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output());
        String::from_utf8_lossy(&output.stdout).trim_end().to_owned()
    }

    /// Stops the server (`-m fast`: connections are closed, as in a restart or a failover).
    pub fn stop(&self) {
        ok(self.as_owner("pg_ctl").args(["-D", &self.data(), "-m", "fast", "-w", "stop"]).output());
    }

    pub fn start_again(&self) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.display());
        let log = self.dir.join("log");
        ok(self
            .as_owner("pg_ctl")
            .args(["-D", &self.data(), "-l", log.to_str().unwrap(), "-o", &options, "-w", "start"])
            .output());
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn as_owner(&self, program: &str) -> Command {
        let program = format!("{BIN}/{program}");
        if as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--", &program]);
            command
        } else {
            Command::new(program)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.as_owner("pg_ctl").args(["-D", &self.data(), "-m", "immediate", "stop"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout == b"0\n")
}

fn ok(output: std::io::Result<Output>) -> Output {
    let output = output.expect("a PostgreSQL program runs (apt-get install postgresql-15)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}
