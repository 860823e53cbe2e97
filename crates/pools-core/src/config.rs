//! Declarative configuration: the YAML document of pools and their order that `apply` reads
//! and `export` writes, and the plan that takes a store from its state to the document's.
//!
//! Document shape (YAML 1.2 via serde_yaml_ng): `{ environment: ID, pools: [PoolSpec, ...] }`,
//! the list in login order. Secrets appear as references only (R11), so an exported file is
//! safe to commit. `export` writes each pool's version and the store's environment ID, so that
//! applying an edited export refuses a pool that changed since (R12).

use crate::error::{Error, Result};
use crate::pool::{Pool, PoolName, PoolSpec, StoredPool};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The YAML document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a document: `pools:` and the list of pools"
)]
pub struct Document {
    /// The environment (store) the pools' `version`s were read from, as `export` writes it:
    /// a version counts one store's changes, so it is checked only against that store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The version of that store's pool order when the document was read
    /// ([`crate::store::Store::order_version`]): a document that would reorder or delete pools
    /// after the order changed is refused (R12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_version: Option<u64>,
    /// Pools in login order.
    #[serde(default)]
    pub pools: Vec<PoolSpec>,
}

/// A parsed document: its pools and the environment it names, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The `environment` key of a `{pools: [...]}` document (what `export` writes).
    pub environment: Option<String>,
    /// Its `order_version`, if any.
    pub order_version: Option<u64>,
    /// The pools, in document (login) order.
    pub entries: Vec<Entry>,
}

impl Parsed {
    /// The entries to plan against the store of `environment_id`. A document exported from
    /// another environment (a promotion from staging, a restore into a new store) keeps its
    /// settings but loses its versions, which count that store's changes, not this one's;
    /// the flag says they were dropped. Otherwise every version is checked (R12).
    pub fn entries_for(self, environment_id: &str) -> (Vec<Entry>, bool) {
        let foreign = self.is_foreign(environment_id);
        let mut entries = self.entries;
        if foreign {
            for e in &mut entries {
                e.version = None;
            }
        }
        (entries, foreign)
    }

    /// The order version to check against the store of `environment_id`: the document's,
    /// unless it was exported from another store, whose order it counts (R12).
    pub fn order_version_for(&self, environment_id: &str) -> Option<u64> {
        self.order_version
            .filter(|_| !self.is_foreign(environment_id))
    }

    fn is_foreign(&self, environment_id: &str) -> bool {
        self.environment
            .as_deref()
            .is_some_and(|e| e != environment_id)
    }
}

/// One pool of a document, with the version it was read at and the position it was at, if
/// the document says (as `inspect` and `list -o json|yaml` print them).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub pool: Pool,
    pub version: Option<u64>,
    /// 1-based place in the login order the document pins the pool to.
    pub position: Option<usize>,
    /// Where the entry is in the document, for messages.
    pub at: Place,
}

/// How a document lists its pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `{pools: [...]}`, as `export` writes.
    Document,
    /// A bare list, as `list -o json|yaml` prints.
    List,
    /// One pool, as `inspect NAME -o json|yaml` prints.
    Single,
}

/// Where an entry of a document is: found only when a message needs it, by reading the
/// document again (serde_yaml_ng tells positions through its errors alone, and one pass
/// stops at one error), so a valid document of thousands of pools costs one parse.
#[derive(Clone, PartialEq)]
pub struct Place {
    origin: String,
    text: std::sync::Arc<str>,
    shape: Shape,
    /// The entry's index in the list of pools.
    index: usize,
}

impl std::fmt::Debug for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: pools[{}]", self.origin, self.index)
    }
}

impl Place {
    /// `file:line:column` of the value of `key` in the entry (block and flow style alike),
    /// or of the entry itself when it has no such key (a setting it lacks) or `key` is
    /// `None`; `file: pools[N]` if the document cannot be read again.
    pub fn at(&self, key: Option<&str>) -> String {
        match locate::node(&self.text, self.shape, self.index, key) {
            Some((line, column)) => format!("{}:{line}:{column}", self.origin),
            None => format!("{}: pools[{}]", self.origin, self.index),
        }
    }

    /// [`Place::at`] for the setting or rule an error names: a rule points at the key it
    /// is about (R1 at `name`, R2 at `mode`).
    fn of_error(&self, field: &str) -> String {
        let key = match field {
            "R1" => "name",
            "R2" => "mode",
            other => other,
        };
        self.at(Some(key))
    }
}

/// Parses and validates a document: `{pools: [...]}` as `export` writes it, or a bare list of
/// pools as `inspect -o json|yaml` prints it (JSON is accepted, being YAML). `origin` names the file in messages; relative paths in
/// it (`file`, `hash_config`, `file:` secret references) are taken relative to `base_dir`.
///
/// A document must say which pools it wants: one without a `pools:` list (an empty file,
/// comments only, `{}`, `pools:` or `pools: ~`) is refused, since applying it with `--prune`
/// would delete every pool; `pools: []` (or `[]`) says "no pools", and [`plan`] refuses to
/// prune with it. A document that is a plain value (a file given by mistake) is refused
/// without repeating it: it may be a secret.
///
/// Errors: [`Error::Invalid`] with `file:line:column` for YAML syntax errors and unknown
/// keys (R1), and with the pool's line for rule violations and duplicate names.
pub fn parse_document(text: &str, origin: &str, base_dir: &Path) -> Result<Vec<Entry>> {
    parse(text, origin, base_dir).map(|p| p.entries)
}

/// [`parse_document`], with the document's `environment` (see [`Parsed::entries_for`]).
///
/// Errors: as [`parse_document`].
pub fn parse(text: &str, origin: &str, base_dir: &Path) -> Result<Parsed> {
    let yaml_err = |e: serde_yaml_ng::Error| {
        let at = e
            .location()
            .map(|l| format!("{origin}:{}:{}", l.line(), l.column()))
            .unwrap_or_else(|| origin.to_owned());
        Error::invalid(at, yaml_message(&e))
            .with_hint("fix the file and run apply again; `pools export` shows the expected shape")
    };
    // Before serde_yaml_ng, which reads the whole document before its depth limit applies
    // and points a duplicate key at its mapping rather than at the key.
    crate::yaml::check(text).map_err(|r| {
        Error::invalid(format!("{origin}:{}:{}", r.at.line, r.at.column), r.message)
            .with_hint(r.hint)
    })?;
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(yaml_err)?;
    let no_list = || {
        Error::invalid(
            origin,
            "the document has no `pools:` list; applying it would remove every pool with --prune",
        )
        .with_hint("list the pools under `pools:` (as `pools export` writes); `pools: []` means no pools, and is refused with --prune")
    };
    let mut shape = Shape::Document;
    let doc: Document = match value {
        serde_yaml_ng::Value::Null => return Err(no_list()),
        serde_yaml_ng::Value::Mapping(ref m)
            if m.is_empty() || m.get("pools").is_some_and(|v| v.is_null()) =>
        {
            return Err(no_list());
        }
        serde_yaml_ng::Value::Sequence(_) => {
            shape = Shape::List;
            Document {
                pools: serde_yaml_ng::from_str(text).map_err(yaml_err)?,
                ..Document::default()
            }
        }
        // One pool, as `pools inspect NAME -o yaml|json` prints it.
        serde_yaml_ng::Value::Mapping(m) if m.contains_key("name") => {
            shape = Shape::Single;
            Document {
                pools: vec![serde_yaml_ng::from_str(text).map_err(yaml_err)?],
                ..Document::default()
            }
        }
        serde_yaml_ng::Value::Mapping(ref m) if !m.contains_key("pools") => {
            // Unknown keys are named by serde (R1); anything else still lacks the list.
            serde_yaml_ng::from_str::<Document>(text).map_err(yaml_err)?;
            return Err(no_list());
        }
        // A file that is no YAML document at all (a secret file, a CSV) reads as one plain
        // value: its place, never its text, is reported.
        serde_yaml_ng::Value::String(_)
        | serde_yaml_ng::Value::Number(_)
        | serde_yaml_ng::Value::Bool(_) => {
            let at = serde_yaml_ng::from_str::<Document>(text)
                .err()
                .and_then(|e| e.location())
                .map(|l| format!("{origin}:{}:{}", l.line(), l.column()))
                .unwrap_or_else(|| origin.to_owned());
            return Err(Error::invalid(
                at,
                "expected a document: `pools:` and the list of pools, found a plain value (not shown, as a file given by mistake may hold a secret)",
            )
            .with_hint("give the YAML document `pools export` writes (or the JSON of `pools list -o json`)"));
        }
        _ => serde_yaml_ng::from_str(text).map_err(yaml_err)?,
    };
    let mut pools: Vec<Entry> = Vec::with_capacity(doc.pools.len());
    // A set, not a scan of `pools`: a 16 MiB document holds 150,000 pools (issue 8).
    let mut names = std::collections::HashMap::with_capacity(doc.pools.len());
    let shared: std::sync::Arc<str> = text.into();
    // The entries as written: what serde_yaml_ng does not tell (a null name, an alias's place).
    let written = crate::yaml::pool_entries(text);
    for (i, spec) in doc.pools.iter().enumerate() {
        let at = Place {
            origin: origin.to_owned(),
            text: shared.clone(),
            shape,
            index: i,
        };
        if let Some(crate::yaml::NameNode {
            at: mark,
            null: true,
            ..
        }) = written.get(i).and_then(|e| e.name.as_ref())
        {
            return Err(Error::invalid(
                format!("{origin}:{}:{}", mark.line, mark.column),
                format!("pool name is null (`name:` with no value, `~` or `null`), read as {:?}; a pool needs a name (R1)", spec.name),
            )
            .with_hint("write the pool's name, e.g. name: legacy-users (quote it, name: \"null\", for a pool named null)"));
        }
        let mut spec = spec.clone();
        spec.absolutize(base_dir);
        let pool = Pool::from_spec(&spec).map_err(|e| locate(e, &at, &spec.name))?;
        // Checked again when the store writes the pool; here it gets the file's place.
        pool.check_for_write()
            .map_err(|e| locate(e, &at, &spec.name))?;
        if let Some(&first) = names.get(&pool.name) {
            return Err(twice(&pool.name, first, &at, &written));
        }
        names.insert(pool.name.clone(), i);
        pools.push(Entry {
            pool,
            version: spec.version,
            position: spec.position,
            at,
        });
    }
    // Another store's ID turns the version checks off: a blank one would do so by accident.
    if doc
        .environment
        .as_deref()
        .is_some_and(|e| e.trim().is_empty())
    {
        return Err(Error::invalid(
            origin,
            "the document's `environment` is empty, which would turn its version checks off (R12)",
        )
        .with_hint(
            "write the environment ID `pools export` wrote, or remove the key and the pools' `version`s to apply without checks",
        ));
    }
    Ok(Parsed {
        environment: doc.environment,
        order_version: doc.order_version,
        entries: pools,
    })
}

fn yaml_message(e: &serde_yaml_ng::Error) -> String {
    // serde_yaml_ng appends " at line L column C"; the location is already in the prefix.
    let s = e.to_string();
    let s = match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    };
    let s = match s.as_str() {
        // Named by `yaml::check` first; this stays for a document read another way.
        "unknown anchor" => "an alias here refers to no anchor before it".into(),
        "repetition limit exceeded" => {
            "aliases repeat the document's nodes too many times (more than pools reads)".into()
        }
        _ => s,
    };
    crate::terms::in_document_terms(&path_from_pools(&s))
}

/// serde_yaml_ng's path of a bare list's entry (`.[2].tenant`, the root being `.`) as the
/// entry of the `pools` list it is (`pools[2].tenant`), the name messages of
/// `{pools: [...]}` give it.
fn path_from_pools(message: &str) -> String {
    let Some(rest) = message.strip_prefix(".[") else {
        return message.to_owned();
    };
    match rest.split_once(']') {
        Some((n, _)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("pools[{rest}")
        }
        _ => message.to_owned(),
    }
}

/// Puts the place of the setting at fault (`file:line:column`) and its pool before the field
/// (a YAML key), for an error of pool `name`.
fn locate(e: Error, at: &Place, name: &str) -> Error {
    match e {
        Error::Invalid {
            field,
            message,
            hint,
        } => {
            let at = at.of_error(&field);
            Error::Invalid {
                field: if message.contains(&format!("pool '{name}'")) || name.is_empty() {
                    format!("{at}: {field}")
                } else {
                    format!("{at}: pool '{name}': {field}")
                },
                message,
                hint,
            }
        }
        other => other,
    }
}

/// Positions in a document, read from serde_yaml_ng: a deserialisation that stops with an
/// error at a node carries that node's line and column (in block and flow style alike).
mod locate {
    use super::Shape;
    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// The error of a walk that did not reach its node (no such entry).
    const ABSENT: &str = "pools: no such node";

    /// Line and column (1-based) of entry `index`'s value of `key`, else of the entry.
    pub(super) fn node(
        text: &str,
        shape: Shape,
        index: usize,
        key: Option<&str>,
    ) -> Option<(usize, usize)> {
        let entry = Entry { key };
        let result = match shape {
            Shape::Single if index == 0 => {
                entry.deserialize(serde_yaml_ng::Deserializer::from_str(text))
            }
            Shape::Single => return None,
            Shape::List => {
                List { index, entry }.deserialize(serde_yaml_ng::Deserializer::from_str(text))
            }
            Shape::Document => {
                Root(List { index, entry }).deserialize(serde_yaml_ng::Deserializer::from_str(text))
            }
        };
        let err = result.err()?;
        if err.to_string().starts_with(ABSENT) {
            return None;
        }
        err.location().map(|l| (l.line(), l.column()))
    }

    /// `{pools: [...]}`: walks into the list.
    struct Root<'k>(List<'k>);

    impl<'de> DeserializeSeed<'de> for Root<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Root<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a document")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(k) = map.next_key::<String>()? {
                if k == "pools" {
                    return map.next_value_seed(self.0);
                }
                map.next_value::<IgnoredAny>()?;
            }
            Err(de::Error::custom(ABSENT))
        }
    }

    /// The list of pools: walks into entry `index`.
    struct List<'k> {
        index: usize,
        entry: Entry<'k>,
    }

    impl<'de> DeserializeSeed<'de> for List<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for List<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of pools")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            for _ in 0..self.index {
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Err(de::Error::custom(ABSENT));
                }
            }
            seq.next_element_seed(self.entry)?;
            Err(de::Error::custom(ABSENT))
        }
    }

    /// One pool's mapping: stops at the value of `key`, else at the mapping itself.
    struct Entry<'k> {
        key: Option<&'k str>,
    }

    impl<'de> DeserializeSeed<'de> for Entry<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Entry<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a pool")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            if let Some(key) = self.key {
                while let Some(k) = map.next_key::<String>()? {
                    if k == key {
                        return map.next_value_seed(Stop);
                    }
                    map.next_value::<IgnoredAny>()?;
                }
            }
            // Raised here, the error takes the mapping's position.
            Err(de::Error::custom("stop"))
        }
    }

    /// Any value: refused, so that the error carries the value's position.
    struct Stop;

    impl<'de> DeserializeSeed<'de> for Stop {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Stop {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("nothing: this walk only finds a position")
        }
    }
}

/// The refusal of entry `at` for a name entry `first` has already (R1), at the second entry,
/// naming the first: at the alias itself when the entry is a YAML alias of another, as
/// serde_yaml_ng places a copy at its anchor.
fn twice(name: &PoolName, first: usize, at: &Place, entries: &[crate::yaml::ListEntry]) -> Error {
    let line = |i: usize| entries.get(i).map(|e| format!(", line {}", e.at.line));
    let first_at = format!("pools[{first}]{}", line(first).unwrap_or_default());
    let message = format!("pool '{name}' appears twice (R1: names are unique)");
    match entries.get(at.index) {
        Some(crate::yaml::ListEntry {
            at: mark,
            alias: Some(anchor),
            ..
        }) => Error::invalid(
            format!("{}:{}:{}", at.origin, mark.line, mark.column),
            format!("{message}: the alias `*{anchor}` repeats {first_at}"),
        )
        .with_hint("remove the alias entry, or write the second pool out with a name of its own"),
        Some(crate::yaml::ListEntry {
            name:
                Some(crate::yaml::NameNode {
                    at: mark,
                    alias: Some(anchor),
                    ..
                }),
            ..
        }) => Error::invalid(
            format!("{}:{}:{}", at.origin, mark.line, mark.column),
            format!(
                "{message}: this name is the alias `*{anchor}`, and {first_at} has the name already"
            ),
        )
        .with_hint("give this pool a name of its own instead of the alias"),
        _ => Error::invalid(
            at.at(Some("name")),
            format!("{message}: {first_at} has the name already"),
        )
        .with_hint("rename one of the two pools, or remove one"),
    }
}

/// The pools of the store of `environment_id` as a document, in order, each with its version
/// (so that applying an edited copy refuses a pool changed since, R12), with paths written
/// relative to `base_dir` where they share more than the root with it (see
/// [`PoolSpec::relativize`]): a document saved in `base_dir` then applies to the same files,
/// from any working directory. A document of no pools names no environment: it has no
/// versions to check.
pub fn document(
    pools: &[StoredPool],
    base_dir: &Path,
    environment_id: &str,
    order_version: u64,
) -> Document {
    Document {
        environment: (!pools.is_empty()).then(|| environment_id.to_owned()),
        order_version: (!pools.is_empty()).then_some(order_version),
        pools: pools
            .iter()
            .map(|p| {
                let mut spec = p.pool.to_spec();
                spec.version = Some(p.version);
                spec.relativize(base_dir);
                spec
            })
            .collect(),
    }
}

/// Writes pools as a YAML [`document`] for a file in `base_dir`.
///
/// Errors: none in practice, YAML serialisation of these types cannot fail: if it does, that
/// is a bug ([`Error::Bug`]).
pub fn export_document(
    pools: &[StoredPool],
    base_dir: &Path,
    environment_id: &str,
    order_version: u64,
) -> Result<String> {
    serde_yaml_ng::to_string(&document(pools, base_dir, environment_id, order_version))
        .map_err(|e| Error::bug(format!("the export document does not serialise: {e}")))
}

/// One field that differs between the store and the document.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FieldDiff {
    pub field: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// One step of a plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Create {
        pool: Pool,
    },
    Update {
        pool: Pool,
        version: u64,
        fields: Vec<FieldDiff>,
    },
    Delete {
        name: PoolName,
        version: u64,
    },
}

/// What `apply` will do: pool changes, then the new order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// The order the plan was computed from; `apply` fails if it changed meanwhile (R12).
    pub order_before: Vec<PoolName>,
    pub order_after: Vec<PoolName>,
    /// The order version the document was read at ([`Document::order_version`]), set by
    /// [`Plan::check_order_from`] when the plan reorders pools the document lists or deletes
    /// pools: the store refuses the plan if its order changed since (R12). `None`: no check.
    pub order_read: Option<u64>,
}

impl Plan {
    /// True when applying would change nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.order_before == self.order_after
    }

    /// Asks the store to refuse this plan if its pool order is no longer at `read` (the
    /// document's order version), when the plan depends on the order it read: it moves pools
    /// relative to each other or deletes pools. Creating pools and changing settings do not:
    /// another change to the order since is not undone by them.
    pub fn check_order_from(&mut self, read: Option<u64>) {
        let deletes = self
            .changes
            .iter()
            .any(|c| matches!(c, Change::Delete { .. }));
        self.order_read = read.filter(|_| deletes || !self.moves().is_empty());
    }

    /// Pools present before and after whose position changes: (name, from, to), 1-based.
    pub fn moves(&self) -> Vec<(PoolName, usize, usize)> {
        use std::collections::{HashMap, HashSet};
        let kept: HashSet<&PoolName> = self.order_after.iter().collect();
        let before: Vec<&PoolName> = self
            .order_before
            .iter()
            .filter(|n| kept.contains(n))
            .collect();
        let was: HashSet<&PoolName> = before.iter().copied().collect();
        let place_after: HashMap<&PoolName, usize> = self
            .order_after
            .iter()
            .filter(|n| was.contains(n))
            .enumerate()
            .map(|(j, n)| (n, j))
            .collect();
        before
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let j = *place_after.get(n)?;
                (i != j).then(|| ((*n).clone(), i + 1, j + 1))
            })
            .collect()
    }
}

/// Computes the plan from the store's pools (in order) to `desired` (in order). Pools not in
/// the document are kept after the document's pools, in their current order, unless `prune`.
/// Entries with a `position` are put at that place of the resulting order and the others
/// fill the places left, so output of `inspect` or `list` applies as a no-op.
///
/// Errors: [`Error::Conflict`] when an entry carries a `version` the store has moved past;
/// [`Error::Invalid`] when positions are out of range or disagree with the list order.
/// [`Error::Invalid`] on `--prune` when `prune` would delete every pool of a non-empty store
/// because the document lists none.
pub fn plan(current: &[StoredPool], desired: &[Entry], prune: bool) -> Result<Plan> {
    // `[]` is what `pools list -o json` prints for an empty store, or for a mistyped
    // --store path: pruning with it would delete every pool.
    if prune && desired.is_empty() && !current.is_empty() {
        return Err(Error::invalid(
            "--prune",
            format!(
                "the document lists no pools, so --prune would delete every pool of this store ({})",
                current.len()
            ),
        )
        .with_hint(
            "an empty list is what `pools list -o json` prints for an empty store or a mistyped --store path; list the pools to keep, or delete pools with `pools delete NAME`",
        ));
    }
    let by_name: std::collections::HashMap<&PoolName, &StoredPool> =
        current.iter().map(|c| (&c.pool.name, c)).collect();
    let wanted: std::collections::HashSet<&PoolName> =
        desired.iter().map(|d| &d.pool.name).collect();
    let mut changes = Vec::new();
    for Entry {
        pool: want,
        version,
        at,
        ..
    } in desired
    {
        let have = by_name.get(&want.name).copied();
        if let Some(v) = version
            && have.is_none_or(|h| h.version != *v)
        {
            return Err(stale_entry(at, &want.name, *v, have.map(|h| h.version)));
        }
        match have {
            None => changes.push(Change::Create { pool: want.clone() }),
            Some(have) => {
                let fields = diff(&have.pool.to_spec(), &want.to_spec());
                if !fields.is_empty() {
                    changes.push(Change::Update {
                        pool: want.clone(),
                        version: have.version,
                        fields,
                    });
                }
            }
        }
    }
    let mut rest = Vec::new();
    for have in current {
        if wanted.contains(&have.pool.name) {
            continue;
        }
        if prune {
            changes.push(Change::Delete {
                name: have.pool.name.clone(),
                version: have.version,
            });
        } else {
            rest.push(have.pool.name.clone());
        }
    }
    let order_after = order_with_positions(desired, rest)?;
    Ok(Plan {
        changes,
        order_before: current.iter().map(|c| c.pool.name.clone()).collect(),
        order_after,
        order_read: None,
    })
}

/// The refusal of `plan`, read at order version `read`, by a store whose order is at `now`:
/// the document would undo a reorder, or delete a pool created after it was read (R12).
pub fn stale_order(plan: &Plan, read: u64, now: u64) -> Error {
    let what = if plan
        .changes
        .iter()
        .any(|c| matches!(c, Change::Delete { .. }))
    {
        "delete pools"
    } else {
        "move pools"
    };
    Error::Conflict {
        message: format!(
            "the pool order changed since the document was read (order version {read} in the document, {now} in the store: a pool was moved, created or deleted), and the document would {what}; nothing was written (R12)"
        ),
        hint: Some(
            "export again (`pools export > FILE`), redo your edit in the new copy and apply that"
                .into(),
        ),
    }
}

/// The refusal of an entry read at version `read` of a pool the store has at `now` (`None`:
/// the pool is gone, or never was in this store): the document is stale (R12).
fn stale_entry(at: &Place, name: &PoolName, read: u64, now: Option<u64>) -> Error {
    let doc = &at.origin;
    let message = match now {
        Some(now) => format!(
            "{}: pool '{name}' changed since {doc} was read: it is at version {read} in {doc} and at version {now} in the store; nothing was written (R12)",
            at.at(Some("version"))
        ),
        None => format!(
            "{}: pool '{name}' is at version {read} in {doc} but is not in the store (deleted since {doc} was read, or never in this store); nothing was written (R12)",
            at.at(Some("version"))
        ),
    };
    // What was read again is what the document was made by.
    let reread = match at.shape {
        Shape::Document => "export again (`pools export > FILE`)".to_owned(),
        Shape::List => "read the pools again (`pools list -o yaml`)".to_owned(),
        Shape::Single => format!("read the pool again (`pools inspect {name} -o yaml`)"),
    };
    let mut hint = format!("{reread}, redo your edit in the new copy and apply that");
    if now.is_none() {
        hint.push_str(&format!(
            "; to create pool '{name}' anew, remove its `version`"
        ));
    }
    Error::Conflict {
        message,
        hint: Some(hint),
    }
}

/// The document's pools in list order, then `rest`, with entries that carry a `position` put
/// there and the others filling the remaining places in that order.
fn order_with_positions(desired: &[Entry], rest: Vec<PoolName>) -> Result<Vec<PoolName>> {
    let total = desired.len() + rest.len();
    let mut slots: Vec<Option<PoolName>> = vec![None; total];
    let mut last: Option<(usize, &PoolName)> = None;
    for e in desired {
        let Some(p) = e.position else { continue };
        let field = format!("{}: position", e.at.at(Some("position")));
        if p == 0 || p > total {
            return Err(Error::invalid(
                field,
                format!(
                    "pool '{}' is given position {p}, outside 1..={total}",
                    e.pool.name
                ),
            )
            .with_hint(
                "remove the `position` key (the list order decides), or give a place in range",
            ));
        }
        if let Some((before, name)) = last
            && p <= before
        {
            return Err(Error::invalid(
                field,
                format!(
                    "pool '{}' is given position {p} but comes after '{name}' (position {before}) in the list",
                    e.pool.name
                ),
            )
            .with_hint("remove the `position` keys (the list order decides), or make them follow the list"));
        }
        last = Some((p, &e.pool.name));
        slots[p - 1] = Some(e.pool.name.clone());
    }
    let mut fill = desired
        .iter()
        .filter(|e| e.position.is_none())
        .map(|e| e.pool.name.clone())
        .chain(rest);
    Ok(slots
        .into_iter()
        .map(|s| s.or_else(|| fill.next()).expect("one name per place"))
        .collect())
}

fn diff(before: &PoolSpec, after: &PoolSpec) -> Vec<FieldDiff> {
    let as_map = |s: &PoolSpec| match serde_json::to_value(s) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (b, a) = (as_map(before), as_map(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| FieldDiff {
            field: k.clone(),
            before: b.get(k).cloned(),
            after: a.get(k).cloned(),
        })
        .collect()
}
