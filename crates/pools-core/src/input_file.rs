//! Inputs that `pools` reads whole into memory (a YAML document, a hash config, a secret, a
//! password), each bounded: a path to `/dev/zero`, a 10 GB file or an endless pipe is refused
//! once the limit is passed, never read until memory runs out. Export files are streamed
//! record by record and have limits of their own ([`crate::limits::MAX_RECORD_BYTES`]).

use crate::Result;
use std::io::{self, BufRead, Read};
use std::path::Path;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// One kind of whole-read input: what it is, the most bytes read of it, and how to fix an
/// input past that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// What the input is, in words, for messages: `a hash config`.
    pub what: &'static str,
    /// The most bytes read (of the first line, for [`first_line`]); one more is a refusal.
    pub max_bytes: u64,
    /// The `hint:` of a refusal.
    pub hint: &'static str,
    /// Refuse anything but a regular file (a FIFO, a device): for files `pools` owns, which
    /// it also rewrites in place, and for paths that a pipe has a flag of its own for (a FIFO
    /// without a writer would block the command forever, as `file:` secret references know).
    pub regular_only: bool,
}

/// `pools apply -f FILE` documents: 16 MiB, hundreds of times a configuration of thousands
/// of pools.
pub const APPLY_DOCUMENT: Kind = Kind {
    what: "a pools YAML document",
    max_bytes: 16 * MIB,
    hint: "apply the configuration `pools export` wrote; a user export is imported with `pools users import`",
    regular_only: false,
};

/// The 0600 credentials file that holds `keyring:` secrets where no OS keyring is used:
/// 16 MiB, far above the few KiB `pools` writes there. `pools` rewrites it, so it must be a
/// regular file.
pub const CREDENTIALS_FILE: Kind = Kind {
    what: "the credentials file",
    max_bytes: 16 * MIB,
    hint: "this is no credentials file pools wrote: move it away, or set POOLS_CREDENTIALS_FILE to another path",
    regular_only: true,
};

/// The environment server's sealed secrets file (`pools serve`): as the credentials file,
/// 16 MiB, a regular file `pools` rewrites.
pub const SEALED_FILE: Kind = Kind {
    what: "the sealed secrets file",
    max_bytes: 16 * MIB,
    hint: "this is no sealed secrets file pools wrote: move it away, or point `pools serve --secrets-file` at the server's own file",
    regular_only: true,
};

/// A Firebase project's password-hash parameters (`--hash-config`): 1 MiB, for a JSON object
/// of a few hundred bytes.
pub const HASH_CONFIG: Kind = Kind {
    what: "a hash config",
    max_bytes: MIB,
    hint: "pass the project's password-hash parameters (a small JSON object from the console), not the export; save them to a file first",
    regular_only: true,
};

/// The claims an IdP would return (`simulate-login --claims FILE`): 1 MiB.
pub const CLAIMS: Kind = Kind {
    what: "a claims file",
    max_bytes: MIB,
    hint: "pass one JSON object: the claims the IdP would return",
    regular_only: false,
};

/// The metadata of `users set-metadata --file FILE`: 1 MiB (the store keeps at most
/// [`crate::limits::MAX_DOCUMENT_BYTES`] of it).
pub const METADATA: Kind = Kind {
    what: "a metadata file",
    max_bytes: MIB,
    hint: "pass one JSON object of metadata; the store keeps at most 256 KiB per user",
    regular_only: false,
};

/// A secret read from stdin (`--client-secret -` and the other secret flags) or from a
/// `file:` reference: 64 KiB, above any client secret, API key or authorization header.
pub const SECRET: Kind = Kind {
    what: "a secret",
    max_bytes: 64 * KIB,
    hint: "pipe in the secret alone, e.g. `printf %s \"$SECRET\" | pools ...`, or point file: at a file holding only the secret",
    regular_only: false,
};

/// A password read from stdin or a file (`--password-stdin`, `--password-file`): its first
/// line only, at most 4 KiB (longer is no password a source would take).
pub const PASSWORD: Kind = Kind {
    what: "a password",
    max_bytes: 4 * KIB,
    hint: "the password is the first line of the input, at most 4 KiB; to pipe it in, use --password-stdin",
    regular_only: true,
};

/// Where an input comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file (also a FIFO or `/dev/stdin`, unless the kind is `regular_only`).
    Path(&'a Path),
    /// This process's stdin.
    Stdin,
}

impl<'a> Source<'a> {
    /// A flag's value where `-` means stdin.
    pub fn arg(path: &'a Path) -> Self {
        if path.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::Path(path)
        }
    }

    /// The input as messages name it: its path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Source::Path(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".into(),
        }
    }
}

/// Why an input was not read.
#[derive(Debug)]
enum Problem {
    /// More than the kind's `max_bytes`.
    TooLarge,
    /// Not UTF-8 text; `at` is the offset of the first bad byte.
    NotUtf8 { at: usize },
    /// UTF-16 or UTF-32 text (see [`crate::limits::wide_encoding`]), which NUL bytes can
    /// make valid but meaningless UTF-8.
    WideEncoding(&'static str),
    /// A FIFO, device or socket where only a regular file will do.
    NotRegular,
    /// Opening or reading failed (`NotFound` among them).
    Io(io::Error),
}

impl Problem {
    fn is_not_found(&self) -> bool {
        matches!(self, Problem::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }

    /// The refusal on `field`: `--hash-config: /dev/zero: more than 1 MiB, the most pools
    /// reads of a hash config`, with the kind's hint where there is a fix.
    fn into_error(self, field: &str, name: &str, kind: Kind) -> crate::Error {
        let Kind {
            what,
            max_bytes,
            hint,
            ..
        } = kind;
        let message = match &self {
            Problem::TooLarge => format!(
                "{name}: more than {}, the most pools reads of {what}",
                size(max_bytes)
            ),
            Problem::NotUtf8 { at } => format!("{name}: not UTF-8 (byte {at})"),
            Problem::WideEncoding(enc) => format!(
                "{name}: {enc} text, not UTF-8: re-encode it (e.g. `iconv -f {} -t UTF-8`)",
                enc.split(' ').next().unwrap_or(enc)
            ),
            Problem::NotRegular => format!("{name}: not a regular file, as {what} must be"),
            Problem::Io(e) => format!("{name}: cannot read: {e}"),
        };
        let err = crate::Error::invalid(field, message);
        match self {
            Problem::TooLarge | Problem::NotRegular => err.with_hint(hint),
            Problem::NotUtf8 { .. } | Problem::WideEncoding(_) | Problem::Io(_) => err,
        }
    }
}

/// Reads the whole of `source` as UTF-8 text, at most `kind.max_bytes`. `field` is the flag or
/// YAML key the operator fixes (`--hash-config`, `hash_config`).
///
/// Errors: [`crate::Error::Invalid`] on `field`, naming the input: past the limit (with the
/// limit and the kind's hint; a regular file is refused by its size, before it is read), not
/// a regular file for a kind that takes only those, not UTF-8, or the I/O error.
pub fn read(source: Source<'_>, field: &str, kind: Kind) -> Result<String> {
    read_bounded(source, kind).map_err(|p| p.into_error(field, &source.name(), kind))
}

/// [`read`], but a file that does not exist is `None` (inputs where missing means empty).
///
/// Errors: as [`read`].
pub fn read_optional(source: Source<'_>, field: &str, kind: Kind) -> Result<Option<String>> {
    match read_bounded(source, kind) {
        Ok(text) => Ok(Some(text)),
        Err(p) if p.is_not_found() => Ok(None),
        Err(p) => Err(p.into_error(field, &source.name(), kind)),
    }
}

/// Reads the first line of `source` (without its `\n` or `\r\n`), at most `kind.max_bytes`;
/// the rest of the input is never read.
///
/// Errors: as [`read`]; past the limit when the first line is longer than it.
pub fn first_line(source: Source<'_>, field: &str, kind: Kind) -> Result<String> {
    first_line_bounded(source, kind).map_err(|p| p.into_error(field, &source.name(), kind))
}

fn read_bounded(source: Source<'_>, kind: Kind) -> Result<String, Problem> {
    let mut bytes = Vec::new();
    match source {
        Source::Path(path) => open(path, kind, true)?
            .take(kind.max_bytes + 1)
            .read_to_end(&mut bytes),
        Source::Stdin => io::stdin()
            .lock()
            .take(kind.max_bytes + 1)
            .read_to_end(&mut bytes),
    }
    .map_err(Problem::Io)?;
    if bytes.len() as u64 > kind.max_bytes {
        return Err(Problem::TooLarge);
    }
    text(bytes)
}

fn first_line_bounded(source: Source<'_>, kind: Kind) -> Result<String, Problem> {
    // Two bytes more than the limit: room for the line's `\r\n`.
    let cap = kind.max_bytes + 2;
    let mut line = Vec::new();
    match source {
        Source::Path(path) => {
            io::BufReader::new(open(path, kind, false)?.take(cap)).read_until(b'\n', &mut line)
        }
        Source::Stdin => io::stdin().lock().take(cap).read_until(b'\n', &mut line),
    }
    .map_err(Problem::Io)?;
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    if line.len() as u64 > kind.max_bytes {
        return Err(Problem::TooLarge);
    }
    text(line)
}

fn text(bytes: Vec<u8>) -> Result<String, Problem> {
    if let Some(enc) = crate::limits::wide_encoding(&bytes) {
        return Err(Problem::WideEncoding(enc));
    }
    String::from_utf8(bytes).map_err(|e| Problem::NotUtf8 {
        at: e.utf8_error().valid_up_to(),
    })
}

/// Opens `path` for reading; for a `whole` read, a regular file larger than the limit is
/// refused by its size.
fn open(path: &Path, kind: Kind, whole: bool) -> Result<std::fs::File, Problem> {
    // Checked before opening: opening a FIFO blocks until a writer comes, which may be never.
    if kind.regular_only && std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(Problem::NotRegular);
    }
    let file = std::fs::File::open(path).map_err(Problem::Io)?;
    let meta = file.metadata().map_err(Problem::Io)?;
    if whole && meta.is_file() && meta.len() > kind.max_bytes {
        return Err(Problem::TooLarge);
    }
    if kind.regular_only && !meta.is_file() {
        return Err(Problem::NotRegular);
    }
    Ok(file)
}

/// `1 MiB`, `64 KiB`, `8 bytes`: the largest unit that divides the limit.
fn size(bytes: u64) -> String {
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const TINY: Kind = Kind {
        what: "a test input",
        max_bytes: 8,
        hint: "keep it short",
        regular_only: false,
    };

    fn file(content: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content).unwrap();
        f
    }

    fn refusal(r: Result<impl std::fmt::Debug>) -> (String, Option<String>) {
        let e = r.unwrap_err();
        (e.to_string(), e.hint())
    }

    #[test]
    fn whole_reads_stop_one_byte_past_the_limit() {
        let ok = file(b"12345678");
        assert_eq!(
            read(Source::Path(ok.path()), "--x", TINY).unwrap(),
            "12345678"
        );
        let big = file(b"123456789");
        let (e, hint) = refusal(read(Source::Path(big.path()), "--x", TINY));
        assert_eq!(
            e,
            format!(
                "--x: {}: more than 8 bytes, the most pools reads of a test input",
                big.path().display()
            )
        );
        assert_eq!(hint.as_deref(), Some("keep it short"));
        // A device is read up to the limit, never to its (absent) end.
        let (e, _) = refusal(read(Source::Path(Path::new("/dev/zero")), "--x", TINY));
        assert!(e.contains("/dev/zero: more than 8 bytes"), "{e}");
    }

    #[test]
    fn first_lines_are_bounded_and_the_rest_is_never_read() {
        let f = file(b"12345678\r\n and much more, not even UTF-8: \xff");
        assert_eq!(
            first_line(Source::Path(f.path()), "--x", TINY).unwrap(),
            "12345678"
        );
        for long in [&b"123456789\n"[..], b"no newline"] {
            let f = file(long);
            let (e, _) = refusal(first_line(Source::Path(f.path()), "--x", TINY));
            assert!(e.contains("more than 8 bytes"), "{e}");
        }
        let f = file(b"short");
        assert_eq!(
            first_line(Source::Path(f.path()), "--x", TINY).unwrap(),
            "short"
        );
        let (e, _) = refusal(first_line(
            Source::Path(Path::new("/dev/zero")),
            "--x",
            TINY,
        ));
        assert!(e.contains("more than 8 bytes"), "{e}");
    }

    #[test]
    fn text_missing_files_and_special_files() {
        let f = file(b"ab\xffcd");
        let (e, hint) = refusal(read(Source::Path(f.path()), "--x", TINY));
        assert!(e.ends_with("not UTF-8 (byte 2)"), "{e}");
        assert_eq!(hint, None);
        let missing = Path::new("/nonexistent/x");
        assert!(read(Source::Path(missing), "--x", TINY).is_err());
        assert_eq!(
            read_optional(Source::Path(missing), "--x", TINY).unwrap(),
            None
        );
        let regular = Kind {
            regular_only: true,
            ..TINY
        };
        let (e, _) = refusal(read(Source::Path(Path::new("/dev/null")), "--x", regular));
        assert!(e.contains("not a regular file"), "{e}");
        assert_eq!(
            read(Source::Path(Path::new("/dev/null")), "--x", TINY).unwrap(),
            ""
        );
    }

    #[test]
    fn limits_are_written_in_whole_units() {
        assert_eq!(size(16 * MIB), "16 MiB");
        assert_eq!(size(64 * KIB), "64 KiB");
        assert_eq!(size(4 * KIB), "4 KiB");
        assert_eq!(size(8), "8 bytes");
    }
}
