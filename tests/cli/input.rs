//! What enters the store must read back, and every byte of the input is accounted for: limits
//! of profiles and metadata at every entry path (import, first login, sync refresh,
//! set-metadata), control, invisible and blank characters in identifiers and tenant IDs (R6), a store
//! that already holds an unreadable row, piped and FIFO input, reject files byte for byte, and
//! empty or huge inputs.

use crate::*;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command as StdCommand, Stdio};

use crate::import::{HELLO_BCRYPT, pool_with as pool};

/// `users import -o json ARGS`: exit code, summary, stderr.
fn import(env: &Env, args: &[&str]) -> (Option<i32>, Value, String) {
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

/// The users of the store, through `users list -o json` (which must succeed).
fn users(env: &Env) -> Vec<Value> {
    serde_json::from_str(&env.ok(&["users", "list", "-o", "json"])).unwrap()
}

fn identifiers(env: &Env) -> Vec<String> {
    let mut ids: Vec<String> = users(env)
        .iter()
        .map(|u| u["identifier"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// `{"a": {"a": ... 1 ...}}`, `levels` objects deep.
fn nested(levels: usize) -> Value {
    (0..levels).fold(json!(1), |inner, _| json!({ "a": inner }))
}

/// Text of `levels` nested objects (no recursion: serde_json could not print 200 levels).
fn nested_text(levels: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(levels), "}".repeat(levels))
}

fn auth0_line(email: &str, extra: &str) -> String {
    format!(
        r#"{{"user_id": "auth0|{email}", "email": "{email}", "password_hash": "{HELLO_BCRYPT}"{extra}}}"#
    )
}

fn has_line(stderr: &str, line: u64, reason: &str) -> bool {
    stderr.lines().any(|l| {
        l.starts_with(&format!("line {line}: rejected")) && l.contains(&format!("({reason})"))
    })
}

/// R17, item 1: one user's `user_metadata` nested past serde_json's 128 levels (and one past
/// the store's 32) is refused with its line and reason; every other user lands, and the store
/// stays readable by every command.
#[test]
fn deep_metadata_is_refused_at_import_and_the_store_stays_readable() {
    let env = Env::new();
    let lines = [
        auth0_line("a@x.org", ""),
        auth0_line(
            "deep@x.org",
            &format!(r#", "user_metadata": {}"#, nested_text(130)),
        ),
        auth0_line(
            "forty@x.org",
            &format!(r#", "user_metadata": {}"#, nested_text(40)),
        ),
        auth0_line(
            "ok@x.org",
            &format!(r#", "user_metadata": {}"#, nested_text(20)),
        ),
    ];
    env.write("u.ndjson", &lines.join("\n"));
    pool(&env, "a0", "u.ndjson", &["--format", "auth0-ndjson"]);
    let (code, summary, stderr) = import(&env, &["--pool", "a0", "--reject-file", "rej.ndjson"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(2), Some(2)),
        "{stderr}"
    );
    assert!(
        has_line(&stderr, 2, "too_deep") && has_line(&stderr, 3, "too_deep"),
        "{stderr}"
    );
    assert!(stderr.contains("`user_metadata`"), "{stderr}");
    // Both refused rows are in the reject file, as they were.
    let rejects = std::fs::read_to_string(env.path("rej.ndjson")).unwrap();
    assert_eq!(rejects, format!("{}\n{}\n", lines[1], lines[2]));
    // Every reader of the store still works.
    assert_eq!(identifiers(&env), ["a@x.org", "ok@x.org"]);
    env.ok(&["users", "export"]);
    env.ok(&["users", "show", "ok@x.org", "-o", "json"]);
    let doctor: Value = serde_json::from_slice(&env.run(&["doctor", "-o", "json"]).stdout).unwrap();
    let codes: Vec<&str> = doctor["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "too_deep").count(),
        2,
        "{doctor:#}"
    );
}

/// Item 1: the other ways a record reads back differently than written: integers beyond 64
/// bits (read back rounded), floats beyond a double, lone surrogates, over-long strings,
/// identifiers and documents, Firebase `customAttributes` nested one level deeper. A NUL
/// escape is valid JSON and reads back as it was.
#[test]
fn numbers_strings_and_sizes_that_would_not_read_back_are_refused() {
    let env = Env::new();
    let long_id = format!("{}@x.org", "a".repeat(600));
    let lines = [
        auth0_line(
            "big@x.org",
            r#", "app_metadata": {"n": 123456789012345678901234567890}"#,
        ),
        auth0_line("huge@x.org", r#", "app_metadata": {"f": 1e400}"#),
        auth0_line("sur@x.org", r#", "user_metadata": {"s": "\ud800"}"#),
        auth0_line(
            "str@x.org",
            &format!(r#", "user_metadata": {{"s": "{}"}}"#, "x".repeat(40 * 1024)),
        ),
        auth0_line(&long_id, ""),
        auth0_line(
            "doc@x.org",
            &format!(
                r#", "user_metadata": {{{}}}"#,
                (0..12)
                    .map(|i| format!(r#""k{i}": "{}""#, "y".repeat(30 * 1024)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
        auth0_line(
            "nul@x.org",
            r#", "user_metadata": {"s": "a\u0000b", "n": 18446744073709551615, "m": -9223372036854775808}"#,
        ),
    ];
    env.write("u.ndjson", &lines.join("\n"));
    pool(&env, "a0", "u.ndjson", &["--format", "auth0-ndjson"]);
    let (code, summary, stderr) = import(&env, &["--pool", "a0"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(summary["imported"], 1, "{stderr}");
    for (line, reason) in [
        (1, "number_out_of_range"),
        (4, "string_too_long"),
        (5, "invalid_identifier"),
        (6, "too_large"),
    ] {
        assert!(
            has_line(&stderr, line, reason),
            "line {line} {reason}: {stderr}"
        );
    }
    // Refused already by the reader (the store's parser would refuse them too).
    assert!(
        stderr.contains("line 2: rejected") && stderr.contains("line 3: rejected"),
        "{stderr}"
    );
    let show: Value =
        serde_json::from_str(&env.ok(&["users", "show", "nul@x.org", "-o", "json"])).unwrap();
    assert_eq!(
        show["user"]["profile"]["user_metadata"],
        json!({"s": "a\u{0}b", "n": 18446744073709551615u64, "m": i64::MIN})
    );

    // Map-built profiles: the Firebase reader parses customAttributes (a string) into the
    // profile, one level deeper than in the file.
    let attrs = nested(32).to_string();
    let record = json!({"localId": "1", "email": "fb@x.org", "customAttributes": attrs});
    let text = format!(
        "{{\"users\": [\n{record},\n{}\n]}}",
        r#"{"localId": "2", "email": "fb2@x.org", "score": 98765432109876543210}"#
    );
    env.write("fb.json", &text);
    let hash_config = repo().join("tests/fixtures/exports/firebase-hash-config.json");
    pool(
        &env,
        "fb",
        "fb.json",
        &["--hash-config", hash_config.to_str().unwrap()],
    );
    let (code, summary, stderr) = import(&env, &["--pool", "fb"]);
    assert_eq!(
        (code, summary["rejected"].as_u64()),
        (Some(VALIDATION), Some(2)),
        "{stderr}"
    );
    assert!(
        has_line(&stderr, 2, "too_deep") && has_line(&stderr, 3, "number_out_of_range"),
        "{stderr}"
    );
}

/// Item 1, reader side: a store that already holds a profile nested past serde_json's limit
/// (written by an older version) names that user and goes on: list, export, show, doctor and
/// the user's own login work; set-metadata refuses to merge into metadata it cannot read.
#[test]
fn a_store_already_holding_an_unreadable_row_degrades_gracefully() {
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

/// Item 1: `users set-metadata` applies the same limits, to the value as typed (a parsed
/// value has already rounded a big integer); a value that is not JSON stays a string.
#[test]
fn set_metadata_refuses_what_would_not_read_back() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash\na@x.org,{HELLO_BCRYPT}\n"),
    );
    pool(&env, "csv", "u.csv", &[]);
    assert_eq!(import(&env, &["--pool", "csv"]).0, Some(0));
    let deep = format!("deep={}", nested(40));
    env.refused(
        &["users", "set-metadata", "a@x.org", &deep],
        VALIDATION,
        &["nests deeper than 32"],
    );
    env.refused(
        &[
            "users",
            "set-metadata",
            "a@x.org",
            "n=123456789012345678901234567890",
        ],
        VALIDATION,
        &["cannot keep exactly"],
    );
    env.write("meta.json", &json!({"d": nested(40)}).to_string());
    env.refused(
        &["users", "set-metadata", "a@x.org", "--file", "meta.json"],
        VALIDATION,
        &["nests deeper"],
    );
    let out = env.ok(&[
        "users",
        "set-metadata",
        "a@x.org",
        "x=NaN",
        "y=1e999x",
        "-o",
        "json",
    ]);
    let meta: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(meta, json!({"x": "NaN", "y": "1e999x"}));
}

/// An idp pool in `sync` mode (shadow copies refreshed at every login).
fn idp_sync(env: &Env) {
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
        "--mode",
        "sync",
    ]);
}

fn claims_login(env: &Env, id: &str, claims: &Value) -> (Option<i32>, Value) {
    env.write("claims.json", &claims.to_string());
    let out = env.run(&[
        "simulate-login",
        id,
        "--claims",
        "claims.json",
        "--commit",
        "-o",
        "json",
    ]);
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
    )
}

/// Item 1 and 2 at login: the profile (claims) a source returns at a first login, or at a
/// sync refresh, and the identifier it names, are checked before anything is written; the
/// login fails closed naming the pool (R5).
#[test]
fn first_login_and_sync_refresh_refuse_what_the_store_cannot_keep() {
    let env = Env::new();
    idp_sync(&env);
    let base = json!({"iss": "https://id.example.org", "sub": "s1", "email": "fed@x.org"});
    let mut deep = base.clone();
    deep["org"] = nested(40);
    let (code, trace) = claims_login(&env, "fed@x.org", &deep);
    assert_eq!(code, Some(6), "{trace:#}");
    assert_eq!(trace["reason"], "source_unavailable", "{trace:#}");
    assert!(
        trace["message"].as_str().unwrap().contains("nests deeper"),
        "{trace:#}"
    );
    assert!(users(&env).is_empty());

    let mut zwsp = base.clone();
    zwsp["email"] = json!("fed\u{200b}@x.org");
    zwsp["sub"] = json!("s2");
    let (code, trace) = claims_login(&env, "s2", &zwsp);
    assert_eq!(
        (code, trace["reason"].as_str()),
        (Some(6), Some("source_unavailable")),
        "{trace:#}"
    );
    assert!(
        trace["message"].as_str().unwrap().contains("U+200B"),
        "{trace:#}"
    );
    assert!(users(&env).is_empty());

    // A sync refresh that would nest too deep is refused; the copy stays as it was.
    let (code, trace) = claims_login(&env, "fed@x.org", &base);
    assert_eq!(code, Some(0), "{trace:#}");
    let before = users(&env);
    let (code, trace) = claims_login(&env, "fed@x.org", &deep);
    assert_eq!(
        (code, trace["reason"].as_str()),
        (Some(6), Some("source_unavailable")),
        "{trace:#}"
    );
    assert_eq!(users(&env), before);
}

/// Item 2 (R6): identifiers and aliases with control characters (ESC, newline), invisible
/// format characters (zero-width space, right-to-left override, BOM) are refused at import
/// with their line; a tenant property value holding one is no tenant, and not replaced by
/// the fallback either, which R4 keeps for missing, null, empty and non-string values.
#[test]
fn r6_control_and_invisible_characters_are_refused_at_import() {
    let env = Env::new();
    let csv = format!(
        "email,password_hash,tenant_id\n\
         ada@x.org,{HELLO_BCRYPT},acme\n\
         ada\u{200b}@x.org,{HELLO_BCRYPT},acme\n\
         \"evil\u{1b}[2J@x.org\",{HELLO_BCRYPT},acme\n\
         \u{202e}gro.x@bob,{HELLO_BCRYPT},acme\n\
         \"two\nlines@x.org\",{HELLO_BCRYPT},acme\n\
         bom\u{feff}@x.org,{HELLO_BCRYPT},acme\n\
         carol@x.org,{HELLO_BCRYPT},\"ac\u{1b}]0;me\"\n"
    );
    env.write("u.csv", &csv);
    pool(&env, "csv", "u.csv", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (
            summary["imported"].as_u64(),
            summary["by_reason"]["invalid_identifier"].as_u64()
        ),
        (Some(1), Some(5)),
        "{stderr}"
    );
    assert_eq!(summary["by_reason"]["tenant_unresolved"].as_u64(), Some(1));
    for line in [3, 4, 5, 6, 8, 9] {
        // (Escaping what the report echoes is another matter: line 6 prints its newline.)
        assert!(
            stderr.contains(&format!("line {line}: rejected")),
            "line {line}: {stderr}"
        );
    }
    assert_eq!(identifiers(&env), ["ada@x.org"]);
    assert!(
        stderr.contains("line 9: rejected carol@x.org (tenant_unresolved)")
            && stderr.contains("not a usable tenant ID"),
        "{stderr}"
    );

    // An alias (a Keycloak username beside the email) is checked as well.
    let kc = json!({"realm": "r", "users": [
        {"id": "1", "email": "kc@x.org", "username": "kc\u{200b}", "enabled": true},
    ]});
    env.write("kc.json", &kc.to_string());
    pool(&env, "kc", "kc.json", &[]);
    let (code, _, stderr) = import(&env, &["--pool", "kc"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("(invalid_identifier)") && stderr.contains("alias"),
        "{stderr}"
    );
}

/// Item 2 (R4, R6): every other entry refuses them too: `users create` (identifier and
/// `--tenant`), `--tenant fixed:` and `--tenant-fallback fixed:`, a login's identifier.
#[test]
fn r6_control_and_invisible_characters_are_refused_at_every_other_entry() {
    let env = Env::new();
    for (id, tenant) in [
        ("ada\u{200b}@x.org", None),
        ("a\u{1b}[31m@x.org", None),
        ("ok@x.org", Some("t\u{202e}")),
    ] {
        let mut args = vec!["users", "create", id, "--password-stdin"];
        if let Some(t) = tenant {
            args.extend(["--tenant", t]);
        }
        let out = env.cmd().args(&args).write_stdin("pw\n").output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(VALIDATION),
            "{id:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(users(&env).is_empty());
    for tenant in [
        ["--tenant", "fixed:acme\u{200b}"],
        ["--tenant-fallback", "fixed:a\u{7}"],
    ] {
        let mut args = vec![
            "create", "p", "--type", "external", "--source", "export", "--file", "u.csv",
        ];
        if tenant[0] == "--tenant-fallback" {
            args.extend(["--tenant", "property:t"]);
        }
        args.extend(tenant);
        env.refused(&args, VALIDATION, &["tenant", "R4"]);
    }
    let out = env
        .cmd()
        .args(["simulate-login", "ada\u{200b}@x.org", "--password-stdin"])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(VALIDATION),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// R6: characters that look like a space or like nothing without being Cc/Cf are refused as
/// well, naming their code point: a no-break space, U+3000 ideographic space, U+2800 braille
/// blank, the Hangul fillers (U+115F, U+3164, U+FFA0), a variation selector and U+034F, the
/// default-ignorable combining grapheme joiner; at import (each line) and by `users create`.
#[test]
fn r6_blank_lookalikes_and_default_ignorables_are_refused_naming_the_code_point() {
    let env = Env::new();
    let bad = [
        ('\u{a0}', "U+00A0"),
        ('\u{3000}', "U+3000"),
        ('\u{2800}', "U+2800"),
        ('\u{115f}', "U+115F"),
        ('\u{3164}', "U+3164"),
        ('\u{ffa0}', "U+FFA0"),
        ('\u{fe0f}', "U+FE0F"),
        ('\u{34f}', "U+034F"),
    ];
    let mut csv = format!("email,password_hash\nok@x.org,{HELLO_BCRYPT}\n");
    for (c, _) in bad {
        csv.push_str(&format!("a{c}b@x.org,{HELLO_BCRYPT}\n"));
    }
    env.write("u.csv", &csv);
    pool(&env, "csv", "u.csv", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (
            summary["imported"].as_u64(),
            summary["by_reason"]["invalid_identifier"].as_u64()
        ),
        (Some(1), Some(bad.len() as u64)),
        "{stderr}"
    );
    for (i, (_, point)) in bad.iter().enumerate() {
        let line = i + 3;
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("line {line}: rejected"))
                    && l.contains("(invalid_identifier)")
                    && l.contains(point)),
            "line {line} ({point}): {stderr}"
        );
    }
    for (c, point) in bad {
        let out = env
            .cmd()
            .args([
                "users",
                "create",
                &format!("a{c}b@x.org"),
                "--password-stdin",
            ])
            .write_stdin("pw\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{point}: {stderr}");
        assert!(stderr.contains(point), "{point}: {stderr}");
        // The message echoes no invisible character: it is written as an escape.
        assert!(!stderr.contains(c), "{point}: {stderr}");
    }
    assert_eq!(identifiers(&env), ["ok@x.org"]);
}

/// Issue 8 (F4, R6): private-use characters (no standard font draws them: `a\u{e000}b` looks
/// like `ab` in `users list`), noncharacters and U+FFFD (the mark of a mis-decoded export)
/// are refused like the invisible ones, naming the code point: identifiers at import and by
/// `users create`, tenant IDs (`--tenant`, `fixed:`) and a login's identifier.
#[test]
fn r6_private_use_noncharacters_and_replacement_character_are_refused() {
    let env = Env::new();
    let bad = [
        ('\u{e000}', "U+E000", "private-use"),
        ('\u{f8ff}', "U+F8FF", "private-use"),
        ('\u{10fffd}', "U+10FFFD", "private-use"),
        ('\u{fdd0}', "U+FDD0", "noncharacter"),
        ('\u{ffff}', "U+FFFF", "noncharacter"),
        ('\u{10ffff}', "U+10FFFF", "noncharacter"),
        ('\u{fffd}', "U+FFFD", "wrong encoding"),
    ];
    let mut csv = format!("email,password_hash\nab@x.org,{HELLO_BCRYPT}\n");
    for (c, _, _) in bad {
        csv.push_str(&format!("a{c}b@x.org,{HELLO_BCRYPT}\n"));
    }
    env.write("u.csv", &csv);
    pool(&env, "csv", "u.csv", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        summary["by_reason"]["invalid_identifier"].as_u64(),
        Some(bad.len() as u64),
        "{stderr}"
    );
    for (i, (c, point, what)) in bad.iter().enumerate() {
        let line = i + 3;
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("line {line}: rejected"))
                    && l.contains("(invalid_identifier)")
                    && l.contains(point)
                    && l.contains(what)),
            "line {line} ({point}): {stderr}"
        );
        // The report echoes the identifier with the character escaped.
        assert!(!stderr.contains(*c), "{point}: {stderr}");
    }
    for (c, point, what) in bad {
        for (id, tenant) in [
            (format!("a{c}b@x.org"), None),
            ("t@x.org".into(), Some(format!("t{c}"))),
        ] {
            let mut args = vec!["users", "create", &id, "--password-stdin"];
            if let Some(t) = &tenant {
                args.extend(["--tenant", t]);
            }
            let out = env
                .cmd()
                .args(&args)
                .write_stdin("Pw-12345678\n")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(VALIDATION), "{point}: {stderr}");
            assert!(
                stderr.contains(point) && stderr.contains(what),
                "{point}: {stderr}"
            );
            assert!(!stderr.contains(c), "{point}: {stderr}");
        }
        env.refused(
            &[
                "create",
                "p",
                "--type",
                "external",
                "--source",
                "export",
                "--file",
                "u.csv",
                "--tenant",
                &format!("fixed:acme{c}"),
            ],
            VALIDATION,
            &[point, "R4"],
        );
        let out = env
            .cmd()
            .args([
                "simulate-login",
                &format!("a{c}b@x.org"),
                "--password-stdin",
            ])
            .write_stdin("pw\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{point}: {stderr}");
        assert!(stderr.contains(point), "{point}: {stderr}");
    }
    assert_eq!(identifiers(&env), ["ab@x.org"]);
}

fn auth0_export(n: usize) -> String {
    (1..=n)
        .map(|i| auth0_line(&format!("u{i}@x.org"), "") + "\n")
        .collect()
}

/// `pools ARGS` with `input` piped into its stdin through a real pipe.
fn piped(env: &Env, args: &[&str], input: &str) -> std::process::Output {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = input.to_owned();
    let writer = std::thread::spawn(move || {
        // The child may stop reading early (an error): a broken pipe is its answer then.
        let _ = stdin.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// Item 3: an export piped in is read once: `--file -` and `--file /dev/stdin` import every
/// row (format detected from the same stream), and a CSV reject file gets the header from it.
#[test]
fn piped_input_is_read_once() {
    let env = Env::new();
    env.export_pool("p");
    for file in ["-", "/dev/stdin"] {
        let env = Env::new();
        env.export_pool("p");
        let out = piped(
            &env,
            &[
                "users", "import", "--pool", "p", "--file", file, "-o", "json",
            ],
            &auth0_export(3),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{file}: {stderr}");
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (summary["read"].as_u64(), summary["imported"].as_u64()),
            (Some(3), Some(3)),
            "{file}"
        );
        assert_eq!(summary["format"], "auth0-ndjson");
    }
    let csv = format!(
        "email,password_hash\n\"bad\u{200b}@x.org\",{HELLO_BCRYPT}\nok@x.org,{HELLO_BCRYPT}\n"
    );
    let out = piped(
        &env,
        &[
            "users",
            "import",
            "--pool",
            "p",
            "--file",
            "-",
            "--reject-file",
            "rej.csv",
        ],
        &csv,
    );
    assert_eq!(
        out.status.code(),
        Some(VALIDATION),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(env.path("rej.csv")).unwrap(),
        format!("email,password_hash\n\"bad\u{200b}@x.org\",{HELLO_BCRYPT}\n")
    );
    // An empty pipe is no success.
    let out = piped(&env, &["users", "import", "--pool", "p", "--file", "-"], "");
    assert_eq!(out.status.code(), Some(VALIDATION));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}

/// A FIFO at `rel`, written with `text` by a thread (which blocks until a reader opens it).
fn fifo(env: &Env, rel: &str, text: String, writes: usize) -> std::thread::JoinHandle<()> {
    let path = env.path(rel);
    let made = StdCommand::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    std::thread::spawn(move || {
        for _ in 0..writes {
            let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
            let _ = f.write_all(text.as_bytes());
        }
    })
}

/// Runs `pools ARGS`, failing (not hanging) if it has not ended within a minute.
fn run_bounded(env: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("pools {args:?} hung on a FIFO (opened it twice?)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Item 3: a FIFO is opened once, by the import and by a login through an export pool whose
/// file is a FIFO (the format detected from the same stream).
#[test]
fn a_fifo_is_opened_once_by_import_and_login() {
    let env = Env::new();
    env.export_pool("p");
    let writer = fifo(&env, "in.fifo", auth0_export(4), 1);
    let out = run_bounded(
        &env,
        &[
            "users", "import", "--pool", "p", "--file", "in.fifo", "-o", "json",
        ],
        "",
    );
    writer.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["imported"], 4);

    // A store whose only pool reads a FIFO.
    let env = Env::new();
    let csv = format!("email,password_hash\nlogin@x.org,{HELLO_BCRYPT}\n");
    let writer = fifo(&env, "pool.fifo", csv, 1);
    env.ok(&[
        "create",
        "f",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "pool.fifo",
        "--mode",
        "jit",
    ]);
    let out = run_bounded(
        &env,
        &[
            "simulate-login",
            "login@x.org",
            "--password-stdin",
            "-o",
            "json",
        ],
        "hello\n",
    );
    writer.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Item 4: rows that are not UTF-8 (Latin-1) are in the reject file byte for byte: a CSV row,
/// an NDJSON line and a user object of a JSON document (whose other users still land).
#[test]
fn latin1_rows_reach_the_reject_file_byte_for_byte() {
    let env = Env::new();
    let mut csv = format!("email,password_hash,name\nok@x.org,{HELLO_BCRYPT},Ok\n").into_bytes();
    // "José" in Latin-1: 0xE9 is no UTF-8.
    let mut row = format!("jose@x.org,{HELLO_BCRYPT},Jos").into_bytes();
    row.extend_from_slice(b"\xE9\n");
    csv.extend_from_slice(&row);
    std::fs::write(env.path("u.csv"), &csv).unwrap();
    pool(&env, "csv", "u.csv", &[]);
    let (code, _, stderr) = import(&env, &["--pool", "csv", "--reject-file", "rej.csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    let mut want = b"email,password_hash,name\n".to_vec();
    want.extend_from_slice(&row);
    assert_eq!(std::fs::read(env.path("rej.csv")).unwrap(), want);

    let mut nd = auth0_line("a@x.org", "").into_bytes();
    nd.push(b'\n');
    let mut bad = auth0_line("b@x.org", r#", "name": "Jos_""#).into_bytes();
    let at = bad.iter().position(|b| *b == b'_').unwrap();
    bad[at] = 0xE9;
    nd.extend_from_slice(&bad);
    nd.extend_from_slice(b"\r\n");
    std::fs::write(env.path("u.ndjson"), &nd).unwrap();
    pool(&env, "nd", "u.ndjson", &["--format", "auth0-ndjson"]);
    let (code, _, stderr) = import(&env, &["--pool", "nd", "--reject-file", "rej.ndjson"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    let mut want = bad.clone();
    want.push(b'\n');
    assert_eq!(std::fs::read(env.path("rej.ndjson")).unwrap(), want);

    let mut doc = format!("[\n{},\n", auth0_line("c@x.org", "")).into_bytes();
    doc.extend_from_slice(&bad);
    doc.extend_from_slice(format!(",\n{}\n]\n", auth0_line("d@x.org", "")).as_bytes());
    std::fs::write(env.path("u.json"), &doc).unwrap();
    pool(&env, "js", "u.json", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "js", "--reject-file", "rej.json"]);
    assert_eq!(
        (code, summary["imported"].as_u64()),
        (Some(VALIDATION), Some(2)),
        "{stderr}"
    );
    let mut want = b"[\n".to_vec();
    want.extend_from_slice(&bad);
    want.extend_from_slice(b"\n]\n");
    assert_eq!(std::fs::read(env.path("rej.json")).unwrap(), want);
}

/// Item 5: an input with content but no records is a clear refusal, never "read 0,
/// imported 0": empty, whitespace only, a CSV header alone, an empty users array.
#[test]
fn empty_blank_and_header_only_inputs_are_refused() {
    let env = Env::new();
    env.export_pool("p");
    for (name, text, format, needle) in [
        ("empty.ndjson", "", "auth0-ndjson", "the file is empty"),
        (
            "blank.ndjson",
            "\n  \n\t\n",
            "auth0-ndjson",
            "only whitespace",
        ),
        ("blank.csv", "\r\n\r\n", "csv", "only whitespace"),
        (
            "header.csv",
            "email,password_hash\n",
            "csv",
            "a header row and no data rows",
        ),
        ("none.json", "[]", "auth0-json", "an empty users array"),
        (
            "realm.json",
            r#"{"realm": "r", "users": []}"#,
            "keycloak",
            "an empty users array",
        ),
    ] {
        env.write(name, text);
        for with_format in [true, false] {
            let mut args = vec!["users", "import", "--pool", "p", "--file", name];
            if with_format {
                args.extend(["--format", format]);
            }
            let out = env.run(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(VALIDATION),
                "{name} {with_format}: {stderr}"
            );
            assert!(stderr.contains(needle), "{name} {with_format}: {stderr}");
        }
    }
    assert!(users(&env).is_empty());
}

/// Item 5: a record longer than the readers hold (1 MiB) is refused with its line, without
/// the reader buffering it: an NDJSON line (the next lines still land), a JSON document's
/// user (the others still land), a CSV row (reading stops there, naming its line).
#[test]
fn a_huge_record_is_refused_with_its_line() {
    let env = Env::new();
    let pad = "x".repeat(3 << 20);
    let lines = [
        auth0_line("a@x.org", ""),
        auth0_line("big@x.org", &format!(r#", "blob": "{pad}""#)),
        auth0_line("c@x.org", ""),
    ];
    env.write("u.ndjson", &lines.join("\n"));
    pool(&env, "nd", "u.ndjson", &["--format", "auth0-ndjson"]);
    let (code, summary, stderr) = import(&env, &["--pool", "nd", "--reject-file", "r1"]);
    assert_eq!(
        (code, summary["imported"].as_u64()),
        (Some(VALIDATION), Some(2)),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 2: rejected") && stderr.contains("longer than 1 MiB"),
        "{stderr}"
    );

    env.write(
        "u.json",
        &format!(
            "[\n{},\n{}\n]",
            lines[1].replace("big@", "big2@"),
            auth0_line("d@x.org", "")
        ),
    );
    pool(&env, "js", "u.json", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "js"]);
    assert_eq!(
        (code, summary["imported"].as_u64()),
        (Some(VALIDATION), Some(1)),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 2: rejected") && stderr.contains("longer than 1 MiB"),
        "{stderr}"
    );

    env.write(
        "u.csv",
        &format!(
            "email,password_hash,blob\ne@x.org,{HELLO_BCRYPT},x\nf@x.org,{HELLO_BCRYPT},\"{pad}\"\n"
        ),
    );
    pool(&env, "csv", "u.csv", &[]);
    let (code, _, stderr) = import(&env, &["--pool", "csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("u.csv:3") && stderr.contains("longer than 1 MiB"),
        "{stderr}"
    );
}

/// `set-metadata KEY=VALUE`: a value written as an object or array that is not valid JSON
/// (out-of-range number, nested past the parser, a trailing comma) is refused, never kept as
/// a look-alike string; a key given twice is a usage error.
#[test]
fn set_metadata_pairs_refuse_broken_json() {
    let env = Env::new();
    env.cmd()
        .args(["users", "create", "m@x.org", "--password-stdin"])
        .write_stdin("native-pass-123")
        .assert()
        .success();
    let deep = format!("deep={}{}", "[".repeat(200), "]".repeat(200));
    for pair in ["bad={\"a\":1e400}", deep.as_str(), "c=[1,2,]"] {
        env.refused(
            &["users", "set-metadata", "m@x.org", pair],
            VALIDATION,
            &["is not valid JSON", "hint: "],
        );
    }
    env.refused(
        &["users", "set-metadata", "m@x.org", "a=1", "a=2"],
        USAGE,
        &["\"a\" is given twice"],
    );
    env.ok(&["users", "set-metadata", "m@x.org", "s=\"[x\""]);
    let shown = env.ok(&["users", "show", "m@x.org", "-o", "json"]);
    assert!(shown.contains("\"s\": \"[x\""), "{shown}");
}
