//! A Debian 12 guest's root file system, as on a freshly installed VM: the machine ID, the
//! D-Bus link to it, the host name, SSH host keys, the journal, a user, and systemd-networkd
//! doing DHCP on the virtio NIC.

use rand::Rng;

use crate::sim::vfs::{ROOT, Vfs};

/// The three host key types `ssh-keygen -A` makes on Debian 12.
pub const KEY_TYPES: [KeyType; 3] = [KeyType::Rsa, KeyType::Ecdsa, KeyType::Ed25519];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    Ecdsa,
    Ed25519,
    /// Still made by cloud-init's `ssh` module (its default `ssh_genkeytypes`), not by
    /// `ssh-keygen -A`.
    Dsa,
}

impl KeyType {
    /// The file name part: `/etc/ssh/ssh_host_{name}_key`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rsa => "rsa",
            Self::Ecdsa => "ecdsa",
            Self::Ed25519 => "ed25519",
            Self::Dsa => "dsa",
        }
    }

    /// The algorithm name in the public key line.
    pub fn algorithm(self) -> &'static str {
        match self {
            Self::Rsa => "ssh-rsa",
            Self::Ecdsa => "ecdsa-sha2-nistp256",
            Self::Ed25519 => "ssh-ed25519",
            Self::Dsa => "ssh-dss",
        }
    }

    /// What `ssh-keygen -l` prints in parentheses.
    pub fn label(self) -> &'static str {
        match self {
            Self::Rsa => "RSA",
            Self::Ecdsa => "ECDSA",
            Self::Ed25519 => "ED25519",
            Self::Dsa => "DSA",
        }
    }

    pub fn bits(self) -> u32 {
        match self {
            Self::Rsa => 3072,
            Self::Ecdsa | Self::Ed25519 => 256,
            Self::Dsa => 1024,
        }
    }

    pub fn from_algorithm(alg: &str) -> Option<Self> {
        [Self::Rsa, Self::Ecdsa, Self::Ed25519, Self::Dsa].into_iter().find(|k| k.algorithm() == alg)
    }
}

/// A new key pair: the private key file's text and the public key line.
pub fn new_key(kind: KeyType, rng: &mut impl Rng, comment: &str) -> (String, String) {
    let pair = super::keygen::generate(kind, kind.bits(), comment, "", rng);
    (pair.private, pair.public)
}

/// Writes the host keys of every type that is missing (`ssh-keygen -A`); returns the types made.
pub fn generate_missing_host_keys(fs: &mut Vfs, rng: &mut impl Rng, hostname: &str, now: i64) -> Vec<KeyType> {
    let mut made = Vec::new();
    for kind in KEY_TYPES {
        let path = format!("/etc/ssh/ssh_host_{}_key", kind.name());
        if fs.resolve(ROOT, &path, false).is_ok() {
            continue;
        }
        let (private, public) = new_key(kind, rng, &format!("root@{hostname}"));
        let _ = fs.put_file(&path, private.as_bytes(), 0o600, now);
        let _ = fs.put_file(&format!("{path}.pub"), public.as_bytes(), 0o644, now);
        made.push(kind);
    }
    made
}

/// A new random machine ID as systemd makes one (a version-4 UUID in 32 hex digits).
pub fn new_machine_id(rng: &mut impl Rng) -> String {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    b.iter().map(|x| format!("{x:02x}")).collect()
}

const NETWORK_FILE: &str = "[Match]\nName=en*\n\n[Network]\nDHCP=yes\n";

/// The root file system of a freshly installed Debian 12 guest called `hostname`.
pub fn debian_guest(hostname: &str, rng: &mut impl Rng, now: i64) -> Vfs {
    let mut machine = crate::sim::host::debian_host(now);
    let fs = &mut machine.fs;
    // What only the KVM host has.
    for path in ["/var/lib/libvirt/images", "/var/lib/libvirt/boot", "/var/lib/libvirt", "/dev/kvm"] {
        if let Ok((dir, name)) = fs.resolve_parent(ROOT, path) {
            let name = name.to_owned();
            let _ = fs.unlink(dir, &name, now);
        }
    }
    let info = crate::sim::host::cpuinfo(
        2,
        "AuthenticAMD",
        15,
        107,
        "QEMU Virtual CPU version 2.5+",
        crate::sim::host::GUEST_CPU_FLAGS,
        "3192.000",
    );
    let _ = fs.put_file("/proc/cpuinfo", info.as_bytes(), 0o444, now);
    let id = new_machine_id(rng);
    let _ = fs.put_file("/etc/hostname", format!("{hostname}\n").as_bytes(), 0o644, now);
    let hosts = format!(
        "127.0.0.1\tlocalhost\n127.0.1.1\t{hostname}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n"
    );
    let _ = fs.put_file("/etc/hosts", hosts.as_bytes(), 0o644, now);
    let _ = fs.put_file("/etc/machine-id", format!("{id}\n").as_bytes(), 0o444, now);
    let _ = fs.mkdir_p("/var/lib/dbus", 0o755, now);
    if let Ok(dbus) = fs.resolve(ROOT, "/var/lib/dbus", true) {
        let _ = fs.unlink(dbus, "machine-id", now);
    }
    let _ = fs.put_symlink("/var/lib/dbus/machine-id", "/etc/machine-id", now);
    let _ = fs.mkdir_p(&format!("/var/log/journal/{id}"), 0o2755, now);
    let _ = fs.put_file(&format!("/var/log/journal/{id}/system.journal"), &[0u8; 0], 0o640, now);
    let _ = fs.mkdir_p("/etc/systemd/network", 0o755, now);
    let _ = fs.put_file("/etc/systemd/network/50-dhcp.network", NETWORK_FILE.as_bytes(), 0o644, now);
    let _ = fs.mkdir_p("/etc/ssh", 0o755, now);
    generate_missing_host_keys(fs, rng, hostname, now);
    let _ = fs.put_file("/root/.bash_history", b"apt update\napt full-upgrade -y\n", 0o600, now);
    if let Ok(home) = fs.mkdir_p("/home/debian", 0o755, now)
        && let Some(node) = fs.node_mut(home)
    {
        node.uid = 1000;
        node.gid = 1000;
    }
    let _ = fs.put_file(
        "/etc/passwd",
        without_libvirt(crate::sim::host::PASSWD, "debian:x:1000:1000:Debian,,,:/home/debian:/bin/bash\n").as_bytes(),
        0o644,
        now,
    );
    let _ =
        fs.put_file("/etc/group", without_libvirt(crate::sim::host::GROUP, "debian:x:1000:\n").as_bytes(), 0o644, now);
    // The installer set passwords for root and the first user (GuestLab: SHA-512 crypt with a
    // salt from the host name, so that no random number is drawn).
    let passwd = fs.read_text(ROOT, "/etc/passwd", 1 << 16).unwrap_or_default();
    let salt: String =
        super::ids::base64(hostname.as_bytes()).chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    let hash = super::crypt::sha512_crypt("debian", &format!("{salt}GuestLab"));
    let shadow = super::cloud_image::shadow_for(&passwd, &[("root", &hash), ("debian", &hash)], now);
    let _ = fs.put_file("/etc/shadow", shadow.as_bytes(), 0o640, now);
    let _ = fs.put_file("/etc/ssh/sshd_config", super::cloud_image::SSHD_CONFIG.as_bytes(), 0o644, now);
    let _ = fs.mkdir_p("/etc/ssh/sshd_config.d", 0o755, now);
    let _ = fs.mkdir_p("/var/lib/dpkg", 0o755, now);
    let status = super::packages::status_text(super::packages::BASE);
    let _ = fs.put_file(super::packages::STATUS, status.as_bytes(), 0o644, now);
    machine.fs
}

/// The host's account lines without libvirt's users (a guest has no libvirt), plus `extra`.
fn without_libvirt(lines: &str, extra: &str) -> String {
    let mut out: String = lines.lines().filter(|l| !l.contains("libvirt")).map(|l| format!("{l}\n")).collect();
    out.push_str(extra);
    out
}
