//! libvirt on the host: the daemon's view of its domains, networks and storage pools, and the
//! commands that talk to it (`virsh`, `virt-clone`, `virt-install`, `virt-xml-validate`).
//!
//! As with the real libvirtd, this state is the daemon's memory: the XML files under
//! `/etc/libvirt` are written by the commands that change it (define, autostart, ...), and
//! editing or deleting such a file by hand changes nothing until libvirtd rereads it.

pub mod domain;
pub mod files;
pub mod network;
pub mod setup;
pub mod table;
pub mod validate;
pub mod virsh;
pub mod virt_clone;
pub mod virt_install;
pub mod xml;

use std::collections::BTreeMap;

use crate::sim::shell::commands::CommandInfo;

pub use domain::{DiskDef, DomainDef, InterfaceDef, LiveInfo};
pub use network::Network;

/// The libvirt commands of the shell.
pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "virt-xml-validate",
        run: validate::virt_xml_validate,
        summary: "check a libvirt XML file against libvirt's schema",
        usage: validate::USAGE,
    },
    CommandInfo {
        name: "virt-install",
        run: virt_install::virt_install,
        summary: "create a virtual machine (disk in the pool 'default', defined and started)",
        usage: virt_install::USAGE,
    },
    CommandInfo {
        name: "virt-clone",
        run: virt_clone::virt_clone,
        summary: "clone a shut-off virtual machine (disks copied; new name, UUID and MAC)",
        usage: virt_clone::USAGE,
    },
    CommandInfo {
        name: "virsh",
        run: virsh::virsh,
        summary: "manage libvirt domains, networks and storage pools",
        usage: "Usage: virsh [-c URI] [-q] COMMAND [ARGS...]\nThe management tool of libvirt (9.0.0). `virsh help` lists the commands GuestLab simulates,\n`virsh help COMMAND` shows one command's options.\n  list [--all] [--autostart] [--name]   define FILE    undefine DOMAIN [--remove-all-storage]\n  start | shutdown | destroy | reboot | suspend | resume DOMAIN    autostart [--disable] DOMAIN\n  dominfo | domstate [--reason] | dumpxml [--inactive] | domblklist [--details] | domiflist DOMAIN\n  snapshot-create-as | snapshot-list | snapshot-revert | snapshot-delete DOMAIN [NAME]\n  net-list [--all] | net-start | net-destroy | net-autostart [--disable] | net-dumpxml | net-dhcp-leases NETWORK\n  pool-list [--all]    vol-list POOL [--details]\n",
    },
];

/// Splits the arguments of the Python tools (virtinst's virt-install and virt-clone,
/// guestfs-tools' virt-sysprep) the way argparse reads them: `--key=value`, `--key value`,
/// `-k value`, and flags. `takes_value` names the keys that take a value; a value missing at the
/// end is `None`.
pub fn argparse_pairs(args: &[String], takes_value: impl Fn(&str) -> bool) -> Vec<(String, Option<String>)> {
    let mut pairs = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let (key, inline) = match word.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k, Some(v.to_owned())),
            _ => (word.as_str(), None),
        };
        let value = if takes_value(key) { inline.or_else(|| words.next().cloned()) } else { None };
        pairs.push((key.to_owned(), value));
    }
    pairs
}

/// The state of a domain as `virsh list` and `virsh domstate` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainState {
    ShutOff,
    Running,
    Paused,
}

impl DomainState {
    /// The words `virsh list` and `virsh domstate` print.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShutOff => "shut off",
            Self::Running => "running",
            Self::Paused => "paused",
        }
    }
}

/// A snapshot's metadata as libvirt keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainSnapshot {
    pub name: String,
    /// Seconds since the Unix epoch.
    pub creation_time: i64,
    /// The domain's state when the snapshot was taken.
    pub state: DomainState,
    pub parent: Option<String>,
}

/// A domain (virtual machine) libvirt knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// The persistent definition (what `/etc/libvirt/qemu/NAME.xml` holds).
    pub def: DomainDef,
    pub state: DomainState,
    /// Why it is in that state (`virsh domstate --reason`): `booted`, `shutdown`, `destroyed`,
    /// `user`, `unpaused`, `unknown`.
    pub reason: String,
    /// The domain ID while it runs (`virsh list` shows it; `-` when shut off).
    pub id: Option<u32>,
    /// What exists only while it runs.
    pub live: Option<LiveInfo>,
    pub autostart: bool,
    pub snapshots: Vec<DomainSnapshot>,
    pub current_snapshot: Option<String>,
}

/// A storage pool of type `dir`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool {
    pub name: String,
    pub uuid: String,
    pub target: String,
    pub active: bool,
    pub autostart: bool,
}

impl Domain {
    /// A newly defined domain: shut off, not autostarted.
    pub fn defined(def: DomainDef) -> Self {
        Self {
            def,
            state: DomainState::ShutOff,
            reason: "unknown".to_owned(),
            id: None,
            live: None,
            autostart: false,
            snapshots: Vec::new(),
            current_snapshot: None,
        }
    }

    pub fn active(&self) -> bool {
        self.state != DomainState::ShutOff
    }
}

impl Pool {
    /// The pool's XML (saved form; capacity figures are not simulated and show as 0).
    pub fn to_xml(&self) -> String {
        let mut w = xml::Writer::default();
        w.open("pool", &[("type", "dir")]);
        w.text("name", &[], &self.name);
        w.text("uuid", &[], &self.uuid);
        w.text("capacity", &[("unit", "bytes")], "0");
        w.text("allocation", &[("unit", "bytes")], "0");
        w.text("available", &[("unit", "bytes")], "0");
        w.open("source", &[]);
        w.close("source");
        w.open("target", &[]);
        w.text("path", &[], &self.target);
        w.close("target");
        w.close("pool");
        w.finish()
    }
}

/// The most guests that run at once: each running guest is a whole machine in memory (about
/// 2 MB), so a runaway script that starts clones line after line stops here with a message.
pub const MAX_RUNNING_GUESTS: usize = 32;

/// What libvirtd knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Libvirt {
    /// By name.
    pub domains: BTreeMap<String, Domain>,
    /// By name.
    pub networks: BTreeMap<String, Network>,
    /// By name.
    pub pools: BTreeMap<String, Pool>,
    /// The ID the next started domain gets (libvirt counts up from 1 and never reuses one).
    pub next_id: u32,
}

impl Libvirt {
    /// A domain by name, ID or UUID, as virsh looks one up.
    pub fn lookup(&self, key: &str) -> Option<&Domain> {
        self.lookup_name(key).and_then(|n| self.domains.get(&n))
    }

    /// The name of the domain `key` names (a name, a running domain's ID, or a UUID).
    pub fn lookup_name(&self, key: &str) -> Option<String> {
        if let Ok(id) = key.parse::<u32>()
            && let Some(d) = self.domains.values().find(|d| d.id == Some(id))
        {
            return Some(d.def.name.clone());
        }
        if self.domains.contains_key(key) {
            return Some(key.to_owned());
        }
        let key = key.to_lowercase();
        self.domains.values().find(|d| d.def.uuid == key).map(|d| d.def.name.clone())
    }
}
