//! Envelopes, keys and certificates made by tests/util/notary_gen.py (Python's
//! `cryptography` and `cbor2`, installed in a venv under target/test-tools, as
//! scripts/kubectl.sh installs kubectl) from the envelope specifications, verified
//! here: each algorithm in both envelopes, and each failure on its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use super::super::policy::{Check, Level, TrustPolicy};
use super::super::store::{StoreCertificate, StoreRef, TrustStore};
use super::super::{Failure, Verified, VerifyError};
use super::{COSE, JWS, verify};
use crate::registry::manifest::Descriptor;

const SIGNER: &str = "x509.subject: C=US, ST=WA, O=aseecr tests, CN=aseecr test signer";

fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/test-tools/notary-py");
    let python = venv.join("bin/python");
    if !python.exists() {
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 runs (the envelope generator needs it)");
        assert!(status.success(), "python3 -m venv failed");
        let status = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "cryptography==46.0.3", "cbor2==5.6.5"])
            .status()
            .expect("pip runs");
        assert!(status.success(), "pip install cryptography cbor2 failed");
    }
    python
}

struct Fixtures {
    dir: tempfile::TempDir,
    cases: Value,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/util/notary_gen.py");
        let out = Command::new(python())
            .arg(&script)
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cases =
            serde_json::from_slice(&std::fs::read(dir.path().join("cases.json")).unwrap()).unwrap();
        Fixtures { dir, cases }
    })
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().dir.path().join(name)).unwrap()
}

fn subject() -> Descriptor {
    let s = &fixtures().cases["subject"];
    Descriptor {
        digest: s["digest"].as_str().unwrap().into(),
        media_type: s["mediaType"].as_str().unwrap().into(),
        size: s["size"].as_u64().unwrap(),
    }
}

fn store(entries: &[(&str, &str)]) -> TrustStore {
    TrustStore {
        root: PathBuf::from("/nonexistent"),
        stores: entries
            .iter()
            .map(|(store, cert)| {
                let cert = StoreCertificate {
                    der: file(cert),
                    file: PathBuf::from(cert),
                };
                (StoreRef::parse(store).unwrap(), vec![cert])
            })
            .collect(),
    }
}

fn policy(level: &str, stores: &[&str], identity: &str, extra: &str) -> super::PolicyStatement {
    let doc = serde_json::json!({
        "version": "1.0",
        "trustPolicies": [{
            "name": "test",
            "registryScopes": ["*"],
            "signatureVerification": {"level": level},
            "trustStores": stores,
            "trustedIdentities": [identity],
        }]
    });
    let mut doc = doc;
    if !extra.is_empty() {
        let extra: Value = serde_json::from_str(extra).unwrap();
        for (k, v) in extra.as_object().unwrap() {
            doc["trustPolicies"][0]["signatureVerification"][k] = v.clone();
        }
    }
    TrustPolicy::parse(doc.to_string().as_bytes())
        .unwrap()
        .statements
        .remove(0)
}

fn run(case: &str, level: &str, identity: &str) -> Result<Verified, VerifyError> {
    run_with(
        case,
        &subject(),
        &store(&[("ca:test", "root.der")]),
        &policy(level, &["ca:test"], identity, ""),
    )
}

fn run_with(
    case: &str,
    subject: &Descriptor,
    store: &TrustStore,
    policy: &super::PolicyStatement,
) -> Result<Verified, VerifyError> {
    let media_type = if case.starts_with("jws") { JWS } else { COSE };
    verify(
        &file(&format!(
            "{case}.{}",
            if media_type == JWS { "jws" } else { "cose" }
        )),
        media_type,
        subject,
        store,
        policy,
    )
}

fn failure(result: Result<Verified, VerifyError>) -> Failure {
    match result {
        Ok(v) => panic!("verified, expected a failure: {v:?}"),
        Err(e) => e.failure,
    }
}

fn only_revocation_logged(v: &Verified) {
    let checks: Vec<Check> = v.logged.iter().map(|l| l.check).collect();
    assert_eq!(checks, vec![Check::Revocation], "{v:?}");
}

#[test]
fn every_algorithm_verifies_in_both_envelopes() {
    for alg in ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512"] {
        for envelope in ["jws", "cose"] {
            let case = format!("{envelope}-{alg}");
            let v = run(&case, "strict", SIGNER).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(
                v.identity,
                "CN=aseecr test signer,O=aseecr tests,L=Seattle,ST=WA,C=US"
            );
            only_revocation_logged(&v);
        }
    }
}

#[test]
fn any_identity_and_an_intermediate_in_the_store_verify() {
    run("jws-ES256", "strict", "*").unwrap();
    let inter = store(&[("ca:test", "intermediate.der")]);
    run_with(
        "cose-PS384",
        &subject(),
        &inter,
        &policy("strict", &["ca:test"], SIGNER, ""),
    )
    .unwrap();
}

#[test]
fn untrusted_root_fails_strict_and_permissive_and_is_logged_under_audit() {
    let other = store(&[("ca:test", "other-root.der")]);
    for level in ["strict", "permissive"] {
        let p = policy(level, &["ca:test"], SIGNER, "");
        assert_eq!(
            failure(run_with("jws-ES256", &subject(), &other, &p)),
            Failure::UntrustedChain
        );
        assert_eq!(
            failure(run_with("cose-PS384", &subject(), &other, &p)),
            Failure::UntrustedChain
        );
    }
    let p = policy("audit", &["ca:test"], SIGNER, "");
    let v = run_with("cose-PS384", &subject(), &other, &p).unwrap();
    assert_eq!(v.logged[0].check, Check::Authenticity);
    assert!(
        v.logged[0].reason.contains("chains to no certificate"),
        "{v:?}"
    );
}

#[test]
fn wrong_identity_fails() {
    let wrong = "x509.subject: C=US, ST=WA, O=aseecr tests, CN=someone else";
    assert_eq!(
        failure(run("jws-ES256", "strict", wrong)),
        Failure::UntrustedIdentity
    );
    assert_eq!(
        failure(run("cose-PS384", "permissive", wrong)),
        Failure::UntrustedIdentity
    );
}

#[test]
fn expired_leaf_fails_strict_and_is_logged_under_permissive() {
    assert_eq!(
        failure(run("jws-expired-leaf", "strict", SIGNER)),
        Failure::Expired
    );
    let v = run("jws-expired-leaf", "permissive", SIGNER).unwrap();
    assert_eq!(v.logged[0].check, Check::AuthenticTimestamp);
    assert!(v.logged[0].reason.contains("expired"), "{v:?}");
}

#[test]
fn a_leaf_for_other_uses_or_a_chain_without_root_fails() {
    assert_eq!(
        failure(run("jws-server-auth-leaf", "strict", SIGNER)),
        Failure::UntrustedChain
    );
    assert_eq!(
        failure(run("jws-no-root", "strict", SIGNER)),
        Failure::UntrustedChain
    );
    // The specification makes the extended key usage optional for code signing.
    run("jws-no-eku-leaf", "strict", SIGNER).unwrap();
}

#[test]
fn integrity_failures_fail_at_every_level() {
    for level in ["strict", "permissive", "audit"] {
        assert_eq!(
            failure(run("jws-tampered", level, SIGNER)),
            Failure::BadSignature
        );
        assert_eq!(
            failure(run("cose-tampered", level, SIGNER)),
            Failure::BadSignature
        );
        assert_eq!(
            failure(run("jws-other-digest", level, SIGNER)),
            Failure::WrongSubject
        );
        assert_eq!(
            failure(run("jws-other-media-type", level, SIGNER)),
            Failure::WrongSubject
        );
    }
    let mut other = subject();
    other.digest = fixtures().cases["other_digest"].as_str().unwrap().into();
    let p = policy("strict", &["ca:test"], SIGNER, "");
    let s = store(&[("ca:test", "root.der")]);
    assert_eq!(
        failure(run_with("cose-PS384", &other, &s, &p)),
        Failure::WrongSubject
    );
    let mut size = subject();
    size.size += 1;
    assert_eq!(
        failure(run_with("jws-ES256", &size, &s, &p)),
        Failure::WrongSubject
    );
}

#[test]
fn an_envelope_read_as_the_other_type_is_malformed() {
    let p = policy("audit", &["ca:test"], SIGNER, "");
    let s = store(&[("ca:test", "root.der")]);
    let jws = file("jws-ES256.jws");
    let cose = file("cose-PS384.cose");
    assert_eq!(
        failure(verify(&jws, COSE, &subject(), &s, &p)),
        Failure::Malformed
    );
    assert_eq!(
        failure(verify(&cose, JWS, &subject(), &s, &p)),
        Failure::Malformed
    );
    assert_eq!(
        failure(verify(&jws, "application/json", &subject(), &s, &p)),
        Failure::Unsupported
    );
}

#[test]
fn signing_authority_needs_its_own_store() {
    let p = policy("strict", &["signingAuthority:sa"], SIGNER, "");
    let s = store(&[("signingAuthority:sa", "root.der")]);
    run_with("cose-signing-authority", &subject(), &s, &p).unwrap();
    let ca = store(&[("ca:test", "root.der")]);
    let p = policy("strict", &["ca:test"], SIGNER, "");
    assert_eq!(
        failure(run_with("cose-signing-authority", &subject(), &ca, &p)),
        Failure::UntrustedChain
    );
}

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn at(
    case: &str,
    store: &TrustStore,
    policy: &super::PolicyStatement,
    time: i64,
) -> Result<Verified, VerifyError> {
    super::verify_at(
        &file(&format!("{case}.cose")),
        COSE,
        &subject(),
        store,
        policy,
        time,
    )
}

#[test]
fn a_leaf_expired_after_its_timestamp_verifies_with_a_tsa_store() {
    // The chain is valid for 30 days from the fixtures' making; 60 days on it has
    // expired, and the openssl TSA's timestamp says the signature was made in time.
    let s = store(&[("ca:test", "root.der"), ("tsa:ts", "tsa-root.der")]);
    let p = policy("strict", &["ca:test", "tsa:ts"], SIGNER, "");
    let v = at("cose-ts", &s, &p, now()).unwrap();
    assert!(v.timestamp.is_some(), "{v:?}");
    let later = at("cose-ts", &s, &p, now() + 60 * DAY).unwrap();
    assert_eq!(later.timestamp, v.timestamp);
    only_revocation_logged(&later);
    // Without a tsa store the chain is checked at the time of verification.
    let ca = store(&[("ca:test", "root.der")]);
    let p_ca = policy("strict", &["ca:test"], SIGNER, "");
    at("cose-ts", &ca, &p_ca, now()).unwrap();
    assert_eq!(
        failure(at("cose-ts", &ca, &p_ca, now() + 60 * DAY)),
        Failure::Expired
    );
    // A leaf that had expired before it was timestamped fails.
    let err = at("cose-ts-expired-leaf", &s, &p, now()).unwrap_err();
    assert_eq!(err.failure, Failure::Expired);
    assert!(err.message.contains("at the timestamp's time"), "{err}");
}

#[test]
fn a_timestamp_that_does_not_hold_fails_and_a_missing_one_too() {
    let s = store(&[("ca:test", "root.der"), ("tsa:ts", "tsa-root.der")]);
    let p = policy("strict", &["ca:test", "tsa:ts"], SIGNER, "");
    let err = at("cose-ts-other-signature", &s, &p, now()).unwrap_err();
    assert_eq!(err.failure, Failure::Timestamp);
    assert!(err.message.contains("another signature"), "{err}");
    assert_eq!(failure(at("cose-PS384", &s, &p, now())), Failure::Timestamp);
    // A TSA the store does not hold.
    let other = store(&[("ca:test", "root.der"), ("tsa:ts", "other-root.der")]);
    assert_eq!(
        failure(at("cose-ts", &other, &p, now())),
        Failure::Timestamp
    );
    // afterCertExpiry: an unexpired chain needs no timestamp; an expired one does.
    let after = policy(
        "strict",
        &["ca:test", "tsa:ts"],
        SIGNER,
        r#"{"verifyTimestamp": "afterCertExpiry"}"#,
    );
    at("cose-ts-other-signature", &s, &after, now()).unwrap();
    assert_eq!(
        failure(at("cose-ts-other-signature", &s, &after, now() + 60 * DAY)),
        Failure::Timestamp
    );
    at("cose-ts", &s, &after, now() + 60 * DAY).unwrap();
    // Permissive logs a timestamp that does not hold.
    let permissive = policy("permissive", &["ca:test", "tsa:ts"], SIGNER, "");
    let v = at("cose-ts-other-signature", &s, &permissive, now()).unwrap();
    assert_eq!(v.logged[0].check, Check::AuthenticTimestamp);
    assert_eq!(permissive.level, Level::Permissive);
}

#[test]
fn a_notation_trust_store_folder_and_policy_file_work_unchanged() {
    // The layout `notation cert add --type ca --store supplychain` and
    // `--type tsa --store tsa` make, and a policy in the form Microsoft documents for
    // MCR (one statement, strict, a ca and a tsa store, one x509.subject identity).
    let dir = tempfile::tempdir().unwrap();
    for (kind, name, cert, file_name) in [
        ("ca", "supplychain", "root.der", "root.crt"),
        ("tsa", "tsa", "tsa-root.der", "tsa-root.cer"),
    ] {
        let folder = dir.path().join("x509").join(kind).join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(file_name), file(cert)).unwrap();
    }
    let policy_file = dir.path().join("trustpolicy.json");
    std::fs::write(
        &policy_file,
        r#"{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "supplychain",
            "registryScopes": ["*"],
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:supplychain", "tsa:tsa"],
            "trustedIdentities": ["x509.subject: CN=aseecr test signer,O=aseecr tests,L=Seattle,ST=WA,C=US"]
        }
    ]
}"#,
    )
    .unwrap();
    let trust_policy = TrustPolicy::load(&policy_file).unwrap();
    let statement = trust_policy
        .statement_for("mcr.microsoft.com/dotnet/runtime")
        .unwrap();
    let trust_store = TrustStore::load(dir.path(), statement).unwrap();
    let v = at("cose-ts", &trust_store, statement, now() + 60 * DAY).unwrap();
    assert_eq!(
        v.identity,
        "CN=aseecr test signer,O=aseecr tests,L=Seattle,ST=WA,C=US"
    );
    assert!(v.timestamp.is_some());
    assert_eq!(
        failure(at(
            "cose-ts-other-signature",
            &trust_store,
            statement,
            now()
        )),
        Failure::Timestamp
    );
}
