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
//! - Duplicate keys: serde_yaml_ng refuses a mapping that names a key twice, but points at
//!   the mapping, not at the key (and JSON, read as YAML, the same); here the second key is
//!   refused at its own place, naming the line of the first.
//!
//! - An alias with no anchor before it: serde_yaml_ng says `unknown anchor`; here the
//!   alias is named.
//!
//! - A second document (`---`): serde_yaml_ng refuses it without a place; here it is
//!   refused where it starts.
//!
//! - Aliases that repeat the document too often (a "billion laughs"): serde_yaml_ng stops
//!   after 100 alias expansions per event of the document (`repetition limit exceeded`),
//!   without a place; here the expansions are counted as it counts them, and the alias
//!   past the limit is refused at its place.
//!
//! This reads YAML with the parser itself, never by scanning the text: what it reports is
//! what serde_yaml_ng would read (a syntax error ends the stream and is left to
//! serde_yaml_ng to report).

use std::collections::HashMap;
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

/// An open collection of the walk in [`check`].
enum Open {
    Sequence,
    /// A mapping: the keys seen so far, each with where it is, and whether the next node is
    /// a key (else the value of the last key).
    Mapping {
        keys: HashMap<serde_yaml_ng::Value, Mark>,
        next_is_key: bool,
    },
}

/// Refuses, at its place, the first of: collections nested deeper than [`MAX_DEPTH`] (which
/// serde_yaml_ng would read too slowly), a character YAML does not allow, a tag on a key,
/// value or document that serde_yaml_ng would not honour, a key its mapping already has
/// (block or flow style, YAML or JSON), a second document. A text with a syntax error before that passes:
/// serde_yaml_ng reports the error, in no more time than this took.
///
/// Errors: the [`Refusal`] of the first fault in the text.
pub fn check(text: &str) -> Result<(), Refusal> {
    // One entry per open collection: its length is the depth.
    let mut open: Vec<Open> = Vec::new();
    let mut documents = 0;
    // Anchors defined so far: an alias may name only one of these (YAML 1.2 §7.1).
    let mut anchors: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut repeats = Repeats::default();
    for node in Events::new(text) {
        let node = match node {
            Ok(node) => node,
            Err(Broken::Reader { offset, problem }) => {
                return Err(unreadable(text, offset, problem));
            }
            Err(Broken::Unmarked(at)) => return Err(unmarked_document(at)),
            Err(Broken::Syntax) => return Ok(()),
        };
        if let Some(tag) = &node.tag
            && !honoured(tag, node.event)
        {
            return Err(tagged(tag, node.event, node.at));
        }
        if let Some(anchor) = &node.anchor {
            if node.event == Event::Alias {
                if !anchors.contains(anchor) {
                    return Err(unknown_alias(anchor, node.at));
                }
            } else {
                anchors.insert(anchor.clone());
            }
        }
        repeats.event(&node);
        if matches!(
            node.event,
            Event::Scalar | Event::Alias | Event::SequenceStart | Event::MappingStart
        ) && let Some(Open::Mapping { keys, next_is_key }) = open.last_mut()
        {
            // Scalar keys only: a collection or alias as a key is left to serde_yaml_ng.
            if *next_is_key && let Some(scalar) = &node.scalar {
                let key = key_value(scalar, node.tag.as_deref());
                if let Some(first) = keys.get(&key) {
                    return Err(duplicate(&key, *first, node.at));
                }
                keys.insert(key, node.at);
            }
            *next_is_key = !*next_is_key;
        }
        match node.event {
            Event::SequenceStart | Event::MappingStart => {
                if open.len() == MAX_DEPTH {
                    return Err(too_deep(node.at));
                }
                open.push(if node.event == Event::SequenceStart {
                    Open::Sequence
                } else {
                    Open::Mapping {
                        keys: HashMap::new(),
                        next_is_key: true,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            Event::DocumentStart => {
                if documents == 1 {
                    return Err(second_document(node.at));
                }
                documents += 1;
            }
            Event::Scalar | Event::Alias => {}
        }
    }
    repeats.check()
}

/// One entry of a document's list of pools, as the text has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// Where the entry starts: its mapping, or the alias that stands for it.
    pub at: Mark,
    /// The anchor the entry repeats when it is an alias (`- *a`), else `None`.
    pub alias: Option<String>,
    /// The value of the entry's `name` key, when the entry is a mapping that has one.
    pub name: Option<NameNode>,
}

/// The value node of a pool's `name`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameNode {
    pub at: Mark,
    /// The anchor it repeats when it is an alias (`name: *n`).
    pub alias: Option<String>,
    /// Whether it is YAML's null (`name:`, `name: ~`, `name: null`), which serde_yaml_ng
    /// would read as the text `~` or `null`.
    pub null: bool,
}

/// The entries of the list of pools (the root list, or the list under the root's `pools`
/// key), in order: where each starts and whether it is an alias. serde_yaml_ng gives an
/// alias the position of its anchor, so only the events tell where the copy is.
/// A text that fails to parse yields the entries before the fault.
pub fn pool_entries(text: &str) -> Vec<ListEntry> {
    /// An open collection: a list (whether it is the list of pools), or a mapping (whether
    /// the next node is a key, and the last key read).
    enum Frame {
        List {
            of_pools: bool,
        },
        Map {
            next_is_key: bool,
            key: Option<String>,
            /// The entry of `out` this mapping is, when it is one of the list's.
            entry: Option<usize>,
        },
    }
    let mut open: Vec<Frame> = Vec::new();
    let mut out = Vec::new();
    for node in Events::new(text) {
        let Ok(node) = node else { break };
        match node.event {
            Event::Scalar | Event::Alias | Event::SequenceStart | Event::MappingStart => {
                let root_pools = open.len() == 1
                    && matches!(&open[0], Frame::Map { next_is_key: false, key: Some(k), .. } if k == "pools");
                let mut entry = None;
                match open.last_mut() {
                    Some(Frame::List { of_pools: true }) => {
                        entry = Some(out.len());
                        out.push(ListEntry {
                            at: node.at,
                            alias: (node.event == Event::Alias)
                                .then(|| node.anchor.clone())
                                .flatten(),
                            name: None,
                        });
                    }
                    Some(Frame::Map {
                        next_is_key,
                        key,
                        entry: of,
                    }) => {
                        if *next_is_key {
                            *key = node.scalar.as_ref().map(|s| s.text.clone());
                        } else if let Some(i) = *of
                            && key.as_deref() == Some("name")
                        {
                            out[i].name = Some(NameNode {
                                at: node.at,
                                alias: (node.event == Event::Alias)
                                    .then(|| node.anchor.clone())
                                    .flatten(),
                                null: node.scalar.as_ref().is_some_and(|sc| {
                                    key_value(sc, node.tag.as_deref()) == serde_yaml_ng::Value::Null
                                }),
                            });
                        }
                        *next_is_key = !*next_is_key;
                    }
                    _ => {}
                }
                match node.event {
                    Event::SequenceStart => open.push(Frame::List {
                        of_pools: open.is_empty() || root_pools,
                    }),
                    Event::MappingStart => open.push(Frame::Map {
                        next_is_key: true,
                        key: None,
                        entry,
                    }),
                    _ => {}
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            Event::DocumentStart => {}
        }
    }
    out
}

/// Alias expansions as serde_yaml_ng counts them (`jump` in its deserializer): reading the
/// document whole, every alias met, also one met inside the expansion of another, is one
/// jump, and more than 100 per event of the document is `repetition limit exceeded`.
#[derive(Default)]
struct Repeats {
    /// Events serde_yaml_ng keeps: scalars, aliases, collection starts and ends.
    events: u128,
    /// The jumps inside the expansion of each anchor (its latest definition, as aliases
    /// name the latest).
    inside: HashMap<String, u128>,
    /// Per open collection: its anchor, and the jumps inside it so far.
    open: Vec<(Option<String>, u128)>,
    /// Jumps of the whole document so far, after each alias, with its place.
    after: Vec<(u128, Mark)>,
}

impl Repeats {
    fn event(&mut self, node: &Node) {
        match node.event {
            Event::Scalar => {
                self.events += 1;
                if let Some(a) = &node.anchor {
                    self.inside.insert(a.clone(), 0);
                }
            }
            Event::Alias => {
                self.events += 1;
                let name = node.anchor.as_deref().unwrap_or_default();
                let jumps = 1u128.saturating_add(self.inside.get(name).copied().unwrap_or(0));
                if let Some((_, n)) = self.open.last_mut() {
                    *n = n.saturating_add(jumps);
                }
                let total = self
                    .after
                    .last()
                    .map_or(0, |(t, _)| *t)
                    .saturating_add(jumps);
                self.after.push((total, node.at));
            }
            Event::SequenceStart | Event::MappingStart => {
                self.events += 1;
                self.open.push((node.anchor.clone(), 0));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.events += 1;
                if let Some((anchor, n)) = self.open.pop() {
                    if let Some(a) = anchor {
                        self.inside.insert(a, n);
                    }
                    if let Some((_, up)) = self.open.last_mut() {
                        *up = up.saturating_add(n);
                    }
                }
            }
            Event::DocumentStart => {}
        }
    }

    /// The refusal at the first alias whose expansion takes the document past the limit.
    fn check(&self) -> Result<(), Refusal> {
        let limit = self.events.saturating_mul(100);
        let first = self.after.partition_point(|(total, _)| *total <= limit);
        match self.after.get(first) {
            None => Ok(()),
            Some((_, at)) => Err(Refusal {
                at: *at,
                message: format!(
                    "aliases repeat the document's nodes too many times: with this alias it expands to more than {limit} copies, 100 per node, the most pools reads (repetition limit exceeded)"
                ),
                hint: "write the values out instead of aliasing aliases of aliases; a pools document needs an alias for a shared value at most",
            }),
        }
    }
}

/// The refusal of an alias that names no anchor before it (serde_yaml_ng says `unknown
/// anchor`, without the name).
fn unknown_alias(anchor: &str, at: Mark) -> Refusal {
    Refusal {
        at,
        message: format!("the alias `*{anchor}` refers to no anchor `&{anchor}` before it"),
        hint: "define the anchor (`&name`) on a value before the alias, or write the value in place of the alias",
    }
}

/// The refusal of a second document in one file (serde_yaml_ng refuses it too, but
/// nowhere in particular).
fn second_document(at: Mark) -> Refusal {
    Refusal {
        at,
        message: "a second YAML document starts here; a pools file holds one".to_owned(),
        hint: "list every pool under the one `pools:` and remove the `---` line that starts the second document",
    }
}

/// The refusal of content after the first document ended without a `---` before it: a
/// second document, as NDJSON (one JSON value per line) has one per line.
fn unmarked_document(at: Mark) -> Refusal {
    Refusal {
        at,
        message: "a second document starts here, after the first one ended; a pools file holds one document (NDJSON, one JSON value per line, is several)".to_owned(),
        hint: "give the output of `pools list -o json` or `pools export` (one document), or list every pool in one list",
    }
}

/// The key a scalar is to serde_yaml_ng, which compares keys as values: `a` and `"a"` are
/// one key, `1` and `"1"` two. A quoted or `!!str` scalar is a string; a plain one is null,
/// a boolean or a number where serde_yaml_ng reads it so (numbers start with a digit, a sign
/// or a dot), else a string.
fn key_value(scalar: &Scalar, tag: Option<&str>) -> serde_yaml_ng::Value {
    use serde_yaml_ng::Value;
    let text = scalar.text.as_str();
    let as_string = || Value::String(text.to_owned());
    if tag == Some("tag:yaml.org,2002:str") || (tag.is_none() && !scalar.plain) {
        return as_string();
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) => {
            // serde_yaml_ng's own reading of the scalar: its rules for numbers are many.
            match serde_yaml_ng::from_str::<Value>(text) {
                Ok(number @ Value::Number(_)) => number,
                _ => as_string(),
            }
        }
        _ => as_string(),
    }
}

/// The refusal of a key given twice in one mapping, at the second, naming the first's line.
fn duplicate(key: &serde_yaml_ng::Value, first: Mark, at: Mark) -> Refusal {
    use serde_yaml_ng::Value;
    let shown = match key {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => n.to_string(),
        _ => "this key".to_owned(),
    };
    Refusal {
        at,
        message: format!(
            "duplicate key {shown}: this mapping has it already on line {}",
            first.line
        ),
        hint: "keep one of the two: a mapping (in YAML or JSON) gives each key once",
    }
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

/// A node event: what it is, its tag (resolved: `!!str` is `tag:yaml.org,2002:str`), where
/// it starts, and for a scalar its text.
#[derive(Debug)]
struct Node {
    event: Event,
    tag: Option<String>,
    at: Mark,
    scalar: Option<Scalar>,
    /// The anchor a node defines (`&a`), or the one an alias names (`*a`).
    anchor: Option<String>,
}

/// A scalar's text, and whether it was written plain (unquoted, not a block scalar).
#[derive(Debug)]
struct Scalar {
    text: String,
    plain: bool,
}

/// The node events of a stream and the start of each document; the stream's boundaries and
/// documents' ends are left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    DocumentStart,
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
    /// Content after the first document ended, with no `---` before it (NDJSON: one JSON
    /// value per line), at its start: serde_yaml_ng says "more than one document" nowhere in
    /// particular.
    Unmarked(Mark),
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
    // SAFETY: the union member read is the one of the event's type; tags and anchors are
    // NUL-terminated strings or null.
    let none = std::ptr::null_mut();
    let (event_kind, tag, anchor) = unsafe {
        match event.type_ {
            unsafe_yaml::YAML_DOCUMENT_START_EVENT => (Event::DocumentStart, none, none),
            unsafe_yaml::YAML_SCALAR_EVENT => (
                Event::Scalar,
                event.data.scalar.tag,
                event.data.scalar.anchor,
            ),
            unsafe_yaml::YAML_ALIAS_EVENT => (Event::Alias, none, event.data.alias.anchor),
            unsafe_yaml::YAML_SEQUENCE_START_EVENT => (
                Event::SequenceStart,
                event.data.sequence_start.tag,
                event.data.sequence_start.anchor,
            ),
            unsafe_yaml::YAML_SEQUENCE_END_EVENT => (Event::SequenceEnd, none, none),
            unsafe_yaml::YAML_MAPPING_START_EVENT => (
                Event::MappingStart,
                event.data.mapping_start.tag,
                event.data.mapping_start.anchor,
            ),
            unsafe_yaml::YAML_MAPPING_END_EVENT => (Event::MappingEnd, none, none),
            _ => return None,
        }
    };
    let text = |p: *mut u8| {
        (!p.is_null()).then(|| {
            // SAFETY: non-null, NUL-terminated (above).
            let s = unsafe { std::ffi::CStr::from_ptr(p.cast::<std::ffi::c_char>()) };
            s.to_string_lossy().into_owned()
        })
    };
    let (tag, anchor) = (text(tag), text(anchor));
    let scalar = (event_kind == Event::Scalar).then(|| {
        // SAFETY: a scalar event's value is `length` bytes of UTF-8 (the parser was set to
        // UTF-8 input), valid until the event is deleted.
        let (bytes, style) = unsafe {
            let s = &event.data.scalar;
            let bytes = if s.value.is_null() {
                &[][..]
            } else {
                std::slice::from_raw_parts(s.value, s.length as usize)
            };
            (bytes, s.style)
        };
        Scalar {
            text: String::from_utf8_lossy(bytes).into_owned(),
            plain: style == unsafe_yaml::YAML_PLAIN_SCALAR_STYLE,
        }
    });
    Some(Node {
        event: event_kind,
        tag,
        at: Mark::of(event.start_mark),
        scalar,
        anchor,
    })
}

/// What stopped `parser`.
fn broken(parser: &unsafe_yaml::yaml_parser_t) -> Broken {
    // The error fields are read through the parser's public prefix (its `Deref`).
    if parser.problem.is_null() {
        return Broken::Syntax;
    }
    if parser.error != unsafe_yaml::YAML_READER_ERROR {
        // SAFETY: as below.
        let problem = unsafe { std::ffi::CStr::from_ptr(parser.problem) };
        return if problem.to_bytes() == b"did not find expected <document start>" {
            Broken::Unmarked(Mark::of(parser.problem_mark))
        } else {
            Broken::Syntax
        };
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
    fn a_duplicate_key_is_refused_at_the_second_as_serde_yaml_ng_compares_keys() {
        let refused = |text: &str| {
            let r = check(text).unwrap_err();
            assert!(
                serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_err(),
                "serde_yaml_ng reads {text:?}"
            );
            (r.at.line, r.at.column, r.message)
        };
        let (l, c, m) = refused("a: 1\nb:\n  c: 2\n  c: 3\n");
        assert_eq!((l, c), (4, 3));
        assert!(
            m.contains("duplicate key \"c\"") && m.contains("line 3"),
            "{m}"
        );
        // Quoting does not make another key, in flow style and JSON alike.
        assert_eq!(refused("{a: 1, 'a': 2}").1, 8);
        let (l, c, _) = refused("{\"a\": 1,\n \"a\": 2}");
        assert_eq!((l, c), (2, 2));
        assert!(refused("[{x: 1}, {y: {z: 1, z: 2}}]").2.contains("\"z\""));
        assert!(refused("1: a\n0x1: b").2.contains("duplicate key 1"));
        assert!(refused("~: a\nnull: b").2.contains("duplicate key null"));
        assert!(refused("true: a\nTrue: b").2.contains("`true`"));
        assert!(refused("!!str 1: a\n\"1\": b").2.contains("\"1\""));
        // What serde_yaml_ng reads as two keys passes.
        for ok in [
            "1: a\n\"1\": b",
            "true: a\n\"true\": b",
            "a: {x: 1}\nb: {x: 1}",
            "- {name: a}\n- {name: a}",
            "--- {a: 1}\n...\n",
            "1: a\n1.0: b",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
    }

    /// NDJSON (`pools list -o ndjson`): a second value with no `---` before it is refused at
    /// its line, not as serde_yaml_ng's "more than one document" nowhere in particular.
    #[test]
    fn a_second_document_without_a_marker_is_refused_where_it_starts() {
        for (text, line) in [
            ("{\"name\": \"a\"}\n{\"name\": \"b\"}\n", 2),
            ("[1]\n\n[2]", 3),
        ] {
            let r = check(text).unwrap_err();
            assert!(serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_err());
            assert_eq!((r.at.line, r.at.column), (line, 1), "{text:?}: {r:?}");
            assert!(r.message.contains("second document"), "{r:?}");
            assert!(r.hint.contains("list -o json"), "{r:?}");
        }
        // Other syntax errors are still left to serde_yaml_ng.
        assert!(check("a: [1\n").is_ok());
    }

    #[test]
    fn a_second_document_is_refused_where_it_starts() {
        for (text, line) in [
            ("a: 1\n---\na: 2", 2),
            ("--- a\n--- b", 2),
            ("a\n...\n--- b", 3),
        ] {
            let r = check(text).unwrap_err();
            assert!(serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_err());
            assert_eq!(r.at.line, line, "{text:?}: {r:?}");
            assert!(r.message.contains("second YAML document"), "{r:?}");
        }
    }

    #[test]
    fn an_alias_with_no_anchor_before_it_is_refused_naming_it() {
        let r = check("a: *x\nb: &x 1").unwrap_err();
        assert_eq!((r.at.line, r.at.column), (1, 4));
        assert!(r.message.contains("`*x`"), "{r:?}");
        assert!(serde_yaml_ng::from_str::<serde_yaml_ng::Value>("a: *x\nb: &x 1").is_err());
        assert!(check("a: &x [1]\nb: *x\nc: {&y k: *x, z: *y}").is_ok());
    }

    #[test]
    fn syntax_errors_are_left_to_serde_yaml_ng() {
        assert!(check("a: [b\nc: d").is_ok());
        assert!(check("").is_ok());
    }

    /// Retrial finding 16: a "billion laughs" is refused at the alias that takes it past
    /// serde_yaml_ng's repetition limit, with its line and column; whether a document is
    /// refused agrees with serde_yaml_ng itself, level after level of aliases of aliases.
    #[test]
    fn alias_repetition_is_refused_at_its_alias_as_serde_yaml_ng_counts_it() {
        let mut refused = 0;
        for width in [3usize, 10] {
            for levels in 1..8 {
                let mut doc = format!("l0: &l0 [{}]\n", vec!["x"; width].join(", "));
                for l in 1..=levels {
                    let refs = vec![format!("*l{}", l - 1); width].join(", ");
                    doc.push_str(&format!("l{l}: &l{l} [{refs}]\n"));
                }
                let ours = check(&doc);
                let theirs = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&doc);
                let limited = theirs
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("repetition limit exceeded"));
                assert_eq!(
                    ours.is_err(),
                    limited,
                    "width {width} levels {levels}: {ours:?} {theirs:?}"
                );
                if let Err(r) = ours {
                    refused += 1;
                    assert!(r.message.contains("repetition limit exceeded"), "{r:?}");
                    assert!(r.at.line >= 2 && r.at.line <= levels + 1, "{r:?}");
                    assert!(r.at.column > 1, "{r:?}");
                }
            }
        }
        assert!(refused >= 3, "{refused}");
    }
}
