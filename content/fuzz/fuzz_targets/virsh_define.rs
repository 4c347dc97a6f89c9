//! XML given to `virsh define` (and `virsh net-define`, `virt-xml-validate`): any bytes give a
//! defined domain or libvirt's error, never a panic; a defined domain can be dumped, started,
//! stopped and undefined, and its dumped XML defines again.
#![no_main]

use std::sync::OnceLock;

use guestlab_content::sim::World;
use guestlab_content::sim::vfs::{Node, RegularFile};
use libfuzzer_sys::fuzz_target;

fn start() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| World::with_sample_vm(1))
}

fuzz_target!(|data: &[u8]| {
    let mut world = start().clone();
    let now = world.clock;
    let fs = &mut world.machine_mut().fs;
    let Ok(root) = fs.mkdir_p("/root", 0o700, now) else {
        return;
    };
    let _ = fs.unlink(root, "fuzz.xml", now);
    if fs.create(root, "fuzz.xml", Node::file(RegularFile::with_bytes(data), 0o644, now)).is_err() {
        return;
    }
    let before: Vec<String> = world.libvirt.domains.keys().cloned().collect();
    let _ = world.run("virt-xml-validate fuzz.xml; virsh net-define fuzz.xml; virsh define fuzz.xml");
    let added: Vec<String> = world.libvirt.domains.keys().filter(|k| !before.contains(k)).cloned().collect();
    for name in added {
        let quoted = format!("'{}'", name.replace('\'', r"'\''"));
        let dumped = world.run(&format!("virsh dumpxml {quoted} > again.xml"));
        assert_eq!(dumped.status, 0, "dumpxml of a defined domain failed: {:?}", dumped.stderr());
        let again = world.run("virsh define again.xml");
        assert_eq!(again.status, 0, "the dumped XML does not define again: {:?}", again.stderr());
        let _ = world.run(&format!(
            "virsh start {quoted}; virsh dominfo {quoted}; virsh domblklist {quoted}; virsh destroy {quoted}; virsh undefine {quoted}"
        ));
    }
});
