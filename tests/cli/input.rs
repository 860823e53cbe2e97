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

/// The users of the store, through `users list -o json` (which must succeed).
fn users(env: &Env) -> Vec<Value> {
    serde_json::from_str(&env.ok(&["users", "list", "-o", "json"])).unwrap()
}

pub fn identifiers(env: &Env) -> Vec<String> {
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
pub fn nested_text(levels: usize) -> String {
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
        &["deeper than 32 levels"],
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
        &["deeper than 32"],
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
    env.write("claims.json", &id_token(claims).to_string());
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
        trace["message"]
            .as_str()
            .unwrap()
            .contains("deeper than 32"),
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

    // Trial finding 10: an ESC in `sub` is refused naming the `sub` claim, the source user
    // ID, not as an alias (it is one only because the subject is also a login name).
    let mut esc = base.clone();
    esc["sub"] = json!("s\u{1b}[2J3");
    let (code, trace) = claims_login(&env, "fed@x.org", &esc);
    assert_eq!(code, Some(6), "{trace:#}");
    let message = trace["message"].as_str().unwrap();
    assert!(
        message.contains("`sub`")
            && message.contains("source user ID")
            && message.contains("U+001B"),
        "{trace:#}"
    );
    assert!(!message.contains("alias"), "{trace:#}");
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

/// Issue 8, item 2: a CRLF input's rejected rows reach the reject file byte for byte, `\r\n`
/// kept, and so do a CSV header and the UTF-8 BOM before it; a quoted cell's own line break
/// stays as it was. (A last row without a line end gets the file's.)
#[test]
fn crlf_rows_reach_the_reject_file_byte_for_byte() {
    let env = Env::new();
    let bad_hash = "$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    let header = "\u{feff}email,password_hash,note\r\n";
    let rows = [
        format!("ok@x.org,{HELLO_BCRYPT},fine\r\n"),
        format!("bad@x.org,{bad_hash},\"two\r\nlines\"\r\n"),
        format!("ok2@x.org,{HELLO_BCRYPT},fine\r\n"),
        format!("\"zw\u{200b}@x.org\",{HELLO_BCRYPT},x"),
    ];
    env.write("u.csv", &format!("{header}{}", rows.concat()));
    pool(&env, "csv", "u.csv", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "csv", "--reject-file", "rej.csv"]);
    assert_eq!(
        (
            code,
            summary["imported"].as_u64(),
            summary["rejected"].as_u64()
        ),
        (Some(VALIDATION), Some(2), Some(2)),
        "{stderr}"
    );
    let want = format!("{header}{}{}\r\n", rows[1], rows[3]);
    assert_eq!(
        String::from_utf8(std::fs::read(env.path("rej.csv")).unwrap()).unwrap(),
        want
    );

    let lines = [
        auth0_line("a@x.org", "") + "\r\n",
        auth0_line("b@x.org", r#", "tenant_id": ["1", "2"]"#) + "\r\n",
        "\r\n".to_owned(),
        auth0_line("c@x.org", r#", "tenant_id": ["3", "4"]"#) + "\r\n",
    ];
    env.write("u.ndjson", &lines.concat());
    pool(&env, "nd", "u.ndjson", &[]);
    let (code, summary, stderr) = import(&env, &["--pool", "nd", "--reject-file", "rej.ndjson"]);
    assert_eq!(
        (code, summary["rejected"].as_u64()),
        (Some(VALIDATION), Some(2)),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(env.path("rej.ndjson")).unwrap(),
        format!("{}{}", lines[1], lines[3]).into_bytes()
    );
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

/// `pools ARGS` through assert_cmd, killed (and the test failed) after 30 s: exit code and
/// stderr.
fn run_timed(env: &Env, args: &[&str]) -> (Option<i32>, String) {
    let out = env
        .cmd()
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.code().is_some(),
        "pools {args:?} was killed: it read on past the bounds\n{stderr}"
    );
    (out.status.code(), stderr)
}

/// A FIFO at `rel` that gives its one reader `head`, then `fill` without end: an input that
/// never ends, like `/dev/zero`, with chosen bytes. The writer stops when the reader is gone.
fn endless_fifo(env: &Env, rel: &str, head: &'static [u8], fill: u8) {
    let path = env.path(rel);
    let made = StdCommand::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    // Not joined: it ends with a broken pipe once pools stops reading.
    std::thread::spawn(move || {
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) else {
            return;
        };
        let chunk = [fill; 64 * 1024];
        if f.write_all(head).is_ok() {
            while f.write_all(&chunk).is_ok() {}
        }
    });
}

/// Issue 8, item 1: a record that never ends stops the import after a bounded read (the
/// record limit, 1 MiB, held at most; the 64 MiB discard limit read at most), with an error
/// that names the file, the byte offset where the record starts and the fix. `/dev/zero` in
/// every format, forced or detected, and a generated file with one 70 MiB line after a good
/// one (whose user is imported).
#[test]
fn a_record_without_end_stops_the_import_after_a_bounded_read() {
    let env = Env::new();
    env.export_pool("p");
    let import = |args: &[&str]| {
        let mut all = vec!["users", "import", "--pool", "p"];
        all.extend_from_slice(args);
        run_timed(&env, &all)
    };
    let (code, stderr) = import(&["--file", "/dev/zero"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("/dev/zero: cannot tell the export format"),
        "{stderr}"
    );
    for format in [
        "auth0-ndjson",
        "csv",
        "firebase",
        "auth0-json",
        "keycloak",
        "cognito",
    ] {
        let (code, stderr) = import(&["--file", "/dev/zero", "--format", format]);
        assert_eq!(code, Some(VALIDATION), "{format}: {stderr}");
        assert!(stderr.contains("--file: /dev/zero:1"), "{format}: {stderr}");
        assert!(
            stderr.contains("hint: nothing was imported"),
            "{format}: {stderr}"
        );
    }
    let (_, stderr) = import(&["--file", "/dev/zero", "--format", "auth0-ndjson"]);
    assert!(
        stderr.contains("the line that starts at byte 0 has no line end within 64 MiB")
            && stderr.contains("if the file is not NDJSON")
            && stderr.contains("split that line"),
        "{stderr}"
    );
    let (_, stderr) = import(&["--file", "/dev/zero", "--format", "csv"]);
    assert!(
        stderr.contains("the row that starts here (byte 0) is longer than 1 MiB")
            && stderr.contains("if the file is not CSV"),
        "{stderr}"
    );

    let first = auth0_line("a@x.org", "") + "\n";
    let mut text = first.clone().into_bytes();
    text.extend_from_slice(br#"{"email": "big@x.org", "blob": ""#);
    text.extend(std::iter::repeat_n(b'x', 70 << 20));
    std::fs::write(env.path("huge.ndjson"), &text).unwrap();
    drop(text);
    let (code, stderr) = import(&["--file", "huge.ndjson"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "--file: huge.ndjson:2: malformed auth0-ndjson file: the line that starts at byte {} has no line end within 64 MiB",
            first.len()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: rows before the error were imported"),
        "{stderr}"
    );
    assert_eq!(identifiers(&env), ["a@x.org"]);
}

/// Issue 8, item 1: the JSON document reader bounds a user record that never ends (a string
/// never closed) and a top-level key that never ends (serde_json would hold it whole), on
/// an input that never ends; the CSV reader names the byte where its too-long row starts.
#[test]
fn a_json_value_without_end_stops_the_import_after_a_bounded_read() {
    let env = Env::new();
    env.export_pool("p");
    let head: &[u8] = b"{\"users\": [{\"email\": \"a@x.org\", \"blob\": \"";
    endless_fifo(&env, "record.fifo", head, b'x');
    let (code, stderr) = run_timed(
        &env,
        &["users", "import", "--pool", "p", "--file", "record.fifo"],
    );
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("record.fifo:1: malformed firebase file: the user record that starts at byte 11 has no end within 64 MiB"),
        "{stderr}"
    );
    assert!(stderr.contains("pass the right --format"), "{stderr}");

    endless_fifo(&env, "key.fifo", b"{\"", b'k');
    let (code, stderr) = run_timed(
        &env,
        &[
            "users", "import", "--pool", "p", "--file", "key.fifo", "--format", "keycloak",
        ],
    );
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("key.fifo:1: malformed keycloak file: the top-level key that starts at byte 1 is longer than 1 MiB"),
        "{stderr}"
    );

    // A BOM counts: offsets are the file's own.
    let header = "\u{feff}email,password_hash,blob\r\n";
    let row = format!("e@x.org,{HELLO_BCRYPT},x\r\n");
    let big = format!("f@x.org,{HELLO_BCRYPT},\"{}\"\r\n", "x".repeat(2 << 20));
    env.write("u.csv", &format!("{header}{row}{big}"));
    let (code, stderr) = run_timed(&env, &["users", "import", "--pool", "p", "--file", "u.csv"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the row that starts here (byte {}) is longer than 1 MiB",
            header.len() + row.len()
        )),
        "{stderr}"
    );
}

/// Issue 8, item 1: `users restore` bounds a backup line that never ends (an input that
/// never ends) the same way, naming the byte offset; `/dev/zero` is refused after a bounded
/// read too.
#[test]
fn a_backup_line_without_end_stops_the_restore_after_a_bounded_read() {
    let env = Env::new();
    endless_fifo(&env, "backup.fifo", b"{\"id\": \"", b'x');
    let (code, stderr) = run_timed(&env, &["users", "restore", "--file", "backup.fifo"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(
            "backup.fifo:1: the line that starts at byte 0 has no line end within 64 MiB"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("hint: this is no backup"), "{stderr}");
    let (code, stderr) = run_timed(&env, &["users", "restore", "--file", "/dev/zero"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("/dev/zero:1: the row that starts here (byte 0) is longer than 1 MiB"),
        "{stderr}"
    );
}

/// `set-metadata KEY=VALUE`: a value written as an object or array that is not valid JSON
/// (out-of-range number, nested past the parser, a trailing comma) is refused, never kept as
/// a look-alike string, and so is an object naming one key twice (as `--file` refuses it);
/// a key given twice is a usage error.
#[test]
fn set_metadata_pairs_refuse_broken_json() {
    let env = Env::new();
    env.cmd()
        .args(["users", "create", "m@x.org", "--password-stdin"])
        .write_stdin("native-pass-123")
        .assert()
        .success();
    let deep = format!("deep={}{}", "[".repeat(200), "]".repeat(200));
    env.refused(
        &["users", "set-metadata", "m@x.org", "d={\"a\":1,\"a\":2}"],
        VALIDATION,
        &["is not valid JSON", "key \"a\" appears twice"],
    );
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

/// Rust and serde type words that must never reach an operator (issue 8).
const RUST_TERMS: &[&str] = &[
    "struct ", "enum ", "u64", "usize", "u128", "i128", "YAML tag", "PoolSpec", "variant",
];

/// Issue 8: bad values in a YAML or JSON document and in backup records are refused in the
/// field's terms (the values allowed, a whole number, a pool's settings), never with serde's
/// Rust type names; each refusal names the field.
#[test]
fn bad_values_are_refused_without_rust_type_names() {
    let env = Env::new();
    let pool = "name: a, type: external, source: export, file: u.csv";
    let documents: Vec<(String, &str)> = vec![
        (
            "pools: [5]".into(),
            "expected a pool: a mapping of its settings",
        ),
        ("5".into(), "expected a document"),
        (
            format!("pools: [{{{pool}, mode: [1]}}]"),
            "pools[0].mode: expected one of `passthrough`, `sync`, `jit`, found a list",
        ),
        (
            format!("pools: [{{{pool}, mode: {{a: 1}}}}]"),
            "expected one of `passthrough`, `sync`, `jit`",
        ),
        (
            format!("pools: [{{{pool}, mode: jitt}}]"),
            "pools[0].mode: \"jitt\" is not one of",
        ),
        (
            "pools: [{name: a, type: [external]}]".into(),
            "pools[0].type: expected one of `external`, `idp`, found a list",
        ),
        (
            format!("pools: [{{{pool}, allow: [{{a: 1}}]}}]"),
            "pools[0].allow[0]: expected one of `social`",
        ),
        (
            format!("pools: [{{{pool}, version: x}}]"),
            "pools[0].version: expected a whole number, 0 or more, found the text \"x\"",
        ),
        (format!("- {{{pool}, position: -1}}"), "position: "),
        (
            format!("pools: [{{{pool}, position: 99999999999999999999999}}]"),
            "pools[0].position: the integer 99999999999999999999999 is too large",
        ),
        (
            r#"{"pools": [{"name": "a", "type": "external", "source": 5}]}"#.into(),
            "pools[0].source: ",
        ),
    ];
    for (text, needle) in &documents {
        env.write("bad.yaml", text);
        let stderr = env.refused(&["apply", "-f", "bad.yaml"], VALIDATION, &[needle]);
        for term in RUST_TERMS {
            assert!(!stderr.contains(term), "{text}: {term:?} in\n{stderr}");
        }
    }

    // Backup records (NDJSON): the field first, as CSV backups say it.
    let out = env
        .cmd()
        .args(["users", "create", "a@x.org", "--password-stdin"])
        .write_stdin("Pass-word-123\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = env.ok(&["users", "export"]);
    let line = line.trim_end();
    let records = [
        (
            line.replace("\"version\":1", "\"version\":\"x\""),
            "version: invalid type: string \"x\", expected a whole number, 0 or more",
        ),
        (
            line.replace("\"origin\":\"native\"", "\"origin\":5"),
            "origin: invalid type: integer `5`, expected one of `native`, `migrated`, `shadow`",
        ),
        (
            line.replace("\"origin\":\"native\"", "\"origin\":[\"native\"]"),
            "origin: invalid type: sequence",
        ),
        (
            line.replace("\"origin\":\"native\"", "\"origin\":\"alien\""),
            "origin: \"alien\" is not one of `native`, `migrated`, `shadow`",
        ),
        (
            line.replace("\"import_line\":null", "\"import_line\":-3"),
            "import_line: invalid value: integer `-3`, expected a whole number",
        ),
    ];
    for (record, needle) in &records {
        assert_ne!(record, line, "the test's edit did not apply");
        env.write("backup.ndjson", &format!("{record}\n"));
        let out = env.run(&["users", "restore", "--file", "backup.ndjson"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
        assert!(
            stderr.contains(&format!("(invalid_record): {needle}")),
            "{needle}\n{stderr}"
        );
        for term in RUST_TERMS {
            assert!(!stderr.contains(term), "{record}: {term:?} in\n{stderr}");
        }
    }
}

/// serde's own words for a value of the wrong type (`invalid type: map, expected a string`,
/// `sequence`, `unit value`, `missing field`) that must not reach an operator (issue 8).
const SERDE_TERMS: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "missing field",
    "sequence",
    "unit value",
    " map,",
    "found map",
    "a string",
    "a boolean",
    "struct ",
    "enum ",
    "variant",
    "Option",
    "String",
    "Vec",
    "u64",
    "usize",
    "serde",
    "deserializ",
    "YAML tag",
];

/// Issue 8: every setting of a pool given the wrong YAML type (a mapping or a list for text,
/// text for a list, ...) is refused naming its field path (`pools[0].tenant`), what the
/// document should hold there, and the setting's line, never in serde's or Rust's words;
/// so are a `pools:` of the wrong type, a missing `name` and a second document.
#[test]
fn wrong_shapes_are_refused_in_the_documents_words() {
    let env = Env::new();
    let text_fields = [
        "name",
        "tenant",
        "tenant_fallback",
        "domain",
        "client_id",
        "client_secret",
        "region",
        "user_pool_id",
        "endpoint_url",
        "project_id",
        "api_key",
        "url",
        "auth_header",
        "file",
        "format",
        "hash_config",
        "issuer",
        "tenant_claim",
    ];
    let mut cases: Vec<(&str, &str, String)> = Vec::new();
    for f in text_fields {
        cases.push((
            f,
            "{a: 1}",
            format!("pools[0].{f}: expected text, found a mapping"),
        ));
        cases.push((
            f,
            "[a]",
            format!("pools[0].{f}: expected text, found a list"),
        ));
    }
    for f in ["allow", "domains"] {
        cases.push((
            f,
            "{a: 1}",
            format!("pools[0].{f}: expected a list, found a mapping"),
        ));
    }
    cases.push((
        "domains",
        "example.com",
        "pools[0].domains: expected a list, found the text \"example.com\"".into(),
    ));
    for v in ["{a: 1}", "[true]", "\"yes\""] {
        cases.push((
            "enabled",
            v,
            "pools[0].enabled: expected `true` or `false`, found ".into(),
        ));
    }
    for f in ["version", "position"] {
        cases.push((
            f,
            "{a: 1}",
            format!("pools[0].{f}: expected a whole number, 0 or more, found a mapping"),
        ));
        cases.push((
            f,
            "[1]",
            format!("pools[0].{f}: expected a whole number, 0 or more, found a list"),
        ));
    }
    for (f, names) in [
        ("type", "`external`, `idp`"),
        ("mode", "`passthrough`, `sync`, `jit`"),
    ] {
        cases.push((
            f,
            "{a: 1}",
            format!("pools[0].{f}: expected one of {names}, found a mapping"),
        ));
    }
    cases.push((
        "source",
        "[auth0]",
        "pools[0].source: expected one of `auth0`".into(),
    ));
    for (field, value, needle) in &cases {
        // A valid export pool, with `field` (on line 6) set to `value`.
        let mut lines = vec![
            ("name", "a"),
            ("type", "external"),
            ("source", "export"),
            ("file", "u.csv"),
        ];
        lines.retain(|(k, _)| k != field);
        let mut doc = String::from("pools:\n- ");
        for (k, v) in &lines {
            doc.push_str(&format!("{k}: {v}\n  "));
        }
        doc.push_str(&format!("{field}: {value}\n"));
        let line = lines.len() + 2;
        env.write("bad.yaml", &doc);
        let stderr = env.refused(
            &["apply", "-f", "bad.yaml"],
            VALIDATION,
            &[&format!("bad.yaml:{line}:"), needle],
        );
        for term in SERDE_TERMS {
            assert!(!stderr.contains(term), "{doc}: {term:?} in\n{stderr}");
        }
    }
    // The document's own shape, a pool without a name and a second document.
    let pool = "{name: a, type: external, source: export, file: u.csv}";
    for (doc, needle) in [
        (
            "pools: abc\n".to_owned(),
            "bad.yaml:1:8: pools: expected a list, found the text \"abc\"",
        ),
        (
            "pools: {a: 1}\n".to_owned(),
            "bad.yaml:1:8: pools: expected a list, found a mapping",
        ),
        (
            "pools: 5\n".to_owned(),
            "pools: expected a list, found the number 5",
        ),
        (
            "pools:\n- {type: external}\n".to_owned(),
            "pools[0]: the setting `name` is missing",
        ),
        (format!("[{pool}, [1]]"), "pools[1]: expected a pool"),
        (
            format!("pools: [{pool}]\n---\npools: []\n"),
            "bad.yaml:2:1: a second YAML document starts here",
        ),
    ] {
        env.write("bad.yaml", &doc);
        let stderr = env.refused(&["apply", "-f", "bad.yaml"], VALIDATION, &[needle]);
        for term in SERDE_TERMS {
            assert!(!stderr.contains(term), "{doc}: {term:?} in\n{stderr}");
        }
    }
}

/// Issue 8, F2: the 32 KiB string limit is on the string itself, as the store keeps it,
/// however the exporter escaped it: 16,384 × `\u00e9` (32 KiB of `é`) and 32,768 × `\"`
/// (32 KiB of quotes) are kept, one character more is refused, and the refusal states the
/// string's real size, not that of its escapes.
#[test]
fn the_string_limit_is_on_the_decoded_value_not_its_escapes() {
    let env = Env::new();
    let value =
        |escape: &str, n: usize| format!(r#", "user_metadata": {{"x": "{}"}}"#, escape.repeat(n));
    let lines = [
        auth0_line("e1@x.org", &value(r"\u00e9", 16_384)),
        auth0_line("e2@x.org", &value(r"\u00e9", 16_385)),
        auth0_line("q1@x.org", &value(r#"\""#, 32_768)),
        auth0_line("q2@x.org", &value(r#"\""#, 32_769)),
        auth0_line("c1@x.org", &value(r"\u0001", 32_768)),
    ];
    env.write("u.ndjson", &lines.join("\n"));
    pool(&env, "a0", "u.ndjson", &["--format", "auth0-ndjson"]);
    let (code, summary, stderr) = import(&env, &["--pool", "a0"]);
    assert_eq!(code, Some(VALIDATION), "{stderr}");
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(3), Some(2)),
        "{stderr}"
    );
    for (line, size) in [(2, 32_770), (4, 32_769)] {
        assert!(
            stderr.lines().any(|l| l.starts_with(&format!("line {line}: rejected"))
                && l.contains(&format!(
                    "(string_too_long): record field `user_metadata` holds a string of 33 KiB ({size} bytes of UTF-8), more than the 32 KiB"
                ))),
            "line {line}: {stderr}"
        );
    }
    assert_eq!(identifiers(&env), ["c1@x.org", "e1@x.org", "q1@x.org"]);
    let show = |who: &str| -> Value {
        serde_json::from_str(&env.ok(&["users", "show", who, "-o", "json"])).unwrap()
    };
    assert_eq!(
        show("e1@x.org")["user"]["profile"]["user_metadata"]["x"],
        "é".repeat(16_384)
    );
    assert_eq!(
        show("q1@x.org")["user"]["profile"]["user_metadata"]["x"],
        "\"".repeat(32_768)
    );
    // What the store kept exports and restores (the same limit, the same way of counting).
    let backup = env.ok(&["users", "export"]);
    let target = Env::new();
    target.write("pools.yaml", &env.export());
    target.ok(&["apply", "-f", "pools.yaml"]);
    target.write("b.ndjson", &backup);
    target.ok(&["users", "restore", "--file", "b.ndjson"]);
    assert_eq!(identifiers(&target), identifiers(&env));
}

/// F21 (R6): a record whose identifier is empty (`"email": ""`, an empty or blank CSV cell,
/// no email nor username) is refused as `invalid_identifier` at its line, by every reader,
/// as any other identifier the rules refuse; the other rows import.
#[test]
fn r6_an_empty_identifier_is_refused_at_its_line_by_every_reader() {
    let wrap = |open: &str, a: &str, b: &str, close: &str| format!("{open}\n{a},\n{b}\n{close}\n");
    let cases: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "csv",
            format!(
                "email,password_hash\nok@x.org,{HELLO_BCRYPT}\n,{HELLO_BCRYPT}\n\"  \",{HELLO_BCRYPT}\n"
            ),
            vec![3, 4],
        ),
        (
            "firebase",
            wrap(
                r#"{"users": ["#,
                r#"{"localId": "1", "email": "ok@x.org"}"#,
                r#"{"localId": "2", "email": ""}"#,
                "]}",
            ),
            vec![3],
        ),
        (
            "auth0-json",
            wrap(
                "[",
                &format!(r#"{{"email": "ok@x.org", "password_hash": "{HELLO_BCRYPT}"}}"#),
                &format!(r#"{{"email": "", "password_hash": "{HELLO_BCRYPT}"}}"#),
                "]",
            ),
            vec![3],
        ),
        (
            "auth0-ndjson",
            format!(
                "{}\n{}\n",
                r#"{"user_id": "auth0|1", "email": "ok@x.org"}"#,
                r#"{"user_id": "auth0|2", "email": "", "username": ""}"#
            ),
            vec![2],
        ),
        (
            "keycloak",
            wrap(
                r#"{"realm": "r", "users": ["#,
                r#"{"id": "1", "enabled": true, "username": "ok", "email": "ok@x.org"}"#,
                r#"{"id": "2", "enabled": true, "username": "", "email": ""}"#,
                "]}",
            ),
            vec![3],
        ),
        (
            "cognito",
            wrap(
                r#"{"Users": ["#,
                r#"{"Username": "u1", "Attributes": [{"Name": "email", "Value": "ok@x.org"}]}"#,
                r#"{"Username": "", "Attributes": [{"Name": "email", "Value": ""}]}"#,
                "]}",
            ),
            vec![3],
        ),
    ];
    for (format, text, lines) in cases {
        let env = Env::new();
        env.write("u.txt", &text);
        pool(&env, "p", "u.txt", &["--format", format]);
        let (code, summary, stderr) = import(&env, &["--pool", "p"]);
        assert_eq!(code, Some(VALIDATION), "{format}: {stderr}");
        assert_eq!(
            (
                summary["imported"].as_u64(),
                summary["rejected"].as_u64(),
                summary["by_reason"]["invalid_identifier"].as_u64()
            ),
            (Some(1), Some(lines.len() as u64), Some(lines.len() as u64)),
            "{format}: {summary:#}\n{stderr}"
        );
        for line in lines {
            assert!(
                has_line(&stderr, line, "invalid_identifier"),
                "{format} line {line}: {stderr}"
            );
        }
    }
}

/// Trial finding 10: `--password-file` and `--hash-config` naming a FIFO that no process
/// writes are refused as not regular files, as `file:` secret references are, instead of
/// blocking forever on the open (`--password-stdin` is the way to pipe a password in).
#[test]
fn password_file_and_hash_config_refuse_a_fifo_without_a_writer() {
    let env = Env::new();
    env.export_pool("p");
    let made = StdCommand::new("mkfifo")
        .arg(env.path("none.fifo"))
        .status()
        .unwrap();
    assert!(made.success());
    for (args, needles) in [
        (
            vec!["simulate-login", "a@x.org", "--password-file", "none.fifo"],
            ["--password-file", "--password-stdin"],
        ),
        (
            vec![
                "create",
                "fb",
                "--type",
                "external",
                "--source",
                "export",
                "--file",
                "users.json",
                "--format",
                "firebase",
                "--hash-config",
                "none.fifo",
            ],
            ["--hash-config", "save them to a file"],
        ),
    ] {
        let out = run_bounded(&env, &args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{args:?}: {stderr}");
        assert!(
            stderr.contains("none.fifo: not a regular file"),
            "{args:?}: {stderr}"
        );
        for n in needles {
            assert!(stderr.contains(n), "{args:?}: lacks {n:?}: {stderr}");
        }
    }
}

/// Trial finding 10: JSON inputs read whole accept a leading UTF-8 byte-order mark, as the CSV
/// and YAML inputs do: `users set-metadata --file`, `simulate-login --claims` and the
/// Firebase `--hash-config`.
#[test]
fn json_files_read_whole_accept_a_byte_order_mark() {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash\na@x.org,{HELLO_BCRYPT}\n"),
    );
    pool(&env, "csv", "u.csv", &[]);
    assert_eq!(import(&env, &["--pool", "csv"]).0, Some(0));
    env.write("meta.json", "\u{feff}{\"plan\": \"pro\"}\n");
    let out = env.ok(&[
        "users",
        "set-metadata",
        "a@x.org",
        "--file",
        "meta.json",
        "-o",
        "json",
    ]);
    let meta: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(meta, json!({"plan": "pro"}));
    let config =
        std::fs::read_to_string(repo().join("tests/fixtures/exports/firebase-hash-config.json"))
            .unwrap();
    env.write("bom-config.json", &format!("\u{feff}{config}"));
    env.write("users.json", "{\"users\": []}\n");
    env.ok(&[
        "create",
        "fb",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "users.json",
        "--format",
        "firebase",
        "--hash-config",
        "bom-config.json",
    ]);
}

/// Retrial finding 11: an identifier refused for its length gets a hint about its length, not
/// the hint about control and invisible characters; one refused for a character keeps that.
#[test]
fn a_too_long_identifier_is_told_its_length() {
    let env = Env::new();
    env.write("pw.txt", "pw");
    let long = format!("{}@example.com", "a".repeat(600));
    let stderr = env.refused(
        &["simulate-login", &long, "--password-file", "pw.txt"],
        VALIDATION,
        &["more than 512", "at most 512 bytes"],
    );
    assert!(!stderr.contains("character named"), "{stderr}");
    let stderr = env.refused(
        &[
            "simulate-login",
            "a\u{200b}b@example.com",
            "--password-file",
            "pw.txt",
        ],
        VALIDATION,
        &["character named"],
    );
    assert!(!stderr.contains("at most 512"), "{stderr}");
}
