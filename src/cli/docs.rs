//! `pools completions SHELL` and `pools man DIR`: generated from the one clap definition.

use super::Ctx;
use clap_complete::Shell;
use std::path::PathBuf;

/// Print a shell completion script on stdout
///
/// Shells: bash, zsh, fish, powershell, elvish.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for
    #[arg(value_enum)]
    shell: Shell,
}

/// Write the man pages into DIR/man1, a manual tree: read them with `man -M DIR pools`
///
/// pools.1 and one page per command (pools-create.1, ...), in section 1.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The manual tree (as MANPATH entries are): the pages go to its man1/
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub fn completions(ctx: &Ctx, a: CompletionsArgs) -> anyhow::Result<()> {
    ctx.refuse_format("completions", "the script is the output; pick the shell")?;
    // Generated into memory first: clap_complete panics on a failed write.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut super::command(), "pools", &mut script);
    super::output::raw(&String::from_utf8_lossy(&script))
}

/// Writes the pages into `DIR/man1`, where `man -M DIR` looks for section 1, creating `DIR`
/// and `man1` but never a missing parent of `DIR` (a typo in the path should not plant a
/// directory tree).
pub fn man(ctx: &Ctx, a: ManArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    ctx.refuse_format("man", "the pages are written as files into DIR")?;
    // `-` means stdin or stdout elsewhere: a directory of that name is nobody's wish.
    if a.dir.as_os_str() == "-" {
        return Err(super::usage(
            "DIR -: man pages are files written into a directory, not to stdout",
            "name a directory, e.g. `pools man ./man`, and read them with `man -M ./man pools`",
        ));
    }
    let parent = a
        .dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !parent.is_dir() {
        return Err(pools_core::Error::invalid(
            "DIR",
            format!("{}: the parent directory does not exist", a.dir.display()),
        )
        .with_hint(format!(
            "create {} first, or name another directory",
            parent.display()
        ))
        .into());
    }
    let section = a.dir.join("man1");
    for dir in [&a.dir, &section] {
        match std::fs::create_dir(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(pools_core::Error::io(dir.display(), e).into());
            }
            _ => {}
        }
    }
    clap_mangen::generate_to(super::command(), &section)
        .with_context(|| format!("cannot write man pages into {}", section.display()))?;
    Ok(())
}
