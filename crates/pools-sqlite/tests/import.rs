//! The import pipeline against the real SQLite store.

use pools_core::import::OnConflict;
use pools_core::service::import as importing;
use pools_core::store::Store;
use pools_sqlite::SqliteStore;
use std::sync::atomic::{AtomicBool, Ordering};

const HELLO_BCRYPT: &str = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";

/// README "Bulk migration": an interrupt does not wait for a batch to fill. The rows taken
/// in (whole reader chunks of CHUNK_ROWS) are committed as one shorter, last transaction,
/// the rest is not imported, and the summary counts exactly what the store holds: with
/// `batch` 50,000 and the interrupt at the first progress message (32 chunks), 8,192
/// rows, not a whole batch and not zero.
#[test]
fn an_interrupt_commits_the_rows_taken_in_not_a_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.csv");
    let rows: String = (0..20_000)
        .map(|i| format!("u{i}@x.org,{HELLO_BCRYPT},acme\n"))
        .collect();
    std::fs::write(&file, format!("email,password_hash,tenant_id\n{rows}")).unwrap();
    let doc = format!(
        "pools:\n  - name: p\n    type: external\n    source: export\n    file: {}\n    mode: jit\n    tenant: property:tenant_id\n",
        file.display()
    );
    let entries = pools_core::config::parse_document(&doc, "t.yaml", dir.path()).unwrap();
    let pool = &entries[0].pool;
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    store.create_pool(pool, None).unwrap();
    let cancel = AtomicBool::new(false);
    let (input, format) = importing::input(pool, Some(&file), None).unwrap();
    let summary = importing::run(
        &mut store,
        importing::Options {
            pool,
            input,
            format,
            hash_config: None,
            on_conflict: OnConflict::Skip,
            batch: 50_000,
            dry_run: false,
            cancel: Some(&cancel),
            lock: None,
            import_id: None,
            file_id: None,
        },
        // What a Ctrl-C handler does, at a point the test can name.
        &mut |_| cancel.store(true, Ordering::Relaxed),
        &mut |_| {},
    )
    .unwrap();
    assert!(summary.interrupted);
    assert_eq!(summary.imported, 32 * importing::CHUNK_ROWS as u64);
    assert_eq!(summary.committed_batches, 1);
    let mut stored = 0u64;
    store
        .for_each_user(&pools_core::user::UserFilter::default(), &mut |_| {
            stored += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        stored, summary.imported,
        "the summary counts what is committed"
    );
}

/// Runs an import of `file` into pool `p` of `store` (`import_id`: `--import-id`).
fn import_file(
    store: &mut SqliteStore,
    pool: &pools_core::pool::Pool,
    file: &std::path::Path,
    import_id: Option<&str>,
) -> pools_core::import::Summary {
    let (input, format) = importing::input(pool, Some(file), None).unwrap();
    importing::run(
        store,
        importing::Options {
            pool,
            input,
            format,
            hash_config: None,
            on_conflict: OnConflict::Skip,
            batch: 2,
            dry_run: false,
            cancel: None,
            lock: None,
            import_id: import_id.map(str::to_owned),
            file_id: None,
        },
        &mut |_| {},
        &mut |_| {},
    )
    .unwrap()
}

/// An export pool `p` reading `file`, and a new store beside it.
fn setup(dir: &std::path::Path, file: &std::path::Path) -> (pools_core::pool::Pool, SqliteStore) {
    let doc = format!(
        "pools:\n  - name: p\n    type: external\n    source: export\n    file: {}\n    mode: jit\n    tenant: property:tenant_id\n",
        file.display()
    );
    let pool = pools_core::config::parse_document(&doc, "t.yaml", dir)
        .unwrap()
        .remove(0)
        .pool;
    let mut store = SqliteStore::open(&dir.join("s.db")).unwrap();
    store.create_pool(&pool, None).unwrap();
    (pool, store)
}

fn users_csv(n: usize) -> String {
    let rows: String = (0..n)
        .map(|i| format!("u{i}@x.org,{HELLO_BCRYPT},acme\n"))
        .collect();
    format!("email,password_hash,tenant_id\n{rows}")
}

/// R17, issue 9: an import is named by a stable ID, not the client's path: with
/// `--import-id`, a copy of the export at another path goes on as the same import (its rows
/// already imported); without it, the copy is another import, whose rows were imported
/// before from another file.
#[test]
fn an_import_id_names_the_import_whatever_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, users_csv(5)).unwrap();
    std::fs::write(&b, users_csv(5)).unwrap();
    let (pool, mut store) = setup(dir.path(), &a);
    let first = import_file(&mut store, &pool, &a, Some("acme-2026"));
    assert_eq!(first.imported, 5);
    let same = import_file(&mut store, &pool, &b, Some("acme-2026"));
    assert_eq!((same.imported, same.already_imported), (0, 5), "{same:?}");
    let other = import_file(&mut store, &pool, &b, None);
    assert_eq!(other.already_imported, 0, "{other:?}");
    assert_eq!(
        other.by_reason.get("imported_before"),
        Some(&5),
        "{other:?}"
    );
    // The users stay the first import's: its ID still finds them imported.
    let again = import_file(&mut store, &pool, &a, Some("acme-2026"));
    assert_eq!(again.already_imported, 5, "{again:?}");
    // An unusable ID is refused before anything is read.
    let (input, format) = importing::input(&pool, Some(&a), None).unwrap();
    let refused = importing::run(
        &mut store,
        importing::Options {
            pool: &pool,
            input,
            format,
            hash_config: None,
            on_conflict: OnConflict::Skip,
            batch: 2,
            dry_run: false,
            cancel: None,
            lock: None,
            import_id: Some(" ".into()),
            file_id: None,
        },
        &mut |_| {},
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        refused.error.to_string().contains("--import-id"),
        "{}",
        refused.error
    );
}

/// R17, issue 9: a store written before import IDs named the host holds its imports under
/// the file's path alone; the next run of the same file goes on as the same import (its rows
/// already imported, never imported before nor duplicates), and keeps resuming after.
#[test]
fn an_import_recorded_by_its_path_alone_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.csv");
    std::fs::write(&file, users_csv(4)).unwrap();
    let (pool, mut store) = setup(dir.path(), &file);
    assert_eq!(import_file(&mut store, &pool, &file, None).imported, 4);
    drop(store);
    let canonical = std::fs::canonicalize(&file).unwrap();
    {
        let db = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
        db.execute(
            "UPDATE imports SET source = ?1",
            [canonical.display().to_string()],
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    for _ in 0..2 {
        let s = import_file(&mut store, &pool, &file, None);
        assert_eq!((s.imported, s.already_imported), (0, 4), "{s:?}");
        assert!(s.by_reason.is_empty(), "{s:?}");
    }
}
