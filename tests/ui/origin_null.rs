// `Origin: null` comes from sandboxed iframes, file: pages and redirects alike.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["null"])]
pub struct Session;

fn main() {}
