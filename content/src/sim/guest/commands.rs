//! Commands that answer for the machine they run on — the host or a guest: `hostnamectl`,
//! `ip`, `networkctl`, `journalctl --list-boots`, `ssh-keygen`,
//! `systemctl restart`, `reboot`, `poweroff`, `dpkg-reconfigure openssh-server`.

use super::GuestState;
use super::ids::{base64_decode, dhcp_client_id, fingerprint};
use super::os::{KeyType, generate_missing_host_keys};
use crate::sim::shell::Ctx;
use crate::sim::shell::commands::CommandInfo;
use crate::sim::vfs::ROOT;
use crate::sim::world::MachineKind;

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "hostnamectl",
        run: hostnamectl,
        summary: "show or set the system's host name",
        usage: "Usage: hostnamectl [status | hostname | set-hostname NAME]\n",
    },
    CommandInfo {
        name: "ip",
        run: ip,
        summary: "show network addresses (ip addr, ip -br a)",
        usage: "Usage: ip [-br] addr [show]\n",
    },
    CommandInfo {
        name: "networkctl",
        run: networkctl,
        summary: "show systemd-networkd's links",
        usage: "Usage: networkctl [list | status]\n",
    },
    CommandInfo {
        name: "journalctl",
        run: journalctl,
        summary: "show the journal's boots (journalctl --list-boots)",
        usage: "Usage: journalctl --list-boots\n",
    },
    CommandInfo {
        name: "ssh-keygen",
        run: ssh_keygen,
        summary: "make a key pair (-t ed25519 -f FILE -N ''), host keys (-A), fingerprints (-lf FILE), forget a host (-R HOST)",
        usage: "Usage: ssh-keygen [-q] [-t ed25519|rsa|ecdsa|dsa] [-b bits] [-f FILE] [-N passphrase] [-C comment]\n       ssh-keygen -A | -l -f FILE | -R HOST [-f known_hosts_file]\n",
    },
    CommandInfo {
        name: "systemctl",
        run: systemctl,
        summary: "restart a service (ssh, systemd-networkd), ask whether units run (is-active)",
        usage: "Usage: systemctl restart ssh|systemd-networkd\n       systemctl is-active UNIT...\n",
    },
    CommandInfo {
        name: "sh",
        run: shell_command,
        summary: "run a shell script or a command string (sh -c '...', sh FILE)",
        usage: "Usage: sh [-c COMMAND_STRING | FILE]\n",
    },
    CommandInfo {
        name: "bash",
        run: shell_command,
        summary: "run a shell script or a command string (bash -c '...', bash FILE)",
        usage: "Usage: bash [-c COMMAND_STRING | FILE]\n",
    },
    CommandInfo { name: "reboot", run: reboot, summary: "restart the machine", usage: "Usage: reboot\n" },
    CommandInfo { name: "poweroff", run: poweroff, summary: "power the machine off", usage: "Usage: poweroff\n" },
    CommandInfo {
        name: "dpkg-reconfigure",
        run: dpkg_reconfigure,
        summary: "reconfigure a package (openssh-server: make missing host keys)",
        usage: "Usage: dpkg-reconfigure openssh-server\n",
    },
];

fn guest<'a>(ctx: &'a Ctx<'_>) -> Option<&'a GuestState> {
    ctx.machine().guest.as_ref()
}

fn read(ctx: &Ctx<'_>, path: &str) -> Option<String> {
    ctx.read_text(path, 1 << 16)
}

fn hostname(ctx: &Ctx<'_>) -> String {
    read(ctx, "/etc/hostname").map_or_else(|| "localhost".to_owned(), |h| h.trim().to_owned())
}

fn hostnamectl(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    match args.get(1).map(String::as_str) {
        None | Some("status") => {
            let is_guest = ctx.machine().kind == MachineKind::Guest;
            let id = read(ctx, "/etc/machine-id").map(|s| s.trim().to_owned()).unwrap_or_default();
            let boot = guest(ctx).map_or_else(|| "5f0e4c1a9b2d4e7f8a6c3b1d0e9f8a7b".to_owned(), |g| g.boot_id.clone());
            let name = hostname(ctx);
            let mut s = format!(" Static hostname: {name}\n");
            let (icon, chassis) = if is_guest { ("computer-vm", "vm") } else { ("computer-desktop", "desktop") };
            s.push_str(&format!("       Icon name: {icon}\n         Chassis: {chassis}\n      Machine ID: {id}\n         Boot ID: {boot}\n"));
            let platform = crate::sim::hypervisor::guests::platform(ctx);
            if is_guest {
                s.push_str(&format!("  Virtualization: {}\n", platform.detect_virt()));
            }
            s.push_str("Operating System: Debian GNU/Linux 12 (bookworm)\n          Kernel: Linux 6.1.0-28-amd64\n    Architecture: x86-64\n");
            if is_guest {
                // hostnamed shows the DMI strings with parentheses replaced.
                let model = crate::sim::hypervisor::guests::product_name(ctx).replace(['(', ')'], "_");
                s.push_str(&format!(" Hardware Vendor: {}\n  Hardware Model: {model}\n", platform.manufacturer()));
            }
            ctx.out(&s);
            0
        }
        Some("hostname") if args.len() <= 2 => {
            let name = hostname(ctx);
            ctx.out(&format!("{name}\n"));
            0
        }
        Some("set-hostname" | "hostname") if args.len() > 2 => {
            let now = ctx.now();
            let name = args[2].clone();
            let _ = ctx.fs_mut().put_file("/etc/hostname", format!("{name}\n").as_bytes(), 0o644, now);
            0
        }
        Some(other) => {
            ctx.err(&format!("Unknown command verb {other}.\n"));
            1
        }
    }
}

/// The EUI-64 link-local address of a MAC, with its prefix length (`fe80::…/64`).
pub fn link_local_of(mac: &str) -> String {
    link_local(mac)
}

/// The EUI-64 link-local address of a MAC.
fn link_local(mac: &str) -> String {
    let b: Vec<u8> = mac.split(':').filter_map(|x| u8::from_str_radix(x, 16).ok()).collect();
    if b.len() != 6 {
        return String::new();
    }
    let parts = [
        u16::from_be_bytes([b[0] ^ 2, b[1]]),
        u16::from_be_bytes([b[2], 0xff]),
        u16::from_be_bytes([0xfe, b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
    ];
    format!("fe80::{:x}:{:x}:{:x}:{:x}/64", parts[0], parts[1], parts[2], parts[3])
}

/// The interfaces of the current machine: (name, state, MAC, IPv4 with prefix).
fn interfaces(ctx: &Ctx<'_>) -> Vec<(String, String, String, Option<String>)> {
    let mut out =
        vec![("lo".to_owned(), "UNKNOWN".to_owned(), "00:00:00:00:00:00".to_owned(), Some("127.0.0.1/8".to_owned()))];
    match guest(ctx) {
        Some(g) => {
            out.push((g.iface.clone(), "UP".to_owned(), g.mac.clone(), g.ip.as_ref().map(|ip| format!("{ip}/24"))));
        }
        None => {
            out.push((
                "enp3s0".to_owned(),
                "UP".to_owned(),
                "3c:7c:3f:1e:92:a4".to_owned(),
                Some("10.0.0.10/24".to_owned()),
            ));
            if ctx.world.libvirt.networks.get("default").is_some_and(|n| n.active) {
                let mac = ctx.world.libvirt.networks["default"].mac.clone();
                out.push(("virbr0".to_owned(), "UP".to_owned(), mac, Some("192.168.122.1/24".to_owned())));
            }
        }
    }
    out
}

fn ip(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let brief = args.iter().any(|a| a == "-br" || a == "-brief" || a == "--brief");
    let rest: Vec<&str> = args[1..].iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    if !matches!(rest.first(), Some(&("a" | "addr" | "address")) | None) {
        ctx.err(&format!("Object \"{}\" is unknown, try \"ip help\".\n", rest.first().unwrap_or(&"")));
        return 1;
    }
    let mut s = String::new();
    for (i, (name, state, mac, v4)) in interfaces(ctx).into_iter().enumerate() {
        let v6 = if name == "lo" { "::1/128".to_owned() } else { link_local(&mac) };
        if brief {
            let addrs = [v4.clone().unwrap_or_default(), v6]
                .into_iter()
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            s.push_str(&format!("{name:<16} {state:<14} {addrs} \n"));
        } else {
            let flags = if name == "lo" { "LOOPBACK,UP,LOWER_UP" } else { "BROADCAST,MULTICAST,UP,LOWER_UP" };
            let mtu = if name == "lo" { 65536 } else { 1500 };
            s.push_str(&format!(
                "{}: {name}: <{flags}> mtu {mtu} qdisc {} state {state} group default qlen 1000\n",
                i + 1,
                if name == "lo" { "noqueue" } else { "fq_codel" }
            ));
            if name == "lo" {
                s.push_str("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
            } else {
                s.push_str(&format!("    link/ether {mac} brd ff:ff:ff:ff:ff:ff\n"));
            }
            if let Some(a) = v4 {
                let scope = if name == "lo" { "host lo".to_owned() } else { format!("global dynamic {name}") };
                s.push_str(&format!(
                    "    inet {a} {}scope {scope}\n       valid_lft forever preferred_lft forever\n",
                    if name == "lo" {
                        String::new()
                    } else {
                        format!("brd {}.255 ", a.rsplit_once('.').map_or("", |(p, _)| p))
                    }
                ));
            }
            s.push_str(&format!(
                "    inet6 {v6} scope {}\n       valid_lft forever preferred_lft forever\n",
                if name == "lo" { "host" } else { "link" }
            ));
        }
    }
    ctx.out(&s);
    0
}

fn networkctl(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(g) = guest(ctx).cloned() else {
        ctx.err("Failed to connect to bus: No such file or directory\n");
        return 1;
    };
    if args.get(1).map(String::as_str) == Some("status") {
        let mut s = format!(
            "●        State: routable\n  Online state: online\n       Address: {}\n",
            g.ip.clone().unwrap_or_else(|| "-".to_owned())
        );
        s.push_str(&format!(
            "                {}\n       Gateway: 192.168.122.1\n           DNS: 192.168.122.1\n",
            link_local(&g.mac).trim_end_matches("/64")
        ));
        if let Some(cid) = &g.client_id {
            s.push_str(&format!("DHCP4 Client ID: {cid}\n"));
        }
        ctx.out(&s);
        return 0;
    }
    ctx.out(&format!("IDX LINK   TYPE     OPERATIONAL SETUP     \n  1 lo     loopback carrier     unmanaged\n  2 {:<6} ether    routable    configured\n\n2 links listed.\n", g.iface));
    0
}

fn journalctl(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if !args.iter().any(|a| a == "--list-boots") {
        ctx.err("GuestLab's journalctl knows --list-boots only\n");
        return 1;
    }
    let id = read(ctx, "/etc/machine-id").map(|s| s.trim().to_owned()).unwrap_or_default();
    let Some(g) = guest(ctx).cloned() else {
        ctx.out("IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY                 \n  0 5f0e4c1a9b2d4e7f8a6c3b1d0e9f8a7b Mon 2025-06-02 08:55:01 UTC Mon 2025-06-02 09:00:00 UTC\n");
        return 0;
    };
    // journalctl reads the journal directory of the current machine ID.
    let boots: Vec<_> = g.boots.iter().filter(|(m, _, _)| *m == id).collect();
    let mut s =
        String::from("IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY                 \n");
    let n = boots.len();
    for (i, (_, boot, start)) in boots.iter().enumerate() {
        let first = crate::sim::time::format_datetime(*start);
        let last = crate::sim::time::format_datetime(if i + 1 == n { ctx.now() } else { boots[i + 1].2 - 1 });
        s.push_str(&format!("{:>3} {boot} Mon {first} UTC Mon {last} UTC\n", i as i64 + 1 - n as i64));
    }
    ctx.out(&s);
    0
}

fn ssh_keygen(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let has = |f: &str| args.iter().any(|a| a == f);
    let value = |f: &str| args.iter().position(|a| a == f).and_then(|i| args.get(i + 1)).cloned();
    if has("-A") {
        let name = hostname(ctx);
        let now = ctx.now();
        let made = {
            let (machines, current) = (&mut ctx.world.machines, ctx.world.current);
            generate_missing_host_keys(&mut machines[current].fs, &mut ctx.world.rng, &name, now)
        };
        if !made.is_empty() {
            let list: Vec<&str> = made.iter().map(|k| k.name()).collect();
            ctx.out(&format!("ssh-keygen: generating new host keys: {} \n", list.join(" ").to_uppercase()));
        }
        return 0;
    }
    if let Some(host) = value("-R") {
        let file = value("-f").unwrap_or_else(|| format!("{}/.ssh/known_hosts", ctx.var("HOME").unwrap_or("/root")));
        let Some(text) = read(ctx, &file) else {
            ctx.err(&format!("Cannot stat {file}: No such file or directory\n"));
            return 255;
        };
        // Plain and hashed (`|1|salt|hash`) host fields, as HashKnownHosts writes them.
        let matches = |l: &str| l.split_whitespace().next().is_some_and(|f| super::ssh::host_matches(f, &host));
        let found: Vec<usize> = text.lines().enumerate().filter(|(_, l)| matches(l)).map(|(i, _)| i + 1).collect();
        if found.is_empty() {
            ctx.err(&format!("Host {host} not found in {file}\n"));
            return 0;
        }
        let kept: String = text.lines().filter(|l| !matches(l)).map(|l| format!("{l}\n")).collect();
        let now = ctx.now();
        let _ = ctx.fs_mut().put_file(&format!("{file}.old"), text.as_bytes(), 0o600, now);
        let _ = ctx.fs_mut().put_file(&file, kept.as_bytes(), 0o600, now);
        let lines: String = found.iter().map(|n| format!("# Host {host} found: line {n}\n")).collect();
        ctx.out(&format!("{lines}{file} updated.\nOriginal contents retained as {file}.old\n"));
        return 0;
    }
    if has("-l") || args.iter().any(|a| a == "-lf") {
        let Some(file) = value("-f").or_else(|| value("-lf")) else {
            ctx.err("ssh-keygen: -l needs -f FILE in GuestLab\n");
            return 1;
        };
        let Some(text) = read(ctx, &file).or_else(|| read(ctx, &format!("{file}.pub"))) else {
            ctx.err(&format!("{file}: No such file or directory\n"));
            return 255;
        };
        let mut out = String::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            let (Some(alg), Some(b64)) = (parts.next(), parts.next()) else { continue };
            let comment = parts.collect::<Vec<_>>().join(" ");
            let (Some(kind), Some(blob)) = (KeyType::from_algorithm(alg), base64_decode(b64)) else { continue };
            let comment = if comment.is_empty() { "no comment".to_owned() } else { comment };
            let bits = super::keygen::key_info(&blob).map_or(kind.bits(), |(_, b)| b);
            out.push_str(&format!("{bits} {} {comment} ({})\n", fingerprint(&blob), kind.label()));
        }
        if out.is_empty() {
            ctx.err(&format!("{file} is not a public key file.\n"));
            return 255;
        }
        ctx.out(&out);
        return 0;
    }
    super::keygen::ssh_keygen_generate(ctx, args)
}

/// systemd-networkd asks for a lease again (after a restart or when the machine ID changed).
pub fn renew_lease(ctx: &mut Ctx<'_>) {
    let Some(g) = guest(ctx).cloned() else { return };
    let id = read(ctx, "/etc/machine-id").map(|s| s.trim().to_owned()).unwrap_or_default();
    let name = hostname(ctx);
    let Some(cid) = dhcp_client_id(&id, &g.iface) else { return };
    let network =
        ctx.world.libvirt.domains.get(&g.domain).and_then(|d| d.def.interfaces.first()).map(|i| i.network.clone());
    let now = ctx.now();
    let ip = network.and_then(|n| super::boot::dhcp_lease(ctx.world, &n, &cid, &g.mac, &name, now));
    if let Some(state) = ctx.machine_mut().guest.as_mut() {
        state.client_id = Some(cid);
        state.ip = ip;
    }
}

fn systemctl(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let verb = args.get(1).map_or("", String::as_str);
    if verb == "is-active" {
        return crate::sim::hypervisor::guests::is_active(ctx, &args[2..]);
    }
    let unit = args.get(2).map_or("", |u| u.trim_end_matches(".service"));
    if !matches!(verb, "restart" | "start" | "reload-or-restart") {
        ctx.err(&format!("GuestLab's systemctl knows restart and start, not '{verb}'\n"));
        return 1;
    }
    match unit {
        "ssh" | "sshd" => {
            let keys = ["rsa", "ecdsa", "ed25519"]
                .iter()
                .any(|k| ctx.resolve(&format!("/etc/ssh/ssh_host_{k}_key"), false).is_ok());
            if let Some(g) = ctx.machine_mut().guest.as_mut() {
                g.sshd = keys;
            }
            if keys {
                0
            } else {
                ctx.err("Job for ssh.service failed because the control process exited with error code.\nSee \"systemctl status ssh.service\" and \"journalctl -xeu ssh.service\" for details.\n");
                1
            }
        }
        "systemd-networkd" => {
            renew_lease(ctx);
            0
        }
        "" => {
            ctx.err("Too few arguments.\n");
            1
        }
        other => {
            ctx.err(&format!("Failed to {verb} {other}.service: Unit {other}.service not found.\n"));
            5
        }
    }
}

/// Whether cloud-init is in the middle of a stage on this machine (a command it runs asks
/// for a reboot): its status file names the running stage.
fn cloud_init_busy(ctx: &mut Ctx<'_>) -> bool {
    let busy = read(ctx, "/run/cloud-init/status.json").is_some_and(|t| t.contains("\"stage\": \""));
    if busy {
        ctx.err("GuestLab: this guest is in the middle of its cloud-init boot; a reboot or power-off from a boot command is not simulated: reboot it when `cloud-init status` says done\n");
    }
    busy
}

/// `sh -c STRING`, `sh FILE` or `sh` with the script on standard input: the same simulated
/// shell runs it (a new shell: its lines do not go into the history).
fn shell_command(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let name = args[0].clone();
    let script = match args.get(1).map(String::as_str) {
        Some("-c") => match args.get(2) {
            Some(text) => text.clone(),
            None => {
                ctx.err(&format!("{name}: -c: option requires an argument\n"));
                return 2;
            }
        },
        Some(opt) if opt.starts_with('-') => {
            ctx.err(&format!("GuestLab's {name} knows -c COMMAND_STRING and FILE, not {opt}\n"));
            return 2;
        }
        Some(file) => match read(ctx, file) {
            Some(text) => text,
            None => {
                ctx.err(&format!("{name}: 0: cannot open {file}: No such file\n"));
                return 2;
            }
        },
        None => String::from_utf8_lossy(&std::mem::take(&mut ctx.stdin)).into_owned(),
    };
    let history = std::mem::take(&mut ctx.machine_mut().history);
    let out = ctx.world.run(&script);
    ctx.machine_mut().history = history;
    for (stream, text) in &out.chunks {
        match stream {
            crate::sim::Stream::Out => ctx.out(text),
            crate::sim::Stream::Err => ctx.err(text),
        }
    }
    out.status
}

fn reboot(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let Some(domain) = guest(ctx).map(|g| g.domain.clone()) else {
        ctx.err("GuestLab does not reboot the host (every guest would go with it); reboot a guest instead\n");
        return 1;
    };
    if cloud_init_busy(ctx) {
        return 1;
    }
    let here = ctx.world.current;
    let sessions = ctx.world.return_to.clone();
    super::boot::power_off(ctx.world, &domain);
    super::boot::power_on(ctx.world, &domain);
    // A serial console stays connected through the reboot; an SSH connection is closed.
    match sessions.last() {
        Some((_, bye)) if bye.is_empty() && super::boot::machine_of(ctx.world, &domain) == Some(here) => {
            ctx.world.return_to = sessions;
            ctx.world.current = here;
            let name = ctx.world.machines[here].hostname();
            ctx.out(&format!("\nDebian GNU/Linux 12 {name} ttyS0\n\n{name} login: root (GuestLab logs you in)\n"));
        }
        Some((_, bye)) => {
            if let Some(host) =
                bye.lines().find_map(|l| l.strip_prefix("Connection to ").and_then(|r| r.strip_suffix(" closed.")))
            {
                ctx.out(&format!("Connection to {host} closed by remote host.\nConnection to {host} closed.\n"));
            }
        }
        None => {}
    }
    0
}

fn poweroff(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let Some(domain) = guest(ctx).map(|g| g.domain.clone()) else {
        ctx.err("GuestLab does not power the host off; do it in a guest\n");
        return 1;
    };
    if cloud_init_busy(ctx) {
        return 1;
    }
    crate::sim::libvirt::virsh::stop_domain(ctx, &domain, "shutdown");
    0
}

fn dpkg_reconfigure(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if args.get(1).map(String::as_str) != Some("openssh-server") {
        ctx.err("GuestLab's dpkg-reconfigure knows openssh-server only\n");
        return 1;
    }
    // The postinst makes the host keys that are missing, one `ssh-keygen -q -f FILE -N ''` each.
    let name = hostname(ctx);
    let now = ctx.now();
    let made = {
        let current = ctx.world.current;
        generate_missing_host_keys(&mut ctx.world.machines[current].fs, &mut ctx.world.rng, &name, now)
    };
    for kind in &made {
        ctx.out(&format!("Creating SSH2 {} key; this may take some time ...\n", kind.label()));
        let public = read(ctx, &format!("/etc/ssh/ssh_host_{}_key.pub", kind.name())).unwrap_or_default();
        if let Some(blob) = public.split_whitespace().nth(1).and_then(base64_decode) {
            ctx.out(&format!("{} {} root@{name} ({})\n", kind.bits(), fingerprint(&blob), kind.label()));
        }
    }
    if !made.is_empty() {
        ctx.out("rescue-ssh.target is a disabled or a static unit not running, not starting it.\n");
    }
    if let Some(g) = ctx.machine_mut().guest.as_mut() {
        g.sshd = true;
    }
    let _ = ROOT;
    0
}
