//! `pools create NAME --type ... --source ... [settings]`

use super::args::{self, PoolFlags, SECRET_FIELDS};
use super::{Ctx, output, prompt, usage};
use anyhow::Context;
use pools::pool::{Pool, PoolType, SourceKind};

/// Create a user pool
///
/// Without a terminal (or with --no-input), every missing required flag
/// is named in one error; on a terminal, missing values are asked for (secrets hidden).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pool name: 1-63 of a-z, 0-9, '-' (R1)
    name: String,
    /// external (a user database) or idp (OpenID Connect federation)
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pool_type: Option<PoolType>,
    /// auth0 | cognito | firebase | custom | export (external); oidc (idp, the default there)
    #[arg(long, value_enum)]
    source: Option<SourceKind>,
    /// 1-based place in the login order [default: last]
    #[arg(long, value_name = "N")]
    position: Option<usize>,
    /// Create the pool disabled (not asked at login until enabled)
    #[arg(long)]
    disabled: bool,
    #[command(flatten)]
    flags: PoolFlags,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let mut spec = a.flags.to_spec(&a.name)?;
    spec.pool_type = a.pool_type;
    spec.source = a.source;
    if a.disabled {
        spec.enabled = Some(false);
    }
    // Refuse a bad name before asking anything.
    pools::pool::PoolName::parse(&a.name)?;

    let missing = spec.missing_required();
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
                format!(
                    "missing required flags for {what}: {}",
                    args::flags(&missing)
                ),
                "pass them as flags (secrets as env:VAR, file:PATH, keyring:NAME or -), or run on a terminal to be asked",
            ));
        }
        fill_by_prompt(&mut spec)?;
    }

    let mut store = ctx.store()?;
    let env_id = store.environment_id()?;
    let secrets = args::take_secrets(ctx, &mut spec, &env_id)?;
    spec.absolutize(&std::env::current_dir().context("reading the current directory")?);
    let pool = Pool::from_spec(&spec)?;
    super::apply::warn_secrets(ctx, &pool);
    let saved = secrets.save()?;
    let created = match store.create_pool(&pool, a.position) {
        Ok(c) => c,
        Err(e) => {
            secrets.discard();
            return Err(
                anyhow::Error::from(e).context(format!("cannot create pool '{}'", pool.name))
            );
        }
    };

    args::NewSecrets::report(ctx, &saved);
    if !output::structured(ctx, &output::view(&created))? {
        println!(
            "created pool '{}' ({} {}, mode {}) at position {}",
            created.pool.name,
            created.pool.pool_type(),
            created.pool.settings.kind(),
            created.pool.mode,
            created.position
        );
    }
    ctx.note(format!(
        "\nBefore this pool works, set up at the source ({}):",
        pool.settings.kind()
    ));
    for item in pool.settings.kind().prerequisites() {
        ctx.note(format!("  - {item}"));
    }
    Ok(())
}

/// Asks for type, source and each missing required setting in turn.
fn fill_by_prompt(spec: &mut pools::pool::PoolSpec) -> anyhow::Result<()> {
    use clap::ValueEnum;
    if spec.pool_type.is_none() {
        let v = prompt::text("type (external, idp)")?;
        spec.pool_type = Some(
            PoolType::from_str(v.trim(), true).map_err(|e| usage(e, "answer external or idp"))?,
        );
    }
    if spec.source.is_none() && spec.pool_type == Some(PoolType::External) {
        let v = prompt::text("source (auth0, cognito, firebase, custom, export)")?;
        let kind = SourceKind::from_str(v.trim(), true)
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
