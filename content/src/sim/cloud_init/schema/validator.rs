//! The part of python3-jsonschema 4.10 (Draft 4) that `cloud-init schema` uses, with
//! cloud-init's own `anyOf`/`oneOf`/`deprecated` validators: each keyword of a schema object is
//! applied in the order the schema file lists it, and errors carry jsonschema's messages with
//! Python `repr()`s of the values.

use std::cmp::Ordering;

use crate::sim::cloud_init::pyrepr::{self, str_repr};
use crate::sim::cloud_init::yaml::{Node, Value};
use crate::sim::shell::commands::regex::{Regex, Span, Syntax};

/// One element of an error's path: a mapping key (as `str()` prints it) or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    Key(String),
    Index(usize),
}

impl PathPart {
    fn cmp_py(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PathPart::Key(a), PathPart::Key(b)) => a.cmp(b),
            (PathPart::Index(a), PathPart::Index(b)) => a.cmp(b),
            (PathPart::Index(_), PathPart::Key(_)) => Ordering::Less,
            (PathPart::Key(_), PathPart::Index(_)) => Ordering::Greater,
        }
    }
}

/// A `ValidationError` (or cloud-init's `SchemaDeprecationError`).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Outermost first.
    pub path: Vec<PathPart>,
    pub message: String,
    pub deprecation: bool,
    /// Where the value the error is about starts (1-based).
    pub line: usize,
    pub column: usize,
}

impl Problem {
    fn new(instance: &Node, message: String) -> Self {
        Self { path: Vec::new(), message, deprecation: false, line: instance.line, column: instance.column }
    }

    /// The dotted path cloud-init prints (`users.0.sudo`).
    pub fn dotted_path(&self) -> String {
        let parts: Vec<String> = self
            .path
            .iter()
            .map(|p| match p {
                PathPart::Key(k) => k.clone(),
                PathPart::Index(i) => i.to_string(),
            })
            .collect();
        parts.join(".")
    }
}

/// Sorts as `sorted(errors, key=lambda e: e.path)` (stable, deque comparison).
pub fn sort_by_path(problems: &mut [Problem]) {
    crate::order::sort_by(problems, |a, b| {
        for (x, y) in a.path.iter().zip(&b.path) {
            match x.cmp_py(y) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        a.path.len().cmp(&b.path.len())
    });
}

/// A validator bound to the root schema (for `$ref`s).
pub struct Validator<'s> {
    pub root: &'s Node,
}

fn key_text(key: &Node) -> String {
    match &key.value {
        Value::Str(s) => s.clone(),
        _ => pyrepr::repr(key),
    }
}

fn is_type(instance: &Node, name: &str) -> bool {
    match name {
        "string" => matches!(instance.value, Value::Str(_) | Value::Bytes(_)),
        "integer" => matches!(instance.value, Value::Int(_)),
        "number" => matches!(instance.value, Value::Int(_) | Value::Float(_)),
        "boolean" => matches!(instance.value, Value::Bool(_)),
        "null" => matches!(instance.value, Value::Null),
        "array" => matches!(instance.value, Value::Seq(_)),
        "object" => matches!(instance.value, Value::Map(_)),
        _ => false,
    }
}

fn number(v: &Value) -> Option<f64> {
    match *v {
        Value::Bool(b) => Some(f64::from(u8::from(b))),
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// Python's `==`.
pub fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Seq(x), Value::Seq(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(&p.value, &q.value)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| py_eq(&k.value, &k2.value) && py_eq(&v.value, &v2.value)))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            (None, None) => a == b,
            _ => false,
        },
    }
}

/// jsonschema's `_utils.equal`: like `==`, but `True` is not `1` (also inside lists and dicts).
fn js_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Bool(_), _) | (_, Value::Bool(_)) => false,
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| js_equal(&p.value, &q.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| py_eq(&k.value, &k2.value) && js_equal(&v.value, &v2.value)))
        }
        _ => py_eq(a, b),
    }
}

/// `re.search(pattern, text)` for the patterns of cloud-init's schema (POSIX ERE covers
/// them); Python's `$` also matches before a final newline.
fn search(pattern: &str, text: &str) -> bool {
    let Ok(re) = Regex::new(pattern, Syntax::Extended, false, Span::Any) else { return false };
    let chars: Vec<char> = text.chars().collect();
    if re.find_at(&chars, 0).is_some() {
        return true;
    }
    chars.last() == Some(&'\n') && re.find_at(&chars[..chars.len() - 1], 0).is_some()
}

fn strs(node: &Node) -> Vec<&str> {
    match &node.value {
        Value::Str(s) => vec![s.as_str()],
        Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    }
}

impl<'s> Validator<'s> {
    fn resolve(&self, reference: &str) -> Option<&'s Node> {
        let name = reference.strip_prefix("#/$defs/")?;
        self.root.get("$defs")?.get(name)
    }

    /// Whether `instance` is valid, deprecations not counting (cloud-init's `is_valid`).
    pub fn is_valid(&self, instance: &Node, schema: &Node) -> bool {
        self.errors(instance, schema).iter().all(|e| e.deprecation)
    }

    /// `iter_errors(instance)` under `schema`, in jsonschema's order.
    pub fn errors(&self, instance: &Node, schema: &Node) -> Vec<Problem> {
        let mut out = Vec::new();
        let Some(keywords) = schema.as_map() else { return out };
        for (key, value) in keywords {
            let Some(keyword) = key.as_str() else { continue };
            self.keyword(keyword, value, instance, schema, &mut out);
        }
        out
    }

    fn descend(&self, instance: &Node, schema: &Node, path: Option<&PathPart>, out: &mut Vec<Problem>) {
        for mut e in self.errors(instance, schema) {
            if let Some(p) = path {
                e.path.insert(0, p.clone());
            }
            out.push(e);
        }
    }

    #[expect(clippy::too_many_lines, reason = "one arm per Draft 4 keyword, as jsonschema's table")]
    fn keyword(&self, keyword: &str, value: &Node, instance: &Node, schema: &Node, out: &mut Vec<Problem>) {
        let repr = || pyrepr::repr(instance);
        match keyword {
            "$ref" => {
                if let Some(target) = value.as_str().and_then(|r| self.resolve(r)) {
                    self.descend(instance, target, None, out);
                }
            }
            "type" => {
                let types = strs(value);
                if !types.iter().any(|t| is_type(instance, t)) {
                    let reprs: Vec<String> = types.iter().map(|t| str_repr(t)).collect();
                    out.push(Problem::new(instance, format!("{} is not of type {}", repr(), reprs.join(", "))));
                }
            }
            "properties" => {
                let (Some(props), Some(entries)) = (value.as_map(), instance.as_map()) else { return };
                for (name, sub) in props {
                    let Some(name) = name.as_str() else { continue };
                    if let Some((k, v)) = entries.iter().find(|(k, _)| k.as_str() == Some(name)) {
                        self.descend(v, sub, Some(&PathPart::Key(key_text(k))), out);
                    }
                }
            }
            "patternProperties" => {
                let (Some(patterns), Some(entries)) = (value.as_map(), instance.as_map()) else { return };
                for (pattern, sub) in patterns {
                    let Some(pattern) = pattern.as_str() else { continue };
                    for (k, v) in entries {
                        if k.as_str().is_some_and(|k| search(pattern, k)) {
                            self.descend(v, sub, Some(&PathPart::Key(key_text(k))), out);
                        }
                    }
                }
            }
            "additionalProperties" => {
                let Some(entries) = instance.as_map() else { return };
                let props = schema.get("properties");
                let patterns: Vec<&str> = schema
                    .get("patternProperties")
                    .and_then(Node::as_map)
                    .map_or_else(Vec::new, |m| m.iter().filter_map(|(k, _)| k.as_str()).collect());
                let joined = patterns.join("|");
                let mut extras: Vec<&(Node, Node)> = entries
                    .iter()
                    .filter(|(k, _)| {
                        let name = k.as_str();
                        let declared = name.is_some_and(|n| props.is_some_and(|p| p.get(n).is_some()));
                        let matched = !joined.is_empty() && name.is_some_and(|n| search(&joined, n));
                        !declared && !matched
                    })
                    .collect();
                if value.as_map().is_some() {
                    for (k, v) in extras {
                        self.descend(v, value, Some(&PathPart::Key(key_text(k))), out);
                    }
                } else if value.as_bool() == Some(false) && !extras.is_empty() {
                    crate::order::sort_by_key(&mut extras, |e| key_text(&e.0));
                    let names: Vec<String> = extras.iter().map(|(k, _)| pyrepr::repr(k)).collect();
                    let message = if schema.get("patternProperties").is_some() {
                        let mut pats: Vec<&str> = patterns.clone();
                        crate::order::sort(&mut pats);
                        let pats: Vec<String> = pats.iter().map(|p| str_repr(p)).collect();
                        let verb = if names.len() == 1 { "does" } else { "do" };
                        format!("{} {verb} not match any of the regexes: {}", names.join(", "), pats.join(", "))
                    } else {
                        let verb = if names.len() == 1 { "was" } else { "were" };
                        format!("Additional properties are not allowed ({} {verb} unexpected)", names.join(", "))
                    };
                    out.push(Problem::new(instance, message));
                }
            }
            "required" => {
                let Some(entries) = instance.as_map() else { return };
                for name in strs(value) {
                    if !entries.iter().any(|(k, _)| k.as_str() == Some(name)) {
                        out.push(Problem::new(instance, format!("{} is a required property", str_repr(name))));
                    }
                }
            }
            "enum" => {
                let options = value.as_seq().unwrap_or_default();
                let zero_or_one = number(&instance.value).is_some_and(|n| n == 0.0 || n == 1.0);
                let found = if zero_or_one {
                    options.iter().any(|o| js_equal(&o.value, &instance.value))
                } else {
                    options.iter().any(|o| py_eq(&o.value, &instance.value))
                };
                if !found {
                    out.push(Problem::new(instance, format!("{} is not one of {}", repr(), pyrepr::repr(value))));
                }
            }
            "items" => {
                let Some(items) = instance.as_seq() else { return };
                match &value.value {
                    Value::Map(_) => {
                        for (i, item) in items.iter().enumerate() {
                            self.descend(item, value, Some(&PathPart::Index(i)), out);
                        }
                    }
                    Value::Seq(subs) => {
                        for (i, (item, sub)) in items.iter().zip(subs).enumerate() {
                            self.descend(item, sub, Some(&PathPart::Index(i)), out);
                        }
                    }
                    _ => {}
                }
            }
            "additionalItems" => {
                let Some(items) = instance.as_seq() else { return };
                let declared = match schema.get("items").map(|i| &i.value) {
                    Some(Value::Seq(subs)) => subs.len(),
                    Some(Value::Map(_)) => return,
                    _ => 0,
                };
                if value.as_map().is_some() {
                    for (i, item) in items.iter().enumerate().skip(declared) {
                        self.descend(item, value, Some(&PathPart::Index(i)), out);
                    }
                } else if value.as_bool() == Some(false) && items.len() > declared {
                    let mut extra: Vec<String> = items[declared..].iter().map(pyrepr::repr).collect();
                    crate::order::sort(&mut extra);
                    let verb = if extra.len() == 1 { "was" } else { "were" };
                    out.push(Problem::new(
                        instance,
                        format!("Additional items are not allowed ({} {verb} unexpected)", extra.join(", ")),
                    ));
                }
            }
            "minItems" | "maxItems" => {
                let (Some(items), Some(limit)) = (instance.as_seq(), value.as_int()) else { return };
                let len = items.len() as i128;
                if keyword == "minItems" && len < limit {
                    out.push(Problem::new(instance, format!("{} is too short", repr())));
                } else if keyword == "maxItems" && len > limit {
                    out.push(Problem::new(instance, format!("{} is too long", repr())));
                }
            }
            "minLength" | "maxLength" => {
                let len = match &instance.value {
                    Value::Str(s) => s.chars().count(),
                    Value::Bytes(b) => b.len(),
                    _ => return,
                } as i128;
                let Some(limit) = value.as_int() else { return };
                if keyword == "minLength" && len < limit {
                    out.push(Problem::new(instance, format!("{} is too short", repr())));
                } else if keyword == "maxLength" && len > limit {
                    out.push(Problem::new(instance, format!("{} is too long", repr())));
                }
            }
            "minProperties" | "maxProperties" => {
                let (Some(entries), Some(limit)) = (instance.as_map(), value.as_int()) else { return };
                let len = entries.len() as i128;
                if keyword == "minProperties" && len < limit {
                    out.push(Problem::new(instance, format!("{} does not have enough properties", repr())));
                } else if keyword == "maxProperties" && len > limit {
                    out.push(Problem::new(instance, format!("{} has too many properties", repr())));
                }
            }
            "uniqueItems" => {
                if value.as_bool() != Some(true) {
                    return;
                }
                let Some(items) = instance.as_seq() else { return };
                let unique =
                    items.iter().enumerate().all(|(i, a)| items[i + 1..].iter().all(|b| !js_equal(&a.value, &b.value)));
                if !unique {
                    out.push(Problem::new(instance, format!("{} has non-unique elements", repr())));
                }
            }
            "pattern" => {
                let (Value::Str(text), Some(pattern)) = (&instance.value, value.as_str()) else { return };
                if !search(pattern, text) {
                    out.push(Problem::new(instance, format!("{} does not match {}", repr(), str_repr(pattern))));
                }
            }
            "minimum" | "maximum" => {
                if matches!(instance.value, Value::Bool(_)) {
                    return;
                }
                let (Some(x), Some(limit)) = (number(&instance.value), number(&value.value)) else { return };
                let exclusive_key = if keyword == "minimum" { "exclusiveMinimum" } else { "exclusiveMaximum" };
                let exclusive = schema.get(exclusive_key).and_then(Node::as_bool) == Some(true);
                let (failed, cmp) = match (keyword == "minimum", exclusive) {
                    (true, false) => (x < limit, "less than"),
                    (true, true) => (x <= limit, "less than or equal to"),
                    (false, false) => (x > limit, "greater than"),
                    (false, true) => (x >= limit, "greater than or equal to"),
                };
                if failed {
                    let what = if keyword == "minimum" { "minimum" } else { "maximum" };
                    out.push(Problem::new(
                        instance,
                        format!("{} is {cmp} the {what} of {}", repr(), pyrepr::repr(value)),
                    ));
                }
            }
            "format" => {
                if value.as_str() == Some("date")
                    && let Value::Str(s) = &instance.value
                    && !is_iso_date(s)
                {
                    out.push(Problem::new(instance, format!("{} is not a 'date'", repr())));
                }
            }
            "allOf" => {
                for sub in value.as_seq().unwrap_or_default() {
                    self.descend(instance, sub, None, out);
                }
            }
            "anyOf" | "oneOf" => self.any_or_one_of(keyword == "oneOf", value, instance, out),
            "not" if self.is_valid(instance, value) => {
                out.push(Problem::new(
                    instance,
                    format!("{} should not be valid under {}", repr(), pyrepr::repr(value)),
                ));
            }
            "deprecated" if value.as_bool() == Some(true) => {
                let message = match schema.get("description").and_then(Node::as_str) {
                    Some(d) if !d.is_empty() => format!("DEPRECATED: {d}"),
                    _ => "DEPRECATED.".to_owned(),
                };
                let mut p = Problem::new(instance, message);
                p.deprecation = true;
                out.push(p);
            }
            "dependencies" => {
                let (Some(deps), Some(entries)) = (value.as_map(), instance.as_map()) else { return };
                for (name, dep) in deps {
                    let Some(name) = name.as_str() else { continue };
                    if !entries.iter().any(|(k, _)| k.as_str() == Some(name)) {
                        continue;
                    }
                    if let Some(list) = dep.as_seq() {
                        for each in list.iter().filter_map(Node::as_str) {
                            if !entries.iter().any(|(k, _)| k.as_str() == Some(each)) {
                                out.push(Problem::new(
                                    instance,
                                    format!("{} is a dependency of {}", str_repr(each), str_repr(name)),
                                ));
                            }
                        }
                    } else {
                        self.descend(instance, dep, None, out);
                    }
                }
            }
            "multipleOf" => {
                let (Some(x), Some(d)) = (number(&instance.value), number(&value.value)) else { return };
                if matches!(instance.value, Value::Bool(_)) || d == 0.0 {
                    return;
                }
                if (x / d).fract() != 0.0 {
                    out.push(Problem::new(
                        instance,
                        format!("{} is not a multiple of {}", repr(), pyrepr::repr(value)),
                    ));
                }
            }
            _ => {}
        }
    }

    /// cloud-init's `_anyOf` / `_oneOf`: a subschema that fails only with deprecations is
    /// valid; its deprecations are reported.
    fn any_or_one_of(&self, one_of: bool, value: &Node, instance: &Node, out: &mut Vec<Problem>) {
        let subs = value.as_seq().unwrap_or_default();
        let mut deprecations = Vec::new();
        let mut first_valid = None;
        for (index, sub) in subs.iter().enumerate() {
            let all = self.errors(instance, sub);
            if all.iter().all(|e| e.deprecation) {
                deprecations = all;
                first_valid = Some(index);
                break;
            }
        }
        let Some(first) = first_valid else {
            out.push(Problem::new(
                instance,
                format!("{} is not valid under any of the given schemas", pyrepr::repr(instance)),
            ));
            return;
        };
        if one_of {
            let more: Vec<&Node> = subs[first + 1..].iter().filter(|s| self.is_valid(instance, s)).collect();
            if !more.is_empty() {
                let mut reprs: Vec<String> = more.iter().map(|s| pyrepr::repr(s)).collect();
                reprs.push(pyrepr::repr(&subs[first]));
                out.push(Problem::new(
                    instance,
                    format!("{} is valid under each of {}", pyrepr::repr(instance), reprs.join(", ")),
                ));
                return;
            }
        }
        out.extend(deprecations);
    }
}

/// Python 3.11's `datetime.date.fromisoformat` for the common forms (`YYYY-MM-DD`,
/// `YYYYMMDD`), with the calendar checked.
fn is_iso_date(s: &str) -> bool {
    if !s.is_ascii() {
        return false;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let shape_ok = match s.len() {
        10 => s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' && digits.len() == 8,
        8 => digits.len() == 8,
        _ => false,
    };
    if !shape_ok {
        return false;
    }
    let year: u32 = digits[..4].parse().unwrap_or(0);
    let month: u32 = digits[4..6].parse().unwrap_or(0);
    let day: u32 = digits[6..].parse().unwrap_or(0);
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}
