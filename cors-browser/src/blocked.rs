//! Why a browser blocks a response, with the console message each engine prints for it (script
//! only ever sees a `TypeError`): Chromium's strings from its `cors_error_string.cc`, Firefox's
//! from its `security.properties`. The browser suites compare them with what the browsers log.

use std::fmt;

use super::engine::Engine;

/// A failed CORS check: the response's `Access-Control-Allow-Origin` and
/// `Access-Control-Allow-Credentials` do not let this origin read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckFailure {
    /// No `Access-Control-Allow-Origin` at all.
    MissingAllowOrigin,
    /// `*` on a request with `credentials: "include"`.
    WildcardWithCredentials,
    /// More than one value (repeated headers are joined with `, `).
    MultipleAllowOrigins(String),
    /// Not an origin at all.
    InvalidAllowOrigin(String),
    /// An origin, but not the page's (compared byte for byte).
    AllowOriginMismatch(String),
    /// Credentialed request, and `Access-Control-Allow-Credentials` is not exactly `true`
    /// (the value, empty when absent).
    AllowCredentialsNotTrue(String),
}

/// Why the browser blocked a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The CORS check failed on the actual response.
    Check(CheckFailure),
    /// The CORS check failed on the preflight response.
    PreflightCheck(CheckFailure),
    /// The preflight response's status was not 2xx.
    PreflightStatus(u16),
    /// The preflight response was a redirect.
    PreflightRedirect,
    /// `Access-Control-Allow-Methods` is not a comma-separated list of tokens (the first
    /// element that is not one).
    AllowMethodsUnparsable(String),
    /// `Access-Control-Allow-Headers` is not a comma-separated list of tokens (the first
    /// element that is not one).
    AllowHeadersUnparsable(String),
    /// The preflight did not allow the request's method.
    MethodNotAllowed(String),
    /// The preflight did not allow this request header (lowercase).
    HeaderNotAllowed(String),
    /// More than [`REDIRECT_LIMIT`](super::REDIRECT_LIMIT) redirects: a network error, not a
    /// CORS failure, but script sees the same `TypeError`.
    TooManyRedirects,
    /// A redirect to a location `fetch` does not follow (not `http(s)`, or with userinfo): a
    /// network error too. Holds the `Location` as sent.
    RedirectNotFollowed(String),
}

/// A blocked `fetch`: it rejects with `TypeError`, and the console says [`Blocked::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// The URL of the response that failed (after redirects, the last one), as the console
    /// prints it.
    pub url: String,
    /// The page's origin.
    pub origin: String,
    /// Which check failed.
    pub reason: Reason,
    /// The status of the response that failed (the preflight's, for preflight failures).
    pub status: u16,
    /// The URL script fetched, when the failure came after a redirect.
    pub redirected_from: Option<String>,
    /// The engine whose console [`message`](Blocked::message) reports it.
    pub engine: Engine,
}

impl Blocked {
    /// The console message of [`engine`](Blocked::engine) (Chromium's wording for the standard,
    /// which has none of its own).
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The console message as `engine` words it.
    pub fn message_in(&self, engine: Engine) -> String {
        match engine {
            Engine::Standard | Engine::Chromium => ChromiumMessage(self).to_string(),
            Engine::Firefox => firefox_message(self),
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_in(self.engine))
    }
}

struct ChromiumMessage<'a>(&'a Blocked);

impl fmt::Display for ChromiumMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let blocked = self.0;
        // Network errors: DevTools' network log names them; Chromium's console logs nothing.
        match blocked.reason {
            Reason::TooManyRedirects => return write!(f, "GET {} net::ERR_TOO_MANY_REDIRECTS", blocked.url),
            Reason::RedirectNotFollowed(_) => return write!(f, "GET {} net::ERR_UNSAFE_REDIRECT", blocked.url),
            _ => {}
        }
        write!(f, "Access to fetch at '{}' ", blocked.url)?;
        if let Some(from) = &blocked.redirected_from {
            write!(f, "(redirected from '{from}') ")?;
        }
        write!(f, "from origin '{}' has been blocked by CORS policy: ", blocked.origin)?;
        match &blocked.reason {
            Reason::Check(failure) => write_check(f, failure),
            Reason::PreflightCheck(failure) => {
                f.write_str(PREFLIGHT)?;
                write_check(f, failure)
            }
            Reason::PreflightStatus(_) => write!(f, "{PREFLIGHT}It does not have HTTP ok status."),
            Reason::PreflightRedirect => write!(f, "{PREFLIGHT}Redirect is not allowed for a preflight request."),
            Reason::AllowMethodsUnparsable(_) => {
                f.write_str("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")
            }
            Reason::AllowHeadersUnparsable(_) => {
                f.write_str("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")
            }
            Reason::MethodNotAllowed(method) => {
                write!(f, "Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.")
            }
            Reason::HeaderNotAllowed(name) => write!(
                f,
                "Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."
            ),
            Reason::TooManyRedirects | Reason::RedirectNotFollowed(_) => unreachable!("written above"),
        }
    }
}

/// Firefox's `security.properties` strings for CORS failures (`%1$S`, `%2$S` are the
/// parameters), by key.
const FIREFOX_STRINGS: [(&str, &str); 11] = [
    ("CORSMissingAllowOrigin2", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: %2$S."),
    ("CORSAllowOriginNotMatchingOrigin", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘%2$S’)."),
    ("CORSNotSupportingCredentials", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘%1$S’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."),
    ("CORSMethodNotFound", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’)."),
    ("CORSMissingAllowCredentials", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."),
    ("CORSPreflightDidNotSucceed3", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS preflight response did not succeed). Status code: %2$S."),
    ("CORSInvalidAllowMethod", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Methods’)."),
    ("CORSInvalidAllowHeader", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Headers’)."),
    ("CORSMissingAllowHeaderFromPreflight2", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: header ‘%2$S’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)."),
    ("CORSExternalRedirectNotAllowed", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request external redirect not allowed)."),
    ("CORSDidNotSucceed2", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request did not succeed). Status code: %2$S."),
];

/// Firefox's message for `blocked`: the `security.properties` string for its reason, filled in.
fn firefox_message(blocked: &Blocked) -> String {
    let status = blocked.status.to_string();
    let (key, second) = match &blocked.reason {
        Reason::Check(failure) | Reason::PreflightCheck(failure) => match failure {
            CheckFailure::MissingAllowOrigin => ("CORSMissingAllowOrigin2", status.as_str()),
            CheckFailure::WildcardWithCredentials => ("CORSNotSupportingCredentials", ""),
            // Firefox compares the joined value, whatever it holds.
            CheckFailure::MultipleAllowOrigins(value)
            | CheckFailure::InvalidAllowOrigin(value)
            | CheckFailure::AllowOriginMismatch(value) => ("CORSAllowOriginNotMatchingOrigin", value.as_str()),
            CheckFailure::AllowCredentialsNotTrue(_) => ("CORSMissingAllowCredentials", ""),
        },
        Reason::PreflightStatus(_) => ("CORSPreflightDidNotSucceed3", status.as_str()),
        Reason::PreflightRedirect => ("CORSExternalRedirectNotAllowed", ""),
        Reason::AllowMethodsUnparsable(token) => ("CORSInvalidAllowMethod", token.as_str()),
        Reason::AllowHeadersUnparsable(token) => ("CORSInvalidAllowHeader", token.as_str()),
        Reason::MethodNotAllowed(_) => ("CORSMethodNotFound", ""),
        Reason::HeaderNotAllowed(name) => ("CORSMissingAllowHeaderFromPreflight2", name.as_str()),
        Reason::TooManyRedirects | Reason::RedirectNotFollowed(_) => ("CORSDidNotSucceed2", "(null)"),
    };
    let template = FIREFOX_STRINGS.iter().find(|(k, _)| *k == key).map(|(_, text)| *text).expect("every key is listed");
    template.replace("%1$S", &blocked.url).replace("%2$S", second)
}

const PREFLIGHT: &str = "Response to preflight request doesn't pass access control check: ";

/// Chromium's advice after the messages about a present but wrong `Access-Control-Allow-Origin`.
const NO_CORS_ADVICE: &str = " Have the server send the header with a valid value.";

fn write_check(f: &mut fmt::Formatter<'_>, failure: &CheckFailure) -> fmt::Result {
    match failure {
        CheckFailure::MissingAllowOrigin => {
            f.write_str("No 'Access-Control-Allow-Origin' header is present on the requested resource.")
        }
        CheckFailure::WildcardWithCredentials => f.write_str(
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' \
             when the request's credentials mode is 'include'.",
        ),
        CheckFailure::MultipleAllowOrigins(value) => write!(
            f,
            "The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed.{NO_CORS_ADVICE}"
        ),
        CheckFailure::InvalidAllowOrigin(value) => {
            write!(f, "The 'Access-Control-Allow-Origin' header contains the invalid value '{value}'.{NO_CORS_ADVICE}")
        }
        CheckFailure::AllowOriginMismatch(value) => write!(
            f,
            "The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin.{NO_CORS_ADVICE}"
        ),
        CheckFailure::AllowCredentialsNotTrue(value) => write!(
            f,
            "The value of the 'Access-Control-Allow-Credentials' header in the response is '{value}' which must be \
             'true' when the request's credentials mode is 'include'."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(reason: Reason) -> String {
        blocked(reason).message()
    }

    fn blocked(reason: Reason) -> Blocked {
        Blocked {
            url: "http://127.0.0.1:3000/orders".into(),
            origin: "http://localhost:5173".into(),
            reason,
            status: 403,
            redirected_from: None,
            engine: Engine::Standard,
        }
    }

    #[test]
    fn messages_read_like_chromium_console() {
        const HEAD: &str =
            "Access to fetch at 'http://127.0.0.1:3000/orders' from origin 'http://localhost:5173' has been blocked by CORS policy: ";
        let cases = [
            (Reason::Check(CheckFailure::MissingAllowOrigin), "No 'Access-Control-Allow-Origin' header is present on the requested resource."),
            (
                Reason::PreflightCheck(CheckFailure::MissingAllowOrigin),
                "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            (Reason::PreflightStatus(500), "Response to preflight request doesn't pass access control check: It does not have HTTP ok status."),
            (Reason::MethodNotAllowed("PATCH".into()), "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response."),
            (
                Reason::HeaderNotAllowed("x-custom".into()),
                "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.",
            ),
            (
                Reason::Check(CheckFailure::AllowCredentialsNotTrue(String::new())),
                "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
            ),
        ];
        for (reason, tail) in cases {
            assert_eq!(message(reason), format!("{HEAD}{tail}"));
        }
    }

    #[test]
    fn firefox_messages_fill_in_firefox_strings() {
        const HEAD: &str =
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ";
        let cases = [
            (
                Reason::Check(CheckFailure::MissingAllowOrigin),
                "http://127.0.0.1:3000/orders. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.",
            ),
            (
                Reason::Check(CheckFailure::WildcardWithCredentials),
                "‘http://127.0.0.1:3000/orders’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
            ),
            (
                Reason::Check(CheckFailure::AllowOriginMismatch("http://localhost:5174".into())),
                "http://127.0.0.1:3000/orders. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://localhost:5174’).",
            ),
            (
                Reason::HeaderNotAllowed("x-custom".into()),
                "http://127.0.0.1:3000/orders. (Reason: header ‘x-custom’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
            ),
            (
                Reason::AllowMethodsUnparsable("Bad method".into()),
                "http://127.0.0.1:3000/orders. (Reason: invalid token ‘Bad method’ in CORS header ‘Access-Control-Allow-Methods’).",
            ),
        ];
        for (reason, tail) in cases {
            let blocked = Blocked { engine: Engine::Firefox, ..blocked(reason) };
            assert_eq!(blocked.message(), format!("{HEAD}{tail}"));
            assert!(blocked.message_in(Engine::Chromium).starts_with("Access to fetch at"));
        }
    }

    #[test]
    fn chromium_names_the_url_a_redirect_came_from() {
        let blocked = Blocked {
            redirected_from: Some("http://127.0.0.1:3000/start".into()),
            ..blocked(Reason::Check(CheckFailure::MissingAllowOrigin))
        };
        assert_eq!(
            blocked.message(),
            "Access to fetch at 'http://127.0.0.1:3000/orders' (redirected from 'http://127.0.0.1:3000/start') from \
             origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is \
             present on the requested resource."
        );
    }
}
