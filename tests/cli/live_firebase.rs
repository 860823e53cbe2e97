//! The `firebase` live source against the Firebase Auth emulator (firebase-tools, started by
//! `scripts/with-emulators cargo test --locked` on 127.0.0.1; `POOLS_TEST_FIREBASE` is its address). The emulator is
//! unfaithful in places: it accepts any API key (the missing-key 403 is the only key error
//! it gives), its ID tokens are unsigned, its `passwordHash` holds the password in clear
//! (so the profile must drop it), and email privacy is one switch of its one project (see
//! `firebase_private`). The error mapping of what it cannot produce (TOO_MANY_ATTEMPTS, 5xx,
//! MFA) is unit-tested in crates/pools-live/src/firebase.rs.

use crate::Env;
use crate::live::{
    firebase, firebase_plain, firebase_private, firebase_update, firebase_user, silent_listener,
    unique_email,
};
use crate::login::{
    REFUSED, authenticated, firebase_flags, fixture, login, pool, refused, show, snapshot, steps,
    users, want,
};
use serde_json::{Value, json};

const PASSWORD: &str = "Harbor-lights-9";
/// The pool's Web API key (the emulator takes any): it must never be seen (R11).
const API_KEY: &str = "AIzaSyPoolsTestKey-do-not-print-0042";

/// `live` (firebase at `endpoint`, tenant from `customAttributes.tenantId`), then `later`
/// (an export pool holding `later_users` and someone@later.test, password `hello`).
fn pools_at(env: &Env, endpoint: &str, later_users: &[&str], extra: &[&str]) {
    env.write("fb.key", API_KEY);
    let key = format!("file:{}", env.path("fb.key").display());
    let mut args = vec![
        "create",
        "live",
        "--type",
        "external",
        "--source",
        "firebase",
        "--project-id",
        crate::live::FIREBASE_PROJECT,
        "--api-key",
        &key,
        "--endpoint-url",
        endpoint,
        "--tenant",
        "property:customAttributes.tenantId",
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
    // Never empty (an export pool without users is unavailable, R5).
    let mut csv = format!(
        "email,password_hash\nsomeone@later.test,{}\n",
        crate::import::HELLO_BCRYPT
    );
    for u in later_users {
        csv.push_str(&format!("{u},{}\n", crate::import::HELLO_BCRYPT));
    }
    env.write("later.csv", &csv);
    pool(env, "later", "later.csv", &["--tenant", "fixed:later"]);
}

fn pools(env: &Env, later_users: &[&str], extra: &[&str]) {
    pools_at(env, &firebase(), later_users, extra);
}

/// (call, status, error) of a pool step's exchanges.
fn calls(step: &Value) -> Vec<(String, i64, Option<String>)> {
    step["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["call"].as_str().unwrap().to_owned(),
                e["status"].as_i64().unwrap_or(-1),
                e["error"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn sign_in(status: i64, error: Option<&str>) -> (String, i64, Option<String>) {
    (
        "accounts:signInWithPassword".into(),
        status,
        error.map(str::to_owned),
    )
}

/// R3, R4, R13, R17: a correct password through a jit Firebase pool (signInWithPassword,
/// then accounts:lookup) migrates the user under its email and `localId`, in the tenant of
/// its customAttributes, re-hashed as argon2id; then the local store answers alone, with
/// the source unreachable.
#[test]
fn r13_jit_migrates_from_firebase_then_the_local_store_answers_alone() {
    let _plain = firebase_plain();
    let env = Env::new();
    let email = unique_email("lee");
    let local_id = firebase_user(
        &email,
        PASSWORD,
        json!({"displayName": "Lee Park", "customAttributes": r#"{"tenantId":"umbrella"}"#}),
    );
    pools(&env, &[], &["--mode", "jit"]);
    let t = authenticated(&env, &email, PASSWORD, &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "authenticated"),
            ("tenant", "resolved")
        ])
    );
    assert_eq!(t["steps"][1]["source"], "firebase");
    assert_eq!(
        calls(&t["steps"][1]),
        [sign_in(200, None), ("accounts:lookup".into(), 200, None)]
    );
    assert_eq!(t["user"]["action"], "migrate");
    assert_eq!(
        t["user"]["tenant_id"], "umbrella",
        "R4: from customAttributes.tenantId"
    );
    let shown = show(&env, &email);
    assert_eq!(shown["user"]["origin"], "migrated");
    assert_eq!(
        shown["user"]["external_id"],
        local_id.as_str(),
        "R17: localId"
    );
    assert_eq!(shown["password_scheme"], "argon2id");
    assert_eq!(shown["user"]["profile"]["displayName"], "Lee Park");

    env.ok(&["configure", "live", "--endpoint-url", "http://127.0.0.1:9"]);
    let again = authenticated(&env, &email, PASSWORD, &[]);
    assert_eq!(steps(&again), crate::login::local_only());
}

/// R16: a sync pool refreshes its shadow copy from the accounts:lookup record at the next
/// login: a changed displayName and customAttributes overwrite the local ones.
#[test]
fn r16_sync_refreshes_the_shadow_copy_from_the_lookup_record() {
    let _plain = firebase_plain();
    let env = Env::new();
    let email = unique_email("sync");
    let local_id = firebase_user(
        &email,
        PASSWORD,
        json!({"displayName": "Lee Park", "customAttributes": r#"{"tenantId":"umbrella","plan":"free"}"#}),
    );
    pools(&env, &[], &["--mode", "sync"]);
    let first = authenticated(&env, &email, PASSWORD, &["--commit"]);
    assert_eq!(first["user"]["action"], "create_shadow", "{first:#}");
    // Nothing changed at the source: nothing to refresh (the sign-in's own timestamps are
    // not profile).
    let same = authenticated(&env, &email, PASSWORD, &["--commit"]);
    assert_eq!(same["user"]["action"], "none", "{same:#}");
    firebase_update(
        &local_id,
        json!({"displayName": "Lee P. Park", "customAttributes": r#"{"tenantId":"umbrella","plan":"pro"}"#}),
    );
    let t = authenticated(&env, &email, PASSWORD, &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool live", "authenticated")])
    );
    assert_eq!(t["user"]["action"], "refresh_shadow", "{t:#}");
    let user = &show(&env, &email)["user"];
    assert_eq!(user["origin"], "shadow");
    assert_eq!(user["profile"]["displayName"], "Lee P. Park");
    assert_eq!(user["profile"]["customAttributes"]["plan"], "pro");
}

/// R5: a wrong password (INVALID_PASSWORD) ends the login at the Firebase pool, before any
/// lookup, and the later pool that holds the same email is not asked; an unknown email
/// (EMAIL_NOT_FOUND) moves on to the next pool.
#[test]
fn r5_wrong_password_stops_and_unknown_user_moves_on() {
    let _plain = firebase_plain();
    let env = Env::new();
    let lee = unique_email("lee");
    let bob = unique_email("bob");
    firebase_user(&lee, PASSWORD, json!({}));
    pools(&env, &[&lee, &bob], &[]);
    let t = refused(&env, &lee, "hello", &["--commit"], "wrong_password");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "wrong_password")
        ])
    );
    assert_eq!(
        calls(&t["steps"][1]),
        [sign_in(400, Some("INVALID_PASSWORD"))]
    );
    let t = authenticated(&env, &bob, "hello", &[]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "unknown_identifier"),
            ("pool later", "authenticated"),
            ("tenant", "resolved")
        ])
    );
    assert_eq!(
        calls(&t["steps"][1]),
        [sign_in(400, Some("EMAIL_NOT_FOUND"))]
    );
}

/// R15: a user disabled in Firebase (accounts:update disableUser) is refused
/// `user_disabled` with the right password, is not migrated, and the later pool (which
/// holds the same email) is not asked.
#[test]
fn r15_a_disabled_user_is_refused_and_not_migrated() {
    let _plain = firebase_plain();
    let env = Env::new();
    let off = unique_email("off");
    let local_id = firebase_user(&off, PASSWORD, json!({}));
    firebase_update(&local_id, json!({"disableUser": true}));
    pools(&env, &[&off], &["--mode", "jit"]);
    let t = refused(&env, &off, PASSWORD, &["--commit"], "user_disabled");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "user_disabled")
        ])
    );
    assert_eq!(calls(&t["steps"][1]), [sign_in(400, Some("USER_DISABLED"))]);
    assert!(users(&env, &[]).is_empty(), "migrated a disabled user");
}

/// R5: with email enumeration protection on, Firebase answers INVALID_LOGIN_CREDENTIALS for
/// a wrong password and an unknown email alike: the pool cannot tell, which counts as not
/// recognising, so the next pool is asked (and here holds the user with that password). A
/// right password still authenticates at the Firebase pool.
#[test]
fn r5_invalid_login_credentials_cannot_tell_and_the_next_pool_is_asked() {
    let _private = firebase_private();
    let env = Env::new();
    let lee = unique_email("lee");
    let bob = unique_email("bob");
    firebase_user(
        &lee,
        PASSWORD,
        json!({"customAttributes": r#"{"tenantId":"umbrella"}"#}),
    );
    pools(&env, &[&lee, &bob], &[]);
    for who in [&lee, &bob] {
        let t = authenticated(&env, who, "hello", &[]);
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool live", "cannot_tell"),
                ("pool later", "authenticated"),
                ("tenant", "resolved")
            ]),
            "{who}"
        );
        assert_eq!(
            calls(&t["steps"][1]),
            [sign_in(400, Some("INVALID_LOGIN_CREDENTIALS"))]
        );
    }
    let t = authenticated(&env, &lee, PASSWORD, &[]);
    assert_eq!(t["steps"][1]["answer"], "authenticated", "{t:#}");
    assert_eq!(t["user"]["tenant_id"], "umbrella");
}

/// R5: Firebase down (nothing listens at the endpoint) or hanging (a port that accepts and
/// never answers, the pool's timeout_ms 300) fails the login closed: source_unavailable,
/// exit 6, the later pool (which holds the user) not asked, nothing written; the message
/// names neither the URL's query nor the key (R11).
#[test]
fn r5_firebase_down_or_hanging_fails_closed() {
    let env = Env::new();
    let hung = silent_listener();
    pools_at(&env, "http://127.0.0.1:9", &["lee@x.org"], &[]);
    for (endpoint, needle) in [
        (
            "http://127.0.0.1:9".to_owned(),
            "cannot connect to 127.0.0.1:9",
        ),
        (hung.base.clone(), "timeout_ms of 300 ms"),
    ] {
        env.ok(&[
            "configure",
            "live",
            "--endpoint-url",
            &endpoint,
            "--timeout-ms",
            "300",
        ]);
        let before = snapshot(&env);
        let started = std::time::Instant::now();
        let (code, t) = login(&env, "lee@x.org", "hello", &["--commit"]);
        assert_eq!(code, REFUSED, "{t:#}");
        assert_eq!(t["reason"], "source_unavailable");
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool live", "unavailable")
            ])
        );
        let msg = t["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{t:#}");
        let text = t.to_string();
        assert!(!text.contains("key=") && !text.contains(API_KEY), "{text}");
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
        assert_eq!(before, snapshot(&env));
    }
}

/// R4: `--tenant property:customAttributes.tenantId` reads the same value from a live
/// Firebase user's lookup record as from a Firebase `auth:export` user's record: both
/// profiles have customAttributes parsed into an object (and its keys at the top level).
#[test]
fn r4_custom_attributes_mean_the_same_for_live_and_export_pools() {
    let _plain = firebase_plain();
    let env = Env::new();
    let lee = unique_email("lee");
    firebase_user(
        &lee,
        PASSWORD,
        json!({"customAttributes": r#"{"tenantId": "acme", "plan": "pro"}"#}),
    );
    pools(&env, &[], &["--mode", "jit"]);
    let mut args = vec![
        "create".to_owned(),
        "exported".into(),
        "--type".into(),
        "external".into(),
        "--source".into(),
        "export".into(),
        "--mode".into(),
        "jit".into(),
        "--file".into(),
        fixture("firebase-auth-export.json"),
        "--tenant".into(),
        "property:customAttributes.tenantId".into(),
    ];
    args.extend(firebase_flags());
    env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let live = authenticated(&env, &lee, PASSWORD, &["--commit"]);
    let exported = authenticated(&env, "rosa.marin@example.com", PASSWORD, &["--commit"]);
    assert_eq!(live["steps"][1]["asked"], "pool live");
    assert!(
        steps(&exported).contains(&("pool exported".into(), "authenticated".into())),
        "{exported:#}"
    );
    for (who, t) in [
        (&lee, &live),
        (&"rosa.marin@example.com".to_owned(), &exported),
    ] {
        assert_eq!(t["user"]["tenant_id"], "acme", "{who}: {t:#}");
        let profile = &show(&env, who)["user"]["profile"];
        assert_eq!(
            profile["customAttributes"],
            json!({"tenantId": "acme", "plan": "pro"}),
            "{who}"
        );
        assert_eq!(profile["plan"], "pro", "{who}: merged at the top level");
        assert!(profile.get("passwordHash").is_none() && profile.get("salt").is_none());
    }
}

/// R11: neither the API key, the password, the ID or refresh token (JWTs, `eyJ...`), nor the
/// emulator's password hash (which holds the password) appears in any output, the audit
/// log, the export, `pools check` or the store file; an API key reference that does not
/// resolve is named, never sent.
#[test]
fn r11_no_api_key_password_or_token_leaves_a_firebase_login() {
    let _plain = firebase_plain();
    let env = Env::new();
    let lee = unique_email("lee");
    firebase_user(
        &lee,
        PASSWORD,
        json!({"customAttributes": r#"{"tenantId":"umbrella"}"#}),
    );
    pools(&env, &[], &["--mode", "sync"]);
    let mut outputs = String::new();
    for args in [
        &["simulate-login", &lee, "--password-stdin", "-o", "json"][..],
        &["simulate-login", &lee, "--password-stdin", "--commit", "-v"],
        &[
            "simulate-login",
            &lee,
            "--password-stdin",
            "-o",
            "json",
            "-v",
        ],
        &[
            "simulate-login",
            "nobody@pools.test",
            "--password-stdin",
            "-v",
        ],
    ] {
        let out = env
            .cmd()
            .args(args)
            .write_stdin(format!("{PASSWORD}\n"))
            .output()
            .unwrap();
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(outputs.contains("authenticated"), "{outputs}");
    let check = env.run(&["check", "live", "-o", "json"]);
    let report = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(check.status.success(), "{report}");
    outputs.push_str(&report);
    for args in [
        &["audit", "-o", "json"][..],
        &["export"],
        &["inspect", "live", "-o", "json"],
        &["users", "show", &lee, "-o", "json"],
        &["doctor"],
    ] {
        let out = env.run(args);
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    // A reference that does not resolve: the login says which setting, never a value.
    env.ok(&[
        "configure",
        "live",
        "--api-key",
        "env:FIREBASE_TEST_MISSING_KEY",
    ]);
    let (code, t) = login(&env, &unique_email("new"), PASSWORD, &[]);
    assert_eq!(code, REFUSED);
    let msg = t["message"].as_str().unwrap();
    assert!(msg.contains("FIREBASE_TEST_MISSING_KEY"), "{t:#}");
    assert!(
        t["steps"][1]["exchanges"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "{t:#}"
    );
    let store = env
        .local_store()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .unwrap_or_default();
    for needle in [API_KEY, PASSWORD, "eyJ", "key=", "fakeHash", "passwordHash"] {
        assert!(!outputs.contains(needle), "{needle} in:\n{outputs}");
        assert!(!store.contains(needle), "{needle} in the store file");
    }
}

/// R5, trial finding (issue 10): an API key of another project than the pool's
/// `project_id` (the ID token's audience says which) fails the login closed, naming the
/// project and the fix; nothing is migrated and the later pool, which holds the user, is not
/// asked. Set right, the same login migrates.
#[test]
fn r5_an_api_key_of_another_project_fails_closed() {
    let _plain = firebase_plain();
    let env = Env::new();
    let lee = unique_email("lee");
    firebase_user(
        &lee,
        PASSWORD,
        json!({"customAttributes": r#"{"tenantId":"umbrella"}"#}),
    );
    pools(&env, &[&lee], &["--mode", "jit"]);
    env.ok(&["configure", "live", "--project-id", "prod-project"]);
    let (code, t) = login(&env, &lee, PASSWORD, &["--commit"]);
    assert_eq!(code, REFUSED, "{t:#}");
    let message = t["message"].as_str().unwrap();
    let project = crate::live::FIREBASE_PROJECT;
    assert!(message.contains(&format!("to project {project}")), "{t:#}");
    assert!(
        message.contains(&format!("`pools configure live --project-id {project}`")),
        "{t:#}"
    );
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "unavailable")
        ])
    );
    assert!(users(&env, &[]).is_empty());
    env.ok(&["configure", "live", "--project-id", project]);
    authenticated(&env, &lee, PASSWORD, &["--commit"]);
}

/// R6: Firebase matches emails case-insensitively and answers with the stored spelling: a
/// first login typed in capitals migrates the user under the email the lookup gives, and
/// later logins in any case are the local store's alone.
#[test]
fn r6_an_email_typed_in_capitals_migrates_under_firebases_spelling() {
    let _plain = firebase_plain();
    let env = Env::new();
    let email = unique_email("case");
    firebase_user(
        &email,
        PASSWORD,
        json!({"customAttributes": r#"{"tenantId":"umbrella"}"#}),
    );
    pools(&env, &[], &["--mode", "jit"]);
    let typed = email.to_uppercase();
    let t = authenticated(&env, &typed, PASSWORD, &["--commit"]);
    assert_eq!(t["user"]["identifier"], email.as_str(), "{t:#}");
    assert_eq!(users(&env, &[]).len(), 1);
    for name in [&typed, &email] {
        let again = authenticated(&env, name, PASSWORD, &[]);
        assert_eq!(steps(&again), crate::login::local_only(), "{name}");
    }
}

/// R15: a sync pool's user disabled in Firebase after its shadow copy was made is refused
/// `user_disabled` at the next login, and the local copy is marked disabled too.
#[test]
fn r15_a_sync_user_disabled_later_is_refused_and_its_copy_marked_disabled() {
    let _plain = firebase_plain();
    let env = Env::new();
    let email = unique_email("later-off");
    let local_id = firebase_user(
        &email,
        PASSWORD,
        json!({"customAttributes": r#"{"tenantId":"umbrella"}"#}),
    );
    pools(&env, &[&email], &["--mode", "sync"]);
    let first = authenticated(&env, &email, PASSWORD, &["--commit"]);
    assert_eq!(first["user"]["action"], "create_shadow");
    firebase_update(&local_id, json!({"disableUser": true}));
    let t = refused(&env, &email, PASSWORD, &["--commit"], "user_disabled");
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool live", "user_disabled")]),
        "{t:#}"
    );
    let shown = show(&env, &email);
    assert_eq!(shown["user"]["enabled"], false, "{shown:#}");
}
