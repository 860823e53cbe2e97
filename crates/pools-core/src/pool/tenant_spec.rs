//! A pool spec's tenant settings (`tenant`, `tenant_fallback`, an idp pool's `tenant_claim`)
//! read into and written from the pool's [`TenantPolicy`] (R4).

use super::{PoolSpec, SourceSettings};
use crate::error::{Error, Result, setting};
use crate::keyword;
use crate::tenant::{TenantFallback, TenantPolicy, TenantSource};

/// The tenant rule `spec` sets, checked against the source's own tenant claim.
///
/// Errors: [`Error::Invalid`] on `tenant`, `tenant_fallback` or `tenant_claim` (R4).
pub(super) fn policy(spec: &PoolSpec, settings: &SourceSettings) -> Result<TenantPolicy> {
    let claim = match settings {
        SourceSettings::Oidc { tenant_claim, .. } => tenant_claim.as_deref(),
        _ => None,
    };
    let source = match (&spec.tenant, claim) {
        (Some(t), _) => TenantSource::parse(t)?,
        // An idp pool that names its tenant claim reads the tenant from it.
        (None, Some(c)) => TenantSource::Property(c.to_owned()),
        (None, None) => TenantSource::Auto,
    };
    if let (TenantSource::Property(path), Some(c)) = (&source, claim)
        && path != c
    {
        return Err(Error::invalid(
            "tenant_claim",
            format!("tenant claim '{c}' and tenant 'property:{path}' disagree"),
        )
        .with_hint("set only one of them, or make them name the same claim"));
    }
    let fallback = match spec.tenant_fallback.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(f) if keyword::is(f, "none") => None,
        Some(f) => Some(TenantFallback::parse(f)?),
    };
    if fallback.is_some() && !matches!(source, TenantSource::Property(_)) {
        return Err(Error::invalid(
            "tenant_fallback",
            "a fallback applies to property:<path> tenants only (R4)",
        )
        .with_hint(format!(
            "clear it with {}, or use {}",
            setting("tenant_fallback", Some("none")),
            setting("tenant", Some("property:<path>"))
        )));
    }
    Ok(TenantPolicy { source, fallback })
}

/// Writes `policy` into `spec` as its text forms.
pub(super) fn write(policy: &TenantPolicy, spec: &mut PoolSpec) {
    spec.tenant = Some(policy.source.to_string());
    spec.tenant_fallback = policy.fallback.as_ref().map(|f| f.to_string());
}
