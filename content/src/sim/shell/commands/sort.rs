//! Line-oriented tools that compare lines: `sort` (with GNU's key fields and last-resort
//! comparison) and `uniq`.

use std::cmp::Ordering;

use super::builtins::read_file;
use super::common::{lines, lquote, write_file};
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::world::MAX_OUTPUT;

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "sort",
        run: sort,
        summary: "sort lines of text files",
        usage: "Usage: sort [OPTION]... [FILE]...\nWrite sorted concatenation of all FILE(s) to standard output.\n\n  -b, --ignore-leading-blanks  ignore leading blanks\n  -d, --dictionary-order      consider only blanks and alphanumeric characters\n  -f, --ignore-case           fold lower case to upper case characters\n  -h, --human-numeric-sort    compare human readable numbers (e.g., 2K 1G)\n  -n, --numeric-sort          compare according to string numerical value\n  -r, --reverse               reverse the result of comparisons\n  -V, --version-sort          natural sort of (version) numbers within text\n  -c, --check                 check for sorted input; do not sort\n  -k, --key=KEYDEF            sort via a key; KEYDEF gives location and type\n  -o, --output=FILE           write result to FILE instead of standard output\n  -s, --stable                stabilize sort by disabling last-resort comparison\n  -t, --field-separator=SEP   use SEP instead of non-blank to blank transition\n  -u, --unique                output only the first of an equal run\n\nKEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position; OPTS are bdfhnrV.\n",
    },
    CommandInfo {
        name: "uniq",
        run: uniq,
        summary: "report or omit repeated lines",
        usage: "Usage: uniq [OPTION]... [INPUT [OUTPUT]]\nFilter adjacent matching lines from INPUT (or standard input), writing to OUTPUT.\n\n  -c, --count           prefix lines by the number of occurrences\n  -d, --repeated        only print duplicate lines, one for each group\n  -u, --unique          only print unique lines\n  -i, --ignore-case     ignore differences in case when comparing\n  -f, --skip-fields=N   avoid comparing the first N fields\n  -s, --skip-chars=N    avoid comparing the first N characters\n  -w, --check-chars=N   compare no more than N characters in lines\n",
    },
];

/// Reads the inputs of a filter: `-` (or nothing) is standard input.
pub fn read_inputs(ctx: &mut Ctx<'_>, tool: &str, files: &[String]) -> Result<Vec<(String, Vec<u8>)>, ()> {
    let mut inputs = Vec::new();
    let mut failed = false;
    let names: Vec<String> = if files.is_empty() { vec!["-".to_owned()] } else { files.to_vec() };
    for name in names {
        if name == "-" {
            inputs.push((name, std::mem::take(&mut ctx.stdin)));
            continue;
        }
        match read_file(ctx, &name, MAX_OUTPUT) {
            Ok(bytes) => inputs.push((name, bytes)),
            Err(e) => {
                match tool {
                    "sort" if e == crate::sim::vfs::FsError::IsDir => {
                        ctx.err(&format!("sort: read failed: {name}: {e}\n"));
                    }
                    "sort" => ctx.err(&format!("sort: cannot read: {name}: {e}\n")),
                    _ => ctx.err(&format!("{tool}: {name}: {e}\n")),
                }
                failed = true;
            }
        }
    }
    if failed && tool == "sort" { Err(()) } else { Ok(inputs) }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Order {
    blanks: bool,
    dictionary: bool,
    fold: bool,
    human: bool,
    numeric: bool,
    reverse: bool,
    version: bool,
}

impl Order {
    /// Applies option letters; `false` if a letter is not an ordering option.
    fn apply(&mut self, letters: &str) -> bool {
        for c in letters.chars() {
            match c {
                'b' => self.blanks = true,
                'd' => self.dictionary = true,
                'f' => self.fold = true,
                'h' => self.human = true,
                'n' | 'g' => self.numeric = true,
                'r' => self.reverse = true,
                'V' => self.version = true,
                _ => return false,
            }
        }
        true
    }
}

#[derive(Clone, Copy, Debug)]
struct Key {
    start_field: usize,
    start_char: usize,
    end_field: Option<usize>,
    end_char: usize,
    order: Order,
}

/// Parses `F[.C][OPTS][,F[.C][OPTS]]`.
fn parse_key(spec: &str, global: Order) -> Result<Key, String> {
    let (start, end) = match spec.split_once(',') {
        Some((s, e)) => (s, Some(e)),
        None => (spec, None),
    };
    let position = |text: &str, is_start: bool| -> Result<(usize, usize, String), String> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("invalid number at field start: invalid count at start of {}", lquote(text)));
        }
        let field: usize =
            text[..digits].parse().map_err(|_| format!("invalid field specification {}", lquote(spec)))?;
        if field == 0 {
            return Err(format!("field number is zero: invalid field specification {}", lquote(spec)));
        }
        let rest = &text[digits..];
        let (char_pos, opts) = match rest.strip_prefix('.') {
            Some(r) => {
                let d = r.bytes().take_while(u8::is_ascii_digit).count();
                let c: usize = r[..d].parse().unwrap_or(0);
                if c == 0 && is_start {
                    return Err(format!("character offset is zero: invalid field specification {}", lquote(spec)));
                }
                (c, &r[d..])
            }
            None => (if is_start { 1 } else { 0 }, rest),
        };
        Ok((field, char_pos, opts.to_owned()))
    };
    let (start_field, start_char, start_opts) = position(start, true)?;
    let mut order = Order::default();
    let mut own = false;
    if !start_opts.is_empty() {
        own = true;
        if !order.apply(&start_opts) {
            return Err(format!("invalid field specification {}", lquote(spec)));
        }
    }
    let (end_field, end_char) = match end {
        Some(e) => {
            let (f, c, opts) = position(e, false)?;
            if !opts.is_empty() {
                own = true;
                if !order.apply(&opts) {
                    return Err(format!("invalid field specification {}", lquote(spec)));
                }
            }
            (Some(f), c)
        }
        None => (None, 0),
    };
    Ok(Key { start_field, start_char, end_field, end_char, order: if own { order } else { global } })
}

/// Byte offsets where each field starts and ends.
fn fields(line: &str, tab: Option<char>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    match tab {
        Some(t) => {
            let mut start = 0;
            for (i, c) in line.char_indices() {
                if c == t {
                    out.push((start, i));
                    start = i + c.len_utf8();
                }
            }
            out.push((start, line.len()));
        }
        None => {
            let bytes = line.as_bytes();
            let mut pos = 0;
            while pos < bytes.len() {
                let start = pos;
                while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t') {
                    pos += 1;
                }
                while pos < bytes.len() && !matches!(bytes[pos], b' ' | b'\t') {
                    pos += 1;
                }
                out.push((start, pos));
            }
        }
    }
    out
}

fn skip_blanks(line: &str, mut pos: usize) -> usize {
    while line.as_bytes().get(pos).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

fn advance(line: &str, pos: usize, chars: usize, limit: usize) -> usize {
    line[pos..limit].char_indices().nth(chars).map_or(limit, |(i, _)| pos + i)
}

fn key_text<'a>(line: &'a str, key: &Key, tab: Option<char>) -> &'a str {
    let f = fields(line, tab);
    let start = match f.get(key.start_field - 1) {
        Some(&(s, _)) => {
            let s = if key.order.blanks { skip_blanks(line, s) } else { s };
            advance(line, s, key.start_char.saturating_sub(1), line.len())
        }
        None => line.len(),
    };
    let end = match key.end_field {
        None => line.len(),
        Some(ef) => match f.get(ef - 1) {
            Some(&(_, e)) if key.end_char == 0 => e,
            Some(&(s, _)) => {
                let s = if key.order.blanks { skip_blanks(line, s) } else { s };
                advance(line, s, key.end_char, line.len())
            }
            None => line.len(),
        },
    };
    if end <= start { "" } else { &line[start..end] }
}

/// The leading number of a key (`-n`); with `human`, scaled by a K/M/G... suffix.
fn number(text: &str, human: bool) -> f64 {
    let t = text.trim_start_matches([' ', '\t']);
    let bytes = t.as_bytes();
    let mut end = usize::from(bytes.first() == Some(&b'-'));
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if bytes.get(end) == Some(&b'.') {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    let value: f64 = t[..end].parse().unwrap_or(0.0);
    if human && let Some(power) = bytes.get(end).and_then(|c| "KMGTPEZY".find(c.to_ascii_uppercase() as char)) {
        return value * 1024f64.powi(power as i32 + 1);
    }
    value
}

/// Compares like `strverscmp`: runs of digits by value.
fn version_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while !x.is_empty() && !y.is_empty() {
        if x[0].is_ascii_digit() && y[0].is_ascii_digit() {
            let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
            let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
            let (dx, dy) = (std::str::from_utf8(&x[..nx]).unwrap_or("0"), std::str::from_utf8(&y[..ny]).unwrap_or("0"));
            let (tx, ty) = (dx.trim_start_matches('0'), dy.trim_start_matches('0'));
            let ord = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
            if ord != Ordering::Equal {
                return ord;
            }
            x = &x[nx..];
            y = &y[ny..];
        } else {
            if x[0] != y[0] {
                return x[0].cmp(&y[0]);
            }
            x = &x[1..];
            y = &y[1..];
        }
    }
    x.len().cmp(&y.len())
}

fn compare_key(a: &str, b: &str, order: &Order) -> Ordering {
    let (a, b) =
        if order.blanks { (a.trim_start_matches([' ', '\t']), b.trim_start_matches([' ', '\t'])) } else { (a, b) };
    let ord = if order.numeric || order.human {
        number(a, order.human).partial_cmp(&number(b, order.human)).unwrap_or(Ordering::Equal)
    } else if order.version {
        version_cmp(a, b)
    } else {
        let filter = |s: &str| -> Vec<u8> {
            s.bytes()
                .filter(|c| !order.dictionary || c.is_ascii_alphanumeric() || matches!(c, b' ' | b'\t') || *c >= 0x80)
                .map(|c| if order.fold { c.to_ascii_uppercase() } else { c })
                .collect()
        };
        if order.dictionary || order.fold { filter(a).cmp(&filter(b)) } else { a.as_bytes().cmp(b.as_bytes()) }
    };
    if order.reverse { ord.reverse() } else { ord }
}

struct Sorter {
    keys: Vec<Key>,
    global: Order,
    tab: Option<char>,
    last_resort: bool,
}

impl Sorter {
    fn keyed(&self, a: &str, b: &str) -> Ordering {
        if self.keys.is_empty() {
            return compare_key(a, b, &self.global);
        }
        for key in &self.keys {
            let ord = compare_key(key_text(a, key, self.tab), key_text(b, key, self.tab), &key.order);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }

    fn cmp(&self, a: &str, b: &str) -> Ordering {
        let ord = self.keyed(a, b);
        if ord != Ordering::Equal || !self.last_resort {
            return ord;
        }
        let ord = a.as_bytes().cmp(b.as_bytes());
        if self.global.reverse { ord.reverse() } else { ord }
    }
}

fn sort(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) =
        split_options(&args[1..], &["-k", "--key", "-t", "--field-separator", "-o", "--output", "-S", "-T"]);
    let mut global = Order::default();
    let (mut unique, mut stable, mut check, mut quiet_check) = (false, false, false, false);
    let mut key_specs = Vec::new();
    let mut tab = None;
    let mut output = None;
    for option in &options {
        let value = option.split_once('=').map_or("", |(_, v)| v);
        match option.split_once('=').map_or(option.as_str(), |(k, _)| k) {
            "-u" | "--unique" => unique = true,
            "-s" | "--stable" => stable = true,
            "-c" | "--check" => check = true,
            "-C" => {
                check = true;
                quiet_check = true;
            }
            "-k" | "--key" => key_specs.push(value.to_owned()),
            "-o" | "--output" => output = Some(value.to_owned()),
            "-S" | "-T" | "--parallel" | "-m" | "--merge" => {}
            "-t" | "--field-separator" => {
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => tab = Some(c),
                    (None, _) => {
                        ctx.err("sort: empty tab\n");
                        return 2;
                    }
                    _ => {
                        ctx.err(&format!("sort: multi-character tab {}\n", lquote(value)));
                        return 2;
                    }
                }
            }
            "--reverse" => global.reverse = true,
            "--numeric-sort" => global.numeric = true,
            "--ignore-case" => global.fold = true,
            "--human-numeric-sort" => global.human = true,
            "--version-sort" => global.version = true,
            "--ignore-leading-blanks" => global.blanks = true,
            "--dictionary-order" => global.dictionary = true,
            short if short.len() == 2 && global.apply(&short[1..]) => {}
            other => {
                let status = usage_error(ctx, "sort", &super::builtins::unknown_option(other));
                return if status == 1 { 2 } else { status };
            }
        }
    }
    let mut keys = Vec::new();
    for spec in &key_specs {
        match parse_key(spec, global) {
            Ok(k) => keys.push(k),
            Err(message) => {
                ctx.err(&format!("sort: {message}\n"));
                return 2;
            }
        }
    }
    let Ok(inputs) = read_inputs(ctx, "sort", &operands) else { return 2 };
    let sorter = Sorter { keys, global, tab, last_resort: !unique && !stable };
    if check {
        for (name, data) in &inputs {
            let text = String::from_utf8_lossy(data);
            let lines = lines(&text);
            for i in 1..lines.len() {
                let ord = sorter.cmp(lines[i - 1], lines[i]);
                if ord == Ordering::Greater || (unique && ord == Ordering::Equal) {
                    if !quiet_check {
                        ctx.err(&format!("sort: {name}:{}: disorder: {}\n", i + 1, lines[i]));
                    }
                    return 1;
                }
            }
        }
        return 0;
    }
    let texts: Vec<String> = inputs.iter().map(|(_, d)| String::from_utf8_lossy(d).into_owned()).collect();
    let mut all: Vec<&str> = texts.iter().flat_map(|t| lines(t)).collect();
    crate::order::sort_by(&mut all, |a, b| sorter.cmp(a, b));
    if unique {
        all.dedup_by(|b, a| sorter.keyed(a, b) == Ordering::Equal);
    }
    let mut text = String::with_capacity(all.iter().map(|l| l.len() + 1).sum());
    for line in all {
        text.push_str(line);
        text.push('\n');
    }
    match output {
        Some(path) => {
            if let Err(e) = write_file(ctx, &path, text.as_bytes(), false) {
                ctx.err(&format!("sort: open failed: {path}: {e}\n"));
                return 2;
            }
        }
        None => ctx.out(&text),
    }
    0
}

fn uniq(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) =
        split_options(&args[1..], &["-f", "--skip-fields", "-s", "--skip-chars", "-w", "--check-chars"]);
    let (mut count, mut repeated, mut unique_only, mut fold) = (false, false, false, false);
    let (mut skip_fields, mut skip_chars, mut check_chars) = (0usize, 0usize, None::<usize>);
    for option in &options {
        let value = option.split_once('=').map_or("", |(_, v)| v);
        let number = |ctx: &mut Ctx<'_>, what: &str| match value.parse::<usize>() {
            Ok(n) => Ok(n),
            Err(_) => {
                ctx.err(&format!("uniq: {value}: invalid number of {what}\n"));
                Err(1)
            }
        };
        let result = match option.split_once('=').map_or(option.as_str(), |(k, _)| k) {
            "-c" | "--count" => {
                count = true;
                Ok(())
            }
            "-d" | "--repeated" => {
                repeated = true;
                Ok(())
            }
            "-u" | "--unique" => {
                unique_only = true;
                Ok(())
            }
            "-i" | "--ignore-case" => {
                fold = true;
                Ok(())
            }
            "-f" | "--skip-fields" => number(ctx, "fields to skip").map(|n| skip_fields = n),
            "-s" | "--skip-chars" => number(ctx, "bytes to skip").map(|n| skip_chars = n),
            "-w" | "--check-chars" => number(ctx, "bytes to compare").map(|n| check_chars = Some(n)),
            other => return usage_error(ctx, "uniq", &super::builtins::unknown_option(other)),
        };
        if let Err(status) = result {
            return status;
        }
    }
    if operands.len() > 2 {
        return usage_error(ctx, "uniq", &format!("extra operand {}", super::common::quote(&operands[2])));
    }
    let input = operands.first().cloned().unwrap_or_else(|| "-".to_owned());
    let data = if input == "-" {
        std::mem::take(&mut ctx.stdin)
    } else {
        match read_file(ctx, &input, MAX_OUTPUT) {
            Ok(d) => d,
            Err(e) => {
                ctx.err(&format!("uniq: {input}: {e}\n"));
                return 1;
            }
        }
    };
    let text = String::from_utf8_lossy(&data);
    let compared = |line: &str| -> String {
        let mut rest = line;
        for _ in 0..skip_fields {
            rest = rest.trim_start_matches([' ', '\t']);
            rest = rest.trim_start_matches(|c: char| c != ' ' && c != '\t');
        }
        let rest: String = rest.chars().skip(skip_chars).take(check_chars.unwrap_or(usize::MAX)).collect();
        if fold { rest.to_lowercase() } else { rest }
    };
    let mut out = String::new();
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for line in lines(&text) {
        match groups.last_mut() {
            Some((first, n)) if compared(first) == compared(line) => *n += 1,
            _ => groups.push((line, 1)),
        }
    }
    for (line, n) in groups {
        if (repeated && n < 2) || (unique_only && n > 1) {
            continue;
        }
        if count {
            out.push_str(&format!("{n:>7} {line}\n"));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    }
    match operands.get(1) {
        Some(path) => {
            if let Err(e) = write_file(ctx, path, out.as_bytes(), false) {
                ctx.err(&format!("uniq: {path}: {e}\n"));
                return 1;
            }
        }
        None => ctx.out(&out),
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_gnu_field_rules() {
        let key = parse_key("2", Order::default()).unwrap();
        assert_eq!(key_text("b 10", &key, None), " 10");
        let key = parse_key("2,2n", Order::default()).unwrap();
        assert!(key.order.numeric);
        assert_eq!(key_text("a  b c", &key, None), "  b");
        let key = parse_key("3", Order::default()).unwrap();
        assert_eq!(key_text("root:x:0:0", &key, Some(':')), "0:0");
        assert!(parse_key("0", Order::default()).unwrap_err().starts_with("field number is zero"));
        assert_eq!(version_cmp("x9", "x10"), Ordering::Less);
        assert!((number(" -1.5x", false) + 1.5).abs() < f64::EPSILON);
        assert!((number("2K", true) - 2048.0).abs() < f64::EPSILON);
    }
}
