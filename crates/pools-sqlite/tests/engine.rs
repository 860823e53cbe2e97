//! The engine against the real SQLite store: what a login commits when a concurrent import
//! wrote the same person first (R6, R12, R13).

use pools_core::engine::{Action, Limits, Login, attempt, commit};
use pools_core::secret::Secret;
use pools_core::store::Store;
use pools_sqlite::SqliteStore;

/// bcrypt of `hello` (Auth0's documentation).
const HELLO_BCRYPT: &str = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";

/// R12, R13: a first login that loses the race to an import of the same person (the
/// import committed the user between the attempt and the commit) still records its login
/// time and replaces the imported hash with one of the store's own algorithm; it does not
/// claim a write it never made.
#[test]
fn a_login_that_loses_the_race_to_an_import_still_records_itself() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.csv");
    std::fs::write(
        &file,
        format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n"),
    )
    .unwrap();
    let doc = format!(
        "pools:\n  - name: p\n    type: external\n    source: export\n    file: {}\n    mode: jit\n    tenant: property:tenant_id\n",
        file.display()
    );
    let entries = pools_core::config::parse_document(&doc, "t.yaml", dir.path()).unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    store.create_pool(&entries[0].pool, None).unwrap();
    let password = Secret::new("hello".into());
    let login = Login {
        identifier: "a@x.org",
        password: Some(&password),
        claims: None,
    };
    let mut trace = attempt(&store, &login, Limits::default()).unwrap();
    // The attempt plans a JIT migration: a new user, not written yet.
    let planned = trace.user.as_ref().unwrap();
    assert!(
        matches!(planned.action, Action::Migrate) && planned.id.is_none(),
        "{trace:?}"
    );

    // The import lands the same user first.
    let (input, format) =
        pools_core::service::import::input(&entries[0].pool, Some(&file), None).unwrap();
    pools_core::service::import::run(
        &mut store,
        pools_core::service::import::Options {
            pool: &entries[0].pool,
            input,
            format,
            hash_config: None,
            on_conflict: pools_core::import::OnConflict::Skip,
            batch: 10,
            dry_run: false,
            cancel: None,
            lock: None,
            import_id: None,
            file_id: None,
        },
        &mut |_| {},
        &mut |_| {},
    )
    .unwrap();
    let imported = store.user_by_key("a@x.org").unwrap().unwrap();
    assert!(imported.last_login_at.is_none());

    commit(&mut store, &mut trace).unwrap();
    let after = store.user_by_key("a@x.org").unwrap().unwrap();
    assert_eq!(after.id, imported.id, "one user (R6)");
    assert!(after.last_login_at.is_some(), "the login time was lost");
    let hash = after.password_hash.as_ref().unwrap().expose().to_owned();
    assert!(hash.starts_with("$argon2id$"), "not upgraded (R13): {hash}");
    let user = trace.user.as_ref().unwrap();
    assert!(
        matches!(user.action, Action::UpgradeHash),
        "{:?}",
        user.action
    );
    assert_eq!(user.hash_upgrade.as_deref(), Some("bcrypt -> argon2id"));
}

/// R5 (issue 9): the login budget holds before the owner pool of a shadow user too: with the
/// budget spent, the owner is not asked and the login fails closed (source_unavailable,
/// naming the pool), where a budget left asks it.
#[test]
fn the_budget_is_checked_before_the_owner_pool() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.csv");
    std::fs::write(
        &file,
        format!("email,password_hash,tenant_id\na@x.org,{HELLO_BCRYPT},acme\n"),
    )
    .unwrap();
    let doc = format!(
        "pools:\n  - name: p\n    type: external\n    source: export\n    file: {}\n    mode: sync\n    tenant: property:tenant_id\n",
        file.display()
    );
    let entries = pools_core::config::parse_document(&doc, "t.yaml", dir.path()).unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    store.create_pool(&entries[0].pool, None).unwrap();
    let password = Secret::new("hello".into());
    let login = Login {
        identifier: "a@x.org",
        password: Some(&password),
        claims: None,
    };
    let mut first = attempt(&store, &login, Limits::default()).unwrap();
    commit(&mut store, &mut first).unwrap();
    let shadow = store.user_by_key("a@x.org").unwrap().unwrap();
    assert_eq!(shadow.origin, pools_core::user::Origin::Shadow);
    let spent = Limits {
        budget: std::time::Duration::ZERO,
    };
    let refused = attempt(&store, &login, spent).unwrap();
    assert_eq!(
        refused.outcome,
        pools_core::engine::Outcome::Refused(pools_core::engine::Reason::SourceUnavailable),
        "{refused:?}"
    );
    let msg = refused.message.unwrap();
    assert!(msg.contains("budget") && msg.contains("pool 'p'"), "{msg}");
    let asked = attempt(&store, &login, Limits::default()).unwrap();
    assert!(asked.user.is_some(), "{asked:?}");
}

/// R12 (issue 9): a login's writes are compare-and-swaps, and its time is recorded apart
/// (`touch_login`, no version): a login whose user an operator changed between the attempt
/// and the commit still records its time, the operator's change stands, and a later plain
/// login counts no version; its hash upgrade (R13), based on the old read, is not written.
#[test]
fn a_login_after_an_operators_change_records_its_time_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let (user, _) = store
        .insert_user(&pools_core::user::NewUser {
            identifier: "kim@x.org".into(),
            aliases: Vec::new(),
            origin: pools_core::user::Origin::Native,
            pool: None,
            external_id: None,
            tenant_id: None,
            tenant_resolution: None,
            new_tenant: false,
            profile: serde_json::Map::new(),
            metadata: serde_json::Map::new(),
            enabled: true,
            password_hash: Some(Secret::new(HELLO_BCRYPT.into())),
            logged_in: false,
        })
        .unwrap();
    let password = Secret::new("hello".into());
    let login = Login {
        identifier: "kim@x.org",
        password: Some(&password),
        claims: None,
    };
    let mut trace = attempt(&store, &login, Limits::default()).unwrap();
    let mut plan = serde_json::Map::new();
    plan.insert("plan".into(), "pro".into());
    let changed = store
        .set_user_metadata(&user.id, user.version, &plan)
        .unwrap();
    commit(&mut store, &mut trace).unwrap();
    assert!(trace.committed, "{trace:?}");
    let after = store.user_by_key("kim@x.org").unwrap().unwrap();
    assert!(after.last_login_at.is_some(), "the login time was lost");
    assert_eq!(after.metadata, plan, "the operator's change stands");
    assert_eq!(after.version, changed.version);
    assert_eq!(after.password_hash.as_ref().unwrap().expose(), HELLO_BCRYPT);
    // The next login upgrades the hash (a version), the one after it only records its time.
    let mut next = attempt(&store, &login, Limits::default()).unwrap();
    commit(&mut store, &mut next).unwrap();
    let upgraded = store.user_by_key("kim@x.org").unwrap().unwrap();
    assert_eq!(upgraded.version, changed.version + 1);
    let mut plain = attempt(&store, &login, Limits::default()).unwrap();
    commit(&mut store, &mut plain).unwrap();
    let last = store.user_by_key("kim@x.org").unwrap().unwrap();
    assert_eq!(
        last.version, upgraded.version,
        "a login time is no new version"
    );
    assert!(last.last_login_at >= upgraded.last_login_at);
}
