//! The commands a machine uses to find out what it runs on — `systemd-detect-virt`, `lsmod`,
//! `dmidecode -s`, `lscpu` and `systemctl is-active` for the guest agents — answered from the
//! machine's [`Platform`], and the sample guests of other hypervisors that the hypervisor screen
//! shows next to the lab's KVM guest.

use rand::SeedableRng as _;
use rand_chacha::ChaCha8Rng;

use super::platform::{DMI_PRODUCT_NAME, DMI_SYS_VENDOR, Platform};
use crate::sim::guest::GuestState;
use crate::sim::guest::os::{debian_guest, new_machine_id};
use crate::sim::shell::Ctx;
use crate::sim::world::{Machine, MachineKind, World};

/// The platform of the machine the command runs on.
pub fn platform(ctx: &Ctx<'_>) -> Platform {
    Platform::of(ctx.machine())
}

/// Whether the current machine is a libvirt guest on a q35 machine type (QEMU's DMI product
/// name names the chipset).
fn q35(ctx: &Ctx<'_>) -> bool {
    let Some(g) = ctx.machine().guest.as_ref() else { return true };
    ctx.world.libvirt.domains.get(&g.domain).is_none_or(|d| d.def.machine.contains("q35"))
}

/// The DMI product name of the current machine.
pub fn product_name(ctx: &Ctx<'_>) -> &'static str {
    platform(ctx).product_name(q35(ctx))
}

/// `systemd-detect-virt [-v|--vm] [-c|--container] [-q]`: the platform's identifier, exit 0
/// when virtualized; `none` and exit 1 otherwise. GuestLab has no containers, so `-c` says none.
pub fn detect_virt(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut quiet = false;
    let mut container = false;
    for arg in &args[1..] {
        match arg.as_str() {
            "-q" | "--quiet" => quiet = true,
            "-c" | "--container" => container = true,
            "-v" | "--vm" => container = false,
            other => {
                ctx.err(&format!("systemd-detect-virt: unrecognized option '{other}'\n"));
                return 1;
            }
        }
    }
    let id = if container { "none" } else { platform(ctx).detect_virt() };
    if !quiet {
        ctx.out(&format!("{id}\n"));
    }
    i32::from(id == "none")
}

/// `lsmod`: the kernel modules of the machine's platform.
pub fn lsmod(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let mut s = String::from("Module                  Size  Used by\n");
    for (name, size, used) in platform(ctx).modules() {
        s.push_str(&format!("{name:<19} {size:>8}  {used}\n"));
    }
    ctx.out(&s);
    0
}

/// The keywords `dmidecode -s` knows in GuestLab.
const DMI_KEYWORDS: &str = "system-manufacturer, system-product-name, system-uuid";

/// `dmidecode -s KEYWORD`: the firmware tables the platform provides.
pub fn dmidecode(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(keyword) = args.iter().position(|a| a == "-s" || a == "--string").and_then(|i| args.get(i + 1)) else {
        ctx.err(&format!("GuestLab's dmidecode knows -s KEYWORD ({DMI_KEYWORDS})\n"));
        return 1;
    };
    let p = platform(ctx);
    let value = match keyword.as_str() {
        "system-manufacturer" => p.manufacturer().to_owned(),
        "system-product-name" => product_name(ctx).to_owned(),
        "system-uuid" => system_uuid(ctx),
        other => {
            ctx.err(&format!("Invalid string keyword: {other}\n"));
            return 2;
        }
    };
    ctx.out(&format!("{value}\n"));
    0
}

/// The SMBIOS UUID: the libvirt domain's UUID in a KVM guest, the firmware's elsewhere.
fn system_uuid(ctx: &Ctx<'_>) -> String {
    if let Some(d) = ctx.machine().guest.as_ref().and_then(|g| ctx.world.libvirt.domains.get(&g.domain)) {
        return d.def.uuid.clone();
    }
    ctx.read_text("/sys/class/dmi/id/product_uuid", 256)
        .map_or_else(|| "4c4c4544-0042-3510-8052-b4c04f4e4d32".to_owned(), |u| u.trim().to_owned())
}

/// `lscpu`: the processor from /proc/cpuinfo; in a guest also the hypervisor from CPUID.
pub fn lscpu(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let info = ctx.read_text("/proc/cpuinfo", 1 << 16).unwrap_or_default();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == name).map(|(_, v)| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let cpus = info.lines().filter(|l| l.starts_with("processor")).count();
    let flags = field("flags");
    let has = |f: &str| flags.split_whitespace().any(|x| x == f);
    let mut s = format!(
        "Architecture:            x86_64\n  CPU op-mode(s):        32-bit, 64-bit\n  Address sizes:         39 bits physical, 48 bits virtual\n  Byte Order:            Little Endian\nCPU(s):                  {cpus}\n  On-line CPU(s) list:   0-{}\nVendor ID:               {}\n  Model name:            {}\n    CPU family:          {}\n    Model:               {}\n    Thread(s) per core:  1\n    Core(s) per socket:  {cpus}\n    Socket(s):           1\n    Flags:               {flags}\n",
        cpus.saturating_sub(1),
        field("vendor_id"),
        field("model name"),
        field("cpu family"),
        field("model"),
    );
    if has("vmx") {
        s.push_str("Virtualization features: \n  Virtualization:        VT-x\n");
    } else if has("svm") {
        s.push_str("Virtualization features: \n  Virtualization:        AMD-V\n");
    }
    if has("hypervisor")
        && let Some(vendor) = platform(ctx).cpuid_vendor()
    {
        s.push_str(&format!(
            "Virtualization features: \n  Hypervisor vendor:     {vendor}\n  Virtualization type:   full\n"
        ));
    }
    ctx.out(&s);
    0
}

/// `systemctl is-active UNIT...`: sshd runs when it has host keys, systemd's own daemons always,
/// the guest agents' units where the agent is installed; any other unit is `inactive` (exit 3),
/// as systemctl says of units it does not know.
pub fn is_active(ctx: &mut Ctx<'_>, units: &[String]) -> i32 {
    if units.is_empty() {
        ctx.err("Too few arguments.\n");
        return 1;
    }
    let p = platform(ctx);
    let mut status = 0;
    for unit in units {
        let name = unit.trim_end_matches(".service");
        let active = match name {
            "ssh" | "sshd" => ctx.machine().guest.as_ref().is_none_or(|g| g.sshd),
            "systemd-networkd" | "systemd-journald" | "dbus" => true,
            _ => p.agent_units().iter().any(|(u, on)| *u == name && *on),
        };
        ctx.out(if active { "active\n" } else { "inactive\n" });
        if !active {
            status = 3;
        }
    }
    status
}

/// The name of the sample guest of a platform (its host name and prompt).
pub fn sample_name(platform: Platform) -> &'static str {
    match platform {
        Platform::BareMetal | Platform::Kvm => "bookworm",
        Platform::VirtualBox => "vbox-guest",
        Platform::Vmware => "vmware-guest",
        Platform::HyperV => "hyperv-guest",
        Platform::Xen => "xen-domu",
    }
}

/// The NIC of a sample guest: its name in the guest and a MAC from the vendor's range.
fn sample_nic(platform: Platform) -> (&'static str, &'static str, &'static str) {
    match platform {
        Platform::BareMetal | Platform::Kvm => ("enp1s0", "52:54:00:4e:2a:11", "192.168.122.50"),
        Platform::VirtualBox => ("enp0s3", "08:00:27:5c:1e:7a", "10.0.2.15"),
        Platform::Vmware => ("ens192", "00:50:56:a1:3f:09", "10.20.0.31"),
        Platform::HyperV => ("eth0", "00:15:5d:01:6b:22", "172.21.16.5"),
        Platform::Xen => ("enX0", "00:16:3e:27:8a:41", "10.30.0.12"),
    }
}

/// The CPU flags a guest sees: no `vmx` (no nested virtualization), and `hypervisor`.
const SAMPLE_CPU_FLAGS: &str = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch fsgsbase bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap clflushopt xsaveopt xsavec xgetbv1 xsaves arat md_clear flush_l1d arch_capabilities";

/// A sample guest of another hypervisor: a Debian 12 system whose firmware tables, CPU and
/// drivers are those that hypervisor gives its guests. Its keys and IDs come from a generator
/// seeded by `seed`, not from the world's, so adding a sample changes nothing else.
pub fn sample_guest(platform: Platform, seed: u64, now: i64) -> Machine {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6879_7065_7276_6973);
    let name = sample_name(platform);
    let mut fs = debian_guest(name, &mut rng, now);
    let (vendor, family, model, model_name) = platform.cpu_model();
    let info = crate::sim::host::cpuinfo(2, vendor, family, model, model_name, SAMPLE_CPU_FLAGS, "2400.000");
    let _ = fs.put_file("/proc/cpuinfo", info.as_bytes(), 0o444, now);
    let _ = fs.mkdir_p("/sys/class/dmi/id", 0o755, now);
    let uuid = new_machine_id(&mut rng);
    let uuid = format!("{}-{}-{}-{}-{}", &uuid[..8], &uuid[8..12], &uuid[12..16], &uuid[16..20], &uuid[20..]);
    for (path, value, mode) in [
        (DMI_SYS_VENDOR, platform.manufacturer(), 0o444),
        (DMI_PRODUCT_NAME, platform.product_name(false), 0o444),
        ("/sys/class/dmi/id/product_uuid", uuid.as_str(), 0o400),
    ] {
        let _ = fs.put_file(path, format!("{value}\n").as_bytes(), mode, now);
    }
    let (iface, mac, ip) = sample_nic(platform);
    let boot_id = new_machine_id(&mut rng);
    let machine_id = fs.read_text(crate::sim::vfs::ROOT, "/etc/machine-id", 64).unwrap_or_default();
    let host = crate::sim::host::debian_host(now);
    Machine {
        name: name.to_owned(),
        kind: MachineKind::Guest,
        fs,
        cwd: "/root".to_owned(),
        env: host.env,
        status: 0,
        history: Vec::new(),
        guest: Some(GuestState {
            domain: name.to_owned(),
            running: true,
            boot_id: boot_id.clone(),
            boots: vec![(machine_id.trim().to_owned(), boot_id, now)],
            iface: iface.to_owned(),
            mac: mac.to_owned(),
            ip: Some(ip.to_owned()),
            client_id: None,
            sshd: true,
            first_boot: false,
            cloud_init: None,
        }),
    }
}

/// A world of its own for one sample guest: GuestLab's host (which the sample never talks to)
/// and the sample, with the shell on the sample.
pub fn sample_world(platform: Platform, seed: u64) -> World {
    let mut world = World::new(seed);
    let guest = sample_guest(platform, seed, world.clock);
    world.machines.push(guest);
    world.current = world.machines.len() - 1;
    world
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(w: &mut World, line: &str) -> String {
        let o = w.run(line);
        format!("{}{}[{}]", o.stdout(), o.stderr(), o.status)
    }

    #[test]
    fn each_sample_guest_names_its_hypervisor() {
        let expect = [
            (Platform::VirtualBox, "oracle", "VirtualBox", "innotek GmbH", "KVM"),
            (Platform::Vmware, "vmware", "VMware Virtual Platform", "VMware, Inc.", "VMware"),
            (Platform::HyperV, "microsoft", "Virtual Machine", "Microsoft Corporation", "Microsoft"),
            (Platform::Xen, "xen", "HVM domU", "Xen", "Xen"),
        ];
        for (p, virt, product, vendor, cpuid) in expect {
            let mut w = sample_world(p, 1);
            assert_eq!(w.machine().prompt(), format!("root@{}:~# ", sample_name(p)));
            assert_eq!(out(&mut w, "systemd-detect-virt"), format!("{virt}\n[0]"));
            assert_eq!(out(&mut w, "systemd-detect-virt --container"), "none\n[1]");
            assert_eq!(out(&mut w, "dmidecode -s system-product-name"), format!("{product}\n[0]"));
            assert_eq!(out(&mut w, "dmidecode -s system-manufacturer"), format!("{vendor}\n[0]"));
            assert_eq!(out(&mut w, "cat /sys/class/dmi/id/sys_vendor"), format!("{vendor}\n[0]"));
            assert_eq!(
                out(&mut w, "lscpu | grep -E 'Hypervisor vendor|Virtualization type'"),
                format!("  Hypervisor vendor:     {cpuid}\n  Virtualization type:   full\n[0]")
            );
            assert_eq!(out(&mut w, "grep -c -w vmx /proc/cpuinfo"), "0\n[1]");
            assert_eq!(out(&mut w, "grep -c -w hypervisor /proc/cpuinfo"), "2\n[0]");
            assert_eq!(out(&mut w, "lsmod | grep -c virtio"), "0\n[1]", "{p:?}: no virtio");
        }
    }

    #[test]
    fn guest_drivers_and_agents_per_hypervisor() {
        let mut w = sample_world(Platform::VirtualBox, 1);
        assert_eq!(
            out(&mut w, "lsmod | grep vbox"),
            "vboxsf                 45056  1\nvboxguest              49152  7 vboxsf\nvboxvideo              49152  0\ndrm_vram_helper        24576  1 vboxvideo\n[0]"
        );
        assert_eq!(out(&mut w, "systemctl is-active vboxadd-service"), "active\n[0]");
        assert_eq!(out(&mut w, "systemctl is-active open-vm-tools"), "inactive\n[3]");
        let mut w = sample_world(Platform::Vmware, 1);
        assert_eq!(
            out(&mut w, "lsmod | grep -E '^(vmw_|vmxnet3)' | cut -d' ' -f1"),
            "vmw_vsock_vmci_transport\nvmw_balloon\nvmw_vmci\nvmxnet3\nvmw_pvscsi\n[0]"
        );
        assert_eq!(out(&mut w, "systemctl is-active open-vm-tools.service"), "active\n[0]");
        let mut w = sample_world(Platform::HyperV, 1);
        assert_eq!(
            out(&mut w, "lsmod | grep ^hv_ | cut -d' ' -f1"),
            "hv_balloon\nhv_utils\nhv_netvsc\nhv_storvsc\nhv_vmbus\n[0]"
        );
        assert_eq!(out(&mut w, "systemctl is-active hv-kvp-daemon"), "active\n[0]");
        let mut w = sample_world(Platform::Xen, 1);
        assert_eq!(
            out(&mut w, "lsmod"),
            "Module                  Size  Used by\nxen_netfront           61440  0\nxen_blkfront           57344  2\n[0]"
        );
        assert_eq!(
            out(&mut w, "hostnamectl | grep -E 'Virtualization|Hardware'"),
            "  Virtualization: xen\n Hardware Vendor: Xen\n  Hardware Model: HVM domU\n[0]"
        );
    }

    #[test]
    fn the_host_and_the_kvm_guest_answer_for_themselves() {
        let mut w = World::with_sample_vm(1);
        assert_eq!(out(&mut w, "systemd-detect-virt"), "none\n[1]");
        assert_eq!(out(&mut w, "systemd-detect-virt -q"), "[1]");
        assert_eq!(
            out(&mut w, "systemd-detect-virt --bogus"),
            "systemd-detect-virt: unrecognized option '--bogus'\n[1]"
        );
        assert_eq!(
            out(&mut w, "lsmod | grep kvm"),
            "kvm_intel             380928  2\nkvm                  1142784  1 kvm_intel\nirqbypass              16384  2 vhost,kvm\n[0]"
        );
        assert_eq!(out(&mut w, "dmidecode -s system-product-name"), "OptiPlex 7060\n[0]");
        assert_eq!(out(&mut w, "dmidecode -s bios-vendor"), "Invalid string keyword: bios-vendor\n[2]");
        assert_eq!(
            out(&mut w, "lscpu | grep -A1 'Virtualization features'"),
            "Virtualization features: \n  Virtualization:        VT-x\n[0]"
        );
        w.run("virsh net-start default");
        w.run("virsh start bookworm");
        w.run("virsh console bookworm");
        assert_eq!(out(&mut w, "systemd-detect-virt"), "kvm\n[0]");
        assert_eq!(out(&mut w, "dmidecode -s system-product-name"), "Standard PC (Q35 + ICH9, 2009)\n[0]");
        let uuid = w.libvirt.domains["bookworm"].def.uuid.clone();
        assert_eq!(out(&mut w, "dmidecode -s system-uuid"), format!("{uuid}\n[0]"));
        assert_eq!(
            out(&mut w, "lsmod | grep -c virtio"),
            "11\n[0]",
            "ten virtio modules and net_failover, used by virtio_net"
        );
        assert_eq!(out(&mut w, "systemctl is-active qemu-guest-agent"), "inactive\n[3]");
        assert_eq!(out(&mut w, "systemctl is-active ssh qemu-guest-agent"), "active\ninactive\n[3]");
        assert_eq!(out(&mut w, "lscpu | grep Hypervisor"), "  Hypervisor vendor:     KVM\n[0]");
    }

    #[test]
    fn a_sample_does_not_change_the_world_it_joins() {
        let a = World::new(5);
        let b = sample_world(Platform::Vmware, 5);
        assert_eq!(a.rng, b.rng, "the sample has its own generator");
        assert_eq!(b.machines.len(), 2);
        assert_eq!(b.current, 1);
    }
}
