//! `pools delete NAME [--force]`

use super::{Ctx, output, prompt, usage};

/// Delete a pool
///
/// A pool that users still need to log in (shadow copies, imported users without a hash)
/// needs --force, and the counts are reported (R10); migrated users stay (R3). Needs --yes
/// without a terminal.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pool to delete (see `pools list`)
    name: String,
    /// Also delete when users still need the pool to log in: shadow copies go with it,
    /// imported users without a hash stay but cannot log in any more
    #[arg(long)]
    force: bool,
    /// Refuse unless the pool is still at this version (R12)
    #[arg(long, value_name = "N")]
    if_version: Option<u64>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let env = ctx.env()?;
    let (_, users) = ctx.block_on(env.pool(&a.name))?;
    // Before the question: a delete the store would refuse is not worth confirming.
    users.refuse_delete(&a.name, a.force)?;
    if !ctx.yes {
        if !prompt::may_prompt(ctx) {
            return Err(usage(
                format!("deleting pool '{}' needs confirmation", a.name),
                "add --yes to confirm without a prompt (no terminal, or --no-input)",
            ));
        }
        let q = format!(
            "delete pool '{}' ({} shadow users, {} migrated users, {} imported without a password hash)?",
            a.name, users.shadow, users.migrated, users.imported_without_hash
        );
        if !prompt::confirm(&q)? {
            return Err(super::Declined("nothing deleted".into()).into());
        }
    }
    let outcome = ctx.block_on(env.delete_pool(&a.name, a.if_version, a.force))?;
    ctx.committed(format!("deleted pool '{}'", outcome.name));
    if !output::structured(ctx, &outcome)? {
        output::outln!(
            "deleted pool '{}' ({} shadow users removed, {} migrated users kept, {} imported users without a password hash kept)",
            outcome.name,
            outcome.shadow_users_removed,
            outcome.migrated_users_kept,
            outcome.imported_without_hash_kept
        )?;
    }
    warn_stranded(ctx, &outcome);
    Ok(())
}

/// Tells the operator about users a forced delete left without a way to log in (R10).
pub(super) fn warn_stranded(ctx: &Ctx, outcome: &pools_core::store::DeleteOutcome) {
    if outcome.imported_without_hash_kept > 0 {
        ctx.warn(format!(
            "{} imported user(s) of '{}' have no password hash and cannot log in until a pool named '{}' exists again",
            outcome.imported_without_hash_kept, outcome.name, outcome.name
        ));
    }
}
