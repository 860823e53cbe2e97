//! Prompts on a real pseudo-terminal (rexpect): what a person at a terminal sees and can do.

use crate::*;
use rexpect::process::wait::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

/// `pools args` on a fresh pseudo-terminal, as an operator's shell runs it.
fn on_terminal(env: &Env, args: &[&str]) -> PtySession {
    let mut c = env.std_cmd();
    c.args(args).env("TERM", "xterm");
    spawn_command(c, Some(20_000)).expect("spawn on a pty")
}

fn custom_pool(env: &Env, name: &str) {
    env.ok(&[
        "create",
        name,
        "--type",
        "external",
        "--source",
        "custom",
        "--url",
        "http://127.0.0.1:9/login",
    ]);
}

/// The text the process wrote until it ended, and how it ended.
fn finish(mut p: PtySession) -> (String, WaitStatus) {
    let out = p.exp_eof().expect("the process ends");
    (out, p.process.wait().expect("wait"))
}

/// The cursor is visible at the end: every "hide cursor" (ESC[?25l) is followed by a "show".
fn cursor_shown(out: &str) -> bool {
    match out.rfind("\x1b[?25l") {
        None => true,
        Some(hidden) => out[hidden..].contains("\x1b[?25h"),
    }
}

/// Ctrl-D (end of input) at a y/N confirmation is no answer, taken as no: nothing is
/// deleted and the exit code says declined; Esc likewise. Before, both keys were ignored
/// and the prompt waited (retrial-2).
#[test]
fn ctrl_d_or_esc_at_a_confirmation_declines() {
    let env = Env::new();
    custom_pool(&env, "p");
    for key in ['d', '['] {
        let mut p = on_terminal(&env, &["delete", "p"]);
        p.exp_string("[y/N]").unwrap();
        p.send_control(key).unwrap();
        let (out, status) = finish(p);
        assert!(
            matches!(status, WaitStatus::Exited(_, 7)),
            "{status:?}: {out:?}"
        );
        assert!(out.contains("nothing deleted"), "{out:?}");
        assert!(cursor_shown(&out), "{out:?}");
    }
    assert_eq!(order(&env), ["p"]);
}

/// Ctrl-C at a confirmation stops pools (SIGINT, as a shell expects) with the cursor
/// visible and nothing deleted; before, the prompt had hidden the cursor and left it so.
#[test]
fn ctrl_c_at_a_confirmation_leaves_the_cursor_visible() {
    let env = Env::new();
    custom_pool(&env, "p");
    let mut p = on_terminal(&env, &["delete", "p"]);
    p.exp_string("[y/N]").unwrap();
    p.send_control('c').unwrap();
    let (out, status) = finish(p);
    assert!(
        format!("{status:?}").contains("SIGINT"),
        "{status:?}: {out:?}"
    );
    assert!(cursor_shown(&out), "{out:?}");
    assert_eq!(order(&env), ["p"]);
}

/// `y` confirms and deletes; Enter takes the default, no.
#[test]
fn y_confirms_and_enter_takes_the_default_no() {
    let env = Env::new();
    custom_pool(&env, "p");
    let mut p = on_terminal(&env, &["delete", "p"]);
    p.exp_string("[y/N]").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    let (out, status) = finish(p);
    assert!(
        matches!(status, WaitStatus::Exited(_, 7)),
        "{status:?}: {out:?}"
    );
    assert_eq!(order(&env), ["p"]);
    let mut p = on_terminal(&env, &["delete", "p"]);
    p.exp_string("[y/N]").unwrap();
    p.send("y").unwrap();
    p.flush().unwrap();
    let (out, status) = finish(p);
    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "{status:?}: {out:?}"
    );
    assert!(out.contains("deleted pool 'p'"), "{out:?}");
    assert!(order(&env).is_empty());
}

/// The terminal's local modes (`stty -a`'s `echo` among them) as the process left them.
fn echo_on(p: &PtySession) -> bool {
    use std::os::fd::AsRawFd;
    let pty = p.process.get_file_handle().expect("pty");
    // SAFETY: a termios read of an open descriptor into a zeroed struct.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::tcgetattr(pty.as_raw_fd(), &mut t) }, 0);
    t.c_lflag & libc::ECHO != 0
}

/// Ctrl-C at a hidden (secret or password) prompt stops pools by SIGINT and leaves the
/// terminal as it was, echo on; before, the prompt had turned echo off and the signal ended
/// the process with it off (retrial 3, finding 3).
#[test]
fn ctrl_c_at_a_hidden_prompt_leaves_echo_on() {
    let env = Env::new();
    // rexpect starts the terminal with echo off; an operator's shell has it on.
    let pools = env.std_cmd().get_program().to_owned();
    let mut c = std::process::Command::new("sh");
    c.env_clear()
        .envs(env.std_cmd().get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(env.dir.path())
        .env("TERM", "xterm")
        .arg("-c")
        .arg("stty echo && exec \"$0\" users create a@example.com")
        .arg(pools);
    let mut p = spawn_command(c, Some(20_000)).expect("spawn on a pty");
    p.exp_string("password for a@example.com").unwrap();
    // The prompt has turned echo off by the time it waits.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!echo_on(&p), "the prompt hides what is typed");
    p.send_control('c').unwrap();
    let (out, status) = {
        let out = p.exp_eof().expect("the process ends");
        let status = p.process.wait().expect("wait");
        assert!(echo_on(&p), "echo left off: {out:?}");
        (out, status)
    };
    assert!(
        format!("{status:?}").contains("SIGINT"),
        "{status:?}: {out:?}"
    );
}

/// R10: a delete the store would refuse (users still need the pool, no --force) is refused
/// before the y/N question, not after the operator said yes (retrial 3).
#[test]
fn r10_a_delete_that_needs_force_is_refused_before_asking() {
    let env = Env::new();
    crate::login::pool(
        &env,
        "kc",
        &crate::login::fixture("keycloak-realm-export.json"),
        &["--mode", "passthrough"],
    );
    crate::login::authenticated(&env, "user1", "password", &["--commit"]);
    let p = on_terminal(&env, &["delete", "kc"]);
    let (out, status) = finish(p);
    assert!(
        matches!(status, WaitStatus::Exited(_, 5)),
        "{status:?}: {out:?}"
    );
    assert!(!out.contains("[y/N]"), "{out:?}");
    assert!(out.contains("--force"), "{out:?}");
    assert_eq!(order(&env), ["kc"]);
}
