//! Imports and restores: the client's export or backup streamed as the request body, read
//! here by the very import (or restore) a local command runs, so every row is checked again
//! on the server (R6, R12, R17); the answer is NDJSON, one [`wire::ImportEvent`] (or
//! [`wire::RestoreEvent`]) per line as the run goes, ending with its summary.
//!
//! A run is stopped early by `POST /v1/imports/{run}/stop` (the client's Ctrl-C): it commits
//! the rows it holds and answers a summary marked `interrupted`, as a local import does.
//! A client that goes away stops the run at its next read; committed batches stay either
//! way, and a run again with the same import ID resumes.

use super::{Call, query_flag, query_number, query_value};
use crate::State;
use crate::auth::Request;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State as Shared};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use pools_core::api_token::Access;
use pools_core::export::{ExportFormat, Input};
use pools_core::import::{ImportId, OnConflict};
use pools_core::service::environment::{ImportEvents, ImportRequest};
use pools_core::service::{Environment, import, wire};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The media type of the answers: newline-delimited JSON.
const NDJSON: &str = "application/x-ndjson";

/// The most rows per transaction a request may ask (as `users import --batch`).
const MAX_BATCH: u64 = 1_000_000;

/// Lines of the answer held while the client reads slowly: the run waits past them.
const QUEUE: usize = 256;

/// The runs under way, by the ID their client gave (`run=`), each with its stop flag.
#[derive(Default)]
pub(crate) struct Runs(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Runs {
    fn start(self: &Arc<Self>, id: Option<String>) -> (Arc<AtomicBool>, RunGuard) {
        let flag = Arc::new(AtomicBool::new(false));
        if let Some(id) = &id {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id.clone(), Arc::clone(&flag));
        }
        (
            flag,
            RunGuard {
                runs: Arc::clone(self),
                id,
            },
        )
    }

    fn stop(&self, id: &str) -> bool {
        let runs = self.0.lock().unwrap_or_else(|p| p.into_inner());
        runs.get(id)
            .map(|f| f.store(true, Ordering::SeqCst))
            .is_some()
    }
}

/// Forgets its run when the run ends.
struct RunGuard {
    runs: Arc<Runs>,
    id: Option<String>,
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            self.runs
                .0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(id);
        }
    }
}

/// The request body as a blocking reader, for the import's reading thread: a body that
/// breaks off (the client went away) is a read error, never an early end of the file.
fn body_reader(body: Body) -> Box<dyn std::io::Read + Send> {
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let reader = tokio_util::io::StreamReader::new(stream);
    Box::new(tokio_util::io::SyncIoBridge::new_with_handle(
        reader,
        tokio::runtime::Handle::current(),
    ))
}

/// How long an answer stays open after its last line, for the client to read it.
const LINGER: std::time::Duration = std::time::Duration::from_secs(5);

/// An NDJSON answer fed from `rx`. After its last line it stays open a moment (until the
/// client, which has what it needs, closes it): a run that stopped before the end of the
/// body (a refused record) leaves unread bytes, and a connection closed on them is reset,
/// which may discard the last line before the client reads it.
fn ndjson(rx: tokio::sync::mpsc::Receiver<Bytes>) -> Response {
    let stream = futures_util::stream::unfold(Some(rx), |rx| async move {
        let mut rx = rx?;
        match rx.recv().await {
            Some(line) => Some((Ok::<_, std::convert::Infallible>(line), Some(rx))),
            None => {
                tokio::time::sleep(LINGER).await;
                None
            }
        }
    });
    let mut res = Response::new(Body::from_stream(stream));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(NDJSON));
    res
}

/// One event as a line of the answer.
fn line(event: &impl serde::Serialize) -> Bytes {
    let mut text = serde_json::to_vec(event).unwrap_or_else(|_| b"{}".to_vec());
    text.push(b'\n');
    Bytes::from(text)
}

/// What an import reports, sent on as lines; once the client stopped reading the answer
/// (it went away), the import is stopped as by `POST /v1/imports/{run}/stop`.
struct Lines {
    tx: tokio::sync::mpsc::Sender<Bytes>,
    stop: Arc<AtomicBool>,
}

impl Lines {
    fn send(&self, event: &wire::ImportEvent) {
        if self.tx.blocking_send(line(event)).is_err() {
            self.stop.store(true, Ordering::SeqCst);
        }
    }
}

impl ImportEvents for Lines {
    fn progress(&mut self, progress: import::Progress) {
        self.send(&wire::ImportEvent::Progress(progress));
    }
    fn report(&mut self, report: pools_core::import::Report) {
        self.send(&wire::ImportEvent::Report(report.into()));
    }
}

/// The import's settings from its query.
struct Settings {
    format: Option<ExportFormat>,
    on_conflict: OnConflict,
    batch: usize,
    dry_run: bool,
    import_id: Option<String>,
    file_id: Option<ImportId>,
    /// Where the rows come from: the body, or the pool's own export file here.
    from_body: bool,
    shown: String,
    hash_config: Option<std::path::PathBuf>,
    run: Option<String>,
}

/// The `batch` of a query (records per transaction), `default` when absent.
///
/// Errors: not a number from 1 to [`MAX_BATCH`].
fn batch_of(q: Option<&str>, default: u64) -> Result<u64, pools_core::Error> {
    let batch = query_number(q, "batch")?.unwrap_or(default);
    if !(1..=MAX_BATCH).contains(&batch) {
        return Err(pools_core::Error::invalid(
            "batch",
            format!("{batch} is not between 1 and {MAX_BATCH}"),
        )
        .with_hint(format!(
            "give the records per transaction, e.g. batch={default}"
        )));
    }
    Ok(batch)
}

/// A stop as the last line of an answer: its error as this call's problem.
fn stopped<S: std::fmt::Debug>(
    call: &Call,
    stopped: pools_core::error::Stopped<S>,
) -> wire::StoppedBody<S> {
    wire::StoppedBody {
        problem: *call.problem(&stopped.error).body,
        committed: stopped.committed,
        summary: *stopped.summary,
    }
}

fn settings(q: Option<&str>) -> Result<Settings, pools_core::Error> {
    let format = query_value(q, "format")?
        .map(|f| {
            f.parse::<ExportFormat>()
                .map_err(|e| pools_core::Error::invalid("format", e))
        })
        .transpose()?;
    let on_conflict = match query_value(q, "on_conflict")? {
        None => OnConflict::Skip,
        Some(v) => serde_json::from_value(serde_json::Value::String(v))
            .map_err(|e| pools_core::Error::invalid("on_conflict", e))?,
    };
    let batch = batch_of(q, 5000)?;
    let from = query_value(q, "from")?;
    let from_body = match from.as_deref() {
        None | Some("body") => true,
        Some("pool") => false,
        Some(other) => {
            return Err(pools_core::Error::invalid(
                "from",
                format!("{other:?} is neither body nor pool"),
            )
            .with_hint("from=body streams the export in the request; from=pool reads the pool's export file on the server"));
        }
    };
    let shown = query_value(q, "file")?.unwrap_or_else(|| "<request body>".to_owned());
    // `HOST:/canonical/path`: the audit log names the import by its path, as a local one.
    let file_id = query_value(q, "file_id")?
        .map(|id| {
            let path = id.split_once(':').map_or(id.as_str(), |(_, p)| p);
            ImportId::given(&id, path)
        })
        .transpose()?;
    // Checked before the run starts: a bad ID is the request's fault (422), not the run's.
    let import_id = query_value(q, "import_id")?;
    if let Some(id) = &import_id {
        ImportId::given(id, &shown)?;
    }
    Ok(Settings {
        format,
        on_conflict,
        batch: batch as usize,
        dry_run: query_flag(q, "dry_run")?,
        import_id,
        file_id,
        from_body,
        shown,
        hash_config: query_value(q, "hash_config")?.map(Into::into),
        run: query_value(q, "run")?,
    })
}

/// `POST /v1/pools/{name}/import?format=&on_conflict=&batch=&dry_run=&import_id=&file=
/// &file_id=&hash_config=&from=&run=`: the body is the export (`from=pool`: none, the
/// pool's export file on the server is read). `file` names the client's file in messages,
/// `file_id` is its import ID (its host and path, so a run again resumes); `hash_config`
/// is a path on the server; `run` names the run for `POST /v1/imports/{run}/stop`.
///
/// Errors before the first row (no pool, an import running: 409, a format that cannot be
/// told) are problem documents; later ones end the NDJSON answer as a `stopped` line.
#[utoipa::path(post, path = "/v1/pools/{name}/import", operation_id = "importUsers", tag = "users",
    params(
        ("name" = String, Path, description = "The pool the users come from."),
        ("format" = Option<ExportFormat>, Query, description = "The export's format (default: the pool's, else told from its first bytes)."),
        ("on_conflict" = Option<OnConflict>, Query, description = "What a row whose identifier is a user's does (R6, R17; default skip)."),
        ("batch" = Option<u64>, Query, description = "Rows per transaction, 1 to 1000000 (default 5000)."),
        ("dry_run" = Option<bool>, Query, description = "Check every row, write nothing."),
        ("import_id" = Option<String>, Query, description = "Names the import: runs with the same ID are one (resumed)."),
        ("file" = Option<String>, Query, description = "The client's name of its file, for messages."),
        ("file_id" = Option<String>, Query, description = "The client's file as `HOST:/path`: a run again of it resumes."),
        ("hash_config" = Option<String>, Query, description = "Firebase hash parameters: a file of the server's machine."),
        ("from" = Option<String>, Query, description = "`body` (default): the export is the body; `pool`: the pool's export file on the server."),
        ("run" = Option<String>, Query, description = "Names this run for POST /v1/imports/{run}/stop."),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The export, streamed (any size)."),
    responses(
        (status = 200, description = "NDJSON, one event per line as the import goes: `head` (from=pool), `progress`, `report`, then one `summary` or `stopped`.", body = wire::ImportEvent, content_type = "application/x-ndjson"),
        (status = 404, description = "No such pool, or its export file is missing.", body = crate::problem::ProblemDocument, content_type = crate::problem::PROBLEM_JSON),
        (status = 409, description = "An import into the pool is running (R12).", body = crate::problem::ProblemDocument, content_type = crate::problem::PROBLEM_JSON),
    ))]
pub(super) async fn import(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
    body: Body,
) -> Response {
    let query = req.query.clone();
    let call = begin!(s, req, Access::Write);
    let set = match settings(query.as_deref()) {
        Ok(set) => set,
        Err(e) => return call.answer::<()>(Err(e), StatusCode::OK),
    };
    let (cancel, guard) = s.runs.start(set.run.clone());
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<Result<(), pools_core::Error>>();
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(QUEUE);
    let body = set.from_body.then(|| body_reader(body));
    let task = tokio::task::spawn_blocking(move || {
        let _guard = guard;
        // Outside the runtime's context: the import's reports are sent with a blocking
        // send, and the body is read through a blocking bridge (its calls are synchronous:
        // the store, the file).
        let env = call.env();
        // The lock before a byte of the body is read: a second import is refused at once.
        let begun = futures_executor::block_on(env.begin_import(&name, set.dry_run)).and_then(
            |(pool, lock)| {
                let (input, format) = match body {
                    Some(reader) => {
                        let mut input =
                            Input::from_reader(std::path::Path::new(&set.shown), reader, true);
                        let format = import::format_of(&pool.pool, &mut input, set.format)?;
                        (input, format)
                    }
                    None => {
                        let (mut input, format) = import::input(&pool.pool, None, set.format)?;
                        let head = wire::InputHead::of(&mut input, format)
                            .map_err(|e| pools_core::Error::invalid("--file", e))?;
                        let _ = tx.blocking_send(line(&wire::ImportEvent::Head(head)));
                        (input, format)
                    }
                };
                Ok((input, format, lock))
            },
        );
        let (input, format, lock) = match begun {
            Ok(b) => b,
            Err(e) => {
                let _ = started_tx.send(Err(e));
                return call;
            }
        };
        let _ = started_tx.send(Ok(()));
        let req = ImportRequest {
            pool: name,
            input: Some(input),
            format: Some(format),
            hash_config: set.hash_config,
            on_conflict: set.on_conflict,
            batch: set.batch,
            dry_run: set.dry_run,
            cancel: Some(Arc::clone(&cancel)),
            lock,
            import_id: set.import_id,
            file_id: set.file_id,
        };
        let mut lines = Lines {
            tx: tx.clone(),
            stop: cancel,
        };
        let last = match futures_executor::block_on(env.import(req, &mut lines)) {
            Ok(Ok(summary)) => wire::ImportEvent::Summary(summary),
            Ok(Err(s)) => wire::ImportEvent::Stopped(stopped(&call, s)),
            Err(e) => wire::ImportEvent::Stopped(wire::StoppedBody {
                problem: *call.problem(&e).body,
                committed: false,
                summary: Default::default(),
            }),
        };
        let _ = tx.blocking_send(line(&last));
        call
    });
    answer_stream(task, started_rx, rx).await
}

/// The answer of a run on a blocking thread: its problem when it could not start, else its
/// lines as they come, with the notices said while it started.
async fn answer_stream(
    task: tokio::task::JoinHandle<Call>,
    started: tokio::sync::oneshot::Receiver<Result<(), pools_core::Error>>,
    rx: tokio::sync::mpsc::Receiver<Bytes>,
) -> Response {
    match started.await {
        Ok(Ok(())) => {
            // The call (its lease) stays with the run until it ends.
            ndjson(rx)
        }
        Ok(Err(e)) => match task.await {
            Ok(call) => call.answer::<()>(Err(e), StatusCode::OK),
            Err(_) => bug(),
        },
        Err(_) => bug(),
    }
}

fn bug() -> Response {
    crate::problem::Problem::refusal(
        pools_core::error::ErrorKind::Internal,
        StatusCode::INTERNAL_SERVER_ERROR,
        "the run stopped before it answered".into(),
        "see the server's log, and report it",
    )
    .into_response()
}

/// `POST /v1/users/restore?batch=N`: the body is a backup of `users export`, restored
/// `batch` records per transaction (R12); the answer is NDJSON ([`wire::RestoreEvent`]).
///
/// Answered at once: an error before the first record (not a backup, an empty body) is
/// its one `error` line; later ones end the answer as a `stopped` line.
#[utoipa::path(post, path = "/v1/users/restore", operation_id = "restoreUsers", tag = "users",
    params(
        ("batch" = Option<u64>, Query, description = "Records per transaction, 1 to 1000000 (default 1000)."),
        ("file" = Option<String>, Query, description = "The client's name of its file, for messages."),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "A backup written by `users export` (NDJSON or CSV), streamed."),
    responses(
        (status = 200, description = "NDJSON: a `refused` line per record not restored, then one `summary`, `stopped` or `error`.", body = wire::RestoreEvent, content_type = "application/x-ndjson"),
    ))]
pub(super) async fn restore(Shared(s): Shared<State>, req: Request, body: Body) -> Response {
    let query = req.query.clone();
    let call = begin!(s, req, Access::Write);
    let batch = match batch_of(query.as_deref(), 1000) {
        Ok(b) => b,
        Err(e) => return call.answer::<()>(Err(e), StatusCode::OK),
    };
    let shown = query_value(query.as_deref(), "file")
        .ok()
        .flatten()
        .unwrap_or_else(|| "<request body>".to_owned());
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(QUEUE);
    let reader = body_reader(body);
    // Answered at once: a restore reads its backup to the end before it can tell whether
    // every record is refused, longer than the time limit of an answer's start.
    tokio::task::spawn_blocking(move || {
        let input = Input::from_reader(std::path::Path::new(&shown), reader, true);
        let lines = tx.clone();
        let mut refused = |r: pools_core::backup::restore::Report| {
            let _ = lines.blocking_send(line(&wire::RestoreEvent::Refused(r.into())));
        };
        let result =
            futures_executor::block_on(call.env().restore(input, batch as usize, &mut refused));
        let last = match result {
            Err(e) => wire::RestoreEvent::Error(*call.problem(&e).body),
            Ok(Ok(summary)) => wire::RestoreEvent::Summary(summary),
            Ok(Err(s)) => wire::RestoreEvent::Stopped(stopped(&call, s)),
        };
        let _ = tx.blocking_send(line(&last));
    });
    ndjson(rx)
}

/// `POST /v1/imports/{run}/stop`: stops the import the client named `run` (Ctrl-C): it
/// commits the rows it holds and answers a summary marked `interrupted`. 204; 404 when no
/// such run is under way (it ended).
#[utoipa::path(post, path = "/v1/imports/{run}/stop", operation_id = "stopImport", tag = "users",
    params(("run" = String, Path, description = "The `run` the import was started with.")),
    responses(
        (status = 204, description = "The import commits the rows it holds and ends with a summary marked interrupted."),
        (status = 404, description = "No such run under way (it ended).", body = crate::problem::ProblemDocument, content_type = crate::problem::PROBLEM_JSON),
    ))]
pub(super) async fn stop(
    Shared(s): Shared<State>,
    Path(run): Path<String>,
    req: Request,
) -> Response {
    let call = begin!(s, req, Access::Write);
    if s.runs.stop(&run) {
        drop(call);
        StatusCode::NO_CONTENT.into_response()
    } else {
        call.answer::<()>(
            Err(pools_core::Error::NotFound {
                what: format!("import run {run:?}"),
                hint: Some("it ended: its answer has its summary".into()),
            }),
            StatusCode::OK,
        )
    }
}
