//! Integration tests: the real `pools` binary, a store in a temp dir, a cleared environment.
//! One test binary, one module per command (each file would otherwise link alone).
//!
//! The store backend is chosen in one place, [`Backend::current`], from `POOLS_TEST_BACKEND`:
//! `sqlite` (the default) runs every command against the store file; `server` starts a
//! `pools serve` of that store on 127.0.0.1 for each test and runs every command through
//! `--env` (POOLS_ENV, an admin token in POOLS_TOKEN), so the whole suite holds both ways
//! (issue 11). Tests that are SQLite by nature live in [`sqlite_only`] and pass without
//! running on another backend.

mod apply;
mod audit;
mod check;
mod concurrency;
mod configure;
mod create;
mod delete;
mod docs;
mod identity;
mod import;
mod input;
mod inspect;
mod list;
mod live;
mod live_auth0;
mod live_cognito;
mod live_custom;
mod live_firebase;
mod live_tour;
mod login;
mod output;
mod prompts;
mod reads;
mod reorder;
mod restore;
mod robustness;
mod secrets;
mod serve;
mod sqlite_only;
mod users;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// Exit codes as documented.
pub const USAGE: i32 = 2;
pub const NOT_FOUND: i32 = 3;
pub const CONFLICT: i32 = 4;
pub const VALIDATION: i32 = 5;

/// The environment variable that chooses the store backend the suite runs against.
pub const BACKEND_VAR: &str = "POOLS_TEST_BACKEND";

/// The proxy every `pools` run of the suite is given: nothing listens there, so a request
/// meant for the internet fails at once ([`Env::std_cmd`]).
pub const NO_INTERNET: &str = "http://127.0.0.1:9";

/// The store backend the suite runs against: the one place that knows how a test's `pools`
/// reaches its store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite store, a file in the test's dir (`POOLS_STORE`).
    Sqlite,
    /// A `pools serve` of that file, reached as the environment [`SUITE_ENV`].
    Server,
}

/// The environment name the suite's commands use on [`Backend::Server`].
pub const SUITE_ENV: &str = "suite";

/// The name of the admin token the suite's servers are called with.
pub const SUITE_TOKEN_NAME: &str = "suite";

/// The server key of the suite's servers (32 bytes, base64): a test value, no secret.
pub const SUITE_SERVER_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

impl Backend {
    /// The values [`BACKEND_VAR`] may take, the default first.
    pub const SUPPORTED: &[&str] = &["sqlite", "server"];

    /// The backend [`BACKEND_VAR`] names: `sqlite` when it is unset or empty.
    ///
    /// Panics, naming the supported values, on any other value: a typo must not silently
    /// run the suite against the default.
    pub fn current() -> Backend {
        static CURRENT: std::sync::OnceLock<Backend> = std::sync::OnceLock::new();
        *CURRENT.get_or_init(|| {
            let value = std::env::var_os(BACKEND_VAR);
            let value = value.as_deref().map(|v| v.to_string_lossy());
            Backend::parse(value.as_deref().unwrap_or(""))
                .unwrap_or_else(|message| panic!("{message}"))
        })
    }

    /// The backend `value` names (empty: the default).
    pub fn parse(value: &str) -> Result<Backend, String> {
        match value.trim() {
            "" | "sqlite" => Ok(Backend::Sqlite),
            "server" => Ok(Backend::Server),
            other => Err(format!(
                "{BACKEND_VAR}={other:?} is not a supported test backend; supported: {}",
                Backend::SUPPORTED.join(", ")
            )),
        }
    }

    /// Points `c` at the store of the test whose dir is `dir`, served by `server`.
    fn configure(self, c: &mut std::process::Command, dir: &Path, server: Option<&SuiteServer>) {
        match (self, server) {
            (Backend::Server, Some(s)) => {
                c.env("POOLS_ENV", SUITE_ENV).env("POOLS_TOKEN", &s.token);
            }
            _ => {
                c.env("POOLS_STORE", dir.join(SQLITE_STORE));
            }
        }
    }
}

/// The `HOST:PORT` of the `listening on HOST:PORT` line a server `child` (its stdout piped)
/// prints once it accepts connections: on loopback, or the test fails naming `what`.
pub fn listening_on(child: &mut std::process::Child, what: &str) -> String {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout piped"))
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{what} did not start: {line:?}"))
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{what} listens on {addr}");
    addr
}

/// The `pools serve` of one test on [`Backend::Server`]: its store is the test's store
/// file; its stderr goes to `server.log` in the test's dir. Killed when dropped.
pub struct SuiteServer {
    child: std::process::Child,
    /// An admin token of the server.
    pub token: String,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl SuiteServer {
    /// Issues an admin token on the store, starts the server, and adds it as [`SUITE_ENV`].
    fn start(env: &Env) -> SuiteServer {
        let store = env.path(SQLITE_STORE);
        // A copied store holds the token of its template's server: issued again here.
        if store.exists() {
            let _ = env
                .base_cmd()
                .env("POOLS_STORE", &store)
                .args(["-q", "serve", "token", "revoke", SUITE_TOKEN_NAME])
                .output();
        }
        let out = env
            .base_cmd()
            .env("POOLS_STORE", &store)
            .args([
                "-q",
                "serve",
                "token",
                "create",
                "--role",
                "admin",
                "--name",
                SUITE_TOKEN_NAME,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let log = std::fs::File::create(env.path("server.log")).unwrap();
        let mut child = env
            .base_cmd()
            .env("POOLS_STORE", &store)
            .env("POOLS_SERVER_KEY", SUITE_SERVER_KEY)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let addr = listening_on(&mut child, "the suite's server");
        let base = format!("http://{addr}");
        let out = env
            .base_cmd()
            .args(["env", "add", SUITE_ENV, "--url", &base])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        SuiteServer { child, token, base }
    }
}

impl Drop for SuiteServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The store file of a test on [`Backend::Sqlite`], in its dir.
const SQLITE_STORE: &str = "pools.db";

/// A private HOME, store and credentials file for one test.
pub struct Env {
    /// Declared first: stopped before the dir goes.
    pub server: Option<SuiteServer>,
    pub dir: TempDir,
    pub backend: Backend,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Self {
        Self::on(Backend::current())
    }

    /// A test's env holding a copy of `template`'s files (its store among them), on the
    /// template's backend: a server is started on the copy only once it is made.
    pub fn copy_of(template: &Env) -> Self {
        let mut env = Env {
            server: None,
            dir: tempfile::tempdir().unwrap(),
            backend: template.backend,
        };
        for entry in std::fs::read_dir(template.dir.path()).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if entry.file_type().unwrap().is_file() && name != "server.log" {
                std::fs::copy(entry.path(), env.path(name.to_str().unwrap())).unwrap();
            }
        }
        if env.backend == Backend::Server {
            env.server = Some(SuiteServer::start(&env));
        }
        env
    }

    /// A test's env on `backend` (a server started for [`Backend::Server`]).
    pub fn on(backend: Backend) -> Self {
        let mut env = Env {
            server: None,
            dir: tempfile::tempdir().unwrap(),
            backend,
        };
        if backend == Backend::Server {
            env.server = Some(SuiteServer::start(&env));
        }
        env
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The store's file on [`Backend::Sqlite`] (where tests that look at the file itself
    /// find it; the SQLite-only tests use it).
    pub fn store(&self) -> PathBuf {
        self.path(SQLITE_STORE)
    }

    /// The store's file when the backend keeps the store in a file here, for the checks that
    /// look at the bytes it wrote (no secret in them, none written); `None` on a backend
    /// whose store is elsewhere (the remote environment of issue 11), which skips them and
    /// keeps the rest of the test.
    pub fn local_store(&self) -> Option<PathBuf> {
        (self.backend == Backend::Sqlite).then(|| self.store())
    }

    /// `pools` with a cleared environment; stdin is empty (not a terminal), so it never prompts.
    pub fn cmd(&self) -> Command {
        let mut c = Command::from_std(self.std_cmd());
        c.write_stdin("");
        c
    }

    /// The same, as a plain `std::process::Command` (for processes run side by side).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = self.base_cmd();
        self.backend
            .configure(&mut c, self.dir.path(), self.server.as_ref());
        c
    }

    /// [`Env::std_cmd`] without a store or an environment chosen.
    pub fn base_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pools"));
        c.env_clear()
            .env("HOME", self.dir.path())
            // Who the audit log names (tests/cli/audit.rs).
            .env("USER", "tester")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("POOLS_KEYRING", "file")
            .env("POOLS_CREDENTIALS_FILE", self.path("credentials.json"))
            .env("NO_COLOR", "1")
            // No test reaches the internet: a live source's request to any host but
            // loopback goes to a proxy that is not there (port 9, discard), and fails at once.
            .env("HTTPS_PROXY", NO_INTERNET)
            .env("HTTP_PROXY", NO_INTERNET)
            .env("NO_PROXY", "127.0.0.1,localhost,::1")
            .current_dir(self.dir.path());
        c
    }

    /// [`Env::std_cmd`] whose files may grow to `bytes` at most (RLIMIT_FSIZE, with SIGXFSZ
    /// ignored so a write past it fails with EFBIG): a full disk, without a mount.
    pub fn std_cmd_with_file_limit(&self, bytes: u64) -> std::process::Command {
        use std::os::unix::process::CommandExt;
        let mut c = self.std_cmd();
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(move || {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let lim = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
                Ok(())
            });
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_with_stdin(args, "")
    }

    /// [`Env::ok`] with `stdin` written to the command (a secret or password given as `-`).
    pub fn ok_with_stdin(&self, args: &[&str], stdin: &str) -> String {
        let out = self.cmd().args(args).write_stdin(stdin).output().unwrap();
        assert!(
            out.status.success(),
            "pools {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The store as `pools export` prints it.
    pub fn export(&self) -> String {
        self.ok(&["export"])
    }

    /// Asserts that the command fails with `code`, that stderr contains every `needle`, and
    /// that the store is exactly as before (compared through `pools export` and the order).
    pub fn refused(&self, args: &[&str], code: i32, needles: &[&str]) -> String {
        let before = (self.export(), self.ok(&["list", "-o", "json"]));
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "pools {args:?}: {stderr}");
        for n in needles {
            assert!(
                stderr.contains(n),
                "pools {args:?}: stderr lacks {n:?}:\n{stderr}"
            );
        }
        assert!(stderr.starts_with("error: "), "{stderr}");
        let after = (self.export(), self.ok(&["list", "-o", "json"]));
        assert_eq!(
            before, after,
            "pools {args:?} changed the store although it was refused"
        );
        stderr
    }

    /// Creates an export pool named `name` (the cheapest valid pool).
    pub fn export_pool(&self, name: &str) {
        self.ok(&[
            "create",
            name,
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "users.csv",
        ]);
    }

    /// Writes a file in the test dir.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::write(&p, text).unwrap();
        p
    }
}

/// The repository root (for committed files such as pools.example.yaml).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Pool names in order, from `pools list -o json`.
pub fn order(env: &Env) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["list", "-o", "json"])).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A `pools export` document without its `environment`, `order_version` and `version` lines
/// (R12): what two stores holding the same pools export alike.
pub fn unversioned(doc: &str) -> String {
    doc.lines()
        .filter(|l| {
            !l.starts_with("environment:")
                && !l.starts_with("order_version:")
                && !l.trim_start().starts_with("version:")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The client ID the idp pools of these tests are created with (`--client-id cid`).
pub const CLIENT_ID: &str = "cid";
/// A NumericDate far ahead (2100-01-01): an `exp` that does not run out.
pub const FAR_FUTURE: i64 = 4_102_444_800;
/// A NumericDate in the past (2023-11-14): an `iat`.
pub const PAST: i64 = 1_700_000_000;

/// `claims` completed into a valid ID token's claims (OIDC Core 1.0 §3.1.3.7) for a pool of
/// client [`CLIENT_ID`]: `aud`, `exp` and `iat` added when absent, so tests about other claims
/// state only those. A claim set to JSON `null` here is removed (a test of its absence).
pub fn id_token(claims: &serde_json::Value) -> serde_json::Value {
    let mut c = claims.clone();
    if let Some(m) = c.as_object_mut() {
        for (k, v) in [
            ("aud", serde_json::json!(CLIENT_ID)),
            ("exp", serde_json::json!(FAR_FUTURE)),
            ("iat", serde_json::json!(PAST)),
        ] {
            match m.get(k) {
                None => {
                    m.insert(k.to_owned(), v);
                }
                Some(serde_json::Value::Null) => {
                    m.remove(k);
                }
                Some(_) => {}
            }
        }
    }
    c
}

/// Issue 9: the suite's backend comes from `POOLS_TEST_BACKEND`: `sqlite` (also when unset or
/// empty) or `server` (issue 11); any other value is refused, naming the variable, the value and the supported ones.
#[test]
fn the_test_backend_is_chosen_by_pools_test_backend() {
    assert_eq!(Backend::parse(""), Ok(Backend::Sqlite));
    assert_eq!(Backend::parse("sqlite"), Ok(Backend::Sqlite));
    assert_eq!(Backend::parse("server"), Ok(Backend::Server));
    assert_eq!(Backend::SUPPORTED, ["sqlite", "server"]);
    let refused = Backend::parse("server-sqlite").unwrap_err();
    assert_eq!(
        refused,
        "POOLS_TEST_BACKEND=\"server-sqlite\" is not a supported test backend; supported: sqlite, server"
    );
    // The whole suite of this run is on one backend, the one the variable names.
    let named = std::env::var(BACKEND_VAR).unwrap_or_default();
    assert_eq!(Backend::parse(&named), Ok(Backend::current()));
    assert_eq!(Env::new().backend, Backend::current());
}
