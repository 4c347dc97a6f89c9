//! libvirt as installed on a Debian 12 host (packages libvirt-daemon-system, libvirt-clients,
//! virtinst), and the sample VM `bookworm` the lessons start from.

use super::domain::{new_mac, new_uuid};
use super::files::{self, NETWORK_CONFIG_DIR, QEMU_CONFIG_DIR};
use super::network::Network;
use super::xml::saved_file;
use super::{Domain, DomainDef, Libvirt, Pool};
use crate::sim::World;
use crate::sim::disk::qcow2::{CreateOptions, Data, Qcow2};
use crate::sim::vfs::{ROOT, RegularFile};

/// The directories the packages ship (mode), parents first.
const DIRS: &[(&str, u32)] = &[
    ("/etc/libvirt", 0o755),
    ("/etc/libvirt/qemu", 0o755),
    ("/etc/libvirt/qemu/networks", 0o755),
    ("/var/lib/libvirt", 0o755),
    ("/var/lib/libvirt/images", 0o711),
    ("/var/lib/libvirt/boot", 0o711),
    ("/var/lib/libvirt/dnsmasq", 0o755),
    ("/var/lib/libvirt/qemu", 0o751),
    ("/var/lib/libvirt/qemu/channel", 0o755),
    ("/var/lib/libvirt/qemu/channel/target", 0o755),
    ("/var/lib/libvirt/qemu/checkpoint", 0o755),
    ("/var/lib/libvirt/qemu/dump", 0o755),
    ("/var/lib/libvirt/qemu/nvram", 0o755),
    ("/var/lib/libvirt/qemu/ram", 0o755),
    ("/var/lib/libvirt/qemu/save", 0o755),
    ("/var/lib/libvirt/qemu/snapshot", 0o755),
    ("/var/cache/libvirt", 0o755),
    ("/var/cache/libvirt/qemu", 0o755),
    ("/var/log/libvirt", 0o755),
    ("/var/log/libvirt/qemu", 0o755),
    ("/run/libvirt", 0o755),
    ("/run/libvirt/qemu", 0o755),
    ("/run/libvirt/network", 0o755),
    ("/run/libvirt/storage", 0o755),
];

/// The first lines of the shipped configuration files (every setting in them is a comment).
const CONFIGS: &[(&str, &str)] = &[
    ("/etc/libvirt/libvirtd.conf", "# Master libvirt daemon configuration file\n#\n"),
    ("/etc/libvirt/qemu.conf", "# Main configuration file for the QEMU driver\n#\n"),
    (
        "/etc/libvirt/libvirt.conf",
        "#\n# This can be used to setup URI aliases for frequently\n# used connection URIs. Aliases may contain only the\n# characters  a-Z, 0-9, _, -.\n#\n",
    ),
    ("/etc/libvirt/virtlogd.conf", "# Master virtlogd daemon configuration file\n#\n"),
    ("/etc/libvirt/virtlockd.conf", "# Master virtlockd daemon configuration file\n#\n"),
];

/// Installs libvirt on the world's host: its directories, configuration files, the sockets of
/// the running daemon, and the default network (defined, inactive, not autostarted — as Debian
/// ships it).
pub fn install(world: &mut World) {
    let now = world.clock;
    let fs = &mut world.machines[0].fs;
    for (dir, mode) in DIRS {
        if let Ok(ino) = fs.mkdir_p(dir, 0o755, now)
            && let Some(node) = fs.node_mut(ino)
        {
            node.mode = *mode;
        }
    }
    for (path, text) in CONFIGS {
        files::write(fs, path, text, 0o644, now);
    }
    for sock in ["/run/libvirt/libvirt-sock", "/run/libvirt/libvirt-sock-ro", "/run/libvirt/libvirt-admin-sock"] {
        files::write(fs, sock, "", 0o666, now);
    }
    let network = Network {
        name: "default".to_owned(),
        uuid: new_uuid(&mut world.rng),
        forward: Some("nat".to_owned()),
        bridge: "virbr0".to_owned(),
        mac: new_mac(&mut world.rng),
        address: "192.168.122.1".to_owned(),
        netmask: "255.255.255.0".to_owned(),
        range_start: "192.168.122.2".to_owned(),
        range_end: "192.168.122.254".to_owned(),
        active: false,
        autostart: false,
        leases: Vec::new(),
    };
    let fs = &mut world.machines[0].fs;
    let text = saved_file(&network.to_xml(false), "virsh net-edit default");
    files::write(fs, &format!("{NETWORK_CONFIG_DIR}/default.xml"), &text, 0o600, now);
    world.libvirt = Libvirt { next_id: 1, ..Libvirt::default() };
    world.libvirt.networks.insert("default".to_owned(), network);
}

/// The sample VM of the lessons: `bookworm`, defined and shut off, its 20 GiB qcow2 disk holding
/// an installed Debian 12 (about 1.6 GiB of data), in the storage pool `default` that
/// virt-install created.
pub fn add_sample_vm(world: &mut World) {
    let now = world.clock;
    let image = "/var/lib/libvirt/images/bookworm.qcow2";
    let mut file = RegularFile::default();
    let mut q = Qcow2::create(&mut file, &CreateOptions { size: 20 << 30, ..CreateOptions::default() });
    // What an installation writes, coarsely: the boot and root file systems near the start,
    // scattered metadata and logs further in.
    for (offset, len) in [(1u64 << 20, 512u64 << 20), (1 << 30, 900 << 20), (8 << 30, 160 << 20), (19 << 30, 64 << 20)]
    {
        q.write(&mut file, None, offset, len, Data::Fill(0x5a));
    }
    file.qcow2 = Some(Box::new(q));
    file.guest = Some(Box::new(crate::sim::guest::os::debian_guest("bookworm", &mut world.rng, now)));
    let fs = &mut world.machines[0].fs;
    let (Ok((dir, name)), node) = (fs.resolve_parent(ROOT, image), crate::sim::vfs::Node::file(file, 0o600, now))
    else {
        return;
    };
    let name = name.to_owned();
    if let Ok(ino) = fs.create(dir, &name, node)
        && let Some(n) = fs.node_mut(ino)
    {
        n.uid = 64055;
        n.gid = 64055;
    }
    let xml = format!(
        "<domain type='kvm'>\n  <name>bookworm</name>\n  <memory unit='GiB'>2</memory>\n  <vcpu>2</vcpu>\n  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>\n  <features><acpi/><apic/></features>\n  <devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='{image}'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n    <interface type='network'><source network='default'/><model type='virtio'/></interface>\n    <serial type='pty'/>\n    <console type='pty'/>\n    <graphics type='vnc' port='-1' autoport='yes'/>\n  </devices>\n</domain>\n"
    );
    let Ok(def) = DomainDef::parse(&xml, &mut world.rng) else { return };
    let fs = &mut world.machines[0].fs;
    let text = saved_file(&def.to_xml(None), "virsh edit bookworm");
    files::write(fs, &format!("{QEMU_CONFIG_DIR}/bookworm.xml"), &text, 0o600, now);
    define_default_pool(world);
    world.libvirt.domains.insert("bookworm".to_owned(), Domain::defined(def));
}

/// The directory where the pool `default` keeps its volumes.
pub const DEFAULT_POOL_DIR: &str = "/var/lib/libvirt/images";

/// The storage pool `default` as virt-install (or virt-manager) makes it: a directory pool on
/// [`DEFAULT_POOL_DIR`], defined, started and autostarted, with its three files.
pub fn define_default_pool(world: &mut World) {
    let now = world.clock;
    let pool = Pool {
        name: "default".to_owned(),
        uuid: new_uuid(&mut world.rng),
        target: DEFAULT_POOL_DIR.to_owned(),
        active: true,
        autostart: true,
    };
    let fs = &mut world.machines[0].fs;
    files::write(
        fs,
        "/etc/libvirt/storage/default.xml",
        &saved_file(&pool.to_xml(), "virsh pool-edit default"),
        0o600,
        now,
    );
    files::symlink(fs, "/etc/libvirt/storage/autostart/default.xml", "/etc/libvirt/storage/default.xml", now);
    files::write(fs, "/run/libvirt/storage/default.xml", &pool.to_xml(), 0o600, now);
    world.libvirt.pools.insert("default".to_owned(), pool);
}

/// The file libvirt's storage driver makes for a new volume: qcow2 with compat 0.10 (libvirt's
/// default), or raw allocated in full (the allocation defaults to the capacity). `None` for a
/// format GuestLab does not simulate.
pub fn new_volume(format: &str, size: u64) -> Option<RegularFile> {
    let mut file = RegularFile::default();
    match format {
        "qcow2" => {
            let q = Qcow2::create(&mut file, &CreateOptions { size, version: 2, ..CreateOptions::default() });
            file.qcow2 = Some(Box::new(q));
        }
        "raw" => crate::sim::disk::qemu_img::create_raw(&mut file, size, crate::sim::disk::qcow2::Prealloc::Falloc),
        _ => return None,
    }
    Some(file)
}
