//! [`Remote`]: the [`Environment`] of a `pools serve` server, over HTTP (reqwest, rustls).
//! Errors come back as the server's RFC 9457 problem documents, rebuilt into the very
//! [`Error`] the server met, so a command prints the same lines and exits with the same
//! code through `--env` as against a local store.

use pools_core::error::{Error, ErrorBody};
use pools_core::pool::{PoolName, StoredPool};
use pools_core::secret::Secret;
use pools_core::service::environment::*;
use pools_core::service::{Environment, import, restore, wire};
use pools_core::store::{DeleteOutcome, PoolUsers};
use pools_core::user::User;
use std::time::Duration;

use crate::streams::{self, Lines};

/// A remote environment: a server's base URL and the token its requests carry.
pub struct Remote {
    name: String,
    base: url::Url,
    token: Secret,
    http: reqwest::Client,
    /// Where the notices the server sends back go (a local command's stderr).
    notify: pools_core::service::Notify,
}

/// The response header of a notice (`pools_server::notice`).
const NOTICE_HEADER: &str = "pools-notice";

/// How long a request may take, a login's budget well inside it.
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an import or restore may take: one of millions of rows takes hours.
const STREAM_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// Refuses a token that no server issues and no `Authorization` header carries (RFC 6750
/// §2.1, `b64token`: letters, digits and `-._~+/`, then `=`s), saying where the first bad
/// character is and never what the token is: a pasted second line or a space is told as
/// such, not met later as a network failure.
///
/// Errors: [`Error::Unauthorized`].
fn check_token(name: &str, token: &str) -> Result<(), Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~+/=".contains(c);
    let Some((at, bad)) = token.chars().enumerate().find(|&(_, c)| !allowed(c)) else {
        return Ok(());
    };
    let what = match bad {
        '\n' | '\r' => "a line break",
        ' ' | '\t' => "a space",
        c if c.is_control() => "a control character",
        _ => "a character no bearer token has",
    };
    Err(Error::Unauthorized {
        message: format!(
            "the token for environment '{name}' holds {what} (character {}): a token is one line of letters, digits and - . _ ~ + / =",
            at + 1
        ),
        hint: Some(format!(
            "give the token alone, as `pools serve token create` printed it: `pools env login {name}`, or POOLS_TOKEN"
        )),
    })
}

impl Remote {
    /// The environment `name` served at `url` (https, or http to a loopback host), its
    /// requests carrying `token`; `ca_cert`, PEM, holds CA certificates trusted for it
    /// besides the system's roots (a private CA: `pools env add --ca-cert`).
    ///
    /// Errors: [`Error::Unauthorized`] when `token` is not spelled as a bearer token can be
    /// ([`check_token`]); [`Error::Invalid`] on the URL, or on `ca_cert` when it holds no
    /// PEM certificate; [`Error::Bug`] when no HTTP client can be made.
    pub fn new(
        name: &str,
        url: &str,
        token: Secret,
        ca_cert: Option<&[u8]>,
    ) -> Result<Remote, Error> {
        check_token(name, token.expose())?;
        let mut base = pools_core::pool::validate_url("url", url)?;
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let roots = match ca_cert {
            Some(pem) => reqwest::Certificate::from_pem_bundle(pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    Error::invalid(
                        "ca_cert",
                        format!("the CA certificate of environment '{name}' is not PEM"),
                    )
                    .with_hint(format!(
                        "add the environment again with the CA's PEM certificate: `pools env remove {name}`, then `pools env add {name} --url URL --ca-cert PEM`"
                    ))
                })?,
            None => Vec::new(),
        };
        let http = reqwest::Client::builder()
            .tls_certs_merge(roots)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("pools/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Bug {
                message: format!("no HTTP client: {e}"),
            })?;
        Ok(Remote {
            name: name.to_owned(),
            base,
            token,
            http,
            notify: Box::new(|_| {}),
        })
    }

    /// The environment `name` as the client's config has it (`entry`: its URL, and its CA
    /// certificate read now), its requests carrying `token`.
    ///
    /// Errors: as [`Remote::new`]; the CA certificate's file not read.
    pub fn of_entry(
        name: &str,
        entry: &crate::config::Environment,
        token: Secret,
    ) -> Result<Remote, Error> {
        let ca_cert = match &entry.ca_cert {
            Some(path) => Some(crate::config::read_ca_cert(
                path,
                &format!("the CA certificate of environment '{name}'"),
            )?),
            None => None,
        };
        Remote::new(name, &entry.url, token, ca_cert.as_deref())
    }

    /// The same environment, telling what the server noticed while answering (warnings,
    /// where a secret went) through `notify`, as a local environment would.
    pub fn with_notify(mut self, notify: pools_core::service::Notify) -> Self {
        self.notify = notify;
        self
    }

    /// Who this environment's token is (`GET /v1/token`): its name and role on the server.
    ///
    /// Errors: [`Error::Unauthorized`] when the server does not know the token (or it was
    /// revoked); [`Error::Unavailable`] when the server does not answer.
    pub async fn token_info(&self) -> Result<wire::TokenInfo, Error> {
        self.get(&["v1", "token"]).await
    }

    /// The URL of `segments` under the base, each one percent-encoded as a path segment.
    fn url(&self, segments: &[&str]) -> url::Url {
        let mut u = self.base.clone();
        if let Ok(mut path) = u.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        u
    }

    /// `GET` of `segments`, the answer's JSON as `T`.
    async fn get<T: serde::de::DeserializeOwned>(&self, segments: &[&str]) -> Result<T, Error> {
        let req = self.http.get(self.url(segments));
        self.send(req).await
    }

    /// `method` of `segments` with `body` as JSON, the answer's JSON as `T`.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        segments: &[&str],
        body: &impl serde::Serialize,
    ) -> Result<T, Error> {
        let req = self.http.request(method, self.url(segments)).json(body);
        self.send(req).await
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        let resp = self.answer(req).await?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Unavailable {
            message: format!(
                "environment '{}' ({}) answered HTTP {} with a body this pools cannot read: {e}",
                self.name,
                self.base,
                status.as_u16()
            ),
            hint: Some("check that the server and this pools are the same version".into()),
        })
    }

    /// The answer to `req` when it is a success (the notices it carries told), else the
    /// error its problem document holds.
    async fn answer(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, Error> {
        let resp = req
            .bearer_auth(self.token.expose())
            .header("Pools-Error-Spelling", "flag")
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let status = resp.status();
        for v in resp.headers().get_all(NOTICE_HEADER) {
            if let Some(n) = v
                .to_str()
                .ok()
                .and_then(|t| serde_json::from_str::<pools_core::service::Notice>(t).ok())
            {
                (self.notify)(n);
            }
        }
        if status.is_success() {
            return Ok(resp);
        }
        let bytes = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(Error::from(body)),
            Err(_) => Err(Error::Unavailable {
                message: format!(
                    "environment '{}' ({}) answered HTTP {} without a problem document",
                    self.name,
                    self.base,
                    status.as_u16()
                ),
                hint: Some(
                    "check that the URL is the `pools serve` server's (`pools env list`), not a proxy's page".into(),
                ),
            }),
        }
    }

    /// Asks the server to stop the import `run` (Ctrl-C); an import that ended already is
    /// no error.
    async fn stop_import(&self, run: &str) {
        let req = self.http.post(self.url(&["v1", "imports", run, "stop"]));
        let _ = self.answer(req).await;
    }

    /// The error of a request that got no answer (the transport's words: no URL query, no
    /// token).
    fn unreachable(&self, e: &reqwest::Error) -> Error {
        let why = if e.is_timeout() {
            format!("no answer within {} s", TIMEOUT.as_secs())
        } else if e.is_connect() {
            "cannot connect".to_owned()
        } else {
            "the request failed".to_owned()
        };
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
        let mut cause = String::new();
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        Error::Unavailable {
            message: format!(
                "environment '{}' ({}) is not reachable: {why}{}",
                self.name,
                self.base,
                if cause.is_empty() {
                    String::new()
                } else {
                    format!(": {cause}")
                }
            ),
            hint: Some(
                "check that `pools serve` runs there and answers from here (`curl URL/healthz`), and the URL (`pools env list`)".into(),
            ),
        }
    }
}

#[derive(serde::Deserialize)]
struct PoolAnswer {
    pool: StoredPool,
    users: PoolUsers,
}

fn secret_values(given: Vec<pools_core::service::secrets::NewSecret>) -> Vec<wire::SecretValue> {
    given
        .into_iter()
        .map(|s| wire::SecretValue {
            field: s.field,
            value: s.value.expose().to_owned(),
        })
        .collect()
}

/// `If-Match` of `version` (R12).
fn if_match(req: reqwest::RequestBuilder, version: Option<u64>) -> reqwest::RequestBuilder {
    match version {
        Some(v) => req.header(reqwest::header::IF_MATCH, format!("\"{v}\"")),
        None => req,
    }
}

/// A user read back from the wire: its comparison key is made again (it is not sent).
fn user_from_wire(mut user: User) -> User {
    user.key = pools_core::identifier::key(&user.identifier);
    user
}

impl Remote {
    /// The URL of a page of users: `segments` with the query's filter and page.
    fn users_url(&self, segments: &[&str], query: &UsersQuery, hashes: bool) -> url::Url {
        let mut url = self.url(segments);
        {
            let mut q = url.query_pairs_mut();
            if let Some(p) = &query.filter.pool {
                q.append_pair("pool", p);
            }
            if let Some(o) = query.filter.origin {
                q.append_pair("origin", o.as_str());
            }
            if let Some(a) = &query.page.after {
                q.append_pair("after", a);
            }
            if let Some(l) = query.page.limit {
                q.append_pair("limit", &l.to_string());
            }
            if hashes {
                q.append_pair("hashes", "true");
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        url
    }

    /// `segments` with `pool=NAME` for each of `only`.
    fn pools_url(&self, segments: &[&str], only: &[String]) -> url::Url {
        let mut url = self.url(segments);
        if !only.is_empty() {
            let mut q = url.query_pairs_mut();
            for p in only {
                q.append_pair("pool", p);
            }
        }
        url
    }
}

#[async_trait::async_trait]
impl Environment for Remote {
    async fn pools(&self) -> Result<Vec<StoredPool>, Error> {
        self.get(&["v1", "pools"]).await
    }

    async fn pool(&self, name: &str) -> Result<(StoredPool, PoolUsers), Error> {
        let a: PoolAnswer = self.get(&["v1", "pools", name]).await?;
        Ok((a.pool, a.users))
    }

    async fn create_pool(&self, req: CreatePool) -> Result<Created, Error> {
        let body = wire::CreatePoolBody {
            pool: req.spec,
            secrets: secret_values(req.secrets),
            position: req.position,
        };
        self.call(reqwest::Method::POST, &["v1", "pools"], &body)
            .await
    }

    async fn configure_pool(&self, req: ConfigurePool) -> Result<Configured, Error> {
        let body = wire::ConfigurePoolBody::new(req.patch, secret_values(req.secrets), req.force);
        let r = self
            .http
            .patch(self.url(&["v1", "pools", &req.name]))
            .json(&body);
        self.send(if_match(r, req.if_version)).await
    }

    async fn delete_pool(
        &self,
        name: &str,
        if_version: Option<u64>,
        force: bool,
    ) -> Result<DeleteOutcome, Error> {
        let mut url = self.url(&["v1", "pools", name]);
        if force {
            url.set_query(Some("force=true"));
        }
        self.send(if_match(self.http.delete(url), if_version)).await
    }

    async fn reorder(
        &self,
        order: &[PoolName],
        expected: &[PoolName],
    ) -> Result<Vec<StoredPool>, Error> {
        let body = wire::ReorderBody {
            order: order.to_vec(),
            expected: expected.to_vec(),
        };
        self.call(reqwest::Method::PUT, &["v1", "order"], &body)
            .await
    }

    async fn plan_apply(&self, document: &ApplyDocument, prune: bool) -> Result<ApplyPlan, Error> {
        let body = wire::PlanBody {
            document: document.clone(),
            prune,
        };
        self.call(reqwest::Method::POST, &["v1", "apply", "plan"], &body)
            .await
    }

    async fn apply(&self, plan: &ApplyPlan, force: bool) -> Result<Vec<DeleteOutcome>, Error> {
        let body = wire::ApplyBody {
            plan: plan.clone(),
            force,
        };
        self.call(reqwest::Method::POST, &["v1", "apply"], &body)
            .await
    }

    async fn export_pools(&self) -> Result<PoolsDocument, Error> {
        self.get(&["v1", "export"]).await
    }

    async fn user(&self, identifier: &str) -> Result<UserView, Error> {
        let mut v: UserView = self.get(&["v1", "users", identifier]).await?;
        v.user = user_from_wire(v.user);
        Ok(v)
    }

    async fn create_user(&self, req: CreateUser) -> Result<User, Error> {
        let body = wire::CreateUserBody {
            identifier: req.identifier,
            password: req.password.expose().to_owned(),
            tenant: req.tenant,
        };
        let u: User = self
            .call(reqwest::Method::POST, &["v1", "users"], &body)
            .await?;
        Ok(user_from_wire(u))
    }

    async fn set_user_metadata(
        &self,
        identifier: &str,
        changes: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<User, Error> {
        let u: User = self
            .call(
                reqwest::Method::PATCH,
                &["v1", "users", identifier, "metadata"],
                changes,
            )
            .await?;
        Ok(user_from_wire(u))
    }

    async fn audit(
        &self,
        filter: &pools_core::audit::Filter,
    ) -> Result<Vec<pools_core::audit::Entry>, Error> {
        let mut url = self.url(&["v1", "audit"]);
        {
            let mut q = url.query_pairs_mut();
            if let Some(t) = filter.since {
                let t = t
                    .format(&time::format_description::well_known::Rfc3339)
                    .map_err(|e| Error::bug(format!("--since does not format: {e}")))?;
                q.append_pair("since", &t);
            }
            if let Some(p) = &filter.pool {
                q.append_pair("pool", p);
            }
            if let Some(a) = filter.after {
                q.append_pair("after", &a.to_string());
            }
            if let Some(l) = filter.limit {
                q.append_pair("limit", &l.to_string());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        self.send(self.http.get(url)).await
    }

    async fn users(&self, query: &UsersQuery) -> Result<UsersPage<User>, Error> {
        let url = self.users_url(&["v1", "users"], query, false);
        let page: wire::UsersPageBody<User> = self.send(self.http.get(url)).await?;
        Ok(UsersPage {
            users: page.users.into_iter().map(user_from_wire).collect(),
            next: page.next.map(pools_core::user::Cursor),
        })
    }

    async fn export_users(
        &self,
        query: &UsersQuery,
        include_hashes: bool,
    ) -> Result<UsersPage<(User, Vec<String>)>, Error> {
        let url = self.users_url(&["v1", "users", "export"], query, include_hashes);
        let page: wire::UsersPageBody<wire::ExportedUser> = self.send(self.http.get(url)).await?;
        Ok(UsersPage {
            users: page
                .users
                .into_iter()
                .map(|e| {
                    let mut user = user_from_wire(e.user);
                    user.password_hash = e.password_hash.map(Secret::new);
                    (user, e.aliases)
                })
                .collect(),
            next: page.next.map(pools_core::user::Cursor),
        })
    }

    async fn methods(&self) -> Result<pools_core::methods::Settings, Error> {
        self.get(&["v1", "methods"]).await
    }

    async fn set_method(
        &self,
        method: pools_core::methods::Method,
        enabled: bool,
    ) -> Result<MethodsChanged, Error> {
        self.call(
            reqwest::Method::PUT,
            &["v1", "methods", method.as_str()],
            &wire::MethodBody { enabled },
        )
        .await
    }

    async fn status(&self) -> Result<Status, Error> {
        self.get(&["v1", "status"]).await
    }

    async fn check(&self, only: &[String]) -> Result<Vec<PoolCheck>, Error> {
        let url = self.pools_url(&["v1", "check"], only);
        self.send(self.http.post(url)).await
    }

    async fn doctor(&self, only: &[String]) -> Result<pools_core::doctor::Scan, Error> {
        let url = self.pools_url(&["v1", "doctor"], only);
        self.send(self.http.get(url)).await
    }

    async fn begin_import(
        &self,
        pool: &str,
        _: bool,
    ) -> Result<(StoredPool, Option<pools_core::store::ImportLock>), Error> {
        // The server takes the pool's import lock when the import starts, before it reads
        // a byte of the body.
        let (pool, _) = self.pool(pool).await?;
        Ok((pool, None))
    }

    async fn import(
        &self,
        req: ImportRequest,
        events: &mut dyn ImportEvents,
    ) -> Result<Result<pools_core::import::Summary, import::Stopped>, Error> {
        let run = uuid::Uuid::new_v4().simple().to_string();
        let mut url = self.url(&["v1", "pools", &req.pool, "import"]);
        {
            let mut q = url.query_pairs_mut();
            if let Some(f) = req.format {
                q.append_pair("format", f.name());
            }
            q.append_pair(
                "on_conflict",
                pools_core::terms::Choice::name(req.on_conflict),
            );
            q.append_pair("batch", &req.batch.to_string());
            if req.dry_run {
                q.append_pair("dry_run", "true");
            }
            if let Some(id) = &req.import_id {
                q.append_pair("import_id", id);
            }
            if let Some(h) = &req.hash_config {
                // A file of the server's machine, as a pool's hash_config is.
                let h = std::path::absolute(h).unwrap_or_else(|_| h.clone());
                q.append_pair("hash_config", &h.display().to_string());
            }
            q.append_pair("run", &run);
            match &req.input {
                None => {
                    q.append_pair("from", "pool");
                }
                Some(input) if input.is_stream() => {
                    q.append_pair("file", &input.path().display().to_string());
                }
                Some(input) => {
                    // Its import ID is this host's and path's, as a local import's.
                    let id = pools_core::import::ImportId::of_file(input.path());
                    q.append_pair("file", &input.path().display().to_string());
                    q.append_pair("file_id", id.as_str());
                }
            }
        }
        let (body, upload) = match req.input {
            Some(input) => {
                let (body, upload) = streams::upload(input, req.cancel.clone());
                (Some(body), Some(upload))
            }
            None => (None, None),
        };
        let mut call = self.http.post(url).timeout(STREAM_TIMEOUT);
        if let Some(body) = body {
            call = call.body(body);
        }
        let resp = match self.answer(call).await {
            Ok(r) => r,
            Err(e) => return Err(upload.and_then(|u| u.error()).unwrap_or(e)),
        };
        let mut lines = Lines::new(resp);
        let mut asked_stop = false;
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        let outcome = loop {
            let next = tokio::select! {
                next = lines.next::<wire::ImportEvent>() => next,
                _ = tick.tick() => {
                    if !asked_stop && req.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst)) {
                        asked_stop = true;
                        self.stop_import(&run).await;
                    }
                    continue;
                }
            };
            match next {
                Ok(Some(wire::ImportEvent::Head(h))) => events.head(h.into_head()?),
                Ok(Some(wire::ImportEvent::Progress(p))) => events.progress(p),
                Ok(Some(wire::ImportEvent::Report(r))) => events.report(r.into_report()?),
                Ok(Some(wire::ImportEvent::Summary(s))) => break Ok(Ok(s)),
                Ok(Some(wire::ImportEvent::Stopped(s))) => break Ok(Err(s.into_stopped())),
                Ok(None) => break Err(streams::broke_off("import")),
                Err(e) => {
                    let read = upload.as_ref().and_then(streams::Upload::error);
                    break Err(read.or(e).unwrap_or_else(|| streams::broke_off("import")));
                }
            }
        };
        if let Some(u) = upload {
            u.finish();
        }
        outcome
    }

    async fn restore(
        &self,
        backup: pools_core::export::Input,
        batch: usize,
        refused: &mut (dyn FnMut(pools_core::backup::restore::Report) + Send),
    ) -> Result<Result<pools_core::backup::restore::Summary, restore::Stopped>, Error> {
        let mut url = self.url(&["v1", "users", "restore"]);
        url.query_pairs_mut()
            .append_pair("batch", &batch.to_string())
            .append_pair("file", &backup.path().display().to_string());
        let (body, upload) = streams::upload(backup, None);
        let call = self.http.post(url).timeout(STREAM_TIMEOUT).body(body);
        let resp = match self.answer(call).await {
            Ok(r) => r,
            Err(e) => return Err(upload.error().unwrap_or(e)),
        };
        let mut lines = Lines::new(resp);
        let outcome = loop {
            match lines.next::<wire::RestoreEvent>().await {
                Ok(Some(wire::RestoreEvent::Refused(r))) => refused(r.into()),
                Ok(Some(wire::RestoreEvent::Summary(s))) => break Ok(Ok(s)),
                Ok(Some(wire::RestoreEvent::Stopped(s))) => break Ok(Err(s.into_stopped())),
                Ok(Some(wire::RestoreEvent::Error(e))) => break Err(Error::from(e)),
                Ok(None) => break Err(streams::broke_off("restore")),
                Err(e) => {
                    break Err(upload
                        .error()
                        .or(e)
                        .unwrap_or_else(|| streams::broke_off("restore")));
                }
            }
        };
        upload.finish();
        outcome
    }

    async fn login(&self, req: LoginRequest) -> Result<pools_core::engine::Trace, Error> {
        let body = wire::SimulateLoginBody {
            identifier: req.identifier,
            password: req.password.map(|p| p.expose().to_owned()),
            claims: req.claims,
            budget_ms: u64::try_from(req.limits.budget.as_millis()).unwrap_or(u64::MAX),
            commit: req.commit,
        };
        // The rehearsal may take its whole budget, longer than other requests.
        let req = self
            .http
            .post(self.url(&["v1", "simulate-login"]))
            .timeout(req.limits.budget.max(TIMEOUT) + Duration::from_secs(10))
            .json(&body);
        self.send(req).await
    }
}
