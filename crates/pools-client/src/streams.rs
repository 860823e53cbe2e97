//! `users import` and `users restore` through a server: the export or backup as the client
//! opened it is sent as the request body, read on a thread of its own as the server asks
//! for more, and the server's NDJSON answer ([`wire::ImportEvent`], [`wire::RestoreEvent`])
//! is handed on line by line, so a command prints the same reports and summary as against
//! a local store.

use pools_core::error::Error;
use pools_core::export::Input;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Bytes per chunk of the body.
const CHUNK: usize = 64 << 10;

/// The longest a line of an answer may be: a report holds a record (at most
/// [`pools_core::limits::MAX_RECORD_BYTES`]) in base64, and its detail.
const MAX_LINE: usize = 4 * pools_core::limits::MAX_RECORD_BYTES;

/// An input on its way as a request body.
pub(crate) struct Upload {
    /// The body's chunks; `None` ends it (the input was read to its end).
    tx: tokio::sync::mpsc::Sender<Option<std::io::Result<bytes::Bytes>>>,
    /// The error reading the input met, if any: reported in place of the transport's.
    pub(crate) failed: Arc<Mutex<Option<std::io::Error>>>,
}

/// The body that reads `input` (from its first byte: a BOM, the bytes read ahead, the
/// rest) until it ends, or until `stop` is set: then it sends no more and stays open, so
/// the server tells a stop from the end of the file; [`Upload`] holds it open until the
/// answer is read.
pub(crate) fn upload(input: Input, stop: Option<Arc<AtomicBool>>) -> (reqwest::Body, Upload) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Option<std::io::Result<bytes::Bytes>>>(8);
    let failed = Arc::new(Mutex::new(None));
    let (sender, kept) = (tx.clone(), Arc::clone(&failed));
    let path = input.path().display().to_string();
    let mut reader = input.into_raw();
    std::thread::Builder::new()
        .name("upload".into())
        .spawn(move || {
            let stopped = || stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst));
            loop {
                if stopped() {
                    return;
                }
                let mut buf = vec![0u8; CHUNK];
                let item = match reader.read(&mut buf) {
                    Ok(0) => None,
                    Ok(n) => {
                        buf.truncate(n);
                        Some(Ok(bytes::Bytes::from(buf)))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let said = std::io::Error::new(e.kind(), format!("{path}: {e}"));
                        *kept.lock().unwrap_or_else(|p| p.into_inner()) = Some(said);
                        Some(Err(std::io::Error::other("the input could not be read")))
                    }
                };
                let end = !matches!(item, Some(Ok(_)));
                if stopped() || sender.blocking_send(item).is_err() || end {
                    return;
                }
            }
        })
        .ok();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Some(Some(chunk)) => Some((chunk, rx)),
            Some(None) | None => None,
        }
    });
    (reqwest::Body::wrap_stream(stream), Upload { tx, failed })
}

impl Upload {
    /// The error reading the input met, as an import's error on `--file`.
    pub(crate) fn error(&self) -> Option<Error> {
        let e = self
            .failed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?;
        Some(Error::invalid("--file", e))
    }

    /// Ends the body when the answer is read (dropping it, the stream ends).
    pub(crate) fn finish(self) {
        drop(self.tx);
    }
}

/// The lines of an NDJSON answer, each read as `T`.
pub(crate) struct Lines {
    resp: reqwest::Response,
    buf: Vec<u8>,
}

impl Lines {
    pub(crate) fn new(resp: reqwest::Response) -> Lines {
        Lines {
            resp,
            buf: Vec::new(),
        }
    }

    /// The next line, `None` at the end of the answer.
    ///
    /// Errors: the transport's (`Err(None)`: the caller names it), a line that is not `T`
    /// or is longer than [`MAX_LINE`] ([`Error::Unavailable`]).
    pub(crate) async fn next<T: serde::de::DeserializeOwned>(
        &mut self,
    ) -> Result<Option<T>, Option<Error>> {
        loop {
            if let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
                let rest = self.buf.split_off(nl + 1);
                let line = std::mem::replace(&mut self.buf, rest);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return serde_json::from_slice(&line)
                    .map(Some)
                    .map_err(|e| Some(unreadable(&e.to_string())));
            }
            if self.buf.len() > MAX_LINE {
                return Err(Some(unreadable("a line is longer than any report")));
            }
            match self.resp.chunk().await {
                Ok(Some(chunk)) => self.buf.extend_from_slice(&chunk),
                Ok(None) if self.buf.iter().all(u8::is_ascii_whitespace) => return Ok(None),
                Ok(None) => return Err(Some(unreadable("the last line breaks off"))),
                Err(_) => return Err(None),
            }
        }
    }
}

fn unreadable(why: &str) -> Error {
    Error::Unavailable {
        message: format!("the server's answer does not read: {why}"),
        hint: Some("check that the server and this pools are the same version".into()),
    }
}

/// The error of an answer that ended before its last line: what was committed stays.
pub(crate) fn broke_off(what: &str) -> Error {
    Error::Unavailable {
        message: format!("the server's answer ended before the {what}'s summary"),
        hint: Some(format!(
            "the batches the server committed stay: run the same command again to continue the {what} (committed rows are recognised, never duplicated)"
        )),
    }
}
