use crate::*;

fn version(env: &Env, name: &str) -> u64 {
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", name, "-o", "json"])).unwrap();
    v["version"].as_u64().unwrap()
}

#[test]
fn partial_update_keeps_other_settings_and_bumps_the_version() {
    let env = Env::new();
    env.ok(&[
        "create",
        "a0",
        "--type",
        "external",
        "--source",
        "auth0",
        "--domain",
        "acme.auth0.com",
        "--client-id",
        "cid",
        "--client-secret",
        "env:S",
        "--domains",
        "example.com",
    ]);
    assert_eq!(version(&env, "a0"), 1);
    env.ok(&["configure", "a0", "--mode", "sync", "--allow", "social,sso"]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "a0", "-o", "json"])).unwrap();
    assert_eq!(v["mode"], "sync");
    assert_eq!(v["allow"], serde_json::json!(["social", "sso"]));
    assert_eq!(v["client_id"], "cid");
    assert_eq!(v["domains"], serde_json::json!(["example.com"]));
    assert_eq!(v["version"], 2);
    // `none` clears a list; --disable flips the flag.
    env.ok(&[
        "configure",
        "a0",
        "--domains",
        "none",
        "--allow",
        "none",
        "--disable",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "a0", "-o", "json"])).unwrap();
    assert!(
        v.get("domains").is_none() && v.get("allow").is_none(),
        "{v}"
    );
    assert_eq!(v["enabled"], false);
    // No change: no new version.
    let out = env.ok(&["configure", "a0", "--mode", "sync"]);
    assert!(out.contains("unchanged"), "{out}");
    assert_eq!(version(&env, "a0"), 3);
}

#[test]
fn r4_r10_changing_the_tenant_source_says_existing_users_keep_theirs() {
    let env = Env::new();
    env.export_pool("ex");
    let out = env.run(&["configure", "ex", "--tenant", "fixed:acme"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("existing users keep their tenant") && stderr.contains("R4"),
        "{stderr}"
    );
}

#[test]
fn r12_stale_if_version_is_a_conflict() {
    let env = Env::new();
    env.export_pool("ex");
    env.ok(&["configure", "ex", "--mode", "sync", "--if-version", "1"]);
    env.refused(
        &["configure", "ex", "--mode", "jit", "--if-version", "1"],
        CONFLICT,
        &["version 1 expected", "store has 2", "R12"],
    );
}

#[test]
fn r2_jit_on_an_idp_pool_is_refused() {
    let env = Env::new();
    env.ok(&[
        "create",
        "corp",
        "--type",
        "idp",
        "--issuer",
        "https://id.example.org",
        "--client-id",
        "c",
        "--client-secret",
        "env:S",
    ]);
    env.refused(
        &["configure", "corp", "--mode", "jit"],
        VALIDATION,
        &["R2", "corp"],
    );
}

#[test]
fn unknown_pool_and_settings_of_another_source() {
    let env = Env::new();
    env.export_pool("ex");
    env.refused(
        &["configure", "nope", "--mode", "sync"],
        NOT_FOUND,
        &["pool 'nope' not found"],
    );
    env.refused(
        &["configure", "ex", "--region", "eu-west-1"],
        VALIDATION,
        &["region", "does not apply to source export"],
    );
    env.ok(&[
        "create",
        "a0",
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
    ]);
    let stderr = env.refused(
        &["configure", "a0", "--client-secret", "plain-value"],
        VALIDATION,
        &["R11", "--client-secret env:VAR"],
    );
    assert!(!stderr.contains("plain-value"));
    env.refused(&["configure", "a0", "--type", "idp"], USAGE, &[]);
}
