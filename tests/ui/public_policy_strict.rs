// `strict` rejects disallowed origins; a public policy has none.
use cors_runtime::cors_policy;

#[cors_policy(origins = "*", strict)]
pub struct PublicRead;

fn main() {}
