//! The request as script writes it (`fetch(url, { method, headers, body, credentials })`) from
//! a page on some origin, normalised the way `fetch` normalises it.

use http::{HeaderName, HeaderValue, Method};

use super::engine::{Engine, Quirk};
use super::safelist::{is_safelisted_client_hint, is_safelisted_method, is_safelisted_request_header, unsafe_names_by};

/// `fetch`'s `credentials` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    /// Never send or accept cookies.
    Omit,
    /// `fetch`'s default: cookies only for same-origin URLs, so a cross-origin request is
    /// checked as if it were `Omit`.
    #[default]
    SameOrigin,
    /// Cookies on cross-origin requests too: the response must name the origin exactly and
    /// say `Access-Control-Allow-Credentials: true`.
    Include,
}

impl Credentials {
    pub(crate) fn include(self) -> bool {
        self == Credentials::Include
    }
}

/// A `fetch()` call from a page: build it like the script would, then ask whether it needs a
/// preflight, or [`send`](Fetch::send) it through a service.
///
/// ```
/// use cors_browser::{Credentials, Fetch};
///
/// let fetch = Fetch::new("https://app.example.com", "PUT", "https://api.example.com/orders/7")
///     .header("Content-Type", "application/json")
///     .header("X-Request-Id", "42")
///     .credentials(Credentials::Include);
/// assert!(fetch.needs_preflight());
/// assert_eq!(fetch.access_control_request_headers().as_deref(), Some("content-type,x-request-id"));
/// ```
#[derive(Debug, Clone)]
pub struct Fetch {
    pub(crate) origin: String,
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// The request's header list: one entry per `append`, forbidden names already dropped.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<String>,
    pub(crate) credentials: Credentials,
    pub(crate) engine: Engine,
}

/// An absolute `http(s)` URL split into what a request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    /// `scheme://host[:port]`, lowercase, without a default port.
    pub(crate) origin: String,
    /// `host[:port]` as the `Host` header carries it.
    pub(crate) authority: String,
    /// Path and query, at least `/`.
    pub(crate) path_and_query: String,
}

impl Url {
    /// Panics on anything but an absolute `http://` or `https://` URL, naming the input (what
    /// `fetch` throws a `TypeError` for).
    fn parse(url: &str) -> Url {
        Url::try_parse(url).unwrap_or_else(|problem| panic!("{problem}"))
    }

    /// An absolute `http://` or `https://` URL without userinfo, or what is wrong with it.
    fn try_parse(url: &str) -> Result<Url, String> {
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(format!("fetch URL `{url}` must be absolute, e.g. `https://api.example.com/orders`"));
        };
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => ":80",
            "https" => ":443",
            _ => return Err(format!("fetch URL `{url}`: CORS applies to http and https URLs only")),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest[..end].to_ascii_lowercase();
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("fetch URL `{url}` needs a host and no userinfo"));
        }
        let authority = authority.strip_suffix(default_port).unwrap_or(&authority).to_string();
        let path_and_query = rest[end..].split('#').next().unwrap_or_default();
        let path_and_query = match path_and_query {
            "" => "/".to_string(),
            query if query.starts_with('?') => format!("/{query}"),
            path => path.to_string(),
        };
        Ok(Url { origin: format!("{scheme}://{authority}"), authority, path_and_query })
    }

    /// The URL as browsers print it in console messages.
    pub(crate) fn serialized(&self) -> String {
        format!("{}{}", self.origin, self.path_and_query)
    }

    /// A redirect's `Location`, resolved against this URL the way the URL parser resolves it
    /// (absolute, scheme-relative `//host/...`, path-absolute `/...`, `?query`, or relative to
    /// this path's directory). A location `fetch` cannot follow (not `http(s)`, or with userinfo)
    /// is an error: a network error in `fetch`.
    pub(crate) fn join(&self, location: &str) -> Result<Url, String> {
        let scheme = &self.origin[..self.origin.find("://").expect("an origin has a scheme")];
        let path = self.path_and_query.split('?').next().unwrap_or("/");
        // `scheme:` makes a URL absolute, with or without `//` (`mailto:x`).
        let has_scheme = location.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        let absolute = if has_scheme {
            location.to_string()
        } else if location.starts_with("//") {
            format!("{scheme}:{location}")
        } else if location.starts_with('/') {
            format!("{}{location}", self.origin)
        } else if location.starts_with('?') || location.is_empty() {
            format!("{}{path}{location}", self.origin)
        } else {
            let directory = &path[..=path.rfind('/').unwrap_or(0)];
            format!("{}{directory}{location}", self.origin)
        };
        Url::try_parse(&absolute)
    }
}

/// The methods `fetch` uppercases; any other method is sent exactly as written.
const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

impl Fetch {
    /// `fetch(url, { method })` from a page whose origin is `origin` (serialized, e.g.
    /// `http://localhost:5173`).
    ///
    /// Panics where `fetch` itself would throw a `TypeError`: a method that is not a token or
    /// is `CONNECT`, `TRACE` or `TRACK`, or a URL that is not absolute `http(s)`.
    pub fn new(origin: &str, method: &str, url: &str) -> Fetch {
        let normalized = NORMALIZED_METHODS.into_iter().find(|m| m.eq_ignore_ascii_case(method)).unwrap_or(method);
        assert!(
            !["CONNECT", "TRACE", "TRACK"].iter().any(|m| m.eq_ignore_ascii_case(method)),
            "fetch() throws TypeError: '{method}' HTTP method is unsupported"
        );
        let method = Method::from_bytes(normalized.as_bytes())
            .unwrap_or_else(|_| panic!("fetch() throws TypeError: '{method}' is not a valid HTTP method"));
        Fetch {
            origin: origin.to_string(),
            method,
            url: Url::parse(url),
            headers: Vec::new(),
            body: None,
            credentials: Credentials::default(),
            engine: Engine::default(),
        }
    }

    /// `fetch(url)`: a `GET`.
    pub fn get(origin: &str, url: &str) -> Fetch {
        Fetch::new(origin, "GET", url)
    }

    /// `headers.append(name, value)`. Leading and trailing whitespace is stripped from the
    /// value; a forbidden request header (`Cookie`, `Origin`, `Sec-*`, ...) is silently
    /// dropped, as browsers drop it. Panics on an invalid name or value (`fetch` throws).
    pub fn header(mut self, name: &str, value: &str) -> Fetch {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("fetch() throws TypeError: invalid header name `{name}`"));
        let trimmed = value.trim_matches(['\t', '\n', '\r', ' ']);
        let value = HeaderValue::from_str(trimmed)
            .unwrap_or_else(|_| panic!("fetch() throws TypeError: invalid value for header `{name}`"));
        if !is_forbidden_request_header(&name, &value) {
            self.headers.push((name, value));
        }
        self
    }

    /// A string body. Like `fetch`, sets `Content-Type: text/plain;charset=UTF-8` unless the
    /// script set a `Content-Type`.
    pub fn body(mut self, body: &str) -> Fetch {
        self.body = Some(body.to_string());
        self
    }

    /// `fetch`'s `credentials` option (default [`Credentials::SameOrigin`]).
    pub fn credentials(mut self, credentials: Credentials) -> Fetch {
        self.credentials = credentials;
        self
    }

    /// Which browser to model (default [`Engine::Standard`]): where an engine departs from the
    /// standard ([`Engine::differences`]), the outcome and the console message are that
    /// engine's.
    pub fn engine(mut self, engine: Engine) -> Fetch {
        self.engine = engine;
        self
    }

    /// The method as it goes on the wire (`delete` becomes `DELETE`; `patch` stays `patch`).
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Whether the URL's origin differs from the page's, so CORS applies at all.
    pub fn is_cross_origin(&self) -> bool {
        self.url.origin != self.origin
    }

    /// The request's header list as the network sees it: the script's headers, the
    /// `Content-Type` a string body implies, and `Accept: */*` unless the script set one.
    pub fn header_list(&self) -> Vec<(HeaderName, HeaderValue)> {
        let mut list = self.headers.clone();
        let has = |list: &[(HeaderName, HeaderValue)], name: &HeaderName| list.iter().any(|(n, _)| n == name);
        if self.body.is_some() && !has(&list, &http::header::CONTENT_TYPE) {
            list.push((http::header::CONTENT_TYPE, HeaderValue::from_static("text/plain;charset=UTF-8")));
        }
        if !has(&list, &http::header::ACCEPT) {
            list.push((http::header::ACCEPT, HeaderValue::from_static("*/*")));
        }
        list
    }

    /// Fetch's "CORS-unsafe request-header names" of this request, as the engine judges them.
    pub fn unsafe_header_names(&self) -> Vec<String> {
        let mut list = self.header_list();
        if self.engine.has(Quirk::JoinedHeaderValues) {
            list = joined(&list);
        }
        let client_hints = self.engine.has(Quirk::ClientHintHeaders);
        unsafe_names_by(list.iter().map(|(n, v)| (n.as_str().as_bytes(), v.as_bytes())), |name, value| {
            is_safelisted_request_header(name, value) || client_hints && is_safelisted_client_hint(name, value)
        })
    }

    /// Whether a browser sends a preflight first: a cross-origin request whose method is not
    /// `GET`/`HEAD`/`POST` or that carries a header that is not CORS-safelisted.
    pub fn needs_preflight(&self) -> bool {
        self.is_cross_origin()
            && (!is_safelisted_method(self.method.as_str().as_bytes()) || !self.unsafe_header_names().is_empty())
    }

    /// The preflight's `Access-Control-Request-Headers`: the unsafe names joined with `,`
    /// (no space), or `None` when there are none.
    pub fn access_control_request_headers(&self) -> Option<String> {
        let names = self.unsafe_header_names();
        (!names.is_empty()).then(|| names.join(","))
    }
}

/// One entry per name, the values of a repeated name joined with `, ` in the order appended:
/// the header list as it goes on the wire.
pub(crate) fn joined(list: &[(HeaderName, HeaderValue)]) -> Vec<(HeaderName, HeaderValue)> {
    let mut joined: Vec<(HeaderName, HeaderValue)> = Vec::new();
    for (name, _) in list {
        if joined.iter().any(|(n, _)| n == name) {
            continue;
        }
        let values: Vec<&[u8]> = list.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_bytes()).collect();
        let value = HeaderValue::from_bytes(&values.join(&b", "[..])).expect("joined header values stay valid");
        joined.push((name.clone(), value));
    }
    joined
}

/// Fetch's "forbidden request-header": the names from `cors_rules`, and the method-override
/// headers when they name a forbidden method.
fn is_forbidden_request_header(name: &HeaderName, value: &HeaderValue) -> bool {
    if cors_rules::is_forbidden_request_header(name.as_str()) {
        return true;
    }
    matches!(name.as_str(), "x-http-method" | "x-http-method-override" | "x-method-override")
        && value.as_bytes().split(|&b| b == b',').any(|method| {
            let method = method.trim_ascii();
            [&b"CONNECT"[..], b"TRACE", b"TRACK"].iter().any(|m| m.eq_ignore_ascii_case(method))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://app.example.com";

    #[test]
    fn fetch_uppercases_only_the_common_methods() {
        assert_eq!(Fetch::new(PAGE, "delete", "https://api.example/").method(), "DELETE");
        assert_eq!(Fetch::new(PAGE, "patch", "https://api.example/").method().as_str(), "patch");
        assert!(Fetch::new(PAGE, "patch", "https://api.example/").needs_preflight());
        assert!(!Fetch::new(PAGE, "post", "https://api.example/").needs_preflight());
    }

    #[test]
    #[should_panic(expected = "'trace' HTTP method is unsupported")]
    fn forbidden_methods_throw() {
        Fetch::new(PAGE, "trace", "https://api.example/");
    }

    #[test]
    fn urls_normalise_like_the_url_parser() {
        let url = Url::parse("HTTPS://API.Example.com:443?x=1#frag");
        assert_eq!(url.join("http://other.example:8080/a").unwrap().serialized(), "http://other.example:8080/a");
        assert_eq!(url.join("//cdn.example/b?c").unwrap().serialized(), "https://cdn.example/b?c");
        assert!(url.join("ftp://files.example/a").is_err());
        assert!(url.join("https://user:secret@api.example.com/").is_err());
        let nested = Url::parse("http://127.0.0.1:3000/a/b?q");
        assert_eq!(nested.join("/root").unwrap().serialized(), "http://127.0.0.1:3000/root");
        assert_eq!(nested.join("sibling?x").unwrap().serialized(), "http://127.0.0.1:3000/a/sibling?x");
        assert_eq!(nested.join("?other").unwrap().serialized(), "http://127.0.0.1:3000/a/b?other");
        assert_eq!(url.origin, "https://api.example.com");
        assert_eq!(url.serialized(), "https://api.example.com/?x=1");
        assert_eq!(Url::parse("http://127.0.0.1:3000/a/b").authority, "127.0.0.1:3000");
    }

    #[test]
    fn same_origin_requests_never_preflight() {
        let fetch = Fetch::new(PAGE, "PUT", "https://app.example.com/x").header("x-custom", "1");
        assert!(!fetch.is_cross_origin() && !fetch.needs_preflight());
    }

    #[test]
    fn forbidden_headers_are_dropped_silently() {
        let fetch = Fetch::get(PAGE, "https://api.example/")
            .header("Cookie", "a=b")
            .header("Sec-Fetch-Mode", "no-cors")
            .header("X-HTTP-Method-Override", "trace")
            .header("X-HTTP-Method-Override", "PUT");
        assert_eq!(fetch.access_control_request_headers().as_deref(), Some("x-http-method-override"));
    }

    #[test]
    fn engines_judge_request_headers_as_recorded() {
        let two_accepts = Fetch::get(PAGE, "https://api.example/")
            .header("Accept", &"x".repeat(100))
            .header("Accept", &"y".repeat(100));
        let client_hint = Fetch::get(PAGE, "https://api.example/").header("DPR", "2");
        let preflights = |fetch: &Fetch| Engine::ALL.map(|engine| fetch.clone().engine(engine).needs_preflight());
        // [standard, Chromium, Firefox]
        assert_eq!(preflights(&two_accepts), [false, true, false]);
        assert_eq!(preflights(&client_hint), [true, false, true]);
        assert_eq!(preflights(&Fetch::get(PAGE, "https://api.example/").header("DPR", "two")), [true; 3]);
    }

    #[test]
    fn a_string_body_is_text_plain_and_needs_no_preflight() {
        let fetch = Fetch::new(PAGE, "POST", "https://api.example/orders").body("{}");
        assert!(!fetch.needs_preflight());
        let json = fetch.header("content-type", " application/json ");
        assert_eq!(json.access_control_request_headers().as_deref(), Some("content-type"));
    }
}
