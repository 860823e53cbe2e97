//! `pools audit`: every operator change is recorded in its own transaction, with who, when and
//! the record before and after, and no secret (R11).

use crate::sqlite_only;
use crate::*;
use serde_json::Value;

fn entries(env: &Env, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", "-o", "json"];
    args.extend_from_slice(extra);
    let all = serde_json::from_str::<Value>(&env.ok(&args)).unwrap();
    // On the server backend, the suite's own set-up (its admin token, made and revoked
    // locally) is not the test's.
    all.as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            env.backend != crate::Backend::Server
                || !e["action"].as_str().unwrap_or("").starts_with("token.")
        })
        .cloned()
        .collect()
}

/// Who the audit log names for the test's commands: the OS user and host, or through the
/// server the token's name (issue 11).
fn actor(env: &Env) -> String {
    match env.backend {
        crate::Backend::Server => format!("token:{}", crate::SUITE_TOKEN_NAME),
        crate::Backend::Sqlite => tester(),
    }
}

/// The name of this machine, as the kernel holds it (the audit log names the OS's host name).
fn host() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    if !name.is_empty() {
        return name;
    }
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length.
    assert_eq!(
        unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) },
        0
    );
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).trim().to_owned()
}

/// The account the tests run as, as `id -un` prints it (the password database's name).
fn account() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Who the log names for the commands of these tests: the account, whatever `USER` says
/// (tests/cli/main.rs sets `USER=tester`).
fn tester() -> String {
    format!("local:{}@{}", account(), host())
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
/// import run: each is one entry, in order, naming the OS user and host, with RFC 3339 times and the
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
        assert_eq!(e["actor"], actor(&env).as_str(), "{e:#}");
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
    // R11: nothing secret anywhere the log is kept or shown. The stored hash and the log's
    // own rows are read from the store's tables, on SQLite only.
    let (hash, rows): (Option<String>, Option<String>) = match sqlite_only::db(&env) {
        Some(db) => (
            Some(
                db.query_row(
                    "SELECT password_hash FROM users WHERE ident_key = 'kim@example.com'",
                    [],
                    |r| r.get(0),
                )
                .unwrap(),
            ),
            Some(
                db.query_row(
                    "SELECT group_concat(coalesce(before, '') || coalesce(after, '') || target, '|') FROM audit",
                    [],
                    |r| r.get(0),
                )
                .unwrap(),
            ),
        ),
        None => (None, None),
    };
    let table = env.ok(&["audit"]);
    let json = serde_json::to_string(&all).unwrap();
    for shown in [Some(&json), rows.as_ref(), Some(&table)]
        .into_iter()
        .flatten()
    {
        for s in [Some(secret), Some(password), hash.as_deref()]
            .into_iter()
            .flatten()
        {
            assert!(!shown.contains(s), "secret {s:?} in the audit log: {shown}");
        }
    }
    assert!(
        table.contains("pool.delete") && table.contains(&actor(&env)),
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

/// Issue 9 (audit), retrial 2 finding 6: a local command's actor is `local:USER@HOST`, the
/// account the process runs as and the machine's host name. `USER` and `LOGNAME` do not
/// change it (they are anyone's to set), and the control characters they may hold never reach
/// the log.
#[test]
fn the_actor_of_a_local_command_is_user_at_host() {
    let env = Env::new();
    env.export_pool("a");
    env.cmd()
        .env("USER", "ceo\u{1b}[31m")
        .env("LOGNAME", "logged")
        .args(["reorder", "a"])
        .assert()
        .success();
    env.cmd()
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(["delete", "a", "--yes"])
        .assert()
        .success();
    let actors: Vec<String> = entries(&env, &[])
        .iter()
        .map(|e| e["actor"].as_str().unwrap().to_owned())
        .collect();
    let host = host();
    assert!(!host.is_empty());
    assert!(actors.len() >= 3, "{actors:?}");
    // Through the server, the actor is the token's name (issue 11), not the OS user.
    let expected = match env.backend {
        crate::Backend::Server => format!("token:{}", crate::SUITE_TOKEN_NAME),
        crate::Backend::Sqlite => format!("local:{}@{host}", account()),
    };
    for a in &actors {
        assert_eq!(a, &expected);
        assert!(!a.contains('\u{1b}') && !a.contains("ceo"), "{a:?}");
    }
}

/// A UUID v7 as text: 8-4-4-4-12 lower-case hex digits, version 7, RFC 9562 variant.
fn is_uuid_v7(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|i| b[*i] == b'-')
        && s.chars()
            .enumerate()
            .all(|(i, c)| [8, 13, 18, 23].contains(&i) || matches!(c, '0'..='9' | 'a'..='f'))
        && b[14] == b'7'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// Issue 9 (audit): every entry carries the request ID of the command that wrote it, a UUID
/// v7 shown as `request_id`: the same for all the entries of one command (a pool created and
/// the order it changed; every pool of one `apply`), another for each command.
#[test]
fn one_request_id_per_command_shared_by_its_entries() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    env.write(
        "p.yaml",
        "pools:\n- name: c\n  type: external\n  source: export\n  file: users.csv\n- name: d\n  type: external\n  source: export\n  file: users.csv\n",
    );
    env.ok(&["apply", "-f", "p.yaml", "--yes"]);
    // Without the suite's own token on a server backend.
    let all: Vec<_> = entries(&env, &[])
        .into_iter()
        .filter(|e| e["action"] != "token.create")
        .collect();
    let by_command: Vec<(String, String)> = all
        .iter()
        .map(|e| {
            let id = e["request_id"].as_str().unwrap_or_else(|| panic!("{e:#}"));
            assert!(is_uuid_v7(id), "{id}");
            (e["action"].as_str().unwrap().to_owned(), id.to_owned())
        })
        .collect();
    let ids: Vec<&str> = by_command.iter().map(|(_, id)| id.as_str()).collect();
    // create a: pool.create, order.set; create b: the same; apply: c, d (and the order).
    assert!(ids.len() >= 6, "{all:#?}");
    assert_eq!(by_command[4].0, "pool.create", "{by_command:#?}");
    assert_eq!(by_command[5].0, "pool.create", "{by_command:#?}");
    assert!(ids[0] == ids[1] && ids[2] == ids[3], "{by_command:#?}");
    assert!(ids[4..].iter().all(|id| *id == ids[4]), "{by_command:#?}");
    let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "one ID per command: {by_command:#?}");
}
