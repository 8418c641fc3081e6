//! Starting a real browser, headless, with a fresh profile and nothing that reaches for the
//! network beyond loopback, on the page that runs the matrix, and listening to its console.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use cors_browser::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::process::{Child, ChildStderr, Command};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A browser binary to test.
pub struct Browser {
    pub engine: Engine,
    pub binary: PathBuf,
}

impl Browser {
    /// `engine`'s browser: the path in the environment variable `CHROMIUM` / `FIREFOX`, or the
    /// Debian package's binary on `PATH` (`chromium`, `firefox-esr`).
    pub fn find(engine: Engine) -> Option<Browser> {
        let (variable, name) = match engine {
            Engine::Chromium => ("CHROMIUM", "chromium"),
            Engine::Firefox => ("FIREFOX", "firefox-esr"),
            Engine::Standard => unreachable!("the standard is not a browser"),
        };
        let binary = std::env::var_os(variable).map(PathBuf::from).or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
        })?;
        Some(Browser { engine, binary })
    }

    /// The package name and variable to mention when the browser is missing.
    pub fn install_hint(engine: Engine) -> &'static str {
        match engine {
            Engine::Chromium => "apt-get install chromium, or set CHROMIUM",
            _ => "apt-get install firefox-esr, or set FIREFOX",
        }
    }

    /// `--version`'s answer, for the report.
    pub async fn version(&self) -> String {
        let output = Command::new(&self.binary).arg("--version").output().await;
        output.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
    }

    /// Opens `url` headless with a fresh profile in `profile`. The returned task collects the
    /// console messages the page logs until the browser exits: Chromium prints them on stderr;
    /// Firefox sends them to a debugging client, so it starts on `about:blank` with its built-in
    /// WebDriver BiDi agent, and the task subscribes to the log before opening `url`.
    pub fn open(&self, url: &str, profile: &Path) -> (Child, JoinHandle<Vec<String>>) {
        std::fs::create_dir_all(profile).unwrap();
        let mut command = Command::new(&self.binary);
        match self.engine {
            Engine::Chromium => {
                command.args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--enable-logging=stderr",
                    "--v=0",
                ]);
                command.arg(format!("--user-data-dir={}", profile.display())).arg(url);
            }
            Engine::Firefox => {
                std::fs::write(profile.join("user.js"), FIREFOX_PREFS).unwrap();
                command.args(["--headless", "--no-remote", "--remote-debugging-port", "0", "--profile"]);
                command.arg(profile).arg("about:blank");
            }
            Engine::Standard => unreachable!("the standard is not a browser"),
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.binary.display()));
        let stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let console = match self.engine {
            Engine::Firefox => tokio::spawn(firefox_console(stderr, url.to_string())),
            _ => tokio::spawn(chromium_console(stderr)),
        };
        (child, console)
    }
}

type Stderr = Lines<BufReader<ChildStderr>>;

async fn chromium_console(mut stderr: Stderr) -> Vec<String> {
    let mut messages = Vec::new();
    while let Ok(Some(line)) = stderr.next_line().await {
        if let Some(message) = chromium_console_message(&line) {
            messages.push(message);
        }
    }
    messages
}

/// Opens `url` in Firefox through its WebDriver BiDi agent (announced on stderr) and returns
/// the text of every `log.entryAdded` event until the browser goes away.
async fn firefox_console(mut stderr: Stderr, url: String) -> Vec<String> {
    let mut endpoint = None;
    while let Ok(Some(line)) = stderr.next_line().await {
        if let Some(address) = line.strip_prefix("WebDriver BiDi listening on ") {
            endpoint = Some(address.trim().to_string());
            break;
        }
    }
    let endpoint = endpoint.expect("Firefox exited without starting WebDriver BiDi");
    tokio::spawn(async move { while let Ok(Some(_)) = stderr.next_line().await {} });
    let (socket, _) = tokio_tungstenite::connect_async(format!("{endpoint}/session")).await.unwrap();
    let mut bidi = Bidi { socket, sent: 0, log: Vec::new() };
    bidi.call("session.new", json!({ "capabilities": {} })).await;
    bidi.call("session.subscribe", json!({ "events": ["log.entryAdded"] })).await;
    let tree = bidi.call("browsingContext.getTree", json!({})).await;
    let context = tree["result"]["contexts"][0]["context"].clone();
    bidi.call("browsingContext.navigate", json!({ "context": context, "url": url, "wait": "none" })).await;
    while let Some(Ok(message)) = bidi.socket.next().await {
        bidi.receive(&message);
    }
    bidi.log
}

/// A WebDriver BiDi session: commands out, their answers and log events in.
struct Bidi {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    sent: u64,
    /// The `text` of every `log.entryAdded` event so far.
    log: Vec<String>,
}

impl Bidi {
    /// Sends a command and returns its answer, keeping the events that arrive before it.
    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.sent += 1;
        let command = json!({ "id": self.sent, "method": method, "params": params });
        self.socket.send(Message::text(command.to_string())).await.unwrap();
        while let Some(message) = self.socket.next().await {
            if let Some(answer) = self.receive(&message.unwrap()) {
                assert_eq!(answer["type"], "success", "BiDi {method}: {answer}");
                return answer;
            }
        }
        panic!("Firefox closed the BiDi connection before answering {method}");
    }

    /// Records a log event; returns anything else that answers the last command.
    fn receive(&mut self, message: &Message) -> Option<Value> {
        let message: Value = serde_json::from_str(message.to_text().ok()?).ok()?;
        if message["method"] == "log.entryAdded" {
            self.log.push(message["params"]["text"].as_str().unwrap_or_default().to_string());
            return None;
        }
        (message["id"] == self.sent).then_some(message)
    }
}

/// Firefox's `user.js` for a test profile: no first-run pages, telemetry, updates, remote
/// settings, safe browsing or captive-portal probes, and every non-loopback request sent to a
/// proxy on a closed loopback port (loopback itself is never proxied).
const FIREFOX_PREFS: &str = r#"
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.startup.page", 0);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("app.normandy.enabled", false);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.topsites.contile.enabled", false);
user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.proxy.allow_hijacking_localhost", false);
"#;

/// The text of a console message in Chromium's `--enable-logging=stderr` output:
/// `[...:INFO:CONSOLE...] "Access to fetch at ...", source: ... (0)`.
fn chromium_console_message(line: &str) -> Option<String> {
    if !line.contains(":CONSOLE") {
        return None;
    }
    let start = line.find('"')? + 1;
    let end = line.rfind("\", source: ")?;
    (end > start).then(|| line[start..end].to_string())
}
