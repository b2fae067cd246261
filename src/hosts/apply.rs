//! One change to the hosts file on disk, as `setup-host` and `setup` make it:
//! check the input, work out the edit, confirm it, write it under the lock, read it
//! back, then refresh and check the system resolver. The edit itself is the pure
//! [`Hosts::apply`](super::Hosts::apply); the careful write is [`super::write()`].
//!
//! Without a terminal and without `--yes`, a change fails with a hint instead of
//! proceeding: the hosts file is a system file, and scripts say `--yes` explicitly.

use std::net::{IpAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Change, Edit, Entry, Hosts, WriteError};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::output::prompt::Consent;
use crate::output::{Printer, json};

/// One change to the hosts file.
#[derive(Debug, Clone)]
pub struct HostEntry {
    /// The registry, as host[:port] (the port is ignored).
    pub endpoint: String,
    /// The address the name maps to; `None` removes the name's entry.
    pub ip: Option<String>,
    /// Edit this file instead of the system hosts file.
    pub hosts_file: Option<PathBuf>,
    /// Work out the change (and its diff), and write nothing.
    pub dry_run: bool,
}

/// What [`apply`] did.
#[derive(Debug)]
pub struct Applied {
    /// The file edited, as shown to people.
    pub hosts_file: String,
    pub changed: bool,
    pub dry_run: bool,
    /// aseecr's entries after the change.
    pub entries: Vec<Entry>,
    /// Dry run: the change as a diff.
    pub diff: Option<String>,
    /// The previous file's copy, as shown to people.
    pub backup: Option<String>,
    /// False when the person at the terminal said no (nothing was written).
    pub confirmed: bool,
    /// The address aseecr's block gave the host before the change (`None`: no
    /// entry): what undoing the change restores.
    pub previous: Option<IpAddr>,
}

impl Applied {
    /// What [`apply`] did, in the wire format.
    pub fn to_json(&self) -> json::HostsChange {
        json::HostsChange {
            hosts_file: self.hosts_file.clone(),
            changed: self.changed,
            dry_run: self.dry_run,
            entries: entries_json(&self.entries),
            diff: self.diff.clone(),
            backup: self.backup.clone(),
        }
    }
}

/// aseecr's entries in the wire format.
pub fn entries_json(entries: &[Entry]) -> Vec<json::HostsEntry> {
    entries
        .iter()
        .map(|entry| json::HostsEntry {
            host: entry.host.clone(),
            ip: entry.ip.to_string(),
        })
        .collect()
}

/// The change worked out before anything is written.
struct Plan {
    path: PathBuf,
    label: String,
    /// The arguments of the same `setup-host`, for the hint to run it elevated.
    command: String,
    change: Change,
    is_system: bool,
}

/// Add, replace or remove the entry for `request.endpoint` in aseecr's block of
/// the hosts file, asking first on a terminal unless `consent.yes`. Blocks (file
/// IO, the prompt, name resolution, child processes).
pub fn apply(printer: &Printer, consent: Consent, request: &HostEntry) -> Result<Applied> {
    let plan = plan(request)?;
    let original = read_bytes(&plan.path, &plan.command)?;
    let parsed = parse_hosts(&original, &plan.path)?;
    warn_conflicts(&parsed, &plan.change, &plan.path, printer);
    let edit = parsed.apply(&plan.change, super::max_names_per_line());
    let host = match &plan.change {
        Change::Set(entry) => entry.host.as_str(),
        Change::Remove(host) => host.as_str(),
    };
    let previous = parsed
        .entries()
        .iter()
        .find(|entry| entry.host == host)
        .map(|entry| entry.ip);
    let mut applied = Applied {
        previous,
        hosts_file: plan.label.clone(),
        changed: false,
        dry_run: request.dry_run,
        entries: edit.entries.clone(),
        diff: None,
        backup: None,
        confirmed: true,
    };
    if !edit.changed {
        report_unchanged(&plan.change, &plan.label, printer);
        return Ok(applied);
    }
    let diff = edit.diff(&plan.label);
    if request.dry_run {
        applied.changed = true;
        applied.diff = Some(diff);
        return Ok(applied);
    }
    if !confirm(printer, consent, &plan.label, &diff)? {
        printer.status("nothing was changed");
        applied.confirmed = false;
        applied.entries = parsed.entries().to_vec();
        return Ok(applied);
    }
    write_change(printer, &plan, &mut applied)?;
    Ok(applied)
}

/// Check the input and name the file, before touching anything.
fn plan(request: &HostEntry) -> Result<Plan> {
    let system_path = super::system_path();
    let path = request
        .hosts_file
        .clone()
        .unwrap_or_else(|| system_path.clone());
    let is_system = is_same_file(&path, &system_path);
    let mut command = request.endpoint.clone();
    match &request.ip {
        Some(ip) => {
            command.push(' ');
            command.push_str(ip);
        }
        None => command.push_str(" --remove"),
    }
    push_hosts_file(&mut command, &path, request.hosts_file.is_some());
    let host = super::endpoint_host(&request.endpoint)?;
    let change = match &request.ip {
        None => Change::Remove(host),
        Some(ip) => Change::Set(Entry {
            host,
            ip: super::parse_ip(ip)?,
        }),
    };
    Ok(Plan {
        label: path.shown().to_string(),
        path,
        command,
        change,
        is_system,
    })
}

/// Show the diff and ask; without a terminal, `--yes` is needed.
fn confirm(printer: &Printer, consent: Consent, label: &str, diff: &str) -> Result<bool> {
    if consent.yes {
        return Ok(true);
    }
    if !consent.interactive {
        return Err(Error::usage(format!(
            "changing `{label}` needs confirmation, and standard input is not a terminal"
        ))
        .help("pass --yes to confirm, or --dry-run to see the change first")
        .into());
    }
    for line in diff.lines() {
        printer.status(line);
    }
    crate::output::prompt::confirm(&format!("Write this change to `{label}`?"), false)
        .context("cannot read the answer")
}

/// Write the change under the lock, check it stuck, and say what changed.
fn write_change(printer: &Printer, plan: &Plan, applied: &mut Applied) -> Result<()> {
    let (edit, written) = write_locked(printer, plan)?;
    applied.entries = edit.entries.clone();
    let Some(written) = written else {
        return Ok(());
    };
    verify_written(&written.target, &edit.bytes, &plan.label)?;
    let label = &plan.label;
    match &plan.change {
        Change::Set(entry) => printer.status(format!(
            "`{}` now maps to `{}` in `{label}`",
            entry.host, entry.ip
        )),
        Change::Remove(host) => printer.status(format!("removed `{host}` from `{label}`")),
    }
    if let Some(backup) = &written.backup {
        printer.detail(format!("the previous file is kept as `{}`", backup.shown()));
    }
    if plan.is_system {
        flush_dns_cache(printer);
        if let Change::Set(entry) = &plan.change {
            check_resolver(entry, printer);
        }
    } else {
        printer.status(format!(
            "skipped the resolver check: `{label}` is not the system hosts file"
        ));
    }
    applied.changed = true;
    applied.backup = written.backup.as_ref().map(|b| b.shown().to_string());
    Ok(())
}

/// Read again under the lock and apply the change to what is there now, so that
/// a concurrent run's change is kept (the prompt is not held under it); nothing
/// is written when there is nothing left to change.
fn write_locked(printer: &Printer, plan: &Plan) -> Result<(Edit, Option<super::write::Written>)> {
    let (path, command) = (&plan.path, &plan.command);
    let _lock = super::lock(path).map_err(|err| lock_error(err, command, path))?;
    let original = read_bytes(path, command)?;
    let parsed = parse_hosts(&original, path)?;
    let edit = parsed.apply(&plan.change, super::max_names_per_line());
    if !edit.changed {
        report_unchanged(&plan.change, &plan.label, printer);
        return Ok((edit, None));
    }
    let written = super::write(path, &original, &edit.bytes)
        .map_err(|err| write_error(err, command, path))?;
    if written.in_place {
        printer.detail(format!(
            "`{}` cannot be replaced (it is a mount point), so it was rewritten in place",
            written.target.shown()
        ));
    }
    Ok((edit, Some(written)))
}

/// Another program (antivirus, a configuration manager) may put the old file back.
fn verify_written(target: &Path, expected: &[u8], label: &str) -> Result<()> {
    let reread =
        super::read(target).with_context(|| format!("cannot read `{}` back", target.shown()))?;
    if reread == expected {
        return Ok(());
    }
    let mut error = Error::new(
        Kind::Failed,
        format!(
            "`{label}` does not hold the change after writing it; another program changed it back"
        ),
    );
    if cfg!(windows) {
        error = error.help(
            "Microsoft Defender blocks hosts-file changes it finds suspicious: allow the change under Protection history, then run this again",
        );
    }
    Err(error
        .help("check which program manages the hosts file (antivirus, VPN or configuration management)")
        .into())
}

fn report_unchanged(change: &Change, label: &str, printer: &Printer) {
    match change {
        Change::Set(entry) => printer.status(format!(
            "`{}` already maps to `{}` in `{label}`; nothing to change",
            entry.host, entry.ip
        )),
        Change::Remove(host) => printer.status(format!(
            "`{host}` has no entry in aseecr's block of `{label}`; nothing to remove"
        )),
    }
}

/// Why the hosts file's lock could not be taken; nothing was changed. A folder
/// where the lock file cannot be created is one where the file cannot be replaced
/// either, so that is reported as the write failure it would have been.
fn lock_error(err: std::io::Error, command: &str, path: &Path) -> anyhow::Error {
    let path_buf = path.to_path_buf();
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => {
            let err = WriteError::PermissionDenied {
                path: path_buf,
                source: err,
            };
            return write_error(err, command, path);
        }
        std::io::ErrorKind::ReadOnlyFilesystem => {
            let err = WriteError::ReadOnly {
                path: path_buf,
                source: err,
            };
            return write_error(err, command, path);
        }
        _ => {}
    }
    let message = format!(
        "cannot lock the hosts file `{}` for editing: {err}; nothing was changed",
        path.shown()
    );
    let error = Error::new(Kind::Failed, message);
    match err.kind() {
        std::io::ErrorKind::TimedOut => error.help(
            "another `aseecr setup-host` is editing the file; wait for it and run this again",
        ),
        _ => error.help("pass the right file with --hosts-file FILE (or ASEECR_HOSTS_FILE)"),
    }
    .into()
}

/// Read and parse the hosts file; `command` is the arguments of the same
/// `setup-host`, for the hint to run it elevated.
pub fn read_hosts(path: &Path, command: &str) -> Result<Hosts> {
    let original = read_bytes(path, command)?;
    parse_hosts(&original, path)
}

fn read_bytes(path: &Path, command: &str) -> Result<Vec<u8>> {
    Ok(super::read(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::FileTooLarge {
            return crate::fsutil::too_large(&path.shown().to_string(), &crate::fsutil::HOSTS_FILE);
        }
        let message = format!("cannot read the hosts file `{}`: {err}", path.shown());
        let error = Error::new(Kind::Failed, message);
        if err.kind() == std::io::ErrorKind::PermissionDenied {
            error.help(elevate_hint(command))
        } else {
            error.help("pass the right file with --hosts-file FILE (or ASEECR_HOSTS_FILE)")
        }
    })?)
}

fn parse_hosts(original: &[u8], path: &Path) -> Result<Hosts> {
    Ok(Hosts::parse(original).map_err(|err| {
        Error::new(
            Kind::Failed,
            format!("cannot read aseecr's block in `{}`: {err}", path.shown()),
        )
        .help(format!(
            "fix or delete the lines from `{}` to `{}` by hand; nothing was changed",
            super::BEGIN_PREFIX,
            super::END_LINE
        ))
    })?)
}

/// Add `--hosts-file PATH` to the arguments of a `setup-host` hint when it was given.
pub fn push_hosts_file(command: &mut String, path: &Path, given: bool) {
    if given {
        command.push_str(&format!(" --hosts-file {}", path.shown()));
    }
}

fn warn_conflicts(parsed: &Hosts, change: &Change, path: &Path, printer: &Printer) {
    let (host, ip) = match change {
        Change::Set(entry) => (entry.host.as_str(), Some(entry.ip)),
        Change::Remove(host) => (host.as_str(), None),
    };
    for conflict in parsed.conflicts(host, ip) {
        let consequence = match (ip, conflict.before_block) {
            (None, _) => "it stays after the removal",
            (Some(_), true) => "it comes first, so most resolvers will use it",
            (Some(_), false) => "it conflicts with aseecr's entry",
        };
        printer.warn(format!(
            "line {} of `{}` maps `{host}` to `{}`; {consequence}",
            conflict.line,
            path.shown(),
            conflict.address
        ));
    }
}

/// How to run the same command elevated, for permission errors; `command` is
/// its arguments after `aseecr setup-host`.
fn elevate_hint(command: &str) -> String {
    let command = format!("aseecr setup-host {command}");
    if cfg!(windows) {
        format!("run it elevated, in a terminal opened as Administrator: `{command}`")
    } else {
        format!("run it elevated: `sudo {command}`")
    }
}

fn write_error(err: WriteError, command: &str, path: &Path) -> anyhow::Error {
    let already = "nothing was changed";
    let error = match &err {
        WriteError::PermissionDenied { source, .. } => {
            Error::new(Kind::Failed, format!("{err}: {source}; {already}"))
                .help(elevate_hint(command))
                .help(if cfg!(windows) {
                    "if it already runs as Administrator, clear the file's read-only attribute or allow the change in your antivirus"
                } else {
                    "if it already runs as root, the file may be immutable (`lsattr`) or managed by the system"
                })
        }
        WriteError::ReadOnly { source, .. } => Error::new(
            Kind::Failed,
            format!("{err}: {source}; {already}"),
        )
        .help("the file is managed elsewhere: on NixOS set `networking.hosts` in configuration.nix; in a container use `--add-host`")
        .help(format!(
            "or point aseecr at a writable copy with --hosts-file FILE (now `{}`)",
            path.shown()
        )),
        WriteError::Changed { .. } => {
            Error::new(Kind::Failed, format!("{err}; {already}")).help("run it again")
        }
        WriteError::Io { source, .. } => {
            Error::new(Kind::Failed, format!("{err}: {source}")).help(format!(
                "the previous file is `{}` (or its backup `{}`)",
                path.shown(),
                super::backup_path(path).shown()
            ))
        }
    };
    error.into()
}

/// Whether two paths name the same file (both missing counts as different unless equal).
fn is_same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Clear the operating system's name cache after the system hosts file changed.
fn flush_dns_cache(printer: &Printer) {
    #[cfg(target_os = "macos")]
    {
        let flushed = run_quietly("dscacheutil", &["-flushcache"])
            && run_quietly("killall", &["-HUP", "mDNSResponder"]);
        if flushed {
            printer.detail("flushed the DNS cache");
        } else {
            printer.warn(
                "cannot flush the DNS cache; run `sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder`",
            );
        }
    }
    #[cfg(windows)]
    {
        if run_quietly("ipconfig", &["/flushdns"]) {
            printer.detail("flushed the DNS cache");
        } else {
            printer.warn("cannot flush the DNS cache; run `ipconfig /flushdns`");
        }
    }
    #[cfg(not(any(target_os = "macos", windows)))]
    printer.detail(
        "the resolver reads the hosts file on each lookup; if nscd caches hosts, run `nscd -i hosts`",
    );
}

#[cfg(any(target_os = "macos", windows))]
fn run_quietly(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Ask the system resolver for the name; warn when it does not answer the address.
fn check_resolver(entry: &Entry, printer: &Printer) {
    let found: Vec<IpAddr> = match (entry.host.as_str(), 0).to_socket_addrs() {
        Ok(addrs) => addrs.map(|a| a.ip()).collect(),
        Err(err) => {
            printer.warn(format!(
                "the system resolver cannot resolve `{}`: {err}",
                entry.host
            ));
            return;
        }
    };
    if found.contains(&entry.ip) {
        printer.status(format!(
            "the system resolver returns `{}` for `{}`",
            entry.ip, entry.host
        ));
    } else {
        let found: Vec<String> = found.iter().map(ToString::to_string).collect();
        printer.warn(format!(
            "the system resolver returns `{}` for `{}`, not `{}`; another hosts line, a DNS cache or the resolver order (nsswitch.conf) may take precedence",
            found.join("`, `"),
            entry.host,
            entry.ip
        ));
    }
}
