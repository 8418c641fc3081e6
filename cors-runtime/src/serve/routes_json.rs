//! The route table as data (DESIGN §8.3): with the `serde` feature, `Routes` serialises to
//! `{"routes": [...]}`, one object per route, which `cors export` turns into a gateway's
//! configuration. Built from the public accessors only, so it reads what the table prints.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::policy_layer::PolicyLayer;
use super::route::RouteEntry;
use super::routes::Routes;

impl<S> Serialize for Routes<S> {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        serialize_table(self.entries(), serializer)
    }
}

/// A named policy's layer in front of a whole service (a gateway) as a route table: every
/// method of its `methods` at every path, `/` and `/{*path}`, handled by `fallback`.
impl Serialize for PolicyLayer {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        let policy = self.policy();
        let entries: Vec<RouteEntry> = policy
            .methods()
            .iter()
            .flat_map(|method| {
                ["/", "/{*path}"].map(|path| RouteEntry { method, path: path.to_owned(), handler: "fallback", policy })
            })
            .collect();
        serialize_table(&entries, serializer)
    }
}

fn serialize_table<Ser: Serializer>(entries: &[RouteEntry], serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
    let mut table = serializer.serialize_struct("Routes", 1)?;
    let routes: Vec<RouteJson<'_>> = entries.iter().map(RouteJson::new).collect();
    table.serialize_field("routes", &routes)?;
    table.end()
}

/// One row of the table, as §8.3 spells it.
#[derive(serde::Serialize)]
struct RouteJson<'a> {
    method: &'static str,
    path: &'a str,
    handler: &'a str,
    policy: &'static str,
    public: bool,
    origins: Vec<String>,
    origins_env: Option<&'static str>,
    /// `origins = dynamic`: `origins` lists those in force when the table was made.
    origins_dynamic: bool,
    credentials: bool,
    /// `*` first when `headers = ["*"]`, as the printed table shows it.
    headers: Vec<&'static str>,
    expose: &'static [&'static str],
    max_age: u32,
    private_network: bool,
    strict: bool,
}

impl<'a> RouteJson<'a> {
    fn new(entry: &'a RouteEntry) -> Self {
        let policy = entry.policy;
        RouteJson {
            method: entry.method.as_str(),
            path: &entry.path,
            handler: entry.handler,
            policy: policy.name(),
            public: policy.is_public(),
            origins: policy.origins(),
            origins_env: policy.origins_env(),
            origins_dynamic: policy.origins_dynamic().is_some(),
            credentials: policy.credentials(),
            headers: policy.any_header().then_some("*").into_iter().chain(policy.headers().iter().copied()).collect(),
            expose: policy.expose(),
            max_age: policy.max_age(),
            private_network: policy.private_network(),
            strict: policy.strict(),
        }
    }
}
