//! PyYAML's composer (events to a node graph, anchors and aliases) and `SafeConstructor`
//! (nodes to Python-typed values: tags, merge keys, duplicate keys, hashability).

use std::collections::HashMap;
use std::rc::Rc;

use super::parser::{Ev, Parser};
use super::resolve::{self, BOOL, FLOAT, INT, MERGE, NULL, STR, TIMESTAMP, VALUE};
use super::{Mark, MarkedError, Node, Value};

type Result<T> = std::result::Result<T, MarkedError>;

/// PyYAML's representation node: a tag, a kind and where it starts.
#[derive(Debug)]
struct Raw {
    tag: String,
    kind: RawKind,
    start: Mark,
}

#[derive(Debug)]
enum RawKind {
    Scalar(String),
    Seq(Vec<Rc<Raw>>),
    Map(Vec<(Rc<Raw>, Rc<Raw>)>),
}

impl Raw {
    /// `node.id`
    fn id(&self) -> &'static str {
        match self.kind {
            RawKind::Scalar(_) => "scalar",
            RawKind::Seq(_) => "sequence",
            RawKind::Map(_) => "mapping",
        }
    }
}

fn error(context: Option<&str>, context_mark: Option<Mark>, problem: String, problem_mark: Mark) -> MarkedError {
    MarkedError {
        context: context.map(str::to_owned),
        context_mark,
        problem: Some(problem),
        problem_mark: Some(problem_mark),
    }
}

/// `yaml.load(buf, SafeLoader)`: one document (or none: null).
pub(super) fn load(buf: &[char]) -> Result<Node> {
    let mut parser = Parser::new(buf);
    let mut composer = Composer { parser: &mut parser, anchors: HashMap::new() };
    let root = composer.single_node()?;
    match root {
        None => Ok(Node { value: Value::Null, line: 1, column: 1 }),
        Some(raw) => construct(&raw),
    }
}

struct Composer<'p, 'a> {
    parser: &'p mut Parser<'a>,
    anchors: HashMap<String, Rc<Raw>>,
}

impl Composer<'_, '_> {
    /// Whether the next event is of the kind `f` accepts (no event: stream end).
    fn next_is(&mut self, f: impl Fn(&Ev) -> bool) -> Result<bool> {
        Ok(self.parser.peek_event()?.map_or_else(|| f(&Ev::StreamEnd), |e| f(&e.ev)))
    }

    fn peek_start(&mut self) -> Result<Mark> {
        Ok(self.parser.peek_event()?.map(|e| e.start).unwrap_or_default())
    }

    fn single_node(&mut self) -> Result<Option<Rc<Raw>>> {
        self.parser.get_event()?; // stream start
        let mut document = None;
        if !self.next_is(|e| matches!(e, Ev::StreamEnd))? {
            document = Some(self.compose_document()?);
        }
        if !self.next_is(|e| matches!(e, Ev::StreamEnd))? {
            let start = self.peek_start()?;
            self.parser.get_event()?;
            return Err(error(
                Some("expected a single document in the stream"),
                document.as_ref().map(|d| d.start),
                "but found another document".to_owned(),
                start,
            ));
        }
        self.parser.get_event()?;
        Ok(document)
    }

    fn compose_document(&mut self) -> Result<Rc<Raw>> {
        self.parser.get_event()?; // document start
        let node = self.compose_node()?;
        self.parser.get_event()?; // document end
        self.anchors.clear();
        Ok(node)
    }

    fn compose_node(&mut self) -> Result<Rc<Raw>> {
        let Some(event) = self.parser.get_event()? else {
            return Err(error(None, None, "unexpected end of stream".to_owned(), Mark::default()));
        };
        let start = event.start;
        let (anchor, node) = match event.ev {
            Ev::Alias(name) => {
                return match self.anchors.get(&name) {
                    Some(node) => Ok(Rc::clone(node)),
                    None => Err(error(
                        None,
                        None,
                        format!("found undefined alias {}", crate::sim::cloud_init::pyrepr::str_repr(&name)),
                        start,
                    )),
                };
            }
            Ev::Scalar { anchor, tag, implicit, value, .. } => {
                self.check_anchor(anchor.as_deref(), start)?;
                let tag = match tag {
                    Some(t) if t != "!" => t,
                    _ if implicit.0 => resolve::resolve_plain(&value).to_owned(),
                    _ => STR.to_owned(),
                };
                (anchor, Raw { tag, kind: RawKind::Scalar(value), start })
            }
            Ev::SequenceStart { anchor, tag } => {
                self.check_anchor(anchor.as_deref(), start)?;
                let mut items = Vec::new();
                while !self.next_is(|e| matches!(e, Ev::SequenceEnd))? {
                    items.push(self.compose_node()?);
                }
                self.parser.get_event()?;
                let tag = tag.filter(|t| t != "!").unwrap_or_else(|| "tag:yaml.org,2002:seq".to_owned());
                (anchor, Raw { tag, kind: RawKind::Seq(items), start })
            }
            Ev::MappingStart { anchor, tag } => {
                self.check_anchor(anchor.as_deref(), start)?;
                let mut entries = Vec::new();
                while !self.next_is(|e| matches!(e, Ev::MappingEnd))? {
                    let key = self.compose_node()?;
                    let value = self.compose_node()?;
                    entries.push((key, value));
                }
                self.parser.get_event()?;
                let tag = tag.filter(|t| t != "!").unwrap_or_else(|| "tag:yaml.org,2002:map".to_owned());
                (anchor, Raw { tag, kind: RawKind::Map(entries), start })
            }
            _ => return Err(error(None, None, "unexpected event".to_owned(), start)),
        };
        let node = Rc::new(node);
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, Rc::clone(&node));
        }
        Ok(node)
    }

    fn check_anchor(&self, anchor: Option<&str>, start: Mark) -> Result<()> {
        if let Some(anchor) = anchor
            && let Some(first) = self.anchors.get(anchor)
        {
            return Err(error(
                Some(&format!(
                    "found duplicate anchor {}; first occurrence",
                    crate::sim::cloud_init::pyrepr::str_repr(anchor)
                )),
                Some(first.start),
                "second occurrence".to_owned(),
                start,
            ));
        }
        Ok(())
    }
}

fn node(value: Value, mark: Mark) -> Node {
    Node { value, line: mark.line + 1, column: mark.column + 1 }
}

/// `construct_object`: the value of a node, by its tag.
fn construct(raw: &Raw) -> Result<Node> {
    let scalar = |raw: &Raw| -> Result<String> {
        match &raw.kind {
            RawKind::Scalar(s) => Ok(s.clone()),
            _ => Err(error(None, None, format!("expected a scalar node, but found {}", raw.id()), raw.start)),
        }
    };
    let undefined = |raw: &Raw| {
        error(
            None,
            None,
            format!(
                "could not determine a constructor for the tag {}",
                crate::sim::cloud_init::pyrepr::str_repr(&raw.tag)
            ),
            raw.start,
        )
    };
    let value = match raw.tag.as_str() {
        NULL => {
            scalar(raw)?;
            Value::Null
        }
        BOOL => Value::Bool(resolve::bool_value(&scalar(raw)?).ok_or_else(|| undefined(raw))?),
        INT => Value::Int(resolve::int_value(&scalar(raw)?).ok_or_else(|| undefined(raw))?),
        FLOAT => Value::Float(resolve::float_value(&scalar(raw)?).ok_or_else(|| undefined(raw))?),
        TIMESTAMP => match resolve::timestamp(&scalar(raw)?) {
            Some((_, Some(dt))) => Value::DateTime(dt),
            Some((date, None)) => Value::Date(date),
            None => return Err(undefined(raw)),
        },
        STR | "tag:yaml.org,2002:python/unicode" => Value::Str(scalar(raw)?),
        "tag:yaml.org,2002:binary" => {
            let text = scalar(raw)?;
            match crate::sim::cloud_init::pyrepr::base64_decode(&text) {
                Some(bytes) => Value::Bytes(bytes),
                None => {
                    return Err(error(
                        None,
                        None,
                        "failed to decode base64 data: Incorrect padding".to_owned(),
                        raw.start,
                    ));
                }
            }
        }
        "tag:yaml.org,2002:seq" => match &raw.kind {
            RawKind::Seq(items) => Value::Seq(items.iter().map(|i| construct(i)).collect::<Result<_>>()?),
            _ => {
                return Err(error(None, None, format!("expected a sequence node, but found {}", raw.id()), raw.start));
            }
        },
        "tag:yaml.org,2002:map" => match &raw.kind {
            RawKind::Map(_) => Value::Map(construct_mapping(raw)?),
            _ => {
                return Err(error(None, None, format!("expected a mapping node, but found {}", raw.id()), raw.start));
            }
        },
        MERGE | VALUE => return Err(undefined(raw)),
        _ => return Err(undefined(raw)),
    };
    Ok(node(value, raw.start))
}

/// `SafeConstructor.flatten_mapping`: the entries with `<<` merges applied (merged entries
/// first, so that the mapping's own keys win).
fn flatten(raw: &Raw) -> Result<Vec<(Rc<Raw>, Rc<Raw>)>> {
    let RawKind::Map(entries) = &raw.kind else { return Ok(Vec::new()) };
    let mut merge = Vec::new();
    let mut own = Vec::new();
    for (key, value) in entries {
        if key.tag == MERGE {
            match &value.kind {
                RawKind::Map(_) => merge.extend(flatten(value)?),
                RawKind::Seq(items) => {
                    let mut sub = Vec::new();
                    for item in items {
                        if !matches!(item.kind, RawKind::Map(_)) {
                            return Err(error(
                                Some("while constructing a mapping"),
                                Some(raw.start),
                                format!("expected a mapping for merging, but found {}", item.id()),
                                item.start,
                            ));
                        }
                        sub.push(flatten(item)?);
                    }
                    for entries in sub.into_iter().rev() {
                        merge.extend(entries);
                    }
                }
                RawKind::Scalar(_) => {
                    return Err(error(
                        Some("while constructing a mapping"),
                        Some(raw.start),
                        format!("expected a mapping or list of mappings for merging, but found {}", value.id()),
                        value.start,
                    ));
                }
            }
        } else {
            own.push((Rc::clone(key), Rc::clone(value)));
        }
    }
    merge.extend(own);
    Ok(merge)
}

fn construct_mapping(raw: &Raw) -> Result<Vec<(Node, Node)>> {
    let mut out: Vec<(Node, Node)> = Vec::new();
    for (key_raw, value_raw) in flatten(raw)? {
        // `=` as a key is turned into a string key by flatten_mapping.
        let key = if key_raw.tag == VALUE {
            node(Value::Str(String::from("=")), key_raw.start)
        } else {
            construct(&key_raw)?
        };
        if matches!(key.value, Value::Seq(_) | Value::Map(_)) {
            return Err(error(
                Some("while constructing a mapping"),
                Some(raw.start),
                "found unhashable key".to_owned(),
                key_raw.start,
            ));
        }
        let value = construct(&value_raw)?;
        match out.iter_mut().find(|(k, _)| py_key_eq(&k.value, &key.value)) {
            Some(entry) => entry.1 = value,
            None => out.push((key, value)),
        }
    }
    Ok(out)
}

/// Python's `==` for hashable keys: `1 == 1.0 == True`.
fn py_key_eq(a: &Value, b: &Value) -> bool {
    fn num(v: &Value) -> Option<f64> {
        match *v {
            Value::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}
