//! The HTTP client for one registry: how to reach it, and the one client built
//! for the run. Sending (retries, deadlines, bounded reads) is in `transport`,
//! challenges and tokens in `tokens`, error answers in `answers`.

mod answers;
mod tokens;
mod transport;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use url::Url;

use super::auth::{AuthState, Scheme};
use super::limits;
use super::reference::{DOCKER_HUB, DOCKER_HUB_API};
use super::tls;
use crate::error::Error;
use crate::secret::Credentials;

pub(super) use answers::registry_codes;
use transport::Resolver;
pub(super) use transport::{Activity, Pace};

/// The user agent on every request.
pub const USER_AGENT: &str = concat!("aseecr/", env!("CARGO_PKG_VERSION"));

/// How to reach one registry. The caller fills it in (from flags, environment and
/// what is remembered); this module reads neither.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectOptions {
    /// PEM or DER files whose certificates are trusted for this registry, also
    /// as exact server certificates.
    pub ca_certs: Vec<std::path::PathBuf>,
    /// The certificate remembered for this registry (one of `ca_certs`), to tell
    /// a re-issued certificate from an untrusted one.
    pub remembered: Option<Remembered>,
    /// Accept any certificate.
    pub insecure: bool,
    /// Speak HTTP instead of HTTPS.
    pub plain_http: bool,
    /// The first retry delay; it doubles with every attempt.
    pub retry_base: Duration,
    /// Entries asked for per page of `tags/list` and `_catalog`.
    pub page_size: usize,
    /// Connecting (TCP and TLS).
    pub connect_timeout: Duration,
    /// From sending a request to its response headers (connecting included).
    pub response_timeout: Duration,
    /// A body must deliver [`limits::LOW_SPEED_BYTES`] in every window this
    /// long, and an upload fails when the registry takes nothing for this long.
    pub idle_timeout: Duration,
    /// Where cross-process lock files live (the configuration folder's
    /// `locks/`), such as the one per subject around a fallback index write;
    /// `None`: only this process's own writers take turns.
    pub lock_dir: Option<std::path::PathBuf>,
}

/// A certificate trusted for a registry earlier, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Remembered {
    pub path: std::path::PathBuf,
    /// When it was trusted (RFC 3339), if that was recorded.
    pub trusted_on: Option<String>,
}

/// The first retry delay unless the caller sets another.
pub const DEFAULT_RETRY_BASE: Duration = Duration::from_millis(500);
/// Entries per page unless the caller sets another.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            ca_certs: Vec::new(),
            remembered: None,
            insecure: false,
            plain_http: false,
            retry_base: DEFAULT_RETRY_BASE,
            page_size: DEFAULT_PAGE_SIZE,
            connect_timeout: limits::DEFAULT_CONNECT_TIMEOUT,
            response_timeout: limits::DEFAULT_RESPONSE_TIMEOUT,
            idle_timeout: limits::DEFAULT_IDLE_TIMEOUT,
            lock_dir: None,
        }
    }
}

/// Answers timed before [`Registry::round_trip`] tells: the first ones also
/// open their connection (TCP, TLS: a round trip or two more each), and a
/// Bearer registry's first three are a 401, the token and the request again.
pub const ROUND_TRIP_ANSWERS: u64 = 3;

const MAX_ATTEMPTS: u32 = 5;
/// Attempts when the server did not answer in time: a silent server costs two
/// response timeouts, not five.
pub(super) const MAX_TIMEOUT_ATTEMPTS: u32 = 2;
/// Attempts when the connection itself cannot be made (refused, unreachable).
const MAX_CONNECT_ATTEMPTS: u32 = 3;
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// One registry, reached with one HTTP client for the whole run.
pub struct Registry {
    name: String,
    base: Url,
    http: reqwest::Client,
    credentials: Option<Credentials>,
    auth: Mutex<AuthState>,
    retry_base: Duration,
    page_size: usize,
    response_timeout: Duration,
    idle_timeout: Duration,
    lock_dir: Option<std::path::PathBuf>,
    /// The shortest time from sending a request to its answer's headers seen
    /// so far, in microseconds (`u64::MAX`: none yet); see [`Registry::round_trip`].
    round_trip: AtomicU64,
    /// Answers timed into `round_trip`.
    answers: AtomicU64,
    /// The server certificate the TLS verifier last refused.
    refused: Arc<tls::Refused>,
    /// The certificates remembered for this registry, and when they were trusted.
    remembered: Option<(
        Vec<rustls::pki_types::CertificateDer<'static>>,
        Option<String>,
    )>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("name", &self.name)
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// A client for `name` (`host[:port]`).
    pub fn new(
        name: &str,
        options: &ConnectOptions,
        credentials: Option<Credentials>,
    ) -> Result<Registry> {
        let host = if name == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            name
        };
        let scheme = if options.plain_http { "http" } else { "https" };
        let base = Url::parse(&format!("{scheme}://{host}/"))
            .map_err(|err| Error::usage(format!("invalid registry `{name}`: {err}")))?;
        let mut extra = Vec::new();
        for path in &options.ca_certs {
            extra.extend(crate::pki::read(path)?);
        }
        let remembered = match &options.remembered {
            Some(remembered) => Some((
                crate::pki::read(&remembered.path)?,
                remembered.trusted_on.clone(),
            )),
            None => None,
        };
        let (tls_config, refused) = tls::client_config(&extra, options.insecure)?;
        let http = reqwest::Client::builder()
            .http1_only()
            .tls_backend_preconfigured(tls_config)
            .user_agent(USER_AGENT)
            .connect_timeout(options.connect_timeout)
            .pool_max_idle_per_host(32)
            .dns_resolver(Arc::new(Resolver))
            .build()
            .context("cannot set up the HTTP client")?;
        Ok(Registry {
            name: name.to_owned(),
            base,
            http,
            credentials,
            auth: Mutex::new(AuthState::new()),
            retry_base: options.retry_base,
            page_size: options.page_size.max(1),
            response_timeout: options.response_timeout,
            idle_timeout: options.idle_timeout,
            lock_dir: options.lock_dir.clone(),
            round_trip: AtomicU64::new(u64::MAX),
            answers: AtomicU64::new(0),
            refused,
            remembered,
        })
    }

    /// The round trip to this registry: the shortest time from a request to
    /// its answer's headers (on a kept connection, one round trip plus the
    /// registry's own time), once [`ROUND_TRIP_ANSWERS`] answers were timed;
    /// `None` before.
    pub fn round_trip(&self) -> Option<Duration> {
        if self.answers.load(Ordering::Relaxed) < ROUND_TRIP_ANSWERS {
            return None;
        }
        match self.round_trip.load(Ordering::Relaxed) {
            u64::MAX => None,
            micros => Some(Duration::from_micros(micros)),
        }
    }

    /// Record the time one request took to its answer's headers.
    pub(super) fn saw_answer_after(&self, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX - 1);
        self.round_trip.fetch_min(micros, Ordering::Relaxed);
        self.answers.fetch_add(1, Ordering::Relaxed);
    }

    /// The low-speed window for bodies (see [`Pace`]).
    pub(super) fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// Where cross-process lock files live, if anywhere.
    pub(super) fn lock_dir(&self) -> Option<&std::path::Path> {
        self.lock_dir.as_deref()
    }

    /// The registry's name, `host[:port]`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL of an API path such as `v2/<repo>/tags/list`.
    pub(super) fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path)
            .with_context(|| format!("cannot build a URL for `{path}`"))
    }

    /// A kept upload session's location, when it is on this registry's own
    /// origin (scheme, host and port; a relative one resolves against the
    /// registry). A session anywhere else is never continued: the blob would go
    /// there, whatever wrote the journal.
    pub fn own_location(&self, location: &str) -> Option<Url> {
        let url = self.base.join(location).ok()?;
        (url.origin() == self.base.origin()).then_some(url)
    }

    /// Entries asked for per page of `tags/list` and `_catalog`.
    pub(super) fn page_size(&self) -> usize {
        self.page_size
    }

    /// The authentication scheme learned so far.
    pub(super) fn scheme(&self) -> Scheme {
        self.lock_auth().scheme.clone()
    }

    fn lock_auth(&self) -> std::sync::MutexGuard<'_, AuthState> {
        self.auth
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// The shared HTTP client, for building requests passed to [`Registry::send_once`].
    pub(super) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        self.retry_base * 2u32.saturating_pow(attempt.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_locations_on_the_registrys_origin_are_its_own() {
        let registry = Registry::new("r.example:5000", &ConnectOptions::default(), None).unwrap();
        let own = |location: &str| registry.own_location(location).map(|u| u.to_string());
        let session = "https://r.example:5000/v2/a/blobs/uploads/x?_state=y";
        assert_eq!(own(session).as_deref(), Some(session));
        assert_eq!(
            own("/v2/a/blobs/uploads/x?_state=y").as_deref(),
            Some(session)
        );
        for elsewhere in [
            "http://r.example:5000/v2/a/blobs/uploads/x",
            "https://r.example:5001/v2/a/blobs/uploads/x",
            "https://r.example/v2/a/blobs/uploads/x",
            "https://evil.example:5000/v2/a/blobs/uploads/x",
            "//evil.example:5000/v2/a/blobs/uploads/x",
            "https://r.example:5000@evil.example/v2/a/blobs/uploads/x",
        ] {
            assert_eq!(own(elsewhere), None, "{elsewhere}");
        }
    }
}
