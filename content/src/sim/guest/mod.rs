//! Guests: the Debian 12 systems on the disk images of libvirt's domains. A guest's files live
//! with its disk image (so `virt-clone` copies them, machine ID, SSH host keys and all); while
//! the domain runs, the guest is a machine of the world with a shell of its own, and what it
//! does at boot — the machine ID's first-boot rules, journald's directory, systemd-networkd's
//! DHCP request with a client ID derived from the machine ID, sshd and its host keys — follows
//! systemd 252, OpenSSH 9.2 and dnsmasq as libvirt runs it.

pub mod boot;
pub mod cloud_image;
pub mod commands;
pub mod crypt;
pub mod ids;
pub mod keygen;
pub mod os;
pub mod packages;
pub mod ssh;
pub mod sysprep;
pub mod view;

use crate::sim::shell::commands::CommandInfo;

/// The commands that reach into guests from the host.
pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "ssh",
        run: ssh::ssh,
        summary: "log in to a guest (or run one command there) over SSH",
        usage: "usage: ssh [-i identity_file] [-l user] [-o StrictHostKeyChecking=yes|no|accept-new] [-o BatchMode=yes] [user@]host [command]\n",
    },
    CommandInfo {
        name: "ssh-copy-id",
        run: ssh::ssh_copy_id,
        summary: "install a public key in a user's ~/.ssh/authorized_keys on a server",
        usage: "Usage: /usr/bin/ssh-copy-id [-h|-?|-f|-n|-s] [-i [identity_file]] [-p port] [-F alternative ssh_config file] [[-o <ssh -o options>] ...] [user@]hostname\n",
    },
    CommandInfo {
        name: "virt-sysprep",
        run: sysprep::virt_sysprep,
        summary: "reset a shut-off guest's identity (machine ID, SSH host keys, logs) before cloning",
        usage: sysprep::USAGE,
    },
];

/// What a guest machine has while its domain runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestState {
    /// The libvirt domain it runs in.
    pub domain: String,
    pub running: bool,
    /// The boot ID of the current boot (32 hex digits).
    pub boot_id: String,
    /// Every boot of this guest: (machine ID at the time, boot ID, start time).
    pub boots: Vec<(String, String, i64)>,
    /// The NIC's name in the guest (`enp1s0` on a q35 machine, `ens3` on i440fx).
    pub iface: String,
    pub mac: String,
    /// The IPv4 address from DHCP.
    pub ip: Option<String>,
    /// The DHCP client identifier systemd-networkd sent (IAID + DUID-EN).
    pub client_id: Option<String>,
    /// Whether sshd runs (it refuses to start without host keys).
    pub sshd: bool,
    /// Whether this boot was a first boot (machine ID missing or `uninitialized`).
    pub first_boot: bool,
    /// The trace of cloud-init's last run at boot, for guests whose image has cloud-init
    /// (see [`crate::sim::cloud_init::trace`]).
    pub cloud_init: Option<Box<crate::sim::cloud_init::trace::CloudInitBoot>>,
}
