//! virsh's snapshot commands: internal snapshots of qcow2 disks and their metadata files.

use super::*;

pub(super) fn snapshot_create_as(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn snapshot_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn snapshot_name(ctx: &Ctx<'_>, domain: &str, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn snapshot_revert(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn snapshot_delete(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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
