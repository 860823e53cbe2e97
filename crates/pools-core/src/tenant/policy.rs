//! A pool's tenant rule (R4): where a new user's tenant ID comes from, and the fallback.

use crate::error::{Error, Result, setting};
use crate::keyword;
use std::fmt;

/// Where a new user's tenant ID comes from (R4). Text form: `property:<path>`, `fixed:<value>`
/// or `auto`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantSource {
    /// Read from the source profile (or, for idp pools, the claims) at a dotted path.
    Property(String),
    /// The same tenant for every user of the pool.
    Fixed(String),
    /// A new tenant for each new user.
    Auto,
}

/// What to use when a `property` tenant is missing, null, empty or not a string (R4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantFallback {
    Fixed(String),
    Auto,
}

/// A pool's tenant rule: the source and an optional explicit fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantPolicy {
    pub source: TenantSource,
    pub fallback: Option<TenantFallback>,
}

const TENANT_HINT: &str = "use property:<path>, fixed:<value> or auto";

impl TenantSource {
    /// Errors: [`Error::Invalid`] on `tenant` citing R4.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim();
        let bad = |why: &str| {
            Error::invalid("tenant", format!("{s:?}: {why} (R4)")).with_hint(TENANT_HINT)
        };
        // Keywords in any case (F17); the path or value after them as written.
        if keyword::is(s, "auto") {
            return Ok(TenantSource::Auto);
        }
        if let Some(path) = keyword::strip_prefix(s, "property:") {
            let path = path.trim();
            if path.is_empty() || path.split('.').any(|seg| seg.trim().is_empty()) {
                return Err(bad("the property path is empty or has an empty segment"));
            }
            return Ok(TenantSource::Property(path.to_owned()));
        }
        if let Some(v) = keyword::strip_prefix(s, "fixed:") {
            let v = v.trim();
            if v.is_empty() {
                return Err(bad("a fixed tenant needs a value"));
            }
            return Ok(TenantSource::Fixed(v.to_owned()));
        }
        Err(bad("unknown tenant source"))
    }
}

impl TenantFallback {
    /// Errors: [`Error::Invalid`] on `tenant_fallback`.
    pub fn parse(s: &str) -> Result<Self> {
        match TenantSource::parse(s) {
            Ok(TenantSource::Auto) => Ok(TenantFallback::Auto),
            Ok(TenantSource::Fixed(v)) => Ok(TenantFallback::Fixed(v)),
            _ => Err(Error::invalid(
                "tenant_fallback",
                format!("{s:?}: a fallback is fixed:<value> or auto (R4)"),
            )
            .with_hint(format!(
                "use {} or {}",
                setting("tenant_fallback", Some("fixed:<value>")),
                setting("tenant_fallback", Some("auto"))
            ))),
        }
    }
}

impl TenantPolicy {
    /// Checks the `fixed:` tenant IDs of the source and fallback with
    /// [`crate::tenant::check_id`], and a `property:` path with the same check (no control
    /// or invisible characters). Run when a pool is
    /// written, not when one is loaded: a pool an older version stored still loads.
    ///
    /// Errors: [`Error::Invalid`] on `tenant` or `tenant_fallback`, citing R4.
    pub fn check_values(&self) -> Result<()> {
        // A property path is a name too: one with an invisible character names no property
        // the profile shows, and every user would be tenant_unresolved or get the fallback.
        if let TenantSource::Property(path) = &self.source {
            crate::limits::check_name(path).map_err(|why| {
                Error::invalid(
                    "tenant",
                    format!(
                        "property:{}: the property path {why} (R4)",
                        path.escape_debug()
                    ),
                )
                .with_hint(crate::limits::name_hint("property path", path))
            })?;
        }
        let values = [
            (
                "tenant",
                match &self.source {
                    TenantSource::Fixed(v) => Some(v),
                    _ => None,
                },
            ),
            (
                "tenant_fallback",
                match &self.fallback {
                    Some(TenantFallback::Fixed(v)) => Some(v),
                    _ => None,
                },
            ),
        ];
        for (field, value) in values {
            if let Some(v) = value {
                super::check_id(v).map_err(|r| {
                    Error::invalid(
                        field,
                        format!("fixed:{}: {} (R4)", v.escape_debug(), r.message),
                    )
                    .with_hint(crate::limits::name_hint("tenant ID", v))
                })?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for TenantSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TenantSource::Property(p) => write!(f, "property:{p}"),
            TenantSource::Fixed(v) => write!(f, "fixed:{v}"),
            TenantSource::Auto => f.write_str("auto"),
        }
    }
}

impl fmt::Display for TenantFallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TenantFallback::Fixed(v) => write!(f, "fixed:{v}"),
            TenantFallback::Auto => f.write_str("auto"),
        }
    }
}

impl fmt::Display for TenantPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fallback {
            Some(fb) => write!(f, "{} (fallback {fb})", self.source),
            None => write!(f, "{}", self.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r4_tenant_sources_parse() {
        assert_eq!(TenantSource::parse("auto").unwrap(), TenantSource::Auto);
        assert_eq!(
            TenantSource::parse(" property: app_metadata.tenantId ").unwrap(),
            TenantSource::Property("app_metadata.tenantId".into())
        );
        assert_eq!(
            TenantSource::parse("fixed: acme").unwrap(),
            TenantSource::Fixed("acme".into())
        );
        for bad in [
            "",
            "fixed:",
            "property:",
            "property:a..b",
            "claim:x",
            "autox",
        ] {
            assert!(TenantSource::parse(bad).is_err(), "{bad}");
        }
        assert!(TenantFallback::parse("property:x").is_err());
    }

    /// F17: the keywords in any case; the path or value after a prefix as written.
    #[test]
    fn r4_tenant_keywords_in_any_case() {
        for auto in ["AUTO", "Auto"] {
            assert_eq!(TenantSource::parse(auto).unwrap(), TenantSource::Auto);
            assert_eq!(TenantFallback::parse(auto).unwrap(), TenantFallback::Auto);
        }
        assert_eq!(
            TenantSource::parse("Property:app_metadata.TenantId").unwrap(),
            TenantSource::Property("app_metadata.TenantId".into())
        );
        assert_eq!(
            TenantSource::parse("FIXED:Acme").unwrap(),
            TenantSource::Fixed("Acme".into())
        );
        assert_eq!(
            TenantFallback::parse("Fixed:Acme").unwrap(),
            TenantFallback::Fixed("Acme".into())
        );
        // Written back in the canonical lower case.
        assert_eq!(
            TenantSource::parse("PROPERTY:A.b").unwrap().to_string(),
            "property:A.b"
        );
    }
}
