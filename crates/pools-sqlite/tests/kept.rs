//! The reads a store keeps between calls (the pools, the API tokens: a server reads both at
//! every request) are never stale: a change by another connection or by its own is seen
//! at the next read (R12: each request sees the store as committed).

use pools_core::api_token::{Role, issue};
use pools_core::store::Store;
use pools_sqlite::SqliteStore;

fn pool(name: &str, dir: &std::path::Path) -> pools_core::pool::Pool {
    let doc = format!(
        "pools:\n  - name: {name}\n    type: external\n    source: export\n    file: u.csv\n    tenant: auto\n"
    );
    let entries = pools_core::config::parse_document(&doc, "t.yaml", dir).unwrap();
    entries[0].pool.clone()
}

/// Issue 11: a token made or revoked by another process (`pools serve token ...` beside a
/// running server) counts at the server's next request; pools changed by another
/// connection, or by this one, are read again.
#[test]
fn kept_pools_and_tokens_follow_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut server = SqliteStore::open(&path).unwrap();
    let mut other = SqliteStore::open(&path).unwrap();
    assert!(server.pools().unwrap().is_empty());
    assert!(server.api_tokens().unwrap().is_empty());

    other.create_pool(&pool("a", dir.path()), None).unwrap();
    let issued = issue("ops", Role::Admin).unwrap();
    other.add_api_token(&issued.record).unwrap();
    assert_eq!(
        server.pools().unwrap().len(),
        1,
        "another connection's pool"
    );
    let tokens = server.api_tokens().unwrap();
    assert_eq!(tokens.len(), 1, "another connection's token");
    assert!(tokens[0].revoked_at.is_none());

    other.revoke_api_token("ops").unwrap();
    assert!(
        server.api_tokens().unwrap()[0].revoked_at.is_some(),
        "a token revoked elsewhere is refused at once"
    );

    server.create_pool(&pool("b", dir.path()), None).unwrap();
    let names: Vec<String> = server
        .pools()
        .unwrap()
        .iter()
        .map(|p| p.pool.name.to_string())
        .collect();
    assert_eq!(names, ["a", "b"], "its own write");
    assert_eq!(other.pools().unwrap().len(), 2);
}

/// `one_look` (a server's request, issue 11): the kept reads of one request look at the
/// store's state once, so what they kept is not read again for another connection's change
/// made meanwhile (the next request sees it), while a change of the request's own is seen
/// at once; off again, every read looks. R12: each request is one consistent view, and no
/// acknowledged write is missed by the request after it.
#[test]
fn one_look_sees_one_state_per_request_and_its_own_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut server = SqliteStore::open(&path).unwrap();
    let mut other = SqliteStore::open(&path).unwrap();
    let issued = issue("ops", Role::Admin).unwrap();
    other.add_api_token(&issued.record).unwrap();

    server.one_look(true);
    assert!(server.api_tokens().unwrap()[0].revoked_at.is_none());
    assert!(server.pools().unwrap().is_empty());
    other.revoke_api_token("ops").unwrap();
    other.create_pool(&pool("a", dir.path()), None).unwrap();
    assert!(
        server.api_tokens().unwrap()[0].revoked_at.is_none() && server.pools().unwrap().is_empty(),
        "within the request: the store as of its first look"
    );
    server.create_pool(&pool("b", dir.path()), None).unwrap();
    assert_eq!(
        server.pools().unwrap().len(),
        2,
        "its own write is seen at once (and with it what it committed on top of)"
    );
    server.one_look(false);
    server.one_look(true);
    assert!(
        server.api_tokens().unwrap()[0].revoked_at.is_some(),
        "the next request sees the revocation"
    );
    server.one_look(false);
    other.create_pool(&pool("c", dir.path()), None).unwrap();
    assert_eq!(server.pools().unwrap().len(), 3, "off: every read looks");
}
