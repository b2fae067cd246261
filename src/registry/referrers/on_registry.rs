//! The fallback index writes against a real Debian `docker-registry` 2.8
//! (started here on 127.0.0.1; no command of `inspect`'s side writes, and the
//! copy commands that do are tested in tests/ with the binary). Setup requests
//! are plain HTTP written here, checks read what the registry holds.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Value, json};

use super::{IndexChange, Referrer, Via, fallback_tag};
use crate::registry::manifest::{self, Descriptor, OCI_INDEX, OCI_MANIFEST};
use crate::registry::{ConnectOptions, Registry};

struct Server {
    addr: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let config = format!(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n",
        dir.path().join("storage").display()
    );
    std::fs::write(dir.path().join("config.yml"), config).unwrap();
    let binary = std::env::var_os("ASEECR_TEST_REGISTRY_BIN")
        .unwrap_or_else(|| "/usr/bin/docker-registry".into());
    let child = Command::new(binary)
        .arg("serve")
        .arg(dir.path().join("config.yml"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start docker-registry (apt-get install docker-registry)");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(Instant::now() < deadline, "docker-registry did not start");
        std::thread::sleep(Duration::from_millis(25));
    }
    Server { addr, child, dir }
}

fn client(server: &Server, locks: &Path) -> Registry {
    let options = ConnectOptions {
        plain_http: true,
        lock_dir: Some(locks.to_owned()),
        ..ConnectOptions::default()
    };
    Registry::new(&server.addr, &options, None).unwrap()
}

async fn push_blob(http: &reqwest::Client, addr: &str, repo: &str, blob: &[u8]) -> String {
    let digest = manifest::sha256_digest(blob);
    let started = http
        .post(format!("http://{addr}/v2/{repo}/blobs/uploads/"))
        .send()
        .await
        .unwrap();
    let location = started.headers()["location"].to_str().unwrap().to_owned();
    let url = if location.starts_with("http") {
        location
    } else {
        format!("http://{addr}{location}")
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let put = http
        .put(format!("{url}{separator}digest={digest}"))
        .body(blob.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    digest
}

async fn put(http: &reqwest::Client, addr: &str, repo: &str, at: &str, kind: &str, body: &[u8]) {
    let response = http
        .put(format!("http://{addr}/v2/{repo}/manifests/{at}"))
        .header("content-type", kind)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

/// The bytes at `reference`, asked with the full Accept list; `None` on 404.
async fn get(http: &reqwest::Client, addr: &str, repo: &str, reference: &str) -> Option<Bytes> {
    let response = http
        .get(format!("http://{addr}/v2/{repo}/manifests/{reference}"))
        .header("accept", manifest::ACCEPT)
        .send()
        .await
        .unwrap();
    (response.status() != 404).then_some(())?;
    Some(response.bytes().await.unwrap())
}

/// A subject image (tagged `tag`) and `n` artifacts on it (untagged), each
/// with an annotation; their descriptors and entries.
async fn subject_with(
    http: &reqwest::Client,
    addr: &str,
    repo: &str,
    tag: &str,
    n: usize,
) -> (Descriptor, Vec<Referrer>) {
    let config = push_blob(http, addr, repo, b"{}").await;
    let empty =
        json!({"mediaType": "application/vnd.oci.empty.v1+json", "digest": config, "size": 2});
    let subject = serde_json::to_vec(&json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": empty, "layers": [], "annotations": {"tag": tag}}))
    .unwrap();
    put(http, addr, repo, tag, OCI_MANIFEST, &subject).await;
    let descriptor = Descriptor {
        digest: manifest::sha256_digest(&subject),
        media_type: OCI_MANIFEST.into(),
        size: subject.len() as u64,
    };
    let mut referrers = Vec::new();
    for i in 0..n {
        let layer = push_blob(http, addr, repo, format!("{tag}-{i}").as_bytes()).await;
        let artifact = serde_json::to_vec(&json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "artifactType": "application/spdx+json", "config": empty,
            "layers": [{"mediaType": "application/spdx+json", "digest": layer, "size": format!("{tag}-{i}").len()}],
            "subject": {"mediaType": OCI_MANIFEST, "digest": descriptor.digest, "size": descriptor.size},
            "annotations": {"n": i.to_string()}}))
        .unwrap();
        let digest = manifest::sha256_digest(&artifact);
        put(http, addr, repo, &digest, OCI_MANIFEST, &artifact).await;
        referrers.push(Referrer::of_manifest(OCI_MANIFEST, &digest, &artifact).unwrap());
    }
    (descriptor, referrers)
}

fn listed(bytes: &[u8]) -> Vec<String> {
    let index: Value = serde_json::from_slice(bytes).unwrap();
    index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["digest"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_fallback_index_is_merged_written_read_back_and_the_old_one_deleted() {
    let server = start();
    let (addr, http) = (server.addr.clone(), reqwest::Client::new());
    let registry = client(&server, &server.dir.path().join("locks"));
    let (subject, referrers) = subject_with(&http, &addr, "app", "1", 3).await;
    let tag = fallback_tag(&subject.digest);

    let change = registry
        .add_referrers("app", &subject, &referrers[..1])
        .await;
    assert_eq!(change.unwrap(), IndexChange::Written { replaced: None });
    let first = get(&http, &addr, "app", &tag).await.unwrap();
    let index: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(index["mediaType"], OCI_INDEX);
    assert_eq!(
        index["manifests"][0]["artifactType"],
        "application/spdx+json"
    );
    assert_eq!(index["manifests"][0]["annotations"]["n"], "0");
    // Again: nothing to write.
    let again = registry
        .add_referrers("app", &subject, &referrers[..1])
        .await;
    assert_eq!(again.unwrap(), IndexChange::Unchanged);
    // Two more: one write, the replaced index deleted.
    let change = registry
        .add_referrers("app", &subject, &referrers[1..])
        .await;
    assert_eq!(change.unwrap(), IndexChange::Written { replaced: None });
    let second = get(&http, &addr, "app", &tag).await.unwrap();
    let wanted: Vec<String> = referrers.iter().map(|r| r.digest.clone()).collect();
    assert_eq!(listed(&second), wanted);
    let old = manifest::sha256_digest(&first);
    assert_eq!(get(&http, &addr, "app", &old).await, None);
    // The subject and its tag are untouched; the listing reads it back.
    assert!(get(&http, &addr, "app", "1").await.is_some());
    let found = registry.referrers("app", &subject.digest).await.unwrap();
    assert_eq!(found.via, Via::FallbackTag);
    assert_eq!(found.referrers, referrers);

    // Removing: one entry, then the rest (the index and its tag go).
    let one = [referrers[0].digest.clone()];
    let change = registry
        .remove_referrers("app", &subject.digest, &one)
        .await;
    assert_eq!(change.unwrap(), IndexChange::Written { replaced: None });
    assert_eq!(
        listed(&get(&http, &addr, "app", &tag).await.unwrap()),
        wanted[1..]
    );
    let change = registry
        .remove_referrers("app", &subject.digest, &wanted)
        .await;
    assert_eq!(change.unwrap(), IndexChange::Removed);
    assert_eq!(get(&http, &addr, "app", &tag).await, None);
    assert!(get(&http, &addr, "app", "1").await.is_some());
    let found = registry.referrers("app", &subject.digest).await.unwrap();
    assert_eq!((found.via, found.referrers.len()), (Via::Nothing, 0));
    let change = registry
        .remove_referrers("app", &subject.digest, &wanted)
        .await;
    assert_eq!(change.unwrap(), IndexChange::Unchanged);
}

#[tokio::test]
async fn a_fallback_tag_holding_something_else_is_never_written_over() {
    let server = start();
    let (addr, http) = (server.addr.clone(), reqwest::Client::new());
    let registry = client(&server, &server.dir.path().join("locks"));
    let (subject, referrers) = subject_with(&http, &addr, "app", "1", 1).await;
    // The subject itself where its index should be (as a registry that
    // resolves `sha256-<hex>` as a digest hands it back).
    let image = get(&http, &addr, "app", "1").await.unwrap();
    let tag = fallback_tag(&subject.digest);
    put(&http, &addr, "app", &tag, OCI_MANIFEST, &image).await;
    let err = registry
        .add_referrers("app", &subject, &referrers)
        .await
        .unwrap_err();
    let error = crate::error::find(&err).unwrap();
    assert_eq!(error.kind, crate::error::Kind::RegistryRefused, "{err:#}");
    assert_eq!(get(&http, &addr, "app", &tag).await.unwrap(), image);
    let found = registry.referrers("app", &subject.digest).await.unwrap();
    assert_eq!(found.via, Via::Nothing);
    assert!(found.ignored.unwrap().contains("the subject itself"));
    // An entry whose manifest is not in the repository: 2.8 refuses the index.
    let (other, _) = subject_with(&http, &addr, "other", "2", 0).await;
    let err = registry
        .add_referrers("other", &other, &referrers)
        .await
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("manifests must be in"),
        "{err:#}"
    );
}

/// Writers of one subject's index take turns: 20 rounds of two clients (as
/// a fan-out to one registry would hold) adding different referrers at once
/// end with both listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_of_one_index_lose_no_entry() {
    let server = start();
    let (addr, http) = (server.addr.clone(), reqwest::Client::new());
    let locks = server.dir.path().join("locks");
    let (one, two) = (client(&server, &locks), client(&server, &locks));
    for round in 0..20 {
        let (subject, referrers) = subject_with(&http, &addr, "race", &round.to_string(), 2).await;
        let (a, b) = tokio::join!(
            one.add_referrers("race", &subject, &referrers[..1]),
            two.add_referrers("race", &subject, &referrers[1..]),
        );
        a.unwrap();
        b.unwrap();
        let index = get(&http, &addr, "race", &fallback_tag(&subject.digest))
            .await
            .unwrap();
        let mut got = listed(&index);
        got.sort();
        let mut wanted: Vec<String> = referrers.iter().map(|r| r.digest.clone()).collect();
        wanted.sort();
        assert_eq!(got, wanted, "round {round}");
    }
}
