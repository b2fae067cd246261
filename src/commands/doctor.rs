//! `aseecr doctor`: check the chain to a registry link by link and stop at the
//! first broken one, with the fix: name, TCP, TLS trust, API, login, push, delete.

use anyhow::Result;

use super::{AlreadyPrinted, ExitStatus, Reported, error_json, hints};
use crate::cli::{DoctorArgs, Format};
use crate::doctor::{self, Diagnosis, DoctorOptions};
use crate::output::json;
use crate::settings::Settings;

pub async fn run(args: DoctorArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = DoctorOptions {
        registry: args.registry,
        hosts_file: args.hosts_file,
        advice: hints::help_for,
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
    let outcome = diagnosis.outcome.map_err(anyhow::Error::from);
    settings.printer.json(&json::DoctorReport {
        registry: &diagnosis.registry,
        ok: outcome.is_ok(),
        checks: diagnosis
            .checks
            .iter()
            .map(|check| json::DoctorCheck {
                name: check.name,
                status: check.status.name(),
                detail: &check.detail,
                help: &check.help,
            })
            .collect(),
        error: outcome.as_ref().err().map(error_json),
    })?;
    outcome
        .map(|()| ExitStatus::Success)
        .map_err(|err| AlreadyPrinted(err).into())
}

/// Print the checks for people, then end as the diagnosis did. The failure is
/// said once, by its `FAIL` line: `run` adds no `error:` report.
fn finish_text(settings: &Settings, diagnosis: Diagnosis) -> Result<ExitStatus> {
    match doctor::print_text(&settings.printer, diagnosis)? {
        Ok(()) => Ok(ExitStatus::Success),
        Err(err) => Err(Reported(err.into()).into()),
    }
}
