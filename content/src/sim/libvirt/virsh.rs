//! `virsh`: option parsing as virsh does it, and the domain, network and storage commands with
//! libvirt 9.0's messages and exit statuses. Every command's effect on the host's files is in
//! [`super::files`].

use super::files::{
    self, AUTOSTART_DIR, LIB_QEMU_DIR, LOG_DIR, NETWORK_CONFIG_DIR, QEMU_CONFIG_DIR, RUN_NETWORK_DIR, RUN_QEMU_DIR,
    SNAPSHOT_DIR,
};
use super::table::Table;
use super::xml::saved_file;
use super::{Domain, DomainDef, DomainSnapshot, DomainState, LiveInfo};
use crate::sim::shell::Ctx;
use crate::sim::time;

/// One option of a virsh command.
struct Opt {
    name: &'static str,
    /// Takes a value (`--domain NAME`); otherwise a flag.
    data: bool,
    /// May be given without its name, in this order among the positional options.
    positional: bool,
    required: bool,
}

const fn flag(name: &'static str) -> Opt {
    Opt { name, data: false, positional: false, required: false }
}

const fn arg(name: &'static str) -> Opt {
    Opt { name, data: true, positional: true, required: true }
}

const fn value(name: &'static str) -> Opt {
    Opt { name, data: true, positional: false, required: false }
}

const fn optional_arg(name: &'static str) -> Opt {
    Opt { name, data: true, positional: true, required: false }
}

/// The parsed options of one command.
struct Args {
    values: Vec<(&'static str, String)>,
    flags: Vec<&'static str>,
}

impl Args {
    fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// A required option (the parser has made sure it is there).
    fn req(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    fn has(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }
}

type Run = fn(&mut Ctx<'_>, &Args) -> Result<String, Vec<String>>;

struct Cmd {
    name: &'static str,
    opts: &'static [Opt],
    run: Run,
    help: &'static str,
}

const CMDS: &[Cmd] = &[
    Cmd {
        name: "list",
        opts: &[
            flag("all"),
            flag("inactive"),
            flag("autostart"),
            flag("no-autostart"),
            flag("name"),
            flag("uuid"),
            flag("state-running"),
            flag("state-paused"),
            flag("state-shutoff"),
            flag("persistent"),
            flag("transient"),
        ],
        run: list,
        help: "list domains",
    },
    Cmd {
        name: "define",
        opts: &[arg("file"), flag("validate")],
        run: define,
        help: "define (but don't start) a domain from an XML file",
    },
    Cmd {
        name: "undefine",
        opts: &[
            arg("domain"),
            flag("remove-all-storage"),
            flag("snapshots-metadata"),
            flag("nvram"),
            flag("keep-nvram"),
            flag("managed-save"),
            flag("wipe-storage"),
            value("storage"),
        ],
        run: undefine,
        help: "undefine a domain",
    },
    Cmd {
        name: "start",
        opts: &[arg("domain"), flag("console"), flag("paused"), flag("autodestroy"), flag("force-boot")],
        run: start,
        help: "start a (previously defined) inactive domain",
    },
    Cmd {
        name: "shutdown",
        opts: &[arg("domain"), value("mode")],
        run: shutdown,
        help: "gracefully shutdown a domain",
    },
    Cmd { name: "destroy", opts: &[arg("domain"), flag("graceful")], run: destroy, help: "destroy (stop) a domain" },
    Cmd { name: "reboot", opts: &[arg("domain"), value("mode")], run: reboot, help: "reboot a domain" },
    Cmd { name: "suspend", opts: &[arg("domain")], run: suspend, help: "suspend a domain" },
    Cmd { name: "resume", opts: &[arg("domain")], run: resume, help: "resume a domain" },
    Cmd { name: "autostart", opts: &[arg("domain"), flag("disable")], run: autostart, help: "autostart a domain" },
    Cmd { name: "dominfo", opts: &[arg("domain")], run: dominfo, help: "domain information" },
    Cmd { name: "domstate", opts: &[arg("domain"), flag("reason")], run: domstate, help: "domain state" },
    Cmd { name: "domid", opts: &[arg("domain")], run: domid, help: "convert a domain name or UUID to domain id" },
    Cmd { name: "domuuid", opts: &[arg("domain")], run: domuuid, help: "convert a domain name or id to domain UUID" },
    Cmd {
        name: "dumpxml",
        opts: &[arg("domain"), flag("inactive"), flag("security-info"), flag("update-cpu"), flag("migratable")],
        run: dumpxml,
        help: "domain information in XML",
    },
    Cmd {
        name: "domblklist",
        opts: &[arg("domain"), flag("inactive"), flag("details")],
        run: domblklist,
        help: "list all domain blocks",
    },
    Cmd {
        name: "domiflist",
        opts: &[arg("domain"), flag("inactive")],
        run: domiflist,
        help: "list all domain virtual interfaces",
    },
    Cmd {
        name: "snapshot-create-as",
        opts: &[arg("domain"), optional_arg("name"), optional_arg("description"), flag("disk-only"), flag("atomic")],
        run: snapshot_create_as,
        help: "Create a snapshot from a set of args",
    },
    Cmd {
        name: "snapshot-list",
        opts: &[arg("domain"), flag("parent"), flag("tree"), flag("name")],
        run: snapshot_list,
        help: "List snapshots for a domain",
    },
    Cmd {
        name: "snapshot-revert",
        opts: &[
            arg("domain"),
            optional_arg("snapshotname"),
            flag("current"),
            flag("running"),
            flag("paused"),
            flag("force"),
        ],
        run: snapshot_revert,
        help: "Revert a domain to a snapshot",
    },
    Cmd {
        name: "snapshot-delete",
        opts: &[arg("domain"), optional_arg("snapshotname"), flag("current"), flag("children"), flag("metadata")],
        run: snapshot_delete,
        help: "Delete a domain snapshot",
    },
    Cmd {
        name: "net-list",
        opts: &[
            flag("all"),
            flag("inactive"),
            flag("autostart"),
            flag("no-autostart"),
            flag("name"),
            flag("uuid"),
            flag("persistent"),
            flag("transient"),
        ],
        run: net_list,
        help: "list networks",
    },
    Cmd {
        name: "net-start",
        opts: &[arg("network")],
        run: net_start,
        help: "start a (previously defined) inactive network",
    },
    Cmd { name: "net-destroy", opts: &[arg("network")], run: net_destroy, help: "destroy (stop) a network" },
    Cmd {
        name: "net-autostart",
        opts: &[arg("network"), flag("disable")],
        run: net_autostart,
        help: "autostart a network",
    },
    Cmd {
        name: "net-dumpxml",
        opts: &[arg("network"), flag("inactive")],
        run: net_dumpxml,
        help: "network information in XML",
    },
    Cmd { name: "net-info", opts: &[arg("network")], run: net_info, help: "network information" },
    Cmd {
        name: "net-dhcp-leases",
        opts: &[arg("network"), value("mac")],
        run: net_dhcp_leases,
        help: "print lease info for a given network",
    },
    Cmd {
        name: "pool-list",
        opts: &[flag("all"), flag("inactive"), flag("autostart"), flag("details"), flag("name")],
        run: pool_list,
        help: "list pools",
    },
    Cmd { name: "vol-list", opts: &[arg("pool"), flag("details")], run: vol_list, help: "list vols" },
];

/// The `virsh` command.
pub fn virsh(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut i = 1;
    let mut quiet = false;
    while i < argv.len() {
        match argv[i].as_str() {
            "-q" | "--quiet" => quiet = true,
            "-c" | "--connect" => {
                i += 1;
                let uri = argv.get(i).map_or("", String::as_str);
                if uri != "qemu:///system" {
                    ctx.err(&format!("error: failed to connect to the hypervisor\nerror: GuestLab simulates the connection qemu:///system only, not '{uri}'\n"));
                    return 1;
                }
            }
            s if s.starts_with("--connect=") => {}
            "-v" | "--version" => {
                ctx.out("9.0.0\n");
                return 0;
            }
            "-h" | "--help" => {
                ctx.out(&help_text());
                return 0;
            }
            s if s.starts_with('-') => {
                ctx.err(&format!("virsh: unrecognized option '{s}'\n"));
                return 1;
            }
            _ => break,
        }
        i += 1;
    }
    let Some(name) = argv.get(i) else {
        ctx.err(
            "virsh: the interactive virsh shell is not simulated; type a command after virsh, e.g. virsh list --all\n",
        );
        return 1;
    };
    if name == "help" {
        return match argv.get(i + 1) {
            None => {
                ctx.out(&help_text());
                0
            }
            Some(c) => match CMDS.iter().find(|x| x.name == c) {
                Some(cmd) => {
                    ctx.out(&command_help(cmd));
                    0
                }
                None => {
                    ctx.err(&format!("error: command or command group '{c}' doesn't exist\n"));
                    1
                }
            },
        };
    }
    let Some(cmd) = CMDS.iter().find(|c| c.name == name) else {
        ctx.err(&format!("error: unknown command: '{name}'\n"));
        return 1;
    };
    let args = match parse(cmd, &argv[i + 1..]) {
        Ok(a) => a,
        Err(message) => {
            ctx.err(&format!("error: {message}\n"));
            return 1;
        }
    };
    if args.has("help") {
        ctx.out(&command_help(cmd));
        return 0;
    }
    let result = (cmd.run)(ctx, &args);
    match result {
        Ok(text) => {
            if !quiet || cmd.name.contains("list") || cmd.name.contains("dump") || cmd.name.contains("info") {
                ctx.out(&text);
            }
            if !quiet {
                ctx.out("\n");
            }
            0
        }
        Err(lines) => {
            if !quiet {
                ctx.out("\n");
            }
            for line in lines {
                ctx.err(&format!("error: {line}\n"));
            }
            1
        }
    }
}

fn parse(cmd: &Cmd, words: &[String]) -> Result<Args, String> {
    let mut args = Args { values: Vec::new(), flags: Vec::new() };
    let mut positional = cmd.opts.iter().filter(|o| o.positional);
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            if name == "help" {
                args.flags.push("help");
                i += 1;
                continue;
            }
            let Some(opt) = cmd.opts.iter().find(|o| o.name == name) else {
                return Err(format!("command '{}' doesn't support option --{name}", cmd.name));
            };
            if opt.data {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        words.get(i).cloned().ok_or_else(|| format!("expected syntax: --{name} <string>"))?
                    }
                };
                args.values.push((opt.name, v));
            } else {
                args.flags.push(opt.name);
            }
        } else {
            let Some(opt) = positional.by_ref().find(|o| args.get(o.name).is_none()) else {
                return Err(format!("unexpected data '{w}'"));
            };
            args.values.push((opt.name, w.clone()));
        }
        i += 1;
    }
    if let Some(missing) = cmd.opts.iter().find(|o| o.required && args.get(o.name).is_none()) {
        return Err(format!("command '{}' requires <{}> option", cmd.name, missing.name));
    }
    Ok(args)
}

fn help_text() -> String {
    let mut s = String::from(
        "virsh [options]... [<command_string>]\nvirsh [options]... <command> [args...]\n\n  options:\n    -c | --connect=URI      hypervisor connection URI\n    -q | --quiet            quiet mode\n    -v                      short version\n\n  commands (the ones GuestLab simulates):\n",
    );
    for c in CMDS {
        s.push_str(&format!("    {:<20} {}\n", c.name, c.help));
    }
    s.push_str("\n  (specify help <command> for details about the command)\n\n");
    s
}

fn command_help(cmd: &Cmd) -> String {
    let mut synopsis = format!("    {}", cmd.name);
    for o in cmd.opts {
        let part = match (o.data, o.positional, o.required) {
            (true, true, true) => format!(" <{}>", o.name),
            (true, true, false) => format!(" [<{}>]", o.name),
            (true, false, _) => format!(" [--{} <string>]", o.name),
            (false, ..) => format!(" [--{}]", o.name),
        };
        synopsis.push_str(&part);
    }
    format!("  NAME\n    {} - {}\n\n  SYNOPSIS\n{synopsis}\n\n", cmd.name, cmd.help)
}

// ----- helpers ------------------------------------------------------------------------------

fn domain_name(ctx: &Ctx<'_>, key: &str) -> Result<String, Vec<String>> {
    ctx.world.libvirt.lookup_name(key).ok_or_else(|| vec![format!("failed to get domain '{key}'")])
}

fn config_path(name: &str) -> String {
    format!("{QEMU_CONFIG_DIR}/{name}.xml")
}

fn save_config(ctx: &mut Ctx<'_>, def: &DomainDef) {
    let now = ctx.now();
    let text = saved_file(&def.to_xml(None), &format!("virsh edit {}", def.name));
    files::write(&mut ctx.world.machines[0].fs, &config_path(&def.name), &text, 0o600, now);
}

fn host_fs<'a>(ctx: &'a mut Ctx<'_>) -> &'a mut crate::sim::vfs::Vfs {
    &mut ctx.world.machines[0].fs
}

/// Removes what exists only while a domain runs.
fn remove_runtime(ctx: &mut Ctx<'_>, name: &str, id: Option<u32>) {
    let now = ctx.now();
    let fs = host_fs(ctx);
    files::remove(fs, &format!("{RUN_QEMU_DIR}/{name}.xml"), now);
    files::remove(fs, &format!("{RUN_QEMU_DIR}/{name}.pid"), now);
    if let Some(id) = id {
        files::remove(fs, &format!("{LIB_QEMU_DIR}/domain-{id}-{name}"), now);
    }
}

fn stop(ctx: &mut Ctx<'_>, name: &str, reason: &str) {
    let now = ctx.now();
    let Some(d) = ctx.world.libvirt.domains.get_mut(name) else { return };
    let id = d.id.take();
    d.live = None;
    d.state = DomainState::ShutOff;
    d.reason = reason.to_owned();
    let log = format!("{}: shutting down, reason={reason}\n", log_time(now));
    remove_runtime(ctx, name, id);
    files::append(host_fs(ctx), &format!("{LOG_DIR}/{name}.log"), &log, 0o600, now);
}

fn log_time(now: i64) -> String {
    format!("{}.000+0000", time::format_datetime(now))
}

// ----- domains ------------------------------------------------------------------------------

fn list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let lv = &ctx.world.libvirt;
    let all = a.has("all");
    let mut rows: Vec<&Domain> = lv
        .domains
        .values()
        .filter(|d| if a.has("inactive") { !d.active() } else { all || d.active() || a.has("state-shutoff") })
        .filter(|d| !a.has("autostart") || d.autostart)
        .filter(|d| !a.has("no-autostart") || !d.autostart)
        .filter(|d| !a.has("state-running") || d.state == DomainState::Running)
        .filter(|d| !a.has("state-paused") || d.state == DomainState::Paused)
        .filter(|d| !a.has("state-shutoff") || d.state == DomainState::ShutOff)
        .collect();
    // Running domains by ID first, then the inactive ones by name.
    rows.sort_by_key(|d| (d.id.is_none(), d.id, d.def.name.clone()));
    if a.has("name") || a.has("uuid") {
        let mut s = String::new();
        for d in rows {
            let line = if a.has("uuid") { &d.def.uuid } else { &d.def.name };
            s.push_str(line);
            s.push('\n');
        }
        return Ok(s);
    }
    let mut t = Table::new(&["Id", "Name", "State"]);
    for d in rows {
        t.row(vec![
            d.id.map_or_else(|| "-".to_owned(), |i| i.to_string()),
            d.def.name.clone(),
            d.state.as_str().to_owned(),
        ]);
    }
    Ok(t.render())
}

fn read_input(ctx: &Ctx<'_>, path: &str) -> Result<String, Vec<String>> {
    let ino = ctx.resolve(path, true).map_err(|e| vec![format!("Failed to open file '{path}': {}", e.message())])?;
    let file = ctx.fs().file(ino).map_err(|e| vec![format!("Failed to read file '{path}': {}", e.message())])?;
    Ok(String::from_utf8_lossy(&file.read_all(1 << 20)).into_owned())
}

fn define(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let file = a.req("file").to_owned();
    let text = read_input(ctx, &file)?;
    let fail = |m: String| vec![format!("Failed to define domain from {file}"), m];
    let def = DomainDef::parse(&text, &mut ctx.world.rng).map_err(|e| fail(e.to_string()))?;
    let lv = &mut ctx.world.libvirt;
    if let Some(existing) = lv.domains.get(&def.name)
        && existing.def.uuid != def.uuid
    {
        return Err(fail(format!(
            "operation failed: domain '{}' already exists with uuid {}",
            def.name, existing.def.uuid
        )));
    }
    if let Some(other) = lv.domains.values().find(|d| d.def.uuid == def.uuid && d.def.name != def.name) {
        return Err(fail(format!(
            "operation failed: domain '{}' is already defined with uuid {}",
            other.def.name, other.def.uuid
        )));
    }
    let name = def.name.clone();
    match lv.domains.get_mut(&name) {
        Some(d) => d.def = def.clone(),
        None => {
            lv.domains.insert(name.clone(), Domain::defined(def.clone()));
        }
    }
    save_config(ctx, &def);
    Ok(format!("Domain '{name}' defined from {file}\n"))
}

fn undefine(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let now = ctx.now();
    let Some(d) = ctx.world.libvirt.domains.get(&name) else {
        return Err(vec![format!("failed to get domain '{name}'")]);
    };
    if !d.snapshots.is_empty() && !a.has("snapshots-metadata") {
        let verb = if d.active() { "active" } else { "inactive" };
        return Err(vec![
            format!("Failed to undefine domain '{name}'"),
            format!(
                "Requested operation is not valid: cannot delete {verb} domain with {} snapshots",
                d.snapshots.len()
            ),
        ]);
    }
    let disks: Vec<(String, String)> = d
        .def
        .disks
        .iter()
        .filter(|k| k.device == "disk")
        .filter_map(|k| Some((k.target.clone(), k.source.clone()?)))
        .collect();
    let active = d.active();
    let mut out = format!("Domain '{name}' has been undefined\n");
    let fs = host_fs(ctx);
    files::remove(fs, &config_path(&name), now);
    files::remove(fs, &format!("{AUTOSTART_DIR}/{name}.xml"), now);
    files::remove(fs, &format!("{SNAPSHOT_DIR}/{name}"), now);
    if a.has("remove-all-storage") {
        for (target, path) in disks {
            let in_pool =
                ctx.world.libvirt.pools.values().any(|p| p.active && path.starts_with(&format!("{}/", p.target)));
            if in_pool {
                files::remove(host_fs(ctx), &path, now);
                out.push_str(&format!("Volume '{target}'({path}) removed.\n"));
            } else {
                out.push_str(&format!(
                    "Storage volume '{target}'({path}) is not managed by libvirt. Remove it manually.\n"
                ));
            }
        }
    }
    if active {
        // A running domain stays, as a transient one, until it stops.
        if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
            d.autostart = false;
            d.snapshots.clear();
        }
    } else {
        ctx.world.libvirt.domains.remove(&name);
    }
    Ok(out)
}

fn start(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let now = ctx.now();
    let lv = &ctx.world.libvirt;
    let Some(d) = lv.domains.get(&name) else { return Err(vec![format!("failed to get domain '{name}'")]) };
    if d.active() {
        return Err(vec!["Domain is already active".to_owned()]);
    }
    let fail = |m: String| vec![format!("Failed to start domain '{name}'"), m];
    for iface in &d.def.interfaces {
        match lv.networks.get(&iface.network) {
            None => return Err(fail(format!("Network not found: no network with matching name '{}'", iface.network))),
            Some(n) if !n.active => {
                return Err(fail(format!(
                    "Requested operation is not valid: network '{}' is not active",
                    iface.network
                )));
            }
            Some(_) => {}
        }
    }
    for disk in &d.def.disks {
        if let Some(src) = &disk.source
            && ctx.world.machines[0].fs.resolve(crate::sim::vfs::ROOT, src, true).is_err()
        {
            return Err(fail(format!(
                "Cannot access storage file '{src}' (as uid:64055, gid:64055): No such file or directory"
            )));
        }
    }
    let id = lv.next_id;
    let used_taps: Vec<String> =
        lv.domains.values().filter_map(|d| d.live.as_ref()).flat_map(|l| l.taps.clone()).collect();
    let used_displays: Vec<u32> = lv.domains.values().filter_map(|d| d.live.as_ref()).map(|l| l.vnc_display).collect();
    let used_ptys = lv.domains.values().filter(|d| d.live.as_ref().is_some_and(|l| l.pty.is_some())).count();
    let mut taps = Vec::new();
    let mut n = 0;
    for _ in &d.def.interfaces {
        while used_taps.contains(&format!("vnet{n}")) || taps.contains(&format!("vnet{n}")) {
            n += 1;
        }
        taps.push(format!("vnet{n}"));
    }
    let vnc_display = (0..).find(|x| !used_displays.contains(x)).unwrap_or(0);
    let live = LiveInfo { id, taps, pty: d.def.console.then(|| format!("/dev/pts/{}", used_ptys + 1)), vnc_display };
    let status = d.def.to_xml(Some(&live));
    let def = d.def.clone();
    let pid = 2400 + id * 37;
    ctx.world.libvirt.next_id += 1;
    if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
        d.state = DomainState::Running;
        d.reason = "booted".to_owned();
        d.id = Some(id);
        d.live = Some(live);
    }
    let fs = host_fs(ctx);
    let status_xml = format!(
        "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\nOVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  virsh edit {name}\nor other application using the libvirt API.\n-->\n\n<domstatus state='running' reason='booted' pid='{pid}'>\n{}</domstatus>\n",
        indent(&status)
    );
    files::write(fs, &format!("{RUN_QEMU_DIR}/{name}.xml"), &status_xml, 0o600, now);
    files::write(fs, &format!("{RUN_QEMU_DIR}/{name}.pid"), &pid.to_string(), 0o600, now);
    let private = format!("{LIB_QEMU_DIR}/domain-{id}-{name}");
    files::write(fs, &format!("{private}/master-key.aes"), "0123456789abcdef0123456789abcdef", 0o600, now);
    files::write(fs, &format!("{private}/monitor.sock"), "", 0o600, now);
    let mut cmdline = format!(
        "{}: starting up libvirt version: 9.0.0, package: 9.0.0-4+deb12u2 (Debian), qemu version: 7.2.0Debian 1:7.2+dfsg-7+deb12u7, kernel: 6.1.0-28-amd64, hostname: host\nLC_ALL=C \\\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\\n/usr/bin/qemu-system-x86_64 \\\n-name guest={name},debug-threads=on \\\n-machine {},usb=off,dump-guest-core=off \\\n-accel kvm \\\n-m size={}k \\\n-smp {},sockets={},cores=1,threads=1 \\\n-uuid {} \\\n",
        log_time(now),
        def.machine,
        def.memory_kib,
        def.vcpus,
        def.vcpus,
        def.uuid
    );
    for disk in &def.disks {
        if let Some(src) = &disk.source {
            cmdline.push_str(&format!(
                "-blockdev '{{\"driver\":\"file\",\"filename\":\"{src}\",\"node-name\":\"libvirt-{}-storage\"}}' \\\n",
                disk.target
            ));
        }
    }
    for (iface, tap) in def.interfaces.iter().zip(
        ctx.world.libvirt.domains.get(&name).and_then(|d| d.live.as_ref()).map(|l| l.taps.clone()).unwrap_or_default(),
    ) {
        cmdline.push_str(&format!(
            "-netdev tap,fd=30,vhost=on,vhostfd=32,id=host{tap} \\\n-device '{{\"driver\":\"{}\",\"netdev\":\"host{tap}\",\"mac\":\"{}\"}}' \\\n",
            match iface.model.as_deref() {
                Some("virtio") | None => "virtio-net-pci",
                Some("e1000") => "e1000",
                Some(other) => other,
            },
            iface.mac
        ));
    }
    cmdline.push_str("-msg timestamp=on\n");
    files::append(host_fs(ctx), &format!("{LOG_DIR}/{name}.log"), &cmdline, 0o600, now);
    Ok(format!("Domain '{name}' started\n"))
}

/// Runs an operation on the qcow2 image at `path` (as QEMU does on the disk it has open).
fn on_image<R>(
    ctx: &mut Ctx<'_>,
    path: &str,
    op: impl FnOnce(&mut crate::sim::disk::qcow2::Qcow2, &mut crate::sim::vfs::RegularFile) -> R,
) -> Option<R> {
    let ino = ctx.resolve(path, true).ok()?;
    crate::sim::disk::qemu_img::with_qcow2(ctx, ino, op)
}

fn indent(xml: &str) -> String {
    xml.lines().map(|l| format!("  {l}\n")).collect()
}

fn shutdown(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    if !ctx.world.libvirt.lookup(&name).is_some_and(Domain::active) {
        return Err(vec![
            format!("Failed to shutdown domain '{name}'"),
            "Requested operation is not valid: domain is not running".to_owned(),
        ]);
    }
    // The guest gets an ACPI power-button event and powers off; GuestLab's guests do that at once.
    stop(ctx, &name, "shutdown");
    Ok(format!("Domain '{name}' is being shutdown\n"))
}

fn destroy(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    if !ctx.world.libvirt.lookup(&name).is_some_and(Domain::active) {
        return Err(vec![
            format!("Failed to destroy domain '{name}'"),
            "Requested operation is not valid: domain is not running".to_owned(),
        ]);
    }
    stop(ctx, &name, "destroyed");
    Ok(format!("Domain '{name}' destroyed\n"))
}

fn reboot(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    if !ctx.world.libvirt.lookup(&name).is_some_and(Domain::active) {
        return Err(vec![
            format!("Failed to reboot domain '{name}'"),
            "Requested operation is not valid: domain is not running".to_owned(),
        ]);
    }
    Ok(format!("Domain '{name}' is being rebooted\n"))
}

fn suspend(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let Some(d) = ctx.world.libvirt.domains.get_mut(&name).filter(|d| d.active()) else {
        return Err(vec![
            format!("Failed to suspend domain '{name}'"),
            "Requested operation is not valid: domain is not running".to_owned(),
        ]);
    };
    d.state = DomainState::Paused;
    d.reason = "user".to_owned();
    Ok(format!("Domain '{name}' suspended\n"))
}

fn resume(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let Some(d) = ctx.world.libvirt.domains.get_mut(&name).filter(|d| d.active()) else {
        return Err(vec![
            format!("Failed to resume domain '{name}'"),
            "Requested operation is not valid: domain is not running".to_owned(),
        ]);
    };
    if d.state == DomainState::Paused {
        d.state = DomainState::Running;
        d.reason = "unpaused".to_owned();
    }
    Ok(format!("Domain '{name}' resumed\n"))
}

fn autostart(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let now = ctx.now();
    let disable = a.has("disable");
    let persistent = files::exists(&ctx.world.machines[0].fs, &config_path(&name));
    if !persistent {
        let verb = if disable { "unmark" } else { "mark" };
        return Err(vec![
            format!("Failed to {verb} domain '{name}' as autostarted"),
            "Requested operation is not valid: cannot set autostart for transient domain".to_owned(),
        ]);
    }
    if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
        d.autostart = !disable;
    }
    let link = format!("{AUTOSTART_DIR}/{name}.xml");
    if disable {
        files::remove(host_fs(ctx), &link, now);
        Ok(format!("Domain '{name}' unmarked as autostarted\n"))
    } else {
        files::symlink(host_fs(ctx), &link, &config_path(&name), now);
        Ok(format!("Domain '{name}' marked as autostarted\n"))
    }
}

fn dominfo(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let persistent = files::exists(&ctx.world.machines[0].fs, &config_path(&name));
    let Some(d) = ctx.world.libvirt.lookup(&name) else { return Err(vec![format!("failed to get domain '{name}'")]) };
    let mut s = String::new();
    let row = |s: &mut String, k: &str, v: &str| s.push_str(&format!("{:<16}{v}\n", format!("{k}:")));
    row(&mut s, "Id", &d.id.map_or_else(|| "-".to_owned(), |i| i.to_string()));
    row(&mut s, "Name", &d.def.name);
    row(&mut s, "UUID", &d.def.uuid);
    row(&mut s, "OS Type", &d.def.os_type);
    row(&mut s, "State", d.state.as_str());
    row(&mut s, "CPU(s)", &d.def.vcpus.to_string());
    if d.active() {
        row(&mut s, "CPU time", "3.2s");
    }
    row(&mut s, "Max memory", &format!("{} KiB", d.def.memory_kib));
    let used = d.def.current_memory_kib;
    row(&mut s, "Used memory", &format!("{used} KiB"));
    row(&mut s, "Persistent", if persistent { "yes" } else { "no" });
    row(&mut s, "Autostart", if d.autostart { "enable" } else { "disable" });
    row(&mut s, "Managed save", "no");
    row(&mut s, "Security model", "apparmor");
    row(&mut s, "Security DOI", "0");
    if d.active() {
        row(&mut s, "Security label", &format!("libvirt-{} (enforcing)", d.def.uuid));
    }
    Ok(s)
}

fn domstate(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let Some(d) = ctx.world.libvirt.lookup(&name) else { return Err(vec![format!("failed to get domain '{name}'")]) };
    Ok(if a.has("reason") {
        format!("{} ({})\n", d.state.as_str(), d.reason)
    } else {
        format!("{}\n", d.state.as_str())
    })
}

fn domid(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    Ok(format!("{}\n", d.id.map_or_else(|| "-".to_owned(), |i| i.to_string())))
}

fn domuuid(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    Ok(format!("{}\n", d.def.uuid))
}

fn dumpxml(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    let live = if a.has("inactive") { None } else { d.live.as_ref() };
    Ok(d.def.to_xml(live))
}

fn domblklist(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    let mut t = if a.has("details") {
        Table::new(&["Type", "Device", "Target", "Source"])
    } else {
        Table::new(&["Target", "Source"])
    };
    for disk in &d.def.disks {
        let source = disk.source.clone().unwrap_or_else(|| "-".to_owned());
        if a.has("details") {
            t.row(vec![disk.kind.clone(), disk.device.clone(), disk.target.clone(), source]);
        } else {
            t.row(vec![disk.target.clone(), source]);
        }
    }
    Ok(t.render())
}

fn domiflist(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    let mut t = Table::new(&["Interface", "Type", "Source", "Model", "MAC"]);
    let live = if a.has("inactive") { None } else { d.live.as_ref() };
    for (i, iface) in d.def.interfaces.iter().enumerate() {
        let tap = live.and_then(|l| l.taps.get(i)).cloned().unwrap_or_else(|| "-".to_owned());
        t.row(vec![
            tap,
            "network".to_owned(),
            iface.network.clone(),
            iface.model.clone().unwrap_or_else(|| "-".to_owned()),
            iface.mac.clone(),
        ]);
    }
    Ok(t.render())
}

// ----- snapshots ----------------------------------------------------------------------------

fn snapshot_create_as(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let now = ctx.now();
    let Some(d) = ctx.world.libvirt.domains.get(&name) else { return Err(Vec::new()) };
    let snap_name = a.get("name").map_or_else(|| now.to_string(), str::to_owned);
    if d.snapshots.iter().any(|s| s.name == snap_name) {
        return Err(vec![format!("operation failed: domain snapshot '{snap_name}' already exists")]);
    }
    // An internal snapshot of every qcow2 disk, as `qemu-img snapshot -c` makes one.
    let disks: Vec<String> =
        d.def.disks.iter().filter(|k| k.device == "disk").filter_map(|k| k.source.clone()).collect();
    for path in &disks {
        let is_qcow2 = ctx.world.machines[0]
            .fs
            .resolve(crate::sim::vfs::ROOT, path, true)
            .ok()
            .and_then(|i| ctx.world.machines[0].fs.file(i).ok())
            .is_some_and(|f| f.qcow2.is_some());
        if !is_qcow2 {
            return Err(vec![format!(
                "unsupported configuration: internal snapshot for disk {} unsupported for storage type raw",
                d.def
                    .disks
                    .iter()
                    .find(|k| k.source.as_deref() == Some(path.as_str()))
                    .map_or("vda", |k| k.target.as_str())
            )]);
        }
    }
    let state = d.state;
    let parent = d.current_snapshot.clone();
    let def_xml = d.def.to_xml(None);
    for path in &disks {
        let _ = on_image(ctx, path, |q, f| q.snapshot_create(f, &snap_name, now));
    }
    let snapshot = DomainSnapshot { name: snap_name.clone(), creation_time: now, state, parent: parent.clone() };
    let mut xml = format!(
        "<domainsnapshot>\n  <name>{snap_name}</name>\n  <state>{}</state>\n",
        if state == DomainState::ShutOff { "shutoff" } else { state.as_str() }
    );
    if let Some(p) = &parent {
        xml.push_str(&format!("  <parent>\n    <name>{p}</name>\n  </parent>\n"));
    }
    xml.push_str(&format!(
        "  <creationTime>{now}</creationTime>\n  <memory snapshot='{}'/>\n",
        if state == DomainState::ShutOff { "no" } else { "internal" }
    ));
    xml.push_str(&indent(&def_xml));
    xml.push_str("  <active>0</active>\n</domainsnapshot>\n");
    let text = saved_file(&xml, &format!("virsh snapshot-edit {name}"));
    files::write(host_fs(ctx), &format!("{SNAPSHOT_DIR}/{name}/{snap_name}.xml"), &text, 0o600, now);
    if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
        d.snapshots.push(snapshot);
        d.current_snapshot = Some(snap_name.clone());
    }
    // virsh prints this one without a newline of its own; the empty line after every command
    // ends it.
    Ok(format!("Domain snapshot {snap_name} created"))
}

fn snapshot_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    if a.has("name") {
        return Ok(d.snapshots.iter().map(|s| format!("{}\n", s.name)).collect());
    }
    let mut t = Table::new(&["Name", "Creation Time", "State"]);
    for s in &d.snapshots {
        let when = format!("{} +0000", time::format_datetime(s.creation_time));
        let state = if s.state == DomainState::ShutOff { "shutoff" } else { s.state.as_str() };
        t.row(vec![s.name.clone(), when, state.to_owned()]);
    }
    Ok(t.render())
}

fn snapshot_name(ctx: &Ctx<'_>, domain: &str, a: &Args) -> Result<String, Vec<String>> {
    let d = ctx.world.libvirt.lookup(domain).ok_or_else(Vec::new)?;
    let wanted = match a.get("snapshotname") {
        Some(s) => s.to_owned(),
        None if a.has("current") => {
            d.current_snapshot.clone().ok_or_else(|| vec!["the domain does not have a current snapshot".to_owned()])?
        }
        None => return Err(vec!["--snapshotname or --current is required".to_owned()]),
    };
    if d.snapshots.iter().any(|s| s.name == wanted) {
        Ok(wanted)
    } else {
        Err(vec![format!("Domain snapshot not found: no domain snapshot with matching name '{wanted}'")])
    }
}

fn snapshot_revert(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let snap = snapshot_name(ctx, &name, a)?;
    let Some(d) = ctx.world.libvirt.domains.get(&name) else { return Err(Vec::new()) };
    let disks: Vec<String> =
        d.def.disks.iter().filter(|k| k.device == "disk").filter_map(|k| k.source.clone()).collect();
    let was = d.snapshots.iter().find(|s| s.name == snap).map_or(DomainState::ShutOff, |s| s.state);
    if d.active() && was == DomainState::ShutOff {
        stop(ctx, &name, "from snapshot");
    }
    for path in &disks {
        let _ = on_image(ctx, path, |q, f| q.snapshot_goto(f, &snap));
    }
    if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
        d.current_snapshot = Some(snap);
    }
    Ok(String::new())
}

fn snapshot_delete(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let snap = snapshot_name(ctx, &name, a)?;
    let now = ctx.now();
    let Some(d) = ctx.world.libvirt.domains.get(&name) else { return Err(Vec::new()) };
    let disks: Vec<String> =
        d.def.disks.iter().filter(|k| k.device == "disk").filter_map(|k| k.source.clone()).collect();
    if !a.has("metadata") {
        for path in &disks {
            let _ = on_image(ctx, path, |q, f| q.snapshot_delete(f, &snap));
        }
    }
    files::remove(host_fs(ctx), &format!("{SNAPSHOT_DIR}/{name}/{snap}.xml"), now);
    if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
        let parent = d.snapshots.iter().find(|s| s.name == snap).and_then(|s| s.parent.clone());
        d.snapshots.retain(|s| s.name != snap);
        for s in &mut d.snapshots {
            if s.parent.as_deref() == Some(snap.as_str()) {
                s.parent.clone_from(&parent);
            }
        }
        if d.current_snapshot.as_deref() == Some(snap.as_str()) {
            d.current_snapshot = parent;
        }
    }
    Ok(format!("Domain snapshot {snap} deleted\n"))
}

// ----- networks -----------------------------------------------------------------------------

fn network_name(ctx: &Ctx<'_>, key: &str) -> Result<String, Vec<String>> {
    if ctx.world.libvirt.networks.contains_key(key) {
        return Ok(key.to_owned());
    }
    ctx.world.libvirt.networks.values().find(|n| n.uuid == key).map(|n| n.name.clone()).ok_or_else(|| {
        vec![
            format!("failed to get network '{key}'"),
            format!("Network not found: no network with matching name '{key}'"),
        ]
    })
}

fn net_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let rows: Vec<_> = ctx
        .world
        .libvirt
        .networks
        .values()
        .filter(|n| if a.has("inactive") { !n.active } else { a.has("all") || n.active })
        .filter(|n| !a.has("autostart") || n.autostart)
        .filter(|n| !a.has("no-autostart") || !n.autostart)
        .collect();
    if a.has("name") || a.has("uuid") {
        return Ok(rows.iter().map(|n| format!("{}\n", if a.has("uuid") { &n.uuid } else { &n.name })).collect());
    }
    let mut t = Table::new(&["Name", "State", "Autostart", "Persistent"]);
    for n in rows {
        t.row(vec![
            n.name.clone(),
            if n.active { "active" } else { "inactive" }.to_owned(),
            if n.autostart { "yes" } else { "no" }.to_owned(),
            "yes".to_owned(),
        ]);
    }
    Ok(t.render())
}

fn net_start(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let now = ctx.now();
    let Some(n) = ctx.world.libvirt.networks.get_mut(&name) else { return Err(Vec::new()) };
    if n.active {
        return Err(vec![
            format!("Failed to start network {name}"),
            format!("Requested operation is not valid: network is already active"),
        ]);
    }
    n.active = true;
    let n = n.clone();
    let fs = host_fs(ctx);
    files::write(
        fs,
        &format!("{RUN_NETWORK_DIR}/{name}.xml"),
        &format!(
            "<networkstatus>\n  <class_id bitmap='0-2'/>\n  <floor sum='0'/>\n{}</networkstatus>\n",
            indent(&n.to_xml(true))
        ),
        0o600,
        now,
    );
    files::write(fs, &format!("{RUN_NETWORK_DIR}/{name}.pid"), "1207\n", 0o644, now);
    let conf = format!(
        "##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n##    virsh net-edit {name}\n## or other application using the libvirt API.\n##\n## dnsmasq conf file created by libvirt\nstrict-order\npid-file=/run/libvirt/network/{name}.pid\nexcept-interface=lo\nbind-dynamic\ninterface={}\ndhcp-range={},{},{}\ndhcp-no-override\ndhcp-authoritative\ndhcp-lease-max=253\ndhcp-hostsfile=/var/lib/libvirt/dnsmasq/{name}.hostsfile\naddn-hosts=/var/lib/libvirt/dnsmasq/{name}.addnhosts\n",
        n.bridge, n.range_start, n.range_end, n.netmask
    );
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{name}.conf"), &conf, 0o600, now);
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{name}.hostsfile"), "", 0o600, now);
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{name}.addnhosts"), "", 0o600, now);
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{}.status", n.bridge), "", 0o644, now);
    Ok(format!("Network {name} started\n"))
}

fn net_destroy(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let now = ctx.now();
    let Some(n) = ctx.world.libvirt.networks.get_mut(&name) else { return Err(Vec::new()) };
    if !n.active {
        return Err(vec![
            format!("Failed to destroy network {name}"),
            "Requested operation is not valid: network is not active".to_owned(),
        ]);
    }
    n.active = false;
    n.leases.clear();
    let fs = host_fs(ctx);
    files::remove(fs, &format!("{RUN_NETWORK_DIR}/{name}.xml"), now);
    files::remove(fs, &format!("{RUN_NETWORK_DIR}/{name}.pid"), now);
    Ok(format!("Network {name} destroyed\n"))
}

fn net_autostart(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let now = ctx.now();
    let disable = a.has("disable");
    if let Some(n) = ctx.world.libvirt.networks.get_mut(&name) {
        n.autostart = !disable;
    }
    let link = format!("{NETWORK_CONFIG_DIR}/autostart/{name}.xml");
    if disable {
        files::remove(host_fs(ctx), &link, now);
        Ok(format!("Network {name} unmarked as autostarted\n"))
    } else {
        files::symlink(host_fs(ctx), &link, &format!("{NETWORK_CONFIG_DIR}/{name}.xml"), now);
        Ok(format!("Network {name} marked as autostarted\n"))
    }
}

fn net_dumpxml(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let n = &ctx.world.libvirt.networks[&name];
    Ok(n.to_xml(n.active && !a.has("inactive")))
}

fn net_info(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let n = &ctx.world.libvirt.networks[&name];
    let mut s = String::new();
    for (k, v) in [
        ("Name", n.name.as_str()),
        ("UUID", n.uuid.as_str()),
        ("Active", if n.active { "yes" } else { "no" }),
        ("Persistent", "yes"),
        ("Autostart", if n.autostart { "yes" } else { "no" }),
        ("Bridge", n.bridge.as_str()),
    ] {
        s.push_str(&format!("{:<16}{v}\n", format!("{k}:")));
    }
    Ok(s)
}

fn net_dhcp_leases(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let n = &ctx.world.libvirt.networks[&name];
    let mut t = Table::new(&["Expiry Time", "MAC address", "Protocol", "IP address", "Hostname", "Client ID or DUID"]);
    for l in n.leases.iter().filter(|l| a.get("mac").is_none_or(|m| m.eq_ignore_ascii_case(&l.mac))) {
        t.row(vec![
            time::format_datetime(l.expiry),
            l.mac.clone(),
            "ipv4".to_owned(),
            format!("{}/24", l.ip),
            l.hostname.clone().unwrap_or_else(|| "-".to_owned()),
            l.client_id.clone().unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    Ok(t.render())
}

// ----- storage ------------------------------------------------------------------------------

fn pool_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let rows: Vec<_> = ctx
        .world
        .libvirt
        .pools
        .values()
        .filter(|p| if a.has("inactive") { !p.active } else { a.has("all") || p.active })
        .filter(|p| !a.has("autostart") || p.autostart)
        .collect();
    if a.has("name") {
        return Ok(rows.iter().map(|p| format!("{}\n", p.name)).collect());
    }
    let mut t = Table::new(&["Name", "State", "Autostart"]);
    for p in rows {
        t.row(vec![
            p.name.clone(),
            if p.active { "active" } else { "inactive" }.to_owned(),
            if p.autostart { "yes" } else { "no" }.to_owned(),
        ]);
    }
    Ok(t.render())
}

fn vol_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let key = a.req("pool");
    let Some(pool) = ctx.world.libvirt.pools.get(key) else {
        return Err(vec![
            format!("failed to get pool '{key}'"),
            format!("Storage pool not found: no storage pool with matching name '{key}'"),
        ]);
    };
    if !pool.active {
        return Err(vec![
            format!("Failed to list volumes"),
            format!("Requested operation is not valid: storage pool '{key}' is not active"),
        ]);
    }
    let fs = &ctx.world.machines[0].fs;
    let mut t = if a.has("details") {
        Table::new(&["Name", "Path", "Type", "Capacity", "Allocation"])
    } else {
        Table::new(&["Name", "Path"])
    };
    if let Ok(dir) = fs.resolve(crate::sim::vfs::ROOT, &pool.target, true)
        && let Ok(entries) = fs.entries(dir)
    {
        for (name, &ino) in entries {
            let Some(node) = fs.node(ino) else { continue };
            if node.is_dir() {
                continue;
            }
            let path = format!("{}/{name}", pool.target);
            if a.has("details") {
                let (capacity, allocation) = match &node.kind {
                    crate::sim::vfs::NodeKind::File(f) => {
                        (f.qcow2.as_ref().map_or(f.len, |q| q.size), f.blocks.allocated() * 4096)
                    }
                    _ => (0, 0),
                };
                t.row(vec![name.clone(), path, "file".to_owned(), human(capacity), human(allocation)]);
            } else {
                t.row(vec![name.clone(), path]);
            }
        }
    }
    Ok(t.render())
}

/// Sizes as virsh prints them: two decimals and a binary unit (`20.00 GiB`).
fn human(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.2} {}", units[unit]) }
}
