//! Property tests for `k8s relocate`: the output is valid YAML whose images are
//! the mapped ones, and every line that holds no image is unchanged.

use proptest::prelude::*;

use super::relocate::{image_references, relocate};

fn image() -> impl Strategy<Value = String> {
    (
        proptest::option::of("[a-z]{1,8}\\.(io|com)(:[0-9]{2,5})?"),
        prop::collection::vec("[a-z0-9]{1,8}", 1..3),
        proptest::option::of("[a-z0-9][a-z0-9.-]{0,8}"),
    )
        .prop_map(|(registry, path, tag)| {
            let mut image = String::new();
            if let Some(registry) = registry {
                image.push_str(&registry);
                image.push('/');
            }
            image.push_str(&path.join("/"));
            if let Some(tag) = tag {
                image.push(':');
                image.push_str(&tag);
            }
            image
        })
}

/// An image value written plainly, single- or double-quoted.
fn written(image: &str, style: u8) -> String {
    match style % 3 {
        0 => image.to_owned(),
        1 => format!("'{image}'"),
        _ => format!("\"{image}\""),
    }
}

fn pod(
    name: &str,
    images: &[(String, u8)],
    comment: Option<&str>,
    kind_first: bool,
    newline: &str,
) -> String {
    let mut lines = Vec::new();
    if let Some(comment) = comment {
        lines.push(format!("# {comment}"));
    }
    if kind_first {
        lines.push("kind: Pod".to_owned());
        lines.push("apiVersion: v1".to_owned());
    } else {
        lines.push("apiVersion: v1".to_owned());
        lines.push("kind: Pod".to_owned());
    }
    lines.push("metadata:".to_owned());
    lines.push(format!("  name: {name}"));
    lines.push("spec:".to_owned());
    lines.push("  containers:".to_owned());
    for (i, (image, style)) in images.iter().enumerate() {
        lines.push(format!("    - name: c{i}"));
        lines.push(format!(
            "      image: {}  # image {i}",
            written(image, *style)
        ));
        lines.push("      ports: [{containerPort: 80}]".to_owned());
    }
    lines.join(newline) + newline
}

proptest! {
    #[test]
    fn relocation_changes_only_image_fields(
        docs in prop::collection::vec(
            ("[a-z][a-z0-9-]{0,10}", prop::collection::vec((image(), any::<u8>()), 1..4), proptest::option::of("[ -~]{0,30}"), any::<bool>()),
            1..4,
        ),
        crlf in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let text = docs
            .iter()
            .map(|(name, images, comment, kind_first)| pod(name, images, comment.as_deref(), *kind_first, newline))
            .collect::<Vec<_>>()
            .join(&format!("---{newline}"));
        let map = |image: &str| format!("edge.example:31001/mirror/{}", image.rsplit('/').next().unwrap_or(image));
        let relocation = relocate(&text, None, |image| Ok(map(image))).unwrap();
        let output = relocation.text.clone();

        // The output's images are exactly the mapped input images, in order.
        let before = image_references(&text).unwrap();
        let after = image_references(&output).unwrap();
        let mut expected: Vec<String> = Vec::new();
        for image in &before {
            let mapped = map(image);
            if !expected.contains(&mapped) {
                expected.push(mapped);
            }
        }
        let mut after_unique: Vec<String> = Vec::new();
        for image in after {
            if !after_unique.contains(&image) {
                after_unique.push(image);
            }
        }
        prop_assert_eq!(after_unique, expected);

        // Every line without an image is byte-for-byte the same, line breaks included.
        let split = |t: &str| t.split_inclusive('\n').map(str::to_owned).collect::<Vec<_>>();
        let (old, new) = (split(&text), split(&output));
        prop_assert_eq!(old.len(), new.len());
        for (a, b) in old.iter().zip(&new) {
            if !a.trim_start().starts_with("image:") {
                prop_assert_eq!(a, b);
            } else {
                // The comment after the image survives too.
                prop_assert_eq!(a.split_once("  #").map(|x| x.1), b.split_once("  #").map(|x| x.1));
            }
        }
    }
}

proptest! {
    /// Any text written as a ConfigMap value reads back as exactly that text,
    /// next to the keys around it, whether it became a literal block or a
    /// double-quoted string.
    #[test]
    fn yaml_text_reads_back_exactly(
        text in "[a-z :#'\"\\\\|>\\-\t\n\r\u{7f}\u{85}\u{2028}\u{feff}é日🚀]{0,40}",
    ) {
        let doc = format!(
            "data:\n  first: x\n  text: {}\n  after: y\n",
            super::yaml_text(&text, 4)
        );
        let docs = super::yaml::parse(&doc)
            .map_err(|err| TestCaseError::fail(format!("{}: {doc:?}", err.message)))?;
        prop_assert_eq!(docs.len(), 1);
        let data = docs[0].get("data").unwrap();
        prop_assert_eq!(data.get("text").and_then(crate::yaml::Node::as_str), Some(text.as_str()), "{:?}", doc);
        prop_assert_eq!(data.get("after").and_then(crate::yaml::Node::as_str), Some("y"));
    }

    /// Sync-file-like text (lines of words, indentation, comments, blank lines)
    /// is written as a literal block.
    #[test]
    fn yaml_text_keeps_yaml_files_readable(
        first in "[a-z#-][a-z :#'\"-]{0,20}",
        lines in prop::collection::vec("( {0,4})[a-z#-][a-z :#'\"-]{0,20}|", 0..8),
    ) {
        let mut text = first;
        for line in lines {
            text.push('\n');
            text.push_str(&line);
        }
        text.push('\n');
        prop_assert!(super::yaml_text(&text, 4).starts_with('|'));
    }
}
