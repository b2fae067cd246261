//! `aseecr doctor`: check the chain to a registry link by link and stop at the
//! first broken one, with the fix: name, TCP, TLS trust, API, login, push, delete.

use anyhow::Result;

use super::{AlreadyPrinted, ExitStatus, Reported, error_json, hints};
use crate::cli::{DoctorArgs, Format};
use crate::doctor::{self, Diagnosis, DoctorOptions};
use crate::settings::Settings;

pub async fn run(args: DoctorArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = DoctorOptions {
        registry: args.registry,
        hosts_file: args.hosts_file,
        advice: hints::help_for,
        trust_root: args.root,
    };
    let diagnosis = doctor::check(settings, &options).await?;
    match args.format.format {
        Format::Json => report_json(settings, diagnosis),
        Format::Text => finish_text(settings, diagnosis),
    }
}

/// The report as one JSON object, the failure included: `run` must not print a
/// second object.
fn report_json(settings: &Settings, diagnosis: Diagnosis) -> Result<ExitStatus> {
    let error = diagnosis.outcome.err().map(anyhow::Error::from);
    settings.printer.json(&doctor::report_json(
        &diagnosis.registry,
        &diagnosis.checks,
        error.as_ref().map(error_json),
    ))?;
    match error {
        None => Ok(ExitStatus::Success),
        Some(err) => Err(AlreadyPrinted(err).into()),
    }
}

/// Print the checks for people, then end as the diagnosis did. The failure is
/// said once, by its `FAIL` line: `run` adds no `error:` report.
fn finish_text(settings: &Settings, diagnosis: Diagnosis) -> Result<ExitStatus> {
    match doctor::print_text(&settings.printer, diagnosis)? {
        Ok(()) => Ok(ExitStatus::Success),
        Err(err) => Err(Reported(err.into()).into()),
    }
}
