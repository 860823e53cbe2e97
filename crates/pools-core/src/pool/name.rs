use crate::error::{Error, Result};
use std::fmt;

/// A pool name (R1): `[a-z0-9][a-z0-9-]{0,62}`, unique in its environment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PoolName(String);

impl PoolName {
    /// Errors: [`Error::Invalid`] citing R1 when the name breaks the pattern.
    pub fn parse(s: &str) -> Result<Self> {
        let bytes = s.as_bytes();
        let ok = !bytes.is_empty()
            && bytes.len() <= 63
            && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        if ok {
            Ok(PoolName(s.to_owned()))
        } else {
            Err(Error::invalid(
                "R1",
                format!("pool name {s:?} is not valid: use 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit"),
            )
            .with_hint({
                let valid = suggest(s);
                crate::error::phrased(
                    &format!("a valid name close to it: {valid}"),
                    &format!("write {}", crate::error::setting("name", Some(&valid))),
                )
            }))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A valid name close to `s`: accents dropped (NFD, combining marks removed), lower case,
/// every run of other characters one '-', no dash at either end, at most 63 characters
/// (cut at a dash rather than inside a word).
fn suggest(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
    {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_owned();
    if out.len() > 63 {
        let mid_word = out.as_bytes()[63] != b'-';
        out.truncate(63);
        if mid_word && let Some(dash) = out.rfind('-') {
            out.truncate(dash);
        }
        out = out.trim_end_matches('-').to_owned();
    }
    if out.is_empty() {
        "legacy-users".into()
    } else {
        out
    }
}

impl fmt::Display for PoolName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pool name on the wire is its text; reading one checks R1 again.
impl serde::Serialize for PoolName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PoolName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PoolName::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A pool name's schema in the server's OpenAPI 3.1 document: a string of R1's pattern.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PoolName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[a-z0-9][a-z0-9-]{0,62}$"))
            .description(Some("A pool's name (R1): `[a-z0-9][a-z0-9-]{0,62}`."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PoolName {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r1_name_pattern() {
        for good in ["a", "0", "legacy-auth0", &"a".repeat(63)] {
            assert!(PoolName::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "Legacy", "a_b", "a b", "é", &"a".repeat(64)] {
            assert!(PoolName::parse(bad).is_err(), "{bad}");
        }
    }

    /// R1: the suggested name is itself valid and close to what was typed.
    #[test]
    fn r1_suggestions_are_valid_names() {
        let long = format!("{}-end", "x".repeat(60));
        for (typed, want) in [
            ("My Pool!", "my-pool"),
            ("-x", "x"),
            ("Legacy__Auth0  Users", "legacy-auth0-users"),
            ("Café Crème", "cafe-creme"),
            ("trailing-", "trailing"),
            (long.as_str(), "x".repeat(60).as_str()),
            ("!!!", "legacy-users"),
            ("日本", "legacy-users"),
        ] {
            let got = suggest(typed);
            assert_eq!(got, want, "{typed:?}");
            assert!(PoolName::parse(&got).is_ok(), "{typed:?} -> {got:?}");
        }
    }
}
