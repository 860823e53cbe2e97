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
}
