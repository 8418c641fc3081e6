//! Why a browser blocks a response, with the console message Chromium prints for each reason
//! (the strings of Chromium's `cors_error_string.cc`; script only ever sees a `TypeError`).

use std::fmt;

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
    /// `Access-Control-Allow-Methods` is not a comma-separated list of tokens.
    AllowMethodsUnparsable,
    /// `Access-Control-Allow-Headers` is not a comma-separated list of tokens.
    AllowHeadersUnparsable,
    /// The preflight did not allow the request's method.
    MethodNotAllowed(String),
    /// The preflight did not allow this request header (lowercase).
    HeaderNotAllowed(String),
}

/// A blocked `fetch`: it rejects with `TypeError`, and the console says [`Blocked::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// The request URL as the console prints it.
    pub url: String,
    /// The page's origin.
    pub origin: String,
    pub reason: Reason,
}

impl Blocked {
    /// The console message, as Chromium words it.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Access to fetch at '{}' from origin '{}' has been blocked by CORS policy: ", self.url, self.origin)?;
        match &self.reason {
            Reason::Check(failure) => write_check(f, failure),
            Reason::PreflightCheck(failure) => {
                f.write_str(PREFLIGHT)?;
                write_check(f, failure)
            }
            Reason::PreflightStatus(_) => write!(f, "{PREFLIGHT}It does not have HTTP ok status."),
            Reason::PreflightRedirect => write!(f, "{PREFLIGHT}Redirect is not allowed for a preflight request."),
            Reason::AllowMethodsUnparsable => {
                f.write_str("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")
            }
            Reason::AllowHeadersUnparsable => {
                f.write_str("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")
            }
            Reason::MethodNotAllowed(method) => {
                write!(f, "Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.")
            }
            Reason::HeaderNotAllowed(name) => write!(
                f,
                "Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."
            ),
        }
    }
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
        Blocked { url: "http://127.0.0.1:3000/orders".into(), origin: "http://localhost:5173".into(), reason }.message()
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
}
