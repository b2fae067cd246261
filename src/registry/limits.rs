//! Every bound on what a registry can make aseecr do: size caps on bodies read
//! into memory, caps on index walks and pagination, and the pace a body must keep.
//! docs/guarantees.md ("Limits and timeouts") and docs/decisions.md list the same numbers.

use std::time::Duration;

const MIB: usize = 1 << 20;

/// A manifest or index, as distribution itself caps manifest PUTs.
pub const MAX_MANIFEST_BYTES: usize = 4 * MIB;
/// A token service's answer (a JSON object holding a token of a few KiB).
pub const MAX_TOKEN_BYTES: usize = MIB;
/// An error body: only its message is used, so a larger one is dropped, not read.
pub const MAX_ERROR_BODY_BYTES: usize = MIB;
/// One page of `tags/list` or `_catalog` (1,000 names of at most 255 characters
/// take about 260 KiB).
pub const MAX_PAGE_BYTES: usize = 4 * MIB;
/// A blob read into memory, such as an image config (others are streamed).
pub const MAX_SMALL_BLOB_BYTES: usize = 8 * MIB;

/// Pages of one tag or repository listing.
pub const MAX_PAGES: usize = 10_000;
/// Names in one tag or repository listing.
pub const MAX_LIST_ENTRIES: usize = 1_000_000;

/// Levels of an image: an index of indexes of images is three deep.
pub const MAX_INDEX_DEPTH: usize = 8;
/// Distinct manifests (indexes and images) in one image.
pub const MAX_MANIFESTS: usize = 1_000;

/// Distinct manifests read from one repository (`tags --long`, `prune`, `usage`).
pub const MAX_REPOSITORY_MANIFESTS: usize = 100_000;

/// Referrers of one subject, over all pages of the referrers API or in one
/// fallback index (a 4 MiB index holds about 10,000 entries of 400 bytes).
pub const MAX_REFERRERS: usize = 10_000;
/// Pages of one referrers API listing.
pub const MAX_REFERRER_PAGES: usize = 100;
/// Levels of referrers followed below an image (a signature on an SBOM is
/// level 2).
pub const MAX_REFERRER_DEPTH: usize = 4;
/// Writes of one fallback index before giving up, when its read-back finds
/// another writer's index (another machine or tool; aseecr runs on one host
/// take turns under a lock).
pub const MAX_INDEX_WRITES: usize = 5;

/// A body that delivers fewer bytes than this in one idle-timeout window fails:
/// a stalled body, or one that trickles a byte at a time.
pub const LOW_SPEED_BYTES: u64 = 1024;

/// Connecting (TCP and TLS) to a registry or token service.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// From sending a request (connecting included) to the response headers.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(20);
/// The window in which a body must deliver at least [`LOW_SPEED_BYTES`]; also how
/// long an upload may go without the registry taking a byte.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// `4 MiB`, `512 KiB`, `100 bytes`: a cap as people read it.
pub fn human(bytes: usize) -> String {
    crate::fsutil::human_size(bytes as u64)
}

/// Seconds as people read them: `20 s`, `1.5 s`.
pub fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{secs:.1} s")
    }
}
