//! `aseecr sync FILE`: every image of a declarative file to every destination it
//! names, one `mirror` run per destination, then the images' `prune` policies
//! there; one destination failing does not stop the others.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

use super::report::{
    Shown, TextReporter, in_version_order, interruption_line, mirror_json, print_error, print_text,
    prune_action_line, prune_items_json, prune_kept_json,
};
use super::{ExitStatus, error_json, error_kind};
use crate::cleanup::{self, Outcome};
use crate::cli::{Format, SyncArgs};
use crate::connect::{self, Side, SideFlags};
use crate::error::Kind;
use crate::mirror::{self, LimitRate, MirrorOptions, MirrorPlan, SourceReads, Spool, SpoolReader};
use crate::output::progress::{DestinationLines, MirrorProgress};
use crate::output::{json, terminal_safe_name};
use crate::records::ReplacedRecord;
use crate::registry::{Inventory, Reference, Registry};
use crate::settings::Settings;
use crate::sync::{CaCert, Image, Prune, ReferrersKey, SyncFile, Tls};

pub async fn run(args: SyncArgs, settings: &Settings) -> Result<ExitStatus> {
    let file = read_file(&args)?;
    let dry_run = args.dry_run || args.check;
    let json = args.format.format == Format::Json;
    let mut run_settings = settings.clone();
    // Destinations are copied to at once: one progress line each (a whole
    // display for one destination alone).
    let several = file.destinations.len() > 1;
    if json || several {
        run_settings.printer = run_settings.printer.without_progress();
    }
    let lines = (!json && several).then(|| DestinationLines::new(&settings.printer));
    let printer = &settings.printer;
    // Inline `caCert` PEM, written to files for the run (removed at its end).
    let mut certificates = Certificates::default();
    let (mut checked, destination_flags) = plan(&args, settings, &file, &mut certificates)?;
    let (every, own) = mirror::sync_requirements(settings, args.verify.paths(), &file)?;

    let selected = select_tags(&run_settings, &file.images, &checked).await;
    checked.referrers_of = referrers_of(&file, &selected);
    checked.verification = Arc::new(mirror::Verification::new(
        every,
        mirror::sync_verify_of(&file, &selected, own),
    ));

    // Every destination at once. Several that copy read each source blob
    // once, through a spool (where --limit-rate applies, to that one read);
    // one reads straight from the sources, as `mirror` does.
    let (_spool, readers) = readers(&file, &selected, &checked)?;
    let runs =
        file.destinations
            .iter()
            .zip(readers)
            .enumerate()
            .map(|(index, (destination, reader))| {
                let mut plan = checked.clone();
                if let Some(platform) = &destination.platform {
                    plan.platforms = vec![platform.clone()];
                }
                plan.destination = destination_flags[index].clone();
                let (run_settings, selected, file) = (&run_settings, &selected, &file);
                let line = lines.as_ref().map(|l| l.line(&destination.registry));
                let run = Run {
                    plan,
                    json,
                    reader,
                    line,
                };
                async move { sync_destination(run_settings, file, index, selected, run).await }
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

/// The run's checked plan, once, before any request (the file's `sources:`
/// over the `--src-*` flags), and each destination's flags: its `caCert`,
/// `plainHttp` and `tlsVerify` over the `--dst-*` flags. A destination's
/// `platform` replaces the default platform for it (where it runs).
fn plan(
    args: &SyncArgs,
    settings: &Settings,
    file: &SyncFile,
    certificates: &mut Certificates,
) -> Result<(MirrorPlan, Vec<SideFlags>)> {
    let source_side = SideFlags {
        sync_file: true,
        ..super::source_flags(&args.sides)
    };
    let destination_side = SideFlags {
        sync_file: true,
        ..super::destination_flags(&args.sides)
    };
    let mut checked = MirrorOptions {
        jobs: args.jobs,
        dry_run: args.dry_run || args.check,
        limit_rate: args.limit_rate.clone(),
        no_referrers: args.referrers.no_referrers,
        referrers_types: args.referrers.referrers_types.clone(),
        source: source_side.clone(),
        destination: destination_side.clone(),
        ..MirrorOptions::default()
    }
    .check(settings.default_platform.as_ref())?;
    for (registry, tls) in &file.sources {
        let flags = certificates.flags(&source_side, tls)?;
        checked.sources.insert(registry.clone(), flags);
    }
    let destinations = file
        .destinations
        .iter()
        .map(|d| certificates.flags(&destination_side, &d.tls))
        .collect::<Result<Vec<_>>>()?;
    Ok((checked, destinations))
}

/// The referrers each selected image takes along, where the file says
/// (its own `referrers`, else the file's): by source image, with its tag.
fn referrers_of(
    file: &SyncFile,
    selected: &[Result<Vec<String>>],
) -> HashMap<String, mirror::Referrers> {
    let mut of = HashMap::new();
    for (image, tags) in file.images.iter().zip(selected) {
        let (Some(key), Ok(tags)) = (image.referrers.as_ref().or(file.referrers.as_ref()), tags)
        else {
            continue;
        };
        let policy = match key {
            ReferrersKey::All => mirror::Referrers::All,
            ReferrersKey::None => mirror::Referrers::None,
            ReferrersKey::Types(types) => mirror::Referrers::Types(types.clone()),
        };
        for tag in tags {
            of.insert(image.source.with_tag(tag).to_string(), policy.clone());
        }
    }
    of
}

/// A spool when several destinations copy (and the run writes), with a reader
/// for each of them, made before any reads.
fn readers(
    file: &SyncFile,
    selected: &[Result<Vec<String>>],
    plan: &MirrorPlan,
) -> Result<(Option<Spool>, Vec<Option<SpoolReader>>)> {
    let copying: Vec<bool> = (0..file.destinations.len())
        .map(|index| destination_images(file, index, selected).is_ok_and(|p| !p.is_empty()))
        .collect();
    let several = copying.iter().filter(|c| **c).count() > 1;
    if !several || plan.dry_run {
        return Ok((None, copying.iter().map(|_| None).collect()));
    }
    let spool = Spool::new(plan.limit_rate.as_ref().map(LimitRate::limit))?;
    let readers = copying
        .iter()
        .map(|copies| copies.then(|| spool.reader()))
        .collect();
    Ok((Some(spool), readers))
}

/// The file, read with its size cap and validated whole: no request before this.
/// A relative `caCert` is in the file's folder (the current one for stdin).
fn read_file(args: &SyncArgs) -> Result<SyncFile> {
    let (name, text) = crate::sync::read_text(&args.file)?;
    let dir = match args.file.parent() {
        Some(dir) if args.file.as_os_str() != "-" && !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    Ok(crate::sync::parse(&name, dir, &text, &|variable| {
        std::env::var(variable).ok()
    })?)
}

/// The files of the run's inline `caCert` PEM, in a private temporary folder
/// removed at the end of the run.
#[derive(Default)]
struct Certificates {
    dir: Option<tempfile::TempDir>,
    count: usize,
}

impl Certificates {
    /// `flags` with what the file says of one registry (`tls`) over them.
    fn flags(&mut self, flags: &SideFlags, tls: &Tls) -> Result<SideFlags> {
        let ca_cert = match &tls.ca_cert {
            None => flags.ca_cert.clone(),
            Some(CaCert::File(path)) => Some(path.clone()),
            Some(CaCert::Inline(pem)) => Some(self.write(pem)?),
        };
        Ok(SideFlags {
            ca_cert,
            tls_verify: tls.tls_verify,
            plain_http_set: tls.plain_http,
            ..flags.clone()
        })
    }

    fn write(&mut self, pem: &str) -> Result<std::path::PathBuf> {
        if self.dir.is_none() {
            let dir = crate::fsutil::private_temp_dir_in(&std::env::temp_dir(), "aseecr-ca-")
                .context("cannot create a temporary folder for the sync file's certificates")?;
            self.dir = Some(dir);
        }
        let dir = self.dir.as_ref().expect("made above");
        self.count += 1;
        let path = dir.path().join(format!("ca-{}.pem", self.count));
        std::fs::write(&path, pem).with_context(|| {
            format!(
                "cannot write a certificate of the sync file to `{}`",
                path.display()
            )
        })?;
        Ok(path)
    }
}

/// The tags each image selected: its list, or what its filter keeps of the
/// source's tags (read once per image). An image whose tags cannot be listed
/// fails, for every destination, and is reported here.
async fn select_tags(
    settings: &Settings,
    images: &[Image],
    plan: &MirrorPlan,
) -> Vec<Result<Vec<String>>> {
    let mut sources: HashMap<String, Registry> = HashMap::new();
    let mut selected = Vec::new();
    for image in images {
        let source = &image.source;
        let tags = if image.selection.lists_tags() {
            list_tags(
                settings,
                &mut sources,
                source,
                plan.source_flags(&source.registry),
            )
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
            Err(err) => print_error(&settings.printer, None, err),
        }
        selected.push(tags);
    }
    selected
}

async fn list_tags(
    settings: &Settings,
    sources: &mut HashMap<String, Registry>,
    source: &Reference,
    side: &SideFlags,
) -> Result<Vec<String>> {
    let name = &source.registry;
    if !sources.contains_key(name) {
        let registry = connect::open(settings, name, Side::Source(side))?;
        sources.insert(name.clone(), registry);
    }
    sources[name]
        .tags(&source.repository)
        .await
        .with_context(|| format!("cannot list the tags of `{}`", source.repository_name()))
}

/// How one destination's copies run.
struct Run {
    plan: MirrorPlan,
    json: bool,
    /// Its reads through the spool, when several destinations share one.
    reader: Option<SpoolReader>,
    /// Its progress line among the destinations' (several, on a terminal).
    line: Option<MirrorProgress>,
}

/// One destination: every selected tag of every image it gets, in one `mirror`
/// run. A failure is the destination's result, never the command's error; the
/// second value is the interruption line when Ctrl-C stopped the run.
async fn sync_destination(
    settings: &Settings,
    file: &SyncFile,
    index: usize,
    selected: &[Result<Vec<String>>],
    run: Run,
) -> Result<(json::SyncDestination, Option<String>)> {
    let Run {
        plan,
        json,
        reader,
        line,
    } = run;
    let destination = &file.destinations[index];
    let planned = destination_images(file, index, selected)?;
    let mut report = json::SyncDestination {
        name: destination.name.clone(),
        registry: destination.registry.clone(),
        status: json::Status::Ok,
        items: Vec::new(),
        summary: None,
        error: None,
        prunes: Vec::new(),
    };
    let prunes = file
        .images
        .iter()
        .any(|image| image.prune.is_some() && image.destinations.contains(&index));
    if planned.is_empty() && !prunes {
        return Ok((report, None));
    }
    let mut settings = settings.clone();
    if let Some(credentials) = &destination.credentials {
        settings.username = Some(credentials.username.clone());
        settings.password = credentials.password.clone();
    }
    let settings = &settings;
    let who = format!(
        "{} ({})",
        terminal_safe_name(&destination.name),
        destination.registry
    );
    settings.printer.status(format!(
        "{who}: {} image{}",
        planned.len(),
        if planned.len() == 1 { "" } else { "s" }
    ));
    let mut stop = None;
    if !planned.is_empty() {
        let pairs: Vec<(String, String)> = planned
            .iter()
            .map(|(s, d)| (s.to_string(), d.to_string()))
            .collect();
        let copied = copy(settings, &plan, reader.as_ref(), line, planned).await;
        // What this destination would still read from the spool is freed.
        drop(reader);
        match copied {
            Ok(mut mirrored) => {
                // Read as `tags` and `mirror --all-tags` list them, not in
                // the order the copies finished in.
                in_version_order(&mut mirrored.images);
                if !json {
                    print_text(&settings.printer, &mirrored, true)?;
                }
                stop = interruption_line(&mirrored);
                let json::MirrorReport { items, summary, .. } = mirror_json(&mirrored);
                report.items = items;
                if summary.counts.failed > 0 {
                    report.status = json::Status::Failed;
                }
                report.summary = Some(summary);
            }
            Err(err) => {
                print_error(&settings.printer, Some(&who), &err);
                fail_every_copy(&mut report, pairs, &err);
                return Ok((report, None));
            }
        }
    }
    if prunes && stop.is_none() {
        let lines = (!json).then_some(who.as_str());
        report.prunes =
            prune_destination(settings, file, index, selected, &report.items, &plan, lines).await;
        if report
            .prunes
            .iter()
            .any(|p| p.status == json::Status::Failed)
        {
            report.status = json::Status::Failed;
        }
    }
    Ok((report, stop))
}

/// Every (source, destination) image destination `index` gets: each selected
/// tag of each image that goes there.
fn destination_images(
    file: &SyncFile,
    index: usize,
    selected: &[Result<Vec<String>>],
) -> Result<Vec<(Reference, Reference)>> {
    let destination = &file.destinations[index];
    let mut planned = Vec::new();
    for (image, tags) in file.images.iter().zip(selected) {
        let Ok(tags) = tags else { continue };
        if !image.destinations.contains(&index) {
            continue;
        }
        let repository = image
            .source
            .moved_to(&destination.registry, image.destination_repository())?;
        for tag in tags {
            planned.push((image.source.with_tag(tag), repository.with_tag(tag)));
        }
    }
    Ok(planned)
}

/// One destination's copies: its images mirrored through the spool the
/// destinations share, or straight from the sources.
async fn copy(
    settings: &Settings,
    plan: &MirrorPlan,
    reader: Option<&SpoolReader>,
    line: Option<MirrorProgress>,
    planned: Vec<(Reference, Reference)>,
) -> Result<mirror::Mirrored> {
    let reporter = TextReporter::new(settings.printer, Shown::Line(Box::new(Mutex::new(line))));
    let reads = reader.map_or(SourceReads::Direct, SourceReads::Spooled);
    mirror::mirror_images(settings, plan, planned, reads, &reporter).await
}

/// A destination that failed before any copy: each of its images failed with
/// its error.
fn fail_every_copy(
    report: &mut json::SyncDestination,
    pairs: Vec<(String, String)>,
    err: &anyhow::Error,
) {
    let body = error_json(err);
    report.status = json::Status::Failed;
    report.items = pairs
        .into_iter()
        .map(|(source, destination)| json::MirrorItem {
            source,
            destination,
            status: json::Status::Failed,
            copy: None,
            verification: None,
            error: Some(body.clone()),
        })
        .collect();
    report.error = Some(body);
}

/// The `prune` policies of the images that go to destination `index`, after
/// its copies: one entry per repository. A repository is skipped when a copy
/// to it failed, when the tags the file selects for it are unknown (a
/// source's tags could not be listed), or when it selects none: what to keep
/// would be unknown, or nothing. `lines`: print what happens on stderr, each
/// line led by this.
async fn prune_destination(
    settings: &Settings,
    file: &SyncFile,
    index: usize,
    selected: &[Result<Vec<String>>],
    items: &[json::MirrorItem],
    plan: &MirrorPlan,
    lines: Option<&str>,
) -> Vec<json::SyncPrune> {
    let name = &file.destinations[index].registry;
    // No warning about TLS here: the mirror run said it for this registry.
    let registry = connect::reopen(settings, name, Side::Destination(&plan.destination));
    let mut out = Vec::new();
    for image in &file.images {
        let Some(prune) = image
            .prune
            .as_ref()
            .filter(|_| image.destinations.contains(&index))
        else {
            continue;
        };
        let repository = image.destination_repository();
        let mut entry = json::SyncPrune {
            repository: repository.to_owned(),
            status: json::Status::Skipped,
            items: Vec::new(),
            kept: Vec::new(),
            freed: None,
            reason: None,
            error: None,
        };
        let mut protected = BTreeSet::new();
        let mut unlisted = None;
        for (other, tags) in file.images.iter().zip(selected) {
            if other.destinations.contains(&index) && other.destination_repository() == repository {
                match tags {
                    Ok(tags) => protected.extend(tags.iter().cloned()),
                    Err(_) => unlisted = Some(other.source.repository_name()),
                }
            }
        }
        let prefix = format!("{name}/{repository}:");
        if let Some(source) = unlisted {
            entry.reason = Some(format!(
                "the tags of `{source}` could not be listed, so which tags the file keeps is unknown"
            ));
        } else if items
            .iter()
            .any(|i| i.status == json::Status::Failed && i.destination.starts_with(&prefix))
        {
            entry.reason = Some("a copy to the repository failed".to_owned());
        } else if protected.is_empty() {
            // A selection that matched nothing (or a source that listed no
            // tags) would leave nothing to keep: the whole repository would go.
            entry.reason =
                Some("the file selects no tag for it, so the prune would keep none".to_owned());
        } else {
            let fail = |entry: &mut json::SyncPrune, err: &anyhow::Error| {
                if let Some(who) = lines {
                    let what = format!("{who}: cannot prune `{repository}`");
                    print_error(&settings.printer, Some(&what), err);
                }
                entry.status = json::Status::Failed;
                entry.error = Some(error_json(err));
            };
            match &registry {
                Ok(registry) => {
                    let target = Target {
                        registry,
                        repository,
                        dry_run: plan.dry_run,
                        lines,
                    };
                    match prune_repository(settings, &target, prune, protected).await {
                        Ok(pruned) => entry = pruned,
                        Err(err) => fail(&mut entry, &err),
                    }
                }
                // The client could not be made: its error, kind and help kept.
                Err(err) => fail(&mut entry, err),
            }
        }
        if let (Some(who), Some(reason)) = (lines, &entry.reason) {
            settings
                .printer
                .warn(format!("{who}: not pruning `{repository}`: {reason}"));
        }
        out.push(entry);
    }
    out
}

/// Where one prune happens.
struct Target<'a> {
    registry: &'a Registry,
    repository: &'a str,
    dry_run: bool,
    /// Print what happens on stderr, each line led by this.
    lines: Option<&'a str>,
}

/// One repository's prune at a destination: read it, plan by the policy
/// (never removing `protected` tags), and carry the plan out unless this is a
/// dry run. A repository that does not exist has nothing to prune. An error
/// after the actions ran is the entry's, with its items.
async fn prune_repository(
    settings: &Settings,
    target: &Target<'_>,
    prune: &Prune,
    protected: BTreeSet<String>,
) -> Result<json::SyncPrune> {
    let record = ReplacedRecord::in_dir(settings.config_dir.dir());
    let recorded: Vec<String> = if prune.untagged {
        record
            .list(target.registry.name())?
            .into_iter()
            .filter(|entry| entry.repository == target.repository)
            .map(|entry| entry.digest)
            .collect()
    } else {
        Vec::new()
    };
    let inventories = [read_repository(target, &recorded).await?];
    let policy = cleanup::Policy::of_sync(
        prune,
        chrono::Utc::now().timestamp(),
        protected,
        recorded.iter().cloned().collect(),
    );
    let plans = BTreeMap::from([(
        target.repository.to_owned(),
        cleanup::plan(&inventories[0], &policy),
    )]);
    let mut outcomes: Vec<Outcome> = cleanup::outcomes(&plans);
    let mut error = None;
    if !target.dry_run && !outcomes.is_empty() {
        let (registry, repository) = (target.registry, target.repository);
        cleanup::check_deletion(registry, repository, "nothing was pruned").await?;
        error = cleanup::apply(registry, &inventories, &plans, &mut outcomes)
            .await
            .err();
    }
    if !target.dry_run && !recorded.is_empty() {
        let recorded = BTreeMap::from([(target.repository.to_owned(), recorded)]);
        let forget = cleanup::settled(&recorded, &inventories, &outcomes);
        if let Err(err) = record.forget(target.registry.name(), &forget) {
            settings.printer.warn(format!(
                "cannot update aseecr's record of untagged images: {err:#}"
            ));
        }
    }
    if let Some(who) = target.lines {
        print_prune(
            settings,
            who,
            target,
            &inventories,
            &outcomes,
            error.as_ref(),
        );
    }
    let freed = cleanup::freed_by(&inventories, &outcomes, target.dry_run, false);
    let failed = error.is_some() || outcomes.iter().any(|o| o.error.is_some());
    Ok(json::SyncPrune {
        repository: target.repository.to_owned(),
        status: match (failed, target.dry_run) {
            (true, _) => json::Status::Failed,
            (false, true) => json::Status::Planned,
            (false, false) => json::Status::Done,
        },
        items: prune_items_json(&inventories, &outcomes, target.dry_run),
        kept: prune_kept_json(&plans),
        freed: Some(freed.into()),
        reason: None,
        error: error.as_ref().map(error_json),
    })
}

/// The repository's inventory, with the `recorded` untagged digests; empty
/// when the repository does not exist.
async fn read_repository(target: &Target<'_>, recorded: &[String]) -> Result<Inventory> {
    let repository = target.repository;
    match target.registry.inventory_with(repository, recorded).await {
        Ok(inventory) => Ok(inventory),
        Err(err) if error_kind(&err) == Kind::RepositoryNotFound => Ok(Inventory {
            repository: repository.to_owned(),
            tags: Vec::new(),
            manifests: BTreeMap::new(),
        }),
        Err(err) => Err(err),
    }
}

/// Each action of a prune on stderr, led by `who`, and its error.
fn print_prune(
    settings: &Settings,
    who: &str,
    target: &Target<'_>,
    inventories: &[Inventory],
    outcomes: &[Outcome],
    error: Option<&anyhow::Error>,
) {
    let printer = &settings.printer;
    let registry = target.registry.name();
    for item in outcomes {
        match &item.error {
            None => printer.status(format!(
                "{who}: {}{}",
                if target.dry_run { "would " } else { "" },
                prune_action_line(registry, inventories, item)
            )),
            Some(err) => {
                let what = format!("{who}: {}", cleanup::describe(registry, item));
                print_error(printer, Some(&what), err);
            }
        }
    }
    if let Some(err) = error {
        print_error(printer, Some(who), err);
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
    let pruned = || destinations.iter().flat_map(|d| &d.prunes);
    let actions = || pruned().flat_map(|p| &p.items);
    let mut counts = json::BatchCounts::of(
        items()
            .map(|item| &item.error)
            .chain(actions().map(|item| &item.error)),
    );
    let unlisted = images.iter().filter(|i| i.error.is_some()).count();
    // A prune that failed before any action is one failed item.
    let prunes_failed = pruned()
        .filter(|p| p.items.is_empty() && p.error.is_some())
        .count();
    counts.total += unlisted + prunes_failed;
    counts.failed += unlisted + prunes_failed;
    let count = |status: json::Status| items().filter(|item| item.status == status).count();
    let planned = count(json::Status::Planned);
    let went = || actions().filter(|a| a.status != json::Status::Failed);
    let pruned_images = went()
        .filter(|a| a.action == json::PruneAction::Delete)
        .count();
    let pruned_tags = went()
        .filter(|a| a.action == json::PruneAction::Untag)
        .map(|a| a.tags.len())
        .sum();
    let prune_pending = actions().any(|a| a.status == json::Status::Planned);
    let referrers_to_copy = items()
        .filter_map(|item| item.copy.as_ref())
        .flat_map(|copy| &copy.referrers)
        .filter(|r| r.status == "would-copy")
        .count();
    let summary = json::SyncSummary {
        counts,
        destination_count: destinations.len(),
        destinations_failed: destinations
            .iter()
            .filter(|d| d.status == json::Status::Failed)
            .count(),
        copied: count(json::Status::Copied),
        up_to_date: count(json::Status::UpToDate),
        planned,
        pruned_images,
        pruned_tags,
        referrers_to_copy,
        changes_pending: planned > 0 || referrers_to_copy > 0 || prune_pending,
    };
    json::SyncReport {
        dry_run,
        destinations,
        images,
        summary,
    }
}

/// What one image came to at one destination, in one word.
/// `prunes`: the image has a `prune` policy (then its repository's prune is
/// told: `pruned N` actions, `would prune N`, `prune failed`, `prune skipped`).
fn cell(
    image: &json::SyncImage,
    destination: Option<&json::SyncDestination>,
    name: &str,
    prunes: bool,
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
    let items: Vec<&json::MirrorItem> = destination
        .items
        .iter()
        .filter(|item| {
            item.destination
                .strip_prefix(&prefix)
                .is_some_and(|tag| image.tags.iter().any(|t| t == tag))
        })
        .collect();
    let statuses: Vec<json::Status> = items.iter().map(|item| item.status).collect();
    // An image there whose referrers are not all there is not in sync.
    let referrers_missing = items
        .iter()
        .filter_map(|item| item.copy.as_ref())
        .flat_map(|copy| &copy.referrers)
        .any(|r| r.status == "would-copy");
    let any = |status: json::Status| statuses.contains(&status);
    let copies = if any(json::Status::Failed) {
        "failed"
    } else if any(json::Status::Copied) {
        "copied"
    } else if any(json::Status::Planned) {
        "would copy"
    } else if referrers_missing {
        "would copy referrers"
    } else {
        "up-to-date"
    };
    let Some(pruned) = destination
        .prunes
        .iter()
        .find(|p| p.repository == image.repository)
        .filter(|_| prunes)
    else {
        return copies.to_owned();
    };
    let n = pruned.items.len();
    match pruned.status {
        json::Status::Skipped => format!("{copies}, prune skipped"),
        json::Status::Failed => format!("{copies}, prune failed"),
        _ if n == 0 => copies.to_owned(),
        json::Status::Planned => format!("{copies}, would prune {n}"),
        _ => format!("{copies}, pruned {n}"),
    }
}

/// The destination x image table: one row per image (its source and tag count),
/// one column per destination.
fn table(file: &SyncFile, report: &json::SyncReport) -> Vec<String> {
    let names: Vec<&str> = file.destinations.iter().map(|d| d.name.as_str()).collect();
    let mut rows: Vec<Vec<String>> = vec![
        std::iter::once("IMAGE".to_owned())
            .chain(names.iter().map(|n| terminal_safe_name(n).into_owned()))
            .collect(),
    ];
    for (image, entry) in report.images.iter().zip(&file.images) {
        let tags = image.tags.len();
        let mut row = vec![format!(
            "{} ({tags} tag{})",
            image.source,
            if tags == 1 { "" } else { "s" }
        )];
        for name in &names {
            let destination = report.destinations.iter().find(|d| d.name == *name);
            row.push(cell(image, destination, name, entry.prune.is_some()));
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
        s.destination_count,
        if s.destination_count == 1 { "" } else { "s" }
    );
    let mut parts = Vec::new();
    if report.dry_run {
        parts.push(format!("{} to copy", s.planned));
    } else {
        parts.push(format!("{} copied", s.copied));
    }
    parts.push(format!("{} up to date", s.up_to_date));
    if s.referrers_to_copy > 0 {
        parts.push(format!(
            "{} referrer{} to copy",
            s.referrers_to_copy,
            if s.referrers_to_copy == 1 { "" } else { "s" }
        ));
    }
    if s.pruned_images + s.pruned_tags > 0 {
        let images = format!(
            "{} image{}",
            s.pruned_images,
            if s.pruned_images == 1 { "" } else { "s" }
        );
        let tags = format!(
            "{} tag{}",
            s.pruned_tags,
            if s.pruned_tags == 1 { "" } else { "s" }
        );
        parts.push(if report.dry_run {
            format!("{images} to delete and {tags} to remove by prune")
        } else {
            format!("{images} deleted and {tags} removed by prune")
        });
    }
    if s.counts.failed > 0 {
        parts.push(format!("{} failed (errors above)", s.counts.failed));
    }
    // A check where something failed knows nothing of what failed: never
    // "up to date" (and exit 1 over 10).
    let head = match (
        report.dry_run,
        check,
        s.counts.failed > 0,
        s.changes_pending,
    ) {
        (true, true, true, _) => "check failed",
        (true, true, false, true) => "changes pending",
        (true, true, false, false) => "up to date",
        (true, false, _, _) => "dry run, nothing written",
        (false, _, _, _) => "synced",
    };
    format!("{head}: {destinations}: {}", parts.join(", "))
}
