//! Kubernetes manifests read as YAML span trees ([`crate::yaml`]): every
//! document of a file, nested at most [`MAX_DEPTH`] deep, and a text that is not
//! YAML as a usage error that names its line and column.

use crate::error::Error;
use crate::yaml::{Limits, Node, SyntaxError};

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

/// Parse every document of `text` into a tree.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, Error> {
    let limits = Limits {
        depth: MAX_DEPTH,
        documents: usize::MAX,
    };
    crate::yaml::parse(text, limits).map_err(|err| invalid_yaml(&err))
}

fn invalid_yaml(err: &SyntaxError) -> Error {
    Error::usage(format!(
        "not valid YAML: {} at line {}, column {}",
        err.problem, err.pos.line, err.pos.col
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_yaml_is_a_usage_error_with_a_position() {
        let err = parse("kind: Pod\nspec: [unclosed\n").unwrap_err();
        assert_eq!(err.kind, crate::error::Kind::Usage);
        assert!(
            err.message.starts_with("not valid YAML: "),
            "{}",
            err.message
        );
        assert!(err.message.contains(" at line "), "{}", err.message);
        assert!(err.message.contains(", column "), "{}", err.message);

        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        let err = parse(&deep).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "not valid YAML: it is nested too deeply at line 1, column {}",
                MAX_DEPTH + 2
            )
        );
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(parse(&fine).unwrap().len(), 1);
    }

    #[test]
    fn every_document_is_read() {
        let docs = parse("kind: Pod\n---\nkind: Service\n").unwrap();
        let kinds: Vec<_> = docs
            .iter()
            .map(|d| d.get("kind").and_then(Node::as_str))
            .collect();
        assert_eq!(kinds, [Some("Pod"), Some("Service")]);
    }
}
