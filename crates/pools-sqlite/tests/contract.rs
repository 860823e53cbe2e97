//! The `Store` contract suite (`pools_core::store::contract`) against the SQLite store: every
//! case on a new store file, each connection a `SqliteStore` of its own on that file, as two
//! `pools` processes are (R6, R10, R12, R17, import idempotency).

use pools_core::store::Store;
use pools_core::store::contract::Backend;
use pools_sqlite::SqliteStore;

/// One store file in a temporary directory, removed with it.
struct Sqlite {
    dir: tempfile::TempDir,
}

impl Backend for Sqlite {
    fn connect(&self) -> Box<dyn Store + Send> {
        Box::new(SqliteStore::open(&self.dir.path().join("pools.db")).expect("the store opens"))
    }
}

fn sqlite() -> Box<dyn Backend> {
    Box::new(Sqlite {
        dir: tempfile::tempdir().expect("a temporary directory"),
    })
}

pools_core::store_contract_tests!(sqlite);

/// Every case of the suite has its test here (the macro's list and `CASES` agree).
#[test]
fn every_case_runs() {
    let names: Vec<&str> = pools_core::store::contract::CASES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let listed = include_str!("../../pools-core/src/store/contract.rs");
    let start = listed.find("@cases $factory;").expect("the macro's list");
    let list = &listed[start..listed[start..].find(");").unwrap() + start];
    for n in &names {
        assert!(list.contains(&format!("{n},")), "{n} is not run");
    }
    assert_eq!(list.matches(',').count(), names.len());
}
