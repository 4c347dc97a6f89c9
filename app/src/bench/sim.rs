//! Simulator throughput beyond the disk-image figures of `bench.rs`: reads through a backing
//! chain three deep, 1,000-line scripts for the libvirt, cloning and cloud-init simulators, and
//! a large domain XML given to `virsh define`.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use guestlab_content::sim::World;

use super::report::{Report, format_duration, median};

/// Runs `script` in clones of `world` `runs` times; the median time and the last output.
fn time_script(world: &World, script: &str, runs: usize) -> (Duration, guestlab_content::sim::Output) {
    let mut times = Vec::with_capacity(runs);
    let mut last = guestlab_content::sim::Output::default();
    for _ in 0..runs {
        let mut w = world.clone();
        let started = Instant::now();
        last = w.run(script);
        times.push(started.elapsed());
    }
    (median(times), last)
}

/// A 4 GiB base image with 64 MiB of data spread over it, an overlay over it and one over that,
/// each with writes of its own.
fn chain_world() -> World {
    let mut world = World::new(1);
    let mut setup = String::from("cd /var/lib/libvirt/images\nqemu-img create -q -f qcow2 base.qcow2 4G\n");
    for i in 0..64 {
        let _ = writeln!(setup, "qemu-io -c 'write -P {} {}M 1M' base.qcow2 > /dev/null", i + 1, i * 61);
    }
    setup.push_str("qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 mid.qcow2\n");
    for i in 0..64 {
        let _ = writeln!(setup, "qemu-io -c 'write -P 200 {}M 256k' mid.qcow2 > /dev/null", i * 59 + 7);
    }
    setup.push_str("qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 top.qcow2\n");
    for i in 0..64 {
        let _ = writeln!(setup, "qemu-io -c 'write -z {}M 64k' top.qcow2 > /dev/null", i * 53 + 3);
    }
    let _ = world.run(&setup);
    world
}

/// 1,000 lines over ten domains: define, start, inspect, snapshot, stop, undefine, and the
/// networks and pools.
fn libvirt_script() -> String {
    let mut s = String::from("virsh net-start default > /dev/null\n");
    for i in 0..10 {
        let _ = writeln!(
            s,
            "qemu-img create -q -f qcow2 /var/lib/libvirt/images/d{i}.qcow2 8G\ncat > /root/d{i}.xml <<'EOF'\n<domain type='kvm'><name>d{i}</name><memory unit='MiB'>512</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/d{i}.qcow2'/><target dev='vda' bus='virtio'/></disk><interface type='network'><source network='default'/><model type='virtio'/></interface><console type='pty'/></devices></domain>\nEOF"
        );
    }
    // Each step for all ten domains, then the next step; round after round.
    let mut round = 0;
    'rounds: loop {
        for step in 0..16 {
            for i in 0..10 {
                let d = format!("d{i}");
                let line = match step {
                    0 => format!("virsh define /root/{d}.xml"),
                    1 => format!("virsh start {d}"),
                    2 => "virsh list --all".to_owned(),
                    3 => format!("virsh dominfo {d}"),
                    4 => format!("virsh dumpxml {d}"),
                    5 => format!("virsh domblklist {d} --details"),
                    6 => format!("virsh domiflist {d}"),
                    7 => format!("virsh snapshot-create-as {d} s{round}"),
                    8 => format!("virsh snapshot-list {d}"),
                    9 => format!("virsh autostart {d}"),
                    10 => "virsh net-dhcp-leases default".to_owned(),
                    11 => "virsh pool-list --all".to_owned(),
                    12 => "virsh vol-list default".to_owned(),
                    13 => format!("virsh destroy {d}"),
                    14 => format!("virsh snapshot-delete {d} s{round}"),
                    _ => format!("virsh undefine {d}"),
                };
                let _ = writeln!(s, "{line} > /dev/null");
                if s.lines().count() >= 1000 {
                    break 'rounds;
                }
            }
        }
        round += 1;
    }
    s
}

/// 1,000 lines of the cloning lab: clones, their identities, sysprep, machine IDs.
fn cloning_script() -> String {
    let mut s = String::from("virsh net-start default > /dev/null\n");
    let mut n = 0;
    while s.lines().count() < 1000 {
        let c = format!("c{}", n / 12);
        let line = match n % 12 {
            0 => format!("virt-clone --original bookworm --name {c} --auto-clone"),
            1 => format!("virt-sysprep -d {c} --operations machine-id,ssh-hostkeys"),
            2 => format!("virsh start {c}"),
            3 => "virsh net-dhcp-leases default".to_owned(),
            4 => "dbus-uuidgen".to_owned(),
            5 => "systemd-id128 new".to_owned(),
            6 => "cat /etc/machine-id".to_owned(),
            7 => format!("virsh domiflist {c}"),
            8 => "systemd-machine-id-setup --print".to_owned(),
            9 => format!("virsh destroy {c}"),
            10 => format!("virsh undefine {c} --remove-all-storage"),
            _ => "virsh list --all".to_owned(),
        };
        let _ = writeln!(s, "{line} > /dev/null");
        n += 1;
    }
    s
}

/// 1,000 lines on cloud-init's host side: seeds made from user-data, schema checks, status.
fn cloud_init_script() -> String {
    let mut s = String::from(
        "cat > user-data <<'EOF'\n#cloud-config\nhostname: web1\npackage_update: true\npackages: [nginx, git]\nusers:\n  - name: alice\n    sudo: ALL=(ALL) NOPASSWD:ALL\n    ssh_authorized_keys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB alice@laptop]\nruncmd:\n  - [systemctl, enable, --now, nginx]\nEOF\nprintf 'instance-id: web1\\nlocal-hostname: web1\\n' > meta-data\n",
    );
    let mut n = 0;
    while s.lines().count() < 1000 {
        let line = match n % 5 {
            0 => "cloud-init schema --config-file user-data".to_owned(),
            1 => format!("cloud-localds seed{}.iso user-data meta-data", n % 7),
            2 => format!("printf 'instance-id: web{n}\\nlocal-hostname: web{n}\\n' > meta-data"),
            3 => "grep -c hostname user-data meta-data".to_owned(),
            _ => format!("rm -f seed{}.iso", (n + 3) % 7),
        };
        let _ = writeln!(s, "{line} > /dev/null");
        n += 1;
    }
    s
}

/// A domain with 200 disks, 100 network interfaces and the usual devices: about 110 KB of XML.
fn large_domain_xml() -> String {
    let mut xml = String::from(
        "<domain type='kvm'>\n  <name>large</name>\n  <memory unit='GiB'>64</memory>\n  <vcpu placement='static'>32</vcpu>\n  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>\n  <features><acpi/><apic/></features>\n  <cpu mode='host-passthrough'/>\n  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n",
    );
    for i in 0..200 {
        let dev = format!("vd{}{}", char::from(b'a' + (i / 26) as u8), char::from(b'a' + (i % 26) as u8));
        let _ = writeln!(
            xml,
            "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2' cache='none'/>\n      <source file='/var/lib/libvirt/images/large-{i}.qcow2'/>\n      <target dev='{dev}' bus='virtio'/>\n    </disk>"
        );
    }
    for i in 0..100 {
        let _ = writeln!(
            xml,
            "    <interface type='network'>\n      <mac address='52:54:00:{:02x}:{:02x}:01'/>\n      <source network='default'/>\n      <model type='virtio'/>\n    </interface>",
            i / 256,
            i % 256
        );
    }
    xml.push_str("    <console type='pty'/>\n    <graphics type='vnc' port='-1' autoport='yes'/>\n    <video><model type='virtio'/></video>\n  </devices>\n</domain>\n");
    xml
}

pub fn run(report: &mut Report) {
    // Reads through a chain three deep: every byte of the 4 GiB disk, and its map.
    let world = chain_world();
    let (read, out) = time_script(&world, "cd /var/lib/libvirt/images && qemu-io -c 'read 0 4G' top.qcow2", 5);
    report.row(
        "backing chain 3 deep (4 GiB, 64+64+64 writes): qemu-io read of all 4 GiB (median of 5)",
        format_duration(read),
        "< 50 ms",
        read < Duration::from_millis(50) && out.status == 0,
    );
    let (map, out) = time_script(&world, "cd /var/lib/libvirt/images && qemu-img map --output=json top.qcow2", 5);
    report.row(
        "  qemu-img map --output=json of the top image (median of 5)",
        format_duration(map),
        "< 50 ms",
        map < Duration::from_millis(50) && out.status == 0,
    );

    let base = World::with_sample_vm(1);
    let scripts: [(&str, String, Duration); 3] = [
        ("libvirt (10 domains: define, start, snapshots, undefine)", libvirt_script(), Duration::from_millis(200)),
        ("cloning (80 clones: virt-clone, virt-sysprep, start)", cloning_script(), Duration::from_millis(500)),
        ("cloud-init (schema checks, NoCloud seeds)", cloud_init_script(), Duration::from_millis(500)),
    ];
    for (what, script, budget) in scripts {
        let (time, out) = time_script(&base, &script, 3);
        report.time(&format!("guestlab run, 1,000-line {what} (median of 3)"), time, budget);
        if out.stderr().contains("command not found") {
            report.note(&format!("the {what} script used a command the simulator lacks"));
        }
    }

    // A large domain XML: parsed, checked and written back by virsh define, then dumped.
    let xml = large_domain_xml();
    let mut world = World::with_sample_vm(1);
    let _ = world.machine_mut().fs.put_file("/root/large.xml", xml.as_bytes(), 0o644, 0);
    let (define, out) =
        time_script(&world, "virsh define /root/large.xml > /dev/null && virsh dumpxml large > /dev/null", 5);
    report.row(
        &format!("virsh define + dumpxml of a {} KB domain XML (200 disks, 100 NICs)", xml.len() / 1000),
        format_duration(define),
        "< 50 ms",
        define < Duration::from_millis(50) && out.status == 0,
    );
    if out.status != 0 {
        report.note(&format!("virsh define failed: {}", out.stderr().lines().next().unwrap_or_default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scripts run every line without an error (their output goes to /dev/null, their
    /// errors would show on standard error).
    #[test]
    fn the_benchmark_scripts_run_without_errors() {
        for (name, script) in
            [("libvirt", libvirt_script()), ("cloning", cloning_script()), ("cloud-init", cloud_init_script())]
        {
            assert!(script.lines().count() >= 1000, "{name}");
            let mut world = World::with_sample_vm(1);
            let out = world.run(&format!("{script}echo done\n"));
            let stderr = out.stderr();
            let errors: Vec<&str> = stderr.lines().take(5).collect();
            assert_eq!((out.stdout(), errors), ("done\n".to_owned(), Vec::<&str>::new()), "{name}");
        }
        let world = chain_world();
        let mut w = world.clone();
        let out = w.run("cd /var/lib/libvirt/images && qemu-img info --backing-chain top.qcow2 | grep -c '^image:'");
        assert_eq!(out.stdout(), "3\n");
        let out =
            w.run("cd /var/lib/libvirt/images && qemu-io -c 'read -P 64 3843M 1M' -c 'read -P 200 7M 256k' top.qcow2");
        assert!(!out.stdout().contains("verification failed"), "{}", out.stdout());
        let mut w = World::with_sample_vm(1);
        let _ = w.machine_mut().fs.put_file("/root/large.xml", large_domain_xml().as_bytes(), 0o644, 0);
        let out = w.run("virsh define /root/large.xml && virsh domblklist large | wc -l");
        assert_eq!(out.stdout(), "Domain 'large' defined from /root/large.xml\n\n203\n", "{}", out.stderr());
    }
}
