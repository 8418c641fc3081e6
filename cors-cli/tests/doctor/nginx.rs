//! Two owners for real: nginx running the field guide's own gateway snippet in front of a
//! service that sets CORS too. Without nginx the test says loudly that it was skipped; with `CI`
//! set it fails instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{apps, diagnose, diagnosis, serve, APP};

/// The field guide's "API gateway example: Nginx", as printed there.
const FIELD_GUIDE_SNIPPET: &str = r#"
map $http_origin $cors_origin {
    default "";
    "~^https://app\.example\.com$" $http_origin;
    "~^https://admin\.example\.com$" $http_origin;
}

server {
    listen 443 ssl;
    server_name api.example.com;

    location / {
        if ($request_method = OPTIONS) {
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials "true" always;
            add_header Access-Control-Allow-Methods "GET, POST, PUT, PATCH, DELETE, OPTIONS" always;
            add_header Access-Control-Allow-Headers "Authorization, Content-Type, X-Request-Id" always;
            add_header Access-Control-Max-Age "600" always;
            add_header Vary "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" always;
            return 204;
        }

        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Credentials "true" always;
        add_header Access-Control-Expose-Headers "ETag, X-Request-Id" always;
        add_header Vary "Origin" always;

        proxy_pass http://upstream_cluster;
    }
}
"#;

/// A running nginx, stopped (by its PID) when dropped, its prefix directory removed.
struct Nginx {
    child: Child,
    prefix: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.prefix);
    }
}

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].iter().map(PathBuf::from).find(|p| p.exists())
}

/// The whole configuration: the snippet on loopback `port` (plain http), its upstream, and
/// every path nginx writes inside `prefix`.
fn configuration(prefix: &Path, port: u16, upstream: &str) -> String {
    let p = prefix.display();
    let snippet = FIELD_GUIDE_SNIPPET.replace("listen 443 ssl;", &format!("listen 127.0.0.1:{port};"));
    format!(
        "worker_processes 1;\nerror_log {p}/error.log;\nevents {{ worker_connections 64; }}\nhttp {{\n\
         access_log off;\nclient_body_temp_path {p}/client_body;\nproxy_temp_path {p}/proxy;\n\
         fastcgi_temp_path {p}/fastcgi;\nuwsgi_temp_path {p}/uwsgi;\nscgi_temp_path {p}/scgi;\n\
         upstream upstream_cluster {{ server {upstream}; }}\n{snippet}}}\n"
    )
}

fn start(binary: &Path, upstream: &str) -> (Nginx, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let prefix = std::env::temp_dir().join(format!("cors-doctor-nginx-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&prefix).unwrap();
    let config = prefix.join("nginx.conf");
    std::fs::write(&config, configuration(&prefix, port, upstream)).unwrap();
    let globals = format!("daemon off; master_process off; pid {}/nginx.pid;", prefix.display());
    let args = |test: bool| {
        let mut args = vec!["-p".to_string(), prefix.display().to_string(), "-c".into(), config.display().to_string()];
        args.extend(["-g".into(), globals.clone()]);
        if test {
            args.push("-t".into());
        }
        args
    };
    let tested = Command::new(binary).args(args(true)).output().unwrap();
    assert!(tested.status.success(), "nginx -t: {}", String::from_utf8_lossy(&tested.stderr));
    let child = Command::new(binary).args(args(false)).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let nginx = Nginx { child, prefix };
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nginx did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    (nginx, port)
}

#[tokio::test(flavor = "multi_thread")]
async fn nginx_and_the_service_both_owning_cors() {
    let Some(binary) = nginx_binary() else {
        assert!(std::env::var_os("CI").is_none(), "nginx is not installed (.ci/run installs it)");
        eprintln!("SKIPPED nginx_and_the_service_both_owning_cors: nginx is not installed (apt-get install nginx)");
        return;
    };
    // The service behind the gateway sets its own CORS headers as well.
    let upstream = serve(apps::tower_http(apps::by_the_book())).await;
    let (_nginx, port) = start(&binary, upstream.trim_start_matches("http://"));
    let url = format!("http://127.0.0.1:{port}/orders");
    let (result, report) = diagnose(&[&url, "--origin", APP]).await;
    assert_eq!(result, diagnosis(1, &["duplicate-cors-headers"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the answer carries Access-Control-Allow-Origin `https://app.example.com, https://app.example.com`"
    );
    // The preflight is nginx's alone, and passes.
    let put = &[&url, "--origin", APP, "--method", "PUT", "--header", "Content-Type: application/json"];
    let (result, report) = diagnose(put).await;
    assert_eq!(result, diagnosis(1, &["duplicate-cors-headers"]));
    assert_eq!(report["attempts"][0]["exchanges"][0]["response"]["status"], 204);
}
