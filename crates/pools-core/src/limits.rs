//! What the store keeps must read back: the one set of limits every entry path applies
//! (bulk import, a login's first copy or sync refresh, `users create`, `users set-metadata`,
//! pool tenant values), before anything is written.
//!
//! The store reads profiles and metadata with serde_json, which stops at 128 levels of
//! nesting, turns integers beyond 64 bits into rounded floats and refuses lone UTF-16
//! surrogates; export readers take records as raw text, which has none of those limits. The
//! limits here are well inside serde_json's, so a document the store accepted also reads back
//! when it is wrapped for output (`users list -o json` adds three levels).

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};

/// Deepest nesting of a profile or metadata document; the document's own object is level 1.
pub const MAX_DEPTH: usize = 32;
/// Largest profile or metadata document, as stored (JSON text), in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Longest string (value or key) in a document, in bytes of UTF-8: the string itself, as the
/// store keeps it, however a file escaped it (`\u00e9` is the 2 bytes of `é`, `\"` one).
pub const MAX_STRING_BYTES: usize = 32 * 1024;
/// Longest identifier, alias or tenant ID, in bytes (an email address is at most 254).
pub const MAX_NAME_BYTES: usize = 512;
/// Longest record an export reader holds in memory (a JSON user object, an NDJSON line, a
/// CSV row), in bytes: far above any real user, and far below what exhausts memory.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;
/// Most bytes of one record read (and dropped, never held) in search of its end once it is
/// past [`MAX_RECORD_BYTES`]: a record that ends within them is refused alone and the next
/// one read; one that does not stops the input there. No export record comes near it, and
/// an input that is no text of records (`/dev/zero`, a binary file, a JSON document read as
/// NDJSON) must not be read to its end, which may never come.
pub const MAX_DISCARD_BYTES: u64 = 64 * 1024 * 1024;

/// Why a value cannot enter the store: a stable `reason` code for reports and a message that
/// names the limit, never the value (it may be a hash or personal data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// `too_deep`, `too_large`, `string_too_long`, `number_out_of_range`, `lone_surrogate`,
    /// `invalid_identifier` or `invalid_tenant`.
    pub reason: &'static str,
    /// What is wrong, e.g. "profile field `user_metadata` takes the profile deeper than 32
    /// levels (...)".
    pub message: String,
}

impl Refusal {
    fn new(reason: &'static str, message: String) -> Self {
        Refusal { reason, message }
    }
}

/// Checks a JSON document the store keeps (a profile or metadata object, as text): its size,
/// then everything [`check_json`] checks. `what` names it in the message (`profile`, ...).
pub fn check_document_text(what: &str, text: &str) -> Result<(), Refusal> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Refusal::new(
            "too_large",
            format!(
                "the {what} is {} KiB, more than the {} KiB the store keeps per document",
                text.len().div_ceil(1024),
                MAX_DOCUMENT_BYTES / 1024
            ),
        ));
    }
    check_json(what, text)
}

/// [`check_document_text`] for a parsed document.
pub fn check_document(
    what: &str,
    doc: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), Refusal> {
    let text = serde_json::to_string(doc).expect("a JSON map always serialises");
    check_document_text(what, &text)
}

/// Checks valid JSON text (any value) for what serde_json would not read back as written:
/// nesting deeper than [`MAX_DEPTH`], a string longer than [`MAX_STRING_BYTES`], an integer
/// beyond 64 bits (read back rounded) or a float beyond `f64` (not read back at all), a lone
/// UTF-16 surrogate escape. The message names the top-level member at fault.
///
/// A byte scan that builds nothing: import runs it on every record. On text that is not
/// valid JSON it never panics, but its answer means nothing.
pub fn check_json(what: &str, text: &str) -> Result<(), Refusal> {
    scan(what, text, 0)
}

/// [`check_json`] for a record whose members are the documents the store keeps (a backup's
/// user, whose `profile` and `metadata` are objects one level down): levels are counted from
/// each member, as the store counts each document on its own, so a document at the store's
/// [`MAX_DEPTH`] is one the record may hold. The record's own object is no level of them.
pub fn check_record_json(what: &str, text: &str) -> Result<(), Refusal> {
    scan(what, text, 1)
}

/// The scan of [`check_json`]; `wrapper` levels of enclosing record around the documents do
/// not count towards [`MAX_DEPTH`].
fn scan(what: &str, text: &str, wrapper: usize) -> Result<(), Refusal> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    // The top-level member being scanned (a byte range of `text`, quotes excluded), and
    // whether the next string at level 1 is a member name.
    let mut member: Option<(usize, usize)> = None;
    let mut expect_key = false;
    let at = |member: Option<(usize, usize)>| match member {
        Some((s, e)) => format!("{what} field `{}`", text[s..e].escape_debug()),
        None => format!("the {what}"),
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            open @ (b'{' | b'[') => {
                depth += 1;
                if depth > MAX_DEPTH + wrapper {
                    // Levels are the stored document's, its own object the first: a member
                    // of 32 levels takes a document to 33 (retrial finding 9: the message
                    // said the member itself was too deep).
                    let message = match member {
                        Some(_) if wrapper == 0 => format!(
                            "{} takes the {what} deeper than {MAX_DEPTH} levels (counted from the {what}'s own object, level 1; the store reads at most {MAX_DEPTH})",
                            at(member)
                        ),
                        _ => format!(
                            "{} nests deeper than {MAX_DEPTH} levels (the store reads at most {MAX_DEPTH})",
                            at(member)
                        ),
                    };
                    return Err(Refusal::new("too_deep", message));
                }
                if depth == 1 {
                    expect_key = open == b'{';
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                // The string's length as decoded (what the store keeps), not as escaped.
                let mut decoded = 0usize;
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' {
                        if b.get(j + 1) == Some(&b'u') {
                            let unit = hex4(b, j + 2);
                            let lone = match unit {
                                Some(0xD800..=0xDBFF) => {
                                    let next = (b.get(j + 6) == Some(&b'\\')
                                        && b.get(j + 7) == Some(&b'u'))
                                    .then(|| hex4(b, j + 8))
                                    .flatten();
                                    if matches!(next, Some(0xDC00..=0xDFFF)) {
                                        // A pair: one character beyond U+FFFF, 4 bytes.
                                        decoded += 4;
                                        j += 6;
                                        false
                                    } else {
                                        true
                                    }
                                }
                                Some(0xDC00..=0xDFFF) => true,
                                Some(0..=0x7F) => {
                                    decoded += 1;
                                    false
                                }
                                Some(0x80..=0x7FF) => {
                                    decoded += 2;
                                    false
                                }
                                Some(_) => {
                                    decoded += 3;
                                    false
                                }
                                None => false,
                            };
                            if lone {
                                let owner = if depth == 1 && expect_key {
                                    None
                                } else {
                                    member
                                };
                                return Err(Refusal::new(
                                    "lone_surrogate",
                                    format!(
                                        "{} holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair), which is no character",
                                        at(owner)
                                    ),
                                ));
                            }
                            j += 6;
                            continue;
                        }
                        // `\"`, `\\`, `\n`, ...: one byte.
                        decoded += 1;
                        j += 2;
                        continue;
                    }
                    decoded += 1;
                    j += 1;
                }
                let end = j.min(b.len());
                if depth == 1 && expect_key {
                    member = Some((start, end));
                    expect_key = false;
                }
                if decoded > MAX_STRING_BYTES {
                    return Err(Refusal::new(
                        "string_too_long",
                        format!(
                            "{} holds a string of {} KiB ({decoded} bytes of UTF-8), more than the {} KiB the store keeps",
                            at(member),
                            decoded.div_ceil(1024),
                            MAX_STRING_BYTES / 1024
                        ),
                    ));
                }
                i = end + 1;
                continue;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    j += 1;
                }
                let number = &text[start..j];
                let kept = if number.contains(['.', 'e', 'E']) {
                    number.parse::<f64>().is_ok_and(f64::is_finite)
                } else if number.starts_with('-') {
                    number.parse::<i64>().is_ok()
                } else {
                    number.parse::<u64>().is_ok()
                };
                if !kept {
                    return Err(Refusal::new(
                        "number_out_of_range",
                        format!(
                            "{} holds a number of {} digits that the store cannot keep exactly (integers fit 64 bits, other numbers a double); write it as a string",
                            at(member),
                            number.bytes().filter(u8::is_ascii_digit).count()
                        ),
                    ));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The Unicode encoding other than UTF-8 that a text starting with `head` is in, if its
/// byte order mark or its NUL bytes tell one: `UTF-16 (little-endian)`, `UTF-16
/// (big-endian)`, `UTF-32 (little-endian)` or `UTF-32 (big-endian)`, whose first word names
/// it as `iconv -f` does. Such files (what Windows tools call "Unicode") read as garbage
/// byte by byte: they are refused with this name instead of "invalid UTF-8 at byte 0".
/// Looks at the first 4 bytes (a BOM) or, without a BOM, the first 8.
pub fn wide_encoding(head: &[u8]) -> Option<&'static str> {
    match head {
        [0xFF, 0xFE, 0, 0, ..] => return Some("UTF-32LE (little-endian)"),
        [0, 0, 0xFE, 0xFF, ..] => return Some("UTF-32BE (big-endian)"),
        [0xFF, 0xFE, ..] => return Some("UTF-16LE (little-endian)"),
        [0xFE, 0xFF, ..] => return Some("UTF-16BE (big-endian)"),
        _ => {}
    }
    // ASCII text in UTF-16/32 without a BOM: every second (or fourth) byte is NUL.
    let h = head.get(..8)?;
    let nul = |i: usize| h[i] == 0;
    let ascii = |i: usize| h[i] != 0 && h[i].is_ascii();
    if (0..8)
        .step_by(4)
        .all(|i| ascii(i) && nul(i + 1) && nul(i + 2) && nul(i + 3))
    {
        Some("UTF-32LE (little-endian)")
    } else if (0..8)
        .step_by(4)
        .all(|i| nul(i) && nul(i + 1) && nul(i + 2) && ascii(i + 3))
    {
        Some("UTF-32BE (big-endian)")
    } else if (0..8).step_by(2).all(|i| ascii(i) && nul(i + 1)) {
        Some("UTF-16LE (little-endian)")
    } else if (0..8).step_by(2).all(|i| nul(i) && ascii(i + 1)) {
        Some("UTF-16BE (big-endian)")
    } else {
        None
    }
}

/// The four hex digits at `at`, as a UTF-16 code unit.
fn hex4(b: &[u8], at: usize) -> Option<u16> {
    let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

/// Why `name` (an identifier, alias or tenant ID, already trimmed) cannot be kept: a
/// [`refused_char`] anywhere in it (the message names its code point), or more than
/// [`MAX_NAME_BYTES`]. Such characters make two names that look the same on a terminal
/// different users (R6), or rewrite the terminal.
pub fn check_name(name: &str) -> Result<(), String> {
    if let Some(c) = name.chars().find(|c| refused_char(*c)) {
        return Err(format!("holds {} (U+{:04X})", describe(c), c as u32));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!(
            "is {} bytes long, more than {MAX_NAME_BYTES}",
            name.len()
        ));
    }
    Ok(())
}

/// The hint for a `what` (`identifier`, `tenant ID`) that [`check_name`] refused: what to
/// fix, for the refusal it was (too long, or a character named).
pub fn name_hint(what: &str, name: &str) -> String {
    if name.trim().len() > MAX_NAME_BYTES {
        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!(
            "{article} {what} is at most {MAX_NAME_BYTES} bytes: check that only the {what} was given, not a whole line or file"
        )
    } else {
        format!("write the {what} without the character named (control, invisible, private-use)")
    }
}

/// True for the characters that print as nothing, as a blank that is not U+0020, as no glyph
/// of their own, or move the cursor: what names refuse ([`check_name`]) and human output
/// escapes, the one list of both.
///
/// - controls (`Cc`: ESC, newline, TAB, NUL, DEL, C1), format characters (`Cf`: U+200B
///   zero-width space, U+202E right-to-left override, U+FEFF BOM, U+00AD soft hyphen, ...),
///   line and paragraph separators (`Zl`, `Zp`);
/// - space separators other than U+0020 (`Zs`: U+00A0 no-break space, U+2000..U+200A,
///   U+3000 ideographic space, ...), which look like a space but are another name;
/// - U+2800 braille pattern blank and the Hangul fillers U+3164 and U+FFA0, which render as
///   blanks although Unicode calls them letters or symbols;
/// - every `Default_Ignorable_Code_Point` (U+115F Hangul choseong filler, U+034F combining
///   grapheme joiner, variation selectors, tag characters, ...), which fonts draw as nothing;
/// - private-use characters (`Co`: U+E000..U+F8FF and planes 15 and 16), which no standard
///   font draws (most terminals show nothing), and the 66 noncharacters (U+FDD0..U+FDEF and
///   the last two code points of every plane, U+FFFE, U+FFFF ... U+10FFFF), which Unicode
///   reserves for a program's internal use and never assigns;
/// - U+FFFD replacement character, which a decoder writes for bytes it could not read: a name
///   holding it was mis-decoded on its way here, and two such names may have been different.
pub fn refused_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        CodePointMapData::<GeneralCategory>::new().get(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::SpaceSeparator
            | GeneralCategory::PrivateUse
    ) || matches!(c, '\u{2800}' | '\u{3164}' | '\u{FFA0}' | '\u{FFFD}')
        || noncharacter(c)
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
}

/// Unicode's noncharacters: U+FDD0..U+FDEF and U+xxFFFE, U+xxFFFF of every plane.
fn noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// What a [`refused_char`] is, in words, for refusals.
fn describe(c: char) -> &'static str {
    if c == '\u{FFFD}' {
        return "the replacement character, left where text was decoded with the wrong encoding";
    }
    if noncharacter(c) {
        return "a noncharacter";
    }
    match CodePointMapData::<GeneralCategory>::new().get(c) {
        GeneralCategory::Control => "a control character",
        GeneralCategory::SpaceSeparator => "a space other than U+0020",
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => {
            "a line or paragraph separator"
        }
        GeneralCategory::Format => "an invisible formatting character",
        GeneralCategory::PrivateUse => "a private-use character, which no standard font draws",
        _ => "an invisible character",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn wide_encodings_are_told_by_bom_or_nul_bytes() {
        let utf16le: Vec<u8> = "email,x\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16be: Vec<u8> = "email,x\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(wide_encoding(&utf16le), Some("UTF-16LE (little-endian)"));
        assert_eq!(wide_encoding(&utf16be), Some("UTF-16BE (big-endian)"));
        assert_eq!(
            wide_encoding(b"\xFF\xFEe\0"),
            Some("UTF-16LE (little-endian)")
        );
        assert_eq!(wide_encoding(b"\xFE\xFF\0e"), Some("UTF-16BE (big-endian)"));
        assert_eq!(
            wide_encoding(b"\xFF\xFE\0\0e\0\0\0"),
            Some("UTF-32LE (little-endian)")
        );
        assert_eq!(
            wide_encoding(b"e\0\0\0m\0\0\0"),
            Some("UTF-32LE (little-endian)")
        );
        for utf8 in [
            &b"email,x\n"[..],
            b"\xEF\xBB\xBF{\"users\": []}",
            b"{}",
            b"",
            b"\xE9t\xE9,a,b",
        ] {
            assert_eq!(wide_encoding(utf8), None, "{utf8:?}");
        }
    }

    #[test]
    fn depth_is_counted_from_the_document() {
        let ok = format!("{{\"a\":{}}}", nested(MAX_DEPTH - 1));
        assert_eq!(check_json("profile", &ok), Ok(()));
        let deep = format!("{{\"b\":1,\"user_metadata\":{}}}", nested(MAX_DEPTH));
        let err = check_json("profile", &deep).unwrap_err();
        assert_eq!(err.reason, "too_deep");
        assert!(err.message.contains("`user_metadata`"), "{}", err.message);
        // Retrial finding 9: the member holds 32 levels, the document 33: said so.
        assert!(
            err.message
                .contains("takes the profile deeper than 32 levels")
                && err.message.contains("level 1"),
            "{}",
            err.message
        );
        // Brackets inside strings are text, not nesting.
        let text = format!("{{\"a\":\"{}\"}}", "[".repeat(100));
        assert_eq!(check_json("profile", &text), Ok(()));
    }

    #[test]
    fn a_records_documents_nest_from_their_own_object() {
        // A profile at the limit, as a member of a record (issue 8, F1).
        let profile = format!("{{\"a\":{}}}", nested(MAX_DEPTH - 1));
        assert_eq!(check_json("profile", &profile), Ok(()));
        let record = format!("{{\"id\":\"u\",\"profile\":{profile}}}");
        assert_eq!(check_record_json("record", &record), Ok(()));
        let deeper = format!(
            "{{\"id\":\"u\",\"profile\":{{\"a\":{}}}}}",
            nested(MAX_DEPTH)
        );
        let err = check_record_json("record", &deeper).unwrap_err();
        assert_eq!(err.reason, "too_deep");
        assert!(err.message.contains("`profile`"), "{}", err.message);
    }

    #[test]
    fn numbers_that_do_not_read_back_as_written() {
        for ok in [
            "18446744073709551615",
            "-9223372036854775808",
            "1.5e300",
            "1e-400",
            "-0",
        ] {
            assert_eq!(check_json("p", &format!("{{\"n\":{ok}}}")), Ok(()), "{ok}");
        }
        for bad in [
            "18446744073709551616",
            "-9223372036854775809",
            "1e400",
            "-1e309",
        ] {
            let err = check_json("p", &format!("{{\"n\":{bad}}}")).unwrap_err();
            assert_eq!(err.reason, "number_out_of_range", "{bad}");
            assert!(!err.message.contains(bad), "the value is never echoed");
        }
    }

    #[test]
    fn strings_surrogates_and_sizes() {
        assert_eq!(
            check_json("p", r#"{"a":"\ud83d\ude00 \u00e9 \\u"}"#),
            Ok(())
        );
        for bad in [r#"{"a":"\ud800"}"#, r#"{"a":"\udc00x"}"#, r#"{"\ud800":1}"#] {
            assert_eq!(
                check_json("p", bad).unwrap_err().reason,
                "lone_surrogate",
                "{bad}"
            );
        }
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_STRING_BYTES + 1));
        assert_eq!(
            check_json("p", &long).unwrap_err().reason,
            "string_too_long"
        );
        // The string as decoded counts, not its escapes (issue 8, F2): `\u00e9` is the two
        // bytes of `é`, `\"` and `\u0001` one byte each, a surrogate pair four.
        let n = MAX_STRING_BYTES;
        for (escape, bytes) in [
            ("\\u00e9", 2),
            ("é", 2),
            ("\\\"", 1),
            ("\\u0001", 1),
            ("\\u20ac", 3),
            ("\\ud83d\\ude00", 4),
        ] {
            let at_limit = format!("{{\"a\":\"{}\"}}", escape.repeat(n / bytes));
            assert_eq!(check_json("p", &at_limit), Ok(()), "{escape}");
            let over = format!("{{\"a\":\"{}\"}}", escape.repeat(n / bytes + 1));
            let err = check_json("p", &over).unwrap_err();
            assert_eq!(err.reason, "string_too_long", "{escape}");
            let size = (n / bytes + 1) * bytes;
            assert!(
                err.message
                    .contains(&format!("a string of 33 KiB ({size} bytes of UTF-8)")),
                "{escape}: {}",
                err.message
            );
        }
        let big = format!(
            "{{{}}}",
            (0..MAX_DOCUMENT_BYTES / 10)
                .map(|i| format!("\"k{i:07}\":1"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(
            check_document_text("p", &big).unwrap_err().reason,
            "too_large"
        );
    }

    #[test]
    fn names_refuse_control_and_invisible_characters() {
        assert_eq!(check_name("rosa.marín@example.com"), Ok(()));
        assert_eq!(check_name("用户@例子.中国"), Ok(()));
        for bad in [
            "a\u{1b}[31m@x.org",
            "a\nb@x.org",
            "a\u{0}@x.org",
            "a\u{200b}@x.org",
            "\u{202e}gro.x@a",
            "\u{feff}a@x.org",
            "a\u{2028}b",
            "a\u{ad}b@x.org",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for (bad, named) in [
            ("a\u{a0}b@x.org", "a space other than U+0020 (U+00A0)"),
            ("a\u{2003}b", "a space other than U+0020 (U+2003)"),
            ("a\u{3000}b", "a space other than U+0020 (U+3000)"),
            ("a\u{2800}b", "an invisible character (U+2800)"),
            ("a\u{115f}b", "an invisible character (U+115F)"),
            ("a\u{3164}b", "an invisible character (U+3164)"),
            ("a\u{ffa0}b", "an invisible character (U+FFA0)"),
            ("a\u{34f}b", "an invisible character (U+034F)"),
            ("a\u{fe0f}b", "an invisible character (U+FE0F)"),
            ("a\u{e0041}b", "an invisible formatting character (U+E0041)"),
            ("a\u{7f}b", "a control character (U+007F)"),
            ("a\u{85}b", "a control character (U+0085)"),
            (
                "a\u{e000}b",
                "a private-use character, which no standard font draws (U+E000)",
            ),
            (
                "a\u{f8ff}b",
                "a private-use character, which no standard font draws (U+F8FF)",
            ),
            (
                "a\u{10fffd}b",
                "a private-use character, which no standard font draws (U+10FFFD)",
            ),
            ("a\u{fdd0}b", "a noncharacter (U+FDD0)"),
            ("a\u{fdef}b", "a noncharacter (U+FDEF)"),
            ("a\u{fffe}b", "a noncharacter (U+FFFE)"),
            ("a\u{ffff}b", "a noncharacter (U+FFFF)"),
            ("a\u{1fffe}b", "a noncharacter (U+1FFFE)"),
            ("a\u{10ffff}b", "a noncharacter (U+10FFFF)"),
            (
                "a\u{fffd}b",
                "the replacement character, left where text was decoded with the wrong encoding (U+FFFD)",
            ),
        ] {
            assert_eq!(check_name(bad), Err(format!("holds {named}")), "{bad:?}");
        }
        // Visible letters and marks of other scripts, and the ASCII space, are names.
        for ok in [
            "Ana María",
            "한글@x.org",
            "é",
            "ﬁ",
            "ａ@x.org",
            "n\u{303}",
            "\u{fdcf}\u{fdf0}\u{fffc}\u{1fffd}",
        ] {
            assert_eq!(check_name(ok), Ok(()), "{ok:?}");
        }
        assert!(
            check_name(&"a".repeat(MAX_NAME_BYTES + 1))
                .unwrap_err()
                .contains("bytes long")
        );
    }
}
