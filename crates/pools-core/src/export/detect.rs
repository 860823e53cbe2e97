//! Detection of the export format from the first bytes of a file: Firebase CLI
//! auth:export JSON, Auth0 bulk user import schema, Auth0 user export job
//! NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users output or
//! RFC 4180 CSV with header.

use std::path::Path;

use super::text::Input;
use super::{ExportError, ExportFormat};

/// Tells the format of an export file from its content (the first 16 KiB,
/// after an optional UTF-8 BOM), not from its name:
///
/// * a JSON object with a top-level `realm` key: Keycloak realm export;
/// * a JSON object with a top-level `Users` key: AWS CLI cognito-idp
///   list-users output;
/// * a JSON object with a top-level `users` key: Firebase CLI auth:export JSON
///   (Keycloak realm export if its first user has `username`/`credentials`
///   and no `localId`);
/// * one-line JSON objects with `user_id`, `email` or `username`, one per
///   line: Auth0 user export job NDJSON;
/// * a JSON array of objects with `Username` and `Attributes`: the bare array
///   of AWS CLI cognito-idp list-users `--query Users`; any other array of
///   user objects (or an empty array): Auth0 bulk user import schema;
/// * a first line that is a CSV header with an `email` column: RFC 4180 CSV
///   with header.
///
/// Anything else is [`ExportError::UnknownFormat`], naming the file and the
/// fix (`--format NAME`).
pub fn detect(path: &Path) -> Result<ExportFormat, ExportError> {
    Input::open(path)?.detect()
}

/// Detection on the first bytes of a file (BOM already removed); `complete`
/// when they are the whole file. `Err` gives the reason for the message.
pub(crate) fn detect_bytes(prefix: &[u8], complete: bool) -> Result<ExportFormat, String> {
    let start = prefix
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(prefix.len());
    let body = &prefix[start..];
    match body.first() {
        None => Err("the file is empty".to_string()),
        Some(b'{') => detect_object(body, complete),
        Some(b'[') => detect_array(body),
        Some(_) => detect_csv(body),
    }
}

/// Keys seen by [`scan`]: `(depth, key)`, depth counting every enclosing `{`
/// and `[` (a top-level key has depth 1).
struct Scan {
    keys: Vec<(usize, String)>,
    /// Offset just after the first top-level value, if it ends in the prefix.
    first_end: Option<usize>,
    /// Whether a newline occurs inside the first top-level value (so far).
    newline_inside: bool,
}

/// A tolerant JSON tokenizer over a (possibly cut) prefix: collects object
/// keys with their depth until the first top-level value ends.
fn scan(body: &[u8]) -> Scan {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut newline_inside = false;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'"' => {
                let begin = i + 1;
                let mut j = begin;
                while j < body.len() && body[j] != b'"' {
                    j += if body[j] == b'\\' { 2 } else { 1 };
                }
                if j >= body.len() {
                    break;
                }
                let end = j;
                let mut k = j + 1;
                while k < body.len() && body[k].is_ascii_whitespace() {
                    k += 1;
                }
                if body.get(k) == Some(&b':') && keys.len() < 4096 {
                    let key = String::from_utf8_lossy(&body[begin..end]).into_owned();
                    keys.push((depth, key));
                }
                i = end + 1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Scan {
                        keys,
                        first_end: Some(i + 1),
                        newline_inside,
                    };
                }
            }
            b'\n' => newline_inside = true,
            _ => {}
        }
        i += 1;
    }
    Scan {
        keys,
        first_end: None,
        newline_inside,
    }
}

fn has_key(scan: &Scan, depth: usize, names: &[&str]) -> bool {
    scan.keys
        .iter()
        .any(|(d, k)| *d == depth && names.contains(&k.as_str()))
}

/// Keys that mark a user object of the Auth0 formats.
const AUTH0_KEYS: &[&str] = &[
    "user_id",
    "email",
    "username",
    "password_hash",
    "custom_password_hash",
];

fn detect_object(body: &[u8], complete: bool) -> Result<ExportFormat, String> {
    let s = scan(body);
    if has_key(&s, 1, &["realm"]) {
        return Ok(ExportFormat::Keycloak);
    }
    if has_key(&s, 1, &["Users"]) {
        return Ok(ExportFormat::Cognito);
    }
    if has_key(&s, 1, &["users"]) {
        let keycloak_user = has_key(&s, 3, &["username", "credentials", "createdTimestamp"]);
        if keycloak_user && !has_key(&s, 3, &["localId"]) {
            return Ok(ExportFormat::Keycloak);
        }
        return Ok(ExportFormat::Firebase);
    }
    if has_key(&s, 1, AUTH0_KEYS) && !s.newline_inside {
        let next_ok = match s.first_end {
            // The first object ended on its line: what follows must be
            // another object or nothing.
            Some(end) => {
                let rest = &body[end..];
                match rest.iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(p) => rest[p] == b'{' && rest[..p].contains(&b'\n'),
                    None => complete,
                }
            }
            // A first line longer than the prefix.
            None => !complete,
        };
        if next_ok {
            return Ok(ExportFormat::Auth0Ndjson);
        }
    }
    let top: Vec<String> = s
        .keys
        .iter()
        .filter(|(d, _)| *d == 1)
        .take(8)
        .map(|(_, k)| format!("{k:?}"))
        .collect();
    Err(if top.is_empty() {
        "a JSON object without the keys of any known export".to_string()
    } else {
        format!(
            "a JSON object whose top-level keys ({}) match no known export",
            top.join(", ")
        )
    })
}

fn detect_array(body: &[u8]) -> Result<ExportFormat, String> {
    let s = scan(body);
    if has_key(&s, 2, &["Username"]) && has_key(&s, 2, &["Attributes"]) {
        return Ok(ExportFormat::Cognito);
    }
    if has_key(&s, 2, AUTH0_KEYS) {
        return Ok(ExportFormat::Auth0Json);
    }
    let rest = body.get(1..).unwrap_or(&[]);
    let empty = rest
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b']');
    if empty {
        return Ok(ExportFormat::Auth0Json);
    }
    Err(
        "a JSON array whose first element has none of the keys `email`, `user_id`, `username`"
            .to_string(),
    )
}

fn detect_csv(body: &[u8]) -> Result<ExportFormat, String> {
    let first_line = body.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first_line);
    let mut header = ::csv::ByteRecord::new();
    let has_email = matches!(rdr.read_byte_record(&mut header), Ok(true))
        && header.iter().any(|f| {
            String::from_utf8_lossy(f)
                .trim()
                .eq_ignore_ascii_case("email")
        });
    if has_email {
        Ok(ExportFormat::Csv)
    } else {
        Err("the first line is neither JSON nor a CSV header with an `email` column".to_string())
    }
}
