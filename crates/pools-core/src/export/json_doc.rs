//! Streaming reader for the single-document JSON formats: Firebase CLI
//! auth:export JSON (`{"users": [...]}`), the Auth0 bulk user import schema
//! (`[...]`), a Keycloak realm export (`{..., "users": [...], ...}`) and AWS
//! CLI cognito-idp list-users output (`{"Users": [...]}` or a bare array).
//!
//! The top level is walked with a serde visitor; other top-level keys are
//! skipped without being materialised, and each user is taken as an owned
//! `RawValue` and handed to the callback from inside the visitor.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::{Location, RawText};
use super::records::{self, serde_message};
use super::text::{Capture, Counters, Span, SpanKind, TextReader};
use super::{ExportError, ExportFormat, ExportRecord, Sink};

/// Reads a whole JSON export document, streaming its users to `sink`.
///
/// With [`Sink::check_first`], the document is first read whole by a pass that hands on
/// nothing (each user is skipped as serde's `IgnoredAny`, never built): an error after which
/// nothing more can be read (a second `users` array, a syntax error or truncation past the
/// first users, invalid UTF-8 between them) is returned before the first record reaches the
/// sink, in the words the streaming pass would have used, so an import commits no row of a
/// document it cannot read to its end. That pass reads buffered ([`Pass::Fast`]); only when
/// it stops is the document read again as the streaming pass reads it ([`Pass::Check`]),
/// which tells a fault of the document (returned) from one confined to a record (a byte
/// that is no UTF-8 inside a user, refused alone by the streaming pass).
pub(crate) fn read(sink: &mut Sink<'_>) -> Result<(), ExportError> {
    let mut input = sink.input()?;
    if sink.check_first
        && input
            .check_whole(|source| walk(sink, source, Pass::Fast))
            .is_err()
    {
        input.check_whole(|source| walk(sink, source, Pass::Check))?;
    }
    let source = input.into_source()?;
    walk(sink, source, Pass::Read)
}

/// What a pass over the document does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Streams the users to the sink.
    Read,
    /// Reads the document as [`Pass::Read`] does, byte by byte (lines and offsets exact,
    /// each user's bytes kept and checked), but hands nothing on: its errors are
    /// [`Pass::Read`]'s.
    Check,
    /// Reads the document through a buffer, without keeping users' bytes: several times
    /// faster than [`Pass::Check`], but its lines are ahead by up to the buffer, so its
    /// errors only say that the document has one, and a byte that is no UTF-8 is one
    /// anywhere (inside a user too): it never passes a document [`Pass::Check`] stops at.
    Fast,
}

/// Bytes [`Pass::Fast`] reads at a time.
const FAST_BUFFER: usize = 64 * 1024;

/// One pass over the document in `source`.
fn walk(sink: &mut Sink<'_>, source: impl std::io::Read, pass: Pass) -> Result<(), ExportError> {
    let counters = Counters::new();
    let reader = TextReader::new(source, &counters);
    let mut state = State {
        sink,
        counters: &counters,
        fatal: None,
        stopped: false,
        record_start: None,
        pass,
    };
    match pass {
        Pass::Fast => drive(
            &mut state,
            std::io::BufReader::with_capacity(FAST_BUFFER, reader),
        ),
        Pass::Read | Pass::Check => drive(&mut state, reader),
    }
}

/// Reads the document from `reader` with `state`'s visitors.
fn drive(state: &mut State<'_, '_>, reader: impl std::io::Read) -> Result<(), ExportError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = DocSeed(&mut *state).deserialize(&mut de);
    let result = result.and_then(|()| de.end());
    if state.stopped {
        return Ok(());
    }
    if let Some(fatal) = state.fatal.take() {
        return Err(fatal);
    }
    match result {
        Ok(()) => Ok(()),
        Err(e) => Err(convert_error(state, e)),
    }
}

/// Shared by the visitors of one read.
struct State<'s, 'a> {
    sink: &'s mut Sink<'a>,
    counters: &'s Counters,
    /// A fatal error found by a visitor (the serde error returned with it is a
    /// placeholder).
    fatal: Option<ExportError>,
    /// The callback asked to stop.
    stopped: bool,
    /// Line of the user record being parsed, if inside one.
    record_start: Option<u64>,
    /// What this pass does ([`read`]).
    pass: Pass,
}

impl State<'_, '_> {
    fn format(&self) -> ExportFormat {
        self.sink.format
    }

    /// The key of the users array in an object-shaped document.
    fn users_key(&self) -> &'static str {
        match self.format() {
            ExportFormat::Cognito => "Users",
            _ => "users",
        }
    }

    /// Records a fatal shape error and returns the placeholder serde error
    /// that unwinds the deserializer.
    fn fail<E: de::Error>(&mut self, problem: String) -> E {
        let line = self.counters.line();
        self.fatal = Some(ExportError::shape(
            self.sink.path,
            Some(line),
            self.format(),
            problem,
            None,
        ));
        E::custom("export reader: fatal shape error")
    }

    /// Records the fatal error of a top-level key written twice, at the line of the second.
    fn repeated_key<E: de::Error>(&mut self, name: &str) -> E {
        self.fatal = Some(ExportError::Shape {
            at: Location::at_line(self.sink.path, self.counters.line()),
            format: self.format(),
            problem: format!(
                "the top-level key {name:?} appears twice: jq, Python and JavaScript read only the last one, so the file says two things"
            ),
            fix: "keep the key once (merge the two `users` arrays into one if both are meant), or export the file again",
            raw: None,
        });
        E::custom("export reader: fatal shape error")
    }

    fn expected_top(&self) -> String {
        match self.format() {
            ExportFormat::Auth0Json => "a JSON array of user objects".to_string(),
            ExportFormat::Cognito => "a JSON object with a `Users` array".to_string(),
            _ => format!("a JSON object with a `{}` array", self.users_key()),
        }
    }
}

/// Converts a serde_json error that ended the document into an export error.
fn convert_error(state: &State<'_, '_>, e: serde_json::Error) -> ExportError {
    let path = state.sink.path;
    let format = state.format();
    if let Some(span) = state.counters.overrun() {
        return overrun(state, span);
    }
    if let Some(bad) = state.counters.bad_byte() {
        return ExportError::Encoding {
            at: Location::at(path, bad.line, bad.column),
            byte: bad.byte,
            raw: None,
        };
    }
    let at = Location {
        path: path.to_path_buf(),
        line: (e.line() > 0).then_some(e.line() as u64),
        column: (e.column() > 0).then_some(e.column() as u64),
    };
    let inside = state
        .record_start
        .map(|l| format!(" (inside the user record that starts at line {l})"))
        .unwrap_or_default();
    match e.classify() {
        serde_json::error::Category::Io => ExportError::Io {
            at: Location::at_line(path, state.counters.line()),
            source: std::io::Error::from(e),
        },
        serde_json::error::Category::Eof => {
            let problem = if e.line() == 1 && e.column() == 0 {
                "the file is empty".to_string()
            } else {
                match state.record_start {
                    Some(l) => {
                        format!("the file ends inside the user record that starts at line {l}")
                    }
                    None => "the file ends before the JSON document is complete".to_string(),
                }
            };
            ExportError::Syntax {
                at,
                format,
                problem,
                fix: "the file looks truncated: check that the copy is complete, or export it again",
                raw: None,
            }
        }
        serde_json::error::Category::Syntax => ExportError::Syntax {
            at,
            format,
            problem: format!("{}{inside}", serde_message(&e)),
            fix: "correct the JSON at that place (`jq . FILE` shows the same spot) or export it again",
            raw: None,
        },
        serde_json::error::Category::Data => ExportError::shape(
            path,
            at.line,
            format,
            format!("{}{inside}", serde_message(&e)),
            None,
        ),
    }
}

/// The error that stops the read at a value that has no end within its bound: the input
/// is not this format (a device, a binary file), or a string or bracket is never closed.
fn overrun(state: &State<'_, '_>, span: Span) -> ExportError {
    let start = state.sink.start + span.start;
    let problem = match span.kind {
        SpanKind::Record => format!(
            "the user record that starts at byte {start} has no end within {} MiB, and a user record is at most {} MiB",
            span.max >> 20,
            crate::limits::MAX_RECORD_BYTES >> 20
        ),
        SpanKind::Key => format!(
            "the top-level key that starts at byte {start} is longer than {} MiB",
            span.max >> 20
        ),
    };
    ExportError::Syntax {
        at: Location::at_line(state.sink.path, span.line),
        format: state.format(),
        problem,
        fix: "if the file is not this format, pass the right --format; if it is, look for a string or bracket that is never closed, or split the record (the records before it were read)",
        raw: None,
    }
}

/// The whole document.
struct DocSeed<'x, 's, 'a>(&'x mut State<'s, 'a>);

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(DocVisitor(self.0))
    }
}

struct DocVisitor<'x, 's, 'a>(&'x mut State<'s, 'a>);

/// Rejects every scalar with a fatal shape error naming what was found.
macro_rules! reject_scalars {
    ($what:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            let what = $what(&*self.0, "a boolean");
            Err(self.0.fail(what))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            let what = $what(&*self.0, "a number");
            Err(self.0.fail(what))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            let what = $what(&*self.0, "a number");
            Err(self.0.fail(what))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            let what = $what(&*self.0, "a number");
            Err(self.0.fail(what))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
            let what = $what(&*self.0, "a string");
            Err(self.0.fail(what))
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            let what = $what(&*self.0, "null");
            Err(self.0.fail(what))
        }
        fn visit_none<E: de::Error>(self) -> Result<(), E> {
            let what = $what(&*self.0, "null");
            Err(self.0.fail(what))
        }
    };
}

fn top_is(state: &State<'_, '_>, found: &str) -> String {
    format!(
        "the top level is {found}, expected {}",
        state.expected_top()
    )
}

fn users_is(state: &State<'_, '_>, found: &str) -> String {
    format!(
        "`{}` is {found}, expected an array of user objects",
        state.users_key()
    )
}

impl<'de> Visitor<'de> for DocVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.expected_top())
    }

    reject_scalars!(top_is);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        match self.0.format() {
            ExportFormat::Auth0Json | ExportFormat::Cognito => users_seq(self.0, seq),
            _ => {
                let what = top_is(self.0, "an array");
                Err(self.0.fail(what))
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        if state.format() == ExportFormat::Auth0Json {
            let what = top_is(state, "an object");
            return Err(state.fail(what));
        }
        let key = state.users_key();
        let mut seen_users = false;
        let mut other_keys: Vec<String> = Vec::new();
        // Every top-level key, to refuse one written twice: jq, Python and JavaScript keep the
        // last `users` array of two, so reading both (or either) imports users those tools
        // say the file does not hold. Bounded: past the budget only `users` is checked.
        let mut seen = SeenKeys::default();
        loop {
            // serde_json holds a key whole while it reads it: a key that never ends must
            // not fill memory.
            state
                .counters
                .bound(SpanKind::Key, crate::limits::MAX_RECORD_BYTES as u64);
            let next = map.next_key_seed(KeySeed {
                key,
                others: &mut other_keys,
                seen: &mut seen,
            });
            state.counters.unbound();
            let Some(top) = next? else { break };
            let is_users = match top {
                TopKey::Users => true,
                TopKey::Other => false,
                TopKey::Repeated(name) => return Err(state.repeated_key(&name)),
            };
            if is_users {
                if seen_users {
                    return Err(state.repeated_key(key));
                }
                seen_users = true;
                map.next_value_seed(UsersSeed(&mut *state))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !seen_users {
            let found = if other_keys.is_empty() {
                "the object is empty".to_string()
            } else {
                format!("top-level keys: {}", other_keys.join(", "))
            };
            return Err(state.fail(format!("no `{key}` array ({found})")));
        }
        Ok(())
    }
}

/// How many unknown top-level keys are named in a "no users" message.
const KEYS_NAMED: usize = 8;

/// Bytes of top-level keys other than the users key remembered to find one written twice:
/// a real export has a few dozen short ones (a Keycloak realm about a hundred).
const SEEN_KEY_BYTES: usize = 1 << 20;

/// The top-level keys read so far, other than the users key, up to [`SEEN_KEY_BYTES`].
#[derive(Default)]
struct SeenKeys {
    keys: std::collections::HashSet<String>,
    bytes: usize,
}

/// What a top-level key is.
enum TopKey {
    Users,
    Other,
    /// A key other than the users key, read before.
    Repeated(String),
}

/// A top-level key; others than the users key are noted (the first few) for the error
/// message, and remembered to find one written twice.
struct KeySeed<'k> {
    key: &'static str,
    others: &'k mut Vec<String>,
    seen: &'k mut SeenKeys,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = TopKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TopKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = TopKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<TopKey, E> {
        if v == self.key {
            return Ok(TopKey::Users);
        }
        if self.seen.keys.contains(v) {
            return Ok(TopKey::Repeated(v.to_owned()));
        }
        if self.seen.bytes + v.len() <= SEEN_KEY_BYTES {
            self.seen.bytes += v.len();
            self.seen.keys.insert(v.to_owned());
        }
        if self.others.len() < KEYS_NAMED {
            self.others.push(format!("{v:?}"));
        }
        Ok(TopKey::Other)
    }
}

/// The value of the users key.
struct UsersSeed<'x, 's, 'a>(&'x mut State<'s, 'a>);

impl<'de> DeserializeSeed<'de> for UsersSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UsersSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of user objects")
    }

    reject_scalars!(users_is);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        users_seq(self.0, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<(), A::Error> {
        let what = users_is(self.0, "an object");
        Err(self.0.fail(what))
    }
}

/// Streams every element of the users array to the sink.
fn users_seq<'de, A: SeqAccess<'de>>(
    state: &mut State<'_, '_>,
    mut seq: A,
) -> Result<(), A::Error> {
    while seq.next_element_seed(UserSeed(&mut *state))?.is_some() {}
    Ok(())
}

/// One user: captured as raw JSON at its start line, then converted and passed
/// to the callback.
struct UserSeed<'x, 's, 'a>(&'x mut State<'s, 'a>);

impl<'de> DeserializeSeed<'de> for UserSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let state = self.0;
        // serde_json has consumed the element's first byte (and nothing after
        // it), so the count is the element's start line.
        let line = state.counters.line();
        state.record_start = Some(line);
        // The record's bytes are kept by the reader as serde_json skips over it: any depth,
        // at most MAX_RECORD_BYTES held, and invalid UTF-8 confined to this record.
        if state.pass == Pass::Fast {
            // Nothing kept, nothing admitted: a byte that is no UTF-8 stops the pass.
            state
                .counters
                .bound(SpanKind::Record, crate::limits::MAX_DISCARD_BYTES);
            let skipped = <IgnoredAny as serde::Deserialize>::deserialize(deserializer);
            state.counters.unbound();
            skipped?;
            state.record_start = None;
            return Ok(());
        }
        state.counters.begin_capture();
        let skipped = <IgnoredAny as serde::Deserialize>::deserialize(deserializer);
        let capture = state.counters.end_capture();
        skipped?;
        state.record_start = None;
        if state.pass == Pass::Check {
            return Ok(());
        }
        let record = captured(state, line, capture);
        if state.sink.emit(record).is_break() {
            state.stopped = true;
            return Err(de::Error::custom("export reader: stopped by the caller"));
        }
        Ok(())
    }
}

/// The record of one captured user value, or why it is refused alone.
fn captured(
    state: &State<'_, '_>,
    line: u64,
    capture: Capture,
) -> Result<ExportRecord, ExportError> {
    let path = state.sink.path;
    let format = state.format();
    if capture.over {
        return Err(ExportError::Shape {
            at: Location::at_line(path, line),
            format,
            problem: format!(
                "the user record is longer than {} MiB",
                crate::limits::MAX_RECORD_BYTES >> 20
            ),
            fix: "no user needs that much: remove the bulky attributes from the record (the other records are still read; this one is not copied to a reject file)",
            raw: None,
        });
    }
    let mut bytes = capture.bytes;
    // A scalar ends where the next byte (read to see its end) begins.
    if !matches!(bytes.first(), Some(b'{' | b'[' | b'"')) {
        while bytes
            .last()
            .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}'))
        {
            bytes.pop();
        }
    }
    if let Some(bad) = capture.bad {
        return Err(ExportError::Encoding {
            at: Location::at(path, bad.line, bad.column),
            byte: bad.byte,
            raw: Some(RawText(bytes)),
        });
    }
    match String::from_utf8(bytes) {
        Ok(raw) => records::from_json(format, path, line, raw),
        Err(e) => Err(ExportError::Encoding {
            at: Location::at_line(path, line),
            byte: e.as_bytes()[e.utf8_error().valid_up_to()],
            raw: Some(RawText(e.into_bytes())),
        }),
    }
}
