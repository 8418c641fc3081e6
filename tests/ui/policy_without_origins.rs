// A named policy must say which origins it allows.
use cors_runtime::cors_policy;

#[cors_policy(credentials)]
pub struct Session;

fn main() {}
