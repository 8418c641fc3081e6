//! A preflight refused without CORS headers, and whose fault that is. The answer alone rarely
//! says: a server refuses an origin, a method and a header alike, often with no body. So the
//! page's preflight is sent again, narrowed: without the request headers the browser model asked
//! about, then for `GET`. A narrowed preflight that passes names the cause. Otherwise the server's
//! own words decide when they are one of cors-runtime's reasons (docs/runtime.md); otherwise it is
//! the origin.

use cors_browser::{check_preflight, CheckFailure, Credentials, Fetch, Reason};
use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD};
use http::{HeaderValue, Method, Request};

use super::exchange::{header_text, Client, Exchange};
use super::input::Call;
use super::kinds::{finding, Finding, Kind};
use super::probes::{Attempt, Verdict};

/// Shown of a body at most; a one-line reason fits with room to spare.
const SHOWN_CHARS: usize = 200;

/// A server's refusal body as the report shows it: one line (whitespace runs as one space,
/// control characters dropped), cut at 200 characters.
pub fn shown_body(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    match line.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// cors-runtime's preflight refusals (docs/runtime.md), and what each one means for a call the
/// browser model built. The first four and the last one are requests no browser sends for this
/// call: something between the page and the server changed the preflight.
const RUNTIME_REASONS: [(&str, Kind); 8] = [
    ("CORS preflight rejected: no Origin header", Kind::PreflightAltered),
    ("CORS preflight rejected: more than one Origin header", Kind::PreflightAltered),
    ("CORS preflight rejected: Access-Control-Request-Method must be one method", Kind::PreflightAltered),
    ("CORS preflight rejected: malformed Access-Control-Request-Headers", Kind::PreflightAltered),
    ("CORS preflight rejected: no route for the requested method", Kind::MethodNotAllowed),
    ("CORS preflight rejected: origin not allowed", Kind::OriginNotAllowed),
    ("CORS preflight rejected: a requested header is not allowed", Kind::HeaderNotAllowed),
    ("CORS preflight rejected: private network access is not allowed", Kind::PreflightAltered),
];

/// The page's preflight, when it was refused without `Access-Control-Allow-Origin`: with a
/// `403` (how CORS layers refuse) or a `2xx`. Other statuses have causes of their own.
fn refused(page: &Attempt) -> Option<&Exchange> {
    let Verdict::Blocked(blocked) = &page.verdict else { return None };
    let preflight = page.preflight.as_ref()?;
    let refusal = preflight.status == 403 || preflight.status.is_success();
    let without_cors = !preflight.response_headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN);
    matches!(blocked.reason, Reason::PreflightCheck(CheckFailure::MissingAllowOrigin))
        .then_some(preflight)
        .filter(|_| refusal && without_cors)
}

/// `; the server says "..."`, or nothing for a refusal without a body.
fn server_says(preflight: &Exchange) -> String {
    match shown_body(&preflight.body) {
        body if body.is_empty() => String::new(),
        body => format!("; the server says \"{body}\""),
    }
}

/// What the refused preflight's body says the cause is, when it is one of cors-runtime's reasons.
pub fn told(page: &Attempt) -> Option<Finding> {
    let preflight = refused(page)?;
    let (_, kind) = RUNTIME_REASONS.iter().find(|(reason, _)| preflight.body.starts_with(reason))?;
    let method = header_text(&preflight.request_headers, &ACCESS_CONTROL_REQUEST_METHOD);
    let seen = match kind {
        Kind::PreflightAltered => format!(
            "the page sent a well-formed preflight for {method} from {}, and the server refused one it did not \
             send{}",
            page.origin,
            server_says(preflight)
        ),
        _ => format!(
            "the preflight for {method} got {} without CORS headers{}",
            preflight.status,
            server_says(preflight)
        ),
    };
    Some(finding(*kind, seen))
}

/// Sends the page's refused preflight again, narrowed, and names the cause when a narrowed one
/// passes: the headers (each one tried alone when there are several), or the method (`GET` from
/// the same origin passes at this path).
pub async fn narrow(call: &Call, client: &Client, page: &Attempt) -> Result<Option<Finding>, String> {
    let Some(preflight) = refused(page) else { return Ok(None) };
    let asked = header_text(&preflight.request_headers, &ACCESS_CONTROL_REQUEST_HEADERS);
    let names: Vec<&str> = asked.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    let refusal = format!("the preflight for {} got {} without CORS headers", call.method, preflight.status);
    let says = server_says(preflight);
    if !names.is_empty() && passes(call, client, preflight, &call.method, &[]).await? {
        let mut refused_names = Vec::new();
        if names.len() > 1 {
            for name in &names {
                if !passes(call, client, preflight, &call.method, &[name]).await? {
                    refused_names.push(*name);
                }
            }
        }
        // One name, or several that pass one by one but not together: all of them.
        let refused_names = if refused_names.is_empty() { names.clone() } else { refused_names };
        let listed = refused_names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let seen = format!(
            "{refusal}; the same preflight without {} passes, so the server refuses {listed}{says}",
            if names.len() > 1 { "those headers".to_string() } else { listed.clone() }
        );
        return Ok(Some(finding(Kind::HeaderNotAllowed, seen)));
    }
    if !call.method.eq_ignore_ascii_case("GET") && passes(call, client, preflight, "GET", &[]).await? {
        let seen = format!(
            "{refusal}; a preflight for GET from {} passes at this path, so the server refuses {} here{says}",
            call.origin, call.method
        );
        return Ok(Some(finding(Kind::MethodNotAllowed, seen)));
    }
    Ok(None)
}

/// Whether the page's preflight, asking for `method` and `headers` instead, passes the browser's
/// check (the origin, credentials and a `2xx`).
async fn passes(
    call: &Call,
    client: &Client,
    preflight: &Exchange,
    method: &str,
    headers: &[&str],
) -> Result<bool, String> {
    let mut asked = preflight.request_headers.clone();
    asked.insert(ACCESS_CONTROL_REQUEST_METHOD, HeaderValue::from_str(method).map_err(|e| e.to_string())?);
    asked.remove(ACCESS_CONTROL_REQUEST_HEADERS);
    if !headers.is_empty() {
        let list = HeaderValue::from_str(&headers.join(",")).map_err(|e| e.to_string())?;
        asked.insert(ACCESS_CONTROL_REQUEST_HEADERS, list);
    }
    let mut request = Request::new(String::new());
    *request.method_mut() = Method::OPTIONS;
    *request.uri_mut() = preflight.target.parse().map_err(|e| format!("`{}`: {e}", preflight.target))?;
    *request.headers_mut() = asked;
    let answer = client.send(request).await?;
    let credentials = if call.credentials { Credentials::Include } else { Credentials::SameOrigin };
    let mut fetch = Fetch::new(&call.origin, method, &call.url).credentials(credentials);
    for name in headers {
        let value = call.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or("1", |(_, v)| v.as_str());
        fetch = fetch.header(name, value);
    }
    Ok(check_preflight(&fetch, answer.status, &answer.response_headers).is_ok())
}
