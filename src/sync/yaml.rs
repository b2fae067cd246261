//! The sync file as a tree of YAML nodes that keep the line and column where each
//! starts, read with `saphyr-parser`, so every validation error can name its place.

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span};

/// Nesting deeper than this is refused rather than risking the stack (a sync file
/// nests four levels).
const MAX_DEPTH: usize = 64;

/// Where a node starts: line and column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    fn of(marker: &Marker) -> Pos {
        Pos {
            line: marker.line(),
            col: marker.col() + 1,
        }
    }
}

#[derive(Debug)]
pub enum Node {
    /// A scalar; `plain` when written without quotes (so `~` and `null` are null).
    Scalar {
        value: String,
        plain: bool,
        pos: Pos,
    },
    Sequence {
        items: Vec<Node>,
        pos: Pos,
    },
    Mapping {
        entries: Vec<(Node, Node)>,
        pos: Pos,
    },
    /// `*name`: refused by the validator (a sync file needs none).
    Alias {
        pos: Pos,
    },
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Scalar { pos, .. }
            | Node::Sequence { pos, .. }
            | Node::Mapping { pos, .. }
            | Node::Alias { pos } => *pos,
        }
    }

    /// Whether this is YAML's null: an empty value, `~` or `null` unquoted.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, plain: true, .. }
            if value.is_empty() || value == "~" || value == "null" || value == "Null" || value == "NULL")
    }

    /// What kind of value this is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            _ if self.is_null() => "nothing",
            Node::Scalar { .. } => "a scalar",
            Node::Sequence { .. } => "a list",
            Node::Mapping { .. } => "a mapping",
            Node::Alias { .. } => "an alias",
        }
    }
}

/// A YAML syntax error and where it is.
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parse `text`, which must hold exactly one document (`None`: none at all).
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let mut builder = Builder {
        events: Parser::new_from_str(text),
    };
    let mut document = None;
    loop {
        let (event, _) = builder.next()?;
        match event {
            Event::StreamEnd => return Ok(document),
            Event::DocumentStart(_) => {
                let (event, span) = builder.next()?;
                if event == Event::DocumentEnd {
                    continue;
                }
                if document.is_some() {
                    return Err(SyntaxError {
                        pos: Pos::of(&span.start),
                        message: "a second YAML document: a sync file is one document".into(),
                    });
                }
                document = Some(builder.node(event, span, 0)?);
                let (event, span) = builder.next()?;
                if event != Event::DocumentEnd {
                    return Err(unexpected(&span));
                }
            }
            _ => {}
        }
    }
}

struct Builder<I> {
    events: I,
}

fn unexpected(span: &Span) -> SyntaxError {
    SyntaxError {
        pos: Pos::of(&span.start),
        message: "not valid YAML: unexpected structure".into(),
    }
}

impl<'t, I> Builder<I>
where
    I: Iterator<Item = Result<(Event<'t>, Span), ScanError>>,
{
    fn next(&mut self) -> Result<(Event<'t>, Span), SyntaxError> {
        match self.events.next() {
            Some(Ok(event)) => Ok(event),
            Some(Err(err)) => Err(SyntaxError {
                pos: Pos::of(err.marker()),
                message: format!("not valid YAML: {}", err.info()),
            }),
            None => Err(SyntaxError {
                pos: Pos { line: 1, col: 1 },
                message: "not valid YAML: unexpected end of input".into(),
            }),
        }
    }

    fn node(&mut self, event: Event<'t>, span: Span, depth: usize) -> Result<Node, SyntaxError> {
        let pos = Pos::of(&span.start);
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                pos,
                message: "it is nested too deeply".into(),
            });
        }
        match event {
            Event::Scalar(value, style, _, _) => Ok(Node::Scalar {
                value: value.into_owned(),
                plain: style == ScalarStyle::Plain,
                pos,
            }),
            Event::Alias(_) => Ok(Node::Alias { pos }),
            Event::SequenceStart(_, _) => {
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if event == Event::SequenceEnd {
                        break;
                    }
                    items.push(self.node(event, span, depth + 1)?);
                }
                Ok(Node::Sequence { items, pos })
            }
            Event::MappingStart(_, _) => {
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
                Ok(Node::Mapping { entries, pos })
            }
            _ => Err(unexpected(&span)),
        }
    }
}
