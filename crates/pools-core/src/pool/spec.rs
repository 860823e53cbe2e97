use super::{Mode, PoolType, SignInMethod, SourceKind};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// One pool as written in YAML (`apply`, `export`) and as given by `create` / `configure`
/// flags: every field optional, snake_case names equal to the flag names (`--client-id` is
/// `client_id`). Unknown keys are errors (R1). Secret fields hold references
/// (`env:VAR`, `file:PATH`, `keyring:NAME`), never values (R11).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a pool: a mapping of its settings (name, type, source, mode, ...)"
)]
pub struct PoolSpec {
    pub name: String,
    /// Written by `inspect`: the pool's 1-based place in the order. `apply` puts the pool
    /// there (the list order decides for entries without it), so what `inspect` printed
    /// applies as a no-op.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::terms::optional_count"
    )]
    pub position: Option<usize>,
    /// Read-only, written by `inspect`: when present in an `apply` input, the store's version
    /// must still be this one, or apply refuses (R12).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::terms::optional_count"
    )]
    pub version: Option<u64>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub pool_type: Option<PoolType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// `property:<path>`, `fixed:<value>` or `auto` (R4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// `fixed:<value>` or `auto`, used when a property tenant is unusable (R4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_fallback: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "is_none_or_empty")]
    pub allow: Option<Vec<SignInMethod>>,
    #[serde(default, skip_serializing_if = "is_none_or_empty")]
    pub domains: Option<Vec<String>>,
    /// How long a login waits for this pool's answer, in milliseconds (R5); written only when
    /// it is not the default ([`super::DEFAULT_TIMEOUT_MS`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::terms::optional_timeout_ms"
    )]
    pub timeout_ms: Option<u64>,

    // Source settings; which apply depends on `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_claim: Option<String>,
}

fn is_none_or_empty<T>(v: &Option<Vec<T>>) -> bool {
    v.as_ref().is_none_or(|v| v.is_empty())
}

/// The source settings each source requires, then those it accepts besides.
pub(super) fn source_fields(
    kind: SourceKind,
) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        SourceKind::Auth0 => (
            &["domain", "client_id", "client_secret"],
            &["connection", "endpoint_url"],
        ),
        SourceKind::Cognito => (
            &["region", "user_pool_id", "client_id"],
            &["client_secret", "endpoint_url"],
        ),
        SourceKind::Firebase => (&["project_id", "api_key"], &["endpoint_url"]),
        SourceKind::Custom => (&["url"], &["auth_header"]),
        SourceKind::Export => (&["file"], &["format", "hash_config"]),
        SourceKind::Oidc => (&["issuer", "client_id", "client_secret"], &["tenant_claim"]),
    }
}

/// Every source-setting field name, in spec order.
pub const SOURCE_FIELDS: &[&str] = &[
    "domain",
    "client_id",
    "client_secret",
    "connection",
    "region",
    "user_pool_id",
    "endpoint_url",
    "project_id",
    "api_key",
    "url",
    "auth_header",
    "file",
    "format",
    "hash_config",
    "issuer",
    "tenant_claim",
];

impl PoolSpec {
    /// The value of a source-setting field by its snake_case name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.field_slot(name).and_then(|v| v.as_deref())
    }

    fn field_slot(&self, name: &str) -> Option<&Option<String>> {
        Some(match name {
            "domain" => &self.domain,
            "client_id" => &self.client_id,
            "client_secret" => &self.client_secret,
            "connection" => &self.connection,
            "region" => &self.region,
            "user_pool_id" => &self.user_pool_id,
            "endpoint_url" => &self.endpoint_url,
            "project_id" => &self.project_id,
            "api_key" => &self.api_key,
            "url" => &self.url,
            "auth_header" => &self.auth_header,
            "file" => &self.file,
            "format" => &self.format,
            "hash_config" => &self.hash_config,
            "issuer" => &self.issuer,
            "tenant_claim" => &self.tenant_claim,
            _ => return None,
        })
    }

    /// Mutable access to a source-setting field by its snake_case name.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "domain" => &mut self.domain,
            "client_id" => &mut self.client_id,
            "client_secret" => &mut self.client_secret,
            "connection" => &mut self.connection,
            "region" => &mut self.region,
            "user_pool_id" => &mut self.user_pool_id,
            "endpoint_url" => &mut self.endpoint_url,
            "project_id" => &mut self.project_id,
            "api_key" => &mut self.api_key,
            "url" => &mut self.url,
            "auth_header" => &mut self.auth_header,
            "file" => &mut self.file,
            "format" => &mut self.format,
            "hash_config" => &mut self.hash_config,
            "issuer" => &mut self.issuer,
            "tenant_claim" => &mut self.tenant_claim,
            _ => return None,
        })
    }

    /// Names (snake_case) of the required fields this spec lacks, given its type and source.
    pub fn missing_required(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        let Some(pool_type) = self.pool_type else {
            missing.push("type");
            return missing;
        };
        let kind = match (self.source, pool_type) {
            (Some(k), _) => k,
            (None, PoolType::Idp) => SourceKind::Oidc,
            (None, PoolType::External) => {
                missing.push("source");
                return missing;
            }
        };
        let (required, _) = source_fields(kind);
        missing.extend(
            required
                .iter()
                .copied()
                .filter(|f| self.field(f).is_none_or(|v| v.trim().is_empty())),
        );
        missing
    }

    /// Overlays every field that `patch` sets (the `configure` semantics). An empty or
    /// blank string, or `none`, clears an optional setting.
    pub fn merge_from(&mut self, patch: &PoolSpec) {
        macro_rules! take {
            ($($f:ident),*) => {$( if patch.$f.is_some() { self.$f = patch.$f.clone(); } )*};
        }
        take!(
            pool_type,
            source,
            mode,
            tenant,
            tenant_fallback,
            enabled,
            allow,
            domains,
            timeout_ms
        );
        for f in SOURCE_FIELDS {
            if let Some(v) = patch.field(f) {
                *self.field_mut(f).expect("known field") =
                    if clears(v) { None } else { Some(v.to_owned()) };
            }
        }
    }

    /// Makes relative file paths (`file`, `hash_config`, `file:` secret references) absolute
    /// against `base`, so a pool keeps working whatever directory `pools` later runs in.
    /// `base` should be canonical (a real directory, no symlinks): leading `..` of a relative
    /// path then go up from it, as the operating system would.
    pub fn absolutize(&mut self, base: &Path) {
        self.map_paths(|p| absolute(Path::new(p), base));
    }

    /// The inverse of [`PoolSpec::absolutize`], for `export`: absolute paths that share a
    /// directory below the root with `base` (canonical, as for `absolutize`) are written
    /// relative to `base`, so that a document written there applies to the same files.
    /// Paths that share only the root (`/srv/exports/u.json` seen from `/home/op`) are
    /// machine-wide and stay absolute.
    pub fn relativize(&mut self, base: &Path) {
        self.map_paths(|p| relative(Path::new(p), base));
    }

    /// Rewrites every path setting (trimmed, non-empty) with `f`; `None` keeps it.
    fn map_paths(&mut self, f: impl Fn(&str) -> Option<PathBuf>) {
        let text = |p: PathBuf| p.to_string_lossy().into_owned();
        for key in PATH_FIELDS {
            if let Some(v) = self.field_mut(key).and_then(|v| v.as_mut())
                && !v.trim().is_empty()
                && let Some(p) = f(v.trim())
            {
                *v = text(p);
            }
        }
        for key in SECRET_FIELDS {
            if let Some(v) = self.field_mut(key).and_then(|v| v.as_mut())
                && let Some(path) = crate::keyword::strip_prefix(v.trim(), "file:")
                && !path.is_empty()
                && let Some(p) = f(path)
            {
                *v = format!("file:{}", text(p));
            }
        }
    }
}

/// True for a setting's value that clears it (`configure`): empty, blank, or `none`.
pub fn clears(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || crate::keyword::is(v, "none")
}

/// Settings that hold a file path.
const PATH_FIELDS: &[&str] = &["file", "hash_config"];

/// Settings that hold a secret reference (`file:PATH` among them).
pub(super) const SECRET_FIELDS: &[&str] = &["client_secret", "api_key", "auth_header"];

/// `path` joined to `base` (None when it is absolute already), leading `..` going up from
/// `base` and `.` dropped.
fn absolute(path: &Path, base: &Path) -> Option<PathBuf> {
    if path.is_absolute() {
        return None;
    }
    let mut out = base.to_path_buf();
    let mut rest = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir));
    let mut pending = None;
    for c in rest.by_ref() {
        // Only a `..` that is not past the root is resolved here; later ones stay as written.
        if c == Component::ParentDir && out.parent().is_some() {
            out.pop();
        } else {
            pending = Some(c);
            break;
        }
    }
    out.extend(pending);
    out.extend(rest);
    Some(out)
}

/// `path` relative to `base` when both are absolute and share more than the root; `.` for
/// `base` itself.
fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    if !path.is_absolute() || !base.is_absolute() {
        return None;
    }
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let below_root = p[..common]
        .iter()
        .any(|c| matches!(c, Component::Normal(_)));
    // A `..` left in `base` cannot be undone by name.
    if !below_root
        || b[common..]
            .iter()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut out: PathBuf = b[common..].iter().map(|_| Component::ParentDir).collect();
    out.extend(&p[common..]);
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_between_absolute_and_relative() {
        let base = Path::new("/w/conf");
        let abs = |p: &str| absolute(Path::new(p), base).map(|p| p.display().to_string());
        assert_eq!(
            abs("exports/u.json").as_deref(),
            Some("/w/conf/exports/u.json")
        );
        assert_eq!(abs("./a/./b").as_deref(), Some("/w/conf/a/b"));
        assert_eq!(abs("../../../x").as_deref(), Some("/../x"));
        assert_eq!(abs("../data/u.csv").as_deref(), Some("/w/data/u.csv"));
        assert_eq!(abs("/srv/u.csv"), None);
        let rel = |p: &str, b: &str| {
            relative(Path::new(p), Path::new(b)).map(|p| p.display().to_string())
        };
        assert_eq!(
            rel("/w/conf/exports/u.json", "/w/conf").as_deref(),
            Some("exports/u.json")
        );
        assert_eq!(
            rel("/w/data/u.csv", "/w/conf").as_deref(),
            Some("../data/u.csv")
        );
        assert_eq!(rel("/w/conf", "/w/conf").as_deref(), Some("."));
        // Machine-wide paths stay absolute; so does anything seen from a base with `..`.
        assert_eq!(rel("/srv/u.csv", "/w/conf"), None);
        assert_eq!(rel("/w/u.csv", "/w/a/../b"), None);
        assert_eq!(rel("x/u.csv", "/w"), None);
        for p in ["exports/u.json", "../data/u.csv", "../../w/x"] {
            let a = absolute(Path::new(p), base).unwrap();
            let back = relative(&a, base).unwrap();
            assert_eq!(absolute(&back, base).unwrap(), a, "{p}");
        }
    }
}
