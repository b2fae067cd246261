//! YAML text as a tree of spans: every document parsed with `saphyr-parser` into
//! nodes that keep the byte, line and column where they start, and the exact
//! text of a scalar found from its start, so that callers can name a place in
//! their messages or splice the text instead of re-serializing it. Kubernetes
//! manifests (`k8s/`) and the sync file (`sync/`) are read through it, each with
//! its own limits and wording.
//!
//! Only the start of a node comes from the parser: its markers count characters
//! (converted to bytes here) and its end markers are off after 4-byte characters.

use std::ops::Range;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span};

/// Where a node starts. Ordered as it is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// The byte offset in the text.
    pub byte: usize,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1 (in characters).
    pub col: usize,
}

/// A YAML node with the positions needed to name it or splice the text around it.
#[derive(Debug)]
pub enum Node {
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
    /// `*name`: its anchor is not followed.
    Alias { start: Pos },
}

impl Node {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Mapping { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Where the node starts, with its anchor or tag if it has one.
    pub fn start(&self) -> Pos {
        match self {
            Node::Scalar { start, .. }
            | Node::Sequence { start, .. }
            | Node::Mapping { start, .. }
            | Node::Alias { start } => *start,
        }
    }

    /// Whether this is YAML's null: an empty value, `~` or `null` unquoted.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, style: ScalarStyle::Plain, .. }
            if value.is_empty() || value == "~" || value == "null" || value == "Null" || value == "NULL")
    }
}

/// How much a text may hold before it is refused.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Nesting deeper than this is refused rather than risking the stack.
    pub depth: usize,
    /// Documents beyond this many are refused.
    pub documents: usize,
}

/// What is wrong with a text, as data: each reader words it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The scanner's own words.
    Scan(String),
    /// Events in an order the tree cannot hold.
    Unexpected,
    /// Nested deeper than [`Limits::depth`].
    TooDeep,
    /// The events stopped before the stream ended.
    EndOfInput,
    /// A document beyond [`Limits::documents`].
    TooManyDocuments,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Problem::Scan(info) => info,
            Problem::Unexpected => "unexpected structure",
            Problem::TooDeep => "it is nested too deeply",
            Problem::EndOfInput => "unexpected end of input",
            Problem::TooManyDocuments => "more documents than expected",
        })
    }
}

/// A text that is not YAML the tree can hold, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub problem: Problem,
    /// Line and column are the parser's (from 1); `byte` is 0 when unknown.
    pub pos: Pos,
}

/// Parse every document of `text` into a tree (an explicit empty document is a
/// null scalar).
pub fn parse(text: &str, limits: Limits) -> Result<Vec<Node>, SyntaxError> {
    let mut builder = Builder {
        text,
        // saphyr's markers count characters; splicing needs bytes.
        bytes: text
            .char_indices()
            .map(|(byte, _)| byte)
            .chain(std::iter::once(text.len()))
            .collect(),
        events: Parser::new_from_str(text),
        depth: limits.depth,
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
                if docs.len() == limits.documents {
                    return Err(builder.error(Problem::TooManyDocuments, &span.start));
                }
                docs.push(builder.node(event, span, 0)?);
                let (event, span) = builder.next()?;
                if event != Event::DocumentEnd {
                    return Err(builder.error(Problem::Unexpected, &span.start));
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
    depth: usize,
}

impl<'t, I> Builder<'t, I>
where
    I: Iterator<Item = Result<(Event<'t>, Span), ScanError>>,
{
    fn next(&mut self) -> Result<(Event<'t>, Span), SyntaxError> {
        match self.events.next() {
            Some(Ok(event)) => Ok(event),
            Some(Err(err)) => Err(self.error(Problem::Scan(err.info().to_owned()), err.marker())),
            None => Err(self.error(Problem::EndOfInput, &Marker::new(0, 1, 0))),
        }
    }

    fn error(&self, problem: Problem, marker: &Marker) -> SyntaxError {
        SyntaxError {
            problem,
            pos: self.pos(marker),
        }
    }

    fn pos(&self, marker: &Marker) -> Pos {
        Pos {
            byte: self
                .bytes
                .get(marker.index())
                .copied()
                .unwrap_or(self.text.len()),
            line: marker.line(),
            col: marker.col() + 1,
        }
    }

    /// The byte of `bracket` opening a collection at `byte`, after any anchor or tag.
    fn flow_open(&self, byte: usize, bracket: char) -> Option<usize> {
        let rest = skip_properties(&self.text[byte..]);
        rest.starts_with(bracket)
            .then(|| self.text.len() - rest.len())
    }

    fn node(&mut self, event: Event<'t>, span: Span, depth: usize) -> Result<Node, SyntaxError> {
        if depth > self.depth {
            return Err(self.error(Problem::TooDeep, &span.start));
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
            _ => Err(self.error(Problem::Unexpected, &span.start)),
        }
    }
}

/// How a scalar is written, and the bytes holding it (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quote {
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
pub fn locate(text: &str, value: &str, style: ScalarStyle, start: usize) -> Quote {
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

    const ANY: Limits = Limits {
        depth: 200,
        documents: usize::MAX,
    };

    fn one(text: &str) -> Node {
        let mut docs = parse(text, ANY).unwrap_or_else(|err| panic!("{err:?}: {text}"));
        assert_eq!(docs.len(), 1, "{text}");
        docs.remove(0)
    }

    #[test]
    fn positions_are_bytes_and_lines_and_columns_from_one() {
        let text = "# ü 日本語 🚀\nkind: Pod\nspec: {name: 名前, image: nginx}\n";
        let root = one(text);
        let spec = root.get("spec").unwrap();
        let Node::Mapping { open, start, .. } = spec else {
            panic!("{spec:?}")
        };
        assert_eq!((start.line, start.col), (3, 7));
        assert_eq!(*open, text.find('{'));
        let image = spec.get("image").unwrap();
        assert_eq!(image.as_str(), Some("nginx"));
        assert_eq!(image.start().byte, text.find("nginx").unwrap());
        assert_eq!((image.start().line, image.start().col), (3, 25));
        assert_eq!(spec.get("name").unwrap().as_str(), Some("名前"));
        assert!(spec.get("missing").is_none());
        assert!(image.get("image").is_none());
    }

    #[test]
    fn every_document_is_a_tree() {
        let docs = parse("a: 1\n---\n---\n- &ref x\n- *ref\n...\n", ANY).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].get("a").and_then(Node::as_str), Some("1"));
        // An explicit empty document is a null scalar.
        assert!(docs[1].is_null(), "{:?}", docs[1]);
        let Node::Sequence { items, open, .. } = &docs[2] else {
            panic!("{:?}", docs[2])
        };
        assert_eq!(*open, None);
        assert!(matches!(
            items[..],
            [Node::Scalar { .. }, Node::Alias { .. }]
        ));
        assert!(parse("", ANY).unwrap().is_empty());
        assert!(parse("# only a comment\n", ANY).unwrap().is_empty());
    }

    #[test]
    fn null_is_plain_and_empty_or_a_null_word() {
        let root = one("a: ~\nb: null\nc:\nd: 'null'\ne: x\n");
        let null = |key: &str| root.get(key).unwrap().is_null();
        assert_eq!(
            ["a", "b", "c", "d", "e"].map(null),
            [true, true, true, false, false]
        );
    }

    #[test]
    fn limits_are_problems_with_a_place() {
        let err = parse(
            "a: 1\n---\nb: 2\n",
            Limits {
                depth: 8,
                documents: 1,
            },
        )
        .unwrap_err();
        assert_eq!(err.problem, Problem::TooManyDocuments);
        assert_eq!((err.pos.line, err.pos.col), (3, 1));

        let limits = Limits {
            depth: 3,
            documents: 1,
        };
        // A scalar is a level of its own: `x` is at depth 4 here.
        let err = parse("[[[[x]]]]", limits).unwrap_err();
        assert_eq!(err.problem, Problem::TooDeep);
        assert_eq!((err.pos.line, err.pos.col), (1, 5));
        assert_eq!(parse("[[[x]]]", limits).unwrap().len(), 1);

        let err = parse("kind: Pod\nspec: [unclosed\n", ANY).unwrap_err();
        assert!(matches!(err.problem, Problem::Scan(_)), "{err:?}");
        assert!(err.pos.line >= 2, "{err:?}");
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
