//! Keywords in any case (issue 8, F17): the CLI reads its value names in any case
//! (`--mode JIT`), so every other place an operator writes one of its keywords (a YAML
//! `mode: JIT`, a tenant `Property:app_metadata.x`, a secret `ENV:NAME`) reads it the same
//! way. Only the keyword is folded, and only in ASCII: what follows a prefix (a property
//! path, a variable name, a file path) keeps its case. Output always writes the canonical
//! lower-case keyword.

/// Whether `text` is `keyword` in any ASCII case.
pub fn is(text: &str, keyword: &str) -> bool {
    text.eq_ignore_ascii_case(keyword)
}

/// `text` after `prefix` when it starts with `prefix` in any ASCII case; the rest is
/// returned as written.
pub fn strip_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    // `get` is `None` when `prefix.len()` is no char boundary of `text`: then no match.
    let head = text.get(..prefix.len())?;
    is(head, prefix).then(|| &text[prefix.len()..])
}

/// The value `text` names in `table` (keyword, value), in any ASCII case.
pub fn lookup<T: Clone>(text: &str, table: &[(&str, T)]) -> Option<T> {
    table
        .iter()
        .find(|(k, _)| is(text, k))
        .map(|(_, v)| v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_in_any_case_and_keep_the_rest() {
        assert!(is("AUTO", "auto") && is("Auto", "auto") && !is("autos", "auto"));
        assert_eq!(
            strip_prefix("Property:app_metadata.TenantId", "property:"),
            Some("app_metadata.TenantId")
        );
        assert_eq!(strip_prefix("ENV:My_Var", "env:"), Some("My_Var"));
        assert_eq!(strip_prefix("env", "env:"), None);
        assert_eq!(strip_prefix("fixed-acme", "fixed:"), None);
        // A multi-byte character across the prefix's length is no match, not a panic.
        assert_eq!(strip_prefix("fixé:x", "fixed:"), None);
        // No Unicode folding: the Kelvin sign is not a `k`.
        assert_eq!(strip_prefix("\u{212a}eyring:x", "keyring:"), None);
        assert_eq!(lookup("OS", &[("auto", 0), ("os", 1)]), Some(1));
        assert_eq!(lookup("o", &[("auto", 0), ("os", 1)]), None);
    }
}
