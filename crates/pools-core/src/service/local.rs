//! [`Local`]: the [`Environment`] of one store on this machine. It holds the rules that are
//! not the store's to enforce — R7, native users (R13), the lifecycle of secrets (R11), the
//! warnings about settings that cannot work yet — so that the CLI and the server only parse,
//! call and render.
//!
//! The store is synchronous today; its calls run inline on the caller's runtime (a CLI's
//! current-thread runtime has nothing else to run meanwhile). A `Mutex` makes one store
//! connection shareable, as the server will share one `Local`.

use super::environment::*;
use super::secrets::{self, Pending};
use super::{Notice, Notify};
use crate::audit::{Entry, Filter};
use crate::config::{self, Change};
use crate::error::{Error, Result};
use crate::pool::{Mode, Pool, PoolName, StoredPool};
use crate::secret::{CredentialStore, Secret};
use crate::store::{DeleteOutcome, PoolUsers, Store};
use crate::user::{NewUser, Origin, User};
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex, MutexGuard};

/// One store on this machine, as an [`Environment`].
pub struct Local {
    store: Arc<Mutex<Box<dyn Store + Send>>>,
    creds: CredentialStore,
    notify: Notify,
    /// Logins and password hashing run off the async threads, on the runtime's blocking
    /// pool, at most one per core at a time: a burst of logins queues here instead of
    /// running a 64 MiB argon2id each at once.
    cpu: Arc<tokio::sync::Semaphore>,
    /// How a pool's source is made: offline unless [`Local::with_sources`] says otherwise.
    sources: Arc<dyn crate::source::Sources>,
}

/// The permits of [`Local`]'s `cpu` gate: the cores this process may use.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// The store behind `store`'s lock; see [`Local::store`].
fn lock(store: &Mutex<Box<dyn Store + Send>>) -> MutexGuard<'_, Box<dyn Store + Send>> {
    // A panic while the store was held leaves no half-written change: every store
    // method is one transaction (R12), so the connection stays usable.
    store.lock().unwrap_or_else(|p| p.into_inner())
}

impl Local {
    /// An environment over `store`, keeping `-` secrets in `creds`, telling the operator what
    /// it notices (warnings, where secrets went) through `notify` as it goes.
    pub fn new(store: Box<dyn Store + Send>, creds: CredentialStore, notify: Notify) -> Self {
        let local = Local {
            store: Arc::new(Mutex::new(store)),
            creds,
            notify,
            cpu: Arc::new(tokio::sync::Semaphore::new(cores())),
            sources: Arc::new(crate::source::OfflineSources),
        };
        local.count_copy();
        local
    }

    /// Names `op` as who makes the changes from now on (see [`Store::act_as`]).
    pub fn act_as(&self, op: crate::audit::Op) {
        self.store().act_as(op);
    }

    /// The same environment, hashing behind `gate` (shared by the environments of one
    /// server, so that N of them still run at most a core's worth of hashes each).
    pub fn with_cpu_gate(mut self, gate: Arc<tokio::sync::Semaphore>) -> Self {
        self.cpu = gate;
        self
    }

    /// A CPU gate for [`Local::with_cpu_gate`] shared by a server's environments, and the
    /// argon2 workers it feeds ([`crate::hash::hash_on_workers`], one per core): two permits
    /// per core, so that a worker finds the next login's hash queued the moment it ends one
    /// (the logins holding permits do their store work meanwhile; the workers alone bound
    /// the argon2 CPU and memory; first logins' other hashes, bcrypt or scrypt of a source,
    /// run on the gate's threads).
    ///
    /// Errors: the OS's, when a worker thread cannot be spawned.
    pub fn cpu_gate() -> std::io::Result<Arc<tokio::sync::Semaphore>> {
        crate::hash::hash_on_workers(cores())?;
        Ok(Arc::new(tokio::sync::Semaphore::new(2 * cores())))
    }

    /// The same environment, asking pools' sources as `sources` makes them (a live factory
    /// where the network is reached; offline by default).
    pub fn with_sources(mut self, sources: Arc<dyn crate::source::Sources>) -> Self {
        self.sources = sources;
        self
    }

    /// When the store was just found to be a copy of another and took a new environment ID
    /// ([`Store::copied_from`]), records it as a user of the credentials its pools refer to
    /// (they were made by, or shared with, the original), so that neither the original nor
    /// another store removes one while the copy still refers to it (R11). Failures are
    /// warnings.
    fn count_copy(&self) {
        let Some(original) = self.store().copied_from() else {
            return;
        };
        let (env_id, pools) = {
            let store = self.store();
            (store.environment_id(), store.pools())
        };
        match (env_id, pools) {
            (Ok(env_id), Ok(pools)) => {
                let notify = |n| self.say(n);
                secrets::share_adopted(&self.creds, &env_id, pools.iter().map(|p| &p.pool), &notify);
                if pools.iter().any(|p| !p.pool.settings.secrets().is_empty()) {
                    self.say(Notice::Note(format!(
                        "this store is a copy of another (environment {original}): it now has its own environment ID, and the credentials its pools share with the original are kept until both stop using them"
                    )));
                }
            }
            (Err(e), _) | (_, Err(e)) => self.say(Notice::Warning(format!(
                "this store is a copy of another, but the credentials its pools share with it could not be recorded: {e}"
            ))),
        }
    }

    /// The store, for a call that is short (one transaction on a local file): run inline on
    /// the async thread. Logins and hashing go through [`Local::off_async`].
    fn store(&self) -> MutexGuard<'_, Box<dyn Store + Send>> {
        lock(&self.store)
    }

    /// Runs `f` with the store on the runtime's blocking pool, behind the `cpu` gate. The
    /// store is held for the whole of `f`: the embedded store is one connection, so logins
    /// take turns on it (a server gives each worker its own, issue 11).
    ///
    /// Errors: `f`'s, or [`Error::Bug`] when it panicked.
    async fn off_async<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = Arc::clone(&self.store);
        self.cpu_bound(move || f(lock(&store).as_mut())).await
    }

    /// Runs `f` (CPU-bound work: a password hash) on the runtime's blocking pool, behind the
    /// `cpu` gate, without the store.
    ///
    /// Errors: `f`'s, or [`Error::Bug`] when it panicked.
    async fn cpu_bound<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        crate::cpu_gate::run(&self.cpu, f)
            .await
            .map_err(|why| Error::Bug {
                message: why.into(),
            })?
    }

    fn say(&self, n: Notice) {
        (self.notify)(n)
    }

    /// Turns [`Store::one_look`] on for one request of a server (its kept reads look at the
    /// store's state once), or off when the request ends.
    pub fn one_look(&self, on: bool) {
        self.store().one_look(on)
    }

    /// The environment server's bearer tokens, revoked ones included (`pools serve token
    /// list`). Tokens belong to the store a server serves, so they are managed on its side
    /// only: this is no [`Environment`] call.
    pub fn api_tokens(&self) -> Result<Vec<crate::api_token::ApiToken>> {
        self.store().api_tokens()
    }

    /// Issues a token named `name` of `role` and keeps its digest; the token itself is in
    /// the answer only.
    ///
    /// Errors: an invalid name ([`crate::api_token::check_name`]); [`Error::Conflict`] when
    /// a token not revoked has the name.
    pub fn issue_api_token(
        &self,
        name: &str,
        role: crate::api_token::Role,
    ) -> Result<crate::api_token::Issued> {
        let issued = crate::api_token::issue(name, role)?;
        self.store().add_api_token(&issued.record)?;
        Ok(issued)
    }

    /// Records a request the environment server refused ([`Store::audit_refusal`]): by
    /// `actor` (`token:NAME`, or `anonymous`), of `target` (`GET /v1/pools`), with `detail`.
    pub fn audit_refusal(
        &self,
        actor: &str,
        target: &str,
        detail: &serde_json::Value,
    ) -> Result<()> {
        self.store()
            .audit_refusal(actor, target, &detail.to_string())
    }

    /// Revokes the token `name`. Errors: [`Error::NotFound`].
    pub fn revoke_api_token(&self, name: &str) -> Result<crate::api_token::ApiToken> {
        self.store().revoke_api_token(name)
    }

    /// Warnings about secret references of `pool` that do not resolve here.
    fn warn_secrets(&self, pool: &Pool) {
        for n in secrets::warnings(pool) {
            self.say(n);
        }
    }

    /// Refuses an unusable hash config before anything is written; warns about a missing one.
    fn check_hash_config(&self, pool: &Pool) -> Result<()> {
        if let Some(w) = pool.check_hash_config()? {
            self.say(Notice::Warning(w));
        }
        Ok(())
    }

    fn after_change(&self, env_id: &str, changed: &[&Pool], old: &[&Pool]) -> Result<()> {
        let now = self.store().pools()?;
        let notify = |n| self.say(n);
        secrets::share_adopted(&self.creds, env_id, changed.iter().copied(), &notify);
        for o in old {
            secrets::forget_replaced(&self.creds, env_id, o, &now, &notify);
        }
        Ok(())
    }
}

/// Warnings about the domains two pools of `pools` (in login order, after the change) route,
/// where one of the two is among `changed`. Sharing is legal: the login order decides (R5).
fn shared_domain_warnings<'a>(
    pools: impl IntoIterator<Item = &'a Pool>,
    changed: &[&PoolName],
) -> Vec<Notice> {
    let changed: std::collections::HashSet<&PoolName> = changed.iter().copied().collect();
    crate::pool::shared_domains(pools)
        .into_iter()
        .filter(|s| changed.contains(&s.first) || changed.contains(&s.second))
        .map(|s| {
            Notice::Warning(format!(
                "{s}; keep the domain on one pool unless that is meant (`pools configure {} --domains ...`)",
                s.second
            ))
        })
        .collect()
}

/// Warnings when an export pool's file cannot serve it yet (missing, empty, not text, no
/// known format, another format than configured): the pool is still saved, since the file may
/// come later. Returns the file's format when it reads.
fn export_file_warnings(pool: &Pool) -> (Vec<Notice>, Option<crate::export::ExportFormat>) {
    let mut out = Vec::new();
    if let crate::pool::SourceSettings::Export { file, .. } = &pool.settings
        && std::fs::metadata(file).is_ok_and(|m| !m.is_file())
    {
        // Not opened here: a FIFO would wait for a writer.
        out.push(Notice::Warning(format!(
            "pool '{}': its file {file} is not a regular file (a FIFO, a device), so it is not checked now; each login waits for it at most timeout_ms, and `pools doctor` and `pools users import` wait until it is written",
            pool.name
        )));
    }
    if let Some((given, detected)) = pool.export_format_mismatch() {
        out.push(Notice::Warning(format!(
            "pool '{}': its format is {given}, but its file reads as {detected}: logins and imports read it as {given} and fail; if the file is the right one, `pools configure {} --format {detected}`",
            pool.name, pool.name
        )));
    }
    let format = match pool.probe_export_file() {
        Ok(format) => format,
        Err(e) => {
            out.push(Notice::Warning(format!(
                "pool '{}': {e}; until it reads, the pool answers no login and imports nothing",
                pool.name
            )));
            None
        }
    };
    (out, format)
}

/// What `pools check` sees of an export pool: the file reads (in the format it is given or
/// detected as), and its Firebase hash parameters are usable.
fn export_probes(pool: &Pool) -> Vec<crate::source::Probe> {
    use crate::source::Probe;
    let crate::pool::SourceSettings::Export {
        file,
        format: given,
        hash_config,
    } = &pool.settings
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if std::fs::metadata(file).is_ok_and(|m| !m.is_file()) {
        out.push(Probe::pass(
            "file",
            format!("{file} is not a regular file (a FIFO, a device): not opened, as it would wait for a writer"),
        ));
        return out;
    }
    let probed = pool.probe_export_file();
    let format = probed.as_ref().ok().copied().flatten().or(*given);
    // Firebase's scrypt hashes verify only with the project's parameters: without them the
    // pool can log nobody in.
    if format == Some(crate::export::ExportFormat::Firebase) && hash_config.is_none() {
        out.push(Probe::fail(
            "hash_config",
            "a Firebase export without the project's password-hash parameters: no password can be verified",
            format!(
                "`pools configure {} --hash-config PATH` (the JSON the Firebase console shows under Password hash parameters)",
                pool.name
            ),
        ));
    }
    match probed {
        Ok(format) => out.push(Probe::pass(
            "file",
            match format {
                Some(f) => format!("{file} reads as {f}"),
                None => format!("{file} reads"),
            },
        )),
        Err(e) => out.push(Probe::fail(
            "file",
            e.to_string(),
            format!(
                "make {file} readable by this user, or point the pool at its export: `pools configure {} --file PATH`",
                pool.name
            ),
        )),
    }
    if let Some((given, detected)) = pool.export_format_mismatch() {
        out.push(Probe::fail(
            "format",
            format!("its format is {given}, but the file reads as {detected}"),
            format!("`pools configure {} --format {detected}`", pool.name),
        ));
    }
    match pool.check_hash_config() {
        Ok(None) => {
            if format == Some(crate::export::ExportFormat::Firebase)
                && let Some(path) = hash_config
            {
                out.extend(hash_config_fits(pool, file, path));
            }
        }
        Ok(Some(problem)) => out.push(Probe::fail(
            "hash_config",
            problem,
            "give the project's password-hash parameters: `--hash-config PATH` (the JSON the Firebase console shows)",
        )),
        Err(e) => out.push(Probe::fail(
            "hash_config",
            e.to_string(),
            "give the project's password-hash parameters: `--hash-config PATH` (the JSON the Firebase console shows)",
        )),
    }
    out
}

/// How many records `pools check` reads at most for a user with a password hash.
const HASH_PROBE_RECORDS: usize = 1_000;

/// Whether the Firebase hash parameters at `config` are the export's: the first user with a
/// password hash among the first [`HASH_PROBE_RECORDS`] is built with them. A signer key of
/// another project, or one cut short when copied, makes every hash the wrong length (the
/// stored hash is the signer key encrypted), so each login would read as a wrong password.
/// `None` when no such user was found or the file does not read (reported by the `file`
/// probe).
fn hash_config_fits(pool: &Pool, file: &str, config: &str) -> Option<crate::source::Probe> {
    use crate::export::RawCredential;
    use crate::source::Probe;
    use std::ops::ControlFlow;
    let config = crate::credential::load_hash_config(std::path::Path::new(config)).ok()?;
    let mut seen = 0;
    let mut verdict = None;
    let _ = crate::export::read(
        std::path::Path::new(file),
        Some(crate::export::ExportFormat::Firebase),
        |rec| {
            seen += 1;
            if let Ok(rec) = rec
                && !matches!(rec.credential, RawCredential::None(_))
            {
                verdict = Some(
                    match crate::credential::password_hash(&rec.credential, Some(&config)) {
                        Ok(_) => Probe::pass(
                            "hash_config",
                            format!("the hash of the user at {file}:{} reads with it", rec.line),
                        ),
                        Err(e) => Probe::fail(
                            "hash_config",
                            // The error's own `fix:` is the probe's fix, said once.
                            format!(
                                "the user at {file}:{}: {}",
                                rec.line,
                                e.to_string().split("; fix: ").next().unwrap_or_default()
                            ),
                            format!(
                                "give the hash parameters of the project this file was exported from, copied whole: `pools configure {} --hash-config PATH`",
                                pool.name
                            ),
                        ),
                    },
                );
                return ControlFlow::Break(());
            }
            if seen >= HASH_PROBE_RECORDS {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    verdict
}

/// `page` with its limit held to [`MAX_USERS_PAGE`].
fn capped(page: &crate::user::Page) -> crate::user::Page {
    crate::user::Page {
        after: page.after.clone(),
        limit: Some(page.limit.map_or(MAX_USERS_PAGE, |n| n.min(MAX_USERS_PAGE))),
    }
}

/// The user whose identifier or alias is `identifier`. Errors: `NotFound`.
fn find(store: &dyn Store, identifier: &str) -> Result<User> {
    store
        .user_by_key(&crate::identifier::key(identifier))?
        .ok_or_else(|| Error::NotFound {
            what: format!("user '{}'", identifier.trim()),
            hint: Some(
                "run `pools users list`; users from pools appear after their first login".into(),
            ),
        })
}

#[async_trait::async_trait]
impl Environment for Local {
    async fn pools(&self) -> Result<Vec<StoredPool>> {
        self.store().pools()
    }

    async fn pool(&self, name: &str) -> Result<(StoredPool, PoolUsers)> {
        let store = self.store();
        let pool = store.pool(name)?;
        let users = store.pool_user_counts(name)?;
        Ok((pool, users))
    }

    async fn create_pool(&self, req: CreatePool) -> Result<Created> {
        let CreatePool {
            mut spec,
            secrets,
            position,
        } = req;
        let env_id = self.store().environment_id()?;
        let pending = Pending::name_in(&mut spec, secrets, &env_id)?;
        let pool = Pool::from_spec(&spec)?;
        // Also checked by the store's write; here before any secret is kept.
        pool.check_for_write()?;
        self.check_hash_config(&pool)?;
        secrets::refuse_dangling(&self.creds, &pool, None, &pending)?;
        let saved = pending.save(&self.creds)?;
        self.warn_secrets(&pool);
        let created = match self.store().create_pool(&pool, position) {
            Ok(c) => c,
            Err(e) => {
                pending.discard(&self.creds);
                return Err(e.context(format!("cannot create pool '{}'", pool.name)));
            }
        };
        self.after_change(&env_id, &[&created.pool], &[])?;
        let pools = self.store().pools()?;
        for n in shared_domain_warnings(pools.iter().map(|p| &p.pool), &[&created.pool.name]) {
            self.say(n);
        }
        let (warnings, detected_format) = export_file_warnings(&pool);
        for n in warnings {
            self.say(n);
        }
        Ok(Created {
            pool: created,
            saved,
            detected_format,
        })
    }

    async fn configure_pool(&self, req: ConfigurePool) -> Result<Configured> {
        let ConfigurePool {
            name,
            mut patch,
            secrets,
            if_version,
            force,
        } = req;
        let (current, env_id) = {
            let store = self.store();
            (store.pool(&name)?, store.environment_id()?)
        };
        let expected = if_version.unwrap_or(current.version);
        let pending = Pending::name_in(&mut patch, secrets, &env_id)?;
        let pool = current.pool.patched(&patch)?;
        pool.check_for_write()?;
        self.check_hash_config(&pool)?;
        secrets::refuse_dangling(&self.creds, &pool, Some(&current.pool), &pending)?;
        if pool == current.pool && if_version.is_none_or(|v| v == current.version) {
            // No `-` secret: that would have changed the pool.
            self.warn_secrets(&pool);
            return Ok(Configured {
                before: current.clone(),
                after: current,
                changed: false,
                saved: Vec::new(),
            });
        }
        let saved = pending.save(&self.creds)?;
        self.warn_secrets(&pool);
        let updated = match self.store().update_pool(&pool, expected, force) {
            Ok(u) => u,
            Err(e) => {
                pending.discard(&self.creds);
                return Err(e.context(format!("cannot configure pool '{name}'")));
            }
        };
        self.after_change(&env_id, &[&updated.pool], &[&current.pool])?;
        let pools = self.store().pools()?;
        for n in shared_domain_warnings(pools.iter().map(|p| &p.pool), &[&updated.pool.name]) {
            self.say(n);
        }
        for n in export_file_warnings(&pool).0 {
            self.say(n);
        }
        Ok(Configured {
            before: current,
            after: updated,
            changed: true,
            saved,
        })
    }

    async fn delete_pool(
        &self,
        name: &str,
        if_version: Option<u64>,
        force: bool,
    ) -> Result<DeleteOutcome> {
        let (pool, outcome, env_id) = {
            let mut store = self.store();
            let pool = store.pool(name)?;
            let outcome = store.delete_pool(name, if_version.unwrap_or(pool.version), force)?;
            (pool, outcome, store.environment_id()?)
        };
        self.after_change(&env_id, &[], &[&pool.pool])?;
        Ok(outcome)
    }

    async fn reorder(&self, order: &[PoolName], expected: &[PoolName]) -> Result<Vec<StoredPool>> {
        self.store().set_order(order, expected)
    }

    async fn plan_apply(&self, document: &ApplyDocument, prune: bool) -> Result<ApplyPlan> {
        let parsed = config::parse(&document.text, &document.origin, &document.base)?;
        // Where the pools run: their secret references and hash configs resolve here (on a
        // server, its machine's), before anything is planned.
        for e in &parsed.entries {
            for n in secrets::warnings(&e.pool) {
                self.say(n);
            }
            match e.pool.check_hash_config() {
                Ok(Some(w)) => self.say(Notice::Warning(w)),
                Ok(None) => {}
                Err(err) => {
                    return Err(err.context(format!(
                        "{}: pool '{}'",
                        e.at.at(Some("hash_config")),
                        e.pool.name
                    )));
                }
            }
        }
        let store = self.store();
        let env_id = store.environment_id()?;
        let order_read = parsed.order_version_for(&env_id);
        let (desired, foreign) = parsed.entries_for(&env_id);
        let current = store.pools()?;
        let mut plan = config::plan(&current, &desired, prune)?;
        plan.check_order_from(order_read);
        // A reference to a credential gone from the credential store, before anything is
        // written (a dry run says so too).
        {
            let before: std::collections::HashMap<&PoolName, &Pool> =
                current.iter().map(|c| (&c.pool.name, &c.pool)).collect();
            let none = Pending::none();
            for change in &plan.changes {
                if let Change::Create { pool } | Change::Update { pool, .. } = change {
                    secrets::refuse_dangling(
                        &self.creds,
                        pool,
                        before.get(&pool.name).copied(),
                        &none,
                    )
                    .map_err(|e| {
                        match desired.iter().find(|d| d.pool.name == pool.name) {
                            Some(d) => {
                                let at = match &e {
                                    Error::Invalid { field, .. } => d.at.at(Some(field)),
                                    _ => d.at.at(None),
                                };
                                e.context(at)
                            }
                            None => e,
                        }
                    })?;
                }
            }
        }
        // Also checked by the store inside its transaction; here so a dry run says so too.
        if let Some(read) = plan.order_read {
            let now = store.order_version()?;
            if now != read {
                return Err(config::stale_order(&plan, read, now));
            }
        }
        // The pools as the plan leaves them, in order: the document's, then those it keeps;
        // looked up, not searched, as a document may hold 150,000 pools (issue 8).
        let mut by_name: std::collections::HashMap<&PoolName, &Pool> =
            current.iter().map(|c| (&c.pool.name, &c.pool)).collect();
        by_name.extend(desired.iter().map(|e| (&e.pool.name, &e.pool)));
        let after: Vec<&Pool> = plan
            .order_after
            .iter()
            .filter_map(|name| by_name.get(name).copied())
            .collect();
        let named: Vec<&PoolName> = desired.iter().map(|e| &e.pool.name).collect();
        let mut warnings: Vec<Notice> = desired
            .iter()
            .flat_map(|e| export_file_warnings(&e.pool).0)
            .collect();
        warnings.extend(shared_domain_warnings(after, &named));
        Ok(ApplyPlan {
            plan,
            foreign,
            warnings,
        })
    }

    async fn apply(&self, plan: &ApplyPlan, force: bool) -> Result<Vec<DeleteOutcome>> {
        let (before, deleted, env_id) = {
            let mut store = self.store();
            let before = store.pools()?;
            let deleted = store.apply(&plan.plan, force)?;
            (before, deleted, store.environment_id()?)
        };
        let now = self.store().pools()?;
        let notify = |n| self.say(n);
        secrets::share_adopted(&self.creds, &env_id, now.iter().map(|p| &p.pool), &notify);
        let before: std::collections::HashMap<_, _> =
            before.iter().map(|p| (&p.pool.name, p)).collect();
        for change in &plan.plan.changes {
            let name = match change {
                Change::Update { pool, .. } => &pool.name,
                Change::Delete { name, .. } => name,
                Change::Create { .. } => continue,
            };
            if let Some(old) = before.get(name) {
                secrets::forget_replaced(&self.creds, &env_id, &old.pool, &now, &notify);
            }
        }
        Ok(deleted)
    }

    async fn export_pools(&self) -> Result<PoolsDocument> {
        let store = self.store();
        let order_version = store.order_version()?;
        Ok(PoolsDocument {
            pools: store.pools()?,
            environment_id: store.environment_id()?,
            order_version,
        })
    }

    async fn user(&self, identifier: &str) -> Result<UserView> {
        let store = self.store();
        let mut user = find(store.as_ref(), identifier)?;
        let pools = store.pools()?;
        let pool = user
            .pool
            .as_deref()
            .and_then(|n| pools.iter().find(|p| p.pool.name.as_str() == n));
        let env = crate::methods::settings(store.as_ref())?;
        let sign_in_methods = crate::methods::for_user(&env, user.origin, pool.map(|p| &p.pool));
        // The scheme only: the hash itself never leaves the environment (R11).
        let password_scheme = user.password_hash.take().map(|h| {
            h.expose()
                .parse::<crate::hash::PasswordHash>()
                .map(|p| p.scheme())
                .unwrap_or("unreadable")
        });
        let aliases = store.aliases(&user.id)?;
        Ok(UserView {
            user,
            aliases,
            password_scheme: password_scheme.map(str::to_owned),
            sign_in_methods,
        })
    }

    async fn create_user(&self, req: CreateUser) -> Result<User> {
        let CreateUser {
            identifier,
            password,
            tenant,
        } = req;
        if crate::identifier::key(&identifier).is_empty() {
            return Err(Error::invalid("identifier", "the identifier is empty"));
        }
        let (tenant_id, how, new_tenant) = match tenant
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
        {
            Some(t) => (t, "fixed (--tenant)".to_owned(), false),
            None => (
                crate::tenant::new_tenant_id(),
                "auto (new tenant)".to_owned(),
                true,
            ),
        };
        let hash = self
            .cpu_bound(move || {
                crate::hash::hash_password(password.expose())
                    .map_err(|e| Error::invalid("password", e))
            })
            .await?;
        let (mut user, created) = self.store().insert_user(&NewUser {
            identifier: identifier.trim().to_owned(),
            aliases: Vec::new(),
            origin: Origin::Native,
            pool: None,
            external_id: None,
            tenant_id: Some(tenant_id),
            tenant_resolution: Some(how),
            new_tenant,
            profile: Map::new(),
            metadata: Map::new(),
            enabled: true,
            password_hash: Some(Secret::new(hash)),
            logged_in: false,
        })?;
        if !created {
            // The name typed may be the other user's alias, not its identifier: say which.
            let typed = identifier.trim();
            let message = if crate::identifier::key(typed) == user.key {
                format!(
                    "a user with identifier '{}' exists already ({}, R6)",
                    user.identifier,
                    user.origin.as_str()
                )
            } else {
                let pool = user
                    .pool
                    .as_deref()
                    .map(|p| format!(", pool {p}"))
                    .unwrap_or_default();
                format!(
                    "'{typed}' is an alias of user '{}' ({}{pool}), so it cannot be another user's identifier (R6)",
                    user.identifier,
                    user.origin.as_str()
                )
            };
            return Err(Error::Conflict {
                message,
                hint: Some(
                    "identifiers compare without case and Unicode form; use `pools users show`"
                        .into(),
                ),
            });
        }
        user.password_hash = None;
        Ok(user)
    }

    async fn set_user_metadata(
        &self,
        identifier: &str,
        changes: &Map<String, Value>,
    ) -> Result<User> {
        let mut store = self.store();
        let user = find(store.as_ref(), identifier)?;
        if user.origin == Origin::Shadow
            && let Some(pool) = &user.pool
            && store.pool(pool).is_ok_and(|p| p.pool.mode == Mode::Sync)
        {
            return Err(Error::invalid(
                "R7",
                format!(
                    "user '{}' is a read-only copy kept in sync by pool '{pool}'",
                    user.identifier
                ),
            )
            .with_hint(format!(
                "change it at the source, or switch the pool: pools configure {pool} --mode passthrough"
            )));
        }
        if let Some(why) = user.unreadable.iter().find(|f| f.starts_with("metadata")) {
            // Merging into what cannot be read would silently drop it.
            return Err(Error::invalid(
                "metadata",
                format!(
                    "the stored metadata of '{}' cannot be read ({why}); it is kept as it is",
                    user.identifier
                ),
            )
            .with_hint("an older version stored it beyond today's limits: see `pools doctor`"));
        }
        let metadata = crate::user::sync_profile(&user.metadata, changes);
        let mut updated = store.set_user_metadata(&user.id, user.version, &metadata)?;
        updated.password_hash = None;
        Ok(updated)
    }

    async fn audit(&self, filter: &Filter) -> Result<Vec<Entry>> {
        let store = self.store();
        let mut page = Vec::new();
        store.audit_log(filter, &mut |e| {
            page.push(e);
            Ok(())
        })?;
        // A typo is not an empty log: a pool that neither exists nor ever had an entry
        // (a deleted pool keeps its entries) is not found.
        if let Some(name) = &filter.pool
            && page.is_empty()
            && filter.after.is_none()
            && let Err(Error::NotFound { .. }) = store.pool(name)
        {
            let unfiltered = Filter {
                pool: Some(name.clone()),
                ..Filter::default()
            };
            let mut any = false;
            store.audit_log(&unfiltered, &mut |_| {
                any = true;
                Ok(())
            })?;
            if !any {
                return Err(Error::NotFound {
                    what: format!("pool '{name}'"),
                    hint: Some(
                        "no pool of this name exists, nor did one: run `pools list` to see the pools"
                            .into(),
                    ),
                });
            }
        }
        Ok(page)
    }

    async fn users(&self, query: &UsersQuery) -> Result<UsersPage<User>> {
        let store = self.store();
        if let Some(p) = &query.filter.pool {
            crate::store::check_pool_filter(store.as_ref(), p)?;
        }
        let mut users = Vec::new();
        let next = store.users_page(&query.filter, &capped(&query.page), &mut |mut u| {
            // Never handed out (R11).
            u.password_hash = None;
            users.push(u);
            Ok(())
        })?;
        Ok(UsersPage { users, next })
    }

    async fn export_users(
        &self,
        query: &UsersQuery,
        include_hashes: bool,
    ) -> Result<UsersPage<(User, Vec<String>)>> {
        let store = self.store();
        if let Some(p) = &query.filter.pool {
            crate::store::check_pool_filter(store.as_ref(), p)?;
        }
        let mut users = Vec::new();
        let next = store.users_page_with_aliases(
            &query.filter,
            &capped(&query.page),
            &mut |mut u, aliases| {
                if !include_hashes {
                    u.password_hash = None;
                }
                users.push((u, aliases));
                Ok(())
            },
        )?;
        Ok(UsersPage { users, next })
    }

    async fn methods(&self) -> Result<crate::methods::Settings> {
        crate::methods::settings(self.store().as_ref())
    }

    async fn set_method(
        &self,
        method: crate::methods::Method,
        enabled: bool,
    ) -> Result<MethodsChanged> {
        let mut store = self.store();
        crate::methods::set(store.as_mut(), method, enabled)?;
        // Counted by the store, never listed: a store may hold millions.
        let external_users_excluded = if enabled && method.needs_local_user() {
            store.user_status()?.iter().map(|r| r.shadow).sum()
        } else {
            0
        };
        Ok(MethodsChanged {
            settings: crate::methods::settings(store.as_ref())?,
            external_users_excluded,
        })
    }

    async fn status(&self) -> Result<Status> {
        let store = self.store();
        Ok(Status {
            pools: store.pools()?,
            users: store.user_status()?,
        })
    }

    async fn check(&self, only: &[String]) -> Result<Vec<PoolCheck>> {
        let pools = self.store().pools()?;
        for name in only {
            if !pools.iter().any(|p| p.pool.name.as_str() == name) {
                return Err(Error::NotFound {
                    what: format!("pool '{name}'"),
                    hint: Some("run `pools list` to see the pools".into()),
                });
            }
        }
        let mut out = Vec::new();
        for p in pools
            .iter()
            .filter(|p| only.is_empty() || only.iter().any(|n| n == p.pool.name.as_str()))
        {
            let pool = &p.pool;
            let kind = pool.settings.kind();
            let (probes, exchanges) = if kind == crate::pool::SourceKind::Export {
                (export_probes(pool), Vec::new())
            } else {
                let wait = std::time::Duration::from_millis(pool.timeout_ms);
                let log = crate::source::ExchangeLog::default();
                let src = self.sources.source(pool);
                let probes = tokio::time::timeout(
                    wait,
                    src.check(std::time::Instant::now() + wait, log.clone()),
                )
                .await
                .unwrap_or_else(|_| {
                    vec![crate::source::Probe::fail(
                        "reachable",
                        format!("no answer within its timeout_ms of {} ms", wait.as_millis()),
                        "check that the service runs and is reachable from here, or raise --timeout-ms",
                    )]
                });
                (probes, log.take())
            };
            out.push(PoolCheck {
                pool: pool.name.to_string(),
                source: kind.to_string(),
                probes,
                exchanges,
            });
        }
        Ok(out)
    }

    async fn doctor(&self, only: &[String]) -> Result<crate::doctor::Scan> {
        let store = self.store();
        let mut pools = store.pools()?;
        if !only.is_empty() {
            // As `users list --pool`: a deleted pool's name finds the users it left.
            for name in only {
                crate::store::check_pool_filter(store.as_ref(), name)?;
            }
            pools.retain(|p| only.iter().any(|n| n == p.pool.name.as_str()));
            if let Some(p) = pools
                .iter()
                .find(|p| p.pool.settings.kind() != crate::pool::SourceKind::Export)
            {
                return Err(Error::invalid(
                    "--pool",
                    format!(
                        "pool '{}' has source {}: doctor scans export files",
                        p.pool.name,
                        p.pool.settings.kind()
                    ),
                )
                .with_hint("name export pools, or none to scan them all"));
            }
        }
        let gone = |p: &Pool| {
            secrets::dangling(&self.creds, p)
                .into_iter()
                .map(|(field, name, why)| (field, name.to_owned(), why))
                .collect()
        };
        crate::doctor::scan(store.as_ref(), &pools, only, &gone)
    }

    async fn login(&self, req: LoginRequest) -> Result<crate::engine::Trace> {
        let LoginRequest {
            identifier,
            password,
            claims,
            limits,
            commit,
        } = req;
        let sources = Arc::clone(&self.sources);
        self.off_async(move |store| {
            let login = crate::engine::Login {
                identifier: &identifier,
                password: password.as_ref(),
                claims: claims.as_ref(),
            };
            let mut trace = crate::engine::attempt_with(store, sources.as_ref(), &login, limits)?;
            if commit && trace.has_writes() {
                crate::engine::commit(store, &mut trace)
                    .map_err(|e| e.context("committing the login"))?;
            }
            Ok(trace)
        })
        .await
    }

    async fn begin_import(
        &self,
        pool: &str,
        dry_run: bool,
    ) -> Result<(StoredPool, Option<crate::store::ImportLock>)> {
        let store = self.store();
        let found = store.pool(pool)?;
        let lock = if dry_run {
            None
        } else {
            Some(store.import_lock(pool)?)
        };
        Ok((found, lock))
    }

    async fn import(
        &self,
        req: ImportRequest,
        events: &mut dyn ImportEvents,
    ) -> Result<std::result::Result<crate::import::Summary, super::import::Stopped>> {
        let mut store = self.store();
        let pool = store.pool(&req.pool)?;
        let (input, format) = match req.input {
            Some(mut input) => {
                let format = super::import::format_of(&pool.pool, &mut input, req.format)?;
                (input, format)
            }
            None => super::import::input(&pool.pool, None, req.format)?,
        };
        let opts = super::import::Options {
            pool: &pool.pool,
            input,
            format,
            hash_config: req.hash_config.as_deref(),
            on_conflict: req.on_conflict,
            batch: req.batch,
            dry_run: req.dry_run,
            cancel: req.cancel.as_deref(),
            lock: req.lock,
            import_id: req.import_id,
            file_id: req.file_id,
        };
        let events = std::sync::Mutex::new(events);
        let events = || events.lock().unwrap_or_else(|p| p.into_inner());
        Ok(super::import::run(
            store.as_mut(),
            opts,
            &mut |p| events().progress(p),
            &mut |r| events().report(r),
        ))
    }

    async fn restore(
        &self,
        backup: crate::export::Input,
        batch: usize,
        refused: &mut (dyn FnMut(crate::backup::restore::Report) + Send),
    ) -> Result<std::result::Result<crate::backup::restore::Summary, super::restore::Stopped>> {
        let rows = crate::backup::open(backup)?;
        Ok(super::restore::run(
            self.store().as_mut(),
            rows,
            batch,
            refused,
        ))
    }
}
