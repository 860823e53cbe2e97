//! `pools status` and `pools doctor`

use super::{Ctx, output};
use output::{Table, outln};
use pools_core::service::environment::Status;
use pools_core::store::UserStatus;

/// Migration progress per pool: can a source be retired yet?
///
/// For each pool: users imported, imported users who logged in since and those never seen,
/// users migrated by login, shadow users, users who still need the source, the last login.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {}

/// Scan export files and the store for what needs attention
///
/// Identifier collisions across pools and with local users (case, Unicode form, whitespace:
/// R6), users disabled at the source (R15), unusable or unknown hashes (R13), unresolvable
/// tenants (R4), unreadable records and export files without any user, each with its file
/// and line; and domains two pools route (R5). Exit 0 when clean, 5 when anything needs
/// attention.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Only these pools [default: every export pool]
    #[arg(long = "pool", value_name = "NAME")]
    pools: Vec<String>,
}

pub fn status(ctx: &Ctx, _a: StatusArgs) -> anyhow::Result<()> {
    let env = ctx.env_read()?;
    let Status { pools, users: rows } = ctx.block_on(env.status())?;
    let mut out: Vec<serde_json::Value> = Vec::new();
    let mut total = UserStatus::default();
    let empty = UserStatus::default();
    let mut names: Vec<Option<String>> = pools
        .iter()
        .map(|p| Some(p.pool.name.to_string()))
        .collect();
    // Users of deleted pools (migrated users outlive their pool, R3), then native users.
    let orphans: Vec<Option<String>> = rows
        .iter()
        .filter(|r| r.pool.is_some() && !names.contains(&r.pool))
        .map(|r| r.pool.clone())
        .collect();
    names.extend(orphans);
    names.push(None);
    let mut t = Table::new(&[
        "POOL",
        "MODE",
        "IMPORTED",
        "LOGGED IN",
        "NEVER SEEN",
        "JIT",
        "SHADOW",
        "NEED SOURCE",
        "NATIVE",
        "LAST LOGIN",
    ]);
    for name in &names {
        let r = rows.iter().find(|r| &r.pool == name).unwrap_or(&empty);
        let pool = name
            .as_ref()
            .and_then(|n| pools.iter().find(|p| p.pool.name.as_str() == n));
        let mode = match (name, pool) {
            (None, _) => "-".to_owned(),
            (Some(_), Some(p)) => format!(
                "{}{}",
                p.pool.mode,
                if p.pool.enabled { "" } else { " (off)" }
            ),
            (Some(_), None) => "deleted".to_owned(),
        };
        total.imported += r.imported;
        total.imported_logged_in += r.imported_logged_in;
        total.never_seen_since_import += r.never_seen_since_import;
        total.migrated_by_login += r.migrated_by_login;
        total.shadow += r.shadow;
        total.need_source += r.need_source;
        total.native += r.native;
        total.last_login_at = total.last_login_at.clone().max(r.last_login_at.clone());
        out.push(serde_json::json!({"pool": name, "mode": mode, "users": r, "retirable": name.is_some() && r.need_source == 0}));
        t.row(row(name.as_deref().unwrap_or("(native)"), &mode, r));
    }
    t.row(row("TOTAL", "", &total));
    if !output::structured(ctx, &serde_json::json!({"pools": out, "total": total}))? {
        t.print()?;
        ctx.note("NEED SOURCE: users who still log in through the pool (shadow copies, imported users without a hash); a pool at 0 can be retired.");
    }
    Ok(())
}

fn row(name: &str, mode: &str, r: &UserStatus) -> Vec<String> {
    vec![
        name.to_owned(),
        mode.to_owned(),
        r.imported.to_string(),
        r.imported_logged_in.to_string(),
        r.never_seen_since_import.to_string(),
        r.migrated_by_login.to_string(),
        r.shadow.to_string(),
        r.need_source.to_string(),
        r.native.to_string(),
        r.last_login_at.clone().unwrap_or_else(|| "-".into()),
    ]
}

pub fn doctor(ctx: &Ctx, a: DoctorArgs) -> anyhow::Result<u8> {
    let env = ctx.env_read()?;
    let scan = ctx.block_on(env.doctor(&a.pools))?;
    if !output::structured(ctx, &scan)? {
        if scan.findings.is_empty() {
            outln!(
                "clean: {} record(s) in {} export pool(s), nothing needs attention",
                scan.records,
                scan.pools.len()
            )?;
        } else {
            let mut t = Table::new(&["WHERE", "POOL", "IDENTIFIER", "FINDING", "DETAIL"]);
            for f in &scan.findings {
                t.row([
                    f.location.clone(),
                    f.pool.clone(),
                    f.identifier.clone().unwrap_or_else(|| "-".into()),
                    f.code.to_string(),
                    match &f.hint {
                        Some(h) => format!("{}; hint: {h}", f.message),
                        None => f.message.clone(),
                    },
                ]);
            }
            t.print()?;
            let mut counts = std::collections::BTreeMap::<&str, u64>::new();
            for f in &scan.findings {
                *counts.entry(f.code.as_str()).or_default() += 1;
            }
            let summary: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
            outln!(
                "{} finding(s) in {} record(s): {}",
                scan.findings.len(),
                scan.records,
                summary.join(", ")
            )?;
        }
    }
    Ok(if scan.findings.is_empty() {
        super::exit::OK
    } else {
        super::exit::VALIDATION
    })
}
