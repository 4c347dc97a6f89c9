//! `virt-install` (virtinst 4.1.0) with the options an exam candidate meets: it writes a domain
//! definition from a few options, creates the disk in the storage pool `default` (defining that
//! pool first if it is missing, as virt-install does), defines the domain and starts it.

use super::domain::{DefineError, DomainDef};
use super::files;
use super::setup::{DEFAULT_POOL_DIR, define_default_pool, new_volume};
use super::virsh::{define_domain, start_domain};
use super::xml::escape;
use crate::sim::shell::Ctx;

pub const USAGE: &str = "usage: virt-install --name NAME --memory MB [OPTIONS]

Create a new virtual machine from installation media or an existing disk image.

  -n, --name NAME              name of the guest
  --memory MB                  memory in MiB
  --vcpus N                    number of virtual CPUs (default 1)
  --disk size=GB               a new qcow2 disk NAME.qcow2 in the pool 'default'
  --disk path=FILE[,size=GB][,format=qcow2|raw]   an existing (or new) image
  --disk path=FILE,device=cdrom   a CD-ROM (e.g. a NoCloud seed.iso)
  --import                     boot from the first disk (no installation)
  --cdrom ISO                  install from an ISO image
  --os-variant NAME            the guest OS (e.g. debian12), for good defaults
  --network network=NAME       attach to a libvirt network (default: default)
  --graphics none|vnc          no graphical console, or VNC
  --noautoconsole              do not connect to the guest's console
";

fn error(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(&format!("ERROR    {message}\n"));
    1
}

/// `key=value,key=value` options of `--disk` and `--network`.
fn sub_options(text: &str) -> Vec<(String, String)> {
    text.split(',')
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => ("path".to_owned(), kv.to_owned()),
        })
        .collect()
}

pub fn virt_install(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut name = None;
    let mut memory = None;
    let mut vcpus = "1".to_owned();
    let mut disks: Vec<String> = Vec::new();
    let mut import = false;
    let mut cdrom = None;
    let mut network = "network=default".to_owned();
    let mut graphics = "vnc".to_owned();
    let takes_value =
        |k: &str| !matches!(k, "--import" | "--noautoconsole" | "--noreboot" | "--transient" | "-h" | "--help");
    for (key, value) in super::argparse_pairs(&argv[1..], takes_value) {
        if takes_value(&key) && value.is_none() {
            ctx.err(&format!("usage: virt-install --name NAME --memory MB STORAGE INSTALL [options]\nvirt-install: error: argument {key}: expected one argument\n"));
            return 2;
        }
        let value = value.unwrap_or_default();
        match key.as_str() {
            "-n" | "--name" => name = Some(value),
            "--memory" | "--ram" | "-r" => memory = Some(value),
            "--vcpus" => vcpus = value,
            "--disk" => disks.push(value),
            "--import" => import = true,
            "--cdrom" | "-c" => cdrom = Some(value),
            "--network" | "-w" => network = value,
            "--graphics" => graphics = value,
            "--os-variant" | "--osinfo" | "--virt-type" | "--boot" | "--console" | "--serial" | "--cpu" => {}
            "--noautoconsole" | "--noreboot" | "--transient" => {}
            "-h" | "--help" => {
                ctx.out(USAGE);
                return 0;
            }
            other => {
                ctx.err(&format!("usage: virt-install --name NAME --memory MB STORAGE INSTALL [options]\nvirt-install: error: unrecognized arguments: {other}\n"));
                return 2;
            }
        }
    }
    let Some(name) = name else { return error(ctx, "--name is required") };
    let Some(memory) = memory else { return error(ctx, "--memory amount in MiB is required") };
    if !import && cdrom.is_none() {
        return error(
            ctx,
            "An install method must be specified\n(--location URL, --cdrom CD/ISO, --pxe, --import, --boot hd|cdrom|...)",
        );
    }
    if ctx.world.libvirt.domains.contains_key(&name) {
        return error(ctx, &format!("Guest name '{name}' is already in use."));
    }
    let pool_dir = DEFAULT_POOL_DIR;
    let mut disk_xml = String::new();
    let mut new_images = Vec::new();
    let (mut virtio, mut sata) = (0u8, 0u8);
    for (n, d) in disks.iter().enumerate() {
        let opts = sub_options(d);
        let get = |k: &str| opts.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        // A CD-ROM (a NoCloud seed, an ISO): read-only on the q35 machine's SATA bus.
        if get("device").as_deref() == Some("cdrom") {
            let Some(path) = get("path") else { return error(ctx, "--disk device=cdrom needs path=FILE") };
            if !files::exists(&ctx.world.machines[0].fs, &path) {
                return error(ctx, &format!("Size must be specified for non existent volume '{path}'"));
            }
            let dev = format!("sd{}", char::from(b'a' + sata));
            sata += 1;
            disk_xml.push_str(&format!(
                "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='{}'/><target dev='{dev}' bus='sata'/><readonly/></disk>",
                escape(&path)
            ));
            continue;
        }
        let format = get("format").unwrap_or_else(|| "qcow2".to_owned());
        let path = get("path").unwrap_or_else(|| {
            if n == 0 { format!("{pool_dir}/{name}.{format}") } else { format!("{pool_dir}/{name}-{n}.{format}") }
        });
        let exists = files::exists(&ctx.world.machines[0].fs, &path);
        if !exists {
            let Some(gb) = get("size") else {
                return error(ctx, &format!("Size must be specified for non existent volume '{path}'"));
            };
            let Ok(gb) = gb.parse::<f64>() else { return error(ctx, &format!("Invalid size '{gb}'")) };
            new_images.push((path.clone(), format.clone(), (gb * f64::from(1u32 << 30)) as u64));
        }
        let dev = format!("vd{}", char::from(b'a' + virtio));
        virtio += 1;
        disk_xml.push_str(&format!(
            "<disk type='file' device='disk'><driver name='qemu' type='{}'/><source file='{}'/><target dev='{dev}' bus='virtio'/></disk>",
            escape(&format),
            escape(&path)
        ));
    }
    if let Some(iso) = &cdrom {
        disk_xml.push_str(&format!(
            "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='{}'/><target dev='sd{}' bus='sata'/><readonly/></disk>",
            escape(iso),
            char::from(b'a' + sata)
        ));
    }
    let net = sub_options(&network);
    let net_name = net.iter().find(|(k, _)| k == "network").map_or("default", |(_, v)| v.as_str());
    let mut devices = disk_xml;
    if net_name != "none" {
        devices.push_str(&format!(
            "<interface type='network'><source network='{}'/><model type='virtio'/></interface>",
            escape(net_name)
        ));
    }
    devices.push_str("<serial type='pty'/><console type='pty'/>");
    if graphics.split(',').next() != Some("none") {
        devices.push_str("<graphics type='vnc' port='-1' autoport='yes'/>");
    }
    let boot = if cdrom.is_some() { "<boot dev='cdrom'/><boot dev='hd'/>" } else { "<boot dev='hd'/>" };
    let xml = format!(
        "<domain type='kvm'><name>{}</name><memory unit='MiB'>{}</memory><vcpu>{}</vcpu><os><type arch='x86_64' machine='q35'>hvm</type>{boot}</os><features><acpi/><apic/></features><devices>{devices}</devices></domain>",
        escape(&name),
        escape(&memory),
        escape(&vcpus)
    );
    let def = match DomainDef::parse(&xml, &mut ctx.world.rng) {
        Ok(d) => d,
        Err(DefineError::BadNumber(v)) => return error(ctx, &format!("Invalid value '{v}'")),
        Err(e) => return error(ctx, &e.to_string()),
    };
    let mut out = String::from("\nStarting install...\n");
    if !new_images.is_empty() {
        ensure_default_pool(ctx);
    }
    for (path, format, size) in &new_images {
        if let Err(e) = create_image(ctx, path, format, *size) {
            ctx.out(&out);
            return error(ctx, &e);
        }
        out.push_str(&format!("Allocating '{}'\n", path.rsplit('/').next().unwrap_or(path)));
    }
    out.push_str("Creating domain...\n");
    if let Err(e) = define_domain(ctx, &def) {
        ctx.out(&out);
        return error(ctx, &e);
    }
    if let Err(e) = start_domain(ctx, &name) {
        ctx.out(&out);
        ctx.err(&format!(
            "ERROR    {e}\nDomain installation does not appear to have been successful.\nIf it was, you can restart your domain by running:\n  virsh --connect qemu:///system start {name}\notherwise, please restart your installation.\n"
        ));
        return 1;
    }
    out.push_str("Domain creation completed.\n");
    if cdrom.is_some() {
        out.push_str("Domain is still running. Installation may be in progress.\n");
    }
    ctx.out(&out);
    0
}

/// virt-install's first disk in a fresh host also creates the storage pool `default` (directory
/// `/var/lib/libvirt/images`, started and autostarted).
fn ensure_default_pool(ctx: &mut Ctx<'_>) {
    if !ctx.world.libvirt.pools.values().any(|p| p.target == DEFAULT_POOL_DIR) {
        define_default_pool(ctx.world);
    }
}

fn create_image(ctx: &mut Ctx<'_>, path: &str, format: &str, size: u64) -> Result<(), String> {
    let Some(file) = new_volume(format, size) else {
        return Err(format!("GuestLab simulates the disk formats raw and qcow2, not '{format}'"));
    };
    let now = ctx.now();
    let fs = &mut ctx.world.machines[0].fs;
    let (dir, base) = fs
        .resolve_parent(crate::sim::vfs::ROOT, path)
        .map_err(|e| format!("Couldn't create storage volume '{path}': {}", e.message()))?;
    let base = base.to_owned();
    fs.create(dir, &base, crate::sim::vfs::Node::file(file, 0o600, now))
        .map(|_| ())
        .map_err(|e| format!("Couldn't create storage volume '{path}': {}", e.message()))
}
