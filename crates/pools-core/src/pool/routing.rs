use super::{Pool, PoolName};
use crate::error::{Error, Result, phrased, setting};
use std::collections::HashMap;
use std::fmt;

/// An email-domain routing entry: `example.com` (that domain) or `*.example.com` (any
/// subdomain of it, not the domain itself). Kept in its ASCII form (lower case; a Unicode
/// domain as its IDNA punycode, `bücher.de` as `xn--bcher-kva.de`), and compared with a
/// login's domain in that form too, so either spelling of a domain routes alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DomainPattern {
    wildcard: bool,
    domain: String,
}

impl DomainPattern {
    /// Parses one entry, normalised: its ASCII form (a Unicode domain converted by IDNA, UTS
    /// #46, as URLs do: `Bücher.DE` is `xn--bcher-kva.de`), lower case, and without the
    /// trailing dot of a fully qualified name (`Example.COM.` is `example.com`), so one domain
    /// has one spelling.
    ///
    /// Errors: [`Error::Invalid`] on `domains` when the entry is not a domain name.
    pub fn parse(s: &str) -> Result<Self> {
        let trimmed = s.trim();
        let t = trimmed.strip_suffix('.').unwrap_or(trimmed);
        let (wildcard, rest) = match t.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let domain = ascii_domain(rest).unwrap_or_default();
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
        let host = host.strip_suffix('.').unwrap_or(host);
        let Some(host) = ascii_domain(host) else {
            return false;
        };
        if self.wildcard {
            host.len() > self.domain.len()
                && host.ends_with(&self.domain)
                && host.as_bytes()[host.len() - self.domain.len() - 1] == b'.'
        } else {
            host == self.domain
        }
    }
}

/// The ASCII form of a domain name: an ASCII name in lower case; a Unicode one by IDNA (UTS
/// #46 processing, as the `url` crate does for hosts: case folded, mapped, its labels as `xn--`
/// punycode). `None` when IDNA refuses a Unicode name, or an ASCII name with an `xn--` label
/// that is not valid punycode.
fn ascii_domain(s: &str) -> Option<String> {
    let idna = || match url::Host::parse(s) {
        Ok(url::Host::Domain(d)) => Some(d.strip_suffix('.').unwrap_or(&d).to_owned()),
        _ => None,
    };
    if !s.is_ascii() {
        return idna();
    }
    let lower = s.to_ascii_lowercase();
    if lower.split('.').any(|l| l.starts_with("xn--")) {
        return idna().filter(|d| *d == lower);
    }
    Some(lower)
}

/// One domain pattern that two pools route: identifiers of it are sent to `first` (earlier in
/// the login order) and, when `first` does not recognise them, to `second` (R5). Legal, but
/// mostly a copy-paste slip: the operator should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedDomain {
    /// The pattern, normalised (see [`DomainPattern::parse`]).
    pub domain: String,
    pub first: PoolName,
    pub second: PoolName,
}

impl SharedDomain {
    /// Whether `pool` is one of the two.
    pub fn involves(&self, pool: &PoolName) -> bool {
        self.first == *pool || self.second == *pool
    }
}

impl fmt::Display for SharedDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pools '{}' and '{}' both route domain {}: its identifiers go to '{}' first, and to '{}' only when '{}' does not know them (R5)",
            self.first, self.second, self.domain, self.first, self.second, self.first
        )
    }
}

/// The domain patterns that more than one of `pools` (in login order) routes, each pair
/// once: a pattern of three pools is reported as the first with each later one. Patterns
/// are compared normalised (case, trailing dot).
pub fn shared_domains<'a>(pools: impl IntoIterator<Item = &'a Pool>) -> Vec<SharedDomain> {
    let mut first_of: HashMap<&DomainPattern, &PoolName> = HashMap::new();
    let mut out = Vec::new();
    for pool in pools {
        for d in &pool.domains {
            match first_of.get(d) {
                Some(first) if **first != pool.name => out.push(SharedDomain {
                    domain: d.to_string(),
                    first: (*first).clone(),
                    second: pool.name.clone(),
                }),
                Some(_) => {}
                None => {
                    first_of.insert(d, &pool.name);
                }
            }
        }
    }
    out
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
        for bad in [
            "",
            "com",
            "*.",
            "a..b",
            "-a.com",
            "a b.com",
            "*.*.a.com",
            ".",
            "a.com..",
        ] {
            assert!(DomainPattern::parse(bad).is_err(), "{bad}");
        }
    }

    /// A Unicode domain routes in its ASCII (punycode) form, given either way; a login's
    /// domain is compared in that form too. Wildcards work alike.
    #[test]
    fn unicode_domains_route_in_their_ascii_form() {
        let p = |s| DomainPattern::parse(s).unwrap();
        assert_eq!(p("bücher.de").to_string(), "xn--bcher-kva.de");
        assert_eq!(p("Bücher.DE."), p("xn--bcher-kva.de"));
        for pattern in ["bücher.de", "xn--bcher-kva.de"] {
            let d = p(pattern);
            assert!(d.matches("u@bücher.de"), "{pattern}");
            assert!(d.matches("u@BÜCHER.de"), "{pattern}");
            assert!(d.matches("u@xn--bcher-kva.de"), "{pattern}");
            assert!(!d.matches("u@bucher.de"), "{pattern}");
        }
        let wild = p("*.bücher.de");
        assert_eq!(wild.to_string(), "*.xn--bcher-kva.de");
        assert!(wild.matches("u@shop.bücher.de"));
        assert!(wild.matches("u@xn--caf-dma.bücher.de"));
        assert!(wild.matches("u@café.xn--bcher-kva.de"));
        assert!(!wild.matches("u@bücher.de"));
        assert!(p("*.example.com").matches("u@eu.example.com"));
        for bad in [
            "xn--zz.de",
            "bü cher.de",
            "bü_cher.de",
            "[::1]",
            "*.xn--a.de",
        ] {
            assert!(DomainPattern::parse(bad).is_err(), "{bad}");
        }
    }

    /// Issue 8: one domain, one spelling: case and a trailing dot do not make another one.
    #[test]
    fn patterns_are_normalised() {
        let p = |s| DomainPattern::parse(s).unwrap();
        assert_eq!(p("Example.COM."), p("example.com"));
        assert_eq!(p("*.Example.com.").to_string(), "*.example.com");
        assert!(p("example.com.").matches("a@example.com"));
        assert!(p("example.com").matches("a@Example.com."));
    }
}
