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

/// Asks for a secret without echo; an empty answer is refused, saying what to type.
pub fn secret(label: &str) -> anyhow::Result<Secret> {
    let why = empty_answer(label);
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
