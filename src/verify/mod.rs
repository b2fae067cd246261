//! Verification of an image's signatures before it is trusted: notation's trust
//! policy (`trustpolicy.json`, version 1.0, read unchanged) and trust store
//! (notation's directory layout), cosign signatures checked with a public key,
//! and the outcome every verifier returns.
//!
//! `policy` reads and validates the trust policy and picks the statement that
//! applies to a repository; `store` reads the named stores a statement uses;
//! `cosign` verifies cosign's signatures (the `.sig` tag's simple signing
//! payload, the sigstore bundle stored as a referrer) with a key. Notary Project
//! envelopes (JWS, COSE) are verified by `notary::verify`, which takes a
//! [`store::TrustStore`] and a [`policy::PolicyStatement`] and returns
//! [`Verified`] or [`VerifyError`]:
//!
//! ```text
//! pub fn verify(envelope: &[u8], media_type: &str, subject: &Descriptor,
//!               store: &TrustStore, policy: &PolicyStatement)
//!     -> Result<Verified, VerifyError>
//! ```
//!
//! (`Descriptor` is `crate::registry::manifest::Descriptor`.) It is called
//! only for a statement whose level is not `skip`, with the store loaded for
//! that statement; it applies the statement's `actions` itself (a failed check
//! whose action is `Log` goes into `Verified::logged`, one that is `Enforce`
//! is the `VerifyError`).

pub mod cosign;
pub mod notary;
pub mod policy;
pub mod source;
pub mod store;

pub use source::Source;

// What the Notary Project verifier (verify::notary) takes.
#[allow(unused_imports)]
pub use policy::{Action, Check, Level, PolicyStatement, TrustPolicy};
#[allow(unused_imports)]
pub use store::{StoreRef, StoreType, TrustStore};

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::Value;

use crate::error::Kind;
use crate::fsutil::Limit;
use crate::registry::manifest::{Descriptor, Manifest};
use crate::registry::referrers::fallback_tag;
use crate::settings::Settings;

/// The Notary Project envelope media types (`blobs[0].mediaType` of a
/// signature manifest whose `artifactType` is [`NOTARY_SIGNATURE`]).
pub const JWS: &str = "application/jose+json";
pub const COSE: &str = "application/cose";
/// The `artifactType` of a Notary Project signature manifest.
pub const NOTARY_SIGNATURE: &str = "application/vnd.cncf.notary.signature";

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// A trust policy file (`--verify-policy`): notation's are a few KiB.
pub const TRUST_POLICY: Limit = Limit {
    what: "trust policy",
    max: MIB,
    kind: crate::error::Kind::Usage,
    help: "a trust policy (notation's trustpolicy.json) is a few KiB; check that this is the file",
};
/// One certificate file in a trust store.
pub const STORE_CERTIFICATE: Limit = Limit {
    what: "trust store certificate",
    max: MIB,
    kind: crate::error::Kind::Usage,
    help: "a trust store holds root certificates (PEM or DER), a few KiB each; move other files out of the named store",
};
/// A cosign public key file (`--verify-key`).
pub const PUBLIC_KEY: Limit = Limit {
    what: "public key",
    max: 64 * KIB,
    kind: crate::error::Kind::Usage,
    help: "a cosign public key is a PEM file of a few hundred bytes (`cosign generate-key-pair` writes cosign.pub)",
};
/// The most statements a trust policy may hold.
pub const MAX_STATEMENTS: usize = 1000;
/// The most registry scopes or trusted identities one statement may hold.
pub const MAX_ENTRIES: usize = 1000;
/// The most files read from one named store (each at most [`STORE_CERTIFICATE`]).
pub const MAX_STORE_FILES: usize = 256;
/// The most certificates one named store may hold in all.
pub const MAX_STORE_CERTIFICATES: usize = 1000;
/// The largest signature envelope, payload or bundle read from a registry.
pub const MAX_SIGNATURE_BLOB: u64 = 4 * MIB;
/// The most signatures of one image looked at (referrers and `.sig` layers).
pub const MAX_SIGNATURES: usize = 64;

/// Which kind of signature was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeKind {
    /// A Notary Project JWS envelope (`application/jose+json`).
    NotaryJws,
    /// A Notary Project COSE envelope (`application/cose`).
    NotaryCose,
    /// A layer of cosign's `sha256-<hex>.sig` tag (simple signing payload).
    CosignTag,
    /// A sigstore bundle stored as a referrer (cosign 3).
    SigstoreBundle,
}

impl EnvelopeKind {
    /// The name in JSON output (`verification.envelope`); never renamed.
    pub fn name(self) -> &'static str {
        match self {
            EnvelopeKind::NotaryJws => "notary-jws",
            EnvelopeKind::NotaryCose => "notary-cose",
            EnvelopeKind::CosignTag => "cosign-tag",
            EnvelopeKind::SigstoreBundle => "sigstore-bundle",
        }
    }
}

/// Where a signature was found: what kind, and the digest of the manifest
/// (referrer or `.sig` tag) that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub kind: EnvelopeKind,
    /// The digest of the signature's manifest (a referrer, or the `.sig` tag's).
    pub manifest: String,
    /// The digest of the blob holding the envelope (or payload) inside it.
    pub blob: String,
}

/// A signature that verified: by whom, and what was only logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Who signed: for Notary Project the signing certificate's subject
    /// (RFC 4514 order as notation prints it), for cosign `key SHA256:<hex>`
    /// (the key's SubjectPublicKeyInfo digest).
    pub identity: String,
    /// For Notary Project, the time the signature is trusted at: the RFC 3161
    /// timestamp's `genTime` when one was verified (RFC 3339), else none.
    pub timestamp: Option<String>,
    /// Checks that failed but whose action is [`Action::Log`] at this level
    /// (e.g. authenticity under `audit`): said in the report, not a failure.
    pub logged: Vec<Logged>,
}

/// A check that failed and was only logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub check: Check,
    pub reason: String,
}

/// Why a signature did not verify, as data (decisions are made on `failure`,
/// never on `message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    pub failure: Failure,
    /// One line, for the user: what did not hold.
    pub message: String,
}

impl VerifyError {
    pub fn new(failure: Failure, message: impl Into<String>) -> Self {
        VerifyError {
            failure,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VerifyError {}

/// What failed in a verification (some variants are the Notary Project
/// verifier's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The envelope or payload cannot be parsed, or is over a limit.
    Malformed,
    /// The signature does not verify with the key or certificate (tampered,
    /// another key).
    BadSignature,
    /// The signed payload names another digest, size or media type than the
    /// subject.
    WrongSubject,
    /// The certificate chain leads to no root in the policy's trust stores.
    UntrustedChain,
    /// The signing certificate's subject is none of the trusted identities.
    UntrustedIdentity,
    /// A certificate (or the signature's expiry) is out of its validity.
    Expired,
    /// The timestamp countersignature is missing or does not verify.
    Timestamp,
    /// An algorithm, envelope, signing scheme or critical attribute aseecr does
    /// not support.
    Unsupported,
}

impl Failure {
    /// The name in JSON output (`verification.failure`); never renamed.
    pub fn name(self) -> &'static str {
        match self {
            Failure::Malformed => "malformed",
            Failure::BadSignature => "bad-signature",
            Failure::WrongSubject => "wrong-subject",
            Failure::UntrustedChain => "untrusted-chain",
            Failure::UntrustedIdentity => "untrusted-identity",
            Failure::Expired => "expired",
            Failure::Timestamp => "timestamp",
            Failure::Unsupported => "unsupported",
        }
    }
}

/// What an image must satisfy: a cosign key's signature, the trust policy's
/// statement for its repository, or both.
#[derive(Debug, Clone)]
pub struct Requirements {
    /// `--verify-key`.
    pub key: Option<cosign::PublicKey>,
    /// The trust policy and the file it came from.
    pub policy: Option<(TrustPolicy, PathBuf)>,
    /// The trust store folder the policy's named stores are read from.
    pub trust_store: PathBuf,
}

impl Requirements {
    /// The requirements a command applies, built the same way by every
    /// command: `--verify-key` (a cosign public key), the trust policy
    /// (`--verify-policy`, else `verify-policy` in aseecr's configuration,
    /// else `verify/trustpolicy.json` in its configuration folder when it
    /// exists) and the trust store folder its named stores are read from
    /// (`--trust-store`, else the configured or default one). Each file is
    /// read and checked here, before any request. `None` when nothing is
    /// asked: no key and no policy.
    pub fn load(
        key: Option<&Path>,
        policy: Option<&Path>,
        trust_store: Option<&Path>,
        settings: &Settings,
    ) -> Result<Option<Requirements>> {
        let key = key.map(cosign::PublicKey::load).transpose()?;
        let policy = match settings.verify_policy(policy) {
            Some((file, _origin)) => Some((TrustPolicy::load(&file)?, file)),
            None => None,
        };
        if key.is_none() && policy.is_none() {
            return Ok(None);
        }
        Ok(Some(Requirements {
            key,
            policy,
            trust_store: settings.trust_store(trust_store),
        }))
    }
}

/// How one requirement came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A signature verified.
    Verified {
        envelope: Envelope,
        verified: Verified,
    },
    /// The statement's level is `skip`: nothing verified, nothing required.
    Skipped,
    /// Under `audit`: nothing verified, which is reported and not enforced.
    Audited { reason: String },
    /// The requirement does not hold.
    Failed { kind: Kind, reason: String },
}

/// The report of one requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub by: By,
    pub outcome: Outcome,
    /// Every signature looked at that did not verify, with why.
    pub rejected: Vec<(Envelope, VerifyError)>,
}

impl CheckReport {
    /// The first signature that did not verify and why, as ` (KIND MANIFEST:
    /// WHY)` for an error message, or nothing when none was rejected.
    pub fn first_rejection(&self) -> String {
        self.rejected
            .first()
            .map(|(envelope, err)| {
                format!(
                    " ({} {}: {})",
                    envelope.kind.name(),
                    envelope.manifest,
                    err.message
                )
            })
            .unwrap_or_default()
    }
}

/// Which requirement a report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    Key {
        file: PathBuf,
        key_id: String,
    },
    Policy {
        file: PathBuf,
        /// The statement that applies, if any.
        statement: Option<String>,
        level: Option<Level>,
    },
}

/// The signatures an image carries, read once for every requirement.
struct Found {
    /// Referrers (manifest digest, artifact type), at most [`MAX_SIGNATURES`]
    /// of the kinds verified here.
    notary: Vec<String>,
    bundles: Vec<String>,
    /// The `.sig` tag's manifest, when there is one.
    cosign_tag: Option<Manifest>,
}

/// Check `manifest` (the image `source` names) against every requirement,
/// in the order key, policy, with the signatures `source` holds.
pub async fn check_image(
    source: &Source<'_>,
    manifest: &Manifest,
    requirements: &Requirements,
) -> Result<Vec<CheckReport>> {
    let found = find_signatures(source, manifest, requirements.key.is_some()).await?;
    let mut reports = Vec::new();
    if let Some(key) = &requirements.key {
        reports.push(check_key(source, manifest, key, &found).await?);
    }
    if let Some((policy, file)) = &requirements.policy {
        let scope = source.policy_scope();
        let statement = match &scope {
            Some(scope) => policy.statement_for(scope),
            None => policy.global_statement(),
        };
        reports.push(
            check_policy(
                source,
                manifest,
                (statement, file),
                &requirements.trust_store,
                &found,
            )
            .await?,
        );
    }
    Ok(reports)
}

async fn find_signatures(
    source: &Source<'_>,
    manifest: &Manifest,
    cosign_tag: bool,
) -> Result<Found> {
    let listed = source.referrers(&manifest.digest).await?;
    let of_type = |wanted: &dyn Fn(&str) -> bool| {
        listed
            .iter()
            .filter(|r| r.artifact_type.as_deref().is_some_and(wanted))
            .map(|r| r.digest.clone())
            .take(MAX_SIGNATURES)
            .collect::<Vec<_>>()
    };
    let notary = of_type(&|t| t == NOTARY_SIGNATURE);
    let bundles = of_type(&|t| t.starts_with(BUNDLE_PREFIX));
    let cosign_tag = if cosign_tag {
        source.cosign_tag(&manifest.digest).await?
    } else {
        None
    };
    Ok(Found {
        notary,
        bundles,
        cosign_tag,
    })
}

/// The media type prefix of sigstore bundles (`...bundle.v0.3+json`, and the
/// older `...bundle+json;version=0.x`).
const BUNDLE_PREFIX: &str = "application/vnd.dev.sigstore.bundle";

/// A layer of a signature manifest.
struct Layer {
    media_type: String,
    digest: String,
    size: u64,
    /// cosign's `dev.cosignproject.cosign/signature` annotation.
    signature: Option<String>,
}

/// A manifest's layers, at most [`MAX_SIGNATURES`].
fn layers(manifest: &Manifest) -> Result<Vec<Layer>, VerifyError> {
    let value: Value = serde_json::from_slice(&manifest.bytes).map_err(|err| {
        VerifyError::new(
            Failure::Malformed,
            format!("the signature manifest is not JSON: {err}"),
        )
    })?;
    let layers = value
        .get("layers")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            VerifyError::new(Failure::Malformed, "the signature manifest has no layers")
        })?;
    let annotation = format!(
        "/annotations/{}",
        cosign::SIGNATURE_ANNOTATION.replace('/', "~1")
    );
    Ok(layers
        .iter()
        .take(MAX_SIGNATURES)
        .map(|layer| {
            let text = |name: &str| {
                layer
                    .get(name)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            };
            Layer {
                media_type: text("mediaType"),
                digest: text("digest"),
                // A layer without a size is read as over the limit.
                size: layer
                    .get("size")
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX),
                signature: layer
                    .pointer(&annotation)
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            }
        })
        .collect())
}

async fn check_key(
    source: &Source<'_>,
    manifest: &Manifest,
    key: &cosign::PublicKey,
    found: &Found,
) -> Result<CheckReport> {
    let by = By::Key {
        file: key.file.clone(),
        key_id: key.key_id.clone(),
    };
    let mut rejected = Vec::new();
    if let Some(tag) = &found.cosign_tag {
        let envelope = |blob: &str| Envelope {
            kind: EnvelopeKind::CosignTag,
            manifest: tag.digest.clone(),
            blob: blob.to_owned(),
        };
        match layers(tag) {
            Err(err) => rejected.push((envelope(""), err)),
            Ok(layers) => {
                for layer in layers {
                    let Layer {
                        media_type,
                        digest,
                        size,
                        signature,
                    } = layer;
                    if media_type != cosign::SIMPLE_SIGNING {
                        continue;
                    }
                    let outcome = match source.blob(&digest, size).await? {
                        Ok(payload) => cosign::verify_simple_signing(
                            key,
                            &payload,
                            &digest,
                            signature.as_deref(),
                            &manifest.digest,
                        ),
                        Err(err) => Err(err),
                    };
                    match outcome {
                        Ok(verified) => {
                            return Ok(verified_report(by, envelope(&digest), verified, rejected));
                        }
                        Err(err) => rejected.push((envelope(&digest), err)),
                    }
                }
            }
        }
    }
    for referrer in &found.bundles {
        let (envelope, outcome) = bundle_outcome(source, manifest, key, referrer).await?;
        match outcome {
            Ok(verified) => return Ok(verified_report(by, envelope, verified, rejected)),
            Err(err) => rejected.push((envelope, err)),
        }
    }
    let reason = if rejected.is_empty() {
        format!(
            "it carries no cosign signature (no `{}.sig` tag, no sigstore bundle referrer)",
            fallback_tag(&manifest.digest)
        )
    } else {
        format!("no cosign signature verifies with key {}", key.key_id)
    };
    Ok(CheckReport {
        by,
        outcome: Outcome::Failed {
            kind: Kind::Unverified,
            reason,
        },
        rejected,
    })
}

async fn bundle_outcome(
    source: &Source<'_>,
    manifest: &Manifest,
    key: &cosign::PublicKey,
    referrer: &str,
) -> Result<(Envelope, Result<Verified, VerifyError>)> {
    let mut envelope = Envelope {
        kind: EnvelopeKind::SigstoreBundle,
        manifest: referrer.to_owned(),
        blob: String::new(),
    };
    let bundle_manifest = source.manifest(referrer).await?;
    let layer = match layers(&bundle_manifest) {
        Ok(layers) => layers
            .into_iter()
            .find(|layer| layer.media_type.starts_with(BUNDLE_PREFIX)),
        Err(err) => return Ok((envelope, Err(err))),
    };
    let Some(Layer { digest, size, .. }) = layer else {
        let err = VerifyError::new(
            Failure::Malformed,
            "the bundle referrer has no bundle layer",
        );
        return Ok((envelope, Err(err)));
    };
    envelope.blob = digest.clone();
    let outcome = match source.blob(&digest, size).await? {
        Ok(bundle) => cosign::verify_bundle(key, &bundle, &manifest.digest, &manifest.bytes),
        Err(err) => Err(err),
    };
    Ok((envelope, outcome))
}

fn verified_report(
    by: By,
    envelope: Envelope,
    verified: Verified,
    rejected: Vec<(Envelope, VerifyError)>,
) -> CheckReport {
    CheckReport {
        by,
        outcome: Outcome::Verified { envelope, verified },
        rejected,
    }
}

async fn check_policy(
    source: &Source<'_>,
    manifest: &Manifest,
    (statement, file): (Option<&PolicyStatement>, &PathBuf),
    trust_store: &Path,
    found: &Found,
) -> Result<CheckReport> {
    let Some(statement) = statement else {
        return Ok(CheckReport {
            by: By::Policy {
                file: file.clone(),
                statement: None,
                level: None,
            },
            outcome: Outcome::Failed {
                kind: Kind::Unverified,
                reason: match source.policy_scope() {
                    Some(scope) => format!(
                        "no statement of the trust policy applies to `{scope}` (no registry scope names it, and none is \"*\")"
                    ),
                    None => "no statement of the trust policy applies to an image in a layout without a scope (none has the scope \"*\")".to_owned(),
                },
            },
            rejected: Vec::new(),
        });
    };
    let by = By::Policy {
        file: file.clone(),
        statement: Some(statement.name.clone()),
        level: Some(statement.level),
    };
    if statement.level == Level::Skip {
        return Ok(CheckReport {
            by,
            outcome: Outcome::Skipped,
            rejected: Vec::new(),
        });
    }
    let store = TrustStore::load(trust_store, statement)?;
    let mut rejected = Vec::new();
    for referrer in &found.notary {
        let (envelope, outcome) =
            notary_outcome(source, manifest, &store, statement, referrer).await?;
        match outcome {
            Ok(verified) => return Ok(verified_report(by, envelope, verified, rejected)),
            Err(err) => rejected.push((envelope, err)),
        }
    }
    let outcome = if !rejected.is_empty() {
        Outcome::Failed {
            kind: Kind::Unverified,
            reason: format!(
                "no Notary Project signature satisfies statement \"{}\"",
                statement.name
            ),
        }
    } else if statement.level == Level::Audit {
        Outcome::Audited {
            reason: "it carries no Notary Project signature".to_owned(),
        }
    } else {
        Outcome::Failed {
            kind: Kind::Unverified,
            reason: format!(
                "it carries no Notary Project signature, which statement \"{}\" (level {}) requires",
                statement.name,
                statement.level.name()
            ),
        }
    };
    Ok(CheckReport {
        by,
        outcome,
        rejected,
    })
}

async fn notary_outcome(
    source: &Source<'_>,
    manifest: &Manifest,
    store: &TrustStore,
    statement: &PolicyStatement,
    referrer: &str,
) -> Result<(Envelope, Result<Verified, VerifyError>)> {
    let signature = source.manifest(referrer).await?;
    let mut envelope = Envelope {
        kind: EnvelopeKind::NotaryCose,
        manifest: referrer.to_owned(),
        blob: String::new(),
    };
    let layer = match layers(&signature) {
        Ok(layers) => layers.into_iter().next(),
        Err(err) => return Ok((envelope, Err(err))),
    };
    let Some(Layer {
        media_type,
        digest,
        size,
        ..
    }) = layer
    else {
        let err = VerifyError::new(
            Failure::Malformed,
            "the signature manifest has no envelope layer",
        );
        return Ok((envelope, Err(err)));
    };
    envelope.blob = digest.clone();
    envelope.kind = match media_type.as_str() {
        JWS => EnvelopeKind::NotaryJws,
        COSE => EnvelopeKind::NotaryCose,
        other => {
            let err = VerifyError::new(
                Failure::Unsupported,
                format!("the signature envelope's media type {other:?} is neither JWS nor COSE"),
            );
            return Ok((envelope, Err(err)));
        }
    };
    let outcome = match source.blob(&digest, size).await? {
        Ok(bytes) => notary_verify(
            &bytes,
            &media_type,
            &manifest.descriptor(),
            store,
            statement,
        ),
        Err(err) => Err(err),
    };
    Ok((envelope, outcome))
}

/// The Notary Project envelope verifier ([`notary::verify`]).
fn notary_verify(
    envelope: &[u8],
    media_type: &str,
    subject: &Descriptor,
    store: &TrustStore,
    statement: &PolicyStatement,
) -> Result<Verified, VerifyError> {
    notary::verify(envelope, media_type, subject, store, statement)
}
