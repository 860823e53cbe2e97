//! The `custom` live source against the example endpoint (`examples/custom-source/`) on
//! 127.0.0.1: the same engine rules as export pools (R3, R4, R5, R6, R11, R13, R15, R16).

use crate::Env;
use crate::live::{CsvUser, custom_endpoint, write_users};
use crate::login::REFUSED;
use crate::login::{authenticated, login, pool, refused, show, snapshot, steps, users, want};
use serde_json::Value;

const PASSWORD: &str = "Harbor-lights-9";

fn ann() -> CsvUser<'static> {
    CsvUser {
        id: "u-100",
        identifier: "ann@acme.test",
        password: PASSWORD,
        aliases: &["ann"],
        disabled: false,
        profile: &[("tenantId", "acme"), ("given_name", "Ann")],
    }
}

/// A custom pool `live` over `url`, then an export pool `later` that holds `ann@acme.test`
/// too (bcrypt of `abc`), so a login that falls through is seen.
fn pools(env: &Env, url: &str, extra: &[&str]) {
    let mut args = vec![
        "create",
        "live",
        "--type",
        "external",
        "--source",
        "custom",
        "--url",
        url,
        "--tenant",
        "property:tenantId",
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
    env.write(
        "later.csv",
        &format!(
            "email,password_hash\nann@acme.test,{}\nbob@acme.test,{}\n",
            crate::import::HELLO_BCRYPT,
            crate::import::HELLO_BCRYPT
        ),
    );
    pool(env, "later", "later.csv", &["--tenant", "fixed:later"]);
}

/// R3, R4, R13: a correct password through a jit custom pool migrates the user under the
/// identifier and ID the endpoint returned, in the tenant read from its live profile, with
/// the typed password re-hashed as argon2id; from then on the local store answers alone,
/// with the endpoint stopped.
#[test]
fn r13_jit_migrates_from_the_endpoint_then_the_local_store_answers_alone() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let mut served = custom_endpoint(&env, "users.csv", &[]);
    pools(&env, &format!("{}/auth", served.base), &["--mode", "jit"]);
    let before = snapshot(&env);
    let dry = authenticated(&env, "ann", PASSWORD, &[]);
    assert_eq!(before, snapshot(&env), "a dry run wrote something (R14)");
    assert_eq!(
        steps(&dry),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool live", "authenticated"),
            ("tenant", "resolved")
        ])
    );
    let step = &dry["steps"][1];
    assert_eq!(step["source"], "custom");
    assert_eq!(step["exchanges"][0]["status"], 200, "{step:#}");
    assert!(step["exchanges"][0]["elapsed_ms"].as_f64().unwrap() > 0.0);

    let t = authenticated(&env, "ann", PASSWORD, &["--commit"]);
    assert_eq!(t["user"]["action"], "migrate", "{t:#}");
    assert_eq!(t["user"]["identifier"], "ann@acme.test");
    assert_eq!(t["user"]["tenant_id"], "acme", "R4: from the live profile");
    let user = &show(&env, "ann@acme.test")["user"];
    assert_eq!(user["origin"], "migrated");
    assert_eq!(user["external_id"], "u-100");
    assert_eq!(
        show(&env, "ann@acme.test")["aliases"],
        serde_json::json!(["ann"])
    );
    assert_eq!(show(&env, "ann@acme.test")["password_scheme"], "argon2id");

    served.stop();
    for name in ["ann@acme.test", "ann"] {
        let again = authenticated(&env, name, PASSWORD, &[]);
        assert_eq!(steps(&again), crate::login::local_only(), "{name}");
    }
    refused(&env, "ann", "wrong", &[], "wrong_password");
}

/// R16: a sync pool keeps a shadow copy and refreshes it from the live profile at every
/// login; the endpoint is asked each time (R8).
#[test]
fn r16_sync_refreshes_the_shadow_copy_from_the_live_profile() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let served = custom_endpoint(&env, "users.csv", &[]);
    pools(&env, &format!("{}/auth", served.base), &["--mode", "sync"]);
    let first = authenticated(&env, "ann@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(first["user"]["action"], "create_shadow");
    assert_eq!(
        show(&env, "ann@acme.test")["user"]["profile"]["given_name"],
        "Ann"
    );
    let mut renamed = ann();
    renamed.profile = &[("tenantId", "globex"), ("given_name", "Anna")];
    write_users(&env, "users.csv", &[renamed]);
    let t = authenticated(&env, "ann@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool live", "authenticated")])
    );
    assert_eq!(t["user"]["action"], "refresh_shadow");
    let user = &show(&env, "ann@acme.test")["user"];
    assert_eq!(user["profile"]["given_name"], "Anna", "refreshed (R16)");
    assert_eq!(user["tenant_id"], "acme", "the tenant stays (R4)");
    assert_eq!(user["origin"], "shadow");
}

/// R5: a wrong password at the endpoint (401) ends the login there: the later pool, which
/// holds the same user, is not asked. An unknown user (404) moves on to the next pool.
#[test]
fn r5_wrong_password_stops_and_unknown_user_moves_on() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let served = custom_endpoint(&env, "users.csv", &[]);
    pools(&env, &format!("{}/auth", served.base), &[]);
    let t = refused(
        &env,
        "ann@acme.test",
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
    assert_eq!(t["steps"][1]["exchanges"][0]["status"], 401);
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
    assert_eq!(t["steps"][1]["exchanges"][0]["status"], 404);
}

/// R15: a user the endpoint says is disabled (403, or `disabled: true`) is refused
/// `user_disabled` and not migrated; the later pool is not asked.
#[test]
fn r15_a_disabled_user_is_refused_and_not_migrated() {
    let env = Env::new();
    let mut off = ann();
    off.disabled = true;
    write_users(&env, "users.csv", &[off]);
    let served = custom_endpoint(&env, "users.csv", &[]);
    pools(&env, &format!("{}/auth", served.base), &[]);
    let t = refused(
        &env,
        "ann@acme.test",
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
    assert!(users(&env, &[]).is_empty(), "migrated a disabled user");
}

/// R5: an endpoint that is down (nothing listens), answers outside the contract (HTTP 400
/// to a wrong Authorization header), or does not answer within the pool's timeout_ms fails
/// the login closed: source_unavailable, exit 6, the later pool not asked, nothing written.
#[test]
fn r5_a_source_down_misconfigured_or_hanging_fails_closed() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let mut down = custom_endpoint(&env, "users.csv", &[]);
    let url = format!("{}/auth", down.base);
    down.stop();
    pools(&env, &url, &[]);
    let check = |what: &str, needle: &str| {
        let before = snapshot(&env);
        let (code, t) = login(&env, "ann@acme.test", "hello", &["--commit"]);
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
        assert_eq!(before, snapshot(&env), "{what}");
    };
    check("down", "cannot connect to 127.0.0.1:");

    env.ok(&["configure", "live", "--auth-header", "env:LIVE_AUTH"]);
    let strict = custom_endpoint(&env, "users.csv", &["--auth-header", "Bearer right"]);
    env.ok(&[
        "configure",
        "live",
        "--url",
        &format!("{}/auth", strict.base),
    ]);
    // LIVE_AUTH is not set in the test's process environment: said, not sent empty.
    check("auth_header unset", "LIVE_AUTH");

    let slow = custom_endpoint(&env, "users.csv", &["--delay-ms", "3000"]);
    env.ok(&[
        "configure",
        "live",
        "--url",
        &format!("{}/auth", slow.base),
        "--auth-header",
        "",
        "--timeout-ms",
        "300",
    ]);
    let started = std::time::Instant::now();
    check("hanging", "timeout_ms of 300 ms");
    assert!(started.elapsed() < std::time::Duration::from_millis(2500));
}

/// R6: 16 first logins of one user at once, each `--commit`, through a live pool: exactly
/// one user results, and every login succeeds (the later ones find the first's user).
#[test]
fn r6_concurrent_first_logins_through_a_live_pool_make_one_user() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let served = custom_endpoint(&env, "users.csv", &[]);
    pools(&env, &format!("{}/auth", served.base), &["--mode", "jit"]);
    let children: Vec<_> = (0..16)
        .map(|_| {
            let mut c = env.std_cmd();
            c.args([
                "simulate-login",
                "ann@acme.test",
                "--password-stdin",
                "--commit",
                "-o",
                "json",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
            let mut child = c.spawn().unwrap();
            use std::io::Write;
            writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
            child
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let t: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(t["user"]["identifier"], "ann@acme.test", "{t:#}");
    }
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
}

/// For a server of its own: a store with ann's jit pool over the example endpoint (started
/// with `flags`), and a login token; the endpoint lives as long as the returned guard.
fn jit_for_server(flags: &[&str]) -> (Env, crate::live::Served, String) {
    let env = Env::on(crate::Backend::Sqlite);
    write_users(&env, "users.csv", &[ann()]);
    let served = custom_endpoint(&env, "users.csv", flags);
    pools(&env, &format!("{}/auth", served.base), &["--mode", "jit"]);
    let app = crate::serve::token(&env, "login", "app");
    (env, served, app)
}

/// R6, issue 11: 16 concurrent first logins of one user at `POST /v1/login` (an
/// application's logins, each on its own connection and store connection of the server)
/// through a live pool make one user, and every one of them is signed in as that user.
#[test]
fn r6_sixteen_concurrent_post_v1_login_first_logins_make_one_user() {
    let (env, _served, app) = jit_for_server(&[]);
    // 16 attempts of one identifier at once are past the default quota (20 a minute).
    let server = crate::serve::Server::start_with(&env, &["--login-rate-per-identifier", "100"]);
    let url = format!("{}/v1/login", server.base);
    let body = serde_json::json!({"identifier": "ann@acme.test", "password": PASSWORD});
    let answers: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|_| s.spawn(|| crate::serve::send("POST", &url, Some(&app), Some(&body))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut ids = std::collections::BTreeSet::new();
    for (status, _, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
        let a: Value = serde_json::from_str(answer).unwrap();
        assert_eq!(a["identifier"], "ann@acme.test", "{a:#}");
        assert_eq!(a["tenant_id"], "acme", "{a:#}");
        ids.insert(a["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    let all = users(&env, &[]);
    assert_eq!(all.len(), 1, "{all:#?}");
}

/// R11, issue 11: a tour through the environment server — a live pool whose Authorization
/// header is sent as `-` (kept sealed on the server), a native user, rehearsals, real logins
/// at `POST /v1/login`, every read — leaves no password, header value or token in any
/// response or output, in the server's logs (JSON, at debug level), its audit log, its store
/// file, or in clear in its sealed secrets file.
#[test]
fn r11_a_tour_through_the_server_leaks_no_secret_password_or_token() {
    let env = Env::on(crate::Backend::Sqlite);
    write_users(&env, "users.csv", &[ann()]);
    let header = "Bearer tour-through-the-server-header";
    let native_password = "Native-pass-through-9";
    let served = custom_endpoint(&env, "users.csv", &["--auth-header", header]);
    let admin = crate::serve::token(&env, "admin", "ops");
    let app = crate::serve::token(&env, "login", "app");
    let server = crate::serve::Server::start_with_vars(
        &env,
        &["--log-format", "json"],
        &[("POOLS_LOG", "debug")],
    );
    env.ok(&["env", "add", "prod", "--url", &server.base]);
    env.ok_with_stdin(&["env", "login", "prod", "--token-stdin"], &admin);
    let mut outputs = String::new();
    let run = |args: &[&str], stdin: &str| {
        let mut full = vec!["--env", "prod"];
        full.extend_from_slice(args);
        let out = env.cmd().args(&full).write_stdin(stdin).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let url = format!("{}/auth", served.base);
    let (created, text) = run(
        &[
            "create",
            "live",
            "--type",
            "external",
            "--source",
            "custom",
            "--url",
            &url,
            "--auth-header",
            "-",
            "--mode",
            "jit",
            "--tenant",
            "property:tenantId",
        ],
        header,
    );
    assert_eq!(created, Some(0), "{text}");
    assert!(text.contains("kept encrypted on the server"), "{text}");
    outputs.push_str(&text);
    // A bulk import through the server: a row's hash travels in the upload, and a rejected
    // row comes back whole in the answer (for the client's reject file): neither may reach
    // the server's log or the audit log.
    let imported_hash = crate::login::BCRYPT_ABC;
    let rejected_hash = "$2b$10$RejectedRowHashOfTheTourXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    env.write(
        "bulk.csv",
        &format!(
            "email,password_hash\nbulk@acme.test,{imported_hash}\nnot-an-email,{rejected_hash}\n"
        ),
    );
    let bulk = env.path("bulk.csv");
    let (code, text) = run(
        &[
            "create",
            "bulk",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            bulk.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, Some(0), "{text}");
    outputs.push_str(&text);
    let (code, text) = run(
        &[
            "users",
            "import",
            "--pool",
            "bulk",
            "--file",
            "bulk.csv",
            "--reject-file",
            "rejects.csv",
        ],
        "",
    );
    assert!(text.contains("imported 1"), "{code:?} {text}");
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert!(
        rejects.contains(rejected_hash),
        "the rejected row came back whole, to the reject file only: {rejects}"
    );
    outputs.push_str(&text);
    let pw = format!("{PASSWORD}\n");
    let native = format!("{native_password}\n");
    for (args, stdin) in [
        (&["check", "-o", "json"][..], ""),
        (
            &[
                "simulate-login",
                "ann@acme.test",
                "--password-stdin",
                "-o",
                "json",
                "-v",
            ],
            pw.as_str(),
        ),
        (
            &["simulate-login", "ann@acme.test", "--password-stdin"],
            "wrong-one\n",
        ),
        (
            &["users", "create", "native@acme.test", "--password-stdin"],
            native.as_str(),
        ),
        (
            &[
                "simulate-login",
                "native@acme.test",
                "--password-stdin",
                "--commit",
            ],
            native.as_str(),
        ),
        (&["inspect", "-o", "json"], ""),
        (&["export"], ""),
        (&["users", "list", "-o", "json"], ""),
        (&["users", "show", "native@acme.test", "-o", "json"], ""),
        (&["users", "export"], ""),
        (&["audit", "-o", "json"], ""),
        (&["status"], ""),
        (&["doctor"], ""),
    ] {
        outputs.push_str(&run(args, stdin).1);
    }
    let login = format!("{}/v1/login", server.base);
    for (id, password) in [
        ("ann@acme.test", PASSWORD),
        ("ann@acme.test", "wrong-two"),
        ("native@acme.test", native_password),
    ] {
        let body = serde_json::json!({"identifier": id, "password": password});
        let (status, head, answer) = crate::serve::send("POST", &login, Some(&app), Some(&body));
        assert!(status == 200 || status == 401, "{status} {answer}");
        outputs.push_str(&head);
        outputs.push_str(&answer);
    }
    // The tour did what it says: ann migrated through the live pool.
    assert!(outputs.contains("\"origin\":\"migrated\""), "{outputs}");
    let (code, log) = server.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("\"level\":\"INFO\""),
        "JSON logs at info and up: {log}"
    );
    assert!(log.contains("/v1/login"), "the requests are logged: {log}");
    let mut stored = String::new();
    for file in ["pools.db", "pools.db-wal", "pools.db.secrets.json"] {
        if let Ok(bytes) = std::fs::read(env.path(file)) {
            stored.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    assert!(stored.contains("keyring:"), "the store was read");
    let header_value = "tour-through-the-server-header";
    assert!(
        log.contains("/v1/pools/bulk/import"),
        "the import is logged: {log}"
    );
    for hash in [imported_hash, rejected_hash] {
        assert!(!outputs.contains(hash), "{hash} in the outputs:\n{outputs}");
        assert!(!log.contains(hash), "{hash} in the server's log:\n{log}");
    }
    for needle in [
        PASSWORD,
        native_password,
        "wrong-one",
        "wrong-two",
        header_value,
        &admin,
        &app,
    ] {
        assert!(
            !outputs.contains(needle),
            "{needle} in the outputs:\n{outputs}"
        );
        assert!(
            !log.contains(needle),
            "{needle} in the server's log:\n{log}"
        );
        assert!(
            !stored.contains(needle),
            "{needle} in the store or the sealed file"
        );
    }
}

/// Issue 11: SIGTERM drains the server: a login in flight (its source takes 1.5 s) is
/// answered in full, then the server exits 0.
#[test]
fn sigterm_lets_a_login_in_flight_finish() {
    let (env, _served, app) = jit_for_server(&["--delay-ms", "1500"]);
    let server = crate::serve::Server::start(&env);
    let url = format!("{}/v1/login", server.base);
    let body = serde_json::json!({"identifier": "ann@acme.test", "password": PASSWORD});
    let (answer, (code, err)) = std::thread::scope(|s| {
        let login = s.spawn(|| crate::serve::send("POST", &url, Some(&app), Some(&body)));
        std::thread::sleep(std::time::Duration::from_millis(500));
        server.terminate();
        let answer = login.join().unwrap();
        (answer, server.stop())
    });
    assert_eq!(answer.0, 200, "{}", answer.2);
    assert!(answer.2.contains("ann@acme.test"), "{}", answer.2);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(users(&env, &[]).len(), 1);
}

/// Issue 11 (a login waiting on a live source holds up no other request): more logins
/// than the server has cores' worth of hashing, each waiting on a hanging source, leave a
/// migrated user's login free to be checked at once — a login gives its hashing share back
/// while it waits for a source's answer.
#[test]
fn logins_waiting_on_a_hanging_source_hold_up_no_local_login() {
    let (env, _served, app) = jit_for_server(&["--delay-ms", "4000"]);
    env.ok(&["configure", "live", "--timeout-ms", "3500"]);
    env.ok_with_stdin(
        &["users", "create", "local@acme.test", "--password-stdin"],
        "Local-pass-77\n",
    );
    let server = crate::serve::Server::start(&env);
    let url = format!("{}/v1/login", server.base);
    let waiting = 6;
    let (answers, local) = std::thread::scope(|s| {
        let hanging: Vec<_> = (0..waiting)
            .map(|i| {
                let url = &url;
                let app = &app;
                s.spawn(move || {
                    let body = serde_json::json!({"identifier": format!("nobody{i}@acme.test"), "password": "x"});
                    crate::serve::send("POST", url, Some(app), Some(&body))
                })
            })
            .collect();
        // Every hanging login is asking the source by now.
        std::thread::sleep(std::time::Duration::from_millis(700));
        let started = std::time::Instant::now();
        let body =
            serde_json::json!({"identifier": "local@acme.test", "password": "Local-pass-77"});
        let (status, _, answer) = crate::serve::send("POST", &url, Some(&app), Some(&body));
        let took = started.elapsed();
        let answers: Vec<_> = hanging.into_iter().map(|h| h.join().unwrap()).collect();
        (answers, (status, answer, took))
    });
    let (status, answer, took) = local;
    assert_eq!(status, 200, "{answer}");
    assert!(
        took < std::time::Duration::from_millis(2000),
        "the local login waited {took:?} behind {waiting} logins asking a hanging source"
    );
    for (status, _, body) in &answers {
        assert_eq!(*status, 503, "the hanging source fails them closed: {body}");
    }
}

/// R5, issue 11: while a live pool's source is down, `POST /v1/login` fails closed for an
/// identifier no local user holds — 503 with `Retry-After`, a problem document — while a
/// migrated user is answered by the store alone (200, or the same 401 as every refusal):
/// the documented existence signal, and nothing more.
#[test]
fn r5_post_v1_login_with_its_source_down_is_503_for_an_unmigrated_user_only() {
    let (env, mut served, app) = jit_for_server(&[]);
    let server = crate::serve::Server::start(&env);
    let url = format!("{}/v1/login", server.base);
    let login = |id: &str, pw: &str| {
        let body = serde_json::json!({"identifier": id, "password": pw});
        crate::serve::send("POST", &url, Some(&app), Some(&body))
    };
    let (status, _, answer) = login("ann@acme.test", PASSWORD);
    assert_eq!(status, 200, "migrated by the first login: {answer}");
    served.stop();
    let (status, head, down) = login("bob@acme.test", PASSWORD);
    assert_eq!(status, 503, "{down}");
    assert!(head.contains("retry-after: 5"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(down.contains("source is unavailable"), "{down}");
    let (status, _, again) = login("ann@acme.test", PASSWORD);
    assert_eq!(status, 200, "a migrated user needs no source: {again}");
    let (status, _, wrong) = login("ann@acme.test", "not-it");
    assert_eq!(status, 401, "{wrong}");
    assert!(!wrong.contains("unavailable"), "{wrong}");
}

/// R11: a tour through a live pool with an Authorization header secret leaves neither the
/// password nor the header value in any output, the audit log, the export or the store.
#[test]
fn r11_no_password_or_header_value_leaves_a_live_login() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let header = "Bearer s3cr3t-live-header-value";
    let served = custom_endpoint(&env, "users.csv", &["--auth-header", header]);
    let mut outputs = String::new();
    let out = env
        .cmd()
        .args([
            "create",
            "live",
            "--type",
            "external",
            "--source",
            "custom",
            "--url",
            &format!("{}/auth", served.base),
            "--auth-header",
            "-",
            "--tenant",
            "property:tenantId",
        ])
        .write_stdin(format!("{header}\n"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    outputs.push_str(&String::from_utf8_lossy(&out.stdout));
    outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    for args in [
        &["simulate-login", "ann", "--password-stdin", "--commit"][..],
        &["simulate-login", "ann", "--password-stdin", "-o", "json"],
        &[
            "simulate-login",
            "nobody@acme.test",
            "--password-stdin",
            "-o",
            "json",
        ],
        &["simulate-login", "ann@acme.test", "--password-stdin", "-v"],
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
    for args in [
        &["audit", "-o", "json"][..],
        &["export"],
        &["inspect", "live", "-o", "json"],
        &["users", "show", "ann@acme.test", "-o", "json"],
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
    for secret in [PASSWORD, header, "s3cr3t-live-header-value"] {
        assert!(
            !outputs.contains(secret),
            "{secret} in the output:\n{outputs}"
        );
        assert!(
            !String::from_utf8_lossy(&store).contains(secret),
            "{secret} in the store file"
        );
    }
}

/// R11, trial findings (issue 10): an endpoint that answers with the typed password (as a
/// value, a member's name, in capitals), the pool's own Authorization header, a hash and
/// tokens in its profile (it echoes the request, or sends its own record whole) gets none
/// of them into the store, `users show` or the login's JSON; the rest of its profile is
/// kept.
#[test]
fn r11_an_echoing_endpoint_gets_no_password_or_token_into_the_store() {
    let env = Env::new();
    // A contract endpoint that authenticates anyone and sends back what it was sent.
    let script = r#"
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        body = json.dumps({"id": "e-1", "identifier": sent["identifier"], "profile": {
            "tenantId": "echo", "given_name": "Eve", "pw": sent["password"],
            "note": "you typed " + sent["password"], "password_hash": "$2b$04$abcdefghijklmnopqrstuu",
            "access_token": "eyJhbGciOiJSUzI1NiJ9.e30.sig", "nested": {"refreshToken": "rt-1"},
            sent["password"]: "keyed-by-password", "upper": sent["password"].upper(),
            "hdr": self.headers.get("Authorization", ""), "raw": "x" + self.headers.get("Authorization", "")[7:],
            "session_token": "st-1", "secret_key": "sk-1", "credentials": {"value": "cr-1"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = HTTPServer(("127.0.0.1", 0), H)
print("listening on 127.0.0.1:%d" % s.server_address[1], flush=True)
s.serve_forever()
"#;
    let mut cmd = std::process::Command::new("python3");
    cmd.args(["-c", script]);
    let served = crate::live::serve(cmd, "an echoing endpoint", "Python 3 (python3)");
    pools(&env, &format!("{}/auth", served.base), &["--mode", "sync"]);
    env.write("hdr", "Bearer echo-header-value-4471");
    let hdr = format!("file:{}", env.path("hdr").display());
    env.ok(&["configure", "live", "--auth-header", &hdr]);
    let (code, t) = login(&env, "eve@acme.test", PASSWORD, &["--commit"]);
    assert_eq!(code, 0, "{t:#}");
    let user = show(&env, "eve@acme.test");
    assert_eq!(user["user"]["profile"]["given_name"], "Eve", "{user:#}");
    assert_eq!(user["user"]["tenant_id"], "echo", "{user:#}");
    let shown = format!("{t}{user}");
    let store = env
        .local_store()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .unwrap_or_default();
    let upper = PASSWORD.to_uppercase();
    for needle in [
        PASSWORD,
        &upper,
        "$2b$04$abcdef",
        "eyJhbGci",
        "rt-1",
        "echo-header-value-4471",
        "st-1",
        "sk-1",
        "cr-1",
    ] {
        assert!(!shown.contains(needle), "{needle} shown:\n{shown}");
        assert!(!store.contains(needle), "{needle} in the store file");
    }
}

/// R5 ownership: once a live pool owns a user (a sync shadow copy), a pool before it in the
/// order being down does not matter to that user: the login goes to the owner alone. A user
/// nobody owns yet still fails closed at the pool that is down.
#[test]
fn r5_an_owned_user_is_not_held_up_by_another_pool_being_down() {
    let env = Env::new();
    write_users(&env, "users.csv", &[ann()]);
    let served = custom_endpoint(&env, "users.csv", &[]);
    pools(&env, &format!("{}/auth", served.base), &["--mode", "sync"]);
    authenticated(&env, "ann@acme.test", PASSWORD, &["--commit"]);
    env.ok(&[
        "create",
        "first",
        "--type",
        "external",
        "--source",
        "custom",
        "--url",
        "http://127.0.0.1:9/auth",
        "--tenant",
        "auto",
    ]);
    env.ok(&["reorder", "first", "live", "later"]);
    let t = authenticated(&env, "ann@acme.test", PASSWORD, &[]);
    assert_eq!(
        steps(&t),
        want(&[("local store", "found"), ("pool live", "authenticated")]),
        "{t:#}"
    );
    let t = refused(&env, "bob@acme.test", "hello", &[], "source_unavailable");
    assert_eq!(
        steps(&t),
        want(&[
            ("local store", "unknown_identifier"),
            ("pool first", "unavailable")
        ])
    );
}
