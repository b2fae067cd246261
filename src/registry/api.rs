//! Registry API calls on top of the client: manifests (HEAD, GET, DELETE), tags
//! and catalog with pagination, and small blobs.

use std::collections::HashSet;

use anyhow::{Context, Result};
use bytes::Bytes;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LINK};
use reqwest::{Method, Response, StatusCode};
use url::Url;

use super::auth::Scope;
use super::client::{Registry, registry_codes};
use super::limits;
use super::manifest::{self, Descriptor, Manifest};
use super::reference::{self, Reference};
use crate::error::{Error, Kind};

/// The header in which a registry states a manifest's or blob's digest; a claim
/// to check against the bytes, never a digest to use unchecked.
const DOCKER_CONTENT_DIGEST: &str = "docker-content-digest";

/// How a manifest DELETE ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Yes,
    /// The registry says the manifest does not exist.
    NotFound,
    /// The registry has deletion turned off (HTTP 405).
    Disabled,
}

impl Registry {
    /// Resolve a reference to its descriptor: a GET of the manifest, whose bytes
    /// give the digest (see [`Registry::manifest`]). A HEAD would cost the same
    /// one request but leave only the registry's word for the digest, which
    /// `digest` prints and `delete` deletes; manifests are small (capped at
    /// [`limits::MAX_MANIFEST_BYTES`]), so the bytes are read and hashed instead.
    pub async fn resolve(&self, reference: &Reference) -> Result<Descriptor> {
        Ok(self.manifest(reference).await?.descriptor())
    }

    /// Whether the registry has `reference`'s manifest: one HEAD, a 404 (image
    /// or repository unknown) is `false`, any other failure an error.
    pub async fn manifest_exists(&self, reference: &Reference) -> Result<bool> {
        let url = self.manifest_url(reference)?;
        let response = self.head_manifest(&reference.repository, url).await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(false);
        }
        self.check(response, &format!("image `{reference}`"))
            .await?;
        Ok(true)
    }

    /// Fetch a manifest (full Accept list), at most [`limits::MAX_MANIFEST_BYTES`].
    /// Its digest is computed from the bytes; when fetched by digest the bytes must
    /// hash to that digest, and a `Docker-Content-Digest` header that names another
    /// digest is an integrity error, not a digest to use.
    pub async fn manifest(&self, reference: &Reference) -> Result<Manifest> {
        let response = self.manifest_request(Method::GET, reference).await?;
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let claimed = response
            .headers()
            .get(DOCKER_CONTENT_DIGEST)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned());
        let bytes = self
            .read_body(
                response,
                limits::MAX_MANIFEST_BYTES,
                &format!("the manifest of `{reference}`"),
            )
            .await?;
        let manifest = Manifest::new(bytes, content_type.as_deref());
        let name = self.name();
        if let Some(expected) = &reference.digest
            && !manifest::matches_digest(expected, &manifest.bytes)
        {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "the manifest `{reference}` sent by `{name}` has digest {}, not the one asked for",
                    manifest.digest
                ),
            )
            .on_registry(name)
            .into());
        }
        if let Some(claimed) = claimed.filter(|c| !c.is_empty())
            && !manifest::matches_digest(&claimed, &manifest.bytes)
        {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "`{name}` says the manifest of `{reference}` is {claimed}, but its bytes hash to {}: digest mismatch",
                    manifest.digest
                ),
            )
            .on_registry(name)
            .into());
        }
        Ok(manifest)
    }

    /// Delete a manifest by digest. The registry removes every tag on it.
    /// [`Deleted::Yes`] and [`Deleted::NotFound`] are checked, not believed:
    /// one HEAD by digest after the answer must find the manifest gone
    /// (distribution deletes before it answers), else the error is
    /// [`Kind::NotDeleted`].
    pub async fn delete_manifest(&self, repository: &str, digest: &str) -> Result<Deleted> {
        let url = self.url(&format!("v2/{repository}/manifests/{digest}"))?;
        let response = self
            .send(&Scope::Delete(repository.to_owned()), |http| {
                http.request(Method::DELETE, url.clone())
            })
            .await?;
        match response.status() {
            status if status.is_success() => {
                self.confirm_deleted(repository, digest, status).await?;
                Ok(Deleted::Yes)
            }
            StatusCode::NOT_FOUND => {
                self.confirm_deleted(repository, digest, StatusCode::NOT_FOUND)
                    .await?;
                Ok(Deleted::NotFound)
            }
            StatusCode::METHOD_NOT_ALLOWED => Ok(Deleted::Disabled),
            _ => {
                let what = format!("manifest `{}/{repository}@{digest}`", self.name());
                self.check(response, &what).await.map(|_| Deleted::Yes)
            }
        }
    }

    /// Prove that the manifest `digest` the registry said it deleted or did not
    /// have (answering `status` to its DELETE) is gone: a HEAD by digest must
    /// answer 404. Asked past any cache in between (`Cache-Control: no-cache`).
    async fn confirm_deleted(
        &self,
        repository: &str,
        digest: &str,
        status: StatusCode,
    ) -> Result<()> {
        let url = self.url(&format!("v2/{repository}/manifests/{digest}"))?;
        let response = self.head_manifest(repository, url).await?;
        let name = self.name();
        let what = format!("`{name}/{repository}@{digest}`");
        match response.status() {
            StatusCode::NOT_FOUND => Ok(()),
            still if still.is_success() => Err(Error::new(
                Kind::NotDeleted,
                format!("`{name}` answered {status} to the DELETE of {what} but still serves it"),
            )
            .on_registry(name)
            .help("the registry did not delete it: check its log and its storage (read-only, full), and any proxy or cache in front of it that answers DELETE itself")
            .into()),
            _ => self
                .check(response, &format!("the deleted manifest {what}"))
                .await
                .map(|_| ()),
        }
    }

    /// A HEAD of a manifest URL with the full Accept list, asked past any cache in
    /// between (`Cache-Control: no-cache`): whether it is there, as the registry
    /// itself says.
    async fn head_manifest(&self, repository: &str, url: Url) -> Result<Response> {
        self.send(&Scope::Pull(repository.to_owned()), |http| {
            http.head(url.clone())
                .header(ACCEPT, manifest::ACCEPT)
                .header(CACHE_CONTROL, "no-cache")
        })
        .await
    }

    /// Every tag of a repository, following pagination. An empty repository has none.
    pub async fn tags(&self, repository: &str) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Page {
            tags: Option<Vec<String>>,
        }
        let first = self.url(&format!("v2/{repository}/tags/list"))?;
        let what = format!("repository `{}/{repository}`", self.name());
        self.paginate(first, Scope::Pull(repository.to_owned()), &what, |body| {
            serde_json::from_slice::<Page>(body).map(|page| page.tags.unwrap_or_default())
        })
        .await
        .map_err(|err| match err.downcast::<Error>() {
            Ok(error) if error.kind == Kind::NotFound => Error::new(
                Kind::RepositoryNotFound,
                format!("repository `{repository}` not found on `{}`", self.name()),
            )
            .on_registry(self.name())
            .into(),
            Ok(error) => error.into(),
            Err(err) => err,
        })
    }

    /// Whether the repository exists (its tag list answers, even empty).
    async fn repository_exists(&self, repository: &str) -> Result<bool> {
        let mut url = self.url(&format!("v2/{repository}/tags/list"))?;
        url.query_pairs_mut().append_pair("n", "1");
        let response = self
            .send(&Scope::Pull(repository.to_owned()), |http| {
                http.get(url.clone())
            })
            .await?;
        Ok(response.status() != StatusCode::NOT_FOUND)
    }

    /// Every repository of the registry, following pagination.
    pub async fn catalog(&self) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Page {
            repositories: Option<Vec<String>>,
        }
        let first = self.url("v2/_catalog")?;
        let what = format!("the catalog of `{}`", self.name());
        self.paginate(first, Scope::Catalog, &what, |body| {
            serde_json::from_slice::<Page>(body).map(|page| page.repositories.unwrap_or_default())
        })
        .await
    }

    /// Follow `Link: <...>; rel="next"`, and `n`/`last` for registries that fill a
    /// page without sending a Link. Bounded: each page at most
    /// [`limits::MAX_PAGE_BYTES`], at most [`limits::MAX_PAGES`] pages and
    /// [`limits::MAX_LIST_ENTRIES`] names, and a Link back to a page already read
    /// or a linked page that adds nothing new is an error rather than a loop (a
    /// list cut short would let `delete` miss a tag).
    async fn paginate(
        &self,
        first: Url,
        scope: Scope,
        what: &str,
        parse: impl Fn(&[u8]) -> serde_json::Result<Vec<String>>,
    ) -> Result<Vec<String>> {
        let n = self.page_size();
        let mut url = first.clone();
        url.query_pairs_mut().append_pair("n", &n.to_string());
        let mut all: Vec<String> = Vec::new();
        let mut known: HashSet<String> = HashSet::new();
        let mut visited: HashSet<Url> = HashSet::new();
        let refuse = |message: String| {
            anyhow::Error::new(Error::new(Kind::RegistryRefused, message).on_registry(self.name()))
        };
        loop {
            if visited.len() >= limits::MAX_PAGES {
                return Err(refuse(format!(
                    "{what} goes on for more than {} pages",
                    limits::MAX_PAGES
                )));
            }
            if !visited.insert(url.clone()) {
                return Err(refuse(format!(
                    "the pages of {what} loop: the registry links back to `{}`",
                    url.path()
                )));
            }
            let response = self.send(&scope, |http| http.get(url.clone())).await?;
            if response.status() == StatusCode::NOT_FOUND {
                let body = self.error_body(response).await;
                let codes = registry_codes(&body);
                return Err(Error::not_found(format!(
                    "{what} not found{}",
                    if codes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", codes.join(", "))
                    }
                ))
                .into());
            }
            let response = self.check(response, what).await?;
            let next = response
                .headers()
                .get(LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_link)
                .and_then(|link| url.join(&link).ok());
            let body = self
                .read_body(
                    response,
                    limits::MAX_PAGE_BYTES,
                    &format!("a page of {what}"),
                )
                .await?;
            let page = parse(&body)
                .with_context(|| format!("the registry sent an invalid page of {what}"))?;
            let full_page = page.len() >= n;
            let last = page.last().cloned();
            let before = all.len();
            for item in page {
                if known.insert(item.clone()) {
                    all.push(item);
                }
            }
            if all.len() > limits::MAX_LIST_ENTRIES {
                return Err(refuse(format!(
                    "{what} has more than {} entries",
                    limits::MAX_LIST_ENTRIES
                )));
            }
            let progressed = all.len() > before;
            url = match (next, last) {
                (Some(_), _) if !progressed => {
                    return Err(refuse(format!(
                        "the registry sent a page of {what} with nothing new, and a link to another"
                    )));
                }
                (Some(next), _) => next,
                (None, Some(last)) if full_page && progressed => {
                    let mut next = first.clone();
                    next.query_pairs_mut()
                        .append_pair("n", &n.to_string())
                        .append_pair("last", &last);
                    next
                }
                _ => return Ok(all),
            };
        }
    }

    /// Fetch a small blob (such as an image config) into memory, at most
    /// [`limits::MAX_SMALL_BLOB_BYTES`], checking its digest.
    pub async fn blob_bytes(&self, repository: &str, digest: &str) -> Result<Bytes> {
        let what = format!("blob `{digest}` in `{repository}`");
        let digest = self.listed_digest(digest)?;
        let url = self.url(&format!("v2/{repository}/blobs/{digest}"))?;
        let response = self
            .send(&Scope::Pull(repository.to_owned()), |http| {
                http.get(url.clone())
            })
            .await?;
        let response = self.check(response, &what).await?;
        let bytes = self
            .read_body(response, limits::MAX_SMALL_BLOB_BYTES, &what)
            .await?;
        if !manifest::matches_digest(digest, &bytes) {
            return Err(
                Error::new(Kind::Integrity, format!("{what} does not match its digest")).into(),
            );
        }
        Ok(bytes)
    }

    /// A digest read from a manifest, before it goes into a URL: `sha256:` or
    /// `sha512:` and hex, as references allow; anything else is the registry's
    /// content being invalid.
    pub(super) fn listed_digest<'a>(&self, digest: &'a str) -> Result<&'a str> {
        reference::validate_digest(digest).map_err(|problem| {
            anyhow::Error::new(
                Error::new(
                    Kind::Integrity,
                    format!("`{}` lists an invalid digest: {problem}", self.name()),
                )
                .on_registry(self.name()),
            )
        })?;
        Ok(digest)
    }

    /// A manifest request with the full Accept list; not found and other errors
    /// become user errors.
    async fn manifest_request(&self, method: Method, reference: &Reference) -> Result<Response> {
        let url = self.manifest_url(reference)?;
        let response = self
            .send(&Scope::Pull(reference.repository.clone()), |http| {
                http.request(method.clone(), url.clone())
                    .header(ACCEPT, manifest::ACCEPT)
            })
            .await?;
        if response.status() == StatusCode::NOT_FOUND {
            // Distribution answers MANIFEST_UNKNOWN for a repository that does not
            // exist too (and a HEAD has no body): on this failure path only, one
            // request for the repository's tags tells the two apart. The body is
            // read as every error body is: capped and paced, else dropped.
            let body = self.error_body(response).await;
            let repository_missing = registry_codes(&body).iter().any(|c| c == "NAME_UNKNOWN")
                || !self.repository_exists(&reference.repository).await?;
            return Err(not_found(reference, repository_missing).into());
        }
        self.check(response, &format!("image `{reference}`")).await
    }

    fn manifest_url(&self, reference: &Reference) -> Result<Url> {
        if let Some(digest) = &reference.digest {
            self.listed_digest(digest)?;
        }
        self.url(&format!(
            "v2/{}/manifests/{}",
            reference.repository,
            reference.manifest_reference()
        ))
    }
}

fn not_found(reference: &Reference, repository_missing: bool) -> Error {
    if repository_missing {
        return Error::new(
            Kind::RepositoryNotFound,
            format!(
                "repository `{}` not found on `{}`",
                reference.repository, reference.registry
            ),
        )
        .on_registry(&reference.registry);
    }
    let what = match (&reference.digest, reference.tag_or_default()) {
        (Some(_), _) => "image",
        (None, Some(_)) => "tag",
        (None, None) => "image",
    };
    Error::not_found(format!("{what} `{reference}` not found"))
        .on_registry(&reference.registry)
        .on_repository(reference.repository_name())
}

/// The target of `rel="next"` in a Link header.
pub(super) fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_next_link() {
        assert_eq!(
            next_link(r#"</v2/_catalog?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/_catalog?last=b&n=2")
        );
        assert_eq!(
            next_link(r#"<https://a/x>; rel="prev", <https://a/y>; rel="next""#).as_deref(),
            Some("https://a/y")
        );
        assert_eq!(next_link(r#"<https://a/x>; rel="prev""#), None);
    }
}
