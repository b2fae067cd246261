//! `aseecr login`: check credentials against the registry, then store them as
//! docker does, so docker, podman and skopeo reuse them.

use anyhow::Result;

use super::ExitStatus;
use crate::cli::{Format, LoginArgs};
use crate::credentials::Credentials;
use crate::credentials::login::{self, LoginRequest};
use crate::error::Error;
use crate::settings::Settings;

pub async fn run(args: LoginArgs, settings: &Settings) -> Result<ExitStatus> {
    let request = login_request(settings, args.registry.as_deref())?;
    let logged_in = login::login(&request, || ask_credentials(settings, &request.registry)).await?;
    login::report_text(&settings.printer, &logged_in);
    if args.format.format == Format::Json {
        settings.printer.json(&logged_in.to_json())?;
    }
    Ok(ExitStatus::Success)
}

/// A login to `registry` (else the configured one) with this run's connection
/// settings.
fn login_request(settings: &Settings, registry: Option<&str>) -> Result<LoginRequest> {
    let registry = settings.require_registry(registry)?;
    Ok(LoginRequest {
        connect: crate::connect::options(settings, &registry),
        registry,
        ca_cert: settings.overrides.ca_cert.clone(),
        insecure: settings.overrides.insecure,
        plain_http: settings.overrides.plain_http,
        docker_config_dir: settings.docker_config_dir.clone(),
        config_dir: settings.config_dir.clone(),
    })
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
        None if interactive => crate::output::prompt::password()?,
        None => {
            return Err(
                Error::usage("no password given and no terminal to ask for one")
                    .help("pipe it in with `--password-stdin`, or set ASEECR_PASSWORD")
                    .into(),
            );
        }
    };
    Ok(Credentials { username, password })
}
