//! Listing a subject's referrers: the referrers API when the registry has it
//! (asked once per repository and run, remembered), else the fallback tag's
//! image index, checked before it is used.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

use anyhow::Result;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LINK};
use serde_json::Value;
use url::Url;

use super::{Listed, Referrer, Via, fallback_tag, index};
use crate::error::{Error, Kind};
use crate::registry::api::next_link;
use crate::registry::auth::Scope;
use crate::registry::client::{Registry, registry_codes};
use crate::registry::limits;
use crate::registry::manifest::{self, Manifest, OCI_INDEX};

/// Whether (registry, repository) has the referrers API, as learned this run.
static API: LazyLock<Mutex<HashMap<(String, String), bool>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// What a subject's fallback tag holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fallback {
    /// No such tag.
    Missing,
    /// Something that is not a fallback index of the subject: never used,
    /// written over or deleted.
    Invalid {
        digest: String,
        why: String,
    },
    Valid {
        digest: String,
        entries: Vec<Value>,
    },
}

impl Registry {
    /// The referrers of `subject` (a digest) in `repository`: from the
    /// referrers API (every page), else, when the registry has none (it
    /// answers 404), from the fallback tag's image index. A missing tag, or one
    /// holding anything but an OCI image index other than the subject, means
    /// no referrers (the distribution spec); [`Listed::ignored`] then says why.
    pub async fn referrers(&self, repository: &str, subject: &str) -> Result<Listed> {
        self.listed_digest(subject)?;
        if self.knows_api(repository) != Some(false)
            && let Some(referrers) = self.api_referrers(repository, subject).await?
        {
            return Ok(Listed {
                referrers,
                via: Via::Api,
                index: None,
                ignored: None,
            });
        }
        let tag = fallback_tag(subject);
        Ok(match self.fallback_index(repository, subject).await? {
            Fallback::Missing => Listed {
                referrers: Vec::new(),
                via: Via::Nothing,
                index: None,
                ignored: None,
            },
            Fallback::Invalid { digest, why } => Listed {
                referrers: Vec::new(),
                via: Via::Nothing,
                index: None,
                ignored: Some(format!("tag `{tag}` holds {why} ({digest})")),
            },
            Fallback::Valid { digest, entries } => Listed {
                referrers: entries
                    .iter()
                    .filter_map(index::referrer)
                    .filter(|r| self.listed_digest(&r.digest).is_ok())
                    .collect(),
                via: Via::FallbackTag,
                index: Some(digest),
                ignored: None,
            },
        })
    }

    /// Remember whether `repository` has the referrers API, e.g. after a
    /// manifest PUT answered `OCI-Subject` (it has), so that no request asks.
    pub fn remember_referrers_api(&self, repository: &str, api: bool) {
        let mut known = API.lock().unwrap_or_else(|e| e.into_inner());
        known.insert((self.name().to_owned(), repository.to_owned()), api);
    }

    /// Whether `repository` has the referrers API, if learned this run (by a
    /// listing, a write, or [`Registry::remember_referrers_api`]). Without
    /// it, a subject whose fallback tag is not in the repository's tag list
    /// has no referrers: no request needs to ask.
    pub fn knows_api(&self, repository: &str) -> Option<bool> {
        let known = API.lock().unwrap_or_else(|e| e.into_inner());
        known
            .get(&(self.name().to_owned(), repository.to_owned()))
            .copied()
    }

    /// Whether `repository` has the referrers API: learned earlier this run,
    /// else asked with `subject`'s listing.
    pub(super) async fn has_referrers_api(&self, repository: &str, subject: &str) -> Result<bool> {
        match self.knows_api(repository) {
            Some(api) => Ok(api),
            None => Ok(self.api_referrers(repository, subject).await?.is_some()),
        }
    }

    /// Every page of the referrers API's list for `subject`; `None` when the
    /// registry has no such API (a 404 that is not a registry's "repository
    /// unknown": distribution 2.8 answers `404 page not found` as text).
    async fn api_referrers(
        &self,
        repository: &str,
        subject: &str,
    ) -> Result<Option<Vec<Referrer>>> {
        let what = format!("the referrers of `{repository}@{subject}`");
        let mut url = self.url(&format!("v2/{repository}/referrers/{subject}"))?;
        let mut referrers: Vec<Referrer> = Vec::new();
        let mut visited: HashSet<Url> = HashSet::new();
        loop {
            if visited.len() >= limits::MAX_REFERRER_PAGES || !visited.insert(url.clone()) {
                return Err(self.refused(format!(
                    "{what} go on for more than {} pages, or their pages loop",
                    limits::MAX_REFERRER_PAGES
                )));
            }
            let response = self
                .send(&Scope::Pull(repository.to_owned()), |http| {
                    http.get(url.clone()).header(ACCEPT, OCI_INDEX)
                })
                .await?;
            if response.status() == StatusCode::NOT_FOUND && visited.len() == 1 {
                let body = self.error_body(response).await;
                if registry_codes(&body).iter().any(|c| c == "NAME_UNKNOWN") {
                    return Err(self.repository_missing(repository));
                }
                self.remember_referrers_api(repository, false);
                return Ok(None);
            }
            let response = self.check(response, &what).await?;
            let content_type = media_type(response.headers().get(CONTENT_TYPE));
            if content_type != OCI_INDEX {
                return Err(self.refused(format!(
                    "`{}` answered the referrers API for {what} with `{content_type}`, not an image index",
                    self.name()
                )));
            }
            let next = response
                .headers()
                .get(LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_link)
                .and_then(|link| url.join(&link).ok());
            let body = self
                .read_body(response, limits::MAX_MANIFEST_BYTES, &what)
                .await?;
            self.remember_referrers_api(repository, true);
            let page: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let Some(entries) = page.get("manifests").and_then(Value::as_array) else {
                return Err(self.refused(format!(
                    "`{}` sent a page of {what} that is not an image index",
                    self.name()
                )));
            };
            for entry in entries {
                let referrer = index::referrer(entry).ok_or_else(|| {
                    self.refused(format!(
                        "`{}` lists an invalid entry in {what}",
                        self.name()
                    ))
                })?;
                self.listed_digest(&referrer.digest)?;
                if !referrers.iter().any(|r| r.digest == referrer.digest) {
                    referrers.push(referrer);
                }
            }
            if referrers.len() > limits::MAX_REFERRERS {
                return Err(self.refused(format!(
                    "{what} are more than the {} aseecr reads",
                    limits::MAX_REFERRERS
                )));
            }
            match next {
                Some(next) => url = next,
                None => return Ok(Some(referrers)),
            }
        }
    }

    /// What `subject`'s fallback tag holds, asked past any cache in between.
    /// Sends the full Accept list: without it distribution 2.8 answers 404 for
    /// an OCI index, which would read as "no referrers".
    pub(super) async fn fallback_index(&self, repository: &str, subject: &str) -> Result<Fallback> {
        let tag = fallback_tag(subject);
        let url = self.url(&format!("v2/{repository}/manifests/{tag}"))?;
        let response = self
            .send(&Scope::Pull(repository.to_owned()), |http| {
                http.get(url.clone())
                    .header(ACCEPT, manifest::ACCEPT)
                    .header(CACHE_CONTROL, "no-cache")
            })
            .await?;
        if response.status() == StatusCode::NOT_FOUND {
            let body = self.error_body(response).await;
            if registry_codes(&body).iter().any(|c| c == "NAME_UNKNOWN") {
                return Err(self.repository_missing(repository));
            }
            return Ok(Fallback::Missing);
        }
        let what = format!("the fallback index `{repository}:{tag}`");
        let response = self.check(response, &what).await?;
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = self
            .read_body(response, limits::MAX_MANIFEST_BYTES, &what)
            .await?;
        let manifest = Manifest::new(bytes, content_type.as_deref());
        Ok(
            match index::validate(
                &manifest.media_type,
                &manifest.digest,
                &manifest.bytes,
                subject,
            ) {
                Ok(entries) => Fallback::Valid {
                    digest: manifest.digest,
                    entries,
                },
                Err(why) => Fallback::Invalid {
                    digest: manifest.digest,
                    why,
                },
            },
        )
    }

    /// A referrers answer aseecr does not use (beyond its limits, or not
    /// what the spec says).
    pub(super) fn refused(&self, message: String) -> anyhow::Error {
        Error::new(Kind::RegistryRefused, message)
            .on_registry(self.name())
            .help(format!(
                "`{}`, or a proxy in front of it, answers the referrers API against the distribution spec or beyond aseecr's limits: report it to its operator",
                self.name()
            ))
            .into()
    }

    fn repository_missing(&self, repository: &str) -> anyhow::Error {
        Error::new(
            Kind::RepositoryNotFound,
            format!("repository `{repository}` not found on `{}`", self.name()),
        )
        .on_registry(self.name())
        .into()
    }
}

/// A Content-Type header without its parameters.
fn media_type(header: Option<&reqwest::header::HeaderValue>) -> String {
    let text = header.and_then(|v| v.to_str().ok()).unwrap_or("");
    text.split(';').next().unwrap_or("").trim().to_owned()
}
