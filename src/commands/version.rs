//! `aseecr version`: the version, as `--version` prints it, or as JSON.

use anyhow::Result;

use crate::cli::{Format, VersionArgs};
use crate::commands::ExitStatus;
use crate::output::json;
use crate::settings::Settings;

pub fn run(args: VersionArgs, settings: &Settings) -> Result<ExitStatus> {
    let version = env!("CARGO_PKG_VERSION");
    match args.format.format {
        Format::Text => settings.printer.data(format!("aseecr {version}"))?,
        Format::Json => settings.printer.json(&json::Version {
            name: "aseecr",
            version,
        })?,
    }
    Ok(ExitStatus::Success)
}
