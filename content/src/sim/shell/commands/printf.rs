//! `printf`, as bash's builtin (the one a learner's shell runs): conversions, flags, widths,
//! precisions, backslash escapes and the reuse of the format while arguments remain.

use super::CommandInfo;
use crate::sim::shell::Ctx;

pub static COMMANDS: &[CommandInfo] = &[CommandInfo {
    name: "printf",
    run: printf,
    summary: "format and print data",
    usage: "printf: printf [-v var] format [arguments]\n    Formats and prints ARGUMENTS under control of the FORMAT.\n\n    Conversions: %s %b (string with backslash escapes) %q (shell-quoted) %c %d %i %u %o %x %X\n    %e %f %g %%. Flags: - + space # 0; width and precision (also *), e.g. %-10s %5d %08x %.2f.\n    Escapes in FORMAT: \\n \\t \\\\ \\a \\b \\e \\f \\r \\v \\NNN \\xHH \\uHHHH.\n    The format is reused as needed to consume all of the arguments.\n\n      -v var    assign the output to shell variable VAR rather than printing it\n",
}];

/// How a conversion failed to read its argument.
#[derive(Clone, Copy)]
enum Problem {
    Invalid,
    Range,
}

/// State of one `printf` run.
struct Printer<'a> {
    args: &'a [String],
    next: usize,
    out: Vec<u8>,
    errors: Vec<String>,
    status: i32,
    /// `\c` in a `%b` argument: stop all output.
    stop: bool,
}

impl Printer<'_> {
    fn arg(&mut self) -> Option<&str> {
        let a = self.args.get(self.next).map(String::as_str);
        if a.is_some() {
            self.next += 1;
        }
        a
    }

    fn problem(&mut self, arg: &str, problem: Problem) {
        match problem {
            Problem::Invalid => {
                self.errors.push(format!("bash: printf: {arg}: invalid number\n"));
                self.status = 1;
            }
            Problem::Range => {
                self.errors.push(format!("bash: printf: warning: {arg}: Numerical result out of range\n"));
            }
        }
    }

    fn int_arg(&mut self) -> i128 {
        let Some(arg) = self.arg().map(str::to_owned) else { return 0 };
        let (value, problem) = parse_int(&arg);
        if let Some(p) = problem {
            self.problem(&arg, p);
        }
        value
    }

    fn float_arg(&mut self) -> f64 {
        let Some(arg) = self.arg().map(str::to_owned) else { return 0.0 };
        let trimmed = arg.trim_start();
        if let Some(c) = trimmed.strip_prefix(['\'', '"']) {
            return c.chars().next().map_or(0.0, |c| f64::from(u32::from(c)));
        }
        if trimmed.is_empty() {
            return 0.0;
        }
        match trimmed.parse::<f64>() {
            Ok(v) => v,
            Err(_) => {
                let (v, _) = parse_int(trimmed);
                self.problem(&arg, Problem::Invalid);
                v as f64
            }
        }
    }
}

/// Parses an integer argument like bash's printf: leading blanks, a sign, `0x` hex, `0`
/// octal, `'c` for a character code. Returns the value (the valid prefix on error).
fn parse_int(arg: &str) -> (i128, Option<Problem>) {
    let s = arg.trim_start();
    if s.is_empty() {
        return (0, None);
    }
    if let Some(rest) = s.strip_prefix(['\'', '"']) {
        return (rest.chars().next().map_or(0, |c| i128::from(u32::from(c))), None);
    }
    let (negative, digits) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        (16, hex)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let mut value: i128 = 0;
    let mut used = 0;
    let mut overflow = false;
    for c in digits.chars() {
        let Some(d) = c.to_digit(radix) else { break };
        value = value * i128::from(radix) + i128::from(d);
        if value > i128::from(u64::MAX) {
            overflow = true;
            value = i128::from(u64::MAX);
        }
        used += c.len_utf8();
    }
    let value = if negative { -value } else { value };
    if used < digits.len() || (used == 0 && radix != 8) {
        return (value, Some(Problem::Invalid));
    }
    if overflow || value > i128::from(i64::MAX) || value < i128::from(i64::MIN) {
        let clamped = if negative { i128::from(i64::MIN) } else { i128::from(i64::MAX) };
        return (clamped, Some(Problem::Range));
    }
    (value, None)
}

/// Interprets one backslash escape at the start of `s` (after the backslash). `in_b` selects
/// the `%b` rules (`\0NNN`, `\c`). Returns the bytes and how many characters were used;
/// `None` for `\c`.
fn escape(s: &[char], in_b: bool) -> Option<(Vec<u8>, usize)> {
    let Some(&c) = s.first() else { return Some((b"\\".to_vec(), 0)) };
    let simple = |b: u8| Some((vec![b], 1));
    match c {
        'a' => simple(7),
        'b' => simple(8),
        'e' | 'E' => simple(0x1b),
        'f' => simple(0x0c),
        'n' => simple(b'\n'),
        'r' => simple(b'\r'),
        't' => simple(b'\t'),
        'v' => simple(0x0b),
        '\\' => simple(b'\\'),
        '"' if !in_b => simple(b'"'),
        '\'' if !in_b => simple(b'\''),
        '?' if !in_b => simple(b'?'),
        'c' if in_b => None,
        '0'..='7' => {
            let (start, max) = if in_b && c == '0' { (1, 3) } else { (0, 3) };
            let mut value = 0u32;
            let mut used = start;
            while used < start + max {
                match s.get(used).and_then(|c| c.to_digit(8)) {
                    Some(d) => value = value * 8 + d,
                    None => break,
                }
                used += 1;
            }
            Some((vec![(value & 0xff) as u8], used))
        }
        'x' | 'u' | 'U' => {
            let max = match c {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let mut value = 0u32;
            let mut used = 1;
            while used <= max {
                match s.get(used).and_then(|c| c.to_digit(16)) {
                    Some(d) => value = value.wrapping_mul(16).wrapping_add(d),
                    None => break,
                }
                used += 1;
            }
            if used == 1 {
                return Some((format!("\\{c}").into_bytes(), 1));
            }
            if c == 'x' {
                return Some((vec![value as u8], used));
            }
            let ch = char::from_u32(value).unwrap_or('\u{fffd}');
            Some((ch.to_string().into_bytes(), used))
        }
        other => Some((format!("\\{other}").into_bytes(), 1)),
    }
}

/// Expands backslash escapes of a `%b` argument; `true` if it hit `\c`.
fn expand_b(arg: &str) -> (Vec<u8>, bool) {
    let chars: Vec<char> = arg.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' {
            match escape(&chars[i + 1..], true) {
                Some((bytes, used)) => {
                    out.extend(bytes);
                    i += 1 + used;
                }
                None => return (out, true),
            }
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(chars[i].encode_utf8(&mut buf).as_bytes());
            i += 1;
        }
    }
    (out, false)
}

/// `%q`: quotes a string so that the shell reads it back unchanged.
fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "_-./=+,:@%^".contains(c) || !c.is_ascii() {
            out.push(c);
        } else if c == '\n' {
            return format!("$'{}'", s.replace('\\', "\\\\").replace('\'', "\\'").replace('\n', "\\n"));
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// `%g` of C's printf: the shorter of `%e` and `%f` with `precision` significant digits,
/// trailing zeros removed (kept with `#`).
pub fn format_g(value: f64, precision: usize, alternate: bool) -> String {
    if !value.is_finite() {
        return format_f(value, 0);
    }
    let p = precision.max(1);
    if value == 0.0 {
        return if alternate { format!("{:.*}", p - 1, 0.0) } else { "0".to_owned() };
    }
    let exponent = format!("{:.*e}", p - 1, value).split('e').nth(1).and_then(|e| e.parse::<i64>().ok()).unwrap_or(0);
    let text = if exponent < -4 || exponent >= p as i64 {
        format_e(value, p - 1)
    } else {
        format!("{:.*}", (p as i64 - 1 - exponent).max(0) as usize, value)
    };
    if alternate {
        return text;
    }
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m.to_owned(), format!("e{e}")),
        None => (text.clone(), String::new()),
    };
    let mantissa =
        if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.').to_owned() } else { mantissa };
    format!("{mantissa}{exp}")
}

/// `%e`: `1.500000e+00`.
fn format_e(value: f64, precision: usize) -> String {
    if !value.is_finite() {
        return format_f(value, 0);
    }
    let text = format!("{value:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

fn format_f(value: f64, precision: usize) -> String {
    if value.is_nan() {
        "nan".to_owned()
    } else if value.is_infinite() {
        if value < 0.0 { "-inf".to_owned() } else { "inf".to_owned() }
    } else {
        format!("{value:.precision$}")
    }
}

/// A parsed conversion specification.
#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alternate: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    /// Pads `body` (with its sign, if numeric) to the width.
    fn pad(&self, body: &[u8], numeric: bool) -> Vec<u8> {
        let len = String::from_utf8_lossy(body).chars().count();
        if len >= self.width {
            return body.to_vec();
        }
        let fill = self.width - len;
        let mut out = Vec::with_capacity(self.width);
        if self.left {
            out.extend_from_slice(body);
            out.resize(out.len() + fill, b' ');
        } else if self.zero && numeric {
            let sign_len = usize::from(matches!(body.first(), Some(b'-' | b'+' | b' ')));
            let prefix_len = if body[sign_len..].starts_with(b"0x") || body[sign_len..].starts_with(b"0X") {
                sign_len + 2
            } else {
                sign_len
            };
            out.extend_from_slice(&body[..prefix_len]);
            out.resize(out.len() + fill, b'0');
            out.extend_from_slice(&body[prefix_len..]);
        } else {
            out.resize(fill, b' ');
            out.extend_from_slice(body);
        }
        out
    }

    fn sign(&self, negative: bool) -> &'static str {
        if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        }
    }
}

/// Caps widths and precisions so that `%999999999d` cannot exhaust memory.
const MAX_WIDTH: usize = 1 << 20;

/// Runs the format once. Returns `Err(())` on a fatal format error.
fn run_format(p: &mut Printer<'_>, format: &[char]) -> Result<(), ()> {
    let mut i = 0;
    while i < format.len() && !p.stop {
        let c = format[i];
        if c == '\\' {
            if let Some((bytes, used)) = escape(&format[i + 1..], false) {
                p.out.extend(bytes);
                i += 1 + used;
            }
            continue;
        }
        if c != '%' {
            let mut buf = [0u8; 4];
            p.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            i += 1;
            continue;
        }
        i += 1;
        if format.get(i) == Some(&'%') {
            p.out.push(b'%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = format.get(i) {
            match f {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => spec.alternate = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        if format.get(i) == Some(&'*') {
            i += 1;
            let w = p.int_arg();
            if w < 0 {
                spec.left = true;
            }
            spec.width = (w.unsigned_abs() as usize).min(MAX_WIDTH);
        } else {
            while let Some(d) = format.get(i).and_then(|c| c.to_digit(10)) {
                spec.width = (spec.width * 10 + d as usize).min(MAX_WIDTH);
                i += 1;
            }
        }
        if format.get(i) == Some(&'.') {
            i += 1;
            let mut precision = 0usize;
            if format.get(i) == Some(&'*') {
                i += 1;
                precision = usize::try_from(p.int_arg()).unwrap_or(0).min(MAX_WIDTH);
            } else {
                while let Some(d) = format.get(i).and_then(|c| c.to_digit(10)) {
                    precision = (precision * 10 + d as usize).min(MAX_WIDTH);
                    i += 1;
                }
            }
            spec.precision = Some(precision);
        }
        while matches!(format.get(i), Some('h' | 'l' | 'L' | 'j' | 'z' | 't')) {
            i += 1;
        }
        let Some(&conv) = format.get(i) else {
            p.errors.push("bash: printf: `%': missing format character\n".to_owned());
            return Err(());
        };
        i += 1;
        convert(p, &spec, conv)?;
    }
    Ok(())
}

fn convert(p: &mut Printer<'_>, spec: &Spec, conv: char) -> Result<(), ()> {
    match conv {
        's' | 'b' | 'q' => {
            let arg = p.arg().unwrap_or_default().to_owned();
            let mut body = match conv {
                's' => arg.into_bytes(),
                'q' => shell_quote(&arg).into_bytes(),
                _ => {
                    let (bytes, stop) = expand_b(&arg);
                    p.stop = stop;
                    bytes
                }
            };
            if let Some(precision) = spec.precision {
                body.truncate(precision);
            }
            let padded = spec.pad(&body, false);
            p.out.extend(padded);
        }
        'c' => {
            let arg = p.arg().unwrap_or_default().to_owned();
            let body = arg.chars().next().map_or(vec![0], |c| c.to_string().into_bytes());
            let padded = spec.pad(&body, false);
            p.out.extend(padded);
        }
        'd' | 'i' => {
            let v = p.int_arg();
            let mut digits = v.unsigned_abs().to_string();
            if let Some(precision) = spec.precision
                && digits.len() < precision
            {
                digits = format!("{}{digits}", "0".repeat(precision - digits.len()));
            }
            let body = format!("{}{digits}", spec.sign(v < 0));
            let zero_ok = spec.precision.is_none();
            let padded = Spec { zero: spec.zero && zero_ok, ..*spec }.pad(body.as_bytes(), true);
            p.out.extend(padded);
        }
        'u' | 'o' | 'x' | 'X' => {
            let v = p.int_arg();
            // Negative numbers wrap around as unsigned 64-bit values.
            let u = if v < 0 { (v as i64) as u64 } else { u64::try_from(v).unwrap_or(u64::MAX) };
            let mut digits = match conv {
                'u' => u.to_string(),
                'o' => format!("{u:o}"),
                'x' => format!("{u:x}"),
                _ => format!("{u:X}"),
            };
            if let Some(precision) = spec.precision
                && digits.len() < precision
            {
                digits = format!("{}{digits}", "0".repeat(precision - digits.len()));
            }
            if spec.alternate && u != 0 {
                digits = match conv {
                    'o' if !digits.starts_with('0') => format!("0{digits}"),
                    'x' => format!("0x{digits}"),
                    'X' => format!("0X{digits}"),
                    _ => digits,
                };
            }
            let zero_ok = spec.precision.is_none();
            let padded = Spec { zero: spec.zero && zero_ok, ..*spec }.pad(digits.as_bytes(), true);
            p.out.extend(padded);
        }
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
            let v = p.float_arg();
            let precision = spec.precision.unwrap_or(6);
            let magnitude = match conv {
                'f' | 'F' => format_f(v.abs(), precision),
                'e' | 'E' => format_e(v.abs(), precision),
                _ => format_g(v.abs(), precision, spec.alternate),
            };
            let magnitude = if conv.is_ascii_uppercase() { magnitude.to_uppercase() } else { magnitude };
            let body = format!("{}{magnitude}", spec.sign(v.is_sign_negative() && v != 0.0));
            let padded = spec.pad(body.as_bytes(), v.is_finite());
            p.out.extend(padded);
        }
        other => {
            p.errors.push(format!("bash: printf: `{other}': invalid format character\n"));
            return Err(());
        }
    }
    Ok(())
}

fn printf(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut rest = &args[1..];
    let mut var = None;
    if rest.first().is_some_and(|a| a == "-v") {
        let Some(name) = rest.get(1) else {
            ctx.err(
                "bash: printf: -v: option requires an argument\nprintf: usage: printf [-v var] format [arguments]\n",
            );
            return 2;
        };
        var = Some(name.clone());
        rest = &rest[2..];
    }
    if rest.first().is_some_and(|a| a == "--") {
        rest = &rest[1..];
    }
    let Some(format) = rest.first() else {
        ctx.err("printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    };
    let format: Vec<char> = format.chars().collect();
    let mut p = Printer { args: &rest[1..], next: 0, out: Vec::new(), errors: Vec::new(), status: 0, stop: false };
    loop {
        let before = p.next;
        if run_format(&mut p, &format).is_err() {
            p.status = 1;
            break;
        }
        // The format is reused while arguments remain and it consumes some.
        if p.stop || p.next >= p.args.len() || p.next == before || p.out.len() > crate::sim::world::MAX_OUTPUT {
            break;
        }
    }
    for e in &p.errors {
        ctx.err(e);
    }
    match var {
        Some(name) => {
            let value = String::from_utf8_lossy(&p.out).into_owned();
            ctx.machine_mut().env.insert(name, value);
        }
        None => ctx.out_bytes(&p.out),
    }
    p.status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_format_like_c() {
        assert_eq!(format_g(0.0001, 6, false), "0.0001");
        assert_eq!(format_g(2.7158e-05, 6, false), "2.7158e-05");
        assert_eq!(format_g(0.000930407, 6, false), "0.000930407");
        assert_eq!(format_g(123_456_789.0, 6, false), "1.23457e+08");
        assert_eq!(format_g(100.0, 6, false), "100");
        assert_eq!(format_e(1.5, 6), "1.500000e+00");
    }

    #[test]
    fn integers_parse_like_bash() {
        assert_eq!(parse_int("0x1f").0, 31);
        assert_eq!(parse_int("010").0, 8);
        assert_eq!(parse_int("'A").0, 65);
        assert_eq!(parse_int(" 12").0, 12);
        assert!(matches!(parse_int("12 "), (12, Some(Problem::Invalid))));
        assert!(matches!(parse_int("99999999999999999999"), (v, Some(Problem::Range)) if v == i128::from(i64::MAX)));
    }
}
