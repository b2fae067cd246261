//! Every command-line type: the parsed shape of argv, and nothing that does I/O.
//! This file holds the top (`Cli`, `GlobalArgs`, `Command`) and the argument types
//! several commands share; each command group's arguments are in a file of its own.

mod cleanup;
mod config;
mod k8s;
mod mirror;
mod program;
mod read;
mod setup;
mod verify;

pub use cleanup::{DeleteArgs, PruneArgs, UntagArgs};
pub use config::ConfigCommand;
pub use k8s::{K8sCommand, K8sCronJobArgs, K8sRelocateArgs, K8sSecretArgs};
pub use mirror::{MirrorArgs, SyncArgs, VerifyFlags};
pub use program::{BuildImageArgs, CompleteArgs, CompletionsArgs, VersionArgs};
pub use read::{CatalogArgs, DigestArgs, InspectArgs, TagOrder, TagsArgs, UsageArgs};
pub use setup::{
    DoctorArgs, LoginArgs, LogoutArgs, SetupArgs, SetupHostArgs, TrustCertArgs, TrustStore,
};
pub use verify::VerifyArgs;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

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
    max_term_width = 100,
    after_help = TOP_EXAMPLES,
    after_long_help = TOP_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The end of `aseecr -h` and of `aseecr` alone: where a newcomer starts.
const TOP_EXAMPLES: &str = "\
Examples:
  aseecr setup --from-info registry-info.txt --cert ecr.cer
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine
  aseecr tags oss/nginx/nginx --long

Start here: `aseecr setup` prepares this machine for a device's registry, `aseecr doctor`
checks it. `aseecr COMMAND -h` shows a command's options and examples.";

/// The end of `aseecr --help`.
const TOP_HELP: &str = "\
Examples:
  aseecr setup                                      # asks for what it needs, step by step
  aseecr setup --from-info registry-info.txt --cert ecr.cer
  aseecr doctor                                     # checks name, certificate, login, push
  aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine      # to the default registry
  aseecr mirror -f images.txt oci-archive:site-bundle.tar           # for an air-gapped site
  aseecr tags oss/nginx/nginx --long
  aseecr usage --top 3
  aseecr delete oss/nginx/nginx:old --dry-run

Start here: `aseecr setup` prepares this machine for a device's registry (hosts entry,
certificate, login, default registry), `aseecr doctor` checks it. `aseecr COMMAND --help`
shows a command's options and examples; the global options above work with every command.";

/// The line that ends a command's help in place of the global options it also takes.
const GLOBAL_OPTIONS_LINE: &str =
    "Global options (-v, -q, -y, --registry, -u, --ca-cert, --plain-http, ...): `aseecr --help`";

/// The command line as `aseecr` parses it and shows its help: `Cli`'s, with each
/// command's help ending on its own options and examples. The global options are
/// listed once, in `aseecr --help`, as cargo and gh do; every other help names them
/// in one line instead of repeating some 50 lines before the examples. (Completions
/// and the manual page use `Cli::command()`, where they stay visible.)
pub fn command() -> clap::Command {
    let mut command = Cli::command();
    command.build();
    fold_global_options(&mut command);
    command
}

fn fold_global_options(command: &mut clap::Command) {
    for sub in command.get_subcommands_mut() {
        if sub.get_name() == "help" {
            continue;
        }
        let mut folded = std::mem::take(sub).mut_args(|arg| {
            if arg.is_global_set() || arg.get_id() == "version" {
                arg.hide(true)
            } else {
                arg
            }
        });
        let short = folded.get_after_help().map(|text| text.to_string());
        let long = folded.get_after_long_help().map(|text| text.to_string());
        let end = |text: Option<String>| match text {
            Some(text) => format!("{text}\n\n{GLOBAL_OPTIONS_LINE}"),
            None => GLOBAL_OPTIONS_LINE.to_owned(),
        };
        if long.is_some() {
            folded = folded.after_long_help(end(long));
        }
        folded = folded.after_help(end(short));
        *sub = folded;
        fold_global_options(sub);
    }
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
    /// Show more detail: HTTP requests (secrets redacted; -vv more) and every cause of an error as is
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
    #[arg(
        long,
        global = true,
        value_name = "REGISTRY",
        env = "ASEECR_REGISTRY",
        hide_env_values = true
    )]
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
        env = "ASEECR_USERNAME",
        hide_env_values = true
    )]
    pub username: Option<String>,

    /// Read the password from standard input (one line)
    #[arg(long, global = true)]
    pub password_stdin: bool,

    /// Read and write aseecr's configuration in DIR
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "ASEECR_CONFIG_DIR",
        hide_env_values = true
    )]
    pub config_dir: Option<PathBuf>,

    /// Read and write docker credentials (config.json) in DIR
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "DOCKER_CONFIG",
        hide_env_values = true
    )]
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
    /// Check an image's signatures against a cosign key or notation's trust policy
    Verify(VerifyArgs),
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
    /// Kubernetes helpers: image pull secret, relocate manifests, a cronjob that runs sync
    #[command(
        subcommand,
        after_help = "Examples:\n  aseecr k8s secret | kubectl apply -f -\n  aseecr k8s relocate deployment.yaml | kubectl apply -f -\n  aseecr k8s cronjob fleet.yaml --schedule @daily | kubectl apply -f -"
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
    /// Print repositories or tags that complete WORD (the completion scripts call it)
    #[command(name = "__complete", hide = true)]
    Complete(CompleteArgs),
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
            Command::Setup(args) => args.format,
            Command::Login(args) => args.format,
            Command::Logout(args) => args.format,
            Command::Digest(args) => args.format,
            Command::Verify(args) => args.format,
            Command::K8s(
                K8sCommand::Secret(K8sSecretArgs { format, .. })
                | K8sCommand::Relocate(K8sRelocateArgs { format, .. })
                | K8sCommand::CronJob(K8sCronJobArgs { format, .. }),
            ) => *format,
            Command::Config(
                ConfigCommand::List { format }
                | ConfigCommand::Path { format }
                | ConfigCommand::Set { format, .. }
                | ConfigCommand::Get { format, .. }
                | ConfigCommand::Unset { format, .. },
            ) => *format,
            Command::Completions(args) => args.format,
            Command::Man | Command::BuildImage(_) | Command::Complete(_) => return false,
            Command::Version(args) => args.format,
        };
        format.format == Format::Json
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Every command, subcommands included, shows examples in `--help` and in
    /// `-h`, and no line of help is wider than the 100 columns it is wrapped to:
    /// neither as clap renders it nor as written (clap would wrap a wider example
    /// line, so that its end reads as another command).
    #[test]
    fn every_command_has_examples_that_do_not_wrap() {
        fn check(command: &mut clap::Command, path: &str, problems: &mut Vec<String>) {
            let help = command.render_long_help().to_string();
            let short = command.render_help().to_string();
            if command.get_subcommands().next().is_none() {
                if !help.contains("Examples:") {
                    problems.push(format!("`{path}` has no examples"));
                }
                if !short.contains("Examples:\n  ") {
                    problems.push(format!("`{path} -h` has no examples"));
                }
            }
            let written = [command.get_after_help(), command.get_after_long_help()]
                .into_iter()
                .flatten()
                .map(|text| text.to_string())
                .collect::<Vec<_>>()
                .join("\n");
            for line in help.lines().chain(short.lines()).chain(written.lines()) {
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
        let mut command = super::command().term_width(100);
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
