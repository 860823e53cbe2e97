//! `pools doctor`: what needs attention before a source can be retired or a bulk import run —
//! identifier collisions (identifiers and aliases) across export files and with local users
//! (R6, R17), one source user listed twice or held by two local users (R17), users disabled at
//! the source (R15), unusable or unknown hashes (R13), unresolvable tenants (R4), unreadable
//! records, export files without users, domains two pools route (R5), secrets gone from the
//! credential store (R11). Reads only.

use crate::credential;
use crate::error::Result;
use crate::export::{self, RawCredential};
use crate::identifier;
use crate::pool::{SourceSettings, StoredPool};
use crate::store::Store;
use crate::tenant;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::ControlFlow;

crate::code::codes! {
    /// What a [`Finding`] is about (README: Bulk migration lists them).
    pub enum FindingCode {
        /// Two people, one name (identifier or alias), in the files or the store (R6).
        Collision = "collision",
        /// One source user, two records (R17).
        DuplicateSourceId = "duplicate_source_id",
        /// Rows an import killed before it ended left unchecked.
        ImportPending = "import_pending",
        /// Disabled or blocked at the source: not migrated (R15).
        UserDisabled = "user_disabled",
        /// A password hash that cannot be used.
        UnusableHash = "unusable_hash",
        /// No password hash: the first login needs the source.
        NoCredential = "no_credential",
        TenantAmbiguous = "tenant_ambiguous",
        TenantUnresolved = "tenant_unresolved",
        /// The pool's export file cannot be read.
        Unreadable = "unreadable",
        /// A record the import would reject ([`crate::limits::Refusal`] reasons, R6) ...
        InvalidIdentifier = "invalid_identifier",
        TooDeep = "too_deep",
        TooLarge = "too_large",
        StringTooLong = "string_too_long",
        NumberOutOfRange = "number_out_of_range",
        LoneSurrogate = "lone_surrogate",
        /// A user in the store with a field this version cannot read.
        UnreadableUser = "unreadable_user",
        /// An export file that reads but holds no record.
        NoUsers = "no_users",
        /// Two pools read the same export file.
        SharedFile = "shared_file",
        /// Two pools route one domain.
        SharedDomain = "shared_domain",
        /// Users of a pool that no longer exists, who cannot log in (R10).
        StrandedUsers = "stranded_users",
        /// A `keyring:` reference to a credential pools kept and the credential store no
        /// longer has (R11): the pool cannot sign in.
        DanglingSecret = "dangling_secret",
    }
}

impl FindingCode {
    /// The finding of a record the import would refuse for `reason` (a
    /// [`crate::limits::Refusal`] or tenant reason code).
    ///
    /// Panics (a bug) when `reason` is no finding code: the test below lists them all.
    fn of_refusal(reason: &str) -> Self {
        FindingCode::from_code(reason)
            .unwrap_or_else(|| panic!("refusal reason `{reason}` is no doctor finding code"))
    }
}

/// One thing to look at.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Finding {
    pub pool: String,
    /// `file:line`, or the pool's file when the whole file is at fault.
    pub location: String,
    /// The record's identifier; for a collision, the name (identifier or alias) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// What it is.
    pub code: FindingCode,
    pub message: String,
    /// What to do about it, where the message does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// The secrets `pools` kept for a pool that are gone from the credential store, as
/// `(setting, keyring name, where it looked)`: the environment's to tell, as it holds the
/// credential store.
pub type GoneSecrets<'a> = dyn Fn(&crate::pool::Pool) -> Vec<(&'static str, String, String)> + 'a;

/// Figures of a scan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Scan {
    pub pools: Vec<String>,
    pub records: u64,
    pub findings: Vec<Finding>,
}

/// How two spellings of one identifier differ (R6).
fn difference(a: &str, b: &str) -> &'static str {
    if a == b {
        "nothing (the same spelling, read twice)"
    } else if a.trim() == b.trim() {
        "whitespace"
    } else if a.trim().to_lowercase() == b.trim().to_lowercase() {
        "case"
    } else {
        "Unicode form or case folding"
    }
}

/// A login name met in the files: who brought it.
struct Name {
    pool: String,
    location: String,
    spelling: String,
    /// Whether it is that record's alias (else its identifier).
    alias: bool,
    external_id: Option<String>,
    /// The key of that record's identifier.
    own_key: String,
}

impl Name {
    fn role(&self) -> &'static str {
        if self.alias {
            "an alias"
        } else {
            "the identifier"
        }
    }

    fn who(&self) -> String {
        match &self.external_id {
            Some(x) => format!("pool {}, source user {x}", self.pool),
            None => format!("pool {}", self.pool),
        }
    }

    /// One person: the same pool, and the same source user ID (or, without one, the same
    /// identifier), as [`crate::user::User::is_source_user`] decides for local users.
    fn same_person(&self, other: &Name) -> bool {
        self.pool == other.pool
            && match (&self.external_id, &other.external_id) {
                (Some(a), Some(b)) => a == b,
                _ => self.own_key == other.own_key,
            }
    }
}

/// Scans the export files of `pools` and the store's users of the pools named in `only`
/// (every user when empty; a deleted pool's name finds the users it left).
/// Memory grows with the number of distinct identifiers, aliases and source user IDs (one
/// map entry each).
///
/// Errors: store failures only; file problems are findings.
pub fn scan(
    store: &dyn Store,
    pools: &[StoredPool],
    only: &[String],
    secrets_gone: &GoneSecrets<'_>,
) -> Result<Scan> {
    let wanted =
        |pool: Option<&str>| only.is_empty() || pool.is_some_and(|p| only.iter().any(|n| n == p));
    let mut out = Scan::default();
    let mut seen: HashMap<String, Name> = HashMap::new(); // identifier and alias keys
    let mut reported: std::collections::HashSet<String> = Default::default(); // collision keys
    let mut sources: HashMap<(String, String), String> = HashMap::new(); // (pool, source user ID) -> location
    // (device, inode) of each pool's file -> the first pool and the path it names it by.
    let mut files: HashMap<(u64, u64), (String, String)> = HashMap::new();
    for p in pools {
        let SourceSettings::Export {
            file,
            format,
            hash_config,
        } = &p.pool.settings
        else {
            continue;
        };
        let name = p.pool.name.to_string();
        out.pools.push(name.clone());
        // One file under two pools (a hard link, a symlink, `a/../f`): each login would
        // answer from one file under two pools (R5), so its users are two pools' at once.
        // Identity is the device and inode the path resolves to, not its spelling.
        if let Ok(m) = std::fs::metadata(file) {
            use std::os::unix::fs::MetadataExt;
            match files.entry((m.dev(), m.ino())) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert((name.clone(), file.clone()));
                }
                std::collections::hash_map::Entry::Occupied(o) => {
                    let (first, first_file) = o.get();
                    let same = if first_file == file {
                        file.clone()
                    } else {
                        format!("{file} (also named {first_file})")
                    };
                    out.findings.push(Finding {
                        pool: name.clone(),
                        location: file.clone(),
                        identifier: None,
                        code: FindingCode::SharedFile,
                        message: format!(
                            "pools '{first}' and '{name}' read the same export file {same}: each login would answer from one file under two pools (R5)"
                        ),
                        hint: Some(format!(
                            "point one of them at its own file: `pools configure {name} --file PATH`, or delete the pool that is not meant"
                        )),
                    });
                }
            }
        }
        let config = match hash_config
            .as_deref()
            .map(|p| credential::load_hash_config(std::path::Path::new(p)))
        {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                out.findings.push(Finding {
                    pool: name.clone(),
                    location: hash_config.clone().unwrap_or_default(),
                    identifier: None,
                    code: FindingCode::UnusableHash,
                    hint: None,
                    message: e.to_string(),
                });
                None
            }
            None => None,
        };
        let mut findings = Vec::new();
        let mut records = 0u64;
        // Opened once (it may be a FIFO), the format detected for the record checks.
        let opened = export::Input::open(std::path::Path::new(file)).and_then(|mut input| {
            let format = match format {
                Some(f) => *f,
                None => input.detect()?,
            };
            Ok((input, format))
        });
        let (input, format) = match opened {
            Ok(opened) => opened,
            Err(e) => {
                out.findings.push(unreadable(&name, file, &e));
                continue;
            }
        };
        let result = export::read_input(input, Some(format), |item| {
            records += 1;
            let rec = match item {
                Ok(r) => r,
                Err(e) => {
                    findings.push(unreadable(&name, file, &e));
                    return ControlFlow::Continue(());
                }
            };
            let location = format!("{file}:{}", rec.line);
            // Every login name of the record against every name read before (R6): the same
            // name twice is one person listed twice, or two people sharing it.
            let own_key = identifier::key(&rec.identifier);
            let names = std::iter::once((rec.identifier.as_str(), false))
                .chain(rec.aliases.iter().map(|a| (a.as_str(), true)));
            for (spelling, alias) in names {
                let key = identifier::key(spelling);
                if key.is_empty() || (alias && key == own_key) {
                    continue;
                }
                let this = Name {
                    pool: name.clone(),
                    location: location.clone(),
                    spelling: spelling.to_owned(),
                    alias,
                    external_id: rec.external_id.clone(),
                    own_key: own_key.clone(),
                };
                let Some(prev) = seen.get(&key) else {
                    seen.insert(key, this);
                    continue;
                };
                let message = if !prev.same_person(&this) {
                    format!(
                        "{spelling:?} is {} of {} ({}) and {} of this record ({}): two people, one name (R6)",
                        prev.role(),
                        prev.location,
                        prev.who(),
                        this.role(),
                        this.who()
                    )
                } else if !alias && !prev.alias {
                    format!(
                        "same user as {} (pool {}, {:?}): they differ by {} (R6)",
                        prev.location,
                        prev.pool,
                        prev.spelling,
                        difference(&prev.spelling, spelling)
                    )
                } else {
                    continue; // the same person's name again
                };
                reported.insert(key);
                findings.push(Finding {
                    pool: name.clone(),
                    location: location.clone(),
                    identifier: Some(spelling.to_owned()),
                    code: FindingCode::Collision,
                    hint: None,
                    message,
                });
            }
            let mut add = |code, message: String| {
                findings.push(Finding {
                    pool: name.clone(),
                    location: location.clone(),
                    identifier: Some(rec.identifier.clone()),
                    code,
                    hint: None,
                    message,
                });
            };
            if let Some(x) = &rec.external_id {
                match sources.get(&(name.clone(), x.clone())) {
                    Some(first) => add(
                        FindingCode::DuplicateSourceId,
                        format!(
                            "source user {x} is also the record at {first}: one person, two records (R17)"
                        ),
                    ),
                    None => {
                        sources.insert((name.clone(), x.clone()), location.clone());
                    }
                }
            }
            if let Err(r) = crate::import::check_record(&rec, format) {
                add(
                    FindingCode::of_refusal(r.reason),
                    format!("the import would reject it: {}", r.message),
                );
            }
            if rec.disabled {
                add(
                    FindingCode::UserDisabled,
                    "disabled or blocked at the source: it will not be migrated (R15)".into(),
                );
            }
            match credential::password_hash(&rec.credential, config.as_ref()) {
                Ok(Some(_)) => {}
                Ok(None) => {
                    let why = match &rec.credential {
                        RawCredential::None(why) => why.to_string(),
                        _ => String::new(),
                    };
                    add(
                        FindingCode::NoCredential,
                        format!("no password hash ({why}): the first login needs the source"),
                    );
                }
                Err(e) => add(FindingCode::UnusableHash, e.to_string()),
            }
            if let Some((code, message)) =
                tenant::resolve_profile(&p.pool.tenant, &rec.profile).refusal()
            {
                add(FindingCode::of_refusal(code), message);
            }
            ControlFlow::Continue(())
        });
        match result {
            // A header alone or an empty users array reads, and holds nobody: logins through
            // the pool fail closed (R5) and an import is refused (issue 8).
            Err(crate::export::ExportError::NoRecords { format, .. }) => findings.push(Finding {
                pool: name.clone(),
                location: file.clone(),
                identifier: None,
                code: FindingCode::NoUsers,
                message: format!("export has no users: {file} holds {}", format.no_records()),
                hint: Some(format!(
                    "check that the export finished and that the pool's file is the right one (`pools configure {name} --file PATH`)"
                )),
            }),
            Err(e) => findings.push(unreadable(&name, file, &e)),
            Ok(_) => {}
        }
        out.records += records;
        out.findings.extend(findings);
    }
    // Names held in the store by someone else than the record's source user: a native
    // user, another pool's, or this pool's under another source user ID (R6, R17).
    for (key, n) in &seen {
        if let Some(u) = store.user_by_key(key)?
            && !u.is_source_user(&n.pool, n.external_id.as_deref(), &n.own_key)
        {
            reported.insert(key.clone());
            out.findings.push(Finding {
                pool: n.pool.clone(),
                location: n.location.clone(),
                identifier: Some(n.spelling.clone()),
                code: FindingCode::Collision,
                hint: None,
                message: format!(
                    "{:?}, {} of this record ({}), is held by {} (R6, R17)",
                    n.spelling,
                    n.role(),
                    n.who(),
                    u.describe()
                ),
            });
        }
    }
    // Names imports left to nobody or to someone else (R6), recorded when they were written:
    // reported whichever files the pools read now (two files imported into one pool, a file
    // no pool reads), once per name, unless the files' scan above named it.
    let claims = store.alias_claims()?;
    for group in claims.chunk_by(|a, b| a.key == b.key) {
        let first = &group[0];
        if reported.contains(&first.key) || !group.iter().any(|c| wanted(c.user.pool.as_deref())) {
            continue;
        }
        let listed: Vec<String> = group.iter().map(|c| c.user.describe()).collect();
        let message = match &first.holder {
            Some(h) => format!(
                "{:?} is held by {}, and listed too by {}: two people, one name; only the holder logs in by it (R6)",
                first.alias,
                h.describe(),
                listed.join(" and ")
            ),
            None => format!(
                "{:?} is listed by {}, and nobody holds it: two people, one name; each logs in by their identifier, a login by it is refused (R6)",
                first.alias,
                listed.join(" and ")
            ),
        };
        out.findings.push(Finding {
            pool: first.user.pool.clone().unwrap_or_default(),
            location: "store".into(),
            identifier: Some(first.alias.clone()),
            code: FindingCode::Collision,
            hint: Some(
                "correct the name at the source and import its export again, or leave it: each user keeps their identifier".into(),
            ),
            message,
        });
    }
    // Two local users of one source user, left by stores older than the rule (R17).
    for (u, first) in store.source_id_duplicates()? {
        if !wanted(u.pool.as_deref()) {
            continue;
        }
        let pool = u.pool.clone().unwrap_or_default();
        out.findings.push(Finding {
            pool,
            location: "store".into(),
            identifier: Some(u.identifier.clone()),
            code: FindingCode::DuplicateSourceId,
            hint: None,
            message: format!(
                "{} has the source user ID of local user {first}, written before the store kept them unique: one person, two local users (R17); keep one",
                u.describe()
            ),
        });
    }
    // Users an older version stored beyond today's limits: each is named, none stops the scan.
    // Users a deleted pool left who still need it (imported without a hash, R10) are
    // counted per pool: they cannot log in until a pool of that name exists again.
    let all_pools = store.pools()?;
    // A domain two pools route: legal (the login order decides, R5), mostly a slip.
    for shared in crate::pool::shared_domains(all_pools.iter().map(|p| &p.pool)) {
        if !wanted(Some(shared.first.as_str())) && !wanted(Some(shared.second.as_str())) {
            continue;
        }
        out.findings.push(Finding {
            pool: shared.second.to_string(),
            location: "store".into(),
            identifier: None,
            code: FindingCode::SharedDomain,
            message: shared.to_string(),
            hint: Some(format!(
                "keep {} on one of the two pools unless that is meant: `pools configure {} --domains ...`",
                shared.domain, shared.second
            )),
        });
    }
    // A secret pools kept that is gone from the credential store (removed by another store
    // that shared it, e.g. the original of a copied store file): where the backend can
    // tell; an OS keyring that does not answer says nothing.
    for p in &all_pools {
        if !wanted(Some(p.pool.name.as_str())) {
            continue;
        }
        for (field, name, why) in secrets_gone(&p.pool) {
            out.findings.push(Finding {
                pool: p.pool.name.to_string(),
                location: "store".into(),
                identifier: None,
                code: FindingCode::DanglingSecret,
                message: format!(
                    "pool {}: {field} keyring:{name}, a secret pools kept, is gone: {why}; the pool cannot sign in (R11)",
                    p.pool.name
                ),
                hint: Some(format!(
                    "give the secret again: `pools configure {} --{} -` (read from stdin)",
                    p.pool.name,
                    field.replace('_', "-")
                )),
            });
        }
    }
    let existing: std::collections::HashSet<String> = all_pools
        .into_iter()
        .map(|p| p.pool.name.to_string())
        .collect();
    let mut stranded: std::collections::BTreeMap<String, u64> = Default::default();
    store.for_each_user(&crate::user::UserFilter::default(), &mut |u| {
        if let Some(p) = u.pool.as_deref()
            && u.origin != crate::user::Origin::Native
            && u.password_hash.is_none()
            && !existing.contains(p)
            && wanted(Some(p))
        {
            *stranded.entry(p.to_owned()).or_default() += 1;
        }
        if !u.unreadable.is_empty() && wanted(u.pool.as_deref()) {
            out.findings.push(Finding {
                pool: u.pool.clone().unwrap_or_default(),
                location: "store".into(),
                identifier: Some(u.identifier.clone()),
                code: FindingCode::UnreadableUser,
                hint: None,
                message: format!(
                    "stored {} cannot be read back; the rest of the user works, the field reads as empty",
                    u.unreadable.join("; ")
                ),
            });
        }
        Ok(())
    })?;
    for (pool, n) in stranded {
        out.findings.push(Finding {
            pool: pool.clone(),
            location: "store".into(),
            identifier: None,
            code: FindingCode::StrandedUsers,
            hint: None,
            message: format!(
                "{n} user(s) of pool {pool}, which no longer exists, have no password hash and cannot log in (R10); create or apply a pool named {pool} over their source again"
            ),
        });
    }
    // Rows of an import still running, or killed before it settled them (R17): not yet
    // checked against the pool's other users of their source user ID.
    for (pool, n) in store.import_pending()? {
        if !wanted(Some(&pool)) {
            continue;
        }
        out.findings.push(Finding {
            pool,
            location: "store".into(),
            identifier: None,
            code: FindingCode::ImportPending,
            hint: None,
            message: format!(
                "{n} imported user(s) not yet checked for a second user of their source user ID (an import is running, or was killed) (R17); the next `pools users import` into any pool settles them"
            ),
        });
    }
    out.findings
        .sort_by(|a, b| (&a.pool, line_of(&a.location)).cmp(&(&b.pool, line_of(&b.location))));
    Ok(out)
}

/// A record or a file that cannot be read, at its line when it has one.
fn unreadable(pool: &str, file: &str, e: &export::ExportError) -> Finding {
    Finding {
        pool: pool.to_owned(),
        location: e.line().map_or(file.to_owned(), |l| format!("{file}:{l}")),
        identifier: None,
        code: FindingCode::Unreadable,
        hint: None,
        message: e.to_string(),
    }
}

fn line_of(location: &str) -> u64 {
    location
        .rsplit(':')
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::FindingCode;

    /// Every reason a record check ([`crate::import::check_record`]: identifiers, limits)
    /// or a tenant resolution refuses with is a finding code, so `doctor` never panics on one.
    #[test]
    fn every_refusal_reason_is_a_finding_code() {
        let limits = crate::limits::check_json(
            "record",
            &format!("{}1{}", "[".repeat(100), "]".repeat(100)),
        )
        .unwrap_err();
        let identifier = crate::identifier::check("").unwrap_err();
        for reason in [
            limits.reason,
            identifier.reason,
            "too_large",
            "string_too_long",
            "number_out_of_range",
            "lone_surrogate",
            "tenant_ambiguous",
            "tenant_unresolved",
        ] {
            assert_eq!(FindingCode::of_refusal(reason).as_str(), reason);
        }
    }
}
