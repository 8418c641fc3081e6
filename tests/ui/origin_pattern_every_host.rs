use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://*"])]
pub struct Session;

fn main() {}
