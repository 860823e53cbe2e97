//! `pools configure NAME [settings] [--if-version N]`

use super::args::{self, PoolFlags};
use super::{Ctx, output};
use anyhow::Context;
use pools_core::service::environment::ConfigurePool;

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
    let secrets = args::take_secrets(ctx, &patch)?;
    patch.absolutize(&std::env::current_dir().context("reading the current directory")?);
    let env = ctx.env()?;
    let done = ctx.block_on(env.configure_pool(ConfigurePool {
        name: a.name.clone(),
        patch,
        secrets,
        if_version: a.if_version,
        force: a.force,
    }))?;
    let (current, updated) = (&done.before, &done.after);
    if !done.changed {
        if !output::structured(ctx, &output::view(current))? {
            output::outln!(
                "pool '{}' unchanged (version {})",
                current.pool.name,
                current.version
            )?;
        }
        return Ok(());
    }
    ctx.committed(format!(
        "configured pool '{}' (version {})",
        updated.pool.name, updated.version
    ));
    args::report_saved(ctx, &done.saved);
    if !output::structured(ctx, &output::view(updated))? {
        output::outln!(
            "configured pool '{}' (version {})",
            updated.pool.name,
            updated.version
        )?;
    }
    let pool = &updated.pool;
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
