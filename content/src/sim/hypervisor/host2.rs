//! The second KVM host, `host2`, that `virsh migrate … qemu+ssh://host2/system` moves domains
//! to. It is a whole host — its own file system with libvirt installed, its own libvirt state,
//! its own guests — kept beside the lab's host in [`World::host2`] and made on first use.
//!
//! Every libvirt command works on "the world's host": `machines[0]` and `World::libvirt`. To
//! run one on host2, the two hosts are swapped for the duration of the command
//! ([`on_other_host`]), so the same code (the same files, messages and rules) runs there.
//! The learner reaches host2 through `virsh -c qemu+ssh://host2/system` with the read-only
//! commands and `migrate`; GuestLab opens no shell on host2.

use crate::sim::libvirt::{DomainState, Libvirt, setup};
use crate::sim::shell::Ctx;
use crate::sim::vfs::ROOT;
use crate::sim::world::{Machine, World};

/// The second host's name.
pub const HOST2: &str = "host2";

/// The SMBIOS UUIDs of the two hosts (what libvirt compares to refuse a migration to itself).
pub const HOST_UUID: &str = "4c4c4544-0042-3510-8052-b4c04f4e4d32";
pub const HOST2_UUID: &str = "4c4c4544-0057-4410-8036-c7c04f395a32";

/// The host that is not the world's host at the moment: its machines (`[0]` is the host
/// itself, then its running guests) and its libvirt daemon.
#[derive(Clone, Debug, PartialEq)]
pub struct Host2 {
    pub machines: Vec<Machine>,
    pub libvirt: Libvirt,
}

/// The virsh commands GuestLab runs on the other host: those that only look, and `migrate`.
pub const REMOTE_COMMANDS: &[&str] = &[
    "list",
    "dominfo",
    "domstate",
    "domid",
    "domuuid",
    "dumpxml",
    "domblklist",
    "domiflist",
    "net-list",
    "net-info",
    "net-dumpxml",
    "pool-list",
    "vol-list",
    "migrate",
];

fn swap(world: &mut World, other: &mut Host2) {
    std::mem::swap(&mut world.machines, &mut other.machines);
    std::mem::swap(&mut world.libvirt, &mut other.libvirt);
}

/// A fresh host2: Debian 12 with libvirt, the pool `default` and the network `default`
/// running — a host prepared to take guests.
fn new_host2(world: &mut World) -> Host2 {
    let now = world.clock;
    let mut machine = crate::sim::host::debian_host(now);
    machine.name = HOST2.to_owned();
    let id = crate::sim::guest::os::new_machine_id(&mut world.rng);
    let hosts = "127.0.0.1\tlocalhost\n127.0.1.1\thost2\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n";
    for (path, text, mode) in [
        ("/etc/hostname", "host2\n".to_owned(), 0o644),
        ("/etc/hosts", hosts.to_owned(), 0o644),
        ("/etc/machine-id", format!("{id}\n"), 0o444),
        ("/var/lib/dbus/machine-id", format!("{id}\n"), 0o644),
        ("/sys/class/dmi/id/product_uuid", format!("{HOST2_UUID}\n"), 0o400),
    ] {
        let _ = machine.fs.mkdir_p(path.rsplit_once('/').map_or("/", |(d, _)| d), 0o755, now);
        let _ = machine.fs.put_file(path, text.as_bytes(), mode, now);
    }
    let mut host2 = Host2 { machines: vec![machine], libvirt: Libvirt::default() };
    swap(world, &mut host2);
    setup::install(world);
    setup::define_default_pool(world);
    let mut ctx = Ctx::new(world, Vec::new());
    let argv: Vec<String> = ["virsh", "net-start", "default"].map(str::to_owned).to_vec();
    crate::sim::libvirt::virsh::virsh(&mut ctx, &argv);
    swap(world, &mut host2);
    host2
}

/// The other host, made if it does not exist yet.
pub fn ensure(world: &mut World) -> &mut Host2 {
    if world.host2.is_none() {
        let host2 = new_host2(world);
        world.host2 = Some(Box::new(host2));
    }
    world.host2.get_or_insert_with(|| Box::new(Host2 { machines: Vec::new(), libvirt: Libvirt::default() }))
}

/// The name of the world's host and of the other host.
pub fn host_names(world: &World) -> (String, String) {
    let here = world.machines[0].hostname();
    let there =
        world.host2.as_ref().and_then(|h| h.machines.first()).map_or_else(|| HOST2.to_owned(), Machine::hostname);
    (here, there)
}

/// Runs `f` with the other host as the world's host (made first if needed); meanwhile
/// [`World::host2`] holds the lab's host, so that a migration from there comes back here. The
/// shell is put on the host for the duration (libvirt commands run on hosts, not in guests).
pub fn on_other_host<R>(world: &mut World, f: impl FnOnce(&mut World) -> R) -> R {
    ensure(world);
    let Some(mut other) = world.host2.take() else { return f(world) };
    swap(world, &mut other);
    let (current, return_to) = (world.current, std::mem::take(&mut world.return_to));
    world.current = 0;
    world.host2 = Some(other);
    let result = f(world);
    if let Some(mut other) = world.host2.take() {
        swap(world, &mut other);
        world.host2 = Some(other);
    }
    world.current = current;
    world.return_to = return_to;
    result
}

/// The host name in a libvirt URI such as `qemu+ssh://root@host2/system`.
pub fn uri_host(uri: &str) -> Option<&str> {
    let rest = uri
        .strip_prefix("qemu+ssh://")
        .or_else(|| uri.strip_prefix("qemu+tcp://"))
        .or_else(|| uri.strip_prefix("qemu+tls://"))?;
    let (authority, path) = rest.split_once('/')?;
    if path != "system" {
        return None;
    }
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split_once(':').map_or(host, |(h, _)| h);
    (!host.is_empty()).then_some(host)
}

/// What the two-hosts picture shows of one host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostView {
    pub name: String,
    /// Every domain: name, state, and whether it has a persistent definition (config file).
    pub domains: Vec<(String, DomainState, bool)>,
    /// The files of the watched domain: path and whether it exists on this host.
    pub files: Vec<(String, bool)>,
}

/// Both hosts as the migration view draws them, with the files of `domain`.
pub fn hosts_view(world: &World, domain: &str) -> [HostView; 2] {
    let image = world
        .libvirt
        .domains
        .get(domain)
        .or_else(|| world.host2.as_ref().and_then(|h| h.libvirt.domains.get(domain)))
        .and_then(|d| d.def.disks.iter().find(|k| k.device == "disk").and_then(|k| k.source.clone()))
        .unwrap_or_else(|| format!("/var/lib/libvirt/images/{domain}.qcow2"));
    let paths = [format!("/etc/libvirt/qemu/{domain}.xml"), format!("/run/libvirt/qemu/{domain}.xml"), image];
    let view = |machine: Option<&Machine>, libvirt: Option<&Libvirt>, fallback: &str| HostView {
        name: machine.map_or_else(|| fallback.to_owned(), Machine::hostname),
        domains: libvirt
            .map(|l| {
                l.domains
                    .values()
                    .map(|d| {
                        let persistent = machine.is_some_and(|m| {
                            m.fs.resolve(ROOT, &format!("/etc/libvirt/qemu/{}.xml", d.def.name), false).is_ok()
                        });
                        (d.def.name.clone(), d.state, persistent)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        files: paths
            .iter()
            .map(|p| (p.clone(), machine.is_some_and(|m| m.fs.resolve(ROOT, p, false).is_ok())))
            .collect(),
    };
    let other = world.host2.as_ref();
    [
        view(world.machines.first(), Some(&world.libvirt), "host"),
        view(other.and_then(|h| h.machines.first()), other.map(|h| &h.libvirt), HOST2),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_name_their_host() {
        assert_eq!(uri_host("qemu+ssh://host2/system"), Some("host2"));
        assert_eq!(uri_host("qemu+ssh://root@host2/system"), Some("host2"));
        assert_eq!(uri_host("qemu+ssh://root@host2:22/system"), Some("host2"));
        assert_eq!(uri_host("qemu+tcp://host2/system"), Some("host2"));
        assert_eq!(uri_host("qemu+ssh://host2/session"), None);
        assert_eq!(uri_host("qemu:///system"), None);
    }

    #[test]
    fn host2_is_a_prepared_kvm_host_of_its_own() {
        let mut w = World::with_sample_vm(1);
        let rng_before = w.rng.clone();
        assert!(w.host2.is_none());
        let names = on_other_host(&mut w, |w| {
            (w.machine().hostname(), w.libvirt.domains.len(), w.libvirt.networks["default"].active)
        });
        assert_eq!(names, ("host2".to_owned(), 0, true));
        assert_ne!(w.rng, rng_before, "host2's machine ID and network come from the world's generator");
        assert_eq!(w.machine().hostname(), "host");
        assert_eq!(host_names(&w), ("host".to_owned(), "host2".to_owned()));
        let [a, b] = hosts_view(&w, "bookworm");
        assert_eq!(a.domains, [("bookworm".to_owned(), DomainState::ShutOff, true)]);
        assert_eq!(
            a.files,
            [
                ("/etc/libvirt/qemu/bookworm.xml".to_owned(), true),
                ("/run/libvirt/qemu/bookworm.xml".to_owned(), false),
                ("/var/lib/libvirt/images/bookworm.qcow2".to_owned(), true),
            ]
        );
        assert_eq!(b.name, "host2");
        assert!(b.domains.is_empty() && b.files.iter().all(|(_, e)| !e));
        // While swapped, the lab's host is "the other host".
        let inside = on_other_host(&mut w, |w| host_names(w));
        assert_eq!(inside, ("host2".to_owned(), "host".to_owned()));
    }
}
