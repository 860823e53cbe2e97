//! The API document: OpenAPI 3.1, generated from the routes' `#[utoipa::path]` attributes
//! and the wire types' schemas (`pools-core`'s `openapi` feature), served at
//! `GET /v1/openapi.json` without a token (it holds no secret and says nothing of the
//! store), and committed as `openapi.json` at the top of the repository (a test checks it is
//! current; `scripts/gen-docs` writes it).

use crate::problem::{PROBLEM_JSON, ProblemDocument};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, RefOr, ResponseBuilder, schema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "pools environment server",
        description = "The REST JSON API of `pools serve`: user pools, their login order, users, \
            sign-in methods, the audit log, rehearsals (`simulate-login`) and applications' \
            logins (`POST /v1/login`). Every route under /v1/ but this document takes \
            `Authorization: Bearer TOKEN` (RFC 6750) of a token made by `pools serve token \
            create`: role `admin` may do everything, `read` only GET, `login` only \
            POST /v1/login. Errors are RFC 9457 `application/problem+json` documents. A \
            pool's version is its `ETag`; a change sent with a stale `If-Match` is 412 \
            (R12). What the server noticed beside an answer (a warning, where a secret was \
            kept) comes in `Pools-Notice` response headers.",
        license(name = "see the repository"),
    ),
    paths(
        super::healthz,
        super::readyz,
        openapi_json,
        super::token,
        super::pools::list,
        super::pools::create,
        super::pools::get,
        super::pools::configure,
        super::pools::delete,
        super::pools::reorder,
        super::pools::plan_apply,
        super::pools::apply,
        super::pools::export,
        super::users::list,
        super::users::create,
        super::users::export,
        super::users::get,
        super::users::set_metadata,
        super::imports::import,
        super::imports::restore,
        super::imports::stop,
        super::ops::audit,
        super::ops::methods,
        super::ops::set_method,
        super::ops::status,
        super::ops::check,
        super::ops::doctor,
        super::ops::simulate_login,
        super::ops::login,
    ),
    components(schemas(ProblemDocument, pools_core::import::OnConflict)),
    modifiers(&Access),
    tags(
        (name = "pools", description = "User pools, their order, apply and export (R1, R5, R10, R12)."),
        (name = "users", description = "Users of the local store (R6, R7, R13)."),
        (name = "operations", description = "The audit log, sign-in methods, status, check, doctor."),
        (name = "logins", description = "Rehearsals and applications' logins (R3, R5, R14)."),
        (name = "server", description = "Health and this document (no token), and who a token is."),
    )
)]
struct ApiDoc;

/// The routes that need no token.
const OPEN: &[&str] = &["/healthz", "/readyz", "/v1/openapi.json"];

/// Adds the bearer scheme, requires it of every route but [`OPEN`]'s, and documents the
/// refusals every such route may answer: 401 (no token of this server), 403 (a role that may
/// not), 422 (a request that does not read), 503 (past the time limit, or the store does not
/// answer).
struct Access;

impl utoipa::Modify for Access {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        api.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "A token of `pools serve token create`, sent as Authorization: Bearer TOKEN (RFC 6750).",
                        ))
                        .build(),
                ),
            );
        let problem = |description: &str| {
            ResponseBuilder::new().description(description).content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(schema::Ref::from_schema_name("ProblemDocument")))
                    .build(),
            )
        };
        for (path, item) in api.paths.paths.iter_mut() {
            if OPEN.contains(&path.as_str()) {
                continue;
            }
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                op.security = Some(vec![SecurityRequirement::new(
                    "bearer",
                    Vec::<String>::new(),
                )]);
                let answers = &mut op.responses.responses;
                let mut add = |status: &str, response: ResponseBuilder| {
                    answers
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::T(response.build()));
                };
                add(
                    "401",
                    problem("No bearer token, or one that is not this server's.").header(
                        "WWW-Authenticate",
                        HeaderBuilder::new()
                            .schema(schema::Object::with_type(schema::Type::String))
                            .description(Some("`Bearer`."))
                            .build(),
                    ),
                );
                add(
                    "403",
                    problem("The token's role may not make this request."),
                );
                add(
                    "422",
                    problem("The request does not read, or breaks a rule (the rule is named)."),
                );
                add(
                    "503",
                    problem("Past the request's time limit, or the store does not answer."),
                );
                if op.request_body.is_some() {
                    add("413", problem("The body is past the server's size limit."));
                }
            }
        }
    }
}

/// The API document, as served and committed: pretty JSON, ending with a newline.
pub fn document() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    text.push('\n');
    text
}

/// `GET /v1/openapi.json`: this API's OpenAPI 3.1 document. No token needed.
#[utoipa::path(get, path = "/v1/openapi.json", operation_id = "openapi", tag = "server",
    responses((status = 200, description = "This document (OpenAPI 3.1).", content_type = "application/json", body = Object)))]
pub(super) async fn openapi_json() -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOC.get_or_init(document).as_str(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use pools_core::terms::Choice;
    use serde_json::Value;

    /// The names a schema of the document lists are those serde writes (a derive on a
    /// macro's enum once listed the Rust variants: `Native` for `native`).
    fn names_as_serialised<T: utoipa::PartialSchema + serde::Serialize>(all: &[T]) {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let written: Vec<Value> = all
            .iter()
            .map(|v| serde_json::to_value(v).unwrap())
            .collect();
        assert_eq!(schema["enum"], Value::Array(written), "{schema}");
    }

    /// Issue 11: the choices and codes of the wire (R1's types and sources, R3's origins,
    /// R8's methods, R14's refusal reasons) are documented as they are written.
    #[test]
    fn enum_schemas_list_the_names_serde_writes() {
        names_as_serialised(pools_core::user::Origin::ALL);
        names_as_serialised(pools_core::methods::Method::ALL);
        names_as_serialised(pools_core::pool::Mode::ALL);
        names_as_serialised(pools_core::pool::PoolType::ALL);
        names_as_serialised(pools_core::pool::SourceKind::ALL);
        names_as_serialised(pools_core::pool::SignInMethod::ALL);
        names_as_serialised(pools_core::engine::Reason::ALL);
        names_as_serialised(pools_core::doctor::FindingCode::ALL);
    }

    /// A problem document has the members its schema names, and no other (RFC 9457).
    #[test]
    fn a_problem_document_has_the_members_of_its_schema() {
        let doc: Value = serde_json::from_str(&super::document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let mut named: Vec<String> = Vec::new();
        for part in schemas["ProblemDocument"]["allOf"].as_array().unwrap() {
            let part = match part["$ref"].as_str() {
                Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
                None => part,
            };
            named.extend(part["properties"].as_object().unwrap().keys().cloned());
        }
        named.sort();
        let e = pools_core::Error::invalid("client_secret", "env:X is not set (R11)")
            .with_hint("set it");
        let written = crate::problem::document(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            &e.body(pools_core::error::Spelling::Key),
        );
        let mut members: Vec<String> = written.as_object().unwrap().keys().cloned().collect();
        members.sort();
        assert_eq!(members, named);
    }
}
