//! `aseecr tags`: list a repository's tags.

use anyhow::Result;
use serde::Serialize;

use super::{ExitStatus, open_registry, parse_repository};
use crate::cli::{Format, TagsArgs};
use crate::settings::Settings;

#[derive(Serialize)]
struct Tags<'a> {
    registry: &'a str,
    repository: &'a str,
    tags: &'a [String],
}

pub async fn run(args: TagsArgs, settings: &Settings) -> Result<ExitStatus> {
    let repository = parse_repository(settings, &args.repository)?;
    let registry = open_registry(settings, &repository.registry)?;
    let tags = registry.tags(&repository.repository).await?;
    let printer = &settings.printer;
    match args.format.format {
        Format::Json => printer.json(&Tags {
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
