//! `pools users restore`: what `users export` wrote goes back into a store (issue 8; R6, R10,
//! R11, R12, R17).

use crate::import::HELLO_BCRYPT;
use crate::*;
use serde_json::Value;

/// A store with the kinds of users a store holds: two users imported from a Keycloak export
/// (source user IDs, a username alias each), one of whom logged in since (hash upgraded) and
/// has metadata; a user migrated by a JIT login from a CSV pool; a shadow copy of a
/// passthrough pool; a native user.
fn source_store() -> Env {
    let env = Env::new();
    std::fs::copy(
        repo().join("tests/fixtures/exports/keycloak-realm-export.json"),
        env.path("kc.json"),
    )
    .unwrap();
    env.write(
        "jit.csv",
        &format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n"),
    );
    env.write(
        "pt.csv",
        &format!("email,password_hash,tenant_id\ns@x.org,{HELLO_BCRYPT},acme\n"),
    );
    for (name, file, mode, tenant) in [
        ("kc", "kc.json", "jit", "fixed:acme"),
        ("jit", "jit.csv", "jit", "auto"),
        ("pt", "pt.csv", "passthrough", "property:tenant_id"),
    ] {
        env.ok(&[
            "create", name, "--type", "external", "--source", "export", "--file", file, "--mode",
            mode, "--tenant", tenant,
        ]);
    }
    env.ok(&["users", "import", "--pool", "kc"]);
    login(&env, "user1", "password");
    login(&env, "a@x.org", "hello");
    login(&env, "s@x.org", "hello");
    env.cmd()
        .args(["users", "create", "n@x.org", "--password-stdin"])
        .write_stdin("native-pw")
        .assert()
        .success();
    env.ok(&[
        "users",
        "set-metadata",
        "user1@legacy.example.org",
        "plan=pro",
    ]);
    env.ok(&["users", "set-metadata", "n@x.org", "seats=5"]);
    env
}

/// `simulate-login --commit` that must succeed; returns its JSON report.
fn login(env: &Env, who: &str, password: &str) -> Value {
    let out = env
        .cmd()
        .args([
            "simulate-login",
            who,
            "--password-stdin",
            "--commit",
            "-o",
            "json",
        ])
        .write_stdin(password)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "login {who}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn users(env: &Env) -> String {
    env.ok(&["users", "list", "-o", "json"])
}

/// A fresh store with `source`'s pools applied.
fn target(source: &Env) -> Env {
    let env = Env::new();
    env.write("pools.yaml", &source.export());
    env.ok(&["apply", "-f", "pools.yaml"]);
    env
}

/// `users restore --file FILE -o json`: exit code, summary, stderr.
fn restore(env: &Env, file: &str) -> (Option<i32>, Value, String) {
    let out = env.run(&["users", "restore", "--file", file, "-o", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let summary = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    // R11: hashes never printed, whatever the outcome.
    for text in [&stderr, &String::from_utf8_lossy(&out.stdout).into_owned()] {
        assert!(
            !text.contains("$argon2id$v=")
                && !text.contains("$2b$10$")
                && !text.contains("$keycloak-pbkdf2"),
            "{text}"
        );
    }
    (out.status.code(), summary, stderr)
}

fn counts(s: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| s[k].as_u64().unwrap_or(u64::MAX);
    (n("read"), n("restored"), n("unchanged"), n("refused"))
}

/// The round trip, in NDJSON and in CSV: the restored store lists the same users (IDs,
/// tenants, times, versions, profiles, metadata), a restored user logs in with its old
/// password from the local store alone, also by its alias (R6), and restoring again is a
/// no-op. The pool's source user IDs came along: an import of the source's export renames
/// the user the source renamed instead of making a second one (R17).
#[test]
fn export_with_hashes_restores_the_same_store() {
    let source = source_store();
    let expected = users(&source);
    assert_eq!(
        serde_json::from_str::<Vec<Value>>(&expected).unwrap().len(),
        5
    );
    for format in ["ndjson", "csv"] {
        let backup = source.ok(&["users", "export", "--include-hashes", "--format", format]);
        let env = target(&source);
        env.write("backup", &backup);
        let (code, s, stderr) = restore(&env, "backup");
        assert_eq!(code, Some(0), "{format}: {stderr}");
        assert_eq!(counts(&s), (5, 5, 0, 0), "{format}: {s}");
        assert_eq!(s["format"], format);
        assert_eq!(s["has_hashes"], true);
        // Only the shadow copy needs its pool (R10).
        assert_eq!(s["need_pool"], 1, "{s}");
        assert_eq!(users(&env), expected, "{format}");

        let (code, s, stderr) = restore(&env, "backup");
        assert_eq!(code, Some(0), "{format}: {stderr}");
        assert_eq!(counts(&s), (5, 0, 5, 0), "{format}: twice is a no-op: {s}");
        assert_eq!(users(&env), expected, "{format}");

        // The local store answers: no pool is asked for these passwords.
        for (who, password) in [
            ("user1@legacy.example.org", "password"),
            ("USER1", "password"),
            ("sam.sha512", "Summit-path-4"),
            ("a@x.org", "hello"),
            ("n@x.org", "native-pw"),
        ] {
            let r = login(&env, who, password);
            assert_eq!(r["outcome"], "authenticated", "{who}: {r}");
            for step in r["steps"].as_array().unwrap() {
                assert_eq!(step["asked"], "local store", "{format} {who}: {r}");
            }
        }

        // R17: the source renamed user1; its import meets the restored user by source user
        // ID and renames it, as in the source store.
        let kc = std::fs::read_to_string(source.path("kc.json"))
            .unwrap()
            .replace("user1@legacy.example.org", "user1.new@legacy.example.org");
        env.write("kc-renamed.json", &kc);
        let out = env.run(&[
            "users",
            "import",
            "--pool",
            "kc",
            "--file",
            "kc-renamed.json",
            "-o",
            "json",
        ]);
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(s["renamed"], 1, "{format}: {s}");
        let listed: Vec<Value> = serde_json::from_str(&users(&env)).unwrap();
        assert_eq!(listed.len(), 5, "{format}: no second user");
        assert!(
            listed
                .iter()
                .any(|u| u["identifier"] == "user1.new@legacy.example.org"),
            "{format}"
        );
    }
}

/// R10: a backup without hashes restores the users, and the summary says which of them need
/// their pool to log in (and that native users cannot), on stdout and in `-o json`.
#[test]
fn a_backup_without_hashes_says_who_needs_their_pool() {
    let source = source_store();
    let env = target(&source);
    env.write("backup.ndjson", &source.ok(&["users", "export"]));
    let (code, s, stderr) = restore(&env, "backup.ndjson");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(counts(&s), (5, 5, 0, 0));
    assert_eq!(
        (
            &s["has_hashes"],
            &s["need_pool"],
            &s["native_without_password"]
        ),
        (&Value::Bool(false), &Value::from(4), &Value::from(1)),
        "{s}"
    );
    let env = target(&source);
    env.write(
        "backup.csv",
        &source.ok(&["users", "export", "--format", "csv"]),
    );
    let text = env.ok(&["users", "restore", "--file", "backup.csv"]);
    assert!(
        text.contains("read 5, restored 5, unchanged 0, refused 0"),
        "{text}"
    );
    assert!(text.contains("no password hashes"), "{text}");
    assert!(
        text.contains("4 restored users log in through their pool"),
        "{text}"
    );
    assert!(text.contains("(R10)"), "{text}");
    // The pool checks the first password again (R17), as before the backup.
    let r = login(&env, "user1", "password");
    assert!(
        r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["asked"].as_str().unwrap().contains("kc")),
        "{r}"
    );
}

/// A user whose pool is not in the store is refused with the pool named and the fix (apply
/// the pools first), and not written; the others are restored (exit 5).
#[test]
fn a_user_of_a_missing_pool_is_refused() {
    let source = source_store();
    let env = Env::new();
    env.write(
        "backup",
        &source.ok(&["users", "export", "--include-hashes"]),
    );
    let (code, s, stderr) = restore(&env, "backup");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(counts(&s), (5, 1, 0, 4), "{s}");
    assert_eq!(s["by_reason"]["unknown_pool"], 4);
    for needle in [
        "refused user1@legacy.example.org (unknown_pool): pool 'kc' is not in this store",
        "pools apply -f pools.yaml",
        "pool 'pt'",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    let listed: Vec<Value> = serde_json::from_str(&users(&env)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["identifier"], "n@x.org");
    // With the pools applied, the same file restores the rest.
    env.write("pools.yaml", &source.export());
    env.ok(&["apply", "-f", "pools.yaml"]);
    let (code, s, _) = restore(&env, "backup");
    assert_eq!((code, counts(&s)), (Some(0), (5, 4, 1, 0)));
    assert_eq!(users(&env), users(&source));
}

/// Never overwrite: the same ID with other content, the same identifier (or alias) under
/// another ID, and the same source user ID under another ID are conflicts reported per row;
/// nothing of such a row is written, the other rows are (R6, R12, R17).
#[test]
fn conflicting_rows_are_refused_and_write_nothing() {
    let source = source_store();
    let env = target(&source);
    let backup = source.ok(&["users", "export", "--include-hashes"]);
    env.write("backup", &backup);
    restore(&env, "backup");
    let before = users(&env);
    let line = |who: &str| -> Value {
        backup
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|u| u["identifier"] == who)
            .unwrap()
    };
    let mut changed = line("a@x.org");
    changed["metadata"] = serde_json::json!({"plan": "free"});
    let mut same_name = line("n@x.org");
    same_name["id"] = "usr_00000000000000000000000000000001".into();
    let mut alias_taken = line("n@x.org");
    alias_taken["id"] = "usr_00000000000000000000000000000002".into();
    alias_taken["identifier"] = "other@x.org".into();
    alias_taken["aliases"] = serde_json::json!(["sam.sha512"]);
    let mut same_source = line("sam.sha512@legacy.example.org");
    same_source["id"] = "usr_00000000000000000000000000000003".into();
    same_source["identifier"] = "sam.new@legacy.example.org".into();
    same_source["aliases"] = serde_json::json!([]);
    let mut fresh = line("n@x.org");
    fresh["id"] = "usr_00000000000000000000000000000004".into();
    fresh["identifier"] = "fresh@x.org".into();
    let rows = [changed, same_name, alias_taken, same_source, fresh];
    env.write(
        "conflicts",
        &rows.iter().map(|r| format!("{r}\n")).collect::<String>(),
    );
    let (code, s, stderr) = restore(&env, "conflicts");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(counts(&s), (5, 1, 0, 4), "{s}");
    for needle in [
        "line 1: refused a@x.org (id_conflict):",
        "with another metadata: not overwritten",
        "line 2: refused n@x.org (identifier_conflict): its identifier 'n@x.org' is already local user",
        "line 3: refused other@x.org (identifier_conflict): its alias 'sam.sha512'",
        "line 4: refused sam.new@legacy.example.org (source_id_conflict): source user 66666666-7777-4888-9999-aaaaaaaaaaaa of pool kc",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    let mut after: Vec<Value> = serde_json::from_str(&users(&env)).unwrap();
    after.retain(|u| u["identifier"] != "fresh@x.org");
    assert_eq!(
        after,
        serde_json::from_str::<Vec<Value>>(&before).unwrap(),
        "refused rows wrote nothing"
    );
}

/// Invalid rows are refused with their line and reason, through the import's limits
/// (crate::limits); the rows around them are restored. A file that is no backup, or holds no
/// user, is refused whole (exit 5).
#[test]
fn invalid_rows_are_refused_with_line_and_reason() {
    let source = source_store();
    let env = target(&source);
    let backup = source.ok(&["users", "export", "--include-hashes"]);
    let mut lines: Vec<String> = backup.lines().map(str::to_owned).collect();
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let too_deep = lines[0].replace(
        "\"metadata\":{}",
        &format!("\"metadata\":{{\"deep\":{deep}}}"),
    );
    assert!(
        serde_json::from_str::<Value>(&too_deep).is_ok(),
        "{too_deep}"
    );
    lines.insert(1, "{\"id\": \"usr_1\", \"identifier\": \"broken".into());
    lines.insert(2, too_deep);
    lines.insert(
        3,
        lines[0].replace("\"version\":", "\"colour\":\"red\",\"version\":"),
    );
    lines.insert(4, lines[0].replace("\"origin\":\"", "\"origin\":\"alien"));
    let hash_at = lines[0].find("\"password_hash\":\"").unwrap() + 17;
    let mut wrong_hash = lines[0].clone();
    wrong_hash.insert(hash_at, 'x');
    lines.insert(5, wrong_hash);
    env.write("backup", &(lines.join("\n") + "\n"));
    let (code, s, stderr) = restore(&env, "backup");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(counts(&s), (10, 5, 0, 5), "{s}");
    for needle in [
        "line 2: refused - (unreadable): EOF while parsing",
        // A line refused before it is read as a record still names its user (issue 8, F1).
        "line 3: refused a@x.org (too_deep): record field `metadata` nests deeper than 32 levels",
        "line 4: refused a@x.org (invalid_record): unknown field `colour`",
        "line 5: refused a@x.org (invalid_record): origin: \"alien",
        "line 6: refused a@x.org (unusable_hash):",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    assert_eq!(users(&env), users(&source));

    // CSV: a row with a cell too many, and a tenant with a control character.
    let env = target(&source);
    let csv = source.ok(&["users", "export", "--include-hashes", "--format", "csv"]);
    let mut rows: Vec<String> = csv.lines().map(str::to_owned).collect();
    let user1 = rows
        .iter()
        .find(|r| r.starts_with("user1@"))
        .unwrap()
        .clone();
    rows.insert(2, format!("{},extra", rows[1]));
    rows.insert(3, user1.replacen(",acme,", ",ac\u{1b}me,", 1));
    env.write("backup.csv", &(rows.join("\r\n") + "\r\n"));
    let (code, s, stderr) = restore(&env, "backup.csv");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(counts(&s), (7, 5, 0, 2), "{s}");
    assert!(
        stderr.contains("line 3: refused - (unreadable): the row has 20 fields, the header 19"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: refused") && stderr.contains("(invalid_tenant)"),
        "{stderr}"
    );
    assert_eq!(users(&env), users(&source));

    // Whole files: no user, not a backup, a header of another export.
    let env = target(&source);
    let header = csv.lines().next().unwrap();
    for (text, needle) in [
        (
            "[{\"email\": \"a@x.org\"}]".to_owned(),
            "not a backup written by `pools users export`",
        ),
        (
            format!("email,password_hash\na@x.org,{HELLO_BCRYPT}\n"),
            "not a backup",
        ),
        (format!("{header},colour\n"), "unknown column(s) \"colour\""),
        (
            "identifier,id,origin\n".to_owned(),
            "the header lacks pool,",
        ),
        (String::new(), "--file"),
    ] {
        env.write("f", &text);
        let stderr = env.refused(&["users", "restore", "--file", "f"], VALIDATION, &[needle]);
        assert!(!stderr.contains(HELLO_BCRYPT), "{stderr}");
    }
    assert_eq!(users(&env), "[]\n");
}

/// `--file -` reads the backup from stdin (a pipe is read once).
#[test]
fn restore_reads_stdin() {
    let source = source_store();
    let env = target(&source);
    let out = env
        .cmd()
        .args(["users", "restore", "--file", "-", "-o", "json"])
        .write_stdin(source.ok(&["users", "export", "--format", "csv", "--include-hashes"]))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts(&s), (5, 5, 0, 0));
    assert_eq!(users(&env), users(&source));
}

/// Found by trying to break it: a pool user without a tenant (R4), a tenant resolution with a
/// control character and a time in the future are refused as invalid records.
#[test]
fn doctored_records_are_refused() {
    let source = source_store();
    let env = target(&source);
    let backup = source.ok(&["users", "export", "--include-hashes"]);
    let first = backup
        .lines()
        .find(|l| l.contains("\"origin\":\"migrated\""))
        .expect("a migrated user")
        .to_owned();
    let v: Value = serde_json::from_str(&first).unwrap();
    let tenant = v["tenant_id"].as_str().unwrap().to_owned();
    let created = v["created_at"].as_str().unwrap().to_owned();
    let lines = [
        first.replace(&format!("\"tenant_id\":\"{tenant}\""), "\"tenant_id\":null"),
        first.replace(
            "\"tenant_resolution\":\"",
            "\"tenant_resolution\":\"\\u001b[2J",
        ),
        first.replace(&created, "2100-01-01T00:00:00Z"),
        // Retrial finding 18: an ID that is a path.
        first.replace(v["id"].as_str().unwrap(), "../../etc"),
    ];
    env.write("backup", &(lines.join("\n") + "\n"));
    let (code, s, stderr) = restore(&env, "backup");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(counts(&s).1, 0, "{s}");
    for needle in [
        "has no tenant_id (R4)",
        "tenant_resolution holds",
        "is in the future",
        "id \"../../etc\" is not a user ID",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
}

/// Issue 8: a backup file that does not exist is "not found" (exit 3, as a missing pool or
/// user), and no store is made for it; a directory is no backup (exit 5).
#[test]
fn a_missing_backup_file_is_not_found() {
    let env = Env::new();
    let out = env.run(&["users", "restore", "--file", "gone.ndjson"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(NOT_FOUND), "{stderr}");
    assert!(
        stderr.starts_with("error: backup file gone.ndjson not found\nhint: "),
        "{stderr}"
    );
    if let Some(file) = env.local_store() {
        assert!(!file.exists(), "a refused restore made a store");
    }
    std::fs::create_dir(env.path("adir")).unwrap();
    let out = env.run(&["users", "restore", "--file", "adir"]);
    assert_eq!(out.status.code(), Some(VALIDATION));
}

/// Issue 8, F8 (the same fault in restore): a store that runs out of space part-way (here
/// past the file-size limit, as on a full disk) keeps the batches committed before, and the
/// restore says how many users that is, as its summary (text and `-o json`, with the error as
/// `stopped_by`), then the error (exit 1); running it again once there is room continues
/// (R12: each batch whole or not at all; R17: nobody restored twice).
#[test]
fn a_full_store_says_what_the_restore_committed() {
    // A full disk under the store's own file: the embedded store's.
    crate::sqlite_only::sqlite_only!();
    let n = 20_000;
    let source = Env::new();
    let csv: String = std::iter::once("email,tenant_id,note\n".to_owned())
        .chain((0..n).map(|i| format!("u{i}@x.org,t{i},{}\n", "x".repeat(100))))
        .collect();
    source.write("u.csv", &csv);
    source.ok(&[
        "create",
        "p",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--mode",
        "jit",
        "--tenant",
        "property:tenant_id",
    ]);
    source.ok(&["users", "import", "--pool", "p"]);
    let backup = source.ok(&["users", "export"]);
    for json in [false, true] {
        let env = target(&source);
        env.write("b.ndjson", &backup);
        let limit = std::fs::metadata(env.store()).unwrap().len() + (2 << 20);
        let mut cmd = env.std_cmd_with_file_limit(limit);
        cmd.args(["users", "restore", "--file", "b.ndjson", "--batch", "500"]);
        if json {
            cmd.args(["-o", "json"]);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let case = format!("json={json}: {stdout}{stderr}");
        assert_eq!(out.status.code(), Some(1), "{case}");
        let count = serde_json::from_str::<Vec<Value>>(&users(&env))
            .unwrap()
            .len();
        assert!(count > 0 && count < n, "{count} users: {case}");
        assert!(
            stderr.contains(&format!(
                "error: restored {count} users (read {count}, unchanged 0, refused 0) (committed); restoring users: store "
            )),
            "{case}"
        );
        if json {
            let s: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(counts(&s), (count as u64, count as u64, 0, 0), "{case}");
            assert!(
                s["stopped_by"].as_str().unwrap().starts_with("store "),
                "{case}"
            );
        } else {
            assert!(
                stdout.starts_with(&format!(
                    "read {count}, restored {count}, unchanged 0, refused 0 ("
                )),
                "{case}"
            );
        }
        // With room again, the same command continues: the committed users are unchanged.
        let (code, s, stderr) = restore(&env, "b.ndjson");
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(counts(&s), (n as u64, (n - count) as u64, count as u64, 0));
    }
}

/// Issue 8, F1: whatever the store accepts, restore accepts. A profile imported at exactly
/// the store's depth limit (32 levels, its own object the first) and metadata set at it are
/// exported, NDJSON and CSV, and restore into a fresh store as the same users: the NDJSON
/// record that wraps them is no level of theirs. One level more is refused, naming the user.
#[test]
fn documents_at_the_depth_limit_restore_and_deeper_ones_name_their_user() {
    let nest = |levels: usize| -> Value {
        (0..levels).fold(Value::from(1), |v, _| serde_json::json!({ "a": v }))
    };
    let source = Env::new();
    // Profile {"app_metadata": <31 levels>}: 32 levels, as the store counts them.
    let lines = [
        serde_json::json!({"user_id": "auth0|n1", "email": "n1@example.com"}),
        serde_json::json!({"user_id": "auth0|n2", "email": "n2@example.com", "app_metadata": nest(31)}),
    ];
    source.write(
        "nest.ndjson",
        &lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    );
    source.ok(&[
        "create",
        "a0",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "nest.ndjson",
        "--mode",
        "jit",
        "--tenant",
        "auto",
    ]);
    source.ok(&["users", "import", "--pool", "a0"]);
    source
        .cmd()
        .args(["users", "create", "nat@example.com", "--password-stdin"])
        .write_stdin("native-pw")
        .assert()
        .success();
    // Metadata {"k": <31 levels>}: 32 levels too.
    source.ok(&[
        "users",
        "set-metadata",
        "nat@example.com",
        &format!("k={}", nest(31)),
    ]);
    let deepest = |u: &Value| {
        let text = u.to_string();
        text.matches("{\"a\":").count()
    };
    let list: Vec<Value> = serde_json::from_str(&users(&source)).unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list.iter().any(|u| deepest(&u["profile"]) == 31),
        "{list:?}"
    );
    assert!(
        list.iter().any(|u| deepest(&u["metadata"]) == 31),
        "{list:?}"
    );
    for format in ["ndjson", "csv"] {
        let env = target(&source);
        env.write(
            "backup",
            &source.ok(&["users", "export", "--include-hashes", "--format", format]),
        );
        let (code, s, stderr) = restore(&env, "backup");
        assert_eq!(code, Some(0), "{format}: {stderr}");
        assert_eq!(counts(&s), (3, 3, 0, 0), "{format}: {s}");
        assert_eq!(users(&env), users(&source), "{format}");
    }

    // One level more (doctored): refused, naming the user, not `-`.
    let backup = source.ok(&["users", "export"]);
    let n2 = backup
        .lines()
        .find(|l| l.contains("n2@example.com"))
        .unwrap();
    let deeper = n2.replacen("{\"a\":1}", "{\"a\":{\"a\":1}}", 1);
    assert!(serde_json::from_str::<Value>(&deeper).is_ok(), "{deeper}");
    let env = target(&source);
    env.write("deeper", &format!("{deeper}\n"));
    let (code, _, stderr) = restore(&env, "deeper");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(
            "line 1: refused n2@example.com (too_deep): record field `profile` nests deeper than 32 levels"
        ),
        "{stderr}"
    );
    // A CSV row with a column that is not UTF-8 is named by its identifier too.
    let csv = source.ok(&["users", "export", "--format", "csv"]);
    let mut bytes = Vec::new();
    for row in csv.lines() {
        bytes.extend_from_slice(row.as_bytes());
        if row.starts_with("nat@example.com,") {
            bytes.extend_from_slice(b"\xff");
        }
        bytes.push(b'\n');
    }
    std::fs::write(env.path("bad.csv"), bytes).unwrap();
    let (code, _, stderr) = restore(&env, "bad.csv");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("refused nat@example.com (unreadable): column import_run is not UTF-8"),
        "{stderr}"
    );
}

/// Issue 8, F11: a backup of nothing restores as nothing. `users export` of an empty store, or
/// of a `--pool` without users, writes NDJSON's one no-users line or the CSV header alone,
/// and `users restore` of either exits 0 with `read 0`; an empty or blank file (an export
/// that did not run, or was lost) is still refused, and says what a backup of nothing holds.
/// A backup of users has no such line.
#[test]
fn a_backup_of_no_users_restores_as_nothing_and_an_empty_file_is_refused() {
    let no_users = r#"{"backup":"pools users export","users":0}"#;
    let source = Env::new();
    let ndjson = source.ok(&["users", "export"]);
    assert_eq!(ndjson, format!("{no_users}\n"));
    let csv = source.ok(&["users", "export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 1, "{csv}");
    assert!(csv.starts_with("identifier,id,origin,"), "{csv}");
    source.export_pool("p");
    assert_eq!(source.ok(&["users", "export", "--pool", "p"]), ndjson);
    assert_eq!(
        source.ok(&["users", "export", "--origin", "native"]),
        ndjson
    );
    for (name, text) in [("b.ndjson", &ndjson), ("b.csv", &csv)] {
        let env = target(&source);
        env.write(name, text);
        let (code, s, stderr) = restore(&env, name);
        assert_eq!(code, Some(0), "{name}: {stderr}");
        assert_eq!(counts(&s), (0, 0, 0, 0), "{name}: {s}");
        let out = env.ok(&["users", "restore", "--file", name]);
        assert!(
            out.starts_with("read 0, restored 0, unchanged 0, refused 0 ("),
            "{out}"
        );
        assert!(out.contains("the backup holds no users"), "{out}");
        assert_eq!(users(&env), "[]\n");
    }
    // Empty or blank: refused, naming what a backup of nothing holds.
    let env = target(&source);
    for text in ["", "\n\n"] {
        env.write("f", text);
        env.refused(
            &["users", "restore", "--file", "f"],
            VALIDATION,
            &["there are no user records to read", no_users],
        );
    }
    // A backup of users is what it always was: one line per user.
    let full = source_store();
    let backup = full.ok(&["users", "export"]);
    assert!(!backup.contains("\"backup\""), "{backup}");
    assert_eq!(
        backup.lines().count(),
        serde_json::from_str::<Vec<Value>>(&users(&full))
            .unwrap()
            .len()
    );
}

/// Retrial finding 14: when every record is refused, the summary does not claim the backup
/// holds no password hashes (it says nothing of what it could not read); a backup whose
/// restored users carry none still says so.
#[test]
fn a_backup_whose_every_record_is_refused_is_not_said_to_lack_hashes() {
    let source = source_store();
    let env = target(&source);
    let backup = source.ok(&["users", "export", "--include-hashes"]);
    let broken: String = backup
        .lines()
        .map(|l| {
            format!(
                "{}\n",
                l.replacen("\"identifier\":\"", "\"identifier\":\"\\u001b", 1)
            )
        })
        .collect();
    env.write("broken.ndjson", &broken);
    let out = env.run(&["users", "restore", "--file", "broken.ndjson"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stdout}");
    assert!(stdout.contains("restored 0"), "{stdout}");
    assert!(!stdout.contains("no password hashes"), "{stdout}");
    env.write("plain.ndjson", &source.ok(&["users", "export"]));
    let out = env.run(&["users", "restore", "--file", "plain.ndjson"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("no password hashes"), "{stdout}");
}

/// A backup record that writes a key twice inside its profile or metadata, at any depth, is
/// refused as one that writes a field of its own twice: `invalid_record`, naming the key and
/// where it lies, with its line, the same exit code (5); the other records are restored.
/// Before, the nested repeat was read as its last value, so the backup restored one of its
/// two answers unnoticed. CSV backups alike (their documents are cells of JSON text).
#[test]
fn a_key_written_twice_inside_a_backup_record_is_refused() {
    let source = source_store();
    let backup = source.ok(&["users", "export", "--include-hashes"]);
    let at = backup
        .lines()
        .position(|l| l.contains("\"identifier\":\"user1@legacy.example.org\""))
        .unwrap();
    let line = backup.lines().nth(at).unwrap();
    assert!(line.contains(r#""metadata":{"plan":"pro"}"#), "{line}");
    for (from, to, needle) in [
        (
            r#""enabled":"#,
            r#""enabled":true,"enabled":"#,
            "(invalid_record): duplicate field `enabled`",
        ),
        (
            r#""metadata":{"plan":"pro"}"#,
            r#""metadata":{"plan":"pro","plan":"free"}"#,
            r#"(invalid_record): metadata: key "plan" appears twice in one object"#,
        ),
        (
            r#""metadata":{"plan":"pro"}"#,
            r#""metadata":{"plan":"pro","billing":{"seats":[{"n":1,"n":2}]}}"#,
            r#"(invalid_record): metadata.billing.seats[0]: key "n" appears twice in one object"#,
        ),
        (
            r#""profile":{"#,
            r#""profile":{"address":{"city":"Lyon","city":"Oslo"},"#,
            r#"(invalid_record): profile.address: key "city" appears twice in one object"#,
        ),
    ] {
        let env = target(&source);
        let edited: Vec<String> = backup
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == at {
                    l.replacen(from, to, 1)
                } else {
                    l.to_owned()
                }
            })
            .collect();
        assert_ne!(edited[at], line, "{from}");
        env.write("backup", &(edited.join("\n") + "\n"));
        let (code, s, stderr) = restore(&env, "backup");
        assert_eq!(code, Some(VALIDATION), "{needle}: {stderr}");
        assert_eq!(counts(&s), (5, 4, 0, 1), "{needle}: {s}");
        let want = format!("line {}: refused user1@legacy.example.org {needle}", at + 1);
        assert!(stderr.contains(&want), "{want}: {stderr}");
        assert!(
            !users(&env).contains("user1@legacy.example.org"),
            "{needle}: the record is not restored"
        );
    }

    let csv = source.ok(&["users", "export", "--include-hashes", "--format", "csv"]);
    let env = target(&source);
    let edited = csv.replacen(
        r#"{""plan"":""pro""}"#,
        r#"{""plan"":""pro"",""plan"":""free""}"#,
        1,
    );
    assert_ne!(edited, csv);
    env.write("backup.csv", &edited);
    let (code, s, stderr) = restore(&env, "backup.csv");
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(counts(&s), (5, 4, 0, 1), "{s}");
    assert!(
        stderr.contains(r#"refused user1@legacy.example.org (invalid_record): metadata: key "plan" appears twice"#),
        "{stderr}"
    );
}

/// Retrial 2, finding 18: a file that marks itself a backup of no users and holds user
/// records (two files joined, an edit) is not a backup: refused (exit 5) at the line that
/// contradicts it, and nothing of a record after the mark is restored.
#[test]
fn a_backup_marked_empty_that_holds_users_is_refused() {
    let source = source_store();
    let backup = source.ok(&["users", "export"]);
    let mark = r#"{"backup":"pools users export","users":0}"#;
    for (name, text) in [
        ("mark-first.ndjson", format!("{mark}\n{backup}")),
        ("mark-last.ndjson", format!("{backup}{mark}\n")),
    ] {
        let env = target(&source);
        env.write(name, &text);
        env.refused(
            &["users", "restore", "--file", name],
            5,
            &["holding no users", "and holds user records"],
        );
        if name == "mark-first.ndjson" {
            assert_eq!(users(&env), "[]\n", "{name}");
        }
    }
}

/// Retrial 2, finding 19: a restore that restored nothing (every record unchanged) and then
/// cannot print its summary says the error, and not that it committed something.
#[test]
fn a_restore_of_nothing_new_does_not_say_it_committed() {
    let env = source_store();
    env.write("b.ndjson", &env.ok(&["users", "export"]));
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = env
        .std_cmd()
        .args(["users", "restore", "--file", "b.ndjson"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stdout"), "{stderr}");
    assert!(!stderr.contains("(committed)"), "{stderr}");
}
