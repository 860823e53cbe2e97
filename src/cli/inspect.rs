//! `pools inspect [NAME]` (alias `pools list`)

use super::{Ctx, output};

/// Show the pools in login order, or every setting of one pool
///
/// Secrets are shown as ******** beside their reference (R11).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A pool to show in full
    name: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let env = ctx.env_read()?;
    match a.name {
        None => {
            let pools = ctx.block_on(env.pools())?;
            if !output::structured(ctx, &pools.iter().map(output::view).collect::<Vec<_>>())? {
                if pools.is_empty() {
                    ctx.note("no pools yet; create one with `pools create NAME --type external --source ...`");
                } else {
                    output::pool_list(&pools)?;
                }
            }
        }
        Some(name) => {
            let (pool, u) = ctx.block_on(env.pool(&name))?;
            if !output::structured(ctx, &output::view(&pool))? {
                output::pool_detail(&pool, (u.shadow, u.migrated + u.imported_without_hash))?;
            }
        }
    }
    Ok(())
}
