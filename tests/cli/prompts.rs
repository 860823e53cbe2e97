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
