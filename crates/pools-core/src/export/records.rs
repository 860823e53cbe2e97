//! Turns one user JSON object of Firebase CLI auth:export JSON, the Auth0 bulk
//! user import schema, Auth0 user export job NDJSON, a Keycloak realm export
//! or AWS CLI cognito-idp list-users output into an [`ExportRecord`].

use std::borrow::Cow;
use std::path::Path;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::error::{Location, RawText};
use super::profile::{Fields, FieldsError, Key, Profile, Valid};
use super::{ExportError, ExportFormat, ExportRecord, NoCredential, RawCredential};

/// What is wrong with one record, before the location and text are attached.
enum Problem {
    /// A wrongly typed or malformed field (message names the field, no value).
    Field(String),
    /// A key written twice in one object of the record (message names the key).
    Repeated(String),
    /// Neither email nor username.
    NoIdentifier {
        field: &'static str,
        external_id: Option<String>,
    },
}

/// The parts of a record other than its line and raw text.
struct Parts {
    identifier: String,
    aliases: Vec<String>,
    external_id: Option<String>,
    disabled: bool,
    credential: RawCredential,
    profile: Profile,
}

/// Parses `raw` (one user JSON object of a JSON export format) and builds its
/// record; `line` is where it starts. Any problem is a per-record error that
/// carries `raw`.
pub(crate) fn from_json(
    format: ExportFormat,
    path: &Path,
    line: u64,
    raw: String,
) -> Result<ExportRecord, ExportError> {
    let parts = if matches!(format, ExportFormat::Auth0Json | ExportFormat::Auth0Ndjson) {
        // The common bulk format: members are read as text, never built into a map.
        match super::profile::parse_fields(&raw) {
            Ok(fields) => auth0(&fields, format, raw.len()),
            Err(FieldsError::Repeated { key, line: at }) => Err(Problem::Repeated(format!(
                "key {key:?} appears twice in the record (line {})",
                line + at.saturating_sub(1) as u64
            ))),
            Err(FieldsError::NotAnObject) => return Err(not_an_object(format, path, line, raw)),
        }
    } else {
        // Read strictly: a repeated key is refused, at any depth, not read as the last one.
        let map = match crate::json::parse_unique(&raw) {
            Ok(Value::Object(map)) => map,
            Err(e) if e.is_data() => {
                return Err(repeated_key(
                    format,
                    path,
                    line,
                    format!(
                        "{} (line {})",
                        serde_message(&e),
                        line + (e.line() as u64).saturating_sub(1)
                    ),
                    raw,
                ));
            }
            _ => return Err(not_an_object(format, path, line, raw)),
        };
        match format {
            ExportFormat::Firebase => firebase(map),
            ExportFormat::Keycloak => keycloak(map),
            ExportFormat::Cognito => cognito(map),
            ExportFormat::Auth0Json | ExportFormat::Auth0Ndjson | ExportFormat::Csv => Err(
                Problem::Field(format!("a JSON object cannot be read as {}", format.name())),
            ),
        }
    };
    match parts {
        Ok(p) => Ok(ExportRecord {
            line,
            identifier: p.identifier,
            aliases: p.aliases,
            external_id: p.external_id,
            disabled: p.disabled,
            credential: p.credential,
            profile: p.profile,
            raw,
        }),
        Err(Problem::Field(problem)) => Err(ExportError::shape(
            path,
            Some(line),
            format,
            problem,
            Some(raw),
        )),
        Err(Problem::Repeated(problem)) => Err(repeated_key(format, path, line, problem, raw)),
        Err(Problem::NoIdentifier { field, external_id }) => Err(ExportError::MissingField {
            at: Location::at_line(path, line),
            format,
            field,
            external_id,
            raw: Some(RawText(raw.into_bytes())),
        }),
    }
}

/// A record that writes one key twice (R6, R17): `serde_json`, jq, Python and JavaScript keep
/// the last value, so a record with two `email`s or two `user_id`s would become one of two
/// people unnoticed. Refused alone, with its line; `problem` names the key.
fn repeated_key(
    format: ExportFormat,
    path: &Path,
    line: u64,
    problem: String,
    raw: String,
) -> ExportError {
    ExportError::Shape {
        at: Location::at_line(path, line),
        format,
        problem,
        fix: "keep the key once, with the right value, and remove the other (the other records are still read)",
        raw: Some(RawText(raw.into_bytes())),
    }
}

/// Why `raw` is not a JSON object: its syntax error, or what it is instead.
fn not_an_object(format: ExportFormat, path: &Path, line: u64, raw: String) -> ExportError {
    match serde_json::from_str::<Value>(&raw) {
        Err(e) => line_syntax_error(format, path, line, &e, raw),
        Ok(other) => ExportError::shape(
            path,
            Some(line),
            format,
            format!(
                "the user record is {}, expected a JSON object",
                type_name(&other)
            ),
            Some(raw),
        ),
    }
}

/// A syntax error in one line-sized JSON record (NDJSON).
fn line_syntax_error(
    format: ExportFormat,
    path: &Path,
    line: u64,
    e: &serde_json::Error,
    raw: String,
) -> ExportError {
    let line_in_record = (e.line() as u64).saturating_sub(1);
    let problem = if e.is_eof() {
        "the JSON object ends before it is complete (truncated line)".to_string()
    } else {
        serde_message(e)
    };
    ExportError::Syntax {
        at: Location {
            path: path.to_path_buf(),
            line: Some(line + line_in_record),
            column: (e.column() > 0).then_some(e.column() as u64),
        },
        format,
        fix: if problem.starts_with("number out of range") {
            "a JSON number must fit a 64-bit float (about ±1.8e308): write it as a string, or fix or remove this line"
        } else {
            "each line must be one complete JSON user object: fix or remove this line"
        },
        problem,
        raw: Some(RawText(raw.into_bytes())),
    }
}

/// serde_json's message without its " at line L column C" suffix (the caller
/// gives the location itself). Syntax messages carry no input values.
pub(crate) fn serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// "a string", "a number", ... for messages (never the value itself).
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(field: &str, found: &Value, expected: &str) -> Problem {
    Problem::Field(format!(
        "field `{field}` is {}, expected {expected}",
        type_name(found)
    ))
}

/// A string field; absent or null is `None`.
fn opt_str<'m>(map: &'m Map<String, Value>, key: &str) -> Result<Option<&'m str>, Problem> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(key, other, "a string")),
    }
}

/// A boolean field; absent or null is `None`.
fn opt_bool(map: &Map<String, Value>, key: &str) -> Result<Option<bool>, Problem> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong_type(key, other, "true or false")),
    }
}

/// Removes a string field from the map; absent or null is `None`.
fn take_str(map: &mut Map<String, Value>, key: &str) -> Result<Option<String>, Problem> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(key, &other, "a string")),
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// Email if present, else username; the username becomes an alias when the
/// email is the identifier and the username differs from it.
fn pick_identifier(email: Option<&str>, username: Option<&str>) -> Option<(String, Vec<String>)> {
    match (non_empty(email), non_empty(username)) {
        (Some(email), Some(username)) if !username.eq_ignore_ascii_case(email) => {
            Some((email.to_string(), vec![username.to_string()]))
        }
        (Some(email), _) => Some((email.to_string(), Vec::new())),
        (None, Some(username)) => Some((username.to_string(), Vec::new())),
        (None, None) => None,
    }
}

/// Firebase CLI auth:export JSON user.
fn firebase(mut map: Map<String, Value>) -> Result<Parts, Problem> {
    let external_id = crate::source_id::read(opt_str(&map, "localId")?);
    let Some(identifier) = non_empty(opt_str(&map, "email")?).map(str::to_string) else {
        return Err(Problem::NoIdentifier {
            field: "email",
            external_id,
        });
    };
    let disabled = opt_bool(&map, "disabled")?.unwrap_or(false);
    let hash = take_str(&mut map, "passwordHash")?;
    let salt = take_str(&mut map, "salt")?;
    let credential = match hash.filter(|h| !h.is_empty()) {
        Some(hash) => RawCredential::FirebaseScrypt {
            hash,
            salt: salt.unwrap_or_default(),
        },
        None => {
            let providers = firebase_providers(&map)?;
            if providers.is_empty() {
                RawCredential::None(NoCredential::Missing)
            } else {
                RawCredential::None(NoCredential::FederatedOnly { providers })
            }
        }
    };
    merge_custom_attributes(&mut map)?;
    Ok(Parts {
        identifier,
        aliases: Vec::new(),
        external_id,
        disabled,
        credential,
        profile: Profile::from_map(map),
    })
}

/// `providerUserInfo[].providerId`, without `password`, deduplicated.
fn firebase_providers(map: &Map<String, Value>) -> Result<Vec<String>, Problem> {
    let list = match map.get("providerUserInfo") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => return Err(wrong_type("providerUserInfo", other, "an array")),
    };
    let mut providers: Vec<String> = Vec::new();
    for info in list {
        let Value::Object(info) = info else {
            return Err(wrong_type("providerUserInfo[]", info, "an object"));
        };
        if let Some(id) = non_empty(opt_str(info, "providerId")?)
            && id != "password"
            && !providers.iter().any(|p| p == id)
        {
            providers.push(id.to_string());
        }
    }
    Ok(providers)
}

/// The profile of a Firebase user record, an `auth:export` user or an Identity Toolkit
/// `accounts:lookup` user alike, so `--tenant property:PATH` reads a live pool's profile
/// as it reads an export's: the record without `passwordHash` and `salt`, `customAttributes`
/// parsed into an object under that key and its keys also merged at the top level (the
/// record's own fields win).
///
/// Errors: `customAttributes` is not a string holding a JSON object, or names a key twice
/// (the message names the field, never a value).
pub fn firebase_profile(mut map: Map<String, Value>) -> Result<Map<String, Value>, String> {
    map.remove("passwordHash");
    map.remove("salt");
    merge_custom_attributes(&mut map).map_err(|p| match p {
        Problem::Field(m) | Problem::Repeated(m) => m,
        Problem::NoIdentifier { field, .. } => format!("no `{field}`"),
    })?;
    Ok(map)
}

/// Parses Firebase `customAttributes` (a JSON string holding an object) into an
/// object under the same key and merges its keys at the top level, where the
/// record's own fields win.
fn merge_custom_attributes(map: &mut Map<String, Value>) -> Result<(), Problem> {
    let attrs = match map.get("customAttributes") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(()),
        // Checked as text first: parsed, a number beyond 64 bits would turn into a double
        // silently, where the same number elsewhere in a record is refused (limits).
        Some(Value::String(s))
            if let Err(r) = crate::limits::check_document_text("customAttributes", s) =>
        {
            return Err(Problem::Field(format!(
                "field `customAttributes`: {}",
                r.message
            )));
        }
        // Its keys are tenant properties: one named twice is refused, not read as the last.
        Some(Value::String(s)) => match crate::json::parse_unique(s) {
            Ok(Value::Object(attrs)) => attrs,
            Err(e) if e.is_data() => {
                return Err(Problem::Repeated(format!(
                    "field `customAttributes`: {}",
                    serde_message(&e)
                )));
            }
            Ok(other) => {
                return Err(Problem::Field(format!(
                    "field `customAttributes` holds {}, expected a JSON object",
                    type_name(&other)
                )));
            }
            Err(e) => {
                return Err(Problem::Field(format!(
                    "field `customAttributes` is not valid JSON ({})",
                    serde_message(&e)
                )));
            }
        },
        Some(Value::Object(attrs)) => attrs.clone(),
        Some(other) => {
            return Err(wrong_type(
                "customAttributes",
                other,
                "a string holding a JSON object",
            ));
        }
    };
    for (k, v) in &attrs {
        if !map.contains_key(k) {
            map.insert(k.clone(), v.clone());
        }
    }
    map.insert("customAttributes".to_string(), Value::Object(attrs));
    Ok(())
}

/// Auth0 bulk user import schema user, or Auth0 user export job NDJSON line, from its
/// members as text; `size` is the record's length (the profile is most of it).
fn auth0(fields: &Fields<'_>, format: ExportFormat, size: usize) -> Result<Parts, Problem> {
    // What the record's syntax check let through but a parsed profile would refuse. Most
    // values cannot hold it and need no second look.
    for (key, raw) in fields {
        let text = raw.get();
        let check = match text.strip_prefix('"') {
            Some(string) => string.contains('\\'),
            // An object of two members or more (it needs a comma) may repeat a key.
            None => may_be_refused(text) || (text.starts_with(['{', '[']) && text.contains(',')),
        };
        if check && let Err(e) = serde_json::from_str::<Valid>(text) {
            let problem = format!("field `{}`: {}", key.0, serde_message(&e));
            // Valid's only data error is a repeated key; the others are syntax errors.
            return Err(if e.is_data() {
                Problem::Repeated(problem)
            } else {
                Problem::Field(problem)
            });
        }
    }
    // Both Auth0 formats in the API form, so the same person meets the same user (issue 8).
    let external_id = crate::source_id::read(field_str(fields, "user_id")?.as_deref())
        .map(crate::source_id::auth0_api);
    let email = field_str(fields, "email")?;
    let username = field_str(fields, "username")?;
    let Some((identifier, aliases)) = pick_identifier(email.as_deref(), username.as_deref()) else {
        return Err(Problem::NoIdentifier {
            field: "email or username",
            external_id,
        });
    };
    let disabled = field_bool(fields, "blocked")?.unwrap_or(false);
    let hash = field_str(fields, "password_hash")?.filter(|h| !h.is_empty());
    let custom = field(fields, "custom_password_hash")
        .map(parse_member)
        .filter(|v| !v.is_null());
    let credential = match (hash, custom) {
        (Some(_), Some(_)) => {
            return Err(Problem::Field(
                "the record has both `password_hash` and `custom_password_hash`; keep only one"
                    .to_string(),
            ));
        }
        (Some(hash), None) => RawCredential::Crypt(hash.into_owned()),
        (None, Some(custom @ Value::Object(_))) => RawCredential::Auth0Custom(custom),
        (None, Some(other)) => return Err(wrong_type("custom_password_hash", &other, "an object")),
        (None, None) if format == ExportFormat::Auth0Ndjson => {
            RawCredential::None(NoCredential::NotExported)
        }
        (None, None) => RawCredential::None(NoCredential::Missing),
    };
    // Hashes, and TOTP secrets and the like: never synced as attributes.
    let profile = Profile::from_fields(
        fields,
        &["password_hash", "custom_password_hash", "mfa_factors"],
        size,
    );
    Ok(Parts {
        identifier,
        aliases,
        external_id,
        disabled,
        credential,
        profile,
    })
}

/// Whether a value's text (valid JSON) may hold what a parsed value refuses: an escape (a
/// lone surrogate) or a number beyond `f64` (it needs an exponent after a digit, or over 300
/// digits). False alarms only cost a check.
fn may_be_refused(text: &str) -> bool {
    let mut digits = 0;
    for b in text.bytes() {
        match b {
            b'\\' => return true,
            b'0'..=b'9' => digits += 1,
            b'e' | b'E' if digits > 0 => return true,
            _ => digits = 0,
        }
        if digits > 300 {
            return true;
        }
    }
    false
}

fn field<'a>(fields: &Fields<'a>, key: &str) -> Option<&'a RawValue> {
    fields.get(&Key(Cow::Borrowed(key))).copied()
}

/// A member's value, parsed (it was validated as JSON with the record).
fn parse_member(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// A string member, borrowed when it has no escapes; absent or null is `None`.
fn field_str<'a>(fields: &Fields<'a>, key: &str) -> Result<Option<Cow<'a, str>>, Problem> {
    match field(fields, key) {
        None => Ok(None),
        Some(raw) if raw.get().starts_with('"') => serde_json::from_str::<Key<'a>>(raw.get())
            .map(|k| Some(k.0))
            .map_err(|e| Problem::Field(format!("field `{key}`: {}", serde_message(&e)))),
        Some(raw) => match parse_member(raw) {
            Value::Null => Ok(None),
            other => Err(wrong_type(key, &other, "a string")),
        },
    }
}

/// A boolean member; absent or null is `None`.
fn field_bool(fields: &Fields<'_>, key: &str) -> Result<Option<bool>, Problem> {
    match field(fields, key).map(parse_member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(other) => Err(wrong_type(key, &other, "true or false")),
    }
}

/// Keycloak realm export user.
fn keycloak(mut map: Map<String, Value>) -> Result<Parts, Problem> {
    let external_id = crate::source_id::read(opt_str(&map, "id")?);
    let Some((identifier, aliases)) =
        pick_identifier(opt_str(&map, "email")?, opt_str(&map, "username")?)
    else {
        return Err(Problem::NoIdentifier {
            field: "email or username",
            external_id,
        });
    };
    // Keycloak imports a user without `enabled` as disabled.
    let disabled = !opt_bool(&map, "enabled")?.unwrap_or(false);
    let credentials = map.remove("credentials");
    let mut credential = keycloak_credential(credentials)?;
    if credential == RawCredential::None(NoCredential::Missing) {
        let providers = keycloak_federated(&map)?;
        if !providers.is_empty() {
            credential = RawCredential::None(NoCredential::FederatedOnly { providers });
        }
    }
    Ok(Parts {
        identifier,
        aliases,
        external_id,
        disabled,
        credential,
        profile: Profile::from_map(map),
    })
}

/// The first `type: "password"` credential.
fn keycloak_credential(credentials: Option<Value>) -> Result<RawCredential, Problem> {
    let list = match credentials {
        None | Some(Value::Null) => return Ok(RawCredential::None(NoCredential::Missing)),
        Some(Value::Array(list)) => list,
        Some(other) => return Err(wrong_type("credentials", &other, "an array")),
    };
    for cred in list {
        let Value::Object(mut cred) = cred else {
            return Err(wrong_type("credentials[]", &cred, "an object"));
        };
        if opt_str(&cred, "type")? != Some("password") {
            continue;
        }
        if let Some(secret_data) = take_str(&mut cred, "secretData")? {
            let credential_data = take_str(&mut cred, "credentialData")?.unwrap_or_default();
            return Ok(RawCredential::Keycloak {
                secret_data,
                credential_data,
            });
        }
        // Keycloak before 11 exported the hash fields directly.
        if let Some(value) = take_str(&mut cred, "hashedSaltedValue")? {
            let mut secret = Map::new();
            secret.insert("value".to_string(), Value::String(value));
            if let Some(salt) = cred.remove("salt").filter(|v| !v.is_null()) {
                secret.insert("salt".to_string(), salt);
            }
            secret.insert(
                "additionalParameters".to_string(),
                Value::Object(Map::new()),
            );
            let mut data = Map::new();
            for key in ["hashIterations", "algorithm"] {
                if let Some(v) = cred.remove(key).filter(|v| !v.is_null()) {
                    data.insert(key.to_string(), v);
                }
            }
            data.insert(
                "additionalParameters".to_string(),
                Value::Object(Map::new()),
            );
            return Ok(RawCredential::Keycloak {
                secret_data: Value::Object(secret).to_string(),
                credential_data: Value::Object(data).to_string(),
            });
        }
        return Err(Problem::Field(
            "the password credential has no `secretData` (nor pre-11 `hashedSaltedValue`)"
                .to_string(),
        ));
    }
    Ok(RawCredential::None(NoCredential::Missing))
}

/// `federatedIdentities[].identityProvider`.
fn keycloak_federated(map: &Map<String, Value>) -> Result<Vec<String>, Problem> {
    let list = match map.get("federatedIdentities") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => return Err(wrong_type("federatedIdentities", other, "an array")),
    };
    let mut providers: Vec<String> = Vec::new();
    for link in list {
        let Value::Object(link) = link else {
            return Err(wrong_type("federatedIdentities[]", link, "an object"));
        };
        if let Some(p) = non_empty(opt_str(link, "identityProvider")?)
            && !providers.iter().any(|x| x == p)
        {
            providers.push(p.to_string());
        }
    }
    Ok(providers)
}

/// AWS CLI cognito-idp list-users output user.
fn cognito(map: Map<String, Value>) -> Result<Parts, Problem> {
    let username = opt_str(&map, "Username")?;
    opt_bool(&map, "Enabled")?;
    let status = opt_str(&map, "UserStatus")?;
    let mut profile = Map::new();
    match map.get("Attributes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            let mut seen: Vec<&str> = Vec::with_capacity(list.len());
            for attr in list {
                let Value::Object(attr) = attr else {
                    return Err(wrong_type("Attributes[]", attr, "an object"));
                };
                let Some(name) = opt_str(attr, "Name")? else {
                    return Err(Problem::Field(
                        "an entry of `Attributes` has no `Name`".to_string(),
                    ));
                };
                let value = opt_str(attr, "Value")?;
                // Named twice, an attribute (the email, the `sub`) is two answers: which is
                // the person's cannot be told (R6, R17; retrial finding E).
                if seen.contains(&name) {
                    return Err(Problem::Field(format!(
                        "the attribute {name:?} appears twice in `Attributes`"
                    )));
                }
                seen.push(name);
                if let Some(value) = value {
                    profile.insert(name.to_string(), Value::String(value.to_string()));
                }
            }
        }
        Some(other) => return Err(wrong_type("Attributes", other, "an array")),
    }
    for key in ["Username", "Enabled", "UserStatus"] {
        if let Some(v) = map.get(key).filter(|v| !v.is_null()) {
            profile.insert(key.to_string(), v.clone());
        }
    }
    let attr = |name: &str| non_empty(profile.get(name).and_then(Value::as_str));
    let sub = attr("sub");
    let email = attr("email");
    let username = non_empty(username);
    let external_id = crate::source_id::read(sub.or(username));
    let (identifier, mut aliases) = match (email, username) {
        (Some(email), Some(username))
            if Some(username) != sub && !username.eq_ignore_ascii_case(email) =>
        {
            (email.to_string(), vec![username.to_string()])
        }
        (Some(email), _) => (email.to_string(), Vec::new()),
        (None, Some(username)) => (username.to_string(), Vec::new()),
        (None, None) => {
            return Err(Problem::NoIdentifier {
                field: "email attribute or Username",
                external_id,
            });
        }
    };
    if let Some(preferred) = attr("preferred_username")
        && preferred != identifier
        && !aliases.iter().any(|a| a == preferred)
    {
        aliases.push(preferred.to_string());
    }
    let credential = match status {
        Some("FORCE_CHANGE_PASSWORD" | "RESET_REQUIRED") => {
            RawCredential::None(NoCredential::PasswordChangeRequired)
        }
        Some("EXTERNAL_PROVIDER") => RawCredential::None(NoCredential::FederatedOnly {
            providers: cognito_providers(attr("identities")),
        }),
        _ => RawCredential::None(NoCredential::NotExported),
    };
    let disabled = matches!(map.get("Enabled"), Some(Value::Bool(false)));
    Ok(Parts {
        identifier,
        aliases,
        external_id,
        disabled,
        credential,
        profile: Profile::from_map(profile),
    })
}

/// Provider names from the Cognito `identities` attribute (a JSON string);
/// empty if it is absent or unreadable.
fn cognito_providers(identities: Option<&str>) -> Vec<String> {
    let Some(Ok(Value::Array(list))) = identities.map(serde_json::from_str::<Value>) else {
        return Vec::new();
    };
    let mut providers: Vec<String> = Vec::new();
    for id in &list {
        if let Some(name) = non_empty(id.get("providerName").and_then(Value::as_str))
            && !providers.iter().any(|p| p == name)
        {
            providers.push(name.to_string());
        }
    }
    providers
}
