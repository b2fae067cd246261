//! The sync file's `referrers` key, at the top (the file's default) and on an
//! image (that image's): `true` (every referrer, the default), `false`
//! (none), or a list of artifact types (only those).

use super::Checker;
use crate::yaml::Node;

/// Which referrers (signatures, SBOMs, attestations) and cosign tags go
/// along with an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferrersKey {
    All,
    None,
    /// Only the referrers of these artifact types.
    Types(Vec<String>),
}

impl Checker<'_> {
    pub(super) fn referrers(&mut self, node: &Node) -> Option<ReferrersKey> {
        if let Node::Sequence { .. } = node {
            let items = self.list(node, "`referrers`")?;
            let mut types = Vec::new();
            for item in items {
                let text = self.string(item, "an artifact type in `referrers`")?;
                let text = text.trim().to_owned();
                if !looks_like_media_type(&text) {
                    self.error(
                        item.start(),
                        format!("`{text}` in `referrers` is not an artifact type (a media type such as application/spdx+json)"),
                    );
                    return None;
                }
                types.push(text);
            }
            return Some(ReferrersKey::Types(types));
        }
        let text = self.string(node, "`referrers`")?;
        match text.trim() {
            "true" | "True" | "TRUE" => Some(ReferrersKey::All),
            "false" | "False" | "FALSE" => Some(ReferrersKey::None),
            _ => {
                self.error(
                    node.start(),
                    format!("`referrers` must be true, false or a list of artifact types, found `{text}`"),
                );
                None
            }
        }
    }
}

/// `type/subtype`, each part non-empty, no spaces.
fn looks_like_media_type(text: &str) -> bool {
    text.split_once('/').is_some_and(|(kind, sub)| {
        !kind.is_empty()
            && !sub.is_empty()
            && !sub.contains('/')
            && text.bytes().all(|b| b.is_ascii_graphic() && b != b',')
    })
}
