//! Integration tests: the real `pools` binary, a real SQLite store in a temp dir, a cleared
//! environment. One test binary, one module per command (each file would otherwise link alone).

mod apply;
mod audit;
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
mod login;
mod output;
mod reads;
mod reorder;
mod restore;
mod robustness;
mod secrets;
mod store;
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

/// A private HOME, store and credentials file for one test.
pub struct Env {
    pub dir: TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn store(&self) -> PathBuf {
        self.path("pools.db")
    }

    /// `pools` with a cleared environment; stdin is empty (not a terminal), so it never prompts.
    pub fn cmd(&self) -> Command {
        let mut c = Command::from_std(self.std_cmd());
        c.write_stdin("");
        c
    }

    /// The same, as a plain `std::process::Command` (for processes run side by side).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pools"));
        c.env_clear()
            .env("HOME", self.dir.path())
            // Who the audit log names (tests/cli/audit.rs).
            .env("USER", "tester")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("POOLS_STORE", self.store())
            .env("POOLS_KEYRING", "file")
            .env("POOLS_CREDENTIALS_FILE", self.path("credentials.json"))
            .env("NO_COLOR", "1")
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
