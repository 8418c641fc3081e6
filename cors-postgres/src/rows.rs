//! The table as a sync last saw it: how many rows hold each value, and the values the rules
//! refused. A full load builds it; each notified change then updates it and the list in force,
//! so a change costs one copy of the list, not a read of the whole table.

use std::collections::{BTreeMap, HashMap};

use cors_runtime::DynamicOrigins;

use crate::status::RefusedRow;

/// The rows by value: a value stays in force while any row holds it (the column need not be
/// unique).
pub(crate) struct Rows {
    counts: HashMap<String, usize>,
    nulls: usize,
    /// The values the rules refused, with the rule and the fix.
    refused: BTreeMap<String, String>,
}

impl Rows {
    /// Makes the valid `values` the list in force, in one store.
    pub(crate) fn load(values: Vec<Option<String>>, origins: &DynamicOrigins) -> Rows {
        let mut rows = Rows { counts: HashMap::with_capacity(values.len()), nulls: 0, refused: BTreeMap::new() };
        for value in values {
            match value {
                Some(value) => *rows.counts.entry(value).or_default() += 1,
                None => rows.nulls += 1,
            }
        }
        let refused = origins.replace_valid(rows.counts.keys());
        rows.refused.extend(refused.into_iter().map(|(entry, error)| (entry, error.to_string())));
        rows
    }

    /// Applies a run of changes (`true` for an insert) to the list in force, in one store.
    pub(crate) fn apply(&mut self, changes: Vec<(bool, String)>, origins: &DynamicOrigins) {
        // Whether each touched value was held by a row before the run.
        let mut touched: HashMap<String, bool> = HashMap::new();
        for (insert, value) in changes {
            let count = self.counts.entry(value.clone()).or_default();
            touched.entry(value).or_insert(*count > 0);
            if insert {
                *count += 1;
            } else {
                // Consecutive versions make a delete of an unseen value impossible; should one
                // come, the value is simply not held.
                *count = count.saturating_sub(1);
            }
        }
        let (mut remove, mut insert) = (Vec::new(), Vec::new());
        for (value, before) in touched {
            let after = self.counts[&value] > 0;
            if !after {
                self.counts.remove(&value);
            }
            if before && !after {
                // A refused value was never in force: only the report forgets it.
                if self.refused.remove(&value).is_none() {
                    remove.push(value);
                }
            } else if !before && after {
                insert.push(value);
            }
        }
        let refused = origins.update_valid(&remove, &insert);
        self.refused.extend(refused.into_iter().map(|(entry, error)| (entry, error.to_string())));
    }

    /// The refused rows, NULLs first, then by value.
    pub(crate) fn refused(&self, column: &str) -> Vec<RefusedRow> {
        let null = RefusedRow {
            entry: "NULL".to_owned(),
            reason: format!("a NULL in column {column} is not an origin: delete the row or store the origin"),
        };
        let values =
            self.refused.iter().map(|(entry, reason)| RefusedRow { entry: entry.clone(), reason: reason.clone() });
        (self.nulls > 0).then_some(null).into_iter().chain(values).collect()
    }
}
