//! `aseecr verify` with Notary Project signatures against Debian's docker-registry
//! 2.8: envelopes, keys, certificates and RFC 3161 timestamps made by
//! tests/util/notary_gen.py (Python's `cryptography` and `cbor2`, `openssl ts` as
//! the TSA) from the envelope specifications, stored as notation stores them (a
//! referrer with artifactType `application/vnd.cncf.notary.signature`, through the
//! fallback tag), checked against a notation trust store folder and trust policy.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::util::referrers::{NOTATION, Pushed, get_manifest, push_artifact, write_index};
use crate::util::{Home, TestImage, TestRegistry};

/// The exit code of a failed verification (docs/exit-codes.md).
const UNVERIFIED: i32 = 7;
pub(crate) const SIGNER: &str = "CN=aseecr test signer,O=aseecr tests,L=Seattle,ST=WA,C=US";

/// The generator's Python, in a venv under target/test-tools (made on first use).
fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/test-tools/notary-py");
    let python = venv.join("bin/python");
    if !python.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap();
        assert!(ok.success(), "python3 -m venv failed");
        let ok = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "cryptography==46.0.3", "cbor2==5.6.5"])
            .status()
            .unwrap();
        assert!(ok.success(), "pip install cryptography cbor2 failed");
    }
    python
}

/// Envelopes signing `subject`, with their roots, in `dir`.
pub(crate) fn generate(dir: &Path, subject: &Pushed) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/util/notary_gen.py");
    let out = Command::new(python())
        .arg(script)
        .arg(dir)
        .args([
            &subject.media_type,
            &subject.digest,
            &subject.size.to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// notation's trust store layout: `x509/ca/supplychain` and `x509/tsa/tsa`.
pub(crate) fn trust_store(dir: &Path, generated: &Path) -> PathBuf {
    let store = dir.join("truststore");
    for (kind, name, file) in [
        ("ca", "supplychain", "root.der"),
        ("tsa", "tsa", "tsa-root.der"),
    ] {
        let named = store.join("x509").join(kind).join(name);
        std::fs::create_dir_all(&named).unwrap();
        std::fs::copy(
            generated.join(file),
            named.join(file.replace(".der", ".crt")),
        )
        .unwrap();
    }
    store
}

pub(crate) fn policy(dir: &Path, identity: &str) -> PathBuf {
    let path = dir.join(format!("policy-{}.json", identity.len()));
    let doc = json!({"version": "1.0", "trustPolicies": [{
        "name": "supplychain",
        "registryScopes": ["*"],
        "signatureVerification": {"level": "strict"},
        "trustStores": ["ca:supplychain", "tsa:tsa"],
        "trustedIdentities": [identity],
    }]});
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    path
}

/// Sign `repository:1` with the generated envelope `file` as notation does.
pub(crate) fn attach(
    registry: &TestRegistry,
    repository: &str,
    subject: &Pushed,
    media_type: &str,
    envelope: &[u8],
) -> Pushed {
    let signature = push_artifact(
        registry,
        repository,
        NOTATION,
        (media_type, envelope),
        subject,
        &[],
    );
    write_index(registry, repository, &subject.digest, &[signature.entry()]);
    signature
}

fn json_verify(home: &Home, target: &str, policy: &Path, store: &Path) -> (i32, Value) {
    let out = home
        .aseecr()
        .args(["verify", "--plain-http", target, "--format", "json"])
        .args(["--verify-policy", policy.to_str().unwrap()])
        .args(["--trust-store", store.to_str().unwrap()])
        .run();
    let value = out.json();
    (out.code, value)
}

#[test]
fn notary_cose_and_jws_signatures_verify_through_the_binary() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated");
    let mut subjects = Vec::new();
    for (repository, seed) in [("cose", 301), ("jws", 302), ("tampered", 303)] {
        TestImage::single(seed, &[512]).push(&registry, &format!("{repository}:1"), false);
        subjects.push(get_manifest(&registry, repository, "1").unwrap());
    }
    // One generation per subject: each envelope signs its own image.
    let mut envelopes = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        let out = generated.join(i.to_string());
        generate(&out, subject);
        envelopes.push(out);
    }
    let cose = std::fs::read(envelopes[0].join("cose-ts.cose")).unwrap();
    let jws = std::fs::read(envelopes[1].join("jws-ES256.jws")).unwrap();
    let tampered = std::fs::read(envelopes[2].join("cose-tampered.cose")).unwrap();
    let cose_sig = attach(&registry, "cose", &subjects[0], "application/cose", &cose);
    attach(
        &registry,
        "jws",
        &subjects[1],
        "application/jose+json",
        &jws,
    );
    attach(
        &registry,
        "tampered",
        &subjects[2],
        "application/cose",
        &tampered,
    );
    // The roots of all three generations: one ca and one tsa store holding each.
    let store = trust_store(dir.path(), &envelopes[0]);
    for (i, out) in envelopes.iter().enumerate().skip(1) {
        for (kind, name, file) in [
            ("ca", "supplychain", "root.der"),
            ("tsa", "tsa", "tsa-root.der"),
        ] {
            let to = store
                .join("x509")
                .join(kind)
                .join(name)
                .join(format!("{i}-{}", file.replace(".der", ".crt")));
            std::fs::copy(out.join(file), to).unwrap();
        }
    }
    let trusted = policy(dir.path(), &format!("x509.subject: {SIGNER}"));
    let r = &registry.addr;

    let (code, report) = json_verify(&home, &format!("{r}/cose:1"), &trusted, &store);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["verified"], true, "{report:#}");
    let signature = &report["checks"][0]["signature"];
    assert_eq!(signature["envelope"], "notary-cose");
    assert_eq!(signature["identity"], SIGNER);
    assert_eq!(signature["manifest"], cose_sig.digest.as_str());
    assert!(signature["timestamp"].is_string(), "{report:#}");

    // The JWS generation has a tsa store but no timestamp: strict refuses it.
    let (code, report) = json_verify(&home, &format!("{r}/jws:1"), &trusted, &store);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(report["checks"][0]["rejected"][0]["failure"], "timestamp");
    assert_eq!(report["checks"][0]["rejected"][0]["envelope"], "notary-jws");

    let (code, report) = json_verify(&home, &format!("{r}/tampered:1"), &trusted, &store);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "bad-signature"
    );

    let stranger = policy(
        dir.path(),
        "x509.subject: C=US, ST=WA, O=aseecr tests, CN=someone else",
    );
    let (code, report) = json_verify(&home, &format!("{r}/cose:1"), &stranger, &store);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "untrusted-identity"
    );
}
