//! Hypervisors: what a machine learns about the platform it runs on ([`platform`], with the
//! commands in [`guests`] and sample guests of VirtualBox, VMware, Hyper-V and Xen), the
//! display models of the hypervisor screen — the products and their type ([`products`]), the
//! path of one disk write through the layers under full, para- and hybrid virtualization
//! ([`io_path`]), the pre-copy maths of live migration ([`migration`]) — and the second host
//! that `virsh migrate` moves domains to ([`host2`]).

pub mod guests;
pub mod host2;
pub mod io_path;
pub mod migration;
pub mod platform;
pub mod products;

pub use platform::Platform;

use crate::sim::shell::commands::CommandInfo;

/// The commands that answer for the platform of the machine they run on.
pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "systemd-detect-virt",
        run: guests::detect_virt,
        summary: "detect whether this system runs in a virtual machine, and on which hypervisor",
        usage: "Usage: systemd-detect-virt [-v|--vm] [-c|--container] [-q|--quiet]\nPrints the hypervisor's ID (kvm, oracle, vmware, microsoft, xen, ...) in a guest, none on bare metal.\n",
    },
    CommandInfo {
        name: "lsmod",
        run: guests::lsmod,
        summary: "list the loaded kernel modules (kvm on the host, the guest drivers in a guest)",
        usage: "Usage: lsmod\n",
    },
    CommandInfo {
        name: "dmidecode",
        run: guests::dmidecode,
        summary: "read the firmware's system information",
        usage: "Usage: dmidecode -s system-manufacturer|system-product-name|system-uuid\n",
    },
    CommandInfo {
        name: "lscpu",
        run: guests::lscpu,
        summary: "show the processor (and, in a guest, its hypervisor)",
        usage: "Usage: lscpu\n",
    },
];
