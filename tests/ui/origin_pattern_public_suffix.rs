// Checked against the Public Suffix List, ICANN and private sections.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://*.com", "https://*.co.uk", "https://*.github.io"])]
pub struct Session;

fn main() {}
