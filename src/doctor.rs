//! The registry check `doctor` and `setup` share: the chain to a registry, link by
//! link, stopping at the first broken one with the fix: name, TCP, TLS trust, API,
//! login, push, delete. The advice that names aseecr's commands for an error's
//! kind comes in from the caller ([`DoctorOptions::advice`]); the registry is
//! opened as every command opens one (`crate::connect`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::error::{Error, Kind};
use crate::hosts;
use crate::output::{Label, Printer, json};
use crate::pki;
use crate::registry::probe::Deletion;
use crate::registry::reference::{registry_host, registry_port};
use crate::registry::{ConnectOptions, Registry, tls};
use crate::settings::Settings;
use crate::trust::Store;
use crate::trust::cert::Certificate;

const TIMEOUT: Duration = Duration::from_secs(10);
/// Warn when the certificate expires sooner than this.
const EXPIRY_WARNING_DAYS: i64 = 30;
/// The repository doctor probes: an upload is started and cancelled, and a
/// manifest that cannot exist is deleted; neither leaves anything behind.
const PROBE_REPOSITORY: &str = "aseecr-doctor/probe";

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    /// The word in JSON output.
    pub fn wire(self) -> json::Status {
        match self {
            Status::Ok => json::Status::Ok,
            Status::Warn => json::Status::Warn,
            Status::Fail => json::Status::Failed,
        }
    }
}

/// One check.
#[derive(Debug)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
    /// The fixes, for a warning or the failure.
    pub help: Vec<String>,
}

struct Doctor<'a> {
    settings: &'a Settings,
    registry: String,
    host: String,
    port: u16,
    checks: Vec<Check>,
    advice: fn(&Error) -> Vec<String>,
    /// Where the container clients' folders are (`--root`), for the TLS check.
    trust_root: Option<PathBuf>,
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
            (self.advice)(&error),
        );
        error
    }

    /// Record a failed link from any error, and return the error that ends the run.
    fn fail_with(&mut self, name: &'static str, err: anyhow::Error) -> Error {
        let error = self.error(err);
        self.fail(name, error)
    }

    /// The crate's user error inside an anyhow error, with every fix for its
    /// kind, or a generic one.
    fn error(&self, err: anyhow::Error) -> Error {
        match crate::error::find(&err) {
            Some(found) => {
                let mut error = Error::new(found.kind, found.message.clone());
                error.help = (self.advice)(found);
                error
            }
            None => Error::new(Kind::Failed, format!("{err:#}")),
        }
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

/// What to check.
#[derive(Debug, Clone)]
pub struct DoctorOptions {
    /// host[:port]; `None`: the configured registry.
    pub registry: Option<String>,
    /// Compare name resolution with this file instead of the system hosts file.
    pub hosts_file: Option<PathBuf>,
    /// Every `help:` line for an error: its own, then the fix for its kind.
    pub advice: fn(&Error) -> Vec<String>,
    /// Take the container clients' certificate folders inside this directory.
    pub trust_root: Option<PathBuf>,
}

/// Every check run, in order, and how the run ended.
#[derive(Debug)]
pub struct Diagnosis {
    pub registry: String,
    pub checks: Vec<Check>,
    pub outcome: Result<(), Error>,
}

/// Check the chain to a registry link by link, stopping at the first broken one.
/// Fails only when there is no registry to check; a broken link is in the result.
pub async fn check(settings: &Settings, options: &DoctorOptions) -> Result<Diagnosis> {
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
        advice: options.advice,
        trust_root: options.trust_root.clone(),
    };
    let outcome = diagnose(&mut doctor, options.hosts_file.clone()).await;
    Ok(Diagnosis {
        registry,
        checks: doctor.checks,
        outcome,
    })
}

/// Print the checks for people (on stdout: they are the data), each warning and
/// the failure with its `help:` lines, then hand back how the diagnosis ended.
pub fn print_text(printer: &Printer, diagnosis: Diagnosis) -> Result<Result<(), Error>> {
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
    Ok(diagnosis.outcome)
}

/// The checks of a diagnosis in the wire format, with `error` (the failure, as
/// the caller words it) when a link was broken.
pub fn report_json<'a>(
    registry: &'a str,
    checks: &'a [Check],
    error: Option<json::ErrorBody>,
) -> json::DoctorReport<'a> {
    json::DoctorReport {
        registry,
        ok: error.is_none(),
        checks: checks
            .iter()
            .map(|check| json::DoctorCheck {
                name: check.name,
                status: check.status.wire(),
                detail: &check.detail,
                help: &check.help,
            })
            .collect(),
        error,
    }
}

/// Lines up `help:` under the detail of a check.
const HELP_INDENT: &str = "              ";

async fn diagnose(doctor: &mut Doctor<'_>, hosts_file: Option<PathBuf>) -> Result<(), Error> {
    let options = crate::connect::options(doctor.settings, &doctor.registry);
    // 1. The name resolves, to the hosts-file address when there is one.
    let addresses = resolve(doctor, hosts_file).await?;
    // 2. TCP connects.
    connect(doctor, &addresses).await?;
    // 3. TLS: trusted by aseecr and by the OS, matching the name, not expiring.
    tls(doctor, &options).await?;
    // 4. The registry API answers.
    let needs_login = api(doctor, &options).await?;
    // 5. The stored credentials are accepted.
    let client = login(doctor, &options, needs_login).await?;
    // 6. Pushing is allowed, 7. deletion is enabled.
    probe_writes(doctor, &client).await
}

/// The first of `addresses` that accepts a TCP connection on the port.
async fn connect(doctor: &mut Doctor<'_>, addresses: &[IpAddr]) -> Result<(), Error> {
    let mut last_error = String::new();
    let mut last_kind = Kind::Connect;
    for address in addresses {
        match tokio::time::timeout(
            TIMEOUT,
            tokio::net::TcpStream::connect((*address, doctor.port)),
        )
        .await
        {
            Ok(Ok(_)) => {
                doctor.ok("connect", format!("TCP {address} port {}", doctor.port));
                return Ok(());
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
    Err(doctor.fail(
        "connect",
        Error::new(last_kind, format!("cannot connect to port {} of `{}`: {last_error}", doctor.port, doctor.host))
            .help("check that the device is on, that this machine can reach its network, and the port (the device's registry listens on 31001)"),
    ))
}

/// TLS, unless the registry is reached without encryption or verification.
async fn tls(doctor: &mut Doctor<'_>, options: &ConnectOptions) -> Result<(), Error> {
    if options.plain_http {
        doctor.warn(
            "tls",
            "skipped: plain HTTP (credentials and images are not encrypted)",
            Vec::new(),
        );
    } else if options.insecure {
        let registry = &doctor.registry;
        let help = vec![format!(
            "trust the certificate instead: `aseecr trust-cert --fetch --registry {registry}`"
        )];
        doctor.warn(
            "tls",
            "skipped: certificate verification is off for this registry",
            help,
        );
    } else {
        check_tls(doctor, options).await?;
    }
    Ok(())
}

/// The registry API answers at `/v2/`; whether it needs a login.
async fn api(doctor: &mut Doctor<'_>, options: &ConnectOptions) -> Result<bool, Error> {
    let anonymous = Registry::new(&doctor.registry, options, None).map_err(|e| doctor.error(e))?;
    let root = anonymous
        .probe_api_root()
        .await
        .map_err(|err| doctor.fail_with("api", err))?;
    let api_version = root
        .api_version
        .as_deref()
        .unwrap_or("no API version header");
    if !root.is_registry {
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
    doctor.ok(
        "api",
        format!("/v2/ answers {} ({api_version})", root.status),
    );
    Ok(root.needs_login)
}

/// The stored credentials are accepted (or none are needed); the client that
/// uses them.
async fn login(
    doctor: &mut Doctor<'_>,
    options: &ConnectOptions,
    needs_login: bool,
) -> Result<Registry, Error> {
    let registry = doctor.registry.clone();
    let credentials =
        crate::connect::credentials(doctor.settings, &registry, crate::connect::Side::Single)
            .map_err(|e| doctor.error(e))?;
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
    let client =
        Registry::new(&registry, options, credentials.clone()).map_err(|e| doctor.error(e))?;
    if credentials.is_some() {
        client
            .check_login()
            .await
            .map_err(|err| doctor.fail_with("login", err))?;
        doctor.ok("login", "the stored credentials are accepted");
    }
    Ok(client)
}

/// Pushing is allowed (an upload is started and cancelled) and deletion is
/// enabled (deleting a digest that cannot exist answers 404 when deletion is on
/// and 405 when it is off).
async fn probe_writes(doctor: &mut Doctor<'_>, client: &Registry) -> Result<(), Error> {
    client
        .probe_upload(PROBE_REPOSITORY)
        .await
        .map_err(|err| doctor.fail_with("push", err))?;
    doctor.ok("push", "uploads are accepted");
    let registry = doctor.registry.clone();
    match client
        .probe_delete(PROBE_REPOSITORY)
        .await
        .map_err(|err| doctor.fail_with("delete", err))?
    {
        Deletion::Enabled => {
            doctor.ok("delete", "deletion is enabled");
            Ok(())
        }
        Deletion::Disabled => {
            let error = Error::new(Kind::Failed, format!("deletion is disabled on `{registry}`: `aseecr delete` cannot free space"))
                .help("enable it in the registry's configuration: `storage: delete: enabled: true` (or REGISTRY_STORAGE_DELETE_ENABLED=true)");
            Err(doctor.fail("delete", error))
        }
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

async fn check_tls(doctor: &mut Doctor<'_>, options: &ConnectOptions) -> Result<(), Error> {
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
            .map_err(|err| doctor.fail_with("tls", err))?;
    let mut extra = Vec::new();
    for path in &options.ca_certs {
        extra.extend(pki::read(path).map_err(|err| doctor.fail_with("tls", err))?);
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
    let by_aseecr = tls::verify_chain(&chain, &host, &extra, true).map_err(|e| doctor.error(e))?;
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
        return Err(doctor.fail_with("tls", error.into()));
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
    let by_os = tls::verify_chain(&chain, &host, &[], true).map_err(|e| doctor.error(e))?;
    let fix = os_fix(&registry, leaf.info.self_signed, &options.ca_certs);
    report_trust(doctor, by_os.is_ok(), &chain, &leaf.info.subject, fix);
    // A self-signed CA:TRUE certificate trusted by the OS store is itself one
    // of its roots: it may sign a certificate for any site.
    if by_os.is_ok() && leaf.info.self_signed && leaf.info.is_ca {
        report_root_for_all_sites(doctor);
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

/// The `tls` line once aseecr trusts the certificate: trusted by the OS store
/// (`by_os`), else by which container clients through their own folders.
fn report_trust(
    doctor: &mut Doctor<'_>,
    by_os: bool,
    chain: &[rustls::pki_types::CertificateDer<'static>],
    subject: &str,
    fix: String,
) {
    if by_os {
        doctor.ok(
            "tls",
            format!("trusted by the OS store and aseecr ({subject})"),
        );
        return;
    }
    // The OS store is judged as its own clients judge it: a chain to one of its
    // roots, or a self-signed certificate that is itself one of its roots.
    // Container clients read their own per-registry folders first (certs.d):
    // those count as trust for them even when the OS store does not have it.
    let host = doctor.host.clone();
    let clients = client_trust(doctor, chain, &host);
    let trusting: Vec<&str> = clients.iter().filter(|c| c.1).map(|c| c.0).collect();
    let refusing: Vec<&str> = clients.iter().filter(|c| !c.1).map(|c| c.0).collect();
    if trusting.is_empty() {
        doctor.warn(
            "tls",
            format!("trusted by aseecr, but not by the OS store: docker and other clients will refuse it ({subject})"),
            vec![fix],
        );
    } else if refusing.is_empty() {
        doctor.ok(
            "tls",
            format!(
                "trusted by aseecr and, through their certs.d folders, by {}; not by the OS store (curl, browsers and other programs that use it refuse it) ({subject})",
                trusting.join(", ")
            ),
        );
    } else {
        doctor.warn(
            "tls",
            format!(
                "trusted by aseecr and {} (certs.d), but not by the OS store nor the folders of {}: they will refuse it ({subject})",
                trusting.join(", "),
                refusing.join(", ")
            ),
            vec![fix],
        );
    }
}

/// The warning for a device certificate that is a root of the OS store.
fn report_root_for_all_sites(doctor: &mut Doctor<'_>) {
    let registry = doctor.registry.clone();
    let scoped: Vec<&str> = Store::scoped().into_iter().map(Store::name).collect();
    let scoped = scoped.join(",");
    // Where Docker Desktop is the reason the OS store is a default, say so.
    let needed = if Store::os_in_defaults() {
        " (Docker Desktop reads only the OS store: keep it there if you use Docker Desktop)"
    } else {
        ""
    };
    doctor.warn(
        "tls",
        "the device's certificate (CA:TRUE) is a root of the OS store: this machine trusts it for every HTTPS site, so whoever holds the device's key could impersonate any server to it",
        vec![
            format!("trust it for this registry only: `aseecr trust-cert --fetch --registry {registry} --store {scoped}`"),
            format!("then take it out of the OS store: `aseecr trust-cert --fetch --registry {registry} --remove --store os`{needed}"),
        ],
    );
}

/// Each container client of this OS, and whether its per-registry folder
/// (`certs.d/HOST:PORT/`, inside `--root` / `ASEECR_TRUST_ROOT` when set) holds
/// a certificate the presented chain verifies against.
fn client_trust(
    doctor: &Doctor<'_>,
    chain: &[rustls::pki_types::CertificateDer<'static>],
    host: &str,
) -> Vec<(&'static str, bool)> {
    let env = crate::trust::Environment {
        root: doctor.trust_root.clone(),
        command: None,
        config_dir: doctor.settings.config_dir.clone(),
    };
    let found = crate::trust::found::trusted_for(&env, &doctor.registry).unwrap_or_default();
    [
        (Store::Docker, "docker"),
        (Store::Containers, "podman/buildah/skopeo"),
        (Store::Containerd, "containerd"),
    ]
    .into_iter()
    .filter(|(store, _)| store.available())
    .map(|(store, name)| {
        let certs: Vec<_> = found
            .iter()
            .filter(|f| f.store == store)
            .flat_map(|f| f.certs.iter().map(|c| c.der().to_vec().into()))
            .collect();
        let trusted = !certs.is_empty()
            && matches!(tls::verify_chain(chain, host, &certs, false), Ok(Ok(())));
        (name, trusted)
    })
    .collect()
}

/// The command that makes the OS store trust what aseecr trusts. A self-signed
/// server certificate is trusted as itself (`--fetch` trusts it); a certificate
/// issued by a CA needs the CA, which the server may not send: the file aseecr
/// was given is that CA.
fn os_fix(registry: &str, self_signed: bool, ca_files: &[PathBuf]) -> String {
    // trust-cert's default stores: the OS store is one only where Docker Desktop needs it.
    let stores = if Store::os_in_defaults() {
        "the OS store and the container clients' folders"
    } else {
        "the container clients' folders"
    };
    match ca_files.first() {
        Some(file) if !self_signed => format!(
            "trust the CA in {stores}: `aseecr trust-cert {} --registry {registry}` (then restart the clients it names)",
            file.display()
        ),
        _ => format!(
            "trust it in {stores}: `aseecr trust-cert --fetch --registry {registry}` (then restart the clients it names)"
        ),
    }
}
