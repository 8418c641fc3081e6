use cors_runtime::cors_policy;

#[cors_policy(origins = ["*"], credentials)]
pub struct Session;

fn main() {}
