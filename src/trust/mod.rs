//! Certificate trust for a registry: inspect a certificate ([`cert`]), get one
//! from a server ([`fetch`]), then add it to or remove it from the OS trust store
//! (`linux.rs`, `macos.rs`, `windows.rs`), the container clients' per-registry
//! folders (`clients.rs`) and aseecr's own configuration.
//!
//! Work is split in two: [`plan`] only reads and says what would change, per
//! store; [`apply`] carries a plan out. Every store matches certificates by
//! SHA-256 fingerprint, so a second run finds them "already trusted" and
//! `--remove` never deletes a file that holds a different certificate.
//! [`install()`] (in `install.rs`) is the whole workflow around them: read or
//! fetch, show, check, confirm, plan, apply.

pub mod cert;
mod clients;
pub mod fetch;
pub mod found;
mod install;
#[cfg_attr(any(target_os = "macos", windows), allow(dead_code))]
pub mod linux;
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub mod macos;
#[cfg(windows)]
mod windows;

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::config::ConfigDir;
use crate::error::{Error, Kind};
use crate::fsutil;
use crate::fsutil::ShowPath;

pub use cert::{Certificate, Fingerprint};
pub use install::{
    Session, TrustOptions, Trusted, check, install, os_store_warning, report_text, stores,
};

/// A place a certificate can be trusted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Store {
    /// The OS trust store.
    Os,
    /// `/etc/docker/certs.d/HOST:PORT/ca.crt`.
    Docker,
    /// `/etc/containers/certs.d/HOST:PORT/ca.crt` (podman, buildah, skopeo, CRI-O).
    Containers,
    /// `/etc/containerd/certs.d/HOST:PORT/` with `ca.crt` and `hosts.toml`.
    Containerd,
    /// aseecr's own per-registry trust, in its configuration folder.
    Aseecr,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::Os => "os",
            Store::Docker => "docker",
            Store::Containers => "containers",
            Store::Containerd => "containerd",
            Store::Aseecr => "aseecr",
        }
    }

    /// Whether the store is a system location (changing it needs confirmation).
    pub fn is_system(self) -> bool {
        self != Store::Aseecr
    }

    /// Whether the store keeps certificates per registry (so needs `--registry`).
    pub fn needs_registry(self) -> bool {
        self != Store::Os
    }

    /// Whether the store exists on this OS.
    pub fn available(self) -> bool {
        match self {
            Store::Os | Store::Aseecr => true,
            Store::Docker => true,
            Store::Containers | Store::Containerd => !cfg!(any(windows, target_os = "macos")),
        }
    }

    /// Every store of this OS (`--store all`, and what `--remove` changes when
    /// no store is named).
    pub fn all() -> Vec<Store> {
        [
            Store::Os,
            Store::Docker,
            Store::Containers,
            Store::Containerd,
            Store::Aseecr,
        ]
        .into_iter()
        .filter(|store| store.available())
        .collect()
    }

    /// The stores scoped to one registry: every store of this OS but the OS
    /// store, which trusts a certificate for every site.
    pub fn scoped() -> Vec<Store> {
        Store::all()
            .into_iter()
            .filter(|&store| store != Store::Os)
            .collect()
    }

    /// Whether the OS store is among the stores a certificate is added to when
    /// none are named: only where a client needs it. On Linux docker, podman,
    /// skopeo, CRI-O and containerd read their per-registry folders and aseecr
    /// its own store; on macOS Docker Desktop copies `~/.docker/certs.d` into
    /// its VM (its documentation says a `ca.crt` there needs no keychain
    /// entry). There the OS store (a root for every HTTPS site) is left to an
    /// explicit `--store`. Docker Desktop on Windows reads the LocalMachine Root
    /// store, as the device's manual says: there it stays a default.
    pub fn os_in_defaults() -> bool {
        cfg!(windows)
    }

    /// The stores a certificate is added to when none are named.
    pub fn defaults() -> Vec<Store> {
        if Store::os_in_defaults() {
            Store::all()
        } else {
            Store::scoped()
        }
    }
}

/// Where the stores are and how OS commands run: the real system, or a test root.
#[derive(Debug, Clone)]
pub struct Environment {
    /// `--root` / `ASEECR_TRUST_ROOT`: every system path is taken inside it.
    pub root: Option<PathBuf>,
    /// `--trust-command` / `ASEECR_TRUST_COMMAND`: runs `PROGRAM ARGV...` instead of `ARGV...`.
    pub command: Option<PathBuf>,
    /// aseecr's configuration folder (the `aseecr` store).
    pub config_dir: ConfigDir,
}

impl Environment {
    /// Where the system path `path` is: itself, or the same path inside the root.
    pub fn system_path(&self, path: impl AsRef<Path>) -> PathBuf {
        let path = path.as_ref();
        match &self.root {
            None => path.to_owned(),
            Some(root) => path
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part),
                    _ => None,
                })
                .fold(root.clone(), |acc, part| acc.join(part)),
        }
    }
}

/// What trust-cert is asked to do, in the crate's own terms.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub cert: &'a Certificate,
    /// The registry as `host[:port]`; required by every store but `os`.
    pub registry: Option<&'a str>,
    pub remove: bool,
}

impl Request<'_> {
    fn registry(&self, store: Store) -> Result<&str> {
        self.registry.ok_or_else(|| {
            Error::usage(format!("the `{}` store needs a registry", store.name()))
                .help("pass `--registry HOST:PORT`, or set a default: `aseecr config set registry HOST:PORT`")
                .into()
        })
    }
}

/// What happens (or happened) in one store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The certificate is added.
    Add,
    /// The registry's previous, different certificate is replaced.
    Replace,
    /// Nothing to do: the certificate is already there.
    AlreadyTrusted,
    /// The certificate is removed.
    Remove,
    /// Nothing to remove: the certificate is not there.
    NotTrusted,
    /// Nothing removed: the registry's file there holds a different certificate.
    KeptOther,
}

impl Outcome {
    /// Whether this outcome changes the store.
    pub fn changes(self) -> bool {
        matches!(self, Outcome::Add | Outcome::Replace | Outcome::Remove)
    }

    /// Words for people; `planned` for a dry run.
    pub fn describe(self, planned: bool) -> &'static str {
        match (self, planned) {
            (Outcome::Add, false) => "added",
            (Outcome::Add, true) => "would add",
            (Outcome::Replace, false) => "replaced the previous certificate",
            (Outcome::Replace, true) => "would replace the previous certificate",
            (Outcome::Remove, false) => "removed",
            (Outcome::Remove, true) => "would remove",
            (Outcome::AlreadyTrusted, _) => "already trusted",
            (Outcome::NotTrusted, _) => "not trusted there, nothing to remove",
            (Outcome::KeptOther, _) => "holds a different certificate, left alone",
        }
    }
}

/// One store's part of a plan.
#[derive(Debug, Clone)]
pub struct Action {
    pub store: Store,
    pub outcome: Outcome,
    /// The file, folder or store name the certificate goes to.
    pub target: String,
    /// The OS commands run after the files change, as argv.
    pub commands: Vec<Vec<String>>,
    pub notes: Vec<String>,
    ops: Vec<Op>,
}

impl Action {
    fn new(store: Store, outcome: Outcome, target: impl Into<String>) -> Action {
        Action {
            store,
            outcome,
            target: target.into(),
            commands: Vec::new(),
            notes: Vec::new(),
            ops: Vec::new(),
        }
    }

    fn op(mut self, op: Op) -> Action {
        if let Op::Run {
            argv, cert_file, ..
        } = &op
        {
            let mut shown = argv.clone();
            if cert_file.is_some() {
                shown.push("CERTFILE".to_owned());
            }
            self.commands.push(shown);
        }
        self.ops.push(op);
        self
    }
}

/// One step of applying a plan.
#[derive(Debug, Clone)]
enum Op {
    /// Write a certificate or config file (0644).
    Write {
        path: PathBuf,
        contents: Vec<u8>,
    },
    Remove {
        path: PathBuf,
    },
    /// Remove a per-registry folder when nothing else is left in it.
    RemoveEmptyDir {
        path: PathBuf,
    },
    /// Run an OS command; with `cert_file`, a temporary file holding it is the last
    /// argument; with `stdin`, those bytes are its standard input.
    Run {
        argv: Vec<String>,
        cert_file: Option<Vec<u8>>,
        stdin: Option<Vec<u8>>,
    },
    Remember {
        registry: String,
        pem: String,
    },
    Forget {
        registry: String,
    },
    #[cfg_attr(not(windows), allow(dead_code))]
    WindowsRoot {
        add: bool,
        der: Vec<u8>,
    },
}

/// Work out what each store needs, changing nothing.
pub fn plan(env: &Environment, request: &Request<'_>, stores: &[Store]) -> Result<Vec<Action>> {
    stores
        .iter()
        .map(|&store| {
            match store {
                Store::Os => plan_os(env, request),
                Store::Docker => clients::plan_ca_file(
                    env,
                    request,
                    Store::Docker,
                    &clients::docker_dir(request.registry(store)?),
                ),
                Store::Containers => clients::plan_ca_file(
                    env,
                    request,
                    Store::Containers,
                    &clients::containers_dir(request.registry(store)?),
                ),
                Store::Containerd => {
                    clients::plan_containerd(env, request, request.registry(store)?)
                }
                Store::Aseecr => plan_aseecr(env, request, request.registry(store)?),
            }
            .with_context(|| format!("cannot check the `{}` store", store.name()))
        })
        .collect()
}

#[cfg(not(any(target_os = "macos", windows)))]
fn plan_os(env: &Environment, request: &Request<'_>) -> Result<Action> {
    linux::plan(env, request)
}

#[cfg(target_os = "macos")]
fn plan_os(env: &Environment, request: &Request<'_>) -> Result<Action> {
    macos::plan(env, request)
}

#[cfg(windows)]
fn plan_os(env: &Environment, request: &Request<'_>) -> Result<Action> {
    windows::plan(env, request)
}

fn plan_aseecr(env: &Environment, request: &Request<'_>, registry: &str) -> Result<Action> {
    let config = env.config_dir.load()?;
    let recorded = config
        .registries
        .get(registry)
        .and_then(|entry| entry.ca_cert.clone());
    let target = recorded
        .clone()
        .unwrap_or_else(|| env.config_dir.cert_path(registry));
    let holds = match &recorded {
        Some(path) => file_holds(path, &request.cert.fingerprint())?,
        None => Holds::Missing,
    };
    let target_text = target.shown().to_string();
    Ok(match (request.remove, holds) {
        (false, Holds::Same) => Action::new(Store::Aseecr, Outcome::AlreadyTrusted, target_text),
        (false, holds) => {
            let outcome = if holds == Holds::Other {
                Outcome::Replace
            } else {
                Outcome::Add
            };
            Action::new(
                Store::Aseecr,
                outcome,
                env.config_dir.cert_path(registry).shown().to_string(),
            )
            .op(Op::Remember {
                registry: registry.to_owned(),
                pem: request.cert.pem(),
            })
        }
        (true, Holds::Same) => {
            Action::new(Store::Aseecr, Outcome::Remove, target_text).op(Op::Forget {
                registry: registry.to_owned(),
            })
        }
        (true, Holds::Other) => Action::new(Store::Aseecr, Outcome::KeptOther, target_text),
        (true, Holds::Missing) => Action::new(Store::Aseecr, Outcome::NotTrusted, target_text),
    })
}

/// What a certificate file on disk holds, compared with the one being trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    Missing,
    /// Exactly this certificate (one or more copies of it, nothing else).
    Same,
    /// Anything else: another certificate, a bundle, or unreadable content.
    Other,
}

fn file_holds(path: &Path, fingerprint: &Fingerprint) -> Result<Holds> {
    match fsutil::read_path(path, fsutil::CERTIFICATE.max) {
        Ok(bytes) => Ok(match cert::parse(&bytes) {
            Ok(certs) if certs.iter().all(|c| c.fingerprint() == *fingerprint) => Holds::Same,
            _ => Holds::Other,
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Holds::Missing),
        // Larger than any certificate aseecr writes: not the one being trusted.
        Err(err) if err.kind() == std::io::ErrorKind::FileTooLarge => Ok(Holds::Other),
        Err(err) => Err(io_error(err, "read", path)),
    }
}

/// Plan adding or removing `cert` as the file `path` (used by every file store).
fn plan_file(
    store: Store,
    request: &Request<'_>,
    path: &Path,
    remove_empty_dir: bool,
) -> Result<Action> {
    let holds = file_holds(path, &request.cert.fingerprint())?;
    let target = path.shown().to_string();
    Ok(match (request.remove, holds) {
        (false, Holds::Same) => Action::new(store, Outcome::AlreadyTrusted, target),
        (false, holds) => {
            let outcome = if holds == Holds::Missing {
                Outcome::Add
            } else {
                Outcome::Replace
            };
            Action::new(store, outcome, target).op(Op::Write {
                path: path.to_owned(),
                contents: request.cert.pem().into_bytes(),
            })
        }
        (true, Holds::Same) => {
            let mut action = Action::new(store, Outcome::Remove, target).op(Op::Remove {
                path: path.to_owned(),
            });
            // The registry's folder, then `certs.d` itself, when nothing else is
            // left in them: an empty folder changes no client, and aseecr
            // created it when it added the certificate.
            if remove_empty_dir {
                for dir in path.ancestors().skip(1).take(2) {
                    action = action.op(Op::RemoveEmptyDir {
                        path: dir.to_owned(),
                    });
                }
            }
            action
        }
        (true, Holds::Other) => Action::new(store, Outcome::KeptOther, target),
        (true, Holds::Missing) => Action::new(store, Outcome::NotTrusted, target),
    })
}

/// Carry out a plan, store by store, in order. Stops at the first failure; what
/// was done before it stays done (each step is atomic on its own).
pub fn apply(env: &Environment, actions: &mut [Action]) -> Result<()> {
    for action in actions.iter_mut() {
        let store = action.store;
        for op in action.ops.clone() {
            if let Some(note) = apply_op(env, op)
                .with_context(|| format!("cannot update the `{}` store", store.name()))?
            {
                action.notes.push(note);
            }
        }
    }
    Ok(())
}

fn apply_op(env: &Environment, op: Op) -> Result<Option<String>> {
    match op {
        Op::Write { path, contents } => {
            fsutil::write_atomic(&path, &contents, Some(0o644)).map_err(|err| {
                match err.root_cause().downcast_ref::<std::io::Error>() {
                    Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                        permission_error("write", &path)
                    }
                    _ => err,
                }
            })?;
        }
        Op::Remove { path } => match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(err, "remove", &path)),
        },
        Op::RemoveEmptyDir { path } => {
            let empty = std::fs::read_dir(&path).is_ok_and(|mut entries| entries.next().is_none());
            if empty {
                std::fs::remove_dir(&path).map_err(|err| io_error(err, "remove", &path))?;
            }
        }
        Op::Run {
            argv,
            cert_file,
            stdin,
        } => return run_command(env, &argv, cert_file.as_deref(), stdin.as_deref()),
        Op::Remember { registry, pem } => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            env.config_dir
                .remember_ca(&registry, pem.as_bytes(), &cert::rfc3339(now))?;
        }
        Op::Forget { registry } => {
            env.config_dir.forget_ca(&registry)?;
        }
        Op::WindowsRoot { add, der } => {
            #[cfg(windows)]
            if add {
                windows::add(&der)?;
            } else {
                windows::remove(&der)?;
            }
            #[cfg(not(windows))]
            {
                let _ = (add, der);
                anyhow::bail!("the Windows certificate store exists only on Windows");
            }
        }
    }
    Ok(None)
}

/// Run an OS command (or its replacement). Returns a note when it was skipped.
fn run_command(
    env: &Environment,
    argv: &[String],
    cert_file: Option<&[u8]>,
    stdin: Option<&[u8]>,
) -> Result<Option<String>> {
    let mut shown = argv.join(" ");
    if cert_file.is_some() {
        shown.push_str(" CERTFILE");
    }
    if env.command.is_none() && env.root.is_some() {
        return Ok(Some(format!(
            "did not run `{shown}`: --root is set and --trust-command is not"
        )));
    }
    let temp = match cert_file {
        Some(bytes) => {
            let mut file = tempfile::Builder::new()
                .prefix("aseecr-")
                .suffix(".pem")
                .tempfile()
                .context("cannot create a temporary certificate file")?;
            std::io::Write::write_all(&mut file, bytes)
                .context("cannot write a temporary certificate file")?;
            Some(file)
        }
        None => None,
    };
    let mut args: Vec<&std::ffi::OsStr> = argv.iter().map(std::ffi::OsStr::new).collect();
    if let Some(file) = &temp {
        args.push(file.path().as_os_str());
    }
    let (program, args) = match &env.command {
        Some(replacement) => (replacement.as_os_str(), &args[..]),
        None => (args[0], &args[1..]),
    };
    tracing::debug!("running {:?} {:?}", program, args);
    let output = Command::new(program)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let (Some(bytes), Some(mut input)) = (stdin, child.stdin.take()) {
                // A command that does not read its input closes the pipe early.
                match std::io::Write::write_all(&mut input, bytes) {
                    Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => return Err(err),
                    _ => {}
                }
            }
            child.wait_with_output()
        })
        .map_err(|err| {
            let name = Path::new(program).display().to_string();
            if err.kind() == std::io::ErrorKind::NotFound {
                Error::new(Kind::Failed, format!("cannot run `{name}`: it is not installed"))
                    .help("install the OS's CA certificate tools (e.g. the `ca-certificates` package), or leave the OS store out: `--store docker,containers,containerd,aseecr`")
                    .into()
            } else {
                anyhow::Error::new(err).context(format!("cannot run `{name}`"))
            }
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        let mut err = Error::new(
            Kind::Failed,
            format!(
                "`{shown}` failed ({}){}",
                output.status,
                if last.is_empty() {
                    String::new()
                } else {
                    format!(": {}", last.trim())
                }
            ),
        );
        err = err.help(format!(
            "run `{shown}` yourself to see its whole output (it needs administrator rights)"
        ));
        return Err(err.into());
    }
    Ok(None)
}

fn io_error(err: std::io::Error, verb: &str, path: &Path) -> anyhow::Error {
    if err.kind() == std::io::ErrorKind::PermissionDenied {
        permission_error(verb, path)
    } else {
        anyhow::Error::new(err).context(format!("cannot {verb} `{}`", path.shown()))
    }
}

fn permission_error(verb: &str, path: &Path) -> anyhow::Error {
    Error::new(
        Kind::Failed,
        format!("cannot {verb} `{}`: permission denied", path.shown()),
    )
    .help(if cfg!(windows) {
        "run aseecr from a terminal started with \"Run as administrator\""
    } else {
        "run it as root: `sudo aseecr trust-cert ...`"
    })
    .into()
}

/// The operating system whose clients [`restart_notes`] describes (a value, so
/// that every OS's notes are testable on any OS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            Os::Linux
        }
    }
}

/// What each client on `os` needs before it sees the change `actions` made: one
/// line per client, only for clients a changed store matters to. Empty when
/// nothing changed.
///
/// What the notes rest on:
/// - dockerd (moby `registry/registry.go`, `newTLSConfig` + `ReadCertsDirectory`)
///   builds a TLS config for every registry connection: it reads
///   `certs.d/HOST:PORT/*.crt` each time and appends them to the system pool. With
///   no such file it leaves `RootCAs` empty, so Go uses its system pool, which it
///   loads once per process: an OS store change reaches dockerd on Linux only
///   after a restart, and only matters to it when certs.d has no file for the
///   registry. On Windows, Go verifies with the system's certificate store on
///   every handshake, so the Docker Engine service sees a Root store change at once.
/// - containerd reads `certs.d/HOST:PORT/hosts.toml` on every pull when its
///   registry `config_path` names the folder; otherwise it is in the same place as
///   dockerd (the system pool, loaded when it started).
/// - podman, buildah and skopeo (containers/image) read
///   `/etc/containers/certs.d` for every connection, and are a new process for
///   every command anyway; CRI-O is a daemon and loads the system pool once.
/// - Docker Desktop (macOS, Windows) copies the host's trusted certificates into
///   its VM when it starts, and on macOS `~/.docker/certs.d` as well.
pub fn restart_notes(actions: &[Action], os: Os) -> Vec<String> {
    let changed = |store: Store| {
        actions
            .iter()
            .any(|a| a.store == store && a.outcome.changes())
    };
    // The client's own folder has the certificate, so the OS store does not matter to it.
    let covered = |store: Store| {
        actions.iter().any(|a| {
            a.store == store
                && matches!(
                    a.outcome,
                    Outcome::Add | Outcome::Replace | Outcome::AlreadyTrusted
                )
        })
    };
    let mut notes = Vec::new();
    if !actions.iter().any(|a| a.outcome.changes()) {
        return notes;
    }
    let os_changed = changed(Store::Os);
    match os {
        Os::Linux => {
            if changed(Store::Docker) {
                notes.push(
                    "docker: no restart; dockerd reads /etc/docker/certs.d on every pull"
                        .to_owned(),
                );
            } else if os_changed && !covered(Store::Docker) {
                notes.push("docker: restart it (`sudo systemctl restart docker`); without a certs.d file for the registry, dockerd uses the OS store as it was when it started".to_owned());
            }
            if changed(Store::Containerd) {
                notes.push("containerd: no restart once its registry `config_path` is `/etc/containerd/certs.d` (the default from containerd 2.0); it reads hosts.toml on every pull".to_owned());
            } else if os_changed && !covered(Store::Containerd) {
                notes.push("containerd (Kubernetes, nerdctl): restart it (`sudo systemctl restart containerd`); without hosts.toml for the registry, it uses the OS store as it was when it started".to_owned());
            }
            if changed(Store::Containers) {
                notes.push("podman, buildah, skopeo, CRI-O: no restart; they read /etc/containers/certs.d on every connection".to_owned());
            } else if os_changed && !covered(Store::Containers) {
                notes.push("podman, buildah, skopeo: no restart; each run reads the OS store (CRI-O reads it when it starts: `sudo systemctl restart crio`)".to_owned());
            }
        }
        Os::Macos => {
            if changed(Store::Docker) {
                notes.push("Docker Desktop: restart it; it copies ~/.docker/certs.d into its VM when it starts".to_owned());
            } else if os_changed && !covered(Store::Docker) {
                notes.push("Docker Desktop: restart it; it copies the System keychain's certificates into its VM when it starts".to_owned());
            }
            if os_changed {
                notes.push(
                    "curl, browsers and other programs that use the keychain: no restart"
                        .to_owned(),
                );
            }
        }
        Os::Windows => {
            if changed(Store::Docker) {
                notes.push(
                    "Docker Engine (the `docker` service): no restart; it reads certs.d on every pull"
                        .to_owned(),
                );
            } else if os_changed && !covered(Store::Docker) {
                notes.push("Docker Engine (the `docker` service): no restart; it asks the Windows certificate store on every connection".to_owned());
            }
            if os_changed {
                notes.push("Docker Desktop: restart it; it copies the Root store's certificates into its VM when it starts".to_owned());
            }
        }
    }
    if changed(Store::Aseecr) {
        notes.push("aseecr: no restart; the next command uses it".to_owned());
    }
    notes
}

/// A file name for the registry (or the certificate) that is safe on every OS.
fn file_stem(request: &Request<'_>) -> String {
    match request.registry {
        Some(registry) => fsutil::safe_file_name(registry),
        None => format!("sha256-{}", &hex::encode(request.cert.fingerprint())[..16]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment whose system paths and configuration folder are all
    /// inside `root` (a test's temporary directory).
    pub(super) fn env_inside(root: &Path) -> Environment {
        Environment {
            root: Some(root.to_owned()),
            command: None,
            config_dir: ConfigDir::new(root.join("cfg")),
        }
    }

    #[test]
    fn system_paths_move_inside_the_root() {
        let env = Environment {
            root: Some(PathBuf::from("/tmp/root")),
            command: None,
            config_dir: ConfigDir::new(PathBuf::from("/tmp/cfg")),
        };
        assert_eq!(
            env.system_path("/etc/docker/certs.d/a:1/ca.crt"),
            PathBuf::from("/tmp/root/etc/docker/certs.d/a:1/ca.crt")
        );
        let real = Environment { root: None, ..env };
        assert_eq!(real.system_path("/etc/x"), PathBuf::from("/etc/x"));
    }

    fn notes(os: Os, changes: &[(Store, Outcome)]) -> Vec<String> {
        let actions: Vec<Action> = changes
            .iter()
            .map(|&(store, outcome)| Action::new(store, outcome, "x"))
            .collect();
        restart_notes(&actions, os)
    }

    /// Each client is named at most once, and never with both "restart" and "no restart".
    fn consistent(notes: &[String]) {
        let mut clients: Vec<&str> = notes.iter().map(|n| n.split(':').next().unwrap()).collect();
        let count = clients.len();
        clients.dedup();
        assert_eq!(clients.len(), count, "{notes:#?}");
    }

    #[test]
    fn restart_notes_follow_what_changed() {
        for os in [Os::Linux, Os::Macos, Os::Windows] {
            assert!(notes(os, &[(Store::Docker, Outcome::AlreadyTrusted)]).is_empty());
            assert!(notes(os, &[(Store::Os, Outcome::KeptOther)]).is_empty());
            let aseecr = notes(os, &[(Store::Aseecr, Outcome::Add)]);
            assert_eq!(aseecr, ["aseecr: no restart; the next command uses it"]);
        }
    }

    #[test]
    fn restart_notes_on_linux() {
        let all = [
            (Store::Os, Outcome::Add),
            (Store::Docker, Outcome::Add),
            (Store::Containers, Outcome::Add),
            (Store::Containerd, Outcome::Add),
            (Store::Aseecr, Outcome::AlreadyTrusted),
        ];
        let n = notes(Os::Linux, &all);
        consistent(&n);
        assert!(n[0].starts_with("docker: no restart"), "{n:#?}");
        assert!(n.iter().all(|n| !n.contains("systemctl restart docker")));
        assert!(n.iter().all(|n| !n.contains("Docker Desktop")));
        assert!(n.iter().all(|n| !n.starts_with("aseecr")));
        assert_eq!(n.len(), 3, "{n:#?}");

        // Only the OS store: the daemons must restart to see it.
        let n = notes(Os::Linux, &[(Store::Os, Outcome::Add)]);
        consistent(&n);
        assert!(n[0].contains("sudo systemctl restart docker"), "{n:#?}");
        assert!(n[1].contains("sudo systemctl restart containerd"), "{n:#?}");
        assert!(n[2].starts_with("podman, buildah, skopeo: no restart"));

        // The OS store changed, docker's folder already had it: docker does not care.
        let n = notes(
            Os::Linux,
            &[
                (Store::Os, Outcome::Remove),
                (Store::Docker, Outcome::AlreadyTrusted),
            ],
        );
        consistent(&n);
        assert!(n.iter().all(|n| !n.starts_with("docker")), "{n:#?}");
    }

    #[test]
    fn restart_notes_on_macos_and_windows() {
        let n = notes(
            Os::Macos,
            &[(Store::Os, Outcome::Add), (Store::Aseecr, Outcome::Add)],
        );
        consistent(&n);
        assert!(n[0].starts_with("Docker Desktop: restart it"), "{n:#?}");
        assert!(n.iter().all(|n| !n.contains("systemctl")));
        // macOS's default: docker's folder, which Docker Desktop copies when it starts.
        let n = notes(
            Os::Macos,
            &[(Store::Docker, Outcome::Add), (Store::Aseecr, Outcome::Add)],
        );
        consistent(&n);
        assert!(
            n[0].starts_with("Docker Desktop: restart it; it copies ~/.docker/certs.d"),
            "{n:#?}"
        );
        assert!(n.iter().all(|n| !n.contains("keychain")), "{n:#?}");

        let n = notes(
            Os::Windows,
            &[(Store::Os, Outcome::Add), (Store::Docker, Outcome::Add)],
        );
        consistent(&n);
        assert!(n[0].contains("reads certs.d on every pull"), "{n:#?}");
        assert!(n[1].starts_with("Docker Desktop: restart it"), "{n:#?}");
        assert!(n.iter().all(|n| !n.contains("systemctl")));
        // Only docker's folder changed: Docker Desktop is not told to restart.
        let n = notes(Os::Windows, &[(Store::Docker, Outcome::Add)]);
        assert!(n.iter().all(|n| !n.contains("Docker Desktop")), "{n:#?}");
    }
}
