//! aseecr's own configuration file (`config.json` in the config directory): the
//! default registry, the default platform and what is remembered per registry (CA certificate, insecure,
//! plain HTTP).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::fsutil;
use crate::fsutil::ShowPath;

/// The file's contents. Unknown fields are kept so newer versions' settings survive.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ConfigFile {
    /// The registry used for references that name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,

    /// The platform `mirror` copies of a multi-platform image when no
    /// `--platform` is given (`os/arch[/variant]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,

    /// The trust policy (notation's trustpolicy.json) `verify` applies when no
    /// `--verify-policy` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_policy: Option<PathBuf>,

    /// The trust store folder (notation's layout) when no `--trust-store` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_store: Option<PathBuf>,

    /// What aseecr remembers per registry, keyed `host:port`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub registries: BTreeMap<String, RegistryConfig>,

    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// Settings remembered for one registry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RegistryConfig {
    /// A PEM file, kept in the config directory, whose certificates are trusted
    /// (and pinned) for this registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,

    /// When `ca_cert` was trusted (RFC 3339 UTC), to say so when the registry
    /// presents another certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_on: Option<String>,

    /// Skip certificate verification for this registry.
    #[serde(default, skip_serializing_if = "is_false")]
    pub insecure: bool,

    /// Speak plain HTTP to this registry.
    #[serde(default, skip_serializing_if = "is_false")]
    pub plain_http: bool,

    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// The configuration directory and its file.
#[derive(Debug, Clone)]
pub struct ConfigDir {
    dir: PathBuf,
}

impl ConfigDir {
    pub fn new(dir: PathBuf) -> Self {
        ConfigDir { dir }
    }

    /// The OS's configuration directory for aseecr (`~/.config/aseecr` on Linux,
    /// `%APPDATA%\aseecr\config` on Windows, `~/Library/Application Support/aseecr` on macOS).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "aseecr").map(|dirs| dirs.config_dir().to_owned())
    }

    /// The directory itself (it may not exist yet).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn file(&self) -> PathBuf {
        self.dir.join("config.json")
    }

    /// Where the remembered certificate for `registry` is kept.
    pub fn cert_path(&self, registry: &str) -> PathBuf {
        let name = fsutil::safe_file_name(registry);
        self.dir.join("certs").join(format!("{name}.crt"))
    }

    /// Read the file; a missing file is an empty configuration.
    pub fn load(&self) -> Result<ConfigFile> {
        let path = self.file();
        match fsutil::read_optional(&path, &fsutil::ASEECR_CONFIG)? {
            Some(bytes) => serde_json::from_slice(&bytes).with_context(|| {
                format!("`{}` is not valid aseecr configuration JSON", path.shown())
            }),
            None => Ok(ConfigFile::default()),
        }
    }

    /// Write the file atomically; the directory is created readable by its owner only.
    pub fn save(&self, config: &ConfigFile) -> Result<()> {
        let mut text = serde_json::to_vec_pretty(config)?;
        text.push(b'\n');
        fsutil::create_private_dir(&self.dir)?;
        fsutil::write_atomic(&self.file(), &text, None)
    }

    /// Load, change, save.
    pub fn update(&self, change: impl FnOnce(&mut ConfigFile)) -> Result<ConfigFile> {
        let mut config = self.load()?;
        change(&mut config);
        self.save(&config)?;
        Ok(config)
    }

    /// Remember `pem` as the trusted certificate of `registry`, trusted on
    /// `trusted_on` (RFC 3339): copy it into the config directory and record it.
    pub fn remember_ca(&self, registry: &str, pem: &[u8], trusted_on: &str) -> Result<PathBuf> {
        let path = self.cert_path(registry);
        fsutil::create_private_dir(&self.dir)?;
        fsutil::create_private_dir(fsutil::dir_of(&path))?;
        fsutil::write_atomic(&path, pem, None)?;
        let recorded = path.clone();
        self.update(|config| {
            let entry = config.registries.entry(registry.to_owned()).or_default();
            entry.ca_cert = Some(recorded);
            entry.trusted_on = Some(trusted_on.to_owned());
        })?;
        Ok(path)
    }

    /// Forget the remembered certificate of `registry`; true when there was one.
    pub fn forget_ca(&self, registry: &str) -> Result<bool> {
        let mut config = self.load()?;
        let Some(entry) = config.registries.get_mut(registry) else {
            return Ok(false);
        };
        let Some(path) = entry.ca_cert.take() else {
            return Ok(false);
        };
        entry.trusted_on = None;
        if *entry == RegistryConfig::default() {
            config.registries.remove(registry);
        }
        self.save(&config)?;
        if path.starts_with(&self.dir) {
            let _ = std::fs::remove_file(&path);
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let config_dir = ConfigDir::new(dir.path().to_owned());
        std::fs::write(
            config_dir.file(),
            r#"{"registry":"a:1","future":{"x":1},"registries":{"a:1":{"insecure":true,"later":2}}}"#,
        )
        .unwrap();
        let config = config_dir.load().unwrap();
        assert_eq!(config.registry.as_deref(), Some("a:1"));
        assert!(config.registries["a:1"].insecure);
        config_dir.save(&config).unwrap();
        let again = config_dir.load().unwrap();
        assert_eq!(again, config);
        assert!(again.other.contains_key("future"));
        assert!(again.registries["a:1"].other.contains_key("later"));
    }

    #[test]
    fn remembers_and_forgets_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let config_dir = ConfigDir::new(dir.path().to_owned());
        let path = config_dir
            .remember_ca("ecr.example:31001", b"PEM", "2026-01-02T03:04:05Z")
            .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"PEM");
        let config = config_dir.load().unwrap();
        assert_eq!(
            config.registries["ecr.example:31001"].ca_cert.as_ref(),
            Some(&path)
        );
        assert_eq!(
            config.registries["ecr.example:31001"].trusted_on.as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        assert!(config_dir.forget_ca("ecr.example:31001").unwrap());
        assert!(!path.exists());
        assert!(config_dir.load().unwrap().registries.is_empty());
    }
}
