//! Verification at the source before the push, in every copy path (`mirror`
//! of one image, a batch, a fan-out to several registries, `sync`, `k8s
//! cronjob`), against Debian's docker-registry 2.8: signatures made here (the
//! cosign `.sig` tag with the openssl CLI, Notary Project COSE envelopes with
//! tests/util/notary_gen.py), destinations behind the request-logging proxy so
//! that a refused image is seen to reach no destination at all.

use serde_json::{Value, json};

use crate::util::proxy::{Behaviour, Proxy};
use crate::util::referrers::{Pushed, get_manifest};
use crate::util::{Home, TestImage, TestRegistry};
use crate::verify::{UNVERIFIED, key_id, key_pair, sign_tag};

fn mirror(home: &Home) -> crate::util::cmd::Aseecr {
    home.aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http"])
}

/// An image at `repository:1` on `registry`, as the registry serves it.
fn image(registry: &TestRegistry, repository: &str, seed: u64) -> Pushed {
    TestImage::single(seed, &[512]).push(registry, &format!("{repository}:1"), false);
    get_manifest(registry, repository, "1").unwrap()
}

/// The requests a destination behind `proxy` received that name `repository`.
fn requests_for(proxy: &Proxy, repository: &str) -> Vec<String> {
    let needle = format!("/v2/{repository}/");
    proxy
        .stats
        .paths
        .lock()
        .unwrap()
        .iter()
        .filter(|line| line.contains(&needle))
        .cloned()
        .collect()
}

/// A signed image and an unsigned one, with the key pair that signed.
struct Signed {
    _keys: tempfile::TempDir,
    public: std::path::PathBuf,
    signed: Pushed,
}

fn signed_and_unsigned(source: &TestRegistry) -> Signed {
    let keys = tempfile::tempdir().unwrap();
    let (private, public) = key_pair(keys.path(), "cosign");
    let signed = image(source, "signed", 501);
    sign_tag(source, "signed", &signed.digest, &signed.digest, &private);
    image(source, "unsigned", 502);
    Signed {
        _keys: keys,
        public,
        signed,
    }
}

#[test]
fn mirror_verify_key_copies_the_signed_image_and_sends_nothing_for_the_unsigned_one() {
    let source = TestRegistry::plain();
    let destination = TestRegistry::plain();
    let proxy = Proxy::start(&destination.addr, Behaviour::default());
    let home = Home::new();
    let keys = signed_and_unsigned(&source);
    let key = keys.public.to_str().unwrap();
    let (s, d) = (&source.addr, &proxy.addr);

    // The unsigned image alone: refused with its own exit code, a help line,
    // and not one request to the destination.
    mirror(&home)
        .args([&format!("{s}/unsigned:1"), &format!("{d}/unsigned:1")])
        .args(["--verify-key", key])
        .run()
        .code(UNVERIFIED)
        .stderr_has("is not verified")
        .stderr_has("nothing was sent to the destination")
        .stderr_has("help:");
    assert!(
        proxy.stats.paths.lock().unwrap().is_empty(),
        "{:?}",
        proxy.stats.paths.lock().unwrap()
    );

    // A batch: the signed image is copied and says who signed it, the
    // unsigned one fails alone and its repository hears nothing.
    let out = mirror(&home)
        .args([&format!("{s}/signed:1"), &format!("{s}/unsigned:1")])
        .args(["--to", d, "--verify-key", key, "--format", "json"])
        .run();
    let report = out.json();
    assert_eq!(out.code, 1, "{report:#}\n{}", out.stderr);
    let items = report["items"].as_array().unwrap();
    let signed = items
        .iter()
        .find(|i| i["source"].as_str().unwrap().contains("/signed:1"))
        .unwrap();
    assert_eq!(signed["status"], "copied", "{report:#}");
    let verification = &signed["verification"];
    assert_eq!(verification["status"], "verified", "{report:#}");
    assert_eq!(verification["digest"], keys.signed.digest.as_str());
    assert_eq!(verification["envelope"], "cosign-tag");
    assert_eq!(
        verification["identity"],
        format!("key {}", key_id(&keys.public)).as_str()
    );
    assert_eq!(verification["checks"][0]["by"], "key");
    assert_eq!(verification["checks"][0]["level"], "strict");
    let unsigned = items
        .iter()
        .find(|i| i["source"].as_str().unwrap().contains("/unsigned:1"))
        .unwrap();
    assert_eq!(unsigned["status"], "failed", "{report:#}");
    assert_eq!(unsigned["error"]["kind"], "unverified");
    assert_eq!(unsigned["verification"]["status"], "failed");
    assert!(requests_for(&proxy, "unsigned").is_empty());
    assert!(!requests_for(&proxy, "signed").is_empty());
    assert_eq!(
        get_manifest(&destination, "signed", "1").map(|m| m.digest),
        Some(keys.signed.digest.clone())
    );
    assert!(get_manifest(&destination, "unsigned", "1").is_none());

    // The text line says who signed.
    mirror(&home)
        .args([&format!("{s}/signed:1"), &format!("{d}/signed:1")])
        .args(["--verify-key", key])
        .run()
        .code(0)
        .stdout_has(&format!("verified by key {}", key_id(&keys.public)));

    // Without a flag nothing is verified (and nothing said about it), even
    // with a default policy in the configuration folder.
    let folder = home.config_dir().join("verify");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("trustpolicy.json"),
        r#"{"version":"1.0","trustPolicies":[{"name":"all","registryScopes":["*"],"signatureVerification":{"level":"strict"},"trustStores":["ca:x"],"trustedIdentities":["*"]}]}"#,
    )
    .unwrap();
    let out = mirror(&home)
        .args([&format!("{s}/unsigned:1"), &format!("{d}/unsigned:1")])
        .args(["--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.json()["items"][0].get("verification").is_none());
}

#[test]
fn fan_out_verifies_once_and_sends_nothing_anywhere_for_a_refused_image() {
    let source = TestRegistry::plain();
    let (a, b) = (TestRegistry::plain(), TestRegistry::plain());
    let (proxy_a, proxy_b) = (
        Proxy::start(&a.addr, Behaviour::default()),
        Proxy::start(&b.addr, Behaviour::default()),
    );
    let source_proxy = Proxy::start(&source.addr, Behaviour::default());
    let home = Home::new();
    let keys = signed_and_unsigned(&source);
    let s = &source_proxy.addr;

    let out = mirror(&home)
        .args([&format!("{s}/signed:1"), &format!("{s}/unsigned:1")])
        .args(["--to", &proxy_a.addr, "--to", &proxy_b.addr])
        .args(["--verify-key", keys.public.to_str().unwrap()])
        .args(["--no-referrers", "--format", "json"])
        .run();
    let report = out.json();
    assert_eq!(out.code, 1, "{report:#}\n{}", out.stderr);
    for proxy in [&proxy_a, &proxy_b] {
        assert!(requests_for(proxy, "unsigned").is_empty());
        assert!(!requests_for(proxy, "signed").is_empty());
    }
    for registry in [&a, &b] {
        assert!(get_manifest(registry, "unsigned", "1").is_none());
        assert!(get_manifest(registry, "signed", "1").is_some());
    }
    let failed: Vec<&Value> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{report:#}");
    assert!(failed.iter().all(|i| i["error"]["kind"] == "unverified"));
    // Verified once at the source for both destinations (no referrers are
    // copied: the check is the only reader of the signature's tag).
    let paths = source_proxy.stats.paths.lock().unwrap().clone();
    for repository in ["signed", "unsigned"] {
        let sig_reads = paths
            .iter()
            .filter(|l| l.contains(&format!("/v2/{repository}/")) && l.ends_with(".sig"))
            .count();
        assert_eq!(sig_reads, 1, "{paths:#?}");
    }

    // The refused image alone: each destination's item says why, with the verdict.
    let out = mirror(&home)
        .arg(format!("{s}/unsigned:1"))
        .args(["--to", &proxy_a.addr, "--to", &proxy_b.addr])
        .args(["--verify-key", keys.public.to_str().unwrap()])
        .args(["--format", "json"])
        .run();
    let report = out.json();
    assert_ne!(out.code, 0, "{report:#}");
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{report:#}");
    for item in items {
        assert_eq!(item["error"]["kind"], "unverified", "{report:#}");
        assert_eq!(item["verification"]["status"], "failed", "{report:#}");
    }
    for proxy in [&proxy_a, &proxy_b] {
        assert!(requests_for(proxy, "unsigned").is_empty());
    }
}

/// Notary Project COSE under a strict policy: copied; a policy trusting
/// someone else: refused; the same under `audit`: copied and reported.
#[test]
fn notary_policy_copies_what_it_trusts_refuses_the_rest_and_audit_reports() {
    use crate::verify_notary::{SIGNER, attach, generate, policy, trust_store};
    let source = TestRegistry::plain();
    let destination = TestRegistry::plain();
    let proxy = Proxy::start(&destination.addr, Behaviour::default());
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let subject = image(&source, "dotnet", 511);
    image(&source, "plain", 512);
    let generated = dir.path().join("generated");
    generate(&generated, &subject);
    let cose = std::fs::read(generated.join("cose-ts.cose")).unwrap();
    attach(&source, "dotnet", &subject, "application/cose", &cose);
    let store = trust_store(dir.path(), &generated);
    let trusted = policy(dir.path(), &format!("x509.subject: {SIGNER}"));
    let stranger = policy(
        dir.path(),
        "x509.subject: C=US, ST=WA, O=aseecr tests, CN=someone else",
    );
    let (s, d) = (&source.addr, &proxy.addr);
    let run = |image: &str, policy: &std::path::Path| {
        let out = mirror(&home)
            .args([&format!("{s}/{image}:1"), &format!("{d}/{image}:1")])
            .args(["--verify-policy", policy.to_str().unwrap()])
            .args(["--trust-store", store.to_str().unwrap()])
            .args(["--format", "json"])
            .run();
        (out.code, out.json())
    };

    let (code, report) = run("dotnet", &stranger);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    let item = &report["items"][0];
    assert_eq!(item["error"]["kind"], "unverified");
    assert_eq!(
        item["verification"]["checks"][0]["rejected"][0]["failure"],
        "untrusted-identity"
    );
    assert!(requests_for(&proxy, "dotnet").is_empty());

    let (code, report) = run("dotnet", &trusted);
    assert_eq!(code, 0, "{report:#}");
    let verification = &report["items"][0]["verification"];
    assert_eq!(verification["status"], "verified", "{report:#}");
    assert_eq!(verification["envelope"], "notary-cose");
    assert_eq!(verification["identity"], SIGNER);
    assert_eq!(verification["checks"][0]["level"], "strict");
    assert_eq!(
        get_manifest(&destination, "dotnet", "1").map(|m| m.digest),
        Some(subject.digest.clone())
    );

    // Unsigned under strict: refused; under audit: copied, reported unverified.
    let (code, report) = run("plain", &trusted);
    assert_eq!(code, UNVERIFIED, "{report:#}");
    assert!(requests_for(&proxy, "plain").is_empty());
    let audit = dir.path().join("audit.json");
    let doc = json!({"version": "1.0", "trustPolicies": [{
        "name": "audit-all",
        "registryScopes": ["*"],
        "signatureVerification": {"level": "audit"},
        "trustStores": ["ca:supplychain"],
        "trustedIdentities": ["*"],
    }]});
    std::fs::write(&audit, doc.to_string()).unwrap();
    let (code, report) = run("plain", &audit);
    assert_eq!(code, 0, "{report:#}");
    let item = &report["items"][0];
    assert_eq!(item["status"], "copied");
    assert_eq!(item["verification"]["status"], "unverified", "{report:#}");
    assert_eq!(item["verification"]["checks"][0]["level"], "audit");
    assert!(get_manifest(&destination, "plain", "1").is_some());
}

#[test]
fn sync_verify_key_per_image_and_false_to_skip() {
    let source = TestRegistry::plain();
    let destination = TestRegistry::plain();
    let proxy = Proxy::start(&destination.addr, Behaviour::default());
    let home = Home::new();
    let keys = signed_and_unsigned(&source);
    image(&source, "tools", 503);
    let dir = home.path().join("fleet");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&keys.public, dir.join("cosign.pub")).unwrap();
    let write = |text: &str| {
        let file = dir.join("fleet.yaml");
        std::fs::write(&file, text).unwrap();
        file
    };
    let fleet = format!(
        "destinations:\n  - {{name: edge, registry: \"{d}\", plainHttp: true}}\nsources:\n  \"{s}\": {{plainHttp: true}}\nverify: {{key: cosign.pub}}\nimages:\n  - source: {s}/signed\n    tags: [\"1\"]\n  - source: {s}/unsigned\n    tags: [\"1\"]\n  - source: {s}/tools\n    tags: [\"1\"]\n    verify: false\n",
        s = source.addr,
        d = proxy.addr
    );
    let file = write(&fleet);
    let out = home
        .aseecr()
        .args(["sync", file.to_str().unwrap(), "--format", "json"])
        .run();
    let report = out.json();
    assert_eq!(out.code, 1, "{report:#}\n{}", out.stderr);
    let items = report["destinations"][0]["items"].as_array().unwrap();
    let item = |name: &str| {
        items
            .iter()
            .find(|i| i["source"].as_str().unwrap().contains(&format!("/{name}:")))
            .unwrap()
    };
    assert_eq!(item("signed")["verification"]["status"], "verified");
    assert_eq!(item("unsigned")["error"]["kind"], "unverified");
    assert_eq!(item("tools")["status"], "copied");
    assert!(item("tools").get("verification").is_none());
    assert!(requests_for(&proxy, "unsigned").is_empty());
    assert!(get_manifest(&destination, "tools", "1").is_some());

    // Bad `verify` values are errors of the file, with their line.
    for (bad, expected) in [
        ("verify: maybe\n", "3:9"),
        ("verify: {key: missing.pub}\n", "3:15"),
        ("verify: {}\n", "3:9"),
        ("verify: {key: cosign.pub, colour: red}\n", "3:27"),
    ] {
        let text = format!(
            "destinations:\n  - {{name: edge, registry: \"{}\"}}\n{bad}images:\n  - source: x/y\n    tags: [\"1\"]\n",
            proxy.addr
        );
        let file = write(&text);
        home.aseecr()
            .args(["sync", file.to_str().unwrap()])
            .run()
            .code(2)
            .stderr_has(expected)
            .stderr_has("verify");
    }
}

#[test]
fn cronjob_carries_the_key_the_policy_and_the_trust_store_to_the_pod() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let (_, public) = key_pair(dir.path(), "cosign");
    let store = dir.path().join("truststore");
    let ca = store.join("x509/ca/supplychain");
    std::fs::create_dir_all(&ca).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let root = rcgen::CertificateParams::new(vec!["root.example".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    std::fs::write(ca.join("root.pem"), root.pem()).unwrap();
    let policy = dir.path().join("trustpolicy.json");
    std::fs::write(
        &policy,
        r#"{"version":"1.0","trustPolicies":[{"name":"mcr","registryScopes":["*"],"signatureVerification":{"level":"strict"},"trustStores":["ca:supplychain"],"trustedIdentities":["*"]}]}"#,
    )
    .unwrap();
    let file = home.path().join("fleet.yaml");
    std::fs::write(
        &file,
        "destinations:\n  - {name: a, registry: ecr.example:31001}\nimages:\n  - source: nginx\n    tags: [\"1.25\"]\n",
    )
    .unwrap();
    let cronjob = |extra: &[&str]| {
        home.aseecr()
            .args(["k8s", "cronjob", file.to_str().unwrap()])
            .args(["--schedule", "@daily", "--image", "x/aseecr:1"])
            .args(extra)
            .run()
    };
    let out = cronjob(&[
        "--verify-key",
        public.to_str().unwrap(),
        "--verify-policy",
        policy.to_str().unwrap(),
        "--trust-store",
        store.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stdout = &out.stdout;
    let public_pem = std::fs::read_to_string(&public).unwrap();
    let first_key_line = public_pem.lines().nth(1).unwrap();
    for expected in [
        "  verify-key.pub: |\n    -----BEGIN PUBLIC KEY-----\n",
        first_key_line,
        "  trustpolicy.json: ",
        "\"trustStores\":[\"ca:supplychain\"]",
        "  truststore.ca.supplychain.0.pem: |\n    -----BEGIN CERTIFICATE-----\n",
        "                - \"--verify-key\"\n                - /etc/aseecr/verify-key.pub\n                - \"--verify-policy\"\n                - /etc/aseecr/trustpolicy.json\n                - \"--trust-store\"\n                - /etc/aseecr-truststore\n",
        "                - name: trust-store\n                  mountPath: /etc/aseecr-truststore\n                  readOnly: true\n",
        "            - name: trust-store\n              configMap:\n                name: aseecr-sync\n                items:\n                  - key: truststore.ca.supplychain.0.pem\n                    path: x509/ca/supplychain/0.pem\n",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }

    // A policy naming a store the folder lacks is an error here, not in the pod.
    std::fs::remove_dir_all(&ca).unwrap();
    cronjob(&[
        "--verify-policy",
        policy.to_str().unwrap(),
        "--trust-store",
        store.to_str().unwrap(),
    ])
    .code(2)
    .stderr_has("supplychain");

    // A sync file naming a key file: the pod would not have it.
    std::fs::write(
        &file,
        "destinations:\n  - {name: a, registry: ecr.example:31001}\nverify: {key: cosign.pub}\nimages:\n  - source: nginx\n    tags: [\"1.25\"]\n",
    )
    .unwrap();
    cronjob(&[])
        .code(2)
        .stderr_has("the CronJob's pod does not have")
        .stderr_has("--verify-key");
}

/// The cost: a verified re-mirror of an image already at the destination
/// reads, beyond the unverified re-mirror, only the signature (its manifest,
/// its blob) from the source; the destination sees the same requests
/// (docs/benchmarks.md, Verification cost).
#[test]
fn a_verified_remirror_of_an_up_to_date_image_adds_only_the_signature_reads() {
    let source = TestRegistry::plain();
    let destination = TestRegistry::plain();
    let source_proxy = Proxy::start(&source.addr, Behaviour::default());
    let destination_proxy = Proxy::start(&destination.addr, Behaviour::default());
    let home = Home::new();
    let keys = signed_and_unsigned(&source);
    let key = keys.public.to_str().unwrap();
    let run = |verify: bool| {
        source_proxy.stats.paths.lock().unwrap().clear();
        destination_proxy.stats.paths.lock().unwrap().clear();
        let mut command = mirror(&home).args([
            &format!("{}/signed:1", source_proxy.addr),
            &format!("{}/signed:1", destination_proxy.addr),
        ]);
        if verify {
            command = command.args(["--verify-key", key]);
        }
        command.run().code(0);
        let mut src = source_proxy.stats.paths.lock().unwrap().clone();
        let mut dst = destination_proxy.stats.paths.lock().unwrap().clone();
        src.sort();
        dst.sort();
        (src, dst)
    };
    run(false);
    let (plain_src, plain_dst) = run(false);
    let (verified_src, verified_dst) = run(true);
    let mut extra = verified_src.clone();
    for line in &plain_src {
        if let Some(i) = extra.iter().position(|l| l == line) {
            extra.remove(i);
        }
    }
    println!(
        "source requests: {} unverified, {} verified; extra: {extra:#?}",
        plain_src.len(),
        verified_src.len()
    );
    assert_eq!(verified_dst, plain_dst);
    assert!(extra.len() <= 2, "{extra:#?}");
    let tag = format!("{}.sig", keys.signed.digest.replace(':', "-"));
    for line in &extra {
        let allowed = line.ends_with(&tag)
            || line.contains("/v2/signed/blobs/")
            || line.contains("/v2/signed/referrers/")
            || line.ends_with(&keys.signed.digest.replace(':', "-"));
        assert!(allowed, "{line} in {extra:#?}");
    }
}

/// `k8s relocate --mirror` verifies as `mirror` does: a refused image fails
/// the run before any request for it, and no manifest is rewritten; the
/// flags without --mirror are a usage error.
#[test]
fn relocate_mirror_refuses_an_unsigned_image_and_rewrites_nothing() {
    let source = TestRegistry::plain();
    let destination = TestRegistry::plain();
    let proxy = Proxy::start(&destination.addr, Behaviour::default());
    let home = Home::new();
    let keys = signed_and_unsigned(&source);
    let key = keys.public.to_str().unwrap();
    let manifest = home.path().join("pod.yaml");
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: {}/unsigned:1\n",
        source.addr
    );
    std::fs::write(&manifest, &text).unwrap();
    let relocate = |extra: &[&str]| {
        home.aseecr()
            .args(["k8s", "relocate", "--plain-http", "--registry", &proxy.addr])
            .args(extra)
            .arg(&manifest)
            .run()
    };
    relocate(&["--verify-key", key])
        .code(2)
        .stderr_has("--mirror");
    let out = relocate(&["--mirror", "--in-place", "--verify-key", key]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("is not verified"), "{}", out.stderr);
    assert!(requests_for(&proxy, "unsigned").is_empty());
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), text);

    // The signed one goes through, and the manifest is rewritten.
    std::fs::write(&manifest, text.replace("/unsigned:1", "/signed:1")).unwrap();
    let out = relocate(&["--mirror", "--in-place", "--verify-key", key]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::read_to_string(&manifest)
            .unwrap()
            .contains(&format!("image: {}/signed:1", proxy.addr))
    );
    assert!(out.stderr.contains("verified by key"), "{}", out.stderr);
}

/// Layout sources are verified where they are: an `oci-archive:` written with
/// its signatures goes through; a `docker-archive:` holds none, so under a
/// requirement it is refused with a help line, nothing sent.
#[test]
fn layout_sources_are_verified_and_a_docker_archive_is_refused() {
    let source = TestRegistry::plain();
    let destination = TestRegistry::plain();
    let proxy = Proxy::start(&destination.addr, Behaviour::default());
    let home = Home::new();
    let keys = signed_and_unsigned(&source);
    let key = keys.public.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let oci = dir.path().join("signed.tar");
    let docker = dir.path().join("docker.tar");
    let s = &source.addr;
    mirror(&home)
        .arg(format!("{s}/signed:1"))
        .arg(format!("oci-archive:{}", oci.display()))
        .run()
        .code(0);
    mirror(&home)
        .arg(format!("{s}/signed:1"))
        .arg(format!("docker-archive:{}", docker.display()))
        .run()
        .code(0);

    let out = mirror(&home)
        .arg(format!("oci-archive:{}", oci.display()))
        .arg(format!("{}/signed:1", proxy.addr))
        .args(["--verify-key", key, "--format", "json"])
        .run();
    let report = out.json();
    assert_eq!(out.code, 0, "{report:#}\n{}", out.stderr);
    assert_eq!(report["items"][0]["verification"]["status"], "verified");

    mirror(&home)
        .arg(format!("docker-archive:{}", docker.display()))
        .arg(format!("{}/docker:1", proxy.addr))
        .args(["--verify-key", key])
        .run()
        .code(UNVERIFIED)
        .stderr_has("a docker-archive holds no signatures")
        .stderr_has("help:");
    assert!(requests_for(&proxy, "docker").is_empty());
}
