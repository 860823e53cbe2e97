//! The user-pool model and its rules (SPEC R1, R2, R4, R9, R11). Pure: no terminal, no store.
//!
//! A [`Pool`] is built only through [`Pool::from_spec`] or [`Pool::patched`], which validate
//! every field, so a `Pool` value in hand always satisfies the rules.

mod name;
mod routing;
mod settings;
mod spec;
mod tenant_spec;

pub use name::PoolName;
pub use routing::{DomainPattern, SharedDomain, shared_domains};
pub use settings::{AUTH0_DEFAULT_CONNECTION, Issuer, SourceSettings, validate_url};
pub use spec::{PoolSpec, SOURCE_FIELDS, clears};

use crate::error::{Error, Result, phrased, setting};
use crate::export::ExportFormat;
use crate::secret::Unresolvable;
use crate::tenant::TenantPolicy;
use std::collections::BTreeSet;

crate::terms::choice! {
    /// Pool type: an external user database, or OpenID Connect IdP federation.
    pub enum PoolType {
        External = "external",
        Idp = "idp",
    }
}

crate::terms::choice! {
    /// Where a pool's users live.
    pub enum SourceKind {
        /// Auth0 tenant, through the Resource Owner Password grant.
        Auth0 = "auth0",
        /// AWS Cognito user pool, through `USER_PASSWORD_AUTH`.
        Cognito = "cognito",
        /// Firebase Authentication, through the Identity Toolkit REST API.
        Firebase = "firebase",
        /// An HTTP endpoint of the operator's.
        Custom = "custom",
        /// An export file (offline: rehearsals and bulk migration).
        Export = "export",
        /// OpenID Connect IdP federation (the only source of `idp` pools).
        Oidc = "oidc",
    }
}

crate::terms::choice! {
    /// How a pool's users relate to the local store (SPEC Terms, R3, R7, R16).
    pub enum Mode {
        /// Authenticate at the source at every login; editable local shadow copy.
        Passthrough = "passthrough",
        /// As passthrough, attributes overwritten at every login; read-only shadow copy.
        Sync = "sync",
        /// First successful login migrates the user into the local store for good.
        Jit = "jit",
    }
}

crate::terms::choice! {
    /// Extra sign-in methods a pool's users may use (R9).
    #[derive(PartialOrd, Ord)]
    pub enum SignInMethod {
        Social = "social",
        Sso = "sso",
        Passwordless = "passwordless",
    }
}

impl SourceKind {
    /// The pool type this source belongs to.
    pub fn pool_type(self) -> PoolType {
        match self {
            SourceKind::Oidc => PoolType::Idp,
            _ => PoolType::External,
        }
    }

    /// What the operator must set up at the source before the pool works (SPEC "Prerequisites").
    pub fn prerequisites(self) -> &'static [Prerequisite] {
        const fn at_source(text: &'static str) -> Prerequisite {
            Prerequisite {
                text,
                done: |_| false,
            }
        }
        match self {
            SourceKind::Auth0 => {
                const {
                    &[
                        at_source(
                            "an Auth0 application with the Resource Owner Password grant enabled",
                        ),
                        at_source("a default directory (database connection) set on the tenant"),
                        at_source(
                            "the application authorized for the Management API with read:users (the user's profile; tells a wrong password from an unknown user)",
                        ),
                        Prerequisite {
                            text: "the application's client ID and client secret",
                            done: |s| {
                                s.field("client_id").is_some() && s.field("client_secret").is_some()
                            },
                        },
                    ]
                }
            }
            SourceKind::Cognito => {
                const {
                    &[
                        at_source("an app client with the USER_PASSWORD_AUTH flow enabled"),
                        Prerequisite {
                            text: "the user pool's region, user pool ID and the app client's client ID",
                            done: |s| {
                                ["region", "user_pool_id", "client_id"]
                                    .iter()
                                    .all(|f| s.field(f).is_some())
                            },
                        },
                    ]
                }
            }
            SourceKind::Firebase => {
                const {
                    &[
                        Prerequisite {
                            text: "the project's Web API key",
                            done: |s| s.field("api_key").is_some(),
                        },
                        at_source(
                            "the Email/Password sign-in provider enabled (console > Authentication > Sign-in method)",
                        ),
                        at_source(
                            "for export files: the project's password-hash parameters (console > Authentication > Users > Password hash parameters)",
                        ),
                    ]
                }
            }
            SourceKind::Custom => {
                const {
                    &[at_source(
                        "an HTTPS endpoint of yours that checks an identifier and password and tells authenticated, unknown user, wrong password and disabled apart (see the README, \"The custom source contract\")",
                    )]
                }
            }
            SourceKind::Export => {
                const {
                    &[
                        Prerequisite {
                            text: "an export file in a supported format (firebase, auth0-json, auth0-ndjson, keycloak, cognito, csv)",
                            done: |s| s.field("file").is_some(),
                        },
                        Prerequisite {
                            text: "for Firebase exports: the project's password-hash parameters as a --hash-config file",
                            done: |s| {
                                s.field("hash_config").is_some()
                                    || s.field("format").is_some_and(|f| f != "firebase")
                            },
                        },
                    ]
                }
            }
            SourceKind::Oidc => {
                const {
                    &[
                        at_source(
                            "a client registered at the IdP with this environment's redirect URI",
                        ),
                        at_source(
                            "an issuer URL that serves a valid discovery document (/.well-known/openid-configuration)",
                        ),
                        Prerequisite {
                            text: "the client ID and client secret of that registration",
                            done: |s| {
                                s.field("client_id").is_some() && s.field("client_secret").is_some()
                            },
                        },
                    ]
                }
            }
        }
    }
}

/// One thing to set up at the source before a pool works (SPEC "Prerequisites").
#[derive(Debug, Clone, Copy)]
pub struct Prerequisite {
    /// What to do, for the operator.
    pub text: &'static str,
    /// True when the pool's settings show it is done already (e.g. the client ID and secret
    /// were given); false for what only the source can tell (a grant type enabled there).
    pub done: fn(&PoolSpec) -> bool,
}

impl Pool {
    /// The prerequisites of this pool's source that its settings do not show as done, in
    /// the order of [`SourceKind::prerequisites`].
    pub fn outstanding_prerequisites(&self) -> Vec<&'static str> {
        self.outstanding_prerequisites_for(None)
    }

    /// As [`Pool::outstanding_prerequisites`], knowing the export file's format (e.g. from
    /// [`Pool::probe_export_file`]) when the pool does not name one: a CSV export needs no
    /// Firebase hash parameters.
    pub fn outstanding_prerequisites_for(
        &self,
        detected: Option<ExportFormat>,
    ) -> Vec<&'static str> {
        let mut spec = self.to_spec();
        if spec.format.is_none() {
            spec.format = detected.map(|f| f.name().to_owned());
        }
        self.settings
            .kind()
            .prerequisites()
            .iter()
            .filter(|p| !(p.done)(&spec))
            .map(|p| p.text)
            .collect()
    }
}

impl Pool {
    /// For an export pool, the format of its file: as the pool names it, else detected from
    /// the file's first 16 KiB; the file is checked to be there, not empty and UTF-8 text.
    /// `Ok(None)` for other pools, and for a file that is no regular file (a FIFO is read
    /// only when a login or an import needs it).
    ///
    /// Errors: why the file cannot serve the pool yet ([`ExportError::Io`] when it is
    /// missing or unreadable, `Empty`, `WrongEncoding`, `UnknownFormat`).
    pub fn probe_export_file(&self) -> Result<Option<ExportFormat>, crate::export::ExportError> {
        let SourceSettings::Export { file, format, .. } = &self.settings else {
            return Ok(None);
        };
        let path = std::path::Path::new(file);
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => return Ok(None),
            Ok(_) => {}
            Err(e) => {
                return Err(crate::export::ExportError::Io {
                    at: crate::export::Location::file(path),
                    source: e,
                });
            }
        }
        let mut input = crate::export::Input::open(path)?;
        match format {
            Some(f) => input.refuse_empty().map(|()| Some(*f)),
            None => input.detect().map(Some),
        }
    }
}

impl Pool {
    /// For an export pool whose `format` is set: the format its file's content reads as, when
    /// that is another one (a CSV file given `--format firebase`): every login and import
    /// would fail on it. `None` when they agree, when no format is set, or when the file does
    /// not read (see [`Pool::probe_export_file`]).
    pub fn export_format_mismatch(&self) -> Option<(ExportFormat, ExportFormat)> {
        let SourceSettings::Export {
            file,
            format: Some(given),
            ..
        } = &self.settings
        else {
            return None;
        };
        let path = std::path::Path::new(file);
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let detected = crate::export::Input::open(path).ok()?.detect().ok()?;
        (detected != *given).then_some((*given, detected))
    }

    /// For an export pool with a `hash_config`, checks that file: `Ok(Some(warning))` when it
    /// does not exist (yet), `Ok(None)` when it reads or there is none. A file that exists
    /// but is no usable Firebase hash configuration is an error, so a pool is never saved
    /// with one (every login through it would fail closed).
    ///
    /// Errors: [`Error::Invalid`] on `hash_config`: past the 1 MiB limit, not UTF-8, not the
    /// console's JSON, parameters out of range ([`crate::credential::load_hash_config`]).
    pub fn check_hash_config(&self) -> Result<Option<String>> {
        let SourceSettings::Export {
            hash_config: Some(path),
            ..
        } = &self.settings
        else {
            return Ok(None);
        };
        let path = std::path::Path::new(path);
        if !path.exists() {
            return Ok(Some(format!(
                "pool '{}': hash_config {} does not exist; until it does, Firebase hashes cannot be read",
                self.name,
                path.display()
            )));
        }
        crate::credential::load_hash_config(path).map(|_| None)
    }
}

/// A validated user pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub name: PoolName,
    pub mode: Mode,
    pub tenant: TenantPolicy,
    pub enabled: bool,
    /// Extra sign-in methods allowed to this pool's users (R9); ordered, no repeats.
    pub allow: BTreeSet<SignInMethod>,
    /// Email-domain routing: empty means every identifier is sent to the pool.
    pub domains: Vec<DomainPattern>,
    /// How long a login waits for the pool's answer, in milliseconds, within what is left of
    /// the login's budget: past it the pool is `source_unavailable` (R5: fail closed).
    pub timeout_ms: u64,
    pub settings: SourceSettings,
}

/// A pool's `timeout_ms` when none is set.
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;

/// The largest `timeout_ms`: ten minutes, past any login anyone waits for.
pub const MAX_TIMEOUT_MS: u64 = crate::terms::MAX_TIMEOUT_MS;

/// A pool as stored: with its place in the order and its version (R12).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPool {
    pub pool: Pool,
    /// 1-based place in the login order (R5).
    pub position: usize,
    /// Incremented by every change; compared by `--if-version` and by every write (R12).
    pub version: u64,
}

impl StoredPool {
    /// The stable JSON/YAML shape of a stored pool (`inspect -o json`, the server's
    /// answers): the spec's keys, as in `export`, plus `position` and `version`.
    pub fn view(&self) -> PoolSpec {
        let mut spec = self.pool.to_spec();
        spec.position = Some(self.position);
        spec.version = Some(self.version);
        spec
    }
}

impl Pool {
    /// Pool type, derived from the source.
    pub fn pool_type(&self) -> PoolType {
        self.settings.kind().pool_type()
    }

    /// Builds a pool from a full spec (YAML entry or `create` flags), checking every rule.
    ///
    /// Errors: [`Error::Invalid`] naming the field or rule; a spec that lacks required values
    /// names every missing field at once.
    pub fn from_spec(spec: &PoolSpec) -> Result<Pool> {
        let missing = spec.missing_required();
        if let Some((first, others)) = missing.split_first() {
            return Err(missing_error(spec, first, others));
        }
        let name = PoolName::parse(&spec.name)?;
        let pool_type = spec.pool_type.expect("checked by missing_required");
        let kind = match (spec.source, pool_type) {
            (Some(k), _) => k,
            (None, PoolType::Idp) => SourceKind::Oidc,
            (None, PoolType::External) => unreachable!("checked by missing_required"),
        };
        if kind.pool_type() != pool_type {
            return Err(Error::invalid(
                "source",
                format!("source '{kind}' does not belong to type '{pool_type}'"),
            )
            .with_hint(match pool_type {
                PoolType::Idp => "idp pools use source oidc",
                PoolType::External => {
                    "external pools use auth0, cognito, firebase, custom or export"
                }
            }));
        }
        let settings = SourceSettings::from_spec(kind, spec)?;
        let tenant = tenant_spec::policy(spec, &settings)?;
        let pool = Pool {
            name,
            mode: spec.mode.unwrap_or(Mode::Passthrough),
            tenant,
            enabled: spec.enabled.unwrap_or(true),
            allow: spec.allow.iter().flatten().copied().collect(),
            domains: parse_domains(spec.domains.as_deref().unwrap_or_default())?,
            timeout_ms: match spec.timeout_ms {
                None => DEFAULT_TIMEOUT_MS,
                Some(ms @ 1..=MAX_TIMEOUT_MS) => ms,
                Some(ms) => {
                    return Err(Error::invalid(
                        "timeout_ms",
                        format!("{ms} is outside 1..={MAX_TIMEOUT_MS} milliseconds"),
                    )
                    .with_hint(format!(
                        "give the time a login may wait for this pool, e.g. {}",
                        setting("timeout_ms", Some("5000"))
                    )));
                }
            },
            settings,
        };
        pool.check_rules()?;
        Ok(pool)
    }

    /// The checks of what a pool may hold that run when it is written (create, configure,
    /// apply, every store write), not when it is loaded, so a pool an older version stored
    /// still loads and can be fixed: its `fixed:` tenant IDs (R4) and credentials in its URLs
    /// (R11).
    ///
    /// Errors: [`Error::Invalid`] on the setting at fault.
    pub fn check_for_write(&self) -> Result<()> {
        self.tenant.check_values()?;
        self.settings.check_urls()
    }

    /// Applies a partial spec (the `configure` flags): fields left `None` keep their value.
    /// The name, type and source of a pool cannot change.
    ///
    /// Errors: as [`Pool::from_spec`], plus an attempt to change type or source.
    pub fn patched(&self, patch: &PoolSpec) -> Result<Pool> {
        if let Some(t) = patch.pool_type
            && t != self.pool_type()
        {
            return Err(Error::invalid(
                "type",
                format!(
                    "pool '{}' is {}; a pool's type cannot change",
                    self.name,
                    self.pool_type()
                ),
            )
            .with_hint("create a new pool of the other type, then delete this one"));
        }
        if let Some(k) = patch.source
            && k != self.settings.kind()
        {
            return Err(Error::invalid(
                "source",
                format!(
                    "pool '{}' has source {}; a pool's source cannot change",
                    self.name,
                    self.settings.kind()
                ),
            )
            .with_hint("create a new pool with the other source, then delete this one"));
        }
        let mut merged = self.to_spec();
        merged.merge_from(patch);
        Pool::from_spec(&merged)
    }

    /// Rules that tie fields together.
    fn check_rules(&self) -> Result<()> {
        if self.mode == Mode::Jit && self.pool_type() == PoolType::Idp {
            return Err(Error::invalid(
                "R2",
                format!(
                    "pool '{}' is an idp pool; JIT migration applies to external pools only",
                    self.name
                ),
            )
            .with_hint(format!(
                "use {} or {}",
                setting("mode", Some("sync")),
                setting("mode", Some("passthrough"))
            )));
        }
        Ok(())
    }

    /// Warnings about secret references that would not resolve in this process (R11):
    /// [`Unresolvable::Missing`] as `pool 'NAME': field REF: problem`, and
    /// [`Unresolvable::Unchecked`] as it is (the same for every `keyring:` reference). They
    /// may resolve where the pool runs.
    pub fn secret_warnings(&self) -> Vec<Unresolvable> {
        self.settings
            .secrets()
            .into_iter()
            .filter_map(|(field, r)| {
                r.unresolvable_here().map(|u| match u {
                    Unresolvable::Missing(why) => {
                        Unresolvable::Missing(format!("pool '{}': {field} {r}: {why}", self.name))
                    }
                    unchecked => unchecked,
                })
            })
            .collect()
    }

    /// The full spec of this pool: what `export` writes and `apply` reads back.
    /// Secrets appear as their references only (R11).
    pub fn to_spec(&self) -> PoolSpec {
        let mut spec = PoolSpec {
            name: self.name.to_string(),
            pool_type: Some(self.pool_type()),
            source: Some(self.settings.kind()),
            mode: Some(self.mode),
            enabled: Some(self.enabled),
            allow: Some(self.allow.iter().copied().collect()),
            domains: Some(self.domains.iter().map(|d| d.to_string()).collect()),
            timeout_ms: (self.timeout_ms != DEFAULT_TIMEOUT_MS).then_some(self.timeout_ms),
            ..PoolSpec::default()
        };
        tenant_spec::write(&self.tenant, &mut spec);
        self.settings.write_spec(&mut spec);
        spec
    }
}

/// The error for required settings a spec lacks: on the first, naming the others, with a
/// hint that gives each an example value.
fn missing_error(spec: &PoolSpec, first: &str, others: &[&str]) -> Error {
    let needs = match first {
        "type" => "a pool needs its type".to_owned(),
        "source" => "an external pool needs its source".to_owned(),
        _ => {
            let kind = spec.source.unwrap_or(SourceKind::Oidc);
            let them = if others.is_empty() { "it" } else { "them" };
            format!("source {kind} needs {them}")
        }
    };
    let also = match others {
        [] => String::new(),
        _ => format!(
            " (nor {} {})",
            if others.len() == 1 { "is" } else { "are" },
            others
                .iter()
                .map(|k| setting(k, None))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let examples: Vec<String> = std::iter::once(&first)
        .chain(others)
        .map(|k| {
            let example = if spec::SECRET_FIELDS.contains(k) {
                "env:VAR".to_owned()
            } else if *k == "type" {
                // The source says the type; without one, both are named.
                spec.source.map_or_else(
                    || format!("{} (or {})", PoolType::External, PoolType::Idp),
                    |k| k.pool_type().to_string(),
                )
            } else {
                k.to_uppercase()
            };
            setting(k, Some(&example))
        })
        .collect();
    Error::invalid(first, format!("not set{also}; {needs}")).with_hint(phrased(
        &format!("pass {}", examples.join(" ")),
        &format!("set {}", examples.join(", ")),
    ))
}

fn parse_domains(items: &[String]) -> Result<Vec<DomainPattern>> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<DomainPattern> = Vec::new();
    for item in items {
        let d = DomainPattern::parse(item)?;
        if seen.insert(d.to_string()) {
            out.push(d);
        }
    }
    Ok(out)
}

/// Applies a move of `name` to a new place in `order` (the `reorder --move` forms).
///
/// Errors: [`Error::Invalid`] when `name` or the anchor is not in the order, or `to` is out of
/// range (1-based).
pub fn move_in_order(order: &[PoolName], name: &PoolName, to: MoveTarget) -> Result<Vec<PoolName>> {
    let missing = |n: &PoolName| {
        Error::invalid("reorder", format!("pool '{n}' is not in the order"))
            .with_hint("run `pools list` to see the pools of this store")
    };
    let mut rest: Vec<PoolName> = order.iter().filter(|n| *n != name).cloned().collect();
    if rest.len() == order.len() {
        return Err(missing(name));
    }
    let index = match to {
        MoveTarget::Position(p) => {
            if p == 0 || p > order.len() {
                return Err(Error::invalid(
                    "--to",
                    format!("position {p} is outside 1..={}", order.len()),
                ));
            }
            p - 1
        }
        MoveTarget::Before(ref anchor) | MoveTarget::After(ref anchor) => {
            if anchor == name {
                return Err(Error::invalid(
                    "reorder",
                    "a pool cannot move relative to itself",
                ));
            }
            let at = rest
                .iter()
                .position(|n| n == anchor)
                .ok_or_else(|| missing(anchor))?;
            if matches!(to, MoveTarget::After(_)) {
                at + 1
            } else {
                at
            }
        }
    };
    rest.insert(index, name.clone());
    Ok(rest)
}

/// Where `reorder --move` puts a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveTarget {
    /// 1-based position.
    Position(usize),
    Before(PoolName),
    After(PoolName),
}

/// Checks that `wanted` names every pool of `current` exactly once (the full `reorder` form).
///
/// Errors: [`Error::Invalid`] listing the unknown, repeated and missing names together.
pub fn check_full_order(current: &[PoolName], wanted: &[String]) -> Result<Vec<PoolName>> {
    let mut seen = BTreeSet::new();
    let (mut unknown, mut repeated) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    for w in wanted {
        match current.iter().find(|c| c.as_str() == w) {
            None => unknown.push(w.clone()),
            Some(c) => {
                if !seen.insert(c.clone()) {
                    repeated.push(w.clone());
                } else {
                    out.push(c.clone());
                }
            }
        }
    }
    let missing: Vec<String> = current
        .iter()
        .filter(|c| !seen.contains(*c))
        .map(|c| c.to_string())
        .collect();
    let mut problems = Vec::new();
    if !unknown.is_empty() {
        problems.push(format!("unknown: {}", unknown.join(", ")));
    }
    if !repeated.is_empty() {
        problems.push(format!("repeated: {}", repeated.join(", ")));
    }
    if !missing.is_empty() {
        problems.push(format!("missing: {}", missing.join(", ")));
    }
    if problems.is_empty() {
        return Ok(out);
    }
    let problems = problems.join("; ");
    // A name that is no pool is a typo: "not found", as everywhere else a pool is named.
    if let Some(first) = unknown.first() {
        return Err(Error::NotFound {
            what: format!("pool '{first}'"),
            hint: Some(format!(
                "the order must name every pool exactly once ({problems}); run `pools list` to see them"
            )),
        });
    }
    Err(Error::invalid(
        "reorder",
        format!("the order must name every pool exactly once ({problems})"),
    )
    .with_hint("or move one pool: pools reorder --move NAME --to N"))
}

/// A pool on the wire (the environment server's requests and answers) is its spec, as
/// `export` writes it; reading one back checks every rule again ([`Pool::from_spec`]).
impl serde::Serialize for Pool {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_spec().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Pool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let spec = PoolSpec::deserialize(d)?;
        Pool::from_spec(&spec).map_err(serde::de::Error::custom)
    }
}

/// A stored pool on the wire is its [`StoredPool::view`]: the spec with `position` and
/// `version`.
impl serde::Serialize for StoredPool {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.view().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for StoredPool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let spec = PoolSpec::deserialize(d)?;
        Ok(StoredPool {
            pool: Pool::from_spec(&spec).map_err(serde::de::Error::custom)?,
            position: spec.position.unwrap_or_default(),
            version: spec.version.unwrap_or_default(),
        })
    }
}

/// A pool's schema in the server's OpenAPI 3.1 document: its spec, as it is serialised.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Pool {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::Ref::from_schema_name("PoolSpec").into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Pool {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push(("PoolSpec".into(), PoolSpec::schema()));
        <PoolSpec as utoipa::ToSchema>::schemas(schemas);
    }
}

/// A stored pool's schema: its view, the spec with `position` and `version`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for StoredPool {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <Pool as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for StoredPool {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <Pool as utoipa::ToSchema>::schemas(schemas);
    }
}
