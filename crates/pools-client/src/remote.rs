//! [`Remote`]: the [`Environment`] of a `pools serve` server, over HTTP (reqwest, rustls).
//! Errors come back as the server's RFC 9457 problem documents, rebuilt into the very
//! [`Error`] the server met, so a command prints the same lines and exits with the same
//! code through `--env` as against a local store.

use pools_core::error::{Error, ErrorBody};
use pools_core::pool::{Pool, PoolName, PoolSpec, StoredPool};
use pools_core::secret::Secret;
use pools_core::service::environment::*;
use pools_core::service::{Environment, import, restore};
use pools_core::store::PoolUsers;
use std::time::Duration;

/// A remote environment: a server's base URL and the token its requests carry.
pub struct Remote {
    name: String,
    base: url::Url,
    token: Secret,
    http: reqwest::Client,
}

/// How long a request may take, a login's budget well inside it.
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Remote {
    /// The environment `name` served at `url` (https, or http to a loopback host), its
    /// requests carrying `token`; `ca_cert`, PEM, holds CA certificates trusted for it
    /// besides the system's roots (a private CA: `pools env add --ca-cert`).
    ///
    /// Errors: [`Error::Invalid`] on the URL, or on `ca_cert` when it holds no PEM
    /// certificate; [`Error::Bug`] when no HTTP client can be made.
    pub fn new(
        name: &str,
        url: &str,
        token: Secret,
        ca_cert: Option<&[u8]>,
    ) -> Result<Remote, Error> {
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
        })
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

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        let resp = req
            .bearer_auth(self.token.expose())
            .header("Pools-Error-Spelling", "flag")
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| Error::Unavailable {
                message: format!(
                    "environment '{}' ({}) answered HTTP {} with a body this pools cannot read: {e}",
                    self.name,
                    self.base,
                    status.as_u16()
                ),
                hint: Some("check that the server and this pools are the same version".into()),
            });
        }
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

/// A stored pool from its wire form (`inspect -o json`'s shape).
fn stored(spec: PoolSpec) -> Result<StoredPool, Error> {
    let (position, version) = (spec.position, spec.version);
    Ok(StoredPool {
        pool: Pool::from_spec(&spec)?,
        position: position.unwrap_or_default(),
        version: version.unwrap_or_default(),
    })
}

/// The refusal of a call the server does not serve yet (issue 11 lands its routes in steps).
fn not_served(what: &str) -> Error {
    Error::invalid(
        "--env",
        format!("`pools {what}` is not served by the environment server yet"),
    )
    .with_hint(format!(
        "run `pools {what}` on the server's machine against its store (--store), without --env"
    ))
}

#[derive(serde::Deserialize)]
struct PoolAnswer {
    pool: PoolSpec,
    users: PoolUsers,
}

#[async_trait::async_trait]
impl Environment for Remote {
    async fn pools(&self) -> Result<Vec<StoredPool>, Error> {
        let specs: Vec<PoolSpec> = self.get(&["v1", "pools"]).await?;
        specs.into_iter().map(stored).collect()
    }

    async fn pool(&self, name: &str) -> Result<(StoredPool, PoolUsers), Error> {
        let a: PoolAnswer = self.get(&["v1", "pools", name]).await?;
        Ok((stored(a.pool)?, a.users))
    }

    async fn create_pool(&self, _: CreatePool) -> Result<Created, Error> {
        Err(not_served("create"))
    }

    async fn configure_pool(&self, _: ConfigurePool) -> Result<Configured, Error> {
        Err(not_served("configure"))
    }

    async fn delete_pool(
        &self,
        _: &str,
        _: Option<u64>,
        _: bool,
    ) -> Result<pools_core::store::DeleteOutcome, Error> {
        Err(not_served("delete"))
    }

    async fn reorder(&self, _: &[PoolName], _: &[PoolName]) -> Result<Vec<StoredPool>, Error> {
        Err(not_served("reorder"))
    }

    async fn plan_apply(
        &self,
        _: Vec<pools_core::config::Entry>,
        _: Option<String>,
        _: Option<u64>,
        _: bool,
    ) -> Result<ApplyPlan, Error> {
        Err(not_served("apply"))
    }

    async fn apply(
        &self,
        _: &ApplyPlan,
        _: bool,
    ) -> Result<Vec<pools_core::store::DeleteOutcome>, Error> {
        Err(not_served("apply"))
    }

    async fn export_pools(&self) -> Result<PoolsDocument, Error> {
        Err(not_served("export"))
    }

    async fn user(&self, _: &str) -> Result<UserView, Error> {
        Err(not_served("users show"))
    }

    async fn create_user(&self, _: CreateUser) -> Result<pools_core::user::User, Error> {
        Err(not_served("users create"))
    }

    async fn set_user_metadata(
        &self,
        _: &str,
        _: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<pools_core::user::User, Error> {
        Err(not_served("users set-metadata"))
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

    async fn users(&self, _: &UsersQuery) -> Result<UsersPage<pools_core::user::User>, Error> {
        Err(not_served("users list"))
    }

    async fn export_users(
        &self,
        _: &UsersQuery,
        _: bool,
    ) -> Result<UsersPage<(pools_core::user::User, Vec<String>)>, Error> {
        Err(not_served("users export"))
    }

    async fn methods(&self) -> Result<pools_core::methods::Settings, Error> {
        Err(not_served("methods"))
    }

    async fn set_method(
        &self,
        _: pools_core::methods::Method,
        _: bool,
    ) -> Result<MethodsChanged, Error> {
        Err(not_served("methods"))
    }

    async fn status(&self) -> Result<Status, Error> {
        Err(not_served("status"))
    }

    async fn check(&self, _: &[String]) -> Result<Vec<PoolCheck>, Error> {
        Err(not_served("check"))
    }

    async fn doctor(&self, _: &[String]) -> Result<pools_core::doctor::Scan, Error> {
        Err(not_served("doctor"))
    }

    async fn begin_import(
        &self,
        _: &str,
        _: bool,
    ) -> Result<(StoredPool, Option<pools_core::store::ImportLock>), Error> {
        Err(not_served("users import"))
    }

    async fn import(
        &self,
        _: ImportRequest,
        _: &mut dyn ImportEvents,
    ) -> Result<Result<pools_core::import::Summary, import::Stopped>, Error> {
        Err(not_served("users import"))
    }

    async fn restore(
        &self,
        _: pools_core::export::Input,
        _: usize,
        _: &mut (dyn FnMut(pools_core::backup::restore::Report) + Send),
    ) -> Result<Result<pools_core::backup::restore::Summary, restore::Stopped>, Error> {
        Err(not_served("users restore"))
    }

    async fn login(&self, _: LoginRequest) -> Result<pools_core::engine::Trace, Error> {
        Err(not_served("simulate-login"))
    }
}
