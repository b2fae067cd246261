//! Arguments of the commands that remove images and tags: delete, untag, prune.

use clap::Args;

use super::FormatArg;

const DELETE_EXAMPLES: &str = "\
Examples:
  aseecr delete app/web:1.0
  aseecr delete app/web:1.0 app/web:1.1 --dry-run
  aseecr delete app/web@sha256:<digest> --yes";

const UNTAG_EXAMPLES: &str = "\
Examples:
  aseecr untag app/web:1.0-rc1
  aseecr untag app/web:1.0-rc1 app/web:1.0-rc2 --dry-run

The registry has no tag delete: aseecr points the tag at a tiny placeholder
manifest of its own and deletes that by digest, so no other tag is touched.
The image stays, reachable by digest and by its other tags.";

const PRUNE_EXAMPLES: &str = "\
Examples:
  aseecr prune app/web --keep 3 --exclude '^(latest|stable)$' --dry-run
  aseecr prune app/web --older-than 30d --tags '^1\\.' --yes
  aseecr prune --all-repositories ecr.dbe-x.microsoftdatabox.com:31001 --keep 5 --yes

A tag is removed only when the policy selects it: it matches --tags (every
tag when not given), does not match --exclude, is not among the --keep newest
of the matched tags, and is older than --older-than. An image (digest) is
deleted only when every tag on it is selected and no kept image needs it;
otherwise only the selected tags are removed (see `aseecr untag`). The space
comes back in the registry's next garbage collection; aseecr says how much.";

/// Arguments of `aseecr delete`.
#[derive(Debug, Args)]
#[command(after_help = DELETE_EXAMPLES)]
pub struct DeleteArgs {
    /// Images to delete, as repo:tag or repo@digest
    #[arg(value_name = "REF", required = true)]
    pub references: Vec<String>,

    /// Delete even when other tags share the digest (they are deleted too)
    #[arg(long)]
    pub force: bool,

    /// Print what would be deleted, and delete nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr untag`.
#[derive(Debug, Args)]
#[command(after_help = UNTAG_EXAMPLES)]
pub struct UntagArgs {
    /// Tags to remove, as [host[:port]/]repo:tag
    #[arg(value_name = "REF", required = true)]
    pub references: Vec<String>,

    /// Print what would be removed, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr prune`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr prune app/web --keep 3 --exclude '^(latest|stable)$' --dry-run\n  \
        aseecr prune app/web --older-than 30d --tags '^1\\.' --yes",
    after_long_help = PRUNE_EXAMPLES
)]
pub struct PruneArgs {
    /// Repositories, as [host[:port]/]path; with --all-repositories, the registry
    #[arg(value_name = "REPO")]
    pub repositories: Vec<String>,

    /// Every repository of the registry (named, or the configured one)
    #[arg(long)]
    pub all_repositories: bool,

    /// Keep the N newest of the matched tags, by creation time
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,

    /// Only remove tags created longer ago than AGE: 30d, 12h, 2w
    #[arg(long, value_name = "AGE")]
    pub older_than: Option<String>,

    /// The policy applies only to tags matching REGEX (every tag if not given)
    #[arg(long = "tags", value_name = "REGEX")]
    pub tags: Option<String>,

    /// Never remove tags matching REGEX, such as '^(latest|stable)$'
    #[arg(long, value_name = "REGEX")]
    pub exclude: Option<String>,

    /// Also delete untagged images that mirror replaced earlier (from aseecr's record)
    #[arg(long)]
    pub untagged: bool,

    /// Print the plan and what garbage collection would free, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub format: FormatArg,
}
