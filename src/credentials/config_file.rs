//! docker's `config.json`, read and written the way docker's `cli/config/configfile`
//! does: `auths` entries keyed by server address, `auth` = base64(`user:password`),
//! `credsStore` and `credHelpers` naming credential helpers. Every field this module
//! does not change is kept as it was, in its order.

use std::path::{Path, PathBuf};

use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use indexmap::IndexMap;
use serde_json::value::RawValue;

use super::{Credentials, TOKEN_USERNAME};
use crate::error::{Error, Kind};
use crate::fsutil;
use crate::fsutil::ShowPath;
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

/// A loaded `config.json`: its path and its top-level members in file order.
///
/// Every value is kept as the exact text it was read from ([`Node::Raw`]) until
/// this module changes it, so a save gives back numbers docker accepts but an
/// `f64` cannot hold (`1e400`, 30-digit integers) and everything else it does not
/// touch, byte for byte; only `auths` is rebuilt, and within it only the entry
/// being changed.
#[derive(Debug)]
pub struct DockerConfig {
    path: PathBuf,
    root: Members,
    /// `credsStore` and `credHelpers`, read once (this module never changes them).
    creds_store: Option<String>,
    cred_helpers: Vec<(String, String)>,
}

/// The members of a JSON object, in file order.
type Members = IndexMap<String, Node>;

/// A JSON value: as read, or an object being changed.
#[derive(Debug, Clone)]
enum Node {
    Raw(Box<RawValue>),
    Object(Members),
}

impl Node {
    fn string(text: &str) -> Node {
        Node::Raw(serde_json::value::to_raw_value(text).expect("a string serializes"))
    }

    fn text(&self) -> Option<&str> {
        match self {
            Node::Raw(raw) => Some(raw.get()),
            Node::Object(_) => None,
        }
    }

    fn is_null(&self) -> bool {
        self.text() == Some("null")
    }

    fn is_string(&self) -> bool {
        self.text().is_some_and(|text| text.starts_with('"'))
    }

    fn as_string(&self) -> Option<String> {
        self.text()
            .filter(|text| text.starts_with('"'))
            .and_then(|text| serde_json::from_str(text).ok())
    }

    /// The members, when this is an object.
    fn members(&self) -> Option<Members> {
        match self {
            Node::Object(members) => Some(members.clone()),
            Node::Raw(raw) => parse_members(raw.get()),
        }
    }

    /// The members to change, when this is an object (it is no longer kept as text).
    fn members_mut(&mut self) -> Option<&mut Members> {
        if let Node::Raw(raw) = self {
            *self = Node::Object(parse_members(raw.get())?);
        }
        match self {
            Node::Object(members) => Some(members),
            Node::Raw(_) => None,
        }
    }
}

impl serde::Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Raw(raw) => raw.serialize(serializer),
            Node::Object(members) => serializer.collect_map(members),
        }
    }
}

/// The members of the JSON object `text`, each kept as its text; `None` if
/// `text` is not an object. A repeated key keeps its first place and its last
/// value, as serde_json's map does.
fn parse_members(text: &str) -> Option<Members> {
    struct Object(Members);
    impl<'de> serde::Deserialize<'de> for Object {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Object;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Object, A::Error> {
                    let mut members = Members::new();
                    while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                        members.insert(key, Node::Raw(value));
                    }
                    Ok(Object(members))
                }
            }
            d.deserialize_map(Visitor)
        }
    }
    if !text.starts_with('{') {
        return None;
    }
    serde_json::from_str::<Object>(text)
        .ok()
        .map(|object| object.0)
}

impl DockerConfig {
    /// Read `path`. A missing or empty file is an empty config; a file that is not a
    /// JSON object of the expected shape is an error naming the path.
    pub fn load(path: &Path) -> Result<DockerConfig> {
        let bytes = fsutil::read_optional(path, &fsutil::DOCKER_CONFIG)?.unwrap_or_default();
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let root = if text.iter().all(u8::is_ascii_whitespace) {
            Members::new()
        } else {
            // Parsed as text first: it checks the JSON (and that it is UTF-8)
            // without turning any number into an f64.
            let raw = serde_json::from_slice::<Box<RawValue>>(text)
                .map_err(|err| bad_file(path, &err.to_string()))?;
            parse_members(raw.get()).ok_or_else(|| bad_file(path, "it is not a JSON object"))?
        };
        let mut config = DockerConfig {
            path: path.to_owned(),
            root,
            creds_store: None,
            cred_helpers: Vec::new(),
        };
        config.validate()?;
        config.creds_store = config.root.get("credsStore").and_then(Node::as_string);
        config.cred_helpers = config
            .root
            .get("credHelpers")
            .and_then(Node::members)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(key, name)| Some((key, name.as_string()?)))
            .collect();
        Ok(config)
    }

    /// Check the fields docker itself would refuse to load.
    fn validate(&self) -> Result<()> {
        let path = &self.path;
        let absent = |node: Option<&Node>| node.is_none_or(Node::is_null);
        let auths = self.root.get("auths");
        if !absent(auths) {
            let auths = auths
                .and_then(Node::members)
                .ok_or_else(|| bad_file(path, "`auths` is not an object"))?;
            for (key, entry) in auths {
                let entry = entry.members().ok_or_else(|| {
                    bad_file(path, &format!("`auths` entry `{key}` is not an object"))
                })?;
                for field in SECRET_FIELDS {
                    let value = entry.get(field);
                    if !absent(value) && !value.is_some_and(Node::is_string) {
                        return Err(bad_file(
                            path,
                            &format!("`{field}` of `auths` entry `{key}` is not a string"),
                        ));
                    }
                }
            }
        }
        let creds_store = self.root.get("credsStore");
        if !absent(creds_store) && !creds_store.is_some_and(Node::is_string) {
            return Err(bad_file(path, "`credsStore` is not a string"));
        }
        let helpers = self.root.get("credHelpers");
        if !absent(helpers) {
            let helpers = helpers
                .and_then(Node::members)
                .ok_or_else(|| bad_file(path, "`credHelpers` is not an object"))?;
            if let Some((key, _)) = helpers.iter().find(|(_, v)| !v.is_string()) {
                return Err(bad_file(
                    path,
                    &format!("`credHelpers` entry `{key}` is not a string"),
                ));
            }
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `credsStore`, when set to a non-empty name.
    pub fn creds_store(&self) -> Option<&str> {
        self.creds_store.as_deref().filter(|name| !name.is_empty())
    }

    /// The `credHelpers` entry for `registry`: its server key, then the registry
    /// itself, then any key that names the same host and port. Returns (key, helper).
    pub fn cred_helper(&self, registry: &str) -> Option<(&str, &str)> {
        let usable = |key: &str| {
            self.cred_helpers
                .iter()
                .find(|(k, name)| k == key && !name.is_empty())
                .map(|(k, name)| (k.as_str(), name.as_str()))
        };
        let key = server_key(registry);
        usable(&key).or_else(|| usable(registry)).or_else(|| {
            self.cred_helpers
                .iter()
                .filter(|(key, name)| key_matches(key, registry) && !name.is_empty())
                .map(|(k, name)| (k.as_str(), name.as_str()))
                .next()
        })
    }

    fn auths(&self) -> Option<Members> {
        self.root.get("auths").and_then(Node::members)
    }

    fn auths_mut(&mut self) -> &mut Members {
        let auths = self
            .root
            .entry("auths".to_owned())
            .or_insert_with(|| Node::Object(Members::new()));
        if auths.members_mut().is_none() {
            *auths = Node::Object(Members::new());
        }
        auths.members_mut().expect("auths is an object")
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
    fn entry_credentials(&self, key: &str, entry: &Node) -> Result<Option<Credentials>> {
        let entry = entry.members().unwrap_or_default();
        let field = |name: &str| {
            entry
                .get(name)
                .and_then(Node::as_string)
                .filter(|value| !value.is_empty())
        };
        if let Some(token) = field("identitytoken") {
            return Ok(Some(Credentials::identity_token(&token)));
        }
        let (username, password) = match field("auth") {
            Some(auth) => decode_auth(&auth).ok_or_else(|| {
                Error::new(
                    Kind::Failed,
                    format!(
                        "the `auth` value of `{key}` in `{}` is not base64 of `user:password`",
                        self.path.shown()
                    ),
                )
                .help(format!(
                    "log in again to replace it: `aseecr login {}`",
                    convert_to_hostname(key)
                ))
            })?,
            None => (
                field("username").unwrap_or_default(),
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
                Node::string(credentials.password.expose()),
            );
        } else {
            entry.insert(
                "auth".to_owned(),
                Node::string(encode_auth(credentials).expose()),
            );
        }
    }

    /// Leave `auths[key]` without credentials, as docker does when a helper holds them.
    pub fn set_placeholder(&mut self, key: &str) {
        self.cleared_entry(key);
    }

    /// The entry under `key` (created empty if missing) with its credential fields removed.
    fn cleared_entry(&mut self, key: &str) -> &mut Members {
        let auths = self.auths_mut();
        let entry = auths
            .entry(key.to_owned())
            .or_insert_with(|| Node::Object(Members::new()));
        if entry.members_mut().is_none() {
            *entry = Node::Object(Members::new());
        }
        let entry = entry.members_mut().expect("entry is an object");
        for field in SECRET_FIELDS {
            entry.shift_remove(field);
        }
        entry
    }

    /// Remove every `auths` entry naming `registry`. Returns (any removed, any of
    /// them held credentials).
    pub fn remove_entries(&mut self, registry: &str) -> (bool, bool) {
        let Some(auths) = self.root.get("auths").and_then(Node::members) else {
            return (false, false);
        };
        if !auths.keys().any(|key| key_matches(key, registry)) {
            // Nothing to remove: `auths` keeps its text.
            return (false, false);
        }
        let mut held = false;
        let auths = self.auths_mut();
        auths.retain(|key, entry| {
            if !key_matches(key, registry) {
                return true;
            }
            let fields = entry.members().unwrap_or_default();
            held |= SECRET_FIELDS.iter().any(|field| {
                fields
                    .get(*field)
                    .and_then(Node::as_string)
                    .is_some_and(|v| !v.is_empty())
            });
            false
        });
        (true, held)
    }

    /// Write the file atomically with mode 0600, tab-indented like docker. A symbolic
    /// link is kept: its target is replaced (docker does the same).
    pub fn save(&self) -> Result<()> {
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        serde::Serializer::collect_map(&mut serializer, &self.root)?;
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
        format!("cannot parse docker config `{}`: {what}", path.shown()),
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
    fn untouched_values_keep_their_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        let original = "{\n\t\"auths\": {\n\t\t\"a:1\": {\n\t\t\t\"auth\": \"dTpw\"\n\t\t}\n\t},\n\t\"n\": 1e400,\n\t\"m\": 123456789012345678901234567890,\n\t\"o\": {\"x\": 0.30000000000000000001}\n}";
        std::fs::write(&path, original).unwrap();
        let mut config = DockerConfig::load(&path).unwrap();
        let credentials = Credentials {
            username: "user".into(),
            password: SecretString::new("secret"),
        };
        config.set_credentials("b:2", &credentials);
        config.save().unwrap();
        let mut config = DockerConfig::load(&path).unwrap();
        assert_eq!(
            config.find_credentials("b:2").unwrap().unwrap().username,
            "user"
        );
        assert_eq!(config.remove_entries("b:2"), (true, true));
        config.save().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
        // A file that changes nothing keeps every byte of `auths` too.
        let mut config = DockerConfig::load(&path).unwrap();
        assert_eq!(config.remove_entries("c:3"), (false, false));
        config.save().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
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
