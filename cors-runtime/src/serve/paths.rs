//! A route table grouped by path: each path's preflight answers (one per route method) and the
//! `Allow` of a plain `OPTIONS`. The generated `OPTIONS` route of a path and `Routes::layer()`
//! answer from the same group, so the two can never disagree.

use std::sync::Arc;

use http::header::ALLOW;
use http::{HeaderValue, Request, Response, StatusCode};

use super::route::RouteEntry;
use crate::answer::preflight::{self, Template};
use crate::policy::{Policy, RouteMethod};

/// Every route of one path.
#[derive(Debug)]
pub(crate) struct PathRoutes {
    pub(crate) path: Arc<str>,
    answers: Box<[Template]>,
    allow: HeaderValue,
}

impl PathRoutes {
    /// Groups `entries` by path, in first-seen order; each group also lists the indices of its
    /// entries, for the caller that merges their handlers.
    pub(crate) fn group(entries: &[RouteEntry]) -> Vec<(PathRoutes, Vec<usize>)> {
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            match groups.iter_mut().find(|(path, _)| *path == entry.path) {
                Some((_, indices)) => indices.push(i),
                None => groups.push((&entry.path, vec![i])),
            }
        }
        groups
            .into_iter()
            .map(|(path, indices)| {
                let owners: Vec<(RouteMethod, &'static Policy)> =
                    indices.iter().map(|&i| (entries[i].method, entries[i].policy)).collect();
                let answers = owners.iter().map(|&(method, policy)| Template::for_route(policy, method)).collect();
                (PathRoutes { path: path.into(), answers, allow: allow_value(&owners) }, indices)
            })
            .collect()
    }

    /// The answer, and so the policy, of the route for `method`: a `HEAD` without a route of
    /// its own falls back to the `GET` route, as axum routes it.
    pub(crate) fn route_for(&self, method: RouteMethod) -> Option<&Template> {
        let find = |wanted: RouteMethod| self.answers.iter().find(|a| a.route_method() == Some(wanted));
        find(method).or_else(|| if method == RouteMethod::Head { find(RouteMethod::Get) } else { None })
    }

    /// The answer to an `OPTIONS` request at this path: a preflight per §4, or `204` with
    /// `Allow` for a plain `OPTIONS`.
    pub(crate) fn options<B: From<&'static str> + Default, T>(&self, request: &Request<T>) -> Response<B> {
        preflight::answer(request, |method| self.route_for(method)).unwrap_or_else(|| {
            let mut response = Response::new(B::default());
            *response.status_mut() = StatusCode::NO_CONTENT;
            response.headers_mut().insert(ALLOW, self.allow.clone());
            response
        })
    }
}

/// `Allow` for a plain `OPTIONS`: the routes' methods (`HEAD` with `GET`), then `OPTIONS`.
fn allow_value(owners: &[(RouteMethod, &'static Policy)]) -> HeaderValue {
    let mut methods: Vec<&str> = RouteMethod::ALL
        .into_iter()
        .filter(|m| owners.iter().any(|(owner, _)| owner == m || *m == RouteMethod::Head && *owner == RouteMethod::Get))
        .map(RouteMethod::as_str)
        .collect();
    methods.push("OPTIONS");
    HeaderValue::from_str(&methods.join(", ")).expect("method names are valid header values")
}
