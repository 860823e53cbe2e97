//! Tenant resolution for users created through a pool (R4).

mod policy;

pub use policy::{TenantFallback, TenantPolicy, TenantSource};
use serde_json::{Map, Value};

/// The outcome of resolving a new user's tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// `tenant_id` and how it was found, e.g. `property:tenantId`, `fixed`,
    /// `auto (new tenant)`, `fallback fixed (property tenantId missing)`.
    Resolved {
        tenant_id: String,
        how: String,
        new_tenant: bool,
    },
    /// The property held an array of several values (`tenant_ambiguous`).
    Ambiguous { path: String, count: usize },
    /// The property was missing, null, empty or not a string and no fallback is set
    /// (`tenant_unresolved`).
    Unresolved { path: String, why: &'static str },
    /// The property holds a string that is no usable tenant ID (control or invisible
    /// characters, too long): refused even with a fallback, since the source did name a
    /// tenant and the fallback would place the user in another one for good (R4;
    /// `tenant_unresolved`).
    Unusable { path: String, why: String },
}

impl Resolution {
    /// Why the user cannot be placed, for reports that name the record: the reason code
    /// (`tenant_ambiguous`, `tenant_unresolved`) and a message citing R4; `None` when resolved.
    pub fn refusal(&self) -> Option<(&'static str, String)> {
        match self {
            Resolution::Resolved { .. } => None,
            Resolution::Ambiguous { path, count } => Some((
                "tenant_ambiguous",
                format!("property {path} holds {count} values (R4)"),
            )),
            Resolution::Unresolved { path, why } => Some((
                "tenant_unresolved",
                format!("property {path} is {why} and the pool has no fallback (R4)"),
            )),
            Resolution::Unusable { path, why } => Some((
                "tenant_unresolved",
                format!(
                    "property {path} is {UNUSABLE}: the value {why}; the fallback is not used for a tenant the source named (R4)"
                ),
            )),
        }
    }
}

/// Checks a tenant ID before it enters the store (a `fixed:` value, `users create --tenant`,
/// a resolved property): refuses control and invisible characters and more than
/// [`crate::limits::MAX_NAME_BYTES`] (see [`crate::limits::check_name`]).
///
/// Errors: a [`crate::limits::Refusal`] with reason `invalid_tenant`.
pub fn check_id(tenant_id: &str) -> Result<(), crate::limits::Refusal> {
    crate::limits::check_name(tenant_id.trim()).map_err(|why| crate::limits::Refusal {
        reason: "invalid_tenant",
        message: format!("the tenant ID {why}"),
    })
}

/// What a property value that is a string but no usable tenant ID is called (R4).
const UNUSABLE: &str = "not a usable tenant ID (it holds a control, invisible or private-use character, or is too long)";

/// A new tenant ID for `auto`.
pub fn new_tenant_id() -> String {
    format!("tn_{}", uuid::Uuid::new_v4().simple())
}

/// Resolves the tenant of a new user from the pool's policy and the source profile (R4).
/// Values are trimmed; a one-element array counts as its element.
pub fn resolve(policy: &TenantPolicy, profile: &Map<String, Value>) -> Resolution {
    resolve_with(policy, |path| {
        match profile.get(path) {
            Some(v) => Some(v),
            None => path
                .split_once('.')
                .and_then(|(head, rest)| crate::json::lookup(profile.get(head)?, rest)),
        }
        .cloned()
    })
}

/// As [`resolve`], for a profile kept as JSON text (an export record's).
pub fn resolve_profile(policy: &TenantPolicy, profile: &crate::export::Profile) -> Resolution {
    resolve_with(policy, |path| profile.get(path))
}

/// The refusal of a property value that [`check_id`] refuses, naming why (the code point).
fn unusable(path: &str, value: &str) -> Resolution {
    let why = crate::limits::check_name(value.trim())
        .err()
        .unwrap_or_else(|| "is no tenant ID".into());
    Resolution::Unusable {
        path: path.to_owned(),
        why,
    }
}

/// [`resolve`] with the property found by `find` (a dotted path, as [`crate::json::lookup`] reads it).
fn resolve_with(policy: &TenantPolicy, find: impl FnOnce(&str) -> Option<Value>) -> Resolution {
    match &policy.source {
        TenantSource::Fixed(v) => Resolution::Resolved {
            tenant_id: v.clone(),
            how: "fixed".into(),
            new_tenant: false,
        },
        TenantSource::Auto => Resolution::Resolved {
            tenant_id: new_tenant_id(),
            how: "auto (new tenant)".into(),
            new_tenant: true,
        },
        TenantSource::Property(path) => {
            let why = match find(path) {
                None => "missing",
                Some(Value::Null) => "null",
                Some(Value::Array(items)) if items.len() > 1 => {
                    return Resolution::Ambiguous {
                        path: path.clone(),
                        count: items.len(),
                    };
                }
                Some(Value::Array(items)) => match items.first() {
                    Some(Value::String(s)) if check_id(s).is_err() => {
                        return unusable(path, s);
                    }
                    Some(Value::String(s)) if !s.trim().is_empty() => {
                        return Resolution::Resolved {
                            tenant_id: s.trim().to_owned(),
                            how: format!("property:{path} (one-element array)"),
                            new_tenant: false,
                        };
                    }
                    Some(Value::String(_)) => "empty",
                    None => "an empty array",
                    Some(_) => "not a string",
                },
                Some(Value::String(s)) if check_id(&s).is_err() => {
                    return unusable(path, &s);
                }
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    return Resolution::Resolved {
                        tenant_id: s.trim().to_owned(),
                        how: ["property:", path].concat(),
                        new_tenant: false,
                    };
                }
                Some(Value::String(_)) => "empty",
                Some(_) => "not a string",
            };
            match &policy.fallback {
                Some(TenantFallback::Fixed(v)) => Resolution::Resolved {
                    tenant_id: v.clone(),
                    how: format!("fallback fixed (property {path} {why})"),
                    new_tenant: false,
                },
                Some(TenantFallback::Auto) => Resolution::Resolved {
                    tenant_id: new_tenant_id(),
                    how: format!("fallback auto (property {path} {why})"),
                    new_tenant: true,
                },
                None => Resolution::Unresolved {
                    path: path.clone(),
                    why,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn prop(path: &str, fallback: Option<TenantFallback>) -> TenantPolicy {
        TenantPolicy {
            source: TenantSource::Property(path.into()),
            fallback,
        }
    }

    #[test]
    fn r4_property_values() {
        let p = prop("app_metadata.tenantId", None);
        let r = |v: Value| resolve(&p, &obj(json!({"app_metadata": {"tenantId": v}})));
        assert!(
            matches!(r(json!(" acme ")), Resolution::Resolved { tenant_id, .. } if tenant_id == "acme")
        );
        assert!(
            matches!(r(json!(["initech"])), Resolution::Resolved { tenant_id, .. } if tenant_id == "initech")
        );
        assert_eq!(
            r(json!(["a", "b"])),
            Resolution::Ambiguous {
                path: "app_metadata.tenantId".into(),
                count: 2
            }
        );
        for (v, why) in [
            (json!(null), "null"),
            (json!("  "), "empty"),
            (json!(7), "not a string"),
            (json!([]), "an empty array"),
        ] {
            assert_eq!(
                r(v),
                Resolution::Unresolved {
                    path: "app_metadata.tenantId".into(),
                    why
                }
            );
        }
        assert!(matches!(
            resolve(&p, &obj(json!({}))),
            Resolution::Unresolved { why: "missing", .. }
        ));
        assert!(matches!(
            resolve(&json_key("custom:tenantId"), &obj(json!({"custom:tenantId": "umbrella"}))),
            Resolution::Resolved { tenant_id, .. } if tenant_id == "umbrella"
        ));
    }

    fn json_key(k: &str) -> TenantPolicy {
        prop(k, None)
    }

    #[test]
    fn r4_fallbacks_never_silent() {
        let fixed = prop("t", Some(TenantFallback::Fixed("dflt".into())));
        assert!(
            matches!(resolve(&fixed, &obj(json!({}))), Resolution::Resolved { tenant_id, how, new_tenant: false } if tenant_id == "dflt" && how.contains("fallback fixed"))
        );
        let auto = prop("t", Some(TenantFallback::Auto));
        let a = resolve(&auto, &obj(json!({"t": null})));
        let b = resolve(&auto, &obj(json!({"t": null})));
        assert_ne!(a, b, "auto makes a new tenant each time");
        // An ambiguous array is refused even with a fallback.
        assert!(matches!(
            resolve(&auto, &obj(json!({"t": ["x", "y"]}))),
            Resolution::Ambiguous { .. }
        ));
        // So is a value the source set that is no tenant ID: the fallback would misplace
        // the user for good.
        for v in [json!("acme\u{1b}[2J"), json!(["acme\u{200b}"])] {
            for policy in [&auto, &fixed, &prop("t", None)] {
                assert!(
                    matches!(
                        resolve(policy, &obj(json!({"t": v}))),
                        Resolution::Unusable { ref path, ref why } if path == "t" && why.contains("U+")
                    ),
                    "{v}"
                );
            }
        }
    }
}
