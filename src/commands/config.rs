//! `aseecr config`: read and change aseecr's own settings (the default registry
//! and the default platform of `mirror`).

use anyhow::Result;

use crate::cli::{ConfigCommand, Format};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::output::json;
use crate::registry::Platform;
use crate::registry::reference::normalize_registry;
use crate::settings::{ALL_PLATFORMS, Settings};

const KEYS: &str = "registry, platform";

pub fn run(command: ConfigCommand, settings: &Settings) -> Result<ExitStatus> {
    match command {
        ConfigCommand::Set { key, value, format } => set(settings, &key, &value, format.format)?,
        ConfigCommand::Get { key, format } => get(settings, &key, format.format)?,
        ConfigCommand::Unset { key, format } => unset(settings, &key, format.format)?,
        ConfigCommand::List { format } => list(settings, format.format)?,
        ConfigCommand::Path { format } => path(settings, format.format)?,
    }
    Ok(ExitStatus::Success)
}

/// `config path`: where the configuration file is (whether or not it exists yet).
fn path(settings: &Settings, format: Format) -> Result<()> {
    let path = settings.config_path().shown().to_string();
    match format {
        Format::Json => settings.printer.json(&json::ConfigPath { path })?,
        Format::Text => settings.printer.data(path)?,
    }
    Ok(())
}

/// `config set`: check the value, store it, say so.
fn set(settings: &Settings, key: &str, value: &str, format: Format) -> Result<()> {
    let printer = &settings.printer;
    let key = check_key(key)?;
    let value = match key {
        Key::Registry => {
            let registry = normalize_registry(value)?;
            settings
                .config_dir
                .update(|config| config.registry = Some(registry.clone()))?;
            printer.status(format!("default registry is now `{registry}`"));
            registry
        }
        Key::Platform => {
            let platform = checked_platform(value)?;
            settings
                .config_dir
                .update(|config| config.platform = Some(platform.clone()))?;
            printer.status(format!(
                "default platform is now `{platform}`: `mirror` copies only it of a multi-platform image unless given --platform (`--platform all`: every platform)"
            ));
            platform
        }
    };
    print_setting(settings, format, key, Some(value))
}

/// `config get`: the value, or a not-found error when it is not set.
fn get(settings: &Settings, key: &str, format: Format) -> Result<()> {
    let key = check_key(key)?;
    let (value, example) = match key {
        Key::Registry => (&settings.config.registry, "registry HOST:PORT"),
        Key::Platform => (&settings.config.platform, "platform linux/amd64"),
    };
    let Some(value) = value else {
        return Err(
            Error::not_found(format!("no default {} is set", key.name()))
                .help(format!("set one: `aseecr config set {example}`"))
                .into(),
        );
    };
    match format {
        Format::Json => print_setting(settings, format, key, Some(value.clone())),
        Format::Text => Ok(settings.printer.data(value)?),
    }
}

/// `config unset`: back to the default.
fn unset(settings: &Settings, key: &str, format: Format) -> Result<()> {
    let printer = &settings.printer;
    let key = check_key(key)?;
    match key {
        Key::Registry => {
            settings
                .config_dir
                .update(|config| config.registry = None)?;
            printer.status("default registry unset");
        }
        Key::Platform => {
            settings
                .config_dir
                .update(|config| config.platform = None)?;
            printer.status(
                "default platform unset: `mirror` copies every platform of a multi-platform image",
            );
        }
    }
    print_setting(settings, format, key, None)
}

/// The setting as JSON, under `--format json` (text says it on stderr).
fn print_setting(
    settings: &Settings,
    format: Format,
    key: Key,
    value: Option<String>,
) -> Result<()> {
    if format == Format::Json {
        settings.printer.json(&json::ConfigSetting {
            path: settings.config_path().shown().to_string(),
            key: key.name(),
            value,
        })?;
    }
    Ok(())
}

/// `config list`: every setting and what is remembered per registry.
fn list(settings: &Settings, format: Format) -> Result<()> {
    let printer = &settings.printer;
    let config = &settings.config;
    match format {
        Format::Json => printer.json(&json::ConfigListing {
            path: settings.config_path().shown().to_string(),
            registry: config.registry.clone(),
            platform: config.platform.clone(),
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
            printer.data(format!(
                "platform = {}",
                config.platform.as_deref().unwrap_or("(not set)")
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
    Ok(())
}

/// The settings `config` knows.
#[derive(Debug, Clone, Copy)]
enum Key {
    Registry,
    Platform,
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Registry => "registry",
            Key::Platform => "platform",
        }
    }
}

fn check_key(key: &str) -> Result<Key> {
    match key {
        "registry" => Ok(Key::Registry),
        "platform" => Ok(Key::Platform),
        _ => Err(Error::usage(format!("unknown setting `{key}`"))
            .help(format!("known settings: {KEYS}"))
            .into()),
    }
}

/// A default platform, checked by the parser `--platform` uses, as `os/arch[/variant]`.
fn checked_platform(value: &str) -> Result<String> {
    if value.trim() == ALL_PLATFORMS {
        return Err(
            Error::usage("`all` is what `mirror` copies without a default platform")
                .help("to copy every platform by default: `aseecr config unset platform`")
                .into(),
        );
    }
    let platform = Platform::parse(value.trim())
        .map_err(|err| err.help("e.g. `aseecr config set platform linux/amd64`"))?;
    Ok(platform.to_string())
}
