//! What browsers on several origins get: the call from `--origin`, and the same call from the
//! origins a careful reviewer tries. `cors_browser` decides every step: whether a
//! preflight goes first, whether it lets the request out, whether script may read the answer.

use std::time::Duration;

use cors_browser::{check_preflight, cors_check, readable_headers, Blocked, Credentials, Engine, Fetch, Reason};
use http::header::LOCATION;
use http::{Method, StatusCode};
use tokio::task::JoinSet;

use super::exchange::{Client, Exchange};
use super::input::Call;

/// Who sends the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The page on `--origin`.
    Page,
    /// Any website: `https://evil.example`.
    Foreign,
    /// `Origin: null`: sandboxed iframes and `file:` pages, which any site can produce.
    Null,
    /// The real host with a domain appended: `https://app.example.com.evil.example`.
    LookalikeAfter,
    /// The real host with a prefix glued on: `https://evilapp.example.com`.
    LookalikeBefore,
    /// The page's host over plain `http://` (asked only of credentialed calls).
    PlainHttp,
}

impl Sender {
    pub fn label(self) -> &'static str {
        match self {
            Sender::Page => "the page",
            Sender::Foreign => "foreign origin",
            Sender::Null => "null origin",
            Sender::LookalikeAfter => "look-alike (suffix)",
            Sender::LookalikeBefore => "look-alike (prefix)",
            Sender::PlainHttp => "plain http",
        }
    }
}

/// What the script on that origin ends up with.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Script reads the answer: its status and the header names it can read.
    Readable { status: u16, headers: Vec<String> },
    /// The browser blocks it, with this console message.
    Blocked(Blocked),
    /// The preflight let the request out; a probe does not send a request that may change
    /// state (anything but `GET`/`HEAD` after a preflight) from an origin that is not the page's.
    PreflightPassed,
    /// The answer is a redirect that passed the CORS check: the browser would follow it to
    /// `location` and check again there; doctor does not follow it.
    Redirected { status: u16, location: String },
    /// A probe got no answer (some firewalls drop foreign origins); a browser would see a
    /// network error. The page's own call never ends here: without its answer there is no report.
    NoAnswer(String),
}

/// One origin's try.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub sender: Sender,
    pub origin: String,
    pub preflight: Option<Exchange>,
    pub actual: Option<Exchange>,
    pub verdict: Verdict,
}

impl Attempt {
    /// Whether the server let this origin in (at the preflight or at the answer).
    pub fn trusted(&self) -> bool {
        !matches!(self.verdict, Verdict::Blocked(_) | Verdict::NoAnswer(_))
    }

    pub fn exchanges(&self) -> impl Iterator<Item = &Exchange> {
        self.preflight.iter().chain(&self.actual)
    }
}

/// The probe origins for a page origin, without the page's own.
pub fn probe_origins(call: &Call) -> Vec<(Sender, String)> {
    let mut probes = vec![(Sender::Foreign, "https://evil.example".to_string()), (Sender::Null, "null".to_string())];
    if let Some((scheme, authority)) = call.origin.split_once("://") {
        // A port is what follows the last `:` outside an IPv6 literal's brackets.
        let port_at = authority.rfind(':').filter(|&at| at > authority.rfind(']').unwrap_or(0));
        let (host, port) = port_at.map_or((authority, ""), |at| authority.split_at(at));
        probes.push((Sender::LookalikeAfter, format!("{scheme}://{host}.evil.example{port}")));
        probes.push((Sender::LookalikeBefore, format!("{scheme}://evil{host}{port}")));
        if call.credentials && scheme == "https" {
            probes.push((Sender::PlainHttp, format!("http://{authority}")));
        }
    }
    probes.retain(|(_, origin)| *origin != call.origin);
    probes
}

/// Runs the page's call and every probe at once; the page's attempt comes first. While
/// answers are outstanding, a progress line goes to stderr every second. Only the page's call
/// failing to get an answer is an error.
pub async fn run_all(call: &Call, client: &Client) -> Result<Vec<Attempt>, String> {
    let senders: Vec<(Sender, String)> =
        std::iter::once((Sender::Page, call.origin.clone())).chain(probe_origins(call)).collect();
    let total = senders.len();
    let mut tasks = JoinSet::new();
    for (index, (sender, origin)) in senders.into_iter().enumerate() {
        let (call, client) = (call.clone(), client.clone());
        tasks.spawn(async move {
            let result = match attempt(&call, &client, sender, origin.clone()).await {
                Err(error) if sender != Sender::Page => {
                    Ok(Attempt { sender, origin, preflight: None, actual: None, verdict: Verdict::NoAnswer(error) })
                }
                result => result,
            };
            (index, result)
        });
    }
    let mut attempts: Vec<Option<Attempt>> = vec![None; total];
    let mut ticker =
        tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(1), Duration::from_secs(1));
    let mut done = 0;
    while done < total {
        tokio::select! {
            joined = tasks.join_next() => {
                let (index, result) = joined.expect("a task per sender").map_err(|e| format!("a probe crashed: {e}"))?;
                attempts[index] = Some(result?);
                done += 1;
            }
            _ = ticker.tick() => {
                eprintln!("cors doctor: waiting for {}: {done} of {total} origins answered", client.authority());
            }
        }
    }
    Ok(attempts.into_iter().map(|a| a.expect("every index answered")).collect())
}

/// What a browser on `origin` does with the call; the error is the exchange that got no answer.
pub async fn attempt(call: &Call, client: &Client, sender: Sender, origin: String) -> Result<Attempt, String> {
    let credentials = if call.credentials { Credentials::Include } else { Credentials::SameOrigin };
    let mut fetch = Fetch::new(&origin, &call.method, &call.url).credentials(credentials);
    for (name, value) in &call.headers {
        fetch = fetch.header(name, value);
    }
    let blocked = |reason, status: StatusCode| Blocked {
        url: call.url.clone(),
        origin: origin.clone(),
        reason,
        status: status.as_u16(),
        redirected_from: None,
        engine: Engine::Standard,
    };
    let mut preflight = None;
    if let Some(request) = fetch.preflight() {
        let exchange = client.send(request).await?;
        let checked = check_preflight(&fetch, exchange.status, &exchange.response_headers);
        let status = exchange.status;
        preflight = Some(exchange);
        let verdict = match checked {
            Err(reason) => Some(Verdict::Blocked(blocked(reason, status))),
            Ok(()) if sender != Sender::Page && !matches!(*fetch.method(), Method::GET | Method::HEAD) => {
                Some(Verdict::PreflightPassed)
            }
            Ok(()) => None,
        };
        if let Some(verdict) = verdict {
            return Ok(Attempt { sender, origin, preflight, actual: None, verdict });
        }
    }
    let actual = client.send(fetch.actual_request()).await?;
    let headers = &actual.response_headers;
    // A same-origin call is not a CORS request: script reads everything.
    let cross_origin = fetch.is_cross_origin();
    let checked = if cross_origin { cors_check(&origin, credentials, headers) } else { Ok(()) };
    let verdict = match checked {
        Err(failure) => Verdict::Blocked(blocked(Reason::Check(failure), actual.status)),
        Ok(()) if actual.status.is_redirection() && headers.contains_key(LOCATION) => Verdict::Redirected {
            status: actual.status.as_u16(),
            location: String::from_utf8_lossy(headers[LOCATION].as_bytes()).into_owned(),
        },
        Ok(()) => {
            let readable = if cross_origin { readable_headers(credentials, headers) } else { headers.clone() };
            let mut names: Vec<String> = readable.keys().map(|name| name.to_string()).collect();
            names.sort();
            Verdict::Readable { status: actual.status.as_u16(), headers: names }
        }
    };
    Ok(Attempt { sender, origin, preflight, actual: Some(actual), verdict })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::input::Target;

    fn origins(origin: &str, credentials: bool) -> Vec<String> {
        let target = Target { https: false, host: "127.0.0.1".into(), port: 80 };
        let call = Call {
            url: "http://127.0.0.1/".into(),
            target,
            origin: origin.into(),
            method: "GET".into(),
            headers: Vec::new(),
            credentials,
            expose: Vec::new(),
        };
        probe_origins(&call).into_iter().map(|(_, origin)| origin).collect()
    }

    #[test]
    fn lookalikes_keep_the_port_and_plain_http_is_asked_of_credentialed_https_pages() {
        assert_eq!(
            origins("https://app.example.com:8443", true),
            [
                "https://evil.example",
                "null",
                "https://app.example.com.evil.example:8443",
                "https://evilapp.example.com:8443",
                "http://app.example.com:8443"
            ]
        );
        assert_eq!(
            origins("http://[::1]", false),
            ["https://evil.example", "null", "http://[::1].evil.example", "http://evil[::1]"]
        );
    }

    #[test]
    fn the_page_is_never_its_own_probe() {
        assert_eq!(origins("null", true), ["https://evil.example"]);
        assert_eq!(origins("https://evil.example", false)[..2], ["null", "https://evil.example.evil.example"]);
    }
}
