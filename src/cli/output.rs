//! Everything `pools` prints goes through here. Results go to stdout through [`raw`] and
//! [`line`] (see [`outln!`]), which return a failed write as an error (exit 1) instead of
//! panicking; messages go to stderr through [`message`], which never fails (a closed or full
//! stderr loses the message, nothing else). Human output passes through [`escape`], so a value
//! cannot steer the terminal; JSON and YAML stay exact (their serialisers escape). Secret values
//! never reach here: pools hold references, shown beside `********`.

use super::{Ctx, Format};
use comfy_table::presets;
use pools_core::pool::{PoolSpec, StoredPool};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;

/// Characters that must not reach a terminal as they are: exactly those names refuse
/// ([`pools_core::limits::refused_char`]: controls, format characters, blanks other than U+0020,
/// default-ignorable code points, private-use characters, noncharacters, U+FFFD), so
/// whatever a name cannot hold is visible when printed.
fn needs_escape(c: char) -> bool {
    pools_core::limits::refused_char(c)
}

/// `s` with every character a terminal would act on or show as nothing (see `needs_escape`)
/// written as a Rust escape, e.g. ESC as `\u{1b}`, U+202E as `\u{202e}`, a no-break space
/// as `\u{a0}` and a private-use character as `\u{e000}`. Used for every table cell, every line of human output and every message on
/// stderr; borrowed when nothing needs escaping.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A failed write to stdout, as the library's I/O error (exit 1): `stdout: No space left on
/// device (os error 28)`.
fn stdout_error(e: std::io::Error) -> anyhow::Error {
    pools_core::Error::io("stdout", e).into()
}

/// Writes `text` to stdout as it is (JSON, YAML, generated scripts, already escaped tables).
///
/// Errors: the failed write (e.g. a full disk), as an I/O error on `stdout`.
pub fn raw(text: &str) -> anyhow::Result<()> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(stdout_error)
}

/// Writes one line of human output to stdout, escaped (see [`escape`]).
///
/// Errors: as [`raw`].
pub fn line(text: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    let text = text.to_string();
    let mut s = escape(&text).into_owned();
    s.push('\n');
    raw(&s)
}

/// Flushes stdout; `main` calls it once a command succeeded, so output still buffered is
/// written (or its failure reported) before the exit code is chosen.
///
/// Errors: as [`raw`].
pub fn flush() -> anyhow::Result<()> {
    std::io::stdout().lock().flush().map_err(stdout_error)
}

/// Writes one message line to stderr, escaped. A write that fails (stderr closed or full) is
/// ignored: a message must never turn into a failure of its own.
pub fn message(text: impl std::fmt::Display) {
    let text = text.to_string();
    let mut s = escape(&text).into_owned();
    s.push('\n');
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}

/// `outln!("...", args)`: [`line`] with `format!` arguments; evaluates to `anyhow::Result<()>`.
macro_rules! outln {
    () => {
        $crate::cli::output::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// A borderless table whose cells are escaped as they are added.
pub struct Table(comfy_table::Table);

impl Table {
    /// A table with a header row (header texts are ours: not escaped).
    pub fn new(header: &[&str]) -> Self {
        let mut t = Self::plain();
        t.0.set_header(header.iter().copied());
        t
    }

    /// A table without a header (key / value listings).
    pub fn plain() -> Self {
        let mut t = comfy_table::Table::new();
        t.load_style(presets::NOTHING);
        Table(t)
    }

    /// Adds a row; every cell is escaped (see [`escape`]).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0.add_row(
            cells
                .into_iter()
                .map(|c| escape(c.as_ref()).into_owned())
                .collect::<Vec<_>>(),
        );
    }

    /// Prints the table on stdout.
    ///
    /// Errors: as [`raw`].
    pub fn print(&self) -> anyhow::Result<()> {
        raw(&format!("{}\n", self.0))
    }
}

/// The stable JSON/YAML shape of a pool: the spec's keys (as in `export`) plus `position` and
/// `version`.
pub fn view(p: &StoredPool) -> PoolSpec {
    p.view()
}

/// Prints `value` as pretty JSON and a newline.
///
/// Errors: serialisation, or as [`raw`].
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    raw(&format!("{}\n", serde_json::to_string_pretty(value)?))
}

/// Prints `value` as a YAML document.
///
/// Errors: serialisation, or as [`raw`].
pub fn yaml<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    raw(&serde_yaml_ng::to_string(value)?)
}

/// Prints `value` as NDJSON: a list one compact element per line, anything else one line.
///
/// Errors: serialisation, or as [`raw`].
pub fn ndjson<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut text = String::new();
    match serde_json::to_value(value)? {
        serde_json::Value::Array(items) => {
            for item in items {
                text.push_str(&serde_json::to_string(&item)?);
                text.push('\n');
            }
        }
        other => {
            text.push_str(&serde_json::to_string(&other)?);
            text.push('\n');
        }
    }
    raw(&text)
}

/// Prints `value` as JSON, YAML or NDJSON when asked; returns false for table output.
///
/// Errors: as [`json`], [`yaml`] and [`ndjson`].
pub fn structured<T: Serialize + ?Sized>(ctx: &Ctx, value: &T) -> anyhow::Result<bool> {
    match ctx.format {
        Format::Json => json(value).map(|_| true),
        Format::Yaml => yaml(value).map(|_| true),
        Format::Ndjson => ndjson(value).map(|_| true),
        Format::Table => Ok(false),
    }
}

/// Writes a list to stdout element by element as `produce` hands them over, in a structured
/// `format`, so that a list of millions is never held whole (issue 8): JSON as one array
/// (the very document [`json`] prints of the whole list), YAML as one sequence, NDJSON as
/// one compact object per line. Returns what `produce` returns.
///
/// Errors: a failed write to stdout (as [`raw`]), or `produce`'s own.
pub fn stream<T: Serialize, R>(
    format: Format,
    produce: impl FnOnce(&mut dyn FnMut(&T) -> pools_core::Result<()>) -> pools_core::Result<R>,
) -> anyhow::Result<R> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = match format {
        Format::Json => {
            let mut ser = serde_json::Serializer::pretty(&mut out);
            let r = sequence(&mut ser, produce, std::io::Error::from)?;
            out.write_all(b"\n").map_err(stdout_error)?;
            r
        }
        Format::Yaml => {
            let mut ser = serde_yaml_ng::Serializer::new(&mut out);
            let r = sequence(&mut ser, produce, std::io::Error::other)?;
            ser.flush()
                .map_err(|e| stdout_error(std::io::Error::other(e)))?;
            r
        }
        Format::Ndjson => {
            // Each line is serialised into one reused buffer: written to stdout through a
            // serialiser of its own, a line cost four times as long in debug builds.
            let mut line = Vec::new();
            produce(&mut |item| {
                line.clear();
                serde_json::to_writer(&mut line, item).map_err(|e| {
                    pools_core::Error::io("stdout", std::io::Error::other(e.to_string()))
                })?;
                line.push(b'\n');
                out.write_all(&line)
                    .map_err(|e| pools_core::Error::io("stdout", e))
            })?
        }
        Format::Table => unreachable!("tables are not streamed: their columns need every row"),
    };
    out.flush().map_err(stdout_error)?;
    Ok(result)
}

/// One sequence on `ser`, its elements from `produce`; `io` turns the serialiser's error
/// (a failed write underneath, since users always serialise) into the I/O error it wraps.
fn sequence<S, T, R>(
    ser: S,
    produce: impl FnOnce(&mut dyn FnMut(&T) -> pools_core::Result<()>) -> pools_core::Result<R>,
    io: impl Fn(S::Error) -> std::io::Error,
) -> anyhow::Result<R>
where
    S: serde::Serializer,
    T: Serialize,
{
    use serde::ser::SerializeSeq;
    let failed = |e| pools_core::Error::io("stdout", io(e));
    let mut seq = ser.serialize_seq(None).map_err(failed)?;
    let r = produce(&mut |item| seq.serialize_element(item).map_err(failed))?;
    seq.end().map_err(failed)?;
    Ok(r)
}

/// The ordered list of pools.
pub fn pool_list(pools: &[StoredPool]) -> anyhow::Result<()> {
    let mut t = Table::new(&["POS", "NAME", "TYPE", "SOURCE", "MODE", "TENANT", "ENABLED"]);
    for p in pools {
        t.row([
            p.position.to_string(),
            p.pool.name.to_string(),
            p.pool.pool_type().to_string(),
            p.pool.settings.kind().to_string(),
            p.pool.mode.to_string(),
            p.pool.tenant.to_string(),
            if p.pool.enabled { "yes" } else { "no" }.to_string(),
        ]);
    }
    t.print()
}

/// Every setting of one pool, secrets masked.
pub fn pool_detail(p: &StoredPool, users: (u64, u64)) -> anyhow::Result<()> {
    let spec = p.pool.to_spec();
    let mut t = Table::plain();
    let list = |v: &Option<Vec<String>>| match v.as_deref() {
        Some(items) if !items.is_empty() => items.join(", "),
        _ => "-".to_owned(),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("name".into(), spec.name.clone()),
        ("position".into(), p.position.to_string()),
        ("version".into(), p.version.to_string()),
        ("type".into(), p.pool.pool_type().to_string()),
        ("source".into(), p.pool.settings.kind().to_string()),
        ("mode".into(), p.pool.mode.to_string()),
        ("tenant".into(), p.pool.tenant.source.to_string()),
        (
            "tenant_fallback".into(),
            p.pool
                .tenant
                .fallback
                .as_ref()
                .map_or("-".into(), |f| f.to_string()),
        ),
        ("enabled".into(), p.pool.enabled.to_string()),
        (
            "allow".into(),
            list(
                &spec
                    .allow
                    .as_ref()
                    .map(|a| a.iter().map(|m| m.to_string()).collect()),
            ),
        ),
        ("domains".into(), list(&spec.domains)),
    ];
    let secrets = p.pool.settings.secrets();
    for field in pools_source_fields(&spec) {
        let value = spec.field(field).unwrap_or_default().to_owned();
        let shown = match secrets.iter().find(|(f, _)| *f == field) {
            Some((_, r)) => format!("******** ({r})"),
            None => value,
        };
        rows.push((field.to_owned(), shown));
    }
    rows.push((
        "users".into(),
        format!("{} shadow, {} migrated", users.0, users.1),
    ));
    for (k, v) in rows {
        t.row([k, v]);
    }
    t.print()
}

fn pools_source_fields(spec: &PoolSpec) -> Vec<&'static str> {
    pools_core::pool::SOURCE_FIELDS
        .iter()
        .copied()
        .filter(|f| spec.field(f).is_some())
        .collect()
}
