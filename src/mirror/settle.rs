//! What becomes of the digests that moved tags left behind: with
//! `--prune-replaced`, deleted when no tag reaches them; otherwise (or when
//! that fails) kept in the local record of replaced digests, for `prune
//! --untagged` later.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;

use super::Reporter;
use super::outcome::{Cleanup, Notice};
use super::plan::MirrorPlan;
use crate::error::{Error, Kind};
use crate::records::{ReplacedDigest, ReplacedRecord};
use crate::registry::copy::{ImageReport, Job, Replaced};
use crate::registry::{Deleted, Registry};
use crate::settings::Settings;

/// The replaced digest of each result, if its copy moved a tag.
fn replaced_of(results: &[Result<ImageReport>], i: usize) -> Option<&Replaced> {
    results[i].as_ref().ok().and_then(|r| r.replaced.as_ref())
}

/// What becomes of the digests that moved tags left behind (`results` in job
/// order; the answer too). With `--prune-replaced`, after every copy of the run
/// (so the tags are final), each destination repository's tags are read once
/// ([`Registry::reachable`]) and a replaced digest that no tag reaches, as a
/// tagged manifest, an index entry or a `subject`, is deleted by digest, then
/// the entries of a replaced index that no tag reaches. Failures are notices:
/// the images are mirrored. Every replaced digest not deleted is added to the
/// local record, and those deleted are forgotten there, in one write. A dry
/// run deletes and records nothing; an interrupted run records, but deletes
/// nothing.
pub(super) async fn settle(
    settings: &Settings,
    destination: &Registry,
    jobs: &[Job],
    results: &[Result<ImageReport>],
    plan: &MirrorPlan,
    interrupted: bool,
    reporter: &dyn Reporter,
) -> Vec<Option<Cleanup>> {
    let mut cleanups: Vec<Option<Cleanup>> = (0..results.len())
        .map(|i| replaced_of(results, i).map(|_| Cleanup::default()))
        .collect();
    if plan.dry_run || cleanups.iter().all(Option::is_none) {
        return cleanups.into_iter().map(|_| None).collect();
    }
    if plan.prune_replaced && !interrupted {
        prune_unreached(destination, jobs, results, &mut cleanups, reporter).await;
    }
    record(settings, jobs, results, &mut cleanups, reporter).await;
    cleanups
}

/// Delete, repository by repository, the replaced digests no tag reaches.
async fn prune_unreached(
    destination: &Registry,
    jobs: &[Job],
    results: &[Result<ImageReport>],
    cleanups: &mut [Option<Cleanup>],
    reporter: &dyn Reporter,
) {
    let mut by_repository: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in (0..results.len()).filter(|i| replaced_of(results, *i).is_some()) {
        by_repository
            .entry(jobs[i].to.repository.as_str())
            .or_default()
            .push(i);
    }
    for (repository, indices) in by_repository {
        let reached = match destination.reachable(repository).await {
            Ok(reached) => reached,
            Err(err) => {
                let place = format!("{}/{repository}", destination.name());
                let kind = crate::error::find(&err).map_or(Kind::Failed, |e| e.kind);
                for i in indices {
                    if let Some(cleanup) = cleanups[i].as_mut() {
                        let message = format!("cannot read the tags of `{place}`: {err:#}");
                        cleanup.error = Some(Error::new(kind, message).into());
                    }
                }
                reporter.notice(Notice::TagsUnreadable {
                    repository: place,
                    error: err,
                });
                continue;
            }
        };
        let mut gone: BTreeSet<String> = BTreeSet::new();
        for i in indices {
            let (Some(replaced), Some(cleanup)) = (replaced_of(results, i), cleanups[i].as_mut())
            else {
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

/// One locked write of the record: what stays is added, what went is forgotten.
async fn record(
    settings: &Settings,
    jobs: &[Job],
    results: &[Result<ImageReport>],
    cleanups: &mut [Option<Cleanup>],
    reporter: &dyn Reporter,
) {
    let replaced_at = crate::records::now_rfc3339();
    let mut add = Vec::new();
    let mut forget = Vec::new();
    for (i, cleanup) in cleanups.iter().enumerate() {
        let (Some(replaced), Some(cleanup)) = (replaced_of(results, i), cleanup) else {
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
    let error = match written {
        Ok(Ok(_)) if adding => {
            for (i, cleanup) in cleanups.iter_mut().enumerate() {
                if let Some(cleanup) = cleanup
                    .as_mut()
                    .filter(|c| !c.pruned && replaced_of(results, i).is_some())
                {
                    cleanup.recorded = true;
                }
            }
            return;
        }
        Ok(Ok(_)) => return,
        Ok(Err(err)) => err,
        Err(err) => anyhow::Error::new(err),
    };
    reporter.notice(Notice::RecordNotWritten {
        path: record.path(),
        error,
    });
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
                    cleanup.error = Some(
                        crate::registry::probe::deletion_disabled(destination.name(), None).into(),
                    );
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
