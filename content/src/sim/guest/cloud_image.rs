//! The Debian 12 "genericcloud" image's root file system: a Debian guest with cloud-init
//! installed and not yet run — no `/var/lib/cloud`, no default user (cloud-init makes
//! `debian`), the host name `localhost`, Debian's `/etc/cloud/cloud.cfg`, sshd's default
//! configuration, an `/etc/shadow` with locked system accounts, and the time zones of tzdata.
//!
//! Simplified: the image carries SSH host keys from its build (so that cloud-init's `ssh`
//! module visibly deletes and replaces them); time zone files are small stand-ins.

use rand::Rng;

use super::os::debian_guest;
use super::packages;
use crate::sim::vfs::{ROOT, Vfs};

/// Debian's `/etc/cloud/cloud.cfg` (cloud-init 22.4.2-1+deb12u4).
pub const CLOUD_CFG: &str = include_str!("../cloud_init/files/cloud.cfg");
/// `/etc/cloud/cloud.cfg.d/05_logging.cfg`.
pub const LOGGING_CFG: &str = include_str!("../cloud_init/files/05_logging.cfg");
/// `/etc/cloud/templates/hosts.debian.tmpl`.
pub const HOSTS_TEMPLATE: &str = include_str!("../cloud_init/files/hosts.debian.tmpl");
/// openssh-server 9.2p1's `/etc/ssh/sshd_config` as Debian 12 installs it.
pub const SSHD_CONFIG: &str = include_str!("files/sshd_config");
/// The zone names of tzdata (`zone1970.tab`, plus `UTC` and `Etc/UTC`).
pub const ZONES: &str = include_str!("files/zones.txt");

/// Debian 12's `/etc/sudoers` (the lines that are not comments).
const SUDOERS: &str = "#\n# This file MUST be edited with the 'visudo' command as root.\n#\nDefaults\tenv_reset\nDefaults\tmail_badpass\nDefaults\tsecure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\nDefaults\tuse_pty\n\n# User privilege specification\nroot\tALL=(ALL:ALL) ALL\n\n# Allow members of group sudo to execute any command\n%sudo\tALL=(ALL:ALL) ALL\n\n# See sudoers(5) for more information on \"@include\" directives:\n\n@includedir /etc/sudoers.d\n";

/// The locales the image generates (`locale-gen` builds what `/etc/locale.gen` lists; Debian's
/// ignores the locale cloud-init passes it).
const LOCALE_GEN: &str = "# This file lists locales that you wish to have built. You can find a list\n# of valid supported locales at /usr/share/i18n/SUPPORTED, and you can add\n# user defined locales to /usr/local/share/i18n/locales. If you change\n# this file, you need to rerun locale-gen.\n\nde_DE.UTF-8 UTF-8\nen_GB.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\nfr_FR.UTF-8 UTF-8\n";

/// The days since the epoch of a time (the date fields of `/etc/shadow`).
pub fn shadow_day(now: i64) -> i64 {
    now.div_euclid(86_400)
}

/// `/etc/shadow` for the accounts of `/etc/passwd`: every password locked (`*`) except those
/// given in `passwords` (a hash, or `!` for locked).
pub fn shadow_for(passwd: &str, passwords: &[(&str, &str)], now: i64) -> String {
    let day = shadow_day(now);
    passwd
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(|name| {
            let hash = passwords.iter().find(|(n, _)| *n == name).map_or("*", |(_, h)| h);
            format!("{name}:{hash}:{day}:0:99999:7:::\n")
        })
        .collect()
}

/// The group lines a Debian 12 cloud image has (the groups of cloud-init's default user exist).
const GROUP: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nnews:x:9:\nuucp:x:10:\nman:x:12:\nproxy:x:13:\nkmem:x:15:\ndialout:x:20:\nfax:x:21:\nvoice:x:22:\ncdrom:x:24:\nfloppy:x:25:\ntape:x:26:\nsudo:x:27:\naudio:x:29:\ndip:x:30:\nwww-data:x:33:\nbackup:x:34:\noperator:x:37:\nlist:x:38:\nirc:x:39:\nsrc:x:40:\nshadow:x:42:\nutmp:x:43:\nvideo:x:44:\nsasl:x:45:\nplugdev:x:46:\nstaff:x:50:\ngames:x:60:\nusers:x:100:\nnogroup:x:65534:\nsystemd-journal:x:999:\nsystemd-network:x:998:\nnetdev:x:101:\nmessagebus:x:102:\nssh:x:103:\n";

const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\nman:x:6:12:man:/var/cache/man:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nsystemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\nmessagebus:x:100:102::/nonexistent:/usr/sbin/nologin\nsshd:x:101:65534::/run/sshd:/usr/sbin/nologin\n";

/// The root file system of the Debian 12 genericcloud image.
pub fn debian_cloud_guest(rng: &mut impl Rng, now: i64) -> Vfs {
    let mut fs = debian_guest("localhost", rng, now);
    // No installer ran: no user of its own, no shell history, an empty machine ID (systemd
    // makes one at first boot), and the files of the image build.
    let id = fs.read_text(ROOT, "/etc/machine-id", 64).unwrap_or_default();
    crate::sim::libvirt::files::remove(&mut fs, &format!("/var/log/journal/{}", id.trim()), now);
    crate::sim::libvirt::files::remove(&mut fs, "/home/debian", now);
    crate::sim::libvirt::files::remove(&mut fs, "/root/.bash_history", now);
    let _ = fs.put_file("/etc/machine-id", b"", 0o444, now);
    let files: &[(&str, &str, u32)] = &[
        ("/etc/passwd", PASSWD, 0o644),
        ("/etc/group", GROUP, 0o644),
        ("/etc/cloud/cloud.cfg", CLOUD_CFG, 0o644),
        ("/etc/cloud/cloud.cfg.d/05_logging.cfg", LOGGING_CFG, 0o644),
        ("/etc/cloud/templates/hosts.debian.tmpl", HOSTS_TEMPLATE, 0o644),
        ("/etc/ssh/sshd_config", SSHD_CONFIG, 0o644),
        ("/etc/sudoers", SUDOERS, 0o440),
        ("/etc/timezone", "Etc/UTC\n", 0o644),
        ("/etc/locale.gen", LOCALE_GEN, 0o644),
        ("/etc/skel/.bashrc", include_str!("files/skel.bashrc"), 0o644),
        ("/etc/skel/.profile", include_str!("files/skel.profile"), 0o644),
        ("/etc/skel/.bash_logout", include_str!("files/skel.bash_logout"), 0o644),
        ("/etc/default/useradd", "SHELL=/bin/sh\n", 0o644),
        (
            "/etc/hosts",
            "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n",
            0o644,
        ),
    ];
    for (path, text, mode) in files {
        crate::sim::libvirt::files::write(&mut fs, path, text, *mode, now);
    }
    let shadow = shadow_for(PASSWD, &[], now);
    crate::sim::libvirt::files::write(&mut fs, "/etc/shadow", &shadow, 0o640, now);
    set_group(&mut fs, "/etc/shadow", 42);
    let _ = fs.mkdir_p("/etc/sudoers.d", 0o750, now);
    let _ = fs.mkdir_p("/etc/ssh/sshd_config.d", 0o755, now);
    let _ = fs.mkdir_p("/home", 0o755, now);
    for zone in ZONES.lines().filter(|z| !z.is_empty()) {
        let path = format!("/usr/share/zoneinfo/{zone}");
        crate::sim::libvirt::files::write(&mut fs, &path, "TZif2\n", 0o644, now);
    }
    let _ = fs.put_symlink("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC", now);
    let mut base: Vec<&str> = packages::BASE.to_vec();
    base.push("cloud-init");
    crate::sim::libvirt::files::write(&mut fs, packages::STATUS, &packages::status_text(&base), 0o644, now);
    fs
}

fn set_group(fs: &mut Vfs, path: &str, gid: u32) {
    if let Ok(ino) = fs.resolve(ROOT, path, true)
        && let Some(node) = fs.node_mut(ino)
    {
        node.gid = gid;
    }
}

/// Where the learner finds the cloud image on the host.
pub const IMAGE_PATH: &str = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2";

/// Puts the Debian 12 genericcloud image (qcow2, 2 GiB virtual, about 330 MiB of data, as
/// downloaded from cloud.debian.org) into the host's `/var/lib/libvirt/images`, with the storage
/// pool `default` over that directory.
pub fn add_cloud_image(world: &mut crate::sim::World) {
    use crate::sim::disk::qcow2::{CreateOptions, Data, Qcow2};
    let now = world.clock;
    let mut file = crate::sim::vfs::RegularFile::default();
    let mut q = Qcow2::create(&mut file, &CreateOptions { size: 2 << 30, ..CreateOptions::default() });
    for (offset, len) in [(1u64 << 20, 3u64 << 20), (128 << 20, 300 << 20), (1900 << 20, 27 << 20)] {
        q.write(&mut file, None, offset, len, Data::Fill(0x5a));
    }
    file.qcow2 = Some(Box::new(q));
    file.guest = Some(Box::new(debian_cloud_guest(&mut world.rng, now)));
    let fs = &mut world.machines[0].fs;
    let Ok((dir, name)) = fs.resolve_parent(ROOT, IMAGE_PATH) else { return };
    let name = name.to_owned();
    let _ = fs.create(dir, &name, crate::sim::vfs::Node::file(file, 0o644, now));
    if !world.libvirt.pools.contains_key("default") {
        crate::sim::libvirt::setup::define_default_pool(world);
    }
}
