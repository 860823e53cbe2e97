//! The one HTTP client every live source shares, and the rules every request follows:
//! TLS always verified (rustls with the platform's roots), redirects never followed, a
//! response body read to 1 MiB at most, each request bounded by the login's deadline (R5)
//! and recorded as an [`Exchange`] (call, HTTP status, provider error code, latency) with no
//! header, body, URL query or token in it (R11).

use pools_core::source::{Exchange, ExchangeLog};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The largest response body read, in bytes; a longer one is refused (fail closed, R5).
pub const MAX_BODY: usize = 1 << 20;

/// A response read whole: its status, its body, and the body as JSON when it parses.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
    pub json: Option<Value>,
}

/// The shared client. Cheap to clone (reqwest shares its connection pool).
#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    /// The client every live source uses.
    ///
    /// Errors: the TLS roots or backend cannot be set up (why).
    pub fn new() -> Result<Http, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("pools/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| format!("the HTTP client cannot be set up: {}", e.without_url()))?;
        Ok(Http { client })
    }

    /// A request to build on.
    pub fn post(&self, url: url::Url) -> reqwest::RequestBuilder {
        self.client.post(url)
    }

    pub fn get(&self, url: url::Url) -> reqwest::RequestBuilder {
        self.client.get(url)
    }

    /// Sends `req` (the provider's `call`), waiting until `deadline` at most, and reads the
    /// response to [`MAX_BODY`]. `error_code` picks the provider's error code out of a
    /// response for the exchange record. Every outcome is recorded in `log`.
    ///
    /// Errors (why, for [`pools_core::source::Answer::Unavailable`]): no response in time,
    /// a connection or TLS failure, a redirect (never followed), a body over the cap.
    pub async fn send(
        &self,
        log: &ExchangeLog,
        call: &str,
        req: reqwest::RequestBuilder,
        deadline: Instant,
        error_code: fn(&Response) -> Option<String>,
    ) -> Result<Response, String> {
        let started = Instant::now();
        let record = |status: Option<u16>, error: Option<String>| {
            log.push(Exchange {
                call: call.to_owned(),
                status,
                error,
                elapsed_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            });
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            record(None, Some("not_sent".into()));
            return Err(format!("{call}: no time left to send it"));
        }
        let read = async {
            let mut resp = req.timeout(left).send().await?;
            let status = resp.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Ok((status, None));
                }
                body.extend_from_slice(&chunk);
            }
            Ok::<_, reqwest::Error>((status, Some(body)))
        };
        let (status, body) = match tokio::time::timeout(left, read).await {
            Err(_) => {
                record(None, Some("timeout".into()));
                return Err(format!(
                    "{call}: no response within {} ms",
                    left.as_millis()
                ));
            }
            Ok(Err(e)) => {
                let what = transport_error(&e);
                record(None, Some(what.0.into()));
                return Err(format!("{call}: {}", what.1));
            }
            Ok(Ok(read)) => read,
        };
        let Some(body) = body else {
            record(Some(status), Some("body_too_large".into()));
            return Err(format!(
                "{call}: HTTP {status} with a body over {} KiB, not read",
                MAX_BODY / 1024
            ));
        };
        let json = serde_json::from_slice(&body).ok();
        let resp = Response { status, body, json };
        if (300..400).contains(&status) {
            record(Some(status), Some("redirect".into()));
            return Err(format!(
                "{call}: HTTP {status}, a redirect: not followed (check the URL setting)"
            ));
        }
        record(Some(status), error_code(&resp));
        Ok(resp)
    }
}

/// A short code and a sentence for a request that got no response: where it went (host and
/// port, never the path or query: a Firebase URL carries the API key, R11) and the root
/// cause.
fn transport_error(e: &reqwest::Error) -> (&'static str, String) {
    let to = e
        .url()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
        .unwrap_or_else(|| "the service".into());
    let cause = root_cause(e);
    if e.is_timeout() {
        ("timeout", format!("no response from {to} in time"))
    } else if e.is_connect() {
        let lower = cause.to_ascii_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            (
                "tls",
                format!("the TLS handshake with {to} failed: {cause}"),
            )
        } else {
            ("connect", format!("cannot connect to {to}: {cause}"))
        }
    } else {
        ("transport", format!("the request to {to} failed: {cause}"))
    }
}

/// The innermost cause of `e`: the one that says what happened (`Connection refused`,
/// `Name or service not known`, a certificate error).
fn root_cause(e: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(c) = last.source() {
        last = c;
    }
    last.to_string()
}

/// What `pools check` says of a request that got no usable response (`why`, from
/// [`Http::send`]): the service is not reachable, or its TLS certificate is not valid.
pub fn unreachable(
    log: &pools_core::source::ExchangeLog,
    why: String,
    pool: &str,
) -> pools_core::source::Probe {
    use pools_core::source::Probe;
    match log.last_error().as_deref() {
        Some("tls") => Probe::fail(
            "tls",
            why,
            "the service needs a certificate valid for its host name, issued by a CA this machine trusts",
        ),
        Some("redirect") => Probe::fail(
            "reachable",
            why,
            "use the URL the service answers at itself (redirects are not followed)",
        ),
        // Trial finding (issue 10): a slow source is not a wrong URL.
        Some("timeout") => Probe::fail(
            "reachable",
            why,
            format!(
                "the service took longer than the pool's timeout_ms: if it is only slow, raise it ({}); else check that it runs and answers",
                crate::configure(pool, "--timeout-ms N")
            ),
        ),
        _ => Probe::fail(
            "reachable",
            why,
            "check the URL setting (--url, --endpoint-url, --domain, --region) and that the service runs and is reachable from here",
        ),
    }
}

/// What `pools check` says of a service that answered (HTTP `status`) at `url`: reachable,
/// and, over https, its certificate valid (the client verifies it before any answer).
pub fn reached(status: u16, url: &url::Url) -> Vec<pools_core::source::Probe> {
    use pools_core::source::Probe;
    let mut out = vec![Probe::pass("reachable", format!("HTTP {status}"))];
    if url.scheme() == "https" {
        out.push(Probe::pass("tls", "the certificate is valid for the host"));
    }
    out
}

/// A user name no source holds, for probes: `pools-check-<random>@check.invalid` (RFC 2606
/// reserves `.invalid`).
pub fn nobody() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("pools-check-{:016x}@check.invalid", h.finish())
}

/// The text of a JSON string member, if there is one.
pub fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}
