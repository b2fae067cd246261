//! The `aseecr` binary: parse argv, run the command on a tokio runtime, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = aseecr::cli::Cli::parse();
    // One thread: the work is I/O plus hashing, the machines are small and shared
    // with the registry, and one allocator arena keeps memory low (docs/decisions.md).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(aseecr::run(cli))
}
