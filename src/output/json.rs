//! The wire format: every object `--format json` prints, in one place.
//!
//! These types are serialize-only and exist only to be printed; commands convert
//! their internal results into them, so internal types can change freely while
//! this schema stays put. The rules (also in docs/json.md):
//!
//! - Every command prints exactly one JSON object on stdout, on success and on
//!   failure; the exit code is the same as without `--format json`.
//! - Field names are camelCase. Optional values are left out when absent
//!   (`Option` fields), never printed as `null`. Fields may be added later, but
//!   never renamed or removed.
//! - One vocabulary: a field name has one meaning and one JSON type in every
//!   object that has it, and every `status` is a word of [`Status`]. A plural
//!   name is a list of those things, each its name or an object describing it
//!   (`tags`, `repositories`, `platforms`); a number of things listed elsewhere
//!   is `<thing>Count` (`tagCount`); `total` is always a batch's item count.
//! - `reference` is the image reference as the user typed it; the digest it
//!   resolved to is in `digest`, on success and on failure alike.
//! - A command that fails as a whole prints [`Failure`]:
//!   `{"error": {"kind", "message", "help": [..]}}`. `kind` is one of the
//!   names of [`crate::error::Kind::name`]; `help` lists the commands that fix it
//!   (possibly none).
//! - Batch commands (`mirror`, `delete`, `untag`, `prune`) print `{dryRun,
//!   items: [..], summary: {total, succeeded, failed, ..}}`: one item per image
//!   or manifest, each with a `status`; a failed item has `status: "failed"` and
//!   an `error` object of the same shape as [`Failure`]'s. A batch with a failed
//!   item exits 1. `mirror` prints this shape for a single image too: when its
//!   only image fails, that item carries the error and the exit code is the
//!   error kind's, as without `--format json`.
//! - `doctor`, which reports its checks even when one fails, prints its report
//!   with the same `error` object added when it fails.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Kind;

mod k8s;
mod sync;
mod verify;

pub use k8s::*;
pub use sync::*;
pub use verify::*;

/// What a whole command that failed prints: `{"error": {..}}`.
#[derive(Debug, Serialize)]
pub struct Failure {
    pub error: ErrorBody,
}

/// One failure: the kind (exit code class), the message, and what fixes it.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// [`Kind::name`]: `not-found`, `auth-required`, `refused`, ...
    pub kind: &'static str,
    /// The message with its cause chain, `: `-separated (as `error:` prints with -v).
    pub message: String,
    /// `help:` lines, usually the command that fixes the problem.
    pub help: Vec<String>,
}

impl ErrorBody {
    pub fn new(kind: Kind, message: impl Into<String>, help: Vec<String>) -> ErrorBody {
        ErrorBody {
            kind: kind.name(),
            message: message.into(),
            help,
        }
    }
}

/// Every `status` word of the wire format, one list for every command
/// (docs/json.md). Serialized in kebab-case: `up-to-date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// `mirror`, `sync`: the image was written to the destination by this run
    /// (blobs it already had were not sent again).
    Copied,
    /// `mirror`, `sync`: the destination already had the image, with the same
    /// digest; nothing was written.
    UpToDate,
    /// `--dry-run` (and `sync --check`): the item would be copied, deleted,
    /// untagged or pruned; nothing was written.
    Planned,
    /// `delete`: the manifest was deleted, with every tag on it.
    Deleted,
    /// `untag`: the tag was removed; the image stays.
    Untagged,
    /// `prune`, a `sync` prune: the action (or every action of the
    /// repository's prune) was carried out, or none was needed.
    Done,
    /// A `sync` prune not tried; `reason` says why.
    Skipped,
    /// A `doctor` check that passed; a `sync` destination whose items all went.
    Ok,
    /// A `doctor` check that passed with a caveat (`detail`, `help`).
    Warn,
    /// `verify`: a signature satisfied the key or the trust policy.
    Verified,
    /// `verify` under a statement of level `audit`: no signature verified,
    /// reported and not enforced.
    Unverified,
    /// It failed: an item carries its `error` object, a `doctor` check its
    /// `detail` and `help`, a `sync` destination its failed items or `error`.
    Failed,
}

/// The counts every batch command reports.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct BatchCounts {
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
}

impl BatchCounts {
    /// Count items by whether they failed.
    pub fn of<'a>(failed: impl IntoIterator<Item = &'a Option<ErrorBody>>) -> BatchCounts {
        let mut counts = BatchCounts::default();
        for error in failed {
            counts.total += 1;
            if error.is_some() {
                counts.failed += 1;
            } else {
                counts.succeeded += 1;
            }
        }
        counts
    }
}

/// `aseecr tags`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tags<'a> {
    pub registry: &'a str,
    pub repository: &'a str,
    /// Version order, or with `--long` newest first (`--sort` changes either).
    pub tags: &'a [String],
    /// `--long`: one entry per tag, in the order of `tags`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<&'a [TagDetail]>,
    /// The attachment tags, apart from `tags`, in version order.
    pub attachments: &'a [TagAttachment],
}

/// An attachment tag of `aseecr tags`: a referrers index (`sha256-<hex>`) or
/// a cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagAttachment {
    pub tag: String,
    /// `referrers-index`, `cosign-signature`, `cosign-attestation` or `cosign-sbom`.
    pub kind: &'static str,
    /// The digest the tag's name says it hangs off (the spec cuts a sha512
    /// digest to 64 hex digits in a tag).
    pub subject: String,
    /// `--long`: the manifest the tag points at, and its bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// `--long`: the user's tags on the subject; empty when no tag reaches it
    /// (an attachment of an untagged image, or of one that is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_tags: Option<Vec<String>>,
}

/// One tag of `aseecr tags --long`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagDetail {
    pub tag: String,
    pub digest: String,
    pub media_type: String,
    /// RFC 3339, as the image says; null when it says nothing.
    pub created: Option<String>,
    /// Where `created` comes from: `config` (the image config), `annotation`
    /// (`org.opencontainers.image.created`), or `newest-platform` (an index
    /// without the annotation: the newest of its images).
    pub created_from: Option<&'static str>,
    /// Bytes the image is stored as: manifests, configs and layers, each once.
    pub size: u64,
    pub platforms: Vec<String>,
}

/// What the registry's next garbage collection frees (`untag`, `prune`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Freed {
    pub bytes: u64,
    pub blobs: usize,
    /// Every repository of the registry was read for the figure (garbage
    /// collection is registry-wide); when false, blobs used by repositories not
    /// read may be counted as freed.
    pub all_repositories: bool,
    pub note: &'static str,
}

/// The caveat every freed figure carries.
pub const FREED_NOTE: &str = "an upper bound: untagged manifests aseecr cannot see may still hold some of these blobs; the registry frees them in its next garbage collection";

/// `aseecr untag`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagReport {
    pub dry_run: bool,
    pub items: Vec<UntagItem>,
    pub summary: BatchCounts,
    pub freed: Freed,
}

/// One named tag of `untag`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagItem {
    /// As typed.
    pub reference: String,
    pub registry: String,
    pub repository: String,
    pub tag: String,
    /// The image the tag pointed at; it stays.
    pub digest: Option<String>,
    /// The image's attachment tags (referrers index, cosign tags): they stay
    /// with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachment_tags: Vec<String>,
    /// `untagged`, `planned` (dry run) or `failed`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// `aseecr prune`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneReport {
    pub dry_run: bool,
    pub registry: String,
    /// One item per image deleted or per digest whose tags are removed.
    pub items: Vec<PruneItem>,
    /// Tags the policy keeps, and why.
    pub kept: Vec<PruneKept>,
    pub summary: BatchCounts,
    pub freed: Freed,
}

/// One action of `prune`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneItem {
    pub repository: String,
    /// `delete` (the image, by digest, with every tag on it) or `untag` (only
    /// these tags; the image stays).
    pub action: PruneAction,
    pub digest: String,
    pub tags: Vec<String>,
    /// Entries of a deleted index deleted with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    /// Attachments (signatures, SBOMs, referrers indexes, cosign tags) of the
    /// image and of its entries, removed before it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<RemovedAttachment>,
    /// Bytes the image is stored as (each blob once), for `delete`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Why the image stays, for `untag`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `done`, `planned` (dry run) or `failed`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// An attachment removed with its image (`prune`, `delete`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedAttachment {
    pub digest: String,
    /// `referrers-index` (the fallback tag `sha256-<hex>`), `referrer` (a
    /// manifest whose `subject` is the image), `cosign-signature`,
    /// `cosign-attestation`, `cosign-sbom` (the tags `sha256-<hex>.sig`,
    /// `.att`, `.sbom`).
    pub kind: &'static str,
    /// The manifest it hangs off.
    pub subject: String,
    /// The attachment tag removed with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// A referrer's artifact type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// `delete` (by digest), or `untag` (only its tag: a tag that stays
    /// points at the same manifest).
    pub removal: &'static str,
}

/// What `prune` does to one digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PruneAction {
    /// Delete the image by digest, with every tag on it.
    Delete,
    /// Remove these tags only; the image stays.
    Untag,
}

/// A tag `prune` keeps.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneKept {
    pub repository: String,
    pub tag: String,
    pub digest: String,
    pub reason: &'static str,
}

/// `aseecr catalog`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog<'a> {
    pub registry: &'a str,
    pub repositories: &'a [String],
}

/// `aseecr inspect` (the text output is printed from the same values).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// As typed.
    pub reference: String,
    pub digest: String,
    pub media_type: String,
    /// `image` or `index`.
    pub kind: &'static str,
    /// For an image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// For an index: its entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<PlatformEntry>>,
    /// The bytes the registry stores for it: manifest(s), config(s) and layers,
    /// each blob counted once.
    pub total_size: u64,
}

/// `aseecr inspect --config`: the image configuration as the image carries it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageConfig<'a> {
    /// As typed.
    pub reference: String,
    /// The image manifest's digest (the platform's, for an index).
    pub digest: String,
    /// The config blob, unchanged (`config.Entrypoint`, `config.Env`, `created`, ...).
    pub config: &'a serde_json::Value,
}

/// One image manifest of `inspect`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// `os/arch[/variant]` from the image's config.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    pub config: Blob,
    pub layers: Vec<Blob>,
    /// Manifest, config and layer bytes (the same definition as the top level's).
    pub total_size: u64,
}

/// A blob descriptor.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blob {
    pub digest: String,
    pub media_type: String,
    pub size: u64,
}

/// One entry of an index in `inspect`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub digest: String,
    pub media_type: String,
    pub size: u64,
    /// Left out for entries that are not image manifests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
}

/// `aseecr usage`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport<'a> {
    pub registry: &'a str,
    /// `all`: every repository of the catalog was read, so unique and shared
    /// compare each with the whole registry; `named`: only the repositories named
    /// were read, and compared with each other only.
    pub scope: &'static str,
    /// In catalog order, or as named.
    pub repositories: Vec<RepositoryUsage<'a>>,
    /// The repositories read, together.
    pub totals: UsageTotal,
    /// The largest tagged images (`--top`), largest first.
    pub largest: Vec<ImageUsage<'a>>,
}

/// One repository of `usage`. Sizes in bytes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryUsage<'a> {
    pub repository: &'a str,
    /// How many of the user's tags it has (attachment tags apart).
    pub tag_count: usize,
    /// Attachment tags: referrers indexes and cosign tags.
    pub attachment_tag_count: usize,
    /// Bytes of `size` only attachments reach (signatures, SBOMs,
    /// attestations, referrers indexes, and their blobs).
    pub attachment_size: u64,
    /// Distinct manifests its tags reach, an index's entries included.
    pub manifests: usize,
    /// Distinct blobs: manifests, configs and layers.
    pub blobs: usize,
    /// Its blobs' bytes, each blob once.
    pub size: u64,
    /// Bytes of blobs no other repository read references.
    pub unique_size: u64,
    /// `size - uniqueSize`.
    pub shared_size: u64,
}

/// The repositories of `usage` together.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageTotal {
    /// How many repositories were read.
    pub repository_count: usize,
    /// Their tags, added up.
    pub tag_count: usize,
    /// Their attachment tags, added up.
    pub attachment_tag_count: usize,
    /// Their attachment bytes, added up.
    pub attachment_size: u64,
    pub manifests: usize,
    /// Distinct blobs over every repository read.
    pub blobs: usize,
    /// Each blob once over every repository read, as the registry stores it.
    pub size: u64,
    /// The repositories' sizes added up (a shared blob once per repository).
    pub sum_of_repository_sizes: u64,
}

/// One of the largest images of `usage`: a digest some tags point at.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageUsage<'a> {
    pub repository: &'a str,
    /// Every tag on the digest.
    pub tags: &'a [String],
    pub digest: &'a str,
    /// Its manifests, configs and layers, each blob once (as `inspect`'s `totalSize`).
    pub size: u64,
}

/// `aseecr delete` (a batch).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteReport {
    pub dry_run: bool,
    /// Named references that failed to resolve, then one item per manifest.
    pub items: Vec<DeleteItem>,
    pub summary: BatchCounts,
    /// When the space is freed.
    pub note: &'static str,
    /// What that garbage collection frees.
    pub freed: Freed,
}

/// One item of `delete`: a manifest (deleted, planned or failed), or a named
/// reference that could not be resolved (only `reference`, `status` and `error`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteItem {
    /// As typed: the first reference named that resolved to the manifest, or
    /// the one that did not resolve.
    pub reference: String,
    /// `deleted`, `planned` (dry run) or `failed`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Every tag that pointed at the digest (and goes with it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Attachments removed before it (see `prune`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<RemovedAttachment>,
    /// A referrer deleted whose subject stays: that subject, whose fallback
    /// index no longer lists it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlisted_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// `aseecr mirror` (a batch).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorReport {
    pub dry_run: bool,
    /// One item per image, in the order given (tags expanded).
    pub items: Vec<MirrorItem>,
    pub summary: MirrorSummary,
}

/// One image of `mirror`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorItem {
    pub source: String,
    pub destination: String,
    /// `copied`, `up-to-date`, `planned` (dry run) or `failed`.
    pub status: Status,
    /// Left out for a failed image.
    #[serde(flatten)]
    pub copy: Option<MirrorCopy>,
    /// How the source was verified before the copy; left out when no
    /// requirement covers the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<ImageVerification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// What was copied for one image.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorCopy {
    pub source_digest: String,
    pub destination_digest: String,
    /// The destination digest differs from the source's (platform selection).
    pub digest_changed: bool,
    pub blobs_copied: usize,
    pub blobs_present: usize,
    pub blobs_mounted: usize,
    pub bytes_copied: u64,
    /// Dry run: blobs and bytes that would be copied.
    pub blobs_to_copy: usize,
    pub bytes_to_copy: u64,
    pub manifests_pushed: usize,
    /// Blobs and manifests the destination claimed to have but could not
    /// serve (its cache was stale after a garbage collection), written again.
    pub repaired: usize,
    /// Foreign layers left out (not distributable).
    pub skipped_foreign: Vec<String>,
    /// Its referrers and cosign tags, and what became of each.
    pub referrers: Vec<MirrorReferrer>,
    /// Subjects whose referrers could not be listed at the source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referrers_unlisted: Vec<MirrorUnlisted>,
    /// The digest the destination tag pointed at before, when the copy moved
    /// the tag to another digest (in a dry run: when it would).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced: Option<MirrorReplaced>,
}

/// One referrer (signature, SBOM, attestation) or cosign tag of an image.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorReferrer {
    /// The digest it hangs off: the image, a platform manifest, or a referrer.
    pub subject: String,
    pub digest: String,
    pub artifact_type: Option<String>,
    /// A cosign tag (`sha256-<hex>.sig`): copied as that tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// `copied`, `present`, `skipped-type` or `failed`.
    pub status: &'static str,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A subject whose referrers could not be listed at the source.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorUnlisted {
    pub subject: String,
    pub reason: String,
}

/// What a moved tag left behind: distribution keeps it, untagged, until it is
/// deleted by digest.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorReplaced {
    pub digest: String,
    /// The bytes the registry stores for it: manifests, configs and layers,
    /// each blob once (blobs shared with other images included). Left out
    /// when its manifests could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Deleted by `--prune-replaced` (or already gone).
    pub pruned: bool,
    /// Manifests deleted: it, and the entries of an index that no tag reaches.
    pub manifests_deleted: usize,
    /// With `--prune-replaced`: the tags that still use it, so it was kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub in_use_by: Vec<String>,
    /// Added to aseecr's local record of replaced digests (`replaced.json`).
    pub recorded: bool,
    /// Why `--prune-replaced` did not delete it (deletion disabled: kind
    /// `registry-refused`); the image itself is mirrored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The counts of `mirror`: the batch counts plus blob totals over the images
/// that did not fail.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorSummary {
    #[serde(flatten)]
    pub counts: BatchCounts,
    /// Images already at the destination with the same digest.
    pub up_to_date: usize,
    pub blobs_copied: usize,
    pub blobs_present: usize,
    pub blobs_mounted: usize,
    pub bytes_copied: u64,
    /// Images whose destination tag moved off another digest (items with
    /// `replaced`).
    pub replaced_count: usize,
    /// Replaced digests deleted by `--prune-replaced` (items whose `replaced`
    /// has `pruned: true`).
    pub pruned_count: usize,
    /// Referrers and cosign tags copied, and those that failed (items'
    /// `referrers`).
    pub referrers_copied: usize,
    pub referrers_failed: usize,
    /// Referrers and cosign tags a dry run would copy (items' `referrers`
    /// with status `would-copy`).
    pub referrers_to_copy: usize,
    pub seconds: f64,
}

/// `aseecr doctor`: every check run, in order; `error` when one failed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoctorReport<'a> {
    pub registry: &'a str,
    pub ok: bool,
    pub checks: Vec<DoctorCheck<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// One doctor check.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoctorCheck<'a> {
    /// `resolve`, `connect`, `tls`, `expiry`, `api`, `login`, `push`, `delete`.
    pub name: &'a str,
    /// `ok`, `warn` or `failed`.
    pub status: Status,
    pub detail: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub help: &'a [String],
}

/// `aseecr setup-host --list`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostsListing {
    pub hosts_file: String,
    pub entries: Vec<HostsEntry>,
}

/// `aseecr setup-host` after a change, or with `--dry-run`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostsChange {
    pub hosts_file: String,
    pub changed: bool,
    pub dry_run: bool,
    /// aseecr's entries after the change.
    pub entries: Vec<HostsEntry>,
    /// Dry run: the change as a unified diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// The previous file, kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
}

/// One hosts-file entry aseecr manages.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostsEntry {
    pub host: String,
    pub ip: String,
}

/// `aseecr trust-cert`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustReport {
    /// `host[:port]`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// The file read, or `https://HOST:PORT` for `--fetch`.
    pub source: String,
    /// The certificate trusted or removed.
    pub certificate: CertificateInfo,
    /// With `--fetch`: every certificate the server presented, leaf first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presented: Option<Vec<CertificateInfo>>,
    pub remove: bool,
    pub dry_run: bool,
    pub actions: Vec<TrustAction>,
    /// What needs a restart after the change, and what does not.
    pub restart: Vec<String>,
}

/// What a person checks before trusting a certificate.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// Subject alternative names: `DNS:name` or `IP:address`.
    pub sans: Vec<String>,
    /// RFC 3339, UTC.
    pub not_before: String,
    /// RFC 3339, UTC.
    pub not_after: String,
    pub is_ca: bool,
    pub self_signed: bool,
    /// `AA:BB:...`, upper case.
    pub sha256: String,
}

/// One store's part of `trust-cert`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustAction {
    /// `os`, `docker`, `containers`, `containerd` or `aseecr`.
    pub store: &'static str,
    /// `add`, `replace`, `already-trusted`, `remove`, `not-trusted` or `kept-other`.
    pub outcome: &'static str,
    /// The file, folder or store name the certificate goes to.
    pub target: String,
    /// The OS commands run (or to run), as argv.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// `aseecr version`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub name: &'static str,
    pub version: &'static str,
}

/// `aseecr config list`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigListing {
    /// The configuration file.
    pub path: String,
    /// The default registry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// The default platform of `mirror`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The trust policy `verify` applies by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_policy: Option<String>,
    /// The trust store folder `verify` reads by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_store: Option<String>,
    /// What is remembered per registry, keyed `host:port`.
    pub registries: BTreeMap<String, RegistrySettings>,
}

/// What `config list` shows for one registry.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrySettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<String>,
    pub insecure: bool,
    pub plain_http: bool,
}

// --- `digest`, `login`, `logout`, `config set|get|unset` and `setup`.

/// `aseecr digest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestReport {
    /// The reference as given.
    pub reference: String,
    /// `--platform`, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub digest: String,
}

/// Where credentials are kept: docker's `config.json`, or a credential helper.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialPlace {
    /// `config-file` or `helper`.
    pub stored_in: &'static str,
    /// With `helper`: the program, `docker-credential-NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helper: Option<String>,
    /// With `config-file`: docker's `config.json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_file: Option<String>,
}

/// `aseecr login`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginReport {
    /// `host[:port]`.
    pub registry: String,
    pub username: String,
    #[serde(flatten)]
    pub place: CredentialPlace,
    /// `--ca-cert`: where the certificate is remembered for the registry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<String>,
}

/// `aseecr logout`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoutReport {
    /// `host[:port]`.
    pub registry: String,
    /// Whether credentials were stored (and so removed).
    pub removed: bool,
    /// Where they were removed from.
    #[serde(flatten)]
    pub place: Option<CredentialPlace>,
}

/// `aseecr config set`, `get` and `unset`: one setting after the command.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigSetting {
    /// The configuration file.
    pub path: String,
    /// `registry` or `platform`.
    pub key: &'static str,
    /// Left out when the setting is not set (after `unset`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `aseecr setup`: what each step did. A failed step ends the run with a
/// [`Failure`], except `doctor`, whose report is kept here with `error` added.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupReport<'a> {
    /// `host[:port]`.
    pub registry: String,
    pub dry_run: bool,
    /// Step 1.
    pub hosts: HostsChange,
    /// Step 2.
    pub trust: TrustReport,
    /// Step 3 (left out by a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<LoginReport>,
    /// Step 4: the registry is now the default (false in a dry run).
    pub default_registry: bool,
    /// Step 5 (left out by a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doctor: Option<DoctorReport<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

// --- `completions` and `config path` (the `k8s` commands' types are in `k8s.rs`,
// `sync`'s in `sync.rs`).

/// `aseecr completions`: the script as text.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completions {
    pub shell: String,
    pub script: String,
}

/// `aseecr config path`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigPath {
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_shape() {
        let failure = Failure {
            error: ErrorBody::new(Kind::NotFound, "`x` not found", vec!["try y".to_owned()]),
        };
        assert_eq!(
            serde_json::to_value(&failure).unwrap(),
            serde_json::json!({"error": {"kind": "not-found", "message": "`x` not found", "help": ["try y"]}})
        );
    }

    /// The status after `status` in the table of docs/json.md (`None`: the first; the
    /// answer `None`: the last). The match names every status, so a new one
    /// does not compile until it has its place here, then in docs/json.md.
    fn next_status(status: Option<Status>) -> Option<Status> {
        match status {
            None => Some(Status::Copied),
            Some(Status::Copied) => Some(Status::UpToDate),
            Some(Status::UpToDate) => Some(Status::Planned),
            Some(Status::Planned) => Some(Status::Deleted),
            Some(Status::Deleted) => Some(Status::Untagged),
            Some(Status::Untagged) => Some(Status::Done),
            Some(Status::Done) => Some(Status::Skipped),
            Some(Status::Skipped) => Some(Status::Ok),
            Some(Status::Ok) => Some(Status::Warn),
            Some(Status::Warn) => Some(Status::Verified),
            Some(Status::Verified) => Some(Status::Unverified),
            Some(Status::Unverified) => Some(Status::Failed),
            Some(Status::Failed) => None,
        }
    }

    #[test]
    fn readme_documents_every_status_word() {
        let words: Vec<String> =
            std::iter::successors(next_status(None), |s| next_status(Some(*s)))
                .map(|s| {
                    serde_json::to_value(s)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect();
        let page = include_str!("../../docs/json.md");
        let table = &page[page
            .find("**Statuses.**")
            .expect("docs/json.md's status table")..];
        let documented: Vec<&str> = table
            .lines()
            .skip_while(|line| !line.starts_with("| `"))
            .take_while(|line| line.starts_with("| `"))
            .filter_map(|line| line.split('`').nth(1))
            .collect();
        assert_eq!(documented, words);
    }

    #[test]
    fn a_failed_mirror_item_has_no_counters() {
        let item = MirrorItem {
            source: "a/b:1".to_owned(),
            destination: "c/b:1".to_owned(),
            status: Status::Failed,
            copy: None,
            verification: None,
            error: Some(ErrorBody::new(Kind::Refused, "refused", Vec::new())),
        };
        assert_eq!(
            serde_json::to_value(&item).unwrap(),
            serde_json::json!({"source": "a/b:1", "destination": "c/b:1", "status": "failed",
                "error": {"kind": "refused", "message": "refused", "help": []}})
        );
    }
}
