//! Sign-in methods besides the password: what the environment enables and what each user may
//! use of it (R8, R9).

use crate::error::Result;
use crate::pool::{Pool, PoolType, SignInMethod};
use crate::store::Store;
use crate::terms::Choice;
use crate::user::Origin;
use serde::Serialize;
use std::collections::BTreeSet;

crate::terms::choice! {
    /// A sign-in method the environment can enable.
    #[derive(PartialOrd, Ord)]
    pub enum Method {
        Social = "social",
        Sso = "sso",
        Passwordless = "passwordless",
        /// One-time codes.
        Otc = "otc",
        Sms = "sms",
    }
}

impl Method {
    /// The name operators type, as [`Choice::name`].
    pub fn as_str(self) -> &'static str {
        Choice::name(self)
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

/// The sign-in methods enabled in an environment (all off until enabled).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Settings {
    pub enabled: BTreeSet<Method>,
}

const PREFIX: &str = "method.";

/// Reads the environment's methods.
pub fn settings(store: &dyn Store) -> Result<Settings> {
    let settings = store.settings(PREFIX)?;
    let enabled = Method::ALL
        .iter()
        .copied()
        .filter(|m| {
            settings
                .get(&format!("{PREFIX}{m}"))
                .is_some_and(|v| v == "enabled")
        })
        .collect();
    Ok(Settings { enabled })
}

/// Enables or disables a method for the environment.
pub fn set(store: &mut dyn Store, method: Method, on: bool) -> Result<()> {
    store.set_setting(
        &format!("{PREFIX}{method}"),
        if on { "enabled" } else { "disabled" },
    )
}

/// Whether one method is open to one user, and why not.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MethodReport {
    /// `password` or a [`Method`] name.
    pub method: String,
    pub available: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The sign-in options of a user of `origin`, created through `pool` if any (R8, R9).
pub fn for_user(env: &Settings, origin: Origin, pool: Option<&Pool>) -> Vec<MethodReport> {
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
    for &m in Method::ALL {
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
