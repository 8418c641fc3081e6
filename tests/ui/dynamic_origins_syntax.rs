// `dynamic` is a word of its own: not a string, not another word.
use cors_runtime::cors_policy;

#[cors_policy(origins = "dynamic")]
pub struct Quoted;

#[cors_policy(origins = dynamc)]
pub struct Misspelled;

fn main() {}
