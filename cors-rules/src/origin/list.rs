//! A whole allowlist: the rules only a list shows (duplicates, `*` beside other entries, what
//! `credentials` rules out), and lists written as one string (`env(...)` values).

use std::collections::HashSet;

use super::error::{OriginError, OriginErrorKind};
use super::host::{is_loopback_host, origin_host};
use super::parse::{fix_for, parse_origin, OriginEntry};

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
    let check = |entry: &'a str| {
        let parsed = parse_origin(entry);
        // The origin the entry stands for: itself, or the one its error suggests.
        let origin = match &parsed {
            Ok(OriginEntry::Exact(_) | OriginEntry::Pattern(_)) => Some(entry),
            Ok(OriginEntry::Any) => None,
            Err(error) => error.fixes().first().map(String::as_str).filter(|_| error.fixes().len() == 1),
        };
        let mut errors: Vec<OriginError> = parsed.as_ref().err().cloned().into_iter().collect();
        if let Ok(OriginEntry::Any) = parsed {
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
        // Checked on the origin the entry stands for, so a fix for another rule never leads
        // into this one unsaid.
        let insecure = origin.filter(|origin| credentials && !is_loopback_host(origin_host(origin)));
        if let Some(rest) = insecure.and_then(|origin| origin.strip_prefix("http://")) {
            let fix = fix_for(&format!("https://{rest}"));
            let write = fix.as_ref().map_or("write it with `https://`".to_string(), |fix| format!("write `{fix}`"));
            errors.push(OriginError::with_fixes(
                K::InsecureWithCredentials,
                format!(
                    "`{entry}` is plain http in a credentialed policy: cookies and tokens would \
                     cross the network unencrypted; {write} (plain http is accepted only for \
                     loopback hosts: localhost, 127.0.0.1, [::1])"
                ),
                fix.into_iter().collect(),
            ));
        }
        match parsed {
            Ok(parsed) if errors.is_empty() => Ok(parsed),
            _ => Err(errors),
        }
    };
    // A set, not a scan of the entries before: lists set at run time hold 100,000 origins.
    let mut seen = HashSet::with_capacity(entries.len());
    entries
        .iter()
        .map(|&entry| match seen.insert(entry) {
            true => check(entry),
            false => Err(vec![OriginError::new(K::Duplicate, format!("origin `{entry}` is listed twice: remove one"))]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use OriginErrorKind as K;

    #[test]
    fn lists_in_one_string() {
        use super::super::split_origin_list;
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
        // A fix for one rule that would break another says both, and where the last one leads.
        let messages: Vec<String> = check_origin_list(&["HTTP://App.example.com:443"], true)[0]
            .as_ref()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            messages,
            [
                "origin `HTTP://App.example.com:443` has uppercase letters: browsers send `http://app.example.com:443`",
                "`HTTP://App.example.com:443` is plain http in a credentialed policy: cookies and tokens would cross \
                 the network unencrypted; write `https://app.example.com` (plain http is accepted only for loopback \
                 hosts: localhost, 127.0.0.1, [::1])",
            ]
        );
        // Every bad entry is reported, not just the first.
        assert_eq!(kinds(&["https://a.example/", "null", a], false), [Some(K::TrailingSlash), Some(K::Null), None]);
    }
}
