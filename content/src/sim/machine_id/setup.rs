//! `systemd-machine-id-setup` of systemd 252: a valid /etc/machine-id is left alone; a missing
//! one is created (mode 0444, its directories too); an empty, `uninitialized` or otherwise
//! invalid one is truncated and rewritten in place (its mode stays). The new ID comes from
//! D-Bus's file (if it is a regular file with a valid ID), on a KVM guest from the VM's UUID,
//! or from the random generator.

use super::{Id128, ReadError, absolute, create_file, random_v4, read_file, rewrite, to_hex};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, Node, NodeKind};
use crate::sim::world::MachineKind;

pub const USAGE: &str = "systemd-machine-id-setup [OPTIONS...]

Initialize /etc/machine-id from a random source.

  -h --help             Show this help
     --version          Show package version
     --root=PATH        Operate relative to root path
     --image=PATH       Operate relative to image file
     --commit           Commit transient ID
     --print            Print used machine ID

See the systemd-machine-id-setup(1) man page for details.
";

/// What `--version` of every systemd 252 tool prints.
pub const SYSTEMD_VERSION: &str = "systemd 252 (252.39-1~deb12u2)\n+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified\n";

/// Where a new machine ID came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdSource {
    DBus,
    VmUuid,
    Random,
}

impl IdSource {
    /// The line systemd logs.
    pub fn message(self) -> &'static str {
        match self {
            Self::DBus => "Initializing machine ID from D-Bus machine ID.\n",
            Self::VmUuid => "Initializing machine ID from VM UUID.\n",
            Self::Random => "Initializing machine ID from random generator.\n",
        }
    }
}

/// Why a file holds no usable ID, as the errno systemd's `id128_read_fd` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id128Error {
    Fs(FsError),
    /// `ENOMEDIUM`: empty (or all zeros, for `sd_id128_get_machine`).
    NoMedium,
    /// `ENOPKG`: `uninitialized`.
    Uninitialized,
    /// `EINVAL`: anything else.
    Invalid,
}

impl Id128Error {
    pub fn message(self) -> String {
        match self {
            Self::Fs(e) => e.message(),
            Self::NoMedium => "No medium found".to_owned(),
            Self::Uninitialized => "Package not installed".to_owned(),
            Self::Invalid => "Invalid argument".to_owned(),
        }
    }
}

/// `id128_read_fd(…, ID128_PLAIN)` on file contents: 32 hex digits (either case), optionally
/// followed by exactly one newline.
pub fn parse_plain(bytes: &[u8]) -> Result<Id128, Id128Error> {
    // systemd reads at most 38 bytes.
    let bytes = &bytes[..bytes.len().min(38)];
    match bytes.len() {
        0 => Err(Id128Error::NoMedium),
        13 | 14 if b"uninitialized\n".starts_with(bytes) => Err(Id128Error::Uninitialized),
        33 if bytes[32] != b'\n' => Err(Id128Error::Invalid),
        32 | 33 => std::str::from_utf8(&bytes[..32]).ok().and_then(super::parse_id).ok_or(Id128Error::Invalid),
        _ => Err(Id128Error::Invalid),
    }
}

/// `id128_read(path, ID128_PLAIN)`.
pub fn read_plain(ctx: &Ctx<'_>, path: &str) -> Result<Id128, Id128Error> {
    match read_file(ctx, path) {
        Ok(bytes) => parse_plain(&bytes),
        Err(ReadError::Open(e)) => Err(Id128Error::Fs(e)),
        Err(ReadError::NotRegular { dir: true }) => Err(Id128Error::Fs(FsError::IsDir)),
        Err(ReadError::NotRegular { dir: false }) => Err(Id128Error::Invalid),
    }
}

pub fn systemd_machine_id_setup(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    const NAME: &str = "systemd-machine-id-setup";
    let mut root: Option<String> = None;
    let mut image: Option<String> = None;
    let (mut commit, mut print) = (false, false);
    let mut operands = 0;
    let mut iter = args[1..].iter();
    let mut only_operands = false;
    while let Some(arg) = iter.next() {
        if only_operands || !arg.starts_with('-') || arg == "-" {
            operands += 1;
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (key, value) = match long.split_once('=') {
                Some((k, v)) => (k, Some(v.to_owned())),
                None => (long, None),
            };
            // getopt_long accepts any unambiguous prefix; these names all differ in their first
            // letter.
            let options = ["help", "version", "root", "image", "commit", "print"];
            let Some(option) = options.iter().find(|o| !key.is_empty() && o.starts_with(key)) else {
                ctx.err(&format!("{NAME}: unrecognized option '--{key}'\n"));
                return 1;
            };
            let takes_value = matches!(*option, "root" | "image");
            let value = match (takes_value, value) {
                (true, Some(v)) => Some(v),
                (true, None) => {
                    let Some(v) = iter.next() else {
                        ctx.err(&format!("{NAME}: option '--{option}' requires an argument\n"));
                        return 1;
                    };
                    Some(v.clone())
                }
                (false, Some(_)) => {
                    ctx.err(&format!("{NAME}: option '--{option}' doesn't allow an argument\n"));
                    return 1;
                }
                (false, None) => None,
            };
            match *option {
                "help" => {
                    ctx.out(USAGE);
                    return 0;
                }
                "version" => {
                    ctx.out(SYSTEMD_VERSION);
                    return 0;
                }
                "root" => root = value.and_then(|v| if v.is_empty() { None } else { absolute(ctx, &v) }),
                "image" => image = value.and_then(|v| if v.is_empty() { None } else { absolute(ctx, &v) }),
                "commit" => commit = true,
                _ => print = true,
            }
        } else {
            // Only the first letter of a group matters: `-h` prints the help, anything else
            // is an error.
            let c = arg[1..].chars().next().unwrap_or('-');
            if c == 'h' {
                ctx.out(USAGE);
                return 0;
            }
            ctx.err(&format!("{NAME}: invalid option -- '{c}'\n"));
            return 1;
        }
    }
    if operands > 0 {
        ctx.err("Extraneous arguments\n");
        return 1;
    }
    if image.is_some() && root.is_some() {
        ctx.err("Please specify either --root= or --image=, the combination of both is not supported.\n");
        return 1;
    }
    if let Some(image) = image {
        ctx.err(&format!("Failed to set up loopback device for {image}: Operation not permitted\n"));
        return 1;
    }
    let root = root.as_deref();
    let etc = prefixed(root, "/etc/machine-id");
    let id = if commit {
        // machine_id_commit: only a transient (mounted) ID is committed; GuestLab's files are
        // never mount points, so this checks the path and reads the ID back.
        if let Err(e) = ctx.resolve(&etc, false) {
            ctx.err(&format!("Failed to determine whether {etc} is a mount point: {e}\n"));
            return 1;
        }
        match read_plain(ctx, &etc) {
            Ok(id) => id,
            Err(e) => {
                ctx.err(&format!("Failed to read machine ID back: {}\n", e.message()));
                return 1;
            }
        }
    } else {
        match machine_id_setup(ctx, root) {
            Ok((id, source)) => {
                if let Some(source) = source {
                    ctx.err(source.message());
                }
                id
            }
            Err((source, message)) => {
                if let Some(source) = source {
                    ctx.err(source.message());
                }
                ctx.err(&format!("{message}\n"));
                return 1;
            }
        }
    };
    if print {
        ctx.out(&format!("{}\n", to_hex(&id)));
    }
    0
}

/// `prefix_roota`.
fn prefixed(root: Option<&str>, path: &str) -> String {
    root.map_or_else(|| path.to_owned(), |r| format!("{r}{path}"))
}

/// systemd's `machine_id_setup(root, false, NULL)`: makes `ROOT/etc/machine-id` hold a valid
/// ID. Returns the ID and, if it is new, where it came from; or the error message (with the
/// source if an ID had already been generated when it failed).
pub fn machine_id_setup(
    ctx: &mut Ctx<'_>,
    root: Option<&str>,
) -> Result<(Id128, Option<IdSource>), (Option<IdSource>, String)> {
    let etc = prefixed(root, "/etc/machine-id");
    mkdir_parents(ctx, &etc);
    // open(O_RDWR|O_CREAT, 0444) under umask 0, falling back to O_RDONLY.
    let opened = match ctx.resolve(&etc, true) {
        Ok(ino) => Ok((ino, ctx.fs().node(ino).is_some_and(|n| matches!(n.kind, NodeKind::File(_))))),
        Err(FsError::NotFound) => create_file(ctx, &etc, b"", 0o444).map(|ino| (ino, true)),
        Err(e) => Err(e),
    };
    let (ino, writable) = opened.map_err(|e| (None, format!("Cannot open {etc}: {e}")))?;
    let existing = match ctx.fs().node(ino).map(|n| &n.kind) {
        Some(NodeKind::File(f)) => parse_plain(&f.read_all(64)).ok(),
        _ => None,
    };
    if let Some(id) = existing {
        return Ok((id, None));
    }
    let (id, source) = generate_machine_id(ctx, root);
    if writable {
        rewrite(ctx, ino, format!("{}\n", to_hex(&id)).as_bytes())
            .map_err(|e| (Some(source), format!("Failed to write {etc}: {e}")))?;
        return Ok((id, Some(source)));
    }
    // /etc/machine-id cannot be written (here: it is a directory): systemd writes
    // /run/machine-id and tries to mount it over.
    let run = prefixed(root, "/run/machine-id");
    let written = match ctx.resolve(&run, true) {
        Ok(run_ino) => rewrite(ctx, run_ino, format!("{}\n", to_hex(&id)).as_bytes()),
        Err(FsError::NotFound) => create_file(ctx, &run, format!("{}\n", to_hex(&id)).as_bytes(), 0o444).map(|_| ()),
        Err(e) => Err(e),
    };
    remove(ctx, &run);
    match written {
        Err(e) => Err((Some(source), format!("Cannot write {run}: {e}"))),
        Ok(()) => {
            Err((Some(source), format!("Failed to mount {run} (type n/a) on {etc} (MS_BIND \"\"): Not a directory")))
        }
    }
}

/// `mkdir_parents(path, 0755)` under umask 0: every missing directory above `path`; errors are
/// ignored, as systemd does.
fn mkdir_parents(ctx: &mut Ctx<'_>, path: &str) {
    let now = ctx.now();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut prefix = String::new();
    for part in &parts[..parts.len().saturating_sub(1)] {
        prefix.push('/');
        prefix.push_str(part);
        match ctx.resolve(&prefix, true) {
            Ok(_) => {}
            Err(FsError::NotFound) => {
                let fs = ctx.fs_mut();
                let Ok((dir, name)) = fs.resolve_parent(crate::sim::vfs::ROOT, &prefix) else { return };
                let name = name.to_owned();
                if fs.create(dir, &name, Node::dir(0o755, now)).is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}

fn remove(ctx: &mut Ctx<'_>, path: &str) {
    let cwd = ctx.cwd();
    let now = ctx.now();
    let fs = ctx.fs_mut();
    if let Ok((dir, name)) = fs.resolve_parent(cwd, path) {
        let name = name.to_owned();
        let _ = fs.unlink(dir, &name, now);
    }
}

/// `generate_machine_id`: D-Bus's ID (not through a symlink), the VM's UUID on a KVM guest
/// (only without `--root`), or a random version-4 UUID.
fn generate_machine_id(ctx: &mut Ctx<'_>, root: Option<&str>) -> (Id128, IdSource) {
    let dbus = prefixed(root, super::DBUS_MACHINE_ID);
    // open(O_NOFOLLOW): a symlink (Debian's tmpfiles makes one to /etc/machine-id) is not read.
    let is_symlink = ctx.node(&dbus, false).is_ok_and(|n| matches!(n.kind, NodeKind::Symlink(_)));
    if !is_symlink && let Ok(id) = read_plain(ctx, &dbus) {
        return (id, IdSource::DBus);
    }
    if root.is_none() && ctx.machine().kind == MachineKind::Guest {
        // libvirt starts QEMU with `-uuid` = the domain's UUID; systemd reads it back from
        // /sys/class/dmi/id/product_uuid.
        let name = ctx.machine().name.clone();
        let uuid = ctx.world.libvirt.domains.get(&name).and_then(|d| super::parse_id(&d.def.uuid));
        if let Some(id) = uuid.filter(|id| id.iter().any(|b| *b != 0) && id.iter().any(|b| *b != 0xff)) {
            return (id, IdSource::VmUuid);
        }
    }
    (random_v4(ctx), IdSource::Random)
}
