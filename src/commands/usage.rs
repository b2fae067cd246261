//! `aseecr usage` (`du`): the space each repository takes, what it shares with
//! the others, the registry's de-duplicated total, and the largest images.
//!
//! Repositories are read a few at a time, each with one request per tag and
//! per untagged index entry (no config is read: sizes are in the manifests);
//! the numbers come from `space`.

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{ExitStatus, parse_repository};
use crate::cli::{Format, UsageArgs};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::output::progress::CountProgress;
use crate::output::{human_bytes, json, terminal_safe};
use crate::registry::{Inventory, Registry, reference};
use crate::settings::Settings;
use crate::space::{self, Usage};

/// Repositories read at once (each reads up to 8 manifests at once).
const REPOSITORY_CONCURRENCY: usize = 2;

/// What the command line asks to read.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    registry: String,
    /// `None`: every repository of the catalog.
    repositories: Option<Vec<String>>,
}

pub async fn run(args: UsageArgs, settings: &Settings) -> Result<ExitStatus> {
    let target = target(settings, &args.repositories)?;
    let registry = connect::open(settings, &target.registry, Side::Single)?;
    let mut printer = settings.printer;
    if args.format.format == Format::Json {
        printer = printer.without_progress();
    }
    let (names, all) = match target.repositories {
        Some(names) => (names, false),
        None => match registry.catalog().await {
            Ok(catalog) => (catalog, true),
            // A registry that will not list its repositories can still count
            // the ones named.
            Err(err) => match err.downcast::<crate::error::Error>() {
                Ok(error) => {
                    return Err(error
                        .help("or name the repositories to count: `aseecr usage REGISTRY/REPO ...`")
                        .into());
                }
                Err(err) => return Err(err),
            },
        },
    };
    let progress = CountProgress::new(&printer, "reading repositories", names.len());
    let inventories = stream::iter(names)
        .map(|name| {
            let registry = &registry;
            let progress = &progress;
            async move {
                let inventory = read(registry, name, all).await;
                progress.inc();
                inventory
            }
        })
        .buffered(REPOSITORY_CONCURRENCY)
        .try_collect::<Vec<Inventory>>()
        .await;
    progress.finish();
    let usage = space::usage(&inventories?, args.top);
    let scope = if all { "all" } else { "named" };
    match args.format.format {
        Format::Json => printer.json(&to_json(&target.registry, scope, &usage))?,
        Format::Text => print_text(settings, &target.registry, all, &usage)?,
    }
    Ok(ExitStatus::Success)
}

/// One repository's inventory (sizes only). A repository of the catalog whose
/// tag list is gone (every tag deleted) is empty; a named one is an error.
async fn read(registry: &Registry, name: String, from_catalog: bool) -> Result<Inventory> {
    match registry.inventory_sizes(&name).await {
        Err(err)
            if from_catalog
                && crate::error::find(&err).is_some_and(|e| e.kind == Kind::RepositoryNotFound) =>
        {
            Ok(Inventory {
                repository: name,
                ..Inventory::default()
            })
        }
        other => other,
    }
}

/// The registry and repositories named: none (the default registry's catalog),
/// a registry alone (its catalog), or repositories all on one registry.
fn target(settings: &Settings, inputs: &[String]) -> Result<Target> {
    if let [only] = inputs
        && is_registry_alone(only)
    {
        return Ok(Target {
            registry: reference::normalize_registry(only)?,
            repositories: None,
        });
    }
    if inputs.is_empty() {
        return Ok(Target {
            registry: settings.require_registry(None)?,
            repositories: None,
        });
    }
    if let Some(registry) = inputs.iter().find(|i| is_registry_alone(i)) {
        return Err(Error::usage(format!(
            "`{registry}` is a registry, named together with repositories"
        ))
        .help(format!(
            "name only `{registry}` for every repository, or only repositories (`{registry}/REPO`)"
        ))
        .into());
    }
    let mut registry: Option<(String, &str)> = None;
    let mut repositories: Vec<String> = Vec::new();
    for input in inputs {
        let parsed = parse_repository(settings, input)?;
        match &registry {
            Some((first, first_input)) if *first != parsed.registry => {
                return Err(Error::usage(format!(
                    "`{first_input}` and `{input}` are on different registries (`{first}` and `{}`)",
                    parsed.registry
                ))
                .help("run `aseecr usage` once per registry")
                .into());
            }
            Some(_) => {}
            None => registry = Some((parsed.registry.clone(), input)),
        }
        if !repositories.contains(&parsed.repository) {
            repositories.push(parsed.repository);
        }
    }
    let (registry, _) = registry.expect("at least one repository");
    Ok(Target {
        registry,
        repositories: Some(repositories),
    })
}

/// A name with no path that docker would read as a registry if a path followed
/// (`host:port`, a dotted host, `localhost`, `[v6]`): a registry alone.
fn is_registry_alone(input: &str) -> bool {
    !input.contains('/') && reference::names_registry(&format!("{input}/x"))
}

fn to_json<'a>(registry: &'a str, scope: &'static str, usage: &'a Usage) -> json::UsageReport<'a> {
    json::UsageReport {
        registry,
        scope,
        repositories: usage
            .repositories
            .iter()
            .map(|r| json::RepositoryUsage {
                repository: &r.repository,
                tag_count: r.tags,
                attachment_tag_count: r.attachment_tags,
                attachment_size: r.attachment_size,
                manifests: r.manifests,
                blobs: r.blobs,
                size: r.size,
                unique_size: r.unique_size,
                shared_size: r.shared_size,
            })
            .collect(),
        totals: json::UsageTotal {
            repository_count: usage.repositories.len(),
            tag_count: usage.repositories.iter().map(|r| r.tags).sum(),
            attachment_tag_count: usage.repositories.iter().map(|r| r.attachment_tags).sum(),
            attachment_size: usage.repositories.iter().map(|r| r.attachment_size).sum(),
            manifests: usage.repositories.iter().map(|r| r.manifests).sum(),
            blobs: usage.blobs,
            size: usage.size,
            sum_of_repository_sizes: usage.sum_of_repository_sizes,
        },
        largest: usage
            .largest
            .iter()
            .map(|i| json::ImageUsage {
                repository: &i.repository,
                tags: &i.tags,
                digest: &i.digest,
                size: i.size,
            })
            .collect(),
    }
}

/// A table of repositories, the total, and the largest images on stdout; the
/// scope note on stderr.
fn print_text(settings: &Settings, registry: &str, all: bool, usage: &Usage) -> Result<()> {
    let printer = &settings.printer;
    if usage.repositories.is_empty() {
        printer.status(format!("`{registry}` has no repositories"));
        return Ok(());
    }
    let mut rows = vec![[
        "REPOSITORY".to_owned(),
        "TAGS".to_owned(),
        "MANIFESTS".to_owned(),
        "SIZE".to_owned(),
        "UNIQUE".to_owned(),
        "SHARED".to_owned(),
    ]];
    for r in &usage.repositories {
        rows.push([
            terminal_safe(&r.repository).into_owned(),
            r.tags.to_string(),
            r.manifests.to_string(),
            human_bytes(r.size),
            human_bytes(r.unique_size),
            human_bytes(r.shared_size),
        ]);
    }
    for line in table(&rows, &[false, true, true, true, true, true]) {
        printer.data(line)?;
    }
    let tags: usize = usage.repositories.iter().map(|r| r.tags).sum();
    let manifests: usize = usage.repositories.iter().map(|r| r.manifests).sum();
    let repositories = usage.repositories.len();
    printer.data(format!(
        "total: {} stored ({} blobs; {} counted per repository) in {repositories} {}, {tags} {}, {manifests} {}",
        human_bytes(usage.size),
        usage.blobs,
        human_bytes(usage.sum_of_repository_sizes),
        plural(repositories, "repository", "repositories"),
        plural(tags, "tag", "tags"),
        plural(manifests, "manifest", "manifests"),
    ))?;
    let attachment_tags: usize = usage.repositories.iter().map(|r| r.attachment_tags).sum();
    if attachment_tags > 0 {
        let bytes: u64 = usage.repositories.iter().map(|r| r.attachment_size).sum();
        printer.data(format!(
            "attachments: {} of that only signatures, SBOMs, attestations and referrers indexes need, under {attachment_tags} attachment {} (not counted among the tags)",
            human_bytes(bytes),
            plural(attachment_tags, "tag", "tags"),
        ))?;
    }
    if !usage.largest.is_empty() {
        printer.data("")?;
        let mut rows = vec![["SIZE".to_owned(), "IMAGE".to_owned(), "DIGEST".to_owned()]];
        for image in &usage.largest {
            let names: Vec<String> = image
                .tags
                .iter()
                .map(|tag| format!("{}:{tag}", image.repository))
                .collect();
            rows.push([
                human_bytes(image.size),
                terminal_safe(&names.join(", ")).into_owned(),
                terminal_safe(&image.digest).into_owned(),
            ]);
        }
        let count = usage.largest.len();
        printer.data(format!(
            "largest {count} {}:",
            plural(count, "image", "images")
        ))?;
        for line in table(&rows, &[true, false, false]) {
            printer.data(line)?;
        }
    }
    if !all {
        let read = if repositories == 1 {
            "only the repository named was read, so nothing counts as shared".to_owned()
        } else {
            format!(
                "only the {repositories} repositories named were read, so unique and shared \
                 compare them with each other only"
            )
        };
        printer.status(format!(
            "note: {read}; without REPO every repository of `{registry}` is read and compared"
        ));
    }
    Ok(())
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

/// Columns padded to their widest cell (`right`: numbers, aligned right), two
/// spaces apart, with no trailing blanks. Cells are already terminal-safe.
fn table<const N: usize>(rows: &[[String; N]], right: &[bool; N]) -> Vec<String> {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    if right[i] {
                        format!("{cell:>width$}", width = widths[i])
                    } else {
                        format!("{cell:<width$}", width = widths[i])
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_alone_is_told_from_a_repository() {
        for registry in [
            "127.0.0.1:5000",
            "ecr.example.com",
            "localhost",
            "[::1]:5000",
        ] {
            assert!(is_registry_alone(registry), "{registry}");
        }
        for repository in [
            "nginx",
            "app/web",
            "127.0.0.1:5000/app",
            "ecr.example.com/app",
        ] {
            assert!(!is_registry_alone(repository), "{repository}");
        }
    }

    #[test]
    fn columns_line_up_and_numbers_align_right() {
        let rows = vec![
            ["NAME".to_owned(), "SIZE".to_owned(), "X".to_owned()],
            ["a".to_owned(), "1.5 KiB".to_owned(), String::new()],
            ["longer".to_owned(), "0 B".to_owned(), "y".to_owned()],
        ];
        assert_eq!(
            table(&rows, &[false, true, false]),
            vec![
                "NAME       SIZE  X",
                "a       1.5 KiB",
                "longer      0 B  y"
            ]
        );
    }
}
