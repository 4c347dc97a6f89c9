//! `virt-clone` (virtinst 4.1.0): a full copy of a shut-off domain's disks and a new definition
//! with a new UUID and new MAC addresses. Nothing inside the guest changes: machine ID, SSH host
//! keys and host name are copied with the disk (see the cloning lessons and `virt-sysprep`).

use super::domain::{new_mac, new_uuid};
use super::files::{self, QEMU_CONFIG_DIR};
use super::xml::saved_file;
use super::{Domain, DomainState};
use crate::sim::shell::Ctx;

pub const USAGE: &str =
    "usage: virt-clone --original ORIGINAL_GUEST [--name NEW_NAME] (--auto-clone | --file NEW_DISK_PATH ...)

Duplicate a virtual machine: copies its disk images and defines the copy with a new
name, UUID and MAC address. Nothing inside the guest is changed.

  -o, --original ORIGINAL_GUEST   the shut-off guest to clone
  -n, --name NEW_NAME             the name of the new guest (default with --auto-clone: ORIGINAL-clone)
  --auto-clone                    generate the name and the new disk paths
  -f, --file NEW_DISK_PATH        a path for each new disk image, in the order of the disks
";

fn error(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(&format!("ERROR    {message}\n"));
    1
}

pub fn virt_clone(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut original = None;
    let mut name = None;
    let mut auto = false;
    let mut new_files: Vec<String> = Vec::new();
    let takes_value = |k: &str| matches!(k, "-o" | "--original" | "-n" | "--name" | "-f" | "--file");
    for (key, value) in super::argparse_pairs(&argv[1..], takes_value) {
        match key.as_str() {
            "-o" | "--original" => original = value,
            "-n" | "--name" => name = value,
            "-f" | "--file" => {
                if let Some(v) = value {
                    new_files.push(v);
                }
            }
            "--auto-clone" => auto = true,
            "-h" | "--help" => {
                ctx.out(USAGE);
                return 0;
            }
            other => {
                ctx.err(&format!(
                    "usage: virt-clone --original [NAME] ...\nvirt-clone: error: unrecognized arguments: {other}\n"
                ));
                return 2;
            }
        }
    }
    let Some(original) = original else {
        return error(ctx, "--original or --original-xml is required");
    };
    let Some(orig_name) = ctx.world.libvirt.lookup_name(&original) else {
        return error(ctx, &format!("Domain '{original}' was not found."));
    };
    let orig = ctx.world.libvirt.domains[&orig_name].clone();
    if orig.state == DomainState::Running {
        return error(ctx, "Domain with devices to clone must be paused or shutoff.");
    }
    let new_name = match name {
        Some(n) => n,
        None if auto => {
            let mut candidate = format!("{orig_name}-clone");
            let mut n = 1;
            while ctx.world.libvirt.domains.contains_key(&candidate) {
                candidate = format!("{orig_name}-clone-{n}");
                n += 1;
            }
            candidate
        }
        None => {
            return error(
                ctx,
                "A name is required for the new virtual machine, use '--name NEW_VM_NAME' to specify one.",
            );
        }
    };
    if ctx.world.libvirt.domains.contains_key(&new_name) {
        return error(ctx, &format!("Invalid name for new guest: Guest name '{new_name}' is already in use."));
    }
    // The disks to copy: every disk with a source, except read-only ones (CD-ROMs are shared).
    let copies: Vec<usize> = orig
        .def
        .disks
        .iter()
        .enumerate()
        .filter(|(_, d)| d.source.is_some() && !d.readonly && d.device == "disk")
        .map(|(i, _)| i)
        .collect();
    if !auto && new_files.len() < copies.len() {
        return error(ctx, "--auto-clone or --file is required, use '--auto-clone or --file' to override");
    }
    let mut def = orig.def.clone();
    def.name.clone_from(&new_name);
    def.uuid = new_uuid(&mut ctx.world.rng);
    for iface in &mut def.interfaces {
        iface.mac = new_mac(&mut ctx.world.rng);
    }
    let mut plan = Vec::new();
    for (n, &disk) in copies.iter().enumerate() {
        let Some(src) = orig.def.disks[disk].source.clone() else { continue };
        let dst = match new_files.get(n) {
            Some(f) => f.clone(),
            None => clone_path(&src, &orig_name, &new_name),
        };
        if files::exists(&ctx.world.machines[0].fs, &dst) {
            return error(ctx, &format!("Clone onto existing storage volume is not currently supported: '{dst}'"));
        }
        def.disks[disk].source = Some(dst.clone());
        plan.push((src, dst));
    }
    let mut out = String::new();
    for (src, dst) in &plan {
        // libvirt copies a qcow2 volume with `qemu-img convert`: the copy holds the guest's data
        // (not the original's internal snapshots), every allocated cluster written anew.
        let format = def
            .disks
            .iter()
            .find(|d| d.source.as_deref() == Some(dst.as_str()))
            .and_then(|d| d.format.clone())
            .unwrap_or_else(|| "raw".to_owned());
        let args: Vec<String> =
            ["convert", "-f", &format, "-O", &format, src, dst].iter().map(|s| (*s).to_owned()).collect();
        if crate::sim::disk::qemu_img_ops::convert(ctx, &args[1..]) != 0 {
            return error(ctx, &format!("Couldn't create storage volume '{dst}'"));
        }
        let now = ctx.now();
        if let Ok(ino) = ctx.world.machines[0].fs.resolve(crate::sim::vfs::ROOT, dst, true)
            && let Some(node) = ctx.world.machines[0].fs.node_mut(ino)
        {
            node.mode = 0o600;
            node.mtime = now;
        }
        let base = dst.rsplit('/').next().unwrap_or(dst);
        out.push_str(&format!("Allocating '{base}'\n"));
    }
    let now = ctx.now();
    let text = saved_file(&def.to_xml(None), &format!("virsh edit {new_name}"));
    files::write(&mut ctx.world.machines[0].fs, &format!("{QEMU_CONFIG_DIR}/{new_name}.xml"), &text, 0o600, now);
    ctx.world.libvirt.domains.insert(new_name.clone(), Domain::defined(def));
    out.push_str(&format!("\nClone '{new_name}' created successfully.\n"));
    ctx.out(&out);
    0
}

/// The path `--auto-clone` picks: the original's file name with the new guest's name in place
/// of the old one (or `-clone` appended), in the same directory.
fn clone_path(src: &str, orig: &str, new: &str) -> String {
    let (dir, file) = src.rsplit_once('/').unwrap_or(("", src));
    let new_file = if file.contains(orig) {
        file.replacen(orig, new, 1)
    } else {
        match file.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}-clone.{ext}"),
            None => format!("{file}-clone"),
        }
    };
    format!("{dir}/{new_file}")
}
