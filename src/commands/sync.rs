//! `aseecr sync FILE`: every image of a declarative file to every destination it
//! names, one `mirror` run per destination; one destination failing does not stop
//! the others.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};

use super::mirror::{MirrorOptions, SideOptions, mirror, print_text, side_options};
use super::{ExitStatus, error_json};
use crate::cli::{Format, SyncArgs};
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::output::{json, terminal_safe};
use crate::registry::{Reference, Registry};
use crate::settings::Settings;
use crate::spool::Spool;
use crate::sync::{Image, SyncFile};

pub async fn run(args: SyncArgs, settings: &Settings) -> Result<ExitStatus> {
    let file = read_file(&args)?;
    let dry_run = args.dry_run || args.check;
    let json = args.format.format == Format::Json;
    let mut run_settings = settings.clone();
    // Destinations are copied to at once (one progress display cannot show them all).
    if json || file.destinations.len() > 1 {
        run_settings.printer = run_settings.printer.without_progress();
    }
    let printer = &settings.printer;
    let source_side = SideOptions::source(&args.sides);
    let destination_side = SideOptions::destination(&args.sides);

    let selected = select_tags(&run_settings, &file.images, &source_side).await;

    // Every destination at once, reading each source blob once (the spool).
    let spool = Spool::new()?;
    let runs = file
        .destinations
        .iter()
        .enumerate()
        .map(|(index, destination)| {
            let options = MirrorOptions {
                platforms: destination.platform.iter().cloned().collect(),
                jobs: args.jobs,
                dry_run,
                source: source_side.clone(),
                destination: destination_side.clone(),
                ..MirrorOptions::default()
            };
            let (run_settings, selected, file, spool) = (&run_settings, &selected, &file, &spool);
            async move {
                sync_destination(run_settings, file, index, selected, &options, json, spool).await
            }
        });
    let mut destinations = Vec::new();
    let mut interrupted = None;
    for result in futures_util::future::join_all(runs).await {
        let (report, stop) = result?;
        destinations.push(report);
        interrupted = interrupted.or(stop);
    }

    let report = to_json(&file, &selected, destinations, dry_run);
    let failed = report.summary.counts.failed > 0;
    let pending = report.summary.changes_pending;
    if json {
        printer.json(&report)?;
    } else {
        for line in table(&file, &report) {
            printer.data(line)?;
        }
    }
    if let Some(line) = interrupted {
        printer.status(line);
        return Ok(ExitStatus::Interrupted);
    }
    if !json {
        printer.status(summary_line(&report, args.check));
    }
    Ok(if failed {
        ExitStatus::Failure
    } else if args.check && pending {
        ExitStatus::ChangesPending
    } else {
        ExitStatus::Success
    })
}

/// The file, read with its size cap and validated whole: no request before this.
fn read_file(args: &SyncArgs) -> Result<SyncFile> {
    let (name, text) = read_text(&args.file)?;
    Ok(crate::sync::parse(&name, &text, &|variable| {
        std::env::var(variable).ok()
    })?)
}

/// A sync file's name for messages (`<stdin>` for `-`) and its text, read with
/// its size cap.
pub(super) fn read_text(file: &Path) -> Result<(String, String)> {
    let name = if file.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        file.shown().to_string()
    };
    let bytes = crate::fsutil::read_input(file, &crate::fsutil::SYNC_FILE)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("{name}: the sync file is not UTF-8 text")))?;
    Ok((name, text))
}

/// The tags each image selected: its list, or what its filter keeps of the
/// source's tags (read once per image). An image whose tags cannot be listed
/// fails, for every destination, and is reported here.
async fn select_tags(
    settings: &Settings,
    images: &[Image],
    side: &SideOptions,
) -> Vec<Result<Vec<String>>> {
    let mut sources: HashMap<String, Registry> = HashMap::new();
    let mut selected = Vec::new();
    for image in images {
        let source = &image.source;
        let tags = if image.selection.lists_tags() {
            list_tags(settings, &mut sources, source, side)
                .await
                .map(|tags| image.selection.select(&tags))
        } else {
            Ok(image.selection.select(&[]))
        };
        match &tags {
            Ok(tags) if tags.is_empty() => settings.printer.warn(format!(
                "`{}`: no tag matches the selection; nothing to copy",
                source.repository_name()
            )),
            Ok(_) => {}
            Err(err) => settings.printer.error(format!("{err:#}")),
        }
        selected.push(tags);
    }
    selected
}

async fn list_tags(
    settings: &Settings,
    sources: &mut HashMap<String, Registry>,
    source: &Reference,
    side: &SideOptions,
) -> Result<Vec<String>> {
    let name = &source.registry;
    if !sources.contains_key(name) {
        let options = side_options(settings, name, side);
        let credentials = super::stored_credentials(settings, name)?;
        let registry = super::connect(settings, name, options, credentials)?;
        sources.insert(name.clone(), registry);
    }
    sources[name]
        .tags(&source.repository)
        .await
        .with_context(|| format!("cannot list the tags of `{}`", source.repository_name()))
}

/// One destination: every selected tag of every image it gets, in one `mirror`
/// run. A failure is the destination's result, never the command's error; the
/// second value is the interruption line when Ctrl-C stopped the run.
async fn sync_destination(
    settings: &Settings,
    file: &SyncFile,
    index: usize,
    selected: &[Result<Vec<String>>],
    options: &MirrorOptions,
    json: bool,
    spool: &Spool,
) -> Result<(json::SyncDestination, Option<String>)> {
    let destination = &file.destinations[index];
    let mut planned = Vec::new();
    for (image, tags) in file.images.iter().zip(selected) {
        let Ok(tags) = tags else { continue };
        if !image.destinations.contains(&index) {
            continue;
        }
        for tag in tags {
            let target = format!(
                "{}/{}:{tag}",
                destination.registry,
                image.destination_repository()
            );
            let target = Reference::parse(&target, None)?;
            planned.push((image.source.with_tag(tag), target));
        }
    }
    let mut report = json::SyncDestination {
        name: destination.name.clone(),
        registry: destination.registry.clone(),
        status: "ok",
        items: Vec::new(),
        summary: None,
        error: None,
    };
    if planned.is_empty() {
        return Ok((report, None));
    }
    let printer = &settings.printer;
    let mut settings = settings.clone();
    if let Some(credentials) = &destination.credentials {
        settings.username = Some(credentials.username.clone());
        settings.password = credentials.password.clone();
    }
    printer.status(format!(
        "{} ({}): {} image{}",
        terminal_safe(&destination.name),
        destination.registry,
        planned.len(),
        if planned.len() == 1 { "" } else { "s" }
    ));
    let pairs: Vec<(String, String)> = planned
        .iter()
        .map(|(s, d)| (s.to_string(), d.to_string()))
        .collect();
    match mirror(&settings, planned, options, Some(spool)).await {
        Ok(mirrored) => {
            if !json {
                print_text(&settings, &mirrored, true)?;
            }
            let stop = mirrored.interruption_line();
            let json::MirrorReport { items, summary, .. } = mirrored.to_json();
            report.items = items;
            if summary.counts.failed > 0 {
                report.status = "failed";
            }
            report.summary = Some(summary);
            Ok((report, stop))
        }
        Err(err) => {
            printer.error(format!(
                "{} ({}): {err:#}",
                terminal_safe(&destination.name),
                destination.registry
            ));
            let body = error_json(&err);
            report.status = "failed";
            report.items = pairs
                .into_iter()
                .map(|(source, destination)| json::MirrorItem {
                    source,
                    destination,
                    status: "failed",
                    copy: None,
                    error: Some(body.clone()),
                })
                .collect();
            report.error = Some(body);
            Ok((report, None))
        }
    }
}

fn to_json(
    file: &SyncFile,
    selected: &[Result<Vec<String>>],
    destinations: Vec<json::SyncDestination>,
    dry_run: bool,
) -> json::SyncReport {
    let images: Vec<json::SyncImage> = file
        .images
        .iter()
        .zip(selected)
        .map(|(image, tags)| json::SyncImage {
            source: image.source.repository_name(),
            repository: image.destination_repository().to_owned(),
            tags: tags.as_ref().ok().cloned().unwrap_or_default(),
            destinations: image
                .destinations
                .iter()
                .map(|i| file.destinations[*i].name.clone())
                .collect(),
            error: tags.as_ref().err().map(error_json),
        })
        .collect();
    let items = || destinations.iter().flat_map(|d| &d.items);
    let mut counts = json::BatchCounts::of(items().map(|item| &item.error));
    let unlisted = images.iter().filter(|i| i.error.is_some()).count();
    counts.total += unlisted;
    counts.failed += unlisted;
    let count = |status: &str| items().filter(|item| item.status == status).count();
    let planned = count("planned");
    let summary = json::SyncSummary {
        counts,
        destinations: destinations.len(),
        destinations_failed: destinations.iter().filter(|d| d.status == "failed").count(),
        copied: count("copied"),
        up_to_date: count("up-to-date"),
        planned,
        changes_pending: planned > 0,
    };
    json::SyncReport {
        dry_run,
        destinations,
        images,
        summary,
    }
}

/// What one image came to at one destination, in one word.
fn cell(
    image: &json::SyncImage,
    destination: Option<&json::SyncDestination>,
    name: &str,
) -> String {
    if !image.destinations.iter().any(|d| d == name) {
        return "-".to_owned();
    }
    if image.error.is_some() {
        return "failed".to_owned();
    }
    if image.tags.is_empty() {
        return "no tags".to_owned();
    }
    let Some(destination) = destination else {
        // Not reached: Ctrl-C stopped the run first.
        return "not run".to_owned();
    };
    let prefix = format!("{}/{}:", destination.registry, image.repository);
    let statuses: Vec<&str> = destination
        .items
        .iter()
        .filter(|item| {
            item.destination
                .strip_prefix(&prefix)
                .is_some_and(|tag| image.tags.iter().any(|t| t == tag))
        })
        .map(|item| item.status)
        .collect();
    let any = |status: &str| statuses.contains(&status);
    if any("failed") {
        "failed"
    } else if any("copied") {
        "copied"
    } else if any("planned") {
        "would copy"
    } else {
        "up-to-date"
    }
    .to_owned()
}

/// The destination x image table: one row per image (its source and tag count),
/// one column per destination.
fn table(file: &SyncFile, report: &json::SyncReport) -> Vec<String> {
    let names: Vec<&str> = file.destinations.iter().map(|d| d.name.as_str()).collect();
    let mut rows: Vec<Vec<String>> = vec![
        std::iter::once("IMAGE".to_owned())
            .chain(names.iter().map(|n| terminal_safe(n).into_owned()))
            .collect(),
    ];
    for image in &report.images {
        let tags = image.tags.len();
        let mut row = vec![format!(
            "{} ({tags} tag{})",
            image.source,
            if tags == 1 { "" } else { "s" }
        )];
        for name in &names {
            let destination = report.destinations.iter().find(|d| d.name == *name);
            row.push(cell(image, destination, name));
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(text, width)| format!("{text:<width$}"))
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect()
}

/// The closing line on stderr.
fn summary_line(report: &json::SyncReport, check: bool) -> String {
    let s = &report.summary;
    let destinations = format!(
        "{} destination{}",
        s.destinations,
        if s.destinations == 1 { "" } else { "s" }
    );
    let mut parts = Vec::new();
    if report.dry_run {
        parts.push(format!("{} to copy", s.planned));
    } else {
        parts.push(format!("{} copied", s.copied));
    }
    parts.push(format!("{} up to date", s.up_to_date));
    if s.counts.failed > 0 {
        parts.push(format!("{} failed (errors above)", s.counts.failed));
    }
    let head = match (report.dry_run, check, s.changes_pending) {
        (true, true, true) => "changes pending",
        (true, true, false) => "up to date",
        (true, false, _) => "dry run, nothing written",
        (false, _, _) => "synced",
    };
    format!("{head}: {destinations}: {}", parts.join(", "))
}
