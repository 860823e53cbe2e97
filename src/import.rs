//! Bulk import of an export file into the local store as users migrated from a pool (R13,
//! R17): streamed record by record, one transaction per batch, resumable, every row that does
//! not land reported with its line and reason.

use crate::credential;
use crate::error::{Error, Result};
use crate::export::{self, ExportFormat, ExportRecord};
use crate::hash::FirebaseHashConfig;
use crate::identifier;
use crate::limits::{self, Refusal};
use crate::pool::{Pool, SourceSettings};
use crate::secret::Secret;
use crate::store::Store;
use crate::tenant::{self, Resolution};
use crate::user::{Origin, User};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::Path;

/// What to do when a row's identifier is already a user (R6, R17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Keep the existing user; report the row as skipped (exit 0).
    Skip,
    /// Keep the existing user and add what it lacks: profile keys, a password hash.
    Merge,
    /// Reject the row (exit 5), so it can be fixed and re-imported.
    Fail,
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
}

/// Who listed an alias first: its line and the person, as hashes of its source user ID and
/// identifier key (one record of a person listed twice is no second holder).
#[derive(Clone, Copy)]
struct Claim {
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
        if rec.aliases.is_empty() {
            return Vec::new();
        }
        let own = identifier::key(&rec.identifier);
        let this = Claim {
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
                Some(first) if first.line != rec.line && !first.same_person(&this) => {
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

/// How a row landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    Imported,
    /// The row was imported by an earlier (interrupted) run of this import: nothing to do.
    AlreadyImported,
    Skipped {
        reason: &'static str,
        detail: String,
    },
    /// Merged into the user that `reason` names (`identifier_exists`, `duplicate_in_file`,
    /// ...): the report's action says "merged", the reason why (R17).
    Merged {
        reason: &'static str,
        detail: String,
    },
    /// The row is a user already imported or migrated from the pool (same source user ID)
    /// whose identifier changed at the source: the user takes the row's identifier and
    /// aliases, keeping its ID, tenant and history (R17).
    Renamed {
        detail: String,
    },
    Rejected {
        reason: &'static str,
        detail: String,
    },
}

/// A name an import row lists as an alias that does not end up where the record put it (R6):
/// never dropped silently, the import reports it beside the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasNote {
    /// `alias_skipped`: the row's user does not get the alias (another user holds that name);
    /// `alias_moved`: another user of the pool loses it, because it is this row's own identifier.
    pub action: &'static str,
    /// The report's reason code: `alias_taken` or `identifier_wins`.
    pub reason: &'static str,
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
            action: "alias_skipped",
            reason: "alias_taken",
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
            action: "alias_skipped",
            reason: "alias_shared",
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
            action: "alias_skipped",
            reason: "alias_shared",
            detail: format!(
                "alias '{}' is taken from {holder} (the record at line {}): this row lists it too; a name two source users hold is nobody's alias (R6)",
                shared.alias, shared.first_line
            ),
        }
    }

    /// `holder` had the row's identifier `name` as an alias: a record's own identifier wins
    /// over another record's alias, so the name is this row's user's from now on.
    pub fn moved(name: &str, holder: &str) -> Self {
        AliasNote {
            action: "alias_moved",
            reason: "identifier_wins",
            detail: format!(
                "'{}' is this row's identifier and was an alias of {holder}: a record's own identifier wins over another record's alias, so that user no longer has it (R6)",
                name.trim()
            ),
        }
    }
}

/// What one import batch did ([`Store::import_batch`]): each row's outcome, in row order, and
/// the alias notes of the rows, each with the index of its row.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    pub rows: Vec<RowOutcome>,
    pub aliases: Vec<(usize, AliasNote)>,
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
#[derive(Debug, Clone, Default, Serialize)]
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
/// `run` is this run's number ([`Store::import_start`]; 0 for a dry run): a user an earlier
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
                "identifier_collision",
                format!(
                    "'{}' is already {}{from}; this row is {this}: two people, one identifier (R6)",
                    row.identifier,
                    existing.describe()
                ),
            )
        } else {
            let owner = existing
                .pool
                .as_deref()
                .map(|p| format!(" of pool {p}"))
                .unwrap_or_default();
            (
                "identifier_exists",
                format!(
                    "a {} user{owner} has this identifier (R6)",
                    existing.origin.as_str()
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
        ("duplicate_in_file", format!("{what} line {line} (R6)"))
    } else if existing.key != row.key {
        if existing.origin == Origin::Shadow {
            // A shadow copy follows its source at login (R7): an import never edits it.
            let owner = existing.pool.as_deref().unwrap_or("?");
            return RowOutcome::Skipped {
                reason: "shadow_user",
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
            reason: "shadow_user",
            detail: format!("a shadow copy kept by pool {owner}: not merged (R7)"),
        };
    } else if existing.import_line.is_some() {
        (
            "imported_before",
            "imported into this pool before, from another file (R17)".to_owned(),
        )
    } else if existing.origin == Origin::Migrated {
        (
            "already_migrated",
            "the user was migrated by a login already (R17)".to_owned(),
        )
    } else {
        (
            "identifier_exists",
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

/// The import's settings.
pub struct Options<'a> {
    pub pool: &'a Pool,
    /// The export, opened once (a file, a FIFO or stdin): see [`input`].
    pub input: export::Input,
    /// Its format, as [`input`] resolved it.
    pub format: ExportFormat,
    pub hash_config: Option<&'a Path>,
    pub on_conflict: OnConflict,
    /// Rows per transaction.
    pub batch: usize,
    pub dry_run: bool,
    /// When set (by a Ctrl-C handler), the import commits the rows it holds, stops and
    /// returns a summary marked `interrupted`; running it again continues (resume).
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
    /// The pool's import lock ([`Store::import_lock`]), when the caller took it before
    /// opening anything (a refused second run then reads no byte of its input); `None`: the
    /// import takes it itself. A dry run writes nothing and needs none.
    pub lock: Option<crate::store::ImportLock>,
}

/// How far an import has read, for a progress display.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Records read (including unreadable ones).
    pub rows: u64,
    /// About how many bytes of the file those records span (their text plus a separator):
    /// compared with the file size it gives a percentage.
    pub bytes: u64,
}

/// Rows per message from the reading thread to the writing one.
const CHUNK_ROWS: usize = 256;
/// Chunks the queue holds at most, whatever `--batch` (memory: about 16,000 rows).
const MAX_QUEUE_CHUNKS: usize = 64;

/// Rows gathered by the writer for its next transaction, and the reports that arrived among
/// them (each with the number of rows before it), so output keeps file order.
#[derive(Default)]
struct Pending {
    rows: Vec<ImportRow>,
    raws: Vec<Option<String>>,
    held: Vec<(usize, Report)>,
}

impl Pending {
    /// Splits off what lies past the first `n` rows (the next transaction's share), with
    /// the reports that arrived after row `n`, so each transaction holds exactly `--batch`
    /// rows whatever the reader's chunk size.
    fn split_off(&mut self, n: usize) -> Pending {
        let rows = self.rows.split_off(n);
        let raws = self.raws.split_off(n);
        let (held, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|(at, _)| *at <= n);
        self.held = held;
        Pending {
            rows,
            raws,
            held: later.into_iter().map(|(at, r)| (at - n, r)).collect(),
        }
    }
}

impl Summary {
    fn note(&mut self, r: Report, report: &mut dyn FnMut(Report)) {
        *self.by_reason.entry(r.reason.to_owned()).or_default() += 1;
        match r.action {
            "skipped" => self.skipped += 1,
            "merged" => self.merged += 1,
            _ => self.rejected += 1,
        }
        report(r);
    }
}

/// What the reading thread hands to the writing thread, in file order.
enum Item {
    Rows(Vec<ImportRow>, Vec<Option<String>>),
    Report(Report),
    /// Records read so far (progress).
    Read(Progress),
}

/// The export an import reads, opened once, and its format: `file` (`-` for stdin) or the
/// pool's export file; `format`, the pool's, or detected from the first bytes of the same
/// stream, which the import then reads again from memory (a pipe or FIFO is read once).
///
/// Errors: [`Error::NotFound`] when the file does not exist (exit 3, as a missing pool or
/// user); [`Error::Invalid`] naming `--file` (none, a directory, unreadable) or `--format`
/// (undetectable).
pub fn input(
    pool: &Pool,
    file: Option<&Path>,
    format: Option<ExportFormat>,
) -> Result<(export::Input, ExportFormat)> {
    let (pool_file, pool_format) = match &pool.settings {
        SourceSettings::Export { file, format, .. } => (Some(file.as_str()), *format),
        _ => (None, None),
    };
    let given = file.is_some();
    let file = match (file, pool_file) {
        (Some(f), _) => f.to_path_buf(),
        (None, Some(f)) => f.into(),
        (None, None) => {
            return Err(Error::invalid(
                "--file",
                format!("pool '{}' has no export file to import from", pool.name),
            )
            .with_hint("pass the export with --file"));
        }
    };
    let stdin = file == Path::new("-");
    if !stdin && !file.exists() {
        return Err(Error::NotFound {
            what: format!("export file {}", file.display()),
            hint: Some(if given {
                "check the path given to --file".into()
            } else {
                format!(
                    "it is pool '{}''s file: pass the export with --file, or point the pool at it with `pools configure {} --file PATH`",
                    pool.name, pool.name
                )
            }),
        });
    }
    if !stdin && file.is_dir() {
        return Err(
            Error::invalid("--file", format!("{}: a directory", file.display()))
                .with_hint("pass the export file to read"),
        );
    }
    let mut input = export::Input::open(&file).map_err(|e| Error::invalid("--file", e))?;
    let format = match format.or(pool_format) {
        Some(f) => f,
        None => input.detect().map_err(|e| match e {
            export::ExportError::Io { .. }
            | export::ExportError::Empty { .. }
            | export::ExportError::WrongEncoding { .. } => Error::invalid("--file", e),
            _ => Error::invalid("--format", e),
        })?,
    };
    Ok((input, format))
}

/// Streams the file into the store. `progress` gets the number of records read so far;
/// `report` every row that was skipped, merged or rejected, in file order.
///
/// Two threads: one reads and prepares records (parsing, hash and tenant checks), the other
/// writes one transaction per `batch` rows, so on two cores parsing and SQLite overlap; a
/// bounded queue of small chunks keeps memory flat whatever the file size (`batch` rows and
/// up to two more batches, at most 16,000 rows, in flight).
///
/// Errors: [`Error::Invalid`] when the file cannot be read at all or the pool's settings
/// don't allow an import; store failures. Rows already committed stay (resumable).
pub fn run(
    store: &mut dyn Store,
    opts: Options<'_>,
    progress: &mut dyn FnMut(Progress),
    report: &mut dyn FnMut(Report),
) -> std::result::Result<Summary, Stopped> {
    let started = std::time::Instant::now();
    let mut summary = Summary {
        format: opts.format.name().to_owned(),
        dry_run: opts.dry_run,
        ..Summary::default()
    };
    let result = import_into(store, opts, progress, report, &mut summary);
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(()) => Ok(summary),
        Err(error) => {
            // The rows of the batch that failed were rolled back and reported nothing: read
            // counts the rows whose outcome is known (committed, skipped or rejected).
            summary.read = summary.imported
                + summary.already_imported
                + summary.skipped
                + summary.merged
                + summary.renamed
                + summary.rejected;
            Err(Stopped {
                error,
                committed: summary.committed_batches > 0,
                summary: Box::new(summary),
            })
        }
    }
}

/// An import that stopped on an error, with the figures of what it did before: the batches
/// it committed stay committed (a store that filled up part-way, a file unreadable from
/// some row on), and running it again continues.
pub type Stopped = crate::error::Stopped<Summary>;

/// [`run`], counting into `summary` as it goes, so that an error leaves the figures of what
/// was committed before it.
fn import_into(
    store: &mut dyn Store,
    opts: Options<'_>,
    progress: &mut dyn FnMut(Progress),
    report: &mut dyn FnMut(Report),
    summary: &mut Summary,
) -> Result<()> {
    let Options {
        pool,
        input: export_input,
        format,
        hash_config: hash_config_path,
        on_conflict,
        batch,
        dry_run,
        cancel,
        lock,
    } = opts;
    let pool_name = pool.name.to_string();
    // Held until the run has settled its rows: one import at a time per pool (R6, R12, R17).
    let _lock = match lock {
        Some(l) => Some(l),
        None if !dry_run => Some(store.import_lock(&pool_name)?),
        None => None,
    };
    let pool_hash_config = match &pool.settings {
        SourceSettings::Export { hash_config, .. } => hash_config.as_deref(),
        _ => None,
    };
    let hash_config = match hash_config_path.or(pool_hash_config.map(Path::new)) {
        Some(p) => Some(credential::load_hash_config(p)?),
        None => None,
    };
    // Asked for at the first record that has a Firebase scrypt hash, not up front: an
    // export of users without passwords (phone-only, anonymous) needs no parameters, and an
    // empty one is reported as empty.
    // The line of that record, 0 while none was met.
    let missing_config = std::sync::atomic::AtomicU64::new(0);
    let missing_config = &missing_config;
    if pool.pool_type() == crate::pool::PoolType::Idp {
        return Err(Error::invalid("R2", format!("pool '{pool_name}' is an idp pool: its users sign in at the IdP and are never migrated"))
            .with_hint("import into an external pool"));
    }
    let source = source_key(&export_input)?;
    let batch_size = batch.max(1);
    let run = if dry_run {
        0
    } else {
        // Runs a killed import left unsettled (their rows have no source-ID key yet) are
        // settled first, so this run's rename detection sees them (R17).
        store.import_settle(&pool_name, &source, 0, opts.on_conflict)?;
        store.import_start(&pool_name, &source)?
    };

    let mut seen = DrySeen::default(); // dry run only
    // The reader sends small chunks; the writer gathers `batch` rows per transaction. At most
    // about 3 × `batch` rows are held at once (16,000 + `batch` for large batches), whatever
    // the file size.
    let chunk = batch_size.clamp(1, CHUNK_ROWS);
    // The queue holds two transactions' worth (up to 64 chunks), so the reader keeps
    // preparing rows while the writer commits (commit times vary with the checkpoints).
    let depth = (2 * batch_size.div_ceil(chunk)).min(MAX_QUEUE_CHUNKS) + 4;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Item>(depth);
    let (spent_tx, spent_rx) = std::sync::mpsc::channel::<(Vec<ImportRow>, Vec<Option<String>>)>();
    let scoped = std::thread::scope(
        |scope| -> Result<std::result::Result<export::ReadSummary, export::ExportError>> {
            let reader = scope.spawn(move || {
                let mut rows = Vec::with_capacity(chunk);
                let mut raws = Vec::with_capacity(chunk);
                let (mut read, mut bytes, mut chunks) = (0u64, 0u64, 0u64);
                let mut closed = false;
                let mut claims = AliasClaims::default();
                let send = |item: Item, closed: &mut bool| {
                    if tx.send(item).is_err() {
                        *closed = true; // the writer stopped on an error
                    }
                };
                let result = export::read_input(export_input, Some(format), |item| {
                    while let Ok(spent) = spent_rx.try_recv() {
                        drop(spent);
                    }
                    read += 1;
                    // The records' own text plus a separator: close to the file offset.
                    bytes += 1 + match &item {
                        Ok(rec) => rec.raw.len(),
                        Err(e) => e.raw().map_or(0, <[u8]>::len),
                    } as u64;
                    // Before `prepare`: a record it rejects holds its names all the same.
                    let shared = match &item {
                        Ok(rec) => claims.claim(rec),
                        Err(_) => Vec::new(),
                    };
                    match item {
                        Err(e) => {
                            let r = Report {
                                line: e.line().unwrap_or(0),
                                identifier: None,
                                action: "rejected",
                                reason: e.reason(),
                                detail: e.to_string(),
                                raw: e.raw().map(<[u8]>::to_vec),
                            };
                            if !rows.is_empty() {
                                let rows = std::mem::take(&mut rows);
                                send(Item::Rows(rows, std::mem::take(&mut raws)), &mut closed);
                            }
                            send(Item::Report(r), &mut closed);
                        }
                        Ok(rec)
                            if hash_config.is_none()
                                && matches!(
                                    rec.credential,
                                    crate::export::RawCredential::FirebaseScrypt { .. }
                                ) =>
                        {
                            missing_config
                                .store(rec.line.max(1), std::sync::atomic::Ordering::Relaxed);
                            closed = true;
                        }
                        Ok(rec) => match prepare(rec, format, pool, hash_config.as_ref()) {
                            Ok((mut row, raw)) => {
                                row.shared_aliases = shared;
                                rows.push(row);
                                raws.push(Some(raw));
                            }
                            Err(r) => {
                                if !rows.is_empty() {
                                    let rows = std::mem::take(&mut rows);
                                    send(Item::Rows(rows, std::mem::take(&mut raws)), &mut closed);
                                }
                                send(Item::Report(r), &mut closed);
                            }
                        },
                    }
                    if rows.len() >= chunk {
                        let full = std::mem::replace(&mut rows, Vec::with_capacity(chunk));
                        let full_raws = std::mem::replace(&mut raws, Vec::with_capacity(chunk));
                        send(Item::Rows(full, full_raws), &mut closed);
                        chunks += 1;
                        // Progress now and then: each message wakes the writer.
                        if chunks % 32 == 0 {
                            send(Item::Read(Progress { rows: read, bytes }), &mut closed);
                        }
                    }
                    if closed {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                });
                if !rows.is_empty() {
                    send(Item::Rows(rows, raws), &mut closed);
                }
                send(Item::Read(Progress { rows: read, bytes }), &mut closed);
                result
            });
            let mut pending = Pending::default();
            let mut flush = |pending: &mut Pending,
                             summary: &mut Summary,
                             report: &mut dyn FnMut(Report)|
             -> Result<()> {
                let Pending { rows, raws, held } = std::mem::take(pending);
                let batch = if dry_run {
                    // One read transaction per batch, not one per lookup (issue 8, F21).
                    let mut batch = BatchOutcome::default();
                    let store: &dyn Store = store;
                    store.read_snapshot(&mut || {
                        for (i, r) in rows.iter().enumerate() {
                            let (outcome, notes) =
                                dry_outcome(store, &mut seen, r, &pool_name, &source, on_conflict)?;
                            batch.rows.push(outcome);
                            batch.aliases.extend(notes.into_iter().map(|n| (i, n)));
                        }
                        Ok(())
                    })?;
                    batch
                } else {
                    let outcomes =
                        store.import_batch(&pool_name, &source, run, &rows, on_conflict)?;
                    summary.committed_batches += 1;
                    outcomes
                };
                let mut held = held.into_iter().peekable();
                let mut alias_notes = batch.aliases.into_iter().peekable();
                for (i, ((row, raw), outcome)) in rows.iter().zip(&raws).zip(batch.rows).enumerate()
                {
                    while let Some((_, r)) = held.next_if(|(at, _)| *at <= i) {
                        summary.note(r, report);
                    }
                    let mk = |action, reason, detail| Report {
                        line: row.line,
                        identifier: Some(row.identifier.clone()),
                        action,
                        reason,
                        detail,
                        raw: raw.clone().map(String::into_bytes),
                    };
                    match outcome {
                        RowOutcome::Imported => summary.imported += 1,
                        RowOutcome::AlreadyImported => summary.already_imported += 1,
                        RowOutcome::Skipped { reason, detail } => {
                            summary.note(mk("skipped", reason, detail), report)
                        }
                        // One wording, one count: the action is `merged`, the reason why.
                        RowOutcome::Merged { reason, detail } => {
                            summary.note(mk("merged", reason, detail), report)
                        }
                        // Reported, but it landed: no reason count, no reject-file line.
                        RowOutcome::Renamed { detail } => {
                            summary.renamed += 1;
                            report(Report {
                                raw: None,
                                ..mk("renamed", "renamed", detail)
                            });
                        }
                        RowOutcome::Rejected { reason, detail } => {
                            summary.note(mk("rejected", reason, detail), report)
                        }
                    }
                    // The row landed; a name it lists is reported, never dropped silently (R6).
                    while let Some((_, n)) = alias_notes.next_if(|(at, _)| *at == i) {
                        summary.aliases_skipped += 1;
                        report(Report {
                            raw: None,
                            ..mk(n.action, n.reason, n.detail)
                        });
                    }
                }
                for (_, r) in held {
                    summary.note(r, report);
                }
                // Freed where they were allocated: glibc's malloc locks an arena for a free
                // from another thread, which stalled the reader.
                let _ = spent_tx.send((rows, raws));
                Ok(())
            };
            let cancelled = || cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed));
            // Records that reached the writer: on Ctrl-C those read past them were never
            // looked at, so `read` counts only these (never fewer than were imported).
            let mut handled = 0u64;
            for item in rx {
                if cancelled() {
                    // Leaving the loop drops the queue: the reader stops at its next send.
                    if !pending.rows.is_empty() || !pending.held.is_empty() {
                        flush(&mut pending, summary, report)?;
                    }
                    summary.interrupted = true;
                    break;
                }
                match item {
                    // Reports keep their place in file order among the rows around them.
                    Item::Report(r) if pending.rows.is_empty() => {
                        handled += 1;
                        summary.note(r, report)
                    }
                    Item::Report(r) => {
                        handled += 1;
                        pending.held.push((pending.rows.len(), r))
                    }
                    Item::Read(p) => progress(p),
                    Item::Rows(rows, raws) => {
                        handled += rows.len() as u64;
                        pending.rows.extend(rows);
                        pending.raws.extend(raws);
                        while pending.rows.len() >= batch_size {
                            let next = pending.split_off(batch_size);
                            flush(&mut pending, summary, report)?;
                            pending = next;
                        }
                    }
                }
            }
            if !pending.rows.is_empty() || !pending.held.is_empty() {
                flush(&mut pending, summary, report)?;
            }
            summary.read = handled;
            // An error above drops the receiver; the reader then stops at its next send.
            Ok(reader
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)))
        },
    );
    // The rows this run committed get their source-ID keys, also when the file failed
    // part-way; a store error leaves the run unsettled for the next import.
    let settled = match (&scoped, opts.dry_run) {
        (Ok(_), false) => Some(store.import_settle(&pool_name, &source, run, opts.on_conflict)),
        _ => None,
    };
    let finished = store.import_finished();
    let read_result = scoped?;
    for (dup, first) in settled.transpose()?.unwrap_or_default() {
        summary.imported = summary.imported.saturating_sub(1);
        summary.note(
            settled_report(&dup, &first, &pool_name, &source, run, opts.on_conflict),
            report,
        );
    }
    finished?;
    let config_line = missing_config.load(std::sync::atomic::Ordering::Relaxed);
    if config_line > 0 {
        let before = if summary.imported > 0 {
            format!(
                "; the {} rows before it (without a hash) were imported",
                summary.imported
            )
        } else {
            String::new()
        };
        return Err(Error::invalid(
            "--hash-config",
            format!(
                "the record at line {config_line} has a Firebase scrypt hash: reading it needs the project's password-hash parameters{before}"
            ),
        )
        .with_hint(
            "pass --hash-config FILE (console > Authentication > Users > Password hash parameters), or set it on the pool with `pools configure NAME --hash-config FILE`",
        ));
    }
    read_result.map_err(|e| {
        // Content that holds no record (a header alone, an empty users array) is no success.
        if let export::ExportError::NoRecords { .. } = e {
            return Error::invalid("--file", e).with_hint(
                "nothing was written; an export job that stopped early leaves such a file: export again, or pass the right file",
            );
        }
        let hint = if summary.read > 0 {
            "rows before the error were imported; fix the file and run the same command again to continue"
        } else {
            "nothing was imported; fix the file and run the same command again"
        };
        Error::invalid("--file", e).with_hint(hint)
    })?;
    Ok(())
}

/// The report of a row of this run that [`Store::import_settle`] found to be a second user of
/// one source user and removed: reported as a duplicate met while writing would be (R6, R17),
/// after the rows of the last batch, without the record (no reject-file line).
fn settled_report(
    dup: &User,
    first: &User,
    pool: &str,
    source: &str,
    run: u64,
    policy: OnConflict,
) -> Report {
    let x = dup.external_id.as_deref().unwrap_or("?");
    let this_run = first.pool.as_deref() == Some(pool)
        && first.import_source.as_deref() == Some(source)
        && first.import_run == Some(run);
    let (reason, detail) = match first.import_line {
        Some(line) if this_run => (
            "duplicate_in_file",
            format!(
                "same source user {x} as line {line}, '{}' (R6)",
                first.identifier
            ),
        ),
        _ => (
            "duplicate_source_id",
            format!("source user {x} is already {} (R17)", first.describe()),
        ),
    };
    let (action, reason, detail) = match policy {
        OnConflict::Skip => ("skipped", reason, format!("{detail}; not imported")),
        OnConflict::Fail => ("rejected", reason, format!("{detail}; not imported")),
        OnConflict::Merge => ("merged", reason, detail),
    };
    Report {
        line: dup.import_line.unwrap_or(0),
        identifier: Some(dup.identifier.clone()),
        action,
        reason,
        detail,
        raw: None,
    }
}

/// What a dry run has read so far, since it writes nothing the store could tell: each
/// identifier and alias key, and each source user ID, with the record that brought it.
#[derive(Default)]
struct DrySeen {
    keys: HashMap<String, DryName>,
    external_ids: HashMap<String, u64>,
    /// Shared aliases already taken from their holder (the import would have deleted them).
    released: std::collections::HashSet<String>,
}

/// A name that a row of the dry run holds, as the import would have written it.
struct DryName {
    line: u64,
    external_id: Option<String>,
    /// An alias of that row, not its identifier.
    alias: bool,
}

impl DryName {
    /// Whether `row` may be the source user of the row that brought this name: without
    /// source user IDs to tell them apart, a name is one user.
    fn same_source(&self, row: &ImportRow) -> bool {
        match (&self.external_id, &row.external_id) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    fn describe(&self) -> String {
        match &self.external_id {
            Some(x) => format!("the row at line {} (source user {x})", self.line),
            None => format!("the row at line {}", self.line),
        }
    }
}

/// Whether `holder`, met through `row`'s identifier as one of its aliases, gives that alias up
/// to the row (R6): in one pool, a record's own identifier wins over another record's alias,
/// as the login engine's export source decides, so an import reaches the same store whatever
/// the row order. Only a migrated user of the same pool who is another source user yields: a
/// native user, another pool's or a shadow copy keeps its names (the row is then a collision).
pub fn yields_alias(holder: &User, row: &ImportRow, pool: &str) -> bool {
    holder.key != row.key
        && holder.origin == Origin::Migrated
        && holder.pool.as_deref() == Some(pool)
        && !holder.is_source_user(pool, row.external_id.as_deref(), &row.key)
}

fn dry_outcome(
    store: &dyn Store,
    seen: &mut DrySeen,
    row: &ImportRow,
    pool: &str,
    source: &str,
    policy: OnConflict,
) -> Result<(RowOutcome, Vec<AliasNote>)> {
    // An earlier row's alias that is this row's identifier moves to this row (R6).
    let (by_name, mut moved) = match seen.keys.get(&row.key) {
        Some(n) if n.alias && !n.same_source(row) => (None, Some(n.describe())),
        other => (other, None),
    };
    let earlier = match by_name {
        Some(n) => Some(if n.same_source(row) {
            (
                "duplicate_in_file",
                format!("same identifier as line {} (R6)", n.line),
            )
        } else {
            let theirs = n.external_id.as_deref().unwrap_or("?");
            let this = row.external_id.as_deref().unwrap_or("?");
            (
                "identifier_collision",
                format!(
                    "'{}' is already a name of line {} (source user {theirs}); this row is source user {this}: two people, one identifier (R6)",
                    row.identifier, n.line
                ),
            )
        }),
        None => row
            .external_id
            .as_ref()
            .and_then(|x| seen.external_ids.get(x).map(|first| (x, first)))
            .map(|(x, first)| {
                (
                    "duplicate_in_file",
                    format!("same source user {x} as line {first} (R6)"),
                )
            }),
    };
    if let Some((reason, detail)) = earlier {
        let outcome = match policy {
            OnConflict::Skip => RowOutcome::Skipped { reason, detail },
            OnConflict::Fail => RowOutcome::Rejected { reason, detail },
            OnConflict::Merge if reason == "duplicate_in_file" => {
                RowOutcome::Merged { reason, detail }
            }
            OnConflict::Merge => RowOutcome::Rejected {
                reason,
                detail: format!("{detail}; not merged: another person"),
            },
        };
        return Ok((outcome, Vec::new()));
    }
    let by_source = |store: &dyn Store| match &row.external_id {
        Some(x) => store.user_by_source_id(pool, x),
        None => Ok(None),
    };
    let existing = match store.user_by_key(&row.key)? {
        Some(u) if !yields_alias(&u, row, pool) => Some(u),
        Some(u) => {
            moved.get_or_insert_with(|| u.describe());
            by_source(store)?
        }
        None => by_source(store)?,
    };
    let outcome = match &existing {
        Some(u) => classify(u, row, pool, source, 0, policy),
        None => RowOutcome::Imported,
    };
    // As the import would write it: a user this file wrote before is marked met by this
    // run (its next record is a duplicate); a row that lands or renames holds its names
    // from now on, but not an alias another user holds (reported).
    let met = existing.as_ref().is_some_and(|u| {
        u.pool.as_deref() == Some(pool) && u.import_source.as_deref() == Some(source)
    });
    let lands = matches!(outcome, RowOutcome::Imported | RowOutcome::Renamed { .. });
    let mut notes = Vec::new();
    if met || lands {
        seen.keys.insert(
            row.key.clone(),
            DryName {
                line: row.line,
                external_id: row.external_id.clone(),
                alias: false,
            },
        );
        if let Some(x) = &row.external_id {
            seen.external_ids.insert(x.clone(), row.line);
        }
    }
    // As the import's release of shared aliases: whatever the row's outcome, the user that
    // holds such a name as an alias (an earlier row, or a user of the pool in the store)
    // loses it.
    for shared in &row.shared_aliases {
        if !seen.released.insert(shared.key.clone()) {
            continue;
        }
        match seen.keys.get(&shared.key) {
            Some(n) if n.alias && n.line != row.line && !n.same_source(row) => {
                notes.push(AliasNote::taken_back(shared, &n.describe()));
                seen.keys.remove(&shared.key);
            }
            Some(_) => {}
            None => {
                if let Some(holder) = store.user_by_key(&shared.key)?
                    && holder.key != shared.key
                    && holder.origin == Origin::Migrated
                    && holder.pool.as_deref() == Some(pool)
                    && !holder.is_source_user(pool, row.external_id.as_deref(), &row.key)
                {
                    notes.push(AliasNote::taken_back(shared, &holder.describe()));
                }
            }
        }
    }
    if !lands {
        return Ok((outcome, notes));
    }
    if let Some(who) = moved {
        notes.push(AliasNote::moved(&row.identifier, &who));
    }
    let me = existing.as_ref().map(|u| u.id.as_str());
    for shared in &row.shared_aliases {
        notes.push(AliasNote::shared(shared));
    }
    for a in &row.aliases {
        let k = identifier::key(a);
        if k.is_empty() || k == row.key || row.shared_aliases.iter().any(|s| s.key == k) {
            continue;
        }
        if let Some(other) = store.user_by_key(&k)?
            && Some(other.id.as_str()) != me
        {
            notes.push(AliasNote::taken(a, other.key == k, &other.describe()));
            continue;
        }
        match seen.keys.get(&k) {
            Some(n) if n.line != row.line => {
                notes.push(AliasNote::taken(a, !n.alias, &n.describe()));
            }
            Some(_) => {}
            None => {
                seen.keys.insert(
                    k,
                    DryName {
                        line: row.line,
                        external_id: row.external_id.clone(),
                        alias: true,
                    },
                );
            }
        }
    }
    Ok((outcome, notes))
}

/// The identity of an export file, so a run recognises the rows an earlier run of the same
/// import wrote (same pool, file and line): its path with symbolic links and `..` resolved.
/// Not its size or mtime: fixing a rejected row in place, then running again, must find the
/// other rows imported. (An export replaced at the same path is the same import too: give a
/// new export a new name.) A stream (stdin, a pipe, a FIFO) has no identity: each run is an
/// import of its own, whose rows a later run meets as imported before.
fn source_key(input: &export::Input) -> Result<String> {
    let file = input.path();
    if input.is_stream() {
        return Ok(format!(
            "stream {} {}",
            file.display(),
            uuid::Uuid::new_v4().simple()
        ));
    }
    std::fs::metadata(file)
        .map_err(|e| Error::invalid("--file", format!("{}: {e}", file.display())))?;
    let path = std::fs::canonicalize(file)
        .or_else(|_| std::path::absolute(file))
        .unwrap_or_else(|_| file.to_path_buf());
    Ok(path.display().to_string())
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
        identifier::check_source_id(x)?;
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
fn prepare(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
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
        let entries = crate::config::parse_document(&doc, "t.yaml", dir.path()).unwrap();
        let pool = &entries[0].pool;
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        store.create_pool(pool, None).unwrap();
        let cancel = AtomicBool::new(false);
        let (input, format) = input(pool, Some(&file), None).unwrap();
        let summary = run(
            &mut store,
            Options {
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
        assert_eq!(summary.imported, 32 * CHUNK_ROWS as u64);
        assert_eq!(summary.committed_batches, 1);
        let mut stored = 0u64;
        store
            .for_each_user(&crate::user::UserFilter::default(), &mut |_| {
                stored += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            stored, summary.imported,
            "the summary counts what is committed"
        );
    }
}
