//! What `pools` prints and how it exits: failed writes, terminal escapes, defaults, prompts,
//! Ctrl-C and the other rules of the command line (README "Exit codes").

use crate::*;
use std::fs::File;
use std::io::{BufRead, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};

/// Every exit code the README documents (a process killed by a signal has none).
const DOCUMENTED: [i32; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130];
const DECLINED: i32 = 7;
const INTERRUPTED: i32 = 130;
/// bcrypt of "hello".
const HELLO: &str = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";

/// A store with pool p1 (export over u.csv, jit) and user a@example.com, and the files the
/// command lines of tests/fixtures/every-command.txt name.
fn template() -> Env {
    let env = Env::new();
    env.write(
        "u.csv",
        &format!("email,password_hash,tenant_id\nb@example.com,{HELLO},acme\n"),
    );
    env.write(
        "a.csv",
        &format!("email,password_hash,tenant_id,plan\na@example.com,{HELLO},acme,basic\n"),
    );
    env.write(
        "more.csv",
        &format!("email,password_hash,tenant_id\nc@example.com,{HELLO},acme\n"),
    );
    env.write("pw.txt", "hello\n");
    env.write(
        "backup.ndjson",
        "{\"id\":\"usr_0000000000000000000000000000000r\",\"identifier\":\"r@example.com\",\"origin\":\"migrated\",\"pool\":\"p1\",\"tenant_id\":\"acme\",\"profile\":{},\"metadata\":{},\"enabled\":true,\"created_at\":\"2024-01-01T00:00:00Z\",\"version\":1}\n",
    );
    env.ok(&[
        "create",
        "p1",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--format",
        "csv",
        "--mode",
        "jit",
        "--tenant",
        "property:tenant_id",
    ]);
    env.ok(&["users", "import", "--pool", "p1", "--file", "a.csv"]);
    // A plan with a change, so that `apply` commits.
    env.write(
        "pools.yaml",
        &env.export().replace("enabled: true", "enabled: false"),
    );
    env
}

/// A fresh copy of `template`'s files (store included), so each run starts alike.
fn copy_of(template: &Env) -> Env {
    Env::copy_of(template)
}

/// The command lines of tests/fixtures/every-command.txt, each with its `# commits` mark.
fn every_command() -> Vec<(Vec<String>, bool)> {
    std::fs::read_to_string(repo().join("tests/fixtures/every-command.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (cmd, mark) = l.split_once('#').unwrap_or((l, ""));
            (
                cmd.split_whitespace().map(str::to_owned).collect(),
                mark.contains("commits"),
            )
        })
        .collect()
}

#[derive(Clone, Copy, Debug)]
enum Stdin {
    DevNull,
    Closed,
    Password,
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `args` in a copy of `template` with the given stdin, stdout on /dev/full (or piped)
/// and stderr piped (or on /dev/full).
fn run_with(
    template: &Env,
    args: &[String],
    stdin: Stdin,
    full_stdout: bool,
    full_stderr: bool,
) -> Run {
    let env = copy_of(template);
    let mut cmd = env.std_cmd();
    cmd.args(args);
    let full = || Stdio::from(File::options().write(true).open("/dev/full").unwrap());
    cmd.stdout(if full_stdout { full() } else { Stdio::piped() });
    cmd.stderr(if full_stderr { full() } else { Stdio::piped() });
    match stdin {
        Stdin::DevNull => {
            cmd.stdin(Stdio::from(File::open("/dev/null").unwrap()));
        }
        Stdin::Password => {
            cmd.stdin(Stdio::from(File::open(env.path("pw.txt")).unwrap()));
        }
        Stdin::Closed => {
            cmd.stdin(Stdio::null());
            // SAFETY: close(2) is async-signal-safe; fd 0 is the child's own.
            unsafe {
                cmd.pre_exec(|| {
                    libc::close(0);
                    Ok(())
                });
            }
        }
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Item 1: every command, with stdout on /dev/full and stdin empty, closed or holding a
/// password, exits with a documented code, never panics, says what it committed when the
/// output failed after a commit, and never reports success for output it could not write.
/// With stderr on /dev/full it exits as it does with stderr readable.
#[test]
fn every_command_survives_full_stdout_closed_stdin_and_full_stderr() {
    let template = template();
    let lines = every_command();
    assert!(lines.len() > 20);
    let failures = std::sync::Mutex::new(Vec::<String>::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((args, commits)) = lines.get(i) else {
                        break;
                    };
                    let fail = |m: String| failures.lock().unwrap().push(m);
                    let readable = run_with(&template, args, Stdin::DevNull, false, false);
                    for stdin in [Stdin::DevNull, Stdin::Closed, Stdin::Password] {
                        let r = run_with(&template, args, stdin, true, false);
                        let code = r.code.unwrap_or(-1);
                        if !DOCUMENTED.contains(&code) {
                            fail(format!("{args:?} {stdin:?}: exit {code}: {}", r.stderr));
                        }
                        if r.stderr.contains("panicked") || r.stderr.contains("internal error") {
                            fail(format!("{args:?} {stdin:?}: panic: {}", r.stderr));
                        }
                        if *commits && code == 1 && !r.stderr.contains("(committed)") {
                            fail(format!(
                                "{args:?} {stdin:?}: commit not reported: {}",
                                r.stderr
                            ));
                        }
                        if matches!(stdin, Stdin::DevNull)
                            && code == 0
                            && !readable.stdout.is_empty()
                        {
                            fail(format!("{args:?}: exit 0 although its output was lost"));
                        }
                    }
                    let quiet_err = run_with(&template, args, Stdin::DevNull, false, true);
                    if quiet_err.code != readable.code {
                        fail(format!(
                            "{args:?}: exit {:?} with stderr on /dev/full, {:?} without",
                            quiet_err.code, readable.code
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Item 1: `users import` and `simulate-login --commit` commit before printing; when stdout
/// fails they say what they committed, and the commit stands.
#[test]
fn a_commit_before_a_failed_write_is_reported() {
    let template = template();
    let import: Vec<String> = ["users", "import", "--pool", "p1", "--file", "more.csv"]
        .map(String::from)
        .into();
    let env = copy_of(&template);
    let mut cmd = env.std_cmd();
    let out = cmd
        .args(&import)
        .stdin(Stdio::null())
        .stdout(File::options().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: imported 1 row(s)")
            && stderr.contains("(committed); stdout: No space left on device"),
        "{stderr}"
    );
    assert!(env.ok(&["users", "list"]).contains("c@example.com"));

    let r = run_with(
        &template,
        &[
            "simulate-login",
            "b@example.com",
            "--password-file",
            "pw.txt",
            "--commit",
        ]
        .map(String::from),
        Stdin::DevNull,
        true,
        false,
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("login of b@example.com: JIT migration")
            && r.stderr.contains("(committed); stdout:"),
        "{}",
        r.stderr
    );
}

/// Item 1: `--help` to a full disk is reported (exit 1), not lost with exit 0.
#[test]
fn help_to_a_full_stdout_fails() {
    let env = Env::new();
    let out = env
        .std_cmd()
        .arg("--help")
        .stdout(File::options().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: stdout: No space left"));
}

const EVIL: &str = "x\u{1b}[2J\u{202e}y\u{200b}\u{7}";

fn assert_clean(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{202e}', '\u{200b}', '\u{7}'] {
        assert!(
            !text.contains(c),
            "{what}: {c:?} reached the terminal:\n{text}"
        );
    }
}

/// Item 2: a value with ESC[2J, U+202E, U+200B and BEL is shown escaped in tables and in
/// error messages, and exactly in JSON.
#[test]
fn control_characters_are_escaped_in_human_output_only() {
    let env = Env::new();
    env.write(
        "a.csv",
        &format!("email,password_hash,tenant_id,plan\na@example.com,{HELLO},acme,{EVIL}\n"),
    );
    let file = format!("users{EVIL}.csv");
    env.write(&file, "email,password_hash\n");
    env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "a.csv",
    ]);
    env.ok(&[
        "create", "p2", "--type", "external", "--source", "export", "--file", &file,
    ]);
    env.ok(&["users", "import", "--pool", "p1"]);

    let shown = env.ok(&["users", "show", "a@example.com"]);
    assert_clean("users show", &shown);
    assert!(
        // The profile cell is JSON text (ESC and BEL escaped by JSON already); what JSON
        // leaves raw is escaped by the table.
        shown.contains(r"x\u001b[2J\u{202e}y\u{200b}\u0007"),
        "{shown}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["users", "show", "a@example.com", "-o", "json"])).unwrap();
    assert_eq!(json["user"]["profile"]["plan"], EVIL);

    let inspected = env.ok(&["inspect", "p2"]);
    assert_clean("inspect", &inspected);
    assert!(inspected.contains(r"\u{1b}[2J"), "{inspected}");

    // Error messages echo input: escaped there too.
    let out = env.run(&["inspect", &format!("no{EVIL}")]);
    assert_eq!(out.status.code(), Some(NOT_FOUND));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_clean("error", &stderr);
    assert!(stderr.contains(r"nox\u{1b}[2J"), "{stderr}");
}

/// Characters a name cannot hold (R6) but a profile value may, beside visible ones.
const BLANKS: &[char] = &[
    '\u{a0}',
    '\u{2007}',
    '\u{3000}',
    '\u{2800}',
    '\u{115f}',
    '\u{3164}',
    '\u{ffa0}',
    '\u{34f}',
    '\u{fe0f}',
    '\u{e0041}',
    '\u{2061}',
    '\u{85}',
    // Issue 8 (F4): private use, noncharacters, the replacement character.
    '\u{e000}',
    '\u{10fffd}',
    '\u{fdd0}',
    '\u{fffe}',
    '\u{10ffff}',
    '\u{fffd}',
];

/// Output escapes exactly what names refuse: a stored value with a no-break space, U+2800,
/// the Hangul fillers, a variation selector, a tag character, ... is shown with escapes in a
/// human table and exactly in JSON; and a character is escaped in a message if and only if an
/// identifier refuses it.
#[test]
fn invisible_characters_are_escaped_exactly_where_names_refuse_them() {
    let env = Env::new();
    let plan: String = BLANKS.iter().map(|c| format!("<{c}>")).collect();
    env.write(
        "a.csv",
        &format!("email,password_hash,plan\na@example.com,{HELLO},\"{plan}\"\n"),
    );
    env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "a.csv",
    ]);
    env.ok(&["users", "import", "--pool", "p1"]);
    let shown = env.ok(&["users", "show", "a@example.com"]);
    for c in BLANKS {
        assert!(!shown.contains(*c), "{c:?} reached the terminal:\n{shown}");
        // JSON text in the cell: serde_json escapes C1 controls itself (`\u0085`).
        let escape = format!("<\\u{{{:x}}}>", *c as u32);
        let json_escape = format!("<\\u{:04x}>", *c as u32);
        assert!(
            shown.contains(&escape) || shown.contains(&json_escape),
            "{c:?} is not escaped:\n{shown}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["users", "show", "a@example.com", "-o", "json"])).unwrap();
    assert_eq!(json["user"]["profile"]["plan"], plan);

    for c in BLANKS.iter().chain(&['é', 'ａ', 'ß', '한', '\u{301}', ' ']) {
        let id = format!("a{c}b@x.org");
        let login = env
            .cmd()
            .args(["simulate-login", &id, "--password-stdin"])
            .write_stdin("pw\n")
            .output()
            .unwrap();
        let refused = login.status.code() == Some(VALIDATION);
        let out = env.run(&["inspect", &format!("no{c}")]);
        let escaped = !String::from_utf8_lossy(&out.stderr).contains(*c);
        assert_eq!(
            refused, escaped,
            "{c:?}: refused as a name {refused}, escaped in output {escaped}"
        );
        assert_eq!(refused, BLANKS.contains(c), "{c:?}");
    }
}

/// Item 3: the defaults of --mode and --tenant are in the help, and `create` says which
/// defaults it took (on stdout, and as a warning when the output is JSON).
#[test]
fn create_names_the_defaults_it_takes() {
    let env = Env::new();
    let help = env.ok(&["create", "--help"]);
    assert!(help.contains("[default: passthrough]"), "{help}");
    assert!(help.contains("[default: auto"), "{help}");
    let help = env.ok(&["configure", "--help"]);
    assert!(help.contains("[default: unchanged]"), "{help}");

    let out = env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "u.csv",
    ]);
    assert!(out.contains("default taken: --mode passthrough"), "{out}");
    assert!(out.contains("default taken: --tenant auto"), "{out}");
    let r = env.run(&[
        "create", "p2", "--type", "external", "--source", "export", "--file", "u.csv", "--mode",
        "jit", "-o", "json",
    ]);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains("warning: defaults taken: --tenant auto"),
        "{stderr}"
    );
    assert!(!stderr.contains("--mode passthrough"), "{stderr}");
    let out = env.ok(&[
        "create",
        "p3",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--mode",
        "sync",
        "--tenant",
        "fixed:acme",
    ]);
    assert!(!out.contains("default taken"), "{out}");
}

/// Waits until the program has turned echo off for a hidden prompt (the pty pair shares one
/// termios, which the master reads): the prompt's text is written before that, and turning
/// echo off discards input already typed (TCSAFLUSH), so an answer sent at once can be lost.
fn wait_for_hidden_input(master: &File) {
    use std::os::fd::AsRawFd;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        // SAFETY: a termios filled by tcgetattr on an open fd.
        let echo = unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            libc::tcgetattr(master.as_raw_fd(), &mut t) == 0 && t.c_lflag & libc::ECHO != 0
        };
        if !echo {
            // The program reads next; its tcsetattr has flushed what was typed before.
            std::thread::sleep(std::time::Duration::from_millis(20));
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A `pools` run on a pseudo-terminal (stdin and stderr), answering each prompt (a text
/// that appears on the terminal) with its answer; returns the exit code and everything
/// written to the terminal.
fn on_terminal(env: &Env, args: &[&str], answers: &[(&str, &str)]) -> (Option<i32>, String) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty fills two fds; no name and no termios are passed.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: the fds are fresh and owned here.
    let (master, slave) = unsafe {
        use std::os::fd::FromRawFd;
        (File::from_raw_fd(master), File::from_raw_fd(slave))
    };
    let mut cmd = env.std_cmd();
    cmd.args(args)
        .env("TERM", "xterm")
        .stdin(slave.try_clone().unwrap())
        .stderr(slave.try_clone().unwrap())
        .stdout(Stdio::piped());
    // SAFETY: setsid and ioctl are async-signal-safe; the terminal becomes the child's own.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY as _, 0);
            Ok(())
        });
    }
    let mut child: Child = cmd.spawn().unwrap();
    drop(slave);
    drop(cmd);
    let pid = child.id() as libc::pid_t;
    // A prompt that never comes must fail the test, not hang it.
    let watchdog = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::time::Instant::now() < deadline {
            std::thread::park_timeout(std::time::Duration::from_millis(100));
            // SAFETY: signal 0 only checks that the process exists.
            if unsafe { libc::kill(pid, 0) } != 0 {
                return;
            }
        }
        // SAFETY: our own child.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    });
    let mut writer = master.try_clone().unwrap();
    let mut reader = master;
    let mut seen = String::new();
    let mut pending = answers.iter();
    let mut next = pending.next();
    let mut buf = [0u8; 4096];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break, // EIO: the child closed the terminal
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
        while let Some((prompt, answer)) = next {
            let Some(at) = seen.find(prompt) else { break };
            seen.drain(..at + prompt.len());
            if prompt.contains("password") {
                wait_for_hidden_input(&writer);
            }
            writer.write_all(answer.as_bytes()).unwrap();
            next = pending.next();
        }
    }
    let status = child.wait().unwrap();
    watchdog.thread().unpark();
    watchdog.join().unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(next.is_none(), "prompt {next:?} never came:\n{seen}");
    (status.code(), seen + &stdout)
}

/// Item 3: on a terminal, `create` asks for the mode and the tenant source it was not given.
#[test]
fn create_asks_for_mode_and_tenant_on_a_terminal() {
    let env = Env::new();
    let (code, seen) = on_terminal(
        &env,
        &[
            "create", "p1", "--type", "external", "--source", "export", "--file", "u.csv",
            "--format", "csv",
        ],
        &[
            ("mode (passthrough, sync, jit)", "sync\r"),
            ("tenant source", "fixed:acme\r"),
        ],
    );
    assert_eq!(code, Some(0), "{seen}");
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "p1", "-o", "json"])).unwrap();
    assert_eq!(v["mode"], "sync");
    assert_eq!(v["tenant"], "fixed:acme");
}

/// F21: an empty answer at a prompt (a value, a hidden password) is refused saying why and
/// what to type, and the prompt asks again; the answer typed then is taken.
#[test]
fn an_empty_answer_at_a_prompt_says_what_to_type() {
    let env = Env::new();
    let (code, seen) = on_terminal(
        &env,
        &[
            "create",
            "p1",
            "--type",
            "external",
            "--mode",
            "sync",
            "--tenant",
            "fixed:acme",
        ],
        &[
            ("source (auth0, cognito, firebase, custom, export)", "\r"),
            (
                "an empty answer is not accepted: type the source (auth0, cognito, firebase, custom, export) and press Enter",
                "export\r",
            ),
            ("--file", "u.csv\r"),
        ],
    );
    assert_eq!(code, Some(0), "{seen}");
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "p1", "-o", "json"])).unwrap();
    assert_eq!(v["source"], "export");
    let (code, seen) = on_terminal(
        &env,
        &["users", "create", "kim@example.com"],
        &[
            ("password for kim@example.com", "\r"),
            (
                "an empty answer is not accepted: type the password for kim@example.com and press Enter",
                "pw\r",
            ),
        ],
    );
    assert_eq!(code, Some(0), "{seen}");
    assert!(env.ok(&["users", "list"]).contains("kim@example.com"));
}

/// Item 4: answering no to a confirmation exits 7 (documented), nothing deleted.
#[test]
fn declining_a_confirmation_exits_7() {
    let env = Env::new();
    env.export_pool("p1");
    let (code, seen) = on_terminal(&env, &["delete", "p1"], &[("delete pool 'p1'", "n")]);
    assert_eq!(code, Some(DECLINED), "{seen}");
    assert!(seen.contains("not confirmed: nothing deleted"), "{seen}");
    assert_eq!(order(&env), ["p1"]);
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("| 7 |"), "README documents exit 7");
    assert!(env.ok(&["--help"]).contains("7  declined"));
}

/// Item 4: on a terminal the import shows a bar with percent, ETA and a rate in rows/s; with
/// stderr not a terminal, no progress at all.
#[test]
fn import_progress_shows_percent_and_rate_only_on_a_terminal() {
    let env = Env::new();
    let rows: String = (0..2000)
        .map(|i| format!("u{i}@example.com,{HELLO},acme\n"))
        .collect();
    env.write("big.csv", &format!("email,password_hash,tenant_id\n{rows}"));
    env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "big.csv",
    ]);
    let (code, seen) = on_terminal(&env, &["users", "import", "--pool", "p1", "--dry-run"], &[]);
    assert_eq!(code, Some(0), "{seen}");
    assert!(
        seen.contains('%') && seen.contains("rows/s") && seen.contains("ETA"),
        "{seen}"
    );
    let out = env.run(&["users", "import", "--pool", "p1", "--dry-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("rows/s") && !stderr.contains('%'),
        "{stderr}"
    );
}

/// Item 4: Ctrl-C during an import stops it, commits what it took in, says what was committed
/// and how to continue, and exits 130; running it again imports the rest, no duplicates.
#[test]
fn ctrl_c_stops_an_import_after_a_batch() {
    let env = Env::new();
    let total = 20_000;
    let rows: String = (0..total)
        .map(|i| format!("u{i}@example.com,{HELLO},acme\n"))
        .collect();
    // The first row is rejected at once: its report line shows the import is under way.
    env.write(
        "big.csv",
        &format!(
            "email,password_hash,tenant_id\nbad@example.com,$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui,acme\n{rows}"
        ),
    );
    env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "big.csv",
    ]);
    let mut child = env
        .std_cmd()
        .args(["users", "import", "--pool", "p1", "--batch", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("line 2: rejected"), "{first}");
    // SAFETY: our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(INTERRUPTED), "{rest}");
    assert!(
        rest.contains("interrupted by Ctrl-C (SIGINT): ")
            && rest.contains("run the same command again"),
        "{rest}"
    );
    let imported: u64 = rest
        .split("interrupted by Ctrl-C (SIGINT): ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the count of committed rows");
    assert!(imported < total, "{rest}");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains(&format!("imported {imported},")),
        "{summary}"
    );
    // `read` counts the rows the import looked at: never fewer than it imported and rejected.
    let read: u64 = summary
        .strip_prefix("read ")
        .and_then(|s| s.split(',').next())
        .and_then(|n| n.parse().ok())
        .expect("the read count");
    assert!(read > imported, "{summary}");

    let again = env.run(&["users", "import", "--pool", "p1", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(v["already_imported"], imported);
    assert_eq!(v["imported"].as_u64().unwrap() + imported, total);
    assert_eq!(v["interrupted"], false);
}

/// Item 4: every missing flag at once, whatever tier it belongs to.
#[test]
fn create_names_every_missing_flag_at_once() {
    let env = Env::new();
    let stderr = env.refused(&["create", "x"], USAGE, &["--type", "--source"]);
    assert!(stderr.contains("settings of that source"), "{stderr}");
    env.refused(
        &["create", "x", "--source", "auth0"],
        USAGE,
        &["--type, --domain, --client-id, --client-secret"],
    );
    env.refused(
        &["create", "x", "--type", "idp"],
        USAGE,
        &["--issuer, --client-id, --client-secret"],
    );
}

/// Item 4: `--disable` is the one spelling for create and configure (`--disabled` still
/// works, hidden); enum values are lower case and accepted in any case.
#[test]
fn one_spelling_and_case_insensitive_values() {
    let env = Env::new();
    env.ok(&[
        "create",
        "p1",
        "--type",
        "EXTERNAL",
        "--source",
        "Export",
        "--file",
        "u.csv",
        "--mode",
        "JIT",
        "--disable",
    ]);
    env.ok(&[
        "create",
        "p2",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--disabled",
    ]);
    env.ok(&["configure", "p2", "--disabled"]);
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["list", "-o", "JSON"])).unwrap();
    assert_eq!(v[0]["mode"], "jit");
    assert_eq!(v[0]["enabled"], false);
    assert_eq!(v[1]["enabled"], false);
    let help = env.ok(&["create", "--help"]);
    assert!(
        help.contains("--disable") && !help.contains("--disabled"),
        "{help}"
    );
}

/// Item 4: `-q` keeps warnings (it promises results, warnings and errors) and drops notes.
#[test]
fn quiet_keeps_warnings_and_drops_notes() {
    let env = Env::new();
    env.write("u.csv", "email,password_hash\na@x.org,\n");
    let out = env.run(&[
        "-q", "create", "p1", "--type", "external", "--source", "export", "--file", "u.csv",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    env.ok_with_stdin(
        &["users", "create", "n@x.org", "--password-stdin"],
        "Quiet-pass-41\n",
    );
    let out = env.run(&["-q", "users", "export", "--include-hashes"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: the output holds password hashes")
    );
}

/// Item 4: commands whose output has one format refuse `-o` rather than ignore it.
#[test]
fn ignored_output_formats_are_refused() {
    let env = Env::new();
    for args in [
        &["users", "export", "-o", "json"][..],
        &["completions", "bash", "-o", "yaml"],
        &["man", "m", "-o", "json"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(USAGE), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("does not take -o"));
    }
    assert!(!env.path("m").exists());
}

/// Item 4: `pools man DIR` creates DIR, never a missing parent.
#[test]
fn man_refuses_a_missing_parent() {
    let env = Env::new();
    let out = env.run(&["man", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(VALIDATION));
    assert!(String::from_utf8_lossy(&out.stderr).contains("parent directory does not exist"));
    assert!(!env.path("no").exists());
    env.ok(&["man", "pages"]);
    assert!(env.path("pages/man1/pools.1").exists());
}

/// Item 4: `create` prints only the prerequisites its flags do not show as done, and the
/// custom source's contract it points to is in the README.
#[test]
fn create_prints_only_outstanding_prerequisites() {
    let env = Env::new();
    let out = env.run(&[
        "create", "ex", "--type", "external", "--source", "export", "--file", "u.csv", "--format",
        "csv",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("Before this pool works"), "{stderr}");
    let out = env.run(&[
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
        "env:X",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Resource Owner Password grant"), "{stderr}");
    assert!(!stderr.contains("client ID and client secret"), "{stderr}");
    let out = env.run(&[
        "create",
        "cu",
        "--type",
        "external",
        "--source",
        "custom",
        "--url",
        "https://u.example.net/auth",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("The custom source contract"), "{stderr}");
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("## The custom source contract"));
    let example = std::fs::read_to_string(repo().join("pools.example.yaml")).unwrap();
    assert!(example.contains("The custom source contract"));
}

/// SIGTERM and SIGHUP (a service manager, a closed SSH session) stop an import as Ctrl-C
/// does: after a batch, with the summary of what was committed, exit 130; the message names
/// the signal it got (issue 8, F13: it said "before Ctrl-C" whatever came).
#[test]
fn sigterm_and_sighup_stop_an_import_like_ctrl_c() {
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "Ctrl-C (SIGINT)"),
    ] {
        let env = Env::new();
        let rows: String = (0..20_000)
            .map(|i| format!("u{i}@example.com,{HELLO},acme\n"))
            .collect();
        env.write(
            "big.csv",
            &format!(
                "email,password_hash,tenant_id\nbad@example.com,$2x$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui,acme\n{rows}"
            ),
        );
        env.ok(&[
            "create", "p1", "--type", "external", "--source", "export", "--file", "big.csv",
        ]);
        let mut child = env
            .std_cmd()
            .args(["users", "import", "--pool", "p1", "--batch", "1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        assert!(first.contains("line 2: rejected"), "{first}");
        // SAFETY: our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let mut rest = String::new();
        stderr.read_to_string(&mut rest).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(INTERRUPTED),
            "signal {signal}: {rest}"
        );
        assert!(rest.contains(&format!("interrupted by {name}: ")), "{rest}");
        assert!(!rest.contains("Ctrl-C") || signal == libc::SIGINT, "{rest}");
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("read "));
    }
}

/// The display column (terminal cells) where each cell of a table line starts: cells are
/// separated by two spaces or more (one space of padding on each side), none holds two.
fn cell_columns(line: &str) -> Vec<usize> {
    use unicode_width::UnicodeWidthStr;
    let mut starts = Vec::new();
    let mut spaces = 2;
    for (i, c) in line.char_indices() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 {
            starts.push(line[..i].width());
        }
        spaces = 0;
    }
    starts
}

/// Issue 8: tables stay aligned in terminal cells when values hold combining characters
/// (a decomposed é: two code points, one cell) and double-width CJK characters (one code
/// point, two cells): every line is as wide as the header and each column starts at the
/// same display column on every line.
#[test]
fn tables_align_combining_and_wide_characters() {
    use unicode_width::UnicodeWidthStr;
    let env = Env::new();
    let names = [
        "ascii@example.com",
        "jose\u{301}@example.com",
        "山田太郎@example.jp",
        "ｶﾀｶﾅ@example.jp",
    ];
    for id in names {
        let out = env
            .cmd()
            .args([
                "users",
                "create",
                id,
                "--password-stdin",
                "--tenant",
                &format!("東京-{id}"),
            ])
            .write_stdin("Pass-word-123\n")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    env.ok(&[
        "create",
        "wide",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--tenant",
        "fixed:東京本社",
    ]);
    env.export_pool("narrow");
    let users = env.ok(&["users", "list"]);
    let pools = env.ok(&["list"]);
    for (table, rows, columns) in [(&users, names.len(), 6), (&pools, 2, 7)] {
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), rows + 1, "{table}");
        let header = cell_columns(lines[0]);
        assert_eq!(header.len(), columns, "{table}");
        for line in &lines {
            assert_eq!(
                line.width(),
                lines[0].width(),
                "line width: {line:?}\n{table}"
            );
            assert_eq!(
                cell_columns(line),
                header,
                "column starts: {line:?}\n{table}"
            );
        }
    }
    for id in names {
        assert!(users.contains(id), "shown as typed (R6): {id}\n{users}");
    }
    assert!(pools.contains("fixed:東京本社"), "{pools}");
}

/// R12 (retrial 5): an import reading a pipe whose writer has gone quiet (not closed) stops
/// at the first SIGTERM, as a service manager sends it: the rows that reached the writer
/// are committed (those still in the reader's last, unfilled chunk of 256 are not), it says
/// how many and exits 130 without waiting for more input. Before, it waited until the
/// writer of the pipe sent more or closed it.
#[test]
fn a_stop_signal_ends_an_import_waiting_on_a_quiet_pipe() {
    let env = Env::new();
    env.write("seed.csv", "email,password_hash,tenant_id\n");
    env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "seed.csv",
    ]);
    let mut child = env
        .std_cmd()
        .args([
            "users", "import", "--pool", "p1", "--file", "-", "--format", "csv",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let rows: String = (0..3000)
        .map(|i| format!("q{i}@example.com,,acme\n"))
        .collect();
    input
        .write_all(format!("email,password_hash,tenant_id\n{rows}").as_bytes())
        .unwrap();
    input.flush().unwrap();
    // The rows are read and queued; the writer of the pipe stays, silent.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let signalled = std::time::Instant::now();
    // SAFETY: our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the import ends on SIGTERM while its pipe is open")
        .unwrap();
    assert!(signalled.elapsed() < std::time::Duration::from_secs(5));
    drop(input);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(INTERRUPTED), "{stderr}");
    assert!(stderr.contains("interrupted by SIGTERM"), "{stderr}");
    let committed: u64 = stderr
        .split("interrupted by SIGTERM: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the count of committed rows");
    assert!((2560..=3000).contains(&committed), "{stderr}");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains(&format!("imported {committed},")),
        "{summary}"
    );
    let listed = env.ok(&["users", "list", "-o", "ndjson"]);
    assert_eq!(listed.lines().count() as u64, committed);
}

/// Trial finding (issue 9): an import stopped by a signal that rejected nothing keeps the
/// reject file an earlier run wrote (its rows may hold the operator's fixes); only a run that
/// reads its input to the end replaces it.
#[test]
fn a_stopped_import_keeps_the_earlier_reject_file() {
    let env = Env::new();
    env.write("seed.csv", "email,password_hash,tenant_id\n");
    env.ok(&[
        "create", "p1", "--type", "external", "--source", "export", "--file", "seed.csv",
    ]);
    env.write(
        "bad.csv",
        "email,password_hash,tenant_id\nbad@x.org,notahash,acme\nbad2@x.org,$2b$04$short,acme\n",
    );
    let out = env.run(&[
        "users",
        "import",
        "--pool",
        "p1",
        "--file",
        "bad.csv",
        "--reject-file",
        "rej.csv",
    ]);
    assert_eq!(out.status.code(), Some(5));
    let earlier = std::fs::read_to_string(env.path("rej.csv")).unwrap();
    assert_eq!(earlier.lines().count(), 3, "{earlier}");
    // A long regular file, stopped early: 300,000 rows take seconds to import.
    let rows: String = (0..300_000)
        .map(|i| format!("g{i}@x.org,,acme\n"))
        .collect();
    env.write(
        "long.csv",
        &format!("email,password_hash,tenant_id\n{rows}"),
    );
    let child = env
        .std_cmd()
        .args([
            "users",
            "import",
            "--pool",
            "p1",
            "--file",
            "long.csv",
            "--reject-file",
            "rej.csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    // SAFETY: our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(INTERRUPTED), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(env.path("rej.csv")).unwrap(),
        earlier,
        "the stopped run replaced the reject file"
    );
}
