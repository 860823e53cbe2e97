//! Live sources: pools whose users are asked over the network at login — Auth0, AWS
//! Cognito, Firebase Authentication and the operator's own HTTP endpoint — behind
//! [`pools_core::source::Source`]. Each is a small module that turns the provider's
//! documented answers into the engine's [`Answer`]s; the engine keeps every rule (R5, R13,
//! R15, R16, R17) and knows nothing of HTTP.
//!
//! [`Answer`]: pools_core::source::Answer

mod auth0;
mod cognito;
mod custom;
mod firebase;
pub mod http;

use pools_core::pool::{Pool, SourceSettings};
use pools_core::source::{self, Answer, Asked, OfflineSources, Probe, Source};

/// The string claim `name` of a JWT, read without verifying the token: for telling a
/// misconfigured pool (another user pool, project or user) only, never for a profile.
pub(crate) fn unverified_claim(token: &str, name: &str) -> Option<String> {
    let claims: serde_json::Value = jsonwebtoken::dangerous::insecure_decode_claims(token).ok()?;
    claims.get(name)?.as_str().map(str::to_owned)
}

/// `id` when it is 1 to `max` ASCII letters, digits, `_` and `-` (an ID a provider gives,
/// shown in a message): else none.
pub(crate) fn plain_id(id: &str, max: usize) -> Option<String> {
    (!id.is_empty()
        && id.len() <= max
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then(|| id.to_owned())
}

/// A fix that runs `pools configure POOL ARGS`, as the operator types it.
pub(crate) fn configure(pool: &str, args: &str) -> String {
    format!("`pools configure {pool} {args}`")
}

/// The failed `credentials` probe of a secret reference that does not resolve where `pools
/// check` runs (`why` names the field and the reference, never a value); `flag` sets it.
pub(crate) fn unresolved(pool: &str, why: &dyn std::fmt::Display, flag: &str) -> Probe {
    Probe::fail(
        "credentials",
        why.to_string(),
        format!(
            "make the reference resolve here, or set it again: {}",
            configure(pool, &format!("{flag} -"))
        ),
    )
}

/// The sources of a process that reaches the network: the live kinds over one shared
/// [`http::Http`] client, the others as [`OfflineSources`] makes them.
#[derive(Clone, Debug)]
pub struct LiveSources {
    http: Result<http::Http, String>,
    /// Auth0 Management API tokens, kept for the process until they expire.
    auth0_tokens: auth0::Tokens,
}

impl LiveSources {
    /// A factory with its HTTP client. A client that cannot be set up is reported by
    /// each live pool's login, as `source_unavailable` (why), not here.
    pub fn new() -> LiveSources {
        LiveSources {
            http: http::Http::new(),
            auth0_tokens: auth0::Tokens::default(),
        }
    }
}

impl Default for LiveSources {
    fn default() -> Self {
        Self::new()
    }
}

impl source::Sources for LiveSources {
    fn source(&self, pool: &Pool) -> Box<dyn Source> {
        let name = pool.name.to_string();
        let http = match &self.http {
            Ok(h) => h.clone(),
            Err(why) => return Box::new(Broken(why.clone())),
        };
        match &pool.settings {
            SourceSettings::Custom { url, auth_header } => Box::new(custom::CustomSource {
                pool: name,
                http,
                url: url.clone(),
                auth_header: auth_header.clone(),
            }),
            SourceSettings::Auth0 {
                domain,
                client_id,
                client_secret,
                connection,
                endpoint_url,
            } => Box::new(auth0::Auth0Source {
                pool: name,
                http,
                base: auth0::base(domain, endpoint_url.as_ref()),
                domain: domain.clone(),
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                connection: connection
                    .clone()
                    .unwrap_or_else(|| pools_core::pool::AUTH0_DEFAULT_CONNECTION.to_owned()),
                tokens: self.auth0_tokens.clone(),
            }),
            SourceSettings::Cognito {
                region,
                user_pool_id,
                client_id,
                client_secret,
                endpoint_url,
            } => Box::new(cognito::CognitoSource {
                user_pool_id: user_pool_id.clone(),
                pool: name,
                http,
                endpoint: cognito::endpoint(region, endpoint_url.as_ref()),
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            }),
            SourceSettings::Firebase {
                project_id,
                api_key,
                endpoint_url,
            } => Box::new(firebase::FirebaseSource {
                project_id: project_id.clone(),
                pool: name,
                http,
                base: firebase::base(endpoint_url.as_ref()),
                api_key: api_key.clone(),
            }),
            _ => OfflineSources.source(pool),
        }
    }
}

/// A live source whose client could not be made: unavailable (why), fail closed (R5).
struct Broken(String);

#[async_trait::async_trait]
impl Source for Broken {
    async fn ask(&self, _: Asked) -> Answer {
        Answer::Unavailable(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pools_core::secret::Secret;
    use pools_core::source::{ExchangeLog, Sources};
    use std::io::{BufRead, BufReader};
    use std::time::{Duration, Instant};

    /// The Auth0 test double (tests/doubles/auth0.py) over `tenant`, on `port` (0: any);
    /// killed when dropped.
    struct Double(std::process::Child, String);

    impl Drop for Double {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn double(tenant: &std::path::Path, port: &str) -> Double {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/doubles/auth0.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg("serve")
            .arg(tenant)
            .args(["--host", "127.0.0.1", "--port", port])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 is needed for the Auth0 test double: install Python 3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap()
            .to_owned();
        Double(child, addr)
    }

    async fn ask(sources: &LiveSources, pool: &Pool) -> (Answer, Vec<String>) {
        let log = ExchangeLog::default();
        let answer = sources
            .source(pool)
            .ask(Asked {
                identifier: "lee@acme.test".into(),
                password: Some(Secret::new("Harbor-lights-9".into())),
                claims: None,
                deadline: Instant::now() + Duration::from_secs(10),
                exchanges: log.clone(),
            })
            .await;
        let calls = log
            .take()
            .into_iter()
            .map(|e| format!("{} {}", e.call, e.status.unwrap_or(0)))
            .collect();
        (answer, calls)
    }

    /// The factory keeps the Auth0 Management API token for the process: the second login
    /// through a new source of the same pool gets no token of its own; a kept token the
    /// tenant no longer accepts (the double restarted, its tokens gone) is replaced once.
    #[tokio::test(flavor = "current_thread")]
    async fn auth0_logins_of_one_process_share_the_management_token() {
        let dir = std::env::temp_dir().join(format!("pools-live-auth0-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let tenant = dir.join("tenant.json");
        std::fs::write(
            &tenant,
            serde_json::json!({"domain": "acme.test", "client_id": "app", "client_secret": "s3",
                "users": [{"user_id": "auth0|1", "email": "lee@acme.test",
                           "password": "Harbor-lights-9", "app_metadata": {"tenantId": "t"}}]})
            .to_string(),
        )
        .unwrap();
        std::fs::write(dir.join("secret"), "s3").unwrap();
        let first = double(&tenant, "0");
        let spec: pools_core::pool::PoolSpec = serde_json::from_value(serde_json::json!({
            "name": "live", "type": "external", "source": "auth0", "mode": "jit",
            "tenant": "auto", "domain": "acme.test", "client_id": "app",
            "client_secret": format!("file:{}", dir.join("secret").display()),
            "endpoint_url": format!("http://{}", first.1),
        }))
        .unwrap();
        let pool = Pool::from_spec(&spec).unwrap();
        let sources = LiveSources::new();
        let (a, calls) = ask(&sources, &pool).await;
        assert_eq!(a.code(), "authenticated", "{a:?}");
        assert_eq!(
            calls,
            [
                "oauth/token 200",
                "oauth/token (client credentials) 200",
                "users 200"
            ]
        );
        let (a, calls) = ask(&sources.clone(), &pool).await;
        assert_eq!(a.code(), "authenticated", "{a:?}");
        assert_eq!(calls, ["oauth/token 200", "users 200"]);

        let port = first.1.rsplit(':').next().unwrap().to_owned();
        drop(first);
        let _second = double(&tenant, &port);
        let (a, calls) = ask(&sources, &pool).await;
        assert_eq!(a.code(), "authenticated", "{a:?}");
        assert_eq!(
            calls,
            [
                "oauth/token 200",
                "users 401",
                "oauth/token (client credentials) 200",
                "users 200"
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
