//! Python's `repr()` of the values `yaml.safe_load` makes, as `cloud-init schema` prints them in
//! its messages: `'vim'`, `"it's"`, `True`, `None`, `420`, `1.5`, `1e+16`, `[1, 2]`,
//! `{'name': 'bob'}`, `b'\x00'`, `datetime.date(2024, 1, 31)`.

use std::fmt::Write as _;

use super::yaml::{Date, DateTime, Node, Value};

/// `repr()` of a node's value.
pub fn repr(node: &Node) -> String {
    let mut out = String::new();
    write_value(&mut out, &node.value);
    out
}

/// `repr()` of a value.
pub fn value_repr(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => out.push_str(&str_repr(s)),
        Value::Bytes(b) => out.push_str(&bytes_repr(b)),
        Value::Date(d) => out.push_str(&date_repr(d)),
        Value::DateTime(dt) => out.push_str(&datetime_repr(dt)),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, &item.value);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, &k.value);
                out.push_str(": ");
                write_value(out, &v.value);
            }
            out.push('}');
        }
    }
}

/// Python's `str.isprintable()` for one character, closely enough: control characters,
/// separators other than the space, format characters, surrogates, private use and the
/// non-characters are not printable.
fn printable(c: char) -> bool {
    let u = u32::from(c);
    !(u < 0x20
        || (0x7f..=0xa0).contains(&u)
        || u == 0xad
        || (0x600..=0x605).contains(&u)
        || u == 0x61c
        || u == 0x6dd
        || u == 0x70f
        || u == 0x1680
        || u == 0x180e
        || (0x2000..=0x200f).contains(&u)
        || (0x2028..=0x202f).contains(&u)
        || (0x205f..=0x206f).contains(&u)
        || u == 0x3000
        || (0xd800..=0xf8ff).contains(&u)
        || u == 0xfeff
        || (0xfff0..=0xfffb).contains(&u)
        || u == 0xfffe
        || u == 0xffff
        || (0xe0000..=0xe0fff).contains(&u)
        || u >= 0xf0000)
}

/// `repr()` of a Python `str`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if printable(c) => out.push(c),
            c => {
                let u = u32::from(c);
                let _ = if u < 0x100 {
                    write!(out, "\\x{u:02x}")
                } else if u < 0x10000 {
                    write!(out, "\\u{u:04x}")
                } else {
                    write!(out, "\\U{u:08x}")
                };
            }
        }
    }
    out.push(quote);
    out
}

/// `repr()` of `bytes`.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if char::from(c) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(c)),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote);
    out
}

/// `repr()` of a `float`: the shortest digits that read back, fixed notation for exponents
/// from -4 to 15, else `1e+16` style.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let sci = format!("{f:e}"); // e.g. "-1.2345e17", shortest round-trip digits
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{body}")
    } else {
        let rest = &digits[1..];
        let mantissa = if rest.is_empty() { digits[..1].to_owned() } else { format!("{}.{rest}", &digits[..1]) };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{esign}{:02}", exp.abs())
    }
}

pub fn date_repr(d: &Date) -> String {
    format!("datetime.date({}, {}, {})", d.year, d.month, d.day)
}

pub fn datetime_repr(dt: &DateTime) -> String {
    let d = dt.date;
    let mut out = format!("datetime.datetime({}, {}, {}, {}, {}", d.year, d.month, d.day, dt.hour, dt.minute);
    if dt.second != 0 || dt.microsecond != 0 {
        let _ = write!(out, ", {}", dt.second);
    }
    if dt.microsecond != 0 {
        let _ = write!(out, ", {}", dt.microsecond);
    }
    match dt.tz_minutes {
        None => {}
        Some(_) if dt.utc => out.push_str(", tzinfo=datetime.timezone.utc"),
        Some(minutes) => {
            let seconds = i64::from(minutes) * 60;
            let days = seconds.div_euclid(86_400);
            let rest = seconds.rem_euclid(86_400);
            let delta = match (days, rest) {
                (0, 0) => "datetime.timedelta(0)".to_owned(),
                (0, s) => format!("datetime.timedelta(seconds={s})"),
                (d, 0) => format!("datetime.timedelta(days={d})"),
                (d, s) => format!("datetime.timedelta(days={d}, seconds={s})"),
            };
            if minutes == 0 {
                out.push_str(", tzinfo=datetime.timezone.utc");
            } else {
                let _ = write!(out, ", tzinfo=datetime.timezone({delta})");
            }
        }
    }
    out.push(')');
    out
}

/// `base64.decodebytes`: ignores characters outside the alphabet; None on bad padding.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    let mut count = 0usize;
    let mut padding = 0usize;
    for &c in text.as_bytes() {
        if c == b'=' {
            padding += 1;
            continue;
        }
        let Some(v) = val(c) else { continue };
        if padding > 0 {
            break;
        }
        count += 1;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    match count % 4 {
        0 => Some(out),
        1 => None,
        r => (padding + r >= 4).then_some(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_quote_like_python() {
        assert_eq!(str_repr("vim"), "'vim'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("say \"hi\" it's"), "'say \"hi\" it\\'s'");
        assert_eq!(str_repr("a\tb\nc\\"), "'a\\tb\\nc\\\\'");
        assert_eq!(str_repr("\u{7}\u{a0}é\u{2028}"), "'\\x07\\xa0é\\u2028'");
        assert_eq!(str_repr(""), "''");
    }

    #[test]
    fn floats_print_like_python() {
        assert_eq!(float_repr(1.5), "1.5");
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(100.0), "100.0");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(0.00001), "1e-05");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1234567890123456.0), "1234567890123456.0");
        assert_eq!(float_repr(1.2345e17), "1.2345e+17");
        assert_eq!(float_repr(-2.5), "-2.5");
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(f64::INFINITY), "inf");
        assert_eq!(float_repr(f64::NEG_INFINITY), "-inf");
        assert_eq!(float_repr(f64::NAN), "nan");
    }

    #[test]
    fn bytes_and_dates() {
        assert_eq!(bytes_repr(b"hi\x00'"), "b\"hi\\x00'\"");
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVsbG8"), None);
        assert_eq!(date_repr(&Date { year: 2024, month: 1, day: 31 }), "datetime.date(2024, 1, 31)");
        let dt = DateTime {
            date: Date { year: 2001, month: 12, day: 14 },
            hour: 21,
            minute: 59,
            second: 43,
            microsecond: 100_000,
            tz_minutes: Some(-300),
            utc: false,
        };
        assert_eq!(
            datetime_repr(&dt),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))"
        );
    }
}
