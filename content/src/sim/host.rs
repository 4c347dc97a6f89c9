//! The Debian 12 host every world starts with: the files a learner looks at, laid out as on a
//! real bookworm machine with KVM and libvirt installed.

use std::collections::BTreeMap;

use crate::sim::vfs::{Node, NodeKind, ROOT, Vfs};
use crate::sim::world::{Machine, MachineKind};

/// The host's `/etc/os-release` (Debian 12.8).
const OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n";

pub const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nsystemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\nmessagebus:x:100:107::/nonexistent:/usr/sbin/nologin\nlibvirt-qemu:x:64055:104:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin\nlibvirt-dnsmasq:x:101:109:Libvirt Dnsmasq,,,:/var/lib/libvirt/dnsmasq:/usr/sbin/nologin\n";

pub const GROUP: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nkvm:x:104:libvirt-qemu\nmessagebus:x:107:\nlibvirt:x:108:\nlibvirt-dnsmasq:x:109:\nlibvirt-qemu:x:64055:libvirt-qemu\nnogroup:x:65534:\n";

/// The host's machine ID.
pub const HOST_MACHINE_ID: &str = "3d1a6b0c9e4f27a85c6d1e2f6837e2d0";

/// The CPU flags of the host's processor (an Intel Core with VT-x: `vmx`).
pub const HOST_CPU_FLAGS: &str = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb invpcid_single pti ssbd ibrs ibpb stibp tpr_shadow vnmi flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid mpx rdseed adx smap clflushopt intel_pt xsaveopt xsavec xgetbv1 xsaves dtherm ida arat pln pts hwp hwp_notify hwp_act_window hwp_epp md_clear flush_l1d arch_capabilities";

/// The CPU flags a KVM guest sees with QEMU's default CPU model (no `vmx`: no nested
/// virtualization; `hypervisor`: it runs on one).
pub const GUEST_CPU_FLAGS: &str = "fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm rep_good nopl cpuid extd_apicid tsc_known_freq pni cx16 x2apic hypervisor lahf_lm cmp_legacy 3dnowprefetch vmmcall";

/// `/proc/cpuinfo` for `cpus` processors of one model.
pub fn cpuinfo(cpus: u32, vendor: &str, family: u32, model: u32, name: &str, flags: &str, mhz: &str) -> String {
    let mut s = String::new();
    for i in 0..cpus {
        s.push_str(&format!(
            "processor\t: {i}\nvendor_id\t: {vendor}\ncpu family\t: {family}\nmodel\t\t: {model}\nmodel name\t: {name}\nstepping\t: 1\ncpu MHz\t\t: {mhz}\ncache size\t: 512 KB\nphysical id\t: 0\nsiblings\t: {cpus}\ncore id\t\t: {i}\ncpu cores\t: {cpus}\napicid\t\t: {i}\ninitial apicid\t: {i}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\nflags\t\t: {flags}\nbogomips\t: 6399.96\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 39 bits physical, 48 bits virtual\npower management:\n\n"
        ));
    }
    s
}

/// A Debian 12 host named `host`, with the shell in `/root`.
pub fn debian_host(now: i64) -> Machine {
    let mut fs = Vfs::new(now);
    let dirs: &[(&str, u32)] = &[
        ("/bin", 0o755),
        ("/boot", 0o755),
        ("/dev", 0o755),
        ("/etc", 0o755),
        ("/etc/ssh", 0o755),
        ("/home", 0o755),
        ("/proc", 0o555),
        ("/root", 0o700),
        ("/run", 0o755),
        ("/srv", 0o755),
        ("/tmp", 0o1777),
        ("/usr/bin", 0o755),
        ("/usr/lib", 0o755),
        ("/usr/share", 0o755),
        ("/var/lib", 0o755),
        ("/var/log", 0o755),
        ("/var/tmp", 0o1777),
        ("/var/lib/libvirt/images", 0o711),
        ("/var/lib/libvirt/boot", 0o711),
    ];
    for (dir, mode) in dirs {
        set_up(fs.mkdir_p(dir, 0o755, now).map(|ino| set_mode(&mut fs, ino, *mode)));
    }
    let files: &[(&str, &str, u32)] = &[
        ("/etc/hostname", "host\n", 0o644),
        (
            "/etc/hosts",
            "127.0.0.1\tlocalhost\n127.0.1.1\thost\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n",
            0o644,
        ),
        ("/usr/lib/os-release", OS_RELEASE, 0o644),
        ("/etc/debian_version", "12.8\n", 0o644),
        ("/etc/passwd", PASSWD, 0o644),
        ("/etc/group", GROUP, 0o644),
        (
            "/root/.bashrc",
            "# ~/.bashrc: executed by bash(1) for non-login shells.\n\nexport LS_OPTIONS='--color=auto'\n",
            0o644,
        ),
        (
            "/root/.profile",
            "# ~/.profile: executed by Bourne-compatible login shells.\n\nif [ \"$BASH\" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\n\nmesg n 2> /dev/null || true\n",
            0o644,
        ),
    ];
    for (path, text, mode) in files {
        set_up(fs.put_file(path, text.as_bytes(), *mode, now).map(|_| ()));
    }
    let info =
        cpuinfo(4, "GenuineIntel", 6, 158, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", HOST_CPU_FLAGS, "3200.000");
    set_up(fs.put_file("/proc/cpuinfo", info.as_bytes(), 0o444, now).map(|_| ()));
    // As on Debian, /etc/os-release is a relative symlink into /usr/lib.
    set_up(fs.put_symlink("/etc/os-release", "../usr/lib/os-release", now).map(|_| ()));
    // The machine ID: /etc/machine-id (0444) and D-Bus's copy, a regular file (0644) with the
    // same ID, as on the Debian 12 host the tools were observed on. A fixed ID, in the shape
    // dbus-uuidgen makes (its last 8 hex digits are the Unix time of the installation).
    set_up(fs.mkdir_p("/var/lib/dbus", 0o755, now).map(|_| ()));
    let machine_id = format!("{HOST_MACHINE_ID}\n");
    set_up(fs.put_file("/etc/machine-id", machine_id.as_bytes(), 0o444, now).map(|_| ()));
    set_up(fs.put_file("/var/lib/dbus/machine-id", machine_id.as_bytes(), 0o644, now).map(|_| ()));
    let devices: &[(&str, u32, u32, u32, u32)] = &[
        ("null", 1, 3, 0o666, 0),
        ("zero", 1, 5, 0o666, 0),
        ("urandom", 1, 9, 0o666, 0),
        ("kvm", 10, 232, 0o660, 104),
    ];
    if let Ok(dev) = fs.resolve(ROOT, "/dev", true) {
        for (name, major, minor, mode, gid) in devices {
            let node = Node {
                kind: NodeKind::CharDev { major: *major, minor: *minor },
                mode: *mode,
                uid: 0,
                gid: *gid,
                mtime: now,
                nlink: 1,
            };
            set_up(fs.create(dev, name, node).map(|_| ()));
        }
    }
    let env = BTreeMap::from([
        ("HOME".to_owned(), "/root".to_owned()),
        ("USER".to_owned(), "root".to_owned()),
        ("LOGNAME".to_owned(), "root".to_owned()),
        ("SHELL".to_owned(), "/bin/bash".to_owned()),
        ("PATH".to_owned(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_owned()),
        ("LANG".to_owned(), "C.UTF-8".to_owned()),
        ("PWD".to_owned(), "/root".to_owned()),
        ("TERM".to_owned(), "xterm-256color".to_owned()),
    ]);
    Machine {
        name: "host".into(),
        kind: MachineKind::Host,
        fs,
        cwd: "/root".into(),
        env,
        status: 0,
        history: Vec::new(),
        guest: None,
    }
}

fn set_mode(fs: &mut Vfs, ino: usize, mode: u32) {
    if let Some(node) = fs.node_mut(ino) {
        node.mode = mode;
    }
}

/// Setting up the fixed host layout cannot fail; a failure here is a bug in the layout above.
fn set_up<T, E: std::fmt::Debug>(result: Result<T, E>) {
    if let Err(err) = result {
        debug_assert!(false, "host layout: {err:?}");
    }
}
