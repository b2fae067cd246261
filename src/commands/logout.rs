//! `aseecr logout`: remove stored credentials for a registry.

use anyhow::Result;

use super::ExitStatus;
use crate::cli::{Format, LogoutArgs};
use crate::credentials::login::place_json;
use crate::credentials::{CredentialStore, StoredIn};
use crate::fsutil::ShowPath;
use crate::output::json;
use crate::settings::Settings;

pub async fn run(args: LogoutArgs, settings: &Settings) -> Result<ExitStatus> {
    let registry = settings.require_registry(args.registry.as_deref())?;
    let store = CredentialStore::new(settings.docker_config_dir.clone());
    let erased = store.erase(&registry)?;
    let printer = &settings.printer;
    match &erased {
        Some(StoredIn::Helper(name)) => printer.status(format!(
            "Removed the credentials for `{registry}` from `docker-credential-{name}`"
        )),
        Some(StoredIn::ConfigFile(path)) => printer.status(format!(
            "Removed the credentials for `{registry}` from `{}`",
            path.shown()
        )),
        None => printer.status(format!("Not logged in to `{registry}`")),
    }
    if args.format.format == Format::Json {
        printer.json(&json::LogoutReport {
            registry,
            removed: erased.is_some(),
            place: erased.as_ref().map(place_json),
        })?;
    }
    Ok(ExitStatus::Success)
}
