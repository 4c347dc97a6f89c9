//! The display model of the cloning lab: each guest's identity as a learner would look it up
//! (machine ID, DHCP client ID, address, hostname, SSH host key) and the values two running
//! guests share. The Machine ID & cloning screen draws this; it never reads the world itself.

use super::boot::machine_of;
use super::ids::{base64_decode, fingerprint};
use crate::sim::World;
use crate::sim::libvirt::DomainState;
use crate::sim::vfs::{ROOT, Vfs};

/// One guest domain and its identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestCard {
    pub domain: String,
    pub state: DomainState,
    /// Whether its guest OS runs (the domain runs and its disk has an OS).
    pub running: bool,
    pub mac: String,
    /// `/etc/machine-id` as it is now (from the running guest, or from its disk image when shut
    /// off); `Some("")` for an empty file, `None` when the file is missing.
    pub machine_id: Option<String>,
    /// The machine ID the current boot uses (it changes on disk at once, in use only at the
    /// next boot).
    pub booted_id: Option<String>,
    /// The DHCP client ID sent at boot (running guests only).
    pub client_id: Option<String>,
    /// The leased IPv4 address (running guests only).
    pub ip: Option<String>,
    pub hostname: Option<String>,
    /// The SHA256 fingerprint of `/etc/ssh/ssh_host_ed25519_key.pub`.
    pub host_key: Option<String>,
    /// Whether sshd runs.
    pub sshd: bool,
}

/// A value that makes guests collide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    MachineId,
    ClientId,
    Ip,
    HostKey,
    /// Shared host names do not break the network, but confuse people and logs.
    Hostname,
}

/// One value shared by two or more running guests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collision {
    pub field: Field,
    pub value: String,
    /// The domains sharing it, sorted.
    pub domains: Vec<String>,
}

/// The host's bridge and every guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkView {
    /// `virbr0`.
    pub bridge: String,
    /// The host's address on the bridge (`192.168.122.1`).
    pub address: String,
    /// dnsmasq's range.
    pub range: (String, String),
    /// Whether the network (bridge and dnsmasq) runs.
    pub active: bool,
    pub guests: Vec<GuestCard>,
    pub collisions: Vec<Collision>,
}

impl NetworkView {
    /// The collision of `field` that `domain` takes part in.
    pub fn collision(&self, domain: &str, field: Field) -> Option<&Collision> {
        self.collisions.iter().find(|c| c.field == field && c.domains.iter().any(|d| d == domain))
    }

    pub fn guest(&self, domain: &str) -> Option<&GuestCard> {
        self.guests.iter().find(|g| g.domain == domain)
    }
}

fn read(fs: &Vfs, path: &str) -> Option<String> {
    fs.read_text(ROOT, path, 16 * 1024)
}

/// The fingerprint of the ed25519 host key in a guest's files.
pub fn host_key_fingerprint(fs: &Vfs) -> Option<String> {
    let line = read(fs, "/etc/ssh/ssh_host_ed25519_key.pub")?;
    let blob = base64_decode(line.split_whitespace().nth(1)?)?;
    Some(fingerprint(&blob))
}

/// The cloning lab's picture of `network` (libvirt's `default`).
pub fn network_view(world: &World, network: &str) -> NetworkView {
    let net = world.libvirt.networks.get(network);
    let mut guests = Vec::new();
    for (name, domain) in &world.libvirt.domains {
        if !domain.def.interfaces.iter().any(|i| i.network == network) {
            continue;
        }
        let guest = machine_of(world, name)
            .map(|m| &world.machines[m])
            .filter(|m| m.guest.as_ref().is_some_and(|g| g.running) && domain.state != DomainState::ShutOff);
        let disk = domain.def.disks.iter().find(|k| k.device == "disk").and_then(|k| k.source.clone());
        let fs = match guest {
            Some(m) => Some(&m.fs),
            None => disk.as_deref().and_then(|d| super::boot::image_guest_fs(world, d)),
        };
        let state = guest.and_then(|m| m.guest.as_ref());
        let mac =
            domain.def.interfaces.iter().find(|i| i.network == network).map(|i| i.mac.clone()).unwrap_or_default();
        guests.push(GuestCard {
            domain: name.clone(),
            state: domain.state,
            running: state.is_some(),
            mac,
            machine_id: fs.and_then(|fs| read(fs, "/etc/machine-id")).map(|t| t.trim().to_owned()),
            booted_id: state.and_then(|g| g.boots.last()).map(|b| b.0.clone()),
            client_id: state.and_then(|g| g.client_id.clone()),
            ip: state.and_then(|g| g.ip.clone()),
            hostname: fs.and_then(|fs| read(fs, "/etc/hostname")).map(|t| t.trim().to_owned()),
            host_key: fs.and_then(host_key_fingerprint),
            sshd: state.is_some_and(|g| g.sshd),
        });
    }
    let collisions = collisions(&guests);
    NetworkView {
        bridge: net.map_or_else(|| "virbr0".to_owned(), |n| n.bridge.clone()),
        address: net.map_or_else(|| "192.168.122.1".to_owned(), |n| n.address.clone()),
        range: net.map_or_else(Default::default, |n| (n.range_start.clone(), n.range_end.clone())),
        active: net.is_some_and(|n| n.active),
        guests,
        collisions,
    }
}

/// The values two or more running guests share, by field and then value.
pub fn collisions(guests: &[GuestCard]) -> Vec<Collision> {
    type Value = fn(&GuestCard) -> Option<&String>;
    let fields: [(Field, Value); 5] = [
        (Field::MachineId, |g| g.machine_id.as_ref()),
        (Field::ClientId, |g| g.client_id.as_ref()),
        (Field::Ip, |g| g.ip.as_ref()),
        (Field::HostKey, |g| g.host_key.as_ref()),
        (Field::Hostname, |g| g.hostname.as_ref()),
    ];
    let mut out = Vec::new();
    for (field, value_of) in fields {
        let mut by_value: std::collections::BTreeMap<&str, Vec<String>> = std::collections::BTreeMap::new();
        for g in guests.iter().filter(|g| g.running) {
            if let Some(v) = value_of(g).filter(|v| !v.is_empty()) {
                by_value.entry(v.as_str()).or_default().push(g.domain.clone());
            }
        }
        for (value, mut domains) in by_value {
            if domains.len() > 1 {
                crate::order::sort(&mut domains);
                out.push(Collision { field, value: value.to_owned(), domains });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(w: &mut World, lines: &[&str]) {
        for line in lines {
            let out = w.run(line);
            assert_eq!(out.status, 0, "{line}: {}", out.stderr());
        }
    }

    fn two_clones() -> World {
        let mut w = World::with_sample_vm(1);
        run(
            &mut w,
            &[
                "virsh net-start default",
                "virt-clone --original bookworm --name web1 --auto-clone",
                "virt-clone --original bookworm --name web2 --auto-clone",
                "virsh start web1",
                "virsh start web2",
            ],
        );
        w
    }

    #[test]
    fn the_template_alone_collides_with_nothing() {
        let w = World::with_sample_vm(1);
        let v = network_view(&w, "default");
        assert_eq!((v.bridge.as_str(), v.address.as_str(), v.active), ("virbr0", "192.168.122.1", false));
        assert_eq!(v.range, ("192.168.122.2".to_owned(), "192.168.122.254".to_owned()));
        assert_eq!(v.guests.len(), 1);
        let g = &v.guests[0];
        assert_eq!((g.domain.as_str(), g.running, g.ip.as_ref()), ("bookworm", false, None));
        // Read from the disk image while shut off.
        assert_eq!(g.machine_id.as_ref().map(String::len), Some(32));
        assert_eq!(g.hostname.as_deref(), Some("bookworm"));
        assert!(g.host_key.as_ref().is_some_and(|k| k.starts_with("SHA256:") && k.len() == 50), "{g:?}");
        assert!(v.collisions.is_empty());
    }

    #[test]
    fn clones_collide_in_every_field_until_fixed() {
        let mut w = two_clones();
        let v = network_view(&w, "default");
        let fields: Vec<Field> = v.collisions.iter().map(|c| c.field).collect();
        assert_eq!(fields, [Field::MachineId, Field::ClientId, Field::Ip, Field::HostKey, Field::Hostname]);
        for c in &v.collisions {
            assert_eq!(c.domains, ["web1", "web2"], "bookworm is shut off: {c:?}");
        }
        let (a, b) = (v.guest("web1").unwrap(), v.guest("web2").unwrap());
        assert_ne!(a.mac, b.mac);
        assert_eq!(v.collision("web1", Field::Ip).unwrap().value, a.ip.clone().unwrap());
        assert_eq!(a.machine_id, v.guest("bookworm").unwrap().machine_id, "the clone copied the template's ID");

        // A new ID on disk: the machine ID no longer collides, the lease does until a reboot.
        run(&mut w, &["virsh console web2", "rm -f /etc/machine-id", "dbus-uuidgen --ensure=/etc/machine-id"]);
        let v = network_view(&w, "default");
        assert!(v.collision("web2", Field::MachineId).is_none());
        assert!(v.collision("web2", Field::Ip).is_some());
        assert_ne!(v.guest("web2").unwrap().machine_id, v.guest("web2").unwrap().booted_id);
        run(&mut w, &["rm /etc/ssh/ssh_host_*", "ssh-keygen -A", "hostnamectl set-hostname web2", "reboot"]);
        let v = network_view(&w, "default");
        assert!(v.collisions.is_empty(), "{:?}", v.collisions);
        let (a, b) = (v.guest("web1").unwrap(), v.guest("web2").unwrap());
        assert_ne!(a.ip, b.ip);
        assert_eq!(b.machine_id, b.booted_id);
        assert_eq!(b.hostname.as_deref(), Some("web2"));
    }

    #[test]
    fn shut_off_guests_do_not_collide() {
        let mut w = two_clones();
        run(&mut w, &["virsh destroy web2"]);
        let v = network_view(&w, "default");
        assert!(v.collisions.is_empty(), "{:?}", v.collisions);
        let b = v.guest("web2").unwrap();
        assert!(!b.running);
        assert_eq!(b.ip, None);
        assert_eq!(b.machine_id, v.guest("web1").unwrap().machine_id, "read back from web2's disk");
    }
}
