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

/// A loopback TCP port that accepts connections and never answers: a hanging source.
/// The listener lives as long as the returned guard.
pub struct Silent {
    pub base: String,
    _stop: std::sync::mpsc::Sender<()>,
}

pub fn silent_listener() -> Silent {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        while rx.try_recv() == Err(std::sync::mpsc::TryRecvError::Empty) {
            if let Ok((s, _)) = listener.accept() {
                held.push(s);
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    });
    Silent { base, _stop: tx }
}

/// The moto server (PyPI `moto[server]`, pinned in scripts/emulators/moto) standing in for
/// Amazon Cognito, started by `scripts/test`, which sets `POOLS_TEST_MOTO` to its address.
pub fn moto() -> String {
    let addr = std::env::var("POOLS_TEST_MOTO").unwrap_or_else(|_| {
        panic!(
            "POOLS_TEST_MOTO is not set: the Cognito tests need moto's server. Run the suite with \
             scripts/test (it installs moto[server] and starts it), or start it yourself: \
             `eval \"$(scripts/emulators/moto start target/emulators)\"`"
        )
    });
    format!("http://{addr}")
}

/// One Cognito Identity Provider call (AWS JSON 1.1) to moto, as the administrator setting
/// up a test's user pool would make it; moto takes the region from the credential scope.
pub fn cognito(base: &str, op: &str, body: serde_json::Value) -> serde_json::Value {
    let out = Command::new("curl")
        .args(["-sS", "-X", "POST", base])
        .args(["-H", "Content-Type: application/x-amz-json-1.1"])
        .args([
            "-H",
            &format!("X-Amz-Target: AWSCognitoIdentityProviderService.{op}"),
        ])
        .args([
            "-H",
            "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
        ])
        .args(["--data-binary", &body.to_string()])
        .output()
        .expect("curl is needed to set up the Cognito tests: install curl");
    assert!(
        out.status.success(),
        "{op}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = if text.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{op}: {e}: {text}"))
    };
    assert!(v.get("__type").is_none(), "{op}: {v}");
    v
}
