//! `aseecr verify oci:DIR` and `oci-archive:FILE`: images signed on Debian's
//! docker-registry 2.8 (a cosign `.sig` tag made with the openssl CLI, a Notary
//! Project COSE envelope made by tests/util/notary_gen.py, stored as notation
//! stores it), copied with their signatures into a layout and an archive by
//! `aseecr mirror`, then verified there with no registry in reach. The layout
//! is damaged here by hand, as the image-layout spec describes its files.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::util::referrers::{Pushed, get_manifest, sha256};
use crate::util::{Home, TestImage, TestRegistry};
use crate::verify::{UNVERIFIED, key_id, key_pair, sign_tag};
use crate::verify_notary::{SIGNER, attach, generate, policy, trust_store};

/// `integrity` errors exit 1 (docs/exit-codes.md).
const INTEGRITY: i32 = 1;
const USAGE: i32 = 2;

/// A registry holding `app:1` signed with a cosign `.sig` tag and a Notary
/// Project COSE signature (timestamped, PS384, as MCR signs), and `bare:1`
/// unsigned.
struct Signed {
    registry: TestRegistry,
    subject: Pushed,
    notary: Pushed,
    cosign: Pushed,
    /// The cosign public key.
    key: PathBuf,
    /// A strict policy for "*" and the trust store it names.
    strict: PathBuf,
    store: PathBuf,
    /// What notary_gen.py wrote for the subject (cose-tampered.cose, ...).
    generated: PathBuf,
    dir: tempfile::TempDir,
}

fn signed(seed: u64) -> Signed {
    let registry = TestRegistry::plain();
    let dir = tempfile::tempdir().unwrap();
    TestImage::single(seed, &[512]).push(&registry, "app:1", false);
    TestImage::single(seed + 1, &[512]).push(&registry, "bare:1", false);
    let subject = get_manifest(&registry, "app", "1").unwrap();
    let generated = dir.path().join("generated");
    generate(&generated, &subject);
    let cose = std::fs::read(generated.join("cose-ts.cose")).unwrap();
    let notary = attach(&registry, "app", &subject, "application/cose", &cose);
    let (private, key) = key_pair(dir.path(), "cosign");
    let cosign = sign_tag(&registry, "app", &subject.digest, &subject.digest, &private);
    let store = trust_store(dir.path(), &generated);
    let strict = policy(dir.path(), &format!("x509.subject: {SIGNER}"));
    Signed {
        registry,
        subject,
        notary,
        cosign,
        key,
        strict,
        store,
        generated,
        dir,
    }
}

impl Signed {
    /// `aseecr mirror REGISTRY/REPOSITORY:1 TARGET`, signatures carried.
    fn mirror(&self, home: &Home, repository: &str, target: &str) {
        home.aseecr()
            .args(["mirror", "--src-plain-http"])
            .arg(format!("{}/{repository}:1", self.registry.addr))
            .arg(target)
            .ok();
    }

    /// `aseecr verify TARGET --format json` with the key, the policy or both.
    fn verify(&self, home: &Home, target: &str, key: bool, policy: bool) -> (i32, Value) {
        let out = self.verify_args(home, target, key, policy, &[]);
        let value = out.json();
        (out.code, value)
    }

    fn verify_args(
        &self,
        home: &Home,
        target: &str,
        key: bool,
        policy: bool,
        args: &[&str],
    ) -> crate::util::cmd::Output {
        let mut command = home.aseecr().args(["verify", target, "--format", "json"]);
        if key {
            command = command.arg("--verify-key").arg(&self.key);
        }
        if policy {
            command = command
                .arg("--verify-policy")
                .arg(&self.strict)
                .arg("--trust-store")
                .arg(&self.store);
        }
        command.args(args).run()
    }
}

/// Both checks passed: the cosign tag by the key, the COSE envelope by the
/// strict statement.
fn assert_both_verified(signed: &Signed, target: &str, report: &Value) {
    assert_eq!(report["verified"], true, "{target}: {report:#}");
    assert_eq!(report["digest"], signed.subject.digest.as_str());
    let key = &report["checks"][0];
    assert_eq!(key["by"], "key", "{report:#}");
    assert_eq!(key["keyId"], key_id(&signed.key).as_str());
    assert_eq!(key["signature"]["envelope"], "cosign-tag");
    assert_eq!(key["signature"]["manifest"], signed.cosign.digest.as_str());
    let notary = &report["checks"][1];
    assert_eq!(notary["by"], "policy", "{report:#}");
    assert_eq!(notary["level"], "strict");
    assert_eq!(notary["signature"]["envelope"], "notary-cose");
    assert_eq!(notary["signature"]["identity"], SIGNER);
    assert_eq!(
        notary["signature"]["manifest"],
        signed.notary.digest.as_str()
    );
    assert!(notary["signature"]["timestamp"].is_string(), "{report:#}");
}

#[test]
fn verify_checks_cosign_and_notary_signatures_mirrored_into_oci_and_oci_archive() {
    let mut signed = signed(2201);
    let home = Home::new();
    let out = signed.dir.path();
    let dir = format!("oci:{}", out.join("layout").display());
    let archive = format!("oci-archive:{}", out.join("bundle.tar").display());
    signed.mirror(&home, "app", &dir);
    signed.mirror(&home, "app", &archive);
    // Nothing is read from the registry from here on.
    signed.registry.stop();

    for target in [
        dir.clone(),
        format!("{dir}:app:1"),
        format!("{dir}@{}", signed.subject.digest),
        archive.clone(),
        format!("{archive}:app:1"),
    ] {
        let (code, report) = signed.verify(&home, &target, true, true);
        assert_eq!(code, 0, "{target}: {report:#}");
        assert_both_verified(&signed, &target, &report);
    }
    // Text: one line for the image.
    home.aseecr()
        .args(["verify", &archive, "--verify-key"])
        .arg(&signed.key)
        .ok()
        .stdout_has(&format!("verified {archive} {}", signed.subject.digest));
}

#[test]
fn verify_refuses_a_layout_image_without_signatures() {
    let signed = signed(2211);
    let home = Home::new();
    let out = signed.dir.path();
    let dir = format!("oci:{}", out.join("layout").display());
    let archive = format!("oci-archive:{}", out.join("bare.tar").display());
    signed.mirror(&home, "bare", &dir);
    signed.mirror(&home, "bare", &archive);
    for target in [&dir, &archive] {
        let (code, report) = signed.verify(&home, target, true, false);
        assert_eq!(code, UNVERIFIED, "{target}: {report:#}");
        assert_eq!(report["error"]["kind"], "unverified");
        let (code, report) = signed.verify(&home, target, false, true);
        assert_eq!(code, UNVERIFIED, "{target}: {report:#}");
        assert_eq!(report["status"], "failed");
    }
    signed
        .verify_args(&home, &dir, true, false, &[])
        .code(UNVERIFIED)
        .stderr_has("carries no cosign signature")
        .stderr_has("help: ");

    // Signed, but copied without its signatures: the layout has none.
    let stripped = format!("oci:{}", out.join("stripped").display());
    home.aseecr()
        .args(["mirror", "--src-plain-http", "--no-referrers"])
        .arg(format!("{}/app:1", signed.registry.addr))
        .arg(&stripped)
        .ok();
    let (code, report) = signed.verify(&home, &stripped, false, true);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(report["checks"][0]["rejected"], json!([]), "{report:#}");
}

/// The layout's `index.json`.
fn index(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap()
}

fn blob_path(dir: &Path, digest: &str) -> PathBuf {
    let (alg, hex) = digest.split_once(':').unwrap();
    dir.join("blobs").join(alg).join(hex)
}

/// Store `bytes` as a blob of the layout; its digest.
fn put_blob(dir: &Path, bytes: &[u8]) -> String {
    let digest = sha256(bytes);
    std::fs::write(blob_path(dir, &digest), bytes).unwrap();
    digest
}

#[test]
fn verify_refuses_a_tampered_signature_in_a_layout() {
    let signed = signed(2221);
    let home = Home::new();
    let path = signed.dir.path().join("layout");
    let dir = format!("oci:{}", path.display());
    signed.mirror(&home, "app", &dir);
    let (code, report) = signed.verify(&home, &dir, false, true);
    assert_eq!(code, 0, "{report:#}");

    // The envelope's blob rewritten in place: its bytes no longer match the
    // digest the signature manifest names.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(blob_path(&path, &signed.notary.digest)).unwrap())
            .unwrap();
    let envelope = manifest["layers"][0]["digest"].as_str().unwrap().to_owned();
    let original = std::fs::read(blob_path(&path, &envelope)).unwrap();
    let mut damaged = original.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    std::fs::write(blob_path(&path, &envelope), &damaged).unwrap();
    signed
        .verify_args(&home, &dir, false, true, &[])
        .code(INTEGRITY)
        .stderr_has("does not match its digest")
        .stderr_has("help: ");
    std::fs::write(blob_path(&path, &envelope), &original).unwrap();

    // A consistent layout whose envelope's signature was changed: the
    // envelope, the signature manifest and index.json all rewritten, every
    // digest right. The signature itself does not verify.
    let tampered = std::fs::read(signed.generated.join("cose-tampered.cose")).unwrap();
    let mut forged = manifest.clone();
    forged["layers"][0]["digest"] = json!(put_blob(&path, &tampered));
    forged["layers"][0]["size"] = json!(tampered.len());
    let forged = serde_json::to_vec(&forged).unwrap();
    let forged_digest = put_blob(&path, &forged);
    let mut index = index(&path);
    for entry in index["manifests"].as_array_mut().unwrap() {
        if entry["digest"] == signed.notary.digest.as_str() {
            entry["digest"] = json!(forged_digest);
            entry["size"] = json!(forged.len());
        }
    }
    std::fs::write(path.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    let (code, report) = signed.verify(&home, &dir, false, true);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(report["error"]["kind"], "unverified");
    let rejected = &report["checks"][0]["rejected"][0];
    assert_eq!(rejected["failure"], "bad-signature", "{report:#}");
    assert_eq!(rejected["manifest"], forged_digest.as_str());
}

#[test]
fn verify_picks_the_statement_for_a_layout_by_scope_and_refuses_docker_archive() {
    let signed = signed(2231);
    let home = Home::new();
    let out = signed.dir.path();
    let dir = format!("oci:{}", out.join("layout").display());
    signed.mirror(&home, "app", &dir);
    let scope = format!("{}/app", signed.registry.addr);
    let scoped = out.join("scoped.json");
    let doc = json!({"version": "1.0", "trustPolicies": [{
        "name": "app",
        "registryScopes": [scope],
        "signatureVerification": {"level": "strict"},
        "trustStores": ["ca:supplychain", "tsa:tsa"],
        "trustedIdentities": [format!("x509.subject: {SIGNER}")],
    }]});
    std::fs::write(&scoped, serde_json::to_vec(&doc).unwrap()).unwrap();
    let verify = |args: &[&str]| {
        home.aseecr()
            .args(["verify", &dir, "--verify-policy"])
            .arg(&scoped)
            .arg("--trust-store")
            .arg(&signed.store)
            .args(args)
            .run()
    };
    // No scope: only a "*" statement applies to a layout, and there is none.
    verify(&[])
        .code(UNVERIFIED)
        .stderr_has("no statement of the trust policy applies")
        .stderr_has("--scope");
    // The scope names the statement, as notation's --scope does.
    let scoped_out = verify(&["--scope", &scope, "--format", "json"]);
    let report = scoped_out.json();
    assert_eq!(scoped_out.code, 0, "{report:#}");
    assert_eq!(report["checks"][0]["statement"], "app");
    assert_eq!(report["checks"][0]["signature"]["envelope"], "notary-cose");
    home.aseecr()
        .args(["verify", &dir, "--scope", "app:1", "--verify-key"])
        .arg(&signed.key)
        .run()
        .code(USAGE)
        .stderr_has("is not a fully qualified repository");
    // --scope is for layouts only.
    home.aseecr()
        .args([
            "verify",
            "--plain-http",
            &format!("{scope}:1"),
            "--scope",
            &scope,
        ])
        .arg("--verify-key")
        .arg(&signed.key)
        .run()
        .code(USAGE)
        .stderr_has("--scope is for an image in a layout");

    // A docker archive carries no signatures: refused before anything is read.
    let docker = format!("docker-archive:{}", out.join("docker.tar").display());
    signed.mirror(&home, "app", &docker);
    signed
        .verify_args(&home, &docker, true, false, &[])
        .code(USAGE)
        .stderr_has("a docker archive carries no signatures")
        .stderr_has("help: ");
}
