//! The environment's store: pools, their order and (later) users. Commands reach it only
//! through [`Store`], so the embedded SQLite file and a remote environment are interchangeable.

#[cfg(feature = "contract")]
pub mod contract;
mod import_lock;

pub use import_lock::{ImportLock, lock_path};

use crate::backup::BackupUser;
use crate::backup::restore::Outcome;
use crate::config::Plan;
use crate::error::Result;
use crate::import::{BatchOutcome, ImportId, ImportRow, OnConflict};
use crate::pool::{Pool, PoolName, StoredPool};
use crate::user::{Cursor, LoginUpdate, NewUser, Page, User, UserFilter};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A name a user lists and does not hold (R6): see [`Store::alias_claims`].
#[derive(Debug, Clone)]
pub struct AliasClaim {
    /// As the user's source spells it.
    pub alias: String,
    /// Its identifier key.
    pub key: String,
    /// Who listed it.
    pub user: User,
    /// Who holds it now as identifier or alias; `None` when nobody does.
    pub holder: Option<User>,
}

/// What a delete did (R10). The three counts are disjoint.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeleteOutcome {
    pub name: String,
    /// Non-migrated users (shadow copies) the pool owned, removed with it.
    pub shadow_users_removed: u64,
    /// Users migrated from the pool with a local password: they stay, and keep logging in
    /// locally (R3).
    pub migrated_users_kept: u64,
    /// Users imported from the pool without a password hash: they stay (profile, metadata,
    /// tenant), but cannot log in until a pool of the same name exists again, since only the
    /// pool could check their first password.
    pub imported_without_hash_kept: u64,
}

/// The users a pool owns or originated, by what its deletion does to them (R3, R10).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PoolUsers {
    /// Shadow copies: they log in at the pool, and go with it.
    pub shadow: u64,
    /// Migrated users with a local password: independent of the pool (R3).
    pub migrated: u64,
    /// Imported users without a hash: their first login still asks the pool.
    pub imported_without_hash: u64,
}

impl PoolUsers {
    /// Users who still need the pool to log in (`pools status` NEED SOURCE): deleting the
    /// pool needs `--force` when this is not zero (R10).
    pub fn need_source(&self) -> u64 {
        self.shadow + self.imported_without_hash
    }

    /// Refuses deleting pool `name`, which these users have, when some still need it and
    /// not `force` (R10): what every store's delete says, and what a client checks before
    /// asking the operator to confirm a delete that would be refused anyway.
    ///
    /// Errors: [`crate::Error::Invalid`] citing R10, with the fix.
    pub fn refuse_delete(&self, name: &str, force: bool) -> crate::Result<()> {
        if self.need_source() == 0 || force {
            return Ok(());
        }
        Err(crate::Error::invalid(
            "R10",
            format!(
                "pool '{name}' has {} user(s) who still need it to log in ({} shadow, {} imported without a password hash)",
                self.need_source(),
                self.shadow,
                self.imported_without_hash
            ),
        )
        .with_hint(
            "add --force to delete it anyway: shadow copies are removed; imported users without a hash stay but cannot log in until a pool of that name exists again; migrated users with a password stay (R3)",
        ))
    }
}

/// One environment's pools. Every method is one atomic change (R12): it is applied whole or
/// not at all, and a change based on a stale read fails with [`crate::Error::Conflict`].
///
/// Correct on any database (issue 9): a backend may not lean on a single writer. A versioned
/// change is a compare-and-swap decided by the write itself (`... WHERE version = $n`, the
/// rows it matched), not by a read before it; an identifier key and an alias key are one name
/// space that the database itself keeps one user's per name (R6), as it keeps a pool's source
/// user ID one user's (R17); times are made by the program. `store::contract` (feature `contract`)
/// is the suite every backend passes.
pub trait Store {
    /// Every pool, in login order (position 1 first).
    fn pools(&self) -> Result<Vec<StoredPool>>;

    /// One pool. Errors: [`crate::Error::NotFound`].
    fn pool(&self, name: &str) -> Result<StoredPool>;

    /// Adds a pool at 1-based `position` (the end when `None`).
    /// Errors: `Conflict` when the name exists; `Invalid` when the position is out of range.
    fn create_pool(&mut self, pool: &Pool, position: Option<usize>) -> Result<StoredPool>;

    /// Replaces a pool's settings if its version is still `expected_version`.
    /// Errors: `NotFound`; `Conflict` when the version moved on; `Invalid` (R10) when the
    /// change replaces the source (kind, or an export pool's file or format) of users who
    /// still need it, unless `force`.
    fn update_pool(
        &mut self,
        pool: &Pool,
        expected_version: u64,
        force: bool,
    ) -> Result<StoredPool>;

    /// Sets the login order, if the current order is still `expected`.
    /// Errors: `Conflict` when the order changed since it was read.
    fn set_order(&mut self, order: &[PoolName], expected: &[PoolName]) -> Result<Vec<StoredPool>>;

    /// Deletes a pool if its version is still `expected_version`. Without `force`, refuses a
    /// pool that users still need to log in (shadow copies, imported users without a hash),
    /// and says how many of each (R10). With `force`, shadow copies are removed and every
    /// migrated user stays (R3).
    fn delete_pool(
        &mut self,
        name: &str,
        expected_version: u64,
        force: bool,
    ) -> Result<DeleteOutcome>;

    /// The version of the pool order: counts every change to it (a pool moved, created or
    /// deleted), so a document read at one order is refused if it would reorder or delete
    /// pools after another change (R12, [`crate::config::Plan::order_read`]).
    fn order_version(&self) -> Result<u64>;

    /// A stable random ID of this environment, made when the store was created; it keeps
    /// credential-store entries of different environments apart. A copy of a store (its
    /// file copied while the original stays) takes a new one when first opened for a change.
    fn environment_id(&self) -> Result<String>;

    /// The environment ID the store had before this open found it to be a copy of another
    /// store and gave it a new one ([`Store::environment_id`]); `None` otherwise. Its
    /// environment then counts itself among the users of the credentials its pools share
    /// with the original (R11).
    fn copied_from(&self) -> Option<String> {
        None
    }

    /// Counts the users a pool owns or originated, by kind.
    fn pool_user_counts(&self, name: &str) -> Result<PoolUsers>;

    /// The user whose identifier key (see [`crate::identifier::key`]) or one of whose alias
    /// keys is `key`.
    fn user_by_key(&self, key: &str) -> Result<Option<User>>;

    /// The alias keys of the user with ID `user_id` (its other login names, R6), sorted;
    /// none for a user without aliases or an ID that is no user's. The store keeps each
    /// alias by its comparison key ([`crate::identifier::key`]), not as first spelled.
    fn aliases(&self, user_id: &str) -> Result<Vec<String>>;

    /// The user of `pool` with the source user ID `external_id` (unique per pool, R17): the
    /// keyed one, else the oldest a running or killed import wrote and has not settled yet.
    fn user_by_source_id(&self, pool: &str, external_id: &str) -> Result<Option<User>>;

    /// Users sharing a pool and source user ID with an older user, each with that older
    /// user's ID: left by stores written before the ID was unique; `doctor` reports them.
    fn source_id_duplicates(&self) -> Result<Vec<(User, String)>>;

    /// Names who the audit log records as making this connection's changes from now on, and
    /// the request they belong to ([`crate::audit::Op::local`] by default: `local:USER@HOST`
    /// and this process's request ID; a server names the token and its request).
    fn set_op(&mut self, op: crate::audit::Op);

    /// Streams the audit log's entries matching `filter` to `each`, oldest first.
    fn audit_log(
        &self,
        filter: &crate::audit::Filter,
        each: &mut dyn FnMut(crate::audit::Entry) -> Result<()>,
    ) -> Result<()>;

    /// The names users list and do not hold, because another person holds them or lists them
    /// too (R6), as the imports recorded them: each with the user who listed it and the user
    /// who holds it now (`None`: nobody), sorted by name. `doctor` reports each.
    fn alias_claims(&self) -> Result<Vec<AliasClaim>>;

    /// The users recorded as listing the name `key` without holding it ([`Store::alias_claims`]):
    /// a login by that name, or a login that would give it to one of them, is a collision
    /// (R6). Empty for almost every name.
    fn alias_claimants(&self, key: &str) -> Result<Vec<User>>;

    /// Streams one [`Page`] of the users matching `filter`, in identifier-key order, to
    /// `each` (never a full load: a store of millions lists in flat memory); returns the
    /// cursor of the next page when users are left after this one.
    fn users_page(
        &self,
        filter: &UserFilter,
        page: &Page,
        each: &mut dyn FnMut(User) -> Result<()>,
    ) -> Result<Option<Cursor>>;

    /// Streams every user matching `filter`, in identifier-key order, to `each`.
    fn for_each_user(
        &self,
        filter: &UserFilter,
        each: &mut dyn FnMut(User) -> Result<()>,
    ) -> Result<()> {
        self.users_page(filter, &Page::default(), each).map(|_| ())
    }

    /// [`Store::users_page`], each user with its alias keys (its other login names, R6),
    /// sorted: what a backup must hold of a user.
    fn users_page_with_aliases(
        &self,
        filter: &UserFilter,
        page: &Page,
        each: &mut dyn FnMut(User, Vec<String>) -> Result<()>,
    ) -> Result<Option<Cursor>>;

    /// [`Store::for_each_user`], each user with its alias keys.
    fn for_each_user_with_aliases(
        &self,
        filter: &UserFilter,
        each: &mut dyn FnMut(User, Vec<String>) -> Result<()>,
    ) -> Result<()> {
        self.users_page_with_aliases(filter, &Page::default(), each)
            .map(|_| ())
    }

    /// Writes one batch of a restore in one transaction (R12), in order: each user with its
    /// own ID, names, source user ID, times, version and hash. A user whose ID is in the
    /// store already is [`Outcome::Unchanged`] when nothing differs
    /// ([`crate::backup::restore::differences`], and every alias of the row finds it), else
    /// an `id_conflict`; a user whose identifier or an alias is another user's name
    /// (`identifier_conflict`, R6), or whose pool's source user ID is another user's
    /// (`source_id_conflict`, R17), is not written. Nothing of a conflicting row is written,
    /// and nothing is ever overwritten. Pools are the caller's to check.
    fn restore_batch(&mut self, rows: &[BackupUser]) -> Result<Vec<Outcome>>;

    /// Creates a user unless its identifier key is already a user's identifier or alias, or
    /// its pool already has a user with its source user ID (R6, R17); returns the stored user
    /// (that other user when not created) and whether this call created it. Whether that
    /// other user is the same person is the caller's to decide ([`User::is_source_user`]).
    /// An alias that names another user is left out. A race of first logins creates one user
    /// (and, for `auto` tenants, one tenant).
    fn insert_user(&mut self, user: &NewUser) -> Result<(User, bool)>;

    /// Applies a login's changes to a user if it is still at `expected_version`, and counts a
    /// new version: a compare-and-swap, on any backend decided by the write itself (the row
    /// it matched), never by a read before it (R12). A new [`crate::user::Identity`] replaces
    /// the user's identifier and aliases (an alias that names another user is left out). A
    /// login that changes nothing but its time calls [`Store::touch_login`] instead.
    /// Errors: `NotFound`; `Conflict` when it changed meanwhile (whatever the update holds,
    /// also only `touch_login`), or when the new identifier became another user's meanwhile.
    fn update_user_login(
        &mut self,
        id: &str,
        expected_version: u64,
        update: &LoginUpdate,
    ) -> Result<User>;

    /// Records a successful login of the user with ID `id`: its last-login time (now), and
    /// nothing else. No version is checked or counted: the time is no setting an operator
    /// edits, so a login never conflicts with, nor is refused by, another change (R12); the
    /// login's other changes go through [`Store::update_user_login`].
    /// Errors: `NotFound` when no user has the ID.
    fn touch_login(&mut self, id: &str) -> Result<()>;

    /// Replaces a user's metadata if it is still at `expected_version` (R12). R7 is the
    /// caller's to check.
    fn set_user_metadata(
        &mut self,
        id: &str,
        expected_version: u64,
        metadata: &Map<String, Value>,
    ) -> Result<User>;

    /// Writes batch number `seq` (1, 2, ... within the run) of run `run` of the import
    /// `source` (an [`ImportId::as_str`]) into `pool`, in one transaction (R12): each row is
    /// inserted as a user migrated from `pool`, or meets the user holding its identifier,
    /// else the pool's user with its source user ID, as [`crate::import::classify`] decides
    /// (R6, R17): a renamed user takes the row's identifier and aliases; the import's
    /// checkpoint (`source`'s last line) moves with the batch. A row's alias that is another
    /// user's name is not added, and an alias of another source user (a migrated user of any
    /// pool) that is a row's own identifier moves to the row ([`crate::import::yields_alias`]); both are
    /// returned as [`crate::import::AliasNote`]s for the import to report (R6).
    ///
    /// Idempotent by `(run, seq)`: a batch committed before (a client retrying after a lost
    /// answer) writes nothing and returns the outcome it had the first time, never its rows
    /// as duplicates of themselves. The caller numbers its batches and sends the same rows
    /// again under the same number.
    /// Errors: `Conflict` when `run` is not the import's latest run (a newer run started).
    fn import_batch(
        &mut self,
        pool: &str,
        source: &str,
        run: u64,
        seq: u64,
        rows: &[ImportRow],
        policy: OnConflict,
    ) -> Result<BatchOutcome>;

    /// Runs `reads` (lookups through this store) in one read transaction: they see the store
    /// at one point in time, and take its lock once rather than once each. A dry run's batch
    /// of rows is thousands of lookups (issue 8, F21). Inside a transaction already, it just
    /// runs them.
    fn read_snapshot(&self, reads: &mut dyn FnMut() -> Result<()>) -> Result<()>;

    /// Takes the pool's import lock, held until the returned guard is dropped: one import at
    /// a time per pool, across processes (R12). Two imports into one pool at once would stamp
    /// each other's users with their run numbers, and a duplicate in one's file would read as
    /// a rename to the other (R6, R17). Never waits; a killed holder releases it.
    /// Errors: [`crate::Error::Conflict`] when an import into the pool is running.
    fn import_lock(&self, pool: &str) -> Result<ImportLock>;

    /// Starts a run of the import `import` into `pool` and returns its number (1, 2, ...):
    /// rows an earlier run of the same import (the same [`ImportId`]) wrote are already
    /// imported, rows this run wrote are duplicates. The audit log names the input as
    /// [`ImportId::shown`]. The batches of earlier runs are forgotten: only the latest run
    /// takes batches ([`Store::import_batch`]).
    fn import_start(&mut self, pool: &str, import: &ImportId) -> Result<u64>;

    /// Ends the bulk-write mode the import's batches started (background checkpoints);
    /// called once after the last batch. Dropping the store ends it too.
    fn import_finished(&mut self) -> Result<()>;

    /// Settles imported rows (R17): an import's rows get their source-user-ID key only here,
    /// all at once in one transaction (R12), sorted, rather than batch by batch. Settles
    /// every row written and not settled yet: this import's (run `run` > 0 of the import of
    /// `source` into `pool`), a killed import's, and what an import running beside this one
    /// wrote so far (its later rows stay pending). A row whose pool and source user ID another
    /// user already has (keyed before, or earlier in the same settle) is a duplicate: a row of
    /// that run is removed (with `policy` merge, what it adds to the profile and a missing
    /// hash go to the other user first) and returned with that other user, for the import to
    /// report; a row of another run is kept and marked a duplicate of the other user, as
    /// doctor reports. Cheap when nothing is unsettled.
    fn import_settle(
        &mut self,
        pool: &str,
        source: &str,
        run: u64,
        policy: OnConflict,
    ) -> Result<Vec<(User, User)>>;

    /// Imported users with a source user ID not settled yet (an import is running, or one
    /// was killed), per pool; doctor reports them.
    fn import_pending(&self) -> Result<Vec<(String, u64)>>;

    /// Per-pool user figures for `pools status`, by pool name (`None`: native users).
    fn user_status(&self) -> Result<Vec<UserStatus>>;

    /// Environment settings with keys starting with `prefix` (e.g. `method.`).
    fn settings(&self, prefix: &str) -> Result<BTreeMap<String, String>>;

    /// Sets one environment setting.
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;

    /// Carries out an `apply` plan in one transaction; fails whole if any pool it was
    /// computed from changed meanwhile.
    fn apply(&mut self, plan: &Plan, force: bool) -> Result<Vec<DeleteOutcome>>;

    /// The environment server's bearer tokens, oldest first, revoked ones included (their
    /// digests, never a token).
    fn api_tokens(&self) -> Result<Vec<crate::api_token::ApiToken>>;

    /// Whether the reads a store keeps between calls ([`Store::pools`],
    /// [`Store::api_tokens`]) look at the store's state at each call (`false`, the default)
    /// or once, at the first, until turned off (`true`: for one request of a server, whose
    /// reads are then never older than its start, at one look's cost). What this handle
    /// writes is seen at once either way. A store that keeps nothing ignores it.
    fn one_look(&self, on: bool) {
        let _ = on;
    }

    /// Keeps `token` (audited as `token.create`, without its digest).
    ///
    /// Errors: [`crate::Error::Conflict`] when a token not revoked has its name.
    fn add_api_token(&mut self, token: &crate::api_token::ApiToken) -> Result<()>;

    /// Records a request the environment server refused (`access.denied`): `actor` is the
    /// token's name where one was recognised, else `anonymous`; `target` the request
    /// (`GET /v1/pools`); `detail` a JSON object (status, reason, client address).
    fn audit_refusal(&mut self, actor: &str, target: &str, detail: &str) -> Result<()>;

    /// Revokes the token `name` (audited as `token.revoke`); it is kept, refused from now.
    ///
    /// Errors: [`crate::Error::NotFound`] when no token not revoked has that name.
    fn revoke_api_token(&mut self, name: &str) -> Result<crate::api_token::ApiToken>;

    /// Names `op` as who makes the changes this connection writes from now on, and under
    /// which request (the environment server's caller: `token:NAME`, a request ID each).
    fn act_as(&mut self, op: crate::audit::Op);
}

/// Users of one pool (or, with `pool: None`, native users) by how far their migration got.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserStatus {
    pub pool: Option<String>,
    /// Written by a bulk import.
    pub imported: u64,
    /// Imported users who logged in since.
    pub imported_logged_in: u64,
    /// Imported users not seen since the import.
    pub never_seen_since_import: u64,
    /// Migrated by a login (JIT), not imported.
    pub migrated_by_login: u64,
    /// Shadow copies: the user still authenticates at the source (R8).
    pub shadow: u64,
    /// Users who still need the source to log in: shadows, and imported users without a hash.
    pub need_source: u64,
    pub native: u64,
    /// RFC 3339, the latest login of these users.
    pub last_login_at: Option<String>,
}

/// Checks the pool a `--pool NAME` filter names: a pool of the store, or one deleted whose
/// migrated users still name it (they outlive their pool, R3).
///
/// Errors: [`crate::Error::NotFound`] when neither is, so a typo is not an empty success.
pub fn check_pool_filter(store: &dyn Store, name: &str) -> Result<()> {
    match store.pool(name) {
        Ok(_) => Ok(()),
        Err(crate::Error::NotFound { .. }) => {
            if store
                .user_status()?
                .iter()
                .any(|r| r.pool.as_deref() == Some(name))
            {
                Ok(())
            } else {
                Err(crate::Error::pool_not_found(name))
            }
        }
        Err(e) => Err(e),
    }
}

/// The default location of the embedded store: `$XDG_DATA_HOME/pools/pools.db`, else
/// `~/.local/share/pools/pools.db`; `None` without a home directory. As the XDG Base
/// Directory spec says, an empty or relative `XDG_DATA_HOME` is ignored.
pub fn default_location() -> Option<PathBuf> {
    let base = crate::secret::xdg_dir("XDG_DATA_HOME").or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".local/share"))
    })?;
    Some(base.join("pools").join("pools.db"))
}
