//! `ssh` from one machine to another (OpenSSH 9.2 client): name resolution, the host key check
//! against `~/.ssh/known_hosts` (hashed, as Debian's `HashKnownHosts yes` writes it), the
//! first-connection question and the "REMOTE HOST IDENTIFICATION HAS CHANGED" refusal, then a
//! shell or one command on the guest.

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

pub fn ssh(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut i = 1;
    let mut user = None;
    let mut strict = "ask".to_owned();
    while i < argv.len() && argv[i].starts_with('-') {
        match argv[i].as_str() {
            "-l" => {
                i += 1;
                user = argv.get(i).cloned();
            }
            "-o" => {
                i += 1;
                if let Some((k, v)) = argv.get(i).and_then(|o| o.split_once('='))
                    && k.eq_ignore_ascii_case("StrictHostKeyChecking")
                {
                    strict = v.to_lowercase();
                }
            }
            "-i" | "-p" | "-F" => i += 1,
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
    let Some(ip) = resolve(ctx, &host) else {
        ctx.err(&format!("ssh: Could not resolve hostname {host}: Name or service not known\n"));
        return 255;
    };
    // The guest that answers for this address: the one that took it last.
    let Some(m) = ctx
        .world
        .machines
        .iter()
        .rposition(|m| m.guest.as_ref().is_some_and(|g| g.running && g.ip.as_deref() == Some(ip.as_str())))
    else {
        ctx.err(&format!("ssh: connect to host {host} port 22: No route to host\n"));
        return 255;
    };
    if !ctx.world.machines[m].guest.as_ref().is_some_and(|g| g.sshd) {
        ctx.err(&format!("ssh: connect to host {host} port 22: Connection refused\n"));
        return 255;
    }
    let Some((kind, key_line)) = host_key(ctx, m) else {
        ctx.err(&format!("ssh: connect to host {host} port 22: Connection refused\n"));
        return 255;
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
        if !host_matches(field, &host) || KeyType::from_algorithm(alg) != Some(kind) {
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
            return 255;
        }
        if strict == "yes" {
            ctx.err(&format!("No {} host key is known for {host} and you have requested strict checking.\nHost key verification failed.\n", kind.label()));
            return 255;
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
        let entry = hashed_entry(&host, &key, &salt);
        let fs = ctx.fs_mut();
        let _ = fs.mkdir_p(&format!("{home}/.ssh"), 0o700, now);
        let _ = fs.put_file(&known, format!("{text}{entry}").as_bytes(), 0o644, now);
    }
    let guest_home = if user == "root" { "/root".to_owned() } else { format!("/home/{user}") };
    let exists = ctx.world.machines[m].fs.resolve(ROOT, &guest_home, true).is_ok();
    if !exists {
        ctx.err(&format!("{user}@{host}: Permission denied (publickey,password).\n"));
        return 255;
    }
    if command.is_empty() {
        let name = ctx.world.machines[m].hostname();
        ctx.out(&format!("Linux {name} {UNAME}\n{MOTD}"));
        enter(ctx, m, &user, &guest_home, format!("logout\nConnection to {host} closed.\n"));
        0
    } else {
        let saved = ctx.world.current;
        ctx.world.current = m;
        let out = ctx.world.run(&command.join(" "));
        ctx.world.current = saved;
        ctx.out(&out.stdout());
        ctx.err(&out.stderr());
        out.status
    }
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
