//! Probes for diagnosis (`doctor`): what the API root answers, an upload that is
//! started and cancelled, and the delete of a manifest that cannot exist. None
//! of them leaves anything behind on the registry.

use anyhow::Result;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, LOCATION};

use super::auth::Scope;
use super::client::Registry;
use crate::error::{Error, Kind};

/// A digest no manifest has: deleting it tells whether deletion is enabled.
const ZERO_DIGEST: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// What `GET /v2/` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoot {
    /// The HTTP status.
    pub status: u16,
    /// The status says this is a registry (200, or 401 asking for a login).
    pub is_registry: bool,
    /// The registry wants credentials (401).
    pub needs_login: bool,
    /// `Docker-Distribution-API-Version`, when sent.
    pub api_version: Option<String>,
}

/// Whether the registry deletes manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Enabled,
    /// The registry answers 405: deletion is turned off in its configuration.
    Disabled,
}

/// Deletion is turned off on `registry` (HTTP 405): the error, with the fix.
/// `outcome`, when given, says what was therefore not done.
pub fn deletion_disabled(registry: &str, outcome: Option<&str>) -> Error {
    let outcome = outcome.map(|o| format!(": {o}")).unwrap_or_default();
    Error::new(
        Kind::RegistryRefused,
        format!("deletion is disabled on `{registry}` (HTTP 405){outcome}"),
    )
    .on_registry(registry)
    .help("enable it in the registry's configuration: `storage: delete: enabled: true` (or REGISTRY_STORAGE_DELETE_ENABLED=true)")
}

impl Registry {
    /// `GET /v2/` with what this client knows (credentials, if any).
    pub async fn probe_api_root(&self) -> Result<ApiRoot> {
        let url = self.url("v2/")?;
        let response = self
            .send(&Scope::Base, |http| http.get(url.clone()))
            .await?;
        let status = response.status();
        Ok(ApiRoot {
            status: status.as_u16(),
            is_registry: status.is_success() || status == StatusCode::UNAUTHORIZED,
            needs_login: status == StatusCode::UNAUTHORIZED,
            api_version: response
                .headers()
                .get("docker-distribution-api-version")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }

    /// Start an upload in `repository` and cancel it at once. Succeeds when the
    /// registry accepts uploads there; else the error says why.
    pub async fn probe_upload(&self, repository: &str) -> Result<()> {
        let url = self.url(&format!("v2/{repository}/blobs/uploads/"))?;
        let response = self
            .send(&Scope::Push(repository.to_owned()), |http| {
                http.post(url.clone()).header(CONTENT_LENGTH, "0")
            })
            .await?;
        let status = response.status();
        if status == StatusCode::ACCEPTED {
            if let Some(location) = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok())
            {
                self.cancel_upload(repository, &location).await;
            }
            return Ok(());
        }
        let body = self.error_body(response).await;
        Err(self.status_error(status, &body, "a test upload").into())
    }

    /// Delete a manifest that cannot exist in `repository`: 404 (or 202) means
    /// deletion is enabled, 405 that it is disabled.
    pub async fn probe_delete(&self, repository: &str) -> Result<Deletion> {
        let url = self.url(&format!("v2/{repository}/manifests/{ZERO_DIGEST}"))?;
        let response = self
            .send(&Scope::Delete(repository.to_owned()), |http| {
                http.delete(url.clone())
            })
            .await?;
        match response.status() {
            StatusCode::NOT_FOUND | StatusCode::ACCEPTED => Ok(Deletion::Enabled),
            StatusCode::METHOD_NOT_ALLOWED => Ok(Deletion::Disabled),
            status => {
                let body = self.error_body(response).await;
                Err(self.status_error(status, &body, "a test delete").into())
            }
        }
    }
}
