//! Shared by the gateway tests: the `cors` binary, nginx started under a temporary prefix on a
//! free loopback port, axum servers on loopback, and an HTTP exchange reduced to what CORS
//! decides, so "direct" and "through nginx" can be compared field by field.
#![allow(dead_code, unused_imports)] // each test file uses its own part

mod browser;
mod compare;
mod envoy;
pub mod equivalence;
mod judge;
mod plain;

pub use browser::{verdict, Remote};
pub use compare::{compare, compare_as_browsers, Differs, Judged};
pub use envoy::{envoy_available, envoy_binary, validate as envoy_validate, Envoy};
pub use judge::browser_view;
pub use plain::{plain_router, with_wrong_cors, PlainRoute, WRONG_CORS};

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("cors-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether nginx can be run. Without it the test is skipped loudly, unless `CI` is set: then
/// a missing nginx is a failure (`.ci/run` installs it).
pub fn nginx_available(test: &str) -> bool {
    let found = Command::new("nginx").arg("-v").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: nginx is not installed, and CI is set (.ci/run installs it)"
        );
        // To the terminal itself: libtest captures what a passing test writes to stderr.
        let message = format!(
            "\n*** SKIPPED {test}: nginx is not installed (apt-get install nginx); set CI=1 to fail instead ***\n"
        );
        match std::fs::OpenOptions::new().write(true).open("/dev/stderr") {
            Ok(mut terminal) => drop(std::io::Write::write_all(&mut terminal, message.as_bytes())),
            Err(_) => eprintln!("{message}"),
        }
    }
    found
}

/// Runs `cors export nginx --listen PORT FILE=URL...` with each table written to a file.
pub fn export(dir: &Path, listen: u16, tables: &[(&str, &str, &str)]) -> Output {
    export_to(Gateway::Nginx, dir, listen, tables)
}

/// The gateways `cors export` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gateway {
    Nginx,
    Envoy,
}

impl Gateway {
    pub fn name(self) -> &'static str {
        match self {
            Gateway::Nginx => "nginx",
            Gateway::Envoy => "envoy",
        }
    }
}

/// Runs `cors export GATEWAY --listen PORT FILE=URL...` with each table written to a file.
pub fn export_to(gateway: Gateway, dir: &Path, listen: u16, tables: &[(&str, &str, &str)]) -> Output {
    let mut args = vec!["export".to_string(), gateway.name().to_string(), "--listen".to_string(), listen.to_string()];
    for (name, json, upstream) in tables {
        let file = dir.join(name);
        std::fs::write(&file, json).expect("table written");
        args.push(format!("{}={upstream}", file.display()));
    }
    cors(&args)
}

pub fn cors(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cors")).args(args).output().expect("the cors binary runs")
}

/// The configuration `cors export` printed; panics with its stderr if it failed.
pub fn exported(output: Output) -> String {
    assert!(output.status.success(), "cors export failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("the configuration is UTF-8")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// nginx running a generated configuration under its own prefix; stopped by PID when dropped.
pub struct Nginx {
    child: Child,
    pub addr: SocketAddr,
    _dir: TempDir,
}

impl Nginx {
    /// `config` is what `cors export nginx --listen port` printed. Its `listen` is narrowed to
    /// loopback, `nginx -t` must pass without a warning, then nginx runs in the foreground.
    pub fn start(config: &str, port: u16) -> Nginx {
        let dir = TempDir::new("nginx");
        let listen = format!("    listen {port};\n");
        assert_eq!(config.matches(&listen).count(), 1, "one `listen {port};` in:\n{config}");
        let config = config.replace(&listen, &format!("    listen 127.0.0.1:{port};\n"));
        let args = check_config(&dir, &config);
        let child = Command::new("nginx")
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx starts");
        let mut nginx = Nginx { child, addr: SocketAddr::from(([127, 0, 0, 1], port)), _dir: dir };
        wait_listening("nginx", &mut nginx.child, nginx.addr, Duration::from_secs(10));
        nginx
    }
}

/// Writes `config` under `dir` inside a main file that keeps every path in `dir`, and runs
/// `nginx -t` on it, which must pass without a warning. Returns the arguments that run it.
pub fn check_config(dir: &TempDir, config: &str) -> Vec<String> {
    std::fs::write(dir.0.join("cors.conf"), config).unwrap();
    let d = dir.0.display();
    let main = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log stderr warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n    access_log off;\n    client_body_temp_path {d}/body;\n    proxy_temp_path {d}/proxy;\n    \
         fastcgi_temp_path {d}/fastcgi;\n    uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n    \
         include {d}/cors.conf;\n}}\n"
    );
    std::fs::write(dir.0.join("nginx.conf"), main).unwrap();
    let args: Vec<String> = ["-e", "stderr", "-p", &format!("{d}/"), "-c", &format!("{d}/nginx.conf")]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let test = Command::new("nginx").arg("-t").args(&args).output().expect("nginx -t runs");
    let report = String::from_utf8_lossy(&test.stderr);
    assert!(test.status.success() && !report.contains("[warn]"), "nginx -t on the generated config:\n{report}");
    args
}

/// Waits until `child` (named `name`) accepts connections on `addr`; panics with its stderr if
/// it exits first, or after `limit`.
pub fn wait_listening(name: &str, child: &mut Child, addr: SocketAddr, limit: Duration) {
    let deadline = Instant::now() + limit;
    while TcpStream::connect(addr).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            let mut stderr = String::new();
            let _ = std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr);
            panic!("{name} exited ({status}) before listening:\n{stderr}");
        }
        assert!(Instant::now() < deadline, "{name} did not listen on {addr} in {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // `Child::kill` signals this PID only: the nginx this test started, nothing else.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `router` on a free loopback port until the runtime ends.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// A running gateway, stopped when dropped.
pub enum Running {
    Nginx(Nginx),
    Envoy(Envoy),
}

/// One service two ways: directly, with its own CORS, and through a gateway running the export
/// of its route table in front of the same handlers without CORS.
pub struct Sides {
    pub direct: SocketAddr,
    /// Where the gateway listens.
    pub gateway: SocketAddr,
    pub client: HttpClient,
    _running: Running,
}

impl Sides {
    /// Serves `direct` and `upstream`, exports `table_json` for the upstream, starts nginx on it.
    pub async fn start(table_json: &str, direct: axum::Router, upstream: axum::Router) -> Sides {
        Sides::start_behind(Gateway::Nginx, table_json, direct, upstream).await
    }

    /// [`Sides::start`] with `gateway` in front.
    pub async fn start_behind(
        gateway: Gateway,
        table_json: &str,
        direct: axum::Router,
        upstream: axum::Router,
    ) -> Sides {
        let upstream = serve(upstream).await;
        let direct = serve(direct).await;
        let dir = TempDir::new("tables");
        let port = free_port();
        let tables = [("table.json", table_json, format!("http://{upstream}"))];
        let tables: Vec<_> = tables.iter().map(|(f, j, u)| (*f, *j, u.as_str())).collect();
        let config = exported(export_to(gateway, &dir.0, port, &tables));
        let running = match gateway {
            Gateway::Nginx => Running::Nginx(Nginx::start(&config, port)),
            Gateway::Envoy => Running::Envoy(Envoy::start(&config, port)),
        };
        Sides { direct, gateway: SocketAddr::from(([127, 0, 0, 1], port)), client: client(), _running: running }
    }
}

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// One request of a matrix.
#[derive(Clone, Debug)]
pub struct Probe {
    pub name: String,
    pub method: &'static str,
    pub path: String,
    /// Sent in this order; a name may repeat.
    pub headers: Vec<(&'static str, String)>,
    pub body: &'static str,
}

impl Probe {
    pub fn new(name: impl Into<String>, method: &'static str, path: impl Into<String>) -> Probe {
        Probe { name: name.into(), method, path: path.into(), headers: Vec::new(), body: "" }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Probe {
        self.headers.push((name, value.into()));
        self
    }
    pub fn origin(self, origin: Option<&str>) -> Probe {
        match origin {
            Some(origin) => self.header("origin", origin),
            None => self,
        }
    }
    pub fn body(mut self, body: &'static str) -> Probe {
        self.body = body;
        self
    }
    /// A preflight as browsers send it.
    pub fn preflight(name: impl Into<String>, path: impl Into<String>, origin: &str, method: &str) -> Probe {
        Probe::new(name, "OPTIONS", path).header("origin", origin).header("access-control-request-method", method)
    }
}

/// What a response says that CORS decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub status: u16,
    /// Every `access-control-*` header line, name lowercase, sorted.
    pub cors: Vec<(String, String)>,
    /// Every `Vary` line, joined with `, ` (one field either way, as HTTP reads it).
    pub vary: Option<String>,
    /// `Allow` on a `204` (a plain `OPTIONS`).
    pub allow: Option<String>,
    /// `Content-Type` on a `403` (the refusal's reason is plain text).
    pub refusal_type: Option<String>,
    /// The body, except on a `404`, where nginx's page and axum's empty body differ.
    pub body: Option<String>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.cors.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends `probe` to `addr` and reads the answer, in at most 10 s.
pub async fn send(client: &HttpClient, addr: SocketAddr, probe: &Probe) -> Exchange {
    let mut request = http::Request::builder().method(probe.method).uri(format!("http://{addr}{}", probe.path));
    for (name, value) in &probe.headers {
        request = request.header(*name, value.as_str());
    }
    let request = request.body(Full::new(Bytes::from_static(probe.body.as_bytes()))).unwrap();
    let exchange = async {
        let response = client.request(request).await.unwrap_or_else(|e| panic!("{}: {e}", probe.name));
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("response body").to_bytes();
        let lines = |name: &str| -> Vec<String> {
            parts.headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect()
        };
        let status = parts.status.as_u16();
        let mut cors: Vec<(String, String)> = parts
            .headers
            .iter()
            .filter(|(name, _)| name.as_str().starts_with("access-control-"))
            .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        cors.sort();
        let vary = Some(lines("vary").join(", ")).filter(|v| !v.is_empty());
        let first = |name: &str| lines(name).into_iter().next();
        Exchange {
            status,
            cors,
            vary,
            allow: if status == 204 { first("allow") } else { None },
            refusal_type: if status == 403 { first("content-type") } else { None },
            body: (status != 404).then(|| String::from_utf8_lossy(&body).into_owned()),
        }
    };
    tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .unwrap_or_else(|_| panic!("{}: timed out", probe.name))
}
