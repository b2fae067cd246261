//! The YAML span tree: every document parsed with `saphyr-parser` into nodes that
//! keep the byte and line where they start, and the exact text of a scalar found
//! from its start, so that callers can splice the text instead of re-serializing it.
//!
//! Only the start of a node comes from the parser: its markers count characters
//! (converted to bytes here) and its end markers are off after 4-byte characters.

use std::ops::Range;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span};

use crate::error::Error;

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

/// Where a node starts.
#[derive(Debug)]
pub(super) struct Pos {
    /// The byte offset in the text.
    pub(super) byte: usize,
    /// The line, from 1.
    pub(super) line: usize,
}

/// A YAML node with the positions needed to splice the text around it.
#[derive(Debug)]
pub(super) enum Node {
    Scalar {
        value: String,
        style: ScalarStyle,
        /// Where the scalar starts, with its anchor or tag if it has one.
        start: Pos,
    },
    Sequence {
        items: Vec<Node>,
        start: Pos,
        /// The byte of `[` for a flow sequence.
        open: Option<usize>,
    },
    Mapping {
        entries: Vec<(Node, Node)>,
        start: Pos,
        /// The byte of `{` for a flow mapping.
        open: Option<usize>,
    },
    Alias {
        start: Pos,
    },
}

impl Node {
    /// The value of `key` in a mapping.
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Mapping { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of a scalar.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Where the node starts, with its anchor or tag if it has one.
    pub(super) fn start(&self) -> &Pos {
        match self {
            Node::Scalar { start, .. }
            | Node::Sequence { start, .. }
            | Node::Mapping { start, .. }
            | Node::Alias { start } => start,
        }
    }
}

/// Parse every document of `text` into a tree.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, Error> {
    let mut builder = Builder {
        text,
        // saphyr's markers count characters; splicing needs bytes.
        bytes: text
            .char_indices()
            .map(|(byte, _)| byte)
            .chain(std::iter::once(text.len()))
            .collect(),
        events: Parser::new_from_str(text),
    };
    let mut docs = Vec::new();
    loop {
        let (event, _) = builder.next()?;
        match event {
            Event::StreamEnd => return Ok(docs),
            Event::DocumentStart(_) => {
                let (event, span) = builder.next()?;
                if event == Event::DocumentEnd {
                    continue;
                }
                docs.push(builder.node(event, span, 0)?);
                let (event, span) = builder.next()?;
                if event != Event::DocumentEnd {
                    return Err(builder.unexpected(&span));
                }
            }
            _ => {}
        }
    }
}

struct Builder<'t, I> {
    text: &'t str,
    bytes: Vec<usize>,
    events: I,
}

impl<'t, I> Builder<'t, I>
where
    I: Iterator<Item = Result<(Event<'t>, Span), ScanError>>,
{
    fn next(&mut self) -> Result<(Event<'t>, Span), Error> {
        match self.events.next() {
            Some(Ok(event)) => Ok(event),
            Some(Err(err)) => Err(invalid_yaml(err.info(), err.marker())),
            None => Err(invalid_yaml(
                "unexpected end of input",
                &Marker::new(0, 0, 0),
            )),
        }
    }

    fn unexpected(&self, span: &Span) -> Error {
        invalid_yaml("unexpected structure", &span.start)
    }

    fn byte(&self, marker: &Marker) -> usize {
        self.bytes
            .get(marker.index())
            .copied()
            .unwrap_or(self.text.len())
    }

    fn pos(&self, marker: &Marker) -> Pos {
        Pos {
            byte: self.byte(marker),
            line: marker.line(),
        }
    }

    /// The byte of `bracket` opening a collection at `byte`, after any anchor or tag.
    fn flow_open(&self, byte: usize, bracket: char) -> Option<usize> {
        let rest = skip_properties(&self.text[byte..]);
        rest.starts_with(bracket)
            .then(|| self.text.len() - rest.len())
    }

    fn node(&mut self, event: Event<'t>, span: Span, depth: usize) -> Result<Node, Error> {
        if depth > MAX_DEPTH {
            return Err(invalid_yaml("it is nested too deeply", &span.start));
        }
        let start = self.pos(&span.start);
        match event {
            Event::Scalar(value, style, _, _) => Ok(Node::Scalar {
                value: value.into_owned(),
                style,
                start,
            }),
            Event::Alias(_) => Ok(Node::Alias { start }),
            Event::SequenceStart(_, _) => {
                let open = self.flow_open(start.byte, '[');
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if event == Event::SequenceEnd {
                        break;
                    }
                    items.push(self.node(event, span, depth + 1)?);
                }
                Ok(Node::Sequence { items, start, open })
            }
            Event::MappingStart(_, _) => {
                let open = self.flow_open(start.byte, '{');
                let mut entries = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if event == Event::MappingEnd {
                        break;
                    }
                    let key = self.node(event, span, depth + 1)?;
                    let (event, span) = self.next()?;
                    let value = self.node(event, span, depth + 1)?;
                    entries.push((key, value));
                }
                Ok(Node::Mapping {
                    entries,
                    start,
                    open,
                })
            }
            _ => Err(self.unexpected(&span)),
        }
    }
}

fn invalid_yaml(what: &str, marker: &Marker) -> Error {
    Error::usage(format!(
        "not valid YAML: {what} at line {}, column {}",
        marker.line(),
        marker.col() + 1
    ))
}

/// How a scalar is written, and the bytes holding it (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Quote {
    Plain {
        range: Range<usize>,
    },
    Single {
        range: Range<usize>,
    },
    Double {
        range: Range<usize>,
    },
    /// A `|` or `>` block scalar: found, but not rewritten.
    Block,
    /// Not where the parser said, or written with escapes: not rewritten.
    Unlocated,
}

/// Where the scalar `value` that starts at byte `start` (with any anchor or tag
/// first) is written, quotes included. Only the start comes from the parser (its
/// end markers are off after 4-byte characters); the rest is read from the text and
/// must spell exactly `value`, else the scalar is reported, never spliced blindly.
pub(super) fn locate(text: &str, value: &str, style: ScalarStyle, start: usize) -> Quote {
    let rest = skip_properties(&text[start..]);
    let at = text.len() - rest.len();
    let found = match style {
        ScalarStyle::Plain => rest.starts_with(value).then_some(value.len()),
        ScalarStyle::SingleQuoted => {
            single_quoted_len(rest).filter(|&len| rest[1..len - 1].replace("''", "'") == value)
        }
        ScalarStyle::DoubleQuoted => double_quoted_len(rest)
            .filter(|&len| !rest[..len].contains('\\') && rest[1..len - 1] == *value),
        _ => return Quote::Block,
    };
    let Some(len) = found.filter(|_| !value.contains(['\n', '\r'])) else {
        return Quote::Unlocated;
    };
    let range = at..at + len;
    match style {
        ScalarStyle::Plain => Quote::Plain { range },
        ScalarStyle::SingleQuoted => Quote::Single { range },
        _ => Quote::Double { range },
    }
}

/// `text` after a leading anchor (`&name`) and tag (`!tag`), in either order.
fn skip_properties(mut text: &str) -> &str {
    while text.starts_with(['&', '!']) {
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        text = text[end..].trim_start();
    }
    text
}

/// The length of the single-quoted scalar at the start of `text`, quotes included.
fn single_quoted_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('\'')?;
    let mut i = 0;
    while let Some(quote) = body[i..].find('\'') {
        i += quote + 1;
        if body[i..].starts_with('\'') {
            i += 1; // `''` is an escaped quote
        } else {
            return Some(i + 1);
        }
    }
    None
}

/// The length of the double-quoted scalar at the start of `text`, quotes included.
fn double_quoted_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i + 2),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = parse(text).unwrap_or_else(|err| panic!("{}: {text}", err.message));
        assert_eq!(docs.len(), 1, "{text}");
        docs.remove(0)
    }

    #[test]
    fn positions_are_bytes_and_lines_from_one() {
        let text = "# ü 日本語 🚀\nkind: Pod\nspec: {name: 名前, image: nginx}\n";
        let root = one(text);
        let spec = root.get("spec").unwrap();
        let Node::Mapping { open, start, .. } = spec else {
            panic!("{spec:?}")
        };
        assert_eq!(start.line, 3);
        assert_eq!(*open, text.find('{'));
        let image = spec.get("image").unwrap();
        assert_eq!(image.as_str(), Some("nginx"));
        assert_eq!(image.start().byte, text.find("nginx").unwrap());
        assert_eq!(image.start().line, 3);
        assert_eq!(spec.get("name").unwrap().as_str(), Some("名前"));
        assert!(spec.get("missing").is_none());
        assert!(image.get("image").is_none());
    }

    #[test]
    fn every_document_is_a_tree() {
        let docs = parse("a: 1\n---\n---\n- &ref x\n- *ref\n...\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].get("a").and_then(Node::as_str), Some("1"));
        // An explicit empty document is a null scalar.
        assert!(matches!(docs[1], Node::Scalar { .. }), "{:?}", docs[1]);
        let Node::Sequence { items, open, .. } = &docs[2] else {
            panic!("{:?}", docs[2])
        };
        assert_eq!(*open, None);
        assert!(matches!(
            items[..],
            [Node::Scalar { .. }, Node::Alias { .. }]
        ));
        assert!(parse("").unwrap().is_empty());
        assert!(parse("# only a comment\n").unwrap().is_empty());
    }

    #[test]
    fn a_flow_collection_is_found_after_its_anchor_and_tag() {
        let text = "list: &a !!seq [x]\nmap: !!map &b {k: v}\n";
        let root = one(text);
        let Some(Node::Sequence { open, .. }) = root.get("list") else {
            panic!("{root:?}")
        };
        assert_eq!(*open, text.find('['));
        let Some(Node::Mapping { open, .. }) = root.get("map") else {
            panic!("{root:?}")
        };
        assert_eq!(*open, text.find('{'));
    }

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
        assert!(err.message.contains("nested too deeply"), "{}", err.message);
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(parse(&fine).unwrap().len(), 1);
    }

    /// Locate the value of the first `image` key in `text`.
    fn locate_image(text: &str) -> (String, Quote) {
        let root = one(text);
        let Some(Node::Scalar {
            value,
            style,
            start,
        }) = root.get("image")
        else {
            panic!("{root:?}")
        };
        (value.clone(), locate(text, value, *style, start.byte))
    }

    #[test]
    fn a_scalar_is_located_with_its_quotes() {
        let at = |text: &str, written: &str| {
            let start = text.find(written).unwrap();
            start..start + written.len()
        };
        let text = "image: nginx:1 # comment\n";
        assert_eq!(
            locate_image(text),
            (
                "nginx:1".into(),
                Quote::Plain {
                    range: at(text, "nginx:1")
                }
            )
        );
        let text = "image: 'it''s'\n";
        assert_eq!(
            locate_image(text),
            (
                "it's".into(),
                Quote::Single {
                    range: at(text, "'it''s'")
                }
            )
        );
        let text = "image: &x !!str \"redis\"\n";
        assert_eq!(
            locate_image(text),
            (
                "redis".into(),
                Quote::Double {
                    range: at(text, "\"redis\"")
                }
            )
        );
    }

    #[test]
    fn a_scalar_that_is_not_spelled_plainly_is_not_located() {
        assert_eq!(locate_image("image: \"ngi\\x6Ex\"\n").1, Quote::Unlocated);
        assert_eq!(locate_image("image: \"a\n  b\"\n").1, Quote::Unlocated);
        assert_eq!(locate_image("image: |\n  nginx\n").1, Quote::Block);
        assert_eq!(locate_image("image: >\n  nginx\n").1, Quote::Block);
    }
}
