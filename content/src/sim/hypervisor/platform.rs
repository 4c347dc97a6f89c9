//! What a machine can find out about the platform it runs on: the hypervisor (or none), and
//! what each one shows its guests — the ID `systemd-detect-virt` prints, the firmware's DMI
//! strings, the CPUID vendor `lscpu` names, the guest drivers and the guest agent.
//!
//! A machine's platform is read from its firmware tables, as the real tools do: a machine whose
//! `/sys/class/dmi/id/sys_vendor` names a hypervisor runs on it; a guest of the lab's libvirt
//! (which has no such file in GuestLab) runs on QEMU/KVM; the host runs on bare metal.

use crate::sim::vfs::ROOT;
use crate::sim::world::{Machine, MachineKind};

/// Where a machine runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    /// Real hardware: the Debian KVM host.
    BareMetal,
    /// A QEMU/KVM guest (libvirt on the lab's host).
    Kvm,
    /// Oracle VirtualBox (with the Guest Additions installed).
    VirtualBox,
    /// VMware ESXi or Workstation (with open-vm-tools).
    Vmware,
    /// Microsoft Hyper-V (with the Hyper-V daemons).
    HyperV,
    /// A Xen HVM domU.
    Xen,
}

/// A kernel module as `lsmod` lists it: name, size in bytes, use count and users.
pub type Module = (&'static str, u32, &'static str);

/// The DMI path systemd-detect-virt, dmidecode and hostnamectl read the vendor from.
pub const DMI_SYS_VENDOR: &str = "/sys/class/dmi/id/sys_vendor";
/// The DMI product name.
pub const DMI_PRODUCT_NAME: &str = "/sys/class/dmi/id/product_name";

impl Platform {
    /// The platforms of the sample guests (every one but bare metal and the lab's KVM).
    pub const SAMPLES: [Self; 4] = [Self::VirtualBox, Self::Vmware, Self::HyperV, Self::Xen];

    /// The platform of a machine, from its DMI vendor string.
    pub fn of(machine: &Machine) -> Self {
        let vendor = machine.fs.read_text(ROOT, DMI_SYS_VENDOR, 256).map(|v| v.trim().to_owned());
        match vendor.as_deref() {
            Some("innotek GmbH") => Self::VirtualBox,
            Some("VMware, Inc.") => Self::Vmware,
            Some("Microsoft Corporation") => Self::HyperV,
            Some("Xen") => Self::Xen,
            Some("QEMU") => Self::Kvm,
            _ if machine.kind == MachineKind::Guest => Self::Kvm,
            _ => Self::BareMetal,
        }
    }

    /// A stable kebab-case id (`kvm`, `virtualbox`, ...), for tests and the screen.
    pub fn id(self) -> &'static str {
        match self {
            Self::BareMetal => "bare-metal",
            Self::Kvm => "kvm",
            Self::VirtualBox => "virtualbox",
            Self::Vmware => "vmware",
            Self::HyperV => "hyper-v",
            Self::Xen => "xen",
        }
    }

    /// The product's name.
    pub fn product(self) -> &'static str {
        match self {
            Self::BareMetal => "—",
            Self::Kvm => "QEMU/KVM",
            Self::VirtualBox => "Oracle VirtualBox",
            Self::Vmware => "VMware ESXi",
            Self::HyperV => "Microsoft Hyper-V",
            Self::Xen => "Xen (HVM domU)",
        }
    }

    /// What `systemd-detect-virt` prints (systemd 252's identifiers).
    pub fn detect_virt(self) -> &'static str {
        match self {
            Self::BareMetal => "none",
            Self::Kvm => "kvm",
            Self::VirtualBox => "oracle",
            Self::Vmware => "vmware",
            Self::HyperV => "microsoft",
            Self::Xen => "xen",
        }
    }

    /// The firmware's system manufacturer (`dmidecode -s system-manufacturer`).
    pub fn manufacturer(self) -> &'static str {
        match self {
            Self::BareMetal => "Dell Inc.",
            Self::Kvm => "QEMU",
            Self::VirtualBox => "innotek GmbH",
            Self::Vmware => "VMware, Inc.",
            Self::HyperV => "Microsoft Corporation",
            Self::Xen => "Xen",
        }
    }

    /// The firmware's product name (`dmidecode -s system-product-name`). On QEMU it names the
    /// emulated chipset of the domain's machine type.
    pub fn product_name(self, q35: bool) -> &'static str {
        match self {
            Self::BareMetal => "OptiPlex 7060",
            Self::Kvm if q35 => "Standard PC (Q35 + ICH9, 2009)",
            Self::Kvm => "Standard PC (i440FX + PIIX, 1996)",
            Self::VirtualBox => "VirtualBox",
            Self::Vmware => "VMware Virtual Platform",
            Self::HyperV => "Virtual Machine",
            Self::Xen => "HVM domU",
        }
    }

    /// The hypervisor vendor `lscpu` reads from CPUID. VirtualBox offers Linux guests KVM's
    /// paravirtual interface by default, so lscpu says KVM there (systemd-detect-virt looks at
    /// the DMI vendor first and says `oracle`).
    pub fn cpuid_vendor(self) -> Option<&'static str> {
        match self {
            Self::BareMetal => None,
            Self::Kvm | Self::VirtualBox => Some("KVM"),
            Self::Vmware => Some("VMware"),
            Self::HyperV => Some("Microsoft"),
            Self::Xen => Some("Xen"),
        }
    }

    /// The guest agent's systemd units, and whether they run.
    pub fn agent_units(self) -> &'static [(&'static str, bool)] {
        match self {
            Self::BareMetal => &[],
            // Not installed in the lab's freshly installed Debian guest.
            Self::Kvm => &[("qemu-guest-agent", false)],
            Self::VirtualBox => &[("vboxadd", true), ("vboxadd-service", true)],
            Self::Vmware => &[("open-vm-tools", true), ("vgauth", true)],
            Self::HyperV => &[("hv-kvp-daemon", true), ("hv-vss-daemon", true), ("hv-fcopy-daemon", true)],
            Self::Xen => &[],
        }
    }

    /// The package that brings the guest drivers' user-space side.
    pub fn agent_package(self) -> Option<&'static str> {
        match self {
            Self::BareMetal | Self::Xen => None,
            Self::Kvm => Some("qemu-guest-agent"),
            Self::VirtualBox => Some("VirtualBox Guest Additions"),
            Self::Vmware => Some("open-vm-tools"),
            Self::HyperV => Some("hyperv-daemons"),
        }
    }

    /// The kernel modules `lsmod` lists: KVM's on the host, the guest drivers in a guest.
    pub fn modules(self) -> &'static [Module] {
        match self {
            Self::BareMetal => &[
                ("vhost_net", 36864, "1"),
                ("vhost", 65536, "1 vhost_net"),
                ("tap", 28672, "1 vhost_net"),
                ("tun", 61440, "3 vhost_net"),
                ("bridge", 311296, "0"),
                ("stp", 16384, "1 bridge"),
                ("llc", 16384, "2 bridge,stp"),
                ("kvm_intel", 380928, "2"),
                ("kvm", 1142784, "1 kvm_intel"),
                ("irqbypass", 16384, "2 vhost,kvm"),
            ],
            Self::Kvm => &[
                ("virtio_net", 69632, "0"),
                ("net_failover", 24576, "1 virtio_net"),
                ("failover", 16384, "1 net_failover"),
                ("virtio_blk", 24576, "2"),
                ("virtio_balloon", 28672, "0"),
                ("virtio_console", 36864, "0"),
                ("virtio_rng", 16384, "0"),
                ("virtio_pci", 24576, "0"),
                ("virtio_pci_legacy_dev", 16384, "1 virtio_pci"),
                ("virtio_pci_modern_dev", 20480, "1 virtio_pci"),
                ("virtio_ring", 45056, "6 virtio_net,virtio_balloon,virtio_console,virtio_blk,virtio_rng,virtio_pci"),
                ("virtio", 16384, "6 virtio_net,virtio_balloon,virtio_console,virtio_blk,virtio_rng,virtio_pci"),
            ],
            Self::VirtualBox => &[
                ("vboxsf", 45056, "1"),
                ("vboxguest", 49152, "7 vboxsf"),
                ("vboxvideo", 49152, "0"),
                ("drm_vram_helper", 24576, "1 vboxvideo"),
                ("e1000", 159744, "0"),
                ("ahci", 49152, "2"),
                ("libahci", 53248, "1 ahci"),
            ],
            Self::Vmware => &[
                ("vmw_vsock_vmci_transport", 36864, "2"),
                ("vsock", 57344, "3 vmw_vsock_vmci_transport"),
                ("vmw_balloon", 28672, "0"),
                ("vmw_vmci", 102400, "2 vmw_balloon,vmw_vsock_vmci_transport"),
                ("vmwgfx", 434176, "1"),
                ("vmxnet3", 73728, "0"),
                ("vmw_pvscsi", 32768, "2"),
            ],
            Self::HyperV => &[
                ("hv_balloon", 32768, "0"),
                ("hv_utils", 53248, "2"),
                ("hyperv_drm", 24576, "1"),
                ("hid_hyperv", 20480, "0"),
                ("hyperv_keyboard", 16384, "0"),
                ("hv_netvsc", 102400, "0"),
                ("hv_storvsc", 28672, "2"),
                ("scsi_transport_fc", 86016, "1 hv_storvsc"),
                (
                    "hv_vmbus",
                    135168,
                    "7 hv_balloon,hyperv_keyboard,hv_netvsc,hid_hyperv,hv_utils,hyperv_drm,hv_storvsc",
                ),
            ],
            Self::Xen => &[("xen_netfront", 61440, "0"), ("xen_blkfront", 57344, "2")],
        }
    }

    /// The processor a guest of this platform sees (`model name` in /proc/cpuinfo): QEMU's
    /// default model on KVM; the host's processor, passed through, elsewhere.
    pub fn cpu_model(self) -> (&'static str, u32, u32, &'static str) {
        match self {
            Self::BareMetal => ("GenuineIntel", 6, 158, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz"),
            Self::Kvm => ("AuthenticAMD", 15, 107, "QEMU Virtual CPU version 2.5+"),
            Self::VirtualBox => ("GenuineIntel", 6, 140, "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz"),
            Self::Vmware => ("GenuineIntel", 6, 85, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"),
            Self::HyperV => ("GenuineIntel", 6, 85, "Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz"),
            Self::Xen => ("GenuineIntel", 6, 63, "Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz"),
        }
    }

    /// How the platform reaches the guest's disk, and the device name the guest sees.
    pub fn disk_device(self) -> &'static str {
        match self {
            Self::BareMetal => "/dev/nvme0n1",
            Self::Kvm => "/dev/vda",
            Self::VirtualBox | Self::Vmware | Self::HyperV => "/dev/sda",
            Self::Xen => "/dev/xvda",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::World;

    #[test]
    fn the_host_is_bare_metal_and_a_libvirt_guest_runs_on_kvm() {
        let mut w = World::with_sample_vm(1);
        assert_eq!(Platform::of(w.machine()), Platform::BareMetal);
        w.run("virsh net-start default");
        w.run("virsh start bookworm");
        let guest = w.machines.iter().find(|m| m.kind == MachineKind::Guest).unwrap();
        assert_eq!(Platform::of(guest), Platform::Kvm);
    }

    #[test]
    fn the_dmi_vendor_names_the_platform() {
        let mut w = World::new(1);
        w.machine_mut().fs.mkdir_p("/sys/class/dmi/id", 0o755, 0).unwrap();
        for p in Platform::SAMPLES {
            w.machine_mut()
                .fs
                .put_file(DMI_SYS_VENDOR, format!("{}\n", p.manufacturer()).as_bytes(), 0o444, 0)
                .unwrap();
            assert_eq!(Platform::of(w.machine()), p, "{p:?}");
        }
    }

    #[test]
    fn every_guest_platform_has_its_own_drivers() {
        let names = |p: Platform| p.modules().iter().map(|m| m.0).collect::<Vec<_>>();
        assert!(names(Platform::Kvm).contains(&"virtio_blk"));
        assert!(names(Platform::VirtualBox).contains(&"vboxguest"));
        assert!(names(Platform::Vmware).contains(&"vmw_balloon"));
        assert!(names(Platform::HyperV).contains(&"hv_vmbus"));
        assert!(names(Platform::Xen).contains(&"xen_blkfront"));
        assert!(names(Platform::BareMetal).contains(&"kvm_intel"));
        // Each module's users are modules of the same list.
        for p in [Platform::BareMetal, Platform::Kvm, Platform::VirtualBox, Platform::Vmware, Platform::HyperV] {
            for (name, _, used) in p.modules() {
                for user in used.split_whitespace().nth(1).unwrap_or("").split(',').filter(|u| !u.is_empty()) {
                    assert!(names(p).contains(&user), "{name}: {user} on {p:?}");
                }
            }
        }
    }
}
