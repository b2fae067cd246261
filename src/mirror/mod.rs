//! The copy use case every copying command shares (`mirror`, `sync`, `k8s
//! relocate --mirror`): the options checked once into a [`MirrorPlan`], the
//! image list routed to its destinations ([`route`]), then a run into one
//! registry ([`single`]), into several at once through a [`Spool`]
//! ([`fanout`]), or into one layout or archive ([`layout`]). Progress, notices
//! and each image's result reach the command through a [`Reporter`]; nothing
//! here prints.

mod fanout;
mod input;
mod layout;
mod outcome;
mod plan;
mod referrers;
mod referrers_layout;
mod settle;
mod single;
mod spool;
mod targets;
mod verify;
mod verify_files;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

pub use input::ImageList;
pub use outcome::{
    Cleanup, ImageOutcome, LayoutStop, Mirrored, Notice, ReferrerOutcome, ReferrerStatus,
};
pub use plan::{LimitRate, MirrorOptions, MirrorPlan, Referrers};
pub use spool::{Reader as SpoolReader, Spool};
pub use targets::{Route, route};
pub use verify::{Verdict, Verification, VerifyPaths};
pub use verify_files::{
    cronjob_files, refuse_verify_files, sync_requirements, sync_verify_of, verification,
};

use crate::registry::Reference;
use crate::registry::copy::Observer;
use crate::settings::Settings;

/// Images copied at once (their blobs share the `--jobs` limit).
const IMAGE_CONCURRENCY: usize = 4;
/// After Ctrl-C, how long transfers may take to end their uploads cleanly before
/// the sessions still open are cancelled from outside.
const INTERRUPT_DRAIN: Duration = Duration::from_secs(10);
/// Where the upload sessions of large blobs are kept for the next run, in the
/// configuration folder.
const UPLOADS_DIR: &str = "uploads";

/// What a run tells the command that started it, as it goes. The command
/// decides what is printed, and how.
pub trait Reporter: Sync {
    /// The progress display of the copies into `destination` (a registry, or a
    /// layout's place).
    fn progress(&self, destination: &str) -> Arc<dyn Progress>;
    /// Something noticed on the way that fails nothing.
    fn notice(&self, notice: Notice);
    /// One image is done: called in image order once a destination's copies
    /// are. `interrupted`: Ctrl-C stopped the run, and what it stopped is said
    /// once, for all images, by the command. Not called for the only image of
    /// a run when it fails: that error is the run's
    /// ([`Mirrored::into_result`]).
    fn image(&self, image: &ImageOutcome, dry_run: bool, interrupted: bool);
    /// One destination of a fan-out is done: what it did, or the error that
    /// failed all its images before any was copied.
    fn destination_done(&self, registry: &str, outcome: Result<&Mirrored, &anyhow::Error>);
}

/// A progress display: an [`Observer`] of the copy engine that is told when
/// the copies are over (to clear its bars before anything else is printed).
pub trait Progress: Observer {
    fn finish(&self);
}

/// How a run into one registry reads its sources, and so where `--limit-rate`
/// applies.
#[derive(Clone, Copy)]
pub enum SourceReads<'a> {
    /// Straight from the sources: the plan's limit is on these reads.
    Direct,
    /// Through a spool shared with other destinations (this destination's
    /// reader of it): the limit is the spool's, on its one read from each
    /// source, not on each destination's.
    Spooled(&'a SpoolReader),
}

/// Run a routed image list: into a layout, one registry, or several at once.
/// A run of one image that fails is still an outcome, with that image failed:
/// [`Mirrored::into_result`] makes its error the run's, once the command has
/// printed what it prints of the outcome (`--format json` prints it whole).
pub async fn execute(
    settings: &Settings,
    plan: &MirrorPlan,
    route: Route,
    reporter: &dyn Reporter,
) -> Result<Mirrored> {
    match route {
        Route::Layout(location, sources) => {
            layout::run(settings, plan, sources, &location, reporter).await
        }
        Route::Registries(mut planned) if planned.len() == 1 => {
            let planned = planned.remove(0);
            single::run(settings, plan, planned, SourceReads::Direct, None, reporter).await
        }
        Route::Registries(planned) => fanout::run(settings, plan, planned, reporter).await,
    }
}

/// Mirror registry images into one registry (what `sync` and `k8s relocate
/// --mirror` use), each `(source, destination)`. Fails as a whole when the
/// only image fails ([`Mirrored::into_result`]).
pub async fn mirror_images(
    settings: &Settings,
    plan: &MirrorPlan,
    planned: Vec<(Reference, Reference)>,
    reads: SourceReads<'_>,
    reporter: &dyn Reporter,
) -> Result<Mirrored> {
    let planned = planned
        .into_iter()
        .map(|(source, destination)| (targets::Src::Registry(source), destination))
        .collect();
    single::run(settings, plan, planned, reads, None, reporter)
        .await?
        .into_result()
}

/// Resolves at Ctrl-C (SIGINT; the console's Ctrl-C on Windows); never, when it
/// cannot be listened for.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
