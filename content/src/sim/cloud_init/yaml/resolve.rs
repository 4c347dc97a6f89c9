//! PyYAML's implicit resolvers for plain scalars (YAML 1.1: `resolver.py`) and the
//! `SafeConstructor` conversions of the resolved text (`construct_yaml_int`, `_float`, `_bool`,
//! `_timestamp`), written out as small matchers instead of regular expressions.

/// A `datetime.date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

/// A `datetime.datetime`; `tz_minutes` is the UTC offset (None: naive, `Some(0)` with
/// `utc: true` for `Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub microsecond: u32,
    pub tz_minutes: Option<i32>,
    pub utc: bool,
}

pub(super) const STR: &str = "tag:yaml.org,2002:str";
pub(super) const NULL: &str = "tag:yaml.org,2002:null";
pub(super) const BOOL: &str = "tag:yaml.org,2002:bool";
pub(super) const INT: &str = "tag:yaml.org,2002:int";
pub(super) const FLOAT: &str = "tag:yaml.org,2002:float";
pub(super) const TIMESTAMP: &str = "tag:yaml.org,2002:timestamp";
pub(super) const MERGE: &str = "tag:yaml.org,2002:merge";
pub(super) const VALUE: &str = "tag:yaml.org,2002:value";

/// The tag PyYAML's `Resolver.resolve` gives a plain scalar.
pub(super) fn resolve_plain(value: &str) -> &'static str {
    let Some(first) = value.chars().next() else { return NULL };
    if "yYnNtTfFoO".contains(first) && is_bool(value) {
        return BOOL;
    }
    if "-+0123456789.".contains(first) && is_float(value) {
        return FLOAT;
    }
    if "-+0123456789".contains(first) && is_int(value) {
        return INT;
    }
    if value == "<<" {
        return MERGE;
    }
    if matches!(value, "~" | "null" | "Null" | "NULL") {
        return NULL;
    }
    if first.is_ascii_digit() && timestamp(value).is_some() {
        return TIMESTAMP;
    }
    if value == "=" {
        return VALUE;
    }
    STR
}

fn is_bool(v: &str) -> bool {
    matches!(
        v,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

pub(super) fn bool_value(v: &str) -> Option<bool> {
    match v.to_lowercase().as_str() {
        "yes" | "true" | "on" => Some(true),
        "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// A cursor for the matchers.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn eat(&mut self, set: impl Fn(u8) -> bool) -> bool {
        if self.i < self.b.len() && set(self.b[self.i]) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_str(&mut self, s: &str) -> bool {
        if self.b[self.i..].starts_with(s.as_bytes()) {
            self.i += s.len();
            true
        } else {
            false
        }
    }
    fn many(&mut self, set: impl Fn(u8) -> bool + Copy) -> usize {
        let mut n = 0;
        while self.eat(set) {
            n += 1;
        }
        n
    }
    fn sign(&mut self) {
        self.eat(|c| c == b'-' || c == b'+');
    }
    fn end(&self) -> bool {
        self.i == self.b.len()
    }
}

fn digit(c: u8) -> bool {
    c.is_ascii_digit()
}
fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `[eE][-+][0-9]+`, optional.
fn exponent(c: &mut Cur<'_>) -> bool {
    let save = c.i;
    if c.eat(|x| x == b'e' || x == b'E') && c.eat(|x| x == b'-' || x == b'+') && c.many(digit) > 0 {
        return true;
    }
    c.i = save;
    false
}

/// `(:[0-5]?[0-9])+`
fn sexagesimal_tail(c: &mut Cur<'_>) -> bool {
    let mut any = false;
    loop {
        let save = c.i;
        if !c.eat(|x| x == b':') {
            break;
        }
        let a = c.eat(|x| (b'0'..=b'5').contains(&x));
        if !c.eat(digit) {
            // `[0-5]?` may have taken the only digit.
            if !a {
                c.i = save;
                break;
            }
        }
        any = true;
    }
    any
}

fn is_float(v: &str) -> bool {
    let b = v.as_bytes();
    let alt = |f: &dyn Fn(&mut Cur<'_>) -> bool| {
        let mut c = Cur { b, i: 0 };
        f(&mut c) && c.end()
    };
    alt(&|c| {
        c.sign();
        c.eat(digit)
            && {
                c.many(digit_);
                c.eat(|x| x == b'.')
            }
            && {
                c.many(digit_);
                exponent(c);
                true
            }
    }) || alt(&|c| {
        c.eat(|x| x == b'.') && c.eat(digit) && {
            c.many(digit_);
            exponent(c);
            true
        }
    }) || alt(&|c| {
        c.sign();
        c.eat(digit)
            && {
                c.many(digit_);
                sexagesimal_tail(c)
            }
            && c.eat(|x| x == b'.')
            && {
                c.many(digit_);
                true
            }
    }) || alt(&|c| {
        c.sign();
        c.eat_str(".inf") || c.eat_str(".Inf") || c.eat_str(".INF")
    }) || matches!(v, ".nan" | ".NaN" | ".NAN")
}

fn is_int(v: &str) -> bool {
    let b = v.as_bytes();
    let alt = |f: &dyn Fn(&mut Cur<'_>) -> bool| {
        let mut c = Cur { b, i: 0 };
        f(&mut c) && c.end()
    };
    alt(&|c| {
        c.sign();
        c.eat_str("0b") && c.many(|x| x == b'0' || x == b'1' || x == b'_') > 0
    }) || alt(&|c| {
        c.sign();
        c.eat(|x| x == b'0') && c.many(|x| (b'0'..=b'7').contains(&x) || x == b'_') > 0
    }) || alt(&|c| {
        c.sign();
        c.eat(|x| x == b'0')
    }) || alt(&|c| {
        c.sign();
        c.eat(|x| (b'1'..=b'9').contains(&x)) && {
            c.many(digit_);
            true
        }
    }) || alt(&|c| {
        c.sign();
        c.eat_str("0x") && c.many(|x| x.is_ascii_hexdigit() || x == b'_') > 0
    }) || alt(&|c| {
        c.sign();
        c.eat(|x| (b'1'..=b'9').contains(&x)) && {
            c.many(digit_);
            sexagesimal_tail(c)
        }
    })
}

/// `construct_yaml_int`; None when the number does not fit an i128 or does not parse (PyYAML
/// would raise a ValueError there).
pub(super) fn int_value(text: &str) -> Option<i128> {
    let mut v: String = text.chars().filter(|&c| c != '_').collect();
    let mut sign = 1;
    if v.starts_with('-') {
        sign = -1;
    }
    if v.starts_with(['-', '+']) {
        v.remove(0);
    }
    let magnitude = if v == "0" {
        0
    } else if let Some(bits) = v.strip_prefix("0b") {
        i128::from_str_radix(bits, 2).ok()?
    } else if let Some(hex) = v.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if v.starts_with('0') {
        i128::from_str_radix(&v, 8).ok()?
    } else if v.contains(':') {
        let mut value: i128 = 0;
        for part in v.split(':') {
            value = value.checked_mul(60)?.checked_add(part.parse::<i128>().ok()?)?;
        }
        value
    } else {
        v.parse().ok()?
    };
    Some(sign * magnitude)
}

/// `construct_yaml_float`.
pub(super) fn float_value(text: &str) -> Option<f64> {
    let mut v: String = text.chars().filter(|&c| c != '_').collect::<String>().to_lowercase();
    let mut sign = 1.0;
    if v.starts_with('-') {
        sign = -1.0;
    }
    if v.starts_with(['-', '+']) {
        v.remove(0);
    }
    if v == ".inf" {
        return Some(sign * f64::INFINITY);
    }
    if v == ".nan" {
        return Some(f64::NAN);
    }
    if v.contains(':') {
        let mut value = 0.0;
        for part in v.split(':') {
            value = value * 60.0 + python_float(part)?;
        }
        return Some(sign * value);
    }
    Some(sign * python_float(&v)?)
}

/// Python's `float()` of the forms the resolver lets through (`1.`, `.5`, `1.e+3`).
fn python_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut m = mantissa.to_owned();
    if m.starts_with('.') {
        m.insert(0, '0');
    }
    if m.ends_with('.') {
        m.push('0');
    }
    format!("{m}{exp}").parse().ok()
}

/// The parts of a YAML 1.1 timestamp, or None if `value` is not one.
pub(super) fn timestamp(value: &str) -> Option<(Date, Option<DateTime>)> {
    let b = value.as_bytes();
    let mut c = Cur { b, i: 0 };
    let num = |c: &mut Cur<'_>, min: usize, max: usize| -> Option<u32> {
        let start = c.i;
        while c.i < c.b.len() && c.i - start < max && digit(c.b[c.i]) {
            c.i += 1;
        }
        if c.i - start < min {
            return None;
        }
        std::str::from_utf8(&c.b[start..c.i]).ok()?.parse().ok()
    };
    let year = num(&mut c, 4, 4)?;
    if !c.eat(|x| x == b'-') {
        return None;
    }
    let month_start = c.i;
    let month = num(&mut c, 1, 2)?;
    let month_len = c.i - month_start;
    if !c.eat(|x| x == b'-') {
        return None;
    }
    let day_start = c.i;
    let day = num(&mut c, 1, 2)?;
    let day_len = c.i - day_start;
    let date = Date { year, month, day };
    if c.end() {
        // The date-only form needs two digits each.
        return (month_len == 2 && day_len == 2).then_some((date, None));
    }
    if !c.eat(|x| x == b'T' || x == b't') && c.many(|x| x == b' ' || x == b'\t') == 0 {
        return None;
    }
    let hour = num(&mut c, 1, 2)?;
    if !c.eat(|x| x == b':') {
        return None;
    }
    let minute = num(&mut c, 2, 2)?;
    if !c.eat(|x| x == b':') {
        return None;
    }
    let second = num(&mut c, 2, 2)?;
    let mut microsecond = 0;
    if c.eat(|x| x == b'.') {
        let start = c.i;
        c.many(digit);
        let mut fraction: String = value[start..c.i].chars().take(6).collect();
        if !fraction.is_empty() {
            while fraction.len() < 6 {
                fraction.push('0');
            }
            microsecond = fraction.parse().ok()?;
        }
    }
    let mut tz_minutes = None;
    let mut utc = false;
    let save = c.i;
    c.many(|x| x == b' ' || x == b'\t');
    if c.eat(|x| x == b'Z') {
        tz_minutes = Some(0);
        utc = true;
    } else if c.i < b.len() && (b[c.i] == b'-' || b[c.i] == b'+') {
        let negative = b[c.i] == b'-';
        c.i += 1;
        let h = num(&mut c, 1, 2)?;
        let mut m = 0;
        if c.eat(|x| x == b':') {
            m = num(&mut c, 2, 2)?;
        }
        let total = (h * 60 + m) as i32;
        tz_minutes = Some(if negative { -total } else { total });
    } else {
        c.i = save;
    }
    if !c.end() {
        return None;
    }
    Some((date, Some(DateTime { date, hour, minute, second, microsecond, tz_minutes, utc })))
}
