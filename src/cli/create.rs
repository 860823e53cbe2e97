//! `pools create NAME --type ... --source ... [settings]`

use super::args::{self, PoolFlags};
use super::choice::{self, choice};
use super::{Ctx, output, prompt, usage};
use anyhow::Context;
use pools_core::pool::{Mode, PoolSpec, PoolType, SourceKind};
use pools_core::service::environment::CreatePool;
use pools_core::service::secrets::SECRET_FIELDS;

/// Create a user pool
///
/// Without a terminal (or with --no-input), every missing required flag
/// is named in one error; on a terminal, missing values are asked for (secrets hidden), and so
/// are the mode and tenant source when not given. The output names every default taken.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("mode", |a| a.help(MODE_HELP)),
    mut_arg("tenant", |a| a.help(TENANT_HELP)),
)]
pub struct Args {
    /// Pool name: 1-63 of a-z, 0-9, '-' (R1)
    name: String,
    /// external (a user database) or idp (OpenID Connect federation)
    #[arg(long = "type", value_parser = choice::<PoolType>(), value_name = "TYPE")]
    pool_type: Option<PoolType>,
    /// auth0 | cognito | firebase | custom | export (external); oidc (idp, the default there)
    #[arg(long, value_parser = choice::<SourceKind>())]
    source: Option<SourceKind>,
    /// 1-based place in the login order [default: last]
    #[arg(long, value_name = "N")]
    position: Option<usize>,
    /// Create the pool disabled (not asked at login until `pools configure NAME --enable`)
    #[arg(long = "disable", alias = "disabled")]
    disabled: bool,
    #[command(flatten)]
    flags: PoolFlags,
}

const MODE_HELP: &str =
    "passthrough | sync | jit (jit: external pools only, R2) [default: passthrough]";
const TENANT_HELP: &str = "Tenant ID source: property:<path> | fixed:<value> | auto (R4) [default: auto: a new tenant per new user, kept by migrated users for good; idp pools with --tenant-claim: property:<claim>]";

/// The flags `create` needs and lacks, every tier at once: `--type` and `--source` when
/// unknown, and the source's required settings as soon as the source is known (from
/// `--source`, or `idp`'s only source).
fn missing_flags(spec: &PoolSpec) -> Vec<String> {
    let mut missing = Vec::new();
    let mut probe = spec.clone();
    if probe.pool_type.is_none() {
        missing.push("type");
        probe.pool_type = probe.source.map(SourceKind::pool_type);
    }
    if probe.pool_type.is_none() && probe.source.is_none() {
        missing.push("source");
    } else {
        missing.extend(probe.missing_required());
    }
    let mut flags: Vec<String> = missing.iter().map(|f| args::flag(f)).collect();
    if spec.source.is_none() && probe.pool_type != Some(PoolType::Idp) {
        flags.push("and the settings of that source (see `pools create --help`)".into());
    }
    flags
}

/// The defaults `create` takes for `spec`, as `(flag, value, why it matters)`.
fn defaults_taken(spec: &PoolSpec) -> Vec<(&'static str, String, &'static str)> {
    let mut taken = Vec::new();
    if spec.mode.is_none() {
        taken.push((
            "--mode",
            Mode::Passthrough.to_string(),
            "the source is asked at every login",
        ));
    }
    if spec.tenant.is_none() && spec.field("tenant_claim").is_none() {
        taken.push((
            "--tenant",
            "auto".to_owned(),
            "a new tenant for each new user; users migrated under it keep that tenant (R4)",
        ));
    }
    taken
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let mut spec = a.flags.to_spec(&a.name)?;
    spec.pool_type = a.pool_type;
    spec.source = a.source;
    if a.disabled {
        spec.enabled = Some(false);
    }
    // Refuse a bad name before asking anything.
    pools_core::pool::PoolName::parse(&a.name)?;
    // A new pool has nothing to clear: an empty value is an unset shell variable, which
    // would otherwise quietly mean the default (trial finding: `--endpoint-url "$EMU"` sent
    // rehearsals to the provider itself).
    if let Some(field) = pools_core::pool::SOURCE_FIELDS
        .iter()
        .find(|f| spec.field(f).is_some_and(pools_core::pool::clears))
    {
        let value = spec.field(field).unwrap_or_default();
        anyhow::bail!(super::UsageError {
            message: format!("{} {value:?}: no value given", args::flag(field)),
            hint: Some(format!(
                "give a value, or leave {} out for its default",
                args::flag(field)
            )),
        });
    }

    let missing = missing_flags(&spec);
    if !missing.is_empty() {
        if !prompt::may_prompt(ctx) {
            let what = match spec.source.or(spec
                .pool_type
                .filter(|t| *t == PoolType::Idp)
                .map(|_| SourceKind::Oidc))
            {
                Some(k) => format!("source {k}"),
                None => "a pool".to_owned(),
            };
            return Err(usage(
                format!("missing required flags for {what}: {}", missing.join(", ")),
                "pass them as flags (secrets as env:VAR, file:PATH, keyring:NAME or -), or run on a terminal to be asked",
            ));
        }
        fill_by_prompt(&mut spec)?;
    }
    if prompt::may_prompt(ctx) {
        ask_defaults(&mut spec)?;
    }
    let defaults = defaults_taken(&spec);

    let secrets = args::take_secrets(ctx, &spec)?;
    spec.absolutize(&std::env::current_dir().context("reading the current directory")?);
    let env = ctx.env()?;
    let done = ctx.block_on(env.create_pool(CreatePool {
        spec,
        secrets,
        position: a.position,
    }))?;
    let created = &done.pool;
    let pool = &created.pool;
    ctx.committed(format!("created pool '{}'", created.pool.name));
    args::report_saved(ctx, &done.saved);
    if !output::structured(ctx, &output::view(created))? {
        output::outln!(
            "created pool '{}' ({} {}, mode {}, tenant {}) at position {}",
            created.pool.name,
            created.pool.pool_type(),
            created.pool.settings.kind(),
            created.pool.mode,
            created.pool.tenant,
            created.position
        )?;
        for (flag, value, why) in &defaults {
            output::outln!("  default taken: {flag} {value} ({why})")?;
        }
    }
    if !defaults.is_empty() {
        // Never a silent default (R4): also under -o json and -q.
        let list: Vec<String> = defaults
            .iter()
            .map(|(f, v, _)| format!("{f} {v}"))
            .collect();
        if ctx.format != super::Format::Table {
            ctx.warn(format!(
                "defaults taken: {}; change them with `pools configure {}`",
                list.join(", "),
                created.pool.name
            ));
        }
    }
    let outstanding = pool.outstanding_prerequisites_for(done.detected_format);
    if !outstanding.is_empty() {
        ctx.note("");
        ctx.note(format!(
            "Before this pool works, set up at the source ({}):",
            pool.settings.kind()
        ));
        for item in outstanding {
            ctx.note(format!("  - {item}"));
        }
    }
    Ok(())
}

/// On a terminal, asks for the mode and tenant source not given, offering the defaults
/// (R4: the operator decides about `auto`, which migrated users keep for good).
fn ask_defaults(spec: &mut PoolSpec) -> anyhow::Result<()> {
    if spec.mode.is_none() {
        let jit = if spec.pool_type == Some(PoolType::Idp) {
            ""
        } else {
            ", jit"
        };
        let v = prompt::text_or(&format!("mode (passthrough, sync{jit})"), "passthrough")?;
        spec.mode = Some(
            choice::from_answer::<Mode>(&v)
                .map_err(|e| usage(e, "answer one of the modes listed"))?,
        );
    }
    if spec.tenant.is_none() && spec.field("tenant_claim").is_none() {
        let v = prompt::text_or(
            "tenant source (property:<path>, fixed:<value>, auto = a new tenant per new user, kept for good once migrated)",
            "auto",
        )?;
        spec.tenant = Some(v.trim().to_owned());
    }
    Ok(())
}

/// Asks for type, source and each missing required setting in turn.
fn fill_by_prompt(spec: &mut pools_core::pool::PoolSpec) -> anyhow::Result<()> {
    if spec.pool_type.is_none() {
        let v = prompt::text("type (external, idp)")?;
        spec.pool_type = Some(
            choice::from_answer::<PoolType>(&v).map_err(|e| usage(e, "answer external or idp"))?,
        );
    }
    if spec.source.is_none() && spec.pool_type == Some(PoolType::External) {
        let v = prompt::text("source (auth0, cognito, firebase, custom, export)")?;
        let kind = choice::from_answer::<SourceKind>(&v)
            .map_err(|e| usage(e, "answer one of the sources listed"))?;
        if kind.pool_type() != PoolType::External {
            return Err(usage(
                format!("{kind} is not an external source"),
                "answer auth0, cognito, firebase, custom or export",
            ));
        }
        spec.source = Some(kind);
    }
    for field in spec.missing_required() {
        let value = if SECRET_FIELDS.contains(&field) {
            // Read hidden below by take_secrets, then kept in the credential store.
            "-".to_owned()
        } else {
            prompt::text(&args::flag(field))?
        };
        *spec.field_mut(field).expect("source field") = Some(value);
    }
    Ok(())
}
