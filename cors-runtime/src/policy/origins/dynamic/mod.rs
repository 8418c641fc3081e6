//! `origins = dynamic`: an allowlist the service changes while it runs (tenants' own domains,
//! customers added without a deploy), checked entry by entry by the rules a written list passes
//! at compile time.
//!
//! Readers load the list in force from an [`ArcSwapOption`] and never wait: a writer builds the
//! next whole list aside and publishes it in one store, so a request sees one whole list, and a
//! request that starts after a change returns sees the change. Writers take turns on a mutex, so
//! an `insert` never undoes a `replace` made meanwhile.

mod read_cache;
mod set;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwapOption;
use http::HeaderValue;

use self::set::OriginSet;
use super::private_list::{check_private_list, CheckedList};
use crate::policy::config_error::ConfigError;

/// The run-time allowlist of a `#[cors_policy(origins = dynamic, ...)]` policy, reached with
/// `Name::origins()`. It starts empty: until filled, every origin is refused as a foreign one.
///
/// ```
/// use cors_runtime::cors_policy;
///
/// #[cors_policy(origins = dynamic, credentials)]
/// pub struct TenantApps;
///
/// # fn main() -> Result<(), cors_runtime::ConfigError> {
/// TenantApps::origins().replace(["https://shop.acme.example", "https://*.tenants.example"])?;
/// assert!(TenantApps::origins().insert("https://new-customer.example")?);
/// assert!(TenantApps::origins().remove("https://new-customer.example"));
/// assert_eq!(TenantApps::origins().list(), ["https://*.tenants.example", "https://shop.acme.example"]);
///
/// // What a customer typed is checked by the rules a written list passes, never rewritten:
/// let refused = TenantApps::origins().insert("https://Shop.example/").unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "origin `https://Shop.example/` has uppercase letters and a trailing `/`: an origin is scheme, host and port only; browsers send `https://shop.example`"
/// );
/// # Ok(()) }
/// ```
pub struct DynamicOrigins {
    policy: &'static str,
    credentials: bool,
    /// The list in force; `None` until the first change.
    current: ArcSwapOption<OriginSet>,
    /// Set after each publish: readers' cached lists are current while it is unchanged
    /// (`read_cache`).
    generation: AtomicU64,
    writer: Mutex<()>,
}

impl DynamicOrigins {
    #[doc(hidden)]
    pub const fn __new(policy: &'static str, credentials: bool) -> DynamicOrigins {
        DynamicOrigins {
            policy,
            credentials,
            current: ArcSwapOption::const_empty(),
            generation: AtomicU64::new(0),
            writer: Mutex::new(()),
        }
    }

    /// Makes `entries` the whole list, all or nothing: when any entry breaks a rule, the error
    /// lists every bad entry and the list in force is unchanged. Duplicates are an error, as
    /// in a written list.
    pub fn replace<I>(&self, entries: I) -> Result<(), ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let owned: Vec<I::Item> = entries.into_iter().collect();
        let entries: Vec<&str> = owned.iter().map(AsRef::as_ref).collect();
        let checked = self.check_entries(&entries)?;
        self.publish_checked(&checked);
        Ok(())
    }

    /// Makes the valid `entries` the whole list, in one store, and returns each refused entry
    /// with the error [`insert`](DynamicOrigins::insert) would give it: for a list kept equal
    /// to rows written by programs that skip the checks, where one bad row must not keep the
    /// others out. A repeated entry is in force once and is not refused.
    pub fn replace_valid<I>(&self, entries: I) -> Vec<(String, ConfigError)>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let owned: Vec<I::Item> = entries.into_iter().collect();
        let mut seen = std::collections::HashSet::with_capacity(owned.len());
        let mut valid = Vec::with_capacity(owned.len());
        let mut refused = Vec::new();
        for entry in owned.iter().map(AsRef::as_ref) {
            if !seen.insert(entry) {
                continue;
            }
            match self.check_entries(&[entry]) {
                Ok(_) => valid.push(entry),
                Err(error) => refused.push((entry.to_owned(), error)),
            }
        }
        match self.check_entries(&valid) {
            Ok(checked) => self.publish_checked(&checked),
            // Entries valid one by one are valid together; should a rule ever say otherwise,
            // the list in force stays and every entry is reported.
            Err(error) => refused.extend(valid.iter().map(|e| (e.to_string(), error.clone()))),
        }
        refused
    }

    /// Removes the entries of `remove` (as they were added) and adds the valid entries of
    /// `insert`, in one store, and returns each refused entry with the error
    /// [`insert`](DynamicOrigins::insert) would give it: a batch of changes to a list kept equal
    /// to rows, costing one copy of the list rather than one per change. Removals come first, so
    /// an entry in both is in force afterwards.
    pub fn update_valid<R, I>(&self, remove: R, insert: I) -> Vec<(String, ConfigError)>
    where
        R: IntoIterator,
        R::Item: AsRef<str>,
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let _turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        let mut next = current.as_deref().cloned().unwrap_or_default();
        let mut removed = 0;
        for entry in remove {
            removed += usize::from(next.remove(entry.as_ref()));
        }
        let (mut inserted, mut refused) = (0, Vec::new());
        for entry in insert {
            let entry = entry.as_ref();
            match self.check_entries(&[entry]) {
                Ok(_) if next.contains(entry) => {}
                Ok(checked) => {
                    next.insert(entry, checked.patterns.first());
                    inserted += 1;
                }
                Err(error) => refused.push((entry.to_owned(), error)),
            }
        }
        if removed + inserted > 0 {
            let total = next.len();
            self.publish(next);
            tracing::info!(target: "cors", policy = self.policy, removed, inserted, total, "CORS origins updated");
        }
        refused
    }

    /// Publishes a checked whole list and logs the counts: the shared end of both replaces.
    fn publish_checked(&self, checked: &CheckedList<'_>) {
        let next = OriginSet::new(&checked.exact, &checked.patterns);
        let (origins, patterns) = next.counts();
        let _turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let before = self.len();
        self.publish(next);
        tracing::info!(target: "cors", policy = self.policy, before, origins, patterns, "CORS origins replaced");
    }

    /// Adds one origin or pattern; `Ok(false)` when it is in the list already. On error,
    /// nothing changes and the error says what is wrong and what to write instead.
    pub fn insert(&self, entry: &str) -> Result<bool, ConfigError> {
        let checked = self.check_entries(&[entry])?;
        let _turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        if current.as_deref().is_some_and(|set| set.contains(entry)) {
            return Ok(false);
        }
        let mut next = current.as_deref().cloned().unwrap_or_default();
        next.insert(entry, checked.patterns.first());
        let total = next.len();
        self.publish(next);
        tracing::info!(target: "cors", policy = self.policy, origin = entry, total, "CORS origin inserted");
        Ok(true)
    }

    /// Removes an entry exactly as it was added; whether it was in the list.
    pub fn remove(&self, entry: &str) -> bool {
        let _turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(current) = self.current.load_full() else {
            return false;
        };
        if !current.contains(entry) {
            return false;
        }
        let mut next = OriginSet::clone(&current);
        next.remove(entry);
        let total = next.len();
        self.publish(next);
        tracing::info!(target: "cors", policy = self.policy, origin = entry, total, "CORS origin removed");
        true
    }

    /// Checks `entry` as [`insert`](DynamicOrigins::insert) would, without adding it: for a
    /// service that stores an entry before it takes effect.
    pub fn check(&self, entry: &str) -> Result<(), ConfigError> {
        self.check_entries(&[entry]).map(|_| ())
    }

    /// The entries in force, sorted.
    pub fn list(&self) -> Vec<String> {
        self.current.load().as_deref().map_or_else(Vec::new, OriginSet::entries)
    }

    /// How many entries are in force.
    pub fn len(&self) -> usize {
        self.current.load().as_deref().map_or(0, OriginSet::len)
    }

    /// Whether no entry is in force (every origin is refused).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, if the list in force allows it.
    #[inline]
    pub(crate) fn allow(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        read_cache::with_current(self, |set| set?.allow(origin))
    }

    /// Makes `next` the list in force: the list, then its generation, so a reader that sees the
    /// new generation finds the new list. Called with the writer's turn held.
    fn publish(&self, next: OriginSet) {
        self.current.store(Some(Arc::new(next)));
        self.generation.store(read_cache::next_generation(), Ordering::Release);
    }

    fn check_entries<'a>(&self, entries: &[&'a str]) -> Result<CheckedList<'a>, ConfigError> {
        let star = format!(
            "`*` would let every website read these routes, but policy {} takes its origins at run time and is private: add each site's exact origin, e.g. `https://shop.example.com`",
            self.policy
        );
        check_private_list(entries, self.credentials, &star, |_, e| e.to_string()).map_err(ConfigError::new)
    }
}

impl fmt::Debug for DynamicOrigins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamicOrigins").field("policy", &self.policy).field("len", &self.len()).finish()
    }
}
