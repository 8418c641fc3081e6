//! A list set outside the source (an environment variable's value, or entries added while the
//! service runs) checked by the rules a literal list passes at compile time: §3 rules 4-6 with
//! `cors_rules::check_origin_list`, and `*` refused, since both kinds of policy are private.

use cors_rules::{OriginEntry, OriginError, Pattern};

/// The entries of a list that passed, split as matching needs them.
pub(super) struct CheckedList<'a> {
    pub(super) exact: Vec<&'a str>,
    pub(super) patterns: Vec<Pattern<'a>>,
}

/// Checks every entry; on failure, one line per problem, in entry order: `star` for a `*`, and
/// `describe(entry, error)` for each rule an entry breaks. Nothing is rewritten: an entry is
/// accepted exactly as written, or refused.
pub(super) fn check_private_list<'a>(
    entries: &[&'a str],
    credentials: bool,
    star: &str,
    describe: impl Fn(&str, &OriginError) -> String,
) -> Result<CheckedList<'a>, Vec<String>> {
    let mut problems = Vec::new();
    let mut list = CheckedList { exact: Vec::new(), patterns: Vec::new() };
    for (entry, checked) in entries.iter().zip(cors_rules::check_origin_list(entries, credentials)) {
        if *entry == "*" {
            problems.push(star.to_owned());
            continue;
        }
        match checked {
            Ok(OriginEntry::Exact(origin)) => list.exact.push(origin),
            Ok(OriginEntry::Pattern(pattern)) => list.patterns.push(pattern),
            Ok(OriginEntry::Any) => unreachable!("`*` is refused above"),
            Err(errors) => problems.extend(errors.iter().map(|e| describe(entry, e))),
        }
    }
    if problems.is_empty() {
        Ok(list)
    } else {
        Err(problems)
    }
}
