//! `pools methods [enable|disable METHOD]`

use super::choice::choice;
use super::{Ctx, output};
use pools_core::methods::Method;
use pools_core::terms::Choice;

/// List or change the environment's sign-in methods (R8, R9)
///
/// Pool users get social, SSO and passwordless only where their pool allows it (--allow);
/// users stored externally never get one-time codes, SSO or SMS (R8).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Enable a method for this environment
    Enable {
        /// The sign-in method
        #[arg(value_parser = choice::<Method>())]
        method: Method,
    },
    /// Disable a method for this environment
    Disable {
        /// The sign-in method
        #[arg(value_parser = choice::<Method>())]
        method: Method,
    },
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let settings = match a.command {
        None => {
            let env = ctx.env_read()?;
            ctx.block_on(env.methods())?
        }
        Some(Command::Enable { method } | Command::Disable { method }) => {
            let on = matches!(a.command, Some(Command::Enable { .. }));
            let env = ctx.env()?;
            let changed = ctx.block_on(env.set_method(method, on))?;
            ctx.committed(format!(
                "{} {method}",
                if on { "enabled" } else { "disabled" }
            ));
            let external = changed.external_users_excluded;
            if external > 0 {
                ctx.warn(format!(
                    "{external} user(s) stored externally by pools cannot use {method} (R8); it applies to native and migrated users only"
                ));
            }
            changed.settings
        }
    };
    let env = settings;
    let rows: Vec<_> = Method::ALL
        .iter()
        .map(|m| serde_json::json!({"method": m.as_str(), "enabled": env.enabled.contains(m)}))
        .collect();
    if !output::structured(ctx, &rows)? {
        for &m in Method::ALL {
            output::outln!(
                "{:<13} {}",
                m.as_str(),
                if env.enabled.contains(&m) {
                    "enabled"
                } else {
                    "disabled"
                }
            )?;
        }
    }
    Ok(())
}
