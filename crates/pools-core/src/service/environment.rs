//! [`Environment`]: everything an operator or an application can ask of one environment, one
//! method per use case (the CLI's verbs; later the server's routes). The local implementation
//! ([`super::Local`]) holds the rules over a [`crate::store::Store`]; a remote one (issue 11)
//! sends the same requests over HTTP. Nothing here hands out a password hash or a secret
//! value (R11): a client never needs one.

use super::secrets::{NewSecret, SavedSecret};
use crate::audit::{Entry, Filter};
use crate::config::Plan;
use crate::error::Result;
use crate::methods::MethodReport;
use crate::pool::{PoolName, PoolSpec, StoredPool};
use crate::store::{DeleteOutcome, PoolUsers};
use crate::user::User;
use serde_json::{Map, Value};

/// A pool to create: its settings as given (secret settings given as `-` have their value in
/// `secrets`) and its 1-based place in the login order (`None`: last).
#[derive(Debug)]
pub struct CreatePool {
    pub spec: PoolSpec,
    pub secrets: Vec<NewSecret>,
    pub position: Option<usize>,
}

/// A pool created, and where its new secrets were kept.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Created {
    pub pool: StoredPool,
    pub saved: Vec<SavedSecret>,
    /// The export file's format when it reads (export pools); `None` otherwise.
    pub detected_format: Option<crate::export::ExportFormat>,
}

/// A change of a pool's settings: `patch` holds the settings given (others keep their
/// value), `if_version` the version the change is based on (`None`: the current one, R12),
/// `force` allows replacing the source of users who still need it (R10).
#[derive(Debug)]
pub struct ConfigurePool {
    pub name: String,
    pub patch: PoolSpec,
    pub secrets: Vec<NewSecret>,
    pub if_version: Option<u64>,
    pub force: bool,
}

/// A pool before and after a change; `after` equals `before` when nothing changed (then
/// nothing was written).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Configured {
    pub before: StoredPool,
    pub after: StoredPool,
    pub changed: bool,
    pub saved: Vec<SavedSecret>,
}

/// An `apply` document as the client read it: its text, the name messages give it (its
/// path, or `-` for stdin), and the directory its relative paths are read from (an absolute
/// path: export files are files on the environment's side).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ApplyDocument {
    pub text: String,
    pub origin: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub base: std::path::PathBuf,
}

/// A parsed `apply` document, planned against this environment ([`Environment::plan_apply`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ApplyPlan {
    pub plan: Plan,
    /// The document came from another environment: its pool versions were not checked.
    pub foreign: bool,
    /// Warnings about the pools as the plan leaves them (export files that do not read,
    /// domains two pools route), to show after the plan's outcome.
    pub warnings: Vec<super::Notice>,
}

/// What `pools export` writes: the pools in login order, with what `apply` checks (R12).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PoolsDocument {
    pub pools: Vec<StoredPool>,
    pub environment_id: String,
    /// Read before the pools: a reorder in between then makes the document refuse a reorder
    /// it need not (safe), never pass one it should refuse.
    pub order_version: u64,
}

/// A native user to create (R13): the identifier as typed, its password, and a fixed
/// tenant (`None`: a new tenant of its own).
pub struct CreateUser {
    pub identifier: String,
    pub password: crate::secret::Secret,
    pub tenant: Option<String>,
}

/// One user as an operator sees it: the record (its password hash never included), its
/// aliases, the scheme of its password hash, and how it can sign in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UserView {
    pub user: User,
    /// Alias keys, sorted; `[]` for none.
    pub aliases: Vec<String>,
    /// The hash's scheme (`bcrypt`, `argon2id`, ...), `unreadable`, or `None` without one.
    pub password_scheme: Option<String>,
    pub sign_in_methods: Vec<MethodReport>,
}

/// The sign-in methods after `pools methods enable|disable`, and how many users stored
/// externally cannot use the method just enabled (R8; 0 for a method they can use).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MethodsChanged {
    pub settings: crate::methods::Settings,
    pub external_users_excluded: u64,
}

/// What `pools check` saw of one pool: its source kind, each prerequisite, and the requests
/// made (none for export pools).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PoolCheck {
    pub pool: String,
    pub source: String,
    pub probes: Vec<crate::source::Probe>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<crate::source::Exchange>,
}

impl PoolCheck {
    /// Whether every prerequisite holds.
    pub fn ok(&self) -> bool {
        self.probes.iter().all(|p| p.ok)
    }
}

/// Migration progress (`pools status`): the pools in login order, and the users' counts per
/// pool (also of deleted pools whose users remain, and `pool: None` for native users).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Status {
    pub pools: Vec<StoredPool>,
    pub users: Vec<crate::store::UserStatus>,
}

/// A login to run on the engine (R14): the identifier as typed, its password or the claims
/// an IdP would return, the time the whole login may take, and whether its outcome is
/// written as a real login's would be (`commit`; else nothing is written).
pub struct LoginRequest {
    pub identifier: String,
    pub password: Option<crate::secret::Secret>,
    pub claims: Option<Map<String, Value>>,
    pub limits: crate::engine::Limits,
    pub commit: bool,
}

/// A page of users (`pools users list`): which users, from where, how many.
#[derive(Debug, Clone, Default)]
pub struct UsersQuery {
    pub filter: crate::user::UserFilter,
    pub page: crate::user::Page,
}

/// The most users one call gives ([`Environment::users`], [`Environment::export_users`]):
/// a client pages on with `next`, so that no answer holds a million users.
pub const MAX_USERS_PAGE: u64 = 1000;

/// One page of users, in identifier order, and the cursor of the next page when users are
/// left after it.
#[derive(Debug, Clone, Default)]
pub struct UsersPage<T> {
    pub users: Vec<T>,
    pub next: Option<crate::user::Cursor>,
}

/// An import into a pool (`users import`): the export as the client opened it (a file, a
/// FIFO or stdin, read once) and the import's settings; see [`super::import::Options`].
pub struct ImportRequest {
    pub pool: String,
    /// `None`: the pool's own export file, opened by the environment (a file of the
    /// server's machine through `--env`).
    pub input: Option<crate::export::Input>,
    /// `None`: the pool's format, or told from the input's first bytes.
    pub format: Option<crate::export::ExportFormat>,
    pub hash_config: Option<std::path::PathBuf>,
    pub on_conflict: crate::import::OnConflict,
    /// Rows per transaction.
    pub batch: usize,
    pub dry_run: bool,
    /// Set (by a Ctrl-C handler) to commit the rows held, stop, and return a summary marked
    /// `interrupted`.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The pool's import lock from [`Environment::begin_import`] (`None` for a dry run).
    pub lock: Option<crate::store::ImportLock>,
    /// `--import-id`: runs with the same ID are one import, whatever the input.
    pub import_id: Option<String>,
    /// The ID of a file another host reads and sends as a stream (`--env`); see
    /// [`super::import::Options::file_id`].
    pub file_id: Option<crate::import::ImportId>,
}

/// The start of an export the environment opened itself ([`ImportEvents::head`]).
#[derive(Debug, Clone)]
pub struct InputHead {
    pub format: crate::export::ExportFormat,
    /// For a line format (CSV, Auth0 NDJSON): its first line that is not blank, with its
    /// line end; `None` otherwise.
    pub first_line: Option<Vec<u8>>,
    /// Whether a UTF-8 BOM starts it.
    pub bom: bool,
    /// Its size in bytes, when it is a regular file.
    pub size: Option<u64>,
}

/// What an import tells as it goes: how far it read, and every row it did not import as
/// is (skipped, merged, rejected), in file order.
pub trait ImportEvents: Send {
    /// The start of an input the client did not open (the pool's export file, read by a
    /// server), told before any row: what a reject file repeats of it, and its size.
    fn head(&mut self, _head: InputHead) {}
    fn progress(&mut self, progress: super::import::Progress);
    fn report(&mut self, report: crate::import::Report);
}

/// One environment, as its operators and applications use it. Object-safe and `Send + Sync`,
/// so the server can share one behind an `Arc` and a client can stand in for it.
///
/// Errors are [`crate::Error`]s of their documented kinds; every change is atomic (R12).
#[async_trait::async_trait]
pub trait Environment: Send + Sync {
    /// Every pool, in login order.
    async fn pools(&self) -> Result<Vec<StoredPool>>;

    /// One pool and the users it owns or originated. Errors: `NotFound`.
    async fn pool(&self, name: &str) -> Result<(StoredPool, PoolUsers)>;

    /// Creates a pool. Errors: `Invalid` (a rule, a setting), `Conflict` (the name exists).
    async fn create_pool(&self, req: CreatePool) -> Result<Created>;

    /// Changes a pool's settings. Errors: `NotFound`, `Invalid`, `Conflict` (stale version).
    async fn configure_pool(&self, req: ConfigurePool) -> Result<Configured>;

    /// Deletes a pool, if still at `if_version` (`None`: the current one). Without `force`,
    /// refuses a pool users still need (R10). Errors: `NotFound`, `Invalid`, `Conflict`.
    async fn delete_pool(
        &self,
        name: &str,
        if_version: Option<u64>,
        force: bool,
    ) -> Result<DeleteOutcome>;

    /// Sets the login order, if it is still `expected` (R5, R12); returns the pools in the
    /// new order. Errors: `Invalid` (not every pool once), `Conflict`.
    async fn reorder(&self, order: &[PoolName], expected: &[PoolName]) -> Result<Vec<StoredPool>>;

    /// Plans an `apply` of `document` (parsed here, so that every message points into it),
    /// deleting the pools it does not name when `prune`.
    /// Errors: `Invalid` (the document: `file:line:column`; positions), `Conflict` when the
    /// document is stale (R12).
    async fn plan_apply(&self, document: &ApplyDocument, prune: bool) -> Result<ApplyPlan>;

    /// Carries out a plan in one transaction (R12); returns the deleted pools' counts.
    async fn apply(&self, plan: &ApplyPlan, force: bool) -> Result<Vec<DeleteOutcome>>;

    /// The pools as `pools export` writes them.
    async fn export_pools(&self) -> Result<PoolsDocument>;

    /// A user by identifier or alias. Errors: `NotFound`.
    async fn user(&self, identifier: &str) -> Result<UserView>;

    /// Creates a native user (R13). Errors: `Invalid`, `Conflict` (the name is a user's, R6).
    async fn create_user(&self, req: CreateUser) -> Result<User>;

    /// Merges `changes` into a user's metadata (R7: not a read-only copy of a sync pool).
    /// Errors: `NotFound`, `Invalid`, `Conflict`.
    async fn set_user_metadata(
        &self,
        identifier: &str,
        changes: &Map<String, Value>,
    ) -> Result<User>;

    /// One page of the audit log's entries matching `filter`, oldest first: at most
    /// `filter.limit`, after `filter.after`. A client pages on with the last entry's `seq`.
    async fn audit(&self, filter: &Filter) -> Result<Vec<Entry>>;

    /// A page of the users matching `query`, in identifier order (never with their password
    /// hash, R11): at most `query.page.limit` and [`MAX_USERS_PAGE`]. Errors: `NotFound` for a
    /// pool filter that names no pool, nor one that left users.
    async fn users(&self, query: &UsersQuery) -> Result<UsersPage<User>>;

    /// A page of the users matching `query`, each with its alias keys, for a backup (`users
    /// export`); the password hashes only when `include_hashes` (R11: an operator's explicit
    /// request). Errors: as [`Environment::users`].
    async fn export_users(
        &self,
        query: &UsersQuery,
        include_hashes: bool,
    ) -> Result<UsersPage<(User, Vec<String>)>>;

    /// The environment's sign-in methods (R8, R9).
    async fn methods(&self) -> Result<crate::methods::Settings>;

    /// Enables or disables a sign-in method (audited as `setting.set`).
    async fn set_method(
        &self,
        method: crate::methods::Method,
        enabled: bool,
    ) -> Result<MethodsChanged>;

    /// Migration progress per pool.
    async fn status(&self) -> Result<Status>;

    /// Probes the pools named in `only` (empty: every pool), in pool order, for their
    /// prerequisites (`pools check`): live sources with harmless requests, export pools by
    /// reading their file. Errors: `NotFound` (a name that is no pool).
    async fn check(&self, only: &[String]) -> Result<Vec<PoolCheck>>;

    /// Scans the export pools named in `only` (empty: every export pool) and the store for
    /// what needs attention (R4, R5, R6, R13, R15). Errors: `NotFound` (a name that is no
    /// pool, nor left users), `Invalid` (a pool that is no export pool).
    async fn doctor(&self, only: &[String]) -> Result<crate::doctor::Scan>;

    /// The pool an import goes into and, unless `dry_run`, its import lock, taken before the
    /// client opens its input: a second import into the pool is refused before it reads a
    /// byte of a pipe (R12). Errors: `NotFound`, `Conflict` (an import is running).
    async fn begin_import(
        &self,
        pool: &str,
        dry_run: bool,
    ) -> Result<(StoredPool, Option<crate::store::ImportLock>)>;

    /// Streams an export into its pool (R6, R12, R17), one transaction per batch; rows
    /// committed before an error stay and the error carries their figures (resumable).
    /// Errors before the first row is read (no such pool) are the outer `Err`.
    async fn import(
        &self,
        req: ImportRequest,
        events: &mut dyn ImportEvents,
    ) -> Result<std::result::Result<crate::import::Summary, super::import::Stopped>>;

    /// Reads a backup of `users export` (as the client opened it) back, `batch` records per
    /// transaction (R12); `refused` gets every record not restored, in file order. A restore
    /// stopped by an error keeps the batches it committed and carries their figures.
    /// Errors before the first record is read (not a backup, an empty file) are the outer
    /// `Err`.
    async fn restore(
        &self,
        backup: crate::export::Input,
        batch: usize,
        refused: &mut (dyn FnMut(crate::backup::restore::Report) + Send),
    ) -> Result<std::result::Result<crate::backup::restore::Summary, super::restore::Stopped>>;

    /// Runs a login on the engine, as an application's login would (R5, R14): the trace of
    /// every step and the outcome; with `commit`, its writes (a migration, a shadow copy, a
    /// hash upgrade) are made and the trace says so. A refused login is an `Ok` trace.
    async fn login(&self, req: LoginRequest) -> Result<crate::engine::Trace>;
}
