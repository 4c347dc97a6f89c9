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
