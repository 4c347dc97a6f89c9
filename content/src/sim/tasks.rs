//! Simulator tasks are graded by the state of the world, not by what was typed: each quiz
//! `SimTask` names one of these checks.

use crate::sim::World;
use crate::sim::guest::ids::{base64_decode, fingerprint};
use crate::sim::libvirt::DomainDef;
use crate::sim::vfs::ROOT;

/// The checks GuestLab can evaluate, and those whose simulator is still to come (they are valid
/// names in lessons, but cannot be graded yet).
pub const CHECKS: &[&str] = &[
    "domain-autostart-link",
    "domain-cloned",
    "clones-have-distinct-ips",
    "clones-are-unique",
    "guest-hypervisor-identified",
    "cow-vs-raw-compared",
    "instance-hostname-web1",
    "instances-are-unique",
];
pub const PENDING_CHECKS: &[&str] = &[];

/// Whether `id` names a check (evaluable or pending).
pub fn is_known(id: &str) -> bool {
    CHECKS.contains(&id) || PENDING_CHECKS.contains(&id)
}

/// Grades a task: `Some(passed)`, or `None` for a check that cannot be evaluated (yet).
pub fn check(world: &World, id: &str) -> Option<bool> {
    Some(match id {
        "domain-autostart-link" => world.libvirt.domains.values().any(|d| {
            d.autostart
                && world.machines[0]
                    .fs
                    .resolve(ROOT, &format!("/etc/libvirt/qemu/autostart/{}.xml", d.def.name), false)
                    .is_ok()
        }),
        "domain-cloned" => {
            let defs: Vec<&DomainDef> = world.libvirt.domains.values().map(|d| &d.def).collect();
            defs.iter().enumerate().any(|(i, a)| defs[i + 1..].iter().any(|b| same_but_identity(a, b)))
        }
        "clones-have-distinct-ips" => {
            let ips = running_values(world, |g, _| g.ip.clone());
            ips.len() >= 2 && all_distinct(&ips)
        }
        "clones-are-unique" => {
            let ips = running_values(world, |g, _| g.ip.clone());
            let ids = running_values(world, |_, m| read(m, "/etc/machine-id").map(|t| t.trim().to_owned()));
            let keys = running_values(world, |_, m| {
                read(m, "/etc/ssh/ssh_host_ed25519_key.pub")
                    .and_then(|t| t.split_whitespace().nth(1).and_then(base64_decode))
                    .map(|b| fingerprint(&b))
            });
            ips.len() >= 2 && all_distinct(&ips) && all_distinct(&ids) && keys.len() == ips.len() && all_distinct(&keys)
        }
        "guest-hypervisor-identified" => world.machines.iter().filter(|m| m.guest.is_some()).any(|m| {
            m.history.iter().any(|l| {
                l.contains("systemd-detect-virt")
                    || (l.contains("/proc/cpuinfo") && l.contains("hypervisor"))
                    || l.contains("hostnamectl")
            })
        }),
        "cow-vs-raw-compared" => same_write_on_raw_and_qcow2(world),
        "instance-hostname-web1" => cloud_instances(world).iter().any(|i| i.hostname == "web1" && i.set_by_cloud_init),
        "instances-are-unique" => {
            let all = cloud_instances(world);
            let field = |f: fn(&CloudInstance) -> &str| all.iter().map(|i| f(i).to_owned()).collect::<Vec<_>>();
            all.len() >= 2
                && all_distinct(&field(|i| &i.instance_id))
                && all_distinct(&field(|i| &i.hostname))
                && all_distinct(&field(|i| &i.host_key))
        }
        _ => return None,
    })
}

/// A running guest that cloud-init configured (its last boot found a datasource).
struct CloudInstance {
    instance_id: String,
    hostname: String,
    /// cloud-init set the host name (its `set-hostname` record names the current one).
    set_by_cloud_init: bool,
    /// The fingerprint of the ED25519 host key.
    host_key: String,
}

fn cloud_instances(world: &World) -> Vec<CloudInstance> {
    world
        .machines
        .iter()
        .filter_map(|m| {
            let g = m.guest.as_ref().filter(|g| g.running)?;
            let boot = g.cloud_init.as_deref().filter(|b| b.enabled)?;
            let hostname = m.hostname();
            let record = read(m, "/var/lib/cloud/data/set-hostname").unwrap_or_default();
            let set_by_cloud_init = record.contains(&format!("\"hostname\": \"{hostname}\""));
            let host_key = read(m, "/etc/ssh/ssh_host_ed25519_key.pub")
                .and_then(|t| t.split_whitespace().nth(1).and_then(base64_decode))
                .map(|b| fingerprint(&b))
                .unwrap_or_default();
            Some(CloudInstance { instance_id: boot.instance_id.clone()?, hostname, set_by_cloud_init, host_key })
        })
        .collect()
}

/// The host ran the same `qemu-io` write (the same `-c` commands) on a RAW image and on a
/// qcow2 image, as the Disk images screen's activities do for its side-by-side images; the
/// comparison itself is what the learner sees (sizes, cluster maps, `ls -ls`, `du`).
fn same_write_on_raw_and_qcow2(world: &World) -> bool {
    let mut raw: Vec<String> = Vec::new();
    let mut qcow2: Vec<String> = Vec::new();
    for line in &world.machines[0].history {
        let Some(rest) = line.trim_start().strip_prefix("qemu-io ") else {
            continue;
        };
        let mut format = None;
        let mut commands = Vec::new();
        let mut words = rest.split_whitespace();
        while let Some(word) = words.next() {
            if word == "-f" {
                format = words.next();
            }
        }
        // The -c arguments as written: '...' after each -c.
        let mut tail = rest;
        while let Some(at) = tail.find("-c '") {
            let after = &tail[at + 4..];
            let Some(end) = after.find('\'') else { break };
            commands.push(&after[..end]);
            tail = &after[end + 1..];
        }
        if !commands.iter().any(|c| c.starts_with("write")) {
            continue;
        }
        let key = commands.join(";");
        match format {
            Some("raw") => raw.push(key),
            Some("qcow2") => qcow2.push(key),
            _ => {}
        }
    }
    raw.iter().any(|k| qcow2.contains(k))
}

fn read(m: &crate::sim::Machine, path: &str) -> Option<String> {
    m.fs.read_text(ROOT, path, 4096)
}

/// One value per running guest (guests without the value are left out).
fn running_values(
    world: &World,
    value: impl Fn(&crate::sim::guest::GuestState, &crate::sim::Machine) -> Option<String>,
) -> Vec<String> {
    world.machines.iter().filter_map(|m| m.guest.as_ref().filter(|g| g.running).and_then(|g| value(g, m))).collect()
}

fn all_distinct(values: &[String]) -> bool {
    values.iter().enumerate().all(|(i, v)| !values[i + 1..].contains(v))
}

/// Two definitions that differ only where virt-clone makes them differ: name, UUID, MACs and
/// disk paths.
fn same_but_identity(a: &DomainDef, b: &DomainDef) -> bool {
    let mut b = b.clone();
    b.name.clone_from(&a.name);
    b.uuid.clone_from(&a.uuid);
    for (x, y) in b.interfaces.iter_mut().zip(&a.interfaces) {
        x.mac.clone_from(&y.mac);
    }
    for (x, y) in b.disks.iter_mut().zip(&a.disks) {
        x.source.clone_from(&y.source);
    }
    &b == a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_write_on_raw_and_qcow2_is_a_comparison() {
        let mut w = World::new(1);
        w.run("qemu-img create -f raw a.img 1G; qemu-img create -f qcow2 b.qcow2 1G");
        w.run("qemu-io -f raw -c 'write -P 0x55 0 1M' a.img");
        assert_eq!(check(&w, "cow-vs-raw-compared"), Some(false), "only the RAW image so far");
        w.run("qemu-io -f qcow2 -c 'write -P 0x55 4M 1M' b.qcow2");
        assert_eq!(check(&w, "cow-vs-raw-compared"), Some(false), "another write is not the same activity");
        w.run("qemu-io -f qcow2 -c 'read 0 1M' b.qcow2");
        assert_eq!(check(&w, "cow-vs-raw-compared"), Some(false), "a read writes nothing");
        w.run("qemu-io -f qcow2 -c 'write -P 0x55 0 1M' b.qcow2 > /dev/null");
        assert_eq!(check(&w, "cow-vs-raw-compared"), Some(true));
    }

    #[test]
    fn tasks_are_graded_by_the_world() {
        let mut w = World::with_sample_vm(1);
        assert_eq!(check(&w, "domain-autostart-link"), Some(false));
        w.run("virsh autostart bookworm");
        assert_eq!(check(&w, "domain-autostart-link"), Some(true));
        assert_eq!(check(&w, "domain-cloned"), Some(false));
        for line in [
            "virsh net-start default",
            "virt-clone --original bookworm --name web1 --auto-clone",
            "virt-clone --original bookworm --name web2 --auto-clone",
            "virsh start web1",
            "virsh start web2",
        ] {
            w.run(line);
        }
        assert_eq!(check(&w, "domain-cloned"), Some(true));
        assert_eq!(check(&w, "clones-have-distinct-ips"), Some(false));
        assert_eq!(check(&w, "guest-hypervisor-identified"), Some(false));
        // Typed line by line, as in the terminal: each line goes to the machine the shell is on.
        for line in [
            "virsh console web2",
            "systemd-detect-virt",
            "truncate -s 0 /etc/machine-id",
            "rm /var/lib/dbus/machine-id",
            "systemd-machine-id-setup",
            "reboot",
        ] {
            w.run(line);
        }
        assert_eq!(check(&w, "guest-hypervisor-identified"), Some(true));
        assert_eq!(check(&w, "clones-have-distinct-ips"), Some(true));
        assert_eq!(check(&w, "clones-are-unique"), Some(false), "the host keys are still shared");
        w.run("virsh console web2; rm /etc/ssh/ssh_host_*; ssh-keygen -A; reboot");
        assert_eq!(check(&w, "clones-are-unique"), Some(true));
        assert_eq!(check(&w, "instances-are-unique"), Some(false));
        assert_eq!(check(&w, "cow-vs-raw-compared"), Some(false));
        assert_eq!(check(&w, "no-such-check"), None);
    }
}
