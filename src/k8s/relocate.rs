//! Rewriting the container images of Kubernetes manifests so they are pulled from
//! the edge registry, as a text-preserving edit.
//!
//! The YAML is parsed with `saphyr-parser`, a YAML 1.2 event parser (the maintained
//! successor of yaml-rust/yaml-rust2) that reports a span for every event, into the
//! span tree of [`super::yaml`]. Only the spans are used: the output is the input
//! text with the image scalars replaced and `imagePullSecrets` entries inserted, so
//! comments, key order, indentation, quoting and line endings stay exactly as they
//! were. Serializing a parsed tree back (serde_yaml and friends) would lose all of
//! that.
//!
//! Which images: `containers`, `initContainers` and `ephemeralContainers` of the pod
//! spec of Pod (`spec`), Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and
//! ReplicationController (`spec.template.spec`), PodTemplate (`template.spec`) and
//! CronJob (`spec.jobTemplate.spec.template.spec`), and of the items of a `List`.
//!
//! The new reference keeps the repository path of the old one, as docker normalizes
//! it: `mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine` becomes
//! `REGISTRY/oss/nginx/nginx:1.17.5-alpine`, and Docker Hub's `nginx` becomes
//! `REGISTRY/library/nginx`, the path under which `docker.io/library/nginx` is
//! copied, so relocated names never collide between registries' official images
//! and a user's own `nginx` repository. Tags and digests are kept as written.

use std::fmt;
use std::ops::Range;

use crate::error::Error;
use crate::k8s::yaml_string;
use crate::registry::reference::Reference;
use crate::yaml::{Node, Quote, locate};

/// The pod spec fields that hold containers.
pub const CONTAINER_FIELDS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// Kinds known to hold no containers: left unchanged without a note.
const KINDS_WITHOUT_PODS: &[&str] = &[
    "APIService",
    "ClusterRole",
    "ClusterRoleBinding",
    "ConfigMap",
    "CustomResourceDefinition",
    "Endpoints",
    "EndpointSlice",
    "HorizontalPodAutoscaler",
    "Ingress",
    "IngressClass",
    "LimitRange",
    "MutatingWebhookConfiguration",
    "Namespace",
    "NetworkPolicy",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "PodDisruptionBudget",
    "PriorityClass",
    "ResourceQuota",
    "Role",
    "RoleBinding",
    "RuntimeClass",
    "Secret",
    "Service",
    "ServiceAccount",
    "StorageClass",
    "ValidatingWebhookConfiguration",
];

/// Where the pod spec of a kind is, or `None` for kinds without one.
fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Pod" => Some(&["spec"]),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => Some(&["spec", "template", "spec"]),
        "PodTemplate" => Some(&["template", "spec"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    }
}

/// One Kubernetes object of the input: its document (from 1), kind and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub document: usize,
    pub kind: String,
    pub name: Option<String>,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{}/{name}", self.kind),
            None => write!(f, "{} in document {}", self.kind, self.document),
        }
    }
}

/// One container image field found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageField {
    pub object: ObjectRef,
    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub field: &'static str,
    /// The container's `name`, when it has one.
    pub container: Option<String>,
    /// The reference as written.
    pub image: String,
    /// The line of the `image` key (from 1).
    pub line: usize,
    quote: Quote,
}

/// Something left unchanged that the user should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A kind that is neither a workload nor known to hold no containers.
    UnknownKind(ObjectRef),
    /// A mapping document without `kind`.
    NoKind { document: usize },
    /// A workload whose pod spec is missing or not a mapping.
    NoPodSpec { object: ObjectRef, path: String },
    /// An image given as an alias (`*name`).
    AliasImage {
        object: ObjectRef,
        container: Option<String>,
        line: usize,
    },
    /// `imagePullSecrets` is there but is not a list.
    PullSecretsNotAList {
        object: ObjectRef,
        line: usize,
        secret: String,
    },
    /// The pod spec is laid out so that a line cannot be inserted safely.
    PullSecretLayout {
        object: ObjectRef,
        line: usize,
        secret: String,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::UnknownKind(object) => write!(
                f,
                "left {object} unchanged: kind `{}` is not one whose images aseecr knows how to find",
                object.kind
            ),
            Note::NoKind { document } => {
                write!(f, "left document {document} unchanged: it has no `kind`")
            }
            Note::NoPodSpec { object, path } => {
                write!(f, "left {object} unchanged: it has no pod spec at `{path}`")
            }
            Note::AliasImage {
                object,
                container,
                line,
            } => write!(
                f,
                "left the image of {} in {object} (line {line}) unchanged: it is a YAML alias",
                container_label(container.as_deref())
            ),
            Note::PullSecretsNotAList {
                object,
                line,
                secret,
            } => write!(
                f,
                "did not add `{secret}` to {object}: its `imagePullSecrets` (line {line}) is not a list"
            ),
            Note::PullSecretLayout {
                object,
                line,
                secret,
            } => write!(
                f,
                "did not add `{secret}` to {object}: cannot insert `imagePullSecrets` at line {line} without changing its layout; add `imagePullSecrets: [{{name: {secret}}}]` by hand"
            ),
        }
    }
}

fn container_label(container: Option<&str>) -> String {
    match container {
        Some(name) => format!("container `{name}`"),
        None => "a container without a name".to_owned(),
    }
}

/// One image that was rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub object: ObjectRef,
    pub field: &'static str,
    pub container: Option<String>,
    pub line: usize,
    pub old: String,
    pub new: String,
}

/// The result of [`relocate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocation {
    /// The rewritten text.
    pub text: String,
    /// The images that were rewritten, in input order.
    pub changes: Vec<Change>,
    /// How many images already had the reference the mapping gave them.
    pub unchanged: usize,
    /// The objects that got the pull secret added.
    pub pull_secret_added: Vec<ObjectRef>,
    /// Things left unchanged, for stderr.
    pub notes: Vec<Note>,
}

/// The image fields of every workload in `text`, in input order, and notes on
/// what was skipped. This is what `--mirror` needs: the references to copy.
pub fn find_images(text: &str) -> Result<(Vec<ImageField>, Vec<Note>), Error> {
    let docs = parse(text)?;
    let scan = scan(text, &docs);
    Ok((scan.images, scan.notes))
}

/// The references of [`find_images`], each once, in the order first seen.
pub fn image_references(text: &str) -> Result<Vec<String>, Error> {
    let (images, _) = find_images(text)?;
    let mut seen = Vec::new();
    for image in images {
        if !seen.contains(&image.image) {
            seen.push(image.image);
        }
    }
    Ok(seen)
}

/// The reference `image` gets in `registry`: same repository path (docker-normalized,
/// so Docker Hub's `nginx` is `library/nginx`), same tag and digest.
pub fn edge_reference(image: &str, registry: &str) -> Result<String, Error> {
    let reference = Reference::parse(image, None)?;
    Ok(Reference {
        registry: registry.to_owned(),
        ..reference
    }
    .to_string())
}

/// Rewrite every image of `text` to `map(image)`, and when `pull_secret` is given,
/// add `imagePullSecrets: [{name: PULL_SECRET}]` to each pod spec that lacks it.
///
/// `map` is the hook for what the new reference is (e.g. [`edge_reference`], or a
/// lookup that pins digests); returning the image unchanged leaves it alone. On any
/// error nothing is returned, so callers never write half-relocated files.
pub fn relocate<F>(text: &str, pull_secret: Option<&str>, mut map: F) -> anyhow::Result<Relocation>
where
    F: FnMut(&str) -> anyhow::Result<String>,
{
    let docs = parse(text)?;
    let mut scan = scan(text, &docs);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for image in &scan.images {
        let new = map(&image.image).map_err(|err| at_image(err, image))?;
        if new == image.image {
            unchanged += 1;
            continue;
        }
        let (range, replacement) = match &image.quote {
            Quote::Plain { range } => (range.clone(), plain_or_quoted(&new)),
            Quote::Double { range } => (range.clone(), json_string(&new)),
            Quote::Single { range } => (range.clone(), format!("'{}'", new.replace('\'', "''"))),
            Quote::Block => {
                return Err(Error::usage(format!(
                    "cannot rewrite the image of {} in {} at line {}: it is a block scalar (`|` or `>`)",
                    container_label(image.container.as_deref()),
                    image.object,
                    image.line
                ))
                .help(format!("write it on one line: `image: {}`", image.image))
                .into());
            }
            Quote::Unlocated => {
                return Err(Error::new(
                    crate::error::Kind::Failed,
                    format!(
                        "cannot rewrite the image of {} in {} at line {}: its text does not spell `{}` plainly",
                        container_label(image.container.as_deref()),
                        image.object,
                        image.line,
                        image.image
                    ),
                )
                .help(format!("write it without escapes or line breaks: `image: {}`", image.image))
                .into());
            }
        };
        edits.push((range, replacement));
        changes.push(Change {
            object: image.object.clone(),
            field: image.field,
            container: image.container.clone(),
            line: image.line,
            old: image.image.clone(),
            new,
        });
    }
    let mut pull_secret_added = Vec::new();
    if let Some(secret) = pull_secret {
        for (object, spec) in &scan.pod_specs {
            match pull_secret_edit(text, spec, secret, newline) {
                Ok(Some(edit)) => {
                    edits.push(edit);
                    pull_secret_added.push(object.clone());
                }
                Ok(None) => {}
                Err(Layout::NotAList(line)) => scan.notes.push(Note::PullSecretsNotAList {
                    object: object.clone(),
                    line,
                    secret: secret.to_owned(),
                }),
                Err(Layout::Unusual(line)) => scan.notes.push(Note::PullSecretLayout {
                    object: object.clone(),
                    line,
                    secret: secret.to_owned(),
                }),
            }
        }
    }
    Ok(Relocation {
        text: apply(text, edits),
        changes,
        unchanged,
        pull_secret_added,
        notes: scan.notes,
    })
}

/// Say where the image is in an error from the mapping, keeping its kind and help.
fn at_image(err: anyhow::Error, image: &ImageField) -> anyhow::Error {
    let place = format!(
        "line {}, {} in {}",
        image.line,
        container_label(image.container.as_deref()),
        image.object
    );
    match err.downcast::<Error>() {
        Ok(mut err) => {
            err.message = format!("{place}: {}", err.message);
            err.into()
        }
        Err(err) => err.context(place),
    }
}

/// Splice `edits` (byte range -> replacement; empty ranges insert) into `text`.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len() + edits.len() * 32);
    let mut at = 0;
    for (range, replacement) in edits {
        // Edits come from distinct nodes, so they never overlap.
        debug_assert!(range.start >= at, "overlapping edits");
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A JSON string literal, which is also a valid YAML double-quoted scalar.
fn json_string(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

/// `value` as a plain scalar when that is safe in block and flow context alike,
/// else double-quoted. Image references are plain-safe unless they start with
/// `[` (an IPv6 registry); a `/` rules out YAML reading them as numbers or booleans.
fn plain_or_quoted(value: &str) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-:/@+=".contains(c);
    let plain = value.contains('/')
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && value.chars().all(allowed)
        && !value.ends_with(':');
    if plain {
        value.to_owned()
    } else {
        yaml_string(value)
    }
}

/// Parse every document of `text`; invalid YAML is a usage error with a hint.
fn parse(text: &str) -> Result<Vec<Node>, Error> {
    super::yaml::parse(text).map_err(|err| {
        err.help("relocate reads plain manifests; render templates first, e.g. `helm template CHART | aseecr k8s relocate -`")
    })
}

// ---- Finding the pod specs and their images. ----

#[derive(Default)]
struct Scan<'n> {
    images: Vec<ImageField>,
    pod_specs: Vec<(ObjectRef, &'n Node)>,
    notes: Vec<Note>,
}

fn scan<'n>(text: &str, docs: &'n [Node]) -> Scan<'n> {
    let mut scan = Scan::default();
    for (index, root) in docs.iter().enumerate() {
        scan_object(text, index + 1, root, &mut scan);
    }
    scan
}

fn scan_object<'n>(text: &str, document: usize, root: &'n Node, scan: &mut Scan<'n>) {
    if !matches!(root, Node::Mapping { .. }) {
        return;
    }
    let Some(kind) = root.get("kind").and_then(Node::as_str) else {
        scan.notes.push(Note::NoKind { document });
        return;
    };
    let object = ObjectRef {
        document,
        kind: kind.to_owned(),
        name: root
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_str)
            .map(str::to_owned),
    };
    if kind == "List" {
        if let Some(Node::Sequence { items, .. }) = root.get("items") {
            for item in items {
                scan_object(text, document, item, scan);
            }
        }
        return;
    }
    let Some(path) = pod_spec_path(kind) else {
        if !KINDS_WITHOUT_PODS.contains(&kind) {
            scan.notes.push(Note::UnknownKind(object));
        }
        return;
    };
    let spec = path.iter().try_fold(root, |node, key| node.get(key));
    let Some(spec @ Node::Mapping { .. }) = spec else {
        scan.notes.push(Note::NoPodSpec {
            object,
            path: path.join("."),
        });
        return;
    };
    for field in CONTAINER_FIELDS {
        let Some(Node::Sequence { items, .. }) = spec.get(field) else {
            continue;
        };
        for container in items {
            let name = container
                .get("name")
                .and_then(Node::as_str)
                .map(str::to_owned);
            let Node::Mapping { entries, .. } = container else {
                continue;
            };
            let Some((key, image)) = entries.iter().find(|(k, _)| k.as_str() == Some("image"))
            else {
                continue;
            };
            let line = key.start().line;
            match image {
                Node::Scalar {
                    value,
                    style,
                    start,
                } => scan.images.push(ImageField {
                    object: object.clone(),
                    field,
                    container: name,
                    image: value.clone(),
                    line,
                    quote: locate(text, value, *style, start.byte),
                }),
                Node::Alias { .. } => scan.notes.push(Note::AliasImage {
                    object: object.clone(),
                    container: name,
                    line,
                }),
                _ => {}
            }
        }
    }
    scan.pod_specs.push((object, spec));
}

// ---- Adding the pull secret. ----

enum Layout {
    /// `imagePullSecrets` holds something other than a list (line).
    NotAList(usize),
    /// No safe place to insert (line).
    Unusual(usize),
}

/// The insertion that adds `secret` to the pod spec's `imagePullSecrets`, or `None`
/// when it is already there.
fn pull_secret_edit(
    text: &str,
    spec: &Node,
    secret: &str,
    newline: &str,
) -> Result<Option<(Range<usize>, String)>, Layout> {
    let Node::Mapping {
        entries,
        start,
        open,
    } = spec
    else {
        return Err(Layout::Unusual(spec.start().line));
    };
    let name = yaml_string(secret);
    let existing = entries
        .iter()
        .find(|(key, _)| key.as_str() == Some("imagePullSecrets"));
    match existing {
        Some((_, Node::Sequence { items, start, open })) => {
            if items
                .iter()
                .any(|item| item.get("name").and_then(Node::as_str) == Some(secret))
            {
                return Ok(None);
            }
            if let Some(open) = open {
                let separator = if items.is_empty() { "" } else { ", " };
                return Ok(Some((
                    open + 1..open + 1,
                    format!("{{name: {name}}}{separator}"),
                )));
            }
            let first = items.first().ok_or(Layout::Unusual(start.line))?;
            let dash = dash_before(text, first.start().byte).ok_or(Layout::Unusual(start.line))?;
            let indent = indent_of(text, dash).ok_or(Layout::Unusual(start.line))?;
            Ok(Some((
                dash..dash,
                format!("- name: {name}{newline}{}", " ".repeat(indent)),
            )))
        }
        // Also `imagePullSecrets:` with no value: null is not a list.
        Some((key, _)) => Err(Layout::NotAList(key.start().line)),
        None => {
            let Some((first_key, _)) = entries.first() else {
                // `spec: {}`
                let open = open.ok_or(Layout::Unusual(start.line))?;
                return Ok(Some((
                    open + 1..open + 1,
                    format!("imagePullSecrets: [{{name: {name}}}]"),
                )));
            };
            let at = first_key.start().byte;
            if open.is_some() {
                return Ok(Some((
                    at..at,
                    format!("imagePullSecrets: [{{name: {name}}}], "),
                )));
            }
            let indent = indent_of(text, at).ok_or(Layout::Unusual(first_key.start().line))?;
            let dash_indent = indent + sequence_offset(text, entries);
            Ok(Some((
                at..at,
                format!(
                    "imagePullSecrets:{newline}{}- name: {name}{newline}{}",
                    " ".repeat(dash_indent),
                    " ".repeat(indent)
                ),
            )))
        }
    }
}

/// The column of `byte` when only spaces precede it on its line.
fn indent_of(text: &str, byte: usize) -> Option<usize> {
    let line_start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..byte];
    prefix.bytes().all(|b| b == b' ').then_some(prefix.len())
}

/// The `-` of the block sequence entry whose content starts at `byte`.
fn dash_before(text: &str, byte: usize) -> Option<usize> {
    let before = text[..byte].trim_end_matches([' ', '\t']);
    before.ends_with('-').then(|| before.len() - 1)
}

/// How far this mapping indents the `-` of its block sequences past their key
/// (0 for kubectl's style, 2 for the other common one), from its first one.
fn sequence_offset(text: &str, entries: &[(Node, Node)]) -> usize {
    entries
        .iter()
        .find_map(|(key, value)| {
            let Node::Sequence {
                items, open: None, ..
            } = value
            else {
                return None;
            };
            let dash = dash_before(text, items.first()?.start().byte)?;
            let dash_col = indent_of(text, dash)?;
            let key_col = indent_of(text, key.start().byte)?;
            Some(dash_col.saturating_sub(key_col))
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REG: &str = "ecr.dbe-xyz.microsoftdatabox.com:31001";
    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn to_edge(text: &str) -> Relocation {
        relocate(text, Some("ase-ecr-credentials"), |image| {
            Ok(edge_reference(image, REG)?)
        })
        .unwrap_or_else(|err| panic!("{err:#}\n{text}"))
    }

    fn images_only(text: &str) -> String {
        relocate(text, None, |image| Ok(edge_reference(image, REG)?))
            .unwrap()
            .text
    }

    #[test]
    fn edge_reference_keeps_the_path_tag_and_digest() {
        let cases = [
            (
                "mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine",
                format!("{REG}/oss/nginx/nginx:1.17.5-alpine"),
            ),
            ("nginx", format!("{REG}/library/nginx")),
            ("nginx:1.25", format!("{REG}/library/nginx:1.25")),
            (
                "docker.io/bitnami/redis:7",
                format!("{REG}/bitnami/redis:7"),
            ),
            (
                "index.docker.io/library/busybox",
                format!("{REG}/library/busybox"),
            ),
            (
                &format!("quay.io/a/b:v1@{DIGEST}"),
                format!("{REG}/a/b:v1@{DIGEST}"),
            ),
            (
                &format!("alpine@{DIGEST}"),
                format!("{REG}/library/alpine@{DIGEST}"),
            ),
            (
                &format!("{REG}/library/nginx:1"),
                format!("{REG}/library/nginx:1"),
            ),
            ("localhost:5000/app", format!("{REG}/app")),
        ];
        for (image, expected) in cases {
            assert_eq!(edge_reference(image, REG).unwrap(), expected, "{image}");
        }
        let err = edge_reference("Bad:Ref:x", REG).unwrap_err();
        assert!(err.message.contains("`Bad:Ref:x`"), "{}", err.message);
    }

    #[test]
    fn deployment_is_rewritten_in_place() {
        let input = "\
# web front end
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the name
spec:
  replicas: 2
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine   # pinned later
        ports:
        - containerPort: 80
      initContainers:
      - name: init
        image: busybox
";
        let expected = format!(
            "\
# web front end
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the name
spec:
  replicas: 2
  template:
    metadata:
      labels: {{app: web}}
    spec:
      imagePullSecrets:
      - name: ase-ecr-credentials
      containers:
      - name: nginx
        image: {REG}/oss/nginx/nginx:1.17.5-alpine   # pinned later
        ports:
        - containerPort: 80
      initContainers:
      - name: init
        image: {REG}/library/busybox
"
        );
        let result = to_edge(input);
        assert_eq!(result.text, expected);
        let object = ObjectRef {
            document: 1,
            kind: "Deployment".into(),
            name: Some("web".into()),
        };
        assert_eq!(
            result.changes,
            vec![
                Change {
                    object: object.clone(),
                    field: "containers",
                    container: Some("nginx".into()),
                    line: 14,
                    old: "mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine".into(),
                    new: format!("{REG}/oss/nginx/nginx:1.17.5-alpine"),
                },
                Change {
                    object: object.clone(),
                    field: "initContainers",
                    container: Some("init".into()),
                    line: 19,
                    old: "busybox".into(),
                    new: format!("{REG}/library/busybox"),
                },
            ]
        );
        assert_eq!(result.pull_secret_added, vec![object]);
        assert!(result.notes.is_empty());
        assert_eq!(result.unchanged, 0);
    }

    /// A minimal object of `kind` whose pod spec is at `path`, indented as kubectl does.
    fn object(kind: &str, path: &[&str]) -> String {
        let mut text = format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: x\n");
        for (depth, key) in path.iter().enumerate() {
            text.push_str(&format!("{}{key}:\n", "  ".repeat(depth)));
        }
        let indent = "  ".repeat(path.len());
        text.push_str(&format!(
            "{indent}containers:\n{indent}- name: c\n{indent}  image: nginx:1\n\
             {indent}initContainers:\n{indent}- name: i\n{indent}  image: \"busybox:1\"\n\
             {indent}ephemeralContainers:\n{indent}- name: e\n{indent}  image: 'debian:12'\n"
        ));
        text
    }

    #[test]
    fn every_workload_kind_is_found() {
        let kinds: [(&str, &[&str]); 9] = [
            ("Pod", &["spec"]),
            ("Deployment", &["spec", "template", "spec"]),
            ("ReplicaSet", &["spec", "template", "spec"]),
            ("StatefulSet", &["spec", "template", "spec"]),
            ("DaemonSet", &["spec", "template", "spec"]),
            ("Job", &["spec", "template", "spec"]),
            ("ReplicationController", &["spec", "template", "spec"]),
            ("PodTemplate", &["template", "spec"]),
            (
                "CronJob",
                &["spec", "jobTemplate", "spec", "template", "spec"],
            ),
        ];
        for (kind, path) in kinds {
            let input = object(kind, path);
            let result = to_edge(&input);
            let indent = "  ".repeat(path.len());
            let expected = input
                .replace("image: nginx:1", &format!("image: {REG}/library/nginx:1"))
                .replace("\"busybox:1\"", &format!("\"{REG}/library/busybox:1\""))
                .replace("'debian:12'", &format!("'{REG}/library/debian:12'"))
                .replacen(
                    &format!("{indent}containers:\n"),
                    &format!("{indent}imagePullSecrets:\n{indent}- name: ase-ecr-credentials\n{indent}containers:\n"),
                    1,
                );
            assert_eq!(result.text, expected, "{kind}");
            let fields: Vec<_> = result.changes.iter().map(|c| c.field).collect();
            assert_eq!(fields, CONTAINER_FIELDS, "{kind}");
            assert!(result.changes.iter().all(|c| c.object.kind == kind));
            assert_eq!(result.pull_secret_added.len(), 1, "{kind}");
            assert!(result.notes.is_empty(), "{kind}: {:?}", result.notes);
        }
    }

    #[test]
    fn lists_are_walked() {
        let input = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a}
  spec:
    containers:
    - image: nginx
- apiVersion: v1
  kind: Service
  metadata: {name: s}
";
        let result = to_edge(input);
        assert_eq!(result.changes.len(), 1);
        assert_eq!(result.changes[0].object.to_string(), "Pod/a");
        assert!(
            result
                .text
                .contains(&format!("    - image: {REG}/library/nginx\n"))
        );
        assert!(result.text.contains(
            "  spec:\n    imagePullSecrets:\n    - name: ase-ecr-credentials\n    containers:\n"
        ));
        assert!(result.notes.is_empty());
    }

    #[test]
    fn multi_document_streams_keep_their_separators_and_comments() {
        let input = "\
--- # first
apiVersion: v1
kind: Pod
metadata:
  name: one
spec:
  containers:
  - name: a
    image: nginx
...
---
# a comment-only document
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports: [{port: 80}]
---

apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: \"0 1 * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: job
            image: \"alpine:3.19\"  # quoted
";
        let result = to_edge(input);
        let expected = input
            .replace("    image: nginx\n", &format!("    image: {REG}/library/nginx\n"))
            .replace("\"alpine:3.19\"", &format!("\"{REG}/library/alpine:3.19\""))
            .replace(
                "spec:\n  containers:",
                "spec:\n  imagePullSecrets:\n  - name: ase-ecr-credentials\n  containers:",
            )
            .replace(
                "          restartPolicy:",
                "          imagePullSecrets:\n          - name: ase-ecr-credentials\n          restartPolicy:",
            );
        assert_eq!(result.text, expected);
        let objects: Vec<_> = result
            .changes
            .iter()
            .map(|c| (c.object.document, c.object.to_string()))
            .collect();
        // The comment-only document counts, as it does for kubectl.
        assert_eq!(
            objects,
            [(1, "Pod/one".to_owned()), (4, "CronJob/nightly".to_owned())]
        );
        assert!(result.notes.is_empty(), "{:?}", result.notes);
    }

    #[test]
    fn only_the_image_scalars_change() {
        // Odd but valid formatting everywhere else must survive byte for byte.
        let input = "\
apiVersion:   apps/v1   # spaces
kind: 'Deployment'
metadata: { name: \"odd\", labels: {a: 'b'} }
spec:
    template:
        spec:   # four-space indents, tabs in comments:\t!
            containers:
                -   name: \"x\"
                    image:     'nginx:1.25'
                    args: [ \"--a\" ,  '--b' ]   # kept
                -   image:
                        ghcr.io/o/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                    name: y
            volumes:
            -   name: v   # kurz, gröẞer: non-ASCII before an image
";
        let result = relocate(input, None, |image| Ok(edge_reference(image, REG)?)).unwrap();
        let expected = input
            .replace("'nginx:1.25'", &format!("'{REG}/library/nginx:1.25'"))
            .replace("ghcr.io/o/app@", &format!("{REG}/o/app@"));
        assert_eq!(result.text, expected);
        assert!(result.pull_secret_added.is_empty());
    }

    #[test]
    fn non_ascii_text_before_images_is_handled_in_bytes() {
        let input = "\
# Größe: ü, 日本語, 🚀
kind: Pod
metadata: {name: ü}
spec:
  containers:
  - name: 名前
    image: \"nginx\" # ✓
";
        let result = to_edge(input);
        assert_eq!(
            result.text,
            input
                .replace("\"nginx\"", &format!("\"{REG}/library/nginx\""))
                .replace(
                    "spec:\n",
                    "spec:\n  imagePullSecrets:\n  - name: ase-ecr-credentials\n"
                )
        );
        assert_eq!(result.changes[0].container.as_deref(), Some("名前"));
    }

    #[test]
    fn flow_style_and_quotes_are_kept() {
        let input = "\
kind: Pod
spec: {containers: [{name: a, image: \"nginx:1\"}, {name: b, image: 'redis:7'}, {name: c, image: busybox}]}
";
        let expected = format!(
            "\
kind: Pod
spec: {{imagePullSecrets: [{{name: ase-ecr-credentials}}], containers: [{{name: a, image: \"{REG}/library/nginx:1\"}}, {{name: b, image: '{REG}/library/redis:7'}}, {{name: c, image: {REG}/library/busybox}}]}}
"
        );
        assert_eq!(to_edge(input).text, expected);
        assert_eq!(
            to_edge("kind: Pod\nspec: {}\n").text,
            "kind: Pod\nspec: {imagePullSecrets: [{name: ase-ecr-credentials}]}\n"
        );
    }

    #[test]
    fn ipv6_registries_are_quoted_when_plain_would_break() {
        let input = "kind: Pod\nspec:\n  containers:\n  - image: nginx\n";
        let result = relocate(input, None, |image| {
            Ok(edge_reference(image, "[::1]:5000")?)
        })
        .unwrap();
        assert_eq!(
            result.text,
            "kind: Pod\nspec:\n  containers:\n  - image: \"[::1]:5000/library/nginx\"\n"
        );
    }

    #[test]
    fn existing_pull_secrets_are_kept_and_not_duplicated() {
        // Already there: nothing added.
        let input = "\
kind: Pod
spec:
  imagePullSecrets:
  - name: other
  - name: ase-ecr-credentials
  containers:
  - image: nginx
";
        let result = to_edge(input);
        assert!(result.pull_secret_added.is_empty());
        assert_eq!(
            result.text,
            input.replace("image: nginx", &format!("image: {REG}/library/nginx"))
        );

        // Another secret only: ours is added, the other kept.
        let input = "\
kind: Pod
spec:
  containers:
    - image: nginx
  imagePullSecrets:
    - name: other   # keep me
";
        let result = to_edge(input);
        assert_eq!(
            result.text,
            format!(
                "\
kind: Pod
spec:
  containers:
    - image: {REG}/library/nginx
  imagePullSecrets:
    - name: ase-ecr-credentials
    - name: other   # keep me
"
            )
        );

        // Flow lists, empty or not.
        let result = to_edge("kind: Pod\nspec:\n  imagePullSecrets: []\n  containers: []\n");
        assert_eq!(
            result.text,
            "kind: Pod\nspec:\n  imagePullSecrets: [{name: ase-ecr-credentials}]\n  containers: []\n"
        );
        let result = to_edge("kind: Pod\nspec:\n  imagePullSecrets: [{name: a}]\n");
        assert_eq!(
            result.text,
            "kind: Pod\nspec:\n  imagePullSecrets: [{name: ase-ecr-credentials}, {name: a}]\n"
        );
        let result =
            to_edge("kind: Pod\nspec:\n  imagePullSecrets: [{name: ase-ecr-credentials}]\n");
        assert_eq!(
            result.text,
            "kind: Pod\nspec:\n  imagePullSecrets: [{name: ase-ecr-credentials}]\n"
        );
        assert!(result.pull_secret_added.is_empty());
    }

    #[test]
    fn relocating_twice_changes_nothing_more() {
        let once = to_edge(&object("Deployment", &["spec", "template", "spec"]));
        let twice = to_edge(&once.text);
        assert_eq!(twice.text, once.text);
        assert!(twice.changes.is_empty());
        assert_eq!(twice.unchanged, 3);
        assert!(twice.pull_secret_added.is_empty());
    }

    #[test]
    fn the_sequence_indentation_of_the_file_is_followed() {
        let input = "\
kind: Pod
spec:
  containers:
    - name: a
      image: nginx
";
        let result = to_edge(input);
        assert!(
            result.text.starts_with("kind: Pod\nspec:\n  imagePullSecrets:\n    - name: ase-ecr-credentials\n  containers:\n"),
            "{}",
            result.text
        );
    }

    #[test]
    fn a_custom_pull_secret_name_is_used() {
        let input = "kind: Pod\nspec:\n  containers:\n  - image: nginx\n";
        let result = relocate(input, Some("regcred"), |image| Ok(image.to_owned())).unwrap();
        assert_eq!(
            result.text,
            "kind: Pod\nspec:\n  imagePullSecrets:\n  - name: regcred\n  containers:\n  - image: nginx\n"
        );
        assert_eq!(result.unchanged, 1);
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let input = "kind: Pod\r\nspec:\r\n  containers:\r\n  - image: nginx # c\r\n";
        let result = to_edge(input);
        assert_eq!(
            result.text,
            format!(
                "kind: Pod\r\nspec:\r\n  imagePullSecrets:\r\n  - name: ase-ecr-credentials\r\n  containers:\r\n  - image: {REG}/library/nginx # c\r\n"
            )
        );
    }

    #[test]
    fn unknown_kinds_are_untouched_and_noted() {
        let input = "\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r
spec:
  template:
    spec:
      containers:
      - image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  image: nginx
---
metadata:
  name: no-kind
---
just a string
";
        let result = to_edge(input);
        assert_eq!(result.text, input);
        assert!(result.changes.is_empty());
        assert_eq!(
            result.notes,
            vec![
                Note::UnknownKind(ObjectRef {
                    document: 1,
                    kind: "Rollout".into(),
                    name: Some("r".into())
                }),
                Note::NoKind { document: 3 },
            ]
        );
        assert_eq!(
            result.notes[0].to_string(),
            "left Rollout/r unchanged: kind `Rollout` is not one whose images aseecr knows how to find"
        );
    }

    #[test]
    fn odd_shapes_are_noted_not_guessed() {
        let input = "\
kind: Deployment
metadata: {name: d}
spec:
  replicas: 1
---
kind: Pod
metadata: {name: p}
spec:
  imagePullSecrets:
  containers:
  - name: b
    image: &img nginx
  - name: a
    image: *img
";
        let result = to_edge(input);
        assert_eq!(result.changes.len(), 1);
        assert_eq!(result.changes[0].container.as_deref(), Some("b"));
        assert!(
            result
                .text
                .contains(&format!("image: &img {REG}/library/nginx\n")),
            "{}",
            result.text
        );
        let notes: Vec<_> = result.notes.iter().map(ToString::to_string).collect();
        assert_eq!(
            notes,
            [
                "left Deployment/d unchanged: it has no pod spec at `spec.template.spec`",
                "left the image of container `a` in Pod/p (line 14) unchanged: it is a YAML alias",
                "did not add `ase-ecr-credentials` to Pod/p: its `imagePullSecrets` (line 9) is not a list",
            ]
        );
    }

    #[test]
    fn bad_input_is_an_error_with_a_position() {
        let err = relocate("kind: Pod\nspec: [unclosed\n", None, |i| Ok(i.to_owned())).unwrap_err();
        let err = crate::error::find(&err).unwrap();
        assert!(
            err.message.starts_with("not valid YAML: "),
            "{}",
            err.message
        );
        assert!(err.message.contains("line "), "{}", err.message);

        let input = "kind: Pod\nspec:\n  containers:\n  - image: \"Not A Ref\"\n";
        let err = relocate(input, None, |image| Ok(edge_reference(image, REG)?)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 4, a container without a name in Pod in document 1: invalid image reference `Not A Ref`"),
            "{err}"
        );
        assert_eq!(
            crate::error::find(&err).unwrap().kind,
            crate::error::Kind::Usage
        );

        let input = "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: |\n      nginx\n";
        let err =
            relocate(input, None, |image| Ok(edge_reference(image.trim(), REG)?)).unwrap_err();
        assert!(err.to_string().contains("block scalar"), "{err}");
        assert!(err.to_string().contains("line 5"), "{err}");
    }

    #[test]
    fn the_mapping_hook_decides_the_new_reference() {
        // What `--pin` will do: look the digest up and pin to it.
        let input = "kind: Pod\nspec:\n  containers:\n  - image: nginx:1.25\n  - image: redis:7\n";
        let result = relocate(input, None, |image| {
            let edge = Reference::parse(&edge_reference(image, REG)?, None)?;
            Ok(if image.starts_with("nginx") {
                edge.with_digest(DIGEST).to_string()
            } else {
                image.to_owned()
            })
        })
        .unwrap();
        assert_eq!(
            result.text,
            format!(
                "kind: Pod\nspec:\n  containers:\n  - image: {REG}/library/nginx@{DIGEST}\n  - image: redis:7\n"
            )
        );
        assert_eq!(result.unchanged, 1);
        let err = relocate(input, None, |_| anyhow::bail!("lookup failed")).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "line 4, a container without a name in Pod in document 1: lookup failed"
        );
    }

    #[test]
    fn image_references_are_listed_once_in_order() {
        let input = "\
kind: Pod
spec:
  initContainers: [{image: busybox}]
  containers:
  - image: nginx:1
  - image: busybox
---
kind: CronJob
spec: {jobTemplate: {spec: {template: {spec: {containers: [{image: 'nginx:1'}]}}}}}
";
        assert_eq!(image_references(input).unwrap(), ["nginx:1", "busybox"]);
        let (images, notes) = find_images(input).unwrap();
        assert_eq!(images.len(), 4);
        assert_eq!(images[0].field, "containers");
        assert_eq!(images[2].field, "initContainers");
        assert!(notes.is_empty());
        assert_eq!(images_only(input).matches(REG).count(), 4);
    }

    #[test]
    fn empty_input_is_fine() {
        assert_eq!(to_edge("").text, "");
        assert_eq!(to_edge("# nothing\n---\n").text, "# nothing\n---\n");
    }
}
