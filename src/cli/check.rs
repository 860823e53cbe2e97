//! `pools check`

use super::{Ctx, output};
use output::{Table, outln};

/// Probe pools' sources for their prerequisites, each failure with its fix
///
/// Live pools are asked harmless questions (a login of a user that cannot exist): is the
/// service reachable, is its TLS certificate valid, are the credentials accepted, is the
/// password flow enabled (Cognito's ALLOW_USER_PASSWORD_AUTH, Auth0's password grant), does a
/// custom endpoint answer 404 for an unknown user. Export pools: the file reads, its format
/// and hash parameters are usable. Nothing is written anywhere. Exit 0 when every check
/// passes, 5 otherwise.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these pools [default: every pool]
    #[arg(value_name = "NAME")]
    pools: Vec<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<u8> {
    let env = ctx.env_read()?;
    let checks = ctx.block_on(env.check(&a.pools))?;
    let ok = checks.iter().all(|c| c.ok());
    if !output::structured(ctx, &checks)? {
        if checks.is_empty() {
            outln!("no pools to check")?;
        } else {
            let mut t = Table::new(&["POOL", "SOURCE", "CHECK", "RESULT", "DETAIL"]);
            for c in &checks {
                if c.probes.is_empty() {
                    t.row([
                        c.pool.clone(),
                        c.source.clone(),
                        "-".into(),
                        "-".into(),
                        "no probe for this source".into(),
                    ]);
                }
                for p in &c.probes {
                    t.row([
                        c.pool.clone(),
                        c.source.clone(),
                        p.check.clone(),
                        if p.ok { "ok" } else { "FAIL" }.into(),
                        match &p.fix {
                            Some(fix) => format!("{}; fix: {fix}", p.detail),
                            None => p.detail.clone(),
                        },
                    ]);
                }
            }
            t.print()?;
            let failed = checks
                .iter()
                .flat_map(|c| &c.probes)
                .filter(|p| !p.ok)
                .count();
            if ok {
                outln!("every check passed in {} pool(s)", checks.len())?;
            } else {
                outln!("{failed} check(s) failed in {} pool(s)", checks.len())?;
            }
        }
    }
    Ok(if ok {
        super::exit::OK
    } else {
        super::exit::VALIDATION
    })
}
