//! `aseecr digest`: print the digest a reference resolves to.

use anyhow::Result;

use super::{ExitStatus, open_registry, parse_reference};
use crate::cli::DigestArgs;
use crate::settings::Settings;

pub async fn run(args: DigestArgs, settings: &Settings) -> Result<ExitStatus> {
    let reference = parse_reference(settings, &args.reference)?;
    let registry = open_registry(settings, &reference.registry)?;
    let descriptor = registry.resolve(&reference).await?;
    settings.printer.data(&descriptor.digest)?;
    Ok(ExitStatus::Success)
}
