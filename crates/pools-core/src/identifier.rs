//! Identifier comparison (R6): trimmed, Unicode NFC, case-folded (Unicode default case
//! folding, then NFC again since folding can denormalise). The original spelling is kept for
//! display; the key decides identity.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// The comparison key of an identifier, e.g. `" Rosa.Marin@Example.COM"` → `"rosa.marin@example.com"`.
pub fn key(identifier: &str) -> String {
    let t = identifier.trim();
    if t.is_ascii() {
        return t.to_ascii_lowercase();
    }
    t.nfc().default_case_fold().nfc().collect()
}

/// Checks an identifier or alias before it enters the store (R6): refuses control and
/// invisible characters (see [`crate::limits::check_name`]) and more than
/// [`crate::limits::MAX_NAME_BYTES`]. Surrounding whitespace is trimmed first, as [`key`] does.
///
/// What folds and what stays apart is Unicode full case folding after NFC, nothing more (the
/// README's R6 row lists the same cases): `straße` = `STRASSE`, the ligature `ﬃ` = `ffi` and
/// the Kelvin sign `K` = `k` fold (case folding maps them), while fullwidth `ａ`, superscript
/// `²` and dotted `İ` stay other identifiers than `a`, `2` and `i`. NFKC would fold those too,
/// and would change the key of identifiers already stored.
///
/// An empty identifier (or only blanks) is refused too: no one could sign in with it.
///
/// Errors: a [`crate::limits::Refusal`] with reason `invalid_identifier`.
pub fn check(identifier: &str) -> Result<(), crate::limits::Refusal> {
    let t = identifier.trim();
    let why = if t.is_empty() {
        Err("is empty".to_owned())
    } else {
        crate::limits::check_name(t)
    };
    why.map_err(|why| crate::limits::Refusal {
        reason: "invalid_identifier",
        message: format!("the identifier {why}"),
    })
}

/// Whether two identifiers name the same user (R6).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r6_case_nfc_and_whitespace() {
        assert_eq!(key("  Rosa.Marin@Example.COM "), "rosa.marin@example.com");
        // "é" precomposed (NFC) and decomposed (NFD) are one identifier.
        assert!(same("ren\u{e9}@example.com", "RENE\u{301}@example.com"));
        assert_eq!(key("ren\u{e9}@x.org"), key("rene\u{301}@x.org"));
        // Full case folding: German sharp s folds to "ss".
        assert!(same("STRASSE@x.de", "straße@x.de"));
        assert!(!same("a@x.org", "b@x.org"));
    }

    #[test]
    fn r6_invisible_characters_are_refused_and_compatibility_forms_stay_apart() {
        // A zero-width space would make a second user that looks like the first.
        assert_eq!(
            check("ada\u{200b}@example.com").unwrap_err().reason,
            "invalid_identifier"
        );
        assert!(check("ada@example.com\u{1b}[2J").is_err());
        // F21: an empty identifier is no identifier either.
        for empty in ["", "  "] {
            let r = check(empty).unwrap_err();
            assert_eq!(
                (r.reason, r.message.as_str()),
                ("invalid_identifier", "the identifier is empty")
            );
        }
        assert!(
            check("  ada@example.com\n").is_ok(),
            "surrounding whitespace is trimmed"
        );
        // Decided: NFC and full case folding (R6); fullwidth letters are another identifier,
        // a ligature is its letters.
        assert!(!same("\u{ff41}da@example.com", "ada@example.com"));
        assert!(same("\u{fb03}@example.com", "ffi@example.com"));
    }
}
