// A dynamic policy is private: a `public` route cannot use it.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = dynamic)]
pub struct TenantApps;

#[cors(GET "/catalog", public, policy = TenantApps)]
async fn catalog() {}

fn main() {}
