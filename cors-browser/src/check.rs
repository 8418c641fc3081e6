//! Fetch's "CORS check": may this origin read this response?

use http::header::{ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN};
use http::{HeaderMap, HeaderName};

use super::blocked::CheckFailure;
use super::request::Credentials;

/// Fetch's "get" on a header list: every value of `name` joined with `, `, as a browser sees a
/// repeated header. Surrounding spaces and tabs are dropped, as HTTP parsing drops them.
pub(crate) fn combined(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim_matches([' ', '\t']).to_string())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// The CORS check for a response to a request from `origin`: `Access-Control-Allow-Origin`
/// must be byte-for-byte the origin, or `*` when credentials are not included; with
/// `credentials: "include"`, `Access-Control-Allow-Credentials` must be exactly `true`.
///
/// Failures are classified the way Chromium words them.
pub fn cors_check(origin: &str, credentials: Credentials, response: &HeaderMap) -> Result<(), CheckFailure> {
    let allow_origin = combined(response, &ACCESS_CONTROL_ALLOW_ORIGIN).ok_or(CheckFailure::MissingAllowOrigin)?;
    if allow_origin == "*" {
        if credentials.include() {
            return Err(CheckFailure::WildcardWithCredentials);
        }
        return Ok(());
    }
    if allow_origin != origin {
        return Err(if allow_origin.contains([' ', ',']) {
            CheckFailure::MultipleAllowOrigins(allow_origin)
        } else if allow_origin != "null" && !looks_like_url(&allow_origin) {
            CheckFailure::InvalidAllowOrigin(allow_origin)
        } else {
            CheckFailure::AllowOriginMismatch(allow_origin)
        });
    }
    if credentials.include() {
        match combined(response, &ACCESS_CONTROL_ALLOW_CREDENTIALS) {
            Some(value) if value == "true" => {}
            value => return Err(CheckFailure::AllowCredentialsNotTrue(value.unwrap_or_default())),
        }
    }
    Ok(())
}

/// Roughly what Chromium's URL parser accepts, to tell a wrong origin from garbage: a scheme,
/// `:`, and for `http(s)` a host after `//`.
fn looks_like_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let special = ["http", "https", "ws", "wss", "ftp"].iter().any(|s| s.eq_ignore_ascii_case(scheme));
    scheme_ok && (!special || !rest.trim_start_matches(['/', '\\']).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn check(
        allow_origin: &[&'static str],
        credentials: Credentials,
        allow_credentials: Option<&'static str>,
    ) -> Result<(), CheckFailure> {
        let mut headers = HeaderMap::new();
        for value in allow_origin {
            headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static(value));
        }
        if let Some(value) = allow_credentials {
            headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static(value));
        }
        cors_check("https://app.example", credentials, &headers)
    }

    #[test]
    fn classifies_like_chromium() {
        use CheckFailure::*;
        use Credentials::*;
        assert_eq!(check(&[], Omit, None), Err(MissingAllowOrigin));
        assert_eq!(check(&["*"], Omit, None), Ok(()));
        assert_eq!(check(&["*"], Include, Some("true")), Err(WildcardWithCredentials));
        assert_eq!(check(&["https://app.example"], Include, Some("true")), Ok(()));
        assert_eq!(check(&["https://app.example"], Include, None), Err(AllowCredentialsNotTrue(String::new())));
        assert_eq!(
            check(&["https://app.example", "https://app.example"], Omit, None),
            Err(MultipleAllowOrigins("https://app.example, https://app.example".into()))
        );
        assert_eq!(
            check(&["https://other.example"], Omit, None),
            Err(AllowOriginMismatch("https://other.example".into()))
        );
        assert_eq!(check(&["null"], Omit, None), Err(AllowOriginMismatch("null".into())));
        assert_eq!(check(&["-"], Omit, None), Err(InvalidAllowOrigin("-".into())));
        assert_eq!(check(&["https://"], Omit, None), Err(InvalidAllowOrigin("https://".into())));
    }
}
