//! Tests of the credential store on temporary docker config directories, with a real
//! credential helper (a shell script) for the helper protocol.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::*;

const REG: &str = "ecr.example.com:31001";

fn store_with(config: &str) -> (tempfile::TempDir, CredentialStore) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), config).unwrap();
    let store = CredentialStore::new(dir.path().to_owned());
    (dir, store)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

fn get(store: &CredentialStore, registry: &str) -> Option<(String, String)> {
    store
        .get(registry)
        .unwrap()
        .map(|c| (c.username, c.password.expose().to_owned()))
}

fn pair(user: &str, pass: &str) -> Option<(String, String)> {
    Some((user.to_owned(), pass.to_owned()))
}

#[test]
fn a_missing_file_is_an_empty_config() {
    let dir = tempfile::tempdir().unwrap();
    let store = CredentialStore::new(dir.path().join("absent"));
    assert_eq!(
        store.config_file(),
        dir.path().join("absent").join("config.json")
    );
    assert!(store.get(REG).unwrap().is_none());
    assert_eq!(store.erase(REG).unwrap(), None);
    assert!(
        !store.config_file().exists(),
        "erase of nothing writes nothing"
    );
}

#[test]
fn reads_every_form_of_auths_entry() {
    // base64("user:pa:ss"), base64("hub:hubpass"), base64("old:oldpass")
    let (_dir, store) = store_with(
        r#"{
        "auths": {
            "ecr.example.com:31001": {"auth": "dXNlcjpwYTpzcw=="},
            "plain.example.com:5000": {"username": "alice", "password": "secret"},
            "token.example.com": {"auth": "dXNlcjpwYTpzcw==", "identitytoken": "tok-123"},
            "https://secure.example.com:8443": {"auth": "dXNlcjpwYTpzcw=="},
            "http://legacy.example.com:5000/v1/": {"auth": "b2xkOm9sZHBhc3M="},
            "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M=", "email": "x@example.com"},
            "empty.example.com": {},
            "UPPER.example.com:7000": {"auth": "b2xkOm9sZHBhc3M="}
        }
    }"#,
    );
    assert_eq!(get(&store, REG), pair("user", "pa:ss"));
    assert_eq!(
        get(&store, "plain.example.com:5000"),
        pair("alice", "secret")
    );
    assert_eq!(get(&store, "token.example.com"), pair("<token>", "tok-123"));
    assert!(
        store
            .get("token.example.com")
            .unwrap()
            .unwrap()
            .is_identity_token()
    );
    assert_eq!(
        get(&store, "secure.example.com:8443"),
        pair("user", "pa:ss")
    );
    assert_eq!(
        get(&store, "legacy.example.com:5000"),
        pair("old", "oldpass")
    );
    assert_eq!(get(&store, "docker.io"), pair("hub", "hubpass"));
    assert_eq!(get(&store, "index.docker.io"), pair("hub", "hubpass"));
    assert_eq!(
        get(&store, "upper.example.com:7000"),
        pair("old", "oldpass")
    );
    assert_eq!(get(&store, "empty.example.com"), None);
    assert_eq!(
        get(&store, "legacy.example.com"),
        None,
        "the port must match"
    );
    assert_eq!(get(&store, "other.example.com"), None);
}

#[test]
fn the_exact_key_wins_over_other_spellings() {
    // base64("first:1"), base64("exact:2")
    let (_dir, store) = store_with(
        r#"{"auths": {
            "https://ecr.example.com:31001/v1/": {"auth": "Zmlyc3Q6MQ=="},
            "ecr.example.com:31001": {"auth": "ZXhhY3Q6Mg=="}
        }}"#,
    );
    assert_eq!(get(&store, REG), pair("exact", "2"));
}

#[test]
fn a_bad_auth_value_names_the_file() {
    let (_dir, store) = store_with(r#"{"auths": {"ecr.example.com:31001": {"auth": "%%%"}}}"#);
    let err = store.get(REG).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("`auth` value of `ecr.example.com:31001`"),
        "{message}"
    );
    assert!(
        message.contains(&store.config_file().display().to_string()),
        "{message}"
    );
    let user_error = crate::error::find(&err).unwrap();
    assert!(user_error.help[0].contains("aseecr login ecr.example.com:31001"));
}

#[test]
fn an_empty_file_is_an_empty_config() {
    let (_dir, store) = store_with("  \n");
    assert!(store.get(REG).unwrap().is_none());
    store.store(REG, &Credentials::new("u", "p")).unwrap();
    assert_eq!(get(&store, REG), pair("u", "p"));
}

const RICH_CONFIG: &str = r#"{
	"psFormat": "table {{.ID}}\t{{.Names}}",
	"auths": {
		"zeta.example.com": {
			"auth": "emV0YTp6"
		},
		"https://ecr.example.com:31001": {
			"auth": "b2xkOm9sZHBhc3M=",
			"email": "me@example.com"
		},
		"alpha.example.com:5000": {
			"identitytoken": "tok",
			"custom": [1, 2.5, {"b": null, "a": true}]
		}
	},
	"HttpHeaders": {
		"User-Agent": "custom",
		"Accept": "*/*"
	},
	"plugins": {"x": {"y": "z"}},
	"currentContext": "default"
}"#;

#[test]
fn store_keeps_every_other_entry_and_field_in_order() {
    let (_dir, store) = store_with(RICH_CONFIG);
    let before = serde_json::from_str::<Value>(RICH_CONFIG).unwrap();
    let stored = store
        .store("new.example.com:443", &Credentials::new("bob", "s3cret"))
        .unwrap();
    assert_eq!(stored, StoredIn::ConfigFile(store.config_file()));
    let after = read_json(&store.config_file());
    assert_eq!(
        keys(&after),
        [
            "psFormat",
            "auths",
            "HttpHeaders",
            "plugins",
            "currentContext"
        ]
    );
    for field in ["psFormat", "HttpHeaders", "plugins", "currentContext"] {
        assert_eq!(
            serde_json::to_string(&after[field]).unwrap(),
            serde_json::to_string(&before[field]).unwrap(),
            "{field}"
        );
    }
    assert_eq!(
        keys(&after["auths"]),
        [
            "zeta.example.com",
            "https://ecr.example.com:31001",
            "alpha.example.com:5000",
            "new.example.com:443"
        ]
    );
    for key in [
        "zeta.example.com",
        "https://ecr.example.com:31001",
        "alpha.example.com:5000",
    ] {
        assert_eq!(
            serde_json::to_string(&after["auths"][key]).unwrap(),
            serde_json::to_string(&before["auths"][key]).unwrap(),
            "{key}"
        );
    }
    // base64("bob:s3cret")
    assert_eq!(
        after["auths"]["new.example.com:443"],
        json!({"auth": "Ym9iOnMzY3JldA=="})
    );
    assert_eq!(get(&store, "new.example.com:443"), pair("bob", "s3cret"));
    // docker's layout: tab-indented, no trailing newline.
    let text = std::fs::read_to_string(store.config_file()).unwrap();
    assert!(text.starts_with("{\n\t\"psFormat\": "), "{text}");
    assert!(text.ends_with('}'));
}

#[test]
fn store_replaces_an_entry_in_place_and_keeps_its_other_fields() {
    let (_dir, store) = store_with(RICH_CONFIG);
    store
        .store("alpha.example.com:5000", &Credentials::new("carol", "pw"))
        .unwrap();
    let after = read_json(&store.config_file());
    assert_eq!(
        keys(&after["auths"]),
        [
            "zeta.example.com",
            "https://ecr.example.com:31001",
            "alpha.example.com:5000"
        ]
    );
    assert_eq!(
        after["auths"]["alpha.example.com:5000"],
        json!({"custom": [1, 2.5, {"b": null, "a": true}], "auth": "Y2Fyb2w6cHc="})
    );
    assert_eq!(get(&store, "alpha.example.com:5000"), pair("carol", "pw"));
}

#[test]
fn store_of_an_identity_token_uses_identitytoken() {
    let (_dir, store) =
        store_with(r#"{"auths": {"ecr.example.com:31001": {"auth": "dXNlcjpwYTpzcw=="}}}"#);
    store
        .store(REG, &Credentials::identity_token("tok-9"))
        .unwrap();
    let after = read_json(&store.config_file());
    assert_eq!(after["auths"][REG], json!({"identitytoken": "tok-9"}));
    assert_eq!(get(&store, REG), pair("<token>", "tok-9"));
}

#[test]
fn docker_hub_is_stored_under_its_v1_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = CredentialStore::new(dir.path().to_owned());
    store
        .store("docker.io", &Credentials::new("hub", "pw"))
        .unwrap();
    let after = read_json(&store.config_file());
    assert_eq!(keys(&after["auths"]), ["https://index.docker.io/v1/"]);
    assert_eq!(get(&store, "docker.io"), pair("hub", "pw"));
    assert_eq!(
        store.erase("docker.io").unwrap(),
        Some(StoredIn::ConfigFile(store.config_file()))
    );
    assert_eq!(read_json(&store.config_file()), json!({"auths": {}}));
}

#[cfg(unix)]
#[test]
fn the_file_is_written_with_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, store) = store_with("{}");
    std::fs::set_permissions(store.config_file(), std::fs::Permissions::from_mode(0o644)).unwrap();
    store.store(REG, &Credentials::new("u", "p")).unwrap();
    let mode = std::fs::metadata(store.config_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_stays_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles-config.json");
    std::fs::write(&real, "{}").unwrap();
    let docker = dir.path().join("docker");
    std::fs::create_dir(&docker).unwrap();
    std::os::unix::fs::symlink(&real, docker.join("config.json")).unwrap();
    let store = CredentialStore::new(docker.clone());
    store.store(REG, &Credentials::new("u", "p")).unwrap();
    assert!(
        std::fs::symlink_metadata(docker.join("config.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(read_json(&real)["auths"][REG], json!({"auth": "dTpw"}));
}

#[test]
fn a_username_with_a_colon_cannot_go_into_the_file() {
    let (_dir, store) = store_with("{}");
    let err = store.store(REG, &Credentials::new("a:b", "p")).unwrap_err();
    assert!(
        err.to_string().contains("username `a:b` contains `:`"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(store.config_file()).unwrap(), "{}");
}

#[test]
fn erase_removes_every_spelling_of_the_registry_and_nothing_else() {
    let (_dir, store) = store_with(
        r#"{"auths": {
            "keep.example.com": {"auth": "a2VlcDpr"},
            "ecr.example.com:31001": {"auth": "dXNlcjpwYTpzcw=="},
            "https://ecr.example.com:31001/v1/": {"auth": "dXNlcjpwYTpzcw=="},
            "ecr.example.com:31002": {"auth": "dXNlcjpwYTpzcw=="}
        }, "other": 1}"#,
    );
    assert_eq!(
        store.erase(REG).unwrap(),
        Some(StoredIn::ConfigFile(store.config_file()))
    );
    let after = read_json(&store.config_file());
    assert_eq!(
        keys(&after["auths"]),
        ["keep.example.com", "ecr.example.com:31002"]
    );
    assert_eq!(after["other"], json!(1));
    assert_eq!(get(&store, REG), None);
    assert_eq!(get(&store, "keep.example.com"), pair("keep", "k"));
    let bytes = std::fs::read(store.config_file()).unwrap();
    assert_eq!(store.erase(REG).unwrap(), None);
    assert_eq!(std::fs::read(store.config_file()).unwrap(), bytes);
}

#[test]
fn a_corrupted_file_is_an_error_and_stays_untouched() {
    for broken in [
        r#"{"auths": {"a": {"auth": "x"}"#,
        "[1, 2]",
        r#"{"auths": []}"#,
        r#"{"auths": {"a": "x"}}"#,
        r#"{"credsStore": 5}"#,
        r#"{"credHelpers": {"a": 1}}"#,
        r#"{"auths": {"a": {"auth": 5}}}"#,
    ] {
        let (_dir, store) = store_with(broken);
        let path = store.config_file().display().to_string();
        for err in [
            store.get(REG).unwrap_err(),
            store.store(REG, &Credentials::new("u", "p")).unwrap_err(),
            store.erase(REG).unwrap_err(),
        ] {
            let message = err.to_string();
            assert!(
                message.starts_with("cannot parse docker config `"),
                "{message}"
            );
            assert!(message.contains(&path), "{message}");
        }
        assert_eq!(
            std::fs::read_to_string(store.config_file()).unwrap(),
            broken
        );
        let entries = std::fs::read_dir(store.config_file().parent().unwrap()).unwrap();
        assert_eq!(entries.count(), 1, "no temporary file is left behind");
    }
}

#[test]
fn stored_in_reads_well() {
    assert_eq!(
        StoredIn::Helper("pass".into()).to_string(),
        format!("credential helper `{}`", program_name("pass"))
    );
    assert_eq!(
        StoredIn::ConfigFile(PathBuf::from("/x/config.json")).to_string(),
        "`/x/config.json`"
    );
    let debug = format!("{:?}", Credentials::new("u", "hunter2"));
    assert!(!debug.contains("hunter2"), "{debug}");
}

#[cfg(unix)]
mod helpers {
    use super::super::config_file::DOCKER_HUB_KEY;
    use super::*;

    /// A docker credential helper for tests: keeps one JSON line per server in a file
    /// next to it, logs its argv, and answers like docker-credential-helpers.
    const TESTFILE_HELPER: &str = r#"#!/bin/sh
store='@DIR@/store.jsonl'
printf '%s\n' "$*" >> '@DIR@/argv.log'
[ -f "$store" ] || : > "$store"
input=$(cat)
case "$1" in
store)
    url=$(printf '%s' "$input" | sed -n 's/^{"ServerURL":"\([^"]*\)".*/\1/p')
    grep -v -F "{\"ServerURL\":\"$url\"," "$store" > "$store.tmp"
    printf '%s\n' "$input" >> "$store.tmp"
    mv "$store.tmp" "$store" ;;
get)
    line=$(grep -F "{\"ServerURL\":\"$input\"," "$store")
    if [ -z "$line" ]; then echo "credentials not found in native keychain"; exit 1; fi
    printf '%s\n' "$line" ;;
erase)
    if ! grep -q -F "{\"ServerURL\":\"$input\"," "$store"; then
        echo "credentials not found in native keychain"; exit 1
    fi
    grep -v -F "{\"ServerURL\":\"$input\"," "$store" > "$store.tmp"
    mv "$store.tmp" "$store" ;;
*)
    echo "unknown action $1"; exit 1 ;;
esac
"#;

    /// A broken helper that echoes what it was sent, on both streams, and fails.
    const LEAKY_HELPER: &str =
        "#!/bin/sh\ninput=$(cat)\nprintf '%s' \"$input\"\nprintf '%s' \"$input\" >&2\nexit 1\n";

    struct Fixture {
        _dir: tempfile::TempDir,
        helper_dir: PathBuf,
        store: CredentialStore,
    }

    impl Fixture {
        fn new(config: &str) -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let helper_dir = dir.path().join("bin");
            std::fs::create_dir(&helper_dir).unwrap();
            let docker = dir.path().join("docker");
            std::fs::create_dir(&docker).unwrap();
            std::fs::write(docker.join("config.json"), config).unwrap();
            let script = TESTFILE_HELPER.replace("@DIR@", helper_dir.to_str().unwrap());
            install(&helper_dir, "testfile", &script);
            install(&helper_dir, "leaky", LEAKY_HELPER);
            let store = CredentialStore::new(docker).with_helper_dir(helper_dir.clone());
            Fixture {
                _dir: dir,
                helper_dir,
                store,
            }
        }

        fn helper_lines(&self) -> Vec<Value> {
            std::fs::read_to_string(self.helper_dir.join("store.jsonl"))
                .unwrap_or_default()
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect()
        }

        fn argv_log(&self) -> String {
            std::fs::read_to_string(self.helper_dir.join("argv.log")).unwrap_or_default()
        }

        fn config(&self) -> Value {
            read_json(&self.store.config_file())
        }
    }

    /// Write an executable script, then wait until it can be run: another test's
    /// fork may briefly hold the write handle open (ETXTBSY).
    fn install(dir: &Path, name: &str, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(format!("docker-credential-{name}"));
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        for _ in 0..100 {
            match std::process::Command::new(&path)
                .arg("version")
                .stdin(std::process::Stdio::null())
                .output()
            {
                Err(err) if err.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(err) => panic!("cannot run {}: {err}", path.display()),
                Ok(_) => break,
            }
        }
        let log = dir.join("argv.log");
        if log.exists() {
            std::fs::remove_file(log).unwrap();
        }
    }

    #[test]
    fn creds_store_round_trip() {
        let fx = Fixture::new(
            r#"{"auths": {"other.example.com": {"auth": "dTpw"}}, "credsStore": "testfile"}"#,
        );
        assert_eq!(
            fx.store.location(REG).unwrap(),
            StoredIn::Helper("testfile".into())
        );
        assert_eq!(
            fx.store.get(REG).unwrap(),
            None,
            "the not-found answer is None"
        );
        let stored = fx
            .store
            .store(REG, &Credentials::new("alice", "hunter2"))
            .unwrap();
        assert_eq!(stored, StoredIn::Helper("testfile".into()));
        assert_eq!(
            fx.helper_lines(),
            [json!({"ServerURL": REG, "Username": "alice", "Secret": "hunter2"})]
        );
        // docker leaves an empty entry; the other entry is untouched; no secret in the file.
        let config = fx.config();
        assert_eq!(
            config,
            json!({"auths": {"other.example.com": {"auth": "dTpw"}, REG: {}}, "credsStore": "testfile"})
        );
        assert_eq!(keys(&config), ["auths", "credsStore"]);
        assert_eq!(get(&fx.store, REG), pair("alice", "hunter2"));
        // The helper answers for every registry once credsStore is set, as with docker.
        assert_eq!(fx.store.get("other.example.com").unwrap(), None);

        assert_eq!(
            fx.store.erase(REG).unwrap(),
            Some(StoredIn::Helper("testfile".into()))
        );
        assert!(fx.helper_lines().is_empty());
        assert_eq!(
            fx.config(),
            json!({"auths": {"other.example.com": {"auth": "dTpw"}}, "credsStore": "testfile"})
        );
        assert_eq!(fx.store.get(REG).unwrap(), None);
        assert_eq!(fx.store.erase(REG).unwrap(), None);

        let argv = fx.argv_log();
        assert!(!argv.contains("hunter2"), "{argv}");
        assert_eq!(
            argv.lines().collect::<Vec<_>>(),
            ["get", "store", "get", "get", "erase", "get", "erase"]
        );
    }

    #[test]
    fn cred_helpers_route_one_registry() {
        let fx = Fixture::new(r#"{"credHelpers": {"ecr.example.com:31001": "testfile"}}"#);
        let other = "plain.example.com:5000";
        assert_eq!(
            fx.store
                .store(REG, &Credentials::new("alice", "pw1"))
                .unwrap(),
            StoredIn::Helper("testfile".into())
        );
        assert_eq!(
            fx.store
                .store(other, &Credentials::new("bob", "pw2"))
                .unwrap(),
            StoredIn::ConfigFile(fx.store.config_file())
        );
        assert_eq!(
            fx.config(),
            json!({
                "credHelpers": {REG: "testfile"},
                "auths": {REG: {}, other: {"auth": "Ym9iOnB3Mg=="}}
            })
        );
        assert_eq!(get(&fx.store, REG), pair("alice", "pw1"));
        assert_eq!(get(&fx.store, other), pair("bob", "pw2"));
        // Only the routed registry reached the helper.
        assert_eq!(
            fx.helper_lines(),
            [json!({"ServerURL": REG, "Username": "alice", "Secret": "pw1"})]
        );
        assert_eq!(
            fx.store.erase(REG).unwrap(),
            Some(StoredIn::Helper("testfile".into()))
        );
        assert_eq!(
            fx.store.erase(other).unwrap(),
            Some(StoredIn::ConfigFile(fx.store.config_file()))
        );
        assert_eq!(
            fx.config(),
            json!({"credHelpers": {REG: "testfile"}, "auths": {}})
        );
    }

    #[test]
    fn docker_hub_goes_to_the_helper_under_its_v1_url() {
        let fx = Fixture::new(r#"{"credsStore": "testfile"}"#);
        fx.store
            .store("docker.io", &Credentials::identity_token("tok"))
            .unwrap();
        assert_eq!(
            fx.helper_lines(),
            [json!({"ServerURL": DOCKER_HUB_KEY, "Username": "<token>", "Secret": "tok"})]
        );
        assert!(
            fx.store
                .get("docker.io")
                .unwrap()
                .unwrap()
                .is_identity_token()
        );
        assert_eq!(
            fx.config(),
            json!({"credsStore": "testfile", "auths": {DOCKER_HUB_KEY: {}}}),
            "the empty placeholder uses the same v1 key"
        );
    }

    #[test]
    fn a_missing_helper_is_named_and_nothing_changes() {
        let config = r#"{"auths": {"ecr.example.com:31001": {"auth": "dTpw"}}, "credsStore": "aseecr-test-absent"}"#;
        let fx = Fixture::new(config);
        for err in [
            fx.store.get(REG).unwrap_err(),
            fx.store
                .store(REG, &Credentials::new("u", "p"))
                .unwrap_err(),
            fx.store.erase(REG).unwrap_err(),
        ] {
            let message = err.to_string();
            assert!(
                message.contains("cannot find the credential helper `docker-credential-aseecr-test-absent` on PATH"),
                "{message}"
            );
            assert!(message.contains("`credsStore` in `"), "{message}");
            let help = &crate::error::find(&err).unwrap().help;
            assert!(help[0].starts_with("install `docker-credential-aseecr-test-absent`"));
        }
        assert_eq!(
            std::fs::read_to_string(fx.store.config_file()).unwrap(),
            config
        );
    }

    #[test]
    fn a_failing_helper_never_shows_the_secret() {
        let fx = Fixture::new(r#"{"credsStore": "leaky"}"#);
        let err = fx
            .store
            .store(REG, &Credentials::new("alice", "hunter2"))
            .unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains("credential helper `leaky` failed to store credentials for `ecr.example.com:31001` (exit code 1)"),
            "{message}"
        );
        assert!(!message.contains("hunter2"), "{message}");
        assert_eq!(
            std::fs::read_to_string(fx.store.config_file()).unwrap(),
            r#"{"credsStore": "leaky"}"#,
            "the file is not touched when the helper fails"
        );
        // A failing `get` with a plain message shows it.
        let err = fx.store.get(REG).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("(exit code 1): ecr.example.com:31001"),
            "{err}"
        );
    }
}
