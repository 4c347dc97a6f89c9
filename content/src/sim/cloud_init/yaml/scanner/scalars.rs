//! The scalar scanners of PyYAML's scanner: block scalars (`|`, `>`), quoted scalars and plain
//! scalars, with their folding rules and error texts.

use super::{BLANKZ, BREAK, BREAKZ, Result, Scanner, Tok, Token, char_repr, scanner_error};
use crate::sim::cloud_init::yaml::Mark;

impl Scanner<'_> {
    pub(super) fn scan_block_scalar(&mut self, folded: bool) -> Result<Token> {
        let mut chunks = String::new();
        let start = self.mark();
        self.forward(1);
        let (chomping, increment) = self.scan_block_scalar_indicators(start)?;
        // The rest of the indicator line: spaces and a comment.
        self.skip_spaces();
        self.skip_comment();
        if !BREAKZ.contains(self.peek()) {
            return Err(scanner_error(
                Some("while scanning a block scalar"),
                Some(start),
                format!("expected a comment or a line break, but found {}", char_repr(self.peek())),
                self.mark(),
            ));
        }
        self.scan_line_break();
        let min_indent = (self.indent + 1).max(1) as usize;
        let (mut breaks, mut end, indent);
        if let Some(increment) = increment {
            indent = min_indent + increment - 1;
            (breaks, end) = self.scan_block_scalar_breaks(indent);
        } else {
            let max_indent;
            (breaks, max_indent, end) = self.scan_block_scalar_indentation();
            indent = min_indent.max(max_indent);
        }
        let mut line_break = String::new();
        while self.column == indent && self.peek() != '\0' {
            chunks.extend(breaks.drain(..));
            let leading_non_space = !" \t".contains(self.peek());
            let mut length = 0;
            while !BREAKZ.contains(self.peek_at(length)) {
                length += 1;
            }
            chunks.push_str(&self.prefix(length));
            self.forward(length);
            line_break = self.scan_line_break();
            (breaks, end) = self.scan_block_scalar_breaks(indent);
            if self.column == indent && self.peek() != '\0' {
                if folded && line_break == "\n" && leading_non_space && !" \t".contains(self.peek()) {
                    if breaks.is_empty() {
                        chunks.push(' ');
                    }
                } else {
                    chunks.push_str(&line_break);
                }
            } else {
                break;
            }
        }
        if chomping != Some(false) {
            chunks.push_str(&line_break);
        }
        if chomping == Some(true) {
            chunks.extend(breaks.drain(..));
        }
        let style = if folded { '>' } else { '|' };
        Ok(Token { kind: Tok::Scalar { value: chunks, plain: false, style: Some(style) }, start, end })
    }

    fn scan_block_scalar_indicators(&mut self, start: Mark) -> Result<(Option<bool>, Option<usize>)> {
        let zero = |s: &Self| {
            scanner_error(
                Some("while scanning a block scalar"),
                Some(start),
                "expected indentation indicator in the range 1-9, but found 0".to_owned(),
                s.mark(),
            )
        };
        let mut chomping = None;
        let mut increment = None;
        let ch = self.peek();
        if ch == '+' || ch == '-' {
            chomping = Some(ch == '+');
            self.forward(1);
            if let Some(d) = self.peek().to_digit(10) {
                if d == 0 {
                    return Err(zero(self));
                }
                increment = Some(d as usize);
                self.forward(1);
            }
        } else if let Some(d) = ch.to_digit(10) {
            if d == 0 {
                return Err(zero(self));
            }
            increment = Some(d as usize);
            self.forward(1);
            let ch = self.peek();
            if ch == '+' || ch == '-' {
                chomping = Some(ch == '+');
                self.forward(1);
            }
        }
        if !"\0 \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) {
            return Err(scanner_error(
                Some("while scanning a block scalar"),
                Some(start),
                format!("expected chomping or indentation indicators, but found {}", char_repr(self.peek())),
                self.mark(),
            ));
        }
        Ok((chomping, increment))
    }

    fn scan_block_scalar_indentation(&mut self) -> (Vec<String>, usize, Mark) {
        let mut chunks = Vec::new();
        let mut max_indent = 0;
        let mut end = self.mark();
        while " \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) && self.peek() != '\0' {
            if self.peek() == ' ' {
                self.forward(1);
                max_indent = max_indent.max(self.column);
            } else {
                chunks.push(self.scan_line_break());
                end = self.mark();
            }
        }
        (chunks, max_indent, end)
    }

    fn scan_block_scalar_breaks(&mut self, indent: usize) -> (Vec<String>, Mark) {
        let mut chunks = Vec::new();
        let mut end = self.mark();
        while self.column < indent && self.peek() == ' ' {
            self.forward(1);
        }
        while BREAK.contains(self.peek()) && self.peek() != '\0' {
            chunks.push(self.scan_line_break());
            end = self.mark();
            while self.column < indent && self.peek() == ' ' {
                self.forward(1);
            }
        }
        (chunks, end)
    }

    pub(super) fn scan_flow_scalar(&mut self, double: bool) -> Result<Token> {
        let mut chunks = String::new();
        let start = self.mark();
        let quote = self.peek();
        self.forward(1);
        self.scan_flow_scalar_non_spaces(double, start, &mut chunks)?;
        while self.peek() != quote {
            self.scan_flow_scalar_spaces(double, start, &mut chunks)?;
            self.scan_flow_scalar_non_spaces(double, start, &mut chunks)?;
        }
        self.forward(1);
        let style = if double { '"' } else { '\'' };
        Ok(Token { kind: Tok::Scalar { value: chunks, plain: false, style: Some(style) }, start, end: self.mark() })
    }

    fn scan_flow_scalar_non_spaces(&mut self, double: bool, start: Mark, chunks: &mut String) -> Result<()> {
        loop {
            let mut length = 0;
            while !"'\"\\\0 \t\r\n\u{85}\u{2028}\u{2029}".contains(self.peek_at(length)) {
                length += 1;
            }
            if length > 0 {
                chunks.push_str(&self.prefix(length));
                self.forward(length);
            }
            let ch = self.peek();
            if !double && ch == '\'' && self.peek_at(1) == '\'' {
                chunks.push('\'');
                self.forward(2);
            } else if (double && ch == '\'') || (!double && (ch == '"' || ch == '\\')) {
                chunks.push(ch);
                self.forward(1);
            } else if double && ch == '\\' {
                self.forward(1);
                let ch = self.peek();
                if let Some(replacement) = escape_replacement(ch) {
                    chunks.push(replacement);
                    self.forward(1);
                } else if let Some(length) = match ch {
                    'x' => Some(2),
                    'u' => Some(4),
                    'U' => Some(8),
                    _ => None,
                } {
                    self.forward(1);
                    for k in 0..length {
                        if !self.peek_at(k).is_ascii_hexdigit() {
                            return Err(scanner_error(
                                Some("while scanning a double-quoted scalar"),
                                Some(start),
                                format!(
                                    "expected escape sequence of {length} hexadecimal numbers, but found {}",
                                    char_repr(self.peek_at(k))
                                ),
                                self.mark(),
                            ));
                        }
                    }
                    let code = u32::from_str_radix(&self.prefix(length), 16).unwrap_or(0);
                    match char::from_u32(code) {
                        Some(c) => chunks.push(c),
                        None => {
                            return Err(scanner_error(
                                Some("while scanning a double-quoted scalar"),
                                Some(start),
                                format!("chr() arg not in range(0x110000): {code:#x}"),
                                self.mark(),
                            ));
                        }
                    }
                    self.forward(length);
                } else if BREAK.contains(ch) && ch != '\0' {
                    self.scan_line_break();
                    self.scan_flow_scalar_breaks(start, chunks)?;
                } else {
                    return Err(scanner_error(
                        Some("while scanning a double-quoted scalar"),
                        Some(start),
                        format!("found unknown escape character {}", char_repr(ch)),
                        self.mark(),
                    ));
                }
            } else {
                return Ok(());
            }
        }
    }

    fn scan_flow_scalar_spaces(&mut self, _double: bool, start: Mark, chunks: &mut String) -> Result<()> {
        let mut length = 0;
        while " \t".contains(self.peek_at(length)) && self.peek_at(length) != '\0' {
            length += 1;
        }
        let whitespaces = self.prefix(length);
        self.forward(length);
        let ch = self.peek();
        if ch == '\0' {
            return Err(scanner_error(
                Some("while scanning a quoted scalar"),
                Some(start),
                "found unexpected end of stream".to_owned(),
                self.mark(),
            ));
        } else if BREAK.contains(ch) {
            let line_break = self.scan_line_break();
            let mut breaks = String::new();
            let found = self.scan_flow_scalar_breaks(start, &mut breaks)?;
            if line_break != "\n" {
                chunks.push_str(&line_break);
            } else if !found {
                chunks.push(' ');
            }
            chunks.push_str(&breaks);
        } else {
            chunks.push_str(&whitespaces);
        }
        Ok(())
    }

    /// Returns whether any break was found.
    fn scan_flow_scalar_breaks(&mut self, start: Mark, chunks: &mut String) -> Result<bool> {
        let mut found = false;
        loop {
            if self.at_separator() {
                return Err(scanner_error(
                    Some("while scanning a quoted scalar"),
                    Some(start),
                    "found unexpected document separator".to_owned(),
                    self.mark(),
                ));
            }
            while self.peek() == ' ' || self.peek() == '\t' {
                self.forward(1);
            }
            if BREAK.contains(self.peek()) && self.peek() != '\0' {
                chunks.push_str(&self.scan_line_break());
                found = true;
            } else {
                return Ok(found);
            }
        }
    }

    pub(super) fn scan_plain(&mut self) -> Token {
        let mut chunks = String::new();
        let start = self.mark();
        let mut end = start;
        let indent = self.indent + 1;
        let mut spaces: Option<String> = Some(String::new());
        loop {
            let mut length = 0;
            if self.peek() == '#' {
                break;
            }
            loop {
                let ch = self.peek_at(length);
                let next = self.peek_at(length + 1);
                if BLANKZ.contains(ch)
                    || (ch == ':' && (BLANKZ.contains(next) || (self.flow_level > 0 && ",[]{}".contains(next))))
                    || (self.flow_level > 0 && ",?[]{}".contains(ch))
                {
                    break;
                }
                length += 1;
            }
            if length == 0 {
                break;
            }
            self.allow_simple_key = false;
            if let Some(s) = spaces.take() {
                chunks.push_str(&s);
            }
            chunks.push_str(&self.prefix(length));
            self.forward(length);
            end = self.mark();
            spaces = self.scan_plain_spaces();
            match &spaces {
                None => break,
                Some(s) if s.is_empty() => break,
                Some(_) => {}
            }
            if self.peek() == '#' || (self.flow_level == 0 && (self.column as isize) < indent) {
                break;
            }
        }
        Token { kind: Tok::Scalar { value: chunks, plain: true, style: None }, start, end }
    }

    /// The spaces and line breaks after a piece of a plain scalar, folded; None at a document
    /// separator.
    fn scan_plain_spaces(&mut self) -> Option<String> {
        let mut chunks = String::new();
        let mut length = 0;
        while self.peek_at(length) == ' ' {
            length += 1;
        }
        let whitespaces = self.prefix(length);
        self.forward(length);
        let ch = self.peek();
        if BREAK.contains(ch) && ch != '\0' {
            let line_break = self.scan_line_break();
            self.allow_simple_key = true;
            if self.at_separator() {
                return None;
            }
            let mut breaks = String::new();
            let mut any_break = false;
            while " \r\n\u{85}\u{2028}\u{2029}".contains(self.peek()) && self.peek() != '\0' {
                if self.peek() == ' ' {
                    self.forward(1);
                } else {
                    breaks.push_str(&self.scan_line_break());
                    any_break = true;
                    if self.at_separator() {
                        return None;
                    }
                }
            }
            if line_break != "\n" {
                chunks.push_str(&line_break);
            } else if !any_break {
                chunks.push(' ');
            }
            chunks.push_str(&breaks);
        } else if !whitespaces.is_empty() {
            chunks.push_str(&whitespaces);
        }
        Some(chunks)
    }
}

fn escape_replacement(ch: char) -> Option<char> {
    Some(match ch {
        '0' => '\0',
        'a' => '\x07',
        'b' => '\x08',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\x0b',
        'f' => '\x0c',
        'r' => '\r',
        'e' => '\x1b',
        ' ' => ' ',
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        _ => return None,
    })
}
