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
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options that mean the same on every command.
#[derive(Debug, Args, Clone, Default)]
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
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct FormatArg {
    /// Print the result as FORMAT
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in to a registry and store the credentials as docker does
    Login(LoginArgs),
    /// Remove stored credentials for a registry
    Logout(LogoutArgs),
    /// List the repositories of a registry
    Catalog(CatalogArgs),
    /// List the tags of a repository
    Tags(TagsArgs),
    /// Show an image's digest, media type, platforms, layers and sizes
    Inspect(InspectArgs),
    /// Print the digest an image reference resolves to
    Digest(DigestArgs),
    /// Delete images safely, never removing a tag that was not named
    Delete(DeleteArgs),
    /// Copy images from any registry to the edge registry, without a Docker engine
    Mirror(MirrorArgs),
    /// Read or change aseecr's settings, such as the default registry
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Add, replace or remove the hosts-file entry for a registry
    SetupHost(SetupHostArgs),
    /// Print the shell completion script for SHELL
    Completions(CompletionsArgs),
    /// Print aseecr's manual page (roff), as installed in man1/aseecr.1
    #[command(hide = true)]
    Man,
}

/// Arguments of `aseecr login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
}

/// Arguments of `aseecr logout`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
}

/// Arguments of `aseecr catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr tags`.
#[derive(Debug, Args)]
pub struct TagsArgs {
    /// The repository, as [host[:port]/]path
    #[arg(value_name = "REPO")]
    pub repository: String,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The image, as [host[:port]/]path[:tag][@digest]
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Print the manifest bytes exactly as the registry sent them
    #[arg(long, conflicts_with = "format")]
    pub raw: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The image, as [host[:port]/]path[:tag][@digest]
    #[arg(value_name = "REF")]
    pub reference: String,
}

/// Arguments of `aseecr delete`.
#[derive(Debug, Args)]
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

/// Arguments of `aseecr mirror`.
#[derive(Debug, Args)]
#[command(after_long_help = MIRROR_HELP)]
pub struct MirrorArgs {
    /// SRC [DST]: the source image and its destination; with three or more, all are sources
    #[arg(value_name = "IMAGE")]
    pub images: Vec<String>,

    /// Read `SRC [DST]` lines from FILE (`-` for stdin); `#` starts a comment
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Put destination repositories under PREFIX (when the destination is not named)
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,

    /// Copy only PLATFORM (os/arch[/variant]) of a multi-platform image; repeatable
    #[arg(long = "platform", value_name = "PLATFORM")]
    pub platforms: Vec<String>,

    /// Copy every tag of the source repository
    #[arg(long)]
    pub all_tags: bool,

    /// Copy the tags of the source repository that match REGEX
    #[arg(long, value_name = "REGEX")]
    pub tags: Option<String>,

    /// Copy up to N blobs at once
    #[arg(short = 'j', long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

    /// Print the plan (images, blobs to copy, bytes, blobs already there); write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Also copy foreign (non-distributable) layers, such as Windows base layers
    #[arg(long)]
    pub include_nondistributable: bool,

    /// Trust FILE (PEM or DER) for the source registry
    #[arg(long, value_name = "FILE")]
    pub src_ca_cert: Option<PathBuf>,

    /// Skip TLS verification for the source registry
    #[arg(long)]
    pub src_insecure: bool,

    /// Speak plain HTTP to the source registry
    #[arg(long)]
    pub src_plain_http: bool,

    /// Trust FILE (PEM or DER) for the destination registry
    #[arg(long, value_name = "FILE")]
    pub dst_ca_cert: Option<PathBuf>,

    /// Skip TLS verification for the destination registry
    #[arg(long)]
    pub dst_insecure: bool,

    /// Speak plain HTTP to the destination registry
    #[arg(long)]
    pub dst_plain_http: bool,

    #[command(flatten)]
    pub format: FormatArg,
}

const MIRROR_HELP: &str = "\
Sources without a registry are Docker Hub images (`nginx` is docker.io/library/nginx).
Without DST, an image goes to the default registry (`--registry`, `aseecr config set
registry`) under the same repository path, plus `--prefix`. A DST that ends in `/`
names a registry (and path prefix); a DST without a tag keeps the source's tag.
Global `-u/--username` (with `--password-stdin` or ASEECR_PASSWORD) logs in to the
destination; otherwise both sides use stored credentials (`aseecr login`).

Examples:
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine ecr.dbe-x.microsoftdatabox.com:31001/nginx:2.0
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine          # to the default registry
  aseecr mirror --all-tags --tags '^1\\.2[0-9]' docker.io/library/redis ecr.example:31001/
  aseecr mirror -f images.txt --platform linux/amd64";

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

/// The `aseecr config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set KEY to VALUE (keys: registry)
    Set {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
        /// Its new value
        #[arg(value_name = "VALUE")]
        value: String,
    },
    /// Print the value of KEY
    Get {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Remove KEY, going back to its default
    Unset {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Print every setting and the registries aseecr remembers
    List {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the path of the configuration file
    Path,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
