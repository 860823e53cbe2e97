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
            .with_hint(format!("for example: {}", suggest(s))))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn suggest(s: &str) -> String {
    let mut out: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    out = out.trim_start_matches('-').chars().take(63).collect();
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
}
