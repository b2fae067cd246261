//! `aseecr tags`: list a repository's tags.

use anyhow::Result;

use super::{ExitStatus, open_registry, parse_repository};
use crate::cli::{Format, TagsArgs};
use crate::output::json;
use crate::settings::Settings;

pub async fn run(args: TagsArgs, settings: &Settings) -> Result<ExitStatus> {
    let repository = parse_repository(settings, &args.repository)?;
    let registry = open_registry(settings, &repository.registry)?;
    let tags = registry.tags(&repository.repository).await?;
    let printer = &settings.printer;
    match args.format.format {
        Format::Json => printer.json(&json::Tags {
            registry: &repository.registry,
            repository: &repository.repository,
            tags: &tags,
        })?,
        Format::Text => {
            for tag in &tags {
                printer.data(tag)?;
            }
            if tags.is_empty() {
                printer.status(format!("`{}` has no tags", repository.repository_name()));
            }
        }
    }
    Ok(ExitStatus::Success)
}
