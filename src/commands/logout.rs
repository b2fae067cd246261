//! `aseecr logout`: remove stored credentials for a registry.

use anyhow::Result;

use super::ExitStatus;
use crate::cli::LogoutArgs;
use crate::credentials::{CredentialStore, StoredIn};
use crate::fsutil::ShowPath;
use crate::settings::Settings;

pub async fn run(args: LogoutArgs, settings: &Settings) -> Result<ExitStatus> {
    let registry = settings.require_registry(args.registry.as_deref())?;
    let store = CredentialStore::new(settings.docker_config_dir.clone());
    match store.erase(&registry)? {
        Some(StoredIn::Helper(name)) => settings.printer.status(format!(
            "Removed the credentials for `{registry}` from `docker-credential-{name}`"
        )),
        Some(StoredIn::ConfigFile(path)) => settings.printer.status(format!(
            "Removed the credentials for `{registry}` from `{}`",
            path.shown()
        )),
        None => settings
            .printer
            .status(format!("Not logged in to `{registry}`")),
    }
    Ok(ExitStatus::Success)
}
