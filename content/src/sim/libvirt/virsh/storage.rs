//! virsh's storage pool and volume commands.

use super::*;

pub(super) fn pool_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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

pub(super) fn vol_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
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
pub(super) fn human(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.2} {}", units[unit]) }
}

fn pool_name(ctx: &Ctx<'_>, key: &str) -> Result<String, Vec<String>> {
    if ctx.world.libvirt.pools.contains_key(key) {
        return Ok(key.to_owned());
    }
    ctx.world.libvirt.pools.values().find(|p| p.uuid == key).map(|p| p.name.clone()).ok_or_else(|| {
        vec![
            format!("failed to get pool '{key}'"),
            format!("Storage pool not found: no storage pool with matching name '{key}'"),
        ]
    })
}

fn pool_config(name: &str) -> String {
    format!("/etc/libvirt/storage/{name}.xml")
}

/// The size GuestLab gives the host's file system holding the pools (100 GiB).
const HOST_FS_BYTES: u64 = 100 << 30;

/// The pool's XML; a running pool reports its file system's figures.
fn pool_xml(ctx: &Ctx<'_>, pool: &Pool) -> String {
    let xml = pool.to_xml();
    if !pool.active {
        return xml;
    }
    let fs = &ctx.world.machines[0].fs;
    let allocation: u64 = fs
        .resolve(crate::sim::vfs::ROOT, &pool.target, true)
        .ok()
        .and_then(|dir| fs.entries(dir).ok())
        .map_or(0, |entries| entries.values().filter_map(|&i| fs.node(i)).map(|n| n.stat_blocks() * 512).sum());
    xml.replacen(
        "<capacity unit='bytes'>0</capacity>",
        &format!("<capacity unit='bytes'>{HOST_FS_BYTES}</capacity>"),
        1,
    )
    .replacen(
        "<allocation unit='bytes'>0</allocation>",
        &format!("<allocation unit='bytes'>{allocation}</allocation>"),
        1,
    )
    .replacen(
        "<available unit='bytes'>0</available>",
        &format!("<available unit='bytes'>{}</available>", HOST_FS_BYTES.saturating_sub(allocation)),
        1,
    )
}

pub(super) fn pool_define_as(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = a.req("name").to_owned();
    let kind = a.req("type");
    let fail = |m: String| vec![format!("Failed to define pool {name}"), m];
    if kind != "dir" {
        return Err(fail(format!("GuestLab simulates storage pools of type 'dir' only, not '{kind}'")));
    }
    let Some(target) = a.get("target").map(str::to_owned) else {
        return Err(fail("XML error: missing storage pool target path".to_owned()));
    };
    if ctx.world.libvirt.pools.contains_key(&name) {
        return Err(fail(format!("operation failed: pool '{name}' already exists")));
    }
    let pool = Pool { name: name.clone(), uuid: new_uuid(&mut ctx.world.rng), target, active: false, autostart: false };
    let now = ctx.now();
    let text = saved_file(&pool.to_xml(), &format!("virsh pool-edit {name}"));
    files::write(host_fs(ctx), &pool_config(&name), &text, 0o600, now);
    ctx.world.libvirt.pools.insert(name.clone(), pool);
    Ok(format!("Pool {name} defined\n"))
}

pub(super) fn pool_build(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = pool_name(ctx, a.req("pool"))?;
    let target = ctx.world.libvirt.pools[&name].target.clone();
    let now = ctx.now();
    match host_fs(ctx).mkdir_p(&target, 0o711, now) {
        Ok(ino) => {
            if let Some(node) = host_fs(ctx).node_mut(ino) {
                node.mode = 0o711;
            }
            Ok(format!("Pool {name} built\n"))
        }
        Err(e) => {
            Err(vec![format!("Failed to build pool {name}"), format!("cannot create path '{target}': {}", e.message())])
        }
    }
}

pub(super) fn pool_start(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = pool_name(ctx, a.req("pool"))?;
    let pool = ctx.world.libvirt.pools[&name].clone();
    let fail = |m: String| vec![format!("Failed to start pool {name}"), m];
    if pool.active {
        return Err(fail(format!("Requested operation is not valid: storage pool '{name}' is already active")));
    }
    let is_dir = ctx.world.machines[0]
        .fs
        .resolve(crate::sim::vfs::ROOT, &pool.target, true)
        .ok()
        .and_then(|i| ctx.world.machines[0].fs.node(i))
        .is_some_and(crate::sim::vfs::Node::is_dir);
    if !is_dir {
        return Err(fail(format!("cannot open directory '{}': No such file or directory", pool.target)));
    }
    if let Some(p) = ctx.world.libvirt.pools.get_mut(&name) {
        p.active = true;
    }
    let now = ctx.now();
    let xml = pool_xml(ctx, &ctx.world.libvirt.pools[&name]);
    files::write(host_fs(ctx), &format!("/run/libvirt/storage/{name}.xml"), &xml, 0o600, now);
    Ok(format!("Pool {name} started\n"))
}

pub(super) fn pool_destroy(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = pool_name(ctx, a.req("pool"))?;
    let Some(p) = ctx.world.libvirt.pools.get_mut(&name).filter(|p| p.active) else {
        return Err(vec![
            format!("Failed to destroy pool {name}"),
            format!("Requested operation is not valid: storage pool '{name}' is not active"),
        ]);
    };
    p.active = false;
    let now = ctx.now();
    files::remove(host_fs(ctx), &format!("/run/libvirt/storage/{name}.xml"), now);
    Ok(format!("Pool {name} destroyed\n"))
}

pub(super) fn pool_undefine(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = pool_name(ctx, a.req("pool"))?;
    if ctx.world.libvirt.pools[&name].active {
        return Err(vec![
            format!("Failed to undefine pool {name}"),
            format!("Requested operation is not valid: storage pool '{name}' is still active"),
        ]);
    }
    ctx.world.libvirt.pools.remove(&name);
    let now = ctx.now();
    let fs = host_fs(ctx);
    files::remove(fs, &pool_config(&name), now);
    files::remove(fs, &format!("/etc/libvirt/storage/autostart/{name}.xml"), now);
    Ok(format!("Pool {name} has been undefined\n"))
}

pub(super) fn pool_autostart(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = pool_name(ctx, a.req("pool"))?;
    let disable = a.has("disable");
    if let Some(p) = ctx.world.libvirt.pools.get_mut(&name) {
        p.autostart = !disable;
    }
    let now = ctx.now();
    let link = format!("/etc/libvirt/storage/autostart/{name}.xml");
    if disable {
        files::remove(host_fs(ctx), &link, now);
        Ok(format!("Pool {name} unmarked as autostarted\n"))
    } else {
        files::symlink(host_fs(ctx), &link, &pool_config(&name), now);
        Ok(format!("Pool {name} marked as autostarted\n"))
    }
}

pub(super) fn pool_dumpxml(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = pool_name(ctx, a.req("pool"))?;
    let pool = ctx.world.libvirt.pools[&name].clone();
    Ok(if a.has("inactive") { pool.to_xml() } else { pool_xml(ctx, &pool) })
}

/// The active pool `key` names, for the volume commands.
fn active_pool(ctx: &Ctx<'_>, key: &str) -> Result<Pool, Vec<String>> {
    let name = pool_name(ctx, key)?;
    let pool = ctx.world.libvirt.pools[&name].clone();
    if pool.active {
        Ok(pool)
    } else {
        Err(vec![format!("Requested operation is not valid: storage pool '{name}' is not active")])
    }
}

pub(super) fn vol_create_as(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let pool = active_pool(ctx, a.req("pool"))?;
    let name = a.req("name").to_owned();
    let size_text = a.req("capacity");
    let Some(size) = crate::sim::disk::parse_size(size_text) else {
        return Err(vec![format!("Malformed size {size_text}")]);
    };
    let format = a.get("format").unwrap_or("raw").to_owned();
    let path = format!("{}/{name}", pool.target);
    if files::exists(&ctx.world.machines[0].fs, &path) {
        return Err(vec![
            format!("Failed to create vol {name}"),
            format!("storage volume name '{name}' already in use."),
        ]);
    }
    let Some(file) = super::super::setup::new_volume(&format, size) else {
        return Err(vec![
            format!("Failed to create vol {name}"),
            format!("GuestLab simulates the formats raw and qcow2, not '{format}'"),
        ]);
    };
    let now = ctx.now();
    let fs = host_fs(ctx);
    let Ok((dir, base)) = fs.resolve_parent(crate::sim::vfs::ROOT, &path) else {
        return Err(vec![format!("Failed to create vol {name}")]);
    };
    let base = base.to_owned();
    fs.create(dir, &base, crate::sim::vfs::Node::file(file, 0o600, now))
        .map_err(|e| vec![format!("Failed to create vol {name}"), e.message()])?;
    Ok(format!("Vol {name} created\n"))
}

/// The path of the volume `vol` (a path, or a name within `--pool`).
fn volume_path(ctx: &Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let vol = a.req("vol");
    let not_found = || {
        vec![
            format!("failed to get vol '{vol}'"),
            format!("Storage volume not found: no storage vol with matching path '{vol}'"),
        ]
    };
    let path = match a.get("pool") {
        Some(p) if !vol.starts_with('/') => format!("{}/{vol}", active_pool(ctx, p)?.target),
        _ => vol.to_owned(),
    };
    let in_pool = ctx.world.libvirt.pools.values().any(|p| p.active && path.starts_with(&format!("{}/", p.target)));
    if in_pool && files::exists(&ctx.world.machines[0].fs, &path) { Ok(path) } else { Err(not_found()) }
}

pub(super) fn vol_delete(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let path = volume_path(ctx, a)?;
    let now = ctx.now();
    files::remove(host_fs(ctx), &path, now);
    Ok(format!("Vol {} deleted\n", a.req("vol")))
}

pub(super) fn vol_dumpxml(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let path = volume_path(ctx, a)?;
    let fs = &ctx.world.machines[0].fs;
    let ino = fs.resolve(crate::sim::vfs::ROOT, &path, true).map_err(|_| Vec::new())?;
    let file = fs.file(ino).map_err(|_| Vec::new())?;
    let node = fs.node(ino).ok_or_else(Vec::new)?;
    let (format, capacity) = match &file.qcow2 {
        Some(q) => ("qcow2", q.size),
        None => ("raw", file.len),
    };
    let name = path.rsplit('/').next().unwrap_or(&path);
    let mut w = super::super::xml::Writer::default();
    w.open("volume", &[("type", "file")]);
    w.text("name", &[], name);
    w.text("key", &[], &path);
    w.text("capacity", &[("unit", "bytes")], &capacity.to_string());
    w.text("allocation", &[("unit", "bytes")], &(node.stat_blocks() * 512).to_string());
    w.text("physical", &[("unit", "bytes")], &file.len.to_string());
    w.open("target", &[]);
    w.text("path", &[], &path);
    w.empty("format", &[("type", format)]);
    w.open("permissions", &[]);
    w.text("mode", &[], &format!("{:04o}", node.mode & 0o7777));
    w.text("owner", &[], &node.uid.to_string());
    w.text("group", &[], &node.gid.to_string());
    w.close("permissions");
    if let Some(q) = &file.qcow2 {
        w.text("compat", &[], if q.version == 2 { "0.10" } else { "1.1" });
        w.text("clusterSize", &[("unit", "B")], &q.cluster_size().to_string());
        w.empty("features", &[]);
    }
    w.close("target");
    w.close("volume");
    Ok(w.finish())
}
