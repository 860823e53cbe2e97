//! Pools, their order, `apply` and `export` (R1, R5, R10, R12).

use super::{bad_body, query_flag};
use crate::State;
use crate::auth::Request;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use pools_core::api_token::Access;
use pools_core::secret::Secret;
use pools_core::service::Environment;
use pools_core::service::environment::{ConfigurePool, CreatePool};
use pools_core::service::secrets::NewSecret;
use pools_core::service::wire;

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
pub(super) async fn list(Shared(s): Shared<State>, req: Request) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().pools().await;
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/pools`: creates a pool; 201 with it (its `ETag`) and where its secrets went.
pub(super) async fn create(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::CreatePoolBody>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(bad_body(e)),
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
pub(super) async fn get(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().pool(&name).await.map(|(pool, users)| {
        let v = pool.version;
        (serde_json::json!({ "pool": pool, "users": users }), Some(v))
    });
    call.answer_tagged(r, StatusCode::OK)
}

/// `PATCH /v1/pools/{name}`: changes the settings given, if the pool is still at
/// `If-Match` (412 otherwise, R12); the pool before and after.
pub(super) async fn configure(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
    body: Body<wire::ConfigurePoolBody>,
) -> Response {
    let mut call = begin!(s, req, Access::Write);
    let r = match (call.if_match(), body) {
        (Err(e), _) => Err(e),
        (_, Err(e)) => Err(bad_body(e)),
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
pub(super) async fn reorder(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::ReorderBody>,
) -> Response {
    let mut call = begin!(s, req, Access::Write);
    call.conditional();
    let r = match body {
        Err(e) => Err(bad_body(e)),
        Ok(Json(b)) => call.env().reorder(&b.order, &b.expected).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/apply/plan`: the plan of a document, nothing written.
pub(super) async fn plan_apply(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::PlanBody>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(bad_body(e)),
        Ok(Json(b)) => call.env().plan_apply(&b.document, b.prune).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/apply`: carries out a plan in one transaction, refused (412) when the pools
/// or the order moved since it was made (R12); the deleted pools' counts.
pub(super) async fn apply(
    Shared(s): Shared<State>,
    req: Request,
    body: Body<wire::ApplyBody>,
) -> Response {
    let mut call = begin!(s, req, Access::Write);
    call.conditional();
    let r = match body {
        Err(e) => Err(bad_body(e)),
        Ok(Json(b)) => call.env().apply(&b.plan, b.force).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `GET /v1/export`: the pools as `pools export` writes them.
pub(super) async fn export(Shared(s): Shared<State>, req: Request) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().export_pools().await;
    call.answer(r, StatusCode::OK)
}
