//! The contract every [`Store`] backend meets (issue 9, "one suite, several backends"): the
//! rules the program relies on whatever database keeps the environment, written against the
//! trait alone (no SQL), so SQLite runs it now and a PostgreSQL store runs it unchanged.
//!
//! Built only with the `contract` feature (not in release builds). A backend's test crate
//! implements [`Backend`] and expands [`store_contract_tests!`](crate::store_contract_tests)
//! with a [`Factory`]: one `#[test]` per case of [`CASES`].
//!
//! Each case takes a fresh, empty environment from the factory and opens connections to it
//! with [`Backend::connect`]; the concurrent cases write from two threads, each through its
//! own connection to the one environment. A case panics (naming the rule) when the backend
//! breaks it.

use super::Store;
use crate::error::{Error, ErrorKind};
use crate::import::{BatchOutcome, ImportId, ImportRow, OnConflict, RowOutcome, RowReason};
use crate::pool::Pool;
use crate::user::{LoginUpdate, NewUser, Origin, User, UserFilter};
use serde_json::Map;
use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

/// One environment of the backend under test.
pub trait Backend: Send + Sync {
    /// A new connection to this environment: every call reaches the same data, as two
    /// `pools` processes (or two server requests) do.
    ///
    /// Panics when the backend cannot be reached: the suite has nothing to test then.
    fn connect(&self) -> Box<dyn Store + Send>;
}

/// Makes a new, empty environment for one case.
pub type Factory = fn() -> Box<dyn Backend>;

/// One case of the suite: panics when the backend `Factory` makes breaks its rule.
pub type Case = fn(Factory);

/// Every case, by name: what [`store_contract_tests!`](crate::store_contract_tests) runs.
pub const CASES: &[(&str, Case)] = &[
    (
        "r6_identifier_and_alias_keys_are_one_users",
        r6_identifier_and_alias_keys_are_one_users,
    ),
    (
        "r6_racing_alias_and_identifier_inserts_hold",
        r6_racing_alias_and_identifier_inserts_hold,
    ),
    (
        "r10_delete_is_refused_with_counts",
        r10_delete_is_refused_with_counts,
    ),
    (
        "r12_stale_pool_version_conflicts",
        r12_stale_pool_version_conflicts,
    ),
    (
        "r12_order_version_counts_and_guards_the_order",
        r12_order_version_counts_and_guards_the_order,
    ),
    (
        "r12_stale_user_version_conflicts",
        r12_stale_user_version_conflicts,
    ),
    (
        "r12_two_connections_one_version_one_wins",
        r12_two_connections_one_version_one_wins,
    ),
    (
        "r12_login_touch_needs_no_version",
        r12_login_touch_needs_no_version,
    ),
    (
        "r17_source_user_id_is_unique_per_pool",
        r17_source_user_id_is_unique_per_pool,
    ),
    (
        "import_retried_batch_answers_as_the_first_time",
        import_retried_batch_answers_as_the_first_time,
    ),
    ("import_runs_of_one_id_resume", import_runs_of_one_id_resume),
    (
        "api_tokens_are_kept_by_digest_and_revoked",
        api_tokens_are_kept_by_digest_and_revoked,
    ),
];

/// Expands to one `#[test]` per case of [`CASES`], each running it against `$factory` (a
/// [`Factory`]), so a failure names its case.
#[macro_export]
macro_rules! store_contract_tests {
    ($factory:expr) => {
        $crate::store_contract_tests!(@cases $factory;
            r6_identifier_and_alias_keys_are_one_users,
            r6_racing_alias_and_identifier_inserts_hold,
            r10_delete_is_refused_with_counts,
            r12_stale_pool_version_conflicts,
            r12_order_version_counts_and_guards_the_order,
            r12_stale_user_version_conflicts,
            r12_two_connections_one_version_one_wins,
            r12_login_touch_needs_no_version,
            r17_source_user_id_is_unique_per_pool,
            import_retried_batch_answers_as_the_first_time,
            import_runs_of_one_id_resume,
            api_tokens_are_kept_by_digest_and_revoked,
        );
    };
    (@cases $factory:expr; $($case:ident,)+) => {
        $(
            #[test]
            fn $case() {
                $crate::store::contract::$case($factory);
            }
        )+
    };
}

/// An export pool named `name` (its file need not exist: the store never reads it).
fn pool(name: &str) -> Pool {
    let doc = format!(
        "pools:\n  - name: {name}\n    type: external\n    source: export\n    file: /contract/{name}.csv\n    mode: jit\n    tenant: fixed:t\n"
    );
    crate::config::parse_document(&doc, "contract.yaml", std::path::Path::new("/"))
        .expect("the contract's pool document parses")
        .remove(0)
        .pool
}

/// A user to create: `identifier` with `aliases`, of `origin` in `pool` with source user ID
/// `external_id`.
fn new_user(
    identifier: &str,
    aliases: &[&str],
    origin: Origin,
    pool: Option<&str>,
    external_id: Option<&str>,
    hash: bool,
) -> NewUser {
    NewUser {
        identifier: identifier.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        origin,
        pool: pool.map(Into::into),
        external_id: external_id.map(Into::into),
        tenant_id: Some("t".into()),
        tenant_resolution: Some("fixed".into()),
        new_tenant: false,
        profile: Map::new(),
        metadata: Map::new(),
        enabled: true,
        password_hash: hash.then(|| crate::secret::Secret::new("$2b$10$contract".into())),
        logged_in: false,
    }
}

fn native(identifier: &str, aliases: &[&str]) -> NewUser {
    new_user(identifier, aliases, Origin::Native, None, None, true)
}

/// An import row of `email`, source user `external_id`, at `line`.
fn row(line: u64, email: &str, external_id: &str) -> ImportRow {
    ImportRow {
        line,
        identifier: email.into(),
        key: crate::identifier::key(email),
        aliases: Vec::new(),
        external_id: Some(external_id.into()),
        tenant_id: "t".into(),
        tenant_resolution: "fixed".into(),
        new_tenant: false,
        profile_json: "{}".into(),
        password_hash: None,
        shared_aliases: Vec::new(),
    }
}

fn kind_of<T: std::fmt::Debug>(r: crate::error::Result<T>) -> ErrorKind {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.kind(),
    }
}

/// Every user with its alias keys, by identifier key.
fn everyone(store: &dyn Store) -> BTreeMap<String, (User, Vec<String>)> {
    let mut all = BTreeMap::new();
    store
        .for_each_user_with_aliases(&UserFilter::default(), &mut |u, aliases| {
            all.insert(u.key.clone(), (u, aliases));
            Ok(())
        })
        .expect("users list");
    all
}

/// Checks R6 over the whole store: no name (identifier or alias key) is two users'.
fn assert_one_user_per_name(store: &dyn Store) {
    let mut holders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, (u, aliases)) in everyone(store) {
        holders.entry(key).or_default().push(u.id.clone());
        for a in aliases {
            let ids = holders.entry(a).or_default();
            if !ids.contains(&u.id) {
                ids.push(u.id.clone());
            }
        }
    }
    let shared: Vec<_> = holders.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(shared.is_empty(), "R6: names held by two users: {shared:?}");
}

/// R6: an identifier key and an alias key are one name space: a new user whose identifier
/// is another's alias meets that user (nothing created), an alias that is another user's
/// identifier or alias is left out, and every name finds one user.
pub fn r6_identifier_and_alias_keys_are_one_users(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let (kim, created) = store.insert_user(&native("Kim@x.org", &["kim"])).unwrap();
    assert!(created);
    let (met, created) = store.insert_user(&native("KIM", &[])).unwrap();
    assert!(!created, "R6: an alias is no free identifier");
    assert_eq!(met.id, kim.id);
    let (lee, created) = store
        .insert_user(&native("lee@x.org", &["kim@x.org", "kim", "lee"]))
        .unwrap();
    assert!(created);
    assert_eq!(
        store.aliases(&lee.id).unwrap(),
        ["lee"],
        "R6: taken names left out"
    );
    assert_eq!(store.user_by_key("kim").unwrap().unwrap().id, kim.id);
    assert_eq!(store.user_by_key("lee").unwrap().unwrap().id, lee.id);
    assert_one_user_per_name(store.as_ref());
}

/// R6 under concurrency: one thread creates users whose identifiers are the names another
/// thread gives its users as aliases, each through its own connection; whichever lands first,
/// every name ends up one user's.
pub fn r6_racing_alias_and_identifier_inserts_hold(factory: Factory) {
    const N: usize = 40;
    let env: Arc<dyn Backend> = Arc::from(factory());
    let start = Arc::new(Barrier::new(2));
    let threads: Vec<_> = [true, false]
        .into_iter()
        .map(|by_identifier| {
            let env = Arc::clone(&env);
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut store = env.connect();
                start.wait();
                for i in 0..N {
                    let user = if by_identifier {
                        native(&format!("n{i}@x.org"), &[])
                    } else {
                        native(&format!("m{i}@x.org"), &[&format!("n{i}@x.org")])
                    };
                    // Busy or conflicting answers are a backend's right under contention;
                    // what lands must hold R6.
                    let _ = store.insert_user(&user);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a writer thread panicked");
    }
    let store = env.connect();
    assert_one_user_per_name(store.as_ref());
    for i in 0..N {
        let name = format!("n{i}@x.org");
        assert!(
            store.user_by_key(&name).unwrap().is_some(),
            "{name} went to nobody"
        );
    }
}

/// R10: a pool that users still need is not deleted without `force`, and the refusal says
/// how many of each kind (shadow copies, imported users without a hash); nothing changes.
/// With `force`, the shadow copies go and every migrated user stays (R3).
pub fn r10_delete_is_refused_with_counts(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let stored = store.create_pool(&pool("p"), None).unwrap();
    for (id, origin, hash) in [
        ("s1@x.org", Origin::Shadow, false),
        ("s2@x.org", Origin::Shadow, false),
        ("m1@x.org", Origin::Migrated, true),
        ("i1@x.org", Origin::Migrated, false),
    ] {
        let ext = format!("ext-{id}");
        store
            .insert_user(&new_user(id, &[], origin, Some("p"), Some(&ext), hash))
            .unwrap();
    }
    let counts = store.pool_user_counts("p").unwrap();
    assert_eq!(
        (counts.shadow, counts.migrated, counts.imported_without_hash),
        (2, 1, 1)
    );
    assert_eq!(counts.need_source(), 3);
    match store.delete_pool("p", stored.version, false) {
        Err(Error::Invalid { field, message, .. }) => {
            assert_eq!(field, "R10");
            assert!(
                message.contains("3 user(s)")
                    && message.contains("2 shadow")
                    && message.contains("1 imported"),
                "{message}"
            );
        }
        other => panic!("R10: delete of a needed pool: {other:?}"),
    }
    assert_eq!(store.pool("p").unwrap().version, stored.version);
    assert_eq!(
        everyone(store.as_ref()).len(),
        4,
        "a refusal changed nothing"
    );
    let outcome = store.delete_pool("p", stored.version, true).unwrap();
    assert_eq!(
        (
            outcome.shadow_users_removed,
            outcome.migrated_users_kept,
            outcome.imported_without_hash_kept
        ),
        (2, 1, 1)
    );
    let left: Vec<String> = everyone(store.as_ref()).into_keys().collect();
    assert_eq!(left, ["i1@x.org", "m1@x.org"], "R3: migrated users stay");
    assert_eq!(kind_of(store.pool("p")), ErrorKind::NotFound);
}

/// R12: a pool changed or deleted since it was read is not changed again on the old version;
/// a pool that is gone is `NotFound`; a name taken is a conflict.
pub fn r12_stale_pool_version_conflicts(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let v1 = store.create_pool(&pool("p"), None).unwrap().version;
    assert_eq!(
        kind_of(store.create_pool(&pool("p"), None)),
        ErrorKind::Conflict
    );
    let v2 = store.update_pool(&pool("p"), v1, false).unwrap().version;
    assert!(v2 > v1);
    assert_eq!(
        kind_of(store.update_pool(&pool("p"), v1, false)),
        ErrorKind::Conflict
    );
    assert_eq!(
        kind_of(store.delete_pool("p", v1, false)),
        ErrorKind::Conflict
    );
    assert_eq!(
        store.pool("p").unwrap().version,
        v2,
        "a refusal wrote nothing"
    );
    store.delete_pool("p", v2, false).unwrap();
    assert_eq!(
        kind_of(store.update_pool(&pool("p"), v2, false)),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind_of(store.delete_pool("p", v2, false)),
        ErrorKind::NotFound
    );
    // A pool made again under the name goes on from the old versions: a document read from
    // the deleted one does not match it.
    let again = store.create_pool(&pool("p"), None).unwrap().version;
    assert!(
        again > v2,
        "versions go on after a delete ({again} after {v2})"
    );
}

/// R12: the order version counts every change of the order (a pool created, moved or
/// deleted), and an order read before another change is not set.
pub fn r12_order_version_counts_and_guards_the_order(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let v0 = store.order_version().unwrap();
    store.create_pool(&pool("a"), None).unwrap();
    store.create_pool(&pool("b"), None).unwrap();
    let v2 = store.order_version().unwrap();
    assert_eq!(v2, v0 + 2);
    let names = |store: &dyn Store| -> Vec<crate::pool::PoolName> {
        store
            .pools()
            .unwrap()
            .into_iter()
            .map(|p| p.pool.name)
            .collect()
    };
    let read = names(store.as_ref());
    let reversed: Vec<_> = read.iter().rev().cloned().collect();
    store.set_order(&reversed, &read).unwrap();
    assert_eq!(store.order_version().unwrap(), v2 + 1);
    assert_eq!(
        kind_of(store.set_order(&read, &read)),
        ErrorKind::Conflict,
        "R12: an order read before a reorder"
    );
    assert_eq!(names(store.as_ref()), reversed, "a refusal wrote nothing");
    assert_eq!(store.order_version().unwrap(), v2 + 1);
    let b = store.pool("b").unwrap().version;
    store.delete_pool("b", b, false).unwrap();
    assert_eq!(store.order_version().unwrap(), v2 + 2);
}

/// R12: a user changed since it was read is not changed on the old version, by an operator
/// (metadata) or a login; a user that is gone is `NotFound`.
pub fn r12_stale_user_version_conflicts(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let (u, _) = store.insert_user(&native("a@x.org", &[])).unwrap();
    let mut plan = Map::new();
    plan.insert("plan".into(), "pro".into());
    let v2 = store.set_user_metadata(&u.id, u.version, &plan).unwrap();
    assert_eq!(v2.version, u.version + 1);
    assert_eq!(
        kind_of(store.set_user_metadata(&u.id, u.version, &Map::new())),
        ErrorKind::Conflict
    );
    let disable = LoginUpdate {
        enabled: Some(false),
        ..LoginUpdate::default()
    };
    assert_eq!(
        kind_of(store.update_user_login(&u.id, u.version, &disable)),
        ErrorKind::Conflict
    );
    // The version check holds for every login update, also one that only records a time
    // (that one is `touch_login`'s).
    assert_eq!(
        kind_of(store.update_user_login(&u.id, u.version, &LoginUpdate::touch())),
        ErrorKind::Conflict
    );
    let now = store.user_by_key("a@x.org").unwrap().unwrap();
    assert_eq!((now.version, now.enabled), (v2.version, true));
    assert_eq!(now.metadata, plan, "a refusal wrote nothing");
    assert_eq!(
        kind_of(store.set_user_metadata("usr_none", 1, &Map::new())),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind_of(store.update_user_login("usr_none", 1, &disable)),
        ErrorKind::NotFound
    );
}

/// R12 across connections: two clients read a user at one version and both write it; one
/// write lands, the other is a conflict, and the store holds the winner's change.
pub fn r12_two_connections_one_version_one_wins(factory: Factory) {
    let env = factory();
    let (mut one, mut two) = (env.connect(), env.connect());
    let (u, _) = one.insert_user(&native("a@x.org", &[])).unwrap();
    let read = two.user_by_key("a@x.org").unwrap().unwrap();
    assert_eq!(read.version, u.version);
    let doc = |v: &str| {
        let mut m = Map::new();
        m.insert("by".into(), v.into());
        m
    };
    one.set_user_metadata(&u.id, u.version, &doc("one"))
        .unwrap();
    assert_eq!(
        kind_of(two.set_user_metadata(&read.id, read.version, &doc("two"))),
        ErrorKind::Conflict
    );
    let pool_read = {
        one.create_pool(&pool("p"), None).unwrap();
        two.pool("p").unwrap()
    };
    one.update_pool(&pool("p"), pool_read.version, false)
        .unwrap();
    assert_eq!(
        kind_of(two.update_pool(&pool("p"), pool_read.version, false)),
        ErrorKind::Conflict
    );
    assert_eq!(
        two.user_by_key("a@x.org").unwrap().unwrap().metadata,
        doc("one")
    );
}

/// A login's time is recorded without a version (`touch_login`): it needs none, counts none,
/// so it never conflicts with an operator's change, and a user that is gone is `NotFound`.
pub fn r12_login_touch_needs_no_version(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let (u, _) = store.insert_user(&native("a@x.org", &[])).unwrap();
    assert_eq!(u.last_login_at, None);
    let moved = store
        .set_user_metadata(&u.id, u.version, &Map::new())
        .unwrap();
    store.touch_login(&u.id).unwrap();
    let now = store.user_by_key("a@x.org").unwrap().unwrap();
    assert_eq!(now.version, moved.version, "a login time is no new version");
    let at = now.last_login_at.expect("the login time is recorded");
    assert!(
        at.len() == 24 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "RFC 3339 UTC with milliseconds: {at}"
    );
    assert_eq!(kind_of(store.touch_login("usr_none")), ErrorKind::NotFound);
}

/// R17: a pool's source user ID names one local user: a second user of one pool and source
/// user ID is not created (the first is returned), one of another pool is; an import's second
/// row of one source user is settled as a duplicate of the first.
pub fn r17_source_user_id_is_unique_per_pool(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let migrated = |id: &str, pool: &str, ext: &str| {
        new_user(id, &[], Origin::Migrated, Some(pool), Some(ext), true)
    };
    let (a, created) = store.insert_user(&migrated("a@x.org", "p", "X")).unwrap();
    assert!(created);
    let (met, created) = store.insert_user(&migrated("b@x.org", "p", "X")).unwrap();
    assert!(!created, "R17: one source user, one local user");
    assert_eq!(met.id, a.id);
    let (q, created) = store.insert_user(&migrated("c@x.org", "q", "X")).unwrap();
    assert!(
        created,
        "another pool's source user ID is another source user"
    );
    assert_eq!(store.user_by_source_id("p", "X").unwrap().unwrap().id, a.id);
    assert_eq!(store.user_by_source_id("q", "X").unwrap().unwrap().id, q.id);
    let import = ImportId::given("contract-r17", "contract").unwrap();
    let run = store.import_start("p", &import).unwrap();
    let rows = [row(1, "d@x.org", "Y"), row(2, "e@x.org", "Y")];
    store
        .import_batch("p", import.as_str(), run, 1, &rows, OnConflict::Skip)
        .unwrap();
    let dups = store
        .import_settle("p", import.as_str(), run, OnConflict::Skip)
        .unwrap();
    let dups: Vec<(String, String)> = dups.into_iter().map(|(d, f)| (d.key, f.key)).collect();
    assert_eq!(dups, [("e@x.org".to_owned(), "d@x.org".to_owned())]);
    assert!(store.user_by_key("e@x.org").unwrap().is_none());
    assert_eq!(
        store.user_by_source_id("p", "Y").unwrap().unwrap().key,
        "d@x.org"
    );
}

/// Import batches are idempotent by (run, number): a committed batch sent again (a client
/// retrying after a lost answer) answers what it did the first time and writes nothing, its
/// rows never duplicates of themselves; a batch of a run that is over is refused.
pub fn import_retried_batch_answers_as_the_first_time(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    store.insert_user(&native("taken@x.org", &[])).unwrap();
    let import = ImportId::given("contract-retry", "contract").unwrap();
    let run = store.import_start("p", &import).unwrap();
    let rows = [
        row(1, "a@x.org", "A"),
        row(2, "b@x.org", "B"),
        row(3, "taken@x.org", "T"),
    ];
    let first = store
        .import_batch("p", import.as_str(), run, 1, &rows, OnConflict::Skip)
        .unwrap();
    assert_eq!(
        first.rows[..2],
        [RowOutcome::Imported, RowOutcome::Imported]
    );
    assert!(
        matches!(
            first.rows[2],
            RowOutcome::Skipped {
                reason: RowReason::IdentifierExists,
                ..
            }
        ),
        "{first:?}"
    );
    let users = everyone(store.as_ref());
    let again: BatchOutcome = store
        .import_batch("p", import.as_str(), run, 1, &rows, OnConflict::Skip)
        .unwrap();
    assert_eq!(again, first, "a retried batch answers as the first time");
    let after = everyone(store.as_ref());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        users.keys().collect::<Vec<_>>()
    );
    for (k, (u, _)) in &after {
        assert_eq!(u.version, users[k].0.version, "{k}: a retry wrote nothing");
    }
    // The next batch of the run is a batch of its own; settling finds no duplicate.
    let next = store
        .import_batch(
            "p",
            import.as_str(),
            run,
            2,
            &[row(4, "c@x.org", "C")],
            OnConflict::Skip,
        )
        .unwrap();
    assert_eq!(next.rows, [RowOutcome::Imported]);
    let dups = store
        .import_settle("p", import.as_str(), run, OnConflict::Skip)
        .unwrap();
    assert!(dups.is_empty(), "{dups:?}");
    assert_eq!(everyone(store.as_ref()).len(), 4);
    // A new run: the old run's batches are over.
    let run2 = store.import_start("p", &import).unwrap();
    assert!(run2 > run);
    assert_eq!(
        kind_of(store.import_batch("p", import.as_str(), run, 1, &rows, OnConflict::Skip)),
        ErrorKind::Conflict
    );
    let resumed = store
        .import_batch("p", import.as_str(), run2, 1, &rows[..2], OnConflict::Skip)
        .unwrap();
    assert_eq!(
        resumed.rows,
        [RowOutcome::AlreadyImported, RowOutcome::AlreadyImported]
    );
}

/// An import is named by its ID alone: a later run of the same ID finds the rows imported
/// (resume), whatever the input; another ID's rows of the same users were imported before.
pub fn import_runs_of_one_id_resume(factory: Factory) {
    let env = factory();
    let mut store = env.connect();
    let one = ImportId::given("contract-one", "first input").unwrap();
    let run = store.import_start("p", &one).unwrap();
    let rows = [row(1, "a@x.org", "A"), row(2, "b@x.org", "B")];
    store
        .import_batch("p", one.as_str(), run, 1, &rows, OnConflict::Skip)
        .unwrap();
    store
        .import_settle("p", one.as_str(), run, OnConflict::Skip)
        .unwrap();
    let same = ImportId::given("contract-one", "another input").unwrap();
    let run = store.import_start("p", &same).unwrap();
    let out = store
        .import_batch("p", same.as_str(), run, 1, &rows, OnConflict::Skip)
        .unwrap();
    assert_eq!(
        out.rows,
        [RowOutcome::AlreadyImported, RowOutcome::AlreadyImported]
    );
    let other = ImportId::given("contract-two", "first input").unwrap();
    let run = store.import_start("p", &other).unwrap();
    let out = store
        .import_batch("p", other.as_str(), run, 1, &rows, OnConflict::Skip)
        .unwrap();
    assert!(
        out.rows.iter().all(|o| matches!(
            o,
            RowOutcome::Skipped {
                reason: RowReason::ImportedBefore,
                ..
            }
        )),
        "{out:?}"
    );
}

/// Issue 11: a token is kept by its digest, its name one live token's; a revoked one is
/// kept (refused by the server, listed with when) and its name free again; revoking an
/// unknown or revoked name is NotFound; another connection sees each change.
pub fn api_tokens_are_kept_by_digest_and_revoked(factory: Factory) {
    use crate::api_token::{Role, find, issue};
    let env = factory();
    let mut store = env.connect();
    let ci = issue("ci", Role::Admin).unwrap();
    store.add_api_token(&ci.record).unwrap();
    let again = issue("ci", Role::Read).unwrap();
    assert_eq!(
        kind_of(store.add_api_token(&again.record)),
        ErrorKind::Conflict
    );
    let other = env.connect();
    let kept = other.api_tokens().unwrap();
    assert_eq!(kept, std::slice::from_ref(&ci.record));
    assert_eq!(
        find(&kept, ci.token.expose()).map(|t| t.role),
        Some(Role::Admin)
    );
    let revoked = store.revoke_api_token("ci").unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(kind_of(store.revoke_api_token("ci")), ErrorKind::NotFound);
    assert_eq!(
        kind_of(store.revoke_api_token("nobody")),
        ErrorKind::NotFound
    );
    store.add_api_token(&again.record).unwrap();
    let kept = other.api_tokens().unwrap();
    assert_eq!(kept.len(), 2);
    assert!(find(&kept, ci.token.expose()).unwrap().revoked_at.is_some());
    assert_eq!(find(&kept, again.token.expose()).unwrap().role, Role::Read);
}
