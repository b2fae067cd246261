//! The sync file read as one YAML document ([`crate::yaml`]'s span tree), so
//! every validation error can name its line and column: its depth limit, the
//! wording of its syntax errors, and the kinds of value its messages name.

use crate::yaml::{Limits, Node, Pos, Problem};

/// Nesting deeper than this is refused rather than risking the stack (a sync file
/// nests four levels).
const MAX_DEPTH: usize = 64;

/// A YAML syntax error and where it is.
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parse `text`, which must hold exactly one document (`None`: none at all).
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let limits = Limits {
        depth: MAX_DEPTH,
        documents: 1,
    };
    match crate::yaml::parse(text, limits) {
        Ok(documents) => Ok(documents.into_iter().next()),
        Err(err) => Err(SyntaxError {
            pos: err.pos,
            message: match err.problem {
                Problem::TooDeep => err.problem.to_string(),
                Problem::TooManyDocuments => {
                    "a second YAML document: a sync file is one document".to_owned()
                }
                problem => format!("not valid YAML: {problem}"),
            },
        }),
    }
}

/// What kind of value this is, for "expected X, found Y" messages.
pub fn kind(node: &Node) -> &'static str {
    match node {
        _ if node.is_null() => "nothing",
        Node::Scalar { .. } => "a scalar",
        Node::Sequence { .. } => "a list",
        Node::Mapping { .. } => "a mapping",
        Node::Alias { .. } => "an alias",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> (usize, usize, String) {
        let err = parse(text).unwrap_err();
        (err.pos.line, err.pos.col, err.message)
    }

    #[test]
    fn one_document_or_none() {
        assert!(parse("").unwrap().is_none());
        assert!(parse("# nothing yet\n").unwrap().is_none());
        let root = parse("---\nimages: []\n").unwrap().unwrap();
        assert_eq!(kind(root.get("images").unwrap()), "a list");
        assert_eq!(
            message("images: []\n---\nimages: []\n"),
            (
                3,
                1,
                "a second YAML document: a sync file is one document".to_owned()
            )
        );
    }

    #[test]
    fn syntax_errors_are_worded_for_the_sync_file() {
        let (line, _, text) = message("images: [unclosed\n");
        assert!(line >= 1, "{line}");
        assert!(text.starts_with("not valid YAML: "), "{text}");
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        assert_eq!(
            message(&deep),
            (1, MAX_DEPTH + 2, "it is nested too deeply".to_owned())
        );
    }

    #[test]
    fn kinds_name_what_was_found() {
        let root = parse("a: ~\nb: x\nc: [x]\nd: {k: v}\ne: &x y\nf: *x\n")
            .unwrap()
            .unwrap();
        let kinds = ["a", "b", "c", "d", "f"].map(|key| kind(root.get(key).unwrap()));
        assert_eq!(
            kinds,
            ["nothing", "a scalar", "a list", "a mapping", "an alias"]
        );
    }
}
