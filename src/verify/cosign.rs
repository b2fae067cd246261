//! cosign signatures verified with a public key, offline (no transparency log):
//!
//! - the legacy `sha256-<hex>.sig` tag: each layer a simple signing payload
//!   (`application/vnd.dev.cosign.simplesigning.v1+json`) whose signature is
//!   the layer's `dev.cosignproject.cosign/signature` annotation (base64,
//!   ASN.1 ECDSA over the payload bytes); the payload must hash to the layer's
//!   digest and name the subject in `critical.image.docker-manifest-digest`;
//! - cosign 3's sigstore bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`)
//!   stored as a referrer: a DSSE envelope (an in-toto statement whose
//!   `subject` names the image's digest, signed over the DSSE pre-authentication
//!   encoding) or a message signature (over the image manifest, whose digest
//!   the bundle's `messageDigest` must be).
//!
//! Keys: ECDSA P-256 public keys in PEM (`PUBLIC KEY`), as `cosign
//! generate-key-pair` writes them; signatures ASN.1 DER with SHA-256.

use std::path::{Path, PathBuf};

use anyhow::Result;
use base64::Engine;
use ring::signature::{ECDSA_P256_SHA256_ASN1, UnparsedPublicKey};
use rustls_pki_types::SubjectPublicKeyInfoDer;
use rustls_pki_types::pem::PemObject;
use serde_json::Value;
use sha2::{Digest, Sha256};
use x509_parser::oid_registry::{OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY};
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::error::Error;
use crate::fsutil::{self, ShowPath};

use super::{Failure, PUBLIC_KEY, Verified, VerifyError};

/// The media type of a `.sig` tag's layers.
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// The layer annotation holding the signature (base64).
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// `critical.type` of a simple signing payload.
const SIMPLE_SIGNING_TYPE: &str = "cosign container image signature";
/// The DSSE payload type of an in-toto statement.
const IN_TOTO: &str = "application/vnd.in-toto+json";
/// The most signatures one DSSE envelope may carry.
const MAX_DSSE_SIGNATURES: usize = 16;

/// A cosign public key: ECDSA P-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The file it was read from.
    pub file: PathBuf,
    /// `SHA256:<hex>` of the key's SubjectPublicKeyInfo (DER): names the key
    /// in reports.
    pub key_id: String,
    /// The uncompressed EC point.
    point: Vec<u8>,
}

/// The `help:` for a key file that is not one aseecr verifies with.
const KEY_HELP: &str = "pass the public key (cosign.pub, `-----BEGIN PUBLIC KEY-----`), an ECDSA P-256 key as `cosign generate-key-pair` writes it";

impl PublicKey {
    /// Read the key at `path` (`--verify-key`).
    pub fn load(path: &Path) -> Result<PublicKey> {
        let bytes = fsutil::read_file(path, &PUBLIC_KEY)?;
        let mut key = PublicKey::parse(&bytes).map_err(|problem| {
            Error::usage(format!("public key `{}` {problem}", path.shown())).help(KEY_HELP)
        })?;
        key.file = path.to_owned();
        Ok(key)
    }

    /// Parse a PEM public key; the error completes "public key FILE ...".
    pub fn parse(bytes: &[u8]) -> Result<PublicKey, String> {
        let text = String::from_utf8_lossy(bytes);
        if text.contains("PRIVATE KEY-----") {
            return Err("is a private key; verification needs the public key only".to_owned());
        }
        let spki = SubjectPublicKeyInfoDer::from_pem_slice(bytes)
            .map_err(|_| "holds no PEM `PUBLIC KEY` block".to_owned())?;
        let (_, info) = SubjectPublicKeyInfo::from_der(spki.as_ref())
            .map_err(|err| format!("is not a valid public key: {err}"))?;
        let curve = info
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok());
        if info.algorithm.algorithm != OID_KEY_TYPE_EC_PUBLIC_KEY || curve != Some(OID_EC_P256) {
            return Err(format!(
                "is not an ECDSA P-256 key (algorithm {}); aseecr verifies cosign's ECDSA P-256 keys",
                info.algorithm.algorithm
            ));
        }
        Ok(PublicKey {
            file: PathBuf::new(),
            key_id: format!("SHA256:{}", hex::encode(Sha256::digest(spki.as_ref()))),
            point: info.subject_public_key.data.to_vec(),
        })
    }

    /// Whether `signature` (ASN.1 DER) signs `message` with this key.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &self.point)
            .verify(message, signature)
            .is_ok()
    }

    fn verified(&self) -> Verified {
        Verified {
            identity: format!("key {}", self.key_id),
            timestamp: None,
            logged: Vec::new(),
        }
    }
}

fn fail(failure: Failure, message: impl Into<String>) -> VerifyError {
    VerifyError::new(failure, message)
}

/// Standard base64, else URL-safe (DSSE allows both), padded or not.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// Verify one layer of a `.sig` tag: `payload` is the layer's blob (already
/// read, at most the limit), `layer_digest` its descriptor's digest,
/// `signature` its `dev.cosignproject.cosign/signature` annotation, `subject`
/// the image's digest.
pub fn verify_simple_signing(
    key: &PublicKey,
    payload: &[u8],
    layer_digest: &str,
    signature: Option<&str>,
    subject: &str,
) -> Result<Verified, VerifyError> {
    if format!("sha256:{}", hex::encode(Sha256::digest(payload))) != layer_digest {
        return Err(fail(
            Failure::Malformed,
            format!("the payload does not match its layer's digest {layer_digest}"),
        ));
    }
    let signature = signature.ok_or_else(|| {
        fail(
            Failure::Malformed,
            format!("the layer has no `{SIGNATURE_ANNOTATION}` annotation"),
        )
    })?;
    let signature = base64_decode(signature)
        .ok_or_else(|| fail(Failure::Malformed, "the signature annotation is not base64"))?;
    if !key.verifies(payload, &signature) {
        return Err(fail(
            Failure::BadSignature,
            format!("the signature does not verify with key {}", key.key_id),
        ));
    }
    let value: Value = serde_json::from_slice(payload).map_err(|err| {
        fail(
            Failure::Malformed,
            format!("the signed payload is not JSON: {err}"),
        )
    })?;
    let kind = value.pointer("/critical/type").and_then(Value::as_str);
    if kind != Some(SIMPLE_SIGNING_TYPE) {
        return Err(fail(
            Failure::Unsupported,
            format!(
                "the signed payload's critical.type is {:?}, not {SIMPLE_SIGNING_TYPE:?}",
                kind.unwrap_or("missing")
            ),
        ));
    }
    let named = value
        .pointer("/critical/image/docker-manifest-digest")
        .and_then(Value::as_str);
    if named != Some(subject) {
        return Err(fail(
            Failure::WrongSubject,
            format!(
                "the signed payload is for {}, not this image ({subject})",
                named.unwrap_or("no digest")
            ),
        ));
    }
    Ok(key.verified())
}

/// Verify a sigstore bundle (its JSON bytes, at most the limit) with the key,
/// for the image whose digest is `subject` and manifest bytes `manifest`.
pub fn verify_bundle(
    key: &PublicKey,
    bundle: &[u8],
    subject: &str,
    manifest: &[u8],
) -> Result<Verified, VerifyError> {
    let value: Value = serde_json::from_slice(bundle)
        .map_err(|err| fail(Failure::Malformed, format!("the bundle is not JSON: {err}")))?;
    let media_type = value.get("mediaType").and_then(Value::as_str).unwrap_or("");
    if !media_type.starts_with("application/vnd.dev.sigstore.bundle") {
        return Err(fail(
            Failure::Malformed,
            format!("the bundle's mediaType {media_type:?} is not a sigstore bundle's"),
        ));
    }
    if let Some(envelope) = value.get("dsseEnvelope") {
        return verify_dsse(key, envelope, subject);
    }
    if let Some(message) = value.get("messageSignature") {
        return verify_message(key, message, subject, manifest);
    }
    Err(fail(
        Failure::Malformed,
        "the bundle holds neither a dsseEnvelope nor a messageSignature",
    ))
}

fn verify_dsse(key: &PublicKey, envelope: &Value, subject: &str) -> Result<Verified, VerifyError> {
    let text = |name: &str| envelope.get(name).and_then(Value::as_str);
    let payload_type = text("payloadType").unwrap_or("");
    let payload = text("payload").and_then(base64_decode).ok_or_else(|| {
        fail(
            Failure::Malformed,
            "the DSSE envelope has no base64 payload",
        )
    })?;
    let signatures = envelope
        .get("signatures")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| fail(Failure::Malformed, "the DSSE envelope has no signatures"))?;
    if signatures.len() > MAX_DSSE_SIGNATURES {
        return Err(fail(
            Failure::Malformed,
            format!("the DSSE envelope has more than {MAX_DSSE_SIGNATURES} signatures"),
        ));
    }
    // The pre-authentication encoding (DSSE v1) is what is signed.
    let mut signed = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    signed.extend_from_slice(&payload);
    let verifies = signatures.iter().any(|s| {
        s.get("sig")
            .and_then(Value::as_str)
            .and_then(base64_decode)
            .is_some_and(|sig| key.verifies(&signed, &sig))
    });
    if !verifies {
        return Err(fail(
            Failure::BadSignature,
            format!(
                "no signature of the DSSE envelope verifies with key {}",
                key.key_id
            ),
        ));
    }
    if payload_type != IN_TOTO {
        return Err(fail(
            Failure::Unsupported,
            format!("the DSSE payload type is {payload_type:?}, not an in-toto statement"),
        ));
    }
    let statement: Value = serde_json::from_slice(&payload).map_err(|err| {
        fail(
            Failure::Malformed,
            format!("the signed statement is not JSON: {err}"),
        )
    })?;
    let (algorithm, hex_part) = subject.split_once(':').unwrap_or(("", subject));
    let names_subject = statement
        .get("subject")
        .and_then(Value::as_array)
        .is_some_and(|subjects| {
            subjects.iter().any(|s| {
                s.pointer(&format!("/digest/{algorithm}"))
                    .and_then(Value::as_str)
                    == Some(hex_part)
            })
        });
    if !names_subject {
        return Err(fail(
            Failure::WrongSubject,
            format!("the signed statement's subject does not name this image ({subject})"),
        ));
    }
    Ok(key.verified())
}

fn verify_message(
    key: &PublicKey,
    message: &Value,
    subject: &str,
    manifest: &[u8],
) -> Result<Verified, VerifyError> {
    let algorithm = message
        .pointer("/messageDigest/algorithm")
        .and_then(Value::as_str);
    let digest = message
        .pointer("/messageDigest/digest")
        .and_then(Value::as_str)
        .and_then(base64_decode);
    let signature = message
        .get("signature")
        .and_then(Value::as_str)
        .and_then(base64_decode)
        .ok_or_else(|| fail(Failure::Malformed, "the message signature is not base64"))?;
    // The signature is over the manifest's bytes; `subject` is their digest.
    if !key.verifies(manifest, &signature) {
        return Err(fail(
            Failure::BadSignature,
            format!(
                "the message signature does not verify with key {} over this image's manifest",
                key.key_id
            ),
        ));
    }
    let named = digest.map(|d| format!("sha256:{}", hex::encode(d)));
    if algorithm != Some("SHA2_256") || named.as_deref() != Some(subject) {
        return Err(fail(
            Failure::WrongSubject,
            format!(
                "the bundle's messageDigest ({} {}) is not this image's ({subject})",
                algorithm.unwrap_or("no algorithm"),
                named.as_deref().unwrap_or("no digest")
            ),
        ));
    }
    Ok(key.verified())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_foreign_keys_are_refused_with_a_reason() {
        let private = b"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assert!(
            PublicKey::parse(private)
                .unwrap_err()
                .contains("private key")
        );
        assert!(
            PublicKey::parse(b"hello")
                .unwrap_err()
                .contains("PUBLIC KEY")
        );
    }

    /// cosign's own test data (testdata/NOTICE): a DSSE envelope its tests
    /// verify with its published key, wrapped here in a v0.3 bundle.
    const SAMPLE_ENVELOPE: &str = include_str!("testdata/cosign-dsse-envelope.json");
    const SAMPLE_KEY: &str = include_str!("testdata/cosign-dsse-key.pub");
    const SAMPLE_SUBJECT: &str =
        "sha256:658781cd4ed9bca60dacd09f7bb914bb51502e8b5d619f57f39a1d652596cc24";

    fn sample_bundle(envelope: &str) -> Vec<u8> {
        let envelope: Value = serde_json::from_str(envelope).unwrap();
        serde_json::to_vec(&serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {"publicKey": {"hint": ""}},
            "dsseEnvelope": envelope,
        }))
        .unwrap()
    }

    #[test]
    fn cosigns_own_sample_verifies_with_its_published_key() {
        let key = PublicKey::parse(SAMPLE_KEY.as_bytes()).unwrap();
        let bundle = sample_bundle(SAMPLE_ENVELOPE);
        let verified = verify_bundle(&key, &bundle, SAMPLE_SUBJECT, b"").unwrap();
        assert_eq!(verified.identity, format!("key {}", key.key_id));
        // Another subject: the statement does not name it.
        let other = format!("sha256:{}", "0".repeat(64));
        let err = verify_bundle(&key, &bundle, &other, b"").unwrap_err();
        assert_eq!(err.failure, Failure::WrongSubject);
        // The signature with one character changed.
        let tampered = SAMPLE_ENVELOPE.replacen("MEUCIA8K", "MEUCIA9K", 1);
        assert_ne!(tampered, SAMPLE_ENVELOPE);
        let err = verify_bundle(&key, &sample_bundle(&tampered), SAMPLE_SUBJECT, b"").unwrap_err();
        assert_eq!(err.failure, Failure::BadSignature);
    }

    #[test]
    fn base64_of_either_alphabet() {
        assert_eq!(base64_decode("+/8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(base64_decode("!!").is_none());
    }
}
