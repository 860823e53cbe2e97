//! `pools serve token create|list|revoke`: the environment server's bearer tokens (issue 11).

use crate::*;

/// A token is printed once, alone on the last line of stdout; the store keeps only its
/// digest (R11: the store file, `list` and the audit log never hold the token); a name is
/// one live token's (exit 4 for a second), a revoked token is listed with when and its name
/// is free again; revoking an unknown name is exit 3, a bad name or role is refused.
#[test]
fn tokens_are_shown_once_kept_as_digests_and_revoked() {
    let env = Env::on(crate::Backend::Sqlite);
    let out = env.run(&[
        "serve", "token", "create", "--role", "admin", "--name", "ci",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().to_owned();
    assert!(token.starts_with("pools_") && token.len() == 49, "{stdout}");
    assert_eq!(stdout, format!("{token}\n"), "the token alone on stdout");
    env.refused(
        &["serve", "token", "create", "--role", "read", "--name", "ci"],
        CONFLICT,
        &[
            "a token named 'ci' exists already",
            "pools serve token revoke ci",
        ],
    );
    env.refused(
        &[
            "serve",
            "token",
            "create",
            "--role",
            "read",
            "--name",
            "two words",
        ],
        VALIDATION,
        &["--name", "two words"],
    );
    let bad_role = env.run(&["serve", "token", "create", "--role", "root", "--name", "x"]);
    assert_eq!(bad_role.status.code(), Some(USAGE));
    let json = env.ok(&[
        "serve", "token", "create", "--role", "login", "--name", "app@prod", "-o", "json",
    ]);
    let app: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(app["role"], "login");
    let app_token = app["token"].as_str().unwrap().to_owned();
    assert_ne!(app_token, token);

    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["serve", "token", "list", "-o", "json"])).unwrap();
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(names, ["ci", "app@prod"]);
    env.ok(&["serve", "token", "revoke", "ci"]);
    env.refused(
        &["serve", "token", "revoke", "ci"],
        NOT_FOUND,
        &["token 'ci' not found"],
    );
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["serve", "token", "list", "-o", "json"])).unwrap();
    assert!(list[0]["revoked_at"].is_string(), "{list:#}");
    assert!(list[1].get("revoked_at").is_none(), "{list:#}");
    env.ok(&["serve", "token", "create", "--role", "read", "--name", "ci"]);

    let mut seen = env.ok(&["serve", "token", "list"]);
    seen.push_str(&env.ok(&["serve", "token", "list", "-o", "json"]));
    seen.push_str(&env.ok(&["audit", "-o", "json"]));
    let audit: serde_json::Value = serde_json::from_str(&env.ok(&["audit", "-o", "json"])).unwrap();
    let actions: Vec<_> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [
            "token.create",
            "token.create",
            "token.revoke",
            "token.create"
        ]
    );
    let store = env
        .local_store()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .unwrap_or_default();
    for t in [&token, &app_token] {
        assert!(!seen.contains(t.as_str()), "a token in list or audit");
        assert!(!store.contains(t.as_str()), "a token in the store file");
        assert!(
            !store.contains(&t[6..]),
            "a token's random part in the store file"
        );
    }
}

/// A `pools serve` of `env`'s store on 127.0.0.1 (any port), with a key; killed when
/// dropped unless stopped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT` (`https://` with `--tls-cert`).
    pub base: String,
}

/// The key the suite's servers run with (the bytes 0 to 31), as POOLS_SERVER_KEY takes it.
pub const KEY: &str = crate::SUITE_SERVER_KEY;

impl Server {
    pub fn start(env: &Env) -> Server {
        Server::start_with(env, &[])
    }

    /// [`Server::start`] with more arguments of `pools serve`.
    pub fn start_with(env: &Env, args: &[&str]) -> Server {
        Self::start_with_vars(env, args, &[])
    }

    /// [`Server::start_with`], with more environment variables.
    pub fn start_with_vars(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Server {
        let mut child = env
            .std_cmd()
            .envs(vars.iter().copied())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("POOLS_SERVER_KEY", KEY)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let addr = crate::listening_on(&mut child, "the server");
        let scheme = if args.contains(&"--tls-cert") {
            "https"
        } else {
            "http"
        };
        Server {
            child,
            base: format!("{scheme}://{addr}"),
        }
    }

    /// SIGKILL: the server dies at once, without a chance to finish anything.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, without waiting.
    pub fn terminate(&self) {
        // SAFETY: kill(2) on a child of this process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
    }

    /// SIGTERM, then the exit status and stderr.
    pub fn stop(mut self) -> (Option<i32>, String) {
        // SAFETY: kill(2) on a child of this process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        (status.code(), err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET url` with `token`: status, headers (lowercase) and body.
pub fn get(url: &str, token: Option<&str>) -> (u16, String, String) {
    send("GET", url, token, None)
}

/// `method url` with `token` and a JSON `body`: status, headers (lowercase) and body.
pub fn send(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&serde_json::Value>,
) -> (u16, String, String) {
    let mut cmd = std::process::Command::new("curl");
    cmd.args(["-sS", "-i", "--noproxy", "*", "-X", method, url]);
    if let Some(t) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    // The body on curl's stdin: any size, and no password in a process's arguments.
    if body.is_some() {
        cmd.args([
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            "@-",
        ]);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("curl is needed for the server tests: install curl");
    let mut stdin = child.stdin.take().expect("piped");
    if let Some(b) = body {
        use std::io::Write;
        // A server that answers before reading it all (413) closes early: not an error here.
        let _ = stdin.write_all(b.to_string().as_bytes());
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rest = text.as_str();
    // Past interim answers (`100 Continue` to a large body's `Expect`).
    while rest.starts_with("HTTP/1.1 1") {
        rest = rest.split_once("\r\n\r\n").map_or("", |(_, r)| r);
    }
    let (head, body) = rest.split_once("\r\n\r\n").unwrap_or((rest, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// `pools env login NAME --token-stdin` with `token` on its stdin.
fn env_login(env: &Env, name: &str, token: &str) -> std::process::Output {
    env.cmd()
        .args(["env", "login", name, "--token-stdin"])
        .write_stdin(token.to_owned())
        .output()
        .unwrap()
}

/// Runs `args` against the store and through the environment `prod`: both exit `code`, with
/// the same stdout and stderr. The local run's output.
fn same_both_ways(env: &Env, args: &[&str], code: i32) -> std::process::Output {
    let local = env.run(args);
    let mut remote_args = vec!["--env", "prod"];
    remote_args.extend_from_slice(args);
    let remote = env.run(&remote_args);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert_eq!(
        (remote.status.code(), local.status.code()),
        (Some(code), Some(code)),
        "{args:?}: {}",
        text(&remote.stderr)
    );
    assert_eq!(text(&remote.stdout), text(&local.stdout), "{args:?}");
    assert_eq!(text(&remote.stderr), text(&local.stderr), "{args:?}");
    local
}

pub fn token(env: &Env, role: &str, name: &str) -> String {
    env.ok(&["serve", "token", "create", "--role", role, "--name", name])
        .trim()
        .to_owned()
}

/// Issue 11: the server refuses to start without a key (exit 5, the fix named), and in
/// plain http on an address that is not loopback unless --insecure-http says TLS is in
/// front; a key file open to others is refused.
#[test]
fn the_server_needs_a_key_and_loopback_or_insecure_http() {
    let env = Env::on(crate::Backend::Sqlite);
    env.refused(
        &["serve", "--listen", "127.0.0.1:0"],
        VALIDATION,
        &["needs a key", "POOLS_SERVER_KEY", "--key-file"],
    );
    let out = env
        .cmd()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .env(
            "POOLS_SERVER_KEY",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(VALIDATION));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--insecure-http"));
    let key = env.write("key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.refused(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--key-file",
            key.to_str().unwrap(),
        ],
        VALIDATION,
        &["chmod 600"],
    );
}

/// Issue 11: the server serves its OpenAPI 3.1 document at /v1/openapi.json, without a token
/// (it holds no secret, R11) and with one alike: the committed `openapi.json`.
#[test]
fn the_server_serves_its_openapi_document_without_a_token() {
    let env = Env::on(crate::Backend::Sqlite);
    let read = token(&env, "read", "ops");
    let server = Server::start(&env);
    let url = format!("{}/v1/openapi.json", server.base);
    let committed = std::fs::read_to_string(crate::repo().join("openapi.json")).unwrap();
    for t in [None, Some(read.as_str())] {
        let (status, head, body) = get(&url, t);
        assert_eq!(status, 200, "{body}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(body == committed, "the served document is not openapi.json");
    }
}

/// Issue 11: /healthz needs no token; a method a route does not take is 405 (problem+json,
/// Allow); without a token a route is 401 (WWW-Authenticate: Bearer), a login token reading
/// is 403, a read token reads the pools as `inspect -o
/// json` shows them, a pool with its version as ETag (R12: what a change sends back as
/// If-Match); an unknown pool is 404, each refusal
/// an RFC 9457 problem document with the library's kind and hint; a revoked token is 401
/// (as an unknown one; the audit log names it); each refusal is audited under a request ID
/// of its own; SIGTERM stops the server with exit 0.
#[test]
fn the_server_answers_reads_by_role_and_errors_as_problem_documents() {
    let env = Env::on(crate::Backend::Sqlite);
    env.write("u.csv", "email,password_hash\na@x.org,$2b$04$abcdefghijklmnopqrstuu5Wb2S3sF4vA6zN0D6X3V/6y4ZcQ8bVW\n");
    crate::login::pool(&env, "p1", "u.csv", &["--tenant", "auto"]);
    let read = token(&env, "read", "ops");
    let login = token(&env, "login", "app");
    let server = Server::start(&env);
    let b = &server.base;
    let (status, _, body) = get(&format!("{b}/healthz"), None);
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    // A route asked with a method it does not take is 405 as a problem document too, with
    // its Allow (found by a fresh-user trial: the body was empty).
    let (status, head, body) = get(&format!("{b}/v1/login"), Some(&login));
    assert_eq!(status, 405, "{body}");
    assert!(
        head.contains("allow: post") && head.contains("problem+json"),
        "{head}"
    );
    assert!(body.contains("this route does not take GET"), "{body}");
    let (status, head, body) = get(&format!("{b}/v1/pools"), None);
    assert_eq!(status, 401, "{body}");
    assert!(head.contains("www-authenticate: bearer"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    let p: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (p["kind"].as_str(), p["status"].as_u64()),
        (Some("unauthorized"), Some(401))
    );
    let (status, _, body) = get(&format!("{b}/v1/pools"), Some(&login));
    assert_eq!(status, 403, "{body}");
    let (status, _, body) = get(&format!("{b}/v1/pools"), Some(&read));
    assert_eq!(status, 200, "{body}");
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let local: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "-o", "json"])).unwrap();
    assert_eq!(listed, local);
    let (status, head, body) = get(&format!("{b}/v1/pools/p1"), Some(&read));
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("etag: \"1\""), "{head}");
    let (status, _, body) = get(&format!("{b}/v1/pools/nope"), Some(&read));
    assert_eq!(status, 404);
    let p: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["message"], "pool 'nope' not found");
    assert!(p["hint"].as_str().unwrap().contains("pools list"), "{p:#}");
    env.ok(&["serve", "token", "revoke", "ops"]);
    let (status, _, _) = get(&format!("{b}/v1/pools"), Some(&read));
    assert_eq!(status, 401);
    let (code, err) = server.stop();
    assert_eq!(code, Some(0), "{err}");
    // Each refusal is audited: who (the token's name, else anonymous), the request, the
    // status and the client's address; never a token.
    let audit = env.ok(&["audit", "-o", "json"]);
    let entries: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let denied: Vec<(String, String, u64, String)> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "access.denied")
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["target"].as_str().unwrap().to_owned(),
                e["after"]["status"].as_u64().unwrap(),
                e["after"]["client"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = |a: &str, t: &str, s: u64| (a.to_owned(), t.to_owned(), s, "127.0.0.1".to_owned());
    assert_eq!(
        denied,
        [
            want("anonymous", "GET /v1/pools", 401),
            want("token:app", "GET /v1/pools", 403),
            want("token:ops", "GET /v1/pools", 401),
        ],
        "{audit}"
    );
    // A revoked token is answered as an unknown one, but audited by its name and why; each
    // refusal under a request ID of its own (not the slot's last request's).
    let denied: Vec<&serde_json::Value> = (entries.as_array().unwrap().iter())
        .filter(|e| e["action"] == "access.denied")
        .collect();
    assert_eq!(
        denied[2]["after"]["reason"], "token 'ops' was revoked",
        "{audit}"
    );
    let id = |e: &serde_json::Value| e["request_id"].as_str().unwrap_or("").to_owned();
    let refusals: std::collections::BTreeSet<String> = denied.iter().map(|e| id(e)).collect();
    assert!(refusals.len() == 3 && !refusals.contains(""), "{audit}");
    let others = (entries.as_array().unwrap().iter()).filter(|e| e["action"] != "access.denied");
    assert!(others.map(id).all(|i| !refusals.contains(&i)), "{audit}");
    assert!(
        !audit.contains(&read) && !audit.contains(&login),
        "a token in the audit log"
    );
}

/// Issue 11: `pools env add|list|use|login|remove` and `--env NAME`: `inspect` and `list`
/// through a server print what they print against its store, and a missing pool is the
/// same error and exit code (3) both ways; without a token exit 9 naming `pools env
/// login`; `--env` with `--store` is a usage error; a command not served yet is refused
/// (exit 2) naming how to run it; a server that is down is exit 8; `env use` makes the
/// environment the default until --store or POOLS_STORE says otherwise. `audit` (with
/// --pool and --since) reads the same through the server.
#[test]
fn env_commands_reach_a_server_and_print_what_the_store_prints() {
    let env = Env::on(crate::Backend::Sqlite);
    env.write("u.csv", "email,password_hash\na@x.org,$2b$04$abcdefghijklmnopqrstuu5Wb2S3sF4vA6zN0D6X3V/6y4ZcQ8bVW\n");
    crate::login::pool(&env, "p1", "u.csv", &["--tenant", "auto"]);
    crate::login::pool(&env, "p2", "u.csv", &["--tenant", "auto"]);
    let read = token(&env, "read", "ops");
    let server = Server::start(&env);
    // -o json answers the entry as `env list -o json` shows it (found by a fresh-user trial:
    // the env commands printed nothing on stdout).
    let added: serde_json::Value =
        serde_json::from_str(&env.ok(&["env", "add", "prod", "--url", &server.base, "-o", "json"]))
            .unwrap();
    let listed: serde_json::Value =
        serde_json::from_str(&env.ok(&["env", "list", "-o", "json"])).unwrap();
    assert_eq!(listed, serde_json::json!([added.clone()]), "{added}");
    assert_eq!(added["name"], "prod");
    env.refused(
        &["env", "add", "prod", "--url", &server.base],
        CONFLICT,
        &["exists already"],
    );
    env.refused(
        &["env", "add", "bad name", "--url", &server.base],
        VALIDATION,
        &["environment name"],
    );
    // Credentials in the URL: refused, the hint the server's (a pool's named --auth-header).
    let with_user = server.base.replacen("://", "://u:p@", 1);
    let out = env.run(&["env", "add", "creds", "--url", &with_user]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{err}");
    assert!(
        err.contains("pools env login creds") && !err.contains("auth-header"),
        "{err}"
    );
    let out = env.run(&["--env", "prod", "inspect"]);
    assert_eq!(
        out.status.code(),
        Some(9),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("pools env login prod"));
    // A flag that takes no value is not shown with one (found by a fresh-user trial).
    env.refused(
        &["env", "login", "prod", "--token-stdin"],
        USAGE,
        &[
            "--token-stdin: stdin was empty",
            "| pools ... --token-stdin`",
        ],
    );
    // A token the server does not know is said at `env login`, and not kept.
    let forged = format!("{}x", &read[..read.len() - 1]);
    let out = env_login(&env, "prod", &forged);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(
        err.contains("environment 'prod' does not take this token: nothing was kept"),
        "{err}"
    );
    assert!(!err.contains(&forged), "{err}");
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap_or_default();
    assert!(!creds.contains("pools-env/prod"), "nothing kept: {creds}");
    // Two tokens on two lines are no token: told as such (exit 9, where the line break is,
    // never the token), not as an unreachable server (found by a fresh-user trial).
    let out = env_login(&env, "prod", &format!("{read}\n{read}\n"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    let at = read.chars().count() + 1;
    assert!(
        err.contains(&format!("holds a line break (character {at})")) && !err.contains(&read),
        "{err}"
    );
    let out = (env
        .cmd()
        .args(["env", "login", "prod", "--token-stdin", "-o", "json"]))
    .write_stdin(read.clone())
    .output()
    .unwrap();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{note}");
    assert!(
        note.contains("kept the token 'ops' (role read) of environment 'prod'"),
        "{note}"
    );
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&said["name"], &said["token"], &said["role"]),
        (&"prod".into(), &"ops".into(), &"read".into())
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(&read),
        "R11: {said}"
    );
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap();
    assert!(
        creds.contains("pools-env/prod"),
        "the token is in the credentials file"
    );
    for args in [
        &["inspect"][..],
        &["inspect", "-o", "json"],
        &["list", "-o", "yaml"],
        &["inspect", "p2", "-o", "json"],
        &["inspect", "p1"],
    ] {
        same_both_ways(&env, args, 0);
    }
    // The audit log reads the same through the server, filters and all (issue 11).
    for args in [
        &["audit", "-o", "json"][..],
        &["audit", "--pool", "p1", "-o", "json"],
        &["audit", "--since", "2000-01-01T00:00:00Z"],
        &["audit", "--since", "2999-01-01T00:00:00Z", "-o", "json"],
    ] {
        let local = same_both_ways(&env, args, 0);
        assert!(!local.stdout.is_empty(), "{args:?}");
    }
    same_both_ways(&env, &["inspect", "nope"], NOT_FOUND);
    // POOLS_TOKEN is trimmed as --token-stdin is (`POOLS_TOKEN=$(cat file)` keeps a newline).
    let out = (env.cmd().env("POOLS_TOKEN", format!(" {read}\n")))
        .args(["--env", "prod", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let both = env.run(&["--env", "prod", "--store", "x.db", "inspect"]);
    assert_eq!(both.status.code(), Some(USAGE));
    // A read token may not change anything: 403, exit 9, nothing written (issue 11).
    env.refused(
        &["--env", "prod", "reorder", "p2", "p1"],
        9,
        &["has the role read, which may not change anything"],
    );
    env.refused(
        &["--env", "prod", "users", "import", "--pool", "p1"],
        9,
        &["has the role read, which may not change anything"],
    );
    env.refused(
        &["--env", "prod", "users", "export", "--include-hashes"],
        9,
        &["has the role read, which may not", "read password hashes"],
    );
    env.refused(
        &["--env", "staging", "inspect"],
        NOT_FOUND,
        &["environment 'staging'"],
    );
    // `env use`: the default without --store and POOLS_STORE (the suite sets POOLS_STORE).
    env.ok(&["env", "use", "prod"]);
    let listed = env.ok(&["env", "list", "-o", "json"]);
    assert!(listed.contains("\"current\": true"), "{listed}");
    let out = env
        .cmd()
        .env_remove("POOLS_STORE")
        .args(["inspect", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        env.ok(&["inspect", "-o", "json"]),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
    let down = env.run(&["--env", "prod", "inspect"]);
    assert_eq!(
        down.status.code(),
        Some(8),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(String::from_utf8_lossy(&down.stderr).contains("not reachable"));
    env.ok(&["env", "remove", "prod"]);
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap_or_default();
    assert!(!creds.contains("pools-env/prod"), "the token is forgotten");
    assert!(!creds.contains(&read));
}

/// R11 (secrets "encrypted at rest on a server"): `pools serve` keeps and looks up every
/// `keyring:` credential in its sealed secrets file (beside the store by default, mode 600),
/// never in the credentials file in clear: at start it names the pool whose reference only
/// the clear file holds, and not the one whose credential is sealed with its key; the
/// values appear nowhere. A key that does not open the file is refused (exit 5), naming
/// POOLS_SERVER_KEY and the fix, never a key; `--secrets-file` puts the file elsewhere.
#[test]
fn the_server_keeps_and_finds_secrets_in_its_sealed_file_only() {
    use pools_core::secret::{SealedFile, SealingKey, Secret};
    use std::os::unix::fs::PermissionsExt;
    let env = Env::on(crate::Backend::Sqlite);
    for (pool, reference) in [
        ("sealed", "keyring:team/sealed"),
        ("clear", "keyring:team/clear"),
    ] {
        env.ok(&[
            "create",
            pool,
            "--type",
            "external",
            "--source",
            "custom",
            "--url",
            "http://127.0.0.1:9/auth",
            "--auth-header",
            reference,
            "--tenant",
            "auto",
            "--mode",
            "jit",
        ]);
    }
    let clear_value = "Bearer clear-VALUE-1f0e";
    let sealed_value = "Bearer sealed-VALUE-9c2d";
    env.write(
        "credentials.json",
        &format!("{{\"team/clear\": \"{clear_value}\"}}"),
    );
    let mut file = env.store().into_os_string();
    file.push(".secrets.json");
    let file = std::path::PathBuf::from(file);
    let key: [u8; 32] = std::array::from_fn(|i| i as u8);
    SealedFile::open(&file, SealingKey::new(&key, "POOLS_SERVER_KEY"))
        .unwrap()
        .put("team/sealed", &Secret::new(sealed_value.into()))
        .unwrap();

    let (code, err) = Server::start(&env).stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "warning: pool 'clear': auth_header keyring:team/clear: the server's sealed secrets file {} has no entry \"team/clear\"",
            file.display()
        )),
        "{err}"
    );
    assert!(!err.contains("pool 'sealed'"), "{err}");
    let sealed_text = std::fs::read_to_string(&file).unwrap();
    for seen in [&err, &sealed_text] {
        assert!(!seen.contains("VALUE"), "a secret value: {seen}");
        assert!(!seen.contains(KEY), "the key: {seen}");
    }
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    let other_key = "//////////////////////////////////////////8=";
    let out = env
        .cmd()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("POOLS_SERVER_KEY", other_key)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
    assert!(out.stdout.is_empty(), "it never listened");
    assert!(
        stderr.starts_with(&format!(
            "error: POOLS_SERVER_KEY: this key does not open the sealed secrets file {}: its secrets were sealed with another key",
            file.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: start the server with the key it ran with before"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(other_key) && !stderr.contains(KEY),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), sealed_text);

    // --secrets-file: a file of its own, made at start (0600), and the key is checked there.
    let elsewhere = env.path("vault/secrets.json");
    let flag = ["--secrets-file", elsewhere.to_str().unwrap()];
    let (code, err) = Server::start_with(&env, &flag).stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("pool 'sealed'"),
        "not sealed in that file: {err}"
    );
    let mode = std::fs::metadata(&elsewhere).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
    args.extend(flag);
    let out = env
        .cmd()
        .args(&args)
        .env("POOLS_SERVER_KEY", other_key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(VALIDATION));
}

/// A private CA and a certificate it issued for 127.0.0.1, made at test time, written to
/// `ca.pem`, `server.pem` and `server.key` (0600) in `env`'s dir; also the CA's own key, as
/// `ca.key`, to be given as the wrong key.
fn private_ca(env: &Env) -> [std::path::PathBuf; 4] {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "pools test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let issuer = Issuer::new(ca_params, &ca_key);
    let cert = params.signed_by(&key, &issuer).unwrap();
    let paths = [
        env.write("ca.pem", &ca.pem()),
        env.write("server.pem", &cert.pem()),
        env.write("server.key", &key.serialize_pem()),
        env.write("ca.key", &ca_key.serialize_pem()),
    ];
    use std::os::unix::fs::PermissionsExt;
    for p in &paths[2..] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    paths
}

/// Issue 11 (R11: tokens and passwords never cross the network in clear): `pools serve
/// --tls-cert PEM --tls-key PEM` speaks https, `listening on ADDR` still the one stdout
/// line; one flag without the other is a usage error (exit 2); a file that is no
/// certificate or no key, or a key that is not the certificate's, is refused naming the
/// flag (exit 5), never the key. A client that added the environment with `--ca-cert`
/// (the private CA) reads through it what the store prints; one without it refuses the
/// unknown issuer (exit 8, saying so); `--ca-cert` is refused for an http URL and for a
/// file that is no certificate. SIGTERM drains the https server too (exit 0).
#[test]
fn the_server_speaks_https_and_a_client_trusts_its_private_ca() {
    let env = Env::on(crate::Backend::Sqlite);
    env.write("u.csv", "email,password_hash\na@x.org,$2b$04$abcdefghijklmnopqrstuu5Wb2S3sF4vA6zN0D6X3V/6y4ZcQ8bVW\n");
    crate::login::pool(&env, "p1", "u.csv", &["--tenant", "auto"]);
    let read = token(&env, "read", "ops");
    let [ca, cert, key, ca_key] = private_ca(&env);
    let (ca, cert, key, ca_key) = (
        ca.to_str().unwrap(),
        cert.to_str().unwrap(),
        key.to_str().unwrap(),
        ca_key.to_str().unwrap(),
    );
    let serve = |args: &[&str]| {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let out = env
            .cmd()
            .args(&all)
            .env("POOLS_SERVER_KEY", KEY)
            .output()
            .unwrap();
        assert!(out.stdout.is_empty(), "it never listened");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = serve(&["--tls-cert", cert]);
    assert_eq!(code, Some(USAGE), "{err}");
    assert!(err.contains("--tls-key"), "{err}");
    let (code, err) = serve(&["--tls-key", key]);
    assert_eq!(code, Some(USAGE), "{err}");
    let key_text = std::fs::read_to_string(key).unwrap();
    let key_body = key_text.lines().nth(1).unwrap();
    for (args, flag, needle) in [
        (
            ["--tls-cert", key, "--tls-key", key],
            "--tls-cert",
            "holds no certificate",
        ),
        (
            ["--tls-cert", cert, "--tls-key", cert],
            "--tls-key",
            "holds no PEM private key",
        ),
        (
            ["--tls-cert", cert, "--tls-key", ca_key],
            "--tls-key",
            "cannot serve",
        ),
        (
            ["--tls-cert", "nowhere.pem", "--tls-key", key],
            "--tls-cert",
            "nowhere.pem",
        ),
    ] {
        let (code, err) = serve(&args);
        assert_eq!(code, Some(VALIDATION), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("error: {flag}: ")),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(needle) && err.contains("hint: "),
            "{args:?}: {err}"
        );
        assert!(!err.contains(key_body), "the key in a message: {err}");
    }

    let server = Server::start_with(&env, &["--tls-cert", cert, "--tls-key", key]);
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "{}",
        server.base
    );
    env.ok(&["env", "add", "prod", "--url", &server.base, "--ca-cert", ca]);
    env.ok_with_stdin(&["env", "login", "prod", "--token-stdin"], &read);
    for args in [
        &["inspect", "-o", "json"][..],
        &["list"],
        &["inspect", "p1"],
    ] {
        same_both_ways(&env, args, 0);
    }
    let listed = env.ok(&["env", "list", "-o", "json"]);
    assert!(listed.contains("ca.pem"), "{listed}");

    // Without the private CA the server is not trusted: neither `env login` (which checks
    // the token with the server, and keeps nothing) nor a command reaches it.
    env.ok(&["env", "add", "public", "--url", &server.base]);
    let login = env_login(&env, "public", &read);
    let out = env
        .cmd()
        .env("POOLS_TOKEN", &read)
        .args(["--env", "public", "inspect"])
        .output()
        .unwrap();
    for out in [&login, &out] {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(8), "{err}");
        assert!(
            err.contains("is not reachable") && err.contains("UnknownIssuer"),
            "{err}"
        );
        assert!(!err.contains(&read), "{err}");
    }
    let creds = std::fs::read_to_string(env.path("credentials.json")).unwrap_or_default();
    assert!(!creds.contains("pools-env/public"), "nothing kept: {creds}");

    env.refused(
        &[
            "env",
            "add",
            "plain",
            "--url",
            "http://127.0.0.1:1",
            "--ca-cert",
            ca,
        ],
        VALIDATION,
        &["--ca-cert", "plain http"],
    );
    env.refused(
        &[
            "env",
            "add",
            "wrong",
            "--url",
            &server.base,
            "--ca-cert",
            key,
        ],
        VALIDATION,
        &["--ca-cert", "holds no PEM certificate"],
    );
    env.refused(
        &[
            "env",
            "add",
            "gone",
            "--url",
            &server.base,
            "--ca-cert",
            "gone.pem",
        ],
        VALIDATION,
        &["--ca-cert", "gone.pem"],
    );
    let (code, err) = server.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("serving https on 127.0.0.1:"), "{err}");
}

/// Issue 11: `POST /v1/login` signs a user in with the engine, committed (a first login
/// migrates, R3); a wrong password, an unknown user and a disabled one get the same status
/// and the same body; a read token may not call it (403, audited); past the quota per
/// identifier the answer is 429 with Retry-After, before the engine runs; a body past the
/// size limit is 413.
#[test]
fn post_v1_login_signs_in_and_refuses_alike() {
    use crate::login::BCRYPT_ABC;
    let env = Env::on(crate::Backend::Sqlite);
    env.write(
        "u.csv",
        &format!("email,password_hash\na@x.org,{BCRYPT_ABC}\nc@x.org,{BCRYPT_ABC}\n"),
    );
    crate::login::pool(&env, "p1", "u.csv", &["--mode", "jit", "--tenant", "auto"]);
    let app = token(&env, "login", "app");
    let read = token(&env, "read", "ops");
    let server = Server::start_with(&env, &["--login-rate-per-identifier", "5"]);
    let url = format!("{}/v1/login", server.base);
    let body = |id: &str, pw: &str| serde_json::json!({"identifier": id, "password": pw});
    let (status, _, _) = send("POST", &url, Some(&read), Some(&body("a@x.org", "abc")));
    assert_eq!(status, 403);
    let (status, _, answer) = send("POST", &url, Some(&app), Some(&body("A@x.org", "abc")));
    assert_eq!(status, 200, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["identifier"], "a@x.org", "{answer}");
    assert_eq!(answer["origin"], "migrated", "{answer}");
    assert_eq!(answer["pool"], "p1", "{answer}");
    let id = answer["id"].as_str().unwrap().to_owned();
    assert!(answer["tenant_id"].is_string(), "{answer}");
    // Migrated once: the second login is answered by the store, the same user.
    let (status, _, again) = send("POST", &url, Some(&app), Some(&body("a@x.org", "abc")));
    assert_eq!(status, 200, "{again}");
    assert!(again.contains(&id), "{again}");
    let users: serde_json::Value =
        serde_json::from_str(&env.ok(&["users", "list", "-o", "json"])).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1, "{users:#}");
    let wrong = send("POST", &url, Some(&app), Some(&body("a@x.org", "nope")));
    let unknown = send("POST", &url, Some(&app), Some(&body("b@x.org", "abc")));
    assert_eq!(wrong.0, 401, "{}", wrong.2);
    assert_eq!((unknown.0, &unknown.2), (wrong.0, &wrong.2));
    assert!(!wrong.2.contains("wrong_password") && !wrong.2.contains("unknown"));
    assert!(
        wrong.1.contains("content-type: application/problem+json"),
        "{}",
        wrong.1
    );
    let (status, _, _) = send(
        "POST",
        &url,
        Some(&app),
        Some(&serde_json::json!({"identifier": "a@x.org"})),
    );
    assert_eq!(status, 422);
    // A body past the server's limit (8 MiB) is 413, a problem document naming the limit.
    let (status, head, big) = send(
        "POST",
        &url,
        Some(&app),
        Some(&body("a@x.org", &"p".repeat(9 << 20))),
    );
    assert_eq!(status, 413, "{big}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(big.contains("larger than this server reads"), "{big}");
    // The quota is per identifier, in any case: c@x.org's 6th attempt is refused unasked.
    for _ in 0..5 {
        let (status, _, b) = send("POST", &url, Some(&app), Some(&body("c@x.org", "nope")));
        assert_eq!(status, 401, "{b}");
    }
    let (status, head, b) = send("POST", &url, Some(&app), Some(&body("C@X.org", "abc")));
    assert_eq!(status, 429, "{b}");
    assert!(head.contains("retry-after: "), "{head}");
    assert!(b.contains("too many login attempts"), "{b}");
    // Another identifier is not held up by c's quota.
    let (status, _, _) = send("POST", &url, Some(&app), Some(&body("a@x.org", "abc")));
    assert_eq!(status, 200);
    let audit = env.ok(&["audit", "-o", "json"]);
    assert!(
        audit.contains("access.denied") && audit.contains("token:ops"),
        "{audit}"
    );
    assert!(
        !audit.contains("abc\"") && !audit.contains("nope"),
        "no password in the audit log"
    );
}

/// R12, issue 11: kill -9 of the server during a stream of writes loses no acknowledged
/// write: every pool the server answered 201 for is in the store after a restart.
#[test]
fn kill_9_during_writes_loses_no_acknowledged_write() {
    let env = Env::on(crate::Backend::Sqlite);
    let admin = token(&env, "admin", "ops");
    let server = Server::start(&env);
    let url = format!("{}/v1/pools", server.base);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let acknowledged = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut acked = Vec::new();
            for i in 0.. {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let name = format!("p{i}");
                let body = serde_json::json!({"pool": {
                    "name": name, "type": "external", "source": "export", "file": "users.csv"
                }});
                match send("POST", &url, Some(&admin), Some(&body)).0 {
                    201 => acked.push(name),
                    // The server is gone: nothing after this is acknowledged.
                    0 => break,
                    other => panic!("pool {name}: HTTP {other}"),
                }
            }
            acked
        });
        std::thread::sleep(std::time::Duration::from_millis(1500));
        server.kill9();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap()
    });
    assert!(
        acknowledged.len() >= 3,
        "too few writes to tell: {acknowledged:?}"
    );
    let restarted = Server::start(&env);
    let (status, _, listed) = get(&format!("{}/v1/pools", restarted.base), Some(&admin));
    assert_eq!(status, 200, "{listed}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&listed).unwrap();
    let names: std::collections::HashSet<&str> =
        listed.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for name in &acknowledged {
        assert!(names.contains(name.as_str()), "acknowledged {name} is lost");
    }
    // At most the one write in flight at the kill went through unanswered.
    assert!(names.len() <= acknowledged.len() + 1, "{names:?}");
}

/// R12, issue 11: writes through the server carry what they are based on. A reorder based on
/// an order that moved meanwhile is 412 (the second of two clients: exit 4), a change with a
/// stale `If-Match` (`configure --if-version`) too, and nothing of the refused change is
/// written; the current `ETag` is accepted.
#[test]
fn r12_stale_orders_and_versions_are_412_through_the_server() {
    let env = Env::on(crate::Backend::Sqlite);
    for p in ["p1", "p2", "p3"] {
        env.export_pool(p);
    }
    let admin = token(&env, "admin", "ops");
    let server = Server::start(&env);
    env.ok(&["env", "add", "prod", "--url", &server.base]);
    env.ok_with_stdin(&["env", "login", "prod", "--token-stdin"], &admin);
    // Two clients read the order p1 p2 p3; the first moves p3 first, the second's move,
    // based on what it read, is refused.
    let order = |o: &[&str]| serde_json::json!(o);
    let url = format!("{}/v1/order", server.base);
    let first = serde_json::json!({"order": order(&["p3", "p1", "p2"]), "expected": order(&["p1", "p2", "p3"])});
    let second = serde_json::json!({"order": order(&["p2", "p1", "p3"]), "expected": order(&["p1", "p2", "p3"])});
    assert_eq!(send("PUT", &url, Some(&admin), Some(&first)).0, 200);
    let (status, head, body) = send("PUT", &url, Some(&admin), Some(&second));
    assert_eq!(status, 412, "{body}");
    assert!(head.contains("application/problem+json"), "{head}");
    assert_eq!(
        crate::order(&env),
        ["p3", "p1", "p2"],
        "nothing of the refused reorder"
    );
    // A stale version through the CLI: exit 4, as against a local store.
    env.ok(&["--env", "prod", "configure", "p1", "--timeout-ms", "900"]);
    env.refused(
        &[
            "--env",
            "prod",
            "configure",
            "p1",
            "--timeout-ms",
            "800",
            "--if-version",
            "1",
        ],
        crate::CONFLICT,
        &["p1"],
    );
    let url = format!("{}/v1/pools/p1", server.base);
    let (status, head, _) = get(&url, Some(&admin));
    assert_eq!(status, 200);
    let tag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap()
        .trim()
        .to_owned();
    let patch = serde_json::json!({"patch": {"name": "p1", "timeout_ms": 700}});
    // The status of a PATCH of `patch` sent with `If-Match: tag`.
    let patch_if_match = |tag: &str| {
        let out = std::process::Command::new("curl")
            .args([
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--noproxy",
                "*",
            ])
            .args(["-X", "PATCH", &url])
            .args([
                "-H",
                &format!("Authorization: Bearer {admin}"),
                "-H",
                "Content-Type: application/json",
            ])
            .args(["-H", &format!("If-Match: {tag}"), "--data-binary"])
            .arg(patch.to_string())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(patch_if_match("\"1\""), "412");
    assert_eq!(patch_if_match(&tag), "200");
    let p1: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "p1", "-o", "json"])).unwrap();
    assert_eq!(p1["timeout_ms"], 700);
}

/// Issue 11 (imports through the server; R6, R12, R17): `users import` through `--env`
/// streams the client's file to the server, which runs the very import on every row: the
/// same stdout, stderr, exit code and reject file (byte for byte, CRLF kept) as against a
/// local store; a run again resumes (the rows already imported are recognised, none twice);
/// without --file the server reads the pool's own export file; `users restore` reads a
/// backup back through it as locally; a read token may not import (403, exit 9).
#[test]
fn users_import_and_restore_through_the_server_match_a_local_store() {
    use crate::login::BCRYPT_ABC;
    let env = Env::on(crate::Backend::Sqlite);
    env.write(
        "in.csv",
        &format!("email,password_hash\r\na@x.org,{BCRYPT_ABC}\r\nbad,zzz\r\nb@x.org,\r\n"),
    );
    let served = env.path("served.db");
    let served = served.to_str().unwrap();
    let on_served = |args: &[&str]| {
        let out = env
            .cmd()
            .env("POOLS_STORE", served)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let pool = [
        "create", "p1", "--type", "external", "--source", "export", "--file", "in.csv",
    ];
    env.ok(&pool);
    on_served(&pool);
    let admin = on_served(&[
        "serve", "token", "create", "--role", "admin", "--name", "ops",
    ]);
    let read = on_served(&[
        "serve", "token", "create", "--role", "read", "--name", "viewer",
    ]);
    let server = Server::start_with_vars(&env, &[], &[("POOLS_STORE", served)]);
    env.ok(&["env", "add", "prod", "--url", &server.base]);
    env.ok_with_stdin(&["env", "login", "prod", "--token-stdin"], admin.trim());

    // The elapsed time is the one figure that may differ.
    let timeless = |b: &[u8]| {
        let text = String::from_utf8_lossy(b).into_owned();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(" ms)") {
            let head = &rest[..at];
            let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            out.push_str(&head[..head.len() - digits]);
            out.push_str("N ms)");
            rest = &rest[at + 4..];
        }
        out.push_str(rest);
        match out.find("\"elapsed_ms\": ") {
            Some(at) => {
                let from = at + "\"elapsed_ms\": ".len();
                let digits = out[from..].chars().take_while(char::is_ascii_digit).count();
                out.replace_range(from..from + digits, "N");
                out
            }
            None => out,
        }
    };
    let both = |args: &[&str], code: i32, rejects: Option<&str>| {
        let local = env.run(args);
        let local_rejects = rejects.map(|r| std::fs::read(env.path(r)).unwrap());
        let mut remote_args = vec!["--env", "prod"];
        remote_args.extend_from_slice(args);
        let remote = env.run(&remote_args);
        assert_eq!(
            (remote.status.code(), local.status.code()),
            (Some(code), Some(code)),
            "{args:?}: {}",
            String::from_utf8_lossy(&remote.stderr)
        );
        assert_eq!(
            timeless(&remote.stdout),
            timeless(&local.stdout),
            "{args:?}"
        );
        assert_eq!(
            timeless(&remote.stderr),
            timeless(&local.stderr),
            "{args:?}"
        );
        if let Some(r) = rejects {
            assert_eq!(
                Some(std::fs::read(env.path(r)).unwrap()),
                local_rejects,
                "{args:?}: the reject file"
            );
        }
        timeless(&local.stdout)
    };
    let first = both(
        &[
            "users",
            "import",
            "--pool",
            "p1",
            "--file",
            "in.csv",
            "--reject-file",
            "rej.csv",
        ],
        VALIDATION,
        Some("rej.csv"),
    );
    assert!(
        first.contains("imported 2") && first.contains("rejected 1"),
        "{first}"
    );
    assert_eq!(
        std::fs::read(env.path("rej.csv")).unwrap(),
        b"email,password_hash\r\nbad,zzz\r\n"
    );
    let again = both(
        &[
            "users", "import", "--pool", "p1", "--file", "in.csv", "-o", "json",
        ],
        VALIDATION,
        None,
    );
    assert!(again.contains("\"already_imported\": 2"), "{again}");
    // The pool's own file, read by the server (the same path here), and its reject file.
    std::fs::remove_file(env.path("rej.csv")).unwrap();
    both(
        &[
            "users",
            "import",
            "--pool",
            "p1",
            "--reject-file",
            "rej.csv",
        ],
        VALIDATION,
        Some("rej.csv"),
    );
    both(
        &[
            "users",
            "import",
            "--pool",
            "p1",
            "--file",
            "in.csv",
            "--dry-run",
        ],
        VALIDATION,
        None,
    );
    both(
        &["users", "import", "--pool", "nope", "--file", "in.csv"],
        NOT_FOUND,
        None,
    );
    let users = env.ok(&["users", "list", "-o", "json"]);
    assert_eq!(users.matches("\"identifier\"").count(), 2, "{users}");
    let served_users = env.ok(&["--env", "prod", "users", "list", "-o", "json"]);
    assert_eq!(
        served_users.matches("\"identifier\"").count(),
        2,
        "none twice: {served_users}"
    );

    // A backup of each store restores into it as it is (every user unchanged).
    std::fs::write(env.path("local.ndjson"), env.ok(&["users", "export"])).unwrap();
    std::fs::write(
        env.path("served.ndjson"),
        env.ok(&["--env", "prod", "users", "export"]),
    )
    .unwrap();
    let local = env.run(&["users", "restore", "--file", "local.ndjson"]);
    let remote = env.run(&[
        "--env",
        "prod",
        "users",
        "restore",
        "--file",
        "served.ndjson",
    ]);
    assert_eq!(
        (local.status.code(), remote.status.code()),
        (Some(0), Some(0))
    );
    assert_eq!(timeless(&remote.stdout), timeless(&local.stdout));
    assert!(timeless(&local.stdout).contains("unchanged 2"));
    env.write("junk.ndjson", "not a backup\n");
    both(
        &["users", "restore", "--file", "junk.ndjson"],
        VALIDATION,
        None,
    );

    // A request that cannot be an import is refused before it starts (422, a problem
    // document), not answered 200 with a stopped run (found by a fresh-user trial).
    let long_id = "x".repeat(600);
    let (status, head, body) = send(
        "POST",
        &format!("{}/v1/pools/p1/import?import_id={long_id}", server.base),
        Some(admin.trim()),
        None,
    );
    assert_eq!(status, 422, "{body}");
    assert!(head.contains("application/problem+json"), "{head}");
    assert!(body.contains("--import-id"), "{body}");

    // A document's secret references resolve where the pools run: through --env the server
    // judges them against its sealed file, never this machine's credentials file (found by
    // a fresh-user trial).
    env.write(
        "a.yaml",
        "pools:\n  - name: a0\n    type: external\n    source: auth0\n    tenant: auto\n    domain: acme.eu.auth0.com\n    client_id: abc\n    client_secret: keyring:pools/none-here\n",
    );
    let creds = env.path("credentials.json").display().to_string();
    let local = env.run(&["apply", "-f", "a.yaml", "--dry-run"]);
    assert!(String::from_utf8_lossy(&local.stderr).contains(&creds));
    let remote = env.run(&["--env", "prod", "apply", "-f", "a.yaml", "--dry-run"]);
    let said = String::from_utf8_lossy(&remote.stderr);
    assert_eq!(remote.status.code(), Some(0), "{said}");
    assert!(!said.contains(&creds), "{said}");
    assert!(said.contains("sealed secrets file"), "{said}");

    env.ok_with_stdin(&["env", "login", "prod", "--token-stdin"], read.trim());
    env.refused(
        &[
            "--env", "prod", "users", "import", "--pool", "p1", "--file", "in.csv",
        ],
        9,
        &["has the role read"],
    );
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
}
