//! `pools users restore --file F`

use super::{Ctx, output};
use output::outln;
use pools_core::Error;
use pools_core::backup::restore::Summary;
use pools_core::service::restore::Stopped;
use std::path::PathBuf;

/// Restore users from a backup written by `pools users export`
///
/// Reads the NDJSON or CSV of `users export` (told from the content), streamed, one
/// transaction per --batch records. Each user is written whole, with its own ID, names,
/// source user ID, tenant, times and version, and its password hash if the export had
/// --include-hashes. A user the store already holds as the backup does is unchanged, so
/// restoring twice changes nothing. A record is refused, with its line and reason, and nothing
/// of it written, when its pool is not in the store (apply the pools first: `pools export` >
/// FILE on the source, `pools apply -f FILE` here), when it would overwrite or duplicate a
/// user (the same ID with other content; an identifier, alias or source user ID of another
/// user: R6, R17), or when it is invalid. Exit 0 when every record was restored or unchanged,
/// 5 when records were refused, 3 when the file does not exist. A backup of no users (what
/// `users export` writes for an empty store or filter) restores as nothing (exit 0, read 0); an
/// empty file is refused.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The backup (`pools users export` output), `-` for stdin
    #[arg(long, value_name = "PATH")]
    file: PathBuf,
    /// Records per transaction (held in memory until committed)
    #[arg(long, value_name = "N", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    batch: u64,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<u8> {
    let stdin = a.file == std::path::Path::new("-");
    let hint = "pass the file `pools users export` wrote, or - for stdin";
    // Exit 3, as for a missing pool, user or export file.
    if !stdin && !a.file.exists() {
        return Err(Error::NotFound {
            what: format!("backup file {}", a.file.display()),
            hint: Some(hint.into()),
        }
        .into());
    }
    if !stdin && a.file.is_dir() {
        return Err(
            Error::invalid("--file", format!("{}: a directory", a.file.display()))
                .with_hint(hint)
                .into(),
        );
    }
    let env = ctx.env()?;
    let input =
        pools_core::export::Input::open(&a.file).map_err(|e| Error::invalid("--file", e))?;
    let quiet = ctx.quiet;
    let uploading = ctx
        .chosen_env()?
        .map(|_| super::UploadingWithoutSigpipe::new());
    let result = ctx.block_on(env.restore(input, a.batch as usize, &mut |r| {
        if !quiet {
            output::message(format_args!(
                "line {}: refused {} ({}): {}",
                r.line,
                r.identifier.as_deref().unwrap_or("-"),
                r.reason,
                r.detail
            ));
        }
    }))?;
    drop(uploading);
    // Batches committed before a failure (a full disk under the store) stay: their summary
    // comes first, then the error (README: a command that committed says what it committed).
    let (summary, failure) = match result {
        Ok(summary) => (summary, None),
        Err(Stopped {
            error,
            summary,
            committed: true,
        }) => (*summary, Some(error)),
        Err(Stopped { error, .. }) => {
            return Err(anyhow::Error::new(error).context("restoring users"));
        }
    };
    // Nothing restored is nothing committed: an error after it must not say otherwise.
    if summary.restored > 0 {
        ctx.committed(format!(
            "restored {} users (read {}, unchanged {}, refused {})",
            summary.restored, summary.read, summary.unchanged, summary.refused
        ));
    }
    print_summary(ctx, &summary, failure.as_ref())?;
    if let Some(e) = failure {
        return Err(anyhow::Error::new(e).context("restoring users"));
    }
    Ok(if summary.refused > 0 {
        super::exit::VALIDATION
    } else {
        super::exit::OK
    })
}

/// What `users restore` prints: the summary, and the error that stopped a restore part-way
/// (`stopped_by` in `-o json`).
#[derive(serde::Serialize)]
struct Outcome<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_by: Option<String>,
}

fn print_summary(ctx: &Ctx, summary: &Summary, failure: Option<&Error>) -> anyhow::Result<()> {
    let outcome = Outcome {
        summary,
        stopped_by: failure.map(|e| e.to_string()),
    };
    if !output::structured(ctx, &outcome)? {
        outln!(
            "read {}, restored {}, unchanged {}, refused {} ({} ms)",
            summary.read,
            summary.restored,
            summary.unchanged,
            summary.refused,
            summary.elapsed_ms
        )?;
        for (reason, n) in &summary.by_reason {
            outln!("  {reason}: {n}")?;
        }
        if summary.read == 0 {
            outln!(
                "the backup holds no users (`users export` of an empty store or filter): nothing to restore"
            )?;
        } else if !summary.has_hashes && summary.restored + summary.unchanged > 0 {
            // Only of records that read: refused ones tell nothing of the backup's hashes
            // (retrial finding 14).
            outln!(
                "the backup holds no password hashes (export with --include-hashes to keep them)"
            )?;
        }
        if summary.need_pool > 0 {
            outln!(
                "{} restored users log in through their pool (shadow copies, and users without a password hash): keep those pools (R10)",
                summary.need_pool
            )?;
        }
        if summary.native_without_password > 0 {
            outln!(
                "{} restored native users have no password hash: no pool can check a password for them, so they cannot log in",
                summary.native_without_password
            )?;
        }
    }
    Ok(())
}
