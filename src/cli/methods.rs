//! `pools methods [enable|disable METHOD]`

use super::choice::choice;
use super::{Ctx, output};
use pools_core::methods::{self, Method};
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
    let mut store = if a.command.is_none() {
        ctx.store_read()?
    } else {
        ctx.store()?
    };
    match a.command {
        None => {}
        Some(Command::Enable { method }) => {
            methods::set(store.as_mut(), method, true)?;
            ctx.committed(format!("enabled {method}"));
            if method.needs_local_user() {
                // Counted by the store, never listed: a store may hold millions.
                let external: u64 = store.user_status()?.iter().map(|r| r.shadow).sum();
                if external > 0 {
                    ctx.warn(format!(
                        "{external} user(s) stored externally by pools cannot use {method} (R8); it applies to native and migrated users only"
                    ));
                }
            }
        }
        Some(Command::Disable { method }) => {
            methods::set(store.as_mut(), method, false)?;
            ctx.committed(format!("disabled {method}"));
        }
    }
    let env = methods::environment(store.as_ref())?;
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
