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

#![allow(dead_code, unused_imports)] // until `aseecr verify` and the Notary Project verifier use all of it

pub mod cosign;
pub mod notary;
pub mod policy;
pub mod store;

pub use policy::{Action, Check, Level, PolicyStatement, TrustPolicy};
pub use store::{StoreRef, StoreType, TrustStore};

use crate::fsutil::Limit;

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

/// What failed in a verification.
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
    /// A Notary Project signature was found, and this build cannot verify it.
    NotaryNotBuilt,
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
            Failure::NotaryNotBuilt => "notary-not-built",
        }
    }
}
