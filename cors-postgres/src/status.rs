//! What a sync reports: whether it follows the table, since when its list is stale, and the rows
//! the rules refused.

use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// A row the rules of a written list refuse: left out of the list in force, never rewritten.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefusedRow {
    /// The row's value as stored (`NULL` for a null).
    pub entry: String,
    /// The rule it breaks and the fix: the text `DynamicOrigins::insert` gives for it.
    pub reason: String,
}

/// A snapshot of one sync, from [`OriginsSync::status`](crate::OriginsSync::status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncStatus {
    /// Whether the sync is connected and following the table's changes.
    pub connected: bool,
    /// When the list in force was last brought up to date with the table (a load or a change).
    pub last_loaded: Option<SystemTime>,
    /// Since when the list in force may lag the table (the connection was lost then); `None`
    /// while connected.
    pub stale_since: Option<SystemTime>,
    /// How many entries are in force.
    pub in_force: usize,
    /// The rows the rules refused, NULLs first, then by value.
    pub refused: Vec<RefusedRow>,
    /// Why the last connection or load failed, while not connected.
    pub last_error: Option<String>,
    /// How many full loads the sync has made (the first one included).
    pub loads: u64,
    /// How many notified row changes it has applied without a full load.
    pub changes: u64,
}

/// The status the background task updates and `status()` copies.
#[derive(Debug)]
pub(crate) struct Shared(Mutex<SyncStatus>);

impl Shared {
    pub(crate) fn new() -> Shared {
        Shared(Mutex::new(SyncStatus {
            connected: false,
            last_loaded: None,
            stale_since: None,
            in_force: 0,
            refused: Vec::new(),
            last_error: None,
            loads: 0,
            changes: 0,
        }))
    }

    pub(crate) fn snapshot(&self) -> SyncStatus {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn update(&self, change: impl FnOnce(&mut SyncStatus)) {
        change(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }
}
