//! The sync file's `prune` policies checked: each policy read, and no two
//! images pruning one repository at one destination registry, however the
//! registry is written.

use std::collections::HashMap;

use super::{Checker, Destination, Image, Prune};
use crate::yaml::{Node, Pos};

impl Checker<'_> {
    pub(super) fn prune(&mut self, node: &Node) -> Option<Prune> {
        let fields = self.fields(
            node,
            "`prune`",
            &["keep", "olderThan", "tags", "exclude", "untagged"],
            &[],
        )?;
        if ["keep", "olderThan", "untagged"]
            .iter()
            .all(|k| fields.get(k).is_none())
        {
            self.error(
                fields.pos,
                "`prune` needs a policy: `keep`, `olderThan` or `untagged: true`",
            );
            return None;
        }
        let keep = match fields.get("keep") {
            None => Some(None),
            Some(n) => {
                self.string(n, "`keep`")
                    .and_then(|text| match text.trim().parse::<usize>() {
                        Ok(0) => {
                            self.error(
                                n.start(),
                                "`keep: 0` would remove every tag the file does not select: keep 1 or more",
                            );
                            None
                        }
                        Ok(count) => Some(Some(count)),
                        Err(_) => {
                            self.error(
                                n.start(),
                                format!("`keep` must be a whole number above 0, found `{text}`"),
                            );
                            None
                        }
                    })
            }
        };
        let older_than = match fields.get("olderThan") {
            None => Some(None),
            Some(n) => self.string(n, "`olderThan`").and_then(|text| {
                match crate::registry::parse_age(&text) {
                    Ok(age) => Some(Some(age)),
                    Err(_) => {
                        self.error(
                            n.start(),
                            format!(
                                "invalid age `{text}` in `olderThan`: give a number and a unit (s, m, h, d, w), as in `30d`"
                            ),
                        );
                        None
                    }
                }
            }),
        };
        let tags = match fields.get("tags") {
            None => Some(None),
            Some(n) => self.regex(n, "`tags` of `prune`").map(Some),
        };
        let exclude = match fields.get("exclude") {
            None => Some(None),
            Some(n) => self.regex(n, "`exclude`").map(Some),
        };
        let untagged = match fields.get("untagged") {
            None => Some(false),
            Some(n) => self
                .string(n, "`untagged`")
                .and_then(|text| match text.trim() {
                    "true" | "True" | "TRUE" => Some(true),
                    "false" | "False" | "FALSE" => Some(false),
                    _ => {
                        self.error(
                            n.start(),
                            format!("`untagged` must be true or false, found `{text}`"),
                        );
                        None
                    }
                }),
        };
        Some(Prune {
            keep: keep?,
            older_than: older_than?,
            tags: tags?,
            exclude: exclude?,
            untagged: untagged?,
        })
    }

    /// Two images that prune the same repository at the same destination
    /// registry (however it is written) would each remove what the other
    /// keeps: refused, at the second `prune`.
    pub(super) fn one_prune_per_repository(
        &mut self,
        nodes: &[Node],
        images: &[Option<Image>],
        destinations: Option<&[Option<Destination>]>,
    ) {
        // Each destination as the first one of its registry (however
        // written; an invalid one, already an error, is its own).
        let mut first: HashMap<(String, u16), usize> = HashMap::new();
        let registry: Vec<usize> = destinations
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, d)| match d {
                Some(d) => *first.entry(registry_key(&d.registry)).or_insert(i),
                None => i,
            })
            .collect();
        let registry = |index: usize| registry.get(index).copied().unwrap_or(index);
        let mut pruned: HashMap<(usize, &str), usize> = HashMap::new();
        for (node, image) in nodes.iter().zip(images) {
            let Some(image) = image.as_ref().filter(|i| i.prune.is_some()) else {
                continue;
            };
            let repository = image.destination_repository();
            let pos = prune_pos(node).unwrap_or(node.start());
            let keys: Vec<_> = image
                .destinations
                .iter()
                .map(|d| (registry(*d), repository))
                .collect();
            if let Some(line) = keys.iter().find_map(|key| pruned.get(key)) {
                self.error(
                    pos,
                    format!(
                        "repository `{repository}` is pruned by two images (first at line {line}): give the policy once"
                    ),
                );
                continue;
            }
            pruned.extend(keys.into_iter().map(|key| (key, pos.line)));
        }
    }
}

/// Where an image's `prune` key is.
fn prune_pos(image: &Node) -> Option<Pos> {
    let Node::Mapping { entries, .. } = image else {
        return None;
    };
    entries.iter().find_map(|(key, _)| match key {
        Node::Scalar {
            value, start: pos, ..
        } if value == "prune" => Some(*pos),
        _ => None,
    })
}

/// A destination registry as a key for "is this the same registry?": the
/// loopback interface's names and addresses (`localhost`, `127.0.0.1`,
/// `[::1]`) are one host, and no port is the default one (443). The registry
/// is normalized already (its host lower-cased).
pub(super) fn registry_key(registry: &str) -> (String, u16) {
    use crate::registry::reference::{registry_host, registry_port};
    let host = match registry_host(registry) {
        "localhost" | "127.0.0.1" | "::1" => "localhost",
        host => host,
    };
    (host.to_owned(), registry_port(registry).unwrap_or(443))
}
