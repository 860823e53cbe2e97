//! The environment server (`pools serve`, issue 11): a REST JSON API over the same [`Local`]
//! environment the CLI uses, so the engine, the rules and the store are not written a
//! second time. Each route is a thin adapter: parse, authorise ([`auth`]), call the
//! environment, answer JSON, or the library's error as RFC 9457 problem+json ([`problem`]).
//!
//! Each request gets an environment of its own from a fixed set ([`envs`]), so that a
//! login waiting on a live source holds up no other request.

mod access_log;
pub mod auth;
mod envs;
pub mod key;
pub mod login;
pub mod notice;
pub mod problem;
pub mod routes;
pub mod tls;

pub use envs::Slot;
pub use routes::doc::document as openapi_document;
use std::sync::Arc;
use std::time::Duration;

/// What the binary gives the server.
pub struct Config {
    /// The environments served, one store connection each (the same store): as many
    /// requests run at once as there are slots; the others wait for one.
    pub envs: Vec<Slot>,
    /// How the CLI spells a setting as a flag (`client_secret` -> `--client-secret`), for
    /// clients that ask errors in their spelling (`Pools-Error-Spelling: flag`), so an
    /// error reads the same through `--env` as against a local store.
    pub flag_of_key: fn(&str) -> Option<String>,
    /// The largest request body read, in bytes (an `apply` document and its plan may be
    /// larger: [`routes::APPLY_BODY_LIMIT`]).
    pub body_limit: usize,
    /// Each request's time limit; past it the request is answered 503 (problem+json).
    pub request_timeout: Duration,
    /// `POST /v1/login`'s brute-force quotas.
    pub login: login::Limits,
}

/// The state every handler gets.
#[derive(Clone)]
pub(crate) struct State {
    pub envs: Arc<envs::Envs>,
    pub flag_of_key: fn(&str) -> Option<String>,
    pub login: Arc<login::Guard>,
    /// The imports under way, to stop one (`POST /v1/imports/{run}/stop`).
    pub runs: Arc<routes::Runs>,
}

/// The server's routes and layers (body limit, time limit, request log without bodies).
///
/// Errors: [`pools_core::Error::Bug`] without a slot.
pub fn router(config: Config) -> Result<axum::Router, pools_core::Error> {
    let login = Arc::new(login::Guard::new(config.login, login::measure_floor()));
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        let guard = Arc::downgrade(&login);
        rt.spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                match guard.upgrade() {
                    Some(g) => g.forget_idle(),
                    None => break,
                }
            }
        });
    }
    let state = State {
        envs: Arc::new(envs::Envs::new(config.envs)?),
        flag_of_key: config.flag_of_key,
        login,
        runs: Arc::default(),
    };
    Ok(routes::router(state, config.request_timeout)
        .layer(axum::extract::DefaultBodyLimit::max(config.body_limit))
        .layer(axum::middleware::from_fn(access_log::record)))
}

/// Writes `message` as one INFO event of the server's log (in its `--log-format`), for what
/// the binary says of the server's life (serving, stopped) after the log is set up.
pub fn log_info(message: &str) {
    tracing::info!("{message}");
}

/// How the server's log lines are written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human line per event.
    Text,
    /// One JSON object per line (`timestamp`, `level`, `fields`, `span`), for collectors.
    Json,
}

/// Sends the server's logs to stderr in `format`, at the levels `POOLS_LOG` names (an
/// `EnvFilter` directive such as `info` or `pools_server=debug`; `info` when unset): one line
/// per request (method, path and query, status, latency in µs: [`access_log`]) and per
/// refused login or failure. Requests are logged without their headers and bodies, where
/// tokens, passwords and secrets travel: none reaches a log (R11).
pub fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("POOLS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    // A second call (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Serves `router` on `listener` until `shutdown` resolves; then stops taking connections,
/// lets the requests in flight finish, and returns.
///
/// Errors: the listener failing.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// [`serve`] over TLS: the same router and graceful shutdown, each connection's handshake
/// with `tls` (rustls).
///
/// Errors: the listener failing.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    tls: tls::Tls,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    let draining = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        // No deadline, as `serve`: every request in flight is answered (each has its
        // time limit).
        draining.graceful_shutdown(None);
    });
    axum_server::from_tcp_rustls(listener.into_std()?, tls.config())?
        .handle(handle)
        .serve(router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .await
}

/// Resolves at SIGTERM or SIGINT (Ctrl-C): the signal of a graceful shutdown.
///
/// The handlers are installed when this is called, not when the future is first polled:
/// call it before saying the server listens, so a SIGTERM sent as soon as `listening on`
/// is read drains the server instead of killing it (the default action). Call it inside the
/// runtime.
///
/// Errors: the handlers cannot be installed.
pub fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static>
{
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}
