//! Text encodings shared by the parsers: base64 variants, hex, PHC-style `$`-separated fields
//! and `k=v` parameter lists, and the password byte encodings of Auth0 custom hashes.

use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
use zeroize::Zeroizing;

use super::error::{HashError, malformed, safe_label};

/// Decode PHC "B64" (standard alphabet, normally unpadded). Padded input is accepted too
/// because real exports contain it. `None` when not decodable.
pub(super) fn b64_decode(s: &str) -> Option<Vec<u8>> {
    if s.ends_with('=') {
        Base64::decode_vec(s).ok()
    } else {
        Base64Unpadded::decode_vec(s).ok()
    }
}

/// Decode base64 in the standard or URL-safe alphabet, with or without padding (Firebase
/// `auth:export`, Keycloak, LDAP and Auth0 values all occur in each of these forms).
pub(super) fn b64_decode_any(s: &str) -> Option<Vec<u8>> {
    let url = s.contains(['-', '_']);
    match (url, s.ends_with('=')) {
        (false, true) => Base64::decode_vec(s).ok(),
        (false, false) => Base64Unpadded::decode_vec(s).ok(),
        (true, true) => Base64Url::decode_vec(s).ok(),
        (true, false) => Base64UrlUnpadded::decode_vec(s).ok(),
    }
}

/// Decode passlib's "ab64": standard base64 with `.` in place of `+`, unpadded.
pub(super) fn ab64_decode(s: &str) -> Option<Vec<u8>> {
    if s.contains('+') {
        return None;
    }
    b64_decode(&s.replace('.', "+"))
}

/// Encode as PHC B64: standard alphabet, no padding. Used by every canonical form.
pub(super) fn b64_encode(bytes: &[u8]) -> String {
    Base64Unpadded::encode_string(bytes)
}

/// Decode hex in either letter case.
pub(super) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(s).ok()
}

/// How the password's characters become bytes before hashing. Names and semantics follow
/// Node.js `Buffer.from(string, encoding)`, which Auth0's custom_password_hash `password.encoding`
/// refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PasswordEncoding {
    /// UTF-8 (every scheme's default).
    Utf8,
    /// UTF-16 little endian (Node `utf16le` and its alias `ucs2`).
    Utf16Le,
    /// Low byte of each UTF-16 code unit (Node `latin1`, `binary`, and `ascii` when encoding).
    Latin1,
}

impl PasswordEncoding {
    /// Parse an Auth0 `password.encoding` value.
    pub(super) fn from_auth0(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" => Some(Self::Utf8),
            "utf16le" | "utf-16le" | "ucs2" | "ucs-2" => Some(Self::Utf16Le),
            "latin1" | "binary" | "ascii" => Some(Self::Latin1),
            _ => None,
        }
    }

    /// Parse the name used in canonical strings (the output of [`Self::name`]).
    pub(super) fn from_name(name: &str) -> Option<Self> {
        match name {
            "utf8" => Some(Self::Utf8),
            "utf16le" => Some(Self::Utf16Le),
            "latin1" => Some(Self::Latin1),
            _ => None,
        }
    }

    /// Canonical name.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf8",
            Self::Utf16Le => "utf16le",
            Self::Latin1 => "latin1",
        }
    }

    /// The password's bytes under this encoding; wiped on drop.
    pub(super) fn encode(self, password: &str) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(match self {
            Self::Utf8 => password.as_bytes().to_vec(),
            Self::Utf16Le => password.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            // Node keeps the low byte of each UTF-16 code unit; truncation is the point.
            Self::Latin1 => password.encode_utf16().map(|u| (u & 0xff) as u8).collect(),
        })
    }
}

/// Split a `$id$field$field...` string into its id and the fields after it.
/// `None` when `s` does not start with `$`.
pub(super) fn split_dollar(s: &str) -> Option<(&str, Vec<&str>)> {
    let rest = s.strip_prefix('$')?;
    let mut parts = rest.split('$');
    let id = parts.next()?;
    Some((id, parts.collect()))
}

/// A parsed `k=v,k=v` PHC parameter list.
pub(super) struct Params<'a> {
    scheme: &'static str,
    items: Vec<(&'a str, &'a str)>,
}

impl<'a> Params<'a> {
    /// Parse `field`, refusing empty, duplicate and unknown keys (`known` lists the accepted
    /// ones).
    pub(super) fn parse(
        scheme: &'static str,
        field: &'a str,
        known: &[&str],
    ) -> Result<Self, HashError> {
        let mut items: Vec<(&str, &str)> = Vec::new();
        if field.is_empty() {
            return Ok(Self { scheme, items });
        }
        for item in field.split(',') {
            let Some((k, v)) = item.split_once('=') else {
                return Err(malformed(
                    scheme,
                    format!(
                        "parameter list entry is not `name=value` (expected {}); fix: re-export \
                         the hash unmodified",
                        known.join(", ")
                    ),
                ));
            };
            if !known.contains(&k) {
                return Err(malformed(
                    scheme,
                    format!(
                        "unknown parameter {} (expected {}); fix: re-export the hash unmodified",
                        safe_label(k),
                        known.join(", ")
                    ),
                ));
            }
            if items.iter().any(|(seen, _)| *seen == k) {
                return Err(malformed(
                    scheme,
                    format!("parameter `{k}` appears twice; fix: re-export the hash unmodified"),
                ));
            }
            items.push((k, v));
        }
        Ok(Self { scheme, items })
    }

    /// The raw value of `key`, if present.
    pub(super) fn get(&self, key: &str) -> Option<&'a str> {
        self.items.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// `key` as a decimal u32 within `range`; `None` when absent.
    pub(super) fn u32_opt(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<Option<u32>, HashError> {
        self.get(key)
            .map(|v| parse_u32(self.scheme, key, v, range))
            .transpose()
    }

    /// `key` as a decimal u32 within `range`; an error names the key when absent.
    pub(super) fn u32_req(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<u32, HashError> {
        self.u32_opt(key, range)?.ok_or_else(|| {
            malformed(
                self.scheme,
                format!("parameter `{key}` is missing; fix: re-export the hash unmodified"),
            )
        })
    }
}

/// Parse a decimal u32 named `name` and check it lies in `range`.
pub(super) fn parse_u32(
    scheme: &'static str,
    name: &str,
    value: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, HashError> {
    let out_of_range = |shown: &str| {
        malformed(
            scheme,
            format!(
                "`{name}`={shown} is outside the accepted range {}..={}; fix: check the export, or \
                 have these users reset their password if the value is genuine",
                range.start(),
                range.end()
            ),
        )
    };
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    if digits && value.len() > 10 {
        // A decimal number too long for the checks below: say so, not "not a number".
        let shown = if value.len() > 20 {
            format!("{}...", &value[..20])
        } else {
            value.to_owned()
        };
        return Err(out_of_range(&shown));
    }
    let n = if digits {
        value.parse::<u64>().ok()
    } else {
        None
    };
    let Some(n) = n else {
        return Err(malformed(
            scheme,
            format!(
                "`{name}` is not a decimal integer; fix: re-export the hash unmodified (allowed \
                 range {}..={})",
                range.start(),
                range.end()
            ),
        ));
    };
    match u32::try_from(n) {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(out_of_range(&n.to_string())),
    }
}

/// Decode a salt or hash field and check its length.
/// `decode` picks the alphabet; `what` names the field ("salt", "hash", ...).
pub(super) fn decode_field(
    scheme: &'static str,
    what: &str,
    text: &str,
    decode: fn(&str) -> Option<Vec<u8>>,
    len: std::ops::RangeInclusive<usize>,
) -> Result<Vec<u8>, HashError> {
    if text.is_empty() {
        return Err(malformed(
            scheme,
            format!("the {what} is empty; fix: the string is truncated, re-export it"),
        ));
    }
    let bytes = decode(text).ok_or_else(|| {
        malformed(
            scheme,
            format!(
                "the {what} is not valid base64; fix: the string is damaged or truncated, \
                 re-export it"
            ),
        )
    })?;
    check_len(scheme, what, bytes, len)
}

/// Check a decoded field's byte length.
pub(super) fn check_len(
    scheme: &'static str,
    what: &str,
    bytes: Vec<u8>,
    len: std::ops::RangeInclusive<usize>,
) -> Result<Vec<u8>, HashError> {
    if len.contains(&bytes.len()) {
        Ok(bytes)
    } else {
        Err(malformed(
            scheme,
            format!(
                "the {what} is {} bytes, expected {}..={} bytes; fix: the string is damaged or \
                 truncated, re-export it",
                bytes.len(),
                len.start(),
                len.end()
            ),
        ))
    }
}

/// Describe a serde_json error without echoing input values: syntax errors keep only their
/// position, data errors keep only messages that name fields (missing/unknown field, a key given twice).
pub(super) fn json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        Category::Data => {
            let msg = e.to_string();
            // These name a key, never a value (which may be a secret, R11).
            if msg.starts_with("missing field")
                || msg.starts_with("unknown field")
                || (msg.starts_with("key ") && msg.contains(" appears twice in "))
            {
                msg
            } else {
                format!("a field has the wrong type or an invalid value ({at})")
            }
        }
        Category::Syntax | Category::Eof => format!("not valid JSON ({at})"),
        Category::Io => "could not be read".to_owned(),
    }
}

#[cfg(test)]
mod range_tests {
    /// Retrial 2, finding 19: a decimal count too long for 32 bits is out of range, not
    /// "not a decimal integer"; what is no number still says so.
    #[test]
    fn a_huge_count_is_out_of_range_not_malformed() {
        let e = super::parse_u32("pbkdf2", "i", "99999999999", 1..=1_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`i`=99999999999 is outside the accepted range"),
            "{e}"
        );
        let e = super::parse_u32("pbkdf2", "i", "12x", 1..=1_000_000)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a decimal integer"), "{e}");
    }
}
