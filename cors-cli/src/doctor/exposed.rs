//! The field guide's checklist item 7, "Are required headers exposed?": of the response headers
//! the page needs (the route's `expose`, or `--expose NAME`), those script cannot read from the
//! answer it got, decided as Fetch decides it.

use cors_browser::{header_list_values, is_forbidden_response_header, is_safelisted_response_header};
use http::header::ACCESS_CONTROL_EXPOSE_HEADERS;

use super::exchange::header_text;
use super::kinds::{finding, Finding, Kind};
use super::probes::{Attempt, Verdict};

/// The needed headers the page's script cannot read, as one finding; nothing when the call is
/// blocked (that is reported first) or every name is readable.
pub fn unreadable_exposed(page: &Attempt, credentials: bool, needed: &[String]) -> Option<Finding> {
    let actual = page.actual.as_ref().filter(|_| matches!(page.verdict, Verdict::Readable { .. }))?;
    let headers = &actual.response_headers;
    let listed = header_list_values(headers, &ACCESS_CONTROL_EXPOSE_HEADERS);
    let exposed = listed.clone().ok().flatten().unwrap_or_default();
    // `*` exposes everything only without credentials; with them it is a header named `*`.
    let everything = !credentials && exposed.iter().any(|name| name == "*");
    let unreadable: Vec<&str> = needed
        .iter()
        .map(String::as_str)
        .filter(|name| {
            !(is_safelisted_response_header(name, &exposed) || everything && !is_forbidden_response_header(name))
        })
        .collect();
    if unreadable.is_empty() {
        return None;
    }
    let said = header_text(headers, &ACCESS_CONTROL_EXPOSE_HEADERS);
    let answer = format!("the answer to `{} {}` ({})", actual.method, actual.target, actual.status.as_u16());
    let why = match listed {
        Ok(None) => format!("{answer} has no Access-Control-Expose-Headers"),
        Err(_) => format!("{answer} has an Access-Control-Expose-Headers that does not parse (`{said}`)"),
        Ok(Some(_)) if credentials && exposed.iter().any(|name| name == "*") => {
            format!("{answer} says `Access-Control-Expose-Headers: {said}`, and with credentials `*` is a literal name")
        }
        Ok(Some(_)) => format!("{answer} says `Access-Control-Expose-Headers: {said}`"),
    };
    Some(finding(Kind::ExposedHeaderUnreadable, format!("{why}: script cannot read {}", unreadable.join(", "))))
}
