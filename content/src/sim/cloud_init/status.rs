//! `cloud-init status [--long] [--wait] [--format tabular|json|yaml]`, `cloud-init clean
//! [--logs] [--seed] [--machine-id] [--reboot]` and `cloud-init query` of cloud-init 22.4.2
//! (cloudinit/cmd/status.py, clean.py, query.py), read from and acting on the files the boot
//! left (`/run/cloud-init/status.json`, `result.json`, `enabled`/`disabled`,
//! `instance-data.json`, `/var/lib/cloud`), so that they answer on the host too ("not run").

use super::state::{self, Json};
use super::yaml::{self, Node, Value};
use crate::sim::shell::Ctx;
use crate::sim::vfs::ROOT;

const PROG: &str = "/usr/bin/cloud-init";

const STATUS_USAGE: &str = "usage: /usr/bin/cloud-init status [-h] [--format {json,tabular,yaml}] [-l]\n                                  [-w]\n";
const STATUS_HELP: &str = "\noptions:\n  -h, --help            show this help message and exit\n  --format {json,tabular,yaml}\n                        Specify output format for cloud-id (default: tabular)\n  -l, --long            Report long format of statuses including run stage\n                        name and error messages\n  -w, --wait            Block waiting on cloud-init to complete\n";
const CLEAN_HELP: &str = "usage: /usr/bin/cloud-init clean [-h] [-l] [--machine-id] [-r] [-s]\n\noptions:\n  -h, --help    show this help message and exit\n  -l, --logs    Remove cloud-init logs.\n  --machine-id  Remove /etc/machine-id for golden image creation. Next boot\n                generates a new machine-id.\n  -r, --reboot  Reboot system after logs are cleaned so cloud-init re-runs.\n  -s, --seed    Remove cloud-init seed directory /var/lib/cloud/seed.\n";
const QUERY_USAGE: &str = "usage: query [-h] [-d] [-i INSTANCE_DATA] [-l] [-u USER_DATA] [-v VENDOR_DATA]\n             [-a] [-f FORMAT]\n             [varname]\n";

/// argparse's complaint about words it does not know: the top-level usage.
fn unrecognized(ctx: &mut Ctx<'_>, words: &[String]) -> i32 {
    ctx.err(super::command::USAGE);
    ctx.err(&format!("{PROG}: error: unrecognized arguments: {}\n", words.join(" ")));
    2
}

/// What `get_status_details` finds: (status, boot code, detail, errors, last update, datasource).
pub struct Details {
    pub status: &'static str,
    pub boot_code: &'static str,
    pub detail: String,
    pub errors: Vec<String>,
    pub last_update: String,
    pub datasource: String,
}

fn exists(ctx: &Ctx<'_>, path: &str) -> bool {
    ctx.fs().resolve(ROOT, path, true).is_ok()
}

/// `get_status_details` on the current machine (systemd assumed: Debian 12).
pub fn details(ctx: &Ctx<'_>) -> Details {
    let run = state::RUN_DIR;
    let (boot_code, mut detail) = if exists(ctx, state::DISABLED_FILE) {
        ("disabled-by-marker-file", format!("Cloud-init disabled by {}", state::DISABLED_FILE))
    } else if exists(ctx, &format!("{run}/disabled")) {
        ("disabled-by-generator", "Cloud-init disabled by cloud-init-generator".to_owned())
    } else if exists(ctx, &format!("{run}/enabled")) {
        ("enabled-by-generator", "Cloud-init enabled by systemd cloud-init-generator".to_owned())
    } else {
        ("unknown", "Systemd generator may not have run yet.".to_owned())
    };
    let mut status = if boot_code.starts_with("disabled") { "disabled" } else { "not run" };
    let mut errors = Vec::new();
    let mut datasource = String::new();
    let mut latest = 0.0f64;
    let status_file = format!("{run}/status.json");
    if exists(ctx, &status_file) {
        if !exists(ctx, &format!("{run}/result.json")) {
            status = "running";
        }
        let text = ctx.fs().read_text(ROOT, &status_file, 1 << 20).unwrap_or_default();
        let doc = yaml::parse(&text).ok();
        let v1 = doc.as_ref().and_then(|d| d.get("v1")).and_then(Node::as_map).unwrap_or_default();
        let mut entries: Vec<&(Node, Node)> = v1.iter().collect();
        crate::order::sort_by_key(&mut entries, |(k, _)| k.to_plain_string().unwrap_or_default());
        for (k, v) in entries {
            match k.as_str().unwrap_or_default() {
                "stage" => {
                    if let Some(stage) = v.as_str() {
                        status = "running";
                        detail = format!("Running in stage: {stage}");
                    }
                }
                "datasource" => {
                    if let Some(ds) = v.as_str() {
                        detail = ds.to_owned();
                        datasource = ds.split(' ').next().unwrap_or_default().to_lowercase().replace("datasource", "");
                    }
                }
                _ if v.as_map().is_some() => {
                    errors.extend(v.get("errors").map(state::string_list).unwrap_or_default());
                    let num = |key: &str| match v.get(key).map(|n| &n.value) {
                        Some(Value::Float(f)) => *f,
                        Some(Value::Int(i)) => *i as f64,
                        _ => 0.0,
                    };
                    let (start, finished) = (num("start"), num("finished"));
                    if finished == 0.0 && start != 0.0 {
                        status = "running";
                    }
                    latest = latest.max(start.max(finished));
                }
                _ => {}
            }
        }
    }
    if !errors.is_empty() {
        status = "error";
        detail = errors.join("\n");
    } else if status == "not run" && latest > 0.0 {
        status = "done";
    }
    let last_update = if latest > 0.0 { state::rfc2822(latest as i64) } else { String::new() };
    Details { status, boot_code, detail, errors, last_update, datasource }
}

/// A YAML scalar as PyYAML's `safe_dump` writes one.
fn yaml_scalar(s: &str) -> String {
    let special = s.is_empty()
        || s.parse::<f64>().is_ok()
        || matches!(s.to_lowercase().as_str(), "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~")
        || s.starts_with([
            ' ', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
        ])
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains('\n');
    if special { format!("'{}'", s.replace('\'', "''")) } else { s.to_owned() }
}

/// `cloud-init status`.
pub fn status(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (mut long, mut wait, mut format) = (false, false, "tabular".to_owned());
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-h" | "--help" => {
                ctx.out(STATUS_USAGE);
                ctx.out(STATUS_HELP);
                return 0;
            }
            "-l" | "--long" => long = true,
            "-w" | "--wait" => wait = true,
            "-lw" | "-wl" => (long, wait) = (true, true),
            "--format" => {
                i += 1;
                format = args.get(i).cloned().unwrap_or_default();
            }
            a if a.starts_with("--format=") => format = a["--format=".len()..].to_owned(),
            other => unknown.push(other.to_owned()),
        }
        i += 1;
    }
    if !["json", "tabular", "yaml"].contains(&format.as_str()) {
        ctx.err(STATUS_USAGE);
        ctx.err(&format!(
            "{PROG} status: error: argument --format: invalid choice: '{format}' (choose from 'json', 'tabular', 'yaml')\n"
        ));
        return 2;
    }
    if !unknown.is_empty() {
        return unrecognized(ctx, &unknown);
    }
    let d = details(ctx);
    if wait && matches!(d.status, "not run" | "running") {
        // The real command polls every 0.25 s for ever: nothing here will run cloud-init.
        if format == "tabular" {
            ctx.out(".");
        }
        ctx.err("\nGuestLab: cloud-init will not run on this machine until it boots again; cloud-init status --wait would wait for ever, so it stops here.\n");
        return 1;
    }
    match format.as_str() {
        "tabular" => {
            let prefix = if wait { "\n" } else { "" };
            let mut s = format!("{prefix}status: {}\n", d.status);
            if long {
                let last =
                    if d.last_update.is_empty() { String::new() } else { format!("last_update: {}\n", d.last_update) };
                s.push_str(&format!("boot_status_code: {}\n{last}detail:\n{}\n", d.boot_code, d.detail));
            }
            ctx.out(&s);
        }
        _ => {
            let fields = |d: &Details| {
                vec![
                    ("boot_status_code".to_owned(), Json::str(d.boot_code)),
                    ("datasource".to_owned(), Json::str(&d.datasource)),
                    ("detail".to_owned(), Json::str(&d.detail)),
                    ("errors".to_owned(), Json::List(d.errors.iter().map(|e| Json::str(e)).collect())),
                    ("last_update".to_owned(), Json::str(&d.last_update)),
                    ("status".to_owned(), Json::str(d.status)),
                ]
            };
            if format == "json" {
                let mut all = fields(&d);
                all.push(("_schema_version".to_owned(), Json::str("1")));
                all.push(("schemas".to_owned(), Json::Object(vec![("1".to_owned(), Json::Object(fields(&d)))])));
                ctx.out(&format!("{}\n", Json::Object(all).dumps_indent(2)));
            } else {
                let mut s = String::from("---\n_schema_version: '1'\n");
                let one = |s: &mut String, indent: &str, d: &Details| {
                    s.push_str(&format!(
                        "{indent}boot_status_code: {}\n{indent}datasource: {}\n{indent}detail: {}\n",
                        yaml_scalar(d.boot_code),
                        yaml_scalar(&d.datasource),
                        yaml_scalar(&d.detail)
                    ));
                    if d.errors.is_empty() {
                        s.push_str(&format!("{indent}errors: []\n"));
                    } else {
                        s.push_str(&format!("{indent}errors:\n"));
                        for e in &d.errors {
                            s.push_str(&format!("{indent}- {}\n", yaml_scalar(e)));
                        }
                    }
                    s.push_str(&format!("{indent}last_update: {}\n", yaml_scalar(&d.last_update)));
                };
                one(&mut s, "", &d);
                s.push_str("schemas:\n    '1':\n");
                one(&mut s, "        ", &d);
                s.push_str(&format!(
                    "        status: {}\nstatus: {}\n...\n\n",
                    yaml_scalar(d.status),
                    yaml_scalar(d.status)
                ));
                ctx.out(&s);
            }
        }
    }
    i32::from(d.status == "error")
}

/// `cloud-init clean`: everything in /var/lib/cloud but the seed (unless `--seed`), the two
/// logs with `--logs`, /etc/machine-id with `--machine-id`, then a reboot with `--reboot`.
pub fn clean(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (mut logs, mut seed, mut machine_id, mut reboot) = (false, false, false, false);
    let mut unknown = Vec::new();
    for a in args {
        match a.as_str() {
            "-h" | "--help" => {
                ctx.out(CLEAN_HELP);
                return 0;
            }
            "-l" | "--logs" => logs = true,
            "-s" | "--seed" => seed = true,
            "--machine-id" => machine_id = true,
            "-r" | "--reboot" => reboot = true,
            s if s.starts_with('-')
                && !s.starts_with("--")
                && s.len() > 2
                && s[1..].chars().all(|c| "lsr".contains(c)) =>
            {
                logs |= s.contains('l');
                seed |= s.contains('s');
                reboot |= s.contains('r');
            }
            other => unknown.push(other.to_owned()),
        }
    }
    if !unknown.is_empty() {
        return unrecognized(ctx, &unknown);
    }
    let root = ctx.var("USER").unwrap_or("root") == "root";
    let now = ctx.now();
    let fs_has = |ctx: &Ctx<'_>, p: &str| ctx.fs().resolve(ROOT, p, false).is_ok();
    if logs {
        for f in [state::LOG_FILE, state::OUTPUT_LOG] {
            if fs_has(ctx, f) {
                if !root {
                    ctx.err(&format!("Error:\nCould not remove {f}: [Errno 13] Permission denied: '{f}'\n"));
                    return 1;
                }
                crate::sim::libvirt::files::remove(ctx.fs_mut(), f, now);
            }
        }
    }
    let mut status = 0;
    if let Ok(dir) = ctx.fs().resolve(ROOT, state::CLOUD_DIR, true) {
        let names: Vec<String> = ctx.fs().entries(dir).map(|e| e.keys().cloned().collect()).unwrap_or_default();
        for n in names {
            if n == "seed" && !seed {
                continue;
            }
            let path = format!("{}/{n}", state::CLOUD_DIR);
            if !root {
                ctx.err(&format!("Error:\nCould not remove {path}: [Errno 13] Permission denied: '{path}'\n"));
                status = 1;
                break;
            }
            crate::sim::libvirt::files::remove(ctx.fs_mut(), &path, now);
        }
    }
    if machine_id {
        crate::sim::libvirt::files::remove(ctx.fs_mut(), "/etc/machine-id", now);
    }
    if status == 0 && reboot {
        return crate::sim::shell::commands::dispatch(ctx, &["reboot".to_owned()]);
    }
    status
}

/// The instance data as `cloud-init query` reads it: the JSON file plus `userdata` and
/// `vendordata`, with the `v1` keys copied to the top (and `_` aliases of `-` keys when
/// `aliases`).
fn query_data(ctx: &mut Ctx<'_>, aliases: bool) -> Option<Json> {
    let root = ctx.var("USER").unwrap_or("root") == "root";
    let redacted = format!("{}/instance-data.json", state::RUN_DIR);
    let sensitive = format!("{}/instance-data-sensitive.json", state::RUN_DIR);
    let file = if root && exists(ctx, &sensitive) {
        sensitive
    } else {
        if root {
            ctx.err(&format!("WARNING: Missing root-readable {sensitive}. Using redacted {redacted} instead.\n"));
        }
        redacted
    };
    let Some(text) = ctx.fs().read_text(ROOT, &file, 16 << 20) else {
        ctx.err(&format!("ERROR: Missing instance-data file: {file}\n"));
        return None;
    };
    let mut data = match yaml::parse(&text).ok().map(|n| Json::from_node(&n)) {
        Some(Json::Object(v)) => v,
        _ => Vec::new(),
    };
    let ud = format!("{}/user-data.txt", state::INSTANCE_LINK);
    let vd = format!("{}/vendor-data.txt", state::INSTANCE_LINK);
    if root {
        data.push(("userdata".to_owned(), Json::str(&ctx.fs().read_text(ROOT, &ud, 16 << 20).unwrap_or_default())));
        data.push(("vendordata".to_owned(), Json::str(&ctx.fs().read_text(ROOT, &vd, 16 << 20).unwrap_or_default())));
    } else {
        data.push(("userdata".to_owned(), Json::Str(format!("<REDACTED FOR NON-ROOT USERS> file:{ud}"))));
        data.push(("vendordata".to_owned(), Json::Str(format!("<REDACTED FOR NON-ROOT USERS> file:{vd}"))));
    }
    Some(convert(Json::Object(data), aliases))
}

/// `convert_jinja_instance_data`.
fn convert(value: Json, aliases: bool) -> Json {
    let Json::Object(entries) = value else { return value };
    let mut out: Vec<(String, Json)> = Vec::new();
    let mut sorted = entries;
    crate::order::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
    for (k, v) in sorted {
        let v = convert(v, aliases);
        if k.len() > 1
            && k.starts_with('v')
            && k[1..].chars().all(|c| c.is_ascii_digit())
            && let Json::Object(sub) = &v
        {
            for (sk, sv) in sub {
                set(&mut out, sk, sv.clone());
            }
        }
        if aliases && k.contains('-') {
            set(&mut out, &k.replace('-', "_"), v.clone());
        }
        set(&mut out, &k, v);
    }
    Json::Object(out)
}

fn set(entries: &mut Vec<(String, Json)>, key: &str, value: Json) {
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some(e) => e.1 = value,
        None => entries.push((key.to_owned(), value)),
    }
}

/// Walks a dotted varname; `Err` is query's error message.
fn lookup<'a>(data: &'a Json, varname: &str) -> Result<&'a Json, String> {
    let mut cur = data;
    let mut walked = String::new();
    for part in varname.split('.') {
        cur = cur.get(part).ok_or_else(|| {
            if walked.is_empty() {
                format!("Undefined instance-data key '{varname}'")
            } else {
                format!("instance-data '{walked}' has no '{part}'")
            }
        })?;
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
    }
    Ok(cur)
}

/// `cloud-init query [-a] [-l] [-f FORMAT] [varname]`.
pub fn query(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (mut all, mut list, mut format, mut varname) = (false, false, None, None);
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-h" | "--help" => {
                ctx.out(&format!("usage: {PROG} query [-h] [-d] [-i INSTANCE_DATA] [-l]\n                                 [-u USER_DATA] [-v VENDOR_DATA] [-a]\n                                 [-f FORMAT]\n                                 [varname]\n"));
                return 0;
            }
            "-a" | "--all" => all = true,
            "-l" | "--list-keys" => list = true,
            "-d" | "--debug" => {}
            "-f" | "--format" => {
                i += 1;
                format = args.get(i).cloned();
            }
            "-i" | "--instance-data" | "-u" | "--user-data" | "-v" | "--vendor-data" => i += 1,
            a if a.starts_with('-') => unknown.push(a.to_owned()),
            a if varname.is_none() => varname = Some(a.to_owned()),
            a => unknown.push(a.to_owned()),
        }
        i += 1;
    }
    if !unknown.is_empty() {
        return unrecognized(ctx, &unknown);
    }
    if !all && !list && format.is_none() && varname.is_none() {
        ctx.err("ERROR: Expected one of the options: --all, --format, --list-keys or varname\n");
        ctx.out(QUERY_USAGE);
        return 1;
    }
    let Some(data) = query_data(ctx, varname.is_some() || format.is_some()) else { return 1 };
    if let Some(f) = format {
        let mut out = String::new();
        let mut rest = f.as_str();
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find("}}") else { break };
            let key = rest[start + 2..start + end].trim();
            match lookup(&data, key) {
                Ok(Json::Str(s)) => out.push_str(s),
                Ok(other) => out.push_str(&other.dumps()),
                Err(_) => {}
            }
            rest = &rest[start + end + 2..];
        }
        out.push_str(rest);
        ctx.out(&format!("{out}\n"));
        return 0;
    }
    let response = match &varname {
        Some(v) => match lookup(&data, v) {
            Ok(r) => r.clone(),
            Err(e) => {
                ctx.err(&format!("ERROR: {e}\n"));
                return 1;
            }
        },
        None => data,
    };
    if list {
        let Json::Object(entries) = &response else {
            ctx.err(&format!("ERROR: --list-keys provided but '{}' is not a dict\n", varname.unwrap_or_default()));
            return 1;
        };
        let mut keys: Vec<&String> = entries.iter().map(|(k, _)| k).collect();
        crate::order::sort(&mut keys);
        let text: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        ctx.out(&format!("{}\n", text.join("\n")));
        return 0;
    }
    match response {
        Json::Str(s) => ctx.out(&format!("{s}\n")),
        other => ctx.out(&format!("{}\n", other.dumps())),
    }
    0
}
