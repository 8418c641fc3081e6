//! Readers keep sending requests while a writer swaps two 200-entry lists back and forth: no
//! request fails, an origin both lists hold is allowed on every request, and every list a
//! reader takes is one of the two whole lists, never a mix or an empty one.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::*;

#[cors_policy(origins = dynamic, credentials)]
pub struct Swapped;

#[cors(GET "/swapped", policy = Swapped)]
async fn swapped_route() -> &'static str {
    "ok"
}

const SWAPS: usize = 400;
const BOTH: &str = "https://both.example";

fn list(name: &str) -> Vec<String> {
    let mut list: Vec<String> = (0..199).map(|i| format!("https://{name}{i}.example")).collect();
    list.push(BOTH.to_owned());
    list.sort();
    list
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_see_whole_lists_while_a_writer_swaps_them() {
    let (a, b) = (list("a"), list("b"));
    Swapped::origins().replace(&a).unwrap();
    let app: Router = routes![swapped_route].into();
    let done = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));

    let mut readers = Vec::new();
    for reader in 0..4 {
        let (app, done, requests, a, b) = (app.clone(), done.clone(), requests.clone(), a.clone(), b.clone());
        readers.push(tokio::spawn(async move {
            let mut i = reader;
            while !done.load(Ordering::Relaxed) {
                i += 1;
                let origin = if i % 3 == 0 { BOTH.to_owned() } else { [&a, &b][i % 2][i % 199].clone() };
                let answer = get(&app, "/swapped", &origin).await;
                assert_eq!(answer.status, StatusCode::OK);
                assert!(answer.allow_origin.is_none() || answer.allow_origin.as_deref() == Some(&origin), "{answer:?}");
                if origin == BOTH {
                    assert_eq!(answer.allow_origin.as_deref(), Some(BOTH), "both lists hold it");
                }
                let taken = Swapped::origins().list();
                assert!(taken == a || taken == b, "a list of {} entries that is neither whole list", taken.len());
                requests.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let writer = tokio::task::spawn_blocking(move || {
        for swap in 0..SWAPS {
            Swapped::origins().replace(if swap % 2 == 0 { &b } else { &a }).unwrap();
            std::thread::yield_now();
        }
    });
    writer.await.unwrap();
    done.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.await.expect("no reader saw a failure");
    }
    let requests = requests.load(Ordering::Relaxed);
    assert!(requests >= 100, "the readers ran beside the writer: {requests} requests");
    eprintln!("{requests} requests beside {SWAPS} swaps");
}
