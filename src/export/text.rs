//! Byte-level input helpers shared by all export readers (Firebase CLI
//! auth:export JSON, Auth0 bulk user import schema, Auth0 user export job
//! NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users output,
//! RFC 4180 CSV with header): opening a file without its UTF-8 byte order mark,
//! and a buffered reader that counts lines and validates UTF-8 on the fly.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::ExportError;

/// The UTF-8 byte order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An export file opened for reading, positioned after its UTF-8 BOM if it has
/// one (bytes read while looking for it are replayed first).
pub(crate) type Source = io::Chain<io::Cursor<Vec<u8>>, File>;

/// Opens `path` and skips a leading UTF-8 BOM. Works on pipes too (no seek).
pub(crate) fn open(path: &Path) -> Result<Source, ExportError> {
    let mut file = File::open(path).map_err(|e| ExportError::io(path, e))?;
    let mut head = Vec::with_capacity(BOM.len());
    let mut byte = [0u8; 1];
    while head.len() < BOM.len() {
        match file.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => {
                head.push(byte[0]);
                if BOM[..head.len()] != head[..] {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ExportError::io(path, e)),
        }
    }
    if head == BOM {
        head.clear();
    }
    Ok(io::Cursor::new(head).chain(file))
}

/// The first invalid UTF-8 byte met by a [`TextReader`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BadByte {
    pub line: u64,
    pub column: u64,
    pub byte: u8,
}

/// Position state of a [`TextReader`], shared (by reference) with whoever
/// drives the reader, e.g. a serde visitor that needs the current line.
#[derive(Debug)]
pub(crate) struct Counters {
    line: Cell<u64>,
    offset: Cell<u64>,
    line_start: Cell<u64>,
    bad: Cell<Option<BadByte>>,
}

impl Counters {
    pub(crate) fn new() -> Self {
        Counters {
            line: Cell::new(1),
            offset: Cell::new(0),
            line_start: Cell::new(0),
            bad: Cell::new(None),
        }
    }

    /// 1-based line of the next byte to be handed out.
    pub(crate) fn line(&self) -> u64 {
        self.line.get()
    }

    /// The invalid byte that stopped the reader, if any.
    pub(crate) fn bad_byte(&self) -> Option<BadByte> {
        self.bad.get()
    }
}

const BUF_SIZE: usize = 64 * 1024;

/// A buffered `Read` adapter that hands out only valid UTF-8 and counts the
/// newlines it has handed out.
///
/// serde_json's `from_reader` pulls one byte at a time, so when a visitor runs
/// at the first byte of a value, [`Counters::line`] is that value's line.
/// Bytes up to the first invalid UTF-8 sequence are handed out normally; at
/// that byte the reader records a [`BadByte`] and fails with `InvalidData`.
pub(crate) struct TextReader<'a, R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    valid_end: usize,
    end: usize,
    bad_at_valid_end: bool,
    eof: bool,
    counters: &'a Counters,
}

impl<'a, R: Read> TextReader<'a, R> {
    pub(crate) fn new(inner: R, counters: &'a Counters) -> Self {
        TextReader {
            inner,
            buf: vec![0u8; BUF_SIZE].into_boxed_slice(),
            pos: 0,
            valid_end: 0,
            end: 0,
            bad_at_valid_end: false,
            eof: false,
            counters,
        }
    }

    /// Makes `pos < valid_end`, or leaves `pos == valid_end` at end of input.
    fn refill(&mut self) -> io::Result<()> {
        loop {
            if self.bad_at_valid_end {
                let c = self.counters;
                let bad = BadByte {
                    line: c.line.get(),
                    column: c.offset.get() - c.line_start.get() + 1,
                    byte: self.buf.get(self.pos).copied().unwrap_or(0),
                };
                c.bad.set(Some(bad));
                return Err(io::Error::new(io::ErrorKind::InvalidData, "invalid UTF-8"));
            }
            // Keep the unvalidated tail (at most 3 bytes of an incomplete
            // sequence) and read more after it.
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            self.valid_end = 0;
            if self.eof {
                if self.end > 0 {
                    // Input ends inside a multi-byte sequence.
                    self.bad_at_valid_end = true;
                    continue;
                }
                return Ok(());
            }
            let n = match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                continue;
            }
            self.end += n;
            match std::str::from_utf8(&self.buf[..self.end]) {
                Ok(_) => self.valid_end = self.end,
                Err(e) => {
                    self.valid_end = e.valid_up_to();
                    if e.error_len().is_some() {
                        self.bad_at_valid_end = true;
                    }
                }
            }
            if self.valid_end > self.pos {
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for TextReader<'_, R> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.pos >= self.valid_end {
            self.refill()?;
            if self.pos >= self.valid_end {
                return Ok(0);
            }
        }
        let n = out.len().min(self.valid_end - self.pos);
        let chunk = &self.buf[self.pos..self.pos + n];
        out[..n].copy_from_slice(chunk);
        let c = self.counters;
        let offset = c.offset.get();
        if n == 1 {
            if chunk[0] == b'\n' {
                c.line.set(c.line.get() + 1);
                c.line_start.set(offset + 1);
            }
        } else {
            let mut lines = 0;
            let mut last = None;
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\n' {
                    lines += 1;
                    last = Some(i);
                }
            }
            if let Some(i) = last {
                c.line.set(c.line.get() + lines);
                c.line_start.set(offset + i as u64 + 1);
            }
        }
        c.offset.set(offset + n as u64);
        self.pos += n;
        Ok(n)
    }
}
