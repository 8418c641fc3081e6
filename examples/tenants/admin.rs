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
//! - `GET /admin/tenants`: the stored domains and the origins in force.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::domains::{AddError, Added};
use super::state::AppState;

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
    let domains = state.domains.clone();
    let (tenant, origin) = (new.tenant.clone(), new.origin.clone());
    let added = blocking(move || domains.add(&tenant, &origin)).await;
    let in_force = state.domains.in_force().len();
    let answer = |status: StatusCode, added: bool| {
        let body = json!({ "added": added, "tenant": new.tenant, "origin": new.origin, "origins_in_force": in_force });
        (status, Json(body)).into_response()
    };
    match added {
        Ok(Ok(Added::New)) => {
            tracing::info!(target: "tenants", tenant = new.tenant, origin = new.origin, "domain stored and in force");
            answer(StatusCode::CREATED, true)
        }
        Ok(Ok(Added::AlreadyThere)) => answer(StatusCode::OK, false),
        Ok(Ok(Added::OwnedBy(owner))) => {
            let problem = format!(
                "origin `{}` belongs to tenant `{owner}`: a domain has one tenant; remove it there first (DELETE {PATH}?origin={})",
                new.origin, new.origin
            );
            let body = json!({ "added": false, "origin": new.origin, "owner": owner, "problems": [problem] });
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        Ok(Err(AddError::Refused(problems))) => {
            tracing::info!(target: "tenants", tenant = new.tenant, origin = new.origin, ?problems, "domain refused");
            let body = json!({ "added": false, "origin": new.origin, "problems": problems });
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
        Ok(Err(AddError::Store(e))) => failed(&e),
        Err(panic) => failed(&panic),
    }
}

async fn remove(State(state): State<AppState>, which: Result<Query<Which>, QueryRejection>) -> Response {
    let Query(Which { origin }) = match which {
        Ok(which) => which,
        Err(rejection) => {
            return error(rejection.status(), format!("{}: write {PATH}?origin=<origin>", rejection.body_text()))
        }
    };
    let domains = state.domains.clone();
    let removing = origin.clone();
    let removed = blocking(move || domains.remove(&removing)).await;
    let in_force = state.domains.in_force().len();
    match removed {
        Ok(Ok(Some(tenant))) => {
            tracing::info!(target: "tenants", tenant, origin, "domain removed");
            let body = json!({ "removed": true, "tenant": tenant, "origin": origin, "origins_in_force": in_force });
            (StatusCode::OK, Json(body)).into_response()
        }
        Ok(Ok(None)) => {
            let problem = format!("no tenant has the domain `{origin}`: GET {PATH} lists them, exactly as stored");
            let body = json!({ "removed": false, "origin": origin, "problems": [problem] });
            (StatusCode::NOT_FOUND, Json(body)).into_response()
        }
        Ok(Err(e)) => failed(&e),
        Err(panic) => failed(&panic),
    }
}

async fn list(State(state): State<AppState>) -> Response {
    let domains = state.domains.clone();
    match blocking(move || domains.stored()).await {
        Ok(Ok(stored)) => {
            Json(json!({ "domains": stored, "origins_in_force": state.domains.in_force() })).into_response()
        }
        Ok(Err(e)) => failed(&e),
        Err(panic) => failed(&panic),
    }
}

/// SQLite calls block: they run on tokio's blocking threads, not on the ones serving requests.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(work).await
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The database failed: logged in full, `500` to the caller.
fn failed(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(target: "tenants", "{e}");
    error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}"))
}
