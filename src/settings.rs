//! Global options + environment + config file, resolved into plain [`Settings`].

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cli::GlobalArgs;
use crate::config::{ConfigDir, ConfigFile};
use crate::error::Error;
use crate::output::Printer;
use crate::registry::ConnectOptions;
use crate::secret::SecretString;

/// Environment variable holding a password (never a flag, so it stays out of argv).
pub const PASSWORD_ENV: &str = "ASEECR_PASSWORD";

/// Everything a command needs to know about how it was asked to run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub printer: Printer,
    /// `-y/--yes`: skip confirmation prompts.
    pub yes: bool,
    pub config_dir: ConfigDir,
    pub config: ConfigFile,
    /// The folder holding docker's `config.json`.
    pub docker_config_dir: PathBuf,
    /// `--registry` / `ASEECR_REGISTRY`, else the configured default.
    pub default_registry: Option<String>,
    /// Connection settings given on the command line, for this run only.
    pub overrides: ConnectionOverrides,
    /// `--username` / `ASEECR_USERNAME`.
    pub username: Option<String>,
    /// `--password-stdin` / `ASEECR_PASSWORD`.
    pub password: Option<SecretString>,
}

/// TLS and protocol settings given for one run.
#[derive(Debug, Clone, Default)]
pub struct ConnectionOverrides {
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub plain_http: bool,
    /// `ASEECR_RETRY_BASE_MS`.
    pub retry_base: Option<Duration>,
    /// `ASEECR_PAGE_SIZE`.
    pub page_size: Option<usize>,
    /// `ASEECR_CONNECT_TIMEOUT`.
    pub connect_timeout: Option<Duration>,
    /// `ASEECR_RESPONSE_TIMEOUT`.
    pub response_timeout: Option<Duration>,
    /// `ASEECR_IDLE_TIMEOUT`.
    pub idle_timeout: Option<Duration>,
}

/// First retry delay in milliseconds (tests make it short).
pub const RETRY_BASE_ENV: &str = "ASEECR_RETRY_BASE_MS";
/// Entries per page of `tags` and `catalog`.
pub const PAGE_SIZE_ENV: &str = "ASEECR_PAGE_SIZE";
/// Seconds to connect to a registry (decimals allowed).
pub const CONNECT_TIMEOUT_ENV: &str = "ASEECR_CONNECT_TIMEOUT";
/// Seconds from a request to its response headers (decimals allowed).
pub const RESPONSE_TIMEOUT_ENV: &str = "ASEECR_RESPONSE_TIMEOUT";
/// Seconds in which a body must bring at least 1 KiB (decimals allowed).
pub const IDLE_TIMEOUT_ENV: &str = "ASEECR_IDLE_TIMEOUT";

/// The `--color` choice in aseecr's own terms.
pub fn color_choice(args: &GlobalArgs) -> crate::output::ColorChoice {
    color_choice_of(args.color)
}

pub fn color_choice_of(when: crate::cli::ColorWhen) -> crate::output::ColorChoice {
    use crate::cli::ColorWhen;
    use crate::output::ColorChoice;
    match when {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    }
}

impl Settings {
    /// Resolve the global options. Reads the password from stdin when asked to.
    pub fn resolve(args: &GlobalArgs) -> Result<Settings> {
        let printer = Printer::new(args.quiet, args.verbose, args.no_progress);
        let config_dir = match &args.config_dir {
            Some(dir) => dir.clone(),
            None => ConfigDir::default_dir().ok_or_else(|| {
                Error::usage("cannot find the home directory for aseecr's configuration")
                    .help("set ASEECR_CONFIG_DIR or pass --config-dir DIR")
            })?,
        };
        let config_dir = ConfigDir::new(config_dir);
        let config = config_dir.load()?;
        let docker_config_dir = match &args.docker_config {
            Some(dir) => dir.clone(),
            None => directories::BaseDirs::new()
                .map(|dirs| dirs.home_dir().join(".docker"))
                .ok_or_else(|| {
                    Error::usage("cannot find the home directory for docker's config.json")
                        .help("set DOCKER_CONFIG or pass --docker-config DIR")
                })?,
        };
        let default_registry = args
            .registry
            .clone()
            .filter(|r| !r.is_empty())
            .or_else(|| config.registry.clone());
        let password = if args.password_stdin {
            Some(read_password_stdin()?)
        } else {
            std::env::var(PASSWORD_ENV)
                .ok()
                .filter(|p| !p.is_empty())
                .map(SecretString::new)
        };
        Ok(Settings {
            printer,
            yes: args.yes,
            config_dir,
            config,
            docker_config_dir,
            default_registry,
            overrides: ConnectionOverrides {
                ca_cert: args.ca_cert.clone(),
                insecure: args.insecure,
                plain_http: args.plain_http,
                retry_base: env_number(RETRY_BASE_ENV).map(Duration::from_millis),
                page_size: env_number(PAGE_SIZE_ENV)
                    .filter(|n| *n > 0)
                    .map(|n| n as usize),
                connect_timeout: env_seconds(CONNECT_TIMEOUT_ENV)?,
                response_timeout: env_seconds(RESPONSE_TIMEOUT_ENV)?,
                idle_timeout: env_seconds(IDLE_TIMEOUT_ENV)?,
            },
            username: args.username.clone().filter(|u| !u.is_empty()),
            password,
        })
    }

    /// How to reach `registry` (`host:port`): this run's flags over what is remembered.
    pub fn registry_options(&self, registry: &str) -> ConnectOptions {
        let remembered = self.config.registries.get(registry);
        let mut ca_certs = Vec::new();
        if let Some(path) = &self.overrides.ca_cert {
            ca_certs.push(path.clone());
        }
        if let Some(path) = remembered.and_then(|r| r.ca_cert.as_ref()) {
            ca_certs.push(path.clone());
        }
        let defaults = ConnectOptions::default();
        ConnectOptions {
            ca_certs,
            insecure: self.overrides.insecure || remembered.is_some_and(|r| r.insecure),
            plain_http: self.overrides.plain_http || remembered.is_some_and(|r| r.plain_http),
            retry_base: self.overrides.retry_base.unwrap_or(defaults.retry_base),
            page_size: self.overrides.page_size.unwrap_or(defaults.page_size),
            connect_timeout: self
                .overrides
                .connect_timeout
                .unwrap_or(defaults.connect_timeout),
            response_timeout: self
                .overrides
                .response_timeout
                .unwrap_or(defaults.response_timeout),
            idle_timeout: self.overrides.idle_timeout.unwrap_or(defaults.idle_timeout),
        }
    }

    /// The registry a command without one should use, or a usage error saying how to set it.
    pub fn require_registry(&self, given: Option<&str>) -> Result<String> {
        match given.or(self.default_registry.as_deref()) {
            Some(registry) => Ok(crate::registry::reference::normalize_registry(registry)?),
            None => Err(
                Error::usage("no registry given and no default registry is set")
                    .help("pass the registry, e.g. `ecr.dbe-xyz.microsoftdatabox.com:31001`")
                    .help("or set a default: `aseecr config set registry HOST:PORT`")
                    .into(),
            ),
        }
    }

    /// Whether prompts may be shown (stdin is a terminal).
    pub fn interactive(&self) -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    pub fn config_path(&self) -> PathBuf {
        self.config_dir.file()
    }
}

/// A whole number from an environment variable, if set and valid.
fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// A timeout in seconds from an environment variable: unset or empty is none; a
/// value that is not a positive number of seconds (at most a day) is a usage
/// error, since silently using the default would hide the mistake.
fn env_seconds(name: &str) -> Result<Option<Duration>> {
    let Some(value) = std::env::var(name).ok().filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    parse_seconds(&value).map(Some).ok_or_else(|| {
        Error::usage(format!(
            "{name}=`{value}` is not a number of seconds between 0 and 86400"
        ))
        .help(format!(
            "set it to seconds, e.g. `{name}=30`, or unset it for the default"
        ))
        .into()
    })
}

fn parse_seconds(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds > 0.0 && seconds <= 86_400.0).then(|| Duration::from_secs_f64(seconds))
}

fn read_password_stdin() -> Result<SecretString> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        return Err(Error::usage("--password-stdin was given but standard input is empty")
            .help("pipe the password in: `printf '%s' \"$PASSWORD\" | aseecr login -u USER --password-stdin`")
            .into());
    }
    Ok(SecretString::new(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_seconds("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_seconds(" 0.5 "), Some(Duration::from_millis(500)));
        for bad in ["0", "-1", "abc", "1e9", "NaN", "inf"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }
}
