//! A run into one OCI layout or archive (`oci:DIR`, `oci-archive:FILE`,
//! `docker-archive:FILE`): sources (registries or layout images) written by
//! `layout::write::Writer` instead of the engine, its blobs once, each image
//! named in `index.json`. An archive is written whole at the end (with the
//! images that were copied), or not at all when the run is stopped.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use anyhow::Result;
use futures_util::stream::{self, StreamExt};

use super::outcome::{ImageOutcome, Interruption, LayoutStop, Mirrored};
use super::plan::MirrorPlan;
use super::referrers::{Carried, Discovery};
use super::referrers_layout::{Image, LayoutCarrier};
use super::targets::Src;
use super::verify::{Origin, Verdict, Verification};
use super::{IMAGE_CONCURRENCY, Reporter};
use crate::connect::{self, Side};
use crate::error::Error;
use crate::layout::write::Writer;
use crate::layout::{Layout, Location, Transport};
use crate::registry::copy::{CopyOptions, ImageReport, Interrupted, Observer, Outcome, Source};
use crate::registry::referrers::attachment_tag;
use crate::registry::{Reference, Registry};
use crate::settings::Settings;

/// One image to write: where it is read from, and its name in the layout.
struct LayoutJob {
    source: Arc<dyn Source>,
    /// The registry it is read from (none for a layout image): its referrers
    /// go into the layout too.
    registry: Option<Arc<Registry>>,
    /// The layout it is read from (none for a registry image): where its
    /// signatures are verified.
    layout: Option<Arc<Layout>>,
    from: Reference,
    name: String,
    /// How its source was verified before the copy, once it was.
    verdict: OnceLock<Verdict>,
}

/// Copy `sources` into the layout at `location`.
pub(super) async fn run(
    settings: &Settings,
    plan: &MirrorPlan,
    sources: Vec<Src>,
    location: &Location,
    reporter: &dyn Reporter,
) -> Result<Mirrored> {
    let started = Instant::now();
    let discovery = Discovery::default();
    let jobs = layout_jobs(settings, plan, sources, location, &discovery).await?;
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
    notice_referrers_not_kept(plan, &jobs, location, reporter);
    let limit_rate = plan.limit_rate.as_ref().map(super::LimitRate::limit);
    let copy_options = CopyOptions {
        platforms: plan.platforms.clone(),
        include_nondistributable: plan.include_nondistributable,
        dry_run: plan.dry_run,
        limit_rate: limit_rate.clone(),
        resume_dir: None,
    };
    // A dry run opens only a layout that is there to compare with: opening an
    // archive would make its temporary directory, and an empty directory would
    // get the layout's files.
    let comparable = location.transport == Transport::Dir
        && std::fs::read_dir(&location.path).is_ok_and(|mut d| d.next().is_some());
    let writer = if plan.dry_run && !comparable {
        None
    } else {
        Some(Writer::open(location, plan.jobs_for(None))?.with_rate_limit(limit_rate))
    };
    let copying = Copying {
        jobs: &jobs,
        verification: &plan.verification,
        writer: writer.as_ref(),
        location,
        options: &copy_options,
    };
    let progress = reporter.progress(&location.base());
    let (done, mut interrupted) = copying.copy_all(progress.clone()).await;
    let mut carried = Vec::new();
    if let Some(writer) = writer.as_ref()
        && !interrupted
        && !plan.dry_run
        && location.transport != Transport::DockerArchive
    {
        let carrier = LayoutCarrier {
            writer,
            discovery: &discovery,
            platforms: &plan.platforms,
            observer: progress.clone(),
        };
        // Ctrl-C here stops as during the images: a directory keeps the
        // images it names (and the blobs written), an archive is not written.
        tokio::select! {
            all = carry_all(&carrier, plan, &jobs, &done) => carried = all,
            () = super::ctrl_c() => interrupted = true,
        }
    }
    progress.finish();
    let mut mirrored = if interrupted {
        // What is still being copied stopped, and the writer goes: with it an
        // archive's temporary directory.
        drop(writer);
        interrupted_outcome(plan, &jobs, done, location)
    } else {
        finish(plan, &jobs, done, carried, writer, location, reporter).await?
    };
    mirrored.seconds = started.elapsed().as_secs_f64();
    Ok(mirrored)
}

/// The image jobs of the run: registry sources opened once and expanded to
/// their tags when the plan says so, each with its name in the layout.
async fn layout_jobs(
    settings: &Settings,
    plan: &MirrorPlan,
    sources: Vec<Src>,
    location: &Location,
    discovery: &Discovery,
) -> Result<Vec<LayoutJob>> {
    let mut registries: HashMap<String, Arc<Registry>> = HashMap::new();
    let mut jobs = Vec::new();
    for source in sources {
        let (reference, registry) = match source {
            Src::Registry(reference) => {
                let registry = match registries.get(&reference.registry) {
                    Some(registry) => registry.clone(),
                    None => {
                        let side = Side::Source(plan.source_flags(&reference.registry));
                        let registry =
                            Arc::new(connect::open(settings, &reference.registry, side)?);
                        registries.insert(reference.registry.clone(), registry.clone());
                        registry
                    }
                };
                (reference, registry)
            }
            Src::Layout(layout, from) => {
                let name = match &location.name {
                    Some(name) => name.clone(),
                    None => crate::layout::name_of(&from).unwrap_or_default(),
                };
                jobs.push(LayoutJob {
                    source: layout.clone(),
                    registry: None,
                    layout: Some(layout),
                    from,
                    name,
                    verdict: OnceLock::new(),
                });
                continue;
            }
        };
        if plan.tags.by_tags() {
            let tags = registry.tags(&reference.repository).await?;
            discovery.seed_tags(registry.name(), &reference.repository, &tags);
            // Attachment tags go with their image, as its referrers.
            let images = tags
                .into_iter()
                .filter(|t| plan.tags.keeps(t) && attachment_tag(t).is_none());
            for tag in images {
                jobs.push(LayoutJob {
                    source: registry.clone(),
                    registry: Some(registry.clone()),
                    layout: None,
                    from: reference.with_tag(&tag),
                    name: format!("{}:{tag}", reference.repository),
                    verdict: OnceLock::new(),
                });
            }
        } else {
            let name = single_name(&reference, location)?;
            jobs.push(LayoutJob {
                source: registry.clone(),
                registry: Some(registry),
                layout: None,
                from: reference,
                name,
                verdict: OnceLock::new(),
            });
        }
    }
    Ok(jobs)
}

/// The name of one registry image in the layout: the one the location gives,
/// else its repository and tag.
fn single_name(reference: &Reference, location: &Location) -> Result<String> {
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
}

/// The copies of one run into a layout.
struct Copying<'a> {
    jobs: &'a [LayoutJob],
    verification: &'a Verification,
    /// `None`: a dry run into a layout that is not there yet.
    writer: Option<&'a Writer>,
    location: &'a Location,
    options: &'a CopyOptions,
}

impl Copying<'_> {
    /// Copy every image, a few at once, until done or Ctrl-C: each image's
    /// result (none for those not finished), and whether Ctrl-C stopped it.
    async fn copy_all(
        &self,
        observer: Arc<dyn Observer>,
    ) -> (Vec<Option<Result<ImageReport>>>, bool) {
        let observer = &observer;
        let work = stream::iter(self.jobs.iter().enumerate())
            .map(|(i, job)| async move { (i, self.copy(job, observer).await) })
            .buffer_unordered(IMAGE_CONCURRENCY);
        let mut work = Box::pin(work);
        let mut done: Vec<Option<Result<ImageReport>>> = self.jobs.iter().map(|_| None).collect();
        let mut sigint = std::pin::pin!(super::ctrl_c());
        let interrupted = loop {
            tokio::select! {
                next = work.next() => match next {
                    Some((i, result)) => done[i] = Some(result),
                    None => break false,
                },
                () = &mut sigint => break true,
            }
        };
        (done, interrupted)
    }

    async fn copy(&self, job: &LayoutJob, observer: &Arc<dyn Observer>) -> Result<ImageReport> {
        let LayoutJob {
            source,
            registry,
            layout,
            from,
            name,
            verdict,
        } = job;
        // Verified at the source before anything is written (a requirement
        // covers it): a refused image is not written.
        if self.verification.any() {
            let origin = match (registry, layout) {
                (Some(registry), _) => Origin::Registry(registry),
                (None, Some(layout)) => Origin::Layout(layout),
                (None, None) => Origin::Nowhere,
            };
            let gate = self.verification.gate(&**source, origin, from).await;
            if let Some(checked) = gate.verdict {
                let _ = verdict.set(checked);
            }
            if let Some(err) = gate.refused {
                return Err(err);
            }
        }
        match self.writer {
            Some(writer) => {
                writer
                    .copy(&**source, from, name, self.options, observer)
                    .await
            }
            None => planned_new(&**source, from, name, self.location, self.options).await,
        }
    }
}

/// The outcome of a run Ctrl-C stopped. An archive is written only at the
/// end, so none of its images counts as done; images a directory layout names
/// are whole there, and its blobs' partial files stay for the rerun.
fn interrupted_outcome(
    plan: &MirrorPlan,
    jobs: &[LayoutJob],
    done: Vec<Option<Result<ImageReport>>>,
    location: &Location,
) -> Mirrored {
    let archive = location.transport != Transport::Dir;
    let images = done
        .into_iter()
        .zip(jobs)
        .map(|(result, job)| {
            let result = match result {
                Some(Ok(report)) if !archive => Ok(report),
                _ => Err(Interrupted.into()),
            };
            image_outcome(job, result, location)
        })
        .collect();
    Mirrored {
        dry_run: plan.dry_run,
        images,
        seconds: 0.0,
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
    }
}

/// The outcome of a run that went to its end: the archive written when an
/// image was copied, each image reported (but the only image's error, left to
/// [`Mirrored::into_result`], which makes it the run's).
async fn finish(
    plan: &MirrorPlan,
    jobs: &[LayoutJob],
    done: Vec<Option<Result<ImageReport>>>,
    mut carried: Vec<Carried>,
    writer: Option<Writer>,
    location: &Location,
    reporter: &dyn Reporter,
) -> Result<Mirrored> {
    let results: Vec<Result<ImageReport>> = done
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err(Interrupted.into())))
        .collect();
    let single = jobs.len() == 1;
    let copied = results
        .iter()
        .any(|r| r.as_ref().is_ok_and(|r| r.outcome == Outcome::Copied));
    if let Some(writer) = writer
        && copied
        && !plan.dry_run
    {
        writer.finish().await?;
    }
    let mut images = Vec::new();
    carried.resize_with(jobs.len(), Carried::default);
    for ((result, job), carried) in results.into_iter().zip(jobs).zip(carried) {
        let mut image = image_outcome(job, result, location);
        image.referrers = carried.outcomes;
        image.referrers_unlisted = carried.unlisted;
        if !(single && image.result.is_err()) {
            reporter.image(&image, plan.dry_run, false);
        }
        images.push(image);
    }
    super::single::notice_referrers_failed(&images, reporter);
    Ok(Mirrored {
        dry_run: plan.dry_run,
        images,
        seconds: 0.0,
        interruption: None,
    })
}

/// The referrers of every registry image copied into the layout, one image
/// after another (their blobs a few at once), each as the plan says for its
/// source.
async fn carry_all(
    carrier: &LayoutCarrier<'_>,
    plan: &MirrorPlan,
    jobs: &[LayoutJob],
    done: &[Option<Result<ImageReport>>],
) -> Vec<Carried> {
    let mut carried = Vec::new();
    for (job, result) in jobs.iter().zip(done) {
        let (Some(registry), Some(Ok(report))) = (&job.registry, result) else {
            carried.push(Carried::default());
            continue;
        };
        let image = Image {
            registry,
            source: &*job.source,
            from: &job.from,
            name: &job.name,
        };
        let policy = plan.referrers_for(&job.from.to_string());
        carried.push(carrier.carry(&image, report, policy).await);
    }
    carried
}

/// `docker-archive:` has no place for referrers: said once per run when
/// registry images go there and referrers were not turned off.
fn notice_referrers_not_kept(
    plan: &MirrorPlan,
    jobs: &[LayoutJob],
    location: &Location,
    reporter: &dyn Reporter,
) {
    // A registry source is named by its registry; a layout's by its place.
    let any = jobs.iter().any(|j| {
        j.source.name() == j.from.registry && plan.referrers_for(&j.from.to_string()).any()
    });
    if plan.dry_run || !any || location.transport != Transport::DockerArchive {
        return;
    }
    reporter.notice(super::Notice::ReferrersNotKept {
        destination: location.base(),
    });
}

/// One image's outcome; its destination is the image's place in the layout,
/// `oci:DIR:NAME`, whether or not it got there.
fn image_outcome(
    job: &LayoutJob,
    result: Result<ImageReport>,
    location: &Location,
) -> ImageOutcome {
    ImageOutcome {
        source: job.source.describe(&job.from),
        destination: location.with_name(Some(&job.name)).to_string(),
        result,
        cleanup: None,
        referrers: Vec::new(),
        referrers_unlisted: Vec::new(),
        verification: job.verdict.get().cloned(),
    }
}

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
        outcome: Outcome::Planned,
        blobs_to_copy: resolved.blobs.len(),
        bytes_to_copy: resolved.blobs.iter().map(|b| b.size.max(0) as u64).sum(),
        skipped_foreign: resolved.skipped_foreign,
        ..ImageReport::default()
    })
}
