//! `cargo bench --bench live`: the engine's own time around a live source. A custom pool
//! over the example endpoint (`examples/custom-source/server.py`) on 127.0.0.1, holding every
//! answer 20 ms (`--delay-ms`); each login is timed whole and the source's part is the
//! request's own latency as the trace records it (`exchanges`). Prints figures; asserts
//! nothing about speed. Target (issue 10): engine overhead at most 1 ms beyond the source.

use pools_core::engine::{self, Limits, Login, Outcome};
use pools_core::pool::{Pool, PoolSpec, PoolType, SourceKind};
use pools_core::secret::Secret;
use pools_core::store::Store;
use pools_sqlite::SqliteStore;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: u32 = 30;
const DELAY_MS: u32 = 20;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/custom-source/server.py"
    );
    let password = "Bench-pass-1";
    let hash = Command::new("python3")
        .args([example, "hash", password])
        .output()
        .expect("python3 runs the example endpoint");
    let hash = String::from_utf8(hash.stdout).unwrap();
    let users = dir.path().join("users.csv");
    std::fs::write(
        &users,
        format!(
            "id,identifier,password_hash,tenantId\nu1,ann@bench.test,{}\n",
            hash.trim().to_owned() + ",acme"
        ),
    )
    .unwrap();
    let mut server = Command::new("python3")
        .args([example, "serve"])
        .arg(&users)
        .args(["--port", "0", "--delay-ms", &DELAY_MS.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();

    let mut store = SqliteStore::open(&dir.path().join("pools.db")).unwrap();
    let spec = PoolSpec {
        name: "live".into(),
        pool_type: Some(PoolType::External),
        source: Some(SourceKind::Custom),
        tenant: Some("property:tenantId".into()),
        url: Some(format!("http://{addr}/auth")),
        ..PoolSpec::default()
    };
    store
        .create_pool(&Pool::from_spec(&spec).unwrap(), None)
        .unwrap();
    let sources = pools_live::LiveSources::new();
    let secret = Secret::new(password.into());
    let login = Login {
        identifier: "ann@bench.test",
        password: Some(&secret),
        claims: None,
    };
    // One login to open the connection (the shared client keeps it).
    let warm = engine::attempt_with(&store, &sources, &login, Limits::default()).unwrap();
    assert_eq!(warm.outcome, Outcome::Authenticated, "{:?}", warm.steps);

    let (mut total, mut source, mut worst) = (Duration::ZERO, 0.0f64, 0.0f64);
    for _ in 0..RUNS {
        let t = Instant::now();
        let trace = engine::attempt_with(&store, &sources, &login, Limits::default()).unwrap();
        let took = t.elapsed();
        assert_eq!(trace.outcome, Outcome::Authenticated);
        let http: f64 = trace
            .steps
            .iter()
            .flat_map(|s| &s.exchanges)
            .map(|e| e.elapsed_ms)
            .sum();
        total += took;
        source += http;
        worst = worst.max(took.as_secs_f64() * 1e3 - http);
    }
    let _ = server.kill();
    let _ = server.wait();
    let total_ms = total.as_secs_f64() * 1e3 / f64::from(RUNS);
    let source_ms = source / f64::from(RUNS);
    println!(
        "simulate-login engine through a custom pool on 127.0.0.1 (the source holds each answer {DELAY_MS} ms), mean of {RUNS} logins"
    );
    println!("  whole login                     {total_ms:>9.3} ms");
    println!("  the source's request (exchange) {source_ms:>9.3} ms");
    println!(
        "  engine overhead                 {:>9.3} ms (worst {:.3} ms; target <= 1 ms)",
        total_ms - source_ms,
        worst
    );
}
