//! The parser of the regex engine: BRE and ERE syntax to a syntax tree.

use super::{DUP_MAX, Syntax};

#[derive(Clone, Debug)]
pub(super) enum Node {
    Empty,
    Char(char),
    Any,
    Class(Class),
    Bol,
    Eol,
    WordBoundary(bool),
    WordStart,
    WordEnd,
    /// The characters around the position are not word characters (`grep -w`).
    NoWordBefore,
    NoWordAfter,
    Group(Box<Node>, usize),
    Backref(usize),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

#[derive(Clone, Debug, Default)]
pub(super) struct Class {
    pub(super) negated: bool,
    pub(super) ranges: Vec<(char, char)>,
    pub(super) named: Vec<fn(char) -> bool>,
}

impl Class {
    pub(super) fn matches(&self, c: char, fold: bool) -> bool {
        let test = |c: char| self.ranges.iter().any(|&(a, b)| a <= c && c <= b) || self.named.iter().any(|f| f(c));
        let hit = test(c) || (fold && (c.to_lowercase().any(test) || c.to_uppercase().any(test)));
        hit != self.negated
    }
}

/// Parses a pattern into its syntax tree.
pub(super) struct Parser<'a> {
    pub(super) chars: &'a [char],
    pub(super) pos: usize,
    pub(super) syntax: Syntax,
    pub(super) groups: usize,
    pub(super) closed: Vec<usize>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.pos + 1).copied()
    }

    fn at_alt(&self) -> bool {
        match self.syntax {
            Syntax::Extended => self.peek() == Some('|'),
            _ => self.peek() == Some('\\') && self.peek2() == Some('|'),
        }
    }

    fn at_close(&self) -> bool {
        match self.syntax {
            Syntax::Extended => self.peek() == Some(')'),
            _ => self.peek() == Some('\\') && self.peek2() == Some(')'),
        }
    }

    pub(super) fn alternation(&mut self, depth: usize) -> Result<Node, String> {
        let mut branches = vec![self.concat(depth)?];
        while self.at_alt() {
            self.pos += if self.syntax == Syntax::Basic { 2 } else { 1 };
            branches.push(self.concat(depth)?);
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Node::Empty) } else { Node::Alt(branches) })
    }

    fn concat(&mut self, depth: usize) -> Result<Node, String> {
        let mut items: Vec<Node> = Vec::new();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if self.at_alt() || (depth > 0 && self.at_close()) {
                break;
            }
            if self.syntax == Syntax::Basic && c == '\\' && self.peek2() == Some(')') {
                return Err("Unmatched ) or \\)".to_owned());
            }
            let at_start = self.pos == start;
            let atom = self.atom(depth, at_start)?;
            let atom = self.quantifiers(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn atom(&mut self, depth: usize, at_start: bool) -> Result<Node, String> {
        let Some(c) = self.peek() else { return Ok(Node::Empty) };
        self.pos += 1;
        let ere = self.syntax == Syntax::Extended;
        Ok(match c {
            '.' => Node::Any,
            '[' => Node::Class(self.bracket()?),
            '^' if ere || at_start => Node::Bol,
            '$' if ere || self.pos == self.chars.len() || self.at_close() || self.at_alt() => Node::Eol,
            '*' if at_start => Node::Char('*'),
            '(' if ere => self.group(depth)?,
            '+' | '?' if ere && at_start => Node::Char(c),
            '{' if ere && at_start => Node::Char('{'),
            '\\' => {
                let Some(e) = self.peek() else { return Err("Trailing backslash".to_owned()) };
                self.pos += 1;
                match e {
                    '(' if !ere => self.group(depth)?,
                    '{' if !ere && at_start => Node::Char('{'),
                    '1'..='9' => {
                        let n = e as usize - '0' as usize;
                        if !self.closed.contains(&n) {
                            return Err("Invalid back reference".to_owned());
                        }
                        Node::Backref(n)
                    }
                    'w' | 'W' => Node::Class(Class {
                        negated: e == 'W',
                        ranges: vec![('_', '_')],
                        named: vec![char::is_alphanumeric],
                    }),
                    's' | 'S' => {
                        Node::Class(Class { negated: e == 'S', ranges: Vec::new(), named: vec![char::is_whitespace] })
                    }
                    'b' => Node::WordBoundary(true),
                    'B' => Node::WordBoundary(false),
                    '<' => Node::WordStart,
                    '>' => Node::WordEnd,
                    '`' => Node::Bol,
                    '\'' => Node::Eol,
                    other => Node::Char(other),
                }
            }
            other => Node::Char(other),
        })
    }

    fn group(&mut self, depth: usize) -> Result<Node, String> {
        self.groups += 1;
        let index = self.groups;
        let inner = self.alternation(depth + 1)?;
        if !self.at_close() {
            return Err("Unmatched ( or \\(".to_owned());
        }
        self.pos += if self.syntax == Syntax::Basic { 2 } else { 1 };
        self.closed.push(index);
        Ok(Node::Group(Box::new(inner), index))
    }

    fn quantifiers(&mut self, mut atom: Node) -> Result<Node, String> {
        // In BRE a `*` right after a leading `^` is an ordinary character.
        if matches!(atom, Node::Bol) && self.syntax == Syntax::Basic {
            return Ok(atom);
        }
        loop {
            let ere = self.syntax == Syntax::Extended;
            let (min, max) = match (self.peek(), self.peek2()) {
                (Some('*'), _) => {
                    self.pos += 1;
                    (0, None)
                }
                (Some('+'), _) if ere => {
                    self.pos += 1;
                    (1, None)
                }
                (Some('?'), _) if ere => {
                    self.pos += 1;
                    (0, Some(1))
                }
                (Some('\\'), Some('+')) if !ere => {
                    self.pos += 2;
                    (1, None)
                }
                (Some('\\'), Some('?')) if !ere => {
                    self.pos += 2;
                    (0, Some(1))
                }
                (Some('{'), _) if ere => {
                    let save = self.pos;
                    self.pos += 1;
                    match self.interval()? {
                        Some(bounds) => bounds,
                        None => {
                            // Not an interval: `{` is an ordinary character in GNU ERE.
                            self.pos = save;
                            return Ok(atom);
                        }
                    }
                }
                (Some('\\'), Some('{')) if !ere => {
                    self.pos += 2;
                    self.interval()?.ok_or_else(|| "Unmatched \\{".to_owned())?
                }
                _ => return Ok(atom),
            };
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    /// `n}`, `n,}`, `,m}`, `n,m}` after the opening brace; `None` if it is not an interval.
    fn interval(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let number = |p: &mut Self| {
            let start = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let text: String = p.chars[start..p.pos].iter().collect();
            (!text.is_empty()).then(|| text.parse::<u64>().unwrap_or(u64::MAX))
        };
        let min = number(self);
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            number(self)
        } else {
            Some(min.unwrap_or(0))
        };
        let close = match self.syntax {
            Syntax::Extended => self.peek() == Some('}'),
            _ => self.peek() == Some('\\') && self.peek2() == Some('}'),
        };
        if !close || (min.is_none() && self.syntax == Syntax::Basic && max.is_none()) {
            return if self.syntax == Syntax::Basic { Err("Unmatched \\{".to_owned()) } else { Ok(None) };
        }
        self.pos += if self.syntax == Syntax::Basic { 2 } else { 1 };
        let min = min.unwrap_or(0);
        if min > u64::from(DUP_MAX) || max.is_some_and(|m| m > u64::from(DUP_MAX)) {
            return Err("Regular expression too big".to_owned());
        }
        if max.is_some_and(|m| m < min) {
            return Err("Invalid content of \\{\\}".to_owned());
        }
        Ok(Some((min as u32, max.map(|m| m as u32))))
    }

    fn bracket(&mut self) -> Result<Class, String> {
        let unmatched = || "Unmatched [, [^, [:, [., or [=".to_owned();
        if self.pos >= self.chars.len() {
            return Err("Invalid regular expression".to_owned());
        }
        let mut class = Class::default();
        if self.peek() == Some('^') {
            class.negated = true;
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err(unmatched()) };
            if c == ']' && !first {
                self.pos += 1;
                return Ok(class);
            }
            first = false;
            if c == '[' && matches!(self.peek2(), Some(':' | '=' | '.')) {
                let kind = self.peek2().unwrap_or(':');
                let start = self.pos + 2;
                let end = (start..self.chars.len().saturating_sub(1))
                    .find(|&i| self.chars[i] == kind && self.chars[i + 1] == ']')
                    .ok_or_else(unmatched)?;
                let name: String = self.chars[start..end].iter().collect();
                self.pos = end + 2;
                match kind {
                    ':' => class.named.push(named_class(&name).ok_or("Invalid character class name")?),
                    _ => {
                        let mut it = name.chars();
                        match (it.next(), it.next()) {
                            (Some(ch), None) => class.ranges.push((ch, ch)),
                            _ => return Err("Invalid collation character".to_owned()),
                        }
                    }
                }
                continue;
            }
            self.pos += 1;
            if self.peek() == Some('-') && self.peek2().is_some_and(|n| n != ']') {
                let end = self.peek2().unwrap_or(c);
                self.pos += 2;
                if end < c {
                    return Err("Invalid range end".to_owned());
                }
                class.ranges.push((c, end));
            } else {
                class.ranges.push((c, c));
            }
        }
    }
}

fn named_class(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alpha" => char::is_alphabetic,
        "digit" => |c: char| c.is_ascii_digit(),
        "alnum" => char::is_alphanumeric,
        "upper" => char::is_uppercase,
        "lower" => char::is_lowercase,
        "space" => char::is_whitespace,
        "blank" => |c: char| c == ' ' || c == '\t',
        "punct" => |c: char| c.is_ascii_punctuation(),
        "print" => |c: char| !c.is_control(),
        "graph" => |c: char| !c.is_control() && !c.is_whitespace(),
        "cntrl" => char::is_control,
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        _ => return None,
    })
}
