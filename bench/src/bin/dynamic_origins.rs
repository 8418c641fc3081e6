//! `cargo run --release -p bench --bin dynamic_origins`: what a run-time allowlist
//! (`origins = dynamic`, DESIGN §9.1) costs at scale, beside the per-request table (which
//! measures a request's instructions and allocations against a three-origin written list).
//!
//! - memory: live heap bytes the list in force holds at 100,000 exact origins and 1,000
//!   patterns, per entry (this binary counts every byte requested and freed), and how much the
//!   process's resident memory grew, which adds the allocator's own overhead;
//! - `replace` of that list, `insert` and `remove` at that size, alone and while reader
//!   threads keep matching origins against the list in force: how long the writer takes, and
//!   the readers' lookups per second before and during the write.
//!
//! Wall-clock times vary with the machine's load; the memory figures and the readers' count of
//! wrong answers (which must be 0) do not.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cors_runtime::{cors_policy, NamedPolicy};
use http::HeaderValue;

/// Live heap bytes of the whole process.
struct LiveBytes;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for LiveBytes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: LiveBytes = LiveBytes;

#[cors_policy(origins = dynamic, credentials, headers = ["authorization"], expose = ["etag"])]
pub struct Tenants;

const EXACT: usize = 100_000;
const PATTERNS: usize = 1_000;
const READERS: usize = 2;

/// `generation` tells two lists apart: every entry differs, as in a replace that swaps tenants.
fn list(generation: usize) -> Vec<String> {
    let exact = (0..EXACT).map(|i| format!("https://shop{i}-{generation}.customers.example"));
    let patterns = (0..PATTERNS).map(|i| format!("https://*.tenant{i}-{generation}.example.com"));
    exact.chain(patterns).collect()
}

/// Origins the readers look up: half in generation `generation`'s list, half never listed.
fn probes(generation: usize) -> Vec<HeaderValue> {
    (0..1000)
        .map(|i| match i % 4 {
            0 => format!("https://shop{}-{generation}.customers.example", i * 97 % EXACT),
            1 => format!("https://eu.app.tenant{}-{generation}.example.com", i % PATTERNS),
            2 => format!("https://shop{}-{generation}.customers.example.evil.example", i % EXACT),
            _ => format!("https://tenant{}-{generation}.example.com", i % PATTERNS),
        })
        .map(|origin| HeaderValue::from_str(&origin).unwrap())
        .collect()
}

/// What readers saw while a writer ran.
struct ReadLoad {
    write: Duration,
    /// Lookups per second before the write started, and while it ran.
    rate_before: f64,
    rate_during: f64,
    /// Lookups whose answer neither list gives.
    wrong: u64,
}

/// Readers matching origins while `write` runs.
fn under_read_load(write: impl FnOnce()) -> ReadLoad {
    let stop = Arc::new(AtomicBool::new(false));
    let (lookups, wrong) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (stop, lookups, wrong) = (stop.clone(), lookups.clone(), wrong.clone());
            std::thread::spawn(move || {
                let (old, new) = (probes(0), probes(1));
                let policy = Tenants::policy();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let origin = if i % 2 == 0 { &old[i % 1000] } else { &new[i % 1000] };
                    let in_a_list = i % 4 < 2;
                    let allowed = policy.allow_origin(origin);
                    // An origin of either list may be allowed (the writer is mid-way); a foreign
                    // one never, and an allowed one is answered with itself.
                    if allowed.is_some() && (!in_a_list || allowed.as_ref() != Some(origin)) {
                        wrong.fetch_add(1, Ordering::Relaxed);
                    }
                    lookups.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(50));
    let warm = lookups.load(Ordering::Relaxed);
    let quiet = Duration::from_millis(300);
    std::thread::sleep(quiet);
    let before = lookups.load(Ordering::Relaxed);
    let started = Instant::now();
    write();
    let took = started.elapsed();
    let during = lookups.load(Ordering::Relaxed) - before;
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().expect("a reader panicked");
    }
    ReadLoad {
        write: took,
        rate_before: (before - warm) as f64 / quiet.as_secs_f64(),
        rate_during: during as f64 / took.as_secs_f64(),
        wrong: wrong.load(Ordering::Relaxed),
    }
}

impl ReadLoad {
    fn report(&self, what: &str) {
        // A write of a few milliseconds is shorter than a scheduler's slice: no rate to show.
        let rates = if self.write >= Duration::from_millis(50) {
            format!(
                "readers made {:.2} M lookups/s before it, {:.2} M/s during it; ",
                self.rate_before / 1e6,
                self.rate_during / 1e6
            )
        } else {
            String::new()
        };
        println!("{what}, {READERS} readers matching: {}; {rates}{} wrong answers", ms(self.write), self.wrong);
    }
}

/// The process's resident memory, from `/proc/self/statm` (Linux), in bytes.
fn resident() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let origins = Tenants::origins();
    let (first, second) = (list(0), list(1));
    let entries = first.len();

    let (before, rss_before) = (LIVE.load(Ordering::Relaxed), resident());
    origins.replace(&first).unwrap();
    let held = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "memory: {EXACT} exact origins + {PATTERNS} patterns in force hold {held} bytes: {} bytes per entry (target ≤ 256)",
        held / entries
    );
    if let (Some(a), Some(b)) = (rss_before, resident()) {
        println!(
            "memory: resident size grew by {} bytes per entry (the allocator's overhead included)",
            b.saturating_sub(a) / entries
        );
    }

    let started = Instant::now();
    origins.replace(&second).unwrap();
    println!("replace, {entries} entries, no readers: {}", ms(started.elapsed()));
    origins.replace(&first).unwrap();

    under_read_load(|| origins.replace(&second).unwrap()).report(&format!("replace, {entries} entries"));
    under_read_load(|| assert!(origins.insert("https://newcomer.example").unwrap()))
        .report(&format!("insert into {entries} entries"));
    under_read_load(|| assert!(origins.remove("https://newcomer.example")))
        .report(&format!("remove from {entries} entries"));
    assert_eq!(origins.len(), entries);
}
