//! Sending requests to one registry: authorization attached for its own
//! address only, retries with backoff, deadlines for answers, the low-speed
//! rule for bodies, bounded body reads, and transport failures typed into the
//! crate's error kinds.

use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::{Bytes, BytesMut};
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, StatusCode};

use super::{MAX_ATTEMPTS, MAX_CONNECT_ATTEMPTS, MAX_RETRY_WAIT, MAX_TIMEOUT_ATTEMPTS, Registry};
use crate::error::{Error, Kind};
use crate::registry::auth::{Scheme, Scope};
use crate::registry::limits::{self, LOW_SPEED_BYTES};
use crate::registry::tls;

impl Registry {
    /// Send a request built by `make`, authenticating as challenged and retrying
    /// connection errors, timeouts, 429 and 5xx with backoff. The response may
    /// still be an error status; see [`Registry::check`].
    pub(in crate::registry) async fn send(
        &self,
        scope: &Scope,
        make: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Response> {
        let mut attempt = 0;
        let mut answered_challenge = false;
        loop {
            attempt += 1;
            let request = self.authorize(make(&self.http), scope)?;
            let response = match self.try_once(request, attempt).await? {
                Try::Again(wait) => {
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Try::Answered(response) => response,
            };
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !answered_challenge {
                answered_challenge = true;
                if self.answer_challenge(&response, scope).await? {
                    continue;
                }
                return Ok(response);
            }
            if status.is_success() {
                let mut auth = self.lock_auth();
                if auth.scheme == Scheme::Unknown && self.credentials.is_none() {
                    auth.scheme = Scheme::Anonymous;
                }
            }
            return Ok(response);
        }
    }

    /// One try of a request under the retry rule every retried request follows
    /// (registry and token service alike): no answer within the response
    /// timeout is tried [`MAX_TIMEOUT_ATTEMPTS`] times, a connection that fails
    /// on the way up to [`max_attempts`], and 429 and 5xx answers up to
    /// [`MAX_ATTEMPTS`], waiting as their Retry-After says (at most
    /// [`MAX_RETRY_WAIT`]), else with backoff. Returns the answer (of any
    /// status), or the wait before the next try.
    pub(super) async fn try_once(&self, request: reqwest::Request, attempt: u32) -> Result<Try> {
        let method = request.method().clone();
        let url = request.url().clone();
        let started = tokio::time::Instant::now();
        let result = tokio::time::timeout(self.response_timeout, self.http.execute(request)).await;
        let result = match result {
            Ok(Ok(response)) => {
                self.saw_answer_after(started.elapsed());
                Ok(response)
            }
            Ok(result) => result,
            Err(_) if attempt < MAX_TIMEOUT_ATTEMPTS => {
                let wait = self.backoff(attempt);
                tracing::debug!("{method} {url}: no answer in time; retrying in {wait:?}");
                return Ok(Try::Again(wait));
            }
            Err(_) => return Err(self.no_answer().into()),
        };
        let response = match result {
            Err(err) if attempt < max_attempts(&err) && is_transient(&err) => {
                let wait = self.backoff(attempt);
                let reason = last_source(&err);
                tracing::debug!("{method} {url}: {reason}; retrying in {wait:?}");
                return Ok(Try::Again(wait));
            }
            Err(err) => return Err(self.connection_error(err)),
            Ok(response) => response,
        };
        let status = response.status();
        tracing::debug!("{method} {url} -> {}", status.as_u16());
        if is_retryable_status(status) && attempt < MAX_ATTEMPTS {
            let wait = retry_after(&response).unwrap_or_else(|| self.backoff(attempt));
            tracing::debug!("{method} {url}: {status}; retrying in {wait:?}");
            return Ok(Try::Again(wait.min(MAX_RETRY_WAIT)));
        }
        Ok(Try::Answered(response))
    }

    /// Build the request and add the Authorization header known for `scope`,
    /// marked sensitive, but only when the request goes to this registry itself:
    /// an upload Location or a pagination Link naming another host or scheme
    /// never receives the credentials.
    fn authorize(&self, request: RequestBuilder, scope: &Scope) -> Result<reqwest::Request> {
        let mut request = request.build().context("cannot build the request")?;
        if request.url().origin() != self.base.origin() {
            tracing::debug!(
                "not sending credentials to {}: not the registry's own address",
                request.url().origin().ascii_serialization()
            );
            return Ok(request);
        }
        let header = self.lock_auth().header(scope, self.credentials.as_ref());
        if let Some(header) = header {
            let mut value = HeaderValue::from_str(header.expose())
                .map_err(|_| Error::usage("the credentials hold characters HTTP cannot carry"))?;
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        Ok(request)
    }

    /// Send a request exactly once (its body cannot be sent again), with the
    /// authorization already learned for `scope`. No retries: the caller restarts.
    ///
    /// Without `activity` the response must come within the response timeout.
    /// With it (a streamed upload, whose response comes only after the whole
    /// body) the request fails when the body makes no progress for the longer of
    /// the response and idle timeouts: a registry that stops taking bytes, or
    /// never answers after the last one.
    pub(in crate::registry) async fn send_once(
        &self,
        scope: &Scope,
        request: RequestBuilder,
        activity: Option<&Activity>,
    ) -> Result<Response> {
        let request = self.authorize(request, scope)?;
        let method = request.method().clone();
        let url = request.url().clone();
        let started = tokio::time::Instant::now();
        let quiet_limit = self.response_timeout.max(self.idle_timeout);
        let execute = self.http.execute(request);
        tokio::pin!(execute);
        let result = loop {
            let deadline = match activity {
                Some(activity) => activity.last() + quiet_limit,
                None => started + self.response_timeout,
            };
            match tokio::time::timeout_at(deadline, &mut execute).await {
                Ok(result) => break result,
                // Progress since the deadline was set: wait on.
                Err(_) if activity.is_some_and(|a| a.last() + quiet_limit > deadline) => {}
                Err(_) => return Err(self.no_answer().into()),
            }
        };
        match result {
            Ok(response) => {
                if activity.is_none() {
                    self.saw_answer_after(started.elapsed());
                }
                tracing::debug!("{method} {url} -> {}", response.status().as_u16());
                Ok(response)
            }
            Err(err) => Err(self.connection_error(err)),
        }
    }

    /// The error for a request that got no answer within the response timeout.
    pub(super) fn no_answer(&self) -> Error {
        let name = &self.name;
        Error::new(
            Kind::Timeout,
            format!(
                "`{name}` did not answer in time (nothing within {})",
                limits::seconds(self.response_timeout)
            ),
        )
        .on_registry(name)
    }

    /// Read a whole body into memory: at most `cap` bytes (a Content-Length or a
    /// body beyond it fails at once, never read), and at least [`LOW_SPEED_BYTES`]
    /// every idle timeout. `what` names the object, e.g. "the manifest of `x`".
    pub(in crate::registry) async fn read_body(
        &self,
        mut response: Response,
        cap: usize,
        what: &str,
    ) -> Result<Bytes> {
        let too_large = || {
            anyhow::Error::new(
                Error::new(
                    Kind::RegistryRefused,
                    format!(
                        "`{}` sent more than {} for {what}, more than aseecr reads",
                        self.name,
                        limits::human(cap)
                    ),
                )
                .on_registry(&self.name),
            )
        };
        if response.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large());
        }
        let mut body = BytesMut::new();
        let mut pace = Pace::new(self.idle_timeout);
        loop {
            let chunk = pace
                .wait(response.chunk())
                .await
                .map_err(|stalled| self.stalled(stalled, what))?
                .with_context(|| format!("cannot read {what} from `{}`", self.name))?;
            let Some(chunk) = chunk else {
                return Ok(body.freeze());
            };
            if body.len() + chunk.len() > cap {
                return Err(too_large());
            }
            pace.record(chunk.len())
                .map_err(|stalled| self.stalled(stalled, what))?;
            body.extend_from_slice(&chunk);
        }
    }

    /// The error for a body that stalled or trickled.
    pub(in crate::registry) fn stalled(&self, stalled: Stalled, what: &str) -> anyhow::Error {
        let name = &self.name;
        anyhow::Error::new(
            Error::new(
                Kind::Timeout,
                format!("`{name}` stopped sending {what}: {stalled}"),
            )
            .on_registry(name),
        )
    }

    /// Turn a transport failure into an error of the right kind, decided on the
    /// typed sources (our resolver's error, io::ErrorKind, rustls errors, reqwest's
    /// own flags), never on message text.
    pub(super) fn connection_error(&self, err: reqwest::Error) -> anyhow::Error {
        let name = &self.name;
        let error = if let Some(tls_err) = find_source::<rustls::Error>(&err) {
            if matches!(tls_err, rustls::Error::InvalidMessage(_)) {
                Error::new(
                    Kind::NotTls,
                    format!("`{name}` did not answer with TLS on this port: {tls_err}"),
                )
            } else {
                let described = tls::describe(tls_err, name);
                let changed = match (&self.remembered, self.refused.get()) {
                    (Some((certs, trusted_on)), Some(presented))
                        if described.kind == Kind::TlsUntrusted =>
                    {
                        tls::changed(name, &presented, certs, trusted_on.as_deref())
                    }
                    _ => None,
                };
                changed.unwrap_or(described)
            }
        } else if let Some(dns) = find_source::<DnsError>(&err) {
            Error::new(
                Kind::Dns,
                format!("the registry host `{}` does not resolve", dns.host),
            )
        } else if err.is_timeout() {
            Error::new(Kind::Timeout, format!("`{name}` did not answer in time"))
        } else if find_io_kind(&err) == Some(std::io::ErrorKind::ConnectionRefused) {
            Error::new(
                Kind::Refused,
                format!("cannot connect to `{name}`: connection refused"),
            )
        } else if err.is_connect() {
            Error::new(
                Kind::Connect,
                format!("cannot connect to `{name}`: {}", last_source(&err)),
            )
        } else {
            Error::new(
                Kind::Connect,
                format!("the connection to `{name}` failed: {}", last_source(&err)),
            )
        };
        anyhow::Error::new(error.on_registry(name))
    }
}

fn max_attempts(err: &reqwest::Error) -> u32 {
    if err.is_connect() {
        MAX_CONNECT_ATTEMPTS
    } else if err.is_timeout() {
        MAX_TIMEOUT_ATTEMPTS
    } else {
        MAX_ATTEMPTS
    }
}

/// How one try of a retried request ended (see [`Registry::try_once`]).
pub(super) enum Try {
    /// An answer, of any status.
    Answered(Response),
    /// Worth another try after this wait.
    Again(Duration),
}

/// When a streamed upload body last made progress (see [`Registry::send_once`]).
#[derive(Debug)]
pub(in crate::registry) struct Activity(Mutex<tokio::time::Instant>);

impl Activity {
    pub(in crate::registry) fn new() -> Activity {
        Activity(Mutex::new(tokio::time::Instant::now()))
    }

    /// Bytes moved just now.
    pub(in crate::registry) fn touch(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = tokio::time::Instant::now();
    }

    fn last(&self) -> tokio::time::Instant {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A body that fell below [`LOW_SPEED_BYTES`] in one window.
#[derive(Debug, Clone, Copy)]
pub(in crate::registry) struct Stalled {
    window: Duration,
    bytes: u64,
}

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} bytes in {}, less than the {LOW_SPEED_BYTES} bytes required (the idle timeout)",
            self.bytes,
            limits::seconds(self.window)
        )
    }
}

/// The low-speed rule for bodies: every window of the idle timeout must bring at
/// least [`LOW_SPEED_BYTES`]. A body that stops, or sends a byte now and then,
/// fails within two windows.
pub(in crate::registry) struct Pace {
    window: Duration,
    start: tokio::time::Instant,
    bytes: u64,
}

impl Pace {
    pub(in crate::registry) fn new(window: Duration) -> Pace {
        Pace {
            window,
            start: tokio::time::Instant::now(),
            bytes: 0,
        }
    }

    /// Wait for `next` (the next chunk), failing when a window ends short.
    pub(in crate::registry) async fn wait<F: std::future::Future>(
        &mut self,
        next: F,
    ) -> Result<F::Output, Stalled> {
        tokio::pin!(next);
        loop {
            match tokio::time::timeout_at(self.start + self.window, &mut next).await {
                Ok(output) => return Ok(output),
                Err(_) => self.end_window()?,
            }
        }
    }

    /// Count a chunk; fails when it closes a window that brought too little.
    pub(in crate::registry) fn record(&mut self, bytes: usize) -> Result<(), Stalled> {
        self.bytes += bytes as u64;
        if tokio::time::Instant::now() >= self.start + self.window {
            self.end_window()?;
        }
        Ok(())
    }

    fn end_window(&mut self) -> Result<(), Stalled> {
        if self.bytes < LOW_SPEED_BYTES {
            return Err(Stalled {
                window: self.window,
                bytes: self.bytes,
            });
        }
        self.start = tokio::time::Instant::now();
        self.bytes = 0;
        Ok(())
    }
}

fn is_transient(err: &reqwest::Error) -> bool {
    if find_source::<rustls::Error>(err).is_some() || find_source::<DnsError>(err).is_some() {
        return false;
    }
    err.is_timeout() || err.is_connect() || err.is_request() || err.is_body()
}

/// A host name that does not resolve, as our resolver reports it: found again
/// by type in the error chain, whatever language the OS words it in.
#[derive(Debug)]
struct DnsError {
    host: String,
    source: std::io::Error,
}

impl std::fmt::Display for DnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot resolve `{}`", self.host)
    }
}

impl std::error::Error for DnsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The system resolver (getaddrinfo, which reads the hosts file), with failures
/// typed as [`DnsError`].
pub(super) struct Resolver;

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.clone(), 0)).await;
            match found {
                Ok(addresses) => {
                    let addresses: Vec<std::net::SocketAddr> = addresses.collect();
                    if addresses.is_empty() {
                        let source =
                            std::io::Error::new(std::io::ErrorKind::NotFound, "no addresses found");
                        return Err(Box::new(DnsError { host, source }) as _);
                    }
                    Ok(Box::new(addresses.into_iter()) as reqwest::dns::Addrs)
                }
                Err(source) => Err(Box::new(DnsError { host, source }) as _),
            }
        })
    }
}

/// The kind of the first io::Error in the chain, if any.
fn find_io_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref()
                && let Some(kind) = find_io_kind(inner)
            {
                return Some(kind);
            }
            return Some(io.kind());
        }
        current = e.source();
    }
    None
}

fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::BAD_GATEWAY
        || status == StatusCode::SERVICE_UNAVAILABLE
        || status == StatusCode::GATEWAY_TIMEOUT
        || status == StatusCode::INTERNAL_SERVER_ERROR
}

fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn find_source<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    if let Some(found) = err.downcast_ref::<T>() {
        return Some(found);
    }
    // io::Error's source() skips the error it wraps, so look inside it.
    if let Some(io) = err.downcast_ref::<std::io::Error>()
        && let Some(inner) = io.get_ref()
        && let Some(found) = find_source::<T>(inner)
    {
        return Some(found);
    }
    err.source().and_then(find_source::<T>)
}

fn last_source(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}
