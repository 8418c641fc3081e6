//! The command line checked into a call a browser could make. Everything `Fetch::new` and
//! `Fetch::header` would panic on is refused here with a one-line message, so nothing
//! downstream sees bad input.

use cors_rules::OriginEntry;
use http::{HeaderName, HeaderValue, Uri};

use super::args::Args;
use super::plausible;

/// The call the page's script makes: `fetch(url, { method, headers, credentials })` from `origin`.
#[derive(Debug, Clone)]
pub struct Call {
    pub url: String,
    pub target: Target,
    pub origin: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub credentials: bool,
    /// Response headers the page's script needs to read (lowercase).
    pub expose: Vec<String>,
}

/// Where the requests go.
#[derive(Debug, Clone)]
pub struct Target {
    pub https: bool,
    /// The host to connect to and to name in TLS (IPv6 literals without brackets).
    pub host: String,
    pub port: u16,
}

impl Call {
    pub fn from_args(args: &Args) -> Result<Call, String> {
        let origin = match args.origin.as_slice() {
            [origin] => page_origin(origin)?,
            [] => return Err("--origin ORIGIN is required: the page's origin, e.g. https://app.example.com".into()),
            [..] => return Err("--origin: one URL is called from one page (several are for --routes)".into()),
        };
        Ok(Call {
            target: target(&args.url)?,
            url: args.url.split('#').next().unwrap_or_default().to_string(),
            origin,
            method: method(args.method.as_deref().unwrap_or("GET"))?,
            headers: args.headers.iter().map(|h| header(h)).collect::<Result<_, _>>()?,
            credentials: args.credentials,
            expose: expose(&args.expose)?,
        })
    }
}

/// `--timeout`: a number of seconds a person would wait.
pub fn timeout(seconds: f64) -> Result<std::time::Duration, String> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0) {
        return Err(format!("--timeout {seconds}: give a number of seconds between 0 and 3600"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// `--expose NAME`s: header names, lowercase, each once.
pub fn expose(names: &[String]) -> Result<Vec<String>, String> {
    let mut checked: Vec<String> = Vec::new();
    for name in names {
        if HeaderName::from_bytes(name.trim().as_bytes()).is_err() {
            return Err(format!("--expose `{name}` is not a header name"));
        }
        let name = name.trim().to_ascii_lowercase();
        if !checked.contains(&name) {
            checked.push(name);
        }
    }
    Ok(checked)
}

pub fn target(url: &str) -> Result<Target, String> {
    // Browsers drop the fragment before anything goes on the wire.
    let without_fragment = url.split('#').next().unwrap_or_default();
    if !without_fragment.contains("://") {
        return Err(format!("URL `{url}` must be absolute, e.g. `https://api.example.com/orders`"));
    }
    let uri: Uri = without_fragment
        .parse()
        .map_err(|e| format!("URL `{url}` is not a valid URL ({e}); write e.g. `https://api.example.com/orders`"))?;
    let https = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("https") => true,
        Some("http") => false,
        Some(other) => return Err(format!("URL `{url}`: CORS applies to http and https URLs only, not `{other}:`")),
        None => return Err(format!("URL `{url}` needs a scheme, e.g. `https://api.example.com/orders`")),
    };
    let authority = uri.authority().ok_or_else(|| format!("URL `{url}` needs a host"))?;
    if authority.as_str().contains('@') {
        return Err(format!("URL `{url}`: browsers refuse URLs with a user name or password in them"));
    }
    let host = authority.host().trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(format!("URL `{url}` needs a host"));
    }
    // `Authority::port` is `None` for a port that does not fit in 16 bits, so look for the `:` itself.
    let after_host = authority.as_str().rsplit(']').next().unwrap_or_default();
    let port = match (authority.port_u16(), after_host.rsplit_once(':')) {
        (Some(port), _) => port,
        (None, None | Some((_, ""))) => {
            if https {
                443
            } else {
                80
            }
        }
        (None, Some((_, port))) => return Err(format!("URL `{url}`: `{port}` is not a port number")),
    };
    Ok(Target { https, host: host.to_ascii_lowercase(), port })
}

/// The page's origin exactly as a browser serializes it in `Origin`, or `null` (sandboxed
/// frames, `file:` pages).
pub fn page_origin(origin: &str) -> Result<String, String> {
    if origin == "null" {
        return Ok(origin.to_string());
    }
    match cors_rules::parse_origin(origin) {
        Ok(OriginEntry::Exact(exact)) => Ok(exact.to_string()),
        Ok(_) => Err(format!("--origin `{origin}`: a page has one origin, e.g. `https://app.example.com`")),
        Err(e) => Err(format!("--origin: {e}")),
    }
}

/// A method `fetch` accepts: a token, and not `CONNECT`, `TRACE` or `TRACK`.
fn method(method: &str) -> Result<String, String> {
    if !cors_rules::is_token(method.as_bytes()) {
        return Err(format!("--method `{method}` is not an HTTP method name"));
    }
    if ["CONNECT", "TRACE", "TRACK"].iter().any(|m| m.eq_ignore_ascii_case(method)) {
        return Err(format!("--method `{method}`: fetch() refuses it, so no page can send it"));
    }
    Ok(method.to_string())
}

/// `--header NAME: VALUE`s of `--routes`: the values a deployment needs (a real token), sent
/// to every route that allows the name in place of the plausible one. Names lowercase.
pub fn route_headers(headers: &[String]) -> Result<Vec<(String, String)>, String> {
    headers
        .iter()
        .map(|given| {
            if given.split_once(':').is_none_or(|(_, value)| value.trim().is_empty()) {
                return Err(format!(
                    "--header `{given}`: with --routes write `NAME: VALUE`; each route's allowed headers already \
                     get plausible values"
                ));
            }
            header(given).map(|(name, value)| (name.to_ascii_lowercase(), value))
        })
        .collect()
}

/// `NAME` or `NAME: VALUE`. A name without a value (`NAME`, `NAME:`) gets a plausible one: no
/// page sends an empty `Authorization`.
fn header(header: &str) -> Result<(String, String), String> {
    let (name, value) = header.split_once(':').unwrap_or((header, ""));
    let name = name.trim();
    let value = match value.trim() {
        "" => plausible::value(name),
        value => value,
    };
    if HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(format!("--header `{header}`: `{name}` is not a header name; write `NAME` or `NAME: VALUE`"));
    }
    if HeaderValue::from_str(value).is_err() {
        return Err(format!("--header `{header}`: the value has characters a header cannot carry"));
    }
    Ok((name.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_take_the_scheme_default_port_and_unbracket_ipv6() {
        let t = target("HTTPS://API.Example.com/orders#top").unwrap();
        assert_eq!((t.https, t.host.as_str(), t.port), (true, "api.example.com", 443));
        let t = target("http://[::1]:8080/").unwrap();
        assert_eq!((t.https, t.host.as_str(), t.port), (false, "::1", 8080));
        assert_eq!(target("http://[::1]/").unwrap().port, 80);
        assert_eq!(target("http://a.example:/").unwrap().port, 80);
    }

    #[test]
    fn bad_targets_say_what_is_wrong() {
        assert!(target("http://user:pw@a.example/").unwrap_err().contains("user name or password"));
        assert!(target("http://a.example:65536/").unwrap_err().contains("`65536` is not a port number"));
        assert!(target("//a.example/").unwrap_err().contains("must be absolute"));
    }

    #[test]
    fn page_origins_are_serialized_origins_or_null() {
        assert_eq!(page_origin("null").unwrap(), "null");
        assert_eq!(page_origin("http://localhost:5173").unwrap(), "http://localhost:5173");
        assert!(page_origin("https://app.example.com:443").unwrap_err().contains("send `https://app.example.com`"));
        assert!(page_origin("https://*.example.com").is_err());
    }

    #[test]
    fn headers_are_a_name_or_a_name_and_value() {
        assert_eq!(header("X-Request-Id: 7").unwrap(), ("X-Request-Id".into(), "7".into()));
        assert_eq!(header("authorization").unwrap(), ("authorization".into(), "Bearer cors-doctor".into()));
        assert_eq!(header("Content-Type:").unwrap(), ("Content-Type".into(), "application/json".into()));
        assert_eq!(header("a: b: c").unwrap(), ("a".into(), "b: c".into()));
        assert!(header(": x").is_err() && header("x: \u{1}").is_err());
    }
}
