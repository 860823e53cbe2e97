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
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
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
    let (db, wal) = match env.local_store() {
        Some(file) => (
            std::fs::read(&file).unwrap(),
            std::fs::read(format!("{}-wal", file.display())).unwrap_or_default(),
        ),
        None => Default::default(),
    };
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
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
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
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
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
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
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
        // Local only: the secrets kept are in the client's credentials file; a server keeps them
        // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
        let env = Env::on(crate::Backend::Sqlite);
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

/// `create a0` over auth0 in `store` with `--client-secret` `secret` (`-`: `value` on stdin).
fn auth0_pool(
    env: &Env,
    store: &str,
    name: &str,
    secret: &str,
    value: &str,
) -> std::process::Output {
    auth0_pool_in(env.cmd(), store, name, secret, value)
}

/// [`auth0_pool`], run by `cmd` (a command with an environment of its own).
fn auth0_pool_in(
    mut cmd: assert_cmd::Command,
    store: &str,
    name: &str,
    secret: &str,
    value: &str,
) -> std::process::Output {
    cmd.args([
        "--store",
        store,
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
        secret,
        "--tenant",
        "fixed:x",
    ])
    .write_stdin(value)
    .output()
    .unwrap()
}

/// The `keyring:` name of pool `name`'s client secret in `store`'s export.
fn kept_name(env: &Env, store: &str) -> String {
    let yaml = env.ok(&["--store", store, "export"]);
    yaml.lines()
        .find_map(|l| l.trim().strip_prefix("client_secret: keyring:"))
        .unwrap_or_else(|| panic!("{yaml}"))
        .to_owned()
}

/// Fresh-user trial (R11, R12): re-applying an old export of store ta, whose credential ta
/// removed when it deleted its pool, replaced tb's own working secret by the dangling
/// reference and deleted tb's secret. A `keyring:` reference to a credential pools made
/// and the credential store no longer has is refused before anything is written, in apply
/// (and its dry run), create and configure, naming the pool, the setting and the fix.
#[test]
fn r11_a_reference_to_a_removed_credential_is_refused() {
    let env = Env::new();
    let (ta, tb) = ("ta.db", "tb.db");
    assert!(
        auth0_pool(&env, ta, "a0", "-", "S1-first-secret")
            .status
            .success()
    );
    let ta_name = kept_name(&env, ta);
    env.write("ta.yaml", &env.ok(&["--store", ta, "export"]));
    env.ok(&["--store", tb, "apply", "-f", "ta.yaml"]);
    env.cmd()
        .args(["--store", tb, "configure", "a0", "--client-secret", "-"])
        .write_stdin("S2-own-secret")
        .assert()
        .success();
    let tb_name = kept_name(&env, tb);
    assert_ne!(tb_name, ta_name);
    env.ok(&["--store", ta, "delete", "a0", "--yes"]);
    let creds = || std::fs::read_to_string(env.path("credentials.json")).unwrap();
    assert!(!creds().contains(&ta_name), "ta removed its credential");
    let before = env.ok(&["--store", tb, "export"]);
    for dry in [false, true] {
        let mut args = vec!["--store", tb, "apply", "-f", "ta.yaml"];
        if dry {
            args.push("--dry-run");
        }
        let out = env.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
        for needle in [
            "ta.yaml:",
            "pool 'a0'",
            "client_secret",
            &format!("keyring:{ta_name}"),
            "pools configure a0 --client-secret -",
        ] {
            assert!(stderr.contains(needle), "{needle:?} in {stderr}");
        }
    }
    assert_eq!(
        env.ok(&["--store", tb, "export"]),
        before,
        "nothing written"
    );
    assert!(
        creds().contains(&format!("\"{tb_name}\"")),
        "tb's secret kept"
    );
    assert!(creds().contains("S2-own-secret"));
    // configure and create refuse the reference too.
    let by_hand = format!("keyring:{ta_name}");
    let out = env.run(&[
        "--store",
        tb,
        "configure",
        "a0",
        "--client-secret",
        &by_hand,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains("--client-secret: pool 'a0'") && stderr.contains("--client-secret -"),
        "{stderr}"
    );
    let out = auth0_pool(&env, tb, "b0", &by_hand, "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
    assert!(stderr.contains("pool 'b0'"), "{stderr}");
    assert_eq!(
        env.ok(&["--store", tb, "export"]),
        before,
        "nothing written"
    );
    // A name the operator chose is still only warned about: it may be kept later.
    let out = auth0_pool(&env, tb, "b0", "keyring:my-own-name", "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Fresh-user trial (R11): a store copied with `cp` shares its original's environment ID,
/// so the stores sharing a credential cannot count the copy, and the last other store to
/// stop using it removed it while the copy still referred to it. `pools doctor` names such
/// a dangling secret (where the credential store can tell), with the fix.
#[test]
fn r11_doctor_names_a_secret_gone_from_the_credential_store() {
    let env = Env::new();
    let (sa, sc, sd) = ("sa.db", "sc.db", "sd.db");
    assert!(
        auth0_pool(&env, sa, "a0", "-", "S1-first-secret")
            .status
            .success()
    );
    let name = kept_name(&env, sa);
    let by_hand = format!("keyring:{name}");
    assert!(auth0_pool(&env, sd, "z", &by_hand, "").status.success());
    std::fs::copy(env.path(sa), env.path(sc)).unwrap();
    assert!(env.ok(&["--store", sc, "doctor"]).starts_with("clean"));
    env.ok(&["--store", sa, "delete", "a0", "--yes"]);
    env.ok(&["--store", sd, "delete", "z", "--yes"]);
    let out = env.run(&["--store", sc, "doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stdout}");
    for needle in [
        "dangling_secret",
        "a0",
        &by_hand,
        "pools configure a0 --client-secret -",
    ] {
        assert!(stdout.contains(needle), "{needle:?} in {stdout}");
    }
    let out = env.run(&["--store", sc, "doctor", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["code"], "dangling_secret", "{json}");
}

/// Fresh-user trial (R11): a secret read from stdin with a NUL or another control character
/// (a binary file piped in, an escape sequence, a second line) is refused without showing
/// it, and nothing is kept.
#[test]
fn r11_a_secret_with_control_characters_is_refused() {
    let env = Env::new();
    for (value, what) in [
        ("abc\0def", "NUL"),
        ("abc\u{1b}[31mdef", "U+001B"),
        ("first-line\nsecond-line", "U+000A"),
        ("tab\there", "U+0009"),
    ] {
        let out = auth0_pool(&env, "pools.db", "a0", "-", value);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{value:?}: {stderr}");
        assert!(
            stderr.contains("--client-secret") && stderr.contains(what),
            "{value:?}: {stderr}"
        );
        for part in ["abc", "def", "first-line", "second-line", "here"] {
            assert!(!stderr.contains(part), "{stderr}");
        }
        assert!(
            !env.path("credentials.json").exists() || {
                let c = std::fs::read_to_string(env.path("credentials.json")).unwrap();
                !c.contains("first-line") && !c.contains("abc")
            }
        );
    }
    assert!(env.ok(&["list", "-o", "json"]).trim() == "[]");
    // A trailing newline is no part of the secret, as before.
    assert!(
        auth0_pool(&env, "pools.db", "a0", "-", "good-secret\n")
            .status
            .success()
    );
}

/// Fresh-user trial (R11): a store copied with `cp` kept its original's environment ID, so
/// the stores sharing a credential counted the copy and the original as one, and the last
/// other store to stop using it removed it while the copy referred to it. Opened for a
/// change, a copy (its original still there) takes its own environment ID and counts itself
/// among the users of its pools' credentials; the last of all removes them.
#[test]
fn r11_a_copied_store_counts_as_a_user_of_its_credentials() {
    let env = Env::new();
    let (sa, sc, sd) = ("sa.db", "sc.db", "sd.db");
    assert!(
        auth0_pool(&env, sa, "a0", "-", "S1-first-secret")
            .status
            .success()
    );
    let name = kept_name(&env, sa);
    assert!(
        auth0_pool(&env, sd, "z", &format!("keyring:{name}"), "")
            .status
            .success()
    );
    std::fs::copy(env.path(sa), env.path(sc)).unwrap();
    let environment = |store: &str| {
        env.ok(&["--store", store, "export"])
            .lines()
            .find_map(|l| l.strip_prefix("environment: ").map(str::to_owned))
            .unwrap()
    };
    assert_eq!(environment(sc), environment(sa), "a read changes nothing");
    let out = env.run(&["--store", sc, "configure", "a0", "--mode", "passthrough"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("this store is a copy"), "{stderr}");
    assert_ne!(environment(sc), environment(sa));
    let creds = || std::fs::read_to_string(env.path("credentials.json")).unwrap();
    let out = env.run(&["--store", sa, "delete", "a0", "--yes"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("kept credential {name}")));
    let out = env.run(&["--store", sd, "delete", "z", "--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("kept credential {name}")),
        "{stderr}"
    );
    assert!(
        creds().contains(&format!("\"{name}\"")),
        "the copy still uses it"
    );
    assert!(env.ok(&["--store", sc, "doctor"]).starts_with("clean"));
    // The copy is the last to stop using it: it goes.
    env.ok(&["--store", sc, "delete", "a0", "--yes"]);
    assert!(!creds().contains(&name), "{}", creds());
    // Opened again, the copy is its own store: no new ID.
    let again = env.run(&["--store", sc, "list"]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("copy"));
}

/// R11: a secret pools kept in the credentials file is removed with its pool even when the
/// pool is deleted with `POOLS_KEYRING=os` (no OS keyring here): the name is pools' own and
/// unique, so it is removed wherever it is kept; before, the file's entry stayed, silently.
#[test]
fn r11_a_kept_secret_is_removed_with_its_pool_whatever_the_keyring_mode() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    let out = auth0_pool(&env, SQLITE_STORE, "p", "-", "s3cret-value-9");
    assert!(out.status.success(), "{out:?}");
    let name = kept_name(&env, SQLITE_STORE);
    let creds = || std::fs::read_to_string(env.path("credentials.json")).unwrap();
    assert!(creds().contains(&name));
    let out = env
        .cmd()
        .env("POOLS_KEYRING", "os")
        .args(["delete", "p", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!creds().contains(&name), "{}", creds());
    assert!(!creds().contains("s3cret-value-9"));
}

/// A `keyring:` name the operator chose is left alone, also one close to the shape of the
/// names pools makes (`<8 hex>/<pool>/<field>/<8 hex>`, README: Secrets), which alone are
/// pools' own: it gets no `/shared` bookkeeping entry, and deleting its pool keeps it
/// without a note naming a store that does not exist. Before, any name of four or more
/// parts between two 8-hex-digit ones counted as pools'.
#[test]
fn an_operator_named_credential_shaped_like_a_kept_one_is_left_alone() {
    for name in [
        "deadbeef/p/client_secret/extra/12345678",
        "deadbeef/p/password/12345678",
        "deadbeef/-bad/client_secret/12345678",
    ] {
        operator_named_credential_is_left_alone(name);
    }
}

fn operator_named_credential_is_left_alone(name: &str) {
    let env = Env::new();
    env.write(
        "credentials.json",
        &format!("{{\"{name}\": \"operator-value-1\"}}"),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            env.path("credentials.json"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    let out = auth0_pool(&env, SQLITE_STORE, "p", &format!("keyring:{name}"), "");
    let name = name.to_owned();
    assert!(out.status.success(), "{out:?}");
    let creds = || std::fs::read_to_string(env.path("credentials.json")).unwrap();
    assert!(!creds().contains("/shared"), "{}", creds());
    let out = env.run(&["delete", "p", "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("deadbeef use it"), "{stderr}");
    assert!(creds().contains(&name), "{}", creds());
    assert!(!creds().contains("/shared"), "{}", creds());
}

/// R11: a kept secret that is not where this run looks (the pool was made under another
/// POOLS_CREDENTIALS_FILE) is not removed with its pool, and pools says so, naming the entry
/// and where it looked, rather than leaving the value on disk in silence (retrial 3).
#[test]
fn r11_a_kept_secret_not_found_at_deletion_is_warned_about() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    let mut cmd = env.cmd();
    cmd.env("POOLS_CREDENTIALS_FILE", env.path("a.json"));
    let out = auth0_pool_in(cmd, SQLITE_STORE, "p", "-", "s3cret-value-7");
    assert!(out.status.success(), "{out:?}");
    let name = kept_name(&env, SQLITE_STORE);
    let out = env
        .cmd()
        .env("POOLS_CREDENTIALS_FILE", env.path("b.json"))
        .args(["delete", "p", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("its old credential {name} was not found in"))
            && stderr.contains("b.json"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-value-7"));
    // Where it was kept, it still is: pools removes only what it finds.
    assert!(
        std::fs::read_to_string(env.path("a.json"))
            .unwrap()
            .contains(&name)
    );
}

/// R11: an export applied on another machine (another keyring) refers to secrets kept there;
/// a pool it would create is refused, and the hint says how this store gets its own secret
/// rather than `pools configure` a pool it does not have (retrial 3).
#[test]
fn r11_a_new_pool_referring_to_another_keyrings_secret_is_told_how_to_get_one() {
    let env = Env::new();
    let out = auth0_pool(&env, "a.db", "g1", "-", "s3cret-value-5");
    assert!(out.status.success(), "{out:?}");
    let doc = env.ok(&["--store", "a.db", "export"]);
    env.write("a.yaml", &doc);
    let out = env
        .cmd()
        .env("POOLS_CREDENTIALS_FILE", env.path("other-machine.json"))
        .args(["--store", "b.db", "apply", "-f", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(VALIDATION), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("give this store its own secret: write client_secret: env:VAR or file:PATH"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-value-5"));
}
