//! Arguments of the commands that read a registry: catalog, tags, inspect, digest, usage.

use clap::Args;

use super::FormatArg;

const INSPECT_EXAMPLES: &str = "\
Total size: the bytes the registry stores for the image: its manifest(s), config(s) and
layers, each blob counted once (the same figure for an image inside an index).

Examples:
  aseecr inspect oss/nginx/nginx:1.25
  aseecr inspect mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine --format json
  aseecr inspect oss/nginx/nginx:1.25 --config --platform linux/arm64
  aseecr inspect oss/nginx/nginx:1.25 --referrers
  aseecr inspect oss/nginx/nginx:1.25 --raw";

const USAGE_HELP: &str = "\
Size: the bytes the registry stores for a repository: every manifest, config and layer its
tags reach, each blob counted once. Unique: the bytes of blobs no other repository read
references. Shared: the rest. Total: each blob once over the repositories read, as the
registry stores it. Sizes are those the manifests state; manifests no tag reaches are not seen.

Without REPO (or with a registry alone) every repository of the registry is read. With REPO
only those are read, so unique and shared compare the named repositories with each other
only (JSON `scope: \"named\"`).

Examples:
  aseecr usage
  aseecr du ecr.dbe-x.microsoftdatabox.com:31001 --top 10
  aseecr usage oss/nginx/nginx app/web --format json";

/// Arguments of `aseecr catalog`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr catalog\n  aseecr catalog ecr.dbe-x.microsoftdatabox.com:31001 --format json"
)]
pub struct CatalogArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr tags`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr tags oss/nginx/nginx\n  aseecr tags oss/nginx/nginx --long\n  aseecr tags oss/nginx/nginx --attachments --long\n  aseecr tags ecr.dbe-x.microsoftdatabox.com:31001/oss/nginx/nginx --format json"
)]
pub struct TagsArgs {
    /// The repository, as [host[:port]/]path
    #[arg(value_name = "REPO")]
    pub repository: String,

    /// Show each tag's digest, creation time, size and platforms, newest first
    #[arg(long, short = 'l', visible_alias = "detail")]
    pub long: bool,

    /// Order by tag name (versions in numeric order) or by creation time, newest first
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<TagOrder>,

    /// List the attachment tags instead: referrers indexes (sha256-<hex>) and cosign
    /// signatures, attestations and SBOMs (sha256-<hex>.sig, .att, .sbom)
    #[arg(long)]
    pub attachments: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr usage`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr usage\n  aseecr du ecr.dbe-x.microsoftdatabox.com:31001 --top 10",
    after_long_help = USAGE_HELP
)]
pub struct UsageArgs {
    /// Repositories, as [host[:port]/]path, all on one registry; or a registry (host[:port])
    /// alone [default: every repository of the registry]
    #[arg(value_name = "REPO")]
    pub repositories: Vec<String>,

    /// Show the N largest images
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr inspect`.
#[derive(Debug, Args)]
#[command(after_help = INSPECT_EXAMPLES)]
pub struct InspectArgs {
    /// The image, as [host[:port]/]path[:tag][@digest]
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Print the manifest bytes exactly as the registry sent them (with --config: the config's)
    #[arg(long, conflicts_with = "format")]
    pub raw: bool,

    /// Show the image's configuration: entrypoint, command, environment, labels, created
    #[arg(long)]
    pub config: bool,

    /// Of a multi-platform image, inspect PLATFORM (os/arch[/variant]) only (no default applies)
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,

    /// Show what hangs off the image and each of its platform manifests: signatures, SBOMs, attestations (and their own referrers), and cosign tags
    #[arg(long, conflicts_with_all = ["raw", "config"])]
    pub referrers: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr digest`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr digest oss/nginx/nginx:1.25\n  aseecr digest mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine"
)]
pub struct DigestArgs {
    /// The image, as [host[:port]/]path[:tag][@digest]
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Of a multi-platform image, print the digest of PLATFORM (os/arch[/variant]) (no default applies)
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// How `tags` orders its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TagOrder {
    Name,
    Time,
}
