//! The modules that run commands, write files and install packages: `bootcmd` (every boot, a
//! shell script run at once), `write-files` and `write-files-deferred`, `runcmd` (which only
//! writes `/var/lib/cloud/instance/scripts/runcmd`) and `scripts-user` (which runs it), the
//! other `scripts-*`, `package-update-upgrade-install` (apt-get through the guest's shell) and
//! `final-message`. Commands run in the guest's simulated shell, as root, and their output goes
//! to `/var/log/cloud-init-output.log`.

use super::boot::Run;
use super::state;
use super::yaml::{Node, Value};

/// `util.shellify`: a `#!/bin/sh` script of the commands (lists quoted word by word).
fn shellify(run: &mut Run<'_>, node: &Node) -> Result<String, String> {
    let Some(items) = node.as_seq() else {
        return Err(format!(
            "TypeError(\"Input to shellify was type '{}'. Expected list or tuple.\")",
            type_name(node)
        ));
    };
    let mut content = String::from("#!/bin/sh\n");
    let mut made = 0;
    for item in items {
        match &item.value {
            Value::Seq(words) => {
                let quoted: Vec<String> = words
                    .iter()
                    .map(|w| format!("'{}'", w.to_plain_string().unwrap_or_default().replace('\'', "'\\''")))
                    .collect();
                content.push_str(&quoted.join(" "));
                content.push('\n');
                made += 1;
            }
            Value::Str(s) => {
                content.push_str(s);
                content.push('\n');
                made += 1;
            }
            Value::Null => {}
            _ => {
                return Err(format!(
                    "TypeError(\"Unable to shellify type '{}'. Expected list, string, tuple. Got: {}\")",
                    type_name(item),
                    item.repr()
                ));
            }
        }
    }
    run.debug("util.py", &format!("Shellified {made} commands."));
    Ok(content)
}

/// Python's type name of a value.
fn type_name(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::Seq(_) => "list",
        Value::Map(_) => "dict",
        _ => "object",
    }
}

/// `cc_bootcmd`: the commands in a temporary script, run with `/bin/sh` at every boot.
pub fn bootcmd(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    let Some(cmds) = run.cfg.get("bootcmd").cloned() else {
        run.debug("cc_bootcmd.py", &format!("Skipping module named {name}, no 'bootcmd' key in configuration"));
        return Ok(());
    };
    let script = shellify(run, &cmds)?;
    let tmp = format!("/tmp/tmp{}.sh", short_id(run));
    run.write_file(&tmp, script.as_bytes(), 0o600);
    run.subp_log(&["/bin/sh", &tmp], false);
    let iid = run.iid.clone();
    let (out, status) = run.shell(&format!("INSTANCE_ID='{iid}'\n{script}"));
    run.output(&out);
    run.del_file(&tmp);
    if status != 0 {
        run.warning("cc_bootcmd.py", &format!("Failed to run bootcmd module {name}"));
        return Err(process_error(&["/bin/sh", &tmp], status));
    }
    Ok(())
}

/// A temporary file's random part, from the world's random generator.
fn short_id(run: &mut Run<'_>) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_";
    (0..8).map(|_| char::from(CHARS[rand::Rng::random_range(&mut run.world.rng, 0..CHARS.len())])).collect()
}

/// `ProcessExecutionError`'s text for a failed command.
fn process_error(args: &[&str], status: i32) -> String {
    let list: Vec<String> = args.iter().map(|a| format!("\\'{a}\\'")).collect();
    format!(
        "ProcessExecutionError('Unexpected error while running command.\\nCommand: [{}]\\nExit code: {status}\\nReason: -\\nStdout: -\\nStderr: -')",
        list.join(", ")
    )
}

/// `decode_perms`: an octal string (`'0644'`), or an int taken as it is (so `644` is 0o1204,
/// as in cloud-init).
fn decode_perms(run: &mut Run<'_>, node: Option<&Node>) -> u32 {
    let default = 0o644;
    let Some(node) = node else { return default };
    match &node.value {
        Value::Int(i) => u32::try_from(*i).unwrap_or(default),
        Value::Float(f) => *f as u32,
        _ => {
            let text = node.to_plain_string().unwrap_or_default();
            u32::from_str_radix(text.trim(), 8).unwrap_or_else(|_| {
                run.warning("cc_write_files.py", &format!("Undecodable permissions {text}, returning default 644"));
                default
            })
        }
    }
}

/// Writes the `write_files` entries whose `defer` is `deferred`.
fn write_entries(run: &mut Run<'_>, name: &str, deferred: bool) -> Result<(), String> {
    let entries: Vec<Node> =
        run.cfg.get("write_files").and_then(Node::as_seq).map(<[Node]>::to_vec).unwrap_or_default();
    let chosen: Vec<(usize, Node)> = entries
        .into_iter()
        .enumerate()
        .filter(|(_, e)| e.get("defer").and_then(state::truthy).unwrap_or(false) == deferred)
        .collect();
    if chosen.is_empty() {
        let what = if deferred {
            "no deferred file defined in configuration"
        } else {
            "no/empty 'write_files' key in configuration"
        };
        run.debug(
            if deferred { "cc_write_files_deferred.py" } else { "cc_write_files.py" },
            &format!("Skipping module named {name}, {what}"),
        );
        return Ok(());
    }
    for (i, entry) in chosen {
        let Some(path) = entry.get("path").and_then(Node::to_plain_string).filter(|p| !p.is_empty()) else {
            run.warning(
                "cc_write_files.py",
                &format!("No path provided to write for entry {} in module {name}", i + 1),
            );
            continue;
        };
        let path = normalize_path(&path);
        let encoding = entry.get("encoding").and_then(Node::to_plain_string).unwrap_or_default().to_lowercase();
        let raw = match entry.get("content").map(|n| &n.value) {
            Some(Value::Bytes(b)) => b.clone(),
            Some(_) => entry.get("content").and_then(Node::to_plain_string).unwrap_or_default().into_bytes(),
            None => Vec::new(),
        };
        let content = match encoding.trim() {
            "b64" | "base64" => {
                crate::sim::guest::ids::base64_decode(&String::from_utf8_lossy(&raw)).unwrap_or_default()
            }
            "gz" | "gzip" | "gz+base64" | "gzip+base64" | "gz+b64" | "gzip+b64" => {
                return Err(
                    "NotImplementedError('GuestLab does not decompress gzip content in write_files')".to_owned()
                );
            }
            "" | "text/plain" => raw,
            other => {
                run.warning("cc_write_files.py", &format!("Unknown encoding type {other}, assuming text/plain"));
                raw
            }
        };
        let owner = entry.get("owner").and_then(Node::to_plain_string).unwrap_or_else(|| "root:root".to_owned());
        let (user, group) =
            owner.split_once(':').map_or((owner.clone(), None), |(u, g)| (u.to_owned(), Some(g.to_owned())));
        let perms = decode_perms(run, entry.get("permissions"));
        let append = entry.get("append").and_then(state::truthy).unwrap_or(false);
        if append {
            run.append_file(&path, &content);
            let now = run.now();
            if let Ok(ino) = run.fs().resolve(crate::sim::vfs::ROOT, &path, true)
                && let Some(node) = run.fs_mut().node_mut(ino)
            {
                node.mode = perms;
                node.mtime = now;
            }
        } else {
            run.write_file(&path, &content, perms);
        }
        let passwd = state::passwd_entries(run.fs());
        let Some(uid) = passwd.iter().find(|p| p.0 == user).map(|p| p.1) else {
            return Err(format!("KeyError(\"getpwnam(): name not found: '{user}'\")"));
        };
        let gid = match &group {
            Some(g) => match state::group_entries(run.fs()).iter().find(|x| &x.0 == g) {
                Some(x) => x.1,
                None => return Err(format!("KeyError(\"getgrnam(): name not found: '{g}'\")")),
            },
            None => 0,
        };
        run.debug("util.py", &format!("Changing the ownership of {path} to {uid}:{gid}"));
        run.chown(&path, uid, gid);
    }
    Ok(())
}

/// `os.path.abspath`.
fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `cc_write_files` (init stage): the entries without `defer: true`.
pub fn write_files(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    write_entries(run, name, false)
}

/// `cc_write_files_deferred` (final stage): the entries with `defer: true`, after users and
/// packages exist.
pub fn write_files_deferred(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    write_entries(run, name, true)
}

/// `cc_runcmd`: writes the script that `scripts-user` runs in the final stage.
pub fn runcmd(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    let Some(cmds) = run.cfg.get("runcmd").cloned() else {
        run.debug("cc_runcmd.py", &format!("Skipping module named {name}, no 'runcmd' key in configuration"));
        return Ok(());
    };
    let path = format!("{}/scripts/runcmd", state::instance_dir(&run.iid));
    let script = shellify(run, &cmds)
        .map_err(|e| format!("TypeError('Failed to shellify {} into file {path}') from {e}", cmds.repr()))?;
    run.write_file(&path, script.as_bytes(), 0o700);
    Ok(())
}

/// `subp.runparts`: each executable file of a directory, in name order.
fn runparts(run: &mut Run<'_>, dir: &str) -> Result<(), String> {
    let Some(entries) =
        run.fs().resolve(crate::sim::vfs::ROOT, dir, true).ok().and_then(|d| run.fs().entries(d).ok().cloned())
    else {
        return Ok(());
    };
    let mut failed = Vec::new();
    let mut attempted = 0;
    for (name, ino) in entries {
        let executable = run.fs().node(ino).is_some_and(|n| !n.is_dir() && n.mode & 0o111 != 0);
        if !executable {
            continue;
        }
        attempted += 1;
        let path = format!("{dir}/{name}");
        let script = run.read(&path).unwrap_or_default();
        run.subp_log(&[&path], false);
        let (out, status) = run.shell(&script);
        run.output(&out);
        if status != 0 {
            run.debug(
                "subp.py",
                &format!("Unexpected error while running command.\nCommand: ['{path}']\nExit code: {status}\nReason: -\nStdout: -\nStderr: -"),
            );
            failed.push(name);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "RuntimeError('Runparts: {} failures ({}) in {attempted} attempted commands')",
            failed.len(),
            failed.join(",")
        ))
    }
}

fn scripts_in(run: &mut Run<'_>, name: &str, dir: &str, what: &str) -> Result<(), String> {
    runparts(run, dir).inspect_err(|_| {
        run.warning(
            &format!("cc_{}.py", name.replace('-', "_")),
            &format!("Failed to run module {name} ({what} in {dir})"),
        );
    })
}

pub fn scripts_vendor(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    let dir = format!("{}/scripts/vendor", state::INSTANCE_LINK);
    scripts_in(run, name, &dir, "vendor")
}

pub fn scripts_per_once(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    scripts_in(run, name, "/var/lib/cloud/scripts/per-once", "per-once")
}

pub fn scripts_per_boot(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    scripts_in(run, name, "/var/lib/cloud/scripts/per-boot", "per-boot")
}

pub fn scripts_per_instance(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    scripts_in(run, name, "/var/lib/cloud/scripts/per-instance", "per-instance")
}

/// `cc_scripts_user`: runs the instance's scripts — the runcmd script and shell-script
/// user-data.
pub fn scripts_user(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    let dir = format!("{}/scripts", state::INSTANCE_LINK);
    scripts_in(run, name, &dir, "scripts")
}

/// Runs an apt-get command the way the Debian distro class does.
fn apt(run: &mut Run<'_>, sub: &str, packages: &[String]) -> Result<(), String> {
    run.debug("debian.py", "Waiting for apt lock");
    run.debug("debian.py", "apt lock available");
    let mut args: Vec<String> = [
        "apt-get",
        "--option=Dpkg::Options::=--force-confold",
        "--option=Dpkg::options::=--force-unsafe-io",
        "--assume-yes",
        "--quiet",
        sub,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.extend(packages.iter().cloned());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run.subp_log(&refs, false);
    let (out, status) = run.shell(&args.join(" "));
    run.output(&out);
    run.tick(if sub == "install" { 2_500 * packages.len() as u64 } else { 1_800 });
    if status == 0 { Ok(()) } else { Err(process_error(&refs, status)) }
}

/// `cc_package_update_upgrade_install`.
pub fn package_update_upgrade_install(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let flag = |run: &Run<'_>, a: &str, b: &str| run.cfg.bool(a, false) || run.cfg.bool(b, false);
    let update = flag(run, "apt_update", "package_update");
    let upgrade = flag(run, "package_upgrade", "apt_upgrade");
    let packages: Vec<String> = run
        .cfg
        .get("packages")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| match &p.value {
            Value::Seq(pair) if pair.len() == 2 => Some(format!(
                "{}={}",
                pair[0].to_plain_string().unwrap_or_default(),
                pair[1].to_plain_string().unwrap_or_default()
            )),
            _ => p.to_plain_string(),
        })
        .collect();
    let mut errors = Vec::new();
    if update || upgrade || !packages.is_empty() {
        let sem = format!("{}/sem/update_sources", state::instance_dir(&run.iid));
        if run.exists(&sem) {
            run.debug("helpers.py", "update-sources already ran (freq=once-per-instance)");
        } else {
            run.write_file(
                &sem,
                format!("1207: {}\n", state::py_float(run.log.boot_epoch as f64 + run.t as f64 / 1000.0)).as_bytes(),
                0o644,
            );
            run.debug("helpers.py", &format!("Running update-sources using lock (<FileLock using file '{sem}'>)"));
            if let Err(e) = apt(run, "update", &[]) {
                run.warning("cc_package_update_upgrade_install.py", "Package update failed");
                errors.push(e);
            }
        }
    }
    if upgrade && let Err(e) = apt(run, "dist-upgrade", &[]) {
        run.warning("cc_package_update_upgrade_install.py", "Package upgrade failed");
        errors.push(e);
    }
    if !packages.is_empty()
        && let Err(e) = apt(run, "install", &packages)
    {
        run.warning(
            "cc_package_update_upgrade_install.py",
            &format!("Failed to install packages: {packages:?}").replace('"', "'"),
        );
        errors.push(e);
    }
    match errors.pop() {
        Some(last) => {
            run.warning(
                "cc_package_update_upgrade_install.py",
                &format!("{} failed with exceptions, re-raising the last one", errors.len() + 1),
            );
            Err(last)
        }
        None => Ok(()),
    }
}

/// `cc_final_message`: the message (default or `final_message`, `$UPTIME`-style or jinja
/// variables) to stderr and the log, and `/var/lib/cloud/instance/boot-finished`.
pub fn final_message(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let default = "## template: jinja\nCloud-init v. {{version}} finished at {{timestamp}}. Datasource {{datasource}}.  Up {{uptime}} seconds";
    let text = run
        .cfg
        .str("final_message")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| default.to_owned());
    let uptime = state::uptime(run.t);
    let timestamp = state::rfc2822(run.now());
    let subs = [
        ("uptime", uptime.clone()),
        ("timestamp", timestamp.clone()),
        ("version", state::VERSION.to_owned()),
        ("datasource", run.datasource.clone()),
    ];
    let rendered = match text.strip_prefix("## template: jinja") {
        Some(body) => {
            let mut out = body.trim_start_matches('\n').to_owned();
            for (k, v) in &subs {
                for key in [k.to_string(), k.to_uppercase()] {
                    out = out.replace(&format!("{{{{{key}}}}}"), v).replace(&format!("{{{{ {key} }}}}"), v);
                }
            }
            out
        }
        None => {
            let mut out = text.clone();
            for (k, v) in &subs {
                for key in [k.to_string(), k.to_uppercase()] {
                    out = out.replace(&format!("${{{key}}}"), v).replace(&format!("${key}"), v);
                }
            }
            out
        }
    };
    run.output(&rendered);
    run.debug("util.py", &rendered);
    let path = format!("{}/boot-finished", state::INSTANCE_LINK);
    run.write_file(&path, format!("{uptime} - {timestamp} - v. {}\n", state::VERSION).as_bytes(), 0o644);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_absolute_as_python_does() {
        assert_eq!(normalize_path("/etc/../var//www/./index.html"), "/var/www/index.html");
        assert_eq!(normalize_path("relative/file"), "/relative/file");
    }
}
