//! `pools users import`, `pools status`, `pools doctor` (R4, R6, R13, R15, R17).

use crate::sqlite_only;
use crate::*;
use std::os::unix::fs::FileTypeExt;

pub const HELLO_BCRYPT: &str = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";

/// An export pool `name` over `file` (JIT, tenant from `tenant_id` else `fixed:default`).
pub fn pool(env: &Env, name: &str, file: &str) {
    pool_with(env, name, file, &[]);
}

/// [`pool`] with more flags.
pub fn pool_with(env: &Env, name: &str, file: &str, extra: &[&str]) {
    let mut args = vec![
        "create",
        name,
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        file,
        "--mode",
        "jit",
        "--tenant",
        "property:tenant_id",
        "--tenant-fallback",
        "fixed:default",
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
}

fn users(env: &Env) -> Vec<serde_json::Value> {
    serde_json::from_str::<Vec<serde_json::Value>>(&env.ok(&["users", "list", "-o", "json"]))
        .unwrap()
}

pub fn import(env: &Env, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let mut all = vec!["users", "import", "-o", "json"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    let summary = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code(),
        summary,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// R6: a CSV with a BOM, CRLF line ends and rows differing only by case: one user, the
/// duplicate reported with its line and the line it repeats.
#[test]
fn r6_bom_crlf_csv_with_case_duplicates() {
    let env = Env::new();
    let csv = format!(
        "\u{feff}email,password_hash,tenant_id\r\nAda@Example.com,{HELLO_BCRYPT},acme\r\nbob@example.com,{HELLO_BCRYPT},acme\r\nADA@example.COM,{HELLO_BCRYPT},other\r\n"
    );
    env.write("users.csv", &csv);
    pool(&env, "csv", "users.csv");
    let (code, summary, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        (
            summary["read"].as_u64(),
            summary["imported"].as_u64(),
            summary["skipped"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(summary["by_reason"]["duplicate_in_file"], 1);
    assert!(
        stderr.contains("line 4") && stderr.contains("same identifier as line 2"),
        "{stderr}"
    );
    let list = users(&env);
    assert_eq!(list.len(), 2);
    let ada = list
        .iter()
        .find(|u| u["identifier"] == "Ada@Example.com")
        .unwrap();
    assert_eq!(
        (ada["origin"].as_str(), ada["tenant_id"].as_str()),
        (Some("migrated"), Some("acme"))
    );
    // R13: the source hash is kept and works at the first login, which upgrades it.
    let out = env
        .cmd()
        .args([
            "simulate-login",
            "ada@example.com",
            "--password-stdin",
            "--commit",
            "-o",
            "json",
        ])
        .write_stdin("hello")
        .output()
        .unwrap();
    let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["outcome"], "authenticated");
    assert_eq!(trace["user"]["hash_upgrade"], "bcrypt -> argon2id");
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["users", "show", "ADA@example.com", "-o", "json"])).unwrap();
    assert_eq!(show["password_scheme"], "argon2id");
}

pub fn ndjson_line(i: usize, email: &str) -> String {
    format!(
        r#"{{"user_id": "auth0|{i:024}", "email": "{email}", "password_hash": "{HELLO_BCRYPT}", "app_metadata": {{"tenantId": "t{i}"}}}}"#
    )
}

/// A truncated line 3 is rejected with its line; the good lines land; a last line without a
/// newline is read. The same data as a JSON array imports the same users.
#[test]
fn ndjson_truncated_line_and_json_array_variant() {
    let env = Env::new();
    let lines = [
        ndjson_line(1, "a@x.org"),
        ndjson_line(2, "b@x.org"),
        r#"{"user_id": "auth0|3", "email": "c@x.or"#.to_owned(),
        ndjson_line(4, "d@x.org"),
    ];
    env.write("u.ndjson", &lines.join("\n"));
    env.ok(&[
        "create",
        "nd",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.ndjson",
        "--tenant",
        "property:app_metadata.tenantId",
    ]);
    let (code, summary, stderr) =
        import(&env, &["--pool", "nd", "--reject-file", "rejects.ndjson"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(3), Some(1))
    );
    assert!(stderr.contains("line 3"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(env.path("rejects.ndjson"))
            .unwrap()
            .trim(),
        lines[2]
    );
    let mut ids: Vec<String> = users(&env)
        .iter()
        .map(|u| u["identifier"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids, ["a@x.org", "b@x.org", "d@x.org"]);

    let other = Env::new();
    let good: Vec<&String> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| l)
        .collect();
    other.write(
        "u.json",
        &format!(
            "[\n{}\n]",
            good.iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(",\n")
        ),
    );
    other.ok(&[
        "create",
        "js",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.json",
        "--tenant",
        "property:app_metadata.tenantId",
    ]);
    let (code, summary, _) = import(&other, &["--pool", "js"]);
    assert_eq!(
        (
            code,
            summary["format"].as_str(),
            summary["imported"].as_u64()
        ),
        (Some(0), Some("auth0-json"), Some(3))
    );
    let strip = |v: Vec<serde_json::Value>| -> Vec<(String, String)> {
        v.iter()
            .map(|u| {
                (
                    u["identifier"].as_str().unwrap().to_owned(),
                    u["tenant_id"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(strip(users(&other)), strip(users(&env)));
}

/// R17: each policy against a native user, and a user migrated by login meeting its row.
#[test]
fn r17_on_conflict_policies() {
    let env = Env::new();
    env.cmd()
        .args(["users", "create", "Taken@x.org", "--password-stdin"])
        .write_stdin("native-pass")
        .assert()
        .success();
    env.write("u.csv", &format!("email,password_hash,tenant_id,plan\ntaken@x.org,{HELLO_BCRYPT},acme,pro\nfree@x.org,{HELLO_BCRYPT},acme,basic\n"));
    pool(&env, "csv", "u.csv");
    let (code, s, _) = import(
        &env,
        &["--pool", "csv", "--on-conflict", "fail", "--dry-run"],
    );
    assert_eq!(
        (code, s["rejected"].as_u64(), s["imported"].as_u64()),
        (Some(VALIDATION), Some(1), Some(1))
    );
    assert_eq!(users(&env).len(), 1, "dry run writes nothing");
    let (code, s, _) = import(&env, &["--pool", "csv", "--on-conflict", "fail"]);
    assert_eq!(
        (
            code,
            s["rejected"].as_u64(),
            s["by_reason"]["identifier_exists"].as_u64()
        ),
        (Some(VALIDATION), Some(1), Some(1))
    );
    let (code, s, _) = import(&env, &["--pool", "csv", "--on-conflict", "skip"]);
    assert_eq!(
        (code, s["skipped"].as_u64(), s["already_imported"].as_u64()),
        (Some(0), Some(1), Some(1))
    );
    // R6: a native user is not the export's user: never merged into (see
    // identity::r6_merge_never_merges_into_another_person for merges that do happen).
    let (code, s, _) = import(&env, &["--pool", "csv", "--on-conflict", "merge"]);
    assert_eq!(
        (code, s["merged"].as_u64(), s["rejected"].as_u64()),
        (Some(VALIDATION), Some(0), Some(1))
    );
    let taken: serde_json::Value =
        serde_json::from_str(&env.ok(&["users", "show", "taken@x.org", "-o", "json"])).unwrap();
    assert_eq!(taken["user"]["origin"], "native");
    assert_eq!(taken["user"]["profile"].get("plan"), None, "not merged");
    // The native password still works.
    env.cmd()
        .args(["simulate-login", "taken@x.org", "--password-stdin"])
        .write_stdin("native-pass")
        .assert()
        .success();
    assert_eq!(users(&env).len(), 2);

    // A user migrated by login meets its import row: no duplicate.
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash,tenant_id\njit@x.org,{HELLO_BCRYPT},acme\n"),
    );
    pool(&env, "csv", "u.csv");
    env.cmd()
        .args([
            "simulate-login",
            "JIT@x.org",
            "--password-stdin",
            "--commit",
        ])
        .write_stdin("hello")
        .assert()
        .success();
    let (code, s, _) = import(&env, &["--pool", "csv"]);
    assert_eq!(
        (
            code,
            s["skipped"].as_u64(),
            s["by_reason"]["already_migrated"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(users(&env).len(), 1);
}

/// The reject file is in the input's format and imports cleanly once fixed.
#[test]
fn reject_file_reimports_after_the_fix() {
    let env = Env::new();
    env.write("u.csv", &format!("email,password_hash,tenant_id\nok@x.org,{HELLO_BCRYPT},acme\nbad@x.org,$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui,acme\n"));
    pool(&env, "csv", "u.csv");
    let (code, s, _) = import(&env, &["--pool", "csv", "--reject-file", "rejects.csv"]);
    assert_eq!(
        (code, s["by_reason"]["unusable_hash"].as_u64()),
        (Some(VALIDATION), Some(1))
    );
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert_eq!(
        rejects.lines().count(),
        2,
        "header and the rejected row: {rejects}"
    );
    assert!(rejects.starts_with("email,password_hash,tenant_id\n"));
    env.write("rejects.csv", &rejects.replace("$2x$", "$2b$"));
    let (code, s, _) = import(&env, &["--pool", "csv", "--file", "rejects.csv"]);
    assert_eq!(
        (code, s["imported"].as_u64(), s["rejected"].as_u64()),
        (Some(0), Some(1), Some(0))
    );
    assert_eq!(users(&env).len(), 2);
}

/// R15 and R4: disabled users are skipped, unresolvable tenants rejected, on the bundled
/// Keycloak export; `status` and `doctor` tell the operator what is left.
#[test]
fn status_and_doctor_on_the_bundled_exports() {
    let env = Env::new();
    let kc = repo().join("tests/fixtures/exports/keycloak-realm-export.json");
    let a0 = repo().join("tests/fixtures/exports/auth0-bulk-import.json");
    env.ok(&[
        "create",
        "kc",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        kc.to_str().unwrap(),
        "--mode",
        "jit",
        "--tenant",
        "property:attributes.tenant",
    ]);
    env.ok(&[
        "create",
        "a0",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        a0.to_str().unwrap(),
        "--mode",
        "jit",
        "--tenant",
        "property:app_metadata.tenantId",
    ]);
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    let doctor: serde_json::Value =
        serde_json::from_slice(&env.run(&["doctor", "-o", "json"]).stdout).unwrap();
    let codes: Vec<(String, String)> = doctor["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["location"]
                    .as_str()
                    .unwrap()
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("tenant_ambiguous".into(), "34".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("user_disabled".into(), "61".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("user_disabled".into(), "50".into())),
        "{codes:?}"
    );
    let (code, s, _) = import(&env, &["--pool", "kc"]);
    assert_eq!(
        (
            code,
            s["imported"].as_u64(),
            s["skipped"].as_u64(),
            s["rejected"].as_u64()
        ),
        (Some(VALIDATION), Some(1), Some(1), Some(1))
    );
    let (code, s, _) = import(&env, &["--pool", "a0"]);
    assert_eq!(
        (
            code,
            s["imported"].as_u64(),
            s["by_reason"]["user_disabled"].as_u64()
        ),
        (Some(0), Some(3), Some(1))
    );
    env.cmd()
        .args(["simulate-login", "user1", "--password-stdin", "--commit"])
        .write_stdin("password")
        .assert()
        .success();
    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "-o", "json"])).unwrap();
    let kc_row = status["pools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pool"] == "kc")
        .unwrap();
    assert_eq!(kc_row["users"]["imported"], 1);
    assert_eq!(kc_row["users"]["imported_logged_in"], 1);
    assert_eq!(status["total"]["imported"], 4);
    assert_eq!(status["total"]["never_seen_since_import"], 3);
    assert_eq!(status["total"]["need_source"], 0);
    // A native user colliding with a pool's file is a doctor finding (R6, R17).
    env.cmd()
        .args([
            "users",
            "create",
            "HELLO.user@example.com",
            "--password-stdin",
        ])
        .write_stdin("x")
        .assert()
        .code(CONFLICT);
    env.cmd()
        .args([
            "users",
            "create",
            "argon.USER@example.com ",
            "--password-stdin",
        ])
        .write_stdin("x")
        .assert()
        .code(CONFLICT);
    let table = env.run(&["status"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("NEED SOURCE"));
}

/// R11: `users export` streams users without hashes unless asked.
#[test]
fn r11_users_export_has_hashes_only_when_asked() {
    let env = Env::new();
    env.write("u.csv", &format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\nb@x.org,{HELLO_BCRYPT},acme\n"));
    pool(&env, "csv", "u.csv");
    import(&env, &["--pool", "csv"]);
    let ndjson = env.ok(&["users", "export"]);
    assert_eq!(ndjson.lines().count(), 2);
    let first: serde_json::Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["identifier"].as_str(), first["tenant_id"].as_str()),
        (Some("a@x.org"), Some("acme"))
    );
    let csv = env.ok(&["users", "export", "--format", "csv", "--pool", "csv"]);
    assert_eq!(csv.lines().count(), 3);
    for out in [&ndjson, &csv] {
        assert!(
            !out.contains("$2b$") && !out.contains("password_hash"),
            "{out}"
        );
    }
    let out = env.run(&["users", "export", "--include-hashes"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(HELLO_BCRYPT));
    assert!(String::from_utf8_lossy(&out.stderr).contains("R11"));
}

/// The reject file can never overwrite the export being read.
#[test]
fn reject_file_is_never_the_input() {
    let env = Env::new();
    let text = format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n");
    env.write("u.csv", &text);
    pool(&env, "csv", "u.csv");
    env.refused(
        &["users", "import", "--pool", "csv", "--reject-file", "u.csv"],
        VALIDATION,
        &["--reject-file", "input file"],
    );
    assert_eq!(std::fs::read_to_string(env.path("u.csv")).unwrap(), text);
}

/// Found by trying to break it: a reject file never replaces the credentials file (secrets
/// kept by `-`), another pool's export or a pool's `file:` secret; so nothing is lost (R11).
#[test]
fn reject_file_never_replaces_secrets_or_other_pools_files() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    let text = format!(
        "email,password_hash,tenant_id
a@x.org,{HELLO_BCRYPT},acme
"
    );
    env.write("u.csv", &text);
    env.write("other.csv", &text);
    env.write("secret.txt", "s3cret\n");
    pool(&env, "csv", "u.csv");
    pool(&env, "other", "other.csv");
    let out = env
        .cmd()
        .args([
            "create",
            "live",
            "--type",
            "external",
            "--source",
            "auth0",
            "--domain",
            "a.eu.auth0.com",
            "--client-id",
            "abc",
            "--client-secret",
            "-",
            "--mode",
            "sync",
            "--tenant",
            "fixed:x",
        ])
        .write_stdin("kept-secret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap();
    env.ok(&[
        "create",
        "filed",
        "--type",
        "external",
        "--source",
        "auth0",
        "--domain",
        "b.eu.auth0.com",
        "--client-id",
        "abc",
        "--client-secret",
        "file:secret.txt",
        "--mode",
        "sync",
        "--tenant",
        "fixed:x",
    ]);
    for (target, role) in [
        ("credentials.json", "credentials file"),
        ("other.csv", "export file"),
        ("secret.txt", "secret file"),
    ] {
        env.refused(
            &["users", "import", "--pool", "csv", "--reject-file", target],
            VALIDATION,
            &["--reject-file", role],
        );
    }
    assert_eq!(
        std::fs::read_to_string(env.path("credentials.json")).unwrap(),
        creds
    );
    assert_eq!(
        std::fs::read_to_string(env.path("other.csv")).unwrap(),
        text
    );
    assert_eq!(
        std::fs::read_to_string(env.path("secret.txt")).unwrap(),
        "s3cret\n"
    );
}

/// Found by trying to break it: the store and the input are never a reject file; an import
/// into an idp pool is refused (R2); an edited file is not mistaken for duplicates.
#[test]
fn import_guards() {
    let env = Env::new();
    let text = format!(
        "email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\nb@x.org,{HELLO_BCRYPT},acme\n"
    );
    env.write("u.csv", &text);
    pool(&env, "csv", "u.csv");
    // The store's own file, where it is one here.
    if let Some(store) = env.local_store() {
        env.refused(
            &[
                "users",
                "import",
                "--pool",
                "csv",
                "--reject-file",
                &store.display().to_string(),
            ],
            VALIDATION,
            &["--reject-file"],
        );
    }
    env.ok(&["list"]);
    // An earlier reject file stays whole when the import fails before it ends.
    env.write("prev.csv", "kept\n");
    env.refused(
        &[
            "users",
            "import",
            "--pool",
            "csv",
            "--reject-file",
            "prev.csv",
            "--hash-config",
            "missing.json",
        ],
        VALIDATION,
        &["--hash-config"],
    );
    assert_eq!(
        std::fs::read_to_string(env.path("prev.csv")).unwrap(),
        "kept\n"
    );

    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "c",
        "--client-secret",
        "env:S",
        "--tenant",
        "fixed:corp",
    ]);
    env.refused(
        &["users", "import", "--pool", "corp", "--file", "u.csv"],
        VALIDATION,
        &["R2"],
    );

    import(&env, &["--pool", "csv"]);
    // The same users, one line lower, in an edited file: nothing is a duplicate of itself,
    // and the rows an earlier run imported are already imported wherever they moved.
    std::thread::sleep(std::time::Duration::from_millis(20)); // a new mtime
    env.write(
        "u.csv",
        &text.replacen('\n', &format!("\nc@x.org,{HELLO_BCRYPT},acme\n"), 1),
    );
    let (code, s, stderr) = import(&env, &["--pool", "csv", "--on-conflict", "fail"]);
    assert_eq!(s["imported"], 1, "{stderr}");
    assert_eq!(s["by_reason"].get("duplicate_in_file"), None, "{s}");
    assert_eq!(
        (code, s["already_imported"].as_u64(), s["rejected"].as_u64()),
        (Some(0), Some(2), Some(0)),
        "{s}"
    );
}

/// R6: a username (alias) never makes a second home for another user's identifier, also
/// when both users arrive in one batch, and does not keep the email's owner out: the owner
/// takes the name (issue 8, F9).
#[test]
fn r6_aliases_in_one_batch_never_share_an_identifier() {
    let env = Env::new();
    let cred = r#""credentials": [{"type": "password", "secretData": "{\"value\": \"JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k=\", \"salt\": \"P5rtFkGtPfoaryJ6PizUJw==\"}", "credentialData": "{\"hashIterations\": 27500, \"algorithm\": \"pbkdf2-sha256\"}"}]"#;
    env.write(
        "kc.json",
        &format!(
            r#"{{"realm": "r", "users": [
{{"id": "a", "username": "shared@x.com", "email": "a@x.com", "enabled": true, {cred}}},
{{"id": "b", "username": "b", "email": "shared@x.com", "enabled": true, {cred}}}
]}}"#
        ),
    );
    env.ok(&[
        "create", "kc", "--type", "external", "--source", "export", "--file", "kc.json",
        "--tenant", "fixed:t",
    ]);
    let (_, s, stderr) = import(&env, &["--pool", "kc"]);
    assert_eq!(s["imported"], 2, "{stderr}");
    assert_eq!(s["aliases_skipped"], 1, "{stderr}");
    assert_eq!(users(&env).len(), 2);
    // The store's own tables: on SQLite only.
    if let Some(db) = sqlite_only::db(&env) {
        let clash: i64 = db
            .query_row(
                "SELECT count(*) FROM user_aliases a JOIN users u ON u.ident_key = a.alias_key",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(clash, 0, "an alias equals an identifier");
        let owner: String = db
            .query_row(
                "SELECT external_id FROM users WHERE ident_key = 'shared@x.com'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(owner, "b");
    }
}

/// An empty password never authenticates, even against a source hash of the empty string.
#[test]
fn empty_passwords_never_authenticate() {
    let env = Env::new();
    // {SHA} of the empty string.
    env.write(
        "u.csv",
        "email,password_hash,tenant_id\nempty@x.org,{SHA}2jmj7l5rSw0yVb/vlWAYkK/YBwk=,t\n",
    );
    pool(&env, "csv", "u.csv");
    let out = env
        .cmd()
        .args([
            "simulate-login",
            "empty@x.org",
            "--password-stdin",
            "--commit",
            "-o",
            "json",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    // Refused before any pool is asked: an empty input is no password.
    assert_eq!(out.status.code(), Some(USAGE));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--password-stdin: the password is empty")
    );
    assert!(users(&env).is_empty());
}

/// Found by trying to break it: running an import again (with or without `--resume`) reports
/// and writes again the rows it could not import, and counts as already imported only the
/// rows it wrote (R17); a fatal error still leaves the rejects found before it (a CSV row past
/// the record limit; a JSON document is read whole before any row, so it has none).
#[test]
fn rerun_and_resume_report_rejects_again_and_a_fatal_error_keeps_the_reject_file() {
    let env = Env::new();
    let mut text = String::new();
    for i in 0..40 {
        // Every 10th user has two tenants: rejected (R4).
        let tenant = if i % 10 == 3 {
            r#"["a","b"]"#
        } else {
            r#""acme""#
        };
        text.push_str(&format!(
            "{{\"email\": \"u{i}@x.org\", \"password_hash\": \"{HELLO_BCRYPT}\", \"tenant_id\": {tenant}}}\n"
        ));
    }
    env.write("u.ndjson", &text);
    pool(&env, "nd", "u.ndjson");
    let (code, first, _) = import(&env, &["--pool", "nd", "--batch", "7"]);
    assert_eq!(code, Some(5));
    assert_eq!(
        (first["imported"].as_u64(), first["rejected"].as_u64()),
        (Some(36), Some(4))
    );
    for extra in [&[][..], &["--resume"][..]] {
        let mut args = vec!["--pool", "nd", "--reject-file", "r.ndjson"];
        args.extend_from_slice(extra);
        let (code, again, _) = import(&env, &args);
        assert_eq!(code, Some(5), "{extra:?}");
        assert_eq!(
            (
                again["imported"].as_u64(),
                again["already_imported"].as_u64(),
                again["rejected"].as_u64()
            ),
            (Some(0), Some(36), Some(4)),
            "{extra:?}: {again}"
        );
        let rejects = std::fs::read_to_string(env.path("r.ndjson")).unwrap();
        assert_eq!(rejects.lines().count(), 4, "{rejects}");
        assert!(rejects.contains("u3@x.org") && rejects.contains("u33@x.org"));
    }
    assert_eq!(users(&env).len(), 36);

    // A JSON array cut short after a rejected row: the row is in the reject file.
    env.write(
        "cut.json",
        &format!(
            "[{{\"email\": \"r1@x.org\", \"tenant_id\": [\"a\", \"b\"], \"password_hash\": \"{HELLO_BCRYPT}\"}},\n{{\"email\": \"r2@x.org\", \"tenant_id\": \"acme\", \"password_hash\": \"{HELLO_BCRYPT}\"}},\n"
        ),
    );
    env.ok(&[
        "create",
        "arr",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "cut.json",
        "--format",
        "auth0-json",
        "--mode",
        "jit",
        "--tenant",
        "property:tenant_id",
    ]);
    // A JSON document is read whole before its first row: cut short, it imports nothing and
    // rejects nothing, so no reject file is written (a_json_document_that_breaks_off_commits_nothing).
    let (code, _, stderr) = import(&env, &["--pool", "arr", "--reject-file", "cut.rej.json"]);
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(!env.path("cut.rej.json").exists(), "{stderr}");

    // A CSV that stops at a row past the record limit, after a rejected row: the row is in
    // the reject file.
    let bad = "$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    env.write(
        "cut.csv",
        &format!(
            "email,password_hash,tenant_id,note\nr1@x.org,{bad},acme,a\nr2@x.org,{HELLO_BCRYPT},acme,{}\n",
            "x".repeat((1 << 20) + 10)
        ),
    );
    pool(&env, "cutcsv", "cut.csv");
    let (code, _, stderr) = import(&env, &["--pool", "cutcsv", "--reject-file", "cut.rej.csv"]);
    assert_eq!(code, Some(5), "{stderr}");
    let rejects = std::fs::read_to_string(env.path("cut.rej.csv")).expect("reject file written");
    assert!(rejects.contains("r1@x.org"), "{rejects}");
}

/// Found by trying to break it: a missing or directory `--file`, and a reject file in a
/// missing directory, are named as such (not as a format or a temp file); a file refused
/// before any row says nothing was imported.
#[test]
fn import_errors_name_the_right_flag() {
    let env = Env::new();
    let text = format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n");
    env.write("u.csv", &text);
    pool(&env, "csv", "u.csv");
    std::fs::create_dir(env.path("adir")).unwrap();
    // Issue 8: a file to import that does not exist is "not found" (3), as a pool or user.
    for (file, code, why) in [
        (
            "gone.csv",
            NOT_FOUND,
            "error: export file gone.csv not found",
        ),
        ("adir", VALIDATION, "a directory"),
    ] {
        let err = env.refused(
            &["users", "import", "--pool", "csv", "--file", file],
            code,
            &["--file", why],
        );
        assert!(!err.contains("--format"), "{err}");
    }
    // The pool's own file, when no --file is given.
    std::fs::remove_file(env.path("u.csv")).unwrap();
    let missing = env.path("u.csv").display().to_string();
    env.refused(
        &["users", "import", "--pool", "csv"],
        NOT_FOUND,
        &[
            &format!("export file {missing} not found"),
            "pools configure csv --file PATH",
        ],
    );
    env.write("u.csv", &text);
    let err = env.refused(
        &[
            "users",
            "import",
            "--pool",
            "csv",
            "--reject-file",
            "nodir/r.csv",
        ],
        VALIDATION,
        &["--reject-file", "directory that does not exist"],
    );
    assert!(!err.contains(".tmp"), "{err}");
    env.write("bad.csv", "mail\nx\n");
    let (code, _, stderr) = import(
        &env,
        &["--pool", "csv", "--file", "bad.csv", "--format", "csv"],
    );
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
}

/// Found by trying to break it: the reject file is renamed into place, so it never replaces
/// a FIFO, a symbolic link or a directory (a device such as /dev/null alike).
#[test]
fn reject_file_replaces_only_regular_files() {
    let env = Env::new();
    let text = format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n");
    env.write("u.csv", &text);
    env.write("target.txt", "kept\n");
    pool(&env, "csv", "u.csv");
    std::os::unix::fs::symlink(env.path("target.txt"), env.path("link")).unwrap();
    std::fs::create_dir(env.path("adir")).unwrap();
    let fifo = env.path("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (target, why) in [
        ("link", "symbolic link"),
        ("adir", "directory"),
        ("fifo", "not a regular file"),
    ] {
        env.refused(
            &["users", "import", "--pool", "csv", "--reject-file", target],
            VALIDATION,
            &["--reject-file", why],
        );
    }
    assert!(
        std::fs::symlink_metadata(env.path("link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(users(&env).is_empty(), "refused before any row was written");
    // A regular file is replaced, as before.
    env.write("old.csv", "old\n");
    let (code, _, _) = import(&env, &["--pool", "csv", "--reject-file", "old.csv"]);
    assert_eq!(code, Some(0));
}

/// Found by trying to break it: fixing a rejected row in place (a new size and mtime) and
/// running again finds the other rows already imported; in a one-line JSON array (every
/// record on line 1) a duplicate identifier is still a duplicate (R6), also on a re-run.
#[test]
fn fixed_in_place_rerun_and_one_line_array_duplicates() {
    let env = Env::new();
    let row = |email: &str, tenant: &str| {
        format!(
            "{{\"email\": \"{email}\", \"password_hash\": \"{HELLO_BCRYPT}\", \"tenant_id\": {tenant}}}\n"
        )
    };
    let text = [
        row("a@x.org", "\"t\""),
        row("b@x.org", "[\"1\", \"2\"]"),
        row("c@x.org", "\"t\""),
    ]
    .concat();
    env.write("u.ndjson", &text);
    pool(&env, "nd", "u.ndjson");
    let (code, s, _) = import(&env, &["--pool", "nd"]);
    assert_eq!(
        (code, s["imported"].as_u64(), s["rejected"].as_u64()),
        (Some(5), Some(2), Some(1))
    );
    std::thread::sleep(std::time::Duration::from_millis(20)); // a new mtime
    env.write("u.ndjson", &text.replace("[\"1\", \"2\"]", "\"t\""));
    let (code, s, stderr) = import(
        &env,
        &[
            "--pool",
            "nd",
            "--on-conflict",
            "fail",
            "--reject-file",
            "r.ndjson",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        (s["imported"].as_u64(), s["already_imported"].as_u64()),
        (Some(1), Some(2)),
        "{s}"
    );
    assert_eq!(std::fs::read_to_string(env.path("r.ndjson")).unwrap(), "");

    let one_line = format!(
        "[{}]",
        [row("d@x.org", "\"t\""), row("D@X.org", "\"u\"")]
            .concat()
            .trim_end()
            .replace('\n', ",")
    );
    env.write("one.json", &one_line);
    env.ok(&[
        "create",
        "arr",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "one.json",
        "--format",
        "auth0-json",
        "--mode",
        "jit",
        "--tenant",
        "property:tenant_id",
    ]);
    for _ in 0..2 {
        let (code, s, stderr) = import(&env, &["--pool", "arr", "--on-conflict", "fail"]);
        assert_eq!(code, Some(5), "{stderr}");
        assert_eq!(s["by_reason"]["duplicate_in_file"].as_u64(), Some(1), "{s}");
    }
    assert_eq!(users(&env).iter().filter(|u| u["pool"] == "arr").count(), 1);
}

/// Found by trying to break it: the store's rollback journal is the store too, and a dry run
/// writes nothing, not even the reject file.
#[test]
fn reject_file_is_never_the_journal_and_dry_runs_write_none() {
    let env = Env::new();
    let text = format!(
        "email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\nbad,{HELLO_BCRYPT},acme\nbad,{HELLO_BCRYPT},acme\n"
    );
    env.write("u.csv", &text);
    pool(&env, "csv", "u.csv");
    // The store's journal, where the store is a file here.
    if let Some(store) = env.local_store() {
        let journal = format!("{}-journal", store.display());
        env.refused(
            &[
                "users",
                "import",
                "--pool",
                "csv",
                "--reject-file",
                &journal,
            ],
            VALIDATION,
            &["--reject-file", "the store"],
        );
        assert!(!std::path::Path::new(&journal).exists());
    }
    env.write("keep.csv", "kept\n");
    let (code, s, _) = import(
        &env,
        &["--pool", "csv", "--dry-run", "--reject-file", "keep.csv"],
    );
    assert_eq!((code, s["skipped"].as_u64()), (Some(0), Some(1)), "{s}");
    assert_eq!(
        std::fs::read_to_string(env.path("keep.csv")).unwrap(),
        "kept\n"
    );
}

/// The reject file holds the rows to fix: a row skipped because its user was already migrated
/// by a login is reported but not written there; a row skipped because another person holds
/// its identifier (R6) is, beside the rejected ones.
#[test]
fn reject_file_leaves_out_rows_whose_user_is_already_there() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!(
            "email,password_hash,tenant_id\njit@x.org,{HELLO_BCRYPT},acme\nnative@x.org,{HELLO_BCRYPT},acme\nbad@x.org,$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui,acme\n"
        ),
    );
    pool(&env, "csv", "u.csv");
    env.cmd()
        .args([
            "simulate-login",
            "jit@x.org",
            "--password-stdin",
            "--commit",
        ])
        .write_stdin("hello")
        .assert()
        .success();
    env.cmd()
        .args(["users", "create", "native@x.org", "--password-stdin"])
        .write_stdin("native-pass-123")
        .assert()
        .success();
    let (code, s, stderr) = import(&env, &["--pool", "csv", "--reject-file", "rejects.csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(s["by_reason"]["already_migrated"].as_u64(), Some(1), "{s}");
    assert!(stderr.contains("jit@x.org"), "still reported: {stderr}");
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert!(!rejects.contains("jit@x.org"), "{rejects}");
    assert!(rejects.contains("native@x.org"), "{rejects}");
    assert!(rejects.contains("bad@x.org"), "{rejects}");
}

/// A reject file that cannot be written (here past the file-size limit, as on a full disk)
/// does not hide the import's summary: the summary is printed, then the error names
/// `--reject-file` and says the rows are committed (exit 1).
#[test]
fn a_full_disk_under_the_reject_file_keeps_the_summary() {
    // File sizes are limited for this process: the embedded store's file is among them.
    crate::sqlite_only::sqlite_only!();
    let env = Env::new();
    let bad = "$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    let pad = "p".repeat(900);
    let mut text = format!("email,password_hash,tenant_id,note\nok@x.org,{HELLO_BCRYPT},acme,x\n");
    for i in 0..3000 {
        text.push_str(&format!("bad{i}@x.org,{bad},acme,{pad}\n"));
    }
    env.write("u.csv", &text);
    pool(&env, "csv", "u.csv");
    let limit = std::fs::metadata(env.store()).unwrap().len() + (1 << 20);
    let mut cmd = env.std_cmd_with_file_limit(limit);
    cmd.args([
        "users",
        "import",
        "--pool",
        "csv",
        "--reject-file",
        "rejects.csv",
    ]);
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("read 3001, imported 1,") && stdout.contains("rejected 3000"),
        "{stdout}"
    );
    assert!(
        stderr.contains("--reject-file rejects.csv: File too large"),
        "{stderr}"
    );
    assert!(stderr.contains("committed"), "{stderr}");
    assert!(!env.path("rejects.csv").exists(), "no torn reject file");
    assert_eq!(users(&env).len(), 1);
}

/// A Firebase export asks for `--hash-config` at its first record with a scrypt hash, not up
/// front: an empty users array is reported as empty, and users without a password (phone
/// only) import without parameters.
#[test]
fn firebase_asks_for_the_hash_config_only_when_a_record_has_a_hash() {
    let env = Env::new();
    env.write("empty.json", r#"{"users": []}"#);
    pool_with(&env, "fb", "empty.json", &["--format", "firebase"]);
    let stderr = env.refused(
        &["users", "import", "--pool", "fb"],
        VALIDATION,
        &["no user records", "empty users array"],
    );
    assert!(!stderr.contains("--hash-config"), "{stderr}");

    env.write(
        "mixed.json",
        r#"{"users": [
  {"localId": "p1", "phoneNumber": "+15555550100", "email": "phone@x.org"},
  {"localId": "h1", "email": "hashed@x.org", "passwordHash": "aGFzaA==", "salt": "c2FsdA=="}
]}"#,
    );
    let stderr = env.refused(
        &["users", "import", "--pool", "fb", "--file", "mixed.json"],
        VALIDATION,
        &[
            "--hash-config",
            "line 3",
            "Firebase scrypt hash",
            "1 rows before it",
        ],
    );
    assert!(!stderr.contains("line 2"), "{stderr}");
    let users = env.ok(&["users", "list", "-o", "json"]);
    assert!(
        users.contains("phone@x.org") && !users.contains("hashed@x.org"),
        "{users}"
    );
}

/// A CSV saved as "Unicode" (UTF-16 with a BOM, as Excel and PowerShell write it) is named as
/// such with the iconv command that fixes it, not reported as Latin-1; nothing is written.
#[test]
fn utf16_export_is_named_with_its_fix() {
    let env = Env::new();
    let text = format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(env.path("wide.csv"), &utf16).unwrap();
    env.write("u.csv", &text);
    // Warned at create (the pool is kept: the file may be fixed later)...
    let out = env.run(&[
        "create", "w", "--type", "external", "--source", "export", "--file", "wide.csv",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: pool 'w'") && stderr.contains("iconv -f UTF-16LE -t UTF-8"),
        "{stderr}"
    );
    assert!(!stderr.contains("LATIN1"), "{stderr}");
    env.refused(
        &["users", "import", "--pool", "w"],
        VALIDATION,
        &["--file", "UTF-16LE"],
    );
    // ...and at import into a pool whose format is known (no detection).
    pool_with(&env, "csv", "u.csv", &["--format", "csv"]);
    let stderr = env.refused(
        &["users", "import", "--pool", "csv", "--file", "wide.csv"],
        VALIDATION,
        &["--file", "UTF-16LE", "iconv"],
    );
    assert!(!stderr.contains("LATIN1"), "{stderr}");
    assert_eq!(env.ok(&["users", "list", "-o", "json"]).trim(), "[]");
}

/// R4: a tenant property the source set to a value that is no tenant ID (a control
/// character) is reported, not replaced by the pool's fallback: `auto` would place the user in
/// a new tenant for good. At import and at first login alike.
#[test]
fn an_unusable_tenant_value_is_refused_not_replaced_by_the_fallback() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!(
            "email,password_hash,tenant_id\nok@x.org,{HELLO_BCRYPT},acme\nesc@x.org,{HELLO_BCRYPT},\"ac\u{1b}[2Jme\"\n"
        ),
    );
    env.ok(&[
        "create",
        "csv",
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
        "--tenant-fallback",
        "auto",
    ]);
    let out = env
        .cmd()
        .args([
            "simulate-login",
            "esc@x.org",
            "--password-stdin",
            "--commit",
            "-o",
            "json",
        ])
        .write_stdin("hello")
        .output()
        .unwrap();
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["reason"], "tenant_unresolved", "{t:#}");
    assert!(
        t["message"]
            .as_str()
            .unwrap()
            .contains("fallback is not used"),
        "{t:#}"
    );
    let (code, s, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(s["by_reason"]["tenant_unresolved"].as_u64(), Some(1), "{s}");
    assert!(
        stderr.contains("esc@x.org") && stderr.contains("fallback is not used"),
        "{stderr}"
    );
    let users = env.ok(&["users", "list", "-o", "json"]);
    assert!(
        users.contains("ok@x.org") && !users.contains("esc@x.org"),
        "{users}"
    );
    assert!(!users.contains("tn_"), "no auto tenant: {users}");
}

/// `create` checks an export pool's file: a missing one is warned about (the pool is kept,
/// the file may come later), and only the prerequisites still missing for the file's format
/// are listed (a CSV needs no Firebase hash parameters; a Firebase export without them does).
#[test]
fn create_checks_the_export_file_and_lists_only_what_its_format_needs() {
    let env = Env::new();
    let create = |name: &str, file: &str| {
        let out = env.run(&[
            "create",
            name,
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            file,
            "--mode",
            "jit",
            "--tenant",
            "fixed:acme",
        ]);
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = create("gone", "missing.csv");
    assert!(
        stderr.contains("warning: pool 'gone'") && stderr.contains("missing.csv"),
        "{stderr}"
    );
    env.write(
        "u.csv",
        &format!("email,password_hash\na@x.org,{HELLO_BCRYPT}\n"),
    );
    let stderr = create("csv", "u.csv");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(!stderr.contains("Firebase"), "{stderr}");
    std::fs::copy(
        repo().join("tests/fixtures/exports/firebase-auth-export.json"),
        env.path("fb.json"),
    )
    .unwrap();
    let stderr = create("fb", "fb.json");
    assert!(stderr.contains("--hash-config"), "{stderr}");
}

/// An export pool is never saved with a hash config that cannot be read (every login through
/// it would fail closed): create, configure and apply refuse it (exit 5); a missing one is
/// warned about, as a missing export file is.
#[test]
fn an_unusable_hash_config_is_refused_when_the_pool_is_saved() {
    let env = Env::new();
    std::fs::copy(
        repo().join("tests/fixtures/exports/firebase-auth-export.json"),
        env.path("fb.json"),
    )
    .unwrap();
    env.write("bad.json", "not json");
    fn create(hash: &str) -> Vec<&str> {
        vec![
            "create",
            "fb",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "fb.json",
            "--mode",
            "jit",
            "--tenant",
            "fixed:acme",
            "--hash-config",
            hash,
        ]
    }
    env.refused(
        &create("bad.json"),
        VALIDATION,
        &["--hash-config", "bad.json"],
    );
    let out = env.run(&create("later.json"));
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("later.json does not exist"));
    env.refused(
        &["configure", "fb", "--hash-config", "bad.json"],
        VALIDATION,
        &["bad.json"],
    );
    let yaml = env.export().replace("later.json", "bad.json");
    env.write("p.yaml", &yaml);
    env.refused(
        &["apply", "-f", "p.yaml"],
        VALIDATION,
        &["pool 'fb'", "bad.json"],
    );
}

/// `--hash-config` with a key written twice names the key and its line, not "field
/// `(document)`: a field has the wrong type"; so do an empty file, `[]`, `null`, a key of
/// the wrong type and an unknown key, each with its fix (exit 5, no secret shown); a file
/// with a byte-order mark reads.
#[test]
fn a_malformed_hash_config_names_the_key_and_the_fix() {
    let env = Env::new();
    std::fs::copy(
        repo().join("tests/fixtures/exports/firebase-auth-export.json"),
        env.path("fb.json"),
    )
    .unwrap();
    let good =
        std::fs::read_to_string(repo().join("tests/fixtures/exports/firebase-hash-config.json"))
            .unwrap();
    let config: serde_json::Value = serde_json::from_str(&good).unwrap();
    let key = config["base64_signer_key"].as_str().unwrap().to_owned();
    let with = |extra: &str| good.trim_end().trim_end_matches('}').to_owned() + extra + "}";
    env.write("hc-bom.json", &format!("\u{feff}{good}"));
    pool_with(&env, "fb", "fb.json", &["--hash-config", "hc-bom.json"]);
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            with(",\n  \"rounds\": 9\n"),
            vec![
                "field `rounds`: appears twice (the second at line",
                "fix: keep the key once",
            ],
        ),
        (
            String::new(),
            vec!["the file is empty", "fix: paste the five values"],
        ),
        (
            "[]".into(),
            vec!["is an array, expected a JSON object", "fix: paste"],
        ),
        (
            "null".into(),
            vec!["is null, expected a JSON object", "fix: paste"],
        ),
        (
            good.replacen("\"rounds\": 8", "\"rounds\": \"8\"", 1),
            vec![
                "field `rounds`: is a string, expected a whole number 1..=8",
                "without quotes",
            ],
        ),
        (
            with(",\n  \"memory_cost\": 14\n"),
            vec![
                "field `memory_cost`: is not a key",
                "fix: name it `mem_cost`",
            ],
        ),
    ];
    for (text, needles) in &cases {
        env.write("hc.json", text);
        let mut all = vec!["hc.json: invalid Firebase password-hash config"];
        all.extend(needles);
        let stderr = env.refused(
            &[
                "users",
                "import",
                "--pool",
                "fb",
                "--hash-config",
                "hc.json",
                "--dry-run",
            ],
            VALIDATION,
            &all,
        );
        assert!(!stderr.contains("(document)"), "{stderr}");
        assert!(!stderr.contains(&key[..16]), "{stderr}");
    }
    let (code, _, stderr) = import(&env, &["--pool", "fb", "--dry-run"]);
    assert_eq!(
        code,
        Some(0),
        "the pool's config with a BOM reads: {stderr}"
    );
}

/// Issue 8, F8: a store that runs out of space part-way (here past the file-size limit, as
/// on a full disk) keeps the batches committed before it, and the import says how many rows
/// that is, as its summary (text and `-o json`, with the error as `stopped_by`), then the
/// error (exit 1), and writes the reject file of the rows rejected until then. The same for
/// an export whose rows carry no source user ID (CSV), whose count was lost, as for one with
/// IDs (NDJSON). R12: the batches committed before the failure stay, each whole.
#[test]
fn a_full_store_says_what_the_import_committed() {
    // File sizes are limited for this process: the embedded store's file is among them.
    crate::sqlite_only::sqlite_only!();
    let n = 20_000;
    let bad = "$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    let csv: String = std::iter::once("email,password_hash,tenant_id,note\n".to_owned())
        .chain((0..n).map(|i| {
            let hash = if i == 3 { bad } else { HELLO_BCRYPT };
            format!("u{i}@x.org,{hash},t{i},{}\n", "x".repeat(100))
        }))
        .collect();
    let ndjson: String = (0..n)
        .map(|i| ndjson_line(i, &format!("u{i}@x.org")) + "\n")
        .collect();
    for (file, body, json) in [
        ("u.csv", &csv, false),
        ("u.csv", &csv, true),
        ("u.ndjson", &ndjson, false),
        ("u.ndjson", &ndjson, true),
    ] {
        let env = Env::new();
        env.write(file, body);
        pool(&env, "p", file);
        let limit = std::fs::metadata(env.store()).unwrap().len() + (2 << 20);
        let mut cmd = env.std_cmd_with_file_limit(limit);
        cmd.args(["users", "import", "--pool", "p", "--batch", "500"])
            .args(["--reject-file", "r.txt"]);
        if json {
            cmd.args(["-o", "json"]);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let case = format!("{file} json={json}: {stdout}{stderr}");
        assert_eq!(out.status.code(), Some(1), "{case}");
        let count = users(&env).len();
        assert!(count > 0 && count < n, "{count} users: {case}");
        let rejected = usize::from(file == "u.csv");
        let read = count + rejected;
        assert!(
            stderr.contains(&format!(
                "error: imported {count} row(s) (read {read}, already imported 0, skipped 0, merged 0, rejected {rejected}) (committed); importing into pool 'p': store "
            )),
            "{case}"
        );
        if json {
            let s: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(s["imported"], count, "{case}");
            assert_eq!(s["read"], read, "{case}");
            assert!(
                s["stopped_by"].as_str().unwrap().starts_with("store "),
                "{case}"
            );
        } else {
            assert!(
                stdout.starts_with(&format!(
                    "read {read}, imported {count}, already imported 0,"
                )),
                "{case}"
            );
        }
        if rejected > 0 {
            let rejects = std::fs::read_to_string(env.path("r.txt")).unwrap();
            assert_eq!(
                rejects,
                format!(
                    "email,password_hash,tenant_id,note\nu3@x.org,{bad},t3,{}\n",
                    "x".repeat(100)
                ),
                "{case}"
            );
        } else {
            assert!(!env.path("r.txt").exists(), "{case}");
        }
    }
}

/// `--hash-config` on an import of another format is said to be unused, not silently ignored.
#[test]
fn a_hash_config_for_a_non_firebase_import_is_warned_about() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n"),
    );
    pool(&env, "csv", "u.csv");
    let hc = repo().join("tests/fixtures/exports/firebase-hash-config.json");
    let (code, _, stderr) = import(
        &env,
        &["--pool", "csv", "--hash-config", hc.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr
            .contains("warning: --hash-config is read only for Firebase exports; this file is csv"),
        "{stderr}"
    );
}

/// The `.pools-rejects-*` files in the test dir, sorted.
fn reject_temps(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pools-rejects-"))
        .collect();
    names.sort();
    names
}

/// Issue 8, item 3: an import killed with SIGKILL while writing its reject file leaves its
/// temp file, under a name derived from the reject file's: the next run for the same reject
/// file takes it over, so two kills leave one, and a run that finishes leaves none. Temp
/// files of other reject files are never touched; one locked by a live run is never taken
/// (exit 4), and a run that fails before writing its reject file removes its own.
#[test]
fn killed_imports_leave_one_reject_temp_file_which_the_next_run_replaces() {
    use std::io::Write;
    let env = Env::new();
    let bad = "$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    let text = format!("email,password_hash\nok@x.org,{HELLO_BCRYPT}\nbad@x.org,{bad}\n");
    env.write("u.csv", &text);
    pool(&env, "csv", "u.csv");
    // Another reject file's temp (of a live or killed run) and an unrelated dot file.
    env.write(".pools-rejects-other.csv.tmp", "another import's rows\n");
    env.write(".pools-rejects-notes", "not pools'\n");
    let others = [".pools-rejects-notes", ".pools-rejects-other.csv.tmp"];
    let own = ".pools-rejects-r.csv.tmp";

    for _ in 0..2 {
        // The import blocks reading a FIFO that never ends, after it opened its temp file.
        let fifo = env.path("slow.fifo");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let mut child = env
            .std_cmd()
            .args([
                "users",
                "import",
                "--pool",
                "csv",
                "--file",
                "slow.fifo",
                "--format",
                "csv",
                "--reject-file",
                "r.csv",
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        writer.write_all(b"email,password_hash\n").unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !env.path(own).exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "no temp file was made"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        child.kill().unwrap(); // SIGKILL: no clean-up runs
        child.wait().unwrap();
        drop(writer);
        assert_eq!(reject_temps(&env), [others[0], others[1], own]);
    }

    // A live run holds its temp file locked: a second run for that reject file is refused.
    let held = std::fs::OpenOptions::new()
        .write(true)
        .open(env.path(own))
        .unwrap();
    held.lock().unwrap();
    let (code, _, stderr) = import(&env, &["--pool", "csv", "--reject-file", "r.csv"]);
    assert_eq!(code, Some(CONFLICT), "{stderr}");
    assert!(
        stderr.contains("another `pools users import` is writing it now"),
        "{stderr}"
    );
    assert!(!env.path("r.csv").exists());
    drop(held);

    let (code, _, stderr) = import(&env, &["--pool", "csv", "--reject-file", "r.csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(env.path("r.csv")).unwrap(),
        format!("email,password_hash\nbad@x.org,{bad}\n")
    );
    assert_eq!(reject_temps(&env), others);
    assert_eq!(
        std::fs::read_to_string(env.path(".pools-rejects-other.csv.tmp")).unwrap(),
        "another import's rows\n"
    );

    // A run that fails before any row removes its temp file and keeps the reject file.
    env.write("broken.csv", "mail\nx\n");
    let (code, _, stderr) = import(
        &env,
        &[
            "--pool",
            "csv",
            "--file",
            "broken.csv",
            "--format",
            "csv",
            "--reject-file",
            "r.csv",
        ],
    );
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(reject_temps(&env), others);
    assert!(
        std::fs::read_to_string(env.path("r.csv"))
            .unwrap()
            .contains("bad@x.org")
    );
}

/// Issue 8, item 4: a run with no row to fix that names `--reject-file` replaces it with a
/// file without rows (a CSV keeps its header, a JSON export gets an empty users array, NDJSON
/// is empty), never leaving an earlier run's rows there, and its summary says so:
/// `rejects: 0 rows written to PATH` (`reject_file` with `rows: 0` in `-o json`).
#[test]
fn a_run_without_rejects_writes_a_reject_file_without_rows_and_says_so() {
    let env = Env::new();
    let header = "email,password_hash,tenant_id\r\n";
    env.write(
        "u.csv",
        &format!("{header}a@x.org,{HELLO_BCRYPT},acme\r\nb@x.org,{HELLO_BCRYPT},acme\r\n"),
    );
    pool(&env, "csv", "u.csv");
    env.write("r.csv", "rows of an earlier run\n");
    let out = env.run(&["users", "import", "--pool", "csv", "--reject-file", "r.csv"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l == "rejects: 0 rows written to r.csv"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(env.path("r.csv")).unwrap(), header);
    let (code, s, _) = import(&env, &["--pool", "csv", "--reject-file", "r.csv"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        s["reject_file"],
        serde_json::json!({"path": "r.csv", "rows": 0})
    );
    assert_eq!(s["already_imported"], 2, "the summary is still there: {s}");

    env.write(
        "u.json",
        &format!(r#"[{{"email": "c@x.org", "password_hash": "{HELLO_BCRYPT}"}}]"#),
    );
    pool(&env, "js", "u.json");
    let (code, s, _) = import(&env, &["--pool", "js", "--reject-file", "r.json"]);
    assert_eq!(
        (code, s["reject_file"]["rows"].as_u64()),
        (Some(0), Some(0))
    );
    let rejects = std::fs::read_to_string(env.path("r.json")).unwrap();
    assert_eq!(rejects, "[\n]\n");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&rejects).unwrap(),
        serde_json::json!([])
    );

    env.write(
        "u.ndjson",
        &format!("{{\"email\": \"d@x.org\", \"password_hash\": \"{HELLO_BCRYPT}\"}}\n"),
    );
    pool(&env, "nd", "u.ndjson");
    env.write("r.ndjson", "rows of an earlier run\n");
    let out = env.run(&[
        "users",
        "import",
        "--pool",
        "nd",
        "--reject-file",
        "r.ndjson",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("rejects: 0 rows written to r.ndjson"));
    assert_eq!(std::fs::read(env.path("r.ndjson")).unwrap(), b"");

    // One row: counted in the singular, and the file holds it.
    env.write(
        "one.csv",
        "email,password_hash\nbad@x.org,$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui\n",
    );
    let out = env.run(&[
        "users",
        "import",
        "--pool",
        "csv",
        "--file",
        "one.csv",
        "--reject-file",
        "r.csv",
    ]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    assert!(String::from_utf8_lossy(&out.stdout).contains("rejects: 1 row written to r.csv"));
    assert!(
        std::fs::read_to_string(env.path("r.csv"))
            .unwrap()
            .contains("bad@x.org")
    );
}

/// Issue 8: `doctor` names an export pool whose file reads but holds no record (a CSV header
/// alone, an empty users array: what `users import` refuses), with a hint; a file with records gets no such finding.
#[test]
fn doctor_reports_an_export_without_users() {
    let env = Env::new();
    let files = [
        (
            "header.csv",
            "email,password_hash\n",
            "a header row and no data rows",
        ),
        ("empty.json", "[]\n", "an empty users array"),
        ("firebase.json", "{\"users\": []}\n", "an empty users array"),
        (
            "realm.json",
            "{\"realm\": \"r\", \"users\": []}\n",
            "an empty users array",
        ),
    ];
    for (i, (file, text, _)) in files.iter().enumerate() {
        env.write(file, text);
        env.ok(&[
            "create",
            &format!("p{i}"),
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            file,
            "-q",
        ]);
    }
    env.write("users.csv", "email,password_hash\nkim@example.com,\n");
    env.export_pool("full");
    let out = env.run(&["doctor", "-o", "json"]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    let scan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&serde_json::Value> = scan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "no_users")
        .collect();
    assert_eq!(found.len(), files.len(), "{scan:#}");
    for (i, (file, _, holds)) in files.iter().enumerate() {
        let path = env.path(file).display().to_string();
        let f = found
            .iter()
            .find(|f| f["pool"] == format!("p{i}").as_str())
            .unwrap_or_else(|| panic!("no finding for {file}: {scan:#}"));
        assert_eq!(f["location"], path.as_str());
        assert_eq!(
            f["message"],
            format!("export has no users: {path} holds {holds}").as_str()
        );
        assert!(f["hint"].as_str().unwrap().contains("--file"), "{f}");
    }
    let table = String::from_utf8(env.run(&["doctor"]).stdout).unwrap();
    assert!(
        table.contains("export has no users")
            && table.contains("hint: check that the export finished"),
        "{table}"
    );
}

/// F14 (issue 8): the trial's hashes have every parameter in range but would cost 12 to 112 s
/// and up to 1 GiB per login attempt. `doctor` reports each as `unusable_hash` with its
/// parameters and a fix (exit 5), the import rejects them so, and a login against them is
/// refused (`no_credential`) at once, without computing the hash, in the dry run and after a
/// JIT rehearsal alike. R13: an imported hash is verified with its own algorithm, so one it
/// cannot afford to verify is unusable, said at import, not a login that never answers (R5).
#[test]
fn hashes_costlier_than_bcrypt_16_are_unusable_at_doctor_import_and_login() {
    let env = Env::new();
    let h = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    env.write(
        "cost.csv",
        &format!(
            "email,password_hash,tenant_id\n\
             worst@example.com,\"$argon2id$v=19$m=1048576,t=64,p=1$c29tZXNhbHQ${h}\",t\n\
             sc@example.com,\"$scrypt$ln=20,r=8,p=16$c29tZXNhbHQ${h}\",t\n\
             pb@example.com,$pbkdf2-sha512$i=10000000$c29tZXNhbHQ${h},t\n\
             ok@example.com,{HELLO_BCRYPT},t\n"
        ),
    );
    pool(&env, "cost", "cost.csv");
    let out = env.run(&["doctor", "-o", "json"]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["identifier"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = ["worst", "sc", "pb"]
        .iter()
        .map(|u| (format!("{u}@example.com"), "unusable_hash".to_owned()))
        .collect();
    assert_eq!(findings, want, "{report:#}");
    for f in report["findings"].as_array().unwrap() {
        let msg = f["message"].as_str().unwrap();
        assert!(
            msg.contains("too costly") && msg.contains("budget") && msg.contains("fix:"),
            "{msg}"
        );
        assert!(!msg.contains(h), "R11: {msg}");
    }
    for user in ["worst", "sc", "pb"] {
        let started = std::time::Instant::now();
        let out = env
            .cmd()
            .args([
                "simulate-login",
                &format!("{user}@example.com"),
                "--password-stdin",
                "-o",
                "json",
            ])
            .write_stdin("guess")
            .output()
            .unwrap();
        let took = started.elapsed();
        let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(6), "{trace:#}");
        assert_eq!(trace["reason"], "no_credential", "{trace:#}");
        assert!(
            trace["message"].as_str().unwrap().contains("too costly"),
            "{trace:#}"
        );
        assert!(
            took.as_secs_f64() < 2.0,
            "{user}: {took:?}: it computed the hash"
        );
    }
    let (code, s, stderr) = import(&env, &["--pool", "cost"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (
            s["imported"].as_u64(),
            s["by_reason"]["unusable_hash"].as_u64()
        ),
        (Some(1), Some(3)),
        "{s:#}"
    );
    assert!(
        stderr.contains("line 2: rejected worst@example.com (unusable_hash)"),
        "{stderr}"
    );
}

/// Issue 8, F15 (R6, R12, R17): one import at a time per pool. Two runs at once stamped each
/// other's users, and a duplicate source user in the file was then applied as a rename. A
/// second import into the pool is refused at once (exit 4, naming the running one's PID),
/// before it reads its input; an import into another pool is not held up; and an import
/// killed with SIGKILL releases the pool, so the next run proceeds.
#[test]
fn a_second_import_into_a_running_pool_is_refused_and_a_killed_one_releases_it() {
    use std::io::Write;
    // Local only: the pool's import lock names the process importing; through a server the
    // server holds it, taken when its import route starts.
    let env = Env::on(crate::Backend::Sqlite);
    env.write(
        "u.csv",
        &format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n"),
    );
    env.write(
        "v.csv",
        &format!("email,password_hash,tenant_id\nv@x.org,{HELLO_BCRYPT},acme\n"),
    );
    pool(&env, "csv", "u.csv");
    pool(&env, "other", "v.csv");
    let fifo = env.path("slow.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut first = env
        .std_cmd()
        .args(["users", "import", "--pool", "csv", "--file", "slow.fifo"])
        .args(["--format", "csv"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Opening the FIFO returns once the import opened it: it holds the pool's lock by then.
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer
        .write_all(
            format!("email,password_hash,tenant_id\nf@x.org,{HELLO_BCRYPT},acme\n").as_bytes(),
        )
        .unwrap();

    let started = std::time::Instant::now();
    let (code, summary, stderr) = import(&env, &["--pool", "csv", "--reject-file", "r.csv"]);
    assert_eq!(code, Some(CONFLICT), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the second run waited"
    );
    assert!(
        stderr.contains(&format!(
            "error: an import into pool 'csv' is running (pid {}); wait for it or stop it",
            first.id()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("hint: "), "{stderr}");
    assert_eq!(summary, serde_json::Value::Null, "nothing on stdout");
    assert!(users(&env).is_empty(), "the refused run wrote nothing");
    assert!(!env.path("r.csv").exists(), "nor a reject file");
    // A dry run writes nothing: it is not refused.
    let (code, _, stderr) = import(&env, &["--pool", "csv", "--dry-run"]);
    assert_eq!(code, Some(0), "{stderr}");
    // The unit is the pool: another pool's import runs meanwhile.
    let (code, summary, stderr) = import(&env, &["--pool", "other"]);
    assert_eq!(
        (code, summary["imported"].as_u64()),
        (Some(0), Some(1)),
        "{stderr}"
    );

    first.kill().unwrap(); // SIGKILL: nothing is cleaned up, the system drops the lock
    first.wait().unwrap();
    drop(writer);
    let (code, summary, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["imported"], 1, "{summary}");
    let locks: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lock"))
        .collect();
    assert!(
        locks.is_empty(),
        "a finished import removes its lock file: {locks:?}"
    );
}

/// R6, R17, issue 8: Auth0 prepends the connection strategy (`auth0|`) to a bulk-import
/// `user_id`; the export job and the API give the prefixed form. The same user in both bundled
/// Auth0 formats is one source user, not "two people, one identifier".
#[test]
fn the_same_auth0_user_in_both_formats_is_one_source_user() {
    let env = Env::new();
    let bulk = repo().join("tests/fixtures/exports/auth0-bulk-import.json");
    let job = repo().join("tests/fixtures/exports/auth0-users-export.ndjson");
    env.ok(&[
        "create",
        "a0",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        bulk.to_str().unwrap(),
        "--mode",
        "jit",
        "--tenant",
        "property:app_metadata.tenantId",
    ]);
    env.ok(&["users", "import", "--pool", "a0", "-q"]);
    let out = env.run(&[
        "users",
        "import",
        "--pool",
        "a0",
        "--file",
        job.to_str().unwrap(),
        "--dry-run",
    ]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("identifier_collision"), "{text}");
    let list = env.ok(&["users", "list", "-o", "json"]);
    assert!(list.contains("auth0|5f1c0a1b2c3d4e5f60718293"), "{list}");
}

/// F21 (R17): a merged row is reported once as merged: the action says `merged`, the reason
/// says why (`duplicate_in_file`), and the summary counts it once (`merged`, and by that
/// reason, never under a `merged` reason too), in a dry run as in a real one.
#[test]
fn r17_a_merged_row_is_said_and_counted_once() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!(
            "email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\nb@x.org,{HELLO_BCRYPT},acme\nA@x.org,{HELLO_BCRYPT},acme\n"
        ),
    );
    pool_with(&env, "p", "u.csv", &[]);
    for dry in [true, false] {
        let mut args = vec!["--pool", "p", "--on-conflict", "merge"];
        if dry {
            args.push("--dry-run");
        }
        let (code, s, stderr) = import(&env, &args);
        assert_eq!(code, Some(0), "dry {dry}: {stderr}");
        assert_eq!(
            (
                s["merged"].as_u64(),
                s["by_reason"].get("merged"),
                s["by_reason"]["duplicate_in_file"].as_u64()
            ),
            (Some(1), None, Some(1)),
            "dry {dry}: {s:#}"
        );
        let line = stderr
            .lines()
            .find(|l| l.starts_with("line 4: "))
            .unwrap_or_else(|| panic!("dry {dry}: {stderr}"));
        assert!(
            line.starts_with("line 4: merged A@x.org (duplicate_in_file): "),
            "dry {dry}: {line}"
        );
        assert_eq!(line.matches("merged").count(), 1, "dry {dry}: {line}");
    }
}

/// Trial finding 7: `--reject-file -` is a usage error (exit 2) saying a reject file must be a
/// path, since stdout carries the report; no file named `-` is made and nothing is imported.
#[test]
fn reject_file_dash_is_a_usage_error() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n"),
    );
    pool(&env, "csv", "u.csv");
    env.refused(
        &["users", "import", "--pool", "csv", "--reject-file", "-"],
        USAGE,
        &["--reject-file -", "must be a path", "stdout"],
    );
    assert!(!env.path("-").exists(), "a file named - was written");
    assert!(users(&env).is_empty());
}

/// Trial finding 2 (R6, R17): a record that writes `email` twice is no user of either email:
/// the import rejects it with its line and the key (into the reject file byte for byte), the
/// other rows land, and `doctor` reports it; a Firebase export with two `users` arrays is
/// refused, naming the key and its line (a dry run imports nobody; a real import stops there).
#[test]
fn repeated_json_keys_are_rejected_and_reported() {
    let env = Env::new();
    let dup = format!(
        r#"{{"user_id":"auth0|d1","email":"dup1@x.org","email":"dup2@x.org","password_hash":"{HELLO_BCRYPT}"}}"#
    );
    let ok =
        format!(r#"{{"user_id":"auth0|d2","email":"ok@x.org","password_hash":"{HELLO_BCRYPT}"}}"#);
    env.write("dk.ndjson", &format!("{ok}\n{dup}\n"));
    env.ok(&[
        "create",
        "dkp",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "dk.ndjson",
        "--mode",
        "jit",
        "--tenant",
        "auto",
    ]);
    let doctor: serde_json::Value =
        serde_json::from_slice(&env.run(&["doctor", "-o", "json"]).stdout).unwrap();
    let finding = doctor["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unreadable")
        .unwrap_or_else(|| panic!("no finding: {doctor:#}"));
    assert!(
        finding["location"]
            .as_str()
            .unwrap()
            .ends_with("dk.ndjson:2"),
        "{finding:#}"
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains(r#""email" appears twice"#),
        "{finding:#}"
    );
    let (code, summary, stderr) =
        import(&env, &["--pool", "dkp", "--reject-file", "rejects.ndjson"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(1), Some(1)),
        "{summary:#}"
    );
    assert!(
        stderr.contains("line 2") && stderr.contains(r#""email" appears twice"#),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(env.path("rejects.ndjson")).unwrap(),
        format!("{dup}\n")
    );
    let ids: Vec<_> = users(&env)
        .iter()
        .map(|u| u["identifier"].clone())
        .collect();
    assert_eq!(ids, ["ok@x.org"]);

    env.write(
        "dupu.json",
        "{\"users\":[{\"localId\":\"zz\",\"email\":\"zz@x.org\"}],\n\"users\":[{\"localId\":\"yy\",\"email\":\"yy@x.org\"}]}",
    );
    env.ok(&[
        "create",
        "fbd",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "dupu.json",
        "--mode",
        "jit",
        "--tenant",
        "auto",
    ]);
    let (code, _, stderr) = import(&env, &["--pool", "fbd", "--dry-run"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(r#"top-level key "users" appears twice"#) && stderr.contains("dupu.json:2"),
        "{stderr}"
    );
    // The document is read whole before its first row is committed: neither array is
    // imported (a_json_document_that_breaks_off_commits_nothing).
    let (code, summary, stderr) = import(&env, &["--pool", "fbd"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(r#"top-level key "users" appears twice"#) && stderr.contains("dupu.json:2"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(summary.is_null(), "no summary of commits: {summary:#}");
    assert!(
        !users(&env)
            .iter()
            .any(|u| u["identifier"] == "zz@x.org" || u["identifier"] == "yy@x.org"),
        "no row of the file is committed"
    );
}

/// An Auth0 NDJSON record of source user `id` with identifier `email`.
fn auth0_record(id: &str, email: &str) -> String {
    format!(r#"{{"user_id": "auth0|{id}", "email": "{email}", "password_hash": "{HELLO_BCRYPT}"}}"#)
}

/// R6, R17: a file rewritten at the same path with two source users' identifiers swapped
/// is not "already imported": each record meets the other person under its identifier, a
/// collision, in the dry run and in the import alike (the store's shortcut for a row an
/// earlier run of this import wrote compared the identifier only). A later record of a user
/// another person's row met first is that user's own record: already imported, not a
/// duplicate of the colliding row.
#[test]
fn r17_swapped_identifiers_at_the_same_path_are_collisions_not_already_imported() {
    let env = Env::new();
    let write = |records: &[(&str, &str)]| {
        let text: Vec<String> = records.iter().map(|(i, e)| auth0_record(i, e)).collect();
        env.write("sf.ndjson", &(text.join("\n") + "\n"));
    };
    write(&[("A", "a@x.com"), ("B", "b@x.com")]);
    pool(&env, "sf", "sf.ndjson");
    let (code, summary, stderr) = import(&env, &["--pool", "sf"]);
    assert_eq!(
        (code, summary["imported"].as_u64()),
        (Some(0), Some(2)),
        "{stderr}"
    );

    let counts = |s: &serde_json::Value| {
        (
            s["imported"].as_u64(),
            s["already_imported"].as_u64(),
            s["skipped"].as_u64(),
            s["by_reason"].clone(),
        )
    };
    write(&[("A", "b@x.com"), ("B", "a@x.com")]);
    for dry in [true, false] {
        let mut args = vec!["--pool", "sf"];
        if dry {
            args.push("--dry-run");
        }
        let (code, summary, stderr) = import(&env, &args);
        assert_eq!(code, Some(0), "dry {dry}: {stderr}");
        assert_eq!(
            counts(&summary),
            (
                Some(0),
                Some(0),
                Some(2),
                serde_json::json!({"identifier_collision": 2})
            ),
            "dry {dry}: {stderr}"
        );
        assert!(
            stderr.contains("line 1: skipped b@x.com (identifier_collision)")
                && stderr.contains("line 2: skipped a@x.com (identifier_collision)"),
            "dry {dry}: {stderr}"
        );
    }

    write(&[("A", "b@x.com"), ("B", "b@x.com")]);
    for dry in [true, false] {
        let mut args = vec!["--pool", "sf"];
        if dry {
            args.push("--dry-run");
        }
        let (code, summary, stderr) = import(&env, &args);
        assert_eq!(code, Some(0), "dry {dry}: {stderr}");
        assert_eq!(
            counts(&summary),
            (
                Some(0),
                Some(1),
                Some(1),
                serde_json::json!({"identifier_collision": 1})
            ),
            "dry {dry}: {stderr}"
        );
        assert!(
            stderr.contains("line 1: skipped b@x.com (identifier_collision)")
                && !stderr.contains("line 2:"),
            "dry {dry}: {stderr}"
        );
    }
    let mut ids: Vec<(String, String)> = users(&env)
        .iter()
        .map(|u| {
            (
                u["identifier"].as_str().unwrap().to_owned(),
                u["external_id"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            ("a@x.com".to_owned(), "auth0|A".to_owned()),
            ("b@x.com".to_owned(), "auth0|B".to_owned())
        ]
    );
}

/// A JSON document that cannot be read to its end (a `users` array written twice, a second
/// realm key, a syntax error or truncation past the first users, a byte that is not UTF-8
/// between them) commits nothing, in every JSON-document format and from a file or a stream
/// (stdin): the document is read whole, building nothing, before the first batch is
/// committed. Before, the rows ahead of the fault were committed (here `--batch 1`: each row
/// a transaction) and only then the import stopped. NDJSON and CSV keep their design: a bad
/// line is refused alone (R17: a re-run continues).
#[test]
fn a_json_document_that_breaks_off_commits_nothing() {
    let env = Env::new();
    let users_of = |n: usize, id: &str, mail: &str| -> String {
        (0..n)
            .map(|i| format!(r#"{{"{id}": "id{i}", "{mail}": "u{i}@x.org"}}"#))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    let firebase = users_of(3, "localId", "email");
    let auth0 = (0..3)
        .map(|i| {
            format!(
                r#"{{"user_id": "auth0|{i}", "email": "u{i}@x.org", "password_hash": "{HELLO_BCRYPT}"}}"#
            )
        })
        .collect::<Vec<_>>()
        .join(",\n");
    let keycloak = (0..3)
        .map(|i| {
            format!(
                r#"{{"id": "k{i}", "username": "u{i}", "email": "u{i}@x.org", "enabled": true}}"#
            )
        })
        .collect::<Vec<_>>()
        .join(",\n");
    let cognito = (0..3)
        .map(|i| {
            format!(
                r#"{{"Username": "c{i}", "Enabled": true, "UserStatus": "CONFIRMED", "Attributes": [{{"Name": "sub", "Value": "s{i}"}}, {{"Name": "email", "Value": "u{i}@x.org"}}]}}"#
            )
        })
        .collect::<Vec<_>>()
        .join(",\n");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "firebase",
            format!(
                "{{\"users\": [\n{firebase}],\n\"users\": [{{\"localId\": \"z\", \"email\": \"z@x.org\"}}]}}"
            ),
            r#"top-level key "users" appears twice"#,
        ),
        (
            "firebase",
            format!("{{\"users\": [\n{firebase},\n"),
            "the file ends",
        ),
        (
            "auth0-json",
            format!("[\n{auth0},\n{{\"email\" 1}}]"),
            "expected `:`",
        ),
        (
            "keycloak",
            format!("{{\"realm\": \"r\", \"users\": [\n{keycloak}],\n\"realm\": \"s\"}}"),
            r#"top-level key "realm" appears twice"#,
        ),
        (
            "cognito",
            format!("{{\"Users\": [\n{cognito}\n]}} trailing"),
            "trailing characters",
        ),
        (
            "cognito",
            format!("{{\"Users\": [\n{cognito}\n], \"NextToken\": \"\u{ff}\"}}"),
            "invalid UTF-8 (byte 0xFF)",
        ),
    ];
    for (i, (format, text, needle)) in cases.iter().enumerate() {
        let file = format!("broken{i}.json");
        let mut bytes = text.clone().into_bytes();
        if text.contains('\u{ff}') {
            // A byte that is no UTF-8, outside any user: the reader stops there.
            let at = text.find('\u{ff}').unwrap();
            bytes.splice(at..at + 2, [0xff]);
        }
        std::fs::write(env.path(&file), &bytes).unwrap();
        let pool = format!("p{i}");
        pool_with(&env, &pool, &file, &["--format", format]);
        let (code, summary, stderr) = import(&env, &["--pool", &pool, "--batch", "1"]);
        assert_eq!(code, Some(VALIDATION), "{format}: {stderr}");
        assert!(stderr.contains(needle), "{format}: {needle}: {stderr}");
        assert!(
            stderr.contains("nothing was imported"),
            "{format}: {stderr}"
        );
        assert!(
            summary.is_null(),
            "{format}: no summary of commits: {summary:#}"
        );
        assert_eq!(
            users(&env),
            Vec::<serde_json::Value>::new(),
            "{format}: {stderr}"
        );
        // The same document on stdin: kept while it is checked, then read.
        let out = env
            .cmd()
            .args([
                "users", "import", "--pool", &pool, "--batch", "1", "--file", "-",
            ])
            .write_stdin(bytes.clone())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(VALIDATION),
            "{format} stdin: {stderr}"
        );
        assert!(stderr.contains(needle), "{format} stdin: {stderr}");
        assert_eq!(
            users(&env),
            Vec::<serde_json::Value>::new(),
            "{format} stdin: {stderr}"
        );
    }
    // Whole, the same documents import, from a file and from stdin.
    let good = format!("{{\"users\": [\n{firebase}]}}");
    env.write("good.json", &good);
    pool_with(&env, "good", "good.json", &["--format", "firebase"]);
    let (code, summary, stderr) = import(&env, &["--pool", "good", "--batch", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["imported"], 3, "{summary:#}");
    let out = env
        .cmd()
        .args([
            "users",
            "import",
            "--pool",
            "good",
            "--file",
            "-",
            "--format",
            "auth0-json",
        ])
        .write_stdin(
            format!("[\n{auth0}]")
                .replace("u0@", "s0@")
                .replace("u1@", "s1@")
                .replace("u2@", "s2@"),
        )
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(users(&env).len(), 6);
}
