//! The embedded store's side of backups: users streamed with their aliases (`users export`),
//! and a restore's batch written user by user, each whole or not at all.

use super::{BY_KEY, USER_COLUMNS, page_params, paged, user_by_source, user_from_row, user_where};
use pools_core::backup::BackupUser;
use pools_core::backup::restore::{Outcome, differences};
use pools_core::error::{Error, Result};
use pools_core::secret::Secret;
use pools_core::user::{Cursor, Origin, Page, User, UserFilter};
use rusqlite::{Connection, OptionalExtension, params};

/// [`pools_core::store::Store::users_page_with_aliases`]: the users and, beside them, their
/// aliases sorted by the same identifier key, merged as both are read (no index by user is
/// needed, and memory stays flat).
pub(super) fn page_with_aliases(
    conn: &Connection,
    filter: &UserFilter,
    page: &Page,
    each: &mut dyn FnMut(User, Vec<String>) -> Result<()>,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<Option<Cursor>> {
    let wanted = params![filter.pool, filter.origin.map(Origin::as_str), page.after];
    let any_alias: bool = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM user_aliases)", [], |r| {
            r.get(0)
        })
        .map_err(err)?;
    let mut users = conn
        .prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE (?1 IS NULL OR pool = ?1) AND (?2 IS NULL OR origin = ?2) AND (?3 IS NULL OR ident_key > ?3) ORDER BY ident_key LIMIT ?4"
        ))
        .map_err(err)?;
    let mut aliases = conn
        .prepare_cached(
            "SELECT u.ident_key, a.alias_key FROM user_aliases a JOIN users u ON u.id = a.user_id
             WHERE (?1 IS NULL OR u.pool = ?1) AND (?2 IS NULL OR u.origin = ?2) AND (?3 IS NULL OR u.ident_key > ?3)
             ORDER BY u.ident_key, a.alias_key",
        )
        .map_err(err)?;
    let mut alias_rows = if any_alias {
        Some(aliases.query(wanted).map_err(err)?)
    } else {
        None
    };
    let mut advance = || -> Result<Option<(String, String)>> {
        let Some(rows) = alias_rows.as_mut() else {
            return Ok(None);
        };
        match rows.next().map_err(err)? {
            Some(r) => Ok(Some((r.get(0).map_err(err)?, r.get(1).map_err(err)?))),
            None => Ok(None),
        }
    };
    let mut next = advance()?;
    let rows = users
        .query_map(page_params(filter, page), user_from_row)
        .map_err(err)?;
    paged(rows, page, err, &mut |user| {
        let mut own = Vec::new();
        // Both are in identifier-key order (SQLite's BINARY collation is byte order, as
        // Rust's string order): the aliases of this user come next.
        while let Some((key, alias)) = &next {
            if key.as_str() > user.key.as_str() {
                break;
            }
            if *key == user.key {
                own.push(alias.clone());
            }
            next = advance()?;
        }
        each(user, own)
    })
}

/// [`pools_core::store::Store::restore_batch`] inside the caller's transaction.
pub(super) fn restore_rows(
    tx: &Connection,
    rows: &[BackupUser],
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<Vec<Outcome>> {
    let mut insert = tx
        .prepare_cached(
            "INSERT OR FAIL INTO users (id, identifier, ident_key, origin, pool, external_id, tenant_id,
                 tenant_how, profile, metadata, enabled, password_hash, created_at, migrated_at,
                 last_login_at, version, imported_at, import_line, import_run)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19)",
        )
        .map_err(err)?;
    let mut alias_owner = tx
        .prepare_cached("SELECT user_id FROM user_aliases WHERE alias_key = ?1")
        .map_err(err)?;
    let mut add_alias = tx
        .prepare_cached("INSERT INTO user_aliases (alias_key, user_id) VALUES (?1, ?2)")
        .map_err(err)?;
    let mut add_key = tx
        .prepare_cached("INSERT INTO source_keys (pool, external_id, user_id) VALUES (?1, ?2, ?3)")
        .map_err(err)?;
    let to_json = |m: &serde_json::Map<String, serde_json::Value>| {
        serde_json::to_string(m).expect("a JSON map always serialises")
    };
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in rows {
        let u = &row.user;
        // Everything is checked before the row's first write: a refused row leaves nothing.
        if let Some(stored) = user_where(tx, "id = ?1", &u.id).map_err(err)? {
            let mut diff = differences(&stored, row);
            for a in &row.aliases {
                let owner: Option<String> = alias_owner
                    .query_row([a], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                if owner.as_deref() != Some(u.id.as_str()) {
                    diff.push("aliases");
                    break;
                }
            }
            outcomes.push(if diff.is_empty() {
                Outcome::Unchanged
            } else {
                Outcome::Conflict {
                    reason: "id_conflict",
                    detail: format!(
                        "{} is in this store with another {}: not overwritten",
                        stored.describe(),
                        diff.join(", ")
                    ),
                }
            });
            continue;
        }
        if let Some(conflict) = name_conflict(tx, row, err)? {
            outcomes.push(conflict);
            continue;
        }
        if let (Some(pool), Some(x)) = (&u.pool, &u.external_id)
            && let Some(other) = user_by_source(tx, pool, x).map_err(err)?
        {
            outcomes.push(Outcome::Conflict {
                reason: "source_id_conflict",
                detail: format!(
                    "source user {x} of pool {pool} is already {}: one source user, one local user (R17)",
                    other.describe()
                ),
            });
            continue;
        }
        insert
            .execute(params![
                u.id,
                u.identifier,
                u.key,
                u.origin.as_str(),
                u.pool,
                u.external_id,
                u.tenant_id,
                u.tenant_resolution,
                to_json(&u.profile),
                to_json(&u.metadata),
                u.enabled,
                u.password_hash.as_ref().map(Secret::expose),
                u.created_at,
                u.migrated_at,
                u.last_login_at,
                u.version as i64,
                u.imported_at,
                u.import_line.map(|l| l as i64),
                u.import_run.map(|r| r as i64),
            ])
            .map_err(err)?;
        if let (Some(pool), Some(x)) = (&u.pool, &u.external_id) {
            add_key.execute(params![pool, x, u.id]).map_err(err)?;
        }
        for a in &row.aliases {
            add_alias.execute(params![a, u.id]).map_err(err)?;
        }
        outcomes.push(Outcome::Restored);
    }
    Ok(outcomes)
}

/// The conflict of a row whose identifier or one of whose aliases is another user's
/// identifier or alias (R6: one name, one user).
fn name_conflict(
    tx: &Connection,
    row: &BackupUser,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<Option<Outcome>> {
    let names = std::iter::once((&row.user.key, "identifier"))
        .chain(row.aliases.iter().map(|a| (a, "alias")));
    for (key, what) in names {
        if let Some(other) = user_where(tx, BY_KEY, key).map_err(err)? {
            return Ok(Some(Outcome::Conflict {
                reason: "identifier_conflict",
                detail: format!(
                    "its {what} '{key}' is already {}, under another user ID: not overwritten (R6)",
                    other.describe()
                ),
            }));
        }
    }
    Ok(None)
}
