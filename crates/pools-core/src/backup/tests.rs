use super::restore::differences;
use super::*;
use crate::export::Input;
use crate::user::Origin;
use serde_json::json;

const HASH: &str = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";

fn user() -> User {
    User {
        id: "usr_0191".into(),
        identifier: "Ada@Example.com".into(),
        key: "ada@example.com".into(),
        origin: Origin::Migrated,
        pool: Some("kc".into()),
        external_id: Some("1111-2222".into()),
        tenant_id: Some("acme".into()),
        tenant_resolution: Some("fixed:acme".into()),
        profile: json!({"name": "Ada, \"the\" first", "n": 18446744073709551615u64})
            .as_object()
            .unwrap()
            .clone(),
        metadata: json!({"plan": "pro"}).as_object().unwrap().clone(),
        enabled: false,
        password_hash: Some(Secret::new(HASH.into())),
        created_at: "2024-01-02T03:04:05.678Z".into(),
        migrated_at: Some("2024-01-02T03:04:05.678Z".into()),
        last_login_at: None,
        version: 3,
        imported_at: Some("2024-01-02T03:04:05.678Z".into()),
        import_line: Some(7),
        import_source: None,
        import_run: Some(2),
        unreadable: Vec::new(),
    }
}

fn read_back(
    text: String,
) -> (
    Format,
    Vec<std::result::Result<BackupUser, restore::Report>>,
) {
    let input = Input::from_reader(
        std::path::Path::new("backup"),
        Box::new(std::io::Cursor::new(text.into_bytes())),
        true,
    );
    let mut rows = open(input).unwrap();
    let mut out = Vec::new();
    while let Some(r) = rows.next_row().unwrap() {
        out.push(r);
    }
    (rows.format(), out)
}

fn csv_text(users: &[(&User, &[String])], hashes: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(csv_header(hashes)).unwrap();
    for (u, a) in users {
        w.write_record(csv_record(u, a, hashes)).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// What the export writes reads back as the same user, in both formats, with or without
/// hashes.
#[test]
fn both_formats_read_back_what_export_wrote() {
    let u = user();
    let aliases = vec!["ada".to_owned(), "ada.l".to_owned()];
    for hashes in [true, false] {
        let ndjson = format!("{}\n", ndjson_line(&u, &aliases, hashes));
        let csv = csv_text(&[(&u, &aliases)], hashes);
        for (text, format) in [(ndjson, Format::Ndjson), (csv, Format::Csv)] {
            let (found, rows) = read_back(text);
            assert_eq!(found, format);
            let [Ok(b)] = rows.as_slice() else {
                panic!("{format:?}: {rows:?}")
            };
            assert_eq!(b.line, if format == Format::Csv { 2 } else { 1 });
            assert_eq!(b.aliases, aliases);
            assert_eq!(
                serde_json::to_value(&b.user).unwrap(),
                serde_json::to_value(&u).unwrap(),
                "{format:?}"
            );
            assert_eq!(b.user.key, u.key);
            match (&b.password_hash, hashes) {
                (BackupHash::Hash(h), true) => assert_eq!(h.expose(), HASH),
                (BackupHash::NotInBackup, false) => {}
                (other, _) => panic!("{format:?} hashes={hashes}: {other:?}"),
            }
        }
    }
}

/// A backup with hashes tells a user without one from a backup without hashes.
#[test]
fn a_user_without_a_hash_in_a_backup_with_hashes() {
    let mut u = user();
    u.password_hash = None;
    let ndjson = ndjson_line(&u, &[], true);
    assert!(ndjson.contains("\"password_hash\":null"), "{ndjson}");
    for text in [format!("{ndjson}\n"), csv_text(&[(&u, &[])], true)] {
        let (_, rows) = read_back(text);
        assert!(matches!(
            rows[0].as_ref().unwrap().password_hash,
            BackupHash::None
        ));
    }
}

/// The columns written before restore existed keep their places: additions go after them.
#[test]
fn csv_header_keeps_its_columns_and_adds_at_the_end() {
    let before = "identifier,id,origin,pool,tenant_id,enabled,created_at,migrated_at,last_login_at,profile,metadata";
    assert!(
        csv_header(false)
            .join(",")
            .starts_with(&format!("{before},external_id,"))
    );
    assert!(
        csv_header(true)
            .join(",")
            .starts_with(&format!("{before},password_hash,external_id,"))
    );
}

/// Same ID: only what differs counts, the hash only when the backup carries hashes.
#[test]
fn differences_name_the_fields_never_the_values() {
    let stored = user();
    let same = BackupUser {
        line: 1,
        user: user(),
        aliases: Vec::new(),
        password_hash: BackupHash::Hash(Secret::new(HASH.into())),
    };
    assert!(differences(&stored, &same).is_empty());
    let mut other = same.clone();
    other.user.metadata.insert("plan".into(), json!("free"));
    other.user.version = 4;
    other.password_hash = BackupHash::Hash(Secret::new("$2b$10$other".into()));
    assert_eq!(
        differences(&stored, &other),
        ["version", "metadata", "password_hash"]
    );
    let mut without = same.clone();
    without.password_hash = BackupHash::NotInBackup;
    let mut rehashed = stored.clone();
    rehashed.password_hash = Some(Secret::new("$argon2id$...".into()));
    assert!(differences(&rehashed, &without).is_empty());
    without.password_hash = BackupHash::None;
    assert_eq!(differences(&rehashed, &without), ["password_hash"]);
}

/// An NDJSON line past the record limit is refused alone, without being held; the next
/// line is read.
#[test]
fn a_huge_line_is_refused_alone() {
    let good = ndjson_line(&user(), &[], false);
    let huge = format!(
        "{{\"id\":\"x\",\"profile\":{{\"a\":\"{}\"}}}}",
        "x".repeat(crate::limits::MAX_RECORD_BYTES)
    );
    let (_, rows) = read_back(format!("{huge}\n{good}\n"));
    match rows.as_slice() {
        [Err(r), Ok(b)] => {
            assert_eq!((r.line, r.reason), (1, "too_large"));
            assert_eq!(b.line, 2);
        }
        other => panic!("{other:?}"),
    }
}

/// CSV rows are reported at the line they start on, also after CRLF line ends, blank lines
/// and a quoted cell that spans lines.
#[test]
fn csv_rows_know_their_lines() {
    let mut u = user();
    u.tenant_resolution = Some("two\nlines".into());
    let text = csv_text(&[(&u, &[]), (&u, &[])], false)
        .replace('\n', "\r\n")
        .replacen("\r\n", "\r\n\r\n\r\n", 1);
    let text = text.replacen("two\r\nlines", "two\nlines", 2);
    let bad = text.lines().last().unwrap().replace(",true,", ",maybe,");
    let (_, rows) = read_back(format!("{text}\r\n{bad}\r\n"));
    let lines: Vec<u64> = rows
        .iter()
        .map(|r| match r {
            Ok(b) => b.line,
            Err(r) => r.line,
        })
        .collect();
    // Header on 1, two blank lines, rows of two lines each, one more blank line.
    assert_eq!(lines, [4, 6, 9], "{rows:?}");
}

/// A key written twice anywhere in a record is refused as a repeated field of the record is
/// (`invalid_record`, naming the key and where it lies, with the record's line): nested in
/// `profile` or `metadata`, at any depth, also inside an array, in NDJSON and in CSV cells.
/// serde_json alone keeps the last of the two, so such a backup restored one of two answers
/// unnoticed.
#[test]
fn a_key_written_twice_inside_a_record_is_refused() {
    let u = user();
    let good = ndjson_line(&u, &[], true);
    let nested = [
        (
            r#""profile":{"#,
            r#""profile":{"plan":"free","plan":"pro","#,
            r#"profile: key "plan" appears twice"#,
        ),
        (
            r#""metadata":{"plan":"pro"}"#,
            r#""metadata":{"plan":"pro","billing":{"seats":5,"seats":50}}"#,
            r#"metadata.billing: key "seats" appears twice"#,
        ),
        (
            r#""metadata":{"plan":"pro"}"#,
            r#""metadata":{"plan":"pro","a":[{"b":{"c":1}},{"b":{"c":1,"c":2}}]}"#,
            r#"metadata.a[1].b: key "c" appears twice"#,
        ),
    ];
    let mut text = String::new();
    for (from, to, _) in &nested {
        assert!(good.contains(from), "{from}: {good}");
        text.push_str(&good.replacen(from, to, 1));
        text.push('\n');
    }
    // The record's own field twice, as serde says it.
    text.push_str(&good.replacen(
        r#""identifier":"#,
        r#""identifier":"x@example.com","identifier":"#,
        1,
    ));
    text.push('\n');
    text.push_str(&good);
    text.push('\n');
    let (_, rows) = read_back(text);
    assert_eq!(rows.len(), 5, "{rows:?}");
    for (i, (_, _, needle)) in nested.iter().enumerate() {
        let r = rows[i].as_ref().expect_err("refused");
        assert_eq!(
            (r.line, r.reason),
            (i as u64 + 1, "invalid_record"),
            "{r:?}"
        );
        assert!(r.detail.contains(needle), "{needle}: {r:?}");
        assert_eq!(r.identifier.as_deref(), Some("Ada@Example.com"), "{r:?}");
    }
    let top = rows[3].as_ref().expect_err("refused");
    assert_eq!(top.reason, "invalid_record", "{top:?}");
    assert!(
        top.detail.contains("duplicate field `identifier`"),
        "{top:?}"
    );
    assert!(rows[4].is_ok(), "{:?}", rows[4]);

    // CSV: the documents are cells of JSON text.
    let mut twice = user();
    twice.metadata = json!({"plan": "pro", "billing": {"seats": 5}})
        .as_object()
        .unwrap()
        .clone();
    let csv = csv_text(&[(&twice, &[])], true).replacen(
        r#"{""seats"":5}"#,
        r#"{""seats"":5,""seats"":50}"#,
        1,
    );
    assert!(csv.contains(r#""seats"":50"#), "{csv}");
    let (_, rows) = read_back(csv);
    let [Err(r)] = rows.as_slice() else {
        panic!("{rows:?}")
    };
    assert_eq!((r.line, r.reason), (2, "invalid_record"), "{r:?}");
    assert!(
        r.detail
            .contains(r#"metadata: key "seats" appears twice in the object `billing`"#),
        "{r:?}"
    );
}
