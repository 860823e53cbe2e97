//! The environment server (`pools serve`, issue 11): a REST JSON API over the same [`Local`]
//! environment the CLI uses, so the engine, the rules and the store are not written a
//! second time. Each route is a thin adapter: parse, authorise ([`auth`]), call the
//! environment, answer JSON, or the library's error as RFC 9457 problem+json ([`problem`]).
//!
//! Routes so far: `GET /healthz`, `GET /readyz` (no token), `GET /v1/pools`,
//! `GET /v1/pools/{name}` (with its `ETag`, R12).

pub mod auth;
pub mod key;
pub mod problem;
mod routes;
pub mod tls;

use pools_core::service::Local;
use std::sync::Arc;
use std::time::Duration;

/// What the binary gives the server.
pub struct Config {
    /// The environment served: its store, sources and credentials.
    pub env: Local,
    /// How the CLI spells a setting as a flag (`client_secret` -> `--client-secret`), for
    /// clients that ask errors in their spelling (`Pools-Error-Spelling: flag`), so an
    /// error reads the same through `--env` as against a local store.
    pub flag_of_key: fn(&str) -> Option<String>,
    /// The largest request body read, in bytes.
    pub body_limit: usize,
    /// Each request's time limit; past it the request is answered 503 (problem+json).
    pub request_timeout: Duration,
}

/// The state every handler gets.
#[derive(Clone)]
pub(crate) struct State {
    pub env: Arc<Local>,
    pub flag_of_key: fn(&str) -> Option<String>,
}

/// The server's routes and layers (body limit, time limit, request log without bodies).
pub fn router(config: Config) -> axum::Router {
    let state = State {
        env: Arc::new(config.env),
        flag_of_key: config.flag_of_key,
    };
    routes::router(state)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            config.body_limit,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
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
