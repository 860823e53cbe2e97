//! The `auth0` live source against the Auth0 test double (tests/doubles/auth0.py, Python's
//! standard library; no Auth0 emulator exists) on 127.0.0.1. The double answers the
//! documented endpoints and error shapes the source calls and validates the application's
//! credentials, the realm, the audience and the Management API token; what it cannot give
//! (throttling, 5xx, grants not enabled) is unit-tested in crates/pools-live/src/auth0.rs,
//! as is the Management API token cache (one login per process here).

use crate::Env;
use crate::live::{Served, auth0_double};
use crate::login::{
    REFUSED, authenticated, login, pool, refused, show, snapshot, steps, users, want,
};
use serde_json::{Value, json};

const PASSWORD: &str = "Harbor-lights-9";
/// The application's client secret: it must never be seen (R11).
const CLIENT_SECRET: &str = "a0-client-secret-do-not-print-7731";
const CLIENT_ID: &str = "pools-test-app";
const DOMAIN: &str = "acme.test";
const LEE_ID: &str = "auth0|64b1f0c2a1b2c3d4e5f60001";

fn lee() -> Value {
    json!({"user_id": LEE_ID, "email": "lee@acme.test", "password": PASSWORD,
           "name": "Lee Park", "email_verified": true,
           "app_metadata": {"tenantId": "umbrella", "plan": "free"},
           "user_metadata": {"lang": "en"}})
}

/// The double's tenant file at `tenant.json`: `users`, and `management` (whether the
/// application may get a Management API token).
fn tenant(env: &Env, users: &[Value], management: bool) {
    env.write(
        "tenant.json",
        &json!({"domain": DOMAIN, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "connections": ["Username-Password-Authentication"],
                "management": management, "users": users})
        .to_string(),
    );
}

/// `live` (auth0 at `endpoint`, tenant from `app_metadata.tenantId`), then `later` (an
/// export pool holding `later_users` and someone@later.test, password `hello`).
fn pools(env: &Env, endpoint: &str, later_users: &[&str], extra: &[&str]) {
    env.write("a0.secret", CLIENT_SECRET);
    let secret = format!("file:{}", env.path("a0.secret").display());
    let mut args = vec![
        "create",
        "live",
        "--type",
        "external",
        "--source",
        "auth0",
        "--domain",
        DOMAIN,
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        &secret,
        "--endpoint-url",
        endpoint,
        "--tenant",
        "property:app_metadata.tenantId",
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
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

/// The double over `tenant.json`, and the two pools.
fn setup(env: &Env, users: &[Value], management: bool, later: &[&str], extra: &[&str]) -> Served {
    tenant(env, users, management);
    let served = auth0_double(env, "tenant.json", &[]);
    pools(env, &served.base, later, extra);
    served
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

fn call(name: &str, status: i64, error: Option<&str>) -> (String, i64, Option<String>) {
    (name.into(), status, error.map(str::to_owned))
}

/// R3, R4, R13, R17: a correct password through a jit Auth0 pool (the password-realm grant,
/// a Management API token, then the user from the Management API) migrates the user under
/// its email and `user_id`, in the tenant of its app_metadata, re-hashed as argon2id; then
/// the local store answers alone, with the double stopped.
#[test]
fn r13_jit_migrates_from_auth0_then_the_local_store_answers_alone() {
    let env = Env::new();
    let mut served = setup(&env, &[lee()], true, &[], &["--mode", "jit"]);
    let t = authenticated(&env, "Lee@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "authenticated"),
            ("tenant", "resolved")
        ])
    );
    assert_eq!(t["steps"][1]["source"], "auth0");
    assert_eq!(
        calls(&t["steps"][1]),
        [
            call("oauth/token", 200, None),
            call("oauth/token (client credentials)", 200, None),
            call("users", 200, None),
        ]
    );
    assert_eq!(t["user"]["action"], "migrate", "{t:#}");
    assert_eq!(t["user"]["identifier"], "lee@acme.test");
    assert_eq!(
        t["user"]["tenant_id"], "umbrella",
        "R4: from app_metadata.tenantId"
    );
    let shown = show(&env, "lee@acme.test");
    assert_eq!(shown["user"]["origin"], "migrated");
    assert_eq!(shown["user"]["external_id"], LEE_ID, "R17: user_id");
    assert_eq!(shown["password_scheme"], "argon2id");
    let profile = &shown["user"]["profile"];
    assert_eq!(profile["name"], "Lee Park");
    assert_eq!(profile["user_metadata"]["lang"], "en");
    assert!(profile.get("password").is_none() && profile.get("mfa").is_none());
    assert!(profile.get("logins_count").is_none() && profile.get("last_login").is_none());

    served.stop();
    let again = authenticated(&env, "lee@acme.test", PASSWORD, &[]);
    assert_eq!(steps(&again), crate::login::local_only());
}

/// R16: a sync pool refreshes its shadow copy from the Management API's user at the next
/// login: changed app_metadata and name overwrite the local ones; a login with nothing
/// changed writes nothing (last_login and logins_count, which a login changes, are not
/// profile).
#[test]
fn r16_sync_refreshes_the_shadow_copy_from_the_live_profile() {
    let env = Env::new();
    let _served = setup(&env, &[lee()], true, &[], &["--mode", "sync"]);
    let first = authenticated(&env, "lee@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(first["user"]["action"], "create_shadow", "{first:#}");
    let same = authenticated(&env, "lee@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(same["user"]["action"], "none", "{same:#}");
    let mut changed = lee();
    changed["name"] = json!("Lee P. Park");
    changed["app_metadata"] = json!({"tenantId": "umbrella", "plan": "pro"});
    tenant(&env, &[changed], true);
    let t = authenticated(&env, "lee@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool live", "authenticated")])
    );
    assert_eq!(t["user"]["action"], "refresh_shadow", "{t:#}");
    let user = &show(&env, "lee@acme.test")["user"];
    assert_eq!(user["origin"], "shadow");
    assert_eq!(user["profile"]["name"], "Lee P. Park");
    assert_eq!(user["profile"]["app_metadata"]["plan"], "pro");
}

/// R5: "Wrong email or password." is told apart by users-by-email where the application
/// may read users: a user of the connection holds the email, so it is a wrong password,
/// the login ends there and the later pool holding the same email is not asked; nobody
/// holds it, so the user is unknown and the next pool is asked.
#[test]
fn r5_wrong_password_stops_and_unknown_user_moves_on() {
    let env = Env::new();
    let _served = setup(
        &env,
        &[lee()],
        true,
        &["lee@acme.test", "bob@acme.test"],
        &[],
    );
    let t = refused(
        &env,
        "lee@acme.test",
        "hello",
        &["--commit"],
        "wrong_password",
    );
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "wrong_password")
        ])
    );
    assert_eq!(
        calls(&t["steps"][1]),
        [
            call("oauth/token", 403, Some("invalid_grant")),
            call("oauth/token (client credentials)", 200, None),
            call("users-by-email", 200, None),
        ]
    );
    let t = authenticated(&env, "bob@acme.test", "hello", &[]);
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "unknown_identifier"),
            ("pool later", "authenticated"),
            ("tenant", "resolved")
        ])
    );
    assert_eq!(t["user"]["tenant_id"], "later");
}

/// R5: an application that may not get a Management API token cannot tell an unknown user
/// from a wrong password: that counts as not recognising, so the next pool is asked (and
/// here holds the user with that password).
#[test]
fn r5_without_management_access_the_pool_cannot_tell_and_the_next_is_asked() {
    let env = Env::new();
    let _served = setup(
        &env,
        &[lee()],
        false,
        &["lee@acme.test", "bob@acme.test"],
        &[],
    );
    for who in ["lee@acme.test", "bob@acme.test"] {
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
            [
                call("oauth/token", 403, Some("invalid_grant")),
                call(
                    "oauth/token (client credentials)",
                    403,
                    Some("access_denied")
                ),
            ]
        );
    }
    // The right password still needs the Management API for the profile: fails closed,
    // saying what to grant.
    let (code, t) = login(&env, "lee@acme.test", PASSWORD, &[]);
    assert_eq!(code, REFUSED, "{t:#}");
    assert_eq!(t["reason"], "source_unavailable", "{t:#}");
    assert!(
        t["message"].as_str().unwrap().contains("read:users"),
        "{t:#}"
    );
}

/// R15: a user blocked in Auth0 is refused `user_disabled` and not migrated, the later pool
/// not asked; a user with MFA is refused `challenge_required` naming mfa_required, never
/// authenticated nor migrated.
#[test]
fn r15_blocked_and_mfa_users_are_refused_and_not_migrated() {
    let env = Env::new();
    let mut blocked = lee();
    blocked["blocked"] = json!(true);
    let mfa = json!({"user_id": "auth0|mfa1", "email": "mfa@acme.test", "password": PASSWORD,
                     "mfa": true, "app_metadata": {"tenantId": "umbrella"}});
    let _served = setup(
        &env,
        &[blocked, mfa],
        true,
        &["lee@acme.test", "mfa@acme.test"],
        &["--mode", "jit"],
    );
    let t = refused(
        &env,
        "lee@acme.test",
        PASSWORD,
        &["--commit"],
        "user_disabled",
    );
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "user_disabled")
        ])
    );
    assert_eq!(
        calls(&t["steps"][1]),
        [call("oauth/token", 401, Some("unauthorized"))]
    );
    let t = refused(
        &env,
        "mfa@acme.test",
        PASSWORD,
        &["--commit"],
        "challenge_required",
    );
    assert_eq!(t["steps"].as_array().unwrap().len(), 2, "{t:#}");
    assert!(
        t["message"].as_str().unwrap().contains("mfa_required"),
        "{t:#}"
    );
    assert!(users(&env, &[]).is_empty(), "migrated a refused user");
}

/// R5: the double down (nothing listens) or hanging (--delay-ms 3000 against the pool's
/// timeout_ms 300) fails the login closed: source_unavailable, exit 6, the later pool
/// (which holds the user) not asked, nothing written.
#[test]
fn r5_auth0_down_or_hanging_fails_closed() {
    let env = Env::new();
    tenant(&env, &[lee()], true);
    let mut down = auth0_double(&env, "tenant.json", &[]);
    let base = down.base.clone();
    down.stop();
    pools(&env, &base, &["lee@acme.test"], &[]);
    let check = |what: &str, needle: &str| {
        let before = snapshot(&env);
        let (code, t) = login(&env, "lee@acme.test", "hello", &["--commit"]);
        assert_eq!(code, REFUSED, "{what}: {t:#}");
        assert_eq!(t["reason"], "source_unavailable", "{what}: {t:#}");
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool live", "unavailable")
            ]),
            "{what}"
        );
        let msg = t["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{what}: {msg}");
        assert!(!msg.contains(CLIENT_SECRET), "{what}: {msg}");
        assert_eq!(before, snapshot(&env), "{what}");
    };
    check("down", "cannot connect to 127.0.0.1:");

    let slow = auth0_double(&env, "tenant.json", &["--delay-ms", "3000"]);
    env.ok(&[
        "configure",
        "live",
        "--endpoint-url",
        &slow.base,
        "--timeout-ms",
        "300",
    ]);
    let started = std::time::Instant::now();
    check("hanging", "timeout_ms");
    assert!(started.elapsed() < std::time::Duration::from_millis(2500));
}

/// R4: the tenant is read from the live profile's app_metadata as from an Auth0 export's: a
/// one-element array is its element, a missing one is tenant_unresolved (no fallback here)
/// and nothing is written.
#[test]
fn r4_the_tenant_comes_from_app_metadata() {
    let env = Env::new();
    let ann = json!({"user_id": "auth0|ann", "email": "ann@acme.test", "password": PASSWORD,
                     "app_metadata": {"tenantId": [" initech "]}});
    let none = json!({"user_id": "auth0|none", "email": "none@acme.test", "password": PASSWORD,
                      "app_metadata": {}});
    let _served = setup(&env, &[ann, none], true, &[], &["--mode", "jit"]);
    let t = authenticated(&env, "ann@acme.test", PASSWORD, &[]);
    assert_eq!(t["user"]["tenant_id"], "initech", "{t:#}");
    let before = snapshot(&env);
    refused(
        &env,
        "none@acme.test",
        PASSWORD,
        &["--commit"],
        "tenant_unresolved",
    );
    assert_eq!(before, snapshot(&env));
}

/// R11: a tour through an Auth0 pool leaves neither the client secret, the password nor
/// any token the tenant issued (ID, access and Management API tokens) in any output, the
/// audit log, the export or the store file.
#[test]
fn r11_no_secret_password_or_token_leaves_an_auth0_login() {
    let env = Env::new();
    tenant(&env, &[lee()], true);
    let issued = env.path("issued.txt");
    let served = auth0_double(&env, "tenant.json", &["--issued", issued.to_str().unwrap()]);
    let mut outputs = String::new();
    let out = env
        .cmd()
        .args([
            "create",
            "live",
            "--type",
            "external",
            "--source",
            "auth0",
            "--domain",
            DOMAIN,
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            "-",
            "--endpoint-url",
            &served.base,
            "--mode",
            "sync",
            "--tenant",
            "property:app_metadata.tenantId",
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    outputs.push_str(&String::from_utf8_lossy(&out.stdout));
    outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    for (who, password, args) in [
        ("lee@acme.test", PASSWORD, &["--commit"][..]),
        ("lee@acme.test", PASSWORD, &["-o", "json"]),
        ("lee@acme.test", "wrong", &["-o", "json"]),
        ("nobody@acme.test", PASSWORD, &["-v"]),
    ] {
        let mut a = vec!["simulate-login", who, "--password-stdin"];
        a.extend_from_slice(args);
        let out = env
            .cmd()
            .args(&a)
            .write_stdin(format!("{password}\n"))
            .output()
            .unwrap();
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(outputs.contains("authenticated"), "{outputs}");
    assert!(outputs.contains("wrong_password"), "{outputs}");
    for args in [
        &["audit", "-o", "json"][..],
        &["export"],
        &["inspect", "live", "-o", "json"],
        &["users", "show", "lee@acme.test", "-o", "json"],
        &["doctor"],
    ] {
        let out = env.run(args);
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    let store = env
        .local_store()
        .map(|f| std::fs::read(f).unwrap())
        .unwrap_or_default();
    let store = String::from_utf8_lossy(&store);
    let tokens = std::fs::read_to_string(&issued).unwrap();
    let tokens: Vec<&str> = tokens.lines().collect();
    // Two password logins (ID and access token each), one Management API token per process.
    assert!(tokens.len() >= 4, "{tokens:?}");
    let mut secrets = vec![CLIENT_SECRET, PASSWORD];
    secrets.extend(&tokens);
    for secret in secrets {
        assert!(
            !outputs.contains(secret),
            "{secret} in the output:\n{outputs}"
        );
        assert!(!store.contains(secret), "{secret} in the store file");
    }
}

/// R5: a misconfigured application fails the login closed, saying what to fix: a wrong
/// client secret (invalid_client), a connection that is not the tenant's (the realm), and
/// an application without the Password grant (unauthorized_client). The later pool, which
/// holds the user, is not asked.
#[test]
fn r5_a_misconfigured_application_fails_closed_saying_what_to_fix() {
    let env = Env::new();
    let _served = setup(&env, &[lee()], true, &["lee@acme.test"], &[]);
    let check = |what: &str, code: &str, needle: &str| {
        let (exit, t) = login(&env, "lee@acme.test", "hello", &[]);
        assert_eq!(exit, REFUSED, "{what}: {t:#}");
        assert_eq!(t["reason"], "source_unavailable", "{what}: {t:#}");
        assert_eq!(t["steps"].as_array().unwrap().len(), 2, "{what}: {t:#}");
        assert_eq!(
            t["steps"][1]["exchanges"][0]["error"], code,
            "{what}: {t:#}"
        );
        let msg = t["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{what}: {msg}");
    };
    env.write("a0.secret", "not-the-secret");
    check("wrong secret", "invalid_client", "client_secret");
    env.write("a0.secret", CLIENT_SECRET);
    env.ok(&["configure", "live", "--connection", "Legacy-Users"]);
    check("unknown realm", "access_denied", "connection");
    env.ok(&[
        "configure",
        "live",
        "--connection",
        "Username-Password-Authentication",
    ]);
    let mut conf: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("tenant.json")).unwrap()).unwrap();
    conf["password_grant"] = json!(false);
    env.write("tenant.json", &conf.to_string());
    check("no password grant", "unauthorized_client", "Password grant");
}

/// `pools check` on the double: a well set-up application passes `reachable`,
/// `credentials`, `password_flow` and `management`; one without Management API access fails
/// `management` with the fix naming read:users; a wrong client secret fails `credentials`.
/// No secret in the output (R11).
#[test]
fn check_probes_an_auth0_application() {
    // Local only: `env:` references resolve on the store's side, and the suite's server
    // lacks the variables this test sets (R11 through a server: live_custom::r11_a_tour_through_the_server_leaks_no_secret_password_or_token).
    let env = Env::on(crate::Backend::Sqlite);
    let _served = setup(&env, &[lee()], true, &[], &[]);
    let check = |env: &Env| {
        let out = env.run(&["check", "live", "-o", "json"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(!text.contains(CLIENT_SECRET), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        let probes = v[0]["probes"].as_array().unwrap().clone();
        (out.status.code().unwrap(), probes)
    };
    let find = |probes: &[Value], name: &str| {
        probes
            .iter()
            .find(|p| p["check"] == name)
            .unwrap_or_else(|| panic!("no {name}: {probes:#?}"))
            .clone()
    };
    let (code, probes) = check(&env);
    assert_eq!(code, 0, "{probes:#?}");
    for p in ["reachable", "credentials", "password_flow", "management"] {
        assert_eq!(find(&probes, p)["ok"], true, "{p}: {probes:#?}");
    }
    tenant(&env, &[lee()], false);
    let (code, probes) = check(&env);
    assert_eq!(code, 5);
    let m = find(&probes, "management");
    assert_eq!(m["ok"], false);
    assert!(m["fix"].as_str().unwrap().contains("read:users"), "{m:#}");
    env.write("a0.secret", "not-the-secret");
    let (code, probes) = check(&env);
    assert_eq!(code, 5);
    let c = find(&probes, "credentials");
    assert_eq!(c["ok"], false);
    assert!(
        c["fix"].as_str().unwrap().contains("--client-secret"),
        "{c:#}"
    );
}
