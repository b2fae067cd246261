//! Trusting one certificate, as `trust-cert` and `setup` do it: read or fetch it,
//! show and check it, confirm with the person at the terminal, then [`plan`] and
//! [`apply`] the store changes, and say what changed.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use super::cert::{self, CertInfo, Certificate, Fingerprint};
use super::{Action, Environment, Outcome, Request, Store, apply, plan};
use crate::config::ConfigDir;
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::output::prompt::Consent;
use crate::output::{Printer, json};
use crate::registry::reference::{normalize_registry, registry_host};

const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// What to trust, where.
#[derive(Debug, Clone, Default)]
pub struct TrustOptions {
    /// The certificate file (PEM or DER); `None` with `fetch`.
    pub file: Option<PathBuf>,
    /// Get the certificate the registry presents instead.
    pub fetch: bool,
    /// host[:port] the certificate is for; needed by `fetch` and per-registry stores.
    pub registry: Option<String>,
    /// Trust only the certificate with this SHA-256 fingerprint.
    pub fingerprint: Option<String>,
    /// Remove the certificate instead.
    pub remove: bool,
    pub dry_run: bool,
    /// Trust an expired certificate, or one that does not name the registry.
    pub force: bool,
    /// Replace a different certificate a store already trusts for the registry.
    pub replace: bool,
    /// The stores to change.
    pub stores: Vec<Store>,
    /// Take every system path inside this directory.
    pub root: Option<PathBuf>,
    /// Run this program with the OS command as its arguments.
    pub trust_command: Option<PathBuf>,
    /// The caller prints JSON: do not show the certificate for people, and list
    /// only the system changes before asking.
    pub json: bool,
    /// The caller has already said what the OS store means for a `CA:TRUE`
    /// certificate ([`os_store_warning`]), at its own prompt.
    pub os_store_warned: bool,
}

/// Who is told and asked, and where aseecr keeps its own trust.
#[derive(Debug, Clone, Copy)]
pub struct Session<'a> {
    pub printer: &'a Printer,
    pub consent: Consent,
    pub config_dir: &'a ConfigDir,
}

/// What [`install`] did (or, with `dry_run`, would do).
#[derive(Debug)]
pub struct Trusted {
    pub registry: Option<String>,
    /// Where the certificate came from: the file, or `https://REGISTRY`.
    pub source: String,
    pub certificate: CertInfo,
    /// With `fetch`: the chain the server presented.
    pub presented: Option<Vec<CertInfo>>,
    pub remove: bool,
    pub dry_run: bool,
    pub actions: Vec<Action>,
    pub restart: Vec<String>,
}

impl Trusted {
    /// What [`install`] did, in the wire format.
    pub fn to_json(&self) -> json::TrustReport {
        json::TrustReport {
            registry: self.registry.clone(),
            source: self.source.clone(),
            certificate: cert_json(&self.certificate),
            presented: self
                .presented
                .as_ref()
                .map(|chain| chain.iter().map(cert_json).collect()),
            remove: self.remove,
            dry_run: self.dry_run,
            actions: self.actions.iter().map(action_json).collect(),
            restart: self.restart.clone(),
        }
    }
}

fn cert_json(info: &CertInfo) -> json::CertificateInfo {
    json::CertificateInfo {
        subject: info.subject.clone(),
        issuer: info.issuer.clone(),
        sans: info.sans.clone(),
        not_before: info.not_before.clone(),
        not_after: info.not_after.clone(),
        is_ca: info.is_ca,
        self_signed: info.self_signed,
        sha256: info.sha256.clone(),
    }
}

fn action_json(action: &Action) -> json::TrustAction {
    json::TrustAction {
        store: action.store.name(),
        outcome: match action.outcome {
            Outcome::Add => "add",
            Outcome::Replace => "replace",
            Outcome::AlreadyTrusted => "already-trusted",
            Outcome::Remove => "remove",
            Outcome::NotTrusted => "not-trusted",
            Outcome::KeptOther => "kept-other",
        },
        target: action.target.clone(),
        commands: action.commands.clone(),
        notes: action.notes.clone(),
    }
}

/// The certificate read or fetched, before it is checked.
struct Loaded {
    source: String,
    presented: Option<Vec<CertInfo>>,
    certificate: Certificate,
}

/// The stores asked for (deduplicated, in the order given); when none are:
/// this OS's defaults, or to `remove`, every store (the OS store included).
pub fn stores(asked: &[Store], remove: bool) -> Result<Vec<Store>> {
    if asked.is_empty() {
        return Ok(if remove {
            Store::all()
        } else {
            Store::defaults()
        });
    }
    let mut stores = Vec::new();
    for &store in asked {
        if !store.available() {
            let known: Vec<_> = Store::all().iter().map(|s| s.name()).collect();
            return Err(Error::usage(format!(
                "the `{}` store does not exist on this OS",
                store.name()
            ))
            .help(format!("stores here: {}", known.join(", ")))
            .into());
        }
        if !stores.contains(&store) {
            stores.push(store);
        }
    }
    Ok(stores)
}

/// Show and check the certificate, confirm, then trust it in (or remove it from)
/// the stores. Blocks (file IO, the TLS fetch, the prompt, OS commands).
pub fn install(session: Session<'_>, options: &TrustOptions) -> Result<Trusted> {
    let printer = session.printer;
    let registry = checked_registry(options)?;
    let registry = registry.as_deref();
    let fingerprint = options
        .fingerprint
        .as_deref()
        .map(cert::parse_fingerprint)
        .transpose()?;
    let env = Environment {
        root: options.root.clone(),
        command: options.trust_command.clone(),
        config_dir: session.config_dir.clone(),
    };
    let loaded = load(&env, options, registry, fingerprint.as_ref())?;
    let certificate = &loaded.certificate;
    if !options.json {
        show(
            printer,
            &loaded.source,
            certificate,
            loaded.presented.as_deref(),
        );
    }
    if !options.remove {
        check(printer, certificate, registry, options.force)?;
    }
    if options.fetch && !options.remove && !options.dry_run && fingerprint.is_none() {
        confirm_fetched(session.consent, certificate, registry.unwrap_or_default())?;
    }
    let actions = change_stores(session, &env, options, certificate, registry)?;
    let restart = if options.dry_run {
        Vec::new()
    } else {
        super::restart_notes(&actions, super::Os::current())
    };
    Ok(Trusted {
        registry: registry.map(str::to_owned),
        source: loaded.source,
        certificate: loaded.certificate.info,
        presented: loaded.presented,
        remove: options.remove,
        dry_run: options.dry_run,
        actions,
        restart,
    })
}

/// The registry, normalized; an error when `--fetch` or a per-registry store
/// needs one and none was given.
fn checked_registry(options: &TrustOptions) -> Result<Option<String>> {
    let stores = &options.stores;
    let registry = options
        .registry
        .as_deref()
        .map(normalize_registry)
        .transpose()?;
    if registry.is_some() || !(options.fetch || stores.iter().any(|s| s.needs_registry())) {
        return Ok(registry);
    }
    let needing = if options.fetch {
        "--fetch".to_owned()
    } else {
        let names: Vec<_> = stores
            .iter()
            .filter(|s| s.needs_registry())
            .map(|s| s.name())
            .collect();
        format!("the {} store(s)", names.join(", "))
    };
    Err(Error::usage(format!("no registry given; {needing} need one"))
        .help("pass `--registry HOST:PORT`, e.g. `--registry ecr.dbe-xyz.microsoftdatabox.com:31001`")
        .help("or trust it in the OS store only: `--store os`")
        .into())
}

/// Read the certificate from the file, or get the chain the registry presents,
/// and pick the one certificate to trust.
fn load(
    env: &Environment,
    options: &TrustOptions,
    registry: Option<&str>,
    fingerprint: Option<&Fingerprint>,
) -> Result<Loaded> {
    let (source, certs) = match (&options.file, registry) {
        (None, Some(registry)) if options.remove && !options.fetch => {
            let (source, certificate) =
                super::found::certificate_to_remove(env, registry, fingerprint)?;
            return Ok(Loaded {
                source,
                presented: None,
                certificate,
            });
        }
        (Some(path), _) => {
            let bytes = crate::fsutil::read_file(path, &crate::fsutil::CERTIFICATE)?;
            let certs = cert::parse(&bytes).map_err(|mut err| {
                err.message = err
                    .message
                    .replacen("the file", &format!("`{}`", path.shown()), 1);
                err
            })?;
            (path.shown().to_string(), certs)
        }
        (None, Some(registry)) => {
            let chain = super::fetch::presented_chain(registry, FETCH_TIMEOUT)?;
            let certs = chain
                .iter()
                .map(|der| Certificate::from_der(der.as_ref()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| {
                    Error::new(
                        Kind::Tls,
                        format!(
                            "`{registry}` presented a certificate aseecr cannot read: {}",
                            err.message
                        ),
                    )
                })?;
            (format!("https://{registry}"), certs)
        }
        (None, None) => {
            return Err(Error::usage(
                "give a certificate FILE, --fetch, or --remove with --registry",
            )
            .help("e.g. `aseecr trust-cert --remove --registry HOST:PORT`")
            .into());
        }
    };
    let presented = options
        .fetch
        .then(|| certs.iter().map(|c| c.info.clone()).collect::<Vec<_>>());
    let certificate = cert::select(certs, fingerprint, options.fetch)?;
    Ok(Loaded {
        source,
        presented,
        certificate,
    })
}

/// Plan the change per store, refuse a silent replacement, confirm, then apply.
fn change_stores(
    session: Session<'_>,
    env: &Environment,
    options: &TrustOptions,
    certificate: &Certificate,
    registry: Option<&str>,
) -> Result<Vec<Action>> {
    let request = Request {
        cert: certificate,
        registry,
        remove: options.remove,
    };
    let mut actions = plan(env, &request, &options.stores)?;
    if !options.replace && !options.dry_run {
        refuse_silent_replace(&actions, &certificate.info.sha256)?;
    }
    if certificate.info.is_ca && !options.remove && !options.os_store_warned && adds_to_os(&actions)
    {
        session.printer.warn(os_store_warning(registry));
    }
    let changes = actions.iter().any(|a| a.outcome.changes());
    if changes && !options.dry_run {
        confirm_changes(session, &actions, options.json)?;
        apply(env, &mut actions)?;
    }
    if cfg!(unix) && std::env::var_os("SUDO_USER").is_some_and(|user| !user.is_empty()) {
        note_sudo(&mut actions, options, &certificate.info.sha256, registry);
    }
    Ok(actions)
}

/// Under sudo, aseecr's own store is in the configuration folder of the user
/// sudo runs as (HOME is root's unless sudo keeps it), not the invoking user's.
/// With the OS store left out, nothing else makes the invoking user's aseecr
/// trust the registry: say what does, on the `aseecr` store's line.
fn note_sudo(actions: &mut [Action], options: &TrustOptions, sha256: &str, registry: Option<&str>) {
    let trusted = |a: &Action| {
        matches!(
            a.outcome,
            Outcome::Add | Outcome::Replace | Outcome::AlreadyTrusted
        )
    };
    if options.remove || actions.iter().any(|a| a.store == Store::Os && trusted(a)) {
        return;
    }
    let source = match &options.file {
        Some(file) => file.shown().to_string(),
        None => format!("--fetch --fingerprint {sha256}"),
    };
    let registry = registry.unwrap_or("HOST:PORT");
    if let Some(action) = actions
        .iter_mut()
        .find(|a| a.store == Store::Aseecr && trusted(a))
    {
        action.notes.push(format!(
            "run by sudo: this is the configuration of the user sudo runs as; for your own aseecr runs, also run `aseecr trust-cert {source} --registry {registry} --store aseecr` without sudo"
        ));
    }
}

/// Whether the plan puts the certificate into the OS store.
fn adds_to_os(actions: &[Action]) -> bool {
    actions
        .iter()
        .any(|a| a.store == Store::Os && matches!(a.outcome, Outcome::Add | Outcome::Replace))
}

/// The one line said before a `CA:TRUE` certificate goes into the OS store
/// (`trust-cert` before it asks; `setup` at its "Go ahead?"): there it is a root
/// for every HTTPS site, not only the registry, while the scoped stores trust it
/// for the registry alone. Where the OS store is a default (Windows), it says
/// why: Docker Desktop reads only the OS store there.
pub fn os_store_warning(registry: Option<&str>) -> String {
    let scoped: Vec<&str> = Store::scoped().into_iter().map(Store::name).collect();
    let scoped = scoped.join(",");
    let only = registry.map_or_else(String::new, |r| format!(", not only `{r}`"));
    let why = if !Store::os_in_defaults() {
        format!(
            "the container clients and aseecr need only their own stores, the default (`--store {scoped}`)"
        )
    } else {
        format!(
            "it is a default here because Docker Desktop reads only the LocalMachine Root store; without Docker Desktop leave it out: `--store {scoped}`"
        )
    };
    format!(
        "the OS store would trust this CA:TRUE certificate for every HTTPS site{only}: whoever holds its key could impersonate any server to this machine; {why}"
    )
}

/// A store that trusts another certificate for the registry is changed only
/// when asked (`--replace`): the old one may be what the device still presents.
fn refuse_silent_replace(actions: &[Action], sha256: &str) -> Result<()> {
    let replacing: Vec<String> = actions
        .iter()
        .filter(|a| a.outcome == Outcome::Replace)
        .map(|a| format!("{} (`{}`)", a.store.name(), a.target))
        .collect();
    if replacing.is_empty() {
        return Ok(());
    }
    Err(Error::usage(format!(
        "a different certificate is already trusted for this registry in: {}",
        replacing.join(", ")
    ))
    .help(format!(
        "if the device re-issued its certificate and its local UI shows SHA-256 {sha256}, pass `--replace`"
    ))
    .into())
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Print what a person checks before trusting a certificate.
fn show(
    printer: &Printer,
    source: &str,
    certificate: &Certificate,
    presented: Option<&[CertInfo]>,
) {
    let info = &certificate.info;
    if let Some(chain) = presented.filter(|c| c.len() > 1) {
        printer.status(format!(
            "`{source}` presented {} certificates (leaf first):",
            chain.len()
        ));
        for (i, other) in chain.iter().enumerate() {
            printer.status(format!(
                "  {}. {}  SHA-256 {}",
                i + 1,
                other.subject,
                other.sha256
            ));
        }
    }
    printer.status(format!("Certificate from `{source}`:"));
    printer.status(format!("  subject:   {}", info.subject));
    printer.status(format!("  issuer:    {}", info.issuer));
    let names = if info.sans.is_empty() {
        "(none)".to_owned()
    } else {
        info.sans.join(", ")
    };
    printer.status(format!("  names:     {names}"));
    printer.status(format!(
        "  valid:     {} to {}",
        info.not_before, info.not_after
    ));
    let kind = match (info.is_ca, info.self_signed) {
        (true, true) => "CA, self-signed",
        (true, false) => "CA",
        (false, true) => "server certificate, self-signed",
        (false, false) => "server certificate",
    };
    printer.status(format!("  kind:      {kind}"));
    printer.status(format!("  SHA-256:   {}", info.sha256));
}

/// Refuse an expired certificate and a server certificate that does not name the
/// registry's host (unless forced); warn about a validity that has not started.
pub fn check(
    printer: &Printer,
    certificate: &Certificate,
    registry: Option<&str>,
    force: bool,
) -> Result<()> {
    let info = &certificate.info;
    let now = now();
    if certificate.is_expired(now) {
        if !force {
            return Err(Error::usage(format!(
                "the certificate `{}` expired on {}",
                info.subject, info.not_after
            ))
            .help("get the current certificate from the device, or pass --force to trust it anyway")
            .into());
        }
        printer.warn(format!(
            "the certificate expired on {}; trusting it anyway (--force), but clients will still reject it",
            info.not_after
        ));
    }
    if certificate.is_not_yet_valid(now) {
        printer.warn(format!(
            "the certificate is valid only from {}: check this machine's clock",
            info.not_before
        ));
    }
    if let Some(registry) = registry {
        let host = registry_host(registry);
        if certificate.should_name_host() && !certificate.names_host(host) {
            if !force {
                return Err(Error::usage(format!(
                    "the certificate's names do not include `{host}`: clients would refuse the connection even once it is trusted (the subject CN is not used)"
                ))
                .help("get the certificate the device issues for this host name, check `--registry`, or pass --force to trust it anyway")
                .into());
            }
            printer.warn(format!(
                "the certificate's names do not include `{host}`; trusting it anyway (--force), but clients will refuse the connection (the subject CN is not used)"
            ));
        }
    }
    Ok(())
}

/// A fetched certificate is trusted only once a person has compared its fingerprint.
fn confirm_fetched(consent: Consent, certificate: &Certificate, registry: &str) -> Result<()> {
    if !consent.interactive {
        return Err(Error::usage(
            "refusing to trust a fetched certificate whose fingerprint nobody checked",
        )
        .help("compare the SHA-256 above with the device's certificate, then pass `--fingerprint SHA256`")
        .into());
    }
    let confirmed = crate::output::prompt::confirm(
        &format!(
            "Is {} the SHA-256 fingerprint of `{registry}`'s certificate?",
            certificate.info.sha256
        ),
        false,
    )
    .context("cannot read the answer")?;
    if confirmed {
        Ok(())
    } else {
        Err(Error::new(
            Kind::Tls,
            "the fingerprint was not confirmed; nothing was changed",
        )
        .help("get the certificate from the device's local UI and run `aseecr trust-cert FILE`")
        .into())
    }
}

/// Ask before changing system stores; without a terminal, require --yes.
fn confirm_changes(session: Session<'_>, actions: &[Action], json: bool) -> Result<()> {
    let system: Vec<&Action> = actions
        .iter()
        .filter(|a| a.outcome.changes() && a.store.is_system())
        .collect();
    if system.is_empty() || session.consent.yes {
        return Ok(());
    }
    if !session.consent.interactive {
        return Err(
            Error::usage("trust-cert changes system files and needs confirmation")
                .help("pass --yes to confirm without a terminal, or --dry-run to see the changes")
                .into(),
        );
    }
    if json {
        // The text report is not printed under --format json; show what is asked.
        for action in &system {
            session.printer.status(format!(
                "  {}: {} `{}`",
                action.store.name(),
                action.outcome.describe(true),
                action.target
            ));
        }
    } else {
        report(session.printer, actions, true, &[]);
    }
    let confirmed = crate::output::prompt::confirm("Change these system trust stores?", false)
        .context("cannot read the answer")?;
    if confirmed {
        Ok(())
    } else {
        Err(Error::new(Kind::Failed, "cancelled; nothing was changed").into())
    }
}

/// Print what [`install`] did for people (on stderr).
pub fn report_text(printer: &Printer, trusted: &Trusted) {
    report(printer, &trusted.actions, trusted.dry_run, &trusted.restart);
}

fn report(printer: &Printer, actions: &[Action], dry_run: bool, restart: &[String]) {
    for action in actions {
        printer.status(format!(
            "{}: {} `{}`",
            action.store.name(),
            action.outcome.describe(dry_run),
            action.target
        ));
        for command in &action.commands {
            let verb = if dry_run { "would run" } else { "ran" };
            if !action.notes.iter().any(|n| n.contains(&command.join(" "))) {
                printer.status(format!("  {verb} `{}`", command.join(" ")));
            }
        }
        for note in &action.notes {
            printer.status(format!("  {note}"));
        }
    }
    if !restart.is_empty() {
        printer.status("Restarts:");
        for note in restart {
            printer.status(format!("  - {note}"));
        }
    }
}
