//! The one gate for interactive prompts: only when a person is there to answer.

use super::Ctx;
use pools_core::secret::Secret;
use std::io::IsTerminal;

/// True when stdin and stderr are terminals and `--no-input` is off.
pub fn may_prompt(ctx: &Ctx) -> bool {
    !ctx.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks for a plain value.
pub fn text(label: &str) -> anyhow::Result<String> {
    Ok(dialoguer::Input::<String>::new()
        .with_prompt(label)
        .interact_text()?)
}

/// Asks for a plain value, offering `default` (taken on an empty answer).
pub fn text_or(label: &str, default: &str) -> anyhow::Result<String> {
    Ok(dialoguer::Input::<String>::new()
        .with_prompt(label)
        .default(default.to_owned())
        .interact_text()?)
}

/// Asks for a secret without echo.
pub fn secret(label: &str) -> anyhow::Result<Secret> {
    Ok(Secret::new(
        dialoguer::Password::new().with_prompt(label).interact()?,
    ))
}

/// Asks for a yes/no confirmation, default no.
pub fn confirm(label: &str) -> anyhow::Result<bool> {
    Ok(dialoguer::Confirm::new()
        .with_prompt(label)
        .default(false)
        .interact()?)
}
