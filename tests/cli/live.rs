//! Live sources on loopback: the processes the live-source tests talk to, started per test
//! on 127.0.0.1 and stopped when dropped. The custom source's endpoint is the example this
//! project ships (`examples/custom-source/server.py`, Python's standard library only).
//! A tool that is missing fails the test with what to install: never a silent pass.

use crate::{Env, repo};
use serde_json::{Value, json};
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
pub fn serve(mut cmd: Command, what: &str, install: &str) -> Served {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what} ({e}): install {install}"));
    let addr = crate::listening_on(&mut child, what);
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
/// Amazon Cognito, started by `scripts/with-emulators cargo test --locked`, which sets `POOLS_TEST_MOTO` to its address.
pub fn moto() -> String {
    let addr = std::env::var("POOLS_TEST_MOTO").unwrap_or_else(|_| {
        panic!(
            "POOLS_TEST_MOTO is not set: the Cognito tests need moto's server. Run the suite with \
             scripts/with-emulators cargo test --locked (it installs moto[server] and starts it), or start it yourself: \
             `eval \"export $(scripts/emulators/moto start target/emulators)\"`"
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

/// A Cognito user pool on moto with an app client (with a secret when `secret`), for one test.
pub struct UserPool {
    pub base: String,
    pub id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

impl UserPool {
    pub fn new(secret: bool) -> UserPool {
        let base = moto();
        let created = cognito(
            &base,
            "CreateUserPool",
            json!({"PoolName": "pools-test", "UsernameAttributes": ["email"]}),
        );
        let id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
        let client = cognito(
            &base,
            "CreateUserPoolClient",
            json!({"UserPoolId": id, "ClientName": "app", "GenerateSecret": secret,
                   "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}),
        );
        UserPool {
            base,
            id,
            client_id: client["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap()
                .to_owned(),
            client_secret: client["UserPoolClient"]["ClientSecret"]
                .as_str()
                .map(str::to_owned),
        }
    }

    /// A confirmed user with a permanent password and attributes.
    pub fn user(&self, email: &str, password: &str, attrs: &[(&str, &str)]) {
        let mut list = vec![json!({"Name": "email", "Value": email})];
        list.extend(attrs.iter().map(|(n, v)| json!({"Name": n, "Value": v})));
        cognito(
            &self.base,
            "AdminCreateUser",
            json!({"UserPoolId": self.id, "Username": email, "UserAttributes": list,
                   "MessageAction": "SUPPRESS"}),
        );
        cognito(
            &self.base,
            "AdminSetUserPassword",
            json!({"UserPoolId": self.id, "Username": email, "Password": password,
                   "Permanent": true}),
        );
    }

    pub fn admin(&self, op: &str, mut body: Value) {
        body["UserPoolId"] = json!(self.id);
        cognito(&self.base, op, body);
    }

    /// `create live ...` flags for this user pool.
    pub fn flags(&self) -> Vec<String> {
        let region = self.id.split('_').next().unwrap().to_owned();
        let mut f: Vec<String> = [
            "--source",
            "cognito",
            "--region",
            &region,
            "--user-pool-id",
            &self.id,
            "--client-id",
            &self.client_id,
            "--endpoint-url",
            &self.base,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if self.client_secret.is_some() {
            f.extend(["--client-secret".into(), "env:COGNITO_SECRET".into()]);
        }
        f
    }
}

/// The Firebase Auth emulator (npm firebase-tools, pinned in scripts/emulators/firebase)
/// standing in for Firebase Authentication, started by `scripts/with-emulators cargo test --locked`, which sets
/// `POOLS_TEST_FIREBASE` to its address: `http://127.0.0.1:PORT`, the form of a pool's
/// `endpoint_url` (as FIREBASE_AUTH_EMULATOR_HOST gives it to the SDKs).
pub fn firebase() -> String {
    let addr = std::env::var("POOLS_TEST_FIREBASE").unwrap_or_else(|_| {
        panic!(
            "POOLS_TEST_FIREBASE is not set: the Firebase tests need the Firebase Auth emulator. \
             Run the suite with scripts/with-emulators cargo test --locked (it installs firebase-tools and starts it), or start \
             it yourself: `eval \"export $(scripts/emulators/firebase start target/emulators)\"` \
             (with FIREBASE_BIN=/path/to/firebase if it is not on PATH)"
        )
    });
    format!("http://{addr}")
}

/// The emulator's project (a `demo-` project needs no login).
pub const FIREBASE_PROJECT: &str = "demo-pools";

/// One request to the emulator as the project's administrator (`Authorization: Bearer
/// owner`, which the emulator takes as an admin credential): `method` on `path` (under the
/// emulator's base) with `body`; the JSON answer, which must not be an error.
pub fn firebase_admin(method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
    let url = format!("{}{path}", firebase());
    let out = Command::new("curl")
        .args(["-sS", "-X", method, &url])
        .args(["-H", "Content-Type: application/json"])
        .args(["-H", "Authorization: Bearer owner"])
        .args(["--data-binary", &body.to_string()])
        .output()
        .expect("curl is needed to set up the Firebase tests: install curl");
    assert!(
        out.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
    assert!(v.get("error").is_none(), "{path}: {v}");
    v
}

/// The emulator's email privacy (email enumeration protection) is one setting of its one
/// project, and API-key calls always reach that project (the emulator maps every key to it,
/// and `accounts:signInWithPassword` has no project in its path). So the tests that need it
/// on hold this lock for writing and every other Firebase test holds it for reading: no
/// test sees the other setting.
static FIREBASE_PRIVACY: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Held by a Firebase test that needs email privacy off (the emulator's default).
pub fn firebase_plain() -> std::sync::RwLockReadGuard<'static, ()> {
    FIREBASE_PRIVACY
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Email privacy on while it lives (INVALID_LOGIN_CREDENTIALS for an unknown email and a
/// wrong password alike); turned off again when dropped, also when the test fails.
pub struct FirebasePrivate(#[allow(dead_code)] std::sync::RwLockWriteGuard<'static, ()>);

pub fn firebase_private() -> FirebasePrivate {
    let guard = FIREBASE_PRIVACY
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    set_privacy(true);
    FirebasePrivate(guard)
}

fn set_privacy(on: bool) {
    let v = firebase_admin(
        "PATCH",
        &format!("/emulator/v1/projects/{FIREBASE_PROJECT}/config"),
        serde_json::json!({"emailPrivacyConfig": {"enableImprovedEmailPrivacy": on}}),
    );
    assert_eq!(
        v["emailPrivacyConfig"]["enableImprovedEmailPrivacy"], on,
        "{v}"
    );
}

impl Drop for FirebasePrivate {
    fn drop(&mut self) {
        // No panic here (it may run while the test unwinds): a failure shows in the tests
        // that follow, which check what the emulator answers.
        let _ = Command::new("curl")
            .args(["-sS", "-X", "PATCH"])
            .arg(format!(
                "{}/emulator/v1/projects/{FIREBASE_PROJECT}/config",
                firebase()
            ))
            .args(["-H", "Content-Type: application/json"])
            .args([
                "--data-binary",
                r#"{"emailPrivacyConfig":{"enableImprovedEmailPrivacy":false}}"#,
            ])
            .output();
    }
}

/// A user of the emulator's project, made as its administrator would
/// (`POST .../projects/{project}/accounts`, the Admin SDK's createUser): `extra` members
/// (`disabled`, `displayName`, `customAttributes` as a JSON string) as they are. Its `localId`.
pub fn firebase_user(email: &str, password: &str, extra: serde_json::Value) -> String {
    let mut body = serde_json::json!({"email": email, "password": password});
    let mut extra = match extra {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    // Custom claims are not taken at creation (as the Admin SDK's setCustomUserClaims, an
    // update after it).
    let claims = extra.remove("customAttributes");
    body.as_object_mut().unwrap().extend(extra);
    let v = firebase_admin(
        "POST",
        &format!("/identitytoolkit.googleapis.com/v1/projects/{FIREBASE_PROJECT}/accounts"),
        body,
    );
    let local_id = v["localId"].as_str().unwrap().to_owned();
    if let Some(c) = claims {
        firebase_update(&local_id, serde_json::json!({ "customAttributes": c }));
    }
    local_id
}

/// `accounts:update` of the user `local_id` as the administrator (`disableUser`,
/// `customAttributes`, `displayName`).
pub fn firebase_update(local_id: &str, change: serde_json::Value) {
    let mut body = serde_json::json!({"localId": local_id});
    if let serde_json::Value::Object(m) = change {
        body.as_object_mut().unwrap().extend(m);
    }
    firebase_admin(
        "POST",
        &format!("/identitytoolkit.googleapis.com/v1/projects/{FIREBASE_PROJECT}/accounts:update"),
        body,
    );
}

/// An email no other test uses (the tests share the emulator and run side by side).
pub fn unique_email(tag: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{tag}-{}-{}-{}@pools.test",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        nanos % 1_000_000_007
    )
}

/// The Auth0 test double (tests/doubles/auth0.py: a stand-in answering the documented
/// Authentication and Management API endpoints the `auth0` source calls; not Auth0) over
/// the tenant file at `rel` in `env` (see the double's header for its form), with more
/// flags (`--delay-ms`, `--issued`).
pub fn auth0_double(env: &Env, rel: &str, flags: &[&str]) -> Served {
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("tests/doubles/auth0.py"))
        .arg("serve")
        .arg(env.path(rel))
        .args(["--host", "127.0.0.1", "--port", "0"])
        .args(flags);
    serve(cmd, "the Auth0 test double", "Python 3 (python3)")
}
