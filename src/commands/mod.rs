//! Command bodies, one file each, and the dispatch from the parsed command line.

mod config;
mod k8s;

use anyhow::Result;

use crate::cli::Command;
use crate::settings::Settings;

/// How a command ended when it did not return an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked: exit 0.
    Success,
    /// Something failed and was already reported (e.g. one item of a batch): exit 1.
    Failure,
}

/// Run one command.
pub async fn dispatch(command: Command, settings: Settings) -> Result<ExitStatus> {
    match command {
        Command::Config(args) => config::run(args, &settings),
        Command::K8s(args) => k8s::run(args, &settings),
        _ => Err(anyhow::anyhow!("this command is not built yet")),
    }
}
