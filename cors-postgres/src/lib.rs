//! Keeps one `origins = dynamic` policy's list (see `cors_runtime::DynamicOrigins`) equal to the
//! valid rows of one PostgreSQL table on every replica (DESIGN §10.1).
//!
//! This stage holds the table's identifiers and the trigger SQL a migration runs
//! ([`OriginsTable::install_sql`]); the sync itself follows.
#![deny(missing_docs)]

mod table;

pub use table::{OriginsTable, TableError};
