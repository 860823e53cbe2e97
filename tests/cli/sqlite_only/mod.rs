//! Tests that are SQLite by nature: they write rows as an older version or a killed process
//! left them, read the store's tables, hold its locks or look at its file. They run on
//! [`Backend::Sqlite`] only: each begins with [`sqlite_only!`], which returns (the test
//! passes, having checked nothing) on another backend. Every use of `rusqlite` in the suite is
//! in this module; a test elsewhere that also checks a table does so through [`db`], whose
//! `None` skips that check on another backend.

mod files;
mod imports;
mod older_rows;
mod source_ids;
mod store;

use crate::{Backend, Env};

/// A connection to a test's store file ([`db`]).
pub type Db = rusqlite::Connection;

/// The first statement of every test of this module: on a backend other than SQLite the test
/// returns at once, saying so on stderr.
macro_rules! sqlite_only {
    () => {
        if !$crate::sqlite_only::runs() {
            return;
        }
    };
}
pub(crate) use sqlite_only;

/// Whether SQLite-only tests run on the suite's backend; says so on stderr when they do not.
pub fn runs() -> bool {
    let runs = Backend::current() == Backend::Sqlite;
    if !runs {
        eprintln!(
            "skipped: a SQLite-only test, and the backend is {:?}",
            Backend::current()
        );
    }
    runs
}

/// A connection to the test's store file, for checks of the store's own tables; `None` on a
/// backend other than SQLite, where the caller skips the check.
pub fn db(env: &Env) -> Option<Db> {
    (env.backend == Backend::Sqlite).then(|| rusqlite::Connection::open(env.store()).unwrap())
}

/// Tenant IDs recorded as made by `auto` (R4), straight from the store, sorted.
pub fn auto_tenants(db: &Db) -> Vec<String> {
    db.prepare("SELECT id FROM tenants ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Keys `source_keys` holds for pool `src`, and imported users pending a key (R17).
pub fn keys_and_pending(db: &Db) -> (i64, i64) {
    db.query_row(
        "SELECT (SELECT count(*) FROM source_keys WHERE pool = 'src'),
                (SELECT COALESCE(SUM(with_source_id), 0) FROM unsettled)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Issue 9: the suite reaches into SQLite only here, so that it runs on any backend: no file
/// of tests/cli outside this module names `rusqlite`, and every test in it (but this one)
/// begins with `sqlite_only!();`.
#[test]
fn sqlite_is_reached_only_from_the_sqlite_only_tests() {
    let root = crate::repo().join("tests/cli");
    let here = root.join("sqlite_only");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| !f.starts_with(&here))
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("rusqlite"))
        .collect();
    assert!(offenders.is_empty(), "rusqlite named in {offenders:?}");
    let mut unmarked = Vec::new();
    for f in files.iter().filter(|f| f.starts_with(&here)) {
        let text = std::fs::read_to_string(f).unwrap();
        let mut lines = text.lines();
        while let Some(l) = lines.next() {
            if l.trim() != "#[test]" {
                continue;
            }
            let name = lines.next().unwrap_or_default().trim().to_owned();
            let first = lines.next().unwrap_or_default().trim();
            if first != "sqlite_only!();"
                && name != "fn sqlite_is_reached_only_from_the_sqlite_only_tests() {"
            {
                unmarked.push(format!("{}: {name}", f.display()));
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "not marked sqlite_only!: {unmarked:#?}"
    );
}
