//! R17, source user IDs in rows written straight into the store (SQLite only): as a killed
//! import left them, or as an older version did, before the store enforced one user per ID.

use super::sqlite_only;
use crate::identity::{a0, doctor, import};
use crate::login::{BCRYPT_UU, authenticated, pool, show, users};
use crate::*;

/// Keys `source_keys` holds for pool `src`, and imported users pending a key.
fn keys_and_pending(env: &Env) -> (i64, i64) {
    super::keys_and_pending(&super::db(env).unwrap())
}

/// Rows an import wrote and did not settle, as a killed import leaves them (R17): named
/// pending (one range of rows), without source-ID keys, the last a second user of auth0|1.
fn leave_pending(env: &Env) {
    let db = rusqlite::Connection::open(env.store()).unwrap();
    db.execute_batch(
        "DELETE FROM source_keys;
         INSERT INTO users (id, identifier, ident_key, origin, pool, external_id, import_id,
                            import_run, created_at)
            SELECT 'usr_zz', 'second@x.org', 'second@x.org', 'migrated', 'src', 'auth0|1', id,
                   runs, '2999-01-01T00:00:00Z' FROM imports;
         INSERT INTO unsettled (pool, first_row, last_row, first_id, last_id, with_source_id)
            SELECT 'src', min(rowid), max(rowid), (SELECT id FROM users ORDER BY rowid LIMIT 1),
                   'usr_zz', count(*)
            FROM users WHERE import_id IS NOT NULL;",
    )
    .unwrap();
}

/// R17: a killed import's rows (no source-ID key yet) are found by a login's
/// lookup by source user ID, reported by doctor, and settled by the next import of any file:
/// the second user of one source user is marked for doctor, the rest join the index.
#[test]
fn r17_a_killed_imports_rows_are_settled_by_the_next_import() {
    sqlite_only!();
    let env = Env::new();
    env.write(
        "v1.ndjson",
        &[
            a0("auth0|1", "old@x.org", None, Some(BCRYPT_UU)),
            a0("auth0|2", "two@x.org", None, Some(BCRYPT_UU)),
        ]
        .join("\n"),
    );
    env.write(
        "other.ndjson",
        &a0("auth0|3", "three@x.org", None, Some(BCRYPT_UU)),
    );
    pool(
        &env,
        "src",
        "v1.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    let (code, _, stderr) = import(&env, &["--pool", "src"]);
    assert_eq!(code, Some(0), "{stderr}");
    let two = show(&env, "two@x.org")["user"]["id"].clone();
    leave_pending(&env);
    let findings = doctor(&env);
    assert!(
        findings
            .iter()
            .any(|(c, _, m)| c == "import_pending" && m.contains("3 imported")),
        "{findings:#?}"
    );
    // Renamed at the source while pending: the login still meets its user (R17).
    env.write(
        "v1.ndjson",
        &a0("auth0|2", "two-new@x.org", None, Some(BCRYPT_UU)),
    );
    let t = authenticated(&env, "two-new@x.org", "U*U", &["--commit"]);
    assert_eq!(t["user"]["id"], two, "{t:#}");
    let (code, s, stderr) = import(&env, &["--pool", "src", "--file", "other.ndjson"]);
    assert_eq!(
        (code, s["imported"].as_u64()),
        (Some(0), Some(1)),
        "{stderr}"
    );
    let findings = doctor(&env);
    assert!(
        !findings.iter().any(|(c, _, _)| c == "import_pending"),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|(c, id, _)| c == "duplicate_source_id" && id == "second@x.org"),
        "{findings:#?}"
    );
    assert_eq!(keys_and_pending(&env), (3, 0));
}

/// R17: a store that already holds two users of one pool with one source user ID (written
/// before the store enforced it) still opens and migrates; `doctor` reports the pair.
#[test]
fn r17_a_store_with_duplicate_source_ids_opens_and_doctor_reports_them() {
    sqlite_only!();
    let env = Env::new();
    env.write(
        "u.ndjson",
        &a0("auth0|1", "one@x.org", None, Some(BCRYPT_UU)),
    );
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    {
        // Back to schema 5, as an older pools left it, with a duplicate.
        let db = rusqlite::Connection::open(env.store()).unwrap();
        db.execute_batch(
            "DROP TABLE audit;
             DROP TABLE pool_order;
             DROP TABLE deleted_pools;
             DROP TABLE alias_claims;
             DROP TABLE source_keys;
             DROP TABLE unsettled;
             ALTER TABLE users DROP COLUMN duplicate_of;
             INSERT INTO users (id, identifier, ident_key, origin, pool, external_id, password_hash)
                VALUES ('usr_1', 'one@x.org', 'one@x.org', 'migrated', 'src', 'auth0|1', NULL),
                       ('usr_2', 'two@x.org', 'two@x.org', 'migrated', 'src', 'auth0|1', NULL);
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    assert_eq!(users(&env, &[]).len(), 2);
    let findings = doctor(&env);
    assert!(
        findings
            .iter()
            .any(|(code, id, msg)| code == "duplicate_source_id"
                && id == "two@x.org"
                && msg.contains("usr_1")
                && msg.contains("auth0|1")),
        "{findings:#?}"
    );
    // New duplicates are refused by the store.
    let db = rusqlite::Connection::open(env.store()).unwrap();
    assert!(
        db.execute(
            "INSERT INTO source_keys (pool, external_id, user_id) VALUES ('src', 'auth0|1', 'usr_3')",
            [],
        )
        .is_err()
    );
}
