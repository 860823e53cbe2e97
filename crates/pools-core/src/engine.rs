//! The login engine (R3–R9, R13–R17): local store first, then the owner of the identifier,
//! else the enabled pools in order. Pure decision-making over a [`Store`] and the sources:
//! [`attempt`] reads only and returns a [`Trace`] with the writes it would make;
//! [`commit`] makes them. `simulate-login` calls the first (and the second with `--commit`),
//! exactly as a real login does (R14).

use crate::error::{Error, Result};
use crate::hash::{self, PasswordHash};
use crate::identifier;
use crate::methods::{self, MethodReport};
use crate::pool::{Mode, PoolType, StoredPool};
use crate::secret::Secret;
use crate::source::{self, Answer, Holder, SourceUser};
use crate::store::Store;
use crate::tenant::{self, Resolution};
use crate::user::{Identity, LoginUpdate, NewUser, Origin, User, sync_profile};
use serde::Serialize;
use serde_json::{Map, Value};
use std::time::{Duration, Instant};

/// Limits of one login (R5).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole login; pools not yet asked when it runs out fail the login closed.
    pub budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            budget: Duration::from_secs(15),
        }
    }
}

/// A login to resolve.
pub struct Login<'a> {
    pub identifier: &'a str,
    pub password: Option<&'a Secret>,
    /// Claims an IdP would return, for idp pools (offline federation).
    pub claims: Option<&'a Map<String, Value>>,
}

crate::code::codes! {
    /// Why a login was refused. Codes are stable: scripts match on them (README: Rehearsing
    /// a migration lists them).
    pub enum Reason {
        UnknownUser = "unknown_user",
        WrongPassword = "wrong_password",
        UserDisabled = "user_disabled",
        NoCredential = "no_credential",
        TenantAmbiguous = "tenant_ambiguous",
        TenantUnresolved = "tenant_unresolved",
        SourceUnavailable = "source_unavailable",
        /// The name resolves to a local user who is not the person the pool authenticated
        /// (another pool's or a native user, or another source user ID): two people, one
        /// identifier; or the name typed is only a local user's alias and a pool's source
        /// gives it to another person. Nothing is written (R6, R17).
        IdentifierCollision = "identifier_collision",
        /// The source asks for another step before it signs the user in (a new password,
        /// MFA: the challenge is named): a rehearsal cannot answer it, and no user is
        /// migrated by a half-finished sign-in.
        ChallengeRequired = "challenge_required",
        /// The user has not confirmed their account at the source: not migrated.
        UserNotConfirmed = "user_not_confirmed",
        /// The source requires a password reset before the user signs in: not migrated.
        PasswordResetRequired = "password_reset_required",
    }
}

/// The outcome of a login.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "outcome", content = "reason", rename_all = "snake_case")]
pub enum Outcome {
    Authenticated,
    Refused(Reason),
}

/// One thing the engine asked, and the answer (R14).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Step {
    /// `local store` or `pool <name>`.
    pub asked: String,
    /// The pool's source kind, for pool steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `authenticated`, `unknown_identifier`, `wrong_password`, `user_disabled`,
    /// `no_credential`, `cannot_tell`, `not_asked`, `unavailable`, `skipped`; for the local
    /// store also `found`, `renamed` (the source renamed the user), `alias_skipped` (a name
    /// another user holds) and `collision` (R6); for a pool also `collision` (it gives the
    /// name typed to another person than the one answered for, R6); for `hash`, `kept` (a verified hash not
    /// upgraded, as it did not compare the whole password typed, R13).
    pub answer: String,
    pub detail: String,
    /// Wall time of this step in milliseconds.
    pub elapsed_ms: f64,
    /// The requests a live source made for this step, in order (HTTP status, the
    /// provider's error code, latency); none for local steps and file sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<source::Exchange>,
}

/// What a successful login does to the local store.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = LoginAction))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing to write besides the login time.
    None,
    /// JIT migration: a new migrated user (R3, R13).
    Migrate,
    /// A new shadow copy (passthrough, sync, idp: R7).
    CreateShadow,
    /// The shadow copy's attributes refreshed from the source (sync: R16).
    RefreshShadow,
    /// The stored hash replaced by one of the store's own algorithm (R13).
    UpgradeHash,
    /// A user imported without a hash takes the hash its pool verified, as it is: that
    /// hash did not compare the whole password typed (R13, [`PasswordHash::lossy_for`]).
    KeepSourceHash,
}

/// The user a login resolved to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ResolvedUser {
    /// The local user's ID; absent for a user not created yet (no `--commit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub identifier: String,
    pub origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// How the tenant was resolved (R4); for an existing user, how it was when created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_resolution: Option<String>,
    pub action: Action,
    /// E.g. `firebase-scrypt -> argon2id` when the login upgrades the hash (R13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_upgrade: Option<String>,
    /// The user's identifier before this login, when the source renamed the user (R17).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// The writes a login makes, carried from [`attempt`] to [`commit`].
#[derive(Debug, Clone)]
enum Write {
    Create(NewUser),
    Update {
        id: String,
        version: u64,
        update: LoginUpdate,
    },
}

/// Everything a login did and decided (R14).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Trace {
    pub identifier: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub steps: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<ResolvedUser>,
    /// Sign-in methods left to the user (R8, R9).
    pub sign_in_methods: Vec<MethodReport>,
    /// Whether the writes were made.
    pub committed: bool,
    #[serde(skip)]
    writes: Vec<Write>,
    /// The human explanation of a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Trace {
    /// True when the login would write something (nothing is written before [`commit`]).
    pub fn has_writes(&self) -> bool {
        !self.writes.is_empty()
    }
}

struct Run<'a> {
    store: &'a dyn Store,
    sources: &'a dyn source::Sources,
    login: &'a Login<'a>,
    steps: Vec<Step>,
    started: Instant,
    limits: Limits,
    /// What the last source asked sent and got back, for its step.
    exchanges: Vec<source::Exchange>,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The hash a login stores for the password `p` that `verified` accepted (R13): the store's
/// own algorithm, unless `verified` did not compare all of `p` (bcrypt's 72 bytes, ...). Then
/// `p` may be the user's password plus characters the source ignored, and a hash of it would
/// refuse the real password from now on: `verified` is kept as it is, so every password the
/// source accepted keeps working exactly as before, and a `hash` step says why. Only a later
/// login whose password the scheme compares whole upgrades it (for bcrypt, under 72 bytes:
/// never, for a user whose real password is longer).
enum Rehash {
    Upgraded(Secret),
    Kept(Secret),
}

fn rehash(run: &mut Run<'_>, p: &str, verified: Option<&PasswordHash>) -> Result<Rehash> {
    if let Some(h) = verified
        && let Some(why) = h.lossy_for(p)
    {
        run.step(
            "hash".into(),
            None,
            "kept",
            format!(
                "{why}: the {} hash is kept as it is, so every password the source accepted still works, rather than upgraded to argon2id with this one (R13); only a login with a password it compares whole upgrades it",
                h.scheme()
            ),
            Instant::now(),
        );
        return Ok(Rehash::Kept(Secret::new(h.to_string())));
    }
    let new = hash::hash_password(p).map_err(|e| Error::invalid("password", e))?;
    Ok(Rehash::Upgraded(Secret::new(new)))
}

impl Run<'_> {
    fn step(
        &mut self,
        asked: String,
        source: Option<String>,
        answer: &str,
        detail: String,
        t: Instant,
    ) {
        self.steps.push(Step {
            asked,
            source,
            answer: answer.into(),
            detail,
            elapsed_ms: ms(t.elapsed()),
            exchanges: std::mem::take(&mut self.exchanges),
        });
    }

    /// The password typed; an empty one never authenticates, whatever a source's hash says.
    fn password(&self) -> Option<&str> {
        self.login
            .password
            .map(Secret::expose)
            .filter(|p| !p.is_empty())
    }

    fn finish(
        self,
        outcome: Outcome,
        user: Option<ResolvedUser>,
        writes: Vec<Write>,
        message: Option<String>,
        methods: Vec<MethodReport>,
    ) -> Trace {
        Trace {
            identifier: self.login.identifier.trim().to_owned(),
            outcome,
            steps: self.steps,
            user,
            sign_in_methods: methods,
            committed: false,
            writes,
            message,
        }
    }

    fn refuse(self, reason: Reason, message: String) -> Trace {
        self.finish(
            Outcome::Refused(reason),
            None,
            Vec::new(),
            Some(message),
            Vec::new(),
        )
    }
}

/// Resolves a login without writing anything (R14).
///
/// Errors: only store failures; every refusal is an [`Outcome::Refused`] in the trace.
pub fn attempt(store: &dyn Store, login: &Login<'_>, limits: Limits) -> Result<Trace> {
    attempt_with(store, &source::OfflineSources, login, limits)
}

/// [`attempt`], asking each pool's source as `sources` makes it: [`source::OfflineSources`]
/// offline, a live factory (the `pools-live` crate) where the network is reached.
///
/// Errors: only store failures; every refusal is an [`Outcome::Refused`] in the trace.
pub fn attempt_with(
    store: &dyn Store,
    sources: &dyn source::Sources,
    login: &Login<'_>,
    limits: Limits,
) -> Result<Trace> {
    let mut run = Run {
        store,
        sources,
        login,
        steps: Vec::new(),
        started: Instant::now(),
        limits,
        exchanges: Vec::new(),
    };
    let key = identifier::key(login.identifier);
    if key.is_empty() {
        return Err(Error::invalid("identifier", "the identifier is empty")
            .with_hint("give the identifier the user signs in with (an email or a user name)"));
    }
    identifier::check(login.identifier).map_err(|r| {
        Error::invalid("identifier", r.message)
            .with_hint(crate::limits::name_hint("identifier", login.identifier))
    })?;
    let pools = store.pools()?;
    let env_methods = methods::settings(store)?;

    // (1) The local store: native and migrated users answer here (R3, R5).
    let t = Instant::now();
    let local = store.user_by_key(&key)?;
    match &local {
        Some(u) if u.origin != Origin::Shadow => {
            run.step(
                "local store".into(),
                None,
                "found",
                format!("{} user", u.origin.as_str()),
                t,
            );
            if let Some((pool, holder)) = disputed_alias(&mut run, u, &pools, &key) {
                return Ok(alias_collision(run, u, &pool, &holder));
            }
            return local_login(run, u, &pools, &env_methods, None);
        }
        Some(u) => {
            let owner = u.pool.clone().unwrap_or_default();
            run.step(
                "local store".into(),
                None,
                "found",
                format!("shadow copy owned by pool {owner}: asking the owner only (R5)"),
                t,
            );
            if let Some((pool, holder)) = disputed_alias(&mut run, u, &pools, &key) {
                return Ok(alias_collision(run, u, &pool, &holder));
            }
            let Some(pool) = pools.iter().find(|p| p.pool.name.as_str() == owner) else {
                let msg = format!("the user's owner pool '{owner}' no longer exists");
                return Ok(run.refuse(Reason::SourceUnavailable, msg));
            };
            if !pool.pool.enabled {
                let msg = format!("the user's owner pool '{owner}' is disabled");
                return Ok(run.refuse(Reason::SourceUnavailable, msg));
            }
            return ask_pool(run, pool, Some(u), &env_methods);
        }
        None => run.step(
            "local store".into(),
            None,
            "unknown_identifier",
            "no local user".into(),
            t,
        ),
    }

    // (2) The enabled pools, in order (R5).
    // Why each idp pool did not take the claims given (another issuer's, another client's, no
    // `iss`...): the refusal names it, as the claims' author needs to know which check failed.
    let mut claim_notes: Vec<String> = Vec::new();
    for pool in &pools {
        let name = format!("pool {}", pool.pool.name);
        let kind = Some(pool.pool.settings.kind().to_string());
        if !pool.pool.enabled {
            run.step(name, kind, "skipped", "disabled".into(), Instant::now());
            continue;
        }
        if !pool.pool.domains.is_empty()
            && !pool
                .pool
                .domains
                .iter()
                .any(|d| d.matches(login.identifier))
        {
            let domains: Vec<String> = pool.pool.domains.iter().map(|d| d.to_string()).collect();
            run.step(
                name,
                kind,
                "skipped",
                format!("domain routing: only {}", domains.join(", ")),
                Instant::now(),
            );
            continue;
        }
        // A federated login (claims, no password) is for the IdP that issued them: a
        // password source cannot judge it, and must not own it (R5) by knowing the email.
        if login.claims.is_some()
            && run.password().is_none()
            && pool.pool.pool_type() != PoolType::Idp
        {
            run.step(
                name,
                kind,
                "not_asked",
                "no password: a federated login (claims) is answered by idp pools only".into(),
                Instant::now(),
            );
            continue;
        }
        if let Some(msg) = out_of_budget(&run, pool) {
            return Ok(run.refuse(Reason::SourceUnavailable, msg));
        }
        let t = Instant::now();
        let answer = ask_in_time(&mut run, pool);
        match answer {
            Answer::Unknown => run.step(name, kind, "unknown_identifier", "next pool".into(), t),
            Answer::CannotTell => run.step(
                name,
                kind,
                "cannot_tell",
                "the source cannot tell unknown from wrong password: next pool (R5)".into(),
                t,
            ),
            Answer::NotAsked(why) => {
                if login.claims.is_some() && pool.pool.pool_type() == PoolType::Idp {
                    claim_notes.push(format!("{name}: {why}"));
                }
                run.step(name, kind, "not_asked", why, t)
            }
            other => return settle(run, pool, None, other, t, &env_methods),
        }
    }
    let mut msg = format!(
        "no local user and no pool recognises '{}'",
        login.identifier.trim()
    );
    if !claim_notes.is_empty() {
        msg.push_str(&format!(
            "; the claims were not taken: {}",
            claim_notes.join("; ")
        ));
    }
    Ok(run.refuse(Reason::UnknownUser, msg))
}

/// A native or migrated user: the local hash decides (R3); an old hash is upgraded (R13).
/// `identity`: the names its pool now gives the user, applied with the login.
fn local_login(
    run: Run<'_>,
    u: &User,
    pools: &[StoredPool],
    env: &methods::Settings,
    identity: Option<Identity>,
) -> Result<Trace> {
    let t = Instant::now();
    let mut run = run;
    if !u.enabled {
        run.step(
            "local store".into(),
            None,
            "user_disabled",
            "the local user is disabled".into(),
            t,
        );
        return Ok(run.refuse(
            Reason::UserDisabled,
            format!("user '{}' is disabled", u.identifier),
        ));
    }
    let Some(stored) = &u.password_hash else {
        // Imported without a hash (the export had none): the pool it came from checks the
        // password once, then the local store keeps it (R13, R17).
        if u.origin == Origin::Migrated
            && let Some(pool) = u
                .pool
                .as_deref()
                .and_then(|n| pools.iter().find(|p| p.pool.name.as_str() == n))
        {
            let detail = format!(
                "imported without a hash: asking its pool {} once (R17)",
                pool.pool.name
            );
            run.step("local store".into(), None, "no_credential", detail, t);
            return ask_pool(run, pool, Some(u), env);
        }
        run.step(
            "local store".into(),
            None,
            "no_credential",
            "the local user has no password".into(),
            t,
        );
        return Ok(run.refuse(
            Reason::NoCredential,
            format!("user '{}' has no password", u.identifier),
        ));
    };
    let parsed = match PasswordHash::parse(stored.expose()) {
        Ok(h) => h,
        Err(e) => {
            run.step(
                "local store".into(),
                None,
                "no_credential",
                format!("stored hash unusable: {e}"),
                t,
            );
            return Ok(run.refuse(
                Reason::NoCredential,
                format!("the stored hash of '{}' cannot be used: {e}", u.identifier),
            ));
        }
    };
    let ok = match run.password() {
        Some(p) => parsed.verify(p).unwrap_or(false),
        None => false,
    };
    if !ok {
        run.step(
            "local store".into(),
            None,
            "wrong_password",
            format!("{} hash", parsed.scheme()),
            t,
        );
        return Ok(run.refuse(
            Reason::WrongPassword,
            format!("wrong password for '{}'", u.identifier),
        ));
    }
    let renamed_from = renamed_from(u, identity.as_ref());
    let mut update = LoginUpdate {
        touch_login: true,
        identity,
        ..LoginUpdate::default()
    };
    let mut hash_upgrade = None;
    run.step(
        "local store".into(),
        None,
        "authenticated",
        format!("{} hash verified", parsed.scheme()),
        t,
    );
    if !parsed.is_current()
        && let Some(p) = run.login.password.map(Secret::expose)
        && let Rehash::Upgraded(new) = rehash(&mut run, p, Some(&parsed))?
    {
        update.password_hash = Some(new);
        hash_upgrade = Some(format!("{} -> argon2id", parsed.scheme()));
    }
    let pool = u
        .pool
        .as_deref()
        .and_then(|n| pools.iter().find(|p| p.pool.name.as_str() == n));
    let methods = methods::for_user(env, u.origin, pool.map(|p| &p.pool));
    let user = ResolvedUser {
        id: Some(u.id.clone()),
        identifier: shown_identifier(u, &update),
        origin: u.origin,
        pool: u.pool.clone(),
        tenant_id: u.tenant_id.clone(),
        tenant_resolution: u.tenant_resolution.clone(),
        action: if hash_upgrade.is_some() {
            Action::UpgradeHash
        } else {
            Action::None
        },
        hash_upgrade,
        renamed_from,
    };
    let writes = vec![Write::Update {
        id: u.id.clone(),
        version: u.version,
        update,
    }];
    Ok(run.finish(Outcome::Authenticated, Some(user), writes, None, methods))
}

/// Asks the owner pool of a shadow user (R5: no other pool is asked).
fn ask_pool(
    mut run: Run<'_>,
    pool: &StoredPool,
    shadow: Option<&User>,
    env: &methods::Settings,
) -> Result<Trace> {
    // The budget holds for the owner too: the local lookups may have spent it (R5).
    if let Some(refused) = out_of_budget(&run, pool) {
        return Ok(run.refuse(Reason::SourceUnavailable, refused));
    }
    let t = Instant::now();
    let answer = ask_in_time(&mut run, pool);
    settle(run, pool, shadow, answer, t, env)
}

/// Asks `pool`'s [`source::Source`] for the login, waiting at most its `timeout_ms`, and
/// never past what is left of the login's budget (R5): a pool that has not answered by then
/// is unavailable, and the login fails closed.
fn ask_in_time(run: &mut Run<'_>, pool: &StoredPool) -> Answer {
    let left = run.limits.budget.saturating_sub(run.started.elapsed());
    let own = Duration::from_millis(pool.pool.timeout_ms);
    let wait = own.min(left);
    let deadline = Instant::now() + wait;
    let asked = source::Asked {
        identifier: run.login.identifier.to_owned(),
        password: run.password().map(|p| Secret::new(p.to_owned())),
        claims: run.login.claims.cloned(),
        deadline,
        exchanges: source::ExchangeLog::default(),
    };
    let log = asked.exchanges.clone();
    let src = run.sources.source(&pool.pool);
    let answered = in_time(wait, src.ask(asked));
    run.exchanges = log.take();
    match answered {
        Some(answer) if Instant::now() < deadline => answer,
        // A source reading a file in this thread stops itself and says where.
        late => {
            let detail = match late {
                Some(Answer::Unavailable(why)) => format!(" ({why})"),
                _ => String::new(),
            };
            Answer::Unavailable(if own <= left {
                format!(
                    "no answer within its timeout_ms of {} ms{detail}",
                    own.as_millis()
                )
            } else {
                format!(
                    "no answer within the {} ms left of the login budget of {} ms{detail}",
                    wait.as_millis(),
                    run.limits.budget.as_millis()
                )
            })
        }
    }
}

/// Waits for `fut` at most `wait`. The engine's decisions are synchronous and run off the
/// async threads (the environment runs a login on its runtime's blocking pool); the sources
/// it asks are async, so it waits for them here: on the runtime it was called from when
/// there is one, else (a test, the bench) on a runtime of its own for the call.
fn in_time<T>(wait: Duration, fut: impl std::future::Future<Output = T>) -> Option<T> {
    let timed = async { tokio::time::timeout(wait, fut).await.ok() };
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        // A source's answer takes no core: the hash gate's permit waits elsewhere.
        return crate::cpu_gate::io_wait(|| runtime.block_on(timed));
    }
    thread_local! {
        // Made once per thread that logs in without a runtime (a test, the bench).
        static OWN: Option<tokio::runtime::Runtime> = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok();
    }
    // No runtime can be made (no threads, no file descriptors): not answered.
    OWN.with(|own| own.as_ref().and_then(|rt| rt.block_on(timed)))
}

/// A name typed that is only an alias of the local user `u` (not its identifier) is `u`'s
/// only while the sources agree (R6): when an enabled pool that the name routes to has
/// another source user whose identifier it is, or, in `u`'s own pool, another source user
/// listing it as an alias too (two people of one pool), the name is nobody's, and `u`'s
/// record must not answer it with whatever password: neither lock that person out with
/// "wrong password for `u`" nor let `u` in by that person's name. Returns the pool and
/// that source user. Another pool's alias does not dispute it: the first holder keeps an
/// alias across pools (R5). Only sources that tell without a password are read (export
/// files), each within its timeout and what is left of the login's budget; one that cannot
/// be read in time is noted in the trace and passed over, as `u` holds the name (R5).
fn disputed_alias(
    run: &mut Run<'_>,
    u: &User,
    pools: &[StoredPool],
    key: &str,
) -> Option<(String, Holder)> {
    if u.key == key {
        return None;
    }
    disputed(run, pools, u.pool.as_deref(), &|pool, h| {
        u.is_source_user(
            pool,
            h.external_id.as_deref(),
            &identifier::key(&h.identifier),
        )
    })
}

/// The first source user of an enabled export pool the name typed routes to that disputes
/// it ([`disputed_alias`]): one whose identifier it is, or, in `own` (the pool of the person
/// it was found for), one whose alias it is too; `is_self(pool, holder)` tells that person's
/// own records apart.
fn disputed(
    run: &mut Run<'_>,
    pools: &[StoredPool],
    own: Option<&str>,
    is_self: &dyn Fn(&str, &Holder) -> bool,
) -> Option<(String, Holder)> {
    let typed = run.login.identifier.trim().to_owned();
    for pool in pools {
        let listed = matches!(
            pool.pool.settings,
            crate::pool::SourceSettings::Export { .. }
        );
        let routed =
            pool.pool.domains.is_empty() || pool.pool.domains.iter().any(|d| d.matches(&typed));
        if !pool.pool.enabled || !listed || !routed {
            continue;
        }
        let name = pool.pool.name.as_str();
        let t = Instant::now();
        match holders_in_time(run, pool) {
            Ok(found) => {
                let other = found
                    .into_iter()
                    .find(|h| (h.by_identifier || own == Some(name)) && !is_self(name, h));
                if let Some(h) = other {
                    return Some((name.to_owned(), h));
                }
            }
            Err(why) => run.step(
                format!("pool {name}"),
                Some(pool.pool.settings.kind().to_string()),
                "cannot_tell",
                format!(
                    "whether another source user has '{typed}' cannot be read: {why}; passed over (R5)"
                ),
                t,
            ),
        }
    }
    None
}

/// Asks `pool`'s source who has the name typed ([`source::Source::holders`]), waiting at
/// most the pool's `timeout_ms` and what is left of the login's budget, as [`ask_in_time`]
/// does.
fn holders_in_time(run: &Run<'_>, pool: &StoredPool) -> std::result::Result<Vec<Holder>, String> {
    let left = run.limits.budget.saturating_sub(run.started.elapsed());
    let wait = Duration::from_millis(pool.pool.timeout_ms).min(left);
    let deadline = Instant::now() + wait;
    let src = run.sources.source(&pool.pool);
    match in_time(wait, src.holders(run.login.identifier.to_owned(), deadline)) {
        Some(_) if Instant::now() >= deadline => {
            Err(format!("no answer within {} ms", wait.as_millis()))
        }
        Some(Some(found)) => found,
        Some(None) => Ok(Vec::new()),
        None => Err(format!("no answer within {} ms", wait.as_millis())),
    }
}

/// The name typed is only `u`'s alias, and `pool`'s source gives it to another person
/// ([`disputed_alias`]): two people, one name; refused whatever the password, nothing is
/// written (R6, R17).
fn alias_collision(mut run: Run<'_>, u: &User, pool: &str, h: &Holder) -> Trace {
    let typed = run.login.identifier.trim().to_owned();
    let role = if h.by_identifier {
        "the identifier"
    } else {
        "an alias"
    };
    let who = match &h.external_id {
        Some(x) => format!("source user {x} '{}'", h.identifier.trim()),
        None => format!("'{}' (no source user ID)", h.identifier.trim()),
    };
    run.step(
        "local store".into(),
        None,
        "collision",
        format!(
            "'{typed}' is an alias of {}, and pool {pool} has it as {role} of {who} ({}): not this user's (R6)",
            u.describe(),
            h.location
        ),
        Instant::now(),
    );
    let fix = if h.by_identifier && u.origin == Origin::Migrated {
        format!(
            "; importing pool {pool} (`pools users import --pool {pool}`) gives the name to the record whose identifier it is"
        )
    } else {
        String::new()
    };
    let msg = format!(
        "'{typed}' is an alias of {}, but pool {pool} has it as {role} of {who} ({}), another person: two people, one name, so the login is refused whatever the password and nothing is written (R6, R17); log in by the identifier{fix}; `pools doctor` lists such collisions",
        u.describe(),
        h.location
    );
    run.refuse(Reason::IdentifierCollision, msg)
}

/// The refusal when the login's budget ran out before `pool` could be asked (R5: fail closed).
fn out_of_budget(run: &Run<'_>, pool: &StoredPool) -> Option<String> {
    (run.started.elapsed() >= run.limits.budget).then(|| {
        format!(
            "the login budget of {} ms ran out before pool '{}' was asked",
            run.limits.budget.as_millis(),
            pool.pool.name
        )
    })
}

/// The pool recognised the identifier: its answer decides the login (R5).
fn settle(
    mut run: Run<'_>,
    pool: &StoredPool,
    shadow: Option<&User>,
    answer: Answer,
    t: Instant,
    env: &methods::Settings,
) -> Result<Trace> {
    let name = pool.pool.name.to_string();
    let asked = format!("pool {name}");
    let kind = Some(pool.pool.settings.kind().to_string());
    let code = answer.code();
    let refuse = |mut run: Run<'_>, detail: String, reason: Reason, msg: String| {
        run.step(asked.clone(), kind.clone(), code, detail, t);
        run.refuse(reason, msg)
    };
    let src = match answer {
        Answer::Authenticated(mut u) => {
            // R11: whatever the source sent back (an endpoint echoing the request, a record
            // sent whole), neither the typed password nor a secret of the pool is stored.
            let secrets = crate::profile_secrets::pool_secrets(&pool.pool);
            let mut needles: Vec<&str> = secrets.iter().map(Secret::expose).collect();
            needles.extend(run.login.password.map(Secret::expose));
            u.profile = crate::profile_secrets::scrub(std::mem::take(&mut u.profile), &needles);
            u
        }
        Answer::WrongPassword => {
            return Ok(refuse(
                run,
                "the pool recognises the identifier: later pools are not asked (R5)".into(),
                Reason::WrongPassword,
                format!("wrong password at pool '{name}'"),
            ));
        }
        Answer::Disabled => {
            // R15: refused and not migrated; a sync copy follows its source.
            let mut trace = refuse(
                run,
                "disabled or blocked at the source: not migrated (R15)".into(),
                Reason::UserDisabled,
                format!("the user is disabled at pool '{name}'"),
            );
            if let Some(s) = shadow
                && s.origin == Origin::Shadow
                && pool.pool.mode == Mode::Sync
                && s.enabled
            {
                trace.writes.push(Write::Update {
                    id: s.id.clone(),
                    version: s.version,
                    update: LoginUpdate {
                        enabled: Some(false),
                        ..LoginUpdate::default()
                    },
                });
            }
            return Ok(trace);
        }
        Answer::Challenge(challenge) => {
            return Ok(refuse(
                run,
                format!(
                    "the source answered the password with the challenge {challenge}: not authenticated, not migrated"
                ),
                Reason::ChallengeRequired,
                format!(
                    "pool '{name}' asks for the challenge {challenge} before it signs the user in; a migration cannot answer it"
                ),
            ));
        }
        Answer::NotConfirmed => {
            return Ok(refuse(
                run,
                "the user has not confirmed their account at the source: not migrated".into(),
                Reason::UserNotConfirmed,
                format!("the user has not confirmed their account at pool '{name}'"),
            ));
        }
        Answer::ResetRequired => {
            return Ok(refuse(
                run,
                "the source requires a password reset first: not migrated".into(),
                Reason::PasswordResetRequired,
                format!("pool '{name}' requires the user to reset their password first"),
            ));
        }
        Answer::NoCredential(why) => {
            return Ok(refuse(
                run,
                why.clone(),
                Reason::NoCredential,
                format!("pool '{name}' holds no usable credential for the user: {why}"),
            ));
        }
        Answer::Unavailable(why) => {
            return Ok(refuse(
                run,
                why.clone(),
                Reason::SourceUnavailable,
                format!("pool '{name}' is unavailable: {why}; the login fails closed (R5)"),
            ));
        }
        Answer::Unknown | Answer::CannotTell | Answer::NotAsked(_) => {
            // Only reached for an owner pool: it no longer knows its own user.
            let (detail, msg) = match answer {
                Answer::NotAsked(why) => (
                    why.clone(),
                    format!("pool '{name}' does not recognise the user it owns: {why}"),
                ),
                _ => (
                    "the owner pool no longer recognises its user".into(),
                    format!("pool '{name}' does not recognise the user it owns"),
                ),
            };
            return Ok(refuse(run, detail, Reason::UnknownUser, msg));
        }
    };
    let detail = match &src.hash {
        Some(h) => format!("{} hash verified at the source", h.scheme()),
        None => "authenticated by the source".into(),
    };
    run.step(asked.clone(), kind.clone(), "authenticated", detail, t);
    let Some(u) = shadow else {
        return meet(run, pool, src, env);
    };
    // The owner answered for the name typed; it may have matched another of its records
    // (that name is this user's alias and another user's email): only the same source user
    // is this user (R6).
    if !u.is_source_user(
        pool.pool.name.as_str(),
        src.external_id.as_deref(),
        &identifier::key(&src.identifier),
    ) {
        let typed = run.login.identifier.trim().to_owned();
        return Ok(collision(run, &typed, u, pool, &src));
    }
    let identity = renamed(&mut run, pool, u, &src)?;
    match u.origin {
        Origin::Migrated => complete_migration(run, pool, u, &src, env, identity),
        _ => refresh_shadow(run, pool, u, src, env, identity),
    }
}

/// A pool authenticated a name the local store does not know. The user it returned may still
/// be local: under its source identifier (the name typed was an alias not recorded), or under
/// its source user ID (renamed at the source). That user is the same person only if the pool
/// and source user ID say so; anyone else holding the identifier is a collision (R6, R17).
fn meet(
    mut run: Run<'_>,
    pool: &StoredPool,
    src: SourceUser,
    env: &methods::Settings,
) -> Result<Trace> {
    let name = pool.pool.name.as_str();
    let key = identifier::key(&src.identifier);
    // A name typed that nobody holds because two people list it (recorded by an import:
    // two records, two files of one pool, two pools) is nobody's, whichever of them the
    // pool answers for (R6).
    let typed = run.login.identifier.trim().to_owned();
    let typed_key = identifier::key(&typed);
    if typed_key != key
        && let Some(other) = run
            .store
            .alias_claimants(&typed_key)?
            .into_iter()
            .find(|c| !c.is_source_user(name, src.external_id.as_deref(), &key))
    {
        return Ok(claimed_collision(run, &typed, &other, pool, &src));
    }
    // The pool knows the name typed as the user's alias; another pool may give it to another
    // person as an identifier: then it is nobody's, and no login records it as an alias (R6),
    // as a local user's alias that another source user holds is refused ([`disputed_alias`]).
    let pools = if typed_key != key {
        run.store.pools()?
    } else {
        Vec::new()
    };
    if let Some((other_pool, h)) = disputed(&mut run, &pools, Some(name), &|p, h| {
        p == name
            && match (src.external_id.as_deref(), h.external_id.as_deref()) {
                (Some(mine), Some(theirs)) => crate::source_id::same(mine, theirs),
                (Some(_), None) => false,
                (None, _) => identifier::key(&h.identifier) == key,
            }
    }) {
        return Ok(source_alias_collision(
            run,
            &typed,
            pool,
            &src,
            &other_pool,
            &h,
        ));
    }
    let holder = match run.store.user_by_key(&key)? {
        Some(h) if h.is_source_user(name, src.external_id.as_deref(), &key) => Some(h),
        Some(h) => {
            let shown = src.identifier.clone();
            return Ok(collision(run, &shown, &h, pool, &src));
        }
        None => match &src.external_id {
            Some(x) => run.store.user_by_source_id(name, x)?,
            None => None,
        },
    };
    let Some(u) = holder else {
        return first_login(run, pool, src, env);
    };
    let t = Instant::now();
    let identity = match renamed(&mut run, pool, &u, &src)? {
        Some(i) => i,
        None => {
            let aliases = aliases(&mut run, &src, Some(&u.id))?;
            run.step(
                "local store".into(),
                None,
                "found",
                format!(
                    "'{}' is a name pool {name} gives {}: recorded as its alias (R6)",
                    run.login.identifier.trim(),
                    u.describe()
                ),
                t,
            );
            Identity {
                identifier: u.identifier.clone(),
                aliases,
            }
        }
    };
    match u.origin {
        Origin::Shadow => refresh_shadow(run, pool, &u, src, env, Some(identity)),
        Origin::Migrated if u.password_hash.is_none() => {
            complete_migration(run, pool, &u, &src, env, Some(identity))
        }
        // R3: a migrated user's password is the local one, whatever the source holds.
        Origin::Migrated => local_login(run, &u, std::slice::from_ref(pool), env, Some(identity)),
        Origin::Native => {
            let shown = src.identifier.clone();
            Ok(collision(run, &shown, &u, pool, &src))
        }
    }
}

/// The source's names for `u` when its identifier changed there (R17): a `renamed` step,
/// and the new identifier and aliases to write.
fn renamed(
    run: &mut Run<'_>,
    pool: &StoredPool,
    u: &User,
    src: &SourceUser,
) -> Result<Option<Identity>> {
    if identifier::key(&src.identifier) == u.key {
        return Ok(None);
    }
    let t = Instant::now();
    let aliases = aliases(run, src, Some(&u.id))?;
    let who = match &src.external_id {
        Some(x) => format!("source user {x}"),
        None => "the source user".to_owned(),
    };
    run.step(
        "local store".into(),
        None,
        "renamed",
        format!(
            "{who} of pool {} is {}: its identifier becomes '{}', the old names no longer find it (R6, R17)",
            pool.pool.name,
            u.describe(),
            src.identifier.trim()
        ),
        t,
    );
    Ok(Some(Identity {
        identifier: src.identifier.trim().to_owned(),
        aliases,
    }))
}

/// The other names of the source user (its aliases, and the name typed if another) that may
/// find `me` (`None`: a user not created yet): a name another local user holds is left out,
/// and the trace says so (R6).
fn aliases(run: &mut Run<'_>, src: &SourceUser, me: Option<&str>) -> Result<Vec<String>> {
    let own = identifier::key(&src.identifier);
    let typed = run.login.identifier.trim();
    let mut out: Vec<String> = Vec::new();
    for a in src.aliases.iter().map(|a| a.trim()).chain([typed]) {
        let k = identifier::key(a);
        if k.is_empty() || k == own || out.iter().any(|o| identifier::key(o) == k) {
            continue;
        }
        let t = Instant::now();
        let claimant = run
            .store
            .alias_claimants(&k)?
            .into_iter()
            .find(|c| Some(c.id.as_str()) != me);
        match run.store.user_by_key(&k)? {
            Some(other) if Some(other.id.as_str()) != me => run.step(
                "local store".into(),
                None,
                "alias_skipped",
                format!(
                    "'{a}' names {}: not an alias of this user (R6)",
                    other.describe()
                ),
                t,
            ),
            _ => match claimant {
                Some(other) => run.step(
                    "local store".into(),
                    None,
                    "alias_skipped",
                    format!(
                        "'{a}' is listed by {} too: a name two people hold is nobody's alias (R6)",
                        other.describe()
                    ),
                    t,
                ),
                None => out.push(a.to_owned()),
            },
        }
    }
    Ok(out)
}

/// How a source user is named in messages.
fn source_user(pool: &StoredPool, src: &SourceUser) -> String {
    match &src.external_id {
        Some(x) => format!(
            "pool {} authenticated source user {x} '{}'",
            pool.pool.name, src.identifier
        ),
        None => format!(
            "pool {} authenticated '{}' (no source user ID)",
            pool.pool.name, src.identifier
        ),
    }
}

/// Two people, one name: the login is refused and nothing is written (R6, R17).
fn collision(
    mut run: Run<'_>,
    name: &str,
    holder: &User,
    pool: &StoredPool,
    src: &SourceUser,
) -> Trace {
    let detail = format!("'{name}' is {}", holder.describe());
    run.step(
        "local store".into(),
        None,
        "collision",
        detail.clone(),
        Instant::now(),
    );
    let msg = collision_message(name, holder, &source_user(pool, src));
    run.refuse(Reason::IdentifierCollision, msg)
}

/// The name typed is an alias of the source user `pool` answered for, and `other` (another
/// pool) has it as another person's identifier ([`disputed`]): two people, one name; refused
/// whatever the password, nothing is written (R6, R17).
fn source_alias_collision(
    mut run: Run<'_>,
    typed: &str,
    pool: &StoredPool,
    src: &SourceUser,
    other: &str,
    h: &Holder,
) -> Trace {
    let who = match &h.external_id {
        Some(x) => format!("source user {x} '{}'", h.identifier.trim()),
        None => format!("'{}' (no source user ID)", h.identifier.trim()),
    };
    run.step(
        format!("pool {other}"),
        None,
        "collision",
        format!(
            "'{typed}' is the identifier of {who} ({}): another person than the one pool {} answered for (R6)",
            h.location, pool.pool.name
        ),
        Instant::now(),
    );
    let msg = format!(
        "'{typed}' is an alias at pool {}, where {}, but pool {other} has it as the identifier of {who} ({}), another person: two people, one name, so the login is refused whatever the password and nothing is written (R6, R17); log in by the identifier; `pools doctor` lists such collisions",
        pool.pool.name,
        source_user(pool, src),
        h.location
    );
    run.refuse(Reason::IdentifierCollision, msg)
}

/// Two people list one name and neither holds it (an import recorded it, see
/// [`crate::store::Store::alias_claims`]): a login by it is refused (R6).
fn claimed_collision(
    mut run: Run<'_>,
    name: &str,
    claimant: &User,
    pool: &StoredPool,
    src: &SourceUser,
) -> Trace {
    run.step(
        "local store".into(),
        None,
        "collision",
        format!("'{name}' is nobody's: {} lists it too", claimant.describe()),
        Instant::now(),
    );
    let msg = format!(
        "'{name}' is a name {} lists too, and {}: two people, one name, so the login is refused and nothing is written (R6); log in by the identifier; `pools doctor` lists such collisions",
        claimant.describe(),
        source_user(pool, src)
    );
    run.refuse(Reason::IdentifierCollision, msg)
}

fn collision_message(name: &str, holder: &User, source: &str) -> String {
    format!(
        "'{name}' is {}, but {source}: another person, so the login is refused and nothing is written (R6, R17); `pools doctor` lists such collisions",
        holder.describe()
    )
}

fn renamed_from(u: &User, identity: Option<&Identity>) -> Option<String> {
    identity
        .filter(|i| identifier::key(&i.identifier) != u.key)
        .map(|_| u.identifier.clone())
}

/// The identifier the user has after `update`.
fn shown_identifier(u: &User, update: &LoginUpdate) -> String {
    match &update.identity {
        Some(i) => i.identifier.clone(),
        None => u.identifier.clone(),
    }
}

/// An imported user without a hash, just verified by its pool: the password is stored with
/// the store's own algorithm (or the pool's hash kept as it is, when that did not compare the
/// whole password typed: [`rehash`]), and the local store answers from now on (R3, R13).
fn complete_migration(
    mut run: Run<'_>,
    pool: &StoredPool,
    u: &User,
    src: &SourceUser,
    env: &methods::Settings,
    identity: Option<Identity>,
) -> Result<Trace> {
    let p = run
        .login
        .password
        .map(Secret::expose)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Error::invalid("password", "a password is needed"))?;
    let (hash, action, hash_upgrade) = match rehash(&mut run, p, src.hash.as_deref())? {
        Rehash::Upgraded(h) => (
            h,
            Action::UpgradeHash,
            format!(
                "none (imported) -> argon2id, verified at pool {}",
                pool.pool.name
            ),
        ),
        Rehash::Kept(h) => (
            h,
            Action::KeepSourceHash,
            format!(
                "none (imported) -> {} of pool {}, kept as it is",
                src.hash.as_deref().map_or("?", |h| h.scheme()),
                pool.pool.name
            ),
        ),
    };
    let renamed_from = renamed_from(u, identity.as_ref());
    let update = LoginUpdate {
        password_hash: Some(hash),
        touch_login: true,
        identity,
        ..LoginUpdate::default()
    };
    let user = ResolvedUser {
        id: Some(u.id.clone()),
        identifier: shown_identifier(u, &update),
        origin: Origin::Migrated,
        pool: u.pool.clone(),
        tenant_id: u.tenant_id.clone(),
        tenant_resolution: u.tenant_resolution.clone(),
        action,
        hash_upgrade: Some(hash_upgrade),
        renamed_from,
    };
    let methods = methods::for_user(env, Origin::Migrated, Some(&pool.pool));
    let writes = vec![Write::Update {
        id: u.id.clone(),
        version: u.version,
        update,
    }];
    Ok(run.finish(Outcome::Authenticated, Some(user), writes, None, methods))
}

/// A later login of a shadow user: passthrough keeps the local copy, sync refreshes it (R16).
fn refresh_shadow(
    run: Run<'_>,
    pool: &StoredPool,
    s: &User,
    src: SourceUser,
    env: &methods::Settings,
    identity: Option<Identity>,
) -> Result<Trace> {
    let renamed_from = renamed_from(s, identity.as_ref());
    let mut update = LoginUpdate {
        touch_login: true,
        identity,
        ..LoginUpdate::default()
    };
    let mut action = Action::None;
    if pool.pool.mode == Mode::Sync {
        let profile = sync_profile(&s.profile, &src.profile);
        if let Err(e) = crate::user::check_document("profile", &profile) {
            return Ok(unkeepable(run, pool.pool.name.as_str(), e));
        }
        if profile != s.profile {
            update.profile = Some(profile);
            action = Action::RefreshShadow;
        }
        if !s.enabled {
            update.enabled = Some(true);
        }
    }
    let user = ResolvedUser {
        id: Some(s.id.clone()),
        identifier: shown_identifier(s, &update),
        origin: Origin::Shadow,
        pool: s.pool.clone(),
        tenant_id: s.tenant_id.clone(),
        tenant_resolution: s.tenant_resolution.clone(),
        action,
        hash_upgrade: None,
        renamed_from,
    };
    let methods = methods::for_user(env, Origin::Shadow, Some(&pool.pool));
    let writes = vec![Write::Update {
        id: s.id.clone(),
        version: s.version,
        update,
    }];
    Ok(run.finish(Outcome::Authenticated, Some(user), writes, None, methods))
}

/// The first login through a pool: resolve the tenant (R4), then migrate (jit) or create a
/// shadow copy (passthrough, sync, idp).
fn first_login(
    mut run: Run<'_>,
    pool: &StoredPool,
    src: SourceUser,
    env: &methods::Settings,
) -> Result<Trace> {
    let t = Instant::now();
    let name = pool.pool.name.to_string();
    let (tenant_id, how, new_tenant) = match tenant::resolve(&pool.pool.tenant, &src.profile) {
        Resolution::Resolved {
            tenant_id,
            how,
            new_tenant,
        } => (tenant_id, how, new_tenant),
        Resolution::Ambiguous { path, count } => {
            run.step(
                "tenant".into(),
                None,
                "tenant_ambiguous",
                format!("property {path} holds {count} values (R4)"),
                t,
            );
            return Ok(run.refuse(Reason::TenantAmbiguous, format!("pool '{name}': the tenant property {path} holds {count} values; the user cannot be placed in one tenant (R4)")));
        }
        unusable @ Resolution::Unusable { .. } => {
            let (_, detail) = unusable.refusal().expect("not resolved");
            run.step(
                "tenant".into(),
                None,
                "tenant_unresolved",
                detail.clone(),
                t,
            );
            return Ok(run.refuse(
                Reason::TenantUnresolved,
                format!("pool '{name}': the tenant {detail}; fix the value at the source"),
            ));
        }
        Resolution::Unresolved { path, why } => {
            run.step(
                "tenant".into(),
                None,
                "tenant_unresolved",
                format!("property {path} is {why}; no fallback (R4)"),
                t,
            );
            return Ok(run.refuse(
                Reason::TenantUnresolved,
                format!("pool '{name}': the tenant property {path} is {why} and the pool has no fallback (R4); set --tenant-fallback fixed:<value> or auto"),
            ));
        }
    };
    run.step(
        "tenant".into(),
        None,
        "resolved",
        format!("{tenant_id} via {how}"),
        t,
    );
    let jit = pool.pool.mode == Mode::Jit && pool.pool.pool_type() == PoolType::External;
    let (origin, action, password_hash, hash_upgrade) = if jit {
        // R13: the password received at login is re-hashed with the store's own algorithm.
        let p = run
            .login
            .password
            .map(Secret::expose)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::invalid("password", "JIT migration needs the password"))?;
        let (new_hash, upgrade) = match rehash(&mut run, p, src.hash.as_deref())? {
            Rehash::Upgraded(h) => (
                h,
                src.hash
                    .as_ref()
                    .map(|s| format!("{} -> argon2id", s.scheme())),
            ),
            Rehash::Kept(h) => (h, None),
        };
        (Origin::Migrated, Action::Migrate, Some(new_hash), upgrade)
    } else {
        (Origin::Shadow, Action::CreateShadow, None, None)
    };
    // The source's spelling is the one kept for display (R6); the name typed, if another,
    // becomes an alias so either finds this user from now on.
    let aliases = aliases(&mut run, &src, None)?;
    let new_user = NewUser {
        identifier: src.identifier.trim().to_owned(),
        aliases,
        origin,
        pool: Some(name.clone()),
        external_id: src.external_id.clone(),
        tenant_id: Some(tenant_id.clone()),
        tenant_resolution: Some(how.clone()),
        new_tenant,
        profile: src.profile,
        metadata: Map::new(),
        enabled: true,
        password_hash,
        logged_in: true,
    };
    // What the source returned must be something the store keeps and reads back
    // (crate::limits); if not, the source answered with data it cannot have: fail closed.
    if let Err(e) = new_user.validate() {
        return Ok(unkeepable(run, &name, e));
    }
    let user = ResolvedUser {
        id: None,
        identifier: new_user.identifier.clone(),
        origin,
        pool: Some(name),
        tenant_id: Some(tenant_id),
        tenant_resolution: Some(how),
        action,
        hash_upgrade,
        renamed_from: None,
    };
    let methods = methods::for_user(env, origin, Some(&pool.pool));
    Ok(run.finish(
        Outcome::Authenticated,
        Some(user),
        vec![Write::Create(new_user)],
        None,
        methods,
    ))
}

/// A login refused because the user its pool returned cannot be stored (an identifier with
/// control characters, a profile nested too deep, ...): the source's fault, so the login fails
/// closed (R5) and nothing is written.
fn unkeepable(mut run: Run<'_>, pool: &str, e: Error) -> Trace {
    let detail = format!("the user it returned cannot be stored: {e}");
    run.step(
        "store".into(),
        None,
        "refused",
        detail.clone(),
        Instant::now(),
    );
    run.refuse(
        Reason::SourceUnavailable,
        format!("pool '{pool}' returned a user the store cannot keep ({e}); the login fails closed (R5), nothing is written; fix the user at the source"),
    )
}

/// Makes the writes of a trace (a real login, or `simulate-login --commit`).
///
/// A first login that meets a user created meanwhile by a concurrent login of the same
/// source user uses that user: one identifier, one user (R6, R17). One that meets anyone
/// else under the identifier (a native user, another pool's, another source user ID) is
/// refused as [`Reason::IdentifierCollision`], as the attempt would have been, and writes
/// nothing.
///
/// Errors: store failures; `Conflict` when the user changed between attempt and commit.
pub fn commit(store: &mut dyn Store, trace: &mut Trace) -> Result<()> {
    for write in std::mem::take(&mut trace.writes) {
        match write {
            Write::Create(new_user) => {
                let (stored, created) = store.insert_user(&new_user)?;
                let key = identifier::key(&new_user.identifier);
                let same_person = new_user.pool.as_deref().is_some_and(|p| {
                    stored.is_source_user(p, new_user.external_id.as_deref(), &key)
                });
                if !created && !same_person {
                    let source = match (&new_user.pool, &new_user.external_id) {
                        (Some(p), Some(x)) => format!(
                            "pool {p} authenticated source user {x} '{}'",
                            new_user.identifier
                        ),
                        (p, _) => format!(
                            "pool {} authenticated '{}' (no source user ID)",
                            p.as_deref().unwrap_or("?"),
                            new_user.identifier
                        ),
                    };
                    refuse_collision(trace, &new_user.identifier, &stored, &source);
                    return Ok(());
                }
                // The same person, made meanwhile another way (an import, a mode change):
                // fail closed rather than guess which record this login should update.
                if !created && stored.origin != new_user.origin {
                    return Err(Error::Conflict {
                        message: format!(
                            "'{}' became a {} user{} while this login ran; nothing was written (R6)",
                            stored.identifier,
                            stored.origin.as_str(),
                            stored
                                .pool
                                .as_deref()
                                .map(|p| format!(" of pool {p}"))
                                .unwrap_or_default()
                        ),
                        hint: Some("run the login again: it now resolves to that user".into()),
                    });
                }
                // Lost the race to the same person: what this login learnt still counts
                // (R12): its time, and the password the source just verified, re-hashed
                // (R13) unless the winner holds a current hash already.
                let mut upgraded = None;
                if !created {
                    let stale = stored.password_hash.as_ref().map_or(Some("none"), |h| {
                        match crate::hash::PasswordHash::parse(h.expose()) {
                            Ok(p) if p.is_current() => None,
                            Ok(p) => Some(p.scheme()),
                            Err(_) => Some("unusable"),
                        }
                    });
                    // A source hash this login kept (it did not compare the whole password,
                    // R13) is no upgrade of anything.
                    let upgrade = new_user.password_hash.clone().filter(|h| {
                        stale.is_some()
                            && crate::hash::PasswordHash::parse(h.expose())
                                .is_ok_and(|p| p.is_current())
                    });
                    let update = LoginUpdate {
                        touch_login: true,
                        password_hash: upgrade.clone(),
                        ..LoginUpdate::default()
                    };
                    match write_update(store, &stored.id, stored.version, &update) {
                        Ok(()) if upgrade.is_some() => upgraded = stale,
                        Ok(()) => {}
                        // Changed again meanwhile: that change stands; record the time.
                        Err(Error::Conflict { .. }) => store.touch_login(&stored.id)?,
                        Err(e) => return Err(e),
                    }
                }
                if let Some(u) = trace.user.as_mut() {
                    u.id = Some(stored.id.clone());
                    if !created {
                        // Lost the race: report the record that won.
                        u.identifier = stored.identifier.clone();
                        u.origin = stored.origin;
                        u.pool = stored.pool.clone();
                        u.tenant_id = stored.tenant_id.clone();
                        u.tenant_resolution = stored.tenant_resolution.clone();
                        u.action = if upgraded.is_some() {
                            Action::UpgradeHash
                        } else {
                            Action::None
                        };
                        u.hash_upgrade = upgraded.map(|from| format!("{from} -> argon2id"));
                        trace.steps.push(Step {
                            asked: "local store".into(),
                            source: None,
                            answer: "found".into(),
                            detail:
                                "a concurrent login created this user first; using it (R6, R17)"
                                    .into(),
                            elapsed_ms: 0.0,
                            exchanges: Vec::new(),
                        });
                    }
                }
            }
            Write::Update {
                id,
                version,
                update,
            } => match write_update(store, &id, version, &update) {
                // A rename that met another user under the new identifier (made meanwhile):
                // two people, one name (R6); a rename another login already made: fine.
                Err(e @ Error::Conflict { .. }) if update.identity.is_some() => {
                    let new = update.identity.as_ref().map(|i| i.identifier.as_str());
                    let key = identifier::key(new.unwrap_or_default());
                    match store.user_by_key(&key)? {
                        Some(u) if u.id == id => store.touch_login(&id)?,
                        Some(other) => {
                            let source = format!("the source renamed user {id} to it");
                            refuse_collision(trace, new.unwrap_or_default(), &other, &source);
                            return Ok(());
                        }
                        None => return Err(e),
                    }
                }
                // A concurrent login changed the user first (e.g. the same hash upgrade):
                // the login still stands; record just its time.
                Err(Error::Conflict { .. }) => store.touch_login(&id)?,
                other => {
                    other?;
                }
            },
        }
    }
    trace.committed = true;
    Ok(())
}

/// Writes a login's `update` of user `id`, read at `version`: the login time alone through
/// [`Store::touch_login`] (no version: a login never conflicts with an operator's edit), any
/// other change as a compare-and-swap ([`Store::update_user_login`], R12).
///
/// Errors: as the store's; `Conflict` when the user changed since `version` (not for a time
/// alone).
fn write_update(store: &mut dyn Store, id: &str, version: u64, update: &LoginUpdate) -> Result<()> {
    let time_only = update.password_hash.is_none()
        && update.profile.is_none()
        && update.enabled.is_none()
        && update.identity.is_none();
    match (time_only, update.touch_login) {
        (true, true) => store.touch_login(id),
        (true, false) => Ok(()),
        (false, _) => store.update_user_login(id, version, update).map(|_| ()),
    }
}

/// Turns a trace into a collision refusal found while committing (R6, R17).
fn refuse_collision(trace: &mut Trace, name: &str, holder: &User, source: &str) {
    trace.steps.push(Step {
        asked: "local store".into(),
        source: None,
        answer: "collision".into(),
        detail: format!(
            "'{}' became {} while this login ran",
            name.trim(),
            holder.describe()
        ),
        elapsed_ms: 0.0,
        exchanges: Vec::new(),
    });
    trace.outcome = Outcome::Refused(Reason::IdentifierCollision);
    trace.message = Some(collision_message(name.trim(), holder, source));
    trace.user = None;
    trace.sign_in_methods.clear();
    trace.writes.clear();
    trace.committed = false;
}
