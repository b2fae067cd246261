//! The wire types of `verify`: each requirement checked, the signature that
//! satisfied it and those that did not.

use serde::Serialize;

use super::*;

/// `aseecr verify`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    /// The reference as given.
    pub reference: String,
    /// The digest it resolved to (what was verified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// `verified`, `unverified` (audit), `skipped` (level skip) or `failed`.
    pub status: Status,
    /// Whether every requirement holds (`unverified` and `skipped` are not
    /// failures, and not verified either).
    pub verified: bool,
    /// One per requirement: the key, then the trust policy.
    pub checks: Vec<VerifyCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// One requirement of `verify`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyCheck {
    /// `key` or `policy`.
    pub by: &'static str,
    pub status: Status,
    /// `by: key`: the key file and its `SHA256:<hex>` id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// `by: policy`: the policy file, the statement that applies, its level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// `strict`, `permissive`, `audit`, `skip`; for a key always `strict`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<&'static str>,
    /// The signature that verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<VerifiedSignature>,
    /// Why it failed, was only audited, or skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The signatures looked at that did not verify.
    pub rejected: Vec<RejectedSignature>,
}

/// The signature that satisfied a requirement.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedSignature {
    /// `cosign-tag`, `sigstore-bundle`, `notary-jws`, `notary-cose`.
    pub envelope: &'static str,
    /// The digest of the signature's manifest (referrer or `.sig` tag).
    pub manifest: String,
    /// The digest of the blob holding the envelope or payload.
    pub blob: String,
    /// Who signed: `key SHA256:<hex>`, or the signing certificate's subject.
    pub identity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Checks that failed and are only logged at this level.
    pub logged: Vec<LoggedCheck>,
}

/// A check logged, not enforced.
#[derive(Debug, Serialize)]
pub struct LoggedCheck {
    pub check: &'static str,
    pub reason: String,
}

/// A signature that did not verify.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedSignature {
    pub envelope: &'static str,
    pub manifest: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub blob: String,
    /// `bad-signature`, `wrong-subject`, `malformed`, `untrusted-chain`, ...
    pub failure: &'static str,
    pub message: String,
}

/// How a copied image was verified at its source, before the copy (`mirror`
/// and `sync` items, when a requirement covers the image).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageVerification {
    /// The source digest checked (an index's own digest for a
    /// multi-platform image).
    pub digest: String,
    /// `verified`, `unverified` (audit: copied and reported), `skipped`
    /// (level skip) or `failed` (not copied).
    pub status: Status,
    /// Who signed, and in which envelope: the first requirement that a
    /// signature satisfied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<&'static str>,
    /// One per requirement, as `aseecr verify` reports them.
    pub checks: Vec<VerifyCheck>,
}
