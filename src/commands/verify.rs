//! `aseecr verify`: check one image's signatures on its registry against a
//! cosign key (`--verify-key`) and/or notation's trust policy.

use std::path::Path;

use anyhow::Result;

use super::{AlreadyPrinted, ExitStatus, error_json, parse_reference};
use crate::cli::{Format, VerifyArgs};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::output::json::{
    LoggedCheck, RejectedSignature, Status, VerifiedSignature, VerifyCheck, VerifyReport,
};
use crate::registry::manifest::Manifest;
use crate::settings::Settings;
use crate::verify::cosign::PublicKey;
use crate::verify::{self, By, CheckReport, Outcome, Requirements, TrustPolicy};

pub async fn run(args: VerifyArgs, settings: &Settings) -> Result<ExitStatus> {
    let requirements = requirements(&args, settings)?;
    let reference = parse_reference(settings, &args.reference)?;
    let registry = connect::open(settings, &reference.registry, Side::Single)?;
    let manifest = registry.manifest(&reference).await?;
    let checks = verify::check_image(&registry, &reference, &manifest, &requirements).await?;
    let failure = failure(&args.reference, &checks);
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

/// The key and the policy, read and checked before any request.
fn requirements(args: &VerifyArgs, settings: &Settings) -> Result<Requirements> {
    let key = args
        .verify_key
        .as_deref()
        .map(PublicKey::load)
        .transpose()?;
    let policy = match settings.verify_policy(args.verify_policy.as_deref()) {
        Some((file, _origin)) => Some((TrustPolicy::load(&file)?, file)),
        None => None,
    };
    if key.is_none() && policy.is_none() {
        return Err(Error::usage("nothing to verify against: no key and no trust policy")
            .help("pass --verify-key cosign.pub (a cosign public key), or --verify-policy trustpolicy.json with --trust-store DIR (notation's)")
            .help("or set a default policy: `aseecr config set verify-policy FILE`")
            .into());
    }
    Ok(Requirements {
        key,
        policy,
        trust_store: settings.trust_store(args.trust_store.as_deref()),
    })
}

/// The error a failed requirement makes (the first one), with its help.
fn failure(reference: &str, checks: &[CheckReport]) -> Option<anyhow::Error> {
    checks.iter().find_map(|check| {
        let Outcome::Failed { kind, reason } = &check.outcome else {
            return None;
        };
        let mut message = format!("`{reference}` is not verified: {reason}");
        if let Some((envelope, err)) = check.rejected.first() {
            message.push_str(&format!(
                " ({} {}: {})",
                envelope.kind.name(),
                envelope.manifest,
                err.message
            ));
        }
        let mut error = Error::new(*kind, message);
        for help in help_for(reference, check, *kind) {
            error = error.help(help);
        }
        Some(error.into())
    })
}

fn help_for(reference: &str, check: &CheckReport, kind: Kind) -> Vec<String> {
    if kind == Kind::VerifierMissing {
        return vec![format!(
            "verify it with notation meanwhile (`notation verify {reference}`), or verify with a cosign key (--verify-key) if the publisher also signs with cosign"
        )];
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

fn check_status(outcome: &Outcome) -> Status {
    match outcome {
        Outcome::Verified { .. } => Status::Verified,
        Outcome::Skipped => Status::Skipped,
        Outcome::Audited { .. } => Status::Unverified,
        Outcome::Failed { .. } => Status::Failed,
    }
}

/// The whole image's status: failed, else unverified (audit), else skipped
/// when every requirement was, else verified.
pub(super) fn overall(checks: &[CheckReport]) -> Status {
    let statuses: Vec<Status> = checks.iter().map(|c| check_status(&c.outcome)).collect();
    if statuses.contains(&Status::Failed) {
        Status::Failed
    } else if statuses.contains(&Status::Unverified) {
        Status::Unverified
    } else if statuses.iter().all(|s| *s == Status::Skipped) {
        Status::Skipped
    } else {
        Status::Verified
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

pub(super) fn check_json(check: &CheckReport) -> VerifyCheck {
    let shown = |path: &Path| path.shown().to_string();
    let (by, key, key_id, policy, statement, level) = match &check.by {
        By::Key { file, key_id } => (
            "key",
            Some(shown(file)),
            Some(key_id.clone()),
            None,
            None,
            Some("strict"),
        ),
        By::Policy {
            file,
            statement,
            level,
        } => (
            "policy",
            None,
            None,
            Some(shown(file)),
            statement.clone(),
            level.map(|l| l.name()),
        ),
    };
    let (signature, reason) = match &check.outcome {
        Outcome::Verified { envelope, verified } => (
            Some(VerifiedSignature {
                envelope: envelope.kind.name(),
                manifest: envelope.manifest.clone(),
                blob: envelope.blob.clone(),
                identity: verified.identity.clone(),
                timestamp: verified.timestamp.clone(),
                logged: verified
                    .logged
                    .iter()
                    .map(|l| LoggedCheck {
                        check: l.check.name(),
                        reason: l.reason.clone(),
                    })
                    .collect(),
            }),
            None,
        ),
        Outcome::Skipped => (None, Some("the statement's level is skip".to_owned())),
        Outcome::Audited { reason } | Outcome::Failed { reason, .. } => {
            (None, Some(reason.clone()))
        }
    };
    VerifyCheck {
        by,
        status: check_status(&check.outcome),
        key,
        key_id,
        policy,
        statement,
        level,
        signature,
        reason,
        rejected: check
            .rejected
            .iter()
            .map(|(envelope, err)| RejectedSignature {
                envelope: envelope.kind.name(),
                manifest: envelope.manifest.clone(),
                blob: envelope.blob.clone(),
                failure: err.failure.name(),
                message: err.message.clone(),
            })
            .collect(),
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
