//! Rendering results on stdout: tables for people, JSON and YAML for scripts, with the same
//! fields. Secret values never reach here: pools hold references, shown beside `********`.

use super::{Ctx, Format};
use comfy_table::{Table, presets};
use pools::pool::{PoolSpec, StoredPool};
use serde::Serialize;

/// The stable JSON/YAML shape of a pool: the spec's keys (as in `export`) plus `position` and
/// `version`.
pub fn view(p: &StoredPool) -> PoolSpec {
    let mut spec = p.pool.to_spec();
    spec.position = Some(p.position);
    spec.version = Some(p.version);
    spec
}

pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn yaml<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    print!("{}", serde_yaml_ng::to_string(value)?);
    Ok(())
}

/// Prints `value` as JSON or YAML when asked; returns false for table output.
pub fn structured<T: Serialize + ?Sized>(ctx: &Ctx, value: &T) -> anyhow::Result<bool> {
    match ctx.format {
        Format::Json => json(value).map(|_| true),
        Format::Yaml => yaml(value).map(|_| true),
        Format::Table => Ok(false),
    }
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t
}

/// The ordered list of pools.
pub fn pool_list(pools: &[StoredPool]) {
    let mut t = table();
    t.set_header(["POS", "NAME", "TYPE", "SOURCE", "MODE", "TENANT", "ENABLED"]);
    for p in pools {
        t.add_row([
            p.position.to_string(),
            p.pool.name.to_string(),
            p.pool.pool_type().to_string(),
            p.pool.settings.kind().to_string(),
            p.pool.mode.to_string(),
            p.pool.tenant.to_string(),
            if p.pool.enabled { "yes" } else { "no" }.to_string(),
        ]);
    }
    println!("{t}");
}

/// Every setting of one pool, secrets masked.
pub fn pool_detail(p: &StoredPool, users: (u64, u64)) {
    let spec = p.pool.to_spec();
    let mut t = table();
    let list = |v: &Option<Vec<String>>| match v.as_deref() {
        Some(items) if !items.is_empty() => items.join(", "),
        _ => "-".to_owned(),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("name".into(), spec.name.clone()),
        ("position".into(), p.position.to_string()),
        ("version".into(), p.version.to_string()),
        ("type".into(), p.pool.pool_type().to_string()),
        ("source".into(), p.pool.settings.kind().to_string()),
        ("mode".into(), p.pool.mode.to_string()),
        ("tenant".into(), p.pool.tenant.source.to_string()),
        (
            "tenant_fallback".into(),
            p.pool
                .tenant
                .fallback
                .as_ref()
                .map_or("-".into(), |f| f.to_string()),
        ),
        ("enabled".into(), p.pool.enabled.to_string()),
        (
            "allow".into(),
            list(
                &spec
                    .allow
                    .as_ref()
                    .map(|a| a.iter().map(|m| m.to_string()).collect()),
            ),
        ),
        ("domains".into(), list(&spec.domains)),
    ];
    let secrets = p.pool.settings.secrets();
    for field in pools_source_fields(&spec) {
        let value = spec.field(field).unwrap_or_default().to_owned();
        let shown = match secrets.iter().find(|(f, _)| *f == field) {
            Some((_, r)) => format!("******** ({r})"),
            None => value,
        };
        rows.push((field.to_owned(), shown));
    }
    rows.push((
        "users".into(),
        format!("{} shadow, {} migrated", users.0, users.1),
    ));
    for (k, v) in rows {
        t.add_row([k, v]);
    }
    println!("{t}");
}

fn pools_source_fields(spec: &PoolSpec) -> Vec<&'static str> {
    pools::pool::SOURCE_FIELDS
        .iter()
        .copied()
        .filter(|f| spec.field(f).is_some())
        .collect()
}
