//! `pools audit`: every operator change is recorded in its own transaction, with who, when and
//! the record before and after, and no secret (R11).

use crate::*;
use serde_json::Value;

fn entries(env: &Env, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", "-o", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str::<Value>(&env.ok(&args))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn actions(list: &[Value]) -> Vec<(String, String)> {
    list.iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Pools created, configured, reordered and deleted, a user created and given metadata, an
/// import run: each is one entry, in order, naming the OS user, with RFC 3339 times and the
/// settings before and after. A refused change leaves no entry. Neither the client secret, nor
/// the password, nor its hash appear in the table, the JSON or the store's audit rows (R11).
/// `--pool` and `--since` filter; a `--since` that is no time is a usage error (exit 2).
#[test]
fn audit_log_records_each_change_with_who_when_and_no_secret() {
    let env = Env::new();
    env.write("users.csv", "email,password_hash\nlee@example.com,\n");
    let secret = "Sup3r-s3cret-client-value";
    let password = "Audit-pass-word-1";
    env.ok_with_stdin(
        &[
            "create",
            "a0",
            "--type",
            "external",
            "--source",
            "auth0",
            "--domain",
            "acme.auth0.com",
            "--client-id",
            "c",
            "--client-secret",
            "-",
            "--tenant",
            "fixed:x",
        ],
        secret,
    );
    env.export_pool("ex");
    env.ok(&["configure", "a0", "--allow", "social"]);
    env.refused(
        &["configure", "a0", "--allow", "social", "--if-version", "1"],
        CONFLICT,
        &["R12"],
    );
    env.ok(&["reorder", "ex", "a0"]);
    env.ok_with_stdin(
        &["users", "create", "kim@example.com", "--password-stdin"],
        password,
    );
    env.ok(&["users", "set-metadata", "kim@example.com", "plan=pro"]);
    env.ok(&["users", "import", "--pool", "ex", "-q"]);
    env.ok(&["delete", "a0", "--yes"]);
    let all = entries(&env, &[]);
    let got: Vec<(String, String)> = actions(&all)
        .into_iter()
        .map(|(a, t)| {
            (
                a,
                if t.starts_with("usr_") {
                    "user".into()
                } else if t.starts_with('/') {
                    "file".into()
                } else {
                    t
                },
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("pool.create", "a0"),
        ("order.set", "order"),
        ("pool.create", "ex"),
        ("order.set", "order"),
        ("pool.update", "a0"),
        ("order.set", "order"),
        ("user.create", "user"),
        ("user.set_metadata", "user"),
        ("users.import", "file"),
        ("pool.delete", "a0"),
        ("order.set", "order"),
    ]
    .iter()
    .map(|(a, t)| (a.to_string(), t.to_string()))
    .collect();
    assert_eq!(got, want, "{all:#?}");
    let seqs: Vec<u64> = all.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    for e in &all {
        assert_eq!(e["actor"], "cli:tester", "{e:#}");
        let at = e["at"].as_str().unwrap();
        assert!(at.ends_with('Z') && at.len() == 24, "{at}");
    }
    let update = &all[4];
    assert_eq!(update["before"]["allow"], Value::Null, "{update:#}");
    assert_eq!(update["after"]["allow"][0], "social", "{update:#}");
    assert!(
        update["after"]["client_secret"]
            .as_str()
            .unwrap()
            .starts_with("keyring:")
    );
    let meta = &all[7];
    assert_eq!(meta["after"]["metadata"]["plan"], "pro", "{meta:#}");
    assert_eq!(meta["before"]["metadata"]["plan"], Value::Null, "{meta:#}");
    // R11: nothing secret anywhere the log is kept or shown.
    let hash: String = {
        let db = rusqlite::Connection::open(env.store()).unwrap();
        db.query_row(
            "SELECT password_hash FROM users WHERE ident_key = 'kim@example.com'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let rows: String = {
        let db = rusqlite::Connection::open(env.store()).unwrap();
        db.query_row(
            "SELECT group_concat(coalesce(before, '') || coalesce(after, '') || target, '|') FROM audit",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let table = env.ok(&["audit"]);
    for shown in [&serde_json::to_string(&all).unwrap(), &rows, &table] {
        for s in [secret, password, hash.as_str()] {
            assert!(!shown.contains(s), "secret {s:?} in the audit log: {shown}");
        }
    }
    assert!(
        table.contains("pool.delete") && table.contains("cli:tester"),
        "{table}"
    );
    // Filters.
    let a0 = actions(&entries(&env, &["--pool", "a0"]));
    assert_eq!(
        a0.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        ["pool.create", "pool.update", "pool.delete"]
    );
    assert!(entries(&env, &["--since", "2999-01-01"]).is_empty());
    assert_eq!(
        entries(&env, &["--since", "2000-01-01T00:00:00Z"]).len(),
        all.len()
    );
    env.refused(
        &["audit", "--since", "yesterday"],
        USAGE,
        &["--since", "RFC 3339"],
    );
}

/// A mistyped `--pool` is not an empty log (exit 3), as every other `--pool` filter; a pool
/// that was deleted keeps its entries and is still a filter.
#[test]
fn audit_pool_filter_names_a_pool_that_is_or_was() {
    let env = Env::new();
    env.export_pool("ex");
    env.refused(&["audit", "--pool", "nope"], 3, &["pool 'nope' not found"]);
    env.refused(&["audit", "--pool", "nope", "-o", "json"], 3, &["nope"]);
    env.ok(&["delete", "ex", "--yes"]);
    let gone = entries(&env, &["--pool", "ex"]);
    assert_eq!(
        actions(&gone).last().unwrap(),
        &("pool.delete".to_owned(), "ex".to_owned())
    );
}

/// Enabling or disabling a sign-in method is a change of the environment, and security
/// relevant (R8, R9): the log names the setting and its value before and after; setting a
/// method to what it is already writes nothing.
#[test]
fn audit_log_records_sign_in_method_changes() {
    let env = Env::new();
    env.ok(&["methods", "enable", "social"]);
    env.ok(&["methods", "enable", "social"]);
    env.ok(&["methods", "disable", "social"]);
    let list = entries(&env, &[]);
    let set: Vec<&Value> = list
        .iter()
        .filter(|e| e["action"] == "setting.set")
        .collect();
    assert_eq!(set.len(), 2, "{list:?}");
    assert!(
        set[0]["target"].as_str().unwrap().contains("social"),
        "{set:?}"
    );
    assert!(set[0].get("before").is_none(), "{set:?}");
    assert_eq!(set[1]["before"], set[0]["after"], "{set:?}");
    assert_ne!(set[1]["after"], set[0]["after"], "{set:?}");
}
