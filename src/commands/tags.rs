//! `aseecr tags`: list a repository's tags, in version order, or with details
//! (`--long`: digest, creation time, size, platforms; newest first).

use anyhow::Result;

use super::{ExitStatus, parse_repository};
use crate::cli::{Format, TagOrder, TagsArgs};
use crate::connect::{self, Side};
use crate::output::{human_bytes, json, terminal_safe};
use crate::registry::natural_cmp;
use crate::registry::{Inventory, Reference, parse_time};
use crate::settings::Settings;

pub async fn run(args: TagsArgs, settings: &Settings) -> Result<ExitStatus> {
    let repository = parse_repository(settings, &args.repository)?;
    let registry = connect::open(settings, &repository.registry, Side::Single)?;
    let printer = &settings.printer;
    let format = args.format.format;
    let order = args.sort.unwrap_or(if args.long {
        TagOrder::Time
    } else {
        TagOrder::Name
    });
    if !args.long && order == TagOrder::Name {
        let mut tags = registry.tags(&repository.repository).await?;
        tags.sort_by(|a, b| natural_cmp(a, b));
        match format {
            Format::Json => printer.json(&json::Tags {
                registry: &repository.registry,
                repository: &repository.repository,
                tags: &tags,
                details: None,
            })?,
            Format::Text => print_names(settings, &repository, &tags)?,
        }
        return Ok(ExitStatus::Success);
    }
    let inventory = registry.inventory(&repository.repository).await?;
    let details = details(&inventory, order);
    let tags: Vec<String> = details.iter().map(|d| d.tag.clone()).collect();
    match format {
        Format::Json => printer.json(&json::Tags {
            registry: &repository.registry,
            repository: &repository.repository,
            tags: &tags,
            details: Some(&details),
        })?,
        Format::Text if !args.long => print_names(settings, &repository, &tags)?,
        Format::Text => {
            print_table(settings, &details)?;
            if tags.is_empty() {
                printer.status(format!("`{}` has no tags", repository.repository_name()));
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// One tag a line on stdout; a note on stderr when there is none.
fn print_names(settings: &Settings, repository: &Reference, tags: &[String]) -> Result<()> {
    for tag in tags {
        settings.printer.data(tag)?;
    }
    if tags.is_empty() {
        settings
            .printer
            .status(format!("`{}` has no tags", repository.repository_name()));
    }
    Ok(())
}

/// Each tag's digest, creation time, size and platforms, in `order`.
fn details(inventory: &Inventory, order: TagOrder) -> Vec<json::TagDetail> {
    let mut details: Vec<json::TagDetail> = inventory
        .tags
        .iter()
        .filter_map(|(tag, digest)| {
            let info = inventory.manifests.get(digest)?;
            Some(json::TagDetail {
                tag: tag.clone(),
                digest: digest.clone(),
                media_type: info.media_type.clone(),
                created: info.created.as_ref().map(|(time, _)| time.clone()),
                created_from: info.created.as_ref().map(|(_, from)| from.name()),
                size: inventory.size_of(digest),
                platforms: info.platforms.clone(),
            })
        })
        .collect();
    match order {
        TagOrder::Name => details.sort_by(|a, b| natural_cmp(&a.tag, &b.tag)),
        TagOrder::Time => details.sort_by(|a, b| {
            let time = |d: &json::TagDetail| d.created.as_deref().and_then(parse_time);
            time(b)
                .cmp(&time(a))
                .then_with(|| natural_cmp(&b.tag, &a.tag))
        }),
    }
    details
}

/// The `--long` table: a header, then a row per tag, columns aligned.
fn print_table(settings: &Settings, details: &[json::TagDetail]) -> Result<()> {
    let rows: Vec<[String; 5]> = details
        .iter()
        .map(|d| {
            [
                terminal_safe(&d.tag).into_owned(),
                short_digest(&d.digest),
                d.created
                    .as_deref()
                    .map(|c| terminal_safe(c).into_owned())
                    .unwrap_or_else(|| "-".to_owned()),
                human_bytes(d.size),
                if d.platforms.is_empty() {
                    "-".to_owned()
                } else {
                    terminal_safe(&d.platforms.join(",")).into_owned()
                },
            ]
        })
        .collect();
    let header = ["TAG", "DIGEST", "CREATED", "SIZE", "PLATFORMS"].map(str::to_owned);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        settings.printer.data(line.join("  ").trim_end())?;
    }
    Ok(())
}

/// `sha256:` and the first 12 hex digits, as docker shows image IDs.
fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) => format!("{algorithm}:{}", &hex[..hex.len().min(12)]),
        None => digest.to_owned(),
    }
}
