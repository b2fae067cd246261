//! How the sync file says to reach one registry: `caCert`, `plainHttp` and
//! `tlsVerify` on a destination or on a source registry of the top-level
//! `sources` mapping (as `skopeo sync` keys its settings by source registry).
//! Each key the file gives replaces the flags for that registry; the flags stay
//! the default for every key it leaves out.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Checker, Fields, Image};
use crate::yaml::Node;

/// The keys a destination or a source registry may give about its connection.
pub(super) const TLS_KEYS: [&str; 3] = ["caCert", "plainHttp", "tlsVerify"];

/// One registry's connection as the file gives it; `None`: the flag decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tls {
    /// `caCert`: the certificates trusted for this registry (in place of
    /// `--dst-ca-cert`/`--src-ca-cert`).
    pub ca_cert: Option<CaCert>,
    /// `plainHttp`.
    pub plain_http: Option<bool>,
    /// `tlsVerify` (`false` is `--insecure`).
    pub tls_verify: Option<bool>,
}

/// A `caCert`: a file, or the PEM itself written in the sync file (so that the
/// file is all a CronJob needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaCert {
    /// A PEM or DER file (one or more certificates), resolved against the sync
    /// file's folder; as written when the file was read for elsewhere
    /// ([`super::parse_unread`]).
    File(PathBuf),
    /// One or more `-----BEGIN CERTIFICATE-----` blocks.
    Inline(String),
}

impl Checker<'_> {
    /// The `caCert`, `plainHttp` and `tlsVerify` of a destination or source
    /// registry (`what` names it); `None` when one is wrong.
    pub(super) fn tls(&mut self, fields: &Fields<'_>, what: &str) -> Option<Tls> {
        let plain_http = self.flag(fields.get("plainHttp"), "`plainHttp`");
        let tls_verify = self.flag(fields.get("tlsVerify"), "`tlsVerify`");
        let ca_cert = match fields.get("caCert") {
            None => Some(None),
            Some(n) => self.ca_cert(n).map(Some),
        };
        let (plain_http, tls_verify, ca_cert) = (plain_http?, tls_verify?, ca_cert?);
        let contradiction = if plain_http == Some(true) && ca_cert.is_some() {
            Some((
                "caCert",
                "a CA certificate has no use with `plainHttp: true`",
            ))
        } else if plain_http == Some(true) && tls_verify == Some(true) {
            Some((
                "tlsVerify",
                "`tlsVerify: true` contradicts `plainHttp: true`",
            ))
        } else if tls_verify == Some(false) && ca_cert.is_some() {
            Some((
                "caCert",
                "a CA certificate has no use with `tlsVerify: false` (nothing is verified)",
            ))
        } else {
            None
        };
        if let Some((key, message)) = contradiction {
            let pos = fields.get(key).map_or(fields.pos, Node::start);
            self.error(pos, format!("{message} in {what}"));
            return None;
        }
        Some(Tls {
            ca_cert,
            plain_http,
            tls_verify,
        })
    }

    /// `true` or `false`; `None` when something else.
    fn flag(&mut self, node: Option<&Node>, what: &str) -> Option<Option<bool>> {
        let Some(node) = node else {
            return Some(None);
        };
        let text = self.string(node, what)?;
        match text.trim() {
            "true" | "True" | "TRUE" => Some(Some(true)),
            "false" | "False" | "FALSE" => Some(Some(false)),
            _ => {
                self.error(
                    node.start(),
                    format!("{what} must be true or false, found `{text}`"),
                );
                None
            }
        }
    }

    /// A `caCert`: inline PEM, or a file read now (relative to the sync file's
    /// folder) unless the file is read for elsewhere.
    fn ca_cert(&mut self, node: &Node) -> Option<CaCert> {
        let text = self.string(node, "`caCert`")?;
        if text.contains("-----BEGIN") {
            return match crate::pki::parse(text.as_bytes()) {
                Ok(_) => Some(CaCert::Inline(text)),
                Err(err) => {
                    self.error(node.start(), format!("`caCert` (inline PEM): {err}"));
                    None
                }
            };
        }
        let written = PathBuf::from(text.trim());
        let Some(dir) = self.dir.as_deref() else {
            return Some(CaCert::File(written));
        };
        let path = dir.join(&written);
        match crate::pki::read(&path) {
            Ok(_) => Some(CaCert::File(path)),
            Err(err) => {
                self.error(node.start(), format!("`caCert`: {err:#}"));
                None
            }
        }
    }

    /// The top-level `sources`: each key a source registry (`host[:port]`) of
    /// an image, each value its `caCert`, `plainHttp`, `tlsVerify`.
    pub(super) fn sources(
        &mut self,
        node: Option<&Node>,
        images: &[Option<Image>],
    ) -> Option<BTreeMap<String, Tls>> {
        let mut out = BTreeMap::new();
        let Some(node) = node else {
            return Some(out);
        };
        let Node::Mapping { entries, .. } = node else {
            self.error(
                node.start(),
                format!(
                    "`sources` must be a mapping of source registries, found {}",
                    super::yaml::kind(node)
                ),
            );
            return None;
        };
        let mut ok = true;
        for (key, value) in entries {
            let Some(text) = self.string(key, "a source registry") else {
                ok = false;
                continue;
            };
            let registry = match crate::registry::reference::normalize_registry(text.trim()) {
                Ok(registry) if !text.contains('/') => registry,
                Ok(_) => {
                    self.error(
                        key.start(),
                        format!("a source registry is `host[:port]`, without a path: `{text}`"),
                    );
                    ok = false;
                    continue;
                }
                Err(err) => {
                    self.error(key.start(), err.to_string());
                    ok = false;
                    continue;
                }
            };
            let what = format!("source registry `{registry}`");
            if out.contains_key(&registry) {
                self.error(key.start(), format!("{what} is repeated in `sources`"));
                ok = false;
                continue;
            }
            let used = images
                .iter()
                .flatten()
                .any(|image| image.source.registry == registry);
            // Images with errors are not known: the file fails anyway.
            if !used && images.iter().all(Option::is_some) {
                self.error(
                    key.start(),
                    format!(
                        "{what} in `sources` is the registry of no image (write it as the images' `source` does)"
                    ),
                );
                ok = false;
                continue;
            }
            let tls = self
                .fields(value, &what, &TLS_KEYS, &[])
                .and_then(|fields| self.tls(&fields, &what));
            match tls {
                Some(tls) => {
                    out.insert(registry, tls);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}
