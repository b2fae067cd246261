//! docker's `config.json`, read and written the way docker's `cli/config/configfile`
//! does: `auths` entries keyed by server address, `auth` = base64(`user:password`),
//! `credsStore` and `credHelpers` naming credential helpers. Every field this module
//! does not change is kept as it was, in its order.

use std::path::{Path, PathBuf};

use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde_json::{Map, Value};

use super::{Credentials, TOKEN_USERNAME};
use crate::error::{Error, Kind};
use crate::fsutil;
use crate::registry::reference::{DOCKER_HUB, normalize_registry};
use crate::secret::SecretString;

/// The `auths` key docker uses for Docker Hub.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// The fields of an `auths` entry that hold a credential.
const SECRET_FIELDS: [&str; 5] = [
    "auth",
    "username",
    "password",
    "identitytoken",
    "registrytoken",
];

/// The `auths` key (and helper server URL) docker uses for a normalized registry.
pub fn server_key(registry: &str) -> String {
    if registry == DOCKER_HUB {
        DOCKER_HUB_KEY.to_owned()
    } else {
        registry.to_owned()
    }
}

/// docker's `ConvertToHostname`: `https://host:port/v1/` -> `host:port`.
pub fn convert_to_hostname(key: &str) -> &str {
    let stripped = key.split_once("://").map_or(key, |(_, rest)| rest);
    stripped.split('/').next().unwrap_or(stripped)
}

/// Whether an `auths` or `credHelpers` key names `registry` (normalized `host[:port]`).
pub fn key_matches(key: &str, registry: &str) -> bool {
    key == server_key(registry)
        || normalize_registry(convert_to_hostname(key)).is_ok_and(|host| host == registry)
}

/// A loaded `config.json`: its path and its top-level object.
#[derive(Debug)]
pub struct DockerConfig {
    path: PathBuf,
    root: Map<String, Value>,
}

impl DockerConfig {
    /// Read `path`. A missing or empty file is an empty config; a file that is not a
    /// JSON object of the expected shape is an error naming the path.
    pub fn load(path: &Path) -> Result<DockerConfig> {
        let bytes = fsutil::read_optional(path, &fsutil::DOCKER_CONFIG)?.unwrap_or_default();
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let root = if text.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else {
            match serde_json::from_slice::<Value>(text) {
                Ok(Value::Object(root)) => root,
                Ok(_) => return Err(bad_file(path, "it is not a JSON object")),
                Err(err) => return Err(bad_file(path, &err.to_string())),
            }
        };
        let config = DockerConfig {
            path: path.to_owned(),
            root,
        };
        config.validate()?;
        Ok(config)
    }

    /// Check the fields docker itself would refuse to load.
    fn validate(&self) -> Result<()> {
        let path = &self.path;
        match self.root.get("auths") {
            None | Some(Value::Null) => {}
            Some(Value::Object(auths)) => {
                for (key, entry) in auths {
                    let Value::Object(entry) = entry else {
                        return Err(bad_file(
                            path,
                            &format!("`auths` entry `{key}` is not an object"),
                        ));
                    };
                    for field in SECRET_FIELDS {
                        if !matches!(
                            entry.get(field),
                            None | Some(Value::String(_) | Value::Null)
                        ) {
                            return Err(bad_file(
                                path,
                                &format!("`{field}` of `auths` entry `{key}` is not a string"),
                            ));
                        }
                    }
                }
            }
            Some(_) => return Err(bad_file(path, "`auths` is not an object")),
        }
        if !matches!(
            self.root.get("credsStore"),
            None | Some(Value::String(_) | Value::Null)
        ) {
            return Err(bad_file(path, "`credsStore` is not a string"));
        }
        match self.root.get("credHelpers") {
            None | Some(Value::Null) => {}
            Some(Value::Object(helpers)) => {
                if let Some((key, _)) = helpers.iter().find(|(_, v)| !v.is_string()) {
                    return Err(bad_file(
                        path,
                        &format!("`credHelpers` entry `{key}` is not a string"),
                    ));
                }
            }
            Some(_) => return Err(bad_file(path, "`credHelpers` is not an object")),
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `credsStore`, when set to a non-empty name.
    pub fn creds_store(&self) -> Option<&str> {
        self.root
            .get("credsStore")
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
    }

    /// The `credHelpers` entry for `registry`: its server key, then the registry
    /// itself, then any key that names the same host and port. Returns (key, helper).
    pub fn cred_helper(&self, registry: &str) -> Option<(&str, &str)> {
        let helpers = self.root.get("credHelpers")?.as_object()?;
        fn usable<'a>((key, name): (&'a String, &'a Value)) -> Option<(&'a str, &'a str)> {
            name.as_str()
                .filter(|name| !name.is_empty())
                .map(|name| (key.as_str(), name))
        }
        let key = server_key(registry);
        helpers
            .get_key_value(&key)
            .or_else(|| helpers.get_key_value(registry))
            .and_then(usable)
            .or_else(|| {
                helpers
                    .iter()
                    .filter(|(key, _)| key_matches(key, registry))
                    .find_map(usable)
            })
    }

    fn auths(&self) -> Option<&Map<String, Value>> {
        self.root.get("auths").and_then(Value::as_object)
    }

    fn auths_mut(&mut self) -> &mut Map<String, Value> {
        let auths = self
            .root
            .entry("auths")
            .or_insert_with(|| Value::Object(Map::new()));
        if !auths.is_object() {
            *auths = Value::Object(Map::new());
        }
        auths.as_object_mut().expect("auths is an object")
    }

    /// The credentials in `auths` for `registry`: the entry under its exact key first,
    /// then the first entry (in file order) whose key names the same host and port.
    pub fn find_credentials(&self, registry: &str) -> Result<Option<Credentials>> {
        let Some(auths) = self.auths() else {
            return Ok(None);
        };
        let key = server_key(registry);
        let exact = auths.get_key_value(&key);
        let others = auths
            .iter()
            .filter(|(other, _)| **other != key && key_matches(other, registry));
        for (key, entry) in exact.into_iter().chain(others) {
            if let Some(credentials) = self.entry_credentials(key, entry)? {
                return Ok(Some(credentials));
            }
        }
        Ok(None)
    }

    /// Decode one `auths` entry: `identitytoken` wins, then `auth`, then
    /// `username`/`password`. An entry with none of them holds no credentials.
    fn entry_credentials(&self, key: &str, entry: &Value) -> Result<Option<Credentials>> {
        let field = |name: &str| {
            entry
                .get(name)
                .and_then(Value::as_str)
                .filter(|value| !value.is_empty())
        };
        if let Some(token) = field("identitytoken") {
            return Ok(Some(Credentials::identity_token(token)));
        }
        let (username, password) = match field("auth") {
            Some(auth) => decode_auth(auth).ok_or_else(|| {
                Error::new(
                    Kind::Failed,
                    format!(
                        "the `auth` value of `{key}` in `{}` is not base64 of `user:password`",
                        self.path.display()
                    ),
                )
                .help(format!(
                    "log in again to replace it: `aseecr login {}`",
                    convert_to_hostname(key)
                ))
            })?,
            None => (
                field("username").unwrap_or_default().to_owned(),
                SecretString::new(field("password").unwrap_or_default()),
            ),
        };
        if username.is_empty() && password.is_empty() {
            return Ok(None);
        }
        Ok(Some(Credentials { username, password }))
    }

    /// Store credentials in the file under `key`: `{"auth": base64}` (or
    /// `{"identitytoken": token}`), keeping the entry's other fields.
    pub fn set_credentials(&mut self, key: &str, credentials: &Credentials) {
        let entry = self.cleared_entry(key);
        if credentials.is_identity_token() {
            entry.insert(
                "identitytoken".to_owned(),
                Value::String(credentials.password.expose().to_owned()),
            );
        } else {
            entry.insert(
                "auth".to_owned(),
                Value::String(encode_auth(credentials).expose().to_owned()),
            );
        }
    }

    /// Leave `auths[key]` without credentials, as docker does when a helper holds them.
    pub fn set_placeholder(&mut self, key: &str) {
        self.cleared_entry(key);
    }

    /// The entry under `key` (created empty if missing) with its credential fields removed.
    fn cleared_entry(&mut self, key: &str) -> &mut Map<String, Value> {
        let auths = self.auths_mut();
        let entry = auths
            .entry(key)
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let entry = entry.as_object_mut().expect("entry is an object");
        for field in SECRET_FIELDS {
            entry.shift_remove(field);
        }
        entry
    }

    /// Remove every `auths` entry naming `registry`. Returns (any removed, any of
    /// them held credentials).
    pub fn remove_entries(&mut self, registry: &str) -> (bool, bool) {
        let Some(auths) = self.root.get_mut("auths").and_then(Value::as_object_mut) else {
            return (false, false);
        };
        let mut removed = false;
        let mut held = false;
        auths.retain(|key, entry| {
            if !key_matches(key, registry) {
                return true;
            }
            removed = true;
            held |= SECRET_FIELDS.iter().any(|field| {
                entry
                    .get(*field)
                    .and_then(Value::as_str)
                    .is_some_and(|v| !v.is_empty())
            });
            false
        });
        (removed, held)
    }

    /// Write the file atomically with mode 0600, tab-indented like docker. A symbolic
    /// link is kept: its target is replaced (docker does the same).
    pub fn save(&self) -> Result<()> {
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        serde::Serialize::serialize(&self.root, &mut serializer)?;
        let target = match std::fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                std::fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
            }
            _ => self.path.clone(),
        };
        // docker creates its config directory 0700.
        fsutil::create_private_dir(fsutil::dir_of(&target))?;
        fsutil::write_atomic(&target, &bytes, Some(0o600))
    }
}

fn bad_file(path: &Path, what: &str) -> anyhow::Error {
    Error::new(
        Kind::Failed,
        format!("cannot parse docker config `{}`: {what}", path.display()),
    )
    .help("fix the file, or move it away to start from an empty one")
    .into()
}

/// base64(`user:password`), as docker writes `auth`.
pub fn encode_auth(credentials: &Credentials) -> SecretString {
    SecretString::new(STANDARD.encode(format!(
        "{}:{}",
        credentials.username,
        credentials.password.expose()
    )))
}

/// docker's `decodeAuth`: base64, split at the first `:`, NULs trimmed from the password.
fn decode_auth(auth: &str) -> Option<(String, SecretString)> {
    let auth = auth.trim();
    let bytes = STANDARD
        .decode(auth)
        .or_else(|_| STANDARD_NO_PAD.decode(auth))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (username, password) = text.split_once(':')?;
    Some((
        username.to_owned(),
        SecretString::new(password.trim_matches('\0')),
    ))
}

/// Whether a username can go into `auth` (docker splits at the first `:`).
pub fn check_username(credentials: &Credentials) -> Result<()> {
    if credentials.username.contains(':') && credentials.username != TOKEN_USERNAME {
        return Err(Error::usage(format!(
            "username `{}` contains `:`, which docker's config.json cannot store",
            credentials.username
        ))
        .help("use a credential helper (`credsStore` in docker's config.json), or a username without `:`")
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_like_docker() {
        for (key, host) in [
            ("ecr.example.com:31001", "ecr.example.com:31001"),
            ("https://ecr.example.com:31001", "ecr.example.com:31001"),
            ("http://ecr.example.com:31001/v1/", "ecr.example.com:31001"),
            ("https://index.docker.io/v1/", "index.docker.io"),
            ("ecr.example.com/some/path", "ecr.example.com"),
        ] {
            assert_eq!(convert_to_hostname(key), host, "{key}");
        }
        assert!(key_matches("https://index.docker.io/v1/", "docker.io"));
        assert!(key_matches(
            "HTTPS://ECR.example.com:31001/v2/",
            "ecr.example.com:31001"
        ));
        assert!(!key_matches("ecr.example.com", "ecr.example.com:31001"));
        assert!(!key_matches(
            "ecr.example.com:31002",
            "ecr.example.com:31001"
        ));
    }

    #[test]
    fn auth_round_trips_and_splits_at_the_first_colon() {
        let credentials = Credentials {
            username: "user".into(),
            password: SecretString::new("pa:ss"),
        };
        let encoded = encode_auth(&credentials);
        assert_eq!(encoded.expose(), "dXNlcjpwYTpzcw==");
        let (user, pass) = decode_auth(encoded.expose()).unwrap();
        assert_eq!((user.as_str(), pass.expose()), ("user", "pa:ss"));
        let (_, pass) = decode_auth("dXNlcjpwYTpzcw").unwrap();
        assert_eq!(pass.expose(), "pa:ss");
        assert!(decode_auth("bm9jb2xvbg==").is_none(), "no colon");
        assert!(decode_auth("not base64!").is_none());
    }
}
