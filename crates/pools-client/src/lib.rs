//! A remote environment, as the command line reaches it with `--env NAME`: the environments
//! an operator added ([`config`]) and [`Remote`], the [`Environment`] of a `pools serve`
//! server over HTTP. `Remote` never implements `Store`: password hashes, the rules and the
//! secrets stay on the server's side, which runs the same engine.
//!
//! [`Environment`]: pools_core::service::Environment

pub mod config;
mod remote;
mod streams;

pub use remote::Remote;
