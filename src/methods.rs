//! Sign-in methods besides the password: what the environment enables and what each user may
//! use of it (R8, R9).

use crate::error::Result;
use crate::pool::{Pool, PoolType, SignInMethod};
use crate::store::Store;
use crate::user::Origin;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// A sign-in method the environment can enable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Social,
    Sso,
    Passwordless,
    /// One-time codes.
    Otc,
    Sms,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Social,
        Method::Sso,
        Method::Passwordless,
        Method::Otc,
        Method::Sms,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Social => "social",
            Method::Sso => "sso",
            Method::Passwordless => "passwordless",
            Method::Otc => "otc",
            Method::Sms => "sms",
        }
    }

    /// The per-pool permission this method needs (R9), if any.
    fn pool_permission(self) -> Option<SignInMethod> {
        match self {
            Method::Social => Some(SignInMethod::Social),
            Method::Sso => Some(SignInMethod::Sso),
            Method::Passwordless => Some(SignInMethod::Passwordless),
            Method::Otc | Method::Sms => None,
        }
    }

    /// Methods users stored externally cannot use (R8).
    pub fn needs_local_user(self) -> bool {
        matches!(self, Method::Otc | Method::Sso | Method::Sms)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The methods enabled in an environment (all off until enabled).
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub enabled: BTreeSet<Method>,
}

const PREFIX: &str = "method.";

/// Reads the environment's methods.
pub fn environment(store: &dyn Store) -> Result<Environment> {
    let settings = store.settings(PREFIX)?;
    let enabled = Method::ALL
        .into_iter()
        .filter(|m| {
            settings
                .get(&format!("{PREFIX}{m}"))
                .is_some_and(|v| v == "enabled")
        })
        .collect();
    Ok(Environment { enabled })
}

/// Enables or disables a method for the environment.
pub fn set(store: &mut dyn Store, method: Method, on: bool) -> Result<()> {
    store.set_setting(
        &format!("{PREFIX}{method}"),
        if on { "enabled" } else { "disabled" },
    )
}

/// Whether one method is open to one user, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodReport {
    /// `password` or a [`Method`] name.
    pub method: String,
    pub available: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The sign-in options of a user of `origin`, created through `pool` if any (R8, R9).
pub fn for_user(env: &Environment, origin: Origin, pool: Option<&Pool>) -> Vec<MethodReport> {
    let federated =
        origin == Origin::Shadow && pool.is_some_and(|p| p.pool_type() == PoolType::Idp);
    let mut out = vec![MethodReport {
        method: "password".into(),
        available: !federated,
        reason: if federated {
            "signs in on the IdP's own page (federation)".into()
        } else {
            String::new()
        },
    }];
    for m in Method::ALL {
        let (available, reason) = if !env.enabled.contains(&m) {
            (
                false,
                "not enabled in this environment (`pools methods enable`)".to_owned(),
            )
        } else if origin == Origin::Shadow && m.needs_local_user() {
            let p = pool.map_or("?".to_owned(), |p| format!("{} ({})", p.name, p.mode));
            (
                false,
                format!("R8: the user is stored externally by pool {p}"),
            )
        } else if origin == Origin::Native {
            (true, String::new())
        } else {
            match (m.pool_permission(), pool) {
                (None, _) => (true, String::new()),
                (Some(perm), Some(p)) if p.allow.contains(&perm) => (true, String::new()),
                (Some(_), Some(p)) => (
                    false,
                    format!("R9: pool {} does not allow it (--allow)", p.name),
                ),
                (Some(_), None) => (
                    false,
                    "R9: the user's pool no longer exists to allow it".to_owned(),
                ),
            }
        };
        out.push(MethodReport {
            method: m.to_string(),
            available,
            reason,
        });
    }
    out
}
