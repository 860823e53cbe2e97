//! JSON read strictly: an object that names one key twice is refused. `serde_json` keeps the
//! last of two equal keys, so a document could say two things and be read as one of them
//! unnoticed: an ID token's `"sub":"s5","sub":"s6"` (RFC 7519 §4: claim names are unique), or
//! metadata written twice. The inputs an operator hands `pools` whole (`--claims`,
//! `users set-metadata --file`) are read here.

use serde::Deserializer as _;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Parses `text` as one JSON value, refusing any object (at any depth) with a repeated key.
/// A leading UTF-8 byte-order mark is skipped (RFC 8259 §8.1 lets a parser ignore it), as
/// the CSV and YAML readers do: editors on Windows write one.
///
/// Errors: the parser's error, with its line and column; for a repeated key,
/// `key "NAME" appears twice in one object`, or `... in the object `PATH`` when the object is
/// not the document's own (`a.b`, `list[2]`).
pub fn parse_unique(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(strip_bom(text));
    let value = (&mut de).deserialize_any(Unique::root(true))?;
    de.end()?;
    Ok(value)
}

/// Reads one JSON object as `Map<String, Value>` does (`#[serde(deserialize_with)]`), but
/// refuses a repeated key at any depth, as [`parse_unique`]: `serde_json` keeps the last of
/// two, so a backup's `"profile": {"plan": "free", "plan": "pro"}` would restore as one of
/// two answers unnoticed. The message names the key, not where its object lies: the caller
/// reads through `serde_path_to_error`, whose path names it (`profile.address`).
///
/// Errors: the deserializer's, for a value that is not an object; `key "NAME" appears twice
/// in one object`.
pub(crate) fn unique_object<'de, D: de::Deserializer<'de>>(
    d: D,
) -> Result<Map<String, Value>, D::Error> {
    d.deserialize_map(UniqueObject)
}

/// The visitor of [`unique_object`].
struct UniqueObject;

impl<'de> Visitor<'de> for UniqueObject {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        match Unique::root(false).visit_map(map)? {
            Value::Object(m) => Ok(m),
            _ => unreachable!("an object reads as an object"),
        }
    }
}

/// Where a value lies in the document being read, for the message of a repeated key: a
/// chain of its parents on the stack, turned into text only when a key repeats.
#[derive(Clone, Copy)]
pub(crate) enum At<'p> {
    Root,
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    /// `address.home`, `emails[1].type`; empty at the root. Keys are written as they are
    /// (escaped only where they hold control characters), as `serde_path_to_error` does.
    pub(crate) fn path(&self) -> String {
        let mut parts = Vec::new();
        let mut at = self;
        loop {
            match at {
                At::Root => break,
                At::Key(parent, key) => {
                    parts.push(format!(".{}", key.escape_debug()));
                    at = parent;
                }
                At::Index(parent, i) => {
                    parts.push(format!("[{i}]"));
                    at = parent;
                }
            }
        }
        let text: String = parts.into_iter().rev().collect();
        text.strip_prefix('.').map(str::to_owned).unwrap_or(text)
    }

    /// The error of `key` written twice in the object at this place.
    pub(crate) fn repeated<E: de::Error>(&self, key: &str) -> E {
        match self {
            At::Root => repeated(key),
            _ => de::Error::custom(format_args!(
                "key {key:?} appears twice in the object `{}`",
                self.path()
            )),
        }
    }
}

/// The keys of one object being read, to refuse one written twice without building the
/// object: a list while it is short (most objects), a sorted set past that, so a record of
/// 100,000 keys costs no quadratic scan.
#[derive(Default)]
pub(crate) struct KeySet<'a> {
    few: Vec<Cow<'a, str>>,
    many: std::collections::BTreeSet<Cow<'a, str>>,
}

/// Keys of an object checked by a scan of the list; more go into the set.
const FEW_KEYS: usize = 16;

impl<'a> KeySet<'a> {
    /// Notes `key`; a key already noted is the error `key "NAME" appears twice in one
    /// object`, as [`parse_unique`] says it.
    pub(crate) fn insert<E: de::Error>(&mut self, key: Cow<'a, str>) -> Result<(), E> {
        let seen = if self.many.is_empty() && self.few.len() < FEW_KEYS {
            self.few.contains(&key)
        } else {
            self.many.extend(self.few.drain(..));
            self.many.contains(&key)
        };
        if seen {
            return Err(repeated(&key));
        }
        if self.many.is_empty() {
            self.few.push(key);
        } else {
            self.many.insert(key);
        }
        Ok(())
    }
}

/// The error of a key written twice in one object.
fn repeated<E: de::Error>(key: &str) -> E {
    de::Error::custom(format_args!("key {key:?} appears twice in one object"))
}

/// The key that [`parse_unique`] (or [`unique_object`]) refused as written twice, from its
/// error; `None` for any other error.
pub fn repeated_key(e: &serde_json::Error) -> Option<String> {
    if !e.is_data() {
        return None;
    }
    let text = e.to_string();
    let quoted = text.strip_prefix("key ")?;
    let end = quoted.find(" appears twice in ")?;
    // The key as `{:?}` wrote it: JSON reads back the escapes of a printable key.
    serde_json::from_str(&quoted[..end]).ok()
}

/// `text` without a leading UTF-8 byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Builds a [`Value`] as `serde_json` does, but fails on a repeated object key; `named`:
/// the message says where the object lies (`in the object `address.home``).
struct Unique<'p> {
    at: At<'p>,
    named: bool,
}

impl Unique<'_> {
    fn root(named: bool) -> Self {
        Unique {
            at: At::Root,
            named,
        }
    }
}

impl<'de> de::DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let item = Unique {
                at: At::Index(&self.at, out.len()),
                named: self.named,
            };
            match seq.next_element_seed(item)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if out.contains_key(&k) {
                return Err(if self.named {
                    self.at.repeated(&k)
                } else {
                    repeated(&k)
                });
            }
            let v = map.next_value_seed(Unique {
                at: At::Key(&self.at, &k),
                named: self.named,
            })?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Looks a dotted path up in a JSON value (a profile; for idp pools, the claims). A key that itself
/// contains dots (e.g. a Cognito `custom:tenant.id`) is matched before descending.
pub fn lookup<'a>(profile: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = profile.get(path) {
        return Some(v);
    }
    let (head, rest) = path.split_once('.')?;
    lookup(profile.get(head)?, rest)
}

#[cfg(test)]
mod tests {
    use super::parse_unique;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        assert_eq!(
            parse_unique(text).unwrap(),
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
        assert_eq!(parse_unique("[]").unwrap(), json!([]));
    }

    #[test]
    fn refuses_a_repeated_key_at_any_depth_with_its_place() {
        let e = parse_unique("{\"sub\":\"s5\",\n\"sub\":\"s6\"}").unwrap_err();
        assert!(e.to_string().contains(r#"key "sub" appears twice"#), "{e}");
        assert_eq!(e.line(), 2, "{e}");
        let e = parse_unique(r#"{"a": [{"x": 1, "x": 1}]}"#).unwrap_err();
        assert!(e.to_string().contains(r#""x""#), "{e}");
        // Escapes name the same key.
        assert!(parse_unique(r#"{"sub": 1, "s\u0075b": 2}"#).is_err());
    }

    /// A repeated key inside the document names the object it is in; [`repeated_key`] reads
    /// the key back from the error (also one that needs escapes); other errors have none.
    #[test]
    fn a_nested_repeat_names_its_object() {
        use super::repeated_key;
        let e = parse_unique(r#"{"a": {"b": [1, {"c": {"d": 1, "d": 2}}]}}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(r#"key "d" appears twice in the object `a.b[1].c`"#),
            "{e}"
        );
        assert_eq!(repeated_key(&e).as_deref(), Some("d"));
        let e = parse_unique("{\"q\\\"\\n\": 1, \"q\\\"\\n\": 2}").unwrap_err();
        assert_eq!(repeated_key(&e).as_deref(), Some("q\"\n"), "{e}");
        assert_eq!(repeated_key(&parse_unique("{").unwrap_err()), None);
        assert_eq!(repeated_key(&parse_unique("[1,]").unwrap_err()), None);
    }

    /// A byte-order mark before the value is skipped (`--claims`, `set-metadata --file`).
    #[test]
    fn skips_a_byte_order_mark() {
        assert_eq!(parse_unique("\u{feff}{\"a\": 1}").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn refuses_trailing_content() {
        assert!(parse_unique(r#"{"a": 1} {"a": 2}"#).is_err());
    }
}
