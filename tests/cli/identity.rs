//! One person, one user (R5, R6, R17): an identifier or alias that meets an existing user is
//! that user only when the source says it is the same person (same pool, same source user ID);
//! a user renamed at the source keeps their local user. Logins, imports and `doctor`.

use crate::login::{
    BCRYPT_ABC, BCRYPT_UU, BCRYPT_UUU, REFUSED, authenticated, fixture, login, pool, refused, show,
    snapshot, steps, users,
};
use crate::sqlite_only::{self, keys_and_pending};
use crate::*;
use serde_json::Value;

/// An Auth0 NDJSON record; `hash` `None` for an export without hashes.
pub fn a0(user_id: &str, email: &str, username: Option<&str>, hash: Option<&str>) -> String {
    let mut v = serde_json::json!({"user_id": user_id, "email": email});
    if let Some(u) = username {
        v["username"] = u.into();
    }
    if let Some(h) = hash {
        v["password_hash"] = h.into();
    }
    v.to_string()
}

/// A Keycloak realm export of (id, username, email) users, all with the password `password`.
fn keycloak(users: &[(&str, &str, &str)]) -> String {
    let cred = r#""credentials": [{"type": "password", "secretData": "{\"value\": \"JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k=\", \"salt\": \"P5rtFkGtPfoaryJ6PizUJw==\"}", "credentialData": "{\"hashIterations\": 27500, \"algorithm\": \"pbkdf2-sha256\"}"}]"#;
    let body: Vec<String> = users
        .iter()
        .map(|(id, username, email)| {
            format!(
                r#"{{"id": "{id}", "username": "{username}", "email": "{email}", "enabled": true, {cred}}}"#
            )
        })
        .collect();
    format!(
        "{{\"realm\": \"r\", \"users\": [\n{}\n]}}\n",
        body.join(",\n")
    )
}

/// `doctor -o json` findings as (code, identifier, message).
pub fn doctor(env: &Env) -> Vec<(String, String, String)> {
    let out = env.run(&["doctor", "-o", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["identifier"].as_str().unwrap_or("").to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn import(env: &Env, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec!["users", "import", "-o", "json"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    let summary = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        summary,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Tenant IDs recorded as made by `auto` (R4): a check of the store's tables, on SQLite only.
fn auto_tenants(db: &sqlite_only::Db) -> usize {
    sqlite_only::auto_tenants(db).len()
}

/// R6, R17 (Critical): user A's username is `nora@example.net`, user B's email. After A
/// migrates, B logging in by B's username with B's own password is not signed in to A's
/// record: the login is refused as a collision naming both records, in the dry run and with
/// --commit, nothing is written, and `doctor` shows the collision. Auth0 and Keycloak, jit and
/// passthrough.
#[test]
fn r6_a_login_never_lands_on_the_user_whose_alias_is_its_identifier() {
    let auth0 = [
        a0(
            "auth0|a",
            "a@x.org",
            Some("nora@example.net"),
            Some(BCRYPT_UU),
        ),
        a0(
            "auth0|b",
            "nora@example.net",
            Some("nora"),
            Some(BCRYPT_UUU),
        ),
    ]
    .join("\n");
    let kc = keycloak(&[
        ("kc-a", "nora@example.net", "a@x.org"),
        ("kc-b", "nora", "nora@example.net"),
    ]);
    // A's export is read first (before B is in it): a source that does not know B yet lets A
    // keep `nora@example.net` as an alias; then B appears at the source.
    let auth0_a = auth0.lines().next().unwrap().to_owned();
    let kc_a = keycloak(&[("kc-a", "nora@example.net", "a@x.org")]);
    let firsts = [auth0_a.as_str(), kc_a.as_str()];
    let cases = [
        (
            "u.ndjson",
            auth0.as_str(),
            "U*U",
            "U*U*",
            "auth0|a",
            "auth0|b",
        ),
        (
            "kc.json",
            kc.as_str(),
            "password",
            "password",
            "kc-a",
            "kc-b",
        ),
    ];
    for ((file, text, pw_a, pw_b, id_a, id_b), first) in cases.into_iter().zip(firsts) {
        for mode in ["jit", "passthrough"] {
            let env = Env::new();
            env.write(file, first);
            pool(&env, "src", file, &["--mode", mode, "--tenant", "auto"]);
            let a = authenticated(&env, "a@x.org", pw_a, &["--commit"]);
            env.write(file, text);
            let a_id = a["user"]["id"].as_str().unwrap().to_owned();
            let before = snapshot(&env);
            for extra in [&[][..], &["--commit"][..]] {
                let t = refused(&env, "nora", pw_b, extra, "identifier_collision");
                let msg = t["message"].as_str().unwrap();
                for needle in [a_id.as_str(), "nora@example.net", id_a, id_b, "a@x.org"] {
                    assert!(msg.contains(needle), "{file} {mode}: {needle:?} in {msg}");
                }
                assert_eq!(t["committed"], false, "{file} {mode}: {t:#}");
                assert_eq!(before, snapshot(&env), "{file} {mode} {extra:?}: written");
            }
            assert_eq!(users(&env, &[]).len(), 1, "{file} {mode}");
            if let Some(db) = sqlite_only::db(&env) {
                assert_eq!(auto_tenants(&db), 1, "{file} {mode}: no tenant for B");
            }
            // A still logs in by A's own email. By the alias no longer, in either mode: the
            // source now gives that name to B (an identifier wins over another record's
            // alias), so A's local record does not answer it (fresh-user trial, R6; this
            // once asserted that A's password there signed A in, in jit mode).
            authenticated(&env, "a@x.org", pw_a, &[]);
            refused(&env, "nora@example.net", pw_a, &[], "identifier_collision");
            let findings = doctor(&env);
            assert!(
                findings.iter().any(|(code, id, msg)| code == "collision"
                    && id == "nora@example.net"
                    && msg.contains(id_a)
                    && msg.contains(id_b)),
                "{file} {mode}: {findings:#?}"
            );
        }
    }
}

/// R5, R6: the owner pool asked about a shadow copy (or a user imported without a hash)
/// answers with *another* record (B's email is A's alias, B listed first): B's password never
/// opens A's account, never refreshes A's copy and never becomes A's password.
#[test]
fn r6_an_owner_pool_answering_for_another_record_is_a_collision() {
    let text = [
        a0(
            "auth0|b",
            "nora@example.net",
            Some("nora"),
            Some(BCRYPT_UUU),
        ),
        a0(
            "auth0|a",
            "a@x.org",
            Some("nora@example.net"),
            Some(BCRYPT_UU),
        ),
    ]
    .join("\n");
    // A shadow copy in sync mode, made while the source did not know B yet (so A keeps
    // `nora@example.net` as an alias).
    let env = Env::new();
    env.write("u.ndjson", text.lines().nth(1).unwrap());
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "sync", "--tenant", "fixed:t"],
    );
    let a = authenticated(&env, "a@x.org", "U*U", &["--commit"]);
    env.write("u.ndjson", &text);
    assert_eq!(a["user"]["origin"], "shadow");
    let before = snapshot(&env);
    let t = refused(
        &env,
        "nora@example.net",
        "U*U*",
        &["--commit"],
        "identifier_collision",
    );
    assert!(t["message"].as_str().unwrap().contains("auth0|b"), "{t:#}");
    assert_eq!(before, snapshot(&env));

    // A user imported without a hash: its pool checks the first password once.
    let env = Env::new();
    env.write("u.ndjson", &text);
    env.write(
        "nohash.ndjson",
        &a0("auth0|a", "a@x.org", Some("nora@example.net"), None),
    );
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    let (code, s, stderr) = import(&env, &["--pool", "src", "--file", "nohash.ndjson"]);
    assert_eq!(
        (code, s["imported"].as_u64()),
        (Some(0), Some(1)),
        "{stderr}"
    );
    let before = snapshot(&env);
    refused(
        &env,
        "nora@example.net",
        "U*U*",
        &["--commit"],
        "identifier_collision",
    );
    assert_eq!(before, snapshot(&env));
    assert_eq!(show(&env, "a@x.org")["password_scheme"], Value::Null);
    // A's own password still completes A's migration.
    let t = authenticated(&env, "a@x.org", "U*U", &["--commit"]);
    assert_eq!(t["user"]["action"], "upgrade_hash", "{t:#}");
}

/// R6, R17: a CSV pool's migrated user and a Keycloak user with the same email are two people:
/// the Keycloak login by username is refused as a collision (exit 6) naming both, not a
/// conflict to retry.
#[test]
fn r6_csv_user_and_keycloak_user_with_one_email() {
    let env = Env::new();
    env.write(
        "users.csv",
        &format!("email,password_hash,tenant_id\nUser1@legacy.example.org,{BCRYPT_ABC},t\n"),
    );
    pool(
        &env,
        "csv",
        "users.csv",
        &["--mode", "jit", "--tenant", "property:tenant_id"],
    );
    pool(
        &env,
        "kc",
        &fixture("keycloak-realm-export.json"),
        &["--mode", "jit"],
    );
    let csv = authenticated(&env, "user1@legacy.example.org", "abc", &["--commit"]);
    let csv_id = csv["user"]["id"].as_str().unwrap().to_owned();
    let before = snapshot(&env);
    let t = refused(
        &env,
        "user1",
        "password",
        &["--commit"],
        "identifier_collision",
    );
    let msg = t["message"].as_str().unwrap();
    assert!(msg.contains(&csv_id) && msg.contains("pool csv"), "{msg}");
    assert!(
        msg.contains("pool kc") && msg.contains("11111111-2222"),
        "{msg}"
    );
    assert_eq!(before, snapshot(&env));
}

/// R17, R6, R4: the source keeps the user's ID and changes the email. The login with the new
/// email reaches the same local user (same ID, tenant, no new `auto` tenant), reports the
/// rename, and the identifier changes: the old one no longer finds the user. jit, passthrough
/// and sync.
#[test]
fn r17_a_user_renamed_at_the_source_keeps_their_local_user() {
    for mode in ["jit", "passthrough", "sync"] {
        let env = Env::new();
        env.write(
            "u.ndjson",
            &a0("auth0|7", "old@x.org", Some("olduser"), Some(BCRYPT_UU)),
        );
        pool(
            &env,
            "src",
            "u.ndjson",
            &["--mode", mode, "--tenant", "auto"],
        );
        let first = authenticated(&env, "old@x.org", "U*U", &["--commit"]);
        let id = first["user"]["id"].as_str().unwrap().to_owned();
        let tenant = first["user"]["tenant_id"].as_str().unwrap().to_owned();
        env.write(
            "u.ndjson",
            &a0("auth0|7", "new@x.org", Some("newuser"), Some(BCRYPT_UU)),
        );
        let before = snapshot(&env);
        let dry = authenticated(&env, "New@x.org", "U*U", &[]);
        assert!(
            steps(&dry).contains(&("local store".into(), "renamed".into())),
            "{mode}: {dry:#}"
        );
        assert_eq!(before, snapshot(&env), "{mode}: dry run wrote");
        let t = authenticated(&env, "New@x.org", "U*U", &["--commit"]);
        assert_eq!(t["user"]["id"], id.as_str(), "{mode}: {t:#}");
        assert_eq!(t["user"]["identifier"], "new@x.org", "{mode}");
        assert_eq!(t["user"]["renamed_from"], "old@x.org", "{mode}");
        assert_eq!(t["user"]["tenant_id"], tenant.as_str(), "{mode}");
        let all = users(&env, &[]);
        assert_eq!(all.len(), 1, "{mode}: {all:#?}");
        assert_eq!(all[0]["identifier"], "new@x.org", "{mode}");
        assert_eq!(all[0]["external_id"], "auth0|7", "{mode}");
        if let Some(db) = sqlite_only::db(&env) {
            assert_eq!(auto_tenants(&db), 1, "{mode}: one tenant");
        }
        // The new names find the user; the old ones are gone with the source's old record.
        assert_eq!(show(&env, "newuser")["user"]["id"], id.as_str(), "{mode}");
        for old in ["old@x.org", "olduser"] {
            let out = env.run(&["users", "show", old]);
            assert_eq!(out.status.code(), Some(NOT_FOUND), "{mode}: {old}");
        }
        let again = authenticated(&env, "new@x.org", "U*U", &["--commit"]);
        assert_eq!(again["user"]["id"], id.as_str(), "{mode}");
        refused(&env, "old@x.org", "U*U", &[], "unknown_user");
    }
}

/// R17, R6: importing a newer export where a user kept their source ID and changed their email
/// renames that user (reported as its own outcome, in the dry run too) instead of making a
/// second one; a re-run finds it imported.
#[test]
fn r17_an_import_of_a_newer_export_renames_instead_of_duplicating() {
    let env = Env::new();
    env.write(
        "v1.ndjson",
        &[
            a0("auth0|1", "old@x.org", None, Some(BCRYPT_UU)),
            a0("auth0|2", "keep@x.org", None, Some(BCRYPT_UU)),
        ]
        .join("\n"),
    );
    env.write(
        "v2.ndjson",
        &[
            a0("auth0|1", "new@x.org", None, Some(BCRYPT_UU)),
            a0("auth0|2", "keep@x.org", None, Some(BCRYPT_UU)),
        ]
        .join("\n"),
    );
    pool(
        &env,
        "src",
        "v1.ndjson",
        &["--mode", "jit", "--tenant", "auto"],
    );
    let (code, s, stderr) = import(&env, &["--pool", "src"]);
    assert_eq!(
        (code, s["imported"].as_u64()),
        (Some(0), Some(2)),
        "{stderr}"
    );
    let old_id = show(&env, "old@x.org")["user"]["id"].clone();
    let before = snapshot(&env);
    let (code, s, stderr) = import(&env, &["--pool", "src", "--file", "v2.ndjson", "--dry-run"]);
    assert_eq!(
        (code, s["renamed"].as_u64()),
        (Some(0), Some(1)),
        "{s:#} {stderr}"
    );
    assert_eq!(before, snapshot(&env), "dry run wrote");
    let (code, s, stderr) = import(&env, &["--pool", "src", "--file", "v2.ndjson"]);
    assert_eq!(
        (code, s["renamed"].as_u64(), s["imported"].as_u64()),
        (Some(0), Some(1), Some(0)),
        "{s:#} {stderr}"
    );
    assert!(
        stderr.contains("renamed new@x.org") && stderr.contains("old@x.org"),
        "{stderr}"
    );
    let all = users(&env, &[]);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(show(&env, "new@x.org")["user"]["id"], old_id);
    if let Some(db) = sqlite_only::db(&env) {
        assert_eq!(auto_tenants(&db), 2);
    }
    // A re-run: the renamed user is this file's now; the other stays the earlier file's.
    let (code, s, stderr) = import(&env, &["--pool", "src", "--file", "v2.ndjson"]);
    assert_eq!(
        (
            code,
            s["already_imported"].as_u64(),
            s["renamed"].as_u64(),
            s["by_reason"]["imported_before"].as_u64()
        ),
        (Some(0), Some(1), Some(0), Some(1)),
        "{s:#} {stderr}"
    );
    assert_eq!(users(&env, &[]).len(), 2);
    // The user logs in with the new email, from the local store.
    let t = authenticated(&env, "new@x.org", "U*U", &[]);
    assert_eq!(t["user"]["id"], old_id);
}

/// R6, R17: within one export, a username equal to another user's email is not a duplicate
/// of one user, and not a reason to leave the email's owner out (issue 8, F9): the owner
/// takes the name (a record's own identifier wins over another record's alias), the move is
/// reported, and the dry run says the same.
#[test]
fn r6_an_import_row_whose_identifier_is_another_users_alias_takes_it() {
    let env = Env::new();
    env.write(
        "u.ndjson",
        &[
            a0(
                "auth0|a",
                "a@x.org",
                Some("nora@example.net"),
                Some(BCRYPT_UU),
            ),
            a0(
                "auth0|b",
                "nora@example.net",
                Some("nora"),
                Some(BCRYPT_UUU),
            ),
            a0(
                "auth0|a",
                "a@x.org",
                Some("nora@example.net"),
                Some(BCRYPT_UU),
            ),
        ]
        .join("\n"),
    );
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    for dry in [true, false] {
        let mut args = vec!["--pool", "src"];
        if dry {
            args.push("--dry-run");
        }
        let (code, s, stderr) = import(&env, &args);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(s["imported"], 2, "dry {dry}: {s:#}");
        assert_eq!(s["aliases_skipped"], 1, "dry {dry}: {s:#}");
        assert_eq!(s["by_reason"]["duplicate_in_file"], 1, "dry {dry}: {s:#}");
        assert!(
            stderr.contains("line 2: alias_moved nora@example.net")
                && stderr.contains("auth0|a")
                && stderr.contains("line 1"),
            "dry {dry}: {stderr}"
        );
    }
    assert_eq!(
        names(&env),
        [
            ("a@x.org".to_owned(), "auth0|a".to_owned(), vec![]),
            (
                "nora@example.net".to_owned(),
                "auth0|b".to_owned(),
                vec!["nora".to_owned()]
            ),
        ]
    );
}

/// R6, R17: `--on-conflict merge` merges only into the same person: a native user or a user of
/// another pool holding the identifier is rejected, keeps its profile and never gains the
/// row's hash; a user migrated from the same pool by login is merged.
#[test]
fn r6_merge_never_merges_into_another_person() {
    let env = Env::new();
    env.write("other.ndjson", &a0("auth0|o", "other@x.org", None, None));
    pool(
        &env,
        "a0",
        "other.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    let (code, ..) = import(&env, &["--pool", "a0"]);
    assert_eq!(code, Some(0));
    env.cmd()
        .args(["users", "create", "native@x.org", "--password-stdin"])
        .write_stdin("Native-pass-1\n")
        .assert()
        .success();
    env.write(
        "u.csv",
        &format!(
            "email,password_hash,tenant_id,plan\nother@x.org,{BCRYPT_ABC},t,pro\nnative@x.org,{BCRYPT_ABC},t,pro\njit@x.org,{BCRYPT_ABC},t,pro\n"
        ),
    );
    pool(
        &env,
        "csv",
        "u.csv",
        &["--mode", "jit", "--tenant", "property:tenant_id"],
    );
    authenticated(&env, "jit@x.org", "abc", &["--commit"]);
    let (code, s, stderr) = import(&env, &["--pool", "csv", "--on-conflict", "merge"]);
    assert_eq!(
        (code, s["merged"].as_u64(), s["rejected"].as_u64()),
        (Some(VALIDATION), Some(1), Some(2)),
        "{s:#} {stderr}"
    );
    assert_eq!(s["by_reason"]["identifier_exists"], 2, "{s:#}");
    for id in ["other@x.org", "native@x.org"] {
        let u = show(&env, id);
        assert_eq!(u["user"]["profile"].get("plan"), None, "{id}: {u:#}");
    }
    assert_eq!(show(&env, "other@x.org")["password_scheme"], Value::Null);
    assert_eq!(show(&env, "jit@x.org")["user"]["profile"]["plan"], "pro");
    // The other pool's user is not opened by the CSV row's password.
    let (code, _) = login(&env, "other@x.org", "abc", &[]);
    assert_eq!(code, REFUSED);
}

/// R6, R17: `doctor` reports a username of one record that is another record's email (one
/// export file), and a store user of the same pool with another source ID holding a record's
/// identifier.
#[test]
fn r6_doctor_finds_collisions_across_identifiers_and_aliases() {
    let env = Env::new();
    env.write(
        "u.ndjson",
        &[
            a0(
                "auth0|b",
                "nora@example.net",
                Some("nora"),
                Some(BCRYPT_UUU),
            ),
            a0(
                "auth0|a",
                "a@x.org",
                Some("nora@example.net"),
                Some(BCRYPT_UU),
            ),
            a0("auth0|c", "c@x.org", None, Some(BCRYPT_UU)),
        ]
        .join("\n"),
    );
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    let findings = doctor(&env);
    assert!(
        findings.iter().any(|(code, id, msg)| code == "collision"
            && id == "nora@example.net"
            && msg.contains("auth0|a")
            && msg.contains("auth0|b")
            && msg.contains(":1")),
        "{findings:#?}"
    );
    // c@x.org migrates; then the source gives c@x.org to another source user.
    authenticated(&env, "c@x.org", "U*U", &["--commit"]);
    assert!(
        !doctor(&env).iter().any(|(_, id, _)| id == "c@x.org"),
        "the same person is no collision"
    );
    env.write("u.ndjson", &a0("auth0|d", "c@x.org", None, Some(BCRYPT_UU)));
    let findings = doctor(&env);
    assert!(
        findings.iter().any(|(code, id, msg)| code == "collision"
            && id == "c@x.org"
            && msg.contains("auth0|c")
            && msg.contains("auth0|d")),
        "{findings:#?}"
    );
}

/// R6: a first login's alias that is another user's identifier is not added, and the trace
/// says so.
#[test]
fn r6_an_alias_held_by_another_user_is_reported_not_added() {
    let env = Env::new();
    env.write(
        "u.ndjson",
        &a0("auth0|c", "c@x.org", Some("taken"), Some(BCRYPT_UU)),
    );
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    env.cmd()
        .args(["users", "create", "Taken", "--password-stdin"])
        .write_stdin("Native-pass-1\n")
        .assert()
        .success();
    let t = authenticated(&env, "c@x.org", "U*U", &["--commit"]);
    let skipped = t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["answer"] == "alias_skipped")
        .unwrap_or_else(|| panic!("{t:#}"));
    assert!(
        skipped["detail"].as_str().unwrap().contains("Taken"),
        "{skipped:#}"
    );
    assert_eq!(show(&env, "taken")["user"]["origin"], "native");
}

/// R6, R17: first logins with the new email of a renamed user, racing with --commit, all
/// reach the one local user, which ends renamed.
#[test]
fn r17_concurrent_logins_after_a_rename_meet_one_user() {
    let env = Env::new();
    env.write(
        "u.ndjson",
        &a0("auth0|7", "old@x.org", None, Some(BCRYPT_UU)),
    );
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "passthrough", "--tenant", "auto"],
    );
    let first = authenticated(&env, "old@x.org", "U*U", &["--commit"]);
    env.write(
        "u.ndjson",
        &a0("auth0|7", "new@x.org", None, Some(BCRYPT_UU)),
    );
    let ids: Vec<String> = (0..6).map(|_| "new@x.org".to_owned()).collect();
    for t in crate::login::concurrent_logins(&env, &ids, "U*U") {
        assert_eq!(t["user"]["id"], first["user"]["id"], "{t:#}");
    }
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["identifier"], "new@x.org");
    if let Some(db) = sqlite_only::db(&env) {
        assert_eq!(auto_tenants(&db), 1);
    }
}

/// R6, R17: one source user twice in a file under two emails, in two batches (the second row
/// is found when the import settles): one user, the second row reported as not imported with
/// both lines, per --on-conflict; a re-run changes nothing.
#[test]
fn r17_one_source_user_twice_in_a_file_ends_as_one_user_reported() {
    for (policy, action, code) in [
        ("skip", "skipped", 0),
        ("fail", "rejected", 5),
        ("merge", "merged", 0),
    ] {
        let env = Env::new();
        env.write(
            "u.ndjson",
            &[
                a0("auth0|1", "first@x.org", None, Some(BCRYPT_UU)),
                a0("auth0|2", "other@x.org", None, Some(BCRYPT_UU)),
                r#"{"user_id": "auth0|1", "email": "second@x.org", "nickname": "n"}"#.to_owned(),
            ]
            .join("\n"),
        );
        pool(
            &env,
            "src",
            "u.ndjson",
            &["--mode", "jit", "--tenant", "fixed:t"],
        );
        let (got, s, stderr) = import(
            &env,
            &["--pool", "src", "--batch", "1", "--on-conflict", policy],
        );
        assert_eq!(got, Some(code), "{policy}: {stderr}");
        assert_eq!(s["imported"].as_u64(), Some(2), "{policy}: {s:#}");
        assert_eq!(s[action].as_u64(), Some(1), "{policy}: {s:#}");
        assert!(
            stderr.contains("line 3") && stderr.contains("line 1") && stderr.contains("auth0|1"),
            "{policy}: {stderr}"
        );
        let all = users(&env, &[]);
        assert_eq!(all.len(), 2, "{policy}: {all:#?}");
        let first = show(&env, "first@x.org");
        assert_eq!(
            first["user"]["profile"]["nickname"].as_str(),
            (policy == "merge").then_some("n"),
            "{policy}: {first:#}"
        );
        if let Some(db) = sqlite_only::db(&env) {
            assert_eq!(keys_and_pending(&db), (2, 0), "{policy}");
        }
        // Doctor finds the file's own pair, but no second local user and nothing pending.
        let findings = doctor(&env);
        assert!(
            !findings
                .iter()
                .any(|(c, _, m)| c == "import_pending" || m.contains("local user")),
            "{policy}: {findings:#?}"
        );
        let (_, s, stderr) = import(&env, &["--pool", "src", "--on-conflict", policy]);
        assert_eq!(s["imported"].as_u64(), Some(0), "{policy}: {s:#} {stderr}");
        assert_eq!(users(&env, &[]).len(), 2, "{policy}");
    }
}

/// R6, R17, R12: two imports of two files started at once into one pool, each holding the
/// same source users under other emails: one at a time runs (a second one while the first
/// runs is refused, exit 4, and is run again after it: issue 8, F15); afterwards every source
/// user has one keyed user, nothing is left pending, and each second copy was reported by an
/// import or by doctor.
#[test]
fn r17_concurrent_imports_of_one_source_user_meet_one_indexed_user() {
    let env = Env::new();
    let file = |tag: &str| {
        (1..=40)
            .map(|i| {
                a0(
                    &format!("auth0|{i}"),
                    &format!("u{i}-{tag}@x.org"),
                    None,
                    None,
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    env.write("a.ndjson", &file("a"));
    env.write("b.ndjson", &file("b"));
    pool(
        &env,
        "src",
        "a.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    let spawn = |f: &str| {
        env.std_cmd()
            .args([
                "users", "import", "--pool", "src", "--file", f, "--batch", "3", "-o", "json",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = ["a.ndjson", "b.ndjson"]
        .iter()
        .map(|f| (*f, spawn(f)))
        .collect();
    let mut reported = 0;
    let mut refused = Vec::new();
    for (f, c) in children {
        let out = c.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() == Some(CONFLICT) {
            assert!(
                stderr.contains("an import into pool 'src' is running"),
                "{stderr}"
            );
            refused.push(f);
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        reported += s["skipped"].as_u64().unwrap() + s["renamed"].as_u64().unwrap();
    }
    assert!(refused.len() < 2, "one of them ran");
    for f in refused {
        let out = spawn(f).wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        reported += s["skipped"].as_u64().unwrap() + s["renamed"].as_u64().unwrap();
    }
    let doctor_dups = doctor(&env)
        .iter()
        .filter(|(c, _, _)| c == "duplicate_source_id")
        .count() as i64;
    // The store's own tables: on SQLite only; elsewhere doctor's count stands for the marks.
    let marked = match sqlite_only::db(&env) {
        Some(db) => {
            let (keys, pending) = keys_and_pending(&db);
            let (indexed, marked): (i64, i64) = db
                .query_row(
                    "SELECT (SELECT count(DISTINCT u.external_id) FROM users u
                             JOIN source_keys k ON k.user_id = u.id AND k.external_id = u.external_id),
                            (SELECT count(*) FROM users WHERE duplicate_of IS NOT NULL)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            let unmarked: i64 = db
                .query_row(
                    "SELECT count(*) FROM users WHERE duplicate_of IS NULL",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!((keys, pending, indexed, unmarked), (40, 0, 40, 40));
            assert_eq!(doctor_dups, marked);
            marked
        }
        None => doctor_dups,
    };
    assert_eq!(
        reported as i64 + marked,
        40,
        "each second copy reported once"
    );
}

/// R6: in an export file, a record's own identifier wins over another record's alias: user B
/// (email `nora@example.net`) logging in with that email reaches B's record, not user A's whose
/// username it is (first in the file); a name only two records hold as aliases is ambiguous and
/// fails closed, naming both lines.
#[test]
fn r6_an_export_records_identifier_wins_over_another_records_alias() {
    let env = Env::new();
    let text = [
        a0(
            "auth0|a",
            "a@x.org",
            Some("nora@example.net"),
            Some(BCRYPT_UU),
        ),
        a0(
            "auth0|b",
            "nora@example.net",
            Some("nora"),
            Some(BCRYPT_UUU),
        ),
        a0("auth0|c", "c@x.org", Some("shared"), Some(BCRYPT_UU)),
        a0("auth0|d", "d@x.org", Some("shared"), Some(BCRYPT_UUU)),
    ]
    .join("\n");
    env.write("u.ndjson", &text);
    pool(
        &env,
        "src",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "auto"],
    );
    let b = authenticated(&env, "nora@example.net", "U*U*", &[]);
    assert_eq!(b["user"]["identifier"], "nora@example.net", "{b:#}");
    // A's password on B's email is B's wrong password, not a login to A.
    refused(&env, "nora@example.net", "U*U", &[], "wrong_password");
    // A still logs in by A's own email.
    authenticated(&env, "a@x.org", "U*U", &[]);
    let t = refused(&env, "shared", "U*U", &[], "source_unavailable");
    let msg = t["message"].as_str().unwrap();
    assert!(msg.contains("lines 3 and 4"), "{msg}");
}

/// R6: a user migrated from an export takes none of its aliases that another record of the
/// file has as its own identifier: after Alice (username `bob@…`) migrates, Bob's email still
/// reaches Bob's record with Bob's password, and never Alice's account with hers.
#[test]
fn r6_a_migrated_user_takes_no_alias_that_is_another_records_identifier() {
    let env = Env::new();
    let text = [
        a0(
            "auth0|alice",
            "alice@ab.example.com",
            Some("bob@ab.example.com"),
            Some(BCRYPT_UU),
        ),
        a0("auth0|bob", "bob@ab.example.com", None, Some(BCRYPT_UUU)),
    ]
    .join("\n");
    env.write("ab.ndjson", &text);
    pool(
        &env,
        "ab",
        "ab.ndjson",
        &["--mode", "jit", "--tenant", "auto"],
    );
    authenticated(&env, "alice@ab.example.com", "U*U", &["--commit"]);
    refused(&env, "bob@ab.example.com", "U*U", &[], "wrong_password");
    let bob = authenticated(&env, "bob@ab.example.com", "U*U*", &["--commit"]);
    assert_eq!(bob["user"]["identifier"], "bob@ab.example.com", "{bob:#}");
    assert_eq!(users(&env, &[]).len(), 2);
}

/// A Keycloak user of the issue 8 trial: (id, username, email, PBKDF2-SHA256 value, salt),
/// 1,000 iterations; the password is `<Name>-pw-1` (`Alice-pw-1` for id-alice).
type KcUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const KC_ALICE: KcUser = (
    "id-alice",
    "alice",
    "alice@example.com",
    "dUCj4rlPz2/i5MDl29a27GEGHxl0TyVfW4rN3DIoqbo=",
    "ytCfA07VoCRmYKByvSE27Q==",
);
/// Bob's username is Alice's email.
const KC_BOB: KcUser = (
    "id-bob",
    "alice@example.com",
    "bob@example.com",
    "8P5Bl6gUK6zSOf9AHykn55uwC99J5dJYfN9ay/eyngM=",
    "wYPfyri7vS3osyeVPqttag==",
);
const KC_CAROL: KcUser = (
    "id-carol",
    "carol",
    "carol@example.com",
    "Ky9yN3vrJ+OP7Upwl/dxaijG+HowxGIR0vBsP0QOcW8=",
    "dwCTCoVNwna2UhXwiJWczA==",
);
/// Dave's username is Carol's username (another pool).
const KC_DAVE: KcUser = (
    "id-dave",
    "carol",
    "dave@example.com",
    "Ymah/21m2okyddl08FA74YUno8bbLj9tcGxVktFVHsw=",
    "JlxA4ZD7g9c8Jo2ggJ9jvQ==",
);

/// A Keycloak realm export of `users`, one per line (line 2, 3, ...).
fn keycloak_realm(users: &[KcUser]) -> String {
    let body: Vec<String> = users
        .iter()
        .map(|(id, username, email, value, salt)| {
            serde_json::json!({
                "id": id, "username": username, "email": email, "enabled": true,
                "credentials": [{
                    "type": "password",
                    "secretData": serde_json::json!({"value": value, "salt": salt}).to_string(),
                    "credentialData": serde_json::json!({"hashIterations": 1000, "algorithm": "pbkdf2-sha256"}).to_string(),
                }],
            })
            .to_string()
        })
        .collect();
    format!(
        "{{\"realm\": \"r\", \"users\": [\n{}\n]}}\n",
        body.join(",\n")
    )
}

/// Every user's (identifier, source user ID, sorted alias keys), sorted, as `users export`
/// writes them.
fn names(env: &Env) -> Vec<(String, String, Vec<String>)> {
    let out = env.ok(&["users", "export"]);
    let mut all: Vec<(String, String, Vec<String>)> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let mut aliases: Vec<String> = v["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_lowercase())
                .collect();
            aliases.sort();
            (
                v["identifier"].as_str().unwrap().to_owned(),
                v["external_id"].as_str().unwrap_or("").to_owned(),
                aliases,
            )
        })
        .collect();
    all.sort();
    all
}

/// F9 (issue 8), R6, R14, R17: Bob's username is Alice's email. Whatever the row order, the
/// import agrees with the login engine (a record's own identifier wins over another record's
/// alias): Alice gets her email, Bob keeps no alias that is her identifier, and the store is
/// the same in both orders. The name Bob does not keep is reported (a stderr line naming the
/// row, the alias and the other user; `aliases_skipped` in the summary), in the dry run too;
/// nothing lands in the reject file. After the import, Alice signs in with her email and her
/// password, as the rehearsal before it said, and Bob's password there is wrong.
#[test]
fn r6_an_import_gives_a_name_to_its_identifiers_record_whatever_the_row_order() {
    let expected = vec![
        (
            "alice@example.com".to_owned(),
            "id-alice".to_owned(),
            vec!["alice".to_owned()],
        ),
        ("bob@example.com".to_owned(), "id-bob".to_owned(), vec![]),
        (
            "carol@example.com".to_owned(),
            "id-carol".to_owned(),
            vec!["carol".to_owned()],
        ),
    ];
    // (rows, the other user the report names: the one whose name Bob's row meets)
    for (rows, other) in [
        ([KC_ALICE, KC_BOB, KC_CAROL], "id-alice"),
        ([KC_BOB, KC_ALICE, KC_CAROL], "id-bob"),
    ] {
        let env = Env::new();
        env.write("kc.json", &keycloak_realm(&rows));
        pool(
            &env,
            "kc",
            "kc.json",
            &["--mode", "jit", "--tenant", "fixed:t"],
        );
        let rehearsal = authenticated(&env, "alice@example.com", "Alice-pw-1", &[]);
        assert_eq!(rehearsal["user"]["identifier"], "alice@example.com");
        for dry in [true, false] {
            let mut args = vec!["--pool", "kc", "--reject-file", "rej.json"];
            if dry {
                args.push("--dry-run");
            }
            let (code, s, stderr) = import(&env, &args);
            assert_eq!(code, Some(0), "{other} dry {dry}: {stderr}");
            assert_eq!(s["imported"], 3, "{other} dry {dry}: {s:#}\n{stderr}");
            assert_eq!(s["skipped"], 0, "{other} dry {dry}: {s:#}\n{stderr}");
            assert_eq!(s["aliases_skipped"], 1, "{other} dry {dry}: {s:#}");
            let reported: Vec<&str> = stderr.lines().filter(|l| l.contains("alias")).collect();
            assert_eq!(reported.len(), 1, "{other} dry {dry}: {stderr}");
            assert!(
                reported[0].starts_with("line 3: ")
                    && reported[0].contains("'alice@example.com'")
                    && reported[0].contains(other),
                "{other} dry {dry}: {stderr}"
            );
        }
        let rejects = std::fs::read_to_string(env.path("rej.json")).unwrap_or_default();
        assert!(!rejects.contains("example.com"), "{other}: {rejects}");
        assert_eq!(names(&env), expected, "{other}");
        let alice = authenticated(&env, "alice@example.com", "Alice-pw-1", &[]);
        assert_eq!(alice["user"]["identifier"], "alice@example.com");
        assert_eq!(alice["user"]["pool"], "kc");
        refused(&env, "alice@example.com", "Bob-pw-1", &[], "wrong_password");
        authenticated(&env, "bob@example.com", "Bob-pw-1", &[]);
    }
}

/// F9 (issue 8), R6: Dave (pool kc2) has Carol's username (pool kc1) as his: the import of
/// kc2 keeps the name Carol's, and says so (stderr names the row, the alias and Carol;
/// `aliases_skipped` 1), in the dry run and the import alike.
#[test]
fn r6_an_alias_another_pools_user_holds_is_reported_by_the_import() {
    let env = Env::new();
    env.write("kc1.json", &keycloak_realm(&[KC_CAROL]));
    env.write("kc2.json", &keycloak_realm(&[KC_DAVE]));
    for (name, file) in [("kc1", "kc1.json"), ("kc2", "kc2.json")] {
        pool(&env, name, file, &["--mode", "jit", "--tenant", "fixed:t"]);
    }
    let (code, s, _) = import(&env, &["--pool", "kc1"]);
    assert_eq!((code, &s["aliases_skipped"]), (Some(0), &Value::from(0)));
    for dry in [true, false] {
        let mut args = vec!["--pool", "kc2"];
        if dry {
            args.push("--dry-run");
        }
        let (code, s, stderr) = import(&env, &args);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(s["imported"], 1, "dry {dry}: {s:#}");
        assert_eq!(s["aliases_skipped"], 1, "dry {dry}: {s:#}");
        assert!(
            stderr.contains("line 2: alias_skipped dave@example.com")
                && stderr.contains("'carol'")
                && stderr.contains("'carol@example.com'")
                && stderr.contains("pool kc1"),
            "dry {dry}: {stderr}"
        );
    }
    let carol = authenticated(&env, "carol", "Carol-pw-1", &[]);
    assert_eq!(carol["user"]["identifier"], "carol@example.com");
    refused(&env, "carol", "Dave-pw-1", &[], "wrong_password");
}

/// R6, as the README's R6 row documents it: identifiers compare under NFC and Unicode full
/// case folding, no more. A ligature is its letters (`ﬃ` = `ffi`), as `ß` is `ss`; fullwidth
/// letters, superscripts and the dotted and dotless i stay other identifiers. Checked through
/// `users create` (a second user is refused when it is the same identifier) and a login, and
/// against the README, so the documentation and the comparison cannot drift apart again.
#[test]
fn r6_full_case_folding_folds_ligatures_and_keeps_compatibility_forms_apart() {
    let env = Env::new();
    // (first, second, one identifier?), each pair on its own domain.
    let cases = [
        ("\u{fb03}@lig.example", "ffi@lig.example", true),
        ("\u{fb01}sh@lig2.example", "FISH@lig2.example", true),
        ("stra\u{df}e@ss.example", "STRASSE@ss.example", true),
        ("\u{212a}@kelvin.example", "k@kelvin.example", true),
        (
            "\u{39f}\u{394}\u{39f}\u{3a3}@sigma.example",
            "\u{3bf}\u{3b4}\u{3bf}\u{3c2}@sigma.example",
            true,
        ),
        ("\u{ff41}@full.example", "a@full.example", false),
        ("x\u{b2}@sup.example", "x2@sup.example", false),
        ("\u{130}@dot.example", "i@dot.example", false),
        ("\u{131}@dotless.example", "i@dotless.example", false),
    ];
    for (first, second, same) in cases {
        let create = |id: &str| {
            env.cmd()
                .args(["users", "create", id, "--password-stdin"])
                .write_stdin("Pw-12345678\n")
                .output()
                .unwrap()
        };
        let out = create(first);
        assert!(
            out.status.success(),
            "{first}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = create(second);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if same {
            assert_eq!(
                out.status.code(),
                Some(CONFLICT),
                "{first} = {second}: {stderr}"
            );
            assert!(stderr.contains("exists already"), "{stderr}");
        } else {
            assert!(out.status.success(), "{first} != {second}: {stderr}");
        }
    }
    // A login by the ligature reaches the user of its letters.
    let t = authenticated(&env, "\u{fb03}@lig.example", "Pw-12345678", &[]);
    assert_eq!(t["user"]["identifier"], "\u{fb03}@lig.example", "{t:#}");
    let t = authenticated(&env, "FFI@lig.example", "Pw-12345678", &[]);
    assert_eq!(t["user"]["identifier"], "\u{fb03}@lig.example", "{t:#}");

    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let r6 = readme.lines().find(|l| l.starts_with("| R6 |")).unwrap();
    for documented in [
        "the ligature `\u{fb03}` = `ffi`",
        "`STRASSE` = `stra\u{df}e`",
        "the Kelvin sign `\u{212a}` = `k`",
        "fullwidth `\u{ff41}` \u{2260} `a`",
        "superscript `\u{b2}` \u{2260} `2`",
        "dotted `\u{130}` \u{2260} `i`",
        "dotless `\u{131}` \u{2260} `i`",
    ] {
        assert!(
            r6.contains(documented),
            "README's R6 row lacks {documented:?}: {r6}"
        );
    }
}

/// R6, R17 (issue 8, F20): a user imported with a source user ID (Auth0, no hash yet) is not
/// the record of a file that carries no ID, even in the same pool under the same email: the
/// source does not say it is the same person. The login through the pool's CSV file is a
/// collision naming the local user, writes nothing, and the CSV's hash never becomes the
/// user's; `doctor` reports the collision, and a CSV import into that pool does not merge
/// into the user either.
#[test]
fn r6_a_record_without_source_id_is_not_a_user_that_has_one() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash\nnora@example.net,{BCRYPT_ABC}\n"),
    );
    pool(
        &env,
        "p",
        "u.csv",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    env.write(
        "a0.ndjson",
        &a0("auth0|nora", "nora@example.net", None, None),
    );
    let (code, s, stderr) = import(&env, &["--pool", "p", "--file", "a0.ndjson"]);
    assert_eq!(
        (code, s["imported"].as_u64()),
        (Some(0), Some(1)),
        "{s:#} {stderr}"
    );
    let before = snapshot(&env);
    for extra in [&[][..], &["--commit"][..]] {
        let t = refused(
            &env,
            "nora@example.net",
            "abc",
            extra,
            "identifier_collision",
        );
        let msg = t["message"].as_str().unwrap();
        assert!(msg.contains("auth0|nora"), "{msg}");
    }
    assert_eq!(before, snapshot(&env));
    assert_eq!(
        show(&env, "nora@example.net")["password_scheme"],
        Value::Null
    );
    assert!(
        doctor(&env)
            .iter()
            .any(|(code, id, _)| code == "collision" && id == "nora@example.net"),
        "{:?}",
        doctor(&env)
    );
    let (code, s, stderr) = import(&env, &["--pool", "p", "--on-conflict", "merge"]);
    assert_eq!(
        (code, s["merged"].as_u64(), s["rejected"].as_u64()),
        (Some(VALIDATION), Some(0), Some(1)),
        "{s:#} {stderr}"
    );
    assert_eq!(
        show(&env, "nora@example.net")["password_scheme"],
        Value::Null
    );
}

/// Trial finding 1 (R6, R17): records B and C of one export both list `bobby` as their username
/// (two people, one name). Before anything is migrated the login `bobby` is refused as
/// ambiguous; whatever is migrated next (an import in either row order, or a JIT login of B or
/// C by email) `bobby` stays nobody's alias: `users show bobby` finds no one, the login stays
/// refused, and the store is the same in every order. The import reports the name each row
/// does not keep (the row that lands, and the earlier user it is taken back from). The same
/// holds when every record starts on one line (a minified JSON array).
#[test]
fn r6_a_name_two_source_users_hold_is_nobodys_alias_whatever_is_migrated_first() {
    let a = a0(
        "auth0|a",
        "alice@example.com",
        Some("bob@example.com"),
        Some(BCRYPT_UU),
    );
    let b = a0("auth0|b", "bob@example.com", Some("bobby"), Some(BCRYPT_UU));
    let c = a0(
        "auth0|c",
        "carol@example.com",
        Some("bobby"),
        Some(BCRYPT_UU),
    );
    let expected = vec![
        ("alice@example.com".to_owned(), "auth0|a".to_owned(), vec![]),
        ("bob@example.com".to_owned(), "auth0|b".to_owned(), vec![]),
        ("carol@example.com".to_owned(), "auth0|c".to_owned(), vec![]),
    ];
    let ambiguous = |env: &Env| {
        let t = refused(env, "bobby", "U*U", &[], "source_unavailable");
        let msg = t["message"].as_str().unwrap();
        assert!(msg.contains("two people, one name"), "{msg}");
        env.refused(&["users", "show", "bobby"], 3, &["bobby"]);
    };
    // (rows, how the users get migrated, all records on one line: a minified JSON array,
    // where lines do not tell records apart; retrial finding A)
    let orders: [(&[&String], &str, bool); 7] = [
        (&[&a, &b, &c], "import", false),
        (&[&c, &b, &a], "import", false),
        (&[&a, &b, &c], "bob@example.com", false),
        (&[&a, &b, &c], "carol@example.com", false),
        (&[&a, &b, &c], "import", true),
        (&[&c, &b, &a], "import", true),
        (&[&a, &b, &c], "bob@example.com", true),
    ];
    for (rows, how, one_line) in orders {
        let env = Env::new();
        let text: Vec<&str> = rows.iter().map(|r| r.as_str()).collect();
        let file = if one_line {
            env.write("u.json", &format!("[{}]", text.join(",")));
            "u.json"
        } else {
            env.write("u.ndjson", &text.join("\n"));
            "u.ndjson"
        };
        pool(&env, "p", file, &["--mode", "jit", "--tenant", "fixed:t"]);
        ambiguous(&env);
        if how == "import" {
            for dry in [true, false] {
                let mut args = vec!["--pool", "p"];
                if dry {
                    args.push("--dry-run");
                }
                let (code, s, stderr) = import(&env, &args);
                assert_eq!(code, Some(0), "{how} dry {dry}: {stderr}");
                assert_eq!(s["imported"], 3, "{how} dry {dry}: {s:#}\n{stderr}");
                // bob@example.com moves to its record; bobby: not kept by the later row,
                // taken back from the earlier one.
                assert_eq!(s["aliases_skipped"], 3, "{how} dry {dry}: {s:#}\n{stderr}");
                let bobby: Vec<&str> = stderr.lines().filter(|l| l.contains("'bobby'")).collect();
                assert_eq!(bobby.len(), 2, "{how} dry {dry}: {stderr}");
                assert!(
                    bobby.iter().all(|l| l.contains("two source users")),
                    "{how} dry {dry}: {stderr}"
                );
            }
        } else {
            authenticated(&env, how, "U*U", &["--commit"]);
            // The migrated user did not take the name: the login by it still asks the pool.
            ambiguous(&env);
            let (code, s, stderr) = import(&env, &["--pool", "p"]);
            assert_eq!(code, Some(0), "{how}: {stderr}");
            assert_eq!(s["imported"], 2, "{how}: {s:#}\n{stderr}");
        }
        assert_eq!(names(&env), expected, "{how} {rows:?}");
        ambiguous(&env);
        let findings = doctor(&env);
        assert!(
            findings
                .iter()
                .any(|(code, id, _)| code == "collision" && id == "bobby"),
            "{how}: {findings:?}"
        );
        // Each person still signs in by their own email.
        for email in ["bob@example.com", "carol@example.com"] {
            let t = authenticated(&env, email, "U*U", &[]);
            assert_eq!(t["user"]["identifier"], email);
        }
    }
}

/// R6 (trial, trivial finding): `users create bobby`, where `bobby` is the alias of a migrated
/// user, is refused (exit 4) with a message that names `bobby` as that user's alias, not as if
/// the name typed were the other user's identifier; nothing is written.
#[test]
fn r6_creating_a_user_under_another_users_alias_says_it_is_an_alias() {
    let env = Env::new();
    env.write(
        "u.ndjson",
        &a0("auth0|b", "bob@example.com", Some("bobby"), Some(BCRYPT_UU)),
    );
    pool(
        &env,
        "p",
        "u.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    authenticated(&env, "bob@example.com", "U*U", &["--commit"]);
    let before = snapshot(&env);
    let out = env
        .cmd()
        .args(["users", "create", " Bobby ", "--password-stdin"])
        .write_stdin("Pw-12345678\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(crate::CONFLICT), "{stderr}");
    assert!(
        stderr.contains("'Bobby' is an alias of user 'bob@example.com' (migrated, pool p)"),
        "{stderr}"
    );
    assert!(!stderr.contains("with identifier"), "{stderr}");
    assert_eq!(before, snapshot(&env), "a refused create was written");
}

/// R6, R17 (trial finding 3): source user IDs are trimmed and checked where the export is read.
/// A newer export that pads the ID (`" auth0|x "`) and changes the email renames the user
/// instead of making a second one; an ID holding ESC is rejected at its line with a reason
/// naming the field, and is never stored.
#[test]
fn r17_source_user_ids_are_trimmed_and_refused_with_control_characters() {
    let env = Env::new();
    env.write(
        "v1.ndjson",
        &a0("auth0|x", "old@example.com", None, Some(BCRYPT_UU)),
    );
    pool(
        &env,
        "p",
        "v1.ndjson",
        &["--mode", "jit", "--tenant", "fixed:t"],
    );
    let (code, s, stderr) = import(&env, &["--pool", "p"]);
    assert_eq!(
        (code, &s["imported"]),
        (Some(0), &Value::from(1)),
        "{stderr}"
    );
    env.write(
        "v2.ndjson",
        &a0(" auth0|x ", "new@example.com", None, Some(BCRYPT_UU)),
    );
    let (code, s, stderr) = import(&env, &["--pool", "p", "--file", "v2.ndjson"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        (&s["imported"], &s["renamed"]),
        (&Value::from(0), &Value::from(1)),
        "{s:#}\n{stderr}"
    );
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["identifier"], "new@example.com");
    assert_eq!(all[0]["external_id"], "auth0|x");

    let esc = [
        a0("auth0|y", "y@example.com", None, Some(BCRYPT_UU)),
        a0("auth0|e\u{1b}[2J1", "e@example.com", None, Some(BCRYPT_UU)),
    ]
    .join("\n");
    env.write("v3.ndjson", &esc);
    let (code, s, stderr) = import(&env, &["--pool", "p", "--file", "v3.ndjson"]);
    assert_eq!(code, Some(5), "{stderr}");
    assert_eq!(
        (&s["imported"], &s["rejected"]),
        (&Value::from(1), &Value::from(1)),
        "{s:#}\n{stderr}"
    );
    assert!(
        stderr.contains("line 2: rejected e@example.com (invalid_identifier)")
            && stderr.contains("the source user ID holds")
            && stderr.contains("U+001B"),
        "{stderr}"
    );
    let ids: Vec<String> = users(&env, &[])
        .iter()
        .map(|u| u["external_id"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(!ids.iter().any(|x| x.contains('\u{1b}')), "{ids:?}");
}

/// Issue 8 retrial (R6): two files imported into one pool, or into two pools, where user A of
/// the first and user B of the second both list the username `bobby`. One pool: as for two
/// records of one file, the name is nobody's whichever file came first — the second import
/// takes it from A and says so (in the dry run too), `users show bobby` finds nobody, a login
/// by `bobby` is a collision naming the other user even though the pool's own file lists only
/// A (and the login does not hand the name back to A), and `doctor` reports the pair though
/// no pool reads the second file. Two pools: the first holder keeps it (the login order), the
/// second import reports it, and `doctor` reports the pair from the store.
#[test]
fn r6_a_name_two_files_give_two_people_is_recorded_and_reported() {
    let a = a0(
        "auth0|a",
        "alice@example.com",
        Some("bobby"),
        Some(BCRYPT_UU),
    );
    let b = a0(
        "auth0|b",
        "bob@example.com",
        Some("bobby"),
        Some(BCRYPT_UUU),
    );
    for two_pools in [false, true] {
        let env = Env::new();
        env.write("first.ndjson", &a);
        env.write("second.ndjson", &b);
        env.write(
            "other.ndjson",
            &a0("auth0|z", "zed@example.com", None, Some(BCRYPT_UU)),
        );
        pool(
            &env,
            "p",
            "first.ndjson",
            &["--mode", "jit", "--tenant", "fixed:t"],
        );
        let second_pool = if two_pools {
            pool(
                &env,
                "q",
                "other.ndjson",
                &["--mode", "jit", "--tenant", "fixed:t"],
            );
            "q"
        } else {
            "p"
        };
        let (code, s, stderr) = import(&env, &["--pool", "p"]);
        assert_eq!(
            (code, &s["aliases_skipped"]),
            (Some(0), &Value::from(0)),
            "{stderr}"
        );
        for dry in [true, false] {
            let mut args = vec!["--pool", second_pool, "--file", "second.ndjson"];
            if dry {
                args.push("--dry-run");
            }
            let (code, s, stderr) = import(&env, &args);
            assert_eq!(code, Some(0), "two pools {two_pools} dry {dry}: {stderr}");
            assert_eq!(s["imported"], 1, "dry {dry}: {s:#}");
            assert_eq!(s["aliases_skipped"], 1, "dry {dry}: {s:#}\n{stderr}");
            let line = stderr
                .lines()
                .find(|l| l.contains("'bobby'"))
                .unwrap_or_else(|| panic!("dry {dry}: {stderr}"));
            assert!(line.contains("auth0|a"), "dry {dry}: {line}");
            let taken = line.contains("is taken from");
            assert_eq!(taken, !two_pools, "dry {dry}: {line}");
        }
        let holder: Vec<String> = names(&env)
            .into_iter()
            .filter(|(_, _, aliases)| aliases.contains(&"bobby".to_owned()))
            .map(|(id, _, _)| id)
            .collect();
        let findings = doctor(&env);
        let found = findings
            .iter()
            .find(|(code, id, _)| code == "collision" && id == "bobby")
            .unwrap_or_else(|| panic!("two pools {two_pools}: {findings:?}"));
        assert!(
            found.2.contains("auth0|a") && found.2.contains("auth0|b"),
            "{found:?}"
        );
        if two_pools {
            assert_eq!(holder, ["alice@example.com"]);
            let t = authenticated(&env, "bobby", "U*U", &[]);
            assert_eq!(t["user"]["identifier"], "alice@example.com");
        } else {
            assert!(holder.is_empty(), "{holder:?}");
            env.refused(&["users", "show", "bobby"], 3, &["bobby"]);
            for commit in [&[][..], &["--commit"][..]] {
                let t = refused(&env, "bobby", "U*U", commit, "identifier_collision");
                let msg = t["message"].as_str().unwrap();
                assert!(
                    msg.contains("auth0|b") && msg.contains("two people, one name"),
                    "{msg}"
                );
            }
            // A's own login does not give the disputed name back either.
            authenticated(&env, "alice@example.com", "U*U", &["--commit"]);
            assert!(names(&env).iter().all(|(_, _, al)| al.is_empty()));
        }
        for (email, pw) in [("alice@example.com", "U*U"), ("bob@example.com", "U*U*")] {
            let t = authenticated(&env, email, pw, &[]);
            assert_eq!(t["user"]["identifier"], email);
        }
    }
}

/// Retrial finding 6 (R6, R17): a newer export in which source user B takes the email that
/// source user A gives up (A renamed to a new one) renames both, whatever the row order — the
/// row that meets the name before its holder moves is tried again at the end of the run —
/// in the dry run and the import alike, and the store is the same in both orders.
#[test]
fn r17_renames_that_pass_an_email_on_do_not_depend_on_row_order() {
    for order in [["b", "a"], ["a", "b"]] {
        let env = Env::new();
        env.write(
            "v1.ndjson",
            &[
                a0("auth0|1", "a@x.com", None, Some(BCRYPT_UU)),
                a0("auth0|2", "b@x.com", None, Some(BCRYPT_UU)),
            ]
            .join("\n"),
        );
        pool(
            &env,
            "p",
            "v1.ndjson",
            &["--mode", "jit", "--tenant", "fixed:t"],
        );
        assert_eq!(import(&env, &["--pool", "p"]).0, Some(0));
        let rows: Vec<String> = order
            .iter()
            .map(|w| match *w {
                "b" => a0("auth0|2", "a@x.com", None, Some(BCRYPT_UU)),
                _ => a0("auth0|1", "c@x.com", None, Some(BCRYPT_UU)),
            })
            .collect();
        env.write("v2.ndjson", &rows.join("\n"));
        for dry in [true, false] {
            let mut args = vec!["--pool", "p", "--file", "v2.ndjson"];
            if dry {
                args.push("--dry-run");
            }
            let (code, s, stderr) = import(&env, &args);
            assert_eq!(code, Some(0), "{order:?} dry {dry}: {stderr}");
            assert_eq!(s["renamed"], 2, "{order:?} dry {dry}: {s:#}\n{stderr}");
            assert!(
                !stderr.contains("identifier_collision"),
                "{order:?} dry {dry}: {stderr}"
            );
        }
        let got: Vec<(String, String)> =
            names(&env).into_iter().map(|(id, x, _)| (id, x)).collect();
        assert_eq!(
            got,
            [
                ("a@x.com".to_owned(), "auth0|2".to_owned()),
                ("c@x.com".to_owned(), "auth0|1".to_owned())
            ],
            "{order:?}"
        );
    }
}

/// R6: two source users of one export file whose identifiers are one name (`same@x.com`,
/// `SAME@x.com`, Auth0 `user_id` 1 and 2) make a login by it ambiguous: refused, both lines
/// named, nothing written, as for an alias two records list; never the first in the file.
/// The same person listed twice (one source user ID) is not ambiguous.
#[test]
fn r6_one_identifier_of_two_source_users_in_one_file_is_refused() {
    let env = Env::new();
    let file = env.write(
        "a0.ndjson",
        &[
            a0("auth0|1", "same@x.com", None, Some(BCRYPT_ABC)),
            a0("auth0|2", "SAME@x.com", None, Some(BCRYPT_UU)),
            a0("auth0|3", "twice@x.com", None, Some(BCRYPT_ABC)),
            a0("auth0|3", "Twice@x.com", None, Some(BCRYPT_ABC)),
        ]
        .join("\n"),
    );
    pool(&env, "p", &file.to_string_lossy(), &["--mode", "jit"]);
    let before = snapshot(&env);
    for (typed, password) in [
        ("same@x.com", "abc"),
        ("SAME@x.com", "U*U"),
        ("Same@X.com", "abc"),
    ] {
        let t = refused(&env, typed, password, &["--commit"], "source_unavailable");
        let msg = t["message"].as_str().unwrap();
        assert!(
            msg.contains("lines 1 (source user auth0|1) and 2 (source user auth0|2)")
                && msg.contains("two people, one name"),
            "{msg}"
        );
    }
    assert_eq!(before, snapshot(&env), "nothing written");
    let t = authenticated(&env, "twice@x.com", "abc", &["--commit"]);
    assert_eq!(t["user"]["identifier"], "twice@x.com", "{t:#}");
    assert_eq!(users(&env, &[]).len(), 1);
}

/// `doctor` has a collision finding on `name` naming both source user IDs.
fn doctor_names_collision(env: &Env, name: &str, ids: [&str; 2]) {
    let findings = doctor(env);
    assert!(
        findings.iter().any(|(code, id, msg)| code == "collision"
            && id == name
            && ids.iter().all(|x| msg.contains(x))),
        "{name}: {findings:#?}"
    );
}

/// Fresh-user trial (major, R6, R17): A migrates while the export holds only A, whose username
/// `nora@example.net` becomes A's alias; then B, whose email that is, appears in the file. A
/// name is one person's only when the sources agree: the file now says `nora@example.net` is
/// B's. So neither B's password (once refused as "wrong password for 'a@x.org'", B locked out)
/// nor A's (once a login to A by B's email) is answered by A's local record: both are an
/// `identifier_collision` naming both records, in the dry run and with --commit, and nothing
/// is written; A still logs in by A's own email. An import of the file then does what it does
/// within one file (B's own identifier wins over A's alias): B lands, the alias leaves A, and
/// from then on the name is B's, at login too.
#[test]
fn r6_a_name_that_is_a_local_users_alias_and_another_source_users_identifier_is_refused() {
    let a = a0(
        "auth0|a",
        "a@x.org",
        Some("nora@example.net"),
        Some(BCRYPT_UU),
    );
    let b = a0(
        "auth0|b",
        "nora@example.net",
        Some("nora"),
        Some(BCRYPT_UUU),
    );
    for mode in ["jit", "passthrough", "sync"] {
        let env = Env::new();
        env.write("nora.ndjson", &a);
        pool(
            &env,
            "src",
            "nora.ndjson",
            &["--mode", mode, "--tenant", "auto"],
        );
        let first = authenticated(&env, "a@x.org", "U*U", &["--commit"]);
        let a_id = first["user"]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            show(&env, "nora@example.net")["user"]["id"],
            a_id.as_str(),
            "{mode}: the alias is recorded"
        );
        env.write("nora.ndjson", &[a.as_str(), b.as_str()].join("\n"));
        let before = snapshot(&env);
        for (who, password) in [("B", "U*U*"), ("A", "U*U")] {
            for extra in [&[][..], &["--commit"][..]] {
                let t = refused(
                    &env,
                    "nora@example.net",
                    password,
                    extra,
                    "identifier_collision",
                );
                let msg = t["message"].as_str().unwrap();
                for needle in [
                    a_id.as_str(),
                    "a@x.org",
                    "auth0|a",
                    "auth0|b",
                    "nora@example.net",
                    "pool src",
                ] {
                    assert!(msg.contains(needle), "{mode} {who}: {needle:?} in {msg}");
                }
                assert!(!msg.contains("wrong password"), "{mode} {who}: {msg}");
                assert_eq!(t["committed"], false, "{mode} {who}: {t:#}");
                assert_eq!(before, snapshot(&env), "{mode} {who} {extra:?}: written");
            }
        }
        if let Some(db) = sqlite_only::db(&env) {
            assert_eq!(auto_tenants(&db), 1, "{mode}: no tenant for B");
        }
        authenticated(&env, "a@x.org", "U*U", &[]);
        doctor_names_collision(&env, "nora@example.net", ["auth0|a", "auth0|b"]);
        if mode != "jit" {
            continue;
        }
        // The import gives the name to the record whose identifier it is (R6), as it does
        // for two records of one file, and the login then agrees.
        for dry in [true, false] {
            let mut args = vec!["--pool", "src"];
            if dry {
                args.push("--dry-run");
            }
            let (code, s, stderr) = import(&env, &args);
            assert_eq!(code, Some(0), "dry {dry}: {stderr}");
            assert_eq!(s["imported"], 1, "dry {dry}: {s:#}\n{stderr}");
            assert_eq!(s["skipped"], 1, "dry {dry}: {s:#}\n{stderr}");
            assert_eq!(s["by_reason"]["already_migrated"], 1, "dry {dry}: {s:#}");
            assert!(
                stderr.contains("line 2: alias_moved nora@example.net") && stderr.contains(&a_id),
                "dry {dry}: {stderr}"
            );
        }
        assert_eq!(
            names(&env),
            [
                ("a@x.org".to_owned(), "auth0|a".to_owned(), vec![]),
                (
                    "nora@example.net".to_owned(),
                    "auth0|b".to_owned(),
                    vec!["nora".to_owned()]
                ),
            ]
        );
        let t = authenticated(&env, "nora@example.net", "U*U*", &[]);
        assert_eq!(t["user"]["identifier"], "nora@example.net", "{t:#}");
        refused(&env, "nora@example.net", "U*U", &[], "wrong_password");
        authenticated(&env, "a@x.org", "U*U", &[]);
    }
}

/// The two-pool case of the trial: A (pool p1) has the username `b@example.com`, which is B's
/// email (pool p2); B's username is `bee`.
fn two_pools(env: &Env, order: [&str; 2]) {
    env.write(
        "p1.ndjson",
        &a0(
            "auth0|a",
            "a@example.com",
            Some("b@example.com"),
            Some(BCRYPT_UU),
        ),
    );
    env.write(
        "p2.ndjson",
        &a0("auth0|b", "b@example.com", Some("bee"), Some(BCRYPT_UUU)),
    );
    for name in order {
        let file = format!("{name}.ndjson");
        pool(env, name, &file, &["--mode", "jit", "--tenant", "auto"]);
    }
}

/// Fresh-user trial (major, R6, R17), two pools in either login order: a first login by
/// `b@example.com` that p1 answers as A's alias is refused, as p2 has it as B's identifier;
/// after A's JIT login by email records `b@example.com` as A's alias, a login by that name, with B's password (once "wrong
/// password for 'a@example.com'") or A's, is an `identifier_collision` naming both records and
/// both pools, nothing written; `doctor` reports it. Importing p2 then gives B the name (a
/// record's own identifier wins over another record's alias, across pools as within one), and
/// the logins follow.
#[test]
fn r6_a_jit_alias_that_another_pools_user_has_as_identifier_is_refused_at_login() {
    for order in [["p1", "p2"], ["p2", "p1"]] {
        let env = Env::new();
        two_pools(&env, order);
        if order[0] == "p1" {
            // Before anything is migrated, p1 answers for the name as A's alias: A is not
            // migrated by it (no login records a disputed name as an alias).
            let before = snapshot(&env);
            let t = refused(
                &env,
                "b@example.com",
                "U*U",
                &["--commit"],
                "identifier_collision",
            );
            let msg = t["message"].as_str().unwrap();
            for needle in ["pool p1", "auth0|a", "pool p2", "auth0|b"] {
                assert!(msg.contains(needle), "{needle:?} in {msg}");
            }
            assert_eq!(before, snapshot(&env), "written");
        }
        let first = authenticated(&env, "a@example.com", "U*U", &["--commit"]);
        assert_eq!(first["user"]["pool"], "p1", "{order:?}");
        let a_id = first["user"]["id"].as_str().unwrap().to_owned();
        let before = snapshot(&env);
        for password in ["U*U*", "U*U"] {
            for extra in [&[][..], &["--commit"][..]] {
                let t = refused(
                    &env,
                    "b@example.com",
                    password,
                    extra,
                    "identifier_collision",
                );
                let msg = t["message"].as_str().unwrap();
                for needle in [
                    a_id.as_str(),
                    "a@example.com",
                    "pool p1",
                    "auth0|a",
                    "pool p2",
                    "auth0|b",
                ] {
                    assert!(msg.contains(needle), "{order:?}: {needle:?} in {msg}");
                }
                assert!(!msg.contains("wrong password"), "{order:?}: {msg}");
                assert_eq!(before, snapshot(&env), "{order:?} {extra:?}: written");
            }
        }
        authenticated(&env, "a@example.com", "U*U", &[]);
        doctor_names_collision(&env, "b@example.com", ["auth0|a", "auth0|b"]);
        let (code, s, stderr) = import(&env, &["--pool", "p2"]);
        assert_eq!(
            (code, s["imported"].as_u64(), s["skipped"].as_u64()),
            (Some(0), Some(1), Some(0)),
            "{order:?}: {s:#}\n{stderr}"
        );
        assert!(
            stderr.contains("alias_moved b@example.com") && stderr.contains(&a_id),
            "{order:?}: {stderr}"
        );
        let t = authenticated(&env, "b@example.com", "U*U*", &[]);
        assert_eq!(t["user"]["pool"], "p2", "{order:?}: {t:#}");
        refused(&env, "b@example.com", "U*U", &[], "wrong_password");
        authenticated(&env, "a@example.com", "U*U", &[]);
    }
}

/// Fresh-user trial (major, R6, R17): importing p1 then p2 once skipped B as
/// `identifier_exists: a migrated user of pool p1 has this identifier` (it is A's alias) and
/// left the name A's, while p2 then p1 gave it to B. A record's own identifier wins over
/// another record's alias across pools too, so both orders (dry runs alike) store the same
/// users, every row lands, the name that moves or is not kept is reported as an alias, and
/// the logins agree: B by email, A by A's email only.
#[test]
fn r6_importing_two_pools_gives_a_name_to_its_identifiers_record_in_either_order() {
    let expected = vec![
        ("a@example.com".to_owned(), "auth0|a".to_owned(), vec![]),
        (
            "b@example.com".to_owned(),
            "auth0|b".to_owned(),
            vec!["bee".to_owned()],
        ),
    ];
    for imports in [["p1", "p2"], ["p2", "p1"]] {
        let env = Env::new();
        two_pools(&env, ["p1", "p2"]);
        for (n, p) in imports.into_iter().enumerate() {
            for dry in [true, false] {
                let mut args = vec!["--pool", p];
                if dry {
                    args.push("--dry-run");
                }
                let (code, s, stderr) = import(&env, &args);
                assert_eq!(code, Some(0), "{imports:?} {p} dry {dry}: {stderr}");
                assert_eq!(
                    (s["imported"].as_u64(), s["skipped"].as_u64()),
                    (Some(1), Some(0)),
                    "{imports:?} {p} dry {dry}: {s:#}\n{stderr}"
                );
                assert!(
                    !stderr.contains("identifier_exists")
                        && !stderr.contains("has this identifier"),
                    "{imports:?} {p} dry {dry}: {stderr}"
                );
                // The second import reports the one name that does not stay with A.
                let reported: Vec<&str> = stderr
                    .lines()
                    .filter(|l| l.contains("'b@example.com'"))
                    .collect();
                assert_eq!(reported.len(), n, "{imports:?} {p} dry {dry}: {stderr}");
                assert!(
                    reported.iter().all(|l| l.contains("alias")),
                    "{imports:?} {p} dry {dry}: {stderr}"
                );
            }
        }
        assert_eq!(names(&env), expected, "{imports:?}");
        let t = authenticated(&env, "b@example.com", "U*U*", &[]);
        assert_eq!(t["user"]["pool"], "p2", "{imports:?}: {t:#}");
        refused(&env, "b@example.com", "U*U", &[], "wrong_password");
        authenticated(&env, "a@example.com", "U*U", &[]);
        authenticated(&env, "bee", "U*U*", &[]);
    }
}

/// Fresh-user trial (R6, R7): when the user holding a row's identifier as an alias keeps it (a
/// shadow copy, which an import never edits), the row is skipped as `identifier_exists` with a
/// detail that says it is that user's alias and names the user, not "has this identifier";
/// a login by the name is refused as a collision, as the import refuses the row.
#[test]
fn r6_an_import_row_meeting_a_shadow_users_alias_says_it_is_an_alias() {
    let env = Env::new();
    env.write(
        "p1.ndjson",
        &a0(
            "auth0|a",
            "a@example.com",
            Some("b@example.com"),
            Some(BCRYPT_UU),
        ),
    );
    env.write(
        "p2.ndjson",
        &a0("auth0|b", "b@example.com", Some("bee"), Some(BCRYPT_UUU)),
    );
    pool(
        &env,
        "p1",
        "p1.ndjson",
        &["--mode", "passthrough", "--tenant", "auto"],
    );
    pool(
        &env,
        "p2",
        "p2.ndjson",
        &["--mode", "jit", "--tenant", "auto"],
    );
    let a = authenticated(&env, "a@example.com", "U*U", &["--commit"]);
    let a_id = a["user"]["id"].as_str().unwrap().to_owned();
    for dry in [true, false] {
        let mut args = vec!["--pool", "p2"];
        if dry {
            args.push("--dry-run");
        }
        let (code, s, stderr) = import(&env, &args);
        assert_eq!(code, Some(0), "dry {dry}: {stderr}");
        assert_eq!(s["by_reason"]["identifier_exists"], 1, "dry {dry}: {s:#}");
        assert!(
            stderr.contains("has this name as an alias")
                && stderr.contains(&a_id)
                && !stderr.contains("has this identifier"),
            "dry {dry}: {stderr}"
        );
    }
    let t = refused(&env, "b@example.com", "U*U*", &[], "identifier_collision");
    let msg = t["message"].as_str().unwrap();
    assert!(msg.contains(&a_id) && msg.contains("auth0|b"), "{msg}");
}
