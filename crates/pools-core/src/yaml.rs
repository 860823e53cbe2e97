//! The event stream of the YAML parser that serde_yaml_ng runs (unsafe-libyaml, the same
//! crate and version), read before serde_yaml_ng reads a document, for what its
//! deserializer tells too late or not at all.
//!
//! - Depth: serde_yaml_ng collects every event of a document before its limit of
//!   [`MAX_DEPTH`] levels applies, and libyaml's scanner spends time quadratic in the nesting
//!   of flow collections (serde-yaml-ng issue #16, yaml-serde issue #1): 100,000 levels of
//!   `[` took 50 s before `recursion limit exceeded`. Reading the events here stops at the
//!   first collection past the limit, so no document reaches the quadratic part.
//!
//! - Characters YAML does not allow (a NUL, other control characters): libyaml tells the
//!   byte offset alone, which serde_yaml_ng showed as line 1 column 1 (`at position 10`);
//!   here it becomes the character's own line and column.
//!
//! - Tags: serde_yaml_ng drops a tag it has no use for (`name: !foo abc` read as `abc`, and
//!   on keys and whole documents alike) or takes it for an enum variant; here it is refused,
//!   named, at its place. The core schema's `!!str`, `!!int`, ... are honoured and pass.
//!
//! This reads YAML with the parser itself, never by scanning the text: what it reports is
//! what serde_yaml_ng would read (a syntax error ends the stream and is left to
//! serde_yaml_ng to report).

use std::mem::MaybeUninit;
use unsafe_libyaml as unsafe_yaml;

/// The nesting at which serde_yaml_ng refuses a document (`recursion limit exceeded`): it
/// counts every sequence and mapping, the document's root among them, and refuses the 129th.
pub const MAX_DEPTH: usize = 128;

/// A place in the text: 1-based line and column (in characters), as libyaml and
/// serde_yaml_ng's errors count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn of(mark: unsafe_yaml::yaml_mark_t) -> Self {
        Mark {
            line: mark.line as usize + 1,
            column: mark.column as usize + 1,
        }
    }
}

/// Why a text is refused before serde_yaml_ng reads it: where, and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub at: Mark,
    pub message: String,
    pub hint: &'static str,
}

/// Refuses, at its place, the first of: collections nested deeper than [`MAX_DEPTH`] (which
/// serde_yaml_ng would read too slowly), a character YAML does not allow, a tag on a key,
/// value or document that serde_yaml_ng would not honour. A text with a syntax error before
/// that passes: serde_yaml_ng reports the error, in no more time than this took.
///
/// Errors: the [`Refusal`] of the first fault in the text.
pub fn check(text: &str) -> Result<(), Refusal> {
    let mut depth = 0usize;
    for node in Events::new(text) {
        let node = match node {
            Ok(node) => node,
            Err(Broken::Reader { offset, problem }) => {
                return Err(unreadable(text, offset, problem));
            }
            Err(Broken::Syntax) => return Ok(()),
        };
        if let Some(tag) = &node.tag
            && !honoured(tag, node.event)
        {
            return Err(tagged(tag, node.event, node.at));
        }
        match node.event {
            Event::SequenceStart | Event::MappingStart => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(node.at));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::Scalar | Event::Alias => {}
        }
    }
    Ok(())
}

fn too_deep(at: Mark) -> Refusal {
    Refusal {
        at,
        message: format!(
            "collections nest deeper than {MAX_DEPTH} levels here, the most pools reads (recursion limit exceeded)"
        ),
        hint: "a pools document nests a few levels (pools, a pool, its settings): close the `[` and `{` opened before this place, or remove the extra nesting",
    }
}

/// The prefix of the YAML core schema's tags (`!!str` is `tag:yaml.org,2002:str`).
const CORE: &str = "tag:yaml.org,2002:";

/// Whether serde_yaml_ng reads a node of kind `event` tagged `tag` as the tag says: the core
/// schema's scalar tags on scalars, `!!seq` and `!!map` on their collections. Any other
/// tag it drops without a word (`name: !foo abc` is `abc`) or takes for an enum variant.
fn honoured(tag: &str, event: Event) -> bool {
    let Some(core) = tag.strip_prefix(CORE) else {
        return false;
    };
    match event {
        Event::Scalar => ["str", "int", "float", "bool", "null"].contains(&core),
        Event::SequenceStart => core == "seq",
        Event::MappingStart => core == "map",
        _ => false,
    }
}

/// The refusal of a tag serde_yaml_ng would not honour, named as written where it can be
/// (`!foo`, `!!binary`, else `!<uri>`).
fn tagged(tag: &str, event: Event, at: Mark) -> Refusal {
    let core = tag.strip_prefix(CORE);
    let shown = match core {
        Some(core) => format!("!!{core}"),
        None if tag.starts_with('!') => tag.to_owned(),
        None => format!("!<{tag}>"),
    };
    let misplaced =
        core.is_some_and(|c| ["str", "int", "float", "bool", "null", "seq", "map"].contains(&c));
    let message = if misplaced {
        let what = match event {
            Event::Scalar => "a single value",
            Event::SequenceStart => "a list",
            _ => "a mapping",
        };
        format!("the YAML tag `{shown}` does not fit {what}")
    } else {
        format!("the YAML tag `{shown}` is not supported: pools would ignore it")
    };
    Refusal {
        at,
        message,
        hint: "remove the tag: a pools document holds plain values (`name: legacy`, not `name: !tag legacy`)",
    }
}

/// The reader's refusal of the character at byte `offset`, at its line and column.
fn unreadable(text: &str, offset: usize, problem: String) -> Refusal {
    let at = mark_at(text, offset);
    let found = text.get(offset..).and_then(|rest| rest.chars().next());
    let message = match found {
        Some(c) if problem.starts_with("control characters") => {
            format!(
                "the character U+{:04X} is not allowed in YAML",
                u32::from(c)
            )
        }
        _ => problem,
    };
    Refusal {
        at,
        message,
        hint: "remove the character: YAML text holds printable characters, tabs and line breaks",
    }
}

/// The line and column of byte `offset`, counted as libyaml counts them: a column is a
/// character, a byte-order mark at the start is none, and CR LF, CR, LF, NEL, LS and PS
/// each end a line.
fn mark_at(text: &str, offset: usize) -> Mark {
    let before = text.get(..offset).unwrap_or(text);
    let before = before.strip_prefix('\u{feff}').unwrap_or(before);
    let mut at = Mark { line: 1, column: 1 };
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            at = Mark {
                line: at.line + 1,
                column: 1,
            };
        } else {
            at.column += 1;
        }
    }
    at
}

/// A node event: what it is, its tag (resolved: `!!str` is `tag:yaml.org,2002:str`) and
/// where it starts.
#[derive(Debug)]
struct Node {
    event: Event,
    tag: Option<String>,
    at: Mark,
}

/// The node events of a stream; stream and document boundaries are left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Scalar,
    Alias,
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

/// Why the stream ended early.
#[derive(Debug)]
enum Broken {
    /// libyaml's reader refused the character at byte `offset` of the text.
    Reader { offset: usize, problem: String },
    /// A syntax error, or no parser: left to serde_yaml_ng to report.
    Syntax,
}

/// libyaml's events for one text, in order, until the end of the stream or its first error.
struct Events<'t> {
    /// Boxed: libyaml keeps pointers into the parser (its own read handler's data), so it
    /// must not move once it has its input. `None` if libyaml could not allocate it.
    parser: Option<Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>>,
    text: std::marker::PhantomData<&'t str>,
    done: bool,
}

impl<'t> Events<'t> {
    /// The parser set up as serde_yaml_ng sets it up (UTF-8 input), over `text`.
    fn new(text: &'t str) -> Self {
        let mut parser = Box::new(MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
        // SAFETY: `parser` is allocated and stays put (boxed) for the parser's life; the
        // input `text` outlives `Events` ('t), which deletes the parser on drop.
        let ready = unsafe {
            let p = parser.as_mut_ptr();
            if unsafe_yaml::yaml_parser_initialize(p).ok {
                unsafe_yaml::yaml_parser_set_encoding(p, unsafe_yaml::YAML_UTF8_ENCODING);
                unsafe_yaml::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
                true
            } else {
                false
            }
        };
        Events {
            parser: ready.then_some(parser),
            text: std::marker::PhantomData,
            done: false,
        }
    }
}

impl Iterator for Events<'_> {
    type Item = Result<Node, Broken>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let Some(parser) = self.parser.as_mut() else {
                self.done = true;
                return Some(Err(Broken::Syntax));
            };
            let p = parser.as_mut_ptr();
            let mut raw = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
            // SAFETY: `p` was initialised in `new` and is not used after an error (`done`);
            // an event libyaml filled in is read, then deleted once, before the next call.
            let node = unsafe {
                if unsafe_yaml::yaml_parser_parse(p, raw.as_mut_ptr()).fail {
                    self.done = true;
                    return Some(Err(broken(&*p)));
                }
                let event = raw.as_mut_ptr();
                self.done = (*event).type_ == unsafe_yaml::YAML_STREAM_END_EVENT;
                let node = node(&*event);
                unsafe_yaml::yaml_event_delete(event);
                node
            };
            if let Some(node) = node {
                return Some(Ok(node));
            }
        }
    }
}

/// The node `event` is, if it is one, copied out of libyaml's memory.
///
/// # Safety
/// `event` must be an event `yaml_parser_parse` filled in and not yet deleted.
unsafe fn node(event: &unsafe_yaml::yaml_event_t) -> Option<Node> {
    // SAFETY: the union member read is the one of the event's type; tags are NUL-terminated
    // strings or null.
    let (event_kind, tag) = unsafe {
        match event.type_ {
            unsafe_yaml::YAML_SCALAR_EVENT => (Event::Scalar, event.data.scalar.tag),
            unsafe_yaml::YAML_ALIAS_EVENT => (Event::Alias, std::ptr::null_mut()),
            unsafe_yaml::YAML_SEQUENCE_START_EVENT => {
                (Event::SequenceStart, event.data.sequence_start.tag)
            }
            unsafe_yaml::YAML_SEQUENCE_END_EVENT => (Event::SequenceEnd, std::ptr::null_mut()),
            unsafe_yaml::YAML_MAPPING_START_EVENT => {
                (Event::MappingStart, event.data.mapping_start.tag)
            }
            unsafe_yaml::YAML_MAPPING_END_EVENT => (Event::MappingEnd, std::ptr::null_mut()),
            _ => return None,
        }
    };
    let tag = (!tag.is_null()).then(|| {
        // SAFETY: non-null, NUL-terminated (above).
        let tag = unsafe { std::ffi::CStr::from_ptr(tag.cast::<std::ffi::c_char>()) };
        tag.to_string_lossy().into_owned()
    });
    Some(Node {
        event: event_kind,
        tag,
        at: Mark::of(event.start_mark),
    })
}

/// What stopped `parser`.
fn broken(parser: &unsafe_yaml::yaml_parser_t) -> Broken {
    // The error fields are read through the parser's public prefix (its `Deref`).
    if parser.error != unsafe_yaml::YAML_READER_ERROR || parser.problem.is_null() {
        return Broken::Syntax;
    }
    // SAFETY: libyaml's problems are static NUL-terminated strings.
    let problem = unsafe { std::ffi::CStr::from_ptr(parser.problem) };
    Broken::Reader {
        offset: parser.problem_offset as usize,
        problem: problem.to_string_lossy().into_owned(),
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        if let Some(parser) = self.parser.as_mut() {
            // SAFETY: initialised in `new`, deleted once, here.
            unsafe { unsafe_yaml::yaml_parser_delete(parser.as_mut_ptr()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn the_limit_is_serde_yaml_ngs() {
        // serde_yaml_ng reads 128 levels and refuses 129, at the 129th: so does `check`.
        let ok = nested(MAX_DEPTH);
        assert!(check(&ok).is_ok());
        assert!(serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&ok).is_ok());
        let deep = nested(MAX_DEPTH + 1);
        let serde = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&deep).unwrap_err();
        let at = serde.location().unwrap();
        assert_eq!(
            check(&deep).unwrap_err().at,
            Mark {
                line: at.line(),
                column: at.column()
            }
        );
    }

    #[test]
    fn a_refused_character_is_at_its_line_and_column() {
        let at = |text: &str| {
            let r = check(text).unwrap_err();
            assert!(r.message.contains("U+"), "{r:?}");
            (r.at.line, r.at.column)
        };
        assert_eq!(at("pools: []\n\0\n"), (2, 1));
        assert_eq!(at("\u{feff}# é€\u{86}\n"), (1, 5));
        assert_eq!(at("a: b\r\n\r\nc: \u{7f}"), (3, 4));
        assert_eq!(at("a: \"\u{2028}x\u{1}\""), (2, 2));
    }

    #[test]
    fn tags_serde_yaml_ng_would_drop_are_refused_wherever_they_are() {
        let refused = |text: &str| {
            let r = check(text).unwrap_err();
            (r.at.line, r.at.column, r.message)
        };
        let (l, c, m) = refused("name: !foo abc");
        assert_eq!((l, c), (1, 7));
        assert!(m.contains("`!foo`"), "{m}");
        assert_eq!(refused("a: 1\n!k b: 2").0, 2);
        assert!(refused("--- !doc\npools: []").2.contains("`!doc`"));
        assert!(refused("a: !!binary aGk=").2.contains("`!!binary`"));
        assert!(
            refused("a: !!seq x")
                .2
                .contains("does not fit a single value")
        );
        assert!(
            refused("%TAG !e! tag:example.org,2024:\n---\na: !e!x 1")
                .2
                .contains("!<tag:example.org,2024:x>")
        );
        assert!(refused("a: ! x").2.contains("`!`"));
        assert!(refused("a: [!t {b: 1}]").2.contains("`!t`"));
        for ok in [
            "a: !!str 1",
            "!!map {a: !!int 1, b: !!seq [!!null ~, !!bool true, !!float 1]}",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn syntax_errors_are_left_to_serde_yaml_ng() {
        assert!(check("a: [b\nc: d").is_ok());
        assert!(check("").is_ok());
    }
}
