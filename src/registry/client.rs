//! The HTTP client for one registry: TLS settings, authentication, retries with
//! backoff, and turning failures into one-line errors with the fix.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::{Bytes, BytesMut};
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use reqwest::{RequestBuilder, Response, StatusCode};
use url::Url;

use super::auth::{self, AuthState, Scheme, Scope};
use super::limits::{self, LOW_SPEED_BYTES};
use super::reference::{DOCKER_HUB, DOCKER_HUB_API};
use super::tls;
use crate::error::{Error, Kind};
use crate::secret::Credentials;

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
    /// A body must deliver [`LOW_SPEED_BYTES`] in every window this long, and an
    /// upload fails when the registry takes nothing for this long.
    pub idle_timeout: Duration,
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
        }
    }
}

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
            refused,
            remembered,
        })
    }

    /// The low-speed window for bodies (see [`Pace`]).
    pub(super) fn idle_timeout(&self) -> Duration {
        self.idle_timeout
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

    /// Send a request built by `make`, authenticating as challenged and retrying
    /// connection errors, timeouts, 429 and 5xx with backoff. The response may
    /// still be an error status; see [`Registry::check`].
    pub(super) async fn send(
        &self,
        scope: &Scope,
        make: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Response> {
        let mut attempt = 0;
        let mut answered_challenge = false;
        loop {
            attempt += 1;
            let request = self.authorize(make(&self.http), scope)?;
            let method = request.method().clone();
            let url = request.url().clone();
            let result =
                tokio::time::timeout(self.response_timeout, self.http.execute(request)).await;
            let result = match result {
                Ok(result) => result,
                Err(_) if attempt < MAX_TIMEOUT_ATTEMPTS => {
                    let wait = self.backoff(attempt);
                    tracing::debug!("{method} {url}: no answer in time; retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(_) => return Err(self.no_answer().into()),
            };
            match result {
                Err(err) if attempt < max_attempts(&err) && is_transient(&err) => {
                    let wait = self.backoff(attempt);
                    let reason = last_source(&err);
                    tracing::debug!("{method} {url}: {reason}; retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                Err(err) => return Err(self.connection_error(err)),
                Ok(response) => {
                    let status = response.status();
                    tracing::debug!("{method} {url} -> {}", status.as_u16());
                    if status == StatusCode::UNAUTHORIZED && !answered_challenge {
                        answered_challenge = true;
                        if self.answer_challenge(&response, scope).await? {
                            continue;
                        }
                        return Ok(response);
                    }
                    if is_retryable_status(status) && attempt < MAX_ATTEMPTS {
                        let wait = retry_after(&response).unwrap_or_else(|| self.backoff(attempt));
                        tracing::debug!("{method} {url}: {status}; retrying in {wait:?}");
                        tokio::time::sleep(wait.min(MAX_RETRY_WAIT)).await;
                        continue;
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
        }
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
    pub(super) async fn send_once(
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
                tracing::debug!("{method} {url} -> {}", response.status().as_u16());
                Ok(response)
            }
            Err(err) => Err(self.connection_error(err)),
        }
    }

    /// The error for a request that got no answer within the response timeout.
    fn no_answer(&self) -> Error {
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
    pub(super) async fn read_body(
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
    pub(super) fn stalled(&self, stalled: Stalled, what: &str) -> anyhow::Error {
        let name = &self.name;
        anyhow::Error::new(
            Error::new(
                Kind::Timeout,
                format!("`{name}` stopped sending {what}: {stalled}"),
            )
            .on_registry(name),
        )
    }

    /// The shared HTTP client, for building requests passed to [`Registry::send_once`].
    pub(super) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Learn from a 401 challenge; true when the request should be sent again.
    async fn answer_challenge(&self, response: &Response, scope: &Scope) -> Result<bool> {
        let Some(challenge) = response
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .and_then(auth::parse_challenge)
        else {
            return Ok(false);
        };
        match challenge {
            Scheme::Basic => {
                let mut state = self.lock_auth();
                let retry = state.scheme != Scheme::Basic && self.credentials.is_some();
                state.scheme = Scheme::Basic;
                Ok(retry)
            }
            Scheme::Bearer { realm, service } => {
                // No token yet, or the one we had expired during a long run: get a
                // fresh one (once per request; a second 401 is returned as it is).
                let token = self.fetch_token(&realm, service.as_deref(), scope).await?;
                let mut state = self.lock_auth();
                state.scheme = Scheme::Bearer { realm, service };
                state.store_token(scope, token);
                Ok(true)
            }
            Scheme::Unknown | Scheme::Anonymous => Ok(false),
        }
    }

    /// Whether credentials may go to the token service at `realm`: over HTTPS, or
    /// at the registry's own address; never in clear text to another host.
    fn token_service_gets_credentials(&self, realm: &Url) -> bool {
        realm.scheme() == "https" || realm.origin() == self.base.origin()
    }

    /// Get a Bearer token for `scope`, with the credentials when there are any.
    async fn fetch_token(
        &self,
        realm: &Url,
        service: Option<&str>,
        scope: &Scope,
    ) -> Result<crate::secret::SecretString> {
        let url = auth::token_url(realm, service, scope);
        // Credentials go to a token service over HTTPS, or to the registry's own
        // address; never in clear text to another host.
        let credentials = self
            .credentials
            .as_ref()
            .filter(|_| self.token_service_gets_credentials(realm));
        if self.credentials.is_some() && credentials.is_none() {
            tracing::warn!(
                "not sending credentials to the plain-HTTP token service {}",
                realm.origin().ascii_serialization()
            );
        }
        let mut attempt = 0;
        let response = loop {
            attempt += 1;
            let request = match credentials {
                // An identity token is an OAuth refresh token, as docker sends it.
                Some(credentials) if credentials.is_identity_token() => {
                    let mut form = vec![
                        ("grant_type", "refresh_token"),
                        ("refresh_token", credentials.password.expose()),
                        ("client_id", "aseecr"),
                    ];
                    if let Some(service) = service {
                        form.push(("service", service));
                    }
                    let scope_value = scope.token_scope();
                    if let Some(scope) = scope_value.as_deref() {
                        form.push(("scope", scope));
                    }
                    let body = url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(form)
                        .finish();
                    self.http
                        .post(realm.clone())
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                }
                Some(credentials) => {
                    let mut value = HeaderValue::from_str(auth::basic_header(credentials).expose())
                        .map_err(|_| {
                            Error::usage("the credentials hold characters HTTP cannot carry")
                        })?;
                    value.set_sensitive(true);
                    self.http.get(url.clone()).header(AUTHORIZATION, value)
                }
                None => self.http.get(url.clone()),
            };
            let result = match tokio::time::timeout(self.response_timeout, request.send()).await {
                Ok(result) => result,
                Err(_) if attempt < MAX_TIMEOUT_ATTEMPTS => {
                    tokio::time::sleep(self.backoff(attempt)).await;
                    continue;
                }
                Err(_) => return Err(self.no_answer().into()),
            };
            match result {
                Err(err) if attempt < max_attempts(&err) && is_transient(&err) => {
                    tokio::time::sleep(self.backoff(attempt)).await;
                }
                Err(err) => return Err(self.connection_error(err)),
                Ok(response)
                    if is_retryable_status(response.status()) && attempt < MAX_ATTEMPTS =>
                {
                    tokio::time::sleep(self.backoff(attempt)).await;
                }
                Ok(response) => break response,
            }
        };
        let status = response.status();
        tracing::debug!("GET {} (token) -> {}", url.path(), status.as_u16());
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let name = &self.name;
            let error = if self.credentials.is_some() {
                Error::new(
                    Kind::AuthRejected,
                    format!(
                        "the token service of `{name}` rejected the credentials (HTTP {})",
                        status.as_u16()
                    ),
                )
            } else {
                Error::new(
                    Kind::AuthRequired,
                    format!(
                        "`{name}` requires authentication (its token service answered HTTP {})",
                        status.as_u16()
                    ),
                )
            };
            return Err(error.on_registry(name).into());
        }
        if !status.is_success() {
            return Err(Error::new(
                Kind::Auth,
                format!("the token service of `{}` answered {status}", self.name),
            )
            .on_registry(&self.name)
            .into());
        }
        let body = self
            .read_body(response, limits::MAX_TOKEN_BYTES, "a token answer")
            .await?;
        auth::parse_token(&body).ok_or_else(|| {
            Error::new(
                Kind::Auth,
                format!("the token service of `{}` sent no token", self.name),
            )
            .on_registry(&self.name)
            .into()
        })
    }

    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        self.retry_base * 2u32.saturating_pow(attempt.saturating_sub(1))
    }

    /// Return the response if it is a success, else an error describing it.
    /// `what` names the object, e.g. "manifest `nginx:1.0`".
    pub(super) async fn check(&self, response: Response, what: &str) -> Result<Response> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        // Go's TLS server answers a plain-HTTP request with a bare HTTP/1.0 400
        // that has no headers at all (no registry, no proxy sends that): the
        // registry speaks HTTPS.
        if status == StatusCode::BAD_REQUEST
            && self.base.scheme() == "http"
            && response.version() == reqwest::Version::HTTP_10
            && response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .is_none()
        {
            let name = &self.name;
            return Err(Error::new(
                Kind::TlsRequired,
                format!(
                    "`{name}` answered HTTP 400 to a plain-HTTP request for {what}: it speaks HTTPS"
                ),
            )
            .on_registry(name)
            .into());
        }
        let body = self.error_body(response).await;
        Err(self.status_error(status, &body, what).into())
    }

    /// An error answer's body, for its message: empty when it is larger than
    /// [`limits::MAX_ERROR_BODY_BYTES`], stalls or breaks off (the status alone
    /// then says what failed).
    pub(super) async fn error_body(&self, response: Response) -> Bytes {
        match self
            .read_body(response, limits::MAX_ERROR_BODY_BYTES, "an error answer")
            .await
        {
            Ok(body) => body,
            Err(err) => {
                tracing::debug!("ignoring the error body: {err:#}");
                Bytes::new()
            }
        }
    }

    /// The user-facing error for an error status. It names the registry; the
    /// commands add the advice.
    pub(super) fn status_error(&self, status: StatusCode, body: &[u8], what: &str) -> Error {
        let detail = registry_message(body);
        let suffix = detail.map(|d| format!(": {d}")).unwrap_or_default();
        let name = &self.name;
        let error = match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                let mut err = self.auth_error(status);
                err.message = format!("{}{suffix}", err.message);
                err
            }
            StatusCode::NOT_FOUND => {
                Error::not_found(format!("{what} not found on `{name}`{suffix}"))
            }
            StatusCode::METHOD_NOT_ALLOWED => Error::new(
                Kind::RegistryRefused,
                format!("`{name}` does not allow this operation on {what} (HTTP 405){suffix}"),
            ),
            StatusCode::TOO_MANY_REQUESTS => Error::new(
                Kind::RateLimited,
                format!("`{name}` is rate limiting requests (HTTP 429){suffix}"),
            ),
            _ if status.is_server_error() => Error::new(
                Kind::RegistryRefused,
                format!("`{name}` answered {status} for {what}{suffix}"),
            )
            .help("the registry failed on its side: check its log and its free disk space (a full disk fails uploads so), then run again"),
            _ => Error::new(
                Kind::RegistryRefused,
                format!("`{name}` answered {status} for {what}{suffix}"),
            ),
        };
        error.on_registry(name)
    }

    fn auth_error(&self, status: StatusCode) -> Error {
        let name = &self.name;
        let error = if status == StatusCode::FORBIDDEN {
            Error::new(
                Kind::AuthDenied,
                format!("`{name}` denied access (HTTP 403)"),
            )
        } else if self.credentials.is_some() && matches!(self.scheme(), Scheme::Bearer { .. }) {
            // The token service accepted the credentials (or the fetch would have
            // failed first); the token it granted does not cover this operation.
            Error::new(
                Kind::AuthDenied,
                format!("`{name}` refused the access its token service granted (HTTP 401)"),
            )
        } else if self.credentials.is_some() {
            Error::new(
                Kind::AuthRejected,
                format!("`{name}` rejected the credentials (HTTP 401)"),
            )
        } else {
            Error::new(
                Kind::AuthRequired,
                format!("`{name}` requires authentication (HTTP 401)"),
            )
        };
        error.on_registry(name)
    }

    /// Turn a transport failure into an error of the right kind, decided on the
    /// typed sources (our resolver's error, io::ErrorKind, rustls errors, reqwest's
    /// own flags), never on message text.
    fn connection_error(&self, err: reqwest::Error) -> anyhow::Error {
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

    /// Fail unless the registry accepts our credentials (or needs none): `GET /v2/`,
    /// and for a Bearer registry, a token request with the credentials. A token
    /// service the credentials may not be sent to (plain HTTP on another host)
    /// fails too: an anonymous token proves nothing about them.
    pub async fn check_login(&self) -> Result<()> {
        let url = self.url("v2/")?;
        let response = self
            .send(&Scope::Base, |http| http.get(url.clone()))
            .await?;
        if let Scheme::Bearer { realm, .. } = self.scheme()
            && self.credentials.is_some()
            && !self.token_service_gets_credentials(&realm)
        {
            let name = &self.name;
            return Err(Error::new(
                Kind::Auth,
                format!(
                    "the token service of `{name}` is `{}`, plain HTTP on another host: the credentials were not sent to it, so they could not be checked",
                    realm.origin().ascii_serialization()
                ),
            )
            .help("the registry's token service must use HTTPS (or the registry's own address)")
            .on_registry(name)
            .into());
        }
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        if status == StatusCode::UNAUTHORIZED
            && let Scheme::Bearer { realm, service } = self.scheme()
        {
            // Bearer registries may answer /v2/ with 401 even with a token; the
            // token service accepting the credentials is what docker checks.
            self.fetch_token(&realm, service.as_deref(), &Scope::Base)
                .await?;
            return Ok(());
        }
        self.check(response, "the API root `/v2/`")
            .await
            .map(|_| ())
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

/// When a streamed upload body last made progress (see [`Registry::send_once`]).
#[derive(Debug)]
pub(super) struct Activity(Mutex<tokio::time::Instant>);

impl Activity {
    pub(super) fn new() -> Activity {
        Activity(Mutex::new(tokio::time::Instant::now()))
    }

    /// Bytes moved just now.
    pub(super) fn touch(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = tokio::time::Instant::now();
    }

    fn last(&self) -> tokio::time::Instant {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A body that fell below [`LOW_SPEED_BYTES`] in one window.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stalled {
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
pub(super) struct Pace {
    window: Duration,
    start: tokio::time::Instant,
    bytes: u64,
}

impl Pace {
    pub(super) fn new(window: Duration) -> Pace {
        Pace {
            window,
            start: tokio::time::Instant::now(),
            bytes: 0,
        }
    }

    /// Wait for `next` (the next chunk), failing when a window ends short.
    pub(super) async fn wait<F: std::future::Future>(
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
    pub(super) fn record(&mut self, bytes: usize) -> Result<(), Stalled> {
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
struct Resolver;

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

/// The `(code, message)` entries of a registry JSON error body
/// (`{"errors":[{"code","message","detail"}]}`).
fn registry_errors(body: &[u8]) -> Vec<(Option<String>, Option<String>)> {
    #[derive(serde::Deserialize)]
    struct Body {
        errors: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        code: Option<String>,
        message: Option<String>,
    }
    serde_json::from_slice::<Body>(body)
        .map(|b| b.errors.into_iter().map(|e| (e.code, e.message)).collect())
        .unwrap_or_default()
}

/// The message of a registry JSON error body, on one line.
pub(super) fn registry_message(body: &[u8]) -> Option<String> {
    let parts: Vec<String> = registry_errors(body)
        .into_iter()
        .filter_map(|entry| match entry {
            (Some(code), Some(message)) => Some(format!("{code}: {message}")),
            (Some(code), None) => Some(code),
            (None, Some(message)) => Some(message),
            (None, None) => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The registry error codes of an error body, e.g. `MANIFEST_UNKNOWN`.
pub(super) fn registry_codes(body: &[u8]) -> Vec<String> {
    registry_errors(body)
        .into_iter()
        .filter_map(|(code, _)| code)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_errors_become_one_line() {
        let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}"#;
        assert_eq!(
            registry_message(body).as_deref(),
            Some("MANIFEST_UNKNOWN: manifest unknown")
        );
        assert_eq!(registry_codes(body), vec!["MANIFEST_UNKNOWN"]);
        assert_eq!(registry_message(b"<html>"), None);
    }
}
