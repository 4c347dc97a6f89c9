use super::*;

fn fs() -> Vfs {
    let mut fs = Vfs::new(100);
    fs.mkdir_p("/etc/libvirt/qemu/autostart", 0o755, 100).unwrap();
    fs.put_file("/etc/libvirt/qemu/vm.xml", b"<domain/>\n", 0o600, 100).unwrap();
    fs.put_symlink("/etc/libvirt/qemu/autostart/vm.xml", "/etc/libvirt/qemu/vm.xml", 100).unwrap();
    fs.put_symlink("/etc/rel", "libvirt/qemu", 100).unwrap();
    fs.put_symlink("/loop", "/loop", 100).unwrap();
    fs
}

#[test]
fn resolves_absolute_relative_and_dot_dot() {
    let fs = fs();
    let qemu = fs.resolve(ROOT, "/etc/libvirt/qemu", true).unwrap();
    assert_eq!(fs.resolve(qemu, "vm.xml", true), fs.resolve(ROOT, "/etc/libvirt/qemu/vm.xml", true));
    assert_eq!(fs.resolve(qemu, "../qemu/./vm.xml", true), fs.resolve(ROOT, "/etc/libvirt/qemu/vm.xml", true));
    assert_eq!(fs.resolve(ROOT, "/..", true), Ok(ROOT));
    assert_eq!(fs.resolve(ROOT, "/nope", true), Err(FsError::NotFound));
    assert_eq!(fs.resolve(ROOT, "/etc/libvirt/qemu/vm.xml/x", true), Err(FsError::NotDir));
    assert_eq!(fs.dir_path(qemu), "/etc/libvirt/qemu");
}

#[test]
fn follows_absolute_and_relative_symlinks() {
    let fs = fs();
    let file = fs.resolve(ROOT, "/etc/libvirt/qemu/vm.xml", true).unwrap();
    let link = fs.resolve(ROOT, "/etc/libvirt/qemu/autostart/vm.xml", false).unwrap();
    assert_ne!(link, file);
    assert_eq!(fs.resolve(ROOT, "/etc/libvirt/qemu/autostart/vm.xml", true), Ok(file));
    assert_eq!(fs.resolve(ROOT, "/etc/rel/vm.xml", true), Ok(file));
    assert_eq!(fs.resolve(ROOT, "/loop", true), Err(FsError::Loop));
    assert_eq!(fs.canonicalize(ROOT, "/etc/rel/autostart/vm.xml").as_deref(), Ok("/etc/libvirt/qemu/vm.xml"));
    assert_eq!(fs.canonicalize(ROOT, "/etc/rel/new.xml").as_deref(), Ok("/etc/libvirt/qemu/new.xml"));
    assert_eq!(fs.canonicalize(ROOT, "/etc/./libvirt/../rel").as_deref(), Ok("/etc/libvirt/qemu"));
    assert_eq!(fs.canonicalize(ROOT, "/etc/missing/x"), Err(FsError::NotFound));
}

#[test]
fn create_unlink_and_rename_keep_link_counts() {
    let mut fs = fs();
    let etc = fs.resolve(ROOT, "/etc", true).unwrap();
    assert_eq!(fs.node(etc).unwrap().nlink, 3);
    let d = fs.create(etc, "d", Node::dir(0o755, 5)).unwrap();
    assert_eq!(fs.node(etc).unwrap().nlink, 4);
    assert_eq!(fs.create(etc, "d", Node::dir(0o755, 5)), Err(FsError::Exists));
    fs.create(d, "f", Node::file(RegularFile::with_bytes(b"x"), 0o644, 5)).unwrap();
    assert_eq!(fs.unlink(etc, "d", 6), Err(FsError::NotEmpty));
    fs.rename(d, "f", etc, "g", 7).unwrap();
    assert!(fs.lookup(etc, "g").is_some());
    assert_eq!(fs.rename(etc, "d", d, "inner", 7), Err(FsError::Invalid));
    fs.unlink(etc, "d", 8).unwrap();
    assert_eq!(fs.node(etc).unwrap().nlink, 3);
    assert_eq!(fs.node(etc).unwrap().mtime, 8);
}

#[test]
fn files_have_length_and_blocks() {
    let mut f = RegularFile::with_bytes(b"hello\n");
    assert_eq!((f.len, f.stat_blocks()), (6, 8));
    f.truncate(1 << 30);
    assert_eq!((f.len, f.stat_blocks()), (1 << 30, 8));
    f.write_fill(1 << 20, 8192, 0xab);
    assert_eq!(f.stat_blocks(), 24);
    assert_eq!(f.read_all(6), b"hello\n");
    f.truncate(3);
    assert_eq!((f.len, f.stat_blocks(), f.read_all(10)), (3, 8, b"hel".to_vec()));
}

#[test]
fn modes_and_types_print_like_ls() {
    let fs = fs();
    let node = |p| fs.node(fs.resolve(ROOT, p, false).unwrap()).unwrap();
    assert_eq!(node("/etc/libvirt/qemu/vm.xml").mode_string(), "-rw-------");
    assert_eq!(node("/etc/libvirt").mode_string(), "drwxr-xr-x");
    assert_eq!(node("/etc/rel").mode_string(), "lrwxrwxrwx");
    assert_eq!(node("/etc/rel").size(), 12);
    assert_eq!(node("/etc/rel").type_name(), "symbolic link");
    let sticky = Node { mode: 0o1777, ..Node::dir(0, 0) };
    assert_eq!(sticky.mode_string(), "drwxrwxrwt");
}
