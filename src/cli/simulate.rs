//! `pools simulate-login IDENTIFIER [--password-stdin | --password-file F] [--claims F] [--commit]`

use super::{Ctx, output, prompt, usage};
use pools_core::engine::{self, Action, Limits, Outcome};
use pools_core::input_file::{self, Source};
use pools_core::secret::Secret;
use pools_core::service::environment::LoginRequest;
use std::path::PathBuf;

/// Rehearse a login offline with the real engine (R14)
///
/// Runs the same pool order and JIT migration as a real login, against this store and its
/// pools, and explains each step. Writes nothing unless --commit. Exit 0 when authenticated,
/// 6 when refused.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The identifier as the user types it (usually an email address)
    identifier: String,
    /// Read the password from stdin (one line)
    #[arg(long, conflicts_with = "password_file")]
    password_stdin: bool,
    /// Read the password from a file (first line)
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// The claims of the ID token an IdP would return (JSON object; iss, aud, exp, iat and sub are checked), to rehearse idp federation
    #[arg(long, value_name = "FILE")]
    claims: Option<PathBuf>,
    /// Persist the outcome exactly as a real login would (migration, shadow copy, hash upgrade)
    #[arg(long)]
    commit: bool,
    /// The time the whole login may take, in milliseconds (1..=600000): a pool not yet asked
    /// when it runs out fails the login closed (source_unavailable, R5)
    #[arg(long, value_name = "MS", default_value_t = 15_000,
          value_parser = clap::value_parser!(u64).range(1..=600_000))]
    budget_ms: u64,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<u8> {
    let password = read_password(ctx, &a)?;
    let claims = match &a.claims {
        None => None,
        Some(path) => {
            let text = input_file::read(Source::Path(path), "--claims", input_file::CLAIMS)?;
            // An ID token's claim names are unique (RFC 7519 §4): two `sub`s are refused, not
            // read as the last one.
            let value = pools_core::json::parse_unique(&text).map_err(|e| {
                pools_core::Error::invalid(
                    "--claims",
                    format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()),
                )
                .with_hint("pass the claims of one ID token: one JSON object, each claim once")
            })?;
            match value {
                serde_json::Value::Object(m) => Some(m),
                _ => {
                    return Err(pools_core::Error::invalid(
                        "--claims",
                        format!("{}: claims must be a JSON object", path.display()),
                    )
                    .into());
                }
            }
        }
    };
    if password.is_none() && claims.is_none() {
        return Err(usage(
            "a password is needed: --password-stdin or --password-file FILE (or --claims FILE for an idp pool)",
            "e.g. printf %s \"$PASSWORD\" | pools simulate-login user@example.com --password-stdin",
        ));
    }
    // R14: without --commit the store is opened read-only: nothing can be written.
    let env = if a.commit {
        ctx.env()?
    } else {
        ctx.env_read()?
    };
    let trace = ctx.block_on(env.login(LoginRequest {
        identifier: a.identifier.clone(),
        password,
        claims,
        limits: Limits {
            budget: std::time::Duration::from_millis(a.budget_ms),
        },
        commit: a.commit,
    }))?;
    if trace.committed {
        ctx.committed(committed_text(&trace));
    }
    if !output::structured(ctx, &trace)? {
        render(&trace, a.commit)?;
    }
    Ok(match trace.outcome {
        Outcome::Authenticated => 0,
        Outcome::Refused(_) => super::exit::REFUSED,
    })
}

/// What `--commit` wrote, e.g. `login of a@example.com: JIT migration into the local store`.
fn committed_text(trace: &engine::Trace) -> String {
    match &trace.user {
        Some(u) => format!("login of {}: {}", u.identifier, action_text(&u.action)),
        None => "the login's outcome".to_owned(),
    }
}

fn action_text(action: &Action) -> &'static str {
    match action {
        Action::None => "none (login time recorded)",
        Action::Migrate => "JIT migration into the local store (R3)",
        Action::CreateShadow => "create a shadow copy (the user stays at the source)",
        Action::RefreshShadow => "refresh the shadow copy from the source (R16)",
        Action::UpgradeHash => "upgrade the stored hash (R13)",
        Action::KeepSourceHash => "store the hash its pool verified, as it is (R13)",
    }
}

fn read_password(ctx: &Ctx, a: &Args) -> anyhow::Result<Option<Secret>> {
    let source = match (&a.password_file, a.password_stdin) {
        (_, true) => Some(("--password-stdin", Source::Stdin)),
        (Some(f), false) => Some(("--password-file", Source::Path(f))),
        (None, false) => None,
    };
    if let Some((flag, source)) = source {
        let line = input_file::first_line(source, flag, input_file::PASSWORD)?;
        // Never tried as a password: an empty line is a script's unset variable or a
        // closed stdin.
        if line.is_empty() {
            return Err(super::usage(
                format!("{flag}: the password is empty (empty input or a blank first line)"),
                "e.g. printf %s \"$PASSWORD\" | pools simulate-login user@example.com --password-stdin",
            ));
        }
        return Ok(Some(Secret::new(line)));
    }
    if a.claims.is_none() && prompt::may_prompt(ctx) {
        return Ok(Some(prompt::secret(&format!(
            "password for {}",
            a.identifier
        ))?));
    }
    Ok(None)
}

fn render(trace: &engine::Trace, commit: bool) -> anyhow::Result<()> {
    use output::outln;
    let mut t = output::Table::new(&["STEP", "ASKED", "ANSWER", "DETAIL", "MS"]);
    for (i, s) in trace.steps.iter().enumerate() {
        let asked = match &s.source {
            Some(k) => format!("{} ({k})", s.asked),
            None => s.asked.clone(),
        };
        t.row([
            (i + 1).to_string(),
            asked,
            s.answer.clone(),
            s.detail.clone(),
            format!("{:.3}", s.elapsed_ms),
        ]);
    }
    t.print()?;
    outln!()?;
    match &trace.outcome {
        Outcome::Authenticated => outln!("outcome: authenticated")?,
        Outcome::Refused(r) => {
            let code = serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            outln!("outcome: refused ({code})")?;
            if let Some(m) = &trace.message {
                outln!("  {m}")?;
            }
        }
    }
    if let Some(u) = &trace.user {
        let action = action_text(&u.action);
        outln!(
            "user: {} (origin {}{})",
            u.identifier,
            u.origin.as_str(),
            u.pool
                .as_ref()
                .map(|p| format!(", pool {p}"))
                .unwrap_or_default()
        )?;
        if let Some(tid) = &u.tenant_id {
            outln!(
                "tenant: {tid} via {}",
                u.tenant_resolution.as_deref().unwrap_or("?")
            )?;
        }
        outln!("action: {action}")?;
        if let Some(h) = &u.hash_upgrade {
            outln!("hash: {h}")?;
        }
        outln!(
            "{}",
            if trace.committed {
                "committed: written to the store"
            } else if commit {
                "committed: nothing to write"
            } else {
                "dry run: nothing written (add --commit to persist)"
            }
        )?;
    }
    if !trace.sign_in_methods.is_empty() {
        let open: Vec<&str> = trace
            .sign_in_methods
            .iter()
            .filter(|m| m.available)
            .map(|m| m.method.as_str())
            .collect();
        outln!(
            "sign-in methods: {}",
            if open.is_empty() {
                "none".to_owned()
            } else {
                open.join(", ")
            }
        )?;
        for m in trace
            .sign_in_methods
            .iter()
            .filter(|m| !m.available && !m.reason.starts_with("not enabled"))
        {
            outln!("  {}: no ({})", m.method, m.reason)?;
        }
    }
    Ok(())
}
