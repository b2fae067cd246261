//! `--format json`: every data command prints exactly one JSON object on stdout,
//! on success and on failure, with the same exit code as the text output and,
//! on failure, `{"error": {"kind", "message", "help"}}` (docs/json.md).

use crate::util::image::{skopeo_config, skopeo_raw};
use crate::util::registry::{PASSWORD, USER};
use crate::util::{Aseecr, Home, TestImage, TestRegistry, authed};

/// The caveat every `freed` object carries.
const FREED_NOTE: &str = "an upper bound: untagged manifests aseecr cannot see may still hold some of these blobs; the registry frees them in its next garbage collection";

/// Run with `--format json`, require `code` and exactly one JSON object on stdout.
fn json(command: Aseecr, code: i32) -> serde_json::Value {
    let out = command.args(["--format", "json"]).run().code(code);
    let mut stream =
        serde_json::Deserializer::from_str(&out.stdout).into_iter::<serde_json::Value>();
    let first = stream
        .next()
        .unwrap_or_else(|| panic!("`aseecr {}` printed no JSON:\n{}", out.command, out.stdout))
        .unwrap_or_else(|e| {
            panic!(
                "stdout of `aseecr {}` is not JSON ({e}):\n{}",
                out.command, out.stdout
            )
        });
    assert!(
        stream.next().is_none(),
        "`aseecr {}` printed more than one JSON value:\n{}",
        out.command,
        out.stdout
    );
    assert!(first.is_object(), "{first}");
    first
}

/// A failure object of this kind, with a message and a help array.
fn assert_failure(value: &serde_json::Value, kind: &str) {
    assert_eq!(value["error"]["kind"], kind, "{value}");
    assert!(
        value["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{value}"
    );
    assert!(value["error"]["help"].is_array(), "{value}");
}

#[test]
fn registry_commands_print_one_object_on_success_and_failure() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(60, &[2000]);
    image.push(&registry, "app:v1", false);
    image.push(&registry, "app:shared", false);
    TestImage::single(61, &[1000]).push(&registry, "other:v1", false);
    let r = &registry.addr;

    let tags = json(
        authed(&home, &registry).args(["tags", &format!("{r}/app")]),
        0,
    );
    assert_eq!(tags["tags"], serde_json::json!(["shared", "v1"]));
    let missing = json(
        authed(&home, &registry).args(["tags", &format!("{r}/nope")]),
        4,
    );
    assert_failure(&missing, "repository-not-found");

    let catalog = json(authed(&home, &registry).args(["catalog", r]), 0);
    assert_eq!(catalog["repositories"], serde_json::json!(["app", "other"]));
    let port = crate::util::registry::free_port();
    let refused = json(
        home.aseecr()
            .args(["catalog", &format!("127.0.0.1:{port}")]),
        6,
    );
    // Nothing listens there: the kind says so (from io::ErrorKind, not the message).
    assert_eq!(refused["error"]["kind"], "refused", "{refused}");

    let inspect = json(
        authed(&home, &registry).args(["inspect", &format!("{r}/app:v1")]),
        0,
    );
    assert_eq!(inspect["kind"], "image");
    let unknown = json(
        authed(&home, &registry).args(["inspect", &format!("{r}/app:nope")]),
        4,
    );
    assert_failure(&unknown, "not-found");

    // A refused delete (another tag shares the digest) deletes nothing and says why.
    let refused = json(
        authed(&home, &registry).args(["delete", &format!("{r}/app:v1")]),
        1,
    );
    assert_failure(&refused, "failed");
    assert!(
        refused["error"]["help"][0]
            .as_str()
            .unwrap()
            .contains("--force"),
        "{refused}"
    );
    let planned = json(
        authed(&home, &registry).args(["delete", &format!("{r}/other:v1"), "--dry-run"]),
        0,
    );
    assert_eq!(planned["items"][0]["status"], "planned");
    assert_eq!(
        planned["summary"],
        serde_json::json!({"total": 1, "succeeded": 1, "failed": 0})
    );
    // A batch with one reference that does not resolve: the item carries the error.
    let partial = json(
        authed(&home, &registry).args([
            "delete",
            &format!("{r}/other:v1"),
            &format!("{r}/other:ghost"),
            "--yes",
        ]),
        1,
    );
    assert_eq!(
        partial["summary"],
        serde_json::json!({"total": 2, "succeeded": 1, "failed": 1})
    );
    let items = partial["items"].as_array().unwrap();
    let failed = items.iter().find(|i| i["status"] == "failed").unwrap();
    assert_eq!(failed["reference"], format!("{r}/other:ghost"));
    assert_eq!(failed["error"]["kind"], "not-found");
    let deleted = items.iter().find(|i| i["status"] == "deleted").unwrap();
    assert_eq!(deleted["tags"], serde_json::json!(["v1"]));

    // untag and prune: one object for a plan, a change, and a failure.
    let planned = json(
        authed(&home, &registry).args(["untag", &format!("{r}/app:shared"), "--dry-run"]),
        0,
    );
    assert_eq!(planned["items"][0]["status"], "planned");
    let untagged = json(
        authed(&home, &registry).args(["untag", &format!("{r}/app:shared"), "--yes"]),
        0,
    );
    assert_eq!(untagged["items"][0]["status"], "untagged");
    assert_eq!(untagged["summary"]["succeeded"], 1);
    let ghost = json(
        authed(&home, &registry).args(["untag", &format!("{r}/app:ghost"), "--yes"]),
        4,
    );
    assert_failure(&ghost, "not-found");
    let pruned = json(
        authed(&home, &registry).args(["prune", &format!("{r}/app"), "--keep", "1", "--dry-run"]),
        0,
    );
    assert_eq!(pruned["kept"][0]["tag"], "v1");
    assert!(pruned["freed"]["bytes"].is_u64(), "{pruned}");
    let no_policy = json(
        authed(&home, &registry).args(["prune", &format!("{r}/app")]),
        2,
    );
    assert_failure(&no_policy, "usage");

    let doctor = json(
        home.aseecr()
            .args(["doctor", r, "--ca-cert"])
            .arg(registry.ca_file())
            .args(["-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD),
        0,
    );
    assert_eq!(doctor["ok"], true);
    assert!(doctor.get("error").is_none(), "{doctor}");
    // doctor reports its checks and the error in one object.
    let broken = json(
        home.aseecr().args(["doctor", "no-such-host.invalid:31001"]),
        6,
    );
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["checks"][0]["status"], "failed");
    assert_failure(&broken, "dns");
}

/// `value` with the values at these JSON pointers replaced by `"*"`: what a
/// whole-object comparison cannot know in advance (times, server-made bytes).
fn masked_at(mut value: serde_json::Value, pointers: &[&str]) -> serde_json::Value {
    for pointer in pointers {
        let field = value
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no `{pointer}` to mask"));
        *field = serde_json::json!("*");
    }
    value
}

#[test]
fn mirror_prints_one_object_for_a_batch_and_for_a_failed_image() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(62, &[3000]);
    image.push(&src, "app:1", false);
    let (s, d) = (&src.addr, &dst.addr);
    let mirror = || {
        home.aseecr()
            .args(["mirror", "--src-plain-http", "--dst-ca-cert"])
            .arg(dst.ca_file())
            .args(["-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
            .env("ASEECR_REGISTRY", d)
    };
    let ok = json(mirror().arg(format!("{s}/app:1")), 0);
    assert_eq!(ok["items"][0]["status"], "copied");
    assert_eq!(ok["summary"]["succeeded"], 1);
    assert_eq!(ok["summary"]["failed"], 0);

    // One image that does not exist: the same shape as a batch, the item
    // carrying the error; the exit code is still its kind's (4).
    let missing = json(mirror().arg(format!("{s}/app:nope")), 4);
    let failed_item = serde_json::json!({
        "source": format!("{s}/app:nope"),
        "destination": format!("{d}/app:nope"),
        "status": "failed",
        "error": {
            "kind": "not-found",
            "message": format!("tag `{s}/app:nope` not found"),
            "help": [format!("list the tags that exist: `aseecr tags {s}/app`")],
        },
    });
    assert_eq!(
        masked_at(missing, &["/summary/seconds"]),
        serde_json::json!({
            "dryRun": false,
            "items": [failed_item],
            "summary": {
                "total": 1, "succeeded": 0, "failed": 1, "upToDate": 0,
                "blobsCopied": 0, "blobsPresent": 0, "blobsMounted": 0, "bytesCopied": 0,
                "replacedCount": 0, "prunedCount": 0,
                "referrersCopied": 0, "referrersFailed": 0, "referrersToCopy": 0,
                "seconds": "*",
            },
        })
    );

    // The same image in a batch (`-f`): exit 1, and the same item.
    let list = home.path().join("images.txt");
    std::fs::write(&list, format!("{s}/app:1\n{s}/app:nope\n")).unwrap();
    let partial = json(mirror().arg("-f").arg(&list), 1);
    let digest = image.digest();
    let up_to_date = serde_json::json!({
        "source": format!("{s}/app:1"),
        "destination": format!("{d}/app:1"),
        "status": "up-to-date",
        "sourceDigest": digest,
        "destinationDigest": digest,
        "digestChanged": false,
        "blobsCopied": 0, "blobsPresent": 0, "blobsMounted": 0, "bytesCopied": 0,
        "blobsToCopy": 0, "bytesToCopy": 0, "manifestsPushed": 0, "repaired": 0,
        "skippedForeign": [],
        "referrers": [],
    });
    assert_eq!(
        masked_at(partial, &["/summary/seconds"]),
        serde_json::json!({
            "dryRun": false,
            "items": [up_to_date, failed_item],
            "summary": {
                "total": 2, "succeeded": 1, "failed": 1, "upToDate": 1,
                "blobsCopied": 0, "blobsPresent": 0, "blobsMounted": 0, "bytesCopied": 0,
                "replacedCount": 0, "prunedCount": 0,
                "referrersCopied": 0, "referrersFailed": 0, "referrersToCopy": 0,
                "seconds": "*",
            },
        })
    );
}

#[test]
fn references_are_echoed_as_typed_with_the_digest_apart() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(63, &[1500, 700]);
    image.push(&registry, "app:v1", false);
    image.push(&registry, "app:shared", false);
    let other = TestImage::single(64, &[900]);
    other.push(&registry, "other:v1", false);
    let r = &registry.addr;
    // The registry comes from the default: what is typed is a short reference.
    let aseecr = || authed(&home, &registry).env("ASEECR_REGISTRY", r);
    let digest = image.digest();

    // inspect: every field, from the manifest and config skopeo reads.
    let manifest: serde_json::Value =
        serde_json::from_slice(&skopeo_raw(&registry, "app:v1")).unwrap();
    let config: serde_json::Value =
        serde_json::from_slice(&skopeo_config(&registry, "app:v1")).unwrap();
    let blobs = image.blobs();
    let total: u64 = blobs.values().sum();
    let descriptor = |d: &serde_json::Value| serde_json::json!({"digest": d["digest"], "mediaType": d["mediaType"], "size": d["size"]});
    let layers: Vec<serde_json::Value> = manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(descriptor)
        .collect();
    let inspect = json(aseecr().args(["inspect", "app:v1"]), 0);
    assert_eq!(
        inspect,
        serde_json::json!({
            "reference": "app:v1",
            "digest": digest,
            "mediaType": manifest["mediaType"],
            "kind": "image",
            "image": {
                "platform": format!("{}/{}", config["os"].as_str().unwrap(), config["architecture"].as_str().unwrap()),
                "created": config["created"],
                "config": descriptor(&manifest["config"]),
                "layers": layers,
                "totalSize": total,
            },
            "totalSize": total,
        })
    );

    // untag: the tag as typed, the digest it pointed at apart.
    let untag = json(aseecr().args(["untag", "app:shared", "--dry-run"]), 0);
    assert_eq!(
        masked_at(untag, &["/freed/bytes", "/freed/blobs"]),
        serde_json::json!({
            "dryRun": true,
            "items": [{
                "reference": "app:shared", "registry": r, "repository": "app", "tag": "shared",
                "digest": digest, "status": "planned",
            }],
            "summary": {"total": 1, "succeeded": 1, "failed": 0},
            "freed": {"bytes": "*", "blobs": "*", "allRepositories": false, "note": FREED_NOTE},
        })
    );

    // delete: the resolved item and the one that did not resolve both say
    // what was typed; the digest is apart.
    let other_blobs = other.blobs();
    let delete = json(
        aseecr().args(["delete", "other:v1", "other:ghost", "--dry-run"]),
        1,
    );
    assert_eq!(
        delete,
        serde_json::json!({
            "dryRun": true,
            "items": [
                {
                    "reference": "other:ghost",
                    "status": "failed",
                    "error": {
                        "kind": "not-found",
                        "message": format!("tag `{r}/other:ghost` not found"),
                        "help": [format!("list the tags that exist: `aseecr tags {r}/other`")],
                    },
                },
                {
                    "reference": "other:v1", "status": "planned", "registry": r,
                    "repository": "other", "digest": other.digest(), "tags": ["v1"],
                },
            ],
            "summary": {"total": 2, "succeeded": 1, "failed": 1},
            "note": "the registry frees the space in its next garbage collection",
            "freed": {
                "bytes": other_blobs.values().sum::<u64>(),
                "blobs": other_blobs.len(),
                "allRepositories": true,
                "note": FREED_NOTE,
            },
        })
    );
}

#[test]
fn usage_counts_and_lists_have_names_of_their_own() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(65, &[1200]);
    image.push(&registry, "app:a", false);
    image.push(&registry, "app:b", false);
    let r = &registry.addr;
    let blobs = image.blobs();
    let size: u64 = blobs.values().sum();
    let mut usage = json(authed(&home, &registry).args(["usage", r]), 0);
    // In the registry's listing order, which is its own.
    let tags = usage["largest"][0]["tags"].as_array_mut().unwrap();
    tags.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    // `tags` is a list wherever it appears; the number of tags is `tagCount`,
    // and `totals` (an object) is not `total` (a count, in batches).
    assert_eq!(
        usage,
        serde_json::json!({
            "registry": r,
            "scope": "all",
            "repositories": [{
                "repository": "app", "tagCount": 2, "manifests": 1, "blobs": blobs.len(),
                "size": size, "uniqueSize": size, "sharedSize": 0,
                "attachmentTagCount": 0, "attachmentSize": 0,
            }],
            "totals": {
                "repositoryCount": 1, "tagCount": 2, "manifests": 1, "blobs": blobs.len(),
                "size": size, "sumOfRepositorySizes": size,
                "attachmentTagCount": 0, "attachmentSize": 0,
            },
            "largest": [{"repository": "app", "tags": ["a", "b"], "digest": image.digest(), "size": size}],
        })
    );
}

#[test]
fn local_commands_print_one_object_on_success_and_failure() {
    let home = Home::new();
    let hosts = home.path().join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();

    let list = json(
        home.aseecr()
            .args(["setup-host", "--list", "--hosts-file"])
            .arg(&hosts),
        0,
    );
    assert_eq!(list["entries"], serde_json::json!([]));
    let bad_ip = json(
        home.aseecr()
            .args([
                "setup-host",
                "ecr.example.com:31001",
                "10.0.0.300",
                "-y",
                "--hosts-file",
            ])
            .arg(&hosts),
        2,
    );
    assert_failure(&bad_ip, "usage");

    let registry = TestRegistry::edge();
    let trust = json(
        home.aseecr()
            .arg("trust-cert")
            .arg(registry.ca_file())
            .args([
                "--store",
                "aseecr",
                "--dry-run",
                "--registry",
                &registry.addr,
            ]),
        0,
    );
    assert_eq!(trust["registry"], registry.addr.as_str());
    assert_eq!(trust["actions"][0]["store"], "aseecr");
    assert_eq!(trust["actions"][0]["outcome"], "add");
    let no_file = json(
        home.aseecr()
            .arg("trust-cert")
            .arg(home.path().join("missing.pem"))
            .args(["--store", "aseecr", "--registry", &registry.addr]),
        4,
    );
    assert_failure(&no_file, "not-found");

    // config list: camelCase, every registry entry with the same fields.
    home.aseecr()
        .args(["config", "set", "registry", "ecr.example.com:31001"])
        .ok();
    std::fs::write(
        home.config_dir().join("config.json"),
        r#"{"registry": "ecr.example.com:31001", "registries": {"ecr.example.com:31001": {"plain_http": true}}}"#,
    )
    .unwrap();
    let config = json(home.aseecr().args(["config", "list"]), 0);
    assert_eq!(config["registry"], "ecr.example.com:31001");
    assert_eq!(
        config["registries"]["ecr.example.com:31001"],
        serde_json::json!({"insecure": false, "plainHttp": true})
    );
    assert!(config["path"].as_str().unwrap().ends_with("config.json"));
    // An unreadable configuration fails before the command runs, still as one object.
    std::fs::write(home.config_dir().join("config.json"), "{not json").unwrap();
    let broken = json(home.aseecr().args(["config", "list"]), 1);
    assert!(broken["error"]["kind"].is_string(), "{broken}");
}

/// `value` with every string's `from` parts replaced by their `to` (temporary
/// paths, registry addresses), so a whole object can be compared.
fn masked(value: serde_json::Value, masks: &[(&str, &str)]) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(mut text) => {
            for (from, to) in masks {
                text = text.replace(from, to);
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| masked(v, masks)).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, v)| (key, masked(v, masks)))
                .collect(),
        ),
        other => other,
    }
}

#[test]
fn digest_prints_one_object_on_success_and_failure() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(63, &[500]);
    image.push(&registry, "app:v1", false);
    let r = &registry.addr;
    let masks = [(r.as_str(), "REGISTRY")];

    let found = json(
        authed(&home, &registry).args(["digest", &format!("{r}/app:v1")]),
        0,
    );
    assert_eq!(
        found,
        serde_json::json!({"reference": format!("{r}/app:v1"), "digest": image.digest()})
    );
    let missing = json(
        authed(&home, &registry).args(["digest", &format!("{r}/app:nope")]),
        4,
    );
    assert_eq!(
        masked(missing, &masks),
        serde_json::json!({"error": {
            "kind": "not-found",
            "message": "tag `REGISTRY/app:nope` not found",
            "help": ["list the tags that exist: `aseecr tags REGISTRY/app`"],
        }})
    );
}

#[test]
fn login_and_logout_print_one_object_on_success_and_failure() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    let home_path = home.path().display().to_string();
    // The remembered certificate's file is named after the registry, `:` made `_`.
    let file_name = r.replace(':', "_");
    let masks = [
        (home_path.as_str(), "HOME"),
        (file_name.as_str(), "REGISTRY_FILE"),
        (r.as_str(), "REGISTRY"),
    ];

    let logged_in = json(crate::util::login(&home, &registry), 0);
    assert_eq!(
        masked(logged_in, &masks),
        serde_json::json!({
            "registry": "REGISTRY",
            "username": USER,
            "storedIn": "config-file",
            "configFile": "HOME/docker/config.json",
            "caCert": "HOME/aseecr/certs/REGISTRY_FILE.crt",
        })
    );
    let rejected = json(
        home.aseecr()
            .args(["login", r, "-u", USER, "--password-stdin"])
            .args(registry.connection_args())
            .stdin("not-the-password\n"),
        3,
    );
    assert_eq!(
        masked(rejected, &masks),
        serde_json::json!({"error": {
            "kind": "auth-rejected",
            "message": "login to `REGISTRY` failed; nothing was stored: `REGISTRY` rejected the credentials (HTTP 401): UNAUTHORIZED: authentication required",
            "help": ["log in again: `aseecr login REGISTRY`"],
        }})
    );

    let logged_out = json(home.aseecr().args(["logout", r]), 0);
    assert_eq!(
        masked(logged_out, &masks),
        serde_json::json!({
            "registry": "REGISTRY",
            "removed": true,
            "storedIn": "config-file",
            "configFile": "HOME/docker/config.json",
        })
    );
    let again = json(home.aseecr().args(["logout", r]), 0);
    assert_eq!(
        masked(again, &masks),
        serde_json::json!({"registry": "REGISTRY", "removed": false})
    );
    let nowhere = json(home.aseecr().arg("logout"), 2);
    assert_eq!(
        nowhere,
        serde_json::json!({"error": {
            "kind": "usage",
            "message": "no registry given and no default registry is set",
            "help": [
                "pass the registry, e.g. `ecr.dbe-xyz.microsoftdatabox.com:31001`",
                "or set a default: `aseecr config set registry HOST:PORT`",
            ],
        }})
    );
}

#[test]
fn config_set_get_unset_print_one_object_on_success_and_failure() {
    let home = Home::new();
    let home_path = home.path().display().to_string();
    let masks = [(home_path.as_str(), "HOME")];
    let config =
        |args: &[&str], code| masked(json(home.aseecr().arg("config").args(args), code), &masks);
    let path = "HOME/aseecr/config.json";

    assert_eq!(
        config(&["set", "registry", "Ecr.Example:31001"], 0),
        serde_json::json!({"path": path, "key": "registry", "value": "ecr.example:31001"})
    );
    assert_eq!(
        config(&["set", "platform", "linux/arm64"], 0),
        serde_json::json!({"path": path, "key": "platform", "value": "linux/arm64"})
    );
    assert_eq!(
        config(&["get", "registry"], 0),
        serde_json::json!({"path": path, "key": "registry", "value": "ecr.example:31001"})
    );
    assert_eq!(
        config(&["unset", "platform"], 0),
        serde_json::json!({"path": path, "key": "platform"})
    );
    assert_eq!(
        config(&["get", "platform"], 4),
        serde_json::json!({"error": {
            "kind": "not-found",
            "message": "no default platform is set",
            "help": ["set one: `aseecr config set platform linux/amd64`"],
        }})
    );
    assert_eq!(
        config(&["set", "colour", "blue"], 2),
        serde_json::json!({"error": {
            "kind": "usage",
            "message": "unknown setting `colour`",
            "help": ["known settings: registry, platform, verify-policy, trust-store"],
        }})
    );
}
