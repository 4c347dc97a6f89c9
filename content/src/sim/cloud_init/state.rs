//! cloud-init's state on disk and the pieces the stages share: the paths of
//! `/var/lib/cloud` and `/run/cloud-init` (cloudinit/helpers.py `Paths`), semaphores
//! (`FileSemaphores`), the merged configuration (system `cloud.cfg` and `cloud.cfg.d`, then
//! user-data on top), the log line format of `05_logging.cfg`, and Python's `json.dumps` as
//! cloud-init calls it (`indent=1, sort_keys=True`).

use super::trace::Frequency;
use super::yaml::{self, Node, Value};
use crate::sim::vfs::{ROOT, Vfs};

pub const CLOUD_DIR: &str = "/var/lib/cloud";
pub const RUN_DIR: &str = "/run/cloud-init";
pub const INSTANCE_LINK: &str = "/var/lib/cloud/instance";
pub const LOG_FILE: &str = "/var/log/cloud-init.log";
pub const OUTPUT_LOG: &str = "/var/log/cloud-init-output.log";
pub const VERSION: &str = "22.4.2";
pub const NO_PREVIOUS_INSTANCE_ID: &str = "NO_PREVIOUS_INSTANCE_ID";
/// `/etc/cloud/cloud-init.disabled`: cloud-init does not run while it exists.
pub const DISABLED_FILE: &str = "/etc/cloud/cloud-init.disabled";

/// The instance directory of an instance-id (`/` in an id becomes `_`).
pub fn instance_dir(iid: &str) -> String {
    format!("{CLOUD_DIR}/instances/{}", iid.replace('/', "_"))
}

/// The semaphore file of a run name (`config-write-files`) and frequency, or `None` for
/// `always` (a dummy lock).
pub fn semaphore(iid: &str, run_name: &str, freq: Frequency) -> Option<String> {
    let name = run_name.replace('-', "_");
    match freq {
        Frequency::Always => None,
        Frequency::PerInstance => Some(format!("{}/sem/{name}", instance_dir(iid))),
        Frequency::Once => Some(format!("{CLOUD_DIR}/sem/{name}.once")),
    }
}

/// `Mon, 02 Jun 2025 09:00:05 +0000` (`util.time_rfc2822`, UTC).
pub fn rfc2822(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (y, mo, d, h, mi, s) = crate::sim::time::civil(secs);
    format!(
        "{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} +0000",
        DAYS[crate::sim::time::weekday(secs) as usize],
        MONTHS[(mo - 1) as usize]
    )
}

/// `/proc/uptime`'s first field for an uptime in milliseconds (`12.34`).
pub fn uptime(ms: u64) -> String {
    format!("{}.{:02}", ms / 1000, (ms % 1000) / 10)
}

/// cloud-init.log: `%(asctime)s - %(filename)s[%(levelname)s]: %(message)s`.
#[derive(Clone, Debug, Default)]
pub struct Log {
    /// Unix seconds at uptime 0.
    pub boot_epoch: i64,
    pub lines: Vec<String>,
}

impl Log {
    /// One record (a message of several lines stays one record).
    pub fn line(&mut self, at_ms: u64, file: &str, level: &str, message: &str) -> String {
        let secs = self.boot_epoch + (at_ms / 1000) as i64;
        let stamp = crate::sim::time::format_datetime(secs);
        let line = format!("{stamp},{:03} - {file}[{level}]: {message}", at_ms % 1000);
        self.lines.push(line.clone());
        line
    }
}

/// The merged configuration: user-data's cloud-config over the files of `/etc/cloud`.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The user-data cloud-config (a mapping), if any.
    pub user: Option<Node>,
    /// `/etc/cloud/cloud.cfg` and `/etc/cloud/cloud.cfg.d/*.cfg`, later files first (they
    /// override earlier ones).
    pub system: Vec<Node>,
}

impl Config {
    /// Reads the system configuration of a guest.
    pub fn system(fs: &Vfs) -> Self {
        let mut files = vec!["/etc/cloud/cloud.cfg".to_owned()];
        if let Ok(dir) = fs.resolve(ROOT, "/etc/cloud/cloud.cfg.d", true)
            && let Ok(entries) = fs.entries(dir)
        {
            files.extend(entries.keys().filter(|n| n.ends_with(".cfg")).map(|n| format!("/etc/cloud/cloud.cfg.d/{n}")));
        }
        let mut system: Vec<Node> = files
            .iter()
            .filter_map(|f| fs.read_text(ROOT, f, 1 << 20))
            .filter_map(|t| yaml::parse(&t).ok())
            .filter(|n| n.as_map().is_some())
            .collect();
        system.reverse();
        Self { user: None, system }
    }

    /// A top-level key: from user-data, else from the system files.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.user.iter().chain(self.system.iter()).find_map(|n| n.get(key))
    }

    /// Whether a key is present at all.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// `util.get_cfg_option_bool`: true for `true`, `1`, `yes`, `on` (any case).
    pub fn bool(&self, key: &str, default: bool) -> bool {
        self.get(key).map_or(default, |n| truthy(n).unwrap_or(false))
    }

    /// `util.get_cfg_option_str`.
    pub fn str(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::to_plain_string)
    }

    /// `system_info.default_user.KEY`.
    pub fn default_user(&self) -> Option<&Node> {
        self.user.iter().chain(self.system.iter()).find_map(|n| n.get("system_info")?.get("default_user"))
    }

    /// The user-data's own keys (for the modules that are activated by keys).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for doc in self.user.iter().chain(self.system.iter()) {
            for (k, _) in doc.as_map().unwrap_or_default() {
                if let Some(k) = k.as_str()
                    && !keys.iter().any(|x| x == k)
                {
                    keys.push(k.to_owned());
                }
            }
        }
        keys
    }
}

/// `util.translate_bool`/`is_true`: booleans, and the strings cloud-init accepts.
pub fn truthy(node: &Node) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::Str(s) => match s.trim().to_lowercase().as_str() {
            "true" | "1" | "on" | "yes" => Some(true),
            "false" | "0" | "off" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A list option (`util.get_cfg_option_list`): a list of scalars, or one scalar.
pub fn string_list(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(Node::to_plain_string).collect(),
        Value::Null => Vec::new(),
        _ => node.to_plain_string().into_iter().collect(),
    }
}

/// A JSON value as cloud-init writes one (`status.json`, `instance-data.json`).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Json>),
    /// Keys are sorted on output, as `sort_keys=True`.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn str(s: &str) -> Self {
        Self::Str(s.to_owned())
    }

    /// Looks a key up in an object.
    pub fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Self::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// From a parsed YAML/JSON node.
    pub fn from_node(node: &Node) -> Self {
        match &node.value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Int(i) => i64::try_from(*i).map_or_else(|_| Self::Str(i.to_string()), Self::Int),
            Value::Float(f) => Self::Float(*f),
            Value::Seq(items) => Self::List(items.iter().map(Self::from_node).collect()),
            Value::Map(entries) => Self::Object(
                entries.iter().map(|(k, v)| (k.to_plain_string().unwrap_or_default(), Self::from_node(v))).collect(),
            ),
            _ => Self::Str(node.to_plain_string().unwrap_or_default()),
        }
    }

    /// `json.dumps(value, indent=1, sort_keys=True, separators=(",", ": "))`.
    pub fn dumps(&self) -> String {
        self.dumps_indent(1)
    }

    /// As [`Json::dumps`] with another indent (`cloud-init status --format json`: 2).
    pub fn dumps_indent(&self, indent: usize) -> String {
        let mut out = String::new();
        self.write(&mut out, 0, indent);
        out
    }

    fn write(&self, out: &mut String, depth: usize, indent: usize) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Int(i) => out.push_str(&i.to_string()),
            Self::Float(f) => out.push_str(&py_float(*f)),
            Self::Str(s) => out.push_str(&json_string(s)),
            Self::List(items) if items.is_empty() => out.push_str("[]"),
            Self::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Self::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&" ".repeat((depth + 1) * indent));
                    item.write(out, depth + 1, indent);
                }
                out.push('\n');
                out.push_str(&" ".repeat(depth * indent));
                out.push(']');
            }
            Self::Object(entries) => {
                let mut sorted: Vec<&(String, Json)> = entries.iter().collect();
                crate::order::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
                out.push('{');
                for (i, (k, v)) in sorted.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&" ".repeat((depth + 1) * indent));
                    out.push_str(&json_string(k));
                    out.push_str(": ");
                    v.write(out, depth + 1, indent);
                }
                out.push('\n');
                out.push_str(&" ".repeat(depth * indent));
                out.push('}');
            }
        }
    }
}

/// Python's `repr(float)`.
pub fn py_float(f: f64) -> String {
    let s = format!("{f}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") { s } else { format!("{s}.0") }
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii=True`).
pub fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An account of `/etc/passwd`: (name, uid, gid, gecos, home, shell).
pub type Account = (String, u32, u32, String, String, String);

/// The accounts of `/etc/passwd`.
pub fn passwd_entries(fs: &Vfs) -> Vec<Account> {
    passwd_parse(&fs.read_text(ROOT, "/etc/passwd", 1 << 20).unwrap_or_default())
}

/// The accounts of a passwd text.
pub fn passwd_parse(text: &str) -> Vec<Account> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() >= 7).then(|| {
                (
                    f[0].to_owned(),
                    f[2].parse().unwrap_or(0),
                    f[3].parse().unwrap_or(0),
                    f[4].to_owned(),
                    f[5].to_owned(),
                    f[6].to_owned(),
                )
            })
        })
        .collect()
}

/// The groups of `/etc/group`: (name, gid, members).
pub fn group_entries(fs: &Vfs) -> Vec<(String, u32, Vec<String>)> {
    group_parse(&fs.read_text(ROOT, "/etc/group", 1 << 20).unwrap_or_default())
}

/// The groups of a group text.
pub fn group_parse(text: &str) -> Vec<(String, u32, Vec<String>)> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() >= 4).then(|| {
                (
                    f[0].to_owned(),
                    f[2].parse().unwrap_or(0),
                    f[3].split(',').filter(|m| !m.is_empty()).map(str::to_owned).collect(),
                )
            })
        })
        .collect()
}

/// The password fields of `/etc/shadow`: (name, field).
pub fn shadow_entries(fs: &Vfs) -> Vec<(String, String)> {
    shadow_parse(&fs.read_text(ROOT, "/etc/shadow", 1 << 20).unwrap_or_default())
}

/// The password fields of a shadow text.
pub fn shadow_parse(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split(':');
            Some((f.next()?.to_owned(), f.next()?.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_written_as_python_writes_it() {
        let v = Json::Object(vec![(
            "v1".to_owned(),
            Json::Object(vec![
                ("stage".to_owned(), Json::Null),
                (
                    "init".to_owned(),
                    Json::Object(vec![
                        ("errors".to_owned(), Json::List(vec![])),
                        ("start".to_owned(), Json::Float(1_748_854_805.5)),
                    ]),
                ),
                ("datasource".to_owned(), Json::str("DataSourceNoCloud [seed=/dev/sr0][dsmode=net]")),
            ]),
        )]);
        assert_eq!(
            v.dumps(),
            "{\n \"v1\": {\n  \"datasource\": \"DataSourceNoCloud [seed=/dev/sr0][dsmode=net]\",\n  \"init\": {\n   \"errors\": [],\n   \"start\": 1748854805.5\n  },\n  \"stage\": null\n }\n}"
        );
        assert_eq!(py_float(3.0), "3.0");
        assert_eq!(json_string("é\"\n"), "\"\\u00e9\\\"\\n\"");
    }

    #[test]
    fn times_and_semaphores() {
        assert_eq!(rfc2822(crate::sim::EPOCH), "Mon, 02 Jun 2025 09:00:00 +0000");
        assert_eq!(uptime(5_123), "5.12");
        assert_eq!(
            semaphore("web1-001", "config-write-files", Frequency::PerInstance).as_deref(),
            Some("/var/lib/cloud/instances/web1-001/sem/config_write_files")
        );
        assert_eq!(
            semaphore("x", "config-scripts-per-once", Frequency::Once).as_deref(),
            Some("/var/lib/cloud/sem/config_scripts_per_once.once")
        );
        assert_eq!(semaphore("x", "config-bootcmd", Frequency::Always), None);
        let mut log = Log { boot_epoch: crate::sim::EPOCH, lines: Vec::new() };
        assert_eq!(log.line(3_541, "util.py", "DEBUG", "hello"), "2025-06-02 09:00:03,541 - util.py[DEBUG]: hello");
    }
}
