//! Flags shared by `create` and `configure`: one spelling each, equal to the YAML keys in
//! kebab-case. They fill a [`PoolSpec`]; the library validates it.

use super::choice::choice;
use super::{Ctx, prompt};
use anyhow::bail;
use pools_core::input_file;
use pools_core::pool::{Mode, PoolSpec, SignInMethod};
use pools_core::secret::Secret;
use pools_core::service::secrets::{NewSecret, SECRET_FIELDS, SavedSecret};

/// A value of `--allow`: a method, or `none` to allow none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Allow {
    Social,
    Sso,
    Passwordless,
    None,
}

#[derive(Debug, Default, clap::Args)]
pub struct PoolFlags {
    /// passthrough | sync | jit (jit: external pools only, R2)
    #[arg(long, value_parser = choice::<Mode>(), help_heading = "Pool")]
    pub mode: Option<Mode>,
    /// Tenant ID source: property:<path> | fixed:<value> | auto (R4)
    #[arg(long, value_name = "SOURCE", help_heading = "Pool")]
    pub tenant: Option<String>,
    /// Used when a property tenant is missing or unusable: fixed:<value> | auto | none
    #[arg(long, value_name = "FALLBACK", help_heading = "Pool")]
    pub tenant_fallback: Option<String>,
    /// Extra sign-in methods for the pool's users (R9), comma-separated, or none
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "METHODS",
        help_heading = "Pool"
    )]
    pub allow: Option<Vec<Allow>>,
    /// Send only identifiers of these email domains to the pool (example.com,*.example.org), or none
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "DOMAINS",
        help_heading = "Pool"
    )]
    pub domains: Option<Vec<String>>,
    /// How long a login waits for this pool's answer, in milliseconds (1..=600000; default
    /// 5000): past it, or past the login's budget, the pool is source_unavailable (R5)
    #[arg(long, value_name = "MS", help_heading = "Pool")]
    pub timeout_ms: Option<u64>,

    /// auth0: tenant domain, e.g. acme.eu.auth0.com
    #[arg(long, help_heading = "Source settings")]
    pub domain: Option<String>,
    /// auth0, cognito, idp: the client ID
    #[arg(long, help_heading = "Source settings")]
    pub client_id: Option<String>,
    /// auth0, idp, cognito (when its app client has one): env:VAR | file:PATH |
    /// keyring:NAME | - (read from stdin) (R11)
    #[arg(long, value_name = "REF", help_heading = "Source settings")]
    pub client_secret: Option<String>,
    /// auth0: the database connection (realm) [default: Username-Password-Authentication]
    #[arg(long, value_name = "NAME", help_heading = "Source settings")]
    pub connection: Option<String>,
    /// cognito: AWS region, e.g. eu-west-1
    #[arg(long, help_heading = "Source settings")]
    pub region: Option<String>,
    /// cognito: user pool ID, e.g. eu-west-1_AbCdEfGhI
    #[arg(long, help_heading = "Source settings")]
    pub user_pool_id: Option<String>,
    /// cognito, firebase, auth0: override the service endpoint (emulators; http allowed on
    /// loopback)
    #[arg(long, value_name = "URL", help_heading = "Source settings")]
    pub endpoint_url: Option<String>,
    /// firebase: project ID
    #[arg(long, help_heading = "Source settings")]
    pub project_id: Option<String>,
    /// firebase: Web API key: env:VAR | file:PATH | keyring:NAME | - (R11)
    #[arg(long, value_name = "REF", help_heading = "Source settings")]
    pub api_key: Option<String>,
    /// custom: the endpoint URL (https, or http on loopback)
    #[arg(long, help_heading = "Source settings")]
    pub url: Option<String>,
    /// custom: Authorization header value: env:VAR | file:PATH | keyring:NAME | - (R11)
    #[arg(long, value_name = "REF", help_heading = "Source settings")]
    pub auth_header: Option<String>,
    /// export: the export file
    #[arg(long, value_name = "PATH", help_heading = "Source settings")]
    pub file: Option<String>,
    /// export: firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: detected]
    #[arg(long, help_heading = "Source settings")]
    pub format: Option<String>,
    /// export: Firebase password-hash parameters (JSON as the console shows them)
    #[arg(long, value_name = "PATH", help_heading = "Source settings")]
    pub hash_config: Option<String>,
    /// idp: issuer URL (serves /.well-known/openid-configuration)
    #[arg(long, value_name = "URL", help_heading = "Source settings")]
    pub issuer: Option<String>,
    /// idp: the claim that carries the tenant ID
    #[arg(long, value_name = "CLAIM", help_heading = "Source settings")]
    pub tenant_claim: Option<String>,
}

fn is_none_word(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || pools_core::keyword::is(v, "none")
}

impl PoolFlags {
    /// The flags as a partial spec named `name`.
    ///
    /// Errors: a usage error for `--allow none` mixed with methods.
    pub fn to_spec(&self, name: &str) -> anyhow::Result<PoolSpec> {
        if let Some(allow) = &self.allow
            && allow.len() > 1
            && allow.contains(&Allow::None)
        {
            bail!(super::UsageError {
                message: "--allow none cannot be combined with methods".into(),
                hint: Some(
                    "use --allow none to allow none, or list the methods, e.g. --allow social,sso"
                        .into()
                ),
            });
        }
        // `--domains none` routes every identifier; an empty entry among domains is a slip
        // (`a.com,,b.com`), refused rather than dropped (retrial finding 19), and so is an
        // empty or blank value (`--domains ''`, an unset variable), which would route every
        // identifier without saying so.
        if let Some(domains) = &self.domains
            && let [only] = domains.as_slice()
            && only.trim().is_empty()
        {
            bail!(super::UsageError {
                message: format!("--domains {only:?}: no domain given"),
                hint: Some(
                    "use --domains none to route every identifier, or list domains, e.g. --domains example.com,*.example.org"
                        .into()
                ),
            });
        }
        if let Some(domains) = &self.domains
            && domains.len() > 1
            && let Some(bad) = domains.iter().find(|d| is_none_word(d))
        {
            bail!(super::UsageError {
                message: format!(
                    "--domains {}: {} among domains",
                    domains.join(","),
                    if bad.trim().is_empty() { "an empty entry".to_owned() } else { format!("{bad:?}") }
                ),
                hint: Some(
                    "list domains separated by single commas, e.g. --domains example.com,*.example.org; --domains none routes every identifier"
                        .into()
                ),
            });
        }
        let mut spec = PoolSpec {
            name: name.to_owned(),
            mode: self.mode,
            tenant: self.tenant.clone(),
            tenant_fallback: self.tenant_fallback.clone(),
            allow: self.allow.as_ref().map(|v| {
                v.iter()
                    .filter_map(|a| match a {
                        Allow::Social => Some(SignInMethod::Social),
                        Allow::Sso => Some(SignInMethod::Sso),
                        Allow::Passwordless => Some(SignInMethod::Passwordless),
                        Allow::None => None,
                    })
                    .collect()
            }),
            domains: self
                .domains
                .as_ref()
                .map(|v| v.iter().filter(|d| !is_none_word(d)).cloned().collect()),
            timeout_ms: self.timeout_ms,
            ..PoolSpec::default()
        };
        let values = [
            ("domain", &self.domain),
            ("client_id", &self.client_id),
            ("client_secret", &self.client_secret),
            ("connection", &self.connection),
            ("region", &self.region),
            ("user_pool_id", &self.user_pool_id),
            ("endpoint_url", &self.endpoint_url),
            ("project_id", &self.project_id),
            ("api_key", &self.api_key),
            ("url", &self.url),
            ("auth_header", &self.auth_header),
            ("file", &self.file),
            ("format", &self.format),
            ("hash_config", &self.hash_config),
            ("issuer", &self.issuer),
            ("tenant_claim", &self.tenant_claim),
        ];
        for (field, value) in values {
            *spec.field_mut(field).expect("known field") = value.clone();
        }
        Ok(spec)
    }
}

/// Reads the value of every secret setting of `spec` given as `-`: from a hidden prompt on
/// a terminal, else from stdin (at most one). The environment names and keeps them, and only
/// once the pool validates (R11).
pub fn take_secrets(ctx: &Ctx, spec: &PoolSpec) -> anyhow::Result<Vec<NewSecret>> {
    let dashed: Vec<&str> = SECRET_FIELDS
        .iter()
        .copied()
        .filter(|f| spec.field(f) == Some("-"))
        .collect();
    if dashed.len() > 1 && !prompt::may_prompt(ctx) {
        bail!(super::UsageError {
            message: format!(
                "only one secret can be read from stdin, but {} are `-`",
                flags(&dashed)
            ),
            hint: Some("pass the others as env:VAR, file:PATH or keyring:NAME".into()),
        });
    }
    let mut out = Vec::new();
    for field in dashed {
        let value = if prompt::may_prompt(ctx) {
            prompt::secret(&format!("{} for pool '{}'", flag(field), spec.name))?
        } else {
            read_stdin_secret(&flag(field))?
        };
        out.push(NewSecret {
            field: field.to_owned(),
            value,
        });
    }
    Ok(out)
}

/// Says where the new secrets of a committed change are kept.
pub fn report_saved(ctx: &Ctx, saved: &[SavedSecret]) {
    for s in saved {
        if let pools_core::service::Notice::Note(n) = s.notice() {
            ctx.note(n);
        }
    }
}

/// The value of the secret flag `flag` given as `-`: stdin, at most [`input_file::SECRET`].
pub fn read_stdin_secret(flag: &str) -> anyhow::Result<Secret> {
    let s = input_file::read(input_file::Source::Stdin, flag, input_file::SECRET)?;
    let v = s.trim_end_matches(['\r', '\n']).to_owned();
    if v.is_empty() {
        // `--password-stdin`, `--token-stdin` take no value; a secret setting takes `-`.
        let given = if flag.ends_with("-stdin") {
            flag.to_owned()
        } else {
            format!("{flag} -")
        };
        bail!(super::UsageError {
            message: format!("{given}: stdin was empty; a secret was expected"),
            hint: Some(format!(
                "pipe the secret in, e.g. `printf %s \"$SECRET\" | pools ... {given}`"
            )),
        });
    }
    Ok(Secret::new(v))
}

/// `client_id` → `--client-id`.
/// The `create` / `configure` flag of a pool setting named by its YAML key (a [`PoolSpec`]
/// field), for error reports; `None` for names that are no setting (rules such as `R2`,
/// `store`, `password`) and for `name`, which is an argument.
pub fn flag_of_key(key: &str) -> Option<String> {
    match key {
        "enabled" => Some("--enable/--disable".into()),
        "version" => Some("--if-version".into()),
        "type" | "source" | "mode" | "tenant" | "tenant_fallback" | "allow" | "domains"
        | "timeout_ms" | "position" => Some(flag(key)),
        k if pools_core::pool::SOURCE_FIELDS.contains(&k) => Some(flag(k)),
        _ => None,
    }
}

pub fn flag(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

pub fn flags(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| flag(f))
        .collect::<Vec<_>>()
        .join(", ")
}
