//! One notification of the trigger's ([`install_sql`](crate::OriginsTable::install_sql)): the
//! version it makes the table, and the row's change.

/// What one notification says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Change {
    /// The table's version once this change is in.
    pub(crate) version: i64,
    pub(crate) kind: ChangeKind,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    /// A row with this value was inserted (or updated to it).
    Insert(String),
    /// A row with this value was deleted (or updated away from it).
    Delete(String),
    /// The change cannot be told row by row (a `TRUNCATE`, a NULL, a long value): load it all.
    Reload,
}

impl Change {
    /// Reads `VERSION +VALUE`, `VERSION -VALUE` or `VERSION reload`; `None` for anything else,
    /// such as the empty payload of an older trigger, which the caller answers with a full load.
    pub(crate) fn parse(payload: &str) -> Option<Change> {
        let (version, rest) = payload.split_once(' ')?;
        let version = version.parse().ok()?;
        let kind = match rest.as_bytes().first()? {
            b'+' => ChangeKind::Insert(rest[1..].to_owned()),
            b'-' => ChangeKind::Delete(rest[1..].to_owned()),
            _ if rest == "reload" => ChangeKind::Reload,
            _ => return None,
        };
        Some(Change { version, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_read_exactly() {
        let change = |version, kind| Some(Change { version, kind });
        let insert = |value: &str| ChangeKind::Insert(value.to_owned());
        assert_eq!(Change::parse("7 +https://a.example"), change(7, insert("https://a.example")));
        assert_eq!(Change::parse("8 -https://a.example"), change(8, ChangeKind::Delete("https://a.example".into())));
        assert_eq!(Change::parse("9 reload"), change(9, ChangeKind::Reload));
        // A stored value is whatever a program wrote: spaces, `reload`, nothing at all.
        assert_eq!(Change::parse("10 +https://a b"), change(10, insert("https://a b")));
        assert_eq!(Change::parse("11 +reload"), change(11, insert("reload")));
        assert_eq!(Change::parse("12 +"), change(12, insert("")));
        for unreadable in ["", "12", "12 ", "x +a", "12 reloads", "12 *a", "-1"] {
            assert_eq!(Change::parse(unreadable), None, "{unreadable:?}");
        }
    }
}
