//! `aseecr trust-cert`: show a registry's certificate (from a file or as the
//! server presents it), check it, then trust it in (or remove it from) the OS
//! store, the container clients' folders and aseecr's configuration.

use anyhow::Result;

use crate::cli::{Format, TrustCertArgs, TrustStore};
use crate::commands::ExitStatus;
use crate::output::prompt::Consent;
use crate::settings::Settings;
use crate::trust::{self, Session, TrustOptions};

pub fn run(args: TrustCertArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = TrustOptions {
        stores: trust::stores(&TrustStore::stores(&args.store), args.remove)?,
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
        os_store_warned: false,
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
        settings.printer.json(&trusted.to_json())?;
    } else {
        trust::report_text(&settings.printer, &trusted);
    }
    Ok(ExitStatus::Success)
}
