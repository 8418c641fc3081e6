// An `env` policy is private: a `public` route cannot use one, inline or named.
use cors_runtime::{cors, cors_policy};

#[cors_policy(origins = env("APP_ORIGINS"))]
pub struct FromEnv;

#[cors(GET "/inline", public, origins = env("APP_ORIGINS"))]
async fn inline() {}

#[cors(GET "/named", public, policy = FromEnv)]
async fn named() {}

fn main() {}
