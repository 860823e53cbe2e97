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
