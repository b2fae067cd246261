//! `aseecr trust-cert`: show a registry's certificate (from a file or as the
//! server presents it), check it, then trust it in (or remove it from) the OS
//! store, the container clients' folders and aseecr's configuration.

use anyhow::Result;

use crate::cli::{Format, TrustCertArgs};
use crate::commands::ExitStatus;
use crate::output::json;
use crate::output::prompt::Consent;
use crate::settings::Settings;
use crate::trust::cert::CertInfo;
use crate::trust::{self, Action, Outcome, Session, TrustOptions};

pub fn run(args: TrustCertArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = TrustOptions {
        stores: trust::stores(&args.store.iter().map(|&s| s.into()).collect::<Vec<_>>())?,
        file: args.file,
        fetch: args.fetch,
        registry: settings.default_registry.clone(),
        fingerprint: args.fingerprint,
        remove: args.remove,
        dry_run: args.dry_run,
        force: args.force,
        replace: args.replace,
        root: args.root,
        trust_command: args.trust_command,
        json: args.format.format == Format::Json,
    };
    let session = Session {
        printer: &settings.printer,
        consent: Consent {
            yes: settings.yes,
            interactive: settings.interactive(),
        },
        config_dir: &settings.config_dir,
    };
    let trusted = trust::install(session, &options)?;
    if options.json {
        settings.printer.json(&json::TrustReport {
            registry: trusted.registry,
            source: trusted.source,
            certificate: cert_json(&trusted.certificate),
            presented: trusted
                .presented
                .map(|chain| chain.iter().map(cert_json).collect()),
            remove: trusted.remove,
            dry_run: trusted.dry_run,
            actions: trusted.actions.iter().map(action_json).collect(),
            restart: trusted.restart,
        })?;
    } else {
        trust::report_text(&settings.printer, &trusted);
    }
    Ok(ExitStatus::Success)
}

fn cert_json(info: &CertInfo) -> json::CertificateInfo {
    json::CertificateInfo {
        subject: info.subject.clone(),
        issuer: info.issuer.clone(),
        sans: info.sans.clone(),
        not_before: info.not_before.clone(),
        not_after: info.not_after.clone(),
        is_ca: info.is_ca,
        self_signed: info.self_signed,
        sha256: info.sha256.clone(),
    }
}

fn action_json(action: &Action) -> json::TrustAction {
    json::TrustAction {
        store: action.store.name(),
        outcome: match action.outcome {
            Outcome::Add => "add",
            Outcome::Replace => "replace",
            Outcome::AlreadyTrusted => "already-trusted",
            Outcome::Remove => "remove",
            Outcome::NotTrusted => "not-trusted",
            Outcome::KeptOther => "kept-other",
        },
        target: action.target.clone(),
        commands: action.commands.clone(),
        notes: action.notes.clone(),
    }
}
