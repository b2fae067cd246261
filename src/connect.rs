//! How a command reaches a registry: the remembered settings of the endpoint,
//! this run's global flags, the flags of its side of a copy, its credentials,
//! and the client made from them (with a warning when the connection is not
//! verified or not encrypted). The one place a registry is opened.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Result;

use crate::credentials::{CredentialStore, Credentials};
use crate::error::Error;
use crate::registry::{ConnectOptions, Registry, Remembered};
use crate::settings::Settings;

/// The `--src-*` or `--dst-*` flags of one side of a copy, on top of the
/// remembered and global settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideFlags {
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub plain_http: bool,
    /// A sync file's `tlsVerify` (`false`: insecure) for this registry: over
    /// the flags (global and side) and what is remembered.
    pub tls_verify: Option<bool>,
    /// A sync file's `plainHttp` for this registry, over the same.
    pub plain_http_set: Option<bool>,
    /// The run reads a sync file, whose keys can set this registry's
    /// connection: hints name them.
    pub sync_file: bool,
}

/// Where the user sets how a registry of this run is reached, for the hints
/// of its errors: the flags (and sync file keys) of the side it was opened as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knobs {
    /// `--plain-http`, `--ca-cert`, `--insecure`.
    Global,
    /// `--src-*`; `file`: also the sync file's `sources:` keys.
    Source { file: bool },
    /// `--dst-*`; `file`: also the destination's keys in the sync file.
    Destination { file: bool },
    /// Opened as a source and as a destination in this run.
    BothSides,
}

/// The side each registry of this run was opened as.
static OPENED: Mutex<Option<HashMap<String, Knobs>>> = Mutex::new(None);

/// The flags that set how `registry` is reached in this run: the global ones
/// unless it was opened as a side of a copy.
pub fn knobs(registry: &str) -> Knobs {
    let opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
    opened
        .as_ref()
        .and_then(|opened| opened.get(registry).copied())
        .unwrap_or(Knobs::Global)
}

fn record(registry: &str, side: Side<'_>) {
    let knobs = match side {
        Side::Single => Knobs::Global,
        Side::Source(flags) => Knobs::Source {
            file: flags.sync_file,
        },
        Side::Destination(flags) => Knobs::Destination {
            file: flags.sync_file,
        },
    };
    let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
    opened
        .get_or_insert_with(HashMap::new)
        .entry(registry.to_owned())
        .and_modify(|known| {
            if *known != knobs {
                *known = Knobs::BothSides;
            }
        })
        .or_insert(knobs);
}

/// Which registry of a run is opened: that decides the flags and the
/// credentials that apply to it.
#[derive(Debug, Clone, Copy)]
pub enum Side<'a> {
    /// The one registry of a command that talks to one: the global flags, and
    /// `--username` or else the credential store.
    Single,
    /// A copy's source: the global flags and `--src-*`; only what the
    /// credential store holds for it (`--username` is the destination's).
    Source(&'a SideFlags),
    /// A copy's destination: the global flags and `--dst-*`; `--username` or
    /// else the credential store.
    Destination(&'a SideFlags),
}

/// How to reach `registry` (`host:port`): this run's flags over what is remembered.
pub fn options(settings: &Settings, registry: &str) -> ConnectOptions {
    let remembered = settings.config.registries.get(registry);
    let overrides = &settings.overrides;
    let mut ca_certs = Vec::new();
    if let Some(path) = &overrides.ca_cert {
        ca_certs.push(path.clone());
    }
    if let Some(path) = remembered.and_then(|r| r.ca_cert.as_ref()) {
        ca_certs.push(path.clone());
    }
    let defaults = ConnectOptions::default();
    ConnectOptions {
        ca_certs,
        remembered: remembered.and_then(|r| {
            r.ca_cert.clone().map(|path| Remembered {
                path,
                trusted_on: r.trusted_on.clone(),
            })
        }),
        insecure: overrides.insecure || remembered.is_some_and(|r| r.insecure),
        plain_http: overrides.plain_http || remembered.is_some_and(|r| r.plain_http),
        retry_base: overrides.retry_base.unwrap_or(defaults.retry_base),
        page_size: overrides.page_size.unwrap_or(defaults.page_size),
        connect_timeout: overrides
            .connect_timeout
            .unwrap_or(defaults.connect_timeout),
        response_timeout: overrides
            .response_timeout
            .unwrap_or(defaults.response_timeout),
        idle_timeout: overrides.idle_timeout.unwrap_or(defaults.idle_timeout),
        lock_dir: Some(settings.config_dir.dir().join(crate::registry::LOCKS_DIR)),
    }
}

/// How to reach `registry` as `side`: [`options`], then the side's flags (its
/// CA certificate trusted first).
pub fn side_options(settings: &Settings, registry: &str, side: Side<'_>) -> ConnectOptions {
    let mut options = options(settings, registry);
    record(registry, side);
    let flags = match side {
        Side::Single => return options,
        Side::Source(flags) | Side::Destination(flags) => flags,
    };
    if let Some(path) = &flags.ca_cert {
        options.ca_certs.insert(0, path.clone());
    }
    options.insecure |= flags.insecure;
    options.plain_http |= flags.plain_http;
    if let Some(verify) = flags.tls_verify {
        options.insecure = !verify;
    }
    if let Some(plain_http) = flags.plain_http_set {
        options.plain_http = plain_http;
    }
    options
}

/// The credentials for `registry` as `side`: `--username` with a password
/// from stdin or `ASEECR_PASSWORD` (not for a source), else what docker's
/// credential store holds.
pub fn credentials(
    settings: &Settings,
    registry: &str,
    side: Side<'_>,
) -> Result<Option<Credentials>> {
    if matches!(side, Side::Source(_)) {
        return stored_credentials(settings, registry);
    }
    if let Some(username) = &settings.username {
        let Some(password) = settings.password.clone() else {
            return Err(Error::usage(format!("`--username {username}` was given without a password"))
                .help("pass the password on standard input with `--password-stdin`, or set ASEECR_PASSWORD")
                .into());
        };
        return Ok(Some(Credentials {
            username: username.clone(),
            password,
        }));
    }
    stored_credentials(settings, registry)
}

/// What docker's credential store holds for `registry` (helpers run as child
/// processes, so this blocks briefly).
pub fn stored_credentials(settings: &Settings, registry: &str) -> Result<Option<Credentials>> {
    CredentialStore::new(settings.docker_config_dir.clone()).get(registry)
}

/// A client for `registry` as `side`; warns when verification or encryption
/// is off.
pub fn open(settings: &Settings, registry: &str, side: Side<'_>) -> Result<Registry> {
    let options = side_options(settings, registry, side);
    let credentials = credentials(settings, registry, side)?;
    with_options(settings, registry, &options, credentials)
}

/// A second client for a registry [`open`] already warned about: the same
/// settings, no warning.
pub fn reopen(settings: &Settings, registry: &str, side: Side<'_>) -> Result<Registry> {
    let options = side_options(settings, registry, side);
    let credentials = credentials(settings, registry, side)?;
    Registry::new(registry, &options, credentials)
}

/// A client for `registry` with these options and credentials; warns when
/// verification or encryption is off.
fn with_options(
    settings: &Settings,
    registry: &str,
    options: &ConnectOptions,
    credentials: Option<Credentials>,
) -> Result<Registry> {
    // Said once per registry per run (`sync` opens a source once per
    // destination).
    let warning = if options.plain_http {
        Some(format!(
            "talking plain HTTP to `{registry}`: credentials and images cross the network unencrypted"
        ))
    } else if options.insecure {
        Some(format!(
            "TLS certificate verification is off for `{registry}`: anyone on the path can impersonate it"
        ))
    } else {
        None
    };
    if let Some(warning) = warning.filter(|_| first_warning(registry, options)) {
        settings.printer.warn(warning);
    }
    Registry::new(registry, options, credentials)
}

/// The registries warned about this run, with what they were warned of
/// (plain HTTP, unverified).
static WARNED: Mutex<Option<HashMap<String, (bool, bool)>>> = Mutex::new(None);

/// Whether `registry`'s warning for `options` is still to be said this run.
fn first_warning(registry: &str, options: &ConnectOptions) -> bool {
    let said = (options.plain_http, options.insecure);
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    warned
        .get_or_insert_with(HashMap::new)
        .insert(registry.to_owned(), said)
        != Some(said)
}
