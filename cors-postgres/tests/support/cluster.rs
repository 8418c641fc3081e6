//! A throwaway PostgreSQL cluster for tests: a temporary folder owned by the `postgres` user,
//! `initdb -A trust`, a free loopback port, the unix socket inside the folder. Drop stops the
//! server and removes the folder, also when the test panics.
//!
//! Reused by other test crates through `#[path = ".../cors-postgres/tests/support/cluster.rs"]`;
//! it depends on std and tokio-postgres only. Tests run as root and initdb refuses root, so every
//! server command runs through `runuser -u postgres --`.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Where Debian's PostgreSQL 15 keeps `initdb`, `pg_ctl` and `psql`.
const BIN: &str = "/usr/lib/postgresql/15/bin";

/// The `application_name` the crate gives its LISTEN connections.
pub const LISTEN_APP: &str = "cors-postgres";

/// One running throwaway server.
pub struct Cluster {
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    /// Creates, configures and starts a fresh cluster; panics with the tool's output on failure.
    pub fn start() -> Cluster {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cors-pg-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("socket")).expect("create the cluster folder");
        check(Command::new("chown").arg("-R").arg("postgres:postgres").arg(&dir), "chown");
        let cluster = Cluster { port: free_port(), dir };
        check(
            cluster
                .as_postgres(&format!("{BIN}/initdb"))
                .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D"])
                .arg(cluster.data()),
            "initdb",
        );
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\nmax_connections = 100\n",
            cluster.port,
            cluster.dir.join("socket").display()
        );
        let conf_path = cluster.data().join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf_path).expect("read postgresql.conf");
        text.push_str(&conf);
        std::fs::write(&conf_path, text).expect("write postgresql.conf");
        cluster.pg_ctl_start();
        cluster
    }

    /// The data folder.
    pub fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A libpq key=value connection string for the `postgres` database over TCP.
    pub fn conninfo(&self) -> String {
        format!("host=127.0.0.1 port={} user=postgres dbname=postgres sslmode=disable", self.port)
    }

    /// Stops the server (fast shutdown: open connections are cut).
    pub fn stop(&self) {
        check(&mut self.pg_ctl(&["stop", "-m", "fast", "-w", "-t", "30"]), "pg_ctl stop");
    }

    /// Starts a stopped server again on the same port.
    pub fn pg_ctl_start(&self) {
        let log = self.dir.join("server.log");
        check(self.pg_ctl(&["start", "-w", "-t", "30", "-l"]).arg(&log), "pg_ctl start");
    }

    /// Serves TLS (as well as plain connections) with this certificate chain and key, PEM:
    /// restarts the server.
    pub fn enable_tls(&self, cert_pem: &str, key_pem: &str) {
        let (cert, key) = (self.data().join("server.crt"), self.data().join("server.key"));
        std::fs::write(&cert, cert_pem).expect("write server.crt");
        std::fs::write(&key, key_pem).expect("write server.key");
        check(Command::new("chown").arg("postgres:postgres").arg(&cert).arg(&key), "chown");
        check(Command::new("chmod").arg("600").arg(&key), "chmod");
        let conf_path = self.data().join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf_path).expect("read postgresql.conf");
        text.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        std::fs::write(&conf_path, text).expect("write postgresql.conf");
        self.restart();
    }

    /// Stops and starts the server.
    pub fn restart(&self) {
        self.stop();
        self.pg_ctl_start();
    }

    /// Runs SQL through `psql` (on the unix socket, stops at the first error) and returns its
    /// unaligned, tuples-only output; panics with psql's stderr when the SQL fails.
    pub fn psql(&self, sql: &str) -> String {
        let out = self.try_psql(sql);
        assert!(out.status.success(), "psql failed on {sql:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }

    /// Runs SQL through `psql` and returns its raw output, success or not.
    pub fn try_psql(&self, sql: &str) -> Output {
        Command::new(format!("{BIN}/psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "postgres"])
            .arg("-h")
            .arg(self.dir.join("socket"))
            .args(["-p", &self.port.to_string(), "-d", "postgres", "-c", sql])
            .output()
            .expect("run psql")
    }

    /// A tokio-postgres client for the test's own SQL (its connection task is spawned on the
    /// current runtime).
    pub async fn client(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(&self.conninfo(), tokio_postgres::NoTls)
            .await
            .expect("connect to the test cluster");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
    }

    /// Terminates every backend whose `application_name` is `app` and returns how many.
    pub fn terminate(&self, app: &str) -> usize {
        let sql = format!(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = '{}' AND pid <> pg_backend_pid()) t",
            app.replace('\'', "''")
        );
        self.psql(&sql).parse().expect("a count")
    }

    /// Terminates the crate's LISTEN connections (application_name `cors-postgres`).
    pub fn terminate_listeners(&self) -> usize {
        self.terminate(LISTEN_APP)
    }

    /// How many backends with `application_name` = `app` are connected now.
    pub fn connections(&self, app: &str) -> usize {
        let sql =
            format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{}'", app.replace('\'', "''"));
        self.psql(&sql).parse().expect("a count")
    }

    fn as_postgres(&self, program: &str) -> Command {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--", program]);
        command
    }

    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut command = self.as_postgres(&format!("{BIN}/pg_ctl"));
        command.arg("-D").arg(self.data()).args(args);
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "-m", "immediate", "-w", "-t", "30"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits until `ready` holds, polling every 10 ms, at most `limit`; returns whether it held.
pub fn wait_until(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

fn check(command: &mut Command, what: &str) {
    let out = command.output().unwrap_or_else(|e| panic!("run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
