//! `pools delete NAME [--force]`

use super::{Ctx, output, prompt, usage};

/// Delete a pool
///
/// A pool that still owns non-migrated users needs --force, and the count is
/// reported (R10); migrated users stay (R3). Needs --yes without a terminal.
#[derive(Debug, clap::Args)]
pub struct Args {
    name: String,
    /// Also delete when the pool still owns shadow users (their local copies go with it)
    #[arg(long)]
    force: bool,
    /// Refuse unless the pool is still at this version (R12)
    #[arg(long, value_name = "N")]
    if_version: Option<u64>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let mut store = ctx.store()?;
    let pool = store.pool(&a.name)?;
    let (shadow, migrated) = store.pool_user_counts(&a.name)?;
    if !ctx.yes {
        if !prompt::may_prompt(ctx) {
            return Err(usage(
                format!("deleting pool '{}' needs confirmation", a.name),
                "add --yes to confirm without a terminal",
            ));
        }
        let q = format!(
            "delete pool '{}' ({} shadow users, {} migrated users)?",
            a.name, shadow, migrated
        );
        if !prompt::confirm(&q)? {
            return Err(super::Declined("nothing deleted".into()).into());
        }
    }
    let outcome = store.delete_pool(&a.name, a.if_version.unwrap_or(pool.version), a.force)?;
    ctx.committed(format!("deleted pool '{}'", outcome.name));
    super::args::forget_replaced(ctx, &store.environment_id()?, &pool.pool, None);
    if !output::structured(ctx, &outcome)? {
        output::outln!(
            "deleted pool '{}' ({} shadow users removed, {} migrated users kept)",
            outcome.name,
            outcome.shadow_users_removed,
            outcome.migrated_users_kept
        )?;
    }
    Ok(())
}
