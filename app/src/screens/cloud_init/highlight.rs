//! YAML syntax colouring for the user-data editor: a line scanner that splits a text into
//! coloured parts (keys, strings, numbers and booleans as PyYAML's YAML 1.1 types them,
//! comments, list dashes, block scalars, the `#cloud-config` header), and the theme's colours
//! for them, each kept readable against the editor's background.
//!
//! The scanner only colours; it never decides validity (that is `cloud-init schema`'s job in
//! `guestlab_content::sim::cloud_init::schema`), so on broken YAML it still covers every byte.

use std::ops::Range;

use egui::Color32;

/// What a part of the text is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Spaces, and anything without a colour of its own.
    Plain,
    /// `#cloud-config` on the first line.
    Header,
    Comment,
    /// A mapping key (`packages` in `packages:`).
    Key,
    /// `:`, `,`, `[`, `]`, `{`, `}`, `|`, `>` and block indicators.
    Punct,
    /// The `-` of a list item.
    Dash,
    /// A quoted or plain string value.
    Str,
    /// An integer or float as YAML 1.1 reads it (`0644` is octal 420).
    Number,
    /// `true`/`yes`/`on`/`off`/`null`/`~` and friends.
    Constant,
    /// The lines of a `|` or `>` block scalar.
    Block,
    /// `&anchor`, `*alias`, `!tag`, `---`, `...`.
    Meta,
}

/// Splits YAML text into coloured parts covering every byte, in order.
pub fn parts(text: &str) -> Vec<(Part, Range<usize>)> {
    let mut out: Vec<(Part, Range<usize>)> = Vec::new();
    // The indentation of the line that opened a block scalar; its content is every following
    // line that is blank or indented deeper.
    let mut block: Option<usize> = None;
    let mut start = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(parent) = block {
            if body.trim().is_empty() || indent > parent {
                push(&mut out, Part::Block, start..start + line.len());
                start += line.len();
                continue;
            }
            block = None;
        }
        let mut scanner = LineScanner { line: body, base: start, out: &mut out, block_opened: false };
        if index == 0 && body.starts_with("#cloud-config") {
            scanner.emit(Part::Header, 0..body.len());
        } else {
            scanner.scan();
        }
        if scanner.block_opened {
            block = Some(indent);
        }
        // The line break (and anything the scanner left) is plain.
        let covered = out.last().map_or(start, |(_, r)| r.end);
        if covered < start + line.len() {
            push(&mut out, Part::Plain, covered..start + line.len());
        }
        start += line.len();
    }
    out
}

/// Appends a part, merging it with the previous one of the same kind.
fn push(out: &mut Vec<(Part, Range<usize>)>, part: Part, range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    match out.last_mut() {
        Some((p, r)) if *p == part && r.end == range.start => r.end = range.end,
        _ => out.push((part, range)),
    }
}

struct LineScanner<'a> {
    line: &'a str,
    /// Byte offset of the line in the text.
    base: usize,
    out: &'a mut Vec<(Part, Range<usize>)>,
    block_opened: bool,
}

impl LineScanner<'_> {
    /// Emits a part given in line offsets; anything skipped since the last part is plain.
    fn emit(&mut self, part: Part, range: Range<usize>) {
        let covered = self.out.last().map_or(0, |(_, r)| r.end).max(self.base);
        let from = self.base + range.start;
        if covered < from {
            push(self.out, Part::Plain, covered..from);
        }
        push(self.out, part, from..self.base + range.end);
    }

    fn bytes(&self) -> &[u8] {
        self.line.as_bytes()
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while i < self.line.len() && matches!(self.bytes()[i], b' ' | b'\t') {
            i += 1;
        }
        i
    }

    /// A comment starts at `#` at the line start or after a space.
    fn is_comment_start(&self, i: usize) -> bool {
        self.bytes().get(i) == Some(&b'#') && (i == 0 || matches!(self.bytes()[i - 1], b' ' | b'\t'))
    }

    fn scan(&mut self) {
        let line = self.line;
        let b = line.as_bytes();
        let mut i = self.skip_spaces(0);
        if i == 0 && (line.starts_with("---") || line.starts_with("...")) && matches!(b.get(3), None | Some(b' ')) {
            self.emit(Part::Meta, 0..3);
            i = self.skip_spaces(3);
        }
        // List dashes, possibly several (`- - a`).
        while b.get(i) == Some(&b'-') && matches!(b.get(i + 1), None | Some(b' ' | b'\t')) {
            self.emit(Part::Dash, i..i + 1);
            i = self.skip_spaces(i + 1);
        }
        if i >= self.line.len() {
            return;
        }
        if self.is_comment_start(i) {
            self.emit(Part::Comment, i..self.line.len());
            return;
        }
        // A key (`key:` followed by a space or the end), then its value.
        if let Some(colon) = self.key_end(i) {
            self.emit(Part::Key, i..colon);
            self.emit(Part::Punct, colon..colon + 1);
            i = self.skip_spaces(colon + 1);
        }
        self.value(i);
    }

    /// Where the `:` ending a key that starts at `i` is, if the text there is a key.
    fn key_end(&self, i: usize) -> Option<usize> {
        let b = self.bytes();
        let after_colon_ok = |j: usize| matches!(b.get(j + 1), None | Some(b' ' | b'\t'));
        match b[i] {
            q @ (b'"' | b'\'') => {
                let end = self.quoted_end(i, q)?;
                let j = self.skip_spaces(end);
                (b.get(j) == Some(&b':') && after_colon_ok(j)).then_some(j)
            }
            b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' => None,
            _ => {
                let mut j = i;
                while j < b.len() {
                    if self.is_comment_start(j) {
                        return None;
                    }
                    if b[j] == b':' && after_colon_ok(j) {
                        // A key never ends in spaces.
                        let key_end = self.line[..j].trim_end_matches([' ', '\t']).len();
                        return (key_end > i).then_some(key_end).map(|_| j);
                    }
                    j += 1;
                }
                None
            }
        }
    }

    /// The offset just past a quoted scalar starting at `i`, if it closes on this line.
    fn quoted_end(&self, i: usize, quote: u8) -> Option<usize> {
        let b = self.bytes();
        let mut j = i + 1;
        while j < b.len() {
            if b[j] == quote {
                if quote == b'\'' && b.get(j + 1) == Some(&b'\'') {
                    j += 2;
                    continue;
                }
                return Some(j + 1);
            }
            if quote == b'"' && b[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        None
    }

    fn value(&mut self, mut i: usize) {
        let line = self.line;
        let len = line.len();
        let b = line.as_bytes();
        // Properties before the value.
        while i < len && matches!(b[i], b'&' | b'*' | b'!') {
            let end = line[i..].find([' ', '\t']).map_or(len, |e| i + e);
            self.emit(Part::Meta, i..end);
            i = self.skip_spaces(end);
        }
        if i >= len {
            return;
        }
        if self.is_comment_start(i) {
            self.emit(Part::Comment, i..len);
            return;
        }
        match b[i] {
            b'|' | b'>' => {
                let mut j = i + 1;
                while j < len && (b[j] == b'+' || b[j] == b'-' || b[j].is_ascii_digit()) {
                    j += 1;
                }
                let k = self.skip_spaces(j);
                if k >= len || self.is_comment_start(k) {
                    self.emit(Part::Punct, i..j);
                    if k < len {
                        self.emit(Part::Comment, k..len);
                    }
                    self.block_opened = true;
                } else {
                    self.plain(i, len);
                }
            }
            b'"' | b'\'' => {
                let end = self.quoted_end(i, b[i]).unwrap_or(len);
                self.emit(Part::Str, i..end);
                self.rest(end);
            }
            b'[' | b'{' => self.flow(i),
            _ => {
                // A plain scalar runs to a comment or the end of the line.
                let mut end = len;
                let mut j = i;
                while j < len {
                    if self.is_comment_start(j) {
                        end = j;
                        break;
                    }
                    j += 1;
                }
                self.plain(i, end);
                self.rest(end);
            }
        }
    }

    /// Whatever follows a value: a comment, else plain text.
    fn rest(&mut self, from: usize) {
        let i = self.skip_spaces(from);
        if i < self.line.len() && self.is_comment_start(i) {
            self.emit(Part::Comment, i..self.line.len());
        }
    }

    /// A plain scalar, typed as YAML 1.1 types it.
    fn plain(&mut self, from: usize, to: usize) {
        let trimmed = self.line[from..to].trim_end_matches([' ', '\t']);
        if trimmed.is_empty() {
            return;
        }
        self.emit(scalar_part(trimmed), from..from + trimmed.len());
    }

    /// A flow collection (`[a, b]`, `{k: v}`), possibly left open at the line's end.
    fn flow(&mut self, mut i: usize) {
        let line = self.line;
        let b = line.as_bytes();
        let len = line.len();
        while i < len {
            let c = b[i];
            match c {
                b'[' | b']' | b'{' | b'}' | b',' | b':' => {
                    self.emit(Part::Punct, i..i + 1);
                    i += 1;
                }
                b' ' | b'\t' => i += 1,
                b'"' | b'\'' => {
                    let end = self.quoted_end(i, c).unwrap_or(len);
                    self.emit(Part::Str, i..end);
                    i = end;
                }
                b'#' if self.is_comment_start(i) => {
                    self.emit(Part::Comment, i..len);
                    return;
                }
                _ => {
                    let mut j = i;
                    while j < len && !matches!(b[j], b',' | b']' | b'}' | b'[' | b'{') {
                        if b[j] == b':' && matches!(b.get(j + 1), None | Some(b' ' | b',')) {
                            break;
                        }
                        if self.is_comment_start(j) {
                            break;
                        }
                        j += 1;
                    }
                    let word = line[i..j].trim_end();
                    // A key inside `{…}` is followed by a colon.
                    let next = self.skip_spaces(i + word.len());
                    let part = if b.get(next) == Some(&b':') { Part::Key } else { scalar_part(word) };
                    self.emit(part, i..i + word.len());
                    i = j.max(i + 1);
                }
            }
        }
    }
}

/// The part of a plain scalar: PyYAML's implicit resolvers for booleans, null, ints and floats.
pub fn scalar_part(s: &str) -> Part {
    const CONSTANTS: [&str; 23] = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
        "off", "Off", "OFF", "null", "Null", "NULL", "~", "",
    ];
    if CONSTANTS.contains(&s) {
        return Part::Constant;
    }
    if is_int(s) || is_float(s) { Part::Number } else { Part::Str }
}

fn digits(s: &str, ok: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(|c| ok(c) || c == '_') && s.chars().any(ok)
}

/// YAML 1.1 ints: `0b…`, `0x…`, octal `0…`, decimal, sexagesimal `1:30`.
fn is_int(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(rest) = s.strip_prefix("0b") {
        return digits(rest, |c| c == '0' || c == '1');
    }
    if let Some(rest) = s.strip_prefix("0x") {
        return digits(rest, |c| c.is_ascii_hexdigit());
    }
    if s == "0" {
        return true;
    }
    if let Some(rest) = s.strip_prefix('0') {
        return digits(rest, |c| ('0'..='7').contains(&c));
    }
    if s.starts_with(|c: char| ('1'..='9').contains(&c)) {
        let mut groups = s.split(':');
        let first = groups.next().unwrap_or_default();
        return digits(first, |c| c.is_ascii_digit())
            && groups.all(|g| g.len() <= 2 && g.chars().all(|c| c.is_ascii_digit()) && !g.is_empty());
    }
    false
}

/// YAML 1.1 floats need a dot (`1e3` is a string); `.inf`, `.nan`, sexagesimal floats.
fn is_float(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let Some((int, frac)) = unsigned.split_once('.') else { return false };
    let int_ok = int.is_empty() || digits(int, |c| c.is_ascii_digit()) || int.contains(':');
    let (mantissa, exponent) = match frac.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (frac, None),
    };
    let frac_ok = mantissa.chars().all(|c| c.is_ascii_digit() || c == '_');
    let exp_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    int_ok
        && frac_ok
        && exp_ok
        && (int.chars().any(|c| c.is_ascii_digit()) || mantissa.chars().any(|c| c.is_ascii_digit()))
}

/// The colours of the parts (and of problems) in the current theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub plain: Color32,
    pub header: Color32,
    pub comment: Color32,
    pub key: Color32,
    pub punct: Color32,
    pub string: Color32,
    pub number: Color32,
    pub constant: Color32,
    pub meta: Color32,
    pub error: Color32,
    pub warning: Color32,
    pub background: Color32,
}

/// WCAG's relative luminance of an sRGB colour.
fn luminance(c: Color32) -> f32 {
    let channel = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.040_45 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// WCAG's contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The colour, moved towards `text` until it reads against `bg` at WCAG AA (4.5:1).
fn readable(color: Color32, text: Color32, bg: Color32) -> Color32 {
    (0..=10u8)
        .map(|step| color.lerp_to_gamma(text, f32::from(step) / 10.0))
        .find(|c| contrast(*c, bg) >= 4.5)
        .unwrap_or(text)
}

impl Palette {
    /// Colours for the theme: a light or dark set of hues, each made readable on the editor's
    /// background, so that a high-contrast theme gets high-contrast colours.
    pub fn new(visuals: &egui::Visuals) -> Self {
        let bg = visuals.text_edit_bg_color();
        let text = visuals.text_color();
        let rgb = Color32::from_rgb;
        let (header, comment, key, punct, string, number, constant, meta) = if visuals.dark_mode {
            (
                rgb(220, 150, 255),
                rgb(135, 160, 125),
                rgb(110, 175, 255),
                rgb(170, 170, 180),
                rgb(150, 215, 130),
                rgb(240, 170, 100),
                rgb(235, 130, 160),
                rgb(200, 180, 110),
            )
        } else {
            (
                rgb(135, 40, 170),
                rgb(100, 110, 95),
                rgb(20, 80, 180),
                rgb(95, 95, 105),
                rgb(25, 115, 45),
                rgb(170, 80, 0),
                rgb(175, 30, 90),
                rgb(125, 100, 20),
            )
        };
        let r = |c| readable(c, text, bg);
        Self {
            plain: text,
            header: r(header),
            comment: r(comment),
            key: r(key),
            punct: r(punct),
            string: r(string),
            number: r(number),
            constant: r(constant),
            meta: r(meta),
            error: r(visuals.error_fg_color),
            warning: r(visuals.warn_fg_color),
            background: bg,
        }
    }

    pub fn color(&self, part: Part) -> Color32 {
        match part {
            Part::Plain => self.plain,
            Part::Header => self.header,
            Part::Comment => self.comment,
            Part::Key => self.key,
            Part::Punct | Part::Dash => self.punct,
            Part::Str | Part::Block => self.string,
            Part::Number => self.number,
            Part::Constant => self.constant,
            Part::Meta => self.meta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Part::*;

    fn parts_of(text: &str) -> Vec<(Part, &str)> {
        parts(text).into_iter().map(|(p, r)| (p, &text[r])).collect()
    }

    #[test]
    fn a_cloud_config_is_split_into_its_parts() {
        let text = "#cloud-config\n# users\nusers:\n  - name: alice # admin\n    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n    lock_passwd: true\npackages: [nginx, 'curl']\n";
        assert_eq!(
            parts_of(text),
            [
                (Header, "#cloud-config"),
                (Plain, "\n"),
                (Comment, "# users"),
                (Plain, "\n"),
                (Key, "users"),
                (Punct, ":"),
                (Plain, "\n  "),
                (Dash, "-"),
                (Plain, " "),
                (Key, "name"),
                (Punct, ":"),
                (Plain, " "),
                (Str, "alice"),
                (Plain, " "),
                (Comment, "# admin"),
                (Plain, "\n    "),
                (Key, "sudo"),
                (Punct, ":"),
                (Plain, " "),
                (Str, "\"ALL=(ALL) NOPASSWD:ALL\""),
                (Plain, "\n    "),
                (Key, "lock_passwd"),
                (Punct, ":"),
                (Plain, " "),
                (Constant, "true"),
                (Plain, "\n"),
                (Key, "packages"),
                (Punct, ":"),
                (Plain, " "),
                (Punct, "["),
                (Str, "nginx"),
                (Punct, ","),
                (Plain, " "),
                (Str, "'curl'"),
                (Punct, "]"),
                (Plain, "\n"),
            ]
        );
    }

    #[test]
    fn block_scalars_run_while_the_lines_are_indented_deeper() {
        let text = "write_files:\n  - path: /a\n    content: |\n      key: not a key\n\n      # not a comment\n    owner: root\n";
        assert_eq!(
            parts_of(text),
            [
                (Key, "write_files"),
                (Punct, ":"),
                (Plain, "\n  "),
                (Dash, "-"),
                (Plain, " "),
                (Key, "path"),
                (Punct, ":"),
                (Plain, " "),
                (Str, "/a"),
                (Plain, "\n    "),
                (Key, "content"),
                (Punct, ":"),
                (Plain, " "),
                (Punct, "|"),
                (Plain, "\n"),
                (Block, "      key: not a key\n\n      # not a comment\n"),
                (Plain, "    "),
                (Key, "owner"),
                (Punct, ":"),
                (Plain, " "),
                (Str, "root"),
                (Plain, "\n"),
            ]
        );
    }

    #[test]
    fn plain_scalars_are_typed_as_yaml_1_1_types_them() {
        for (s, part) in [
            ("0644", Number),
            ("'0644'", Str),
            ("0x1F", Number),
            ("1_000", Number),
            ("1:30", Number),
            ("1.5", Number),
            ("1e3", Str),
            (".inf", Number),
            ("yes", Constant),
            ("Off", Constant),
            ("~", Constant),
            ("maybe", Str),
            ("089", Str),
            ("Europe/Berlin", Str),
        ] {
            let text = format!("k: {s}\n");
            assert_eq!(parts_of(&text)[3], (part, s), "{s}");
        }
    }

    #[test]
    fn urls_and_colons_inside_values_are_not_keys() {
        assert_eq!(
            parts_of("- echo http://x:80/ # c"),
            [(Dash, "-"), (Plain, " "), (Str, "echo http://x:80/"), (Plain, " "), (Comment, "# c")]
        );
        assert_eq!(parts_of("a#b: c")[0], (Key, "a#b"));
    }

    #[test]
    fn broken_yaml_still_covers_every_byte() {
        for text in ["\"open", "k: 'open\n  x", "[a, {b: ", "- - -", ":", "k: |\n  x\ny", "\t- a", "ä: ö\r\n"] {
            let ranges = parts(text);
            let mut at = 0;
            for (_, r) in &ranges {
                assert_eq!(r.start, at, "{text:?}");
                at = r.end;
            }
            assert_eq!(at, text.len(), "{text:?}");
        }
    }

    #[test]
    fn every_colour_reads_on_light_dark_and_high_contrast_backgrounds() {
        let mut high = egui::Visuals::dark();
        high.override_text_color = Some(Color32::WHITE);
        high.extreme_bg_color = Color32::BLACK;
        high.text_edit_bg_color = Some(Color32::BLACK);
        let mut pale = egui::Visuals::light();
        // A light theme with a grey editor background: the hues must darken to stay readable.
        pale.text_edit_bg_color = Some(Color32::from_gray(200));
        for visuals in [egui::Visuals::light(), egui::Visuals::dark(), high, pale] {
            let p = Palette::new(&visuals);
            for part in [Header, Comment, Key, Punct, Dash, Str, Number, Constant, Block, Meta] {
                let c = contrast(p.color(part), p.background);
                assert!(c >= 4.5, "{part:?} {c} in {:?}", visuals.dark_mode);
            }
            assert!(contrast(p.error, p.background) >= 4.5);
            assert!(contrast(p.warning, p.background) >= 4.5);
        }
        assert!((contrast(Color32::WHITE, Color32::BLACK) - 21.0).abs() < 0.01);
    }
}
