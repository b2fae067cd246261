//! `aseecr verify`: check one image's signatures on its registry against a
//! cosign key (`--verify-key`) and/or notation's trust policy.

use anyhow::Result;

use super::report::{check_json, overall};
use super::{AlreadyPrinted, ExitStatus, error_json, parse_reference};
use crate::cli::{Format, VerifyArgs};
use crate::connect::{self, Side};
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::layout::{Layout, Location, Transport};
use crate::output::json::{Status, VerifyReport};
use crate::registry::copy::Source as CopySource;
use crate::registry::manifest::Manifest;
use crate::registry::reference::validate_digest;
use crate::settings::Settings;
use crate::verify::policy::valid_scope;
use crate::verify::{self, By, CheckReport, Outcome, Requirements};

pub async fn run(args: VerifyArgs, settings: &Settings) -> Result<ExitStatus> {
    let requirements = requirements(&args, settings)?;
    let (manifest, checks, layout) = match layout_location(&args.reference) {
        Some(location) => {
            let (location, digest) = location?;
            let (manifest, checks) =
                check_layout(&args, &location, digest.as_deref(), &requirements).await?;
            (manifest, checks, true)
        }
        None => {
            if args.scope.is_some() {
                return Err(Error::usage("--scope is for an image in a layout")
                    .help(format!(
                        "an image on a registry is checked against the statement for its own repository: `aseecr verify {}` without --scope",
                        args.reference
                    ))
                    .into());
            }
            let reference = parse_reference(settings, &args.reference)?;
            let registry = connect::open(settings, &reference.registry, Side::Single)?;
            let manifest = registry.manifest(&reference).await?;
            let source = verify::Source::Registry {
                registry: &registry,
                reference: &reference,
            };
            let checks = verify::check_image(&source, &manifest, &requirements).await?;
            (manifest, checks, false)
        }
    };
    let failure = failure(&args.reference, &checks, layout);
    match args.format.format {
        Format::Json => {
            settings.printer.json(&report(
                &args.reference,
                &manifest,
                &checks,
                failure.as_ref(),
            ))?;
            if let Some(err) = failure {
                return Err(AlreadyPrinted(err).into());
            }
        }
        Format::Text => {
            show(settings, &args.reference, &manifest, &checks)?;
            if let Some(err) = failure {
                return Err(err);
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// `oci:DIR[:NAME]` and `oci-archive:FILE[:NAME]` as mirror reads them, each
/// also with `@DIGEST` (any manifest the layout holds); a docker archive is
/// refused: it carries no signatures. `None`: not a layout.
fn layout_location(input: &str) -> Option<Result<(Location, Option<String>)>> {
    let (location, digest) = match input.rsplit_once('@') {
        Some((rest, digest))
            if validate_digest(digest).is_ok() && Location::parse(rest).is_some() =>
        {
            (rest, Some(digest.to_owned()))
        }
        _ => (input, None),
    };
    let location = match Location::parse(location)? {
        Ok(location) => location,
        Err(err) => return Some(Err(err.into())),
    };
    if location.transport == Transport::DockerArchive {
        return Some(Err(Error::usage(format!(
            "`{input}` cannot be verified: a docker archive carries no signatures"
        ))
        .help("verify the image on its registry (`aseecr verify REGISTRY/REPO:TAG`), or copy it with its signatures into a layout and verify that: `aseecr mirror REGISTRY/REPO:TAG oci:DIR`, then `aseecr verify oci:DIR`")
        .into()));
    }
    Some(Ok((location, digest)))
}

/// The image a layout names (by `@DIGEST`, its name, or the only one), checked
/// with the signatures the layout holds.
async fn check_layout(
    args: &VerifyArgs,
    location: &Location,
    digest: Option<&str>,
    requirements: &Requirements,
) -> Result<(Manifest, Vec<CheckReport>)> {
    if let Some(scope) = &args.scope
        && !valid_scope(scope)
    {
        return Err(Error::usage(format!(
            "--scope `{scope}` is not a fully qualified repository"
        ))
        .help("name it as a trust policy's registryScopes do: `registry.example.com/path` (no tag, no scheme), e.g. the repository the image was mirrored from")
        .into());
    }
    let layout = Layout::open(location).await?;
    let reference = match (digest, &location.name) {
        (Some(digest), name) => {
            let mut reference = crate::layout::reference(&layout, name.as_deref().unwrap_or(""));
            reference.tag = None;
            reference.digest = Some(digest.to_owned());
            reference
        }
        (None, Some(name)) => crate::layout::reference(&layout, name),
        (None, None) => crate::layout::reference(&layout, &layout.only_name()?),
    };
    let manifest = CopySource::manifest(&layout, &reference).await?;
    let source = verify::Source::Layout {
        layout: &layout,
        reference: &reference,
        scope: args.scope.as_deref(),
    };
    let checks = verify::check_image(&source, &manifest, requirements).await?;
    Ok((manifest, checks))
}

/// The key and the policy, read and checked before any request.
fn requirements(args: &VerifyArgs, settings: &Settings) -> Result<Requirements> {
    let loaded = Requirements::load(
        args.verify_key.as_deref(),
        args.verify_policy.as_deref(),
        args.trust_store.as_deref(),
        settings,
    )?;
    loaded.ok_or_else(|| {
        Error::usage("nothing to verify against: no key and no trust policy")
            .help("pass --verify-key cosign.pub (a cosign public key), or --verify-policy trustpolicy.json with --trust-store DIR (notation's)")
            .help("or set a default policy: `aseecr config set verify-policy FILE`")
            .into()
    })
}

/// The error a failed requirement makes (the first one), with its help.
fn failure(reference: &str, checks: &[CheckReport], layout: bool) -> Option<anyhow::Error> {
    checks.iter().find_map(|check| {
        let Outcome::Failed { kind, reason } = &check.outcome else {
            return None;
        };
        let message = format!(
            "`{reference}` is not verified: {reason}{}",
            check.first_rejection()
        );
        let mut error = Error::new(*kind, message);
        for help in help_for(reference, check, layout) {
            error = error.help(help);
        }
        Some(error.into())
    })
}

fn help_for(reference: &str, check: &CheckReport, layout: bool) -> Vec<String> {
    if layout {
        return layout_help(check);
    }
    match &check.by {
        By::Key { .. } if check.rejected.is_empty() => vec![format!(
            "sign the image (`cosign sign --key cosign.key {reference}`), or check that the reference names the image that was signed: signatures hang off its digest (`aseecr inspect {reference} --referrers` lists them)"
        )],
        By::Key { file, .. } => vec![format!(
            "check that `{}` is the publisher's key (`cosign verify --key {} {reference}`); a signature for another digest means the tag now names another image than the one signed",
            file.shown(),
            file.shown()
        )],
        By::Policy {
            statement: None,
            file,
            ..
        } => vec![format!(
            "add a statement whose registryScopes name the repository, or one with \"*\", to `{}`",
            file.shown()
        )],
        By::Policy { .. } => vec![format!(
            "check the trust policy's trustStores and trustedIdentities against the signer (`aseecr inspect {reference} --referrers` lists the signatures)"
        )],
    }
}

/// The help for an image in a layout: it holds what was copied into it,
/// its signatures from the registry it was mirrored from.
fn layout_help(check: &CheckReport) -> Vec<String> {
    const CARRIED: &str = "a mirror into a layout carries the image's signatures (referrers and cosign's .sig tag) unless it ran with --no-referrers or --referrers-type: `aseecr mirror REGISTRY/REPO:TAG oci:DIR`";
    match &check.by {
        By::Key { .. } if check.rejected.is_empty() => vec![format!(
            "check that the image was signed on its registry (`aseecr verify REGISTRY/REPO:TAG --verify-key KEY`), then copy it again: {CARRIED}"
        )],
        By::Key { file, .. } => vec![format!(
            "check that `{}` is the publisher's key; a signature for another digest means the name now stands for another image than the one signed",
            file.shown()
        )],
        By::Policy {
            statement: None,
            file,
            ..
        } => vec![format!(
            "name the repository whose statement applies with --scope REGISTRY/REPOSITORY (as `notation verify --oci-layout --scope` does), or add a statement with \"*\" to `{}`",
            file.shown()
        )],
        By::Policy { .. } if check.rejected.is_empty() => vec![format!(
            "check that the image carries a Notary Project signature on its registry, then copy it again: {CARRIED}"
        )],
        By::Policy { .. } => vec![
            "check the trust policy's trustStores and trustedIdentities against the signer"
                .to_owned(),
        ],
    }
}

fn report(
    reference: &str,
    manifest: &Manifest,
    checks: &[CheckReport],
    failure: Option<&anyhow::Error>,
) -> VerifyReport {
    let status = overall(checks);
    VerifyReport {
        reference: reference.to_owned(),
        digest: Some(manifest.digest.clone()),
        media_type: Some(manifest.media_type.clone()),
        status,
        verified: status == Status::Verified,
        checks: checks.iter().map(check_json).collect(),
        error: failure.map(error_json),
    }
}

/// Text: one line for the image, one per requirement; rejected signatures
/// and audit findings on stderr.
fn show(
    settings: &Settings,
    reference: &str,
    manifest: &Manifest,
    checks: &[CheckReport],
) -> Result<()> {
    let printer = &settings.printer;
    let word = match overall(checks) {
        Status::Verified => "verified",
        Status::Unverified => "unverified (audit)",
        Status::Skipped => "skipped",
        _ => "not verified",
    };
    printer.data(format!("{word} {reference} {}", manifest.digest))?;
    for check in checks {
        let by = match &check.by {
            By::Key { file, key_id } => format!("key {} ({key_id})", file.shown()),
            By::Policy {
                statement: Some(statement),
                level: Some(level),
                ..
            } => format!("policy statement \"{statement}\" ({})", level.name()),
            By::Policy { file, .. } => format!("policy {}", file.shown()),
        };
        let what = match &check.outcome {
            Outcome::Verified { envelope, verified } => format!(
                "verified: {} {} signed by {}",
                envelope.kind.name(),
                envelope.manifest,
                verified.identity
            ),
            Outcome::Skipped => "skipped (level skip)".to_owned(),
            Outcome::Audited { reason } => format!("not verified, audit only: {reason}"),
            Outcome::Failed { reason, .. } => format!("failed: {reason}"),
        };
        printer.data(format!("  {by}: {what}"))?;
        if let Outcome::Verified { verified, .. } = &check.outcome {
            for logged in &verified.logged {
                printer.warn(format!(
                    "{} (logged, not enforced): {}",
                    logged.check.name(),
                    logged.reason
                ));
            }
        }
        for (envelope, err) in &check.rejected {
            printer.status(format!(
                "rejected {} {}: {}",
                envelope.kind.name(),
                envelope.manifest,
                err.message
            ));
        }
    }
    Ok(())
}
