//! A run into one registry: the destination and source clients opened once,
//! source repositories expanded to their tags, every image copied by one
//! engine (a few at once), Ctrl-C stopping it cleanly, then what moved tags
//! left behind settled ([`super::settle`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::stream::{self, StreamExt};

use super::outcome::{ImageOutcome, Interruption, Mirrored, Notice, ReferrerStatus};
use super::plan::{MirrorPlan, TagSelection};
use super::referrers::{Carried, Carrier, Discovery, Memo};
use super::targets::Src;
use super::verify::{Gate, Origin, Verdict, Verification};
use super::{IMAGE_CONCURRENCY, INTERRUPT_DRAIN, Progress, Reporter, SourceReads, UPLOADS_DIR};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::layout::Layout;
use crate::records::{ReplacedDigest, ReplacedRecord};
use crate::registry::copy::{CopyOptions, Engine, ImageReport, Interrupted, Job, Source};
use crate::registry::referrers::attachment_tag;
use crate::registry::{Reference, Registry};
use crate::settings::Settings;

/// Mirror (source, destination) pairs into one registry, each source repository
/// expanded to its tags when the plan says so. Keeps going when an image fails
/// (each image's result goes to `reporter`); when the only image fails, its
/// error is left to [`Mirrored::into_result`], which makes it the run's.
/// `progress`: the display of these copies when the caller made
/// it (one line among a fan-out's), else the reporter's.
pub(super) async fn run(
    settings: &Settings,
    plan: &MirrorPlan,
    planned: Vec<(Src, Reference)>,
    reads: SourceReads<'_>,
    progress: Option<Arc<dyn Progress>>,
    reporter: &dyn Reporter,
) -> Result<Mirrored> {
    let started = Instant::now();
    let registry = one_registry(&planned)?;
    let destination = Arc::new(connect::open(
        settings,
        &registry,
        Side::Destination(&plan.destination),
    )?);
    let sources = open_sources(settings, plan, &planned, &destination)?;
    let layouts = source_layouts(&planned);
    let discovery = match reads {
        SourceReads::Spooled(spool) => spool.discovery(),
        SourceReads::Direct => Arc::new(Discovery::default()),
    };
    let jobs = expand_tags(plan, planned, &sources, reads, &discovery, reporter).await?;

    check_login_once(&destination, &registry, jobs.len()).await?;

    let progress = progress.unwrap_or_else(|| reporter.progress(&registry));
    let engine = Engine::new(
        destination.clone(),
        copy_options(settings, plan, reads),
        plan.jobs_for(None),
        progress.clone(),
    );
    let gates = Gates::new(&plan.verification, &sources, &layouts);
    let follow = follow_round_trip(plan, &sources, &destination, &engine);
    let (results, verdicts, interruption) = copy_all(&engine, &jobs, &gates, follow).await;
    let mut verdicts = verdicts.into_iter();
    let carrier = Carrier {
        engine: &engine,
        destination: &destination,
        discovery: &discovery,
        sources: &sources,
        layouts: &layouts,
        platforms: &plan.platforms,
        dry_run: plan.dry_run,
    };
    let mut carried = carry_all(&carrier, plan, &jobs, &results, interruption.is_some()).await;
    record_replaced_indexes(settings, &registry, &mut carried, reporter).await;
    progress.finish();

    let interrupted = interruption.is_some();
    let single = jobs.len() == 1 && !interrupted;
    let cleanups = super::settle::settle(
        settings,
        &destination,
        &jobs,
        &results,
        plan,
        interrupted,
        reporter,
    )
    .await;
    let mut images = Vec::new();
    for (((result, job), cleanup), carried) in results
        .into_iter()
        .zip(&jobs)
        .zip(cleanups)
        .zip(carried.drain(..))
    {
        let image = ImageOutcome {
            source: job.source.describe(&job.from),
            destination: job.to.to_string(),
            result,
            cleanup,
            referrers: carried.outcomes,
            referrers_unlisted: carried.unlisted,
            verification: verdicts.next().flatten(),
        };
        // The only image's error is the run's, said once where the run ends
        // (`Mirrored::into_result`).
        if !(single && image.result.is_err()) {
            reporter.image(&image, plan.dry_run, interrupted);
        }
        images.push(image);
    }
    notice_replaced_stay(settings, plan, &images, reporter);
    notice_referrers_failed(&images, reporter);
    Ok(Mirrored {
        dry_run: plan.dry_run,
        images,
        seconds: started.elapsed().as_secs_f64(),
        interruption,
    })
}

/// Several images: fail once on bad destination credentials, before any of
/// them starts. One image needs no extra request: its first request to the
/// destination (the HEAD of the manifest) fails the same way before any upload.
async fn check_login_once(destination: &Registry, registry: &str, images: usize) -> Result<()> {
    if images > 1 {
        destination
            .check_login()
            .await
            .with_context(|| format!("cannot log in to the destination `{registry}`"))?;
    }
    Ok(())
}

/// The layout sources, by name: their referrers go to the registry too.
fn source_layouts(planned: &[(Src, Reference)]) -> HashMap<String, Arc<Layout>> {
    planned
        .iter()
        .filter_map(|(source, _)| match source {
            Src::Layout(layout, _) => Some((layout.name().to_owned(), layout.clone())),
            Src::Registry(_) => None,
        })
        .collect()
}

/// The one registry every destination names: a run mirrors into one.
fn one_registry(planned: &[(Src, Reference)]) -> Result<String> {
    let registry = planned[0].1.registry.clone();
    if let Some((_, other)) = planned.iter().find(|(_, d)| d.registry != registry) {
        return Err(Error::usage(format!(
            "one run mirrors into one registry, but destinations name `{registry}` and `{}`",
            other.registry
        ))
        .help("run aseecr mirror once per destination registry")
        .into());
    }
    Ok(registry)
}

/// A client for each source registry, opened once. A source on the destination
/// registry is the destination's own client (its login, its certificate), so
/// that blobs are mounted within the registry.
fn open_sources(
    settings: &Settings,
    plan: &MirrorPlan,
    planned: &[(Src, Reference)],
    destination: &Arc<Registry>,
) -> Result<HashMap<String, Arc<Registry>>> {
    let mut sources: HashMap<String, Arc<Registry>> = HashMap::new();
    sources.insert(destination.name().to_owned(), destination.clone());
    for (source, _) in planned {
        let Src::Registry(source) = source else {
            continue;
        };
        if !sources.contains_key(&source.registry) {
            let side = Side::Source(plan.source_flags(&source.registry));
            let registry = connect::open(settings, &source.registry, side)?;
            sources.insert(source.registry.clone(), Arc::new(registry));
        }
    }
    Ok(sources)
}

/// One job per image: a registry source expanded to its tags with
/// `--all-tags`/`--tags`, read through the spool when there is one.
async fn expand_tags(
    plan: &MirrorPlan,
    planned: Vec<(Src, Reference)>,
    sources: &HashMap<String, Arc<Registry>>,
    reads: SourceReads<'_>,
    discovery: &Discovery,
    reporter: &dyn Reporter,
) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    let mut empty: Vec<String> = Vec::new();
    for (source, to) in planned {
        let source = match source {
            Src::Registry(source) => source,
            Src::Layout(layout, from) => {
                jobs.push(Job {
                    source: layout,
                    from,
                    to,
                });
                continue;
            }
        };
        let registry = sources[&source.registry].clone();
        // Kept for the referrers' step, which asks the source nothing again.
        let shared: Arc<dyn Source> = match reads {
            SourceReads::Spooled(spool) => spool.share(registry.clone()),
            SourceReads::Direct => Arc::new(Memo::new(registry.clone())),
        };
        if !plan.tags.by_tags() {
            jobs.push(Job {
                source: shared,
                from: source,
                to,
            });
            continue;
        }
        let tags = registry.tags(&source.repository).await?;
        discovery.seed_tags(registry.name(), &source.repository, &tags);
        // Attachment tags (a fallback index `sha256-<hex>`, cosign's `.sig`,
        // `.att`, `.sbom`) go with their image, as its referrers: a copy of the
        // source's fallback index by tag would overwrite the destination's.
        let matching: Vec<String> = tags
            .into_iter()
            .filter(|t| plan.tags.keeps(t) && attachment_tag(t).is_none())
            .collect();
        if matching.is_empty() {
            empty.push(source.repository_name());
        }
        for tag in matching {
            jobs.push(Job {
                source: shared.clone(),
                from: source.with_tag(&tag),
                to: to.with_tag(&tag),
            });
        }
    }
    if jobs.is_empty() && !empty.is_empty() {
        return Err(no_tags_error(&plan.tags, &empty).into());
    }
    for repository in empty {
        reporter.notice(Notice::NoTags {
            repository,
            filtered: plan.tags.filtered(),
        });
    }
    Ok(jobs)
}

/// Nothing to mirror because no repository has a tag selected: not found (as
/// `tags` is for what does not exist), saying what matched nothing.
fn no_tags_error(tags: &TagSelection, repositories: &[String]) -> Error {
    let what: Vec<String> = repositories
        .iter()
        .map(|repository| match tags {
            TagSelection::Matching(re) => {
                format!("no tag of `{repository}` matches `{}`", re.as_str())
            }
            _ => format!("`{repository}` has no tags"),
        })
        .collect();
    Error::new(
        Kind::NotFound,
        format!("nothing to mirror: {}", what.join("; ")),
    )
    .help(format!(
        "`aseecr tags {}` lists the tags there are",
        repositories[0]
    ))
}

/// The engine's options: the plan's, with the rate limit on these reads only
/// when they are the reads from the sources.
fn copy_options(settings: &Settings, plan: &MirrorPlan, reads: SourceReads<'_>) -> CopyOptions {
    let limit_rate = match reads {
        SourceReads::Direct => plan.limit_rate.as_ref().map(super::LimitRate::limit),
        SourceReads::Spooled(_) => None,
    };
    CopyOptions {
        platforms: plan.platforms.clone(),
        include_nondistributable: plan.include_nondistributable,
        dry_run: plan.dry_run,
        limit_rate,
        resume_dir: Some(settings.config_dir.dir().join(UPLOADS_DIR)),
    }
}

/// Replaced digests recorded (not pruned) stay on the registry: said once.
fn notice_replaced_stay(
    settings: &Settings,
    plan: &MirrorPlan,
    images: &[ImageOutcome],
    reporter: &dyn Reporter,
) {
    let recorded = images
        .iter()
        .filter(|i| i.cleanup.as_ref().is_some_and(|c| c.recorded))
        .count();
    if recorded > 0 && !plan.prune_replaced {
        reporter.notice(Notice::ReplacedStay {
            count: recorded,
            record: ReplacedRecord::in_dir(settings.config_dir.dir()).path(),
        });
    }
}

/// The referrers of every image copied, a few images at once, each as the
/// plan says for its source (in a dry run: what would be copied); nothing
/// after Ctrl-C.
async fn carry_all(
    carrier: &Carrier<'_>,
    plan: &MirrorPlan,
    jobs: &[Job],
    results: &[Result<ImageReport>],
    interrupted: bool,
) -> Vec<Carried> {
    if interrupted {
        return jobs.iter().map(|_| Carried::default()).collect();
    }
    stream::iter(jobs.iter().zip(results))
        .map(|(job, result)| async move {
            match result {
                Ok(report) => {
                    let policy = plan.referrers_for(&job.from.to_string());
                    carrier.carry(job, report, policy).await
                }
                Err(_) => Carried::default(),
            }
        })
        .buffered(IMAGE_CONCURRENCY)
        .collect()
        .await
}

/// Fallback indexes replaced by new ones that stay on the registry (deletion
/// disabled there): recorded for `prune --untagged`, as replaced images are.
async fn record_replaced_indexes(
    settings: &Settings,
    registry: &str,
    carried: &mut [Carried],
    reporter: &dyn Reporter,
) {
    let replaced_at = crate::records::now_rfc3339();
    let add: Vec<ReplacedDigest> = carried
        .iter_mut()
        .flat_map(|c| c.replaced.drain(..))
        .map(|(repository, digest, tag)| ReplacedDigest {
            repository,
            digest,
            size: None,
            replaced_at: replaced_at.clone(),
            tag,
        })
        .collect();
    if add.is_empty() {
        return;
    }
    let record = ReplacedRecord::in_dir(settings.config_dir.dir());
    let path = record.path();
    let registry = registry.to_owned();
    let written = tokio::task::spawn_blocking(move || record.add(&registry, &add)).await;
    let error = match written {
        Ok(Ok(_)) => return,
        Ok(Err(err)) => err,
        Err(err) => anyhow::Error::new(err),
    };
    reporter.notice(Notice::RecordNotWritten { path, error });
}

/// Referrers that failed, and subjects whose referrers could not be listed
/// (each said in its image's report): each said once.
pub(super) fn notice_referrers_failed(images: &[ImageOutcome], reporter: &dyn Reporter) {
    let mut failed = images
        .iter()
        .flat_map(|i| &i.referrers)
        .filter_map(|r| match &r.status {
            ReferrerStatus::Failed(reason) => Some((r, reason)),
            _ => None,
        });
    if let Some((first, reason)) = failed.next() {
        let what = first.tag.as_deref().unwrap_or(&first.digest);
        reporter.notice(Notice::ReferrersFailed {
            count: 1 + failed.count(),
            first: format!("{what} (of {}): {reason}", first.subject),
        });
    }
    let mut unlisted = images.iter().flat_map(|i| &i.referrers_unlisted);
    if let Some((subject, reason)) = unlisted.next() {
        reporter.notice(Notice::ReferrersUnlisted {
            count: 1 + unlisted.count(),
            first: format!("{subject}: {reason}"),
        });
    }
}

/// What each image is verified with before its copy, and where its
/// signatures are read from.
struct Gates<'a> {
    verification: &'a Verification,
    sources: &'a HashMap<String, Arc<Registry>>,
    layouts: &'a HashMap<String, Arc<Layout>>,
}

impl<'a> Gates<'a> {
    fn new(
        verification: &'a Verification,
        sources: &'a HashMap<String, Arc<Registry>>,
        layouts: &'a HashMap<String, Arc<Layout>>,
    ) -> Gates<'a> {
        Gates {
            verification,
            sources,
            layouts,
        }
    }

    /// Verify `job`'s source image, when a requirement covers it: before any
    /// request to the destination for it.
    async fn check(&self, job: &Job) -> Gate {
        if !self.verification.any() {
            return Gate {
                verdict: None,
                refused: None,
            };
        }
        let origin = match self.layouts.get(job.source.name()) {
            Some(layout) => Origin::Layout(layout),
            None => match self.sources.get(&job.from.registry) {
                Some(registry) => Origin::Registry(registry),
                None => Origin::Nowhere,
            },
        };
        self.verification
            .gate(&*job.source, origin, &job.from)
            .await
    }
}

/// Without `--jobs`: as the source registries' round trips become known (a
/// few answers into the copy, see [`Registry::round_trip`]), let the engine
/// copy as many blobs at once as [`MirrorPlan::jobs_for`] says for the
/// farthest. The destination (a source too, for mounts) does not count.
/// Never ends: the copy does.
async fn follow_round_trip(
    plan: &MirrorPlan,
    sources: &HashMap<String, Arc<Registry>>,
    destination: &Registry,
    engine: &Engine,
) {
    let far: Vec<&Arc<Registry>> = sources
        .values()
        .filter(|s| s.name() != destination.name())
        .collect();
    if plan.jobs.is_some() || far.is_empty() {
        return std::future::pending().await;
    }
    loop {
        let known: Vec<Duration> = far.iter().filter_map(|s| s.round_trip()).collect();
        if let Some(&round_trip) = known.iter().max() {
            let jobs = plan.jobs_for(Some(round_trip));
            if engine.raise_jobs(jobs) {
                tracing::debug!("{jobs} blobs at once (the sources' round trip: {round_trip:?})");
            }
        }
        if known.len() == far.len() {
            return std::future::pending().await;
        }
        tokio::time::sleep(ROUND_TRIP_POLL).await;
    }
}

/// How often [`follow_round_trip`] looks.
const ROUND_TRIP_POLL: Duration = Duration::from_millis(10);

/// Copy every job, at most [`IMAGE_CONCURRENCY`] images at once, each
/// verified first when the run verifies ([`Gates`]: a refused image is not
/// copied, and its destination hears nothing of it); results and verdicts in
/// job order. The first Ctrl-C stops the engine (nothing new starts, transfers end
/// and cancel their uploads), waits up to [`INTERRUPT_DRAIN`] for that, then
/// cancels every upload session still open; a second Ctrl-C stops at once.
/// Images that did not finish fail with [`Interrupted`].
/// `follow` runs beside the copies (see [`follow_round_trip`]).
async fn copy_all(
    engine: &Engine,
    jobs: &[Job],
    gates: &Gates<'_>,
    follow: impl std::future::Future<Output = ()>,
) -> (
    Vec<Result<ImageReport>>,
    Vec<Option<Verdict>>,
    Option<Interruption>,
) {
    let mut follow = std::pin::pin!(follow);
    let mut results: Vec<Option<Result<ImageReport>>> = jobs.iter().map(|_| None).collect();
    let mut verdicts: Vec<Option<Verdict>> = jobs.iter().map(|_| None).collect();
    let mut work = stream::iter(jobs.iter().enumerate())
        .map(|(i, job)| async move {
            let gate = gates.check(job).await;
            let result = match gate.refused {
                Some(err) => Err(err),
                None => engine.copy(job).await,
            };
            (i, result, gate.verdict)
        })
        .buffer_unordered(IMAGE_CONCURRENCY);
    let mut sigint = Box::pin(super::ctrl_c());
    let mut deadline: Option<tokio::time::Instant> = None;
    let mut at_once = false;
    loop {
        tokio::select! {
            next = work.next() => match next {
                Some((i, result, verdict)) => {
                    results[i] = Some(result);
                    verdicts[i] = verdict;
                }
                None => break,
            },
            () = &mut follow => {}
            () = &mut sigint => {
                if deadline.is_some() {
                    at_once = true;
                    break;
                }
                engine.interrupt();
                deadline = Some(tokio::time::Instant::now() + INTERRUPT_DRAIN);
                sigint.set(super::ctrl_c());
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
    (results, verdicts, interruption)
}
