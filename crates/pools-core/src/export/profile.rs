//! A record's attributes as JSON text: what the store keeps, parsed only where a value is
//! needed (a tenant property, a login's attribute sync). Bulk imports read millions of
//! records; building and dropping a map per record was most of the reader's time.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// An object key of a record, borrowed from its text when it has no escapes.
#[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(transparent)]
pub(crate) struct Key<'a>(#[serde(borrow)] pub(crate) Cow<'a, str>);

/// The top-level members of a JSON object, in key order; values are their JSON text,
/// unparsed. Read with [`parse_fields`], which refuses a repeated key.
pub(crate) type Fields<'a> = BTreeMap<Key<'a>, &'a RawValue>;

/// Why [`parse_fields`] did not read an object.
pub(crate) enum FieldsError {
    /// The object names `key` twice; `line` is the line of the second, counted in the text.
    Repeated { key: String, line: usize },
    /// Not one JSON object (the caller says what it is instead).
    NotAnObject,
}

/// The members of the JSON object `text`, refusing a key written twice: `serde_json` (and a
/// `BTreeMap`) keep the last of two, so a record with two `email`s would be imported as the
/// second unnoticed while jq, Python or JavaScript readers agree on the last one only by
/// chance of their own rules (R6, R17: one record, one person).
pub(crate) fn parse_fields(text: &str) -> Result<Fields<'_>, FieldsError> {
    let mut repeated = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let read = serde::de::DeserializeSeed::deserialize(
        FieldsSeed {
            repeated: &mut repeated,
        },
        &mut de,
    )
    .and_then(|fields| de.end().map(|()| fields));
    match (read, repeated) {
        (Ok(fields), _) => Ok(fields),
        (Err(e), Some(key)) => Err(FieldsError::Repeated {
            key,
            line: e.line(),
        }),
        (Err(_), None) => Err(FieldsError::NotAnObject),
    }
}

/// Reads [`Fields`], noting a repeated key in `repeated`.
struct FieldsSeed<'r> {
    repeated: &'r mut Option<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Fields<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Fields<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FieldsSeed<'_> {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        use std::collections::btree_map::Entry;
        let mut fields = Fields::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match fields.entry(key) {
                Entry::Occupied(e) => {
                    let key = e.key().0.to_string();
                    let err = serde::de::Error::custom(format_args!("key {key:?} appears twice"));
                    *self.repeated = Some(key);
                    return Err(err);
                }
                Entry::Vacant(e) => {
                    e.insert(map.next_value()?);
                }
            }
        }
        Ok(fields)
    }
}

/// A user's attributes from the source: one JSON object (RFC 8259), keys in order. Holds no
/// credential: the readers leave hash fields out.
///
/// Auth0 records keep it as text (what the store keeps); the other formats, read into a map
/// anyway, keep the map, serialised only if the text is asked for.
#[derive(Clone)]
pub struct Profile(Repr);

#[derive(Clone)]
enum Repr {
    Text {
        json: String,
        /// Where each top-level member's key (unquoted) and value lie in `json`, when every
        /// key is written there verbatim (no escapes); empty otherwise, then found by a scan.
        members: Vec<(Range<usize>, Range<usize>)>,
    },
    Map(Map<String, Value>),
}

impl PartialEq for Profile {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

impl Eq for Profile {}

impl Profile {
    /// The profile holding `map`'s members.
    pub fn from_map(map: Map<String, Value>) -> Self {
        Profile(Repr::Map(map))
    }

    /// The profile holding `fields` but those named in `without`. Values are copied as
    /// written (they were validated when `fields` was parsed).
    pub(crate) fn from_fields(fields: &Fields<'_>, without: &[&str], size_hint: usize) -> Self {
        let mut json = String::with_capacity(size_hint);
        let mut members = Vec::with_capacity(fields.len());
        let mut verbatim = true;
        json.push('{');
        for (key, value) in fields {
            if without.contains(&key.0.as_ref()) {
                continue;
            }
            if json.len() > 1 {
                json.push(',');
            }
            let key_at = json.len() + 1;
            match &key.0 {
                // Borrowed: written without escapes in valid JSON, so it needs none.
                Cow::Borrowed(k) => {
                    json.push('"');
                    json.push_str(k);
                    json.push('"');
                }
                Cow::Owned(k) => {
                    verbatim = false;
                    json.push_str(&serde_json::to_string(k).expect("a string serialises"))
                }
            }
            let key_range = key_at..json.len() - 1;
            json.push(':');
            let value_at = json.len();
            json.push_str(value.get());
            members.push((key_range, value_at..json.len()));
        }
        json.push('}');
        if !verbatim {
            members = Vec::new();
        }
        Profile(Repr::Text { json, members })
    }

    /// The JSON text of the object.
    pub fn json(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Text { json, .. } => Cow::Borrowed(json),
            Repr::Map(map) => {
                Cow::Owned(serde_json::to_string(map).expect("a JSON map always serialises"))
            }
        }
    }

    /// The JSON text of the object, taken.
    pub fn into_json(self) -> String {
        match self.0 {
            Repr::Text { json, .. } => json,
            Repr::Map(map) => Value::Object(map).to_string(),
        }
    }

    /// The members, parsed.
    ///
    /// Errors: values `serde_json::Value` cannot hold; the readers refuse such records, so
    /// this is a safeguard, not an expected outcome.
    pub fn to_map(&self) -> Result<Map<String, Value>, serde_json::Error> {
        match &self.0 {
            Repr::Text { json, .. } => serde_json::from_str(json),
            Repr::Map(map) => Ok(map.clone()),
        }
    }

    /// The value at a dotted path, as [`crate::json::lookup`] finds it: a key that itself
    /// contains dots (e.g. Cognito `custom:tenant.id`) is matched before descending.
    pub fn get(&self, path: &str) -> Option<Value> {
        if let Repr::Map(map) = &self.0 {
            let found = match map.get(path) {
                Some(v) => Some(v),
                None => path
                    .split_once('.')
                    .and_then(|(head, rest)| crate::json::lookup(map.get(head)?, rest)),
            };
            return found.cloned();
        }
        let found = match self.member(path) {
            Some(raw) => raw,
            None => {
                let (head, rest) = path.split_once('.')?;
                nested(self.member(head)?, rest)?
            }
        };
        serde_json::from_str::<Value>(found.get()).ok()
    }

    /// The text of the member named `key` of a text profile (keys are unique there): from
    /// the member index, or a scan that builds nothing.
    fn member(&self, key: &str) -> Option<&RawValue> {
        let Repr::Text { json, members } = &self.0 else {
            return None;
        };
        if !members.is_empty() {
            let (_, value) = members.iter().find(|(k, _)| &json[k.clone()] == key)?;
            return serde_json::from_str(&json[value.clone()]).ok();
        }
        member_of(json, key)
    }
}

/// The member `key` of the object written in `text` (the last, if repeated), by a scan that
/// builds nothing; `None` when absent or `text` is not an object.
fn member_of<'a>(text: &'a str, key: &str) -> Option<&'a RawValue> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut de, Member(key)).ok()?
}

/// [`crate::json::lookup`] on text: the dotted `path` inside the object `raw`, a key that
/// itself contains dots matched before descending.
fn nested<'a>(raw: &'a RawValue, path: &str) -> Option<&'a RawValue> {
    if let Some(found) = member_of(raw.get(), path) {
        return Some(found);
    }
    let (head, rest) = path.split_once('.')?;
    nested(member_of(raw.get(), head)?, rest)
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.json())
    }
}

/// Any JSON value, read as [`serde_json::Value`] reads it but kept nowhere: checks what a
/// raw value's syntax check lets through and a `Value` refuses (numbers out of the `f64`
/// range, lone UTF-16 surrogates in escapes), so a kept profile always parses again; and
/// refuses an object with a repeated key, as [`crate::json::parse_unique`] does (a tenant
/// property found in the text must be the one a parsed profile holds).
pub(crate) struct Valid;

impl<'de> Deserialize<'de> for Valid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Valid)
    }
}

impl<'de> serde::de::Visitor<'de> for Valid {
    type Value = Valid;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_str<E>(self, _: &str) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_unit<E>(self) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Valid, A::Error> {
        while seq.next_element::<Valid>()?.is_some() {}
        Ok(Valid)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Valid, A::Error> {
        let mut keys = crate::json::KeySet::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            keys.insert(key.0)?;
            map.next_value::<Valid>()?;
        }
        Ok(Valid)
    }
}

/// Visits an object for one member's value.
struct Member<'k>(&'k str);

impl<'de> serde::de::Visitor<'de> for Member<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::IgnoredAny;
        let mut found = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == self.0 {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}
