//! The admin API that changes the tenants' domains: `GET`, `POST` and `DELETE /admin/tenants`.
//! It is for operators and the service's back office, not for browsers: it has no CORS policy
//! (a page on another origin cannot read it or send it JSON), and it needs the admin token.
//!
//! - `POST /admin/tenants` `{"tenant": "acme", "origin": "https://shop.acme.example"}`: `201`
//!   with `"added": true` when stored and in force; `200` with `"added": false` when the tenant
//!   has it already (so a retry is safe); `409` when another tenant owns it; `422` with one line
//!   per problem (the entry, the rule, the fix) when the tenant id or the origin breaks a rule,
//!   and nothing is stored.
//! - `DELETE /admin/tenants?origin=https://shop.acme.example`: the origin goes in the query, not
//!   the path, where its `/`s would need percent-encoding; `200` when removed, `404` when no
//!   tenant has it.
//! - `GET /admin/tenants`: the stored domains, the origins in force, and the stored rows the
//!   rules refuse with the rule each breaks (always none with SQLite, which refuses to start on
//!   such a row); with PostgreSQL also how the list follows the table (`sync`).
//!
//! With PostgreSQL out of reach, `POST` and `DELETE` answer `503` with the cause and store
//! nothing; `GET` answers `503` too, with the error beside what is in force on this replica.

use std::time::SystemTime;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cors_postgres::SyncStatus;
use serde::Deserialize;
use serde_json::{json, Value};

use super::domains::{AddError, Added};
use super::state::AppState;
use super::store::{Domain, StoreError};

/// Where the admin API is served.
pub const PATH: &str = "/admin/tenants";

/// `POST` body.
#[derive(Debug, Deserialize)]
struct NewDomain {
    tenant: String,
    origin: String,
}

/// `DELETE` query.
#[derive(Debug, Deserialize)]
struct Which {
    origin: String,
}

/// The admin routes, behind the token check.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route(PATH, get(list).post(add).delete(remove))
        .route_layer(middleware::from_fn_with_state(state, require_admin_token))
}

/// `401` without `Authorization: Bearer <the admin token>`.
async fn require_admin_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request.headers().get("authorization").and_then(|v| v.to_str().ok());
    match token.and_then(|v| v.strip_prefix("Bearer ")) {
        Some(token) if token == &*state.admin_token => next.run(request).await,
        _ => {
            let body = json!({ "error": "the admin API needs the admin token: Authorization: Bearer <token>" });
            (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")], Json(body)).into_response()
        }
    }
}

async fn add(State(state): State<AppState>, body: Result<Json<NewDomain>, JsonRejection>) -> Response {
    let Json(new) = match body {
        Ok(body) => body,
        Err(rejection) => return error(rejection.status(), rejection.body_text()),
    };
    let added = state.domains.add(&new.tenant, &new.origin).await;
    let in_force = state.domains.in_force().len();
    let answer = |status: StatusCode, added: bool| {
        let body = json!({ "added": added, "tenant": new.tenant, "origin": new.origin, "origins_in_force": in_force });
        (status, Json(body)).into_response()
    };
    match added {
        Ok(Added::New) => {
            tracing::info!(target: "tenants", tenant = new.tenant, origin = new.origin, "domain stored and in force");
            answer(StatusCode::CREATED, true)
        }
        Ok(Added::AlreadyThere) => answer(StatusCode::OK, false),
        Ok(Added::OwnedBy(owner)) => {
            let problem = format!(
                "origin `{}` belongs to tenant `{owner}`: a domain has one tenant; remove it there first (DELETE {PATH}?origin={})",
                new.origin, new.origin
            );
            let body = json!({ "added": false, "origin": new.origin, "owner": owner, "problems": [problem] });
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        Err(AddError::Refused(problems)) => {
            tracing::info!(target: "tenants", tenant = new.tenant, origin = new.origin, ?problems, "domain refused");
            let body = json!({ "added": false, "origin": new.origin, "problems": problems });
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
        Err(AddError::Store(e)) => failed(&e),
    }
}

async fn remove(State(state): State<AppState>, which: Result<Query<Which>, QueryRejection>) -> Response {
    let Query(Which { origin }) = match which {
        Ok(which) => which,
        Err(rejection) => {
            return error(rejection.status(), format!("{}: write {PATH}?origin=<origin>", rejection.body_text()))
        }
    };
    let removed = state.domains.remove(&origin).await;
    let in_force = state.domains.in_force().len();
    match removed {
        Ok(Some(tenant)) => {
            tracing::info!(target: "tenants", tenant, origin, "domain removed");
            let body = json!({ "removed": true, "tenant": tenant, "origin": origin, "origins_in_force": in_force });
            (StatusCode::OK, Json(body)).into_response()
        }
        Ok(None) => {
            let problem = format!("no tenant has the domain `{origin}`: GET {PATH} lists them, exactly as stored");
            let body = json!({ "removed": false, "origin": origin, "problems": [problem] });
            (StatusCode::NOT_FOUND, Json(body)).into_response()
        }
        Err(e) => failed(&e),
    }
}

async fn list(State(state): State<AppState>) -> Response {
    let domains = &state.domains;
    let stored = domains.stored().await;
    let mut body = json!({
        "origins_in_force": domains.in_force(),
        "refused": refused(domains.sync_status().as_ref(), stored.as_deref().unwrap_or_default()),
    });
    if let Some(status) = domains.sync_status() {
        body["sync"] = sync(&status);
    }
    match stored {
        Ok(stored) => {
            body["domains"] = json!(stored);
            Json(body).into_response()
        }
        // What is in force on this replica is still worth seeing while the table cannot be read.
        Err(e) => {
            body["error"] = json!(e.to_string());
            (failed(&e).status(), Json(body)).into_response()
        }
    }
}

/// The stored rows the sync left out, each with the rule it breaks (the `422`'s text) and its
/// tenant when the row is still stored.
fn refused(status: Option<&SyncStatus>, stored: &[Domain]) -> Value {
    let rows = status.map(|s| s.refused.as_slice()).unwrap_or_default();
    let tenant = |origin: &str| stored.iter().find(|d| d.origin == origin).map(|d| d.tenant.clone());
    rows.iter().map(|row| json!({ "tenant": tenant(&row.entry), "origin": row.entry, "problem": row.reason })).collect()
}

/// Whether this replica follows the table now, and since when its list is stale if not.
fn sync(status: &SyncStatus) -> Value {
    json!({
        "connected": status.connected,
        "last_loaded": status.last_loaded.map(rfc3339),
        "stale_since": status.stale_since.map(rfc3339),
    })
}

fn rfc3339(at: SystemTime) -> String {
    let at = time::OffsetDateTime::from(at).replace_nanosecond(0).unwrap_or_else(|_| at.into());
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|e| e.to_string())
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The database is out of reach: `503`, try again later. Any other failure: `500`. Logged in
/// full either way.
fn failed(e: &StoreError) -> Response {
    if e.unreachable {
        tracing::warn!(target: "tenants", "{e}");
        return error(StatusCode::SERVICE_UNAVAILABLE, format!("{e}; nothing was changed, try again later"));
    }
    tracing::error!(target: "tenants", "{e}");
    error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}"))
}
