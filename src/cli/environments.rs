//! `pools env add|list|use|remove|login`: the remote environments (`pools serve` servers)
//! commands reach with `--env NAME`. Their URLs are in `$XDG_CONFIG_HOME/pools/config.yaml`;
//! their tokens in the OS keyring or, where none is reachable, the 0600 credentials file.

use super::{Ctx, UsageError, output};
use pools_client::config;
use pools_core::secret::CredentialStore;

/// Remote environments: `pools serve` servers that commands reach with --env NAME
///
/// An environment is a server's URL and a token; `pools env use NAME` makes commands go
/// there without --env ($POOLS_ENV and --env choose one for a command; --store, or
/// $POOLS_STORE, a local store). Every command runs against one with the same flags, output
/// and exit codes, but `pools serve` and its tokens, which run on the server's machine.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Add an environment: the URL its server answers at (https, or http on loopback)
    Add {
        /// Its name (letters, digits, `.`, `_`, `-`)
        name: String,
        /// The server's base URL
        #[arg(long)]
        url: String,
        /// Trust this CA certificate (PEM) for the server besides the system's roots: a
        /// private CA's, for an https URL. Its path is kept, and the file read at each use
        #[arg(long, value_name = "PEM")]
        ca_cert: Option<std::path::PathBuf>,
    },
    /// List the environments (the one in use marked *)
    List,
    /// Make commands use this environment when neither --env nor --store is given
    Use {
        /// The environment's name
        name: String,
    },
    /// Remove an environment and forget its token
    Remove {
        /// The environment's name
        name: String,
    },
    /// Keep a token for an environment (a hidden prompt on a terminal)
    Login {
        /// The environment's name
        name: String,
        /// Read the token from standard input instead of a prompt
        #[arg(long)]
        token_stdin: bool,
    },
}

fn config_path() -> anyhow::Result<std::path::PathBuf> {
    config::path().ok_or_else(|| {
        anyhow::anyhow!(UsageError {
            message: "no place for the environments: neither XDG_CONFIG_HOME nor HOME is set"
                .into(),
            hint: Some("set HOME (or XDG_CONFIG_HOME)".into()),
        })
    })
}

/// The environment `name` of `cfg`, or a not-found error naming the ones there are.
fn known<'a>(cfg: &'a config::Config, name: &str) -> anyhow::Result<&'a config::Environment> {
    cfg.environments.get(name).ok_or_else(|| {
        anyhow::anyhow!(pools_core::Error::NotFound {
            what: format!("environment '{name}'"),
            hint: Some(if cfg.environments.is_empty() {
                "add one with `pools env add NAME --url URL`".into()
            } else {
                format!(
                    "the environments are: {}",
                    cfg.environments
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        })
    })
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let path = config_path()?;
    let mut cfg = config::load(&path)?;
    match a.command {
        Command::Add { name, url, ca_cert } => {
            config::check_name(&name)?;
            let url = pools_core::pool::validate_url("url", &url).map_err(|e| {
                // validate_url's hint for credentials is a pool's (`--auth-header`).
                match ::url::Url::parse(url.trim()) {
                    Ok(u) if !u.username().is_empty() || u.password().is_some() => e.with_hint(
                        format!("drop them from the URL: the server takes a bearer token instead, kept with `pools env login {name}`"),
                    ),
                    _ => e,
                }
            })?;
            let ca_cert = match ca_cert {
                Some(_) if url.scheme() != "https" => {
                    anyhow::bail!(
                        pools_core::Error::invalid(
                            "--ca-cert",
                            format!("{url} is plain http: there is no certificate to check"),
                        )
                        .with_hint("give the server's https URL, or leave --ca-cert out")
                    );
                }
                Some(path) => {
                    let path = std::path::absolute(&path).map_err(|e| {
                        pools_core::Error::invalid("--ca-cert", format!("{}: {e}", path.display()))
                    })?;
                    config::read_ca_cert(&path, "--ca-cert")?;
                    Some(path)
                }
                None => None,
            };
            let url = url.to_string();
            if cfg.environments.contains_key(&name) {
                anyhow::bail!(pools_core::Error::Conflict {
                    message: format!("environment '{name}' exists already"),
                    hint: Some(format!("remove it first: `pools env remove {name}`")),
                });
            }
            cfg.environments.insert(
                name.clone(),
                config::Environment {
                    url: url.clone(),
                    ca_cert,
                },
            );
            config::save(&path, &cfg)?;
            ctx.note(format!(
                "added environment '{name}' ({url}); give it a token: `pools env login {name}`"
            ));
            output::structured(ctx, &row(&cfg, &name))?;
        }
        Command::List => {
            let rows: Vec<_> = cfg.environments.keys().map(|n| row(&cfg, n)).collect();
            if !output::structured(ctx, &rows)? {
                let mut t = output::Table::new(&["", "NAME", "URL"]);
                for (n, e) in &cfg.environments {
                    let mark = if cfg.current.as_deref() == Some(n.as_str()) {
                        "*"
                    } else {
                        ""
                    };
                    t.row([mark.to_owned(), n.clone(), e.url.clone()]);
                }
                t.print()?;
                if cfg.environments.is_empty() {
                    ctx.note("no environments: add one with `pools env add NAME --url URL`");
                }
            }
        }
        Command::Use { name } => {
            known(&cfg, &name)?;
            cfg.current = Some(name.clone());
            config::save(&path, &cfg)?;
            ctx.note(format!(
                "commands now use environment '{name}' unless --env or --store says otherwise"
            ));
            output::structured(ctx, &row(&cfg, &name))?;
        }
        Command::Remove { name } => {
            known(&cfg, &name)?;
            cfg.environments.remove(&name);
            if cfg.current.as_deref() == Some(name.as_str()) {
                cfg.current = None;
            }
            config::save(&path, &cfg)?;
            CredentialStore::from_env().delete(&config::token_key(&name))?;
            ctx.note(format!("removed environment '{name}' and its token"));
            output::structured(ctx, &serde_json::json!({"name": name, "removed": true}))?;
        }
        Command::Login { name, token_stdin } => {
            let entry = known(&cfg, &name)?;
            let token = if token_stdin || !super::prompt::may_prompt(ctx) {
                if !token_stdin {
                    anyhow::bail!(UsageError {
                        message: "no terminal to read the token from".into(),
                        hint: Some(format!(
                            "pipe it in: `printf %s \"$TOKEN\" | pools env login {name} --token-stdin`"
                        )),
                    });
                }
                super::args::read_stdin_secret("--token-stdin")?
            } else {
                super::prompt::secret(&format!("token for environment '{name}'"))?
            };
            // Checked before it is kept: a mistyped or revoked token is said now, not at
            // the first command of a runbook.
            let remote = pools_client::Remote::of_entry(
                &name,
                entry,
                pools_core::secret::Secret::new(token.expose().to_owned()),
            )?;
            let who = ctx.block_on(remote.token_info()).map_err(|e| {
                if e.kind() != pools_core::error::ErrorKind::Unauthorized {
                    return anyhow::anyhow!(e);
                }
                anyhow::anyhow!(pools_core::Error::Unauthorized {
                    message: format!(
                        "environment '{name}' does not take this token: nothing was kept"
                    ),
                    hint: Some(format!(
                        "give a token that `pools serve token create` printed for that server and that is not revoked: `pools env login {name}`"
                    )),
                })
            })?;
            let (kept, kept_in) =
                match CredentialStore::from_env().put(&config::token_key(&name), &token)? {
                    pools_core::secret::Backend::Os => ("in the OS keyring".to_owned(), None),
                    pools_core::secret::Backend::File(p) => {
                        (format!("in the credentials file {}", p.display()), Some(p))
                    }
                    // Only `pools serve` installs a sealed file, and it runs no `env login`.
                    pools_core::secret::Backend::Sealed(p) => (
                        format!("encrypted in the sealed secrets file {}", p.display()),
                        Some(p),
                    ),
                };
            ctx.note(format!(
                "kept the token '{}' (role {}) of environment '{name}' {kept}",
                who.name, who.role
            ));
            let kept_in = kept_in.map_or("os-keyring".to_owned(), |p| p.display().to_string());
            output::structured(
                ctx,
                &serde_json::json!({"name": name, "token": who.name, "role": who.role, "kept_in": kept_in}),
            )?;
        }
    }
    Ok(())
}

/// `name`'s entry as `env list -o json` shows it (and `env add`/`env use` answer it):
/// `{"name", "url", "current", "ca_cert"?}`.
fn row(cfg: &config::Config, name: &str) -> serde_json::Value {
    let mut row =
        serde_json::json!({"name": name, "current": cfg.current.as_deref() == Some(name)});
    if let Some(e) = cfg.environments.get(name) {
        row["url"] = serde_json::json!(e.url);
        if let Some(ca) = &e.ca_cert {
            row["ca_cert"] = serde_json::json!(ca);
        }
    }
    row
}
