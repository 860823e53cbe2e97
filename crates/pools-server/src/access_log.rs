//! The access log: one `INFO` event per request, when its answer's head is ready — method,
//! path and query, status, latency in microseconds — and nothing else of the request: its
//! headers (the bearer token) and bodies (passwords, secrets) never reach a log (R11).
//!
//! One event and no span per request: tower-http's `TraceLayer` opened a span for each
//! request and wrote its line from inside it, which was a third of what a cached read such
//! as `GET /v1/pools` cost the server (`bench/server.sh --breakdown`, issue 11).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// The middleware (`axum::middleware::from_fn(access_log::record)`); when the log's level
/// leaves `INFO` out, it costs a clock read.
pub async fn record(req: Request, next: Next) -> Response {
    if !tracing::enabled!(tracing::Level::INFO) {
        return next.run(req).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let uri = req.uri().clone();
    let res = next.run(req).await;
    // Whole microseconds: an integer is exact and cheap to write (a float's digits are not).
    let us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    tracing::info!(
        %method,
        uri = %uri,
        status = res.status().as_u16(),
        latency_us = us,
        "request"
    );
    res
}
