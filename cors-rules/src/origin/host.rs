//! Hosts and ports as browsers serialize them: what `check_host` and `check_port` accept, and
//! the small helpers the parser, the patterns and the messages share.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::error::{fail, OriginError, OriginErrorKind};

/// The longest host name DNS allows.
pub(super) const MAX_HOST: usize = 253;

/// A port browsers could send: a number from 1 to 65535 (the browser form has already dropped a
/// default port and a leading zero).
pub(super) fn check_port(entry: &str, port: &str) -> Result<(), OriginError> {
    use OriginErrorKind as K;
    if port.contains('*') {
        return fail(
            K::MisplacedStar,
            format!(
                "origin `{entry}` puts `*` in the port: a pattern stands for subdomains only; list each port's origin"
            ),
        );
    }
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || !matches!(port.parse::<u16>(), Ok(1..)) {
        return fail(
            K::Port,
            format!("origin `{entry}` has an invalid port `{port}`: a port is a number from 1 to 65535"),
        );
    }
    Ok(())
}

pub(super) fn check_host(entry: &str, host: &str) -> Result<(), OriginError> {
    use OriginErrorKind as K;
    if host.starts_with('[') {
        let text = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        return match text.parse::<Ipv6Addr>() {
            Ok(_) => Ok(()),
            Err(_) => fail(K::Host, format!("origin `{entry}` has an invalid IPv6 host `{host}`")),
        };
    }
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if host.len() > 253 || !host.split('.').all(valid_label) {
        return fail(
            K::Host,
            format!(
                "origin `{entry}` has an invalid host `{host}`: browsers send hosts as lowercase \
                 ASCII labels (internationalized names in their `xn--` punycode form)"
            ),
        );
    }
    // URLs read a host whose last label is a number as an IPv4 address and rewrite it to four
    // plain decimal numbers (`127.1` is `127.0.0.1`); only that form can match.
    let numeric = host.rsplit('.').next().is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()));
    if numeric && host.parse::<Ipv4Addr>().is_err() {
        return fail(
            K::Host,
            format!("origin `{entry}` has host `{host}`, which browsers read as an IPv4 address: write it as four decimal numbers without leading zeros, e.g. `127.0.0.1`"),
        );
    }
    Ok(())
}

/// `host[:port]` → `host`, keeping IPv6 brackets intact.
pub(super) fn host_without_port(authority: &str) -> &str {
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

/// Whether a host is a loopback name, where plain `http://` is as private as `https://`.
pub fn is_loopback_host(host: &str) -> bool {
    host == "localhost" || host == "[::1]" || host.starts_with("127.") && host.parse::<Ipv4Addr>().is_ok()
}

/// The host of a checked exact origin (`https://a.example:8443` → `a.example`).
pub fn origin_host(origin: &str) -> &str {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    host_without_port(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in ["localhost", "127.0.0.1", "127.8.9.10", "[::1]"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["localhost.example.com", "127.0.0.1.example.com", "128.0.0.1", "[::2]", "0.0.0.0"] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
