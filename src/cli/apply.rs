//! `pools apply -f FILE [--dry-run] [--prune]`

use super::{Ctx, output, prompt, usage};
use anyhow::Context;
use pools_core::config::{self, Change, Plan};
use pools_core::input_file;
use pools_core::store::DeleteOutcome;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Make the store match a YAML file of pools
///
/// The list order is the login order. Prints the plan, then applies it in one transaction
/// (R12). `-f -` reads stdin.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The YAML (or JSON) document, as written by `pools export`
    #[arg(short, long, value_name = "FILE")]
    file: PathBuf,
    /// Print the plan, write nothing
    #[arg(long)]
    dry_run: bool,
    /// Delete pools that the file does not name (needs --yes without a terminal)
    #[arg(long)]
    prune: bool,
    /// Delete (--prune) or change the source of pools whose users still need them (R10)
    #[arg(long)]
    force: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let (text, origin, base) = read_input(&a.file)?;
    let parsed = config::parse(&text, &origin, &base)?;
    // Its secret references and hash configs are checked where the pools run: by the
    // environment as it plans (through --env, on the server's machine).
    let exported_from = parsed.environment.clone();
    let had_versions = parsed.entries.iter().any(|e| e.version.is_some());
    let env = ctx.env()?;
    let document = pools_core::service::environment::ApplyDocument {
        text,
        origin: origin.clone(),
        base,
    };
    let planned = ctx.block_on(env.plan_apply(&document, a.prune))?;
    let plan = &planned.plan;
    if planned.foreign && had_versions {
        ctx.note(format!(
            "{origin} was exported from another environment ({}); its pool versions are that store's, so they are not checked here (R12)",
            exported_from.as_deref().unwrap_or_default()
        ));
    }
    // After the outcome, so a refused plan's stderr starts with its error.
    let warnings = || {
        for n in &planned.warnings {
            super::notify(ctx, n.clone());
        }
    };
    let deletes = plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::Delete { .. }))
        .count();
    if plan.is_empty() || a.dry_run {
        print_plan(ctx, plan, &origin, None)?;
        if a.dry_run && !plan.is_empty() {
            ctx.note("dry run: nothing was written");
        }
        warnings();
        return Ok(());
    }
    if deletes > 0 && !ctx.yes {
        print_plan(ctx, plan, &origin, None)?;
        if !prompt::may_prompt(ctx) {
            return Err(usage(
                format!("the plan deletes {deletes} pool(s) and needs confirmation"),
                "add --yes to confirm without a prompt (no terminal, or --no-input), or drop --prune",
            ));
        }
        if !prompt::confirm(&format!("apply, deleting {deletes} pool(s)?"))? {
            return Err(super::Declined("nothing applied".into()).into());
        }
        let deleted = ctx.block_on(env.apply(&planned, a.force))?;
        ctx.committed(format!("applied the plan of {origin}"));
        report_deleted(ctx, &deleted);
        ctx.note(format!("applied {}", count_changes(plan)));
        warnings();
        return Ok(());
    }
    let deleted = ctx.block_on(env.apply(&planned, a.force))?;
    ctx.committed(format!("applied the plan of {origin}"));
    print_plan(ctx, plan, &origin, Some(&deleted))?;
    warnings();
    Ok(())
}

/// The deleted pools' user counts (R10), on stderr.
fn report_deleted(ctx: &Ctx, deleted: &[DeleteOutcome]) {
    for d in deleted {
        ctx.note(format!(
            "deleted pool '{}' ({} shadow users removed, {} migrated users kept, {} imported users without a password hash kept)",
            d.name, d.shadow_users_removed, d.migrated_users_kept, d.imported_without_hash_kept
        ));
        super::delete::warn_stranded(ctx, d);
    }
}

/// "N change(s): ..." counting every created, updated, deleted and moved pool.
fn count_changes(plan: &Plan) -> String {
    let count = |f: fn(&Change) -> bool| plan.changes.iter().filter(|c| f(c)).count();
    let parts = [
        (count(|c| matches!(c, Change::Create { .. })), "created"),
        (count(|c| matches!(c, Change::Update { .. })), "updated"),
        (count(|c| matches!(c, Change::Delete { .. })), "deleted"),
        (plan.moves().len(), "moved"),
    ];
    let total: usize = parts.iter().map(|(n, _)| n).sum();
    let detail: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    format!("{total} change(s): {}", detail.join(", "))
}

fn read_input(file: &Path) -> anyhow::Result<(String, String, PathBuf)> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let source = input_file::Source::arg(file);
    let mut text = input_file::read(source, "--file", input_file::APPLY_DOCUMENT)?;
    // Editors on Windows save a UTF-8 byte-order mark, which YAML parsers take for content.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        text = rest.to_owned();
    }
    if let input_file::Source::Stdin = source {
        return Ok((text, source.name(), cwd));
    }
    // A pipe, a FIFO or a /proc fd (`-f <(...)`, `/dev/fd/63`) has no directory of its own:
    // its paths are taken from the working directory, as for `-f -`. A /proc/PID/fd
    // directory would be stored, and exists for no later reader.
    if !std::fs::metadata(file).is_ok_and(|m| m.is_file()) || in_proc_fd(&cwd.join(file)) {
        return Ok((text, file.display().to_string(), cwd));
    }
    // Canonical, so that `..` in the file's paths go up as the OS would and `export` can
    // write them relative again.
    let base = cwd
        .join(file)
        .parent()
        .map(|d| d.canonicalize().unwrap_or_else(|_| d.to_path_buf()))
        .unwrap_or(cwd);
    Ok((text, file.display().to_string(), base))
}

/// Whether `path`, or a symbolic link it goes through (`/dev/stdin` -> `/proc/self/fd/0`), is
/// in a process's fd directory (`/dev/fd`, `/proc/self/fd`, `/proc/PID/fd`), which names open
/// files, not a place to resolve paths against.
fn in_proc_fd(path: &Path) -> bool {
    let mut at = path.to_path_buf();
    // A few links at most; a loop of links is no fd directory.
    for _ in 0..8 {
        if at
            .parent()
            .and_then(|d| d.canonicalize().ok())
            .is_some_and(|d| d.starts_with("/proc") && d.file_name().is_some_and(|n| n == "fd"))
        {
            return true;
        }
        match std::fs::read_link(&at) {
            Ok(target) => at = at.parent().map_or(target.clone(), |d| d.join(&target)),
            Err(_) => return false,
        }
    }
    false
}

/// Prints the plan; `deleted` is what applying it did, `None` when nothing was applied.
fn print_plan(
    ctx: &Ctx,
    plan: &Plan,
    origin: &str,
    deleted: Option<&[DeleteOutcome]>,
) -> anyhow::Result<()> {
    let applied = deleted.is_some();
    let changes: Vec<_> = plan
        .changes
        .iter()
        .map(|c| match c {
            Change::Create { pool } => json!({"action": "create", "pool": pool.name.as_str()}),
            Change::Update { pool, fields, .. } => {
                json!({"action": "update", "pool": pool.name.as_str(), "fields": fields})
            }
            Change::Delete { name, .. } => json!({"action": "delete", "pool": name.as_str()}),
        })
        .collect();
    let moves: Vec<_> = plan
        .moves()
        .into_iter()
        .map(|(n, from, to)| json!({"pool": n.as_str(), "from": from, "to": to}))
        .collect();
    let doc = json!({
        "changed": !plan.is_empty(),
        "applied": applied,
        "changes": changes,
        "moves": moves,
        "order": plan.order_after.iter().map(|n| n.as_str()).collect::<Vec<_>>(),
        "deleted": deleted.unwrap_or_default().iter().map(|d| json!({
            "pool": d.name,
            "shadow_users_removed": d.shadow_users_removed,
            "migrated_users_kept": d.migrated_users_kept,
            "imported_without_hash_kept": d.imported_without_hash_kept,
        })).collect::<Vec<_>>(),
    });
    if output::structured(ctx, &doc)? {
        for d in deleted.unwrap_or_default() {
            super::delete::warn_stranded(ctx, d);
        }
        return Ok(());
    }
    if plan.is_empty() {
        output::outln!("no changes: the store already matches {origin}")?;
        return Ok(());
    }
    let show = |v: &Option<serde_json::Value>| match v {
        None => "(unset)".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    for c in &plan.changes {
        match c {
            Change::Create { pool } => output::outln!(
                "+ create {} ({} {}, mode {})",
                pool.name,
                pool.pool_type(),
                pool.settings.kind(),
                pool.mode
            )?,
            Change::Update { pool, fields, .. } => {
                output::outln!("~ update {}", pool.name)?;
                for f in fields {
                    output::outln!("    {}: {} -> {}", f.field, show(&f.before), show(&f.after))?;
                }
            }
            Change::Delete { name, .. } => output::outln!("- delete {name}")?,
        }
    }
    for (n, from, to) in plan.moves() {
        output::outln!("> move {n}: position {from} -> {to}")?;
    }
    if plan.order_before != plan.order_after {
        output::outln!(
            "order: {}",
            plan.order_after
                .iter()
                .map(|n| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if let Some(deleted) = deleted {
        report_deleted(ctx, deleted);
        output::outln!("applied {}", count_changes(plan))?;
    }
    Ok(())
}
