//! The `export` source: users read from an export file, passwords verified against the
//! file's own hashes with their own algorithms (R13).

use super::name_index::{self, Plan, Search};
use super::{Answer, Attempt, Deadline, SourceUser};
use crate::credential;
use crate::export::{self, ExportFormat, ExportRecord, RawCredential};
use crate::hash::PasswordHash;
use crate::identifier;
use std::ops::ControlFlow;
use std::path::Path;

/// An export pool's file as its source.
pub(super) struct ExportSource {
    pub(super) pool: String,
    pub(super) file: String,
    pub(super) format: Option<ExportFormat>,
    pub(super) hash_config: Option<String>,
}

#[async_trait::async_trait]
impl super::Source for ExportSource {
    async fn ask(&self, asked: super::Asked) -> Answer {
        let (file, format, hash_config) =
            (self.file.clone(), self.format, self.hash_config.clone());
        super::off_thread(format!("source {}", self.pool), &self.file, move || {
            authenticate(
                &file,
                format,
                hash_config.as_deref(),
                &Attempt {
                    identifier: &asked.identifier,
                    password: asked.password.as_ref().map(crate::secret::Secret::expose),
                    claims: asked.claims.as_ref(),
                },
                &mut Deadline::new(asked.deadline),
            )
        })
        .await
        .unwrap_or_else(Answer::Unavailable)
    }

    async fn holders(
        &self,
        name: String,
        deadline: std::time::Instant,
    ) -> Option<Result<Vec<super::Holder>, String>> {
        let (file, format) = (self.file.clone(), self.format);
        Some(
            super::off_thread(format!("source {}", self.pool), &self.file, move || {
                holders(&file, format, &name, &mut Deadline::new(deadline))
            })
            .await
            .and_then(|found| found),
        )
    }
}

pub(super) fn authenticate(
    file: &str,
    format: Option<ExportFormat>,
    hash_config: Option<&str>,
    attempt: &Attempt<'_>,
    deadline: &mut Deadline,
) -> Answer {
    let record = match find(Path::new(file), format, attempt.identifier, deadline) {
        Ok(Some(r)) => r,
        Ok(None) => return Answer::Unknown,
        Err(why) => return Answer::Unavailable(why),
    };
    let hash = match credential(&record, hash_config) {
        Ok(Some(h)) => h,
        Ok(None) if record.disabled => return Answer::Disabled,
        Ok(None) => return Answer::NoCredential(no_credential_reason(&record.credential)),
        Err(answer) => return answer,
    };
    let Some(password) = attempt.password else {
        return Answer::WrongPassword;
    };
    let verifying = std::time::Instant::now();
    let verified = hash.verify(password);
    // A hash's cost is the file's, not ours to cut short: a verification that ran past the
    // deadline is reported as the cause (the engine fails the login closed, R5).
    if deadline.is_past() {
        return Answer::Unavailable(format!(
            "verifying the record's {} hash (line {}) took {} ms, past the deadline",
            hash.scheme(),
            record.line,
            verifying.elapsed().as_millis()
        ));
    }
    match verified {
        Ok(true) if record.disabled => Answer::Disabled,
        Ok(true) => match record.profile.to_map() {
            Ok(profile) => Answer::Authenticated(SourceUser {
                identifier: record.identifier,
                aliases: record.aliases,
                external_id: record.external_id,
                profile,
                hash: Some(Box::new(hash)),
            }),
            Err(e) => Answer::Unavailable(format!(
                "line {}: the user's attributes cannot be read: {e}",
                record.line
            )),
        },
        Ok(false) => Answer::WrongPassword,
        Err(e) => Answer::NoCredential(format!(
            "the stored {} hash cannot be verified: {e}",
            hash.scheme()
        )),
    }
}

/// The record a login names (R6): the one whose own identifier it is, else the one record
/// that lists it as an alias. A record's identifier wins over another record's alias (one
/// user's username must not capture another user's email), so a match reads on to the end of
/// the file; two records of two people claiming it, both as identifier or both as alias, make
/// the answer ambiguous and the source fails closed, naming both lines (`pools doctor` reports
/// them too). One person listed twice (the same source user ID, or no IDs to tell them apart,
/// as the import merges such rows) is not ambiguous: the first record answers. Record-level
/// errors before a match make the search inconclusive: the user may be the broken record, so
/// the source fails closed rather than answer "unknown" (R5), as does a read stopped at its
/// `deadline`.
fn find(
    path: &Path,
    format: Option<ExportFormat>,
    wanted: &str,
    deadline: &mut Deadline,
) -> Result<Option<ExportRecord>, String> {
    let mut by_identifier: Option<ExportRecord> = None;
    let mut other_identifier: Option<ExportRecord> = None;
    let mut by_alias: Option<ExportRecord> = None;
    let mut other_alias_line: Option<u64> = None;
    let mut first_error: Option<String> = None;
    let mut errors = 0u64;
    // Records past the last line holding the name cannot match (see name_index).
    let Some(mut search) = Search::start(path, format, wanted) else {
        return Ok(None);
    };
    let mut to_the_end = true;
    export::read(path, format, |item| {
        if deadline.passed() {
            to_the_end = false;
            return ControlFlow::Break(());
        }
        if !search.take(&item) {
            return ControlFlow::Break(());
        }
        let flow = match item {
            Ok(r) if identifier::same(&r.identifier, wanted) => match &by_identifier {
                None => {
                    by_identifier = Some(r);
                    ControlFlow::Continue(())
                }
                // Two people, one identifier: the answer is known, the read stops.
                Some(first) if !same_person(first, &r) => {
                    other_identifier = Some(r);
                    ControlFlow::Break(())
                }
                Some(_) => ControlFlow::Continue(()),
            },
            Ok(r) if r.aliases.iter().any(|a| identifier::same(a, wanted)) => {
                match &by_alias {
                    None => by_alias = Some(r),
                    Some(_) => {
                        other_alias_line.get_or_insert(r.line);
                    }
                }
                ControlFlow::Continue(())
            }
            Ok(_) => ControlFlow::Continue(()),
            Err(e) => {
                errors += 1;
                first_error.get_or_insert_with(|| e.to_string());
                ControlFlow::Continue(())
            }
        };
        if flow.is_break() {
            to_the_end = false;
        }
        flow
    })
    .map_err(|e| e.to_string())?;
    search.finish(to_the_end);
    if deadline.was_passed() {
        return Err(deadline.why());
    }
    if let (Some(first), Some(second)) = (&by_identifier, &other_identifier) {
        return Err(format!(
            "'{}' is the identifier of the records at lines {} ({}) and {} ({}): two people, one name (R6); run `pools doctor`",
            wanted.trim(),
            first.line,
            who(first),
            second.line,
            who(second)
        ));
    }
    if let Some(mut r) = by_identifier {
        drop_taken_aliases(path, format, &mut r, deadline)?;
        return Ok(Some(r));
    }
    if let (Some(first), Some(second)) = (&by_alias, other_alias_line) {
        return Err(format!(
            "'{}' is another name of the records at lines {} and {}: two people, one name (R6); run `pools doctor`",
            wanted.trim(),
            first.line,
            second
        ));
    }
    // Only another record's alias matched: an unreadable record anywhere may be the one whose
    // identifier this is.
    match first_error {
        Some(e) => Err(format!(
            "{errors} unreadable record(s), the user may be one of them; first: {e}"
        )),
        None => {
            // Found by one alias, the record's other aliases are checked all the same.
            if let Some(r) = by_alias.as_mut() {
                drop_taken_aliases(path, format, r, deadline)?;
            }
            Ok(by_alias)
        }
    }
}

/// Removes from `record`'s aliases every name that another record (another person) holds:
/// as its own identifier, it names that other person; as its alias too, it names two people,
/// and a login by it is refused as ambiguous ([`find`]). Either way the user migrated from
/// `record` must not take it (R6), or the local store would answer that name for whoever was
/// migrated first (R17). A second pass over the file, made only for records that have aliases.
fn drop_taken_aliases(
    path: &Path,
    format: Option<ExportFormat>,
    record: &mut ExportRecord,
    deadline: &mut Deadline,
) -> Result<(), String> {
    if record.aliases.is_empty() {
        return Ok(());
    }
    // With the index: only aliases another record holds too need a read, up to the last
    // line holding one of them.
    let mut bound = None;
    if let Plan::Indexed(index) = name_index::plan(path, format) {
        let last = record
            .aliases
            .iter()
            .filter_map(|a| index.get(a).filter(|l| l.records > 1).map(|l| l.last))
            .max();
        match last {
            None => return Ok(()),
            Some(l) => bound = Some(l),
        }
    }
    let mut taken: Vec<usize> = Vec::new();
    export::read(path, format, |item| {
        if deadline.passed() {
            return ControlFlow::Break(());
        }
        if let (Some(bound), Ok(r)) = (bound, &item)
            && r.line > bound
        {
            return ControlFlow::Break(());
        }
        if let Ok(other) = item
            && !same_person(&other, record)
        {
            for (i, a) in record.aliases.iter().enumerate() {
                let held = identifier::same(a, &other.identifier)
                    || other.aliases.iter().any(|o| identifier::same(a, o));
                if !taken.contains(&i) && held {
                    taken.push(i);
                }
            }
        }
        ControlFlow::Continue(())
    })
    .map_err(|e| e.to_string())?;
    if deadline.was_passed() {
        return Err(deadline.why());
    }
    let mut i = 0;
    record.aliases.retain(|_| {
        i += 1;
        !taken.contains(&(i - 1))
    });
    Ok(())
}

/// Whether two records are one person listed twice: the same source user ID, or, without
/// two IDs to tell them apart, the same identifier (the import merges such rows as
/// `duplicate_in_file`). Two IDs that differ are two people, whatever their names (R6).
fn same_person(a: &ExportRecord, b: &ExportRecord) -> bool {
    match (&a.external_id, &b.external_id) {
        (Some(x), Some(y)) => x == y,
        _ => identifier::same(&a.identifier, &b.identifier),
    }
}

/// A record as a message names it: its source user ID, when it has one.
fn who(r: &ExportRecord) -> String {
    match &r.external_id {
        Some(x) => format!("source user {x}"),
        None => "no source user ID".to_owned(),
    }
}

/// The record's verifier. A missing or unreadable hash config is the pool's fault (the
/// login fails closed); a bad hash is this user's (no usable credential).
fn credential(
    record: &ExportRecord,
    hash_config: Option<&str>,
) -> Result<Option<PasswordHash>, Answer> {
    let config = match (&record.credential, hash_config) {
        (RawCredential::FirebaseScrypt { .. }, None) => {
            return Err(Answer::Unavailable(
                "Firebase scrypt hashes need the project's hash parameters: set --hash-config on the pool".into(),
            ));
        }
        (RawCredential::FirebaseScrypt { .. }, Some(path)) => Some(
            credential::load_hash_config(Path::new(path))
                .map_err(|e| Answer::Unavailable(e.to_string()))?,
        ),
        _ => None,
    };
    credential::password_hash(&record.credential, config.as_ref())
        .map_err(|e| Answer::NoCredential(e.to_string()))
}

fn no_credential_reason(c: &RawCredential) -> String {
    match c {
        RawCredential::None(reason) => format!("{reason}"),
        other => format!("credential of kind {}", other.kind()),
    }
}

/// The records of the file that have `wanted` as their identifier or an alias (R6), read
/// without a password, for [`super::holders`]. Unreadable records are passed over: only a
/// readable record is evidence of who holds a name.
pub(super) fn holders(
    file: &str,
    format: Option<ExportFormat>,
    wanted: &str,
    deadline: &mut Deadline,
) -> Result<Vec<super::Holder>, String> {
    let mut out = Vec::new();
    let path = Path::new(file);
    let Some(mut search) = Search::start(path, format, wanted) else {
        return Ok(out);
    };
    let mut to_the_end = true;
    export::read(path, format, |item| {
        if deadline.passed() {
            to_the_end = false;
            return ControlFlow::Break(());
        }
        if !search.take(&item) {
            return ControlFlow::Break(());
        }
        if let Ok(r) = item {
            let by_identifier = identifier::same(&r.identifier, wanted);
            if by_identifier || r.aliases.iter().any(|a| identifier::same(a, wanted)) {
                out.push(super::Holder {
                    identifier: r.identifier,
                    external_id: r.external_id,
                    by_identifier,
                    location: format!("{file}:{}", r.line),
                });
            }
        }
        ControlFlow::Continue(())
    })
    .map_err(|e| e.to_string())?;
    search.finish(to_the_end);
    if deadline.was_passed() {
        return Err(deadline.why());
    }
    Ok(out)
}

#[cfg(test)]
mod index_tests {
    use super::*;

    /// What a search answers, as comparable text: the record (line, identifier, aliases) or
    /// the refusal.
    fn answer(file: &Path, name: &str) -> String {
        match find(file, Some(ExportFormat::Auth0Ndjson), name, &mut later()) {
            Ok(Some(r)) => format!("{} {} {:?}", r.line, r.identifier, r.aliases),
            Ok(None) => "unknown".into(),
            Err(e) => format!("refused: {e}"),
        }
    }

    fn holders_of(file: &Path, name: &str) -> Vec<String> {
        let file = file.to_str().unwrap();
        holders(file, Some(ExportFormat::Auth0Ndjson), name, &mut later())
            .unwrap()
            .into_iter()
            .map(|h| format!("{} {}", h.location, h.by_identifier))
            .collect()
    }

    /// A deadline no test reaches.
    fn later() -> Deadline {
        Deadline::new(std::time::Instant::now() + std::time::Duration::from_secs(3600))
    }

    const NAMES: &[&str] = &[
        "a@x.org",
        "ALPHA",
        "b@x.org",
        "a-alias",
        "shared",
        "e@x.org",
        "c@x.org",
        "nobody@x.org",
    ];

    /// R6 (issue 9): the name index of a file answers every search as a full read does, on
    /// the first read, the second (which builds the index) and the third (which uses it):
    /// identifiers, aliases (also one that is another record's identifier, dropped from the
    /// record), an alias of two people, an identifier of two people, a name nobody has; and
    /// a file changed since is read anew.
    #[test]
    fn the_name_index_answers_as_a_full_read_does() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.ndjson");
        let lines = [
            r#"{"user_id":"auth0|1","email":"a@x.org","username":"alpha"}"#,
            r#"{"user_id":"auth0|2","email":"b@x.org","username":"a@x.org"}"#,
            r#"{"user_id":"auth0|3","email":"c@x.org","username":"shared"}"#,
            r#"{"user_id":"auth0|4","email":"d@x.org","username":"shared"}"#,
            r#"{"user_id":"auth0|5","email":"e@x.org"}"#,
            r#"{"user_id":"auth0|6","email":"e@x.org"}"#,
            r#"{"user_id":"auth0|7","email":"f@x.org","username":"a-alias"}"#,
        ];
        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
        let passes: Vec<Vec<(String, Vec<String>)>> = (0..3)
            .map(|_| {
                NAMES
                    .iter()
                    .map(|n| (answer(&file, n), holders_of(&file, n)))
                    .collect()
            })
            .collect();
        assert!(matches!(
            name_index::plan(&file, Some(ExportFormat::Auth0Ndjson)),
            Plan::Indexed(_)
        ));
        assert_eq!(passes[0], passes[1]);
        assert_eq!(passes[0], passes[2]);
        // The answers themselves, so that the three agreeing means something.
        let first = &passes[0];
        assert_eq!(first[0].0, "1 a@x.org [\"alpha\"]");
        assert_eq!(first[1].0, "1 a@x.org [\"alpha\"]");
        assert_eq!(
            first[2].0, "2 b@x.org []",
            "its alias is another's identifier"
        );
        assert!(first[4].0.starts_with("refused:"), "{}", first[4].0);
        assert!(first[5].0.starts_with("refused:"), "{}", first[5].0);
        assert_eq!(first[7].0, "unknown");
        assert_eq!(first[7].1, Vec::<String>::new());
        // A record added since is found: the index belongs to the version it was built of.
        let mut more = lines.join("\n");
        more.push_str("\n{\"user_id\":\"auth0|8\",\"email\":\"nobody@x.org\"}\n");
        std::fs::write(&file, more).unwrap();
        assert_eq!(answer(&file, "nobody@x.org"), "8 nobody@x.org []");
    }

    /// A file with an unreadable record is never indexed: a search there reads on, as the
    /// broken record may be the user's (R5).
    #[test]
    fn a_file_with_an_unreadable_record_is_not_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.ndjson");
        std::fs::write(
            &file,
            "{\"user_id\":\"auth0|1\",\"email\":\"a@x.org\"}\n{\"user_id\":\"auth0|2\"}\n",
        )
        .unwrap();
        for _ in 0..3 {
            assert!(answer(&file, "nobody@x.org").starts_with("refused:"));
        }
        assert!(!matches!(
            name_index::plan(&file, Some(ExportFormat::Auth0Ndjson)),
            Plan::Indexed(_)
        ));
    }

    /// R5: a search that reads past its deadline stops there and fails closed, whether the
    /// user's record came before it (a search reads on after a match) or not, and a read
    /// stopped short never becomes the file's name index.
    #[test]
    fn a_read_past_its_deadline_stops_and_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.ndjson");
        let body: String = (0..1000)
            .map(|i| format!("{{\"user_id\":\"auth0|{i}\",\"email\":\"u{i}@x.org\"}}\n"))
            .collect();
        std::fs::write(&file, body).unwrap();
        let fmt = Some(ExportFormat::Auth0Ndjson);
        let past = || Deadline::new(std::time::Instant::now());
        for _ in 0..3 {
            for name in ["u0@x.org", "u999@x.org", "nobody@x.org"] {
                // The clock is read every 64th record.
                let stopped = "its read stopped at the deadline, 64 records into the file";
                let got = find(&file, fmt, name, &mut past());
                assert_eq!(got.unwrap_err(), stopped, "{name}");
                assert_eq!(
                    holders(file.to_str().unwrap(), fmt, name, &mut past()).unwrap_err(),
                    stopped
                );
            }
        }
        assert!(!matches!(name_index::plan(&file, fmt), Plan::Indexed(_)));
        // In time, the same searches answer.
        assert_eq!(answer(&file, "u999@x.org"), "1000 u999@x.org []");
    }
}
