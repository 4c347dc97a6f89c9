//! The cloning lab end to end: clones of one template collide (machine ID, DHCP address,
//! journal directory, SSH host key), and the real commands fix each collision.

use guestlab_content::sim::World;

fn run(w: &mut World, line: &str) -> String {
    let out = w.run(line);
    assert!(out.status == 0 || line.starts_with("ssh"), "{line}: {}", out.stderr());
    out.stdout()
}

fn guest<'w>(w: &'w World, name: &str) -> &'w guestlab_content::sim::guest::GuestState {
    w.machines.iter().find_map(|m| m.guest.as_ref().filter(|g| g.domain == name)).expect("the guest runs")
}

fn two_clones() -> World {
    let mut w = World::with_sample_vm(1);
    for line in [
        "virsh net-start default",
        "virt-clone --original bookworm --name web1 --auto-clone",
        "virt-clone --original bookworm --name web2 --auto-clone",
        "virsh start web1",
        "virsh start web2",
    ] {
        run(&mut w, line);
    }
    w
}

#[test]
fn clones_share_machine_id_address_journal_and_host_key() {
    let mut w = two_clones();
    let (a, b) = (guest(&w, "web1").clone(), guest(&w, "web2").clone());
    assert_ne!(a.mac, b.mac, "libvirt gives each clone its own MAC");
    assert_eq!(a.client_id, b.client_id, "the DHCP client ID comes from the machine ID");
    assert!(a.ip.is_some());
    assert_eq!(a.ip, b.ip, "dnsmasq hands both the same address");
    let leases = run(&mut w, "virsh net-dhcp-leases default");
    assert_eq!(leases.lines().filter(|l| l.contains("ipv4")).count(), 1, "{leases}");
    let id1 = run(&mut w, "virsh console web1; cat /etc/machine-id; exit");
    let id2 = run(&mut w, "virsh console web2; cat /etc/machine-id; ls /var/log/journal; exit");
    let id1 = id1.lines().next_back().unwrap().to_owned();
    assert!(id2.contains(&id1), "same machine ID and journal directory: {id2}");
    let fp1 = run(&mut w, "virsh console web1; ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; exit");
    let fp2 = run(&mut w, "virsh console web2; ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; exit");
    assert_eq!(fp1.lines().last(), fp2.lines().last());
    assert!(fp1.lines().last().unwrap().starts_with("256 SHA256:"), "{fp1}");
}

#[test]
fn the_real_commands_fix_each_collision() {
    let mut w = two_clones();
    let shared_ip = guest(&w, "web1").ip.clone().unwrap();
    // The client first meets web2 (the last to take the address).
    let out = w.run(&format!("ssh debian@{shared_ip} hostname"));
    assert_eq!(out.stdout(), "bookworm\n");
    assert!(out.stderr().contains("Warning: Permanently added"), "{}", out.stderr());
    // New host keys on web2: the client now refuses it.
    run(&mut w, "virsh console web2; rm /etc/ssh/ssh_host_*; ssh-keygen -A; systemctl restart ssh; exit");
    let out = w.run(&format!("ssh debian@{shared_ip} hostname"));
    assert_eq!(out.status, 255);
    assert!(out.stderr().contains("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"), "{}", out.stderr());
    assert!(out.stderr().contains(&format!("ssh-keygen -f \"/root/.ssh/known_hosts\" -R \"{shared_ip}\"")));
    run(&mut w, &format!("ssh-keygen -R {shared_ip}"));
    // A new machine ID on web2 (D-Bus way) and a reboot: a new client ID, a new address.
    run(&mut w, "virsh console web2; rm -f /etc/machine-id; dbus-uuidgen --ensure=/etc/machine-id; reboot; exit");
    let (a, b) = (guest(&w, "web1").clone(), guest(&w, "web2").clone());
    assert_ne!(a.client_id, b.client_id);
    assert_ne!(a.ip, b.ip);
    // The systemd way on web1: empty file, then systemd-machine-id-setup.
    let before = run(&mut w, "virsh console web1; cat /etc/machine-id; exit");
    let after = run(
        &mut w,
        "virsh console web1; truncate -s 0 /etc/machine-id; systemd-machine-id-setup; cat /etc/machine-id; exit",
    );
    assert_ne!(before.lines().last(), after.lines().last());
    let ip1 = guest(&w, "web1").ip.clone();
    run(&mut w, "virsh console web1; reboot; exit");
    assert_ne!(guest(&w, "web1").ip, ip1, "the new machine ID brings a new lease after the reboot");
}

#[test]
fn a_prepared_template_gives_unique_clones() {
    let mut w = World::with_sample_vm(1);
    for line in [
        "virt-sysprep -d bookworm --operations machine-id,ssh-hostkeys",
        "virsh net-start default",
        "virt-clone --original bookworm --name web1 --auto-clone",
        "virt-clone --original bookworm --name web2 --auto-clone",
        "virsh start web1",
        "virsh start web2",
    ] {
        run(&mut w, line);
    }
    let (a, b) = (guest(&w, "web1").clone(), guest(&w, "web2").clone());
    assert!(!a.first_boot, "an empty machine-id is not a first boot");
    assert_ne!(a.client_id, b.client_id);
    assert_ne!(a.ip, b.ip);
    // Without host keys sshd does not start until they are made.
    assert!(!a.sshd);
    let out = w.run(&format!("ssh {}", a.ip.clone().unwrap()));
    assert!(out.stderr().contains("Connection refused"), "{}", out.stderr());
}

#[test]
fn host_and_guest_tell_what_they_run_on() {
    let mut w = World::with_sample_vm(1);
    assert_eq!(w.run("systemd-detect-virt").stdout(), "none\n");
    assert_eq!(w.run("grep -E -c 'vmx|svm' /proc/cpuinfo").stdout(), "4\n");
    assert!(w.run("lsmod").stdout().contains("\nkvm_intel "));
    run(&mut w, "virsh net-start default");
    run(&mut w, "virsh start bookworm");
    run(&mut w, "virsh console bookworm");
    assert_eq!(w.run("systemd-detect-virt").stdout(), "kvm\n");
    assert_eq!(w.run("grep -c hypervisor /proc/cpuinfo").stdout(), "2\n");
    assert_eq!(w.run("grep -E -c 'vmx|svm' /proc/cpuinfo").status, 1, "no nested virtualization");
    assert!(w.run("lsmod").stdout().contains("\nvirtio_net "));
    assert_eq!(w.run("dmidecode -s system-manufacturer").stdout(), "QEMU\n");
    let uuid = w.libvirt.domains["bookworm"].def.uuid.clone();
    assert_eq!(w.run("dmidecode -s system-uuid").stdout(), format!("{uuid}\n"));
    assert!(w.run("lscpu").stdout().contains("Hypervisor vendor:     KVM\n"));
}
