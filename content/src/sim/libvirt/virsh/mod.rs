//! `virsh`: option parsing as virsh does it, and the domain, network and storage commands with
//! libvirt 9.0's messages and exit statuses. Every command's effect on the host's files is in
//! [`super::files`].

mod attach;
mod domains;
mod migrate;
mod networks;
mod snapshots;
mod storage;

use attach::attach_disk;
use domains::*;
pub(crate) use domains::{define_domain, start_domain};
use networks::*;
use snapshots::*;
use storage::*;

use super::domain::new_uuid;
use super::files::{
    self, AUTOSTART_DIR, LIB_QEMU_DIR, LOG_DIR, NETWORK_CONFIG_DIR, QEMU_CONFIG_DIR, RUN_NETWORK_DIR, RUN_QEMU_DIR,
    SNAPSHOT_DIR,
};
use super::table::Table;
use super::xml::saved_file;
use super::{Domain, DomainDef, DomainSnapshot, DomainState, LiveInfo, Pool};
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
    Cmd { name: "edit", opts: &[arg("domain")], run: edit, help: "edit XML configuration for a domain" },
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
    Cmd {
        name: "console",
        opts: &[arg("domain"), flag("force"), flag("safe")],
        run: console,
        help: "connect to the guest console",
    },
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
        name: "attach-disk",
        opts: &[
            arg("domain"),
            arg("source"),
            arg("target"),
            value("targetbus"),
            value("driver"),
            value("subdriver"),
            value("cache"),
            value("type"),
            value("mode"),
            value("sourcetype"),
            flag("persistent"),
            flag("config"),
            flag("live"),
            flag("current"),
        ],
        run: attach_disk,
        help: "attach disk device",
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
        name: "migrate",
        opts: &[
            arg("domain"),
            arg("desturi"),
            flag("live"),
            flag("offline"),
            flag("p2p"),
            flag("direct"),
            flag("tunnelled"),
            flag("persistent"),
            flag("undefinesource"),
            flag("suspend"),
            flag("copy-storage-all"),
            flag("copy-storage-inc"),
            flag("change-protection"),
            flag("unsafe"),
            flag("verbose"),
            flag("compressed"),
            flag("auto-converge"),
            flag("abort-on-error"),
            flag("postcopy"),
            value("dname"),
            value("timeout"),
            value("bandwidth"),
        ],
        run: migrate::migrate,
        help: "migrate domain to another host",
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
        name: "net-define",
        opts: &[arg("file"), flag("validate")],
        run: net_define,
        help: "define an inactive persistent virtual network from an XML file",
    },
    Cmd { name: "net-undefine", opts: &[arg("network")], run: net_undefine, help: "undefine a persistent network" },
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
        name: "pool-define-as",
        opts: &[arg("name"), arg("type"), value("target"), flag("print-xml")],
        run: pool_define_as,
        help: "define a pool from a set of args",
    },
    Cmd {
        name: "pool-build",
        opts: &[arg("pool"), flag("overwrite"), flag("no-overwrite")],
        run: pool_build,
        help: "build a pool",
    },
    Cmd {
        name: "pool-start",
        opts: &[arg("pool"), flag("build")],
        run: pool_start,
        help: "start a (previously defined) inactive pool",
    },
    Cmd { name: "pool-destroy", opts: &[arg("pool")], run: pool_destroy, help: "destroy (stop) a pool" },
    Cmd { name: "pool-undefine", opts: &[arg("pool")], run: pool_undefine, help: "undefine an inactive pool" },
    Cmd {
        name: "pool-autostart",
        opts: &[arg("pool"), flag("disable")],
        run: pool_autostart,
        help: "autostart a pool",
    },
    Cmd {
        name: "pool-dumpxml",
        opts: &[arg("pool"), flag("inactive")],
        run: pool_dumpxml,
        help: "pool information in XML",
    },
    Cmd {
        name: "vol-create-as",
        opts: &[arg("pool"), arg("name"), arg("capacity"), value("allocation"), value("format")],
        run: vol_create_as,
        help: "create a volume from a set of args",
    },
    Cmd { name: "vol-delete", opts: &[arg("vol"), optional_arg("pool")], run: vol_delete, help: "delete a vol" },
    Cmd {
        name: "vol-dumpxml",
        opts: &[arg("vol"), optional_arg("pool")],
        run: vol_dumpxml,
        help: "vol information in XML",
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
                    // A host's URI (qemu+ssh://host2/system): the command runs on that host.
                    let rest: Vec<String> =
                        argv[..i - 1].iter().chain(argv.get(i + 1..).unwrap_or_default()).cloned().collect();
                    match migrate::remote(ctx, uri, &rest) {
                        Some(status) => return status,
                        None if crate::sim::hypervisor::host2::uri_host(uri).is_some() => {}
                        None => {
                            ctx.err(&format!("error: failed to connect to the hypervisor\nerror: GuestLab simulates the connection qemu:///system only, not '{uri}'\n"));
                            return 1;
                        }
                    }
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
            // virsh reports the error, then ends the command's output with its blank line.
            for line in lines {
                ctx.err(&format!("error: {line}\n"));
            }
            if !quiet {
                ctx.out("\n");
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
    stop_domain(ctx, name, reason);
}

/// Stops a running domain (its guest powers off first, its files going back to its disk).
pub(crate) fn stop_domain(ctx: &mut Ctx<'_>, name: &str, reason: &str) {
    crate::sim::guest::boot::power_off(ctx.world, name);
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
