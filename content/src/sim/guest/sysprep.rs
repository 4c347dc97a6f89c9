//! `virt-sysprep` (guestfs-tools 1.48) on a shut-off domain: resets what makes a guest unique,
//! so that clones of it do not collide. GuestLab performs the operations that matter for
//! cloning; the others of the default set have nothing to do on these guests.

use crate::sim::libvirt::DomainState;
use crate::sim::shell::Ctx;
use crate::sim::vfs::{NodeKind, ROOT, Vfs};

pub const USAGE: &str = "virt-sysprep: reset, unconfigure or customize a virtual machine so clones can be made

 virt-sysprep [--options] -d domname
 virt-sysprep --list-operations

Options (GuestLab's subset):
  -d|--domain guest            Add disks from libvirt guest
  --operations op,op,...       Enable only these operations (or -op to disable one)
  --enable op,op,...           Same as --operations
  --list-operations            List supported operations
";

/// (name, enabled by default, description) of the operations GuestLab performs.
const OPERATIONS: &[(&str, bool, &str)] = &[
    ("bash-history", true, "Remove the bash history in the guest"),
    ("logfiles", true, "Remove many log files from the guest"),
    ("machine-id", true, "Remove the local machine ID"),
    ("net-hostname", true, "Remove HOSTNAME and DHCP_HOSTNAME in network interface configuration"),
    ("ssh-hostkeys", true, "Remove the SSH host keys in the guest"),
    ("tmp-files", true, "Remove temporary files"),
];

fn error(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(&format!("virt-sysprep: error: {message}\n"));
    1
}

pub fn virt_sysprep(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut domain = None;
    let mut selected: Option<Vec<String>> = None;
    let takes_value = |k: &str| matches!(k, "-d" | "--domain" | "--operations" | "--operation" | "--enable");
    for (key, value) in crate::sim::libvirt::argparse_pairs(&argv[1..], takes_value) {
        match key.as_str() {
            "-d" | "--domain" => domain = value,
            "--operations" | "--operation" | "--enable" => {
                let list = value.unwrap_or_default();
                let mut ops: Vec<String> = Vec::new();
                for op in list.split(',').filter(|o| !o.is_empty()) {
                    if op == "defaults" {
                        ops.extend(OPERATIONS.iter().filter(|o| o.1).map(|o| o.0.to_owned()));
                    } else if let Some(off) = op.strip_prefix('-') {
                        ops.retain(|o| o != off);
                    } else if OPERATIONS.iter().any(|o| o.0 == op) {
                        ops.push(op.to_owned());
                    } else {
                        return error(ctx, &format!("--operations: '{op}' is not a known operation"));
                    }
                }
                selected = Some(ops);
            }
            "--list-operations" => {
                let mut s = String::new();
                for (name, default, text) in OPERATIONS {
                    s.push_str(&format!("{name} {} {text}\n", if *default { "*" } else { " " }));
                }
                ctx.out(&s);
                return 0;
            }
            "-h" | "--help" => {
                ctx.out(USAGE);
                return 0;
            }
            "-q" | "--quiet" | "-v" | "--verbose" | "-x" => {}
            other => return error(ctx, &format!("unrecognized option '{other}'")),
        }
    }
    let Some(domain) = domain else {
        return error(
            ctx,
            "you must give either -a or -d options.\nRead virt-sysprep(1) man page for further information.",
        );
    };
    let Some(d) = ctx.world.libvirt.lookup(&domain).cloned() else {
        return error(
            ctx,
            &format!("no libvirt domain called ‘{domain}’: Domain not found: no domain with matching name '{domain}'"),
        );
    };
    if d.state != DomainState::ShutOff {
        return error(
            ctx,
            &format!(
                "libvirt domain ‘{domain}’ is running or paused.  It must be shut down in order to perform virt-sysprep on it."
            ),
        );
    }
    let Some(disk) = d.def.disks.iter().find(|k| k.device == "disk").and_then(|k| k.source.clone()) else {
        return error(ctx, &format!("libvirt domain ‘{domain}’ has no disks"));
    };
    let mut ops: Vec<&str> = match &selected {
        Some(list) => OPERATIONS.iter().map(|o| o.0).filter(|o| list.iter().any(|l| l == o)).collect(),
        None => OPERATIONS.iter().filter(|o| o.1).map(|o| o.0).collect(),
    };
    crate::order::sort(&mut ops);
    let now = ctx.now();
    let host = &mut ctx.world.machines[0].fs;
    let Ok(ino) = host.resolve(ROOT, &disk, true) else {
        return error(ctx, &format!("could not open '{disk}': No such file or directory"));
    };
    let Ok(file) = host.file_mut(ino, now) else { return 1 };
    let Some(guest) = file.guest.as_deref_mut() else {
        return error(ctx, "no operating systems were found in the guest image");
    };
    let mut out = String::from("[   0.0] Examining the guest ...\n");
    let mut t = 4.1;
    for op in ops {
        out.push_str(&format!("[{t:6.1}] Performing \"{op}\" ...\n"));
        t += 0.1;
        perform(guest, op, now);
    }
    ctx.out(&out);
    0
}

fn remove_matching(fs: &mut Vfs, dir: &str, keep: impl Fn(&str) -> bool, now: i64) {
    let Ok(d) = fs.resolve(ROOT, dir, true) else { return };
    let names: Vec<String> = fs.entries(d).map(|e| e.keys().cloned().collect()).unwrap_or_default();
    for name in names.into_iter().filter(|n| !keep(n)) {
        crate::sim::libvirt::files::remove(fs, &format!("{dir}/{name}"), now);
    }
}

fn perform(fs: &mut Vfs, op: &str, now: i64) {
    match op {
        // `rm` then `touch`: an empty file, mode 0644.
        "machine-id" => {
            crate::sim::libvirt::files::remove(fs, "/etc/machine-id", now);
            let _ = fs.put_file("/etc/machine-id", b"", 0o644, now);
        }
        "ssh-hostkeys" => remove_matching(fs, "/etc/ssh", |n| !(n.starts_with("ssh_host_") && n.contains("_key")), now),
        "bash-history" => {
            crate::sim::libvirt::files::remove(fs, "/root/.bash_history", now);
            let homes: Vec<String> = fs
                .resolve(ROOT, "/home", true)
                .ok()
                .and_then(|h| fs.entries(h).ok().map(|e| e.keys().cloned().collect()))
                .unwrap_or_default();
            for h in homes {
                crate::sim::libvirt::files::remove(fs, &format!("/home/{h}/.bash_history"), now);
            }
        }
        "logfiles" => {
            remove_matching(fs, "/var/log/journal", |_| false, now);
            let _ = NodeKind::Dir(Default::default());
        }
        "tmp-files" => {
            remove_matching(fs, "/tmp", |_| false, now);
            remove_matching(fs, "/var/tmp", |_| false, now);
        }
        _ => {}
    }
}
