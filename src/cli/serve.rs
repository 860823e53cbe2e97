//! `pools serve`: the environment server over the store (`--store`), and its bearer tokens
//! (`pools serve token create|list|revoke`), kept in that store, so managed on the server's
//! side.

use super::choice::choice;
use super::{Ctx, output};
use pools_core::api_token::Role;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Run the environment server over the store, or manage its bearer tokens
///
/// The server answers a REST JSON API under /v1/ with the same engine, rules and store as
/// the command line; /healthz and /readyz need no token. It needs a key that encrypts the
/// secrets clients send it: POOLS_SERVER_KEY (standard base64 of 32 random bytes) or
/// --key-file; those secrets are kept in the sealed secrets file (--secrets-file), which the
/// server refuses to open with another key. Tokens are kept in the store the server serves (--store, or $POOLS_STORE):
/// run `pools serve token ...` on the server's machine. A token's role says what it may do:
/// admin everything, read GET requests only, login only POST /v1/login (applications).
/// It speaks https with --tls-cert and --tls-key, else plain http (on loopback, or behind
/// a TLS proxy with --insecure-http). SIGTERM or Ctrl-C stops it: requests in flight finish, then it exits 0.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The address to listen on (port 0: any free port; the address taken is printed)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// A file holding the server's key (standard base64 of 32 bytes; mode 600) [default:
    /// $POOLS_SERVER_KEY]
    #[arg(long, value_name = "PATH")]
    key_file: Option<PathBuf>,
    /// The sealed secrets file: every secret the server keeps or looks up (`keyring:NAME`), each
    /// encrypted with the key (AES-256-GCM), mode 600 [default: the store's path with
    /// `.secrets.json` appended]
    #[arg(long, value_name = "PATH")]
    secrets_file: Option<PathBuf>,
    /// Serve https with this certificate chain (PEM: the server's certificate, then any
    /// intermediates); needs --tls-key. With TLS any address may be listened on
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert's certificate (PEM: PKCS#8, PKCS#1 or SEC1, not
    /// encrypted); needs --tls-cert
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Allow plain http on an address that is not loopback: TLS is terminated in front of
    /// the server (a load balancer, a proxy)
    #[arg(long)]
    insecure_http: bool,
    /// POST /v1/login attempts allowed per identifier per minute; past it, 429 with
    /// Retry-After
    #[arg(long, value_name = "N", default_value = "20")]
    login_rate_per_identifier: std::num::NonZeroU32,
    /// POST /v1/login attempts allowed per client address per minute (an application's
    /// backend calls for all its users from one address)
    #[arg(long, value_name = "N", default_value = "6000")]
    login_rate_per_client: std::num::NonZeroU32,
    /// How log lines are written on stderr (levels from POOLS_LOG, e.g. `info`, `debug`)
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
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

/// The largest request body the server reads (an import batch is the largest): 8 MiB.
const BODY_LIMIT: usize = 8 << 20;

/// How many requests the server serves at once, each with its own store connection.
const SLOTS: usize = 8;

/// Each request's time limit: a login's budget is well inside it.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let Some(Command::Token(command)) = a.command else {
        return serve(ctx, &a);
    };
    match command {
        TokenCommand::Create { role, name } => {
            let env = ctx.local_env()?;
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
            let env = ctx.local_env_read()?;
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
            let env = ctx.local_env()?;
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

/// Runs the server until SIGTERM or SIGINT.
fn serve(ctx: &Ctx, a: &Args) -> anyhow::Result<()> {
    pools_server::init_logs(if a.log_format == "json" {
        pools_server::LogFormat::Json
    } else {
        pools_server::LogFormat::Text
    });
    let tls = match (&a.tls_cert, &a.tls_key) {
        (Some(cert), Some(key)) => Some(pools_server::tls::load(cert, key)?),
        // clap refuses one without the other (exit 2).
        _ => None,
    };
    if !a.listen.ip().is_loopback() && !a.insecure_http && tls.is_none() {
        anyhow::bail!(pools_core::Error::invalid(
            "--listen",
            format!(
                "{} is not a loopback address, and the server speaks plain http: tokens and passwords would cross the network in clear",
                a.listen
            ),
        )
        .with_hint(
            "serve https with --tls-cert and --tls-key, listen on 127.0.0.1 behind a TLS proxy, or pass --insecure-http when TLS is terminated in front of this address",
        ));
    }
    let env_key = std::env::var(pools_server::key::KEY_VAR).ok();
    let key = pools_server::key::load(a.key_file.as_deref(), env_key.as_deref())?;
    // R11: every credential this process keeps or looks up (`-` secrets the environment
    // keeps, `keyring:` references live sources resolve) goes to the sealed file, installed
    // before the environment is built; a key that does not open it is refused here (exit 5).
    let origin = if a.key_file.is_some() {
        "--key-file"
    } else {
        pools_server::key::KEY_VAR
    };
    let secrets_file = match &a.secrets_file {
        Some(p) => p.clone(),
        None => {
            let mut p = ctx.store_path()?.into_os_string();
            p.push(".secrets.json");
            PathBuf::from(p)
        }
    };
    let sealed = pools_core::secret::SealedFile::open(
        &secrets_file,
        pools_core::secret::SealingKey::new(key.bytes(), origin),
    )?;
    drop(key);
    pools_core::secret::CredentialStore::install_sealed(sealed)?;
    let env = ctx.local_env()?;
    // One environment per request slot, each with its own store connection, hashing
    // behind one CPU gate on the argon2 workers.
    let gate = pools_core::service::Local::cpu_gate()
        .map_err(|e| anyhow::anyhow!("cannot start the server's hashing threads: {e}"))?;
    let mut envs = Vec::with_capacity(SLOTS);
    for _ in 0..SLOTS {
        let store = ctx.store()?;
        let gate = std::sync::Arc::clone(&gate);
        envs.push(pools_server::Slot::new(|notify| {
            ctx.local_with(store, notify).with_cpu_gate(gate)
        }));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(a.listen).await.map_err(|e| {
            let message = format!("cannot listen on {}: {e}", a.listen);
            let hint = "choose another port, or stop what listens there";
            // Taken now, maybe free later: as a busy store, retried unchanged (exit 8).
            if e.kind() == std::io::ErrorKind::AddrInUse {
                pools_core::Error::Unavailable {
                    message: format!("--listen: {message}"),
                    hint: Some(hint.into()),
                }
            } else {
                pools_core::Error::invalid("--listen", message).with_hint(hint)
            }
        })?;
        // What the pools need and the server does not hold, said once at start rather than
        // at the first login through them (R11: resolved from the sealed file only).
        for stored in pools_core::service::Environment::pools(&env).await? {
            for n in pools_core::service::secrets::warnings(&stored.pool) {
                if let pools_core::service::Notice::Warning(w) = n {
                    ctx.warn(w);
                }
            }
        }
        // Before the line below: a SIGTERM right after it drains the server (exit 0).
        let shutdown = pools_server::shutdown_signal()
            .map_err(|e| anyhow::anyhow!("cannot install the server's signal handlers: {e}"))?;
        let bound = listener.local_addr()?;
        // The one line on stdout: scripts and tests read the address taken from it.
        output::line(format_args!("listening on {bound}"))?;
        output::flush()?;
        let router = pools_server::router(pools_server::Config {
            envs,
            flag_of_key: super::args::flag_of_key,
            body_limit: BODY_LIMIT,
            request_timeout: REQUEST_TIMEOUT,
            login: pools_server::login::Limits {
                per_identifier: a.login_rate_per_identifier,
                per_client: a.login_rate_per_client,
            },
        })?;
        match tls {
            // Log events (in --log-format's format), as every line the server writes after
            // its start.
            Some(tls) => {
                pools_server::log_info(&format!("serving https on {bound}"));
                pools_server::serve_tls(listener, router, tls, shutdown).await?;
            }
            None => pools_server::serve(listener, router, shutdown).await?,
        }
        pools_server::log_info("stopped: every request in flight was answered");
        anyhow::Ok(())
    })
}
