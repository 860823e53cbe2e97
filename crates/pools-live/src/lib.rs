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
use pools_core::source::{self, Answer, Asked, OfflineSources, Source};

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
        let http = match &self.http {
            Ok(h) => h.clone(),
            Err(why) => return Box::new(Broken(why.clone())),
        };
        match &pool.settings {
            SourceSettings::Custom { url, auth_header } => Box::new(custom::CustomSource {
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
                client_id,
                client_secret,
                endpoint_url,
                ..
            } => Box::new(cognito::CognitoSource {
                http,
                endpoint: cognito::endpoint(region, endpoint_url.as_ref()),
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            }),
            SourceSettings::Firebase {
                api_key,
                endpoint_url,
                ..
            } => Box::new(firebase::FirebaseSource {
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
