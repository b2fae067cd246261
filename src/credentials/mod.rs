//! Docker-compatible credential storage: docker's `config.json` (`auths`, `credsStore`,
//! `credHelpers`) and the credential-helper protocol, with docker CLI's lookup order
//! and file format, so `docker login` and `aseecr login` share credentials.
//! Secrets are never printed and never put on a command line.

mod config_file;
mod helper;
pub mod login;

use std::fmt;
use std::path::PathBuf;

use anyhow::Result;

use crate::fsutil::ShowPath;
use crate::registry::reference::normalize_registry;
use config_file::{DockerConfig, check_username, server_key};
use helper::Helper;

pub use helper::program_name;

pub use crate::secret::{Credentials, TOKEN_USERNAME};

/// Where credentials are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredIn {
    /// A credential helper, by name (`pass` for `docker-credential-pass`).
    Helper(String),
    /// docker's `config.json`, in plain base64.
    ConfigFile(PathBuf),
}

impl fmt::Display for StoredIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredIn::Helper(name) => {
                write!(f, "credential helper `{}`", program_name(name))
            }
            StoredIn::ConfigFile(path) => write!(f, "`{}`", path.shown()),
        }
    }
}

/// docker's credential storage in one docker config directory.
#[derive(Debug, Clone)]
pub struct CredentialStore {
    dir: PathBuf,
    helper_dirs: Vec<PathBuf>,
}

impl CredentialStore {
    /// The store in `docker_config_dir` (DOCKER_CONFIG or `~/.docker`).
    pub fn new(docker_config_dir: PathBuf) -> Self {
        CredentialStore {
            dir: docker_config_dir,
            helper_dirs: Vec::new(),
        }
    }

    /// Look for credential helpers in `dir` before PATH.
    #[cfg(test)]
    pub fn with_helper_dir(mut self, dir: PathBuf) -> Self {
        self.helper_dirs.push(dir);
        self
    }

    /// docker's `config.json` in the config directory.
    pub fn config_file(&self) -> PathBuf {
        self.dir.join("config.json")
    }

    /// The credentials for `registry` (normalized `host[:port]`, `docker.io` for Docker
    /// Hub): from its `credHelpers` helper, else the `credsStore` helper, else `auths`.
    pub fn get(&self, registry: &str) -> Result<Option<Credentials>> {
        let registry = normalize_registry(registry)?;
        let config = DockerConfig::load(&self.config_file())?;
        match self.helper_for(&config, &registry)? {
            Some(helper) => helper.get(&server_key(&registry)),
            None => config.find_credentials(&registry),
        }
    }

    /// Where [`store`](Self::store) would put credentials for `registry`.
    #[cfg(test)]
    pub fn location(&self, registry: &str) -> Result<StoredIn> {
        let registry = normalize_registry(registry)?;
        let config = DockerConfig::load(&self.config_file())?;
        Ok(match route(&config, &registry) {
            Some((name, _)) => StoredIn::Helper(name.to_owned()),
            None => StoredIn::ConfigFile(config.path().to_owned()),
        })
    }

    /// Store credentials for `registry` where docker would: in its helper (leaving an
    /// empty `auths` entry, as docker does), else as `auths[host:port].auth`. Every other
    /// entry and field of `config.json` is kept.
    pub fn store(&self, registry: &str, credentials: &Credentials) -> Result<StoredIn> {
        let registry = normalize_registry(registry)?;
        let mut config = DockerConfig::load(&self.config_file())?;
        let key = server_key(&registry);
        match self.helper_for(&config, &registry)? {
            Some(helper) => {
                helper.store(&key, credentials)?;
                config.set_placeholder(&key);
                config.save()?;
                Ok(StoredIn::Helper(helper.name().to_owned()))
            }
            None => {
                check_username(credentials)?;
                config.set_credentials(&key, credentials);
                config.save()?;
                Ok(StoredIn::ConfigFile(config.path().to_owned()))
            }
        }
    }

    /// Remove the credentials for `registry`: from its helper (and the empty `auths`
    /// entry), or every `auths` entry naming it. None when nothing was stored.
    pub fn erase(&self, registry: &str) -> Result<Option<StoredIn>> {
        let registry = normalize_registry(registry)?;
        let mut config = DockerConfig::load(&self.config_file())?;
        let helper = self.helper_for(&config, &registry)?;
        let erased_from_helper = match &helper {
            Some(helper) => helper.erase(&server_key(&registry))?,
            None => false,
        };
        let (removed, held_credentials) = config.remove_entries(&registry);
        if removed {
            config.save()?;
        }
        Ok(match helper {
            Some(helper) if erased_from_helper => Some(StoredIn::Helper(helper.name().to_owned())),
            _ if held_credentials => Some(StoredIn::ConfigFile(config.path().to_owned())),
            _ => None,
        })
    }

    /// The helper that holds `registry`'s credentials, found on disk, if one is configured.
    fn helper_for(&self, config: &DockerConfig, registry: &str) -> Result<Option<Helper>> {
        match route(config, registry) {
            Some((name, source)) => Ok(Some(Helper::find(name, &self.helper_dirs, &source)?)),
            None => Ok(None),
        }
    }
}

/// docker's choice of helper for a registry: its `credHelpers` entry, else `credsStore`.
/// Returns (helper name, where it was configured).
fn route<'a>(config: &'a DockerConfig, registry: &str) -> Option<(&'a str, String)> {
    let path = config.path().shown();
    if let Some((key, name)) = config.cred_helper(registry) {
        return Some((name, format!("`credHelpers` entry `{key}` in `{path}`")));
    }
    config
        .creds_store()
        .map(|name| (name, format!("`credsStore` in `{path}`")))
}

#[cfg(test)]
mod tests;
