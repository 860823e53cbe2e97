//! Rows written straight into the store (SQLite only): as an older version of pools left them,
//! or as no command of this one writes them.

use super::sqlite_only;
use crate::import::{HELLO_BCRYPT, pool_with as pool};
use crate::input::{identifiers, import, nested_text};
use crate::*;
use serde_json::Value;

/// Item 1, reader side: a store that already holds a profile nested past serde_json's limit
/// (written by an older version) names that user and goes on: list, export, show, doctor and
/// the user's own login work; set-metadata refuses to merge into metadata it cannot read.
#[test]
fn a_store_already_holding_an_unreadable_row_degrades_gracefully() {
    sqlite_only!();
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash\na@x.org,{HELLO_BCRYPT}\nb@x.org,{HELLO_BCRYPT}\n"),
    );
    pool(&env, "csv", "u.csv", &[]);
    assert_eq!(import(&env, &["--pool", "csv"]).0, Some(0));
    let db = rusqlite::Connection::open(env.store()).unwrap();
    let deep = nested_text(200);
    db.execute(
        "UPDATE users SET profile = ?1, metadata = ?1 WHERE identifier = 'a@x.org'",
        [&deep],
    )
    .unwrap();
    drop(db);

    let out = env.run(&["users", "list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"a@x.org\"") && stderr.contains("profile:"),
        "{stderr}"
    );
    assert_eq!(identifiers(&env), ["a@x.org", "b@x.org"]);
    let export = env.ok(&["users", "export"]);
    assert_eq!(export.lines().count(), 2, "{export}");
    let show: Value =
        serde_json::from_str(&env.ok(&["users", "show", "a@x.org", "-o", "json"])).unwrap();
    assert_eq!(
        show["user"]["unreadable"].as_array().map(Vec::len),
        Some(2),
        "{show:#}"
    );
    let doctor: Value = serde_json::from_slice(&env.run(&["doctor", "-o", "json"]).stdout).unwrap();
    assert!(
        doctor["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "unreadable_user" && f["identifier"] == "a@x.org"),
        "{doctor:#}"
    );
    let out = env
        .cmd()
        .args([
            "simulate-login",
            "a@x.org",
            "--password-stdin",
            "-o",
            "json",
        ])
        .write_stdin("hello")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.refused(
        &["users", "set-metadata", "a@x.org", "plan=pro"],
        VALIDATION,
        &["metadata", "cannot be read"],
    );
    let db = rusqlite::Connection::open(env.store()).unwrap();
    let kept: String = db
        .query_row(
            "SELECT metadata FROM users WHERE identifier = 'a@x.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        kept, deep,
        "the stored text is never rewritten behind the operator's back"
    );
}

#[test]
fn r10_pool_owning_users_needs_force_and_reports_the_count() {
    sqlite_only!();
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("ex");
    env.export_pool("z");
    // Users are made by logins (a later capability); write them as the engine will.
    let db = rusqlite::Connection::open(env.store()).unwrap();
    for (id, origin) in [("u1", "shadow"), ("u2", "shadow"), ("u3", "migrated")] {
        db.execute(
            // Migrated by a login: with a local password (R3).
            "INSERT INTO users (id, identifier, ident_key, origin, pool, password_hash) VALUES (?1, ?1, ?1, ?2, 'ex', 'h')",
            [id, origin],
        )
        .unwrap();
    }
    drop(db);
    env.refused(
        &["delete", "ex", "--yes"],
        VALIDATION,
        &["R10", "2 user(s) who still need it", "2 shadow", "--force"],
    );
    let out: serde_json::Value =
        serde_json::from_str(&env.ok(&["delete", "ex", "--yes", "--force", "-o", "json"])).unwrap();
    assert_eq!(out["shadow_users_removed"], 2);
    assert_eq!(out["migrated_users_kept"], 1);
    assert_eq!(order(&env), ["a", "z"]);
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "-o", "json"])).unwrap();
    assert_eq!(list[1]["position"], 2, "positions stay contiguous");
    // R3: the migrated user outlives its pool.
    let db = rusqlite::Connection::open(env.store()).unwrap();
    let left: Vec<String> = db
        .prepare("SELECT id FROM users")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(left, ["u3"]);
}

/// Issue 8 (F6, R11): a pool an older version stored with a credential in its URL's query
/// string still loads, and is fixed with `configure` (the last part of
/// secrets::r11_credentials_in_url_query_strings_are_refused, whose pool it makes again).
#[test]
fn r11_a_pool_stored_with_a_credential_in_its_url_still_loads_and_configure_fixes_it() {
    sqlite_only!();
    let env = Env::new();
    let token = "UrlTok-7";
    env.ok(&[
        "create",
        "c1",
        "--type",
        "external",
        "--source",
        "custom",
        "--url",
        "https://x.example.com/login?v=2&tenant=acme",
        "--mode",
        "jit",
    ]);
    // A pool stored so by an older version still loads, and configure fixes it.
    let db = rusqlite::Connection::open(env.store()).unwrap();
    db.execute(
        "UPDATE pools SET spec = replace(spec, 'tenant=acme', 'token=' || ?1) WHERE name = 'c1'",
        [token],
    )
    .unwrap();
    drop(db);
    assert!(env.ok(&["inspect", "c1"]).contains("token="));
    env.ok(&["list"]);
    env.ok(&[
        "configure",
        "c1",
        "--url",
        "https://x.example.com/login",
        "--auth-header",
        "env:CUSTOM_AUTH",
    ]);
    assert!(!env.export().contains(token));
}
