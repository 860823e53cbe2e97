use crate::*;

const SECRETS: &[&str] = &[
    "Sup3r-stdin-secret",
    "env-held-secret-77",
    "file-held-secret-42",
    "plain-typed-secret-9",
];

/// R11: a full tour with secrets given every accepted way; no output of any command shows one.
#[test]
fn r11_no_secret_value_reaches_any_output() {
    let env = Env::new();
    env.write("secret.txt", "file-held-secret-42\n");
    let mut outputs: Vec<String> = Vec::new();
    let mut run = |args: &[&str], stdin: Option<&str>| {
        let mut c = env.cmd();
        c.env("A0_SECRET", "env-held-secret-77").args(args);
        if let Some(s) = stdin {
            c.write_stdin(s);
        }
        let out = c.output().unwrap();
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
        out.status.code()
    };
    assert_eq!(
        run(
            &[
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
                "-"
            ],
            Some("Sup3r-stdin-secret\n")
        ),
        Some(0)
    );
    assert_eq!(
        run(
            &[
                "create",
                "fb",
                "--type",
                "external",
                "--source",
                "firebase",
                "--project-id",
                "p1",
                "--api-key",
                "env:A0_SECRET"
            ],
            None
        ),
        Some(0)
    );
    assert_eq!(
        run(
            &[
                "create",
                "cu",
                "--type",
                "external",
                "--source",
                "custom",
                "--url",
                "https://x.example.com",
                "--auth-header",
                "file:secret.txt"
            ],
            None
        ),
        Some(0)
    );
    assert_eq!(
        run(
            &[
                "create",
                "bad",
                "--type",
                "idp",
                "--issuer",
                "https://i.example.com",
                "--client-id",
                "c",
                "--client-secret",
                "plain-typed-secret-9"
            ],
            None
        ),
        Some(VALIDATION)
    );
    assert_eq!(
        run(
            &["configure", "fb", "--api-key", "-"],
            Some("Sup3r-stdin-secret")
        ),
        Some(0)
    );
    for fmt in ["table", "json", "yaml"] {
        for args in [
            vec!["list", "-o", fmt],
            vec!["inspect", "a0", "-o", fmt],
            vec!["inspect", "fb", "-o", fmt],
            vec!["inspect", "cu", "-o", fmt],
            vec!["export", "-o", fmt],
        ] {
            // `export` writes a document: -o table is refused (usage).
            let want = if args[0] == "export" && fmt == "table" {
                2
            } else {
                0
            };
            assert_eq!(run(&args, None), Some(want), "{args:?}");
        }
    }
    env.write("t.yaml", &env.export());
    assert_eq!(
        run(&["apply", "-f", "t.yaml", "--dry-run", "-v"], None),
        Some(0)
    );
    let all = outputs.join("\n");
    assert!(all.contains("********"), "secrets are shown masked");
    for s in SECRETS {
        assert!(!all.contains(s), "secret {s} leaked");
    }
    // The store holds references only; the stdin secret went to the 0600 credentials file.
    let db = std::fs::read(env.store()).unwrap();
    let wal = std::fs::read(env.path("pools.db-wal")).unwrap_or_default();
    for s in SECRETS {
        for bytes in [&db, &wal] {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{s} in the store"
            );
        }
    }
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap();
    assert!(creds.contains("Sup3r-stdin-secret"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path("credentials.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn r11_empty_stdin_secret_is_a_usage_error() {
    let env = Env::new();
    env.refused(
        &[
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
            "-",
        ],
        USAGE,
        &["stdin was empty"],
    );
    assert!(
        !env.path("credentials.json").exists(),
        "nothing stored for a refused command"
    );
    // The message and hint name the flag that read stdin, not another secret's.
    let stderr = env.refused(
        &[
            "create",
            "c",
            "--type",
            "external",
            "--source",
            "custom",
            "--url",
            "https://check.example.com/login",
            "--auth-header",
            "-",
        ],
        USAGE,
        &[
            "--auth-header -: stdin was empty",
            "| pools ... --auth-header -`",
        ],
    );
    assert!(!stderr.contains("--client-secret"), "{stderr}");
}

/// A secret reference that does not resolve here (an unset variable, a missing file) is
/// accepted, since it resolves where the pool runs, but create, configure and apply say so.
#[test]
fn unresolvable_secret_references_are_warned_about() {
    let env = Env::new();
    let create = env.run(&[
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
        "env:POOLS_TEST_UNSET_VAR",
    ]);
    assert!(create.status.success());
    let stderr = String::from_utf8_lossy(&create.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains("POOLS_TEST_UNSET_VAR"),
        "{stderr}"
    );
    let configure = env.run(&["configure", "a0", "--client-secret", "file:no/such/secret"]);
    assert!(configure.status.success());
    let stderr = String::from_utf8_lossy(&configure.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains("no/such/secret"),
        "{stderr}"
    );
    env.write("p.yaml", "pools:\n- name: a0\n  type: external\n  source: auth0\n  domain: acme.auth0.com\n  client_id: c\n  client_secret: env:POOLS_TEST_OTHER_UNSET\n");
    let apply = env.run(&["apply", "-f", "p.yaml"]);
    assert!(apply.status.success());
    let stderr = String::from_utf8_lossy(&apply.stderr);
    assert!(stderr.contains("POOLS_TEST_OTHER_UNSET"), "{stderr}");
    // A reference that resolves gets no warning.
    env.write("s.txt", "value\n");
    let ok = env.run(&["configure", "a0", "--client-secret", "file:s.txt"]);
    assert!(!String::from_utf8_lossy(&ok.stderr).contains("warning"));
    // Retrial finding 22: a file that is empty or not UTF-8 is no secret: warned about.
    env.write("empty.txt", "\n");
    std::fs::write(env.path("latin1.txt"), b"caf\xe9").unwrap();
    for (file, why) in [("empty.txt", "is empty"), ("latin1.txt", "is not UTF-8")] {
        let out = env.run(&[
            "configure",
            "a0",
            "--client-secret",
            &format!("file:{file}"),
        ]);
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("warning") && stderr.contains(why),
            "{file}: {stderr}"
        );
        assert!(!stderr.contains("caf"), "{stderr}");
    }
}

/// Issue 8 (F5): a `keyring:` reference with no entry is warned about like `env:` and
/// `file:` ones, by create, configure and apply. With `POOLS_KEYRING=file` (the tests' setting)
/// the credentials file is the keyring and is looked in; so is it under `auto` when no OS
/// keyring is reachable (none is, here); with `POOLS_KEYRING=os` and no OS keyring nothing can
/// be checked, which is said once per command however many references there are. A secret
/// the command itself kept (`-`) resolves, so it is not warned about.
#[test]
fn keyring_references_without_an_entry_are_warned_about() {
    let env = Env::new();
    let creds = env.path("credentials.json").display().to_string();
    let firebase = |name: &str, key: &str| {
        vec![
            "create".to_owned(),
            name.to_owned(),
            "--type".into(),
            "external".into(),
            "--source".into(),
            "firebase".into(),
            "--project-id".into(),
            "p".into(),
            "--api-key".into(),
            key.into(),
            "--mode".into(),
            "jit".into(),
        ]
    };
    let stderr = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let out = env
        .cmd()
        .args(firebase("k1", "keyring:nope/none"))
        .output()
        .unwrap();
    let text = stderr(&out);
    assert!(
        text.contains(&format!(
            "warning: pool 'k1': api_key keyring:nope/none: the credentials file {creds} (POOLS_KEYRING=file) has no entry \"nope/none\" here; it must resolve where the pool runs"
        )),
        "{text}"
    );
    // `-` keeps the value first: its reference resolves.
    let out = env
        .cmd()
        .args(firebase("k2", "-"))
        .write_stdin("Sup3r-stdin-secret")
        .output()
        .unwrap();
    let text = stderr(&out);
    assert!(!text.contains("warning"), "{text}");
    let kept = env.export();
    let kept = kept
        .lines()
        .filter_map(|l| l.trim().strip_prefix("api_key: "))
        .find(|r| *r != "keyring:nope/none")
        .unwrap()
        .to_owned();
    // configure: the same look-up; a typo in a kept name is found (the kept credential is
    // then forgotten, as the pool no longer uses it).
    let out = env
        .cmd()
        .args(["configure", "k2", "--api-key", &format!("{kept}x")])
        .output()
        .unwrap();
    let text = stderr(&out);
    assert!(
        text.contains(&format!(
            "warning: pool 'k2': api_key {kept}x: the credentials file"
        )),
        "{text}"
    );
    // Under `auto` with no OS keyring reachable the file is the keyring too.
    let out = env
        .cmd()
        .env_remove("POOLS_KEYRING")
        .args(firebase("k3", "keyring:nope/auto"))
        .output()
        .unwrap();
    let text = stderr(&out);
    assert!(
        text.contains(&format!(
            "pool 'k3': api_key keyring:nope/auto: the credentials file {creds}, the keyring here since no OS keyring is reachable, has no entry \"nope/auto\""
        )),
        "{text}"
    );
    // apply: every pool is checked; with POOLS_KEYRING=os nothing can be, said once.
    let yaml = env.export();
    let out = env
        .cmd()
        .args(["apply", "-f", "-"])
        .write_stdin(yaml.clone())
        .output()
        .unwrap();
    let text = stderr(&out);
    for missing in [
        "pool 'k1': api_key keyring:nope/none",
        "pool 'k3': api_key keyring:nope/auto",
    ] {
        assert!(text.contains(missing), "{text}");
    }
    assert!(text.contains("pool 'k2': api_key keyring:"), "{text}");
    let out = env
        .cmd()
        .env("POOLS_KEYRING", "os")
        .env("POOLS_STORE", env.path("other.db"))
        .args(["apply", "-f", "-"])
        .write_stdin(yaml)
        .output()
        .unwrap();
    let text = stderr(&out);
    assert_eq!(
        text.matches("warning: keyring: references cannot be checked here: no OS keyring is reachable (POOLS_KEYRING=os)").count(),
        1,
        "{text}"
    );
    assert!(!text.contains("has no entry"), "{text}");
}

/// Issue 8 (F6, R11): a credential in a URL's query string (`?api_key=`, `?access_token=`,
/// `?sig=`, any case) is refused like `user:password@` in a URL, by create, configure and
/// apply, for every URL setting that is exported (`url`, `issuer`, `endpoint_url`), naming
/// the parameter but never its value, with the reference to use instead. (A pool an older
/// version stored with such a URL: sqlite_only::rows.)
#[test]
fn r11_credentials_in_url_query_strings_are_refused() {
    let env = Env::new();
    let token = "UrlTok-7";
    let custom = |url: &str| {
        vec![
            "create".to_owned(),
            "c1".into(),
            "--type".into(),
            "external".into(),
            "--source".into(),
            "custom".into(),
            "--url".into(),
            url.to_owned(),
            "--mode".into(),
            "jit".into(),
        ]
    };
    for (url, needle) in [
        (
            format!("https://x.example.com/login?api_key={token}"),
            "R11",
        ),
        (
            format!("https://x.example.com/login?v=1&ACCESS_TOKEN={token}"),
            "R11",
        ),
        (format!("https://x.example.com/login?Sig={token}"), "R11"),
        // Refused for plain http first: the message masks the value.
        (
            format!("http://x.example.com/login?token={token}"),
            "?token=***",
        ),
    ] {
        let args = custom(&url);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let stderr = env.refused(&args, VALIDATION, &["--url: ", needle]);
        assert!(!stderr.contains(token), "{stderr}");
    }
    let args = custom(&format!("https://x.example.com/login?api_key={token}"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.refused(
        &args,
        VALIDATION,
        &[
            "query parameter \"api_key\" looks like a credential",
            "hint: pass it by reference in --auth-header env:VAR",
        ],
    );
    let stderr = env.refused(
        &[
            "create",
            "i1",
            "--type",
            "idp",
            "--issuer",
            &format!("https://id.example.com/realms/x?client_secret={token}"),
            "--client-id",
            "c",
            "--client-secret",
            "env:X",
        ],
        VALIDATION,
        &["--issuer: ", "has a query or fragment"],
    );
    assert!(!stderr.contains(token), "{stderr}");
    // A path parameter passes the query check: refused all the same (retrial finding F).
    let stderr = env.refused(
        &[
            "create",
            "i1",
            "--type",
            "idp",
            "--issuer",
            &format!("https://id.example.com/x;access_token={token}"),
            "--client-id",
            "c",
            "--client-secret",
            "env:X",
        ],
        VALIDATION,
        &["--issuer: path parameter \"access_token\"", "R11"],
    );
    assert!(!stderr.contains(token), "{stderr}");
    let stderr = env.refused(
        &[
            "create",
            "f1",
            "--type",
            "external",
            "--source",
            "firebase",
            "--project-id",
            "p",
            "--api-key",
            "env:X",
            "--endpoint-url",
            &format!("http://localhost:9099/?key={token}"),
        ],
        VALIDATION,
        &["--endpoint-url: query parameter \"key\"", "R11"],
    );
    assert!(!stderr.contains(token), "{stderr}");
    env.write(
        "q.yaml",
        &format!("pools:\n- name: y1\n  type: external\n  source: custom\n  url: https://x.example.com/?Token={token}\n"),
    );
    for dry in [&["--dry-run"][..], &[]] {
        let mut args = vec!["apply", "-f", "q.yaml"];
        args.extend_from_slice(dry);
        let stderr = env.refused(
            &args,
            VALIDATION,
            &[
                "q.yaml:5:8: pool 'y1': url: query parameter \"Token\"",
                "hint: pass it by reference in auth_header: env:VAR",
            ],
        );
        assert!(!stderr.contains(token), "{stderr}");
    }
    // Ordinary parameters are fine; configure refuses a credential too.
    let args = custom("https://x.example.com/login?v=2&tenant=acme");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    env.refused(
        &[
            "configure",
            "c1",
            "--url",
            &format!("https://x.example.com/login?apikey={token}"),
        ],
        VALIDATION,
        &["--url: query parameter \"apikey\"", "R11"],
    );
}

/// A credential `pools` made for one pool, whose reference was copied into another (an
/// edited `pools export`), is kept when the first pool is deleted: the second still needs it.
#[test]
fn a_credential_another_pool_references_outlives_its_pool() {
    let env = Env::new();
    env.cmd()
        .args([
            "create",
            "a",
            "--type",
            "external",
            "--source",
            "auth0",
            "--domain",
            "acme.auth0.com",
            "--client-id",
            "c",
            "--client-secret",
            "-",
            "--tenant",
            "fixed:x",
        ])
        .write_stdin("s3cret-value-1")
        .assert()
        .success();
    let yaml = env.export();
    let reference = yaml
        .lines()
        .find(|l| l.contains("client_secret:"))
        .unwrap()
        .trim()
        .trim_start_matches("client_secret:")
        .trim()
        .to_owned();
    assert!(reference.starts_with("keyring:"), "{yaml}");
    env.write(
        "b.yaml",
        &format!(
            "pools:\n  - name: a\n    type: external\n    source: auth0\n    domain: acme.auth0.com\n    client_id: c\n    client_secret: {reference}\n    tenant: fixed:x\n  - name: b\n    type: external\n    source: auth0\n    domain: acme.auth0.com\n    client_id: c\n    client_secret: {reference}\n    tenant: fixed:x\n"
        ),
    );
    env.ok(&["apply", "-f", "b.yaml"]);
    let name = reference.trim_start_matches("keyring:").to_owned();
    env.ok(&["delete", "a", "--yes"]);
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap();
    assert!(creds.contains(&name), "b's secret was removed with a");
    // b still resolves it.
    assert!(env.ok(&["inspect", "b"]).contains(&name));
}

/// Issue 8 (R11): the lock file beside the 0600 credentials file is 0600 too, whatever the
/// umask; one left readable by others (an older `pools`) is tightened at the next write.
#[cfg(unix)]
#[test]
fn credentials_lock_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let mode = |name: &str| {
        std::fs::metadata(env.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let create = |name: &str| {
        let out = env
            .cmd()
            .args([
                "create",
                name,
                "--type",
                "external",
                "--source",
                "auth0",
                "--domain",
                "acme.auth0.com",
                "--client-id",
                "c",
                "--client-secret",
                "-",
            ])
            .write_stdin("lock-test-secret\n")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    create("a0");
    assert_eq!(mode("credentials.json"), 0o600);
    assert_eq!(mode("credentials.json.lock"), 0o600);
    std::fs::set_permissions(
        env.path("credentials.json.lock"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    create("a1");
    assert_eq!(mode("credentials.json.lock"), 0o600);
}

/// README "Secrets" (trial finding 8): a secret given as `-` is kept under the name the README
/// gives, `keyring:<env>/<pool>/<field>/<unique>`: the first 8 characters of the store's
/// environment ID (as `pools export` writes it), the pool, the setting, 8 random hex digits.
#[test]
fn a_dash_secret_is_kept_under_the_name_the_readme_gives() {
    let env = Env::new();
    env.ok_with_stdin(
        &[
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
            "-",
        ],
        "Sup3r-stdin-secret",
    );
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "a0", "-o", "json"])).unwrap();
    let reference = v["client_secret"].as_str().unwrap();
    let exported = env.export();
    let environment = exported
        .lines()
        .find_map(|l| l.strip_prefix("environment: "))
        .unwrap();
    let parts: Vec<&str> = reference
        .strip_prefix("keyring:")
        .unwrap()
        .split('/')
        .collect();
    assert_eq!(parts.len(), 4, "{reference}");
    assert_eq!(parts[0], &environment[..8], "{reference}");
    assert_eq!(parts[1..3], ["a0", "client_secret"], "{reference}");
    assert!(
        parts[3].len() == 8 && parts[3].chars().all(|c| c.is_ascii_hexdigit()),
        "{reference}"
    );
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("`keyring:<env>/<pool>/<field>/<unique>`"),
        "README Secrets names the reference as it is"
    );
}

/// Issue 8 retrial finding H (R11): store C applies store A's export, whose pool refers to a
/// credential A made (`--client-secret -`). A deleting or re-keying its pool no longer removes
/// the credential C still uses (A says it kept it, and for whom); the last store to stop using
/// it removes it, and its record of users with it.
#[test]
fn a_credential_another_store_applied_is_removed_by_the_last_store_using_it() {
    for a_stops_by in ["delete", "rekey"] {
        let env = Env::new();
        let secret = |env: &Env, args: &[&str], value: &str| {
            env.cmd().args(args).write_stdin(value).assert().success();
        };
        secret(
            &env,
            &[
                "create",
                "a",
                "--type",
                "external",
                "--source",
                "auth0",
                "--domain",
                "acme.auth0.com",
                "--client-id",
                "c",
                "--client-secret",
                "-",
                "--tenant",
                "fixed:x",
            ],
            "s3cret-value-1",
        );
        let yaml = env.export();
        let name = yaml
            .lines()
            .find_map(|l| l.trim().strip_prefix("client_secret: keyring:"))
            .unwrap_or_else(|| panic!("{yaml}"))
            .to_owned();
        env.write("a.yaml", &yaml);
        let c = env.path("c.db").display().to_string();
        env.ok(&["--store", &c, "apply", "-f", "a.yaml"]);
        let creds = || std::fs::read_to_string(env.path("credentials.json")).unwrap();
        let out = match a_stops_by {
            "delete" => env.cmd().args(["delete", "a", "--yes"]).output().unwrap(),
            _ => env
                .cmd()
                .args(["configure", "a", "--client-secret", "-"])
                .write_stdin("s3cret-value-2")
                .output()
                .unwrap(),
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("kept credential {name}")),
            "{a_stops_by}: {stderr}"
        );
        assert!(
            creds().contains(&format!("\"{name}\"")),
            "{a_stops_by}: C's secret was removed by A"
        );
        let inspect = env.run(&["--store", &c, "inspect", "a"]);
        assert!(
            !String::from_utf8_lossy(&inspect.stderr).contains("has no entry"),
            "{}",
            String::from_utf8_lossy(&inspect.stderr)
        );
        env.ok(&["--store", &c, "delete", "a", "--yes"]);
        assert!(!creds().contains(&name), "{a_stops_by}: {}", creds());
        assert!(!creds().contains("s3cret-value-1"));
    }
}
