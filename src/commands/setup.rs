//! `aseecr setup`: the device's whole procedure in one command: hosts entry,
//! certificate trust, login, default registry, then doctor.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{AlreadyPrinted, ExitStatus, Reported, error_json, hints};
use crate::cli::{Format, SetupArgs, TrustStore};
use crate::credentials::Credentials;
use crate::credentials::login::{self, LoggedIn, LoginRequest};
use crate::doctor::{self, Diagnosis, DoctorOptions};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::hosts::{self, Applied, HostEntry};
use crate::output::json;
use crate::output::prompt::Consent;
use crate::registry::reference::normalize_registry;
use crate::secret::SecretString;
use crate::settings::Settings;
use crate::trust::{self, Certificate, Session, Store, TrustOptions, Trusted, cert};

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

/// The device's one registry user, the answer to an empty username.
pub const DEFAULT_USERNAME: &str = "ase-ecr-user";

/// How often a rejected password is asked for at the terminal.
const PASSWORD_TRIES: u32 = 3;

/// Every value setup needs, checked, before anything changes.
struct Plan {
    endpoint: String,
    ip: String,
    cert: PathBuf,
    certificate: Certificate,
    username: String,
    /// `None` in a dry run that was given none: nothing is stored.
    password: Option<SecretString>,
    /// The password was typed at the terminal, so a rejected one is asked again.
    asked_password: bool,
    stores: Vec<Store>,
}

pub async fn run(args: SetupArgs, settings: &Settings) -> Result<ExitStatus> {
    let stores = trust::stores(&TrustStore::stores(&args.store), false)?;
    let info = given_info(&args, settings)?;
    if !args.dry_run && !settings.yes && !settings.interactive() {
        return Err(
            Error::usage("setup changes system files and needs confirmation")
                .help("pass --yes to run it without a terminal, or --dry-run to see the changes")
                .into(),
        );
    }
    intro(settings, &args, &stores);
    let plan = plan(&args, settings, info, stores)?;
    confirm(settings, &args, &plan)?;

    let mut step = settings.clone();
    step.yes = true;
    let hosts = hosts_step(&step, &args, &plan).await?;
    let trust = match trust_step(&step, &args, &plan).await {
        Ok(trust) => trust,
        Err(err) => return Err(undo(&step, &args, &plan, &hosts, None, err).await),
    };
    let mut report = json::SetupReport {
        registry: plan.endpoint.clone(),
        dry_run: args.dry_run,
        hosts: hosts.to_json(),
        trust: trust.to_json(),
        login: None,
        default_registry: false,
        doctor: None,
        error: None,
    };
    // A dry run plans steps 3 to 5 and tries none of them: they depend on what
    // steps 1 and 2 would change (the name may resolve only through the new
    // hosts entry), and login would store credentials.
    let password = match plan.password.clone() {
        Some(password) if !args.dry_run => password,
        _ => {
            report_dry_run(&step, &plan, hosts.changed);
            return finish(settings, args.format.format, &report);
        }
    };
    let logged_in = match login_step(&mut step, &plan, password).await {
        Ok(logged_in) => logged_in,
        Err(err) => return Err(undo(&step, &args, &plan, &hosts, Some(&trust), err).await),
    };
    report.login = Some(logged_in.to_json());
    if let Err(err) = default_registry_step(&mut step, &plan.endpoint) {
        let err = err.context(format!(
            "the login stays (`aseecr logout {}` removes it)",
            plan.endpoint
        ));
        return Err(undo(&step, &args, &plan, &hosts, Some(&trust), err).await);
    }
    report.default_registry = true;
    let diagnosis = doctor_step(&mut step, &args, &plan.endpoint).await?;
    let outcome = match args.format.format {
        Format::Text => doctor::print_text(&settings.printer, diagnosis)?
            .map_err(|err| anyhow::Error::from(Reported(err.into()))),
        Format::Json => {
            let failure = diagnosis.outcome.err().map(anyhow::Error::from);
            report.doctor = Some(doctor::report_json(
                &diagnosis.registry,
                &diagnosis.checks,
                failure.as_ref().map(error_json),
            ));
            if let Some(err) = failure {
                let err = err.context(DOCTOR_FAILED);
                report.error = Some(error_json(&err));
                settings.printer.json(&report)?;
                return Err(AlreadyPrinted(err).into());
            }
            Ok(())
        }
    };
    outcome.context(DOCTOR_FAILED)?;
    settings.printer.status("");
    settings.printer.status(format!(
        "`{}` is ready: try `aseecr mirror mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine`",
        plan.endpoint
    ));
    finish(settings, args.format.format, &report)
}

/// After a step failed: undo what this run changed in the trust stores and the
/// hosts file, so a failed setup leaves the machine as it found it. A store
/// whose certificate replaced another one keeps the new one (the old one was not
/// kept), and anything that cannot be undone is named with the command that
/// does it. Returns `err`, the step's failure.
async fn undo(
    step: &Settings,
    args: &SetupArgs,
    plan: &Plan,
    hosts: &Applied,
    trusted: Option<&Trusted>,
    err: anyhow::Error,
) -> anyhow::Error {
    let printer = step.printer;
    let endpoint = &plan.endpoint;
    let added: Vec<Store> = trusted.map_or_else(Vec::new, |t| {
        t.actions
            .iter()
            .filter(|a| a.outcome == trust::Outcome::Add)
            .map(|a| a.store)
            .collect()
    });
    let replaced = trusted.is_some_and(|t| {
        t.actions
            .iter()
            .any(|a| a.outcome == trust::Outcome::Replace)
    });
    if !hosts.changed && added.is_empty() && !replaced && trusted.is_some() {
        return err;
    }
    printer.status("");
    printer.status("the run failed: undoing what this run changed");
    if trusted.is_none() {
        printer.warn(format!(
            "step 2 may have changed some trust stores before it failed; see what stays with `aseecr trust-cert {} --registry {endpoint} --dry-run --remove` and remove it with `--yes` in place of `--dry-run`",
            plan.cert.shown()
        ));
    }
    if let Some(trusted) = trusted {
        for action in trusted
            .actions
            .iter()
            .filter(|a| a.outcome == trust::Outcome::Replace)
        {
            printer.warn(format!(
                "{}: keeps the new certificate; the one it replaced was not kept (`aseecr trust-cert {} --registry {endpoint} --remove --store {}` removes it)",
                action.store.name(),
                plan.cert.shown(),
                action.store.name()
            ));
        }
    }
    if !added.is_empty() {
        undo_trust(step, args, plan, added).await;
    }
    if hosts.changed {
        undo_hosts(step, args, plan, hosts).await;
    }
    err
}

/// Remove the certificate from the stores this run added it to.
async fn undo_trust(step: &Settings, args: &SetupArgs, plan: &Plan, stores: Vec<Store>) {
    let names: Vec<&str> = stores.iter().map(|s| s.name()).collect();
    let retry = format!(
        "aseecr trust-cert {} --registry {} --remove --store {} --yes",
        plan.cert.shown(),
        plan.endpoint,
        names.join(",")
    );
    let options = TrustOptions {
        file: Some(plan.cert.clone()),
        registry: Some(plan.endpoint.clone()),
        stores,
        root: args.root.clone(),
        trust_command: args.trust_command.clone(),
        remove: true,
        // The certificate was shown in step 2: only the store changes are reported.
        json: true,
        ..TrustOptions::default()
    };
    let step = step.clone();
    let printer = step.printer;
    let result = tokio::task::spawn_blocking(move || {
        let session = Session {
            printer: &step.printer,
            consent: Consent {
                yes: true,
                interactive: false,
            },
            config_dir: &step.config_dir,
        };
        let removed = trust::install(session, &options)?;
        trust::report_text(&step.printer, &removed);
        anyhow::Ok(())
    })
    .await;
    if let Err(err) = result.map_err(anyhow::Error::from).and_then(|r| r) {
        printer.warn(format!(
            "could not undo the certificate trust ({err:#}); the certificate stays: remove it with `{retry}`"
        ));
    }
}

/// Put the hosts file's entry back as it was before step 1.
async fn undo_hosts(step: &Settings, args: &SetupArgs, plan: &Plan, hosts: &Applied) {
    let entry = HostEntry {
        endpoint: plan.endpoint.clone(),
        ip: hosts.previous.map(|ip| ip.to_string()),
        hosts_file: args.hosts_file.clone(),
        dry_run: false,
    };
    let retry = match &entry.ip {
        Some(ip) => format!("aseecr setup-host {} {ip} --yes", plan.endpoint),
        None => format!("aseecr setup-host {} --remove --yes", plan.endpoint),
    };
    let printer = step.printer;
    let consent = Consent {
        yes: true,
        interactive: false,
    };
    let result = tokio::task::spawn_blocking(move || hosts::apply(&printer, consent, &entry)).await;
    // On success hosts::apply has said what it changed back.
    if let Err(err) = result.map_err(anyhow::Error::from).and_then(|r| r) {
        printer.warn(format!(
            "could not undo the hosts file change ({err:#}); it stays: undo it with `{retry}`"
        ));
    }
}

/// How a failed doctor step is reported.
const DOCTOR_FAILED: &str = "step 5 of 5 (doctor) found a problem";

/// The JSON report under `--format json` (text has said everything on the way).
fn finish(
    settings: &Settings,
    format: Format,
    report: &json::SetupReport<'_>,
) -> Result<ExitStatus> {
    if format == Format::Json {
        settings.printer.json(report)?;
    }
    Ok(ExitStatus::Success)
}

/// The values of `--from-info`, overridden by the flags and global options given.
fn given_info(args: &SetupArgs, settings: &Settings) -> Result<RegistryInfo> {
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
    Ok(info)
}

/// Check every value where it is given (flag, --from-info or prompt), before
/// anything changes; a prompt asks again until the answer is usable.
fn plan(
    args: &SetupArgs,
    settings: &Settings,
    info: RegistryInfo,
    stores: Vec<Store>,
) -> Result<Plan> {
    let interactive = settings.interactive();
    let endpoint = endpoint(settings, info.endpoint, interactive)?;
    let ip = value(
        info.ip,
        interactive,
        "The device's Kubernetes node IP address",
        "--ip",
        check_ip,
    )?;
    let check_certificate = |text: &str| check_cert(settings, text, &endpoint);
    let (cert, certificate) = value(
        args.cert.as_ref().map(|p| p.to_string_lossy().into_owned()),
        interactive,
        "Certificate file downloaded from the device (.cer or .pem)",
        "--cert",
        check_certificate,
    )?;
    let username = match info.username.filter(|u| !u.trim().is_empty()) {
        Some(username) => username.trim().to_owned(),
        None if interactive => ask("Username", Some(DEFAULT_USERNAME), |u| Ok(u.to_owned()))?,
        None => DEFAULT_USERNAME.to_owned(),
    };
    // A dry run stores nothing, so it needs no password.
    let given_password = info.password.filter(|p| !p.is_empty());
    let asked_password = given_password.is_none() && !args.dry_run;
    let password = match given_password {
        Some(password) => Some(password),
        None if args.dry_run => None,
        None if interactive => Some(crate::output::prompt::password()?),
        None => {
            return Err(missing(
                "the password",
                "--password-stdin, ASEECR_PASSWORD or --from-info",
            ));
        }
    };
    Ok(Plan {
        endpoint,
        ip,
        cert,
        certificate,
        username,
        password,
        asked_password,
        stores,
    })
}

/// The port of the device's registry, used for an endpoint typed without one.
pub const DEVICE_PORT: u16 = 31001;

/// The endpoint: as given (a flag or `--from-info`: without a port, port 443
/// with a warning), or asked for, where an answer without a port gets the
/// device's port, saying so: the prompt asks for the device's registry.
fn endpoint(settings: &Settings, given: Option<String>, interactive: bool) -> Result<String> {
    let prompt =
        "Registry endpoint, HOST:PORT (the device's is ecr.dbe-<id>.microsoftdatabox.com:31001)";
    if given.as_deref().is_some_and(|e| !e.trim().is_empty()) || !interactive {
        let endpoint = value(given, interactive, prompt, "--endpoint", check_endpoint)?;
        if crate::registry::reference::registry_port(&endpoint).is_none() {
            settings.printer.warn(format!(
                "`{endpoint}` has no port, so HTTPS port 443 is used; the device's registry listens on {DEVICE_PORT}"
            ));
        }
        return Ok(endpoint);
    }
    let (endpoint, defaulted) = ask(prompt, None, check_typed_endpoint)?;
    if defaulted {
        settings.printer.status(format!(
            "no port given: using the device's port {DEVICE_PORT} (`{endpoint}`)"
        ));
    }
    Ok(endpoint)
}

/// A typed endpoint, with the device's port added when it has none (and
/// whether it was added).
fn check_typed_endpoint(text: &str) -> Result<(String, bool), Error> {
    let endpoint = check_endpoint(text)?;
    if crate::registry::reference::registry_port(&endpoint).is_some() {
        return Ok((endpoint, false));
    }
    Ok((
        normalize_registry(&format!("{endpoint}:{DEVICE_PORT}"))?,
        true,
    ))
}

/// Say what will be done, and ask once before the first change.
fn confirm(settings: &Settings, args: &SetupArgs, plan: &Plan) -> Result<()> {
    settings.printer.status(format!(
        "setting up `{}`: hosts entry -> {}, trust `{}` ({}), log in as `{}`, make it the default registry, then check",
        plan.endpoint,
        plan.ip,
        plan.cert.shown(),
        plan.certificate.info.subject,
        plan.username
    ));
    // What the OS store means for the device's certificate, said at the prompt.
    if plan.certificate.info.is_ca && plan.stores.contains(&Store::Os) {
        settings
            .printer
            .warn(trust::os_store_warning(Some(&plan.endpoint)));
    }
    if settings.yes || args.dry_run {
        return Ok(());
    }
    let go = crate::output::prompt::confirm("Go ahead?", true)
        .map_err(|err| Error::usage(format!("cannot ask for confirmation: {err}")))?;
    if !go {
        return Err(Error::usage("setup cancelled: nothing was changed").into());
    }
    Ok(())
}

/// A step's heading: `[N/5] what`, after an empty line.
fn heading(settings: &Settings, number: u8, what: &str, dry_run: bool) {
    let dry = if dry_run { " (dry run)" } else { "" };
    settings.printer.status("");
    settings
        .printer
        .status(format!("[{number}/{STEPS}] {what}{dry}"));
}

/// The number of steps.
const STEPS: u8 = 5;

/// Step 1: the hosts entry.
async fn hosts_step(step: &Settings, args: &SetupArgs, plan: &Plan) -> Result<Applied> {
    heading(step, 1, "hosts file", args.dry_run);
    let entry = HostEntry {
        endpoint: plan.endpoint.clone(),
        ip: Some(plan.ip.clone()),
        hosts_file: args.hosts_file.clone(),
        dry_run: args.dry_run,
    };
    let printer = step.printer;
    let consent = Consent {
        yes: step.yes,
        interactive: step.interactive(),
    };
    let applied = tokio::task::spawn_blocking(move || hosts::apply(&printer, consent, &entry))
        .await
        .context("the setup-host task failed")?
        .context("step 1 of 5 (hosts file) failed")?;
    if let Some(diff) = &applied.diff {
        for line in diff.lines() {
            printer.status(format!("  {line}"));
        }
    }
    Ok(applied)
}

/// Step 2: the certificate, trusted in the stores asked for.
async fn trust_step(step: &Settings, args: &SetupArgs, plan: &Plan) -> Result<Trusted> {
    heading(step, 2, "certificate trust", args.dry_run);
    let options = TrustOptions {
        file: Some(plan.cert.clone()),
        registry: Some(plan.endpoint.clone()),
        stores: plan.stores.clone(),
        root: args.root.clone(),
        trust_command: args.trust_command.clone(),
        dry_run: args.dry_run,
        // setup is given the device's current certificate: it replaces an older one.
        replace: true,
        // `confirm` said what the OS store means, before "Go ahead?".
        os_store_warned: true,
        ..TrustOptions::default()
    };
    let step = step.clone();
    tokio::task::spawn_blocking(move || {
        let session = Session {
            printer: &step.printer,
            consent: Consent {
                yes: step.yes,
                interactive: step.interactive(),
            },
            config_dir: &step.config_dir,
        };
        let trusted = trust::install(session, &options)?;
        trust::report_text(&step.printer, &trusted);
        anyhow::Ok(trusted)
    })
    .await?
    .context("step 2 of 5 (certificate trust) failed")
}

/// The dry run's steps 3 to 5: what they would do. `hosts_change`: step 1
/// would change the hosts file, so the registry is reached only after it.
fn report_dry_run(step: &Settings, plan: &Plan, hosts_change: bool) {
    let printer = &step.printer;
    let (endpoint, username) = (&plan.endpoint, &plan.username);
    let docker_config = step.docker_config_dir.join("config.json");
    heading(step, 3, "login", true);
    printer.status(format!(
        "  would check the password of `{username}` against `{endpoint}`, then store the credentials where docker keeps them (`{}` or its credential helper), and remember the certificate in `{}`",
        docker_config.shown(),
        step.config_dir.cert_path(endpoint).shown()
    ));
    let host = crate::registry::reference::registry_host(endpoint);
    if hosts_change {
        printer.status(format!(
            "  not tried now: `{host}` reaches {} only after step 1 adds its hosts entry",
            plan.ip
        ));
    } else {
        printer.status("  not tried now: a dry run connects to nothing");
    }
    heading(step, 4, "default registry", true);
    printer.status(format!(
        "  would set `registry = {endpoint}` in `{}`",
        step.config_path().shown()
    ));
    heading(step, 5, "doctor", true);
    printer.status(format!(
        "  would check name, connection, certificate, API, login, push and delete on `{endpoint}`"
    ));
    printer.status("");
    printer.status("dry run: nothing was changed");
}

/// Step 3: log in, asking again for a typed password the registry rejects.
async fn login_step(step: &mut Settings, plan: &Plan, password: SecretString) -> Result<LoggedIn> {
    heading(step, 3, "login", false);
    step.config = step.config_dir.load()?;
    step.overrides.ca_cert = Some(plan.cert.clone());
    let request = LoginRequest {
        registry: plan.endpoint.clone(),
        connect: crate::connect::options(step, &plan.endpoint),
        ca_cert: step.overrides.ca_cert.clone(),
        insecure: step.overrides.insecure,
        plain_http: step.overrides.plain_http,
        docker_config_dir: step.docker_config_dir.clone(),
        config_dir: step.config_dir.clone(),
    };
    let mut password = password;
    let mut tries = 1;
    loop {
        let credentials = Credentials {
            username: plan.username.clone(),
            password: password.clone(),
        };
        let err = match login::login(&request, || Ok(credentials)).await {
            Ok(logged_in) => {
                login::report_text(&step.printer, &logged_in);
                return Ok(logged_in);
            }
            Err(err) => err,
        };
        let cause = crate::error::find(&err)
            .filter(|e| matches!(e.kind, Kind::AuthRejected | Kind::AuthRequired))
            .map(|e| e.message.clone());
        match cause {
            Some(cause) if plan.asked_password && tries < PASSWORD_TRIES => {
                let left = PASSWORD_TRIES - tries;
                step.printer.warn(format!(
                    "{cause}: check the password and type it again ({left} {} left)",
                    if left == 1 { "try" } else { "tries" }
                ));
                password = crate::output::prompt::password()?;
                tries += 1;
            }
            // Keep the registry's answer in the one line shown without -v.
            Some(cause) => {
                return Err(err.context(format!("step 3 of 5 (login) failed: {cause}")));
            }
            None => return Err(err.context("step 3 of 5 (login) failed")),
        }
    }
}

/// Step 4: the registry becomes the default one.
fn default_registry_step(step: &mut Settings, endpoint: &str) -> Result<()> {
    heading(step, 4, "default registry", false);
    let registry = endpoint.to_owned();
    step.config = step
        .config_dir
        .update(|config| config.registry = Some(registry))?;
    step.default_registry = Some(endpoint.to_owned());
    step.printer
        .status(format!("`{endpoint}` is the default registry"));
    Ok(())
}

/// Step 5: doctor, with the stored credentials.
async fn doctor_step(step: &mut Settings, args: &SetupArgs, endpoint: &str) -> Result<Diagnosis> {
    heading(step, 5, "doctor", false);
    step.username = None;
    step.password = None;
    let options = DoctorOptions {
        registry: Some(endpoint.to_owned()),
        hosts_file: args.hosts_file.clone(),
        advice: hints::help_for,
        trust_root: args.root.clone(),
    };
    doctor::check(step, &options).await
}

/// Say what setup will change on this machine, before the first question.
fn intro(settings: &Settings, args: &SetupArgs, stores: &[Store]) {
    let printer = &settings.printer;
    let hosts = args
        .hosts_file
        .clone()
        .unwrap_or_else(crate::hosts::system_path);
    let stores: Vec<&str> = stores.iter().map(|s| s.name()).collect();
    let verb = if args.dry_run {
        "would change (dry run: nothing is changed)"
    } else {
        "changes, once you confirm"
    };
    printer.status(format!(
        "aseecr setup connects this machine to the device's container registry. It {verb}:"
    ));
    printer.status(format!(
        "  - the hosts file `{}`: the registry's name -> the device's IP",
        hosts.shown()
    ));
    printer.status(format!(
        "  - trust stores: the device's certificate in {}",
        stores.join(", ")
    ));
    printer.status(format!(
        "  - docker's credentials (`{}`): the registry login",
        settings.docker_config_dir.join("config.json").shown()
    ));
    printer.status(format!(
        "  - aseecr's configuration (`{}`): the default registry and its certificate",
        settings.config_path().shown()
    ));
}

/// A registry endpoint: `host[:port]`, checked by the registry endpoint parser.
fn check_endpoint(text: &str) -> Result<String, Error> {
    normalize_registry(text.trim())
}

fn check_ip(text: &str) -> Result<String, Error> {
    crate::hosts::parse_ip(text).map(|ip| ip.to_string())
}

/// A certificate path as people paste it: surrounding whitespace and quotes (Windows
/// Explorer's "Copy as path" gives `"C:\...\ecr.cer"`) removed, and a leading `~`
/// taken as the home folder (shells expand it; prompts and `--cert=~/...` do not).
pub fn clean_path(text: &str, home: Option<&Path>) -> PathBuf {
    let mut text = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = text
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            text = inner.trim();
            break;
        }
    }
    if let Some(home) = home {
        if text == "~" {
            return home.to_owned();
        }
        if let Some(rest) = text.strip_prefix("~/").or_else(|| text.strip_prefix("~\\")) {
            return home.join(rest);
        }
    }
    PathBuf::from(text)
}

/// The certificate file at `text`: it exists, holds one certificate, has not
/// expired and names the registry's host.
fn check_cert(
    settings: &Settings,
    text: &str,
    endpoint: &str,
) -> Result<(PathBuf, Certificate), Error> {
    let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_owned());
    let path = clean_path(text, home.as_deref());
    if path.as_os_str().is_empty() {
        return Err(Error::usage("no certificate file given"));
    }
    let bytes = crate::fsutil::read_file(&path, &crate::fsutil::CERTIFICATE).map_err(to_error)?;
    let certs = cert::parse(&bytes).map_err(|mut err| {
        err.message = err
            .message
            .replacen("the file", &format!("`{}`", path.shown()), 1);
        err
    })?;
    let certificate = cert::select(certs, None, false)?;
    trust::check(&settings.printer, &certificate, Some(endpoint), false).map_err(to_error)?;
    Ok((path, certificate))
}

/// The crate error inside `err`, or `err` as a usage error.
fn to_error(err: anyhow::Error) -> Error {
    match crate::error::find(&err) {
        Some(found) => {
            let mut error = Error::new(found.kind, found.message.clone());
            error.help = found.help.clone();
            error
        }
        None => Error::usage(format!("{err:#}")),
    }
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

/// A value given by flag or `--from-info`, checked (and refused when wrong); else
/// asked for on a terminal until `check` accepts the answer.
fn value<T>(
    given: Option<String>,
    interactive: bool,
    prompt: &str,
    flag: &str,
    check: impl FnMut(&str) -> Result<T, Error>,
) -> Result<T> {
    let mut check = check;
    match given {
        Some(value) if !value.trim().is_empty() => Ok(check(&value)
            .map_err(|err| err.help(format!("check {flag} (or the --from-info file)")))?),
        _ if interactive => ask(prompt, None, check),
        _ => Err(missing(prompt, flag)),
    }
}

fn ask<T>(
    prompt: &str,
    default: Option<&str>,
    check: impl FnMut(&str) -> Result<T, Error>,
) -> Result<T> {
    crate::output::prompt::ask(prompt, default, check)
        .map_err(|err| Error::usage(format!("cannot read the answer: {err}")).into())
}

fn missing(what: &str, flag: &str) -> anyhow::Error {
    let what = what.split([',', '(']).next().unwrap_or(what).trim();
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
    fn pasted_certificate_paths_are_cleaned() {
        let home = Path::new("/home/me");
        let clean = |text| clean_path(text, Some(home));
        assert_eq!(
            clean("~/Downloads/ecr.cer"),
            PathBuf::from("/home/me/Downloads/ecr.cer")
        );
        assert_eq!(
            clean("  \"C:\\Users\\me\\Downloads\\ecr.cer\" "),
            PathBuf::from("C:\\Users\\me\\Downloads\\ecr.cer")
        );
        assert_eq!(clean("'~/a b.cer'"), PathBuf::from("/home/me/a b.cer"));
        assert_eq!(clean("~"), PathBuf::from("/home/me"));
        assert_eq!(clean("~other/x"), PathBuf::from("~other/x"));
        assert_eq!(clean("\"ecr.cer"), PathBuf::from("\"ecr.cer"));
        assert_eq!(clean_path("~/x", None), PathBuf::from("~/x"));
    }

    #[test]
    fn endpoints_and_ips_are_checked() {
        assert_eq!(
            check_endpoint(" ecr.dbe-x.microsoftdatabox.com:31001 ").unwrap(),
            "ecr.dbe-x.microsoftdatabox.com:31001"
        );
        assert!(check_endpoint("ecr x:31001").is_err());
        assert!(check_endpoint("ecr.x:99999").is_err());
        assert_eq!(
            check_typed_endpoint("ecr.x.microsoftdatabox.com").unwrap(),
            ("ecr.x.microsoftdatabox.com:31001".to_owned(), true)
        );
        assert_eq!(
            check_typed_endpoint("ecr.x:443").unwrap(),
            ("ecr.x:443".to_owned(), false)
        );
        assert_eq!(check_ip(" 10.0.0.9 ").unwrap(), "10.0.0.9");
        assert!(check_ip("10.0.0.999").is_err());
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
