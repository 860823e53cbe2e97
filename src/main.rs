//! The `pools` binary: a thin layer over the `pools` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
