//! The sync file's `verify` key, at the top (every image's) and on an image
//! (that image's): `false` (copied without verification), or a mapping of
//! `key` (a cosign public key), `policy` (notation's trustpolicy.json) and
//! `trustStore` (notation's trust store folder), paths relative to the sync
//! file's folder, each read and checked with the file.

use std::path::{Path, PathBuf};

use super::Checker;
use crate::verify::TrustPolicy;
use crate::verify::cosign::PublicKey;
use crate::yaml::Node;

/// What the images a `verify` key covers must be signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyKey {
    /// `verify: false`: copied without verification, whatever the flags say.
    Off,
    /// The key, policy and trust store: as `--verify-key`, `--verify-policy`
    /// and `--trust-store` (what is left out, the configuration decides).
    With {
        key: Option<PathBuf>,
        policy: Option<PathBuf>,
        trust_store: Option<PathBuf>,
    },
}

impl VerifyKey {
    /// The files it names (the key, the policy) and the folder (the trust store).
    pub fn paths(&self) -> impl Iterator<Item = (&'static str, &Path)> {
        let (key, policy, store) = match self {
            VerifyKey::Off => (None, None, None),
            VerifyKey::With {
                key,
                policy,
                trust_store,
            } => (key.as_deref(), policy.as_deref(), trust_store.as_deref()),
        };
        [("key", key), ("policy", policy), ("trustStore", store)]
            .into_iter()
            .filter_map(|(name, path)| Some((name, path?)))
    }
}

impl Checker<'_> {
    pub(super) fn verify(&mut self, node: &Node) -> Option<VerifyKey> {
        if let Node::Scalar { value, .. } = node
            && !node.is_null()
        {
            return match value.trim() {
                "false" | "False" | "FALSE" => Some(VerifyKey::Off),
                _ => {
                    self.error(
                        node.start(),
                        format!(
                            "`verify` must be false or a mapping of key, policy, trustStore, found `{value}`"
                        ),
                    );
                    None
                }
            };
        }
        let fields = self.fields(node, "`verify`", &["key", "policy", "trustStore"], &[])?;
        let mut path = |name: &str| -> Option<Option<PathBuf>> {
            let Some(n) = fields.get(name) else {
                return Some(None);
            };
            let text = self.string(n, &format!("`{name}` in `verify`"))?;
            let written = PathBuf::from(text.trim());
            let Some(dir) = self.dir.as_deref() else {
                return Some(Some(written));
            };
            let path = dir.join(&written);
            let checked = match name {
                "key" => PublicKey::load(&path).map(|_| ()),
                "policy" => TrustPolicy::load(&path).map(|_| ()),
                _ if path.is_dir() => Ok(()),
                _ => Err(anyhow::anyhow!(
                    "`{}` is not a folder (a trust store in notation's layout: x509/ca/NAME/*.pem)",
                    crate::output::terminal_safe_name(&path.to_string_lossy())
                )),
            };
            match checked {
                Ok(()) => Some(Some(path)),
                Err(err) => {
                    self.error(n.start(), format!("`{name}` in `verify`: {err:#}"));
                    None
                }
            }
        };
        let (key, policy, trust_store) = (path("key"), path("policy"), path("trustStore"));
        let (key, policy, trust_store) = (key?, policy?, trust_store?);
        if key.is_none() && policy.is_none() && trust_store.is_none() {
            self.error(
                fields.pos,
                "`verify` names nothing: give `key`, `policy` (with `trustStore`), or `false`",
            );
            return None;
        }
        Some(VerifyKey::With {
            key,
            policy,
            trust_store,
        })
    }
}
