//! The field guide's cookie rule: a credentialed call from another site only carries the cookies
//! that say `SameSite=None; Secure`. A cookie the answer sets without them is kept out of the
//! next cross-site request (browsers treat a missing `SameSite` as `Lax`), so the session the
//! page thinks it has never arrives.

use http::header::SET_COOKIE;

use super::input::Call;
use super::kinds::{finding, Finding, Kind};
use super::probes::Attempt;

/// The cookies the page's credentialed, cross-site call was given that its browser will not send
/// back, as one finding (their names and attributes, never their values).
pub fn cookies_not_sent_back(page: &Attempt, call: &Call) -> Option<Finding> {
    let actual = page.actual.as_ref().filter(|_| call.credentials && cross_site(&page.origin, &call.url))?;
    let refused: Vec<String> = actual
        .response_headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| {
            let text = String::from_utf8_lossy(value.as_bytes());
            let (name, attributes) = parse(&text);
            (!sent_cross_site(&attributes)).then(|| {
                let attributes: Vec<String> = attributes.iter().map(|(k, v)| attribute(k, v)).collect();
                format!("`{name}` (`{}`)", attributes.join("; "))
            })
        })
        .collect();
    (!refused.is_empty()).then(|| {
        finding(
            Kind::CookieNotSentBack,
            format!(
                "the answer to `{} {}` sets {} without `SameSite=None; Secure`: the page on {} is another site, \
                 so the browser will not send {} back",
                actual.method,
                actual.target,
                refused.join(", "),
                page.origin,
                if refused.len() == 1 { "that cookie" } else { "those cookies" }
            ),
        )
    })
}

fn attribute(key: &str, value: &Option<String>) -> String {
    match value {
        Some(value) => format!("{key}={value}"),
        None => key.to_string(),
    }
}

/// A `Set-Cookie` value's cookie name and its attributes (`Path=/`, `Secure`, ...), as written.
fn parse(set_cookie: &str) -> (String, Vec<(String, Option<String>)>) {
    let mut parts = set_cookie.split(';');
    let pair = parts.next().unwrap_or_default();
    let name = pair.split_once('=').map_or(pair, |(name, _)| name).trim().to_string();
    let attributes = parts
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, value)) => (key.trim().to_string(), Some(value.trim().to_string())),
            None => (part.to_string(), None),
        })
        .collect();
    (name, attributes)
}

/// `SameSite=None` and `Secure`, both (browsers refuse `SameSite=None` without `Secure`).
fn sent_cross_site(attributes: &[(String, Option<String>)]) -> bool {
    let has = |key: &str| attributes.iter().any(|(k, _)| k.eq_ignore_ascii_case(key));
    let none = attributes.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("samesite") && v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("none"))
    });
    none && has("secure")
}

/// Whether a page on `origin` is another site than `url` (schemeful: `http` and `https` are
/// different sites; a site is the registrable domain by the Public Suffix List, or the host
/// itself for IP addresses and names without one, such as `localhost`). `null` is every other site.
pub fn cross_site(origin: &str, url: &str) -> bool {
    match (site(origin), site(url)) {
        (Some(page), Some(server)) => page != server,
        _ => true,
    }
}

fn site(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    let host = host.to_ascii_lowercase();
    let ip = host.parse::<std::net::IpAddr>().is_ok();
    let domain = if ip { None } else { psl::domain_str(&host).map(str::to_string) };
    Some((scheme.to_ascii_lowercase(), domain.unwrap_or(host)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_are_schemeful_registrable_domains() {
        assert!(!cross_site("https://app.example.com", "https://api.example.com/orders"));
        assert!(cross_site("http://app.example.com", "https://api.example.com/orders"));
        assert!(cross_site("https://app.example.com", "https://api.example.net/"));
        assert!(cross_site("https://a.github.io", "https://b.github.io/"), "github.io is a public suffix");
        assert!(!cross_site("http://localhost:5173", "http://localhost:3000/api"));
        assert!(cross_site("http://localhost:5173", "http://127.0.0.1:3000/api"));
        assert!(cross_site("null", "http://127.0.0.1/"));
        assert!(!cross_site("http://[::1]:1", "http://[::1]:2/"));
    }

    #[test]
    fn only_samesite_none_and_secure_go_cross_site() {
        let sent = |value: &str| sent_cross_site(&parse(value).1);
        assert!(sent("sid=1; Path=/; HttpOnly; Secure; SameSite=None"));
        assert!(sent("sid=1; secure; samesite=none"));
        assert!(!sent("sid=1; SameSite=None"));
        assert!(!sent("sid=1; Secure"));
        assert!(!sent("sid=1; Secure; SameSite=Lax"));
        assert_eq!(parse(" sid = a=b ; Path=/ ; HttpOnly").0, "sid");
    }
}
