use crate::*;

#[test]
fn empty_store_lists_nothing() {
    let env = Env::new();
    assert_eq!(env.ok(&["list", "-o", "json"]).trim(), "[]");
    let out = env.run(&["list"]);
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pools yet"));
}

#[test]
fn list_table_and_detail_with_masked_secrets() {
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
        "env:A0_SECRET",
        "--mode",
        "jit",
        "--tenant",
        "property:app_metadata.tenantId",
    ]);
    env.export_pool("ex");
    let table = env.ok(&["inspect"]);
    let lines: Vec<&str> = table.lines().collect();
    for col in ["POS", "NAME", "TYPE", "SOURCE", "MODE", "TENANT", "ENABLED"] {
        assert!(lines[0].contains(col), "{table}");
    }
    assert!(lines[1].contains("a0") && lines[1].contains("auth0") && lines[1].contains("jit"));
    assert!(lines[2].contains("ex") && lines[2].contains("export"));
    assert_eq!(table, env.ok(&["list"]), "list is the bare inspect");

    let detail = env.ok(&["inspect", "a0"]);
    assert!(detail.contains("******** (env:A0_SECRET)"), "{detail}");
    assert!(detail.contains("acme.auth0.com"));
    let yaml = env.ok(&["inspect", "a0", "-o", "yaml"]);
    assert!(
        yaml.contains("position: 1") && yaml.contains("version: 1"),
        "{yaml}"
    );
}

#[test]
fn unknown_pool_is_not_found() {
    let env = Env::new();
    env.refused(
        &["inspect", "nope"],
        NOT_FOUND,
        &["pool 'nope' not found", "hint: "],
    );
}

#[test]
fn output_format_typo_is_a_usage_error() {
    let env = Env::new();
    let out = env.run(&["list", "-o", "xml"]);
    assert_eq!(out.status.code(), Some(USAGE));
}
