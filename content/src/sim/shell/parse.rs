//! The bash subset GuestLab understands, parsed into a small syntax tree: lists with `;`, `&&`
//! and `||`, pipelines, simple commands with assignments, words with quoting, `~`, `$VAR`,
//! `$?`, `$(…)`, redirections and here-documents, and `#` comments.

/// A piece of a word, before expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: subject to globbing.
    Literal(String),
    /// Quoted text (`'…'`, `"…"`, or after `\`): taken as it is.
    Quoted(String),
    /// `$NAME`, `${NAME}` or `$?`; `quoted` when inside double quotes.
    Var { name: String, quoted: bool },
    /// `$(…)`: the output of a command list.
    Subst { script: Box<Script>, quoted: bool },
    /// A leading `~` (home directory).
    Tilde,
}

/// A word: parts that expand to one or more fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<Part>,
}

impl Word {
    /// The text of a word that has no expansions (for here-document delimiters and tests).
    pub fn plain(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(s) | Part::Quoted(s) => s.clone(),
                Part::Var { name, .. } => format!("${name}"),
                Part::Subst { .. } => String::from("$(…)"),
                Part::Tilde => String::from("~"),
            })
            .collect()
    }

    fn is_quoted(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Quoted(_)))
    }
}

/// A redirection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redirect {
    /// `N>file`, `N>>file`.
    Out { fd: u8, target: Word, append: bool },
    /// `&>file`, `&>>file`: stdout and stderr.
    Both { target: Word, append: bool },
    /// `N>&M`.
    Dup { fd: u8, to: u8 },
    /// `<file`.
    In { target: Word },
    /// `<<DELIM` or `<<'DELIM'` with its body; `expand` is false when the delimiter was quoted.
    HereDoc { body: String, expand: bool },
    /// `<<<word`.
    HereString { word: Word },
}

/// One command with its assignments, words and redirections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// Commands joined by `|`; `negated` for a leading `!`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline {
    pub commands: Vec<Command>,
    pub negated: bool,
}

/// How a pipeline is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// `;`, a newline, or the start.
    Seq,
    And,
    Or,
}

/// A list of pipelines, each with how it joins the previous one. `source_lines` has, for each
/// pipeline, the text of the line it started on (for `history`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub items: Vec<(Join, Pipeline)>,
    /// Indices into `items` where a new input line began, with the line's text.
    pub lines: Vec<(usize, String)>,
}

/// Why a text could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// More input is needed (open quote, here-document, trailing `|` or `&&`): an
    /// interactive shell asks for a continuation line.
    Incomplete(String),
    /// `bash: syntax error near unexpected token `X'`.
    Unexpected(String),
}

impl ParseError {
    /// The message bash prints (without the `bash: ` prefix).
    pub fn message(&self) -> String {
        match self {
            Self::Incomplete(what) => what.clone(),
            Self::Unexpected(token) => format!("syntax error near unexpected token `{token}'"),
        }
    }
}

/// The body of a here-document whose lines have not been read yet.
const PENDING: &str = "\u{0}pending";

/// The deepest `$(…)` nesting accepted.
const MAX_NESTING: usize = 16;

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Here-documents waiting for their body: (delimiter, expand, where to store the body).
    pending_heredocs: Vec<(String, bool)>,
    depth: usize,
    /// The parsed pipelines, kept here so here-document bodies can be filled in later.
    items: Vec<(Join, Pipeline)>,
}

/// Parses shell input (one or more lines).
pub fn parse(text: &str) -> Result<Script, ParseError> {
    parse_nested(text, 0)
}

fn parse_nested(text: &str, depth: usize) -> Result<Script, ParseError> {
    if depth > MAX_NESTING {
        return Err(ParseError::Unexpected("(".into()));
    }
    let mut p = Parser { src: text.as_bytes(), text, pos: 0, pending_heredocs: Vec::new(), depth, items: Vec::new() };
    let mut lines = Vec::new();
    let mut join = Join::Seq;
    let mut line_start = 0;
    let mut at_line_start = true;
    loop {
        p.skip_blanks();
        if at_line_start {
            let end = p.text[p.pos..].find('\n').map_or(p.text.len(), |i| p.pos + i);
            let line = p.text[line_start.max(p.pos)..end].trim().to_owned();
            if !line.is_empty() && !line.starts_with('#') {
                lines.push((p.items.len(), line));
            }
            at_line_start = false;
        }
        match p.peek() {
            None => break,
            Some(b'#') => p.skip_comment(),
            Some(b'\n') => {
                p.pos += 1;
                p.read_heredoc_bodies()?;
                if join != Join::Seq {
                    // `a &&` newline `b`: the list continues on the next line.
                    line_start = p.pos;
                    at_line_start = true;
                    continue;
                }
                line_start = p.pos;
                at_line_start = true;
            }
            Some(b';') => {
                if p.items.is_empty() || join != Join::Seq || p.src.get(p.pos + 1) == Some(&b';') {
                    return Err(ParseError::Unexpected(
                        if p.src.get(p.pos + 1) == Some(&b';') { ";;" } else { ";" }.into(),
                    ));
                }
                p.pos += 1;
                // `a ;` then the end, or `a; b`.
                p.skip_blanks();
                if p.peek() == Some(b';') {
                    return Err(ParseError::Unexpected(";".into()));
                }
            }
            Some(b'&') if p.src.get(p.pos + 1) == Some(&b'&') => return Err(ParseError::Unexpected("&&".into())),
            Some(b'|') => {
                return Err(ParseError::Unexpected(
                    if p.src.get(p.pos + 1) == Some(&b'|') { "||" } else { "|" }.into(),
                ));
            }
            Some(b')') => return Err(ParseError::Unexpected(")".into())),
            Some(_) => {
                let pipeline = p.pipeline()?;
                p.items.push((join, pipeline));
                p.skip_blanks();
                join = match (p.peek(), p.src.get(p.pos + 1)) {
                    (Some(b'&'), Some(b'&')) => {
                        p.pos += 2;
                        Join::And
                    }
                    (Some(b'|'), Some(b'|')) => {
                        p.pos += 2;
                        Join::Or
                    }
                    _ => Join::Seq,
                };
                if join != Join::Seq {
                    p.skip_blanks();
                    while p.peek() == Some(b'#') {
                        p.skip_comment();
                    }
                    match p.peek() {
                        None => return Err(ParseError::Incomplete(String::new())),
                        Some(b'\n') => {}
                        Some(b';') => return Err(ParseError::Unexpected(";".into())),
                        Some(b'&') => return Err(ParseError::Unexpected("&&".into())),
                        Some(b'|') => return Err(ParseError::Unexpected("|".into())),
                        Some(_) => {}
                    }
                }
            }
        }
    }
    if !p.pending_heredocs.is_empty() {
        let (delim, ..) = &p.pending_heredocs[0];
        return Err(ParseError::Incomplete(format!("here-document delimited by end-of-file (wanted `{delim}')")));
    }
    if join != Join::Seq {
        return Err(ParseError::Incomplete(String::new()));
    }
    Ok(Script { items: p.items, lines })
}

fn is_meta(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')')
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_blanks(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
        // A backslash-newline joins lines.
        if self.peek() == Some(b'\\') && self.src.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 2;
            self.skip_blanks();
        }
    }

    fn skip_comment(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'\n' {
                break;
            }
            self.pos += 1;
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut pipeline = Pipeline::default();
        self.skip_blanks();
        if self.peek() == Some(b'!') && matches!(self.src.get(self.pos + 1), Some(b' ' | b'\t')) {
            pipeline.negated = true;
            self.pos += 1;
        }
        loop {
            let command = self.command()?;
            pipeline.commands.push(command);
            self.skip_blanks();
            if self.peek() == Some(b'|') && self.src.get(self.pos + 1) != Some(&b'|') {
                self.pos += 1;
                self.skip_blanks();
                while self.peek() == Some(b'\n') {
                    self.pos += 1;
                    self.read_heredoc_bodies_into(Some(&mut pipeline))?;
                    self.skip_blanks();
                }
                if self.peek().is_none() {
                    return Err(ParseError::Incomplete(String::new()));
                }
                continue;
            }
            return Ok(pipeline);
        }
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let mut command = Command::default();
        loop {
            self.skip_blanks();
            let Some(b) = self.peek() else { break };
            match b {
                b'\n' | b';' | b'&' | b'|' | b')' => {
                    if b == b'&' && self.src.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        let append = self.eat(b'>');
                        let target = self.redirect_target("&>")?;
                        command.redirects.push(Redirect::Both { target, append });
                        continue;
                    }
                    if b == b'&' && self.src.get(self.pos + 1) != Some(&b'&') {
                        // A background job: run it in the foreground.
                        self.pos += 1;
                        continue;
                    }
                    break;
                }
                b'(' => return Err(ParseError::Unexpected("(".into())),
                b'#' => {
                    self.skip_comment();
                    break;
                }
                b'<' | b'>' => self.redirect(&mut command, None)?,
                b'0'..=b'9' if matches!(self.src.get(self.pos + 1), Some(b'<' | b'>')) => {
                    let fd = b - b'0';
                    self.pos += 1;
                    self.redirect(&mut command, Some(fd))?;
                }
                _ => {
                    let start = self.pos;
                    let word = self.word()?;
                    if command.words.is_empty()
                        && let Some((name, value)) = self.assignment(start, &word)?
                    {
                        command.assignments.push((name, value));
                        continue;
                    }
                    command.words.push(word);
                }
            }
        }
        if command.words.is_empty() && command.assignments.is_empty() && command.redirects.is_empty() {
            let token = match self.peek() {
                Some(b'|') => "|",
                Some(b';') => ";",
                Some(b'&') => "&",
                Some(b')') => ")",
                _ => "newline",
            };
            return Err(ParseError::Unexpected(token.into()));
        }
        Ok(command)
    }

    /// `NAME=value` at the start of a command.
    fn assignment(&mut self, start: usize, word: &Word) -> Result<Option<(String, Word)>, ParseError> {
        let Some(Part::Literal(first)) = word.parts.first() else { return Ok(None) };
        let Some(eq) = first.find('=') else { return Ok(None) };
        let name = &first[..eq];
        let valid = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if !valid {
            return Ok(None);
        }
        let _ = start;
        let mut value = Word::default();
        let rest = &first[eq + 1..];
        if !rest.is_empty() {
            value.parts.push(Part::Literal(rest.to_owned()));
        }
        value.parts.extend(word.parts[1..].iter().cloned());
        Ok(Some((name.to_owned(), value)))
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn redirect_target(&mut self, op: &str) -> Result<Word, ParseError> {
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n') => Err(ParseError::Unexpected("newline".into())),
            Some(b) if is_meta(b) => {
                Err(ParseError::Unexpected(if b == b'>' && self.src.get(self.pos + 1) == Some(&b'>') {
                    ">>".into()
                } else {
                    (b as char).to_string()
                }))
            }
            Some(_) => {
                let _ = op;
                self.word()
            }
        }
    }

    fn redirect(&mut self, command: &mut Command, fd: Option<u8>) -> Result<(), ParseError> {
        let b = self.peek().unwrap_or_default();
        self.pos += 1;
        if b == b'>' {
            let fd = fd.unwrap_or(1);
            let append = self.eat(b'>');
            if !append && self.eat(b'&') {
                // N>&M
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let to = self.text[start..self.pos].parse::<u8>().map_err(|_| ParseError::Unexpected("&".into()))?;
                command.redirects.push(Redirect::Dup { fd, to });
                return Ok(());
            }
            self.eat(b'|');
            let target = self.redirect_target(">")?;
            command.redirects.push(Redirect::Out { fd, target, append });
            return Ok(());
        }
        // '<'
        if self.eat(b'<') {
            if self.eat(b'<') {
                let word = self.redirect_target("<<<")?;
                command.redirects.push(Redirect::HereString { word });
                return Ok(());
            }
            let strip_tabs = self.eat(b'-');
            let delim = self.redirect_target("<<")?;
            let expand = !delim.is_quoted();
            let delimiter = delim.plain();
            // The body is read after the end of the current line.
            // The body follows the end of the line; until then the here-document holds a marker.
            command.redirects.push(Redirect::HereDoc { body: PENDING.to_owned(), expand });
            self.pending_heredocs.push((delimiter, strip_tabs));
            return Ok(());
        }
        let target = self.redirect_target("<")?;
        command.redirects.push(Redirect::In { target });
        Ok(())
    }

    /// Reads the bodies of pending here-documents after a newline, in order.
    fn read_heredoc_bodies(&mut self) -> Result<(), ParseError> {
        self.read_heredoc_bodies_into(None)
    }

    /// As [`Self::read_heredoc_bodies`], also filling a pipeline still being parsed.
    fn read_heredoc_bodies_into(&mut self, current: Option<&mut Pipeline>) -> Result<(), ParseError> {
        if self.pending_heredocs.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending_heredocs);
        let mut bodies = Vec::new();
        for (delimiter, strip_tabs) in &pending {
            let mut body = String::new();
            loop {
                if self.pos >= self.src.len() {
                    self.pending_heredocs = pending.clone();
                    return Err(ParseError::Incomplete(format!(
                        "here-document delimited by end-of-file (wanted `{delimiter}')"
                    )));
                }
                let end = self.text[self.pos..].find('\n').map_or(self.text.len(), |i| self.pos + i);
                let mut line = &self.text[self.pos..end];
                self.pos = (end + 1).min(self.text.len());
                if *strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                if line == delimiter {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            bodies.push(body);
        }
        // Fill the empty here-documents in the order they were written.
        let mut bodies = bodies.into_iter();
        for pipeline in self.items.iter_mut().map(|(_, p)| p).chain(current) {
            for command in &mut pipeline.commands {
                for redirect in &mut command.redirects {
                    if let Redirect::HereDoc { body, .. } = redirect
                        && body == PENDING
                        && let Some(next) = bodies.next()
                    {
                        *body = next;
                    }
                }
            }
        }
        Ok(())
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut word = Word::default();
        let mut literal = String::new();
        let flush = |literal: &mut String, word: &mut Word| {
            if !literal.is_empty() {
                word.parts.push(Part::Literal(std::mem::take(literal)));
            }
        };
        if self.peek() == Some(b'~') {
            let next = self.src.get(self.pos + 1).copied();
            if next.is_none_or(|b| b == b'/' || is_meta(b)) {
                self.pos += 1;
                word.parts.push(Part::Tilde);
            }
        }
        while let Some(b) = self.peek() {
            if is_meta(b) {
                break;
            }
            match b {
                b'\'' => {
                    flush(&mut literal, &mut word);
                    self.pos += 1;
                    let start = self.pos;
                    let Some(len) = self.text[start..].find('\'') else {
                        return Err(ParseError::Incomplete("unexpected EOF while looking for matching `''".into()));
                    };
                    word.parts.push(Part::Quoted(self.text[start..start + len].to_owned()));
                    self.pos = start + len + 1;
                }
                b'"' => {
                    flush(&mut literal, &mut word);
                    self.pos += 1;
                    self.double_quoted(&mut word)?;
                }
                b'\\' => {
                    flush(&mut literal, &mut word);
                    self.pos += 1;
                    match self.peek() {
                        None => {}
                        Some(b'\n') => self.pos += 1,
                        Some(_) => {
                            let c = self.text[self.pos..].chars().next().unwrap_or_default();
                            self.pos += c.len_utf8();
                            word.parts.push(Part::Quoted(c.to_string()));
                        }
                    }
                }
                b'$' => {
                    flush(&mut literal, &mut word);
                    self.dollar(&mut word, false)?;
                }
                _ => {
                    let c = self.text[self.pos..].chars().next().unwrap_or_default();
                    self.pos += c.len_utf8();
                    literal.push(c);
                }
            }
        }
        flush(&mut literal, &mut word);
        if word.parts.is_empty() {
            word.parts.push(Part::Quoted(String::new()));
        }
        Ok(word)
    }

    fn double_quoted(&mut self, word: &mut Word) -> Result<(), ParseError> {
        let mut text = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(ParseError::Incomplete("unexpected EOF while looking for matching `\"'".into()));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    word.parts.push(Part::Quoted(text));
                    return Ok(());
                }
                b'\\' if matches!(self.src.get(self.pos + 1), Some(b'"' | b'\\' | b'$' | b'`' | b'\n')) => {
                    if self.src[self.pos + 1] != b'\n' {
                        text.push(self.src[self.pos + 1] as char);
                    }
                    self.pos += 2;
                }
                b'$' if matches!(self.src.get(self.pos + 1), Some(b) if b.is_ascii_alphabetic() || matches!(b, b'_' | b'{' | b'(' | b'?' | b'$' | b'#' | b'0'..=b'9')) =>
                {
                    word.parts.push(Part::Quoted(std::mem::take(&mut text)));
                    self.dollar(word, true)?;
                }
                _ => {
                    let c = self.text[self.pos..].chars().next().unwrap_or_default();
                    self.pos += c.len_utf8();
                    text.push(c);
                }
            }
        }
    }

    fn dollar(&mut self, word: &mut Word, quoted: bool) -> Result<(), ParseError> {
        self.pos += 1; // '$'
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let start = self.pos;
                let Some(len) = self.text[start..].find('}') else {
                    return Err(ParseError::Incomplete("unexpected EOF while looking for matching `}'".into()));
                };
                let name = self.text[start..start + len].to_owned();
                self.pos = start + len + 1;
                word.parts.push(Part::Var { name, quoted });
            }
            Some(b'(') => {
                self.pos += 1;
                let start = self.pos;
                let mut depth = 1;
                let mut in_single = false;
                while let Some(b) = self.peek() {
                    match b {
                        b'\'' => in_single = !in_single,
                        b'(' if !in_single => depth += 1,
                        b')' if !in_single => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                if depth != 0 {
                    return Err(ParseError::Incomplete("unexpected EOF while looking for matching `)'".into()));
                }
                let inner = &self.text[start..self.pos];
                self.pos += 1;
                let script = parse_nested(inner, self.depth + 1)?;
                word.parts.push(Part::Subst { script: Box::new(script), quoted });
            }
            Some(b'?' | b'$' | b'#' | b'0'..=b'9') => {
                let name = (self.src[self.pos] as char).to_string();
                self.pos += 1;
                word.parts.push(Part::Var { name, quoted });
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let start = self.pos;
                while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    self.pos += 1;
                }
                word.parts.push(Part::Var { name: self.text[start..self.pos].to_owned(), quoted });
            }
            _ => word.parts.push(if quoted { Part::Quoted("$".into()) } else { Part::Literal("$".into()) }),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        parse(text)
            .unwrap()
            .items
            .iter()
            .flat_map(|(_, p)| p.commands.iter().map(|c| c.words.iter().map(Word::plain).collect()))
            .collect()
    }

    #[test]
    fn words_and_quotes() {
        assert_eq!(words("echo  'a b'  \"c d\" e\\ f"), vec![vec!["echo", "a b", "c d", "e f"]]);
        assert_eq!(words("echo \"x $HOME y\""), vec![vec!["echo", "x $HOME y"]]);
        assert_eq!(words("echo a#b # comment"), vec![vec!["echo", "a#b"]]);
        assert_eq!(words("# only a comment"), Vec::<Vec<String>>::new());
    }

    #[test]
    fn lists_and_pipelines() {
        let script = parse("a; b && c || d | e").unwrap();
        let joins: Vec<_> = script.items.iter().map(|(j, p)| (*j, p.commands.len())).collect();
        assert_eq!(joins, vec![(Join::Seq, 1), (Join::Seq, 1), (Join::And, 1), (Join::Or, 2)]);
    }

    #[test]
    fn redirections() {
        let script = parse("cmd >out 2>&1 >>log 2>/dev/null <in &>both").unwrap();
        let redirects = &script.items[0].1.commands[0].redirects;
        assert_eq!(redirects.len(), 6);
        assert!(matches!(&redirects[0], Redirect::Out { fd: 1, append: false, .. }));
        assert!(matches!(&redirects[1], Redirect::Dup { fd: 2, to: 1 }));
        assert!(matches!(&redirects[2], Redirect::Out { fd: 1, append: true, .. }));
        assert!(matches!(&redirects[3], Redirect::Out { fd: 2, append: false, .. }));
        assert!(matches!(&redirects[4], Redirect::In { .. }));
        assert!(matches!(&redirects[5], Redirect::Both { append: false, .. }));
    }

    #[test]
    fn here_documents() {
        let script = parse("cat > f <<'EOF'\nline $HOME\nEOF\necho done\n").unwrap();
        assert_eq!(script.items.len(), 2);
        let Redirect::HereDoc { body, expand } = &script.items[0].1.commands[0].redirects[1] else { panic!() };
        assert_eq!(body, "line $HOME\n");
        assert!(!expand);
        let script = parse("cat <<EOF\nx\nEOF").unwrap();
        let Redirect::HereDoc { body, expand } = &script.items[0].1.commands[0].redirects[0] else { panic!() };
        assert_eq!((body.as_str(), *expand), ("x\n", true));
        assert!(matches!(parse("cat <<EOF\nx\n"), Err(ParseError::Incomplete(_))));
    }

    #[test]
    fn incomplete_and_errors() {
        assert!(matches!(parse("echo 'abc"), Err(ParseError::Incomplete(_))));
        assert!(matches!(parse("echo a &&"), Err(ParseError::Incomplete(_))));
        assert!(matches!(parse("echo a |"), Err(ParseError::Incomplete(_))));
        assert_eq!(parse("; echo").unwrap_err().message(), "syntax error near unexpected token `;'");
        assert_eq!(parse("echo a && ; b").unwrap_err().message(), "syntax error near unexpected token `;'");
        assert_eq!(parse("echo >").unwrap_err().message(), "syntax error near unexpected token `newline'");
        assert_eq!(parse("| x").unwrap_err().message(), "syntax error near unexpected token `|'");
        assert!(parse("a && b\n").is_ok());
        assert!(parse("a &&\nb\n").is_ok());
    }

    #[test]
    fn assignments_variables_and_substitution() {
        let script = parse("X=1 Y='a b' env").unwrap();
        let cmd = &script.items[0].1.commands[0];
        assert_eq!(cmd.assignments.len(), 2);
        assert_eq!(cmd.words.len(), 1);
        let script = parse("echo $? ${HOME} $(cat /etc/machine-id)").unwrap();
        let parts: Vec<_> = script.items[0].1.commands[0].words.iter().map(|w| w.parts[0].clone()).collect();
        assert_eq!(parts[1], Part::Var { name: "?".into(), quoted: false });
        assert_eq!(parts[2], Part::Var { name: "HOME".into(), quoted: false });
        assert!(matches!(&parts[3], Part::Subst { .. }));
    }

    #[test]
    fn tilde_only_at_the_start() {
        let script = parse("cd ~/x a~b").unwrap();
        let w = &script.items[0].1.commands[0].words;
        assert_eq!(w[1].parts[0], Part::Tilde);
        assert_eq!(w[2].parts, vec![Part::Literal("a~b".into())]);
    }
}
