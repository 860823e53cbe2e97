//! Files that are no pools store (SQLite only).

use super::sqlite_only;
use crate::*;

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    sqlite_only!();
    let env = Env::new();
    let other = env.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x TEXT);")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    for args in [
        vec!["list"],
        vec![
            "create", "p", "--type", "external", "--source", "export", "--file", "x",
        ],
    ] {
        let out = env
            .cmd()
            .env("POOLS_STORE", &other)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(VALIDATION), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("another application"));
    }
    assert_eq!(std::fs::read(&other).unwrap(), before);
}
