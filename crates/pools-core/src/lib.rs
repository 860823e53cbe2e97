//! `pools`: user pools for an authentication platform — the sources of users it does not own
//! yet — with the rules of SPEC.md (R1–R17). The library knows nothing of the terminal or of
//! HTTP; the `pools` binary and the environment server are thin layers over it.

pub mod api_token;
pub mod audit;
pub mod backup;
pub mod code;
pub mod config;
pub mod cpu_gate;
pub mod credential;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod export;
pub mod hash;
pub mod identifier;
pub mod import;
pub mod input_file;
pub mod json;
pub mod keyword;
pub mod limits;
pub mod lock_file;
pub mod methods;
pub mod pool;
pub mod profile_secrets;
pub mod secret;
pub mod service;
pub mod source;
pub mod source_id;
pub mod store;
pub mod tenant;
pub mod terms;
pub mod user;
pub mod yaml;

pub use error::{Error, ErrorBody, ErrorKind, Result};
