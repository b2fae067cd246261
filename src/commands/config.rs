//! `aseecr config`: read and change aseecr's own settings.

use anyhow::Result;

use crate::cli::{ConfigCommand, Format};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::output::json;
use crate::registry::reference::normalize_registry;
use crate::settings::Settings;

const KEYS: &str = "registry";

pub fn run(command: ConfigCommand, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    match command {
        ConfigCommand::Set { key, value } => {
            check_key(&key)?;
            let registry = normalize_registry(&value)?;
            settings
                .config_dir
                .update(|config| config.registry = Some(registry.clone()))?;
            printer.status(format!("default registry is now `{registry}`"));
        }
        ConfigCommand::Get { key } => {
            check_key(&key)?;
            match &settings.config.registry {
                Some(registry) => printer.data(registry)?,
                None => {
                    return Err(Error::not_found("no default registry is set")
                        .help("set one: `aseecr config set registry HOST:PORT`")
                        .into());
                }
            }
        }
        ConfigCommand::Unset { key } => {
            check_key(&key)?;
            settings
                .config_dir
                .update(|config| config.registry = None)?;
            printer.status("default registry unset");
        }
        ConfigCommand::List { format } => {
            let config = &settings.config;
            match format.format {
                Format::Json => printer.json(&json::ConfigListing {
                    path: settings.config_path().shown().to_string(),
                    registry: config.registry.clone(),
                    registries: config
                        .registries
                        .iter()
                        .map(|(name, entry)| {
                            let settings = json::RegistrySettings {
                                ca_cert: entry.ca_cert.as_ref().map(|p| p.shown().to_string()),
                                insecure: entry.insecure,
                                plain_http: entry.plain_http,
                            };
                            (name.clone(), settings)
                        })
                        .collect(),
                })?,
                Format::Text => {
                    printer.data(format!(
                        "registry = {}",
                        config.registry.as_deref().unwrap_or("(not set)")
                    ))?;
                    for (name, entry) in &config.registries {
                        let mut parts = Vec::new();
                        if let Some(ca) = &entry.ca_cert {
                            parts.push(format!("ca-cert={}", ca.shown()));
                        }
                        if entry.insecure {
                            parts.push("insecure".to_owned());
                        }
                        if entry.plain_http {
                            parts.push("plain-http".to_owned());
                        }
                        printer.data(format!("[{name}] {}", parts.join(" ")))?;
                    }
                }
            }
        }
        ConfigCommand::Path => printer.data(settings.config_path().shown().to_string())?,
    }
    Ok(ExitStatus::Success)
}

fn check_key(key: &str) -> Result<()> {
    if key == "registry" {
        Ok(())
    } else {
        Err(Error::usage(format!("unknown setting `{key}`"))
            .help(format!("known settings: {KEYS}"))
            .into())
    }
}
