//! Powering a guest on and off: its file system comes from its disk image and goes back to it,
//! and the boot does what systemd 252 does with the machine ID, the journal, the network and
//! sshd.

use super::GuestState;
use super::ids::dhcp_client_id;
use super::os::new_machine_id;
use crate::sim::libvirt::network::Lease;
use crate::sim::vfs::{ROOT, RegularFile, Vfs};
use crate::sim::world::{Machine, MachineKind};
use crate::sim::{MachineId, World};

/// The image path of a domain's first disk.
fn boot_disk(world: &World, domain: &str) -> Option<String> {
    let d = world.libvirt.domains.get(domain)?;
    d.def.disks.iter().find(|k| k.device == "disk").and_then(|k| k.source.clone())
}

fn host_file<'w>(world: &'w World, path: &str) -> Option<&'w RegularFile> {
    let fs = &world.machines[0].fs;
    fs.resolve(ROOT, path, true).ok().and_then(|i| fs.file(i).ok())
}

/// The guest OS on a host image, or on the first image of its backing chain that has one.
pub fn image_guest_fs<'w>(world: &'w World, path: &str) -> Option<&'w Vfs> {
    let mut path = path.to_owned();
    for _ in 0..16 {
        let file = host_file(world, &path)?;
        if let Some(g) = &file.guest {
            return Some(g);
        }
        let backing = file.qcow2.as_ref()?.backing_file.as_deref()?;
        path = crate::sim::disk::chain::path_combine(&path, backing);
    }
    None
}

/// The machine of a domain's guest, if it has one.
pub fn machine_of(world: &World, domain: &str) -> Option<MachineId> {
    world.machines.iter().position(|m| m.guest.as_ref().is_some_and(|g| g.domain == domain))
}

fn read(fs: &Vfs, path: &str) -> Option<String> {
    fs.read_text(ROOT, path, 4096)
}

fn valid_id(text: &str) -> bool {
    let t = text.trim_end_matches('\n');
    t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit())
}

/// Boots the guest of a domain that libvirt has just started. A disk without an OS boots
/// nothing (the domain runs, but no machine appears).
pub fn power_on(world: &mut World, domain: &str) {
    let Some(disk) = boot_disk(world, domain) else { return };
    let Some(mut fs) = image_guest_fs(world, &disk).cloned() else { return };
    let now = world.clock;
    let def = world.libvirt.domains[domain].def.clone();
    // systemd: the machine ID (machine-id(5) first-boot rules).
    let current = read(&fs, "/etc/machine-id");
    // A new ID comes, as systemd 252 takes it, from a valid D-Bus machine ID file, else (on KVM)
    // from the VM's UUID — libvirt's domain UUID, which virt-clone renews.
    let dbus = fs
        .resolve(ROOT, "/var/lib/dbus/machine-id", false)
        .ok()
        .and_then(|i| fs.file(i).ok())
        .map(|f| String::from_utf8_lossy(&f.read_all(64)).into_owned())
        .filter(|t| valid_id(t));
    let fresh = dbus.map_or_else(|| def.uuid.replace('-', ""), |t| t.trim_end().to_lowercase());
    let (id, first_boot) = match current.as_deref() {
        Some(text) if valid_id(text) => (text.trim_end().to_lowercase(), false),
        Some(text) if text.trim_end() == "uninitialized" => (fresh, true),
        Some(_) => (fresh, false),
        None => (fresh, true),
    };
    if current.as_deref().is_none_or(|t| !valid_id(t)) {
        let mode =
            fs.resolve(ROOT, "/etc/machine-id", true).ok().and_then(|i| fs.node(i)).map_or(0o444, |n| n.mode & 0o7777);
        let _ = fs.put_file("/etc/machine-id", format!("{id}\n").as_bytes(), mode, now);
    }
    // journald: persistent logs under the machine ID.
    let journal = format!("/var/log/journal/{id}");
    let _ = fs.mkdir_p(&journal, 0o2755, now);
    if fs.resolve(ROOT, &format!("{journal}/system.journal"), false).is_err() {
        let _ = fs.put_file(&format!("{journal}/system.journal"), &[], 0o640, now);
    }
    let iface = if def.machine.contains("q35") { "enp1s0" } else { "ens3" }.to_owned();
    let mac = def.interfaces.first().map(|i| i.mac.clone()).unwrap_or_default();
    let boot_id = new_machine_id(&mut world.rng);
    let slot = machine_of(world, domain);
    let mut boots = slot.and_then(|m| world.machines[m].guest.as_ref()).map(|g| g.boots.clone()).unwrap_or_default();
    boots.push((id.clone(), boot_id.clone(), now));
    let state = GuestState {
        domain: domain.to_owned(),
        running: true,
        boot_id,
        boots,
        iface: iface.clone(),
        mac: mac.clone(),
        ip: None,
        client_id: None,
        sshd: false,
        first_boot,
        cloud_init: None,
    };
    let machine = Machine {
        name: domain.to_owned(),
        kind: MachineKind::Guest,
        fs,
        cwd: "/root".to_owned(),
        env: world.machines[0].env.clone(),
        status: 0,
        history: slot.map(|m| world.machines[m].history.clone()).unwrap_or_default(),
        guest: Some(state),
    };
    let m = match slot {
        Some(m) => {
            world.machines[m] = machine;
            m
        }
        None => {
            world.machines.push(machine);
            world.machines.len() - 1
        }
    };
    // cloud-init's Detect and Local stages run before the network is up (the host name it sets
    // there is the one the DHCP request carries).
    let pending = crate::sim::cloud_init::boot::before_network(world, m);
    // systemd-networkd: DHCP on the NIC.
    let fs = &world.machines[m].fs;
    let hostname = read(fs, "/etc/hostname").map_or_else(|| "localhost".to_owned(), |h| h.trim().to_owned());
    let dhcp = fs
        .resolve(ROOT, "/etc/systemd/network", true)
        .ok()
        .and_then(|d| fs.entries(d).ok().map(|e| e.keys().cloned().collect::<Vec<_>>()))
        .unwrap_or_default()
        .iter()
        .any(|n| {
            n.ends_with(".network")
                && read(fs, &format!("/etc/systemd/network/{n}"))
                    .is_some_and(|t| t.contains("DHCP=yes") || t.contains("DHCP=ipv4"))
        });
    let client_id = if dhcp && !mac.is_empty() { dhcp_client_id(&id, &iface) } else { None };
    let network = def.interfaces.first().map(|i| i.network.clone());
    let ip = match (&client_id, &network) {
        (Some(cid), Some(net)) => dhcp_lease(world, net, cid, &mac, &hostname, now),
        _ => None,
    };
    if let Some(g) = world.machines[m].guest.as_mut() {
        g.ip = ip;
        g.client_id = client_id;
    }
    // cloud-init's Network, Config and Final stages (the host keys are made before sshd).
    if let Some(pending) = pending {
        crate::sim::cloud_init::boot::after_network(world, m, pending);
    }
    // sshd starts only with host keys.
    let fs = &world.machines[m].fs;
    let sshd = ["rsa", "ecdsa", "ed25519"]
        .iter()
        .any(|k| fs.resolve(ROOT, &format!("/etc/ssh/ssh_host_{k}_key"), false).is_ok());
    if let Some(g) = world.machines[m].guest.as_mut() {
        g.sshd = sshd;
    }
}

/// dnsmasq: the lease for a client ID. A client ID it knows gets its address again — even from
/// another MAC, which is how two clones end up with one address. A new one gets a free address
/// picked from a hash of its MAC.
pub fn dhcp_lease(
    world: &mut World,
    network: &str,
    client_id: &str,
    mac: &str,
    hostname: &str,
    now: i64,
) -> Option<String> {
    let net = world.libvirt.networks.get_mut(network).filter(|n| n.active && !n.range_start.is_empty())?;
    let expiry = now + 3600;
    if let Some(l) = net.leases.iter_mut().find(|l| l.client_id.as_deref() == Some(client_id)) {
        l.mac = mac.to_owned();
        l.expiry = expiry;
        l.hostname = Some(hostname.to_owned());
        return Some(l.ip.clone());
    }
    let prefix = net.range_start.rsplit_once('.').map_or("192.168.122", |(p, _)| p).to_owned();
    let lo: u32 = net.range_start.rsplit('.').next().and_then(|x| x.parse().ok()).unwrap_or(2);
    let hi: u32 = net.range_end.rsplit('.').next().and_then(|x| x.parse().ok()).unwrap_or(254);
    let span = hi - lo + 1;
    let hash = mac.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let ip = (0..span)
        .map(|k| format!("{prefix}.{}", lo + (hash.wrapping_add(k)) % span))
        .find(|ip| !net.leases.iter().any(|l| &l.ip == ip))?;
    net.leases.push(Lease {
        expiry,
        mac: mac.to_owned(),
        ip: ip.clone(),
        hostname: Some(hostname.to_owned()),
        client_id: Some(client_id.to_owned()),
    });
    Some(ip)
}

/// The guest of a domain that stops: its files go back onto its disk image, its shell ends.
pub fn power_off(world: &mut World, domain: &str) {
    let Some(m) = machine_of(world, domain) else { return };
    if world.machines[m].guest.as_ref().is_some_and(|g| !g.running) {
        return;
    }
    let fs = world.machines[m].fs.clone();
    if let Some(g) = world.machines[m].guest.as_mut() {
        g.running = false;
        g.ip = None;
        g.sshd = false;
    }
    if world.current == m || world.return_to.iter().any(|(r, _)| *r == m) {
        world.current = world.return_to.first().map(|(r, _)| *r).filter(|&r| r != m).unwrap_or(0);
        world.return_to.clear();
    }
    let Some(disk) = boot_disk(world, domain) else { return };
    let now = world.clock;
    let host = &mut world.machines[0].fs;
    if let Ok(ino) = host.resolve(ROOT, &disk, true)
        && let Ok(file) = host.file_mut(ino, now)
    {
        file.guest = Some(Box::new(fs));
    }
}
