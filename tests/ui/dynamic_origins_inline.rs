// `origins = dynamic` needs a named policy, so the service can reach its list; and it is private.
use cors_runtime::cors;

#[cors(GET "/inline", origins = dynamic, credentials)]
async fn inline() {}

#[cors(GET "/public", public, origins = dynamic)]
async fn public_inline() {}

fn main() {}
