//! `aseecr doctor`: check the chain to a registry link by link and stop at the
//! first broken one, with the fix: name, TCP, TLS trust, API, login, push, delete.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use super::{AlreadyPrinted, ExitStatus, Reported, error_json};
use crate::cli::{DoctorArgs, Format};
use crate::error::{Error, Kind};
use crate::hosts;
use crate::output::{Label, json};
use crate::pki;
use crate::registry::probe::Deletion;
use crate::registry::reference::{registry_host, registry_port};
use crate::registry::{Registry, tls};
use crate::settings::Settings;
use crate::trust::cert::Certificate;

const TIMEOUT: Duration = Duration::from_secs(10);
/// Warn when the certificate expires sooner than this.
const EXPIRY_WARNING_DAYS: i64 = 30;
/// The repository doctor probes: an upload is started and cancelled, and a
/// manifest that cannot exist is deleted; neither leaves anything behind.
const PROBE_REPOSITORY: &str = "aseecr-doctor/probe";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    /// The word in JSON output.
    fn wire(self) -> json::Status {
        match self {
            Status::Ok => json::Status::Ok,
            Status::Warn => json::Status::Warn,
            Status::Fail => json::Status::Failed,
        }
    }
}

/// One check.
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
    help: Vec<String>,
}

struct Doctor<'a> {
    settings: &'a Settings,
    registry: String,
    host: String,
    port: u16,
    checks: Vec<Check>,
}

impl Doctor<'_> {
    fn ok(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Status::Ok, detail.into(), Vec::new());
    }

    fn warn(&mut self, name: &'static str, detail: impl Into<String>, help: Vec<String>) {
        self.push(name, Status::Warn, detail.into(), help);
    }

    /// Record a failed link and return the error that ends the run.
    fn fail(&mut self, name: &'static str, error: Error) -> Error {
        // Every fix `run` would have printed for the error: the FAIL line is
        // where it is said.
        self.push(
            name,
            Status::Fail,
            error.message.clone(),
            super::hints::help_for(&error),
        );
        error
    }

    fn push(&mut self, name: &'static str, status: Status, detail: String, help: Vec<String>) {
        if self.settings.printer.verbose() > 0 || status != Status::Ok {
            tracing::debug!("{name}: {detail}");
        }
        self.checks.push(Check {
            name,
            status,
            detail,
            help,
        });
    }
}

/// What to check: `doctor`'s own options, also filled by `setup`.
#[derive(Debug, Clone, Default)]
pub(crate) struct DoctorOptions {
    /// host[:port]; `None`: the configured registry.
    pub registry: Option<String>,
    /// Compare name resolution with this file instead of the system hosts file.
    pub hosts_file: Option<PathBuf>,
}

/// Every check run, in order, and how the run ended.
pub(crate) struct Diagnosis {
    registry: String,
    checks: Vec<Check>,
    outcome: Result<(), Error>,
}

/// Check the chain to a registry link by link, stopping at the first broken one.
/// Fails only when there is no registry to check; a broken link is in the result.
pub(crate) async fn check(settings: &Settings, options: &DoctorOptions) -> Result<Diagnosis> {
    let registry = settings.require_registry(options.registry.as_deref())?;
    let host = registry_host(&registry).to_owned();
    let connection = crate::connect::options(settings, &registry);
    let port = registry_port(&registry).unwrap_or(if connection.plain_http { 80 } else { 443 });
    let mut doctor = Doctor {
        settings,
        registry: registry.clone(),
        host,
        port,
        checks: Vec::new(),
    };
    let outcome = diagnose(&mut doctor, options.hosts_file.clone()).await;
    Ok(Diagnosis {
        registry,
        checks: doctor.checks,
        outcome,
    })
}

pub async fn run(args: DoctorArgs, settings: &Settings) -> Result<ExitStatus> {
    let options = DoctorOptions {
        registry: args.registry,
        hosts_file: args.hosts_file,
    };
    let diagnosis = check(settings, &options).await?;
    match args.format.format {
        Format::Json => {
            let outcome = diagnosis.outcome.map_err(anyhow::Error::from);
            settings.printer.json(&json::DoctorReport {
                registry: &diagnosis.registry,
                ok: outcome.is_ok(),
                checks: diagnosis
                    .checks
                    .iter()
                    .map(|check| json::DoctorCheck {
                        name: check.name,
                        status: check.status.wire(),
                        detail: &check.detail,
                        help: &check.help,
                    })
                    .collect(),
                error: outcome.as_ref().err().map(error_json),
            })?;
            // The report carries the error: `run` must not print a second object.
            outcome
                .map(|()| ExitStatus::Success)
                .map_err(|err| AlreadyPrinted(err).into())
        }
        Format::Text => finish_text(settings, diagnosis),
    }
}

/// Print the checks for people (on stdout: they are the data), each warning and
/// the failure with its `help:` lines, then end as the diagnosis did. The
/// failure is said once, by its `FAIL` line: `run` adds no `error:` report.
pub(crate) fn finish_text(settings: &Settings, diagnosis: Diagnosis) -> Result<ExitStatus> {
    let printer = &settings.printer;
    for check in &diagnosis.checks {
        let label = match check.status {
            Status::Ok => Label::Ok,
            Status::Warn => Label::Warn,
            Status::Fail => Label::Fail,
        };
        printer.labeled_data("", label, &format!("{:<8} {}", check.name, check.detail))?;
        if check.status != Status::Ok {
            for help in &check.help {
                printer.labeled_data(HELP_INDENT, Label::Help, help)?;
            }
        }
    }
    match diagnosis.outcome {
        Ok(()) => Ok(ExitStatus::Success),
        Err(err) => Err(Reported(err.into()).into()),
    }
}

/// Lines up `help:` under the detail of a check.
const HELP_INDENT: &str = "              ";

async fn diagnose(doctor: &mut Doctor<'_>, hosts_file: Option<PathBuf>) -> Result<(), Error> {
    let settings = doctor.settings;
    let registry = doctor.registry.clone();
    let options = crate::connect::options(settings, &registry);

    // 1. The name resolves, to the hosts-file address when there is one.
    let addresses = resolve(doctor, hosts_file).await?;

    // 2. TCP connects.
    let mut connected = None;
    let mut last_error = String::new();
    let mut last_kind = Kind::Connect;
    for address in &addresses {
        match tokio::time::timeout(
            TIMEOUT,
            tokio::net::TcpStream::connect((*address, doctor.port)),
        )
        .await
        {
            Ok(Ok(_)) => {
                connected = Some(*address);
                break;
            }
            Ok(Err(err)) => {
                last_kind = if err.kind() == std::io::ErrorKind::ConnectionRefused {
                    Kind::Refused
                } else {
                    Kind::Connect
                };
                last_error = err.to_string();
            }
            Err(_) => {
                last_kind = Kind::Timeout;
                last_error = "timed out".to_owned();
            }
        }
    }
    let Some(address) = connected else {
        return Err(doctor.fail(
            "connect",
            Error::new(last_kind, format!("cannot connect to port {} of `{}`: {last_error}", doctor.port, doctor.host))
                .help("check that the device is on, that this machine can reach its network, and the port (the device's registry listens on 31001)"),
        ));
    };
    doctor.ok("connect", format!("TCP {address} port {}", doctor.port));

    // 3. TLS: trusted by aseecr and by the OS, matching the name, not expiring.
    if options.plain_http {
        doctor.warn(
            "tls",
            "skipped: plain HTTP (credentials and images are not encrypted)",
            Vec::new(),
        );
    } else if options.insecure {
        doctor.warn(
            "tls",
            "skipped: certificate verification is off for this registry",
            vec![format!(
                "trust the certificate instead: `aseecr trust-cert --fetch --registry {registry}`"
            )],
        );
    } else {
        check_tls(doctor, &options).await?;
    }

    // 4. The registry API answers.
    let anonymous = Registry::new(&registry, &options, None).map_err(to_error)?;
    let root = anonymous
        .probe_api_root()
        .await
        .map_err(|err| doctor.fail("api", to_error(err)))?;
    let api_version = root
        .api_version
        .as_deref()
        .unwrap_or("no API version header");
    if root.is_registry {
        doctor.ok(
            "api",
            format!("/v2/ answers {} ({api_version})", root.status),
        );
    } else {
        return Err(doctor.fail(
            "api",
            Error::new(
                Kind::Failed,
                format!(
                    "/v2/ answered HTTP {}: this is not a Docker or OCI registry endpoint",
                    root.status
                ),
            )
            .help("check the port: the device's registry listens on 31001"),
        ));
    }

    // 5. The stored credentials are accepted.
    let credentials =
        crate::connect::credentials(settings, &registry, crate::connect::Side::Single)
            .map_err(to_error)?;
    let needs_login = root.needs_login;
    if credentials.is_none() {
        if needs_login {
            return Err(doctor.fail(
                "login",
                Error::new(
                    Kind::Auth,
                    format!("no credentials are stored for `{registry}`"),
                )
                .help(format!("log in: `aseecr login {registry}`")),
            ));
        }
        doctor.ok("login", "the registry needs no login");
    }
    let client = Registry::new(&registry, &options, credentials.clone()).map_err(to_error)?;
    if credentials.is_some() {
        client
            .check_login()
            .await
            .map_err(|err| doctor.fail("login", to_error(err)))?;
        doctor.ok("login", "the stored credentials are accepted");
    }

    // 6. Pushing is allowed: start an upload and cancel it.
    client
        .probe_upload(PROBE_REPOSITORY)
        .await
        .map_err(|err| doctor.fail("push", to_error(err)))?;
    doctor.ok("push", "uploads are accepted");

    // 7. Deletion is enabled: deleting a digest that cannot exist answers 404
    // when deletion is on and 405 when it is off.
    match client
        .probe_delete(PROBE_REPOSITORY)
        .await
        .map_err(|err| doctor.fail("delete", to_error(err)))?
    {
        Deletion::Enabled => {
            doctor.ok("delete", "deletion is enabled");
            Ok(())
        }
        Deletion::Disabled => Err(doctor.fail(
            "delete",
            Error::new(Kind::Failed, format!("deletion is disabled on `{registry}`: `aseecr delete` cannot free space"))
                .help("enable it in the registry's configuration: `storage: delete: enabled: true` (or REGISTRY_STORAGE_DELETE_ENABLED=true)"),
        )),
    }
}

/// Resolve the host and compare with the hosts file.
async fn resolve(
    doctor: &mut Doctor<'_>,
    hosts_file: Option<PathBuf>,
) -> Result<Vec<IpAddr>, Error> {
    let host = doctor.host.clone();
    if let Ok(ip) = host.parse::<IpAddr>() {
        doctor.ok("resolve", format!("`{host}` is an IP address"));
        return Ok(vec![ip]);
    }
    let path = hosts_file.unwrap_or_else(hosts::system_path);
    let mapped = hosts::read(&path)
        .ok()
        .and_then(|bytes| hosts::Hosts::parse(&bytes).ok())
        .and_then(|parsed| {
            parsed
                .entries()
                .iter()
                .find(|e| e.host.eq_ignore_ascii_case(&host))
                .map(|e| e.ip)
        });
    let resolved: Vec<IpAddr> = match tokio::net::lookup_host((host.as_str(), doctor.port)).await {
        Ok(addresses) => addresses.map(|a| a.ip()).collect(),
        Err(_) => Vec::new(),
    };
    if resolved.is_empty() {
        let mut error = Error::new(
            Kind::Dns,
            format!("the registry host `{host}` does not resolve"),
        );
        error = match mapped {
            Some(ip) => error.help(format!(
                "`{}` maps it to {ip}, but the resolver does not see it: flush the DNS cache, or check that this is the hosts file in use",
                path.display()
            )),
            None => error.help(format!("map it to the device's node IP: `aseecr setup-host {} NODE-IP`", doctor.registry)),
        };
        return Err(doctor.fail("resolve", error));
    }
    match mapped {
        Some(ip) if !resolved.contains(&ip) => {
            let list: Vec<String> = resolved.iter().map(IpAddr::to_string).collect();
            return Err(doctor.fail(
                "resolve",
                Error::new(
                    Kind::Dns,
                    format!("`{host}` resolves to {}, not to {ip} as the hosts file says", list.join(", ")),
                )
                .help("another hosts-file line or a DNS cache wins; flush the DNS cache and check `aseecr setup-host --list`"),
            ));
        }
        Some(ip) => doctor.ok("resolve", format!("`{host}` -> {ip} (hosts file)")),
        None => {
            let list: Vec<String> = resolved.iter().map(IpAddr::to_string).collect();
            doctor.ok("resolve", format!("`{host}` -> {}", list.join(", ")));
        }
    }
    Ok(resolved)
}

async fn check_tls(
    doctor: &mut Doctor<'_>,
    options: &crate::registry::ConnectOptions,
) -> Result<(), Error> {
    let registry = doctor.registry.clone();
    let host = doctor.host.clone();
    let target = if host.contains(':') {
        format!("[{host}]:{}", doctor.port)
    } else {
        format!("{host}:{}", doctor.port)
    };
    let chain =
        tokio::task::spawn_blocking(move || crate::trust::fetch::presented_chain(&target, TIMEOUT))
            .await
            .map_err(|err| Error::new(Kind::Failed, err.to_string()))?
            .map_err(|err| doctor.fail("tls", to_error(err)))?;
    let mut extra = Vec::new();
    for path in &options.ca_certs {
        extra.extend(pki::read(path).map_err(|err| doctor.fail("tls", to_error(err)))?);
    }
    let leaf = chain
        .first()
        .and_then(|der| Certificate::from_der(der).ok())
        .ok_or_else(|| {
            doctor.fail(
                "tls",
                Error::new(Kind::Tls, "the server presented no readable certificate"),
            )
        })?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if leaf.is_expired(now) {
        return Err(doctor.fail(
            "tls",
            Error::new(
                Kind::Tls,
                format!(
                    "the certificate of `{registry}` expired on {}",
                    leaf.info.not_after
                ),
            )
            .help("renew the device's certificates in its local web UI, then trust the new one"),
        ));
    }
    let by_aseecr = tls::verify_chain(&chain, &host, &extra, true).map_err(to_error)?;
    if let Err(err) = by_aseecr {
        let described = tls::describe(&err, &registry);
        let changed = match (&options.remembered, chain.first()) {
            (Some(remembered), Some(presented)) if described.kind == Kind::TlsUntrusted => {
                let certs = pki::read(&remembered.path).unwrap_or_default();
                tls::changed(
                    &registry,
                    presented,
                    &certs,
                    remembered.trusted_on.as_deref(),
                )
            }
            _ => None,
        };
        let error = changed.unwrap_or(described);
        return Err(doctor.fail("tls", to_error(error.into())));
    }
    if !leaf.names_host(&host) {
        doctor.warn(
            "tls",
            format!(
                "the certificate does not name `{host}` (it names {})",
                leaf.info.sans.join(", ")
            ),
            vec!["use the registry name the certificate was issued for".to_owned()],
        );
    }
    let days_left = (leaf.info.not_after_unix - now) / 86_400;
    let by_os = tls::verify_chain(&chain, &host, &[], true).map_err(to_error)?;
    let subject = &leaf.info.subject;
    // The OS store is judged as its own clients judge it: a chain to one of its
    // roots, or a self-signed certificate that is itself one of its roots.
    match by_os {
        Ok(()) => doctor.ok("tls", format!("trusted by the OS store and aseecr ({subject})")),
        Err(_) => doctor.warn(
            "tls",
            format!("trusted by aseecr, but not by the OS store: docker and other clients will refuse it ({subject})"),
            vec![os_fix(&registry, leaf.info.self_signed, &options.ca_certs)],
        ),
    }
    if days_left < EXPIRY_WARNING_DAYS {
        doctor.warn(
            "expiry",
            format!(
                "the certificate expires in {days_left} days ({})",
                leaf.info.not_after
            ),
            vec!["renew the device's certificates before then, then trust the new one".to_owned()],
        );
    }
    Ok(())
}

/// The command that makes the OS store trust what aseecr trusts. A self-signed
/// server certificate is trusted as itself (`--fetch` trusts it); a certificate
/// issued by a CA needs the CA, which the server may not send: the file aseecr
/// was given is that CA.
fn os_fix(registry: &str, self_signed: bool, ca_files: &[PathBuf]) -> String {
    match ca_files.first() {
        Some(file) if !self_signed => format!(
            "trust the CA in the OS store and the container clients' folders: `aseecr trust-cert {} --registry {registry}` (then restart the clients it names)",
            file.display()
        ),
        _ => format!(
            "trust it in the OS store and the container clients' folders: `aseecr trust-cert --fetch --registry {registry}` (then restart the clients it names)"
        ),
    }
}

/// The crate's user error inside an anyhow error, or a generic one.
fn to_error(err: anyhow::Error) -> Error {
    match crate::error::find(&err) {
        Some(found) => {
            let mut error = Error::new(found.kind, found.message.clone());
            error.help = super::hints::help_for(found);
            error
        }
        None => Error::new(Kind::Failed, format!("{err:#}")),
    }
}
