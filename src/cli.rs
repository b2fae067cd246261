//! Every command-line type: the parsed shape of argv, and nothing that does I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A command-line companion for private edge container registries.
///
/// Sets up the hosts entry and certificate trust for a registry, logs in with
/// docker-compatible credentials, mirrors images registry to registry, lists and
/// inspects what is there, and deletes safely.
#[derive(Debug, Parser)]
#[command(
    name = "aseecr",
    version,
    propagate_version = true,
    arg_required_else_help = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The aseecr command for a word other registry tools use as a command (docker,
/// skopeo, crane, regctl, oras), for the error on an unknown subcommand.
pub fn other_tool_word(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "push" | "pull" | "sync" | "save" | "load" => Some("mirror"),
        "list" | "tag" | "list-tags" => Some("tags"),
        "repos" | "repositories" | "ls-repos" => Some("catalog"),
        "del" | "remove" => Some("delete"),
        "purge" | "gc" | "cleanup" => Some("prune"),
        "manifest" | "config" | "info" => Some("inspect"),
        "resolve" | "head" => Some("digest"),
        "df" | "size" | "space" | "disk-usage" => Some("usage"),
        "check" | "diagnose" | "ping" => Some("doctor"),
        "hosts" => Some("setup-host"),
        "cert" | "certs" | "trust" => Some("trust-cert"),
        _ => None,
    }
}

/// Options that mean the same on every command.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Show more detail: the cause chain of errors, and HTTP requests (secrets redacted)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print only data and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Hide progress bars
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// Use colour WHEN: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto,
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub color: ColorWhen,

    /// Answer yes to every confirmation prompt
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// Use REGISTRY (host[:port]) for references that name no registry
    #[arg(long, global = true, value_name = "REGISTRY", env = "ASEECR_REGISTRY")]
    pub registry: Option<String>,

    /// Trust the CA or self-signed certificate in FILE (PEM or DER) for this run
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Skip TLS certificate verification (unsafe; prints a warning)
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Speak plain HTTP instead of HTTPS (unsafe; prints a warning)
    #[arg(long, global = true)]
    pub plain_http: bool,

    /// Authenticate as USER instead of using stored credentials
    #[arg(
        short,
        long,
        global = true,
        value_name = "USER",
        env = "ASEECR_USERNAME"
    )]
    pub username: Option<String>,

    /// Read the password from standard input (one line)
    #[arg(long, global = true)]
    pub password_stdin: bool,

    /// Read and write aseecr's configuration in DIR
    #[arg(long, global = true, value_name = "DIR", env = "ASEECR_CONFIG_DIR")]
    pub config_dir: Option<PathBuf>,

    /// Read and write docker credentials (config.json) in DIR
    #[arg(long, global = true, value_name = "DIR", env = "DOCKER_CONFIG")]
    pub docker_config: Option<PathBuf>,
}

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set
    #[default]
    Auto,
    /// Always, also into a pipe or file
    Always,
    /// Never
    Never,
}

/// The `--color` value in raw arguments, for the choice that must be made before
/// clap parses them (clap's own errors and help are coloured by it). The last
/// one wins, as clap takes it; anything after `--` is not an option.
pub fn color_in_args<I, S>(args: I) -> Option<ColorWhen>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut found = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_ref().to_string_lossy().into_owned();
        let value = if arg == "--" {
            break;
        } else if arg == "--color" {
            args.next()
                .map(|value| value.as_ref().to_string_lossy().into_owned())
        } else if let Some(value) = arg.strip_prefix("--color=") {
            Some(value.to_owned())
        } else {
            continue;
        };
        if let Some(when) = value.and_then(|v| ColorWhen::from_str(&v, false).ok()) {
            found = Some(when);
        }
    }
    found
}

/// How a data command prints its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines meant for people
    #[default]
    Text,
    /// One JSON object, for scripts
    Json,
}

/// The `--format` option of data commands.
#[derive(Debug, Args, Clone, Copy)]
pub struct FormatArg {
    /// Print the result as FORMAT
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up this machine for a device's registry: hosts entry, certificate, login, check
    Setup(SetupArgs),
    /// Add, replace or remove the hosts-file entry for a registry
    SetupHost(SetupHostArgs),
    /// Trust a registry's certificate in the OS store, container clients and aseecr
    TrustCert(TrustCertArgs),
    /// Log in to a registry and store the credentials as docker does
    Login(LoginArgs),
    /// Remove stored credentials for a registry
    Logout(LogoutArgs),
    /// Copy images from any registry to the edge registry, without a Docker engine
    #[command(visible_aliases = ["cp", "copy"])]
    Mirror(MirrorArgs),
    /// Copy the images a YAML file lists to every destination registry it names
    Sync(SyncArgs),
    /// List the repositories of a registry
    Catalog(CatalogArgs),
    /// List the tags of a repository
    #[command(visible_alias = "ls")]
    Tags(TagsArgs),
    /// Show an image's digest, media type, platforms, layers and sizes
    Inspect(InspectArgs),
    /// Print the digest an image reference resolves to
    Digest(DigestArgs),
    /// Show the space each repository takes and shares, the total, and the largest images
    #[command(visible_alias = "du")]
    Usage(UsageArgs),
    /// Delete images safely, never removing a tag that was not named
    #[command(visible_alias = "rm")]
    Delete(DeleteArgs),
    /// Remove tags only, keeping every other tag and the image itself
    Untag(UntagArgs),
    /// Delete old images by policy: keep the newest N, older than a time, by tag pattern
    Prune(PruneArgs),
    /// Check name, connection, certificate, API, login, push and delete, and say what to fix
    Doctor(DoctorArgs),
    /// Kubernetes helpers: image pull secret, relocate manifests to the registry
    #[command(
        subcommand,
        after_help = "Examples:\n  aseecr k8s secret | kubectl apply -f -\n  aseecr k8s relocate deployment.yaml | kubectl apply -f -"
    )]
    K8s(K8sCommand),
    /// Read or change aseecr's settings, such as the default registry
    #[command(
        subcommand,
        after_help = "Examples:\n  aseecr config set registry ecr.dbe-x.microsoftdatabox.com:31001\n  aseecr config list"
    )]
    Config(ConfigCommand),
    /// Print the shell completion script for SHELL
    Completions(CompletionsArgs),
    /// Print aseecr's version
    #[command(after_help = "Examples:\n  aseecr version\n  aseecr version --format json")]
    Version(VersionArgs),
    /// Print aseecr's manual page (roff), as installed in man1/aseecr.1
    #[command(hide = true)]
    Man,
    /// Build aseecr's container image from a static Linux binary (release CI)
    #[command(hide = true)]
    BuildImage(BuildImageArgs),
}

impl Command {
    /// Whether the command was asked for `--format json`: then its failure is
    /// printed as a JSON object on stdout too.
    pub fn json_output(&self) -> bool {
        let format = match self {
            Command::SetupHost(args) => args.format,
            Command::TrustCert(args) => args.format,
            Command::Mirror(args) => args.format,
            Command::Sync(args) => args.format,
            Command::Catalog(args) => args.format,
            Command::Tags(args) => args.format,
            Command::Inspect(args) => args.format,
            Command::Usage(args) => args.format,
            Command::Delete(args) => args.format,
            Command::Untag(args) => args.format,
            Command::Prune(args) => args.format,
            Command::Doctor(args) => args.format,
            Command::Config(ConfigCommand::List { format }) => *format,
            Command::Setup(_)
            | Command::Login(_)
            | Command::Logout(_)
            | Command::Digest(_)
            | Command::K8s(_)
            | Command::Config(_)
            | Command::Completions(_)
            | Command::Man
            | Command::BuildImage(_) => return false,
            Command::Version(args) => args.format,
        };
        format.format == Format::Json
    }
}

/// Arguments of `aseecr setup`.
#[derive(Debug, Args)]
#[command(after_long_help = SETUP_HELP)]
pub struct SetupArgs {
    /// Read endpoint, IP, username and password from FILE (`-` for stdin): the
    /// output of the device's `Get-HcsKubernetesContainerRegistryInfo`
    #[arg(long, value_name = "FILE")]
    pub from_info: Option<PathBuf>,

    /// The registry endpoint, host:port (the device's listens on port 31001)
    #[arg(long, value_name = "ENDPOINT")]
    pub endpoint: Option<String>,

    /// The device's Kubernetes node IP address
    #[arg(long, value_name = "IP")]
    pub ip: Option<String>,

    /// The registry certificate downloaded from the device (PEM or DER)
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,

    /// Print every step's planned change, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Trust the certificate only in these stores [default: every store of this OS]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub store: Vec<TrustStore>,

    /// Edit FILE instead of the system hosts file
    #[arg(long, value_name = "FILE", env = "ASEECR_HOSTS_FILE")]
    pub hosts_file: Option<PathBuf>,

    /// Treat DIR as the file-system root: every system path is taken inside DIR
    #[arg(long, value_name = "DIR", env = "ASEECR_TRUST_ROOT")]
    pub root: Option<PathBuf>,

    /// Run PROGRAM with the OS command as its arguments instead of the command itself
    #[arg(long, value_name = "PROGRAM", env = "ASEECR_TRUST_COMMAND")]
    pub trust_command: Option<PathBuf>,
}

const SETUP_HELP: &str = "\
Runs, in order: setup-host ENDPOINT IP, trust-cert CERT, login, config set registry,
doctor. It changes the hosts file, the trust stores (--store, as for trust-cert), docker's
credentials and aseecr's configuration; --dry-run prints each step's change instead.

Every value is checked before anything changes. Missing values are asked for on a terminal
(the username defaults to ase-ecr-user, the password is read without echo, a rejected
password is asked for again up to 3 times); without a terminal, give them all and pass --yes.
A certificate path may start with `~` and may be quoted (as Windows' \"Copy as path\" gives).

Examples:
  aseecr setup
  aseecr setup --from-info registry-info.txt --cert ecr.cer
  aseecr setup --from-info registry-info.txt --cert ecr.cer --dry-run
  aseecr setup --from-info registry-info.txt --cert ecr.cer --store docker,containers,containerd,aseecr
  aseecr setup --endpoint ecr.dbe-xyz.microsoftdatabox.com:31001 --ip 10.128.44.41 \\
      --cert ecr.cer -u ase-ecr-user --password-stdin --yes < password.txt";

const LOGIN_EXAMPLES: &str = "\
Examples:
  aseecr login ecr.dbe-x.microsoftdatabox.com:31001 -u ase-ecr-user
  printf '%s' \"$PASSWORD\" | aseecr login -u ase-ecr-user --password-stdin";

const INSPECT_EXAMPLES: &str = "\
Total size: the bytes the registry stores for the image: its manifest(s), config(s) and
layers, each blob counted once (the same figure for an image inside an index).

Examples:
  aseecr inspect oss/nginx/nginx:1.25
  aseecr inspect mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine --format json
  aseecr inspect oss/nginx/nginx:1.25 --config --platform linux/arm64
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

const RELOCATE_EXAMPLES: &str = "\
Examples:
  aseecr k8s relocate deployment.yaml | kubectl apply -f -
  aseecr k8s relocate --mirror --pin --in-place k8s/*.yaml
  helm template ./chart | aseecr k8s relocate - | kubectl apply -f -";

/// Arguments of `aseecr version`.
#[derive(Debug, Args)]
pub struct VersionArgs {
    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr login`.
#[derive(Debug, Args)]
#[command(after_help = LOGIN_EXAMPLES)]
pub struct LoginArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
}

/// Arguments of `aseecr logout`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr logout\n  aseecr logout ecr.dbe-x.microsoftdatabox.com:31001"
)]
pub struct LogoutArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
}

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
    after_help = "Examples:\n  aseecr tags oss/nginx/nginx\n  aseecr tags oss/nginx/nginx --long\n  aseecr tags ecr.dbe-x.microsoftdatabox.com:31001/oss/nginx/nginx --format json"
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

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr usage`.
#[derive(Debug, Args)]
#[command(after_long_help = USAGE_HELP)]
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
}

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

/// How `tags` orders its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TagOrder {
    Name,
    Time,
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
#[command(after_long_help = PRUNE_EXAMPLES)]
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

/// Arguments of `aseecr setup-host`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    aseecr setup-host ecr.dbe-hw6h1t2.microsoftdatabox.com:31001 10.128.44.41\n  \
    aseecr setup-host ecr.dbe-hw6h1t2.microsoftdatabox.com --remove\n  \
    aseecr setup-host --list")]
pub struct SetupHostArgs {
    /// The registry, as host[:port] (the port is ignored)
    #[arg(value_name = "ENDPOINT", required_unless_present = "list")]
    pub endpoint: Option<String>,

    /// The IPv4 or IPv6 address the registry's name should resolve to
    #[arg(value_name = "IP", required_unless_present_any = ["remove", "list"])]
    pub ip: Option<String>,

    /// Remove the entry for ENDPOINT instead
    #[arg(long, conflicts_with_all = ["ip", "list"])]
    pub remove: bool,

    /// Print the entries aseecr manages in the hosts file
    #[arg(long, conflicts_with_all = ["endpoint", "ip", "dry_run"])]
    pub list: bool,

    /// Print the change as a diff, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Edit FILE instead of the system hosts file
    #[arg(long, value_name = "FILE", env = "ASEECR_HOSTS_FILE")]
    pub hosts_file: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// How to reach the source and destination registries of `mirror` and `sync`.
#[derive(Debug, Clone, Default, Args)]
pub struct SideArgs {
    /// Trust FILE (PEM or DER) for the source registries
    #[arg(long, value_name = "FILE")]
    pub src_ca_cert: Option<PathBuf>,

    /// Skip TLS verification for the source registries
    #[arg(long)]
    pub src_insecure: bool,

    /// Speak plain HTTP to the source registries
    #[arg(long)]
    pub src_plain_http: bool,

    /// Trust FILE (PEM or DER) for the destination registries
    #[arg(long, value_name = "FILE")]
    pub dst_ca_cert: Option<PathBuf>,

    /// Skip TLS verification for the destination registries
    #[arg(long)]
    pub dst_insecure: bool,

    /// Speak plain HTTP to the destination registries
    #[arg(long)]
    pub dst_plain_http: bool,
}

/// Arguments of `aseecr mirror`.
#[derive(Debug, Args)]
#[command(after_long_help = MIRROR_HELP)]
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

    /// Copy up to N blobs at once (blobs of 1 MiB or more: N/4, at least one)
    #[arg(short = 'j', long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

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
    pub sides: SideArgs,

    #[command(flatten)]
    pub format: FormatArg,
}

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

Examples:
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine      # to the default registry
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine \\
      ecr.dbe-x.microsoftdatabox.com:31001/nginx:2.0
  aseecr mirror --all-tags --tags '^1\\.2[0-9]' docker.io/library/redis ecr.example:31001/
  aseecr mirror nginx:1.25 redis:7 --to ecr.example:31001
  aseecr mirror -f images.txt --platform linux/amd64
  aseecr mirror --limit-rate 5M mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine";

/// Arguments of `aseecr sync`.
#[derive(Debug, Args)]
#[command(after_long_help = SYNC_HELP)]
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

    /// Copy up to N blobs at once per destination (blobs of 1 MiB or more: N/4, at least one)
    #[arg(short = 'j', long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

    /// Read at most RATE bytes per second from the sources, all blobs together (e.g. 20M, 500K)
    #[arg(long, value_name = "RATE")]
    pub limit_rate: Option<String>,

    #[command(flatten)]
    pub sides: SideArgs,

    #[command(flatten)]
    pub format: FormatArg,
}

const SYNC_HELP: &str = "\
The file names destinations and images; every image goes to every destination unless it
lists some:

  destinations:
    - name: plant-a
      registry: ecr.dbe-abc.microsoftdatabox.com:31001
      platform: linux/amd64                              # optional
      credentials: {username: u, passwordEnv: PLANT_A}   # optional; else stored ones
  images:
    - source: mcr.microsoft.com/oss/nginx/nginx
      tags: [\"1.25.3\", \"1.25.4\"]    # or regex: '^1\\.25\\.', semver: '>=1.25 <2', newest: 3
      repository: nginx                  # optional; default: the source's path
      destinations: [plant-a]            # optional; default: all
      prune: {keep: 5, exclude: '^latest$'}   # optional: see below

The whole file is checked before any registry is contacted; each error names its line and
column. `regex`, `semver` and `newest` read the source's tags (`semver` skips tags that are
not versions; a leading `v` is allowed); `newest: N` keeps the N highest, by version with
`semver`, else as versions read (`1.10` after `1.9`). One destination failing does not stop
the others: sync exits 1 when any failed, and a rerun copies only what is missing.
`prune` applies `aseecr prune`'s policy to the image's destination repository at each of its
destinations once the copies there succeeded: `keep: N` (the N newest tags), `olderThan: AGE`
(30d, 12h), `tags: REGEX` (only these), `exclude: REGEX`, `untagged: true` (images mirror
replaced earlier); one of keep, olderThan, untagged is needed. The tags the file selects for
that repository are never removed; no confirmation is asked (the file is the request).
Exit codes: 0 done (or up to date), 1 something failed, 2 the file is wrong, 10 --check
found changes pending (copies or prune actions).

Examples:
  aseecr sync fleet.yaml
  aseecr sync fleet.yaml --check
  aseecr sync fleet.yaml --dry-run --format json";

/// Arguments of `aseecr trust-cert`.
#[derive(Debug, Args)]
#[command(after_long_help = TRUST_CERT_HELP)]
pub struct TrustCertArgs {
    /// The certificate file, PEM or DER (a device's `.cer` download works)
    #[arg(
        value_name = "FILE",
        required_unless_present = "fetch",
        conflicts_with = "fetch"
    )]
    pub file: Option<PathBuf>,

    /// Get the certificate the registry (--registry) presents instead of reading a file
    #[arg(long)]
    pub fetch: bool,

    /// Trust only the certificate with this SHA-256 fingerprint (AA:BB:.. or hex)
    #[arg(long, value_name = "SHA256")]
    pub fingerprint: Option<String>,

    /// Remove the certificate from the stores instead (matched by fingerprint)
    #[arg(long)]
    pub remove: bool,

    /// Print what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Trust the certificate even though it has expired or does not name the registry
    #[arg(long)]
    pub force: bool,

    /// Replace a different certificate already trusted for the registry (a re-issued one)
    #[arg(long, conflicts_with = "remove")]
    pub replace: bool,

    /// Change only these stores [default: every store of this OS]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub store: Vec<TrustStore>,

    /// Treat DIR as the file-system root: every system path is taken inside DIR
    #[arg(long, value_name = "DIR", env = "ASEECR_TRUST_ROOT")]
    pub root: Option<PathBuf>,

    /// Run PROGRAM with the OS command as its arguments instead of the command itself
    #[arg(long, value_name = "PROGRAM", env = "ASEECR_TRUST_COMMAND")]
    pub trust_command: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Where `aseecr trust-cert` puts a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrustStore {
    /// The OS trust store (update-ca-certificates and friends, macOS System keychain, Windows Root)
    Os,
    // The folder of the OS this binary is for (the long help lists every OS's).
    #[cfg_attr(
        windows,
        doc = r"Docker's per-registry folder: %ProgramData%\docker\certs.d\HOSTPORT\ca.crt"
    )]
    #[cfg_attr(
        not(windows),
        doc = "Docker's per-registry folder: /etc/docker/certs.d/HOST:PORT/ca.crt"
    )]
    Docker,
    /// Podman, Buildah, Skopeo, CRI-O: /etc/containers/certs.d/HOST:PORT/ca.crt
    Containers,
    /// containerd: /etc/containerd/certs.d/HOST:PORT/{ca.crt,hosts.toml}
    Containerd,
    /// aseecr's own per-registry trust (in its configuration folder)
    Aseecr,
}

const TRUST_CERT_HELP: &str = "\
Which certificate is trusted:
  A file must hold exactly one certificate; for a PEM bundle with several, pick one
  with --fingerprint. With --fetch the top of the chain the server presents is shown
  and trusted once you confirm its fingerprint at the prompt, or pass --fingerprint
  (any certificate of the chain may be named). --yes does not confirm a fingerprint.
  Files holding a private key are refused; nothing but the certificate is copied.

Stores (--store, comma-separated; default: every store of this OS):
  os          Debian/Ubuntu/Alpine: /usr/local/share/ca-certificates + update-ca-certificates
              Fedora/RHEL: /etc/pki/ca-trust/source/anchors + update-ca-trust extract
              Arch: /etc/ca-certificates/trust-source/anchors + trust extract-compat
              SUSE: /etc/pki/trust/anchors + update-ca-certificates
              macOS: security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain
              Windows: the LocalMachine Root store
  docker      /etc/docker/certs.d/HOST:PORT/ca.crt (Windows: %ProgramData%\\docker\\certs.d\\HOSTPORT)
  containers  /etc/containers/certs.d/HOST:PORT/ca.crt (Linux)
  containerd  /etc/containerd/certs.d/HOST:PORT/ca.crt and hosts.toml (Linux)
  aseecr      aseecr's configuration folder, pinned for the registry

Tests and image builds:
  --root DIR (ASEECR_TRUST_ROOT) reads and writes every system path inside DIR; paths
  written into files (hosts.toml) are as seen from inside DIR. OS commands are not run
  under --root unless --trust-command is given. --trust-command PROGRAM
  (ASEECR_TRUST_COMMAND) runs `PROGRAM update-ca-certificates` instead of
  `update-ca-certificates` (likewise for `security ...`), so a test can record the argv.
  The Windows Root store cannot be redirected and is refused under --root.

A store that already trusts a different certificate for the registry (the device
re-issued its certificate) is changed only with --replace; aseecr says which stores
hold the old one. --remove rebuilds the OS bundle from scratch (e.g.
`update-ca-certificates --fresh`), so no client keeps the removed certificate.

Changing system files asks for confirmation on a terminal; without one, pass --yes.

Examples:
  aseecr trust-cert ecr.cer --registry ecr.dbe-x.microsoftdatabox.com:31001
  aseecr trust-cert --fetch --registry ecr.dbe-x.microsoftdatabox.com:31001
  aseecr trust-cert --fetch --replace --registry ecr.dbe-x.microsoftdatabox.com:31001
  aseecr trust-cert --remove --registry ecr.dbe-x.microsoftdatabox.com:31001

Exit codes: 2 bad input or refused certificate, 5 fingerprint mismatch, 6 cannot connect.";

/// Arguments of `aseecr doctor`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr doctor\n  aseecr doctor ecr.dbe-x.microsoftdatabox.com:31001 --format json"
)]
pub struct DoctorArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    /// Compare name resolution with FILE instead of the system hosts file
    #[arg(long, value_name = "FILE", env = "ASEECR_HOSTS_FILE")]
    pub hosts_file: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr completions`.
#[derive(Debug, Args)]
#[command(after_long_help = COMPLETIONS_INSTALL)]
pub struct CompletionsArgs {
    /// The shell to print the completion script for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// How to install the script of each shell (the long help of `aseecr completions`).
const COMPLETIONS_INSTALL: &str = "\
Examples:
  aseecr completions bash > ~/.local/share/bash-completion/completions/aseecr
  aseecr completions powershell >> $PROFILE

Installing the script (the .deb and .rpm packages already install bash, zsh and fish):

bash:
  mkdir -p ~/.local/share/bash-completion/completions
  aseecr completions bash > ~/.local/share/bash-completion/completions/aseecr

zsh:
  mkdir -p ~/.zfunc
  aseecr completions zsh > ~/.zfunc/_aseecr
  then in ~/.zshrc, before `compinit`: fpath=(~/.zfunc $fpath)

fish:
  mkdir -p ~/.config/fish/completions
  aseecr completions fish > ~/.config/fish/completions/aseecr.fish

powershell:
  aseecr completions powershell >> $PROFILE
  (create the profile first if needed: New-Item -Force -ItemType File $PROFILE)

elvish:
  aseecr completions elvish > ~/.config/elvish/aseecr-completions.elv
  then in ~/.config/elvish/rc.elv: eval (slurp < ~/.config/elvish/aseecr-completions.elv)

Open a new shell afterwards.";

/// Arguments of the hidden `aseecr build-image` (scripts/package-image.sh).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr build-image --binary aseecr --ca-bundle /etc/ssl/certs/ca-certificates.crt \\\n      --image-version 0.1.0 oci-archive:dist/aseecr-0.1.0-image.tar:aseecr:0.1.0"
)]
pub struct BuildImageArgs {
    /// Where the image goes: oci:DIR:NAME or oci-archive:FILE:NAME (NAME: aseecr:VERSION)
    #[arg(value_name = "DEST")]
    pub destination: String,

    /// The aseecr program to put in the image (a static Linux executable)
    #[arg(long, value_name = "FILE")]
    pub binary: PathBuf,

    /// The CA certificates (PEM) the image trusts, e.g. /etc/ssl/certs/ca-certificates.crt
    #[arg(long, value_name = "FILE")]
    pub ca_bundle: PathBuf,

    /// The version the image is labelled with
    #[arg(long, value_name = "VERSION")]
    pub image_version: String,

    /// The source revision (git commit) the image is labelled with
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,

    /// Build even when the program is dynamically linked (it will not start; for tests)
    #[arg(long)]
    pub allow_dynamic: bool,

    /// The creation time, in seconds since 1970 (reproducible builds)
    #[arg(
        long,
        value_name = "SECONDS",
        env = "SOURCE_DATE_EPOCH",
        default_value_t = 0
    )]
    pub source_date_epoch: i64,
}

/// The `aseecr config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set KEY to VALUE (keys: registry, platform)
    #[command(
        after_help = "Examples:\n  aseecr config set registry ecr.dbe-x.microsoftdatabox.com:31001\n  aseecr config set platform linux/amd64"
    )]
    Set {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
        /// Its new value
        #[arg(value_name = "VALUE")]
        value: String,
    },
    /// Print the value of KEY
    #[command(after_help = "Examples:\n  aseecr config get registry")]
    Get {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Remove KEY, going back to its default
    #[command(
        after_help = "Examples:\n  aseecr config unset registry\n  aseecr config unset platform"
    )]
    Unset {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Print every setting and the registries aseecr remembers
    #[command(after_help = "Examples:\n  aseecr config list\n  aseecr config list --format json")]
    List {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the path of the configuration file
    #[command(after_help = "Examples:\n  aseecr config path")]
    Path,
}

/// The `aseecr k8s` subcommands.
#[derive(Debug, Subcommand)]
pub enum K8sCommand {
    /// Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry
    ///
    /// The manifest has the shape `kubectl create secret docker-registry` gives, for
    /// `kubectl apply -f -`. It contains the password (base64, not encrypted).
    ///
    /// On an Azure Stack Edge device this secret already exists in every namespace
    /// as `ase-ecr-credentials`; use this command for other clusters or namespaces.
    Secret(K8sSecretArgs),
    /// Rewrite the container images of manifests to pull from the registry
    ///
    /// Rewrites the images of containers, initContainers and ephemeralContainers in
    /// Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
    /// ReplicationController, PodTemplate and List objects to REGISTRY (from
    /// --registry or `aseecr config set registry`), keeping the repository path:
    /// `mcr.microsoft.com/oss/nginx/nginx:1.17` becomes `REGISTRY/oss/nginx/nginx:1.17`,
    /// and Docker Hub's `nginx` becomes `REGISTRY/library/nginx`. Adds
    /// `imagePullSecrets: [{name: ase-ecr-credentials}]` where missing.
    ///
    /// Everything else (comments, order, quoting) is kept byte for byte. Other kinds
    /// are left unchanged and reported on stderr. The result goes to stdout, or
    /// back into the files with --in-place.
    Relocate(K8sRelocateArgs),
    /// Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule
    ///
    /// Prints a ConfigMap holding the sync file as it is (and the certificates of
    /// --src-ca-cert/--dst-ca-cert), and a CronJob whose pod runs `aseecr sync` on it,
    /// for `kubectl apply -f -`. Each `passwordEnv` of the file becomes an environment
    /// variable read from the Secret --secret names, which you create: the output starts
    /// with the `kubectl create secret generic` command, and holds no password.
    #[command(name = "cronjob")]
    CronJob(K8sCronJobArgs),
}

/// Arguments of `aseecr k8s secret`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr k8s secret --namespace apps | kubectl apply -f -\n  aseecr k8s secret --output pull-secret.yaml"
)]
pub struct K8sSecretArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    /// Put the secret in NAMESPACE (default: none, so kubectl's current namespace)
    #[arg(short, long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Name the secret NAME
    #[arg(long, value_name = "NAME", default_value = crate::k8s::DEFAULT_PULL_SECRET)]
    pub name: String,

    /// Write the secret to FILE (mode 0600) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `aseecr k8s cronjob`.
#[derive(Debug, Args)]
#[command(after_long_help = CRONJOB_HELP)]
pub struct K8sCronJobArgs {
    /// The sync file (YAML; `-` for stdin), checked as `aseecr sync` checks it
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Run on SCHEDULE: five cron fields (minute hour day-of-month month day-of-week) or @daily
    #[arg(long, value_name = "SCHEDULE")]
    pub schedule: String,

    /// Interpret the schedule in ZONE, e.g. Europe/Berlin (default: the cluster's, usually UTC)
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,

    /// Name the CronJob and its ConfigMap NAME
    #[arg(long, value_name = "NAME", default_value = "aseecr-sync")]
    pub name: String,

    /// Put the objects in NAMESPACE (default: none, so kubectl's current namespace)
    #[arg(short, long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Run the aseecr image IMAGE (default: REGISTRY/aseecr:VERSION, the configured registry)
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,

    /// Read the passwords (`passwordEnv`) from the Secret NAME (default: NAME-passwords)
    #[arg(long, value_name = "NAME")]
    pub secret: Option<String>,

    /// Pull the image with the pull secret NAME (default: ase-ecr-credentials for an image on
    /// the configured registry or a destination)
    #[arg(long, value_name = "NAME")]
    pub pull_secret: Option<String>,

    /// Add no imagePullSecrets
    #[arg(long, conflicts_with = "pull_secret")]
    pub no_pull_secret: bool,

    /// Pass --limit-rate RATE to `aseecr sync`: at most RATE bytes per second from the sources
    #[arg(long, value_name = "RATE")]
    pub limit_rate: Option<String>,

    #[command(flatten)]
    pub sides: SideArgs,
}

const CRONJOB_HELP: &str = "\
The pod runs `aseecr sync /etc/aseecr/sync.yaml` from the ConfigMap, as user 65532 with a
read-only root file system (HOME is an emptyDir at /tmp), one run at a time
(concurrencyPolicy: Forbid); a failed run's pod stays for `kubectl logs`. A certificate
given with --dst-ca-cert or --src-ca-cert goes into the ConfigMap (it is public) and the pod
trusts it as `aseecr sync` would; --dst-insecure and the other connection options are passed
on as they are.
The image is aseecr's own (see the README: `aseecr mirror oci-archive:aseecr-VERSION-image.tar
REGISTRY/aseecr:VERSION` puts it on the device). Without --image it is
REGISTRY/aseecr:VERSION on the configured registry (`--registry`, `aseecr config set
registry`). An image on that registry or on a destination of the file is pulled with the
device's `ase-ecr-credentials` secret.

Examples:
  aseecr k8s cronjob fleet.yaml --schedule \"0 3 * * *\" | kubectl apply -f -
  aseecr k8s cronjob fleet.yaml --schedule @daily --namespace ops \\
      --dst-ca-cert device.cer --image ecr.dbe-x.microsoftdatabox.com:31001/aseecr:0.1.0";

/// Arguments of `aseecr k8s relocate`.
#[derive(Debug, Args)]
#[command(after_help = RELOCATE_EXAMPLES)]
pub struct K8sRelocateArgs {
    /// Manifests to rewrite (YAML, several documents allowed); `-` reads stdin
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Add the image pull secret NAME to pod specs that lack it
    #[arg(long, value_name = "NAME", default_value = crate::k8s::DEFAULT_PULL_SECRET)]
    pub pull_secret: String,

    /// Leave imagePullSecrets alone
    #[arg(long, conflicts_with = "pull_secret")]
    pub no_pull_secret: bool,

    /// Rewrite the files in place instead of printing the result
    #[arg(short, long)]
    pub in_place: bool,

    /// Pin each image to its digest in the registry (`REGISTRY/path:tag@sha256:...`)
    #[arg(long)]
    pub pin: bool,

    /// Mirror every referenced image to the registry first (as `aseecr mirror` does)
    #[arg(long)]
    pub mirror: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Every command, subcommands included, shows examples in `--help`, and no
    /// line of help is wider than the 100 columns it is wrapped to (so an example
    /// never wraps into something that looks like another command).
    #[test]
    fn every_command_has_examples_that_do_not_wrap() {
        fn check(command: &mut clap::Command, path: &str, problems: &mut Vec<String>) {
            let help = command.render_long_help().to_string();
            if command.get_subcommands().next().is_none() && !help.contains("Examples:") {
                problems.push(format!("`{path}` has no examples"));
            }
            for line in help.lines() {
                if line.chars().count() > 100 {
                    problems.push(format!("`{path}` help line too wide: {line}"));
                }
            }
            let names: Vec<String> = command
                .get_subcommands()
                .filter(|c| !c.is_hide_set() && c.get_name() != "help")
                .map(|c| c.get_name().to_owned())
                .collect();
            for name in names {
                let sub = command.find_subcommand_mut(&name).unwrap();
                check(sub, &format!("{path} {name}"), problems);
            }
        }
        let mut command = Cli::command().term_width(100);
        command.build();
        let mut problems = Vec::new();
        check(&mut command, "aseecr", &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let mirror = command
            .find_subcommand_mut("mirror")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(
            mirror
                .contains("\n  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine \\\n"),
            "{mirror}"
        );
    }

    #[test]
    fn color_is_found_before_parsing() {
        assert_eq!(color_in_args(["mirror", "x"]), None);
        assert_eq!(
            color_in_args(["--color", "always", "tags", "x"]),
            Some(ColorWhen::Always)
        );
        assert_eq!(
            color_in_args(["tags", "--color=never", "--color=auto"]),
            Some(ColorWhen::Auto)
        );
        assert_eq!(color_in_args(["tags", "--color", "pink"]), None);
        assert_eq!(
            color_in_args(["k8s", "relocate", "--", "--color=always"]),
            None
        );
    }

    #[test]
    fn other_tools_words_point_to_aseecr_commands() {
        assert_eq!(other_tool_word("push"), Some("mirror"));
        assert_eq!(other_tool_word("pull"), Some("mirror"));
        assert_eq!(other_tool_word("list"), Some("tags"));
        assert_eq!(other_tool_word("remove"), Some("delete"));
        assert_eq!(other_tool_word("purge"), Some("prune"));
        assert_eq!(other_tool_word("frobnicate"), None);
        // The aliases crane and regctl users type are real commands.
        let command = Cli::command();
        for alias in ["cp", "copy", "ls", "rm"] {
            assert!(
                command
                    .get_subcommands()
                    .any(|c| c.get_all_aliases().any(|a| a == alias)),
                "{alias}"
            );
        }
    }
}
