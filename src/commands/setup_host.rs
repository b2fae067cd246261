//! `aseecr setup-host`: add, replace, remove or list the registry names aseecr keeps
//! in the hosts file.
//!
//! Without a terminal and without `--yes`, a change fails with a hint instead of
//! proceeding: the hosts file is a system file, and scripts say `--yes` explicitly.

use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{Format, SetupHostArgs};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::hosts::{self, HostEntry, Hosts};
use crate::output::prompt::Consent;
use crate::output::{Printer, json};
use crate::settings::Settings;

pub async fn run(args: SetupHostArgs, settings: &Settings) -> Result<ExitStatus> {
    let settings = settings.clone();
    // File IO, the prompt, name resolution and child processes all block.
    tokio::task::spawn_blocking(move || run_blocking(args, &settings))
        .await
        .context("the setup-host task failed")?
}

fn run_blocking(args: SetupHostArgs, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    let format = args.format.format;
    if args.list {
        let given = args.hosts_file.is_some();
        let path = args.hosts_file.unwrap_or_else(hosts::system_path);
        let mut command = "--list".to_owned();
        hosts::push_hosts_file(&mut command, &path, given);
        let parsed = hosts::read_hosts(&path, &command)?;
        return list(&parsed, &path, format, printer);
    }
    let Some(endpoint) = args.endpoint else {
        return Err(Error::usage("no endpoint given")
            .help("`aseecr setup-host ENDPOINT IP`, or `aseecr setup-host --list`")
            .into());
    };
    let ip = if args.remove {
        None
    } else {
        Some(args.ip.ok_or_else(|| {
            Error::usage("no IP address given").help(format!(
                "give the address: `aseecr setup-host {endpoint} IP`, or pass --remove"
            ))
        })?)
    };
    let entry = HostEntry {
        endpoint,
        ip,
        hosts_file: args.hosts_file,
        dry_run: args.dry_run,
    };
    let consent = Consent {
        yes: settings.yes,
        interactive: settings.interactive(),
    };
    let applied = hosts::apply(printer, consent, &entry)?;
    if applied.dry_run && applied.changed && format == Format::Text {
        for line in applied.diff.as_deref().unwrap_or_default().lines() {
            printer.data(line)?;
        }
    }
    if format == Format::Json {
        printer.json(&applied.to_json())?;
    }
    if applied.dry_run && applied.changed {
        printer.status("dry run: nothing was changed");
    }
    Ok(if applied.confirmed {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn list(parsed: &Hosts, path: &Path, format: Format, printer: &Printer) -> Result<ExitStatus> {
    match format {
        Format::Json => printer.json(&json::HostsListing {
            hosts_file: path.shown().to_string(),
            entries: hosts::entries_json(parsed.entries()),
        })?,
        Format::Text => {
            if parsed.entries().is_empty() {
                printer.status(format!("aseecr has no entries in `{}`", path.shown()));
            }
            for entry in parsed.entries() {
                printer.data(format!("{} {}", entry.host, entry.ip))?;
            }
        }
    }
    Ok(ExitStatus::Success)
}
