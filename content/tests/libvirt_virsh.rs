//! virsh and virt-clone on the simulated host, checked line by line against what libvirt 9.0
//! prints (the messages recorded in `shared/reference/tool-behaviour.md` and the tables and
//! errors of `virsh -c test:///default`, which share virsh's client-side formatting).

use guestlab_content::sim::World;

fn run(world: &mut World, line: &str) -> (String, String, i32) {
    let out = world.run(line);
    (out.stdout(), out.stderr(), out.status)
}

#[test]
fn the_sample_vm_needs_the_default_network_started_first() {
    let mut w = World::with_sample_vm(1);
    assert_eq!(
        run(&mut w, "virsh list --all").0,
        " Id   Name       State\n---------------------------\n -    bookworm   shut off\n\n"
    );
    assert_eq!(
        run(&mut w, "virsh net-list --all").0,
        " Name      State      Autostart   Persistent\n----------------------------------------------\n default   inactive   no          yes\n\n"
    );
    let (out, err, status) = run(&mut w, "virsh start bookworm");
    assert_eq!((out.as_str(), status), ("\n", 1));
    assert_eq!(
        err,
        "error: Failed to start domain 'bookworm'\nerror: Requested operation is not valid: network 'default' is not active\n"
    );
    assert_eq!(run(&mut w, "virsh net-start default").0, "Network default started\n\n");
    assert_eq!(run(&mut w, "virsh start bookworm").0, "Domain 'bookworm' started\n\n");
    assert_eq!(run(&mut w, "virsh start bookworm").1, "error: Domain is already active\n");
    assert_eq!(
        run(&mut w, "virsh list").0,
        " Id   Name       State\n--------------------------\n 1    bookworm   running\n\n"
    );
    assert_eq!(run(&mut w, "virsh domstate bookworm --reason").0, "running (booted)\n\n");
    // The runtime files exist while it runs, and only then.
    assert_eq!(run(&mut w, "ls -1 /run/libvirt/qemu").0, "bookworm.pid\nbookworm.xml\n");
    assert_eq!(run(&mut w, "virsh shutdown bookworm").0, "Domain 'bookworm' is being shutdown\n\n");
    assert_eq!(run(&mut w, "ls -1 /run/libvirt/qemu").0, "");
    assert_eq!(run(&mut w, "virsh domstate bookworm --reason").0, "shut off (shutdown)\n\n");
    let (_, err, status) = run(&mut w, "virsh destroy bookworm");
    assert_eq!(status, 1);
    assert_eq!(
        err,
        "error: Failed to destroy domain 'bookworm'\nerror: Requested operation is not valid: domain is not running\n"
    );
}

#[test]
fn autostart_is_a_symlink_and_undefine_removes_what_define_wrote() {
    let mut w = World::with_sample_vm(1);
    assert_eq!(run(&mut w, "virsh autostart bookworm").0, "Domain 'bookworm' marked as autostarted\n\n");
    assert_eq!(run(&mut w, "readlink /etc/libvirt/qemu/autostart/bookworm.xml").0, "/etc/libvirt/qemu/bookworm.xml\n");
    assert_eq!(run(&mut w, "stat -c '%a %U' /etc/libvirt/qemu/bookworm.xml").0, "600 root\n");
    assert_eq!(run(&mut w, "virsh autostart --disable bookworm").0, "Domain 'bookworm' unmarked as autostarted\n\n");
    assert_eq!(run(&mut w, "ls /etc/libvirt/qemu/autostart").0, "");
    assert_eq!(run(&mut w, "virsh snapshot-create-as bookworm snap1").0, "Domain snapshot snap1 created\n");
    let (_, err, _) = run(&mut w, "virsh undefine bookworm");
    assert_eq!(
        err,
        "error: Failed to undefine domain 'bookworm'\nerror: Requested operation is not valid: cannot delete inactive domain with 1 snapshots\n"
    );
    assert_eq!(
        run(&mut w, "virsh undefine bookworm --remove-all-storage --snapshots-metadata").0,
        "Domain 'bookworm' has been undefined\nVolume 'vda'(/var/lib/libvirt/images/bookworm.qcow2) removed.\n\n"
    );
    assert_eq!(
        run(&mut w, "ls -1 /etc/libvirt/qemu /var/lib/libvirt/images").0,
        "/etc/libvirt/qemu:\nautostart\nnetworks\n\n/var/lib/libvirt/images:\n"
    );
    assert_eq!(run(&mut w, "virsh dominfo bookworm").1, "error: failed to get domain 'bookworm'\n");
}

#[test]
fn define_refuses_bad_xml_in_libvirts_words() {
    let mut w = World::new(1);
    run(
        &mut w,
        "printf '<domain type=\"kvm\"><memory unit=\"MiB\">1024</memory><os><type>hvm</type></os></domain>\\n' > noname.xml",
    );
    let (out, err, status) = run(&mut w, "virsh define noname.xml");
    assert_eq!((out.as_str(), status), ("\n", 1));
    assert_eq!(err, "error: Failed to define domain from noname.xml\nerror: missing name information\n");
    run(
        &mut w,
        "printf '<domain type=\"kvm\"><name>a</name><memory>1024</memory><os><type>hvm</type></os>\\n' > cut.xml",
    );
    assert_eq!(
        run(&mut w, "virsh define cut.xml").1,
        "error: Failed to define domain from cut.xml\nerror: (domain_definition):2: Premature end of data in tag domain line 1\n"
    );
    assert_eq!(
        run(&mut w, "virsh define nosuch.xml").1,
        "error: Failed to open file 'nosuch.xml': No such file or directory\n"
    );
    assert_eq!(run(&mut w, "virsh bogus").1, "error: unknown command: 'bogus'\n");
    assert_eq!(run(&mut w, "virsh start").1, "error: command 'start' requires <domain> option\n");
    assert_eq!(run(&mut w, "virsh list --bogus").1, "error: command 'list' doesn't support option --bogus\n");
    assert_eq!(
        run(&mut w, "virsh vol-list default").1,
        "error: failed to get pool 'default'\nerror: Storage pool not found: no storage pool with matching name 'default'\n"
    );
}

#[test]
fn a_clone_gets_a_new_uuid_and_mac_and_a_copy_of_the_disk() {
    let mut w = World::with_sample_vm(1);
    let (out, _, status) = run(&mut w, "virt-clone --original bookworm --auto-clone");
    assert_eq!(status, 0);
    assert!(out.ends_with("Clone 'bookworm-clone' created successfully.\n"), "{out}");
    let a = &w.libvirt.domains["bookworm"].def;
    let b = &w.libvirt.domains["bookworm-clone"].def;
    assert_ne!(a.uuid, b.uuid);
    assert_ne!(a.interfaces[0].mac, b.interfaces[0].mac);
    assert_eq!(b.disks[0].source.as_deref(), Some("/var/lib/libvirt/images/bookworm-clone.qcow2"));
    assert_eq!(run(&mut w, "stat -c %s /var/lib/libvirt/images/bookworm-clone.qcow2").2, 0);
    assert_eq!(run(&mut w, "ls -1 /etc/libvirt/qemu").0, "bookworm-clone.xml\nbookworm.xml\nnetworks\n");
    run(&mut w, "virsh net-start default");
    run(&mut w, "virsh start bookworm");
    assert_eq!(
        run(&mut w, "virt-clone -o bookworm -n x --auto-clone").1,
        "ERROR    Domain with devices to clone must be paused or shutoff.\n"
    );
}

#[test]
fn virt_install_creates_the_default_pool_the_disk_and_the_domain() {
    let mut w = World::new(1);
    assert_eq!(run(&mut w, "virsh pool-list --all").0, " Name   State   Autostart\n---------------------------\n\n");
    run(&mut w, "virsh net-start default");
    let (out, err, status) = run(
        &mut w,
        "virt-install --name web1 --memory 1024 --vcpus 2 --disk size=10 --import --os-variant debian12 --graphics none --noautoconsole",
    );
    assert_eq!((status, err.as_str()), (0, ""));
    assert!(out.ends_with("Domain creation completed.\n"), "{out}");
    assert_eq!(
        run(&mut w, "virsh pool-list --all").0,
        " Name      State    Autostart\n-------------------------------\n default   active   yes\n\n"
    );
    // libvirt makes qcow2 volumes with compat 0.10: 196768 bytes for 10 GiB.
    assert_eq!(run(&mut w, "stat -c '%s %a' /var/lib/libvirt/images/web1.qcow2").0, "196768 600\n");
    assert_eq!(run(&mut w, "virsh domstate web1").0, "running\n\n");
}

#[test]
fn pools_and_volumes() {
    let mut w = World::new(1);
    assert_eq!(run(&mut w, "virsh pool-define-as vms dir --target /srv/vms").0, "Pool vms defined\n\n");
    assert_eq!(
        run(&mut w, "virsh pool-start vms").1,
        "error: Failed to start pool vms\nerror: cannot open directory '/srv/vms': No such file or directory\n"
    );
    assert_eq!(run(&mut w, "virsh pool-build vms").0, "Pool vms built\n\n");
    assert_eq!(run(&mut w, "stat -c %a /srv/vms").0, "711\n");
    assert_eq!(run(&mut w, "virsh pool-start vms").0, "Pool vms started\n\n");
    assert_eq!(run(&mut w, "virsh pool-autostart vms").0, "Pool vms marked as autostarted\n\n");
    assert_eq!(run(&mut w, "readlink /etc/libvirt/storage/autostart/vms.xml").0, "/etc/libvirt/storage/vms.xml\n");
    assert_eq!(run(&mut w, "virsh vol-create-as vms a.qcow2 10G --format qcow2").0, "Vol a.qcow2 created\n\n");
    assert_eq!(
        run(&mut w, "virsh vol-list vms").0,
        " Name      Path\n-----------------------------\n a.qcow2   /srv/vms/a.qcow2\n\n"
    );
    assert_eq!(run(&mut w, "virsh vol-delete --pool vms a.qcow2").0, "Vol a.qcow2 deleted\n\n");
    assert_eq!(
        run(&mut w, "virsh vol-delete --pool vms a.qcow2").1,
        "error: failed to get vol 'a.qcow2'\nerror: Storage volume not found: no storage vol with matching path 'a.qcow2'\n"
    );
}

#[test]
fn networks_are_defined_started_and_undefined() {
    let mut w = World::new(1);
    run(
        &mut w,
        "printf '<network><name>lab</name><forward mode=\"nat\"/><ip address=\"192.168.100.1\" netmask=\"255.255.255.0\"/></network>\\n' > lab.xml",
    );
    assert_eq!(run(&mut w, "virsh net-define lab.xml").0, "Network lab defined from lab.xml\n\n");
    assert_eq!(run(&mut w, "stat -c %a /etc/libvirt/qemu/networks/lab.xml").0, "600\n");
    // The network driver names the bridge and gives it a MAC.
    let xml = run(&mut w, "virsh net-dumpxml lab").0;
    assert!(xml.contains("<bridge name='virbr1' stp='on' delay='0'/>"), "{xml}");
    assert!(xml.contains("<mac address='52:54:00:"), "{xml}");
    run(&mut w, "virsh net-start lab");
    assert_eq!(
        run(&mut w, "virsh net-undefine lab").1,
        "error: Failed to undefine network lab\nerror: Requested operation is not valid: Network 'lab' is still running\n"
    );
    run(&mut w, "virsh net-destroy lab");
    assert_eq!(run(&mut w, "virsh net-undefine lab").0, "Network lab has been undefined\n\n");
    assert_eq!(run(&mut w, "ls -1 /etc/libvirt/qemu/networks").0, "default.xml\n");
}
