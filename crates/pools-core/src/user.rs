//! Users of the local store (R3, R6, R7): native users, users migrated from a pool, and shadow
//! copies of pool users that stay at their source (passthrough, sync, idp).

use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::terms::Choice;
use serde::Serialize;
use serde_json::{Map, Value};

crate::terms::choice! {
    /// How a user came to the local store.
    pub enum Origin {
        /// Created in this environment.
        Native = "native",
        /// Copied from a pool for good (JIT or bulk import); authenticates locally (R3).
        Migrated = "migrated",
        /// A local copy of a user who stays at the pool's source (passthrough, sync, idp).
        Shadow = "shadow",
    }
}

impl Origin {
    /// The name, as [`Choice::name`].
    pub fn as_str(self) -> &'static str {
        Choice::name(self)
    }

    /// Errors: [`Error::Invalid`] for a value the store should never hold.
    pub fn parse(s: &str) -> Result<Self> {
        Self::from_name(s)
            .ok_or_else(|| Error::invalid("origin", format!("unknown user origin {s:?}")))
    }
}

/// A user of the local store. `password_hash` is a PHC / crypt string (or one of the hash
/// module's canonical encodings) and never leaves the library: it is skipped when serialised
/// and masked in `Debug` (R11).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct User {
    pub id: String,
    /// As first typed or imported, for display (R6).
    pub identifier: String,
    /// The comparison key: see [`crate::identifier::key`].
    #[serde(skip)]
    pub key: String,
    pub origin: Origin,
    /// The pool that owns (shadow) or gave (migrated) the user; kept after the pool is deleted.
    pub pool: Option<String>,
    pub external_id: Option<String>,
    pub tenant_id: Option<String>,
    /// How the tenant was resolved (R4), e.g. `property:app_metadata.tenantId`.
    pub tenant_resolution: Option<String>,
    pub profile: Map<String, Value>,
    pub metadata: Map<String, Value>,
    pub enabled: bool,
    #[serde(skip)]
    pub password_hash: Option<Secret>,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub migrated_at: Option<String>,
    pub last_login_at: Option<String>,
    /// Incremented by every change (R12).
    pub version: u64,
    /// When a bulk import wrote the user, and from which line of the export (R17).
    pub imported_at: Option<String>,
    pub import_line: Option<u64>,
    #[serde(skip)]
    pub import_source: Option<String>,
    /// Which run of that import wrote the user (1, 2, ...).
    pub import_run: Option<u64>,
    /// Stored fields this version cannot read (`profile: why`, `metadata: why`), written by an
    /// older version without today's limits; such a field reads as empty, and the rest of the
    /// user (and every other user) stays usable. Empty for every user written now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}

impl User {
    /// Whether this local user is the user a source of `pool` returned (R6, R17): only a user
    /// of that pool can be, and then the source user IDs decide when both sides have one. A
    /// local user with a source user ID is never a record that carries none: the source does
    /// not say it is the same person, so the login or row fails closed as a collision. Where
    /// neither side has one (CSV exports) the identifier is all the source tells, so its key
    /// decides, and so it does for a record with an ID meeting a user written without one.
    /// A native user is nobody's source user.
    pub fn is_source_user(&self, pool: &str, external_id: Option<&str>, key: &str) -> bool {
        if self.origin == Origin::Native || self.pool.as_deref() != Some(pool) {
            return false;
        }
        match (self.external_id.as_deref(), external_id) {
            (Some(mine), Some(theirs)) => crate::source_id::same(mine, theirs),
            (Some(_), None) => false,
            (None, _) => self.key == key,
        }
    }

    /// The user as messages name it: ID, identifier, origin, pool and source user ID.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "local user {} '{}' ({}",
            self.id,
            self.identifier,
            self.origin.as_str()
        );
        if let Some(p) = &self.pool {
            out.push_str(&format!(", pool {p}"));
        }
        if let Some(x) = &self.external_id {
            out.push_str(&format!(", source user {x}"));
        }
        out.push(')');
        out
    }
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub identifier: String,
    /// Other login names of the same user (R6: each maps to this user only).
    pub aliases: Vec<String>,
    pub origin: Origin,
    pub pool: Option<String>,
    pub external_id: Option<String>,
    pub tenant_id: Option<String>,
    pub tenant_resolution: Option<String>,
    /// True when the tenant was made for this user (`auto`): it is recorded only if the user
    /// is created, so racing first logins make one tenant (R4).
    pub new_tenant: bool,
    pub profile: Map<String, Value>,
    pub metadata: Map<String, Value>,
    pub enabled: bool,
    pub password_hash: Option<Secret>,
    /// Created by a login (sets the last-login time), rather than by an operator or an import.
    pub logged_in: bool,
}

impl NewUser {
    /// Checks what the store would keep against [`crate::limits`]: identifier and aliases
    /// ([`crate::identifier::check`]), tenant ID ([`crate::tenant::check_id`]), profile and
    /// metadata ([`check_document`]). The store runs it on every new user; entry paths run it
    /// first to refuse with their own context.
    ///
    /// Errors: [`Error::Invalid`] naming `identifier`, `alias`, `tenant`, `profile` or
    /// `metadata`.
    pub fn validate(&self) -> Result<()> {
        let refused = |field: &str, r: crate::limits::Refusal| {
            Error::invalid(field, r.message).with_hint(
                "the store keeps only what it can read back: fix the value at its source",
            )
        };
        crate::identifier::check(&self.identifier).map_err(|r| refused("identifier", r))?;
        for alias in &self.aliases {
            crate::identifier::check(alias).map_err(|r| refused("alias", r))?;
        }
        if let Some(x) = &self.external_id {
            crate::source_id::check(x).map_err(|r| refused("source user ID", r))?;
        }
        if let Some(t) = &self.tenant_id {
            crate::tenant::check_id(t).map_err(|r| refused("tenant", r))?;
        }
        check_document("profile", &self.profile)?;
        check_document("metadata", &self.metadata)
    }
}

/// Checks a profile or metadata document against [`crate::limits`] (depth, size, strings,
/// numbers) before it is stored; `what` is `profile` or `metadata`.
///
/// Errors: [`Error::Invalid`] on `what`.
pub fn check_document(what: &str, doc: &Map<String, Value>) -> Result<()> {
    crate::limits::check_document(what, doc).map_err(|r| {
        Error::invalid(what, r.message)
            .with_hint("the store keeps only what it can read back: flatten or shorten the value")
    })
}

/// A new user ID: `usr_` and a UUIDv7, time-ordered so new rows append to the index.
pub fn new_user_id() -> String {
    format!("usr_{}", uuid::Uuid::now_v7().simple())
}

/// Changes a login makes to an existing user.
#[derive(Debug, Clone, Default)]
pub struct LoginUpdate {
    /// A new hash (R13 upgrade, or first password of an imported user).
    pub password_hash: Option<Secret>,
    /// The whole new profile (sync refresh, R16).
    pub profile: Option<Map<String, Value>>,
    /// New enabled flag (R15: a sync copy follows its source).
    pub enabled: Option<bool>,
    /// Record the time of a successful login.
    pub touch_login: bool,
    /// The login names the source now gives the user (a rename at the source, R6, R17).
    pub identity: Option<Identity>,
}

impl LoginUpdate {
    /// Only the login time: what a login records when a concurrent one already made its
    /// other changes (written by [`crate::store::Store::touch_login`], without a version).
    pub fn touch() -> Self {
        LoginUpdate {
            touch_login: true,
            ..LoginUpdate::default()
        }
    }
}

/// A user's login names as the source gives them: the identifier (for display, and its key
/// for lookups) and the aliases. Applying one replaces the old names: an old identifier or
/// alias the source no longer lists no longer finds the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub identifier: String,
    pub aliases: Vec<String>,
}

/// R16: keys present in `source` overwrite, absent keys keep the local value, and an explicit
/// null removes the key.
pub fn sync_profile(local: &Map<String, Value>, source: &Map<String, Value>) -> Map<String, Value> {
    let mut out = local.clone();
    for (k, v) in source {
        if v.is_null() {
            out.remove(k);
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// Filter of `users list`.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub pool: Option<String>,
    pub origin: Option<Origin>,
}

/// One page of a listing in identifier-key order (keyset paging): the users whose key sorts
/// after `after`, at most `limit` of them. A page is one range of the identifier index, so a
/// deep page costs what the first does, and users added or removed meanwhile never shift a
/// later page (nobody is listed twice or skipped, except users added behind the cursor).
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Identifier key of the last user of the previous page (see [`Cursor`]); `None` starts
    /// at the first user.
    pub after: Option<String>,
    /// `None`: every user after `after`; 0 lists nobody and gives no cursor.
    pub limit: Option<u64>,
}

/// The position `users list --after` takes: the identifier key of the last user listed,
/// opaque to the operator (a version byte and the key, base64url), so that what a script
/// passes back is only ever what a page printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub String);

/// The first byte of an encoded cursor: a later encoding gets another, and an old cursor is
/// then refused rather than misread.
const CURSOR_VERSION: u8 = 1;

impl Cursor {
    /// The cursor as printed for the next page, e.g. `AWFkYUBleGFtcGxlLmNvbQ`.
    pub fn encode(&self) -> String {
        use base64ct::Encoding;
        let mut bytes = Vec::with_capacity(self.0.len() + 1);
        bytes.push(CURSOR_VERSION);
        bytes.extend_from_slice(self.0.as_bytes());
        base64ct::Base64UrlUnpadded::encode_string(&bytes)
    }

    /// Reads back what [`Cursor::encode`] printed.
    ///
    /// Errors: `None` for anything else (not base64url, another version, no key, not UTF-8).
    pub fn decode(text: &str) -> Option<Cursor> {
        use base64ct::Encoding;
        let bytes = base64ct::Base64UrlUnpadded::decode_vec(text.trim()).ok()?;
        let (&version, key) = bytes.split_first()?;
        if version != CURSOR_VERSION || key.is_empty() {
            return None;
        }
        String::from_utf8(key.to_vec()).ok().map(Cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cursor_reads_back_what_it_printed_and_nothing_else() {
        for key in ["ada@example.com", "ß@straße.de", "a"] {
            let c = Cursor(key.to_owned());
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        for bad in [
            "",
            "!!!",
            "not a cursor",
            "YWRh",   // "ada": no version byte
            "AQ",     // the version byte, no key
            "AmFkYQ", // version 2
            "Af_-",   // not UTF-8
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn r16_sync_present_overwrites_absent_keeps_null_clears() {
        let local = json!({"name": "Old", "plan": "pro", "team": "x"});
        let source = json!({"name": "New", "team": null});
        let out = sync_profile(local.as_object().unwrap(), source.as_object().unwrap());
        assert_eq!(Value::Object(out), json!({"name": "New", "plan": "pro"}));
    }
}
