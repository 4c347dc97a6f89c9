//! The machine ID and the tools that make and read it: `dbus-uuidgen` (dbus 1.14),
//! `systemd-machine-id-setup` and `systemd-id128` (systemd 252), on the current machine's file
//! system. Messages, streams, exit statuses, modes and the way files are written (a temporary
//! file renamed into place, or truncated and rewritten in place) are those of the real tools,
//! compared with them by `content/tests/machine_id_diff.rs`.

mod dbus;
mod id128;
mod setup;

use rand::Rng as _;

use crate::sim::shell::Ctx;
use crate::sim::shell::commands::CommandInfo;
use crate::sim::vfs::{FsError, Ino, Node, NodeKind, RegularFile};

pub use dbus::DBUS_MACHINE_ID;
pub use setup::{IdSource, machine_id_setup};

/// The machine-ID commands of the shell.
pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "dbus-uuidgen",
        run: dbus::dbus_uuidgen,
        summary: "generate a D-Bus machine ID, or check and print one (--ensure, --get)",
        usage: dbus::USAGE,
    },
    CommandInfo {
        name: "systemd-machine-id-setup",
        run: setup::systemd_machine_id_setup,
        summary: "initialize /etc/machine-id if it is missing, empty or invalid",
        usage: setup::USAGE,
    },
    CommandInfo {
        name: "systemd-id128",
        run: id128::systemd_id128,
        summary: "generate and print 128-bit IDs (new, machine-id, boot-id, show)",
        usage: id128::USAGE,
    },
];

/// A 128-bit ID.
pub type Id128 = [u8; 16];

/// 32 lowercase hex digits.
pub fn to_hex(id: &Id128) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// The RFC 4122 form `8-4-4-4-12`.
pub fn to_uuid(id: &Id128) -> String {
    let hex = to_hex(id);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Parses 32 hex digits (either case), or the 36-character UUID form.
pub fn parse_id(text: &str) -> Option<Id128> {
    let hex: String = if text.len() == 36 {
        let b = text.as_bytes();
        if [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
            return None;
        }
        text.chars().filter(|c| *c != '-').collect()
    } else {
        text.to_owned()
    };
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut id = [0u8; 16];
    for (i, b) in id.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(id)
}

/// A random version-4 UUID, as systemd's `sd_id128_randomize`: hex digit 13 is `4`, digit 17
/// one of `89ab`.
pub fn random_v4(ctx: &mut Ctx<'_>) -> Id128 {
    let mut id: Id128 = ctx.world.rng.random();
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    id
}

/// Why a tool could not read a file's contents.
enum ReadError {
    /// `open` failed.
    Open(FsError),
    /// Opened, but not a regular file (a directory: `read` fails with `EISDIR`).
    NotRegular { dir: bool },
}

/// Reads a whole file (following symlinks), as a tool's `open` + `read` would.
fn read_file(ctx: &Ctx<'_>, path: &str) -> Result<Vec<u8>, ReadError> {
    let ino = ctx.resolve(path, true).map_err(ReadError::Open)?;
    match ctx.fs().node(ino).map(|n| &n.kind) {
        Some(NodeKind::File(f)) => Ok(f.read_all(1 << 20)),
        Some(NodeKind::Dir(_)) => Err(ReadError::NotRegular { dir: true }),
        Some(_) => Err(ReadError::NotRegular { dir: false }),
        None => Err(ReadError::Open(FsError::NotFound)),
    }
}

/// Creates a regular file `path` (which must not exist) with `mode`, owned by root, as
/// `open(O_CREAT)`; a dangling symlink at `path` is followed, as the kernel does.
fn create_file(ctx: &mut Ctx<'_>, path: &str, bytes: &[u8], mode: u32) -> Result<Ino, FsError> {
    let cwd = ctx.cwd();
    let target = ctx.fs().canonicalize(cwd, path)?;
    let now = ctx.now();
    let fs = ctx.fs_mut();
    let (dir, name) = fs.resolve_parent(cwd, &target)?;
    let name = name.to_owned();
    fs.create(dir, &name, Node::file(RegularFile::with_bytes(bytes), mode, now))
}

/// Replaces the contents of the regular file `ino` (truncate and write: inode, mode and owner
/// stay).
fn rewrite(ctx: &mut Ctx<'_>, ino: Ino, bytes: &[u8]) -> Result<(), FsError> {
    let now = ctx.now();
    *ctx.fs_mut().file_mut(ino, now)? = RegularFile::with_bytes(bytes);
    Ok(())
}

/// The absolute, simplified form of a path argument, as systemd's `parse_path_argument`
/// (`.` and empty components dropped, `..` kept); `None` for `/`.
fn absolute(ctx: &Ctx<'_>, path: &str) -> Option<String> {
    let full = if path.starts_with('/') { path.to_owned() } else { format!("{}/{path}", ctx.machine().cwd) };
    let parts: Vec<&str> = full.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    (!parts.is_empty()).then(|| format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests;
