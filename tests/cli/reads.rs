//! Every input `pools` reads whole is bounded (issue 8): a YAML document, the credentials
//! file, a hash config, a claims or metadata file, a secret or password from stdin or a file.
//! Fed `/dev/zero`, an endless stream or an oversized file, each is refused cleanly (its
//! documented exit code, the input and the limit named, nothing written). The commands run
//! under an address-space cap, so a read without a bound fails the test (an allocation
//! failure) instead of exhausting the machine.

use crate::login::{REFUSED, fixture};
use crate::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command as StdCommand, Output, Stdio};

/// The address-space cap of [`capped`], in KiB: far above what `pools` needs (argon2 takes
/// 64 MiB), far below the machine.
const CAP_KIB: u64 = 1_000_000;

/// Where a capped command's stdin comes from.
enum Input {
    /// This text.
    Text(&'static str),
    /// A file, e.g. `/dev/zero`.
    File(&'static str),
    /// `head` first, then zero bytes until `pools` stops reading.
    Endless(&'static str),
}

/// `pools ARGS` under `ulimit -v` [`CAP_KIB`], with the test's environment plus `vars`.
fn capped(env: &Env, args: &[&str], stdin: Input, vars: &[(&str, &str)]) -> Output {
    let base = env.std_cmd();
    let mut c = StdCommand::new("sh");
    c.arg("-c")
        .arg(format!("ulimit -v {CAP_KIB} || exit 99; exec \"$@\""))
        .arg("sh")
        .arg(base.get_program())
        .args(args)
        .env_clear()
        .current_dir(base.get_current_dir().unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c.envs(vars.iter().copied());
    match stdin {
        Input::Text(t) => {
            let mut child = c.stdin(Stdio::piped()).spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            // A refusal may come before the text is read: a broken pipe is fine then.
            let _ = pipe.write_all(t.as_bytes());
            drop(pipe);
            child.wait_with_output().unwrap()
        }
        Input::File(path) => {
            c.stdin(std::fs::File::open(path).unwrap());
            c.output().unwrap()
        }
        Input::Endless(head) => {
            let mut child = c.stdin(Stdio::piped()).spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || {
                if pipe.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let zeros = [0u8; 64 * 1024];
                // Ends when `pools` exits (broken pipe).
                while pipe.write_all(&zeros).is_ok() {}
            });
            let out = child.wait_with_output().unwrap();
            writer.join().unwrap();
            out
        }
    }
}

/// The store as the other tests compare it: `pools export` and the order.
fn snapshot(env: &Env) -> (String, String, String) {
    (
        env.export(),
        env.ok(&["list", "-o", "json"]),
        env.ok(&["users", "list", "-o", "json"]),
    )
}

/// Runs [`capped`] and asserts a clean refusal: exit `code`, an `error:` naming every
/// `needle`, and the store (pools and users) as before. Returns stderr.
fn refused(
    env: &Env,
    args: &[&str],
    stdin: Input,
    vars: &[(&str, &str)],
    code: i32,
    needles: &[&str],
) -> String {
    let before = snapshot(env);
    let out = capped(env, args, stdin, vars);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "pools {args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "pools {args:?}: {stderr}");
    for n in needles {
        assert!(
            stderr.contains(n),
            "pools {args:?}: stderr lacks {n:?}:\n{stderr}"
        );
    }
    assert_eq!(before, snapshot(env), "pools {args:?} changed the store");
    stderr
}

/// A file of `len` bytes of `fill` in the test dir, written in chunks.
fn big_file(env: &Env, rel: &str, head: &str, fill: u8, len: usize) -> String {
    let path = env.path(rel);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let chunk = vec![fill; 64 * 1024];
    let mut left = len - head.len();
    while left > 0 {
        let n = left.min(chunk.len());
        f.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    f.flush().unwrap();
    path.to_str().unwrap().to_owned()
}

const MIB: usize = 1024 * 1024;

/// `pools apply`: a document from `/dev/zero`, from an endless stdin or past 16 MiB is
/// refused (exit 5) naming the input and the limit; one within it still applies.
#[test]
fn apply_documents_are_bounded_at_16_mib() {
    let env = Env::new();
    env.export_pool("kept");
    refused(
        &env,
        &["apply", "-f", "/dev/zero"],
        Input::Text(""),
        &[],
        VALIDATION,
        &["/dev/zero", "16 MiB", "hint: "],
    );
    refused(
        &env,
        &["apply", "-f", "-"],
        Input::File("/dev/zero"),
        &[],
        VALIDATION,
        &["<stdin>", "16 MiB"],
    );
    let big = big_file(&env, "big.yaml", "pools: []\n#", b'x', 16 * MIB + 1);
    refused(
        &env,
        &["apply", "-f", &big, "--prune", "--yes"],
        Input::Text(""),
        &[],
        VALIDATION,
        &["big.yaml", "16 MiB"],
    );
    // Exactly at the limit is read (and here prunes the pool, so the file was applied; a
    // document that lists no pools cannot prune, so it lists one pool more).
    env.export_pool("listed");
    let head = format!(
        "- {{name: listed, type: external, source: export, file: {}}}\n#",
        env.path("users.csv").display()
    );
    let at = big_file(&env, "at.yaml", &head, b'x', 16 * MIB);
    let out = capped(
        &env,
        &["apply", "-f", &at, "--prune", "--yes"],
        Input::Text(""),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(order(&env), ["listed"]);
}

/// The credentials file (`keyring:` secrets without an OS keyring): one past 16 MiB, or a
/// device, is refused (exit 1, the store's own files) naming the file and the limit; the pool
/// whose secret it would have kept is not created.
#[test]
fn the_credentials_file_is_bounded_at_16_mib_and_must_be_a_file() {
    // Local only: the secrets kept are in the client's credentials file; a server keeps them
    // in its sealed file instead (serve::the_server_keeps_and_finds_secrets_in_its_sealed_file_only).
    let env = Env::on(crate::Backend::Sqlite);
    env.export_pool("kept");
    let create = [
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
    ];
    let big = big_file(&env, "creds.json", "{", b' ', 16 * MIB + 1);
    refused(
        &env,
        &create,
        Input::Text("Sup3r-secret\n"),
        &[("POOLS_CREDENTIALS_FILE", &big)],
        1,
        &["creds.json", "16 MiB", "POOLS_CREDENTIALS_FILE"],
    );
    refused(
        &env,
        &create,
        Input::Text("Sup3r-secret\n"),
        &[("POOLS_CREDENTIALS_FILE", "/dev/zero")],
        1,
        &["/dev/zero", "not a regular file"],
    );
    // A FIFO is refused before it is opened: opening it would wait for a writer forever.
    let made = std::process::Command::new("mkfifo")
        .arg(env.path("creds.fifo"))
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = env.path("creds.fifo").display().to_string();
    refused(
        &env,
        &create,
        Input::Text("Sup3r-secret\n"),
        &[("POOLS_CREDENTIALS_FILE", &fifo)],
        1,
        &["creds.fifo", "not a regular file"],
    );
    assert_eq!(order(&env), ["kept"]);
}

/// `--hash-config`: past 1 MiB it is refused at import (exit 5), fails a login closed
/// (`source_unavailable`, naming the file and the limit) and is a finding of `pools doctor`.
#[test]
fn hash_configs_are_bounded_at_1_mib() {
    let env = Env::new();
    let export = fixture("firebase-auth-export.json");
    let create = |hash: &str| {
        vec![
            "create".to_owned(),
            "fb".into(),
            "--type".into(),
            "external".into(),
            "--source".into(),
            "export".into(),
            "--file".into(),
            export.clone(),
            "--mode".into(),
            "jit".into(),
            "--tenant".into(),
            "auto".into(),
            "--hash-config".into(),
            hash.to_owned(),
        ]
    };
    // A pool is never saved with an unreadable hash config: a device is no regular file (as
    // a FIFO, which could block for ever); files past the limit are below.
    let args = create("/dev/zero");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(
        &env,
        &args,
        Input::Text(""),
        &[],
        VALIDATION,
        &["--hash-config", "/dev/zero", "not a regular file"],
    );

    std::fs::copy(fixture("firebase-hash-config.json"), env.path("hc.json")).unwrap();
    let args = create("hc.json");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    refused(
        &env,
        &[
            "users",
            "import",
            "--pool",
            "fb",
            "--hash-config",
            "/dev/zero",
        ],
        Input::Text(""),
        &[],
        VALIDATION,
        &["--hash-config", "/dev/zero", "not a regular file", "hint: "],
    );
    let big = big_file(&env, "hash.json", "{", b' ', MIB + 1);
    refused(
        &env,
        &["users", "import", "--pool", "fb", "--hash-config", &big],
        Input::Text(""),
        &[],
        VALIDATION,
        &["--hash-config", "hash.json", "1 MiB"],
    );
    // The pool's own hash config, grown past the limit since: the login fails closed,
    // naming it.
    big_file(&env, "hc.json", "{", b' ', MIB + 1);
    let out = capped(
        &env,
        &[
            "simulate-login",
            "rosa.marin@example.com",
            "--password-stdin",
            "-o",
            "json",
        ],
        Input::Text("Harbor-lights-9\n"),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(REFUSED),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["reason"], "source_unavailable", "{trace:#}");
    let text = trace.to_string();
    assert!(
        text.contains("hc.json") && text.contains("1 MiB"),
        "{trace:#}"
    );
    let out = capped(&env, &["doctor", "-o", "json"], Input::Text(""), &[]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("unusable_hash") && report.contains("1 MiB"),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `simulate-login --claims FILE` and `users set-metadata --file FILE`: past 1 MiB, refused
/// (exit 5) naming the flag, the file and the limit; the metadata is left as it was.
#[test]
fn claims_and_metadata_files_are_bounded_at_1_mib() {
    let env = Env::new();
    refused(
        &env,
        &["simulate-login", "ada@x.org", "--claims", "/dev/zero"],
        Input::Text(""),
        &[],
        VALIDATION,
        &["--claims", "/dev/zero", "1 MiB", "hint: "],
    );
    env.cmd()
        .args(["users", "create", "ada@x.org", "--password-stdin"])
        .write_stdin("Pw-of-ada-1\n")
        .assert()
        .success();
    refused(
        &env,
        &["users", "set-metadata", "ada@x.org", "--file", "/dev/zero"],
        Input::Text(""),
        &[],
        VALIDATION,
        &["--file", "/dev/zero", "1 MiB", "hint: "],
    );
    let big = big_file(&env, "meta.json", "{", b' ', MIB + 1);
    refused(
        &env,
        &["users", "set-metadata", "ada@x.org", "--file", &big],
        Input::Text(""),
        &[],
        VALIDATION,
        &["--file", "meta.json", "1 MiB"],
    );
}

/// A secret flag's `-` reads at most 64 KiB of stdin: `/dev/zero` or a longer stream is
/// refused (exit 5) naming the flag and the limit; no pool and no credential are created.
#[test]
fn stdin_secrets_are_bounded_at_64_kib() {
    let env = Env::new();
    let args = [
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
    ];
    refused(
        &env,
        &args,
        Input::File("/dev/zero"),
        &[],
        VALIDATION,
        &["--client-secret", "<stdin>", "64 KiB", "hint: "],
    );
    refused(
        &env,
        &args,
        Input::Endless("s3cret"),
        &[],
        VALIDATION,
        &["--client-secret", "64 KiB"],
    );
    assert!(order(&env).is_empty());
    assert!(!env.path("credentials.json").exists());
}

/// Passwords (`simulate-login --password-stdin` / `--password-file`, `users create
/// --password-stdin`) are the first line, at most 4 KiB: `/dev/zero` is refused (exit 5)
/// naming the flag and the limit, and what follows the first line is never read.
#[test]
fn passwords_are_a_first_line_of_at_most_4_kib() {
    let env = Env::new();
    for (args, stdin) in [
        (
            vec!["simulate-login", "ada@x.org", "--password-stdin"],
            Input::File("/dev/zero"),
        ),
        (
            vec![
                "simulate-login",
                "ada@x.org",
                "--password-file",
                "/dev/zero",
            ],
            Input::Text(""),
        ),
        (
            vec!["users", "create", "ada@x.org", "--password-stdin"],
            Input::File("/dev/zero"),
        ),
    ] {
        let flag = args.iter().find(|a| a.starts_with("--password")).unwrap();
        let flag = flag.to_string();
        refused(
            &env,
            &args,
            stdin,
            &[],
            VALIDATION,
            &[&flag, "4 KiB", "hint: "],
        );
    }
    let long = "x".repeat(4097);
    env.write("long.txt", &format!("{long}\n"));
    refused(
        &env,
        &["simulate-login", "ada@x.org", "--password-file", "long.txt"],
        Input::Text(""),
        &[],
        VALIDATION,
        &["--password-file", "long.txt", "4 KiB"],
    );
    // A first line followed by an endless stream: the password is the line.
    let out = capped(
        &env,
        &["users", "create", "ada@x.org", "--password-stdin"],
        Input::Endless("Pw-of-ada-1\n"),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = capped(
        &env,
        &[
            "simulate-login",
            "ada@x.org",
            "--password-stdin",
            "-o",
            "json",
        ],
        Input::Endless("Pw-of-ada-1\r\n"),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A password file larger than the limit is fine when its first line is within it.
    env.write(
        "pw.txt",
        &format!("Pw-of-ada-1\n{}\n", "x".repeat(64 * 1024)),
    );
    env.ok(&["simulate-login", "ada@x.org", "--password-file", "pw.txt"]);
}
