//! What a browser can tell from one answer, so two gateways can be compared as browsers see
//! them: for each credentials mode the model's verdict (`cors_browser`), and when it lets script
//! read the answer, the status, the body and the names it may read; a preflight's cache
//! lifetime; and the `Vary` set a cache keys on.

use cors_browser::{check_preflight, cors_check, Credentials, Fetch};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::{Exchange, Probe};

const MODES: [Credentials; 2] = [Credentials::Omit, Credentials::Include];

/// The answer to `probe` as every browser-visible fact, one line each.
pub fn browser_view(probe: &Probe, answer: &Exchange) -> String {
    let headers = header_map(answer);
    let vary = vary_set(answer);
    let origins: Vec<&str> = probe.headers.iter().filter(|(n, _)| *n == "origin").map(|(_, v)| v.as_str()).collect();
    let method = probe.headers.iter().find(|(n, _)| *n == "access-control-request-method").map(|(_, v)| v.as_str());
    let body = answer.body.as_deref().unwrap_or("");
    let views: Vec<String> = match (origins.as_slice(), method) {
        // Same-origin, or no browser: script reads everything but CORS does not apply.
        ([], _) => vec![format!("no Origin: {} {body:?}", answer.status)],
        ([origin], Some(method)) if probe.method == "OPTIONS" => MODES
            .iter()
            .map(|&mode| match preflight_fetch(origin, method, probe, mode) {
                Some(fetch) => match check_preflight(&fetch, StatusCode::from_u16(answer.status).unwrap(), &headers) {
                    Ok(()) => {
                        format!("{mode:?}: preflight passes, cached {:?}", answer.header("access-control-max-age"))
                    }
                    Err(reason) => format!("{mode:?}: preflight fails: {reason:?}"),
                },
                // A method no `fetch` can send: only whether the preflight failed is seen.
                None => format!("{mode:?}: preflight status {}", answer.status),
            })
            .collect(),
        ([origin], _) => MODES
            .iter()
            .map(|&mode| match cors_check(origin, mode, &headers) {
                Ok(()) => format!("{mode:?}: reads {} {body:?}, exposed {:?}", answer.status, exposed(answer, mode)),
                Err(failure) => format!("{mode:?}: blocked: {failure:?}"),
            })
            .collect(),
        (_, _) => vec!["several Origin lines: no browser sends them".to_string()],
    };
    format!("{}; Vary {vary:?}", views.join("; "))
}

/// The preflight a `fetch` from `origin` would send for `method` with the probe's requested
/// headers (those a script can name). `None` when no `fetch` can ask for that method.
fn preflight_fetch(origin: &str, method: &str, probe: &Probe, mode: Credentials) -> Option<Fetch> {
    let token =
        !method.is_empty() && method.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b));
    if !token || ["CONNECT", "TRACE", "TRACK"].iter().any(|m| m.eq_ignore_ascii_case(method)) {
        return None;
    }
    let asked = probe.headers.iter().filter(|(n, _)| *n == "access-control-request-headers");
    let names =
        asked.flat_map(|(_, v)| v.split(',')).map(str::trim).filter(|n| HeaderName::from_bytes(n.as_bytes()).is_ok());
    let fetch = Fetch::new(origin, method, &format!("http://api.test{}", probe.path)).credentials(mode);
    Some(names.fold(fetch, |fetch, name| fetch.header(name, "1")))
}

fn header_map(answer: &Exchange) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in &answer.cors {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            headers.append(name, value);
        }
    }
    headers
}

/// The names script may read beyond the safelisted ones: `*` means every name without
/// credentials, and only a header named `*` with them.
fn exposed(answer: &Exchange, mode: Credentials) -> Vec<String> {
    let mut names: Vec<String> = answer
        .cors
        .iter()
        .filter(|(n, _)| n == "access-control-expose-headers")
        .flat_map(|(_, v)| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .map(|n| if n == "*" && mode == Credentials::Include { "a header named *".to_string() } else { n })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `Vary` as a cache reads it: a set of names, case-insensitive.
fn vary_set(answer: &Exchange) -> Vec<String> {
    let mut names: Vec<String> = answer
        .vary
        .iter()
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}
