//! `pools reorder A B C ...` and `pools reorder --move NAME (--to N | --before X | --after X)`

use super::{Ctx, output};
use pools_core::pool::{self, MoveTarget, PoolName};

/// Set the login order of the pools (R5)
///
/// Name every pool once, in order, or move one pool with --move.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").args(["to", "before", "after"]).requires("move"))]
pub struct Args {
    /// The full order: every pool exactly once
    #[arg(
        value_name = "POOL",
        required_unless_present = "move",
        conflicts_with = "move"
    )]
    order: Vec<String>,
    /// Move one pool instead of giving the full order
    #[arg(id = "move", long = "move", value_name = "POOL", requires = "target")]
    move_: Option<String>,
    /// New 1-based position of the moved pool
    #[arg(long, value_name = "N", group = "target")]
    to: Option<usize>,
    /// Put the moved pool just before this one
    #[arg(long, value_name = "POOL", group = "target")]
    before: Option<String>,
    /// Put the moved pool just after this one
    #[arg(long, value_name = "POOL", group = "target")]
    after: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let env = ctx.env()?;
    let current: Vec<PoolName> = ctx
        .block_on(env.pools())?
        .into_iter()
        .map(|p| p.pool.name)
        .collect();
    let wanted = match &a.move_ {
        None => pool::check_full_order(&current, &a.order)?,
        Some(name) => {
            let name = known(&current, name)?;
            let target = match (a.to, &a.before, &a.after) {
                (Some(n), _, _) => MoveTarget::Position(n),
                (_, Some(b), _) => MoveTarget::Before(known(&current, b)?),
                (_, _, Some(x)) => MoveTarget::After(known(&current, x)?),
                _ => unreachable!("clap requires one target with --move"),
            };
            pool::move_in_order(&current, &name, target)?
        }
    };
    let pools = ctx.block_on(env.reorder(&wanted, &current))?;
    ctx.committed("set the login order");
    if !output::structured(ctx, &pools.iter().map(output::view).collect::<Vec<_>>())? {
        output::pool_list(&pools)?;
    }
    Ok(())
}

fn known(current: &[PoolName], name: &str) -> anyhow::Result<PoolName> {
    current
        .iter()
        .find(|n| n.as_str() == name)
        .cloned()
        .ok_or_else(|| pools_core::Error::pool_not_found(name).into())
}
