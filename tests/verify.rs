//! `aseecr verify` against Debian's docker-registry 2.8: cosign signatures made
//! here with the openssl CLI in cosign's formats (the `.sig` tag's simple
//! signing payload, cosign 3's sigstore bundle stored as a referrer through the
//! fallback tag), and notation's trust policy read as notation reads it.
//! Nothing here calls aseecr's code: keys, payloads, signatures and manifests
//! are built from the formats' descriptions.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::util::referrers::{
    COSIGN_LAYER, OCI_MANIFEST, Pushed, get_manifest, push_artifact, push_blob, push_manifest,
    push_signature, sha256, tag_for, write_index,
};
use crate::util::{Home, TestImage, TestRegistry};

/// The exit code of a failed verification (docs/exit-codes.md).
pub(crate) const UNVERIFIED: i32 = 7;
const BUNDLE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// An ECDSA P-256 key pair as cosign generates (the private key here in
/// plain PEM, which only the test signs with): (private, public).
pub(crate) fn key_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let private = dir.join(format!("{name}.key"));
    let public = dir.join(format!("{name}.pub"));
    openssl(&[
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-noout",
        "-out",
        private.to_str().unwrap(),
    ]);
    openssl(&[
        "pkey",
        "-in",
        private.to_str().unwrap(),
        "-pubout",
        "-out",
        public.to_str().unwrap(),
    ]);
    (private, public)
}

/// `SHA256:<hex>` of the public key's SubjectPublicKeyInfo, as openssl writes it.
pub(crate) fn key_id(public: &Path) -> String {
    let der = openssl(&[
        "pkey",
        "-pubin",
        "-in",
        public.to_str().unwrap(),
        "-outform",
        "DER",
    ]);
    format!("SHA256:{}", &sha256(&der)[7..])
}

/// An ASN.1 ECDSA signature (SHA-256) of `message`, as cosign writes it.
fn sign(private: &Path, message: &[u8]) -> Vec<u8> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), message).unwrap();
    openssl(&[
        "dgst",
        "-sha256",
        "-sign",
        private.to_str().unwrap(),
        file.path().to_str().unwrap(),
    ])
}

/// cosign's simple signing payload naming `digest`.
fn simple_signing(registry: &TestRegistry, repository: &str, digest: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "critical": {
            "identity": {"docker-reference": format!("{}/{repository}", registry.addr)},
            "image": {"docker-manifest-digest": digest},
            "type": "cosign container image signature"
        },
        "optional": null
    }))
    .unwrap()
}

/// Push `subject`'s `.sig` tag: one layer holding `payload`, its
/// `dev.cosignproject.cosign/signature` annotation `signature` (base64).
fn push_sig_tag(
    registry: &TestRegistry,
    repository: &str,
    subject: &str,
    payload: &[u8],
    signature: &[u8],
) -> Pushed {
    let config =
        br#"{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_digest = push_blob(registry, repository, config);
    let layer_digest = push_blob(registry, repository, payload);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": COSIGN_LAYER, "digest": layer_digest, "size": payload.len(),
            "annotations": {"dev.cosignproject.cosign/signature": STANDARD.encode(signature)}}],
    });
    let bytes = serde_json::to_vec(&manifest).unwrap();
    let tag = format!("{}.sig", tag_for(subject));
    push_manifest(registry, repository, &tag, OCI_MANIFEST, &bytes)
}

/// Push a `.sig` tag on `subject` whose payload names `named`, signed by `private`.
pub(crate) fn sign_tag(
    registry: &TestRegistry,
    repository: &str,
    subject: &str,
    named: &str,
    private: &Path,
) -> Pushed {
    let payload = simple_signing(registry, repository, named);
    let signature = sign(private, &payload);
    push_sig_tag(registry, repository, subject, &payload, &signature)
}

/// A sigstore bundle v0.3 holding a DSSE envelope of the in-toto statement
/// cosign 3 signs for an image (predicate `https://sigstore.dev/cosign/sign/v1`,
/// subject the image digest `named`), signed over DSSE's pre-authentication
/// encoding.
fn dsse_bundle(private: &Path, named: &str) -> Vec<u8> {
    let (algorithm, hex) = named.split_once(':').unwrap();
    let statement = serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"digest": {algorithm: hex}}],
        "predicateType": "https://sigstore.dev/cosign/sign/v1",
        "predicate": {}
    }))
    .unwrap();
    let payload_type = "application/vnd.in-toto+json";
    let mut pae = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        statement.len()
    )
    .into_bytes();
    pae.extend_from_slice(&statement);
    let signature = sign(private, &pae);
    serde_json::to_vec(&json!({
        "mediaType": BUNDLE,
        "verificationMaterial": {"publicKey": {"hint": "test"}, "tlogEntries": []},
        "dsseEnvelope": {
            "payload": STANDARD.encode(&statement),
            "payloadType": payload_type,
            "signatures": [{"sig": STANDARD.encode(&signature), "keyid": ""}]
        }
    }))
    .unwrap()
}

/// A bundle with a message signature over the manifest bytes `manifest`.
fn message_bundle(private: &Path, manifest: &[u8]) -> Vec<u8> {
    let digest = hex::decode(&sha256(manifest)[7..]).unwrap();
    serde_json::to_vec(&json!({
        "mediaType": BUNDLE,
        "verificationMaterial": {"publicKey": {"hint": "test"}},
        "messageSignature": {
            "messageDigest": {"algorithm": "SHA2_256", "digest": STANDARD.encode(digest)},
            "signature": STANDARD.encode(sign(private, manifest))
        }
    }))
    .unwrap()
}

/// Hang `bundle` off `subject` as cosign 3 does (a referrer whose artifact
/// type and layer are the bundle media type), listed in the fallback index
/// (2.8 has no referrers API).
fn attach_bundle(registry: &TestRegistry, repository: &str, subject: &Pushed, bundle: &[u8]) {
    let referrer = push_artifact(
        registry,
        repository,
        BUNDLE,
        (BUNDLE, bundle),
        subject,
        &[("dev.sigstore.bundle.content", "dsse-envelope")],
    );
    write_index(registry, repository, &subject.digest, &[referrer.entry()]);
}

/// An image at `repository:1`, its manifest as the registry serves it.
fn image(registry: &TestRegistry, repository: &str, seed: u64) -> Pushed {
    TestImage::single(seed, &[512]).push(registry, &format!("{repository}:1"), false);
    get_manifest(registry, repository, "1").unwrap()
}

fn verify(home: &Home, target: &str, args: &[&str]) -> crate::util::cmd::Output {
    home.aseecr()
        .args(["verify", "--plain-http", target])
        .args(args)
        .run()
}

fn json_verify(home: &Home, target: &str, args: &[&str]) -> (i32, Value) {
    let out = home
        .aseecr()
        .args(["verify", "--plain-http", target, "--format", "json"])
        .args(args)
        .run();
    let value = out.json();
    (out.code, value)
}

#[test]
fn verify_key_accepts_a_valid_sig_tag_and_refuses_no_signature_and_another_key() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let keys = tempfile::tempdir().unwrap();
    let (private, public) = key_pair(keys.path(), "cosign");
    let (_, other_public) = key_pair(keys.path(), "other");
    let key = public.to_str().unwrap();
    let subject = image(&registry, "app", 31);
    let target = format!("{}/app:1", registry.addr);

    // No signature yet: refused, with its exit code and a help line.
    verify(&home, &target, &["--verify-key", key])
        .code(UNVERIFIED)
        .stderr_has("carries no cosign signature")
        .stderr_has("help:");

    let sig = sign_tag(&registry, "app", &subject.digest, &subject.digest, &private);
    verify(&home, &target, &["--verify-key", key])
        .code(0)
        .stdout_has(&format!("verified {target} {}", subject.digest))
        .stdout_has(&key_id(&public));
    let (code, report) = json_verify(&home, &target, &["--verify-key", key]);
    assert_eq!(code, 0);
    assert_eq!(report["verified"], true, "{report:#}");
    assert_eq!(report["status"], "verified");
    assert_eq!(report["digest"], subject.digest.as_str());
    let check = &report["checks"][0];
    assert_eq!(check["by"], "key");
    assert_eq!(check["level"], "strict");
    assert_eq!(check["keyId"], key_id(&public).as_str());
    assert_eq!(check["signature"]["envelope"], "cosign-tag");
    assert_eq!(check["signature"]["manifest"], sig.digest.as_str());
    assert_eq!(
        check["signature"]["identity"],
        format!("key {}", key_id(&public)).as_str()
    );

    // Another key: the signature is there and does not verify with it.
    let (code, report) = json_verify(
        &home,
        &target,
        &["--verify-key", other_public.to_str().unwrap()],
    );
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(report["verified"], false);
    assert_eq!(report["status"], "failed");
    assert_eq!(report["error"]["kind"], "unverified");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "bad-signature"
    );
    assert_eq!(report["checks"][0]["rejected"][0]["envelope"], "cosign-tag");
}

#[test]
fn verify_key_refuses_a_payload_for_another_digest_and_tampered_signatures() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let keys = tempfile::tempdir().unwrap();
    let (private, public) = key_pair(keys.path(), "cosign");
    let key = public.to_str().unwrap();
    let r = &registry.addr;

    // A valid signature of another image, placed at this image's tag.
    let moved = image(&registry, "moved", 41);
    let other = image(&registry, "other", 42);
    sign_tag(&registry, "moved", &moved.digest, &other.digest, &private);
    let (code, report) = json_verify(&home, &format!("{r}/moved:1"), &["--verify-key", key]);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "wrong-subject"
    );
    verify(&home, &format!("{r}/moved:1"), &["--verify-key", key])
        .code(UNVERIFIED)
        .stderr_has(&format!("the signed payload is for {}", other.digest));

    // The signature with one byte changed.
    let tampered = image(&registry, "tampered", 43);
    let payload = simple_signing(&registry, "tampered", &tampered.digest);
    let mut signature = sign(&private, &payload);
    let last = signature.len() - 1;
    signature[last] ^= 1;
    push_sig_tag(
        &registry,
        "tampered",
        &tampered.digest,
        &payload,
        &signature,
    );
    let (code, report) = json_verify(&home, &format!("{r}/tampered:1"), &["--verify-key", key]);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "bad-signature"
    );

    // The payload changed after signing (its layer digest follows the new bytes).
    let edited = image(&registry, "edited", 44);
    let signed = simple_signing(&registry, "edited", &edited.digest);
    let signature = sign(&private, &signed);
    let mut payload = signed.clone();
    payload.extend_from_slice(b" ");
    push_sig_tag(&registry, "edited", &edited.digest, &payload, &signature);
    let (code, report) = json_verify(&home, &format!("{r}/edited:1"), &["--verify-key", key]);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "bad-signature"
    );
}

#[test]
fn verify_key_accepts_a_sigstore_bundle_referrer_and_refuses_one_for_another_digest() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let keys = tempfile::tempdir().unwrap();
    let (private, public) = key_pair(keys.path(), "cosign");
    let (other_private, _) = key_pair(keys.path(), "other");
    let key = public.to_str().unwrap();
    let r = &registry.addr;

    let dsse = image(&registry, "dsse", 51);
    attach_bundle(
        &registry,
        "dsse",
        &dsse,
        &dsse_bundle(&private, &dsse.digest),
    );
    let (code, report) = json_verify(&home, &format!("{r}/dsse:1"), &["--verify-key", key]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        report["checks"][0]["signature"]["envelope"],
        "sigstore-bundle"
    );

    let message = image(&registry, "message", 52);
    attach_bundle(
        &registry,
        "message",
        &message,
        &message_bundle(&private, &message.bytes),
    );
    let (code, report) = json_verify(&home, &format!("{r}/message:1"), &["--verify-key", key]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        report["checks"][0]["signature"]["envelope"],
        "sigstore-bundle"
    );

    // A statement about another image, and one signed by another key.
    let elsewhere = image(&registry, "elsewhere", 53);
    attach_bundle(
        &registry,
        "elsewhere",
        &elsewhere,
        &dsse_bundle(&private, &dsse.digest),
    );
    let (code, report) = json_verify(&home, &format!("{r}/elsewhere:1"), &["--verify-key", key]);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "wrong-subject"
    );

    let foreign = image(&registry, "foreign", 54);
    attach_bundle(
        &registry,
        "foreign",
        &foreign,
        &dsse_bundle(&other_private, &foreign.digest),
    );
    let (code, report) = json_verify(&home, &format!("{r}/foreign:1"), &["--verify-key", key]);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(
        report["checks"][0]["rejected"][0]["failure"],
        "bad-signature"
    );
}

#[test]
fn verify_key_refuses_private_and_foreign_key_files_before_any_request() {
    let home = Home::new();
    let keys = tempfile::tempdir().unwrap();
    let (private, _) = key_pair(keys.path(), "cosign");
    let rsa = keys.path().join("rsa.pub");
    let rsa_key = keys.path().join("rsa.key");
    openssl(&["genrsa", "-out", rsa_key.to_str().unwrap(), "2048"]);
    openssl(&[
        "rsa",
        "-in",
        rsa_key.to_str().unwrap(),
        "-pubout",
        "-out",
        rsa.to_str().unwrap(),
    ]);
    // Port 9 on 127.0.0.1: nothing is asked of it, the key is refused first.
    home.aseecr()
        .args([
            "verify",
            "127.0.0.1:9/app:1",
            "--verify-key",
            private.to_str().unwrap(),
        ])
        .run()
        .code(2)
        .stderr_has("is a private key")
        .stderr_has("help:");
    home.aseecr()
        .args([
            "verify",
            "127.0.0.1:9/app:1",
            "--verify-key",
            rsa.to_str().unwrap(),
        ])
        .run()
        .code(2)
        .stderr_has("is not an ECDSA P-256 key");
    home.aseecr()
        .args(["verify", "127.0.0.1:9/app:1"])
        .run()
        .code(2)
        .stderr_has("nothing to verify against");
}

/// A trust store with one named CA store `NAME` holding a self-signed root.
fn trust_store(dir: &Path, name: &str) -> PathBuf {
    let store = dir.join("truststore");
    let named = store.join("x509").join("ca").join(name);
    std::fs::create_dir_all(&named).unwrap();
    let key = dir.join(format!("{name}-root.key"));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/C=US/ST=WA/O=Test Root",
        "-keyout",
        key.to_str().unwrap(),
        "-out",
        named.join("root.pem").to_str().unwrap(),
    ]);
    store
}

fn write_policy(dir: &Path, name: &str, policy: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(policy).unwrap()).unwrap();
    path
}

fn statement(name: &str, scopes: &[&str], level: &str) -> Value {
    if level == "skip" {
        return json!({"name": name, "registryScopes": scopes, "signatureVerification": {"level": level}});
    }
    json!({
        "name": name,
        "registryScopes": scopes,
        "signatureVerification": {"level": level},
        "trustStores": ["ca:supplychain"],
        "trustedIdentities": ["x509.subject: CN=Signer,O=Test Corporation,L=Redmond,ST=Washington,C=US"]
    })
}

#[test]
fn trust_policy_errors_name_the_statement_and_the_value_at_fault() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let good = statement("global", &["*"], "strict");
    let with = |field: &str, value: Value| {
        let mut s = good.clone();
        s[field] = value;
        json!({"version": "1.0", "trustPolicies": [s]})
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"version": "2.0", "trustPolicies": [good.clone()]}),
            "has version \"2.0\"",
        ),
        (
            json!({"version": "1.0", "trustPolicies": []}),
            "has no `trustPolicies`",
        ),
        (
            with("trustStores", json!([])),
            "statement \"global\" needs both `trustStores` and `trustedIdentities`",
        ),
        (
            with("trustStores", json!(["x509:store"])),
            "of type \"x509\"",
        ),
        (
            with("trustStores", json!(["ca:bad/name"])),
            "whose name is not [a-zA-Z0-9_.-]+",
        ),
        (
            with(
                "trustedIdentities",
                json!(["x509.subject: CN=Signer,O=Test"]),
            ),
            "has no `C`",
        ),
        (
            with(
                "trustedIdentities",
                json!(["*", "x509.subject: C=US,ST=WA,O=Test"]),
            ),
            "\"*\" must be alone",
        ),
        (
            with(
                "trustedIdentities",
                json!([
                    "x509.subject: C=US,ST=WA,O=Test",
                    "x509.subject: C=US,ST=WA,O=Test,CN=Signer"
                ]),
            ),
            "overlapping trusted identities",
        ),
        (
            with("signatureVerification", json!({"level": "strictest"})),
            "has level \"strictest\"",
        ),
        (
            with(
                "signatureVerification",
                json!({"level": "strict", "override": {"integrity": "log"}}),
            ),
            "overrides \"integrity\"",
        ),
        (
            with(
                "signatureVerification",
                json!({"level": "strict", "override": {"expiry": "skip"}}),
            ),
            "only \"revocation\" can be skipped",
        ),
        (
            with("registryScopes", json!(["*", "registry.example.com/app"])),
            "\"*\" must be alone",
        ),
        (
            with("registryScopes", json!(["app"])),
            "not a fully qualified repository",
        ),
        (
            json!({"version": "1.0", "trustPolicies": [statement("all", &["*"], "skip")]}),
            "skips verification for every image",
        ),
        (
            json!({"version": "1.0", "trustPolicies": [good.clone(), statement("again", &["*"], "audit")]}),
            "in statements \"global\" and \"again\"",
        ),
        (
            json!({"version": "1.0", "trustPolicies": [good.clone(), statement("global", &["r.example.com/a"], "audit")]}),
            "two statements named \"global\"",
        ),
        (
            json!({"version": "1.0", "trustPolicies": [{"name": "s", "registryScopes": ["*"], "signatureVerification": {"level": "skip"}, "trustStores": ["ca:x"]}]}),
            "skips verification but names trust stores",
        ),
    ];
    for (i, (policy, expected)) in cases.iter().enumerate() {
        let file = write_policy(dir.path(), &format!("policy-{i}.json"), policy);
        home.aseecr()
            .args([
                "verify",
                "127.0.0.1:9/app:1",
                "--verify-policy",
                file.to_str().unwrap(),
            ])
            .run()
            .code(2)
            .stderr_has(&format!("trust policy `{}`", file.display()))
            .stderr_has(expected)
            .stderr_has("help: fix the trust policy");
    }
    // Not JSON at all.
    let file = dir.path().join("garbage.json");
    std::fs::write(&file, "{ not json").unwrap();
    home.aseecr()
        .args([
            "verify",
            "127.0.0.1:9/app:1",
            "--verify-policy",
            file.to_str().unwrap(),
        ])
        .run()
        .code(2)
        .stderr_has("is not a valid trust policy");
}

#[test]
fn trust_policy_picks_the_exact_scope_before_the_global_one_and_applies_its_level() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let store = trust_store(dir.path(), "supplychain");
    let r = &registry.addr;
    let skipped = format!("{r}/skipped");
    let audited = format!("{r}/audited");
    let policy = write_policy(
        dir.path(),
        "trustpolicy.json",
        &json!({"version": "1.0", "trustPolicies": [
            statement("unsigned-ok", &[&skipped], "skip"),
            statement("audit-only", &[&audited], "audit"),
            statement("everything-else", &["*"], "strict"),
        ]}),
    );
    let args = [
        "--verify-policy",
        policy.to_str().unwrap(),
        "--trust-store",
        store.to_str().unwrap(),
    ];
    image(&registry, "skipped", 61);
    image(&registry, "audited", 62);
    image(&registry, "strict", 63);

    let (code, report) = json_verify(&home, &format!("{skipped}:1"), &args);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["status"], "skipped");
    assert_eq!(report["verified"], false);
    assert_eq!(report["checks"][0]["statement"], "unsigned-ok");
    assert_eq!(report["checks"][0]["level"], "skip");

    // audit: nothing verified, reported, exit 0.
    let (code, report) = json_verify(&home, &format!("{audited}:1"), &args);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["status"], "unverified");
    assert_eq!(report["checks"][0]["statement"], "audit-only");
    assert_eq!(report["checks"][0]["level"], "audit");
    verify(&home, &format!("{audited}:1"), &args)
        .code(0)
        .stdout_has("unverified (audit)")
        .stdout_has("not verified, audit only: it carries no Notary Project signature");

    // strict through the global statement: no signature fails.
    let (code, report) = json_verify(&home, &format!("{r}/strict:1"), &args);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(report["checks"][0]["statement"], "everything-else");
    assert_eq!(report["checks"][0]["level"], "strict");
    assert_eq!(report["error"]["kind"], "unverified");
    verify(&home, &format!("{r}/strict:1"), &args)
        .code(UNVERIFIED)
        .stderr_has("which statement \"everything-else\" (level strict) requires")
        .stderr_has("help:");
}

#[test]
fn trust_policy_without_a_statement_for_the_repository_refuses_it() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let store = trust_store(dir.path(), "supplychain");
    let policy = write_policy(
        dir.path(),
        "trustpolicy.json",
        &json!({"version": "1.0", "trustPolicies": [statement("one", &["other.example.com/app"], "strict")]}),
    );
    image(&registry, "app", 71);
    verify(
        &home,
        &format!("{}/app:1", registry.addr),
        &[
            "--verify-policy",
            policy.to_str().unwrap(),
            "--trust-store",
            store.to_str().unwrap(),
        ],
    )
    .code(UNVERIFIED)
    .stderr_has(&format!(
        "no statement of the trust policy applies to `{}/app`",
        registry.addr
    ))
    .stderr_has("help: add a statement");
}

#[test]
fn a_notary_signature_that_is_no_envelope_is_refused_even_under_audit() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let store = trust_store(dir.path(), "supplychain");
    let policy = write_policy(
        dir.path(),
        "trustpolicy.json",
        &json!({"version": "1.0", "trustPolicies": [statement("all", &["*"], "audit")]}),
    );
    let subject = image(&registry, "app", 81);
    let signature = push_signature(&registry, "app", &subject, "signer");
    write_index(&registry, "app", &subject.digest, &[signature.entry()]);
    let args = [
        "--verify-policy",
        policy.to_str().unwrap(),
        "--trust-store",
        store.to_str().unwrap(),
    ];
    let target = format!("{}/app:1", registry.addr);
    // Integrity is enforced at every level: bytes that are no COSE envelope fail.
    let (code, report) = json_verify(&home, &target, &args);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert_eq!(report["verified"], false);
    let rejected = &report["checks"][0]["rejected"][0];
    assert_eq!(rejected["failure"], "malformed");
    assert_eq!(rejected["envelope"], "notary-cose");
    assert_eq!(rejected["manifest"], signature.digest.as_str());
}

#[test]
fn trust_store_problems_are_usage_errors_naming_the_store() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let store = trust_store(dir.path(), "other");
    let policy = write_policy(
        dir.path(),
        "trustpolicy.json",
        &json!({"version": "1.0", "trustPolicies": [statement("all", &["*"], "strict")]}),
    );
    image(&registry, "app", 91);
    let target = format!("{}/app:1", registry.addr);
    let args = [
        "--verify-policy",
        policy.to_str().unwrap(),
        "--trust-store",
        store.to_str().unwrap(),
    ];
    verify(&home, &target, &args)
        .code(2)
        .stderr_has("trust store `ca:supplychain` cannot be read");
    // A named store holding something that is no certificate.
    let named = store.join("x509/ca/supplychain");
    std::fs::create_dir_all(&named).unwrap();
    std::fs::write(named.join("root.pem"), "not a certificate").unwrap();
    verify(&home, &target, &args)
        .code(2)
        .stderr_has("which is no certificate");
    // A symbolic link in place of a certificate file (wine resolves unix links
    // below the Windows program, which cannot see them).
    #[cfg(unix)]
    if !crate::util::windows_target() {
        std::fs::remove_file(named.join("root.pem")).unwrap();
        std::os::unix::fs::symlink(store.join("x509/ca/other/root.pem"), named.join("root.pem"))
            .unwrap();
        verify(&home, &target, &args)
            .code(2)
            .stderr_has("a symbolic link");
    }
}

#[test]
fn config_keys_and_the_default_folder_give_verify_its_policy_and_store() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let store = trust_store(dir.path(), "supplychain");
    let policy = write_policy(
        dir.path(),
        "trustpolicy.json",
        &json!({"version": "1.0", "trustPolicies": [statement("configured", &["*"], "audit")]}),
    );
    image(&registry, "app", 95);
    let target = format!("{}/app:1", registry.addr);

    // Neither set nor in the folder: nothing to verify against.
    verify(&home, &target, &[])
        .code(2)
        .stderr_has("nothing to verify against");

    // A policy that does not validate is refused by `config set`.
    let bad = write_policy(dir.path(), "bad.json", &json!({"version": "9"}));
    home.aseecr()
        .args(["config", "set", "verify-policy", bad.to_str().unwrap()])
        .run()
        .code(2)
        .stderr_has("has version \"9\"");
    home.aseecr()
        .args(["config", "set", "verify-policy", policy.to_str().unwrap()])
        .ok();
    home.aseecr()
        .args(["config", "set", "trust-store", store.to_str().unwrap()])
        .ok();
    home.aseecr()
        .args(["config", "get", "trust-store"])
        .ok()
        .stdout_has(&shown(&store));
    let listing = home
        .aseecr()
        .args(["config", "list", "--format", "json"])
        .ok()
        .json();
    // Kept absolute (the Windows build writes the drive wine maps it to).
    if !crate::util::windows_target() {
        assert_eq!(listing["verifyPolicy"], policy.to_str().unwrap());
        assert_eq!(listing["trustStore"], store.to_str().unwrap());
    }
    let (code, report) = json_verify(&home, &target, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["checks"][0]["statement"], "configured");
    if !crate::util::windows_target() {
        assert_eq!(report["checks"][0]["policy"], policy.to_str().unwrap());
    }

    // Unset: the configuration folder's verify/ is the default.
    home.aseecr()
        .args(["config", "unset", "verify-policy"])
        .ok();
    home.aseecr().args(["config", "unset", "trust-store"]).ok();
    let folder = home.config_dir().join("verify");
    std::fs::create_dir_all(&folder).unwrap();
    write_policy(
        &folder,
        "trustpolicy.json",
        &json!({"version": "1.0", "trustPolicies": [statement("from-folder", &["*"], "audit")]}),
    );
    // Its trust store is verify/truststore there: missing, a usage error naming it.
    verify(&home, &target, &[])
        .code(2)
        .stderr_has(&shown(&folder.join("truststore")));
    copy_dir(&store, &folder.join("truststore"));
    let (code, report) = json_verify(&home, &target, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["checks"][0]["statement"], "from-folder");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// How the program under test names `path`: whole; on the Windows build, which
/// shows it under wine's drive with its own separators, by its last part (the
/// Linux run checks the whole).
fn shown(path: &std::path::Path) -> String {
    if crate::util::windows_target() {
        path.file_name().unwrap().to_string_lossy().into_owned()
    } else {
        path.display().to_string()
    }
}
