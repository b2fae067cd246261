//! `aseecr setup`: the device's whole procedure in one command: hosts entry,
//! certificate trust, login, default registry, then doctor.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{ExitStatus, doctor, login, setup_host, trust_cert};
use crate::cli::SetupArgs;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::registry::reference::normalize_registry;
use crate::secret::SecretString;
use crate::settings::Settings;

/// What `Get-HcsKubernetesContainerRegistryInfo` reports.
#[derive(Debug, Default, PartialEq)]
pub struct RegistryInfo {
    pub endpoint: Option<String>,
    pub ip: Option<String>,
    pub username: Option<String>,
    pub password: Option<SecretString>,
}

/// Parse the device's `Get-HcsKubernetesContainerRegistryInfo` output: the
/// table (`Endpoint IPAddress Username Password`, a dashes line, a values line)
/// or the list form (`Endpoint : value`).
pub fn parse_registry_info(text: &str) -> Result<RegistryInfo, Error> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut info = RegistryInfo::default();
    if let Some(header) = lines
        .iter()
        .position(|l| l.contains("Endpoint") && l.contains("IPAddress") && !l.contains(':'))
    {
        let columns: Vec<&str> = lines[header].split_whitespace().collect();
        let values = lines[header + 1..]
            .iter()
            .find(|l| !l.is_empty() && !l.chars().all(|c| c == '-' || c.is_whitespace()))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .unwrap_or_default();
        if values.len() != columns.len() {
            return Err(Error::usage(format!(
                "the registry info table has {} columns but its values line has {} fields",
                columns.len(),
                values.len()
            ))
            .help("paste the output of `Get-HcsKubernetesContainerRegistryInfo` unchanged"));
        }
        for (column, value) in columns.iter().zip(values) {
            set(&mut info, column, value);
        }
    } else {
        for line in &lines {
            if let Some((key, value)) = line.split_once(':')
                && !value.trim().is_empty()
            {
                set(&mut info, key.trim(), value.trim());
            }
        }
    }
    if info.endpoint.is_none() {
        return Err(Error::usage("no `Endpoint` found in the registry info")
            .help("on the device's PowerShell interface run `Get-HcsKubernetesContainerRegistryInfo` and pass its output with --from-info FILE (or - for stdin)"));
    }
    Ok(info)
}

fn set(info: &mut RegistryInfo, key: &str, value: &str) {
    match key.to_ascii_lowercase().as_str() {
        "endpoint" => info.endpoint = Some(value.to_owned()),
        "ipaddress" | "ip" => info.ip = Some(value.to_owned()),
        "username" => info.username = Some(value.to_owned()),
        "password" => info.password = Some(SecretString::new(value)),
        _ => {}
    }
}

pub async fn run(args: SetupArgs, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    let mut info = match &args.from_info {
        Some(path) => parse_registry_info(&read_info(path)?)?,
        None => RegistryInfo::default(),
    };
    if args.endpoint.is_some() {
        info.endpoint = args.endpoint.clone();
    }
    if args.ip.is_some() {
        info.ip = args.ip.clone();
    }
    if settings.username.is_some() {
        info.username = settings.username.clone();
    }
    if settings.password.is_some() {
        info.password = settings.password.clone();
    }
    let interactive = settings.interactive();
    let endpoint = value(
        info.endpoint,
        interactive,
        "Registry endpoint (host:port)",
        "--endpoint",
    )?;
    let endpoint = normalize_registry(&endpoint)?;
    let ip = value(info.ip, interactive, "Node IP address", "--ip")?;
    let cert = match &args.cert {
        Some(cert) => cert.clone(),
        None => PathBuf::from(value(
            None,
            interactive,
            "Certificate file downloaded from the device (.cer or .pem)",
            "--cert",
        )?),
    };
    let username = value(info.username, interactive, "Username", "--username")?;
    let password = match info.password {
        Some(password) => password,
        None if interactive => login::prompt_password()?,
        None => {
            return Err(missing(
                "the password",
                "--password-stdin, ASEECR_PASSWORD or --from-info",
            ));
        }
    };
    // Check inputs before changing anything.
    crate::hosts::parse_ip(&ip)?;
    crate::fsutil::read_file(&cert, &crate::fsutil::CERTIFICATE)?;

    printer.status(format!(
        "setting up `{endpoint}`: hosts entry -> {ip}, trust `{}`, log in as `{username}`, make it the default registry, then check",
        cert.display()
    ));
    if !settings.yes {
        if !interactive {
            return Err(
                Error::usage("setup changes system files and needs confirmation")
                    .help("pass --yes to run it without a terminal")
                    .into(),
            );
        }
        let go = crate::output::prompt::confirm("Go ahead?", true)
            .map_err(|err| Error::usage(format!("cannot ask for confirmation: {err}")))?;
        if !go {
            return Err(Error::usage("setup cancelled: nothing was changed").into());
        }
    }

    let mut step = settings.clone();
    step.yes = true;

    printer.status("");
    printer.status("[1/5] hosts file");
    let entry = setup_host::HostEntry {
        endpoint: endpoint.clone(),
        ip: Some(ip.clone()),
        hosts_file: args.hosts_file.clone(),
        dry_run: false,
    };
    setup_host::apply(&step, &entry)
        .await
        .context("step 1 of 5 (hosts file) failed")?;

    printer.status("");
    printer.status("[2/5] certificate trust");
    let trust = trust_cert::TrustOptions {
        file: Some(cert.clone()),
        registry: Some(endpoint.clone()),
        stores: crate::trust::Store::defaults(),
        root: args.root.clone(),
        trust_command: args.trust_command.clone(),
        ..trust_cert::TrustOptions::default()
    };
    let trust_settings = step.clone();
    tokio::task::spawn_blocking(move || {
        let trusted = trust_cert::install(&trust_settings, &trust)?;
        trust_cert::report_text(&trust_settings.printer, &trusted);
        anyhow::Ok(())
    })
    .await?
    .context("step 2 of 5 (certificate trust) failed")?;

    printer.status("");
    printer.status("[3/5] login");
    step.config = step.config_dir.load()?;
    step.overrides.ca_cert = Some(cert);
    let login = login::LoginOptions {
        registry: Some(endpoint.clone()),
        credentials: Some(Credentials { username, password }),
    };
    login::login(&step, &login)
        .await
        .context("step 3 of 5 (login) failed")?;

    printer.status("");
    printer.status("[4/5] default registry");
    let registry = endpoint.clone();
    step.config = step
        .config_dir
        .update(|config| config.registry = Some(registry))?;
    step.default_registry = Some(endpoint.clone());
    printer.status(format!("`{endpoint}` is the default registry"));

    printer.status("");
    printer.status("[5/5] doctor");
    step.username = None;
    step.password = None;
    let doctor_options = doctor::DoctorOptions {
        registry: Some(endpoint.clone()),
        hosts_file: args.hosts_file.clone(),
    };
    let diagnosis = doctor::check(&step, &doctor_options).await?;
    doctor::finish_text(&step, diagnosis).context("step 5 of 5 (doctor) found a problem")?;
    printer.status("");
    printer.status(format!(
        "`{endpoint}` is ready: try `aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine`"
    ));
    Ok(ExitStatus::Success)
}

fn read_info(path: &Path) -> Result<String> {
    let bytes = crate::fsutil::read_input(path, &crate::fsutil::REGISTRY_INFO)?;
    // PowerShell redirection writes UTF-16 with a BOM.
    if bytes.starts_with(&[0xff, 0xfe]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        return Ok(String::from_utf16_lossy(&units));
    }
    Ok(String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .to_owned())
}

fn value(given: Option<String>, interactive: bool, prompt: &str, flag: &str) -> Result<String> {
    match given {
        Some(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        _ if interactive => dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .interact_text()
            .map_err(|err| Error::usage(format!("cannot read the answer: {err}")).into()),
        _ => Err(missing(prompt, flag)),
    }
}

fn missing(what: &str, flag: &str) -> anyhow::Error {
    Error::usage(format!(
        "{} was not given and there is no terminal to ask",
        what.to_lowercase()
    ))
    .help(format!(
        "pass {flag}, or give the device's registry info with --from-info FILE"
    ))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_device_table() {
        let text = "\
[10.100.10.10]: PS>Get-HcsKubernetesContainerRegistryInfo

Endpoint                                   IPAddress     Username     Password
--------                                   ---------     --------     --------
ecr.dbe-hw6h1t2.microsoftdatabox.com:31001 10.100.10.110 ase-ecr-user 3bbo2sOtDe8FouD

";
        let info = parse_registry_info(text).unwrap();
        assert_eq!(
            info.endpoint.as_deref(),
            Some("ecr.dbe-hw6h1t2.microsoftdatabox.com:31001")
        );
        assert_eq!(info.ip.as_deref(), Some("10.100.10.110"));
        assert_eq!(info.username.as_deref(), Some("ase-ecr-user"));
        assert_eq!(info.password.unwrap().expose(), "3bbo2sOtDe8FouD");
        assert!(!format!("{:?}", parse_registry_info(text).unwrap()).contains("3bbo2"));
    }

    #[test]
    fn parses_the_list_form_and_rejects_garbage() {
        let info = parse_registry_info(
            "Endpoint  : ecr.x.microsoftdatabox.com:31001\nIPAddress : 10.0.0.5\nUsername  : u\nPassword  : p:w\n",
        )
        .unwrap();
        assert_eq!(
            info.endpoint.as_deref(),
            Some("ecr.x.microsoftdatabox.com:31001")
        );
        assert_eq!(info.password.unwrap().expose(), "p:w");
        assert!(parse_registry_info("hello").is_err());
        assert!(
            parse_registry_info("Endpoint IPAddress Username Password\n-- -- -- --\na b c\n")
                .is_err()
        );
    }
}
