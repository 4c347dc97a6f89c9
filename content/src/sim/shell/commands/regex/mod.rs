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

mod parse;

use parse::{Class, Node, Parser};

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
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
