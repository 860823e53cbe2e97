//! The `pools` binary: a thin command-line layer over `pools-core` and the SQLite store.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
