//! `cargo run --release -p bench --bin postgres_sync`: `cors-postgres` at the scale of DESIGN
//! §10.1, on a throwaway PostgreSQL 15 cluster on loopback (Debian's, run as `postgres`):
//!
//! - the first full load of 100,000 rows (`OriginsSync::start`, connection included), while
//!   reader threads keep matching origins against the list in force;
//! - propagation: 1,000 single-row commits, each timed from the moment its `INSERT` returns
//!   (committed) until every one of 3 syncs (3 replicas' lists in one process) allows it; p50,
//!   p99 and the worst.
//!
//! Wall-clock figures: they vary with the machine's load, so run it on a quiet machine.

#[path = "../../../cors-postgres/tests/support/cluster.rs"]
mod cluster;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cors_postgres::{OriginsSync, OriginsTable};
use cors_runtime::{cors_policy, NamedPolicy, Policy};
use http::HeaderValue;

#[cors_policy(origins = dynamic, credentials)]
pub struct ReplicaA;
#[cors_policy(origins = dynamic, credentials)]
pub struct ReplicaB;
#[cors_policy(origins = dynamic, credentials)]
pub struct ReplicaC;

const ROWS: usize = 100_000;
const CHANGES: usize = 1_000;

fn table() -> OriginsTable {
    OriginsTable::new("tenant_domains", "origin").expect("a plain identifier")
}

/// Reader threads matching an origin of the table against `policy` until `stop`; returns the
/// lookups they made.
fn readers(policy: &'static Policy, stop: Arc<AtomicBool>) -> Vec<std::thread::JoinHandle<u64>> {
    (0..2)
        .map(|_| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let origin = HeaderValue::from_static("https://s77777.shops.example");
                let mut lookups = 0;
                while !stop.load(Ordering::Relaxed) {
                    std::hint::black_box(policy.allow_origin(&origin));
                    lookups += 1;
                }
                lookups
            })
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let db = cluster::Cluster::start();
    db.psql("CREATE TABLE tenant_domains (origin text PRIMARY KEY, tenant text NOT NULL DEFAULT 'bench')");
    db.psql(&format!(
        "INSERT INTO tenant_domains (origin) SELECT 'https://s' || n || '.shops.example' FROM generate_series(1, {ROWS}) n"
    ));
    db.psql(&table().install_sql());

    // The first full load, with readers running.
    let stop = Arc::new(AtomicBool::new(false));
    let reading = readers(ReplicaA::POLICY, Arc::clone(&stop));
    let started = Instant::now();
    let a = OriginsSync::start(&db.conninfo(), table(), ReplicaA::origins()).await.expect("sync A starts");
    let first_load = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let lookups: u64 = reading.into_iter().map(|r| r.join().expect("reader")).sum();
    assert_eq!(a.status().in_force, ROWS);
    println!("full load of {ROWS} rows (OriginsSync::start, connection included): {first_load:.2?}");
    println!("  reader lookups answered meanwhile: {lookups} (2 threads, never waiting for the writer)");

    let b = OriginsSync::start(&db.conninfo(), table(), ReplicaB::origins()).await.expect("sync B starts");
    let c = OriginsSync::start(&db.conninfo(), table(), ReplicaC::origins()).await.expect("sync C starts");

    // Propagation of single-row commits to all three.
    let writer = db.client().await;
    let insert = writer.prepare("INSERT INTO tenant_domains (origin) VALUES ($1)").await.expect("prepare");
    let replicas = [ReplicaA::POLICY, ReplicaB::POLICY, ReplicaC::POLICY];
    let mut times = Vec::with_capacity(CHANGES);
    let timeouts = AtomicU64::new(0);
    for n in 0..CHANGES {
        let origin = format!("https://new{n}.tenants.example");
        let value = HeaderValue::from_str(&origin).expect("a header value");
        writer.execute(&insert, &[&origin]).await.expect("insert");
        let committed = Instant::now();
        loop {
            if replicas.iter().all(|policy| policy.allow_origin(&value).is_some()) {
                times.push(committed.elapsed());
                break;
            }
            if committed.elapsed() > Duration::from_secs(10) {
                timeouts.fetch_add(1, Ordering::Relaxed);
                break;
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    }
    times.sort();
    let loads: Vec<u64> = [&a, &b, &c].iter().map(|sync| sync.status().loads).collect();
    let changes: Vec<u64> = [&a, &b, &c].iter().map(|sync| sync.status().changes).collect();
    println!(
        "propagation, commit -> all 3 replicas allow it, {} single-row commits on {ROWS} rows: p50 {:.1?}, p99 {:.1?}, max {:.1?}; {} not seen within 10 s; full loads per replica {loads:?}, changes applied per replica {changes:?}",
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default(),
        timeouts.load(Ordering::Relaxed),
    );
}
