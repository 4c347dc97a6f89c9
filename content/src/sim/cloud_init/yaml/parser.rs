//! PyYAML's parser (`yaml/parser.py`): tokens in, events out, with its state machine and its
//! error texts ("while parsing a block mapping … expected <block end>, but found …").

use super::scanner::{DirectiveValue, Scanner, Tok, Token};
use super::{Mark, MarkedError};

type Result<T> = std::result::Result<T, MarkedError>;

/// A parser event.
#[derive(Clone, Debug)]
pub(super) enum Ev {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(String),
    Scalar {
        anchor: Option<String>,
        tag: Option<String>,
        /// (plain and untagged or tagged `!`, quoted and untagged)
        implicit: (bool, bool),
        value: String,
    },
    SequenceStart {
        anchor: Option<String>,
        tag: Option<String>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        tag: Option<String>,
    },
    MappingEnd,
}

#[derive(Clone, Debug)]
pub(super) struct Event {
    pub ev: Ev,
    pub start: Mark,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentEnd,
    DocumentContent,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub(super) struct Parser<'a> {
    scanner: Scanner<'a>,
    current: Option<Event>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_handles: Vec<(String, String)>,
}

fn default_tags() -> Vec<(String, String)> {
    vec![("!".to_owned(), "!".to_owned()), ("!!".to_owned(), "tag:yaml.org,2002:".to_owned())]
}

fn parser_error(context: Option<&str>, context_mark: Option<Mark>, problem: String, problem_mark: Mark) -> MarkedError {
    MarkedError {
        context: context.map(str::to_owned),
        context_mark,
        problem: Some(problem),
        problem_mark: Some(problem_mark),
    }
}

fn quoted(id: &str) -> String {
    format!("'{id}'")
}

impl<'a> Parser<'a> {
    pub(super) fn new(buf: &'a [char]) -> Self {
        Self {
            scanner: Scanner::new(buf),
            current: None,
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_handles: default_tags(),
        }
    }

    /// The next event, without taking it.
    pub(super) fn peek_event(&mut self) -> Result<Option<&Event>> {
        if self.current.is_none() && self.state != State::End {
            self.current = Some(self.step()?);
        }
        Ok(self.current.as_ref())
    }

    /// Takes the next event.
    pub(super) fn get_event(&mut self) -> Result<Option<Event>> {
        self.peek_event()?;
        Ok(self.current.take())
    }

    // ----- token helpers -----

    /// The next token's id (PyYAML's name of its kind) and marks, without copying it.
    fn peek(&mut self) -> Result<(&'static str, Mark, Mark)> {
        match self.scanner.peek_token()? {
            Some(t) => Ok((t.kind.id(), t.start, t.end)),
            None => Ok((Tok::StreamEnd.id(), Mark::default(), Mark::default())),
        }
    }

    fn check(&mut self, pred: impl Fn(&Tok) -> bool) -> Result<bool> {
        Ok(self.scanner.peek_token()?.is_some_and(|t| pred(&t.kind)))
    }

    fn get(&mut self) -> Result<Token> {
        match self.scanner.get_token()? {
            Some(t) => Ok(t),
            None => Ok(Token { kind: Tok::StreamEnd, start: Mark::default(), end: Mark::default() }),
        }
    }

    fn pop_state(&mut self) -> State {
        self.states.pop().unwrap_or(State::End)
    }

    fn empty_scalar(mark: Mark) -> Event {
        Event { ev: Ev::Scalar { anchor: None, tag: None, implicit: (true, false), value: String::new() }, start: mark }
    }

    fn step(&mut self) -> Result<Event> {
        match self.state {
            State::StreamStart => {
                let t = self.get()?;
                self.state = State::ImplicitDocumentStart;
                Ok(Event { ev: Ev::StreamStart, start: t.start })
            }
            State::ImplicitDocumentStart => {
                if !self.check(|t| matches!(t, Tok::Directive { .. } | Tok::DocumentStart | Tok::StreamEnd))? {
                    self.tag_handles = default_tags();
                    let (_, mark, _) = self.peek()?;
                    self.states.push(State::DocumentEnd);
                    self.state = State::BlockNode;
                    Ok(Event { ev: Ev::DocumentStart, start: mark })
                } else {
                    self.parse_document_start()
                }
            }
            State::DocumentStart => self.parse_document_start(),
            State::DocumentEnd => {
                let (_, start, _) = self.peek()?;
                if self.check(|t| matches!(t, Tok::DocumentEnd))? {
                    self.get()?;
                }
                self.state = State::DocumentStart;
                Ok(Event { ev: Ev::DocumentEnd, start })
            }
            State::DocumentContent => {
                if self.check(|t| {
                    matches!(t, Tok::Directive { .. } | Tok::DocumentStart | Tok::DocumentEnd | Tok::StreamEnd)
                })? {
                    let (_, mark, _) = self.peek()?;
                    self.state = self.pop_state();
                    Ok(Self::empty_scalar(mark))
                } else {
                    self.parse_node(true, false)
                }
            }
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => {
                let t = self.get()?;
                self.marks.push(t.start);
                self.parse_block_sequence_entry()
            }
            State::BlockSequenceEntry => self.parse_block_sequence_entry(),
            State::IndentlessSequenceEntry => {
                if self.check(|t| matches!(t, Tok::BlockEntry))? {
                    let t = self.get()?;
                    if !self.check(|t| matches!(t, Tok::BlockEntry | Tok::Key | Tok::Value | Tok::BlockEnd))? {
                        self.states.push(State::IndentlessSequenceEntry);
                        return self.parse_node(true, false);
                    }
                    self.state = State::IndentlessSequenceEntry;
                    return Ok(Self::empty_scalar(t.end));
                }
                let (_, mark, _) = self.peek()?;
                self.state = self.pop_state();
                Ok(Event { ev: Ev::SequenceEnd, start: mark })
            }
            State::BlockMappingFirstKey => {
                let t = self.get()?;
                self.marks.push(t.start);
                self.parse_block_mapping_key()
            }
            State::BlockMappingKey => self.parse_block_mapping_key(),
            State::BlockMappingValue => {
                if self.check(|t| matches!(t, Tok::Value))? {
                    let t = self.get()?;
                    if !self.check(|t| matches!(t, Tok::Key | Tok::Value | Tok::BlockEnd))? {
                        self.states.push(State::BlockMappingKey);
                        return self.parse_node(true, true);
                    }
                    self.state = State::BlockMappingKey;
                    return Ok(Self::empty_scalar(t.end));
                }
                self.state = State::BlockMappingKey;
                let (_, mark, _) = self.peek()?;
                Ok(Self::empty_scalar(mark))
            }
            State::FlowSequenceFirstEntry => {
                let t = self.get()?;
                self.marks.push(t.start);
                self.parse_flow_sequence_entry(true)
            }
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => {
                let t = self.get()?;
                if !self.check(|t| matches!(t, Tok::Value | Tok::FlowEntry | Tok::FlowSequenceEnd))? {
                    self.states.push(State::FlowSequenceEntryMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowSequenceEntryMappingValue;
                Ok(Self::empty_scalar(t.end))
            }
            State::FlowSequenceEntryMappingValue => {
                if self.check(|t| matches!(t, Tok::Value))? {
                    let t = self.get()?;
                    if !self.check(|t| matches!(t, Tok::FlowEntry | Tok::FlowSequenceEnd))? {
                        self.states.push(State::FlowSequenceEntryMappingEnd);
                        return self.parse_node(false, false);
                    }
                    self.state = State::FlowSequenceEntryMappingEnd;
                    return Ok(Self::empty_scalar(t.end));
                }
                self.state = State::FlowSequenceEntryMappingEnd;
                let (_, mark, _) = self.peek()?;
                Ok(Self::empty_scalar(mark))
            }
            State::FlowSequenceEntryMappingEnd => {
                self.state = State::FlowSequenceEntry;
                let (_, mark, _) = self.peek()?;
                Ok(Event { ev: Ev::MappingEnd, start: mark })
            }
            State::FlowMappingFirstKey => {
                let t = self.get()?;
                self.marks.push(t.start);
                self.parse_flow_mapping_key(true)
            }
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => {
                if self.check(|t| matches!(t, Tok::Value))? {
                    let t = self.get()?;
                    if !self.check(|t| matches!(t, Tok::FlowEntry | Tok::FlowMappingEnd))? {
                        self.states.push(State::FlowMappingKey);
                        return self.parse_node(false, false);
                    }
                    self.state = State::FlowMappingKey;
                    return Ok(Self::empty_scalar(t.end));
                }
                self.state = State::FlowMappingKey;
                let (_, mark, _) = self.peek()?;
                Ok(Self::empty_scalar(mark))
            }
            State::FlowMappingEmptyValue => {
                self.state = State::FlowMappingKey;
                let (_, mark, _) = self.peek()?;
                Ok(Self::empty_scalar(mark))
            }
            State::End => {
                let (_, mark, _) = self.peek()?;
                Ok(Event { ev: Ev::StreamEnd, start: mark })
            }
        }
    }

    fn parse_document_start(&mut self) -> Result<Event> {
        while self.check(|t| matches!(t, Tok::DocumentEnd))? {
            self.get()?;
        }
        if self.check(|t| matches!(t, Tok::StreamEnd))? {
            let t = self.get()?;
            self.state = State::End;
            return Ok(Event { ev: Ev::StreamEnd, start: t.start });
        }
        let (_, start, _) = self.peek()?;
        self.process_directives()?;
        if !self.check(|t| matches!(t, Tok::DocumentStart))? {
            let (tok, mark, _) = self.peek()?;
            return Err(parser_error(
                None,
                None,
                format!("expected '<document start>', but found {}", quoted(tok)),
                mark,
            ));
        }
        self.get()?;
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        Ok(Event { ev: Ev::DocumentStart, start })
    }

    fn process_directives(&mut self) -> Result<()> {
        let mut version_seen = false;
        let mut handles: Vec<(String, String)> = Vec::new();
        while self.check(|t| matches!(t, Tok::Directive { .. }))? {
            let t = self.get()?;
            let Tok::Directive { value, .. } = t.kind else { continue };
            match value {
                DirectiveValue::Yaml(major, _) => {
                    if version_seen {
                        return Err(parser_error(None, None, "found duplicate YAML directive".to_owned(), t.start));
                    }
                    if major != 1 {
                        return Err(parser_error(
                            None,
                            None,
                            "found incompatible YAML document (version 1.* is required)".to_owned(),
                            t.start,
                        ));
                    }
                    version_seen = true;
                }
                DirectiveValue::Tag(handle, prefix) => {
                    if handles.iter().any(|(h, _)| *h == handle) {
                        return Err(parser_error(
                            None,
                            None,
                            format!("duplicate tag handle {}", crate::sim::cloud_init::pyrepr::str_repr(&handle)),
                            t.start,
                        ));
                    }
                    handles.push((handle, prefix));
                }
                DirectiveValue::Other => {}
            }
        }
        for (key, value) in default_tags() {
            if !handles.iter().any(|(h, _)| *h == key) {
                handles.push((key, value));
            }
        }
        self.tag_handles = handles;
        Ok(())
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event> {
        if self.check(|t| matches!(t, Tok::Alias(_)))? {
            let t = self.get()?;
            self.state = self.pop_state();
            let Tok::Alias(name) = t.kind else { unreachable!("checked above") };
            return Ok(Event { ev: Ev::Alias(name), start: t.start });
        }
        let mut anchor = None;
        let mut tag_parts: Option<(Option<String>, String)> = None;
        let mut start = None;
        let mut tag_mark = None;
        if self.check(|t| matches!(t, Tok::Anchor(_)))? {
            let t = self.get()?;
            start = Some(t.start);
            if let Tok::Anchor(a) = t.kind {
                anchor = Some(a);
            }
            if self.check(|t| matches!(t, Tok::Tag(..)))? {
                let t = self.get()?;
                tag_mark = Some(t.start);
                if let Tok::Tag(h, s) = t.kind {
                    tag_parts = Some((h, s));
                }
            }
        } else if self.check(|t| matches!(t, Tok::Tag(..)))? {
            let t = self.get()?;
            start = Some(t.start);
            tag_mark = Some(t.start);
            if let Tok::Tag(h, s) = t.kind {
                tag_parts = Some((h, s));
            }
            if self.check(|t| matches!(t, Tok::Anchor(_)))? {
                let t = self.get()?;
                if let Tok::Anchor(a) = t.kind {
                    anchor = Some(a);
                }
            }
        }
        let tag = match tag_parts {
            None => None,
            Some((None, suffix)) => Some(suffix),
            Some((Some(handle), suffix)) => match self.tag_handles.iter().find(|(h, _)| *h == handle) {
                Some((_, prefix)) => Some(format!("{prefix}{suffix}")),
                None => {
                    return Err(parser_error(
                        Some("while parsing a node"),
                        start,
                        format!("found undefined tag handle {}", crate::sim::cloud_init::pyrepr::str_repr(&handle)),
                        tag_mark.unwrap_or_default(),
                    ));
                }
            },
        };
        let start = match start {
            Some(s) => s,
            None => self.peek()?.1,
        };
        let (tok, tok_start, _) = self.peek()?;
        if indentless_sequence && tok == Tok::BlockEntry.id() {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event { ev: Ev::SequenceStart { anchor, tag }, start });
        }
        match tok {
            "<scalar>" => {
                let Tok::Scalar { value, plain, .. } = self.get()?.kind else { unreachable!("peeked a scalar") };
                let implicit = if (plain && tag.is_none()) || tag.as_deref() == Some("!") {
                    (true, false)
                } else if tag.is_none() {
                    (false, true)
                } else {
                    (false, false)
                };
                self.state = self.pop_state();
                Ok(Event { ev: Ev::Scalar { anchor, tag, implicit, value }, start })
            }
            "[" => {
                self.state = State::FlowSequenceFirstEntry;
                Ok(Event { ev: Ev::SequenceStart { anchor, tag }, start })
            }
            "{" => {
                self.state = State::FlowMappingFirstKey;
                Ok(Event { ev: Ev::MappingStart { anchor, tag }, start })
            }
            "<block sequence start>" if block => {
                self.state = State::BlockSequenceFirstEntry;
                Ok(Event { ev: Ev::SequenceStart { anchor, tag }, start })
            }
            "<block mapping start>" if block => {
                self.state = State::BlockMappingFirstKey;
                Ok(Event { ev: Ev::MappingStart { anchor, tag }, start })
            }
            _ if anchor.is_some() || tag.is_some() => {
                let implicit = tag.is_none() || tag.as_deref() == Some("!");
                self.state = self.pop_state();
                Ok(Event { ev: Ev::Scalar { anchor, tag, implicit: (implicit, false), value: String::new() }, start })
            }
            _ => {
                let node = if block { "block" } else { "flow" };
                Err(parser_error(
                    Some(&format!("while parsing a {node} node")),
                    Some(start),
                    format!("expected the node content, but found {}", quoted(tok)),
                    tok_start,
                ))
            }
        }
    }

    fn parse_block_sequence_entry(&mut self) -> Result<Event> {
        if self.check(|t| matches!(t, Tok::BlockEntry))? {
            let t = self.get()?;
            if !self.check(|t| matches!(t, Tok::BlockEntry | Tok::BlockEnd))? {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(Self::empty_scalar(t.end));
        }
        if !self.check(|t| matches!(t, Tok::BlockEnd))? {
            let (tok, mark, _) = self.peek()?;
            return Err(parser_error(
                Some("while parsing a block collection"),
                self.marks.last().copied(),
                format!("expected <block end>, but found {}", quoted(tok)),
                mark,
            ));
        }
        let t = self.get()?;
        self.state = self.pop_state();
        self.marks.pop();
        Ok(Event { ev: Ev::SequenceEnd, start: t.start })
    }

    fn parse_block_mapping_key(&mut self) -> Result<Event> {
        if self.check(|t| matches!(t, Tok::Key))? {
            let t = self.get()?;
            if !self.check(|t| matches!(t, Tok::Key | Tok::Value | Tok::BlockEnd))? {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(Self::empty_scalar(t.end));
        }
        if !self.check(|t| matches!(t, Tok::BlockEnd))? {
            let (tok, mark, _) = self.peek()?;
            return Err(parser_error(
                Some("while parsing a block mapping"),
                self.marks.last().copied(),
                format!("expected <block end>, but found {}", quoted(tok)),
                mark,
            ));
        }
        let t = self.get()?;
        self.state = self.pop_state();
        self.marks.pop();
        Ok(Event { ev: Ev::MappingEnd, start: t.start })
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if !self.check(|t| matches!(t, Tok::FlowSequenceEnd))? {
            if !first {
                if self.check(|t| matches!(t, Tok::FlowEntry))? {
                    self.get()?;
                } else {
                    let (tok, mark, _) = self.peek()?;
                    return Err(parser_error(
                        Some("while parsing a flow sequence"),
                        self.marks.last().copied(),
                        format!("expected ',' or ']', but got {}", quoted(tok)),
                        mark,
                    ));
                }
            }
            if self.check(|t| matches!(t, Tok::Key))? {
                let (_, start, _) = self.peek()?;
                self.state = State::FlowSequenceEntryMappingKey;
                return Ok(Event { ev: Ev::MappingStart { anchor: None, tag: None }, start });
            } else if !self.check(|t| matches!(t, Tok::FlowSequenceEnd))? {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        let t = self.get()?;
        self.state = self.pop_state();
        self.marks.pop();
        Ok(Event { ev: Ev::SequenceEnd, start: t.start })
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> Result<Event> {
        if !self.check(|t| matches!(t, Tok::FlowMappingEnd))? {
            if !first {
                if self.check(|t| matches!(t, Tok::FlowEntry))? {
                    self.get()?;
                } else {
                    let (tok, mark, _) = self.peek()?;
                    return Err(parser_error(
                        Some("while parsing a flow mapping"),
                        self.marks.last().copied(),
                        format!("expected ',' or '}}', but got {}", quoted(tok)),
                        mark,
                    ));
                }
            }
            if self.check(|t| matches!(t, Tok::Key))? {
                let t = self.get()?;
                if !self.check(|t| matches!(t, Tok::Value | Tok::FlowEntry | Tok::FlowMappingEnd))? {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(Self::empty_scalar(t.end));
            } else if !self.check(|t| matches!(t, Tok::FlowMappingEnd))? {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        let t = self.get()?;
        self.state = self.pop_state();
        self.marks.pop();
        Ok(Event { ev: Ev::MappingEnd, start: t.start })
    }
}
