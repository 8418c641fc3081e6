//! The list in force as a request reads it: each thread keeps the list it last read for each
//! dynamic policy, with the generation it was read at, and asks `arc-swap` again only when a
//! writer has published since. A request then costs an atomic load and a compare, where
//! `ArcSwapOption::load` costs about 45 instructions (its debt slot, taken and paid back).
//!
//! What is guaranteed is unchanged: a writer publishes the list, then the generation (release);
//! a request that reads the new generation (acquire) reloads, so a request that starts after a
//! change returns sees it, and it holds one whole list (an `Arc`) for as long as it matches.
//! The cost is memory: a thread keeps the list it last read until its next request for that
//! policy, so after a `replace` an idle worker thread may hold the previous list a while.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::set::OriginSet;
use super::DynamicOrigins;

/// Generations are unique across every dynamic list of the process, so a cache entry can never
/// be mistaken for another list's, even one built at the same address.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

/// A number no publish has used yet, for the next one.
pub(super) fn next_generation() -> u64 {
    NEXT_GENERATION.fetch_add(1, Ordering::Relaxed)
}

struct Cached {
    /// The `DynamicOrigins` this entry is for (its address: the lists live in statics).
    owner: usize,
    generation: u64,
    set: Option<Arc<OriginSet>>,
}

thread_local! {
    static CACHED: RefCell<Vec<Cached>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the list of `origins` in force (`None`: never filled).
#[inline]
pub(super) fn with_current<R>(origins: &DynamicOrigins, f: impl FnOnce(Option<&OriginSet>) -> R) -> R {
    let generation = origins.generation.load(Ordering::Acquire);
    let owner = origins as *const DynamicOrigins as usize;
    let mut f = Some(f);
    let cached = CACHED.try_with(|cached| {
        // Busy only if `f` itself read a list, which it does not; then read without the cache.
        let mut cached = cached.try_borrow_mut().ok()?;
        let at = match cached.iter().position(|c| c.owner == owner) {
            Some(at) => at,
            None => {
                cached.push(Cached { owner, generation: 0, set: None });
                cached.len() - 1
            }
        };
        let entry = &mut cached[at];
        if entry.generation != generation {
            entry.set = origins.current.load_full();
            entry.generation = generation;
        }
        let f = f.take().expect("called once");
        Some(f(entry.set.as_deref()))
    });
    match cached {
        Ok(Some(result)) => result,
        // The thread is exiting (its cache is gone): read the list in force directly.
        _ => (f.take().expect("not called yet"))(origins.current.load().as_deref()),
    }
}
