//! Cross-check: signatures notation made (notation-go's test data, see
//! testdata/notation-go/NOTICE.md) verify with aseecr where their chains can be
//! anchored, and fail the way notation's own tests expect where they cannot.

use std::path::PathBuf;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::super::policy::{PolicyStatement, TrustPolicy};
use super::super::store::{StoreCertificate, StoreRef, TrustStore};
use super::super::{Failure, Verified, VerifyError};
use super::{COSE, JWS, cose, envelope, verify};
use crate::registry::manifest::Descriptor;

const DOCKER: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI: &str = "application/vnd.oci.image.manifest.v1+json";

fn sample(name: &str) -> Vec<u8> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/verify/notary/testdata/notation-go");
    std::fs::read(dir.join(name)).unwrap()
}

fn descriptor(media_type: &str, digest: &str, size: u64) -> Descriptor {
    Descriptor {
        media_type: media_type.into(),
        digest: format!("sha256:{digest}"),
        size,
    }
}

fn statement(level: &str, stores: &[&str], identity: &str) -> PolicyStatement {
    let doc = serde_json::json!({
        "version": "1.0",
        "trustPolicies": [{
            "name": "notation-samples",
            "registryScopes": ["*"],
            "signatureVerification": {"level": level},
            "trustStores": stores,
            "trustedIdentities": [identity],
        }]
    });
    TrustPolicy::parse(doc.to_string().as_bytes())
        .unwrap()
        .statements
        .remove(0)
}

fn store(entries: Vec<(&str, Vec<u8>)>) -> TrustStore {
    TrustStore {
        root: PathBuf::from("/nonexistent"),
        stores: entries
            .into_iter()
            .map(|(name, der)| {
                let cert = StoreCertificate {
                    der,
                    file: PathBuf::from("sample"),
                };
                (StoreRef::parse(name).unwrap(), vec![cert])
            })
            .collect(),
    }
}

fn notation_test_root() -> Vec<u8> {
    CertificateDer::from_pem_slice(&sample("NotationTestRoot.pem"))
        .unwrap()
        .to_vec()
}

/// The last certificate of the envelope's own chain (the samples signed with one
/// self-signed certificate are anchored on it, as notation's tests do).
fn own_root(bytes: &[u8], media_type: &str) -> Vec<u8> {
    let env = if media_type == JWS {
        envelope::parse_jws(bytes).unwrap()
    } else {
        cose::parse_cose(bytes).unwrap()
    };
    env.chain.last().unwrap().clone()
}

fn check(
    name: &str,
    media_type: &str,
    subject: &Descriptor,
    store: &TrustStore,
    p: &PolicyStatement,
) -> Result<Verified, VerifyError> {
    verify(&sample(name), media_type, subject, store, p)
}

const SAMPLE_SUBJECT_60: &str = "60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e";
const SAMPLE_SUBJECT_19: &str = "19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0";
const SAMPLE_SUBJECT_C0: &str = "c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda";

#[test]
fn notation_jws_samples_anchored_on_the_notation_test_root_verify() {
    let subject = descriptor(DOCKER, SAMPLE_SUBJECT_60, 528);
    let identity = "x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=Notation Test Root";
    let ca = store(vec![("ca:valid-trust-store", notation_test_root())]);
    let p = statement("strict", &["ca:valid-trust-store"], identity);
    let v = check("ca_valid_sig_env.json", JWS, &subject, &ca, &p).unwrap();
    assert_eq!(
        v.identity,
        "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US"
    );
    let sa = store(vec![(
        "signingAuthority:valid-trust-store",
        notation_test_root(),
    )]);
    let p = statement("strict", &["signingAuthority:valid-trust-store"], identity);
    check("sa_valid_sig_env.json", JWS, &subject, &sa, &p).unwrap();
    // The same samples under the other scheme's store, or for another subject, fail.
    assert_eq!(
        check("ca_valid_sig_env.json", JWS, &subject, &sa, &p)
            .unwrap_err()
            .failure,
        Failure::UntrustedChain
    );
    let other = descriptor(DOCKER, SAMPLE_SUBJECT_19, 528);
    assert_eq!(
        check("sa_valid_sig_env.json", JWS, &other, &sa, &p)
            .unwrap_err()
            .failure,
        Failure::WrongSubject
    );
}

#[test]
fn notation_self_signed_samples_verify_in_both_envelopes() {
    let identity = "x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=alpine";
    let p = statement("strict", &["ca:alpine"], identity);
    for (name, media_type, subject) in [
        (
            "cose_signature.sig",
            COSE,
            descriptor(OCI, SAMPLE_SUBJECT_19, 481),
        ),
        (
            "jws_signature.sig",
            JWS,
            descriptor(OCI, SAMPLE_SUBJECT_19, 481),
        ),
        (
            "coseWithTimestamp.sig",
            COSE,
            descriptor(DOCKER, SAMPLE_SUBJECT_C0, 528),
        ),
        (
            "jwsWithTimestamp.sig",
            JWS,
            descriptor(DOCKER, SAMPLE_SUBJECT_C0, 528),
        ),
    ] {
        let s = store(vec![("ca:alpine", own_root(&sample(name), media_type))]);
        let v = check(name, media_type, &subject, &s, &p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            v.identity, "CN=alpine,O=Notary,L=Seattle,ST=WA,C=US",
            "{name}"
        );
        // Anchored on notation's test root instead, it is untrusted.
        let wrong = store(vec![("ca:alpine", notation_test_root())]);
        let err = check(name, media_type, &subject, &wrong, &p).unwrap_err();
        assert_eq!(err.failure, Failure::UntrustedChain, "{name}");
    }
}

fn globalsign_root() -> Vec<u8> {
    let bytes = sample("globalsignRoot.cer");
    CertificateDer::from_pem_slice(&bytes)
        .map(|c| c.to_vec())
        .unwrap_or(bytes)
}

#[test]
fn notation_sample_whose_leaf_expired_after_its_timestamp_verifies_by_the_timestamp() {
    // The leaf was valid for ten minutes around the signing, in 2024; the RFC 3161
    // timestamp (GlobalSign's TSA) says when it signed. Without a `tsa` store the
    // leaf is checked now, and has expired.
    let name = "coseExpiredWithTimestamp.sig";
    let subject = descriptor(DOCKER, SAMPLE_SUBJECT_C0, 528);
    let root = own_root(&sample(name), COSE);
    let p = statement("strict", &["ca:leaf"], "*");
    let s = store(vec![("ca:leaf", root.clone())]);
    assert_eq!(
        check(name, COSE, &subject, &s, &p).unwrap_err().failure,
        Failure::Expired
    );
    let p = statement("strict", &["ca:leaf", "tsa:ts"], "*");
    let s = store(vec![
        ("ca:leaf", root.clone()),
        ("tsa:ts", globalsign_root()),
    ]);
    let v = check(name, COSE, &subject, &s, &p).unwrap();
    assert_eq!(v.timestamp.as_deref(), Some("2024-06-18T07:21:12Z"));
    // The same token under another TSA root is not trusted.
    let s = store(vec![("ca:leaf", root), ("tsa:ts", notation_test_root())]);
    assert_eq!(
        check(name, COSE, &subject, &s, &p).unwrap_err().failure,
        Failure::Timestamp
    );
}

#[test]
fn notation_timestamped_samples_verify_with_their_timestamp() {
    let subject = descriptor(DOCKER, SAMPLE_SUBJECT_C0, 528);
    for (name, media_type) in [
        ("coseWithTimestamp.sig", COSE),
        ("jwsWithTimestamp.sig", JWS),
    ] {
        let root = own_root(&sample(name), media_type);
        let p = statement("strict", &["ca:leaf", "tsa:ts"], "*");
        let s = store(vec![("ca:leaf", root), ("tsa:ts", globalsign_root())]);
        let v = check(name, media_type, &subject, &s, &p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            v.timestamp.as_deref().unwrap().starts_with("2024-06-18T"),
            "{name}: {v:?}"
        );
    }
}
