//! What a registry's error answers mean: the crate's error for a status, with
//! the registry's own message on one line, and its error codes.

use anyhow::Result;
use bytes::Bytes;
use reqwest::{Response, StatusCode};

use super::Registry;
use crate::error::{Error, Kind};
use crate::registry::auth::Scheme;
use crate::registry::limits;

impl Registry {
    /// Return the response if it is a success, else an error describing it.
    /// `what` names the object, e.g. "manifest `nginx:1.0`".
    pub(in crate::registry) async fn check(
        &self,
        response: Response,
        what: &str,
    ) -> Result<Response> {
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

    /// The error for an answer that is not the one expected: what its status
    /// means, or, for a success of another kind, that it was unexpected.
    pub(in crate::registry) async fn unexpected(
        &self,
        response: Response,
        what: &str,
    ) -> anyhow::Error {
        match self.check(response, what).await {
            Err(err) => err,
            Ok(_) => anyhow::anyhow!("unexpected answer to {what}"),
        }
    }

    /// An error answer's body, for its message: empty when it is larger than
    /// [`limits::MAX_ERROR_BODY_BYTES`], stalls or breaks off (the status alone
    /// then says what failed).
    pub(in crate::registry) async fn error_body(&self, response: Response) -> Bytes {
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
    pub(in crate::registry) fn status_error(
        &self,
        status: StatusCode,
        body: &[u8],
        what: &str,
    ) -> Error {
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
pub(in crate::registry) fn registry_message(body: &[u8]) -> Option<String> {
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
pub(in crate::registry) fn registry_codes(body: &[u8]) -> Vec<String> {
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
