//! `pools export`

use super::{Ctx, Format};

/// Print the pools and their order as YAML for `pools apply`
///
/// Secrets appear as references only (R11). `-o json` prints the same document as JSON.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args) -> anyhow::Result<()> {
    let store = ctx.store_read()?;
    let pools = store.pools()?;
    match ctx.format {
        Format::Json => {
            let doc = pools::config::Document {
                pools: pools.iter().map(|p| p.pool.to_spec()).collect(),
            };
            super::output::json(&doc)
        }
        _ => super::output::raw(&pools::config::export_document(&pools)?),
    }
}
