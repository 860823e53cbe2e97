//! `pools users list|show|create|export|set-metadata` (import and restore have modules of their own)

use super::choice::choice;
use super::{Ctx, Format, output, prompt, usage};
use output::{Table, outln};
use pools_core::Error;
use pools_core::input_file;
use pools_core::secret::Secret;
use pools_core::service::Environment;
use pools_core::service::environment::{CreateUser, UsersPage, UsersQuery};
use pools_core::user::{Cursor, Origin, Page, User, UserFilter};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// Inspect and manage users of the local store
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// List users in identifier order, a page at a time (never their hashes, R11)
    ///
    /// A table shows a page of 100 users (--limit changes it); -o json, yaml and ndjson
    /// stream every user unless --limit is given. When users are left after the page, stderr
    /// says how many were shown and the --after value that lists the next page:
    /// `next page: --after CURSOR`. -o json stays one JSON array either way.
    List {
        /// Only users of this pool
        #[arg(long, value_name = "NAME")]
        pool: Option<String>,
        /// Only users of this origin
        #[arg(long, value_parser = choice::<Origin>())]
        origin: Option<Origin>,
        /// At most N users [default: 100 for a table; every user for -o json|yaml|ndjson]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
        /// Start after this position: the CURSOR the previous page printed (`next page:
        /// --after CURSOR`), with the same --pool and --origin
        #[arg(long, value_name = "CURSOR")]
        after: Option<String>,
    },
    /// Show one user, with its aliases (other login names, R6) and the sign-in methods left to it (R8, R9)
    Show {
        /// The user's identifier or one of its aliases (compared without case, R6)
        identifier: String,
    },
    /// Create a native user; the password is read from stdin and stored as argon2id
    Create {
        /// The new user's identifier, usually an email address (one identifier, one user: R6)
        identifier: String,
        /// Read the password from stdin (one line)
        #[arg(long)]
        password_stdin: bool,
        /// Tenant ID [default: a new tenant]
        #[arg(long)]
        tenant: Option<String>,
    },
    Import(super::import::Args),
    Restore(super::restore::Args),
    /// Stream users out as NDJSON or CSV, a backup `users restore` reads back; password hashes
    /// only with --include-hashes (R11)
    ///
    /// An export of no users (an empty store, or a --pool or --origin that matches none) is a
    /// backup of nothing, which `users restore` restores as nothing (exit 0, read 0): a CSV
    /// holds its header alone, NDJSON the one line {"backup":"pools users export","users":0}
    /// (an empty file is refused by restore: it is an export that did not run or was lost).
    Export {
        /// Only users of this pool
        #[arg(long, value_name = "NAME")]
        pool: Option<String>,
        /// Only users of this origin
        #[arg(long, value_parser = choice::<Origin>())]
        origin: Option<Origin>,
        /// The backup's format; `users restore` reads both back
        #[arg(long, value_enum, default_value_t = ExportAs::Ndjson)]
        format: ExportAs,
        /// Include each user's password hash (a secret: never by default)
        #[arg(long)]
        include_hashes: bool,
    },
    /// Set metadata keys (merged into the user's metadata); refused for sync copies (R7)
    SetMetadata {
        /// The user's identifier or one of its aliases (compared without case, R6)
        identifier: String,
        /// KEY=VALUE pairs; VALUE is JSON when it parses as JSON, else a string
        #[arg(
            value_name = "KEY=VALUE",
            required_unless_present = "file",
            conflicts_with = "file"
        )]
        pairs: Vec<String>,
        /// A JSON object of keys to set (null removes a key)
        #[arg(long, value_name = "JSON")]
        file: Option<PathBuf>,
    },
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<u8> {
    match a.command {
        Command::Import(args) => return super::import::run(ctx, args),
        Command::Restore(args) => return super::restore::run(ctx, args),
        _ => {}
    }
    run_other(ctx, a).map(|()| super::exit::OK)
}

fn run_other(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let read_only = matches!(
        a.command,
        Command::List { .. } | Command::Show { .. } | Command::Export { .. }
    );
    let env = if read_only {
        ctx.env_read()?
    } else {
        ctx.env()?
    };
    match a.command {
        Command::List {
            pool,
            origin,
            limit,
            after,
        } => {
            list(ctx, env.as_ref(), UserFilter { pool, origin }, limit, after)?;
        }
        Command::Show { identifier } => {
            let shown = ctx.block_on(env.user(&identifier))?;
            let (user, aliases, scheme, methods) = (
                &shown.user,
                &shown.aliases,
                shown.password_scheme,
                &shown.sign_in_methods,
            );
            // Always present (`[]` for none), so scripts need not test for the key.
            let view = serde_json::json!({"user": user, "aliases": aliases, "password_scheme": scheme, "sign_in_methods": methods});
            if !output::structured(ctx, &view)? {
                let mut t = Table::plain();
                let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                let rows = [
                    ("identifier", user.identifier.clone()),
                    ("id", user.id.clone()),
                    ("origin", user.origin.as_str().to_owned()),
                    ("pool", opt(&user.pool)),
                    (
                        "tenant",
                        format!(
                            "{} ({})",
                            opt(&user.tenant_id),
                            opt(&user.tenant_resolution)
                        ),
                    ),
                    ("enabled", user.enabled.to_string()),
                    (
                        "password",
                        scheme.map_or("none".to_owned(), |s| format!("******** ({s})")),
                    ),
                    ("created", user.created_at.clone()),
                    ("migrated", opt(&user.migrated_at)),
                    ("last login", opt(&user.last_login_at)),
                    ("profile", Value::Object(user.profile.clone()).to_string()),
                    ("metadata", Value::Object(user.metadata.clone()).to_string()),
                    ("version", user.version.to_string()),
                ];
                for (k, v) in rows {
                    t.row([k.to_owned(), v]);
                }
                // One line per alias: each is a login name of its own (R6).
                if aliases.is_empty() {
                    t.row(["aliases", "none"]);
                }
                for a in aliases {
                    t.row(["alias", a.as_str()]);
                }
                for m in methods {
                    let v = if m.available {
                        "yes".to_owned()
                    } else {
                        format!("no: {}", m.reason)
                    };
                    t.row([format!("method {}", m.method), v]);
                }
                t.print()?;
            }
        }
        Command::Create {
            identifier,
            password_stdin,
            tenant,
        } => {
            let password = if password_stdin {
                Secret::new(input_file::first_line(
                    input_file::Source::Stdin,
                    "--password-stdin",
                    input_file::PASSWORD,
                )?)
            } else if prompt::may_prompt(ctx) {
                prompt::secret(&format!("password for {identifier}"))?
            } else {
                return Err(usage(
                    "a password is needed",
                    "pass --password-stdin and pipe the password in",
                ));
            };
            // A usage error naming the input (F21): an empty line is a script's unset
            // variable or a closed stdin, never a password (the prompt refuses it itself).
            if password.expose().is_empty() {
                return Err(usage(
                    "--password-stdin: the password is empty (empty input or a blank first line)",
                    "e.g. printf %s \"$PASSWORD\" | pools users create user@example.com --password-stdin",
                ));
            }
            let user = ctx.block_on(env.create_user(CreateUser {
                identifier,
                password,
                tenant,
            }))?;
            ctx.committed(format!("created native user '{}'", user.identifier));
            if !output::structured(ctx, &user)? {
                outln!(
                    "created native user '{}' in tenant {}",
                    user.identifier,
                    user.tenant_id.as_deref().unwrap_or("-")
                )?;
            }
        }
        Command::SetMetadata {
            identifier,
            pairs,
            file,
        } => {
            let changes = match file {
                Some(f) => read_object(&f)?,
                None => parse_pairs(&pairs)?,
            };
            let updated = ctx.block_on(env.set_user_metadata(&identifier, &changes))?;
            ctx.committed(format!("set metadata of '{}'", updated.identifier));
            if !output::structured(ctx, &updated.metadata)? {
                outln!(
                    "metadata of '{}': {}",
                    updated.identifier,
                    Value::Object(updated.metadata.clone())
                )?;
            }
        }
        Command::Import(_) | Command::Restore(_) => unreachable!("handled by run"),
        Command::Export {
            pool,
            origin,
            format,
            include_hashes,
        } => {
            export_users(
                ctx,
                env.as_ref(),
                UserFilter { pool, origin },
                format,
                include_hashes,
            )?;
        }
    }
    Ok(())
}

/// The users a table shows without `--limit`: a page, so that a table never holds the
/// whole store (issue 8).
const TABLE_PAGE: u64 = 100;

/// `users list`: one page of users, streamed to stdout (structured output) or held for the
/// table's columns (a page only); then, on stderr, how many were shown and the cursor of the
/// next page when users are left. The cursor line is printed under `-q` too: a script needs
/// it to go on.
fn list(
    ctx: &Ctx,
    env: &dyn Environment,
    filter: UserFilter,
    limit: Option<u64>,
    after: Option<String>,
) -> anyhow::Result<()> {
    let page = Page {
        after: after.as_deref().map(cursor_key).transpose()?,
        limit: limit.or((ctx.format == Format::Table).then_some(TABLE_PAGE)),
    };
    let query = UsersQuery { filter, page };
    let page = &query.page;
    let mut shown = 0u64;
    let next = if ctx.format == Format::Table {
        let mut t = Table::new(&[
            "IDENTIFIER",
            "ORIGIN",
            "POOL",
            "TENANT",
            "ENABLED",
            "LAST LOGIN",
        ]);
        let next = each_user(ctx, page, listing(env, &query.filter), &mut |u| {
            warn_unreadable(ctx, &u);
            shown += 1;
            t.row([
                u.identifier,
                u.origin.as_str().to_owned(),
                u.pool.unwrap_or_else(|| "-".into()),
                u.tenant_id.unwrap_or_else(|| "-".into()),
                if u.enabled { "yes" } else { "no" }.to_owned(),
                u.last_login_at.unwrap_or_else(|| "never".into()),
            ]);
            Ok(())
        })?;
        if shown > 0 {
            t.print()?;
        }
        next
    } else {
        output::stream(ctx.format, |emit| {
            each_user(ctx, page, listing(env, &query.filter), &mut |u| {
                warn_unreadable(ctx, &u);
                shown += 1;
                emit(&u)
            })
        })?
    };
    match next {
        Some(cursor) => output::message(format_args!(
            "{shown} user(s) shown; next page: --after {}",
            cursor.encode()
        )),
        None if shown == 0 && page.after.is_some() => ctx.note("no users after this cursor"),
        None if shown == 0 => ctx.note("no users match"),
        None if ctx.format == Format::Table => {
            ctx.note(format!("{shown} user(s) shown, the last page"))
        }
        None => {}
    }
    Ok(())
}

/// Gives `each` the users a query yields, a page of the environment at a time (`fetch`
/// asks for one), from `first.after` up to `first.limit` (`None`: all of them); returns the
/// cursor after the last one given when users are left.
fn each_user<T, F: std::future::Future<Output = pools_core::Result<UsersPage<T>>>>(
    ctx: &Ctx,
    first: &Page,
    mut fetch: impl FnMut(Page) -> F,
    each: &mut dyn FnMut(T) -> pools_core::Result<()>,
) -> pools_core::Result<Option<Cursor>> {
    let mut left = first.limit;
    let mut after = first.after.clone();
    loop {
        let got = ctx.block_on(fetch(Page {
            after: after.take(),
            limit: left,
        }))?;
        let n = got.users.len() as u64;
        for u in got.users {
            each(u)?;
        }
        left = left.map(|l| l.saturating_sub(n));
        match got.next {
            Some(c) if left != Some(0) => after = Some(c.0),
            next => return Ok(next),
        }
    }
}

/// `users list`'s query for `page`.
fn listing<'a>(
    env: &'a dyn Environment,
    filter: &'a UserFilter,
) -> impl FnMut(Page) -> pools_core::service::BoxFuture<'a, pools_core::Result<UsersPage<User>>> {
    move |page| {
        let query = UsersQuery {
            filter: filter.clone(),
            page,
        };
        Box::pin(async move { env.users(&query).await })
    }
}

/// The identifier key an `--after` value names.
///
/// Errors: a usage error (exit 2) naming `--after` for anything a page did not print.
fn cursor_key(text: &str) -> anyhow::Result<String> {
    Cursor::decode(text).map(|c| c.0).ok_or_else(|| {
        usage(
            format!("--after {text:?} is not a cursor `pools users list` printed"),
            "pass the value after `next page: --after` from the previous page's last line (stderr), or leave --after out to start at the first user",
        )
    })
}

/// Output format of `users export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportAs {
    Ndjson,
    Csv,
}

fn export_users(
    ctx: &Ctx,
    env: &dyn Environment,
    filter: UserFilter,
    format: ExportAs,
    hashes: bool,
) -> anyhow::Result<()> {
    ctx.refuse_format(
        "users export",
        "it writes NDJSON or CSV: choose with --format ndjson|csv",
    )?;
    // Said once the output holds a hash, after it (a refused request wrote none).
    let mut written = 0u64;
    let result = write_users(ctx, env, filter, format, hashes, &mut written);
    if hashes && written > 0 {
        ctx.warn("the output holds password hashes (R11): keep it out of logs and tickets, delete it after use");
    }
    result
}

/// [`export_users`]' output, counting the users written in `written`.
fn write_users(
    ctx: &Ctx,
    env: &dyn Environment,
    filter: UserFilter,
    format: ExportAs,
    hashes: bool,
    written: &mut u64,
) -> anyhow::Result<()> {
    use std::io::Write;
    let everyone = Page::default();
    let backup = |page| {
        let query = UsersQuery {
            filter: filter.clone(),
            page,
        };
        async move { env.export_users(&query, hashes).await }
    };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let failed =
        |e: &dyn std::fmt::Display| Error::io("stdout", std::io::Error::other(e.to_string()));
    // The format is the library's (pools_core::backup), so that `users restore` reads it back.
    match format {
        ExportAs::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(pools_core::backup::csv_header(hashes))
                .map_err(|e| failed(&e))?;
            each_user(ctx, &everyone, backup, &mut |(u, aliases): (
                User,
                Vec<String>,
            )| {
                warn_unreadable(ctx, &u);
                *written += 1;
                w.write_record(pools_core::backup::csv_record(&u, &aliases, hashes))
                    .map_err(|e| failed(&e))
            })?;
            w.flush().map_err(|e| failed(&e))?;
        }
        ExportAs::Ndjson => {
            let mut out = out;
            each_user(ctx, &everyone, backup, &mut |(u, aliases): (
                User,
                Vec<String>,
            )| {
                warn_unreadable(ctx, &u);
                *written += 1;
                writeln!(
                    out,
                    "{}",
                    pools_core::backup::ndjson_line(&u, &aliases, hashes)
                )
                .map_err(|e| failed(&e))
            })?;
            if *written == 0 {
                // A backup of nothing says so: restore tells it from an empty or lost file.
                writeln!(out, "{}", pools_core::backup::NDJSON_NO_USERS).map_err(|e| failed(&e))?;
            }
            out.flush().map_err(|e| failed(&e))?;
        }
    }
    Ok(())
}

/// One user whose stored fields cannot be read is named on stderr; the others are listed.
fn warn_unreadable(ctx: &Ctx, u: &User) {
    if !u.unreadable.is_empty() {
        ctx.warn(format!(
            "user {:?}: stored {} cannot be read back (shown as empty); run `pools doctor`",
            u.identifier,
            u.unreadable.join("; ")
        ));
    }
}

fn parse_pairs(pairs: &[String]) -> anyhow::Result<Map<String, Value>> {
    let mut out = Map::new();
    for p in pairs {
        let Some((k, v)) = p.split_once('=') else {
            return Err(usage(
                format!("{p:?} is not KEY=VALUE"),
                "e.g. pools users set-metadata a@example.com plan=pro seats=5",
            ));
        };
        if k.trim().is_empty() {
            return Err(usage(format!("{p:?} has an empty key"), "e.g. plan=pro"));
        }
        // Strictly, as `--file` is read: an object naming a key twice would keep one silently.
        let value = match pools_core::json::parse_unique(v) {
            Ok(value) => {
                // Checked as typed: a parsed value has already rounded a too-big integer.
                check_json(&format!("value of {:?}", k.trim()), v)?;
                value
            }
            // A value written as an object or array was meant as JSON: a broken one is
            // refused, never kept as a string that looks like it.
            Err(e) if v.trim_start().starts_with(['{', '[']) => {
                return Err(pools_core::Error::invalid(
                    "metadata",
                    format!("the value of {:?} is not valid JSON: {}", k.trim(), e),
                )
                .with_hint(
                    "fix the JSON, or quote the value to keep it as a string: key='\"[...]\"'",
                )
                .into());
            }
            Err(_) => Value::String(v.to_owned()),
        };
        if out.contains_key(k.trim()) {
            return Err(usage(
                format!("{:?} is given twice", k.trim()),
                "give each key once",
            ));
        }
        out.insert(k.trim().to_owned(), value);
    }
    Ok(out)
}

fn read_object(path: &std::path::Path) -> anyhow::Result<Map<String, Value>> {
    let text = input_file::read(
        input_file::Source::Path(path),
        "--file",
        input_file::METADATA,
    )?;
    let text = pools_core::json::strip_bom(&text);
    // A key written twice is refused, as `KEY=VALUE` given twice is.
    match pools_core::json::parse_unique(text) {
        Ok(Value::Object(m)) => {
            check_json("metadata", text)?;
            Ok(m)
        }
        Ok(_) => Err(Error::invalid(
            "--file",
            format!("{}: metadata must be a JSON object", path.display()),
        )
        .into()),
        Err(e) => Err(Error::invalid(
            "--file",
            format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()),
        )
        .into()),
    }
}

/// The limits of what the store keeps, on metadata as the operator wrote it (R12: nothing is
/// written when refused).
fn check_json(what: &str, text: &str) -> anyhow::Result<()> {
    pools_core::limits::check_json(what, text).map_err(|r| {
        Error::invalid("metadata", r.message)
            .with_hint("the store keeps only what it can read back: flatten or shorten the value, or quote a long number as a string")
            .into()
    })
}
