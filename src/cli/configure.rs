//! `pools configure NAME [settings] [--if-version N]`

use super::args::{self, PoolFlags};
use super::{Ctx, output};
use anyhow::Context;

/// Change settings of a pool
///
/// Flags not given keep their value. An empty value (or `none`)
/// clears an optional setting. Changes apply to users created from now on (R10).
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("mode", |a| a.help("passthrough | sync | jit (jit: external pools only, R2) [default: unchanged]")),
    mut_arg("tenant", |a| a.help("Tenant ID source: property:<path> | fixed:<value> | auto (R4); applies to users created from now on [default: unchanged]")),
)]
pub struct Args {
    /// The pool to change (see `pools list`)
    name: String,
    /// Enable the pool
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable the pool: it is skipped at login (its migrated users still log in, R3)
    #[arg(long, alias = "disabled")]
    disable: bool,
    /// Refuse unless the pool is still at this version (see `pools inspect NAME`) (R12)
    #[arg(long, value_name = "N")]
    if_version: Option<u64>,
    /// Change the source (an export pool's file or format) even though users still need it (R10)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    flags: PoolFlags,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let mut patch = a.flags.to_spec(&a.name)?;
    if a.enable {
        patch.enabled = Some(true);
    }
    if a.disable {
        patch.enabled = Some(false);
    }
    let mut store = ctx.store()?;
    let current = store.pool(&a.name)?;
    let expected = a.if_version.unwrap_or(current.version);
    let env_id = store.environment_id()?;
    let secrets = args::take_secrets(ctx, &mut patch, &env_id)?;
    patch.absolutize(&std::env::current_dir().context("reading the current directory")?);
    let pool = current.pool.patched(&patch)?;
    pool.check_for_write()?;
    super::apply::check_hash_config(ctx, &pool)?;
    if pool == current.pool && a.if_version.is_none_or(|v| v == current.version) {
        // No `-` secret: that would have changed the pool.
        super::apply::warn_secrets(ctx, &pool);
        if !output::structured(ctx, &output::view(&current))? {
            output::outln!(
                "pool '{}' unchanged (version {})",
                current.pool.name,
                current.version
            )?;
        }
        return Ok(());
    }
    let saved = secrets.save()?;
    super::apply::warn_secrets(ctx, &pool);
    let updated = match store.update_pool(&pool, expected, a.force) {
        Ok(u) => u,
        Err(e) => {
            secrets.discard();
            return Err(
                anyhow::Error::from(e).context(format!("cannot configure pool '{}'", a.name))
            );
        }
    };
    ctx.committed(format!(
        "configured pool '{}' (version {})",
        updated.pool.name, updated.version
    ));
    args::NewSecrets::report(ctx, &saved);
    let now = store.pools()?;
    args::share_adopted(ctx, &env_id, [&updated.pool]);
    args::forget_replaced(ctx, &env_id, &current.pool, &now);
    super::apply::warn_shared_domains(ctx, now.iter().map(|p| &p.pool), &[&updated.pool.name]);
    super::apply::warn_export_file(ctx, &pool);
    if !output::structured(ctx, &output::view(&updated))? {
        output::outln!(
            "configured pool '{}' (version {})",
            updated.pool.name,
            updated.version
        )?;
    }
    if pool.tenant != current.pool.tenant {
        ctx.note(format!(
            "note: the tenant source is now {}; existing users keep their tenant, the new source applies to users created from now on (R4, R10)",
            pool.tenant
        ));
    }
    if pool.mode != current.pool.mode {
        ctx.note(format!(
            "note: mode is now {}; users already migrated stay local (R3) and existing users are not changed (R10)",
            pool.mode
        ));
    }
    Ok(())
}
