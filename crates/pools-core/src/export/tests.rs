//! Tests of the export readers against the sample exports in `fixtures/`
//! (Firebase CLI auth:export JSON, Auth0 bulk user import schema, Auth0 user
//! export job NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users
//! output, RFC 4180 CSV with header) and small malformed files written to a
//! temporary directory.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        // The workspace's one set of fixtures, shared with the binary's tests.
        .join("../../tests/fixtures/exports")
        .join(name)
}

/// Every item passed to the callback, and the function's result.
fn collect(
    path: &Path,
    format: Option<ExportFormat>,
) -> (
    Vec<Result<ExportRecord, ExportError>>,
    Result<ReadSummary, ExportError>,
) {
    let mut items = Vec::new();
    let result = read(path, format, |item| {
        items.push(item);
        ControlFlow::Continue(())
    });
    (items, result)
}

/// All records of a file that must read without any error.
fn records(name: &str) -> Vec<ExportRecord> {
    let path = fixture(name);
    let (items, result) = collect(&path, None);
    let summary = result.expect("file reads");
    assert_eq!(summary.records as usize, items.len());
    assert_eq!(summary.record_errors, 0);
    items
        .into_iter()
        .map(|r| r.expect("record reads"))
        .collect()
}

fn write_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write test file");
    path
}

/// The value at a dotted path of a profile.
fn at<'a>(profile: &'a serde_json::Map<String, Value>, dotted: &str) -> Option<&'a Value> {
    let mut parts = dotted.split('.');
    let mut v = profile.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v)
}

#[test]
fn detects_every_sample() {
    let cases = [
        ("firebase-auth-export.json", ExportFormat::Firebase),
        ("auth0-bulk-import.json", ExportFormat::Auth0Json),
        ("auth0-users-export.ndjson", ExportFormat::Auth0Ndjson),
        ("keycloak-realm-export.json", ExportFormat::Keycloak),
        ("cognito-list-users.json", ExportFormat::Cognito),
        ("users.csv", ExportFormat::Csv),
    ];
    for (name, format) in cases {
        assert_eq!(detect(&fixture(name)).expect(name), format, "{name}");
    }
}

#[test]
fn unknown_content_is_unknown_format_with_the_fix() {
    let err = detect(&fixture("firebase-hash-config.json")).expect_err("not an export");
    assert!(matches!(err, ExportError::UnknownFormat { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("firebase-hash-config.json"), "{msg}");
    assert!(msg.contains("--format NAME"), "{msg}");
    assert!(
        msg.contains("firebase, auth0-json, auth0-ndjson, keycloak, cognito, csv"),
        "{msg}"
    );
    // Key names may be named, values never.
    assert!(!msg.contains("jxspr8Ki0RYy"), "{msg}");

    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in [
        ("empty.json", &b""[..]),
        ("blank.txt", b"  \n\n"),
        ("text.txt", b"hello world\nsecond line\n"),
        ("nums.json", b"[1, 2, 3]"),
        ("obj.json", b"{\"a\": 1}"),
        ("csv-no-email.csv", b"name,age\nx,1\n"),
    ] {
        let path = write_file(&dir, name, content);
        let err = detect(&path).expect_err(name);
        // No content at all is said so, before any format is guessed.
        let empty = content.iter().all(u8::is_ascii_whitespace);
        assert!(
            matches!(err, ExportError::UnknownFormat { .. }) != empty
                && matches!(err, ExportError::Empty { .. }) == empty,
            "{name}: {err:?}"
        );
        assert_eq!(err.path(), path);
    }
    // read() without a format detects, and fails the same way.
    let path = dir.path().join("text.txt");
    let (items, result) = collect(&path, None);
    assert!(items.is_empty());
    assert!(matches!(result, Err(ExportError::UnknownFormat { .. })));
}

#[test]
fn detection_reads_content_after_bom_not_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8], ExportFormat); 7] = [
        (
            "a.txt",
            b"\xEF\xBB\xBF{\"users\": []}",
            ExportFormat::Firebase,
        ),
        ("b.csv", b"[]", ExportFormat::Auth0Json),
        (
            "c.json",
            b"{\"user_id\": \"x\", \"email\": \"a@b.c\"}\n",
            ExportFormat::Auth0Ndjson,
        ),
        (
            "d.json",
            b"[{\"Username\": \"u\", \"Attributes\": []}]",
            ExportFormat::Cognito,
        ),
        (
            "e.json",
            b"{\"users\": [{\"username\": \"u\", \"credentials\": []}]}",
            ExportFormat::Keycloak,
        ),
        ("f.json", b"\xEF\xBB\xBFEmail,x\r\n", ExportFormat::Csv),
        ("g", b"\"email\",\"password_hash\"\n", ExportFormat::Csv),
    ];
    for (name, content, format) in cases {
        let path = write_file(&dir, name, content);
        assert_eq!(detect(&path).expect(name), format, "{name}");
    }
}

#[test]
fn firebase_sample() {
    let recs = records("firebase-auth-export.json");
    let ids: Vec<&str> = recs.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(
        ids,
        [
            "user1@test.com",
            "Rosa.Marin@Example.com",
            "idle.user@example.com",
            "social.only@example.com"
        ]
    );
    let lines: Vec<u64> = recs.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 12, 23, 33]);
    let disabled: Vec<bool> = recs.iter().map(|r| r.disabled).collect();
    assert_eq!(disabled, [false, false, true, false]);
    let kinds: Vec<&str> = recs.iter().map(|r| r.credential.kind()).collect();
    assert_eq!(
        kinds,
        [
            "firebase-scrypt",
            "firebase-scrypt",
            "firebase-scrypt",
            "federated-only"
        ]
    );
    assert_eq!(
        recs[0].credential,
        RawCredential::FirebaseScrypt {
            hash: "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==".into(),
            salt: "42xEC+ixf3L2lw==".into(),
        }
    );
    assert_eq!(
        recs[3].credential,
        RawCredential::None(NoCredential::FederatedOnly {
            providers: vec!["google.com".into()]
        })
    );
    assert_eq!(
        recs[0].external_id.as_deref(),
        Some("kYi4EvWQlQTKSfnJ3dRSP6IH3ed2")
    );
    let rosa = &recs[1].profile.to_map().unwrap();
    assert_eq!(rosa.get("tenantId"), Some(&json!("acme")));
    assert_eq!(at(rosa, "customAttributes.tenantId"), Some(&json!("acme")));
    assert_eq!(at(rosa, "customAttributes.plan"), Some(&json!("pro")));
    assert_eq!(rosa.get("displayName"), Some(&json!("Rosa Marin")));
    for r in &recs {
        assert!(!r.profile.to_map().unwrap().contains_key("passwordHash"));
        assert!(!r.profile.to_map().unwrap().contains_key("salt"));
        assert!(r.aliases.is_empty());
        assert!(r.raw.starts_with('{') && r.raw.ends_with('}'));
        let back: Value = serde_json::from_str(&r.raw).expect("raw is the JSON object");
        assert_eq!(back["email"], json!(r.identifier));
    }
}

#[test]
fn auth0_bulk_import_sample() {
    let recs = records("auth0-bulk-import.json");
    let ids: Vec<&str> = recs.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(
        ids,
        [
            "hello.user@example.com",
            "argon.user@example.com",
            "pbkdf.user@example.com",
            "blocked.user@example.com"
        ]
    );
    assert_eq!(
        recs.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 19, 34, 50]
    );
    assert_eq!(
        recs.iter().map(|r| r.disabled).collect::<Vec<_>>(),
        [false, false, false, true]
    );
    assert_eq!(
        recs.iter().map(|r| r.credential.kind()).collect::<Vec<_>>(),
        ["crypt", "auth0-custom", "auth0-custom", "crypt"]
    );
    assert_eq!(
        recs[0].credential,
        RawCredential::Crypt("$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K".into())
    );
    let RawCredential::Auth0Custom(custom) = &recs[1].credential else {
        panic!("custom hash expected");
    };
    assert_eq!(custom["algorithm"], json!("argon2"));
    assert_eq!(
        recs[0].external_id.as_deref(),
        Some("auth0|5f1c0a1b2c3d4e5f60718293")
    );
    assert_eq!(
        at(&recs[0].profile.to_map().unwrap(), "app_metadata.tenantId"),
        Some(&json!("globex"))
    );
    assert_eq!(
        at(&recs[2].profile.to_map().unwrap(), "app_metadata.tenantId"),
        Some(&json!("initech"))
    );
    assert_eq!(
        at(&recs[0].profile.to_map().unwrap(), "user_metadata.locale"),
        Some(&json!("ja-JP"))
    );
    for r in &recs {
        assert!(!r.profile.to_map().unwrap().contains_key("password_hash"));
        assert!(
            !r.profile
                .to_map()
                .unwrap()
                .contains_key("custom_password_hash")
        );
    }
}

#[test]
fn auth0_export_job_sample() {
    let recs = records("auth0-users-export.ndjson");
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].identifier, "hello.user@example.com");
    assert_eq!(recs[1].identifier, "no.hash@example.com");
    assert_eq!(recs[0].line, 1);
    assert_eq!(recs[1].line, 2);
    assert_eq!(
        recs[1].external_id.as_deref(),
        Some("auth0|5f1c0a1b2c3d4e5f60718297")
    );
    for r in &recs {
        assert_eq!(r.credential, RawCredential::None(NoCredential::NotExported));
        assert!(!r.disabled);
    }
    assert_eq!(
        at(&recs[0].profile.to_map().unwrap(), "app_metadata.tenantId"),
        Some(&json!("globex"))
    );
    assert_eq!(
        at(&recs[1].profile.to_map().unwrap(), "app_metadata.tenantId"),
        Some(&json!(["initech"]))
    );
    let text = std::fs::read_to_string(fixture("auth0-users-export.ndjson")).expect("fixture");
    assert_eq!(recs[1].raw, text.lines().nth(1).expect("line 2"));
}

#[test]
fn keycloak_sample() {
    let recs = records("keycloak-realm-export.json");
    let ids: Vec<&str> = recs.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(
        ids,
        [
            "user1@legacy.example.org",
            "sam.sha512@legacy.example.org",
            "off.user@legacy.example.org"
        ]
    );
    assert_eq!(recs[0].aliases, ["user1"]);
    assert_eq!(recs[1].aliases, ["sam.sha512"]);
    assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), [5, 34, 61]);
    assert_eq!(
        recs.iter().map(|r| r.disabled).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert_eq!(
        recs[0].external_id.as_deref(),
        Some("11111111-2222-4333-8444-555555555555")
    );
    let RawCredential::Keycloak {
        secret_data,
        credential_data,
    } = &recs[1].credential
    else {
        panic!("keycloak credential expected");
    };
    let secret: Value = serde_json::from_str(secret_data).expect("secretData is JSON");
    let data: Value = serde_json::from_str(credential_data).expect("credentialData is JSON");
    assert_eq!(secret["salt"], json!("a2Mtc2FsdC01MTItMDAwMQ=="));
    assert_eq!(data["hashIterations"], json!(210000));
    assert_eq!(data["algorithm"], json!("pbkdf2-sha512"));
    assert_eq!(
        at(&recs[0].profile.to_map().unwrap(), "attributes.tenant"),
        Some(&json!(["acme"]))
    );
    assert_eq!(
        at(&recs[1].profile.to_map().unwrap(), "attributes.tenant"),
        Some(&json!(["acme", "globex"]))
    );
    for r in &recs {
        assert_eq!(r.credential.kind(), "keycloak");
        assert!(!r.profile.to_map().unwrap().contains_key("credentials"));
        assert!(r.profile.to_map().unwrap().contains_key("username"));
    }
}

#[test]
fn cognito_sample() {
    let recs = records("cognito-list-users.json");
    let ids: Vec<&str> = recs.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(
        ids,
        [
            "lee.park@example.org",
            "pending.user@example.org",
            "gone.user@example.org"
        ]
    );
    assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 28, 49]);
    assert_eq!(
        recs.iter().map(|r| r.disabled).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert_eq!(
        recs.iter().map(|r| r.credential.kind()).collect::<Vec<_>>(),
        ["not-exported", "password-change-required", "not-exported"]
    );
    let p = &recs[0].profile.to_map().unwrap();
    assert_eq!(p.get("custom:tenantId"), Some(&json!("umbrella")));
    assert_eq!(p.get("email_verified"), Some(&json!("true")));
    assert_eq!(
        p.get("Username"),
        Some(&json!("c0a8f2d4-1b3e-4f5a-9c7d-2e4f6a8b0c1d"))
    );
    assert_eq!(p.get("Enabled"), Some(&json!(true)));
    assert_eq!(p.get("UserStatus"), Some(&json!("CONFIRMED")));
    assert_eq!(
        recs[0].external_id.as_deref(),
        Some("c0a8f2d4-1b3e-4f5a-9c7d-2e4f6a8b0c1d")
    );
    // Username equals the sub: not a login name, so no alias.
    assert!(recs[0].aliases.is_empty());
}

#[test]
fn csv_sample() {
    let recs = records("users.csv");
    let ids: Vec<&str> = recs.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(
        ids,
        [
            "abc.user@example.net",
            "django.user@example.net",
            "argon.i@example.net"
        ]
    );
    assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(
        recs[2].credential,
        RawCredential::Crypt(
            "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"
                .into()
        )
    );
    assert_eq!(
        recs[1].credential,
        RawCredential::Crypt(
            "pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=".into()
        )
    );
    let p = &recs[0].profile.to_map().unwrap();
    assert_eq!(p.get("tenant_id"), Some(&json!("northwind")));
    assert_eq!(p.get("given_name"), Some(&json!("Abe")));
    assert_eq!(p.get("email"), Some(&json!("abc.user@example.net")));
    assert!(!p.contains_key("password_hash"));
    let text = std::fs::read_to_string(fixture("users.csv")).expect("fixture");
    for (r, line) in recs.iter().zip(text.lines().skip(1)) {
        assert_eq!(r.raw, line);
        assert!(!r.disabled);
        assert!(r.external_id.is_none());
    }
}

#[test]
fn truncated_json_array_is_a_syntax_error_at_the_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "[\n  {\"email\": \"a@example.com\"},\n  {\n    \"email\": \"b@example.com\",\n    \"name\": \"B";
    let path = write_file(&dir, "cut.json", text.as_bytes());
    assert_eq!(detect(&path).expect("detects"), ExportFormat::Auth0Json);
    let (items, result) = collect(&path, None);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().expect("first user").line, 2);
    let err = result.expect_err("truncated");
    let ExportError::Syntax { at, problem, .. } = &err else {
        panic!("syntax error expected: {err:?}");
    };
    assert_eq!(at.line, Some(5));
    assert!(problem.contains("starts at line 3"), "{problem}");
    let msg = err.to_string();
    assert!(msg.contains("cut.json:5:"), "{msg}");
    assert!(msg.contains("truncated"), "{msg}");

    // Cut between records, and empty.
    let path = write_file(&dir, "cut2.json", b"{\"users\": [\n{\"email\": \"a@x\"},\n");
    let (items, result) = collect(&path, Some(ExportFormat::Firebase));
    assert_eq!(items.len(), 1);
    let err = result.expect_err("truncated");
    assert!(matches!(err, ExportError::Syntax { .. }), "{err:?}");
    assert_eq!(err.line(), Some(3));
    let path = write_file(&dir, "empty.json", b"");
    let err = read(&path, Some(ExportFormat::Keycloak), |_| {
        ControlFlow::Continue(())
    })
    .expect_err("empty");
    assert!(err.to_string().contains("empty"), "{err}");
}

#[test]
fn malformed_json_document_is_a_syntax_error_with_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "{\"users\": [\n{\"email\": \"a@x\"},\n{\"email\": \"b@x\" \"name\": 1}\n]}\n";
    let path = write_file(&dir, "bad.json", text.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Firebase));
    assert_eq!(items.len(), 1);
    let err = result.expect_err("malformed");
    assert!(matches!(err, ExportError::Syntax { .. }), "{err:?}");
    assert_eq!(err.line(), Some(3));
    assert!(err.column().is_some());
    assert!(err.to_string().contains("line 3"), "{err}");

    let path = write_file(&dir, "trailing.json", b"{\"users\": []} x");
    let err = read(&path, Some(ExportFormat::Firebase), |_| {
        ControlFlow::Continue(())
    })
    .expect_err("trailing");
    assert!(matches!(err, ExportError::Syntax { .. }), "{err:?}");
}

#[test]
fn ndjson_bad_line_is_a_record_error_and_reading_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "{\"email\": \"a@x\", \"user_id\": \"1\"}\r\n\
                {\"email\": \"b@x\", \"user_id\": \"2\"}\n\
                {\"email\": \"c@x\", \"user_id\n\
                \n\
                {\"email\": \"d@x\", \"user_id\": \"4\"}";
    let path = write_file(&dir, "users.ndjson", text.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Ndjson));
    let summary = result.expect("file stays readable");
    assert_eq!(summary.records, 3);
    assert_eq!(summary.record_errors, 1);
    assert_eq!(items.len(), 4);
    let ok: Vec<(u64, &str)> = items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .map(|r| (r.line, r.identifier.as_str()))
        .collect();
    assert_eq!(ok, [(1, "a@x"), (2, "b@x"), (5, "d@x")]);
    let err = items[2].as_ref().expect_err("line 3");
    assert!(matches!(err, ExportError::Syntax { .. }), "{err:?}");
    assert_eq!(err.line(), Some(3));
    assert_eq!(err.raw(), Some(&b"{\"email\": \"c@x\", \"user_id"[..]));
    assert!(err.to_string().contains("users.ndjson:3"), "{err}");
    // CR of the CRLF line end is not part of the record.
    assert!(items[0].as_ref().expect("line 1").raw.ends_with('}'));
}

#[test]
fn ndjson_invalid_utf8_is_an_encoding_error_for_that_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = b"{\"email\": \"a@x\"}\n{\"email\": \"b\xFF@x\"}\n{\"email\": \"c@x\"}\n";
    let path = write_file(&dir, "latin.ndjson", text);
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Ndjson));
    let summary = result.expect("readable");
    assert_eq!((summary.records, summary.record_errors), (2, 1));
    let err = items[1].as_ref().expect_err("line 2");
    let ExportError::Encoding { at, byte, raw } = err else {
        panic!("encoding error expected: {err:?}");
    };
    assert_eq!(at.line, Some(2));
    assert_eq!(at.column, Some(13));
    assert_eq!(*byte, 0xFF);
    // The line byte for byte, for the reject file.
    assert_eq!(
        raw.as_ref().map(|r| &r.0[..]),
        Some(&b"{\"email\": \"b\xFF@x\"}"[..])
    );
    assert!(err.to_string().contains("latin.ndjson:2:13"), "{err}");
}

#[test]
fn ndjson_given_a_json_document_says_so_once() {
    let path = fixture("firebase-auth-export.json");
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Ndjson));
    assert!(items.is_empty());
    assert!(
        matches!(result, Err(ExportError::Shape { .. })),
        "{result:?}"
    );
    let path = fixture("auth0-bulk-import.json");
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Ndjson));
    assert!(items.is_empty());
    let err = result.expect_err("array");
    assert!(err.to_string().contains("--format auth0-json"), "{err}");
}

#[test]
fn invalid_utf8_in_a_json_user_rejects_that_user_and_is_fatal_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = b"{\"users\": [\n{\"email\": \"a@x\"},\n{\"email\": \"b@x\",\n \"displayName\": \"Jos\xE9\"},\n{\"email\": \"c@x\"}\n]}\n";
    let path = write_file(&dir, "latin.json", text);
    let (items, result) = collect(&path, Some(ExportFormat::Firebase));
    let summary = result.expect("the other users are read");
    assert_eq!((summary.records, summary.record_errors), (2, 1));
    let err = items[1].as_ref().expect_err("the Latin-1 user");
    let ExportError::Encoding { at, byte, raw } = err else {
        panic!("encoding error expected: {err:?}");
    };
    assert_eq!(at.line, Some(4));
    assert_eq!(at.column, Some(21));
    assert_eq!(*byte, 0xE9);
    // The user object byte for byte, for the reject file.
    let raw = &raw.as_ref().expect("raw").0;
    assert_eq!(
        &raw[..],
        &b"{\"email\": \"b@x\",\n \"displayName\": \"Jos\xE9\"}"[..]
    );

    // Cut inside a multi-byte character at the very end.
    let path = write_file(&dir, "cut.json", b"{\"users\": [], \"x\": \"\xC3");
    let err = read(&path, Some(ExportFormat::Firebase), |_| {
        ControlFlow::Continue(())
    })
    .expect_err("encoding");
    assert!(matches!(err, ExportError::Encoding { .. }), "{err:?}");
    assert_eq!(err.line(), Some(1));

    // Invalid bytes in a skipped top-level key are found too.
    let path = write_file(
        &dir,
        "kc.json",
        b"{\"realm\": \"r\",\n\"displayName\": \"\xFF\",\n\"users\": []}",
    );
    let err = read(&path, Some(ExportFormat::Keycloak), |_| {
        ControlFlow::Continue(())
    })
    .expect_err("encoding");
    assert_eq!(err.line(), Some(2));
}

#[test]
fn csv_with_bom_crlf_quotes_and_blank_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "\u{FEFF}Email,password_hash,tenant_id,note\r\n\
                a@example.com,\"$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i\",t1,\r\n\
                \r\n\
                b@example.com,,t2,\"two\r\nlines, \"\"quoted\"\"\"\r\n\
                c@example.com,,,plain\r\n";
    let path = write_file(&dir, "bom.csv", text.as_bytes());
    assert_eq!(detect(&path).expect("detects"), ExportFormat::Csv);
    let recs: Vec<ExportRecord> = collect(&path, None)
        .0
        .into_iter()
        .map(|r| r.expect("row reads"))
        .collect();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4, 6]);
    assert_eq!(recs[0].identifier, "a@example.com");
    assert_eq!(recs[0].credential.kind(), "crypt");
    assert!(!recs[0].profile.to_map().unwrap().contains_key("note"));
    assert_eq!(
        recs[1].credential,
        RawCredential::None(NoCredential::Missing)
    );
    assert_eq!(
        recs[1].profile.to_map().unwrap().get("note"),
        Some(&json!("two\r\nlines, \"quoted\""))
    );
    assert_eq!(
        recs[1].raw,
        "b@example.com,,t2,\"two\r\nlines, \"\"quoted\"\"\""
    );
    assert_eq!(recs[2].raw, "c@example.com,,,plain");
    assert!(!recs[2].profile.to_map().unwrap().contains_key("tenant_id"));
    // Header names are kept as written (the email column matched
    // case-insensitively).
    assert_eq!(
        recs[2].profile.to_map().unwrap().get("Email"),
        Some(&json!("c@example.com"))
    );
}

#[test]
fn csv_unquoted_phc_hash_is_a_field_count_error_naming_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "email,password_hash,tenant_id\n\
                a@example.com,$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i,t1\n\
                b@example.com,$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA,t1\n\
                c@example.com,,t1\n\
                d@example.com,\n";
    let path = write_file(&dir, "phc.csv", text.as_bytes());
    let (items, result) = collect(&path, None);
    let summary = result.expect("readable");
    assert_eq!((summary.records, summary.record_errors), (2, 2));
    let err = items[1].as_ref().expect_err("row 3");
    let ExportError::FieldCount {
        at,
        expected,
        found,
        ..
    } = err
    else {
        panic!("field count error expected: {err:?}");
    };
    assert_eq!((at.line, *expected, *found), (Some(3), 3, 5));
    let msg = err.to_string();
    assert!(msg.contains("phc.csv:3"), "{msg}");
    assert!(msg.contains("quote the field"), "{msg}");
    assert!(!msg.contains("wWKIMhR9"), "{msg}");
    assert!(err.raw().is_some_and(|r| r.starts_with(b"b@example.com,")));
    assert_eq!(
        items[2].as_ref().expect("row 4").identifier,
        "c@example.com"
    );
    let short = items[3].as_ref().expect_err("row 5");
    assert!(
        matches!(short, ExportError::FieldCount { found: 2, .. }),
        "{short:?}"
    );
    assert!(short.to_string().contains("keep the commas"), "{short}");
}

#[test]
fn csv_header_and_quote_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_file(&dir, "noemail.csv", b"name,password_hash\nx,y\n");
    let err = read(
        &path,
        Some(ExportFormat::Csv),
        |_| ControlFlow::Continue(()),
    )
    .expect_err("no email column");
    assert!(matches!(err, ExportError::Shape { .. }), "{err:?}");
    assert!(err.to_string().contains("no `email` column"), "{err}");

    let path = write_file(&dir, "empty.csv", b"");
    let err = read(
        &path,
        Some(ExportFormat::Csv),
        |_| ControlFlow::Continue(()),
    )
    .expect_err("empty");
    assert!(
        matches!(err, ExportError::Empty { blank: false, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("the file is empty"), "{err}");

    let path = write_file(
        &dir,
        "open.csv",
        b"email,name\na@x,ok\nb@x,\"never closed\nc@x,y\n",
    );
    let (items, result) = collect(&path, Some(ExportFormat::Csv));
    assert_eq!(items.len(), 1);
    let err = result.expect_err("unterminated quote");
    assert!(matches!(err, ExportError::Syntax { .. }), "{err:?}");
    assert_eq!(err.line(), Some(3));

    let path = write_file(&dir, "noid.csv", b"email,name\n,nobody\na@x,ok\n");
    let (items, result) = collect(&path, Some(ExportFormat::Csv));
    result.expect("readable");
    assert!(matches!(
        items[0],
        Err(ExportError::MissingField { field: "email", .. })
    ));
    assert!(items[1].is_ok());

    let path = write_file(&dir, "latin.csv", b"email,name\na@x,Jos\xE9\nb@x,ok\n");
    let (items, result) = collect(&path, Some(ExportFormat::Csv));
    result.expect("readable");
    let err = items[0].as_ref().expect_err("encoding");
    assert!(
        matches!(err, ExportError::Encoding { byte: 0xE9, .. }),
        "{err:?}"
    );
    assert_eq!((err.line(), err.column()), (Some(2), Some(8)));
    assert!(items[1].is_ok());
}

#[test]
fn wrong_shape_is_a_shape_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&[u8], ExportFormat, &str); 7] = [
        (
            b"{\"users\": 5}",
            ExportFormat::Firebase,
            "`users` is a number",
        ),
        (
            b"{\"users\": {\"a\": 1}}",
            ExportFormat::Firebase,
            "`users` is an object",
        ),
        (
            b"{\"users\": \"secret\"}",
            ExportFormat::Keycloak,
            "`users` is a string",
        ),
        (b"[]", ExportFormat::Firebase, "top level is an array"),
        (
            b"{\"users\": []}",
            ExportFormat::Auth0Json,
            "top level is an object",
        ),
        (
            b"{\"Users\": []}",
            ExportFormat::Firebase,
            "no `users` array",
        ),
        (
            b"{\"realm\": \"r\", \"users\": []}",
            ExportFormat::Cognito,
            "no `Users` array",
        ),
    ];
    for (i, (content, format, want)) in cases.into_iter().enumerate() {
        let path = write_file(&dir, &format!("shape{i}.json"), content);
        let err =
            read(&path, Some(format), |_| ControlFlow::Continue(())).expect_err("wrong shape");
        assert!(matches!(err, ExportError::Shape { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(want), "{msg}");
        assert!(msg.contains(&format!("shape{i}.json:1")), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
    }
}

#[test]
fn wrongly_typed_field_is_a_record_error_and_reading_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "{\"users\": [\n{\"email\": \"a@x\", \"disabled\": \"yes\"},\n7,\n{\"email\": \"b@x\", \"customAttributes\": \"{not json\"},\n{\"email\": \"c@x\"}\n]}";
    let path = write_file(&dir, "typed.json", text.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Firebase));
    let summary = result.expect("readable");
    assert_eq!((summary.records, summary.record_errors), (1, 3));
    let lines: Vec<Option<u64>> = items
        .iter()
        .map(|i| match i {
            Ok(r) => Some(r.line),
            Err(e) => e.line(),
        })
        .collect();
    assert_eq!(lines, [Some(2), Some(3), Some(4), Some(5)]);
    let msg = items[0].as_ref().expect_err("typed").to_string();
    assert!(msg.contains("field `disabled` is a string"), "{msg}");
    assert!(!msg.contains("yes"), "{msg}");
    assert!(
        items[1]
            .as_ref()
            .expect_err("not an object")
            .to_string()
            .contains("is a number")
    );
    assert!(
        items[2]
            .as_ref()
            .expect_err("bad attrs")
            .to_string()
            .contains("customAttributes")
    );

    let path = write_file(
        &dir,
        "both.json",
        b"[{\"email\": \"a@x\", \"password_hash\": \"$2b$x\", \"custom_password_hash\": {\"algorithm\": \"md5\"}}]",
    );
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Json));
    result.expect("readable");
    assert!(matches!(items[0], Err(ExportError::Shape { .. })));
}

#[test]
fn record_without_identifier_is_missing_field_and_others_still_come() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "{\"realm\": \"r\", \"users\": [\n  {\"id\": \"1\", \"username\": \"only.user\", \"enabled\": true},\n  {\"id\": \"2\", \"enabled\": true, \"credentials\": [{\"type\": \"password\", \"secretData\": \"{\\\"value\\\": \\\"SECRETHASH\\\"}\", \"credentialData\": \"{}\"}]},\n  {\"id\": \"3\", \"email\": \"x@y\", \"username\": \"X@Y\"}\n]}";
    let path = write_file(&dir, "kc.json", text.as_bytes());
    let (items, result) = collect(&path, None);
    let summary = result.expect("readable");
    assert_eq!(summary.format, ExportFormat::Keycloak);
    assert_eq!((summary.records, summary.record_errors), (2, 1));
    let first = items[0].as_ref().expect("username only");
    assert_eq!(first.identifier, "only.user");
    assert!(first.aliases.is_empty());
    let err = items[1].as_ref().expect_err("no identifier");
    let ExportError::MissingField {
        at, external_id, ..
    } = err
    else {
        panic!("missing field expected: {err:?}");
    };
    assert_eq!(at.line, Some(3));
    assert_eq!(external_id.as_deref(), Some("2"));
    let msg = err.to_string();
    assert!(
        msg.contains("kc.json:3") && msg.contains("no email or username"),
        "{msg}"
    );
    assert!(!msg.contains("SECRETHASH") && !format!("{err:?}").contains("SECRETHASH"));
    assert!(
        err.raw()
            .is_some_and(|r| r.windows(10).any(|w| w == b"SECRETHASH"))
    );
    let third = items[2].as_ref().expect("third");
    // Keycloak semantics: no `enabled` means disabled; same-name username is
    // no alias.
    assert!(third.disabled);
    assert!(third.aliases.is_empty());
}

#[test]
fn break_stops_after_the_first_record() {
    for name in [
        "firebase-auth-export.json",
        "auth0-bulk-import.json",
        "auth0-users-export.ndjson",
        "keycloak-realm-export.json",
        "cognito-list-users.json",
        "users.csv",
    ] {
        let mut seen = Vec::new();
        let summary = read(&fixture(name), None, |item| {
            seen.push(item.expect("record").identifier);
            ControlFlow::Break(())
        })
        .expect(name);
        assert_eq!(seen.len(), 1, "{name}");
        assert_eq!(summary.records, 1, "{name}");
    }
    // Break also stops before a later fatal error.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_file(&dir, "cut.json", b"[{\"email\": \"a@x\"}, {\"email\": ");
    let summary = read(&path, None, |_| ControlFlow::Break(())).expect("stopped early");
    assert_eq!(summary.records, 1);
}

#[test]
fn debug_and_messages_print_no_hash_or_salt() {
    let secrets = [
        "lSrfV15cpx95",
        "42xEC+ixf3L2lw",
        "c2FsdHlzYWx0MQ",
        "nFguVi9LsCAcvTZ",
        "CTFhFdXPJO1aFa",
        "c29tZXNhbHQ",
        "JsfNbCOIdZUbyBJ",
        "P5rtFkGtPfoaryJ6",
        "If6bvum7DFjUnE9p",
        "eDupbcisD1UuIiou",
        "seasalt",
        "$2b$",
        "$argon2",
    ];
    for name in [
        "firebase-auth-export.json",
        "auth0-bulk-import.json",
        "keycloak-realm-export.json",
        "users.csv",
    ] {
        for rec in records(name) {
            assert!(
                rec.credential.is_some() || rec.identifier.starts_with("social"),
                "{name}"
            );
            let text = format!("{rec:?} {rec:#?} {:?}", rec.credential);
            for s in secrets {
                assert!(!text.contains(s), "{name}: {s} in {text}");
            }
        }
    }
    let cred = RawCredential::Crypt("$2b$10$abc".into());
    assert_eq!(format!("{cred:?}"), "Crypt(********)");
}

#[test]
fn format_names_parse_display_and_serde() {
    for (format, name) in ExportFormat::ALL.into_iter().zip(ExportFormat::NAMES) {
        assert_eq!(format.to_string(), name);
        assert_eq!(name.parse::<ExportFormat>(), Ok(format));
        assert_eq!(
            serde_json::to_string(&format).expect("serialize"),
            format!("\"{name}\"")
        );
        let back: ExportFormat = serde_json::from_str(&format!("\"{name}\"")).expect("deserialize");
        assert_eq!(back, format);
    }
    assert_eq!(
        " Auth0-JSON ".parse::<ExportFormat>(),
        Ok(ExportFormat::Auth0Json)
    );
    let err = "okta".parse::<ExportFormat>().expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown export format \"okta\"; valid formats: firebase, auth0-json, auth0-ndjson, keycloak, cognito, csv"
    );
}

#[test]
fn io_error_names_the_file() {
    let err = read(Path::new("/nonexistent/users.json"), None, |_| {
        ControlFlow::Continue(())
    })
    .expect_err("missing file");
    assert!(matches!(err, ExportError::Io { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("/nonexistent/users.json: cannot read"),
        "{err}"
    );
}

#[test]
fn keycloak_users_after_big_keys_cognito_bare_array_and_legacy_credentials() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("{\n\"realm\": \"big\",\n\"roles\": {\"realm\": [\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "{{\"name\": \"role-{i}\", \"composite\": false, \"attributes\": {{\"users\": [1, 2]}}}},\n"
        ));
    }
    text.push_str(
        "{}]},\n\"users\": [ {\"username\": \"old\", \"email\": \"old@x\", \"enabled\": true,\n",
    );
    text.push_str("\"credentials\": [{\"type\": \"otp\"}, {\"type\": \"password\", \"hashedSaltedValue\": \"SECRETHASH\", \"salt\": \"U0FMVA==\", \"hashIterations\": 27500, \"algorithm\": \"pbkdf2-sha256\"}]},\n");
    text.push_str("{\"username\": \"fed\", \"enabled\": true, \"federatedIdentities\": [{\"identityProvider\": \"github\", \"userId\": \"1\"}]}\n]\n}\n");
    let path = write_file(&dir, "big-realm.json", text.as_bytes());
    let (items, result) = collect(&path, None);
    assert_eq!(result.expect("reads").format, ExportFormat::Keycloak);
    let old = items[0].as_ref().expect("old");
    assert_eq!(old.line, 5005);
    let RawCredential::Keycloak {
        secret_data,
        credential_data,
    } = &old.credential
    else {
        panic!("keycloak credential expected");
    };
    let secret: Value = serde_json::from_str(secret_data).expect("json");
    let data: Value = serde_json::from_str(credential_data).expect("json");
    assert_eq!(secret["value"], json!("SECRETHASH"));
    assert_eq!(secret["salt"], json!("U0FMVA=="));
    assert_eq!(data["hashIterations"], json!(27500));
    let fed = items[1].as_ref().expect("fed");
    assert_eq!(fed.line, 5007);
    assert_eq!(
        fed.credential,
        RawCredential::None(NoCredential::FederatedOnly {
            providers: vec!["github".into()]
        })
    );

    let path = write_file(
        &dir,
        "users-only.json",
        b"[\n {\"Username\": \"jdoe\", \"Attributes\": [{\"Name\": \"sub\", \"Value\": \"s-1\"}, {\"Name\": \"email\", \"Value\": \"j@x\"}], \"Enabled\": true, \"UserStatus\": \"RESET_REQUIRED\"},\n {\"Username\": \"noemail\", \"Attributes\": []}\n]",
    );
    let (items, result) = collect(&path, None);
    assert_eq!(result.expect("reads").format, ExportFormat::Cognito);
    let j = items[0].as_ref().expect("jdoe");
    assert_eq!(j.identifier, "j@x");
    assert_eq!(j.aliases, ["jdoe"]);
    assert_eq!(j.external_id.as_deref(), Some("s-1"));
    assert_eq!(j.credential.kind(), "password-change-required");
    let n = items[1].as_ref().expect("noemail");
    assert_eq!((n.identifier.as_str(), n.line), ("noemail", 3));
}

#[test]
fn large_generated_files_stream_with_the_right_count() {
    const N: u64 = 200_000;
    let dir = tempfile::tempdir().expect("tempdir");

    let path = dir.path().join("big.ndjson");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for i in 0..N {
        writeln!(
            out,
            "{{\"user_id\": \"auth0|{i}\", \"email\": \"user{i}@example.com\", \"name\": \"Zoë Ünal {i}\", \"app_metadata\": {{\"tenantId\": \"t{}\"}}}}",
            i % 7
        )
        .expect("write");
    }
    out.flush().expect("flush");
    drop(out);
    assert_eq!(detect(&path).expect("detects"), ExportFormat::Auth0Ndjson);
    let mut last = None;
    let summary = read(&path, None, |item| {
        let rec = item.expect("record");
        last = Some((rec.line, rec.identifier));
        ControlFlow::Continue(())
    })
    .expect("reads");
    assert_eq!((summary.records, summary.record_errors), (N, 0));
    assert_eq!(last, Some((N, format!("user{}@example.com", N - 1))));

    let path = dir.path().join("big-firebase.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(out, "{{\"users\": [").expect("write");
    for i in 0..N {
        let sep = if i + 1 == N { "" } else { "," };
        write!(
            out,
            "{{\n  \"localId\": \"id{i}\",\n  \"email\": \"user{i}@example.com\",\n  \"displayName\": \"Zoë Ünal\",\n  \"passwordHash\": \"aGFzaA==\",\n  \"salt\": \"c2FsdA==\"\n}}{sep}\n"
        )
        .expect("write");
    }
    writeln!(out, "]}}").expect("write");
    out.flush().expect("flush");
    drop(out);
    assert_eq!(detect(&path).expect("detects"), ExportFormat::Firebase);
    let mut count = 0u64;
    let mut lines_ok = true;
    let summary = read(&path, None, |item| {
        let rec = item.expect("record");
        lines_ok &= rec.line == 2 + 7 * count;
        count += 1;
        ControlFlow::Continue(())
    })
    .expect("reads");
    assert_eq!((summary.records, summary.record_errors), (N, 0));
    assert!(lines_ok, "record lines follow the 7-line layout");
}

#[test]
fn no_panic_on_cut_or_corrupted_samples() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mangled");
    for name in [
        "firebase-auth-export.json",
        "auth0-bulk-import.json",
        "auth0-users-export.ndjson",
        "keycloak-realm-export.json",
        "cognito-list-users.json",
        "users.csv",
    ] {
        let original = std::fs::read(fixture(name)).expect("fixture");
        let format = detect(&fixture(name)).expect("detects");
        let mut variants: Vec<Vec<u8>> = (0..original.len())
            .step_by(3)
            .map(|cut| original[..cut].to_vec())
            .collect();
        for (i, junk) in (0..original.len())
            .step_by(5)
            .zip([b'\xFF', b'"', b'\n', b',', b'{', b']'].iter().cycle())
        {
            let mut v = original.clone();
            v[i] = *junk;
            variants.push(v);
        }
        for bytes in variants {
            std::fs::write(&path, &bytes).expect("write");
            for given in [Some(format), None] {
                let mut ok_lines = Vec::new();
                let result = read(&path, given, |item| {
                    if let Ok(rec) = item {
                        ok_lines.push(rec.line);
                    }
                    ControlFlow::Continue(())
                });
                if let Err(e) = result {
                    // Every error renders and names the file.
                    assert!(e.to_string().contains("mangled"), "{e}");
                }
                assert!(
                    ok_lines.windows(2).all(|w| w[0] < w[1]),
                    "{name}: {ok_lines:?}"
                );
            }
        }
    }
}

/// Auth0 records are read member by member as text (no map): wrongly typed members are still
/// named with their type and never their value, escapes are decoded, repeated keys keep the
/// last, and the profile keeps every member but the hash fields, values as written.
#[test]
fn auth0_members_read_as_text_keep_types_escapes_and_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = concat!(
        r#"{"email": 5, "user_id": "auth0|1"}"#,
        "\n",
        r#"{"email": "a@x", "blocked": "no"}"#,
        "\n",
        r#"{"email": "a@x", "password_hash": 7}"#,
        "\n",
        r#"{"email": "Z\u00e9\"q@x", "username": "zq", "user_id": null, "zeta": {"k": [1, 2]}, "app_metadata": {"tenantId": "t-1", "a.b": "dotted"}, "mfa_factors": [{"totp": {"secret": "S3CR3T"}}], "password_hash": "$2b$10$abc", "alpha": false}"#,
        "\n",
        r#"{"email": "c@x", "custom_password_hash": null, "blocked": null}"#,
        "\n",
        r#"{"email": "d@x", "app_\u006detadata": {"tenantId": "t-2"}, "a.b": 1}"#,
        "\n",
        r#"{"email": "e@x", "app_metadata": {"n": 1e400}}"#,
        "\n",
        r#"{"email": "f@x", "name": "\ud800"}"#,
        "\n",
    );
    let path = write_file(&dir, "members.ndjson", text.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Ndjson));
    result.expect("readable");
    let msg = |i: usize| items[i].as_ref().expect_err("typed").to_string();
    assert!(msg(0).contains("field `email` is a number"), "{}", msg(0));
    assert!(msg(1).contains("field `blocked` is a string"), "{}", msg(1));
    assert!(!msg(1).contains("no\""), "{}", msg(1));
    assert!(
        msg(2).contains("field `password_hash` is a number"),
        "{}",
        msg(2)
    );

    let rec = items[3].as_ref().expect("record");
    assert_eq!(rec.identifier, "Zé\"q@x");
    assert_eq!(rec.aliases, ["zq"]);
    assert_eq!(rec.external_id, None);
    assert_eq!(rec.credential, RawCredential::Crypt("$2b$10$abc".into()));
    let json = rec.profile.json();
    assert!(
        !json.contains("password_hash") && !json.contains("S3CR3T"),
        "{json}"
    );
    let map = rec.profile.to_map().unwrap();
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "alpha",
            "app_metadata",
            "email",
            "user_id",
            "username",
            "zeta"
        ]
    );
    // A repeated key is refused (a_record_with_a_repeated_key_is_refused_alone).
    assert_eq!(map["alpha"], json!(false));
    assert_eq!(map["zeta"], json!({"k": [1, 2]}));
    assert_eq!(rec.profile.get("app_metadata.tenantId"), Some(json!("t-1")));
    assert_eq!(rec.profile.get("app_metadata.a.b"), Some(json!("dotted")));
    assert_eq!(rec.profile.get("app_metadata.none"), None);
    assert_eq!(rec.profile.get("email"), Some(json!("Zé\"q@x")));

    // Values a map would refuse are refused here too (a kept profile must parse again).
    assert!(msg(6).contains("field `app_metadata`"), "{}", msg(6));
    assert!(msg(6).contains("out of range"), "{}", msg(6));
    assert!(msg(7).contains("field `name`"), "{}", msg(7));
    assert!(msg(7).contains("escape"), "{}", msg(7));

    // A key written with an escape: found by a scan instead of the member index.
    let rec = items[5].as_ref().expect("record");
    assert_eq!(rec.profile.get("app_metadata.tenantId"), Some(json!("t-2")));
    assert_eq!(rec.profile.get("a.b"), Some(json!(1)));
    assert_eq!(rec.profile.get("a"), None);

    let rec = items[4].as_ref().expect("record");
    assert!(!rec.disabled);
    assert_eq!(
        rec.credential,
        RawCredential::None(NoCredential::NotExported)
    );
}

/// A CSV without a header row: its first row is a user's data, hash included, and the error
/// names the problem without echoing a cell (R11).
#[test]
fn csv_first_row_of_data_is_not_echoed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hash = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";
    for text in [
        format!("a@x.com,{hash},t1\nb@x.com,{hash},t2\n"),
        "bob,5f4dcc3b5aa765d61d8327deb882cf99,t1\n".to_string(),
        format!("{{\"email\": \"a@x.com\", \"password_hash\": \"{hash}\"}}\n"),
        format!("a@x.com,{hash},{hash}\n"),
    ] {
        let path = write_file(&dir, "nohdr.csv", text.as_bytes());
        let (items, result) = collect(&path, Some(ExportFormat::Csv));
        let msg = match result {
            Err(e) => e.to_string(),
            Ok(_) => format!(
                "{:?}",
                items
                    .iter()
                    .map(|i| i.as_ref().err().map(|e| e.to_string()))
                    .collect::<Vec<_>>()
            ),
        };
        assert!(
            msg.contains("no `email` column") || msg.contains("twice"),
            "{msg}"
        );
        for cell in ["nFguVi9", "a@x.com", "bob", "5f4dcc3b"] {
            assert!(!msg.contains(cell), "{msg}");
        }
    }
}

/// Trial finding 2 (R6, R17): a record that writes a key twice (`email`, `user_id`, or a key
/// inside a nested object or Firebase's `customAttributes`) is refused alone, with its line
/// and the key, in every JSON format; the other records are still read.
#[test]
fn a_record_with_a_repeated_key_is_refused_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ndjson = concat!(
        "{\"user_id\":\"auth0|d1\",\"email\":\"dup1@x.org\",\"email\":\"dup2@x.org\"}\n",
        "{\"user_id\":\"auth0|d2\",\"email\":\"ok@x.org\"}\n",
        "{\"user_id\":\"auth0|d3\",\"user_id\":\"auth0|d4\",\"email\":\"id@x.org\"}\n",
        "{\"user_id\":\"auth0|d5\",\"email\":\"n@x.org\",\"app_metadata\":{\"tenantId\":\"a\",\"tenantId\":\"b\"}}\n",
        "{\"user_id\":\"auth0|d6\",\"email\":\"e@x.org\",\"em\\u0061il\":\"f@x.org\"}\n",
        "{\"user_id\":\"auth0|d7\",\"email\":\"m@x.org\",\"app_metadata\":{\"tenantId\":\"a\",\"plan\":\"b\"}}\n",
    );
    let path = write_file(&dir, "dup.ndjson", ndjson.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Auth0Ndjson));
    let summary = result.expect("readable");
    assert_eq!((summary.records, summary.record_errors), (2, 4));
    let refused: Vec<(Option<u64>, String)> = items
        .iter()
        .filter_map(|i| i.as_ref().err())
        .map(|e| (e.line(), e.to_string()))
        .collect();
    let expect = [
        (1, "\"email\""),
        (3, "\"user_id\""),
        (4, "\"tenantId\""),
        (5, "\"email\""),
    ];
    for ((line, msg), (want_line, key)) in refused.iter().zip(expect) {
        assert_eq!(*line, Some(want_line), "{msg}");
        assert!(msg.contains(key) && msg.contains("appears twice"), "{msg}");
        assert!(!msg.contains("dup2"), "no value is shown: {msg}");
    }
    assert!(items.iter().all(|i| match i {
        Ok(r) => r.identifier == "ok@x.org" || r.identifier == "m@x.org",
        Err(e) => e.raw().is_some(),
    }));

    let firebase = concat!(
        "{\"users\": [\n",
        "{\"localId\": \"f1\", \"email\": \"a@x.org\",\n \"email\": \"b@x.org\"},\n",
        "{\"localId\": \"f2\", \"email\": \"c@x.org\", \"customAttributes\": \"{\\\"tenantId\\\": \\\"t1\\\", \\\"tenantId\\\": \\\"t2\\\"}\"},\n",
        "{\"localId\": \"f3\", \"email\": \"d@x.org\"}\n",
        "]}",
    );
    let path = write_file(&dir, "dup.json", firebase.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Firebase));
    let summary = result.expect("readable");
    assert_eq!((summary.records, summary.record_errors), (1, 2));
    let msg = items[0].as_ref().expect_err("repeated email").to_string();
    assert!(
        msg.contains("\"email\" appears twice") && msg.contains("line 3"),
        "{msg}"
    );
    let msg = items[1]
        .as_ref()
        .expect_err("repeated attribute")
        .to_string();
    assert!(
        msg.contains("customAttributes") && msg.contains("\"tenantId\""),
        "{msg}"
    );
}

/// Trial finding 2: a document that writes a top-level key twice (two `users` arrays, which
/// jq, Python and JavaScript read as the last one only) is refused, naming the key and the
/// line of the second; another key written twice too.
#[test]
fn a_document_with_a_repeated_top_level_key_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (text, key, line) in [
        (
            "{\"users\": [{\"localId\": \"zz\", \"email\": \"zz@x.org\"}],\n \"users\": [{\"localId\": \"yy\", \"email\": \"yy@x.org\"}]}",
            "\"users\"",
            2,
        ),
        (
            "{\"kind\": 1,\n\"users\": [{\"localId\": \"zz\", \"email\": \"zz@x.org\"}],\n\n\"kind\": 2}",
            "\"kind\"",
            4,
        ),
    ] {
        let path = write_file(&dir, "dupu.json", text.as_bytes());
        let (_, result) = collect(&path, Some(ExportFormat::Firebase));
        let e = result.expect_err("refused");
        let msg = e.to_string();
        assert!(matches!(e, ExportError::Shape { .. }), "{msg}");
        assert!(
            msg.contains(&format!("top-level key {key} appears twice")),
            "{msg}"
        );
        assert_eq!(e.line(), Some(line), "{msg}");
    }
}

/// Retrial finding E (R6): a CSV header naming one column twice in different cases
/// (`Email` ... `EMAIL`) is refused like the same spelling twice, naming both columns: the
/// reader finds columns in any case, so either cell could have been the identifier.
#[test]
fn a_csv_header_naming_a_column_twice_in_two_cases_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for header in ["email,password_hash,email", "Email,password_hash,EMAIL"] {
        let text = format!("{header}\na@x.com,,b@x.com\n");
        let path = write_file(&dir, "dup.csv", text.as_bytes());
        let (_, result) = collect(&path, Some(ExportFormat::Csv));
        let msg = result.unwrap_err().to_string();
        assert!(
            msg.contains("names one column twice (columns 1 and 3)"),
            "{header}: {msg}"
        );
        assert!(
            !msg.contains("a@x.com") && !msg.contains("b@x.com"),
            "{msg}"
        );
    }
}

/// Retrial finding E (R6, R17): a Cognito user whose `Attributes` name one attribute twice
/// (two emails, two `sub`s) is refused alone, naming the attribute and never a value; the
/// other users of the page are read.
#[test]
fn a_cognito_attribute_named_twice_is_refused_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = concat!(
        "{\"Users\": [\n",
        "{\"Username\": \"u1\", \"Attributes\": [{\"Name\": \"sub\", \"Value\": \"s1\"}, {\"Name\": \"email\", \"Value\": \"a@x.org\"}, {\"Name\": \"email\", \"Value\": \"b@x.org\"}]},\n",
        "{\"Username\": \"u2\", \"Attributes\": [{\"Name\": \"sub\", \"Value\": \"s2\"}, {\"Name\": \"email\", \"Value\": \"c@x.org\"}]}\n",
        "]}",
    );
    let path = write_file(&dir, "users.json", text.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Cognito));
    let summary = result.expect("readable");
    assert_eq!((summary.records, summary.record_errors), (1, 1));
    let msg = items
        .iter()
        .find_map(|i| i.as_ref().err())
        .unwrap()
        .to_string();
    assert!(msg.contains("\"email\" appears twice"), "{msg}");
    assert!(!msg.contains("b@x.org"), "no value is shown: {msg}");
    assert!(
        items
            .iter()
            .any(|i| i.as_ref().is_ok_and(|r| r.identifier == "c@x.org"))
    );
}

/// Retrial finding 4: a number beyond 64 bits inside Firebase `customAttributes` (a JSON
/// string) is refused as the same number elsewhere in a record is, not turned into a double
/// silently; the other users are read.
#[test]
fn firebase_custom_attributes_number_beyond_64_bits_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = r#"{"users": [
{"localId": "a", "email": "a@x", "customAttributes": "{\"tenantId\":\"acme\", \"x\": 123456789012345678901234567890}"},
{"localId": "b", "email": "b@x", "customAttributes": "{\"x\": 12345678901234567890}"}
]}"#;
    let path = write_file(&dir, "big.json", text.as_bytes());
    let (items, result) = collect(&path, Some(ExportFormat::Firebase));
    let summary = result.expect("the other user is read");
    assert_eq!((summary.records, summary.record_errors), (1, 1));
    let err = items[0].as_ref().expect_err("the 30-digit number");
    let msg = err.to_string();
    assert!(
        msg.contains("customAttributes") && msg.contains("30 digits"),
        "{msg}"
    );
    // Within u64: kept exactly.
    let b = items[1].as_ref().expect("b reads");
    assert_eq!(
        at(&b.profile.to_map().unwrap(), "customAttributes.x"),
        Some(&json!(12345678901234567890u64))
    );
}

/// `read_input_checked` (what an import reads with): a JSON document that cannot be read to
/// its end hands no record on, in every JSON-document format, from a file and from a stream;
/// the error is the one the streaming read gives. A byte that is no UTF-8 inside one user
/// (refused alone) is no fault of the document: the buffered first pass stops at it, the
/// exact one does not, and the records are read, the bad one refused alone. A whole
/// document reads as `read_input` reads it.
#[test]
fn a_checked_read_hands_on_nothing_of_a_document_that_breaks_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = |i: usize| format!(r#"{{"localId": "l{i}", "email": "u{i}@x.org"}}"#);
    let users = (0..3).map(user).collect::<Vec<_>>().join(",\n");
    let cognito = r#"{"Username": "c1", "Attributes": [{"Name": "email", "Value": "c@x.org"}]}"#;
    let cases: Vec<(ExportFormat, String, &str)> = vec![
        (
            ExportFormat::Firebase,
            format!("{{\"users\": [\n{users}],\n\"users\": []}}"),
            "top-level key \"users\" appears twice",
        ),
        (
            ExportFormat::Firebase,
            format!("{{\"users\": [\n{users},\n"),
            "the file ends",
        ),
        (
            ExportFormat::Auth0Json,
            format!("[\n{users}, 7 8]"),
            "expected `,` or `]`",
        ),
        (
            ExportFormat::Keycloak,
            format!("{{\"users\": [\n{users}], \"realm\": \"a\", \"realm\": \"b\"}}"),
            "top-level key \"realm\" appears twice",
        ),
        (
            ExportFormat::Cognito,
            format!("{{\"Users\": [{cognito}]}}}}"),
            "trailing characters",
        ),
    ];
    for (format, text, needle) in &cases {
        let path = write_file(&dir, "doc.json", text.as_bytes());
        let streaming = read(&path, Some(*format), |_| ControlFlow::Continue(()))
            .expect_err("broken")
            .to_string();
        assert!(streaming.contains(needle), "{format}: {streaming}");
        let file = Input::open(&path).unwrap();
        let stream = Input::from_reader(
            &path,
            Box::new(std::io::Cursor::new(text.clone().into_bytes())),
            true,
        );
        for input in [file, stream] {
            let mut handed = 0;
            let e = read_input_checked(input, Some(*format), |_| {
                handed += 1;
                ControlFlow::Continue(())
            })
            .expect_err("broken");
            assert_eq!(handed, 0, "{format}: {e}");
            assert_eq!(
                e.to_string(),
                streaming,
                "{format}: the streaming read's error"
            );
        }
    }

    // Past what the input reads ahead and the first pass's buffer, so each pass starts over
    // from the first byte: 4,000 users before the bad one, 2,000 after it.
    let many = |from: usize, to: usize| (from..to).map(user).collect::<Vec<_>>().join(",\n");
    let mut bytes = format!(
        "{{\"users\": [\n{},\n{},\n{}\n]}}",
        many(0, 4000),
        user(9).replace("u9", "u\u{e9}9"),
        many(4000, 6000)
    )
    .into_bytes();
    assert!(bytes.len() > 200 * 1024);
    let at = bytes.iter().position(|b| *b == 0xC3).unwrap();
    bytes.splice(at..at + 2, [0xE9]);
    let path = write_file(&dir, "latin1.json", &bytes);
    for input in [
        Input::open(&path).unwrap(),
        Input::from_reader(&path, Box::new(std::io::Cursor::new(bytes.clone())), true),
    ] {
        let mut items = Vec::new();
        let summary = read_input_checked(input, Some(ExportFormat::Firebase), |item| {
            items.push(item);
            ControlFlow::Continue(())
        })
        .expect("the document reads");
        assert_eq!((summary.records, summary.record_errors), (6000, 1));
        let e = items[4000].as_ref().expect_err("the user that is no UTF-8");
        assert!(matches!(e, ExportError::Encoding { .. }), "{e}");
        assert_eq!(e.line(), Some(4002), "{e}");
        assert_eq!(items[3999].as_ref().unwrap().identifier, "u3999@x.org");
        assert_eq!(items[6000].as_ref().unwrap().identifier, "u5999@x.org");
    }

    let whole = format!("{{\"users\": [\n{users}\n]}}");
    let path = write_file(&dir, "whole.json", whole.as_bytes());
    let (plain, _) = collect(&path, Some(ExportFormat::Firebase));
    for input in [
        Input::open(&path).unwrap(),
        Input::from_reader(
            &path,
            Box::new(std::io::Cursor::new(whole.clone().into_bytes())),
            true,
        ),
    ] {
        let mut checked = Vec::new();
        read_input_checked(input, Some(ExportFormat::Firebase), |item| {
            checked.push(item);
            ControlFlow::Continue(())
        })
        .expect("reads");
        assert_eq!(checked.len(), 3);
        for (a, b) in checked.iter().zip(&plain) {
            assert_eq!(a.as_ref().unwrap(), b.as_ref().unwrap());
        }
    }
}

/// A key written twice inside a user's nested objects (Auth0 `user_metadata` at depth 3,
/// `app_metadata` in NDJSON, Firebase `customAttributes` and `providerUserInfo`, Keycloak
/// `attributes`) is refused with the user alone in every JSON format, as at the top. (The
/// export readers refused these already; backups did not: `backup::tests`.)
#[test]
fn a_key_written_twice_at_any_depth_of_a_user_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: Vec<(ExportFormat, String, &str)> = vec![
        (
            ExportFormat::Auth0Json,
            r#"[{"email": "a@x.org", "user_metadata": {"a": {"b": {"c": 1, "c": 2}}}}, {"email": "ok@x.org"}]"#.into(),
            "\"c\" appears twice",
        ),
        (
            ExportFormat::Auth0Ndjson,
            "{\"email\": \"a@x.org\", \"app_metadata\": {\"t\": [{\"x\": 1, \"x\": 1}]}}\n{\"email\": \"ok@x.org\"}\n".into(),
            "\"x\" appears twice",
        ),
        (
            ExportFormat::Firebase,
            r#"{"users": [{"localId": "1", "email": "a@x.org", "customAttributes": "{\"o\": {\"t\": 1, \"t\": 2}}"}, {"localId": "2", "email": "ok@x.org"}]}"#.into(),
            "key \"t\" appears twice in the object `o`",
        ),
        (
            ExportFormat::Firebase,
            r#"{"users": [{"localId": "1", "email": "a@x.org", "providerUserInfo": [{"providerId": "a", "providerId": "b"}]}, {"localId": "2", "email": "ok@x.org"}]}"#.into(),
            "key \"providerId\" appears twice in the object `providerUserInfo[0]`",
        ),
        (
            ExportFormat::Keycloak,
            r#"{"users": [{"id": "1", "email": "a@x.org", "attributes": {"tenant": ["a"], "tenant": ["b"]}}, {"id": "2", "email": "ok@x.org"}]}"#.into(),
            "key \"tenant\" appears twice in the object `attributes`",
        ),
    ];
    for (format, text, needle) in &cases {
        let path = write_file(&dir, "nested", text.as_bytes());
        let (items, result) = collect(&path, Some(*format));
        let summary = result.expect("readable");
        assert_eq!((summary.records, summary.record_errors), (1, 1), "{format}");
        let msg = items[0].as_ref().expect_err("refused").to_string();
        assert!(msg.contains(needle), "{format}: {needle}: {msg}");
        assert_eq!(items[1].as_ref().unwrap().identifier, "ok@x.org");
    }
}
