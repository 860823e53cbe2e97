//! Deserialisation in the operator's terms (issue 8): serde names what it expected by Rust
//! type (`struct PoolSpec`, `enum Mode`, `u64`) and YAML's parser asks for `a YAML tag
//! starting with '!'` where an enum value is a list or a mapping. The types operators write
//! (YAML pools, backup records) say instead what a value may be: a pool's settings, one of
//! the values allowed, a whole number.

use serde::Deserialize;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A closed set of named values that operators type (a mode, a source, an origin): the
/// one definition the YAML reader, `Display`, JSON output and the command line's parser all
/// use, so that no adapter spells a value its own way. Declared with `terms::choice!`.
pub trait Choice: Copy + Eq + Send + Sync + 'static {
    /// Every value, in the order help texts list them.
    const ALL: &'static [Self];
    /// The name operators write (YAML, flags, JSON).
    fn name(self) -> &'static str;
    /// One line saying what the value means (its doc comment without the closing period),
    /// `""` when it has none.
    fn help(self) -> &'static str;
    /// The value `name` names, in any case, as the CLI reads its flags (F17).
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| crate::keyword::is(name, v.name()))
    }
}

/// `` `passthrough`, `sync`, `jit` ``: the names of every value of `T`.
pub fn names<T: Choice>() -> String {
    T::ALL
        .iter()
        .map(|v| format!("`{}`", v.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a [`Choice`] from its name only: any other value, of any type, is refused naming
/// the values allowed.
pub struct ByName<T>(PhantomData<T>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        ByName(PhantomData)
    }
}

impl<'de, T: Choice> Visitor<'de> for ByName<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {}", names::<T>())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_name(v)
            .ok_or_else(|| E::custom(format_args!("{v:?} is not one of {}", names::<T>())))
    }
}

/// Declares a [`Choice`] enum: each variant with its doc comment (its help) and its name.
/// Derives `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `Serialize` and `Deserialize`
/// (through [`ByName`]) and implements `Display` as the name; more derives may be given.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[doc = $doc:literal])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        $vis enum $name {
            $( $(#[doc = $doc])* #[serde(rename = $text)] $variant ),+
        }

        impl $crate::terms::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            fn help(self) -> &'static str {
                // As clap writes a doc comment's summary: without its closing period.
                let doc = match self { $($name::$variant => concat!("" $(, $doc)*).trim()),+ };
                doc.strip_suffix('.').unwrap_or(doc)
            }
        }

        /// The schema of a string of one of its names, for the server's OpenAPI 3.1 document
        /// (a derive would not see the names a macro gives).
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::terms::Choice::name(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::terms::ByName::<$name>::default())
            }
        }
    };
}
pub(crate) use choice;

/// What a count (a version, a position, a line number) is written as.
const WHOLE: &str = "a whole number, 0 or more";

/// A count read as a whole number, 0 or more.
struct Whole(u64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Whole;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(WHOLE)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Whole, E> {
                u64::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
            }
        }
        d.deserialize_u64(V)
    }
}

/// `#[serde(deserialize_with)]` for an optional count (`u64` or `usize`); give the field
/// `#[serde(default)]` too, so that a missing key stays `None`.
pub fn optional_count<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    match Option::<Whole>::deserialize(d)? {
        None => Ok(None),
        Some(Whole(n)) => T::try_from(n)
            .map(Some)
            .map_err(|_| de::Error::invalid_value(Unexpected::Unsigned(n), &"a smaller number")),
    }
}

/// The largest `timeout_ms` ([`crate::pool::MAX_TIMEOUT_MS`], defined here so that this
/// module does not depend on `pool`).
pub const MAX_TIMEOUT_MS: u64 = 600_000;

/// `#[serde(deserialize_with)]` for a pool's optional `timeout_ms`: a negative or non-number
/// value is refused naming the range a timeout takes (1..=[`MAX_TIMEOUT_MS`]),
/// not as any count (`0 or more`), which 0 is not; 0 and values past the range are refused
/// when the pool is built, in the same words.
pub fn optional_timeout_ms<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a whole number of milliseconds in 1..={MAX_TIMEOUT_MS}")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
        }
    }
    struct Millis(u64);
    impl<'de> Deserialize<'de> for Millis {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_u64(V).map(Millis)
        }
    }
    Ok(Option::<Millis>::deserialize(d)?.map(|m| m.0))
}

/// `#[serde(deserialize_with)]` for a count.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Whole::deserialize(d).map(|w| w.0)
}

/// serde's message about a value (`invalid type: map, expected a string`, `missing field
/// `name``, `invalid length 2, expected ...`) in a document's words: what was expected, then
/// what was found (`expected text, found a mapping`). What comes before it (a field path such
/// as `pools[2].tenant: `) is kept; any other message is returned unchanged.
pub fn in_document_terms(message: &str) -> String {
    const STARTS: [&str; 4] = [
        "invalid type: ",
        "invalid value: ",
        "invalid length ",
        "missing field `",
    ];
    let Some((at, start)) = STARTS
        .iter()
        .filter_map(|s| message.find(s).map(|i| (i, *s)))
        .min()
    else {
        return message.to_owned();
    };
    let (before, rest) = message.split_at(at);
    let rest = &rest[start.len()..];
    if start == "missing field `" {
        let field = rest.trim_end_matches('`');
        return format!("{before}the setting `{field}` is missing");
    }
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return message.to_owned();
    };
    if start == "invalid type: "
        && let Some(large) = too_large(found)
    {
        return format!("{before}{large}");
    }
    let found = if start == "invalid length " {
        format!("{found} entries")
    } else {
        found_term(found)
    };
    format!(
        "{before}expected {}, found {found}",
        expected_term(expected)
    )
}

/// serde's words for an integer past 64 bits (`` integer `1e30` as u128 ``, read as any
/// value) in the operator's: `the integer 1e30 is too large`.
fn too_large(found: &str) -> Option<String> {
    let rest = found.strip_prefix("integer `")?;
    let (number, after) = rest.split_once('`')?;
    (after == " as u128" || after == " as i128")
        .then(|| format!("the integer {number} is too large"))
}

/// What serde found (its `Unexpected`), named as a document writes it.
fn found_term(found: &str) -> String {
    let quoted = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|v| v.trim_matches('`').to_owned())
    };
    if let Some(v) = quoted("integer ").or_else(|| quoted("floating point ")) {
        return format!("the number {v}");
    }
    if let Some(v) = quoted("boolean ") {
        return format!("`{v}`");
    }
    if let Some(v) = found.strip_prefix("string ") {
        return format!("the text {v}");
    }
    match found {
        "map" => "a mapping".to_owned(),
        "sequence" => "a list".to_owned(),
        "unit value" | "unit" | "option" => "nothing (null)".to_owned(),
        "enum" => "a tagged value".to_owned(),
        other => other.to_owned(),
    }
}

/// What serde expected (a visitor's `expecting`), named as a document writes it: the
/// product's own words pass as they are.
fn expected_term(expected: &str) -> &str {
    match expected {
        "a string" | "a borrowed string" | "a character" => "text",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        "a map" => "a mapping",
        "unit" => "nothing (null)",
        "any YAML value" | "any valid JSON value" | "any value" => "a value",
        "u8" | "u16" | "u32" | "u64" | "usize" => WHOLE,
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::pool::{Mode, PoolSpec};

    /// Issue 8: no Rust type name in what serde reports of a bad value.
    #[test]
    fn values_are_named_in_the_operators_terms() {
        let mode = |json: &str| serde_json::from_str::<Mode>(json).unwrap_err().to_string();
        assert!(
            mode("\"jitt\"").starts_with("\"jitt\" is not one of `passthrough`, `sync`, `jit`")
        );
        assert!(mode("5").contains("expected one of `passthrough`, `sync`, `jit`"));
        assert_eq!(
            serde_json::from_str::<Mode>("\"sync\"").unwrap(),
            Mode::Sync
        );
        // F17: in any case, as the CLI reads `--mode JIT`.
        for jit in ["\"JIT\"", "\"Jit\""] {
            assert_eq!(serde_json::from_str::<Mode>(jit).unwrap(), Mode::Jit);
        }
        let spec = |json: &str| {
            serde_json::from_str::<PoolSpec>(json)
                .unwrap_err()
                .to_string()
        };
        for bad in [
            "5",
            "[1]",
            r#"{"name": "a", "version": "x"}"#,
            r#"{"name": "a", "position": -1}"#,
        ] {
            let e = spec(bad);
            for rust in ["struct ", "enum ", "u64", "usize", "PoolSpec"] {
                assert!(!e.contains(rust), "{bad}: {e}");
            }
        }
        assert!(spec(r#"{"name": "a", "version": -1}"#).contains("a whole number, 0 or more"));
    }

    #[test]
    fn serde_messages_become_the_documents_words() {
        use super::in_document_terms as t;
        assert_eq!(
            t("pools[2].tenant: invalid type: map, expected a string"),
            "pools[2].tenant: expected text, found a mapping"
        );
        assert_eq!(
            t("pools: invalid type: string \"x\", expected a sequence"),
            "pools: expected a list, found the text \"x\""
        );
        assert_eq!(
            t("pools[0].enabled: invalid type: integer `5`, expected a boolean"),
            "pools[0].enabled: expected `true` or `false`, found the number 5"
        );
        assert_eq!(
            t("pools[0].name: invalid type: unit value, expected a string"),
            "pools[0].name: expected text, found nothing (null)"
        );
        assert_eq!(
            t("pools[0]: missing field `name`"),
            "pools[0]: the setting `name` is missing"
        );
        assert_eq!(
            t("a: invalid value: integer `-1`, expected a whole number, 0 or more"),
            "a: expected a whole number, 0 or more, found the number -1"
        );
        assert_eq!(
            t("p: invalid type: integer `1e30` as u128, expected any YAML value"),
            "p: the integer 1e30 is too large"
        );
        assert_eq!(
            t("unknown field `x`, expected `a`"),
            "unknown field `x`, expected `a`"
        );
    }
}
