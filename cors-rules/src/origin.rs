//! Origin syntax, subdomain patterns and the matcher used on every request.
//!
//! A browser sends the *serialized* origin (RFC 6454 / Fetch): a lowercase scheme, `://`, a
//! lowercase host, and a port only when it is not the scheme's default. Nothing else. An allowlist
//! entry that is not in that exact form can never match, so it is a mistake worth reporting.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

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

/// Which rule an allowlist entry breaks. Tests and tools match on this; people read the
/// [`OriginError`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginErrorKind {
    /// `""`.
    Empty,
    /// Spaces, tabs or newlines anywhere in the entry.
    Whitespace,
    /// `"null"`, the origin of sandboxed and `file:` documents.
    Null,
    /// No `scheme://`.
    NoScheme,
    /// A scheme other than `https` or `http`.
    Scheme,
    /// Uppercase letters; browsers send origins in lowercase.
    Uppercase,
    /// A `/` after the host and port.
    TrailingSlash,
    /// A path, query or fragment after the host and port.
    Path,
    /// `user:password@` before the host.
    Userinfo,
    /// A missing or malformed host, or an IP address not written as browsers write it.
    Host,
    /// A malformed port, or one with a leading zero.
    Port,
    /// `:443` on `https`, `:80` on `http`: browsers leave the default port out.
    DefaultPort,
    /// `https://*`: a pattern that names no domain at all.
    AnyHost,
    /// A `*` over a public suffix (`*.com`, `*.co.uk`, `*.github.io`) or a top-level domain.
    PublicSuffix,
    /// A `*` that is not one whole leading label: `*foo.example.com`, `a.*.example.com`,
    /// two stars, a star in the scheme or port, or before an IP address.
    MisplacedStar,
    /// The same entry twice in one list.
    Duplicate,
    /// `*` next to other entries, which it already covers.
    AnyAmongOrigins,
    /// `*` in a credentialed policy.
    AnyWithCredentials,
    /// Plain `http://` off loopback in a credentialed policy.
    InsecureWithCredentials,
}

/// What is wrong with an origin entry, in the user's terms: what browsers send and what to
/// write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError {
    kind: OriginErrorKind,
    message: String,
}

impl OriginError {
    fn new(kind: OriginErrorKind, message: impl Into<String>) -> Self {
        OriginError { kind, message: message.into() }
    }

    pub fn kind(&self) -> OriginErrorKind {
        self.kind
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OriginError {}

fn fail<T>(kind: OriginErrorKind, message: impl Into<String>) -> Result<T, OriginError> {
    Err(OriginError::new(kind, message))
}

/// The entries of an allowlist written as one string (an environment variable, or its default):
/// separated by commas and/or whitespace.
pub fn split_origin_list(value: &str) -> Vec<&str> {
    value.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|e| !e.is_empty()).collect()
}

/// Whether `name` is an environment variable name an `env(...)` policy accepts: upper-case
/// letters, digits and `_`, not starting with a digit.
pub fn is_env_var_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && !bytes[0].is_ascii_digit()
        && bytes.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// Checks a whole allowlist: every entry with [`parse_origin`], then what only the list shows:
/// duplicates, `*` beside other entries, and what `credentials` rules out (`*`, and plain
/// `http://` off loopback). One result per entry, with every rule that entry breaks (`*` beside
/// other origins in a credentialed policy breaks two), so every mistake is reported at once; the
/// macros call this at compile time and the runtime on deploy-time lists.
pub fn check_origin_list<'a>(entries: &[&'a str], credentials: bool) -> Vec<Result<OriginEntry<'a>, Vec<OriginError>>> {
    use OriginErrorKind as K;
    let check = |i: usize, entry: &'a str| {
        if entries[..i].contains(&entry) {
            return Err(vec![OriginError::new(K::Duplicate, format!("origin `{entry}` is listed twice: remove one"))]);
        }
        let parsed = parse_origin(entry).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        match parsed {
            OriginEntry::Any => {
                if entries.len() > 1 {
                    errors.push(OriginError::new(
                        K::AnyAmongOrigins,
                        "`*` already allows every origin: write `origins = \"*\"` alone, without other origins",
                    ));
                }
                if credentials {
                    errors.push(OriginError::new(
                        K::AnyWithCredentials,
                        "`origins = \"*\"` cannot be combined with `credentials`: browsers reject \
                         `Access-Control-Allow-Origin: *` on credentialed requests; list the exact origins \
                         instead, e.g. `origins = [\"https://app.example.com\"]`",
                    ));
                }
            }
            OriginEntry::Exact(_) | OriginEntry::Pattern(_)
                if credentials && entry.starts_with("http://") && !is_loopback_host(origin_host(entry)) =>
            {
                errors.push(OriginError::new(
                    K::InsecureWithCredentials,
                    format!(
                        "`{entry}` is plain http in a credentialed policy: cookies and tokens would \
                         cross the network unencrypted; write `https://{}` (plain http is accepted \
                         only for loopback hosts: localhost, 127.0.0.1, [::1])",
                        &entry["http://".len()..]
                    ),
                ))
            }
            _ => {}
        }
        if errors.is_empty() {
            Ok(parsed)
        } else {
            Err(errors)
        }
    };
    entries.iter().enumerate().map(|(i, entry)| check(i, entry)).collect()
}

/// Checks one allowlist entry against what browsers actually send.
pub fn parse_origin(entry: &str) -> Result<OriginEntry<'_>, OriginError> {
    use OriginErrorKind as K;
    if entry == "*" {
        return Ok(OriginEntry::Any);
    }
    if entry.is_empty() {
        return fail(K::Empty, "an empty string is not an origin: write one such as `https://app.example.com`");
    }
    if entry.bytes().any(|b| b.is_ascii_whitespace()) {
        let without: String = entry.split_ascii_whitespace().collect();
        return fail(K::Whitespace, format!("origin `{entry}` contains whitespace: browsers send `{without}`"));
    }
    if entry.eq_ignore_ascii_case("null") {
        return fail(
            K::Null,
            "`null` is not an origin to allow: browsers send `Origin: null` from sandboxed \
             iframes, `file:` pages and redirects, so allowing it allows all of them; list the \
             real origins instead",
        );
    }
    let Some((scheme, rest)) = entry.split_once("://") else {
        return fail(
            K::NoScheme,
            format!(
                "origin `{entry}` has no scheme: browsers send it too, e.g. `{}`",
                suggestion(&format!("https://{entry}"))
            ),
        );
    };
    if scheme != "https" && scheme != "http" {
        return if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") {
            fail(K::Uppercase, format!("origin `{entry}` has uppercase letters: browsers send `{}`", suggestion(entry)))
        } else if scheme.contains('*') {
            fail(
                K::MisplacedStar,
                format!("origin `{entry}` puts `*` in the scheme: a pattern stands for subdomains only; list `https://` and `http://` origins separately"),
            )
        } else {
            fail(
                K::Scheme,
                format!("origin `{entry}` has scheme `{scheme}`: allowlists hold web origins, `https://` or `http://`, e.g. `https://{rest}`"),
            )
        };
    }
    if entry.bytes().any(|b| b.is_ascii_uppercase()) {
        return fail(
            K::Uppercase,
            format!("origin `{entry}` has uppercase letters: browsers send `{}`", suggestion(entry)),
        );
    }
    if let Some(at) = rest.find(['/', '?', '#']) {
        let (authority, tail) = rest.split_at(at);
        let (kind, what) = match tail.as_bytes()[0] {
            _ if tail == "/" => (K::TrailingSlash, "a trailing `/`".to_string()),
            b'?' => (K::Path, format!("a query `{tail}`")),
            b'#' => (K::Path, format!("a fragment `{tail}`")),
            _ => (K::Path, format!("a path `{tail}`")),
        };
        let host_and_port = authority.rsplit('@').next().unwrap_or(authority);
        return fail(
            kind,
            format!(
                "origin `{entry}` has {what}: an origin is scheme, host and port only; browsers send `{scheme}://{}`",
                strip_default_port(scheme, host_and_port)
            ),
        );
    }
    if let Some((_, host)) = rest.rsplit_once('@') {
        return fail(
            K::Userinfo,
            format!("origin `{entry}` has userinfo: browsers never send credentials in `Origin`; they send `{scheme}://{host}`"),
        );
    }
    let host = host_without_port(rest);
    if host.is_empty() {
        return fail(K::Host, format!("origin `{entry}` has no host: write one, e.g. `{scheme}://app.example.com`"));
    }
    if let Some(port) = rest[host.len()..].strip_prefix(':') {
        check_port(entry, scheme, host, port)?;
    }
    match host.matches('*').count() {
        0 => {
            check_host(entry, host)?;
            Ok(OriginEntry::Exact(entry))
        }
        1 => parse_pattern(entry, scheme, host),
        _ => fail(
            K::MisplacedStar,
            format!(
                "origin pattern `{entry}` has more than one `*`: write one leading `*`, which stands \
                 for one or more labels, e.g. `{scheme}://*.example.com`"
            ),
        ),
    }
}

fn parse_pattern<'a>(entry: &'a str, scheme: &str, host: &str) -> Result<OriginEntry<'a>, OriginError> {
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
        let under = format!("origin pattern `{entry}` allows every site under `{base}`");
        return fail(
            K::PublicSuffix,
            match section {
                Some(psl::Type::Private) => format!(
                    "{under}, a shared domain on the Public Suffix List whose subdomains belong to \
                     different owners: list your own origins exactly, e.g. `{}`",
                    entry.replacen('*', "my-app", 1)
                ),
                Some(psl::Type::Icann) => format!(
                    "{under}, a public suffix where anyone can register a domain: put the `*` under \
                     a domain you own, e.g. `{}`",
                    entry.replacen("*.", "*.example.", 1)
                ),
                None => format!(
                    "{under}, a top-level domain: put the `*` under a domain you own, e.g. `{}`",
                    entry.replacen("*.", "*.example.", 1)
                ),
            },
        );
    }
    let star = scheme.len() + "://".len();
    Ok(OriginEntry::Pattern(Pattern { prefix: &entry[..star], suffix: &entry[star + 1..] }))
}

/// `Some(section)` when `host` is itself a public suffix, so anyone can own a name directly
/// under it: a rule of the Public Suffix List's ICANN or private section (`co.uk`,
/// `github.io`), or (`None`) a top-level domain the list does not know, which its default
/// rule treats as one.
fn suffix_section(host: &str) -> Option<Option<psl::Type>> {
    let suffix = psl::suffix(host.as_bytes())?;
    (suffix.as_bytes() == host.as_bytes()).then(|| suffix.typ())
}

fn check_port(entry: &str, scheme: &str, host: &str, port: &str) -> Result<(), OriginError> {
    use OriginErrorKind as K;
    if port.contains('*') {
        return fail(
            K::MisplacedStar,
            format!(
                "origin `{entry}` puts `*` in the port: a pattern stands for subdomains only; list each port's origin"
            ),
        );
    }
    let number = port.parse::<u16>().ok().filter(|&n| n != 0 && port.bytes().all(|b| b.is_ascii_digit()));
    let Some(number) = number else {
        return fail(
            K::Port,
            format!("origin `{entry}` has an invalid port `{port}`: a port is a number from 1 to 65535"),
        );
    };
    if port.starts_with('0') {
        return fail(
            K::Port,
            format!("origin `{entry}` has a port with a leading zero: browsers send `{scheme}://{host}:{number}`"),
        );
    }
    if default_port(scheme) == port {
        return fail(
            K::DefaultPort,
            format!("origin `{entry}` names the default port {port}: browsers omit it and send `{scheme}://{host}`"),
        );
    }
    Ok(())
}

fn check_host(entry: &str, host: &str) -> Result<(), OriginError> {
    use OriginErrorKind as K;
    if host.starts_with('[') {
        let text = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        return match text.parse::<Ipv6Addr>() {
            // Browsers send the shortest form (RFC 5952), which is what `Display` writes; an
            // IPv4-mapped address is the one case where the two differ, so it is left alone.
            Ok(ip) if ip.to_ipv4_mapped().is_none() && ip.to_string() != text => fail(
                K::Host,
                format!(
                    "origin `{entry}` writes its IPv6 host in long form: browsers send `{}`",
                    entry.replacen(text, &ip.to_string(), 1)
                ),
            ),
            Ok(_) => Ok(()),
            Err(_) => fail(K::Host, format!("origin `{entry}` has an invalid IPv6 host `{host}`")),
        };
    }
    if host.ends_with('.') {
        return fail(
            K::Host,
            format!(
                "origin `{entry}` ends its host with `.`: browsers send `{}`",
                entry.replacen(host, host.trim_end_matches('.'), 1)
            ),
        );
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

/// What a browser would send for an entry that differs only in case, port, path or userinfo.
fn suggestion(entry: &str) -> String {
    let lower = entry.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").unwrap_or(("https", &lower));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_and_port = authority.rsplit('@').next().unwrap_or(authority);
    format!("{scheme}://{}", strip_default_port(scheme, host_and_port))
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

/// The order [`find_pattern`] needs a pattern list in: by suffix, then by prefix (bytes).
pub fn pattern_order(a: &Pattern<'_>, b: &Pattern<'_>) -> std::cmp::Ordering {
    (a.suffix.as_bytes(), a.prefix.as_bytes()).cmp(&(b.suffix.as_bytes(), b.prefix.as_bytes()))
}

/// The longest host name DNS allows.
const MAX_HOST: usize = 253;

/// The longest suffix a checked pattern has: `.`, a host of at most 253 bytes, `:65535`.
const MAX_SUFFIX: usize = 1 + MAX_HOST + 6;

/// Finds a pattern that `origin` matches ([`pattern_matches`]) in a list sorted by
/// [`pattern_order`], in time logarithmic in the list's length, wherever the pattern stands.
///
/// A pattern's suffix starts with the `.` after its `*`, so it can only start at a `.` of the
/// origin within the origin's last `MAX_SUFFIX` bytes; each such tail is binary-searched among
/// the suffixes, and only the (at most a scheme's worth of) patterns with that exact suffix
/// are tried.
pub fn find_pattern(sorted: &[Pattern<'_>], origin: &[u8]) -> Option<usize> {
    // Most allowlists have no patterns, and most others a few: trying each costs less than
    // scanning the origin's tail for dots (a mismatch ends at `strip_suffix`). The same pattern
    // comes back either way: the one with the longest suffix, the first of those in order.
    if sorted.len() <= SHORT_LIST {
        let mut found: Option<usize> = None;
        for (i, pattern) in sorted.iter().enumerate() {
            let longer = found.is_none_or(|f| pattern.suffix.len() > sorted[f].suffix.len());
            if longer && pattern.matches(origin) {
                found = Some(i);
            }
        }
        return found;
    }
    find_pattern_by_tail(sorted, origin)
}

/// [`find_pattern`] for a long list: the leftmost tail with a matching pattern is the longest.
fn find_pattern_by_tail(sorted: &[Pattern<'_>], origin: &[u8]) -> Option<usize> {
    let window = origin.len().saturating_sub(MAX_SUFFIX);
    (window..origin.len()).filter(|&dot| origin[dot] == b'.').find_map(|dot| {
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
    // A short list is cheaper to scan: `==` rejects most entries on their length alone, where
    // each step of a binary search compares bytes.
    if sorted.len() <= SHORT_LIST {
        return sorted.iter().position(|entry| entry.as_ref().as_bytes() == origin);
    }
    sorted.binary_search_by(|entry| entry.as_ref().as_bytes().cmp(origin)).ok()
}

/// Up to this many entries, [`find_exact`] and [`find_pattern`] scan instead of searching.
const SHORT_LIST: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use OriginErrorKind as K;

    #[test]
    fn a_short_pattern_list_finds_what_the_tail_search_finds() {
        let written =
            ["https://*.example.com", "https://*.b.example.com", "http://*.example.com", "https://*.a.b.example.com"];
        let mut patterns: Vec<Pattern<'_>> = written
            .iter()
            .map(|entry| match parse_origin(entry) {
                Ok(OriginEntry::Pattern(pattern)) => pattern,
                other => panic!("{entry}: {other:?}"),
            })
            .collect();
        patterns.sort_by(pattern_order);
        let origins = [
            "https://x.example.com",
            "https://x.b.example.com",
            "https://x.a.b.example.com",
            "https://a.b.example.com",
            "http://x.b.example.com",
            "https://example.com",
            "https://x.example.org",
            "https://-x.example.com",
        ];
        for n in 0..=patterns.len() {
            for origin in origins {
                let by_tail = find_pattern_by_tail(&patterns[..n], origin.as_bytes());
                assert_eq!(find_pattern(&patterns[..n], origin.as_bytes()), by_tail, "{n} {origin}");
            }
        }
    }

    #[test]
    fn find_exact_finds_every_entry_of_short_and_long_lists() {
        for n in [0, 1, 2, SHORT_LIST, SHORT_LIST + 1, 40] {
            let mut list: Vec<String> = (0..n).map(|i| format!("https://a{i}.example")).collect();
            list.sort();
            for (i, origin) in list.iter().enumerate() {
                assert_eq!(find_exact(&list, origin.as_bytes()), Some(i), "{n}: {origin}");
            }
            assert_eq!(find_exact(&list, b"https://a.example"), None, "{n}");
            assert_eq!(find_exact(&list, b"https://a0.example:1"), None, "{n}");
        }
    }

    fn kind(entry: &str) -> Result<&'static str, OriginErrorKind> {
        parse_origin(entry)
            .map(|parsed| match parsed {
                OriginEntry::Any => "any",
                OriginEntry::Exact(_) => "exact",
                OriginEntry::Pattern(_) => "pattern",
            })
            .map_err(|e| e.kind())
    }

    fn message(entry: &str) -> String {
        parse_origin(entry).expect_err(entry).to_string()
    }

    #[test]
    fn accepted_forms() {
        for (entry, expected) in [
            ("*", "any"),
            ("https://app.example.com", "exact"),
            ("http://localhost:5173", "exact"),
            ("http://127.0.0.1:8080", "exact"),
            ("http://[::1]:3000", "exact"),
            ("https://xn--bcher-kva.example", "exact"),
            ("https://a_b.example.com:8443", "exact"),
            ("https://*.example.com", "pattern"),
            ("https://*.example.co.uk", "pattern"),
            ("https://*.my-app.github.io", "pattern"),
            ("https://*.corp.internal:8443", "pattern"),
        ] {
            assert_eq!(kind(entry), Ok(expected), "{entry}");
        }
    }

    #[test]
    fn rejected_forms() {
        for (entry, expected) in [
            ("", K::Empty),
            (" https://app.example.com", K::Whitespace),
            ("null", K::Null),
            ("NULL", K::Null),
            ("app.example.com", K::NoScheme),
            ("ftp://app.example.com", K::Scheme),
            ("chrome-extension://abcdef", K::Scheme),
            ("HTTPS://app.example.com", K::Uppercase),
            ("https://App.example.com", K::Uppercase),
            ("https://app.example.com/", K::TrailingSlash),
            ("https://app.example.com/api", K::Path),
            ("https://app.example.com?x=1", K::Path),
            ("https://app.example.com#top", K::Path),
            ("https://user:pw@app.example.com", K::Userinfo),
            ("https://", K::Host),
            ("https://:8443", K::Host),
            ("https://app..example.com", K::Host),
            ("https://-app.example.com", K::Host),
            ("https://app.example.com.", K::Host),
            ("https://bücher.example", K::Host),
            ("http://127.1", K::Host),
            ("http://127.000.0.1", K::Host),
            ("http://[0:0:0:0:0:0:0:1]", K::Host),
            ("http://[::g]", K::Host),
            ("https://app.example.com:0", K::Port),
            ("https://app.example.com:65536", K::Port),
            ("https://app.example.com:+80", K::Port),
            ("https://app.example.com:08443", K::Port),
            ("https://app.example.com:443", K::DefaultPort),
            ("http://app.example.com:80", K::DefaultPort),
            ("https://*.example.com:443", K::DefaultPort),
            ("https://*", K::AnyHost),
            ("https://*.com", K::PublicSuffix),
            ("https://*.co.uk", K::PublicSuffix),
            ("https://*.github.io", K::PublicSuffix),
            ("https://*.s3.amazonaws.com", K::PublicSuffix),
            ("https://*.localhost", K::PublicSuffix),
            ("https://*.*.example.com", K::MisplacedStar),
            ("https://*app.example.com", K::MisplacedStar),
            ("https://app.*.example.com", K::MisplacedStar),
            ("https://*.127.0.0.1", K::MisplacedStar),
            ("*://app.example.com", K::MisplacedStar),
            ("https://app.example.com:*", K::MisplacedStar),
        ] {
            assert_eq!(kind(entry), Err(expected), "{entry}");
        }
    }

    #[test]
    fn messages_say_what_browsers_send() {
        for (entry, expected) in [
            (
                "https://app.example.com/",
                "origin `https://app.example.com/` has a trailing `/`: an origin is scheme, host and port only; browsers send `https://app.example.com`",
            ),
            (
                "https://App.Example.com:443/",
                "origin `https://App.Example.com:443/` has uppercase letters: browsers send `https://app.example.com`",
            ),
            (
                "https://app.example.com:443",
                "origin `https://app.example.com:443` names the default port 443: browsers omit it and send `https://app.example.com`",
            ),
            (
                "https://user@app.example.com",
                "origin `https://user@app.example.com` has userinfo: browsers never send credentials in `Origin`; they send `https://app.example.com`",
            ),
            (
                "app.example.com/",
                "origin `app.example.com/` has no scheme: browsers send it too, e.g. `https://app.example.com`",
            ),
            (
                "http://[0:0:0:0:0:0:0:1]:8080",
                "origin `http://[0:0:0:0:0:0:0:1]:8080` writes its IPv6 host in long form: browsers send `http://[::1]:8080`",
            ),
            (
                "https://*.co.uk",
                "origin pattern `https://*.co.uk` allows every site under `co.uk`, a public suffix where anyone can register a domain: put the `*` under a domain you own, e.g. `https://*.example.co.uk`",
            ),
            (
                "https://*.github.io",
                "origin pattern `https://*.github.io` allows every site under `github.io`, a shared domain on the Public Suffix List whose subdomains belong to different owners: list your own origins exactly, e.g. `https://my-app.github.io`",
            ),
            (
                "https://*.internal:8443",
                "origin pattern `https://*.internal:8443` allows every site under `internal`, a top-level domain: put the `*` under a domain you own, e.g. `https://*.example.internal:8443`",
            ),
        ] {
            assert_eq!(message(entry), expected);
        }
    }

    #[test]
    fn patterns_split_at_the_star() {
        let Ok(OriginEntry::Pattern(pattern)) = parse_origin("https://*.example.com:8443") else {
            panic!("a valid pattern");
        };
        assert_eq!((pattern.prefix, pattern.suffix), ("https://", ".example.com:8443"));
        assert_eq!(pattern.base_host(), "example.com");
        assert!(pattern.matches(b"https://a.b.example.com:8443"));
        assert!(!pattern.matches(b"https://example.com:8443"));
        assert!(!pattern.matches(b"https://evilexample.com:8443"));
        assert!(!pattern.matches(b"https://a.example.com"));
    }

    #[test]
    fn loopback_hosts() {
        for host in ["localhost", "127.0.0.1", "127.8.9.10", "[::1]"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["localhost.example.com", "127.0.0.1.example.com", "128.0.0.1", "[::2]", "0.0.0.0"] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn lists_in_one_string() {
        assert_eq!(
            split_origin_list(" https://a.example,https://b.example\n\thttps://*.c.example , ,"),
            ["https://a.example", "https://b.example", "https://*.c.example"]
        );
        assert!(split_origin_list(" \t\n, ").is_empty());
        for name in ["APP_ORIGINS", "A", "_X1"] {
            assert!(is_env_var_name(name), "{name}");
        }
        for name in ["", "app_origins", "1APP", "APP-ORIGINS", "APP ORIGINS"] {
            assert!(!is_env_var_name(name), "{name}");
        }
    }

    #[test]
    fn list_rules() {
        let kinds = |entries: &[&str], credentials| -> Vec<Option<OriginErrorKind>> {
            check_origin_list(entries, credentials)
                .into_iter()
                .map(|r| r.err().map(|errors| errors[0].kind()))
                .collect()
        };
        let a = "https://a.example";
        assert_eq!(kinds(&[a, "https://b.example", a], false), [None, None, Some(K::Duplicate)]);
        assert_eq!(kinds(&["*", a], false), [Some(K::AnyAmongOrigins), None]);
        assert_eq!(kinds(&["*"], false), [None]);
        assert_eq!(kinds(&["*"], true), [Some(K::AnyWithCredentials)]);
        // `*` beside others in a credentialed list breaks both rules, and both are said.
        let both: Vec<OriginErrorKind> =
            check_origin_list(&[a, "*"], true)[1].as_ref().unwrap_err().iter().map(OriginError::kind).collect();
        assert_eq!(both, [K::AnyAmongOrigins, K::AnyWithCredentials]);
        assert_eq!(
            kinds(
                &[
                    "http://app.example.com",
                    "http://*.example.com",
                    "http://localhost:5173",
                    "http://127.0.0.1:3000",
                    "http://[::1]"
                ],
                true
            ),
            [Some(K::InsecureWithCredentials), Some(K::InsecureWithCredentials), None, None, None]
        );
        assert_eq!(kinds(&["http://app.example.com"], false), [None]);
        // Every bad entry is reported, not just the first.
        assert_eq!(kinds(&["https://a.example/", "null", a], false), [Some(K::TrailingSlash), Some(K::Null), None]);
    }
}
