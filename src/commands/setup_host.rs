//! `aseecr setup-host`: add, replace, remove or list the registry names aseecr keeps
//! in the hosts file.
//!
//! Without a terminal and without `--yes`, a change fails with a hint instead of
//! proceeding: the hosts file is a system file, and scripts say `--yes` explicitly.

use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{Format, SetupHostArgs};
use crate::commands::ExitStatus;
use crate::error::{Error, Kind};
use crate::hosts::{self, Change, Entry, Hosts, WriteError};
use crate::output::{Printer, json};
use crate::settings::Settings;

/// What a change (or a dry run) did, for `--format json`.
struct Report<'a> {
    hosts_file: String,
    changed: bool,
    dry_run: bool,
    entries: &'a [Entry],
    diff: Option<String>,
    backup: Option<String>,
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
    let system_path = hosts::system_path();
    let path = args
        .hosts_file
        .clone()
        .unwrap_or_else(|| system_path.clone());
    let is_system = is_same_file(&path, &system_path);

    // Check the input before touching anything.
    let change = match (&args.endpoint, args.list) {
        (_, true) => None,
        (Some(endpoint), false) => {
            let host = hosts::endpoint_host(endpoint)?;
            Some(if args.remove {
                Change::Remove(host)
            } else {
                let ip = args.ip.as_deref().ok_or_else(|| {
                    Error::usage("no IP address given").help(format!(
                        "give the address: `aseecr setup-host {endpoint} IP`, or pass --remove"
                    ))
                })?;
                Change::Set(Entry {
                    host,
                    ip: hosts::parse_ip(ip)?,
                })
            })
        }
        (None, false) => {
            return Err(Error::usage("no endpoint given")
                .help("`aseecr setup-host ENDPOINT IP`, or `aseecr setup-host --list`")
                .into());
        }
    };

    let original = hosts::read(&path).map_err(|err| {
        let message = format!("cannot read the hosts file `{}`: {err}", path.display());
        let error = Error::new(Kind::Failed, message);
        if err.kind() == std::io::ErrorKind::PermissionDenied {
            error.help(elevate_hint(&args))
        } else {
            error.help("pass the right file with --hosts-file FILE (or ASEECR_HOSTS_FILE)")
        }
    })?;
    let parsed = Hosts::parse(&original).map_err(|err| {
        Error::new(
            Kind::Failed,
            format!("cannot read aseecr's block in `{}`: {err}", path.display()),
        )
        .help(format!(
            "fix or delete the lines from `{}` to `{}` by hand; nothing was changed",
            hosts::BEGIN_PREFIX,
            hosts::END_LINE
        ))
    })?;

    let Some(change) = change else {
        return list(&parsed, &path, format, printer);
    };

    warn_conflicts(&parsed, &change, &path, printer);
    let edit = parsed.apply(&change, hosts::max_names_per_line());
    let label = path.display().to_string();

    if !edit.changed {
        match &change {
            Change::Set(entry) => printer.status(format!(
                "`{}` already maps to `{}` in `{label}`; nothing to change",
                entry.host, entry.ip
            )),
            Change::Remove(host) => printer.status(format!(
                "`{host}` has no entry in aseecr's block of `{label}`; nothing to remove"
            )),
        }
        Report {
            hosts_file: label.clone(),
            changed: false,
            dry_run: args.dry_run,
            entries: &edit.entries,
            diff: None,
            backup: None,
        }
        .print(printer, format)?;
        return Ok(ExitStatus::Success);
    }

    let diff = edit.diff(&label);
    if args.dry_run {
        match format {
            Format::Text => printer.raw(diff.as_bytes())?,
            Format::Json => Report {
                hosts_file: label.clone(),
                changed: true,
                dry_run: true,
                entries: &edit.entries,
                diff: Some(diff),
                backup: None,
            }
            .print(printer, format)?,
        }
        printer.status("dry run: nothing was changed");
        return Ok(ExitStatus::Success);
    }

    if !settings.yes {
        if !settings.interactive() {
            return Err(Error::usage(format!(
                "changing `{label}` needs confirmation, and standard input is not a terminal"
            ))
            .help("pass --yes to confirm, or --dry-run to see the change first")
            .into());
        }
        eprint!("{diff}");
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(format!("Write this change to `{label}`?"))
            .default(false)
            .interact()
            .context("cannot read the answer")?;
        if !confirmed {
            printer.status("nothing was changed");
            return Ok(ExitStatus::Failure);
        }
    }

    let written = hosts::write(&path, &original, &edit.bytes)
        .map_err(|err| write_error(err, &args, &path))?;
    if written.in_place {
        printer.detail(format!(
            "`{}` cannot be replaced (it is a mount point), so it was rewritten in place",
            written.target.display()
        ));
    }

    // Another program (antivirus, a configuration manager) may put the old file back.
    let reread = hosts::read(&written.target)
        .with_context(|| format!("cannot read `{}` back", written.target.display()))?;
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
        printer.detail(format!(
            "the previous file is kept as `{}`",
            backup.display()
        ));
    }
    let backup = written.backup.as_ref().map(|b| b.display().to_string());

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
    Report {
        hosts_file: label.clone(),
        changed: true,
        dry_run: false,
        entries: &edit.entries,
        diff: None,
        backup,
    }
    .print(printer, format)?;
    Ok(ExitStatus::Success)
}

fn list(parsed: &Hosts, path: &Path, format: Format, printer: &Printer) -> Result<ExitStatus> {
    match format {
        Format::Json => printer.json(&json::HostsListing {
            hosts_file: path.display().to_string(),
            entries: json_entries(parsed.entries()),
        })?,
        Format::Text => {
            if parsed.entries().is_empty() {
                printer.status(format!("aseecr has no entries in `{}`", path.display()));
            }
            for entry in parsed.entries() {
                printer.data(format!("{} {}", entry.host, entry.ip))?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

impl Report<'_> {
    /// Print the report under `--format json`; text output is the status lines.
    fn print(&self, printer: &Printer, format: Format) -> Result<()> {
        if format == Format::Json {
            printer.json(&json::HostsChange {
                hosts_file: self.hosts_file.clone(),
                changed: self.changed,
                dry_run: self.dry_run,
                entries: json_entries(self.entries),
                diff: self.diff.clone(),
                backup: self.backup.clone(),
            })?;
        }
        Ok(())
    }
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
            path.display(),
            conflict.address
        ));
    }
}

/// How to run the same command elevated, for permission errors.
fn elevate_hint(args: &SetupHostArgs) -> String {
    let mut command = String::from("aseecr setup-host");
    if args.list {
        command.push_str(" --list");
    }
    if let Some(endpoint) = &args.endpoint {
        command.push(' ');
        command.push_str(endpoint);
    }
    if let Some(ip) = &args.ip {
        command.push(' ');
        command.push_str(ip);
    }
    if args.remove {
        command.push_str(" --remove");
    }
    if let Some(file) = &args.hosts_file {
        command.push_str(&format!(" --hosts-file {}", file.display()));
    }
    if cfg!(windows) {
        format!("run it elevated, in a terminal opened as Administrator: `{command}`")
    } else {
        format!("run it elevated: `sudo {command}`")
    }
}

fn write_error(err: WriteError, args: &SetupHostArgs, path: &Path) -> anyhow::Error {
    let already = "nothing was changed";
    let error = match &err {
        WriteError::PermissionDenied { source, .. } => {
            Error::new(Kind::Failed, format!("{err}: {source}; {already}"))
                .help(elevate_hint(args))
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
            path.display()
        )),
        WriteError::Changed { .. } => {
            Error::new(Kind::Failed, format!("{err}; {already}")).help("run it again")
        }
        WriteError::Io { source, .. } => {
            Error::new(Kind::Failed, format!("{err}: {source}")).help(format!(
                "the previous file is `{}` (or its backup `{}`)",
                path.display(),
                hosts::backup_path(path).display()
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
