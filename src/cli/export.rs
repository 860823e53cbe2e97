//! `pools export [--relative-to DIR]`

use super::{Ctx, Format};
use anyhow::Context;
use std::path::PathBuf;

/// Print the pools and their order as YAML for `pools apply`
///
/// Secrets appear as references only (R11). `-o json` prints the same document as JSON;
/// `-o table` is refused (use `pools list`).
/// Each pool carries its version, and the document the store's environment ID: `pools apply`
/// of an edited copy refuses (exit 4) a pool that changed since the export (R12); applied to
/// another store, the versions are not checked.
/// Paths (`file`, `hash_config`, `file:` secret references) are written absolute, or relative
/// to --relative-to DIR, so the output saved in DIR applies to the same files from any
/// directory (and the directory tree can move); paths that share only the root with DIR stay
/// absolute.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write paths relative to this directory: where the exported file will be saved
    /// [default: absolute paths]
    #[arg(long, value_name = "DIR")]
    relative_to: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    // The document is the output: a table of it would not apply, and YAML printed for
    // `-o table` would pass silently for what was asked.
    if ctx.format_given && matches!(ctx.format, Format::Table | Format::Ndjson) {
        return Err(super::usage(
            format!(
                "`pools export` writes one document for `pools apply`, not {}",
                if ctx.format == Format::Table {
                    "a table"
                } else {
                    "NDJSON lines"
                }
            ),
            "use -o yaml (the default) or -o json; `pools list` shows the pools as a table",
        ));
    }
    let base = base_dir(a.relative_to)?;
    let env = ctx.env_read()?;
    let doc = ctx.block_on(env.export_pools())?;
    let (pools, env, order) = (&doc.pools, &doc.environment_id, doc.order_version);
    match ctx.format {
        Format::Json => {
            super::output::json(&pools_core::config::document(pools, &base, env, order))
        }
        _ => super::output::raw(&pools_core::config::export_document(
            pools, &base, env, order,
        )?),
    }
}

/// The directory paths are written relative to, canonical (as `apply` resolves them).
fn base_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    // Without a directory, absolute paths: a relative path is only right where the output
    // is saved, which stdout does not tell (apply resolves against the YAML file's directory).
    let Some(dir) = given else {
        return Ok(PathBuf::from("/"));
    };
    let cwd = std::env::current_dir().context("reading the current directory")?;
    match cwd.join(&dir).canonicalize() {
        Ok(d) if d.is_dir() => Ok(d),
        Ok(_) => Err(super::usage(
            format!("--relative-to {}: not a directory", dir.display()),
            "give the directory the exported file will be saved in",
        )),
        Err(e) => Err(super::usage(
            format!("--relative-to {}: {e}", dir.display()),
            "give the directory the exported file will be saved in",
        )),
    }
}
