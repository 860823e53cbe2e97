//! `users` and `methods`, and what logins leave behind: read-only sync copies (R7), attribute
//! sync (R16), disabled sync copies (R15), sign-in methods (R8, R9), federation, and no hash
//! in any output (R11).

use crate::login::*;
use crate::sqlite_only;
use crate::*;
use serde_json::{Value, json};

/// `users set-metadata ...`: exit code, stdout, stderr.
fn set_metadata(env: &Env, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["users", "set-metadata"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `users create ID --password-stdin EXTRA...` with `password` piped in.
fn create_user(env: &Env, id: &str, password: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["users", "create", id, "--password-stdin"];
    args.extend_from_slice(extra);
    env.cmd()
        .args(&args)
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap()
}

/// Creates a native user; returns its JSON.
fn native(env: &Env, id: &str, password: &str, extra: &[&str]) -> Value {
    let mut flags = vec!["-o", "json"];
    flags.extend_from_slice(extra);
    let out = create_user(env, id, password, &flags);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `simulate-login ID --claims FILE -o json EXTRA...` (federation: no password).
fn login_with_claims(env: &Env, id: &str, claims: &Value, extra: &[&str]) -> (i32, Value) {
    env.write("claims.json", &id_token(claims).to_string());
    let mut args = vec![
        "simulate-login",
        id,
        "--claims",
        "claims.json",
        "-o",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), trace)
}

/// (available, reason) of one method.
fn avail(methods: &Value, name: &str) -> (bool, String) {
    let m = method(methods, name);
    (
        m["available"].as_bool().unwrap(),
        m["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

fn yes() -> (bool, String) {
    (true, String::new())
}

fn no(reason: &str) -> (bool, String) {
    (false, reason.to_owned())
}

const NOT_ENABLED: &str = "not enabled in this environment (`pools methods enable`)";

/// R7: the local copy of a sync user is read-only for operators: `set-metadata` is refused
/// (exit 5) naming the pool and the rule, and nothing changes; switched to passthrough, the
/// copy becomes editable.
#[test]
fn r7_sync_copy_is_read_only_for_operators() {
    let env = Env::new();
    pool(&env, "mirror", &fixture("users.csv"), &["--mode", "sync"]);
    let t = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    assert_eq!(t["user"]["origin"], "shadow");
    assert_eq!(t["user"]["action"], "create_shadow");
    let shown = show(&env, "abc.user@example.net");
    assert_eq!(shown["user"]["origin"], "shadow");
    assert_eq!(shown["user"]["pool"], "mirror");
    assert_eq!(shown["password_scheme"], Value::Null, "no local password");
    env.write("meta.json", r#"{"plan": "pro"}"#);
    let before = snapshot(&env);
    for args in [
        &["abc.user@example.net", "plan=pro"][..],
        &["ABC.user@example.net", "--file", "meta.json"][..],
    ] {
        let (code, stdout, stderr) = set_metadata(&env, args);
        assert_eq!(code, VALIDATION, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains("R7") && stderr.contains("pool 'mirror'"),
            "{stderr}"
        );
        assert!(stderr.contains("--mode passthrough"), "{stderr}");
    }
    assert_eq!(before, snapshot(&env), "a refused edit changed the store");

    env.ok(&["configure", "mirror", "--mode", "passthrough"]);
    let (code, stdout, stderr) = set_metadata(&env, &["abc.user@example.net", "plan=pro"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(r#"{"plan":"pro"}"#), "{stdout}");
    assert_eq!(
        show(&env, "abc.user@example.net")["user"]["metadata"],
        json!({"plan": "pro"})
    );
}

/// R7: passthrough copies, migrated and native users are editable.
#[test]
fn r7_passthrough_migrated_and_native_users_are_editable() {
    let env = Env::new();
    pool(
        &env,
        "pass",
        &fixture("users.csv"),
        &["--mode", "passthrough"],
    );
    pool(
        &env,
        "move",
        &fixture("auth0-bulk-import.json"),
        &["--mode", "jit"],
    );
    authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    authenticated(&env, "hello.user@example.com", "hello", &["--commit"]);
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    for (id, origin) in [
        ("abc.user@example.net", "shadow"),
        ("hello.user@example.com", "migrated"),
        ("nat@example.com", "native"),
    ] {
        let (code, stdout, stderr) = set_metadata(&env, &[id, "seats=5", "-o", "json"]);
        assert_eq!(code, 0, "{id}: {stderr}");
        assert_eq!(
            serde_json::from_str::<Value>(&stdout).unwrap(),
            json!({"seats": 5})
        );
        let shown = show(&env, id);
        assert_eq!(shown["user"]["origin"], origin, "{id}");
        assert_eq!(shown["user"]["metadata"], json!({"seats": 5}), "{id}");
    }
}

/// An Auth0 bulk import of one user (password: abc) with the given attributes.
fn write_sync_user(env: &Env, attrs: Value) {
    let mut user = json!({
        "email": "sync.user@example.com",
        "user_id": "auth0|sync1",
        "password_hash": BCRYPT_ABC,
        "app_metadata": {"tenantId": "acme"},
    });
    for (k, v) in attrs.as_object().unwrap() {
        user[k] = v.clone();
    }
    env.write("sync.json", &json!([user]).to_string());
}

/// R16: at each login of a sync user, an attribute present at the source overwrites the local
/// one, an absent key keeps the local value, and an explicit null clears it. A dry run writes
/// nothing (R14) and the tenant never follows the profile (R4).
#[test]
fn r16_sync_overwrites_present_keeps_absent_clears_null() {
    let env = Env::new();
    write_sync_user(
        &env,
        json!({"given_name": "Ann", "family_name": "Lee", "nickname": "annie"}),
    );
    pool(
        &env,
        "mirror",
        "sync.json",
        &[
            "--mode",
            "sync",
            "--format",
            "auth0-json",
            "--tenant",
            "property:app_metadata.tenantId",
        ],
    );
    let first = authenticated(&env, "sync.user@example.com", "abc", &["--commit"]);
    assert_eq!(first["user"]["action"], "create_shadow");
    let profile = &show(&env, "sync.user@example.com")["user"]["profile"];
    assert_eq!(profile["given_name"], "Ann");
    assert_eq!(profile["family_name"], "Lee");
    assert_eq!(profile["nickname"], "annie");
    assert!(profile.get("password_hash").is_none(), "{profile:#}");

    // Nothing changed at the source: nothing to refresh.
    let same = authenticated(&env, "sync.user@example.com", "abc", &[]);
    assert_eq!(same["user"]["action"], "none");

    write_sync_user(
        &env,
        json!({"given_name": "Anna", "nickname": null, "app_metadata": {"tenantId": "globex"}}),
    );
    let before = snapshot(&env);
    let dry = authenticated(&env, "sync.user@example.com", "abc", &[]);
    assert_eq!(dry["user"]["action"], "refresh_shadow");
    assert_eq!(dry["committed"], false);
    assert_eq!(before, snapshot(&env), "a dry run refreshed the copy");

    let t = authenticated(&env, "sync.user@example.com", "abc", &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool mirror", "authenticated")])
    );
    assert_eq!(t["user"]["action"], "refresh_shadow");
    assert_eq!(t["committed"], true);
    let user = &show(&env, "sync.user@example.com")["user"];
    let profile = user["profile"].as_object().unwrap();
    assert_eq!(profile["given_name"], "Anna", "present: overwritten");
    assert_eq!(profile["family_name"], "Lee", "absent: kept");
    assert!(
        !profile.contains_key("nickname"),
        "null: cleared: {profile:?}"
    );
    assert_eq!(profile["email"], "sync.user@example.com");
    assert_eq!(profile["app_metadata"], json!({"tenantId": "globex"}));
    assert_eq!(user["tenant_id"], "acme", "the tenant stays (R4)");
    assert_eq!(user["id"], first["user"]["id"]);
}

/// R15: when the source blocks a sync user, the login is refused and the local copy is marked
/// disabled (only when the login is committed, R14); unblocked, it follows again.
#[test]
fn r15_sync_copy_follows_the_source_disabled_flag() {
    let env = Env::new();
    write_sync_user(&env, json!({"name": "Syd"}));
    pool(&env, "mirror", "sync.json", &["--mode", "sync"]);
    authenticated(&env, "sync.user@example.com", "abc", &["--commit"]);
    assert_eq!(show(&env, "sync.user@example.com")["user"]["enabled"], true);

    write_sync_user(&env, json!({"name": "Syd", "blocked": true}));
    let before = snapshot(&env);
    let dry = refused(&env, "sync.user@example.com", "abc", &[], "user_disabled");
    assert_eq!(
        steps(&dry),
        want(&[("local store", "found"), ("pool mirror", "user_disabled")])
    );
    assert_eq!(before, snapshot(&env), "a dry run disabled the copy");

    refused(
        &env,
        "sync.user@example.com",
        "abc",
        &["--commit"],
        "user_disabled",
    );
    assert_eq!(
        show(&env, "sync.user@example.com")["user"]["enabled"],
        false
    );
    assert_eq!(users(&env, &[])[0]["enabled"], false);
    // Still refused while blocked (and not migrated or duplicated).
    refused(
        &env,
        "sync.user@example.com",
        "abc",
        &["--commit"],
        "user_disabled",
    );
    assert_eq!(users(&env, &[]).len(), 1);

    write_sync_user(&env, json!({"name": "Syd", "blocked": false}));
    authenticated(&env, "sync.user@example.com", "abc", &["--commit"]);
    assert_eq!(show(&env, "sync.user@example.com")["user"]["enabled"], true);
}

/// `methods`: all off until enabled; enable and disable report the whole list.
#[test]
fn methods_enable_and_disable() {
    let env = Env::new();
    let list = |args: &[&str]| -> Value {
        let mut all = vec!["methods"];
        all.extend_from_slice(args);
        all.extend(["-o", "json"]);
        serde_json::from_str(&env.ok(&all)).unwrap()
    };
    let off = json!([
        {"method": "social", "enabled": false},
        {"method": "sso", "enabled": false},
        {"method": "passwordless", "enabled": false},
        {"method": "otc", "enabled": false},
        {"method": "sms", "enabled": false},
    ]);
    assert_eq!(list(&[]), off);
    let on = list(&["enable", "otc"]);
    assert_eq!(on[3], json!({"method": "otc", "enabled": true}));
    assert_eq!(
        on.as_array()
            .unwrap()
            .iter()
            .filter(|m| m["enabled"] == true)
            .count(),
        1
    );
    list(&["enable", "social"]);
    assert_eq!(list(&[])[0]["enabled"], true);
    assert_eq!(list(&["disable", "otc"])[3]["enabled"], false);
    let out = env.run(&["methods", "enable", "email"]);
    assert_eq!(out.status.code(), Some(USAGE));
}

/// R8, R9: a passthrough shadow user cannot use one-time codes, SSO or SMS (the report cites
/// R8 and the pool); social and passwordless need both the pool's --allow and the
/// environment. Enabling an R8 method while shadow users exist warns.
#[test]
fn r8_r9_shadow_users_sign_in_methods() {
    let env = Env::new();
    pool(
        &env,
        "pass",
        &fixture("users.csv"),
        &["--mode", "passthrough", "--allow", "social,sso"],
    );
    let t = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    // Nothing enabled yet: only the password.
    let m = &t["sign_in_methods"];
    assert_eq!(m.as_array().unwrap().len(), 6, "{m:#}");
    assert_eq!(avail(m, "password"), yes());
    for name in ["social", "sso", "passwordless", "otc", "sms"] {
        assert_eq!(avail(m, name), no(NOT_ENABLED), "{name}");
    }
    for name in ["social", "sso", "passwordless", "otc", "sms"] {
        let out = env.run(&["methods", "enable", name]);
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        if ["sso", "otc", "sms"].contains(&name) {
            assert!(
                stderr.contains(&format!(
                    "warning: 1 user(s) stored externally by pools cannot use {name} (R8)"
                )),
                "{name}: {stderr}"
            );
        } else {
            assert!(!stderr.contains("R8"), "{name}: {stderr}");
        }
    }
    let r8 = "R8: the user is stored externally by pool pass (passthrough)";
    let t = authenticated(&env, "abc.user@example.net", "abc", &[]);
    let shown = show(&env, "abc.user@example.net");
    for m in [&t["sign_in_methods"], &shown["sign_in_methods"]] {
        assert_eq!(avail(m, "password"), yes());
        assert_eq!(avail(m, "social"), yes(), "allowed by the pool and enabled");
        assert_eq!(avail(m, "sso"), no(r8), "R8 wins over --allow sso");
        assert_eq!(avail(m, "otc"), no(r8));
        assert_eq!(avail(m, "sms"), no(r8));
        assert_eq!(
            avail(m, "passwordless"),
            no("R9: pool pass does not allow it (--allow)")
        );
    }
    // R9: the environment must enable it too.
    env.ok(&["methods", "disable", "social"]);
    assert_eq!(
        avail(
            &show(&env, "abc.user@example.net")["sign_in_methods"],
            "social"
        ),
        no(NOT_ENABLED)
    );
    // R9: and the pool must allow it.
    env.ok(&["methods", "enable", "social"]);
    env.ok(&["configure", "pass", "--allow", "none"]);
    let m = show(&env, "abc.user@example.net")["sign_in_methods"].clone();
    assert_eq!(
        avail(&m, "social"),
        no("R9: pool pass does not allow it (--allow)")
    );
    assert_eq!(avail(&m, "otc"), no(r8));
    // A sync copy is stored externally as well.
    env.ok(&[
        "configure",
        "pass",
        "--mode",
        "sync",
        "--allow",
        "passwordless",
    ]);
    let m = show(&env, "abc.user@example.net")["sign_in_methods"].clone();
    assert_eq!(
        avail(&m, "otc"),
        no("R8: the user is stored externally by pool pass (sync)")
    );
    assert_eq!(avail(&m, "passwordless"), yes());
}

/// R8: native users get every method the environment enables; migrated users are local too
/// (one-time codes and SMS), with social/SSO/passwordless still subject to their pool (R9).
#[test]
fn r8_native_and_migrated_users_get_local_methods() {
    let env = Env::new();
    pool(
        &env,
        "move",
        &fixture("users.csv"),
        &["--mode", "jit", "--allow", "sso"],
    );
    for name in ["social", "sso", "passwordless", "otc", "sms"] {
        env.ok(&["methods", "enable", name]);
    }
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    let t = authenticated(&env, "nat@example.com", "Native-pass-1", &[]);
    assert_eq!(steps(&t), local_only());
    assert_eq!(t["steps"][0]["detail"], "native user");
    assert_eq!(t["user"]["origin"], "native");
    for m in [
        &t["sign_in_methods"],
        &show(&env, "nat@example.com")["sign_in_methods"],
    ] {
        for name in ["password", "social", "sso", "passwordless", "otc", "sms"] {
            assert_eq!(avail(m, name), yes(), "{name}");
        }
    }
    env.ok(&["methods", "disable", "sms"]);
    assert_eq!(
        avail(&show(&env, "nat@example.com")["sign_in_methods"], "sms"),
        no(NOT_ENABLED)
    );

    let t = authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    let m = &t["sign_in_methods"];
    assert_eq!(avail(m, "password"), yes());
    assert_eq!(avail(m, "otc"), yes());
    assert_eq!(avail(m, "sso"), yes());
    assert_eq!(avail(m, "sms"), no(NOT_ENABLED));
    assert_eq!(
        avail(m, "social"),
        no("R9: pool move does not allow it (--allow)")
    );
}

/// Federation (idp pools, R8): claims an IdP returns, with the pool's issuer, authenticate as
/// a shadow user whose tenant comes from the claim; the password is not available to it, nor
/// are one-time codes. Claims of another issuer are not this pool's.
#[test]
fn r8_idp_claims_make_a_federated_shadow_with_the_claim_tenant() {
    let env = Env::new();
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
        "--tenant-claim",
        "org",
    ]);
    env.ok(&["methods", "enable", "otc"]);
    let claims = json!({
        "iss": "https://id.example.org",
        "sub": "00u1fed",
        "aud": "cid",
        "email": "Fed.User@Example.org",
        "email_verified": true,
        "org": " umbrella ",
    });
    // Another issuer's token is not recognised by the pool.
    let mut other = claims.clone();
    other["iss"] = json!("https://evil.example.com");
    let (code, t) = login_with_claims(&env, "fed.user@example.org", &other, &["--commit"]);
    assert_eq!(code, REFUSED);
    assert_eq!(t["reason"], "unknown_user");
    // The trace says why the pool did not take them.
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool corp", "not_asked")
        ])
    );
    let detail = t["steps"][1]["detail"].as_str().unwrap();
    assert!(
        detail.contains("https://evil.example.com") && detail.contains("https://id.example.org"),
        "{detail}"
    );
    // Claims for someone else do not log this identifier in, and the trace says so.
    let (code, t) = login_with_claims(&env, "other.user@example.org", &claims, &[]);
    assert_eq!(
        (code, t["reason"].as_str()),
        (REFUSED, Some("unknown_user"))
    );
    assert!(
        t["steps"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("another user's"),
        "{t:#}"
    );
    // An unverified email is no credential.
    let mut unverified = claims.clone();
    unverified["email_verified"] = json!(false);
    let (code, t) = login_with_claims(&env, "fed.user@example.org", &unverified, &["--commit"]);
    assert_eq!(
        (code, t["reason"].as_str()),
        (REFUSED, Some("no_credential"))
    );
    assert!(identifiers(&env, &[]).is_empty());

    let (code, t) = login_with_claims(&env, "fed.user@example.org", &claims, &["--commit"]);
    assert_eq!(code, 0, "{t:#}");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool corp", "authenticated"),
            ("tenant", "resolved"),
        ])
    );
    assert_eq!(t["steps"][1]["source"], "oidc");
    let u = &t["user"];
    assert_eq!(u["origin"], "shadow");
    assert_eq!(u["pool"], "corp");
    assert_eq!(u["action"], "create_shadow");
    assert_eq!(u["tenant_id"], "umbrella");
    assert_eq!(u["tenant_resolution"], "property:org");
    let shown = show(&env, "FED.user@example.org");
    assert_eq!(shown["user"]["external_id"], "00u1fed");
    assert_eq!(shown["user"]["tenant_id"], "umbrella");
    assert_eq!(shown["password_scheme"], Value::Null);
    for m in [&t["sign_in_methods"], &shown["sign_in_methods"]] {
        assert_eq!(
            avail(m, "password"),
            no("signs in on the IdP's own page (federation)")
        );
        assert_eq!(
            avail(m, "otc"),
            no("R8: the user is stored externally by pool corp (passthrough)")
        );
    }
    // The next login goes to the owner pool.
    let (code, t) = login_with_claims(&env, "fed.user@example.org", &claims, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool corp", "authenticated")])
    );
    assert_eq!(identifiers(&env, &[]).len(), 1);
    // Neither a password nor claims: a usage error.
    let out = env.run(&["simulate-login", "fed.user@example.org"]);
    assert_eq!(out.status.code(), Some(USAGE));
}

/// `users create`: a native user with an argon2id password, in a new tenant or the one given;
/// a second user with the same identifier in another case is a conflict (R6), and bad input is
/// refused without writing.
#[test]
fn users_create_native_and_refuse_duplicates() {
    let env = Env::new();
    let u = native(&env, "Alice@Example.com", "Alice-pass-1", &[]);
    assert_eq!(u["identifier"], "Alice@Example.com");
    assert_eq!(u["origin"], "native");
    assert_eq!(u["pool"], Value::Null);
    assert_eq!(u["enabled"], true);
    assert_eq!(u["tenant_resolution"], "auto (new tenant)");
    assert!(u["tenant_id"].as_str().unwrap().starts_with("tn_"));
    assert!(u.get("password_hash").is_none(), "{u:#}");
    let shown = show(&env, "alice@example.com");
    assert_eq!(shown["password_scheme"], "argon2id");
    assert_eq!(shown["user"]["id"], u["id"]);
    assert_eq!(shown["user"]["last_login_at"], Value::Null);

    let b = native(
        &env,
        " bob@example.com ",
        "Bob-pass-1",
        &["--tenant", " acme "],
    );
    assert_eq!(b["identifier"], "bob@example.com");
    assert_eq!(b["tenant_id"], "acme");
    assert_eq!(b["tenant_resolution"], "fixed (--tenant)");

    let before = snapshot(&env);
    for id in ["ALICE@example.com", " alice@EXAMPLE.COM"] {
        let out = create_user(&env, id, "Other-pass-2", &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(CONFLICT), "{id}: {stderr}");
        assert!(
            stderr
                .contains("a user with identifier 'Alice@Example.com' exists already (native, R6)"),
            "{stderr}"
        );
    }
    assert_eq!(before, snapshot(&env), "a refused duplicate was written");
    // R6: one identifier in NFC and in NFD is one user.
    native(&env, "ren\u{e9}@example.net", "Rene-pass-1", &[]);
    let before = snapshot(&env);
    let out = create_user(&env, " RENE\u{301}@example.net", "Other-pass-2", &[]);
    assert_eq!(out.status.code(), Some(CONFLICT));
    // F21: an empty password is a usage error (its input is at fault, not a rule).
    let out = create_user(&env, "carol@example.com", "", &[]);
    assert_eq!(out.status.code(), Some(USAGE));
    let out = create_user(&env, "   ", "Carol-pass-1", &[]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    let out = env.run(&["users", "create", "carol@example.com"]);
    assert_eq!(out.status.code(), Some(USAGE));
    assert_eq!(before, snapshot(&env));
    // The old password still works, the one of the refused duplicate does not.
    authenticated(&env, "alice@example.com", "Alice-pass-1", &[]);
    refused(
        &env,
        "alice@example.com",
        "Other-pass-2",
        &[],
        "wrong_password",
    );
}

/// R17: a native user and a pool user with the same identifier meet on one record: the pool is
/// never asked for it, and `users create` refuses an identifier a login created.
#[test]
fn r17_native_user_and_pool_user_meet_on_one_record() {
    let env = Env::new();
    pool(&env, "legacy", &fixture("users.csv"), &["--mode", "jit"]);
    native(&env, "ABC.user@example.net", "Native-pass-1", &[]);
    refused(
        &env,
        "abc.user@example.net",
        "abc",
        &["--commit"],
        "wrong_password",
    );
    let t = authenticated(&env, "abc.user@example.net", "Native-pass-1", &["--commit"]);
    assert_eq!(steps(&t), local_only());
    authenticated(&env, "django.user@example.net", "lètmein", &["--commit"]);
    let out = create_user(&env, "Django.User@example.net", "X-pass-1", &[]);
    assert_eq!(out.status.code(), Some(CONFLICT));
    assert!(String::from_utf8_lossy(&out.stderr).contains("(migrated, R6)"));
    assert_eq!(
        identifiers(&env, &[]),
        ["ABC.user@example.net", "django.user@example.net"]
    );
}

/// `users list` filters by pool and origin; `users show` of an unknown user is not found.
#[test]
fn users_list_filters_and_show_unknown() {
    let env = Env::new();
    pool(&env, "move", &fixture("users.csv"), &["--mode", "jit"]);
    pool(
        &env,
        "pass",
        &fixture("auth0-bulk-import.json"),
        &["--mode", "passthrough"],
    );
    assert!(identifiers(&env, &[]).is_empty());
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    authenticated(&env, "abc.user@example.net", "abc", &["--commit"]);
    authenticated(&env, "django.user@example.net", "lètmein", &["--commit"]);
    authenticated(&env, "hello.user@example.com", "hello", &["--commit"]);
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[],
            &[
                "abc.user@example.net",
                "django.user@example.net",
                "hello.user@example.com",
                "nat@example.com",
            ],
        ),
        (&["--origin", "native"], &["nat@example.com"]),
        (
            &["--origin", "migrated"],
            &["abc.user@example.net", "django.user@example.net"],
        ),
        (&["--origin", "shadow"], &["hello.user@example.com"]),
        (
            &["--pool", "move"],
            &["abc.user@example.net", "django.user@example.net"],
        ),
        (&["--pool", "pass"], &["hello.user@example.com"]),
        (&["--pool", "pass", "--origin", "migrated"], &[]),
    ];
    for (filters, want) in cases {
        assert_eq!(identifiers(&env, filters), *want, "{filters:?}");
    }
    let out = env.run(&["users", "list", "--origin", "alien"]);
    assert_eq!(out.status.code(), Some(USAGE));
    // Table output: one row per user, and a note when none match.
    let table = env.ok(&["users", "list", "--pool", "move"]);
    assert_eq!(table.lines().count(), 3, "{table}");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0][..3], ["IDENTIFIER", "ORIGIN", "POOL"], "{table}");
    assert_eq!(rows[1][..3], ["abc.user@example.net", "migrated", "move"]);
    assert_eq!(
        rows[2][..3],
        ["django.user@example.net", "migrated", "move"]
    );
    // An unknown pool is "not found" (robustness::pool_filters_name_existing_pools).
    let out = env.run(&["users", "list", "--pool", "pass", "--origin", "migrated"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no users match"));

    let out = env.run(&["users", "show", " Nobody@example.com "]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(NOT_FOUND), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("user 'Nobody@example.com'"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// `users set-metadata`: KEY=VALUE pairs (JSON values when they parse) merge into the
/// metadata; --file merges an object where null removes a key; bad input changes nothing.
#[test]
fn users_set_metadata_pairs_and_file() {
    let env = Env::new();
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    let meta = |env: &Env| show(env, "nat@example.com")["user"]["metadata"].clone();
    let (code, stdout, stderr) = set_metadata(
        &env,
        &[
            "NAT@example.com",
            "plan=pro",
            "seats=5",
            r#"tags=["a","b"]"#,
            "note=hello world",
            " flag =true",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let want =
        json!({"plan": "pro", "seats": 5, "tags": ["a", "b"], "note": "hello world", "flag": true});
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), want);
    assert_eq!(meta(&env), want);

    env.write(
        "meta.json",
        r#"{"seats": null, "team": {"name": "x"}, "plan": "team"}"#,
    );
    let (code, stdout, _) = set_metadata(
        &env,
        &["nat@example.com", "--file", "meta.json", "-o", "json"],
    );
    assert_eq!(code, 0);
    let want = json!({"plan": "team", "tags": ["a", "b"], "note": "hello world", "flag": true, "team": {"name": "x"}});
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), want);
    assert_eq!(meta(&env), want);

    env.write("bad.json", "{\"a\": ");
    env.write("array.json", "[1]");
    let before = snapshot(&env);
    let bad: &[(&[&str], i32)] = &[
        (&["nat@example.com"], USAGE),
        (&["nat@example.com", "novalue"], USAGE),
        (&["nat@example.com", "=x"], USAGE),
        (&["nat@example.com", "a=1", "--file", "meta.json"], USAGE),
        (&["nat@example.com", "--file", "bad.json"], VALIDATION),
        (&["nat@example.com", "--file", "array.json"], VALIDATION),
        (&["nat@example.com", "--file", "absent.json"], VALIDATION),
        (&["nobody@example.com", "a=1"], NOT_FOUND),
    ];
    for (args, code) in bad {
        let (got, _, stderr) = set_metadata(&env, args);
        assert_eq!(got, *code, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
    assert_eq!(before, snapshot(&env));
}

/// R11: no password hash (nor hash material of the exports) appears in any output of a tour of
/// native, migrated and shadow users, in every output format.
#[test]
fn r11_no_password_hash_in_any_output() {
    let env = Env::new();
    let fb = firebase_flags();
    let mut flags = vec!["--mode", "jit"];
    flags.extend(fb.iter().map(String::as_str));
    pool(&env, "fb", &fixture("firebase-auth-export.json"), &flags);
    pool(
        &env,
        "a0",
        &fixture("auth0-bulk-import.json"),
        &["--mode", "sync"],
    );
    pool(
        &env,
        "csv",
        &fixture("users.csv"),
        &["--mode", "passthrough"],
    );
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    let logins = [
        ("nat@example.com", "Native-pass-1"),
        ("user1@test.com", "user1password"),
        ("hello.user@example.com", "hello"),
        ("argon.user@example.com", "password"),
        ("abc.user@example.net", "abc"),
        ("argon.i@example.net", "password"),
        ("blocked.user@example.com", "Closed-door-5"),
    ];
    let mut outputs = Vec::new();
    for (id, password) in logins {
        for format in ["json", "table", "yaml"] {
            let mut args = vec!["simulate-login", id, "--password-stdin", "-o", format];
            if format == "json" {
                args.push("--commit");
            }
            let out = env
                .cmd()
                .args(&args)
                .write_stdin(format!("{password}\n"))
                .output()
                .unwrap();
            outputs.push(out.stdout);
            outputs.push(out.stderr);
        }
        for format in ["json", "table", "yaml"] {
            let out = env.run(&["users", "show", id, "-o", format]);
            outputs.push(out.stdout);
            outputs.push(out.stderr);
        }
    }
    for args in [
        &["users", "list", "-o", "json"][..],
        &["users", "list", "-o", "yaml"][..],
        &["users", "list"][..],
        &["export"][..],
        &["list", "-o", "json"][..],
        &[
            "users",
            "set-metadata",
            "abc.user@example.net",
            "k=v",
            "-o",
            "json",
        ][..],
    ] {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}");
        outputs.push(out.stdout);
        outputs.push(out.stderr);
    }
    let native_out = create_user(&env, "other@example.com", "Other-pass-1", &["-o", "json"]);
    outputs.push(native_out.stdout);
    outputs.push(native_out.stderr);
    assert_eq!(identifiers(&env, &[]).len(), 7, "the tour made its users");
    let text: String = outputs
        .iter()
        .map(|o| String::from_utf8_lossy(o).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "$argon2",
        "$2a$",
        "$2b$",
        "pbkdf2_sha256$",
        "$pbkdf2",
        "lSrfV15cpx95",
        "42xEC+ixf3L2lw==",
        "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "Native-pass-1",
        "user1password",
    ] {
        assert!(!text.contains(needle), "{needle:?} appears in an output");
    }
    // The scheme, not the hash, is what is shown.
    assert!(
        text.contains("******** (argon2id)"),
        "table view of users show"
    );
}

/// R12: concurrent `set-metadata` edits of one user are each applied or refused as a conflict
/// (exit 4); none is silently lost.
#[test]
fn r12_concurrent_metadata_edits_are_never_lost() {
    use std::process::Stdio;
    let env = Env::new();
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    let children: Vec<_> = (0..8)
        .map(|i| {
            env.std_cmd()
                .args([
                    "users",
                    "set-metadata",
                    "nat@example.com",
                    &format!("k{i}={i}"),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = serde_json::Map::new();
    for (i, c) in children.into_iter().enumerate() {
        let out = c.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => {
                applied.insert(format!("k{i}"), json!(i));
            }
            Some(CONFLICT) => {
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(stderr.contains("R12"), "{stderr}");
            }
            other => panic!("{other:?}: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
    assert!(!applied.is_empty());
    assert_eq!(
        show(&env, "nat@example.com")["user"]["metadata"],
        Value::Object(applied)
    );
}

/// R6, R17: the IdP authenticates one subject under any of its names (email,
/// preferred_username, sub); logging in by each must reach one local user, not one per name
/// (each in its own new tenant).
#[test]
fn r17_one_idp_subject_is_one_local_user_by_any_of_its_names() {
    let env = Env::new();
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
    ]);
    let claims = json!({
        "iss": "https://id.example.org",
        "sub": "00u1fed",
        "email": "fed.user@example.org",
        "preferred_username": "fed",
    });
    let (code, first) = login_with_claims(&env, "fed.user@example.org", &claims, &["--commit"]);
    assert_eq!(code, 0, "{first:#}");
    let id = first["user"]["id"].as_str().unwrap().to_owned();
    for name in ["fed", "00u1fed", "FED.user@example.org"] {
        let (code, t) = login_with_claims(&env, name, &claims, &["--commit"]);
        assert_eq!(code, 0, "{name}: {t:#}");
        assert_eq!(t["user"]["id"], id.as_str(), "{name}: {t:#}");
        assert_eq!(
            steps(&t),
            want(&[("local store", "found"), ("pool corp", "authenticated")]),
            "{name}"
        );
    }
    assert_eq!(identifiers(&env, &[]), ["fed.user@example.org"]);
}

/// Federation: an ID token always names its issuer (OpenID Connect Core 1.0 §2, `iss`
/// REQUIRED), and a pool accepts only its own issuer's tokens. Claims without a string `iss`
/// are nobody's: the first idp pool in the order must not take them, and nothing is written.
#[test]
fn idp_claims_without_an_issuer_are_not_accepted() {
    let env = Env::new();
    for (name, issuer) in [
        ("corp", "https://id.example.org"),
        ("other", "https://other.example.com"),
    ] {
        env.ok(&[
            "create",
            name,
            "--type",
            "idp",
            "--issuer",
            issuer,
            "--client-id",
            "cid",
            "--client-secret",
            "env:IDP_SECRET",
        ]);
    }
    let before = snapshot(&env);
    for iss in [None, Some(json!(42)), Some(json!(null))] {
        let mut claims = json!({"sub": "00u1fed", "email": "fed.user@example.org"});
        if let Some(v) = iss.clone() {
            claims["iss"] = v;
        }
        let (code, t) = login_with_claims(&env, "fed.user@example.org", &claims, &["--commit"]);
        assert_eq!(code, REFUSED, "iss {iss:?}: {t:#}");
        assert_eq!(t["reason"], "unknown_user", "iss {iss:?}: {t:#}");
        assert_eq!(
            steps(&t),
            want(&[
                ("local store", "unknown_identifier"),
                ("pool corp", "not_asked"),
                ("pool other", "not_asked"),
            ]),
            "iss {iss:?}"
        );
        assert!(
            t["steps"][1]["detail"].as_str().unwrap().contains("`iss`"),
            "{t:#}"
        );
    }
    assert_eq!(before, snapshot(&env));
}

/// F10 (issue 8), R6, R17: an ID token always has a string `sub` (OpenID Connect Core 1.0
/// §2). Claims of the pool's issuer without one (missing, a number, empty, null) are no
/// usable credential: the login is refused (`no_credential`, exit 6) and, with --commit,
/// writes no shadow copy that a later token with any `sub` and that email would take over.
/// A later token of another subject for a user created with a `sub` is a collision.
#[test]
fn f10_idp_claims_without_a_string_sub_are_refused() {
    let env = Env::new();
    env.ok(&[
        "create",
        "idp",
        "--type",
        "idp",
        "--issuer",
        "https://i.example.com",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
        "--tenant-claim",
        "org",
    ]);
    let before = snapshot(&env);
    for sub in [
        None,
        Some(json!(12345)),
        Some(json!("")),
        Some(json!(" ")),
        Some(Value::Null),
    ] {
        let mut claims =
            json!({"iss": "https://i.example.com", "email": "i@corp.example.org", "org": "o1"});
        if let Some(v) = sub.clone() {
            claims["sub"] = v;
        }
        let (code, t) = login_with_claims(&env, "i@corp.example.org", &claims, &["--commit"]);
        assert_eq!(code, REFUSED, "sub {sub:?}: {t:#}");
        assert_eq!(t["reason"], "no_credential", "sub {sub:?}: {t:#}");
        assert!(t["message"].as_str().unwrap().contains("`sub`"), "{t:#}");
    }
    assert_eq!(before, snapshot(&env), "nothing written");
    let ok = json!({"iss": "https://i.example.com", "sub": "s1", "email": "i@corp.example.org", "org": "o1"});
    let (code, t) = login_with_claims(&env, "i@corp.example.org", &ok, &["--commit"]);
    assert_eq!(code, 0, "{t:#}");
    let attacker = json!({"iss": "https://i.example.com", "sub": "attacker-sub", "email": "i@corp.example.org", "org": "o9"});
    let (code, t) = login_with_claims(&env, "i@corp.example.org", &attacker, &[]);
    assert_eq!(
        (code, t["reason"].as_str()),
        (REFUSED, Some("identifier_collision")),
        "{t:#}"
    );
}

/// F10 (issue 8): a claim named twice (`"sub":"s5","sub":"s6"`) is refused as an input error
/// naming the claim and its place (exit 5, RFC 7519 §4), never read as the last one; so is a
/// key repeated inside a nested claim, and in `users set-metadata --file`.
#[test]
fn f10_a_claim_named_twice_is_refused() {
    let env = Env::new();
    env.ok(&[
        "create",
        "idp",
        "--type",
        "idp",
        "--issuer",
        "https://i.example.com",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
    ]);
    let before = snapshot(&env);
    for text in [
        r#"{"iss":"https://i.example.com","sub":"s5","sub":"s6","email":"n@corp.example.org"}"#,
        r#"{"iss":"https://i.example.com","sub":"s5","email":"n@corp.example.org","address":{"country":"a","country":"b"}}"#,
    ] {
        env.write("dup.json", text);
        let stderr = env.refused(
            &[
                "simulate-login",
                "n@corp.example.org",
                "--claims",
                "dup.json",
                "--commit",
            ],
            VALIDATION,
            &["--claims", "dup.json:1:", "appears twice"],
        );
        assert!(stderr.contains("hint:"), "{stderr}");
    }
    assert_eq!(before, snapshot(&env));
    env.cmd()
        .args(["users", "create", "m@x.org", "--password-stdin"])
        .write_stdin("Native-pass-1\n")
        .assert()
        .success();
    env.write("meta.json", r#"{"plan": "gold", "plan": "free"}"#);
    env.refused(
        &["users", "set-metadata", "m@x.org", "--file", "meta.json"],
        VALIDATION,
        &["--file", r#"key "plan" appears twice"#],
    );
}

/// F10 (issue 8): issuers compare exactly (OpenID Connect Core 1.0 §3.1.3.7): a token whose
/// `iss` has a trailing `/` the pool's issuer lacks, or the other way round, or another case,
/// is not this pool's (`not_asked`, the login unknown), and the pool's issuer is kept exactly
/// as written, `/` included, so a token of an issuer such as `https://tenant.auth0.com/`
/// matches.
#[test]
fn f10_issuers_compare_exactly() {
    let env = Env::new();
    for (name, issuer, domain) in [
        ("bare", "https://i.example.com", "i.example.org"),
        ("slash", "https://s.example.com/", "s.example.org"),
    ] {
        env.ok(&[
            "create",
            name,
            "--type",
            "idp",
            "--issuer",
            issuer,
            "--client-id",
            "cid",
            "--client-secret",
            "env:IDP_SECRET",
            "--domains",
            domain,
        ]);
    }
    let exported = env.export();
    assert!(
        exported.contains("issuer: https://i.example.com\n")
            && exported.contains("issuer: https://s.example.com/\n"),
        "{exported}"
    );
    for (user, iss, ok) in [
        ("u@i.example.org", "https://i.example.com", true),
        ("u@i.example.org", "https://i.example.com/", false),
        ("u@i.example.org", "https://I.example.com", false),
        ("u@s.example.org", "https://s.example.com/", true),
        ("u@s.example.org", "https://s.example.com", false),
    ] {
        let claims = json!({"iss": iss, "sub": "s1", "email": user});
        let (code, t) = login_with_claims(&env, user, &claims, &[]);
        if ok {
            assert_eq!(code, 0, "{iss}: {t:#}");
        } else {
            assert_eq!(
                (code, t["reason"].as_str()),
                (REFUSED, Some("unknown_user")),
                "{iss}: {t:#}"
            );
            let not_asked = t["steps"].as_array().unwrap().iter().any(|s| {
                s["answer"] == "not_asked" && s["detail"].as_str().unwrap().contains("exactly")
            });
            assert!(not_asked, "{iss}: {t:#}");
        }
    }
}

/// R6, R17, R4: concurrent first federated logins of one IdP subject, under its email and
/// its preferred_username, make one shadow user in one auto tenant.
#[test]
fn r17_concurrent_federated_logins_make_one_user_in_one_tenant() {
    use std::process::Stdio;
    let env = Env::new();
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
        "--tenant",
        "auto",
    ]);
    env.write(
        "claims.json",
        &id_token(&json!({
            "iss": "https://id.example.org",
            "sub": "00u1fed",
            "email": "fed.user@example.org",
            "preferred_username": "fed",
        }))
        .to_string(),
    );
    let children: Vec<_> = (0..12)
        .map(|i| {
            let name = ["fed.user@example.org", "fed", "FED.User@example.org"][i % 3];
            env.std_cmd()
                .args([
                    "simulate-login",
                    name,
                    "--claims",
                    "claims.json",
                    "--commit",
                    "-o",
                    "json",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let traces: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect();
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["origin"], "shadow");
    assert_eq!(all[0]["external_id"], "00u1fed");
    let tenant = all[0]["tenant_id"].as_str().unwrap();
    assert!(tenant.starts_with("tn_"), "{tenant}");
    for t in &traces {
        assert_eq!(t["user"]["id"], all[0]["id"], "{t:#}");
        assert_eq!(t["user"]["tenant_id"], tenant, "{t:#}");
    }
    // The store's own tables: on SQLite only.
    if let Some(db) = sqlite_only::db(&env) {
        let made: i64 = db
            .query_row("SELECT count(*) FROM tenants", [], |r| r.get(0))
            .unwrap();
        assert_eq!(made, 1, "one auto tenant");
    }
}

/// R5, R8: a federated login (claims, no password) is answered by the idp pool that issued
/// the claims, even when password pools come first: an export pool that knows the email does
/// not own it (no "wrong password" without a password), a live one is not asked.
#[test]
fn claims_go_to_the_idp_pool_past_password_pools() {
    let env = Env::new();
    env.write(
        "u.csv",
        "email,password_hash\nfed.user@example.org,$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K\n",
    );
    env.ok(&[
        "create",
        "ex",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--mode",
        "jit",
        "--tenant",
        "fixed:acme",
    ]);
    env.ok(&[
        "create",
        "live",
        "--type",
        "external",
        "--source",
        "auth0",
        "--domain",
        "acme.auth0.com",
        "--client-id",
        "c",
        "--client-secret",
        "env:S",
        "--tenant",
        "fixed:acme",
    ]);
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
        "--tenant",
        "fixed:corp",
    ]);
    let claims =
        json!({"iss": "https://id.example.org", "sub": "s1", "email": "fed.user@example.org"});
    let (code, t) = login_with_claims(&env, "fed.user@example.org", &claims, &[]);
    assert_eq!(code, 0, "{t:#}");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool ex", "not_asked"),
            ("pool live", "not_asked"),
            ("pool corp", "authenticated"),
            ("tenant", "resolved"),
        ])
    );
}

/// Issue 8 (R6): `users show` lists the user's aliases, its other login names: a line per
/// alias in the table, and `aliases` always present in JSON (`[]` for none).
#[test]
fn users_show_lists_aliases() {
    let env = Env::new();
    pool(&env, "kc", &fixture("keycloak-realm-export.json"), &[]);
    env.ok(&["users", "import", "--pool", "kc", "-q"]);
    native(&env, "nat@example.com", "Native-pass-1", &[]);
    let json = |id: &str| -> Value {
        serde_json::from_str(&env.ok(&["users", "show", id, "-o", "json"])).unwrap()
    };
    // Found by its alias, and the alias is listed.
    let kc = json("user1");
    assert_eq!(
        kc["user"]["identifier"], "user1@legacy.example.org",
        "{kc:#}"
    );
    assert_eq!(kc["aliases"], json!(["user1"]), "{kc:#}");
    assert_eq!(json("nat@example.com")["aliases"], json!([]));
    let table = env.ok(&["users", "show", "user1@legacy.example.org"]);
    let alias_lines: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| w.first() == Some(&"alias"))
        .collect();
    assert_eq!(alias_lines, [vec!["alias", "user1"]], "{table}");
    let native = env.ok(&["users", "show", "nat@example.com"]);
    assert!(
        native
            .lines()
            .any(|l| l.split_whitespace().eq(["aliases", "none"])),
        "{native}"
    );
}

/// F21: an empty password (empty input, a blank first line) given to `users create` or
/// `simulate-login` is a usage error (exit 2, as the README's table says) naming the input
/// it came from; nothing is created.
#[test]
fn an_empty_password_is_a_usage_error_naming_its_input() {
    let env = Env::new();
    env.write("empty.txt", "\n");
    for (args, stdin, input) in [
        (
            vec!["users", "create", "kim@example.com", "--password-stdin"],
            "",
            "--password-stdin",
        ),
        (
            vec!["users", "create", "kim@example.com", "--password-stdin"],
            "\n",
            "--password-stdin",
        ),
        (
            vec!["simulate-login", "kim@example.com", "--password-stdin"],
            "\n",
            "--password-stdin",
        ),
        (
            vec![
                "simulate-login",
                "kim@example.com",
                "--password-file",
                "empty.txt",
            ],
            "",
            "--password-file",
        ),
    ] {
        let out = env.cmd().args(&args).write_stdin(stdin).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(USAGE), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {input}: the password is empty")),
            "{args:?}: {stderr}"
        );
    }
    let users: Vec<Value> =
        serde_json::from_str(&env.ok(&["users", "list", "-o", "json"])).unwrap();
    assert!(users.is_empty(), "{users:?}");
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let row = readme.lines().find(|l| l.starts_with("| 2 |")).unwrap();
    assert!(row.contains("empty password"), "{row}");
}

/// R14, R5, OIDC Core 1.0 §3.1.3.7: `--claims` are checked as an ID token's claims, the
/// signature aside. Claims issued to another client (`aud` without the pool's client_id,
/// `azp` another party) are not the pool's, as another issuer's are not (`not_asked`; the
/// refusal names the claim and the client_id expected). Claims of the pool's client that are
/// not valid now (`exp` missing or past, `iat` missing or ahead, `nbf` ahead, beyond 60 s of
/// clock skew) are no credential. Claims without `iss` (a UserInfo response) are explained.
/// Nothing is written.
#[test]
fn idp_claims_are_checked_as_an_id_token() {
    let env = Env::new();
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "cid",
        "--client-secret",
        "env:IDP_SECRET",
        "--tenant",
        "auto",
    ]);
    let base = json!({"iss": "https://id.example.org", "sub": "s1", "email": "fed@x.org"});
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let with = |k: &str, v: Value| {
        let mut c = base.clone();
        c[k] = v;
        c
    };
    let before = snapshot(&env);
    // (claims, reason, step answer, words of the message)
    let cases: Vec<(Value, &str, &str, Vec<&str>)> = vec![
        (
            with("aud", json!("other")),
            "unknown_user",
            "not_asked",
            vec!["`aud`", "\"cid\""],
        ),
        (
            with("aud", json!(["a", "b"])),
            "unknown_user",
            "not_asked",
            vec!["`aud`", "\"cid\""],
        ),
        (
            with("aud", json!(null)),
            "unknown_user",
            "not_asked",
            vec!["no `aud`", "\"cid\""],
        ),
        (
            with("aud", json!(42)),
            "unknown_user",
            "not_asked",
            vec!["`aud`", "\"cid\""],
        ),
        (
            with("aud", json!([])),
            "unknown_user",
            "not_asked",
            vec!["`aud`"],
        ),
        (
            with("aud", json!("CID")),
            "unknown_user",
            "not_asked",
            vec!["`aud`"],
        ),
        (
            with("azp", json!("other")),
            "unknown_user",
            "not_asked",
            vec!["`azp`", "\"other\"", "\"cid\""],
        ),
        (
            with("exp", json!(null)),
            "no_credential",
            "no_credential",
            vec!["no `exp`"],
        ),
        (
            with("exp", json!("soon")),
            "no_credential",
            "no_credential",
            vec!["`exp`"],
        ),
        (
            // Retrial 2, finding 19: an `exp` beyond any date is no validity.
            with("exp", json!(1e23)),
            "no_credential",
            "no_credential",
            vec!["`exp`", "9999"],
        ),
        (
            with("exp", json!(now - 120)),
            "no_credential",
            "no_credential",
            vec!["expired", "`exp`", "60 s"],
        ),
        (
            with("iat", json!(null)),
            "no_credential",
            "no_credential",
            vec!["no `iat`"],
        ),
        (
            with("iat", json!(now + 3600)),
            "no_credential",
            "no_credential",
            vec!["`iat`", "future"],
        ),
        (
            with("nbf", json!(now + 3600)),
            "no_credential",
            "no_credential",
            vec!["`nbf`"],
        ),
        (
            json!({"sub": "s1", "email": "fed@x.org"}),
            "unknown_user",
            "not_asked",
            vec!["no `iss`", "UserInfo", "give the ID token's claims"],
        ),
    ];
    for (claims, reason, answer, words) in cases {
        let (code, t) = login_with_claims(&env, "fed@x.org", &claims, &["--commit"]);
        assert_eq!(code, REFUSED, "{claims}: {t:#}");
        assert_eq!(t["reason"], reason, "{claims}: {t:#}");
        assert_eq!(t["steps"][1]["answer"], answer, "{claims}: {t:#}");
        let msg = t["message"].as_str().unwrap();
        for w in words {
            assert!(msg.contains(w), "{claims}: {w:?} not in {msg}");
        }
    }
    assert_eq!(before, snapshot(&env), "nothing written");
    // Within the skew, and with the pool among several audiences (azp naming it), accepted.
    for claims in [
        with("exp", json!(now - 10)),
        with("iat", json!(now + 10)),
        with("nbf", json!(now + 10)),
        {
            let mut c = with("aud", json!(["api", "cid"]));
            c["azp"] = json!("cid");
            c
        },
        with("exp", json!(FAR_FUTURE as f64 + 0.5)),
    ] {
        let (code, t) = login_with_claims(&env, "fed@x.org", &claims, &[]);
        assert_eq!(code, 0, "{claims}: {t:#}");
    }
    // A shadow user's later login with expired claims is refused by its owner, too.
    let (code, _) = login_with_claims(&env, "fed@x.org", &base, &["--commit"]);
    assert_eq!(code, 0);
    let (code, t) = login_with_claims(&env, "fed@x.org", &with("exp", json!(now - 120)), &[]);
    assert_eq!(code, REFUSED, "{t:#}");
    assert_eq!(t["reason"], "no_credential", "{t:#}");
    let (code, t) = login_with_claims(&env, "fed@x.org", &with("aud", json!("x")), &[]);
    assert_eq!(code, REFUSED, "{t:#}");
    assert!(t["message"].as_str().unwrap().contains("`aud`"), "{t:#}");
}
