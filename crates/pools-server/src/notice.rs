//! What the environment noticed while serving a request (a warning, where a secret went)
//! travels back in `Pools-Notice` response headers, one per notice in the order said: each
//! is the notice's JSON (`{"level":"warning","message":"..."}`) with every non-ASCII
//! character escaped (`\uXXXX`), as a header value is visible ASCII (RFC 9110 §5.5). A
//! client shows them as a local command would, before the answer's own output.

use axum::http::HeaderValue;
use pools_core::service::Notice;

/// The response header of a notice.
pub const NOTICE_HEADER: &str = "pools-notice";

/// `notice` as a header value.
pub fn header_value(notice: &Notice) -> Option<HeaderValue> {
    let json = serde_json::to_string(notice).ok()?;
    let mut ascii = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            ascii.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                ascii.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    HeaderValue::from_str(&ascii).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notice naming a file with a non-ASCII name reads back the same from its header.
    #[test]
    fn a_notice_round_trips_through_its_header() {
        let n = Notice::Warning("file /tmp/exporté 🙂.json does not read\tyet".into());
        let v = header_value(&n).unwrap();
        assert!(v.to_str().unwrap().is_ascii());
        let back: Notice = serde_json::from_str(v.to_str().unwrap()).unwrap();
        assert_eq!(back, n);
    }
}
