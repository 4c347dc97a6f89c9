//! YAML as cloud-init 22.4 reads it: PyYAML 6.0's `SafeLoader` (YAML 1.1), ported to Rust so
//! that values, positions and error messages are the ones `cloud-init schema` prints.
//!
//! - [`parse`] turns a text into a [`Node`] tree. Every node knows its line and column
//!   (1-based) where it starts in the text, so callers can point at it.
//! - Scalars are resolved as PyYAML's `SafeLoader` does: `yes`/`no`/`on`/`off`/`true`/`false`
//!   (lower, Title and UPPER case) are booleans, `~`/`null`/empty are null, `0644` is octal
//!   (420), `0x1F` hex, `1_000` has separators, `1:30` is sexagesimal (90), `1.5`/`.inf`/`.nan`
//!   are floats (`1e3` is a string: YAML 1.1 floats need a dot), `2024-01-31` is a date.
//!   Quoted scalars stay strings.
//! - A mapping keeps its keys in the order they first appeared; a duplicate key is accepted and
//!   the last value wins (as a Python dict fills up). `<<` merge keys are applied.
//! - Errors ([`YamlError`]) carry PyYAML's text, e.g. `while parsing a block mapping` / `in
//!   "<byte string>", line 2, column 1:` / snippet / caret / `expected <block end>, but found
//!   '<block mapping start>'`, and the mark cloud-init reports (`format-lL.cC`).
//!
//! The scanner and parser are line-for-line ports of PyYAML's (`scanner.rs`, `parser.rs`);
//! `compose.rs` is its composer and `SafeConstructor`, `resolve.rs` its implicit resolvers.

mod compose;
mod parser;
mod resolve;
mod scanner;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

pub use resolve::{Date, DateTime};

/// A position in the text, 0-based as PyYAML's `Mark` (its messages print them + 1).
/// `index` counts characters (code points), not bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

/// PyYAML's `MarkedYAMLError`: a context and a problem, each with an optional mark.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct MarkedError {
    pub context: Option<String>,
    pub context_mark: Option<Mark>,
    pub problem: Option<String>,
    pub problem_mark: Option<Mark>,
}

impl MarkedError {
    fn problem(problem: &str, mark: Mark) -> Self {
        Self { problem: Some(problem.to_owned()), problem_mark: Some(mark), ..Self::default() }
    }
}

/// A YAML document that PyYAML would not load.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// `str(e)` of PyYAML's exception, snippets included (several lines).
    pub message: String,
    /// The line (1-based) cloud-init reports: the context mark if there is one, else the
    /// problem mark, else 1 (as `cloud-init schema` picks it).
    pub line: usize,
    /// The column (1-based), chosen the same way.
    pub column: usize,
    /// Where the problem itself is (1-based line and column), when PyYAML knows it; the
    /// editor underlines this one.
    pub problem_at: Option<(usize, usize)>,
}

/// A parsed value with the place where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based line of the node's first character (for a block mapping: of its first key).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What a node holds, typed as Python's `yaml.safe_load` types it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    /// `!!binary` (base64-decoded).
    Bytes(Vec<u8>),
    Date(Date),
    DateTime(DateTime),
    Seq(Vec<Node>),
    /// Keys in first-seen order, unique (Python equality); each with the last value given.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value of `key` in a mapping with string keys.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => {
                entries.iter().find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key)).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i128> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// The value as a string the way a shell or a config file would see it: strings as they
    /// are, numbers and booleans in Python's `str()` spelling (`True`, `420`), None for null
    /// and collections.
    pub fn to_plain_string(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
            _ => Some(crate::sim::cloud_init::pyrepr::repr(self)),
        }
    }

    /// Python's `repr()` of the value (`{'name': 'bob', 'sudo': True}`).
    pub fn repr(&self) -> String {
        crate::sim::cloud_init::pyrepr::repr(self)
    }
}

/// Parses one YAML document as `yaml.load(text, Loader=SafeLoader)` does. An empty document
/// (or only comments) gives a `Null` node.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut buf: Vec<char> = text.chars().collect();
    if let Some(err) = reader_check(&buf) {
        return Err(err);
    }
    buf.push('\0');
    compose::load(&buf).map_err(|e| render(&e, &buf))
}

/// PyYAML's reader refuses characters outside YAML's printable set.
fn reader_check(buf: &[char]) -> Option<YamlError> {
    let position = buf.iter().position(|&c| !is_printable(c))?;
    let code = u32::from(buf[position]);
    Some(YamlError {
        message: format!(
            "unacceptable character #x{code:04x}: special characters are not allowed\n  in \"<byte string>\", position {position}"
        ),
        line: 1,
        column: 1,
        problem_at: None,
    })
}

fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\x20'..='\x7e' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// `str(e)` of a `MarkedYAMLError`, with PyYAML's snippets.
fn render(e: &MarkedError, buf: &[char]) -> YamlError {
    let mut lines: Vec<String> = Vec::new();
    if let Some(context) = &e.context {
        lines.push(context.clone());
    }
    if let Some(cm) = e.context_mark
        && (e.problem.is_none() || e.problem_mark.is_none_or(|pm| pm.line != cm.line || pm.column != cm.column))
    {
        lines.push(mark_text(cm, buf));
    }
    if let Some(problem) = &e.problem {
        lines.push(problem.clone());
    }
    if let Some(pm) = e.problem_mark {
        lines.push(mark_text(pm, buf));
    }
    let reported = e.context_mark.or(e.problem_mark);
    YamlError {
        message: lines.join("\n"),
        line: reported.map_or(1, |m| m.line + 1),
        column: reported.map_or(1, |m| m.column + 1),
        problem_at: e.problem_mark.map(|m| (m.line + 1, m.column + 1)),
    }
}

/// `str(mark)`: where, and the snippet with a caret (PyYAML's `Mark.get_snippet`).
fn mark_text(mark: Mark, buf: &[char]) -> String {
    const BREAKZ: &str = "\0\r\n\u{85}\u{2028}\u{2029}";
    let mut text = format!("  in \"<byte string>\", line {}, column {}", mark.line + 1, mark.column + 1);
    let max_half = 75.0 / 2.0 - 1.0;
    let pointer = mark.index.min(buf.len().saturating_sub(1));
    let mut head = "";
    let mut start = pointer;
    while start > 0 && !BREAKZ.contains(buf[start - 1]) {
        start -= 1;
        if (pointer - start) as f64 > max_half {
            head = " ... ";
            start += 5;
            break;
        }
    }
    let mut tail = "";
    let mut end = pointer;
    while end < buf.len() && !BREAKZ.contains(buf[end]) {
        end += 1;
        if (end - pointer) as f64 > max_half {
            tail = " ... ";
            end -= 5;
            break;
        }
    }
    let snippet: String = buf[start..end].iter().collect();
    let _ = write!(text, ":\n    {head}{snippet}{tail}\n{}^", " ".repeat(4 + pointer - start + head.chars().count()));
    text
}
