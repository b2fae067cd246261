//! The wire types of `sync`: each destination's mirror items and prunes, each
//! image's selected tags, and the totals.

use serde::Serialize;

use super::*;

/// `aseecr sync`: every destination with its mirror items, every image with the
/// tags it selected, and the totals.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// `--dry-run` or `--check`: nothing was written.
    pub dry_run: bool,
    /// One per destination, in file order.
    pub destinations: Vec<SyncDestination>,
    /// One per image of the file, in file order.
    pub images: Vec<SyncImage>,
    pub summary: SyncSummary,
}

/// One destination of `sync`: `mirror`'s items and summary for it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncDestination {
    pub name: String,
    pub registry: String,
    /// `ok` or `failed` (an item failed, or the destination as a whole).
    pub status: Status,
    /// One per (image, tag) sent to this destination, as `mirror` reports them.
    pub items: Vec<MirrorItem>,
    /// Left out when the destination failed as a whole or got nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<MirrorSummary>,
    /// Why the destination failed as a whole (unreachable, login refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
    /// One per repository an image's `prune` policy applies to here; left out
    /// when the file has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prunes: Vec<SyncPrune>,
}

/// An image's `prune` policy at one destination: `prune`'s items, kept tags and
/// estimate, for its repository.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncPrune {
    pub repository: String,
    /// `done` (every action went, or none was needed), `planned` (a dry run),
    /// `failed` (`error`, or an item's), or `skipped` (not tried: `reason`).
    pub status: Status,
    pub items: Vec<PruneItem>,
    pub kept: Vec<PruneKept>,
    /// What the next garbage collection frees, counted from this repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freed: Option<Freed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// One image of the sync file and the tags it selected.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncImage {
    /// The source repository, `registry/path`.
    pub source: String,
    /// The destination repository path.
    pub repository: String,
    pub tags: Vec<String>,
    /// The names of the destinations it goes to.
    pub destinations: Vec<String>,
    /// Why its tags could not be listed (then it went nowhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The totals of `sync`: `total`, `succeeded`, `failed` count items over every
/// destination, copies and prune actions; an image whose tags could not be
/// listed, and a prune that failed before any action, count as failed too.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncSummary {
    #[serde(flatten)]
    pub counts: BatchCounts,
    /// How many destinations the file names.
    pub destination_count: usize,
    pub destinations_failed: usize,
    pub copied: usize,
    pub up_to_date: usize,
    /// Items a dry run would copy.
    pub planned: usize,
    /// Images deleted by `prune` policies (in a dry run: to delete).
    pub pruned_images: usize,
    /// Tags removed by `prune` policies without their image (in a dry run: to
    /// remove).
    pub pruned_tags: usize,
    /// Referrers and cosign tags a dry run would copy (items' `referrers`
    /// with status `would-copy`, every destination).
    pub referrers_to_copy: usize,
    /// A dry run found something to copy (images or referrers) or prune
    /// (`--check` exits 10).
    pub changes_pending: bool,
}
