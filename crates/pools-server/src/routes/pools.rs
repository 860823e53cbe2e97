//! Pools, their order, `apply` and `export` (R1, R5, R10, R12).

use super::query_flag;
use crate::State;
use crate::auth::Request;
use crate::problem::{PROBLEM_JSON, ProblemDocument};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use pools_core::api_token::Access;
use pools_core::pool::{PoolName, StoredPool};
use pools_core::secret::Secret;
use pools_core::service::Environment;
use pools_core::service::environment::{ApplyPlan, Configured, Created, PoolsDocument};
use pools_core::service::environment::{ConfigurePool, CreatePool};
use pools_core::service::secrets::NewSecret;
use pools_core::service::wire;
use pools_core::store::{DeleteOutcome, PoolUsers};

/// `GET /v1/pools/{name}`'s answer: the pool and its users by what deleting it would do
/// (R10).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct PoolAndUsers {
    pub pool: StoredPool,
    pub users: PoolUsers,
}

type Body<T> = Result<Json<T>, JsonRejection>;

fn secrets(given: Vec<wire::SecretValue>) -> Vec<NewSecret> {
    given
        .into_iter()
        .map(|s| NewSecret {
            field: s.field,
            value: Secret::new(s.value),
        })
        .collect()
}

/// `GET /v1/pools`: the pools in login order, each as `inspect -o json` shows it.
#[utoipa::path(get, path = "/v1/pools", operation_id = "listPools", tag = "pools",
    responses((status = 200, description = "The pools in login order (R5).", body = Vec<StoredPool>)))]
pub(super) async fn list(Shared(s): Shared<State>, req: Request) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().pools().await;
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/pools`: creates a pool; 201 with it (its `ETag`) and where its secrets went.
#[utoipa::path(post, path = "/v1/pools", operation_id = "createPool", tag = "pools",
    request_body(content = wire::CreatePoolBody,
        example = json!({"pool": {"name": "legacy", "type": "external", "source": "export", "mode": "jit", "tenant": "auto", "file": "users.csv"}})),
    responses(
        (status = 201, description = "The pool created, and where its secrets were kept (R11).", body = Created,
            headers(("ETag" = String, description = "The pool's version (R12)."))),
        (status = 409, description = "A pool of that name exists (R1).", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn create(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::CreatePoolBody>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(b)) => {
            call.env()
                .create_pool(CreatePool {
                    spec: b.pool,
                    secrets: secrets(b.secrets),
                    position: b.position,
                })
                .await
        }
    };
    let r = r.map(|c| {
        let v = c.pool.version;
        (c, Some(v))
    });
    call.answer_tagged(r, StatusCode::CREATED)
}

/// `GET /v1/pools/{name}`: the pool and its users by what deleting it would do, with the
/// pool's version as its `ETag` (R12: a change sends it back as `If-Match`).
#[utoipa::path(get, path = "/v1/pools/{name}", operation_id = "getPool", tag = "pools", params(("name" = PoolName, Path, description = "The pool's name (R1).", example = "legacy")),
    responses(
        (status = 200, description = "The pool, and its users by what deleting it would do (R10).", body = PoolAndUsers,
            headers(("ETag" = String, description = "The pool's version: send it back as If-Match (R12)."))),
        (status = 404, description = "No such pool.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn get(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().pool(&name).await.map(|(pool, users)| {
        let v = pool.version;
        (PoolAndUsers { pool, users }, Some(v))
    });
    call.answer_tagged(r, StatusCode::OK)
}

/// `PATCH /v1/pools/{name}`: changes the settings given, if the pool is still at
/// `If-Match` (412 otherwise, R12); the pool before and after.
#[utoipa::path(patch, path = "/v1/pools/{name}", operation_id = "configurePool", tag = "pools",
    params(
        ("name" = PoolName, Path, description = "The pool's name (R1).", example = "legacy"),
        ("If-Match" = Option<String>, Header, description = "The ETag the pool was read with (R12); `*` or absent: the current version."),
    ),
    request_body(content = wire::ConfigurePoolBody,
        example = json!({"patch": {"name": "legacy", "enabled": false}})),
    responses(
        (status = 200, description = "The pool before and after the change.", body = Configured,
            headers(("ETag" = String, description = "The pool's version after the change (R12)."))),
        (status = 404, description = "No such pool.", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 409, description = "The change conflicts with the store (R10, R12).", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 412, description = "The pool is no longer at If-Match (R12): nothing written.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn configure(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
    body: Body<wire::ConfigurePoolBody>,
) -> Response {
    let mut call = begin!(s, req, Access::Write);
    let r = match (call.if_match(), body) {
        (Err(e), _) => Err(e),
        (_, Err(e)) => Err(call.bad_body(e)),
        (Ok(if_version), Ok(Json(b))) => match b.patch() {
            Err(e) => Err(e),
            Ok(patch) => {
                call.env()
                    .configure_pool(ConfigurePool {
                        name,
                        patch,
                        secrets: secrets(b.secrets),
                        if_version,
                        force: b.force,
                    })
                    .await
            }
        },
    };
    let r = r.map(|c| {
        let v = c.after.version;
        (c, Some(v))
    });
    call.answer_tagged(r, StatusCode::OK)
}

/// `DELETE /v1/pools/{name}[?force=true]`: deletes the pool if still at `If-Match`; refuses
/// a pool users still need without `force` (R10). Answers what became of its users.
#[utoipa::path(delete, path = "/v1/pools/{name}", operation_id = "deletePool", tag = "pools",
    params(
        ("name" = PoolName, Path, description = "The pool's name (R1).", example = "legacy"),
        ("force" = Option<bool>, Query, description = "Delete a pool that still owns non-migrated users (R10)."),
        ("If-Match" = Option<String>, Header, description = "The ETag the pool was read with (R12)."),
    ),
    responses(
        (status = 200, description = "What became of the pool's users (R3, R10).", body = DeleteOutcome),
        (status = 404, description = "No such pool.", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 409, description = "The pool still owns users and `force` is not given (R10).", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 412, description = "The pool is no longer at If-Match (R12): nothing written.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn delete(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
) -> Response {
    let query = req.query.clone();
    let mut call = begin!(s, req, Access::Write);
    let r = match (call.if_match(), query_flag(query.as_deref(), "force")) {
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(if_version), Ok(force)) => call.env().delete_pool(&name, if_version, force).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `PUT /v1/order`: sets the login order if it is still the one expected (412 otherwise,
/// R12); the pools in their new order.
#[utoipa::path(put, path = "/v1/order", operation_id = "reorderPools", tag = "pools",
    request_body(content = wire::ReorderBody,
        example = json!({"order": ["legacy"], "expected": ["legacy"]})),
    responses(
        (status = 200, description = "The pools in their new login order (R5).", body = Vec<StoredPool>),
        (status = 404, description = "The order names a pool that does not exist.", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 412, description = "The order is no longer `expected` (R12): nothing written.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn reorder(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::ReorderBody>,
) -> Response {
    let mut call = begin!(s, req, Access::Write);
    call.conditional();
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(b)) => call.env().reorder(&b.order, &b.expected).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/apply/plan`: the plan of a document, nothing written.
#[utoipa::path(post, path = "/v1/apply/plan", operation_id = "planApply", tag = "pools",
    request_body = wire::PlanBody,
    responses(
        (status = 200, description = "The plan of the document; nothing written.", body = ApplyPlan),
        (status = 404, description = "The document names something that does not exist.", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 409, description = "The document is stale (R12).", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn plan_apply(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::PlanBody>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(b)) => call.env().plan_apply(&b.document, b.prune).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/apply`: carries out a plan in one transaction, refused (412) when the pools
/// or the order moved since it was made (R12); the deleted pools' counts.
#[utoipa::path(post, path = "/v1/apply", operation_id = "apply", tag = "pools",
    request_body = wire::ApplyBody,
    responses(
        (status = 200, description = "The deleted pools' counts (R10).", body = Vec<DeleteOutcome>),
        (status = 404, description = "The plan names a pool that does not exist.", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 412, description = "The pools or the order moved since the plan was made (R12): nothing written.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn apply(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::ApplyBody>,
) -> Response {
    let mut call = begin!(s, req, Access::Write);
    call.conditional();
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(b)) => call.env().apply(&b.plan, b.force).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `GET /v1/export`: the pools as `pools export` writes them.
#[utoipa::path(get, path = "/v1/export", operation_id = "exportPools", tag = "pools",
    responses((status = 200, description = "The pools as `pools export` writes them (secrets as references, R11).", body = PoolsDocument)))]
pub(super) async fn export(Shared(s): Shared<State>, req: Request) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().export_pools().await;
    call.answer(r, StatusCode::OK)
}
