//! Subdomain patterns (`https://*.example.com`): what a pattern may cover, judged against the
//! Public Suffix List, and how one origin is matched against one pattern.

use std::net::Ipv4Addr;

use super::error::{fail, OriginError, OriginErrorKind};
use super::host::{check_host, host_without_port, MAX_HOST};

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

/// A pattern's two halves however they are stored: borrowed from the source by a compiled list
/// ([`Pattern`]), or owned by a list built while the service runs. The matcher takes either.
pub trait PatternParts {
    /// Everything before the `*`.
    fn prefix(&self) -> &str;
    /// Everything after the `*`, starting with `.`.
    fn suffix(&self) -> &str;
}

impl PatternParts for Pattern<'_> {
    #[inline]
    fn prefix(&self) -> &str {
        self.prefix
    }

    #[inline]
    fn suffix(&self) -> &str {
        self.suffix
    }
}

/// Checks the host of a pattern (`*.example.com`, the `*` already counted once) and splits the
/// origin where the `*` stands. `origin` is the entry in browser form; `entry` is what the
/// messages name.
pub(super) fn parse_pattern<'a>(
    entry: &str,
    origin: &'a str,
    scheme: &str,
    host: &str,
) -> Result<Pattern<'a>, OriginError> {
    use OriginErrorKind as K;
    if host == "*" {
        return fail(
            K::AnyHost,
            format!(
                "origin pattern `{entry}` allows every host: write `origins = \"*\"` and mark the \
                 route `public` if any website may read it, or name the domain: `{scheme}://*.example.com`"
            ),
        );
    }
    let Some(base) = host.strip_prefix("*.") else {
        return fail(
            K::MisplacedStar,
            format!(
                "origin pattern `{entry}` must start its host with `*.`: `*` stands for one or more \
                 whole leading labels, as in `{scheme}://*.example.com`"
            ),
        );
    };
    check_host(entry, base)?;
    if base.parse::<Ipv4Addr>().is_ok() || base.starts_with('[') {
        return fail(
            K::MisplacedStar,
            format!("origin pattern `{entry}` puts `*` before an IP address: list the exact origins instead"),
        );
    }
    if let Some(section) = suffix_section(base) {
        let private = matches!(section, Some(psl::Type::Private));
        let why = match section {
            Some(psl::Type::Private) => "a shared domain on the Public Suffix List whose subdomains belong to different owners: list your own origins exactly",
            Some(psl::Type::Icann) => "a public suffix where anyone can register a domain: put the `*` under a domain you own",
            None => "a top-level domain: put the `*` under a domain you own",
        };
        // The example passes the rules too: under a wildcard rule (`*.ck`), `example.ck` is
        // itself a public suffix, so no example is given.
        let example_host = if private { format!("my-app.{base}") } else { format!("example.{base}") };
        let example = match check_host(entry, &example_host) {
            Ok(()) if private => format!(", e.g. `{}`", origin.replacen('*', "my-app", 1)),
            Ok(()) if suffix_section(&example_host).is_none() => {
                format!(", e.g. `{}`", origin.replacen("*.", "*.example.", 1))
            }
            _ => String::new(),
        };
        return fail(
            K::PublicSuffix,
            format!("origin pattern `{entry}` allows every site under `{base}`, {why}{example}"),
        );
    }
    let star = scheme.len() + "://".len();
    Ok(Pattern { prefix: &origin[..star], suffix: &origin[star + 1..] })
}

/// `Some(section)` when `host` is itself a public suffix, so anyone can own a name directly
/// under it: a rule of the Public Suffix List's ICANN or private section (`co.uk`,
/// `github.io`), or (`None`) a top-level domain the list does not know, which its default
/// rule treats as one.
fn suffix_section(host: &str) -> Option<Option<psl::Type>> {
    let suffix = psl::suffix(host.as_bytes())?;
    (suffix.as_bytes() == host.as_bytes()).then(|| suffix.typ())
}

/// Matches `origin` against `prefix` + one or more DNS labels + `suffix`, without allocating.
///
/// `suffix` starts with the `.` that follows the `*`, so `https://*.example.com` never matches
/// `https://evilexample.com` or `https://example.com`, and a port in the origin must be the one
/// in the suffix (none when the suffix has none). The whole host is at most 253 bytes, as DNS
/// allows: no browser sends a longer one, so a longer one is never reflected.
pub fn pattern_matches(origin: &[u8], prefix: &[u8], suffix: &[u8]) -> bool {
    let Some(middle) = origin.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(suffix)) else {
        return false;
    };
    // The host is at most the middle and the suffix; only a longer one needs the suffix's port
    // taken off to be measured.
    let host_fits = middle.len() + suffix.len() <= MAX_HOST || {
        let suffix_host = suffix.iter().position(|&b| b == b':').unwrap_or(suffix.len());
        middle.len() + suffix_host <= MAX_HOST
    };
    !middle.is_empty()
        && host_fits
        && middle.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.first() != Some(&b'-')
                && label.last() != Some(&b'-')
                && label.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}
