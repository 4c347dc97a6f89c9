use super::{out, run, world};
use crate::sim::vfs::{BlockState, ROOT};

const NAMES: &str = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega a-very-long-file-name-indeed.qcow2 README Makefile";

#[test]
fn ls_lays_names_out_in_columns_like_an_80_column_terminal() {
    let mut w = world();
    out(&mut w, &format!("touch {NAMES}"));
    assert_eq!(
        out(&mut w, "ls"),
        "Makefile                            chi      iota    omega    rho      xi\n\
         README                              delta    kappa   omicron  sigma    zeta\n\
         a-very-long-file-name-indeed.qcow2  epsilon  lambda  phi      tau\n\
         alpha                               eta      mu      pi       theta\n\
         beta                                gamma    nu      psi      upsilon\n"
    );
    assert_eq!(
        out(&mut w, "ls -x"),
        "Makefile  README   a-very-long-file-name-indeed.qcow2  alpha  beta     chi\n\
         delta     epsilon  eta                                 gamma  iota     kappa\n\
         lambda    mu       nu                                  omega  omicron  phi\n\
         pi        psi      rho                                 sigma  tau      theta\n\
         upsilon   xi       zeta\n"
    );
    assert_eq!(out(&mut w, "ls -1 | head -3"), "Makefile\nREADME\na-very-long-file-name-indeed.qcow2\n");
    assert_eq!(out(&mut w, "ls /"), "bin  boot  dev  etc  home  proc  root  run  srv  tmp  usr  var\n");
    assert_eq!(out(&mut w, "ls -a /root"), ".  ..  .bashrc  .profile\n");
    assert_eq!(out(&mut w, "ls -A /root"), ".bashrc  .profile\n");
}

#[test]
fn ls_long_format_shows_times_devices_links_and_totals() {
    let mut w = world();
    out(
        &mut w,
        "printf 'hello\\nworld\\n' > a.txt; ln -s a.txt link; touch -d 2024-01-01 old; touch -d 2026-01-01 future",
    );
    out(&mut w, "mkdir d; truncate -s 1G sparse.img; dd if=/dev/zero of=zero.img bs=1M count=3 status=none");
    assert_eq!(
        out(&mut w, "ls -l"),
        "total 3080\n\
         -rw-r--r-- 1 root root         12 Jun  2 09:00 a.txt\n\
         drwxr-xr-x 2 root root       4096 Jun  2 09:00 d\n\
         -rw-r--r-- 1 root root          0 Jan  1  2026 future\n\
         lrwxrwxrwx 1 root root          5 Jun  2 09:00 link -> a.txt\n\
         -rw-r--r-- 1 root root          0 Jan  1  2024 old\n\
         -rw-r--r-- 1 root root 1073741824 Jun  2 09:00 sparse.img\n\
         -rw-r--r-- 1 root root    3145728 Jun  2 09:00 zero.img\n"
    );
    assert_eq!(
        out(&mut w, "ls -lhS"),
        "total 3.1M\n\
         -rw-r--r-- 1 root root 1.0G Jun  2 09:00 sparse.img\n\
         -rw-r--r-- 1 root root 3.0M Jun  2 09:00 zero.img\n\
         drwxr-xr-x 2 root root 4.0K Jun  2 09:00 d\n\
         -rw-r--r-- 1 root root   12 Jun  2 09:00 a.txt\n\
         lrwxrwxrwx 1 root root    5 Jun  2 09:00 link -> a.txt\n\
         -rw-r--r-- 1 root root    0 Jan  1  2026 future\n\
         -rw-r--r-- 1 root root    0 Jan  1  2024 old\n"
    );
    assert_eq!(out(&mut w, "ls -1t | head -1; ls -1tr | head -1"), "future\nold\n");
    assert_eq!(
        out(&mut w, "ls -l /dev"),
        "total 0\n\
         crw-rw---- 1 root kvm  10, 232 Jun  2 09:00 kvm\n\
         crw-rw-rw- 1 root root  1,   3 Jun  2 09:00 null\n\
         crw-rw-rw- 1 root root  1,   9 Jun  2 09:00 urandom\n\
         crw-rw-rw- 1 root root  1,   5 Jun  2 09:00 zero\n"
    );
    assert_eq!(out(&mut w, "ls -s1 a.txt zero.img"), "   4 a.txt\n3072 zero.img\n");
    assert_eq!(out(&mut w, "ls -id /"), "2 /\n");
    assert_eq!(out(&mut w, "ls -dF d link a.txt"), "a.txt  d/  link@\n");
    assert_eq!(out(&mut w, "ls --full-time old"), "-rw-r--r-- 1 root root 0 2024-01-01 00:00:00.000000000 +0000 old\n");
    assert_eq!(
        out(&mut w, "ls -ln /var/lib/libvirt"),
        "total 16\ndrwx--x--x 2 0 0 4096 Jun  2 09:00 boot\ndrwxr-xr-x 2 0 0 4096 Jun  2 09:00 dnsmasq\n\
         drwx--x--x 2 0 0 4096 Jun  2 09:00 images\ndrwxr-x--x 9 0 0 4096 Jun  2 09:00 qemu\n"
    );
    assert_eq!(
        run(&mut w, "ls nosuch a.txt"),
        ("a.txt\n".into(), "ls: cannot access 'nosuch': No such file or directory\n".into(), 2)
    );
    assert_eq!(run(&mut w, "ls -z").1, "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n");
}

#[test]
fn ls_recurses_and_names_directories() {
    let mut w = world();
    out(&mut w, "mkdir -p d/sub; echo x > d/sub/f; touch d/a");
    assert_eq!(out(&mut w, "ls -R"), ".:\nd\n\n./d:\na  sub\n\n./d/sub:\nf\n");
    assert_eq!(out(&mut w, "ls d d/sub"), "d:\na  sub\n\nd/sub:\nf\n");
    assert_eq!(out(&mut w, "ls d/a d/sub"), "d/a\n\nd/sub:\nf\n");
}

#[test]
fn stat_prints_the_gnu_layout() {
    let mut w = world();
    out(&mut w, "printf 'hello\\nworld\\n' > a.txt");
    assert_eq!(
        out(&mut w, "stat a.txt"),
        "  File: a.txt\n  Size: 12        \tBlocks: 8          IO Block: 4096   regular file\n\
         Device: 254,1\tInode: 1310792     Links: 1\n\
         Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)\n\
         Access: 2025-06-02 09:00:03.000000000 +0000\nModify: 2025-06-02 09:00:03.000000000 +0000\n\
         Change: 2025-06-02 09:00:03.000000000 +0000\n Birth: 2025-06-02 09:00:03.000000000 +0000\n"
    );
    assert_eq!(
        out(&mut w, "stat /dev/kvm").lines().nth(2),
        Some("Device: 0,5\tInode: 1310759     Links: 1     Device type: 10,232")
    );
    assert_eq!(
        out(&mut w, "stat /etc/os-release").lines().next(),
        Some("  File: /etc/os-release -> ../usr/lib/os-release")
    );
    assert_eq!(
        out(&mut w, "stat -c '%s %b %B %a %A %U %G %u %g %n %F %h %Y %d %D %f %t %T %o %m' a.txt /dev/kvm"),
        "12 8 512 644 -rw-r--r-- root root 0 0 a.txt regular file 1 1748854803 65025 fe01 81a4 0 0 4096 /\n\
         0 0 512 660 crw-rw---- root kvm 0 104 /dev/kvm character special file 1 1748854800 5 5 21b0 a e8 4096 /\n"
    );
    assert_eq!(
        out(&mut w, "stat -c '%N|%-6s|%06s|%.3n|%z' /etc/os-release"),
        "'/etc/os-release' -> '../usr/lib/os-release'|21    |000021|/et|2025-06-02 09:00:00.000000000 +0000\n"
    );
    assert_eq!(out(&mut w, "stat --printf '%s\\t%n\\n\\101' a.txt"), "12\ta.txt\nA");
    assert_eq!(
        run(&mut w, "stat nosuch"),
        (String::new(), "stat: cannot statx 'nosuch': No such file or directory\n".into(), 1)
    );
}

#[test]
fn du_counts_blocks_or_apparent_sizes() {
    let mut w = world();
    out(&mut w, "mkdir -p d/sub; echo x > d/sub/f; printf 'hello\\n' > a.txt; truncate -s 1G sparse.img");
    out(&mut w, "dd if=/dev/zero of=zero.img bs=1M count=3 status=none");
    assert_eq!(out(&mut w, "du"), "8\t./d/sub\n12\t./d\n3092\t.\n");
    assert_eq!(out(&mut w, "du -a d"), "4\td/sub/f\n8\td/sub\n12\td\n");
    assert_eq!(out(&mut w, "du -sh . zero.img sparse.img"), "3.1M\t.\n3.0M\tzero.img\n0\tsparse.img\n");
    assert_eq!(out(&mut w, "du -b a.txt d sparse.img"), "6\ta.txt\n4098\td/sub\n8194\td\n1073741824\tsparse.img\n");
    assert_eq!(out(&mut w, "du --apparent-size -s d sparse.img"), "9\td\n1048576\tsparse.img\n");
    assert_eq!(out(&mut w, "du -c -m zero.img a.txt"), "3\tzero.img\n1\ta.txt\n4\ttotal\n");
    assert_eq!(out(&mut w, "du -d 1 -h"), "12K\t./d\n3.1M\t.\n");
    assert_eq!(
        run(&mut w, "du nosuch"),
        (String::new(), "du: cannot access 'nosuch': No such file or directory\n".into(), 1)
    );
}

#[test]
fn cp_keeps_contents_and_image_structure() {
    let mut w = world();
    out(&mut w, "qemu-img create -f qcow2 disk.qcow2 1G >/dev/null; chmod 600 disk.qcow2");
    out(&mut w, "cp disk.qcow2 copy.qcow2; cp -a disk.qcow2 archive.qcow2");
    let fs = &w.machine().fs;
    let file = |name: &str| fs.file(fs.resolve(ROOT, &format!("/tmp/t/{name}"), true).unwrap()).unwrap().clone();
    let image = file("disk.qcow2");
    assert!(image.qcow2.is_some());
    for name in ["copy.qcow2", "archive.qcow2"] {
        let copy = file(name);
        assert_eq!((copy.len, &copy.contents, &copy.qcow2), (image.len, &image.contents, &image.qcow2), "{name}");
        assert_eq!(copy.blocks.allocated(), image.blocks.allocated(), "{name}");
    }
    let info = out(&mut w, "qemu-img info disk.qcow2");
    assert_eq!(out(&mut w, "qemu-img info copy.qcow2"), info.replace("disk.qcow2", "copy.qcow2"));
    assert_eq!(
        out(&mut w, "stat -c '%a %Y %n' disk.qcow2 copy.qcow2 archive.qcow2"),
        "600 1748854803 disk.qcow2\n600 1748854805 copy.qcow2\n600 1748854803 archive.qcow2\n"
    );
}

#[test]
fn cp_sparse_modes_decide_the_allocated_blocks() {
    let mut w = world();
    out(&mut w, "printf x > m; truncate -s 100K m; printf y >> m");
    out(&mut w, "cp m auto; cp --sparse=always m always; cp --sparse=never m never");
    assert_eq!(
        out(&mut w, "stat -c '%n %s %b' m auto always never"),
        "m 102401 16\nauto 102401 16\nalways 102401 16\nnever 102401 208\n"
    );
    out(&mut w, "dd if=/dev/zero of=zeros bs=1M count=2 status=none; printf z >> zeros");
    out(&mut w, "cp zeros z-auto; cp --sparse=always zeros z-always");
    assert_eq!(out(&mut w, "stat -c '%n %b' zeros z-auto z-always"), "zeros 4104\nz-auto 4104\nz-always 8\n");
    out(&mut w, "fallocate -l 1M fa; cp fa fa-auto; fallocate -o 4M -l 4K fa; cp fa fa-sparse");
    assert_eq!(
        out(&mut w, "stat -c '%n %s %b' fa fa-auto fa-sparse"),
        "fa 4198400 2056\nfa-auto 1048576 2048\nfa-sparse 4198400 0\n"
    );
    let fs = &w.machine().fs;
    let ino = fs.resolve(ROOT, "/tmp/t/fa-auto", true).unwrap();
    assert_eq!(fs.file(ino).unwrap().blocks.ranges().collect::<Vec<_>>(), vec![(0, 1 << 20, BlockState::Written)]);
}

#[test]
fn cp_mv_rm_and_mkdir_work_on_trees() {
    let mut w = world();
    out(&mut w, "mkdir -p d/sub; echo x > d/sub/f; chmod 700 d/sub");
    assert_eq!(out(&mut w, "cp -rv d e"), "'d' -> 'e'\n'd/sub' -> 'e/sub'\n'd/sub/f' -> 'e/sub/f'\n");
    assert_eq!(out(&mut w, "stat -c %a e/sub; cat e/sub/f"), "700\nx\n");
    assert_eq!(out(&mut w, "mkdir t2; cp -r d t2; find t2"), "t2\nt2/d\nt2/d/sub\nt2/d/sub/f\n");
    assert_eq!(out(&mut w, "mv -v e/sub/f d/g; ls d"), "renamed 'e/sub/f' -> 'd/g'\ng  sub\n");
    assert_eq!(out(&mut w, "mv d/g t2; ls t2"), "d  g\n");
    assert_eq!(
        out(&mut w, "rm -rv t2"),
        "removed 't2/d/sub/f'\nremoved directory 't2/d/sub'\nremoved directory 't2/d'\nremoved 't2/g'\nremoved directory 't2'\n"
    );
    assert_eq!(run(&mut w, "rm d"), (String::new(), "rm: cannot remove 'd': Is a directory\n".into(), 1));
    assert_eq!(run(&mut w, "rmdir d"), (String::new(), "rmdir: failed to remove 'd': Directory not empty\n".into(), 1));
    assert_eq!(run(&mut w, "mkdir d"), (String::new(), "mkdir: cannot create directory ‘d’: File exists\n".into(), 1));
    assert_eq!(
        out(&mut w, "mkdir -pv d/sub/x/y"),
        "mkdir: created directory 'd/sub/x'\nmkdir: created directory 'd/sub/x/y'\n"
    );
    assert_eq!(
        out(&mut w, "mkdir -m 1777 sticky; mkdir -m u=rwx,go= private; stat -c %A sticky private"),
        "drwxrwxrwt\ndrwx------\n"
    );
    assert_eq!(run(&mut w, "cp -r d d/sub").1, "cp: cannot copy a directory, 'd', into itself, 'd/sub/d'\n");
    assert_eq!(run(&mut w, "mv d d/sub").1, "mv: cannot move 'd' to a subdirectory of itself, 'd/sub/d'\n");
    assert_eq!(out(&mut w, "rm -r d e sticky private; ls"), "");
}

#[test]
fn links_touch_chmod_and_chown() {
    let mut w = world();
    out(&mut w, "echo hi > a; ln a hard; ln -s a soft; ln -s /nowhere dangling");
    assert_eq!(out(&mut w, "stat -c '%h %n' a hard; cat hard"), "2 a\n2 hard\nhi\n");
    out(&mut w, "echo more >> hard");
    assert_eq!(out(&mut w, "cat a; rm a; cat hard; stat -c %h hard"), "hi\nmore\nhi\nmore\n1\n");
    assert_eq!(run(&mut w, "ln -s a soft").1, "ln: failed to create symbolic link 'soft': File exists\n");
    assert_eq!(out(&mut w, "ln -sfv hard soft; readlink soft"), "'soft' -> 'hard'\nhard\n");
    assert_eq!(out(&mut w, "readlink -f dangling; readlink -m x/../y/z"), "/nowhere\n/tmp/t/y/z\n");
    w.tick(3600);
    out(&mut w, "touch hard new");
    assert_eq!(out(&mut w, "stat -c '%Y %s %n' hard new"), "1748858419 8 hard\n1748858419 0 new\n");
    out(&mut w, "touch -t 202401011230.45 new");
    assert_eq!(out(&mut w, "date -d @$(stat -c %Y new) '+%F %T'"), "2024-01-01 12:30:45\n");
    assert_eq!(
        out(&mut w, "chmod -v go-r,u+x hard"),
        "mode of 'hard' changed from 0644 (rw-r--r--) to 0700 (rwx------)\n"
    );
    assert_eq!(
        out(&mut w, "chmod -c 755 hard; chmod -c 755 hard"),
        "mode of 'hard' changed from 0700 (rwx------) to 0755 (rwxr-xr-x)\n"
    );
    assert_eq!(
        out(&mut w, "chown libvirt-qemu:kvm hard; ls -l hard"),
        "-rwxr-xr-x 1 libvirt-qemu kvm 8 Jun  2 10:00 hard\n"
    );
    assert_eq!(out(&mut w, "chown -v root: hard"), "changed ownership of 'hard' from libvirt-qemu:kvm to root:root\n");
    assert_eq!(out(&mut w, "chgrp -v kvm hard"), "changed group of 'hard' from root to kvm\n");
    assert_eq!(run(&mut w, "chown nobody:nosuch hard").1, "chown: invalid group: ‘nobody:nosuch’\n");
    assert_eq!(run(&mut w, "chmod 8 hard").1, "chmod: invalid mode: ‘8’\nTry 'chmod --help' for more information.\n");
}

#[test]
fn find_evaluates_expressions_and_actions() {
    let mut w = world();
    out(&mut w, "mkdir -p d/sub; echo x > d/sub/f.txt; touch d/a.txt d/b.img; ln -s a.txt d/l");
    assert_eq!(out(&mut w, "find d -name '*.txt'"), "d/a.txt\nd/sub/f.txt\n");
    assert_eq!(out(&mut w, "find d -type f -o -type l"), "d/a.txt\nd/b.img\nd/l\nd/sub/f.txt\n");
    assert_eq!(out(&mut w, "find d ! -type d -maxdepth 1"), "d/a.txt\nd/b.img\nd/l\n");
    assert_eq!(out(&mut w, "find d -mindepth 2"), "d/sub/f.txt\n");
    assert_eq!(out(&mut w, "find d -empty"), "d/a.txt\nd/b.img\n");
    assert_eq!(out(&mut w, "find d -size -1k -type f"), "d/a.txt\nd/b.img\n");
    assert_eq!(out(&mut w, "find d \\( -name '*.img' -o -name f.txt \\) -print"), "d/b.img\nd/sub/f.txt\n");
    assert_eq!(out(&mut w, "find d -name '*.txt' -exec cat {} \\;"), "x\n");
    assert_eq!(out(&mut w, "find d -name '*.txt' -exec echo files: {} +"), "files: d/a.txt d/sub/f.txt\n");
    assert_eq!(out(&mut w, "find /etc -name 'host*'"), "/etc/hostname\n/etc/hosts\n");
    assert_eq!(out(&mut w, "find d -name '*.img' -delete; ls d"), "a.txt  l  sub\n");
    assert_eq!(
        run(&mut w, "find d nosuch -name zz"),
        (String::new(), "find: ‘nosuch’: No such file or directory\n".into(), 1)
    );
    assert_eq!(run(&mut w, "find d -name"), (String::new(), "find: missing argument to `-name'\n".into(), 1));
    assert_eq!(
        run(&mut w, "find d -name a x"),
        (String::new(), "find: paths must precede expression: `x'\n".into(), 1)
    );
}

#[test]
fn names_identities_and_which() {
    let mut w = world();
    assert_eq!(
        out(&mut w, "readlink /etc/os-release; readlink -f /etc/os-release; realpath /etc/../etc/os-release"),
        "../usr/lib/os-release\n/usr/lib/os-release\n/usr/lib/os-release\n"
    );
    assert_eq!(
        out(&mut w, "cd /var/lib/libvirt/images; realpath . ../boot"),
        "/var/lib/libvirt/images\n/var/lib/libvirt/boot\n"
    );
    assert_eq!(
        out(&mut w, "basename /var/lib/libvirt/images/vm.qcow2 .qcow2; dirname /var/lib/libvirt/images/vm.qcow2"),
        "vm\n/var/lib/libvirt/images\n"
    );
    assert_eq!(run(&mut w, "which ls grep cd nosuch"), ("/usr/bin/ls\n/usr/bin/grep\n".into(), String::new(), 1));
    assert_eq!(out(&mut w, "id"), "uid=0(root) gid=0(root) groups=0(root)\n");
    assert_eq!(
        out(&mut w, "id libvirt-qemu; id -Gn libvirt-qemu"),
        "uid=64055(libvirt-qemu) gid=104(kvm) groups=104(kvm),64055(libvirt-qemu)\nkvm libvirt-qemu\n"
    );
    assert_eq!(out(&mut w, "groups; groups libvirt-qemu"), "root\nlibvirt-qemu : kvm libvirt-qemu\n");
    assert_eq!(run(&mut w, "id nosuch"), (String::new(), "id: ‘nosuch’: no such user\n".into(), 1));
}
