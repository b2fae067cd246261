//! `aseecr tags`: list a repository's tags, in version order, or with details
//! (`--long`: digest, creation time, size, platforms; newest first). Attachment
//! tags (referrers indexes `sha256-<hex>`, cosign `.sig`/`.att`/`.sbom`) are
//! told apart by name and listed apart (`--attachments`; JSON `attachments`).

use anyhow::Result;

use super::{ExitStatus, parse_repository};
use crate::cleanup::AttachmentKind;
use crate::cli::{Format, TagOrder, TagsArgs};
use crate::connect::{self, Side};
use crate::output::{human_bytes, json, terminal_safe};
use crate::registry::natural_cmp;
use crate::registry::referrers::{AttachmentTag, attachment_tag};
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
        let all = registry.tags(&repository.repository).await?;
        let (mut tags, attached) = split(&all);
        tags.sort_by(|a, b| natural_cmp(a, b));
        let attachments = attachments(&attached, None);
        match format {
            Format::Json => printer.json(&json::Tags {
                registry: &repository.registry,
                repository: &repository.repository,
                tags: &tags,
                details: None,
                attachments: &attachments,
            })?,
            Format::Text if args.attachments => {
                print_attachments(settings, &repository, &attachments, false)?
            }
            Format::Text => print_names(settings, &repository, &tags, attachments.len())?,
        }
        return Ok(ExitStatus::Success);
    }
    let inventory = registry.inventory(&repository.repository).await?;
    let details = details(&inventory, order);
    let tags: Vec<String> = details.iter().map(|d| d.tag.clone()).collect();
    let all: Vec<String> = inventory.tags.iter().map(|(t, _)| t.clone()).collect();
    let (_, attached) = split(&all);
    let attachments = attachments(&attached, Some(&inventory));
    match format {
        Format::Json => printer.json(&json::Tags {
            registry: &repository.registry,
            repository: &repository.repository,
            tags: &tags,
            details: Some(&details),
            attachments: &attachments,
        })?,
        Format::Text if args.attachments => {
            print_attachments(settings, &repository, &attachments, args.long)?
        }
        Format::Text if !args.long => print_names(settings, &repository, &tags, attachments.len())?,
        Format::Text => {
            print_table(settings, &details)?;
            if tags.is_empty() {
                printer.status(format!("`{}` has no tags", repository.repository_name()));
            }
            attachments_note(settings, attachments.len());
        }
    }
    Ok(ExitStatus::Success)
}

/// The user's tags, and the attachment tags (by name) with what they are.
fn split(all: &[String]) -> (Vec<String>, Vec<(String, AttachmentTag)>) {
    let mut tags = Vec::new();
    let mut attached = Vec::new();
    for tag in all {
        match attachment_tag(tag) {
            Some(attachment) => attached.push((tag.clone(), attachment)),
            None => tags.push(tag.clone()),
        }
    }
    (tags, attached)
}

/// The attachment tags, in version order; with the inventory (`--long`),
/// each one's digest, size and its subject's tags.
fn attachments(
    attached: &[(String, AttachmentTag)],
    inventory: Option<&Inventory>,
) -> Vec<json::TagAttachment> {
    let mut list: Vec<json::TagAttachment> = attached
        .iter()
        .map(|(tag, attachment)| {
            let digest = inventory.and_then(|inventory| {
                inventory
                    .tags
                    .iter()
                    .find(|(t, _)| t == tag)
                    .map(|(_, d)| d.clone())
            });
            json::TagAttachment {
                tag: tag.clone(),
                kind: AttachmentKind::of_tag(attachment).name(),
                subject: attachment.subject().to_owned(),
                size: inventory.zip(digest.as_ref()).map(|(i, d)| i.size_of(d)),
                digest,
                subject_tags: inventory.map(|inventory| {
                    let mut tags: Vec<String> = inventory
                        .tags
                        .iter()
                        .filter(|(t, d)| d == attachment.subject() && attachment_tag(t).is_none())
                        .map(|(t, _)| t.clone())
                        .collect();
                    tags.sort_by(|a, b| natural_cmp(a, b));
                    tags
                }),
            }
        })
        .collect();
    list.sort_by(|a, b| natural_cmp(&a.tag, &b.tag));
    list
}

/// One tag a line on stdout; a note on stderr when there is none, and one
/// when attachment tags were left out.
fn print_names(
    settings: &Settings,
    repository: &Reference,
    tags: &[String],
    attachments: usize,
) -> Result<()> {
    for tag in tags {
        settings.printer.data(tag)?;
    }
    if tags.is_empty() {
        settings
            .printer
            .status(format!("`{}` has no tags", repository.repository_name()));
    }
    attachments_note(settings, attachments);
    Ok(())
}

/// Say on stderr that attachment tags were left out, and how to list them.
fn attachments_note(settings: &Settings, attachments: usize) {
    if attachments > 0 {
        settings.printer.status(format!(
            "and {attachments} attachment tag{} (signatures, SBOMs, referrers indexes): `--attachments` lists {}",
            if attachments == 1 { "" } else { "s" },
            if attachments == 1 { "it" } else { "them" },
        ));
    }
}

/// `--attachments`: one attachment tag a line, or with `--long` a table of
/// each one's kind, subject (and its tags) and size.
fn print_attachments(
    settings: &Settings,
    repository: &Reference,
    attachments: &[json::TagAttachment],
    long: bool,
) -> Result<()> {
    let printer = &settings.printer;
    if attachments.is_empty() {
        printer.status(format!(
            "`{}` has no attachment tags",
            repository.repository_name()
        ));
        return Ok(());
    }
    if !long {
        for attachment in attachments {
            printer.data(&attachment.tag)?;
        }
        return Ok(());
    }
    let header = ["TAG", "KIND", "SUBJECT", "SIZE"].map(str::to_owned);
    let rows: Vec<[String; 4]> = attachments
        .iter()
        .map(|a| {
            let tags = a.subject_tags.clone().unwrap_or_default();
            let of = if tags.is_empty() {
                "(no tag)".to_owned()
            } else {
                format!("({})", tags.join(", "))
            };
            [
                terminal_safe(&a.tag).into_owned(),
                a.kind.to_owned(),
                terminal_safe(&format!("{} {of}", short_digest(&a.subject))).into_owned(),
                a.size.map(human_bytes).unwrap_or_else(|| "-".to_owned()),
            ]
        })
        .collect();
    for line in aligned(&header, &rows) {
        printer.data(line)?;
    }
    Ok(())
}

/// Each tag's digest, creation time, size and platforms, in `order`.
fn details(inventory: &Inventory, order: TagOrder) -> Vec<json::TagDetail> {
    let mut details: Vec<json::TagDetail> = inventory
        .tags
        .iter()
        .filter(|(tag, _)| attachment_tag(tag).is_none())
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
    for line in aligned(&header, &rows) {
        settings.printer.data(line)?;
    }
    Ok(())
}

/// A header and rows, columns padded to their widest cell, two spaces apart.
fn aligned<const N: usize>(header: &[String; N], rows: &[[String; N]]) -> Vec<String> {
    let mut widths = [0usize; N];
    for row in std::iter::once(header).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    std::iter::once(header)
        .chain(rows)
        .map(|row| {
            let line: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            line.join("  ").trim_end().to_owned()
        })
        .collect()
}

/// `sha256:` and the first 12 hex digits, as docker shows image IDs.
fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) => format!("{algorithm}:{}", &hex[..hex.len().min(12)]),
        None => digest.to_owned(),
    }
}
