//! An entry written in a form browsers never send, and the form they do send. Browsers
//! serialize an origin one way only: no whitespace, `https://` or `http://` spelt out, lower
//! case, no userinfo, no path, no default port and no leading zero in a port, no `.` ending the
//! host, an IPv6 host in its short form. Every difference is collected, so a message names them
//! all and the one origin they stand for.

use std::borrow::Cow;
use std::net::Ipv6Addr;

use super::error::OriginErrorKind;
use super::host::host_without_port;

/// One way an entry differs from what browsers send.
pub(super) struct Difference {
    pub(super) kind: OriginErrorKind,
    /// What the entry has, as in "origin `…` has {what}".
    pub(super) what: String,
}

/// An entry rewritten as browsers would send it, with what was rewritten.
pub(super) struct BrowserForm<'a> {
    /// `https` or `http`.
    pub(super) scheme: &'static str,
    /// `scheme://host[:port]`, checked no further: the host or port may still be invalid.
    /// Borrowed, and the entry itself, when nothing differs: no allocation on the common path.
    pub(super) text: Cow<'a, str>,
    /// Empty when `text` is the entry as written.
    pub(super) differences: Vec<Difference>,
}

/// The entry as browsers would send it, or `None` when it starts with no web scheme (`https`
/// or `http` in any case, then `://` or a misspelling of it such as `https//` or `https:/`).
pub(super) fn browser_form(entry: &str) -> Option<BrowserForm<'_>> {
    use OriginErrorKind as K;
    let mut differences = Vec::new();
    let mut differ = |kind, what: String| differences.push(Difference { kind, what });
    let text: Cow<str> = match entry.bytes().any(|b| b.is_ascii_whitespace()) {
        true => Cow::Owned(entry.split_ascii_whitespace().collect()),
        false => Cow::Borrowed(entry),
    };
    if text.len() != entry.len() {
        differ(K::Whitespace, "whitespace".to_string());
    }
    let (scheme, separator) = web_scheme(&text)?;
    if separator != "://" {
        differ(K::NoScheme, format!("`{}{separator}` instead of `{}://`", &text[..scheme.len()], scheme));
    }
    let rest = &text[scheme.len() + separator.len()..];
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host_and_port = match authority.rsplit_once('@') {
        Some((_, host_and_port)) => host_and_port,
        None => authority,
    };
    let uppercase = text[..scheme.len()].bytes().chain(host_and_port.bytes()).any(|b| b.is_ascii_uppercase());
    if uppercase {
        differ(K::Uppercase, "uppercase letters".to_string());
    }
    match tail.as_bytes().first() {
        None => {}
        Some(_) if tail == "/" => differ(K::TrailingSlash, "a trailing `/`".to_string()),
        Some(b'?') => differ(K::Path, format!("a query `{tail}`")),
        Some(b'#') => differ(K::Path, format!("a fragment `{tail}`")),
        Some(_) => differ(K::Path, format!("a path `{tail}`")),
    }
    if host_and_port.len() != authority.len() {
        differ(K::Userinfo, "userinfo".to_string());
    }
    let host_and_port: Cow<str> =
        if uppercase { Cow::Owned(host_and_port.to_ascii_lowercase()) } else { Cow::Borrowed(host_and_port) };
    let mut host = Cow::Borrowed(host_without_port(&host_and_port));
    let mut port = Cow::Borrowed(&host_and_port[host.len()..]);
    if let Some(number) = port.strip_prefix(':').and_then(plain_port) {
        if port.as_bytes()[1] == b'0' {
            differ(K::Port, "a port with a leading zero".to_string());
            port = Cow::Owned(format!(":{number}"));
        }
        if port[1..] == *default_port(scheme) {
            differ(K::DefaultPort, format!("the default port {}", &port[1..]));
            port = Cow::Borrowed("");
        }
    }
    if let Some(short) = short_ipv6(&host) {
        differ(K::Host, "its IPv6 host in long form".to_string());
        host = Cow::Owned(short);
    } else if host.ends_with('.') && !host.trim_end_matches('.').is_empty() {
        differ(K::Host, "a host ending in `.`".to_string());
        host = Cow::Owned(host.trim_end_matches('.').to_string());
    }
    let text = match differences.is_empty() {
        true => Cow::Borrowed(entry),
        false => Cow::Owned(format!("{scheme}://{host}{port}")),
    };
    Some(BrowserForm { scheme, text, differences })
}

/// The web scheme an entry starts with, lowercase, and what separates it from the host: `://`,
/// or a misspelling of it (colons, then slashes, but not none).
fn web_scheme(text: &str) -> Option<(&'static str, &str)> {
    ["https", "http"].into_iter().find_map(|scheme| {
        let after = text
            .get(scheme.len()..)
            .filter(|_| text.as_bytes()[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes()))?;
        let colons = after.len() - after.trim_start_matches(':').len();
        let slashes = after[colons..].len() - after[colons..].trim_start_matches('/').len();
        let separator = &after[..colons + slashes];
        (!separator.is_empty()).then_some((scheme, separator))
    })
}

/// A port of digits only, from 1 to 65535 (a leading zero allowed: it is rewritten).
fn plain_port(port: &str) -> Option<u16> {
    port.bytes().all(|b| b.is_ascii_digit()).then(|| port.parse().ok()).flatten().filter(|&n| n != 0)
}

pub(super) fn default_port(scheme: &str) -> &'static str {
    if scheme == "https" {
        "443"
    } else {
        "80"
    }
}

/// `[0:0:0:0:0:0:0:1]` → `[::1]`: browsers send the shortest form (RFC 5952), which is what
/// `Display` writes; an IPv4-mapped address is the one case where the two differ, so it is left
/// as written.
fn short_ipv6(host: &str) -> Option<String> {
    let text = host.strip_prefix('[')?.strip_suffix(']')?;
    let ip = text.parse::<Ipv6Addr>().ok().filter(|ip| ip.to_ipv4_mapped().is_none())?;
    (ip.to_string() != text).then(|| format!("[{ip}]"))
}
