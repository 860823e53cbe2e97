//! Byte-level input helpers shared by all export readers (Firebase CLI
//! auth:export JSON, Auth0 bulk user import schema, Auth0 user export job
//! NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users output,
//! RFC 4180 CSV with header): an [`Input`] opened once (a file, a FIFO or
//! stdin) whose first bytes are read ahead for format detection and replayed,
//! without its UTF-8 byte order mark, and a buffered reader that counts lines
//! and validates UTF-8 on the fly.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::error::Location;
use super::{ExportError, ExportFormat};

/// The UTF-8 byte order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of the input format detection looks at.
pub(crate) const PREFIX: usize = 16 * 1024;

/// An opened input, positioned after its UTF-8 BOM if it has one: the bytes
/// read ahead are replayed first.
pub(crate) type Source = io::Chain<io::Cursor<Vec<u8>>, Box<dyn Read + Send>>;

/// An export opened once: a regular file, or a stream (stdin, a pipe, a FIFO)
/// that can be read only once. Its first bytes are read ahead, so the format
/// is detected from the same bytes the reader then reads, never by opening
/// the input a second time.
pub struct Input {
    path: PathBuf,
    head: Vec<u8>,
    bom_checked: bool,
    /// A UTF-8 BOM was read and dropped: byte offsets in messages count it.
    bom: bool,
    eof: bool,
    stream: bool,
    rest: Box<dyn Read + Send>,
    /// The file `rest` reads, when it is a regular one: a second handle on the same open file
    /// (one offset), so [`Input::check_whole`] reads it again without opening its path.
    file: Option<File>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("path", &self.path)
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl Input {
    /// Opens `path`; `-` is stdin. A FIFO blocks here until a writer opens it.
    ///
    /// Errors: [`ExportError::Io`] when it cannot be opened.
    pub fn open(path: &Path) -> Result<Input, ExportError> {
        if path == Path::new("-") {
            return Ok(Input::stdin());
        }
        let file = File::open(path).map_err(|e| ExportError::io(path, e))?;
        let stream = !file.metadata().is_ok_and(|m| m.is_file());
        let again = if stream { None } else { file.try_clone().ok() };
        let mut input = Input::from_reader(path, Box::new(file), stream);
        input.file = again;
        Ok(input)
    }

    /// The process's standard input, named `<stdin>` in messages.
    pub fn stdin() -> Input {
        Input::from_reader(Path::new("<stdin>"), Box::new(io::stdin()), true)
    }

    /// Any reader, named `path` in messages; `stream` when it can be read only once.
    pub fn from_reader(path: &Path, reader: Box<dyn Read + Send>, stream: bool) -> Input {
        Input {
            path: path.to_path_buf(),
            head: Vec::new(),
            bom_checked: false,
            bom: false,
            eof: false,
            stream,
            rest: reader,
            file: None,
        }
    }

    /// The path as given (`<stdin>` for stdin), for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True for stdin, a pipe, a FIFO or a device: read once, and with no identity that a
    /// second run could recognise.
    pub fn is_stream(&self) -> bool {
        self.stream
    }

    /// Reads ahead until `want` bytes (BOM removed) are buffered or the input ends.
    pub(crate) fn fill(&mut self, want: usize) -> Result<(), ExportError> {
        let mut chunk = [0u8; 8192];
        while !self.eof && self.head.len() < want {
            let room = chunk.len().min(want - self.head.len());
            match self.rest.read(&mut chunk[..room]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.head.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ExportError::io(&self.path, e)),
            }
            if !self.bom_checked && (self.head.len() >= BOM.len() || self.eof) {
                self.bom_checked = true;
                if self.head.starts_with(BOM) {
                    self.head.drain(..BOM.len());
                    self.bom = true;
                }
            }
        }
        Ok(())
    }

    /// Tells the format from the first 16 KiB (see [`super::detect`]), which stay buffered
    /// for the reader.
    ///
    /// Errors: [`ExportError::UnknownFormat`], or [`ExportError::Io`].
    pub fn detect(&mut self) -> Result<ExportFormat, ExportError> {
        self.refuse_empty()?;
        let prefix = &self.head[..self.head.len().min(PREFIX)];
        let complete = self.eof && prefix.len() == self.head.len();
        super::detect::detect_bytes(prefix, complete).map_err(|reason| ExportError::UnknownFormat {
            at: Location::file(&self.path),
            reason,
        })
    }

    /// Reads ahead the first 16 KiB and refuses an input with no content, or only whitespace,
    /// whatever its format.
    ///
    /// Errors: [`ExportError::Empty`], or [`ExportError::Io`].
    pub(crate) fn refuse_empty(&mut self) -> Result<(), ExportError> {
        self.fill(PREFIX)?;
        self.refuse_wide_encoding()?;
        if self.eof && self.head.iter().all(u8::is_ascii_whitespace) {
            return Err(ExportError::Empty {
                at: Location::file(&self.path),
                blank: !self.head.is_empty(),
            });
        }
        Ok(())
    }

    /// The first line that is not blank, with its line end as the input has it (`\n`,
    /// `\r\n`, or none at the end of the input): a CSV header for a reject file, which
    /// repeats it byte for byte, and the line end the file's rows have. Read ahead and kept
    /// for the reader; `None` when there is none within [`crate::limits::MAX_RECORD_BYTES`].
    ///
    /// Errors: [`ExportError::Io`].
    pub fn first_line(&mut self) -> Result<Option<Vec<u8>>, ExportError> {
        let mut want = PREFIX;
        loop {
            self.fill(want)?;
            let mut from = 0;
            while let Some(nl) = self.head[from..].iter().position(|b| *b == b'\n') {
                let line = &self.head[from..=from + nl];
                if !trim_line_end(line).iter().all(u8::is_ascii_whitespace) {
                    return Ok(Some(line.to_vec()));
                }
                from += nl + 1;
            }
            let tail = &self.head[from..];
            if self.eof {
                let blank = trim_line_end(tail).iter().all(u8::is_ascii_whitespace);
                return Ok((!blank).then(|| tail.to_vec()));
            }
            if want >= crate::limits::MAX_RECORD_BYTES {
                return Ok(None);
            }
            want = (want * 4).min(crate::limits::MAX_RECORD_BYTES);
        }
    }

    /// The first byte that is not ASCII whitespace (after the BOM), read ahead and kept for
    /// the reader; `None` when there is none within [`crate::limits::MAX_RECORD_BYTES`].
    ///
    /// Errors: [`ExportError::Io`].
    pub(crate) fn first_content_byte(&mut self) -> Result<Option<u8>, ExportError> {
        let mut want = PREFIX;
        loop {
            self.fill(want)?;
            if let Some(b) = self.head.iter().find(|b| !b.is_ascii_whitespace()) {
                return Ok(Some(*b));
            }
            if self.eof || want >= crate::limits::MAX_RECORD_BYTES {
                return Ok(None);
            }
            want = (want * 4).min(crate::limits::MAX_RECORD_BYTES);
        }
    }

    /// How many bytes of the file come before the first byte the readers see: 3 after a
    /// UTF-8 BOM, else 0. Added to a reader's offsets, they are the file's own; a reject file
    /// starts with the BOM its input has.
    ///
    /// Errors: [`ExportError::Io`].
    pub fn bom_len(&mut self) -> Result<u64, ExportError> {
        self.fill(BOM.len())?;
        Ok(if self.bom { BOM.len() as u64 } else { 0 })
    }

    /// The whole input as its bytes came, a BOM included: the bytes read ahead, then the
    /// rest. For sending it on to a reader elsewhere (a client's export streamed to
    /// `pools serve`), which opens it as an input of its own.
    pub fn into_raw(self) -> Box<dyn Read + Send> {
        let mut head = if self.bom { BOM.to_vec() } else { Vec::new() };
        head.extend_from_slice(&self.head);
        Box::new(io::Cursor::new(head).chain(self.rest))
    }

    /// The whole input from its first byte after the BOM: the bytes read ahead, then the rest.
    ///
    /// Errors: [`ExportError::WrongEncoding`] for UTF-16/UTF-32 text; [`ExportError::Io`].
    pub(crate) fn into_source(mut self) -> Result<Source, ExportError> {
        self.fill(8)?;
        self.refuse_wide_encoding()?;
        Ok(io::Cursor::new(self.head).chain(self.rest))
    }

    /// Runs `check` over the whole input (from its first byte after the BOM, as
    /// [`Input::into_source`] reads it), then leaves the input as it was, to be read again:
    /// a regular file through the handle it was opened with (never by its path again, which
    /// may name another file by then), a stream (stdin, a pipe, a FIFO), which is read once,
    /// by keeping what `check` reads in an unlinked temporary file (mode 0600, gone when the
    /// input is dropped) that the reader then reads instead. When `check` fails, the stream
    /// is read no further, and the input is whole again all the same (what was kept, then
    /// the rest of the stream): another pass may read it.
    ///
    /// Errors: `check`'s; [`ExportError::WrongEncoding`] as [`Input::into_source`];
    /// [`ExportError::Io`] when the file cannot be read again or the stream not kept.
    pub(crate) fn check_whole<T>(
        &mut self,
        check: impl FnOnce(&mut dyn Read) -> Result<T, ExportError>,
    ) -> Result<T, ExportError> {
        use std::io::{Seek, SeekFrom};
        self.fill(8)?;
        self.refuse_wide_encoding()?;
        let io = |path: &Path, e| ExportError::io(path, e);
        if let Some(file) = &mut self.file {
            let at = file.stream_position().map_err(|e| io(&self.path, e))?;
            let checked = check(&mut io::Cursor::new(&self.head[..]).chain(&*file));
            // Back where the reader (or another pass) starts, also when `check` stopped.
            file.seek(SeekFrom::Start(at))
                .map_err(|e| io(&self.path, e))?;
            return checked;
        }
        let mut kept = tempfile::tempfile().map_err(|e| io(&self.path, e))?;
        let checked = {
            let tee = Tee {
                inner: &mut self.rest,
                copy: &mut kept,
            };
            check(&mut io::Cursor::new(&self.head[..]).chain(tee))
        };
        if checked.is_ok() {
            // What `check` left unread (nothing, when it read the document to its end).
            io::copy(&mut self.rest, &mut kept).map_err(|e| io(&self.path, e))?;
        }
        kept.seek(SeekFrom::Start(0))
            .map_err(|e| io(&self.path, e))?;
        // Whole again, for the reader or another pass: what was kept, then the stream unread
        // (nothing, when `check` passed).
        let unread = std::mem::replace(&mut self.rest, Box::new(io::empty()));
        self.rest = Box::new(kept.chain(unread));
        checked
    }

    /// Refuses UTF-16 and UTF-32 text by name (see [`crate::limits::wide_encoding`]).
    fn refuse_wide_encoding(&self) -> Result<(), ExportError> {
        match crate::limits::wide_encoding(&self.head) {
            Some(encoding) => Err(ExportError::WrongEncoding {
                at: Location::file(&self.path),
                encoding,
            }),
            None => Ok(()),
        }
    }
}

/// A reader that writes what it reads to `copy` ([`Input::check_whole`] on a stream).
struct Tee<'a, R, W> {
    inner: &'a mut R,
    copy: &'a mut W,
}

impl<R: Read, W: io::Write> Read for Tee<'_, R, W> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.copy.write_all(&out[..n])?;
        Ok(n)
    }
}

/// Reads and drops the rest of a line that is past the record limit, up to and with its
/// `\n`, reading at most about `max` bytes (one buffer more): `Some(bytes dropped)` at the
/// line's end or the input's, `None` when the line goes on past `max`. Never holds the line:
/// memory stays at the reader's buffer however long it is.
///
/// Errors: the reader's.
pub(crate) fn skip_line(reader: &mut impl io::BufRead, max: u64) -> io::Result<Option<u64>> {
    let mut dropped = 0u64;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(Some(dropped));
        }
        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
            reader.consume(i + 1);
            return Ok(Some(dropped + i as u64 + 1));
        }
        let n = buf.len();
        reader.consume(n);
        dropped += n as u64;
        if dropped > max {
            return Ok(None);
        }
    }
}

fn trim_line_end(mut line: &[u8]) -> &[u8] {
    while let Some(rest) = line
        .strip_suffix(b"\n")
        .or_else(|| line.strip_suffix(b"\r"))
    {
        line = rest;
    }
    line
}

/// The first invalid UTF-8 byte met by a [`TextReader`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BadByte {
    pub line: u64,
    pub column: u64,
    pub byte: u8,
}

/// The bytes of one record, taken while a visitor parses it (see [`Counters::begin_capture`]).
#[derive(Debug, Default)]
pub(crate) struct Capture {
    /// The record's bytes as read (empty when `over`).
    pub bytes: Vec<u8>,
    /// The record grew past [`crate::limits::MAX_RECORD_BYTES`]: its bytes were dropped.
    pub over: bool,
    /// The first invalid UTF-8 byte inside the record, if any.
    pub bad: Option<BadByte>,
}

/// A stretch of a JSON document that must end within `max` bytes (see [`Counters::bound`]):
/// past them the reader fails, so a value that never ends is not read to the input's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    /// What the stretch is.
    pub kind: SpanKind,
    /// Offset of its first byte, from the source's first byte.
    pub start: u64,
    /// 1-based line of its first byte.
    pub line: u64,
    /// Most bytes handed out from `start` on.
    pub max: u64,
}

/// What a [`Span`] bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpanKind {
    /// A user record: held up to [`crate::limits::MAX_RECORD_BYTES`], read (and dropped)
    /// up to [`crate::limits::MAX_DISCARD_BYTES`].
    Record,
    /// A top-level object key, which serde_json holds whole.
    Key,
}

/// Position state of a [`TextReader`], shared (by reference) with whoever
/// drives the reader, e.g. a serde visitor that needs the current line.
#[derive(Debug)]
pub(crate) struct Counters {
    line: Cell<u64>,
    offset: Cell<u64>,
    line_start: Cell<u64>,
    bad: Cell<Option<BadByte>>,
    last: Cell<u8>,
    capturing: Cell<bool>,
    capture: RefCell<Capture>,
    span: Cell<Option<Span>>,
    overrun: Cell<Option<Span>>,
}

impl Counters {
    pub(crate) fn new() -> Self {
        Counters {
            line: Cell::new(1),
            offset: Cell::new(0),
            line_start: Cell::new(0),
            bad: Cell::new(None),
            last: Cell::new(0),
            capturing: Cell::new(false),
            capture: RefCell::new(Capture::default()),
            span: Cell::new(None),
            overrun: Cell::new(None),
        }
    }

    /// Bounds what is read from the next byte on to `max` bytes, until [`Counters::unbound`]:
    /// one more fails the read, and [`Counters::overrun`] tells the span.
    pub(crate) fn bound(&self, kind: SpanKind, max: u64) {
        self.span.set(Some(Span {
            kind,
            start: self.offset.get(),
            line: self.line.get(),
            max,
        }));
    }

    /// Ends the bound set by [`Counters::bound`] (or [`Counters::begin_capture`]).
    pub(crate) fn unbound(&self) {
        self.span.set(None);
    }

    /// The span whose bound stopped the reader, if one did.
    pub(crate) fn overrun(&self) -> Option<Span> {
        self.overrun.get()
    }

    /// 1-based line of the next byte to be handed out.
    pub(crate) fn line(&self) -> u64 {
        self.line.get()
    }

    /// The invalid byte that stopped the reader, if any.
    pub(crate) fn bad_byte(&self) -> Option<BadByte> {
        self.bad.get()
    }

    /// Starts keeping the bytes handed out, from the last one handed out (a visitor runs
    /// when serde_json has read the first byte of its value, and nothing after it). While
    /// capturing, invalid UTF-8 is handed out and noted rather than failing the read: it
    /// belongs to one record, which is refused alone. The record is bounded (as by
    /// [`Counters::bound`]) to [`crate::limits::MAX_DISCARD_BYTES`] from that byte on.
    pub(crate) fn begin_capture(&self) {
        *self.capture.borrow_mut() = Capture {
            bytes: vec![self.last.get()],
            over: false,
            bad: None,
        };
        self.capturing.set(true);
        self.span.set(Some(Span {
            kind: SpanKind::Record,
            start: self.offset.get().saturating_sub(1),
            line: self.line.get(),
            max: crate::limits::MAX_DISCARD_BYTES,
        }));
    }

    /// Stops capturing (and its bound) and returns what was kept.
    pub(crate) fn end_capture(&self) -> Capture {
        self.capturing.set(false);
        self.unbound();
        std::mem::take(&mut *self.capture.borrow_mut())
    }
}

const BUF_SIZE: usize = 64 * 1024;

/// A buffered `Read` adapter that hands out only valid UTF-8 and counts the
/// newlines it has handed out.
///
/// serde_json's `from_reader` pulls one byte at a time, so when a visitor runs
/// at the first byte of a value, [`Counters::line`] is that value's line.
/// Bytes up to the first invalid UTF-8 sequence are handed out normally; at
/// that byte the reader records a [`BadByte`] and fails with `InvalidData`,
/// unless a record is being captured ([`Counters::begin_capture`]).
pub(crate) struct TextReader<'a, R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    /// Bytes before this were validated (or admitted while capturing).
    valid_end: usize,
    end: usize,
    /// Length of the invalid sequence that starts at `valid_end`.
    bad_len: Option<usize>,
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
            bad_len: None,
            eof: false,
            counters,
        }
    }

    /// Moves `valid_end` over the valid UTF-8 after it; notes an invalid sequence there.
    fn validate(&mut self) {
        match std::str::from_utf8(&self.buf[self.valid_end..self.end]) {
            Ok(_) => self.valid_end = self.end,
            Err(e) => {
                self.valid_end += e.valid_up_to();
                self.bad_len = e.error_len();
            }
        }
    }

    /// Makes `pos < valid_end`, or leaves `pos == valid_end` at end of input.
    fn refill(&mut self) -> io::Result<()> {
        loop {
            if self.pos < self.valid_end {
                return Ok(());
            }
            if let Some(len) = self.bad_len.take() {
                let c = self.counters;
                let bad = BadByte {
                    line: c.line.get(),
                    column: c.offset.get() - c.line_start.get() + 1,
                    byte: self.buf.get(self.pos).copied().unwrap_or(0),
                };
                if !c.capturing.get() {
                    c.bad.set(Some(bad));
                    self.bad_len = Some(len);
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "invalid UTF-8"));
                }
                c.capture.borrow_mut().bad.get_or_insert(bad);
                self.valid_end += len;
                self.validate();
                return Ok(());
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
                    self.bad_len = Some(self.end);
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
            self.validate();
        }
    }
}

impl<R: Read> Read for TextReader<'_, R> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let c = self.counters;
        if let Some(span) = c.span.get()
            && c.offset.get() - span.start >= span.max
        {
            c.overrun.set(Some(span));
            return Err(io::Error::other(
                "a JSON value is longer than the reader reads",
            ));
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
        c.last.set(chunk[n - 1]);
        if c.capturing.get() {
            let mut cap = c.capture.borrow_mut();
            if !cap.over {
                if cap.bytes.len() + n > crate::limits::MAX_RECORD_BYTES {
                    cap.over = true;
                    cap.bytes = Vec::new();
                } else {
                    cap.bytes.extend_from_slice(chunk);
                }
            }
        }
        c.offset.set(offset + n as u64);
        self.pos += n;
        Ok(n)
    }
}
