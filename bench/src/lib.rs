//! Side-by-side cost of CORS on axum: each app shape (`shapes.rs`) served bare, through
//! tower-http's `CorsLayer` and through this runtime, with the same policy, measured per request in process
//! (instructions under callgrind, heap allocations with a counting allocator), under load with
//! wrk, and at compile time. `cargo run --release -p bench -- help` lists the commands.

pub mod apps;
pub mod callgrind;
pub mod compile_instructions;
pub mod compile_time;
pub mod counting_alloc;
pub mod driver;
pub mod floor;
pub mod load;
pub mod scenarios;
pub mod serve;
pub mod shapes;
pub mod table;

pub use apps::Variant;
pub use scenarios::Scenario;
pub use shapes::Shape;

#[global_allocator]
static ALLOCATOR: counting_alloc::CountingAlloc = counting_alloc::CountingAlloc;
