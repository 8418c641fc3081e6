//! Every fix a message suggests passes the rules that refused the entry: for any string, an
//! origin error's fixes pass `parse_origin` (and, in a credentialed list, the list's rules), every
//! origin the message quotes passes too, and a header name's fixes are tokens browsers let
//! script send. Where no correct fix exists the error suggests none.

use cors_rules::{
    check_origin_list, header_name_fixes, is_forbidden_request_header, is_token, parse_origin, OriginEntry,
};
use proptest::prelude::*;

/// Strings near origins: the pieces people mistype, in any order, and any string at all.
fn near_origin() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(
        &[
            "https",
            "http",
            "HTTPS",
            "ftp",
            "://",
            ":/",
            "//",
            ":",
            "/",
            ".",
            "*",
            "*.",
            "@",
            "?",
            "#",
            ",",
            " ",
            "\t",
            "A",
            "a",
            "app",
            "example",
            "com",
            "co.uk",
            "github.io",
            "ck",
            "[",
            "]",
            "::1",
            "0:0:0:0:0:0:0:1",
            "0",
            "443",
            "80",
            "8443",
            "65536",
            "xn--",
            "-",
            "_",
            "localhost",
            "127.0.0.1",
            "127.1",
            "null",
            "é",
        ][..],
    );
    prop_oneof![
        4 => prop::collection::vec(piece, 0..14).prop_map(|pieces| pieces.concat()),
        1 => any::<String>(),
    ]
}

/// The backquoted texts of a message that look like origins and are not quoted from the entry:
/// an origin starts with its scheme, so a path (`//://.`, even with `://` in it) is not one, nor
/// is a scheme alone, `https://`, or a misspelt one, `https:/`.
fn quoted_origins(message: &str, entry: &str) -> Vec<String> {
    let message = message.replace(&format!("`{entry}`"), "");
    let quoted = message.split('`').skip(1).step_by(2);
    quoted
        .filter(|text| text.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter(|text| text.trim_end_matches([':', '/']).contains("://") && !text.contains([' ', '"']))
        .filter(|text| !entry.contains(text))
        .map(str::to_string)
        .collect()
}

/// Whether `origin` alone is a valid list under `credentials`.
fn passes(origin: &str, credentials: bool) -> bool {
    matches!(
        check_origin_list(&[origin], credentials).as_slice(),
        [Ok(OriginEntry::Exact(_) | OriginEntry::Pattern(_))]
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn an_origin_fix_passes_the_rules(entry in near_origin()) {
        let Err(error) = parse_origin(&entry) else { return Ok(()) };
        for fix in error.fixes() {
            prop_assert!(parse_origin(fix).is_ok(), "`{entry}` suggests `{fix}`, which fails: {error}");
            prop_assert_ne!(fix, &entry);
            prop_assert!(error.to_string().contains(&format!("`{fix}`")), "`{fix}` is not in: {error}");
        }
        if !entry.contains('`') {
            for quoted in quoted_origins(&error.to_string(), &entry) {
                prop_assert!(parse_origin(&quoted).is_ok(), "`{entry}`: the message quotes `{quoted}`, which fails: {error}");
            }
        }
    }

    #[test]
    fn a_fix_in_a_list_passes_the_list_rules(entry in near_origin(), credentials in any::<bool>()) {
        let checked = check_origin_list(&[&entry], credentials);
        let [Err(errors)] = checked.as_slice() else { return Ok(()) };
        for error in errors {
            for fix in error.fixes() {
                prop_assert!(parse_origin(fix).is_ok(), "`{entry}` suggests `{fix}`: {error}");
            }
        }
        // The fix of the rule said last passes them all: a fix for one rule never leads into
        // another that goes unsaid.
        if let Some([fix]) = errors.last().map(|error| error.fixes()) {
            prop_assert!(passes(fix, credentials), "`{entry}` (credentials: {credentials}) ends with `{fix}`: {errors:?}");
        }
    }

    #[test]
    fn a_header_name_fix_is_a_token_browsers_send(name in near_origin()) {
        for fix in header_name_fixes(&name) {
            prop_assert!(is_token(fix.as_bytes()) && !is_forbidden_request_header(&fix), "`{name}` suggests `{fix}`");
            prop_assert_eq!(fix.to_ascii_lowercase(), fix.clone());
        }
        if is_token(name.as_bytes()) {
            prop_assert!(header_name_fixes(&name).is_empty());
        }
    }
}
