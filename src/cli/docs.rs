//! `pools completions SHELL` and `pools man DIR`: generated from the one clap definition.

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

/// Print a shell completion script on stdout
///
/// Shells: bash, zsh, fish, powershell, elvish.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    shell: Shell,
}

/// Write the man pages into DIR
///
/// pools.1 and one page per command.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub fn completions(a: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = super::Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "pools", &mut std::io::stdout());
    Ok(())
}

pub fn man(a: ManArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(&a.dir)
        .with_context(|| format!("cannot create directory {}", a.dir.display()))?;
    clap_mangen::generate_to(super::Cli::command(), &a.dir)
        .with_context(|| format!("cannot write man pages into {}", a.dir.display()))?;
    Ok(())
}
