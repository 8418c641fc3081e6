//! One allowlist entry against what browsers send: the *serialized* origin (RFC 6454 / Fetch),
//! a lowercase scheme, `://`, a lowercase host, and a port only when it is not the scheme's
//! default. Nothing else. An entry in any other form can never match, so it is a mistake worth
//! reporting, with the origin it stands for when one follows from it and passes these rules.

use super::error::{and_list, count_word, fail, OriginError, OriginErrorKind};
use super::form::{browser_form, BrowserForm};
use super::host::{check_host, check_port, host_without_port};
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

/// The entries of an allowlist written as one string (an environment variable, or its default):
/// separated by commas and/or whitespace.
pub fn split_origin_list(value: &str) -> Vec<&str> {
    value.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|e| !e.is_empty()).collect()
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
    if let Some(error) = several_origins(entry) {
        return Err(error);
    }
    if entry.trim_ascii().eq_ignore_ascii_case("null") {
        return fail(
            K::Null,
            "`null` is not an origin to allow: browsers send `Origin: null` from sandboxed \
             iframes, `file:` pages and redirects, so allowing it allows all of them; list the \
             real origins instead",
        );
    }
    let Some(form) = browser_form(entry) else {
        return Err(no_web_scheme(entry));
    };
    if form.differences.is_empty() {
        // Written as browsers send it: the result borrows the entry.
        return check_browser_form(entry, form.scheme, entry);
    }
    let what = and_list(form.differences.iter().map(|d| d.what.clone()));
    let beyond = form.differences.iter().any(|d| matches!(d.kind, K::TrailingSlash | K::Path | K::Userinfo));
    let why = if beyond { "an origin is scheme, host and port only; " } else { "" };
    Err(match check_browser_form(entry, form.scheme, &form.text) {
        Ok(_) => OriginError::with_fixes(
            form.differences[0].kind,
            format!("origin `{entry}` has {what}: {why}browsers send `{}`", form.text),
            vec![form.text.into_owned()],
        ),
        // Rewritten, it is still refused, so there is no origin to suggest: say both.
        Err(refused) => OriginError::new(refused.kind(), format!("{refused}; it also has {what}")),
    })
}

/// The origin browsers would send for `text`, when that origin passes every rule.
pub(super) fn fix_for(text: &str) -> Option<String> {
    let BrowserForm { scheme, text, .. } = browser_form(text)?;
    check_browser_form(&text, scheme, &text).is_ok().then(|| text.into_owned())
}

/// `"https://a.example,https://b.example"`: a list written as one entry, which no browser
/// sends. The fix is each origin as its own entry, when every one has a fix.
fn several_origins(entry: &str) -> Option<OriginError> {
    let parts = split_origin_list(entry);
    if parts.iter().filter(|part| part.contains("://")).count() < 2 {
        return None;
    }
    let fixes: Option<Vec<String>> = parts
        .iter()
        .map(|part| match parse_origin(part) {
            Ok(OriginEntry::Exact(_) | OriginEntry::Pattern(_)) => Some(part.to_string()),
            Ok(OriginEntry::Any) => None,
            Err(error) => error.fixes().first().cloned(),
        })
        .collect();
    let mut distinct: Vec<String> = Vec::new();
    for fix in fixes.unwrap_or_default() {
        if !distinct.contains(&fix) {
            distinct.push(fix);
        }
    }
    let fixes = distinct;
    let count = count_word(parts.len());
    let message = match fixes.as_slice() {
        [] => format!("origin `{entry}` is {count} origins in one string: write them as {count} entries"),
        [one] => format!("origin `{entry}` is {count} spellings of one origin in one string: write it once, `{one}`"),
        _ => format!(
            "origin `{entry}` is {} origins in one string: write them as {} entries, {}",
            count_word(fixes.len()),
            count_word(fixes.len()),
            and_list(fixes.iter().map(|fix| format!("`{fix}`")))
        ),
    };
    Some(OriginError::with_fixes(OriginErrorKind::SeveralOrigins, message, fixes))
}

/// An entry that starts with no web scheme: none at all, or another one.
fn no_web_scheme(entry: &str) -> OriginError {
    use OriginErrorKind as K;
    let text: String = entry.split_ascii_whitespace().collect();
    let (kind, message, fix) = match text.split_once("://") {
        Some((scheme, _)) if scheme.contains('*') => (
            K::MisplacedStar,
            format!("origin `{entry}` puts `*` in the scheme: a pattern stands for subdomains only; list `https://` and `http://` origins separately"),
            None,
        ),
        Some((scheme, rest)) => {
            let fix = fix_for(&format!("https://{rest}"));
            let example = fix.as_ref().map_or(String::new(), |fix| format!(", e.g. `{fix}`"));
            (
                K::Scheme,
                format!("origin `{entry}` has scheme `{scheme}`: allowlists hold web origins, `https://` or `http://`{example}"),
                fix,
            )
        }
        None => {
            let fix = fix_for(&format!("https://{text}"));
            let message = match &fix {
                Some(fix) => format!("origin `{entry}` has no scheme: browsers send it too, e.g. `{fix}`"),
                None => format!("origin `{entry}` has no scheme: browsers send one, `https://` or `http://`, before the host"),
            };
            (K::NoScheme, message, fix)
        }
    };
    OriginError::with_fixes(kind, message, fix.into_iter().collect())
}

/// The rules an origin in browser form (`scheme://host[:port]`) can still break: a missing or
/// malformed host or port, and everything about patterns. `entry` is what the messages name.
fn check_browser_form<'a>(entry: &str, scheme: &str, origin: &'a str) -> Result<OriginEntry<'a>, OriginError> {
    use OriginErrorKind as K;
    let authority = &origin[scheme.len() + "://".len()..];
    let host = host_without_port(authority);
    if host.is_empty() {
        return fail(K::Host, format!("origin `{entry}` has no host: write one, e.g. `{scheme}://app.example.com`"));
    }
    match authority[host.len()..].strip_prefix(':') {
        Some(port) => check_port(entry, port)?,
        None if authority.len() > host.len() => {
            return fail(
                K::Host,
                format!("origin `{entry}` has an invalid host `{authority}`: a port follows the host after `:`"),
            );
        }
        None => {}
    }
    match host.matches('*').count() {
        0 => {
            check_host(entry, host)?;
            Ok(OriginEntry::Exact(origin))
        }
        1 => parse_pattern(entry, origin, scheme, host).map(OriginEntry::Pattern),
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
                "origin `https://App.Example.com:443/` has uppercase letters, a trailing `/` and the default port 443: an origin is scheme, host and port only; browsers send `https://app.example.com`",
            ),
            (
                "https://Shop.acme.example/",
                "origin `https://Shop.acme.example/` has uppercase letters and a trailing `/`: an origin is scheme, host and port only; browsers send `https://shop.acme.example`",
            ),
            (
                "https://app.example.com:443",
                "origin `https://app.example.com:443` has the default port 443: browsers send `https://app.example.com`",
            ),
            (
                "https://app.example.com:08443",
                "origin `https://app.example.com:08443` has a port with a leading zero: browsers send `https://app.example.com:8443`",
            ),
            (
                "https://user@app.example.com",
                "origin `https://user@app.example.com` has userinfo: an origin is scheme, host and port only; browsers send `https://app.example.com`",
            ),
            (
                " https://app.example.com",
                "origin ` https://app.example.com` has whitespace: browsers send `https://app.example.com`",
            ),
            (
                "https://app.example.com.",
                "origin `https://app.example.com.` has a host ending in `.`: browsers send `https://app.example.com`",
            ),
            (
                "app.example.com/",
                "origin `app.example.com/` has no scheme: browsers send it too, e.g. `https://app.example.com`",
            ),
            (
                "https//admin.example.com",
                "origin `https//admin.example.com` has `https//` instead of `https://`: browsers send `https://admin.example.com`",
            ),
            (
                "https:/app.example.com",
                "origin `https:/app.example.com` has `https:/` instead of `https://`: browsers send `https://app.example.com`",
            ),
            (
                "HTTP:app.example.com:80/",
                "origin `HTTP:app.example.com:80/` has `HTTP:` instead of `http://`, uppercase letters, a trailing `/` and the default port 80: an origin is scheme, host and port only; browsers send `http://app.example.com`",
            ),
            (
                "https://f.example.com,https://g.example.com",
                "origin `https://f.example.com,https://g.example.com` is two origins in one string: write them as two entries, `https://f.example.com` and `https://g.example.com`",
            ),
            (
                "https://f.example.com https://G.example.com/, http://localhost:5173",
                "origin `https://f.example.com https://G.example.com/, http://localhost:5173` is three origins in one string: write them as three entries, `https://f.example.com`, `https://g.example.com` and `http://localhost:5173`",
            ),
            (
                "https://f.example.com,https://bad..example.com",
                "origin `https://f.example.com,https://bad..example.com` is two origins in one string: write them as two entries",
            ),
            (
                "https://a.example,https://A.example/",
                "origin `https://a.example,https://A.example/` is two spellings of one origin in one string: write it once, `https://a.example`",
            ),
            (
                "ftp://app.example.com/",
                "origin `ftp://app.example.com/` has scheme `ftp`: allowlists hold web origins, `https://` or `http://`, e.g. `https://app.example.com`",
            ),
            ("ftp://", "origin `ftp://` has scheme `ftp`: allowlists hold web origins, `https://` or `http://`"),
            (
                "example..com",
                "origin `example..com` has no scheme: browsers send one, `https://` or `http://`, before the host",
            ),
            (
                "https://App..example.com/",
                "origin `https://App..example.com/` has an invalid host `app..example.com`: browsers send hosts as lowercase ASCII labels (internationalized names in their `xn--` punycode form); it also has uppercase letters and a trailing `/`",
            ),
            (
                "https:///app.example.com",
                "origin `https:///app.example.com` has `https:///` instead of `https://`: browsers send `https://app.example.com`",
            ),
            (
                "http://[::1]x",
                "origin `http://[::1]x` has an invalid host `[::1]x`: a port follows the host after `:`",
            ),
            (
                "http://[0:0:0:0:0:0:0:1]:8080",
                "origin `http://[0:0:0:0:0:0:0:1]:8080` has its IPv6 host in long form: browsers send `http://[::1]:8080`",
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
            // `*.ck` is a wildcard rule: `example.ck` is a public suffix too, so no example.
            (
                "https://*.ck",
                "origin pattern `https://*.ck` allows every site under `ck`, a top-level domain: put the `*` under a domain you own",
            ),
        ] {
            assert_eq!(message(entry), expected);
        }
    }

    #[test]
    fn fixes_are_what_the_message_suggests() {
        let fixes = |entry: &str| parse_origin(entry).expect_err(entry).fixes().to_vec();
        assert_eq!(fixes("https://Shop.acme.example/"), ["https://shop.acme.example"]);
        assert_eq!(
            fixes("https://f.example.com,https://g.example.com"),
            ["https://f.example.com", "https://g.example.com"]
        );
        assert!(fixes("https://f.example.com,https://bad..example.com").is_empty());
        assert!(fixes("https://App..example.com/").is_empty());
        assert!(fixes("null").is_empty());
        assert_eq!(fixes("ftp://app.example.com"), ["https://app.example.com"]);
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
