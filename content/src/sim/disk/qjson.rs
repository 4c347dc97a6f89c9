//! JSON as QEMU prints it: QDict objects iterate their keys in hash-bucket order (not in
//! insertion order), and the pretty printer indents by four spaces with empty containers on
//! two lines. Matching both makes `--output=json` byte-for-byte identical.

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Obj(Vec<(String, Json)>),
    Arr(Vec<Json>),
    Str(String),
    Int(i64),
    Bool(bool),
}

/// The number of buckets of a QDict.
const BUCKETS: u32 = 512;

/// QEMU's `tdb_hash`.
fn tdb_hash(name: &str) -> u32 {
    let bytes = name.as_bytes();
    let mut value: u32 = 0x238F_13AF_u32.wrapping_mul(bytes.len() as u32);
    for (i, &b) in bytes.iter().enumerate() {
        value = value.wrapping_add(u32::from(b) << ((i as u32 * 5) % 24));
    }
    1_103_515_243_u32.wrapping_mul(value).wrapping_add(12345)
}

impl Json {
    /// An object from (key, value) pairs in insertion order; printed in QDict order.
    pub fn obj(pairs: Vec<(&str, Json)>) -> Self {
        Self::Obj(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    pub fn str(s: &str) -> Self {
        Self::Str(s.to_owned())
    }

    pub fn int(v: u64) -> Self {
        Self::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }

    /// Pretty-printed as `qobject_to_json_pretty`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Self::Obj(pairs) => {
                out.push('{');
                // Buckets in order; inside a bucket, the last inserted key comes first.
                let mut ordered: Vec<(u32, usize, &String, &Json)> =
                    pairs.iter().enumerate().map(|(i, (k, v))| (tdb_hash(k) % BUCKETS, i, k, v)).collect();
                crate::order::sort_by(&mut ordered, |a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                for (n, (_, _, key, value)) in ordered.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push('\n');
                    push_indent(out, indent + 1);
                    write_str(out, key);
                    out.push_str(": ");
                    value.write(out, indent + 1);
                }
                out.push('\n');
                push_indent(out, indent);
                out.push('}');
            }
            Self::Arr(items) => {
                out.push('[');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push('\n');
                    push_indent(out, indent + 1);
                    item.write(out, indent + 1);
                }
                out.push('\n');
                push_indent(out, indent);
                out.push(']');
            }
            Self::Str(s) => write_str(out, s),
            Self::Int(v) => out.push_str(&v.to_string()),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
    }
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level * 4 {
        out.push(' ');
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_out_in_qemu_order() {
        // The order `qemu-img check --output=json` prints, whatever order they go in.
        let check = Json::obj(vec![
            ("filename", Json::str("a.qcow2")),
            ("format", Json::str("qcow2")),
            ("check-errors", Json::Int(0)),
            ("image-end-offset", Json::Int(1376256)),
            ("total-clusters", Json::Int(16384)),
            ("allocated-clusters", Json::Int(16)),
        ]);
        assert_eq!(
            check.pretty(),
            "{\n    \"image-end-offset\": 1376256,\n    \"total-clusters\": 16384,\n    \"check-errors\": 0,\n    \"allocated-clusters\": 16,\n    \"filename\": \"a.qcow2\",\n    \"format\": \"qcow2\"\n}"
        );
    }

    #[test]
    fn empty_containers_span_two_lines() {
        let v = Json::obj(vec![("children", Json::Arr(vec![])), ("data", Json::Obj(vec![]))]);
        let text = v.pretty();
        assert!(text.contains("\"children\": [\n    ]"), "{text}");
        assert!(text.contains("\"data\": {\n    }"), "{text}");
    }
}
