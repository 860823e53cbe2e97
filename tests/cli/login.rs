//! `simulate-login`: the login engine end to end over export pools (R3-R6, R13-R15, R17).
//! Every login here is offline: export files in tests/fixtures/exports or written to the
//! test's own directory.

use crate::sqlite_only::{self, auto_tenants};
use crate::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::Stdio;

/// `simulate-login`: the login was refused.
pub const REFUSED: i32 = 6;

/// bcrypt hashes (cheap cost) and their passwords: users.csv and the OpenWall vectors.
pub const BCRYPT_ABC: &str = "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
pub const BCRYPT_UU: &str = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
pub const BCRYPT_UUU: &str = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK";

/// An export fixture, by absolute path (committed under tests/fixtures/exports).
pub fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/exports")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

/// Creates an export pool `name` over `file`, with more flags.
pub fn pool(env: &Env, name: &str, file: &str, extra: &[&str]) {
    let mut args = vec![
        "create", name, "--type", "external", "--source", "export", "--file", file,
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
}

/// Firebase export pool flags: the project's hash parameters.
pub fn firebase_flags() -> Vec<String> {
    vec!["--hash-config".into(), fixture("firebase-hash-config.json")]
}

/// `simulate-login ID --password-stdin -o json EXTRA...`: exit code and trace. Checks that
/// the exit code and the outcome agree.
pub fn login(env: &Env, id: &str, password: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["simulate-login", id, "--password-stdin", "-o", "json"];
    args.extend_from_slice(extra);
    let out = env
        .cmd()
        .args(&args)
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let trace: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: no JSON trace ({e}): {stderr}"));
    let code = out.status.code().unwrap();
    match code {
        0 => assert_eq!(trace["outcome"], "authenticated", "{trace:#}"),
        REFUSED => assert_eq!(trace["outcome"], "refused", "{trace:#}"),
        other => panic!("{args:?}: exit {other}: {stderr}"),
    }
    (code, trace)
}

/// A login that must succeed; returns the trace.
pub fn authenticated(env: &Env, id: &str, password: &str, extra: &[&str]) -> Value {
    let (code, trace) = login(env, id, password, extra);
    assert_eq!(code, 0, "{id}: {trace:#}");
    assert!(trace.get("reason").is_none(), "{trace:#}");
    trace
}

/// A login that must be refused for `reason`; returns the trace.
pub fn refused(env: &Env, id: &str, password: &str, extra: &[&str], reason: &str) -> Value {
    let (code, trace) = login(env, id, password, extra);
    assert_eq!(code, REFUSED, "{id}: {trace:#}");
    assert_eq!(trace["reason"], reason, "{id}: {trace:#}");
    assert!(trace.get("user").is_none(), "{trace:#}");
    trace
}

/// (asked, answer) of every step of a trace.
pub fn steps(trace: &Value) -> Vec<(String, String)> {
    trace["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["asked"].as_str().unwrap().to_owned(),
                s["answer"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Builds the expected (asked, answer) list.
pub fn want(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The steps a later login of a native or migrated user takes: the local store only.
pub fn local_only() -> Vec<(String, String)> {
    want(&[("local store", "found"), ("local store", "authenticated")])
}

/// `users list -o json` with filters.
pub fn users(env: &Env, filters: &[&str]) -> Vec<Value> {
    let mut args = vec!["users", "list", "-o", "json"];
    args.extend_from_slice(filters);
    let v: Value = serde_json::from_str(&env.ok(&args)).unwrap();
    v.as_array().unwrap().clone()
}

/// Identifiers of `users list -o json`.
pub fn identifiers(env: &Env, filters: &[&str]) -> Vec<String> {
    users(env, filters)
        .iter()
        .map(|u| u["identifier"].as_str().unwrap().to_owned())
        .collect()
}

/// `users show ID -o json`.
pub fn show(env: &Env, id: &str) -> Value {
    serde_json::from_str(&env.ok(&["users", "show", id, "-o", "json"])).unwrap()
}

/// What must not change when nothing is written (R14): the users, the pools, the audit log
/// (every change writes an entry), and the bytes of the store file where it is one here.
pub fn snapshot(env: &Env) -> (String, String, String, Vec<u8>) {
    let users = env.ok(&["users", "list", "-o", "json"]);
    let pools = env.export();
    let audit = env.ok(&["audit", "-o", "json"]);
    let bytes = env
        .local_store()
        .map(|f| std::fs::read(f).unwrap())
        .unwrap_or_default();
    (users, pools, audit, bytes)
}

/// A method's report in a trace or `users show`.
pub fn method<'a>(methods: &'a Value, name: &str) -> &'a Value {
    methods
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == name)
        .unwrap_or_else(|| panic!("no method {name} in {methods:#}"))
}

/// R13, R3, R14: every user and password of the sample exports authenticates through a jit
/// pool over its file; a dry run writes nothing; --commit migrates with the password re-hashed
/// as argon2id; from then on the local store answers alone.
#[test]
fn r13_every_sample_user_migrates_then_logs_in_from_the_local_store() {
    // (file, pool flags, typed identifier, password, stored identifier, source hash scheme)
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);
    let sources: &[(&str, Vec<String>, &[Case])] = &[
        (
            "firebase-auth-export.json",
            firebase_flags(),
            &[
                (
                    "user1@test.com",
                    "user1password",
                    "user1@test.com",
                    "firebase-scrypt",
                    "kYi4EvWQlQTKSfnJ3dRSP6IH3ed2",
                ),
                (
                    "Rosa.Marin@Example.com",
                    "Harbor-lights-9",
                    "Rosa.Marin@Example.com",
                    "firebase-scrypt",
                    "Qm3vXr9PZ0a1b2c3d4e5f6g7h8i9",
                ),
            ],
        ),
        (
            "auth0-bulk-import.json",
            vec![],
            &[
                (
                    "hello.user@example.com",
                    "hello",
                    "hello.user@example.com",
                    "bcrypt",
                    "auth0|5f1c0a1b2c3d4e5f60718293",
                ),
                (
                    "argon.user@example.com",
                    "password",
                    "argon.user@example.com",
                    "argon2id",
                    "auth0|5f1c0a1b2c3d4e5f60718294",
                ),
                (
                    "pbkdf.user@example.com",
                    "Lantern-22",
                    "pbkdf.user@example.com",
                    "pbkdf2-sha512",
                    "auth0|5f1c0a1b2c3d4e5f60718295",
                ),
            ],
        ),
        (
            "keycloak-realm-export.json",
            vec![],
            &[
                // The username is an alias of the email, which is the identifier kept.
                (
                    "user1",
                    "password",
                    "user1@legacy.example.org",
                    "keycloak-pbkdf2-sha256",
                    "11111111-2222-4333-8444-555555555555",
                ),
                (
                    "sam.sha512",
                    "Summit-path-4",
                    "sam.sha512@legacy.example.org",
                    "keycloak-pbkdf2-sha512",
                    "66666666-7777-4888-9999-aaaaaaaaaaaa",
                ),
            ],
        ),
        (
            "users.csv",
            vec![],
            &[
                (
                    "abc.user@example.net",
                    "abc",
                    "abc.user@example.net",
                    "bcrypt",
                    "",
                ),
                (
                    "django.user@example.net",
                    "lètmein",
                    "django.user@example.net",
                    "django-pbkdf2-sha256",
                    "",
                ),
                (
                    "argon.i@example.net",
                    "password",
                    "argon.i@example.net",
                    "argon2i",
                    "",
                ),
            ],
        ),
    ];
    for (file, flags, cases) in sources {
        let env = Env::new();
        let mut extra: Vec<&str> = vec!["--mode", "jit"];
        extra.extend(flags.iter().map(String::as_str));
        pool(&env, "legacy", &fixture(file), &extra);
        let mut migrated = BTreeSet::new();
        for &(typed, password, stored, scheme, external_id) in *cases {
            let ctx = format!("{file} {typed}");
            // R14: a dry run explains and writes nothing.
            let before = snapshot(&env);
            let dry = authenticated(&env, typed, password, &[]);
            assert_eq!(
                steps(&dry),
                want(&[
                    ("local store", "unknown_identifier"),
                    ("pool legacy", "authenticated"),
                    ("tenant", "resolved"),
                ]),
                "{ctx}: {dry:#}"
            );
            assert_eq!(dry["steps"][1]["source"], "export", "{ctx}");
            assert_eq!(
                dry["steps"][1]["detail"],
                format!("{scheme} hash verified at the source"),
                "{ctx}"
            );
            assert_eq!(dry["identifier"], typed, "{ctx}");
            let u = &dry["user"];
            assert_eq!(u["identifier"], stored, "{ctx}");
            assert_eq!(u["origin"], "migrated", "{ctx}");
            assert_eq!(u["pool"], "legacy", "{ctx}");
            assert_eq!(u["action"], "migrate", "{ctx}");
            assert_eq!(u["hash_upgrade"], format!("{scheme} -> argon2id"), "{ctx}");
            assert!(u.get("id").is_none(), "{ctx}: no user is created yet");
            assert_eq!(dry["committed"], false, "{ctx}");
            assert!(dry.get("message").is_none(), "{ctx}");
            assert_eq!(
                before,
                snapshot(&env),
                "{ctx}: a dry run wrote to the store"
            );

            // --commit migrates.
            let done = authenticated(&env, typed, password, &["--commit"]);
            assert_eq!(done["committed"], true, "{ctx}");
            assert_eq!(done["user"]["action"], "migrate", "{ctx}");
            let id = done["user"]["id"].as_str().unwrap().to_owned();
            assert!(id.starts_with("usr_"), "{ctx}: {id}");
            migrated.insert(stored.to_owned());

            let shown = show(&env, typed);
            assert_eq!(shown["password_scheme"], "argon2id", "{ctx}: {shown:#}");
            assert_eq!(shown["user"]["id"], id.as_str(), "{ctx}");
            assert_eq!(shown["user"]["identifier"], stored, "{ctx}");
            assert_eq!(shown["user"]["origin"], "migrated", "{ctx}");
            assert_eq!(shown["user"]["pool"], "legacy", "{ctx}");
            assert_eq!(shown["user"]["enabled"], true, "{ctx}");
            assert!(shown["user"]["migrated_at"].is_string(), "{ctx}");
            assert!(shown["user"]["last_login_at"].is_string(), "{ctx}");
            if external_id.is_empty() {
                assert!(shown["user"]["external_id"].is_null(), "{ctx}");
            } else {
                assert_eq!(shown["user"]["external_id"], external_id, "{ctx}");
            }

            // R3: the local store answers from now on; the pool is not asked.
            let again = authenticated(&env, typed, password, &[]);
            assert_eq!(steps(&again), local_only(), "{ctx}: {again:#}");
            assert_eq!(again["steps"][0]["detail"], "migrated user", "{ctx}");
            assert_eq!(
                again["steps"][1]["detail"], "argon2id hash verified",
                "{ctx}"
            );
            assert_eq!(again["user"]["id"], id.as_str(), "{ctx}");
            assert_eq!(again["user"]["action"], "none", "{ctx}");
            assert!(again["user"].get("hash_upgrade").is_none(), "{ctx}");
            // The stored identifier finds the same user (e.g. the Keycloak email).
            let by_stored = authenticated(&env, stored, password, &[]);
            assert_eq!(by_stored["user"]["id"], id.as_str(), "{ctx}");
            assert_eq!(steps(&by_stored), local_only(), "{ctx}");
            // A wrong password is refused by the local store, without asking the pool.
            let wrong = refused(&env, typed, "not-the-password", &[], "wrong_password");
            assert_eq!(
                steps(&wrong),
                want(&[("local store", "found"), ("local store", "wrong_password")]),
                "{ctx}"
            );
        }
        let listed = users(&env, &[]);
        assert_eq!(
            listed
                .iter()
                .map(|u| u["identifier"].as_str().unwrap().to_owned())
                .collect::<BTreeSet<_>>(),
            migrated,
            "{file}"
        );
        assert_eq!(listed.len(), migrated.len(), "{file}");
        assert!(listed.iter().all(|u| u["origin"] == "migrated"), "{file}");
    }
}

/// R15: a user disabled or blocked at the source is refused and not migrated, even with
/// --commit.
#[test]
fn r15_disabled_or_blocked_users_are_refused_and_not_migrated() {
    let cases: &[(&str, Vec<String>, &str, &str)] = &[
        (
            "firebase-auth-export.json",
            firebase_flags(),
            "idle.user@example.com",
            "Quiet-meadow-3",
        ),
        (
            "auth0-bulk-import.json",
            vec![],
            "blocked.user@example.com",
            "Closed-door-5",
        ),
        (
            "keycloak-realm-export.json",
            vec![],
            "off.user",
            "Frozen-lake-8",
        ),
        (
            "keycloak-realm-export.json",
            vec![],
            "off.user@legacy.example.org",
            "Frozen-lake-8",
        ),
        (
            "cognito-list-users.json",
            vec![],
            "gone.user@example.org",
            "whatever-1",
        ),
    ];
    for (file, flags, id, password) in cases {
        let env = Env::new();
        let mut extra: Vec<&str> = vec!["--mode", "jit"];
        extra.extend(flags.iter().map(String::as_str));
        pool(&env, "legacy", &fixture(file), &extra);
        let before = snapshot(&env);
        let t = refused(&env, id, password, &["--commit"], "user_disabled");
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool legacy", "user_disabled")
            ]),
            "{file} {id}: {t:#}"
        );
        assert!(
            t["message"]
                .as_str()
                .unwrap()
                .contains("disabled at pool 'legacy'"),
            "{t:#}"
        );
        assert_eq!(t["sign_in_methods"], json!([]), "{file} {id}");
        assert_eq!(before, snapshot(&env), "{file} {id}: refused but written");
        assert!(identifiers(&env, &[]).is_empty());
    }
}

/// R5, R15: a user the source knows but holds no usable password for (social-only Firebase,
/// Cognito and Auth0 NDJSON exports carry no hashes, a Cognito user who must change the
/// password) is refused no_credential by that pool, nothing is written, and no later pool is
/// asked.
#[test]
fn r5_users_without_a_usable_hash_are_refused_no_credential() {
    let cases: &[(&str, Vec<String>, &str, &str)] = &[
        (
            "firebase-auth-export.json",
            firebase_flags(),
            "social.only@example.com",
            "the user signs in only through google.com",
        ),
        (
            "cognito-list-users.json",
            vec![],
            "lee.park@example.org",
            "this export format carries no password hashes",
        ),
        (
            "cognito-list-users.json",
            vec![],
            "pending.user@example.org",
            "the user must set a password at the source first",
        ),
        (
            "auth0-users-export.ndjson",
            vec![],
            "hello.user@example.com",
            "this export format carries no password hashes",
        ),
        (
            "auth0-users-export.ndjson",
            vec![],
            "no.hash@example.com",
            "this export format carries no password hashes",
        ),
    ];
    for (file, flags, id, detail) in cases {
        let env = Env::new();
        let mut extra: Vec<&str> = vec!["--mode", "jit"];
        extra.extend(flags.iter().map(String::as_str));
        pool(&env, "legacy", &fixture(file), &extra);
        // A later pool that would accept the same identifier is never asked.
        env.write(
            "later.csv",
            &format!("email,password_hash\n{id},{BCRYPT_ABC}\n"),
        );
        pool(&env, "later", &env.path("later.csv").to_string_lossy(), &[]);
        let before = snapshot(&env);
        let t = refused(&env, id, "abc", &["--commit"], "no_credential");
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool legacy", "no_credential")
            ]),
            "{file} {id}: {t:#}"
        );
        assert_eq!(t["steps"][1]["detail"], *detail, "{file} {id}");
        assert_eq!(before, snapshot(&env), "{file} {id}");
    }
}

/// R6: identifiers that differ by case, surrounding blanks or Unicode form (NFC / NFD) reach
/// one user, and after --commit there is exactly one.
#[test]
fn r6_case_blanks_and_unicode_form_reach_one_user() {
    let env = Env::new();
    let nfc = "ren\u{e9}@example.net";
    env.write(
        "users.csv",
        &format!("email,password_hash,tenant_id\n{nfc},{BCRYPT_ABC},acme\n"),
    );
    pool(
        &env,
        "csv",
        "users.csv",
        &["--mode", "jit", "--tenant", "property:tenant_id"],
    );
    let spellings = [
        "rene\u{301}@EXAMPLE.net",   // NFD, other case
        "  REN\u{c9}@example.NET\t", // NFC capital É, blanks
        "RENE\u{301}@Example.Net ",  // NFD capital E + combining accent
        nfc,
    ];
    for s in spellings {
        let t = authenticated(&env, s, "abc", &[]);
        assert_eq!(t["user"]["identifier"], nfc, "{s:?}: the source's spelling");
        assert_eq!(t["identifier"], s.trim(), "{s:?}");
        assert_eq!(t["user"]["action"], "migrate", "{s:?}");
    }
    let first = authenticated(&env, spellings[0], "abc", &["--commit"]);
    let id = first["user"]["id"].as_str().unwrap().to_owned();
    for s in spellings {
        let t = authenticated(&env, s, "abc", &["--commit"]);
        assert_eq!(steps(&t), local_only(), "{s:?}: {t:#}");
        assert_eq!(t["user"]["id"], id.as_str(), "{s:?}");
        assert_eq!(show(&env, s)["user"]["id"], id.as_str(), "{s:?}");
    }
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["identifier"], nfc);
    assert_eq!(all[0]["tenant_id"], "acme");
}

/// Runs `simulate-login --commit` for each identifier at once, each in its own process.
pub fn concurrent_logins(env: &Env, ids: &[String], password: &str) -> Vec<Value> {
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            let mut child = env
                .std_cmd()
                .args([
                    "simulate-login",
                    id,
                    "--password-stdin",
                    "--commit",
                    "-o",
                    "json",
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            writeln!(stdin, "{password}").unwrap();
            drop(stdin);
            child
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{stderr}");
            let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(trace["outcome"], "authenticated", "{trace:#}");
            assert_eq!(trace["committed"], true, "{trace:#}");
            trace
        })
        .collect()
}

/// R6, R17, R4: 16 first logins of one user (in several spellings) racing with --commit all
/// succeed, and make one user in one new tenant, in jit and in passthrough mode.
#[test]
fn r17_concurrent_first_logins_make_one_user_in_one_tenant() {
    for mode in ["jit", "passthrough"] {
        let env = Env::new();
        pool(
            &env,
            "legacy",
            &fixture("users.csv"),
            &["--mode", mode, "--tenant", "auto"],
        );
        let spellings = [
            "abc.user@example.net",
            " ABC.user@example.net ",
            "Abc.User@Example.NET",
            "abc.user@EXAMPLE.net",
        ];
        let ids: Vec<String> = (0..16).map(|i| spellings[i % 4].to_owned()).collect();
        let traces = concurrent_logins(&env, &ids, "abc");
        let all = users(&env, &[]);
        assert_eq!(all.len(), 1, "{mode}: {all:#?}");
        let user = &all[0];
        assert_eq!(user["identifier"], "abc.user@example.net", "{mode}");
        let origin = if mode == "jit" { "migrated" } else { "shadow" };
        assert_eq!(user["origin"], origin, "{mode}");
        let tenant = user["tenant_id"].as_str().unwrap();
        assert!(tenant.starts_with("tn_"), "{mode}: {tenant}");
        assert_eq!(user["tenant_resolution"], "auto (new tenant)", "{mode}");
        if let Some(db) = sqlite_only::db(&env) {
            assert_eq!(auto_tenants(&db), [tenant], "{mode}: one tenant made");
        }
        let creators = traces
            .iter()
            .filter(|t| {
                matches!(
                    t["user"]["action"].as_str(),
                    Some("migrate" | "create_shadow")
                )
            })
            .count();
        assert_eq!(creators, 1, "{mode}: exactly one login created the user");
        for t in &traces {
            assert_eq!(t["user"]["id"], user["id"], "{mode}: {t:#}");
            assert_eq!(t["user"]["tenant_id"], tenant, "{mode}: {t:#}");
            assert_eq!(t["user"]["origin"], origin, "{mode}: {t:#}");
        }
    }
}

/// R5: the first pool that recognises the identifier owns the attempt: a wrong password there
/// fails the login, and the later pool that holds the same identifier with that very password
/// is not asked.
#[test]
fn r5_wrong_password_stops_the_search() {
    let env = Env::new();
    env.write(
        "a.csv",
        &format!("email,password_hash\nabc.user@example.net,{BCRYPT_UU}\n"),
    );
    pool(&env, "a", "a.csv", &["--mode", "jit"]);
    pool(&env, "b", &fixture("users.csv"), &["--mode", "jit"]);
    let before = snapshot(&env);
    let t = refused(
        &env,
        "abc.user@example.net",
        "abc",
        &["--commit"],
        "wrong_password",
    );
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool a", "wrong_password")
        ]),
        "{t:#}"
    );
    assert!(
        t["steps"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("later pools are not asked"),
        "{t:#}"
    );
    assert_eq!(t["message"], "wrong password at pool 'a'");
    assert_eq!(before, snapshot(&env));
    // The password pool a holds is accepted there.
    let ok = authenticated(&env, "abc.user@example.net", "U*U", &[]);
    assert_eq!(ok["user"]["pool"], "a");
    assert_eq!(
        steps(&ok),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool a", "authenticated"),
            ("tenant", "resolved")
        ])
    );
}

/// R5: a pool that does not know the identifier passes the attempt to the next one, in the
/// configured order (and `reorder` changes who is asked first).
#[test]
fn r5_unknown_identifier_moves_on_in_pool_order() {
    let env = Env::new();
    env.write(
        "a.csv",
        &format!("email,password_hash\nonly.in.a@example.net,{BCRYPT_UU}\nabc.user@example.net,{BCRYPT_UUU}\n"),
    );
    pool(&env, "a", "a.csv", &[]);
    pool(&env, "b", &fixture("users.csv"), &[]);
    let t = authenticated(&env, "django.user@example.net", "lètmein", &[]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool a", "unknown_identifier"),
            ("pool b", "authenticated"),
            ("tenant", "resolved"),
        ]),
        "{t:#}"
    );
    assert_eq!(t["steps"][1]["detail"], "next pool");
    assert_eq!(t["user"]["pool"], "b");
    // Order decides: with b first, abc.user belongs to b and its password there works.
    let t = authenticated(&env, "abc.user@example.net", "U*U*", &[]);
    assert_eq!(t["user"]["pool"], "a");
    env.ok(&["reorder", "b", "a"]);
    let t = authenticated(&env, "abc.user@example.net", "abc", &[]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool b", "authenticated"),
            ("tenant", "resolved"),
        ])
    );
    refused(&env, "abc.user@example.net", "U*U*", &[], "wrong_password");
    // Nobody knows it: unknown_user after every pool was asked.
    let t = refused(&env, "nobody@example.net", "abc", &[], "unknown_user");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool b", "unknown_identifier"),
            ("pool a", "unknown_identifier"),
        ])
    );
}

/// R5: a disabled pool, and a pool whose --domains do not match the identifier, are skipped
/// (the trace says so) even though they hold the user.
#[test]
fn r5_disabled_pool_and_unmatched_domains_are_skipped() {
    let env = Env::new();
    env.write(
        "a.csv",
        &format!("email,password_hash\nabc.user@example.net,{BCRYPT_UU}\n"),
    );
    pool(&env, "off", "a.csv", &["--disabled"]);
    pool(
        &env,
        "routed",
        "a.csv",
        &["--domains", "example.org,*.example.net"],
    );
    pool(&env, "b", &fixture("users.csv"), &[]);
    let t = authenticated(&env, "abc.user@example.net", "abc", &[]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool off", "skipped"),
            ("pool routed", "skipped"),
            ("pool b", "authenticated"),
            ("tenant", "resolved"),
        ]),
        "{t:#}"
    );
    assert_eq!(t["steps"][1]["detail"], "disabled");
    assert_eq!(
        t["steps"][2]["detail"],
        "domain routing: only example.org, *.example.net"
    );
    assert_eq!(t["user"]["pool"], "b");
    // Enabled again and with a matching domain, they are asked (and own the attempt).
    env.ok(&["configure", "routed", "--domains", "EXAMPLE.net"]);
    let t = refused(&env, "abc.user@example.net", "abc", &[], "wrong_password");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool off", "skipped"),
            ("pool routed", "wrong_password"),
        ])
    );
    env.ok(&["configure", "off", "--enable"]);
    let t = authenticated(&env, "abc.user@example.net", "U*U", &[]);
    assert_eq!(t["user"]["pool"], "off");
}

/// R5: an export pool whose file is missing or unreadable fails the login closed, naming the
/// pool; the next pool (which holds the user) is not tried, and nothing is written.
#[test]
fn r5_missing_or_corrupt_export_fails_closed_naming_the_pool() {
    let broken: &[(&str, Option<&str>, &[&str])] = &[
        ("missing.csv", None, &[]),
        (
            "truncated.json",
            Some("{\"users\": [\n{\"localId\": \"x\", \"email\": \"abc.user@exa"),
            &["--format", "firebase"],
        ),
        // A row that cannot be read, and the user not among the others: the user may be
        // that row, so "unknown" would be a guess.
        (
            "badrow.csv",
            Some("email,password_hash,given_name\nabc.user@example.net\nother@example.net,x,Abe\n"),
            &[],
        ),
        ("garbage.txt", Some("\u{1}\u{2} not an export\n"), &[]),
    ];
    for (file, content, flags) in broken {
        let env = Env::new();
        if let Some(c) = content {
            env.write(file, c);
        }
        pool(&env, "broken", file, flags);
        pool(&env, "good", &fixture("users.csv"), &["--mode", "jit"]);
        let before = snapshot(&env);
        let t = refused(
            &env,
            "abc.user@example.net",
            "abc",
            &["--commit"],
            "source_unavailable",
        );
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool broken", "unavailable")
            ]),
            "{file}: {t:#}"
        );
        let msg = t["message"].as_str().unwrap();
        assert!(
            msg.starts_with("pool 'broken' is unavailable: ") && msg.ends_with("(R5)"),
            "{file}: {msg}"
        );
        assert_eq!(before, snapshot(&env), "{file}");
    }
}

/// R5: once pool `a` owns a user (a passthrough shadow), later logins go straight to `a`:
/// pool `b`, first in the order, is not asked, so its broken file does not matter to that user
/// (it does to everyone else).
#[test]
fn r5_a_shadow_user_is_asked_at_its_owner_only() {
    let env = Env::new();
    env.write(
        "b.csv",
        &format!("email,password_hash\nsomeone@example.net,{BCRYPT_UU}\n"),
    );
    pool(&env, "b", "b.csv", &[]);
    pool(&env, "a", &fixture("users.csv"), &["--mode", "passthrough"]);
    let first = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    assert_eq!(
        steps(&first),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool b", "unknown_identifier"),
            ("pool a", "authenticated"),
            ("tenant", "resolved"),
        ])
    );
    assert_eq!(first["user"]["origin"], "shadow");
    assert_eq!(first["user"]["action"], "create_shadow");
    env.write("b.csv", "{\"users\": [ {\"email\": ");
    let t = authenticated(&env, "abc.user@example.net", "abc", &[]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool a", "authenticated")]),
        "{t:#}"
    );
    assert_eq!(
        t["steps"][0]["detail"],
        "shadow copy owned by pool a: asking the owner only (R5)"
    );
    assert_eq!(t["user"]["id"], first["user"]["id"]);
    assert_eq!(t["user"]["action"], "none");
    // The owner still decides the password.
    let t = refused(&env, "abc.user@example.net", "U*U", &[], "wrong_password");
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool a", "wrong_password")])
    );
    // Another user of pool a, not yet owned, runs into the broken pool b first.
    let t = refused(
        &env,
        "django.user@example.net",
        "lètmein",
        &[],
        "source_unavailable",
    );
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool b", "unavailable")
        ])
    );
}

/// The tenant step of a trace: (answer, detail).
fn tenant_step(trace: &Value) -> (String, String) {
    let s = trace["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["asked"] == "tenant")
        .unwrap_or_else(|| panic!("no tenant step: {trace:#}"));
    (
        s["answer"].as_str().unwrap().to_owned(),
        s["detail"].as_str().unwrap().to_owned(),
    )
}

/// (tenant_id, tenant_resolution) of a trace's user.
fn tenant_of(trace: &Value) -> (String, String) {
    (
        trace["user"]["tenant_id"].as_str().unwrap().to_owned(),
        trace["user"]["tenant_resolution"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

/// An Auth0 bulk import file with every shape of `app_metadata.tenantId` (password: abc).
fn write_tenant_shapes(env: &Env) -> String {
    let users = json!([
        {"email": "arr.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": [" initech "]}},
        {"email": "two.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": ["initech", "globex"]}},
        {"email": "padded.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": "  hooli \t"}},
        {"email": "missing.user@example.com", "password_hash": BCRYPT_ABC},
        {"email": "null.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": null}},
        {"email": "blank.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": "   "}},
        {"email": "number.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": 7}},
        {"email": "empty.user@example.com", "password_hash": BCRYPT_ABC,
         "app_metadata": {"tenantId": []}},
    ]);
    env.write(
        "tenants.json",
        &serde_json::to_string_pretty(&users).unwrap(),
    )
    .to_str()
    .unwrap()
    .to_owned()
}

/// R4: the tenant is read from the source profile at a dotted path, trimmed; a one-element
/// array counts as its element.
#[test]
fn r4_tenant_from_a_property_path() {
    let env = Env::new();
    let mut fb = vec!["--mode", "jit", "--tenant", "property:tenantId"];
    let flags = firebase_flags();
    fb.extend(flags.iter().map(String::as_str));
    pool(&env, "fb", &fixture("firebase-auth-export.json"), &fb);
    pool(
        &env,
        "a0",
        &fixture("auth0-bulk-import.json"),
        &[
            "--mode",
            "jit",
            "--tenant",
            "property:app_metadata.tenantId",
        ],
    );
    pool(
        &env,
        "kc",
        &fixture("keycloak-realm-export.json"),
        &["--tenant", "property:attributes.tenant"],
    );
    let file = write_tenant_shapes(&env);
    pool(
        &env,
        "shapes",
        &file,
        &["--tenant", "property:app_metadata.tenantId"],
    );
    let cases = [
        (
            "Rosa.Marin@Example.com",
            "Harbor-lights-9",
            "fb",
            "acme",
            "property:tenantId",
        ),
        (
            "hello.user@example.com",
            "hello",
            "a0",
            "globex",
            "property:app_metadata.tenantId",
        ),
        (
            "user1",
            "password",
            "kc",
            "acme",
            "property:attributes.tenant (one-element array)",
        ),
        (
            "arr.user@example.com",
            "abc",
            "shapes",
            "initech",
            "property:app_metadata.tenantId (one-element array)",
        ),
        (
            "padded.user@example.com",
            "abc",
            "shapes",
            "hooli",
            "property:app_metadata.tenantId",
        ),
    ];
    for (id, password, pool_name, tenant, how) in cases {
        let t = authenticated(&env, id, password, &["--commit"]);
        assert_eq!(t["user"]["pool"], pool_name, "{id}");
        assert_eq!(tenant_of(&t), (tenant.into(), how.into()), "{id}");
        assert_eq!(
            tenant_step(&t),
            ("resolved".into(), format!("{tenant} via {how}")),
            "{id}"
        );
        let shown = show(&env, id);
        assert_eq!(shown["user"]["tenant_id"], tenant, "{id}");
        assert_eq!(shown["user"]["tenant_resolution"], how, "{id}");
    }
    // No tenant was made: `auto` was never used.
    if let Some(db) = sqlite_only::db(&env) {
        assert!(auto_tenants(&db).is_empty());
    }
}

/// R4: two tenant values are ambiguous (also with a fallback): refused, nothing written.
#[test]
fn r4_two_tenant_values_are_ambiguous() {
    let env = Env::new();
    pool(
        &env,
        "kc",
        &fixture("keycloak-realm-export.json"),
        &["--mode", "jit", "--tenant", "property:attributes.tenant"],
    );
    let file = write_tenant_shapes(&env);
    pool(
        &env,
        "shapes",
        &file,
        &[
            "--tenant",
            "property:app_metadata.tenantId",
            "--tenant-fallback",
            "auto",
        ],
    );
    let before = snapshot(&env);
    let t = refused(
        &env,
        "sam.sha512",
        "Summit-path-4",
        &["--commit"],
        "tenant_ambiguous",
    );
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool kc", "authenticated"),
            ("tenant", "tenant_ambiguous"),
        ])
    );
    assert_eq!(
        tenant_step(&t).1,
        "property attributes.tenant holds 2 values (R4)"
    );
    assert!(
        t["message"]
            .as_str()
            .unwrap()
            .starts_with("pool 'kc': the tenant property attributes.tenant holds 2 values"),
        "{t:#}"
    );
    let t = refused(
        &env,
        "two.user@example.com",
        "abc",
        &["--commit"],
        "tenant_ambiguous",
    );
    assert_eq!(
        tenant_step(&t).1,
        "property app_metadata.tenantId holds 2 values (R4)"
    );
    assert_eq!(before, snapshot(&env));
}

/// R4: a tenant that is missing, null, blank, not a string or an empty array, without a
/// fallback, is tenant_unresolved (never a silent default); nothing is written.
#[test]
fn r4_unusable_tenant_without_fallback_is_unresolved() {
    let env = Env::new();
    let file = write_tenant_shapes(&env);
    pool(
        &env,
        "shapes",
        &file,
        &[
            "--mode",
            "jit",
            "--tenant",
            "property:app_metadata.tenantId",
        ],
    );
    let mut fb = vec!["--tenant", "property:tenantId"];
    let flags = firebase_flags();
    fb.extend(flags.iter().map(String::as_str));
    pool(&env, "fb", &fixture("firebase-auth-export.json"), &fb);
    let before = snapshot(&env);
    for (id, why) in [
        ("missing.user@example.com", "missing"),
        ("null.user@example.com", "null"),
        ("blank.user@example.com", "empty"),
        ("number.user@example.com", "not a string"),
        ("empty.user@example.com", "an empty array"),
    ] {
        let t = refused(&env, id, "abc", &["--commit"], "tenant_unresolved");
        assert_eq!(
            tenant_step(&t),
            (
                "tenant_unresolved".into(),
                format!("property app_metadata.tenantId is {why}; no fallback (R4)")
            ),
            "{id}"
        );
        let msg = t["message"].as_str().unwrap();
        assert!(
            msg.starts_with("pool 'shapes': ") && msg.contains("--tenant-fallback"),
            "{msg}"
        );
    }
    // Firebase user1 has no customAttributes at all.
    let t = refused(
        &env,
        "user1@test.com",
        "user1password",
        &["--commit"],
        "tenant_unresolved",
    );
    assert_eq!(
        tenant_step(&t).1,
        "property tenantId is missing; no fallback (R4)"
    );
    assert_eq!(before, snapshot(&env));
}

/// R4: an explicit fallback (fixed or auto) is used for an unusable property, and the trace
/// and the stored user say so.
#[test]
fn r4_fallback_fixed_and_auto_are_used_and_reported() {
    let env = Env::new();
    let file = write_tenant_shapes(&env);
    pool(
        &env,
        "shapes",
        &file,
        &[
            "--tenant",
            "property:app_metadata.tenantId",
            "--tenant-fallback",
            "fixed:dflt",
        ],
    );
    let t = authenticated(&env, "missing.user@example.com", "abc", &["--commit"]);
    let how = "fallback fixed (property app_metadata.tenantId missing)";
    assert_eq!(tenant_of(&t), ("dflt".into(), how.into()));
    assert_eq!(
        tenant_step(&t),
        ("resolved".into(), format!("dflt via {how}"))
    );
    assert_eq!(
        show(&env, "missing.user@example.com")["user"]["tenant_resolution"],
        how
    );
    // A usable property still wins over the fallback.
    let t = authenticated(&env, "arr.user@example.com", "abc", &["--commit"]);
    assert_eq!(tenant_of(&t).0, "initech");
    if let Some(db) = sqlite_only::db(&env) {
        assert!(auto_tenants(&db).is_empty());
    }

    env.ok(&["configure", "shapes", "--tenant-fallback", "auto"]);
    let t = authenticated(&env, "null.user@example.com", "abc", &["--commit"]);
    let (tenant, how) = tenant_of(&t);
    assert!(tenant.starts_with("tn_"), "{tenant}");
    assert_eq!(how, "fallback auto (property app_metadata.tenantId null)");
    let t2 = authenticated(&env, "number.user@example.com", "abc", &["--commit"]);
    let (tenant2, how2) = tenant_of(&t2);
    assert!(tenant2.starts_with("tn_") && tenant2 != tenant, "{tenant2}");
    assert_eq!(
        how2,
        "fallback auto (property app_metadata.tenantId not a string)"
    );
    let mut made = vec![tenant.clone(), tenant2.clone()];
    made.sort();
    if let Some(db) = sqlite_only::db(&env) {
        assert_eq!(auto_tenants(&db), made, "one new tenant per new user");
    }
    // Logging in again creates no further tenant.
    let t = authenticated(&env, "null.user@example.com", "abc", &["--commit"]);
    assert_eq!(tenant_of(&t).0, tenant);
    if let Some(db) = sqlite_only::db(&env) {
        assert_eq!(auto_tenants(&db).len(), 2);
    }
}

/// R4, R10: changing the pool's tenant source applies to users created afterwards only; an
/// existing user keeps its tenant and how it was resolved, also when its pool is asked again.
#[test]
fn r4_r10_changing_the_tenant_source_leaves_existing_users_alone() {
    let env = Env::new();
    pool(
        &env,
        "legacy",
        &fixture("users.csv"),
        &["--tenant", "property:tenant_id"],
    );
    let t = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    assert_eq!(
        tenant_of(&t),
        ("northwind".into(), "property:tenant_id".into())
    );
    let out = env
        .cmd()
        .args(["configure", "legacy", "--tenant", "fixed:other"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("existing users keep their tenant") && note.contains("R10"),
        "{note}"
    );

    // The shadow user is authenticated at the pool again, and keeps its tenant.
    let t = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool legacy", "authenticated")])
    );
    assert_eq!(
        tenant_of(&t),
        ("northwind".into(), "property:tenant_id".into())
    );
    let shown = show(&env, "abc.user@example.net");
    assert_eq!(shown["user"]["tenant_id"], "northwind");
    assert_eq!(shown["user"]["tenant_resolution"], "property:tenant_id");
    // A user created now gets the new source.
    let t = authenticated(&env, "django.user@example.net", "lètmein", &["--commit"]);
    assert_eq!(tenant_of(&t), ("other".into(), "fixed".into()));

    env.ok(&["configure", "legacy", "--tenant", "auto"]);
    for (id, password, tenant) in [
        ("abc.user@example.net", "abc", "northwind"),
        ("django.user@example.net", "lètmein", "other"),
    ] {
        let t = authenticated(&env, id, password, &["--commit"]);
        assert_eq!(t["user"]["tenant_id"], tenant, "{id}");
        assert_eq!(show(&env, id)["user"]["tenant_id"], tenant, "{id}");
    }
    if let Some(db) = sqlite_only::db(&env) {
        assert!(auto_tenants(&db).is_empty());
    }
}

/// R3: a migrated user authenticates from the local store after its pool is switched to
/// passthrough, disabled, or deleted; users created after the switch follow the new mode
/// (R10), and deleting the pool takes only its shadow users.
#[test]
fn r3_migrated_user_logs_in_locally_whatever_becomes_of_the_pool() {
    let env = Env::new();
    pool(&env, "legacy", &fixture("users.csv"), &["--mode", "jit"]);
    let first = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    let id = first["user"]["id"].as_str().unwrap().to_owned();
    let check = |when: &str| {
        let t = authenticated(&env, "abc.user@example.net", "abc", &[]);
        assert_eq!(steps(&t), local_only(), "{when}: {t:#}");
        assert_eq!(t["user"]["id"], id.as_str(), "{when}");
        assert_eq!(t["user"]["origin"], "migrated", "{when}");
        assert_eq!(t["user"]["pool"], "legacy", "{when}");
        let shown = show(&env, "abc.user@example.net");
        assert_eq!(shown["user"]["origin"], "migrated", "{when}");
        assert_eq!(shown["password_scheme"], "argon2id", "{when}");
    };

    env.ok(&["configure", "legacy", "--mode", "passthrough"]);
    check("passthrough");
    // A user first seen now becomes a shadow, not a migrated user.
    let t = authenticated(&env, "django.user@example.net", "lètmein", &["--commit"]);
    assert_eq!(t["user"]["origin"], "shadow");
    assert_eq!(t["user"]["action"], "create_shadow");
    assert!(t["user"].get("hash_upgrade").is_none());
    assert_eq!(
        show(&env, "django.user@example.net")["password_scheme"],
        Value::Null
    );

    env.ok(&["configure", "legacy", "--disable"]);
    check("disabled");
    refused(&env, "argon.i@example.net", "password", &[], "unknown_user");

    env.ok(&["configure", "legacy", "--enable", "--mode", "sync"]);
    check("sync");

    let out: Value =
        serde_json::from_str(&env.ok(&["delete", "legacy", "--yes", "--force", "-o", "json"]))
            .unwrap();
    assert_eq!(out["shadow_users_removed"], 1);
    assert_eq!(out["migrated_users_kept"], 1);
    check("deleted");
    assert_eq!(identifiers(&env, &[]), ["abc.user@example.net"]);
    let t = refused(
        &env,
        "django.user@example.net",
        "lètmein",
        &[],
        "unknown_user",
    );
    assert_eq!(steps(&t), want(&[("local store", "unknown_identifier")]));
}

/// Writes a local user of pool `legacy` (tenant `acme`) as a bulk import would leave it (an
/// imported hash of another algorithm), through `users restore`.
fn insert_local_user(env: &Env, identifier: &str, origin: &str, hash: &str) {
    restore_local_user(env, identifier, origin, hash, true);
}

/// [`insert_local_user`], `enabled` or not.
fn restore_local_user(env: &Env, identifier: &str, origin: &str, hash: &str, enabled: bool) {
    let record = json!({
        "id": format!("usr_{}", identifier.replace(['@', '.'], "_")),
        "identifier": identifier,
        "aliases": [],
        "origin": origin,
        "pool": "legacy",
        "external_id": null,
        "tenant_id": "acme",
        "tenant_resolution": "fixed",
        "enabled": enabled,
        "password_hash": hash,
        "profile": {},
        "metadata": {},
        "created_at": "2026-01-01T00:00:00.000Z",
        "migrated_at": null,
        "last_login_at": null,
        "imported_at": null,
        "import_line": null,
        "import_run": null,
        "version": 1,
    });
    env.ok_with_stdin(
        &["users", "restore", "--file", "-", "-q"],
        &format!("{record}\n"),
    );
}

/// R13: a local user whose stored hash is of another algorithm (an imported bcrypt or argon2i
/// hash) is verified with that algorithm and upgraded to argon2id at the next committed
/// login; a dry run only says it would.
#[test]
fn r13_an_imported_local_hash_is_upgraded_at_the_next_login() {
    let env = Env::new();
    pool(&env, "legacy", &fixture("users.csv"), &["--mode", "jit"]);
    insert_local_user(&env, "imported@example.net", "migrated", BCRYPT_ABC);
    insert_local_user(
        &env,
        "argon.i@example.net",
        "migrated",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
    );
    for (id, password, scheme) in [
        ("imported@example.net", "abc", "bcrypt"),
        ("argon.i@example.net", "password", "argon2i"),
    ] {
        assert_eq!(show(&env, id)["password_scheme"], scheme);
        let before = snapshot(&env);
        let dry = authenticated(&env, id, password, &[]);
        assert_eq!(steps(&dry), local_only(), "{id}: {dry:#}");
        assert_eq!(dry["steps"][1]["detail"], format!("{scheme} hash verified"));
        assert_eq!(dry["user"]["action"], "upgrade_hash");
        assert_eq!(dry["user"]["hash_upgrade"], format!("{scheme} -> argon2id"));
        assert_eq!(before, snapshot(&env), "{id}: a dry run upgraded the hash");
        refused(&env, id, "wrong", &[], "wrong_password");

        let done = authenticated(&env, id, password, &["--commit"]);
        assert_eq!(done["user"]["action"], "upgrade_hash");
        assert_eq!(done["committed"], true);
        assert_eq!(show(&env, id)["password_scheme"], "argon2id", "{id}");
        let again = authenticated(&env, id, password, &[]);
        assert_eq!(again["steps"][1]["detail"], "argon2id hash verified");
        assert_eq!(again["user"]["action"], "none");
        refused(&env, id, "wrong", &[], "wrong_password");
    }
    assert_eq!(users(&env, &[]).len(), 2, "no user was added by the pool");
}

/// R13, R12: concurrent committed logins of a user with an old hash all succeed and leave one
/// argon2id hash that the password verifies.
#[test]
fn r13_concurrent_hash_upgrades_all_succeed() {
    let env = Env::new();
    pool(&env, "legacy", &fixture("users.csv"), &["--mode", "jit"]);
    insert_local_user(&env, "imported@example.net", "migrated", BCRYPT_ABC);
    let ids = vec!["imported@example.net".to_owned(); 8];
    let traces = concurrent_logins(&env, &ids, "abc");
    assert!(
        traces.iter().all(|t| steps(t)[..2] == local_only()[..]),
        "{traces:#?}"
    );
    assert_eq!(
        show(&env, "imported@example.net")["password_scheme"],
        "argon2id"
    );
    let t = authenticated(&env, "imported@example.net", "abc", &[]);
    assert_eq!(t["user"]["action"], "none");
    assert_eq!(users(&env, &[]).len(), 1);
}

/// R15, R5: a disabled local user is refused by the local store; no pool is asked, even one
/// that would accept the password.
#[test]
fn r15_a_disabled_local_user_is_refused_without_asking_pools() {
    let env = Env::new();
    pool(&env, "legacy", &fixture("users.csv"), &["--mode", "jit"]);
    // The user as a first login migrated it, then disabled.
    restore_local_user(&env, "abc.user@example.net", "migrated", BCRYPT_ABC, false);
    let before = snapshot(&env);
    let t = refused(
        &env,
        "abc.user@example.net",
        "abc",
        &["--commit"],
        "user_disabled",
    );
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("local store", "user_disabled")])
    );
    assert_eq!(before, snapshot(&env));
}

/// R5: pools that fail for their configuration fail the login closed as well: a live source
/// that cannot be reached (nothing listens at its endpoint), and a Firebase export without its
/// hash parameters (or with a missing parameters file) cannot verify. The next pool is not
/// asked.
#[test]
fn r5_a_pool_that_cannot_answer_fails_closed() {
    let cases: &[&[&str]] = &[
        &[
            "--source",
            "auth0",
            "--domain",
            "acme.eu.auth0.com",
            "--client-id",
            "cid",
            "--client-secret",
            "env:A0_SECRET",
        ],
        &[
            "--source",
            "cognito",
            "--region",
            "eu-west-1",
            "--user-pool-id",
            "eu-west-1_Abc",
            "--client-id",
            "cid",
        ],
        &["--source", "custom", "--url", "http://127.0.0.1:9/auth"],
        &["--source", "export", "--file", "fb.json"],
        &[
            "--source",
            "export",
            "--file",
            "fb.json",
            "--hash-config",
            "no-such-config.json",
        ],
    ];
    for flags in cases {
        let env = Env::new();
        std::fs::copy(fixture("firebase-auth-export.json"), env.path("fb.json")).unwrap();
        let mut args = vec!["create", "first", "--type", "external"];
        args.extend_from_slice(flags);
        env.ok(&args);
        // The second pool holds the user with the same password.
        env.write(
            "second.csv",
            &format!(
                "email,password_hash\nuser1@test.com,{}\n",
                "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
            ),
        );
        pool(&env, "second", "second.csv", &["--mode", "jit"]);
        let before = snapshot(&env);
        let t = refused(
            &env,
            "user1@test.com",
            "U*U",
            &["--commit"],
            "source_unavailable",
        );
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool first", "unavailable")
            ]),
            "{flags:?}: {t:#}"
        );
        assert!(
            t["message"]
                .as_str()
                .unwrap()
                .starts_with("pool 'first' is unavailable: "),
            "{t:#}"
        );
        assert_eq!(before, snapshot(&env), "{flags:?}");
    }
}

/// R14: the human trace names every step, the outcome, the user, the tenant and how it was
/// resolved, the action, whether anything was written, and the sign-in methods.
#[test]
fn r14_the_table_trace_explains_every_step() {
    let env = Env::new();
    pool(
        &env,
        "legacy",
        &fixture("users.csv"),
        &["--mode", "jit", "--tenant", "property:tenant_id"],
    );
    let run = |args: &[&str], password: &str| {
        let out = env
            .cmd()
            .args(args)
            .write_stdin(format!("{password}\n"))
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
        )
    };
    let login = ["simulate-login", "abc.user@example.net", "--password-stdin"];
    let (code, out) = run(&login, "abc");
    assert_eq!(code, 0);
    for line in [
        "local store",
        "unknown_identifier",
        "pool legacy (export)",
        "bcrypt hash verified at the source",
        "northwind via property:tenant_id",
        "outcome: authenticated",
        "user: abc.user@example.net (origin migrated, pool legacy)",
        "tenant: northwind via property:tenant_id",
        "action: JIT migration into the local store (R3)",
        "hash: bcrypt -> argon2id",
        "dry run: nothing written (add --commit to persist)",
        "sign-in methods: password",
    ] {
        assert!(out.contains(line), "{line:?} missing:\n{out}");
    }
    let (code, out) = run(&[&login[..], &["--commit"]].concat(), "abc");
    assert_eq!(code, 0);
    assert!(out.contains("committed: written to the store"), "{out}");
    let (code, out) = run(&login, "nope");
    assert_eq!(code, REFUSED);
    assert!(out.contains("outcome: refused (wrong_password)"), "{out}");
    assert!(
        out.contains("wrong password for 'abc.user@example.net'"),
        "{out}"
    );
    // An empty identifier is a validation error, not a login.
    let out = env
        .cmd()
        .args(["simulate-login", "  ", "--password-stdin"])
        .write_stdin("abc\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(VALIDATION));
}

/// R6, R17: a Keycloak user logging in by username and by email at the same time meets one
/// record; either name finds it afterwards.
#[test]
fn r17_concurrent_logins_by_username_and_email_make_one_user() {
    let env = Env::new();
    pool(
        &env,
        "kc",
        &fixture("keycloak-realm-export.json"),
        &["--mode", "jit"],
    );
    let ids: Vec<String> = (0..8)
        .map(|i| {
            if i % 2 == 0 {
                "user1".to_owned()
            } else {
                "USER1@legacy.example.org".to_owned()
            }
        })
        .collect();
    let traces = concurrent_logins(&env, &ids, "password");
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["identifier"], "user1@legacy.example.org");
    for t in &traces {
        assert_eq!(t["user"]["id"], all[0]["id"]);
    }
    for id in ["user1", "User1@Legacy.example.org"] {
        let t = authenticated(&env, id, "password", &[]);
        assert_eq!(steps(&t), local_only(), "{id}");
    }
    // A native user cannot take the username either.
    let out = env
        .cmd()
        .args(["users", "create", "USER1", "--password-stdin"])
        .write_stdin("Other-pass-1\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(CONFLICT));
    assert_eq!(users(&env, &[]).len(), 1);
}

/// R5, R17, R14: a Keycloak user whose username (an alias of its email) is already the
/// identifier of a native user must never be logged in *as that native user*: it proved only
/// the Keycloak password. The committed login must also agree with the dry run.
#[test]
fn r17_a_pool_login_never_lands_on_another_local_user() {
    let env = Env::new();
    pool(
        &env,
        "kc",
        &fixture("keycloak-realm-export.json"),
        &["--mode", "jit"],
    );
    let out = env
        .cmd()
        .args(["users", "create", "user1", "--password-stdin", "-o", "json"])
        .write_stdin("Native-pass-1\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let native: Value = serde_json::from_slice(&out.stdout).unwrap();
    let native_id = native["id"].as_str().unwrap();

    let dry = authenticated(&env, "user1@legacy.example.org", "password", &[]);
    assert_eq!(dry["user"]["origin"], "migrated");
    assert_eq!(dry["user"]["action"], "migrate");
    let (code, done) = login(&env, "user1@legacy.example.org", "password", &["--commit"]);
    assert_ne!(
        done["user"]["id"], native_id,
        "the Keycloak password opened the native account: {done:#}"
    );
    assert_eq!(code, 0, "dry run and commit disagree: {done:#}");
    assert_eq!(done["user"]["origin"], "migrated", "{done:#}");
    assert!(
        !steps(&done).contains(&("local store".into(), "found".into())),
        "no concurrent login happened: {done:#}"
    );
    // The native user is untouched and keeps its own password.
    let shown = show(&env, "user1");
    assert_eq!(shown["user"]["id"], native_id);
    assert_eq!(shown["user"]["last_login_at"], Value::Null);
    refused(&env, "user1", "password", &[], "wrong_password");
}

/// F16 (issue 8), R5, R3, R4: an export pool whose file reads but holds no record (the
/// export job died after the header, or wrote an empty users array) fails the login closed
/// (`source_unavailable`, naming the pool), as an empty or blank file does; it never answers
/// "unknown identifier" and hands the user to the next pool, which would migrate them into
/// its tenant for good. With --commit nothing is written, and the next pool is never asked.
#[test]
fn r5_an_export_with_no_records_fails_the_login_closed() {
    let env = Env::new();
    let row = format!("victim@example.com,{BCRYPT_ABC}");
    env.write(
        "fc1.csv",
        &format!("email,password_hash,tenant_id\n{row},t1\n"),
    );
    env.write(
        "fc2.csv",
        &format!("email,password_hash,tenant_id\n{row},t2\n"),
    );
    for (name, file) in [("first", "fc1.csv"), ("second", "fc2.csv")] {
        pool(
            &env,
            name,
            file,
            &["--mode", "jit", "--tenant", "property:tenant_id"],
        );
    }
    let before = snapshot(&env);
    for (what, text) in [
        ("CSV header alone", "email,password_hash,tenant_id\n"),
        ("empty users object", r#"{"users":[]}"#),
        ("empty array", "[]"),
        (
            "Keycloak realm without users",
            r#"{"realm": "r", "users": []}"#,
        ),
        ("empty file", ""),
        ("blank file", "   \n"),
    ] {
        env.write("fc1.csv", text);
        let t = refused(
            &env,
            "victim@example.com",
            "abc",
            &["--commit"],
            "source_unavailable",
        );
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool first", "unavailable")
            ]),
            "{what}: {t:#}"
        );
        let msg = t["message"].as_str().unwrap();
        assert!(
            msg.contains("pool 'first'") && msg.contains("no user records"),
            "{what}: {msg}"
        );
        assert_eq!(before, snapshot(&env), "{what}: nothing written");
    }
}

/// bcrypt of 72 `a`s (cost 4): bcrypt reads 72 bytes, so that password with anything after
/// it passes too.
const BCRYPT_72: &str = "$2b$04$abcdefghijklmnopqrstuuBzzIgyKkz7xMWYSzkIjUSnxEQFQ0WNe";

/// R13: a login whose password bcrypt did not compare whole (72 bytes or more: the real
/// password plus characters bcrypt ignores) keeps the source's hash instead of upgrading to a
/// hash of the string typed, which would lock out the real password. On every path that
/// verifies an imported hash: JIT first login through an export pool, local login of an
/// imported user, and the first login of a user imported without a hash.
#[test]
fn r13_a_password_bcrypt_did_not_compare_whole_keeps_the_source_hash() {
    let real = "a".repeat(72);
    let typed = format!("{real}EXTRA");
    let kept_step = |trace: &Value| {
        let step = trace["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["asked"] == "hash")
            .unwrap_or_else(|| panic!("no hash step: {trace:#}"))
            .clone();
        assert_eq!(step["answer"], "kept", "{trace:#}");
        let detail = step["detail"].as_str().unwrap();
        assert!(
            detail.contains("first 72 bytes") && detail.contains("77 bytes"),
            "{detail}"
        );
    };
    let still_bcrypt = |env: &Env| {
        assert_eq!(show(env, "long@x.com")["password_scheme"], "bcrypt");
        for p in [real.as_str(), typed.as_str(), &format!("{real}other")] {
            authenticated(env, "long@x.com", p, &[]);
        }
        refused(env, "long@x.com", "aaaa", &[], "wrong_password");
    };

    // JIT first login through the export pool.
    let env = Env::new();
    let file = env.write(
        "u.csv",
        &format!("email,password_hash\nlong@x.com,{BCRYPT_72}\n"),
    );
    let file = file.to_string_lossy().into_owned();
    pool(&env, "p", &file, &["--mode", "jit", "--tenant", "auto"]);
    let t = authenticated(&env, "long@x.com", &typed, &["--commit"]);
    assert_eq!(t["user"]["action"], "migrate", "{t:#}");
    assert!(t["user"].get("hash_upgrade").is_none(), "{t:#}");
    kept_step(&t);
    still_bcrypt(&env);

    // A local login of a user imported with the hash.
    let env = Env::new();
    let file = env.write(
        "u.csv",
        &format!("email,password_hash\nlong@x.com,{BCRYPT_72}\n"),
    );
    let file = file.to_string_lossy().into_owned();
    pool(&env, "p", &file, &["--mode", "jit", "--tenant", "auto"]);
    env.ok(&["users", "import", "--pool", "p", "-q"]);
    let t = authenticated(&env, "long@x.com", &typed, &["--commit"]);
    assert_eq!(t["user"]["action"], "none", "{t:#}");
    kept_step(&t);
    still_bcrypt(&env);
    // A password bcrypt compares whole is upgraded as before.
    let short = "$2b$04$abcdefghijklmnopqrstuuugH8XjOPXLdX/a9t3zWaL96n4O4U8.G";
    let env = Env::new();
    let file = env.write(
        "u.csv",
        &format!("email,password_hash\nshort@x.com,{short}\n"),
    );
    pool(
        &env,
        "p",
        &file.to_string_lossy(),
        &["--mode", "jit", "--tenant", "auto"],
    );
    env.ok(&["users", "import", "--pool", "p", "-q"]);
    let t = authenticated(&env, "short@x.com", "short", &["--commit"]);
    assert_eq!(t["user"]["hash_upgrade"], "bcrypt -> argon2id", "{t:#}");
    assert_eq!(show(&env, "short@x.com")["password_scheme"], "argon2id");

    // A user imported without a hash, whose pool's file has one by the first login.
    let env = Env::new();
    let file = env.write("u.csv", "email,password_hash\nlong@x.com,\n");
    let file = file.to_string_lossy().into_owned();
    pool(&env, "p", &file, &["--mode", "jit", "--tenant", "auto"]);
    env.ok(&["users", "import", "--pool", "p", "-q"]);
    env.write(
        "u.csv",
        &format!("email,password_hash\nlong@x.com,{BCRYPT_72}\n"),
    );
    let t = authenticated(&env, "long@x.com", &typed, &["--commit"]);
    assert_eq!(t["user"]["action"], "keep_source_hash", "{t:#}");
    kept_step(&t);
    still_bcrypt(&env);
}

/// R5: Unicode email domains route: `--domains bücher.de` is kept and shown as its ASCII
/// form `xn--bcher-kva.de`, and a login's domain is compared in that form, whichever way
/// either is spelled; `*.` wildcards of a Unicode domain too.
#[test]
fn r5_unicode_domains_route_in_their_ascii_form() {
    let env = Env::new();
    env.write(
        "a.csv",
        &format!(
            "email,password_hash\nu@bücher.de,{BCRYPT_UU}\nv@xn--bcher-kva.de,{BCRYPT_UU}\nw@shop.bücher.de,{BCRYPT_UU}\nx@shop.xn--bcher-kva.de,{BCRYPT_UU}\n"
        ),
    );
    pool(&env, "exact", "a.csv", &["--domains", "bücher.de"]);
    pool(&env, "wild", "a.csv", &["--domains", "*.Bücher.de"]);
    let inspect = |name: &str| -> Value {
        serde_json::from_str(&env.ok(&["inspect", name, "-o", "json"])).unwrap()
    };
    assert_eq!(inspect("exact")["domains"], json!(["xn--bcher-kva.de"]));
    assert_eq!(inspect("wild")["domains"], json!(["*.xn--bcher-kva.de"]));
    for (id, owner) in [
        ("u@bücher.de", "exact"),
        ("v@xn--bcher-kva.de", "exact"),
        ("V@XN--BCHER-KVA.DE", "exact"),
        ("U@BÜCHER.DE", "exact"),
        ("w@shop.bücher.de", "wild"),
        ("x@shop.xn--bcher-kva.de", "wild"),
    ] {
        let t = authenticated(&env, id, "U*U", &[]);
        assert_eq!(t["user"]["pool"], owner, "{id}: {t:#}");
    }
    let t = refused(&env, "u@bucher.de", "U*U", &[], "unknown_user");
    assert_eq!(
        t["steps"][1]["detail"], "domain routing: only xn--bcher-kva.de",
        "{t:#}"
    );
    env.ok(&["configure", "exact", "--domains", "xn--bcher-kva.de"]);
    authenticated(&env, "u@bücher.de", "U*U", &[]);
}

/// R5 (issue 9): `--budget-ms` takes 1..=600000 milliseconds; 0 or a word is a usage error
/// (exit 2) naming the flag, and a budget left to spare changes nothing.
#[test]
fn budget_ms_is_validated() {
    let env = Env::new();
    env.write("pw.txt", "pw");
    for bad in ["0", "600001", "soon"] {
        let out = env.run(&[
            "simulate-login",
            "a@x.org",
            "--password-file",
            "pw.txt",
            "--budget-ms",
            bad,
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--budget-ms"),
            "{bad}"
        );
    }
    let out = env.run(&[
        "simulate-login",
        "a@x.org",
        "--password-file",
        "pw.txt",
        "--budget-ms",
        "60000",
    ]);
    assert_eq!(out.status.code(), Some(REFUSED), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("unknown_user"));
}

/// R5 (issue 9): a pool that does not answer (an export "file" that is a FIFO nobody writes,
/// as a hung source) fails the login closed within its `timeout_ms`, naming the pool and the
/// time, and the login never falls through to the next pool; a login budget shorter than the
/// timeout cuts the wait to what is left of it. `timeout_ms` is validated (1..=600000) and
/// exported only when it is not the default.
#[test]
fn r5_a_pool_that_does_not_answer_times_out_closed() {
    let env = Env::new();
    let fifo = env.path("hung.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    env.write("pw.txt", "hello");
    env.write(
        "u.csv",
        &format!(
            "email,password_hash\na@x.org,{}\n",
            crate::import::HELLO_BCRYPT
        ),
    );
    env.ok(&[
        "create",
        "hung",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "hung.csv",
        "--format",
        "csv",
        "--tenant",
        "auto",
        "--timeout-ms",
        "300",
    ]);
    env.ok(&[
        "create", "next", "--type", "external", "--source", "export", "--file", "u.csv",
        "--tenant", "auto",
    ]);
    let timed = |extra: &[&str]| {
        let mut args = vec![
            "simulate-login",
            "a@x.org",
            "--password-file",
            "pw.txt",
            "-o",
            "json",
        ];
        args.extend_from_slice(extra);
        let started = std::time::Instant::now();
        let out = env.run(&args);
        let took = started.elapsed();
        let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(REFUSED), "{trace:#}");
        assert_eq!(trace["reason"], "source_unavailable", "{trace:#}");
        assert!(took < std::time::Duration::from_secs(4), "{took:?}");
        assert!(
            !trace.to_string().contains("pool next"),
            "fell through: {trace:#}"
        );
        trace["message"].as_str().unwrap().to_owned()
    };
    let msg = timed(&[]);
    assert!(
        msg.contains("pool 'hung'") && msg.contains("timeout_ms of 300 ms"),
        "{msg}"
    );
    env.ok(&["configure", "hung", "--timeout-ms", "5000"]);
    let msg = timed(&["--budget-ms", "400"]);
    assert!(
        msg.contains("pool 'hung'") && msg.contains("left of the login budget of 400 ms"),
        "{msg}"
    );
    // Validation, and the export.
    for bad in ["0", "600001"] {
        env.refused(
            &["configure", "hung", "--timeout-ms", bad],
            VALIDATION,
            &["--timeout-ms", "1..=600000"],
        );
    }
    env.ok(&["configure", "hung", "--timeout-ms", "250"]);
    let yaml = env.export();
    assert_eq!(yaml.matches("timeout_ms: 250").count(), 1, "{yaml}");
    assert_eq!(
        yaml.matches("timeout_ms").count(),
        1,
        "the default is not written: {yaml}"
    );
}

/// R5 (issue 9): a regular export file too long to search within the pool's `timeout_ms`
/// (read in the engine's own thread, no handoff) is cut off at its deadline: the login is
/// refused source_unavailable naming the pool and its timeout, the next pool is not asked,
/// and nothing is written. With time enough, the same login migrates the user.
#[test]
fn r5_an_export_too_long_to_read_in_time_is_cut_off_at_its_timeout() {
    let env = Env::new();
    env.write("pw.txt", "hello");
    let mut csv = String::from("email,password_hash\n");
    for i in 0..60_000 {
        csv.push_str(&format!("u{i}@x.org,{}\n", crate::import::HELLO_BCRYPT));
    }
    env.write("long.csv", &csv);
    env.write(
        "u.csv",
        &format!(
            "email,password_hash\nu59999@x.org,{}\n",
            crate::import::HELLO_BCRYPT
        ),
    );
    env.ok(&[
        "create",
        "long",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "long.csv",
        "--tenant",
        "auto",
        "--timeout-ms",
        "1",
    ]);
    env.ok(&[
        "create", "next", "--type", "external", "--source", "export", "--file", "u.csv",
        "--tenant", "auto",
    ]);
    let before = snapshot(&env);
    let login = |commit: bool| {
        let mut args = vec![
            "simulate-login",
            "u59999@x.org",
            "--password-file",
            "pw.txt",
            "-o",
            "json",
        ];
        if commit {
            args.push("--commit");
        }
        let out = env.run(&args);
        let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), trace)
    };
    let (code, trace) = login(true);
    assert_eq!(code, Some(REFUSED), "{trace:#}");
    assert_eq!(trace["reason"], "source_unavailable", "{trace:#}");
    let msg = trace["message"].as_str().unwrap();
    assert!(
        msg.contains("pool 'long'") && msg.contains("timeout_ms of 1 ms"),
        "{msg}"
    );
    // Stopped where the deadline found it, not read to the end and then judged late.
    let into: u64 = msg
        .split("stopped at the deadline, ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no stopping point in: {msg}"));
    assert!(into < 60_000, "{msg}");
    assert!(
        !trace.to_string().contains("pool next"),
        "fell through: {trace:#}"
    );
    assert_eq!(snapshot(&env), before, "a refused login wrote something");
    env.ok(&["configure", "long", "--timeout-ms", "60000"]);
    let (code, trace) = login(true);
    assert_eq!(code, Some(0), "{trace:#}");
    assert_eq!(trace["user"]["pool"], "long", "{trace:#}");
}

/// R5, trial finding (issue 9): a record's hash that takes longer to verify than the pool's
/// timeout_ms (bcrypt cost 13, about half a second) fails the login closed, and the message
/// names the slow hash as the cause.
#[test]
fn r5_a_hash_slower_than_the_timeout_is_named_as_the_cause() {
    let env = Env::new();
    env.write(
        "slow.csv",
        "email,password_hash\nslow@x.org,$2b$13$abcdefghijklmnopqrstuuVQQe4/peCwVTEJc9x4DqVn4acK.mKI.\n",
    );
    pool(
        &env,
        "sl",
        "slow.csv",
        &["--tenant", "auto", "--timeout-ms", "50"],
    );
    let t = refused(&env, "slow@x.org", "pw12345", &[], "source_unavailable");
    let msg = t["message"].as_str().unwrap();
    assert!(
        msg.contains("timeout_ms of 50 ms") && msg.contains("verifying the record's bcrypt hash"),
        "{msg}"
    );
    env.ok(&["configure", "sl", "--timeout-ms", "20000"]);
    authenticated(&env, "slow@x.org", "pw12345", &[]);
}

/// R5 (issue 9): the login budget holds for the owner pool too. A shadow user signing in by
/// its alias has the other export pools read first (R6: does another source user hold the
/// name?); one that hangs (a FIFO nobody writes) spends the whole budget, is passed over,
/// and the owner pool is then not asked at all: the login is refused source_unavailable,
/// naming the owner and the budget, and nothing is written.
#[test]
fn r5_a_budget_spent_before_the_owner_pool_is_asked_refuses_the_login() {
    let env = Env::new();
    pool(
        &env,
        "kc",
        &fixture("keycloak-realm-export.json"),
        &["--mode", "passthrough"],
    );
    let t = authenticated(&env, "user1@legacy.example.org", "password", &["--commit"]);
    assert_eq!(t["user"]["pool"], "kc", "{t:#}");
    let fifo = env.path("hung.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    pool(
        &env,
        "hung",
        "hung.csv",
        &["--format", "csv", "--timeout-ms", "5000"],
    );
    let before = users(&env, &[]);
    let started = std::time::Instant::now();
    let t = refused(
        &env,
        "user1",
        "password",
        &["--budget-ms", "300", "--commit"],
        "source_unavailable",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
    let msg = t["message"].as_str().unwrap();
    assert!(
        msg.contains("the login budget of 300 ms ran out before pool 'kc' was asked"),
        "{t:#}"
    );
    // The hung pool was read (and passed over), the owner never asked.
    assert!(t.to_string().contains("pool hung"), "{t:#}");
    assert_eq!(users(&env, &[]), before, "nothing written");
}
