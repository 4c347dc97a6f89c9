//! The files libvirt writes and removes on the host, so that the directory tree changes exactly
//! where the real one does.

use crate::sim::vfs::{FsError, NodeKind, ROOT, Vfs};

pub const QEMU_CONFIG_DIR: &str = "/etc/libvirt/qemu";
pub const AUTOSTART_DIR: &str = "/etc/libvirt/qemu/autostart";
pub const NETWORK_CONFIG_DIR: &str = "/etc/libvirt/qemu/networks";
pub const RUN_QEMU_DIR: &str = "/run/libvirt/qemu";
pub const RUN_NETWORK_DIR: &str = "/run/libvirt/network";
pub const LIB_QEMU_DIR: &str = "/var/lib/libvirt/qemu";
pub const SNAPSHOT_DIR: &str = "/var/lib/libvirt/qemu/snapshot";
pub const LOG_DIR: &str = "/var/log/libvirt/qemu";

/// Writes a file, creating its directory (mode 0755) and replacing what was there.
pub fn write(fs: &mut Vfs, path: &str, text: &str, mode: u32, now: i64) {
    if let Some((dir, _)) = path.rsplit_once('/')
        && !dir.is_empty()
    {
        let _ = fs.mkdir_p(dir, 0o755, now);
    }
    if let Ok(ino) = fs.put_file(path, text.as_bytes(), mode, now)
        && let Some(node) = fs.node_mut(ino)
    {
        node.mode = mode;
        node.mtime = now;
    }
}

/// Appends to a file (creating it with `mode`).
pub fn append(fs: &mut Vfs, path: &str, text: &str, mode: u32, now: i64) {
    let old = fs.resolve(ROOT, path, true).ok().and_then(|i| fs.file(i).ok()).map(|f| f.read_all(usize::MAX));
    let mut bytes = old.unwrap_or_default();
    bytes.extend_from_slice(text.as_bytes());
    write(fs, path, &String::from_utf8_lossy(&bytes), mode, now);
}

/// Creates a symlink, replacing an existing entry.
pub fn symlink(fs: &mut Vfs, path: &str, target: &str, now: i64) {
    remove(fs, path, now);
    if let Some((dir, _)) = path.rsplit_once('/') {
        let _ = fs.mkdir_p(dir, 0o755, now);
    }
    let _ = fs.put_symlink(path, target, now);
}

/// Removes a file, symlink or whole directory tree; a missing path is fine.
pub fn remove(fs: &mut Vfs, path: &str, now: i64) {
    let Ok((dir, name)) = fs.resolve_parent(ROOT, path) else { return };
    let name = name.to_owned();
    let _ = remove_entry(fs, dir, &name, now);
}

fn remove_entry(fs: &mut Vfs, dir: usize, name: &str, now: i64) -> Result<(), FsError> {
    let ino = fs.lookup(dir, name).ok_or(FsError::NotFound)?;
    if let Some(NodeKind::Dir(entries)) = fs.node(ino).map(|n| &n.kind) {
        let names: Vec<String> = entries.keys().cloned().collect();
        for child in names {
            remove_entry(fs, ino, &child, now)?;
        }
    }
    fs.unlink(dir, name, now)
}

/// Whether a path exists (without following a final symlink).
pub fn exists(fs: &Vfs, path: &str) -> bool {
    fs.resolve(ROOT, path, false).is_ok()
}
