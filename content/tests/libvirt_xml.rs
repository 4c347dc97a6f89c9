//! Every XML file and every `dumpxml` the simulated libvirt produces over a set of scenarios
//! must validate against libvirt's own RNG schemas: checked with the real `virt-xml-validate`
//! (Debian package libvirt-clients, installed by `.ci/install-deps test`).

use std::process::Command;

use guestlab_content::sim::World;

/// A domain definition that uses more of the schema than the sample VM: raw and qcow2 disks, a
/// CD-ROM, two interfaces, no graphics, memory in MB.
const WEB1: &str = "cat > /root/web1.xml <<'EOF'
<domain type='kvm'>
  <name>web1</name>
  <memory unit='MB'>1500</memory>
  <currentMemory unit='MiB'>1024</currentMemory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/web1-data.img'/>
      <target dev='vdb'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/var/lib/libvirt/boot/debian-12.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'><source network='default'/><model type='virtio'/></interface>
    <interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/><model type='e1000'/></interface>
    <console type='pty'/>
  </devices>
</domain>
EOF
qemu-img create -f qcow2 /var/lib/libvirt/images/web1.qcow2 10G > /dev/null
truncate -s 1G /var/lib/libvirt/images/web1-data.img /var/lib/libvirt/boot/debian-12.iso
";

fn produced_xml(world: &mut World) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    let list = world.run("find /etc/libvirt /var/lib/libvirt/qemu/snapshot -type f -name '*.xml' | sort").stdout();
    for path in list.lines() {
        docs.push((path.to_owned(), world.run(&format!("cat {path}")).stdout()));
    }
    for name in world.libvirt.domains.keys().cloned().collect::<Vec<_>>() {
        docs.push((format!("virsh dumpxml {name}"), world.run(&format!("virsh dumpxml {name}")).stdout()));
        docs.push((
            format!("virsh dumpxml --inactive {name}"),
            world.run(&format!("virsh dumpxml --inactive {name}")).stdout(),
        ));
    }
    for net in world.libvirt.networks.keys().cloned().collect::<Vec<_>>() {
        docs.push((format!("virsh net-dumpxml {net}"), world.run(&format!("virsh net-dumpxml {net}")).stdout()));
    }
    for pool in world.libvirt.pools.keys().cloned().collect::<Vec<_>>() {
        docs.push((format!("virsh pool-dumpxml {pool}"), world.run(&format!("virsh pool-dumpxml {pool}")).stdout()));
        let vols = world.run(&format!("virsh vol-list {pool} | tail -n +3 | grep -E -o '^ [^ ]+'")).stdout();
        for vol in vols.split_whitespace() {
            let cmd = format!("virsh vol-dumpxml --pool {pool} {vol}");
            docs.push((cmd.clone(), world.run(&cmd).stdout()));
        }
    }
    docs
}

#[test]
fn every_xml_validates_with_virt_xml_validate() {
    if Command::new("virt-xml-validate").arg("--help").output().is_err() {
        println!("skipped: virt-xml-validate not installed (apt-get install libvirt-clients)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("guestlab-libvirt-xml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenarios: [&[&str]; 3] = [
        &["virsh list --all"],
        &[
            "virsh net-start default",
            "virsh autostart bookworm",
            "virsh start bookworm",
            "virsh snapshot-create-as bookworm snap1",
        ],
        &[
            WEB1,
            "virsh define /root/web1.xml",
            "virsh net-start default",
            "virsh start web1",
            "virsh net-autostart default",
            "virsh snapshot-create-as bookworm offline",
            "virsh start bookworm",
            "virsh snapshot-create-as bookworm online",
            "virsh destroy web1",
            "virsh pool-define-as vms dir --target /srv/vms",
            "virsh pool-build vms",
            "virsh pool-start vms",
            "virsh pool-autostart vms",
            "virsh vol-create-as vms a.qcow2 10G --format qcow2",
            "virsh vol-create-as vms b.img 1G --format raw",
            "printf '<network><name>lab</name><forward mode=\"nat\"/><ip address=\"192.168.100.1\" netmask=\"255.255.255.0\"><dhcp><range start=\"192.168.100.10\" end=\"192.168.100.100\"/></dhcp></ip></network>\\n' > lab.xml",
            "virsh net-define lab.xml",
            "virsh net-start lab",
            "printf '<network><name>isolated</name></network>\\n' > iso.xml",
            "virsh net-define iso.xml",
            "virt-install --name web2 --memory 2048 --disk size=20 --cdrom /var/lib/libvirt/boot/debian-12.iso --graphics vnc --noautoconsole",
        ],
    ];
    let mut checked = 0;
    for (s, steps) in scenarios.iter().enumerate() {
        let mut world = World::with_sample_vm(1);
        for step in *steps {
            let out = world.run(step);
            assert_eq!(out.status, 0, "{step}: {}", out.stderr());
        }
        for (i, (what, xml)) in produced_xml(&mut world).into_iter().enumerate() {
            let file = dir.join(format!("s{s}-{i}.xml"));
            std::fs::write(&file, &xml).unwrap();
            // The saved files start with libvirt's warning comment, before which the script
            // cannot guess the schema; name it from the root element.
            let root = xml.lines().find(|l| l.starts_with('<') && !l.starts_with("<!--")).unwrap_or_default();
            let schema = root.trim_start_matches('<').split([' ', '>']).next().unwrap_or_default();
            let schema = match schema {
                "pool" => "storagepool",
                "volume" => "storagevol",
                other => other,
            };
            let out = Command::new("virt-xml-validate").arg(&file).arg(schema).output().unwrap();
            assert!(
                out.status.success(),
                "{what} does not validate:\n{xml}\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{checked} XML documents validated");
    assert!(checked > 20);
}

/// The simulated `virt-xml-validate` against the real one, file by file: same messages, same
/// exit status.
#[test]
fn virt_xml_validate_answers_as_the_real_one() {
    if Command::new("virt-xml-validate").arg("--help").output().is_err() {
        println!("skipped: virt-xml-validate not installed (apt-get install libvirt-clients)");
        return;
    }
    let cases = [
        "<domain type='kvm'>\n  <name>x</name>\n  <memory>1024</memory>\n</domain>\n",
        "<domain type='kvm'>\n  <memory>1024</memory>\n  <os><type>hvm</type></os>\n</domain>\n",
        "<domain type='kvm'>\n  <name>a</name>\n  <memory unit='MiX'>1024</memory>\n  <os><type>hvm</type></os>\n</domain>\n",
        "<domain type='kvm'>\n  <name>a</name>\n  <memory>lots</memory>\n</domain>\n",
        "<domain><name>c</name><memory>1024</memory><os><type>hvm</type></os></domain>\n",
        "<domain>\n  <name>x</name>\n  <memory>1024</memory>\n</domain>\n",
        "<domain type='kvm'><name>a</name><memory>1024</memory><os><type>hvm</type></os>\n",
        "<domain type='kvm'><name>b</name><os><type>hvm</type></os></domain>\n",
        "<network><name>n1</name></network>\n",
        "<network></network>\n",
        "<foo/>\n",
    ];
    let dir = std::env::temp_dir().join(format!("guestlab-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, text) in cases.iter().enumerate() {
        let name = format!("case{i}.xml");
        std::fs::write(dir.join(&name), text).unwrap();
        let real = Command::new("virt-xml-validate").arg(&name).current_dir(&dir).output().unwrap();
        let mut world = World::new(1);
        world.run(&format!("cat > {name} <<'EOF'\n{text}EOF"));
        let ours = world.run(&format!("virt-xml-validate {name}"));
        assert_eq!(ours.stderr(), String::from_utf8_lossy(&real.stderr), "{text}");
        assert_eq!(ours.stdout(), String::from_utf8_lossy(&real.stdout), "{text}");
        assert_eq!(ours.status, real.status.code().unwrap(), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
