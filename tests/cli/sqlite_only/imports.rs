//! Imports seen from the store's file (SQLite only): an import killed and run again, and what
//! a reader of the file sees while an import runs.

use super::sqlite_only;
use crate::import::{import, ndjson_line, pool};
use crate::*;

/// SIGKILL at several points, then the same command again: the final store equals an
/// uninterrupted import, with no duplicates.
#[test]
fn kill_and_resume_equals_an_uninterrupted_run() {
    sqlite_only!();
    let n = 20_000;
    let body: String = (0..n)
        .map(|i| ndjson_line(i, &format!("u{i}@x.org")) + "\n")
        .collect();
    let fingerprint = |env: &Env| -> Vec<(String, String, String)> {
        let db = rusqlite::Connection::open(env.store()).unwrap();
        let mut stmt = db
            .prepare("SELECT ident_key, tenant_id, origin FROM users ORDER BY ident_key")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let setup = |env: &Env| {
        env.write("u.ndjson", &body);
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
    };
    let clean = Env::new();
    setup(&clean);
    let (code, s, _) = import(&clean, &["--pool", "nd", "--batch", "500"]);
    assert_eq!((code, s["imported"].as_u64()), (Some(0), Some(n as u64)));
    let expected = fingerprint(&clean);
    assert_eq!(expected.len(), n);

    let env = Env::new();
    setup(&env);
    let mut kills = 0;
    for delay_ms in [30u64, 80, 150, 250] {
        let mut child = env
            .std_cmd()
            .args([
                "users", "import", "--pool", "nd", "--batch", "500", "--resume", "-q",
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(
        kills >= 2,
        "the import finished before it could be killed; make the file bigger"
    );
    let (code, s, stderr) = import(&env, &["--pool", "nd", "--batch", "500", "--resume"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        s["imported"].as_u64().unwrap() + s["already_imported"].as_u64().unwrap(),
        n as u64
    );
    assert_eq!(fingerprint(&env), expected, "after {kills} kills");
    // Running it once more changes nothing.
    let (_, s, _) = import(&env, &["--pool", "nd"]);
    assert_eq!(
        (s["imported"].as_u64(), s["already_imported"].as_u64()),
        (Some(0), Some(n as u64))
    );
}

/// `--batch N` commits exactly N rows per transaction, not the reader's chunk size rounded
/// up (1,000 once committed 1,024): a reader of the store during the import only ever sees
/// whole batches.
#[test]
fn each_transaction_holds_exactly_batch_rows() {
    sqlite_only!();
    let env = Env::new();
    let n = 60_000;
    let body: String = (0..n)
        .map(|i| ndjson_line(i, &format!("u{i}@x.org")) + "\n")
        .collect();
    env.write("u.ndjson", &body);
    pool(&env, "nd", "u.ndjson");
    let mut child = env
        .std_cmd()
        .args(["users", "import", "--pool", "nd", "--batch", "1000", "-q"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let db = rusqlite::Connection::open_with_flags(
        env.store(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    while child.try_wait().unwrap().is_none() {
        if let Ok(count) = db.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0)) {
            seen.insert(count);
        }
    }
    assert!(child.wait().unwrap().success());
    let partial: Vec<_> = seen.iter().filter(|c| **c > 0 && **c < n as i64).collect();
    assert!(
        !partial.is_empty(),
        "the import ended before a batch could be seen: make the file bigger"
    );
    assert!(
        partial.iter().all(|c| **c % 1000 == 0),
        "counts seen between commits: {partial:?}"
    );
}
