//! The crate's user-facing error: a message, the exit code it maps to, and the
//! commands that fix it.

use std::fmt;

/// What kind of failure an error is, as data: decisions (retry, hints, exit code)
/// are made on the kind, never on message text. Several kinds share an exit code
/// (see docs/exit-codes.md); the JSON `error.kind` field is [`Kind::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything else that failed, including partial batch failure: exit 1.
    Failed,
    /// The command line or an input value is wrong: exit 2.
    Usage,
    /// Authentication failed for another reason (e.g. no credentials stored): exit 3.
    Auth,
    /// The registry wants credentials and none were sent (HTTP 401): exit 3.
    AuthRequired,
    /// The registry or its token service rejected the credentials: exit 3.
    AuthRejected,
    /// The credentials were accepted but do not allow the operation (403, or a
    /// token without the rights): exit 3.
    AuthDenied,
    /// The image, tag, repository or file does not exist: exit 4.
    NotFound,
    /// The repository does not exist on the registry: exit 4.
    RepositoryNotFound,
    /// The TLS handshake failed for another certificate reason: exit 5.
    Tls,
    /// The certificate is signed by no trusted authority (or is a CA certificate
    /// used as the server's and not trusted): exit 5.
    TlsUntrusted,
    /// The certificate does not name the registry's host: exit 5.
    TlsNameMismatch,
    /// The certificate has expired or is not yet valid: exit 5.
    TlsExpired,
    /// The registry presents a certificate other than the one remembered for it
    /// (the device re-issued its certificate): exit 5.
    TlsChanged,
    /// The server did not answer with TLS (it may speak plain HTTP): exit 5.
    NotTls,
    /// A plain-HTTP request was refused by a server that speaks HTTPS: exit 5.
    TlsRequired,
    /// The connection failed for another reason (reset, unreachable): exit 6.
    Connect,
    /// The host name does not resolve: exit 6.
    Dns,
    /// Nothing listens at the address (connection refused): exit 6.
    Refused,
    /// The server did not answer in time: exit 6.
    Timeout,
    /// Bytes do not match their digest or size; restarting the transfer will not
    /// help: exit 1.
    Integrity,
    /// The registry refused the operation (e.g. deletion disabled, HTTP 405, or
    /// another error status), or answered beyond aseecr's limits (a body over
    /// its size cap, an index nested too deep, pagination that loops): exit 1.
    RegistryRefused,
    /// The registry is rate limiting (HTTP 429 after retries): exit 1.
    RateLimited,
    /// The registry answered that it deleted a manifest and still serves it:
    /// exit 1.
    NotDeleted,
    /// An image's signatures do not satisfy the trust policy or the key: none
    /// verifies (tampered, another key, another subject, untrusted signer) or
    /// there is none: exit 7.
    Unverified,
}

impl Kind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Failed
            | Kind::Integrity
            | Kind::RegistryRefused
            | Kind::RateLimited
            | Kind::NotDeleted => 1,
            Kind::Usage => 2,
            Kind::Auth | Kind::AuthRequired | Kind::AuthRejected | Kind::AuthDenied => 3,
            Kind::NotFound | Kind::RepositoryNotFound => 4,
            Kind::Tls
            | Kind::TlsUntrusted
            | Kind::TlsNameMismatch
            | Kind::TlsExpired
            | Kind::TlsChanged
            | Kind::NotTls
            | Kind::TlsRequired => 5,
            Kind::Connect | Kind::Dns | Kind::Refused | Kind::Timeout => 6,
            Kind::Unverified => 7,
        }
    }

    /// The kind's name in JSON output (`error.kind`); never renamed.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Failed => "failed",
            Kind::Usage => "usage",
            Kind::Auth => "auth",
            Kind::AuthRequired => "auth-required",
            Kind::AuthRejected => "auth-rejected",
            Kind::AuthDenied => "auth-denied",
            Kind::NotFound => "not-found",
            Kind::RepositoryNotFound => "repository-not-found",
            Kind::Tls => "tls",
            Kind::TlsUntrusted => "tls-untrusted",
            Kind::TlsNameMismatch => "tls-name-mismatch",
            Kind::TlsExpired => "tls-expired",
            Kind::TlsChanged => "tls-changed",
            Kind::NotTls => "not-tls",
            Kind::TlsRequired => "tls-required",
            Kind::Connect => "connect",
            Kind::Dns => "dns",
            Kind::Refused => "refused",
            Kind::Timeout => "timeout",
            Kind::Integrity => "integrity",
            Kind::RegistryRefused => "registry-refused",
            Kind::RateLimited => "rate-limited",
            Kind::NotDeleted => "not-deleted",
            Kind::Unverified => "unverified",
        }
    }

    /// Whether something asked for does not exist (exit 4).
    pub fn is_not_found(self) -> bool {
        self.exit_code() == 4
    }

    /// Whether this is an authentication or authorization failure (exit 3).
    pub fn is_auth(self) -> bool {
        self.exit_code() == 3
    }

    /// Whether the registry could not be reached (exit 6).
    pub fn is_connect(self) -> bool {
        self.exit_code() == 6
    }
}

/// An error meant for the user: one line, a kind, hints, and what it is about.
///
/// Modules below the commands fill in `registry` and `repository` instead of
/// writing advice that names aseecr's commands; the command layer turns kind and
/// subject into `help:` lines.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub help: Vec<String>,
    /// The registry (`host[:port]`) the error is about, if any.
    pub registry: Option<String>,
    /// The repository (`host[:port]/path`) the error is about, if any.
    pub repository: Option<String>,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            help: Vec::new(),
            registry: None,
            repository: None,
        }
    }

    /// A bad command line or input value (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Error::new(Kind::Usage, message)
    }

    /// Something asked for does not exist (exit 4).
    pub fn not_found(message: impl Into<String>) -> Self {
        Error::new(Kind::NotFound, message)
    }

    /// Say which registry the error is about.
    pub fn on_registry(mut self, registry: impl Into<String>) -> Self {
        self.registry = Some(registry.into());
        self
    }

    /// Say which repository (`host[:port]/path`) the error is about.
    pub fn on_repository(mut self, repository: impl Into<String>) -> Self {
        self.repository = Some(repository.into());
        self
    }

    /// Add a `help:` line, usually the command that fixes the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The first [`Error`] in an anyhow chain, if any.
pub fn find(err: &anyhow::Error) -> Option<&Error> {
    err.chain().find_map(|cause| cause.downcast_ref::<Error>())
}

/// Shorthand for a usage error as an `anyhow::Error`.
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => { anyhow::Error::new($crate::error::Error::usage(format!($($arg)*))) };
}
