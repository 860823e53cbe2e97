//! The lifecycle of the secrets `pools` keeps for pools (R11): a value given as `-` is kept in
//! the credential store under a new unique name only once the pool validates, removed again if
//! the store refuses the change, and forgotten once no pool refers to it any more. The
//! environment owns this, not its client: a remote environment keeps values on its side.

use super::Notice;
use crate::pool::{Pool, PoolSpec, StoredPool};
use crate::secret::{Backend, CredentialStore, Secret, SecretRef};

/// The pool settings that hold a secret reference, by YAML key.
pub const SECRET_FIELDS: &[&str] = &["client_secret", "api_key", "auth_header"];

/// A secret value given for one setting of a pool (the flag's `-`): read by the client from
/// stdin or a prompt, kept by the environment.
pub struct NewSecret {
    /// The setting, one of [`SECRET_FIELDS`].
    pub field: String,
    pub value: Secret,
}

impl std::fmt::Debug for NewSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSecret")
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

/// Where a new secret was kept: its credential name and the backend that holds it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SavedSecret {
    pub name: String,
    pub backend: Backend,
}

impl SavedSecret {
    /// Says where the secret is kept, for the operator (after the change was committed).
    pub fn notice(&self) -> Notice {
        match &self.backend {
            Backend::Os => Notice::Note(format!(
                "secret kept in the OS keyring as keyring:{}",
                self.name
            )),
            Backend::File(path) => Notice::Note(format!(
                "note: secret kept as keyring:{} in {} (mode 0600), since no OS keyring is used (POOLS_KEYRING, POOLS_CREDENTIALS_FILE)",
                self.name,
                path.display()
            )),
            // The server's path is its own business: a remote client is told what it needs.
            Backend::Sealed(_) => Notice::Note(format!(
                "secret kept encrypted on the server as keyring:{}",
                self.name
            )),
        }
    }
}

/// Secrets named and waiting to be kept; see [`Pending::name_in`].
pub(crate) struct Pending(Vec<(String, Secret)>);

impl Pending {
    /// No secrets: for a change that gives none (`apply`).
    pub(crate) fn none() -> Self {
        Pending(Vec::new())
    }

    /// Replaces each `-` setting of `spec` that `given` has a value for by a `keyring:`
    /// reference to a new, unique credential name (so a refused or concurrent change never
    /// overwrites a secret in use), and holds the values to keep.
    ///
    /// Errors: [`crate::Error::Invalid`] when a value is given for a setting that is no secret
    /// or is not `-` in `spec`, or a `-` setting has no value.
    pub(crate) fn name_in(
        spec: &mut PoolSpec,
        given: Vec<NewSecret>,
        environment_id: &str,
    ) -> crate::Result<Self> {
        let mut pending = Vec::new();
        for s in given {
            if !SECRET_FIELDS.contains(&s.field.as_str()) || spec.field(&s.field) != Some("-") {
                return Err(crate::Error::invalid(
                    "R11",
                    format!(
                        "a secret value was given for {}, which is not a `-` secret setting of pool '{}'",
                        s.field, spec.name
                    ),
                ));
            }
            check_value(&s.field, &s.value)?;
            let unique = uuid::Uuid::new_v4().simple().to_string();
            let name = format!(
                "{}{}/{}",
                managed_prefix(environment_id, &spec.name),
                s.field,
                &unique[..8]
            );
            *spec.field_mut(&s.field).expect("secret field") = Some(format!("keyring:{name}"));
            pending.push((name, s.value));
        }
        if let Some(field) = SECRET_FIELDS.iter().find(|f| spec.field(f) == Some("-")) {
            return Err(crate::Error::invalid(
                "R11",
                format!("{field} is `-` but no value was given for it"),
            ));
        }
        Ok(Pending(pending))
    }

    /// Keeps the values in the credential store; returns where each went.
    pub(crate) fn save(&self, creds: &CredentialStore) -> crate::Result<Vec<SavedSecret>> {
        self.0
            .iter()
            .map(|(name, value)| {
                Ok(SavedSecret {
                    name: name.clone(),
                    backend: creds.put(name, value)?,
                })
            })
            .collect()
    }

    /// Removes the values again after the store refused the change.
    pub(crate) fn discard(&self, creds: &CredentialStore) {
        for (name, _) in &self.0 {
            let _ = creds.delete(name);
        }
    }
}

/// Refuses a secret value that is not one line of printable text: a NUL or another control
/// character (a binary file piped in, a pasted escape sequence, a second line) is never part
/// of a client secret, API key or header, and would be sent to the source at every login.
/// The message names the character's code point, never the value (R11).
///
/// Errors: [`crate::Error::Invalid`] on `field`.
fn check_value(field: &str, value: &Secret) -> crate::Result<()> {
    let Some(c) = value.expose().chars().find(|c| c.is_control()) else {
        return Ok(());
    };
    let what = if c == '\0' {
        "a NUL byte".to_owned()
    } else {
        format!("a control character (U+{:04X})", c as u32)
    };
    Err(crate::Error::invalid(
        field,
        format!("the secret value holds {what}; a secret is one line of printable text (R11)"),
    )
    .with_hint("give the secret alone, without other bytes or lines, e.g. `printf %s \"$SECRET\" | pools ...`"))
}

/// Warnings about the secret references of `pool` that do not resolve here (an unset `env:`
/// variable, a missing `file:`): the change still goes ahead, as they must resolve where the
/// pool runs. That `keyring:` references cannot be checked at all is said once per process,
/// not per reference.
pub fn warnings(pool: &Pool) -> Vec<Notice> {
    use crate::secret::Unresolvable;
    use std::sync::atomic::{AtomicBool, Ordering};
    static UNCHECKED_SAID: AtomicBool = AtomicBool::new(false);
    pool.secret_warnings()
        .into_iter()
        .filter_map(|w| match w {
            Unresolvable::Missing(why) => Some(Notice::Warning(format!(
                "{why}; it must resolve where the pool runs"
            ))),
            Unresolvable::Unchecked(why) => (!UNCHECKED_SAID.swap(true, Ordering::Relaxed))
                .then(|| {
                    Notice::Warning(format!(
                        "keyring: references cannot be checked here: {why}; they must resolve where the pools run"
                    ))
                }),
        })
        .collect()
}

/// Credential names `pools` made for a pool's `-` secrets start with this.
fn managed_prefix(environment_id: &str, pool: &str) -> String {
    let env: String = environment_id.chars().take(8).collect();
    format!("{env}/{pool}/")
}

/// The store that made the credential `name`, as the first 8 characters of its environment
/// ID, when `name` has the shape of the names `pools` makes: `<env>/<pool>/<field>/<unique>`
/// exactly ([`managed_prefix`]), with a valid pool name, a [`SECRET_FIELDS`] field and two
/// 8-hex-digit parts. That shape is reserved (README: Secrets); any other name is one the
/// operator chose (`None`), which `pools` never records or removes.
fn maker_of(name: &str) -> Option<&str> {
    let hex8 = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit());
    match name.split('/').collect::<Vec<_>>()[..] {
        [env, pool, field, unique]
            if hex8(env)
                && hex8(unique)
                && SECRET_FIELDS.contains(&field)
                && crate::pool::PoolName::parse(pool).is_ok() =>
        {
            Some(env)
        }
        _ => None,
    }
}

/// The stores that use the credential `name` made by `maker` (8-character environment ID
/// prefixes), kept in the companion entry `<name>/shared` once a second store uses it; without
/// one, the maker alone.
fn users_of(creds: &CredentialStore, name: &str, maker: &str) -> crate::Result<Vec<String>> {
    Ok(match creds.get(&format!("{name}/shared"))? {
        Some(v) => v
            .expose()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        None => vec![maker.to_owned()],
    })
}

fn set_users_of(creds: &CredentialStore, name: &str, users: &[String]) -> crate::Result<()> {
    creds.put(&format!("{name}/shared"), &Secret::new(users.join(",")))?;
    Ok(())
}

/// The `keyring:` references of `pool` that name a credential `pools` made ([`maker_of`])
/// and that the credential store says it lacks ([`CredentialStore::presence`]; a backend that
/// cannot look is no answer): `(field, name, where it looked)`.
pub(crate) fn dangling<'p>(
    creds: &CredentialStore,
    pool: &'p Pool,
) -> Vec<(&'static str, &'p str, String)> {
    pool.settings
        .secrets()
        .into_iter()
        .filter_map(|(field, r)| match r {
            SecretRef::Keyring(name) if maker_of(name).is_some() => match creds.presence(name) {
                crate::secret::Presence::Missing(why) => Some((field, name.as_str(), why)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Refuses a `keyring:` reference that `pool` takes on (one `before`, the pool as stored, did
/// not hold) to a credential `pools` made and that is gone from the credential store: an old
/// export applied after the store that made the credential deleted or re-keyed its pool.
/// The pool could never sign in, and the secret it replaces would be forgotten with it.
/// Checked before anything is written; a reference the pool already held is left to
/// warnings and `pools doctor`, and the new names of `pending` are not kept yet.
///
/// Errors: [`crate::Error::Invalid`] on the setting, naming the pool and the fix.
pub(crate) fn refuse_dangling(
    creds: &CredentialStore,
    pool: &Pool,
    before: Option<&Pool>,
    pending: &Pending,
) -> crate::Result<()> {
    let held: Vec<&SecretRef> = before
        .map(|b| b.settings.secrets().into_iter().map(|(_, r)| r).collect())
        .unwrap_or_default();
    let Some((field, name, why)) = dangling(creds, pool).into_iter().find(|(_, name, _)| {
        !held.contains(&&SecretRef::Keyring((*name).to_owned()))
            && !pending.0.iter().any(|(n, _)| n == name)
    }) else {
        return Ok(());
    };
    let maker = maker_of(name).unwrap_or_default();
    Err(crate::Error::invalid(
        field,
        format!(
            "pool '{}': keyring:{name} is a credential pools kept for store {maker}, and {why}: it was removed when that pool was deleted or given a new secret, so this pool could not sign in; nothing was written",
            pool.name
        ),
    )
    .with_hint(crate::error::phrased(
        &format!(
            "give the secret again with {} (read from stdin), or use env:VAR or file:PATH",
            crate::error::setting(field, Some("-"))
        ),
        &match before {
            Some(_) => format!(
                "keep the pool's current {field} (remove the setting from the document, or run `pools export` again), or give the secret again with `pools configure {} --{} -`",
                pool.name,
                field.replace('_', "-")
            ),
            // A pool this store does not have yet (another machine, another keyring).
            None => format!(
                "give this store its own secret: write {field}: env:VAR or file:PATH in the document (after the pool exists, `pools configure {} --{} -` keeps one in this machine's keyring)",
                pool.name,
                field.replace('_', "-")
            ),
        },
    )))
}

/// Records that this store (`environment_id`) uses credentials another store made, which
/// pools of `now` refer to (an applied export of that store, a reference copied by hand): the
/// maker then keeps them when it deletes or re-keys its own pool, and the last store to stop
/// using one removes it ([`forget_replaced`]). Failures are warnings: the change is committed.
pub(crate) fn share_adopted<'a>(
    creds: &CredentialStore,
    environment_id: &str,
    now: impl IntoIterator<Item = &'a Pool>,
    notice: &dyn Fn(Notice),
) {
    let me: String = environment_id.chars().take(8).collect();
    for pool in now {
        for (_, r) in pool.settings.secrets() {
            let SecretRef::Keyring(name) = r else {
                continue;
            };
            let Some(maker) = maker_of(name).filter(|m| *m != me) else {
                continue;
            };
            let shared = users_of(creds, name, maker).and_then(|mut users| {
                if !users.contains(&me) {
                    users.push(me.clone());
                    set_users_of(creds, name, &users)?;
                }
                Ok(())
            });
            if let Err(e) = shared {
                notice(Notice::Warning(format!(
                    "pool '{}': could not record that this store uses credential {name}, which store {maker} made: that store removes it when it deletes or re-keys its pool; {e}",
                    pool.name
                )));
            }
        }
    }
}

/// Forgets the credentials `pools` made for `old` that no pool of `now` (the store's pools
/// after the change) references any more: a rotated or removed secret, or a deleted pool's.
/// A reference copied into another pool (an edited `pools export`) keeps its credential, and
/// so does one another store uses too ([`share_adopted`]): it is removed by the last store
/// that stops using it. Entries the operator named (`keyring:NAME` given by hand) are left
/// alone. Failures are warnings: the change is committed.
pub(crate) fn forget_replaced(
    creds: &CredentialStore,
    environment_id: &str,
    old: &Pool,
    now: &[StoredPool],
    notice: &dyn Fn(Notice),
) {
    let me: String = environment_id.chars().take(8).collect();
    let prefix = managed_prefix(environment_id, old.name.as_str());
    let still_used: Vec<&SecretRef> = now
        .iter()
        .flat_map(|p| p.pool.settings.secrets().into_iter().map(|(_, r)| r))
        .collect();
    for (field, r) in old.settings.secrets() {
        let SecretRef::Keyring(name) = r else {
            continue;
        };
        let Some(maker) = maker_of(name) else {
            continue;
        };
        if still_used.contains(&r) || (maker == me && !name.starts_with(&prefix)) {
            continue;
        }
        // Never in the step where the pool's new reference does not resolve: the old
        // credential may be the only working copy of the secret.
        if let Some(replaced_by) = now.iter().find(|p| p.pool.name == old.name).and_then(|p| {
            dangling(creds, &p.pool)
                .into_iter()
                .find(|(f, _, _)| *f == field)
        }) {
            notice(Notice::Warning(format!(
                "pool '{}': kept the old credential {name}, since the new {field} keyring:{} does not resolve here ({})",
                old.name, replaced_by.1, replaced_by.2
            )));
            continue;
        }
        let released = users_of(creds, name, maker).and_then(|mut users| {
            if !users.contains(&me) {
                return Ok(());
            }
            users.retain(|u| *u != me);
            if users.is_empty() {
                if !creds.delete(name)? {
                    // Kept under another POOLS_CREDENTIALS_FILE or POOLS_KEYRING than now:
                    // the value may still be on disk there (R11).
                    notice(Notice::Warning(format!(
                        "pool '{}': its old credential {name} was not found in {}, so it was not removed; if POOLS_CREDENTIALS_FILE or POOLS_KEYRING were different when it was kept, remove the entry there",
                        old.name,
                        creds.where_it_looks()
                    )));
                }
                creds.delete(&format!("{name}/shared"))?;
            } else {
                set_users_of(creds, name, &users)?;
                notice(Notice::Note(format!(
                    "kept credential {name}: store(s) {} use it too",
                    users.join(", ")
                )));
            }
            Ok(())
        });
        if let Err(e) = released {
            notice(Notice::Warning(format!(
                "could not remove the old credential {name}: {e}"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_pools_makes_have_a_maker() {
        assert_eq!(
            maker_of("0123abcd/corp/client_secret/89abcdef"),
            Some("0123abcd")
        );
        assert_eq!(maker_of("my-own-secret"), None);
        assert_eq!(maker_of("0123abcd/corp/client_secret/not-hex!"), None);
    }

    /// R11: a secret kept in the server's sealed file says so, truthfully, and names the
    /// reference only.
    #[test]
    fn r11_a_sealed_secret_says_it_is_kept_encrypted_on_the_server() {
        let saved = SavedSecret {
            name: "0123abcd/corp/client_secret/89abcdef".into(),
            backend: Backend::Sealed("/srv/pools/pools.db.secrets.json".into()),
        };
        let Notice::Note(text) = saved.notice() else {
            panic!("a note")
        };
        assert_eq!(
            text,
            "secret kept encrypted on the server as keyring:0123abcd/corp/client_secret/89abcdef"
        );
    }
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    fn spec(secret: &str) -> PoolSpec {
        PoolSpec {
            name: "corp".into(),
            client_secret: Some(secret.into()),
            ..Default::default()
        }
    }

    /// R11: a `-` secret gets a new, unique credential name of this environment and pool.
    #[test]
    fn a_dash_secret_is_named_for_its_environment_and_pool() {
        let mut s = spec("-");
        let given = vec![NewSecret {
            field: "client_secret".into(),
            value: Secret::new("v".into()),
        }];
        let p = Pending::name_in(&mut s, given, "0123abcdef").unwrap();
        let r = s.client_secret.clone().unwrap();
        assert!(r.starts_with("keyring:0123abcd/corp/client_secret/"), "{r}");
        assert_eq!(p.0.len(), 1);
        assert_eq!(maker_of(r.trim_start_matches("keyring:")), Some("0123abcd"));
    }

    /// A value for a setting that is not `-`, or a `-` without a value, is refused: the
    /// environment never keeps a secret the pool does not refer to.
    #[test]
    fn values_must_match_the_dash_settings() {
        let given = || {
            vec![NewSecret {
                field: "client_secret".into(),
                value: Secret::new("v".into()),
            }]
        };
        let e = Pending::name_in(&mut spec("env:X"), given(), "0123abcd")
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        let e = Pending::name_in(&mut spec("-"), Vec::new(), "0123abcd")
            .err()
            .unwrap();
        assert!(e.to_string().contains("no value was given"), "{e}");
    }
}
