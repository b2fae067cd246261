//! Command bodies, one file each (parse -> plan -> execute -> report), the
//! dispatch from the parsed command line, and what commands share: `report`
//! (what several of them print, the one error printer) and `hints` (help lines).

mod build_image;
mod catalog;
mod complete;
mod completions;
mod config;
mod delete;
mod digest;
mod doctor;
pub(crate) mod hints;
mod inspect;
mod k8s;
mod login;
mod logout;
mod man;
mod mirror;
mod prune;
pub(crate) mod report;
mod setup;
mod setup_host;
mod sync;
mod tags;
mod trust_cert;
mod untag;
mod usage;
mod verify;
mod version;

use anyhow::Result;

use crate::cli::{Command, SideArgs};
use crate::connect::SideFlags;
use crate::error::{self, Error, Kind};
use crate::output::json;
use crate::registry::{Reference, Registry, reference};
use crate::settings::Settings;

/// How a command ended when it did not return an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked: exit 0.
    Success,
    /// Something failed and was already reported (e.g. one item of a batch): exit 1.
    Failure,
    /// Stopped by Ctrl-C, what was done already reported: exit 130 (128 + SIGINT,
    /// as shells report it).
    Interrupted,
    /// `sync --check` found something to copy, and nothing failed: exit 10.
    ChangesPending,
}

/// The exit code of `sync --check` when something would be copied: not a
/// failure, and no error kind's code.
pub const CHANGES_PENDING_EXIT_CODE: u8 = 10;

/// The exit code of a command stopped by Ctrl-C.
pub const INTERRUPTED_EXIT_CODE: u8 = 130;

/// An error whose JSON failure was already printed inside the command's own
/// object (`doctor`, a `mirror` of one image): `run` reports it on stderr only,
/// so stdout holds one object.
#[derive(Debug)]
pub struct AlreadyPrinted(pub anyhow::Error);

impl std::fmt::Display for AlreadyPrinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for AlreadyPrinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// An error the command has already told the user about in its own text output
/// (doctor's `FAIL` line with its `help:`): `run` prints no `error:` report for
/// it, only turns it into the exit code of its kind.
#[derive(Debug)]
pub struct Reported(pub anyhow::Error);

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Reported {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// The kind of an error: that of the first crate error in its chain, else `failed`.
pub fn error_kind(err: &anyhow::Error) -> Kind {
    error::find(err).map_or(Kind::Failed, |e| e.kind)
}

/// An error as the wire format's `error` object.
pub fn error_json(err: &anyhow::Error) -> json::ErrorBody {
    json::ErrorBody::new(error_kind(err), format!("{err:#}"), hints::help_lines(err))
}

/// The rule every command that changes something follows: on a terminal it asks
/// (`prompt`), without one it needs `--yes` (docs/decisions.md). `what` says
/// what needs confirming ("deleting"), `nothing` what was therefore not done.
pub(crate) fn confirm_change(
    settings: &Settings,
    what: &str,
    nothing: &str,
    prompt: impl FnOnce() -> String,
) -> Result<()> {
    if settings.yes {
        return Ok(());
    }
    if !settings.interactive() {
        return Err(Error::usage(format!(
            "{what} needs confirmation, and standard input is not a terminal: {nothing}"
        ))
        .help("pass --yes to go ahead without a terminal, or --dry-run to see the plan")
        .into());
    }
    let confirmed = crate::output::prompt::confirm(&prompt(), false)
        .map_err(|err| Error::usage(format!("cannot ask for confirmation: {err}")))?;
    if !confirmed {
        return Err(Error::usage(format!("{nothing}: not confirmed")).into());
    }
    Ok(())
}

pub(crate) use crate::registry::probe::deletion_disabled;

/// Run one command.
pub async fn dispatch(command: Command, settings: Settings) -> Result<ExitStatus> {
    match command {
        Command::Catalog(args) => catalog::run(args, &settings).await,
        Command::Tags(args) => tags::run(args, &settings).await,
        Command::Inspect(args) => inspect::run(args, &settings).await,
        Command::Digest(args) => digest::run(args, &settings).await,
        Command::Verify(args) => verify::run(args, &settings).await,
        Command::Usage(args) => usage::run(args, &settings).await,
        Command::Delete(args) => delete::run(args, &settings).await,
        Command::Untag(args) => untag::run(args, &settings).await,
        Command::Prune(args) => prune::run(args, &settings).await,
        Command::Mirror(args) => mirror::run(args, &settings).await,
        Command::Sync(args) => sync::run(args, &settings).await,
        Command::Doctor(args) => doctor::run(args, &settings).await,
        Command::Config(args) => config::run(args, &settings),
        Command::SetupHost(args) => setup_host::run(args, &settings).await,
        Command::K8s(args) => k8s::run(args, &settings).await,
        Command::TrustCert(args) => {
            tokio::task::spawn_blocking(move || trust_cert::run(args, &settings)).await?
        }
        Command::Login(args) => login::run(args, &settings).await,
        Command::Logout(args) => logout::run(args, &settings).await,
        Command::Setup(args) => setup::run(args, &settings).await,
        Command::Completions(args) => completions::run(args, &settings),
        Command::Complete(args) => complete::run(args, &settings).await,
        Command::Man => man::run(&settings),
        Command::BuildImage(args) => build_image::run(args, &settings).await,
        Command::Version(args) => version::run(args, &settings),
    }
}

/// Parse an image reference, with the default registry for bare names.
///
/// Commands that read or write the edge registry never fall back to Docker Hub:
/// a name without a registry needs a default registry (mirror sources, which
/// keep docker's meaning, do not come through here).
pub(crate) fn parse_reference(settings: &Settings, input: &str) -> Result<Reference> {
    let reference = Reference::parse(input, settings.default_registry.as_deref())?;
    require_default_for(settings, input)?;
    Ok(reference)
}

/// A usage error when `input` names no registry and no default registry is set.
fn require_default_for(settings: &Settings, input: &str) -> Result<()> {
    if settings.default_registry.is_some() || reference::names_registry(input) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "`{input}` names no registry and no default registry is set"
    ))
    .help(format!(
        "name the registry: `HOST:PORT/{input}` (Docker Hub is `docker.io/...`)"
    ))
    .help("or set a default: `aseecr config set registry HOST:PORT`")
    .into())
}

/// Parse a repository (no tag or digest), with the default registry for bare names.
pub(crate) fn parse_repository(settings: &Settings, input: &str) -> Result<Reference> {
    let reference = Reference::parse_repository(input, settings.default_registry.as_deref())?;
    require_default_for(settings, input)?;
    Ok(reference)
}

/// The manifest of `platform` in `manifest`, when it is an index (an image is
/// returned as it is, whatever its platform).
pub(crate) async fn platform_manifest(
    registry: &Registry,
    reference: &Reference,
    manifest: crate::registry::manifest::Manifest,
    platform: &crate::registry::Platform,
) -> Result<crate::registry::manifest::Manifest> {
    let crate::registry::Content::Index(index) = manifest.content()? else {
        return Ok(manifest);
    };
    let chosen = index
        .manifests
        .iter()
        .find(|entry| entry.platform.as_ref().is_some_and(|p| platform.matches(p)));
    match chosen {
        Some(entry) => {
            registry
                .manifest(&reference.with_digest(&entry.digest))
                .await
        }
        None => {
            let available: Vec<String> = index
                .manifests
                .iter()
                .filter_map(|e| e.platform.as_ref())
                .map(crate::registry::manifest::platform_string)
                .collect();
            Err(Error::not_found(format!(
                "`{reference}` has no platform `{platform}`; it has {}",
                crate::registry::Platform::listed(available)
            ))
            .into())
        }
    }
}

/// The `--src-*` flags of a copying command.
pub(crate) fn source_flags(args: &SideArgs) -> SideFlags {
    SideFlags {
        ca_cert: args.src_ca_cert.clone(),
        insecure: args.src_insecure,
        plain_http: args.src_plain_http,
        ..SideFlags::default()
    }
}

/// The `--dst-*` flags of a copying command.
pub(crate) fn destination_flags(args: &SideArgs) -> SideFlags {
    SideFlags {
        ca_cert: args.dst_ca_cert.clone(),
        insecure: args.dst_insecure,
        plain_http: args.dst_plain_http,
        ..SideFlags::default()
    }
}
