use crate::error::{Error, Result, phrased, setting};
use std::fmt;

/// An email-domain routing entry: `example.com` (that domain) or `*.example.com` (any
/// subdomain of it, not the domain itself). Lower-case, compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPattern {
    wildcard: bool,
    domain: String,
}

impl DomainPattern {
    /// Errors: [`Error::Invalid`] on `domains` when the entry is not a domain name.
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim().to_ascii_lowercase();
        let (wildcard, domain) = match t.strip_prefix("*.") {
            Some(rest) => (true, rest.to_owned()),
            None => (false, t.clone()),
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if domain.len() > 253 || !domain.contains('.') || !domain.split('.').all(label_ok) {
            return Err(Error::invalid(
                "domains",
                format!("{s:?} is not a domain name or *.domain wildcard"),
            )
            .with_hint(format!(
                "for example: {}",
                // A comma-separated flag value; a list in YAML.
                phrased(
                    &setting("domains", Some("example.com,*.example.org")),
                    &setting("domains", Some("[example.com, \"*.example.org\"]")),
                )
            )));
        }
        Ok(DomainPattern { wildcard, domain })
    }

    /// Whether an identifier (an email address) is routed to the pool. Identifiers without a
    /// domain part never match.
    pub fn matches(&self, identifier: &str) -> bool {
        let Some((_, host)) = identifier.trim().rsplit_once('@') else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        if self.wildcard {
            host.len() > self.domain.len()
                && host.ends_with(&self.domain)
                && host.as_bytes()[host.len() - self.domain.len() - 1] == b'.'
        } else {
            host == self.domain
        }
    }
}

impl fmt::Display for DomainPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            write!(f, "*.{}", self.domain)
        } else {
            f.write_str(&self.domain)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_wildcard() {
        let exact = DomainPattern::parse("Example.com").unwrap();
        assert!(exact.matches("a@EXAMPLE.com"));
        assert!(!exact.matches("a@eu.example.com"));
        let wild = DomainPattern::parse("*.example.com").unwrap();
        assert!(wild.matches("a@eu.example.com"));
        assert!(wild.matches("a@x.eu.example.com"));
        assert!(!wild.matches("a@example.com"));
        assert!(!wild.matches("a@badexample.com"));
        assert!(!wild.matches("no-domain"));
        for bad in ["", "com", "*.", "a..b", "-a.com", "a b.com", "*.*.a.com"] {
            assert!(DomainPattern::parse(bad).is_err(), "{bad}");
        }
    }
}
