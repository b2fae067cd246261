//! The `aseecr` binary: parse argv, run the command on a tokio runtime, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = aseecr::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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
