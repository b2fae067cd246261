//! The `help:` lines for an error, shared by the text report (`help:` on stderr),
//! the JSON failure object (`error.help`) and `doctor`'s checks: what the module
//! that failed said, plus the aseecr command that fixes a failure of its kind.
//! Lower modules only say what failed and where (kind, registry, repository);
//! advice that names aseecr's commands is written here, once.

use crate::connect::{self, Knobs};
use crate::error::{self, Error, Kind};
use crate::registry::reference;

/// The commands and hints that fix `err`, in the order they are printed.
pub(crate) fn help_lines(err: &anyhow::Error) -> Vec<String> {
    error::find(err).map_or_else(Vec::new, help_for)
}

/// Every `help:` line for `error`: its own first, then the fix for its kind.
pub(crate) fn help_for(error: &Error) -> Vec<String> {
    let mut lines = error.help.clone();
    for line in kind_hints(error) {
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}

fn kind_hints(error: &Error) -> Vec<String> {
    let Some(registry) = error.registry.as_deref() else {
        return Vec::new();
    };
    let hint = match error.kind {
        Kind::AuthRequired => format!("log in first: `aseecr login {registry}`"),
        Kind::AuthRejected => format!("log in again: `aseecr login {registry}`"),
        Kind::AuthDenied => format!(
            "check that the account may pull, push or delete there, or log in as another user: `aseecr login {registry}`"
        ),
        Kind::TlsChanged => format!(
            "if the device re-issued its certificate, check the new SHA-256 on the device's local UI, then trust it in place of the old one: `aseecr trust-cert --fetch --registry {registry} --replace`"
        ),
        Kind::TlsExpired => format!(
            "renew the device's certificate in its local UI, then trust the new one: `aseecr trust-cert --fetch --registry {registry} --replace`"
        ),
        Kind::Tls | Kind::TlsUntrusted | Kind::TlsNameMismatch => format!(
            "trust it: `aseecr trust-cert --fetch --registry {registry}`, or {}",
            ca_cert_hint(registry)
        ),
        Kind::NotTls => format!(
            "if the registry really speaks plain HTTP, {}",
            plain_http_hint(registry)
        ),
        Kind::TlsRequired => format!(
            "{} and trust its certificate if needed: `aseecr trust-cert --fetch --registry {registry}`",
            drop_plain_http_hint(registry)
        ),
        Kind::Dns if reference::is_public_registry(registry) => format!(
            "`{registry}` is a public registry: check this machine's DNS and internet access"
        ),
        Kind::Dns => format!("add it to the hosts file: `aseecr setup-host {registry} NODE-IP`"),
        Kind::Refused => format!(
            "check the address and port, and that the registry runs: `aseecr doctor {registry}`"
        ),
        Kind::Timeout | Kind::Connect => {
            format!("check the network path: `aseecr doctor {registry}`")
        }
        Kind::RateLimited => "wait a while and run the command again".to_owned(),
        Kind::NotFound => match error.repository.as_deref() {
            Some(repository) => format!("list the tags that exist: `aseecr tags {repository}`"),
            None => return Vec::new(),
        },
        Kind::RepositoryNotFound => {
            format!("list the repositories that exist: `aseecr catalog {registry}`")
        }
        Kind::Failed
        | Kind::Usage
        | Kind::Auth
        | Kind::Integrity
        | Kind::RegistryRefused
        | Kind::NotDeleted
        | Kind::Unverified => {
            return Vec::new();
        }
    };
    vec![hint]
}

/// How to give `registry` its certificate, by the side it was opened as.
fn ca_cert_hint(registry: &str) -> String {
    match connect::knobs(registry) {
        Knobs::Global => "pass `--ca-cert FILE` with the registry's certificate".to_owned(),
        Knobs::Source { file: false } => {
            "pass `--src-ca-cert FILE` with the source registry's certificate".to_owned()
        }
        Knobs::Destination { file: false } => {
            "pass `--dst-ca-cert FILE` with the destination registry's certificate".to_owned()
        }
        Knobs::Source { file: true } => format!(
            "give it `caCert: FILE` (the registry's certificate) under `sources:` `{registry}:` in the sync file, or pass `--src-ca-cert FILE` for every source"
        ),
        Knobs::Destination { file: true } => {
            "give its destination `caCert: FILE` (the registry's certificate) in the sync file, or pass `--dst-ca-cert FILE` for every destination".to_owned()
        }
        Knobs::BothSides => "pass the registry's certificate with `--ca-cert FILE` (for a copy: `--src-ca-cert` or `--dst-ca-cert`)".to_owned(),
    }
}

/// How to speak plain HTTP to `registry`, by the side it was opened as.
fn plain_http_hint(registry: &str) -> String {
    match connect::knobs(registry) {
        Knobs::Global => "pass `--plain-http`".to_owned(),
        Knobs::Source { file: false } => {
            "pass `--src-plain-http` (`--plain-http` would switch the destination too)".to_owned()
        }
        Knobs::Destination { file: false } => {
            "pass `--dst-plain-http` (`--plain-http` would switch the source too)".to_owned()
        }
        Knobs::Source { file: true } => format!(
            "give it `plainHttp: true` under `sources:` `{registry}:` in the sync file, or pass `--src-plain-http` for every source"
        ),
        Knobs::Destination { file: true } => {
            "give its destination `plainHttp: true` in the sync file, or pass `--dst-plain-http` for every destination".to_owned()
        }
        Knobs::BothSides => "pass `--plain-http` (for a copy: `--src-plain-http` or `--dst-plain-http`)".to_owned(),
    }
}

/// How to stop speaking plain HTTP to `registry`, by the side it was opened as.
fn drop_plain_http_hint(registry: &str) -> String {
    match connect::knobs(registry) {
        Knobs::Global => "drop `--plain-http`".to_owned(),
        Knobs::Source { file: false } => {
            "drop `--src-plain-http` (and `--plain-http`, which switches both sides)".to_owned()
        }
        Knobs::Destination { file: false } => {
            "drop `--dst-plain-http` (and `--plain-http`, which switches both sides)".to_owned()
        }
        Knobs::Source { file: true } => format!(
            "drop `--src-plain-http` and `--plain-http` (or give it `plainHttp: false` under `sources:` `{registry}:` in the sync file)"
        ),
        Knobs::Destination { file: true } => {
            "drop `--dst-plain-http` and `--plain-http` (or give its destination `plainHttp: false` in the sync file)".to_owned()
        }
        Knobs::BothSides => "drop `--plain-http` (for a copy: `--src-plain-http` or `--dst-plain-http`)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_the_kind_and_name_the_registry() {
        let error = Error::new(Kind::Dns, "x").on_registry("ecr.example:31001");
        assert_eq!(
            help_for(&error),
            ["add it to the hosts file: `aseecr setup-host ecr.example:31001 NODE-IP`"]
        );
        let error = Error::new(Kind::AuthRejected, "x")
            .help("first")
            .on_registry("r:1");
        assert_eq!(
            help_for(&error),
            ["first", "log in again: `aseecr login r:1`"]
        );
        assert!(help_for(&Error::new(Kind::Dns, "no registry")).is_empty());
        let changed = Error::new(Kind::TlsChanged, "x").on_registry("r:1");
        assert_eq!(changed.kind.exit_code(), 5);
        assert_eq!(changed.kind.name(), "tls-changed");
        assert!(
            help_for(&changed)[0].ends_with("`aseecr trust-cert --fetch --registry r:1 --replace`")
        );
        let public = Error::new(Kind::Dns, "x").on_registry("mcr.microsoft.com");
        assert!(!help_for(&public)[0].contains("setup-host"));
        let error = Error::not_found("x")
            .on_registry("r:1")
            .on_repository("r:1/app");
        assert_eq!(
            help_for(&error),
            ["list the tags that exist: `aseecr tags r:1/app`"]
        );
    }
}
