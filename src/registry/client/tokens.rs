//! Answering a registry's challenges: Basic, or a Bearer token from its token
//! service (with the credentials only where they may go), and the login check.

use anyhow::{Context, Result};
use reqwest::header::{AUTHORIZATION, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{RequestBuilder, Response, StatusCode};
use url::Url;

use super::Registry;
use super::transport::Try;
use crate::error::{Error, Kind};
use crate::registry::auth::{self, Scheme, Scope};
use crate::registry::limits;
use crate::secret::Credentials;

/// One token to ask for: where, for which service and scope, with which
/// credentials (none: an anonymous token).
struct TokenRequest<'a> {
    realm: &'a Url,
    /// The realm with the service and scope in its query (for GET).
    url: &'a Url,
    service: Option<&'a str>,
    scope: &'a Scope,
    credentials: Option<&'a Credentials>,
}

impl Registry {
    /// Learn from a 401 challenge; true when the request should be sent again.
    pub(super) async fn answer_challenge(
        &self,
        response: &Response,
        scope: &Scope,
    ) -> Result<bool> {
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
        let token_request = TokenRequest {
            realm,
            url: &url,
            service,
            scope,
            credentials,
        };
        let response = self.ask_token_service(&token_request).await?;
        let status = response.status();
        if !status.is_success() {
            return Err(self.token_refused(status).into());
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

    /// Send the token request under the retry rule of every request (see
    /// [`Registry::try_once`]); the answer may still be an error status.
    async fn ask_token_service(&self, token: &TokenRequest<'_>) -> Result<Response> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = self
                .token_request(token)?
                .build()
                .context("cannot build the token request")?;
            match self.try_once(request, attempt).await? {
                Try::Again(wait) => tokio::time::sleep(wait).await,
                Try::Answered(response) => return Ok(response),
            }
        }
    }

    /// The request for a token: an identity token is an OAuth refresh token,
    /// POSTed as docker sends it; a password goes as Basic on a GET.
    fn token_request(&self, token: &TokenRequest<'_>) -> Result<RequestBuilder> {
        Ok(match token.credentials {
            Some(credentials) if credentials.is_identity_token() => {
                let mut form = vec![
                    ("grant_type", "refresh_token"),
                    ("refresh_token", credentials.password.expose()),
                    ("client_id", "aseecr"),
                ];
                if let Some(service) = token.service {
                    form.push(("service", service));
                }
                let scope_value = token.scope.token_scope();
                if let Some(scope) = scope_value.as_deref() {
                    form.push(("scope", scope));
                }
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form)
                    .finish();
                self.http
                    .post(token.realm.clone())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
            }
            Some(credentials) => {
                let mut value = HeaderValue::from_str(auth::basic_header(credentials).expose())
                    .map_err(|_| {
                        Error::usage("the credentials hold characters HTTP cannot carry")
                    })?;
                value.set_sensitive(true);
                self.http
                    .get(token.url.clone())
                    .header(AUTHORIZATION, value)
            }
            None => self.http.get(token.url.clone()),
        })
    }

    /// The error for a token service that answered `status`, not a token.
    fn token_refused(&self, status: StatusCode) -> Error {
        let name = &self.name;
        if status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN {
            return Error::new(
                Kind::Auth,
                format!("the token service of `{name}` answered {status}"),
            )
            .on_registry(name);
        }
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
        error.on_registry(name)
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
