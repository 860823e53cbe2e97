//! Reading a backup back: the format told from the content (a JSON object per line, or the
//! CSV header `users export` writes), then one record at a time with flat memory, each
//! checked against the limits every entry path applies ([`crate::limits`]) before it is
//! handed on.

use super::restore::Report;
use super::{BackupHash, BackupUser};
use crate::error::{Error, Result};
use crate::export::Input;
use crate::limits::{self, MAX_RECORD_BYTES};
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
    input.refuse_empty().map_err(file)?;
    let first = input.first_content_byte().map_err(file)?;
    let source: Box<dyn Read + Send> = Box::new(input.into_source().map_err(file)?);
    match first {
        Some(b'{') => Ok(Rows {
            path,
            format: Format::Ndjson,
            inner: Inner::Ndjson {
                reader: BufReader::with_capacity(64 * 1024, source),
                buf: Vec::with_capacity(4096),
                line: 0,
            },
        }),
        Some(b'[') => Err(not_a_backup(&path, "it is a JSON array")),
        Some(_) => {
            let rows = super::csv_rows::CsvRows::open(&path, source)?;
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

    /// The next record: a checked user, or the report of why it cannot be restored (with its
    /// line); `None` at the end.
    ///
    /// Errors: [`Error::Invalid`] on `--file` when nothing more can be read: an I/O error, or
    /// a CSV row longer than [`MAX_RECORD_BYTES`] (its end cannot be found without holding it).
    pub fn next_row(&mut self) -> Result<Option<std::result::Result<BackupUser, Report>>> {
        let path = self.path.clone();
        match &mut self.inner {
            Inner::Ndjson { reader, buf, line } => next_ndjson(&path, reader, buf, line),
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
        let mut bytes = buf.as_slice();
        match bytes.strip_suffix(b"\n") {
            Some(rest) => bytes = rest,
            None if n as u64 > max => {
                // Skipped, never held: one huge line must not exhaust memory.
                reader
                    .skip_until(b'\n')
                    .map_err(|e| read_error(path, *line, e))?;
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
        return Ok(Some(ndjson_record(*line, text)));
    }
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
#[serde(deny_unknown_fields)]
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
    pub(super) profile: Map<String, Value>,
    pub(super) metadata: Map<String, Value>,
    pub(super) enabled: bool,
    /// Absent: a backup without hashes; `Some(None)`: a user without one.
    #[serde(default, deserialize_with = "present")]
    pub(super) password_hash: Option<Option<String>>,
    pub(super) created_at: String,
    pub(super) migrated_at: Option<String>,
    pub(super) last_login_at: Option<String>,
    pub(super) version: u64,
    pub(super) imported_at: Option<String>,
    pub(super) import_line: Option<u64>,
    pub(super) import_run: Option<u64>,
    /// Fields the export could not read from its store (it wrote them empty).
    #[serde(default)]
    pub(super) unreadable: Vec<String>,
}

fn ndjson_record(line: u64, text: &str) -> std::result::Result<BackupUser, Report> {
    // A parsed value has rounded a too-big integer already: the text tells what was written.
    limits::check_json("record", text).map_err(|r| refused(line, None, r.reason, r.message))?;
    let fields: Fields = serde_json::from_str(text).map_err(|e| {
        let reason = match e.classify() {
            serde_json::error::Category::Data => "invalid_record",
            _ => "unreadable",
        };
        refused(line, None, reason, e.to_string())
    })?;
    checked(line, fields)
}

/// Checks a record as the store would keep it: names (R6), tenant (R4), documents and sizes
/// ([`crate::limits`]), origin and pool, times (RFC 3339), version, and a hash that parses
/// (R13); the result is the user to write.
pub(super) fn checked(line: u64, f: Fields) -> std::result::Result<BackupUser, Report> {
    let who = Some(f.identifier.as_str());
    let bad = |reason: &'static str, detail: String| refused(line, who, reason, detail);
    let key = crate::identifier::key(&f.identifier);
    if key.is_empty() {
        return Err(bad("missing_identifier", "the identifier is empty".into()));
    }
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
    for alias in &f.aliases {
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
