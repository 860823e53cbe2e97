//! Live sources on loopback: the processes the live-source tests talk to, started per test
//! on 127.0.0.1 and stopped when dropped. The custom source's endpoint is the example this
//! project ships (`examples/custom-source/server.py`, Python's standard library only).
//! A tool that is missing fails the test with what to install: never a silent pass.

use crate::{Env, repo};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A process serving on 127.0.0.1, killed when dropped.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Served {
    /// Stops it now (the source is down from here on).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts `cmd`, which prints `listening on HOST:PORT` when it accepts connections.
fn serve(mut cmd: Command, what: &str, install: &str) -> Served {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what} ({e}): install {install}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{what} did not start: {line:?}"))
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{what} listens on {addr}");
    Served {
        child,
        base: format!("http://{addr}"),
    }
}

/// One user of the example custom endpoint's CSV.
pub struct CsvUser<'a> {
    pub id: &'a str,
    pub identifier: &'a str,
    pub password: &'a str,
    pub aliases: &'a [&'a str],
    pub disabled: bool,
    /// Profile columns (e.g. `tenantId`).
    pub profile: &'a [(&'a str, &'a str)],
}

fn example() -> std::path::PathBuf {
    repo().join("examples/custom-source/server.py")
}

/// Writes `users` as the endpoint's CSV at `rel` in `env` (passwords hashed by the
/// example's own `hash` command).
pub fn write_users(env: &Env, rel: &str, users: &[CsvUser<'_>]) {
    let mut columns: Vec<&str> = Vec::new();
    for u in users {
        for (k, _) in u.profile {
            if !columns.contains(k) {
                columns.push(k);
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["id", "identifier", "password_hash", "aliases", "disabled"];
    header.extend(&columns);
    w.write_record(&header).unwrap();
    for u in users {
        let out = Command::new("python3")
            .arg(example())
            .args(["hash", u.password])
            .output()
            .expect("python3 is needed for the custom source's example endpoint: install Python 3");
        assert!(out.status.success());
        let hash = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let mut row = vec![
            u.id.to_owned(),
            u.identifier.to_owned(),
            hash,
            u.aliases.join("|"),
            u.disabled.to_string(),
        ];
        for c in &columns {
            let v = u
                .profile
                .iter()
                .find(|(k, _)| k == c)
                .map_or("", |(_, v)| v);
            row.push(v.to_owned());
        }
        w.write_record(&row).unwrap();
    }
    std::fs::write(env.path(rel), w.into_inner().unwrap()).unwrap();
}

/// The example custom endpoint over the CSV at `rel`, with more flags (`--delay-ms`,
/// `--auth-header`).
pub fn custom_endpoint(env: &Env, rel: &str, flags: &[&str]) -> Served {
    let mut cmd = Command::new("python3");
    cmd.arg(example())
        .arg("serve")
        .arg(env.path(rel))
        .args(["--host", "127.0.0.1", "--port", "0"])
        .args(flags);
    serve(cmd, "the example custom endpoint", "Python 3 (python3)")
}
