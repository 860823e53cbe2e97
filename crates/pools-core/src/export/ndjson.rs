//! Reader for Auth0 user export job NDJSON: one JSON user object per line.
//!
//! Lines are read as bytes, so a line that is not UTF-8 is reported with its
//! number and the lines after it are still read. Blank lines are skipped, CRLF
//! line ends and a last line without a line end are accepted.

use std::io::{BufRead, BufReader, Read};

use super::error::{Location, RawText};
use super::records;
use super::{ExportError, ExportFormat, Sink};

/// Longest line held in memory: one user never comes near it. A longer line is refused
/// alone, skipped without being buffered.
const MAX_LINE: u64 = crate::limits::MAX_RECORD_BYTES as u64;

/// Reads an NDJSON export, streaming its users to `sink`.
pub(crate) fn read(sink: &mut Sink<'_>) -> Result<(), ExportError> {
    let path = sink.path;
    let format = sink.format;
    let mut reader = BufReader::with_capacity(64 * 1024, sink.source()?);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut line_no: u64 = 0;
    // File offset of the next line's first byte.
    let mut offset = sink.start;
    let mut first_content = true;
    loop {
        buf.clear();
        let io_error = |line_no: u64, e| ExportError::Io {
            at: Location::at_line(path, line_no + 1),
            source: e,
        };
        let n = (&mut reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| io_error(line_no, e))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let line_start = offset;
        offset += n as u64;
        let mut bytes = buf.as_slice();
        if let Some(rest) = bytes.strip_suffix(b"\n") {
            bytes = rest;
        } else if n as u64 > MAX_LINE {
            let max = crate::limits::MAX_DISCARD_BYTES - n as u64;
            match super::skip_line(&mut reader, max).map_err(|e| io_error(line_no - 1, e))? {
                Some(dropped) => offset += dropped,
                None => return Err(endless_line(sink, line_no, line_start)),
            }
            first_content = false;
            let err = ExportError::Syntax {
                at: Location::at_line(path, line_no),
                format,
                problem: format!("the line is longer than {} MiB", MAX_LINE >> 20),
                fix: "no user needs that much: remove the bulky attributes from this line (the other lines are still read; this one is not copied to a reject file); if the file is a JSON document, pass the right --format",
                raw: None,
            };
            if sink.emit(Err(err)).is_break() {
                return Ok(());
            }
            continue;
        }
        if let Some(rest) = bytes.strip_suffix(b"\r") {
            bytes = rest;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.valid_up_to();
                let err = ExportError::Encoding {
                    at: Location::at(path, line_no, at as u64 + 1),
                    byte: bytes.get(at).copied().unwrap_or(0),
                    // The line byte for byte, for the reject file.
                    raw: Some(RawText(bytes.to_vec())),
                };
                first_content = false;
                if sink.emit(Err(err)).is_break() {
                    return Ok(());
                }
                continue;
            }
        };
        if first_content {
            first_content = false;
            check_first_line(sink, line_no, text)?;
        }
        let record = records::from_json(format, path, line_no, text.to_string());
        if sink.emit(record).is_break() {
            return Ok(());
        }
    }
}

/// The error that stops the read at a line that has no end within
/// [`crate::limits::MAX_DISCARD_BYTES`]: the input is no NDJSON (a device, a binary file, a
/// JSON document on one line), or many records lost their line ends.
fn endless_line(sink: &Sink<'_>, line: u64, start: u64) -> ExportError {
    ExportError::Syntax {
        at: Location::at_line(sink.path, line),
        format: sink.format,
        problem: format!(
            "the line that starts at byte {start} has no line end within {} MiB, and a user record is at most {} MiB",
            crate::limits::MAX_DISCARD_BYTES >> 20,
            MAX_LINE >> 20
        ),
        fix: "if the file is not NDJSON (one JSON user object per line), pass the right --format; if it is, split that line into one line per user (the lines before it were read)",
        raw: None,
    }
}

/// A first line that starts an array or a pretty-printed object means the
/// file is a JSON document, not NDJSON: say so once instead of failing every
/// line.
fn check_first_line(sink: &Sink<'_>, line: u64, text: &str) -> Result<(), ExportError> {
    let trimmed = text.trim_start();
    let problem = if trimmed.starts_with('[') {
        "the file starts with a JSON array, not with one user object per line"
    } else if trimmed.starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_err_and(|e| e.is_eof())
    {
        "the first line is not a complete JSON object: the file looks like a pretty-printed JSON document, not one user object per line"
    } else {
        return Ok(());
    };
    Err(ExportError::Shape {
        at: Location::at_line(sink.path, line),
        format: ExportFormat::Auth0Ndjson,
        problem: problem.to_string(),
        fix: "pass the format of the file (--format auth0-json, firebase, keycloak or cognito), or let it be detected",
        raw: None,
    })
}
