//! `pools audit`

use super::{Ctx, Format, output, usage};
use output::Table;
use pools_core::audit::{Entry, Filter};

/// Show the audit log: every change made to this store, who made it and when
///
/// Pools created, configured and deleted (their settings before and after), the login order,
/// users created or given metadata by hand, restores and import runs, oldest first. Each
/// entry was written in the transaction of its change. No secret is recorded: pools hold
/// secrets by reference only, and users are recorded without their password hash (R11).
/// Logins (JIT migrations) are not operator changes and are not recorded.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only entries from this time on: RFC 3339 (`2026-12-04T09:00:00Z`) or a UTC day
    /// (`2026-12-04`)
    #[arg(long, value_name = "TIME")]
    since: Option<String>,

    /// Only entries about this pool
    #[arg(long, value_name = "NAME")]
    pool: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<()> {
    let filter = Filter {
        since: a.since.as_deref().map(parse_since).transpose()?,
        pool: a.pool,
        ..Filter::default()
    };
    let env = ctx.env_read()?;
    // Pages, so that neither side holds the whole log.
    let each_entry = |f: &mut dyn FnMut(Entry) -> pools_core::Result<()>| {
        let mut page = Filter {
            after: None,
            limit: Some(AUDIT_PAGE),
            ..filter.clone()
        };
        loop {
            let entries = ctx.block_on(env.audit(&page))?;
            let full = entries.len() as u64 == AUDIT_PAGE;
            page.after = entries.last().map(|e| e.seq).or(page.after);
            for e in entries {
                f(e)?;
            }
            if !full {
                return Ok(());
            }
        }
    };
    if ctx.format != Format::Table {
        return output::stream(ctx.format, |each| each_entry(&mut |e: Entry| each(&e)));
    }
    let mut t = Table::new(&["SEQ", "AT", "ACTOR", "ACTION", "POOL", "TARGET"]);
    let mut n = 0u64;
    each_entry(&mut |e| {
        n += 1;
        t.row(vec![
            e.seq.to_string(),
            e.at,
            e.actor,
            e.action.to_string(),
            e.pool.unwrap_or_else(|| "-".into()),
            e.target,
        ]);
        Ok(())
    })?;
    t.print()?;
    if n == 0 {
        ctx.note("no entries");
    } else {
        ctx.note("-o json shows each entry's record before and after");
    }
    Ok(())
}

/// Entries per page of the audit log.
const AUDIT_PAGE: u64 = 1000;

fn parse_since(s: &str) -> anyhow::Result<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(s.trim(), &Rfc3339) {
        return Ok(t);
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &day)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| {
            usage(
                format!("--since {s:?}: not a time"),
                "give an RFC 3339 time such as 2026-12-04T09:00:00Z, or a day such as 2026-12-04 (UTC)",
            )
        })
}
