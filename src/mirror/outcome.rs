//! What a copy run came to: each image's report or error, what became of the
//! digests moved tags left behind, how Ctrl-C stopped it, and the counts the
//! summaries are made of. Data only; the command words and prints it.

use std::path::PathBuf;

use super::verify::Verdict;
use crate::registry::copy::{ImageReport, Outcome, Replaced};

/// The outcome of one run: every image in order, and the time taken.
pub struct Mirrored {
    pub dry_run: bool,
    pub images: Vec<ImageOutcome>,
    pub seconds: f64,
    /// Set when Ctrl-C stopped the run.
    pub interruption: Option<Interruption>,
}

/// What Ctrl-C stopped, and what was cleaned up.
#[derive(Debug)]
pub struct Interruption {
    /// Upload sessions cancelled at the destination.
    pub uploads_cancelled: usize,
    /// Upload sessions of large blobs kept for the rerun to continue.
    pub uploads_kept: usize,
    /// A second Ctrl-C: stopped at once, without cancelling what was still open.
    pub at_once: bool,
    /// Into a layout (`oci:DIR`, `oci-archive:FILE`): no upload sessions, and an
    /// archive, written whole at the end, not written at all.
    pub layout: Option<LayoutStop>,
}

/// Where an interrupted run into a layout was writing.
#[derive(Debug)]
pub enum LayoutStop {
    /// `oci:DIR`: the images it names are whole there.
    Dir(String),
    /// `oci-archive:FILE` or `docker-archive:FILE`: not written.
    Archive(String),
}

/// One image: its report, or the error that stopped it.
pub struct ImageOutcome {
    pub source: String,
    pub destination: String,
    pub result: anyhow::Result<ImageReport>,
    /// What became of the digest the destination tag pointed at before, when
    /// the copy moved it (not in a dry run).
    pub cleanup: Option<Cleanup>,
    /// Its referrers and cosign tags, and what became of each (in a dry run:
    /// what would; none for a failed image or a layout destination).
    pub referrers: Vec<ReferrerOutcome>,
    /// The subjects whose referrers could not be listed at the source, and why.
    pub referrers_unlisted: Vec<(String, String)>,
    /// How its source was verified before the copy (none: no requirement
    /// covers it, or its signatures could not be read).
    pub verification: Option<Verdict>,
}

/// One referrer (or cosign tag) of a copied image, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferrerOutcome {
    /// The digest of the manifest it hangs off: the image, one of its
    /// platform manifests, or another referrer.
    pub subject: String,
    pub digest: String,
    /// Its artifact type (the manifest's `artifactType`, else its config's
    /// media type).
    pub artifact_type: Option<String>,
    /// A cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`), copied as that tag.
    pub tag: Option<String>,
    pub status: ReferrerStatus,
}

/// What became of one referrer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferrerStatus {
    /// Copied to the destination, and listed there.
    Copied,
    /// The destination had it, listed.
    Present,
    /// A dry run: the destination lacks it (or does not list it in full);
    /// a copy would write it.
    WouldCopy,
    /// Left out by `--referrers-type` (its own referrers with it).
    SkippedType,
    /// Not copied, for this reason; the image itself is copied.
    Failed(String),
}

impl ReferrerStatus {
    /// The word JSON and text use.
    pub fn name(&self) -> &'static str {
        match self {
            ReferrerStatus::Copied => "copied",
            ReferrerStatus::Present => "present",
            ReferrerStatus::WouldCopy => "would-copy",
            ReferrerStatus::SkippedType => "skipped-type",
            ReferrerStatus::Failed(_) => "failed",
        }
    }
}

/// What became of a digest a moved tag left behind.
#[derive(Debug, Default)]
pub struct Cleanup {
    /// Deleted by `--prune-replaced` (or found already gone).
    pub pruned: bool,
    /// Manifests deleted: the replaced one and the entries of a replaced index
    /// that no tag reaches.
    pub manifests_deleted: usize,
    /// With `--prune-replaced`: the tags that still reach it, why it stayed.
    pub in_use_by: Vec<String>,
    /// Added to the local record of replaced digests.
    pub recorded: bool,
    /// Why `--prune-replaced` could not delete it (deletion disabled included).
    pub error: Option<anyhow::Error>,
}

/// Something a run noticed on the way that the user should hear of; none of
/// them fails an image.
#[derive(Debug)]
pub enum Notice {
    /// A source named without a registry while a default registry is set:
    /// it is Docker Hub's (`source`: as typed; `hub`: the full name).
    BareSource {
        source: String,
        hub: String,
        default_registry: String,
    },
    /// `--all-tags`/`--tags` over a layout: an image without a name was left out.
    UntaggedSkipped { layout: String, name: String },
    /// A layout gave no image (none matching `--tags`, when `filtered`).
    NoImages { layout: String, filtered: bool },
    /// A source repository gave no tag (none matching `--tags`, when `filtered`).
    NoTags { repository: String, filtered: bool },
    /// The tags of a destination repository could not be read, so what moved
    /// tags replaced there was not pruned.
    TagsUnreadable {
        repository: String,
        error: anyhow::Error,
    },
    /// The record of replaced digests could not be written.
    RecordNotWritten { path: PathBuf, error: anyhow::Error },
    /// Replaced digests stay on the registry, untagged, and are recorded here.
    ReplacedStay { count: usize, record: PathBuf },
    /// The destination (`docker-archive:FILE`) cannot hold referrers: said
    /// once per run.
    ReferrersNotKept { destination: String },
    /// Referrers of copied images failed (each is in the image's report).
    ReferrersFailed { count: usize, first: String },
    /// The referrers of some subjects could not be listed at the source.
    ReferrersUnlisted { count: usize, first: String },
}

impl Mirrored {
    /// An empty outcome, to gather the images of several runs in.
    pub(crate) fn empty(dry_run: bool) -> Mirrored {
        Mirrored {
            dry_run,
            images: Vec::new(),
            seconds: 0.0,
            interruption: None,
        }
    }

    /// The reports of the images that did not fail.
    pub fn ok(&self) -> impl Iterator<Item = &ImageReport> + Clone {
        self.images.iter().filter_map(|i| i.result.as_ref().ok())
    }

    /// The run as a whole: a run of one image that failed (not by Ctrl-C)
    /// fails with that image's error, so its kind decides the exit code, as
    /// for any command on one image; every other run is its outcome.
    pub fn into_result(mut self) -> anyhow::Result<Mirrored> {
        let lone_failure =
            self.images.len() == 1 && self.interruption.is_none() && self.images[0].result.is_err();
        if lone_failure {
            return Err(self.images.remove(0).result.expect_err("checked above"));
        }
        Ok(self)
    }

    pub fn failed(&self) -> usize {
        self.images.iter().filter(|i| i.result.is_err()).count()
    }

    pub fn up_to_date(&self) -> usize {
        self.ok().filter(|r| r.outcome == Outcome::UpToDate).count()
    }

    pub fn blobs_copied(&self) -> usize {
        self.ok().map(|r| r.blobs_copied).sum()
    }

    pub fn bytes_copied(&self) -> u64 {
        self.ok().map(|r| r.bytes_copied).sum()
    }

    /// Digests that moved tags left behind, and their known bytes.
    pub fn replaced(&self) -> (usize, u64) {
        let replaced: Vec<&Replaced> = self.ok().filter_map(|r| r.replaced.as_ref()).collect();
        (replaced.len(), replaced.iter().filter_map(|r| r.size).sum())
    }

    /// Referrers and cosign tags copied, and those that failed.
    pub fn referrers(&self) -> (usize, usize) {
        let all = self.images.iter().flat_map(|i| &i.referrers);
        let copied = all
            .clone()
            .filter(|r| r.status == ReferrerStatus::Copied)
            .count();
        let failed = all
            .filter(|r| matches!(r.status, ReferrerStatus::Failed(_)))
            .count();
        (copied, failed)
    }

    /// Referrers and cosign tags a dry run would copy.
    pub fn referrers_to_copy(&self) -> usize {
        self.images
            .iter()
            .flat_map(|i| &i.referrers)
            .filter(|r| r.status == ReferrerStatus::WouldCopy)
            .count()
    }

    pub fn pruned(&self) -> usize {
        self.images
            .iter()
            .filter(|i| i.cleanup.as_ref().is_some_and(|c| c.pruned))
            .count()
    }
}
