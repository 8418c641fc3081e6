//! Origin syntax, subdomain patterns and the matcher used on every request.
//!
//! A browser sends the *serialized* origin (RFC 6454 / Fetch): a lowercase scheme, `://`, a
//! lowercase host, and a port only when it is not the scheme's default. Nothing else. An allowlist
//! entry that is not in that exact form can never match, so it is a mistake worth reporting.

use std::fmt;

/// One entry of an `origins = [...]` list, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginEntry<'a> {
    /// `"*"`: any origin (a public policy).
    Any,
    /// An exact serialized origin such as `https://app.example.com`.
    Exact(&'a str),
    /// `https://*.example.com`: one or more labels where the `*` stands.
    Pattern(Pattern<'a>),
}

/// A subdomain pattern, split where the `*` stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern<'a> {
    /// Everything before the `*`, e.g. `https://`.
    pub prefix: &'a str,
    /// Everything after the `*`, e.g. `.example.com` or `.example.com:8443`.
    pub suffix: &'a str,
}

impl Pattern<'_> {
    /// The host the pattern covers the subdomains of, e.g. `example.com`.
    pub fn base_host(&self) -> &str {
        let rest = &self.suffix[1..];
        host_without_port(rest)
    }

    /// Whether `origin` is the prefix, one or more DNS labels, then the suffix.
    pub fn matches(&self, origin: &[u8]) -> bool {
        pattern_matches(origin, self.prefix.as_bytes(), self.suffix.as_bytes())
    }
}

/// What is wrong with an origin entry, in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError(String);

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OriginError {}

fn err(message: String) -> Result<OriginEntry<'static>, OriginError> {
    Err(OriginError(message))
}

/// Checks one allowlist entry against what browsers actually send.
pub fn parse_origin(entry: &str) -> Result<OriginEntry<'_>, OriginError> {
    if entry == "*" {
        return Ok(OriginEntry::Any);
    }
    if entry == "null" {
        return err(
            "`null` is not an origin to allow: browsers send `Origin: null` from sandboxed \
             iframes, `file:` pages and redirects, so allowing it allows all of them; list the \
             real origins instead"
                .into(),
        );
    }
    let Some((scheme, rest)) = entry.split_once("://") else {
        return err(format!(
            "origin `{entry}` has no scheme: browsers send `https://{}`",
            entry.trim_end_matches('/')
        ));
    };
    if scheme != "https" && scheme != "http" {
        return err(if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") {
            format!(
                "origin `{entry}` has uppercase letters: browsers send `{}`",
                suggestion(entry)
            )
        } else {
            format!("origin `{entry}` has scheme `{scheme}`: CORS origins are `https://` or `http://`")
        });
    }
    if entry.bytes().any(|b| b.is_ascii_uppercase()) {
        return err(format!(
            "origin `{entry}` has uppercase letters: browsers send `{}`",
            suggestion(entry)
        ));
    }
    if let Some(at) = rest.find(['/', '?', '#']) {
        let (authority, tail) = rest.split_at(at);
        let what = if tail == "/" {
            "a trailing `/`".to_string()
        } else {
            let kind = match tail.as_bytes()[0] {
                b'?' => "query",
                b'#' => "fragment",
                _ => "path",
            };
            format!("a {kind} `{tail}`")
        };
        return err(format!(
            "origin `{entry}` has {what}: an origin is scheme, host and port only; browsers send `{scheme}://{}`",
            strip_default_port(scheme, authority.rsplit('@').next().unwrap_or(authority))
        ));
    }
    if let Some((_, host)) = rest.rsplit_once('@') {
        return err(format!(
            "origin `{entry}` has userinfo: browsers never send credentials in `Origin`; they send `{scheme}://{host}`"
        ));
    }
    if rest.is_empty() {
        return err(format!("origin `{entry}` has no host"));
    }
    let host = host_without_port(rest);
    if let Some(port) = rest[host.len()..].strip_prefix(':') {
        check_port(entry, scheme, host, port)?;
    }
    match host.matches('*').count() {
        0 => {
            check_host(entry, host)?;
            Ok(OriginEntry::Exact(entry))
        }
        1 => parse_pattern(entry, scheme, host),
        _ => err(format!(
            "origin pattern `{entry}` has more than one `*`: write one leading `*` that stands for \
             one or more labels, e.g. `{scheme}://*.example.com`"
        )),
    }
}

fn parse_pattern<'a>(entry: &'a str, scheme: &str, host: &str) -> Result<OriginEntry<'a>, OriginError> {
    if host == "*" {
        return err(format!(
            "origin pattern `{entry}` allows every host: write `origins = \"*\"` and mark the \
             route `public` if any website may read it, or name the domain: `{scheme}://*.example.com`"
        ));
    }
    let Some(base) = host.strip_prefix("*.") else {
        return err(format!(
            "origin pattern `{entry}` uses `*` inside a label: `*` must stand for whole leading \
             labels, as in `{scheme}://*.example.com`"
        ));
    };
    check_host(entry, base)?;
    if base.parse::<std::net::Ipv4Addr>().is_ok() || base.starts_with('[') {
        return err(format!(
            "origin pattern `{entry}` puts `*` before an IP address: list the exact origins instead"
        ));
    }
    let star = scheme.len() + "://".len();
    Ok(OriginEntry::Pattern(Pattern {
        prefix: &entry[..star],
        suffix: &entry[star + 1..],
    }))
}

fn check_port(entry: &str, scheme: &str, host: &str, port: &str) -> Result<(), OriginError> {
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err()
    {
        return Err(OriginError(format!(
            "origin `{entry}` has an invalid port `{port}`: a port is a number from 1 to 65535"
        )));
    }
    if port.starts_with('0') {
        return Err(OriginError(format!(
            "origin `{entry}` has a port with a leading zero: browsers send `{scheme}://{host}:{}`",
            port.trim_start_matches('0')
        )));
    }
    if default_port(scheme) == port {
        return Err(OriginError(format!(
            "origin `{entry}` names the default port {port}: browsers omit it and send `{scheme}://{host}`"
        )));
    }
    Ok(())
}

fn check_host(entry: &str, host: &str) -> Result<(), OriginError> {
    if host.starts_with('[') {
        let inner = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
        return match inner.map(str::parse::<std::net::Ipv6Addr>) {
            Some(Ok(_)) => Ok(()),
            _ => Err(OriginError(format!("origin `{entry}` has an invalid IPv6 host `{host}`"))),
        };
    }
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if host.ends_with('.') {
        return Err(OriginError(format!(
            "origin `{entry}` ends its host with `.`: browsers send `{}`",
            entry.replacen(host, host.trim_end_matches('.'), 1)
        )));
    }
    if host.len() > 253 || !host.split('.').all(valid_label) {
        return Err(OriginError(format!(
            "origin `{entry}` has an invalid host `{host}`: browsers send hosts as lowercase \
             ASCII labels (internationalized names in their `xn--` punycode form)"
        )));
    }
    Ok(())
}

/// `host[:port]` → `host`, keeping IPv6 brackets intact.
fn host_without_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => &authority[..=end],
            None => authority,
        };
    }
    match authority.rfind(':') {
        Some(colon) => &authority[..colon],
        None => authority,
    }
}

fn default_port(scheme: &str) -> &'static str {
    if scheme == "https" {
        "443"
    } else {
        "80"
    }
}

fn strip_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    let host = host_without_port(authority);
    match authority[host.len()..].strip_prefix(':') {
        Some(port) if port == default_port(scheme) => host,
        _ => authority,
    }
}

/// What a browser would send for an entry that differs only in case, port or trailing slash.
fn suggestion(entry: &str) -> String {
    let lower = entry.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").unwrap_or(("https", &lower));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("{scheme}://{}", strip_default_port(scheme, authority))
}

/// Whether a host is a loopback name, where plain `http://` is as private as `https://`.
pub fn is_loopback_host(host: &str) -> bool {
    host == "localhost" || host == "[::1]" || host.starts_with("127.") && host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The host of a checked exact origin (`https://a.example:8443` → `a.example`).
pub fn origin_host(origin: &str) -> &str {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    host_without_port(rest)
}

/// Matches `origin` against `prefix` + one or more DNS labels + `suffix`, without allocating.
///
/// `suffix` starts with the `.` that follows the `*`, so `https://*.example.com` never matches
/// `https://evilexample.com` or `https://example.com`, and a port in the origin must be the one
/// in the suffix (none when the suffix has none).
pub fn pattern_matches(origin: &[u8], prefix: &[u8], suffix: &[u8]) -> bool {
    let Some(middle) = origin
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
    else {
        return false;
    };
    !middle.is_empty()
        && middle.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.first() != Some(&b'-')
                && label.last() != Some(&b'-')
                && label
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// The order [`find_pattern`] needs a pattern list in: by suffix, then by prefix (bytes).
pub fn pattern_order(a: &Pattern<'_>, b: &Pattern<'_>) -> std::cmp::Ordering {
    (a.suffix.as_bytes(), a.prefix.as_bytes()).cmp(&(b.suffix.as_bytes(), b.prefix.as_bytes()))
}

/// The longest suffix a checked pattern has: `.`, a host of at most 253 bytes, `:65535`.
const MAX_SUFFIX: usize = 1 + 253 + 6;

/// Finds a pattern that `origin` matches ([`pattern_matches`]) in a list sorted by
/// [`pattern_order`], in time logarithmic in the list's length, wherever the pattern stands.
///
/// A pattern's suffix starts with the `.` after its `*`, so it can only start at a `.` of the
/// origin within the origin's last `MAX_SUFFIX` bytes; each such tail is binary-searched among
/// the suffixes, and only the (at most a scheme's worth of) patterns with that exact suffix
/// are tried.
pub fn find_pattern(sorted: &[Pattern<'_>], origin: &[u8]) -> Option<usize> {
    let window = origin.len().saturating_sub(MAX_SUFFIX);
    (window..origin.len())
        .filter(|&dot| origin[dot] == b'.')
        .find_map(|dot| {
            let tail = &origin[dot..];
            let first = sorted.partition_point(|p| p.suffix.as_bytes() < tail);
            sorted[first..]
                .iter()
                .take_while(|p| p.suffix.as_bytes() == tail)
                .position(|p| p.matches(origin))
                .map(|i| first + i)
        })
}

/// Finds `origin` in a list sorted by bytes, in time logarithmic in the list's length.
pub fn find_exact<S: AsRef<str>>(sorted: &[S], origin: &[u8]) -> Option<usize> {
    sorted
        .binary_search_by(|entry| entry.as_ref().as_bytes().cmp(origin))
        .ok()
}
