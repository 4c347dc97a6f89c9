//! `virsh migrate`: a domain moves to the other host ([`crate::sim::hypervisor::host2`]),
//! live (the running guest goes along, memory and all) or offline (only the definition), with
//! libvirt 9.0's checks and messages. The storage of GuestLab's hosts is local, not shared, so
//! a live migration needs `--copy-storage-all` (or `--unsafe`, and then the target finds no disk).
//!
//! `virsh -c qemu+ssh://host2/system COMMAND` runs the read-only commands (and `migrate`) on the
//! other host with the same code, by swapping the hosts for the duration.

use super::{Args, config_path, domain_name, files, stop_domain};
use crate::sim::hypervisor::host2::{self, HOST_UUID, HOST2_UUID, REMOTE_COMMANDS};
use crate::sim::hypervisor::migration;
use crate::sim::libvirt::xml::saved_file;
use crate::sim::libvirt::{Domain, DomainState};
use crate::sim::shell::{Ctx, Fd};
use crate::sim::vfs::ROOT;

/// Flags virsh accepts that GuestLab does not model; they are refused with a note.
const NOT_SIMULATED: &[&str] = &["direct", "suspend", "copy-storage-inc", "postcopy", "dname"];

/// The link a live migration uses in GuestLab's arithmetic: 1 Gbit/s, and how fast an idle
/// Debian guest dirties its memory.
const LINK_MIB_S: f64 = 117.0;
const IDLE_DIRTY_MIB_S: f64 = 8.0;

pub(super) fn migrate(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    if let Some(flag) = NOT_SIMULATED.iter().find(|f| a.has(f) || a.get(f).is_some()) {
        return Err(vec![format!("GuestLab does not simulate migrate --{flag}")]);
    }
    let name = domain_name(ctx, a.req("domain"))?;
    let desturi = a.req("desturi").to_owned();
    if ctx.world.current != 0 {
        return Err(vec![
            "failed to connect to the hypervisor".to_owned(),
            "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory".to_owned(),
        ]);
    }
    let (here, there) = host2::host_names(ctx.world);
    let target = match host2::uri_host(&desturi) {
        Some(h) => h.to_owned(),
        None if desturi.starts_with("qemu:///") => here.clone(),
        None => return Err(vec![format!("invalid argument: Unable to parse URI {desturi}")]),
    };
    let offline = a.has("offline");
    let copy = a.has("copy-storage-all");
    let persistent = a.has("persistent");
    let undefine = a.has("undefinesource");
    if target == here || (target == "localhost") {
        let uuid = if here == host2::HOST2 { HOST2_UUID } else { HOST_UUID };
        return Err(vec![format!("internal error: Attempt to migrate guest to the same host {uuid}")]);
    }
    if target != there {
        return Err(vec![
            "failed to connect to the hypervisor".to_owned(),
            format!(
                "Cannot recv data: ssh: Could not resolve hostname {target}: Name or service not known: Connection reset by peer"
            ),
        ]);
    }
    let Some(domain) = ctx.world.libvirt.domains.get(&name).cloned() else {
        return Err(vec![format!("failed to get domain '{name}'")]);
    };
    if offline {
        if copy {
            return Err(vec![
                "Requested operation is not valid: offline migration cannot handle non-shared storage".to_owned(),
            ]);
        }
        if !persistent {
            return Err(vec![
                "Requested operation is not valid: offline migration must be specified with the persistent flag set"
                    .to_owned(),
            ]);
        }
        if a.has("tunnelled") {
            return Err(vec![
                "Requested operation is not valid: tunnelled offline migration does not make sense".to_owned(),
            ]);
        }
        if domain.active() && undefine {
            return Err(vec!["GuestLab does not simulate transient domains: shut the domain down first".to_owned()]);
        }
        let result = host2::on_other_host(ctx.world, |w| {
            if w.libvirt.domains.get(&name).is_some_and(Domain::active) {
                return Err(vec![format!("Requested operation is not valid: domain '{name}' is already active")]);
            }
            let mut sub = Ctx::new(w, Vec::new());
            define_here(&mut sub, &domain);
            Ok(())
        });
        result?;
        if undefine {
            undefine_here(ctx, &name);
        }
        return Ok(String::new());
    }
    if !domain.active() {
        return Err(vec!["Requested operation is not valid: domain is not running".to_owned()]);
    }
    let disks: Vec<String> =
        domain.def.disks.iter().filter(|k| k.device == "disk").filter_map(|k| k.source.clone()).collect();
    if !disks.is_empty() && !copy && !a.has("unsafe") {
        return Err(vec!["Unsafe migration: Migration without shared storage is unsafe".to_owned()]);
    }
    // The storage goes first (with --copy-storage-all), then the domain starts on the target
    // with the memory that arrives; the guest runs on.
    let now = ctx.now();
    let images: Vec<(String, crate::sim::vfs::Node)> = if copy {
        disks
            .iter()
            .filter_map(|p| {
                let fs = &ctx.world.machines[0].fs;
                let ino = fs.resolve(ROOT, p, true).ok()?;
                Some((p.clone(), fs.node(ino)?.clone()))
            })
            .collect()
    } else {
        Vec::new()
    };
    let storage_bytes: u64 = images.iter().map(|(_, n)| n.stat_blocks() * 512).sum();
    let guest = crate::sim::guest::boot::machine_of(ctx.world, &name).map(|m| {
        let machine = ctx.world.machines.remove(m);
        ctx.world.return_to.retain(|(r, _)| *r != m);
        for (r, _) in &mut ctx.world.return_to {
            if *r > m {
                *r -= 1;
            }
        }
        machine
    });
    let started = host2::on_other_host(ctx.world, |w| {
        if w.libvirt.domains.get(&name).is_some_and(Domain::active) {
            return Err(format!("Requested operation is not valid: domain '{name}' is already active"));
        }
        let mut copied = Vec::new();
        for (path, node) in &images {
            let fs = &mut w.machines[0].fs;
            if let Some((dir, _)) = path.rsplit_once('/') {
                let _ = fs.mkdir_p(dir, 0o755, now);
            }
            if let Ok((dir, file)) = fs.resolve_parent(ROOT, path) {
                let file = file.to_owned();
                let _ = fs.unlink(dir, &file, now);
                if fs.create(dir, &file, node.clone()).is_ok() {
                    copied.push(path.clone());
                }
            }
        }
        let existed = w.libvirt.domains.get(&name).cloned();
        let mut incoming = existed.clone().unwrap_or_else(|| Domain::defined(domain.def.clone()));
        incoming.def = domain.def.clone();
        incoming.state = DomainState::ShutOff;
        w.libvirt.domains.insert(name.clone(), incoming);
        let mut sub = Ctx::new(w, Vec::new());
        if let Err(message) = super::start_domain(&mut sub, &name) {
            match existed {
                Some(d) => w.libvirt.domains.insert(name.clone(), d),
                None => w.libvirt.domains.remove(&name),
            };
            for path in copied {
                files::remove(&mut w.machines[0].fs, &path, now);
            }
            return Err(message);
        }
        if let Some(d) = w.libvirt.domains.get_mut(&name) {
            d.reason = "migrated".to_owned();
        }
        if persistent {
            let mut sub = Ctx::new(w, Vec::new());
            define_here(&mut sub, &domain);
        }
        // The guest that ran on the source runs on here, with its memory: it takes the place
        // of the one that booted from the disk.
        match (guest.clone(), crate::sim::guest::boot::machine_of(w, &name)) {
            (Some(g), Some(m)) => w.machines[m] = g,
            (Some(g), None) => w.machines.push(g),
            (None, _) => {}
        }
        Ok(())
    });
    if let Err(message) = started {
        if let Some(g) = guest {
            ctx.world.machines.push(g);
        }
        return Err(vec![message]);
    }
    stop_domain(ctx, &name, "migrated");
    if undefine {
        undefine_here(ctx, &name);
    }
    let memory_mib = domain.def.memory_kib as f64 / 1024.0;
    let outcome = migration::live(&migration::Params {
        memory_mib,
        bandwidth_mib_s: LINK_MIB_S,
        dirty_mib_s: IDLE_DIRTY_MIB_S,
        storage_mib: storage_bytes as f64 / f64::from(1 << 20),
        ..migration::Params::default()
    });
    ctx.world.tick(outcome.total_seconds.ceil() as i64);
    if a.has("verbose") {
        ctx.err("Migration: [100 %]\n");
    }
    Ok(String::new())
}

/// Defines `domain` on the world's host (its config file and libvirt's memory).
fn define_here(ctx: &mut Ctx<'_>, domain: &Domain) {
    let now = ctx.now();
    let name = domain.def.name.clone();
    let text = saved_file(&domain.def.to_xml(None), &format!("virsh edit {name}"));
    files::write(&mut ctx.world.machines[0].fs, &config_path(&name), &text, 0o600, now);
    ctx.world.libvirt.domains.entry(name).or_insert_with(|| Domain::defined(domain.def.clone()));
}

/// `--undefinesource`: the source forgets the domain (its disks stay).
fn undefine_here(ctx: &mut Ctx<'_>, name: &str) {
    let now = ctx.now();
    let fs = &mut ctx.world.machines[0].fs;
    files::remove(fs, &config_path(name), now);
    files::remove(fs, &format!("{}/{name}.xml", super::AUTOSTART_DIR), now);
    if ctx.world.libvirt.domains.get(name).is_some_and(|d| !d.active()) {
        ctx.world.libvirt.domains.remove(name);
    }
}

/// `virsh -c URI COMMAND ...` for a URI that names a host: the other host runs the command
/// (read-only commands and `migrate`); this host's own name runs it here.
pub(super) fn remote(ctx: &mut Ctx<'_>, uri: &str, argv: &[String]) -> Option<i32> {
    let host = host2::uri_host(uri)?;
    let (here, there) = host2::host_names(ctx.world);
    if host == here {
        return None;
    }
    if host != there || ctx.world.current != 0 {
        ctx.err(&format!("error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: Could not resolve hostname {host}: Name or service not known: Connection reset by peer\n"));
        return Some(1);
    }
    let command = argv.iter().skip(1).find(|a| !a.starts_with('-')).map_or("", String::as_str);
    if !command.is_empty() && !REMOTE_COMMANDS.contains(&command) {
        ctx.err(&format!("error: GuestLab runs only these commands on {there}: {}\n", REMOTE_COMMANDS.join(", ")));
        return Some(1);
    }
    let chunks = host2::on_other_host(ctx.world, |w| {
        let mut sub = Ctx::new(w, Vec::new());
        let status = super::virsh(&mut sub, argv);
        (sub.finish().0, status)
    });
    for (fd, bytes) in chunks.0 {
        let text = String::from_utf8_lossy(&bytes);
        match fd {
            Fd::Err => ctx.err(&text),
            _ => ctx.out(&text),
        }
    }
    Some(chunks.1)
}

#[cfg(test)]
mod tests {
    use crate::sim::World;
    use crate::sim::hypervisor::host2::hosts_view;
    use crate::sim::libvirt::DomainState;

    fn run(w: &mut World, line: &str) -> String {
        let o = w.run(line);
        format!("{}{}[{}]", o.stdout(), o.stderr(), o.status)
    }

    fn running() -> World {
        let mut w = World::with_sample_vm(1);
        w.run("virsh net-start default");
        w.run("virsh start bookworm");
        w
    }

    const LIVE: &str = "virsh migrate --live bookworm qemu+ssh://host2/system";

    #[test]
    fn local_storage_is_unsafe_and_a_stopped_domain_cannot_go_live() {
        let mut w = World::with_sample_vm(1);
        assert_eq!(run(&mut w, LIVE), "\nerror: Requested operation is not valid: domain is not running\n[1]");
        let mut w = running();
        assert_eq!(run(&mut w, LIVE), "\nerror: Unsafe migration: Migration without shared storage is unsafe\n[1]");
        assert!(w.host2.is_none(), "nothing was set up on host2");
        assert_eq!(
            run(&mut w, "virsh migrate --live --unsafe bookworm qemu+ssh://host2/system"),
            "\nerror: Cannot access storage file '/var/lib/libvirt/images/bookworm.qcow2' (as uid:64055, gid:64055): No such file or directory\n[1]"
        );
        assert_eq!(w.libvirt.domains["bookworm"].state, DomainState::Running, "the guest runs on");
        assert!(w.machines.iter().any(|m| m.name == "bookworm"));
        assert!(w.host2.as_ref().is_some_and(|h| h.libvirt.domains.is_empty()));
        assert_eq!(
            run(&mut w, "virsh migrate --live bookworm qemu+ssh://host/system"),
            "\nerror: internal error: Attempt to migrate guest to the same host 4c4c4544-0042-3510-8052-b4c04f4e4d32\n[1]"
        );
        assert_eq!(
            run(&mut w, "virsh migrate --live bookworm qemu+ssh://host3/system"),
            "\nerror: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: Could not resolve hostname host3: Name or service not known: Connection reset by peer\n[1]"
        );
    }

    #[test]
    fn live_migration_with_the_storage_moves_the_running_guest() {
        let mut w = running();
        let id_before = run(&mut w, "virsh console bookworm >/dev/null; cat /etc/machine-id");
        w.run("exit");
        let before = w.clock;
        assert_eq!(
            run(&mut w, "virsh migrate --live --copy-storage-all --verbose bookworm qemu+ssh://host2/system"),
            "\nMigration: [100 %]\n[0]"
        );
        // 1.6 GiB of allocated image and 2 GiB of memory over 1 Gbit/s (117 MiB/s): 33 s, plus
        // the second every command takes.
        assert_eq!(w.clock - before, 34);
        assert_eq!(run(&mut w, "virsh domstate --reason bookworm"), "shut off (migrated)\n\n[0]");
        assert!(!w.machines.iter().any(|m| m.name == "bookworm"), "the guest left this host");
        assert_eq!(
            run(&mut w, "virsh -c qemu+ssh://host2/system list --all"),
            " Id   Name       State\n--------------------------\n 1    bookworm   running\n\n[0]"
        );
        assert_eq!(
            run(&mut w, "virsh -c qemu+ssh://host2/system dominfo bookworm | grep Persistent"),
            "Persistent:     no\n[0]"
        );
        let [a, b] = hosts_view(&w, "bookworm");
        assert_eq!(a.files.iter().map(|f| f.1).collect::<Vec<_>>(), [true, false, true]);
        assert_eq!(b.files.iter().map(|f| f.1).collect::<Vec<_>>(), [false, true, true], "transient on host2");
        // The guest on host2 is the same running system (its machine ID did not change).
        let g = &w.host2.as_ref().unwrap().machines.iter().find(|m| m.name == "bookworm").unwrap();
        assert_eq!(
            format!("{}[0]", g.fs.read_text(crate::sim::vfs::ROOT, "/etc/machine-id", 64).unwrap()),
            id_before.trim_start_matches('\n')
        );
        assert_eq!(
            run(&mut w, "virsh -c qemu+ssh://host2/system start bookworm"),
            "error: GuestLab runs only these commands on host2: list, dominfo, domstate, domid, domuuid, dumpxml, domblklist, domiflist, net-list, net-info, net-dumpxml, pool-list, vol-list, migrate\n[1]"
        );
        // And back again, persistent this time, the source forgetting it.
        assert_eq!(
            run(
                &mut w,
                "virsh -c qemu+ssh://host2/system migrate --live --copy-storage-all --persistent --undefinesource bookworm qemu+ssh://host/system"
            ),
            "\n[0]"
        );
        assert_eq!(run(&mut w, "virsh list --name"), "bookworm\n\n[0]");
        assert!(w.machines.iter().any(|m| m.name == "bookworm"), "the guest is back");
        assert_eq!(run(&mut w, "virsh -c qemu+ssh://host2/system list --all --name"), "\n[0]");
    }

    #[test]
    fn offline_migration_copies_the_definition_only() {
        let mut w = World::with_sample_vm(1);
        assert_eq!(
            run(&mut w, "virsh migrate --offline bookworm qemu+ssh://host2/system"),
            "\nerror: Requested operation is not valid: offline migration must be specified with the persistent flag set\n[1]"
        );
        assert_eq!(
            run(&mut w, "virsh migrate --offline --persistent --copy-storage-all bookworm qemu+ssh://host2/system"),
            "\nerror: Requested operation is not valid: offline migration cannot handle non-shared storage\n[1]"
        );
        assert_eq!(
            run(&mut w, "virsh migrate --offline --persistent --undefinesource bookworm qemu+ssh://host2/system"),
            "\n[0]"
        );
        assert_eq!(run(&mut w, "virsh list --all --name"), "\n[0]");
        let [a, b] = hosts_view(&w, "bookworm");
        assert_eq!(a.files.iter().map(|f| f.1).collect::<Vec<_>>(), [false, false, true], "the disk stays behind");
        assert_eq!(b.domains, [("bookworm".to_owned(), DomainState::ShutOff, true)]);
        assert_eq!(b.files.iter().map(|f| f.1).collect::<Vec<_>>(), [true, false, false]);
        assert_eq!(
            run(&mut w, "virsh migrate --p2p --direct bookworm qemu+ssh://host2/system"),
            "\nerror: GuestLab does not simulate migrate --direct\n[1]"
        );
    }
}
