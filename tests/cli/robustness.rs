//! Regressions found by trying to break the tool: secrets, store files, odd input.

use crate::*;
use std::io::Write;
use std::process::Stdio;

fn creds(env: &Env) -> serde_json::Map<String, serde_json::Value> {
    std::fs::read_to_string(env.path("credentials.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or_default()
}

fn auth0(env: &Env, name: &str, secret: &str) -> std::process::Output {
    env.cmd()
        .args([
            "create",
            name,
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
        ])
        .write_stdin(secret)
        .output()
        .unwrap()
}

fn secret_of(env: &Env, pool: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", pool, "-o", "json"])).unwrap();
    let reference = v["client_secret"]
        .as_str()
        .unwrap()
        .strip_prefix("keyring:")
        .unwrap()
        .to_owned();
    creds(env)[&reference].as_str().unwrap().to_owned()
}

/// R11/R12: a refused command stores no secret and never replaces one in use.
#[test]
fn r11_refused_commands_leave_secrets_alone() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    assert!(auth0(&env, "a0", "first-secret").status.success());
    assert_eq!(
        auth0(&env, "a0", "second-secret").status.code(),
        Some(CONFLICT)
    );
    assert_eq!(secret_of(&env, "a0"), "first-secret");
    let out = env
        .cmd()
        .args([
            "configure",
            "a0",
            "--client-secret",
            "-",
            "--if-version",
            "7",
        ])
        .write_stdin("third")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(CONFLICT));
    assert_eq!(secret_of(&env, "a0"), "first-secret");
    assert_eq!(
        creds(&env).len(),
        1,
        "no orphan entries: {:?}",
        creds(&env).keys()
    );
}

/// Rotating a `-` secret stores the new value, bumps the version and forgets the old value;
/// deleting the pool forgets its secret.
#[test]
fn r11_rotation_and_delete_manage_the_credential_entries() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    assert!(auth0(&env, "a0", "old-value").status.success());
    let out = env
        .cmd()
        .args(["configure", "a0", "--client-secret", "-"])
        .write_stdin("new-value")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(secret_of(&env, "a0"), "new-value");
    let all = creds(&env);
    assert_eq!(all.len(), 1);
    assert!(!all.values().any(|v| v == "old-value"));
    env.ok(&["delete", "a0", "--yes"]);
    assert!(creds(&env).is_empty());
}

/// Concurrent `-` secrets all land (the credentials file is locked while rewritten).
#[test]
fn r11_concurrent_secrets_are_all_kept() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    env.export_pool("first"); // the store exists: the race is on the credentials file
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut c = env
                .std_cmd()
                .args([
                    "create",
                    &format!("p{i}"),
                    "--type",
                    "external",
                    "--source",
                    "firebase",
                    "--project-id",
                    "p",
                    "--api-key",
                    "-",
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            c.stdin
                .take()
                .unwrap()
                .write_all(format!("key-{i}").as_bytes())
                .unwrap();
            c
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let all = creds(&env);
    for i in 0..8 {
        assert!(
            all.values().any(|v| v == &format!("key-{i}")),
            "key-{i} lost: {all:?}"
        );
    }
}

#[test]
fn concurrent_first_use_of_a_new_store() {
    let env = Env::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            env.std_cmd()
                .args([
                    "create",
                    &format!("p{i}"),
                    "--type",
                    "external",
                    "--source",
                    "export",
                    "--file",
                    "x.csv",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(order(&env).len(), 8);
}

#[test]
fn reads_never_create_a_store() {
    let env = Env::new();
    let missing = env.path("no/such/dir/pools.db");
    let out = env
        .cmd()
        .env("POOLS_STORE", &missing)
        .args(["list", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let out = env
        .cmd()
        .env("POOLS_STORE", &missing)
        .args(["export"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!env.path("no").exists(), "a read created directories");
}

#[test]
fn odd_flag_values_are_refused_with_the_field() {
    let env = Env::new();
    env.refused(
        &[
            "create",
            "i1",
            "--type",
            "idp",
            "--issuer",
            "https://login.example.org",
            "--client-id",
            "x",
            "--client-secret",
            "env:X",
            "--tenant-claim",
            "a..b",
        ],
        VALIDATION,
        &["error: --tenant-claim: "],
    );
    env.refused(
        &[
            "create",
            "p",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "x",
            "--allow",
            "none,social",
        ],
        USAGE,
        &["--allow none"],
    );
    let stderr = env.refused(
        &[
            "create",
            "c",
            "--type",
            "external",
            "--source",
            "custom",
            "--url",
            "http://admin:S3CR3T@partner.example.net/auth",
        ],
        VALIDATION,
        &["url", "***@"],
    );
    assert!(!stderr.contains("S3CR3T"));
    // Still usable after all that.
    assert!(env.ok(&["list", "-o", "json"]).trim() == "[]");
}

#[test]
fn one_pool_from_inspect_applies_as_a_no_op() {
    let env = Env::new();
    env.export_pool("ex");
    env.write("one.yaml", &env.ok(&["inspect", "ex", "-o", "yaml"]));
    assert!(env.ok(&["apply", "-f", "one.yaml"]).contains("no changes"));
}

/// A typo in a `--pool` filter is "not found" (3), as in `users import`, not an empty
/// success; a deleted pool's name still finds the users who outlive it (R3).
#[test]
fn pool_filters_name_existing_pools() {
    let env = Env::new();
    env.write("users.csv", "email,password_hash\nkim@example.com,$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K\n");
    env.export_pool("ex");
    env.ok(&["users", "import", "--pool", "ex", "-q"]);
    for args in [
        vec!["users", "list", "--pool", "nope"],
        vec!["users", "export", "--pool", "nope"],
        vec!["doctor", "--pool", "nope"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(NOT_FOUND), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("pool 'nope' not found"));
    }
    env.ok(&["delete", "ex", "--yes"]);
    assert!(
        env.ok(&["users", "list", "--pool", "ex"])
            .contains("kim@example.com")
    );
    assert!(
        env.ok(&["users", "export", "--pool", "ex"])
            .contains("kim@example.com")
    );
    // doctor agrees: the users a deleted pool left are checked, no file is scanned.
    let out = env.run(&["doctor", "--pool", "ex", "-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scan["records"], 0, "{scan}");
    assert_eq!(
        env.run(&["doctor", "--pool", "nope"]).status.code(),
        Some(NOT_FOUND)
    );
}
