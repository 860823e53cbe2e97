//! Bulk import of an export file into the local store as users migrated from a pool (R13,
//! R17): streamed record by record, one transaction per batch, resumable, every row that does
//! not land reported with its line and reason.

use crate::credential;
use crate::error::Result;
use crate::export::{ExportFormat, ExportRecord};
use crate::hash::FirebaseHashConfig;
use crate::identifier;
use crate::limits::{self, Refusal};
use crate::pool::Pool;
use crate::secret::Secret;
use crate::tenant::{self, Resolution};
use crate::user::{Origin, User};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

crate::terms::choice! {
    /// What to do when a row's identifier is already a user (R6, R17).
    pub enum OnConflict {
        /// Keep the existing user; report the row as skipped (exit 0).
        Skip = "skip",
        /// Keep the existing user and add what it lacks: profile keys, a password hash.
        Merge = "merge",
        /// Reject the row (exit 5), so it can be fixed and re-imported.
        Fail = "fail",
    }
}

/// One user ready to be written.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// 1-based line of the export file where the record starts.
    pub line: u64,
    pub identifier: String,
    pub key: String,
    pub aliases: Vec<String>,
    pub external_id: Option<String>,
    pub tenant_id: String,
    pub tenant_resolution: String,
    pub new_tenant: bool,
    /// The source profile as JSON.
    pub profile_json: String,
    /// The source's own hash, canonical form; verified and upgraded at first login (R13).
    /// `None` for formats without hashes: the first login asks the pool (R17).
    pub password_hash: Option<Secret>,
    /// The row's aliases that an earlier record of the file, another person, lists too: two
    /// source users, one name, so nobody keeps it (R6), whichever row came first.
    pub shared_aliases: Vec<SharedAlias>,
}

/// An alias of an import row that an earlier record of the same file (another person) lists
/// as its alias too ([`AliasClaims`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedAlias {
    /// As the row spells it.
    pub alias: String,
    /// Its identifier key.
    pub key: String,
    /// The line of the first record that listed it.
    pub first_line: u64,
}

/// The aliases the records of one file list, as an import reads them, so that a name two
/// source users hold is nobody's alias whatever the row order (R6, R17), as a login by that
/// name is refused as ambiguous. Every readable record counts, also one the import rejects
/// or skips: the export source counts it at login too. Memory grows with the number of
/// distinct aliases in the file (one map entry each; none for a file without aliases).
#[derive(Default)]
pub(crate) struct AliasClaims {
    /// Alias key -> the first record that listed it.
    first: HashMap<Box<str>, Claim>,
    /// Records claimed so far: a record's number in the file (its line does not tell records
    /// apart in a one-line JSON document).
    records: u64,
}

/// Who listed an alias first: its record's number and line, and the person, as hashes of its
/// source user ID and identifier key (one record of a person listed twice is no second holder).
#[derive(Clone, Copy)]
struct Claim {
    record: u64,
    line: u64,
    external_id: Option<u64>,
    own_key: u64,
}

fn hash_of(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl AliasClaims {
    /// Records `rec`'s aliases and returns those an earlier record of another person listed.
    pub(crate) fn claim(&mut self, rec: &ExportRecord) -> Vec<SharedAlias> {
        self.records += 1;
        if rec.aliases.is_empty() {
            return Vec::new();
        }
        let own = identifier::key(&rec.identifier);
        let this = Claim {
            record: self.records,
            line: rec.line,
            external_id: rec.external_id.as_deref().map(hash_of),
            own_key: hash_of(&own),
        };
        let mut shared = Vec::new();
        for a in &rec.aliases {
            let key = identifier::key(a);
            if key.is_empty() || key == own {
                continue;
            }
            match self.first.get(key.as_str()) {
                None => {
                    self.first.insert(key.into_boxed_str(), this);
                }
                Some(first) if first.record != this.record && !first.same_person(&this) => {
                    if !shared.iter().any(|s: &SharedAlias| s.key == key) {
                        shared.push(SharedAlias {
                            alias: a.trim().to_owned(),
                            key,
                            first_line: first.line,
                        });
                    }
                }
                Some(_) => {}
            }
        }
        shared
    }
}

impl Claim {
    /// As [`crate::user::User::is_source_user`] decides: the source user IDs when both have
    /// one, else the identifiers.
    fn same_person(&self, other: &Claim) -> bool {
        match (self.external_id, other.external_id) {
            (Some(a), Some(b)) => a == b,
            _ => self.own_key == other.own_key,
        }
    }
}

crate::code::codes! {
    /// Why a row met a user it did not simply land beside: the reason of a skipped, merged or
    /// rejected [`RowOutcome`] (README: Bulk migration lists them).
    pub enum RowReason {
        /// A native user or another pool's has the row's identifier (R6).
        IdentifierExists = "identifier_exists",
        /// Another source user of the pool has the row's identifier: two people (R6).
        IdentifierCollision = "identifier_collision",
        /// An earlier row of the same file is the same user.
        DuplicateInFile = "duplicate_in_file",
        /// The row's source user ID is already a user of the pool (R17).
        DuplicateSourceId = "duplicate_source_id",
        /// A shadow copy, which follows its source at login: an import never edits it (R7).
        ShadowUser = "shadow_user",
        /// Imported into this pool before, from another file (R17).
        ImportedBefore = "imported_before",
        /// Migrated by a login already (R17).
        AlreadyMigrated = "already_migrated",
    }
}

crate::code::codes! {
    /// What became of an alias a row lists ([`AliasNote`]).
    pub enum AliasAction {
        /// The row's user does not get the alias (another user holds that name).
        AliasSkipped = "alias_skipped",
        /// Another user of the pool loses it, because it is this row's own identifier.
        AliasMoved = "alias_moved",
    }
}

crate::code::codes! {
    /// Why an alias did not end up where the record put it ([`AliasNote`], R6).
    pub enum AliasReason {
        /// It is already another person's identifier or alias.
        AliasTaken = "alias_taken",
        /// Two source users list it: nobody's alias.
        AliasShared = "alias_shared",
        /// It is this row's own identifier, which wins over another record's alias.
        IdentifierWins = "identifier_wins",
    }
}

/// How a row landed. Serialised (`{"imported": null}`, `{"skipped": {"reason": ...}}`) so
/// that a store can keep a committed batch's outcome and answer a retry of the batch with it
/// ([`crate::store::Store::import_batch`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    Imported,
    /// The row was imported by an earlier (interrupted) run of this import: nothing to do.
    AlreadyImported,
    Skipped {
        reason: RowReason,
        detail: String,
    },
    /// Merged into the user that `reason` names (`identifier_exists`, `duplicate_in_file`,
    /// ...): the report's action says "merged", the reason why (R17).
    Merged {
        reason: RowReason,
        detail: String,
    },
    /// The row is a user already imported or migrated from the pool (same source user ID)
    /// whose identifier changed at the source: the user takes the row's identifier and
    /// aliases, keeping its ID, tenant and history (R17).
    Renamed {
        detail: String,
    },
    Rejected {
        reason: RowReason,
        detail: String,
    },
}

/// A name an import row lists as an alias that does not end up where the record put it (R6):
/// never dropped silently, the import reports it beside the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AliasNote {
    pub action: AliasAction,
    /// The report's reason code.
    pub reason: AliasReason,
    pub detail: String,
}

impl AliasNote {
    /// The row's alias `alias` is already a name of `holder` (its identifier when
    /// `identifier`): the row's user does not take it.
    pub fn taken(alias: &str, identifier: bool, holder: &str) -> Self {
        let what = if identifier {
            "the identifier"
        } else {
            "an alias"
        };
        AliasNote {
            action: AliasAction::AliasSkipped,
            reason: AliasReason::AliasTaken,
            detail: format!(
                "alias '{}' is not kept for this user: it is {what} of {holder}, another person (R6)",
                alias.trim()
            ),
        }
    }

    /// The row's alias `shared` is listed by the record at `shared.first_line` too: two source
    /// users, one name, so this row's user does not take it (R6).
    pub fn shared(shared: &SharedAlias) -> Self {
        AliasNote {
            action: AliasAction::AliasSkipped,
            reason: AliasReason::AliasShared,
            detail: format!(
                "alias '{}' is not kept for this user: the record at line {} lists it too; a name two source users hold is nobody's alias (R6)",
                shared.alias, shared.first_line
            ),
        }
    }

    /// `holder` had the row's alias `shared` (from the record at `shared.first_line`), which
    /// this row lists too: two source users, one name, so the holder loses it (R6).
    pub fn taken_back(shared: &SharedAlias, holder: &str) -> Self {
        AliasNote {
            action: AliasAction::AliasSkipped,
            reason: AliasReason::AliasShared,
            detail: format!(
                "alias '{}' is taken from {holder} (the record at line {}): this row lists it too; a name two source users hold is nobody's alias (R6)",
                shared.alias, shared.first_line
            ),
        }
    }

    /// `holder`, another source user of the same pool (from a file imported before), had the
    /// row's alias `alias` as its alias: two source users of one pool, one name, so neither
    /// keeps it (R6), as for two records of one file.
    pub fn taken_from(alias: &str, holder: &str) -> Self {
        AliasNote {
            action: AliasAction::AliasSkipped,
            reason: AliasReason::AliasShared,
            detail: format!(
                "alias '{}' is taken from {holder}, who had it from an earlier import: this row lists it too; a name two source users hold is nobody's alias (R6)",
                alias.trim()
            ),
        }
    }

    /// The row's alias `alias` is a name two other source users listed before and neither
    /// kept (R6): nobody's, this row's user's neither.
    pub fn disputed(alias: &str) -> Self {
        AliasNote {
            action: AliasAction::AliasSkipped,
            reason: AliasReason::AliasShared,
            detail: format!(
                "alias '{}' is not kept for this user: other users listed it before and nobody holds it; a name two source users hold is nobody's alias (R6)",
                alias.trim()
            ),
        }
    }

    /// `holder` had the row's identifier `name` as an alias: a record's own identifier wins
    /// over another record's alias, so the name is this row's user's from now on.
    pub fn moved(name: &str, holder: &str) -> Self {
        AliasNote {
            action: AliasAction::AliasMoved,
            reason: AliasReason::IdentifierWins,
            detail: format!(
                "'{}' is this row's identifier and was an alias of {holder}: a record's own identifier wins over another record's alias, so that user no longer has it (R6)",
                name.trim()
            ),
        }
    }
}

/// What one import batch did ([`crate::store::Store::import_batch`]): each row's outcome, in row order, and
/// the alias notes of the rows, each with the index of its row. Serialisable: a store keeps
/// it with the batch, to answer a retry of the same batch with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BatchOutcome {
    pub rows: Vec<RowOutcome>,
    pub aliases: Vec<(usize, AliasNote)>,
}

/// Which import a run belongs to ([`crate::store::Store::import_start`]): the store tells a
/// re-run or resume of the same import (its rows already imported, R17) from another import
/// of the same users (imported before, from another file) by this ID alone. An export file's
/// ID is the host that reads it and the file's canonical path (`HOST:/path`), so two clients'
/// files of one path are two imports, while a file fixed or grown in place stays the same
/// import (its other rows already imported). A given ID (`--import-id`) names the import
/// whatever the input: a stream can then be resumed too, or a file moved to another path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportId {
    id: String,
    shown: String,
    formerly: Option<String>,
}

/// The longest ID `--import-id` takes, in bytes.
pub const MAX_IMPORT_ID: usize = 512;

impl ImportId {
    /// The ID the operator gave (`--import-id`), for the input shown as `shown` (the audit
    /// log names it).
    ///
    /// Errors: [`crate::Error::Invalid`] on `--import-id` when it is empty, longer than
    /// [`MAX_IMPORT_ID`] bytes, or holds a control character.
    pub fn given(id: &str, shown: &str) -> Result<Self> {
        let refuse = |why: &str| {
            crate::Error::invalid("--import-id", format!("{why}; it names the import"))
                .with_hint("give a short stable name, e.g. --import-id acme-2026-12")
        };
        if id.trim().is_empty() {
            return Err(refuse("it is empty"));
        }
        if id.len() > MAX_IMPORT_ID {
            return Err(refuse(&format!("it is longer than {MAX_IMPORT_ID} bytes")));
        }
        if id.chars().any(char::is_control) {
            return Err(refuse("it holds a control character"));
        }
        Ok(ImportId {
            id: id.to_owned(),
            shown: shown.to_owned(),
            formerly: None,
        })
    }

    /// The default ID of the export file at `path` (its canonical path, else its absolute
    /// one), read on this host: `HOST:/canonical/path`. Shown as the path.
    pub fn of_file(path: &std::path::Path) -> Self {
        let path = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let shown = path.display().to_string();
        ImportId {
            id: format!("{}:{shown}", host()),
            formerly: Some(shown.clone()),
            shown,
        }
    }

    /// A stream's ID (stdin, a pipe, a FIFO, read once): an import of its own at each run,
    /// whose rows a later run meets as imported before; shown as the ID.
    pub fn of_stream(path: &std::path::Path) -> Self {
        let id = format!(
            "stream {} {}",
            path.display(),
            uuid::Uuid::new_v4().simple()
        );
        ImportId {
            shown: id.clone(),
            id,
            formerly: None,
        }
    }

    /// The ID, as the store keys the import by it.
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The input as the audit log names it: the file's path, or the stream.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The ID stores written before import IDs knew this import by (pools before issue 9:
    /// the file's canonical path alone), when there is one: a store that holds an import
    /// under it renames it to [`ImportId::as_str`] at the next run.
    pub fn formerly(&self) -> Option<&str> {
        self.formerly.as_deref()
    }
}

/// This host's name, as import IDs name it (`localhost` when the system has none).
pub fn host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that much.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    match std::str::from_utf8(&buf[..end]) {
        Ok(h) if rc == 0 && !h.trim().is_empty() => h.trim().to_owned(),
        _ => "localhost".to_owned(),
    }
}

/// A row that did not simply land, as reported to the operator and the reject file.
/// `Debug` leaves out `raw`, which may hold a hash (R11).
#[derive(Clone, Serialize)]
pub struct Report {
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// `skipped`, `merged`, `renamed` or `rejected`.
    pub action: &'static str,
    pub reason: &'static str,
    pub detail: String,
    /// The record's original bytes (for the reject file), exactly as in the input, also when
    /// they are not UTF-8; not serialised: they may hold a hash.
    #[serde(skip)]
    pub raw: Option<Vec<u8>>,
}

impl Report {
    /// True when the row belongs in the reject file: it was rejected, or skipped because
    /// another person holds its identifier (R6). Rows skipped because their user is already
    /// in the store (migrated by a login, imported before, a duplicate line of this file, a
    /// shadow copy) landed as far as the operator is concerned: re-importing them would
    /// change nothing.
    pub fn needs_fixing(&self) -> bool {
        match self.action {
            "rejected" => true,
            "skipped" => matches!(self.reason, "identifier_exists" | "identifier_collision"),
            _ => false,
        }
    }
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("line", &self.line)
            .field("identifier", &self.identifier)
            .field("action", &self.action)
            .field("reason", &self.reason)
            .field("detail", &self.detail)
            .finish_non_exhaustive()
    }
}

/// Figures of an import (`-o json` prints this).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Summary {
    pub format: String,
    pub dry_run: bool,
    /// Records read from the file (including unreadable ones).
    pub read: u64,
    pub imported: u64,
    /// Rows an earlier run of the same import had already written (resume).
    pub already_imported: u64,
    pub skipped: u64,
    pub merged: u64,
    /// Users the row renamed (same source user ID, a new identifier: R17).
    pub renamed: u64,
    /// Aliases of the file's records that no user keeps where the record put them (R6):
    /// another user's name, or another user's alias that is a row's own identifier.
    pub aliases_skipped: u64,
    pub rejected: u64,
    /// Skipped, merged and rejected rows by reason code.
    pub by_reason: BTreeMap<String, u64>,
    pub elapsed_ms: u64,
    /// Stopped early through [`Options::cancel`]: the rows counted were committed, the rest
    /// of the file was not imported.
    pub interrupted: bool,
    /// Transactions of rows committed (0 for a dry run).
    #[serde(skip)]
    pub committed_batches: u64,
}

/// Decides what an import row does to `existing`: the user holding its identifier (or an
/// alias equal to it), else the pool's user with its source user ID.
/// `run` is this run's number ([`crate::store::Store::import_start`]; 0 for a dry run): a user an earlier
/// run of the same import wrote is already imported (at whatever line: the file may have been
/// fixed or grown); one this run wrote or met already is a duplicate.
///
/// Only the same person (same pool and source user ID: [`User::is_source_user`]) is ever
/// merged, renamed or counted as imported; anyone else is a collision, per `policy` skipped
/// or rejected, and never merged (R6, R17).
pub fn classify(
    existing: &User,
    row: &ImportRow,
    pool: &str,
    source: &str,
    run: u64,
    policy: OnConflict,
) -> RowOutcome {
    let same_pool = existing.pool.as_deref() == Some(pool);
    let same_source = same_pool && existing.import_source.as_deref() == Some(source);
    let this_run = same_source && existing.import_run == Some(run);
    let line = existing.import_line.unwrap_or(0);
    if !existing.is_source_user(pool, row.external_id.as_deref(), &row.key) {
        // Met through one of its aliases (not its identifier): say so.
        let held = if existing.key == row.key {
            "this identifier"
        } else {
            "this name as an alias"
        };
        let (reason, detail) = if same_pool && existing.origin != Origin::Native {
            let from = if this_run {
                format!(", line {line} of this file")
            } else if same_source {
                format!(", imported from line {line} of this file")
            } else {
                String::new()
            };
            let this = match &row.external_id {
                Some(x) => format!("source user {x}"),
                None => "without a source user ID".to_owned(),
            };
            (
                RowReason::IdentifierCollision,
                format!(
                    "'{}' is already {}{from}{}; this row is {this}: two people, one identifier (R6)",
                    row.identifier,
                    existing.describe(),
                    if existing.key == row.key {
                        ""
                    } else {
                        " (as an alias)"
                    }
                ),
            )
        } else {
            let owner = existing
                .pool
                .as_deref()
                .map(|p| format!(" of pool {p}"))
                .unwrap_or_default();
            (
                RowReason::IdentifierExists,
                format!(
                    "a {} user{owner} has {held} (R6): {}",
                    existing.origin.as_str(),
                    existing.describe()
                ),
            )
        };
        return match policy {
            OnConflict::Skip => RowOutcome::Skipped { reason, detail },
            OnConflict::Fail => RowOutcome::Rejected { reason, detail },
            // Merging would hand another person's attributes (and a hash) to this user.
            OnConflict::Merge => RowOutcome::Rejected {
                reason,
                detail: format!("{detail}; not merged: another person"),
            },
        };
    }
    let (reason, detail) = if this_run && existing.import_line.is_some() {
        let what = if existing.key == row.key {
            "same identifier as".to_owned()
        } else {
            format!(
                "same source user {} as",
                row.external_id.as_deref().unwrap_or("?")
            )
        };
        (
            RowReason::DuplicateInFile,
            format!("{what} line {line} (R6)"),
        )
    } else if existing.key != row.key {
        if existing.origin == Origin::Shadow {
            // A shadow copy follows its source at login (R7): an import never edits it.
            let owner = existing.pool.as_deref().unwrap_or("?");
            return RowOutcome::Skipped {
                reason: RowReason::ShadowUser,
                detail: format!("a shadow copy kept by pool {owner}: not renamed (R7)"),
            };
        }
        return RowOutcome::Renamed {
            detail: format!(
                "{} is now '{}' at the source: renamed, the old names no longer find it (R17)",
                existing.describe(),
                row.identifier
            ),
        };
    } else if same_source && existing.origin == Origin::Migrated {
        return RowOutcome::AlreadyImported;
    } else if existing.origin == Origin::Shadow && policy == OnConflict::Merge {
        // A shadow copy belongs to its pool's source (R7): an import never edits it.
        let owner = existing.pool.as_deref().unwrap_or("?");
        return RowOutcome::Skipped {
            reason: RowReason::ShadowUser,
            detail: format!("a shadow copy kept by pool {owner}: not merged (R7)"),
        };
    } else if existing.import_line.is_some() {
        (
            RowReason::ImportedBefore,
            "imported into this pool before, from another file (R17)".to_owned(),
        )
    } else if existing.origin == Origin::Migrated {
        (
            RowReason::AlreadyMigrated,
            "the user was migrated by a login already (R17)".to_owned(),
        )
    } else {
        (
            RowReason::IdentifierExists,
            format!(
                "a {} user of pool {pool} has this identifier (R6)",
                existing.origin.as_str()
            ),
        )
    };
    match policy {
        OnConflict::Skip => RowOutcome::Skipped { reason, detail },
        OnConflict::Fail => RowOutcome::Rejected { reason, detail },
        OnConflict::Merge => RowOutcome::Merged { reason, detail },
    }
}

/// R17 merge: the existing user keeps what it has and gains what it lacks.
pub fn merge_profile(existing: &Map<String, Value>, row: &ImportRow) -> Map<String, Value> {
    let mut out = existing.clone();
    let incoming: Map<String, Value> = serde_json::from_str(&row.profile_json).unwrap_or_default();
    for (k, v) in incoming {
        out.entry(k).or_insert(v);
    }
    out
}

impl Summary {
    pub(crate) fn note(&mut self, r: Report, report: &mut dyn FnMut(Report)) {
        *self.by_reason.entry(r.reason.to_owned()).or_default() += 1;
        match r.action {
            "skipped" => self.skipped += 1,
            "merged" => self.merged += 1,
            _ => self.rejected += 1,
        }
        report(r);
    }
}

/// Whether `holder`, met through `row`'s identifier as one of its aliases, gives that alias up
/// to the row (R6): a record's own identifier wins over another record's alias, as the login
/// engine's export source decides within one file, so an import reaches the same store
/// whatever the row order, and, across pools, whichever pool is imported first (a user of
/// another pool that took the name as an alias first would otherwise keep it in one order and
/// not the other). A migrated user, of this pool or another, who is another source user
/// yields; a native user or a shadow copy (R7: an import never edits it) keeps its names (the
/// row is then a collision), and the login engine refuses that name as a collision too.
pub fn yields_alias(holder: &User, row: &ImportRow, pool: &str) -> bool {
    holder.key != row.key
        && holder.origin == Origin::Migrated
        && !holder.is_source_user(pool, row.external_id.as_deref(), &row.key)
}

/// Whether `holder`, who holds one of `row`'s aliases as an alias of its own, loses it (R6):
/// a migrated user of the same pool who is another source user (two records of one file, or
/// a file imported into the pool before) — two source users of one pool, one name, so it is
/// nobody's, whichever came first. A native user, another pool's or a shadow copy keeps it
/// (the row does not get it: the first holder wins across pools, R5's order).
pub fn shares_pool_alias(holder: &User, row: &ImportRow, pool: &str) -> bool {
    holder.origin == Origin::Migrated
        && holder.pool.as_deref() == Some(pool)
        && !holder.is_source_user(pool, row.external_id.as_deref(), &row.key)
}

/// Checks a record against what the store keeps ([`crate::limits`]): its identifier and
/// aliases (no control or invisible characters, R6), a JSON record's numbers, strings and
/// nesting, and its profile as the store would keep it. `doctor` and the import run it alike.
///
/// Errors: the [`crate::limits::Refusal`], whose `reason` is the report's reason code.
pub fn check_record(rec: &ExportRecord, format: ExportFormat) -> std::result::Result<(), Refusal> {
    check_names(rec, format)?;
    limits::check_document_text("profile", &rec.profile.json())
}

/// [`check_record`] but the profile, which [`prepare`] checks as the text it stores.
fn check_names(rec: &ExportRecord, format: ExportFormat) -> std::result::Result<(), Refusal> {
    identifier::check(&rec.identifier)?;
    for alias in &rec.aliases {
        identifier::check(alias).map_err(|r| Refusal {
            message: format!("an alias: {}", r.message),
            ..r
        })?;
    }
    if let Some(x) = &rec.external_id {
        crate::source_id::check(x)?;
    }
    // A JSON reader keeps numbers as text or rounds them into floats as it parses: the
    // record's own text tells what the file said.
    if format != ExportFormat::Csv {
        limits::check_json("record", &rec.raw)?;
    }
    Ok(())
}

/// Turns a record into a row (identifier key, canonical hash, tenant: R4) and its original
/// text, or into the report of why it cannot be imported.
pub(crate) fn prepare(
    rec: ExportRecord,
    format: ExportFormat,
    pool: &Pool,
    hash_config: Option<&FirebaseHashConfig>,
) -> std::result::Result<(ImportRow, String), Report> {
    let refuse = |rec: ExportRecord, reason: &'static str, detail: String| {
        // Users disabled at the source are not migrated (R15), by design: skipped.
        let action = if reason == "user_disabled" {
            "skipped"
        } else {
            "rejected"
        };
        Report {
            line: rec.line,
            identifier: Some(rec.identifier),
            action,
            reason,
            detail,
            raw: Some(rec.raw.into_bytes()),
        }
    };
    let key = identifier::key(&rec.identifier);
    // An empty identifier is refused here too, as `invalid_identifier` (F21).
    if let Err(r) = check_names(&rec, format) {
        return Err(refuse(rec, r.reason, r.message));
    }
    if rec.disabled {
        return Err(refuse(
            rec,
            "user_disabled",
            "disabled or blocked at the source: not migrated (R15)".into(),
        ));
    }
    let password_hash = match credential::password_hash(&rec.credential, hash_config) {
        Ok(h) => h.map(|h| Secret::new(h.to_string())),
        Err(e) => return Err(refuse(rec, "unusable_hash", e.to_string())),
    };
    let (tenant_id, tenant_resolution, new_tenant) =
        match tenant::resolve_profile(&pool.tenant, &rec.profile) {
            Resolution::Resolved {
                tenant_id,
                how,
                new_tenant,
            } => (tenant_id, how, new_tenant),
            unplaced => {
                let (reason, detail) = unplaced.refusal().expect("not resolved");
                return Err(refuse(rec, reason, detail));
            }
        };
    let ExportRecord {
        line,
        identifier,
        aliases,
        external_id,
        profile,
        raw,
        ..
    } = rec;
    // Checked as the very text the store keeps.
    let profile_json = profile.into_json();
    if let Err(r) = limits::check_document_text("profile", &profile_json) {
        return Err(Report {
            line,
            identifier: Some(identifier),
            action: "rejected",
            reason: r.reason,
            detail: r.message,
            raw: Some(raw.into_bytes()),
        });
    }
    let row = ImportRow {
        line,
        identifier: identifier.trim().to_owned(),
        key,
        aliases,
        external_id,
        tenant_id,
        tenant_resolution,
        new_tenant,
        profile_json,
        password_hash,
        shared_aliases: Vec::new(),
    };
    Ok((row, raw))
}
