//! PyYAML's scanner (`yaml/scanner.py` of PyYAML 6.0), token for token: the same tokens at the
//! same marks, the same simple-key rules, the same error texts. YAML crates for Rust
//! (yaml-rust2, saphyr-parser) follow YAML 1.2 and libyaml: they put some tokens at other
//! positions (a block mapping starts where its first key is, in PyYAML), accept tabs PyYAML
//! rejects, and word their errors differently, so cloud-init's messages could not be rebuilt
//! from them.

mod scalars;

use std::collections::{BTreeMap, VecDeque};

use super::{Mark, MarkedError};

/// The kind of a token; `id` gives PyYAML's name of it for error messages.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    StreamStart,
    StreamEnd,
    Directive {
        name: String,
        value: DirectiveValue,
    },
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowMappingStart,
    FlowSequenceEnd,
    FlowMappingEnd,
    Key,
    Value,
    BlockEntry,
    FlowEntry,
    Alias(String),
    Anchor(String),
    /// Handle (None for a verbatim `!<…>` tag) and suffix.
    Tag(Option<String>, String),
    Scalar {
        value: String,
        plain: bool,
        style: Option<char>,
    },
}

/// The value of a `%YAML` or `%TAG` directive.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum DirectiveValue {
    Yaml(u64, u64),
    Tag(String, String),
    Other,
}

impl Tok {
    /// PyYAML's `Token.id`.
    pub(super) fn id(&self) -> &'static str {
        match self {
            Tok::StreamStart => "<stream start>",
            Tok::StreamEnd => "<stream end>",
            Tok::Directive { .. } => "<directive>",
            Tok::DocumentStart => "<document start>",
            Tok::DocumentEnd => "<document end>",
            Tok::BlockSequenceStart => "<block sequence start>",
            Tok::BlockMappingStart => "<block mapping start>",
            Tok::BlockEnd => "<block end>",
            Tok::FlowSequenceStart => "[",
            Tok::FlowMappingStart => "{",
            Tok::FlowSequenceEnd => "]",
            Tok::FlowMappingEnd => "}",
            Tok::Key => "?",
            Tok::Value => ":",
            Tok::BlockEntry => "-",
            Tok::FlowEntry => ",",
            Tok::Alias(_) => "<alias>",
            Tok::Anchor(_) => "<anchor>",
            Tok::Tag(..) => "<tag>",
            Tok::Scalar { .. } => "<scalar>",
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub kind: Tok,
    pub start: Mark,
    pub end: Mark,
}

#[derive(Clone, Copy, Debug)]
struct SimpleKey {
    token_number: usize,
    required: bool,
    index: usize,
    line: usize,
    column: usize,
    mark: Mark,
}

type Result<T> = std::result::Result<T, MarkedError>;

const BREAKZ: &str = "\0\r\n\u{85}\u{2028}\u{2029}";
const BLANKZ: &str = "\0 \t\r\n\u{85}\u{2028}\u{2029}";
const BREAK: &str = "\r\n\u{85}\u{2028}\u{2029}";

fn is_word(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'
}

fn scanner_error(
    context: Option<&str>,
    context_mark: Option<Mark>,
    problem: String,
    problem_mark: Mark,
) -> MarkedError {
    MarkedError {
        context: context.map(str::to_owned),
        context_mark,
        problem: Some(problem),
        problem_mark: Some(problem_mark),
    }
}

/// Python's `%r` of one character, as PyYAML's messages print it.
fn char_repr(ch: char) -> String {
    crate::sim::cloud_init::pyrepr::str_repr(&ch.to_string())
}

/// The scanner: characters in, tokens out, on demand (errors surface in the order PyYAML's
/// lazy scanner raises them).
pub(super) struct Scanner<'a> {
    buf: &'a [char],
    pointer: usize,
    line: usize,
    column: usize,
    done: bool,
    flow_level: usize,
    tokens: VecDeque<Token>,
    tokens_taken: usize,
    indent: isize,
    indents: Vec<isize>,
    allow_simple_key: bool,
    possible_simple_keys: BTreeMap<usize, SimpleKey>,
}

impl<'a> Scanner<'a> {
    /// `buf` is the text followed by one `'\0'`, as PyYAML's reader holds it.
    pub(super) fn new(buf: &'a [char]) -> Self {
        let mut s = Self {
            buf,
            pointer: 0,
            line: 0,
            column: 0,
            done: false,
            flow_level: 0,
            tokens: VecDeque::new(),
            tokens_taken: 0,
            indent: -1,
            indents: Vec::new(),
            allow_simple_key: true,
            possible_simple_keys: BTreeMap::new(),
        };
        let mark = s.mark();
        s.tokens.push_back(Token { kind: Tok::StreamStart, start: mark, end: mark });
        s
    }

    // ----- reader -----

    fn peek_at(&self, k: usize) -> char {
        self.buf.get(self.pointer + k).copied().unwrap_or('\0')
    }

    fn peek(&self) -> char {
        self.peek_at(0)
    }

    /// Whether the text at the cursor starts with `text`.
    fn at(&self, text: &str) -> bool {
        text.chars().enumerate().all(|(k, c)| self.peek_at(k) == c)
    }

    /// A `---` or `...` line (a document separator) at the cursor.
    fn at_separator(&self) -> bool {
        (self.at("---") || self.at("...")) && BLANKZ.contains(self.peek_at(3))
    }

    fn prefix(&self, length: usize) -> String {
        let end = (self.pointer + length).min(self.buf.len());
        self.buf[self.pointer.min(end)..end].iter().collect()
    }

    fn forward(&mut self, length: usize) {
        for _ in 0..length {
            let Some(&ch) = self.buf.get(self.pointer) else { return };
            self.pointer += 1;
            if "\n\u{85}\u{2028}\u{2029}".contains(ch) || (ch == '\r' && self.peek() != '\n') {
                self.line += 1;
                self.column = 0;
            } else if ch != '\u{feff}' {
                self.column += 1;
            }
        }
    }

    fn mark(&self) -> Mark {
        Mark { index: self.pointer, line: self.line, column: self.column }
    }

    // ----- public interface -----

    fn ensure(&mut self) -> Result<()> {
        while self.need_more_tokens()? {
            self.fetch_more_tokens()?;
        }
        Ok(())
    }

    /// The next token, without taking it.
    pub(super) fn peek_token(&mut self) -> Result<Option<&Token>> {
        self.ensure()?;
        Ok(self.tokens.front())
    }

    /// Takes the next token.
    pub(super) fn get_token(&mut self) -> Result<Option<Token>> {
        self.ensure()?;
        let token = self.tokens.pop_front();
        if token.is_some() {
            self.tokens_taken += 1;
        }
        Ok(token)
    }

    fn need_more_tokens(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        if self.tokens.is_empty() {
            return Ok(true);
        }
        self.stale_possible_simple_keys()?;
        Ok(self.next_possible_simple_key() == Some(self.tokens_taken))
    }

    fn fetch_more_tokens(&mut self) -> Result<()> {
        self.scan_to_next_token();
        self.stale_possible_simple_keys()?;
        self.unwind_indent(self.column as isize);
        let ch = self.peek();
        let blank_after = |s: &Self, k: usize| BLANKZ.contains(s.peek_at(k));
        match ch {
            '\0' => return self.fetch_stream_end(),
            '%' if self.column == 0 => return self.fetch_directive(),
            '-' if self.check_document_indicator("---") => return self.fetch_document_indicator(Tok::DocumentStart),
            '.' if self.check_document_indicator("...") => return self.fetch_document_indicator(Tok::DocumentEnd),
            '[' => return self.fetch_flow_collection_start(Tok::FlowSequenceStart),
            '{' => return self.fetch_flow_collection_start(Tok::FlowMappingStart),
            ']' => return self.fetch_flow_collection_end(Tok::FlowSequenceEnd),
            '}' => return self.fetch_flow_collection_end(Tok::FlowMappingEnd),
            ',' => return self.fetch_flow_entry(),
            '-' if blank_after(self, 1) => return self.fetch_block_entry(),
            '?' if self.flow_level > 0 || blank_after(self, 1) => return self.fetch_key(),
            ':' if self.flow_level > 0 || blank_after(self, 1) => return self.fetch_value(),
            '*' => {
                self.save_possible_simple_key()?;
                self.allow_simple_key = false;
                let token = self.scan_anchor(true)?;
                self.tokens.push_back(token);
                return Ok(());
            }
            '&' => {
                self.save_possible_simple_key()?;
                self.allow_simple_key = false;
                let token = self.scan_anchor(false)?;
                self.tokens.push_back(token);
                return Ok(());
            }
            '!' => {
                self.save_possible_simple_key()?;
                self.allow_simple_key = false;
                let token = self.scan_tag()?;
                self.tokens.push_back(token);
                return Ok(());
            }
            '|' | '>' if self.flow_level == 0 => {
                self.allow_simple_key = true;
                self.remove_possible_simple_key()?;
                let token = self.scan_block_scalar(ch == '>')?;
                self.tokens.push_back(token);
                return Ok(());
            }
            '\'' | '"' => {
                self.save_possible_simple_key()?;
                self.allow_simple_key = false;
                let token = self.scan_flow_scalar(ch == '"')?;
                self.tokens.push_back(token);
                return Ok(());
            }
            _ => {}
        }
        if self.check_plain() {
            self.save_possible_simple_key()?;
            self.allow_simple_key = false;
            let token = self.scan_plain();
            self.tokens.push_back(token);
            return Ok(());
        }
        Err(scanner_error(
            Some("while scanning for the next token"),
            None,
            format!("found character {} that cannot start any token", char_repr(ch)),
            self.mark(),
        ))
    }

    // ----- simple keys -----

    fn next_possible_simple_key(&self) -> Option<usize> {
        self.possible_simple_keys.values().map(|k| k.token_number).min()
    }

    fn stale_possible_simple_keys(&mut self) -> Result<()> {
        let (line, pointer) = (self.line, self.pointer);
        let stale = |key: &SimpleKey| key.line != line || pointer - key.index > 1024;
        // Only a block-context key (level 0) can be required.
        if let Some(key) = self.possible_simple_keys.values().find(|k| stale(k) && k.required) {
            return Err(scanner_error(
                Some("while scanning a simple key"),
                Some(key.mark),
                "could not find expected ':'".to_owned(),
                self.mark(),
            ));
        }
        self.possible_simple_keys.retain(|_, k| !stale(k));
        Ok(())
    }

    fn save_possible_simple_key(&mut self) -> Result<()> {
        let required = self.flow_level == 0 && self.indent == self.column as isize;
        if self.allow_simple_key {
            self.remove_possible_simple_key()?;
            let key = SimpleKey {
                token_number: self.tokens_taken + self.tokens.len(),
                required,
                index: self.pointer,
                line: self.line,
                column: self.column,
                mark: self.mark(),
            };
            self.possible_simple_keys.insert(self.flow_level, key);
        }
        Ok(())
    }

    fn remove_possible_simple_key(&mut self) -> Result<()> {
        if let Some(key) = self.possible_simple_keys.remove(&self.flow_level)
            && key.required
        {
            return Err(scanner_error(
                Some("while scanning a simple key"),
                Some(key.mark),
                "could not find expected ':'".to_owned(),
                self.mark(),
            ));
        }
        Ok(())
    }

    // ----- indentation -----

    fn unwind_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let mark = self.mark();
            self.indent = self.indents.pop().unwrap_or(-1);
            self.tokens.push_back(Token { kind: Tok::BlockEnd, start: mark, end: mark });
        }
    }

    fn add_indent(&mut self, column: usize) -> bool {
        if self.indent < column as isize {
            self.indents.push(self.indent);
            self.indent = column as isize;
            return true;
        }
        false
    }

    // ----- fetchers -----

    fn push_simple(&mut self, kind: Tok, width: usize) {
        let start = self.mark();
        self.forward(width);
        let end = self.mark();
        self.tokens.push_back(Token { kind, start, end });
    }

    fn fetch_stream_end(&mut self) -> Result<()> {
        self.unwind_indent(-1);
        self.remove_possible_simple_key()?;
        self.allow_simple_key = false;
        self.possible_simple_keys.clear();
        let mark = self.mark();
        self.tokens.push_back(Token { kind: Tok::StreamEnd, start: mark, end: mark });
        self.done = true;
        Ok(())
    }

    fn fetch_directive(&mut self) -> Result<()> {
        self.unwind_indent(-1);
        self.remove_possible_simple_key()?;
        self.allow_simple_key = false;
        let token = self.scan_directive()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn check_document_indicator(&self, text: &str) -> bool {
        self.column == 0 && self.at(text) && BLANKZ.contains(self.peek_at(3))
    }

    fn fetch_document_indicator(&mut self, kind: Tok) -> Result<()> {
        self.unwind_indent(-1);
        self.remove_possible_simple_key()?;
        self.allow_simple_key = false;
        self.push_simple(kind, 3);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: Tok) -> Result<()> {
        self.save_possible_simple_key()?;
        self.flow_level += 1;
        self.allow_simple_key = true;
        self.push_simple(kind, 1);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: Tok) -> Result<()> {
        self.remove_possible_simple_key()?;
        self.flow_level = self.flow_level.saturating_sub(1);
        self.allow_simple_key = false;
        self.push_simple(kind, 1);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Result<()> {
        self.allow_simple_key = true;
        self.remove_possible_simple_key()?;
        self.push_simple(Tok::FlowEntry, 1);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.allow_simple_key {
                return Err(MarkedError::problem("sequence entries are not allowed here", self.mark()));
            }
            if self.add_indent(self.column) {
                let mark = self.mark();
                self.tokens.push_back(Token { kind: Tok::BlockSequenceStart, start: mark, end: mark });
            }
        }
        self.allow_simple_key = true;
        self.remove_possible_simple_key()?;
        self.push_simple(Tok::BlockEntry, 1);
        Ok(())
    }

    fn fetch_key(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.allow_simple_key {
                return Err(MarkedError::problem("mapping keys are not allowed here", self.mark()));
            }
            if self.add_indent(self.column) {
                let mark = self.mark();
                self.tokens.push_back(Token { kind: Tok::BlockMappingStart, start: mark, end: mark });
            }
        }
        self.allow_simple_key = self.flow_level == 0;
        self.remove_possible_simple_key()?;
        self.push_simple(Tok::Key, 1);
        Ok(())
    }

    fn fetch_value(&mut self) -> Result<()> {
        if let Some(key) = self.possible_simple_keys.remove(&self.flow_level) {
            let at = key.token_number - self.tokens_taken;
            self.tokens.insert(at, Token { kind: Tok::Key, start: key.mark, end: key.mark });
            if self.flow_level == 0 && self.add_indent(key.column) {
                self.tokens.insert(at, Token { kind: Tok::BlockMappingStart, start: key.mark, end: key.mark });
            }
            self.allow_simple_key = false;
        } else {
            if self.flow_level == 0 {
                if !self.allow_simple_key {
                    return Err(MarkedError::problem("mapping values are not allowed here", self.mark()));
                }
                if self.add_indent(self.column) {
                    let mark = self.mark();
                    self.tokens.push_back(Token { kind: Tok::BlockMappingStart, start: mark, end: mark });
                }
            }
            self.allow_simple_key = self.flow_level == 0;
            self.remove_possible_simple_key()?;
        }
        self.push_simple(Tok::Value, 1);
        Ok(())
    }

    fn check_plain(&self) -> bool {
        let ch = self.peek();
        !"\0 \t\r\n\u{85}\u{2028}\u{2029}-?:,[]{}#&*!|>'\"%@`".contains(ch)
            || (!BLANKZ.contains(self.peek_at(1)) && (ch == '-' || (self.flow_level == 0 && "?:".contains(ch))))
    }

    // ----- scanners -----

    fn scan_line_break(&mut self) -> String {
        let ch = self.peek();
        if "\r\n\u{85}".contains(ch) {
            if self.at("\r\n") {
                self.forward(2);
            } else {
                self.forward(1);
            }
            "\n".to_owned()
        } else if "\u{2028}\u{2029}".contains(ch) {
            self.forward(1);
            ch.to_string()
        } else {
            String::new()
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == '#' {
            while !BREAKZ.contains(self.peek()) {
                self.forward(1);
            }
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek() == ' ' {
            self.forward(1);
        }
    }

    fn scan_to_next_token(&mut self) {
        if self.pointer == 0 && self.peek() == '\u{feff}' {
            self.forward(1);
        }
        loop {
            self.skip_spaces();
            self.skip_comment();
            if self.scan_line_break().is_empty() {
                return;
            }
            if self.flow_level == 0 {
                self.allow_simple_key = true;
            }
        }
    }

    fn scan_directive(&mut self) -> Result<Token> {
        let start = self.mark();
        self.forward(1);
        let name = self.scan_directive_name(start)?;
        let value = match name.as_str() {
            "YAML" => {
                self.skip_spaces();
                let major = self.scan_yaml_directive_number(start)?;
                if self.peek() != '.' {
                    return Err(scanner_error(
                        Some("while scanning a directive"),
                        Some(start),
                        format!("expected a digit or '.', but found {}", char_repr(self.peek())),
                        self.mark(),
                    ));
                }
                self.forward(1);
                let minor = self.scan_yaml_directive_number(start)?;
                if !"\0 \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) {
                    return Err(scanner_error(
                        Some("while scanning a directive"),
                        Some(start),
                        format!("expected a digit or ' ', but found {}", char_repr(self.peek())),
                        self.mark(),
                    ));
                }
                DirectiveValue::Yaml(major, minor)
            }
            "TAG" => {
                self.skip_spaces();
                let handle = self.scan_tag_handle("directive", start)?;
                if self.peek() != ' ' {
                    return Err(scanner_error(
                        Some("while scanning a directive"),
                        Some(start),
                        format!("expected ' ', but found {}", char_repr(self.peek())),
                        self.mark(),
                    ));
                }
                self.skip_spaces();
                let prefix = self.scan_tag_uri("directive", start)?;
                if !"\0 \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) {
                    return Err(scanner_error(
                        Some("while scanning a directive"),
                        Some(start),
                        format!("expected ' ', but found {}", char_repr(self.peek())),
                        self.mark(),
                    ));
                }
                DirectiveValue::Tag(handle, prefix)
            }
            _ => {
                while !BREAKZ.contains(self.peek()) {
                    self.forward(1);
                }
                DirectiveValue::Other
            }
        };
        let end = self.mark();
        self.skip_spaces();
        self.skip_comment();
        if !BREAKZ.contains(self.peek()) {
            return Err(scanner_error(
                Some("while scanning a directive"),
                Some(start),
                format!("expected a comment or a line break, but found {}", char_repr(self.peek())),
                self.mark(),
            ));
        }
        self.scan_line_break();
        Ok(Token { kind: Tok::Directive { name, value }, start, end })
    }

    fn scan_directive_name(&mut self, start: Mark) -> Result<String> {
        let mut length = 0;
        while is_word(self.peek_at(length)) {
            length += 1;
        }
        let err = |s: &Self, ch: char| {
            scanner_error(
                Some("while scanning a directive"),
                Some(start),
                format!("expected alphabetic or numeric character, but found {}", char_repr(ch)),
                s.mark(),
            )
        };
        if length == 0 {
            return Err(err(self, self.peek_at(length)));
        }
        let value = self.prefix(length);
        self.forward(length);
        if !"\0 \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) {
            return Err(err(self, self.peek()));
        }
        Ok(value)
    }

    fn scan_yaml_directive_number(&mut self, start: Mark) -> Result<u64> {
        let ch = self.peek();
        if !ch.is_ascii_digit() {
            return Err(scanner_error(
                Some("while scanning a directive"),
                Some(start),
                format!("expected a digit, but found {}", char_repr(ch)),
                self.mark(),
            ));
        }
        let mut length = 0;
        while self.peek_at(length).is_ascii_digit() {
            length += 1;
        }
        let value = self.prefix(length).parse().unwrap_or(u64::MAX);
        self.forward(length);
        Ok(value)
    }

    fn scan_anchor(&mut self, alias: bool) -> Result<Token> {
        let start = self.mark();
        let name = if alias { "alias" } else { "anchor" };
        self.forward(1);
        let mut length = 0;
        while is_word(self.peek_at(length)) {
            length += 1;
        }
        let err = |s: &Self, ch: char| {
            scanner_error(
                Some(&format!("while scanning an {name}")),
                Some(start),
                format!("expected alphabetic or numeric character, but found {}", char_repr(ch)),
                s.mark(),
            )
        };
        if length == 0 {
            return Err(err(self, self.peek()));
        }
        let value = self.prefix(length);
        self.forward(length);
        if !"\0 \t\r\n\u{85}\u{2028}\u{2029}?:,]}%@`".contains(self.peek()) {
            return Err(err(self, self.peek()));
        }
        let kind = if alias { Tok::Alias(value) } else { Tok::Anchor(value) };
        Ok(Token { kind, start, end: self.mark() })
    }

    fn scan_tag(&mut self) -> Result<Token> {
        let start = self.mark();
        let mut ch = self.peek_at(1);
        let (handle, suffix);
        if ch == '<' {
            handle = None;
            self.forward(2);
            suffix = self.scan_tag_uri("tag", start)?;
            if self.peek() != '>' {
                return Err(scanner_error(
                    Some("while parsing a tag"),
                    Some(start),
                    format!("expected '>', but found {}", char_repr(self.peek())),
                    self.mark(),
                ));
            }
            self.forward(1);
        } else if BLANKZ.contains(ch) {
            handle = None;
            suffix = "!".to_owned();
            self.forward(1);
        } else {
            let mut length = 1;
            let mut use_handle = false;
            while !"\0 \r\n\u{85}\u{2028}\u{2029}".contains(ch) {
                if ch == '!' {
                    use_handle = true;
                    break;
                }
                length += 1;
                ch = self.peek_at(length);
            }
            if use_handle {
                handle = Some(self.scan_tag_handle("tag", start)?);
            } else {
                handle = Some("!".to_owned());
                self.forward(1);
            }
            suffix = self.scan_tag_uri("tag", start)?;
        }
        if !"\0 \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) {
            return Err(scanner_error(
                Some("while scanning a tag"),
                Some(start),
                format!("expected ' ', but found {}", char_repr(self.peek())),
                self.mark(),
            ));
        }
        Ok(Token { kind: Tok::Tag(handle, suffix), start, end: self.mark() })
    }

    fn scan_tag_handle(&mut self, name: &str, start: Mark) -> Result<String> {
        let ch = self.peek();
        let err = |s: &Self, ch: char| {
            scanner_error(
                Some(&format!("while scanning a {name}")),
                Some(start),
                format!("expected '!', but found {}", char_repr(ch)),
                s.mark(),
            )
        };
        if ch != '!' {
            return Err(err(self, ch));
        }
        let mut length = 1;
        let mut ch = self.peek_at(length);
        if ch != ' ' {
            while is_word(ch) {
                length += 1;
                ch = self.peek_at(length);
            }
            if ch != '!' {
                self.forward(length);
                return Err(err(self, ch));
            }
            length += 1;
        }
        let value = self.prefix(length);
        self.forward(length);
        Ok(value)
    }

    fn scan_tag_uri(&mut self, name: &str, start: Mark) -> Result<String> {
        let mut chunks = String::new();
        let mut length = 0;
        let mut ch = self.peek_at(length);
        while ch.is_ascii_alphanumeric() || "-;/?:@&=+$,_.!~*'()[]%".contains(ch) {
            if ch == '%' {
                chunks.push_str(&self.prefix(length));
                self.forward(length);
                length = 0;
                chunks.push_str(&self.scan_uri_escapes(name, start)?);
            } else {
                length += 1;
            }
            ch = self.peek_at(length);
        }
        if length > 0 {
            chunks.push_str(&self.prefix(length));
            self.forward(length);
        }
        if chunks.is_empty() {
            return Err(scanner_error(
                Some(&format!("while parsing a {name}")),
                Some(start),
                format!("expected URI, but found {}", char_repr(ch)),
                self.mark(),
            ));
        }
        Ok(chunks)
    }

    fn scan_uri_escapes(&mut self, name: &str, start: Mark) -> Result<String> {
        let mut codes = Vec::new();
        let mark = self.mark();
        while self.peek() == '%' {
            self.forward(1);
            for k in 0..2 {
                if !self.peek_at(k).is_ascii_hexdigit() {
                    return Err(scanner_error(
                        Some(&format!("while scanning a {name}")),
                        Some(start),
                        format!(
                            "expected URI escape sequence of 2 hexadecimal numbers, but found {}",
                            char_repr(self.peek_at(k))
                        ),
                        self.mark(),
                    ));
                }
            }
            codes.push(u8::from_str_radix(&self.prefix(2), 16).unwrap_or(0));
            self.forward(2);
        }
        String::from_utf8(codes).map_err(|_| {
            scanner_error(
                Some(&format!("while scanning a {name}")),
                Some(start),
                "'utf-8' codec can't decode bytes: invalid utf-8".to_owned(),
                mark,
            )
        })
    }
}
