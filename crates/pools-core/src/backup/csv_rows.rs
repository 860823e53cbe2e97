//! The CSV form of a backup: the header `users export` writes, then one row per user, parsed by
//! the `csv` crate. The bytes it consumes are also kept in a small window, so each row gets
//! the line it starts on (the crate's own positions are off after CRLF and blank lines), and a
//! row that grows past the record limit stops the read instead of filling memory.

use super::read::{Fields, checked, not_a_backup, read_error, refused};
use super::restore::Report;
use super::{BackupUser, CSV_COLUMNS};
use crate::error::{Error, Result};
use crate::limits::{self, MAX_RECORD_BYTES};
use crate::user::Origin;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

/// Bytes the `csv` reader has pulled, from absolute offset `base` on.
#[derive(Default)]
struct Window {
    data: Vec<u8>,
    base: u64,
    /// Absolute offset where the row being read starts.
    row_start: u64,
    /// File offset of the source's first byte (3 after a UTF-8 BOM).
    file_start: u64,
}

impl Window {
    /// The file offset of the first byte of the row being read (past the line ends before it).
    fn row_offset(&self) -> u64 {
        let from = usize::try_from(self.row_start.saturating_sub(self.base)).unwrap_or(usize::MAX);
        let row = self.data.get(from..).unwrap_or(&[]);
        let line_ends = row
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count();
        self.file_start + self.row_start + line_ends as u64
    }
}

/// Bytes read past a row's start before it is refused: the record limit and the reader's
/// read-ahead.
const MAX_ROW_WINDOW: u64 = (MAX_RECORD_BYTES + 2 * 64 * 1024) as u64;

/// Consumed window bytes kept before they are dropped (dropping them at every row would move
/// the read-ahead each time).
const WINDOW_KEEP: u64 = 256 * 1024;

/// Copies what the `csv` reader pulls into the shared [`Window`].
struct Tee {
    inner: Box<dyn Read + Send>,
    window: Rc<RefCell<Window>>,
}

impl Read for Tee {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut w = self.window.borrow_mut();
        if w.base + w.data.len() as u64 - w.row_start > MAX_ROW_WINDOW {
            return Err(std::io::Error::other(format!(
                "the row that starts here (byte {}) is longer than {} MiB (a quote that is never closed, or no backup CSV?); rows before it were read",
                w.row_offset(),
                MAX_RECORD_BYTES >> 20
            )));
        }
        let n = self.inner.read(out)?;
        w.data.extend_from_slice(&out[..n]);
        Ok(n)
    }
}

/// A CSV backup being read.
pub(super) struct CsvRows {
    reader: csv::Reader<Tee>,
    record: csv::ByteRecord,
    window: Rc<RefCell<Window>>,
    /// Index of each of [`CSV_COLUMNS`] in the header.
    columns: [Option<usize>; CSV_COLUMNS.len()],
    width: usize,
    /// Where the last record ended, and the line there.
    prev_end: u64,
    line_at_prev_end: u64,
}

impl CsvRows {
    /// Reads and checks the header: every column named once, none unknown (R1), all that
    /// `users export` writes present (`password_hash` only with hashes).
    ///
    /// Errors: [`Error::Invalid`] on `--file`.
    /// `file_start` is the file offset of the source's first byte (3 after a UTF-8 BOM).
    pub(super) fn open(path: &Path, source: Box<dyn Read + Send>, file_start: u64) -> Result<Self> {
        let window = Rc::new(RefCell::new(Window {
            file_start,
            ..Window::default()
        }));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(Tee {
                inner: source,
                window: Rc::clone(&window),
            });
        let mut rows = CsvRows {
            reader,
            record: csv::ByteRecord::new(),
            window,
            columns: [None; CSV_COLUMNS.len()],
            width: 0,
            prev_end: 0,
            line_at_prev_end: 1,
        };
        let Some(line) = rows.read_record(path)? else {
            return Err(not_a_backup(path, "it has no header"));
        };
        let mut unknown = Vec::new();
        for (i, name) in rows.record.iter().enumerate() {
            let name = String::from_utf8_lossy(name);
            let name = name.trim();
            match CSV_COLUMNS.iter().position(|c| *c == name) {
                Some(c) if rows.columns[c].is_some() => {
                    return Err(Error::invalid(
                        "--file",
                        format!("{}:{line}: column {name:?} appears twice", path.display()),
                    ));
                }
                Some(c) => rows.columns[c] = Some(i),
                None => unknown.push(format!("{name:?}")),
            }
        }
        if rows.columns[0].is_none() || rows.columns[1].is_none() {
            return Err(not_a_backup(
                path,
                "its header has no identifier and id columns",
            ));
        }
        if !unknown.is_empty() {
            return Err(Error::invalid(
                "--file",
                format!(
                    "{}:{line}: unknown column(s) {} (R1)",
                    path.display(),
                    unknown.join(", ")
                ),
            )
            .with_hint(format!("a backup's columns are {}", CSV_COLUMNS.join(","))));
        }
        let missing: Vec<&str> = CSV_COLUMNS
            .iter()
            .zip(&rows.columns)
            .filter(|(c, i)| i.is_none() && **c != "password_hash")
            .map(|(c, _)| *c)
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid(
                "--file",
                format!(
                    "{}:{line}: the header lacks {} (an export written before they were backed up)",
                    path.display(),
                    missing.join(", ")
                ),
            )
            .with_hint("export the users again with this pools (`pools users export --format csv --include-hashes`), or use its NDJSON export"));
        }
        rows.width = rows.record.len();
        Ok(rows)
    }

    /// Reads the next record into `self.record`; returns the line it starts on.
    fn read_record(&mut self, path: &Path) -> Result<Option<u64>> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| {
                read_error(path, self.line_at_prev_end, e).with_hint(
                    "rows before it were restored; fix the file and run the same command again (restored rows are then unchanged)",
                )
            })?;
        let end = self.reader.position().byte();
        let mut w = self.window.borrow_mut();
        let from = usize::try_from(self.prev_end - w.base).unwrap_or(usize::MAX);
        let to = usize::try_from(end.saturating_sub(w.base)).unwrap_or(usize::MAX);
        let segment = w.data.get(from..to).unwrap_or(&[]);
        // Line ends before the record's first byte end the previous record, or blank lines.
        let before = segment
            .iter()
            .take_while(|b| **b == b'\n' || **b == b'\r')
            .filter(|b| **b == b'\n')
            .count() as u64;
        let line = self.line_at_prev_end + before;
        self.line_at_prev_end += segment.iter().filter(|b| **b == b'\n').count() as u64;
        self.prev_end = end;
        w.row_start = end;
        if end - w.base > WINDOW_KEEP {
            let len = w.data.len();
            let drop = usize::try_from(end - w.base).map_or(len, |d| d.min(len));
            w.data.drain(..drop);
            w.base = end;
        }
        Ok(more.then_some(line))
    }

    /// The next record: a checked user or the report of why it cannot be restored; `None`
    /// at the end.
    ///
    /// Errors: [`Error::Invalid`] on `--file` when nothing more can be read.
    pub(super) fn next(
        &mut self,
        path: &Path,
    ) -> Result<Option<std::result::Result<BackupUser, Report>>> {
        let Some(line) = self.read_record(path)? else {
            return Ok(None);
        };
        if self.record.len() != self.width {
            return Ok(Some(Err(refused(
                line,
                None,
                "unreadable",
                format!(
                    "the row has {} fields, the header {}",
                    self.record.len(),
                    self.width
                ),
            ))));
        }
        let mut cells: Vec<Option<&str>> = Vec::with_capacity(CSV_COLUMNS.len());
        for (name, at) in CSV_COLUMNS.iter().zip(&self.columns) {
            match at.map(|i| std::str::from_utf8(&self.record[i])) {
                None => cells.push(None),
                Some(Ok(s)) => cells.push(Some(s)),
                Some(Err(_)) => {
                    // Named by its identifier when that column is readable (issue 8, F1).
                    let who = self.columns[0]
                        .and_then(|i| std::str::from_utf8(&self.record[i]).ok())
                        .filter(|w| !w.trim().is_empty() && w.len() <= limits::MAX_NAME_BYTES);
                    return Ok(Some(Err(refused(
                        line,
                        who,
                        "unreadable",
                        format!("column {name} is not UTF-8"),
                    ))));
                }
            }
        }
        Ok(Some(record(line, &cells)))
    }
}

/// A row's cells (by [`CSV_COLUMNS`] index; `None` for a column the header lacks) as the
/// fields of a record: empty cells are absent values; documents and aliases are JSON text.
fn record(line: u64, cells: &[Option<&str>]) -> std::result::Result<BackupUser, Report> {
    let at = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name);
    let cell = |name: &str| at(name).and_then(|i| cells[i]).unwrap_or_default();
    let identifier = cell("identifier");
    let bad = |detail: String| refused(line, Some(identifier), "invalid_record", detail);
    let limit = |r: limits::Refusal| refused(line, Some(identifier), r.reason, r.message);
    let opt = |name: &str| {
        Some(cell(name))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let number = |name: &str| -> std::result::Result<Option<u64>, Report> {
        opt(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| bad(format!("{name}: {v:?} is not a whole number")))
            })
            .transpose()
    };
    let document = |name: &'static str| -> std::result::Result<Map<String, Value>, Report> {
        let text = cell(name);
        if text.is_empty() {
            return Ok(Map::new());
        }
        // Checked as written: a parsed value has rounded a too-big integer already.
        limits::check_document_text(name, text).map_err(limit)?;
        // Strictly: a key written twice, at any depth, is refused (as in NDJSON backups).
        match crate::json::parse_unique(text) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(bad(format!("{name}: not a JSON object"))),
            Err(e) => Err(bad(format!("{name}: {e}"))),
        }
    };
    let aliases = match opt("aliases") {
        None => Vec::new(),
        Some(text) => {
            limits::check_json("aliases", &text).map_err(limit)?;
            serde_json::from_str(&text)
                .map_err(|e| bad(format!("aliases: not a JSON array of strings: {e}")))?
        }
    };
    let fields = Fields {
        id: cell("id").to_owned(),
        identifier: identifier.to_owned(),
        aliases,
        origin: Origin::parse(cell("origin")).map_err(|e| bad(e.to_string()))?,
        pool: opt("pool"),
        external_id: opt("external_id"),
        tenant_id: opt("tenant_id"),
        tenant_resolution: opt("tenant_resolution"),
        profile: document("profile")?,
        metadata: document("metadata")?,
        enabled: match cell("enabled") {
            "true" => true,
            "false" => false,
            other => return Err(bad(format!("enabled: {other:?} is neither true nor false"))),
        },
        // The column's presence says whether the backup carries hashes at all.
        password_hash: at("password_hash")
            .and_then(|i| cells[i])
            .map(|h| Some(h.to_owned()).filter(|h| !h.is_empty())),
        created_at: cell("created_at").to_owned(),
        migrated_at: opt("migrated_at"),
        last_login_at: opt("last_login_at"),
        version: number("version")?.unwrap_or(0),
        imported_at: opt("imported_at"),
        import_line: number("import_line")?,
        import_run: number("import_run")?,
        unreadable: Vec::new(),
    };
    checked(line, fields)
}
