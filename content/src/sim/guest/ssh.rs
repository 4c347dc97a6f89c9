//! `ssh` from one machine to another (OpenSSH 9.2 client): name resolution, the host key check
//! against `~/.ssh/known_hosts` (hashed, as Debian's `HashKnownHosts yes` writes it), the
//! first-connection question and the "REMOTE HOST IDENTIFICATION HAS CHANGED" refusal; then
//! sshd's authentication (the client's keys against the user's `authorized_keys`, or the
//! password when `PasswordAuthentication` allows it and the account has one) and a shell or one
//! command on the guest as that user; and `ssh-copy-id`, which appends a public key to the
//! server's `authorized_keys`.

use rand::Rng as _;
use sha1::Sha1;
use sha2::Digest as _;

use super::ids::{base64, base64_decode, fingerprint};
use super::os::KeyType;
use crate::sim::shell::Ctx;
use crate::sim::vfs::ROOT;
use crate::sim::world::MachineId;

/// HMAC-SHA1, as OpenSSH hashes host names in known_hosts.
fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha1::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha1::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Whether the host field of a known_hosts line names `host` (plain, comma list, or hashed).
pub fn host_matches(field: &str, host: &str) -> bool {
    if let Some(rest) = field.strip_prefix("|1|") {
        let Some((salt, hash)) = rest.split_once('|') else { return false };
        let (Some(salt), Some(hash)) = (base64_decode(salt), base64_decode(hash)) else { return false };
        return hmac_sha1(&salt, host.as_bytes()).as_slice() == hash.as_slice();
    }
    field.split(',').any(|h| h == host)
}

/// A hashed known_hosts line for `host` and a public key line.
fn hashed_entry(host: &str, key: &str, salt: &[u8; 20]) -> String {
    format!("|1|{}|{} {key}\n", base64(salt), base64(&hmac_sha1(salt, host.as_bytes())))
}

const MOTD: &str = "\nThe programs included with the Debian GNU/Linux system are free software;\nthe exact distribution terms for each program are described in the\nindividual files in /usr/share/doc/*/copyright.\n\nDebian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\n";

/// The kernel line the guests print at login.
pub const UNAME: &str = "6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64";

/// The client's options that matter here.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// `StrictHostKeyChecking`: `ask` (default), `yes`, `no`, `accept-new`.
    pub strict: String,
    /// `-i` files, in order.
    pub identities: Vec<String>,
    /// `IdentitiesOnly=yes`: only the `-i` files, not the default ones.
    pub identities_only: bool,
    /// `BatchMode=yes` or `PasswordAuthentication=no`: never ask for a password.
    pub no_password: bool,
    /// `PreferredAuthentications` without `password`.
    pub publickey_only: bool,
}

pub fn ssh(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut i = 1;
    let mut user = None;
    let mut opts = ClientOptions { strict: "ask".to_owned(), ..ClientOptions::default() };
    while i < argv.len() && argv[i].starts_with('-') {
        match argv[i].as_str() {
            "-l" => {
                i += 1;
                user = argv.get(i).cloned();
            }
            "-o" => {
                i += 1;
                if let Some(o) = argv.get(i) {
                    client_option(&mut opts, o);
                }
            }
            "-i" => {
                i += 1;
                if let Some(f) = argv.get(i) {
                    opts.identities.push(f.clone());
                }
            }
            "-p" | "-F" => i += 1,
            _ => {}
        }
        i += 1;
    }
    let Some(target) = argv.get(i) else {
        ctx.err("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-Q query_option]\n           [-R address] [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n");
        return 255;
    };
    let (user, host) = match target.split_once('@') {
        Some((u, h)) => (u.to_owned(), h.to_owned()),
        None => (user.unwrap_or_else(|| ctx.var("USER").unwrap_or("root").to_owned()), target.clone()),
    };
    let command: Vec<String> = argv[i + 1..].to_vec();
    let m = match connect(ctx, &host, &opts.strict) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let login = match authenticate(ctx, m, &user, &host, &opts, true) {
        Ok(login) => login,
        Err(status) => return status,
    };
    if let Some(forced) = &login.forced_command {
        let (out, status) = run_as(ctx, m, &login, forced);
        ctx.out(&out.stdout());
        ctx.err(&out.stderr());
        if command.is_empty() {
            ctx.err(&format!("Connection to {host} closed.\n"));
        }
        return status;
    }
    if command.is_empty() {
        let name = ctx.world.machines[m].hostname();
        ctx.out(&format!("Linux {name} {UNAME}\n{MOTD}"));
        enter(ctx, m, &user, &login.home, format!("logout\nConnection to {host} closed.\n"));
        0
    } else {
        let (out, status) = run_as(ctx, m, &login, &command.join(" "));
        ctx.out(&out.stdout());
        ctx.err(&out.stderr());
        status
    }
}

/// Applies one `-o Key=Value` (or `Key Value`) option.
fn client_option(opts: &mut ClientOptions, option: &str) {
    let Some((k, v)) = option.split_once('=').or_else(|| option.split_once(' ')) else { return };
    let v = v.trim().to_lowercase();
    match k.trim().to_lowercase().as_str() {
        "stricthostkeychecking" => opts.strict = v,
        "identitiesonly" => opts.identities_only = v == "yes",
        "batchmode" | "passwordauthentication"
            if v == if k.eq_ignore_ascii_case("batchmode") { "yes" } else { "no" } =>
        {
            opts.no_password = true;
        }
        "preferredauthentications" => opts.publickey_only = !v.split(',').any(|m| m == "password"),
        "identityfile" => opts.identities.push(v),
        _ => {}
    }
}

/// Runs a command line on machine `m` as the logged-in user (their `USER` and `HOME`), and
/// returns what it printed and its status.
fn run_as(ctx: &mut Ctx<'_>, m: MachineId, login: &Login, command: &str) -> (crate::sim::Output, i32) {
    let saved = ctx.world.current;
    ctx.world.current = m;
    let machine = &mut ctx.world.machines[m];
    let saved_env = machine.env.clone();
    let saved_cwd = std::mem::replace(&mut machine.cwd, login.home.clone());
    for (k, v) in [("USER", &login.user), ("LOGNAME", &login.user), ("HOME", &login.home)] {
        machine.env.insert(k.to_owned(), v.clone());
    }
    let out = ctx.world.run(command);
    let machine = &mut ctx.world.machines[m];
    machine.env = saved_env;
    machine.cwd = saved_cwd;
    ctx.world.current = saved;
    let status = out.status;
    (out, status)
}

/// Finds the guest that answers for `host` on port 22 and checks its host key against
/// `~/.ssh/known_hosts` (asking, adding, or refusing as OpenSSH does). `Err` is ssh's exit
/// status after its message.
pub fn connect(ctx: &mut Ctx<'_>, host: &str, strict: &str) -> Result<MachineId, i32> {
    let Some(ip) = resolve(ctx, host) else {
        ctx.err(&format!("ssh: Could not resolve hostname {host}: Name or service not known\n"));
        return Err(255);
    };
    // The guest that answers for this address: the one that took it last.
    let Some(m) = ctx
        .world
        .machines
        .iter()
        .rposition(|m| m.guest.as_ref().is_some_and(|g| g.running && g.ip.as_deref() == Some(ip.as_str())))
    else {
        ctx.err(&format!("ssh: connect to host {host} port 22: No route to host\n"));
        return Err(255);
    };
    if !ctx.world.machines[m].guest.as_ref().is_some_and(|g| g.sshd) {
        ctx.err(&format!("ssh: connect to host {host} port 22: Connection refused\n"));
        return Err(255);
    }
    let Some((kind, key_line)) = host_key(ctx, m) else {
        ctx.err(&format!("ssh: connect to host {host} port 22: Connection refused\n"));
        return Err(255);
    };
    let key = key_line.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let fp = key.split_whitespace().nth(1).and_then(base64_decode).map(|b| fingerprint(&b)).unwrap_or_default();
    let home = ctx.var("HOME").unwrap_or("/root").to_owned();
    let known = format!("{home}/.ssh/known_hosts");
    let text = ctx.read_text(&known, 1 << 20).unwrap_or_default();
    let mut same = false;
    let mut offending = None;
    for (n, line) in text.lines().enumerate() {
        let mut parts = line.split_whitespace();
        let (Some(field), Some(alg), Some(b64)) = (parts.next(), parts.next(), parts.next()) else { continue };
        if !host_matches(field, host) || KeyType::from_algorithm(alg) != Some(kind) {
            continue;
        }
        if format!("{alg} {b64}") == key {
            same = true;
        } else {
            offending = Some((n + 1, KeyType::from_algorithm(alg).map_or("", KeyType::label)));
        }
    }
    if !same {
        if let Some((line, label)) = offending {
            ctx.err(&format!(
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\nSomeone could be eavesdropping on you right now (man-in-the-middle attack)!\nIt is also possible that a host key has just been changed.\nThe fingerprint for the {} key sent by the remote host is\n{fp}.\nPlease contact your system administrator.\nAdd correct host key in {known} to get rid of this message.\nOffending {label} key in {known}:{line}\n  remove with:\n  ssh-keygen -f \"{known}\" -R \"{host}\"\nHost key for {host} has changed and you have requested strict checking.\nHost key verification failed.\n",
                kind.label()
            ));
            return Err(255);
        }
        if strict == "yes" {
            ctx.err(&format!("No {} host key is known for {host} and you have requested strict checking.\nHost key verification failed.\n", kind.label()));
            return Err(255);
        }
        if strict == "ask" {
            // The learner answers the question; GuestLab answers "yes" for them.
            ctx.err(&format!(
                "The authenticity of host '{host} ({ip})' can't be established.\n{} key fingerprint is {fp}.\nThis key is not known by any other names.\nAre you sure you want to continue connecting (yes/no/[fingerprint])? yes\n",
                kind.label()
            ));
        }
        ctx.err(&format!("Warning: Permanently added '{host}' ({}) to the list of known hosts.\n", kind.label()));
        let salt: [u8; 20] = ctx.world.rng.random();
        let now = ctx.now();
        let entry = hashed_entry(host, &key, &salt);
        let fs = ctx.fs_mut();
        let _ = fs.mkdir_p(&format!("{home}/.ssh"), 0o700, now);
        let _ = fs.put_file(&known, format!("{text}{entry}").as_bytes(), 0o644, now);
    }
    Ok(m)
}

/// A successful login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    pub user: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    /// `command="..."` of the authorized key that let the user in: sshd runs it instead of
    /// what the client asked for.
    pub forced_command: Option<String>,
}

/// An effective sshd setting: the first value in `/etc/ssh/sshd_config.d/*.conf` (included at
/// the top of Debian's sshd_config) or `sshd_config`, as sshd takes the first it reads.
pub fn sshd_setting(fs: &crate::sim::vfs::Vfs, key: &str) -> Option<String> {
    let mut files: Vec<String> = fs
        .resolve(ROOT, "/etc/ssh/sshd_config.d", true)
        .ok()
        .and_then(|d| {
            fs.entries(d).ok().map(|e| e.keys().filter(|n| n.ends_with(".conf")).cloned().collect::<Vec<String>>())
        })
        .unwrap_or_default()
        .into_iter()
        .map(|n| format!("/etc/ssh/sshd_config.d/{n}"))
        .collect();
    crate::order::sort(&mut files);
    files.push("/etc/ssh/sshd_config".to_owned());
    files.iter().filter_map(|f| fs.read_text(ROOT, f, 1 << 20)).find_map(|text| {
        text.lines().map(str::trim).filter(|l| !l.starts_with('#')).find_map(|l| {
            let (k, v) = l.split_once(char::is_whitespace)?;
            k.eq_ignore_ascii_case(key).then(|| v.trim().to_owned())
        })
    })
}

/// A user of a machine: (uid, gid, home) from its `/etc/passwd`.
pub fn account(fs: &crate::sim::vfs::Vfs, user: &str) -> Option<(u32, u32, String)> {
    let text = fs.read_text(ROOT, "/etc/passwd", 1 << 20)?;
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 6 && f[0] == user).then(|| (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0), f[5].to_owned()))
    })
}

/// The public keys the client offers: `-i` files, then (unless `IdentitiesOnly`) the default
/// `~/.ssh/id_*` files that exist; each as (file, blob, protected by a passphrase).
fn client_keys(ctx: &mut Ctx<'_>, opts: &ClientOptions) -> Vec<(String, Vec<u8>, bool)> {
    let home = ctx.var("HOME").unwrap_or("/root").to_owned();
    let mut files: Vec<String> = opts.identities.iter().map(|f| f.replacen('~', &home, 1)).collect();
    if !opts.identities_only {
        for name in ["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"] {
            let path = format!("{home}/.ssh/{name}");
            if !files.contains(&path) {
                files.push(path);
            }
        }
    }
    let mut keys = Vec::new();
    for file in files {
        let Some(text) = ctx.read_text(&file, 1 << 20) else {
            if opts.identities.iter().any(|f| f.replacen('~', &home, 1) == file) {
                ctx.err(&format!("Warning: Identity file {file} not accessible: No such file or directory.\n"));
            }
            continue;
        };
        match super::keygen::private_key_info(&text) {
            Some((blob, protected)) => keys.push((file, blob, protected)),
            None => ctx.err(&format!("Load key \"{file}\": invalid format\n")),
        }
    }
    keys
}

/// The options of an `authorized_keys` line that lets `blob` in (Some("") for none), if one
/// does. Lines are `[options] keytype base64 [comment]`.
fn authorized(text: &str, blob: &[u8]) -> Option<String> {
    let wanted = base64(blob);
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words.iter().position(|w| KeyType::from_algorithm(w).is_some() || w.starts_with("ecdsa-sha2-"))?;
        (words.get(at + 1) == Some(&wanted.as_str())).then(|| {
            let prefix = line.find(words[at]).map_or("", |i| line[..i].trim());
            prefix.to_owned()
        })
    })
}

/// `command="..."` among a key's options, with `\"` unescaped as sshd does.
fn forced_command(options: &str) -> Option<String> {
    let start = options.find("command=\"")? + "command=\"".len();
    let mut out = String::new();
    let mut chars = options[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('"') => out.push('"'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            },
            '"' => return Some(out),
            other => out.push(other),
        }
    }
    None
}

/// StrictModes: sshd ignores an authorized_keys file (or its directory) that others can
/// write, or that belongs to someone other than the user or root.
fn strict_modes_ok(fs: &crate::sim::vfs::Vfs, path: &str, uid: u32) -> bool {
    let dir = path.rsplit_once('/').map_or("/", |(d, _)| d);
    [path, dir].iter().all(|p| {
        fs.resolve(ROOT, p, true)
            .ok()
            .and_then(|i| fs.node(i))
            .is_some_and(|n| n.mode & 0o022 == 0 && (n.uid == uid || n.uid == 0))
    })
}

/// sshd's authentication of `user` on machine `m`: public keys the client offers against
/// `~/.ssh/authorized_keys` (and `authorized_keys2`), then — if sshd allows passwords and the
/// client may ask — the password, which GuestLab types for the learner; it works when the
/// account has a usable password in `/etc/shadow` (and is not root under Debian's
/// `PermitRootLogin prohibit-password`). `Err` is ssh's exit status after OpenSSH's messages.
pub fn authenticate(
    ctx: &mut Ctx<'_>,
    m: MachineId,
    user: &str,
    host: &str,
    opts: &ClientOptions,
    ask_password: bool,
) -> Result<Login, i32> {
    let keys = client_keys(ctx, opts);
    let fs = &ctx.world.machines[m].fs;
    let password_auth = sshd_setting(fs, "PasswordAuthentication").is_none_or(|v| v.eq_ignore_ascii_case("yes"));
    let kbd = sshd_setting(fs, "KbdInteractiveAuthentication").is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    let root_login = sshd_setting(fs, "PermitRootLogin").unwrap_or_else(|| "prohibit-password".to_owned());
    let key_files = sshd_setting(fs, "AuthorizedKeysFile")
        .unwrap_or_else(|| ".ssh/authorized_keys .ssh/authorized_keys2".to_owned());
    let account = account(fs, user);
    let mut methods = vec!["publickey"];
    if password_auth {
        methods.push("password");
    }
    if kbd {
        methods.push("keyboard-interactive");
    }
    let denied = |ctx: &mut Ctx<'_>| {
        ctx.err(&format!("{user}@{host}: Permission denied ({}).\n", methods.join(",")));
        Err(255)
    };
    let Some((uid, gid, home)) = account else {
        if password_auth && ask_password && !opts.no_password && !opts.publickey_only {
            for _ in 0..2 {
                ctx.err(&format!("{user}@{host}'s password: \nPermission denied, please try again.\n"));
            }
            ctx.err(&format!("{user}@{host}'s password: \n"));
        }
        return denied(ctx);
    };
    let login = |forced_command| Login { user: user.to_owned(), uid, gid, home: home.clone(), forced_command };
    if root_login != "no" || uid != 0 {
        for (file, blob, protected) in &keys {
            let found = key_files.split_whitespace().find_map(|k| {
                let path = if k.starts_with('/') { k.replace("%u", user) } else { format!("{home}/{k}") };
                let path = path.replace("%h", &home).replace("%u", user);
                let text = fs.read_text(ROOT, &path, 1 << 20)?;
                if !strict_modes_ok(fs, &path, uid) {
                    return None;
                }
                authorized(&text, blob)
            });
            if let Some(options) = found {
                if *protected {
                    ctx.err(&format!("Enter passphrase for key '{file}': \n"));
                }
                return Ok(login(forced_command(&options)));
            }
        }
    }
    let may_ask = password_auth && ask_password && !opts.no_password && !opts.publickey_only;
    if !may_ask {
        return denied(ctx);
    }
    let shadow = fs.read_text(ROOT, "/etc/shadow", 1 << 20).unwrap_or_default();
    let usable = shadow
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{user}:")).map(|r| r.split(':').next().unwrap_or_default().to_owned()))
        .is_some_and(|h| super::crypt::usable(&h));
    let root_ok = uid != 0 || root_login == "yes";
    if usable && root_ok {
        ctx.err(&format!("{user}@{host}'s password: \n"));
        return Ok(login(None));
    }
    for _ in 0..2 {
        ctx.err(&format!("{user}@{host}'s password: \nPermission denied, please try again.\n"));
    }
    ctx.err(&format!("{user}@{host}'s password: \n"));
    denied(ctx)
}

/// `ssh-copy-id [-i [FILE]] [-f] [-n] [-p PORT] [-o OPTION] [user@]host` (openssh-client
/// 9.2): appends the public key to the user's `~/.ssh/authorized_keys` on the server, after
/// logging in with a key that already works or the password.
pub fn ssh_copy_id(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    const ME: &str = "/usr/bin/ssh-copy-id";
    let usage = |ctx: &mut Ctx<'_>| {
        ctx.err(&format!("Usage: {ME} [-h|-?|-f|-n|-s] [-i [identity_file]] [-p port] [-F alternative ssh_config file] [[-o <ssh -o options>] ...] [user@]hostname\n\t-f: force mode -- copy keys without trying to check if they are already installed\n\t-n: dry run    -- no keys are actually copied\n\t-s: use sftp   -- use sftp instead of executing remote-commands. Can be useful if the remote only allows sftp\n\t-h|-?: print this help\n"));
        1
    };
    let home = ctx.var("HOME").unwrap_or("/root").to_owned();
    let mut identity: Option<String> = None;
    let mut forced = false;
    let mut dry_run = false;
    let mut opts = ClientOptions { strict: "ask".to_owned(), ..ClientOptions::default() };
    let mut operands = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "-i" => {
                // getopts "i:": the next word is the file (a missing one means the default).
                if identity.is_some() {
                    ctx.out(&format!("\n{ME}: ERROR: -i option must not be specified more than once\n\n"));
                    return usage(ctx);
                }
                i += 1;
                identity = Some(argv.get(i).cloned().unwrap_or_default());
            }
            "-f" => forced = true,
            "-n" => dry_run = true,
            "-o" => {
                i += 1;
                if let Some(o) = argv.get(i) {
                    client_option(&mut opts, o);
                }
            }
            "-p" | "-F" => i += 1,
            "-h" | "-?" => return usage(ctx),
            s if s.starts_with("-i") => identity = Some(s[2..].to_owned()),
            s if s.starts_with('-') => return usage(ctx),
            _ => operands.push(argv[i].clone()),
        }
        i += 1;
    }
    if operands.is_empty() {
        return usage(ctx);
    }
    if operands.len() > 1 {
        ctx.err(&format!(
            "{ME}: ERROR: Too many arguments.  Expecting a target hostname, got: {}\n\n",
            argv[1..].join(" ")
        ));
        return usage(ctx);
    }
    let target = operands[0].clone();
    // The public key file: -i FILE (FILE.pub), or the newest ~/.ssh/id*.pub.
    let default = newest_public_key(ctx, &home);
    let Some(id_file) =
        identity.map(|f| if f.is_empty() { default.clone().unwrap_or_default() } else { f }).or(default)
    else {
        ctx.err(&format!("{ME}: ERROR: No identities found\n"));
        return 1;
    };
    let public_file = if id_file.ends_with(".pub") { id_file.clone() } else { format!("{id_file}.pub") };
    let private_file = public_file.trim_end_matches(".pub").to_owned();
    let files: Vec<&String> = if forced { vec![&public_file] } else { vec![&public_file, &private_file] };
    for f in files {
        if ctx.read_text(f, 1).is_none() {
            let hint = if *f == private_file {
                format!("\n\t(to install the contents of '{public_file}' anyway, look at the -f option)")
            } else {
                String::new()
            };
            ctx.out(&format!("\n{ME}: ERROR: failed to open ID file '{f}': No such file{hint}\n"));
            return 1;
        }
    }
    ctx.err(&format!("{ME}: INFO: Source of key(s) to be installed: \"{public_file}\"\n"));
    let public_text = ctx.read_text(&public_file, 1 << 16).unwrap_or_default();
    let new_keys: Vec<String> = public_text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect();
    let (user, host) = match target.split_once('@') {
        Some((u, h)) => (u.to_owned(), h.to_owned()),
        None => (ctx.var("USER").unwrap_or("root").to_owned(), target.clone()),
    };
    // The first ssh (asking for the server's version) is where the host key question comes.
    let m = match connect(ctx, &host, &opts.strict) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let mut to_add = new_keys.clone();
    if !forced {
        ctx.err(&format!(
            "{ME}: INFO: attempting to log in with the new key(s), to filter out any that are already installed\n"
        ));
        let fs = &ctx.world.machines[m].fs;
        let home_there = account(fs, &user).map(|(_, _, h)| h).unwrap_or_default();
        let existing = fs.read_text(ROOT, &format!("{home_there}/.ssh/authorized_keys"), 1 << 20).unwrap_or_default();
        to_add.retain(|k| {
            let blob = k.split_whitespace().nth(1).and_then(base64_decode).unwrap_or_default();
            authorized(&existing, &blob).is_none()
        });
        if to_add.is_empty() {
            ctx.err(&format!("\n{ME}: WARNING: All keys were skipped because they already exist on the remote system.\n\t\t(if you think this is a mistake, you may want to use -f option)\n\n"));
            return 0;
        }
        ctx.err(&format!(
            "{ME}: INFO: {} key(s) remain to be installed -- if you are prompted now it is to install the new keys\n",
            to_add.len()
        ));
    }
    if dry_run {
        ctx.out(&format!(
            "=-=-=-=-=-=-=-=\nWould have added the following key(s):\n\n{}\n=-=-=-=-=-=-=-=\n",
            to_add.join("\n")
        ));
        return 0;
    }
    let Ok(login) = authenticate(ctx, m, &user, &host, &opts, true) else { return 1 };
    // cd; umask 077; mkdir -p .ssh && ... cat >> .ssh/authorized_keys
    let now = ctx.now();
    let fs = &mut ctx.world.machines[m].fs;
    let dir = format!("{}/.ssh", login.home);
    if fs.resolve(ROOT, &dir, true).is_err()
        && let Ok(ino) = fs.mkdir_p(&dir, 0o700, now)
        && let Some(node) = fs.node_mut(ino)
    {
        (node.uid, node.gid) = (login.uid, login.gid);
    }
    let path = format!("{dir}/authorized_keys");
    let mut text = fs.read_text(ROOT, &path, 1 << 20).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for k in &to_add {
        text.push_str(k);
        text.push('\n');
    }
    let existed = fs.resolve(ROOT, &path, true).is_ok();
    if let Ok(ino) = fs.put_file(&path, text.as_bytes(), 0o600, now)
        && !existed
        && let Some(node) = fs.node_mut(ino)
    {
        (node.uid, node.gid) = (login.uid, login.gid);
    }
    ctx.out(&format!("\nNumber of key(s) added: {}\n\nNow try logging into the machine, with:   \"ssh '{target}'\"\nand check to make sure that only the key(s) you wanted were added.\n\n", to_add.len()));
    0
}

/// `ls -t ~/.ssh/id*.pub | grep -v -- '-cert.pub$' | head -n 1`.
fn newest_public_key(ctx: &Ctx<'_>, home: &str) -> Option<String> {
    let fs = ctx.fs();
    let dir = fs.resolve(ROOT, &format!("{home}/.ssh"), true).ok()?;
    fs.entries(dir)
        .ok()?
        .iter()
        .filter(|(n, _)| n.starts_with("id") && n.ends_with(".pub") && !n.ends_with("-cert.pub"))
        .filter_map(|(n, &i)| fs.node(i).map(|node| (node.mtime, n.clone())))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, n)| format!("{home}/.ssh/{n}"))
}

/// Moves the learner's shell to machine `m` as `user`; `exit` comes back and prints `bye`.
pub fn enter(ctx: &mut Ctx<'_>, m: MachineId, user: &str, home: &str, bye: String) {
    let from = ctx.world.current;
    ctx.world.return_to.push((from, bye));
    ctx.world.current = m;
    let machine = &mut ctx.world.machines[m];
    machine.cwd = home.to_owned();
    machine.env.insert("USER".to_owned(), user.to_owned());
    machine.env.insert("LOGNAME".to_owned(), user.to_owned());
    machine.env.insert("HOME".to_owned(), home.to_owned());
    machine.env.insert("PWD".to_owned(), home.to_owned());
}

/// An address for `host`: an IPv4 literal, or a name in /etc/hosts. (The host does not ask
/// libvirt's dnsmasq for guest names.)
fn resolve(ctx: &Ctx<'_>, host: &str) -> Option<String> {
    if host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Some(host.to_owned());
    }
    let hosts = ctx.read_text("/etc/hosts", 1 << 16)?;
    hosts.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let mut parts = l.split_whitespace();
        let addr = parts.next()?;
        parts.any(|n| n == host).then(|| addr.to_owned())
    })
}

/// The host key sshd offers first: ED25519, then ECDSA, then RSA.
fn host_key(ctx: &Ctx<'_>, m: MachineId) -> Option<(KeyType, String)> {
    let fs = &ctx.world.machines[m].fs;
    [KeyType::Ed25519, KeyType::Ecdsa, KeyType::Rsa].into_iter().find_map(|k| {
        let path = format!("/etc/ssh/ssh_host_{}_key.pub", k.name());
        let text = fs.read_text(ROOT, &path, 1 << 16)?;
        fs.resolve(ROOT, &format!("/etc/ssh/ssh_host_{}_key", k.name()), false).ok()?;
        Some((k, text.trim().to_owned()))
    })
}
