//! Arguments of the commands that copy images: mirror and sync.

use std::path::PathBuf;

use clap::Args;

use super::{FormatArg, SideArgs};

/// Arguments of `aseecr mirror`.
#[derive(Debug, Args)]
#[command(after_help = MIRROR_EXAMPLES, after_long_help = MIRROR_HELP)]
pub struct MirrorArgs {
    /// SRC [DST]: the source image and its destination; with --to, every IMAGE is a source
    #[arg(value_name = "IMAGE")]
    pub images: Vec<String>,

    /// Copy every source to REGISTRY[/PREFIX], keeping each repository path; repeatable: every source to every registry, each blob read once
    #[arg(long, value_name = "REGISTRY")]
    pub to: Vec<String>,

    /// Read destination registries (`REGISTRY[/PREFIX]`, one per line, `#` comments) from FILE, as repeated --to
    #[arg(long, value_name = "FILE")]
    pub to_file: Option<PathBuf>,

    /// Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Put destination repositories under PREFIX (when the destination is not named)
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,

    /// Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable; `all`: every platform
    #[arg(long = "platform", value_name = "PLATFORM")]
    pub platforms: Vec<String>,

    /// Copy every tag of the source repository
    #[arg(long)]
    pub all_tags: bool,

    /// Copy the tags of the source repository that match REGEX
    #[arg(long, value_name = "REGEX")]
    pub tags: Option<String>,

    /// Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the source, at most 64]
    #[arg(short = 'j', long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,

    /// Print the plan (images, blobs to copy, bytes, blobs already there); write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)
    #[arg(long, value_name = "RATE")]
    pub limit_rate: Option<String>,

    /// Also copy foreign (non-distributable) layers, such as Windows base layers
    #[arg(long)]
    pub include_nondistributable: bool,

    /// Delete the digest a moved tag pointed at before, when no tag uses it any more
    #[arg(long)]
    pub prune_replaced: bool,

    #[command(flatten)]
    pub referrers: ReferrersArgs,

    #[command(flatten)]
    pub verify: VerifyFlags,

    #[command(flatten)]
    pub sides: SideArgs,

    #[command(flatten)]
    pub format: FormatArg,
}

const MIRROR_EXAMPLES: &str = "\
Examples:
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine      # to the default registry
  aseecr mirror nginx:1.25 redis:7 --to ecr.example:31001
  aseecr mirror -f images.txt oci-archive:site-bundle.tar           # for an air-gapped site

Images may also be files: oci:DIR[:NAME], oci-archive:FILE[:NAME], docker-archive:FILE[:REF].";

const MIRROR_HELP: &str = "\
Sources without a registry are Docker Hub images (`nginx` is docker.io/library/nginx).
One IMAGE is a source; two are SRC and DST, as with skopeo and crane; for more sources,
name the destination with --to (or list `SRC [DST]` lines with -f). Without DST, an image
goes to --to, else to the default registry (`--registry`, `aseecr config set registry`),
under the same repository path, plus `--prefix`. A DST that ends in `/` names a registry
(and path prefix); a DST without a tag keeps the source's tag.
Global `-u/--username` (with `--password-stdin` or ASEECR_PASSWORD) logs in to the
destination; otherwise both sides use stored credentials (`aseecr login`).
A destination tag moved to a new digest leaves the old one on the registry, untagged:
mirror reports it (`replaced sha256:... (SIZE)`) and records it in `replaced.json` in
aseecr's configuration folder; --prune-replaced deletes it instead, unless a tag of the
repository still uses it (no confirmation: the flag is the request).
Without --platform, a multi-platform image is copied whole, or only the default platform
when one is set (`aseecr config set platform linux/amd64`, ASEECR_PLATFORM);
`--platform all` copies every platform. One platform is pushed as that platform's own image
manifest, several as a new index of those entries: either way the digest differs from the
source's.
--limit-rate RATE caps the bytes read from the sources (so also those written), all
transfers together: bytes per second, K/M/G 1024-based (20M = 20 MiB/s), at least 16K.
Referrers (signatures, SBOMs, attestations whose subject is the image or one of its
platform manifests, their own referrers, and cosign's sha256-HEX.sig/.att/.sbom tags) go
along, digests unchanged, listed at the destination through its referrers API or the
fallback tag sha256-HEX; --no-referrers copies none, --referrers-type TYPE only those of
that artifact type (repeatable). A referrer that fails is reported; the image is copied.
--verify-key FILE, --verify-policy FILE and --trust-store DIR (as for `aseecr verify`)
check each image at its source before anything is sent for it: a refused image fails alone
(exit 7 for one image), its destinations hear nothing of it; under a policy statement of
level audit it is copied and reported. An index is checked by its own digest. Without these
flags copies verify only when `aseecr config set verify-policy FILE` is set.

Files instead of registries (for air-gapped sites; as skopeo names them), as source or
destination: oci:DIR[:NAME] an OCI image layout directory, oci-archive:FILE[:NAME] the same
as a tar, docker-archive:FILE[:REF] what `docker save` writes; docker://REF names a registry
explicitly. With -f, a single oci: or oci-archive: argument is the destination.

Examples:
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine      # to the default registry
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine \\
      ecr.dbe-x.microsoftdatabox.com:31001/nginx:2.0
  aseecr mirror --all-tags --tags '^1\\.2[0-9]' docker.io/library/redis ecr.example:31001/
  aseecr mirror nginx:1.25 redis:7 --to ecr.example:31001
  aseecr mirror -f images.txt --platform linux/amd64
  aseecr mirror --limit-rate 5M mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine
  aseecr mirror -f images.txt oci-archive:site-bundle.tar           # on a connected machine
  aseecr mirror oci-archive:site-bundle.tar --all-tags --to ecr.example:31001       # on site
  aseecr mirror docker-archive:app.tar ecr.example:31001/app:1.0     # what docker save wrote";

/// Arguments of `aseecr sync`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr sync fleet.yaml\n  aseecr sync fleet.yaml --check",
    after_long_help = SYNC_HELP
)]
pub struct SyncArgs {
    /// The sync file (YAML; `-` for stdin): destinations and the images they get
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Print the plan for every destination (images, blobs to copy); write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Like --dry-run, and exit 10 when something would be copied or pruned, 0 when all is up to date
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,

    /// Copy up to N blobs at once per destination (blobs of 1 MiB or more: N/4, at least one) [default: 8, and 8 more per 25 ms of round trip to the sources, at most 64]
    #[arg(short = 'j', long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,

    /// Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)
    #[arg(long, value_name = "RATE")]
    pub limit_rate: Option<String>,

    #[command(flatten)]
    pub referrers: ReferrersArgs,

    #[command(flatten)]
    pub verify: VerifyFlags,

    #[command(flatten)]
    pub sides: SideArgs,

    #[command(flatten)]
    pub format: FormatArg,
}

/// What the copied images must be signed with, checked at the source before
/// any request to a destination: every command that copies has these, and
/// they mean what `aseecr verify`'s flags of the same names mean.
#[derive(Debug, Args, Clone, Default, PartialEq, Eq)]
pub struct VerifyFlags {
    /// Copy only images carrying a cosign signature by the public key in FILE (PEM, ECDSA P-256)
    #[arg(long, value_name = "FILE")]
    pub verify_key: Option<PathBuf>,

    /// Copy only images the trust policy in FILE accepts (notation's trustpolicy.json)
    #[arg(long, value_name = "FILE")]
    pub verify_policy: Option<PathBuf>,

    /// Read the trust policy's named trust stores from DIR (notation's trust store layout)
    #[arg(long, value_name = "DIR")]
    pub trust_store: Option<PathBuf>,
}

impl VerifyFlags {
    /// Whether any of the flags is given.
    pub fn any(&self) -> bool {
        self.verify_key.is_some() || self.verify_policy.is_some() || self.trust_store.is_some()
    }

    /// The files named, for the copy use case.
    pub fn paths(&self) -> crate::mirror::VerifyPaths<'_> {
        crate::mirror::VerifyPaths {
            key: self.verify_key.as_deref(),
            policy: self.verify_policy.as_deref(),
            trust_store: self.trust_store.as_deref(),
        }
    }
}

/// Which referrers (signatures, SBOMs, attestations) go along with each image:
/// every command that copies has these.
#[derive(Debug, Args, Clone, Default)]
pub struct ReferrersArgs {
    /// Copy no referrers (signatures, SBOMs, attestations) or cosign tags along with the images
    #[arg(long, conflicts_with = "referrers_types")]
    pub no_referrers: bool,

    /// Copy only the referrers of artifact type TYPE (e.g. application/spdx+json); repeatable
    #[arg(long = "referrers-type", value_name = "TYPE")]
    pub referrers_types: Vec<String>,
}

const SYNC_HELP: &str = "\
The file names destinations and images; every image goes to every destination unless it
lists some:

  sources:                               # optional: per source registry
    registry.lab:5000: {plainHttp: true}
  destinations:
    - name: plant-a
      registry: ecr.dbe-abc.microsoftdatabox.com:31001
      platform: linux/amd64                              # optional
      credentials: {username: u, passwordEnv: PLANT_A}   # optional; else stored ones
      caCert: plant-a.cer                # optional; or tlsVerify: false, plainHttp: true
  images:
    - source: mcr.microsoft.com/oss/nginx/nginx
      tags: [\"1.25.3\", \"1.25.4\"]    # or regex: '^1\\.25\\.', semver: '>=1.25 <2', newest: 3
      repository: nginx                  # optional; default: the source's path
      destinations: [plant-a]            # optional; default: all
      prune: {keep: 5, exclude: '^latest$'}   # optional: see below
      referrers: [application/spdx+json]       # optional: only these; or true, false

`caCert` (a PEM or DER file next to the sync file, or the PEM itself as a `|` block),
`plainHttp` and `tlsVerify` on a destination, or on a source registry under `sources:`,
replace the --dst-*/--src-* flags (and --plain-http, --insecure) for that registry; what they
leave out, the flags decide.
The whole file is checked before any registry is contacted; each error names its line and
column. `regex`, `semver` and `newest` read the source's tags (`semver` skips tags that are
not versions; a leading `v` is allowed); `newest: N` keeps the N highest, by version with
`semver`, else as versions read (`1.10` after `1.9`). One destination failing does not stop
the others: sync exits 1 when any failed, and a rerun copies only what is missing.
`prune` applies `aseecr prune`'s policy to the image's destination repository at each of its
destinations once the copies there succeeded: `keep: N` (the N newest tags, N at least 1),
`olderThan: AGE` (30d, 12h), `tags: REGEX` (only these), `exclude: REGEX`, `untagged: true`
(images mirror replaced earlier); one of keep, olderThan, untagged is needed. The tags the file
selects for that repository are never removed, and a repository it selects no tag for is not
pruned; no confirmation is asked (the file is the request).
`referrers` (on an image, or at the top for every image) chooses the referrers that go
along, as --no-referrers and --referrers-type do; the file's keys win over those flags.
`verify` (on an image, or at the top) checks the images at the source before the copy, as
--verify-key/--verify-policy/--trust-store do: `{key: cosign.pub}`, `{policy: FILE,
trustStore: DIR}` (paths next to the sync file), or `false`; the file's keys win over the flags.
Exit codes: 0 done (or up to date), 1 something failed (also with --check: failed wins
over changes pending), 2 the file is wrong, 10 --check found changes pending (copies or
prune actions).

Examples:
  aseecr sync fleet.yaml
  aseecr sync fleet.yaml --check
  aseecr sync fleet.yaml --dry-run --format json";
