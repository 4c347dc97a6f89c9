//! virsh's domain commands: list, define, undefine, start, stop, autostart, information.

use super::*;

pub(super) fn list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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
    crate::order::sort_by_key(&mut rows, |d| (d.id.is_none(), d.id, d.def.name.clone()));
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

pub(super) fn read_input(ctx: &Ctx<'_>, path: &str) -> Result<String, Vec<String>> {
    let ino = ctx.resolve(path, true).map_err(|e| vec![format!("Failed to open file '{path}': {}", e.message())])?;
    let file = ctx.fs().file(ino).map_err(|e| vec![format!("Failed to read file '{path}': {}", e.message())])?;
    Ok(String::from_utf8_lossy(&file.read_all(1 << 20)).into_owned())
}

/// Adds (or updates) a persistent domain and writes its config file, as `virDomainDefineXML`.
pub(crate) fn define_domain(ctx: &mut Ctx<'_>, def: &DomainDef) -> Result<(), String> {
    let lv = &mut ctx.world.libvirt;
    if let Some(existing) = lv.domains.get(&def.name)
        && existing.def.uuid != def.uuid
    {
        return Err(format!("operation failed: domain '{}' already exists with uuid {}", def.name, existing.def.uuid));
    }
    if let Some(other) = lv.domains.values().find(|d| d.def.uuid == def.uuid && d.def.name != def.name) {
        return Err(format!(
            "operation failed: domain '{}' is already defined with uuid {}",
            other.def.name, other.def.uuid
        ));
    }
    let name = def.name.clone();
    match lv.domains.get_mut(&name) {
        Some(d) => d.def = def.clone(),
        None => {
            lv.domains.insert(name, Domain::defined(def.clone()));
        }
    }
    save_config(ctx, def);
    Ok(())
}

pub(super) fn define(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let file = a.req("file").to_owned();
    let text = read_input(ctx, &file)?;
    let fail = |m: String| vec![format!("Failed to define domain from {file}"), m];
    let def = DomainDef::parse(&text, &mut ctx.world.rng).map_err(|e| fail(e.to_string()))?;
    let name = def.name.clone();
    define_domain(ctx, &def).map_err(fail)?;
    Ok(format!("Domain '{name}' defined from {file}\n"))
}

pub(super) fn undefine(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn start(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    if ctx.world.libvirt.lookup(&name).is_some_and(Domain::active) {
        return Err(vec!["Domain is already active".to_owned()]);
    }
    start_domain(ctx, &name).map_err(|m| vec![format!("Failed to start domain '{name}'"), m])?;
    Ok(format!("Domain '{name}' started\n"))
}

/// Starts a defined, shut-off domain: its runtime files, its QEMU log, its tap devices. The
/// error is libvirt's message (without virsh's "Failed to start" line).
pub(crate) fn start_domain(ctx: &mut Ctx<'_>, name: &str) -> Result<(), String> {
    let name = name.to_owned();
    let now = ctx.now();
    let lv = &ctx.world.libvirt;
    let Some(d) = lv.domains.get(&name) else { return Err(format!("failed to get domain '{name}'")) };
    if d.active() {
        return Err("Requested operation is not valid: domain is already running".to_owned());
    }
    if lv.domains.values().filter(|d| d.active()).count() >= super::super::MAX_RUNNING_GUESTS {
        return Err(format!(
            "internal error: GuestLab runs at most {} guests at once; shut one down first",
            super::super::MAX_RUNNING_GUESTS
        ));
    }
    let fail = |m: String| m;
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
    crate::sim::guest::boot::power_on(ctx.world, &name);
    Ok(())
}

/// Runs an operation on the qcow2 image at `path` (as QEMU does on the disk it has open).
pub(super) fn on_image<R>(
    ctx: &mut Ctx<'_>,
    path: &str,
    op: impl FnOnce(&mut crate::sim::disk::qcow2::Qcow2, &mut crate::sim::vfs::RegularFile) -> R,
) -> Option<R> {
    let ino = ctx.resolve(path, true).ok()?;
    crate::sim::disk::qemu_img::with_qcow2(ctx, ino, op)
}

pub(super) fn indent(xml: &str) -> String {
    xml.lines().map(|l| format!("  {l}\n")).collect()
}

pub(super) fn shutdown(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn destroy(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn reboot(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    if !ctx.world.libvirt.lookup(&name).is_some_and(Domain::active) {
        return Err(vec![
            format!("Failed to reboot domain '{name}'"),
            "Requested operation is not valid: domain is not running".to_owned(),
        ]);
    }
    // The guest goes down and comes up again in the same QEMU process (same ID): a new boot,
    // with what its disks hold now.
    crate::sim::guest::boot::power_off(ctx.world, &name);
    crate::sim::guest::boot::power_on(ctx.world, &name);
    Ok(format!("Domain '{name}' is being rebooted\n"))
}

pub(super) fn suspend(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn resume(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn autostart(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn dominfo(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn domstate(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let Some(d) = ctx.world.libvirt.lookup(&name) else { return Err(vec![format!("failed to get domain '{name}'")]) };
    Ok(if a.has("reason") {
        format!("{} ({})\n", d.state.as_str(), d.reason)
    } else {
        format!("{}\n", d.state.as_str())
    })
}

pub(super) fn domid(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    Ok(format!("{}\n", d.id.map_or_else(|| "-".to_owned(), |i| i.to_string())))
}

pub(super) fn domuuid(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    Ok(format!("{}\n", d.def.uuid))
}

pub(super) fn dumpxml(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let d = ctx.world.libvirt.lookup(&name).ok_or_else(Vec::new)?;
    let live = if a.has("inactive") { None } else { d.live.as_ref() };
    Ok(d.def.to_xml(live))
}

pub(super) fn domblklist(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn domiflist(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

/// `virsh edit`: opens the persistent XML in an editor and defines what is saved. GuestLab reads
/// the edited XML from standard input (a here-document in scripts); the app's editor does the
/// same.
pub(super) fn edit(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let current = ctx.world.libvirt.domains[&name].def.clone();
    let text = String::from_utf8_lossy(&ctx.stdin).into_owned();
    if text.trim().is_empty() {
        return Err(vec![format!(
            "GuestLab cannot open an editor here; give the new XML on standard input: virsh edit {name} <<'EOF' ... EOF"
        )]);
    }
    let def = DomainDef::parse(&text, &mut ctx.world.rng).map_err(|e| vec![e.to_string()])?;
    if def == current {
        return Ok(format!("Domain '{name}' XML configuration not changed.\n"));
    }
    define_domain(ctx, &def).map_err(|m| vec![m])?;
    Ok(format!("Domain '{}' XML configuration edited.\n", def.name))
}

/// `virsh console`: the guest's serial console. GuestLab logs in as root on it; `exit` comes
/// back to the host.
pub(super) fn console(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    if !ctx.world.libvirt.lookup(&name).is_some_and(Domain::active) {
        return Err(vec!["The domain is not running".to_owned()]);
    }
    let Some(m) = crate::sim::guest::boot::machine_of(ctx.world, &name)
        .filter(|&m| ctx.world.machines[m].guest.as_ref().is_some_and(|g| g.running))
    else {
        return Ok(format!(
            "Connected to domain '{name}'\nEscape character is ^] (Ctrl + ])\n(no operating system on its disk answers)\n"
        ));
    };
    let hostname = ctx.world.machines[m].hostname();
    crate::sim::guest::ssh::enter(ctx, m, "root", "/root", String::new());
    Ok(format!(
        "Connected to domain '{name}'\nEscape character is ^] (Ctrl + ])\n\nDebian GNU/Linux 12 {hostname} ttyS0\n\n{hostname} login: root (GuestLab logs you in)\nLinux {hostname} {}\n",
        crate::sim::guest::ssh::UNAME
    ))
}
