//! Side-by-side cost of CORS on axum: the same routes and the same policy served bare, through
//! tower-http's `CorsLayer` and through this runtime, measured per request in process
//! (instructions under callgrind, heap allocations with a counting allocator), under load with
//! wrk, and at compile time. `cargo run --release -p bench -- help` lists the commands.

pub mod apps;
pub mod callgrind;
pub mod compile_time;
pub mod counting_alloc;
pub mod driver;
pub mod load;
pub mod scenarios;
pub mod serve;
pub mod table;

pub use apps::Variant;
pub use scenarios::Scenario;

#[global_allocator]
static ALLOCATOR: counting_alloc::CountingAlloc = counting_alloc::CountingAlloc;
