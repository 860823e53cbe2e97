use crate::*;

#[test]
fn creates_every_source_and_prints_prerequisites() {
    let env = Env::new();
    let cases: &[&[&str]] = &[
        &[
            "create",
            "a0",
            "--type",
            "external",
            "--source",
            "auth0",
            "--domain",
            "acme.eu.auth0.com",
            "--client-id",
            "cid",
            "--client-secret",
            "env:A0",
        ],
        &[
            "create",
            "cg",
            "--type",
            "external",
            "--source",
            "cognito",
            "--region",
            "eu-west-1",
            "--user-pool-id",
            "eu-west-1_Abc",
            "--client-id",
            "cid",
            "--endpoint-url",
            "http://127.0.0.1:5000",
        ],
        &[
            "create",
            "fb",
            "--type",
            "external",
            "--source",
            "firebase",
            "--project-id",
            "p-1",
            "--api-key",
            "file:/run/key",
        ],
        &[
            "create",
            "cu",
            "--type",
            "external",
            "--source",
            "custom",
            "--url",
            "https://u.example.net/auth",
            "--auth-header",
            "keyring:cu/h",
        ],
        &[
            "create",
            "ex",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "users.csv",
            "--format",
            "csv",
            "--mode",
            "jit",
        ],
        &[
            "create",
            "id",
            "--type",
            "idp",
            "--issuer",
            "https://id.example.org",
            "--client-id",
            "cid",
            "--client-secret",
            "env:IDP",
            "--tenant-claim",
            "org",
        ],
    ];
    for args in cases {
        let out = env.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        // A csv export pool has nothing left to set up at the source.
        let done = args.contains(&"csv");
        assert_eq!(!done, stderr.contains("Before this pool works"), "{stderr}");
        if args.contains(&"auth0") {
            assert!(stderr.contains("Resource Owner Password grant"), "{stderr}");
        }
        // SPEC prerequisites: a live Firebase pool signs in with email and password.
        if args.contains(&"firebase") {
            assert!(
                stderr.contains("Email/Password sign-in provider"),
                "{stderr}"
            );
        }
    }
    assert_eq!(order(&env), ["a0", "cg", "fb", "cu", "ex", "id"]);
    // A relative export path is stored absolute, so the pool works from any directory.
    let ex: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "ex", "-o", "json"])).unwrap();
    assert_eq!(ex["file"], env.path("users.csv").to_str().unwrap());
    assert_eq!(ex["mode"], "jit");
    let id: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "id", "-o", "json"])).unwrap();
    assert_eq!(
        (
            id["type"].as_str(),
            id["source"].as_str(),
            id["tenant"].as_str()
        ),
        (Some("idp"), Some("oidc"), Some("property:org"))
    );
}

#[test]
fn position_and_disabled() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    env.ok(&[
        "create",
        "c",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "x.csv",
        "--position",
        "1",
        "--disabled",
    ]);
    assert_eq!(order(&env), ["c", "a", "b"]);
    let c: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "c", "-o", "json"])).unwrap();
    assert_eq!(c["enabled"], false);
    env.refused(
        &[
            "create",
            "d",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "x",
            "--position",
            "9",
        ],
        VALIDATION,
        &["--position", "1..=4"],
    );
}

#[test]
fn r1_duplicate_name_is_a_conflict() {
    let env = Env::new();
    env.export_pool("legacy");
    env.refused(
        &[
            "create",
            "legacy",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "other.csv",
        ],
        CONFLICT,
        &["pool 'legacy' already exists", "hint: "],
    );
}

#[test]
fn r1_bad_name_is_refused() {
    let env = Env::new();
    for bad in ["Legacy", "x!", "a_b", "é", &"a".repeat(64)] {
        env.refused(
            &[
                "create", bad, "--type", "external", "--source", "export", "--file", "u.csv",
            ],
            VALIDATION,
            &["R1"],
        );
    }
}

#[test]
fn r2_jit_on_idp_is_refused() {
    let env = Env::new();
    env.refused(
        &[
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
            "--mode",
            "jit",
        ],
        VALIDATION,
        &["R2", "idp", "hint: use --mode sync or --mode passthrough"],
    );
}

#[test]
fn missing_values_without_a_terminal_name_every_flag() {
    let env = Env::new();
    let stderr = env.refused(
        &["create", "a0", "--type", "external", "--source", "auth0"],
        USAGE,
        &["--domain", "--client-id", "--client-secret"],
    );
    assert!(stderr.contains("missing required flags"));
    env.refused(
        &["create", "a0", "--type", "external"],
        USAGE,
        &["--source"],
    );
    env.refused(&["--no-input", "create", "a0"], USAGE, &["--type"]);
}

#[test]
fn settings_are_validated_with_the_field_named() {
    let env = Env::new();
    let base = ["create", "p", "--type", "external"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--source", "custom", "--url", "http://api.example.com"],
            "url",
        ),
        (&["--source", "custom", "--url", "not a url"], "url"),
        (
            &[
                "--source",
                "cognito",
                "--region",
                "eu-west-1",
                "--user-pool-id",
                "us-east-1_X",
                "--client-id",
                "c",
            ],
            "user_pool_id",
        ),
        (
            &[
                "--source",
                "cognito",
                "--region",
                "Europe",
                "--user-pool-id",
                "x_y",
                "--client-id",
                "c",
            ],
            "region",
        ),
        (
            &[
                "--source",
                "auth0",
                "--domain",
                "https://acme.auth0.com",
                "--client-id",
                "c",
                "--client-secret",
                "env:X",
            ],
            "domain",
        ),
        (
            &["--source", "export", "--file", "u.csv", "--format", "xml"],
            "format",
        ),
        (
            &[
                "--source",
                "export",
                "--file",
                "u.csv",
                "--region",
                "eu-west-1",
            ],
            "region",
        ),
        (
            &[
                "--source", "export", "--file", "u.csv", "--tenant", "claim:x",
            ],
            "tenant",
        ),
        (
            &[
                "--source",
                "export",
                "--file",
                "u.csv",
                "--domains",
                "not_a_domain",
            ],
            "domains",
        ),
        (
            &[
                "--source",
                "export",
                "--file",
                "u.csv",
                "--tenant",
                "auto",
                "--tenant-fallback",
                "auto",
            ],
            "tenant_fallback",
        ),
        (
            &[
                "--source",
                "oidc",
                "--issuer",
                "https://i.example",
                "--client-id",
                "c",
                "--client-secret",
                "env:S",
            ],
            "source",
        ),
    ];
    for (extra, field) in cases {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        // On the command line the field is named by its flag.
        let flag = format!("error: --{}: ", field.replace('_', "-"));
        env.refused(&args, VALIDATION, &[&flag]);
    }
}

/// Retrial finding 21: a pool given a `--format` its file's content is not (a CSV file as
/// `firebase`) is created with a warning that names both formats and the fix; the right
/// format, or none, gives no such warning.
#[test]
fn a_format_the_file_is_not_is_warned_about() {
    let env = Env::new();
    env.write("u.csv", "email,password_hash\na@x.org,\n");
    let create = |name: &str, format: Option<&str>| {
        let mut args = vec![
            "create", name, "--type", "external", "--source", "export", "--file", "u.csv",
        ];
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        let out = env.run(&args);
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = create("wrong", Some("firebase"));
    assert!(
        stderr.contains("pool 'wrong': its format is firebase, but its file reads as csv")
            && stderr.contains("pools configure wrong --format csv"),
        "{stderr}"
    );
    for (name, format) in [("right", Some("csv")), ("detected", None)] {
        let stderr = create(name, format);
        assert!(!stderr.contains("reads as"), "{name}: {stderr}");
    }
}

/// Fresh-user trial: `--domains ''` or `--domains ' '` (an unset variable) silently meant
/// "no domains" while `--domains ,` was refused: an empty or blank value is refused the same
/// way, with the `none` that routes every identifier (R5).
#[test]
fn r5_blank_domains_are_refused() {
    let env = Env::new();
    env.export_pool("p");
    env.ok(&["configure", "p", "--domains", "example.com"]);
    for bad in ["", " ", "\t"] {
        env.refused(
            &["configure", "p", "--domains", bad],
            USAGE,
            &["--domains", "no domain given", "--domains none"],
        );
        let mut create = vec![
            "create",
            "q",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "users.csv",
        ];
        create.extend(["--domains", bad]);
        env.refused(&create, USAGE, &["--domains", "--domains none"]);
    }
    env.ok(&["configure", "p", "--domains", "none"]);
}

/// Fresh-user trial (R4): a tenant property path with an invisible or control character
/// names no property a profile shows; it is refused as identifiers and `fixed:` tenant IDs
/// are, by create, configure and apply, naming the code point.
#[test]
fn r4_invisible_characters_in_tenant_property_paths_are_refused() {
    let env = Env::new();
    env.export_pool("p");
    for bad in [
        "property:a\u{200b}b",
        "property:org.\u{202e}id",
        "property:a\u{7}",
    ] {
        env.refused(
            &["configure", "p", "--tenant", bad],
            VALIDATION,
            &["--tenant", "property path", "U+", "R4"],
        );
        env.refused(
            &[
                "create",
                "q",
                "--type",
                "external",
                "--source",
                "export",
                "--file",
                "users.csv",
                "--tenant",
                bad,
            ],
            VALIDATION,
            &["--tenant", "U+"],
        );
    }
    env.write(
        "t.yaml",
        "pools:\n- {name: p, type: external, source: export, file: users.csv, tenant: \"property:a\\u200bb\"}\n",
    );
    env.refused(
        &["apply", "-f", "t.yaml"],
        VALIDATION,
        &["t.yaml:2:", "tenant", "U+200B"],
    );
    env.ok(&["configure", "p", "--tenant", "property:org.id"]);
}

/// Fresh-user trial (R5): a timeout out of range is named as it was given (`--timeout-ms`
/// on the command line, `timeout_ms` in a document), with the range it takes, 1..=600000;
/// a negative one in a document said "0 or more", though 0 is refused.
#[test]
fn r5_timeout_errors_name_the_range_where_it_was_given() {
    let env = Env::new();
    env.export_pool("p");
    for bad in ["0", "600001"] {
        let stderr = env.refused(
            &["configure", "p", "--timeout-ms", bad],
            VALIDATION,
            &["--timeout-ms", "1..=600000"],
        );
        assert!(!stderr.contains("timeout_ms"), "{stderr}");
        let stderr = env.refused(
            &[
                "create",
                "q",
                "--type",
                "external",
                "--source",
                "export",
                "--file",
                "users.csv",
                "--timeout-ms",
                bad,
            ],
            VALIDATION,
            &["--timeout-ms", "1..=600000"],
        );
        assert!(!stderr.contains("timeout_ms"), "{stderr}");
    }
    for bad in ["-1", "0", "abc", "1.5"] {
        env.write(
            "t.yaml",
            &format!(
                "pools:\n- {{name: p, type: external, source: export, file: users.csv, timeout_ms: {bad}}}\n"
            ),
        );
        let stderr = env.refused(
            &["apply", "-f", "t.yaml"],
            VALIDATION,
            &["t.yaml:2:", "timeout_ms", "1..=600000"],
        );
        assert!(
            !stderr.contains("0 or more") && !stderr.contains("--timeout-ms"),
            "{stderr}"
        );
    }
}

/// An export pool whose file is a FIFO (or a device) is created, with a warning that it is
/// not checked and what waits on it (retrial 5); nothing opens the FIFO, so nothing hangs.
#[test]
fn an_export_file_that_is_a_fifo_is_warned_about() {
    let env = Env::new();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(env.path("users.fifo"))
            .status()
            .unwrap()
            .success()
    );
    let out = env.run(&[
        "create",
        "f",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "users.fifo",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: pool 'f': its file")
            && stderr.contains("is not a regular file (a FIFO, a device)"),
        "{stderr}"
    );
}
