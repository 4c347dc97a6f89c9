//! `virsh attach-disk DOMAIN SOURCE TARGET [--type cdrom] [--targetbus BUS] [--mode readonly]
//! [--config|--persistent|--live|--current]` (libvirt 9.0): a disk or CD-ROM — a NoCloud seed,
//! say — added to a domain's definition.
//!
//! Simplified: GuestLab keeps one definition per domain, so a change to a running domain must
//! include its persistent configuration (`--config` or `--persistent`); a live-only attach is
//! refused with a note. A reboot (or a new start) of the guest then sees the disk.

use super::*;
use crate::sim::libvirt::DiskDef;

/// The bus libvirt gives a target name when `--targetbus` is not given.
fn bus_of(target: &str) -> &'static str {
    if target.starts_with("vd") {
        "virtio"
    } else if target.starts_with("hd") {
        "ide"
    } else if target.starts_with("xvd") {
        "xen"
    } else {
        "scsi"
    }
}

pub(super) fn attach_disk(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = domain_name(ctx, a.req("domain"))?;
    let fail = |m: &str| vec!["Failed to attach disk".to_owned(), m.to_owned()];
    let source = a.req("source").to_owned();
    let target = a.req("target").to_owned();
    let device = a.get("type").unwrap_or("disk").to_owned();
    if !matches!(device.as_str(), "disk" | "cdrom" | "floppy" | "lun") {
        return Err(fail(&format!("unsupported configuration: unknown disk device '{device}'")));
    }
    let bus = a.get("targetbus").map_or_else(|| bus_of(&target).to_owned(), str::to_owned);
    let d = ctx.world.libvirt.domains.get(&name).ok_or_else(|| vec![format!("failed to get domain '{name}'")])?;
    let active = d.active();
    let config = a.has("config") || a.has("persistent") || (!active && !a.has("live"));
    let live = a.has("live") || (active && (a.has("persistent") || !a.has("config")));
    if a.has("live") && !active {
        return Err(fail("Requested operation is not valid: domain is not running"));
    }
    if d.def.disks.iter().any(|k| k.target == target) {
        return Err(fail(&format!("Requested operation is not valid: target {target} already exists")));
    }
    if bus == "ide" && d.def.machine.contains("q35") {
        return Err(fail(
            "unsupported configuration: IDE controllers are unsupported for this QEMU binary or machine type",
        ));
    }
    if live && bus == "sata" {
        return Err(fail(&format!("Operation not supported: disk bus '{bus}' cannot be hotplugged.")));
    }
    if live && !config {
        return Err(fail(
            "GuestLab keeps one definition per domain: attach with --config or --persistent (the disk is then there at the guest's next boot)",
        ));
    }
    if ctx.world.machines[0].fs.resolve(crate::sim::vfs::ROOT, &source, true).is_err() {
        return Err(fail(&format!("Cannot access storage file '{source}': No such file or directory")));
    }
    let disk = DiskDef {
        kind: "file".to_owned(),
        device: device.clone(),
        format: Some(a.get("subdriver").unwrap_or("raw").to_owned()),
        source: Some(source),
        target,
        bus,
        readonly: device == "cdrom" || a.get("mode") == Some("readonly"),
    };
    let mut def = d.def.clone();
    def.disks.push(disk);
    if let Some(d) = ctx.world.libvirt.domains.get_mut(&name) {
        d.def = def.clone();
    }
    save_config(ctx, &def);
    Ok("Disk attached successfully\n".to_owned())
}
