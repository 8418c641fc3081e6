//! Several route tables as one gateway: the distinct policies, one location per path (shape),
//! and which route, policy and upstream answer each method there. Generators read this; they
//! make no decisions about routing of their own.

use super::table::{Route, Table, Upstream};

pub struct Gateway<'a, U = Upstream> {
    pub tables: &'a [Table<U>],
    pub policies: Vec<Policy<'a>>,
    /// In the order a first-match router must try them: the most specific path first.
    pub locations: Vec<Location<'a>>,
}

/// One distinct policy (by content) and a name for it that is unique in the configuration.
pub struct Policy<'a> {
    /// The policy's name, `inline_<first handler>` for inline ones, with `_2`, `_3`... when two
    /// different policies would share it.
    pub id: String,
    /// The route that first used it; every field but method, path and handler is the policy.
    pub route: &'a Route,
}

/// One path shape (`/orders/{id}` and `/orders/{key}` are one) and its routes.
pub struct Location<'a> {
    /// As the first route at this shape writes it.
    pub path: &'a str,
    pub routes: Vec<LocatedRoute<'a>>,
}

pub struct LocatedRoute<'a> {
    pub route: &'a Route,
    /// Index into `Gateway::tables`.
    pub table: usize,
    /// Index into `Gateway::policies`.
    pub policy: usize,
}

impl<'a, U> Gateway<'a, U> {
    /// Merges the tables; two routes with the same method and path shape are an error that
    /// names both handlers and their files.
    pub fn new(tables: &'a [Table<U>]) -> Result<Gateway<'a, U>, String> {
        let mut gateway = Gateway { tables, policies: Vec::new(), locations: Vec::new() };
        for (table_index, table) in tables.iter().enumerate() {
            for route in &table.routes {
                let policy = gateway.policy_index(route);
                let shape = cors_rules::path_shape(&route.path);
                let location = match gateway.locations.iter().position(|l| cors_rules::path_shape(l.path) == shape) {
                    Some(i) => &mut gateway.locations[i],
                    None => {
                        gateway.locations.push(Location { path: &route.path, routes: Vec::new() });
                        gateway.locations.last_mut().expect("just pushed")
                    }
                };
                if let Some(other) = location.routes.iter().find(|r| r.route.method == route.method) {
                    return Err(format!(
                        "{} {} is claimed twice: by `{}` in {} and by `{}` ({}) in {}",
                        route.method,
                        other.route.path,
                        other.route.handler,
                        tables[other.table].file,
                        route.handler,
                        route.path,
                        table.file
                    ));
                }
                location.routes.push(LocatedRoute { route, table: table_index, policy });
            }
        }
        gateway.locations.sort_by_cached_key(|l| specificity(l.path));
        Ok(gateway)
    }

    fn policy_index(&mut self, route: &'a Route) -> usize {
        if let Some(i) = self.policies.iter().position(|p| same_policy(p.route, route)) {
            return i;
        }
        let base = match route.policy.as_str() {
            "inline" => format!("inline_{}", route.handler),
            // Words nginx's `map` reads as its own parameters.
            name @ ("default" | "hostnames" | "include" | "volatile") => format!("{name}_policy"),
            name => name.to_string(),
        };
        // nginx compares map keys without regard to case, so ids must differ in more than case.
        let taken = |id: &str| self.policies.iter().any(|p| p.id.eq_ignore_ascii_case(id));
        let id = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}_{n}") }).find(|id| !taken(id));
        self.policies.push(Policy { id: id.expect("some suffix is free"), route });
        self.policies.len() - 1
    }
}

impl Location<'_> {
    /// Its routes for a comment: method, handler, policy and table file, `; `-separated.
    pub fn describe(&self, gateway: &Gateway<'_>) -> String {
        let route = |r: &LocatedRoute<'_>| {
            let (policy, file) = (&gateway.policies[r.policy].id, shown(&gateway.tables[r.table].file));
            format!("{} {} ({policy}, {file})", r.route.method, shown(&r.route.handler))
        };
        self.routes.iter().map(route).collect::<Vec<_>>().join("; ")
    }

    /// The route that answers `method` here: its own, or the `GET` route for `HEAD`.
    pub fn route_for(&self, method: &str) -> Option<&LocatedRoute<'_>> {
        let find = |m: &str| self.routes.iter().find(|r| r.route.method == m);
        find(method).or_else(|| if method == "HEAD" { find("GET") } else { None })
    }

    /// `Allow` for a plain `OPTIONS`, as the service writes it: the route methods (`HEAD`
    /// with `GET`) in table order, then `OPTIONS`.
    pub fn allow(&self) -> String {
        let mut methods: Vec<&str> =
            super::table::ROUTE_METHODS.into_iter().filter(|m| self.route_for(m).is_some()).collect();
        methods.push("OPTIONS");
        methods.join(", ")
    }

    /// The routes at this path whose origins change while the service runs: nginx cannot know
    /// their list, so it leaves the CORS of the whole path (one location) to the service.
    pub fn dynamic_routes(&self) -> Vec<&LocatedRoute<'_>> {
        self.routes.iter().filter(|r| r.route.origins_dynamic).collect()
    }

    /// The one upstream of this path's routes, when they share one.
    pub fn single_table(&self) -> Option<usize> {
        let first = self.routes[0].table;
        self.routes.iter().all(|r| r.table == first).then_some(first)
    }
}

fn same_policy(a: &Route, b: &Route) -> bool {
    a.policy == b.policy
        && a.public == b.public
        && a.origins == b.origins
        && a.origins_env == b.origins_env
        && a.origins_dynamic == b.origins_dynamic
        && a.credentials == b.credentials
        && a.headers == b.headers
        && a.expose == b.expose
        && a.max_age == b.max_age
        && a.private_network == b.private_network
        && a.strict == b.strict
}

/// Sort key: segment by segment, literal before capture before catch-all, as axum's router
/// prefers them; then by text so the output is stable.
fn specificity(path: &str) -> (Vec<u8>, String) {
    let kinds = path
        .split('/')
        .map(|segment| match segment {
            s if s.starts_with("{*") => 2,
            s if s.contains('{') => 1,
            _ => 0,
        })
        .collect();
    (kinds, path.to_string())
}

/// A file name or handler safe inside a `#` comment: control characters (a line break would end
/// the comment) become `?`.
pub fn shown(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str, handler: &str, policy: &str, origins: &[&str]) -> Route {
        Route {
            method: method.into(),
            path: path.into(),
            handler: handler.into(),
            policy: policy.into(),
            public: origins == ["*"],
            origins: origins.iter().map(|o| o.to_string()).collect(),
            origins_env: None,
            origins_dynamic: false,
            credentials: false,
            headers: Vec::new(),
            expose: Vec::new(),
            max_age: 600,
            private_network: false,
            strict: false,
        }
    }

    fn table(file: &str, routes: Vec<Route>) -> Table {
        Table { file: file.into(), upstream: Upstream { https: false, address: "127.0.0.1:1".into() }, routes }
    }

    const APP: &[&str] = &["https://app.example.com"];
    const OTHER: &[&str] = &["https://other.example.com"];

    #[test]
    fn policies_are_shared_by_content_and_named_apart_when_they_differ() {
        let tables = [
            table(
                "a.json",
                vec![
                    route("GET", "/a", "a", "AppSession", APP),
                    route("GET", "/b", "b", "inline", APP),
                    route("GET", "/c", "c", "inline", APP),
                ],
            ),
            table(
                "b.json",
                vec![
                    route("GET", "/d", "d", "AppSession", APP),
                    route("GET", "/e", "e", "AppSession", OTHER),
                    route("GET", "/f", "f", "appsession", OTHER),
                    route("GET", "/g", "g", "default", APP),
                ],
            ),
        ];
        let gateway = Gateway::new(&tables).unwrap();
        let ids: Vec<&str> = gateway.policies.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["AppSession", "inline_b", "AppSession_2", "appsession_3", "default_policy"]);
    }

    #[test]
    fn locations_are_tried_most_specific_first() {
        let routes = ["/files/{*rest}", "/orders/{id}", "/orders/{id}/lines", "/orders/new", "/{page}", "/"]
            .iter()
            .enumerate()
            .map(|(i, path)| route("GET", path, &format!("h{i}"), "inline", APP))
            .collect();
        let tables = [table("a.json", routes)];
        let gateway = Gateway::new(&tables).unwrap();
        let paths: Vec<&str> = gateway.locations.iter().map(|l| l.path).collect();
        assert_eq!(paths, ["/", "/orders/new", "/orders/{id}", "/orders/{id}/lines", "/files/{*rest}", "/{page}"]);
    }

    #[test]
    fn head_falls_back_to_get_and_allow_lists_the_path() {
        let tables = [table(
            "a.json",
            vec![route("GET", "/a", "get", "inline", APP), route("DELETE", "/a", "del", "inline", APP)],
        )];
        let gateway = Gateway::new(&tables).unwrap();
        let location = &gateway.locations[0];
        assert_eq!(location.route_for("HEAD").map(|r| r.route.handler.as_str()), Some("get"));
        assert!(location.route_for("POST").is_none());
        assert_eq!(location.allow(), "GET, HEAD, DELETE, OPTIONS");
    }
}
