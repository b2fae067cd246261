//! `aseecr setup-host`: add, replace, remove or list the registry names aseecr keeps
//! in the hosts file.
//!
//! Without a terminal and without `--yes`, a change fails with a hint instead of
//! proceeding: the hosts file is a system file, and scripts say `--yes` explicitly.

use std::net::{IpAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{Format, SetupHostArgs};
use crate::commands::ExitStatus;
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::hosts::{self, Change, Entry, Hosts, WriteError};
use crate::output::{Printer, json};
use crate::settings::Settings;

/// One change to the hosts file: `setup-host`'s own options, also filled by `setup`.
#[derive(Debug, Clone)]
pub(crate) struct HostEntry {
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
pub(crate) struct Applied {
    hosts_file: String,
    changed: bool,
    dry_run: bool,
    /// aseecr's entries after the change.
    entries: Vec<Entry>,
    /// Dry run: the change as a diff.
    diff: Option<String>,
    backup: Option<String>,
    /// False when the person at the terminal said no (nothing was written).
    confirmed: bool,
}

impl Applied {
    /// Dry run: the change as a diff (`None` when nothing would change).
    pub(crate) fn diff(&self) -> Option<&str> {
        self.diff.as_deref()
    }
}

pub async fn run(args: SetupHostArgs, settings: &Settings) -> Result<ExitStatus> {
    let settings = settings.clone();
    // File IO, the prompt, name resolution and child processes all block.
    tokio::task::spawn_blocking(move || run_blocking(args, &settings))
        .await
        .context("the setup-host task failed")?
}

fn run_blocking(args: SetupHostArgs, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    let format = args.format.format;
    if args.list {
        let given = args.hosts_file.is_some();
        let path = args.hosts_file.unwrap_or_else(hosts::system_path);
        let mut command = "--list".to_owned();
        push_hosts_file(&mut command, &path, given);
        let parsed = read_hosts(&path, &command)?;
        return list(&parsed, &path, format, printer);
    }
    let Some(endpoint) = args.endpoint else {
        return Err(Error::usage("no endpoint given")
            .help("`aseecr setup-host ENDPOINT IP`, or `aseecr setup-host --list`")
            .into());
    };
    let ip = if args.remove {
        None
    } else {
        Some(args.ip.ok_or_else(|| {
            Error::usage("no IP address given").help(format!(
                "give the address: `aseecr setup-host {endpoint} IP`, or pass --remove"
            ))
        })?)
    };
    let entry = HostEntry {
        endpoint,
        ip,
        hosts_file: args.hosts_file,
        dry_run: args.dry_run,
    };
    let applied = apply_blocking(settings, &entry)?;
    if applied.dry_run && applied.changed && format == Format::Text {
        for line in applied.diff.as_deref().unwrap_or_default().lines() {
            printer.data(line)?;
        }
    }
    if format == Format::Json {
        printer.json(&json::HostsChange {
            hosts_file: applied.hosts_file.clone(),
            changed: applied.changed,
            dry_run: applied.dry_run,
            entries: json_entries(&applied.entries),
            diff: applied.diff.clone(),
            backup: applied.backup.clone(),
        })?;
    }
    if applied.dry_run && applied.changed {
        printer.status("dry run: nothing was changed");
    }
    Ok(if applied.confirmed {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// Add, replace or remove the entry for `entry.endpoint` in aseecr's block of the
/// hosts file, asking first on a terminal unless `settings.yes`.
pub(crate) async fn apply(settings: &Settings, entry: &HostEntry) -> Result<Applied> {
    let settings = settings.clone();
    let entry = entry.clone();
    tokio::task::spawn_blocking(move || apply_blocking(&settings, &entry))
        .await
        .context("the setup-host task failed")?
}

fn apply_blocking(settings: &Settings, request: &HostEntry) -> Result<Applied> {
    let printer = &settings.printer;
    let system_path = hosts::system_path();
    let path = request
        .hosts_file
        .clone()
        .unwrap_or_else(|| system_path.clone());
    let is_system = is_same_file(&path, &system_path);
    // The same command, for the hint to run it elevated.
    let mut command = request.endpoint.clone();
    match &request.ip {
        Some(ip) => {
            command.push(' ');
            command.push_str(ip);
        }
        None => command.push_str(" --remove"),
    }
    push_hosts_file(&mut command, &path, request.hosts_file.is_some());

    // Check the input before touching anything.
    let host = hosts::endpoint_host(&request.endpoint)?;
    let change = match &request.ip {
        None => Change::Remove(host),
        Some(ip) => Change::Set(Entry {
            host,
            ip: hosts::parse_ip(ip)?,
        }),
    };

    let original = read_bytes(&path, &command)?;
    let parsed = parse_hosts(&original, &path)?;

    warn_conflicts(&parsed, &change, &path, printer);
    let edit = parsed.apply(&change, hosts::max_names_per_line());
    let label = path.shown().to_string();
    let mut applied = Applied {
        hosts_file: label.clone(),
        changed: false,
        dry_run: request.dry_run,
        entries: edit.entries.clone(),
        diff: None,
        backup: None,
        confirmed: true,
    };

    if !edit.changed {
        report_unchanged(&change, &label, printer);
        return Ok(applied);
    }

    let diff = edit.diff(&label);
    if request.dry_run {
        applied.changed = true;
        applied.diff = Some(diff);
        return Ok(applied);
    }

    if !settings.yes {
        if !settings.interactive() {
            return Err(Error::usage(format!(
                "changing `{label}` needs confirmation, and standard input is not a terminal"
            ))
            .help("pass --yes to confirm, or --dry-run to see the change first")
            .into());
        }
        for line in diff.lines() {
            eprintln!("{}", crate::output::terminal_safe(line));
        }
        let confirmed =
            crate::output::prompt::confirm(&format!("Write this change to `{label}`?"), false)
                .context("cannot read the answer")?;
        if !confirmed {
            printer.status("nothing was changed");
            applied.confirmed = false;
            applied.entries = parsed.entries().to_vec();
            return Ok(applied);
        }
    }

    // Read again under the lock and apply the change to what is there now, so that
    // a concurrent run's change is kept (the prompt above is not held under it).
    let _lock = hosts::lock(&path).map_err(|err| lock_error(err, &command, &path))?;
    let original = read_bytes(&path, &command)?;
    let parsed = parse_hosts(&original, &path)?;
    let edit = parsed.apply(&change, hosts::max_names_per_line());
    applied.entries = edit.entries.clone();
    if !edit.changed {
        report_unchanged(&change, &label, printer);
        return Ok(applied);
    }
    let written = hosts::write(&path, &original, &edit.bytes)
        .map_err(|err| write_error(err, &command, &path))?;
    if written.in_place {
        printer.detail(format!(
            "`{}` cannot be replaced (it is a mount point), so it was rewritten in place",
            written.target.shown()
        ));
    }

    // Another program (antivirus, a configuration manager) may put the old file back.
    let reread = hosts::read(&written.target)
        .with_context(|| format!("cannot read `{}` back", written.target.shown()))?;
    if reread != edit.bytes {
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
        return Err(error
            .help("check which program manages the hosts file (antivirus, VPN or configuration management)")
            .into());
    }

    match &change {
        Change::Set(entry) => printer.status(format!(
            "`{}` now maps to `{}` in `{label}`",
            entry.host, entry.ip
        )),
        Change::Remove(host) => printer.status(format!("removed `{host}` from `{label}`")),
    }
    if let Some(backup) = &written.backup {
        printer.detail(format!("the previous file is kept as `{}`", backup.shown()));
    }
    let backup = written.backup.as_ref().map(|b| b.shown().to_string());

    if is_system {
        flush_dns_cache(printer);
        if let Change::Set(entry) = &change {
            check_resolver(entry, printer);
        }
    } else {
        printer.status(format!(
            "skipped the resolver check: `{label}` is not the system hosts file"
        ));
    }
    applied.changed = true;
    applied.backup = backup;
    Ok(applied)
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
fn read_hosts(path: &Path, command: &str) -> Result<Hosts> {
    let original = read_bytes(path, command)?;
    parse_hosts(&original, path)
}

fn read_bytes(path: &Path, command: &str) -> Result<Vec<u8>> {
    Ok(hosts::read(path).map_err(|err| {
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
            hosts::BEGIN_PREFIX,
            hosts::END_LINE
        ))
    })?)
}

fn push_hosts_file(command: &mut String, path: &Path, given: bool) {
    if given {
        command.push_str(&format!(" --hosts-file {}", path.shown()));
    }
}

fn list(parsed: &Hosts, path: &Path, format: Format, printer: &Printer) -> Result<ExitStatus> {
    match format {
        Format::Json => printer.json(&json::HostsListing {
            hosts_file: path.shown().to_string(),
            entries: json_entries(parsed.entries()),
        })?,
        Format::Text => {
            if parsed.entries().is_empty() {
                printer.status(format!("aseecr has no entries in `{}`", path.shown()));
            }
            for entry in parsed.entries() {
                printer.data(format!("{} {}", entry.host, entry.ip))?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn json_entries(entries: &[Entry]) -> Vec<json::HostsEntry> {
    entries
        .iter()
        .map(|entry| json::HostsEntry {
            host: entry.host.clone(),
            ip: entry.ip.to_string(),
        })
        .collect()
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
                hosts::backup_path(path).shown()
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
