//! `pools serve token create|list|revoke`: the environment server's bearer tokens, kept in
//! the store it serves (`--store`), so managed on the server's side.

use super::choice::choice;
use super::{Ctx, output};
use pools_core::api_token::Role;

/// The environment server: its bearer tokens
///
/// Tokens are kept in the store the server serves (--store, or $POOLS_STORE): run these on
/// the server's machine. A token's role says what it may do: admin everything, read GET
/// requests only, login only POST /v1/login (applications).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Manage the server's bearer tokens
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Issue a token; it is printed once, alone on the last line of stdout
    ///
    /// Only its SHA-256 digest is kept: a token that is lost is revoked and issued again.
    Create {
        /// What the token may do
        #[arg(long, value_parser = choice::<Role>())]
        role: Role,
        /// Who holds it (1 to 64 letters, digits, `.`, `_`, `-`, `@`): the audit log's actor
        #[arg(long)]
        name: String,
    },
    /// List the tokens (names and roles; never a token)
    List,
    /// Revoke a token: the server refuses it from the next request on
    Revoke {
        /// The token's name
        name: String,
    },
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let Command::Token(command) = a.command;
    match command {
        TokenCommand::Create { role, name } => {
            let env = ctx.env()?;
            let issued = env.issue_api_token(&name, role)?;
            ctx.committed(format!("issued token '{name}'"));
            let record = &issued.record;
            let shown = serde_json::json!({
                "name": record.name,
                "role": record.role,
                "created_at": record.created_at,
                "token": issued.token.expose(),
            });
            if !output::structured(ctx, &shown)? {
                ctx.note(format!(
                    "issued token '{name}' ({role}); it is shown once, below: keep it now (only its digest is kept)"
                ));
                output::line(format_args!("{}", issued.token.expose()))?;
            }
        }
        TokenCommand::List => {
            let env = ctx.env_read()?;
            let tokens = env.api_tokens()?;
            if !output::structured(ctx, &tokens)? {
                let mut t = output::Table::new(&["NAME", "ROLE", "CREATED", "REVOKED"]);
                for tok in &tokens {
                    t.row([
                        tok.name.clone(),
                        tok.role.to_string(),
                        tok.created_at.clone(),
                        tok.revoked_at.clone().unwrap_or_default(),
                    ]);
                }
                t.print()?;
                if tokens.is_empty() {
                    ctx.note("no tokens: issue one with `pools serve token create --role admin --name NAME`");
                }
            }
        }
        TokenCommand::Revoke { name } => {
            let env = ctx.env()?;
            let revoked = env.revoke_api_token(&name)?;
            ctx.committed(format!("revoked token '{name}'"));
            if !output::structured(ctx, &revoked)? {
                ctx.note(format!(
                    "revoked token '{name}' ({}): the server refuses it from now on",
                    revoked.role
                ));
            }
        }
    }
    Ok(())
}
