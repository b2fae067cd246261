//! Arguments of the commands that set up this machine for a registry: setup,
//! setup-host, trust-cert, login, logout, and doctor, which checks the result.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::FormatArg;

/// Arguments of `aseecr setup`.
#[derive(Debug, Args)]
#[command(after_help = SETUP_EXAMPLES, after_long_help = SETUP_HELP)]
pub struct SetupArgs {
    /// Read endpoint, IP, username and password from FILE (`-` for stdin): the
    /// output of the device's `Get-HcsKubernetesContainerRegistryInfo`
    #[arg(long, value_name = "FILE")]
    pub from_info: Option<PathBuf>,

    /// The registry endpoint, host:port (the device's listens on port 31001)
    #[arg(long, value_name = "ENDPOINT")]
    pub endpoint: Option<String>,

    /// The device's Kubernetes node IP address
    #[arg(long, value_name = "IP")]
    pub ip: Option<String>,

    /// The registry certificate downloaded from the device (PEM or DER)
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,

    /// Print every step's planned change, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Trust the certificate in these stores (`all`: the OS store too, as for trust-cert)
    /// [default: the registry's own stores; on Windows also the OS store]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub store: Vec<TrustStore>,

    /// Edit FILE instead of the system hosts file
    #[arg(
        long,
        value_name = "FILE",
        env = "ASEECR_HOSTS_FILE",
        hide_env_values = true
    )]
    pub hosts_file: Option<PathBuf>,

    /// Treat DIR as the file-system root: every system path is taken inside DIR
    #[arg(
        long,
        value_name = "DIR",
        env = "ASEECR_TRUST_ROOT",
        hide_env_values = true
    )]
    pub root: Option<PathBuf>,

    /// Run PROGRAM with the OS command as its arguments instead of the command itself
    #[arg(
        long,
        value_name = "PROGRAM",
        env = "ASEECR_TRUST_COMMAND",
        hide_env_values = true
    )]
    pub trust_command: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

const SETUP_EXAMPLES: &str = "\
Examples:
  aseecr setup
  aseecr setup --from-info registry-info.txt --cert ecr.cer";

const SETUP_HELP: &str = "\
Runs, in order: setup-host ENDPOINT IP, trust-cert CERT, login, config set registry,
doctor. It changes the hosts file, the trust stores (--store, as for trust-cert), docker's
credentials and aseecr's configuration; --dry-run prints each step's change instead.

Every value is checked before anything changes. Missing values are asked for on a terminal
(the username defaults to ase-ecr-user, the password is read without echo, a rejected
password is asked for again up to 3 times); without a terminal, give them all and pass --yes.
A certificate path may start with `~` and may be quoted (as Windows' \"Copy as path\" gives).

Examples:
  aseecr setup
  aseecr setup --from-info registry-info.txt --cert ecr.cer
  aseecr setup --from-info registry-info.txt --cert ecr.cer --dry-run
  aseecr setup --from-info registry-info.txt --cert ecr.cer \\
      --store docker,containers,containerd,aseecr
  aseecr setup --endpoint ecr.dbe-xyz.microsoftdatabox.com:31001 --ip 10.128.44.41 \\
      --cert ecr.cer -u ase-ecr-user --password-stdin --yes < password.txt";

const LOGIN_EXAMPLES: &str = "\
Examples:
  aseecr login ecr.dbe-x.microsoftdatabox.com:31001 -u ase-ecr-user
  printf '%s' \"$PASSWORD\" | aseecr login -u ase-ecr-user --password-stdin";

/// Arguments of `aseecr login`.
#[derive(Debug, Args)]
#[command(after_help = LOGIN_EXAMPLES)]
pub struct LoginArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr logout`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr logout\n  aseecr logout ecr.dbe-x.microsoftdatabox.com:31001"
)]
pub struct LogoutArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr setup-host`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    aseecr setup-host ecr.dbe-hw6h1t2.microsoftdatabox.com:31001 10.128.44.41\n  \
    aseecr setup-host ecr.dbe-hw6h1t2.microsoftdatabox.com --remove\n  \
    aseecr setup-host --list")]
pub struct SetupHostArgs {
    /// The registry, as host[:port] (the port is ignored)
    #[arg(value_name = "ENDPOINT", required_unless_present = "list")]
    pub endpoint: Option<String>,

    /// The IPv4 or IPv6 address the registry's name should resolve to
    #[arg(value_name = "IP", required_unless_present_any = ["remove", "list"])]
    pub ip: Option<String>,

    /// Remove the entry for ENDPOINT instead
    #[arg(long, conflicts_with_all = ["ip", "list"])]
    pub remove: bool,

    /// Print the entries aseecr manages in the hosts file
    #[arg(long, conflicts_with_all = ["endpoint", "ip", "dry_run"])]
    pub list: bool,

    /// Print the change as a diff, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Edit FILE instead of the system hosts file
    #[arg(
        long,
        value_name = "FILE",
        env = "ASEECR_HOSTS_FILE",
        hide_env_values = true
    )]
    pub hosts_file: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr trust-cert`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr trust-cert ecr.cer --registry ecr.dbe-x.microsoftdatabox.com:31001\n  \
        aseecr trust-cert --fetch --registry ecr.dbe-x.microsoftdatabox.com:31001",
    after_long_help = TRUST_CERT_HELP
)]
pub struct TrustCertArgs {
    /// The certificate file, PEM or DER (a device's `.cer` download works); with
    /// --remove, optional: the certificate trusted for --registry is removed
    #[arg(
        value_name = "FILE",
        required_unless_present_any = ["fetch", "remove"],
        conflicts_with = "fetch"
    )]
    pub file: Option<PathBuf>,

    /// Get the certificate the registry (--registry) presents instead of reading a file
    #[arg(long)]
    pub fetch: bool,

    /// Trust only the certificate with this SHA-256 fingerprint (AA:BB:.. or hex)
    #[arg(long, value_name = "SHA256")]
    pub fingerprint: Option<String>,

    /// Remove the certificate from the stores instead (matched by fingerprint)
    #[arg(long)]
    pub remove: bool,

    /// Print what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Trust the certificate even though it has expired or does not name the registry
    #[arg(long)]
    pub force: bool,

    /// Replace a different certificate already trusted for the registry (a re-issued one)
    #[arg(long, conflicts_with = "remove")]
    pub replace: bool,

    /// Change only these stores (`all`: every store, the OS store too) [default: the
    /// registry's own stores; on Windows also the OS store; with --remove: all]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub store: Vec<TrustStore>,

    /// Treat DIR as the file-system root: every system path is taken inside DIR
    #[arg(
        long,
        value_name = "DIR",
        env = "ASEECR_TRUST_ROOT",
        hide_env_values = true
    )]
    pub root: Option<PathBuf>,

    /// Run PROGRAM with the OS command as its arguments instead of the command itself
    #[arg(
        long,
        value_name = "PROGRAM",
        env = "ASEECR_TRUST_COMMAND",
        hide_env_values = true
    )]
    pub trust_command: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Where `aseecr trust-cert` puts a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrustStore {
    /// Every store of this OS, the OS store included
    All,
    /// The OS trust store, which trusts a CA:TRUE certificate for every HTTPS site
    /// (update-ca-certificates and friends, macOS System keychain, Windows Root)
    Os,
    // The folder of the OS this binary is for (the long help lists every OS's).
    #[cfg_attr(
        windows,
        doc = r"Docker's per-registry folder: %ProgramData%\docker\certs.d\HOSTPORT\ca.crt"
    )]
    #[cfg_attr(
        not(windows),
        doc = "Docker's per-registry folder: /etc/docker/certs.d/HOST:PORT/ca.crt"
    )]
    Docker,
    /// Podman, Buildah, Skopeo, CRI-O: /etc/containers/certs.d/HOST:PORT/ca.crt
    Containers,
    /// containerd: /etc/containerd/certs.d/HOST:PORT/{ca.crt,hosts.toml}
    Containerd,
    /// aseecr's own per-registry trust (in its configuration folder)
    Aseecr,
}

const TRUST_CERT_HELP: &str = "\
Which certificate is trusted:
  A file must hold exactly one certificate; for a PEM bundle with several, pick one
  with --fingerprint. With --fetch the top of the chain the server presents is shown
  and trusted once you confirm its fingerprint at the prompt, or pass --fingerprint
  (any certificate of the chain may be named). --yes does not confirm a fingerprint.
  Files holding a private key are refused; nothing but the certificate is copied.

Stores (--store, comma-separated):
  all         every store below that exists on this OS
  os          Debian/Ubuntu/Alpine: /usr/local/share/ca-certificates + update-ca-certificates
              Fedora/RHEL: /etc/pki/ca-trust/source/anchors + update-ca-trust extract
              Arch: /etc/ca-certificates/trust-source/anchors + trust extract-compat
              SUSE: /etc/pki/trust/anchors + update-ca-certificates
              macOS: security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain
              Windows: the LocalMachine Root store
  docker      /etc/docker/certs.d/HOST:PORT/ca.crt (Windows: %ProgramData%\\docker\\certs.d\\HOSTPORT,
              macOS: ~/.docker/certs.d/HOST:PORT, which Docker Desktop copies into its VM)
  containers  /etc/containers/certs.d/HOST:PORT/ca.crt (Linux)
  containerd  /etc/containerd/certs.d/HOST:PORT/ca.crt and hosts.toml (Linux)
  aseecr      aseecr's configuration folder, pinned for the registry

The OS store and the default:
  Every store but `os` is scoped to the registry (HOST:PORT). In the OS store a CA:TRUE
  certificate, as the device's is, becomes a root for every HTTPS site: whoever holds the
  device's key could impersonate any server to this machine (mkcert warns the same of its
  root). So by default the certificate goes only where clients need it: on Linux the
  docker, containers, containerd and aseecr stores, which every container client reads;
  on macOS docker's (Docker Desktop) and aseecr's; on Windows also the OS store, because
  Docker Desktop reads only the Root store there. `--store all` (or naming `os`) adds the
  OS store where it is not a default; a CA:TRUE certificate going into the OS store is
  warned about in one line before anything changes. --remove without --store removes from
  every store, the OS store included.

Tests and image builds:
  --root DIR (ASEECR_TRUST_ROOT) reads and writes every system path inside DIR; paths
  written into files (hosts.toml) are as seen from inside DIR. OS commands are not run
  under --root unless --trust-command is given. --trust-command PROGRAM
  (ASEECR_TRUST_COMMAND) runs `PROGRAM update-ca-certificates` instead of
  `update-ca-certificates` (likewise for `security ...`), so a test can record the argv.
  The Windows Root store cannot be redirected and is refused under --root.

A store that already trusts a different certificate for the registry (the device
re-issued its certificate) is changed only with --replace; aseecr says which stores
hold the old one. --remove rebuilds the OS bundle from scratch (e.g.
`update-ca-certificates --fresh`), so no client keeps the removed certificate.
--remove without FILE removes the certificate the stores trust for --registry (found
in aseecr's configuration and the per-registry folders); when they hold several,
pick one with --fingerprint.

Changing system files asks for confirmation on a terminal; without one, pass --yes.

Examples:
  aseecr trust-cert ecr.cer --registry ecr.dbe-x.microsoftdatabox.com:31001
  aseecr trust-cert --fetch --registry ecr.dbe-x.microsoftdatabox.com:31001
  aseecr trust-cert --fetch --replace --registry ecr.dbe-x.microsoftdatabox.com:31001
  aseecr trust-cert --remove --registry ecr.dbe-x.microsoftdatabox.com:31001

Exit codes: 2 bad input or refused certificate, 5 fingerprint mismatch, 6 cannot connect.";

/// Arguments of `aseecr doctor`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr doctor\n  aseecr doctor ecr.dbe-x.microsoftdatabox.com:31001 --format json"
)]
pub struct DoctorArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    /// Compare name resolution with FILE instead of the system hosts file
    #[arg(
        long,
        value_name = "FILE",
        env = "ASEECR_HOSTS_FILE",
        hide_env_values = true
    )]
    pub hosts_file: Option<PathBuf>,

    /// Look for the container clients' certs.d folders inside DIR (as trust-cert --root)
    #[arg(
        long,
        value_name = "DIR",
        env = "ASEECR_TRUST_ROOT",
        hide_env_values = true
    )]
    pub root: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

impl TrustStore {
    /// The stores `--store` names, in order (`all` as every store of this OS);
    /// empty when none is named.
    pub fn stores(named: &[TrustStore]) -> Vec<crate::trust::Store> {
        use crate::trust::Store;
        named
            .iter()
            .flat_map(|store| match store {
                TrustStore::All => Store::all(),
                TrustStore::Os => vec![Store::Os],
                TrustStore::Docker => vec![Store::Docker],
                TrustStore::Containers => vec![Store::Containers],
                TrustStore::Containerd => vec![Store::Containerd],
                TrustStore::Aseecr => vec![Store::Aseecr],
            })
            .collect()
    }
}
