//! `aseecr config`: read and change aseecr's own settings (the default registry,
//! the default platform of `mirror`, and the trust policy and trust store
//! `verify` uses).

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{ConfigCommand, Format};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::output::json;
use crate::registry::Platform;
use crate::registry::reference::normalize_registry;
use crate::settings::{ALL_PLATFORMS, Settings};
use crate::verify::TrustPolicy;

const KEYS: &str = "registry, platform, verify-policy, trust-store";

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
        Key::VerifyPolicy => {
            let path = checked_policy(value)?;
            settings
                .config_dir
                .update(|config| config.verify_policy = Some(path.clone()))?;
            printer.status(format!(
                "`verify` now applies the trust policy `{}` unless given --verify-policy",
                path.shown()
            ));
            path.shown().to_string()
        }
        Key::TrustStore => {
            let path = checked_store(value)?;
            settings
                .config_dir
                .update(|config| config.trust_store = Some(path.clone()))?;
            printer.status(format!(
                "`verify` now reads the trust store `{}` unless given --trust-store",
                path.shown()
            ));
            path.shown().to_string()
        }
    };
    print_setting(settings, format, key, Some(value))
}

/// `config get`: the value, or a not-found error when it is not set.
fn get(settings: &Settings, key: &str, format: Format) -> Result<()> {
    let key = check_key(key)?;
    let shown = |path: &Option<std::path::PathBuf>| path.as_ref().map(|p| p.shown().to_string());
    let (value, example) = match key {
        Key::Registry => (settings.config.registry.clone(), "registry HOST:PORT"),
        Key::Platform => (settings.config.platform.clone(), "platform linux/amd64"),
        Key::VerifyPolicy => (
            shown(&settings.config.verify_policy),
            "verify-policy trustpolicy.json",
        ),
        Key::TrustStore => (shown(&settings.config.trust_store), "trust-store DIR"),
    };
    let Some(value) = value else {
        return Err(
            Error::not_found(format!("no default {} is set", key.name()))
                .help(format!("set one: `aseecr config set {example}`"))
                .into(),
        );
    };
    match format {
        Format::Json => print_setting(settings, format, key, Some(value)),
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
        Key::VerifyPolicy => {
            settings
                .config_dir
                .update(|config| config.verify_policy = None)?;
            printer.status(format!(
                "verify-policy unset: `verify` applies `{}` when it exists",
                settings.default_verify_policy().shown()
            ));
        }
        Key::TrustStore => {
            settings
                .config_dir
                .update(|config| config.trust_store = None)?;
            printer.status(format!(
                "trust-store unset: `verify` reads `{}`",
                settings.default_trust_store().shown()
            ));
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
            verify_policy: config.verify_policy.as_ref().map(|p| p.shown().to_string()),
            trust_store: config.trust_store.as_ref().map(|p| p.shown().to_string()),
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
            let path_or_unset = |path: &Option<std::path::PathBuf>| {
                path.as_ref()
                    .map_or("(not set)".to_owned(), |p| p.shown().to_string())
            };
            printer.data(format!(
                "verify-policy = {}",
                path_or_unset(&config.verify_policy)
            ))?;
            printer.data(format!(
                "trust-store = {}",
                path_or_unset(&config.trust_store)
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
    VerifyPolicy,
    TrustStore,
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Registry => "registry",
            Key::Platform => "platform",
            Key::VerifyPolicy => "verify-policy",
            Key::TrustStore => "trust-store",
        }
    }
}

fn check_key(key: &str) -> Result<Key> {
    match key {
        "registry" => Ok(Key::Registry),
        "platform" => Ok(Key::Platform),
        "verify-policy" => Ok(Key::VerifyPolicy),
        "trust-store" => Ok(Key::TrustStore),
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

/// A trust policy to remember: it must read and validate now (absolute path kept).
fn checked_policy(value: &str) -> Result<PathBuf> {
    let path = std::path::absolute(value)?;
    TrustPolicy::load(&path)?;
    Ok(path)
}

/// A trust store folder to remember: it must be a folder (absolute path kept);
/// its named stores are read when a policy names them.
fn checked_store(value: &str) -> Result<PathBuf> {
    let path = std::path::absolute(value)?;
    if !path.is_dir() {
        return Err(
            Error::usage(format!("trust store `{}` is not a folder", path.shown()))
                .help("pass the trust store folder, laid out as notation's: x509/ca/NAME/root.pem")
                .into(),
        );
    }
    Ok(path)
}
