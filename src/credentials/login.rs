//! Logging in, as `login` and `setup` do it: check the credentials against the
//! registry, then store them as docker does (so docker, podman and skopeo reuse
//! them), and remember the certificate and connection choices for the registry.

use std::path::PathBuf;

use anyhow::Result;

use super::{CredentialStore, Credentials, StoredIn};
use crate::config::ConfigDir;
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::output::{Printer, json};
use crate::pki;
use crate::registry::{ConnectOptions, Registry};

/// One login: the registry, how to reach it, and where things are kept.
#[derive(Debug, Clone)]
pub struct LoginRequest {
    /// host[:port], normalized.
    pub registry: String,
    /// How to reach the registry (TLS, plain HTTP).
    pub connect: ConnectOptions,
    /// A certificate given for this run (`--ca-cert`), remembered for the registry.
    pub ca_cert: Option<PathBuf>,
    /// Remember `--insecure` for the registry.
    pub insecure: bool,
    /// Remember `--plain-http` for the registry.
    pub plain_http: bool,
    /// docker's configuration folder (`config.json`).
    pub docker_config_dir: PathBuf,
    /// aseecr's configuration folder.
    pub config_dir: ConfigDir,
}

/// What [`login`] stored.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub registry: String,
    pub username: String,
    /// Where the credentials went.
    pub stored: StoredIn,
    /// Where the certificate was remembered, when one was given.
    pub remembered_ca: Option<PathBuf>,
}

/// Check the credentials against the registry, then store them as docker does
/// (and remember `--ca-cert`, `--insecure`, `--plain-http` for the registry).
/// `credentials` is asked only once the certificate has been read, so a bad
/// file fails before any question.
pub async fn login(
    request: &LoginRequest,
    credentials: impl FnOnce() -> Result<Credentials>,
) -> Result<LoggedIn> {
    let name = &request.registry;
    let ca_pem = match &request.ca_cert {
        Some(path) => Some(pki::to_pem(&pki::read(path)?)),
        None => None,
    };
    let credentials = credentials()?;
    check_not_empty(&credentials)?;
    let registry = Registry::new(name, &request.connect, Some(credentials.clone()))?;
    registry
        .check_login()
        .await
        .map_err(|err| match crate::error::find(&err) {
            Some(e) if e.kind.is_auth() => {
                err.context(format!("login to `{name}` failed; nothing was stored"))
            }
            _ => err,
        })?;
    let stored =
        CredentialStore::new(request.docker_config_dir.clone()).store(name, &credentials)?;
    let remembered_ca = match ca_pem {
        Some(pem) => Some(
            request
                .config_dir
                .remember_ca(name, pem.as_bytes(), &now_rfc3339())?,
        ),
        None => None,
    };
    if request.connect.insecure || request.connect.plain_http {
        request.config_dir.update(|config| {
            let entry = config.registries.entry(name.clone()).or_default();
            entry.insecure |= request.insecure;
            entry.plain_http |= request.plain_http;
        })?;
    }
    Ok(LoggedIn {
        registry: name.clone(),
        username: credentials.username,
        stored,
        remembered_ca,
    })
}

/// Where credentials are kept, in the wire format.
pub fn place_json(stored: &StoredIn) -> json::CredentialPlace {
    match stored {
        StoredIn::Helper(name) => json::CredentialPlace {
            stored_in: "helper",
            helper: Some(format!("docker-credential-{name}")),
            config_file: None,
        },
        StoredIn::ConfigFile(path) => json::CredentialPlace {
            stored_in: "config-file",
            helper: None,
            config_file: Some(path.shown().to_string()),
        },
    }
}

impl LoggedIn {
    /// What [`login`] did, in the wire format.
    pub fn to_json(&self) -> json::LoginReport {
        json::LoginReport {
            registry: self.registry.clone(),
            username: self.username.clone(),
            place: place_json(&self.stored),
            ca_cert: self.remembered_ca.as_ref().map(|p| p.shown().to_string()),
        }
    }
}

/// Say what [`login`] did, for people (on stderr).
pub fn report_text(printer: &Printer, logged_in: &LoggedIn) {
    let registry = &logged_in.registry;
    if let Some(path) = &logged_in.remembered_ca {
        printer.status(format!(
            "remembered the certificate for `{registry}` in `{}`",
            path.shown()
        ));
    }
    let place = match &logged_in.stored {
        StoredIn::Helper(name) => format!("credential helper `docker-credential-{name}`"),
        StoredIn::ConfigFile(path) => format!("`{}`", path.shown()),
    };
    printer.status(format!(
        "Login Succeeded: `{registry}` (credentials stored in {place})"
    ));
}

fn check_not_empty(credentials: &Credentials) -> Result<()> {
    if credentials.username.is_empty() || credentials.password.is_empty() {
        return Err(Error::usage("the username and password must not be empty").into());
    }
    Ok(())
}

/// Now, as RFC 3339 UTC: when a remembered certificate was trusted.
fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    crate::trust::cert::rfc3339(now)
}
