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

/// Issue 8 (R5): two pools routing one domain (compared normalised: case, trailing dot) is
/// warned about by create, configure and apply, which still make the change, and is a
/// doctor finding naming both pools and the domain.
#[test]
fn a_domain_routed_by_two_pools_is_warned_about_and_a_doctor_finding() {
    let env = Env::new();
    env.write("users.csv", "email,password_hash\nkim@example.com,\n");
    let run = |args: &[&str]| {
        let out = env.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        stderr
    };
    let create = |name: &str, domains: &str| {
        run(&[
            "create",
            name,
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "users.csv",
            "--domains",
            domains,
            "-q",
        ])
    };
    let shared = "warning: pools 'a' and 'b' both route domain example.com";
    assert!(!create("a", "example.com").contains("warning: pools"));
    let e = create("b", "Example.COM.,other.org");
    assert!(e.contains(shared), "{e}");
    assert_eq!(order(&env), ["a", "b"], "created all the same");
    let e = run(&["configure", "b", "--domains", "other.org"]);
    assert!(!e.contains("both route"), "{e}");
    let e = run(&["configure", "b", "--domains", "other.org,EXAMPLE.com"]);
    assert!(e.contains(shared), "{e}");
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "b", "-o", "json"])).unwrap();
    assert_eq!(
        v["domains"],
        serde_json::json!(["other.org", "example.com"])
    );

    let out = env.run(&["doctor", "-o", "json"]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    let scan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&serde_json::Value> = scan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "shared_domain")
        .collect();
    assert_eq!(found.len(), 1, "{scan:#}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("pools 'a' and 'b' both route domain example.com"),
        "{message}"
    );
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains("pools configure b --domains")
    );

    // apply: the document's pools, and those it keeps, as the plan leaves them.
    env.write(
        "more.yaml",
        "pools:\n- {name: c, type: external, source: export, file: users.csv, domains: ['*.Shared.net']}\n- {name: d, type: external, source: export, file: users.csv, domains: ['*.shared.net.', other.org]}\n",
    );
    for args in [
        &["apply", "-f", "more.yaml", "--dry-run"][..],
        &["apply", "-f", "more.yaml"],
    ] {
        let e = run(args);
        assert!(
            e.contains("warning: pools 'c' and 'd' both route domain *.shared.net"),
            "{e}"
        );
        assert!(
            e.contains("warning: pools 'd' and 'b' both route domain other.org"),
            "{e}"
        );
        // Not about the pair the document does not name.
        assert!(!e.contains(shared), "{e}");
    }
    assert_eq!(order(&env), ["c", "d", "a", "b"]);
}

/// R10, issue 8: an export pool's file and format are its source. Pointing a pool whose users
/// still need it (imported without a hash) at another file, or reading it in another format,
/// takes --force in `configure` and in `apply`, and the refusal counts those users.
#[test]
fn changing_the_file_or_format_of_a_needed_export_pool_takes_force() {
    let env = Env::new();
    env.write(
        "a.ndjson",
        "{\"user_id\":\"auth0|v1\",\"email\":\"kim@example.com\",\"app_metadata\":{\"tenantId\":\"acme\"}}\n",
    );
    env.write("b.csv", "email,tenant_id\nkim@example.com,acme\n");
    env.ok(&[
        "create",
        "p",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "a.ndjson",
        "--mode",
        "jit",
        "--tenant",
        "property:app_metadata.tenantId",
    ]);
    env.ok(&["users", "import", "--pool", "p", "-q"]);
    let needles = ["R10", "a.ndjson", "b.csv", "1 user(s)", "--force"];
    env.refused(
        &[
            "configure",
            "p",
            "--file",
            "b.csv",
            "--tenant",
            "property:tenant_id",
        ],
        VALIDATION,
        &needles,
    );
    env.refused(
        &["configure", "p", "--format", "auth0-json"],
        VALIDATION,
        &["R10", "from format", "1 user(s)", "--force"],
    );
    assert_eq!(version(&env, "p"), 1, "a refused change writes nothing");
    env.write(
        "b.yaml",
        "pools:\n  - name: p\n    type: external\n    source: export\n    file: b.csv\n    mode: jit\n    tenant: property:tenant_id\n",
    );
    env.refused(&["apply", "-f", "b.yaml"], VALIDATION, &needles);
    assert_eq!(version(&env, "p"), 1);
    env.ok(&["apply", "-f", "b.yaml", "--force"]);
    assert!(env.ok(&["inspect", "p", "-o", "json"]).contains("b.csv"));
    env.ok(&[
        "configure",
        "p",
        "--file",
        "a.ndjson",
        "--tenant",
        "property:app_metadata.tenantId",
        "--force",
    ]);
    assert!(env.ok(&["inspect", "p", "-o", "json"]).contains("a.ndjson"));
}

/// Issue 8 (R5): two export pools whose files are one file (same device and inode: a hard
/// link, a symbolic link, a path through `..`) are a doctor finding `shared_file` naming
/// both pools and the file; pools over different files (same content) are not.
#[test]
fn two_export_pools_over_one_file_are_a_doctor_finding() {
    let shared = |env: &Env| -> Vec<String> {
        let out = env.run(&["doctor", "-o", "json"]);
        let scan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        scan["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "shared_file")
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect()
    };
    let csv = "email,password_hash\nkim@example.com,\n";
    let create = |env: &Env, name: &str, file: &str| {
        env.ok(&[
            "create", name, "--type", "external", "--source", "export", "--file", file, "-q",
        ]);
    };
    // The second pool's path to `f.csv`, and how the test makes it.
    type Link = (&'static str, fn(&Env));
    let link: [Link; 3] = [
        ("hard.csv", |env| {
            std::fs::hard_link(env.path("f.csv"), env.path("hard.csv")).unwrap()
        }),
        ("sym.csv", |env| {
            std::os::unix::fs::symlink(env.path("f.csv"), env.path("sym.csv")).unwrap()
        }),
        ("a/../f.csv", |env| {
            std::fs::create_dir(env.path("a")).unwrap()
        }),
    ];
    for (other, make) in link {
        let env = Env::new();
        env.write("f.csv", csv);
        make(&env);
        create(&env, "one", "f.csv");
        create(&env, "two", other);
        let found = shared(&env);
        assert_eq!(found.len(), 1, "{other}: {found:?}");
        let f = env.path("f.csv");
        assert!(
            found[0].starts_with("pools 'one' and 'two' read the same export file")
                && found[0].contains(f.to_str().unwrap()),
            "{other}: {}",
            found[0]
        );
    }
    let env = Env::new();
    env.write("f.csv", csv);
    env.write("copy.csv", csv);
    create(&env, "one", "f.csv");
    create(&env, "two", "copy.csv");
    assert_eq!(shared(&env), Vec::<String>::new());
}

/// Retrial finding 19: an empty entry among `--domains` (`a.com,,b.com`, a trailing comma) is
/// a usage error naming it, and nothing is written; `--domains none` still routes every
/// identifier.
#[test]
fn an_empty_entry_among_domains_is_refused() {
    let env = Env::new();
    env.export_pool("p");
    for bad in ["a.com,,b.com", "a.com,", ",a.com"] {
        env.refused(
            &["configure", "p", "--domains", bad],
            USAGE,
            &["--domains", "an empty entry among domains"],
        );
    }
    env.ok(&["configure", "p", "--domains", "a.com,b.com"]);
    env.ok(&["configure", "p", "--domains", "none"]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "p", "-o", "json"])).unwrap();
    assert!(
        v.get("domains")
            .is_none_or(|d| d.as_array().is_some_and(|a| a.is_empty())),
        "{v:#}"
    );
}

/// Trial finding (issue 10): `none`, as `configure --help` says, clears an optional source
/// setting as an empty value does (it was refused as a URL, a secret, or kept as a name);
/// at `create`, where there is nothing to clear, an empty or `none` value is refused with
/// the flag named (an unset shell variable would otherwise mean the default silently).
#[test]
fn none_clears_an_optional_setting_and_create_refuses_an_empty_one() {
    let env = Env::new();
    let base = [
        "create",
        "cg",
        "--type",
        "external",
        "--source",
        "cognito",
        "--region",
        "eu-west-1",
        "--user-pool-id",
        "eu-west-1_abc",
        "--client-id",
        "abc",
    ];
    for empty in ["", "none"] {
        let mut args = base.to_vec();
        args.extend(["--endpoint-url", empty]);
        env.refused(
            &args,
            USAGE,
            &[
                "--endpoint-url",
                "no value given",
                "leave --endpoint-url out",
            ],
        );
    }
    let mut args = base.to_vec();
    args.extend([
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--client-secret",
        "env:CS",
    ]);
    env.ok(&args);
    env.ok(&[
        "configure",
        "cg",
        "--endpoint-url",
        "none",
        "--client-secret",
        "NONE",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "cg", "-o", "json"])).unwrap();
    assert!(v.get("endpoint_url").is_none_or(|u| u.is_null()), "{v:#}");
    assert!(v.get("client_secret").is_none_or(|u| u.is_null()), "{v:#}");
    env.ok(&[
        "create",
        "a0",
        "--type",
        "external",
        "--source",
        "auth0",
        "--domain",
        "acme.test",
        "--client-id",
        "c",
        "--client-secret",
        "env:S",
        "--connection",
        "db",
    ]);
    env.ok(&["configure", "a0", "--connection", "none"]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "a0", "-o", "json"])).unwrap();
    assert!(v.get("connection").is_none_or(|u| u.is_null()), "{v:#}");
}
