//! `aseecr mirror`: copy images from any registry to the edge registry, and
//! between registries and OCI layouts (`oci:DIR`, `oci-archive:FILE`): a layout
//! source is read through the copy engine's `Source`; a layout destination is
//! written by `layout::write::Writer` instead of the engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::stream::{self, StreamExt};

use super::{ExitStatus, credentials_for, error_json};
use crate::cli::{Format, MirrorArgs};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::layout::write::Writer;
use crate::layout::{Layout, Location, Transport};
use crate::output::human_bytes;
use crate::output::json;
use crate::output::progress::{DestinationLines, MirrorProgress};
use crate::records::{ReplacedDigest, ReplacedRecord};
use crate::registry::copy::{
    CopyOptions, Engine, ImageReport, Interrupted, Job, Platform, Replaced, Source, is_interrupted,
};
use crate::registry::rate::RateLimit;
use crate::registry::{ConnectOptions, Deleted};
use crate::registry::{Reference, Registry};
use crate::settings::{DefaultPlatform, Settings, platform_choice};
use crate::spool::Spool;

/// Images copied at once (their blobs share the `--jobs` limit).
const IMAGE_CONCURRENCY: usize = 4;
/// After Ctrl-C, how long transfers may take to end their uploads cleanly before
/// the sessions still open are cancelled from outside.
const INTERRUPT_DRAIN: Duration = Duration::from_secs(10);
/// Where the upload sessions of large blobs are kept for the next run, in the
/// configuration folder.
const UPLOADS_DIR: &str = "uploads";

/// Where images come from, as typed.
#[derive(Debug, Clone)]
enum SourceSpec {
    Registry(Reference),
    Layout(Location),
}

/// A source ready to copy from: a registry reference, or an image of an open
/// layout (with the reference the engine reads it by).
#[derive(Clone)]
pub(crate) enum Src {
    Registry(Reference),
    Layout(Arc<Layout>, Reference),
}

impl Src {
    fn reference(&self) -> &Reference {
        match self {
            Src::Registry(reference) | Src::Layout(_, reference) => reference,
        }
    }

    fn describe(&self) -> String {
        match self {
            Src::Registry(reference) => reference.to_string(),
            Src::Layout(layout, reference) => layout.describe(reference),
        }
    }
}

/// One line of work before tags are expanded: a source and where it goes.
#[derive(Debug, Clone)]
struct Pair {
    source: SourceSpec,
    /// The destination as given (`None`: mapped to the default registry).
    destination: Option<String>,
}

/// The outcome of one run: every image in order, and the time taken.
pub(crate) struct Mirrored {
    dry_run: bool,
    images: Vec<ImageOutcome>,
    seconds: f64,
    /// Set when Ctrl-C stopped the run.
    interruption: Option<Interruption>,
}

/// What Ctrl-C stopped, and what was cleaned up.
struct Interruption {
    /// Upload sessions cancelled at the destination.
    uploads_cancelled: usize,
    /// Upload sessions of large blobs kept for the rerun to continue.
    uploads_kept: usize,
    /// A second Ctrl-C: stopped at once, without cancelling what was still open.
    at_once: bool,
    /// Into a layout (`oci:DIR`, `oci-archive:FILE`): no upload sessions, and an
    /// archive, written whole at the end, not written at all.
    layout: Option<LayoutStop>,
}

/// Where an interrupted run into a layout was writing.
#[derive(Debug)]
enum LayoutStop {
    /// `oci:DIR`: the images it names are whole there.
    Dir(String),
    /// `oci-archive:FILE` or `docker-archive:FILE`: not written.
    Archive(String),
}

/// One image: its report, or the error that stopped it.
struct ImageOutcome {
    source: String,
    destination: String,
    result: Result<ImageReport>,
    /// What became of the digest the destination tag pointed at before, when
    /// the copy moved it (not in a dry run).
    cleanup: Option<Cleanup>,
}

/// What became of a digest a moved tag left behind.
#[derive(Debug, Default)]
struct Cleanup {
    /// Deleted by `--prune-replaced` (or found already gone).
    pruned: bool,
    /// Manifests deleted: the replaced one and the entries of a replaced index
    /// that no tag reaches.
    manifests_deleted: usize,
    /// With `--prune-replaced`: the tags that still reach it, why it stayed.
    in_use_by: Vec<String>,
    /// Added to the local record of replaced digests.
    recorded: bool,
    /// Why `--prune-replaced` could not delete it (deletion disabled included).
    error: Option<anyhow::Error>,
}

impl Mirrored {
    fn ok(&self) -> impl Iterator<Item = &ImageReport> + Clone {
        self.images.iter().filter_map(|i| i.result.as_ref().ok())
    }

    pub(crate) fn failed(&self) -> usize {
        self.images.iter().filter(|i| i.result.is_err()).count()
    }

    /// The one line that says what an interrupted run did, if it was interrupted.
    pub(crate) fn interruption_line(&self) -> Option<String> {
        let stop = self.interruption.as_ref()?;
        let total = self.images.len();
        let done = total - self.failed();
        let images = format!(
            "{done} of {total} image{} mirrored",
            if total == 1 { "" } else { "s" }
        );
        let uploads = if let Some(layout) = &stop.layout {
            return Some(match layout {
                LayoutStop::Dir(dir) => format!(
                    "interrupted: {images} into `{dir}`; run the same command again to continue"
                ),
                LayoutStop::Archive(archive) => format!(
                    "interrupted: {images}, `{archive}` not written; run the same command again to continue"
                ),
            });
        } else if stop.at_once {
            "stopped at once, open uploads left to the registry's purging".to_owned()
        } else {
            let n = stop.uploads_cancelled;
            let mut uploads = format!("{n} upload{} cancelled", if n == 1 { "" } else { "s" });
            if stop.uploads_kept > 0 {
                uploads.push_str(&format!(", {} kept to continue", stop.uploads_kept));
            }
            uploads
        };
        Some(format!(
            "interrupted: {images}, {uploads}; run the same command again to continue"
        ))
    }

    fn up_to_date(&self) -> usize {
        self.ok().filter(|r| r.status == "up-to-date").count()
    }

    fn blobs_copied(&self) -> usize {
        self.ok().map(|r| r.blobs_copied).sum()
    }

    fn bytes_copied(&self) -> u64 {
        self.ok().map(|r| r.bytes_copied).sum()
    }

    /// Digests that moved tags left behind, and their known bytes.
    fn replaced(&self) -> (usize, u64) {
        let replaced: Vec<&Replaced> = self.ok().filter_map(|r| r.replaced.as_ref()).collect();
        (replaced.len(), replaced.iter().filter_map(|r| r.size).sum())
    }

    fn pruned(&self) -> usize {
        self.images
            .iter()
            .filter(|i| i.cleanup.as_ref().is_some_and(|c| c.pruned))
            .count()
    }

    /// The wire format (README, "JSON output").
    pub(crate) fn to_json(&self) -> json::MirrorReport {
        let items: Vec<json::MirrorItem> = self
            .images
            .iter()
            .map(|image| match &image.result {
                Ok(report) => json::MirrorItem {
                    source: image.source.clone(),
                    destination: image.destination.clone(),
                    status: report.status,
                    copy: Some(json::MirrorCopy {
                        source_digest: report.source_digest.clone(),
                        destination_digest: report.destination_digest.clone(),
                        digest_changed: report.digest_changed,
                        blobs_copied: report.blobs_copied,
                        blobs_present: report.blobs_present,
                        blobs_mounted: report.blobs_mounted,
                        bytes_copied: report.bytes_copied,
                        blobs_to_copy: report.blobs_to_copy,
                        bytes_to_copy: report.bytes_to_copy,
                        manifests_pushed: report.manifests_pushed,
                        repaired: report.repaired,
                        skipped_foreign: report.skipped_foreign.clone(),
                        replaced: report.replaced.as_ref().map(|replaced| {
                            let cleanup = image.cleanup.as_ref();
                            json::MirrorReplaced {
                                digest: replaced.digest.clone(),
                                size: replaced.size,
                                pruned: cleanup.is_some_and(|c| c.pruned),
                                manifests_deleted: cleanup.map_or(0, |c| c.manifests_deleted),
                                in_use_by: cleanup.map(|c| c.in_use_by.clone()).unwrap_or_default(),
                                recorded: cleanup.is_some_and(|c| c.recorded),
                                error: cleanup.and_then(|c| c.error.as_ref()).map(error_json),
                            }
                        }),
                    }),
                    error: None,
                },
                Err(err) => json::MirrorItem {
                    source: image.source.clone(),
                    destination: image.destination.clone(),
                    status: "failed",
                    copy: None,
                    error: Some(error_json(err)),
                },
            })
            .collect();
        json::MirrorReport {
            dry_run: self.dry_run,
            summary: json::MirrorSummary {
                counts: json::BatchCounts::of(items.iter().map(|item| &item.error)),
                up_to_date: self.up_to_date(),
                blobs_copied: self.blobs_copied(),
                blobs_present: self.ok().map(|r| r.blobs_present).sum(),
                blobs_mounted: self.ok().map(|r| r.blobs_mounted).sum(),
                bytes_copied: self.bytes_copied(),
                replaced: self.replaced().0,
                pruned: self.pruned(),
                seconds: self.seconds,
            },
            items,
        }
    }
}

/// How to mirror: everything of `aseecr mirror` but the image list and the
/// output format; also what `k8s relocate --mirror` uses ([`Default`] agrees
/// with the command line's defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MirrorOptions {
    /// Copy only these platforms (`os/arch[/variant]`) of a multi-platform image
    /// (`all`: every one; none given: the default platform, if one is set).
    pub platforms: Vec<String>,
    /// Copy every tag of each source repository.
    pub all_tags: bool,
    /// Copy the tags of each source repository that match this regular expression.
    pub tags: Option<String>,
    /// Blobs copied at once.
    pub jobs: u16,
    /// Plan only; write nothing.
    pub dry_run: bool,
    /// `--limit-rate`: bytes per second read from the sources, as given.
    pub limit_rate: Option<String>,
    /// Copy foreign (non-distributable) layers too.
    pub include_nondistributable: bool,
    /// Delete the digest a moved tag pointed at before, when no tag uses it.
    pub prune_replaced: bool,
    pub source: SideOptions,
    pub destination: SideOptions,
}

/// Connection options for one side, on top of the remembered and global ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SideOptions {
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub plain_http: bool,
}

impl SideOptions {
    /// The `--src-*` flags.
    pub(crate) fn source(args: &crate::cli::SideArgs) -> SideOptions {
        SideOptions {
            ca_cert: args.src_ca_cert.clone(),
            insecure: args.src_insecure,
            plain_http: args.src_plain_http,
        }
    }

    /// The `--dst-*` flags.
    pub(crate) fn destination(args: &crate::cli::SideArgs) -> SideOptions {
        SideOptions {
            ca_cert: args.dst_ca_cert.clone(),
            insecure: args.dst_insecure,
            plain_http: args.dst_plain_http,
        }
    }
}

/// `--jobs` when not given.
const DEFAULT_JOBS: u16 = 8;

impl Default for MirrorOptions {
    fn default() -> Self {
        MirrorOptions {
            platforms: Vec::new(),
            all_tags: false,
            tags: None,
            jobs: DEFAULT_JOBS,
            dry_run: false,
            limit_rate: None,
            include_nondistributable: false,
            prune_replaced: false,
            source: SideOptions::default(),
            destination: SideOptions::default(),
        }
    }
}

impl MirrorOptions {
    fn from_args(args: &MirrorArgs) -> MirrorOptions {
        MirrorOptions {
            platforms: args.platforms.clone(),
            all_tags: args.all_tags,
            tags: args.tags.clone(),
            jobs: args.jobs,
            dry_run: args.dry_run,
            limit_rate: args.limit_rate.clone(),
            include_nondistributable: args.include_nondistributable,
            prune_replaced: args.prune_replaced,
            source: SideOptions::source(&args.sides),
            destination: SideOptions::destination(&args.sides),
        }
    }

    /// The platforms (given, else the default), the tag filter and the rate limit, checked.
    fn parse(
        &self,
        default_platform: Option<&DefaultPlatform>,
    ) -> Result<(Vec<Platform>, Option<regex::Regex>, Option<RateLimit>)> {
        let platforms = platform_choice(&self.platforms, default_platform)?;
        let tag_filter = self
            .tags
            .as_deref()
            .map(|re| {
                regex::Regex::new(re).map_err(|err| {
                    Error::usage(format!("invalid --tags regular expression `{re}`: {err}"))
                })
            })
            .transpose()?;
        let limit_rate = self
            .limit_rate
            .as_deref()
            .map(RateLimit::parse)
            .transpose()?;
        Ok((platforms, tag_filter, limit_rate.map(RateLimit::new)))
    }
}

pub async fn run(args: MirrorArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = MirrorOptions::from_args(&args);
    // Bad input changes nothing: check it all before any network traffic.
    let (_, tag_filter, _) = options.parse(settings.default_platform.as_ref())?;
    if let Some(default) = settings
        .default_platform
        .as_ref()
        .filter(|d| args.platforms.is_empty() && d.value != crate::settings::ALL_PLATFORMS)
    {
        settings.printer.status(format!(
            "copying only `{}` of multi-platform images (the default platform, from {}); `--platform all` copies every platform",
            default.value, default.origin
        ));
    }
    let destinations = destinations(&args)?;
    let targets: Vec<Option<&str>> = if destinations.is_empty() {
        vec![None]
    } else {
        destinations.iter().map(|d| Some(d.as_str())).collect()
    };
    let by_tags = options.all_tags || options.tags.is_some();
    // Layout sources are opened once here and expanded to their images: each
    // image's name says where it goes.
    let mut layouts: HashMap<PathBuf, Arc<Layout>> = HashMap::new();
    let mut expanded_per_destination = Vec::new();
    let mut layout_to = None;
    for to in &targets {
        let pairs = read_pairs(&args, *to)?;
        if pairs.is_empty() {
            return Err(Error::usage("nothing to mirror: no source image given")
                .help("aseecr mirror SRC [DST], or list `SRC [DST]` lines in a file with -f FILE")
                .into());
        }
        if targets.len() > 1
            && let Some(named) = pairs.iter().find(|p| {
                p.destination.as_deref().map(|d| d.trim_end_matches('/'))
                    != to.map(|t| t.trim_end_matches('/'))
            })
        {
            return Err(Error::usage(format!(
                "`{}` names its own destination, but the run copies to {} registries",
                named.destination.as_deref().unwrap_or_default(),
                targets.len()
            ))
            .help("with several --to, list sources only (`SRC` lines)")
            .into());
        }
        layout_to = layout_destination(&pairs)?;
        let expanded = expand(settings, &pairs, by_tags, tag_filter.as_ref(), &mut layouts).await?;
        expanded_per_destination.push(expanded);
    }
    let json = args.format.format == Format::Json;
    let mut run_settings = settings.clone();
    if json {
        run_settings.printer = run_settings.printer.without_progress();
    }
    let mirrored = match layout_to {
        Some(location) => {
            let expanded = expanded_per_destination.remove(0);
            mirror_to_layout(&run_settings, expanded, &location, &options).await?
        }
        None => {
            let mut planned_per_destination = Vec::new();
            for expanded in &expanded_per_destination {
                let mut planned = Vec::new();
                for (source, destination) in expanded {
                    // Registry sources with --all-tags are expanded later, by tag.
                    let by_tags = by_tags && matches!(source, Src::Registry(_));
                    let destination = map_destination(
                        settings,
                        args.prefix.as_deref(),
                        by_tags,
                        source,
                        destination.as_deref(),
                    )?;
                    planned.push((source.clone(), destination));
                }
                planned_per_destination.push(planned);
            }
            if planned_per_destination.len() == 1 {
                let planned = planned_per_destination.remove(0);
                mirror_sources(&run_settings, planned, &options, None, None).await?
            } else {
                mirror_fanout(&run_settings, planned_per_destination, &options).await?
            }
        }
    };
    if json {
        settings.printer.json(&mirrored.to_json())?;
        if let Some(line) = mirrored.interruption_line() {
            settings.printer.status(line);
        }
    } else {
        print_text(settings, &mirrored, false)?;
    }
    Ok(if mirrored.interruption.is_some() {
        ExitStatus::Interrupted
    } else if mirrored.failed() > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Each pair's source, a layout's expanded to its images (opened once per run).
async fn expand(
    settings: &Settings,
    pairs: &[Pair],
    by_tags: bool,
    tag_filter: Option<&regex::Regex>,
    layouts: &mut HashMap<PathBuf, Arc<Layout>>,
) -> Result<Vec<(Src, Option<String>)>> {
    let mut expanded = Vec::new();
    for pair in pairs {
        match &pair.source {
            SourceSpec::Registry(reference) => {
                expanded.push((Src::Registry(reference.clone()), pair.destination.clone()));
            }
            SourceSpec::Layout(location) => {
                let key = location.path.clone();
                let layout = match layouts.get(&key) {
                    Some(layout) => layout.clone(),
                    None => {
                        let layout = Arc::new(Layout::open(location).await?);
                        layouts.insert(key, layout.clone());
                        layout
                    }
                };
                let names = match (&location.name, by_tags) {
                    (Some(name), false) => vec![name.clone()],
                    (None, false) => vec![layout.only_name()?],
                    (_, true) => {
                        let (untagged, names): (Vec<String>, Vec<String>) = layout
                            .names()
                            .into_iter()
                            .partition(|n| layout.is_untagged(n));
                        for name in untagged {
                            settings.printer.warn(format!(
                                "skipped {name} of `{0}`: it has no RepoTag (mirror it by itself: `{0}:{name} REGISTRY/REPOSITORY:TAG`)",
                                layout.name()
                            ));
                        }
                        let names: Vec<String> = names
                            .into_iter()
                            .filter(|n| {
                                tag_filter
                                    .is_none_or(|re| re.is_match(&crate::layout::split_name(n).1))
                            })
                            .collect();
                        if names.is_empty() {
                            settings.printer.warn(format!(
                                "`{}` names no image{}",
                                layout.name(),
                                if tag_filter.is_some() {
                                    " matching --tags"
                                } else {
                                    ""
                                }
                            ));
                        }
                        names
                    }
                };
                for name in names {
                    let reference = crate::layout::reference(&layout, &name);
                    expanded.push((
                        Src::Layout(layout.clone(), reference),
                        pair.destination.clone(),
                    ));
                }
            }
        }
    }
    Ok(expanded)
}

/// The layout every destination names, or None when they are registries; a
/// run writes into one layout or one registry.
fn layout_destination(pairs: &[Pair]) -> Result<Option<Location>> {
    let mut found: Option<Location> = None;
    let mut registries = false;
    for pair in pairs {
        match pair.destination.as_deref().and_then(Location::parse) {
            Some(location) => {
                let location = location?;
                if let Some(first) = &found
                    && first.base() != location.base()
                {
                    return Err(Error::usage(format!(
                        "one run writes into one layout, but destinations name `{}` and `{}`",
                        first.base(),
                        location.base()
                    ))
                    .help("run aseecr mirror once per destination")
                    .into());
                }
                if found.is_some() && location.name.is_some() {
                    return Err(Error::usage(format!(
                        "`{location}` names one image, but several sources go there"
                    ))
                    .help(format!(
                        "leave the name out (`{}`): each image is named REPOSITORY:TAG",
                        location.base()
                    ))
                    .into());
                }
                found = Some(location);
            }
            None => registries = true,
        }
    }
    if found.is_some() && registries {
        return Err(Error::usage(
            "one run writes into one layout or one registry, but destinations name both",
        )
        .help("run aseecr mirror once per destination")
        .into());
    }
    Ok(found)
}

/// Copy sources (registries or layout images) into one layout: its blobs once,
/// each image named in `index.json`. An archive is written whole at the end
/// (with the images that were copied), or not at all when the run is stopped.
async fn mirror_to_layout(
    settings: &Settings,
    expanded: Vec<(Src, Option<String>)>,
    location: &Location,
    options: &MirrorOptions,
) -> Result<Mirrored> {
    let started = Instant::now();
    let (platforms, tag_filter, limit_rate) = options.parse(settings.default_platform.as_ref())?;
    let printer = &settings.printer;
    let mut registries: HashMap<String, Arc<Registry>> = HashMap::new();
    // (source, reference to read, name in the layout)
    let mut jobs: Vec<(Arc<dyn Source>, Reference, String)> = Vec::new();
    let single_name = |reference: &Reference| -> Result<String> {
        let tag = reference
            .tag_or_default()
            .filter(|_| reference.digest.is_none() || reference.tag.is_some());
        match (&location.name, tag) {
            (Some(name), _) => Ok(name.clone()),
            (None, Some(tag)) => Ok(format!("{}:{tag}", reference.repository)),
            (None, None) => Err(Error::usage(format!(
                "`{reference}` has no tag to name it by in `{}`",
                location.base()
            ))
            .help(format!("name it: `{}:NAME`", location.base()))
            .into()),
        }
    };
    for (source, _) in expanded {
        match source {
            Src::Registry(reference) => {
                let registry = match registries.get(&reference.registry) {
                    Some(registry) => registry.clone(),
                    None => {
                        let side = side_options(settings, &reference.registry, &options.source);
                        let registry = Arc::new(open(settings, &reference.registry, side, false)?);
                        registries.insert(reference.registry.clone(), registry.clone());
                        registry
                    }
                };
                if options.all_tags || tag_filter.is_some() {
                    let tags = registry.tags(&reference.repository).await?;
                    for tag in tags
                        .into_iter()
                        .filter(|t| tag_filter.as_ref().is_none_or(|re| re.is_match(t)))
                    {
                        let from = reference.with_tag(&tag);
                        let name = format!("{}:{tag}", reference.repository);
                        jobs.push((registry.clone(), from, name));
                    }
                } else {
                    let name = single_name(&reference)?;
                    jobs.push((registry, reference, name));
                }
            }
            Src::Layout(layout, reference) => {
                let name = match &location.name {
                    Some(name) => name.clone(),
                    None => crate::layout::name_of(&reference).unwrap_or_default(),
                };
                jobs.push((layout, reference, name));
            }
        }
    }
    if location.name.is_some() && jobs.len() > 1 {
        return Err(Error::usage(format!(
            "`{location}` names one image, but {} go there",
            jobs.len()
        ))
        .help(format!(
            "leave the name out (`{}`): each image is named REPOSITORY:TAG",
            location.base()
        ))
        .into());
    }

    let copy_options = CopyOptions {
        platforms,
        include_nondistributable: options.include_nondistributable,
        dry_run: options.dry_run,
        limit_rate: limit_rate.clone(),
        resume_dir: None,
    };
    // A dry run opens only a layout that is there to compare with: opening an
    // archive would make its temporary directory, and an empty directory would
    // get the layout's files.
    let comparable = location.transport == Transport::Dir
        && std::fs::read_dir(&location.path).is_ok_and(|mut d| d.next().is_some());
    let writer = if options.dry_run && !comparable {
        None
    } else {
        Some(Writer::open(location, usize::from(options.jobs))?.with_rate_limit(limit_rate))
    };
    let progress = Arc::new(MirrorProgress::new(printer));
    let observer: Arc<dyn crate::registry::copy::Observer> = progress.clone();
    let work = stream::iter(jobs.iter().enumerate())
        .map(|(i, (source, from, name))| {
            let writer = writer.as_ref();
            let copy_options = &copy_options;
            let observer = &observer;
            async move {
                let result = match writer {
                    Some(writer) => {
                        writer
                            .copy(&**source, from, name, copy_options, observer)
                            .await
                    }
                    None => planned_new(&**source, from, name, location, copy_options).await,
                };
                (i, result)
            }
        })
        .buffer_unordered(IMAGE_CONCURRENCY);
    let mut work = Box::pin(work);
    let mut done: Vec<Option<Result<ImageReport>>> = jobs.iter().map(|_| None).collect();
    let mut sigint = std::pin::pin!(ctrl_c());
    let interrupted = loop {
        tokio::select! {
            next = work.next() => match next {
                Some((i, result)) => done[i] = Some(result),
                None => break false,
            },
            () = &mut sigint => break true,
        }
    };
    progress.finish();
    if interrupted {
        // What is still being copied stops here, and the writer goes: with it an
        // archive's temporary directory. An archive is written only at the end,
        // so none of its images counts as done; images a directory layout names
        // are whole there, and its blobs' partial files stay for the rerun.
        drop(work);
        drop(writer);
        let archive = location.transport != Transport::Dir;
        return Ok(Mirrored {
            dry_run: options.dry_run,
            images: done
                .into_iter()
                .zip(&jobs)
                .map(|(result, (source, from, _))| {
                    let result = match result {
                        Some(Ok(report)) if !archive => Ok(report),
                        _ => Err(Interrupted.into()),
                    };
                    ImageOutcome {
                        source: source.describe(from),
                        destination: result
                            .as_ref()
                            .map_or_else(|_| location.base(), |r| r.destination.clone()),
                        result,
                        cleanup: None,
                    }
                })
                .collect(),
            seconds: started.elapsed().as_secs_f64(),
            interruption: Some(Interruption {
                uploads_cancelled: 0,
                uploads_kept: 0,
                at_once: false,
                layout: Some(if archive {
                    LayoutStop::Archive(location.base())
                } else {
                    LayoutStop::Dir(location.base())
                }),
            }),
        });
    }
    drop(work);
    let mut results: Vec<Result<ImageReport>> = done
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err(Interrupted.into())))
        .collect();
    if jobs.len() == 1 && matches!(results.first(), Some(Err(_))) {
        return Err(results.remove(0).expect_err("the only image failed"));
    }
    let copied = results
        .iter()
        .any(|r| r.as_ref().is_ok_and(|r| r.status == "copied"));
    if let Some(writer) = writer
        && copied
        && !options.dry_run
    {
        writer.finish().await?;
    }
    let mut images = Vec::new();
    for (result, (source, from, _)) in results.into_iter().zip(&jobs) {
        match &result {
            Ok(report) => report_image(settings, report, None, options.dry_run),
            Err(err) => printer.error(format!("{}: {err:#}", source.describe(from))),
        }
        images.push(ImageOutcome {
            source: source.describe(from),
            destination: result
                .as_ref()
                .map_or_else(|_| location.base(), |r| r.destination.clone()),
            result,
            cleanup: None,
        });
    }
    Ok(Mirrored {
        dry_run: options.dry_run,
        images,
        seconds: started.elapsed().as_secs_f64(),
        interruption: None,
    })
}

/// A dry run into a layout that does not exist yet: every blob is to copy.
async fn planned_new(
    source: &dyn Source,
    from: &Reference,
    name: &str,
    location: &Location,
    options: &CopyOptions,
) -> Result<ImageReport> {
    let resolved = crate::registry::copy::resolve(source, from, options).await?;
    Ok(ImageReport {
        source: source.describe(from),
        destination: location.with_name(Some(name)).to_string(),
        source_digest: resolved.source_digest.clone(),
        destination_digest: resolved.target.digest.clone(),
        digest_changed: resolved.target.digest != resolved.source_digest,
        status: "planned",
        blobs_to_copy: resolved.blobs.len(),
        bytes_to_copy: resolved.blobs.iter().map(|b| b.size.max(0) as u64).sum(),
        skipped_foreign: resolved.skipped_foreign,
        ..ImageReport::default()
    })
}

/// Mirror registry sources into one registry (what `k8s relocate --mirror` and
/// `sync` use); runs into several registries at once share `spool`'s reads, and
/// each shows its progress on its `line` of a [`DestinationLines`].
pub(crate) async fn mirror(
    settings: &Settings,
    planned: Vec<(Reference, Reference)>,
    options: &MirrorOptions,
    spool: Option<&Spool>,
    line: Option<MirrorProgress>,
) -> Result<Mirrored> {
    let planned = planned
        .into_iter()
        .map(|(source, destination)| (Src::Registry(source), destination))
        .collect();
    mirror_sources(settings, planned, options, spool, line).await
}

/// Mirror the same sources into several registries at once: one engine per
/// destination, all reading the sources through one [`Spool`], so each blob is
/// read from its source once. A destination that fails fails its own images
/// only; the run's report holds every destination's.
async fn mirror_fanout(
    settings: &Settings,
    planned: Vec<Vec<(Src, Reference)>>,
    options: &MirrorOptions,
) -> Result<Mirrored> {
    let started = Instant::now();
    // The limit is on the one read of each blob from the source (the spool's),
    // not on each destination's read of the spooled file.
    let (_, _, limit_rate) = options.parse(settings.default_platform.as_ref())?;
    let spool = Spool::new(limit_rate)?;
    let options = &MirrorOptions {
        limit_rate: None,
        ..options.clone()
    };
    // One line per destination, and each says its summary when it is done.
    let lines = DestinationLines::new(&settings.printer);
    let runs = planned.iter().map(|planned| {
        let spool = &spool;
        let line = lines.line(&planned[0].1.registry);
        async move {
            let registry = planned[0].1.registry.clone();
            let result =
                mirror_sources(settings, planned.clone(), options, Some(spool), Some(line)).await;
            if let Ok(mirrored) = &result {
                settings
                    .printer
                    .status(format!("`{registry}`: {}", summary(mirrored)));
            }
            (planned, result)
        }
    });
    let mut merged = Mirrored {
        dry_run: options.dry_run,
        images: Vec::new(),
        seconds: 0.0,
        interruption: None,
    };
    for (planned, result) in futures_util::future::join_all(runs).await {
        match result {
            Ok(mirrored) => {
                merged.images.extend(mirrored.images);
                merged.interruption = merged.interruption.or(mirrored.interruption);
            }
            // The destination failed before any image (unreachable, refused
            // login): each of its images failed with that, its help kept.
            Err(err) => {
                let message = format!("{err:#}");
                let found = crate::error::find(&err);
                let kind = found.map_or(Kind::Failed, |e| e.kind);
                let help = found.map(|e| e.help.clone()).unwrap_or_default();
                for (source, destination) in planned {
                    let mut error = Error::new(kind, message.clone());
                    error.help = help.clone();
                    merged.images.push(ImageOutcome {
                        source: source.describe(),
                        destination: destination.to_string(),
                        result: Err(error.into()),
                        cleanup: None,
                    });
                }
            }
        }
    }
    merged.seconds = started.elapsed().as_secs_f64();
    Ok(merged)
}

/// Mirror (source, destination) pairs into one registry, each source repository
/// expanded to its tags with `all_tags`/`tags`. Keeps going when an image fails
/// (reporting it on stderr); fails as a whole when the only image fails.
async fn mirror_sources(
    settings: &Settings,
    planned: Vec<(Src, Reference)>,
    options: &MirrorOptions,
    spool: Option<&Spool>,
    line: Option<MirrorProgress>,
) -> Result<Mirrored> {
    let started = Instant::now();
    let (platforms, tag_filter, limit_rate) = options.parse(settings.default_platform.as_ref())?;
    let printer = &settings.printer;
    let destination_registry = planned[0].1.registry.clone();
    if let Some((_, other)) = planned
        .iter()
        .find(|(_, d)| d.registry != destination_registry)
    {
        return Err(Error::usage(format!(
            "one run mirrors into one registry, but destinations name `{destination_registry}` and `{}`",
            other.registry
        ))
        .help("run aseecr mirror once per destination registry")
        .into());
    }

    let destination = Arc::new(open(
        settings,
        &destination_registry,
        side_options(settings, &destination_registry, &options.destination),
        true,
    )?);
    let mut sources: HashMap<String, Arc<Registry>> = HashMap::new();
    // A source on the destination registry is the destination's own client (its
    // login, its certificate), so that blobs are mounted within the registry.
    sources.insert(destination_registry.clone(), destination.clone());
    for (source, _) in &planned {
        let Src::Registry(source) = source else {
            continue;
        };
        if !sources.contains_key(&source.registry) {
            let options = side_options(settings, &source.registry, &options.source);
            let registry = open(settings, &source.registry, options, false)?;
            sources.insert(source.registry.clone(), Arc::new(registry));
        }
    }

    // Expand --all-tags / --tags.
    let mut jobs = Vec::new();
    for (source, destination_ref) in planned {
        let source = match source {
            Src::Registry(source) => source,
            Src::Layout(layout, from) => {
                jobs.push(Job {
                    source: layout,
                    from,
                    to: destination_ref,
                });
                continue;
            }
        };
        let registry = sources[&source.registry].clone();
        let shared: Arc<dyn crate::registry::copy::Source> = match spool {
            Some(spool) => spool.share(registry.clone()),
            None => registry.clone(),
        };
        if options.all_tags || tag_filter.is_some() {
            let tags = registry.tags(&source.repository).await?;
            let matching: Vec<String> = tags
                .into_iter()
                .filter(|t| tag_filter.as_ref().is_none_or(|re| re.is_match(t)))
                .collect();
            if matching.is_empty() {
                printer.warn(format!(
                    "`{}` has no tags{}",
                    source.repository_name(),
                    if tag_filter.is_some() {
                        " matching --tags"
                    } else {
                        ""
                    }
                ));
            }
            for tag in matching {
                jobs.push(Job {
                    source: shared.clone(),
                    from: source.with_tag(&tag),
                    to: destination_ref.with_tag(&tag),
                });
            }
        } else {
            jobs.push(Job {
                source: shared,
                from: source,
                to: destination_ref,
            });
        }
    }

    // Several images: fail once on bad destination credentials, before any of
    // them starts. One image needs no extra request: its first request to the
    // destination (the HEAD of the manifest) fails the same way before any upload.
    if jobs.len() > 1 {
        destination.check_login().await.with_context(|| {
            format!("cannot log in to the destination `{destination_registry}`")
        })?;
    }

    let progress = Arc::new(line.unwrap_or_else(|| MirrorProgress::new(printer)));
    let engine = Engine::new(
        destination.clone(),
        CopyOptions {
            platforms,
            include_nondistributable: options.include_nondistributable,
            dry_run: options.dry_run,
            limit_rate,
            resume_dir: Some(settings.config_dir.dir().join(UPLOADS_DIR)),
        },
        usize::from(options.jobs),
        progress.clone(),
    );
    let single = jobs.len() == 1;
    let (mut results, interruption) = copy_all(&engine, &jobs).await;
    progress.finish();

    if single && interruption.is_none() && matches!(results.first(), Some(Err(_))) {
        return Err(results.remove(0).expect_err("the only image failed"));
    }

    let cleanups = settle_replaced(
        settings,
        &destination,
        &jobs,
        &results,
        options,
        interruption.is_some(),
    )
    .await;
    let mut images = Vec::new();
    for ((result, job), cleanup) in results.into_iter().zip(&jobs).zip(cleanups) {
        match &result {
            Ok(report) => report_image(settings, report, cleanup.as_ref(), options.dry_run),
            // The interruption line says it once for all.
            Err(err) if interruption.is_some() && is_interrupted(err) => {}
            Err(err) => printer.error(format!("{}: {err:#}", job.source.describe(&job.from))),
        }
        images.push(ImageOutcome {
            source: job.source.describe(&job.from),
            destination: job.to.to_string(),
            result,
            cleanup,
        });
    }
    let recorded = images
        .iter()
        .filter(|i| i.cleanup.as_ref().is_some_and(|c| c.recorded))
        .count();
    if recorded > 0 && !options.prune_replaced {
        let record = ReplacedRecord::in_dir(settings.config_dir.dir()).path();
        printer.status(format!(
            "{} on the registry, untagged, until deleted (recorded in `{}`); --prune-replaced deletes a replaced digest no tag uses",
            if recorded == 1 {
                "the replaced digest stays".to_owned()
            } else {
                format!("{recorded} replaced digests stay")
            },
            record.shown()
        ));
    }
    Ok(Mirrored {
        dry_run: options.dry_run,
        images,
        seconds: started.elapsed().as_secs_f64(),
        interruption,
    })
}

/// What becomes of the digests that moved tags left behind (`results` in job
/// order; the answer too). With `--prune-replaced`, after every copy of the run
/// (so the tags are final), each destination repository's tags are read once
/// ([`Registry::reachable`]) and a replaced digest that no tag reaches, as a
/// tagged manifest, an index entry or a `subject`, is deleted by digest, then
/// the entries of a replaced index that no tag reaches. Failures are warnings:
/// the images are mirrored. Every replaced digest not deleted is added to the
/// local record, and those deleted are forgotten there, in one write. A dry
/// run deletes and records nothing; an interrupted run records, but deletes
/// nothing.
async fn settle_replaced(
    settings: &Settings,
    destination: &Registry,
    jobs: &[Job],
    results: &[Result<ImageReport>],
    options: &MirrorOptions,
    interrupted: bool,
) -> Vec<Option<Cleanup>> {
    let replaced_of = |i: usize| -> Option<&Replaced> {
        results[i].as_ref().ok().and_then(|r| r.replaced.as_ref())
    };
    let mut cleanups: Vec<Option<Cleanup>> = (0..results.len())
        .map(|i| replaced_of(i).map(|_| Cleanup::default()))
        .collect();
    if options.dry_run || cleanups.iter().all(Option::is_none) {
        return cleanups.into_iter().map(|_| None).collect();
    }
    let printer = &settings.printer;

    if options.prune_replaced && !interrupted {
        let mut by_repository: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for i in (0..results.len()).filter(|i| replaced_of(*i).is_some()) {
            by_repository
                .entry(jobs[i].to.repository.as_str())
                .or_default()
                .push(i);
        }
        for (repository, indices) in by_repository {
            let reached = match destination.reachable(repository).await {
                Ok(reached) => reached,
                Err(err) => {
                    printer.warn(format!(
                        "cannot read the tags of `{}/{repository}` to prune what they replaced: {err:#}",
                        destination.name()
                    ));
                    for i in indices {
                        if let Some(cleanup) = cleanups[i].as_mut() {
                            cleanup.error = Some(
                                Error::new(
                                    super::error_kind(&err),
                                    format!(
                                        "cannot read the tags of `{}/{repository}`: {err:#}",
                                        destination.name()
                                    ),
                                )
                                .into(),
                            );
                        }
                    }
                    continue;
                }
            };
            let mut gone: BTreeSet<String> = BTreeSet::new();
            for i in indices {
                let (Some(replaced), Some(cleanup)) = (replaced_of(i), cleanups[i].as_mut()) else {
                    continue;
                };
                prune(
                    destination,
                    repository,
                    replaced,
                    &reached,
                    &mut gone,
                    cleanup,
                )
                .await;
            }
        }
    }

    // One locked write of the record: what stays is added, what went is forgotten.
    let replaced_at = crate::records::now_rfc3339();
    let mut add = Vec::new();
    let mut forget = Vec::new();
    for (i, cleanup) in cleanups.iter().enumerate() {
        let (Some(replaced), Some(cleanup)) = (replaced_of(i), cleanup) else {
            continue;
        };
        let repository = jobs[i].to.repository.clone();
        if cleanup.pruned {
            forget.push((repository, replaced.digest.clone()));
        } else {
            add.push(ReplacedDigest {
                repository,
                digest: replaced.digest.clone(),
                size: replaced.size,
                replaced_at: replaced_at.clone(),
                tag: replaced.tag.clone(),
            });
        }
    }
    let record = ReplacedRecord::in_dir(settings.config_dir.dir());
    let registry = jobs[0].to.registry.clone();
    let adding = !add.is_empty();
    let written = {
        let record = record.clone();
        tokio::task::spawn_blocking(move || record.update(&registry, &add, &forget)).await
    };
    match written {
        Ok(Ok(_)) if adding => {
            for (i, cleanup) in cleanups.iter_mut().enumerate() {
                if let Some(cleanup) = cleanup
                    .as_mut()
                    .filter(|c| !c.pruned && replaced_of(i).is_some())
                {
                    cleanup.recorded = true;
                }
            }
        }
        Ok(Ok(_)) => {}
        Ok(Err(err)) => printer.warn(format!(
            "cannot record the replaced digests in `{}`: {err:#}",
            record.path().shown()
        )),
        Err(err) => printer.warn(format!(
            "cannot record the replaced digests in `{}`: {err}",
            record.path().shown()
        )),
    }
    cleanups
}

/// Delete one replaced digest unless a tag reaches it, then the entries of a
/// replaced index that no tag reaches (parents before children, so an index
/// never names a manifest already gone). `gone` holds what this run deleted in
/// the repository.
async fn prune(
    destination: &Registry,
    repository: &str,
    replaced: &Replaced,
    reached: &BTreeMap<String, BTreeSet<String>>,
    gone: &mut BTreeSet<String>,
    cleanup: &mut Cleanup,
) {
    if let Some(tags) = reached.get(&replaced.digest) {
        cleanup.in_use_by = tags.iter().cloned().collect();
        return;
    }
    for (position, digest) in replaced.manifests.iter().enumerate() {
        let top = position == 0;
        if reached.contains_key(digest) || (!top && gone.contains(digest)) {
            continue;
        }
        if top && gone.contains(digest) {
            // Another image of this run replaced and deleted the same digest.
            cleanup.pruned = true;
            continue;
        }
        match destination.delete_manifest(repository, digest).await {
            Ok(Deleted::Yes) => {
                cleanup.manifests_deleted += 1;
                gone.insert(digest.clone());
            }
            Ok(Deleted::NotFound) => {
                gone.insert(digest.clone());
            }
            Ok(Deleted::Disabled) => {
                if top {
                    cleanup.error = Some(super::deletion_disabled(destination.name(), None).into());
                }
                return;
            }
            Err(err) => {
                if top {
                    cleanup.error = Some(err);
                    return;
                }
                tracing::debug!(
                    "cannot delete {digest}, an entry of the replaced {}: {err:#}",
                    replaced.digest
                );
                continue;
            }
        }
        if top {
            cleanup.pruned = true;
        }
    }
}

/// Copy every job, at most [`IMAGE_CONCURRENCY`] images at once; results in job
/// order. The first Ctrl-C stops the engine (nothing new starts, transfers end
/// and cancel their uploads), waits up to [`INTERRUPT_DRAIN`] for that, then
/// cancels every upload session still open; a second Ctrl-C stops at once.
/// Images that did not finish fail with [`Interrupted`].
async fn copy_all(
    engine: &Engine,
    jobs: &[Job],
) -> (Vec<Result<ImageReport>>, Option<Interruption>) {
    let mut results: Vec<Option<Result<ImageReport>>> = jobs.iter().map(|_| None).collect();
    let mut work = stream::iter(jobs.iter().enumerate())
        .map(|(i, job)| async move { (i, engine.copy(job).await) })
        .buffer_unordered(IMAGE_CONCURRENCY);
    let mut sigint = Box::pin(ctrl_c());
    let mut deadline: Option<tokio::time::Instant> = None;
    let mut at_once = false;
    loop {
        tokio::select! {
            next = work.next() => match next {
                Some((i, result)) => results[i] = Some(result),
                None => break,
            },
            () = &mut sigint => {
                if deadline.is_some() {
                    at_once = true;
                    break;
                }
                engine.interrupt();
                deadline = Some(tokio::time::Instant::now() + INTERRUPT_DRAIN);
                sigint.set(ctrl_c());
            }
            () = tokio::time::sleep_until(deadline.unwrap_or_else(tokio::time::Instant::now)),
                if deadline.is_some() => break,
        }
    }
    // Whatever did not finish in time stops here; its sessions are still listed.
    drop(work);
    let interruption = match deadline {
        None => None,
        Some(_) => {
            if !at_once {
                tokio::select! {
                    _ = engine.cancel_open_uploads() => {}
                    () = &mut sigint => at_once = true,
                }
            }
            Some(Interruption {
                uploads_cancelled: engine.uploads_cancelled(),
                uploads_kept: engine.uploads_kept(),
                at_once,
                layout: None,
            })
        }
    };
    let results = results
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err(Interrupted.into())))
        .collect();
    (results, interruption)
}

/// Resolves at Ctrl-C (SIGINT; the console's Ctrl-C on Windows); never, when it
/// cannot be listened for.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The SRC [DST] pairs from the arguments and `-f FILE`.
/// Every `--to` and `--to-file` destination, in order, each once.
fn destinations(args: &MirrorArgs) -> Result<Vec<String>> {
    let mut all: Vec<String> = args.to.clone();
    if let Some(path) = &args.to_file {
        for line in read_lines(path)? {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                all.push(line.to_owned());
            }
        }
        if all.is_empty() {
            return Err(
                Error::usage(format!("`{}` names no destination", path.shown()))
                    .help("list one REGISTRY[/PREFIX] per line")
                    .into(),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|d| seen.insert(d.trim_end_matches('/').to_owned()));
    if all.len() > 1
        && let Some(layout) = all.iter().find(|d| Location::parse(d).is_some())
    {
        return Err(Error::usage(format!(
            "`{layout}` is a layout: several destinations must be registries"
        ))
        .help("write a layout or archive in a run of its own")
        .into());
    }
    Ok(all)
}

fn read_pairs(args: &MirrorArgs, to: Option<&str>) -> Result<Vec<Pair>> {
    // `--to REGISTRY[/PREFIX]` is a destination like `DST/`: the repository path
    // kept; `--to oci:DIR` (or `oci-archive:FILE`) is a layout. With -f, one
    // layout argument is the destination: `mirror -f images.txt oci-archive:FILE`.
    let layout_to = match (args.images.as_slice(), to, &args.file) {
        ([one], None, Some(_)) if Location::parse(one).is_some() => Some(one.clone()),
        _ => None,
    };
    let images: &[String] = if layout_to.is_some() {
        &[]
    } else {
        &args.images
    };
    let to = layout_to.or_else(|| {
        to.map(|to| {
            let to = to.strip_prefix("docker://").unwrap_or(to);
            if Location::parse(to).is_some() {
                to.to_owned()
            } else {
                format!("{}/", to.trim_end_matches('/'))
            }
        })
    });
    let mut pairs = Vec::new();
    match (images, &to) {
        ([], _) => {}
        (sources, Some(to)) => {
            for source in sources {
                pairs.push(pair(source, Some(to))?);
            }
        }
        ([source], None) => pairs.push(pair(source, None)?),
        ([source, destination], None) => pairs.push(pair(source, Some(destination))?),
        (images, None) => {
            return Err(Error::usage(format!(
                "mirror takes SRC [DST], but {} images were given: which one is the destination?",
                images.len()
            ))
            .help("to copy several images, name the destination registry: `aseecr mirror IMAGE... --to REGISTRY`")
            .help("or list `SRC [DST]` lines in a file: `aseecr mirror -f FILE`")
            .into());
        }
    }
    if let Some(path) = &args.file {
        let lines = read_lines(path)?;
        for (number, line) in lines.iter().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let context = || format!("{}, line {}", path.shown(), number + 1);
            let parsed = match words.as_slice() {
                [source] => pair(source, to.as_deref()),
                [source, destination] => pair(source, Some(destination)),
                _ => Err(Error::usage(format!(
                    "{}: expected `SRC [DST]`, found {} words",
                    context(),
                    words.len()
                ))
                .into()),
            };
            pairs.push(parsed.with_context(context)?);
        }
    }
    Ok(pairs)
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    let text = crate::fsutil::read_input(path, &crate::fsutil::IMAGE_LIST)?;
    Ok(String::from_utf8_lossy(&text)
        .lines()
        .map(str::to_owned)
        .collect())
}

fn pair(source: &str, destination: Option<&str>) -> Result<Pair> {
    let source = match Location::parse(source) {
        Some(location) => SourceSpec::Layout(location?),
        // Sources keep docker's meaning: no registry means Docker Hub.
        None => SourceSpec::Registry(Reference::parse(
            source.strip_prefix("docker://").unwrap_or(source),
            None,
        )?),
    };
    let destination = destination.map(|d| d.strip_prefix("docker://").unwrap_or(d).to_owned());
    Ok(Pair {
        source,
        destination,
    })
}

/// Where a source goes: DST as given, DST/ as a registry (and prefix), or the
/// default registry under the same path.
fn map_destination(
    settings: &Settings,
    prefix: Option<&str>,
    by_tags: bool,
    source: &Src,
    destination: Option<&str>,
) -> Result<Reference> {
    let described = source.describe();
    let source = source.reference();
    let tag = source.tag.clone();
    let digest = if tag.is_none() {
        source.digest.clone()
    } else {
        None
    };
    let with_path = |registry: &str, prefix: Option<&str>| -> Result<Reference> {
        let prefix = prefix
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty());
        let path = match prefix {
            // A layout image named by a bare tag (skopeo's `oci:DIR:TAG`) has no
            // repository: the prefix is its repository.
            Some(prefix) if source.repository.is_empty() => prefix.to_owned(),
            Some(prefix) => format!("{prefix}/{}", source.repository),
            None if source.repository.is_empty() => {
                return Err(Error::usage(format!(
                    "`{described}` names no repository to mirror it to"
                ))
                .help("name the destination repository: `aseecr mirror SRC REGISTRY/REPOSITORY` or `--to REGISTRY/REPOSITORY`")
                .into());
            }
            None => source.repository.clone(),
        };
        let mut text = format!("{registry}/{path}");
        if let Some(tag) = &tag {
            text.push(':');
            text.push_str(tag);
        }
        if let Some(digest) = &digest {
            text.push('@');
            text.push_str(digest);
        }
        Ok(Reference::parse(&text, None)?)
    };
    match destination {
        None => {
            let registry = settings
                .require_registry(None)
                .map_err(|err| err.context("no destination given and no default registry set"))?;
            with_path(&registry, prefix)
        }
        Some(destination) if destination.ends_with('/') => {
            let trimmed = destination.trim_end_matches('/');
            let (registry, path_prefix) = match trimmed.split_once('/') {
                Some((registry, rest)) => (registry, Some(rest)),
                None => (trimmed, None),
            };
            let registry = crate::registry::reference::normalize_registry(registry)?;
            let prefix = match (path_prefix, prefix) {
                (Some(a), Some(b)) => Some(format!("{a}/{}", b.trim_matches('/'))),
                (Some(a), None) => Some(a.to_owned()),
                (None, b) => b.map(str::to_owned),
            };
            with_path(&registry, prefix.as_deref())
        }
        Some(destination) => {
            let mut target = Reference::parse(destination, settings.default_registry.as_deref())?;
            if by_tags && (target.tag.is_some() || target.digest.is_some()) {
                return Err(Error::usage(format!(
                    "with --all-tags or --tags the destination must be a repository, not `{destination}`"
                ))
                .into());
            }
            if target.tag.is_none() && target.digest.is_none() {
                target.tag = tag;
                target.digest = digest;
            }
            Ok(target)
        }
    }
}

/// The connection options of one side: remembered + global flags + side flags.
pub(crate) fn side_options(
    settings: &Settings,
    registry: &str,
    side: &SideOptions,
) -> ConnectOptions {
    let mut options = settings.registry_options(registry);
    if let Some(path) = &side.ca_cert {
        options.ca_certs.insert(0, path.clone());
    }
    options.insecure |= side.insecure;
    options.plain_http |= side.plain_http;
    options
}

/// A client for one side. Global `--username` applies to the destination only:
/// the source gets only what is stored for it.
fn open(
    settings: &Settings,
    name: &str,
    options: ConnectOptions,
    destination: bool,
) -> Result<Registry> {
    let credentials = if destination {
        credentials_for(settings, name)?
    } else {
        super::stored_credentials(settings, name)?
    };
    super::connect(settings, name, options, credentials)
}

fn report_image(
    settings: &Settings,
    report: &ImageReport,
    cleanup: Option<&Cleanup>,
    dry_run: bool,
) {
    let printer = &settings.printer;
    if let (Some(replaced), Some(cleanup)) = (&report.replaced, cleanup) {
        if !cleanup.in_use_by.is_empty() {
            let tags: Vec<String> = cleanup.in_use_by.iter().map(|t| format!("`{t}`")).collect();
            printer.status(format!(
                "{}: kept the replaced {}: {} {} still {} it",
                report.destination,
                replaced.digest,
                if tags.len() == 1 { "tag" } else { "tags" },
                tags.join(", "),
                if tags.len() == 1 { "uses" } else { "use" },
            ));
        }
        if let Some(err) = &cleanup.error {
            printer.warn(format!(
                "{}: cannot delete the replaced {}: {err:#}{}",
                report.destination,
                replaced.digest,
                if cleanup.recorded {
                    "; it stays recorded for `aseecr prune --untagged`"
                } else {
                    ""
                }
            ));
        }
    }
    if !report.skipped_foreign.is_empty() {
        printer.warn(format!(
            "{}: left out {} foreign layer{} (not distributable); pass --include-nondistributable to copy them",
            report.source,
            report.skipped_foreign.len(),
            if report.skipped_foreign.len() == 1 { "" } else { "s" }
        ));
    }
    if report.repaired > 0 {
        printer.warn(format!(
            "{}: the registry claimed {} blob(s) or manifest(s) it could not serve (its cache is stale after a garbage collection); they were written again and read back",
            report.destination, report.repaired,
        ));
    }
    // A dry run's plan is its line in `print_text`, once.
    if !dry_run && report.digest_changed {
        printer.status(format!(
            "{}: the destination digest differs from the source's ({}) because only some platforms were copied",
            report.destination, report.source_digest
        ));
    }
}

/// The text report: each image on stdout (or stderr with `to_stderr`), one line
/// each, then one summary line on stderr.
pub(crate) fn print_text(
    settings: &Settings,
    mirrored: &Mirrored,
    to_stderr: bool,
) -> std::io::Result<()> {
    let printer = &settings.printer;
    for image in &mirrored.images {
        let Ok(report) = &image.result else {
            continue;
        };
        let mut line = format!(
            "{}@{}  {}",
            report.destination,
            report.destination_digest,
            image_status(report)
        );
        if let Some(replaced) = &report.replaced {
            line.push_str(&replaced_status(
                replaced,
                image.cleanup.as_ref(),
                mirrored.dry_run,
            ));
        }
        if to_stderr {
            printer.status(line);
        } else {
            printer.data(line)?;
        }
    }
    if let Some(line) = mirrored.interruption_line() {
        printer.status(line);
        return Ok(());
    }
    printer.status(summary(mirrored));
    Ok(())
}

/// What a moved tag left behind, as the end of an image's line:
/// `, replaced sha256:... (12.3 MiB)`, then `, pruned` when it was deleted.
fn replaced_status(replaced: &Replaced, cleanup: Option<&Cleanup>, dry_run: bool) -> String {
    let size = replaced
        .size
        .map_or_else(|| "size unknown".to_owned(), human_bytes);
    let verb = if dry_run { "; replaces" } else { ", replaced" };
    let mut text = format!("{verb} {} ({size})", replaced.digest);
    if cleanup.is_some_and(|c| c.pruned) {
        text.push_str(", pruned");
    }
    text
}

/// `3 blobs`, `1 blob`.
fn blobs(n: usize) -> String {
    format!("{n} blob{}", if n == 1 { "" } else { "s" })
}

/// `2 images`, `1 image`.
fn images(n: usize) -> String {
    format!("{n} image{}", if n == 1 { "" } else { "s" })
}

/// What happened to (or, in a dry run, would happen to) one image, in words.
fn image_status(report: &ImageReport) -> String {
    match report.status {
        "up-to-date" => "up to date".to_owned(),
        "planned" => match (report.blobs_to_copy, report.blobs_present) {
            (0, 0) => "would push the manifest only".to_owned(),
            (0, present) => format!(
                "would push the manifest only: its {} already there",
                match present {
                    1 => "blob is".to_owned(),
                    n => format!("{n} blobs are"),
                }
            ),
            (n, present) => {
                let mut line = format!(
                    "would copy {} ({})",
                    blobs(n),
                    human_bytes(report.bytes_to_copy)
                );
                if present > 0 {
                    line.push_str(&format!(", {present} already there"));
                }
                line
            }
        },
        other => other.to_owned(),
    }
}

/// The one closing line: what the run did, saying only the counts that are not
/// zero, and how many of how many images failed.
fn summary(mirrored: &Mirrored) -> String {
    let total = mirrored.images.len();
    let failed = mirrored.failed();
    let succeeded = total - failed;
    let up_to_date = mirrored.up_to_date();
    let failures = match failed {
        0 => String::new(),
        n => format!("{n} of {total} failed (errors above)"),
    };
    if succeeded == 0 {
        return format!(
            "{}: {failures}",
            if mirrored.dry_run {
                "dry run"
            } else {
                "nothing mirrored"
            }
        );
    }
    if up_to_date == succeeded {
        let what = match total {
            1 => "up to date: nothing to copy".to_owned(),
            _ if failed == 0 => format!("all {} up to date: nothing to copy", images(total)),
            _ => format!("{} up to date, nothing to copy", images(up_to_date)),
        };
        return join(what, &failures);
    }
    let mut details = Vec::new();
    if mirrored.dry_run {
        let to_copy: usize = mirrored.ok().map(|r| r.blobs_to_copy).sum();
        let bytes: u64 = mirrored.ok().map(|r| r.bytes_to_copy).sum();
        if to_copy > 0 {
            details.push(format!(
                "{} to copy ({})",
                blobs(to_copy),
                human_bytes(bytes)
            ));
        }
        let present: usize = mirrored.ok().map(|r| r.blobs_present).sum();
        if present > 0 {
            details.push(format!("{present} already there"));
        }
        if up_to_date > 0 {
            details.push(format!("{up_to_date} up to date"));
        }
        details.extend(replaced_details(mirrored));
        let head = format!("would mirror {}", images(succeeded - up_to_date));
        let line = format!("{}; dry run, nothing written", with_details(head, &details));
        return join(line, &failures);
    }
    let copied = mirrored.blobs_copied();
    if copied > 0 {
        let bytes = mirrored.bytes_copied();
        let mut moved = format!(
            "{} copied ({} in {:.1}s",
            blobs(copied),
            human_bytes(bytes),
            mirrored.seconds
        );
        if mirrored.seconds > 0.0 {
            let rate = human_bytes((bytes as f64 / mirrored.seconds) as u64);
            moved.push_str(&format!(", {rate}/s"));
        }
        moved.push(')');
        details.push(moved);
    }
    let present: usize = mirrored.ok().map(|r| r.blobs_present).sum();
    if present > 0 {
        details.push(format!("{present} already there"));
    }
    let mounted: usize = mirrored.ok().map(|r| r.blobs_mounted).sum();
    if mounted > 0 {
        details.push(format!("{mounted} mounted"));
    }
    if up_to_date > 0 {
        details.push(format!("{up_to_date} up to date"));
    }
    details.extend(replaced_details(mirrored));
    let head = format!("mirrored {}", images(succeeded - up_to_date));
    join(with_details(head, &details), &failures)
}

/// `1 replaced (12.3 MiB)`, `1 pruned`: what moved tags left behind.
fn replaced_details(mirrored: &Mirrored) -> Vec<String> {
    let (replaced, bytes) = mirrored.replaced();
    let mut details = Vec::new();
    if replaced > 0 {
        details.push(format!("{replaced} replaced ({})", human_bytes(bytes)));
    }
    let pruned = mirrored.pruned();
    if pruned > 0 {
        details.push(format!("{pruned} pruned"));
    }
    details
}

fn with_details(head: String, details: &[String]) -> String {
    if details.is_empty() {
        head
    } else {
        format!("{head}: {}", details.join(", "))
    }
}

fn join(line: String, failures: &str) -> String {
    if failures.is_empty() {
        line
    } else {
        format!("{line}; {failures}")
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn run(dry_run: bool, reports: Vec<Result<ImageReport>>) -> Mirrored {
        Mirrored {
            dry_run,
            images: reports
                .into_iter()
                .map(|result| ImageOutcome {
                    source: "src".into(),
                    destination: "dst".into(),
                    result,
                    cleanup: None,
                })
                .collect(),
            seconds: 0.25,
            interruption: None,
        }
    }

    fn report(status: &'static str) -> ImageReport {
        ImageReport {
            status,
            ..ImageReport::default()
        }
    }

    #[test]
    fn a_no_op_run_says_up_to_date_without_zero_counters() {
        let line = summary(&run(false, vec![Ok(report("up-to-date"))]));
        assert_eq!(line, "up to date: nothing to copy");
        let line = summary(&run(
            true,
            vec![Ok(report("up-to-date")), Ok(report("up-to-date"))],
        ));
        assert_eq!(line, "all 2 images up to date: nothing to copy");
    }

    #[test]
    fn a_copy_says_only_the_counts_that_happened() {
        let copied = ImageReport {
            blobs_copied: 3,
            bytes_copied: 2 << 20,
            blobs_mounted: 1,
            ..report("copied")
        };
        assert_eq!(
            summary(&run(false, vec![Ok(copied), Ok(report("up-to-date"))])),
            "mirrored 1 image: 3 blobs copied (2.0 MiB in 0.2s, 8.0 MiB/s), 1 mounted, 1 up to date"
        );
    }

    #[test]
    fn a_dry_run_says_each_image_once_and_one_summary() {
        let planned = ImageReport {
            blobs_to_copy: 2,
            bytes_to_copy: 3 << 20,
            blobs_present: 1,
            ..report("planned")
        };
        assert_eq!(
            image_status(&planned),
            "would copy 2 blobs (3.0 MiB), 1 already there"
        );
        let manifest_only = ImageReport {
            blobs_present: 4,
            ..report("planned")
        };
        assert_eq!(
            image_status(&manifest_only),
            "would push the manifest only: its 4 blobs are already there"
        );
        assert_eq!(
            summary(&run(true, vec![Ok(planned), Ok(report("up-to-date"))])),
            "would mirror 1 image: 2 blobs to copy (3.0 MiB), 1 already there, 1 up to date; dry run, nothing written"
        );
    }

    #[test]
    fn failures_are_counted_of_the_total() {
        let failed = || Err(anyhow::anyhow!("boom"));
        assert_eq!(
            summary(&run(false, vec![failed(), failed()])),
            "nothing mirrored: 2 of 2 failed (errors above)"
        );
        assert_eq!(
            summary(&run(false, vec![Ok(report("up-to-date")), failed()])),
            "1 image up to date, nothing to copy; 1 of 2 failed (errors above)"
        );
    }

    #[test]
    fn default_options_agree_with_the_command_line() {
        let cli = Cli::try_parse_from(["aseecr", "mirror", "x"]).unwrap();
        let Command::Mirror(args) = cli.command else {
            panic!("`aseecr mirror x` parsed as another command");
        };
        assert_eq!(MirrorOptions::from_args(&args), MirrorOptions::default());
    }
}
