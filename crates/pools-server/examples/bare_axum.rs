//! The baseline of `bench/server.sh`: a bare axum handler answering a small JSON array, on
//! the same tokio multi-thread runtime as `pools serve`, with no layers, no state, no token
//! and no store. `GET /v1/pools` of the environment server is measured against its rate.
//!
//!     cargo run --release --example bare_axum -- PORT     # 0: any free port
//!
//! Prints `listening on ADDR` as its one stdout line; listens on 127.0.0.1 only. SIGTERM or
//! Ctrl-C stops it.

use std::io::Write;

async fn pools() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!([
        {"name": "bench-a", "type": "external", "source": "export", "enabled": true},
        {"name": "bench-b", "type": "external", "source": "export", "enabled": true},
        {"name": "bench-c", "type": "external", "source": "export", "enabled": true},
    ]))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = match std::env::args().nth(1) {
        Some(p) => p.parse().map_err(|e| format!("PORT {p:?}: {e}"))?,
        None => 0,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let shutdown = pools_server::shutdown_signal()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", listener.local_addr()?)?;
        out.flush()?;
        drop(out);
        let app = axum::Router::new().route("/v1/pools", axum::routing::get(pools));
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    })
}
