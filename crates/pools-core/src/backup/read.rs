//! Reading a backup back: the format told from the content (a JSON object per line, or the
//! CSV header `users export` writes), then one record at a time with flat memory, each
//! checked against the limits every entry path applies ([`crate::limits`]) before it is
//! handed on.

use super::restore::Report;
use super::{BackupHash, BackupUser};
use crate::error::{Error, Result};
use crate::export::Input;
use crate::limits::{self, MAX_DISCARD_BYTES, MAX_RECORD_BYTES};
use crate::secret::Secret;
use crate::user::{Origin, User};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The two formats `users export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per line.
    Ndjson,
    /// A header naming [`CSV_COLUMNS`], then one row per user.
    Csv,
}

impl Format {
    /// `ndjson` or `csv`, as `--format` names them.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
        }
    }
}

/// The records of a backup, read one at a time ([`Rows::next_row`]).
pub struct Rows {
    path: PathBuf,
    format: Format,
    inner: Inner,
}

enum Inner {
    Ndjson {
        reader: BufReader<Box<dyn Read + Send>>,
        buf: Vec<u8>,
        line: u64,
        /// File offset of the next line's first byte.
        offset: u64,
        /// The [`super::NDJSON_NO_USERS`] line was read.
        no_users: bool,
        /// A line that is a record (readable or not) was read.
        had_record: bool,
    },
    Csv(Box<super::csv_rows::CsvRows>),
}

/// Opens a backup: refuses an input with nothing in it, tells NDJSON (the first character is
/// `{`) from CSV, and reads and checks a CSV header.
///
/// Errors: [`Error::Invalid`] on `--file`: empty, unreadable, another kind of file (a JSON
/// array, a CSV without the columns of a backup), or a CSV header with unknown, repeated or
/// missing columns.
pub fn open(mut input: Input) -> Result<Rows> {
    let path = input.path().to_path_buf();
    let file = |e: crate::export::ExportError| Error::invalid("--file", e);
    input.refuse_empty().map_err(|e| match e {
        crate::export::ExportError::Empty { .. } => Error::invalid("--file", e).with_hint(format!(
            "a backup of no users is not empty: `pools users export` writes the line {} (NDJSON) or the CSV header; an empty file is an export that did not run or whose output was lost",
            super::NDJSON_NO_USERS
        )),
        other => file(other),
    })?;
    let first = input.first_content_byte().map_err(file)?;
    let bom = input.bom_len().map_err(file)?;
    let source: Box<dyn Read + Send> = Box::new(input.into_source().map_err(file)?);
    match first {
        Some(b'{') => Ok(Rows {
            path,
            format: Format::Ndjson,
            inner: Inner::Ndjson {
                reader: BufReader::with_capacity(64 * 1024, source),
                buf: Vec::with_capacity(4096),
                line: 0,
                offset: bom,
                no_users: false,
                had_record: false,
            },
        }),
        Some(b'[') => Err(not_a_backup(&path, "it is a JSON array")),
        Some(_) => {
            let rows = super::csv_rows::CsvRows::open(&path, source, bom)?;
            Ok(Rows {
                path,
                format: Format::Csv,
                inner: Inner::Csv(Box::new(rows)),
            })
        }
        None => Err(Error::invalid(
            "--file",
            format!(
                "{}: nothing but whitespace in its first {} MiB",
                path.display(),
                MAX_RECORD_BYTES >> 20
            ),
        )),
    }
}

pub(super) fn not_a_backup(path: &Path, why: &str) -> Error {
    Error::invalid(
        "--file",
        format!(
            "{}: not a backup written by `pools users export`: {why}",
            path.display()
        ),
    )
    .with_hint("restore reads what `pools users export` writes (NDJSON or CSV); to import another provider's export, use `pools users import`")
}

impl Rows {
    /// `ndjson` or `csv`, as told from the content.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the backup says it may hold no user: a CSV backup (its header is that of
    /// `users export`, which writes it also when it exports no user), or NDJSON with the
    /// [`super::NDJSON_NO_USERS`] line, once read. A backup of nothing restores as nothing.
    pub fn may_hold_no_users(&self) -> bool {
        match &self.inner {
            Inner::Ndjson { no_users, .. } => *no_users,
            Inner::Csv(_) => true,
        }
    }

    /// The next record: a checked user, or the report of why it cannot be restored (with its
    /// line); `None` at the end.
    ///
    /// Errors: [`Error::Invalid`] on `--file` when nothing more can be read: an I/O error, or
    /// a CSV row longer than [`MAX_RECORD_BYTES`] (its end cannot be found without holding it).
    pub fn next_row(&mut self) -> Result<Option<std::result::Result<BackupUser, Report>>> {
        let path = self.path.clone();
        match &mut self.inner {
            Inner::Ndjson {
                reader,
                buf,
                line,
                offset,
                no_users,
                had_record,
            } => next_ndjson(&path, reader, buf, line, offset, (no_users, had_record)),
            Inner::Csv(rows) => rows.next(&path),
        }
    }
}

pub(super) fn read_error(path: &Path, line: u64, e: impl std::fmt::Display) -> Error {
    Error::invalid("--file", format!("{}:{line}: {e}", path.display()))
}

pub(super) fn refused(
    line: u64,
    identifier: Option<&str>,
    reason: &'static str,
    detail: String,
) -> Report {
    Report {
        line,
        identifier: identifier.map(str::to_owned),
        reason,
        detail,
    }
}

fn next_ndjson(
    path: &Path,
    reader: &mut BufReader<Box<dyn Read + Send>>,
    buf: &mut Vec<u8>,
    line: &mut u64,
    offset: &mut u64,
    (no_users, had_record): (&mut bool, &mut bool),
) -> Result<Option<std::result::Result<BackupUser, Report>>> {
    let max = MAX_RECORD_BYTES as u64;
    loop {
        buf.clear();
        let n = reader
            .by_ref()
            .take(max + 1)
            .read_until(b'\n', buf)
            .map_err(|e| read_error(path, *line + 1, e))?;
        if n == 0 {
            return Ok(None);
        }
        *line += 1;
        let start = *offset;
        *offset += n as u64;
        let mut bytes = buf.as_slice();
        match bytes.strip_suffix(b"\n") {
            Some(rest) => bytes = rest,
            None if n as u64 > max => {
                // Skipped, never held: one huge line must not exhaust memory; nor read to
                // the end of an input that has none (`/dev/zero`).
                let rest = MAX_DISCARD_BYTES - n as u64;
                match crate::export::skip_line(reader, rest)
                    .map_err(|e| read_error(path, *line, e))?
                {
                    Some(dropped) => *offset += dropped,
                    None => return Err(endless_line(path, *line, start)),
                }
                return Ok(Some(Err(refused(
                    *line,
                    None,
                    "too_large",
                    format!("the line is longer than {} MiB", max >> 20),
                ))));
            }
            None => {}
        }
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(Some(Err(refused(
                *line,
                None,
                "unreadable",
                "the line is not UTF-8".into(),
            ))));
        };
        if is_no_users_line(text) {
            // Not a record: the mark of a backup of nothing, which holds no record either.
            if *had_record {
                return Err(contradiction(path, *line));
            }
            *no_users = true;
            continue;
        }
        if *no_users {
            return Err(contradiction(path, *line));
        }
        *had_record = true;
        return Ok(Some(ndjson_record(*line, text)));
    }
}

/// A backup that says it holds no users and holds a record: two files joined, or an edit;
/// which part is the backup cannot be told, so the restore stops there.
fn contradiction(path: &Path, line: u64) -> Error {
    Error::invalid(
        "--file",
        format!(
            "{}:{line}: the backup both marks itself as holding no users ({}) and holds user records",
            path.display(),
            super::NDJSON_NO_USERS
        ),
    )
    .with_hint("pass one backup as `pools users export` wrote it: the mark of no users is its only line")
}

/// Whether `text` is the [`super::NDJSON_NO_USERS`] line (however spaced).
fn is_no_users_line(text: &str) -> bool {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NoUsers {
        backup: String,
        users: u64,
    }
    // A user record has no `backup` member (its fields are fixed): most lines stop here.
    text.contains("\"backup\"")
        && serde_json::from_str::<NoUsers>(text)
            .is_ok_and(|m| m.backup == "pools users export" && m.users == 0)
}

/// The error that stops a restore at a line without an end within [`MAX_DISCARD_BYTES`].
fn endless_line(path: &Path, line: u64, start: u64) -> Error {
    read_error(
        path,
        line,
        format!(
            "the line that starts at byte {start} has no line end within {} MiB, and a record is at most {} MiB",
            MAX_DISCARD_BYTES >> 20,
            MAX_RECORD_BYTES >> 20
        ),
    )
    .with_hint("this is no backup written by `pools users export` (one JSON object per line): pass the backup itself; records before that line were restored")
}

/// Reads `Some(value)` for a field that is present, also when it is `null`: a backup with
/// hashes writes `"password_hash": null` for a user without one.
fn present<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// One record as the backup holds it, before it is checked.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "one user as `pools users export` writes it: a JSON object of its fields"
)]
pub(super) struct Fields {
    pub(super) id: String,
    pub(super) identifier: String,
    /// Written since aliases are backed up; older backups have none.
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) origin: Origin,
    pub(super) pool: Option<String>,
    pub(super) external_id: Option<String>,
    pub(super) tenant_id: Option<String>,
    pub(super) tenant_resolution: Option<String>,
    /// Read strictly, as every document of the record: a key written twice, at any depth,
    /// is refused (a backup that says two things restores neither), as a repeated field of
    /// the record itself is.
    #[serde(deserialize_with = "crate::json::unique_object")]
    pub(super) profile: Map<String, Value>,
    #[serde(deserialize_with = "crate::json::unique_object")]
    pub(super) metadata: Map<String, Value>,
    pub(super) enabled: bool,
    /// Absent: a backup without hashes; `Some(None)`: a user without one.
    #[serde(default, deserialize_with = "present")]
    pub(super) password_hash: Option<Option<String>>,
    pub(super) created_at: String,
    pub(super) migrated_at: Option<String>,
    pub(super) last_login_at: Option<String>,
    #[serde(deserialize_with = "crate::terms::count")]
    pub(super) version: u64,
    pub(super) imported_at: Option<String>,
    #[serde(default, deserialize_with = "crate::terms::optional_count")]
    pub(super) import_line: Option<u64>,
    #[serde(default, deserialize_with = "crate::terms::optional_count")]
    pub(super) import_run: Option<u64>,
    /// Fields the export could not read from its store (it wrote them empty).
    #[serde(default)]
    pub(super) unreadable: Vec<String>,
}

fn ndjson_record(line: u64, text: &str) -> std::result::Result<BackupUser, Report> {
    // Refusals name the user whenever the line says who it is.
    let who = || identifier_of(text);
    // A parsed value has rounded a too-big integer already: the text tells what was written.
    // Profile and metadata nest as the store counts them, from their own object (what the
    // store kept, and `users export` wrote, restores).
    limits::check_record_json("record", text)
        .map_err(|r| refused(line, who().as_deref(), r.reason, r.message))?;
    let refuse = |e: &serde_json::Error, text: String| {
        let reason = match e.classify() {
            serde_json::error::Category::Data => "invalid_record",
            _ => "unreadable",
        };
        refused(line, who().as_deref(), reason, text)
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let fields: Fields = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| refuse(e.inner(), field_error(&e.path().to_string(), e.inner())))?;
    de.end().map_err(|e| refuse(&e, field_error("", &e)))?;
    checked(line, fields)
}

/// A record's error in its field's terms: `version: invalid type: string "x", expected a
/// whole number, 0 or more (column 411)`. The field comes first, as in CSV backups; the
/// record's line is the report's, so serde's `line 1` is left out.
fn field_error(path: &str, e: &serde_json::Error) -> String {
    let inner = e.to_string();
    let text = match inner.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &inner[..i], e.column()),
        None => inner,
    };
    // A syntax error is no field's; an unknown field names itself.
    match path {
        "." | "" => text,
        _ if e.classify() != serde_json::error::Category::Data => text,
        _ if text.starts_with("unknown field") => text,
        path => format!("{path}: {text}"),
    }
}

/// The `identifier` of a backup line that is refused before it is read as a record, when
/// the line is a JSON object holding one as a string (the other members are skipped
/// unparsed, however deep or large).
fn identifier_of(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Who {
        identifier: Option<String>,
    }
    serde_json::from_str::<Who>(text)
        .ok()?
        .identifier
        .filter(|i| !i.trim().is_empty() && i.len() <= limits::MAX_NAME_BYTES)
}

/// Checks a record as the store would keep it: names (R6), tenant (R4), documents and sizes
/// ([`crate::limits`]), origin and pool, times (RFC 3339), version, and a hash that parses
/// (R13); the result is the user to write.
pub(super) fn checked(line: u64, f: Fields) -> std::result::Result<BackupUser, Report> {
    let who = Some(f.identifier.as_str());
    let bad = |reason: &'static str, detail: String| refused(line, who, reason, detail);
    let key = crate::identifier::key(&f.identifier);
    // An empty identifier is `invalid_identifier`, as at import (F21).
    crate::identifier::check(&f.identifier).map_err(|r| bad(r.reason, r.message))?;
    if !f.unreadable.is_empty() {
        return Err(bad(
            "incomplete",
            format!(
                "the export could not read the user's {} from its store and wrote it empty; restoring it would lose it",
                f.unreadable.join("; ")
            ),
        ));
    }
    if f.id.trim().is_empty() || f.id.trim() != f.id {
        return Err(bad(
            "invalid_record",
            "id: empty, or with surrounding spaces".into(),
        ));
    }
    limits::check_name(&f.id).map_err(|why| bad("invalid_record", format!("id {why}")))?;
    // The store's own IDs (`usr_` and hex digits, crate::user::new_user_id): an ID is a key
    // other tools put in paths and URLs, so `../../etc` is no ID (retrial finding 18).
    let id_chars = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !f.id.starts_with("usr_") || f.id.len() > 64 || !f.id.chars().all(id_chars) {
        return Err(bad(
            "invalid_record",
            format!(
                "id {:?} is not a user ID of pools (`usr_` and up to 60 letters, digits, `_` or `-`, as `users export` writes them)",
                f.id
            ),
        ));
    }
    match (f.origin, &f.pool) {
        (Origin::Native, Some(p)) => {
            return Err(bad(
                "invalid_record",
                format!("a native user names pool {p:?}: native users have no pool"),
            ));
        }
        (Origin::Migrated | Origin::Shadow, None) => {
            return Err(bad(
                "invalid_record",
                format!("a {} user names no pool", f.origin.as_str()),
            ));
        }
        _ => {}
    }
    match &f.tenant_id {
        Some(t) => crate::tenant::check_id(t).map_err(|r| bad(r.reason, r.message))?,
        // Every pool user is placed in a tenant when it is created (R4).
        None if f.origin != Origin::Native => {
            return Err(bad(
                "invalid_record",
                format!("a {} user has no tenant_id (R4)", f.origin.as_str()),
            ));
        }
        None => {}
    }
    if let Some(c) = f
        .tenant_resolution
        .as_deref()
        .and_then(|t| t.chars().find(|c| limits::refused_char(*c)))
    {
        return Err(bad(
            "invalid_record",
            format!(
                "tenant_resolution holds a control, invisible or private-use character (U+{:04X})",
                c as u32
            ),
        ));
    }
    for (name, doc) in [("profile", &f.profile), ("metadata", &f.metadata)] {
        limits::check_document(name, doc).map_err(|r| bad(r.reason, r.message))?;
    }
    for (name, value) in [
        ("created_at", Some(&f.created_at)),
        ("migrated_at", f.migrated_at.as_ref()),
        ("last_login_at", f.last_login_at.as_ref()),
        ("imported_at", f.imported_at.as_ref()),
    ] {
        let Some(v) = value else { continue };
        match time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339) {
            Err(_) => {
                return Err(bad(
                    "invalid_record",
                    format!("{name}: {v:?} is not an RFC 3339 time"),
                ));
            }
            // A backup is of the past: a time ahead of this clock (beyond a day of skew) was
            // edited or made by a broken clock.
            Ok(t) if t > time::OffsetDateTime::now_utc() + time::Duration::days(1) => {
                return Err(bad(
                    "invalid_record",
                    format!("{name}: {v:?} is in the future"),
                ));
            }
            Ok(_) => {}
        }
    }
    if f.version == 0 {
        return Err(bad(
            "invalid_record",
            "version: missing or 0 (a stored user has version 1 or more)".into(),
        ));
    }
    let mut aliases: Vec<String> = Vec::with_capacity(f.aliases.len());
    // A blank alias is no name to keep: dropped, as before `check` refused empty names.
    for alias in f.aliases.iter().filter(|a| !a.trim().is_empty()) {
        crate::identifier::check(alias)
            .map_err(|r| bad(r.reason, format!("an alias: {}", r.message)))?;
        let k = crate::identifier::key(alias);
        if !k.is_empty() && k != key && !aliases.contains(&k) {
            aliases.push(k);
        }
    }
    let password_hash = match f.password_hash {
        None => BackupHash::NotInBackup,
        Some(None) => BackupHash::None,
        Some(Some(h)) if h.is_empty() => BackupHash::None,
        Some(Some(h)) => {
            // The error names the scheme at most, never the hash (R11).
            crate::hash::PasswordHash::parse(&h)
                .map_err(|e| bad("unusable_hash", e.to_string()))?;
            BackupHash::Hash(Secret::new(h))
        }
    };
    Ok(BackupUser {
        line,
        user: User {
            id: f.id,
            identifier: f.identifier.trim().to_owned(),
            key,
            origin: f.origin,
            pool: f.pool,
            external_id: f.external_id,
            tenant_id: f.tenant_id,
            tenant_resolution: f.tenant_resolution,
            profile: f.profile,
            metadata: f.metadata,
            enabled: f.enabled,
            password_hash: match &password_hash {
                BackupHash::Hash(h) => Some(h.clone()),
                _ => None,
            },
            created_at: f.created_at,
            migrated_at: f.migrated_at,
            last_login_at: f.last_login_at,
            version: f.version,
            imported_at: f.imported_at,
            import_line: f.import_line,
            import_source: None,
            import_run: f.import_run,
            unreadable: Vec::new(),
        },
        aliases,
        password_hash,
    })
}
