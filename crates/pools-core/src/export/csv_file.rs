//! Reader for RFC 4180 CSV with header: `email` (required), `password_hash`
//! (optional crypt/PHC/Django string), `tenant_id` (optional), any other
//! column is a profile attribute.
//!
//! Parsing is the `csv` crate's; the bytes it consumes are also kept in a small
//! window so that every record gets its exact original text and start line
//! (quoted fields may span lines, CRLF and blank lines are accepted).

use std::cell::RefCell;
use std::io::{self, Read};

use ::csv::{ByteRecord, ReaderBuilder};
use serde_json::{Map, Value};

use super::error::{Location, RawText};
use super::{ExportError, ExportRecord, NoCredential, RawCredential, Sink};

/// Bytes the `csv` reader has pulled, from `base` (absolute offset) on.
#[derive(Default)]
struct Window {
    data: Vec<u8>,
    base: u64,
    eof: bool,
    /// Absolute offset where the row being read starts.
    row_start: u64,
    /// The row grew past the record limit: reading stopped.
    over: bool,
}

impl Window {
    /// Line ends (of the previous row, or blank lines) at the start of the row being read.
    fn leading_line_ends(&self) -> u64 {
        let from = usize::try_from(self.row_start.saturating_sub(self.base)).unwrap_or(usize::MAX);
        let row = self.data.get(from..).unwrap_or(&[]);
        row.iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count() as u64
    }
}

/// Bytes read past a row's start before it is refused as too long: the record limit, and the
/// `csv` reader's read-ahead.
const MAX_ROW_WINDOW: u64 = (crate::limits::MAX_RECORD_BYTES + 2 * 64 * 1024) as u64;

/// Copies everything read into the shared [`Window`].
struct Tee<'w, R> {
    inner: R,
    window: &'w RefCell<Window>,
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut w = self.window.borrow_mut();
        // A row (say one huge quoted field) must not grow without bound: stop reading.
        if w.base + w.data.len() as u64 - w.row_start > MAX_ROW_WINDOW {
            w.over = true;
            return Err(io::Error::other("row too long"));
        }
        let n = self.inner.read(out)?;
        w.data.extend_from_slice(&out[..n]);
        if n == 0 && !out.is_empty() {
            w.eof = true;
        }
        Ok(n)
    }
}

/// Window bytes kept before the consumed part is dropped.
const WINDOW_KEEP: usize = 256 * 1024;

/// What the header says about the columns.
struct Columns {
    /// Trimmed header names; `None` for a column with an empty name (ignored).
    names: Vec<Option<String>>,
    email: usize,
    password_hash: Option<usize>,
}

/// Reads a CSV export, streaming its users to `sink`.
pub(crate) fn read(sink: &mut Sink<'_>) -> Result<(), ExportError> {
    let path = sink.path;
    let window = RefCell::new(Window::default());
    let tee = Tee {
        inner: sink.source()?,
        window: &window,
    };
    let mut rdr = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(tee);
    let mut record = ByteRecord::new();
    // Absolute offset where the previous record ended, and the line there.
    let mut prev_end: u64 = 0;
    let mut line_at_prev_end: u64 = 1;
    let mut columns: Option<Columns> = None;

    loop {
        let more = rdr
            .read_byte_record(&mut record)
            .map_err(|e| {
                let w = window.borrow();
                if w.over {
                    // Its end cannot be found without parsing (and holding) it: reading
                    // stops here, after a bounded read.
                    return ExportError::Syntax {
                        at: Location::at_line(sink.path, line_at_prev_end),
                        format: sink.format,
                        problem: format!(
                            "the row that starts here (byte {}) is longer than {} MiB",
                            sink.start + w.row_start + w.leading_line_ends(),
                            crate::limits::MAX_RECORD_BYTES >> 20
                        ),
                        fix: "no user needs that much: if the file is not CSV, pass the right --format; else look for a quote that is never closed, or split the row or remove its bulky cells (rows before it were read)",
                        raw: None,
                    };
                }
                csv_error(sink, line_at_prev_end, e)
            })?;
        if !more {
            break;
        }
        let end = rdr.position().byte();
        let (line, raw, at_eof) = {
            let mut w = window.borrow_mut();
            let from = usize::try_from(prev_end.saturating_sub(w.base)).unwrap_or(usize::MAX);
            let to = usize::try_from(end.saturating_sub(w.base)).unwrap_or(usize::MAX);
            let segment = w.data.get(from..to).unwrap_or(&[]);
            // Leading line ends belong to the previous record or blank lines.
            let skip = segment
                .iter()
                .take_while(|b| **b == b'\n' || **b == b'\r')
                .count();
            let skipped_lines = count_newlines(&segment[..skip]);
            let line = line_at_prev_end + skipped_lines;
            let mut raw = &segment[skip..];
            while let Some(rest) = raw.strip_suffix(b"\n").or_else(|| raw.strip_suffix(b"\r")) {
                raw = rest;
            }
            let raw = raw.to_vec();
            line_at_prev_end += count_newlines(segment);
            let at_eof = w.eof && end == w.base + w.data.len() as u64;
            prev_end = end;
            w.row_start = end;
            let consumed = to.min(w.data.len());
            if consumed > WINDOW_KEEP {
                w.data.drain(..consumed);
                w.base += consumed as u64;
            }
            (line, raw, at_eof)
        };
        if record.len() <= 1 && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank (or blanks-only) line
        }
        let raw = match String::from_utf8(raw) {
            Ok(raw) => raw,
            Err(e) => {
                let bytes = e.as_bytes();
                let bad = e.utf8_error().valid_up_to();
                let before = &bytes[..bad];
                let bad_line = line + count_newlines(before);
                let col = before.iter().rev().take_while(|b| **b != b'\n').count() as u64 + 1;
                let byte = bytes.get(bad).copied().unwrap_or(0);
                let err = ExportError::Encoding {
                    at: Location::at(path, bad_line, col),
                    byte,
                    // The row byte for byte, for the reject file.
                    raw: Some(RawText(e.into_bytes())),
                };
                if columns.is_none() {
                    return Err(err);
                }
                if sink.emit(Err(err)).is_break() {
                    return Ok(());
                }
                continue;
            }
        };
        if at_eof && raw.bytes().filter(|b| *b == b'"').count() % 2 == 1 {
            return Err(ExportError::Syntax {
                at: Location::at_line(path, line),
                format: sink.format,
                problem: "a quoted field opened in this row is never closed".to_string(),
                fix: "close the quote (a `\"` inside a quoted field is written `\"\"`); if the file was cut short, copy or export it again",
                raw: None,
            });
        }
        let Some(cols) = &columns else {
            columns = Some(header(sink, line, &record)?);
            continue;
        };
        let item = row(sink, cols, line, &record, raw);
        if sink.emit(item).is_break() {
            return Ok(());
        }
    }
    if columns.is_none() {
        return Err(ExportError::shape(
            path,
            Some(1),
            sink.format,
            "the file is empty: no header row",
            None,
        ));
    }
    Ok(())
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// An error from the `csv` crate (only I/O: UTF-8 and field counts are
/// checked here).
fn csv_error(sink: &Sink<'_>, line: u64, e: ::csv::Error) -> ExportError {
    let at = Location::at_line(sink.path, line);
    match e.into_kind() {
        ::csv::ErrorKind::Io(source) => ExportError::Io { at, source },
        other => ExportError::Syntax {
            at,
            format: sink.format,
            problem: format!("{other:?}"),
            fix: "check the CSV around that line",
            raw: None,
        },
    }
}

/// Reads the header row.
fn header(sink: &Sink<'_>, line: u64, record: &ByteRecord) -> Result<Columns, ExportError> {
    let path = sink.path;
    let mut names: Vec<Option<String>> = Vec::with_capacity(record.len());
    for field in record {
        // The whole row was checked to be UTF-8 and fields split at ASCII.
        let name = String::from_utf8_lossy(field).trim().to_string();
        if name.is_empty() {
            names.push(None);
            continue;
        }
        // In any case: columns are found in any case (`Email` is the email column), so
        // `Email` and `EMAIL` would be one column read from two cells (retrial finding E).
        if let Some(first) = names
            .iter()
            .position(|n| n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&name)))
        {
            // Cells are never echoed: a first row of data may hold a hash (R11).
            let problem = format!(
                "the header names one column twice (columns {} and {})",
                first + 1,
                names.len() + 1
            );
            return Err(ExportError::shape(
                path,
                Some(line),
                sink.format,
                problem,
                None,
            ));
        }
        names.push(Some(name));
    }
    let find = |wanted: &str| {
        names
            .iter()
            .position(|n| n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(wanted)))
    };
    let Some(email) = find("email") else {
        // Cells are never echoed: a first row of data (no header) may hold a hash (R11).
        let problem = format!(
            "the first row has no `email` column ({} columns): a CSV export needs a header row naming `email` and its other columns (is it missing, or is the file not CSV?)",
            names.len()
        );
        return Err(ExportError::shape(
            path,
            Some(line),
            sink.format,
            problem,
            None,
        ));
    };
    let password_hash = find("password_hash");
    Ok(Columns {
        names,
        email,
        password_hash,
    })
}

/// Builds the record of one data row.
fn row(
    sink: &Sink<'_>,
    cols: &Columns,
    line: u64,
    record: &ByteRecord,
    raw: String,
) -> Result<ExportRecord, ExportError> {
    let path = sink.path;
    if record.len() != cols.names.len() {
        return Err(ExportError::FieldCount {
            at: Location::at_line(path, line),
            expected: cols.names.len(),
            found: record.len(),
            raw: Some(RawText(raw.into_bytes())),
        });
    }
    let mut profile = Map::new();
    let mut identifier = None;
    let mut credential = RawCredential::None(NoCredential::Missing);
    for (i, field) in record.iter().enumerate() {
        // Fields are slices of the row, which is valid UTF-8, cut at ASCII
        // delimiters; the fallback never triggers.
        let value = std::str::from_utf8(field).unwrap_or_default();
        if i == cols.email {
            identifier = Some(value);
        }
        if value.is_empty() {
            continue;
        }
        if Some(i) == cols.password_hash {
            credential = RawCredential::Crypt(value.to_string());
            continue;
        }
        if let Some(Some(name)) = cols.names.get(i) {
            profile.insert(name.clone(), Value::String(value.to_string()));
        }
    }
    let Some(identifier) = identifier.filter(|s| !s.is_empty()).map(str::to_string) else {
        return Err(ExportError::MissingField {
            at: Location::at_line(path, line),
            format: sink.format,
            field: "email",
            external_id: None,
            raw: Some(RawText(raw.into_bytes())),
        });
    };
    Ok(ExportRecord {
        line,
        identifier,
        aliases: Vec::new(),
        external_id: None,
        disabled: false,
        credential,
        profile: super::Profile::from_map(profile),
        raw,
    })
}
