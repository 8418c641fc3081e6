//! One allowlist entry against what browsers send: the *serialized* origin (RFC 6454 / Fetch),
//! a lowercase scheme, `://`, a lowercase host, and a port only when it is not the scheme's
//! default. Nothing else. An entry in any other form can never match, so it is a mistake worth
//! reporting.

use super::error::{fail, OriginError, OriginErrorKind};
use super::host::{check_host, check_port, host_without_port, strip_default_port, suggestion};
use super::pattern::{parse_pattern, Pattern};

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
        1 => parse_pattern(entry, scheme, host).map(OriginEntry::Pattern),
        _ => fail(
            K::MisplacedStar,
            format!(
                "origin pattern `{entry}` has more than one `*`: write one leading `*`, which stands \
                 for one or more labels, e.g. `{scheme}://*.example.com`"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OriginErrorKind as K;

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
}
