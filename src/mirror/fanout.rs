//! A run into several registries at once: one engine per destination, all
//! reading the sources through one [`Spool`], so each blob is read from its
//! source once. A destination that fails fails its own images only; the
//! run's outcome holds every destination's.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;

use super::outcome::{ImageOutcome, Mirrored};
use super::plan::MirrorPlan;
use super::targets::Src;
use super::{Progress, Reporter, SourceReads, Spool};
use crate::error::{Error, Kind};
use crate::registry::Reference;
use crate::settings::Settings;

/// Mirror the same sources into each destination registry of `planned`.
/// The plan's rate limit is the spool's: on the one read of each blob from
/// its source, not on each destination's read of the spooled file.
pub(super) async fn run(
    settings: &Settings,
    plan: &MirrorPlan,
    planned: Vec<Vec<(Src, Reference)>>,
    reporter: &dyn Reporter,
) -> Result<Mirrored> {
    let started = Instant::now();
    let spool = Spool::new(plan.limit_rate.as_ref().map(super::LimitRate::limit))?;
    // One progress line per destination, in the order they were given.
    let lines: Vec<Arc<dyn Progress>> = planned
        .iter()
        .map(|planned| reporter.progress(&planned[0].1.registry))
        .collect();
    // Every destination's reader made before any reads (see `Spool::reader`).
    let readers: Vec<_> = planned.iter().map(|_| spool.reader()).collect();
    let runs = planned
        .iter()
        .zip(lines)
        .zip(readers)
        .map(|((planned, line), reader)| {
            async move {
                let registry = &planned[0].1.registry;
                let reads = SourceReads::Spooled(&reader);
                let run = super::single::run(
                    settings,
                    plan,
                    planned.clone(),
                    reads,
                    Some(line),
                    reporter,
                )
                .await;
                // A lone image refused at the source keeps its verdict.
                let verdict = run.as_ref().ok().and_then(|m| match m.images.as_slice() {
                    [only] => only.verification.clone(),
                    _ => None,
                });
                let result = run.and_then(Mirrored::into_result);
                // What this destination would still read is freed.
                drop(reader);
                reporter.destination_done(registry, result.as_ref());
                (planned, result, verdict)
            }
        });
    let mut merged = Mirrored::empty(plan.dry_run);
    for (planned, result, verdict) in futures_util::future::join_all(runs).await {
        match result {
            Ok(mirrored) => {
                merged.images.extend(mirrored.images);
                merged.interruption = merged.interruption.or(mirrored.interruption);
            }
            Err(err) => {
                let mut failed = failed_images(planned, &err);
                if let [only] = failed.as_mut_slice() {
                    only.verification = verdict;
                }
                merged.images.extend(failed);
            }
        }
    }
    merged.seconds = started.elapsed().as_secs_f64();
    Ok(merged)
}

/// The images of a destination that failed before any image (unreachable,
/// refused login): each failed with its error, kind and help kept.
fn failed_images(planned: &[(Src, Reference)], err: &anyhow::Error) -> Vec<ImageOutcome> {
    let message = format!("{err:#}");
    let found = crate::error::find(err);
    let kind = found.map_or(Kind::Failed, |e| e.kind);
    let help = found.map(|e| e.help.clone()).unwrap_or_default();
    planned
        .iter()
        .map(|(source, destination)| {
            let mut error = Error::new(kind, message.clone());
            error.help = help.clone();
            ImageOutcome {
                source: source.describe(),
                destination: destination.to_string(),
                result: Err(error.into()),
                cleanup: None,
                referrers: Vec::new(),
                referrers_unlisted: Vec::new(),
                verification: None,
            }
        })
        .collect()
}
