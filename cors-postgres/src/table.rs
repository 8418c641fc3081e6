//! Which table and column hold the origins: the identifiers, checked, and the SQL built on them.

use std::fmt;

/// The table (optionally `schema.table`) and the text column that hold the origins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginsTable {
    schema: Option<String>,
    table: String,
    column: String,
    channel: String,
}

/// An identifier given to [`OriginsTable::new`] that is not a plain SQL identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError {
    /// The identifier as given.
    pub identifier: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a plain SQL identifier: use lower-case ASCII letters, digits and `_`, \
             starting with a letter or `_`, at most 63 bytes (a table may be `schema.table`)",
            self.identifier
        )
    }
}

impl std::error::Error for TableError {}

impl OriginsTable {
    /// Names the table (`table` or `schema.table`) and its origin column. Anything but a plain
    /// lower-case SQL identifier is refused; the generated SQL quotes them anyway.
    pub fn new(table: &str, column: &str) -> Result<OriginsTable, TableError> {
        let (schema, name) = match table.split_once('.') {
            Some((schema, name)) => (Some(identifier(schema, table)?), identifier(name, table)?),
            None => (None, identifier(table, table)?),
        };
        let column = identifier(column, column)?;
        let channel = match &schema {
            Some(schema) => format!("cors_origins_{schema}_{name}"),
            None => format!("cors_origins_{name}"),
        };
        Ok(OriginsTable { schema, table: name, column, channel: channel.chars().take(63).collect() })
    }

    /// The NOTIFY channel the trigger signals on.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The column holding the origins.
    pub fn column(&self) -> &str {
        &self.column
    }

    /// The table, quoted and schema-qualified when a schema was given.
    pub fn quoted_table(&self) -> String {
        match &self.schema {
            Some(schema) => format!("\"{schema}\".\"{}\"", self.table),
            None => format!("\"{}\"", self.table),
        }
    }

    /// The name of an object of this table's, quoted, in the table's schema: `cors_<what>_<table>`.
    fn object(&self, what: &str) -> String {
        let name: String = format!("cors_{what}_{}", self.table).chars().take(63).collect();
        match &self.schema {
            Some(schema) => format!("\"{schema}\".\"{name}\""),
            None => format!("\"{name}\""),
        }
    }

    /// The quoted name of the one-row table that holds the version the trigger bumps.
    pub fn version_table(&self) -> String {
        self.object("version")
    }

    /// The idempotent SQL for a migration: a one-row version table, a trigger function, and the
    /// triggers that call it. Each inserted, deleted or changed origin bumps the version and
    /// NOTIFYs the channel with `VERSION +ORIGIN` or `VERSION -ORIGIN` (a `TRUNCATE`, a NULL, or a
    /// value too long for a notification, sends `VERSION reload`); PostgreSQL delivers them at commit,
    /// in commit order, and drops them on rollback. Run it as one transaction (a migration's, or
    /// one multi-statement query): its advisory lock then makes replicas installing it at once
    /// wait for each other.
    pub fn install_sql(&self) -> String {
        let table = self.quoted_table();
        let version = self.version_table();
        let function = self.object("notify");
        let rows = format!("\"cors_notify_{}\"", self.table);
        let truncate = format!("\"cors_truncate_{}\"", self.table);
        let column = format!("\"{}\"", self.column);
        let channel = &self.channel;
        format!(
            "SELECT pg_advisory_xact_lock(hashtext('cors-postgres install {table}'));\n\
             CREATE TABLE IF NOT EXISTS {version} (\n  \
               id boolean PRIMARY KEY DEFAULT true CHECK (id),\n  \
               version bigint NOT NULL DEFAULT 0\n);\n\
             INSERT INTO {version} (id, version) VALUES (true, 0) ON CONFLICT (id) DO NOTHING;\n\
             CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $cors$\n\
             DECLARE\n  \
               v bigint;\n\
             BEGIN\n  \
               IF TG_OP = 'TRUNCATE' THEN\n    \
                 UPDATE {version} SET version = version + 1 RETURNING version INTO v;\n    \
                 PERFORM pg_notify('{channel}', v || ' reload');\n    \
                 RETURN NULL;\n  \
               END IF;\n  \
               IF TG_OP = 'UPDATE' AND OLD.{column} IS NOT DISTINCT FROM NEW.{column} THEN\n    \
                 RETURN NULL;\n  \
               END IF;\n  \
               IF TG_OP IN ('DELETE', 'UPDATE') THEN\n    \
                 UPDATE {version} SET version = version + 1 RETURNING version INTO v;\n    \
                 PERFORM pg_notify('{channel}', {change_old});\n  \
               END IF;\n  \
               IF TG_OP IN ('INSERT', 'UPDATE') THEN\n    \
                 UPDATE {version} SET version = version + 1 RETURNING version INTO v;\n    \
                 PERFORM pg_notify('{channel}', {change_new});\n  \
               END IF;\n  \
               RETURN NULL;\n\
             END\n$cors$;\n\
             DROP TRIGGER IF EXISTS {rows} ON {table};\n\
             CREATE TRIGGER {rows}\n  \
               AFTER INSERT OR UPDATE OR DELETE ON {table}\n  \
               FOR EACH ROW EXECUTE FUNCTION {function}();\n\
             DROP TRIGGER IF EXISTS {truncate} ON {table};\n\
             CREATE TRIGGER {truncate}\n  \
               AFTER TRUNCATE ON {table}\n  \
               FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n",
            change_old = change("OLD", '-', &column),
            change_new = change("NEW", '+', &column),
        )
    }
}

/// The payload of one row's change: `VERSION +ORIGIN` (or `-`), or `VERSION reload` for a NULL
/// and for a value that would not fit in a notification (8,000 bytes).
fn change(row: &str, sign: char, column: &str) -> String {
    format!(
        "CASE WHEN {row}.{column} IS NULL OR octet_length({row}.{column}::text) > {MAX_VALUE} \
         THEN v || ' reload' ELSE v || ' {sign}' || {row}.{column}::text END"
    )
}

/// The longest value sent in a notification; a longer one (no origin is) makes the followers
/// reload, since NOTIFY refuses payloads of 8,000 bytes or more.
const MAX_VALUE: usize = 7_900;

/// Checks one plain identifier; `whole` is what the error names.
fn identifier(part: &str, whole: &str) -> Result<String, TableError> {
    let mut chars = part.chars();
    let first_ok = matches!(chars.next(), Some('a'..='z' | '_'));
    let rest_ok = chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'));
    if first_ok && rest_ok && part.len() <= 63 {
        Ok(part.to_owned())
    } else {
        Err(TableError { identifier: whole.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_identifiers_are_accepted_and_quoted() {
        let t = OriginsTable::new("tenant_domains", "origin").unwrap();
        assert_eq!(t.quoted_table(), "\"tenant_domains\"");
        assert_eq!(t.channel(), "cors_origins_tenant_domains");
        assert_eq!(t.version_table(), "\"cors_version_tenant_domains\"");
        let s = OriginsTable::new("app.tenant_domains", "origin").unwrap();
        assert_eq!(s.quoted_table(), "\"app\".\"tenant_domains\"");
        assert_eq!(s.channel(), "cors_origins_app_tenant_domains");
    }

    #[test]
    fn anything_else_is_refused_by_name() {
        for bad in ["", "1abc", "Tenant", "a-b", "a;drop", "a.b.c", "\"x\"", "a b", ".a", "a."] {
            let err = OriginsTable::new(bad, "origin").unwrap_err();
            assert_eq!(err.identifier, bad, "{bad:?}");
        }
        let err = OriginsTable::new("t", "or'igin").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`or'igin` is not a plain SQL identifier: use lower-case ASCII letters, digits and \
             `_`, starting with a letter or `_`, at most 63 bytes (a table may be `schema.table`)"
        );
        assert!(OriginsTable::new(&"a".repeat(64), "origin").is_err());
    }
}
