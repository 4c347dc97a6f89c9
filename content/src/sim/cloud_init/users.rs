//! The modules that touch accounts and SSH: `users-groups` (Debian's `useradd` under the
//! distro's `create_user`: `/etc/passwd`, `/etc/group`, `/etc/shadow`, the home directory from
//! `/etc/skel`, sudo rules in `/etc/sudoers.d/90-cloud-init-users`, `authorized_keys`),
//! `ssh` (host keys deleted and made anew, the default user's and root's keys), `set-passwords`
//! (`chpasswd`, `ssh_pwauth` in `sshd_config`) and `ssh-authkey-fingerprints`.

use super::boot::Run;
use super::state::{self, string_list, truthy};
use super::yaml::{Node, Value};
use crate::sim::guest::ids::base64_decode;
use crate::sim::guest::keygen;
use crate::sim::guest::os::KeyType;

/// One user to create: the keys of its cloud-config entry (the default user's merged in).
#[derive(Clone, Debug, Default)]
struct UserSpec {
    name: String,
    gecos: Option<String>,
    groups: Vec<String>,
    homedir: Option<String>,
    primary_group: Option<String>,
    shell: Option<String>,
    uid: Option<u32>,
    passwd: Option<String>,
    plain_text_passwd: Option<String>,
    hashed_passwd: Option<String>,
    lock_passwd: bool,
    sudo: Option<Vec<String>>,
    /// `sudo: false` (deprecated) or a type cloud-init cannot use (`sudo: true`).
    sudo_bad: Option<String>,
    system: bool,
    no_create_home: bool,
    no_user_group: bool,
    keys: Option<Vec<String>>,
}

fn list_or_csv(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Str(s) => s.split(',').map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()).collect(),
        Value::Map(entries) => entries.iter().filter_map(|(k, _)| k.to_plain_string()).collect(),
        _ => string_list(node),
    }
}

fn spec_from(name: &str, node: Option<&Node>, base: Option<&UserSpec>) -> UserSpec {
    let mut s = base.cloned().unwrap_or(UserSpec { name: name.to_owned(), lock_passwd: true, ..UserSpec::default() });
    s.name = name.to_owned();
    let Some(node) = node else { return s };
    let get = |k: &str| node.get(k).or_else(|| node.get(&k.replace('_', "-")));
    let text = |k: &str| get(k).and_then(Node::to_plain_string);
    if let Some(v) = text("gecos") {
        s.gecos = Some(v);
    }
    if let Some(v) = get("groups") {
        s.groups = list_or_csv(v);
    }
    s.homedir = text("homedir").or(s.homedir);
    s.primary_group = text("primary_group").or(s.primary_group);
    s.shell = text("shell").or(s.shell);
    if let Some(u) = get("uid").and_then(|n| n.as_int().or_else(|| n.as_str().and_then(|t| t.parse().ok()))) {
        s.uid = u32::try_from(u).ok();
    }
    s.passwd = text("passwd").or(s.passwd);
    s.plain_text_passwd = text("plain_text_passwd").or(s.plain_text_passwd);
    s.hashed_passwd = text("hashed_passwd").or(s.hashed_passwd);
    if let Some(v) = get("lock_passwd").and_then(truthy) {
        s.lock_passwd = v;
    }
    match get("sudo").map(|n| &n.value) {
        Some(Value::Str(rule)) => s.sudo = Some(vec![rule.clone()]),
        Some(Value::Seq(rules)) => s.sudo = Some(rules.iter().filter_map(Node::to_plain_string).collect()),
        Some(Value::Bool(false)) | Some(Value::Null) => s.sudo = None,
        Some(_) => s.sudo_bad = get("sudo").map(Node::repr),
        None => {}
    }
    s.system = get("system").and_then(truthy).unwrap_or(s.system);
    s.no_create_home = get("no_create_home").and_then(truthy).unwrap_or(s.no_create_home);
    s.no_user_group = get("no_user_group").and_then(truthy).unwrap_or(s.no_user_group);
    if let Some(k) = get("ssh_authorized_keys") {
        s.keys = Some(match &k.value {
            Value::Map(entries) => entries.iter().filter_map(|(_, v)| v.to_plain_string()).collect(),
            _ => string_list(k),
        });
    }
    s
}

/// The groups of the configuration with their members.
type Groups = Vec<(String, Vec<String>)>;

/// `ug_util.normalize_users_groups`: the users (the default user first where `default` is
/// listed), which of them is the default user, and the groups.
fn normalize(run: &Run<'_>) -> (Vec<UserSpec>, Option<String>, Groups) {
    let default_node = run.cfg.default_user().cloned();
    let default_name = default_node.as_ref().and_then(|d| d.get("name")).and_then(Node::to_plain_string);
    let default_spec = default_name.as_ref().map(|n| spec_from(n, default_node.as_ref(), None));
    let mut users: Vec<UserSpec> = Vec::new();
    let mut has_default = false;
    let items: Vec<Node> = match run.cfg.get("users").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.clone(),
        Some(Value::Str(text)) => {
            text.split(',').map(|u| Node { value: Value::Str(u.trim().to_owned()), line: 0, column: 0 }).collect()
        }
        Some(Value::Map(entries)) => entries
            .iter()
            .map(|(k, v)| {
                let mut node = v.clone();
                if let Value::Map(e) = &mut node.value {
                    e.insert(0, (Node { value: Value::Str("name".to_owned()), line: 0, column: 0 }, k.clone()));
                }
                node
            })
            .collect(),
        _ => Vec::new(),
    };
    for item in &items {
        match &item.value {
            Value::Str(name) if name == "default" => {
                if let Some(d) = &default_spec
                    && !users.iter().any(|u| u.name == d.name)
                {
                    users.insert(0, d.clone());
                    has_default = true;
                }
            }
            Value::Str(name) => users.push(spec_from(name, None, None)),
            Value::Map(_) => {
                let Some(name) = item.get("name").and_then(Node::to_plain_string) else { continue };
                let base = default_spec.as_ref().filter(|d| d.name == name);
                let spec = spec_from(&name, Some(item), base);
                match users.iter_mut().find(|u| u.name == name) {
                    Some(u) => *u = spec,
                    None => users.push(spec),
                }
            }
            _ => {}
        }
    }
    let groups = match run.cfg.get("groups").map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .flat_map(|g| match &g.value {
                Value::Map(entries) => entries
                    .iter()
                    .map(|(k, v)| (k.to_plain_string().unwrap_or_default(), list_or_csv(v)))
                    .collect::<Vec<_>>(),
                _ => g.to_plain_string().map(|n| vec![(n, Vec::new())]).unwrap_or_default(),
            })
            .collect(),
        Some(Value::Str(text)) => text.split(',').map(|g| (g.trim().to_owned(), Vec::new())).collect(),
        Some(Value::Map(entries)) => {
            entries.iter().map(|(k, v)| (k.to_plain_string().unwrap_or_default(), list_or_csv(v))).collect()
        }
        _ => Vec::new(),
    };
    (users, if has_default { default_name } else { None }, groups)
}

fn set_lines(run: &mut Run<'_>, path: &str, lines: &[String], mode: u32) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let now = run.now();
    let fs = run.fs_mut();
    let existed = fs.resolve(crate::sim::vfs::ROOT, path, true).is_ok();
    if let Ok(ino) = fs.put_file(path, text.as_bytes(), mode, now)
        && !existed
        && let Some(node) = fs.node_mut(ino)
    {
        node.mode = mode;
    }
}

fn file_lines(run: &Run<'_>, path: &str) -> Vec<String> {
    run.read(path).unwrap_or_default().lines().map(str::to_owned).collect()
}

/// `groupadd NAME` (a free GID from 1000 up, or a system one below 1000).
fn groupadd(run: &mut Run<'_>, name: &str, gid: Option<u32>) -> u32 {
    let groups = state::group_entries(run.fs());
    let gid = gid
        .filter(|g| !groups.iter().any(|x| x.1 == *g))
        // shadow's find_new_gid: the one after the highest GID in use from GID_MIN up.
        .unwrap_or_else(|| {
            groups.iter().map(|x| x.1).filter(|g| (1000..60000).contains(g)).max().map_or(1000, |m| m + 1)
        });
    let mut lines = file_lines(run, "/etc/group");
    lines.push(format!("{name}:x:{gid}:"));
    set_lines(run, "/etc/group", &lines, 0o644);
    gid
}

/// `usermod -a -G GROUP USER`.
fn add_member(run: &mut Run<'_>, group: &str, user: &str) {
    add_to_groups(run, &[group.to_owned()], user);
}

/// Adds a user to several groups in one rewrite of `/etc/group` (`useradd --groups`).
fn add_to_groups(run: &mut Run<'_>, groups: &[String], user: &str) {
    let lines: Vec<String> = file_lines(run, "/etc/group")
        .into_iter()
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ':').collect();
            if f.len() == 4 && groups.iter().any(|g| g == f[0]) && !f[3].split(',').any(|m| m == user) {
                let members = if f[3].is_empty() { user.to_owned() } else { format!("{},{user}", f[3]) };
                format!("{}:{}:{}:{members}", f[0], f[1], f[2])
            } else {
                l
            }
        })
        .collect();
    set_lines(run, "/etc/group", &lines, 0o644);
}

/// `distro.create_group`.
fn create_group(run: &mut Run<'_>, name: &str, members: &[String]) {
    if state::group_entries(run.fs()).iter().any(|g| g.0 == name) {
        run.warning("__init__.py", &format!("Skipping creation of existing group '{name}'"));
    } else {
        run.subp_log(&["groupadd", name], true);
        groupadd(run, name, None);
        run.info("__init__.py", &format!("Created new group {name}"));
    }
    for member in members {
        if !state::passwd_entries(run.fs()).iter().any(|p| &p.0 == member) {
            run.warning(
                "__init__.py",
                &format!("Unable to add group member '{member}' to group '{name}'; user does not exist."),
            );
            continue;
        }
        run.subp_log(&["usermod", "-a", "-G", name, member], true);
        add_member(run, name, member);
        run.info("__init__.py", &format!("Added user '{member}' to group '{name}'"));
    }
}

/// Sets the password field of a user in /etc/shadow.
fn set_shadow(run: &mut Run<'_>, user: &str, field: &str) {
    let lines: Vec<String> = file_lines(run, "/etc/shadow")
        .into_iter()
        .map(|l| match l.split_once(':') {
            Some((u, rest)) if u == user => {
                let rest = rest.split_once(':').map_or("", |(_, r)| r);
                format!("{u}:{field}:{rest}")
            }
            _ => l,
        })
        .collect();
    set_lines(run, "/etc/shadow", &lines, 0o640);
}

fn shadow_field(run: &Run<'_>, user: &str) -> Option<String> {
    state::shadow_entries(run.fs()).into_iter().find(|(u, _)| u == user).map(|(_, f)| f)
}

/// Debian's `useradd` (shadow 4.13) with cloud-init's options.
fn useradd(run: &mut Run<'_>, u: &UserSpec) {
    let mut args: Vec<String> = vec!["useradd".into(), u.name.clone()];
    let mut logged = args.clone();
    let mut push = |flag: &str, value: Option<String>, secret: bool| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            args.extend([flag.to_owned(), v.clone()]);
            logged.extend([flag.to_owned(), if secret { "REDACTED".to_owned() } else { v }]);
        }
    };
    push("--comment", u.gecos.clone(), false);
    push("--groups", (!u.groups.is_empty()).then(|| u.groups.join(",")), false);
    push("--home", u.homedir.clone(), false);
    push("--password", u.passwd.clone(), true);
    push("--gid", u.primary_group.clone(), false);
    push("--shell", u.shell.clone(), false);
    push("--uid", u.uid.map(|x| x.to_string()), false);
    for (on, flag) in [(u.no_user_group, "--no-user-group"), (u.system, "--system")] {
        if on {
            logged.push(flag.to_owned());
        }
    }
    let create_home = !(u.no_create_home || u.system);
    logged.push(if create_home { "-m" } else { "-M" }.to_owned());
    run.debug("__init__.py", &format!("Adding user {}", u.name));
    let list: Vec<String> = logged.iter().map(|a| format!("'{a}'")).collect();
    run.debug(
        "subp.py",
        &format!("Running hidden command to protect sensitive input/output logstring: [{}]", list.join(", ")),
    );
    let passwd = state::passwd_entries(run.fs());
    let uid = u.uid.unwrap_or_else(|| {
        let range = if u.system { 100..1000 } else { 1000..60000 };
        let max = passwd.iter().map(|p| p.1).filter(|x| range.contains(x)).max();
        max.map_or(range.start, |m| m + 1)
    });
    let groups = state::group_entries(run.fs());
    let gid = match &u.primary_group {
        Some(g) => groups.iter().find(|x| &x.0 == g).map_or_else(|| g.parse().unwrap_or(100), |x| x.1),
        None if u.no_user_group => 100,
        None => groupadd(run, &u.name, Some(uid)),
    };
    let home = u.homedir.clone().unwrap_or_else(|| format!("/home/{}", u.name));
    let shell = u.shell.clone().unwrap_or_else(|| {
        run.read("/etc/default/useradd")
            .and_then(|t| t.lines().find_map(|l| l.strip_prefix("SHELL=").map(str::to_owned)))
            .unwrap_or_else(|| "/bin/sh".to_owned())
    });
    let mut lines = file_lines(run, "/etc/passwd");
    lines.push(format!("{}:x:{uid}:{gid}:{}:{home}:{shell}", u.name, u.gecos.clone().unwrap_or_default()));
    set_lines(run, "/etc/passwd", &lines, 0o644);
    add_to_groups(run, &u.groups, &u.name);
    let day = crate::sim::guest::cloud_image::shadow_day(run.now());
    let mut shadow = file_lines(run, "/etc/shadow");
    shadow.push(format!("{}:{}:{day}:0:99999:7:::", u.name, u.passwd.clone().unwrap_or_else(|| "!".to_owned())));
    set_lines(run, "/etc/shadow", &shadow, 0o640);
    if create_home && !run.exists(&home) {
        run.ensure_dir(&home, 0o755);
        run.chown(&home, uid, gid);
        for skel in [".bash_logout", ".bashrc", ".profile"] {
            if let Some(text) = run.read(&format!("/etc/skel/{skel}")) {
                let path = format!("{home}/{skel}");
                let now = run.now();
                let _ = run.fs_mut().put_file(&path, text.as_bytes(), 0o644, now);
                run.chown(&path, uid, gid);
            }
        }
    }
}

/// `ssh_util.setup_user_keys`: the keys into the user's `~/.ssh/authorized_keys` (created
/// 0600 in a 0700 `~/.ssh`, both the user's), existing lines with the same key replaced.
pub fn setup_user_keys(run: &mut Run<'_>, keys: &[String], user: &str, options: Option<&str>) {
    let Some((_, uid, gid, _, home, _)) = state::passwd_entries(run.fs()).into_iter().find(|p| p.0 == user) else {
        return;
    };
    let dir = format!("{home}/.ssh");
    let file = format!("{dir}/authorized_keys");
    if !run.exists(&dir) {
        run.ensure_dir(&dir, 0o700);
        run.chown(&dir, uid, gid);
    }
    if !run.exists(&file) {
        run.write_file(&file, b"", 0o600);
        run.chown(&file, uid, gid);
    }
    let mut lines = file_lines(run, &file);
    let mut seen: Vec<&String> = Vec::new();
    for key in keys {
        if key.trim().is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let line = match options {
            Some(o) if !o.is_empty() => format!("{o} {}", key.trim()),
            _ => key.trim().to_owned(),
        };
        let b64 = key.split_whitespace().nth(1).unwrap_or_default();
        match lines.iter().position(|l| l.split_whitespace().any(|w| w == b64)) {
            Some(i) => lines[i] = line,
            None => lines.push(line),
        }
    }
    let text: String = if lines.is_empty() { String::new() } else { lines.iter().map(|l| format!("{l}\n")).collect() };
    let mode = run
        .fs()
        .resolve(crate::sim::vfs::ROOT, &file, true)
        .ok()
        .and_then(|i| run.fs().node(i))
        .map_or(0o600, |n| n.mode);
    run.write_file(&file, text.as_bytes(), mode);
}

/// `cc_users_groups`.
pub fn users_groups(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let (users, _default, groups) = normalize(run);
    for (name, members) in &groups {
        create_group(run, name, members);
    }
    for u in &users {
        if state::passwd_entries(run.fs()).iter().any(|p| p.0 == u.name) {
            run.info("__init__.py", &format!("User {} already exists, skipping.", u.name));
        } else {
            let existing = state::group_entries(run.fs());
            for g in &u.groups {
                if !existing.iter().any(|x| &x.0 == g) {
                    create_group(run, g, &[]);
                    run.debug("__init__.py", &format!("created group '{g}' for user '{}'", u.name));
                }
            }
            useradd(run, u);
        }
        if let Some(p) = &u.plain_text_passwd {
            run.debug(
                "subp.py",
                &format!("Running hidden command to protect sensitive input/output logstring: chpasswd for {}", u.name),
            );
            let salt = crate::sim::guest::crypt::new_salt(&mut run.world.rng);
            set_shadow(run, &u.name, &crate::sim::guest::crypt::sha512_crypt(p, &salt));
        }
        if let Some(h) = &u.hashed_passwd {
            run.debug(
                "subp.py",
                &format!("Running hidden command to protect sensitive input/output logstring: chpasswd for {}", u.name),
            );
            set_shadow(run, &u.name, h);
        }
        if u.lock_passwd {
            run.subp_log(&["passwd", "-l", &u.name], true);
            if let Some(f) = shadow_field(run, &u.name).filter(|f| !f.starts_with('!')) {
                set_shadow(run, &u.name, &format!("!{f}"));
            }
        }
        if let Some(bad) = &u.sudo_bad {
            return Err(format!(
                "TypeError(\"Can not create sudoers rule addition with type '{}'\")",
                if bad == "True" { "bool" } else { "unknown" }
            ));
        }
        if let Some(rules) = &u.sudo {
            write_sudo_rules(run, &u.name, rules);
        }
        if let Some(keys) = &u.keys {
            setup_user_keys(run, keys, &u.name, None);
        }
    }
    Ok(())
}

/// `distro.write_sudo_rules` into `/etc/sudoers.d/90-cloud-init-users`.
fn write_sudo_rules(run: &mut Run<'_>, user: &str, rules: &[String]) {
    let path = "/etc/sudoers.d/90-cloud-init-users";
    let mut content = format!("\n# User rules for {user}\n");
    for r in rules {
        content.push_str(&format!("{user} {r}\n"));
    }
    let includes = run.read("/etc/sudoers").is_some_and(|t| {
        t.lines().any(|l| {
            let l = l.trim();
            (l.starts_with("#includedir") || l.starts_with("@includedir"))
                && l.split_whitespace().nth(1) == Some("/etc/sudoers.d")
        })
    });
    if !includes {
        let header = format!("# Added by cloud-init v. {} on {}", state::VERSION, state::rfc2822(run.now()));
        run.append_file("/etc/sudoers", format!("\n{header}\n#includedir /etc/sudoers.d\n").as_bytes());
        run.debug("__init__.py", "Added '#includedir /etc/sudoers.d' to /etc/sudoers");
    }
    run.ensure_dir("/etc/sudoers.d", 0o750);
    if run.exists(path) {
        run.append_file(path, content.as_bytes());
    } else {
        let header = format!("# Created by cloud-init v. {} on {}", state::VERSION, state::rfc2822(run.now()));
        run.write_file(path, format!("{header}\n{content}").as_bytes(), 0o440);
    }
}

/// `DISABLE_USER_OPTS` with the user names filled in.
fn disable_root_opts(user: &str) -> String {
    format!(
        "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command=\"echo 'Please login as the user \\\"{user}\\\" rather than the user \\\"root\\\".';echo;sleep 10;exit 142\""
    )
}

/// `cc_ssh`: host keys deleted (`ssh_deletekeys`, default true) and generated
/// (`ssh_genkeytypes`, default rsa, dsa, ecdsa, ed25519) — ssh-keygen's output goes to the
/// output log —; then the default user's keys and root's (with `disable_root`'s command).
pub fn ssh(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    if run.cfg.bool("ssh_deletekeys", true) {
        let names: Vec<String> = run
            .fs()
            .resolve(crate::sim::vfs::ROOT, "/etc/ssh", true)
            .ok()
            .and_then(|d| run.fs().entries(d).ok().map(|e| e.keys().cloned().collect()))
            .unwrap_or_default();
        for n in names.iter().filter(|n| n.starts_with("ssh_host_") && n.contains("key")) {
            run.del_file(&format!("/etc/ssh/{n}"));
        }
    }
    let types = run
        .cfg
        .get("ssh_genkeytypes")
        .map_or_else(|| ["rsa", "dsa", "ecdsa", "ed25519"].map(String::from).to_vec(), string_list);
    let host = run.read("/etc/hostname").map_or_else(|| "localhost".to_owned(), |h| h.trim().to_owned());
    for t in &types {
        let path = format!("/etc/ssh/ssh_host_{t}_key");
        if run.exists(&path) {
            continue;
        }
        run.subp_log(&["ssh-keygen", "-t", t, "-N", "", "-f", &path], true);
        let kind = match t.as_str() {
            "rsa" => KeyType::Rsa,
            "dsa" => KeyType::Dsa,
            "ecdsa" => KeyType::Ecdsa,
            "ed25519" => KeyType::Ed25519,
            other => {
                run.debug("cc_ssh.py", &format!("ssh-keygen: unknown key type '{other}'"));
                continue;
            }
        };
        let pair = keygen::generate(kind, kind.bits(), &format!("root@{host}"), "", &mut run.world.rng);
        run.write_file(&path, pair.private.as_bytes(), 0o600);
        run.write_file(&format!("{path}.pub"), pair.public.as_bytes(), 0o644);
        run.tick(if kind == KeyType::Rsa { 380 } else { 25 });
        if !run.cfg.bool("ssh_quiet_keygen", false) {
            let out = format!(
                "Generating public/private {t} key pair.\nYour identification has been saved in {path}\nYour public key has been saved in {path}.pub\nThe key fingerprint is:\n{} root@{host}\nThe key's randomart image is:\n{}\n",
                crate::sim::guest::ids::fingerprint(&pair.blob),
                keygen::randomart(&pair.blob)
            );
            run.output(&out);
        }
    }
    let (_, default, _) = normalize(run);
    let disable_root = run.cfg.bool("disable_root", true);
    let mut keys: Vec<String> = Vec::new();
    if let Some(k) = run.cfg.get("ssh_authorized_keys") {
        keys.extend(string_list(k));
    }
    if let Some(user) = &default {
        setup_user_keys(run, &keys, user, None);
    }
    let options = disable_root.then(|| disable_root_opts(default.as_deref().unwrap_or("NONE")));
    setup_user_keys(run, &keys, "root", options.as_deref());
    Ok(())
}

/// `update_ssh_config({key: value})`: replaces the first uncommented setting or appends it.
fn update_sshd_config(run: &mut Run<'_>, key: &str, value: &str) -> bool {
    let path = "/etc/ssh/sshd_config";
    let mut lines = file_lines(run, path);
    let mut changed = false;
    let mut found = false;
    for l in &mut lines {
        let t = l.trim_start();
        if t.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = t.split_once(char::is_whitespace)
            && k.eq_ignore_ascii_case(key)
        {
            found = true;
            if v.trim() != value {
                *l = format!("{k} {value}");
                changed = true;
            }
        }
    }
    if !found {
        lines.push(format!("{key} {value}"));
        changed = true;
    }
    if changed {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        run.write_file(path, text.as_bytes(), 0o644);
    }
    changed
}

/// `cc_set_passwords`: `chpasswd` (`users:` and the deprecated `list:`), expiry, and
/// `ssh_pwauth`.
pub fn set_passwords(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let mut plain: Vec<(String, String)> = Vec::new();
    let mut hashed: Vec<(String, String)> = Vec::new();
    let mut random: Vec<String> = Vec::new();
    let mut expire = true;
    if let Some(ch) = run.cfg.get("chpasswd").cloned() {
        for u in ch.get("users").and_then(Node::as_seq).unwrap_or_default() {
            let (Some(name), Some(pw)) =
                (u.get("name").and_then(Node::to_plain_string), u.get("password").and_then(Node::to_plain_string))
            else {
                continue;
            };
            match u.get("type").and_then(Node::as_str).unwrap_or("hash") {
                "text" => plain.push((name, pw)),
                "RANDOM" => random.push(name),
                _ => hashed.push((name, pw)),
            }
        }
        if let Some(list) = ch.get("list") {
            run.warning("cc_set_passwords.py", "DEPRECATION: key 'lists' is now deprecated. Use 'users'.");
            let lines: Vec<String> = match &list.value {
                Value::Str(t) => t.lines().map(str::to_owned).collect(),
                _ => string_list(list),
            };
            for l in lines {
                let Some((u, p)) = l.split_once(':') else { continue };
                if p.starts_with("$1$") || p.starts_with("$5$") || p.starts_with("$6$") || p.starts_with("$2") {
                    hashed.push((u.to_owned(), p.to_owned()));
                } else if p == "R" || p == "RANDOM" {
                    random.push(u.to_owned());
                } else {
                    plain.push((u.to_owned(), p.to_owned()));
                }
            }
        }
        if let Some(e) = ch.get("expire").and_then(truthy) {
            expire = e;
        }
    }
    if plain.is_empty()
        && hashed.is_empty()
        && random.is_empty()
        && let Some(pw) = run.cfg.str("password")
    {
        let (_, default, _) = normalize(run);
        match default {
            Some(u) => plain.push((u, pw)),
            None => run.warning("cc_set_passwords.py", "No default or defined user to change password for."),
        }
    }
    let mut randlist = Vec::new();
    for u in random {
        let pw: String = (0..20)
            .map(|_| {
                char::from(
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
                        [rand::Rng::random_range(&mut run.world.rng, 0..55)],
                )
            })
            .collect();
        randlist.push(format!("{u}:{pw}"));
        plain.push((u, pw));
    }
    let users: Vec<String> = plain.iter().map(|(u, _)| u.clone()).collect();
    if !users.is_empty() {
        run.debug("cc_set_passwords.py", &format!("Changing password for {users:?}:").replace('"', "'"));
        for (u, p) in &plain {
            let salt = crate::sim::guest::crypt::new_salt(&mut run.world.rng);
            set_shadow(run, u, &crate::sim::guest::crypt::sha512_crypt(p, &salt));
        }
    }
    if !hashed.is_empty() {
        let names: Vec<String> = hashed.iter().map(|(u, _)| u.clone()).collect();
        run.debug("cc_set_passwords.py", &format!("Setting hashed password for {names:?}:").replace('"', "'"));
        for (u, h) in &hashed {
            set_shadow(run, u, h);
        }
    }
    if !randlist.is_empty() {
        run.output(&format!("Set the following 'random' passwords\n{}\n", randlist.join("\n")));
    }
    if expire && !users.is_empty() {
        for u in &users {
            run.subp_log(&["passwd", "--expire", u], true);
            let day = 0;
            let lines: Vec<String> = file_lines(run, "/etc/shadow")
                .into_iter()
                .map(|l| {
                    let mut f: Vec<String> = l.split(':').map(str::to_owned).collect();
                    if f.first() == Some(u) && f.len() > 2 {
                        f[2] = day.to_string();
                    }
                    f.join(":")
                })
                .collect();
            set_lines(run, "/etc/shadow", &lines, 0o640);
        }
        run.debug("cc_set_passwords.py", &format!("Expired passwords for: {users:?} users").replace('"', "'"));
    }
    // handle_ssh_pwauth
    let pwauth = run.cfg.get("ssh_pwauth").cloned();
    let value = pwauth.as_ref().and_then(truthy);
    match (pwauth.as_ref(), value) {
        (None, _) | (Some(Node { value: Value::Null, .. }), _) => {
            run.debug("cc_set_passwords.py", "Leaving SSH config 'PasswordAuthentication' unchanged. ssh_pwauth=None");
        }
        (Some(n), Some(on)) => {
            if matches!(n.value, Value::Str(_)) {
                run.warning("cc_set_passwords.py", "DEPRECATION: The 'ssh_pwauth' config key should be set to a boolean value. The string format is deprecated and will be removed in a future version of cloud-init.");
            }
            let v = if on { "yes" } else { "no" };
            if update_sshd_config(run, "PasswordAuthentication", v) {
                run.subp_log(&["systemctl", "restart", "ssh"], true);
                run.debug("cc_set_passwords.py", "Restarted the SSH daemon.");
            } else {
                run.debug("cc_set_passwords.py", "No need to restart SSH service, PasswordAuthentication not updated.");
            }
        }
        (Some(n), None) => {
            let text = n.to_plain_string().unwrap_or_default();
            if text.eq_ignore_ascii_case("unchanged") {
                run.debug(
                    "cc_set_passwords.py",
                    &format!("Leaving SSH config 'PasswordAuthentication' unchanged. ssh_pwauth={text}"),
                );
            } else {
                run.warning(
                    "cc_set_passwords.py",
                    &format!(
                        "Leaving SSH config 'PasswordAuthentication' unchanged. Unrecognized value: ssh_pwauth={text}"
                    ),
                );
            }
        }
    }
    Ok(())
}

/// `cc_ssh_authkey_fingerprints`: the table of each user's authorized keys (written to the
/// console; GuestLab keeps it in the module's log lines).
pub fn authkey_fingerprints(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let (users, _, _) = normalize(run);
    let accounts = state::passwd_entries(run.fs());
    for u in users {
        let Some(home) = accounts.iter().find(|p| p.0 == u.name).map(|p| p.4.clone()) else {
            continue;
        };
        let file = format!("{home}/.ssh/authorized_keys");
        let keys = file_lines(run, &file);
        if keys.is_empty() {
            run.debug(
                "cc_ssh_authkey_fingerprints.py",
                &format!("ci-info: no authorized SSH keys fingerprints found for user {}.", u.name),
            );
            continue;
        }
        for k in keys {
            let mut w = k.split_whitespace();
            let (Some(alg), Some(b64)) = (w.next(), w.next()) else { continue };
            let hex: String = base64_decode(b64)
                .map(|b| {
                    use sha2::Digest as _;
                    sha2::Sha256::digest(&b).iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":")
                })
                .unwrap_or_default();
            run.debug(
                "cc_ssh_authkey_fingerprints.py",
                &format!("ci-info: {alg} {hex} {}", w.collect::<Vec<_>>().join(" ")),
            );
        }
    }
    Ok(())
}
