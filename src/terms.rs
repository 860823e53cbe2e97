//! Deserialisation in the operator's terms (issue 8): serde names what it expected by Rust
//! type (`struct PoolSpec`, `enum Mode`, `u64`) and YAML's parser asks for `a YAML tag
//! starting with '!'` where an enum value is a list or a mapping. The types operators write
//! (YAML pools, backup records) say instead what a value may be: a pool's settings, one of
//! the values allowed, a whole number.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// The name a value enum is written with (its serde name, as `Display` shows it).
fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `` `passthrough`, `sync`, `jit` ``: the names of every value of `T`.
pub fn names<T: Serialize + clap::ValueEnum>() -> String {
    T::value_variants()
        .iter()
        .map(|v| format!("`{}`", name_of(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a value enum from its name only: any other value, of any type, is refused naming
/// the values allowed.
pub struct ByName<T>(PhantomData<T>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        ByName(PhantomData)
    }
}

impl<'de, T: Serialize + clap::ValueEnum + Clone> Visitor<'de> for ByName<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {}", names::<T>())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::value_variants()
            .iter()
            // In any case, as the CLI reads its flags (F17).
            .find(|x| crate::keyword::is(v, &name_of(*x)))
            .cloned()
            .ok_or_else(|| E::custom(format_args!("{v:?} is not one of {}", names::<T>())))
    }
}

/// `impl Deserialize` through [`ByName`] for value enums that derive `Serialize` and
/// `clap::ValueEnum`.
macro_rules! deserialize_by_name {
    ($($t:ty),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::terms::ByName::<$t>::default())
            }
        }
    )*};
}
pub(crate) use deserialize_by_name;

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

/// `#[serde(deserialize_with)]` for a count.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Whole::deserialize(d).map(|w| w.0)
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
}
