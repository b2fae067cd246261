//! The crate's user-facing error: a message, the exit code it maps to, and the
//! commands that fix it.

use std::fmt;

/// What kind of failure an error is; decides the exit code (see README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything else that failed, including partial batch failure: exit 1.
    Failed,
    /// The command line or an input value is wrong: exit 2.
    Usage,
    /// The registry refused the credentials or the operation: exit 3.
    Auth,
    /// The image, tag, repository or file does not exist: exit 4.
    NotFound,
    /// The TLS certificate is not trusted or does not match: exit 5.
    Tls,
    /// The name does not resolve, the connection fails or times out: exit 6.
    Connect,
}

impl Kind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Failed => 1,
            Kind::Usage => 2,
            Kind::Auth => 3,
            Kind::NotFound => 4,
            Kind::Tls => 5,
            Kind::Connect => 6,
        }
    }
}

/// An error meant for the user: one line, a kind, and hints.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub help: Vec<String>,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            help: Vec::new(),
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
