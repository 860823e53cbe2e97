//! Source user IDs: the ID a source gives its user (Auth0 `user_id`, Cognito `sub`, Keycloak
//! `id`), which decides whether a record and a local user are the same person (R6, R17).

/// The strategy Auth0 prepends to a database connection's user IDs: the bulk-import schema's
/// `user_id` "5f1c..." is "auth0|5f1c..." in export jobs and the Management API (issue 8).
pub const AUTH0_DB_PREFIX: &str = "auth0|";

/// The API form of an Auth0 user ID read from a file: `auth0|` prepended when the ID has no
/// `provider|` prefix, as Auth0 itself does at a bulk import, so both formats (and a login)
/// name one person with one source user ID (R6, R17).
pub fn auth0_api(id: String) -> String {
    if id.contains('|') {
        id
    } else {
        format!("{AUTH0_DB_PREFIX}{id}")
    }
}

/// The short form a store written before reading normalised Auth0 IDs may hold for `id`.
pub fn legacy_auth0(id: &str) -> Option<&str> {
    id.strip_prefix(AUTH0_DB_PREFIX)
        .filter(|s| !s.contains('|'))
}

/// Whether a stored source user ID and one read now name the same source user: equal, or the
/// stored one is the short Auth0 bulk-import form of the one read (stores written before
/// Auth0 IDs were normalised at reading; issue 8).
pub fn same(stored: &str, read: &str) -> bool {
    stored == read || legacy_auth0(read) == Some(stored)
}

/// The source user ID a record holds, as every reader keeps it: surrounding whitespace
/// trimmed (an ID padded in a newer export is the same source user, R17), blank is none. The
/// import and `doctor` then refuse one with a control or invisible character at its line
/// ([`check`]). Not case-folded: Auth0, Cognito and Firebase
/// may tell IDs apart by case, so `AUTH0|X` stays another ID.
pub fn read(id: Option<&str>) -> Option<String> {
    id.map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// Checks a source user ID before it enters the store, as [`crate::identifier::check`] does an
/// identifier: a
/// control or invisible character, or more than [`crate::limits::MAX_NAME_BYTES`], is refused
/// (R6: such an ID prints as another). Readers trim it first; its case is kept.
///
/// Errors: a [`crate::limits::Refusal`] with reason `invalid_identifier`.
pub fn check(id: &str) -> Result<(), crate::limits::Refusal> {
    crate::limits::check_name(id).map_err(|why| crate::limits::Refusal {
        reason: "invalid_identifier",
        message: format!("the source user ID {why}"),
    })
}
