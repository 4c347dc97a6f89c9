//! A small POSIX regular expression engine for `grep`: basic (BRE, with GNU's `\|`, `\+`,
//! `\?`) and extended (ERE) syntax, bracket expressions with character classes, intervals,
//! anchors, word boundaries and back-references. Matches are leftmost-longest, as POSIX asks.
//!
//! Patterns compile to a small instruction program. Without back-references it runs as a
//! Pike VM (time linear in the text, whatever the pattern); with them, a backtracking matcher
//! with a step budget.

/// Syntax of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
    /// A literal string (`grep -F`).
    Fixed,
}

/// What a match must span (`grep -w`, `grep -x`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Any,
    /// Not preceded or followed by a word character.
    Word,
    /// The whole line.
    Line,
}

/// The largest repetition count (`RE_DUP_MAX`) and program size.
const DUP_MAX: u32 = 32_767;
const MAX_PROGRAM: usize = 400_000;
/// Steps a backtracking search (for back-references) may take in one line.
const BACKTRACK_BUDGET: usize = 1_000_000;

#[derive(Clone, Debug)]
enum Node {
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
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    named: Vec<fn(char) -> bool>,
}

impl Class {
    fn matches(&self, c: char, fold: bool) -> bool {
        let test = |c: char| self.ranges.iter().any(|&(a, b)| a <= c && c <= b) || self.named.iter().any(|f| f(c));
        let hit = test(c) || (fold && (c.to_lowercase().any(test) || c.to_uppercase().any(test)));
        hit != self.negated
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Parses a pattern into its syntax tree.
struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    syntax: Syntax,
    groups: usize,
    closed: Vec<usize>,
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

    fn alternation(&mut self, depth: usize) -> Result<Node, String> {
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

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Bol,
    Eol,
    WordBoundary(bool),
    WordStart,
    WordEnd,
    NoWordBefore,
    NoWordAfter,
    Backref(usize),
    Match,
}

/// A compiled regular expression.
#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    fold: bool,
    backrefs: bool,
    slots: usize,
}

/// Compiles a syntax tree into instructions.
fn emit(node: &Node, prog: &mut Vec<Inst>, fold: bool) -> Result<(), String> {
    if prog.len() > MAX_PROGRAM {
        return Err("Regular expression too big".to_owned());
    }
    match node {
        Node::Empty => {}
        Node::Char(c) => prog.push(Inst::Char(if fold { c.to_lowercase().next().unwrap_or(*c) } else { *c })),
        Node::Any => prog.push(Inst::Any),
        Node::Class(class) => prog.push(Inst::Class(class.clone())),
        Node::Bol => prog.push(Inst::Bol),
        Node::Eol => prog.push(Inst::Eol),
        Node::WordBoundary(b) => prog.push(Inst::WordBoundary(*b)),
        Node::WordStart => prog.push(Inst::WordStart),
        Node::WordEnd => prog.push(Inst::WordEnd),
        Node::NoWordBefore => prog.push(Inst::NoWordBefore),
        Node::NoWordAfter => prog.push(Inst::NoWordAfter),
        Node::Backref(n) => prog.push(Inst::Backref(*n)),
        Node::Group(inner, n) => {
            prog.push(Inst::Save(2 * n));
            emit(inner, prog, fold)?;
            prog.push(Inst::Save(2 * n + 1));
        }
        Node::Concat(items) => {
            for item in items {
                emit(item, prog, fold)?;
            }
        }
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(branch, prog, fold)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(branch, prog, fold)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, prog, fold)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(inner, prog, fold)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        emit(inner, prog, fold)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

fn uses_backrefs(node: &Node) -> bool {
    match node {
        Node::Backref(_) => true,
        Node::Group(inner, _) | Node::Repeat(inner, _, _) => uses_backrefs(inner),
        Node::Concat(items) | Node::Alt(items) => items.iter().any(uses_backrefs),
        _ => false,
    }
}

impl Regex {
    /// Compiles a pattern; the error is GNU grep's message (`Unmatched ( or \(`).
    pub fn new(pattern: &str, syntax: Syntax, fold: bool, span: Span) -> Result<Self, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let (tree, groups) = if syntax == Syntax::Fixed {
            (Node::Concat(chars.iter().map(|&c| Node::Char(c)).collect()), 0)
        } else {
            let mut parser = Parser { chars: &chars, pos: 0, syntax, groups: 0, closed: Vec::new() };
            let tree = parser.alternation(0)?;
            if parser.pos < chars.len() {
                // Only an unmatched `)` stops the parser early; in ERE it is an ordinary
                // character.
                if syntax == Syntax::Basic {
                    return Err("Unmatched ) or \\)".to_owned());
                }
                let before: String = chars[..parser.pos].iter().collect();
                let after: String = chars[parser.pos + 1..].iter().collect();
                return Self::new(&format!("{before}\\){after}"), syntax, fold, span);
            }
            (tree, parser.groups)
        };
        let tree = match span {
            Span::Any => tree,
            Span::Word => Node::Concat(vec![Node::NoWordBefore, tree, Node::NoWordAfter]),
            Span::Line => Node::Concat(vec![Node::Bol, tree, Node::Eol]),
        };
        let mut prog = Vec::new();
        emit(&tree, &mut prog, fold)?;
        prog.push(Inst::Match);
        Ok(Self { prog, fold, backrefs: uses_backrefs(&tree), slots: 2 * (groups + 1) })
    }

    fn char_matches(&self, inst: &Inst, c: char) -> bool {
        match inst {
            Inst::Char(p) => {
                if self.fold {
                    c.to_lowercase().next().unwrap_or(c) == *p
                } else {
                    c == *p
                }
            }
            Inst::Any => true,
            Inst::Class(class) => class.matches(c, self.fold),
            _ => false,
        }
    }

    fn assertion(inst: &Inst, text: &[char], i: usize) -> bool {
        let before = i > 0 && is_word(text[i - 1]);
        let after = i < text.len() && is_word(text[i]);
        match inst {
            Inst::Bol => i == 0,
            Inst::Eol => i == text.len(),
            Inst::WordBoundary(yes) => (before != after) == *yes,
            Inst::WordStart => !before && after,
            Inst::WordEnd => before && !after,
            Inst::NoWordBefore => !before,
            Inst::NoWordAfter => !after,
            _ => false,
        }
    }

    /// The leftmost-longest match at or after `from`, as (start, end) in characters.
    pub fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        if self.backrefs {
            let mut steps = 0;
            return (from..=text.len()).find_map(|s| self.backtrack(text, s, &mut steps).map(|e| (s, e)));
        }
        let n = self.prog.len();
        let mut clist: Vec<(usize, usize)> = Vec::new();
        let mut nlist: Vec<(usize, usize)> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let mut best: Option<(usize, usize)> = None;
        let mut stack = Vec::new();
        for i in from..=text.len() {
            if best.is_none() {
                self.add(&mut clist, &mut seen, i, &mut stack, 0, i, text, &mut best);
            }
            if clist.is_empty() {
                if best.is_some() {
                    break;
                }
                continue;
            }
            if i == text.len() {
                break;
            }
            let c = text[i];
            nlist.clear();
            for &(pc, start) in &clist {
                if best.is_some_and(|(s, _)| start > s) {
                    continue;
                }
                if self.char_matches(&self.prog[pc], c) {
                    self.add(&mut nlist, &mut seen, i + 1, &mut stack, pc + 1, start, text, &mut best);
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
        }
        best
    }

    /// Adds a thread and everything reachable from it without consuming a character.
    #[expect(clippy::too_many_arguments, reason = "the VM's lists are passed in to be reused")]
    fn add(
        &self,
        list: &mut Vec<(usize, usize)>,
        seen: &mut [usize],
        pos: usize,
        stack: &mut Vec<usize>,
        pc: usize,
        start: usize,
        text: &[char],
        best: &mut Option<(usize, usize)>,
    ) {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if seen[pc] == pos {
                continue;
            }
            seen[pc] = pos;
            match &self.prog[pc] {
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Jmp(a) => stack.push(*a),
                Inst::Save(_) => stack.push(pc + 1),
                inst @ (Inst::Bol
                | Inst::Eol
                | Inst::WordBoundary(_)
                | Inst::WordStart
                | Inst::WordEnd
                | Inst::NoWordBefore
                | Inst::NoWordAfter) => {
                    if Self::assertion(inst, text, pos) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Match => {
                    let better = match *best {
                        None => true,
                        Some((s, e)) => start < s || (start == s && pos > e),
                    };
                    if better {
                        *best = Some((start, pos));
                    }
                }
                _ => list.push((pc, start)),
            }
        }
    }

    /// The longest match starting exactly at `start`, by backtracking (for back-references).
    fn backtrack(&self, text: &[char], start: usize, steps: &mut usize) -> Option<usize> {
        let mut best = None;
        let mut stack: Vec<(usize, usize, Vec<Option<usize>>)> = vec![(0, start, vec![None; self.slots])];
        while let Some((mut pc, mut pos, mut slots)) = stack.pop() {
            loop {
                *steps += 1;
                if *steps > BACKTRACK_BUDGET {
                    return best;
                }
                match &self.prog[pc] {
                    Inst::Match => {
                        if best.is_none_or(|b| pos > b) {
                            best = Some(pos);
                        }
                        break;
                    }
                    Inst::Split(a, b) => {
                        stack.push((*b, pos, slots.clone()));
                        pc = *a;
                    }
                    Inst::Jmp(a) => pc = *a,
                    Inst::Save(s) => {
                        if let Some(slot) = slots.get_mut(*s) {
                            *slot = Some(pos);
                        }
                        pc += 1;
                    }
                    Inst::Backref(n) => {
                        let (Some(Some(a)), Some(Some(b))) = (slots.get(2 * n), slots.get(2 * n + 1)) else { break };
                        let len = b.saturating_sub(*a);
                        let same = pos + len <= text.len()
                            && (0..len).all(|k| {
                                let (x, y) = (text[a + k], text[pos + k]);
                                x == y || (self.fold && x.to_lowercase().eq(y.to_lowercase()))
                            });
                        if !same {
                            break;
                        }
                        pos += len;
                        pc += 1;
                    }
                    inst @ (Inst::Bol
                    | Inst::Eol
                    | Inst::WordBoundary(_)
                    | Inst::WordStart
                    | Inst::WordEnd
                    | Inst::NoWordBefore
                    | Inst::NoWordAfter) => {
                        if !Self::assertion(inst, text, pos) {
                            break;
                        }
                        pc += 1;
                    }
                    inst => {
                        if pos < text.len() && self.char_matches(inst, text[pos]) {
                            pos += 1;
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str, syntax: Syntax, text: &str) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        Regex::new(p, syntax, false, Span::Any).unwrap().find_at(&chars, 0)
    }

    #[test]
    fn basic_and_extended_syntax() {
        use Syntax::{Basic, Extended};
        assert_eq!(find("vmx|svm", Extended, "flags : fpu svm"), Some((12, 15)));
        assert_eq!(find("vmx\\|svm", Basic, "flags : vmx"), Some((8, 11)));
        assert_eq!(find("vmx|svm", Basic, "vmx|svm"), Some((0, 7)));
        assert_eq!(find("l*", Basic, "hello"), Some((0, 0)));
        assert_eq!(find("l\\+", Basic, "hello"), Some((2, 4)));
        assert_eq!(find("l{2}", Extended, "hello"), Some((2, 4)));
        assert_eq!(find("l\\{2\\}", Basic, "hello"), Some((2, 4)));
        assert_eq!(find("^(he|wo)", Extended, "world"), Some((0, 2)));
        assert_eq!(find("o$", Extended, "hello"), Some((4, 5)));
        assert_eq!(find("a$b", Basic, "a$b"), Some((0, 3)));
        assert_eq!(find("[[:digit:]]+", Extended, "ab 123 c"), Some((3, 6)));
        assert_eq!(find("[^a-z ]", Extended, "ab X"), Some((3, 4)));
        assert_eq!(find("\\bworld\\b", Extended, "hello world"), Some((6, 11)));
        assert_eq!(find("(a|ab)(c|bcd)", Extended, "abcd"), Some((0, 4)));
        assert_eq!(find("\\(l\\)\\1", Basic, "hello"), Some((2, 4)));
        assert_eq!(find("*a", Basic, "x*a"), Some((1, 3)));
        assert_eq!(find("a{1", Extended, "a{1"), Some((0, 3)));
        assert_eq!(find("a)", Extended, "a)"), Some((0, 2)));
        assert_eq!(find("()", Extended, "x"), Some((0, 0)));
        assert_eq!(find("(a*)*b", Extended, "aaab"), Some((0, 4)));
    }

    #[test]
    fn errors_use_grep_words() {
        let err = |p: &str, s| Regex::new(p, s, false, Span::Any).err();
        assert_eq!(err("(", Syntax::Extended).as_deref(), Some("Unmatched ( or \\("));
        assert_eq!(err("\\)", Syntax::Basic).as_deref(), Some("Unmatched ) or \\)"));
        assert_eq!(err("[a-", Syntax::Extended).as_deref(), Some("Unmatched [, [^, [:, [., or [="));
        assert_eq!(err("[", Syntax::Basic).as_deref(), Some("Invalid regular expression"));
        assert_eq!(err("[[:foo:]]", Syntax::Basic).as_deref(), Some("Invalid character class name"));
        assert_eq!(err("x\\", Syntax::Basic).as_deref(), Some("Trailing backslash"));
        assert_eq!(err("a\\{1", Syntax::Basic).as_deref(), Some("Unmatched \\{"));
        assert_eq!(err("a{2,1}", Syntax::Extended).as_deref(), Some("Invalid content of \\{\\}"));
        assert_eq!(err("\\1", Syntax::Basic).as_deref(), Some("Invalid back reference"));
        assert_eq!(err("x{99999}", Syntax::Extended).as_deref(), Some("Regular expression too big"));
    }

    #[test]
    fn long_texts_and_nasty_patterns_stay_fast() {
        let text: Vec<char> = "a".repeat(20_000).chars().collect();
        let re = Regex::new("(a*)*(b|a?)*c", Syntax::Extended, false, Span::Any).unwrap();
        assert_eq!(re.find_at(&text, 0), None);
        let re = Regex::new("(a|aa)*\\1c", Syntax::Extended, false, Span::Any).unwrap();
        assert_eq!(re.find_at(&text[..200], 0), None);
    }
}
