//! Which lines of an export file hold each name (an identifier or alias key, R6), per
//! version of the file, for the export source's searches. A login must read an export to its
//! end (a second record with the same identifier makes the name ambiguous, an identifier
//! wins over another record's alias), so a long-running environment (a server, the login
//! bench) would scan the whole file at every login. With the index, a name no record holds
//! is answered at once and a search stops after the last line that holds its name.
//!
//! An index is built on the *second* full read of one version of a file in a process: a
//! one-login CLI process never pays for it. A version is the file's device, inode, size and
//! modification time (nanoseconds): a file changed in any of them is read again, as is any
//! file that is not a regular one (a FIFO, stdin). Files with unreadable records are never
//! indexed: there a search must read on, as the broken record may be the user's.

use crate::export::{ExportError, ExportFormat, ExportRecord};
use crate::identifier;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Where a name appears in one version of a file: its first and last record's line, and in
/// how many records (as identifier or alias).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Lines {
    pub first: u64,
    pub last: u64,
    pub records: u64,
}

/// The names of one version of one export file.
#[derive(Debug, Default)]
pub(super) struct NameIndex {
    names: HashMap<String, Lines>,
}

impl NameIndex {
    /// Where the name `wanted` (as typed: compared by its key) appears; `None`: no record.
    pub(super) fn get(&self, wanted: &str) -> Option<Lines> {
        self.names.get(&identifier::key(wanted)).copied()
    }
}

/// A file's version: what changes when its content may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Version {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
}

impl Version {
    fn of(path: &Path) -> Option<Version> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        m.is_file().then(|| Version {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        })
    }
}

/// What this process knows of one file in one format.
struct Known {
    version: Version,
    /// `None` after the first full read; the index after the second.
    index: Option<Arc<NameIndex>>,
}

/// Files indexed at most: an environment has a few export pools.
const MAX_FILES: usize = 16;

type Key = (PathBuf, Option<ExportFormat>);

fn known() -> std::sync::MutexGuard<'static, HashMap<Key, Known>> {
    static FILES: OnceLock<Mutex<HashMap<Key, Known>>> = OnceLock::new();
    FILES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// How a search of `path` in `format` goes now: with the index of its current version, or
/// by a full read that builds one (the second of this version), or by a plain full read.
pub(super) enum Plan {
    Indexed(Arc<NameIndex>),
    Build(Builder),
    Read,
}

/// The plan for a search of `path` read as `format`.
pub(super) fn plan(path: &Path, format: Option<ExportFormat>) -> Plan {
    let Some(version) = Version::of(path) else {
        return Plan::Read;
    };
    let key = (path.to_path_buf(), format);
    let mut files = known();
    match files.get(&key) {
        Some(k) if k.version == version => match &k.index {
            Some(index) => Plan::Indexed(Arc::clone(index)),
            None => Plan::Build(Builder {
                key,
                version,
                names: HashMap::new(),
                clean: true,
            }),
        },
        _ => {
            if files.len() >= MAX_FILES && !files.contains_key(&key) {
                files.clear();
            }
            files.insert(
                key,
                Known {
                    version,
                    index: None,
                },
            );
            Plan::Read
        }
    }
}

/// An index being built by a full read; kept by [`Builder::finish`] when the read went to
/// the end, every record was readable and the file did not change meanwhile.
pub(super) struct Builder {
    key: Key,
    version: Version,
    names: HashMap<String, Lines>,
    clean: bool,
}

impl Builder {
    /// Takes in one item of the read.
    pub(super) fn add(&mut self, item: &Result<ExportRecord, ExportError>) {
        let Ok(r) = item else {
            self.clean = false;
            return;
        };
        let mut seen: Vec<String> = Vec::with_capacity(1 + r.aliases.len());
        for name in std::iter::once(&r.identifier).chain(&r.aliases) {
            let key = identifier::key(name);
            // A record naming itself twice is one record holding the name.
            if seen.contains(&key) {
                continue;
            }
            let e = self.names.entry(key.clone()).or_insert(Lines {
                first: r.line,
                last: r.line,
                records: 0,
            });
            e.last = r.line;
            e.records += 1;
            seen.push(key);
        }
    }

    /// Keeps the index for later searches, if the read was whole (`to_the_end`) and clean.
    pub(super) fn finish(self, to_the_end: bool) {
        if !to_the_end || !self.clean || Version::of(&self.key.0) != Some(self.version) {
            return;
        }
        let mut files = known();
        if let Some(k) = files.get_mut(&self.key)
            && k.version == self.version
        {
            k.index = Some(Arc::new(NameIndex { names: self.names }));
        }
    }
}

/// One read of a file for one name, as [`plan`] has it: bounded by the index, building one,
/// or plain.
pub(super) struct Search {
    /// The last line holding the name (with an index).
    bound: Option<u64>,
    builder: Option<Builder>,
}

impl Search {
    /// The read for `wanted` in `path` read as `format`; `None` when the index tells that no
    /// record holds the name (no read needed).
    pub(super) fn start(path: &Path, format: Option<ExportFormat>, wanted: &str) -> Option<Search> {
        Some(match plan(path, format) {
            Plan::Indexed(index) => Search {
                bound: Some(index.get(wanted)?.last),
                builder: None,
            },
            Plan::Build(b) => Search {
                bound: None,
                builder: Some(b),
            },
            Plan::Read => Search {
                bound: None,
                builder: None,
            },
        })
    }

    /// Takes in one item of the read; `false` when the read may stop, being past the last
    /// line holding the name.
    pub(super) fn take(&mut self, item: &Result<ExportRecord, ExportError>) -> bool {
        if let Some(b) = self.builder.as_mut() {
            b.add(item);
        }
        !matches!((self.bound, item), (Some(bound), Ok(r)) if r.line > bound)
    }

    /// Ends the read: an index built by a whole read (`to_the_end`) is kept.
    pub(super) fn finish(self, to_the_end: bool) {
        if let Some(b) = self.builder {
            b.finish(to_the_end);
        }
    }
}
