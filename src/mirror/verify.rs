//! Verification at the source, before the push: every image a run's
//! requirements cover (`--verify-key`, `--verify-policy`, a sync file's
//! `verify:`) is checked where it is read from, after its manifest is read and
//! before any request to a destination for it. A refused image fails alone
//! (kind `unverified`, exit 7), with nothing sent anywhere; under `audit` it
//! is copied and reported. Each source image is checked once per run, however
//! many destinations it goes to (a fan-out waits for the one verdict).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use tokio::sync::OnceCell;

use crate::error::{Error, Kind};
use crate::layout::{Layout, Transport};
use crate::registry::copy::Source;
use crate::registry::{Reference, Registry};
use crate::settings::Settings;
use crate::verify::{self, CheckReport, Outcome, Requirements};

/// What a run verifies: every image's requirements, those of some images
/// instead, and the verdicts made so far (shared by every destination).
#[derive(Debug, Default)]
pub struct Verification {
    /// Every image's requirements; `None`: images are not verified unless
    /// `of` names them.
    pub every: Option<Arc<Requirements>>,
    /// Per source image (its reference as written, with its tag): its own
    /// requirements instead (a sync file's `verify:`); `None`: not verified.
    pub of: HashMap<String, Option<Arc<Requirements>>>,
    verdicts: Mutex<HashMap<String, Arc<OnceCell<Verdict>>>>,
}

/// What the verification of one source image came to.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The digest checked (an index's own digest for a multi-platform image).
    pub digest: String,
    /// One report per requirement: the key, then the trust policy.
    pub checks: Vec<CheckReport>,
}

impl Verdict {
    /// The first requirement that does not hold, with the error kind it makes.
    pub fn failure(&self) -> Option<(&CheckReport, Kind, &str)> {
        self.checks.iter().find_map(|check| match &check.outcome {
            Outcome::Failed { kind, reason } => Some((check, *kind, reason.as_str())),
            _ => None,
        })
    }
}

/// The files a command's `--verify-key`, `--verify-policy` and
/// `--trust-store` name, as given.
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyPaths<'a> {
    pub key: Option<&'a Path>,
    pub policy: Option<&'a Path>,
    pub trust_store: Option<&'a Path>,
}

/// Where a source image's signatures are read from.
#[derive(Clone, Copy)]
pub enum Origin<'a> {
    /// Its registry (the source registry's client).
    Registry(&'a Registry),
    /// The OCI layout it is read from (`oci:`, `oci-archive:`).
    Layout(&'a Layout),
    /// Nowhere: a `docker-archive:` (no signatures in it).
    Nowhere,
}

/// The verification of one image, before its copy: the verdict (none when no
/// requirement covers it), and the error that refuses it.
pub struct Gate {
    pub verdict: Option<Verdict>,
    pub refused: Option<anyhow::Error>,
}

impl Verification {
    /// Verify every image with `every` (none: none), but the images `of`
    /// names, with their own.
    pub fn new(
        every: Option<Requirements>,
        of: HashMap<String, Option<Arc<Requirements>>>,
    ) -> Verification {
        Verification {
            every: every.map(Arc::new),
            of,
            verdicts: Mutex::default(),
        }
    }

    /// The requirements that cover source image `source`, if any.
    fn requirements_for(&self, source: &str) -> Option<&Arc<Requirements>> {
        match self.of.get(source) {
            Some(own) => own.as_ref(),
            None => self.every.as_ref(),
        }
    }

    /// Whether any image of the run may be verified.
    pub fn any(&self) -> bool {
        self.every.is_some() || self.of.values().any(Option::is_some)
    }

    /// Check `from`, read through `source`, before its copy, with the
    /// signatures at `origin`. An error reading the signatures fails the
    /// image too: it is not copied unverified.
    pub async fn gate(&self, source: &dyn Source, origin: Origin<'_>, from: &Reference) -> Gate {
        let Some(requirements) = self.requirements_for(&from.to_string()) else {
            return Gate {
                verdict: None,
                refused: None,
            };
        };
        let described = source.describe(from);
        let at = match origin {
            Origin::Registry(registry) => verify::Source::Registry {
                registry,
                reference: from,
            },
            // Only the trust policy's global statement ("*") applies to a
            // layout image, as for `aseecr verify oci:...` without --scope.
            Origin::Layout(layout) if layout.transport() != Transport::DockerArchive => {
                verify::Source::Layout {
                    layout,
                    reference: from,
                    scope: None,
                }
            }
            Origin::Layout(_) | Origin::Nowhere => {
                let err = unverifiable(&described);
                return Gate {
                    verdict: None,
                    refused: Some(err.into()),
                };
            }
        };
        let verdict = self.verdict(source, &at, from, requirements).await;
        match verdict {
            Err(err) => Gate {
                verdict: None,
                refused: Some(err),
            },
            Ok(verdict) => {
                let refused = refusal(&described, &verdict).map(anyhow::Error::from);
                Gate {
                    verdict: Some(verdict),
                    refused,
                }
            }
        }
    }

    /// The verdict on `from`, made once per run: the manifest read through
    /// `source` (the copy reads it from there again, for nothing), its
    /// signatures from `registry`.
    async fn verdict(
        &self,
        source: &dyn Source,
        at: &verify::Source<'_>,
        from: &Reference,
        requirements: &Requirements,
    ) -> Result<Verdict> {
        let cell = self
            .verdicts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(format!("{}/{from}", source.name()))
            .or_default()
            .clone();
        cell.get_or_try_init(|| async {
            let manifest = source.manifest(from).await?;
            let checks = verify::check_image(at, &manifest, requirements)
                .await
                .with_context(|| {
                    format!(
                        "cannot verify `{}`, so it was not copied: its signatures could not be read",
                        source.describe(from)
                    )
                })?;
            Ok::<_, anyhow::Error>(Verdict {
                digest: manifest.digest.clone(),
                checks,
            })
        })
        .await
        .cloned()
    }
}

/// A `docker-archive:` source under a requirement: it holds no signatures,
/// so it is refused rather than copied unverified.
fn unverifiable(described: &str) -> Error {
    Error::new(
        Kind::Unverified,
        format!(
            "`{described}` is not verified: a docker-archive holds no signatures; it was not copied"
        ),
    )
    .help("copy it from its registry, or from an oci-archive written with its signatures (`aseecr mirror REF oci-archive:FILE`); or leave it out of the verified run")
}

/// The error that refuses an image whose verdict has a failed requirement.
fn refusal(described: &str, verdict: &Verdict) -> Option<Error> {
    let (check, kind, reason) = verdict.failure()?;
    let message = format!(
        "`{described}` is not verified: {reason}; nothing was sent to the destination{}",
        check.first_rejection()
    );
    Some(Error::new(kind, message).help(format!(
        "`aseecr verify {described}` with the same --verify-key/--verify-policy lists each signature and why it does not verify; copy only what its publisher signed"
    )))
}

/// The requirements of a copy run, from its flags and the configuration.
/// Copies verify only when asked: `--verify-key`, `--verify-policy` or
/// `--trust-store` given, or `verify-policy` set in the configuration. The
/// default folder's policy alone turns nothing on (a mirror that worked
/// yesterday does not start refusing images); once asked, the requirements
/// are `aseecr verify`'s ([`Requirements::load`]), the default policy included.
pub fn requirements(
    settings: &Settings,
    key: Option<&Path>,
    policy: Option<&Path>,
    trust_store: Option<&Path>,
) -> Result<Option<Requirements>> {
    let asked = key.is_some()
        || policy.is_some()
        || trust_store.is_some()
        || settings.config.verify_policy.is_some();
    if !asked {
        return Ok(None);
    }
    match Requirements::load(key, policy, trust_store, settings)? {
        Some(requirements) => Ok(Some(requirements)),
        None => Err(Error::usage("--trust-store is given, but no trust policy")
            .help("pass --verify-policy trustpolicy.json (notation's) with it, or set one: `aseecr config set verify-policy FILE`")
            .into()),
    }
}
