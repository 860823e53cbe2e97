//! The one gate for interactive prompts: only when a person is there to answer.

use super::Ctx;
use pools_core::secret::Secret;
use std::io::IsTerminal;

/// True when stdin and stderr are terminals and `--no-input` is off.
pub fn may_prompt(ctx: &Ctx) -> bool {
    !ctx.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// What an empty answer is told (F21): dialoguer would re-ask without a word, which reads
/// as a hung prompt. The answer is asked again after it.
fn empty_answer(label: &str) -> String {
    format!("an empty answer is not accepted: type the {label} and press Enter (Ctrl-C to stop)")
}

/// Asks for a plain value; an empty (or blank) answer is refused, saying what to type.
pub fn text(label: &str) -> anyhow::Result<String> {
    let why = empty_answer(label);
    Ok(dialoguer::Input::<String>::new()
        .with_prompt(label)
        // Empty answers reach the validator, which says why they are refused.
        .allow_empty(true)
        .validate_with(move |s: &String| {
            if s.trim().is_empty() {
                Err(why.clone())
            } else {
                Ok(())
            }
        })
        .interact_text()?)
}

/// Asks for a plain value, offering `default` (taken on an empty answer).
pub fn text_or(label: &str, default: &str) -> anyhow::Result<String> {
    Ok(dialoguer::Input::<String>::new()
        .with_prompt(label)
        .default(default.to_owned())
        .interact_text()?)
}

/// Runs `f` (a prompt that changes the terminal's modes) so that a signal ending the
/// process meanwhile (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT) first puts the terminal back as it
/// was: console turns echo off for a hidden prompt and restores it only when the line is
/// read, so Ctrl-C left the shell without echo. The process still ends by the signal.
fn terminal_restored<T>(f: impl FnOnce() -> T) -> T {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    // SAFETY: a termios read of stdin (a terminal: see `may_prompt`) into a zeroed struct.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
        return f();
    }
    let ids: Vec<_> = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
        .into_iter()
        .filter_map(|signal| {
            // SAFETY: the action calls only async-signal-safe functions (tcsetattr, and
            // signal-hook's emulation of the default action: reset it, then raise).
            unsafe {
                signal_hook::low_level::register(signal, move || {
                    libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &saved);
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                })
            }
            .ok()
        })
        .collect();
    let out = f();
    for id in ids {
        signal_hook::low_level::unregister(id);
    }
    out
}

/// Asks for a secret without echo; an empty answer is refused, saying what to type. A
/// signal that ends the process at the prompt leaves the terminal's echo on.
pub fn secret(label: &str) -> anyhow::Result<Secret> {
    let why = empty_answer(label);
    terminal_restored(|| secret_prompt(label, why))
}

fn secret_prompt(label: &str, why: String) -> anyhow::Result<Secret> {
    Ok(Secret::new(
        dialoguer::Password::new()
            .with_prompt(label)
            .allow_empty_password(true)
            .validate_with(move |s: &String| {
                if s.is_empty() {
                    Err(why.clone())
                } else {
                    Ok(())
                }
            })
            .interact()?,
    ))
}

/// Asks for a yes/no confirmation, default no: `y` confirms; `n`, Enter, and no answer
/// (Ctrl-D, Esc, `q`) decline; Ctrl-C stops pools (SIGINT, raised by console). Read key by
/// key with console rather than dialoguer's `Confirm`, which ignores Ctrl-D and hides the
/// cursor, leaving it hidden when Ctrl-C ends the process.
pub fn confirm(label: &str) -> anyhow::Result<bool> {
    use console::Key;
    let term = console::Term::stderr();
    term.write_str(&format!("{label} [y/N] "))?;
    let yes = loop {
        match term.read_key()? {
            Key::Char('y' | 'Y') => break true,
            Key::Char('n' | 'N' | 'q' | '\u{4}') | Key::Enter | Key::Escape => break false,
            _ => {}
        }
    };
    term.write_line(if yes { "yes" } else { "no" })?;
    Ok(yes)
}
