//! `aseecr catalog`: list a registry's repositories.

use anyhow::Result;

use super::ExitStatus;
use crate::cli::{CatalogArgs, Format};
use crate::connect::{self, Side};
use crate::output::json;
use crate::settings::Settings;

pub async fn run(args: CatalogArgs, settings: &Settings) -> Result<ExitStatus> {
    let name = settings.require_registry(args.registry.as_deref())?;
    let registry = connect::open(settings, &name, Side::Single)?;
    let repositories = registry.catalog().await?;
    let printer = &settings.printer;
    match args.format.format {
        Format::Json => printer.json(&json::Catalog {
            registry: &name,
            repositories: &repositories,
        })?,
        Format::Text => {
            for repository in &repositories {
                printer.data(repository)?;
            }
            if repositories.is_empty() {
                printer.status(format!("`{name}` has no repositories"));
            }
        }
    }
    Ok(ExitStatus::Success)
}
