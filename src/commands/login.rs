//! `aseecr login`: check credentials against the registry, then store them as
//! docker does, so docker, podman and skopeo reuse them.

use anyhow::Result;

use super::ExitStatus;
use crate::cli::LoginArgs;
use crate::credentials::{CredentialStore, Credentials, StoredIn};
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::pki;
use crate::registry::Registry;
use crate::secret::SecretString;
use crate::settings::Settings;

/// What to log in to, and with what: `login`'s own options, also filled by `setup`.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoginOptions {
    /// host[:port]; `None`: the configured registry.
    pub registry: Option<String>,
    /// Use these; `None`: `--username` with `--password-stdin`/ASEECR_PASSWORD, or ask.
    pub credentials: Option<Credentials>,
}

pub async fn run(args: LoginArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = LoginOptions {
        registry: args.registry,
        credentials: None,
    };
    login(settings, &options).await?;
    Ok(ExitStatus::Success)
}

/// Check the credentials against the registry, then store them as docker does
/// (and remember `--ca-cert`, `--insecure`, `--plain-http` for the registry).
pub(crate) async fn login(settings: &Settings, login: &LoginOptions) -> Result<()> {
    let printer = &settings.printer;
    let registry_name = settings.require_registry(login.registry.as_deref())?;
    // Read the certificate before anything else: a bad file changes nothing.
    let ca_pem = match &settings.overrides.ca_cert {
        Some(path) => Some(pki::to_pem(&pki::read(path)?)),
        None => None,
    };
    let credentials = match &login.credentials {
        Some(given) => {
            check_not_empty(given)?;
            given.clone()
        }
        None => ask_credentials(settings, &registry_name)?,
    };
    let options = crate::connect::options(settings, &registry_name);
    let registry = Registry::new(&registry_name, &options, Some(credentials.clone()))?;
    registry
        .check_login()
        .await
        .map_err(|err| match crate::error::find(&err) {
            Some(e) if e.kind.is_auth() => err.context(format!(
                "login to `{registry_name}` failed; nothing was stored"
            )),
            _ => err,
        })?;

    let store = CredentialStore::new(settings.docker_config_dir.clone());
    let stored = store.store(&registry_name, &credentials)?;
    if let Some(pem) = ca_pem {
        let path =
            settings
                .config_dir
                .remember_ca(&registry_name, pem.as_bytes(), &now_rfc3339())?;
        printer.status(format!(
            "remembered the certificate for `{registry_name}` in `{}`",
            path.shown()
        ));
    }
    if options.insecure || options.plain_http {
        settings.config_dir.update(|config| {
            let entry = config.registries.entry(registry_name.clone()).or_default();
            entry.insecure |= settings.overrides.insecure;
            entry.plain_http |= settings.overrides.plain_http;
        })?;
    }
    let place = match stored {
        StoredIn::Helper(name) => format!("credential helper `docker-credential-{name}`"),
        StoredIn::ConfigFile(path) => format!("`{}`", path.shown()),
    };
    printer.status(format!(
        "Login Succeeded: `{registry_name}` (credentials stored in {place})"
    ));
    Ok(())
}

/// The username and password: from --username / --password-stdin / ASEECR_PASSWORD,
/// else asked for on a terminal (the password without echo).
fn ask_credentials(settings: &Settings, registry: &str) -> Result<Credentials> {
    let interactive = settings.interactive();
    let username = match &settings.username {
        Some(username) => username.clone(),
        None if interactive => {
            crate::output::prompt::ask(&format!("Username for {registry}"), None, |u| {
                Ok(u.to_owned())
            })
            .map_err(|err| Error::usage(format!("cannot read the username: {err}")))?
        }
        None => {
            return Err(Error::usage("no username given and no terminal to ask for one")
                .help(format!(
                    "pass it: `printf '%s' \"$PASSWORD\" | aseecr login {registry} -u USER --password-stdin`"
                ))
                .into());
        }
    };
    let password = match &settings.password {
        Some(password) => password.clone(),
        None if interactive => prompt_password()?,
        None => {
            return Err(
                Error::usage("no password given and no terminal to ask for one")
                    .help("pipe it in with `--password-stdin`, or set ASEECR_PASSWORD")
                    .into(),
            );
        }
    };
    let credentials = Credentials { username, password };
    check_not_empty(&credentials)?;
    Ok(credentials)
}

fn check_not_empty(credentials: &Credentials) -> Result<()> {
    if credentials.username.is_empty() || credentials.password.is_empty() {
        return Err(Error::usage("the username and password must not be empty").into());
    }
    Ok(())
}

/// Ask for a password on the terminal, without echo.
pub(crate) fn prompt_password() -> Result<SecretString> {
    let password = dialoguer::Password::new()
        .with_prompt("Password")
        .interact()
        .map_err(|err| Error::usage(format!("cannot read the password: {err}")))?;
    Ok(SecretString::new(password))
}

/// Now, as RFC 3339 UTC: when a remembered certificate was trusted.
fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    crate::trust::cert::rfc3339(now)
}
